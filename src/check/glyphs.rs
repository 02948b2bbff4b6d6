//! Glyphs: every character of the audit's files that the documents print has a glyph in
//! the bundled fonts. This is the one user-facing glyph check: it names each character
//! with its file and line or cell, where the typesetter could name only a page.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::BTreeSet;

/// Every character the documents will print should have a glyph in the bundled fonts:
/// one without prints as an empty box and keeps its document from being PDF/A, so each
/// is named here with its place, as a warning.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    // `watch` runs this on every save: each character is one lookup in the fonts'
    // coverage bitmap, and the place is built only for a character that is missing.
    let mut reported = BTreeSet::new();
    let mut missing = |c: char, place: &dyn Fn() -> Place, d: &mut Diagnostics| {
        if c.is_ascii()
            || c.is_whitespace()
            || c.is_control()
            || crate::fonts::covers(c)
            || !reported.insert(c)
        {
            return;
        }
        d.push(
            Diagnostic::warning(
                "render::missing-glyph",
                format!("no bundled font has the character '{c}' (U+{:04X}): it prints as an empty box, and the documents that show it cannot be PDF/A", c as u32),
            )
            .at(place())
            .help("replace it with a common character (the fonts cover the 8,105 characters of the 通用规范汉字表, Latin and common symbols); to add a font, put its .otf in cpaudit's fonts/ folder, list it in src/render/fonts.rs and rebuild cpaudit (see fonts/README.md)"),
        );
    };
    for src in &audit.sources {
        for (i, line) in src.text.lines().enumerate() {
            if line.is_ascii() || line.trim_start().starts_with('#') {
                continue;
            }
            for (col, c) in line.chars().enumerate() {
                let place = || Place::Yaml {
                    path: src.path.clone(),
                    line: i as u64 + 1,
                    column: col as u64 + 1,
                };
                missing(c, &place, d);
            }
        }
    }
    // Workbook text: values that kept their cell name it; bilingual names name the workbook.
    fn walk(v: &serde_json::Value, file: &str, f: &mut dyn FnMut(char, &dyn Fn() -> Place)) {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(serde_json::Value::String(text)), Some(cell)) =
                    (map.get("value"), map.get("cell"))
                    && let Ok(cell) = serde_json::from_value::<CellPlace>(cell.clone())
                {
                    let place = || Place::Cell {
                        path: cell.file.clone(),
                        sheet: cell.sheet.clone(),
                        cell: Cell {
                            file: cell.file.clone(),
                            sheet: cell.sheet.clone(),
                            row: cell.row,
                            col: cell.col,
                        }
                        .a1(),
                    };
                    text.chars().for_each(|c| f(c, &place));
                    return;
                }
                map.values().for_each(|x| walk(x, file, f));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, file, f)),
            serde_json::Value::String(text) if !text.is_ascii() => {
                let place = || Place::File {
                    path: file.to_string(),
                };
                text.chars().for_each(|c| f(c, &place))
            }
            _ => {}
        }
    }
    #[derive(serde::Deserialize)]
    struct CellPlace {
        file: String,
        sheet: String,
        row: u32,
        col: u32,
    }
    if let Ok(tables) = serde_json::to_value(&audit.tables) {
        walk(&tables, "data/", &mut |c, place| missing(c, place, d));
    }
}

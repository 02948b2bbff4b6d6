//! Placeholders: text and example rows that `cpaudit init` wrote and the auditor has not
//! yet replaced, one warning per file.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::BTreeMap;

/// Placeholders and example data that `cpaudit init` wrote and the auditor has not yet
/// replaced: one warning per file, at the first one, listing the lines (YAML) or rows
/// (workbooks) that still hold them.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    use crate::model::{EXAMPLE, PLACEHOLDER};
    let marked = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
    for src in &audit.sources {
        for (words, code, what, help) in [
            (
                &PLACEHOLDER[..],
                "check::placeholder",
                "placeholder text （待填写）/(to be completed)",
                "write the real text in both languages; the report prints the placeholders as they are",
            ),
            (
                &EXAMPLE[..],
                "check::example",
                "example data （示例）/(example) from `cpaudit init`",
                "replace the example with the enterprise's own data and remove the （示例）/(example) mark",
            ),
        ] {
            let mut lines: Vec<(u64, u64)> = Vec::new();
            for (i, line) in src.text.lines().enumerate() {
                // The value part of the line: a comment starts at ` #` or at the line's start.
                let value = match line.find(" #") {
                    Some(at) => &line[..at],
                    None => line,
                };
                if value.trim_start().starts_with('#') || !marked(value, words) {
                    continue;
                }
                let column = value.chars().take_while(|c| c.is_whitespace()).count() as u64 + 1;
                lines.push((i as u64 + 1, column));
            }
            let Some(&(line, column)) = lines.first() else {
                continue;
            };
            d.push(
                Diagnostic::warning(
                    code,
                    format!(
                        "{} still holds {what} on {} line(s): {}",
                        src.path,
                        lines.len(),
                        line_ranges(lines.iter().map(|(l, _)| *l))
                    ),
                )
                .at(Place::Yaml {
                    path: src.path.clone(),
                    line,
                    column,
                })
                .help(help),
            );
        }
    }
    // Workbooks: example rows carry the mark in their names.
    let t = &audit.tables;
    let rows: Vec<(&Text, &Cell)> = t
        .materials
        .iter()
        .map(|r| (&r.name, &r.year.cell))
        .chain(t.streams.iter().map(|r| (&r.name, &r.id.cell)))
        .chain(t.water_users.iter().map(|r| (&r.name, &r.id.cell)))
        .chain(
            t.discharges
                .iter()
                .map(|r| (&r.source_name, &r.source.cell)),
        )
        .collect();
    let mut by_file: BTreeMap<&str, Vec<&Cell>> = BTreeMap::new();
    for (name, cell) in rows {
        if marked(&name.zh, &EXAMPLE) || marked(&name.en, &EXAMPLE) {
            by_file.entry(cell.file.as_str()).or_default().push(cell);
        }
    }
    for (file, cells) in by_file {
        let mut sheets: Vec<String> = Vec::new();
        for c in &cells {
            let rows: Vec<u64> = cells
                .iter()
                .filter(|x| x.sheet == c.sheet)
                .map(|x| u64::from(x.row) + 1)
                .collect();
            let entry = format!("`{}` rows {}", c.sheet, line_ranges(rows.into_iter()));
            if !sheets.contains(&entry) {
                sheets.push(entry);
            }
        }
        d.push(
            Diagnostic::warning(
                "check::example",
                format!(
                    "{file} still holds example rows from `cpaudit init` (names marked （示例）/(example)): {}",
                    sheets.join("; ")
                ),
            )
            .at(cells[0])
            .help("replace the example rows with the enterprise's measured data; every figure of the report is computed from them"),
        );
    }
}

/// `3, 4, 5, 9` as `3–5, 9`.
fn line_ranges(lines: impl Iterator<Item = u64>) -> String {
    let mut lines: Vec<u64> = lines.collect();
    lines.sort_unstable();
    lines.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_lists_are_compressed_into_ranges() {
        assert_eq!(
            line_ranges([9, 3, 4, 5, 12, 13].into_iter()),
            "3–5, 9, 12–13"
        );
        assert_eq!(line_ranges(std::iter::empty()), "");
    }
}

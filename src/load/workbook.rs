//! Reading workbooks (.xlsx, .xls, .ods) with calamine into sparse sheets whose columns
//! are found by header name, Chinese or English, and whose every value keeps its cell.
//!
//! Calamine never evaluates formulas: a formula cell carries whatever value the writing
//! program cached, and one without a cached value reads as empty — which this reader
//! reports as an error rather than taking it for a zero. For .xlsx the sheet is streamed
//! cell by cell (absolute positions, no dense grid), so a sheet whose used range spans a
//! million rows costs only the cells it really holds.
//!
//! Before calamine sees a file, [`super::guard`] checks it in bounded memory and time
//! (zip bombs, dense .xls/.ods grids, lying shared-string counts), and every call into
//! calamine is made under [`guard::quietly`], so that a panic in it becomes a
//! diagnostic naming the file. The limits are in [`super::limits`].

use super::guard::{self, Format};
use super::limits;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::sheets::{ColumnSpec, SheetSpec};
use crate::model::{At, Cell, Text};
use calamine::{Data, DataRef, Ods, Reader, Sheets, Xls, Xlsx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// At most `max` characters of `text`, with `…` when it was cut: for messages that
/// quote what a cell or a name holds.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// An open workbook.
pub struct Workbook {
    /// Path relative to the audit folder.
    pub rel: String,
    sheets: Sheets<Cursor<Vec<u8>>>,
    names: Vec<String>,
    /// The names of the hidden and very hidden sheets, which are never read as data.
    hidden: Vec<String>,
}

impl Workbook {
    /// Opens a workbook; `rel` is its path relative to the audit folder, for messages.
    /// The file is read once, within [`limits::WORKBOOK_BYTES`], and opened from those
    /// bytes after the guards of [`super::guard`].
    pub fn open(path: &Path, rel: &str) -> Result<Workbook, Diagnostic> {
        let place = Place::File {
            path: rel.to_string(),
        };
        let bytes = read_capped(path).map_err(|d| d.at(place))?;
        Workbook::from_bytes(bytes, rel)
    }

    /// Opens a workbook from its bytes (what [`Workbook::open`] does after reading the
    /// file): the guards first, then calamine on the checked bytes, a panic in it
    /// caught and reported.
    pub fn from_bytes(bytes: Vec<u8>, rel: &str) -> Result<Workbook, Diagnostic> {
        let place = Place::File {
            path: rel.to_string(),
        };
        let checked = guard::check(bytes).map_err(|d| d.at(place.clone()))?;
        let format = checked.format;
        let opened = guard::quietly(move || -> Result<Sheets<Cursor<Vec<u8>>>, String> {
            let c = Cursor::new(checked.bytes);
            Ok(match format {
                Format::Xlsx => Sheets::Xlsx(Xlsx::new(c).map_err(|e| e.to_string())?),
                Format::Xls => Sheets::Xls(Xls::new(c).map_err(|e| e.to_string())?),
                Format::Ods => Sheets::Ods(Ods::new(c).map_err(|e| e.to_string())?),
            })
        });
        let sheets = match opened {
            Ok(Ok(sheets)) => sheets,
            Ok(Err(e)) => {
                return Err(Diagnostic::error(
                    "workbook::open",
                    format!("cannot read the workbook: {e}"),
                )
                .at(place)
                .help("open it in Excel or LibreOffice and save it again as .xlsx, .xls or .ods"));
            }
            Err(panic) => {
                return Err(guard::damaged(format!("the reader failed on it ({panic})")).at(place));
            }
        };
        let names = sheets.sheet_names();
        let hidden = sheets
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect();
        Ok(Workbook {
            rel: rel.to_string(),
            sheets,
            names,
            hidden,
        })
    }

    /// The workbook's sheet names, hidden ones included.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// The names of the hidden (and very hidden) sheets.
    pub fn hidden_sheets(&self) -> &[String] {
        &self.hidden
    }

    /// The sheets named like `spec` (case-insensitive, the name contains one of its
    /// words): the first visible one, and the hidden ones.
    fn matching(&self, spec: &SheetSpec) -> (Option<String>, Vec<String>) {
        let words = spec.words();
        let mut visible = None;
        let mut hidden = Vec::new();
        for n in &self.names {
            let lower = n.to_lowercase();
            if !words.iter().any(|want| lower.contains(want.as_str())) {
                continue;
            }
            if self.hidden.contains(n) {
                hidden.push(n.clone());
            } else if visible.is_none() {
                visible = Some(n.clone());
            }
        }
        (visible, hidden)
    }

    /// A warning for each hidden sheet named like the one the loader looks for: it is
    /// not read, and the user may think it is.
    fn warn_hidden(&self, hidden: &[String], read: Option<&str>, diags: &mut Diagnostics) {
        for h in hidden {
            let instead = match read {
                Some(v) => format!("the data is read from the visible sheet `{}`", clip(v, 60)),
                None => "no visible sheet has that name, so nothing is read".to_string(),
            };
            diags.push(
                Diagnostic::warning(
                    "workbook::hidden-sheet",
                    format!(
                        "sheet `{}` is hidden and is not read: {instead}",
                        clip(h, 60)
                    ),
                )
                .at(Place::File {
                    path: self.rel.clone(),
                })
                .help("hidden and very hidden sheets are never read as data (an old draft kept out of sight must not change the report); if it holds the data, unhide it (Excel: right-click a sheet tab → Unhide) and delete or rename the other sheet; if it is an old copy, delete it or rename it so that its name does not match"),
            );
        }
    }

    /// Reads the visible sheet named like `spec` (its name contains either half of
    /// the spec's name, case-insensitive) and finds its columns; a hidden sheet of that
    /// name is named in a warning and never read. `None` with a diagnostic when a
    /// required sheet or a required column is missing; `None` without one when a sheet
    /// the spec marks optional is absent.
    pub fn sheet(&mut self, spec: &'static SheetSpec, diags: &mut Diagnostics) -> Option<Sheet> {
        let (visible, hidden) = self.matching(spec);
        self.warn_hidden(&hidden, visible.as_deref(), diags);
        let Some(name) = visible else {
            if !spec.required {
                return None;
            }
            let shown: Vec<String> = self
                .names
                .iter()
                .map(|n| {
                    if self.hidden.contains(n) {
                        format!("{} (hidden)", clip(n, 60))
                    } else {
                        clip(n, 60)
                    }
                })
                .collect();
            diags.push(
                Diagnostic::error(
                    "workbook::sheet",
                    format!(
                        "no {}sheet named like `{}`",
                        if hidden.is_empty() { "" } else { "visible " },
                        spec.name()
                    ),
                )
                .at(Place::File {
                    path: self.rel.clone(),
                })
                .help(format!(
                    "the workbook has the sheets {}; add or rename one to `{}` (either half of the name is enough){}",
                    quoted(&shown),
                    spec.name(),
                    if hidden.is_empty() {
                        ""
                    } else {
                        " (hidden sheets are never read: unhide the sheet if it holds the data)"
                    }
                )),
            );
            return None;
        };
        self.read_sheet(&name, spec, diags)
    }

    fn read_sheet(
        &mut self,
        name: &str,
        spec: &'static SheetSpec,
        diags: &mut Diagnostics,
    ) -> Option<Sheet> {
        let name = name.to_string();
        let cells = match self.cells(&name) {
            Ok(cells) => cells,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        Sheet::new(self.rel.clone(), name, cells, spec, diags)
    }

    /// Every non-empty cell of a sheet, by absolute (row, column), within the limits
    /// [`limits::SHEET_CELLS`] and [`limits::WORKBOOK_TEXT`].
    pub fn cells(&mut self, name: &str) -> Result<BTreeMap<(u32, u32), Data>, Diagnostic> {
        let place = Place::File {
            path: self.rel.clone(),
        };
        let sheets = &mut self.sheets;
        match guard::quietly(|| read_cells(sheets, name)) {
            Ok(r) => r.map_err(|d| d.at(place)),
            Err(panic) => Err(guard::damaged(format!(
                "the reader failed on sheet `{name}` ({panic})"
            ))
            .at(place)),
        }
    }
}

/// Reads a workbook file within [`limits::WORKBOOK_BYTES`]; the size is checked before
/// reading and again while reading (the file may grow meanwhile).
fn read_capped(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let max = limits::WORKBOOK_BYTES.get();
    let too_big = |n: u64| {
        guard::over_limit(
            &limits::WORKBOOK_BYTES,
            format!("the workbook is {n} bytes, more than the limit of {max} bytes"),
        )
    };
    let cannot = |e: std::io::Error| {
        Diagnostic::error("workbook::read", format!("cannot read the workbook: {e}"))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(Diagnostic::error(
            "workbook::read",
            "the workbook is not a regular file",
        ));
    }
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

fn read_cells(
    sheets: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
) -> Result<BTreeMap<(u32, u32), Data>, Diagnostic> {
    let fail =
        |e: String| Diagnostic::error("workbook::read", format!("cannot read sheet `{name}`: {e}"));
    let max_cells = limits::SHEET_CELLS.get_usize();
    let max_text = limits::WORKBOOK_TEXT.get();
    let too_many = || {
        guard::over_limit(
            &limits::SHEET_CELLS,
            format!("sheet `{name}` holds more than {max_cells} cells"),
        )
        .help(format!(
            "an input sheet holds one row per stream or year; delete unused cells (select the empty rows and columns after the data and delete them); {}",
            limits::SHEET_CELLS.how_to_raise()
        ))
    };
    let too_much_text = || {
        guard::over_limit(
            &limits::WORKBOOK_TEXT,
            format!("the cells of sheet `{name}` hold more than {max_text} bytes of text"),
        )
    };
    let mut text = 0u64;
    let count_text = |text: &mut u64, v: &Data| -> bool {
        if let Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) = v {
            *text = text.saturating_add(s.len() as u64);
        }
        *text <= max_text
    };
    let mut cells = BTreeMap::new();
    match sheets {
        Sheets::Xlsx(x) => {
            let mut reader = x
                .worksheet_cells_reader(name)
                .map_err(|e| fail(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| fail(e.to_string()))? {
                // Measure a shared string before copying it into the cell.
                if let DataRef::SharedString(s) = cell.get_value()
                    && text.saturating_add(s.len() as u64) > max_text
                {
                    return Err(too_much_text());
                }
                let value: Data = cell.get_value().clone().into();
                if value == Data::Empty {
                    continue;
                }
                if cells.len() >= max_cells {
                    return Err(too_many());
                }
                if !count_text(&mut text, &value) {
                    return Err(too_much_text());
                }
                cells.insert(cell.get_position(), value);
            }
        }
        other => {
            let range = other
                .worksheet_range(name)
                .map_err(|e| fail(e.to_string()))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, value) in range.used_cells() {
                if cells.len() >= max_cells {
                    return Err(too_many());
                }
                if !count_text(&mut text, value) {
                    return Err(too_much_text());
                }
                let at = (
                    r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                    c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                );
                cells.insert(at, value.clone());
            }
        }
    }
    Ok(cells)
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A sheet read sparsely, with its header row and columns found.
pub struct Sheet {
    file: String,
    name: String,
    cells: BTreeMap<(u32, u32), Data>,
    header_row: u32,
    columns: BTreeMap<&'static str, u32>,
    spec: &'static SheetSpec,
    /// The repeated columns (`批次N` / `Batch N`), in order.
    pub batch_columns: Vec<u32>,
}

/// A header of the sheet: its column, the text as typed (trimmed) and normalised.
struct Header {
    col: u32,
    typed: String,
    norm: String,
}

impl Sheet {
    fn new(
        file: String,
        name: String,
        cells: BTreeMap<(u32, u32), Data>,
        spec: &'static SheetSpec,
        diags: &mut Diagnostics,
    ) -> Option<Sheet> {
        let Some(header_row) = cells.keys().next().map(|(r, _)| *r) else {
            diags.push(
                Diagnostic::error("workbook::empty-sheet", format!("sheet `{name}` is empty"))
                    .at(Place::File { path: file.clone() })
                    .help("row 1 holds the column headers and the data starts in row 2"),
            );
            return None;
        };
        let headers: Vec<Header> = cells
            .range((header_row, 0)..(header_row + 1, 0))
            .map(|((_, c), v)| {
                let typed = clip(v.to_string().trim(), 200);
                Header {
                    col: *c,
                    norm: normalise(&typed),
                    typed,
                }
            })
            .collect();
        let mut columns = BTreeMap::new();
        let mut batch_columns = Vec::new();
        let mut unknown: Vec<&Header> = Vec::new();
        for h in &headers {
            if spec.repeated.is_some_and(|r| r.names(&h.norm)) {
                batch_columns.push(h.col);
                continue;
            }
            // The column the header names best: a whole half of the header equal to
            // one of the column's words beats a word merely ending or starting it
            // (`英文名称 Name (EN)` is the English name, not the name).
            let mut best: Option<(u8, &ColumnSpec)> = None;
            for c in spec.columns.iter().filter(|c| !columns.contains_key(c.key)) {
                let score = c
                    .words()
                    .iter()
                    .map(|w| score(&h.norm, &normalise(w)))
                    .max();
                if let Some(s) = score.filter(|s| *s > 0)
                    && best.is_none_or(|(b, _)| s > b)
                {
                    best = Some((s, c));
                }
            }
            match best {
                Some((_, c)) => {
                    columns.insert(c.key, h.col);
                }
                None => unknown.push(h),
            }
        }
        let cell_at = |col: u32| Cell {
            file: file.clone(),
            sheet: name.clone(),
            row: header_row,
            col,
        };
        let shown = headers
            .iter()
            .map(|h| format!("`{}`", clip(&h.typed, 60)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut ok = true;
        let mut suspected: Vec<u32> = Vec::new();
        for c in spec.columns.iter().filter(|c| !columns.contains_key(c.key)) {
            // A header that is not a known column but is close to this one is a typo:
            // the error names its cell and the header expected.
            let typo = unknown
                .iter()
                .find(|h| !suspected.contains(&h.col) && near(&h.norm, c));
            match (typo, c.required) {
                (Some(h), required) => {
                    suspected.push(h.col);
                    ok &= !required;
                    let d = if required {
                        Diagnostic::error(
                            "workbook::missing-column",
                            format!(
                                "sheet `{name}` has no column `{}`: the header `{}` is not one cpaudit knows",
                                c.header(),
                                clip(&h.typed, 60)
                            ),
                        )
                    } else {
                        Diagnostic::warning(
                            "workbook::unknown-column",
                            format!(
                                "the header `{}` is not one cpaudit knows, so the column is not read",
                                clip(&h.typed, 60)
                            ),
                        )
                    };
                    diags.push(d.at(&cell_at(h.col)).help(format!(
                        "did you mean `{}`? Correct the header (either half is enough: `{}` or `{}`)",
                        c.header(),
                        c.zh,
                        c.en
                    )));
                }
                (None, true) => {
                    ok = false;
                    let after = headers.last().map_or(0, |h| h.col + 1);
                    diags.push(
                        Diagnostic::error(
                            "workbook::missing-column",
                            format!("sheet `{name}` has no column `{}`", c.header()),
                        )
                        .at(&cell_at(after))
                        .help(format!(
                            "the header row (row {}) has {shown}; add a column headed `{}` (either half is enough: `{}` or `{}`)",
                            header_row + 1,
                            c.header(),
                            c.zh,
                            c.en
                        )),
                    );
                }
                (None, false) => {}
            }
        }
        ok.then_some(Sheet {
            file,
            name,
            cells,
            header_row,
            columns,
            spec,
            batch_columns,
        })
    }

    /// The data rows: every row after the header that holds a value.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .cells
            .range((self.header_row + 1, 0)..)
            .map(|((r, _), _)| *r)
            .collect();
        rows.dedup();
        rows
    }

    /// The column (0-based) where the header of `key` was found.
    pub fn column(&self, key: &str) -> Option<u32> {
        self.columns.get(key).copied()
    }

    /// Whether the sheet has an optional column.
    pub fn has(&self, key: &str) -> bool {
        self.columns.contains_key(key)
    }

    /// The cell at a row and a column key.
    pub fn cell(&self, row: u32, key: &str) -> Cell {
        self.cell_at(row, self.columns.get(key).copied().unwrap_or(0))
    }

    /// The cell at a row and column.
    pub fn cell_at(&self, row: u32, col: u32) -> Cell {
        Cell {
            file: self.file.clone(),
            sheet: self.name.clone(),
            row,
            col,
        }
    }

    fn raw(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get(&(row, col)).filter(|v| match v {
            Data::String(s) => !s.trim().is_empty(),
            Data::Empty => false,
            _ => true,
        })
    }

    /// Text of an optional cell; `None` when empty or when the column is absent. A
    /// text longer than its column's limit ([`limits::NAME_CHARS`], or
    /// [`limits::NOTE_CHARS`] for a column of notes) is an error at its cell.
    pub fn text(&self, row: u32, key: &str) -> Result<Option<At<String>>, Diagnostic> {
        let Some(&col) = self.columns.get(key) else {
            return Ok(None);
        };
        let Some(v) = self.raw(row, col) else {
            return Ok(None);
        };
        let text = match v {
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            other => other.to_string(),
        };
        let text = text.trim();
        let cell = self.cell_at(row, col);
        let note = self.spec.column(key).is_some_and(|c| c.note);
        let (limit, what, advice) = if note {
            (
                &limits::NOTE_CHARS,
                "a note",
                "shorten it; a long explanation belongs in the narratives (YAML), which the report prints in full",
            )
        } else {
            (
                &limits::NAME_CHARS,
                "an id, name, unit or kind",
                "shorten it: ids, names and units are printed in tables, figures and the documents' metadata; put remarks in a column of their own (a column cpaudit does not know is not read)",
            )
        };
        let max = limit.get();
        if text.len() as u64 > max {
            let chars = text.chars().count() as u64;
            if chars > max {
                return Err(Diagnostic::error(
                    limit.code,
                    format!(
                        "the cell holds {chars} characters, more than the limit of {max} for {what} (\"{}\")",
                        clip(text, 40)
                    ),
                )
                .at(&cell)
                .help(format!("{advice}; {}", limit.how_to_raise())));
            }
        }
        Ok(Some(At {
            value: text.to_string(),
            cell,
        }))
    }

    /// Text of a required cell.
    pub fn required_text(&self, row: u32, key: &str) -> Result<At<String>, Diagnostic> {
        self.text(row, key)?
            .ok_or_else(|| self.empty(row, key, "a text"))
    }

    /// A bilingual name from a Chinese and an English column; the English falls back
    /// to the Chinese with no column.
    pub fn text_pair(&self, row: u32, zh: &str, en: &str) -> Result<Text, Diagnostic> {
        let zh = self.required_text(row, zh)?.value;
        let en = self
            .text(row, en)?
            .map(|t| t.value)
            .unwrap_or_else(|| zh.clone());
        Ok(Text { zh, en })
    }

    /// A required number.
    pub fn number(&self, row: u32, key: &str) -> Result<At<f64>, Diagnostic> {
        let col = self.columns.get(key).copied().unwrap_or(0);
        self.number_at(row, col)
    }

    /// An optional number (empty cell or absent column: `None`).
    pub fn opt_number(&self, row: u32, key: &str) -> Result<Option<At<f64>>, Diagnostic> {
        match self.columns.get(key) {
            Some(col) if self.raw(row, *col).is_some() => self.number_at(row, *col).map(Some),
            _ => Ok(None),
        }
    }

    /// A required number at a column index.
    pub fn number_at(&self, row: u32, col: u32) -> Result<At<f64>, Diagnostic> {
        let cell = self.cell_at(row, col);
        let value = match self.raw(row, col) {
            None => return Err(self.empty_at(row, col, "a number")),
            Some(Data::Float(f)) => *f,
            Some(Data::Int(i)) => *i as f64,
            Some(Data::String(s)) => match s.trim().parse::<f64>() {
                Ok(f) => f,
                Err(_) => {
                    let hint = if s.contains(',') || s.contains('，') {
                        "write the number without thousands separators or decimal commas (12.5, not 12,5)"
                    } else {
                        "write a plain number; put the unit in the unit column and remarks in another column"
                    };
                    return Err(Diagnostic::error(
                        "workbook::not-a-number",
                        format!("expected a number, found \"{}\"", clip(s, 40)),
                    )
                    .at(&cell)
                    .help(hint));
                }
            },
            Some(Data::Error(e)) => {
                return Err(Diagnostic::error(
                    "workbook::error-value",
                    format!("expected a number, found the error value {e}"),
                )
                .at(&cell)
                .help("fix the formula in Excel, or type the value"));
            }
            Some(other) => {
                return Err(Diagnostic::error(
                    "workbook::not-a-number",
                    format!("expected a number, found {}", clip(&other.to_string(), 40)),
                )
                .at(&cell));
            }
        };
        if !value.is_finite() {
            return Err(
                Diagnostic::error("workbook::not-finite", "the number is not finite").at(&cell),
            );
        }
        Ok(At { value, cell })
    }

    /// A required whole number (a year).
    pub fn integer(&self, row: u32, key: &str) -> Result<At<i32>, Diagnostic> {
        let n = self.number(row, key)?;
        if n.value.fract() != 0.0 || n.value.abs() > 1e9 {
            return Err(Diagnostic::error(
                "workbook::not-an-integer",
                format!("expected a whole number, found {}", n.value),
            )
            .at(&n.cell));
        }
        Ok(At {
            value: n.value as i32,
            cell: n.cell,
        })
    }

    fn empty(&self, row: u32, key: &str, what: &str) -> Diagnostic {
        self.empty_at(row, self.columns.get(key).copied().unwrap_or(0), what)
    }

    fn empty_at(&self, row: u32, col: u32, what: &str) -> Diagnostic {
        Diagnostic::error("workbook::empty-cell", format!("expected {what}, found an empty cell"))
            .at(&self.cell_at(row, col))
            .help("fill the cell; if it holds a formula, the workbook was saved without computed values: open it in Excel and save it again")
    }
}

/// Lower case, trimmed, inner whitespace collapsed, full-width brackets made ASCII.
fn normalise(header: &str) -> String {
    header
        .replace(['（', '('], " (")
        .replace(['）', ')'], ")")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a normalised header names `name`: the whole header, or its Chinese part
/// before a space, or its English part after a space.
fn names(header: &str, name: &str) -> bool {
    header == name
        || header.starts_with(&format!("{name} "))
        || header.ends_with(&format!(" {name}"))
        || header.contains(&format!(" {name} ("))
}

/// How well a normalised header names a normalised word: 2 when the whole header or
/// one of its halves (before and after the first space) is the word, 1 when the word
/// merely starts or ends it, 0 when it does not name it.
fn score(header: &str, word: &str) -> u8 {
    let halves = header.split_once(' ');
    if header == word || halves.is_some_and(|(zh, en)| zh == word || en == word) {
        2
    } else if names(header, word) {
        1
    } else {
        0
    }
}

/// Whether a header that names no column is probably a typo of `column`'s header:
/// the header, or one of its halves, is a few edits from one of the column's words.
fn near(header: &str, column: &ColumnSpec) -> bool {
    let words: Vec<String> = column.words().iter().map(|w| normalise(w)).collect();
    let mut parts = vec![header];
    if let Some((zh, en)) = header.split_once(' ') {
        parts.push(zh);
        parts.push(en);
        // `产值 Vlaue (万元)`: the English half without its unit.
        if let Some((word, _)) = en.split_once(" (") {
            parts.push(word);
        }
    }
    // One edit in a short word (two Chinese characters, `kind`), one per three
    // characters in a longer one: two different short words are never near.
    parts.iter().any(|p| {
        words
            .iter()
            .any(|w| crate::diag::levenshtein(p, w) <= (w.chars().count() / 3).max(1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_either_language() {
        assert!(names(&normalise("编号 ID"), "编号"));
        assert!(names(&normalise("编号 ID"), "id"));
        assert!(names(&normalise("产值 Value (万元)"), "value"));
        assert!(names(&normalise("产值 Value（万元）"), "产值"));
        assert!(names(&normalise("英文名称 Name (EN)"), "name (en)"));
        assert!(!names(&normalise("英文名称 Name (EN)"), "名称"));
    }

    #[test]
    fn a_whole_half_beats_a_word_ending_the_header() {
        let h = normalise("英文名称 Name (EN)");
        assert_eq!(score(&h, "name (en)"), 2);
        assert_eq!(score(&h, "name"), 1);
        assert_eq!(score(&normalise("产值 Value（万元）"), "产值"), 2);
        assert_eq!(score(&normalise("Annual net cash flow"), "cash flow"), 1);
        assert_eq!(score(&normalise("备注 Remarks"), "name"), 0);
    }

    #[test]
    fn typos_are_near_their_column() {
        use crate::model::sheets::STREAMS;
        let kind = STREAMS.column("kind").unwrap();
        assert!(near(&normalise("类剐 Knid"), kind));
        assert!(near(&normalise("Kimd"), kind));
        assert!(!near(&normalise("备注 Remarks"), kind));
    }
}

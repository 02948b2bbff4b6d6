//! Reading workbooks (.xlsx, .xls, .ods) with calamine into sparse sheets whose columns
//! are found by header name, Chinese or English, and whose every value keeps its cell.
//!
//! Calamine never evaluates formulas: a formula cell carries whatever value the writing
//! program cached, and one without a cached value reads as empty — which this reader
//! reports as an error rather than taking it for a zero. For .xlsx the sheet is streamed
//! cell by cell (absolute positions, no dense grid), so a sheet whose used range spans a
//! million rows costs only the cells it really holds.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{At, Cell, Text};
use calamine::{Data, Reader, Sheets, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::Path;

/// Most cells read from one sheet; an input sheet of an audit has hundreds.
pub const MAX_CELLS: usize = 200_000;

/// A column an input sheet must or may have.
pub struct Column {
    /// Key the loader asks for.
    pub key: &'static str,
    /// Header words that name it (lower case), Chinese and English.
    pub names: &'static [&'static str],
    /// Whether a sheet without it is an error.
    pub required: bool,
}

/// Shorthand for a required column.
pub const fn req(key: &'static str, names: &'static [&'static str]) -> Column {
    Column {
        key,
        names,
        required: true,
    }
}

/// Shorthand for an optional column.
pub const fn opt(key: &'static str, names: &'static [&'static str]) -> Column {
    Column {
        key,
        names,
        required: false,
    }
}

/// An open workbook.
pub struct Workbook {
    /// Path relative to the audit folder.
    pub rel: String,
    sheets: Sheets<std::io::BufReader<std::fs::File>>,
    names: Vec<String>,
}

impl Workbook {
    /// Opens a workbook; `rel` is its path relative to the audit folder, for messages.
    pub fn open(path: &Path, rel: &str) -> Result<Workbook, Diagnostic> {
        let sheets = open_workbook_auto(path).map_err(|e| {
            Diagnostic::error("workbook::open", format!("cannot read the workbook: {e}"))
                .at(crate::diag::Place::File {
                    path: rel.to_string(),
                })
                .help("save it from Excel or LibreOffice as .xlsx, .xls or .ods")
        })?;
        let names = sheets.sheet_names();
        Ok(Workbook {
            rel: rel.to_string(),
            sheets,
            names,
        })
    }

    /// The workbook's sheet names.
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// Reads the sheet whose name contains one of `sheet_names` (case-insensitive) and
    /// finds its columns. `None` with a diagnostic when the sheet or a required column
    /// is missing.
    pub fn sheet(
        &mut self,
        sheet_names: &[&str],
        columns: &'static [Column],
        diags: &mut Diagnostics,
    ) -> Option<Sheet> {
        let Some(name) = self
            .names
            .iter()
            .find(|n| {
                let n = n.to_lowercase();
                sheet_names.iter().any(|want| n.contains(want))
            })
            .cloned()
        else {
            diags.push(
                Diagnostic::error(
                    "workbook::sheet",
                    format!("no sheet named like `{}`", sheet_names.join("` or `")),
                )
                .at(crate::diag::Place::File {
                    path: self.rel.clone(),
                })
                .help(format!(
                    "the workbook has the sheets {}; add or rename one to `{}`",
                    quoted(&self.names),
                    sheet_names.join(" ")
                )),
            );
            return None;
        };
        let cells = match self.read_cells(&name) {
            Ok(cells) => cells,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        Sheet::new(self.rel.clone(), name, cells, columns, diags)
    }

    fn read_cells(&mut self, name: &str) -> Result<BTreeMap<(u32, u32), Data>, Diagnostic> {
        let place = crate::diag::Place::File {
            path: self.rel.clone(),
        };
        let fail = |e: String| {
            Diagnostic::error("workbook::read", format!("cannot read sheet `{name}`: {e}"))
                .at(place.clone())
        };
        let too_big = || {
            Diagnostic::error(
                "workbook::too-many-cells",
                format!("sheet `{name}` holds more than {MAX_CELLS} cells"),
            )
            .at(place.clone())
            .help("an input sheet holds one row per stream or year; delete unused cells (select the empty rows and columns after the data and delete them)")
        };
        let mut cells = BTreeMap::new();
        match &mut self.sheets {
            Sheets::Xlsx(x) => {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| fail(e.to_string()))?;
                while let Some(cell) = reader.next_cell().map_err(|e| fail(e.to_string()))? {
                    let value: Data = cell.get_value().clone().into();
                    if value == Data::Empty {
                        continue;
                    }
                    if cells.len() >= MAX_CELLS {
                        return Err(too_big());
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
                    if cells.len() >= MAX_CELLS {
                        return Err(too_big());
                    }
                    cells.insert((r0 + r as u32, c0 + c as u32), value.clone());
                }
            }
        }
        Ok(cells)
    }
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
    /// Columns named `批次N` / `Batch N`, in order.
    pub batch_columns: Vec<u32>,
}

impl Sheet {
    fn new(
        file: String,
        name: String,
        cells: BTreeMap<(u32, u32), Data>,
        spec: &'static [Column],
        diags: &mut Diagnostics,
    ) -> Option<Sheet> {
        let Some(header_row) = cells.keys().next().map(|(r, _)| *r) else {
            diags.push(
                Diagnostic::error("workbook::empty-sheet", format!("sheet `{name}` is empty"))
                    .at(crate::diag::Place::File { path: file.clone() })
                    .help("row 1 holds the column headers and the data starts in row 2"),
            );
            return None;
        };
        let headers: Vec<(u32, String)> = cells
            .range((header_row, 0)..(header_row + 1, 0))
            .map(|((_, c), v)| (*c, normalise(&v.to_string())))
            .collect();
        let mut columns = BTreeMap::new();
        let mut batch_columns = Vec::new();
        for (col, header) in &headers {
            if header.starts_with("批次") || header.contains("batch") {
                batch_columns.push(*col);
                continue;
            }
            if let Some(c) = spec
                .iter()
                .find(|c| !columns.contains_key(c.key) && c.names.iter().any(|n| names(header, n)))
            {
                columns.insert(c.key, *col);
            }
        }
        let mut ok = true;
        for c in spec
            .iter()
            .filter(|c| c.required && !columns.contains_key(c.key))
        {
            ok = false;
            let cell = Cell {
                file: file.clone(),
                sheet: name.clone(),
                row: header_row,
                col: 0,
            };
            diags.push(
                Diagnostic::error(
                    "workbook::missing-column",
                    format!("sheet `{name}` has no column `{}`", c.names.join("` / `")),
                )
                .at(&cell)
                .help(format!(
                    "the header row (row {}) has {}; add a column headed `{}`",
                    header_row + 1,
                    headers
                        .iter()
                        .map(|(_, h)| format!("`{h}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    c.names.join(" ")
                )),
            );
        }
        ok.then_some(Sheet {
            file,
            name,
            cells,
            header_row,
            columns,
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

    /// Text of an optional cell; `None` when empty or when the column is absent.
    pub fn text(&self, row: u32, key: &str) -> Option<At<String>> {
        let col = *self.columns.get(key)?;
        let v = self.raw(row, col)?;
        let text = match v {
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            other => other.to_string(),
        };
        Some(At {
            value: text.trim().to_string(),
            cell: self.cell_at(row, col),
        })
    }

    /// Text of a required cell.
    pub fn required_text(&self, row: u32, key: &str) -> Result<At<String>, Diagnostic> {
        self.text(row, key)
            .ok_or_else(|| self.empty(row, key, "a text"))
    }

    /// A bilingual name from a Chinese and an English column; the English falls back
    /// to the Chinese with no column.
    pub fn text_pair(&self, row: u32, zh: &str, en: &str) -> Result<Text, Diagnostic> {
        let zh = self.required_text(row, zh)?.value;
        let en = self
            .text(row, en)
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
                        format!("expected a number, found \"{s}\""),
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
                    format!("expected a number, found {other}"),
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
}

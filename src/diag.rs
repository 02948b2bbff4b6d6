//! Diagnostics: every problem found while loading, checking or building an audit, as
//! data. A diagnostic names the file and the place (a YAML line and column, or a
//! workbook cell), says what was expected, and how to fix it. They are collected, not
//! thrown, so that one run reports every problem at once.

use crate::model::{Cell, SourceFile};
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The audit cannot be built until it is fixed.
    Error,
    /// The audit builds, but a reader or regulator would object.
    Warning,
    /// Worth knowing, nothing to fix (a system file skipped); never fails a build, not
    /// even under `--deny-warnings`.
    Info,
}

/// Version of the JSON documents the commands print with `--format json` (docs/json.md).
/// Raised when a field changes meaning or disappears; new fields keep it.
pub const JSON_VERSION: u32 = 1;

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Place {
    /// A whole file (path relative to the audit folder).
    File {
        /// The file.
        path: String,
    },
    /// A position in a YAML file (1-based line and column).
    Yaml {
        /// The file.
        path: String,
        /// Line, 1-based.
        line: u64,
        /// Column, 1-based, in characters.
        column: u64,
    },
    /// A workbook cell.
    Cell {
        /// The workbook.
        path: String,
        /// The sheet.
        sheet: String,
        /// A1 reference.
        cell: String,
    },
}

impl Place {
    /// A YAML position from a serde-saphyr location; `None` when the value has no
    /// location (a default), in which case the diagnostic points at the whole file.
    pub fn yaml(path: &str, at: &serde_saphyr::Location) -> Place {
        if at.line() == 0 {
            Place::File {
                path: path.to_string(),
            }
        } else {
            Place::Yaml {
                path: path.to_string(),
                line: at.line(),
                column: at.column(),
            }
        }
    }

    /// The file this place is in.
    pub fn path(&self) -> &str {
        match self {
            Place::File { path } | Place::Yaml { path, .. } | Place::Cell { path, .. } => path,
        }
    }
}

impl From<&Cell> for Place {
    fn from(cell: &Cell) -> Self {
        Place::Cell {
            path: cell.file.clone(),
            sheet: cell.sheet.clone(),
            cell: cell.a1(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File { path } => write!(f, "{path}"),
            Place::Yaml { path, line, column } => write!(f, "{path}:{line}:{column}"),
            Place::Cell { path, sheet, cell } => write!(f, "{path}: {sheet}!{cell}"),
        }
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable code (`balance::closure`), for scripts and documentation.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where; `None` for problems of the audit as a whole.
    pub place: Option<Place>,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places involved (the other end of a dangling reference).
    pub related: Vec<(String, Place)>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            place: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// A note: nothing to fix.
    pub fn info(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(code, message)
        }
    }

    /// The diagnostic as JSON (docs/json.md): its fields, and for its place (and each
    /// related place) where it starts and ends: for a YAML place, the line and column of
    /// the token's first character and of the character after its last (the same span
    /// the human output underlines, when the file's text is in `sources`); for a cell,
    /// its row and column, 1-based.
    pub fn to_json(&self, sources: &[SourceFile]) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(place) = &self.place {
            v["place"] = place_json(place, sources);
        }
        v["related"] = self
            .related
            .iter()
            .map(|(what, place)| serde_json::json!({"what": what, "place": place_json(place, sources)}))
            .collect();
        v
    }

    /// Points the diagnostic at a place.
    pub fn at(mut self, place: impl Into<Place>) -> Self {
        self.place = Some(place.into());
        self
    }

    /// Adds how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds another place involved.
    pub fn related(mut self, what: impl Into<String>, place: impl Into<Place>) -> Self {
        self.related.push((what.into(), place.into()));
        self
    }
}

/// All diagnostics of a run, in the order they were found.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all of another run's.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors and of warnings (notes are neither).
    pub fn counts(&self) -> (usize, usize) {
        let count = |s: Severity| self.0.iter().filter(|d| d.severity == s).count();
        (count(Severity::Error), count(Severity::Warning))
    }

    /// Errors first, then warnings, each in the order found.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.0.iter().collect();
        all.sort_by_key(|d| d.severity);
        all
    }

    /// Renders every diagnostic for a person: a rustc-style header, the place, a YAML
    /// snippet where the source is known, and the help.
    pub fn render_human(&self, sources: &[SourceFile], color: bool) -> String {
        let mut out = self.render_list(sources, color, Severity::Info);
        out.push_str(&self.count_line());
        out
    }

    /// Renders the diagnostics at least as serious as `least` (errors first), without the
    /// count line.
    pub fn render_list(&self, sources: &[SourceFile], color: bool, least: Severity) -> String {
        let mut out = String::new();
        for d in self.sorted().into_iter().filter(|d| d.severity <= least) {
            out.push_str(&render_one(d, sources, color));
            out.push('\n');
        }
        out
    }

    /// `2 error(s), 5 warning(s)` and a newline; empty when there are neither.
    pub fn count_line(&self) -> String {
        let (errors, warnings) = self.counts();
        if errors + warnings > 0 {
            format!("{errors} error(s), {warnings} warning(s)\n")
        } else {
            String::new()
        }
    }

    /// Every diagnostic as JSON ([`Diagnostic::to_json`]), errors first.
    pub fn to_json(&self, sources: &[SourceFile]) -> Vec<serde_json::Value> {
        self.sorted().iter().map(|d| d.to_json(sources)).collect()
    }

    /// The JSON document every command prints with `--format json` (docs/json.md),
    /// without the command's own fields: `version`, `command`, `ok`, the counts and
    /// the diagnostics.
    pub fn envelope(
        &self,
        command: &str,
        ok: bool,
        sources: &[SourceFile],
    ) -> serde_json::Map<String, serde_json::Value> {
        let (errors, warnings) = self.counts();
        let mut m = serde_json::Map::new();
        m.insert("version".into(), JSON_VERSION.into());
        m.insert("command".into(), command.into());
        m.insert("ok".into(), ok.into());
        m.insert("errors".into(), errors.into());
        m.insert("warnings".into(), warnings.into());
        m.insert("diagnostics".into(), self.to_json(sources).into());
        m
    }

    /// Renders every diagnostic as one JSON document, for scripts and editors: the
    /// envelope of a command named `command` that succeeds when there is no error.
    pub fn render_json(&self, command: &str) -> String {
        serde_json::to_string_pretty(&self.envelope(command, !self.has_errors(), &[]))
            .unwrap_or_default()
    }
}

/// A place as JSON, with where it starts and ends (see [`Diagnostic::to_json`]).
fn place_json(place: &Place, sources: &[SourceFile]) -> serde_json::Value {
    let mut v = serde_json::to_value(place).unwrap_or_default();
    match place {
        Place::Yaml { path, line, column } => {
            v["start"] = serde_json::json!({"line": line, "column": column});
            let end = sources
                .iter()
                .find(|s| &s.path == path)
                .and_then(|s| {
                    let at = byte_offset(&s.text, *line, *column)?;
                    let len = token_len(&s.text[at..]).min(s.text.len() - at);
                    let chars = s.text[at..at + len].chars().count() as u64;
                    Some(serde_json::json!({"line": line, "column": column + chars}))
                })
                .unwrap_or(serde_json::Value::Null);
            v["end"] = end;
        }
        Place::Cell { cell, .. } => {
            if let Some((row, column)) = a1_to_row_column(cell) {
                let at = serde_json::json!({"row": row, "column": column});
                v["start"] = at.clone();
                v["end"] = at;
            }
        }
        Place::File { .. } => {}
    }
    v
}

/// `D14` as (14, 4), 1-based; `None` for anything else.
fn a1_to_row_column(a1: &str) -> Option<(u64, u64)> {
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let column = letters.chars().try_fold(0u64, |n, c| {
        n.checked_mul(26)?.checked_add(c as u64 - 'A' as u64 + 1)
    })?;
    Some((digits.parse().ok()?, column))
}

/// Renders one diagnostic; YAML places get a miette snippet.
fn render_one(d: &Diagnostic, sources: &[SourceFile], color: bool) -> String {
    let word = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    };
    let mut out = String::new();
    if let Some(Place::Yaml { path, line, column }) = &d.place
        && let Some(src) = sources.iter().find(|s| &s.path == path)
        && let Some(offset) = byte_offset(&src.text, *line, *column)
    {
        let snippet = Snippet {
            message: d.message.clone(),
            code: d.code,
            help: d.help.clone(),
            severity: d.severity,
            source: miette::NamedSource::new(path.clone(), src.text.clone()),
            span: (offset, token_len(&src.text[offset..])).into(),
        };
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
        if handler.render_report(&mut out, &snippet).is_ok() {
            for (what, place) in &d.related {
                out.push_str(&format!("  = note: {what}: {place}\n"));
            }
            return out;
        }
        out.clear();
    }
    // Bold red, bold yellow, bold cyan, as rustc and miette colour them.
    let (on, off) = match (color, d.severity) {
        (false, _) => ("", ""),
        (true, Severity::Error) => ("\u{1b}[1;31m", "\u{1b}[0m"),
        (true, Severity::Warning) => ("\u{1b}[1;33m", "\u{1b}[0m"),
        (true, Severity::Info) => ("\u{1b}[1;36m", "\u{1b}[0m"),
    };
    out.push_str(&format!("{on}{word}[{}]{off}: {}\n", d.code, d.message));
    if let Some(place) = &d.place {
        out.push_str(&format!("  --> {place}\n"));
    }
    for (what, place) in &d.related {
        out.push_str(&format!("  = note: {what}: {place}\n"));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out
}

/// Byte offset of a 1-based line and character column.
fn byte_offset(text: &str, line: u64, column: u64) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(usize::try_from(line - 2).ok()?)?
            .0
            + 1
    };
    let rest = &text[start..];
    let skip = usize::try_from(column.saturating_sub(1)).ok()?;
    let within: usize = rest.chars().take(skip).map(char::len_utf8).sum();
    Some(start + within.min(rest.len()))
}

/// Length of the token at the start of `rest`: up to the end of the line, at most one word.
fn token_len(rest: &str) -> usize {
    let line = rest.split('\n').next().unwrap_or("");
    let trimmed = line.trim_end();
    trimmed.len().max(1).min(rest.len().max(1))
}

/// A diagnostic shaped for miette's graphical renderer.
#[derive(Debug)]
struct Snippet {
    message: String,
    code: &'static str,
    help: Option<String>,
    severity: Severity,
    source: miette::NamedSource<String>,
    span: miette::SourceSpan,
}

impl fmt::Display for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Snippet {}

impl miette::Diagnostic for Snippet {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), self.span),
        )))
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1) + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbouring characters as one edit (optimal
/// string alignment), the commonest typing slip.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "a: 1\n名称: 约3t\n";
        let at = byte_offset(text, 2, 5).unwrap();
        assert_eq!(&text[at..at + 4], "约3t".get(..4).unwrap());
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(suggest("nmae", ["name", "unit", "id"]), Some("name"));
        assert_eq!(
            suggest("investmnet", ["investment", "unit"]),
            Some("investment")
        );
        assert_eq!(suggest("zzz", ["investment", "unit"]), None);
        assert_eq!(
            suggest("national-2061", ["national-2004", "national-2016"]),
            Some("national-2016")
        );
    }

    #[test]
    fn json_places_have_a_start_and_an_end() {
        let src = SourceFile {
            path: "audit.yaml".into(),
            text: "id: x\n名称: 约3t\n".into(),
        };
        let d = Diagnostic::warning("t::t", "m").at(Place::Yaml {
            path: "audit.yaml".into(),
            line: 2,
            column: 5,
        });
        let v = d.to_json(std::slice::from_ref(&src));
        assert_eq!(
            v["place"]["start"],
            serde_json::json!({"line": 2, "column": 5})
        );
        // `约3t` is three characters: the end is the column after the last.
        assert_eq!(
            v["place"]["end"],
            serde_json::json!({"line": 2, "column": 8})
        );
        let c = Diagnostic::error("t::t", "m").at(Place::Cell {
            path: "data/b.xlsx".into(),
            sheet: "物料".into(),
            cell: "AB14".into(),
        });
        let v = c.to_json(&[]);
        assert_eq!(
            v["place"]["start"],
            serde_json::json!({"row": 14, "column": 28})
        );
        assert_eq!(v["place"]["end"], v["place"]["start"]);
    }

    #[test]
    fn cell_names_are_a1() {
        let c = Cell {
            file: "data/b.xlsx".into(),
            sheet: "物料".into(),
            row: 13,
            col: 3,
        };
        assert_eq!(c.to_string(), "data/b.xlsx: 物料!D14");
        let far = Cell {
            col: 16383,
            row: 1048575,
            ..c
        };
        assert_eq!(far.a1(), "XFD1048576");
    }
}

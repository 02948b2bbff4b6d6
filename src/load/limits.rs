//! Limits on what cpaudit reads: file sizes, the unpacked size and entry count of
//! workbooks, cells and used ranges of sheets, text, and YAML nesting. An audit stays far
//! below every one of them; they exist so that a hostile or broken file (a zip bomb, a
//! sheet whose used range spans a million rows, YAML nested ten thousand deep) is
//! refused quickly and in bounded memory instead of exhausting the machine.
//!
//! Each limit has an environment variable that raises (or lowers) it, and every
//! diagnostic that a limit causes names the limit and the variable. `docs/limits.md`
//! lists them.

/// One limit: what it bounds, its default and the environment variable that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Short name, for documentation (`workbook-bytes`).
    pub name: &'static str,
    /// The code of the diagnostics it causes (`limit::workbook-bytes`).
    pub code: &'static str,
    /// What is counted, for messages ("bytes", "cells").
    pub unit: &'static str,
    /// The environment variable that overrides the default.
    pub var: &'static str,
    /// The value used when the variable is unset or unreadable.
    pub default: u64,
}

impl Limit {
    /// The limit in force: the environment variable's value if it is set and valid,
    /// otherwise the default. Values are whole numbers, optionally with a binary
    /// suffix `K`, `M` or `G` (`64M` is 64 × 1024 × 1024).
    pub fn get(&self) -> u64 {
        std::env::var(self.var)
            .ok()
            .and_then(|v| parse_amount(&v))
            .unwrap_or(self.default)
    }

    /// The limit as a `usize`, saturating.
    pub fn get_usize(&self) -> usize {
        usize::try_from(self.get()).unwrap_or(usize::MAX)
    }

    /// The sentence telling how to raise the limit, for a diagnostic's help.
    pub fn how_to_raise(&self) -> String {
        format!(
            "this is the limit {} ({} {}); if the file is genuine, raise it by setting the environment variable {}, e.g. `{}={} cpaudit build`; see docs/limits.md",
            self.name,
            self.get(),
            self.unit,
            self.var,
            self.var,
            self.get().saturating_mul(4)
        )
    }
}

/// Parses `123`, `64K`, `64M`, `2G` (binary multiples); `None` for anything else.
pub fn parse_amount(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, factor) = match t.char_indices().last()? {
        (i, 'k' | 'K') => (&t[..i], 1u64 << 10),
        (i, 'm' | 'M') => (&t[..i], 1 << 20),
        (i, 'g' | 'G') => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(factor)
}

/// Largest YAML file (audit.yaml, a narrative), in bytes; also the most text one YAML
/// file may hold with its aliases (`*name`) expanded, each alias counting the text of
/// its anchor again.
pub const YAML_BYTES: Limit = Limit {
    name: "yaml-bytes",
    code: "limit::yaml-bytes",
    unit: "bytes",
    var: "CPAUDIT_MAX_YAML_BYTES",
    default: 4 << 20,
};

/// Deepest nesting of YAML mappings and sequences.
pub const YAML_DEPTH: Limit = Limit {
    name: "yaml-depth",
    code: "limit::yaml-depth",
    unit: "levels",
    var: "CPAUDIT_MAX_YAML_DEPTH",
    default: 64,
};

/// Most YAML nodes (scalars, mappings, sequences) in one file.
pub const YAML_NODES: Limit = Limit {
    name: "yaml-nodes",
    code: "limit::yaml-nodes",
    unit: "nodes",
    var: "CPAUDIT_MAX_YAML_NODES",
    default: 250_000,
};

/// Largest workbook file, in bytes.
pub const WORKBOOK_BYTES: Limit = Limit {
    name: "workbook-bytes",
    code: "limit::workbook-bytes",
    unit: "bytes",
    var: "CPAUDIT_MAX_WORKBOOK_BYTES",
    default: 32 << 20,
};

/// Most entries in the zip archive of an .xlsx or .ods.
pub const WORKBOOK_ENTRIES: Limit = Limit {
    name: "workbook-entries",
    code: "limit::workbook-entries",
    unit: "entries",
    var: "CPAUDIT_MAX_WORKBOOK_ENTRIES",
    default: 1_000,
};

/// Largest unpacked size of a workbook: the sum of its zip entries decompressed
/// (.xlsx, .ods), or its Workbook stream (.xls).
pub const WORKBOOK_UNPACKED: Limit = Limit {
    name: "workbook-unpacked",
    code: "limit::workbook-unpacked",
    unit: "bytes",
    var: "CPAUDIT_MAX_WORKBOOK_UNPACKED",
    default: 64 << 20,
};

/// Most non-empty cells read from one sheet.
pub const SHEET_CELLS: Limit = Limit {
    name: "sheet-cells",
    code: "limit::sheet-cells",
    unit: "cells",
    var: "CPAUDIT_MAX_SHEET_CELLS",
    default: 200_000,
};

/// Largest used range (rows × columns, all sheets together) of an .xls or .ods, whose
/// reader builds every sheet as a dense grid when it opens the file.
pub const SHEET_AREA: Limit = Limit {
    name: "sheet-area",
    code: "limit::sheet-area",
    unit: "cells",
    var: "CPAUDIT_MAX_SHEET_AREA",
    default: 1_000_000,
};

/// Most text decoded from one workbook (shared strings repeated in many cells count
/// once per cell), in bytes.
pub const WORKBOOK_TEXT: Limit = Limit {
    name: "workbook-text",
    code: "limit::workbook-text",
    unit: "bytes",
    var: "CPAUDIT_MAX_WORKBOOK_TEXT",
    default: 32 << 20,
};

/// Longest id, name or title: a YAML value under a key `id`, `name`, `title` (or
/// one of [`super::yaml::NAME_KEYS`]), a mapping key, or a workbook cell of an id, name,
/// unit or kind column, in characters. Names go into table cells, figure labels, the
/// figures' text alternatives and the PDF's metadata, which PDF/A bounds (a PDF string
/// holds at most 32,767 characters).
pub const NAME_CHARS: Limit = Limit {
    name: "name-chars",
    code: "limit::name-chars",
    unit: "characters",
    var: "CPAUDIT_MAX_NAME_CHARS",
    default: 200,
};

/// Longest note in a workbook cell (a standard, a discharge mode, a material's purpose
/// or the list it is on), in characters.
pub const NOTE_CHARS: Limit = Limit {
    name: "note-chars",
    code: "limit::note-chars",
    unit: "characters",
    var: "CPAUDIT_MAX_NOTE_CHARS",
    default: 2_000,
};

/// Longest prose value (any other YAML string, e.g. one language of a description),
/// in characters.
pub const PROSE_CHARS: Limit = Limit {
    name: "prose-chars",
    code: "limit::prose-chars",
    unit: "characters",
    var: "CPAUDIT_MAX_PROSE_CHARS",
    default: 20_000,
};

/// Every limit, in the order docs/limits.md lists them.
pub const ALL: [Limit; 12] = [
    YAML_BYTES,
    YAML_DEPTH,
    YAML_NODES,
    PROSE_CHARS,
    NAME_CHARS,
    WORKBOOK_BYTES,
    WORKBOOK_ENTRIES,
    WORKBOOK_UNPACKED,
    SHEET_CELLS,
    SHEET_AREA,
    WORKBOOK_TEXT,
    NOTE_CHARS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_take_binary_suffixes() {
        assert_eq!(parse_amount("123"), Some(123));
        assert_eq!(parse_amount(" 64M "), Some(64 << 20));
        assert_eq!(parse_amount("2g"), Some(2 << 30));
        assert_eq!(parse_amount("1K"), Some(1024));
        assert_eq!(parse_amount("lots"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("99999999999999G"), None);
    }

    #[test]
    fn names_and_variables_are_unique() {
        let mut vars: Vec<&str> = ALL.iter().map(|l| l.var).collect();
        vars.sort();
        vars.dedup();
        assert_eq!(vars.len(), ALL.len());
    }
}

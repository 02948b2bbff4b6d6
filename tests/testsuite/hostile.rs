//! The bad-input and hostile-input corpus. Every case is a copy of the sample audit
//! with one thing broken; each must make `cpaudit check` and `cpaudit build` exit with
//! status 1, name the file (and the line or cell where there is one) in a diagnostic
//! with the expected code, never panic, and write nothing. The workbook bombs must be
//! refused quickly; paths and links leaving the folder must be refused.

use crate::common::*;
use calamine::Data;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ------------------------------------------------------------------ helpers

fn run(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Asserts that the audit at `dir` is refused with an error `code` at `path`, by
/// `check` (JSON) and by `build` (human, exit 1, the path on stderr, no panic, nothing
/// written). Returns the diagnostic.
fn refused_with_env(dir: &Path, code: &str, path: &str, env: &[(&str, &str)]) -> Value {
    let (status, json, _) = run_json("check", dir, env);
    assert_eq!(status, Some(1), "check did not fail: {json:#}");
    let diags = json["diagnostics"].as_array().cloned().unwrap_or_default();
    let hit = diags
        .iter()
        .find(|d| d["severity"] == "error" && d["code"] == code && d["place"]["path"] == path)
        .cloned()
        .unwrap_or_else(|| panic!("no error {code} at {path}: {json:#}"));
    let out = run(&["build", dir.to_str().unwrap()], env);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "build: {stderr}");
    assert!(!stderr.contains("panicked"), "build panicked: {stderr}");
    assert!(
        stderr.contains(path),
        "build does not name {path}: {stderr}"
    );
    assert!(!dir.join("build").exists(), "a failed build wrote build/");
    hit
}

fn refused(dir: &Path, code: &str, path: &str) -> Value {
    refused_with_env(dir, code, path, &[])
}

/// [`refused`] with any of several codes.
fn refused_any(dir: &Path, codes: &[&str], path: &str) -> Value {
    let (_, json, _) = run_json("check", dir, &[]);
    let code = json["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["place"]["path"] == path))
        .and_then(|d| d["code"].as_str())
        .unwrap_or_else(|| panic!("nothing at {path}: {json:#}"))
        .to_string();
    assert!(codes.contains(&code.as_str()), "{code} at {path}: {json:#}");
    refused(dir, &code, path)
}

fn assert_cell(d: &Value, sheet: &str, cell: &str) {
    assert_eq!(d["place"]["kind"], "cell", "{d:#}");
    assert_eq!(d["place"]["sheet"], sheet, "{d:#}");
    assert_eq!(d["place"]["cell"], cell, "{d:#}");
}

fn assert_line(d: &Value, line: u64) {
    assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
    assert_eq!(d["place"]["line"], line, "{d:#}");
}

/// The cells of every sheet of a workbook, read with cpaudit's own reader.
/// The sheets of a workbook: name and cells.
pub(crate) type Book = Vec<(String, BTreeMap<(u32, u32), Data>)>;

pub(crate) fn read_workbook(path: &Path) -> Book {
    let mut wb = cpaudit::load::workbook::Workbook::open(path, "wb").unwrap();
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let cells = wb.cells(&n).unwrap();
            (n, cells)
        })
        .collect()
}

pub(crate) fn write_workbook(path: &Path, sheets: &Book) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, cells) in sheets {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for ((r, c), v) in cells {
            let c = *c as u16;
            match v {
                Data::Float(f) => ws.write_number(*r, c, *f).map(|_| ()),
                Data::Int(i) => ws.write_number(*r, c, *i as f64).map(|_| ()),
                Data::Bool(b) => ws.write_boolean(*r, c, *b).map(|_| ()),
                Data::Empty => Ok(()),
                other => ws.write_string(*r, c, other.to_string()).map(|_| ()),
            }
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// Rewrites a workbook of the audit after `f` changed its cells.
pub(crate) fn mutate(dir: &Path, rel: &str, f: impl FnOnce(&mut Book)) {
    let path = dir.join(rel);
    let mut sheets = read_workbook(&path);
    f(&mut sheets);
    write_workbook(&path, &sheets);
}

pub(crate) fn sheet<'a>(sheets: &'a mut Book, name: &str) -> &'a mut BTreeMap<(u32, u32), Data> {
    &mut sheets
        .iter_mut()
        .find(|(n, _)| n.contains(name))
        .unwrap_or_else(|| panic!("no sheet {name}"))
        .1
}

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(rel)
}

// ---------------------------------------------------------------- raw zips

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One entry of a hand-made zip: its name, method (0 stored, 8 deflate), the bytes as
/// stored, and the CRC and uncompressed size to declare (which may lie).
struct RawEntry {
    name: String,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

impl RawEntry {
    fn stored(name: &str, data: &[u8]) -> RawEntry {
        RawEntry {
            name: name.into(),
            method: 0,
            data: data.to_vec(),
            crc: crc32(data),
            size: data.len() as u32,
        }
    }
}

fn raw_zip(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(e.method.to_le_bytes());
            h.extend([0u8; 4]);
            h.extend(e.crc.to_le_bytes());
            h.extend((e.data.len() as u32).to_le_bytes());
            h.extend(e.size.to_le_bytes());
            h.extend((e.name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central {
                // Comment length, disk, internal and external attributes, offset.
                h.extend([0u8; 6]);
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(&e.data);
        central.extend(header(0x0201_4b50, true));
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The entries of a real workbook, decompressed, to build hostile variants from.
fn entries_of(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .collect()
}

/// A raw deflate stream of `prefix` followed by `gib` GiB of spaces: a few megabytes
/// that decompress to gigabytes (a 1 MiB block of spaces compresses to about a
/// kilobyte, and the same bytes repeat once the window is all spaces).
fn deflate_bomb(prefix: &[u8], gib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut c = Compress::new(Compression::best(), false);
    let mut out = Vec::with_capacity(4 << 20);
    let block = |c: &mut Compress, input: &[u8], flush: FlushCompress| {
        let mut buf = vec![0u8; input.len() + 4096];
        let before = c.total_out();
        c.compress(input, &mut buf, flush).unwrap();
        buf.truncate((c.total_out() - before) as usize);
        buf
    };
    let spaces = vec![b' '; 1 << 20];
    out.extend(block(&mut c, prefix, FlushCompress::Sync));
    out.extend(block(&mut c, &spaces, FlushCompress::Sync));
    let repeat = block(&mut c, &spaces, FlushCompress::Sync);
    let again = block(&mut c, &spaces, FlushCompress::Sync);
    assert_eq!(repeat, again, "the repeated block is not stable");
    for _ in 2..(gib << 10) {
        out.extend(&repeat);
    }
    out.extend(block(&mut c, &[], FlushCompress::Finish));
    out
}

/// The sample's cash-flow workbook with its sheet replaced by a bomb that declares
/// `declared` bytes unpacked.
fn bomb_workbook(sample: &Path, gib: usize, declared: u32) -> Vec<u8> {
    let mut entries = Vec::new();
    for (name, data) in entries_of(sample) {
        if name.starts_with("xl/worksheets/sheet") {
            let prefix = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
            let data = deflate_bomb(prefix, gib);
            entries.push(RawEntry {
                name,
                method: 8,
                data,
                crc: 0,
                size: declared,
            });
        } else {
            entries.push(RawEntry::stored(&name, &data));
        }
    }
    raw_zip(&entries)
}

/// Fails the test if `f` takes longer than `limit` (generous: debug builds, a shared
/// machine); the release numbers are in docs/limits.md.
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    let took = t.elapsed();
    assert!(took < limit, "{what} took {took:?}");
    r
}

// ------------------------------------------------------------ YAML and files

#[test]
fn a_missing_audit_yaml_is_named() {
    let dir = copy_sample("no-audit-yaml");
    std::fs::remove_file(dir.join("audit.yaml")).unwrap();
    refused(&dir, "load::no-audit", "audit.yaml");
}

#[test]
fn a_missing_narrative_is_named() {
    let dir = copy_sample("no-narrative");
    std::fs::remove_file(dir.join("narratives/05-feasibility.yaml")).unwrap();
    refused(&dir, "load::missing", "narratives/05-feasibility.yaml");
}

#[test]
fn empty_and_whitespace_files_are_named() {
    for (file, text) in [
        ("audit.yaml", ""),
        ("narratives/07-continuous.yaml", "  \n\t\n   "),
        ("narratives/02-pre-assessment.yaml", "# only a comment\n"),
    ] {
        let dir = copy_sample("empty-yaml");
        std::fs::write(dir.join(file), text).unwrap();
        let code = if text.contains('#') {
            "yaml::invalid"
        } else {
            "load::empty"
        };
        refused(&dir, code, file);
    }
}

#[test]
fn invalid_utf8_names_the_file_and_offset() {
    let dir = copy_sample("utf8");
    let path = dir.join("narratives/03-assessment.yaml");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.splice(100..100, [0xFF, 0xFE, 0xC0]);
    std::fs::write(&path, bytes).unwrap();
    let d = refused(&dir, "load::utf8", "narratives/03-assessment.yaml");
    assert!(
        d["message"].as_str().unwrap().contains("offset 100"),
        "{d:#}"
    );
}

#[test]
fn a_yaml_syntax_error_gives_the_line() {
    let dir = copy_sample("syntax");
    edit(&dir.join("audit.yaml"), "  round: 2", "  round: [2");
    let d = refused(&dir, "yaml::invalid", "audit.yaml");
    assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
}

#[test]
fn a_wrong_type_gives_the_line() {
    let dir = copy_sample("type");
    edit(&dir.join("audit.yaml"), "  staff: 780", "  staff: many");
    let d = refused(&dir, "yaml::invalid", "audit.yaml");
    assert_line(&d, 25);
}

#[test]
fn deeply_nested_yaml_hits_the_depth_limit() {
    let dir = copy_sample("deep");
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    edit(
        &dir.join("audit.yaml"),
        "  staff: 780",
        &format!("  staff: {deep}"),
    );
    // The typed reader refuses the first `[` where a number belongs; no recursion.
    let d = within(Duration::from_secs(10), "deep YAML", || {
        refused(&dir, "yaml::invalid", "audit.yaml")
    });
    assert_line(&d, 25);
    // Where any value is read (a key the model does not know is still parsed first),
    // the depth limit stops it. Block nesting too.
    let dir = copy_sample("deep-block");
    let mut block = String::from("\nextra:\n");
    for i in 0..200 {
        block.push_str(&" ".repeat(2 * (i + 1)));
        block.push_str("a:\n");
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(dir.join("narratives/07-continuous.yaml"))
        .unwrap()
        .write_all(block.as_bytes())
        .unwrap();
    refused_any(
        &dir,
        &["limit::yaml-depth", "yaml::invalid"],
        "narratives/07-continuous.yaml",
    );
}

#[test]
fn an_oversized_yaml_file_hits_the_size_limit() {
    let dir = copy_sample("big-yaml");
    let long = "长".repeat(2 << 20);
    edit(
        &dir.join("narratives/04-options.yaml"),
        "generation:\n  zh: |-\n",
        &format!("generation:\n  zh: |-\n    {long}\n"),
    );
    let d = refused(&dir, "limit::yaml-bytes", "narratives/04-options.yaml");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_YAML_BYTES")
    );
    // The variable raises it; the one value of 2 Mi characters then meets the limit
    // of a prose field, and with that raised too the same file is read (and checks
    // clean).
    let raised = [("CPAUDIT_MAX_YAML_BYTES", "16M")];
    let d = refused_with_env(
        &dir,
        "limit::prose-chars",
        "narratives/04-options.yaml",
        &raised,
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_PROSE_CHARS"),
        "{d:#}"
    );
    let (status, json, _) = run_json(
        "check",
        &dir,
        &[raised[0], ("CPAUDIT_MAX_PROSE_CHARS", "4M")],
    );
    assert_eq!(status, Some(0), "{json:#}");
}

#[test]
fn a_very_long_string_in_a_short_field_is_read() {
    // 200 KB in one line of an id: accepted by the loader, refused by the checks for
    // what it is (an option id that no reference names), never a crash.
    let dir = copy_sample("long-id");
    let long = "F".repeat(200_000);
    edit(
        &dir.join("narratives/04-options.yaml"),
        "  - id: F02\n",
        &format!("  - id: {long}\n"),
    );
    let (status, json, _) = within(Duration::from_secs(20), "long id", || {
        run_json("check", &dir, &[])
    });
    assert!(status == Some(0) || status == Some(1), "{json:#}");
}

#[test]
fn duplicate_ids_name_both_places() {
    let dir = copy_sample("dup");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "  - id: F02\n",
        "  - id: F01\n",
    );
    let d = refused(&dir, "check::duplicate-id", "narratives/04-options.yaml");
    assert_line(&d, 64);
    assert_eq!(d["related"][0]["place"]["line"], 42, "{d:#}");
}

#[test]
fn a_dangling_reference_is_named() {
    let dir = copy_sample("dangling2");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "    unit: U1\n",
        "    unit: U99\n",
    );
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(1), "{json:#}");
    let hit = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains("U99"))
        .cloned()
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(hit["place"]["path"], "narratives/04-options.yaml");
}

#[test]
fn dates_in_the_wrong_order_are_refused() {
    let dir = copy_sample("dates");
    edit(
        &dir.join("audit.yaml"),
        "report_date: \"2026-10-30\"",
        "report_date: \"2026-03-01\"",
    );
    let d = refused(&dir, "check::date-order", "audit.yaml");
    let line = std::fs::read_to_string(dir.join("audit.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("report_date: \"2026-03-01\""))
        .unwrap()
        + 1;
    assert_line(&d, line as u64);
    let dir = copy_sample("bad-date");
    edit(
        &dir.join("audit.yaml"),
        "report_date: \"2026-10-30\"",
        "report_date: \"2026-02-30\"",
    );
    refused(&dir, "check::date", "audit.yaml");
}

// ---------------------------------------------------------------- workbooks

#[test]
fn a_truncated_workbook_is_damaged() {
    let dir = copy_sample("truncated");
    let path = dir.join("data/balance.xlsx");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let d = refused(&dir, "workbook::damaged", "data/balance.xlsx");
    assert!(
        d["message"].as_str().unwrap().contains("cut short"),
        "{d:#}"
    );
}

#[test]
fn a_corrupt_workbook_is_damaged() {
    let dir = copy_sample("corrupt");
    let path = dir.join("data/water.xlsx");
    let mut bytes = std::fs::read(&path).unwrap();
    // Scribble over the middle of the archive (compressed sheet data).
    let mid = bytes.len() / 3;
    for b in &mut bytes[mid..mid + 400] {
        *b ^= 0x5A;
    }
    std::fs::write(&path, bytes).unwrap();
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(1), "{json:#}");
    let d = &json["diagnostics"][0];
    assert_eq!(d["place"]["path"], "data/water.xlsx", "{json:#}");
    assert!(
        ["workbook::damaged", "workbook::open", "workbook::read"]
            .contains(&d["code"].as_str().unwrap()),
        "{json:#}"
    );
}

#[test]
fn text_files_named_like_workbooks_are_described() {
    for (content, says) in [
        (&b"year,quantity\n2025,3\n"[..], "CSV"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "HTML"),
        (b"", "empty"),
        (b"   \n\n  ", "white space"),
        (b"\x00\x01\x02garbage\xff", "neither"),
    ] {
        let dir = copy_sample("text-as-xlsx");
        std::fs::write(dir.join("data/cashflows.xlsx"), content).unwrap();
        let d = refused(&dir, "workbook::damaged", "data/cashflows.xlsx");
        assert!(d["message"].as_str().unwrap().contains(says), "{d:#}");
    }
}

#[test]
fn other_zip_files_named_like_workbooks_are_described() {
    for (entry, says) in [
        ("xl/workbook.bin", ".xlsb"),
        ("word/document.xml", "Word"),
        ("readme.txt", "zip archive"),
    ] {
        let dir = copy_sample("zip-as-xlsx");
        let zip = raw_zip(&[RawEntry::stored(entry, b"<x/>")]);
        std::fs::write(dir.join("data/cashflows.xlsx"), zip).unwrap();
        let d = refused(&dir, "workbook::damaged", "data/cashflows.xlsx");
        assert!(d["message"].as_str().unwrap().contains(says), "{d:#}");
    }
}

#[test]
fn a_missing_sheet_is_named_with_the_sheets_there() {
    let dir = copy_sample("no-sheet");
    mutate(&dir, "data/cashflows.xlsx", |s| s[0].0 = "Sheet1".into());
    let d = refused(&dir, "workbook::sheet", "data/cashflows.xlsx");
    assert!(d["help"].as_str().unwrap().contains("`Sheet1`"), "{d:#}");
}

#[test]
fn a_missing_column_names_the_header_row() {
    let dir = copy_sample("no-column");
    mutate(&dir, "data/water.xlsx", |s| {
        let cells = &mut s[0].1;
        let unit = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains("单位"))
            .map(|(k, _)| *k)
            .unwrap();
        cells.insert(unit, Data::String("备注 Remarks".into()));
    });
    let d = refused(&dir, "workbook::missing-column", "data/water.xlsx");
    assert_eq!(d["place"]["kind"], "cell", "{d:#}");
    // The headers there are echoed as typed, not lower-cased, and the one to add is
    // named in both languages.
    let help = d["help"].as_str().unwrap();
    assert!(help.contains("`备注 Remarks`"), "{d:#}");
    assert!(help.contains("`单位 Unit`"), "{d:#}");
}

/// Renames the header of the streams sheet that holds `from` to `to`; returns its column.
fn rename_stream_header(dir: &Path, from: &str, to: &str) -> u32 {
    let mut col = None;
    mutate(dir, "data/balance.xlsx", |s| {
        let cells = sheet(s, "Streams");
        let at = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && matches!(v, Data::String(s) if s == from))
            .map(|(k, _)| *k)
            .unwrap();
        cells.insert(at, Data::String(to.into()));
        col = Some(at.1);
    });
    col.unwrap()
}

#[test]
fn a_header_typo_is_one_error_at_its_cell_with_the_header_expected() {
    // Both halves mistyped (one half right would still be read).
    let dir = copy_sample("header-typo");
    let col = rename_stream_header(&dir, "类别 Kind", "类剐 Knid");
    let d = refused(&dir, "workbook::missing-column", "data/balance.xlsx");
    assert_cell(
        &d,
        "物料 Streams",
        &format!("{}1", (b'A' + col as u8) as char),
    );
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("类剐 Knid"), "{d:#}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `类别 Kind`?"),
        "{d:#}"
    );
    // One error, no follow-on errors about the components' stream ids.
    let (_, json, _) = run_json("check", &dir, &[]);
    let errors: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{json:#}");
    // One half right is enough: the sheet reads as before.
    let dir = copy_sample("header-half");
    rename_stream_header(&dir, "类别 Kind", "类别 Knid");
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
}

#[test]
fn a_typo_in_an_optional_header_is_a_warning_naming_it() {
    let dir = copy_sample("optional-typo");
    let col = rename_stream_header(&dir, "英文名称 Name (EN)", "Nmae (EN)");
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "workbook::unknown-column")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_cell(
        d,
        "物料 Streams",
        &format!("{}1", (b'A' + col as u8) as char),
    );
    assert!(
        d["help"].as_str().unwrap().contains("英文名称 Name (EN)"),
        "{d:#}"
    );
}

/// Replaces the value of the cash flow of the second row.
fn cash_flow(dir: &Path, value: Data) {
    mutate(dir, "data/cashflows.xlsx", |s| {
        sheet(s, "Cash").insert((1, 2), value);
    });
}

#[test]
fn bad_quantities_name_the_cell() {
    for (value, code) in [
        (Data::String("约3t".into()), "workbook::not-a-number"),
        (Data::String("12,5".into()), "workbook::not-a-number"),
        (Data::String("NaN".into()), "workbook::not-finite"),
        (Data::String("inf".into()), "workbook::not-finite"),
        (Data::String("-Infinity".into()), "workbook::not-finite"),
        (Data::String("1e999".into()), "workbook::not-finite"),
        (Data::Bool(true), "workbook::not-a-number"),
    ] {
        let dir = copy_sample("bad-number");
        cash_flow(&dir, value);
        let d = refused(&dir, code, "data/cashflows.xlsx");
        assert_cell(&d, "现金流 Cash flows", "C2");
    }
}

#[test]
fn a_negative_measured_quantity_names_the_cell() {
    let dir = copy_sample("negative");
    let mut at = None;
    mutate(&dir, "data/balance.xlsx", |s| {
        let cells = sheet(s, "Streams");
        let batch = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains("Batch 1"))
            .map(|((_, c), _)| *c)
            .unwrap();
        cells.insert((1, batch), Data::Float(-2.5));
        at = Some(batch);
    });
    let d = refused(&dir, "balance::negative", "data/balance.xlsx");
    let col = (b'A' + at.unwrap() as u8) as char;
    assert_cell(
        &d,
        d["place"]["sheet"].as_str().unwrap(),
        &format!("{col}2"),
    );
}

#[test]
fn a_unit_of_the_wrong_dimension_names_the_cell() {
    let dir = copy_sample("units");
    mutate(&dir, "data/balance.xlsx", |s| {
        let cells = sheet(s, "Streams");
        let unit = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains("Unit"))
            .map(|((_, c), _)| *c)
            .unwrap();
        cells.insert((1, unit), Data::String("kWh".into()));
    });
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(1), "{json:#}");
    let hit = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains("kWh"))
        .cloned()
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(hit["place"]["path"], "data/balance.xlsx", "{hit:#}");
    assert_eq!(hit["place"]["kind"], "cell", "{hit:#}");
    // One error for the row: not one per batch, nor again per pollutant-factor row.
    let units = codes(&json)
        .iter()
        .filter(|c| *c == "units::convert")
        .count();
    assert_eq!(units, 1, "{json:#}");
    // kg against t is a conversion, not an error: the same stream in kg gives the
    // same balance.
    let (_, expected, _) = run_json("check", &sample(), &[]);
    let dir = copy_sample("kg");
    mutate(&dir, "data/balance.xlsx", |s| {
        let cells = sheet(s, "Streams");
        let header: Vec<(u32, String)> = cells
            .iter()
            .filter(|((r, _), _)| *r == 0)
            .map(|((_, c), v)| (*c, v.to_string()))
            .collect();
        let unit = header.iter().find(|(_, h)| h.contains("Unit")).unwrap().0;
        assert_eq!(cells[&(1, unit)].to_string(), "t");
        cells.insert((1, unit), Data::String("kg".into()));
        for (c, _) in header.iter().filter(|(_, h)| h.contains("Batch")) {
            let t = match cells[&(1, *c)] {
                Data::Float(f) => f,
                Data::Int(i) => i as f64,
                ref other => panic!("{other:?}"),
            };
            cells.insert((1, *c), Data::Float(t * 1000.0));
        }
    });
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
    assert_eq!(json["results"]["balance"], expected["results"]["balance"]);
}

#[test]
fn a_declared_workbook_that_is_missing_is_named() {
    let dir = copy_sample("no-workbook");
    std::fs::remove_file(dir.join("data/water.xlsx")).unwrap();
    let d = refused(&dir, "load::missing-workbook", "audit.yaml");
    assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
}

#[test]
fn xls_and_ods_copies_of_the_sample_check_the_same() {
    let (_, expected, _) = run_json("check", &sample(), &[]);
    for ext in ["xls", "ods"] {
        let dir = copy_sample(ext);
        for f in ["status", "balance", "water", "emissions", "cashflows"] {
            std::fs::remove_file(dir.join(format!("data/{f}.xlsx"))).unwrap();
            std::fs::copy(
                corpus(&format!("{ext}/{f}.{ext}")),
                dir.join(format!("data/{f}.{ext}")),
            )
            .unwrap();
            edit(
                &dir.join("audit.yaml"),
                &format!("data/{f}.xlsx"),
                &format!("data/{f}.{ext}"),
            );
        }
        let (status, json, _) = run_json("check", &dir, &[]);
        assert_eq!(status, Some(0), "{ext}: {json:#}");
        assert_eq!(
            json["results"]["balance"], expected["results"]["balance"],
            "{ext}: the balance differs"
        );
    }
}

#[test]
fn damaged_xls_and_ods_files_are_refused() {
    for ext in ["xls", "ods"] {
        let src = std::fs::read(corpus(&format!("{ext}/cashflows.{ext}"))).unwrap();
        for (what, bytes) in [
            ("truncated", src[..src.len() / 2].to_vec()),
            ("scribbled", {
                let mut b = src.clone();
                let n = b.len();
                for x in &mut b[n / 4..n / 2] {
                    *x = x.wrapping_mul(31).wrapping_add(7);
                }
                b
            }),
        ] {
            let dir = copy_sample("damaged-old");
            std::fs::write(dir.join(format!("data/cashflows.{ext}")), bytes).unwrap();
            edit(
                &dir.join("audit.yaml"),
                "data/cashflows.xlsx",
                &format!("data/cashflows.{ext}"),
            );
            let (status, json, stderr) = run_json("check", &dir, &[]);
            assert_eq!(status, Some(1), "{ext} {what}: {json:#} {stderr}");
            let path = format!("data/cashflows.{ext}");
            assert!(
                json["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["place"]["path"] == path.as_str()),
                "{ext} {what}: {json:#}"
            );
        }
    }
}

// -------------------------------------------------------------- bombs

#[test]
fn a_zip_bomb_is_refused_quickly() {
    // Declared honestly (4 GiB), the sum of declared sizes is over the limit; declared
    // as 4 KiB or 60 MiB, the entry outgrows its declared size long before it reaches
    // the limit, and the real size is counted anyway.
    for (declared, code, says) in [
        (
            u32::MAX,
            "limit::workbook-unpacked",
            "CPAUDIT_MAX_WORKBOOK_UNPACKED",
        ),
        (4096, "workbook::damaged", "declared"),
        (60 << 20, "workbook::damaged", "declared"),
    ] {
        let dir = copy_sample("bomb");
        let bomb = bomb_workbook(&dir.join("data/cashflows.xlsx"), 2, declared);
        assert!(bomb.len() < 4 << 20, "the bomb is {} bytes", bomb.len());
        std::fs::write(dir.join("data/cashflows.xlsx"), &bomb).unwrap();
        let d = within(Duration::from_secs(10), "the zip bomb", || {
            refused(&dir, code, "data/cashflows.xlsx")
        });
        assert!(d.to_string().contains(says), "{d:#}");
    }
    // With the limit raised above the declared size, the real size still counts.
    let dir = copy_sample("bomb-raised");
    let bomb = bomb_workbook(&dir.join("data/cashflows.xlsx"), 2, 200 << 20);
    std::fs::write(dir.join("data/cashflows.xlsx"), &bomb).unwrap();
    within(Duration::from_secs(20), "the zip bomb", || {
        refused_with_env(
            &dir,
            "limit::workbook-unpacked",
            "data/cashflows.xlsx",
            &[("CPAUDIT_MAX_WORKBOOK_UNPACKED", "100M")],
        )
    });
}

#[test]
fn the_bomb_really_expands() {
    use std::io::Read;
    let bomb = deflate_bomb(b"<x>", 1);
    let mut n = 0u64;
    let mut r = flate2::read::DeflateDecoder::new(&bomb[..]).take(300 << 20);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let k = r.read(&mut buf).unwrap();
        if k == 0 {
            break;
        }
        n += k as u64;
    }
    assert_eq!(
        n,
        300 << 20,
        "a {} byte stream gave only {n} bytes",
        bomb.len()
    );
}

#[test]
fn too_many_zip_entries_are_refused() {
    let dir = copy_sample("entries");
    let mut entries: Vec<RawEntry> = entries_of(&dir.join("data/cashflows.xlsx"))
        .iter()
        .map(|(n, d)| RawEntry::stored(n, d))
        .collect();
    for i in 0..5000 {
        entries.push(RawEntry::stored(&format!("junk/{i}"), b""));
    }
    std::fs::write(dir.join("data/cashflows.xlsx"), raw_zip(&entries)).unwrap();
    refused(&dir, "limit::workbook-entries", "data/cashflows.xlsx");
}

#[test]
fn a_lying_shared_string_count_is_refused() {
    // calamine reserves room for the declared count: u64::MAX / 2 strings would abort
    // the process. The sample's workbooks have inline strings, so add a table.
    let dir = copy_sample("sst");
    let mut entries: Vec<RawEntry> = entries_of(&dir.join("data/status.xlsx"))
        .into_iter()
        .filter(|(n, _)| n != "xl/sharedStrings.xml")
        .map(|(n, d)| RawEntry::stored(&n, &d))
        .collect();
    let sst = format!(
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"{}\"><si><t>x</t></si></sst>",
        u64::MAX / 2
    );
    entries.push(RawEntry::stored("xl/sharedStrings.xml", sst.as_bytes()));
    std::fs::write(dir.join("data/status.xlsx"), raw_zip(&entries)).unwrap();
    let d = within(Duration::from_secs(10), "the string-count lie", || {
        refused(&dir, "workbook::damaged", "data/status.xlsx")
    });
    assert!(d["message"].as_str().unwrap().contains("declares"), "{d:#}");
}

#[test]
fn a_used_range_of_a_million_rows_is_read_sparsely() {
    // A1..XFD1048576 in an .xlsx: streamed, two far cells cost nothing; the far cell
    // is then an incomplete row, reported at its place.
    let dir = copy_sample("dense");
    mutate(&dir, "data/cashflows.xlsx", |s| {
        sheet(s, "Cash").insert((1_048_575, 16_383), Data::Float(1.0));
    });
    let d = within(Duration::from_secs(10), "the dense .xlsx", || {
        refused(&dir, "workbook::empty-cell", "data/cashflows.xlsx")
    });
    assert_eq!(d["place"]["cell"], "A1048576", "{d:#}");
}

#[test]
fn dense_xls_and_ods_grids_are_refused_before_they_are_built() {
    let dir = copy_sample("dense-xls");
    std::fs::copy(corpus("xls/dense.xls"), dir.join("data/cashflows.xls")).unwrap();
    edit(
        &dir.join("audit.yaml"),
        "data/cashflows.xlsx",
        "data/cashflows.xls",
    );
    within(Duration::from_secs(10), "the dense .xls", || {
        refused(&dir, "limit::sheet-area", "data/cashflows.xls")
    });

    let dir = copy_sample("dense-ods");
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="现金流 Cash flows"><table:table-row table:number-rows-repeated="60000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = raw_zip(&[
        RawEntry::stored(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        RawEntry::stored("content.xml", content.as_bytes()),
    ]);
    std::fs::write(dir.join("data/cashflows.ods"), ods).unwrap();
    edit(
        &dir.join("audit.yaml"),
        "data/cashflows.xlsx",
        "data/cashflows.ods",
    );
    within(Duration::from_secs(10), "the dense .ods", || {
        refused(&dir, "limit::sheet-area", "data/cashflows.ods")
    });
}

#[test]
fn limits_are_named_and_can_be_changed() {
    let dir = copy_sample("limits");
    let d = refused_with_env(
        &dir,
        "limit::workbook-bytes",
        "data/status.xlsx",
        &[("CPAUDIT_MAX_WORKBOOK_BYTES", "1K")],
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_WORKBOOK_BYTES"),
        "{d:#}"
    );
    let d = refused_with_env(
        &dir,
        "limit::sheet-cells",
        "data/status.xlsx",
        &[("CPAUDIT_MAX_SHEET_CELLS", "20")],
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_SHEET_CELLS"),
        "{d:#}"
    );
    refused_with_env(
        &dir,
        "limit::workbook-text",
        "data/status.xlsx",
        &[("CPAUDIT_MAX_WORKBOOK_TEXT", "100")],
    );
    refused_with_env(
        &dir,
        "limit::yaml-nodes",
        "narratives/02-pre-assessment.yaml",
        &[("CPAUDIT_MAX_YAML_NODES", "1000")],
    );
}

// ------------------------------------------------------------ paths and links

#[test]
fn workbook_paths_leaving_the_folder_are_refused() {
    let outside = scratch("outside-wb");
    std::fs::copy(sample().join("data/water.xlsx"), outside.join("water.xlsx")).unwrap();
    for path in [
        "../outside.xlsx".to_string(),
        "data/../../water.xlsx".to_string(),
        outside.join("water.xlsx").display().to_string(),
        "/etc/passwd".to_string(),
        "data\\water.xlsx".to_string(),
    ] {
        let dir = copy_sample("wb-escape");
        edit(
            &dir.join("audit.yaml"),
            "water: data/water.xlsx",
            &format!("water: '{path}'"),
        );
        let d = refused(&dir, "load::path", "audit.yaml");
        assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
    }
}

#[test]
fn links_leaving_the_folder_are_refused() {
    let outside = scratch("outside-links");
    std::fs::copy(sample().join("data/water.xlsx"), outside.join("water.xlsx")).unwrap();
    std::fs::create_dir_all(outside.join("data")).unwrap();
    for f in std::fs::read_dir(sample().join("data")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), outside.join("data").join(f.file_name())).unwrap();
    }
    std::fs::create_dir_all(outside.join("evidence")).unwrap();
    std::fs::write(outside.join("evidence/secret.txt"), "secret").unwrap();
    let link = |to: &Path, at: &Path| std::os::unix::fs::symlink(to, at).unwrap();

    // A workbook declared in audit.yaml that is a link to a file outside.
    let dir = copy_sample("wb-link");
    std::fs::remove_file(dir.join("data/water.xlsx")).unwrap();
    link(&outside.join("water.xlsx"), &dir.join("data/water.xlsx"));
    refused(&dir, "load::path", "audit.yaml");

    // The whole data/ folder a link to a folder outside.
    let dir = copy_sample("data-link");
    std::fs::remove_dir_all(dir.join("data")).unwrap();
    link(&outside.join("data"), &dir.join("data"));
    refused(&dir, "load::path", "audit.yaml");

    // A narrative that is a link to /etc/passwd.
    let dir = copy_sample("narrative-link");
    std::fs::remove_file(dir.join("narratives/07-continuous.yaml")).unwrap();
    link(
        Path::new("/etc/passwd"),
        &dir.join("narratives/07-continuous.yaml"),
    );
    refused(&dir, "load::path", "narratives/07-continuous.yaml");

    // A regulation profile of the audit that is a link to /etc/passwd.
    let dir = copy_sample("profile-link");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    link(Path::new("/etc/passwd"), &dir.join("profiles/evil.yaml"));
    refused(&dir, "load::path", "profiles/evil.yaml");

    // Evidence files that are links to /etc/passwd and to a file outside.
    for target in [
        Path::new("/etc/passwd"),
        &outside.join("evidence/secret.txt"),
    ] {
        let dir = copy_sample("evidence-link");
        link(target, &dir.join("evidence/passwd.txt"));
        refused(&dir, "evidence::link", "evidence/passwd.txt");
    }

    // A link in a subfolder of evidence/, and a dangling one.
    let dir = copy_sample("evidence-sub-link");
    std::fs::create_dir_all(dir.join("evidence/2026")).unwrap();
    link(
        Path::new("/etc/hostname"),
        &dir.join("evidence/2026/host.txt"),
    );
    refused(&dir, "evidence::link", "evidence/2026/host.txt");

    // evidence/ itself a link to a folder outside, and to /etc.
    for target in [outside.join("evidence"), PathBuf::from("/etc")] {
        let dir = copy_sample("evidence-dir-link");
        std::fs::rename(dir.join("evidence"), dir.join("evidence-real")).unwrap();
        link(&target, &dir.join("evidence"));
        let (status, json, _) = run_json("check", &dir, &[]);
        assert_eq!(status, Some(1), "{json:#}");
        let diags = json["diagnostics"].as_array().unwrap();
        assert!(
            diags
                .iter()
                .any(|d| d["code"] == "evidence::link" && d["place"]["path"] == "evidence"),
            "{json:#}"
        );
        let text = json.to_string();
        assert!(
            !text.contains("secret.txt") && !text.contains("passwd\""),
            "{json:#}"
        );
        let out = run(&["build", dir.to_str().unwrap()], &[]);
        assert_eq!(out.status.code(), Some(1));
        assert!(!dir.join("build").exists());
    }

    // Links that stay inside the folder are fine.
    let dir = copy_sample("inside-link");
    link(
        Path::new("monitoring-2026-05.txt"),
        &dir.join("evidence/copy.txt"),
    );
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
}

#[test]
fn evidence_paths_leaving_the_folder_are_refused() {
    for path in ["../../etc/passwd", "/etc/passwd", "evidence/../../x.txt"] {
        let dir = copy_sample("ev-escape");
        edit(
            &dir.join("audit.yaml"),
            "path: evidence/permit-excerpt.txt",
            &format!("path: '{path}'"),
        );
        let d = refused(&dir, "evidence::path", "audit.yaml");
        assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
    }
}

// ------------------------------------------------------- a failed build

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_failed_build_leaves_the_previous_output_byte_for_byte() {
    let dir = copy_sample("keep");
    let out = dir.join("build");
    let o = run(&["build", dir.to_str().unwrap()], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = snapshot(&out);
    assert!(before.len() > 10);
    let pristine = copy_sample("keep-pristine");

    type Breakage = Box<dyn Fn(&Path)>;
    let breakages: Vec<(&str, Breakage, i32)> = vec![
        (
            "damaged workbook",
            Box::new(|d: &Path| {
                std::fs::write(d.join("data/water.xlsx"), b"PK\x03\x04junk").unwrap()
            }),
            1,
        ),
        (
            "zip bomb",
            Box::new(|d: &Path| {
                let b = bomb_workbook(&d.join("data/cashflows.xlsx"), 1, 4096);
                std::fs::write(d.join("data/cashflows.xlsx"), b).unwrap();
            }),
            1,
        ),
        (
            "YAML syntax",
            Box::new(|d: &Path| edit(&d.join("audit.yaml"), "  round: 2", "  round: [2")),
            1,
        ),
        (
            "no audit.yaml",
            Box::new(|d: &Path| std::fs::remove_file(d.join("audit.yaml")).unwrap()),
            1,
        ),
        (
            "evidence link",
            Box::new(|d: &Path| {
                std::os::unix::fs::symlink("/etc/passwd", d.join("evidence/p.txt")).unwrap()
            }),
            1,
        ),
        (
            "negative investment",
            Box::new(|d: &Path| {
                edit(
                    &d.join("narratives/04-options.yaml"),
                    "investment: ",
                    "investment: -5 #",
                )
            }),
            1,
        ),
    ];
    for (what, breakage, code) in &breakages {
        breakage(&dir);
        let o = run(&["build", dir.to_str().unwrap()], &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(*code), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert!(
            snapshot(&out) == before,
            "{what}: the previous output changed"
        );
        // Restore the audit for the next breakage.
        let _ = std::fs::remove_file(dir.join("evidence/p.txt"));
        for f in [
            "audit.yaml",
            "data/water.xlsx",
            "data/cashflows.xlsx",
            "narratives/04-options.yaml",
        ] {
            std::fs::copy(pristine.join(f), dir.join(f)).unwrap();
        }
    }

    // An output failure after the documents were made: --emit-typst into a file.
    let blocker = dir.join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let o = run(
        &[
            "build",
            dir.to_str().unwrap(),
            "--emit-typst",
            blocker.join("sub").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        snapshot(&out) == before,
        "emit-typst failure: the previous output changed"
    );

    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".build"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind");
}

// ------------------------------------------------------------ Typst injection

/// Text with every whitespace removed, for comparing PDF text across line breaks.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{ad}')
        .collect()
}

#[test]
fn typst_syntax_in_prose_and_cells_prints_literally_and_reads_nothing() {
    let dir = copy_sample("inject-all");
    // A multi-paragraph prose field: imports, includes, raw blocks, math, labels.
    edit(
        &dir.join("narratives/01-preparation.yaml"),
        "    After the company was put",
        concat!(
            "    HOSTILE-P1 #import \"/etc/passwd\": * #include \"/etc/passwd\" ```typ #read(\"/etc/passwd\")``` `raw` $ sum $ <lbl> @lbl\n",
            "\n",
            "    HOSTILE-P2 #image(\"/etc/passwd\") #plugin(\"/x.wasm\") #eval(\"1+1\") ] ) } // #{ panic() }\n",
            "\n",
            "    After the company was put"
        ),
    );
    // A table cell from a workbook's name column.
    mutate(&dir, "data/status.xlsx", |s| {
        let cells = sheet(s, "Materials");
        let at = cells
            .iter()
            .find(|(_, v)| matches!(v, Data::String(s) if s == "Reactive dyes"))
            .map(|(k, _)| *k)
            .expect("no Reactive dyes");
        for (k, v) in cells.iter_mut() {
            if *v == Data::String("Reactive dyes".into()) && k.1 == at.1 {
                *v = Data::String(
                    r#"HOSTILE-C #image("/etc/passwd") #plugin("p.wasm") \ ] ["#.into(),
                );
            }
        }
    });
    // Control characters (NUL, BEL, ESC) in a name.
    edit(
        &dir.join("audit.yaml"),
        "en: Chen Zhenhua",
        r#"en: "Chen\0Zhen\u0007hua\u001b[31m""#,
    );
    let o = run(&["build", dir.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    if !have("pdftotext") {
        return;
    }
    let report = pdf_text(&dir.join("build/report.en.pdf"));
    let notice = pdf_text(&dir.join("build/notice.en.pdf"));
    let all = squeeze(&format!("{report}{notice}"));
    for token in [
        r#"HOSTILE-P1#import"/etc/passwd":*#include"/etc/passwd""#,
        r#"```typ#read("/etc/passwd")```"#,
        "`raw`$sum$<lbl>@lbl",
        r#"HOSTILE-P2#image("/etc/passwd")#plugin("/x.wasm")#eval("1+1")])}//#{panic()}"#,
        // The table cell wraps between other columns: its two lines.
        r#"HOSTILE-C#image("/etc/"#,
        r#"passwd")#plugin("p.wasm")\]["#,
    ] {
        assert!(all.contains(&squeeze(token)), "missing {token} in the PDFs");
    }
    assert!(
        all.contains("Chen"),
        "the name with control characters is missing"
    );
    assert!(!all.contains("root:x:0"), "a file was read");
}

// ------------------------------------------------- evidence names and entries

/// `check` (JSON) and `build` refuse the audit with an error `code` at `path`, and the
/// build's human output never shows `raw` (a name's invisible character) unescaped.
fn refused_never_showing(dir: &Path, code: &str, path: &str, raw: &str) -> Value {
    let d = within(Duration::from_secs(30), code, || refused(dir, code, path));
    let (_, json, _) = run_json("check", dir, &[]);
    assert!(!json.to_string().contains(raw), "{json:#}");
    let out = run(&["build", dir.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(raw), "shown raw: {stderr}");
    d
}

#[test]
fn evidence_names_with_invisible_characters_name_the_code_point() {
    for (c, says) in [
        ('\u{202E}', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ('\u{202A}', "U+202A LEFT-TO-RIGHT EMBEDDING"),
        ('\u{2067}', "U+2067 RIGHT-TO-LEFT ISOLATE"),
        ('\u{200F}', "U+200F RIGHT-TO-LEFT MARK"),
        ('\u{061C}', "U+061C ARABIC LETTER MARK"),
        ('\u{200B}', "U+200B ZERO WIDTH SPACE"),
        ('\u{200D}', "U+200D ZERO WIDTH JOINER"),
        ('\u{2060}', "U+2060 WORD JOINER"),
        ('\u{FEFF}', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ('\u{1B}', "U+001B ESCAPE"),
        ('\u{7}', "U+0007"),
        ('\u{9B}', "U+009B"),
    ] {
        let dir = copy_sample("ev-invisible");
        std::fs::write(dir.join(format!("evidence/invoice{c}fdp.exe")), "x").unwrap();
        let shown = format!("evidence/invoice\\u{{{:04X}}}fdp.exe", c as u32);
        let d = refused_never_showing(&dir, "evidence::name", &shown, &c.to_string());
        let message = d["message"].as_str().unwrap();
        assert!(message.contains(says), "{d:#}");
        assert!(message.contains(&shown), "{d:#}");
        let help = d["help"].as_str().unwrap();
        assert!(
            help.contains("rename") && help.contains("evidence/invoicefdp.exe"),
            "{d:#}"
        );
    }
}

#[test]
fn a_folder_with_an_invisible_character_is_named_once() {
    let dir = copy_sample("ev-invisible-folder");
    let folder = dir.join("evidence/2026\u{202E}fdp");
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..5 {
        std::fs::write(folder.join(format!("{i}.txt")), "x").unwrap();
    }
    let d = refused_never_showing(
        &dir,
        "evidence::name",
        "evidence/2026\\u{202E}fdp",
        "\u{202E}",
    );
    assert!(d["message"].as_str().unwrap().contains("folder"), "{d:#}");
    let (_, json, _) = run_json("check", &dir, &[]);
    assert_eq!(
        codes(&json)
            .iter()
            .filter(|c| *c == "evidence::name")
            .count(),
        1,
        "{json:#}"
    );
}

#[cfg(unix)]
#[test]
fn an_evidence_name_that_is_not_utf8_is_named_escaped() {
    use std::os::unix::ffi::OsStrExt;
    // A GBK name (监测 = BC E0 B2 E2): the file exists and must be named, not reported
    // as missing.
    let dir = copy_sample("ev-gbk");
    let name = std::ffi::OsStr::from_bytes(b"\xBC\xE0\xB2\xE2.txt");
    std::fs::write(dir.join("evidence").join(name), "x").unwrap();
    let d = refused(&dir, "evidence::name", "evidence/\\xBC\\xE0\\xB2\\xE2.txt");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("not UTF-8"), "{d:#}");
    assert!(!message.contains("No such file"), "{d:#}");
    assert!(d["help"].as_str().unwrap().contains("rename"), "{d:#}");
    // A folder of such a name is named once, not each file in it.
    let dir = copy_sample("ev-gbk-folder");
    let folder = dir.join("evidence").join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for i in 0..3 {
        std::fs::write(folder.join(format!("{i}.txt")), "x").unwrap();
    }
    refused(&dir, "evidence::name", "evidence/\\xBC\\xE0\\xB2\\xE2.txt");
    let (_, json, _) = run_json("check", &dir, &[]);
    assert_eq!(codes(&json), ["evidence::name"], "{json:#}");
}

#[cfg(unix)]
#[test]
fn special_files_in_evidence_are_errors_not_skipped() {
    // A FIFO: refused at once by check and build alike (reading it would block).
    let dir = copy_sample("ev-fifo");
    let fifo = dir.join("evidence/pipe.pdf");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let d = within(Duration::from_secs(20), "a FIFO", || {
        refused(&dir, "evidence::special", "evidence/pipe.pdf")
    });
    assert!(d["message"].as_str().unwrap().contains("FIFO"), "{d:#}");

    // A socket.
    let dir = copy_sample("ev-socket");
    let _listener = std::os::unix::net::UnixListener::bind(dir.join("evidence/s.sock")).unwrap();
    let d = refused(&dir, "evidence::special", "evidence/s.sock");
    assert!(d["message"].as_str().unwrap().contains("socket"), "{d:#}");

    // A character device (mknod needs privileges; skipped without them), and a link
    // to one inside the folder.
    let dir = copy_sample("ev-device");
    let made = std::process::Command::new("mknod")
        .arg(dir.join("evidence/null"))
        .args(["c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success());
    if made {
        let d = refused(&dir, "evidence::special", "evidence/null");
        assert!(d["message"].as_str().unwrap().contains("device"), "{d:#}");
    } else {
        eprintln!("skipping the device: mknod is not permitted here");
    }
    let dir = copy_sample("ev-fifo-link");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("../pipe", dir.join("evidence/p.pdf")).unwrap();
    let d = within(Duration::from_secs(20), "a link to a FIFO", || {
        refused(&dir, "evidence::special", "evidence/p.pdf")
    });
    assert!(
        d["message"].as_str().unwrap().contains("link to a FIFO"),
        "{d:#}"
    );

    // A link that leads nowhere, and a link to a folder inside: both would leave
    // files out of the pack without a word.
    let dir = copy_sample("ev-dangling");
    std::os::unix::fs::symlink("gone.pdf", dir.join("evidence/gone-link.pdf")).unwrap();
    refused(&dir, "evidence::link", "evidence/gone-link.pdf");
    let dir = copy_sample("ev-dir-link");
    std::fs::create_dir_all(dir.join("scans")).unwrap();
    std::fs::write(dir.join("scans/a.pdf"), "x").unwrap();
    std::os::unix::fs::symlink("../scans", dir.join("evidence/scans")).unwrap();
    let d = refused(&dir, "evidence::link", "evidence/scans");
    assert!(d["message"].as_str().unwrap().contains("folder"), "{d:#}");
}

// ------------------------------------------------------------ hidden sheets

/// Rewrites the cash-flow workbook with a draft sheet before the real one, the draft
/// hidden (or very hidden) and its every cash flow made -1000; `hide_real` hides the
/// real sheet too. Returns the draft's name.
fn hidden_draft(dir: &Path, very: bool, hide_real: bool) -> String {
    let path = dir.join("data/cashflows.xlsx");
    let book = read_workbook(&path);
    let (real_name, real) = book[0].clone();
    let mut draft = real.clone();
    for ((r, c), v) in draft.iter_mut() {
        if *r > 0 && *c == 2 {
            *v = Data::Float(-1000.0);
        }
    }
    let draft_name = "现金流 旧稿 Cash flows (old draft)".to_string();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, cells, hidden) in [(&draft_name, &draft, true), (&real_name, &real, hide_real)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for ((r, c), v) in cells {
            match v {
                Data::Float(f) => ws.write_number(*r, *c as u16, *f).map(|_| ()),
                Data::Int(i) => ws.write_number(*r, *c as u16, *i as f64).map(|_| ()),
                other => ws
                    .write_string(*r, *c as u16, other.to_string())
                    .map(|_| ()),
            }
            .unwrap();
        }
        if hidden && very {
            ws.set_very_hidden(true);
        } else if hidden {
            ws.set_hidden(true);
        }
    }
    if hide_real {
        // A workbook shows at least one sheet: a third, empty one.
        wb.add_worksheet()
            .set_name("Sheet3")
            .unwrap()
            .set_active(true);
    } else {
        wb.worksheet_from_index(1).unwrap().set_active(true);
    }
    wb.save(&path).unwrap();
    // The file really holds the hidden sheets.
    let opened = cpaudit::load::workbook::Workbook::open(&path, "wb").unwrap();
    assert!(opened.hidden_sheets().contains(&draft_name));
    assert_eq!(opened.hidden_sheets().contains(&real_name), hide_real);
    draft_name
}

#[test]
fn hidden_sheets_are_never_read_and_are_named() {
    let (_, expected, _) = run_json("check", &sample(), &[]);
    for very in [false, true] {
        let dir = copy_sample("hidden-draft");
        let draft = hidden_draft(&dir, very, false);
        let (status, json, _) = run_json("check", &dir, &[]);
        assert_eq!(status, Some(0), "{json:#}");
        // The figures are those of the visible sheet: every verdict unchanged.
        assert_eq!(json["results"], expected["results"], "very hidden: {very}");
        let warning = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "workbook::hidden-sheet")
            .cloned()
            .unwrap_or_else(|| panic!("no warning: {json:#}"));
        assert_eq!(warning["severity"], "warning");
        assert_eq!(warning["place"]["path"], "data/cashflows.xlsx");
        let message = warning["message"].as_str().unwrap();
        assert!(message.contains(&draft), "{warning:#}");
        assert!(message.contains("现金流 Cash flows"), "{warning:#}");
    }
    // With the real sheet hidden too, no visible sheet has the name: an error that
    // says the hidden ones are not read.
    let dir = copy_sample("hidden-all");
    hidden_draft(&dir, false, true);
    let d = refused(&dir, "workbook::sheet", "data/cashflows.xlsx");
    assert!(d["message"].as_str().unwrap().contains("visible"), "{d:#}");
    assert!(d["help"].as_str().unwrap().contains("(hidden)"), "{d:#}");
}

// -------------------------------------------------------------- long cells

#[test]
fn a_cell_longer_than_its_field_is_an_error_at_the_cell() {
    // 32,767 characters (Excel's most) in a stream's name: before, the build failed
    // in PDF export (a PDF string of more than 32,767 characters) naming no cell.
    for (zh, text) in [
        (true, "液".repeat(32_767)),
        (false, "A".repeat(32_767)),
        (false, "N".repeat(201)),
    ] {
        let dir = copy_sample("long-name-cell");
        let mut at = None;
        mutate(&dir, "data/balance.xlsx", |s| {
            let cells = sheet(s, "Streams");
            let header = if zh { "名称 Name" } else { "Name (EN)" };
            let col = cells
                .iter()
                .find(|((r, _), v)| *r == 0 && v.to_string().contains(header))
                .map(|((_, c), _)| *c)
                .unwrap();
            cells.insert((1, col), Data::String(text.clone()));
            at = Some(col);
        });
        let d = within(Duration::from_secs(30), "a long cell", || {
            refused(&dir, "limit::name-chars", "data/balance.xlsx")
        });
        let col = (b'A' + at.unwrap() as u8) as char;
        assert_cell(&d, "物料 Streams", &format!("{col}2"));
        let message = d["message"].as_str().unwrap();
        assert!(message.contains(&text.chars().count().to_string()), "{d:#}");
        assert!(
            message.len() < 400,
            "the message quotes the whole cell: {d:#}"
        );
        assert!(
            d["help"]
                .as_str()
                .unwrap()
                .contains("CPAUDIT_MAX_NAME_CHARS"),
            "{d:#}"
        );
    }
    // A note (the standard of a discharge) may be longer, up to its own limit.
    let dir = copy_sample("long-note-cell");
    mutate(&dir, "data/emissions.xlsx", |s| {
        let cells = sheet(s, "Wastewater");
        let col = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains("Standard"))
            .map(|((_, c), _)| *c)
            .unwrap();
        cells.insert((1, col), Data::String("标".repeat(2_001)));
    });
    let d = refused(&dir, "limit::note-chars", "data/emissions.xlsx");
    assert_eq!(d["place"]["sheet"], "废水 Wastewater", "{d:#}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_NOTE_CHARS"),
        "{d:#}"
    );
    // A long text where a number belongs is quoted cut short.
    let dir = copy_sample("long-number-cell");
    cash_flow(&dir, Data::String("9".repeat(20) + &"x".repeat(32_747)));
    let d = refused(&dir, "workbook::not-a-number", "data/cashflows.xlsx");
    assert_cell(&d, "现金流 Cash flows", "C2");
    assert!(d["message"].as_str().unwrap().len() < 200, "{d:#}");
}

// -------------------------------------------------------- prose and aliases

#[test]
fn aliases_count_against_the_size_limit() {
    // The issue's case: a 1 MB prose value aliased 30 times (built in minutes and
    // gigabytes before, while check passed it). The value alone is over the limit of
    // a prose field.
    let dir = copy_sample("alias-1mb");
    let path = dir.join("narratives/04-options.yaml");
    let long = "方案".repeat(170_000);
    edit(
        &path,
        "generation:\n  zh: |-\n",
        &format!("generation:\n  zh: &p |-\n    {long}\n"),
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut n = 0;
    let text: String = text
        .split_inclusive('\n')
        .map(|line| {
            if n < 30 && line.starts_with("      zh: ") && !line.contains("&p") {
                n += 1;
                "      zh: *p\n".to_string()
            } else {
                line.to_string()
            }
        })
        .collect();
    assert_eq!(n, 30);
    std::fs::write(&path, text).unwrap();
    let d = within(Duration::from_secs(10), "1 MB aliased", || {
        refused(&dir, "limit::prose-chars", "narratives/04-options.yaml")
    });
    assert_line(&d, 14);

    // Values each within the prose limit, aliased until the expanded text is over the
    // size limit (lowered here to 1 MiB: the file itself is 120 KB).
    let dir = copy_sample("alias-many");
    let path = dir.join("narratives/04-options.yaml");
    let long = "方案".repeat(9_000);
    edit(
        &path,
        "generation:\n  zh: |-\n",
        &format!("generation:\n  zh: &p |-\n    {long}\n"),
    );
    // Every option's description, in both languages, made the anchored text.
    let text = std::fs::read_to_string(&path).unwrap();
    let mut n = 0;
    let mut in_description = 0;
    let text: String = text
        .split_inclusive('\n')
        .map(|line| {
            if line == "    description:\n" {
                in_description = 2;
                return line.to_string();
            }
            if in_description > 0
                && (line.starts_with("      zh: ") || line.starts_with("      en: "))
            {
                in_description -= 1;
                n += 1;
                line.split(": ").next().unwrap().to_string() + ": *p\n"
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(n >= 30, "{n}");
    std::fs::write(&path, &text).unwrap();
    assert!(text.len() < 200_000);
    let env = [("CPAUDIT_MAX_YAML_BYTES", "1M")];
    let d = within(Duration::from_secs(10), "aliases", || {
        refused_with_env(
            &dir,
            "limit::yaml-bytes",
            "narratives/04-options.yaml",
            &env,
        )
    });
    assert!(d["message"].as_str().unwrap().contains("aliases"), "{d:#}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_YAML_BYTES"),
        "{d:#}"
    );
    // At the alias that crossed the limit.
    let line = d["place"]["line"].as_u64().unwrap() as usize;
    assert!(
        text.lines().nth(line - 1).unwrap().ends_with("*p"),
        "line {line}: {d:#}"
    );
}

#[test]
fn prose_and_names_longer_than_their_field_are_refused_at_their_line() {
    // 3.9 MB of prose in one field (a minute and 2.7 GB to build before).
    let dir = copy_sample("long-prose");
    let long = "方案产生采用全员征集、专家咨询、对标分析。".repeat(62_000);
    edit(
        &dir.join("narratives/04-options.yaml"),
        "generation:\n  zh: |-\n",
        &format!("generation:\n  zh: |-\n    {long}\n"),
    );
    let d = within(Duration::from_secs(10), "long prose", || {
        refused(&dir, "limit::prose-chars", "narratives/04-options.yaml")
    });
    assert_line(&d, 14);
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`generation`") && message.contains("20000"),
        "{d:#}"
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("CPAUDIT_MAX_PROSE_CHARS"),
        "{d:#}"
    );

    // An option's name of 201 characters, and the 200 KB id.
    let dir = copy_sample("long-name");
    let path = dir.join("narratives/04-options.yaml");
    let line = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .position(|l| l == "      zh: 选用高固色率双活性基活性染料")
        .unwrap()
        + 1;
    edit(
        &path,
        "      zh: 选用高固色率双活性基活性染料\n",
        &format!("      zh: {}\n", "染".repeat(201)),
    );
    let d = refused(&dir, "limit::name-chars", "narratives/04-options.yaml");
    assert_line(&d, line as u64);
    assert!(d["message"].as_str().unwrap().contains("`name`"), "{d:#}");
    let dir = copy_sample("long-id-limit");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "  - id: F02\n",
        &format!("  - id: {}\n", "F".repeat(200_000)),
    );
    refused(&dir, "limit::name-chars", "narratives/04-options.yaml");
}

#[test]
fn values_at_their_limits_check_and_build() {
    // What passes check must build: every kind of field filled to its limit.
    let dir = copy_sample("at-limits");
    // Prose: 20,000 characters in one paragraph.
    let prose: String = "方案产生采用全员征集、专家咨询、对标分析。"
        .chars()
        .cycle()
        .take(20_000)
        .collect();
    let path = dir.join("narratives/04-options.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let head = "generation:\n  zh: |-\n";
    let start = text.find(head).unwrap() + head.len();
    let end = start + text[start..].find("\n  en:").unwrap();
    text.replace_range(start..end, &format!("    {prose}"));
    std::fs::write(&path, text).unwrap();
    // A name: 200 characters, Chinese and English (one unbreakable word), an option's
    // and a unit operation's (both in the figures' text alternatives).
    edit(
        &dir.join("narratives/04-options.yaml"),
        "      en: Switch to high-fixation bifunctional reactive dyes\n",
        &format!("      en: {}\n", "W".repeat(200)),
    );
    let units = std::fs::read_to_string(dir.join("narratives/03-assessment.yaml")).unwrap();
    let first_name = units
        .lines()
        .skip_while(|l| !l.starts_with("unit_operations:"))
        .find(|l| l.trim_start().starts_with("zh: "))
        .unwrap()
        .to_string();
    edit(
        &dir.join("narratives/03-assessment.yaml"),
        &format!("{first_name}\n"),
        &format!(
            "{}zh: {}\n",
            &first_name[..first_name.find("zh: ").unwrap()],
            "前".repeat(200)
        ),
    );
    // Cells: a stream's names of 200 characters, a standard of 2,000.
    mutate(&dir, "data/balance.xlsx", |s| {
        let cells = sheet(s, "Streams");
        for (header, text) in [
            ("名称 Name", "液".repeat(200)),
            ("Name (EN)", "L".repeat(200)),
        ] {
            let col = cells
                .iter()
                .find(|((r, _), v)| *r == 0 && v.to_string().contains(header))
                .map(|((_, c), _)| *c)
                .unwrap();
            cells.insert((1, col), Data::String(text));
        }
    });
    mutate(&dir, "data/emissions.xlsx", |s| {
        let cells = sheet(s, "Wastewater");
        let col = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains("Standard"))
            .map(|((_, c), _)| *c)
            .unwrap();
        cells.insert((1, col), Data::String("标准".repeat(1_000)));
    });
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
    let out = run(&["build", dir.to_str().unwrap()], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(dir.join("build/report.zh.pdf").is_file());
}

#[test]
fn a_hidden_ods_table_is_never_read() {
    // The .ods copy of the cash flows with a draft table before the real one, hidden by
    // its table style (`table:display="false"`), every cash flow -1000.
    let (_, expected, _) = run_json("check", &sample(), &[]);
    let src = entries_of(&corpus("ods/cashflows.ods"));
    let content = String::from_utf8(
        src.iter()
            .find(|(n, _)| n == "content.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    let start = content.find("<table:table ").unwrap();
    let end = content.find("</table:table>").unwrap() + "</table:table>".len();
    let real = &content[start..end];
    let mut draft = real.replace(
        "table:name=\"现金流 Cash flows\"",
        "table:name=\"现金流 旧稿 draft\" table:style-name=\"hid\"",
    );
    for v in ["78.8", "104", "50", "-420"] {
        draft = draft
            .replace(&format!("office:value=\"{v}\""), "office:value=\"-1000\"")
            .replace(&format!("<text:p>{v}</text:p>"), "<text:p>-1000</text:p>");
    }
    let content = content
        .replacen(
            "office:version=\"1.2\">",
            "office:version=\"1.2\" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"><office:automatic-styles><style:style style:name=\"hid\" style:family=\"table\"><style:table-properties table:display=\"false\"/></style:style></office:automatic-styles>",
            1,
        )
        .replacen(real, &format!("{draft}{real}"), 1);
    let entries: Vec<RawEntry> = src
        .iter()
        .map(|(n, d)| {
            if n == "content.xml" {
                RawEntry::stored(n, content.as_bytes())
            } else {
                RawEntry::stored(n, d)
            }
        })
        .collect();
    let dir = copy_sample("hidden-ods");
    std::fs::remove_file(dir.join("data/cashflows.xlsx")).unwrap();
    std::fs::write(dir.join("data/cashflows.ods"), raw_zip(&entries)).unwrap();
    edit(
        &dir.join("audit.yaml"),
        "data/cashflows.xlsx",
        "data/cashflows.ods",
    );
    let opened =
        cpaudit::load::workbook::Workbook::open(&dir.join("data/cashflows.ods"), "wb").unwrap();
    assert_eq!(opened.hidden_sheets(), ["现金流 旧稿 draft"]);
    let (status, json, _) = run_json("check", &dir, &[]);
    assert_eq!(status, Some(0), "{json:#}");
    assert_eq!(
        json["results"]["results"]["economics"],
        expected["results"]["results"]["economics"]
    );
    assert!(
        json["diagnostics"].as_array().unwrap().iter().any(|d| {
            d["code"] == "workbook::hidden-sheet"
                && d["place"]["path"] == "data/cashflows.ods"
                && d["message"].as_str().unwrap().contains("现金流 旧稿 draft")
        }),
        "{json:#}"
    );
}

/// A year missing from an option's cash flows is an error of `check` at the year's cell
/// (it was found only while computing the economics).
#[test]
fn cash_flows_that_skip_a_year_name_the_cell() {
    let dir = copy_sample("cash-flow-years");
    mutate(&dir, "data/cashflows.xlsx", |s| {
        let cells = &mut s[0].1;
        assert_eq!(cells[&(3, 1)].to_string(), "2");
        cells.insert((3, 1), Data::Float(7.0));
    });
    let d = refused(&dir, "economics::years", "data/cashflows.xlsx");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`F22` skip or repeat a year: expected year 2, found 3"),
        "{d:#}"
    );
    assert_cell(&d, d["place"]["sheet"].as_str().unwrap(), "B5");
}

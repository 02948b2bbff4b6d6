//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The sample audit shipped with cpaudit.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-audit")
}

/// A fresh, empty folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cpaudit-test-{}-{name}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the sample audit (without any build output) into a fresh folder.
pub fn copy_sample(name: &str) -> PathBuf {
    let dst = scratch(name).join("audit");
    for e in walkdir::WalkDir::new(sample()) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(sample()).unwrap();
        if rel.starts_with("build") {
            continue;
        }
        let to = dst.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
    dst
}

/// Whether an external tool is on PATH; when CI asks for the tools
/// (CPAUDIT_REQUIRE_TOOLS=1) a missing one fails the test instead of skipping it.
pub fn have(tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found && std::env::var_os("CPAUDIT_REQUIRE_TOOLS").is_some() {
        panic!("{tool} is required (CPAUDIT_REQUIRE_TOOLS is set) but not installed");
    }
    if !found {
        eprintln!("skipping: {tool} is not installed");
    }
    found
}

/// The text of a PDF, by pdftotext.
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs the cpaudit binary.
pub fn cpaudit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args(args)
        .output()
        .unwrap()
}

/// Replaces the first `from` in a file by `to`; the test fails if `from` is not there.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Runs `cpaudit VERB DIR --format json` with extra environment variables: the exit
/// code, the JSON document and the standard error. A panic of the binary fails the test.
pub fn run_json(
    verb: &str,
    dir: &Path,
    env: &[(&str, &str)],
) -> (Option<i32>, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args([verb, dir.to_str().unwrap(), "--format", "json"])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{verb} panicked: {stderr}");
    let json = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}\nstderr: {stderr}"));
    (out.status.code(), json, stderr)
}

/// `cpaudit check DIR --format json`: the exit code and the diagnostics document.
pub fn check_json(dir: &Path) -> (Option<i32>, serde_json::Value) {
    let (code, json, _) = run_json("check", dir, &[]);
    (code, json)
}

/// `cpaudit build DIR --format json`: the exit code and the diagnostics document.
pub fn build_json(dir: &Path) -> (Option<i32>, serde_json::Value) {
    let (code, json, _) = run_json("build", dir, &[]);
    (code, json)
}

/// The codes of the diagnostics in a JSON document, in order.
pub fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// A workbook for a test, built from the sheet declarations of
/// `cpaudit::model::sheets`: each sheet gets the headers `cpaudit init` writes (or a
/// header changed on purpose) and rows given by column key.
#[derive(Default)]
pub struct TestBook {
    sheets: Vec<(String, Vec<String>, Vec<Vec<Value>>)>,
}

pub use cpaudit::model::sheets::{self as spec, Row, Value};

impl TestBook {
    /// An empty workbook.
    pub fn new() -> TestBook {
        TestBook::default()
    }

    /// Adds a sheet of `spec` with `rows`; the numbered columns (`批次N Batch N`) are
    /// as many as `init` writes or the rows use.
    pub fn sheet(mut self, spec: &spec::SheetSpec, rows: &[Row]) -> TestBook {
        let repeated = spec.repeated.map_or(0, |r| {
            rows.iter()
                .flat_map(|row| row.0.iter())
                .filter_map(|(k, _)| r.number(k))
                .max()
                .unwrap_or(0)
                .max(r.written)
        });
        let mut headers: Vec<String> = spec.columns.iter().map(|c| c.header()).collect();
        if let Some(r) = &spec.repeated {
            headers.extend((1..=repeated).map(|n| r.header(n)));
        }
        let cells = rows
            .iter()
            .map(|row| spec.cells(row, repeated).unwrap())
            .collect();
        self.sheets.push((spec.name(), headers, cells));
        self
    }

    /// Replaces the header of column `key` in the last sheet added (a typo, another
    /// wording).
    pub fn header(mut self, spec: &spec::SheetSpec, key: &str, header: &str) -> TestBook {
        let at = spec.columns.iter().position(|c| c.key == key).unwrap();
        self.sheets.last_mut().unwrap().1[at] = header.to_string();
        self
    }

    /// Writes the workbook.
    pub fn write(&self, path: &Path) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (name, headers, rows) in &self.sheets {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            for (c, h) in headers.iter().enumerate() {
                ws.write_string(0, c as u16, h).unwrap();
            }
            for (r, row) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                for (c, v) in row.iter().enumerate() {
                    match v {
                        Value::Text(t) => ws.write_string(r, c as u16, t).map(|_| ()),
                        Value::Number(n) => ws.write_number(r, c as u16, *n).map(|_| ()),
                        Value::Empty => Ok(()),
                    }
                    .unwrap();
                }
            }
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        wb.save(path).unwrap();
    }
}

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

//! Runs every file of the fuzz seed corpora (`fuzz/seeds/<target>/`) and every crash
//! the fuzzers found (`fuzz/regressions/<target>/`) through the same entry points as
//! the cargo-fuzz targets, on stable Rust: none may panic, none may take long. See
//! docs/fuzzing.md.

use std::path::Path;
use std::time::{Duration, Instant};

fn replay(target: &str, run: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let data = std::fs::read(&f).unwrap();
            let t = Instant::now();
            let r = std::panic::catch_unwind(|| run(&data));
            assert!(r.is_ok(), "{} panicked", f.display());
            let took = t.elapsed();
            assert!(
                took < Duration::from_secs(10),
                "{} took {took:?}",
                f.display()
            );
            n += 1;
        }
    }
    assert!(n > 0, "no seeds for {target}");
}

#[test]
fn yaml_seeds_and_regressions() {
    replay("yaml", cpaudit::fuzz::yaml);
}

#[test]
fn workbook_seeds_and_regressions() {
    replay("workbook", cpaudit::fuzz::workbook);
}

#[test]
fn manifest_seeds_and_regressions() {
    replay("manifest", cpaudit::fuzz::manifest);
}

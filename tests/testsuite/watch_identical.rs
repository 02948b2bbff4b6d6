//! A `cpaudit watch` rebuild (an incremental recompile in the Typst worlds kept from the
//! previous builds) writes exactly the bytes a one-shot `cpaudit build` of the same inputs
//! writes: the PDFs, results.json and the pack. Driven through [`Rebuilder`] directly,
//! without a file watcher, so that nothing can wait for ever.

use crate::common;
use cpaudit::watch::Rebuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn insert_after(file: &Path, anchor: &str, text: &str) {
    let old = std::fs::read_to_string(file).unwrap();
    let at = old
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} not in {}", file.display()))
        + anchor.len();
    std::fs::write(file, format!("{}{text}{}", &old[..at], &old[at..])).unwrap();
}

/// Builds the audit once from scratch into `oneshot` and compares it with `watched`.
fn assert_same_as_one_shot(root: &Path, watched: &Path, oneshot: &Path, what: &str) {
    let _ = std::fs::remove_dir_all(oneshot);
    let opts = cpaudit::BuildOptions {
        root: root.to_path_buf(),
        out: oneshot.to_path_buf(),
        emit_typst: None,
    };
    assert!(
        cpaudit::build(&opts).is_ok(),
        "{what}: the one-shot build failed"
    );
    let (a, b) = (tree(watched), tree(oneshot));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: different files"
    );
    assert!(a.contains_key(Path::new("report.zh.pdf")), "{what}");
    for (path, bytes) in &a {
        assert!(
            *bytes == b[path],
            "{what}: {} differs between the watch rebuild and a one-shot build",
            path.display()
        );
    }
}

#[test]
fn a_watch_rebuild_writes_the_bytes_of_a_one_shot_build() {
    let root = common::copy_sample("watch-identical");
    let dir = root.parent().unwrap().to_path_buf();
    let (out, oneshot) = (root.join("build"), dir.join("oneshot"));
    let mut rebuilder = Rebuilder::new(&root, &out, false);
    let first = rebuilder.rebuild();
    assert!(first.ok, "{}", first.report);

    // An edit late in the report, then one early: each rebuild recompiles in the worlds
    // the previous one left, with a new evidence root.
    for (i, (file, anchor)) in [
        (
            "narratives/07-continuous.yaml",
            "由清洁生产办公室每年评审一次",
        ),
        ("narratives/01-preparation.yaml", "专题研究清洁生产审核工作"),
    ]
    .into_iter()
    .enumerate()
    {
        insert_after(&root.join(file), anchor, &format!("（修改{i}）"));
        let rebuilt = rebuilder.rebuild();
        assert!(rebuilt.ok, "{}", rebuilt.report);
        assert_same_as_one_shot(&root, &out, &oneshot, file);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! `cpaudit verify --rebuild`: rebuilds the documents of a pack from the pack's own
//! inputs, in a temporary folder, and compares them byte for byte with the packed outputs.

use crate::{BuildError, BuildOptions, build, pack};
use std::path::Path;

/// One document of a pack that a rebuild did not reproduce.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mismatch {
    /// The document, relative to the pack's outputs.
    pub file: String,
    /// What differs.
    pub detail: String,
}

/// Rebuilds the documents of a pack from the pack's own inputs, in a temporary folder,
/// and compares them byte for byte with the packed outputs.
pub fn rebuild(pack_dir: &Path) -> Result<Vec<Mismatch>, BuildError> {
    let inputs = pack_dir.join(pack::INPUTS);
    let outputs = pack_dir.join(pack::OUTPUTS);
    let tmp = std::env::temp_dir().join(format!(
        "cpaudit-rebuild-{}-{}",
        std::process::id(),
        unique()
    ));
    let audit = tmp.join("audit");
    copy_tree(&inputs, &audit).map_err(BuildError::Io)?;
    let opts = BuildOptions {
        root: audit.clone(),
        out: tmp.join("build"),
        emit_typst: None,
    };
    let result = build(&opts);
    let mismatches = result.map(|_| {
        let mut m = Vec::new();
        let mut names: Vec<String> = walkdir::WalkDir::new(&outputs)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let packed = std::fs::read(outputs.join(&name)).unwrap_or_default();
            match std::fs::read(opts.out.join(&name)) {
                Ok(rebuilt) if rebuilt == packed => {}
                Ok(rebuilt) => m.push(Mismatch {
                    file: name,
                    detail: format!(
                        "the rebuilt file differs ({} bytes packed, {} rebuilt)",
                        packed.len(),
                        rebuilt.len()
                    ),
                }),
                Err(_) => m.push(Mismatch {
                    file: name,
                    detail: "the rebuild did not produce it".into(),
                }),
            }
        }
        m
    });
    let _ = std::fs::remove_dir_all(&tmp);
    mismatches
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for e in walkdir::WalkDir::new(from).follow_links(false) {
        let e = e.map_err(|e| format!("cannot read the pack: {e}"))?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst)
                .map_err(|err| format!("cannot create `{}`: {err}", dst.display()))?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dst)
                .map_err(|err| format!("cannot copy `{}`: {err}", e.path().display()))?;
        } else {
            return Err(format!(
                "`{}` in the pack is not a plain file",
                e.path().display()
            ));
        }
    }
    Ok(())
}

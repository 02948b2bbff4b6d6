//! `cpaudit verify --rebuild`: rebuilds the documents of a pack from the pack's own
//! inputs, in a temporary folder, and compares them byte for byte with the packed
//! outputs, both ways.

use crate::error::FileError;
use crate::{BuildError, BuildOptions, build, pack};
use std::collections::BTreeMap;
use std::path::Path;

/// One document of a pack that a rebuild did not reproduce.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Mismatch {
    /// The document, relative to the pack's outputs (`report.zh.pdf`).
    pub file: String,
    /// `differs` (packed and rebuilt, not the same bytes), `not-packed` (the inputs
    /// produce it but the pack lacks it) or `not-rebuilt` (packed, but the inputs do not
    /// produce it).
    pub kind: &'static str,
    /// What differs.
    pub detail: String,
}

/// Rebuilds the documents of a pack from the pack's own inputs, in a temporary folder,
/// and compares them byte for byte with the packed outputs, both ways: every packed
/// document must be rebuilt with the same bytes, and every document the rebuild packs
/// must be in the pack (a pack whose `data/outputs` was emptied and re-manifested
/// reproduces nothing).
pub fn rebuild(pack_dir: &Path) -> Result<Vec<Mismatch>, BuildError> {
    let inputs = pack_dir.join(pack::INPUTS);
    let outputs = pack_dir.join(pack::OUTPUTS);
    let tmp = std::env::temp_dir().join(format!(
        "cpaudit-rebuild-{}-{}",
        std::process::id(),
        unique()
    ));
    let audit = tmp.join("audit");
    let result = copy_tree(&inputs, &audit).and_then(|()| {
        let opts = BuildOptions {
            root: audit.clone(),
            out: tmp.join("build"),
            emit_typst: None,
        };
        build(&opts)?;
        // The rebuild's own pack holds exactly the documents a build packs.
        let rebuilt = opts.out.join("pack").join(pack::OUTPUTS);
        let packed = documents(&outputs)?;
        let produced = documents(&rebuilt)?;
        let mut m = Vec::new();
        for (name, (sha, size)) in &packed {
            match produced.get(name) {
                Some((s, _)) if s == sha => {}
                Some((_, rebuilt_size)) => m.push(Mismatch {
                    file: name.clone(),
                    kind: "differs",
                    detail: format!(
                        "the rebuilt file differs ({size} bytes packed, {rebuilt_size} rebuilt)"
                    ),
                }),
                None => m.push(Mismatch {
                    file: name.clone(),
                    kind: "not-rebuilt",
                    detail: "packed, but the rebuild from the pack's inputs did not produce it"
                        .into(),
                }),
            }
        }
        for name in produced.keys().filter(|n| !packed.contains_key(*n)) {
            m.push(Mismatch {
                file: name.clone(),
                kind: "not-packed",
                detail: format!(
                    "the pack's inputs produce it but the pack does not hold it in {}",
                    pack::OUTPUTS
                ),
            });
        }
        m.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(m)
    });
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// The files under `dir` by path relative to it, with their SHA-256 and size, hashed
/// streaming. A missing folder holds nothing; anything but plain files and folders in it,
/// or a file that cannot be read, is an error.
fn documents(dir: &Path) -> Result<BTreeMap<String, (String, u64)>, BuildError> {
    let mut out = BTreeMap::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(out);
    }
    for e in walkdir::WalkDir::new(dir).follow_links(false) {
        let e = e.map_err(|e| walk_error(dir, e))?;
        if e.file_type().is_dir() {
            continue;
        }
        if !e.file_type().is_file() {
            return Err(BuildError::NotPlain {
                path: e.path().to_path_buf(),
            });
        }
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap_or(e.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let hashed = pack::hash_file(e.path()).map_err(FileError::on("read", e.path()))?;
        out.insert(rel, hashed);
    }
    Ok(out)
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A failure to walk a folder of the pack, as the error of the entry it concerns.
fn walk_error(dir: &Path, e: walkdir::Error) -> BuildError {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let source = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("a link leads back into its own folder"));
    FileError::new("read", path, source).into()
}

/// Copies the folder `from` to `to`: plain files and folders only.
fn copy_tree(from: &Path, to: &Path) -> Result<(), BuildError> {
    for e in walkdir::WalkDir::new(from).follow_links(false) {
        let e = e.map_err(|e| walk_error(from, e))?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).map_err(FileError::on("create", &dst))?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dst).map_err(FileError::on("copy", e.path()))?;
        } else {
            return Err(BuildError::NotPlain {
                path: e.path().to_path_buf(),
            });
        }
    }
    Ok(())
}

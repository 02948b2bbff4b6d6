//! Pack: the evidence pack, a BagIt 1.0 bag (RFC 8493) that holds the audit's inputs,
//! its evidence files and the documents built from them, each listed with its SHA-256.
//!
//! The *evidence root* is one SHA-256 over the manifest lines of the inputs and
//! evidence (not the outputs, which print it). It appears in the report, the notice,
//! the PDFs' metadata and `bag-info.txt`, so that a regulator holding only a PDF can tell
//! whether a pack is the one the report was built from. [`verify`] checks a bag.

mod pdf;
mod verify;

pub use pdf::{
    Keywords, PDF_BYTES, PdfReport, keywords_of_pdf, metadata_root, parse_pdfs_in_child,
    pdf_keywords_child, read_pdf, root_of_keywords, verify_pdf,
};
pub use verify::{
    Alg, Document, Problem, VerifyReport, hash_reader, parse_manifest_text, verify,
    verify_with_progress,
};

use crate::error::FileError;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why the evidence pack could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// Creating or writing a file of the pack failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// An input could not be copied into the pack.
    #[error("cannot copy `{input}` into the evidence pack")]
    Copy {
        /// The input, relative to the audit folder.
        input: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An input changed while it was copied.
    #[error(
        "`{input}` changed while cpaudit was copying it into the evidence pack; wait until it is saved, then build again"
    )]
    Changed {
        /// The input, relative to the audit folder.
        input: String,
    },
}

impl PackError {
    /// The file the error is about: an input relative to the audit folder, or a file
    /// of the pack.
    pub fn path(&self) -> &Path {
        match self {
            PackError::File(e) => &e.path,
            PackError::Copy { input, .. } | PackError::Changed { input } => Path::new(input),
        }
    }
}

/// Folder of the inputs inside the bag's payload.
pub const INPUTS: &str = "data/inputs";
/// Folder of the built documents inside the bag's payload.
pub const OUTPUTS: &str = "data/outputs";

/// A file going into the pack: its path inside the bag and its bytes' hash and size.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path inside the bag (`data/inputs/audit.yaml`).
    pub path: String,
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// The inputs of an audit, hashed: what the evidence root is computed over.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Entries under `data/inputs/`, sorted by path.
    pub entries: Vec<Entry>,
    /// The audit-folder files they come from, in the same order.
    pub sources: Vec<std::path::PathBuf>,
    /// SHA-256 over the sorted manifest lines of the entries.
    pub evidence_root: String,
}

/// A writer that hashes with SHA-256 what it passes on to `inner`: the one streaming
/// hash of the pack, whether a file is hashed ([`hash_file`]), copied into the pack, or
/// read into memory ([`read_pdf`]).
pub(crate) struct Hashing<W> {
    inner: W,
    sha256: Sha256,
}

impl<W: std::io::Write> Hashing<W> {
    pub(crate) fn new(inner: W) -> Self {
        Hashing {
            inner,
            sha256: Sha256::new(),
        }
    }

    /// The writer and the lower-case hex SHA-256 of everything written.
    pub(crate) fn finish(self) -> (W, String) {
        (self.inner, hex(&self.sha256.finalize()))
    }
}

impl<W: std::io::Write> std::io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha256.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Hashes a file with SHA-256, streaming: the hex digest and the size.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut sink = Hashing::new(std::io::sink());
    let size = std::io::copy(&mut std::fs::File::open(path)?, &mut sink)?;
    Ok((sink.finish().1, size))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A manifest line: hash, two spaces, path (as `sha256sum` writes it), the path's `%`,
/// CR and LF percent-encoded as RFC 8493 §2.1.3 requires.
pub fn manifest_line(e: &Entry) -> String {
    format!("{}  {}\n", e.sha256, encode_path(&e.path))
}

/// A path as a manifest writes it: `%` as `%25`, LF as `%0A`, CR as `%0D`.
pub fn encode_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains(['%', '\n', '\r']) {
        path.replace('%', "%25")
            .replace('\n', "%0A")
            .replace('\r', "%0D")
            .into()
    } else {
        path.into()
    }
}

/// A manifest's path decoded; `None` for a `%` that is not one of the three encodings.
pub fn decode_path(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3)?;
        out.push(match code.to_ascii_uppercase().as_str() {
            "25" => '%',
            "0A" => '\n',
            "0D" => '\r',
            _ => return None,
        });
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// The evidence root of sorted input entries.
pub fn evidence_root(entries: &[Entry]) -> String {
    let mut h = Sha256::new();
    for e in entries {
        h.update(manifest_line(e).as_bytes());
    }
    hex(&h.finalize())
}

/// What tells that a file is unchanged without reading it: size, modification time and,
/// on Unix, inode and device (not the change time, which a hard link moves).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (u64, u64),
}

impl Stamp {
    /// The stamp of the file at `path` (following links).
    pub fn of(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().map(|m| Stamp::from(&m))
    }

    fn from(m: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let unix = {
            use std::os::unix::fs::MetadataExt;
            (m.ino(), m.dev())
        };
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            unix,
        }
    }
}

/// For `watch`: the inputs copied into the last pack, so that an unchanged file (same
/// stamp, and its copy in the last pack untouched) is linked from there instead of being
/// read and copied again, which matters for evidence folders of scans and photos.
#[derive(Default)]
pub struct CopyCache(std::sync::Mutex<HashMap<PathBuf, CachedCopy>>);

#[derive(Clone)]
struct CachedCopy {
    source: Stamp,
    sha256: String,
    size: u64,
    /// Where the copy is after the build is committed, and its stamp there.
    copy: PathBuf,
    copy_stamp: Option<Stamp>,
}

impl CopyCache {
    /// After a build was committed into `out`: records where each copy now is.
    pub fn committed(&self, out: &Path) {
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for c in cache.values_mut() {
            c.copy_stamp = Stamp::of(&out.join(&c.copy));
        }
    }
}

/// The inputs of an audit as they were copied into a pack.
#[derive(Debug, Clone)]
pub struct Copied {
    /// The hashed entries.
    pub inputs: Inputs,
    /// The stamp of each source file when it was copied, to tell at the end of the build
    /// whether one changed meanwhile.
    pub stamps: Vec<Option<Stamp>>,
}

/// Copies the inputs of an audit (`files` relative to `root`) into the pack folder
/// `pack`, hashing the very bytes written; in parallel. A file that changes while it is
/// copied is an error naming it. `cache` (for `watch`) links unchanged files from the
/// last pack, whose folder relative to `pack`'s is given with it.
pub fn copy_inputs(
    root: &Path,
    files: &[String],
    pack: &Path,
    cache: Option<(&CopyCache, &Path)>,
) -> Result<Copied, PackError> {
    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    files.dedup();
    let copied: Result<Vec<(Entry, PathBuf, Option<Stamp>)>, PackError> = files
        .par_iter()
        .map(|rel| {
            let path = root.join(rel);
            let bag_path = format!("{INPUTS}/{rel}");
            let dst = pack.join(&bag_path);
            if let Some(parent) = dst.parent() {
                std::fs::create_dir_all(parent).map_err(FileError::on("create", parent))?;
            }
            let before = Stamp::of(&path);
            let linked = cache.and_then(|(c, last_pack)| {
                let cached =
                    c.0.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get(&path)?
                        .clone();
                let last = last_pack.join(&bag_path);
                (Some(&cached.source) == before.as_ref()
                    && cached.copy_stamp.is_some()
                    && cached.copy_stamp == Stamp::of(&last)
                    && std::fs::hard_link(&last, &dst).is_ok())
                .then_some((cached.sha256, cached.size))
            });
            let (sha256, size) = match linked {
                Some(hit) => hit,
                None => copy_hashing(&path, &dst).map_err(|source| PackError::Copy {
                    input: rel.to_string(),
                    source,
                })?,
            };
            let after = Stamp::of(&path);
            if before.is_none() || before != after || after.as_ref().is_some_and(|a| a.len != size)
            {
                return Err(PackError::Changed {
                    input: rel.to_string(),
                });
            }
            if let Some((c, _)) = cache {
                c.0.lock().unwrap_or_else(|e| e.into_inner()).insert(
                    path.clone(),
                    CachedCopy {
                        source: after.clone().expect("checked above"),
                        sha256: sha256.clone(),
                        size,
                        copy: PathBuf::from("pack").join(&bag_path),
                        copy_stamp: None,
                    },
                );
            }
            Ok((
                Entry {
                    path: bag_path,
                    sha256,
                    size,
                },
                path,
                after,
            ))
        })
        .collect();
    let mut entries = Vec::new();
    let mut sources = Vec::new();
    let mut stamps = Vec::new();
    for (e, p, s) in copied? {
        entries.push(e);
        sources.push(p);
        stamps.push(s);
    }
    let evidence_root = evidence_root(&entries);
    Ok(Copied {
        inputs: Inputs {
            entries,
            sources,
            evidence_root,
        },
        stamps,
    })
}

/// Copies `from` to `to` (a new file), hashing the bytes as they are written.
fn copy_hashing(from: &Path, to: &Path) -> std::io::Result<(String, u64)> {
    let mut src = std::fs::File::open(from)?;
    if !src.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut dst = Hashing::new(std::io::BufWriter::new(std::fs::File::create_new(to)?));
    let size = std::io::copy(&mut src, &mut dst)?;
    let (file, sha256) = dst.finish();
    file.into_inner().map_err(|e| e.into_error())?;
    Ok((sha256, size))
}

impl Copied {
    /// The inputs whose files changed since they were copied: the pack would not hold
    /// what the folder holds now.
    pub fn changed_since(&self) -> Vec<String> {
        self.inputs
            .entries
            .iter()
            .zip(&self.inputs.sources)
            .zip(&self.stamps)
            .filter(|((_, src), stamp)| Stamp::of(src).as_ref() != stamp.as_ref())
            .map(|((e, _), _)| e.path.trim_start_matches(&format!("{INPUTS}/")).to_string())
            .collect()
    }
}

/// What goes into `bag-info.txt`.
pub struct BagInfo<'a> {
    /// Source-Organization.
    pub organization: &'a str,
    /// External-Identifier: the audit id.
    pub identifier: &'a str,
    /// Bagging-Date: the report date, `YYYY-MM-DD`.
    pub date: &'a str,
}

/// Completes the bag in `dir`, whose inputs [`copy_inputs`] copied: the outputs from
/// memory, the manifests and tag files.
pub fn write(
    dir: &Path,
    inputs: &Inputs,
    outputs: &[(String, Vec<u8>)],
    info: &BagInfo,
) -> Result<(), FileError> {
    let io = |what: &'static str, p: &Path, e: std::io::Error| FileError::new(what, p, e);
    let mut entries = inputs.entries.clone();
    for (name, data) in outputs {
        let path = format!("{OUTPUTS}/{name}");
        let dst = dir.join(&path);
        std::fs::create_dir_all(dst.parent().unwrap_or(dir)).map_err(|e| io("create", &dst, e))?;
        std::fs::write(&dst, data).map_err(|e| io("write", &dst, e))?;
        entries.push(Entry {
            path,
            sha256: hex(&Sha256::digest(data)),
            size: data.len() as u64,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest: String = entries.iter().map(manifest_line).collect();
    let octets: u64 = entries.iter().map(|e| e.size).sum();
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string();
    let bag_info = format!(
        "Source-Organization: {}\nExternal-Identifier: {}\nBagging-Date: {}\nPayload-Oxum: {}.{}\nBag-Software-Agent: cpaudit {}\nEvidence-Root: {}\n",
        one_line(info.organization),
        one_line(info.identifier),
        info.date,
        octets,
        entries.len(),
        env!("CARGO_PKG_VERSION"),
        inputs.evidence_root
    );
    let tags = [
        ("bag-info.txt", bag_info),
        ("bagit.txt", bagit),
        ("manifest-sha256.txt", manifest),
    ];
    let mut tagmanifest = String::new();
    for (name, text) in &tags {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| io("write", &p, e))?;
        tagmanifest.push_str(&format!(
            "{}  {name}\n",
            hex(&Sha256::digest(text.as_bytes()))
        ));
    }
    let p = dir.join("tagmanifest-sha256.txt");
    std::fs::write(&p, tagmanifest).map_err(|e| io("write", &p, e))?;
    Ok(())
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8493 §2.1.3: `%`, LF and CR in a manifest's path are percent-encoded.
    #[test]
    fn manifest_paths_are_percent_encoded_and_decoded() {
        let name = "data/inputs/evidence/回用率 95%\n.txt";
        assert_eq!(
            encode_path(name),
            "data/inputs/evidence/回用率 95%25%0A.txt"
        );
        assert_eq!(decode_path(&encode_path(name)).as_deref(), Some(name));
        assert_eq!(decode_path("a%0d%0A%25b").as_deref(), Some("a\r\n%b"));
        assert_eq!(decode_path("a%41"), None);
        assert_eq!(decode_path("a%2"), None);
        let (entries, problems) = parse_manifest_text(
            &format!("{}  data/x%25y\n", "a".repeat(64)),
            "manifest-sha256.txt",
            true,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries[0].path, "data/x%y");
    }
}

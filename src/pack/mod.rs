//! Pack: the evidence pack, a BagIt 1.0 bag (RFC 8493) that holds the audit's inputs,
//! its evidence files and the documents built from them, each listed with its SHA-256.
//!
//! The *evidence root* is one SHA-256 over the manifest lines of the inputs and
//! evidence (not the outputs, which print it). It appears in the report, the notice,
//! the PDFs' metadata and `bag-info.txt`, so that a regulator holding only a PDF can tell
//! whether a pack is the one the report was built from. [`verify`] checks a bag.

mod verify;

pub use verify::{Problem, VerifyReport, parse_manifest_text, verify, verify_with_progress};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Hashes a file with SHA-256, streaming.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(&buf[..n]);
    }
    Ok((hex(&h.finalize()), size))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A manifest line: hash, two spaces, path (as `sha256sum` writes it).
pub fn manifest_line(e: &Entry) -> String {
    format!("{}  {}\n", e.sha256, e.path)
}

/// The evidence root of sorted input entries.
pub fn evidence_root(entries: &[Entry]) -> String {
    let mut h = Sha256::new();
    for e in entries {
        h.update(manifest_line(e).as_bytes());
    }
    hex(&h.finalize())
}

/// The hashes of files already hashed, for `watch`: a file whose size, modification
/// and change times (and, on Unix, inode) are those of the last time is not read again,
/// which matters for evidence folders of scanned reports and photos.
#[derive(Default)]
pub struct HashCache(std::sync::Mutex<HashMap<PathBuf, (Stamp, String, u64)>>);

/// What tells that a file is unchanged without reading it.
#[derive(Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    unix: (i64, i64, u64, u64),
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let unix = {
            use std::os::unix::fs::MetadataExt;
            (m.ctime(), m.ctime_nsec(), m.ino(), m.dev())
        };
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            unix,
        })
    }
}

impl HashCache {
    /// The SHA-256 and size of a file, from the cache when the file is unchanged.
    fn hash(&self, path: &Path) -> std::io::Result<(String, u64)> {
        let before = Stamp::of(path);
        if let Some(stamp) = &before {
            let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((s, sha, size)) = cache.get(path)
                && s == stamp
            {
                return Ok((sha.clone(), *size));
            }
        }
        let (sha, size) = hash_file(path)?;
        // Kept only when the file did not change while it was read.
        if let Some(stamp) = before.filter(|b| Some(b) == Stamp::of(path).as_ref()) {
            let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            cache.insert(path.to_path_buf(), (stamp, sha.clone(), size));
        }
        Ok((sha, size))
    }
}

/// Hashes the inputs of an audit (`files` relative to `root`), in parallel.
pub fn hash_inputs(root: &Path, files: &[String]) -> Result<Inputs, String> {
    hash_inputs_with(root, files, None)
}

/// [`hash_inputs`], taking the hashes of unchanged files from `cache` when given.
pub fn hash_inputs_with(
    root: &Path,
    files: &[String],
    cache: Option<&HashCache>,
) -> Result<Inputs, String> {
    let mut files: Vec<&String> = files.iter().collect();
    files.sort();
    files.dedup();
    let hashed: Result<Vec<(Entry, std::path::PathBuf)>, String> = files
        .par_iter()
        .map(|rel| {
            let path = root.join(rel);
            let (sha256, size) = match cache {
                Some(c) => c.hash(&path),
                None => hash_file(&path),
            }
            .map_err(|e| format!("cannot read `{rel}` to hash it: {e}"))?;
            Ok((
                Entry {
                    path: format!("{INPUTS}/{rel}"),
                    sha256,
                    size,
                },
                path,
            ))
        })
        .collect();
    let (entries, sources): (Vec<Entry>, Vec<_>) = hashed?.into_iter().unzip();
    let evidence_root = evidence_root(&entries);
    Ok(Inputs {
        entries,
        sources,
        evidence_root,
    })
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

/// Writes the bag into `dir` (which must not exist): the inputs copied from the audit
/// folder, the outputs from memory, the manifests and tag files.
pub fn write(
    dir: &Path,
    inputs: &Inputs,
    outputs: &[(String, Vec<u8>)],
    info: &BagInfo,
) -> Result<(), String> {
    let io =
        |what: &str, p: &Path, e: std::io::Error| format!("cannot {what} `{}`: {e}", p.display());
    let mut entries = inputs.entries.clone();
    for (entry, src) in inputs.entries.iter().zip(&inputs.sources) {
        let dst = dir.join(&entry.path);
        std::fs::create_dir_all(dst.parent().unwrap_or(dir)).map_err(|e| io("create", &dst, e))?;
        std::fs::copy(src, &dst).map_err(|e| io("copy into the pack", src, e))?;
    }
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

/// The evidence root a cpaudit PDF carries in its metadata (`evidence-root:<hex>` among
/// the keywords, in the document information dictionary and the XMP stream).
pub fn evidence_root_of_pdf(pdf: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"evidence-root:";
    pdf.windows(KEY.len())
        .enumerate()
        .filter(|(_, w)| *w == KEY)
        .find_map(|(i, _)| {
            let hex = pdf.get(i + KEY.len()..i + KEY.len() + 64)?;
            hex.iter()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| String::from_utf8_lossy(hex).to_ascii_lowercase())
        })
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

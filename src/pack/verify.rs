//! `cpaudit verify`: full fixity of a bag, to the letter of RFC 8493 and beyond it.
//!
//! - `bagit.txt` is the two-line declaration of BagIt 1.0 (or 0.97) in UTF-8.
//! - Every payload manifest present (`manifest-<alg>.txt`) and every tag manifest present
//!   (`tagmanifest-<alg>.txt`) is read and checked, whatever its algorithm among those
//!   cpaudit knows ([`Alg`]); a manifest of an algorithm cpaudit does not know is a problem
//!   (`unknown-algorithm`), because a bag that cannot be checked in full is not proof.
//!   `manifest-sha256.txt` and `tagmanifest-sha256.txt` are required: the evidence root is
//!   defined over the SHA-256 lines.
//! - Every payload manifest lists every payload file, and only files that are there
//!   (RFC 8493 §3). Every entry of `data/` is a plain file or a folder: links, FIFOs,
//!   devices, sockets and folders that cannot be read are problems, named.
//! - Every tag manifest lists `bagit.txt`, `bag-info.txt`, every payload manifest and
//!   every other tag file, and no tag manifest (RFC 8493 §2.2.1).
//! - `bag-info.txt` has one Payload-Oxum, which matches `data/`, and exactly one
//!   Evidence-Root, equal to the root recomputed from the input lines of
//!   `manifest-sha256.txt` (also when the manifest lists no input at all).
//! - Every PDF under `data/outputs/` states that same root in its parsed metadata.
//!
//! Each file is read once, in parallel across files, and hashed with every algorithm
//! that lists it. Files are opened without following links and without blocking (a FIFO
//! swapped in after the check cannot hang the verification). Every problem is named;
//! nothing stops at the first.

use super::{Entry, INPUTS, OUTPUTS, evidence_root, hex};
use rayon::prelude::*;
use serde::Serialize;
use sha2::digest::DynDigest;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Largest manifest read, in bytes; a bag of an audit lists hundreds of files.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;
/// Longest manifest line accepted.
pub const MAX_LINE: usize = 8 * 1024;

/// One thing wrong with a bag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file concerned, relative to the bag.
    pub path: String,
    /// What kind of problem (`hash-mismatch`, `missing`, `unlisted`, …).
    pub kind: &'static str,
    /// Details.
    pub detail: String,
}

/// A document of the pack: a payload file under `data/outputs/` as
/// `manifest-sha256.txt` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Path inside the bag (`data/outputs/report.zh.pdf`).
    pub path: String,
    /// Lower-case hex SHA-256, from the manifest.
    pub sha256: String,
}

/// The outcome of verifying a bag.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Payload files listed in `manifest-sha256.txt`.
    pub files: usize,
    /// Payload bytes hashed.
    pub bytes: u64,
    /// The audit's id (External-Identifier).
    pub identifier: Option<String>,
    /// The evidence root recomputed from the manifest's input lines.
    pub evidence_root: Option<String>,
    /// The manifests checked, payload and tag (`manifest-sha256.txt`, …).
    pub manifests: Vec<String>,
    /// The documents the pack holds (its outputs), with their SHA-256.
    pub documents: Vec<Document>,
    /// Everything wrong; empty when the bag is valid.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// Whether the bag is valid.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A hash algorithm of BagIt manifests that cpaudit checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Alg {
    /// MD5 (RFC 1321).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256: the algorithm of cpaudit's own manifests and of the evidence root.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Alg {
    /// Every algorithm cpaudit knows.
    pub const ALL: [Alg; 6] = [
        Alg::Md5,
        Alg::Sha1,
        Alg::Sha224,
        Alg::Sha256,
        Alg::Sha384,
        Alg::Sha512,
    ];

    /// The name in manifest file names (`manifest-<name>.txt`), as RFC 8493 spells it.
    pub fn name(self) -> &'static str {
        match self {
            Alg::Md5 => "md5",
            Alg::Sha1 => "sha1",
            Alg::Sha224 => "sha224",
            Alg::Sha256 => "sha256",
            Alg::Sha384 => "sha384",
            Alg::Sha512 => "sha512",
        }
    }

    /// The algorithm of a name, if cpaudit knows it.
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Length of a digest in hex digits.
    pub fn hex_len(self) -> usize {
        match self {
            Alg::Md5 => 32,
            Alg::Sha1 => 40,
            Alg::Sha224 => 56,
            Alg::Sha256 => 64,
            Alg::Sha384 => 96,
            Alg::Sha512 => 128,
        }
    }

    fn hasher(self) -> Box<dyn DynDigest + Send> {
        match self {
            Alg::Md5 => Box::new(md5::Md5::default()),
            Alg::Sha1 => Box::new(sha1::Sha1::default()),
            Alg::Sha224 => Box::new(sha2::Sha224::default()),
            Alg::Sha256 => Box::new(sha2::Sha256::default()),
            Alg::Sha384 => Box::new(sha2::Sha384::default()),
            Alg::Sha512 => Box::new(sha2::Sha512::default()),
        }
    }
}

/// Hashes everything `read` gives with each of `algs`, streaming: the hex digests in the
/// order of `algs`, and the number of bytes.
pub fn hash_reader(read: &mut dyn Read, algs: &[Alg]) -> std::io::Result<(Vec<String>, u64)> {
    let mut hashers: Vec<_> = algs.iter().map(|a| a.hasher()).collect();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = match read.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        size += n as u64;
        for h in &mut hashers {
            h.update(&buf[..n]);
        }
    }
    Ok((
        hashers.into_iter().map(|h| hex(&h.finalize())).collect(),
        size,
    ))
}

/// What kind of entry a file type is, for messages: `None` for a plain file.
pub(crate) fn special_kind(ft: &std::fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_symlink() {
        return Some("a link");
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a plain file")
}

/// Why a pack or a PDF could not be verified at all (exit status 2): it is not a bag,
/// or cannot be read, or is refused unread. Each names its file ([`VerifyError::path`]).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The folder has no `bagit.txt`.
    #[error("`{}` is not a BagIt bag: it has no bagit.txt", pack.display())]
    NotABag {
        /// The folder given.
        pack: PathBuf,
    },
    /// Reading failed.
    #[error(transparent)]
    File(#[from] crate::error::FileError),
    /// A PDF that is a folder, a FIFO, a device, a socket (or a link, where links are not
    /// followed).
    #[error("`{}` is {what}, not a PDF file; refused without reading it", path.display())]
    Special {
        /// The file given.
        path: PathBuf,
        /// What it is.
        what: &'static str,
    },
    /// A PDF larger than [`super::PDF_BYTES`].
    #[error("`{}` is {len} bytes, more than the limit {} of {limit} bytes (a document cpaudit builds is a few megabytes); refused without reading it. If the file is genuine, raise the limit with the environment variable {}, e.g. `{}={} cpaudit verify …`; see docs/limits.md", path.display(), super::PDF_BYTES.name, super::PDF_BYTES.var, super::PDF_BYTES.var, limit.saturating_mul(4))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (or the bytes read before giving up).
        len: u64,
        /// The limit in force.
        limit: u64,
    },
}

impl VerifyError {
    /// The file or folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            VerifyError::NotABag { pack } => pack,
            VerifyError::File(e) => &e.path,
            VerifyError::Special { path, .. } | VerifyError::TooLarge { path, .. } => path,
        }
    }
}

/// Why opening a file was refused.
pub(crate) enum OpenError {
    /// The path is not a plain file (a folder, a FIFO, a device, a socket; or a link,
    /// when links are not followed).
    Special(&'static str),
    /// Reading failed.
    Io(std::io::Error),
}

/// Opens `path` for reading only if it is a plain file: checked before opening (a FIFO
/// or a device is never opened), opened without blocking (a FIFO swapped in meanwhile
/// does not hang) and, unless `follow` is set, without following a link as the last
/// component; then checked again on the open file.
pub(crate) fn open_plain(path: &Path, follow: bool) -> Result<(File, u64), OpenError> {
    let meta = if follow {
        std::fs::metadata(path)
    } else {
        std::fs::symlink_metadata(path)
    }
    .map_err(OpenError::Io)?;
    if let Some(what) = special_kind(&meta.file_type()) {
        return Err(OpenError::Special(what));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = OFlags::NONBLOCK | OFlags::NOCTTY;
        if !follow {
            flags |= OFlags::NOFOLLOW;
        }
        options.custom_flags(flags.bits() as i32);
    }
    let file = options.open(path).map_err(|e| {
        if !follow && is_link_refused(&e) {
            OpenError::Special("a link")
        } else {
            OpenError::Io(e)
        }
    })?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if let Some(what) = special_kind(&meta.file_type()) {
        return Err(OpenError::Special(what));
    }
    Ok((file, meta.len()))
}

/// Whether opening failed because the last component is a link (`O_NOFOLLOW`).
fn is_link_refused(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

fn problem(path: &str, kind: &'static str, detail: impl Into<String>) -> Problem {
    Problem {
        path: path.to_string(),
        kind,
        detail: detail.into(),
    }
}

/// The problem of an entry that is not a plain file: `link` for a link, `not-a-file`
/// for a folder, `special-file` for FIFOs, devices and sockets. The same detail wherever
/// it is found, so that one entry gives one problem.
fn special_problem(path: &str, what: &'static str) -> Problem {
    match what {
        "a link" => problem(path, "link", "a link; a bag holds plain files only"),
        "a folder" => problem(path, "not-a-file", "a folder where a file is listed"),
        _ => problem(
            path,
            "special-file",
            format!("{what}; a bag holds plain files only"),
        ),
    }
}

/// A manifest found in the bag.
struct Manifest {
    name: String,
    alg: Alg,
    lines: Vec<Line>,
}

/// A hash a manifest expects: the algorithm, the hex digest, the manifest's name.
type Expected<'a> = (Alg, &'a str, &'a str);

/// A manifest line: a path and its hash in the manifest's algorithm.
#[derive(Debug, Clone)]
struct Line {
    path: String,
    hash: String,
}

/// Verifies the bag at `pack`. `Err` when it is not a bag at all.
pub fn verify(pack: &Path) -> Result<VerifyReport, VerifyError> {
    verify_with_progress(pack, &|_| {}, &|_| {})
}

/// [`verify`], telling `start` the payload bytes to hash and `advance` each file's bytes
/// as it is hashed (from several threads), for a progress bar.
pub fn verify_with_progress(
    pack: &Path,
    start: &dyn Fn(u64),
    advance: &(dyn Fn(u64) + Sync),
) -> Result<VerifyReport, VerifyError> {
    if std::fs::symlink_metadata(pack.join("bagit.txt")).is_err() {
        return Err(VerifyError::NotABag {
            pack: pack.to_path_buf(),
        });
    }
    let mut problems = Vec::new();
    let bagit = read_small(pack, "bagit.txt", &mut problems).unwrap_or_default();
    check_declaration(&bagit, &mut problems);

    // The manifests present, payload and tag, of every algorithm. The SHA-256 ones are
    // required (a missing one is reported by `read_small`).
    let top = top_level_names(pack).map_err(crate::error::FileError::on("list the bag", pack))?;
    let mut payload_manifests = Vec::new();
    let mut tag_manifests = Vec::new();
    let mut names: BTreeSet<String> = top
        .iter()
        .filter(|n| manifest_alg(n).is_some())
        .cloned()
        .collect();
    names.insert("manifest-sha256.txt".into());
    names.insert("tagmanifest-sha256.txt".into());
    for name in &names {
        let Some((payload, alg)) = manifest_alg(name) else {
            continue;
        };
        let Some(alg) = Alg::from_name(alg) else {
            problems.push(problem(
                name,
                "unknown-algorithm",
                format!(
                    "a manifest of the algorithm `{alg}`, which cpaudit cannot check (it checks {}); a bag that cannot be checked in full is not proof",
                    Alg::ALL.map(Alg::name).join(", ")
                ),
            ));
            continue;
        };
        let text = read_small(pack, name, &mut problems);
        let lines = parse_lines(
            text.as_deref().unwrap_or(""),
            name,
            alg,
            payload,
            &mut problems,
        );
        let m = Manifest {
            name: name.clone(),
            alg,
            lines,
        };
        if text.is_none() {
            continue;
        }
        if payload {
            payload_manifests.push(m);
        } else {
            tag_manifests.push(m);
        }
    }
    let sha256_lines: Vec<Line> = payload_manifests
        .iter()
        .find(|m| m.alg == Alg::Sha256)
        .map(|m| m.lines.clone())
        .unwrap_or_default();

    // Payload: every file any manifest lists, read once and hashed with every algorithm
    // that lists it; in parallel, largest first so that the cores finish together.
    let mut wanted: BTreeMap<&str, Vec<Expected>> = BTreeMap::new();
    for m in &payload_manifests {
        for l in &m.lines {
            wanted
                .entry(&l.path)
                .or_default()
                .push((m.alg, &l.hash, &m.name));
        }
    }
    let mut order: Vec<(u64, &str, &Vec<Expected>)> = wanted
        .iter()
        .map(|(path, hashes)| {
            (
                std::fs::symlink_metadata(pack.join(path))
                    .map(|m| if m.is_file() { m.len() } else { 0 })
                    .unwrap_or(0),
                *path,
                hashes,
            )
        })
        .collect();
    order.sort_by_key(|(n, _, _)| std::cmp::Reverse(*n));
    start(order.iter().map(|(n, _, _)| n).sum());
    let checked: Vec<(Vec<Problem>, u64)> = order
        .par_iter()
        .with_max_len(1)
        .map(|(n, path, hashes)| {
            let r = match check_file(pack, path, hashes) {
                Ok(size) => (Vec::new(), size),
                Err(p) => (p, 0),
            };
            advance(*n);
            r
        })
        .collect();
    let bytes = checked.iter().map(|(_, s)| s).sum();
    problems.extend(checked.into_iter().flat_map(|(p, _)| p));

    // data/: every entry a plain file or a folder, every file listed in every payload
    // manifest (RFC 8493 §3).
    let data = pack.join("data");
    let data_meta = std::fs::symlink_metadata(&data);
    let data_is_link = data_meta.as_ref().is_ok_and(|m| m.file_type().is_symlink());
    let mut payload_files = BTreeSet::new();
    let mut payload_bytes = 0u64;
    match &data_meta {
        Ok(m) if m.file_type().is_symlink() => problems.push(problem(
            "data",
            "link",
            "data/ is a link; a bag holds plain files only",
        )),
        Ok(m) if m.is_dir() => {
            for entry in walkdir::WalkDir::new(&data)
                .follow_links(false)
                .sort_by_file_name()
            {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let at = e.path().map(|p| rel_path(pack, p));
                        let at = at.as_deref().unwrap_or("data");
                        problems.push(problem(
                            at,
                            "unreadable",
                            format!(
                                "cannot be read ({}), so what it holds cannot be checked",
                                e.io_error()
                                    .map(|e| e.to_string())
                                    .unwrap_or_else(|| e.to_string())
                            ),
                        ));
                        continue;
                    }
                };
                let rel = rel_path(pack, entry.path());
                let ft = entry.file_type();
                if ft.is_dir() {
                    continue;
                }
                match special_kind(&ft) {
                    None => {
                        payload_bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
                        payload_files.insert(rel);
                    }
                    Some(what) => problems.push(special_problem(&rel, what)),
                }
            }
        }
        Ok(_) => problems.push(problem("data", "not-a-file", "data is not a folder")),
        Err(_) => problems.push(problem("data", "missing", "the bag has no data/ folder")),
    }
    for m in &payload_manifests {
        let listed: BTreeSet<&str> = m.lines.iter().map(|l| l.path.as_str()).collect();
        for f in &payload_files {
            if !listed.contains(f.as_str()) {
                problems.push(problem(
                    f,
                    "unlisted",
                    format!("the file is in data/ but not in {}", m.name),
                ));
            }
        }
    }

    // Tag files: every file outside data/ a plain file; every tag manifest lists
    // bagit.txt, bag-info.txt, every payload manifest and every other tag file, and each
    // listed file has its hash.
    let tag_files = walk_tag_files(pack, &mut problems);
    let mut required: BTreeSet<String> = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"]
        .map(String::from)
        .into();
    required.extend(payload_manifests.iter().map(|m| m.name.clone()));
    required.extend(tag_files.iter().cloned());
    for t in &tag_manifests {
        let listed: BTreeSet<&str> = t.lines.iter().map(|l| l.path.as_str()).collect();
        for r in &required {
            if !listed.contains(r.as_str()) {
                problems.push(problem(&t.name, "incomplete", format!("does not list {r}")));
            }
        }
        for l in &t.lines {
            if let Err(p) = check_file(pack, &l.path, &[(t.alg, &l.hash, &t.name)]) {
                problems.extend(p);
            }
        }
    }

    // bag-info.txt: one Payload-Oxum that matches data/, exactly one Evidence-Root that
    // matches the inputs.
    let info = read_small(pack, "bag-info.txt", &mut problems).unwrap_or_default();
    let fields = parse_bag_info(&info, &mut problems);
    let values = |label: &str| -> Vec<&String> {
        fields
            .iter()
            .filter(|(k, _)| k == label)
            .map(|(_, v)| v)
            .collect()
    };
    match values("payload-oxum").as_slice() {
        [] => problems.push(problem("bag-info.txt", "payload-oxum", "no Payload-Oxum")),
        [_] if data_is_link => {}
        [oxum] => {
            let actual = format!("{payload_bytes}.{}", payload_files.len());
            if **oxum != actual {
                problems.push(problem(
                    "bag-info.txt",
                    "payload-oxum",
                    format!("Payload-Oxum says {oxum} (bytes.files) but data/ holds {actual}"),
                ));
            }
        }
        many => problems.push(problem(
            "bag-info.txt",
            "payload-oxum",
            format!("{} Payload-Oxum lines; a bag has one", many.len()),
        )),
    }
    let mut inputs: Vec<Entry> = sha256_lines
        .iter()
        .filter(|l| l.path.starts_with(&format!("{INPUTS}/")))
        .map(|l| Entry {
            path: l.path.clone(),
            sha256: l.hash.clone(),
            size: 0,
        })
        .collect();
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let root = evidence_root(&inputs);
    if !sha256_lines
        .iter()
        .any(|l| l.path == format!("{INPUTS}/audit.yaml"))
    {
        problems.push(problem(
            &format!("{INPUTS}/audit.yaml"),
            "missing",
            "manifest-sha256.txt does not list the audit's audit.yaml: a cpaudit pack always holds it, and its documents cannot be rebuilt without it",
        ));
    }
    match values("evidence-root").as_slice() {
        [] => problems.push(problem(
            "bag-info.txt",
            "evidence-root",
            "no Evidence-Root; a cpaudit pack states exactly one",
        )),
        [stated] => {
            if **stated != root {
                problems.push(problem(
                    "bag-info.txt",
                    "evidence-root",
                    format!("Evidence-Root says {stated} but the manifest's inputs give {root}"),
                ));
            }
        }
        many => problems.push(problem(
            "bag-info.txt",
            "evidence-root",
            format!(
                "{} Evidence-Root lines ({}); a cpaudit pack states exactly one",
                many.len(),
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
    // Each PDF the pack holds states the evidence root of the inputs in its metadata: a
    // pack whose inputs were changed and re-manifested, Evidence-Root and all, still
    // holds documents that name the old root.
    let failed: BTreeSet<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    let pdfs: Vec<&Line> = sha256_lines
        .iter()
        .filter(|l| {
            l.path.starts_with(&format!("{OUTPUTS}/"))
                && l.path.ends_with(".pdf")
                && !failed.contains(l.path.as_str())
        })
        .collect();
    let stated: Vec<Problem> = pdfs
        .par_iter()
        .with_max_len(1)
        .filter_map(|l| {
            let stated = super::pdf::read_limited(&pack.join(&l.path), false)
                .map_err(|e| crate::error::chain(&e))
                .and_then(|(bytes, _)| {
                    super::pdf::metadata_root(bytes).map_err(|e| e.to_string())
                });
            match stated {
                Ok(r) if r == root => None,
                Ok(r) => Some(problem(
                    &l.path,
                    "evidence-root",
                    format!(
                        "the document's metadata states the evidence root {r} but the pack's inputs give {root}: it was not built from these inputs"
                    ),
                )),
                Err(why) => Some(problem(&l.path, "no-evidence-root", why)),
            }
        })
        .collect();
    problems.extend(stated);
    let documents = sha256_lines
        .iter()
        .filter(|l| l.path.starts_with(&format!("{OUTPUTS}/")))
        .map(|l| Document {
            path: l.path.clone(),
            sha256: l.hash.clone(),
        })
        .collect();
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.kind.cmp(b.kind)));
    problems.dedup();
    let mut manifests: Vec<String> = payload_manifests
        .iter()
        .chain(&tag_manifests)
        .map(|m| m.name.clone())
        .collect();
    manifests.sort();
    Ok(VerifyReport {
        files: sha256_lines.len(),
        bytes,
        identifier: values("external-identifier").first().map(|s| s.to_string()),
        evidence_root: Some(root),
        manifests,
        documents,
        problems,
    })
}

/// `(payload, algorithm)` of a manifest's file name: `manifest-md5.txt` is
/// `(true, "md5")`, `tagmanifest-sha256.txt` `(false, "sha256")`.
fn manifest_alg(name: &str) -> Option<(bool, &str)> {
    let stem = name.strip_suffix(".txt")?;
    if let Some(alg) = stem.strip_prefix("tagmanifest-") {
        Some((false, alg))
    } else {
        stem.strip_prefix("manifest-").map(|alg| (true, alg))
    }
}

/// The names of the entries at the top of the bag (not-UTF-8 names lossily).
fn top_level_names(pack: &Path) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for e in std::fs::read_dir(pack)? {
        names.push(e?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// The tag files of the bag: every plain file outside data/ except the tag manifests.
/// Links, FIFOs, devices, sockets and unreadable folders there are problems.
fn walk_tag_files(pack: &Path, problems: &mut Vec<Problem>) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    let walk = walkdir::WalkDir::new(pack)
        .follow_links(false)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == "data"));
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e
                    .path()
                    .map(|p| rel_path(pack, p))
                    .unwrap_or_else(|| ".".into());
                problems.push(problem(&at, "unreadable", format!("cannot be read ({e})")));
                continue;
            }
        };
        let rel = rel_path(pack, entry.path());
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        match special_kind(&ft) {
            None if entry.depth() == 1 && manifest_alg(&rel).is_some_and(|(p, _)| !p) => {}
            None => {
                files.insert(rel);
            }
            Some(what) => problems.push(special_problem(&rel, what)),
        }
    }
    files
}

/// The bag declaration: exactly `BagIt-Version: 1.0` (or 0.97) and
/// `Tag-File-Character-Encoding: UTF-8` (RFC 8493 §2.1.1).
fn check_declaration(bagit: &str, problems: &mut Vec<Problem>) {
    let lines: Vec<&str> = bagit
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    if !matches!(
        lines.first(),
        Some(&"BagIt-Version: 1.0") | Some(&"BagIt-Version: 0.97")
    ) || lines.get(1) != Some(&"Tag-File-Character-Encoding: UTF-8")
        || lines.len() != 2
    {
        problems.push(problem(
            "bagit.txt",
            "bad-declaration",
            "expected exactly the two lines `BagIt-Version: 1.0` and `Tag-File-Character-Encoding: UTF-8`",
        ));
    }
}

fn read_small(pack: &Path, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let path = pack.join(name);
    if std::fs::symlink_metadata(&path).is_err() {
        problems.push(problem(name, "missing", "the tag file is missing"));
        return None;
    }
    let (file, len) = match open_plain(&path, false) {
        Ok(f) => f,
        Err(OpenError::Special(what)) => {
            problems.push(special_problem(name, what));
            return None;
        }
        Err(OpenError::Io(e)) => {
            problems.push(problem(name, "unreadable", e.to_string()));
            return None;
        }
    };
    if len > MAX_MANIFEST_BYTES {
        problems.push(problem(
            name,
            "too-large",
            format!("{len} bytes; more than the limit of {MAX_MANIFEST_BYTES}"),
        ));
        return None;
    }
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes) {
        problems.push(problem(name, "unreadable", e.to_string()));
        return None;
    }
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        problems.push(problem(
            name,
            "too-large",
            format!("more than the limit of {MAX_MANIFEST_BYTES} bytes"),
        ));
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(s) => Some(s.trim_start_matches('\u{feff}').to_string()),
        Err(_) => {
            problems.push(problem(name, "not-utf8", "cannot be read as UTF-8 text"));
            None
        }
    }
}

/// Parses the text of a manifest (a payload manifest when `payload`, else a tag
/// manifest; `name` is used in messages and gives the algorithm, SHA-256 when it names
/// none cpaudit knows) into its entries (`sha256` holding the hash of that algorithm),
/// and the problems of the lines refused: paths that leave the bag, duplicates,
/// malformed or overlong lines. Never panics, whatever the text.
pub fn parse_manifest_text(text: &str, name: &str, payload: bool) -> (Vec<Entry>, Vec<Problem>) {
    let alg = manifest_alg(name)
        .and_then(|(_, a)| Alg::from_name(a))
        .unwrap_or(Alg::Sha256);
    let mut problems = Vec::new();
    let entries = parse_lines(text, name, alg, payload, &mut problems)
        .into_iter()
        .map(|l| Entry {
            path: l.path,
            sha256: l.hash,
            size: 0,
        })
        .collect();
    (entries, problems)
}

/// Parses manifest lines, refusing paths that leave the bag, duplicate entries, hashes
/// that are not of `alg`, and (in a tag manifest) payload files and tag manifests.
fn parse_lines(
    text: &str,
    name: &str,
    alg: Alg,
    payload: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Line> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{name} line {}", i + 1);
        if line.len() > MAX_LINE {
            problems.push(problem(
                name,
                "bad-line",
                format!("{at} is longer than {MAX_LINE} bytes"),
            ));
            continue;
        }
        let Some((hash, path)) = line.split_once([' ', '\t']) else {
            problems.push(problem(
                name,
                "bad-line",
                format!("{at} is not `hash  path`"),
            ));
            continue;
        };
        let path = path.trim_start_matches([' ', '\t', '*']);
        let hash = hash.to_ascii_lowercase();
        if hash.len() != alg.hex_len() || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            problems.push(problem(
                name,
                "bad-line",
                format!("{at}: `{hash}` is not a {} digest", alg.name()),
            ));
            continue;
        }
        let Some(decoded) = super::decode_path(path) else {
            problems.push(problem(
                path,
                "unsafe-path",
                format!("{at}: a `%` that is not %25, %0A or %0D (RFC 8493 §2.1.3)"),
            ));
            continue;
        };
        let path = decoded.as_str();
        if let Some(why) = unsafe_path(path) {
            problems.push(problem(path, "unsafe-path", format!("{at}: {why}")));
            continue;
        }
        if payload != path.starts_with("data/") {
            let why = if payload {
                "a payload manifest lists only files under data/"
            } else {
                "a tag manifest lists no payload files"
            };
            problems.push(problem(path, "unsafe-path", format!("{at}: {why}")));
            continue;
        }
        if !payload && manifest_alg(path).is_some_and(|(p, _)| !p) {
            problems.push(problem(
                name,
                "bad-line",
                format!(
                    "{at} lists {path}: a tag manifest lists no tag manifest (RFC 8493 §2.2.1)"
                ),
            ));
            continue;
        }
        if !seen.insert(path.to_string()) {
            problems.push(problem(
                path,
                "duplicate",
                format!("{at} lists the file a second time"),
            ));
            continue;
        }
        out.push(Line {
            path: path.to_string(),
            hash,
        });
    }
    out
}

/// Why a manifest path cannot be followed safely.
fn unsafe_path(path: &str) -> Option<&'static str> {
    let p = Path::new(path);
    if path.is_empty() {
        Some("empty path")
    } else if path.contains('\\') {
        Some("a backslash in the path")
    } else if p.is_absolute() || path.starts_with('/') {
        Some("an absolute path")
    } else if path
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
        || p.components().any(|c| !matches!(c, Component::Normal(_)))
    {
        Some("the path leaves the bag (`..` or `.`)")
    } else if path.contains(['\r', '\n']) {
        Some("a line break in the path")
    } else {
        None
    }
}

/// The first part of `rel` (a folder on the way, or the file) that is a link, if any:
/// a link anywhere on the path could lead out of the bag.
fn linked_part(pack: &Path, rel: &str) -> Option<String> {
    let mut path = pack.to_path_buf();
    let mut parts = Vec::new();
    for seg in rel.split('/') {
        path.push(seg);
        parts.push(seg);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Some(parts.join("/")),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Checks one listed file against its hashes `(algorithm, expected hex, manifest)`:
/// its size, or its problems.
fn check_file(pack: &Path, rel: &str, hashes: &[Expected]) -> Result<u64, Vec<Problem>> {
    let manifests = || {
        let mut names: Vec<&str> = hashes.iter().map(|(_, _, m)| *m).collect();
        names.dedup();
        names.join(", ")
    };
    if let Some(link) = linked_part(pack, rel) {
        let detail = if link == rel {
            "a link; a bag holds plain files only".to_string()
        } else {
            format!("`{link}` is a link; a bag holds plain files only")
        };
        return Err(vec![problem(rel, "link", detail)]);
    }
    let path = pack.join(rel);
    let (mut file, _) = match open_plain(&path, false) {
        Ok(f) => f,
        Err(OpenError::Special(what)) => return Err(vec![special_problem(rel, what)]),
        Err(OpenError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![problem(
                rel,
                "missing",
                format!("listed in {} but not in the bag", manifests()),
            )]);
        }
        Err(OpenError::Io(e)) => return Err(vec![problem(rel, "unreadable", e.to_string())]),
    };
    let algs: Vec<Alg> = hashes.iter().map(|(a, _, _)| *a).collect();
    let (found, size) = hash_reader(&mut file, &algs)
        .map_err(|e| vec![problem(rel, "unreadable", e.to_string())])?;
    let wrong: Vec<Problem> = hashes
        .iter()
        .zip(&found)
        .filter(|((_, expected, _), found)| expected != found)
        .map(|((alg, expected, manifest), found)| {
            problem(
                rel,
                "hash-mismatch",
                format!(
                    "expected {expected} found {found} ({}, {manifest})",
                    alg.name()
                ),
            )
        })
        .collect();
    if wrong.is_empty() {
        Ok(size)
    } else {
        Err(wrong)
    }
}

/// The fields of `bag-info.txt` in order, labels lower-cased (RFC 8493 §2.2.2: `Label:
/// value`, continued on lines that start with a space or a tab). Lines that are neither
/// are problems.
fn parse_bag_info(text: &str, problems: &mut Vec<Problem>) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match fields.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => problems.push(problem(
                    "bag-info.txt",
                    "bad-line",
                    format!("line {} continues no field", i + 1),
                )),
            }
            continue;
        }
        match line.split_once(':') {
            Some((label, value)) if !label.trim().is_empty() => {
                fields.push((label.trim().to_lowercase(), value.trim().to_string()))
            }
            _ => problems.push(problem(
                "bag-info.txt",
                "bad-line",
                format!("line {} is not `Label: value`", i + 1),
            )),
        }
    }
    fields
}

fn rel_path(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_bag_are_refused() {
        assert!(unsafe_path("data/../../etc/passwd").is_some());
        assert!(unsafe_path("/etc/passwd").is_some());
        assert!(unsafe_path("data\\x").is_some());
        assert!(unsafe_path("data/./x").is_some());
        assert_eq!(unsafe_path("data/inputs/evidence/监测报告.pdf"), None);
    }

    #[test]
    fn manifest_lines_are_parsed_strictly() {
        let mut p = Vec::new();
        let h = "a".repeat(64);
        let text = format!("{h}  data/a.txt\n{h}  data/a.txt\nzz  data/b\n{h} ../x\n");
        let e = parse_lines(&text, "manifest-sha256.txt", Alg::Sha256, true, &mut p);
        assert_eq!(e.len(), 1);
        let kinds: Vec<&str> = p.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, ["duplicate", "bad-line", "unsafe-path"]);
    }

    #[test]
    fn hashes_have_the_length_of_their_algorithm() {
        let mut p = Vec::new();
        let text = format!("{}  data/a\n{}  data/b\n", "a".repeat(32), "b".repeat(64));
        let e = parse_lines(&text, "manifest-md5.txt", Alg::Md5, true, &mut p);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "data/a");
        assert_eq!(p[0].kind, "bad-line");
    }

    #[test]
    fn every_algorithm_hashes_as_its_reference() {
        // The digests of "abc" in RFC 1321, FIPS 180-4.
        let (d, n) = hash_reader(&mut &b"abc"[..], &Alg::ALL).unwrap();
        assert_eq!(n, 3);
        assert_eq!(d[0], "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(d[1], "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            d[3],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(d.iter().zip(Alg::ALL).all(|(h, a)| h.len() == a.hex_len()));
    }

    #[test]
    fn tag_manifests_do_not_list_tag_manifests() {
        let mut p = Vec::new();
        let h = "a".repeat(64);
        let text = format!("{h}  bagit.txt\n{h}  tagmanifest-md5.txt\n");
        let e = parse_lines(&text, "tagmanifest-sha256.txt", Alg::Sha256, false, &mut p);
        assert_eq!(e.len(), 1);
        assert_eq!(p[0].kind, "bad-line");
    }

    #[test]
    fn bag_info_continuations_and_repeats() {
        let mut p = Vec::new();
        let f = parse_bag_info(
            "Evidence-Root: a\n  b\nevidence-root: c\nnot a field\n",
            &mut p,
        );
        assert_eq!(
            f,
            [
                ("evidence-root".to_string(), "a b".to_string()),
                ("evidence-root".to_string(), "c".to_string())
            ]
        );
        assert_eq!(p.len(), 1);
    }
}

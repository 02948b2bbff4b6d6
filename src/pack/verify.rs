//! `cpaudit verify`: full fixity of a bag. Every listed file is present, is a regular
//! file inside the bag and has its hash; no file in `data/` is unlisted; the tag files
//! are intact; Payload-Oxum and the evidence root agree. Hashing runs in parallel across
//! files. Every problem is named; nothing stops at the first.

use super::{Entry, INPUTS, evidence_root, hash_file};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

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

/// The outcome of verifying a bag.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// Payload files listed.
    pub files: usize,
    /// Payload bytes hashed.
    pub bytes: u64,
    /// The audit's id (External-Identifier).
    pub identifier: Option<String>,
    /// The evidence root recomputed from the manifest's input lines.
    pub evidence_root: Option<String>,
    /// Everything wrong; empty when the bag is valid.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// Whether the bag is valid.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn problem(path: &str, kind: &'static str, detail: impl Into<String>) -> Problem {
    Problem {
        path: path.to_string(),
        kind,
        detail: detail.into(),
    }
}

/// Verifies the bag at `pack`. `Err` when it is not a bag at all.
pub fn verify(pack: &Path) -> Result<VerifyReport, String> {
    verify_with_progress(pack, &|_| {}, &|_| {})
}

/// [`verify`], telling `start` the payload bytes to hash and `advance` each file's bytes
/// as it is hashed (from several threads), for a progress bar.
pub fn verify_with_progress(
    pack: &Path,
    start: &dyn Fn(u64),
    advance: &(dyn Fn(u64) + Sync),
) -> Result<VerifyReport, String> {
    if !pack.join("bagit.txt").is_file() {
        return Err(format!(
            "`{}` is not a BagIt bag: it has no bagit.txt",
            pack.display()
        ));
    }
    let mut problems = Vec::new();
    let bagit = read_small(pack, "bagit.txt", &mut problems).unwrap_or_default();
    let mut lines = bagit.lines();
    if !matches!(
        lines.next(),
        Some("BagIt-Version: 1.0") | Some("BagIt-Version: 0.97")
    ) || lines.next() != Some("Tag-File-Character-Encoding: UTF-8")
    {
        problems.push(problem(
            "bagit.txt",
            "bad-declaration",
            "expected `BagIt-Version: 1.0` and `Tag-File-Character-Encoding: UTF-8`",
        ));
    }
    let manifest = read_small(pack, "manifest-sha256.txt", &mut problems).unwrap_or_default();
    let entries = parse_manifest(&manifest, "manifest-sha256.txt", true, &mut problems);

    // Payload: every listed file, hashed in parallel, largest first so that the cores
    // finish together.
    let mut order: Vec<(u64, &Entry)> = entries
        .iter()
        .map(|e| {
            (
                std::fs::symlink_metadata(pack.join(&e.path))
                    .map(|m| m.len())
                    .unwrap_or(0),
                e,
            )
        })
        .collect();
    order.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    start(order.iter().map(|(n, _)| n).sum());
    let checked: Vec<(Option<Problem>, u64)> = order
        .par_iter()
        .with_max_len(1)
        .map(|(n, e)| {
            let r = match check_file(pack, e) {
                Ok(size) => (None, size),
                Err(p) => (Some(p), 0),
            };
            advance(*n);
            r
        })
        .collect();
    let bytes = checked.iter().map(|(_, s)| s).sum();
    problems.extend(checked.into_iter().filter_map(|(p, _)| p));

    // No unlisted payload file, and no links.
    let listed: BTreeSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    let data = pack.join("data");
    let data_is_link = std::fs::symlink_metadata(&data).is_ok_and(|m| m.file_type().is_symlink());
    if data_is_link {
        problems.push(problem(
            "data",
            "link",
            "data/ is a link; a bag holds plain files only",
        ));
    } else if !data.is_dir() {
        problems.push(problem("data", "missing", "the bag has no data/ folder"));
    } else {
        for entry in walkdir::WalkDir::new(&data)
            .follow_links(false)
            .sort_by_file_name()
        {
            let Ok(entry) = entry else { continue };
            let rel = rel_path(pack, entry.path());
            if entry.path_is_symlink() {
                problems.push(problem(
                    &rel,
                    "link",
                    "a link in the payload; a bag holds plain files only",
                ));
            } else if entry.file_type().is_file() && !listed.contains(rel.as_str()) {
                problems.push(problem(
                    &rel,
                    "unlisted",
                    "the file is in data/ but not in manifest-sha256.txt",
                ));
            }
        }
    }

    // Tag files.
    let tagmanifest = read_small(pack, "tagmanifest-sha256.txt", &mut problems).unwrap_or_default();
    let tags = parse_manifest(&tagmanifest, "tagmanifest-sha256.txt", false, &mut problems);
    for required in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] {
        if !tags.iter().any(|t| t.path == required) {
            problems.push(problem(
                "tagmanifest-sha256.txt",
                "incomplete",
                format!("does not list {required}"),
            ));
        }
    }
    for t in &tags {
        if let Err(p) = check_file(pack, t) {
            problems.push(p);
        }
    }

    // bag-info.txt: Payload-Oxum and the evidence root.
    let info = read_small(pack, "bag-info.txt", &mut problems).unwrap_or_default();
    let fields = parse_bag_info(&info);
    match fields.get("payload-oxum") {
        Some(_) if data_is_link => {}
        Some(oxum) => {
            let (octets, files) = walk_count(&data);
            let actual = format!("{octets}.{files}");
            if *oxum != actual {
                problems.push(problem(
                    "bag-info.txt",
                    "payload-oxum",
                    format!("Payload-Oxum says {oxum} (bytes.files) but data/ holds {actual}"),
                ));
            }
        }
        None => problems.push(problem("bag-info.txt", "payload-oxum", "no Payload-Oxum")),
    }
    let mut inputs: Vec<Entry> = entries
        .iter()
        .filter(|e| e.path.starts_with(&format!("{INPUTS}/")))
        .cloned()
        .collect();
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    let root = (!inputs.is_empty()).then(|| evidence_root(&inputs));
    if let (Some(root), Some(stated)) = (&root, fields.get("evidence-root"))
        && root != stated
    {
        problems.push(problem(
            "bag-info.txt",
            "evidence-root",
            format!("Evidence-Root says {stated} but the manifest's inputs give {root}"),
        ));
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.kind.cmp(b.kind)));
    problems.dedup();
    Ok(VerifyReport {
        files: entries.len(),
        bytes,
        identifier: fields.get("external-identifier").cloned(),
        evidence_root: root,
        problems,
    })
}

fn read_small(pack: &Path, name: &str, problems: &mut Vec<Problem>) -> Option<String> {
    let path = pack.join(name);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(_) => {
            problems.push(problem(name, "missing", "the tag file is missing"));
            return None;
        }
    };
    if !meta.is_file() {
        problems.push(problem(name, "link", "not a regular file"));
        return None;
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        problems.push(problem(
            name,
            "too-large",
            format!(
                "{} bytes; more than the limit of {MAX_MANIFEST_BYTES}",
                meta.len()
            ),
        ));
        return None;
    }
    match std::fs::read(&path).map(String::from_utf8) {
        Ok(Ok(s)) => Some(s.trim_start_matches('\u{feff}').to_string()),
        _ => {
            problems.push(problem(name, "not-utf8", "cannot be read as UTF-8 text"));
            None
        }
    }
}

/// Parses the text of a manifest (`manifest-sha256.txt` when `payload`, else
/// `tagmanifest-sha256.txt`; `name` is used in messages) into its entries, and the
/// problems of the lines refused: paths that leave the bag, duplicates, malformed or
/// overlong lines. Never panics, whatever the text.
pub fn parse_manifest_text(text: &str, name: &str, payload: bool) -> (Vec<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let entries = parse_manifest(text, name, payload, &mut problems);
    (entries, problems)
}

/// Parses manifest lines, refusing paths that leave the bag and duplicate entries.
fn parse_manifest(
    text: &str,
    name: &str,
    payload: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Entry> {
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
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            problems.push(problem(
                name,
                "bad-line",
                format!("{at}: `{hash}` is not a SHA-256"),
            ));
            continue;
        }
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
        if !seen.insert(path.to_string()) {
            problems.push(problem(
                path,
                "duplicate",
                format!("{at} lists the file a second time"),
            ));
            continue;
        }
        out.push(Entry {
            path: path.to_string(),
            sha256: hash,
            size: 0,
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
    } else if path.contains('%') {
        Some("a percent-encoded path, which cpaudit never writes")
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

fn check_file(pack: &Path, e: &Entry) -> Result<u64, Problem> {
    if let Some(link) = linked_part(pack, &e.path) {
        return Err(problem(
            &e.path,
            "link",
            format!("`{link}` is a link; a bag holds plain files only"),
        ));
    }
    let path = pack.join(&e.path);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| {
        problem(
            &e.path,
            "missing",
            "listed in the manifest but not in the bag",
        )
    })?;
    if meta.file_type().is_symlink() {
        return Err(problem(
            &e.path,
            "link",
            "a link; a bag holds plain files only",
        ));
    }
    if !meta.is_file() {
        return Err(problem(
            &e.path,
            "not-a-file",
            "listed as a file but is a folder",
        ));
    }
    let (hash, size) =
        hash_file(&path).map_err(|err| problem(&e.path, "unreadable", err.to_string()))?;
    if hash != e.sha256 {
        return Err(problem(
            &e.path,
            "hash-mismatch",
            format!("expected {} found {hash}", e.sha256),
        ));
    }
    Ok(size)
}

fn parse_bag_info(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
        .collect()
}

fn rel_path(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Bytes and number of regular files under `dir`.
fn walk_count(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_file() {
            files += 1;
            bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    (bytes, files)
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
        let e = parse_manifest(&text, "manifest-sha256.txt", true, &mut p);
        assert_eq!(e.len(), 1);
        let kinds: Vec<&str> = p.iter().map(|x| x.kind).collect();
        assert_eq!(kinds, ["duplicate", "bad-line", "unsafe-path"]);
    }
}

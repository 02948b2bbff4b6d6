//! Hostile packs given to `cpaudit verify`: paths leaving the bag, absolute paths,
//! links (to files, to folders, data/ itself), duplicate entries, enormous lines and
//! files. Each must be refused (exit 1, the problem named) without reading anything
//! outside the bag, without a panic, quickly.



use crate::common::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One build of the sample, shared by the cases, each of which works on a copy.
fn built_pack() -> &'static Path {
    static PACK: OnceLock<PathBuf> = OnceLock::new();
    PACK.get_or_init(|| {
        let out = scratch("hostile-pack").join("build");
        let opts = cpaudit::BuildOptions {
            root: sample(),
            out: out.clone(),
            emit_typst: None,
        };
        if let Err(cpaudit::BuildError::Audit(d)) = cpaudit::build(&opts) {
            panic!("{}", d.render_human(&[], false));
        }
        out.join("pack")
    })
}

fn copy_pack(name: &str) -> PathBuf {
    let to = scratch(name).join("pack");
    for e in walkdir::WalkDir::new(built_pack()) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(built_pack()).unwrap();
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
    to
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
}

/// Runs `verify --format json`; asserts exit 1, no panic, and a problem of `kind`
/// (on `path` when given). Returns the report.
fn refused(pack: &Path, kind: &str, path: Option<&str>) -> serde_json::Value {
    let t = Instant::now();
    let out = cpaudit(&["verify", pack.to_str().unwrap(), "--format", "json"]);
    let took = t.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(took < Duration::from_secs(20), "verify took {took:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = json["report"]["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["kind"] == kind && path.is_none_or(|want| p["path"] == want)),
        "no {kind} problem at {path:?}: {json:#}"
    );
    // The human form names it too.
    let out = cpaudit(&["verify", pack.to_str().unwrap()]);
    let human = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(human.contains(&format!("({kind})")), "{human}");
    json
}

const HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn manifest_paths_leaving_the_bag_are_refused() {
    for path in [
        "data/../../etc/passwd",
        "../outside.txt",
        "/etc/passwd",
        "data/./x",
        "data\\..\\x",
        "data//x",
    ] {
        let pack = copy_pack("escape");
        append(
            &pack.join("manifest-sha256.txt"),
            &format!("{HASH}  {path}\n"),
        );
        refused(&pack, "unsafe-path", Some(path));
    }
    let pack = copy_pack("tag-escape");
    append(
        &pack.join("tagmanifest-sha256.txt"),
        &format!("{HASH}  ../../etc/passwd\n"),
    );
    refused(&pack, "unsafe-path", Some("../../etc/passwd"));
}

#[test]
fn duplicate_entries_are_refused() {
    let pack = copy_pack("dup");
    let manifest = std::fs::read_to_string(pack.join("manifest-sha256.txt")).unwrap();
    let first = manifest.lines().next().unwrap().to_string();
    append(&pack.join("manifest-sha256.txt"), &format!("{first}\n"));
    let path = first.split_once("  ").unwrap().1;
    refused(&pack, "duplicate", Some(path));
}

#[test]
fn enormous_lines_and_files_are_refused_in_bounded_time() {
    // A 100 MB line: the manifest is over the size limit, refused unread.
    let pack = copy_pack("huge-line");
    let huge = format!("{HASH}  data/{}\n", "x".repeat(100 << 20));
    append(&pack.join("manifest-sha256.txt"), &huge);
    refused(&pack, "too-large", Some("manifest-sha256.txt"));
    // A 1 MB line in a manifest under the limit: that line is refused, the rest read.
    let pack = copy_pack("long-line");
    let long = format!("{HASH}  data/{}\n", "y".repeat(1 << 20));
    append(&pack.join("manifest-sha256.txt"), &long);
    refused(&pack, "bad-line", Some("manifest-sha256.txt"));
    // A bag-info.txt of 100 MB.
    let pack = copy_pack("huge-info");
    append(&pack.join("bag-info.txt"), &"z".repeat(100 << 20));
    refused(&pack, "too-large", Some("bag-info.txt"));
    // Garbage that is not UTF-8.
    let pack = copy_pack("binary");
    std::fs::write(pack.join("manifest-sha256.txt"), [0xFFu8, 0xFE, 0x00, 0x80]).unwrap();
    refused(&pack, "not-utf8", Some("manifest-sha256.txt"));
}

#[test]
fn links_in_the_bag_are_refused_and_not_followed() {
    let link = |to: &Path, at: &Path| std::os::unix::fs::symlink(to, at).unwrap();

    // data/ holds a link to /etc.
    let pack = copy_pack("link-etc");
    link(Path::new("/etc"), &pack.join("data/etc"));
    refused(&pack, "link", Some("data/etc"));

    // The manifest lists a file through that link: refused, /etc/passwd not hashed.
    let pack = copy_pack("link-through");
    link(Path::new("/etc"), &pack.join("data/etc"));
    let (hash, _) = cpaudit::pack::hash_file(Path::new("/etc/passwd")).unwrap();
    append(
        &pack.join("manifest-sha256.txt"),
        &format!("{hash}  data/etc/passwd\n"),
    );
    let json = refused(&pack, "link", Some("data/etc/passwd"));
    assert!(json["report"]["bytes"].as_u64().unwrap() > 0);

    // A payload file replaced by a link to /etc/passwd.
    let pack = copy_pack("link-file");
    let manifest = std::fs::read_to_string(pack.join("manifest-sha256.txt")).unwrap();
    let victim = manifest
        .lines()
        .next()
        .unwrap()
        .split_once("  ")
        .unwrap()
        .1
        .to_string();
    std::fs::remove_file(pack.join(&victim)).unwrap();
    link(Path::new("/etc/passwd"), &pack.join(&victim));
    refused(&pack, "link", Some(&victim));

    // data/ itself a link.
    let pack = copy_pack("link-data");
    let real = pack.parent().unwrap().join("real-data");
    std::fs::rename(pack.join("data"), &real).unwrap();
    link(&real, &pack.join("data"));
    refused(&pack, "link", Some("data"));

    // A tag file that is a link to /etc/passwd.
    let pack = copy_pack("link-tag");
    std::fs::remove_file(pack.join("manifest-sha256.txt")).unwrap();
    link(Path::new("/etc/passwd"), &pack.join("manifest-sha256.txt"));
    refused(&pack, "link", Some("manifest-sha256.txt"));
}

#[test]
fn a_folder_that_is_not_a_bag_is_a_usage_error() {
    let dir = scratch("not-a-bag");
    let out = cpaudit(&["verify", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bagit.txt"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn the_manifest_parser_survives_anything() {
    let (entries, problems) = cpaudit::pack::parse_manifest_text(
        &format!(
            "{HASH}  data/a\n\n\r\n{HASH}\tdata/b\r\nnot a line\n{HASH}  \n{}\n{HASH}  data/a\n",
            "é".repeat(10_000)
        ),
        "manifest-sha256.txt",
        true,
    );
    let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["data/a", "data/b"]);
    let kinds: Vec<&str> = problems.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, ["bad-line", "unsafe-path", "bad-line", "duplicate"]);
}

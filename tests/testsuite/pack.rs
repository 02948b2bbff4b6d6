//! The evidence pack: bagit-python accepts it, `verify` accepts it untouched and names
//! every tampered file, `--rebuild` reproduces the documents, and builds in different
//! folders are byte-identical.

use crate::common::*;
use cpaudit::{BuildOptions, build};
use std::path::{Path, PathBuf};
use std::process::Command;

fn build_into(root: &Path, out: &Path) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        emit_typst: None,
    };
    if let Err(cpaudit::BuildError::Audit(d, _)) = build(&opts) {
        panic!("{}", d.render_human(&[], false));
    }
}

/// A fresh build of the sample, and its pack.
fn fresh_pack(name: &str) -> PathBuf {
    let out = scratch(name).join("build");
    build_into(&sample(), &out);
    out.join("pack")
}

fn problems(pack: &Path) -> Vec<(String, &'static str)> {
    cpaudit::pack::verify(pack)
        .unwrap()
        .problems
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect()
}

fn rehash_manifest_line(pack: &Path, rel: &str) {
    use sha2::{Digest, Sha256};
    let data = std::fs::read(pack.join(rel)).unwrap();
    let hash = cpaudit::pack::hex(&Sha256::digest(&data));
    let manifest = std::fs::read_to_string(pack.join("manifest-sha256.txt")).unwrap();
    let fixed: String = manifest
        .lines()
        .map(|l| {
            if l.ends_with(&format!("  {rel}")) {
                format!("{hash}  {rel}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(pack.join("manifest-sha256.txt"), fixed).unwrap();
}

#[test]
fn untouched_pack_verifies_and_bagit_python_agrees() {
    let pack = fresh_pack("untouched");
    assert!(problems(&pack).is_empty(), "{:?}", problems(&pack));
    let out = cpaudit(&["verify", pack.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if have_bagit() {
        let o = Command::new("python3")
            .args(["-m", "bagit", "--validate"])
            .arg(&pack)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "bagit.py rejects the pack: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

fn have_bagit() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import bagit"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && std::env::var_os("CPAUDIT_REQUIRE_TOOLS").is_some() {
        panic!("bagit-python is required (CPAUDIT_REQUIRE_TOOLS is set)");
    }
    ok
}

#[test]
fn every_tampering_is_caught_and_named() {
    let base = fresh_pack("tamper");
    let case = |name: &str, tamper: &dyn Fn(&Path), expect_path: &str, expect_kind: &str| {
        let dir = scratch(&format!("tamper-{name}")).join("pack");
        copy_dir(&base, &dir);
        tamper(&dir);
        let found = problems(&dir);
        assert!(
            found
                .iter()
                .any(|(p, k)| p == expect_path && *k == expect_kind),
            "{name}: expected {expect_kind} on {expect_path}, got {found:?}"
        );
        let out = cpaudit(&["verify", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}: verify must exit 1");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(expect_path),
            "{name}: file not named"
        );
    };
    let wb = "data/inputs/data/balance.xlsx";
    case("flip", &|d| flip_byte(&d.join(wb)), wb, "hash-mismatch");
    case(
        "delete",
        &|d| std::fs::remove_file(d.join(wb)).unwrap(),
        wb,
        "missing",
    );
    case(
        "extra",
        &|d| std::fs::write(d.join("data/extra.txt"), "x").unwrap(),
        "data/extra.txt",
        "unlisted",
    );
    case(
        "rename",
        &|d| std::fs::rename(d.join(wb), d.join("data/inputs/data/balance2.xlsx")).unwrap(),
        wb,
        "missing",
    );
    case(
        "append",
        &|d| {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .append(true)
                .open(d.join(wb))
                .unwrap()
                .write_all(b"!")
                .unwrap();
        },
        wb,
        "hash-mismatch",
    );
    case(
        "rehashed",
        &|d| {
            flip_byte(&d.join(wb));
            rehash_manifest_line(d, wb);
        },
        "manifest-sha256.txt",
        "hash-mismatch",
    );
    case(
        "bag-info",
        &|d| {
            let p = d.join("bag-info.txt");
            let t = std::fs::read_to_string(&p)
                .unwrap()
                .replace("Bagging-Date: 2", "Bagging-Date: 1");
            std::fs::write(p, t).unwrap();
        },
        "bag-info.txt",
        "hash-mismatch",
    );
}

#[test]
fn a_consistent_forgery_is_caught_by_rebuilding() {
    let pack = fresh_pack("forgery");
    let out = cpaudit(&["verify", "--rebuild", pack.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "untouched pack must rebuild: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let old_root = cpaudit::pack::verify(&pack).unwrap().evidence_root.unwrap();

    // Change a narrative figure, then make every hash consistent again: the manifest
    // line, the evidence root in bag-info.txt and the tag manifest.
    let rel = "data/inputs/narratives/05-feasibility.yaml";
    let text = std::fs::read_to_string(pack.join(rel)).unwrap();
    // Same length, so that Payload-Oxum still holds: swap the first digit of a figure.
    let at = text.find("cost_reduction: ").unwrap() + "cost_reduction: ".len();
    let digit = &text[at..at + 1];
    let forged = format!(
        "{}{}{}",
        &text[..at],
        if digit == "9" { "8" } else { "9" },
        &text[at + 1..]
    );
    assert_ne!(forged, text);
    std::fs::write(pack.join(rel), forged).unwrap();
    rehash_manifest_line(&pack, rel);
    let root = cpaudit::pack::verify(&pack).unwrap().evidence_root.unwrap();
    assert_ne!(old_root, root);
    let info = std::fs::read_to_string(pack.join("bag-info.txt")).unwrap();
    let info: String = info
        .lines()
        .map(|l| {
            if l.starts_with("Evidence-Root:") {
                format!("Evidence-Root: {root}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(pack.join("bag-info.txt"), info).unwrap();
    rehash_tag_manifest(&pack);
    // The documents still state the old root in their metadata: caught without
    // rebuilding, each document named.
    let report = cpaudit::pack::verify(&pack).unwrap();
    for doc in ["report.zh.pdf", "report.en.pdf", "notice.zh.pdf"] {
        let path = format!("data/outputs/{doc}");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.path == path && p.kind == "evidence-root"),
            "{doc}: {:?}",
            report.problems
        );
    }
    let out = cpaudit(&["verify", pack.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    // The forger also puts the new root into each PDF's metadata (the same number of
    // bytes, so the PDFs stay valid) and rehashes them.
    for e in std::fs::read_dir(pack.join("data/outputs")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "pdf") {
            let bytes = std::fs::read(&path).unwrap();
            let patched = replace_bytes(&bytes, old_root.as_bytes(), root.as_bytes());
            assert_ne!(bytes, patched, "{}", path.display());
            std::fs::write(&path, patched).unwrap();
            let rel = format!(
                "data/outputs/{}",
                path.file_name().unwrap().to_str().unwrap()
            );
            rehash_manifest_line(&pack, &rel);
        }
    }
    rehash_tag_manifest(&pack);
    let report = cpaudit::pack::verify(&pack).unwrap();
    assert!(
        report.ok(),
        "the forgery must pass fixity for this test to mean anything: {:?}",
        report.problems
    );
    let out = cpaudit(&["verify", "--rebuild", pack.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("report.zh.pdf"));
}

fn replace_bytes(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

fn rehash_tag_manifest(pack: &Path) {
    use sha2::{Digest, Sha256};
    let mut text = String::new();
    for name in ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"] {
        let data = std::fs::read(pack.join(name)).unwrap();
        text.push_str(&format!(
            "{}  {name}\n",
            cpaudit::pack::hex(&Sha256::digest(&data))
        ));
    }
    std::fs::write(pack.join("tagmanifest-sha256.txt"), text).unwrap();
}

#[test]
fn builds_in_different_folders_and_time_zones_are_identical() {
    let a = copy_sample("repro-a");
    let b = copy_sample("repro-b");
    let out_a = a.join("build");
    build_into(&a, &out_a);
    let out_b = scratch("repro-b-out").join("elsewhere");
    let status = Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .env("TZ", "America/Los_Angeles")
        .args([
            "build",
            b.to_str().unwrap(),
            "--out",
            out_b.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    for f in [
        "report.zh.pdf",
        "report.en.pdf",
        "notice.zh.pdf",
        "notice.en.pdf",
        "results.json",
        "pack/manifest-sha256.txt",
        "pack/bag-info.txt",
        "pack/tagmanifest-sha256.txt",
    ] {
        assert!(
            std::fs::read(out_a.join(f)).unwrap() == std::fs::read(out_b.join(f)).unwrap(),
            "{f} differs between builds"
        );
    }
}

fn flip_byte(p: &Path) {
    let mut data = std::fs::read(p).unwrap();
    let i = data.len() / 2;
    data[i] ^= 0x01;
    std::fs::write(p, data).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

#[test]
fn a_pdf_names_the_pack_it_was_built_from() {
    let pack = fresh_pack("pdf-root");
    let pdf = pack.join("data/outputs/report.en.pdf");
    let ok = cpaudit(&[
        "verify",
        pdf.to_str().unwrap(),
        "--pack",
        pack.to_str().unwrap(),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let other = fresh_pack("pdf-root-other");
    let input = other.join("data/inputs/evidence");
    let first = std::fs::read_dir(&input)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    flip_byte(&first);
    let bad = cpaudit(&[
        "verify",
        pdf.to_str().unwrap(),
        "--pack",
        other.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
}

/// `cpaudit verify --rebuild PACK --format json`: the exit code and the document.
fn rebuild_json(pack: &Path) -> (Option<i32>, serde_json::Value, String) {
    let out = cpaudit(&[
        "verify",
        "--rebuild",
        pack.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    (out.status.code(), json, stderr)
}

fn mismatches(json: &serde_json::Value) -> Vec<(String, String)> {
    json["rebuild"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["file"].as_str().unwrap().to_string(),
                m["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_pack_whose_documents_were_removed_does_not_rebuild() {
    let base = fresh_pack("no-outputs");
    let documents: Vec<String> = {
        let mut d: Vec<String> = std::fs::read_dir(base.join("data/outputs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        d.sort();
        d
    };
    assert_eq!(documents.len(), 7, "{documents:?}");

    // data/outputs deleted and the pack re-manifested: every hash agrees, so the pack is
    // valid as a bag, but the rebuild produces seven documents that it does not hold.
    let pack = scratch("no-outputs-copy").join("pack");
    copy_dir(&base, &pack);
    std::fs::remove_dir_all(pack.join("data/outputs")).unwrap();
    crate::hostile_pack::remanifest(&pack);
    assert!(problems(&pack).is_empty(), "{:?}", problems(&pack));
    let (code, json, _) = rebuild_json(&pack);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(json["valid"], false);
    let want: Vec<(String, String)> = documents
        .iter()
        .map(|d| (d.clone(), "not-packed".to_string()))
        .collect();
    assert_eq!(mismatches(&json), want);
    let out = cpaudit(&["verify", "--rebuild", pack.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("report.zh.pdf") && stderr.contains("(not-packed)"));
    assert!(!stderr.contains("every document reproduced"), "{stderr}");
    // A report of the original pack is no document of this one.
    let pdf = base.join("data/outputs/report.zh.pdf");
    let out = cpaudit(&[
        "verify",
        pdf.to_str().unwrap(),
        "--pack",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));

    // One document removed and another, foreign one added: both named, both ways.
    let pack = scratch("one-output-swapped").join("pack");
    copy_dir(&base, &pack);
    std::fs::remove_file(pack.join("data/outputs/report.public.en.pdf")).unwrap();
    std::fs::copy(
        base.join("data/outputs/report.en.pdf"),
        pack.join("data/outputs/annex.pdf"),
    )
    .unwrap();
    crate::hostile_pack::remanifest(&pack);
    assert!(problems(&pack).is_empty(), "{:?}", problems(&pack));
    let (code, json, _) = rebuild_json(&pack);
    assert_eq!(code, Some(1), "{json:#}");
    assert_eq!(
        mismatches(&json),
        [
            ("annex.pdf".to_string(), "not-rebuilt".to_string()),
            ("report.public.en.pdf".to_string(), "not-packed".to_string()),
        ]
    );
}

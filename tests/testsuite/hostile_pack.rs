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
        if let Err(cpaudit::BuildError::Audit(d, _)) = cpaudit::build(&opts) {
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

// ------------------------------------------------------------ every manifest (RFC 8493)

/// The payload files of a bag (relative paths), sorted.
fn payload_files(pack: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(pack.join("data"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(pack)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    files.sort();
    files
}

fn hash_with(path: &Path, alg: cpaudit::pack::Alg) -> String {
    let mut f = std::fs::File::open(path).unwrap();
    cpaudit::pack::hash_reader(&mut f, &[alg])
        .unwrap()
        .0
        .remove(0)
}

/// Writes `manifest-<alg>.txt` listing every payload file, as a bagging tool would.
fn write_manifest(pack: &Path, alg: cpaudit::pack::Alg) {
    let text: String = payload_files(pack)
        .iter()
        .map(|f| format!("{}  {f}\n", hash_with(&pack.join(f), alg)))
        .collect();
    std::fs::write(pack.join(format!("manifest-{}.txt", alg.name())), text).unwrap();
}

/// Rewrites every tag manifest present so that it lists every other top-level file
/// with its hash: what a forger who knows the format does after editing a tag file.
fn rehash_tags(pack: &Path) {
    let mut tags: Vec<String> = std::fs::read_dir(pack)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| !n.starts_with("tagmanifest-"))
        .collect();
    tags.sort();
    for alg in cpaudit::pack::Alg::ALL {
        let name = format!("tagmanifest-{}.txt", alg.name());
        if pack.join(&name).exists() {
            let text: String = tags
                .iter()
                .map(|t| format!("{}  {t}\n", hash_with(&pack.join(t), alg)))
                .collect();
            std::fs::write(pack.join(&name), text).unwrap();
        }
    }
}

/// Rewrites manifest-sha256.txt from what data/ holds, Payload-Oxum, and the tag
/// manifests: a re-manifested pack that every hash agrees with.
pub(crate) fn remanifest(pack: &Path) {
    write_manifest(pack, cpaudit::pack::Alg::Sha256);
    let files = payload_files(pack);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(pack.join(f)).unwrap().len())
        .sum();
    edit_bag_info(pack, &|info| {
        info.lines()
            .map(|l| {
                if l.starts_with("Payload-Oxum:") {
                    format!("Payload-Oxum: {bytes}.{}\n", files.len())
                } else {
                    format!("{l}\n")
                }
            })
            .collect()
    });
}

/// Edits bag-info.txt, then makes the tag manifests agree.
fn edit_bag_info(pack: &Path, edit: &dyn Fn(&str) -> String) {
    let p = pack.join("bag-info.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, edit(&text)).unwrap();
    rehash_tags(pack);
}

fn verify_json(pack: &Path) -> (Option<i32>, serde_json::Value) {
    let out = cpaudit(&["verify", pack.to_str().unwrap(), "--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn pack_root() -> String {
    cpaudit::pack::verify(built_pack())
        .unwrap()
        .evidence_root
        .unwrap()
}

#[test]
fn every_manifest_of_every_algorithm_is_checked() {
    use cpaudit::pack::Alg;
    // A pack with payload and tag manifests of md5, sha1 and sha512 besides cpaudit's
    // sha256 ones, all correct: valid for cpaudit and for bagit-python.
    let base = copy_pack("all-algs");
    for alg in [Alg::Md5, Alg::Sha1, Alg::Sha512] {
        write_manifest(&base, alg);
        std::fs::write(base.join(format!("tagmanifest-{}.txt", alg.name())), "").unwrap();
    }
    rehash_tags(&base);
    let (code, json) = verify_json(&base);
    assert_eq!(code, Some(0), "{json:#}");
    let manifests = json["report"]["manifests"].as_array().unwrap();
    assert_eq!(manifests.len(), 8, "{manifests:?}");
    if have_bagit() {
        let o = std::process::Command::new("python3")
            .args(["-m", "bagit", "--validate"])
            .arg(&base)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    let victim = "data/inputs/data/balance.xlsx";
    // One wrong line in manifest-md5.txt, the tag manifests made to agree: the sha256
    // manifest alone would call the pack valid.
    let pack = copy_from(&base, "md5-wrong");
    let p = pack.join("manifest-md5.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    let line = text
        .lines()
        .find(|l| l.ends_with(victim))
        .unwrap()
        .to_string();
    let forged = format!("{}  {victim}", "0".repeat(32));
    std::fs::write(&p, text.replace(&line, &forged)).unwrap();
    rehash_tags(&pack);
    let json = refused(&pack, "hash-mismatch", Some(victim));
    assert!(json.to_string().contains("manifest-md5.txt"), "{json:#}");

    // manifest-sha1.txt that leaves a payload file out (RFC 8493 §3: every payload
    // manifest lists every payload file).
    let pack = copy_from(&base, "sha1-short");
    let p = pack.join("manifest-sha1.txt");
    let text: String = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with(victim))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, text).unwrap();
    rehash_tags(&pack);
    let json = refused(&pack, "unlisted", Some(victim));
    assert!(json.to_string().contains("manifest-sha1.txt"), "{json:#}");

    // manifest-sha512.txt listing a file that is not there.
    let pack = copy_from(&base, "sha512-extra");
    let ghost = "data/inputs/evidence/ghost.txt";
    append(
        &pack.join("manifest-sha512.txt"),
        &format!("{}  {ghost}\n", "a".repeat(128)),
    );
    rehash_tags(&pack);
    refused(&pack, "missing", Some(ghost));

    // A wrong tag manifest of another algorithm.
    let pack = copy_from(&base, "tag-md5-wrong");
    let p = pack.join("tagmanifest-md5.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    let first = text.lines().next().unwrap().to_string();
    let (_, name) = first.split_once("  ").unwrap();
    let forged = format!("{}  {name}", "1".repeat(32));
    std::fs::write(&p, text.replace(&first, &forged)).unwrap();
    refused(&pack, "hash-mismatch", Some(name));

    // A tag manifest that does not list a payload manifest present.
    let pack = copy_from(&base, "tag-incomplete");
    let p = pack.join("tagmanifest-sha256.txt");
    let text: String = std::fs::read_to_string(&p)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with("manifest-md5.txt"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, text).unwrap();
    refused(&pack, "incomplete", Some("tagmanifest-sha256.txt"));
}

#[test]
fn a_manifest_of_an_unknown_algorithm_is_a_problem_named() {
    for name in ["manifest-blake3.txt", "tagmanifest-sha3.txt"] {
        let pack = copy_pack("unknown-alg");
        let digest = "ab".repeat(32);
        let text: String = payload_files(&pack)
            .iter()
            .map(|f| format!("{digest}  {f}\n"))
            .collect();
        std::fs::write(pack.join(name), text).unwrap();
        rehash_tags(&pack);
        let json = refused(&pack, "unknown-algorithm", Some(name));
        assert!(json["report"]["problems"].to_string().contains("sha256"));
    }
}

#[test]
fn bag_info_states_exactly_one_evidence_root_that_matches() {
    let root = pack_root();
    let other = "0".repeat(64);

    // No Evidence-Root at all (the tag manifest made to agree).
    let pack = copy_pack("no-root");
    edit_bag_info(&pack, &|t| {
        t.lines()
            .filter(|l| !l.starts_with("Evidence-Root:"))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    refused(&pack, "evidence-root", Some("bag-info.txt"));

    // Two: a wrong one, then the right one (once only the last was checked), and the
    // right one twice.
    for first in [other.as_str(), root.as_str()] {
        let pack = copy_pack("two-roots");
        edit_bag_info(&pack, &|t| {
            t.replace(
                "Evidence-Root:",
                &format!("Evidence-Root: {first}\nEvidence-Root:"),
            )
        });
        let json = refused(&pack, "evidence-root", Some("bag-info.txt"));
        assert!(
            json.to_string().contains("2 Evidence-Root lines"),
            "{json:#}"
        );
    }

    // The label in another case is the same label (labels are compared ignoring case).
    let pack = copy_pack("root-case");
    edit_bag_info(&pack, &|t| format!("{t}EVIDENCE-ROOT: {other}\n"));
    refused(&pack, "evidence-root", Some("bag-info.txt"));

    // A root continued on the next line is another root.
    let pack = copy_pack("root-continued");
    edit_bag_info(&pack, &|t| t.replace(&root, &format!("{root}\n  {other}")));
    refused(&pack, "evidence-root", Some("bag-info.txt"));

    // Every input removed and the pack re-manifested, Evidence-Root kept: the root of no
    // inputs is still compared (it was skipped when there were none).
    let pack = copy_pack("no-inputs");
    std::fs::remove_dir_all(pack.join("data/inputs")).unwrap();
    remanifest(&pack);
    let json = refused(&pack, "evidence-root", Some("bag-info.txt"));
    assert!(
        json["report"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "missing" && p["path"] == "data/inputs/audit.yaml"),
        "{json:#}"
    );
}

#[test]
fn special_files_in_data_are_failures_named() {
    use std::os::unix::net::UnixListener;

    // A FIFO nobody lists: named, and verify does not hang on it.
    let pack = copy_pack("fifo");
    mkfifo(&pack.join("data/inputs/evidence/pipe"));
    refused(&pack, "special-file", Some("data/inputs/evidence/pipe"));

    // A FIFO in place of a listed file: named, not opened (a reader would block).
    let pack = copy_pack("fifo-listed");
    let victim = "data/inputs/evidence/permit-excerpt.txt";
    std::fs::remove_file(pack.join(victim)).unwrap();
    mkfifo(&pack.join(victim));
    refused(&pack, "special-file", Some(victim));

    // A socket.
    let pack = copy_pack("socket");
    let at = pack.join("data/outputs/sock");
    let _listener = UnixListener::bind(&at).unwrap();
    refused(&pack, "special-file", Some("data/outputs/sock"));

    // A character device (needs CAP_MKNOD: root, outside most containers' limits).
    let pack = copy_pack("device");
    let dev = pack.join("data/null");
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success());
    if made {
        refused(&pack, "special-file", Some("data/null"));
    } else {
        eprintln!("note: mknod is not permitted here; the device case is skipped");
    }
}

fn mkfifo(at: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(at)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", at.display());
}

#[test]
fn an_unreadable_folder_in_data_is_a_failure_named() {
    use std::os::unix::fs::PermissionsExt;
    let pack = copy_pack("unreadable");
    let secret = pack.join("data/inputs/secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("unlisted.txt"), "not in any manifest").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Whoever can still read the folder (root, or CAP_DAC_READ_SEARCH) runs verify as
    // nobody, for whom mode 000 means what it says.
    let privileged = std::fs::read_dir(&secret).is_ok();
    let args = ["verify", pack.to_str().unwrap(), "--format", "json"];
    let out = if privileged {
        let as_nobody = |extra: &[&str]| {
            std::process::Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_cpaudit"))
                .args(extra)
                .output()
        };
        match as_nobody(&["--version"]) {
            Ok(o) if o.status.success() => as_nobody(&args).unwrap(),
            _ => {
                eprintln!(
                    "note: running as a privileged user without a working `setpriv` to drop to nobody; the unreadable-folder case is skipped"
                );
                std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o755)).unwrap();
                return;
            }
        }
    } else {
        cpaudit(&args)
    };
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["report"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "unreadable" && p["path"] == "data/inputs/secret"),
        "{json:#}"
    );
    // Readable again, the file in it is named as unlisted.
    refused(&pack, "unlisted", Some("data/inputs/secret/unlisted.txt"));
}

fn copy_from(from: &Path, name: &str) -> PathBuf {
    let to = scratch(name).join("pack");
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
    to
}

fn have_bagit() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import bagit"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok && std::env::var_os("CPAUDIT_REQUIRE_TOOLS").is_some() {
        panic!("bagit-python is required (CPAUDIT_REQUIRE_TOOLS is set)");
    }
    if !ok {
        eprintln!("skipping the bagit-python check: bagit is not installed");
    }
    ok
}

// ------------------------------------------------------------ verify DOC.pdf --pack

/// `cpaudit verify PDF --pack PACK --format json` (with extra environment), killed
/// and failed if it takes longer than `secs`: the exit code, the JSON (Null when none)
/// and the standard error.
fn verify_pdf(
    pdf: &Path,
    pack: &Path,
    env: &[(&str, &str)],
    secs: u64,
) -> (Option<i32>, serde_json::Value, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args(["verify", pdf.to_str().unwrap(), "--pack"])
        .arg(pack)
        .args(["--format", "json"])
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes while waiting, so that a full pipe cannot stall the child.
    let read_all = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            r.read_to_string(&mut text).unwrap();
            text
        })
    };
    let out = read_all(Box::new(child.stdout.take().unwrap()));
    let err = read_all(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("verify {} did not end within {secs} s", pdf.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap();
    let stderr = err.join().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let json = serde_json::from_str(stdout.trim()).unwrap_or(serde_json::Value::Null);
    (status.code(), json, stderr)
}

fn has_problem(json: &serde_json::Value, kind: &str, path: &Path) -> bool {
    json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["kind"] == kind && p["path"] == path.to_str().unwrap())
}

#[test]
fn every_document_of_a_pack_verifies_against_it() {
    let pack = built_pack();
    let root = pack_root();
    let dir = scratch("pdf-copies");
    let mut n = 0;
    for e in std::fs::read_dir(pack.join("data/outputs")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "pdf") {
            continue;
        }
        // A copy elsewhere, as a regulator receives it.
        let copy = dir.join(path.file_name().unwrap());
        std::fs::copy(&path, &copy).unwrap();
        let (code, json, stderr) = verify_pdf(&copy, pack, &[], 60);
        assert_eq!(code, Some(0), "{}: {json:#} {stderr}", copy.display());
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(json["packed_as"], format!("data/outputs/{name}"));
        assert_eq!(json["pdf_evidence_root"], root.as_str());
        assert_eq!(json["pack_evidence_root"], root.as_str());
        n += 1;
    }
    assert_eq!(n, 6, "the sample builds six PDFs");
    // The human form says what was proved.
    let pdf = pack.join("data/outputs/report.zh.pdf");
    let out = cpaudit(&[
        "verify",
        pdf.to_str().unwrap(),
        "--pack",
        pack.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The verdict is a result: on standard output.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("data/outputs/report.zh.pdf"), "{stdout}");
    assert!(stdout.contains(&root), "{stdout}");
}

#[test]
fn a_text_file_naming_the_root_is_not_a_document() {
    let pack = built_pack();
    let root = pack_root();
    let fake = scratch("pdf-text").join("report.zh.pdf");
    std::fs::write(&fake, format!("%PDF-1.7\nevidence-root:{root}\n%%EOF\n")).unwrap();
    let (code, json, _) = verify_pdf(&fake, pack, &[], 60);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has_problem(&json, "not-in-pack", &fake), "{json:#}");
    assert!(has_problem(&json, "no-evidence-root", &fake), "{json:#}");
    assert_eq!(json["pdf_evidence_root"], serde_json::Value::Null);
    assert_eq!(json["valid"], false);
}

#[test]
fn a_report_with_a_page_edited_is_not_a_document() {
    let pack = built_pack();
    let root = pack_root();
    let real = std::fs::read(pack.join("data/outputs/report.en.pdf")).unwrap();
    let dir = scratch("pdf-edited");

    // One byte changed in the middle of the file.
    let flipped = dir.join("flipped.pdf");
    let mut bytes = real.clone();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&flipped, &bytes).unwrap();
    let (code, json, _) = verify_pdf(&flipped, pack, &[], 60);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has_problem(&json, "not-in-pack", &flipped), "{json:#}");

    // A page edited the way a PDF editor saves it, by an incremental update: a white box
    // drawn over part of page 3. The result is a valid PDF whose metadata, untouched,
    // still states the pack's root; only its bytes tell.
    let edited = dir.join("edited.pdf");
    let forged = edit_page(&real, 2);
    assert_eq!(
        cpaudit::pack::metadata_root(forged.clone()).ok().as_deref(),
        Some(root.as_str()),
        "the edited PDF must parse and keep its metadata for this test to mean anything"
    );
    std::fs::write(&edited, &forged).unwrap();
    let (code, json, _) = verify_pdf(&edited, pack, &[], 60);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has_problem(&json, "not-in-pack", &edited), "{json:#}");
    assert_eq!(json["pdf_evidence_root"], root.as_str());
    assert_eq!(json["packed_as"], serde_json::Value::Null);
}

/// Appends an incremental update to `pdf` that redefines the content stream of page
/// `index` (from 0) as its old content plus a white rectangle.
fn edit_page(pdf: &[u8], index: usize) -> Vec<u8> {
    use hayro_syntax::object::{ObjectIdentifier, Stream};
    let doc = hayro_syntax::Pdf::new(std::sync::Arc::new(pdf.to_vec())).unwrap();
    let page = &doc.pages()[index];
    let contents = page.raw().get_ref(b"Contents").expect("one content stream");
    let stream: Stream<'_> = doc
        .xref()
        .get(ObjectIdentifier::new(
            contents.obj_number,
            contents.gen_number,
        ))
        .unwrap();
    let mut content = stream.decoded().unwrap().into_owned();
    content.extend_from_slice(b"\nq 1 1 1 rg 50 300 400 120 re f Q\n");

    let text = String::from_utf8_lossy(pdf);
    let trailer_at = text.rfind("trailer").unwrap();
    let trailer = &text[trailer_at..text[trailer_at..].find(">>").unwrap() + trailer_at + 2];
    let field = |key: &str| -> String {
        let at = trailer.find(key).unwrap() + key.len();
        let rest = trailer[at..].trim_start();
        let end = rest.find(['/', '>']).unwrap();
        rest[..end].trim().to_string()
    };
    let (size, root, info) = (field("/Size"), field("/Root"), field("/Info"));
    let prev = text[text.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();

    let mut out = pdf.to_vec();
    out.push(b'\n');
    let obj_at = out.len();
    out.extend_from_slice(
        format!(
            "{} {} obj\n<</Length {}>>\nstream\n",
            contents.obj_number,
            contents.gen_number,
            content.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{} 1\n{obj_at:010} {:05} n \ntrailer\n<</Size {size}/Root {root}/Info {info}/Prev {prev}>>\nstartxref\n{xref_at}\n%%EOF\n",
            contents.obj_number, contents.gen_number
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_report_of_other_figures_whose_id_smuggles_the_root_is_not_a_document() {
    let pack = built_pack();
    let root = pack_root();
    // Other figures, and an audit id that carries the pack's root.
    let audit = copy_sample("smuggle");
    let yaml = audit.join("audit.yaml");
    edit(
        &yaml,
        "id: hengyuan-2026",
        &format!("id: \"x evidence-root:{root}\""),
    );
    edit(
        &audit.join("narratives/05-feasibility.yaml"),
        "cost_reduction: 128.6",
        "cost_reduction: 928.6",
    );
    let out_dir = audit.parent().unwrap().join("out");
    let out = cpaudit(&[
        "build",
        audit.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let forged = out_dir.join("report.en.pdf");
    let bytes = std::fs::read(&forged).unwrap();
    let needle = format!("evidence-root:{root}");
    assert!(
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "the forged report must carry the pack's root in its bytes for this test to mean anything"
    );
    let (code, json, _) = verify_pdf(&forged, pack, &[], 60);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has_problem(&json, "not-in-pack", &forged), "{json:#}");
    assert!(has_problem(&json, "evidence-root", &forged), "{json:#}");
    assert_ne!(json["pdf_evidence_root"], root.as_str());
    // Against its own pack, the same report verifies: the id does not confuse it.
    let (code, json, _) = verify_pdf(&forged, &out_dir.join("pack"), &[], 60);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["pdf_evidence_root"], json["pack_evidence_root"]);
}

#[test]
fn what_is_not_a_plain_pdf_file_is_refused_unread() {
    let pack = built_pack();
    let dir = scratch("pdf-refused");

    // A FIFO: refused at once (opening it to read would wait for a writer forever).
    let fifo = dir.join("report.pdf");
    mkfifo(&fifo);
    let t = Instant::now();
    let (code, _, stderr) = verify_pdf(&fifo, pack, &[], 10);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(fifo.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("FIFO"), "{stderr}");
    assert!(t.elapsed() < Duration::from_secs(5));

    // A device.
    let (code, _, stderr) = verify_pdf(Path::new("/dev/zero"), pack, &[], 10);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("/dev/zero"), "{stderr}");

    // A folder.
    let (code, _, stderr) = verify_pdf(&dir, pack, &[], 10);
    assert_eq!(code, Some(2), "{stderr}");

    // A 2 GiB file (sparse: no disk used) is over the limit: refused without reading.
    let big = dir.join("big.pdf");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let t = Instant::now();
    let (code, _, stderr) = verify_pdf(&big, pack, &[], 10);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(big.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("CPAUDIT_MAX_PDF_BYTES"), "{stderr}");
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());

    // The limit is the one documented, and the variable moves it: the real report is
    // refused under a limit of 1 KiB.
    let real = pack.join("data/outputs/report.en.pdf");
    let (code, _, stderr) = verify_pdf(&real, pack, &[("CPAUDIT_MAX_PDF_BYTES", "1K")], 10);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("1024"), "{stderr}");
    let limits =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/limits.md"))
            .unwrap();
    assert!(limits.contains("CPAUDIT_MAX_PDF_BYTES"));

    // A PDF that does not exist: an I/O error naming it.
    let (code, _, stderr) = verify_pdf(&dir.join("nope.pdf"), pack, &[], 10);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("nope.pdf"), "{stderr}");
}

/// A minimal PDF whose objects are `objects` (numbered from 1; 1 is the catalog, 4 the
/// document information dictionary).
fn minimal_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// PDFs built to exhaust a parser, each stating the pack's root in its keywords: arrays
/// nested a million deep (a stack overflow), a page tree nested 5,000 deep (gigabytes),
/// and a control that parses.
fn hostile_pdfs(root: &str) -> Vec<(&'static str, Vec<u8>)> {
    let keywords = format!("/Keywords (cleaner production audit, x, evidence-root:{root})");
    let page = b"<< /Type /Page /MediaBox [0 0 10 10] >>".to_vec();
    let simple = |info: Vec<u8>| {
        minimal_pdf(&[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            page.clone(),
            info,
        ])
    };
    let n = 1_000_000;
    let deep_arrays = format!("<< /X {}{} {keywords} >>", "[".repeat(n), "]".repeat(n));
    let mut tree = vec![
        b"<< /Type /Catalog /Pages 6 0 R >>".to_vec(),
        b"<< >>".to_vec(),
        page.clone(),
        format!("<< {keywords} >>").into_bytes(),
        b"<< >>".to_vec(),
    ];
    let levels = 5_000;
    for i in 0..levels {
        let next = if i + 1 < levels { 6 + i + 1 } else { 3 };
        tree.push(format!("<< /Type /Pages /Kids [{next} 0 R] >>").into_bytes());
    }
    vec![
        ("control", simple(format!("<< {keywords} >>").into_bytes())),
        ("deep-arrays", simple(deep_arrays.into_bytes())),
        ("deep-page-tree", minimal_pdf(&tree)),
    ]
}

#[test]
fn a_pdf_built_to_exhaust_the_parser_is_refused_in_bounded_time() {
    let pack = built_pack();
    let root = pack_root();
    let dir = scratch("pdf-hostile");
    for (name, bytes) in hostile_pdfs(&root) {
        let pdf = dir.join(format!("{name}.pdf"));
        std::fs::write(&pdf, &bytes).unwrap();
        let t = Instant::now();
        let (code, json, stderr) = verify_pdf(&pdf, pack, &[], 30);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(has_problem(&json, "not-in-pack", &pdf), "{name}: {json:#}");
        if name == "control" {
            // The parser works on these files: the control's root is read.
            assert_eq!(json["pdf_evidence_root"], root.as_str(), "{json:#}");
        } else {
            assert!(
                has_problem(&json, "no-evidence-root", &pdf),
                "{name}: {json:#}"
            );
        }
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "{name}: {:?}",
            t.elapsed()
        );
    }
    // The same files as documents of a pack, re-manifested: verify PACK names each.
    for (name, bytes) in hostile_pdfs(&root).into_iter().skip(1) {
        let pack = copy_pack(name);
        std::fs::write(pack.join("data/outputs/report.en.pdf"), &bytes).unwrap();
        remanifest(&pack);
        refused(
            &pack,
            "no-evidence-root",
            Some("data/outputs/report.en.pdf"),
        );
    }
}

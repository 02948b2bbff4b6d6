//! The shell conventions of the command line, on the real binary: results on standard
//! output and the rest on standard error, colour only when asked or on a terminal
//! (NO_COLOR honoured), `--quiet` and `--verbose`, `--deny-warnings`, shell completions,
//! `clean`, one JSON shape for every verb (docs/json.md), and the system files of
//! evidence/ left out of the pack.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs cpaudit with extra environment variables.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args(args)
        .envs(env.iter().copied())
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A new audit from `init`: it builds, with a warning for each of its placeholders.
fn scaffold(name: &str) -> PathBuf {
    let dir = scratch(name).join("audit");
    cpaudit::init::init(&dir, cpaudit::init::Industry::Dyeing, (2026, 3, 1)).unwrap();
    dir
}

/// The fields every JSON document has, whatever the verb (docs/json.md).
fn assert_envelope(json: &Value, command: &str, ok: bool) {
    assert_eq!(json["version"], 1, "{json:#}");
    assert_eq!(json["command"], command, "{json:#}");
    assert_eq!(json["ok"], ok, "{json:#}");
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count();
    assert_eq!(json["errors"], count("error"), "{json:#}");
    if command != "verify" {
        assert_eq!(json["warnings"], count("warning"), "{json:#}");
    }
    for d in diagnostics {
        for field in ["severity", "code", "message"] {
            assert!(d[field].is_string(), "{field}: {d:#}");
        }
    }
}

#[test]
fn check_prints_its_results_on_stdout_and_its_warnings_on_stderr() {
    let dir = scaffold("streams");
    let o = run(&["check", dir.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    // `cpaudit check > out.txt` keeps the figures and the counts.
    assert!(stdout.contains("Key figures"), "{stdout}");
    assert!(stdout.contains(" error(s), "), "{stdout}");
    assert!(
        !stdout.contains("（待填写）"),
        "a warning on stdout: {stdout}"
    );
    // The warnings (the placeholders) are on standard error.
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(!stderr.contains("Key figures"), "{stderr}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_with_no_color() {
    let dir = scaffold("colour");
    let d = dir.to_str().unwrap();
    let ansi = |o: &Output| text(&o.stderr).contains("\u{1b}[");
    // Not a terminal: no colour by default.
    assert!(!ansi(&run(&["check", d], &[])));
    assert!(ansi(&run(&["check", d, "--color", "always"], &[])));
    assert!(ansi(&run(
        &["--color=always", "check", d],
        &[("NO_COLOR", "1")]
    )));
    assert!(!ansi(&run(&["check", d, "--color", "never"], &[])));
    assert!(!ansi(&run(
        &["check", d, "--color", "auto"],
        &[("NO_COLOR", "1")]
    )));
    // Standard output is never coloured.
    assert!(!text(&run(&["check", d, "--color", "always"], &[]).stdout).contains("\u{1b}["));
}

#[test]
fn quiet_prints_errors_only() {
    let dir = scaffold("quiet");
    let d = dir.to_str().unwrap();
    let o = run(&["check", d, "-q"], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stderr), "", "warnings under --quiet");
    assert_eq!(text(&o.stdout), "");
    // An error is still said.
    edit(&dir.join("audit.yaml"), "id:", "idd:");
    let o = run(&["check", d, "--quiet"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = text(&o.stderr);
    assert!(stderr.contains("error"), "{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
    // -q and -v contradict each other.
    let o = run(&["check", d, "-q", "-v"], &[]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn deny_warnings_fails_an_audit_full_of_placeholders() {
    let dir = scaffold("deny");
    let d = dir.to_str().unwrap();
    assert_eq!(run(&["check", d], &[]).status.code(), Some(0));
    let o = run(&["check", d, "--deny-warnings"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--deny-warnings"));
    let o = run(&["check", d, "--deny-warnings", "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&json, "check", false);
    assert_eq!(json["errors"], 0);
    assert!(json["warnings"].as_u64().unwrap() > 10, "{json:#}");
    // build: the output is written, and the status says the warnings are denied.
    let o = run(&["build", d, "--deny-warnings"], &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--deny-warnings"));
    assert!(dir.join("build/report.zh.pdf").is_file());
    let o = run(&["build", d], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // The sample audit has no placeholder left: it passes even so.
    let o = run(
        &["check", sample().to_str().unwrap(), "--deny-warnings"],
        &[],
    );
    let (_, warnings) = {
        let o = run(
            &["check", sample().to_str().unwrap(), "--format", "json"],
            &[],
        );
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        (json["errors"].clone(), json["warnings"].as_u64().unwrap())
    };
    assert_eq!(
        o.status.code(),
        Some(if warnings == 0 { 0 } else { 1 }),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell], &[]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", text(&o.stderr));
        let script = text(&o.stdout);
        for word in ["cpaudit", "clean", "verify", "deny-warnings"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"], &[]).status.code(), Some(2));
}

/// The JSON document of a usage error and of an I/O error: the same envelope, exit 2.
#[test]
fn usage_and_io_failures_print_json_when_asked() {
    let o = run(&["check", "--format", "json", "--no-such-flag"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let json: Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)));
    assert_envelope(&json, "check", false);
    assert_eq!(json["diagnostics"][0]["code"], "cli::usage");
    assert!(
        json["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("--no-such-flag"),
        "{json:#}"
    );
    // Without --format json, clap's own message.
    let o = run(&["check", "--no-such-flag"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(text(&o.stderr).contains("--no-such-flag"));

    // A pack that is not a bag: exit 2, the path in the message and in the place.
    let dir = scratch("io-json");
    let o = run(&["verify", dir.to_str().unwrap(), "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&json, "verify", false);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "cli::io");
    assert_eq!(d["place"]["path"], dir.to_str().unwrap());
    assert!(
        d["message"].as_str().unwrap().contains("bagit.txt"),
        "{d:#}"
    );
    // The person at the terminal is told too.
    assert!(text(&o.stderr).contains("bagit.txt"));

    // An output folder that is not cpaudit's: the reason, and the folder as the place.
    let audit = copy_sample("io-json-build");
    let foreign = audit.parent().unwrap().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.docx"), "mine").unwrap();
    let o = run(
        &[
            "build",
            audit.to_str().unwrap(),
            "--out",
            foreign.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&json, "build", false);
    let d = &json["diagnostics"][0];
    assert_eq!(d["place"]["path"], foreign.to_str().unwrap());
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("cpaudit did not write"),
        "{d:#}"
    );
}

/// A YAML diagnostic's place has a start and an end: the span the human output
/// underlines, in lines and columns.
#[test]
fn json_places_have_a_start_and_an_end() {
    let dir = scaffold("spans");
    let o = run(&["check", dir.to_str().unwrap(), "--format", "json"], &[]);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&json, "check", true);
    let yaml = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["place"]["kind"] == "yaml")
        .unwrap_or_else(|| panic!("no YAML place: {json:#}"));
    let (place, start, end) = (
        &yaml["place"],
        &yaml["place"]["start"],
        &yaml["place"]["end"],
    );
    assert_eq!(start["line"], place["line"]);
    assert_eq!(start["column"], place["column"]);
    assert_eq!(end["line"], start["line"]);
    let text = std::fs::read_to_string(dir.join(place["path"].as_str().unwrap())).unwrap();
    let line = text
        .lines()
        .nth(start["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    let (from, to) = (
        start["column"].as_u64().unwrap() as usize,
        end["column"].as_u64().unwrap() as usize,
    );
    assert!(to > from, "{place:#}");
    // The span is the rest of the line, trimmed: what the snippet underlines.
    let spanned: String = line.chars().skip(from - 1).take(to - from).collect();
    assert_eq!(
        spanned,
        line.chars().skip(from - 1).collect::<String>().trim_end()
    );
}

/// `build` (succeeding, then failing), `verify` and `clean` in one audit: the JSON shapes,
/// `--verbose`, stdout and stderr, and `clean` removing what cpaudit wrote and nothing
/// else.
#[test]
fn build_verify_and_clean_speak_one_json_and_keep_to_their_streams() {
    let dir = copy_sample("one-shape");
    let d = dir.to_str().unwrap();
    let out = dir.join("build");
    std::fs::create_dir_all(&out).unwrap();

    let o = run(&["build", d, "-v"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    assert!(stdout.contains("report.zh.pdf"), "{stdout}");
    assert!(
        stderr.contains("typeset report.zh.pdf"),
        "--verbose: {stderr}"
    );
    assert!(stderr.contains("output written"), "{stderr}");

    let o = run(&["build", d, "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let built: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&built, "build", true);
    let outputs = built["outputs"].as_array().unwrap();
    assert!(
        outputs
            .iter()
            .any(|f| f["file"] == "report.zh.pdf" && f["pages"].as_u64().unwrap() > 5),
        "{built:#}"
    );
    assert_eq!(built["evidence_root"].as_str().unwrap().len(), 64);

    let pack = out.join("pack");
    let o = run(&["verify", pack.to_str().unwrap(), "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let verified: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&verified, "verify", true);
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["report"]["evidence_root"], built["evidence_root"]);
    // The human verdict is a result: on standard output.
    let o = run(&["verify", pack.to_str().unwrap()], &[]);
    assert!(
        text(&o.stdout).contains("pack is valid"),
        "{}",
        text(&o.stdout)
    );
    // A tampered pack: the problem is a diagnostic too.
    let manifest = pack.join("data/inputs/audit.yaml");
    let mut bytes = std::fs::read(&manifest).unwrap();
    bytes.push(b'\n');
    std::fs::write(&manifest, bytes).unwrap();
    let o = run(&["verify", pack.to_str().unwrap(), "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let broken: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&broken, "verify", false);
    assert!(
        broken["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["place"]["path"] == "data/inputs/audit.yaml"
                && d["code"].as_str().unwrap().starts_with("verify::")),
        "{broken:#}"
    );

    // A failed build: the same shape, the errors among the diagnostics.
    edit(&dir.join("audit.yaml"), "id:", "idd:");
    let o = run(&["build", d, "--format", "json"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let failed: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_envelope(&failed, "build", false);
    assert!(failed["errors"].as_u64().unwrap() > 0);
    assert_eq!(failed["outputs"], serde_json::json!([]));
    edit(&dir.join("audit.yaml"), "idd:", "id:");

    // clean: what cpaudit wrote goes, a user's file stays, and so does the folder.
    std::fs::write(out.join("my-notes.txt"), "mine").unwrap();
    let leftover = dir.join(".build.cpaudit-4000000-0");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(
        leftover.join(".cpaudit-output.json"),
        r#"{"owner": "cpaudit output", "staging": true, "files": []}"#,
    )
    .unwrap();
    std::fs::write(leftover.join("report.zh.pdf"), "half a PDF").unwrap();
    let o = run(&["clean", d], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("removed"), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("my-notes.txt"),
        "{}",
        text(&o.stderr)
    );
    let left: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["my-notes.txt"]);
    assert!(!leftover.exists(), "the staging leftover was not removed");
    // The inputs are untouched.
    assert!(dir.join("audit.yaml").is_file() && dir.join("evidence").is_dir());
    // Nothing left of cpaudit's: clean again refuses, since the folder is the user's now.
    let o = run(&["clean", d], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("cpaudit did not write"),
        "{}",
        text(&o.stderr)
    );
    std::fs::remove_file(out.join("my-notes.txt")).unwrap();
    // An empty folder and a missing one: nothing to clean.
    assert!(text(&run(&["clean", d], &[]).stdout).contains("nothing to clean"));
    std::fs::remove_dir(&out).unwrap();
    assert!(text(&run(&["clean", d], &[]).stdout).contains("nothing to clean"));
}

#[test]
fn clean_refuses_what_cpaudit_did_not_write() {
    let dir = copy_sample("clean-refuse");
    let d = dir.to_str().unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.join("evidence"), "input"),
        (dir.clone(), "input"),
        (dir.join("data"), "input"),
    ];
    let foreign = dir.parent().unwrap().join("thesis");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("chapter1.docx"), "mine").unwrap();
    let file = dir.parent().unwrap().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let before = tree(dir.parent().unwrap());
    for (out, why) in cases.iter().map(|(p, w)| (p.as_path(), *w)).chain([
        (foreign.as_path(), "cpaudit did not write"),
        (file.as_path(), "not a folder"),
    ]) {
        let o = run(&["clean", d, "--out", out.to_str().unwrap()], &[]);
        assert_eq!(o.status.code(), Some(2), "{}", out.display());
        let stderr = text(&o.stderr);
        assert!(stderr.contains(why), "{}: {stderr}", out.display());
    }
    assert_eq!(
        tree(dir.parent().unwrap()),
        before,
        "clean removed something"
    );
}

/// Every file under `dir` with its size: enough to see that nothing was removed.
fn tree(dir: &Path) -> Vec<(PathBuf, u64)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), e.metadata().unwrap().len()))
        .collect()
}

/// Office lock files and folder caches in evidence/ are not evidence: not hashed, not in
/// the annex, and named once in a note.
#[test]
fn lock_and_system_files_in_evidence_are_skipped_and_named() {
    let dir = copy_sample("lock-files");
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(evidence.join("2026")).unwrap();
    let junk = [
        "~$监测报告.docx",
        ".~lock.台账.xlsx#",
        "Thumbs.db",
        "2026/.DS_Store",
        "2026/desktop.ini",
    ];
    for j in junk {
        std::fs::write(evidence.join(j), "written by a program").unwrap();
    }
    let (code, json, _) = run_json("check", &dir, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    let notes: Vec<&Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "evidence::skipped")
        .collect();
    assert_eq!(notes.len(), 1, "{json:#}");
    assert_eq!(notes[0]["severity"], "info");
    let message = notes[0]["message"].as_str().unwrap();
    for j in junk {
        assert!(message.contains(j), "{j} not named: {message}");
    }
    // A note is no warning (--deny-warnings does not fail on it): the counts are the
    // sample's.
    let (_, sample_json, _) = run_json("check", &sample(), &[]);
    assert_eq!(json["warnings"], sample_json["warnings"]);
    // Not in the pack, not in the annex (whose rows the manifest attached to the PDFs
    // lists too), while the real evidence is.
    let (code, built, _) = run_json("build", &dir, &[]);
    assert_eq!(code, Some(0), "{built:#}");
    let manifest = std::fs::read_to_string(dir.join("build/pack/manifest-sha256.txt")).unwrap();
    for j in junk {
        let name = j.rsplit('/').next().unwrap();
        assert!(!manifest.contains(name), "{j} is in the pack: {manifest}");
    }
    assert!(manifest.contains("data/inputs/evidence/monitoring-2026-05.txt"));
    assert!(
        !dir.join("build/pack/data/inputs/evidence/Thumbs.db")
            .exists()
    );
    // The human output names them in one line.
    let o = run(&["check", dir.to_str().unwrap()], &[]);
    let stderr = text(&o.stderr);
    assert_eq!(stderr.matches("evidence::skipped").count(), 1, "{stderr}");
}

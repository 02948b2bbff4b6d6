//! The output folder never destroys what cpaudit did not write: refused `--out`s, a
//! user's files in an owned build/, the swap under `kill -9`, leftovers of killed builds,
//! and inputs that change while a build runs.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `dir` with its bytes: a snapshot to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn build_out(dir: &Path, out: &Path) -> std::process::Output {
    cpaudit(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `--out` that is, holds or lies inside an input, an existing file, or a folder that
/// cpaudit does not own: exit 2, a message that says why, and nothing changed.
#[test]
fn outputs_that_would_destroy_inputs_are_refused() {
    let audit = copy_sample("refuse-out");
    let parent = audit.parent().unwrap().to_path_buf();
    std::fs::write(parent.join("other.txt"), "a user's file").unwrap();
    let foreign = parent.join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.docx"), "not cpaudit's").unwrap();
    let file = parent.join("report.pdf");
    std::fs::write(&file, "an existing file").unwrap();
    let before = snapshot(&parent);
    let cases: Vec<(PathBuf, &str)> = vec![
        (audit.clone(), "audit.yaml"),
        (parent.clone(), "audit.yaml"),
        (audit.join("evidence"), "evidence"),
        (audit.join("evidence/new"), "evidence"),
        (audit.join("narratives"), "narratives"),
        (audit.join("data"), "data"),
        (audit.join("profiles"), "profiles"),
        (audit.join("../audit/./data"), "data"),
        (foreign.clone(), "did not write"),
        (file.clone(), "existing file"),
    ];
    for (out, why) in cases {
        let o = build_out(&audit, &out);
        assert_eq!(
            o.status.code(),
            Some(2),
            "--out {}: {}",
            out.display(),
            stderr(&o)
        );
        assert!(
            stderr(&o).contains(why),
            "--out {}: {}",
            out.display(),
            stderr(&o)
        );
        assert_eq!(
            snapshot(&parent),
            before,
            "--out {} changed files",
            out.display()
        );
    }
    // Nothing hidden was left beside any of them either.
    let names: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

/// Files a user adds to an owned build/ survive a build, and the pack never holds them;
/// a file of the user's inside the pack stops the build before anything is written.
#[test]
fn a_users_files_in_the_output_survive_and_stay_out_of_the_pack() {
    let audit = copy_sample("user-files");
    let out = audit.join("build");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join(".cpaudit-output.json").is_file());
    std::fs::write(out.join("submission.zip"), "the user's zip").unwrap();
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("notes/审阅意见.txt"), "comments").unwrap();
    edit(&audit.join("audit.yaml"), "\n", "\n# edited\n");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(out.join("submission.zip")).unwrap(),
        b"the user's zip"
    );
    assert_eq!(
        std::fs::read(out.join("notes/审阅意见.txt")).unwrap(),
        b"comments"
    );
    let manifest = std::fs::read_to_string(out.join("pack/manifest-sha256.txt")).unwrap();
    assert!(!manifest.contains("submission") && !manifest.contains("审阅"));
    let v = cpaudit(&["verify", out.join("pack").to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    // The marker lists what cpaudit wrote, never the user's files.
    let marker = std::fs::read_to_string(out.join(".cpaudit-output.json")).unwrap();
    assert!(marker.contains("report.zh.pdf") && !marker.contains("submission.zip"));

    std::fs::write(out.join("pack/mine.txt"), "in the pack").unwrap();
    let before = snapshot(&out);
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("mine.txt"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
}

/// A folder left by a killed build is reclaimed by the next one: a staging folder is
/// removed, an old output swapped out before the kill loses what cpaudit wrote, and a
/// user's file in it is moved back into the output.
#[test]
fn leftovers_of_killed_builds_are_reclaimed() {
    let audit = copy_sample("leftovers");
    let out = audit.join("build");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A process id that no running process has (above Linux's pid_max ceiling).
    let dead = 4_194_304 + 17;
    let staging = audit.join(format!(".build.cpaudit-{dead}-0"));
    std::fs::create_dir_all(staging.join("pack")).unwrap();
    std::fs::write(
        staging.join(".cpaudit-output.json"),
        r#"{"owner":"cpaudit output","staging":true,"files":[]}"#,
    )
    .unwrap();
    std::fs::write(staging.join("report.zh.pdf"), "half a report").unwrap();
    let old = audit.join(format!(".build.cpaudit-{dead}-1"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(
        old.join(".cpaudit-output.json"),
        r#"{"owner":"cpaudit output","staging":false,"files":["report.en.pdf"]}"#,
    )
    .unwrap();
    std::fs::write(old.join("report.en.pdf"), "an old report").unwrap();
    std::fs::write(old.join("late.txt"), "a user's file").unwrap();
    // A folder of that name that is not cpaudit's is never deleted.
    let unknown = audit.join(format!(".build.cpaudit-{dead}-2"));
    std::fs::create_dir_all(&unknown).unwrap();
    std::fs::write(unknown.join("keep.txt"), "unknown").unwrap();

    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!staging.exists() && !old.exists());
    assert_eq!(
        std::fs::read(out.join("late.txt")).unwrap(),
        b"a user's file"
    );
    assert_eq!(std::fs::read(unknown.join("keep.txt")).unwrap(), b"unknown");
    assert!(
        stderr(&o).contains("keep") || stderr(&o).contains(".build.cpaudit"),
        "{}",
        stderr(&o)
    );
}

/// `kill -9` at any moment of a build leaves a complete output in place (the old or the
/// new), never none; the next build removes what the killed one left.
#[test]
fn a_killed_build_leaves_a_complete_output() {
    let audit = copy_sample("kill");
    let out = audit.join("build");
    let start = Instant::now();
    let o = build_out(&audit, &out);
    let full = start.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let complete = |what: &str| {
        let marker: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(".cpaudit-output.json")).unwrap())
                .unwrap_or_else(|e| panic!("{what}: no marker: {e}"));
        let files = marker["files"].as_array().unwrap();
        assert!(files.len() > 10, "{what}: {marker}");
        for f in files {
            let f = f.as_str().unwrap();
            assert!(out.join(f).is_file(), "{what}: {f} is missing");
        }
        for doc in [
            "report.zh.pdf",
            "report.en.pdf",
            "notice.zh.pdf",
            "results.json",
        ] {
            assert!(files.iter().any(|f| f == doc), "{what}: {doc} not listed");
        }
        let v = cpaudit(&["verify", out.join("pack").to_str().unwrap()]);
        assert_eq!(v.status.code(), Some(0), "{what}: {}", stderr(&v));
    };
    // Kills spread over the second half of a build, where the pack is written and the
    // folders are swapped, and a few beyond its end.
    let mut killed = 0;
    for i in 0..8 {
        edit(&audit.join("audit.yaml"), "\n", &format!("\n# edit {i}\n"));
        let delay = full.mul_f64(0.5 + 0.09 * i as f64);
        let mut child = Command::new(env!("CARGO_BIN_EXE_cpaudit"))
            .args(["build", audit.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            killed += 1;
        }
        child.wait().unwrap();
        complete(&format!("kill {i} after {delay:?}"));
    }
    assert!(killed > 0, "every build ended before its kill");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    complete("the build after the kills");
    let hidden: Vec<String> = std::fs::read_dir(&audit)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".build"))
        .collect();
    assert!(hidden.is_empty(), "left over: {hidden:?}");
}

/// An evidence file rewritten throughout a build: the build either fails naming it, or
/// its pack verifies; it never says "Built" with a pack that fails.
#[test]
fn an_input_that_changes_during_the_build_is_an_error_or_packed_as_hashed() {
    let audit = copy_sample("changing");
    let evidence = audit.join("evidence/growing-log.csv");
    std::fs::write(&evidence, "t,value\n").unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, evidence) = (stop.clone(), evidence.clone());
        std::thread::spawn(move || {
            let line = "2026-01-01T00:00:00,1.0\n".repeat(4096);
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // Rewritten in place, as a logger or an editor without atomic saves does.
                let mut text = String::from("t,value\n");
                for _ in 0..(n % 40) {
                    text.push_str(&line);
                }
                let _ = std::fs::write(&evidence, text);
                n += 1;
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let mut failures = 0;
    for _ in 0..3 {
        let out = audit.join("build");
        let o = build_out(&audit, &out);
        match o.status.code() {
            Some(0) => {
                let v = cpaudit(&["verify", out.join("pack").to_str().unwrap()]);
                assert_eq!(v.status.code(), Some(0), "built but: {}", stderr(&v));
            }
            Some(2) => {
                assert!(stderr(&o).contains("growing-log.csv"), "{}", stderr(&o));
                failures += 1;
            }
            other => panic!("exit {other:?}: {}", stderr(&o)),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    eprintln!("{failures} of 3 builds refused a changing input");
}

/// An output of a cpaudit from before the marker (documents, results.json and a pack
/// bagged by cpaudit, nothing else) is adopted; with anything else in it, it is refused.
#[test]
fn an_output_from_before_the_marker_is_adopted_only_when_it_is_all_cpaudits() {
    let audit = copy_sample("legacy");
    let out = audit.join("build");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(out.join(".cpaudit-output.json")).unwrap();
    std::fs::write(out.join("thesis.docx"), "mine").unwrap();
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("thesis.docx")).unwrap(), b"mine");
    std::fs::remove_file(out.join("thesis.docx")).unwrap();
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join(".cpaudit-output.json").is_file());
}

/// What a cpaudit from before the marker left when killed: the last good output moved
/// aside is put back (and replaced by the new build), an unfinished one is removed.
#[test]
fn leftovers_of_an_older_cpaudit_are_put_back_or_removed() {
    let audit = copy_sample("legacy-leftovers");
    let out = audit.join("build");
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::remove_file(out.join(".cpaudit-output.json")).unwrap();
    let aside = audit.join(".build.old-4194321");
    std::fs::rename(&out, &aside).unwrap();
    let partial = audit.join(".build.partial-4194322");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join("report.zh.pdf"), "half").unwrap();
    // A folder of that name with a user's file in it is never removed.
    let foreign = audit.join(".build.partial-4194323");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("mine.txt"), "mine").unwrap();
    let o = build_out(&audit, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!aside.exists() && !partial.exists());
    assert_eq!(std::fs::read(foreign.join("mine.txt")).unwrap(), b"mine");
    assert!(out.join(".cpaudit-output.json").is_file());
    let v = cpaudit(&["verify", out.join("pack").to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
}

//! Bad input gets a clear error naming the file and the place, never a panic, and a
//! failed build leaves the previous output as it was. User text prints literally.

use crate::common::*;

fn diagnostics(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn text_in_a_numeric_cell_names_workbook_sheet_and_cell() {
    let dir = copy_sample("text-cell");
    let row = Row::new()
        .with("id", "S1")
        .with("name", "坯布")
        .with("name_en", "Grey fabric")
        .with("to", "U1")
        .with("kind", "原料")
        .with("unit", "t")
        .with("batch1", 2.1)
        .with("batch2", "约3t")
        .with("batch3", 2.0);
    TestBook::new()
        .sheet(&spec::STREAMS, &[row])
        .write(&dir.join("data/balance.xlsx"));
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = diagnostics(&json);
    let hit = d
        .iter()
        .find(|x| x["code"] == "workbook::not-a-number")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(hit["place"]["path"], "data/balance.xlsx");
    assert_eq!(hit["place"]["sheet"], "物料 Streams");
    assert_eq!(hit["place"]["cell"], "I2");
    assert!(hit["message"].as_str().unwrap().contains("约3t"));
    // The human form says it the same way.
    let out = cpaudit(&["check", dir.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("data/balance.xlsx: 物料 Streams!I2"));
}

#[test]
fn a_misspelled_key_gives_line_column_and_a_suggestion() {
    let dir = copy_sample("typo");
    edit(
        &dir.join("audit.yaml"),
        "  legal_representative:",
        "  legal_representitive:",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = diagnostics(&json);
    let hit = &d[0];
    assert_eq!(hit["place"]["path"], "audit.yaml");
    assert_eq!(hit["place"]["line"], 14);
    assert_eq!(hit["place"]["column"], 3);
    assert_eq!(hit["help"], "did you mean `legal_representative`?");
}

#[test]
fn a_folder_without_audit_yaml_is_an_error_not_a_panic() {
    let dir = scratch("empty");
    let out = cpaudit(&["build", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("audit.yaml"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_dangling_option_names_both_ends() {
    let dir = copy_sample("dangling");
    edit(
        &dir.join("narratives/03-assessment.yaml"),
        "options: [F01]",
        "options: [F99]",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let hit = diagnostics(&json)
        .into_iter()
        .find(|x| x["code"] == "check::dangling")
        .unwrap();
    assert_eq!(hit["place"]["path"], "narratives/03-assessment.yaml");
    assert!(hit["message"].as_str().unwrap().contains("F99"));
    assert_eq!(
        hit["related"][0]["place"]["path"],
        "narratives/04-options.yaml"
    );
}

#[test]
fn evidence_outside_the_folder_is_refused() {
    let dir = copy_sample("escape");
    let text = std::fs::read_to_string(dir.join("audit.yaml")).unwrap();
    let first = text
        .lines()
        .find(|l| l.contains("path: evidence/"))
        .unwrap()
        .to_string();
    let escaped = first.replace("evidence/", "../../etc/");
    edit(&dir.join("audit.yaml"), &first, &escaped);
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    assert!(
        diagnostics(&json)
            .iter()
            .any(|x| x["code"] == "evidence::path"),
        "{json:#}"
    );
}

#[test]
fn typst_syntax_in_a_narrative_prints_literally() {
    let dir = copy_sample("inject");
    let hostile = r#"Chen #read("/etc/passwd") *bold* $x^2$ ] [ // <lbl> @ref \ = x"#;
    edit(
        &dir.join("audit.yaml"),
        "en: Chen Zhenhua",
        &format!("en: '{hostile}'"),
    );
    let out = dir.join("build");
    let o = cpaudit(&["build", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if have("pdftotext") {
        let text = pdf_text(&out.join("notice.en.pdf"));
        assert!(
            text.contains(r#"#read("/etc/passwd") *bold* $x^2$ ] [ // <lbl> @ref \ = x"#),
            "{text}"
        );
        assert!(!text.contains("root:"), "a file was read");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let dir = copy_sample("atomic");
    let out = dir.join("build");
    assert!(cpaudit(&["build", dir.to_str().unwrap()]).status.success());
    let before: Vec<(String, Vec<u8>)> =
        ["report.zh.pdf", "results.json", "pack/manifest-sha256.txt"]
            .iter()
            .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
            .collect();
    edit(
        &dir.join("narratives/04-options.yaml"),
        "investment: ",
        "investment: -5 #",
    );
    let o = cpaudit(&["build", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    for (f, bytes) in before {
        assert!(std::fs::read(out.join(&f)).unwrap() == bytes, "{f} changed");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".build"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind");
}

#[test]
fn the_sample_checks_clean_in_json() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(json["errors"], 0);
}

/// A character no bundled font has is a warning naming its YAML line, not a failed
/// build: the documents that show it are written as plain PDFs (an empty box where the
/// character is) and say they are not PDF/A; the others stay PDF/A.
#[test]
fn a_character_without_a_glyph_is_a_warning_with_its_line() {
    let dir = copy_sample("glyph");
    // U+16A0 RUNIC LETTER FEHU: in no CJK font.
    edit(
        &dir.join("audit.yaml"),
        "en: Chen Zhenhua",
        "en: Chen Zhenhua ᚠ",
    );
    let line = std::fs::read_to_string(dir.join("audit.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.contains('ᚠ'))
        .unwrap()
        + 1;
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "render::missing-glyph")
        .unwrap_or_else(|| panic!("no missing-glyph warning: {json:#}"))
        .clone();
    assert_eq!(d["severity"], "warning", "{d:#}");
    assert!(d["message"].as_str().unwrap().contains("U+16A0"), "{d:#}");
    assert!(d.to_string().contains("audit.yaml"), "{d:#}");
    assert!(d.to_string().contains(&format!("\"line\":{line}")), "{d:#}");

    let (code, json, stderr) = run_json("build", &dir, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    // One warning for the character, from `check`, with its line: the typesetter's walk
    // of the documents only decides which cannot be PDF/A, and names the character there.
    let codes = codes(&json);
    let glyphs = codes
        .iter()
        .filter(|c| *c == "render::missing-glyph")
        .count();
    assert_eq!(glyphs, 1, "{json:#}");
    let plain: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "render::not-archival")
        .collect();
    assert!(!plain.is_empty(), "{json:#}");
    for d in plain {
        assert!(d["message"].as_str().unwrap().contains("U+16A0"), "{d:#}");
    }
    let pdfa = |f: &str| {
        let bytes = std::fs::read(dir.join("build").join(f)).unwrap();
        bytes.windows(11).any(|w| w == b"pdfaid:part")
    };
    // The legal representative is on the English notice and reports, not the Chinese.
    assert!(!pdfa("notice.en.pdf"), "notice.en.pdf claims PDF/A");
    assert!(pdfa("notice.zh.pdf"), "notice.zh.pdf lost PDF/A");
}

/// A reader that goes away (`cpaudit check --format json | head`) ends cpaudit quietly,
/// never with a panic.
#[test]
fn a_closed_pipe_on_standard_output_is_not_a_panic() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpaudit"))
        .args(["check", sample().to_str().unwrap(), "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before cpaudit writes its document (hundreds of kilobytes).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

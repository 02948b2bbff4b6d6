//! Compliance: the profile's triggers decide the notice's fields; a field the audit
//! lacks stops the build naming it; a voluntary audit whose data meets a trigger is
//! warned; an audit folder can bring its own profile, and a broken one is an error.

use crate::common::*;
use std::path::Path;

fn cut_block(path: &Path, key: &str) {
    // Removes `  key:` and its indented block from a YAML file.
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with(&format!("  {key}:")) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with("    ") || line.trim().is_empty()) {
            continue;
        }
        skipping = false;
        out.push(line);
    }
    std::fs::write(path, out.join("\n") + "\n").unwrap();
}

#[test]
fn the_sample_meets_the_triggers_its_data_shows() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    let c = &json["results"]["results"]["compliance"];
    let met: Vec<&str> = c["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["met"] == true)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(met, ["exceed_standard", "exceed_total", "toxic"]);
    let fields: Vec<&str> = c["notice_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in [
        "enterprise_name",
        "legal_representative",
        "address",
        "pollutants",
        "exceedance",
        "toxic_materials",
        "hazardous_waste",
        "risk_controls",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    // 2026-02-27 + 1 month; disclosed 2026-03-16: on time.
    let disclosure = &c["timeline"][0];
    assert_eq!(disclosure["due"], "2026-03-27");
    assert_eq!(disclosure["status"], "on_time");
}

#[test]
fn a_missing_required_notice_field_fails_naming_it() {
    let dir = copy_sample("no-hazardous-waste");
    cut_block(&dir.join("audit.yaml"), "hazardous_waste");
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "notice::missing-field")
        .unwrap()
        .clone();
    assert!(d["message"].as_str().unwrap().contains("hazardous_waste"));
    let out = cpaudit(&["build", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hazardous_waste"));
}

#[test]
fn a_voluntary_audit_whose_data_exceeds_a_standard_is_warned() {
    let dir = copy_sample("voluntary");
    let path = dir.join("audit.yaml");
    let text =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("kind: mandatory", "kind: voluntary", 1);
    std::fs::write(&path, text).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0));
    assert!(
        codes(&json).contains(&"compliance::voluntary-but-triggered".to_string()),
        "{:?}",
        codes(&json)
    );
}

#[test]
fn an_audit_folder_can_bring_its_own_profile_and_a_broken_one_is_an_error() {
    let dir = copy_sample("own-profile");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/regulations/national-2016.yaml"),
    )
    .unwrap();
    let own = base
        .replacen("id: national-2016", "id: guangdong-test", 1)
        .replace("months: 12", "months: 6");
    std::fs::write(dir.join("profiles/guangdong-test.yaml"), &own).unwrap();
    let path = dir.join("audit.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "regulation: national-2016",
        "regulation: guangdong-test",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let report = json["results"]["results"]["compliance"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "report")
        .unwrap()
        .clone();
    assert_eq!(report["due"], "2026-08-27");
    assert_eq!(report["status"], "late");

    // A notice-field set for a trigger the profile does not have is a contradiction.
    let broken = own.replace("  - id: energy_limit\n", "  - id: other\n");
    std::fs::write(dir.join("profiles/guangdong-test.yaml"), broken).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    assert!(
        codes(&json).contains(&"profile::contradiction".to_string()),
        "{:?}",
        codes(&json)
    );
}

#[test]
fn an_unknown_profile_is_named_with_a_suggestion() {
    let dir = copy_sample("unknown-profile");
    let path = dir.join("audit.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "regulation: national-2016",
        "regulation: national-2061",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "profile::unknown")
        .unwrap()
        .clone();
    assert!(d["help"].as_str().unwrap().contains("national-2016"));
}

/// The self-assessment's status for one item, from `check --format json`.
fn self_check(json: &serde_json::Value, id: &str) -> serde_json::Value {
    json["results"]["results"]["compliance"]["self_assessment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no self-assessment item {id}"))
        .clone()
}

/// Equipment on the phase-out list passes the veto item only with a scheduled
/// replacement (an option of the audit and a date); without one it needs attention, and
/// a replacement by an option that does not exist names the line.
#[test]
fn phased_out_equipment_needs_a_scheduled_replacement() {
    let (_, json) = check_json(&sample());
    let item = self_check(&json, "phased-out-equipment");
    assert_eq!(item["status"], "pass", "{item:#}");
    assert!(
        item["finding"]["en"]
            .as_str()
            .unwrap()
            .contains("F25 by 2027-02-28"),
        "{item:#}"
    );

    let dir = copy_sample("phase-out");
    let pre = dir.join("narratives/02-pre-assessment.yaml");
    edit(&pre, "      option: F25\n", "      option: F99\n");
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1), "{json:#}");
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "check::dangling")
        .unwrap_or_else(|| panic!("{json:#}"))
        .clone();
    assert!(d["message"].as_str().unwrap().contains("F99"), "{d:#}");
    assert_eq!(d["place"]["path"], "narratives/02-pre-assessment.yaml");
    let line = std::fs::read_to_string(&pre)
        .unwrap()
        .lines()
        .position(|l| l.contains("option: F99"))
        .unwrap()
        + 1;
    assert_eq!(d["place"]["line"], line as u64, "{d:#}");

    edit(
        &pre,
        "    replaced_by:\n      option: F99\n      due: 2027-02-28\n",
        "",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    assert_eq!(
        self_check(&json, "phased-out-equipment")["status"],
        "attention"
    );
}

//! The cleaner production level (清洁生产水平评价) end to end: the sample's Y_I, Y_II,
//! Y_III and rating, recomputed from results.json alone; an unknown index system or
//! indicator names its YAML line; an audit's own index system file is used, and a broken
//! one is reported.

use crate::common::*;
use std::path::Path;

const PRE: &str = "narratives/02-pre-assessment.yaml";

fn find<'a>(json: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    json["diagnostics"]
        .as_array()
        .and_then(|d| d.iter().find(|x| x["code"] == code))
        .unwrap_or_else(|| panic!("no {code} in {json:#}"))
}

/// 1-based number of the first line of `file` that contains `needle`.
fn line_of(file: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u64 + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in {}", file.display()))
}

#[test]
fn the_sample_rating_recomputes_from_results_json() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    let cp = &json["results"]["results"]["cp_level"];
    assert_eq!(cp["system"], "dyeing-cotton-woven");
    assert_eq!(cp["status"], "example");
    // Hand computation (weights in profiles/index-systems/dyeing-cotton-woven.yaml):
    // nothing meets I → Y_I = 0; at II only water reuse (0.15·0.6) and treatment and
    // monitoring (0.15·0.2) → Y_II = 100·(0.09 + 0.03) = 12; below III only condensate
    // recovery (0.15·0.4), regulations (0.15·0.3) and industrial policy (0.15·0.2) →
    // Y_III = 100·(1 − 0.06 − 0.045 − 0.03) = 86.5; Y_III < 100 → below level III.
    let y = |k: &str| cp[k].as_f64().unwrap();
    assert!(y("y_1").abs() < 1e-9);
    assert!((y("y_2") - 12.0).abs() < 1e-9);
    assert!((y("y_3") - 86.5).abs() < 1e-9);
    assert!(cp["rating"].is_null());
    // Every indicator applies, so w and ω are used as given.
    assert_eq!(cp["reweighted"], false);
    // Independent recomputation from the listed inputs: each level met from the value and
    // benchmarks, Y = Σ_i w_i Σ_j ω_ij · 100 · [met ≥ level].
    let mut recomputed = [0.0; 3];
    for g in cp["groups"].as_array().unwrap() {
        for r in g["rows"].as_array().unwrap() {
            let met = match (&r["benchmarks"], r["value"].as_f64()) {
                (serde_json::Value::Array(b), Some(v)) => {
                    let lower = r["lower_is_better"].as_bool().unwrap();
                    (0..3)
                        .find(|&k| {
                            let b = b[k].as_f64().unwrap();
                            if lower { v <= b } else { v >= b }
                        })
                        .map(|k| k + 1)
                }
                _ => r["met"].as_str().map(|m| m.len()),
            };
            if let Some(m) = met {
                assert_eq!(r["met"].as_str().map(str::len), Some(m), "{r:#}");
            }
            let w = g["weight"].as_f64().unwrap() * r["weight"].as_f64().unwrap();
            for (level, y) in recomputed.iter_mut().enumerate() {
                if met.is_some_and(|m| m <= level + 1) {
                    *y += 100.0 * w;
                }
            }
        }
    }
    for (k, key) in ["y_1", "y_2", "y_3"].iter().enumerate() {
        assert!(
            (recomputed[k] - y(key)).abs() <= 1e-9 * 100.0,
            "{key}: {} vs {}",
            recomputed[k],
            y(key)
        );
    }
    // The reasons name the limiting indicators that hold level I back.
    let reasons = cp["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r["level"] == "I"
        && r["kind"] == "limiting_below"
        && r["indicator"] == "regulations"
        && r["met"].is_null()));
    // The example system is flagged as such.
    assert_eq!(
        find(&json, "evaluation::unofficial-system")["severity"],
        "warning"
    );
}

#[test]
fn an_unknown_indicator_names_its_line() {
    let dir = copy_sample("cp-unknown-indicator");
    let pre = dir.join(PRE);
    edit(&pre, "    fresh_water: 1.90", "    fresh_watr: 1.90");
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = find(&json, "evaluation::unknown-indicator");
    assert_eq!(d["place"]["path"], PRE);
    assert_eq!(d["place"]["line"], line_of(&pre, "fresh_watr:"));
    assert!(d["help"].as_str().unwrap().contains("fresh_water"));
    // And the real indicator is now missing.
    let m = find(&json, "evaluation::missing");
    assert!(m["message"].as_str().unwrap().contains("fresh_water"));
}

#[test]
fn an_unknown_system_names_its_line() {
    let dir = copy_sample("cp-unknown-system");
    let pre = dir.join(PRE);
    edit(
        &pre,
        "  system: dyeing-cotton-woven",
        "  system: dyeing-cotton-wovn",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = find(&json, "evaluation::unknown-system");
    assert_eq!(
        d["place"]["line"],
        line_of(&pre, "system: dyeing-cotton-wovn")
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `dyeing-cotton-woven`")
    );
}

#[test]
fn a_level_for_a_quantitative_indicator_is_refused() {
    let dir = copy_sample("cp-wrong-input");
    let pre = dir.join(PRE);
    edit(&pre, "    energy: 33.0 ", "");
    edit(&pre, "  levels:\n", "  levels:\n    energy: 2\n");
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = find(&json, "evaluation::input");
    assert_eq!(d["place"]["line"], line_of(&pre, "    energy: 2"));
}

#[test]
fn the_audit_folder_can_bring_its_own_index_system() {
    let dir = copy_sample("cp-own-system");
    let systems = dir.join("profiles/index-systems");
    std::fs::create_dir_all(&systems).unwrap();
    std::fs::write(
        systems.join("mill.yaml"),
        "id: mill\nname: {zh: 厂内体系, en: Mill system}\nstatus: official\nsource: {zh: 测试, en: test}\n\
         rating:\n  - {level: 1, min_index: 85, limiting_at: 1, others_at: 2}\n  - {level: 2, min_index: 85, limiting_at: 2}\n  - {level: 3, min_index: 100}\n\
         groups:\n  - id: water\n    name: {zh: 水, en: Water}\n    weight: 1\n    indicators:\n\
         \x20     - id: fresh_water\n        name: {zh: 新鲜水, en: Fresh water}\n        unit: t/100 m\n        weight: 0.6\n        limiting: true\n        benchmarks: [1.2, 1.6, 2.0]\n\
         \x20     - id: water_reuse\n        name: {zh: 重复利用率, en: Reuse}\n        unit: \"%\"\n        weight: 0.4\n        lower_is_better: false\n        benchmarks: [50, 40, 35]\n",
    )
    .unwrap();
    let pre = dir.join(PRE);
    let text = std::fs::read_to_string(&pre).unwrap();
    let start = text.find("evaluation:").unwrap();
    let end = text[start..].find("\npotential:").unwrap() + start;
    let replaced = format!(
        "{}evaluation:\n  system: mill\n  values:\n    fresh_water: 1.90\n    water_reuse: 46.2\n{}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&pre, replaced).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let cp = &json["results"]["results"]["cp_level"];
    // fresh water 1.90 meets III, reuse 46.2 meets II: Y_I = 0, Y_II = 40, Y_III = 100 →
    // level III.
    assert!((cp["y_2"].as_f64().unwrap() - 40.0).abs() < 1e-9);
    assert!((cp["y_3"].as_f64().unwrap() - 100.0).abs() < 1e-9);
    assert_eq!(cp["rating"], "III");
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "evaluation::unofficial-system")
    );
    // A broken file is reported with its path and line, and the audit does not build.
    std::fs::write(
        systems.join("broken.yaml"),
        "id: broken\nname: {zh: 坏, en: Broken}\nstatus: official\nsource: {zh: 无, en: none}\ngroups:\n  - id: g\n    name: {zh: 组, en: G}\n    weight: 1.1\n    indicators:\n      - id: x\n        name: {zh: 指标, en: X}\n        weight: 1\n",
    )
    .unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = find(&json, "index-system::invalid");
    assert_eq!(d["place"]["path"], "profiles/index-systems/broken.yaml");
    assert!(d["message"].as_str().unwrap().contains("1.1"), "{d:#}");
}

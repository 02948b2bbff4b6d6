//! Figures stated in two places agree: each test plants one contradiction in a copy of
//! the sample and expects its warning at the file and line of the figure, while the
//! sample itself states none. The baselines are the sample's workbooks, worked by hand:
//! NH3-N 12.6 mg/L × 955,350 m³/a = 12.04 t/a discharged at DW001; 1,124,800 t of
//! fresh water taken in 2025.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// The diagnostics with `code`.
fn with_code(json: &Value, code: &str) -> Vec<Value> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .cloned()
        .collect()
}

/// The 1-based number of the first line of `file` that contains `needle`.
fn line_of(file: &Path, needle: &str) -> u64 {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{} lacks {needle:?}", file.display())) as u64
        + 1
}

#[test]
fn the_sample_states_no_contradiction() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    for c in codes(&json) {
        assert!(
            !c.starts_with("agreement::") && c != "balance::unit-mode",
            "{c}: {json:#}"
        );
    }
}

/// The sample as it was: 37.1 t/a of verified ammonia-nitrogen reductions (19.6, 12.9
/// and 4.6) at a plant that discharges 12.0 t/a, and a goal (G6, 12.6 → 7.4 mg/L,
/// −41 %) that the same reductions would overshoot threefold.
#[test]
fn reductions_beyond_what_the_plant_discharges_are_warned_at_the_largest_claim() {
    let dir = copy_sample("agreement-ammonia");
    let imp = dir.join("narratives/06-implementation.yaml");
    edit(
        &imp,
        "{code: NH3-N, quantity: 0.6,",
        "{code: NH3-N, quantity: 19.6,",
    );
    edit(
        &imp,
        "{code: NH3-N, quantity: 0.5,",
        "{code: NH3-N, quantity: 12.9,",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "warnings only: {json:#}");
    let found = with_code(&json, "agreement::reduction-exceeds-baseline");
    assert_eq!(found.len(), 1, "{json:#}");
    let d = &found[0];
    assert_eq!(d["severity"], "warning");
    let m = d["message"].as_str().unwrap();
    assert!(m.contains("verified `ammonia`"), "{m}");
    assert!(m.contains("37.1 t/a"), "{m}");
    assert!(m.contains("12.0 t/a"), "{m}");
    assert!(m.contains("NH3-N"), "{m}");
    assert_eq!(d["place"]["path"], "narratives/06-implementation.yaml");
    assert_eq!(
        d["place"]["line"],
        line_of(&imp, "NH3-N, quantity: 19.6"),
        "{d:#}"
    );
    // The emissions cell that states the discharge is named beside it.
    assert!(d["related"].to_string().contains("emissions.xlsx"), "{d:#}");

    let goal = with_code(&json, "agreement::goal-benefits");
    assert_eq!(goal.len(), 1, "{json:#}");
    let g = &goal[0];
    let m = g["message"].as_str().unwrap();
    assert!(m.starts_with("goal `G6`"), "{m}");
    assert!(m.contains("41.3 %"), "{m}");
    assert!(m.contains("308.2 %"), "{m}");
    assert_eq!(g["place"]["path"], "narratives/06-implementation.yaml");
    assert_eq!(g["place"]["line"], line_of(&imp, "  G6: 7.4"), "{g:#}");
}

/// The expected benefits of 04-options.yaml are held to the same bound.
#[test]
fn expected_savings_beyond_the_intake_are_warned() {
    let dir = copy_sample("agreement-water");
    let options = dir.join("narratives/04-options.yaml");
    edit(
        &options,
        "{code: water, quantity: 198000,",
        "{code: water, quantity: 998000,",
    );
    let (_, json) = check_json(&dir);
    let found = with_code(&json, "agreement::reduction-exceeds-baseline");
    assert_eq!(found.len(), 1, "{json:#}");
    let d = &found[0];
    let m = d["message"].as_str().unwrap();
    // 384,000 − 198,000 + 998,000 against the 1,124,800 t taken in 2025.
    assert!(m.contains("expected `water`"), "{m}");
    assert!(m.contains("1,184,000 t/a"), "{m}");
    assert!(m.contains("1,124,800 t/a"), "{m}");
    assert_eq!(d["place"]["path"], "narratives/04-options.yaml");
    assert_eq!(
        d["place"]["line"],
        line_of(&options, "water, quantity: 998000"),
        "{d:#}"
    );
    assert!(d["related"].to_string().contains("status.xlsx"), "{d:#}");
}

/// G1 (fresh water per product, `reduces: water`) said to fall 37 % while the verified
/// water savings are 12 % of the intake.
#[test]
fn a_goal_result_that_the_benefits_do_not_bear_out_is_warned() {
    let dir = copy_sample("agreement-goal");
    let imp = dir.join("narratives/06-implementation.yaml");
    edit(&imp, "  G1: 1.68\n", "  G1: 1.20\n");
    let (_, json) = check_json(&dir);
    let found = with_code(&json, "agreement::goal-benefits");
    assert_eq!(found.len(), 1, "{json:#}");
    let d = &found[0];
    let m = d["message"].as_str().unwrap();
    assert!(m.starts_with("goal `G1`"), "{m}");
    // (1.90 − 1.20) / 1.90 and 135,000 / 1,124,800.
    assert!(m.contains("36.8 %"), "{m}");
    assert!(m.contains("12.0 %"), "{m}");
    assert_eq!(d["place"]["line"], line_of(&imp, "  G1: 1.20"), "{d:#}");
    let pre = dir.join("narratives/02-pre-assessment.yaml");
    assert!(
        d["related"]
            .to_string()
            .contains(&format!("\"line\":{}", line_of(&pre, "reduces: water"))),
        "{d:#}"
    );
}

/// The sample's focus measured by the batch rule while a unit runs continuously.
#[test]
fn a_continuous_unit_balanced_by_the_batch_rule_is_warned() {
    let dir = copy_sample("unit-mode");
    let assess = dir.join("narratives/03-assessment.yaml");
    edit(&assess, "  mode: continuous\n", "  mode: batch\n");
    edit(&assess, "  hours: 72\n", "");
    let text = std::fs::read_to_string(&assess).unwrap();
    let at = text.find("  - id: U3\n").unwrap();
    std::fs::write(
        &assess,
        format!("{}    mode: continuous\n{}", &text[..at], &text[at..]),
    )
    .unwrap();
    let (_, json) = check_json(&dir);
    let found = with_code(&json, "balance::unit-mode");
    assert_eq!(found.len(), 1, "{json:#}");
    let d = &found[0];
    let m = d["message"].as_str().unwrap();
    assert!(
        m.starts_with("unit operation `U2` runs continuously"),
        "{m}"
    );
    assert!(m.contains("counts batches (3)"), "{m}");
    assert_eq!(d["place"]["path"], "narratives/03-assessment.yaml");
    assert_eq!(
        d["place"]["line"],
        line_of(&assess, "    mode: continuous"),
        "{d:#}"
    );
    // U1 runs in batches, and three batches are measured: no warning for it.
    assert!(!m.contains("U1"), "{m}");
}

/// G1's baseline (fresh water per product) against 1,124,800 t ÷ 592,000 × 100 m
/// (5,920 万米) = 1.900 t/100 m from the status workbook.
#[test]
fn a_goal_baseline_that_the_workbooks_contradict_is_warned() {
    let dir = copy_sample("agreement-baseline");
    let pre = dir.join("narratives/02-pre-assessment.yaml");
    edit(&pre, "    baseline: 1.90\n", "    baseline: 2.05\n");
    let (_, json) = check_json(&dir);
    let found = with_code(&json, "agreement::goal-baseline");
    assert_eq!(found.len(), 1, "{json:#}");
    let d = &found[0];
    let m = d["message"].as_str().unwrap();
    assert!(m.starts_with("goal `G1`"), "{m}");
    assert!(m.contains("baseline of 2.05 t/100 m"), "{m}");
    assert!(m.contains("give 1.900 t/100 m for 2025"), "{m}");
    assert_eq!(d["place"]["path"], "narratives/02-pre-assessment.yaml");
    assert_eq!(d["place"]["line"], line_of(&pre, "baseline: 2.05"), "{d:#}");
    assert!(d["related"].to_string().contains("status.xlsx"), "{d:#}");
}

//! Options and their economics end to end: statuses, cost classes from the thresholds in
//! `settings`, benefit quantities, and replacement costs honoured by both methods, each
//! figure recomputed from results.json alone.

use crate::common::*;

fn diagnostics(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn an_unknown_status_lists_the_allowed_ones() {
    let dir = copy_sample("econ-status");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "    status: approved",
        "    status: postponed",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = diagnostics(&json);
    let hit = &d[0];
    assert_eq!(hit["place"]["path"], "narratives/04-options.yaml");
    let text = format!("{} {}", hit["message"], hit["help"]);
    for s in [
        "proposed",
        "approved",
        "deferred",
        "implemented",
        "rejected",
    ] {
        assert!(text.contains(s), "{s} missing in {text}");
    }
    // The former `planned` is still read, as `approved`.
    let dir = copy_sample("econ-planned");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "    status: approved",
        "    status: planned",
    );
    assert_eq!(check_json(&dir).0, Some(0));
}

#[test]
fn cost_classes_follow_the_thresholds_in_settings() {
    // The sample's classes agree with the defaults (5 and 200): no warning.
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0));
    assert!(
        !codes(&json).iter().any(|c| c == "options::cost-class"),
        "{json}"
    );
    // With medium from 2.4, F03 (2.5, low) and F04 (3.0, low) are medium by investment.
    let dir = copy_sample("econ-thresholds");
    edit(
        &dir.join("audit.yaml"),
        "  tax_rate: 0.25\n",
        "  tax_rate: 0.25\n  medium_cost_threshold: 2.4\n",
    );
    let (_, json) = check_json(&dir);
    let hits: Vec<String> = diagnostics(&json)
        .into_iter()
        .filter(|x| x["code"] == "options::cost-class")
        .map(|x| x["message"].as_str().unwrap().to_string())
        .collect();
    assert!(hits.iter().any(|m| m.contains("`F03`")), "{hits:?}");
    assert!(hits.iter().any(|m| m.contains("`F04`")), "{hits:?}");
    assert!(!hits.iter().any(|m| m.contains("`F02`")), "{hits:?}");
}

#[test]
fn a_benefit_quantity_without_code_or_name_is_an_error() {
    let dir = copy_sample("econ-unnamed");
    edit(
        &dir.join("narratives/04-options.yaml"),
        "        - {code: COD, quantity: 7.4, unit: t/a}",
        "        - {quantity: 7.4, unit: t/a}",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let hit = diagnostics(&json)
        .into_iter()
        .find(|x| x["code"] == "options::benefit-unnamed")
        .unwrap();
    assert_eq!(hit["place"]["path"], "narratives/04-options.yaml");
    assert!(hit["place"]["line"].as_u64().unwrap() > 1);
}

#[test]
fn a_replacement_is_in_the_flows_and_in_the_equivalent_annual_flow() {
    let dir = copy_sample("econ-replacement");
    // F18: I = 260, F = 102.95 for 10 years; a replacement of 40 in year 6, depreciation
    // over 8 years: D = 32.5, T = 96.1, tax 24.025, E = 72.075, F = 104.575 in years 1–8,
    // then 128.6 × 0.75 = 96.45 in years 9–10.
    let path = dir.join("narratives/05-feasibility.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("  - option: F18").unwrap();
    let from = text[at..]
        .find("    depreciation_period: 10\n    life: 10\n")
        .unwrap()
        + at;
    let mut text = text;
    text.replace_range(
        from..from + "    depreciation_period: 10\n    life: 10\n".len(),
        "    depreciation_period: 8\n    life: 10\n    replacements:\n      - {item: {zh: 更换泵组, en: Pump replacement}, year: 6, amount: 40}\n",
    );
    std::fs::write(&path, text).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json}");
    let e = json["results"]["results"]["economics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["option"] == "F18")
        .unwrap()
        .clone();
    let flows: Vec<f64> = e["cash_flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    let expected = [
        -260.0, 104.575, 104.575, 104.575, 104.575, 104.575, 64.575, 104.575, 104.575, 96.45, 96.45,
    ];
    assert_eq!(flows.len(), expected.len());
    for (a, b) in flows.iter().zip(expected) {
        assert!(close(*a, b), "{flows:?}");
    }
    // Recomputed from results.json alone: NPV at `discount_rate`, and the annual equivalent.
    let i = e["discount_rate"].as_f64().unwrap();
    let npv: f64 = flows
        .iter()
        .enumerate()
        .map(|(t, c)| c / (1.0 + i).powi(t as i32))
        .sum();
    assert!(close(e["indicators"]["npv"].as_f64().unwrap(), npv));
    let n = e["life"].as_u64().unwrap() as i32;
    let annuity = (1.0 - (1.0 + i).powi(-n)) / i;
    let f_eq = e["equivalent_annual_cash_flow"].as_f64().unwrap();
    assert!(close(f_eq * annuity - 260.0, npv));
    assert!(close(
        e["uniform"]["equivalent_annual_cash_flow"]
            .as_f64()
            .unwrap(),
        f_eq
    ));
    // Static payback, first crossing: cumulative −260, −155.425, −50.85, +53.725 → 2 +
    // 50.85/104.575.
    let p = e["indicators"]["static_payback"]["years"].as_f64().unwrap();
    assert!(close(p, 2.0 + 50.85 / 104.575), "{p}");
    // P's two parts, Y and the tax rate are in results.json too.
    assert_eq!(e["depreciation_period"], 8);
    assert!(close(
        e["revenue_increase"].as_f64().unwrap() + e["cost_reduction"].as_f64().unwrap(),
        e["uniform"]["annual_saving"].as_f64().unwrap()
    ));
    assert!(close(e["tax_rate"].as_f64().unwrap(), 0.25));
}

//! Chapter 7 (持续清洁生产) key figures and the notice's energy table: the baseline
//! year's status, the exceedances, and the counts of options, feasible options and goals
//! met, each counted here once.

use super::{bare, items};
use serde::Serialize;
use serde_json::Value;

/// The key figures of the audit, for the closing chapter's table.
#[derive(Debug, Clone, Serialize, Default)]
pub struct KeyFigures {
    /// The name of the chosen audit focus (`{zh, en}`).
    pub focus: Option<Value>,
    /// Discharges above their concentration limit (`r.discharges` rows).
    pub over_limit: Vec<Value>,
    /// Pollutants above their permitted annual total (`r.permits` rows).
    pub over_permit: Vec<Value>,
    /// Options generated.
    pub options: usize,
    /// Of those, no- and low-cost ones.
    pub low_cost_options: usize,
    /// Of those, medium- and high-cost ones.
    pub costly_options: usize,
    /// Options whose feasibility was analysed.
    pub analysed: usize,
    /// Of those, the feasible ones.
    pub feasible: usize,
    /// Goals set.
    pub goals: usize,
    /// Of those, the ones met.
    pub goals_met: usize,
}

pub(super) fn key_figures(audit: &Value, results: &Value) -> KeyFigures {
    let focus = &audit["pre_assessment"]["focus"];
    let chosen = focus["chosen"].as_str();
    let focus = items(&focus["candidates"])
        .iter()
        .find(|c| c["id"].as_str().is_some() && c["id"].as_str() == chosen)
        .map(|c| c["name"].clone());
    let exceeding = |list: &Value| -> Vec<Value> {
        items(list)
            .iter()
            .filter(|x| x["exceeds"].as_bool() == Some(true))
            .cloned()
            .collect()
    };
    let options = items(&audit["options"]["options"]);
    let cost_in = |classes: &[&str]| {
        options
            .iter()
            .filter(|o| o["cost"].as_str().is_some_and(|c| classes.contains(&c)))
            .count()
    };
    let economics = items(&results["economics"]);
    let goals = items(&results["goals"]);
    KeyFigures {
        focus,
        over_limit: exceeding(&results["discharges"]),
        over_permit: exceeding(&results["permits"]),
        options: options.len(),
        low_cost_options: cost_in(&["none", "low"]),
        costly_options: cost_in(&["medium", "high"]),
        analysed: economics.len(),
        feasible: economics
            .iter()
            .filter(|e| e["assessment"]["verdict"].as_str() == Some("feasible"))
            .count(),
        goals: goals.len(),
        goals_met: goals
            .iter()
            .filter(|g| g["met"].as_bool() == Some(true))
            .count(),
    }
}

/// The baseline year's row of `r.status`.
pub(super) fn baseline(audit: &Value, results: &Value) -> Option<Value> {
    status_of(
        results,
        bare(&audit["meta"]["audit"]["baseline_year"]).as_i64()?,
    )
}

/// The status row of the year the notice's energy facts are of.
pub(super) fn notice_energy_year(results: &Value) -> Option<Value> {
    status_of(results, results["compliance"]["energy"]["year"].as_i64()?)
}

/// The row of `r.status` of one year.
fn status_of(results: &Value, year: i64) -> Option<Value> {
    items(&results["status"])
        .iter()
        .find(|y| y["year"].as_i64() == Some(year))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_figures_count_what_the_results_say() {
        let audit = json!({
            "meta": {"audit": {"baseline_year": 2025}},
            "pre_assessment": {"focus": {"chosen": "B", "candidates": [
                {"id": "A", "name": {"zh": "甲", "en": "A"}}, {"id": "B", "name": {"zh": "乙", "en": "B"}}]}},
            "options": {"options": [{"cost": "none"}, {"cost": "low"}, {"cost": "medium"}, {"cost": "high"}, {"cost": "low"}]},
        });
        let results = json!({
            "status": [{"year": 2024}, {"year": 2025, "energy": {"total_tce": 10.0}}],
            "discharges": [{"exceeds": true, "pollutant": "COD"}, {"exceeds": false}],
            "permits": [{"exceeds": false}],
            "economics": [{"assessment": {"verdict": "feasible"}}, {"assessment": {"verdict": "infeasible"}}],
            "goals": [{"met": true}, {"met": false}, {"met": null}],
        });
        let k = key_figures(&audit, &results);
        assert_eq!(baseline(&audit, &results).unwrap()["year"], 2025);
        assert_eq!(k.focus, Some(json!({"zh": "乙", "en": "B"})));
        assert_eq!((k.over_limit.len(), k.over_permit.len()), (1, 0));
        assert_eq!((k.options, k.low_cost_options, k.costly_options), (5, 3, 2));
        assert_eq!((k.analysed, k.feasible), (2, 1));
        assert_eq!((k.goals, k.goals_met), (3, 1));
    }
}

//! Chapters 4–6 (方案的产生和筛选, 可行性分析, 方案实施): the options grouped by
//! aspect, each option's status and its feasibility analysis joined by id, the options
//! still to implement, and the implemented benefits side by side by cost group.

use super::{id_of, items, number};
use crate::model::Aspect;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What the options chapters show beyond the audit and the results.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Options {
    /// The options under each of the eight aspects that has any, in the manual's order.
    pub by_aspect: Vec<OptionsOf>,
    /// Each option's status (an `OptionStatus` key), by id.
    pub status: BTreeMap<String, Value>,
    /// Each feasibility analysis with its option and its economics, in the order of
    /// 05-feasibility.yaml.
    pub analyses: Vec<Analysis>,
    /// Options proposed, approved or deferred: the ones still to implement.
    pub pending: Vec<Value>,
    /// The no- and low-cost options implemented during the audit: each result of
    /// 06-implementation.yaml with its option, in that file's order.
    pub done_no_low: Vec<Done>,
    /// The implemented benefits, one row per quantity (code and unit), with the
    /// no/low-cost and the medium/high-cost sums beside the total.
    pub implemented: Vec<ImplementedRow>,
}

/// The options of one aspect.
#[derive(Debug, Clone, Serialize)]
pub struct OptionsOf {
    /// The aspect (an `aspect_` string key).
    pub aspect: Aspect,
    /// Its options as written in 04-options.yaml.
    pub options: Vec<Value>,
}

/// A feasibility analysis with what it is about.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The analysis as written in 05-feasibility.yaml.
    pub analysis: Value,
    /// The option it analyses (`None`: the id names no option; check reports it).
    pub option: Option<Value>,
    /// The option's economics (`r.economics`), when computed.
    pub economics: Option<Value>,
}

/// An implemented option with its result.
#[derive(Debug, Clone, Serialize)]
pub struct Done {
    /// The result as written in 06-implementation.yaml.
    pub result: Value,
    /// The option it is the result of.
    pub option: Value,
}

/// One implemented benefit quantity.
#[derive(Debug, Clone, Serialize)]
pub struct ImplementedRow {
    /// The quantity of all implemented options (`r.implemented.all.quantities[i]`).
    pub total: Value,
    /// The no- and low-cost options' sum of the same quantity (`None`: none claims it).
    pub no_low: Option<f64>,
    /// The medium- and high-cost options' sum (`None`: none claims it).
    pub medium_high: Option<f64>,
}

pub(super) fn build(audit: &Value, results: &Value) -> Options {
    let options = items(&audit["options"]["options"]);
    let by_aspect = Aspect::ALL
        .iter()
        .filter_map(|aspect| {
            let key = serde_json::to_value(aspect).ok()?;
            let of: Vec<Value> = options
                .iter()
                .filter(|o| o["category"] == key)
                .cloned()
                .collect();
            (!of.is_empty()).then_some(OptionsOf {
                aspect: *aspect,
                options: of,
            })
        })
        .collect();
    let by_id = |id: &str| {
        options
            .iter()
            .find(|o| id_of(&o["id"]).as_deref() == Some(id))
    };
    let status = options
        .iter()
        .filter_map(|o| Some((id_of(&o["id"])?, o["status"].clone())))
        .collect();
    let economics = items(&results["economics"]);
    let analyses = items(&audit["feasibility"]["analyses"])
        .iter()
        .map(|a| {
            let id = id_of(&a["option"]).unwrap_or_default();
            Analysis {
                option: by_id(&id).cloned(),
                economics: economics
                    .iter()
                    .find(|e| id_of(&e["option"]).as_deref() == Some(id.as_str()))
                    .cloned(),
                analysis: a.clone(),
            }
        })
        .collect();
    let pending = options
        .iter()
        .filter(|o| {
            matches!(
                o["status"].as_str(),
                Some("approved" | "deferred" | "proposed")
            )
        })
        .cloned()
        .collect();
    let done_no_low = items(&audit["implementation"]["results"])
        .iter()
        .filter_map(|r| {
            let option = by_id(&id_of(&r["option"])?)?;
            matches!(option["cost"].as_str(), Some("none" | "low")).then(|| Done {
                result: r.clone(),
                option: option.clone(),
            })
        })
        .collect();
    let imp = &results["implemented"];
    let same = |group: &Value, q: &Value| -> Option<f64> {
        items(&group["quantities"])
            .iter()
            .find(|x| x["key"] == q["key"] && x["unit"] == q["unit"])
            .and_then(|x| number(&x["quantity"]))
            .filter(|x| *x != 0.0)
    };
    let implemented = items(&imp["all"]["quantities"])
        .iter()
        .filter(|q| number(&q["quantity"]).is_some_and(|x| x != 0.0))
        .map(|q| ImplementedRow {
            no_low: same(&imp["no_low"], q),
            medium_high: same(&imp["medium_high"], q),
            total: q.clone(),
        })
        .collect();
    Options {
        by_aspect,
        status,
        analyses,
        pending,
        done_no_low,
        implemented,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_are_grouped_and_joined_by_id() {
        let audit = json!({
            "options": {"options": [
                {"id": "F1", "category": "staff", "status": "implemented", "cost": "low"},
                {"id": "F2", "category": "raw_materials", "status": "approved"},
                {"id": "F3", "category": "staff", "status": "deferred"},
                {"id": "F4", "category": "equipment", "status": "implemented", "cost": "high"},
            ]},
            "implementation": {"results": [{"option": "F4"}, {"option": "F1", "completed": "2026-05"}]},
            "feasibility": {"analyses": [{"option": "F2"}, {"option": "F9"}]},
        });
        let results = json!({
            "economics": [{"option": "F2", "npv": 12.5}],
            "implemented": {
                "all": {"quantities": [{"key": "water", "unit": "t/a", "quantity": 100.0},
                                       {"key": "COD", "unit": "t/a", "quantity": 0.0}]},
                "no_low": {"quantities": [{"key": "water", "unit": "t/a", "quantity": 40.0}]},
                "medium_high": {"quantities": []},
            },
        });
        let v = build(&audit, &results);
        let aspects: Vec<_> = v
            .by_aspect
            .iter()
            .map(|g| (g.aspect, g.options.len()))
            .collect();
        assert_eq!(
            aspects,
            vec![
                (Aspect::RawMaterials, 1),
                (Aspect::Equipment, 1),
                (Aspect::Staff, 2)
            ]
        );
        assert_eq!(v.status["F3"], "deferred");
        assert_eq!(v.analyses[0].economics.as_ref().unwrap()["npv"], 12.5);
        assert!(v.analyses[1].option.is_none() && v.analyses[1].economics.is_none());
        let pending: Vec<_> = v.pending.iter().map(|o| o["id"].clone()).collect();
        assert_eq!(pending, vec![json!("F2"), json!("F3")]);
        // Only the low-cost F1 of the two implemented, with its result.
        assert_eq!(v.done_no_low.len(), 1);
        assert_eq!(v.done_no_low[0].option["id"], "F1");
        assert_eq!(v.done_no_low[0].result["completed"], "2026-05");
        assert_eq!(v.implemented.len(), 1, "a zero quantity is not a row");
        assert_eq!(
            (v.implemented[0].no_low, v.implemented[0].medium_high),
            (Some(40.0), None)
        );
    }
}

//! Chapter 2, last section (清洁生产水平): why each level was not granted, grouped by
//! level in the rule's order, and which of those reasons name their indicators.

use super::{items, number};
use serde::Serialize;
use serde_json::Value;

/// Lists of indicators not meeting a level are named in full up to this length; a
/// longer list is summarised by the index alone (the table above names every one).
const NAMED_NOT_MET: usize = 6;

/// What the rating section shows beyond `r.cp_level`.
#[derive(Debug, Clone, Serialize)]
pub struct CpLevel {
    /// For each level of the rule that was not granted, in the rule's order, why.
    pub not_granted: Vec<NotGranted>,
}

/// Why one level was not granted.
#[derive(Debug, Clone, Serialize)]
pub struct NotGranted {
    /// The level (`I`, `II`, `III`).
    pub level: String,
    /// Y of the level was below the rule's minimum.
    pub index_below: Option<IndexBelow>,
    /// Limiting indicators below the level the rule requires of them.
    pub limiting: Option<Below>,
    /// Other indicators below the level the rule requires of them.
    pub others: Option<Below>,
}

/// Y below the rule's minimum.
#[derive(Debug, Clone, Serialize)]
pub struct IndexBelow {
    /// Y of the level.
    pub index: Option<f64>,
    /// The minimum the rule requires.
    pub required_index: Option<f64>,
    /// The indicators not meeting the level, when few enough to name.
    pub not_met: Option<Vec<Value>>,
}

/// Indicators below the level the rule requires.
#[derive(Debug, Clone, Serialize)]
pub struct Below {
    /// The level the rule requires of them.
    pub required_level: Value,
    /// Each indicator's name and the level it meets (`None`: below III).
    pub indicators: Vec<(Value, Value)>,
}

pub(super) fn build(cp: &Value) -> Option<CpLevel> {
    if cp.is_null() {
        return None;
    }
    let reasons = items(&cp["reasons"]);
    let not_granted = items(&cp["rule"])
        .iter()
        .filter_map(|rule| {
            let level = rule["level"].as_str()?;
            let of_level: Vec<&Value> = reasons
                .iter()
                .filter(|r| r["level"].as_str() == Some(level))
                .collect();
            if of_level.is_empty() {
                return None;
            }
            let kind = |k: &'static str| {
                of_level
                    .iter()
                    .copied()
                    .filter(move |r| r["kind"].as_str() == Some(k))
            };
            let below = |k: &'static str| {
                let list: Vec<&Value> = kind(k).collect();
                let first = list.first()?;
                Some(Below {
                    required_level: first["required_level"].clone(),
                    indicators: list
                        .iter()
                        .map(|r| (r["indicator_name"].clone(), r["met"].clone()))
                        .collect(),
                })
            };
            Some(NotGranted {
                level: level.to_string(),
                index_below: kind("index_below").next().map(|r| {
                    let names = items(&r["not_met"]);
                    IndexBelow {
                        index: number(&r["index"]),
                        required_index: number(&r["required_index"]),
                        not_met: (names.len() <= NAMED_NOT_MET).then(|| names.to_vec()),
                    }
                }),
                limiting: below("limiting_below"),
                others: below("other_below"),
            })
        })
        .collect();
    Some(CpLevel { not_granted })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons_group_by_level_in_the_rules_order() {
        let name = |x: &str| json!({"zh": x, "en": x});
        let cp = json!({
            "rule": [{"level": "I"}, {"level": "II"}, {"level": "III"}],
            "reasons": [
                {"level": "II", "kind": "limiting_below", "indicator_name": name("a"), "met": "III", "required_level": "II"},
                {"level": "I", "kind": "index_below", "index": 72.5, "required_index": 85.0,
                 "not_met": (0..7).map(|i| name(&i.to_string())).collect::<Vec<_>>()},
                {"level": "II", "kind": "index_below", "index": 80.0, "required_index": 85.0, "not_met": [name("b")]},
                {"level": "II", "kind": "limiting_below", "indicator_name": name("c"), "met": null, "required_level": "II"},
            ],
        });
        let v = build(&cp).unwrap();
        let levels: Vec<_> = v.not_granted.iter().map(|g| g.level.as_str()).collect();
        assert_eq!(levels, vec!["I", "II"], "III was granted: no reasons");
        let one = v.not_granted[0].index_below.as_ref().unwrap();
        assert_eq!(one.index, Some(72.5));
        assert!(
            one.not_met.is_none(),
            "seven indicators are not named one by one"
        );
        let two = &v.not_granted[1];
        assert_eq!(
            two.index_below
                .as_ref()
                .unwrap()
                .not_met
                .as_ref()
                .unwrap()
                .len(),
            1
        );
        let lim = two.limiting.as_ref().unwrap();
        assert_eq!(lim.indicators.len(), 2);
        assert_eq!(lim.indicators[1].1, Value::Null, "below III");
        assert!(two.others.is_none());
        assert!(build(&Value::Null).is_none());
    }
}

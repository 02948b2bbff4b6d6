//! The mandatory-audit triggers with the records that meet them: compute names each
//! finding by where the results hold it (`discharges[3]`); the view fetches the record,
//! so the report and the notice print the very figures of the discharges table.

use super::items;
use serde::Serialize;
use serde_json::Value;

/// A trigger of the regulation profile, as the documents list it.
#[derive(Debug, Clone, Serialize)]
pub struct Trigger {
    /// The article (`{zh, en}`).
    pub article: Value,
    /// Its wording (`{zh, en}`).
    pub text: Value,
    /// Whether the data meets it.
    pub met: bool,
    /// The records that meet it.
    pub findings: Vec<Finding>,
}

/// One record that meets a trigger.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `discharge`, `permit`, `energy`, `toxic_material` or `toxic_discharge`: which
    /// sentence prints it.
    pub kind: String,
    /// The record (a row of `r.discharges`, `r.permits`, the energy facts…).
    pub record: Value,
}

pub(super) fn triggers(results: &Value) -> Vec<Trigger> {
    let c = &results["compliance"];
    items(&c["triggers"])
        .iter()
        .map(|t| Trigger {
            article: t["article"].clone(),
            text: t["text"].clone(),
            met: t["met"].as_bool() == Some(true),
            findings: items(&t["findings"])
                .iter()
                .filter_map(|f| {
                    let kind = f["kind"].as_str()?;
                    let index = f["index"].as_u64().unwrap_or(0) as usize;
                    let record = match kind {
                        "discharge" => &results["discharges"][index],
                        "permit" => &results["permits"][index],
                        "energy" => &c["energy"],
                        "toxic_material" => &c["toxic_materials"][index],
                        "toxic_discharge" => &c["toxic_discharges"][index],
                        _ => return None,
                    };
                    Some(Finding {
                        kind: kind.to_string(),
                        record: record.clone(),
                    })
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn findings_are_the_records_they_name() {
        let results = json!({
            "discharges": [{"pollutant": "COD", "exceeds": false}, {"pollutant": "SS", "exceeds": true}],
            "permits": [],
            "compliance": {
                "energy": {"year": 2025, "excess": 0.1},
                "toxic_materials": [{"name": {"zh": "甲", "en": "A"}}],
                "toxic_discharges": [],
                "triggers": [
                    {"article": "8(1)", "text": "t", "met": true, "findings": [{"kind": "discharge", "index": 1}]},
                    {"article": "8(2)", "text": "t", "met": true, "findings": [{"kind": "energy"}, {"kind": "toxic_material", "index": 0}]},
                    {"article": "8(3)", "text": "t", "met": false, "findings": []},
                ],
            },
        });
        let t = triggers(&results);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].findings[0].record["pollutant"], "SS");
        assert_eq!(t[1].findings[0].record["year"], 2025);
        assert_eq!(t[1].findings[1].kind, "toxic_material");
        assert!(!t[2].met && t[2].findings.is_empty());
    }
}

//! Chapter 3 (审核 / assessment): the measured streams with their flow direction named
//! and their per-batch values, and the names the balance tables print for stream and
//! unit-operation ids.

use super::{bare, id_of, items, number};
use crate::model::Aspect;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What chapter 3 shows beyond the audit and the results.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Assessment {
    /// The measured-streams table, in the order of the balance workbook.
    pub streams: Vec<StreamRow>,
    /// Number of batch columns of that table.
    pub batches: usize,
    /// The printed name of each stream id (`{zh, en}`), for the balance tables.
    pub stream_names: BTreeMap<String, Value>,
    /// The printed name of each unit-operation id (`{zh, en}`).
    pub unit_names: BTreeMap<String, Value>,
    /// The balance diagram: each unit operation with what crosses the boundary and what
    /// passes on to the next unit.
    pub units: Vec<UnitFlows>,
    /// The causes of waste under each of the eight aspects, in the manual's order (an
    /// aspect with no cause is listed empty: the table says none was found).
    pub causes: Vec<CausesOf>,
}

/// One unit operation in the balance diagram.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFlows {
    /// Unit-operation id.
    pub id: String,
    /// Its name (`{zh, en}`).
    pub name: Value,
    /// Streams entering from outside the chain of units (not intermediates).
    pub inputs: Vec<Flow>,
    /// Streams leaving the chain of units (not intermediates).
    pub outputs: Vec<Flow>,
    /// Intermediates passed on to the next unit.
    pub to_next: Vec<Flow>,
}

/// A stream in the diagram: its name and mean per batch.
#[derive(Debug, Clone, Serialize)]
pub struct Flow {
    /// Stream id.
    pub id: String,
    /// The mean per batch (`None`: withheld).
    pub mean: Option<f64>,
}

/// The causes found under one aspect.
#[derive(Debug, Clone, Serialize)]
pub struct CausesOf {
    /// The aspect (an `aspect_` string key).
    pub aspect: Aspect,
    /// Its causes as written in 03-assessment.yaml, in order.
    pub causes: Vec<Value>,
}

/// One row of the measured-streams table.
#[derive(Debug, Clone, Serialize)]
pub struct StreamRow {
    /// Stream id.
    pub id: String,
    /// Its name (`{zh, en}`).
    pub name: Value,
    /// Where it comes from: a unit operation's name, `None` for outside the boundary.
    pub from: Option<Value>,
    /// Where it goes: a unit operation's name, `None` for outside the boundary.
    pub to: Option<Value>,
    /// Its kind (a `skind_` string key).
    pub kind: String,
    /// One value per batch column (`None`: not measured in that batch, or withheld).
    pub batches: Vec<Option<f64>>,
    /// The mean the balances use (`None`: not in any balance, or withheld).
    pub mean: Option<f64>,
}

pub(super) fn build(audit: &Value, results: &Value) -> Assessment {
    let balance = &results["balance"];
    let unit_names: BTreeMap<String, Value> = items(&audit["assessment"]["unit_operations"])
        .iter()
        .filter_map(|u| Some((id_of(&u["id"])?, u["name"].clone())))
        .collect();
    let stream_names: BTreeMap<String, Value> = balance["stream_names"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    // Each stream's balance figures, by id, from the unit balances that hold it (a
    // stream between two units appears in both, with the same figures).
    let mut measured: BTreeMap<String, &Value> = BTreeMap::new();
    for u in items(&balance["units"]) {
        for side in ["inputs", "outputs"] {
            for v in items(&u["balance"][side]) {
                if let Some(id) = id_of(&v["id"]) {
                    measured.entry(id).or_insert(v);
                }
            }
        }
    }
    let batches = balance["batches"].as_u64().unwrap_or(0) as usize;
    let name_of = |v: &Value| -> Option<Value> {
        let id = id_of(v)?;
        Some(
            unit_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Value::String(id)),
        )
    };
    let streams = items(&audit["tables"]["streams"])
        .iter()
        .map(|st| {
            let id = id_of(&st["id"]).unwrap_or_default();
            let figures = measured.get(&id);
            StreamRow {
                name: st["name"].clone(),
                from: name_of(&st["from"]),
                to: name_of(&st["to"]),
                kind: bare(&st["kind"]).as_str().unwrap_or_default().to_string(),
                batches: (0..batches)
                    .map(|i| figures.and_then(|f| number(&f["batches"][i])))
                    .collect(),
                mean: figures.and_then(|f| number(&f["mean"])),
                id,
            }
        })
        .collect();
    let units = items(&balance["units"])
        .iter()
        .map(|u| {
            let flows = |side: &str, internal: bool| -> Vec<Flow> {
                items(&u["balance"][side])
                    .iter()
                    .filter(|v| (v["kind"].as_str() == Some("internal")) == internal)
                    .map(|v| Flow {
                        id: id_of(&v["id"]).unwrap_or_default(),
                        mean: number(&v["mean"]),
                    })
                    .collect()
            };
            UnitFlows {
                id: id_of(&u["id"]).unwrap_or_default(),
                name: u["name"].clone(),
                inputs: flows("inputs", false),
                outputs: flows("outputs", false),
                to_next: flows("outputs", true),
            }
        })
        .collect();
    let causes = Aspect::ALL
        .iter()
        .map(|aspect| {
            let key = serde_json::to_value(aspect).unwrap_or_default();
            CausesOf {
                aspect: *aspect,
                causes: items(&audit["assessment"]["causes"])
                    .iter()
                    .filter(|c| c["aspect"] == key)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    Assessment {
        streams,
        batches,
        stream_names,
        unit_names,
        units,
        causes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn context() -> (Value, Value) {
        let audit = json!({
            "assessment": {"unit_operations": [
                {"id": "U1", "name": {"zh": "前处理", "en": "Pretreatment"}},
                {"id": "U2", "name": {"zh": "染色", "en": "Dyeing"}},
            ]},
            "tables": {"streams": [
                {"id": {"value": "S1", "cell": "Streams!A2"}, "name": {"zh": "坯布", "en": "Grey fabric"},
                 "from": null, "to": {"value": "U1", "cell": "Streams!D2"}, "kind": {"value": "raw_material", "cell": "Streams!E2"}},
                {"id": {"value": "S2", "cell": "Streams!A3"}, "name": {"zh": "半制品", "en": "Half-product"},
                 "from": {"value": "U1", "cell": "Streams!C3"}, "to": {"value": "U2", "cell": "Streams!D3"}, "kind": {"value": "internal", "cell": "Streams!E3"}},
                {"id": {"value": "S9", "cell": "Streams!A4"}, "name": {"zh": "未测", "en": "Unmeasured"},
                 "from": {"value": "U2", "cell": "Streams!C4"}, "to": null, "kind": {"value": "loss", "cell": "Streams!E4"}},
            ]},
        });
        let results = json!({"balance": {
            "batches": 3,
            "stream_names": {"S1": {"zh": "坯布", "en": "Grey fabric"}},
            "units": [
                {"id": "U1", "balance": {
                    "inputs": [{"id": "S1", "mean": 2.0, "batches": [1.0, 2.0, 3.0]}],
                    "outputs": [{"id": "S2", "mean": 1.5, "batches": [1.5, null]}],
                }},
                {"id": "U2", "balance": {
                    "inputs": [{"id": "S2", "mean": 1.5, "batches": [1.5, null]}],
                    "outputs": [],
                }},
            ],
        }});
        (audit, results)
    }

    #[test]
    fn streams_are_joined_with_their_units_and_balance_figures() {
        let (audit, results) = context();
        let a = build(&audit, &results);
        assert_eq!(a.batches, 3);
        let s1 = &a.streams[0];
        assert_eq!(s1.id, "S1");
        assert_eq!(s1.from, None, "from outside the boundary");
        assert_eq!(s1.to, Some(json!({"zh": "前处理", "en": "Pretreatment"})));
        assert_eq!(s1.kind, "raw_material");
        assert_eq!(s1.batches, vec![Some(1.0), Some(2.0), Some(3.0)]);
        assert_eq!(s1.mean, Some(2.0));
        // A withheld batch value (null) and a missing third batch both show as none.
        assert_eq!(a.streams[1].batches, vec![Some(1.5), None, None]);
        // A stream in no balance has no figures.
        let s9 = &a.streams[2];
        assert_eq!((s9.mean, s9.batches.clone()), (None, vec![None; 3]));
        assert_eq!(s9.to, None);
        assert_eq!(a.unit_names["U2"], json!({"zh": "染色", "en": "Dyeing"}));
    }

    #[test]
    fn the_diagram_separates_intermediates_and_causes_follow_the_manuals_order() {
        let (mut audit, mut results) = context();
        results["balance"]["units"][0]["balance"]["outputs"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "S5", "kind": "wastewater", "mean": 0.2}));
        results["balance"]["units"][0]["balance"]["outputs"][0]["kind"] = json!("internal");
        let a = build(&audit, &results);
        let u1 = &a.units[0];
        let ids = |f: &[Flow]| f.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&u1.to_next), vec!["S2"]);
        assert_eq!(ids(&u1.outputs), vec!["S5"]);
        assert_eq!(ids(&u1.inputs), vec!["S1"]);

        audit["assessment"]["causes"] = json!([
            {"aspect": "staff", "description": "x"},
            {"aspect": "raw_materials", "description": "y"},
            {"aspect": "staff", "description": "z"},
        ]);
        let a = build(&audit, &results);
        assert_eq!(a.causes.len(), 8, "every aspect, found or not");
        assert_eq!(a.causes[0].aspect, Aspect::RawMaterials);
        assert_eq!(a.causes[0].causes.len(), 1);
        assert_eq!(a.causes[7].aspect, Aspect::Staff);
        assert_eq!(a.causes[7].causes.len(), 2);
        assert!(a.causes[1].causes.is_empty());
    }

    #[test]
    fn an_unknown_unit_id_prints_as_typed() {
        let (mut audit, results) = context();
        audit["tables"]["streams"][0]["to"] = json!({"value": "U7", "cell": "Streams!D2"});
        let a = build(&audit, &results);
        assert_eq!(a.streams[0].to, Some(json!("U7")));
    }
}

//! Chapter 2 (预审核 / pre-assessment): the materials table by year, the discharges
//! grouped by outlet, the limits and outlet names the load tables print, the year the
//! energy figure shows, and the benchmark table with the level each value meets (judged
//! by `calc::index_system::level_met`, as the index-system evaluation judges).

use super::{bare, id_of, items, number};
use crate::calc::index_system::{Direction, Level, level_met};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What chapter 2 shows beyond the audit and the results.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PreAssessment {
    /// The years of the status-quo tables (the status workbook's years, in order).
    pub years: Vec<i64>,
    /// Materials and their consumption per year, one row per material.
    pub materials: Vec<MaterialRow>,
    /// Whether any material is toxic or hazardous (the table's note).
    pub any_toxic: bool,
    /// The energy figure's year: the baseline year when it has energy figures, else the
    /// last year that has them; `None` when no year has.
    pub energy_year: Option<i64>,
    /// How electricity is converted, as stated by the first year with energy figures.
    pub electricity: Option<ElectricityBasis>,
    /// The discharges table, grouped by outlet in the results' order.
    pub outlets: Vec<OutletRows>,
    /// The printed limits of each pollutant code by medium (`wastewater` → `COD` → …).
    pub limits: BTreeMap<String, BTreeMap<String, Limits>>,
    /// The printed name of each outlet id (`{zh, en}`).
    pub outlet_names: BTreeMap<String, Value>,
    /// The benchmark table with the level each value meets.
    pub benchmarks: Vec<BenchmarkRow>,
}

/// One material and what was consumed of it in each year.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialRow {
    /// Its name (`{zh, en}`).
    pub name: Value,
    /// Its unit, as the workbook states it.
    pub unit: Value,
    /// Whether its first row is marked toxic (the name is printed bold).
    pub toxic: bool,
    /// Whether any of its rows is marked toxic (the remark column).
    pub toxic_in_any_year: bool,
    /// The quantity in each of [`PreAssessment::years`]; `None` where the workbook has none.
    pub quantities: Vec<Option<f64>>,
}

/// How electricity is converted to standard coal.
#[derive(Debug, Clone, Serialize)]
pub struct ElectricityBasis {
    /// The equivalent-value basis (当量值) rather than the primary-energy one (等价值).
    pub equivalent: bool,
    /// kgce per kWh.
    pub kgce_per_kwh: Option<f64>,
}

/// The discharge rows of one outlet.
#[derive(Debug, Clone, Serialize)]
pub struct OutletRows {
    /// Outlet id.
    pub id: String,
    /// Its name (`{zh, en}`).
    pub name: Value,
    /// Its rows of `r.discharges`, as computed.
    pub rows: Vec<Value>,
}

/// The limits of one pollutant in one medium: outlets under different standards have
/// different limits, each listed once.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Limits {
    /// The distinct limits, in the order the outlets give them.
    pub values: Vec<f64>,
    /// The concentration unit (of the last outlet that states the pollutant).
    pub unit: String,
}

/// A benchmark row with its judgement.
#[derive(Debug, Clone, Serialize)]
pub struct BenchmarkRow {
    /// The indicator (`{zh, en}`).
    pub indicator: Value,
    /// Its unit.
    pub unit: Value,
    /// The enterprise's value.
    pub value: Option<f64>,
    /// Level I, II and III benchmarks.
    pub levels: Vec<Option<f64>>,
    /// `≤` or `≥`: how a value meets a benchmark.
    pub lower_is_better: bool,
    /// The level met: `level_1`, `level_2`, `level_3`, `level_none` (below level III), or
    /// `None` when there is no value to judge.
    pub met: Option<&'static str>,
}

pub(super) fn build(audit: &Value, results: &Value) -> PreAssessment {
    let status = items(&results["status"]);
    let years: Vec<i64> = status.iter().filter_map(|y| y["year"].as_i64()).collect();
    let materials = materials(items(&audit["tables"]["materials"]), &years);
    let any_toxic = items(&audit["tables"]["materials"])
        .iter()
        .any(|m| m["toxic"].as_bool() == Some(true));

    let with_energy: Vec<&Value> = status.iter().filter(|y| truthy(&y["energy"])).collect();
    let baseline = bare(&audit["meta"]["audit"]["baseline_year"]).as_i64();
    let energy_year = with_energy
        .iter()
        .find(|y| y["year"].as_i64() == baseline)
        .or(with_energy.last())
        .and_then(|y| y["year"].as_i64());
    let electricity = with_energy.first().map(|y| ElectricityBasis {
        equivalent: y["energy"]["electricity_basis"].as_str() == Some("equivalent"),
        kgce_per_kwh: number(&y["energy"]["electricity_kgce_per_kwh"]),
    });

    let discharges = items(&results["discharges"]);
    let mut outlets: Vec<OutletRows> = Vec::new();
    let mut outlet_names = BTreeMap::new();
    let mut limits: BTreeMap<String, BTreeMap<String, Limits>> = BTreeMap::new();
    for d in discharges {
        let id = id_of(&d["source"]).unwrap_or_default();
        outlet_names
            .entry(id.clone())
            .or_insert_with(|| d["source_name"].clone());
        match outlets.iter_mut().find(|o| o.id == id) {
            Some(o) => o.rows.push(d.clone()),
            None => outlets.push(OutletRows {
                name: d["source_name"].clone(),
                rows: vec![d.clone()],
                id,
            }),
        }
        let (Some(medium), Some(code)) = (d["medium"].as_str(), d["pollutant"].as_str()) else {
            continue;
        };
        let entry = limits
            .entry(medium.to_string())
            .or_default()
            .entry(code.to_string())
            .or_default();
        if let Some(limit) = number(&d["limit"])
            && !entry.values.contains(&limit)
        {
            entry.values.push(limit);
            entry.unit = d["concentration_unit"].as_str().unwrap_or_default().into();
        }
    }

    let benchmarks = items(&audit["pre_assessment"]["benchmarks"])
        .iter()
        .map(benchmark)
        .collect();
    PreAssessment {
        years,
        materials,
        any_toxic,
        energy_year,
        electricity,
        outlets,
        limits,
        outlet_names,
        benchmarks,
    }
}

/// Materials by name (their Chinese name, as typed), in the order each first appears.
fn materials(rows: &[Value], years: &[i64]) -> Vec<MaterialRow> {
    let mut out: Vec<(String, MaterialRow)> = Vec::new();
    for row in rows {
        let key = row["name"]["zh"].as_str().unwrap_or_default().to_string();
        let toxic = row["toxic"].as_bool() == Some(true);
        let i = match out.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                out.push((
                    key,
                    MaterialRow {
                        name: row["name"].clone(),
                        unit: bare(&row["unit"]).clone(),
                        toxic,
                        toxic_in_any_year: false,
                        quantities: vec![None; years.len()],
                    },
                ));
                out.len() - 1
            }
        };
        let m = &mut out[i].1;
        m.toxic_in_any_year |= toxic;
        let year = bare(&row["year"]).as_i64();
        if let Some(y) = years.iter().position(|y| Some(*y) == year)
            && m.quantities[y].is_none()
        {
            m.quantities[y] = number(bare(&row["quantity"]));
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

fn benchmark(b: &Value) -> BenchmarkRow {
    let value = number(bare(&b["value"]));
    let levels: Vec<Option<f64>> = (0..3).map(|i| number(&b["levels"][i])).collect();
    let lower_is_better = b["lower_is_better"].as_bool() != Some(false);
    let direction = if lower_is_better {
        Direction::LowerIsBetter
    } else {
        Direction::HigherIsBetter
    };
    let met = match (value, levels[0], levels[1], levels[2]) {
        (Some(v), Some(l1), Some(l2), Some(l3)) => {
            Some(match level_met(&[l1, l2, l3], direction, v) {
                Some(Level::I) => "level_1",
                Some(Level::II) => "level_2",
                Some(Level::III) => "level_3",
                None => "level_none",
            })
        }
        _ => None,
    };
    BenchmarkRow {
        indicator: b["indicator"].clone(),
        unit: b["unit"].clone(),
        value,
        levels,
        lower_is_better,
        met,
    }
}

/// What a minijinja `if` would take as true: present, not null, not empty, not false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64() != Some(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn benchmarks_are_judged_as_the_index_system_judges() {
        let row = |value: f64, lower: bool| {
            benchmark(&json!({"indicator": {"zh": "x", "en": "x"}, "unit": "t",
                "value": value, "levels": [10.0, 20.0, 30.0], "lower_is_better": lower}))
            .met
        };
        // Lower is better: equal meets; above level III meets none.
        assert_eq!(row(10.0, true), Some("level_1"));
        assert_eq!(row(10.5, true), Some("level_2"));
        assert_eq!(row(30.0, true), Some("level_3"));
        assert_eq!(row(30.5, true), Some("level_none"));
        // Higher is better (reuse rates): levels are minimums.
        let high = |value: f64| {
            benchmark(&json!({"indicator": "x", "unit": "%", "value": value,
                "levels": [90.0, 80.0, 70.0], "lower_is_better": false}))
            .met
        };
        assert_eq!(high(95.0), Some("level_1"));
        assert_eq!(high(80.0), Some("level_2"));
        assert_eq!(high(69.9), Some("level_none"));
        // A withheld value is not judged.
        let withheld = benchmark(&json!({"indicator": "x", "unit": "t", "value": null,
            "levels": [1.0, 2.0, 3.0]}));
        assert_eq!((withheld.value, withheld.met), (None, None));
    }

    #[test]
    fn materials_are_one_row_per_name_with_a_column_per_year() {
        let rows = json!([
            {"name": {"zh": "染料", "en": "Dyes"}, "unit": {"value": "t", "cell": "M!B2"}, "toxic": false,
             "year": {"value": 2023, "cell": "M!A2"}, "quantity": {"value": 12.5, "cell": "M!C2"}},
            {"name": {"zh": "保险粉", "en": "Hydrosulphite"}, "unit": {"value": "t", "cell": "M!B3"}, "toxic": false,
             "year": {"value": 2024, "cell": "M!A3"}, "quantity": {"value": 3.0, "cell": "M!C3"}},
            {"name": {"zh": "染料", "en": "Dyes"}, "unit": {"value": "t", "cell": "M!B4"}, "toxic": true,
             "year": {"value": 2025, "cell": "M!A4"}, "quantity": {"value": 14.0, "cell": "M!C4"}},
        ]);
        let m = materials(rows.as_array().unwrap(), &[2023, 2024, 2025]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].quantities, vec![Some(12.5), None, Some(14.0)]);
        assert!(!m[0].toxic && m[0].toxic_in_any_year);
        assert_eq!(m[1].quantities, vec![None, Some(3.0), None]);
    }

    #[test]
    fn discharges_group_by_outlet_and_limits_are_listed_once() {
        let audit =
            json!({"tables": {}, "pre_assessment": {}, "meta": {"audit": {"baseline_year": 2025}}});
        let d = |src: &str, code: &str, limit: f64| {
            json!({"source": src, "source_name": {"zh": src, "en": src},
            "medium": "wastewater", "pollutant": code, "limit": limit, "concentration_unit": "mg/L"})
        };
        let results = json!({"status": [
                {"year": 2024, "energy": {"electricity_basis": "equivalent", "electricity_kgce_per_kwh": 0.1229}},
                {"year": 2025, "energy": null}],
            "discharges": [d("DW001", "COD", 200.0), d("DW002", "COD", 80.0), d("DW001", "NH3-N", 20.0), d("DW003", "COD", 200.0)]});
        let p = build(&audit, &results);
        let ids: Vec<_> = p
            .outlets
            .iter()
            .map(|o| (o.id.as_str(), o.rows.len()))
            .collect();
        assert_eq!(ids, vec![("DW001", 2), ("DW002", 1), ("DW003", 1)]);
        assert_eq!(p.limits["wastewater"]["COD"].values, vec![200.0, 80.0]);
        // The baseline year has no energy figures: the last year that has them is shown.
        assert_eq!(p.energy_year, Some(2024));
        assert!(p.electricity.as_ref().unwrap().equivalent);
    }
}

//! Benchmark-water concentration (GB 4287-2012 §4.5, GB 21900-2008): the sample mill
//! drains less than its benchmark, so nothing changes; a copy draining 1.5 times as much
//! is judged on the converted concentrations, in results.json, `check` and the notice.

use crate::common::*;
use calamine::{Data, Reader};
use std::path::Path;

/// The sample's product lines that give the benchmark category and conversion factor.
const BENCHMARK: &str =
    "      benchmark:\n        category: 棉、麻、化纤及混纺机织物\n        per_unit: 1.2\n";

/// The wastewater discharges of a check's results, by pollutant.
fn wastewater<'a>(json: &'a serde_json::Value, pollutant: &str) -> &'a serde_json::Value {
    json["results"]["results"]["discharges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["medium"] == "wastewater" && x["pollutant"] == pollutant)
        .unwrap_or_else(|| panic!("no wastewater {pollutant}"))
}

fn close(a: f64, b: f64, abs: f64) -> bool {
    (a - b).abs() <= abs
}

/// Rewrites a workbook with the flows of its wastewater sheet multiplied by `factor`.
fn scale_wastewater_flow(path: &Path, factor: f64) {
    let mut from = calamine::open_workbook_auto(path).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for name in from.sheet_names() {
        let range = from.worksheet_range(&name).unwrap();
        let ws = wb.add_worksheet().set_name(&name).unwrap();
        let flow_col = range.rows().next().and_then(|h| {
            h.iter()
                .position(|c| c.to_string().starts_with("流量 Flow"))
        });
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let scale = name.starts_with("废水") && r > 0 && flow_col == Some(c as usize);
                match v {
                    Data::Float(x) => ws.write_number(r, c, if scale { x * factor } else { *x }),
                    Data::Int(x) => {
                        let x = *x as f64;
                        ws.write_number(r, c, if scale { x * factor } else { x })
                    }
                    Data::String(s) => ws.write_string(r, c, s),
                    Data::Empty => continue,
                    other => ws.write_string(r, c, other.to_string()),
                }
                .unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// 2025: 5,920 × 10⁴ m × 1.2 t/10⁴ m (12 kg/100 m, FZ/T 01002-2010) = 7,104 t of standard
/// product; × 140 m³/t = 994,560 m³. DW001 drains 955,350 m³/a: ratio 0.9606 ≤ 1, so every
/// concentration is judged as measured, and only NH3-N exceeds, as before.
#[test]
fn the_sample_drains_less_than_its_benchmark_and_nothing_changes() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    let cod = wastewater(&json, "COD");
    let b = &cod["benchmark"];
    assert_eq!(b["standard"], "GB 4287-2012 表2");
    assert_eq!(b["year"], 2025);
    assert!(
        close(b["drainage"].as_f64().unwrap(), 955_350.0, 0.5),
        "{b}"
    );
    assert!(
        close(b["benchmark_drainage"].as_f64().unwrap(), 994_560.0, 1e-6),
        "{b}"
    );
    assert!(close(b["ratio"].as_f64().unwrap(), 0.9606, 1e-4), "{b}");
    assert_eq!(b["converted"], false);
    assert_eq!(b["concentration"], 62.0);
    assert_eq!(b["products"][0]["standard_output"], 7104.0);
    assert_eq!(cod["exceeds"], false);
    // pH and colour (a dilution ratio) are not converted.
    assert!(wastewater(&json, "colour")["benchmark"].is_null());
    let exceeding: Vec<&str> = json["results"]["results"]["discharges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["exceeds"] == true)
        .map(|x| x["pollutant"].as_str().unwrap())
        .collect();
    assert_eq!(exceeding, ["NH3-N"]);
    let out = cpaudit(&["check", sample().to_str().unwrap()]);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("drainage ratio DW001") && text.contains("955,350 / 994,560 m³/a = 0.961"),
        "{text}"
    );
}

/// DW001's flow × 1.5 = 1,433,025 m³/a: ratio 1,433,025 / 994,560 = 1.44086. COD
/// 62 × 1.44086 = 89.33 mg/L > 80 (11.7 % over), BOD5 15 → 21.61 > 20, TN 14.6 → 21.04
/// > 15; SS 24 → 34.58 < 50 stays within; colour is not converted.
#[test]
fn more_drainage_than_the_benchmark_is_judged_on_the_converted_concentration() {
    let dir = copy_sample("benchmark-water");
    scale_wastewater_flow(&dir.join("data/emissions.xlsx"), 1.5);
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let cod = wastewater(&json, "COD");
    let b = &cod["benchmark"];
    assert!(
        close(b["drainage"].as_f64().unwrap(), 1_433_025.0, 1.0),
        "{b}"
    );
    assert!(close(b["ratio"].as_f64().unwrap(), 1.44086, 1e-5), "{b}");
    assert_eq!(b["converted"], true);
    assert_eq!(cod["concentration"], 62.0);
    assert!(
        close(b["concentration"].as_f64().unwrap(), 89.3335, 1e-3),
        "{b}"
    );
    assert_eq!(cod["exceeds"], true);
    assert!(
        close(cod["excess"].as_f64().unwrap(), 0.11667, 1e-4),
        "{cod}"
    );
    for p in ["BOD5", "TN"] {
        assert_eq!(wastewater(&json, p)["exceeds"], true, "{p}");
    }
    let ss = wastewater(&json, "SS");
    assert!(close(
        ss["benchmark"]["concentration"].as_f64().unwrap(),
        34.58,
        0.01
    ));
    assert_eq!(ss["exceeds"], false);
    assert_eq!(wastewater(&json, "colour")["concentration"], 32.0);
    // The exceed-standard trigger names the discharge records that meet it: COD's, judged
    // on its converted concentration.
    let results = &json["results"]["results"];
    let trigger = results["compliance"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "exceed_standard")
        .unwrap();
    let named: Vec<&serde_json::Value> = trigger["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["kind"], "discharge", "{f}");
            &results["discharges"][f["index"].as_u64().unwrap() as usize]
        })
        .collect();
    assert!(named.iter().all(|d| d["exceeds"] == true), "{named:?}");
    assert!(named.iter().any(|d| d["pollutant"] == "COD"), "{named:?}");

    let out = cpaudit(&["check", dir.to_str().unwrap()]);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    // The trigger's finding names the converted value, the measured one and the ratio.
    assert!(
        text.contains("benchmark-water concentration 89.33 mg/L (measured 62.00 mg/L × drainage ratio 1.441) > limit 80.00"),
        "{text}"
    );
    assert!(text.contains("1,433,025 / 994,560 m³/a = 1.441"), "{text}");
    assert!(
        text.contains("COD          measured 62.00 → 89.33 mg/L (limit 80.00), exceeds"),
        "{text}"
    );

    if !have("pdftotext") {
        return;
    }
    let out = dir.join("build");
    let (code, json) = build_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    // Table cells wrap: compare the text without its white space.
    let squash = |t: String| t.split_whitespace().collect::<String>();
    let zh = squash(pdf_text(&out.join("notice.zh.pdf")));
    assert!(zh.contains("基准水量89.33mg/L"), "{zh}");
    assert!(zh.contains("超标11.7%"), "{zh}");
    let en = squash(pdf_text(&out.join("notice.en.pdf")));
    assert!(en.contains("benchmarkwater89.33mg/L"), "{en}");
    let report = squash(pdf_text(&out.join("report.en.pdf")));
    assert!(
        report.contains("drainageratio1.441>1:thebenchmark-waterconcentrations"),
        "{report}"
    );
}

/// Without the conversion factor the ratio cannot be formed: a warning at the product's
/// line in audit.yaml says what to add, and the measured concentrations are judged.
#[test]
fn a_product_without_its_benchmark_is_a_warning_at_its_line() {
    let dir = copy_sample("benchmark-missing");
    edit(&dir.join("audit.yaml"), BENCHMARK, "");
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let hits: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "industry::benchmark-missing")
        .collect();
    assert_eq!(hits.len(), 1, "{json:#}");
    let d = hits[0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["place"]["path"], "audit.yaml");
    let line = d["place"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(dir.join("audit.yaml")).unwrap();
    assert_eq!(text.lines().nth(line - 1).unwrap().trim(), "- id: fabric");
    assert!(
        d["message"].as_str().unwrap().contains("GB 4287-2012 表2"),
        "{d}"
    );
    assert!(d["help"].as_str().unwrap().contains("per_unit"), "{d}");
    assert!(wastewater(&json, "COD")["benchmark"].is_null());
}

//! The hazardous-waste sheet: the sample's wastes summed per year into results.json,
//! the same figures in the report's table and the notice; a code or category not
//! written as the National Hazardous Waste List writes it, a code of another
//! category and a negative quantity are errors at their cell that say how to fix them.
//!
//! Expected totals are the sample's rows added by hand (scripts/make_sample_workbooks.py):
//! 2023 34.2 + 17.1 + 1.9 + 0.3 = 53.5 t; 2024 35.1 + 17.6 + 2.0 + 0.3 = 55.0 t;
//! 2025 36.0 + 18.0 + 2.0 + 0.3 = 56.3 t.

use crate::common::*;
use crate::hostile::{mutate, sheet};
use calamine::Data;
use serde_json::Value as Json;
use std::path::Path;

#[test]
fn the_sample_totals_its_hazardous_waste_per_year() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json:#}");
    let hw = &json["results"]["results"]["hazardous_waste"];
    assert_eq!(hw["years"], serde_json::json!([2023, 2024, 2025]), "{hw:#}");
    assert_eq!(hw["notice_year"], 2025);
    for (got, want) in hw["totals"]
        .as_array()
        .unwrap()
        .iter()
        .zip([53.5, 55.0, 56.3])
    {
        assert!((got.as_f64().unwrap() - want).abs() < 1e-9, "{hw:#}");
    }
    let drums = &hw["wastes"][0];
    assert_eq!(drums["category"], "HW49");
    assert_eq!(drums["code"], "900-041-49");
    assert_eq!(drums["notice_quantity"], 36.0);
    assert_eq!(drums["notice_manifests"], 12);
    // HW08: stenter oil and lubricating oil, 18.0 + 2.0 in 2025.
    let hw08 = hw["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "HW08")
        .unwrap();
    assert!((hw08["quantities"][2].as_f64().unwrap() - 20.0).abs() < 1e-9);
}

/// Sets the cell of the hazardous-waste sheet at `row` under the header containing
/// `header` to `value`; returns the cell's A1 name.
fn set_cell(dir: &Path, header: &str, row: u32, value: Data) -> String {
    let mut at = None;
    mutate(dir, "data/status.xlsx", |s| {
        let cells = sheet(s, "危险废物");
        let col = cells
            .iter()
            .find(|((r, _), v)| *r == 0 && v.to_string().contains(header))
            .map(|((_, c), _)| *c)
            .unwrap();
        cells.insert((row, col), value);
        at = Some(format!("{}{}", (b'A' + col as u8) as char, row + 1));
    });
    at.unwrap()
}

fn error(dir: &Path, code: &str) -> Json {
    let (status, json) = check_json(dir);
    assert_eq!(status, Some(1), "{json:#}");
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .cloned()
        .unwrap_or_else(|| panic!("no {code}: {json:#}"))
}

#[test]
fn codes_not_written_as_the_list_writes_them_say_how_to_fix_them() {
    for (header, value, code, fix) in [
        (
            "废物类别",
            "hw49",
            "hazardous_waste::category",
            "write it as `HW49`",
        ),
        (
            "废物类别",
            "HW43",
            "hazardous_waste::category",
            "HW45 to HW50",
        ),
        (
            "废物代码",
            "90004149",
            "hazardous_waste::code",
            "write it as `900-041-49`",
        ),
        (
            "废物代码",
            "900-041",
            "hazardous_waste::code",
            "e.g. 900-041-49",
        ),
        (
            "废物代码",
            "900-249-08",
            "hazardous_waste::code-category",
            "correct the code or the category",
        ),
    ] {
        let dir = copy_sample("hw-code");
        let cell = set_cell(&dir, header, 1, Data::String(value.into()));
        let d = error(&dir, code);
        assert_eq!(d["place"]["path"], "data/status.xlsx", "{d:#}");
        assert_eq!(d["place"]["sheet"], "危险废物 Hazardous waste", "{d:#}");
        assert_eq!(d["place"]["cell"], cell, "{d:#}");
        assert!(d["help"].as_str().unwrap().contains(fix), "{value}: {d:#}");
    }
}

#[test]
fn a_negative_quantity_or_a_fraction_of_a_manifest_is_an_error_at_its_cell() {
    let dir = copy_sample("hw-negative");
    let cell = set_cell(&dir, "产生量", 2, Data::Float(-1.5));
    let d = error(&dir, "hazardous_waste::negative");
    assert_eq!(d["place"]["cell"], cell, "{d:#}");
    let dir = copy_sample("hw-manifests");
    let cell = set_cell(&dir, "转移联单", 2, Data::Float(2.5));
    let d = error(&dir, "hazardous_waste::manifests");
    assert_eq!(d["place"]["cell"], cell, "{d:#}");
}

#[test]
fn the_report_and_the_notice_print_the_sheets_figures() {
    if !have("pdftotext") {
        return;
    }
    let dir = copy_sample("hw-documents");
    let (code, json) = build_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let notice = pdf_text(&dir.join("build/notice.zh.pdf"));
    // The baseline year's quantity of each waste and the total, from the sheet.
    for needle in ["900-041-49", "36.00", "18.00", "56.30", "3306000097"] {
        assert!(notice.contains(needle), "notice lacks {needle}: {notice}");
    }
    // The figures typed separately before (6.5, 1.2 t/a) are gone.
    assert!(!notice.contains("6.5 t/a"), "{notice}");
    let report = pdf_text(&dir.join("build/report.en.pdf"));
    for needle in ["Stenter waste", "900-249-08", "53.5", "55.0", "56.3"] {
        assert!(report.contains(needle), "report lacks {needle}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

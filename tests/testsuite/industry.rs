//! Industry profiles in use: an electroplating plant that uses chromium, nickel and
//! cyanide meets the toxic trigger under both national regulations with the lists named,
//! its notice carries the toxic-use fields and each discharge's mode, concentration, total
//! and exceedance in both languages, and `check` warns — at the cell — where a typed limit
//! disagrees with GB 21900-2008, where a heavy metal is reported only at the final outlet,
//! where a cyanide plant does not monitor cyanide, and where a toxic material is not
//! marked. An audit folder can correct a profile; a broken profile is an error with its
//! line; an unknown profile name gets a suggestion.
//!
//! Expected values are GB 21900-2008 Table 2 and GB 4287-2012 Table 2 as
//! shared/industry.md §B.1 and §A.1 give them, not read back from the profiles.

use crate::common::*;
use cpaudit::init::Industry;
use cpaudit::init::workbooks;
use cpaudit::model::sheets::{Row, Value};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

const TODAY: (i32, u8, u8) = (2026, 3, 1);

/// `init` into a fresh folder, then rewrite the status and emissions workbooks with
/// `edit` applied to their sheets (name → rows).
fn audit_with(name: &str, industry: Industry, edit: impl Fn(&str, &mut Vec<Row>)) -> PathBuf {
    let dir = scratch(name).join("audit");
    cpaudit::init::init(&dir, industry, TODAY).unwrap();
    let years = [2023, 2024, 2025];
    for mut book in workbooks::specs(&industry.profile(), years) {
        if book.spec.key != "status" && book.spec.key != "emissions" {
            continue;
        }
        for sheet in &mut book.sheets {
            edit(&sheet.spec.name(), &mut sheet.rows);
        }
        workbooks::write(&book, &dir.join(book.spec.file), TODAY).unwrap();
    }
    dir
}

fn diag<'a>(json: &'a Json, code: &str, needle: &str) -> &'a Json {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code && d["message"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no {code} about {needle}: {:#}", json["diagnostics"]))
}

fn trigger<'a>(json: &'a Json, id: &str) -> &'a Json {
    json["results"]["results"]["compliance"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

/// The records a trigger's findings name (toxic materials and discharges), each as
/// "name（list）" in `lang`, one per line.
fn findings(json: &Json, t: &Json, lang: &str) -> String {
    let c = &json["results"]["results"]["compliance"];
    let text = |v: &Json| v[lang].as_str().map(str::to_string);
    t["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let i = f["index"].as_u64().unwrap() as usize;
            let (name, list) = match f["kind"].as_str().unwrap() {
                "toxic_material" => {
                    let m = &c["toxic_materials"][i];
                    let list = m["list"]
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| text(&m["listed_as"]));
                    (text(&m["name"]).unwrap(), list.unwrap_or_default())
                }
                "toxic_discharge" => {
                    let d = &c["toxic_discharges"][i];
                    let name = text(&d["pollutant_name"])
                        .unwrap_or_else(|| d["pollutant"].as_str().unwrap().into());
                    (name, text(&d["list"]).unwrap())
                }
                other => panic!("unexpected finding {other}"),
            };
            if lang == "zh" {
                format!("{name}（{list}）")
            } else {
                format!("{name} ({list})")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn due(json: &Json, id: &str) -> String {
    json["results"]["results"]["compliance"]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no milestone {id}"))["due"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The scaffold of an electroplating shop, changed into a plant with the problems the
/// checks are for. Wastewater rows of the scaffold: DW002 Cr, Cr6+, Ni; DW001 COD, NH3-N,
/// SS, Cu, Zn, CN.
fn plating_plant(name: &str) -> PathBuf {
    audit_with(name, Industry::Electroplating, |sheet, rows| {
        if sheet.starts_with("原辅材料") {
            for year in [2023, 2024, 2025] {
                let row = |zh: &str, en: &str, q: f64, toxic: &str| {
                    Row::new()
                        .with("year", year)
                        .with("name", zh)
                        .with("name_en", en)
                        .with("quantity", q)
                        .with("unit", "t")
                        .with("toxic", toxic)
                };
                // Nickel salt marked toxic; a cyanide the workbook forgot to mark.
                rows.push(row("硫酸镍", "Nickel sulphate", 1.2, "是"));
                rows.push(row("氰化亚铜", "Cuprous cyanide", 0.3, "否"));
            }
        }
        if sheet.starts_with("废水") {
            // Hexavalent chromium typed by its Chinese name, with Table 1's limit 0.5
            // where Table 2 (named) gives 0.2 mg/L.
            rows[1].set("pollutant", "六价铬");
            rows[1].set("limit", 0.5);
            // Nickel reported at the final outlet only.
            rows[2].set("source", "DW001");
            rows[2].set("name", "废水总排放口（示例）");
            rows[2].set("name_en", "Final wastewater outlet (example)");
            // No cyanide result at all.
            rows.retain(|r| r.get("pollutant") != Some(&Value::from("CN")));
        }
    })
}

#[test]
fn an_electroplating_plant_with_toxic_materials() {
    let dir = plating_plant("plating");
    let (code, json) = build_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");

    // The typed limit against GB 21900-2008 Table 2 (0.2 mg/L), at its cell: the third
    // row of the wastewater sheet, limit column I.
    let d = diag(&json, "industry::limit-differs", "六价铬");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("0.5")
            && message.contains("0.2 mg/L")
            && message.contains("GB 21900-2008 表2"),
        "{message}"
    );
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["place"]["path"], "data/emissions.xlsx");
    assert_eq!(d["place"]["sheet"], "废水 Wastewater");
    assert_eq!(d["place"]["cell"], "I3");
    // The typed limit is looser: the help says an exceedance may be missed.
    assert!(d["help"].as_str().unwrap().contains("looser"));
    // The other typed limits equal Table 2's: no other limit warning.
    let differs = codes(&json)
        .iter()
        .filter(|c| *c == "industry::limit-differs")
        .count();
    assert_eq!(differs, 1, "{:#}", json["diagnostics"]);

    // Nickel judged at the workshop outlet but reported at the final outlet.
    let d = diag(&json, "industry::workshop-pollutant-at-final-outlet", "Ni");
    assert_eq!(d["place"]["cell"], "D4");
    diag(&json, "industry::not-monitored-at-workshop", "总镍");
    // Cyanide used, not monitored; the cyanide not marked toxic.
    let d = diag(&json, "industry::not-monitored", "总氰化物");
    assert_eq!(d["place"]["sheet"], "原辅材料 Materials");
    diag(&json, "industry::toxic-material-unmarked", "氰化亚铜");

    // The toxic trigger (2016 Art. 8(3)) is met, each finding naming its list.
    let c = check_json(&dir).1;
    let toxic = trigger(&c, "toxic");
    assert_eq!(toxic["met"], true);
    let zh = findings(&c, toxic, "zh");
    for needle in [
        "铬酐",
        "硫酸镍",
        "氰化亚铜",
        "剧毒化学品",
        "六价铬（有毒有害水污染物名录（第一批）",
        "总镍（GB 8978 第一类污染物",
    ] {
        assert!(zh.contains(needle), "{needle} not in {zh}");
    }
    let en = findings(&c, toxic, "en");
    assert!(
        en.contains("Hexavalent chromium (toxic water pollutants list, first batch"),
        "{en}"
    );
    assert!(en.contains("highly toxic chemical"), "{en}");
    // Within the limits as typed: no exceedance trigger.
    assert_eq!(trigger(&c, "exceed_standard")["met"], false);
    // Deadlines from the list date 2026-03-01; the next round within five years of the
    // report, for a toxic-use enterprise.
    assert_eq!(due(&c, "disclosure"), "2026-04-01");
    assert_eq!(due(&c, "start"), "2026-05-01");
    assert_eq!(due(&c, "report"), "2027-03-01");
    assert_eq!(due(&c, "next_audit"), "2031-03-01");
    let fields = c["results"]["results"]["compliance"]["notice_fields"].clone();
    assert_eq!(
        fields,
        serde_json::json!([
            "enterprise_name",
            "legal_representative",
            "address",
            "toxic_materials",
            "toxic_discharges",
            "hazardous_waste",
            "risk_controls"
        ])
    );

    // The notice in both languages: the toxic-use fields, and for each toxic discharge
    // its mode, concentration, total and exceedance.
    if have("pdftotext") {
        let zh = pdf_text(&dir.join("build/notice.zh.pdf"));
        for needle in [
            "使用有毒有害原料情况",
            "排放有毒有害物质情况",
            "排放方式",
            "排放浓度",
            "排放总量",
            "超标及超总量",
            "达标",
            "六价铬",
            "总镍",
            "氰化亚铜",
            "危险废物的产生和处置情况",
            "环境风险防控措施落实情况",
        ] {
            assert!(zh.contains(needle), "notice.zh.pdf lacks {needle}:\n{zh}");
        }
        let en = pdf_text(&dir.join("build/notice.en.pdf"));
        for needle in [
            "Toxic or hazardous raw materials used",
            "Toxic or hazardous substances discharged",
            // Table headers and cells wrap: single words.
            "Discharge",
            "Concentration",
            "Annual",
            "Exceedance",
            "within",
            "Hexavalent",
            "nickel",
            "Cuprous cyanide",
            "Hazardous waste generated",
        ] {
            assert!(en.contains(needle), "notice.en.pdf lacks {needle}:\n{en}");
        }
    }

    // The same plant under the 2004 Interim Measures: toxic trigger (Art. 8(2)), its
    // notice fields, and the five-year re-audit.
    edit(
        &dir.join("audit.yaml"),
        "regulation: national-2016",
        "regulation: national-2004",
    );
    let (code, c) = check_json(&dir);
    assert_eq!(code, Some(0), "{c:#}");
    let toxic = trigger(&c, "toxic");
    assert_eq!(toxic["met"], true);
    assert_eq!(toxic["article"]["en"], "Art. 8(2)");
    assert!(findings(&c, toxic, "zh").contains("剧毒化学品"));
    assert_eq!(due(&c, "disclosure"), "2026-04-01");
    assert_eq!(due(&c, "next_audit"), "2031-03-01");
    assert_eq!(
        c["results"]["results"]["compliance"]["notice_fields"],
        serde_json::json!([
            "enterprise_name",
            "legal_representative",
            "address",
            "toxic_materials",
            "toxic_discharges"
        ])
    );
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn an_exceedance_of_a_toxic_discharge_is_computed_and_published() {
    // Hexavalent chromium at 0.35 mg/L against Table 2's 0.2 mg/L: 75 % over.
    let dir = audit_with("plating-over", Industry::Electroplating, |sheet, rows| {
        if sheet.starts_with("废水") {
            rows[1].set("concentration", 0.35);
        }
    });
    let (code, json) = build_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(!codes(&json).contains(&"industry::limit-differs".to_string()));
    let c = check_json(&dir).1;
    assert_eq!(trigger(&c, "exceed_standard")["met"], true);
    let discharges = &c["results"]["results"]["compliance"]["toxic_discharges"];
    let cr6 = discharges
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["pollutant"] == "Cr6+")
        .unwrap();
    assert_eq!(cr6["exceeds"], true);
    assert!((cr6["excess"].as_f64().unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(cr6["pollutant_name"]["en"], "Hexavalent chromium");
    if have("pdftotext") {
        let zh = pdf_text(&dir.join("build/notice.zh.pdf"));
        assert!(zh.contains("超标 75.0%"), "{zh}");
        // Both trigger sets: the pollutants of every outlet with their mode.
        assert!(
            zh.contains("污染物排放情况") && zh.contains("车间处理后"),
            "{zh}"
        );
        let en = pdf_text(&dir.join("build/notice.en.pdf"));
        assert!(en.contains("exceeds by 75.0%"), "{en}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_dyeing_mill_naming_the_general_standard_is_warned() {
    // COD typed as 化学需氧量 and held to GB 8978-1996 Table 4 grade 3 (500 mg/L), which
    // GB 4287-2012 supersedes for dyeing; its Table 2 direct limit (80) applies to a
    // discharge into a town plant (2015 amendment).
    let dir = audit_with("dyeing-general", Industry::Dyeing, |sheet, rows| {
        if sheet.starts_with("废水") {
            rows[0].set("pollutant", "化学需氧量");
            rows[0].set("limit", 500.0);
            rows[0].set("standard", "GB 8978-1996 表4");
            // BOD5 with the indirect value (50) although the mill discharges to a town
            // plant: Table 2 wants the direct 20.
            rows[1].set("limit", 50.0);
        }
    });
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let d = diag(&json, "industry::general-standard", "化学需氧量");
    assert!(d["message"].as_str().unwrap().contains("GB 4287-2012 表2"));
    assert_eq!(d["place"]["cell"], "J2");
    // 500 is grade 3 of GB 8978 Table 4 for a sewer discharge: no limit warning for it.
    let d = diag(&json, "industry::limit-differs", "BOD5");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("20 mg/L"), "{message}");
    assert_eq!(
        message.matches("mg/L (").count(),
        1,
        "one column for a town plant: {message}"
    );
    assert_eq!(
        codes(&json)
            .iter()
            .filter(|c| *c == "industry::limit-differs")
            .count(),
        1,
        "{:#}",
        json["diagnostics"]
    );
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

fn builtin_profile() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/industries/electroplating.yaml"),
    )
    .unwrap()
}

#[test]
fn an_audit_folder_can_correct_a_profile_and_a_broken_one_is_an_error() {
    let dir = plating_plant("plating-own");
    let own_dir = dir.join("profiles/industries");
    std::fs::create_dir_all(&own_dir).unwrap();
    // A local copy whose Table 2 hexavalent chromium is 0.5: the warning goes.
    let own = builtin_profile().replacen(
        "{pollutant: Cr6+, unit: mg/L, at: workshop, values: {limit: 0.2}",
        "{pollutant: Cr6+, unit: mg/L, at: workshop, values: {limit: 0.5}",
        1,
    );
    assert_ne!(own, builtin_profile());
    std::fs::write(own_dir.join("electroplating.yaml"), &own).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(!codes(&json).contains(&"industry::limit-differs".to_string()));

    // A limit without its unit: an error at the line of that row.
    let broken = own.replacen(
        "{pollutant: Ni, unit: mg/L, at: workshop, values: {limit: 0.5}",
        "{pollutant: Ni, at: workshop, values: {limit: 0.5}",
        1,
    );
    let line = broken
        .lines()
        .position(|l| l.contains("{pollutant: Ni, at: workshop"))
        .unwrap()
        + 1;
    std::fs::write(own_dir.join("electroplating.yaml"), &broken).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = diag(&json, "industry::invalid", "`Ni` has no unit");
    assert_eq!(
        d["place"]["path"],
        "profiles/industries/electroplating.yaml"
    );
    assert_eq!(d["place"]["line"], line);

    // A standard limiting a pollutant the profile does not declare.
    let undeclared = own.replacen(
        "{pollutant: Fe, unit: mg/L",
        "{pollutant: Fe2, unit: mg/L",
        1,
    );
    std::fs::write(own_dir.join("electroplating.yaml"), &undeclared).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    diag(
        &json,
        "industry::invalid",
        "limits `Fe2`, which is not declared",
    );
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn an_unknown_industry_profile_is_named_with_a_suggestion() {
    let dir = scratch("industry-unknown").join("audit");
    cpaudit::init::init(&dir, Industry::Electroplating, TODAY).unwrap();
    edit(
        &dir.join("audit.yaml"),
        "industry_profile: electroplating",
        "industry_profile: electroplatin",
    );
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(1));
    let d = diag(&json, "industry::unknown", "electroplatin");
    assert!(d["help"].as_str().unwrap().contains("`electroplating`"));
    assert_eq!(d["place"]["path"], "audit.yaml");
    let line = std::fs::read_to_string(dir.join("audit.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.contains("industry_profile:"))
        .unwrap()
        + 1;
    assert_eq!(d["place"]["line"], line);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn every_pollutant_prints_by_name_and_an_unnamed_code_is_warned() {
    // An electroplating plant that also measures PFOS, which no profile names.
    let row = std::cell::Cell::new(0);
    let dir = audit_with("plating-names", Industry::Electroplating, |sheet, rows| {
        if sheet.starts_with("废水") {
            let mut extra = rows[0].clone();
            extra.set("pollutant", "PFOS");
            rows.push(extra);
            // rows[0] is the sheet's row 2.
            row.set(rows.len() + 1);
        }
    });
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    let d = diag(&json, "industry::unnamed-pollutant", "PFOS");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["place"]["path"], "data/emissions.xlsx");
    assert_eq!(d["place"]["sheet"], "废水 Wastewater");
    assert_eq!(d["place"]["cell"], format!("D{}", row.get()));
    let help = d["help"].as_str().unwrap();
    assert!(
        help.contains("profiles/industries") && help.contains("code: PFOS"),
        "{help}"
    );
    // Every other code of the scaffold is named: one warning only.
    let unnamed = codes(&json)
        .iter()
        .filter(|c| *c == "industry::unnamed-pollutant")
        .count();
    assert_eq!(unnamed, 1, "{:#}", json["diagnostics"]);

    // Named, with a formula, in the audit's own copy of the profile: the warning goes and
    // the reports print the name and the symbol with real subscripts.
    let own_dir = dir.join("profiles/industries");
    std::fs::create_dir_all(&own_dir).unwrap();
    let own = builtin_profile().replacen(
        "\npollutants:\n",
        "\npollutants:\n  - {code: PFOS, medium: wastewater, name: {zh: 全氟辛基磺酸, en: Perfluorooctane sulphonate}, symbol: \"C~8~F~17~SO~3~^-^\"}\n",
        1,
    );
    assert_ne!(own, builtin_profile());
    std::fs::write(own_dir.join("electroplating.yaml"), &own).unwrap();
    let (code, json) = check_json(&dir);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(!codes(&json).contains(&"industry::unnamed-pollutant".to_string()));

    let typ = dir.join("typ");
    let opts = cpaudit::BuildOptions {
        root: dir.clone(),
        out: dir.join("build"),
        emit_typst: Some(typ.clone()),
    };
    if let Err(e) = cpaudit::build(&opts) {
        panic!(
            "{}",
            match e {
                cpaudit::BuildError::Audit(d, _) => d.render_human(&[], false),
                other => other.to_string(),
            }
        );
    }
    let zh = std::fs::read_to_string(typ.join("report.zh.typ")).unwrap();
    let en = std::fs::read_to_string(typ.join("report.en.typ")).unwrap();
    for (source, pfos, cr6) in [
        (
            &zh,
            r##"#"全氟辛基磺酸";#"（";#"C";#sub[#"8";]#"F";#sub[#"17";]#"SO";#sub[#"3";]#super[#"-";]#"）";"##,
            r##"#"六价铬";#"（";#"Cr";#super[#"6+";]#"）";"##,
        ),
        (
            &en,
            r##"#"Perfluorooctane sulphonate";#" (";#"C";#sub[#"8";]"##,
            r##"#"Hexavalent chromium";#" (";#"Cr";#super[#"6+";]#")";"##,
        ),
    ] {
        assert!(source.contains(pfos), "{pfos} not in the source");
        assert!(source.contains(cr6), "{cr6} not in the source");
        // No pollutant cell prints a bare code.
        for code in [
            "[#\"Cr6+\";]",
            "[#\"CN\";]",
            "[#\"PFOS\";]",
            "[#\"NH3-N\";]",
        ] {
            assert!(!source.contains(code), "{code} printed raw");
        }
        // Units are unbreakable boxes.
        assert!(source.contains(r##"#box[#"mg/L";]"##));
    }
}

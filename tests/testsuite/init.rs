//! `cpaudit init` as a new user runs it: init, then build, in a new folder, for each
//! industry. The build succeeds with warnings for every placeholder and example, never
//! an error; init refuses a folder that is not empty; the workbooks carry the headers,
//! notes and drop-down lists the guide promises.

use crate::common::*;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

fn init(dir: &Path, industry: &str) {
    let out = cpaudit(&["init", dir.to_str().unwrap(), "--industry", industry]);
    assert!(
        out.status.success(),
        "init failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_then_build_succeeds_with_warnings_for_each_industry() {
    for industry in ["dyeing", "electroplating"] {
        let dir = scratch(&format!("init-{industry}")).join("new-audit");
        init(&dir, industry);
        let (code, json) = build_json(&dir);
        assert_eq!(code, Some(0), "{industry}: {json:#}");
        let diags = json["diagnostics"].as_array().unwrap();
        assert!(
            diags.iter().all(|d| d["severity"] == "warning"),
            "{industry}: {json:#}"
        );
        let codes = codes(&json);
        assert!(codes.iter().any(|c| c == "check::placeholder"), "{codes:?}");
        assert!(codes.iter().any(|c| c == "check::example"), "{codes:?}");
        // Every placeholder warning names its file and line.
        for d in diags.iter().filter(|d| d["code"] == "check::placeholder") {
            assert_eq!(d["place"]["kind"], "yaml", "{d:#}");
            assert!(d["place"]["line"].as_u64().unwrap() > 1, "{d:#}");
        }
        for f in [
            "report.zh.pdf",
            "report.en.pdf",
            "notice.zh.pdf",
            "notice.en.pdf",
            "results.json",
        ] {
            assert!(dir.join("build").join(f).is_file(), "{industry}: {f}");
        }
        // The industry's pollutants and standard reach the results.
        let results = std::fs::read_to_string(dir.join("build/results.json")).unwrap();
        let standard = if industry == "dyeing" {
            "GB 4287-2012"
        } else {
            "GB 21900-2008"
        };
        assert!(results.contains(standard), "{industry}: no {standard}");
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }
}

#[test]
fn init_writes_modelines_and_the_audit_id_from_the_folder() {
    let dir = scratch("init-files").join("Lake Mill 2026");
    init(&dir, "dyeing");
    let audit = std::fs::read_to_string(dir.join("audit.yaml")).unwrap();
    assert!(audit.starts_with("# yaml-language-server: $schema=./schemas/audit.schema.json\n"));
    assert!(audit.contains("\nid: lake-mill-2026\n"));
    let prep = std::fs::read_to_string(dir.join("narratives/01-preparation.yaml")).unwrap();
    assert!(
        prep.starts_with("# yaml-language-server: $schema=../schemas/01-preparation.schema.json\n")
    );
    // Comments in both languages explain the fields.
    assert!(prep.contains("# 审核小组成员") && prep.contains("The audit team"));
    for f in [
        "schemas/audit.schema.json",
        "schemas/07-continuous.schema.json",
        "data/status.xlsx",
        "data/balance.xlsx",
        "data/water.xlsx",
        "data/emissions.xlsx",
        "data/cashflows.xlsx",
        ".gitignore",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(dir.join("evidence").is_dir());
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = scratch("init-busy");
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = cpaudit(&["init", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not empty") && err.contains("init-busy"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!dir.join("audit.yaml").exists());
    // An empty folder is fine.
    let empty = scratch("init-empty");
    init(&empty, "dyeing");
    assert!(empty.join("audit.yaml").is_file());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}

/// The XML parts of an .xlsx, by name.
fn xlsx_parts(path: &Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        if f.read_to_string(&mut text).is_ok() {
            parts.push((f.name().map(|n| n.to_string()).unwrap_or_default(), text));
        }
    }
    parts
}

#[test]
fn the_workbooks_have_headers_notes_and_drop_down_lists() {
    let dir = scratch("init-xlsx").join("audit");
    init(&dir, "dyeing");
    let all = |file: &str| -> String {
        xlsx_parts(&dir.join(file))
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let balance = all("data/balance.xlsx");
    for needle in [
        "物料 Streams",
        "编号 ID",
        "类别 Kind",
        "批次1 Batch 1",
        // The stream-kind drop-down lists the words the loader reads.
        "原料,辅料,水,蒸汽,中间品,产品,副产品,废水,废气,固废,损耗",
        // A note on each header explains it.
        "Unit operation the stream leaves",
    ] {
        assert!(balance.contains(needle), "balance.xlsx lacks {needle}");
    }
    let status = all("data/status.xlsx");
    for needle in [
        "能源 Carrier",
        "Lists!$A$2",
        "natural_gas",
        "是,否",
        "Gross output value",
    ] {
        assert!(status.contains(needle), "status.xlsx lacks {needle}");
    }
    let water = all("data/water.xlsx");
    assert!(water.contains("工艺,冷却,锅炉,生活,其他"));
    let emissions = all("data/emissions.xlsx");
    assert!(emissions.contains("GB 4287-2012") && emissions.contains("NH3-N"));
    // Numeric columns refuse text.
    assert!(balance.contains("type=\"decimal\""));
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_text_in_a_numeric_cell_of_a_scaffold_workbook_names_workbook_sheet_and_cell() {
    // The scaffold as a user would break it: a unit typed into a number cell.
    let dir = scratch("init-text").join("audit");
    cpaudit::init::init(&dir, cpaudit::init::Industry::Dyeing, (2026, 3, 1)).unwrap();
    let spec = cpaudit::init::workbooks::specs(
        &cpaudit::init::Industry::Dyeing.profile(),
        [2023, 2024, 2025],
    );
    let mut water = spec.into_iter().find(|w| w.spec.key == "water").unwrap();
    water.sheets[0].rows[0].set("new", "500吨");
    cpaudit::init::workbooks::write(&water, &dir.join("data/water.xlsx"), (2026, 3, 1)).unwrap();
    let out = cpaudit(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .cloned()
        .unwrap();
    assert_eq!(hit["place"]["kind"], "cell", "{hit:#}");
    assert_eq!(hit["place"]["path"], "data/water.xlsx");
    assert_eq!(hit["place"]["sheet"], "水平衡 Water");
    assert_eq!(hit["place"]["cell"], "F2");
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn every_sheet_init_writes_reads_back_column_by_column() {
    use cpaudit::load::workbook::Workbook;
    use cpaudit::model::sheets::Value as Cell;
    for industry in [
        cpaudit::init::Industry::Dyeing,
        cpaudit::init::Industry::Electroplating,
    ] {
        let dir = scratch("init-roundtrip");
        let mut sheets = 0;
        for book in cpaudit::init::workbooks::specs(&industry.profile(), [2023, 2024, 2025]) {
            let path = dir.join(book.spec.file);
            cpaudit::init::workbooks::write(&book, &path, (2026, 3, 1)).unwrap();
            let mut wb = Workbook::open(&path, book.spec.file).unwrap();
            for written in &book.sheets {
                let spec = written.spec;
                let mut diags = cpaudit::diag::Diagnostics::default();
                let read = wb.sheet(spec, &mut diags);
                assert!(diags.0.is_empty(), "{}: {:?}", spec.name(), diags.0);
                let read = read.unwrap_or_else(|| panic!("{} not read", spec.name()));
                sheets += 1;
                // The reader finds every declared column where init wrote it.
                let repeated = spec.repeated.map_or(0, |r| r.written);
                let layout = spec.layout(repeated);
                for (i, key) in layout.iter().enumerate() {
                    let col = match spec.repeated.and_then(|r| r.number(key)) {
                        Some(n) => read.batch_columns.get(n - 1).copied(),
                        None => read.column(key),
                    };
                    assert_eq!(col, Some(i as u32), "{}: {key}", spec.name());
                }
                assert_eq!(read.batch_columns.len(), repeated, "{}", spec.name());
                // And every value init wrote, where it wrote it.
                let rows = read.rows();
                assert_eq!(rows.len(), written.rows.len(), "{}", spec.name());
                for (row, r) in written.rows.iter().zip(rows) {
                    for (c, value) in spec.cells(row, repeated).unwrap().iter().enumerate() {
                        let c = c as u32;
                        match value {
                            Cell::Number(n) => {
                                assert_eq!(read.number_at(r, c).unwrap().value, *n)
                            }
                            Cell::Text(t) => {
                                let key = &layout[c as usize];
                                assert_eq!(&read.text(r, key).unwrap().unwrap().value, t)
                            }
                            Cell::Empty => {}
                        }
                    }
                }
            }
        }
        // Every sheet of the declaration was written and read.
        let declared: usize = cpaudit::model::sheets::WORKBOOKS
            .iter()
            .map(|w| w.sheets.len())
            .sum();
        assert_eq!(sheets, declared);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

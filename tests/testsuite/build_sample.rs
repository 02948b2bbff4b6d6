//! Builds the sample audit through the library and reads the documents as a reader
//! would: page counts, embedded fonts, the chapters and key figures in the text.

use crate::common::*;
use cpaudit::{BuildOptions, build};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// One build of the sample shared by the tests of this file.
fn built() -> &'static (PathBuf, cpaudit::Built, serde_json::Value) {
    static BUILT: OnceLock<(PathBuf, cpaudit::Built, serde_json::Value)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = scratch("sample").join("build");
        let opts = BuildOptions {
            root: sample(),
            out: out.clone(),
            emit_typst: None,
        };
        let (built, _) = match build(&opts) {
            Ok(b) => b,
            Err(cpaudit::BuildError::Audit(d, _)) => {
                panic!("sample does not build:\n{}", d.render_human(&[], false))
            }
            Err(e) => panic!("{}", cpaudit::error::chain(&e)),
        };
        let json =
            serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
        (out, built, json)
    })
}

#[test]
fn sample_writes_every_document() {
    let (out, built, _) = built();
    for f in [
        "report.zh.pdf",
        "report.en.pdf",
        "notice.zh.pdf",
        "notice.en.pdf",
        "results.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    for (name, pages) in &built.pages {
        if name.starts_with("report") {
            assert!(*pages >= 25, "{name} has only {pages} pages");
        }
    }
    assert!(out.join("pack/bagit.txt").is_file());
}

#[test]
fn sample_builds_without_errors_or_missing_glyphs() {
    let (_, built, _) = built();
    let glyphs: Vec<_> = built
        .diagnostics
        .0
        .iter()
        .filter(|d| d.code == "render::missing-glyph")
        .collect();
    assert!(glyphs.is_empty(), "missing glyphs: {glyphs:#?}");
    assert!(!built.diagnostics.has_errors());
}

#[test]
fn every_font_is_embedded_and_one_is_cjk() {
    let (out, _, _) = built();
    if !have("pdffonts") {
        return;
    }
    for f in [
        "report.zh.pdf",
        "report.en.pdf",
        "notice.zh.pdf",
        "notice.en.pdf",
    ] {
        let o = Command::new("pdffonts").arg(out.join(f)).output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{f}: no fonts");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type [encoding…] emb sub uni object ID: emb is the 5th column from the end.
            assert_eq!(cols[cols.len() - 5], "yes", "{f}: font not embedded: {row}");
        }
        assert!(
            rows.iter().any(|r| r.contains("CJK")),
            "{f}: no CJK font among {rows:?}"
        );
    }
}

#[test]
fn chinese_report_has_every_chapter() {
    let (out, _, _) = built();
    if !have("pdftotext") {
        return;
    }
    let text = pdf_text(&out.join("report.zh.pdf")).replace([' ', '\n'], "");
    for word in [
        "清洁生产审核报告",
        "企业基本情况",
        "审核准备",
        "预审核",
        "物料平衡",
        "水平衡",
        "方案的产生和筛选",
        "可行性分析",
        "净现值",
        "内部收益率",
        "投资回收期",
        "方案的实施",
        "持续清洁生产",
        "结论",
    ] {
        assert!(text.contains(word), "report.zh.pdf lacks {word}");
    }
}

#[test]
fn english_report_has_every_chapter() {
    let (out, _, _) = built();
    if !have("pdftotext") {
        return;
    }
    let text = pdf_text(&out.join("report.en.pdf"));
    for word in [
        "Cleaner Production Audit",
        "Enterprise",
        "Pre-assessment",
        "Material balance",
        "Water balance",
        "Feasibility",
        "Net present value",
        "Internal rate of return",
        "Static payback",
        "Dynamic (discounted) payback",
        "Implementation",
        "Continuous",
        "Conclusion",
    ] {
        assert!(text.contains(word), "report.en.pdf lacks {word}");
    }
}

/// The sample's English documents print no Chinese: units (万米), standard references
/// (表2) and every other value typed in Chinese have their English form.
#[test]
fn english_documents_print_no_chinese() {
    let (out, _, _) = built();
    if !have("pdftotext") {
        return;
    }
    for doc in ["report.en.pdf", "report.public.en.pdf", "notice.en.pdf"] {
        let text = pdf_text(&out.join(doc));
        let han: Vec<&str> = text
            .lines()
            .filter(|l| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
            .collect();
        assert!(han.is_empty(), "{doc} prints Chinese:\n{}", han.join("\n"));
    }
}

#[test]
fn notices_carry_the_article_10_fields() {
    let (out, _, json) = built();
    if !have("pdftotext") {
        return;
    }
    let zh = pdf_text(&out.join("notice.zh.pdf")).replace([' ', '\n'], "");
    for word in [
        "企业名称",
        "法定代表人",
        "排放方式",
        "排放浓度",
        "排放总量",
        "超标",
    ] {
        assert!(zh.contains(word), "notice.zh.pdf lacks {word}");
    }
    let en = pdf_text(&out.join("notice.en.pdf"));
    for word in [
        "Enterprise",
        "Legal representative",
        "Address",
        "Discharge mode",
        "Concentration",
        "Annual total",
        "Exceedance",
    ] {
        assert!(en.contains(word), "notice.en.pdf lacks {word}");
    }
    let name = json["results"]["discharges"][0]["source"]
        .as_str()
        .unwrap_or_default();
    assert!(!name.is_empty());
}

#[test]
fn results_json_has_key_figures_with_units() {
    let (_, _, json) = built();
    let r = &json["results"];
    assert!(r["balance"]["focus"]["closure_error"].is_number());
    assert!(r["water"]["plant"]["indices"]["reuse_rate"].is_number());
    assert!(r["economics"].as_array().unwrap().len() >= 3);
    for e in r["economics"].as_array().unwrap() {
        assert!(e["indicators"]["npv"].is_number());
    }
    assert_eq!(json["units"]["money"], "10⁴ CNY");
}

#[test]
fn the_pack_verifies_and_carries_the_evidence_root() {
    let (out, built, _) = built();
    let report = cpaudit::pack::verify(&out.join("pack")).unwrap();
    assert!(report.ok(), "{:#?}", report.problems);
    assert_eq!(
        report.evidence_root.as_deref(),
        Some(built.evidence_root.as_str())
    );
    if have("pdftotext") {
        let text = pdf_text(&out.join("notice.en.pdf"));
        assert!(
            text.contains(&built.evidence_root),
            "notice lacks the evidence root"
        );
    }
}

#[test]
fn confidential_content_stays_in_the_submission_report_only() {
    let (out, _, _) = built();
    for f in ["report.public.zh.pdf", "report.public.en.pdf"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    if !have("pdftotext") {
        return;
    }
    let flat = |f: &str| {
        pdf_text(&out.join(f))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let secret_en = "pilot trials of six main shades";
    let secret_zh = "完成6个主要色号的中试";
    assert!(
        flat("report.en.pdf").contains(secret_en),
        "the submission report lost the secret"
    );
    assert!(flat("report.zh.pdf").replace(' ', "").contains(secret_zh));
    for f in ["report.public.en.pdf", "notice.en.pdf"] {
        assert!(
            !flat(f).contains(secret_en),
            "{f} shows confidential content"
        );
    }
    for f in ["report.public.zh.pdf", "notice.zh.pdf"] {
        assert!(
            !flat(f).replace(' ', "").contains(secret_zh),
            "{f} shows confidential content"
        );
    }
    assert!(flat("report.public.en.pdf").contains("withheld"));
}

/// A folder of hundreds of evidence files: the annex lists at most 300 (the described
/// ones first) and says how many more there are and where they are listed; the pack and
/// the PDF's attached manifest hold every one.
#[test]
fn the_annex_lists_a_bounded_number_of_evidence_files() {
    let audit = copy_sample("many-evidence");
    let scans = audit.join("evidence/scans");
    std::fs::create_dir_all(&scans).unwrap();
    for i in 0..400 {
        std::fs::write(scans.join(format!("scan-{i:03}.txt")), format!("scan {i}")).unwrap();
    }
    let (code, json) = build_json(&audit);
    assert_eq!(code, Some(0), "{json}");
    let out = audit.join("build");
    let manifest = std::fs::read_to_string(out.join("pack/manifest-sha256.txt")).unwrap();
    let packed = manifest.matches("data/inputs/evidence/").count();
    assert!(packed >= 400, "{packed}");
    if have("pdftotext") {
        let text = pdf_text(&out.join("report.en.pdf"));
        let further = format!("A further {} evidence files", packed - 300);
        assert!(text.contains(&further), "no `{further}` in the annex");
        // The described files of the sample are listed, the 400th scan is not.
        assert!(text.contains("scan-000.txt") && !text.contains("scan-399.txt"));
    }
}

/// The sample's key figures by value, each worked out here from the inputs, not read
/// back from cpaudit's own arithmetic.
#[test]
fn the_samples_key_figures_by_value() {
    let (code, json) = check_json(&sample());
    assert_eq!(code, Some(0), "{json}");
    let r = &json["results"]["results"];
    // F18 (narratives/04-options.yaml): items 168 + 42 + 28 + 14 + 8 = 260 (10⁴ CNY), no
    // subsidy, 10 years, saving 128.6 a year, 25 % tax, 6 % discount rate:
    // D = 26, T = 102.6, tax 25.65, F = 76.95 + 26 = 102.95;
    // NPV = 102.95 × (1 − 1.06⁻¹⁰) / 0.06 − 260 = 102.95 × 7.360087051 − 260 = 497.72096;
    // static payback 260 / 102.95 = 2.52550.
    let f18 = r["economics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["option"] == "F18")
        .unwrap();
    let u = &f18["uniform"];
    let close = |a: &serde_json::Value, b: f64, what: &str| {
        let a = a.as_f64().unwrap_or_else(|| panic!("{what}: {a}"));
        assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1.0),
            "{what}: {a} ≠ {b}"
        );
    };
    close(&u["investment"], 260.0, "I");
    close(&u["annual_cash_flow"], 102.95, "F");
    let npv = 102.95 * (1.0 - 1.06f64.powi(-10)) / 0.06 - 260.0;
    let x = &f18["indicators"];
    close(&x["npv"], npv, "NPV");
    close(&x["npv"], 497.72096, "NPV by hand");
    close(&x["static_payback"]["years"], 260.0 / 102.95, "N");
    assert_eq!(x["static_payback"]["negative_again"], false);
    // Every input of the figures is there: P's two parts, Y, n, the rates, the flows.
    close(&f18["revenue_increase"], 0.0, "revenue increase");
    close(&f18["cost_reduction"], 128.6, "cost reduction");
    assert_eq!(
        (f18["depreciation_period"].as_u64(), f18["life"].as_u64()),
        (Some(10), Some(10))
    );
    close(&f18["tax_rate"], 0.25, "tax rate");
    close(&f18["discount_rate"], 0.06, "discount rate");
    assert_eq!(f18["flows_from"], "narrative");
    let flows: Vec<f64> = f18["cash_flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let recomputed: f64 = flows
        .iter()
        .enumerate()
        .map(|(t, c)| c / 1.06f64.powi(t as i32))
        .sum();
    close(&x["npv"], recomputed, "NPV from cash_flows");
    // The focus balance's closure error, (Σ in − Σ out) / Σ in over the streams' means,
    // each mean taken here from its batches.
    let focus = &r["balance"]["focus"];
    let mean = |s: &serde_json::Value| {
        let b = s["batches"].as_array().unwrap();
        b.iter().map(|x| x.as_f64().unwrap()).sum::<f64>() / b.len() as f64
    };
    let total = |side: &str| {
        focus[side]
            .as_array()
            .unwrap()
            .iter()
            .map(mean)
            .sum::<f64>()
    };
    let (ins, outs) = (total("inputs"), total("outputs"));
    close(&focus["closure_error"], (ins - outs) / ins, "closure error");
    close(
        &focus["closure_error"],
        0.016774,
        "closure error, printed as 1.68%",
    );
}

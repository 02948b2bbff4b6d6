//! The figures of the sample as a reader and a regulator meet them: every figure's
//! caption is in both reports and in the list of figures, the quantities printed on the
//! balance diagrams are those of results.json, and `--emit-typst` writes a folder that
//! holds every figure its sources place.

use crate::common::*;
use cpaudit::model::Lang;
use cpaudit::quantity::format_number;
use cpaudit::render::figures::words::Words;
use cpaudit::{BuildOptions, build};
use std::path::PathBuf;
use std::sync::OnceLock;

/// One build of the sample, with the Typst sources emitted, shared by these tests.
fn built() -> &'static (PathBuf, PathBuf, serde_json::Value) {
    static BUILT: OnceLock<(PathBuf, PathBuf, serde_json::Value)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = scratch("figures");
        let out = dir.join("build");
        let emit = dir.join("typst");
        let opts = BuildOptions {
            root: sample(),
            out: out.clone(),
            emit_typst: Some(emit.clone()),
        };
        match build(&opts) {
            Ok(_) => {}
            Err(cpaudit::BuildError::Audit(d, _)) => {
                panic!("sample does not build:\n{}", d.render_human(&[], false))
            }
            Err(e) => panic!("{}", cpaudit::error::chain(&e)),
        }
        let json =
            serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
        (out, emit, json)
    })
}

/// The text of every `<text>` element of an SVG we wrote (one line each), unescaped.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(
                body.split_once("</text>")?
                    .0
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            )
        })
        .collect()
}

/// Captions as the templates fill them, with the `%s` taken out: what must be found.
fn caption_words(lang: Lang, key: &str) -> String {
    let c = Words::new(lang).get(key);
    let head = c
        .split("%s")
        .max_by_key(|p| p.chars().count())
        .unwrap_or("");
    head.trim()
        .trim_matches(|c| "（）()".contains(c))
        .trim()
        .to_string()
}

/// pdftotext's text with the spaces and line breaks it inserts taken out.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn both_reports_carry_every_figure_caption_and_list_them() {
    if !have("pdftotext") {
        return;
    }
    let (out, _, _) = built();
    for lang in Lang::ALL {
        let text = squeeze(&pdf_text(&out.join(format!("report.{}.pdf", lang.code()))));
        for key in [
            "fig_process",
            "fig_energy",
            "fig_load_water",
            "fig_load_gas",
            "fig_unit_flow",
            "fig_balance",
            "fig_balance_unit",
            "fig_water",
            "fig_option_benefits",
            "fig_goals",
        ] {
            let caption = squeeze(&caption_words(lang, key));
            let n = text.matches(&caption).count();
            // Once under the figure and once in the list of figures.
            assert!(
                n >= 2,
                "{lang:?}: caption {key} `{caption}` found {n} times"
            );
        }
        let list = squeeze(&Words::new(lang).get("list_of_figures"));
        assert!(text.contains(&list), "{lang:?}: no list of figures");
        let numbered = if lang == Lang::Zh {
            "图3-1"
        } else {
            "Figure3-1"
        };
        assert!(
            text.contains(numbered),
            "{lang:?}: figures are not numbered by chapter"
        );
    }
}

#[test]
fn the_balance_diagrams_print_the_means_of_results_json() {
    let (_, emit, json) = built();
    let balance = &json["results"]["balance"];
    let unit = balance["unit"].as_str().unwrap();
    let mut scopes = vec![("balance-focus".to_string(), &balance["focus"])];
    for (i, u) in balance["units"].as_array().unwrap().iter().enumerate() {
        scopes.push((format!("balance-unit-{}", i + 1), &u["balance"]));
    }
    let mut checked = 0;
    for lang in Lang::ALL {
        for (key, b) in &scopes {
            let path = emit.join(format!("figures/{key}-1.{}.svg", lang.code()));
            let svg = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let texts = svg_texts(&svg);
            for side in ["inputs", "outputs"] {
                for v in b[side].as_array().unwrap() {
                    let id = v["id"].as_str().unwrap();
                    let mean = v["mean"].as_f64().unwrap();
                    let want = format!("{id} · {} {unit}", format_number(mean, 3));
                    assert!(
                        texts.iter().any(|t| t.contains(&want)),
                        "{key} ({lang:?}): `{want}` is not printed; texts: {texts:?}"
                    );
                    checked += 1;
                }
            }
            for total in ["total_in", "total_out", "difference"] {
                let want = format_number(b[total].as_f64().unwrap(), 3);
                assert!(
                    texts.iter().any(|t| t.contains(&want)),
                    "{key} ({lang:?}): {total} {want} is not printed"
                );
            }
        }
    }
    assert!(checked > 40, "only {checked} streams checked");
}

#[test]
fn the_water_diagram_prints_the_plant_balance_of_results_json() {
    let (_, emit, json) = built();
    let water = &json["results"]["water"];
    for lang in Lang::ALL {
        let mut texts = Vec::new();
        for part in 1.. {
            let path = emit.join(format!("figures/water-{part}.{}.svg", lang.code()));
            let Ok(svg) = std::fs::read_to_string(&path) else {
                break;
            };
            texts.extend(svg_texts(&svg));
        }
        assert!(!texts.is_empty(), "{lang:?}: no water balance diagram");
        let all = texts.join("\n");
        for u in water["users"].as_array().unwrap() {
            let b = &u["balance"];
            for k in ["new_water", "consumption", "discharge", "reused", "leakage"] {
                let x = b[k].as_f64().unwrap();
                if x > 0.0 {
                    let want = format_number(x, 1);
                    assert!(all.contains(&want), "{lang:?}: {} {k} {want}", b["id"]);
                }
            }
        }
        let plant = &water["plant"]["plant"];
        for k in ["new_water", "discharge"] {
            let want = format_number(plant[k].as_f64().unwrap(), 1);
            assert!(all.contains(&want), "{lang:?}: plant {k} {want}");
        }
    }
}

#[test]
fn the_emitted_sources_find_every_figure_they_place() {
    let (_, emit, _) = built();
    let mut placed = 0;
    for entry in std::fs::read_dir(emit).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("typ") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        for chunk in src.split("image(\"/").skip(1) {
            let file = chunk.split('"').next().unwrap();
            assert!(
                emit.join(file).is_file(),
                "{} places {file}, which --emit-typst did not write",
                path.display()
            );
            assert!(
                chunk.split(')').next().unwrap().contains("alt:"),
                "{} places {file} without alt text",
                path.display()
            );
            placed += 1;
        }
    }
    assert!(placed >= 20, "only {placed} figures placed");
}

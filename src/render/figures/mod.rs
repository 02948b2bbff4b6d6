//! Figures: the diagrams and charts of the report, drawn as SVG from the computed
//! [`Results`] (and, for the process flow and the implemented options, from the audit's
//! own lists) — never from numbers typed twice.
//!
//! | key | figure | chapter |
//! | --- | --- | --- |
//! | `process` | process flow with pollution nodes ([`process`]) | 2 |
//! | `energy` | energy flow of the baseline year in tce ([`energy`]) | 2 |
//! | `load-water`, `load-gas` | equal-standard pollution load ranking ([`load`]) | 2 |
//! | `unit-flow` | unit operations of the focus with their waste streams ([`process`]) | 3 |
//! | `balance-focus`, `balance-unit-N` | material balance diagrams ([`balance`]) | 3 |
//! | `water` | plant water balance diagram ([`water`]) | 3 |
//! | `options` | benefits of the implemented options ([`options`]) | 6 |
//! | `goals` | goal attainment ([`goals`]) | 6 |
//!
//! Each figure exists in both languages; a figure too tall for a page comes in parts.
//! The renderer serves every part to Typst as a virtual file ([`Figures::files`]) and
//! gives the templates the global `fig`: key → list of parts, each with its `path` and
//! its `alt` text ([`Figures::context`]). A figure drawn from something marked
//! confidential is left out of the public documents, as the tables are.
//!
//! The same data gives the same bytes: numbers are formatted with fixed decimals,
//! nothing iterates a hash map, and nothing is random.

pub mod balance;
pub mod energy;
pub mod goals;
pub mod load;
pub mod options;
pub mod process;
pub mod sankey;
pub mod svg;
pub mod water;
pub mod words;

use crate::calc::balance::StreamKind;
use crate::compute::Results;
use crate::model::{Audit, Lang, Medium};
use words::Words;

/// One figure in one language.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The key the templates know it by (`balance-unit-2`).
    pub key: String,
    /// The SVG of each part (one, unless it is too tall for a page).
    pub parts: Vec<Vec<u8>>,
    /// Its text alternative: what it shows, with the numbers.
    pub alt: String,
    /// The context paths it is drawn from, in the words of confidential marks
    /// (`results.water`, `options.options.F18`).
    pub sources: Vec<String>,
}

/// The figures of an audit, in both languages.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    by_lang: Vec<(Lang, Vec<Figure>)>,
    /// Keys of the figures left out of the public documents.
    withheld: Vec<String>,
}

/// Fills the `%s` of a caption from the string table with `args`, in order.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("%s") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether two dotted paths overlap: one is the other or lies under it.
fn overlaps(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.split('.').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = b.split('.').filter(|s| !s.is_empty()).collect();
    let n = a.len().min(b.len());
    n > 0 && a[..n] == b[..n]
}

impl Figures {
    /// No figures (a document that places none).
    pub fn none() -> Figures {
        Figures::default()
    }

    /// Draws every figure the audit has data for, in both languages.
    pub fn generate(audit: &Audit, results: &Results) -> Figures {
        let by_lang: Vec<(Lang, Vec<Figure>)> = Lang::ALL
            .iter()
            .map(|&lang| (lang, figures(&Words::new(lang), audit, results)))
            .collect();
        let marks: Vec<&str> = audit
            .meta
            .confidential
            .iter()
            .map(|m| m.path.value.trim())
            .collect();
        let mut withheld: Vec<String> = by_lang
            .iter()
            .flat_map(|(_, figs)| figs)
            .filter(|f| {
                f.sources
                    .iter()
                    .any(|s| marks.iter().any(|m| overlaps(s, m)))
            })
            .map(|f| f.key.clone())
            .collect();
        withheld.sort();
        withheld.dedup();
        Figures { by_lang, withheld }
    }

    /// The figures of one language (all of them, confidential or not).
    pub fn of(&self, lang: Lang) -> &[Figure] {
        self.by_lang
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&[], |(_, f)| f.as_slice())
    }

    /// The figures a document may show.
    fn shown(&self, lang: Lang, public: bool) -> impl Iterator<Item = &Figure> {
        self.of(lang)
            .iter()
            .filter(move |f| !public || !self.withheld.contains(&f.key))
    }

    /// The virtual path of a part (`/figures/water-1.zh.svg`).
    pub fn path(key: &str, part: usize, lang: Lang) -> String {
        format!("/figures/{key}-{}.{}.svg", part + 1, lang.code())
    }

    /// The files a document is given: virtual path and SVG bytes.
    pub fn files(&self, lang: Lang, public: bool) -> Vec<(String, &[u8])> {
        self.shown(lang, public)
            .flat_map(|f| {
                f.parts
                    .iter()
                    .enumerate()
                    .map(move |(i, svg)| (Figures::path(&f.key, i, lang), svg.as_slice()))
            })
            .collect()
    }

    /// Every file of both languages, relative (`figures/water-1.zh.svg`), for
    /// `--emit-typst`.
    pub fn all_files(&self) -> Vec<(String, Vec<u8>)> {
        Lang::ALL
            .iter()
            .flat_map(|&lang| {
                self.files(lang, false)
                    .into_iter()
                    .map(|(p, b)| (p.trim_start_matches('/').to_string(), b.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The templates' `fig`: key → parts, each `{path, alt}`.
    pub fn context(&self, lang: Lang, public: bool) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for f in self.shown(lang, public) {
            let parts: Vec<serde_json::Value> = (0..f.parts.len())
                .map(|i| {
                    serde_json::json!({
                        "path": Figures::path(&f.key, i, lang),
                        "alt": f.alt,
                    })
                })
                .collect();
            map.insert(f.key.clone(), parts.into());
        }
        map.into()
    }
}

fn one(d: svg::Drawing) -> Vec<Vec<u8>> {
    vec![d.svg]
}

fn many(ds: Vec<svg::Drawing>) -> Vec<Vec<u8>> {
    ds.into_iter().map(|d| d.svg).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The media a unit operation's external outputs go to.
fn unit_media(kinds: impl Iterator<Item = StreamKind>) -> Vec<Medium> {
    let mut media: Vec<Medium> = kinds
        .filter_map(|k| match k {
            StreamKind::Wastewater => Some(Medium::Wastewater),
            StreamKind::WasteGas => Some(Medium::WasteGas),
            StreamKind::SolidWaste => Some(Medium::SolidWaste),
            _ => None,
        })
        .collect();
    media.sort();
    media.dedup();
    media
}

/// Every figure of one language.
/// A pollutant's printed name in a figure: the audit's name for it as plain text (the
/// symbol's scripts as typed: NH3-N), else the common name, else the code.
fn pollutant(audit: &Audit, medium: Medium, code: &str, lang: Lang) -> String {
    crate::compute::industry::pollutant_label(audit, &[medium], code)
        .map_or_else(|| code.to_string(), |n| n.plain(lang))
}

fn figures(w: &Words, audit: &Audit, r: &Results) -> Vec<Figure> {
    let mut out = Vec::new();
    let lang = w.lang;

    // Chapter 2: process flow, energy flow, pollution loads.
    let pa = &audit.pre_assessment;
    if !pa.process_steps.is_empty() {
        let steps: Vec<process::Step> = pa
            .process_steps
            .iter()
            .map(|s| process::Step {
                id: s.id.clone(),
                name: s.name.get(lang).to_string(),
                emits: s.emits.clone(),
            })
            .collect();
        let caption = w.get("fig_process");
        out.push(Figure {
            key: "process".into(),
            parts: one(process::draw(w, &steps)),
            alt: process::alt(w, &caption, &steps),
            sources: strings(&["pre_assessment.process_steps"]),
        });
    }
    let baseline = audit.meta.audit.baseline_year.value;
    let year = r
        .status
        .iter()
        .filter(|y| y.energy.is_some())
        .find(|y| y.year == baseline)
        .or_else(|| r.status.iter().rev().find(|y| y.energy.is_some()));
    if let Some(y) = year
        && let Some(e) = &y.energy
        && !e.carriers.is_empty()
    {
        let caption = fill(&w.get("fig_energy"), &[&y.year.to_string()]);
        out.push(Figure {
            key: "energy".into(),
            parts: one(energy::draw(w, y.year, e)),
            alt: energy::alt(w, &caption, y.year, e),
            sources: strings(&["results.status", "tables.energy"]),
        });
    }
    if let Some(l) = &r.load_water
        && !l.pollutants.is_empty()
    {
        let bars = load::bars(l, |code| pollutant(audit, Medium::Wastewater, code, lang));
        let caption = w.get("fig_load_water");
        out.push(Figure {
            key: "load-water".into(),
            parts: one(load::draw(w, &bars)),
            alt: load::alt(w, &caption, &bars),
            sources: strings(&[
                "results.load_water",
                "results.discharges",
                "tables.discharges",
            ]),
        });
    }
    if let Some(l) = &r.load_gas
        && !l.pollutants.is_empty()
    {
        let bars = load::bars(l, |code| pollutant(audit, Medium::WasteGas, code, lang));
        let caption = w.get("fig_load_gas");
        out.push(Figure {
            key: "load-gas".into(),
            parts: one(load::draw(w, &bars)),
            alt: load::alt(w, &caption, &bars),
            sources: strings(&[
                "results.load_gas",
                "results.discharges",
                "tables.discharges",
            ]),
        });
    }

    // Chapter 3: the focus's unit operations, its balances, the plant water balance.
    let asm = &audit.assessment;
    if !asm.unit_operations.is_empty() {
        let steps: Vec<process::Step> = asm
            .unit_operations
            .iter()
            .map(|u| {
                let balance = r.balance.units.iter().find(|b| b.id == u.id.value);
                process::Step {
                    id: u.id.value.clone(),
                    name: u.name.get(lang).to_string(),
                    emits: balance.map_or(Vec::new(), |b| {
                        unit_media(b.balance.outputs.iter().map(|v| v.kind))
                    }),
                }
            })
            .collect();
        let caption = w.get("fig_unit_flow");
        out.push(Figure {
            key: "unit-flow".into(),
            parts: one(process::draw(w, &steps)),
            alt: process::alt(w, &caption, &steps),
            sources: strings(&["assessment.unit_operations", "results.balance"]),
        });
    }
    let bu = r.balance.unit.as_str();
    let balance_sources = strings(&["results.balance", "tables.streams"]);
    if let Some(b) = &r.balance.focus {
        let focus = pa
            .focus
            .candidates
            .iter()
            .find(|c| c.id.value == pa.focus.chosen.value)
            .map(|c| {
                format!(
                    "{}{}{}",
                    w.get("audit_focus"),
                    w.get("colon"),
                    c.name.get(lang)
                )
            })
            .unwrap_or_else(|| w.get("audit_focus"));
        let f = balance::BalanceFigure {
            node: focus,
            balance: b,
            names: &r.balance.stream_names,
            unit: bu,
        };
        let caption = fill(&w.get("fig_balance"), &[bu]);
        out.push(Figure {
            key: "balance-focus".into(),
            parts: one(balance::draw(w, &f)),
            alt: balance::alt(w, &caption, &f),
            sources: balance_sources.clone(),
        });
    }
    for (i, u) in r.balance.units.iter().enumerate() {
        let name = u.name.get(lang);
        let f = balance::BalanceFigure {
            node: format!("{} {}", u.id, name),
            balance: &u.balance,
            names: &r.balance.stream_names,
            unit: bu,
        };
        let caption = fill(&w.get("fig_balance_unit"), &[&u.id, name, bu]);
        out.push(Figure {
            key: format!("balance-unit-{}", i + 1),
            parts: one(balance::draw(w, &f)),
            alt: balance::alt(w, &caption, &f),
            sources: balance_sources.clone(),
        });
    }
    if let Some(wr) = &r.water
        && !wr.users.is_empty()
    {
        let caption = fill(&w.get("fig_water"), &[&wr.unit]);
        out.push(Figure {
            key: "water".into(),
            parts: many(water::draw(w, wr)),
            alt: water::alt(w, &caption, wr),
            sources: strings(&["results.water", "tables.water_users"]),
        });
    }

    // Chapter 6: the implemented options and the goals.
    let implemented: Vec<options::OptionBenefit> = audit
        .implementation
        .results
        .iter()
        .map(|res| {
            let option = audit
                .options
                .options
                .iter()
                .find(|o| o.id.value == res.option.value);
            options::OptionBenefit {
                id: res.option.value.clone(),
                name: option.map_or(String::new(), |o| o.name.get(lang).to_string()),
                medium_high: option.is_some_and(|o| o.cost.is_medium_high()),
                economic: res.benefits.economic.as_ref().map(|v| v.value),
                // Fresh water saved: the quantity coded `water`, where given in t/a or m³/a.
                water: res
                    .benefits
                    .quantities
                    .iter()
                    .find(|q| {
                        q.code.as_deref() == Some("water")
                            && matches!(q.unit.as_str(), "t/a" | "m³/a" | "m3/a")
                    })
                    .map(|q| q.quantity.value),
            }
        })
        .collect();
    if !implemented.is_empty() {
        let caption = w.get("fig_option_benefits");
        let mut sources = strings(&["results.implemented", "implementation.results"]);
        for o in &implemented {
            sources.push(format!("options.options.{}", o.id));
        }
        out.push(Figure {
            key: "options".into(),
            parts: many(options::draw(w, &implemented)),
            alt: options::alt(w, &caption, &implemented),
            sources,
        });
    }
    if !r.goals.is_empty() {
        let caption = w.get("fig_goals");
        out.push(Figure {
            key: "goals".into(),
            parts: many(goals::draw(w, &r.goals, baseline)),
            alt: goals::alt(w, &caption, &r.goals),
            sources: strings(&[
                "results.goals",
                "pre_assessment.goals",
                "implementation.goal_results",
            ]),
        });
    }
    for f in &mut out {
        f.alt = bounded_alt(&f.alt.replace(svg::NBSP, " "));
    }
    out
}

/// Longest text alternative, in characters. PDF/A limits a string to 32,767 bytes and
/// the PDF holds the text as UTF-16; a figure of hundreds of streams would pass it and
/// fail the export. Past the limit the text is cut at a character and ends with `…`:
/// the chapter's tables give every number.
pub const MAX_ALT_CHARS: usize = 4_000;

fn bounded_alt(alt: &str) -> String {
    if alt.chars().nth(MAX_ALT_CHARS).is_none() {
        return alt.to_string();
    }
    let end = alt
        .char_indices()
        .nth(MAX_ALT_CHARS - 1)
        .map_or(alt.len(), |(i, _)| i);
    format!("{}…", &alt[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_alternatives_stay_within_pdf_a_strings() {
        let long = "流".repeat(20_000);
        let cut = bounded_alt(&long);
        assert_eq!(cut.chars().count(), MAX_ALT_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(
            bounded_alt(&"流".repeat(MAX_ALT_CHARS)).chars().count(),
            MAX_ALT_CHARS
        );
        // UTF-16, as the PDF holds it: within PDF/A's 32,767 bytes.
        assert!(cut.encode_utf16().count() * 2 < 32_767);
        assert_eq!(bounded_alt("short"), "short");
    }
    use std::path::Path;

    fn sample() -> (Audit, Results) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-audit");
        let checked = crate::check(&root).unwrap_or_else(|d| panic!("{d:?}"));
        let results = checked.results.expect("the sample computes");
        (checked.audit, results)
    }

    #[test]
    fn captions_fill_in_order() {
        assert_eq!(fill("a %s b %s", &["1", "2"]), "a 1 b 2");
        assert_eq!(fill("a %s", &[]), "a ");
    }

    #[test]
    fn paths_overlap_by_prefix() {
        assert!(overlaps("results.water", "results.water.users.1"));
        assert!(overlaps("options.options.F18", "options.options"));
        assert!(!overlaps("options.options.F18", "options.options.F19"));
        assert!(!overlaps("results.water", "results.water_x"));
    }

    #[test]
    fn the_sample_has_every_figure_in_both_languages_and_the_same_bytes_twice() {
        let (audit, results) = sample();
        let a = Figures::generate(&audit, &results);
        let b = Figures::generate(&audit, &results);
        for lang in Lang::ALL {
            let keys: Vec<&str> = a.of(lang).iter().map(|f| f.key.as_str()).collect();
            for key in [
                "process",
                "energy",
                "load-water",
                "load-gas",
                "unit-flow",
                "balance-focus",
                "balance-unit-1",
                "water",
                "options",
                "goals",
            ] {
                assert!(keys.contains(&key), "{lang:?}: no {key} in {keys:?}");
            }
            assert_eq!(a.files(lang, false), b.files(lang, false));
            for f in a.of(lang) {
                assert!(!f.alt.trim().is_empty(), "{} has no alt text", f.key);
                for part in &f.parts {
                    let s = std::str::from_utf8(part).unwrap();
                    assert!(s.starts_with("<svg xmlns="), "{}", f.key);
                }
            }
        }
    }

    /// The quantities printed on the balance diagrams, parsed back from the SVG.
    fn printed(svg: &[u8]) -> Vec<String> {
        let s = std::str::from_utf8(svg).unwrap();
        s.split("<text ")
            .skip(1)
            .filter_map(|t| {
                let body = t.split_once('>')?.1;
                Some(body.split_once("</text>")?.0.to_string())
            })
            .collect()
    }

    #[test]
    fn the_sample_balance_diagrams_print_the_computed_means() {
        let (audit, results) = sample();
        let figs = Figures::generate(&audit, &results);
        for lang in Lang::ALL {
            let focus = figs
                .of(lang)
                .iter()
                .find(|f| f.key == "balance-focus")
                .unwrap();
            let texts = printed(&focus.parts[0]);
            let b = results.balance.focus.as_ref().unwrap();
            for v in b.inputs.iter().chain(&b.outputs) {
                let want = format!("{} · {} t", v.id, balance::quantity(v.mean));
                assert!(
                    texts.iter().any(|t| t.contains(&want)),
                    "{lang:?}: `{want}` not in {texts:?}"
                );
            }
            for (i, u) in results.balance.units.iter().enumerate() {
                let f = figs
                    .of(lang)
                    .iter()
                    .find(|f| f.key == format!("balance-unit-{}", i + 1))
                    .unwrap();
                let texts = printed(&f.parts[0]);
                for v in u.balance.inputs.iter().chain(&u.balance.outputs) {
                    let want = format!("{} · {} t", v.id, balance::quantity(v.mean));
                    assert!(
                        texts.iter().any(|t| t.contains(&want)),
                        "{lang:?} {}: `{want}`",
                        u.id
                    );
                }
            }
        }
    }

    /// The sample with twice as many streams, water users, process steps, pollutants,
    /// options and goals, each copy named as the original plus a suffix.
    #[test]
    fn the_sample_doubled_lays_out_without_overlap() {
        let (audit, r) = sample();
        for lang in Lang::ALL {
            let w = Words::new(lang);
            let mut drawings: Vec<(String, svg::Drawing)> = Vec::new();

            let mut b = r.balance.focus.clone().unwrap();
            let mut names = r.balance.stream_names.clone();
            let copy = |v: &crate::calc::balance::StreamValue| {
                let mut c = v.clone();
                c.id = format!("{}b", v.id);
                c
            };
            let more_in: Vec<_> = b.inputs.iter().map(copy).collect();
            let more_out: Vec<_> = b.outputs.iter().map(copy).collect();
            for v in more_in.iter().chain(&more_out) {
                let original = &names[v.id.trim_end_matches('b')];
                let name = crate::model::Text {
                    zh: format!("{}（二号线）", original.zh),
                    en: format!("{} (line 2)", original.en),
                };
                names.insert(v.id.clone(), name);
            }
            b.inputs.extend(more_in);
            b.outputs.extend(more_out);
            b.total_in *= 2.0;
            b.total_out *= 2.0;
            b.difference *= 2.0;
            let f = balance::BalanceFigure {
                node: "U3 预烘、轧碱及汽蒸固色".into(),
                balance: &b,
                names: &names,
                unit: "t",
            };
            drawings.push(("balance".into(), balance::draw(&w, &f)));

            let mut water = r.water.clone().unwrap();
            let extra: Vec<_> = water
                .users
                .iter()
                .map(|u| {
                    let mut c = u.clone();
                    c.balance.id = format!("{}b", u.balance.id);
                    c.name.zh.push_str("（二期）");
                    c.name.en.push_str(" (phase 2)");
                    c
                })
                .collect();
            water.users.extend(extra);
            for d in water::draw(&w, &water) {
                drawings.push(("water".into(), d));
            }

            let mut steps: Vec<process::Step> = audit
                .pre_assessment
                .process_steps
                .iter()
                .map(|s| process::Step {
                    id: s.id.clone(),
                    name: s.name.get(lang).to_string(),
                    emits: s.emits.clone(),
                })
                .collect();
            let again: Vec<_> = steps
                .iter()
                .map(|s| process::Step {
                    id: format!("{}b", s.id),
                    name: format!("{} 2", s.name),
                    emits: s.emits.clone(),
                })
                .collect();
            steps.extend(again);
            drawings.push(("process".into(), process::draw(&w, &steps)));

            let mut bars = load::bars(r.load_water.as_ref().unwrap(), |c| w.pollutant(c));
            let again = bars.clone();
            bars.extend(again);
            drawings.push(("load".into(), load::draw(&w, &bars)));

            let mut goals = r.goals.clone();
            goals.extend(r.goals.clone());
            for d in goals::draw(&w, &goals, 2025) {
                drawings.push(("goals".into(), d));
            }

            let e = r.status.last().unwrap().energy.clone().unwrap();
            drawings.push(("energy".into(), energy::draw(&w, 2025, &e)));

            for (what, d) in &drawings {
                svg::check_layout(d).unwrap_or_else(|e| panic!("{what} ({lang:?}): {e}"));
                assert!(
                    d.height <= svg::MAX_HEIGHT + 1.0,
                    "{what} ({lang:?}) is {} pt tall",
                    d.height
                );
            }
        }
    }

    #[test]
    fn a_confidential_mark_withholds_the_figures_drawn_from_it() {
        let (mut audit, results) = sample();
        audit
            .meta
            .confidential
            .push(crate::model::ConfidentialMark {
                path: crate::model::unspanned("results.water.users".to_string()),
                reason: None,
            });
        let figs = Figures::generate(&audit, &results);
        let public: Vec<String> = figs
            .files(Lang::Zh, true)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(!public.iter().any(|p| p.contains("/water-")), "{public:?}");
        assert!(public.iter().any(|p| p.contains("/balance-focus-")));
        assert!(
            figs.files(Lang::Zh, false)
                .iter()
                .any(|(p, _)| p.contains("/water-"))
        );
    }
}

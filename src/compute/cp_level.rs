//! Cleaner production level (清洁生产水平评价): the audit's `evaluation` (in
//! `narratives/02-pre-assessment.yaml`) against the index system it chooses, through
//! [`crate::calc::index_system`]. The result carries the system's rows (names, units,
//! weights, benchmarks) beside the enterprise's values, so that the report's table and
//! results.json need nothing else.

use crate::calc::index_system as ci;
use crate::diag::{Diagnostic, Diagnostics, Place, suggest};
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

const PRE: &str = "narratives/02-pre-assessment.yaml";

/// The enterprise's cleaner production level.
#[derive(Debug, Clone, Serialize)]
pub struct CpLevel {
    /// Id of the index system.
    pub system: String,
    /// Its title.
    pub name: Text,
    /// How far its values can be trusted (`official`, `partial`, `example`).
    pub status: IndexSystemStatus,
    /// What is and is not official.
    pub status_note: Option<Text>,
    /// Where its values come from.
    pub source: Text,
    /// Names of the levels, keyed `I`, `II`, `III` (the system's own, else Ⅰ级/Ⅱ级/Ⅲ级).
    pub level_names: BTreeMap<&'static str, Text>,
    /// The rating rule applied, best level first.
    pub rule: Vec<ci::LevelRule>,
    /// The groups with their indicators, in the system's order.
    pub groups: Vec<CpGroup>,
    /// Y_I (0–100).
    pub y_1: f64,
    /// Y_II (0–100).
    pub y_2: f64,
    /// Y_III (0–100).
    pub y_3: f64,
    /// The level granted; `null`: below level III.
    pub rating: Option<ci::Level>,
    /// Why each better level was not granted, best level first.
    pub reasons: Vec<CpReason>,
    /// Whether some indicator does not apply, so that weights were re-distributed.
    pub reweighted: bool,
}

/// A first-level group.
#[derive(Debug, Clone, Serialize)]
pub struct CpGroup {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// w_i as given.
    pub weight: f64,
    /// w'_i after re-weighting.
    pub effective_weight: f64,
    /// Whether any of its indicators applies.
    pub applicable: bool,
    /// The weight is a placeholder, not from the official text.
    pub placeholder: bool,
    /// Σ_j ω'_ij · Y_gk(x_ij) for I, II, III.
    pub indices: [f64; 3],
    /// Its indicators.
    pub rows: Vec<CpRow>,
}

/// A second-level indicator with the enterprise's value and level.
#[derive(Debug, Clone, Serialize)]
pub struct CpRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Unit of value and benchmarks.
    pub unit: Option<String>,
    /// ω_ij as given (a pool's whole weight for a pooled indicator).
    pub weight: f64,
    /// Pool the weight is shared in.
    pub pool: Option<String>,
    /// ω'_ij after sharing and re-weighting.
    pub effective_weight: f64,
    /// w'_i · ω'_ij.
    pub overall_weight: f64,
    /// Limiting indicator (限定性指标).
    pub limiting: bool,
    /// Not from the official text.
    pub placeholder: bool,
    /// Level I, II, III benchmarks (quantitative indicators).
    pub benchmarks: Option<[f64; 3]>,
    /// Smaller is better (benchmarks are maxima), else larger (minima).
    pub lower_is_better: bool,
    /// What levels I, II, III require (qualitative indicators).
    pub requirements: Option<[Text; 3]>,
    /// Whether it applies.
    pub applicable: bool,
    /// The enterprise's value (quantitative, applicable).
    pub value: Option<f64>,
    /// Best level met; `null`: below III or not applicable.
    pub met: Option<ci::Level>,
    /// Y_gk(x_ij) for I, II, III (100 or 0).
    pub membership: [f64; 3],
}

/// Why a level was not granted.
#[derive(Debug, Clone, Serialize)]
pub struct CpReason {
    /// The level not granted.
    pub level: ci::Level,
    /// `index_below`, `limiting_below` or `other_below`.
    pub kind: &'static str,
    /// Y of the level (`index_below`).
    pub index: Option<f64>,
    /// The minimum required (`index_below`).
    pub required_index: Option<f64>,
    /// Names of the applicable indicators not meeting the level (`index_below`).
    pub not_met: Vec<Text>,
    /// The indicator holding the level back (`limiting_below`, `other_below`).
    pub indicator: Option<String>,
    /// Its name.
    pub indicator_name: Option<Text>,
    /// The level it meets; `null`: below III.
    pub met: Option<ci::Level>,
    /// The level the rule requires of it.
    pub required_level: Option<ci::Level>,
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// Evaluates the audit's `evaluation`, if it has one. An unknown system or indicator id,
/// an indicator without input or with the wrong kind of input is an error pointing at
/// the YAML line; a system that is not official is a warning.
pub fn cp_level(audit: &Audit, d: &mut Diagnostics) -> Option<CpLevel> {
    let ev = audit.pre_assessment.evaluation.as_ref()?;
    let at = |loc: &serde_saphyr::Location| Place::yaml(PRE, loc);
    let Some(file) = audit.index_systems.get(&ev.system.value) else {
        let ids: Vec<&str> = audit.index_systems.keys().map(String::as_str).collect();
        let help = match suggest(&ev.system.value, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "the index systems are `{}`; for another, add profiles/index-systems/{}.yaml to the audit folder",
                ids.join("`, `"),
                ev.system.value
            ),
        };
        d.push(
            Diagnostic::error(
                "evaluation::unknown-system",
                format!("no evaluation index system `{}`", ev.system.value),
            )
            .at(at(&ev.system.referenced))
            .help(help),
        );
        return None;
    };
    let system = match crate::load::index_system::system(file) {
        Ok(s) => s,
        Err(problems) => {
            d.extend(Diagnostics(problems));
            return None;
        }
    };
    let defs: BTreeMap<&str, &IndexIndicator> = file
        .groups
        .iter()
        .flat_map(|g| &g.indicators)
        .map(|i| (i.id.value.as_str(), i))
        .collect();
    let ids: Vec<&str> = defs.keys().copied().collect();

    // Inputs, each with the line it was written on.
    let mut inputs: BTreeMap<String, (ci::Input, serde_saphyr::Location)> = BTreeMap::new();
    let mut ok = true;
    let given = ev
        .values
        .iter()
        .map(|(id, v)| (id.as_str(), ci::Input::Value(v.value), v.referenced))
        .chain(ev.levels.iter().map(|(id, l)| {
            let level = l.value.0.and_then(ci::Level::from_number);
            (id.as_str(), ci::Input::Level(level), l.referenced)
        }))
        .chain(
            ev.not_applicable
                .iter()
                .map(|n| (n.value.as_str(), ci::Input::NotApplicable, n.referenced)),
        );
    for (id, input, loc) in given {
        if !defs.contains_key(id) {
            ok = false;
            let help = match suggest(id, ids.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("its indicators are `{}`", ids.join("`, `")),
            };
            d.push(
                Diagnostic::error(
                    "evaluation::unknown-indicator",
                    format!("index system `{}` has no indicator `{id}`", ev.system.value),
                )
                .at(at(&loc))
                .help(help),
            );
            continue;
        }
        if let Some((_, first)) = inputs.get(id) {
            ok = false;
            d.push(
                Diagnostic::error(
                    "evaluation::conflict",
                    format!("indicator `{id}` is given twice (a value, a level or not applicable)"),
                )
                .at(at(&loc))
                .related("first given", at(first))
                .help("give each indicator once: under `values`, `levels` or `not_applicable`"),
            );
            continue;
        }
        inputs.insert(id.to_string(), (input, loc));
    }
    let plain: BTreeMap<String, ci::Input> =
        inputs.iter().map(|(k, (i, _))| (k.clone(), *i)).collect();
    let evaluation = match ci::evaluate(&system, &plain) {
        Ok(e) => e,
        Err(issues) => {
            for issue in issues {
                d.push(input_diagnostic(&issue, &inputs, &defs, ev, file));
            }
            return None;
        }
    };
    if !ok {
        return None;
    }
    if file.status != IndexSystemStatus::Official {
        d.push(
            Diagnostic::warning(
                "evaluation::unofficial-system",
                format!(
                    "index system `{}` is {}, not the official table: its rating only illustrates the method",
                    file.id,
                    match file.status {
                        IndexSystemStatus::Partial => "partly placeholders",
                        _ => "an example",
                    }
                ),
            )
            .at(at(&ev.system.referenced))
            .help(match file.origin.strip_prefix("builtin:") {
                Some(id) => format!(
                    "copy cpaudit's {dir}/{id}.yaml into the audit folder's {dir}/, correct it from the official text and set `status: official`",
                    dir = crate::load::index_system::DIR
                ),
                None => format!(
                    "correct {} from the official text and set `status: official`",
                    file.origin
                ),
            }),
        );
    }
    Some(result(file, &system, &evaluation))
}

fn input_diagnostic(
    issue: &ci::IndexSystemIssue,
    inputs: &BTreeMap<String, (ci::Input, serde_saphyr::Location)>,
    defs: &BTreeMap<&str, &IndexIndicator>,
    ev: &Evaluation,
    file: &IndexSystemFile,
) -> Diagnostic {
    use ci::IndexSystemIssue as I;
    let system_line = Place::yaml(PRE, &ev.system.referenced);
    let line_of = |id: &str| {
        inputs
            .get(id)
            .map(|(_, loc)| Place::yaml(PRE, loc))
            .unwrap_or_else(|| system_line.clone())
    };
    let name = |id: &str| {
        defs.get(id)
            .map(|i| format!("`{id}` ({})", i.name.zh))
            .unwrap_or_else(|| format!("`{id}`"))
    };
    match issue {
        I::MissingInput { indicator } => {
            let what = match defs.get(indicator.as_str()) {
                Some(i) if i.benchmarks.is_some() => format!(
                    "its value under `values:`{}",
                    i.unit
                        .as_deref()
                        .map(|u| format!(" in {u}"))
                        .unwrap_or_default()
                ),
                _ => "its level under `levels:` (1, 2, 3 or none)".to_string(),
            };
            Diagnostic::error(
                "evaluation::missing",
                format!(
                    "indicator {} of index system `{}` has no input",
                    name(indicator),
                    file.id
                ),
            )
            .at(system_line)
            .help(format!("give {what}, or list it under `not_applicable:`"))
        }
        I::WrongInput {
            indicator,
            expected,
        } => Diagnostic::error("evaluation::input", format!("{issue}"))
            .at(line_of(indicator))
            .help(if *expected == "value" {
                format!("move {} to `values:` with its value", name(indicator))
            } else {
                format!(
                    "move {} to `levels:` with the level met (1, 2, 3 or none)",
                    name(indicator)
                )
            }),
        I::InvalidValue { indicator, .. } => {
            Diagnostic::error("evaluation::input", format!("{issue}"))
                .at(line_of(indicator))
                .help("give a finite number")
        }
        I::NothingApplicable => Diagnostic::error("evaluation::input", format!("{issue}"))
            .at(system_line)
            .help("an evaluation needs at least one indicator that applies"),
        other => Diagnostic::error(
            "index-system::invalid",
            format!("index system `{}`: {other}", file.id),
        )
        .at(Place::File {
            path: file.origin.clone(),
        }),
    }
}

fn result(file: &IndexSystemFile, system: &ci::IndexSystem, e: &ci::Evaluation) -> CpLevel {
    let results: BTreeMap<&str, &ci::IndicatorResult> =
        e.indicators.iter().map(|i| (i.id.as_str(), i)).collect();
    let names: BTreeMap<&str, &Text> = file
        .groups
        .iter()
        .flat_map(|g| &g.indicators)
        .map(|i| (i.id.value.as_str(), &i.name))
        .collect();
    let name_of = |id: &str| names.get(id).map(|t| (*t).clone());
    let groups = file
        .groups
        .iter()
        .zip(&e.groups)
        .map(|(g, gr)| CpGroup {
            id: gr.id.clone(),
            name: g.name.clone(),
            weight: gr.weight,
            effective_weight: gr.effective_weight,
            applicable: gr.applicable,
            placeholder: g.placeholder,
            indices: gr.indices,
            rows: g
                .indicators
                .iter()
                .filter_map(|i| {
                    let r = results.get(i.id.value.as_str())?;
                    Some(CpRow {
                        id: r.id.clone(),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        weight: r.weight,
                        pool: i.pool.clone(),
                        effective_weight: r.effective_weight,
                        overall_weight: r.overall_weight,
                        limiting: r.limiting,
                        placeholder: i.placeholder,
                        benchmarks: i.benchmarks,
                        lower_is_better: i.lower_is_better,
                        requirements: i.requirements.clone(),
                        applicable: r.applicable,
                        value: r.value,
                        met: r.met,
                        membership: r.membership,
                    })
                })
                .collect(),
        })
        .collect();
    let reasons = e
        .reasons
        .iter()
        .map(|r| match r {
            ci::Reason::IndexBelow {
                level,
                index,
                required,
                not_met,
            } => CpReason {
                level: *level,
                kind: "index_below",
                index: Some(*index),
                required_index: Some(*required),
                not_met: not_met.iter().filter_map(|id| name_of(id)).collect(),
                indicator: None,
                indicator_name: None,
                met: None,
                required_level: None,
            },
            ci::Reason::LimitingBelow {
                level,
                indicator,
                met,
                required,
            }
            | ci::Reason::OtherBelow {
                level,
                indicator,
                met,
                required,
            } => CpReason {
                level: *level,
                kind: if matches!(r, ci::Reason::LimitingBelow { .. }) {
                    "limiting_below"
                } else {
                    "other_below"
                },
                index: None,
                required_index: None,
                not_met: Vec::new(),
                indicator: Some(indicator.clone()),
                indicator_name: name_of(indicator),
                met: *met,
                required_level: Some(*required),
            },
        })
        .collect();
    let defaults = [
        text("Ⅰ级", "Level I"),
        text("Ⅱ级", "Level II"),
        text("Ⅲ级", "Level III"),
    ];
    let names = file.level_names.clone().unwrap_or(defaults);
    let level_names = ci::Level::ALL
        .into_iter()
        .zip(names)
        .map(|(l, n)| (l.roman(), n))
        .collect();
    CpLevel {
        system: file.id.clone(),
        name: file.name.clone(),
        status: file.status,
        status_note: file.status_note.clone(),
        source: file.source.clone(),
        level_names,
        rule: system.rule.levels.clone(),
        groups,
        y_1: e.y_1,
        y_2: e.y_2,
        y_3: e.y_3,
        rating: e.rating,
        reasons,
        reweighted: e.indicators.iter().any(|i| !i.applicable),
    }
}

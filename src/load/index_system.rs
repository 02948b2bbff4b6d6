//! Evaluation index systems (清洁生产评价指标体系): the built-in ones, compiled in from
//! `profiles/index-systems/`, and those in the audit folder's own
//! `profiles/index-systems/*.yaml`, which add systems or replace a built-in one with the
//! same id. Every file is checked when it is loaded (weights, benchmarks, the rating
//! rule), so a broken system is reported even before an audit chooses it.

use crate::calc::index_system as ci;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The folder of index system files, in cpaudit's sources and in an audit folder.
pub const DIR: &str = "profiles/index-systems";

/// The index systems shipped with cpaudit: (id, YAML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "dyeing-cotton-woven",
        include_str!("../../profiles/index-systems/dyeing-cotton-woven.yaml"),
    ),
    (
        "electroplating",
        include_str!("../../profiles/index-systems/electroplating.yaml"),
    ),
];

/// Loads the built-in index systems and the audit folder's own, by id. Problems (a file
/// that does not parse, two files with one id, weights that do not sum to 1) are
/// diagnostics; a system with problems is left out.
pub fn load(root: &Path, d: &mut Diagnostics) -> BTreeMap<String, IndexSystemFile> {
    super::data_files(
        root,
        &super::DataFiles {
            dir: DIR,
            builtin: BUILTIN,
            what: "index system",
            duplicate_code: "index-system::duplicate",
        },
        parse,
        |f: &IndexSystemFile| f.id.clone(),
        d,
    )
}

/// Parses and checks one file; `None` (with diagnostics) when it is not usable.
fn parse(text: &str, origin: &str, d: &mut Diagnostics) -> Option<IndexSystemFile> {
    let mut file: IndexSystemFile = match super::yaml::parse(text, origin) {
        Ok(f) => f,
        Err(e) => {
            d.push(e);
            return None;
        }
    };
    file.origin = origin.to_string();
    match system(&file) {
        Ok(_) => Some(file),
        Err(problems) => {
            d.extend(Diagnostics(problems));
            None
        }
    }
}

fn level(n: u8) -> Option<ci::Level> {
    ci::Level::from_number(n)
}

/// The index system of a file as the formulas take it, checked by
/// [`ci::validate`]; every problem is a diagnostic pointing into the file.
pub fn system(file: &IndexSystemFile) -> Result<ci::IndexSystem, Vec<Diagnostic>> {
    let path = file.origin.as_str();
    let invalid = |message: String| Diagnostic::error("index-system::invalid", message);
    let mut problems = Vec::new();
    let rule = match &file.rating {
        None => ci::RatingRule::default(),
        Some(levels) => {
            let mut rule = ci::RatingRule { levels: Vec::new() };
            for r in levels {
                let granted = level(r.level);
                let limiting_at = r.limiting_at.map(level);
                let others_at = r.others_at.map(level);
                match granted {
                    Some(l) if limiting_at != Some(None) && others_at != Some(None) => {
                        rule.levels.push(ci::LevelRule {
                            level: l,
                            min_index: r.min_index,
                            limiting_at: limiting_at.flatten(),
                            others_at: others_at.flatten(),
                        })
                    }
                    _ => problems.push(
                        invalid(format!(
                            "index system `{}`: a rating level is not 1, 2 or 3",
                            file.id
                        ))
                        .at(Place::File { path: path.into() })
                        .help("`level`, `limiting_at` and `others_at` take 1, 2 or 3"),
                    ),
                }
            }
            rule
        }
    };
    let mut groups = Vec::new();
    for g in &file.groups {
        let mut indicators = Vec::new();
        for i in &g.indicators {
            let criterion = match (&i.benchmarks, &i.requirements) {
                (Some(b), None) => ci::Criterion::Quantitative {
                    benchmarks: *b,
                    direction: if i.lower_is_better {
                        ci::Direction::LowerIsBetter
                    } else {
                        ci::Direction::HigherIsBetter
                    },
                },
                (None, _) => ci::Criterion::Qualitative,
                (Some(_), Some(_)) => {
                    problems.push(
                        invalid(format!(
                            "indicator `{}` has both benchmarks and requirements",
                            i.id.value
                        ))
                        .at(Place::yaml(path, &i.id.referenced))
                        .help("a quantitative indicator has `benchmarks`, a qualitative one `requirements`"),
                    );
                    ci::Criterion::Qualitative
                }
            };
            indicators.push(ci::Indicator {
                id: i.id.value.clone(),
                weight: i.weight,
                pool: i.pool.clone(),
                limiting: i.limiting,
                criterion,
            });
        }
        groups.push(ci::Group {
            id: g.id.value.clone(),
            weight: g.weight,
            indicators,
        });
    }
    let system = ci::IndexSystem { groups, rule };
    if let Err(issues) = ci::validate(&system) {
        for issue in issues {
            let place = issue_place(file, &issue);
            problems.push(
                invalid(format!("index system `{}`: {issue}", file.id))
                    .at(place)
                    .help(issue_help(&issue)),
            );
        }
    }
    if problems.is_empty() {
        Ok(system)
    } else {
        Err(problems)
    }
}

/// The line of the indicator or group an issue is about, else the file.
fn issue_place(file: &IndexSystemFile, issue: &ci::IndexSystemIssue) -> Place {
    let path = file.origin.as_str();
    if let Some(id) = issue.indicator() {
        // The last one with the id: for a duplicate, the second definition.
        if let Some(i) = file
            .groups
            .iter()
            .flat_map(|g| &g.indicators)
            .rev()
            .find(|i| i.id.value == id)
        {
            return Place::yaml(path, &i.id.referenced);
        }
    }
    if let Some(id) = issue.group()
        && let Some(g) = file.groups.iter().rev().find(|g| g.id.value == id)
    {
        return Place::yaml(path, &g.id.referenced);
    }
    Place::File { path: path.into() }
}

fn issue_help(issue: &ci::IndexSystemIssue) -> &'static str {
    use ci::IndexSystemIssue as I;
    match issue {
        I::GroupWeightsSum { .. } => "the groups' `weight`s must sum to 1 (within 1e-6)",
        I::IndicatorWeightsSum { .. } => {
            "the `weight`s of a group's indicators must sum to 1 (within 1e-6); a pool counts once"
        }
        I::InvalidWeight { .. } => "a weight is a number greater than 0 and at most 1",
        I::PoolWeightsDiffer { .. } => {
            "every member of a pool gives the whole pool's weight, the same number"
        }
        I::BenchmarksNotNested { .. } => {
            "list the benchmarks as [level I, level II, level III], level I the strictest; set `lower_is_better: false` for rates"
        }
        I::DuplicateGroup { .. } | I::DuplicateIndicator { .. } => {
            "give every group and indicator its own id"
        }
        I::InvalidRule { .. } => {
            "list `rating` levels best first (1, 2, 3), each once, with `min_index` within 0–100"
        }
        _ => "correct the index system file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_systems_load_and_validate() {
        let mut d = Diagnostics::default();
        let systems = load(Path::new("/nonexistent-audit"), &mut d);
        assert!(d.0.is_empty(), "{d:?}");
        assert_eq!(systems.len(), BUILTIN.len());
        for (id, _) in BUILTIN {
            let file = &systems[*id];
            assert_eq!(file.origin, format!("builtin:{id}"));
            // Not the official tables: they must say so.
            assert_ne!(file.status, IndexSystemStatus::Official, "{id}");
            assert!(file.status_note.is_some(), "{id}");
            let s = system(file).unwrap();
            assert!(s.groups.len() >= 5, "{id}");
        }
    }

    #[test]
    fn electroplating_shares_the_metal_weight_among_the_metals_plated() {
        let mut d = Diagnostics::default();
        let systems = load(Path::new("/nonexistent-audit"), &mut d);
        let s = system(&systems["electroplating"]).unwrap();
        let mut inputs = BTreeMap::new();
        for g in &s.groups {
            for i in &g.indicators {
                let input = match i.criterion {
                    ci::Criterion::Qualitative => ci::Input::Level(Some(ci::Level::II)),
                    ci::Criterion::Quantitative { .. } => ci::Input::NotApplicable,
                };
                inputs.insert(i.id.clone(), input);
            }
        }
        // Rinse water 20 L/m² (≤ 24: II), zinc 83 % (≥ 82: I), nickel 90 % (≥ 85: II),
        // water reuse 45 % (≥ 40: II); the other five metals are not plated.
        for (id, v) in [
            ("rinse_water", 20.0),
            ("zinc_utilisation", 83.0),
            ("nickel_utilisation", 90.0),
            ("water_reuse", 45.0),
        ] {
            inputs.insert(id.into(), ci::Input::Value(v));
        }
        let e = ci::evaluate(&s, &inputs).unwrap();
        // Zinc and nickel share 0.8: ω' = 0.4 each. Only zinc meets I:
        // Y_I = 100 · 0.18 · 0.4 = 7.2. Everything meets II: Y_II = Y_III = 100.
        let zinc = e
            .indicators
            .iter()
            .find(|i| i.id == "zinc_utilisation")
            .unwrap();
        assert!((zinc.effective_weight - 0.4).abs() < 1e-12);
        assert!((e.y_1 - 7.2).abs() < 1e-9, "{}", e.y_1);
        assert!((e.y_2 - 100.0).abs() < 1e-9);
        assert!((e.y_3 - 100.0).abs() < 1e-9);
        // Y_I < 85 and the limiting indicators are at II: level II.
        assert_eq!(e.rating, Some(ci::Level::II));
    }

    #[test]
    fn a_broken_system_points_at_its_line() {
        let text = "id: t\nname: {zh: 测试, en: Test}\nstatus: example\nsource: {zh: 无, en: none}\ngroups:\n  - id: g\n    name: {zh: 组, en: G}\n    weight: 0.9\n    indicators:\n      - id: i\n        name: {zh: 指标, en: I}\n        weight: 0.5\n        benchmarks: [3, 2, 1]\n";
        let mut d = Diagnostics::default();
        assert!(parse(text, "profiles/index-systems/t.yaml", &mut d).is_none());
        let messages: Vec<String> = d.0.iter().map(|x| x.message.clone()).collect();
        assert_eq!(d.0.len(), 3, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("sum to 0.9")));
        assert!(messages.iter().any(|m| m.contains("sum to 0.5")));
        let nested =
            d.0.iter()
                .find(|x| x.message.contains("not ordered"))
                .unwrap();
        assert_eq!(
            nested.place,
            Some(Place::Yaml {
                path: "profiles/index-systems/t.yaml".into(),
                line: 10,
                column: 13
            })
        );
    }
}

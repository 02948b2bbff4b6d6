//! Weighted-sum scoring (权重总和计分排序法, domain.md §4e) for choosing the audit focus and for
//! screening options: each factor has a weight W, each candidate a score R per factor,
//! total = Σ R·W, ranked by total.
//!
//! Validation problems (weight or score out of range, a missing or unknown score, duplicate
//! ids) are all collected and returned together, so the auditor can fix them in one pass.

use super::MAX_ABS_INPUT;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A scoring factor and its weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// Stable id, the key of [`Candidate::scores`].
    pub id: Cow<'static, str>,
    /// Chinese name.
    pub name_zh: Cow<'static, str>,
    /// English name.
    pub name_en: Cow<'static, str>,
    /// Weight W.
    pub weight: f64,
}

const fn factor(
    id: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    weight: f64,
) -> Factor {
    Factor {
        id: Cow::Borrowed(id),
        name_zh: Cow::Borrowed(name_zh),
        name_en: Cow::Borrowed(name_en),
        weight,
    }
}

/// The manual's audit-focus factors. Where the manual gives a range the middle is used:
/// waste amount 10; main consumption, environmental cost and toxicity 7–9 → 8;
/// CP potential 4–6 → 5; workshop willingness 1–3 → 2.
pub const FOCUS_FACTORS: &[Factor] = &[
    factor("waste_amount", "废弃物量", "amount of waste", 10.0),
    factor(
        "main_consumption",
        "主要消耗",
        "main consumption (materials, energy, water)",
        8.0,
    ),
    factor("environmental_cost", "环保费用", "environmental costs", 8.0),
    factor("toxicity", "废弃物毒性", "toxicity of waste", 8.0),
    factor(
        "cp_potential",
        "清洁生产潜力",
        "cleaner production potential",
        5.0,
    ),
    factor(
        "workshop_willingness",
        "车间积极性",
        "workshop willingness",
        2.0,
    ),
];

/// Indicative option-screening factors (low confidence in the source, so configurable):
/// environment 8–10 → 9; economic 7–10 → 8 (the middle, 8.5, rounded down to keep whole
/// weights); technical 6–8 → 7; practicability 4–6 → 5.
pub const OPTION_FACTORS: &[Factor] = &[
    factor(
        "environmental_effect",
        "环境效果",
        "environmental effect",
        9.0,
    ),
    factor(
        "economic_feasibility",
        "经济可行性",
        "economic feasibility",
        8.0,
    ),
    factor(
        "technical_feasibility",
        "技术可行性",
        "technical feasibility",
        7.0,
    ),
    factor("practicability", "可实施性", "practicability", 5.0),
];

/// Allowed ranges, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoringRules {
    /// Smallest allowed weight.
    pub weight_min: f64,
    /// Largest allowed weight.
    pub weight_max: f64,
    /// Smallest allowed score.
    pub score_min: f64,
    /// Largest allowed score.
    pub score_max: f64,
}

/// The manual's ranges: W and R both 1–10.
pub const MANUAL_RULES: ScoringRules = ScoringRules {
    weight_min: 1.0,
    weight_max: 10.0,
    score_min: 1.0,
    score_max: 10.0,
};

impl Default for ScoringRules {
    fn default() -> Self {
        MANUAL_RULES
    }
}

/// A candidate audit focus or option with its scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Candidate id (workshop, option id).
    pub id: String,
    /// Score R per factor id.
    pub scores: BTreeMap<String, f64>,
}

/// R·W of one factor for one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedScore {
    /// Factor id.
    pub factor: String,
    /// R.
    pub score: f64,
    /// W.
    pub weight: f64,
    /// R·W.
    pub weighted: f64,
}

/// A scored candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredCandidate {
    /// Candidate id.
    pub id: String,
    /// R·W per factor, in factor order.
    pub weighted: Vec<WeightedScore>,
    /// Σ R·W.
    pub total: f64,
    /// Competition rank: equal totals share a rank (1, 2, 2, 4).
    pub rank: usize,
}

/// A validation problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoringIssue {
    /// No factors given.
    NoFactors,
    /// Two factors share an id.
    DuplicateFactor {
        /// Factor id.
        factor: String,
    },
    /// Two candidates share an id.
    DuplicateCandidate {
        /// Candidate id.
        candidate: String,
    },
    /// A weight outside the allowed range (or not a number).
    WeightOutOfRange {
        /// Factor id.
        factor: String,
        /// The weight, as text (may be NaN).
        weight: String,
        /// Allowed minimum.
        min: f64,
        /// Allowed maximum.
        max: f64,
    },
    /// A score outside the allowed range (or not a number).
    ScoreOutOfRange {
        /// Candidate id.
        candidate: String,
        /// Factor id.
        factor: String,
        /// The score, as text (may be NaN).
        score: String,
        /// Allowed minimum.
        min: f64,
        /// Allowed maximum.
        max: f64,
    },
    /// A candidate lacks a score for a factor.
    MissingScore {
        /// Candidate id.
        candidate: String,
        /// Factor id.
        factor: String,
    },
    /// A candidate scores a factor that does not exist (likely a typo).
    UnknownFactor {
        /// Candidate id.
        candidate: String,
        /// The unknown factor id.
        factor: String,
    },
    /// The rules themselves are not usable (min > max, or not finite).
    InvalidRules,
}

impl fmt::Display for ScoringIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoringIssue::NoFactors => write!(f, "no scoring factors"),
            ScoringIssue::DuplicateFactor { factor } => {
                write!(f, "factor {factor} is listed twice")
            }
            ScoringIssue::DuplicateCandidate { candidate } => {
                write!(f, "candidate {candidate} is listed twice")
            }
            ScoringIssue::WeightOutOfRange {
                factor,
                weight,
                min,
                max,
            } => {
                write!(f, "weight of {factor} is {weight}, outside {min}–{max}")
            }
            ScoringIssue::ScoreOutOfRange {
                candidate,
                factor,
                score,
                min,
                max,
            } => {
                write!(
                    f,
                    "{candidate}: score for {factor} is {score}, outside {min}–{max}"
                )
            }
            ScoringIssue::MissingScore { candidate, factor } => {
                write!(f, "{candidate} has no score for {factor}")
            }
            ScoringIssue::UnknownFactor { candidate, factor } => {
                write!(f, "{candidate} scores unknown factor {factor}")
            }
            ScoringIssue::InvalidRules => write!(f, "scoring ranges are not usable"),
        }
    }
}

impl std::error::Error for ScoringIssue {}

fn in_range(x: f64, min: f64, max: f64) -> bool {
    x.is_finite() && (min..=max).contains(&x)
}

/// Equal within rounding, so 0.1·3 + 0.2 and 0.5 share a rank.
fn same_total(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Scores and ranks the candidates: sorted by total (descending), then input order.
pub fn score(
    factors: &[Factor],
    candidates: &[Candidate],
    rules: &ScoringRules,
) -> Result<Vec<ScoredCandidate>, Vec<ScoringIssue>> {
    let mut issues = Vec::new();
    let r = rules;
    let rules_ok = [r.weight_min, r.weight_max, r.score_min, r.score_max]
        .iter()
        .all(|x| x.is_finite() && x.abs() <= MAX_ABS_INPUT)
        && r.weight_min <= r.weight_max
        && r.score_min <= r.score_max;
    if !rules_ok {
        return Err(vec![ScoringIssue::InvalidRules]);
    }
    if factors.is_empty() {
        issues.push(ScoringIssue::NoFactors);
    }
    for (i, f) in factors.iter().enumerate() {
        if factors[..i].iter().any(|g| g.id == f.id) {
            issues.push(ScoringIssue::DuplicateFactor {
                factor: f.id.to_string(),
            });
        }
        if !in_range(f.weight, r.weight_min, r.weight_max) {
            issues.push(ScoringIssue::WeightOutOfRange {
                factor: f.id.to_string(),
                weight: f.weight.to_string(),
                min: r.weight_min,
                max: r.weight_max,
            });
        }
    }
    for (i, c) in candidates.iter().enumerate() {
        if candidates[..i].iter().any(|d| d.id == c.id) {
            issues.push(ScoringIssue::DuplicateCandidate {
                candidate: c.id.clone(),
            });
        }
        for f in factors {
            match c.scores.get(f.id.as_ref()) {
                None => issues.push(ScoringIssue::MissingScore {
                    candidate: c.id.clone(),
                    factor: f.id.to_string(),
                }),
                Some(&s) if !in_range(s, r.score_min, r.score_max) => {
                    issues.push(ScoringIssue::ScoreOutOfRange {
                        candidate: c.id.clone(),
                        factor: f.id.to_string(),
                        score: s.to_string(),
                        min: r.score_min,
                        max: r.score_max,
                    })
                }
                Some(_) => {}
            }
        }
        for k in c.scores.keys() {
            if !factors.iter().any(|f| f.id == k.as_str()) {
                issues.push(ScoringIssue::UnknownFactor {
                    candidate: c.id.clone(),
                    factor: k.clone(),
                });
            }
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }

    let mut scored: Vec<ScoredCandidate> = candidates
        .iter()
        .map(|c| {
            let weighted: Vec<WeightedScore> = factors
                .iter()
                .map(|f| {
                    // Validated above: every factor has a score.
                    let score = c.scores.get(f.id.as_ref()).copied().unwrap_or(0.0);
                    WeightedScore {
                        factor: f.id.to_string(),
                        score,
                        weight: f.weight,
                        weighted: score * f.weight,
                    }
                })
                .collect();
            let total = weighted.iter().map(|w| w.weighted).sum();
            ScoredCandidate {
                id: c.id.clone(),
                weighted,
                total,
                rank: 0,
            }
        })
        .collect();
    // Stable sort keeps input order among equal totals.
    scored.sort_by(|a, b| b.total.total_cmp(&a.total));
    for i in 0..scored.len() {
        scored[i].rank = if i > 0 && same_total(scored[i].total, scored[i - 1].total) {
            scored[i - 1].rank
        } else {
            i + 1
        };
    }
    Ok(scored)
}

/// The largest possible total (every score at its maximum), for "x of y" in tables. A weight
/// or maximum score that is not finite and within ±[`MAX_ABS_INPUT`] counts as 0 ([`score`]
/// reports it), so the result is always finite.
pub fn max_total(factors: &[Factor], rules: &ScoringRules) -> f64 {
    let usable = |x: f64| {
        if x.is_finite() && x.abs() <= MAX_ABS_INPUT {
            x
        } else {
            0.0
        }
    };
    factors
        .iter()
        .map(|f| usable(f.weight) * usable(rules.score_max))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, scores: &[(&str, f64)]) -> Candidate {
        Candidate {
            id: id.into(),
            scores: scores.iter().map(|&(k, v)| (k.to_string(), v)).collect(),
        }
    }

    #[test]
    fn default_factor_sets() {
        let w: Vec<f64> = FOCUS_FACTORS.iter().map(|f| f.weight).collect();
        assert_eq!(w, [10.0, 8.0, 8.0, 8.0, 5.0, 2.0]);
        let w: Vec<f64> = OPTION_FACTORS.iter().map(|f| f.weight).collect();
        assert_eq!(w, [9.0, 8.0, 7.0, 5.0]);
        // Σ W = 41 → max total 410 with R ≤ 10.
        assert_eq!(max_total(FOCUS_FACTORS, &MANUAL_RULES), 410.0);
        let broken = [
            Factor {
                weight: f64::NAN,
                ..OPTION_FACTORS[0].clone()
            },
            OPTION_FACTORS[1].clone(),
        ];
        assert_eq!(max_total(&broken, &MANUAL_RULES), 80.0);
    }

    #[test]
    fn audit_focus_by_hand() {
        // Focus factors W = 10, 8, 8, 8, 5, 2.
        // Plating:   R = 9, 8, 9, 10, 7, 6 → 90 + 64 + 72 + 80 + 35 + 12 = 353
        // Pickling:  R = 7, 6, 7,  8, 8, 9 → 70 + 48 + 56 + 64 + 40 + 18 = 296
        // Packaging: R = 3, 4, 2,  1, 5, 8 → 30 + 32 + 16 +  8 + 25 + 16 = 127
        // Degreasing scores like pickling → 296, ties at rank 2 after pickling (input order).
        let ids = [
            "waste_amount",
            "main_consumption",
            "environmental_cost",
            "toxicity",
            "cp_potential",
            "workshop_willingness",
        ];
        let mk = |id: &str, r: [f64; 6]| cand(id, &ids.iter().copied().zip(r).collect::<Vec<_>>());
        let cands = [
            mk("packaging", [3.0, 4.0, 2.0, 1.0, 5.0, 8.0]),
            mk("pickling", [7.0, 6.0, 7.0, 8.0, 8.0, 9.0]),
            mk("plating", [9.0, 8.0, 9.0, 10.0, 7.0, 6.0]),
            mk("degreasing", [7.0, 6.0, 7.0, 8.0, 8.0, 9.0]),
        ];
        let r = score(FOCUS_FACTORS, &cands, &MANUAL_RULES).unwrap();
        let got: Vec<_> = r.iter().map(|c| (c.id.as_str(), c.total, c.rank)).collect();
        assert_eq!(
            got,
            [
                ("plating", 353.0, 1),
                ("pickling", 296.0, 2),
                ("degreasing", 296.0, 2),
                ("packaging", 127.0, 4)
            ]
        );
        assert_eq!(
            r[0].weighted[0],
            WeightedScore {
                factor: "waste_amount".into(),
                score: 9.0,
                weight: 10.0,
                weighted: 90.0
            }
        );
    }

    #[test]
    fn issues_are_collected_not_panicked() {
        let factors = vec![
            Factor {
                weight: 11.0,
                ..OPTION_FACTORS[0].clone()
            },
            OPTION_FACTORS[1].clone(),
            OPTION_FACTORS[1].clone(),
        ];
        let cands = [
            cand(
                "A",
                &[("environmental_effect", 0.0), ("economc_feasibility", 5.0)],
            ),
            cand(
                "A",
                &[
                    ("environmental_effect", f64::NAN),
                    ("economic_feasibility", 5.0),
                ],
            ),
        ];
        let issues = score(&factors, &cands, &MANUAL_RULES).unwrap_err();
        assert!(issues.contains(&ScoringIssue::DuplicateFactor {
            factor: "economic_feasibility".into()
        }));
        assert!(issues.contains(&ScoringIssue::DuplicateCandidate {
            candidate: "A".into()
        }));
        assert!(issues.contains(&ScoringIssue::WeightOutOfRange {
            factor: "environmental_effect".into(),
            weight: "11".into(),
            min: 1.0,
            max: 10.0
        }));
        assert!(issues.contains(&ScoringIssue::ScoreOutOfRange {
            candidate: "A".into(),
            factor: "environmental_effect".into(),
            score: "0".into(),
            min: 1.0,
            max: 10.0
        }));
        assert!(issues.contains(&ScoringIssue::MissingScore {
            candidate: "A".into(),
            factor: "economic_feasibility".into()
        }));
        assert!(issues.contains(&ScoringIssue::UnknownFactor {
            candidate: "A".into(),
            factor: "economc_feasibility".into()
        }));
        assert!(
            issues.iter().any(
                |i| matches!(i, ScoringIssue::ScoreOutOfRange { score, .. } if score == "NaN")
            )
        );
        assert_eq!(
            score(&[], &[], &MANUAL_RULES),
            Err(vec![ScoringIssue::NoFactors])
        );
        let bad = ScoringRules {
            weight_min: 5.0,
            weight_max: 1.0,
            ..MANUAL_RULES
        };
        assert_eq!(
            score(OPTION_FACTORS, &[], &bad),
            Err(vec![ScoringIssue::InvalidRules])
        );
    }

    #[test]
    fn fractional_ties_share_a_rank() {
        // 0.1·3 + 0.2·1 = 0.5000000000000001 in floating point, and 0.5·1 = 0.5: same rank.
        let factors = [factor("a", "", "", 3.0), factor("b", "", "", 1.0)];
        let rules = ScoringRules {
            weight_min: 0.0,
            weight_max: 10.0,
            score_min: 0.0,
            score_max: 1.0,
        };
        let r = score(
            &factors,
            &[
                cand("x", &[("a", 0.1), ("b", 0.2)]),
                cand("y", &[("a", 0.0), ("b", 0.5)]),
            ],
            &rules,
        )
        .unwrap();
        assert_eq!(r.iter().map(|c| c.rank).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(r[0].id, "x");
    }
}

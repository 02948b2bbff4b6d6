//! Cleaner production evaluation index systems (清洁生产评价指标体系, 编制通则 2013;
//! domain.md §4g): the comprehensive evaluation indices Y_I, Y_II, Y_III of an enterprise
//! and its rating.
//!
//! An index system has first-level groups (一级指标) with weights w_i, Σ w_i = 1, and in
//! each group second-level indicators (二级指标) with weights ω_ij, Σ_j ω_ij = 1. An
//! indicator is quantitative (a value against the level I, II and III benchmarks, smaller
//! or larger being better) or qualitative (the auditor states the level the enterprise
//! meets), and may be limiting (限定性指标).
//!
//! - Membership (formula 5-1): Y_gk(x_ij) = 100 when x_ij meets level g_k, else 0. The
//!   levels are **nested**: an indicator that meets level I also meets II and III, so
//!   membership compares ranks ([`Level::satisfied_by`]) and never tests two levels for
//!   equality (domain.md §0, pitfall 5).
//! - Re-weighting (formula 5-3): indicators that do not apply are left out and the
//!   others re-weighted, ω'_ij = ω_ij / Σ_applicable ω_ij. A group none of whose
//!   indicators applies is left out at the first level likewise, w'_i = w_i / Σ w.
//! - Index (formula 5-2): Y_gk = Σ_i w'_i · Σ_j ω'_ij · Y_gk(x_ij), from 0 to 100.
//! - Shared weights: some systems give a set of indicators one weight to share among
//!   those that apply (electroplating: the metal utilisation rates share 0.8 as 0.8/n for
//!   the n metals a plant plates). Indicators with the same [`Indicator::pool`] carry the
//!   pool's whole weight, counted once in Σ ω_ij; each applicable member gets an equal
//!   share of it before formula 5-3.
//! - Rating: by a [`RatingRule`], data of the index system. The default is the 通则's
//!   (level I if Y_I ≥ 85 and every limiting indicator meets I; II if Y_II ≥ 85 and every
//!   limiting indicator meets II; III if Y_III = 100); stricter systems (PCB: for level
//!   I every other indicator must meet II) set [`LevelRule::others_at`].
//!
//! Values are compared with the benchmarks exactly (a value equal to a benchmark meets
//! it); weights must sum to 1 within [`WEIGHT_TOLERANCE`]; an index meets a required
//! minimum within [`INDEX_TOLERANCE`], so that rounding in Σ cannot make Y_III = 100
//! fail.

use super::{InvalidNumber, finite, ratio};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// How far a sum of weights may be from 1.
pub const WEIGHT_TOLERANCE: f64 = 1e-6;

/// How far below a required minimum an index may be and still meet it (on the 0–100
/// scale): rounding in Σ w·ω·100 stays far below it.
pub const INDEX_TOLERANCE: f64 = 1e-9;

/// Membership of an indicator that meets a level (formula 5-1).
pub const FULL_MEMBERSHIP: f64 = 100.0;

/// A level of an index system: I (国际清洁生产领先水平, international leading), II
/// (国内清洁生产先进水平, domestic advanced), III (国内清洁生产一般水平, domestic general).
///
/// Ordered from the best: `I < II < III`. Serialised as `"I"`, `"II"`, `"III"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Level I, the highest.
    I,
    /// Level II.
    II,
    /// Level III, the lowest.
    III,
}

impl Level {
    /// The three levels, best first.
    pub const ALL: [Level; 3] = [Level::I, Level::II, Level::III];

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            Level::I => 1,
            Level::II => 2,
            Level::III => 3,
        }
    }

    /// The level numbered 1, 2 or 3; `None` for any other number.
    pub fn from_number(n: u8) -> Option<Level> {
        match n {
            1 => Some(Level::I),
            2 => Some(Level::II),
            3 => Some(Level::III),
            _ => None,
        }
    }

    /// Position in `[I, II, III]` arrays.
    pub fn index(self) -> usize {
        usize::from(self.number() - 1)
    }

    /// `"I"`, `"II"` or `"III"`.
    pub fn roman(self) -> &'static str {
        match self {
            Level::I => "I",
            Level::II => "II",
            Level::III => "III",
        }
    }

    /// Whether an indicator that meets `met` (`None`: not even level III) meets this
    /// level. Nested: meeting I satisfies I, II and III; meeting II satisfies II and III.
    /// Ranks are compared, never tested for equality.
    pub fn satisfied_by(self, met: Option<Level>) -> bool {
        met.is_some_and(|m| m.number() <= self.number())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.roman())
    }
}

impl Serialize for Level {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.roman())
    }
}

/// Which way a quantitative indicator is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Consumption, generation: a value meets a benchmark when it is ≤ the benchmark.
    LowerIsBetter,
    /// Reuse and recovery rates: a value meets a benchmark when it is ≥ the benchmark.
    HigherIsBetter,
}

impl Direction {
    /// Whether `value` meets `benchmark` (equal meets).
    pub fn meets(self, value: f64, benchmark: f64) -> bool {
        match self {
            Direction::LowerIsBetter => value <= benchmark,
            Direction::HigherIsBetter => value >= benchmark,
        }
    }
}

/// How an indicator is judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Criterion {
    /// A value compared with the level I, II and III benchmarks.
    Quantitative {
        /// Benchmarks of levels I, II and III, in the indicator's unit.
        benchmarks: [f64; 3],
        /// Which way is better.
        direction: Direction,
    },
    /// The auditor states the level met.
    Qualitative,
}

/// A second-level indicator (二级指标).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Id, unique in the index system.
    pub id: String,
    /// Weight ω_ij within its group; for a pooled indicator the weight of the whole pool.
    pub weight: f64,
    /// Pool whose weight the indicator shares with the other members that apply.
    pub pool: Option<String>,
    /// Whether it is a limiting indicator (限定性指标).
    pub limiting: bool,
    /// How it is judged.
    pub criterion: Criterion,
}

/// A first-level group (一级指标).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Id, unique in the index system.
    pub id: String,
    /// Weight w_i.
    pub weight: f64,
    /// Its second-level indicators.
    pub indicators: Vec<Indicator>,
}

/// What an enterprise needs for one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LevelRule {
    /// The level granted.
    pub level: Level,
    /// Y of that level must be ≥ this (85 for I and II, 100 for III in the 通则).
    pub min_index: f64,
    /// Every applicable limiting indicator must meet this level.
    pub limiting_at: Option<Level>,
    /// Every applicable non-limiting indicator must meet this level (PCB: II for level I).
    pub others_at: Option<Level>,
}

/// The rating rule of an index system (its 表4): levels tried in order, best first; the
/// first whose conditions all hold is the rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingRule {
    /// One rule per level, best level first.
    pub levels: Vec<LevelRule>,
}

impl Default for RatingRule {
    /// The 编制通则 rule: I if Y_I ≥ 85 and every limiting indicator meets I; II if
    /// Y_II ≥ 85 and every limiting indicator meets II or better; III if Y_III = 100.
    fn default() -> Self {
        RatingRule {
            levels: vec![
                LevelRule {
                    level: Level::I,
                    min_index: 85.0,
                    limiting_at: Some(Level::I),
                    others_at: None,
                },
                LevelRule {
                    level: Level::II,
                    min_index: 85.0,
                    limiting_at: Some(Level::II),
                    others_at: None,
                },
                LevelRule {
                    level: Level::III,
                    min_index: 100.0,
                    limiting_at: None,
                    others_at: None,
                },
            ],
        }
    }
}

/// An evaluation index system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexSystem {
    /// First-level groups.
    pub groups: Vec<Group>,
    /// The rating rule.
    pub rule: RatingRule,
}

/// What the enterprise gives for one indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input {
    /// The value of a quantitative indicator.
    Value(f64),
    /// The level a qualitative indicator meets; `None`: not even level III.
    Level(Option<Level>),
    /// The indicator does not apply to the enterprise (formula 5-3).
    NotApplicable,
}

/// One indicator evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// Indicator id.
    pub id: String,
    /// Its group's id.
    pub group: String,
    /// Whether it applies.
    pub applicable: bool,
    /// The value (quantitative indicators that apply).
    pub value: Option<f64>,
    /// The best level met; `None` when not even III is met or it does not apply.
    pub met: Option<Level>,
    /// Whether it is limiting.
    pub limiting: bool,
    /// ω_ij as given (a pool's whole weight for a pooled indicator).
    pub weight: f64,
    /// ω'_ij after sharing pools and re-weighting (formula 5-3); 0 when it does not apply.
    pub effective_weight: f64,
    /// w'_i · ω'_ij: its share of every Y (the shares of all indicators sum to 1).
    pub overall_weight: f64,
    /// Y_gk(x_ij) for I, II and III: 100 or 0 (formula 5-1), nested.
    pub membership: [f64; 3],
}

/// One first-level group evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    /// Group id.
    pub id: String,
    /// w_i as given.
    pub weight: f64,
    /// w'_i after re-weighting; 0 when none of its indicators applies.
    pub effective_weight: f64,
    /// Whether any of its indicators applies.
    pub applicable: bool,
    /// Σ_j ω'_ij · Y_gk(x_ij) for I, II and III (0–100).
    pub indices: [f64; 3],
}

/// Why a level was not granted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Y of the level is below the rule's minimum.
    IndexBelow {
        /// The level not granted.
        level: Level,
        /// Y of that level.
        index: f64,
        /// The minimum the rule requires.
        required: f64,
        /// Applicable indicators that do not meet the level.
        not_met: Vec<String>,
    },
    /// A limiting indicator does not meet the level the rule requires of limiting ones.
    LimitingBelow {
        /// The level not granted.
        level: Level,
        /// The limiting indicator.
        indicator: String,
        /// The best level it meets (`None`: below III).
        met: Option<Level>,
        /// The level required of limiting indicators.
        required: Level,
    },
    /// A non-limiting indicator does not meet the level the rule requires of the others.
    OtherBelow {
        /// The level not granted.
        level: Level,
        /// The indicator.
        indicator: String,
        /// The best level it meets (`None`: below III).
        met: Option<Level>,
        /// The level required of non-limiting indicators.
        required: Level,
    },
}

/// The evaluation of an enterprise against an index system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Y_I (0–100).
    pub y_1: f64,
    /// Y_II (0–100); never below Y_I, as the levels are nested.
    pub y_2: f64,
    /// Y_III (0–100); never below Y_II.
    pub y_3: f64,
    /// The groups, in system order.
    pub groups: Vec<GroupResult>,
    /// The indicators, in system order.
    pub indicators: Vec<IndicatorResult>,
    /// The level granted; `None`: below level III.
    pub rating: Option<Level>,
    /// Why each better level of the rule was not granted, best level first.
    pub reasons: Vec<Reason>,
}

impl Evaluation {
    /// Y of a level.
    pub fn index(&self, level: Level) -> f64 {
        match level {
            Level::I => self.y_1,
            Level::II => self.y_2,
            Level::III => self.y_3,
        }
    }
}

/// A problem with an index system or with the enterprise's inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndexSystemIssue {
    /// The system has no group.
    NoGroups,
    /// A group has no indicator.
    EmptyGroup {
        /// Group id.
        group: String,
    },
    /// Two groups share an id.
    DuplicateGroup {
        /// Group id.
        group: String,
    },
    /// Two indicators share an id.
    DuplicateIndicator {
        /// Indicator id.
        indicator: String,
    },
    /// A weight that is not a number in (0, 1].
    InvalidWeight {
        /// Group id.
        group: String,
        /// Indicator id; `None` for the group's own weight.
        indicator: Option<String>,
        /// The weight, as text.
        weight: String,
    },
    /// The first-level weights do not sum to 1.
    GroupWeightsSum {
        /// Σ w_i.
        sum: f64,
    },
    /// The second-level weights of a group do not sum to 1 (a pool counted once).
    IndicatorWeightsSum {
        /// Group id.
        group: String,
        /// Σ ω_ij.
        sum: f64,
    },
    /// Members of a pool give different pool weights.
    PoolWeightsDiffer {
        /// Group id.
        group: String,
        /// Pool id.
        pool: String,
    },
    /// A benchmark that is not a finite number.
    InvalidBenchmark {
        /// Indicator id.
        indicator: String,
        /// The benchmark's problem.
        number: InvalidNumber,
    },
    /// Benchmarks that are not ordered I, II, III from strict to lenient (I ≤ II ≤ III
    /// for smaller-is-better, I ≥ II ≥ III for larger-is-better).
    BenchmarksNotNested {
        /// Indicator id.
        indicator: String,
        /// The benchmarks I, II, III.
        benchmarks: [f64; 3],
    },
    /// The rating rule is unusable.
    InvalidRule {
        /// What is wrong.
        problem: String,
    },
    /// An input names an indicator the system does not have.
    UnknownIndicator {
        /// The id given.
        indicator: String,
    },
    /// An indicator has no input (neither a value, a level nor "not applicable").
    MissingInput {
        /// Indicator id.
        indicator: String,
    },
    /// A value for a qualitative indicator, or a level for a quantitative one.
    WrongInput {
        /// Indicator id.
        indicator: String,
        /// `"value"` or `"level"`: what the indicator needs.
        expected: &'static str,
    },
    /// A value that is not a finite number.
    InvalidValue {
        /// Indicator id.
        indicator: String,
        /// The value's problem.
        number: InvalidNumber,
    },
    /// No indicator of the system applies.
    NothingApplicable,
}

impl IndexSystemIssue {
    /// The indicator the issue is about, if any.
    pub fn indicator(&self) -> Option<&str> {
        use IndexSystemIssue as I;
        match self {
            I::DuplicateIndicator { indicator }
            | I::InvalidBenchmark { indicator, .. }
            | I::BenchmarksNotNested { indicator, .. }
            | I::UnknownIndicator { indicator }
            | I::MissingInput { indicator }
            | I::WrongInput { indicator, .. }
            | I::InvalidValue { indicator, .. } => Some(indicator),
            I::InvalidWeight { indicator, .. } => indicator.as_deref(),
            _ => None,
        }
    }

    /// The group the issue is about, if any.
    pub fn group(&self) -> Option<&str> {
        use IndexSystemIssue as I;
        match self {
            I::EmptyGroup { group }
            | I::DuplicateGroup { group }
            | I::InvalidWeight { group, .. }
            | I::IndicatorWeightsSum { group, .. }
            | I::PoolWeightsDiffer { group, .. } => Some(group),
            _ => None,
        }
    }
}

impl fmt::Display for IndexSystemIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use IndexSystemIssue as I;
        match self {
            I::NoGroups => write!(f, "the index system has no groups"),
            I::EmptyGroup { group } => write!(f, "group {group} has no indicators"),
            I::DuplicateGroup { group } => write!(f, "group {group} is listed twice"),
            I::DuplicateIndicator { indicator } => {
                write!(f, "indicator {indicator} is listed twice")
            }
            I::InvalidWeight {
                group,
                indicator: None,
                weight,
            } => write!(f, "weight of group {group} is {weight}, not in (0, 1]"),
            I::InvalidWeight {
                indicator: Some(i),
                weight,
                ..
            } => write!(f, "weight of indicator {i} is {weight}, not in (0, 1]"),
            I::GroupWeightsSum { sum } => {
                write!(f, "the first-level weights sum to {sum}, not 1")
            }
            I::IndicatorWeightsSum { group, sum } => {
                write!(
                    f,
                    "the weights of the indicators of {group} sum to {sum}, not 1"
                )
            }
            I::PoolWeightsDiffer { group, pool } => write!(
                f,
                "the indicators of pool {pool} in group {group} give different pool weights"
            ),
            I::InvalidBenchmark { indicator, number } => {
                write!(f, "benchmark of {indicator}: {number}")
            }
            I::BenchmarksNotNested {
                indicator,
                benchmarks: [a, b, c],
            } => write!(
                f,
                "benchmarks of {indicator} ({a}, {b}, {c}) are not ordered from level I (strictest) to level III"
            ),
            I::InvalidRule { problem } => write!(f, "rating rule: {problem}"),
            I::UnknownIndicator { indicator } => {
                write!(f, "the index system has no indicator {indicator}")
            }
            I::MissingInput { indicator } => write!(
                f,
                "indicator {indicator} has no value, no level and is not marked not applicable"
            ),
            I::WrongInput {
                indicator,
                expected: "value",
            } => write!(
                f,
                "indicator {indicator} is quantitative: it needs a value, not a level"
            ),
            I::WrongInput { indicator, .. } => write!(
                f,
                "indicator {indicator} is qualitative: it needs a level, not a value"
            ),
            I::InvalidValue { indicator, number } => {
                write!(f, "value of {indicator}: {number}")
            }
            I::NothingApplicable => write!(f, "no indicator of the index system applies"),
        }
    }
}

impl std::error::Error for IndexSystemIssue {}

/// Whether an indicator applies, its value and the best level it meets.
type Judged = (bool, Option<f64>, Option<Level>);

fn weight_ok(w: f64) -> bool {
    w.is_finite() && w > 0.0 && w <= 1.0
}

/// Checks an index system: ids unique, weights in (0, 1] summing to 1 at both levels
/// (within [`WEIGHT_TOLERANCE`]; a pool counted once), benchmarks finite and nested, the
/// rule usable (levels best first, each once, minima within 0–100). Every problem is
/// returned, not just the first.
pub fn validate(system: &IndexSystem) -> Result<(), Vec<IndexSystemIssue>> {
    use IndexSystemIssue as I;
    let mut issues = Vec::new();
    if system.groups.is_empty() {
        issues.push(I::NoGroups);
    }
    let mut group_ids = BTreeSet::new();
    let mut indicator_ids = BTreeSet::new();
    let mut group_sum = 0.0;
    let mut group_weights_ok = true;
    for g in &system.groups {
        if !group_ids.insert(g.id.as_str()) {
            issues.push(I::DuplicateGroup {
                group: g.id.clone(),
            });
        }
        if weight_ok(g.weight) {
            group_sum += g.weight;
        } else {
            group_weights_ok = false;
            issues.push(I::InvalidWeight {
                group: g.id.clone(),
                indicator: None,
                weight: g.weight.to_string(),
            });
        }
        if g.indicators.is_empty() {
            issues.push(I::EmptyGroup {
                group: g.id.clone(),
            });
            continue;
        }
        let mut sum = 0.0;
        let mut weights_ok = true;
        let mut pools: BTreeMap<&str, f64> = BTreeMap::new();
        for ind in &g.indicators {
            if !indicator_ids.insert(ind.id.as_str()) {
                issues.push(I::DuplicateIndicator {
                    indicator: ind.id.clone(),
                });
            }
            if !weight_ok(ind.weight) {
                weights_ok = false;
                issues.push(I::InvalidWeight {
                    group: g.id.clone(),
                    indicator: Some(ind.id.clone()),
                    weight: ind.weight.to_string(),
                });
            } else {
                match ind.pool.as_deref() {
                    None => sum += ind.weight,
                    Some(p) => match pools.get(p) {
                        None => {
                            pools.insert(p, ind.weight);
                            sum += ind.weight;
                        }
                        Some(&w) if (w - ind.weight).abs() > WEIGHT_TOLERANCE => {
                            weights_ok = false;
                            issues.push(I::PoolWeightsDiffer {
                                group: g.id.clone(),
                                pool: p.to_string(),
                            });
                        }
                        Some(_) => {}
                    },
                }
            }
            if let Criterion::Quantitative {
                benchmarks,
                direction,
            } = &ind.criterion
            {
                let mut finite_ok = true;
                for (level, &b) in Level::ALL.iter().zip(benchmarks) {
                    if let Err(number) = finite(b, || format!("{}.benchmarks[{level}]", ind.id)) {
                        finite_ok = false;
                        issues.push(I::InvalidBenchmark {
                            indicator: ind.id.clone(),
                            number,
                        });
                    }
                }
                // Level I is the strictest: every value that meets I must meet II and III.
                let nested = benchmarks.windows(2).all(|w| direction.meets(w[0], w[1]));
                if finite_ok && !nested {
                    issues.push(I::BenchmarksNotNested {
                        indicator: ind.id.clone(),
                        benchmarks: *benchmarks,
                    });
                }
            }
        }
        if weights_ok && (sum - 1.0).abs() > WEIGHT_TOLERANCE {
            issues.push(I::IndicatorWeightsSum {
                group: g.id.clone(),
                sum,
            });
        }
    }
    if group_weights_ok && !system.groups.is_empty() && (group_sum - 1.0).abs() > WEIGHT_TOLERANCE {
        issues.push(I::GroupWeightsSum { sum: group_sum });
    }
    validate_rule(&system.rule, &mut issues);
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

fn validate_rule(rule: &RatingRule, issues: &mut Vec<IndexSystemIssue>) {
    let mut bad = |problem: String| issues.push(IndexSystemIssue::InvalidRule { problem });
    if rule.levels.is_empty() {
        bad("it grants no level".into());
    }
    for (i, r) in rule.levels.iter().enumerate() {
        if i > 0 && rule.levels[i - 1].level >= r.level {
            bad(format!(
                "level {} comes after level {}: list the levels once each, best first",
                r.level,
                rule.levels[i - 1].level
            ));
        }
        if !(r.min_index.is_finite() && (0.0..=FULL_MEMBERSHIP).contains(&r.min_index)) {
            bad(format!(
                "the minimum index of level {} is {}, not within 0–100",
                r.level, r.min_index
            ));
        }
    }
}

/// The best level a value meets (`None`: not even level III). With nested benchmarks
/// meeting a level implies meeting every lower one.
pub fn level_met(benchmarks: &[f64; 3], direction: Direction, value: f64) -> Option<Level> {
    Level::ALL
        .into_iter()
        .find(|l| direction.meets(value, benchmarks[l.index()]))
}

/// Membership Y_gk(x) for I, II and III (formula 5-1), nested.
pub fn membership(met: Option<Level>) -> [f64; 3] {
    Level::ALL.map(|l| {
        if l.satisfied_by(met) {
            FULL_MEMBERSHIP
        } else {
            0.0
        }
    })
}

/// Evaluates an enterprise: each indicator's level, the re-weighted indices Y_I, Y_II,
/// Y_III (formulas 5-1 to 5-3) and the rating by the system's rule. `inputs` holds one
/// entry per indicator id. Problems of the system and of the inputs are all returned.
pub fn evaluate(
    system: &IndexSystem,
    inputs: &BTreeMap<String, Input>,
) -> Result<Evaluation, Vec<IndexSystemIssue>> {
    use IndexSystemIssue as I;
    let mut issues = validate(system).err().unwrap_or_default();
    let known: BTreeSet<&str> = system
        .groups
        .iter()
        .flat_map(|g| g.indicators.iter().map(|i| i.id.as_str()))
        .collect();
    for id in inputs.keys().filter(|k| !known.contains(k.as_str())) {
        issues.push(I::UnknownIndicator {
            indicator: id.clone(),
        });
    }
    // (applicable, value, met) per indicator, in system order.
    let mut judged: Vec<Vec<Judged>> = Vec::new();
    for g in &system.groups {
        let mut row = Vec::new();
        for ind in &g.indicators {
            let id = || ind.id.clone();
            let j = match (inputs.get(&ind.id), &ind.criterion) {
                (None, _) => {
                    issues.push(I::MissingInput { indicator: id() });
                    (false, None, None)
                }
                (Some(Input::NotApplicable), _) => (false, None, None),
                (
                    Some(&Input::Value(v)),
                    Criterion::Quantitative {
                        benchmarks,
                        direction,
                    },
                ) => match finite(v, || format!("{}.value", ind.id)) {
                    Ok(v) => (true, Some(v), level_met(benchmarks, *direction, v)),
                    Err(number) => {
                        issues.push(I::InvalidValue {
                            indicator: id(),
                            number,
                        });
                        (false, None, None)
                    }
                },
                (Some(&Input::Level(l)), Criterion::Qualitative) => (true, None, l),
                (Some(Input::Value(_)), Criterion::Qualitative) => {
                    issues.push(I::WrongInput {
                        indicator: id(),
                        expected: "level",
                    });
                    (false, None, None)
                }
                (Some(Input::Level(_)), Criterion::Quantitative { .. }) => {
                    issues.push(I::WrongInput {
                        indicator: id(),
                        expected: "value",
                    });
                    (false, None, None)
                }
            };
            row.push(j);
        }
        judged.push(row);
    }
    if !issues.is_empty() {
        return Err(issues);
    }

    // Second level: share pools among their applicable members, then formula 5-3.
    let mut omega: Vec<Vec<f64>> = Vec::new();
    for (g, row) in system.groups.iter().zip(&judged) {
        let mut pool_members: BTreeMap<&str, usize> = BTreeMap::new();
        for (ind, j) in g.indicators.iter().zip(row) {
            if let (Some(p), true) = (ind.pool.as_deref(), j.0) {
                *pool_members.entry(p).or_default() += 1;
            }
        }
        let raw: Vec<f64> = g
            .indicators
            .iter()
            .zip(row)
            .map(|(ind, j)| match (j.0, ind.pool.as_deref()) {
                (false, _) => 0.0,
                (true, None) => ind.weight,
                (true, Some(p)) => {
                    ratio(ind.weight, pool_members.get(p).copied().unwrap_or(1) as f64)
                        .unwrap_or(0.0)
                }
            })
            .collect();
        let sum: f64 = raw.iter().sum();
        omega.push(raw.iter().map(|&w| ratio(w, sum).unwrap_or(0.0)).collect());
    }
    // First level: groups with an applicable indicator, re-weighted likewise.
    let group_applicable: Vec<bool> = judged.iter().map(|r| r.iter().any(|j| j.0)).collect();
    let applicable_sum: f64 = system
        .groups
        .iter()
        .zip(&group_applicable)
        .filter(|(_, a)| **a)
        .map(|(g, _)| g.weight)
        .sum();
    if applicable_sum <= 0.0 {
        return Err(vec![I::NothingApplicable]);
    }

    let mut y = [0.0; 3];
    let mut groups = Vec::new();
    let mut indicators = Vec::new();
    for (gi, g) in system.groups.iter().enumerate() {
        let w = if group_applicable[gi] {
            ratio(g.weight, applicable_sum).unwrap_or(0.0)
        } else {
            0.0
        };
        let mut sub = [0.0; 3];
        for (ii, ind) in g.indicators.iter().enumerate() {
            let (applicable, value, met) = judged[gi][ii];
            let om = omega[gi][ii];
            let m = if applicable {
                membership(met)
            } else {
                [0.0; 3]
            };
            for k in 0..3 {
                sub[k] += om * m[k];
            }
            indicators.push(IndicatorResult {
                id: ind.id.clone(),
                group: g.id.clone(),
                applicable,
                value,
                met,
                limiting: ind.limiting,
                weight: ind.weight,
                effective_weight: om,
                overall_weight: w * om,
                membership: m,
            });
        }
        for k in 0..3 {
            y[k] += w * sub[k];
        }
        groups.push(GroupResult {
            id: g.id.clone(),
            weight: g.weight,
            effective_weight: w,
            applicable: group_applicable[gi],
            indices: sub.map(clamp_index),
        });
    }
    let y = y.map(clamp_index);
    let (rating, reasons) = rate(&system.rule, y, &indicators);
    Ok(Evaluation {
        y_1: y[0],
        y_2: y[1],
        y_3: y[2],
        groups,
        indicators,
        rating,
        reasons,
    })
}

/// An index within 0–100 (rounding in Σ may step a hair outside).
fn clamp_index(y: f64) -> f64 {
    y.clamp(0.0, FULL_MEMBERSHIP)
}

/// Rates by `rule`: the first level whose conditions all hold. `y` holds Y_I, Y_II,
/// Y_III; indicators that do not apply are ignored. The reasons say why each level
/// tried before the one granted failed (all of them when none is granted).
pub fn rate(
    rule: &RatingRule,
    y: [f64; 3],
    indicators: &[IndicatorResult],
) -> (Option<Level>, Vec<Reason>) {
    let mut reasons = Vec::new();
    let applicable = || indicators.iter().filter(|i| i.applicable);
    for r in &rule.levels {
        let mut ok = true;
        let index = y[r.level.index()];
        if index + INDEX_TOLERANCE < r.min_index {
            ok = false;
            reasons.push(Reason::IndexBelow {
                level: r.level,
                index,
                required: r.min_index,
                not_met: applicable()
                    .filter(|i| !r.level.satisfied_by(i.met))
                    .map(|i| i.id.clone())
                    .collect(),
            });
        }
        for (required, limiting) in [(r.limiting_at, true), (r.others_at, false)] {
            let Some(required) = required else { continue };
            for i in applicable().filter(|i| i.limiting == limiting) {
                if !required.satisfied_by(i.met) {
                    ok = false;
                    let (indicator, met, level) = (i.id.clone(), i.met, r.level);
                    reasons.push(if limiting {
                        Reason::LimitingBelow {
                            level,
                            indicator,
                            met,
                            required,
                        }
                    } else {
                        Reason::OtherBelow {
                            level,
                            indicator,
                            met,
                            required,
                        }
                    });
                }
            }
        }
        if ok {
            return (Some(r.level), reasons);
        }
    }
    (None, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::{Rng, assert_abs};

    fn quant(id: &str, weight: f64, limiting: bool, b: [f64; 3], lower: bool) -> Indicator {
        Indicator {
            id: id.into(),
            weight,
            pool: None,
            limiting,
            criterion: Criterion::Quantitative {
                benchmarks: b,
                direction: if lower {
                    Direction::LowerIsBetter
                } else {
                    Direction::HigherIsBetter
                },
            },
        }
    }

    fn qual(id: &str, weight: f64, limiting: bool) -> Indicator {
        Indicator {
            id: id.into(),
            weight,
            pool: None,
            limiting,
            criterion: Criterion::Qualitative,
        }
    }

    fn group(id: &str, weight: f64, indicators: Vec<Indicator>) -> Group {
        Group {
            id: id.into(),
            weight,
            indicators,
        }
    }

    /// Group A (w = 0.6): a1 ≤ 10/20/30, ω 0.5, limiting; a2 ≥ 90/80/70, ω 0.3;
    /// a3 qualitative, ω 0.2. Group B (w = 0.4): b1 qualitative, ω 0.4, limiting;
    /// b2 ≤ 1/2/3, ω 0.6.
    fn toy() -> IndexSystem {
        IndexSystem {
            groups: vec![
                group(
                    "A",
                    0.6,
                    vec![
                        quant("a1", 0.5, true, [10.0, 20.0, 30.0], true),
                        quant("a2", 0.3, false, [90.0, 80.0, 70.0], false),
                        qual("a3", 0.2, false),
                    ],
                ),
                group(
                    "B",
                    0.4,
                    vec![
                        qual("b1", 0.4, true),
                        quant("b2", 0.6, false, [1.0, 2.0, 3.0], true),
                    ],
                ),
            ],
            rule: RatingRule::default(),
        }
    }

    fn inputs(items: &[(&str, Input)]) -> BTreeMap<String, Input> {
        items.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    /// a1 = 15 (meets II), a2 = 95 (I), a3 at III, b1 at I, b2 = 2.5 (III).
    fn toy_inputs() -> BTreeMap<String, Input> {
        inputs(&[
            ("a1", Input::Value(15.0)),
            ("a2", Input::Value(95.0)),
            ("a3", Input::Level(Some(Level::III))),
            ("b1", Input::Level(Some(Level::I))),
            ("b2", Input::Value(2.5)),
        ])
    }

    fn met_of(e: &Evaluation, id: &str) -> Option<Level> {
        e.indicators.iter().find(|i| i.id == id).unwrap().met
    }

    #[test]
    fn hand_computed_indices_and_rating() {
        let e = evaluate(&toy(), &toy_inputs()).unwrap();
        assert_eq!(met_of(&e, "a1"), Some(Level::II));
        assert_eq!(met_of(&e, "a2"), Some(Level::I));
        assert_eq!(met_of(&e, "b2"), Some(Level::III));
        // Y_I: A = 0.3·100 (a2) = 30; B = 0.4·100 (b1) = 40; Y_I = 0.6·30 + 0.4·40 = 34.
        assert_abs(e.y_1, 34.0, 1e-12);
        // Y_II: A = 0.5·100 (a1) + 0.3·100 (a2) = 80; B = 40; Y_II = 0.6·80 + 0.4·40 = 64.
        assert_abs(e.y_2, 64.0, 1e-12);
        // Y_III: every indicator meets III: 0.6·100 + 0.4·100 = 100.
        assert_abs(e.y_3, 100.0, 1e-12);
        assert_abs(e.groups[0].indices[1], 80.0, 1e-12);
        assert_abs(e.groups[1].indices[0], 40.0, 1e-12);
        // I: 34 < 85 and limiting a1 only meets II; II: 64 < 85; III: Y_III = 100.
        assert_eq!(e.rating, Some(Level::III));
        assert_eq!(
            e.reasons,
            vec![
                Reason::IndexBelow {
                    level: Level::I,
                    index: e.y_1,
                    required: 85.0,
                    not_met: vec!["a1".into(), "a3".into(), "b2".into()],
                },
                Reason::LimitingBelow {
                    level: Level::I,
                    indicator: "a1".into(),
                    met: Some(Level::II),
                    required: Level::I,
                },
                Reason::IndexBelow {
                    level: Level::II,
                    index: e.y_2,
                    required: 85.0,
                    not_met: vec!["a3".into(), "b2".into()],
                },
            ]
        );
        // Overall weights w'·ω' sum to 1: 0.6·(0.5+0.3+0.2) + 0.4·(0.4+0.6).
        let total: f64 = e.indicators.iter().map(|i| i.overall_weight).sum();
        assert_abs(total, 1.0, 1e-12);
        assert_abs(e.indicators[0].overall_weight, 0.3, 1e-12);
    }

    #[test]
    fn membership_is_nested() {
        // Meeting I counts for I, II and III; II for II and III; below III for none.
        assert_eq!(membership(Some(Level::I)), [100.0, 100.0, 100.0]);
        assert_eq!(membership(Some(Level::II)), [0.0, 100.0, 100.0]);
        assert_eq!(membership(Some(Level::III)), [0.0, 0.0, 100.0]);
        assert_eq!(membership(None), [0.0, 0.0, 0.0]);
        assert!(Level::III.satisfied_by(Some(Level::I)));
        assert!(!Level::I.satisfied_by(Some(Level::II)));
        // A value at a benchmark meets it: 20 ≤ 20 (II), 80 ≥ 80 (II).
        let lower = [10.0, 20.0, 30.0];
        assert_eq!(
            level_met(&lower, Direction::LowerIsBetter, 20.0),
            Some(Level::II)
        );
        assert_eq!(level_met(&lower, Direction::LowerIsBetter, 30.0001), None);
        assert_eq!(
            level_met(&[90.0, 80.0, 70.0], Direction::HigherIsBetter, 80.0),
            Some(Level::II)
        );
        // Every indicator at level I gives Y_I = Y_II = Y_III = 100 and rating I.
        let all_i = inputs(&[
            ("a1", Input::Value(5.0)),
            ("a2", Input::Value(99.0)),
            ("a3", Input::Level(Some(Level::I))),
            ("b1", Input::Level(Some(Level::I))),
            ("b2", Input::Value(0.5)),
        ]);
        let e = evaluate(&toy(), &all_i).unwrap();
        assert_eq!((e.y_1, e.y_2, e.y_3), (100.0, 100.0, 100.0));
        assert_eq!(e.rating, Some(Level::I));
        assert!(e.reasons.is_empty());
    }

    #[test]
    fn non_applicable_indicators_are_reweighted() {
        let mut i = toy_inputs();
        i.insert("a2".into(), Input::NotApplicable);
        let e = evaluate(&toy(), &i).unwrap();
        // Group A without a2: ω'_a1 = 0.5/0.7 = 5/7, ω'_a3 = 0.2/0.7 = 2/7.
        assert_abs(e.indicators[0].effective_weight, 5.0 / 7.0, 1e-12);
        assert_abs(e.indicators[1].effective_weight, 0.0, 0.0);
        assert_abs(e.indicators[2].effective_weight, 2.0 / 7.0, 1e-12);
        // Y_I = 0.6·0 + 0.4·40 = 16.
        assert_abs(e.y_1, 16.0, 1e-12);
        // Y_II = 0.6·(5/7·100) + 0.4·40 = 42.857142857… + 16 = 58.857142857…
        assert_abs(e.y_2, 0.6 * 500.0 / 7.0 + 16.0, 1e-12);
        assert_abs(e.y_2, 58.857_142_857_142_86, 1e-9);
        assert_abs(e.y_3, 100.0, 1e-12);
    }

    #[test]
    fn a_group_with_nothing_applicable_is_reweighted_at_the_first_level() {
        let mut i = toy_inputs();
        i.insert("b1".into(), Input::NotApplicable);
        i.insert("b2".into(), Input::NotApplicable);
        let e = evaluate(&toy(), &i).unwrap();
        // w'_A = 0.6/0.6 = 1, w'_B = 0: the indices are group A's: 30, 80, 100.
        assert_abs(e.groups[0].effective_weight, 1.0, 1e-12);
        assert!(!e.groups[1].applicable);
        assert_abs(e.y_1, 30.0, 1e-12);
        assert_abs(e.y_2, 80.0, 1e-12);
        assert_abs(e.y_3, 100.0, 1e-12);
        // Nothing at all applicable is an error, not a division by zero.
        let none = inputs(&[
            ("a1", Input::NotApplicable),
            ("a2", Input::NotApplicable),
            ("a3", Input::NotApplicable),
            ("b1", Input::NotApplicable),
            ("b2", Input::NotApplicable),
        ]);
        assert_eq!(
            evaluate(&toy(), &none).unwrap_err(),
            vec![IndexSystemIssue::NothingApplicable]
        );
    }

    /// One group: x1 quantitative ω 0.9 (limiting as given), x2 qualitative ω 0.1.
    fn two(x1_limiting: bool, x2_limiting: bool, rule: RatingRule) -> IndexSystem {
        IndexSystem {
            groups: vec![group(
                "G",
                1.0,
                vec![
                    quant("x1", 0.9, x1_limiting, [1.0, 2.0, 3.0], true),
                    qual("x2", 0.1, x2_limiting),
                ],
            )],
            rule,
        }
    }

    #[test]
    fn a_limiting_indicator_blocks_a_level() {
        let sys = two(false, true, RatingRule::default());
        // x1 at I, limiting x2 at II: Y_I = 0.9·100 = 90 ≥ 85, but x2 is not at I → II
        // (Y_II = 100 ≥ 85 and x2 meets II).
        let e = evaluate(
            &sys,
            &inputs(&[
                ("x1", Input::Value(0.5)),
                ("x2", Input::Level(Some(Level::II))),
            ]),
        )
        .unwrap();
        assert_abs(e.y_1, 90.0, 1e-12);
        assert_eq!(e.rating, Some(Level::II));
        assert_eq!(
            e.reasons,
            vec![Reason::LimitingBelow {
                level: Level::I,
                indicator: "x2".into(),
                met: Some(Level::II),
                required: Level::I,
            }]
        );
        // x2 below III: Y_II = 90 ≥ 85 but x2 blocks II; Y_III = 90 < 100 → below III.
        let e = evaluate(
            &sys,
            &inputs(&[("x1", Input::Value(0.5)), ("x2", Input::Level(None))]),
        )
        .unwrap();
        assert_abs(e.y_2, 90.0, 1e-12);
        assert_abs(e.y_3, 90.0, 1e-12);
        assert_eq!(e.rating, None);
        assert_eq!(e.reasons.len(), 3, "{:?}", e.reasons);
        assert!(e.reasons.contains(&Reason::LimitingBelow {
            level: Level::II,
            indicator: "x2".into(),
            met: None,
            required: Level::II,
        }));
        assert!(e.reasons.contains(&Reason::IndexBelow {
            level: Level::III,
            index: 90.0,
            required: 100.0,
            not_met: vec!["x2".into()],
        }));
        // A limiting indicator that does not apply holds nothing back:
        // x1 alone, ω' = 1, Y_I = 100 → I.
        let e = evaluate(
            &sys,
            &inputs(&[("x1", Input::Value(0.5)), ("x2", Input::NotApplicable)]),
        )
        .unwrap();
        assert_eq!(e.rating, Some(Level::I));
    }

    #[test]
    fn the_pcb_rule_also_requires_the_others_at_level_ii() {
        let mut pcb = RatingRule::default();
        pcb.levels[0].others_at = Some(Level::II);
        let at = inputs(&[
            ("x1", Input::Value(0.5)),
            ("x2", Input::Level(Some(Level::III))),
        ]);
        // x1 limiting at I, x2 (ω 0.1) at III: Y_I = 90.
        let e = evaluate(&two(true, false, RatingRule::default()), &at).unwrap();
        assert_eq!(e.rating, Some(Level::I));
        let e = evaluate(&two(true, false, pcb), &at).unwrap();
        assert_abs(e.y_1, 90.0, 1e-12);
        assert_eq!(e.rating, Some(Level::II));
        assert_eq!(
            e.reasons,
            vec![Reason::OtherBelow {
                level: Level::I,
                indicator: "x2".into(),
                met: Some(Level::III),
                required: Level::II,
            }]
        );
    }

    #[test]
    fn a_pool_is_shared_among_the_members_that_apply() {
        // Electroplating style: metals share 0.8 (0.8/n), water reuse 0.2.
        let metal = |id: &str| Indicator {
            pool: Some("metals".into()),
            ..quant(id, 0.8, false, [95.0, 85.0, 80.0], false)
        };
        let sys = IndexSystem {
            groups: vec![group(
                "R",
                1.0,
                vec![
                    metal("zn"),
                    metal("cu"),
                    metal("ni"),
                    quant("reuse", 0.2, false, [60.0, 40.0, 30.0], false),
                ],
            )],
            rule: RatingRule::default(),
        };
        assert_eq!(validate(&sys), Ok(()));
        let e = evaluate(
            &sys,
            &inputs(&[
                ("zn", Input::Value(96.0)),
                ("cu", Input::NotApplicable),
                ("ni", Input::Value(81.0)),
                ("reuse", Input::Value(45.0)),
            ]),
        )
        .unwrap();
        // zn and ni apply: 0.8/2 = 0.4 each; reuse 0.2; Σ = 1, so ω' = ω.
        assert_abs(e.indicators[0].effective_weight, 0.4, 1e-12);
        assert_abs(e.indicators[2].effective_weight, 0.4, 1e-12);
        // zn I, ni III, reuse II: Y_I = 40, Y_II = 40 + 20 = 60, Y_III = 100.
        assert_abs(e.y_1, 40.0, 1e-12);
        assert_abs(e.y_2, 60.0, 1e-12);
        assert_abs(e.y_3, 100.0, 1e-12);
        // Pool members must agree on the pool weight.
        let mut bad = sys.clone();
        bad.groups[0].indicators[1].weight = 0.7;
        assert!(
            validate(&bad)
                .unwrap_err()
                .contains(&IndexSystemIssue::PoolWeightsDiffer {
                    group: "R".into(),
                    pool: "metals".into()
                })
        );
    }

    #[test]
    fn weights_must_sum_to_one() {
        let mut sys = toy();
        sys.groups[1].weight = 0.5;
        // 0.6 + 0.5 = 1.1.
        let issues = validate(&sys).unwrap_err();
        assert!(matches!(
            issues.as_slice(),
            [IndexSystemIssue::GroupWeightsSum { sum }] if (sum - 1.1).abs() < 1e-12
        ));
        assert!(evaluate(&sys, &toy_inputs()).is_err());
        // Within 1e-6 passes; 2e-6 does not.
        sys.groups[1].weight = 0.4 + 5e-7;
        assert_eq!(validate(&sys), Ok(()));
        sys.groups[1].weight = 0.4 + 2e-6;
        assert!(validate(&sys).is_err());
        sys.groups[1].weight = 0.4;
        sys.groups[0].indicators[2].weight = 0.25;
        assert!(matches!(
            validate(&sys).unwrap_err().as_slice(),
            [IndexSystemIssue::IndicatorWeightsSum { group, sum }]
                if group == "A" && (sum - 1.05).abs() < 1e-12
        ));
        sys.groups[0].indicators[2].weight = f64::NAN;
        let issues = validate(&sys).unwrap_err();
        assert!(matches!(
            &issues[0],
            IndexSystemIssue::InvalidWeight { indicator: Some(i), .. } if i == "a3"
        ));
        assert!(issues[0].to_string().contains("not in (0, 1]"));
    }

    #[test]
    fn systems_and_inputs_are_checked() {
        let mut sys = toy();
        sys.groups[0].indicators[0].criterion = Criterion::Quantitative {
            benchmarks: [30.0, 20.0, 10.0],
            direction: Direction::LowerIsBetter,
        };
        sys.groups[1].indicators[1].id = "a2".into();
        sys.rule.levels.swap(0, 1);
        let issues = validate(&sys).unwrap_err();
        assert!(issues.contains(&IndexSystemIssue::BenchmarksNotNested {
            indicator: "a1".into(),
            benchmarks: [30.0, 20.0, 10.0]
        }));
        assert!(issues.contains(&IndexSystemIssue::DuplicateIndicator {
            indicator: "a2".into()
        }));
        assert!(
            issues
                .iter()
                .any(|i| matches!(i, IndexSystemIssue::InvalidRule { .. }))
        );
        // Inputs: a typo, a missing one, a level for a value, a NaN.
        let mut i = toy_inputs();
        i.remove("b2");
        i.insert("a99".into(), Input::Value(1.0));
        i.insert("a1".into(), Input::Level(Some(Level::I)));
        i.insert("a2".into(), Input::Value(f64::NAN));
        i.insert("a3".into(), Input::Value(1.0));
        let issues = evaluate(&toy(), &i).unwrap_err();
        assert_eq!(issues.len(), 5, "{issues:?}");
        assert!(issues.contains(&IndexSystemIssue::UnknownIndicator {
            indicator: "a99".into()
        }));
        assert!(issues.contains(&IndexSystemIssue::MissingInput {
            indicator: "b2".into()
        }));
        assert!(issues.contains(&IndexSystemIssue::WrongInput {
            indicator: "a1".into(),
            expected: "value"
        }));
        assert!(issues.contains(&IndexSystemIssue::WrongInput {
            indicator: "a3".into(),
            expected: "level"
        }));
        assert!(issues.iter().any(
            |x| matches!(x, IndexSystemIssue::InvalidValue { indicator, .. } if indicator == "a2")
        ));
    }

    #[test]
    fn levels_serialise_as_roman_numerals() {
        assert_eq!(serde_json::to_string(&Level::II).unwrap(), "\"II\"");
        assert_eq!(Level::from_number(3), Some(Level::III));
        assert_eq!(Level::from_number(0), None);
        assert_eq!(Level::from_number(4), None);
    }

    #[test]
    fn indices_are_nested_and_bounded_for_random_systems() {
        let mut rng = Rng::new(0x1DE5);
        for _ in 0..300 {
            let n_groups = 1 + rng.below(4);
            let gw: Vec<f64> = (0..n_groups).map(|_| rng.range(0.1, 1.0)).collect();
            let gs: f64 = gw.iter().sum();
            let mut groups = Vec::new();
            let mut inp = BTreeMap::new();
            for (gi, w) in gw.iter().enumerate() {
                let n = 1 + rng.below(4);
                let iw: Vec<f64> = (0..n).map(|_| rng.range(0.1, 1.0)).collect();
                let is: f64 = iw.iter().sum();
                let mut inds = Vec::new();
                for (ii, w) in iw.iter().enumerate() {
                    let id = format!("g{gi}i{ii}");
                    let lim = rng.below(3) == 0;
                    if rng.below(2) == 0 {
                        inds.push(quant(&id, w / is, lim, [1.0, 2.0, 3.0], true));
                        inp.insert(id, Input::Value(rng.range(0.0, 4.0)));
                    } else {
                        inds.push(qual(&id, w / is, lim));
                        let l = Level::from_number(rng.below(4) as u8);
                        inp.insert(id, Input::Level(l));
                    }
                }
                groups.push(group(&format!("g{gi}"), w / gs, inds));
            }
            let sys = IndexSystem {
                groups,
                rule: RatingRule::default(),
            };
            let e = evaluate(&sys, &inp).unwrap();
            assert!(0.0 <= e.y_1 && e.y_1 <= e.y_2 + 1e-12);
            assert!(e.y_2 <= e.y_3 + 1e-12 && e.y_3 <= 100.0);
            // The rating agrees with its reasons: a level is granted only if no
            // reason names it.
            if let Some(r) = e.rating {
                let named = |x: &Reason| match x {
                    Reason::IndexBelow { level, .. }
                    | Reason::LimitingBelow { level, .. }
                    | Reason::OtherBelow { level, .. } => *level,
                };
                assert!(e.reasons.iter().all(|x| named(x) < r));
            }
        }
    }
}

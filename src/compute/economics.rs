//! Economics of the medium/high-cost options: the manual's uniform-flow method from the
//! feasibility narrative, and the year-by-year flows of the cash-flow workbook where an
//! option has them. Each gets a verdict against the benchmark payback and rate.

use crate::calc::economics as ec;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use serde::Serialize;

/// Economic evaluation of one option (经济评估).
#[derive(Debug, Clone, Serialize)]
pub struct OptionEconomics {
    /// Option id.
    pub option: String,
    /// Option name.
    pub name: Text,
    /// Cost class.
    pub cost: CostClass,
    /// Investment items, 10⁴ CNY.
    pub items: Vec<(Text, f64)>,
    /// Gross investment (Σ items), 10⁴ CNY.
    pub gross_investment: f64,
    /// Subsidy, 10⁴ CNY.
    pub subsidy: f64,
    /// Depreciation period and life, years.
    pub life: u32,
    /// I, P, D, T, tax, E, F, the flows and the indicators (NPV, NPVR, IRR, paybacks).
    pub uniform: ec::UniformAppraisal,
    /// The manual's interpolated IRR, as reports show it.
    pub interpolation: Option<ec::IrrInterpolation>,
    /// Verdict on the uniform flows.
    pub assessment: ec::Assessment,
    /// The same indicators from the cash-flow workbook, where the option has flows there.
    pub year_by_year: Option<YearByYear>,
    /// The audit team's decision.
    pub decision: OptionDecision,
}

/// Whether an option is adopted, and on what grounds when that departs from its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct OptionDecision {
    /// Adopted for implementation.
    pub adopted: bool,
    /// Whether the decision departs from the economic verdict.
    pub departs: bool,
    /// The grounds given.
    pub grounds: Option<DecisionGrounds>,
    /// The reasoning in words.
    pub note: Option<Text>,
}

/// Indicators from year-by-year cash flows.
#[derive(Debug, Clone, Serialize)]
pub struct YearByYear {
    /// Net cash flow for years 0..n, 10⁴ CNY.
    pub flows: Vec<f64>,
    /// NPV, NPVR, IRR, paybacks.
    pub indicators: ec::Indicators,
    /// Verdict.
    pub assessment: ec::Assessment,
}

const FILE: &str = "narratives/05-feasibility.yaml";

/// Evaluates every analysed option.
pub fn economics(audit: &Audit, d: &mut Diagnostics) -> Vec<OptionEconomics> {
    let s = &audit.meta.settings;
    let benchmarks = ec::Benchmarks {
        payback_medium: s.payback_medium,
        payback_high: s.payback_high,
        ..ec::Benchmarks::with_rate(s.discount_rate.value)
    };
    let mut out = Vec::new();
    for a in &audit.feasibility.analyses {
        let Some(option) = audit
            .options
            .options
            .iter()
            .find(|o| o.id.value == a.option.value)
        else {
            continue; // reported by check
        };
        let class = if option.cost == CostClass::High {
            ec::CostClass::High
        } else {
            ec::CostClass::Medium
        };
        let gross: f64 = a.investment.items.iter().map(|i| i.amount.value).sum();
        let input = ec::UniformOption {
            investment: gross,
            subsidies: a.investment.subsidy.value,
            revenue_increase: a.revenue_increase.value,
            operating_cost_reduction: a.cost_reduction.value,
            depreciation_years: a.life.value,
            tax_rate: s.tax_rate.value,
            life_years: a.life.value,
            discount_rate: s.discount_rate.value,
        };
        let place = Place::yaml(FILE, &a.option.referenced);
        let uniform = match ec::appraise_uniform(&input) {
            Ok(u) => u,
            Err(e) => {
                d.push(
                    Diagnostic::error("economics::invalid", format!("economics of `{}`: {e}", a.option.value))
                        .at(place)
                        .help("investment items and subsidy in 10⁴ CNY, the subsidy not above the investment, life 1–100 years"),
                );
                continue;
            }
        };
        let interpolation = ec::interpolated_irr_from_flows(&uniform.cash_flows)
            .ok()
            .flatten();
        let assessment = ec::assess(&uniform.indicators, class, &benchmarks);
        if (option.investment.value - gross).abs() > 0.005 * gross.max(1.0) {
            d.push(
                Diagnostic::warning("economics::investment-mismatch", format!(
                    "option `{}` is estimated at {} 10⁴ CNY in the options list but its investment items add up to {gross}",
                    option.id.value, option.investment.value
                ))
                .at(Place::yaml("narratives/04-options.yaml", &option.investment.referenced))
                .related("investment items", Place::yaml(FILE, &a.option.referenced))
                .help("make the estimate in 04-options.yaml equal to the sum of the items in 05-feasibility.yaml"),
            );
        }
        let year_by_year = year_by_year(audit, &a.option.value, class, &benchmarks, d);
        // The year-by-year flows, where given, are the finer appraisal.
        let verdict = year_by_year.as_ref().map_or(&assessment, |y| &y.assessment);
        let decision = decision(audit, a, verdict, d);
        out.push(OptionEconomics {
            option: a.option.value.clone(),
            name: option.name.clone(),
            cost: option.cost,
            items: a
                .investment
                .items
                .iter()
                .map(|i| (i.item.clone(), i.amount.value))
                .collect(),
            gross_investment: gross,
            subsidy: a.investment.subsidy.value,
            life: a.life.value,
            uniform,
            interpolation,
            assessment,
            year_by_year,
            decision,
        });
    }
    out
}

/// The decision on an option: as written, or by default its economic verdict. An
/// adoption against the verdict without grounds, or an implemented option that fails
/// its criteria with no decision written, is a warning.
fn decision(
    audit: &Audit,
    a: &FeasibilityAnalysis,
    verdict: &ec::Assessment,
    d: &mut Diagnostics,
) -> OptionDecision {
    let feasible = verdict.verdict == ec::Verdict::Feasible;
    let id = &a.option.value;
    let Some(dec) = &a.decision else {
        if !feasible
            && let Some(r) = audit
                .implementation
                .results
                .iter()
                .find(|r| &r.option.value == id)
        {
            d.push(
                Diagnostic::warning(
                    "economics::implemented-unfeasible",
                    format!("option `{id}` is implemented but fails the economic criteria, and no decision says why it was adopted"),
                )
                .at(Place::yaml(FILE, &a.option.referenced))
                .related("implemented", Place::yaml("narratives/06-implementation.yaml", &r.option.referenced))
                .help("add `decision: {adopt: true, grounds: compliance}` (or policy, environment, safety, strategy) with a `note` to its analysis"),
            );
        }
        return OptionDecision {
            adopted: feasible,
            departs: false,
            grounds: None,
            note: None,
        };
    };
    let adopted = dec.adopt.value;
    let departs = adopted != feasible;
    if departs && dec.grounds.is_none() {
        d.push(
            Diagnostic::warning(
                "economics::decision-grounds",
                if adopted {
                    format!("option `{id}` is adopted although it fails the economic criteria, but no grounds are given")
                } else {
                    format!("option `{id}` is not adopted although its economics are feasible, but no grounds are given")
                },
            )
            .at(Place::yaml(FILE, &dec.adopt.referenced))
            .help("add `grounds:` (compliance, policy, environment, safety or strategy) and a `note` in both languages"),
        );
    }
    OptionDecision {
        adopted,
        departs,
        grounds: dec.grounds.as_ref().map(|g| g.value),
        note: dec.note.clone(),
    }
}

fn year_by_year(
    audit: &Audit,
    option: &str,
    class: ec::CostClass,
    benchmarks: &ec::Benchmarks,
    d: &mut Diagnostics,
) -> Option<YearByYear> {
    let mut rows: Vec<&CashFlowRow> = audit
        .tables
        .cash_flows
        .iter()
        .filter(|r| r.option.value == option)
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by_key(|r| r.year.value);
    // Years that skip or repeat are an error of `check` (check/dates.rs).
    if rows
        .iter()
        .enumerate()
        .any(|(expected, r)| r.year.value != expected as i32)
    {
        return None;
    }
    let flows: Vec<f64> = rows.iter().map(|r| r.amount.value).collect();
    match ec::appraise_cash_flows(&flows, benchmarks.rate) {
        Ok(indicators) => {
            let assessment = ec::assess(&indicators, class, benchmarks);
            Some(YearByYear {
                flows,
                indicators,
                assessment,
            })
        }
        Err(e) => {
            d.push(
                Diagnostic::error(
                    "economics::invalid",
                    format!("cash flows of `{option}`: {e}"),
                )
                .at(&rows[0].option.cell),
            );
            None
        }
    }
}

/// One line for `cpaudit check`.
pub fn summary_line(e: &OptionEconomics) -> String {
    let i = &e.uniform.indicators;
    let irr = match &i.irr {
        ec::Irr::None => "no IRR".to_string(),
        ec::Irr::Unique(r) => format!("IRR {:.2} %", r * 100.0),
        ec::Irr::Multiple(rs) => format!("IRR ambiguous ({} roots)", rs.len()),
    };
    format!(
        "option {:<6} NPV {:>9.2} 10⁴ CNY  {}  payback {}  {}",
        e.option,
        i.npv,
        irr,
        i.static_payback
            .map_or("never".into(), |p| format!("{p:.2} a")),
        match (e.assessment.verdict, &e.decision) {
            (ec::Verdict::Feasible, d) if d.adopted => "feasible".to_string(),
            (ec::Verdict::Feasible, _) => "feasible, not adopted".to_string(),
            (ec::Verdict::NotFeasible, d) if d.adopted => match d.grounds {
                Some(g) => format!(
                    "not feasible, adopted ({})",
                    serde_json::to_value(g)
                        .unwrap_or_default()
                        .as_str()
                        .unwrap_or_default()
                ),
                None => "not feasible, adopted".to_string(),
            },
            (ec::Verdict::NotFeasible, _) => "not feasible".to_string(),
        }
    )
}

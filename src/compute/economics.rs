//! Economics of the medium/high-cost options: the manual's annual figures from the
//! feasibility narrative (over the depreciation period and the economic life, with the
//! replacement costs), the flows every indicator is read from (the cash-flow workbook's where
//! an option has them there, else those the narrative gives), and one verdict against the
//! benchmarks of the option's cost class. Also checks each option's cost class against the
//! investment thresholds in `settings`.

use crate::calc::economics as ec;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use serde::Serialize;

/// Economic evaluation of one option (经济评估): every figure with the inputs it is computed
/// from, so that results.json alone recomputes it.
#[derive(Debug, Clone, Serialize)]
pub struct OptionEconomics {
    /// Option id.
    pub option: String,
    /// Option name.
    pub name: Text,
    /// Cost class, which sets the benchmark payback.
    pub cost: CostClass,
    /// Investment items, 10⁴ CNY.
    pub items: Vec<(Text, f64)>,
    /// Gross investment (Σ items), 10⁴ CNY.
    pub gross_investment: f64,
    /// Subsidy, 10⁴ CNY.
    pub subsidy: f64,
    /// Annual revenue increase, 10⁴ CNY/a (the first part of P).
    pub revenue_increase: f64,
    /// Annual operating-cost reduction, 10⁴ CNY/a (the second part of P).
    pub cost_reduction: f64,
    /// Depreciation period Y, years.
    pub depreciation_period: u32,
    /// Economic life n, years.
    pub life: u32,
    /// Income tax rate t (fraction).
    pub tax_rate: f64,
    /// Discount rate i (fraction), also the benchmark rate for the IRR.
    pub discount_rate: f64,
    /// Replacement costs: what, year of the life, 10⁴ CNY.
    pub replacements: Vec<(Text, u32, f64)>,
    /// The manual's figures: I, P, D, T, tax, E, F (and F after the depreciation period),
    /// F_eq and the flows they give.
    pub uniform: ec::UniformAppraisal,
    /// Where `cash_flows` come from.
    pub flows_from: FlowsFrom,
    /// The flows every indicator below is read from, t = 0..n, 10⁴ CNY.
    pub cash_flows: Vec<f64>,
    /// The uniform annual flow over the life with the present value of `cash_flows[1..]`
    /// (F when the flows are the narrative's uniform ones).
    pub equivalent_annual_cash_flow: f64,
    /// NPV, NPVR, IRR, static and dynamic payback of `cash_flows` at `discount_rate`.
    pub indicators: ec::Indicators,
    /// The manual's interpolated IRR of `cash_flows`, as reports show it.
    pub interpolation: Option<ec::IrrInterpolation>,
    /// The verdict on `indicators`.
    pub assessment: ec::Assessment,
    /// The audit team's decision.
    pub decision: OptionDecision,
}

/// Where an option's flows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowsFrom {
    /// The narrative's annual figures and replacements (`uniform.cash_flows`).
    Narrative,
    /// The cash-flow workbook, year by year.
    Workbook,
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

const FILE: &str = "narratives/05-feasibility.yaml";
const OPTIONS: &str = "narratives/04-options.yaml";

/// Evaluates every analysed option.
pub fn economics(audit: &Audit, d: &mut Diagnostics) -> Vec<OptionEconomics> {
    let s = &audit.meta.settings;
    cost_classes(audit, d);
    let benchmarks = ec::Benchmarks {
        payback_medium: s.payback_medium,
        payback_high: s.payback_high,
        rate: s.discount_rate.value,
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
        let gross: f64 = a.investment.items.iter().map(|i| i.amount.value).sum();
        let input = ec::UniformOption {
            investment: gross,
            subsidies: a.investment.subsidy.value,
            revenue_increase: a.revenue_increase.value,
            operating_cost_reduction: a.cost_reduction.value,
            depreciation_years: a.depreciation_period.value,
            tax_rate: s.tax_rate.value,
            life_years: a.life.value,
            discount_rate: s.discount_rate.value,
            replacements: a
                .replacements
                .iter()
                .map(|r| ec::ReplacementCost {
                    year: r.year.value,
                    amount: r.amount.value,
                })
                .collect(),
        };
        let place = Place::yaml(FILE, &a.option.referenced);
        let uniform = match ec::appraise_uniform(&input) {
            Ok(u) => u,
            Err(e) => {
                d.push(
                    Diagnostic::error("economics::invalid", format!("economics of `{}`: {e}", a.option.value))
                        .at(place)
                        .help("investment items, subsidy and replacements in 10⁴ CNY, the subsidy not above the investment, depreciation period and life 1–100 years, each replacement in a year of the life"),
                );
                continue;
            }
        };
        if (option.investment.value - gross).abs() > 0.005 * gross.max(1.0) {
            d.push(
                Diagnostic::warning("economics::investment-mismatch", format!(
                    "option `{}` is estimated at {} 10⁴ CNY in the options list but its investment items add up to {gross}",
                    option.id.value, option.investment.value
                ))
                .at(Place::yaml(OPTIONS, &option.investment.referenced))
                .related("investment items", Place::yaml(FILE, &a.option.referenced))
                .help("make the estimate in 04-options.yaml equal to the sum of the items in 05-feasibility.yaml"),
            );
        }
        let (flows_from, cash_flows) = match workbook_flows(audit, a, &uniform, d) {
            Some(flows) => (FlowsFrom::Workbook, flows),
            None => (FlowsFrom::Narrative, uniform.cash_flows.clone()),
        };
        let indicators = match ec::appraise_cash_flows(&cash_flows, benchmarks.rate) {
            Ok(x) => x,
            Err(e) => {
                d.push(
                    Diagnostic::error(
                        "economics::invalid",
                        format!("cash flows of `{}`: {e}", a.option.value),
                    )
                    .at(Place::yaml(FILE, &a.option.referenced)),
                );
                continue;
            }
        };
        let interpolation = ec::interpolated_irr_from_flows(&cash_flows).ok().flatten();
        let assessment = ec::assess(&indicators, option.cost, &benchmarks);
        let decision = decision(audit, a, &assessment, d);
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
            revenue_increase: a.revenue_increase.value,
            cost_reduction: a.cost_reduction.value,
            depreciation_period: a.depreciation_period.value,
            life: a.life.value,
            tax_rate: s.tax_rate.value,
            discount_rate: s.discount_rate.value,
            replacements: a
                .replacements
                .iter()
                .map(|r| (r.item.clone(), r.year.value, r.amount.value))
                .collect(),
            uniform,
            flows_from,
            equivalent_annual_cash_flow: ec::equivalent_annual(benchmarks.rate, &cash_flows),
            cash_flows,
            indicators,
            interpolation,
            assessment,
            decision,
        });
    }
    out
}

/// Warns where an option's declared cost class is not the one its estimated investment falls
/// in under `settings.medium_cost_threshold` and `settings.high_cost_threshold`.
fn cost_classes(audit: &Audit, d: &mut Diagnostics) {
    let s = &audit.meta.settings;
    let (medium, high) = (s.medium_cost_threshold, s.high_cost_threshold);
    if CostClass::of_investment(0.0, medium, high).is_none() {
        d.push(
            Diagnostic::error(
                "settings::cost-thresholds",
                format!("cost thresholds medium {medium} and high {high} (10⁴ CNY) are not usable"),
            )
            .at(Place::File {
                path: "audit.yaml".into(),
            })
            .help("give settings.medium_cost_threshold and settings.high_cost_threshold as numbers ≥ 0, the medium one not above the high one (defaults 5 and 200)"),
        );
        return;
    }
    for o in &audit.options.options {
        let Some(by_investment) = CostClass::of_investment(o.investment.value, medium, high) else {
            continue; // a negative investment is reported by check
        };
        if by_investment != o.cost {
            let key = |c: CostClass| {
                serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            d.push(
                Diagnostic::warning(
                    "options::cost-class",
                    format!(
                        "option `{}` is classed `{}` but its investment of {} 10⁴ CNY makes it `{}` (medium from {medium}, high from {high})",
                        o.id.value,
                        key(o.cost),
                        o.investment.value,
                        key(by_investment)
                    ),
                )
                .at(Place::yaml(OPTIONS, &o.investment.referenced))
                .help("correct `cost` or the investment, or set settings.medium_cost_threshold / high_cost_threshold in audit.yaml to your province's or consultancy's thresholds"),
            );
        }
    }
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

/// The option's flows from the cash-flow workbook, years 0..n in order, or `None` when it has
/// none there (or they skip a year, reported). Warns where they disagree with the narrative
/// on the investment or the life.
fn workbook_flows(
    audit: &Audit,
    a: &FeasibilityAnalysis,
    uniform: &ec::UniformAppraisal,
    d: &mut Diagnostics,
) -> Option<Vec<f64>> {
    let option = &a.option.value;
    let mut rows: Vec<&CashFlowRow> = audit
        .tables
        .cash_flows
        .iter()
        .filter(|r| &r.option.value == option)
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
    let years = flows.len() - 1;
    if years != a.life.value as usize {
        d.push(
            Diagnostic::warning(
                "economics::flows-life",
                format!(
                    "the cash flows of `{option}` run {years} years but its life is {} years",
                    a.life.value
                ),
            )
            .at(&rows[years].year.cell)
            .related("life", Place::yaml(FILE, &a.life.referenced))
            .help("give one row per year of the life, or correct `life` in 05-feasibility.yaml"),
        );
    }
    let i = uniform.investment;
    if (flows[0] + i).abs() > 0.005 * i.max(1.0) {
        d.push(
            Diagnostic::warning(
                "economics::flows-investment",
                format!("the year-0 cash flow of `{option}` is {} but its net investment is {i} 10⁴ CNY", flows[0]),
            )
            .at(&rows[0].amount.cell)
            .related("investment", Place::yaml(FILE, &a.option.referenced))
            .help("year 0 is minus the investment net of subsidies; make the two agree"),
        );
    }
    Some(flows)
}

/// One line for `cpaudit check`.
pub fn summary_line(e: &OptionEconomics) -> String {
    let i = &e.indicators;
    let irr = match &i.irr {
        ec::Irr::None => "no IRR".to_string(),
        ec::Irr::Unique(r) => format!("IRR {:.2} %", r * 100.0),
        ec::Irr::Multiple(rs) => format!("IRR ambiguous ({} roots)", rs.len()),
    };
    let payback = match i.static_payback {
        None => "n/a".to_string(),
        Some(ec::Payback { years: None, .. }) => "never".to_string(),
        Some(ec::Payback {
            years: Some(p),
            negative_again,
        }) => format!(
            "{p:.2} a{}",
            if negative_again {
                ", negative again"
            } else {
                ""
            }
        ),
    };
    format!(
        "option {:<6} NPV {:>9.2} 10⁴ CNY  {}  static payback {}  {}",
        e.option,
        i.npv,
        irr,
        payback,
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

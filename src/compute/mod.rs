//! Compute: the loaded audit becomes [`Results`] — every figure the report prints and
//! results.json lists, each with its unit. This module converts units and maps the model
//! onto the pure formulas of [`crate::calc`]; problems in the data (a unit that does not
//! fit, a balance that does not close) become diagnostics that point at the cell or line.

pub mod benchmark;
pub mod benefits;
pub mod compliance;
pub mod cp_level;
pub mod economics;
pub mod hazardous_waste;
pub mod industry;

use crate::calc::{
    self, balance as cb, energy as ce, pollution_load as cl, scoring as cs, water as cw,
};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Every computed figure of an audit.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Three-year status quo, one entry per year, oldest first.
    pub status: Vec<YearStatus>,
    /// Weighted scoring of the candidate focuses.
    pub focus: Scoring,
    /// Material balances of the focus and its unit operations (t per batch).
    pub balance: MaterialBalance,
    /// Pollutant-factor balances of the focus (kg per batch).
    pub components: Vec<cb::ComponentBalance>,
    /// The measured streams reconciled by weighted least squares (t per batch), each with
    /// the standard error of its batch mean as its uncertainty.
    pub reconciliation: Option<crate::calc::reconcile::Reconciliation>,
    /// Plant water balance (m³/d).
    pub water: Option<WaterResult>,
    /// Discharges against their limits.
    pub discharges: Vec<DischargeResult>,
    /// Annual totals against the permitted totals.
    pub permits: Vec<PermitResult>,
    /// Equal-standard pollution load of wastewater.
    pub load_water: Option<cl::PollutionLoad<cl::Water>>,
    /// Equal-standard pollution load of waste gas (never added to the water load).
    pub load_gas: Option<cl::PollutionLoad<cl::Gas>>,
    /// Weighted screening of the options.
    pub screening: Scoring,
    /// Options counted by aspect and cost class.
    pub option_counts: Vec<AspectCount>,
    /// Economics of the medium/high-cost options.
    pub economics: Vec<economics::OptionEconomics>,
    /// Goals with their achievement.
    pub goals: Vec<GoalResult>,
    /// Benefits of the implemented options, summed by cost class.
    pub implemented: ImplementedTotals,
    /// Names of the benefit codes an industry profile declares (as pollutants), by code.
    pub benefit_names: std::collections::BTreeMap<String, Text>,
    /// Mandatory-audit triggers, timeline and notice fields under the chosen profile.
    pub compliance: Option<compliance::ComplianceResult>,
    /// Cleaner production level against the chosen evaluation index system: Y_I, Y_II,
    /// Y_III and the rating; `None` when the audit gives no `evaluation`.
    pub cp_level: Option<cp_level::CpLevel>,
    /// Hazardous waste per year from the status workbook's 危险废物 sheet; `None`
    /// without the sheet.
    pub hazardous_waste: Option<hazardous_waste::HazardousWaste>,
}

/// One year of the status quo.
#[derive(Debug, Clone, Serialize)]
pub struct YearStatus {
    /// Year.
    pub year: i32,
    /// Output of the main product, in its unit.
    pub output: Option<f64>,
    /// Unit of the main product.
    pub output_unit: String,
    /// Output value of all products, 10⁴ CNY.
    pub output_value: Option<f64>,
    /// Comprehensive energy consumption.
    pub energy: Option<ce::ComprehensiveEnergy>,
    /// Fresh water intake, m³ (t).
    pub water_intake: Option<f64>,
    /// Energy per 100 m of product, kgce (when the product is counted in 10⁴ m).
    pub energy_per_100m: Option<f64>,
    /// Fresh water per 100 m of product, t.
    pub water_per_100m: Option<f64>,
    /// Energy per unit product, tce per output unit.
    pub energy_per_unit: Option<f64>,
    /// Fresh water per unit product, m³ per output unit.
    pub water_per_unit: Option<f64>,
    /// Fresh water per 10⁴ CNY output value, m³.
    pub water_per_10k_cny: Option<f64>,
}

/// A weighted-sum scoring table.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Scoring {
    /// Factors and weights.
    pub factors: Vec<ScoringFactor>,
    /// Candidates with their weighted scores, in input order.
    pub rows: Vec<ScoredRow>,
    /// Largest possible total (every score at its maximum).
    pub max_total: f64,
}

/// A factor of a scoring table.
#[derive(Debug, Clone, Serialize)]
pub struct ScoringFactor {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Weight.
    pub weight: f64,
}

/// A candidate's row of a scoring table.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Score R per factor, in factor order.
    pub scores: Vec<f64>,
    /// Σ R·W.
    pub total: f64,
    /// Rank (1 = highest); ties share a rank.
    pub rank: usize,
}

/// The material balances.
#[derive(Debug, Clone, Serialize, Default)]
pub struct MaterialBalance {
    /// Unit of every quantity (`t`, per batch).
    pub unit: String,
    /// Number of batches measured.
    pub batches: usize,
    /// One balance per unit operation, in the order of 03-assessment.yaml.
    pub units: Vec<UnitBalance>,
    /// The focus as a whole.
    pub focus: Option<cb::Balance>,
    /// Stream names by id.
    pub stream_names: BTreeMap<String, Text>,
}

/// Balance of one unit operation.
#[derive(Debug, Clone, Serialize)]
pub struct UnitBalance {
    /// Unit-operation id.
    pub id: String,
    /// Its name.
    pub name: Text,
    /// The balance.
    pub balance: cb::Balance,
}

/// The water balance result.
#[derive(Debug, Clone, Serialize)]
pub struct WaterResult {
    /// Unit of the quantities.
    pub unit: String,
    /// One per user.
    pub users: Vec<WaterUserResult>,
    /// Plant totals and indices.
    pub plant: cw::WaterBalance,
}

/// One water user.
#[derive(Debug, Clone, Serialize)]
pub struct WaterUserResult {
    /// Name.
    pub name: Text,
    /// Type of use.
    pub kind: WaterUse,
    /// Its balance.
    pub balance: cw::WaterUserBalance,
}

/// A discharge compared with its limit.
#[derive(Debug, Clone, Serialize)]
pub struct DischargeResult {
    /// Medium.
    pub medium: Medium,
    /// Outlet id.
    pub source: String,
    /// Outlet name.
    pub source_name: Text,
    /// Pollutant code.
    pub pollutant: String,
    /// The pollutant's name, when the industry profile declares its code.
    pub pollutant_name: Option<Text>,
    /// Concentration.
    pub concentration: f64,
    /// Its unit.
    pub concentration_unit: String,
    /// Standard limit.
    pub limit: f64,
    /// The standard.
    pub standard: String,
    /// The concentration judged / limit: the benchmark-water concentration when it is
    /// converted, else the measured one.
    pub ratio: Option<f64>,
    /// Whether the limit is exceeded (by the concentration judged).
    pub exceeds: bool,
    /// By how much, as a fraction of the limit (0.25 = 25 % over); none when within.
    pub excess: Option<f64>,
    /// The benchmark-water conversion (基准水量排放浓度), when the row's standard and table
    /// have a benchmark drainage and the data to compute it is there.
    pub benchmark: Option<benchmark::BenchmarkWater>,
    /// Annual flow of the medium, in its unit.
    pub flow: f64,
    /// Unit of the flow.
    pub flow_unit: String,
    /// Annual discharge, t/a (none for colour and other non-mass units).
    pub annual_t: Option<f64>,
    /// Discharge mode.
    pub mode: Text,
}

/// An annual total compared with the permitted total.
#[derive(Debug, Clone, Serialize)]
pub struct PermitResult {
    /// Pollutant code.
    pub pollutant: String,
    /// Annual discharge, t/a (all outlets).
    pub annual_t: f64,
    /// Permitted, t/a.
    pub permitted_t: f64,
    /// annual / permitted.
    pub ratio: Option<f64>,
    /// Whether the permitted total is exceeded.
    pub exceeds: bool,
    /// By how much, as a fraction of the permitted total; none when within.
    pub excess: Option<f64>,
}

/// Options of one aspect, by cost class.
#[derive(Debug, Clone, Serialize)]
pub struct AspectCount {
    /// Aspect.
    pub aspect: Aspect,
    /// No/low-cost options.
    pub no_low: usize,
    /// Medium/high-cost options.
    pub medium_high: usize,
    /// Investment of all its options, 10⁴ CNY.
    pub investment: f64,
}

/// A goal with its achievement.
#[derive(Debug, Clone, Serialize)]
pub struct GoalResult {
    /// Id.
    pub id: String,
    /// Indicator.
    pub indicator: Text,
    /// Unit.
    pub unit: String,
    /// Baseline.
    pub baseline: f64,
    /// Near-term target.
    pub near_term: f64,
    /// Medium/long-term target.
    pub long_term: f64,
    /// Targeted change relative to the baseline (near term), as a fraction.
    pub near_term_change: Option<f64>,
    /// Value after implementation.
    pub achieved: Option<f64>,
    /// Achieved change relative to the baseline.
    pub achieved_change: Option<f64>,
    /// Whether the near-term target is met.
    pub met: Option<bool>,
}

pub use benefits::{BenefitSums, ImplementedTotals, QuantitySum};

/// Computes every figure; diagnostics for data that does not fit.
pub fn compute(audit: &Audit) -> (Results, Diagnostics) {
    let mut d = Diagnostics::default();
    let status = status(audit, &mut d);
    let discharges = discharges(audit, &mut d);
    let permits = permits(audit);
    let compliance = compliance::compliance(audit, &status, &discharges, &permits);
    // The measured streams in tonnes, converted once for the balance, the reconciliation
    // and the pollutant-factor balances.
    let streams = calc_streams(audit);
    let results = Results {
        status,
        focus: focus_scoring(audit, &mut d),
        balance: material_balance(audit, &streams, &mut d),
        components: component_balances(audit, &mut d),
        reconciliation: reconciliation(audit, &streams, &mut d),
        water: water(audit, &mut d),
        discharges,
        permits,
        load_water: load::<cl::Water>(audit, Medium::Wastewater, &mut d),
        load_gas: load::<cl::Gas>(audit, Medium::WasteGas, &mut d),
        screening: screening(audit, &mut d),
        option_counts: option_counts(audit),
        economics: economics::economics(audit, &mut d),
        goals: goals(audit),
        implemented: benefits::implemented(audit),
        benefit_names: benefits::names(audit),
        compliance,
        cp_level: cp_level::cp_level(audit, &mut d),
        hazardous_waste: hazardous_waste::hazardous_waste(audit),
    };
    (results, d)
}

/// A quantity in the unit `to`; `check/units.rs` has made sure that it converts.
fn convert(value: &At<f64>, unit: &At<String>, to: &str) -> Option<f64> {
    calc::units::convert(value.value, &unit.value, to).ok()
}

// ------------------------------------------------------------------ status

fn status(audit: &Audit, d: &mut Diagnostics) -> Vec<YearStatus> {
    let t = &audit.tables;
    let main = audit.meta.enterprise.products.first();
    let mut years: Vec<i32> = t
        .output
        .iter()
        .map(|r| r.year.value)
        .chain(t.energy.iter().map(|r| r.year.value))
        .chain(t.water_intake.iter().map(|r| r.year.value))
        .collect();
    years.sort_unstable();
    years.dedup();
    let basis = match audit.meta.settings.electricity_basis {
        ElectricityBasis::Equivalent => ce::ElectricityBasis::Equivalent,
        ElectricityBasis::Primary => ce::ElectricityBasis::Primary {
            kgce_per_kwh: audit.meta.settings.electricity_primary,
        },
    };
    years
        .into_iter()
        .map(|year| {
            let rows = t.output.iter().filter(|r| r.year.value == year);
            let main_rows: Vec<&OutputRow> = rows
                .clone()
                .filter(|r| main.is_some_and(|p| p.id.value == r.product.value))
                .collect();
            let output = (!main_rows.is_empty())
                .then(|| main_rows.iter().map(|r| r.quantity.value).sum::<f64>());
            let output_unit = main.map(|p| p.unit.clone()).unwrap_or_default();
            let values: Vec<f64> = rows
                .filter_map(|r| r.value.as_ref().map(|v| v.value))
                .collect();
            let output_value = (!values.is_empty()).then(|| values.iter().sum());
            let uses: Vec<ce::EnergyUse> = t
                .energy
                .iter()
                .filter(|r| r.year.value == year)
                .map(|r| ce::EnergyUse {
                    carrier: r.carrier.value.clone(),
                    quantity: r.quantity.value,
                    unit: r.unit.value.clone(),
                    coefficient: None,
                })
                .collect();
            let energy = if uses.is_empty() {
                None
            } else {
                match ce::comprehensive_energy(&uses, basis) {
                    Ok(e) => Some(e),
                    Err(e) => {
                        let cell = t
                            .energy
                            .iter()
                            .find(|r| r.year.value == year)
                            .map(|r| r.carrier.cell.clone());
                        let mut diag = Diagnostic::error(
                            "energy::convert",
                            format!("energy of {year} cannot be converted to standard coal: {e}"),
                        )
                        .help(format!(
                            "the carriers known are {}; give each quantity in the carrier's unit",
                            ce::COEFFICIENTS
                                .iter()
                                .map(|c| c.id)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                        if let Some(c) = cell {
                            diag = diag.at(&c);
                        }
                        d.push(diag);
                        None
                    }
                }
            };
            let water_intake: Option<f64> = {
                let rows: Vec<f64> = t
                    .water_intake
                    .iter()
                    .filter(|r| r.year.value == year)
                    .filter_map(water_volume)
                    .collect();
                (!rows.is_empty()).then(|| rows.iter().sum())
            };
            let hundred_m = output.and_then(|o| hundred_metres(o, &output_unit));
            let tce = energy.as_ref().map(|e| e.total_tce);
            YearStatus {
                year,
                output,
                output_unit,
                output_value,
                energy_per_100m: tce
                    .zip(hundred_m)
                    .and_then(|(e, h)| calc::ratio(e * 1000.0, h)),
                water_per_100m: water_intake
                    .zip(hundred_m)
                    .and_then(|(w, h)| calc::ratio(w, h)),
                energy_per_unit: tce.zip(output).and_then(|(e, o)| calc::ratio(e, o)),
                water_per_unit: water_intake
                    .zip(output)
                    .and_then(|(w, o)| calc::ratio(w, o)),
                water_per_10k_cny: water_intake
                    .zip(output_value)
                    .and_then(|(w, v)| calc::ratio(w, v)),
                energy,
                water_intake,
            }
        })
        .collect()
}

/// Water intake in m³; a tonne of water is taken as a cubic metre.
fn water_volume(r: &WaterIntakeRow) -> Option<f64> {
    if let Ok(v) = calc::units::convert(r.quantity.value, &r.unit.value, "t") {
        return Some(v);
    }
    convert(&r.quantity, &r.unit, "m³")
}

/// Output in units of 100 m, when the product is counted in metres.
fn hundred_metres(output: f64, unit: &str) -> Option<f64> {
    let u: String = unit.chars().filter(|c| !c.is_whitespace()).collect();
    match u.as_str() {
        "万米" | "万m" | "10⁴m" | "10^4m" => Some(output * 100.0),
        "米" | "m" => Some(output / 100.0),
        "百米" | "100m" => Some(output),
        _ => None,
    }
}

// ----------------------------------------------------------------- scoring

fn scoring(
    factors: &[Factor],
    defaults: &[cs::Factor],
    candidates: Vec<(String, Text, BTreeMap<String, f64>)>,
    what: &str,
    file: &str,
    d: &mut Diagnostics,
) -> Scoring {
    let factors: Vec<cs::Factor> = if factors.is_empty() {
        defaults.to_vec()
    } else {
        factors
            .iter()
            .map(|f| cs::Factor {
                id: f.id.clone().into(),
                name_zh: f.name.zh.clone().into(),
                name_en: f.name.en.clone().into(),
                weight: f.weight.value,
            })
            .collect()
    };
    let calc_candidates: Vec<cs::Candidate> = candidates
        .iter()
        .map(|(id, _, scores)| cs::Candidate {
            id: id.clone(),
            scores: scores.clone(),
        })
        .collect();
    let rules = cs::ScoringRules {
        weight_min: 0.0,
        weight_max: 10.0,
        score_min: 0.0,
        score_max: 10.0,
    };
    let scored = match cs::score(&factors, &calc_candidates, &rules) {
        Ok(s) => s,
        Err(issues) => {
            for i in issues {
                d.push(
                    Diagnostic::error("scoring::invalid", format!("{what} scoring: {i}"))
                        .at(Place::File { path: file.into() })
                        .help(
                            "every candidate scores every factor, weights and scores from 1 to 10",
                        ),
                );
            }
            return Scoring::default();
        }
    };
    Scoring {
        max_total: cs::max_total(&factors, &cs::MANUAL_RULES),
        factors: factors
            .iter()
            .map(|f| ScoringFactor {
                id: f.id.to_string(),
                name: Text {
                    zh: f.name_zh.to_string(),
                    en: f.name_en.to_string(),
                },
                weight: f.weight,
            })
            .collect(),
        rows: candidates
            .iter()
            .filter_map(|(id, name, _)| {
                let s = scored.iter().find(|s| &s.id == id)?;
                Some(ScoredRow {
                    id: id.clone(),
                    name: name.clone(),
                    scores: s.weighted.iter().map(|w| w.score).collect(),
                    total: s.total,
                    rank: s.rank,
                })
            })
            .collect(),
    }
}

fn focus_scoring(audit: &Audit, d: &mut Diagnostics) -> Scoring {
    let f = &audit.pre_assessment.focus;
    let cands = f
        .candidates
        .iter()
        .map(|c| {
            (
                c.id.value.clone(),
                c.name.clone(),
                c.scores.iter().map(|(k, v)| (k.clone(), v.value)).collect(),
            )
        })
        .collect();
    scoring(
        &f.factors,
        cs::FOCUS_FACTORS,
        cands,
        "focus",
        "narratives/02-pre-assessment.yaml",
        d,
    )
}

fn screening(audit: &Audit, d: &mut Diagnostics) -> Scoring {
    let o = &audit.options;
    let cands = o
        .options
        .iter()
        .filter(|x| !x.screening.is_empty())
        .map(|x| {
            (
                x.id.value.clone(),
                x.name.clone(),
                x.screening
                    .iter()
                    .map(|(k, v)| (k.clone(), v.value))
                    .collect(),
            )
        })
        .collect();
    scoring(
        &o.screening_factors,
        cs::OPTION_FACTORS,
        cands,
        "option",
        "narratives/04-options.yaml",
        d,
    )
}

// ----------------------------------------------------------------- balance

/// The measured streams in tonnes per batch.
fn calc_streams(audit: &Audit) -> Vec<cb::Stream> {
    audit
        .tables
        .streams
        .iter()
        .filter_map(|s| {
            let measurements: Option<Vec<f64>> =
                s.batches.iter().map(|b| convert(b, &s.unit, "t")).collect();
            Some(cb::Stream {
                id: s.id.value.clone(),
                from: s.from.as_ref().map(|f| f.value.clone()),
                to: s.to.as_ref().map(|t| t.value.clone()),
                kind: s.kind.value,
                measurements: measurements?,
            })
        })
        .collect()
}

fn material_balance(audit: &Audit, streams: &[cb::Stream], d: &mut Diagnostics) -> MaterialBalance {
    if streams.is_empty() {
        return MaterialBalance {
            unit: "t".into(),
            ..Default::default()
        };
    }
    let tolerance = audit.meta.settings.balance_tolerance;
    let batches = streams
        .iter()
        .map(|s| s.measurements.len())
        .max()
        .unwrap_or(0);
    let names = |id: &str| {
        audit
            .assessment
            .unit_operations
            .iter()
            .find(|u| u.id.value == id)
            .map(|u| u.name.clone())
    };
    let mut units = Vec::new();
    for u in &audit.assessment.unit_operations {
        match cb::unit_balance(streams, &u.id.value, tolerance) {
            Ok(b) => {
                units.push(UnitBalance {
                    id: u.id.value.clone(),
                    name: names(&u.id.value).unwrap_or_default(),
                    balance: b,
                });
            }
            Err(e) => d.push(
                Diagnostic::error(
                    "balance::invalid",
                    format!("balance of `{}`: {e}", u.id.value),
                )
                .at(Place::yaml(
                    "narratives/03-assessment.yaml",
                    &u.id.referenced,
                )),
            ),
        }
    }
    let focus = match cb::focus_balance(streams, tolerance) {
        Ok(b) => Some(b),
        Err(e) => {
            d.push(Diagnostic::error(
                "balance::invalid",
                format!("balance of the focus: {e}"),
            ));
            None
        }
    };
    MaterialBalance {
        unit: "t".into(),
        batches,
        units,
        focus,
        stream_names: audit
            .tables
            .streams
            .iter()
            .map(|s| (s.id.value.clone(), s.name.clone()))
            .collect(),
    }
}

/// Reconciles the measured streams: each stream's value is its batch mean, its standard
/// deviation the standard error of that mean (a stream measured identically in every
/// batch, or once, is taken as exact).
fn reconciliation(
    audit: &Audit,
    streams: &[cb::Stream],
    d: &mut Diagnostics,
) -> Option<crate::calc::reconcile::Reconciliation> {
    use crate::calc::reconcile as cr;
    if streams.is_empty() {
        return None;
    }
    let flows: Vec<cr::Flow> = streams
        .iter()
        .map(|s| {
            let (mean, sigma) = cr::batch_estimate(&s.measurements);
            cr::Flow {
                id: s.id.clone(),
                from: s.from.clone(),
                to: s.to.clone(),
                value: Some(mean),
                sigma,
            }
        })
        .collect();
    let processes: Vec<String> = audit
        .assessment
        .unit_operations
        .iter()
        .map(|u| u.id.value.clone())
        .collect();
    match cr::reconcile(&processes, &flows, cr::DEFAULT_ALPHA) {
        Ok(r) => Some(r),
        Err(e) => {
            d.push(Diagnostic::warning(
                "balance::reconcile",
                format!("the measured streams could not be reconciled: {e}"),
            ));
            None
        }
    }
}

fn component_balances(audit: &Audit, d: &mut Diagnostics) -> Vec<cb::ComponentBalance> {
    let mut by_component: BTreeMap<&str, Vec<cb::ComponentStream>> = BTreeMap::new();
    for c in &audit.tables.components {
        let Some(s) = audit
            .tables
            .streams
            .iter()
            .find(|s| s.id.value == c.stream.value)
        else {
            continue;
        };
        let mean = s.batches.iter().map(|b| b.value).sum::<f64>() / s.batches.len().max(1) as f64;
        // Water streams are measured in tonnes; one tonne of water is one cubic metre.
        let Some(tonnes) = convert(
            &At {
                value: mean,
                cell: s.unit.cell.clone(),
            },
            &s.unit,
            "t",
        ) else {
            continue;
        };
        // A mass fraction (kg/t, mg/kg, wt%: a dye's COD equivalent, urea's nitrogen) goes
        // with the stream's mass, a concentration (mg/L) with its volume.
        let by_mass = crate::calc::units::parse_unit(&c.unit.value)
            .is_ok_and(|u| u.dimension.quantity == crate::calc::units::Quantity::MassFraction);
        by_component
            .entry(c.component.value.as_str())
            .or_default()
            .push(cb::ComponentStream {
                id: s.id.value.clone(),
                from: s.from.as_ref().map(|x| x.value.clone()),
                to: s.to.as_ref().map(|x| x.value.clone()),
                kind: s.kind.value,
                amount: cb::ComponentAmount::Concentration {
                    concentration: c.concentration.value,
                    concentration_unit: c.unit.value.clone(),
                    flow: tonnes,
                    flow_unit: if by_mass { "t" } else { "m³" }.into(),
                },
            });
    }
    let tolerance = audit.meta.settings.balance_tolerance;
    by_component
        .into_iter()
        .filter_map(|(component, streams)| {
            match cb::component_focus_balance(component, &streams, tolerance) {
                Ok(b) => Some(b),
                Err(e) => {
                    let cell = audit
                        .tables
                        .components
                        .iter()
                        .find(|c| c.component.value == component)
                        .map(|c| c.unit.cell.clone());
                    let mut diag = Diagnostic::error(
                        "balance::component",
                        format!("pollutant-factor balance of {component}: {e}"),
                    );
                    if let Some(c) = cell {
                        diag = diag.at(&c);
                    }
                    d.push(diag);
                    None
                }
            }
        })
        .collect()
}

// ------------------------------------------------------------------- water

fn water(audit: &Audit, d: &mut Diagnostics) -> Option<WaterResult> {
    let rows = &audit.tables.water_users;
    if rows.is_empty() {
        return None;
    }
    const UNIT: &str = "m³/d";
    let mut users = Vec::new();
    let mut calc_users = Vec::new();
    let (mut cool_r, mut cool_f, mut proc_r, mut proc_f, mut cond_r, mut cond_c) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for r in rows {
        let conv = |v: &At<f64>| convert(v, &r.unit, UNIT);
        let (Some(new_water), Some(reused), Some(consumption), Some(discharge), Some(leakage)) = (
            conv(&r.new_water),
            conv(&r.reused),
            conv(&r.consumed),
            conv(&r.discharged),
            conv(&r.leakage),
        ) else {
            continue;
        };
        match r.kind.value {
            WaterUse::Cooling => (cool_r, cool_f) = (cool_r + reused, cool_f + new_water),
            WaterUse::Process => (proc_r, proc_f) = (proc_r + reused, proc_f + new_water),
            WaterUse::Boiler => (cond_r, cond_c) = (cond_r + reused, cond_c + consumption),
            _ => {}
        }
        let user = cw::WaterUser {
            id: r.id.value.clone(),
            new_water,
            reused,
            consumption,
            discharge,
            leakage,
        };
        match cw::water_user_balance(&user) {
            Ok(b) => {
                users.push(WaterUserResult {
                    name: r.name.clone(),
                    kind: r.kind.value,
                    balance: b,
                });
                calc_users.push(user);
            }
            Err(e) => d.push(
                Diagnostic::error(
                    "water::invalid",
                    format!("water user `{}`: {e}", r.id.value),
                )
                .at(&r.id.cell),
            ),
        }
    }
    let baseline = audit.meta.audit.baseline_year.value;
    let status = status_year(audit, baseline);
    let days = audit
        .meta
        .enterprise
        .working_days
        .map(f64::from)
        .unwrap_or(365.0);
    let inputs = cw::WaterInputs {
        users: calc_users,
        cooling: (cool_r + cool_f > 0.0).then_some(cw::CoolingWater {
            recirculated: cool_r,
            make_up: cool_f,
        }),
        process: (proc_r + proc_f > 0.0).then_some(cw::ProcessWater {
            reused: proc_r,
            new_water: proc_f,
        }),
        // r_b = V_br / (D·h/ρ). The steam raised is the boiler feed less blowdown and
        // leaks; in the boiler house's balance (V_f = V_co + V_d + V_l, feed V_f + V_br)
        // that is the condensate returned plus the steam consumed and not returned.
        condensate: (cond_r + cond_c > 0.0).then_some(cw::Condensate {
            returned: cond_r,
            steam_output_kg_per_h: (cond_r + cond_c) * 1000.0 / 24.0,
            operating_hours: 24.0,
            density_kg_per_m3: 1000.0,
        }),
        wastewater_reused: None,
        product_output: status.and_then(|(o, _)| o).map(|o| o / days),
        output_value: status.and_then(|(_, v)| v).map(|v| v / days),
        domestic: None,
    };
    match cw::water_balance(&inputs) {
        Ok(plant) => Some(WaterResult {
            unit: UNIT.into(),
            users,
            plant,
        }),
        Err(e) => {
            d.push(Diagnostic::error(
                "water::invalid",
                format!("plant water balance: {e}"),
            ));
            None
        }
    }
}

/// Output and output value of a year, from the status workbook.
fn status_year(audit: &Audit, year: i32) -> Option<(Option<f64>, Option<f64>)> {
    let main = audit.meta.enterprise.products.first()?;
    let rows: Vec<&OutputRow> = audit
        .tables
        .output
        .iter()
        .filter(|r| r.year.value == year)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let output = rows
        .iter()
        .filter(|r| r.product.value == main.id.value)
        .map(|r| r.quantity.value)
        .sum();
    let values: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.value.as_ref().map(|v| v.value))
        .collect();
    Some((
        Some(output),
        (!values.is_empty()).then(|| values.iter().sum()),
    ))
}

// --------------------------------------------------------------- emissions

fn annual_tonnes(r: &DischargeRow) -> Option<f64> {
    // mg/L × m³ = g; mg/m³ × m³ = mg.
    let c = calc::units::parse_unit(&r.concentration_unit.value).ok()?;
    let q = calc::units::parse_unit(&r.flow_unit.value).ok()?;
    let conc_kg_per_m3 =
        calc::units::convert(r.concentration.value, &r.concentration_unit.value, "mg/L").ok()?
            / 1000.0;
    let _ = (c, q);
    let volume_m3_per_a = calc::units::convert(r.flow.value, &r.flow_unit.value, "m³/a").ok()?;
    Some(conc_kg_per_m3 * volume_m3_per_a / 1000.0)
}

fn discharges(audit: &Audit, d: &mut Diagnostics) -> Vec<DischargeResult> {
    let conversions = benchmark::conversions(audit, d);
    audit
        .tables
        .discharges
        .iter()
        .zip(conversions)
        .map(|(r, benchmark)| {
            // The standards judge the benchmark-water concentration (ρ基), which is the
            // measured one unless the drainage ratio is above 1.
            let judged = benchmark
                .as_ref()
                .map_or(r.concentration.value, |b| b.concentration);
            let ratio = calc::ratio(judged, r.limit.value);
            DischargeResult {
                medium: r.medium,
                source: r.source.value.clone(),
                source_name: r.source_name.clone(),
                pollutant: r.pollutant.value.clone(),
                pollutant_name: industry::pollutant_name(audit, r.medium, &r.pollutant.value),
                concentration: r.concentration.value,
                concentration_unit: r.concentration_unit.value.clone(),
                limit: r.limit.value,
                standard: r.standard.value.clone(),
                ratio,
                exceeds: judged > r.limit.value,
                excess: ratio.filter(|x| *x > 1.0).map(|x| x - 1.0),
                benchmark,
                flow: r.flow.value,
                flow_unit: r.flow_unit.value.clone(),
                annual_t: annual_tonnes(r),
                mode: r.mode.clone(),
            }
        })
        .collect()
}

fn permits(audit: &Audit) -> Vec<PermitResult> {
    audit
        .tables
        .permits
        .iter()
        .map(|p| {
            let annual: f64 = audit
                .tables
                .discharges
                .iter()
                .filter(|r| r.pollutant.value == p.pollutant.value)
                .filter_map(annual_tonnes)
                .sum();
            PermitResult {
                pollutant: p.pollutant.value.clone(),
                annual_t: annual,
                permitted_t: p.total.value,
                ratio: calc::ratio(annual, p.total.value),
                exceeds: annual > p.total.value,
                excess: calc::ratio(annual, p.total.value)
                    .filter(|x| *x > 1.0)
                    .map(|x| x - 1.0),
            }
        })
        .collect()
}

fn load<M: cl::Medium>(
    audit: &Audit,
    medium: Medium,
    d: &mut Diagnostics,
) -> Option<cl::PollutionLoad<M>> {
    let rows: Vec<&DischargeRow> = audit
        .tables
        .discharges
        .iter()
        .filter(|r| r.medium == medium)
        // Equal-standard load needs a concentration standard; colour (dilution ratio) and
        // pH have none that dilutes linearly.
        .filter(|r| {
            calc::units::parse_unit(&r.concentration_unit.value).is_ok() && r.limit.value > 0.0
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut standards: Vec<cl::PollutantStandard> = Vec::new();
    for r in &rows {
        if !standards.iter().any(|s| s.pollutant == r.pollutant.value) {
            standards.push(cl::PollutantStandard {
                pollutant: r.pollutant.value.clone(),
                c0: r.limit.value,
            });
        }
    }
    let emissions: Vec<cl::SourceEmission> = rows
        .iter()
        .filter_map(|r| {
            // Nm³ of gas and m³ of water both convert as volumes per year.
            let flow = calc::units::convert(r.flow.value, &r.flow_unit.value, "m³/a").ok()?;
            Some(cl::SourceEmission {
                source: r.source.value.clone(),
                pollutant: r.pollutant.value.clone(),
                emission: cl::Emission::Concentration {
                    concentration: r.concentration.value,
                    flow,
                },
                // Each outlet is weighed against its own standard's limit.
                c0: Some(r.limit.value),
            })
        })
        .collect();
    match cl::pollution_load::<M>(&standards, &emissions) {
        Ok(l) => Some(l),
        Err(e) => {
            d.push(Diagnostic::error(
                "load::invalid",
                format!("equal-standard pollution load: {e}"),
            ));
            None
        }
    }
}

// ----------------------------------------------------------------- options

fn option_counts(audit: &Audit) -> Vec<AspectCount> {
    Aspect::ALL
        .iter()
        .map(|a| {
            let of: Vec<&CpOption> = audit
                .options
                .options
                .iter()
                .filter(|o| o.category == *a)
                .collect();
            AspectCount {
                aspect: *a,
                no_low: of.iter().filter(|o| !o.cost.is_medium_high()).count(),
                medium_high: of.iter().filter(|o| o.cost.is_medium_high()).count(),
                investment: of.iter().map(|o| o.investment.value).sum(),
            }
        })
        .collect()
}

fn goals(audit: &Audit) -> Vec<GoalResult> {
    audit
        .pre_assessment
        .goals
        .iter()
        .map(|g| {
            let achieved = audit
                .implementation
                .goal_results
                .get(&g.id.value)
                .map(|v| v.value);
            let change = |x: f64| calc::ratio(x - g.baseline.value, g.baseline.value);
            let met = achieved.map(|a| {
                if g.lower_is_better {
                    a <= g.near_term.value
                } else {
                    a >= g.near_term.value
                }
            });
            GoalResult {
                id: g.id.value.clone(),
                indicator: g.indicator.clone(),
                unit: g.unit.clone(),
                baseline: g.baseline.value,
                near_term: g.near_term.value,
                long_term: g.long_term.value,
                near_term_change: change(g.near_term.value),
                achieved,
                achieved_change: achieved.and_then(change),
                met,
            }
        })
        .collect()
}

// ------------------------------------------------------------------ output

/// The template context: the audit as written and the results.
pub fn context(audit: &Audit, results: &Results) -> serde_json::Value {
    serde_json::json!({
        "audit": audit_json(audit),
        "r": results,
        "version": env!("CARGO_PKG_VERSION"),
        // What the templates' `pollutant(code)` prints for each typed code.
        "pollutant_names": industry::pollutant_names(audit),
    })
}

fn audit_json(audit: &Audit) -> serde_json::Value {
    serde_json::json!({
        "meta": audit.meta,
        "preparation": audit.preparation,
        "pre_assessment": audit.pre_assessment,
        "assessment": audit.assessment,
        "options": audit.options,
        "feasibility": audit.feasibility,
        "implementation": audit.implementation,
        "continuous": audit.continuous,
        "tables": audit.tables,
        "evidence_files": audit.evidence_files,
    })
}

/// results.json: every computed figure with its unit, and the inputs it came from.
pub fn results_json(audit: &Audit, results: &Results) -> serde_json::Value {
    serde_json::json!({
        "cpaudit": env!("CARGO_PKG_VERSION"),
        "audit": audit.meta.id,
        "units": {
            "balance": "t per batch",
            "water": "m³/d",
            "energy": "tce/a",
            "money": "10⁴ CNY",
            "load_water": "m³/a",
            "load_gas": "Nm³/a",
            "rates": "fraction (0.05 = 5 %)",
        },
        "settings": audit.meta.settings,
        "results": results,
        "inputs": { "tables": audit.tables },
    })
}

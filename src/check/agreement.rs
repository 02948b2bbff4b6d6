//! Agreement, over the computed results: figures the audit states in two places say the
//! same thing. The reductions the options claim, expected (04-options.yaml) or verified
//! (06-implementation.yaml), cannot exceed what the plant discharged or used in the
//! baseline year by the workbooks; a goal that names the kind it measures (`reduces`)
//! states the baseline the workbooks give, and its achieved change agrees with the
//! verified benefits of that kind, measured against the same baseline.

use super::{IMPL, OPTIONS, PRE};
use crate::compute::Results;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The reductions against the baseline, then the goals against the verified benefits.
pub(super) fn check(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    for kind in BenefitKind::ALL {
        let Some(base) = baseline(audit, r, kind) else {
            continue;
        };
        let expected: Vec<Claim> = audit
            .options
            .options
            .iter()
            .filter(|o| o.status != OptionStatus::Rejected)
            .filter_map(|o| claim(&o.id.value, &o.benefits, kind, OPTIONS))
            .collect();
        exceeds(&expected, "expected", kind, &base, d);
        let verified = verified(audit, kind);
        exceeds(&verified, "verified", kind, &base, d);
    }
    goal_baselines(audit, r, d);
    goals(audit, r, d);
}

/// What the plant discharged or used of one kind in the baseline year, by the workbooks.
struct Baseline {
    amount: f64,
    /// For a pollutant, the volume of wastewater it is carried in, m³/a.
    volume: Option<f64>,
    /// What it is, for the message: "the NH3-N discharged at the wastewater outlets in 2025".
    what: String,
    /// The cell that states it (the first, when several add up to it).
    place: Place,
}

/// One option's claim of one kind of benefit.
struct Claim {
    option: String,
    amount: f64,
    place: Place,
}

fn claim(option: &str, b: &Benefits, kind: BenefitKind, file: &str) -> Option<Claim> {
    let v = b.get(kind)?;
    (v.value > 0.0).then(|| Claim {
        option: option.to_string(),
        amount: v.value,
        place: Place::yaml(file, &v.referenced),
    })
}

fn verified(audit: &Audit, kind: BenefitKind) -> Vec<Claim> {
    audit
        .implementation
        .results
        .iter()
        .filter_map(|x| claim(&x.option.value, &x.benefits, kind, IMPL))
        .collect()
}

/// Whether a typed pollutant code is COD or ammonia nitrogen, by its code or by the code
/// the industry profile declares for it.
fn is_pollutant(audit: &Audit, typed: &str, kind: BenefitKind) -> bool {
    let codes = kind.pollutant_codes();
    if codes.is_empty() {
        return false;
    }
    let declared = audit
        .industry
        .as_ref()
        .and_then(|p| p.pollutant(Medium::Wastewater, typed))
        .map(|p| normalise_code(&p.code.value));
    std::iter::once(normalise_code(typed))
        .chain(declared)
        .any(|c| codes.contains(&c.as_str()))
}

fn baseline(audit: &Audit, r: &Results, kind: BenefitKind) -> Option<Baseline> {
    let year = audit.meta.audit.baseline_year.value;
    let t = &audit.tables;
    match kind {
        BenefitKind::Cod | BenefitKind::Ammonia => {
            // The rows of the emissions workbook and their computed annual amounts.
            let rows: Vec<(&DischargeRow, f64)> = t
                .discharges
                .iter()
                .zip(&r.discharges)
                .filter(|(row, _)| row.medium == Medium::Wastewater)
                .filter(|(row, _)| is_pollutant(audit, &row.pollutant.value, kind))
                .filter_map(|(row, x)| Some((row, x.annual_t?)))
                .collect();
            let (first, _) = rows.first()?;
            let mut volume = 0.0;
            for (row, _) in &rows {
                volume += crate::calc::units::convert(row.flow.value, &row.flow_unit.value, "m³/a")
                    .ok()?;
            }
            Some(Baseline {
                amount: rows.iter().map(|(_, a)| a).sum(),
                volume: Some(volume),
                what: format!(
                    "the {} discharged at the wastewater outlets in the emissions workbook",
                    first.pollutant.value
                ),
                place: (&first.concentration.cell).into(),
            })
        }
        BenefitKind::Wastewater => {
            // Each outlet once: its flow is repeated on every pollutant's row.
            let mut seen: Vec<&str> = Vec::new();
            let mut amount = 0.0;
            let mut place = None;
            for row in t
                .discharges
                .iter()
                .filter(|x| x.medium == Medium::Wastewater)
            {
                if seen.contains(&row.source.value.as_str()) {
                    continue;
                }
                seen.push(&row.source.value);
                amount += crate::calc::units::convert(row.flow.value, &row.flow_unit.value, "m³/a")
                    .ok()?;
                place.get_or_insert_with(|| Place::from(&row.flow.cell));
            }
            Some(Baseline {
                amount,
                volume: None,
                what: "the wastewater discharged at the outlets of the emissions workbook".into(),
                place: place?,
            })
        }
        BenefitKind::Water => {
            let row = t.water_intake.iter().find(|x| x.year.value == year)?;
            let amount = r.status.iter().find(|s| s.year == year)?.water_intake?;
            Some(Baseline {
                amount,
                volume: None,
                what: format!("the fresh water taken in {year} (status workbook)"),
                place: (&row.quantity.cell).into(),
            })
        }
        BenefitKind::Electricity | BenefitKind::NaturalGas | BenefitKind::Steam => {
            let (carrier, unit) = match kind {
                BenefitKind::Electricity => ("electricity", "kWh"),
                BenefitKind::NaturalGas => ("natural_gas", "m³"),
                _ => ("steam", "t"),
            };
            let rows: Vec<&EnergyRow> = t
                .energy
                .iter()
                .filter(|x| x.year.value == year && x.carrier.value == carrier)
                .collect();
            let mut amount = 0.0;
            for x in &rows {
                amount +=
                    crate::calc::units::convert(x.quantity.value, &x.unit.value, unit).ok()?;
            }
            Some(Baseline {
                amount,
                volume: None,
                what: format!(
                    "the {} used in {year} (status workbook)",
                    carrier.replace('_', " ")
                ),
                place: (&rows.first()?.quantity.cell).into(),
            })
        }
        BenefitKind::Chemicals => {
            // The raw and auxiliary materials counted by weight (the grey fabric, in
            // metres, is not a chemical).
            let rows: Vec<(&MaterialRow, f64)> = t
                .materials
                .iter()
                .filter(|x| x.year.value == year)
                .filter_map(|x| {
                    let tonnes =
                        crate::calc::units::convert(x.quantity.value, &x.unit.value, "t").ok()?;
                    Some((x, tonnes))
                })
                .collect();
            Some(Baseline {
                amount: rows.iter().map(|(_, a)| a).sum(),
                volume: None,
                what: format!("the materials counted in tonnes used in {year} (status workbook)"),
                place: (&rows.first()?.0.quantity.cell).into(),
            })
        }
        BenefitKind::SolidWaste => None,
    }
}

/// The unit the baseline's amount is in.
fn amount_unit(kind: BenefitKind) -> &'static str {
    match kind {
        BenefitKind::Electricity => "kWh",
        BenefitKind::NaturalGas => "m³",
        _ => "t",
    }
}

/// The baseline in a goal's unit: an amount per unit of product (`t/100 m`,
/// `kWh/100 m`, `kg/t` when the product is counted in tonnes), or a pollutant's
/// flow-weighted concentration (`mg/L`). `None` for a unit of another form.
fn in_goal_unit(
    base: &Baseline,
    kind: BenefitKind,
    unit: &str,
    r: &Results,
    year: i32,
) -> Option<f64> {
    let plain = |u: &str| u.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if let Some(volume) = base.volume
        && let Ok(c) = crate::calc::units::convert(base.amount * 1e6 / volume, "mg/L", unit)
    {
        return Some(c);
    }
    let (top, per) = unit.split_once('/')?;
    let amount = crate::calc::units::convert(base.amount, amount_unit(kind), top.trim()).ok()?;
    let status = r.status.iter().find(|s| s.year == year)?;
    let output = status.output?;
    let products = match (plain(per).as_str(), plain(&status.output_unit).as_str()) {
        ("100m", "万米" | "万m" | "10⁴m" | "10^4m") => output * 100.0,
        ("100m", "米" | "m") => output / 100.0,
        ("100m", "百米" | "100m") => output,
        (p, o) if p == o => output,
        _ => return None,
    };
    crate::calc::ratio(amount, products)
}

/// A goal's baseline against the same figure from the workbooks.
fn goal_baselines(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    let year = audit.meta.audit.baseline_year.value;
    for g in &audit.pre_assessment.goals {
        let Some(kind) = &g.reduces else { continue };
        let Some(base) = baseline(audit, r, kind.value) else {
            continue;
        };
        let Some(computed) = in_goal_unit(&base, kind.value, &g.unit, r, year) else {
            continue;
        };
        // The goal states its baseline rounded; 1 % covers two or three significant digits.
        if (g.baseline.value - computed).abs() <= 0.01 * computed.abs() {
            continue;
        }
        d.push(
            Diagnostic::warning(
                "agreement::goal-baseline",
                format!(
                    "goal `{}` ({}) states a baseline of {} {}, but the workbooks give {} {} for {year}, from {} {}, {}",
                    g.id.value,
                    g.indicator.en,
                    g.baseline.value,
                    g.unit,
                    crate::quantity::format_number(computed, 3),
                    g.unit,
                    fig(base.amount),
                    amount_unit(kind.value),
                    base.what
                ),
            )
            .at(Place::yaml(PRE, &g.baseline.referenced))
            .related("the workbook", base.place.clone())
            .help("the goal's baseline and the status workbook state the same figure: correct the one that is wrong, or the goal's unit"),
        );
    }
}

/// A figure as the messages show it.
fn fig(x: f64) -> String {
    crate::quantity::format_number(x, if x.abs() >= 100.0 { 0 } else { 1 })
}

/// The claims of one kind together against the baseline.
fn exceeds(claims: &[Claim], which: &str, kind: BenefitKind, base: &Baseline, d: &mut Diagnostics) {
    let total: f64 = claims.iter().map(|c| c.amount).sum();
    // A reduction can at most remove all of it; the margin absorbs rounding only.
    if total <= base.amount * (1.0 + 1e-9) {
        return;
    }
    let Some(largest) = claims.iter().max_by(|a, b| a.amount.total_cmp(&b.amount)) else {
        return;
    };
    let unit = kind.unit();
    let by: Vec<String> = claims
        .iter()
        .map(|c| format!("{} {}", c.option, fig(c.amount)))
        .collect();
    let mut diag = Diagnostic::warning(
        "agreement::reduction-exceeds-baseline",
        format!(
            "the {which} `{}` benefits of the options add up to {} {unit} ({}), more than the {} {unit} that is {}",
            kind.key(),
            fig(total),
            by.join(", "),
            fig(base.amount),
            base.what
        ),
    )
    .at(largest.place.clone())
    .related("the baseline", base.place.clone());
    for c in claims.iter().filter(|c| c.option != largest.option) {
        diag = diag.related(format!("option {}", c.option), c.place.clone());
    }
    d.push(diag.help(
        "a reduction is of what the plant discharges or uses in the baseline year, so together they cannot exceed it; count pollutant reductions at the outlet (after treatment), not in the load generated, or correct the figures",
    ));
}

/// A goal's achieved change against the verified benefits of the kind it names.
fn goals(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    for g in &audit.pre_assessment.goals {
        let Some(kind) = &g.reduces else { continue };
        let Some(achieved) = audit.implementation.goal_results.get(&g.id.value) else {
            continue;
        };
        let Some(base) = baseline(audit, r, kind.value) else {
            continue;
        };
        if g.baseline.value <= 0.0 || base.amount <= 0.0 {
            continue;
        }
        // The goal's change as a fraction of its baseline, positive for a reduction.
        let sign = if g.lower_is_better { 1.0 } else { -1.0 };
        let goal = sign * (g.baseline.value - achieved.value) / g.baseline.value;
        let claims = verified(audit, kind.value);
        let total: f64 = claims.iter().map(|c| c.amount).sum();
        let benefits = total / base.amount;
        // A goal per unit of product or a concentration moves with output and flow as
        // well, so the two fractions agree only roughly: they disagree when one is more
        // than twice the other (beyond two percentage points, for small changes).
        let agree = |a: f64, b: f64| a <= 2.0 * b + 0.02 && b <= 2.0 * a + 0.02;
        if agree(goal, benefits) {
            continue;
        }
        let unit = kind.value.unit();
        let mut diag = Diagnostic::warning(
            "agreement::goal-benefits",
            format!(
                "goal `{}` ({}) changed by {:.1} % ({} → {} {}), but the verified `{}` benefits of the options, {} {unit}, are {:.1} % of the {} {unit} that is {}",
                g.id.value,
                g.indicator.en,
                goal * 100.0,
                g.baseline.value,
                achieved.value,
                g.unit,
                kind.value.key(),
                fig(total),
                benefits * 100.0,
                fig(base.amount),
                base.what
            ),
        )
        .at(Place::yaml(IMPL, &achieved.referenced))
        .related("the goal", Place::yaml(PRE, &kind.referenced))
        .related("the baseline", base.place.clone());
        if let Some(largest) = claims.iter().max_by(|a, b| a.amount.total_cmp(&b.amount)) {
            diag = diag.related(format!("option {}", largest.option), largest.place.clone());
        }
        d.push(diag.help(
            "the goal and the benefits measure the same change: correct the goal's result or the options' verified benefits, or name in `reduces` the kind the goal measures",
        ));
    }
}

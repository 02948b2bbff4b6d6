//! Economic evaluation of medium/high-cost options (domain.md §4f): payback, NPV, NPVR, IRR.
//!
//! Manual method (uniform annual flows), money in 10⁴ CNY:
//! I = investment − subsidies; P = revenue increase + operating cost reduction;
//! D = I/Y (straight line, no salvage); T = P − D; tax = max(T, 0)·t; E = T − tax; F = E + D;
//! N = I/F; NPV = Σ_{j=1..n} F/(1+i)^j − I; NPVR = NPV/I. F is kept constant over the n years
//! as the manual does, even when n > Y; pass year-by-year flows for anything else.
//!
//! Year-by-year flows are a vector for t = 0..n in the numpy-financial convention: the t = 0
//! flow is not discounted (Excel's `NPV()` discounts its first argument; this does not).
//!
//! IRR may not exist or may not be unique; [`Irr`] says which, and the [`assess`]ment then
//! decides on NPV. Roots are searched in [`RATE_MIN`, `RATE_MAX`], which is also the range
//! allowed for discount rates (it keeps (1+r)^−t finite for up to [`MAX_PERIODS`] periods).

use super::{InvalidNumber, finite, non_negative, ratio};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Lowest rate searched for IRR and accepted as a discount rate (−99 %).
pub const RATE_MIN: f64 = -0.99;
/// Highest rate searched for IRR and accepted as a discount rate (1000 %).
pub const RATE_MAX: f64 = 10.0;
/// Most cash-flow periods (t = 0..100): a century is beyond any option's life.
pub const MAX_PERIODS: usize = 101;
/// Grid step of the IRR root scan; roots closer together than this are still found when the
/// NPV's extremum between them is checked (see [`irr`]).
const IRR_GRID_STEP: f64 = 0.0005;

/// Default benchmark payback for medium-cost options (中费, 2–3 yr): 3 years.
pub const PAYBACK_MEDIUM: f64 = 3.0;
/// Default benchmark payback for higher-cost options (较高费): 5 years.
pub const PAYBACK_HIGHER: f64 = 5.0;
/// Default benchmark payback for high-cost options (高费): 10 years.
pub const PAYBACK_HIGH: f64 = 10.0;

/// An option with uniform annual figures, as in the manual's 经济评估表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UniformOption {
    /// Total investment (总投资), ≥ 0.
    pub investment: f64,
    /// Subsidies received, ≥ 0 and ≤ investment.
    pub subsidies: f64,
    /// Annual revenue increase.
    pub revenue_increase: f64,
    /// Annual operating cost reduction.
    pub operating_cost_reduction: f64,
    /// Y, depreciation period in years, ≥ 1.
    pub depreciation_years: u32,
    /// t, income tax rate as a fraction (0.25).
    pub tax_rate: f64,
    /// n, years of cash flow for NPV and IRR (the life or the depreciation period), 1..=100.
    pub life_years: u32,
    /// i, discount rate as a fraction.
    pub discount_rate: f64,
}

/// Whether an IRR exists and how many.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Irr {
    /// No rate in [`RATE_MIN`, `RATE_MAX`] makes NPV = 0 (e.g. the flows never change sign).
    None,
    /// Exactly one root.
    Unique(f64),
    /// Several roots, ascending: IRR is ambiguous, decide on NPV.
    Multiple(Vec<f64>),
}

/// The discounted-cash-flow indicators of a flow vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators {
    /// The rate NPV was computed at.
    pub discount_rate: f64,
    /// NPV at `discount_rate`.
    pub npv: f64,
    /// NPV / I; `None` when I = 0.
    pub npvr: Option<f64>,
    /// Static payback N in years; `None` when the investment is never recovered.
    pub static_payback: Option<f64>,
    /// Discounted payback in years (interpolated within the year); `None` when never.
    pub discounted_payback: Option<f64>,
    /// Internal rate of return.
    pub irr: Irr,
}

/// The manual's evaluation of a uniform option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniformAppraisal {
    /// I = investment − subsidies.
    pub investment: f64,
    /// P = revenue increase + operating cost reduction.
    pub annual_saving: f64,
    /// D = I/Y.
    pub depreciation: f64,
    /// T = P − D.
    pub taxable_profit: f64,
    /// max(T, 0)·t.
    pub tax: f64,
    /// E = T − tax.
    pub net_profit: f64,
    /// F = E + D.
    pub annual_cash_flow: f64,
    /// The flows behind NPV and IRR: −I, then F for n years.
    pub cash_flows: Vec<f64>,
    /// NPV, NPVR, paybacks (static = I/F, `None` when F ≤ 0) and IRR.
    pub indicators: Indicators,
}

/// Why a calculation could not be done.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EconomicsError {
    /// A number is not usable.
    InvalidNumber(InvalidNumber),
    /// The flow vector is empty.
    NoCashFlows,
    /// More than [`MAX_PERIODS`] periods.
    TooManyPeriods {
        /// Periods given.
        periods: usize,
        /// Allowed.
        max: usize,
    },
}

impl fmt::Display for EconomicsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EconomicsError::InvalidNumber(e) => e.fmt(f),
            EconomicsError::NoCashFlows => write!(f, "no cash flows"),
            EconomicsError::TooManyPeriods { periods, max } => {
                write!(f, "{periods} cash-flow periods; at most {max} are allowed")
            }
        }
    }
}

impl std::error::Error for EconomicsError {}

impl From<InvalidNumber> for EconomicsError {
    fn from(e: InvalidNumber) -> Self {
        EconomicsError::InvalidNumber(e)
    }
}

fn invalid(field: &str, value: f64, expected: &str) -> EconomicsError {
    EconomicsError::InvalidNumber(InvalidNumber {
        field: field.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    })
}

fn check_rate(rate: f64, field: &str) -> Result<f64, EconomicsError> {
    if rate.is_finite() && (RATE_MIN..=RATE_MAX).contains(&rate) {
        Ok(rate)
    } else {
        Err(invalid(
            field,
            rate,
            &format!("a rate in [{RATE_MIN}, {RATE_MAX}]"),
        ))
    }
}

fn check_flows(flows: &[f64]) -> Result<(), EconomicsError> {
    if flows.is_empty() {
        return Err(EconomicsError::NoCashFlows);
    }
    if flows.len() > MAX_PERIODS {
        return Err(EconomicsError::TooManyPeriods {
            periods: flows.len(),
            max: MAX_PERIODS,
        });
    }
    for (t, &c) in flows.iter().enumerate() {
        finite(c, || format!("cash_flows[{t}]"))?;
    }
    Ok(())
}

/// NPV by Horner's rule in v = 1/(1+r), for validated flows and r in the allowed range.
fn npv_unchecked(rate: f64, flows: &[f64]) -> f64 {
    let v = 1.0 / (1.0 + rate);
    flows.iter().rev().fold(0.0, |acc, &c| acc * v + c)
}

/// NPV = Σ_t c_t/(1+r)^t with c_0 undiscounted (numpy-financial convention).
pub fn npv(rate: f64, flows: &[f64]) -> Result<f64, EconomicsError> {
    check_flows(flows)?;
    let rate = check_rate(rate, "discount_rate")?;
    Ok(npv_unchecked(rate, flows))
}

/// Years until the cumulative (discounted at `rate`) flow is recovered and stays recovered,
/// interpolated linearly within the year; `None` when it is negative at the end.
fn payback(rate: f64, flows: &[f64]) -> Option<f64> {
    let v = 1.0 / (1.0 + rate);
    let (mut cumulative, mut factor, mut result) = (0.0_f64, 1.0_f64, None);
    for (t, &c) in flows.iter().enumerate() {
        let d = c * factor;
        let previous = cumulative;
        cumulative += d;
        factor *= v;
        if cumulative < 0.0 {
            result = None;
        } else if previous < 0.0 {
            // d > 0 here; the fraction of year t needed to reach zero.
            result = Some(t as f64 - 1.0 + (-previous / d).min(1.0));
        } else if t == 0 {
            result = Some(0.0);
        }
    }
    result
}

/// All real IRRs of the flows in [`RATE_MIN`, `RATE_MAX`].
///
/// Scans NPV on a grid (step 0.0005), bisects every sign change down to adjacent floats, and
/// checks each local extremum of |NPV| between grid points, which finds a pair of roots closer
/// than the step and a double (tangent) root (one where |NPV| falls to 1e-9 of Σ|c_t|/(1+r)^t,
/// i.e. rounding noise). Bounded work: ≈ 22 000 evaluations plus ≤ 200
/// bisection steps per root.
pub fn irr(flows: &[f64]) -> Result<Irr, EconomicsError> {
    check_flows(flows)?;
    // Without both signs NPV cannot vanish (Descartes).
    if !(flows.iter().any(|&c| c > 0.0) && flows.iter().any(|&c| c < 0.0)) {
        return Ok(Irr::None);
    }
    let f = |r: f64| npv_unchecked(r, flows);
    // |NPV| at or below this counts as zero for a tangent root: rounding noise of the sum.
    let zero_tol = |r: f64| {
        let v = 1.0 / (1.0 + r);
        1e-9 * flows
            .iter()
            .rev()
            .fold(0.0, |acc: f64, &c| acc * v + c.abs())
    };
    let steps = ((RATE_MAX - RATE_MIN) / IRR_GRID_STEP).round() as usize;
    let grid: Vec<(f64, f64)> = (0..=steps)
        .map(|k| {
            let r = if k == steps {
                RATE_MAX
            } else {
                RATE_MIN + k as f64 * IRR_GRID_STEP
            };
            (r, f(r))
        })
        .collect();
    let mut roots = Vec::new();
    for k in 0..grid.len() {
        let (r, y) = grid[k];
        if y == 0.0 {
            roots.push(r);
            continue;
        }
        if k == 0 {
            continue;
        }
        let (r0, y0) = grid[k - 1];
        if y0 != 0.0 && (y0 < 0.0) != (y < 0.0) {
            roots.push(bisect(&f, r0, y0, r));
        } else if k + 1 < grid.len() {
            // Same sign on both sides and |NPV| smallest here: look between the neighbours.
            let (r1, y1) = grid[k + 1];
            let s = y.signum();
            if y0 != 0.0
                && y1 != 0.0
                && y0.signum() == s
                && y1.signum() == s
                && s * y < s * y0
                && s * y <= s * y1
            {
                let (rm, ym) = golden_min(|x| s * f(x), r0, r1);
                if ym < 0.0 {
                    roots.push(bisect(&f, r0, y0, rm));
                    roots.push(bisect(&f, rm, s * ym, r1));
                } else if ym <= zero_tol(rm) {
                    roots.push(rm);
                }
            }
        }
    }
    roots.sort_by(f64::total_cmp);
    roots.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * a.abs().max(1.0));
    Ok(match roots.len() {
        0 => Irr::None,
        1 => Irr::Unique(roots[0]),
        _ => Irr::Multiple(roots),
    })
}

/// Bisection on [a, b] with f(a) = fa ≠ 0 and a sign change, to adjacent floats (≤ 200 steps).
fn bisect(f: &impl Fn(f64) -> f64, mut a: f64, mut fa: f64, mut b: f64) -> f64 {
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        let fm = f(m);
        if fm == 0.0 {
            return m;
        }
        if (fm < 0.0) == (fa < 0.0) {
            a = m;
            fa = fm;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

/// Golden-section search for the minimum of a unimodal g on [a, b] (100 steps): (x, g(x)).
fn golden_min(g: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> (f64, f64) {
    const INV_PHI: f64 = 0.618_033_988_749_894_8;
    let mut c = b - INV_PHI * (b - a);
    let mut d = a + INV_PHI * (b - a);
    let (mut gc, mut gd) = (g(c), g(d));
    for _ in 0..100 {
        if gc < gd {
            b = d;
            d = c;
            gd = gc;
            c = b - INV_PHI * (b - a);
            gc = g(c);
        } else {
            a = c;
            c = d;
            gc = gd;
            d = a + INV_PHI * (b - a);
            gd = g(d);
        }
    }
    if gc < gd { (c, gc) } else { (d, gd) }
}

/// The manual's interpolation IRR ≈ i1 + NPV1·(i2 − i1)/(NPV1 + |NPV2|), for NPV1 ≥ 0 > NPV2
/// (or NPV1 > 0 ≥ NPV2); `None` when the two points do not bracket a root.
pub fn interpolated_irr(i1: f64, npv1: f64, i2: f64, npv2: f64) -> Option<f64> {
    let brackets = (npv1 >= 0.0 && npv2 < 0.0) || (npv1 > 0.0 && npv2 <= 0.0);
    if !brackets || ![i1, npv1, i2, npv2].iter().all(|x| x.is_finite()) {
        return None;
    }
    ratio(npv1 * (i2 - i1), npv1 + npv2.abs())
        .map(|d| i1 + d)
        .filter(|x| x.is_finite())
}

/// The two rates the manual interpolates between, and the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IrrInterpolation {
    /// Lower rate (NPV ≥ 0).
    pub i1: f64,
    /// NPV at i1.
    pub npv1: f64,
    /// Upper rate (NPV < 0).
    pub i2: f64,
    /// NPV at i2.
    pub npv2: f64,
    /// Interpolated IRR.
    pub irr: f64,
}

/// The manual's trial-and-error IRR as a report shows it: NPV at whole percents 0 %, 1 %, …,
/// 100 %, and the interpolation across the first step where NPV turns negative. `None` when it
/// never does in that range.
pub fn interpolated_irr_from_flows(
    flows: &[f64],
) -> Result<Option<IrrInterpolation>, EconomicsError> {
    check_flows(flows)?;
    let mut previous = (0.0, npv_unchecked(0.0, flows));
    for k in 1..=100 {
        let i2 = k as f64 / 100.0;
        let npv2 = npv_unchecked(i2, flows);
        let (i1, npv1) = previous;
        if npv1 >= 0.0 && npv2 < 0.0 {
            return Ok(
                interpolated_irr(i1, npv1, i2, npv2).map(|irr| IrrInterpolation {
                    i1,
                    npv1,
                    i2,
                    npv2,
                    irr,
                }),
            );
        }
        previous = (i2, npv2);
    }
    Ok(None)
}

/// Indicators of year-by-year flows (t = 0..n, t = 0 undiscounted). The investment for NPVR is
/// the outlay at t = 0 (−c₀ when c₀ < 0); paybacks are read off the cumulative flows.
pub fn appraise_cash_flows(
    flows: &[f64],
    discount_rate: f64,
) -> Result<Indicators, EconomicsError> {
    let npv = npv(discount_rate, flows)?;
    let investment = (-flows[0]).max(0.0);
    Ok(Indicators {
        discount_rate,
        npv,
        npvr: ratio(npv, investment),
        static_payback: payback(0.0, flows),
        discounted_payback: payback(discount_rate, flows),
        irr: irr(flows)?,
    })
}

/// The manual's evaluation of an option with uniform annual figures.
pub fn appraise_uniform(option: &UniformOption) -> Result<UniformAppraisal, EconomicsError> {
    let o = option;
    let gross = non_negative(o.investment, || "investment".into())?;
    let subsidies = non_negative(o.subsidies, || "subsidies".into())?;
    if subsidies > gross {
        return Err(invalid("subsidies", subsidies, "at most the investment"));
    }
    let revenue = finite(o.revenue_increase, || "revenue_increase".into())?;
    let cost_cut = finite(o.operating_cost_reduction, || {
        "operating_cost_reduction".into()
    })?;
    let tax_rate = o.tax_rate;
    if !(tax_rate.is_finite() && (0.0..=1.0).contains(&tax_rate)) {
        return Err(invalid("tax_rate", tax_rate, "a fraction in [0, 1]"));
    }
    if o.depreciation_years == 0 {
        return Err(invalid("depreciation_years", 0.0, "at least 1 year"));
    }
    let n = o.life_years as usize;
    if n == 0 || n >= MAX_PERIODS {
        return Err(invalid(
            "life_years",
            n as f64,
            &format!("1 to {} years", MAX_PERIODS - 1),
        ));
    }
    check_rate(o.discount_rate, "discount_rate")?;

    let i = gross - subsidies;
    let p = revenue + cost_cut;
    let d = i / f64::from(o.depreciation_years);
    let t = p - d;
    let tax = t.max(0.0) * tax_rate;
    let e = t - tax;
    let f = e + d;
    let mut cash_flows = vec![f; n + 1];
    cash_flows[0] = -i;
    let mut indicators = appraise_cash_flows(&cash_flows, o.discount_rate)?;
    // The manual's N = I/F, defined even beyond the n years; meaningless when F ≤ 0.
    indicators.static_payback = if f > 0.0 { ratio(i, f) } else { None };
    Ok(UniformAppraisal {
        investment: i,
        annual_saving: p,
        depreciation: d,
        taxable_profit: t,
        tax,
        net_profit: e,
        annual_cash_flow: f,
        cash_flows,
        indicators,
    })
}

// ---------------------------------------------------------------------------------------------
// Verdict

/// Cost class of an option, which sets its benchmark payback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostClass {
    /// 中费.
    Medium,
    /// 较高费.
    Higher,
    /// 高费.
    High,
}

/// Benchmarks an option is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Benchmarks {
    /// Benchmark payback for medium-cost options, years.
    pub payback_medium: f64,
    /// Benchmark payback for higher-cost options, years.
    pub payback_higher: f64,
    /// Benchmark payback for high-cost options, years.
    pub payback_high: f64,
    /// Benchmark rate (industry benchmark or bank loan rate) the IRR must reach.
    pub rate: f64,
}

impl Benchmarks {
    /// The default paybacks (3, 5, 10 years) with the given benchmark rate.
    pub fn with_rate(rate: f64) -> Self {
        Benchmarks {
            payback_medium: PAYBACK_MEDIUM,
            payback_higher: PAYBACK_HIGHER,
            payback_high: PAYBACK_HIGH,
            rate,
        }
    }

    /// The benchmark payback of a cost class.
    pub fn payback(&self, class: CostClass) -> f64 {
        match class {
            CostClass::Medium => self.payback_medium,
            CostClass::High => self.payback_high,
            CostClass::Higher => self.payback_higher,
        }
    }
}

/// A finding of the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The static payback exceeds the benchmark.
    PaybackTooLong {
        /// N, years.
        payback: f64,
        /// Benchmark, years.
        benchmark: f64,
    },
    /// The investment is never recovered (F ≤ 0).
    NeverPaysBack,
    /// NPV < 0.
    NegativeNpv {
        /// NPV.
        npv: f64,
    },
    /// The unique IRR is below the benchmark rate.
    IrrBelowBenchmark {
        /// IRR.
        irr: f64,
        /// Benchmark rate.
        benchmark: f64,
    },
    /// Several IRRs: the IRR test is skipped and NPV decides.
    IrrAmbiguous {
        /// All roots.
        roots: Vec<f64>,
    },
    /// No IRR: the IRR test is skipped and NPV decides.
    NoIrr,
    /// A benchmark is not usable (payback not > 0, rate outside [`RATE_MIN`, `RATE_MAX`]), so
    /// its test could not be made; the option is not passed on bad configuration.
    InvalidBenchmark {
        /// `payback` or `rate`.
        benchmark: String,
        /// The value as text (may be NaN).
        value: String,
    },
}

/// Feasible or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Meets every criterion.
    Feasible,
    /// Fails at least one criterion (see `reasons`).
    NotFeasible,
}

/// The economic verdict on one option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Feasible or not.
    pub verdict: Verdict,
    /// Why not feasible (empty when feasible).
    pub reasons: Vec<Reason>,
    /// Findings that do not decide by themselves (IRR ambiguous or absent → NPV decides).
    pub notes: Vec<Reason>,
    /// Benchmark payback applied, years; `None` when it was not usable.
    pub payback_benchmark: Option<f64>,
    /// Benchmark rate applied; `None` when it was not usable.
    pub benchmark_rate: Option<f64>,
}

/// Judges an option by the manual's criteria: N ≤ benchmark payback, NPV ≥ 0, IRR ≥ benchmark
/// rate (when the IRR is unique; otherwise NPV decides). `indicators` are this module's output.
/// An unusable benchmark (payback not finite and > 0, rate outside [`RATE_MIN`, `RATE_MAX`]) is
/// itself a reason against, reported as [`Reason::InvalidBenchmark`].
pub fn assess(indicators: &Indicators, class: CostClass, benchmarks: &Benchmarks) -> Assessment {
    let (mut reasons, mut notes) = (Vec::new(), Vec::new());
    let mut usable = |name: &str, value: f64, ok: bool| {
        if !ok {
            reasons.push(Reason::InvalidBenchmark {
                benchmark: name.into(),
                value: value.to_string(),
            });
        }
        ok.then_some(value)
    };
    let payback = benchmarks.payback(class);
    let payback = usable("payback", payback, payback.is_finite() && payback > 0.0);
    let rate = benchmarks.rate;
    let rate = usable("rate", rate, check_rate(rate, "rate").is_ok());
    match (indicators.static_payback, payback) {
        (None, _) => reasons.push(Reason::NeverPaysBack),
        (Some(n), Some(benchmark)) if n > benchmark => reasons.push(Reason::PaybackTooLong {
            payback: n,
            benchmark,
        }),
        _ => {}
    }
    if indicators.npv < 0.0 {
        reasons.push(Reason::NegativeNpv {
            npv: indicators.npv,
        });
    }
    match (&indicators.irr, rate) {
        (Irr::Unique(r), Some(benchmark)) if *r < benchmark => {
            reasons.push(Reason::IrrBelowBenchmark { irr: *r, benchmark })
        }
        (Irr::Unique(_), _) => {}
        (Irr::Multiple(roots), _) => notes.push(Reason::IrrAmbiguous {
            roots: roots.clone(),
        }),
        (Irr::None, _) => notes.push(Reason::NoIrr),
    }
    let verdict = if reasons.is_empty() {
        Verdict::Feasible
    } else {
        Verdict::NotFeasible
    };
    Assessment {
        verdict,
        reasons,
        notes,
        payback_benchmark: payback,
        benchmark_rate: rate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::{Rng, assert_abs, assert_rel};

    fn roots(irr: &Irr) -> Vec<f64> {
        match irr {
            Irr::None => vec![],
            Irr::Unique(r) => vec![*r],
            Irr::Multiple(v) => v.clone(),
        }
    }

    fn uniform(i: f64, p: f64, y: u32, tax: f64, n: u32, rate: f64) -> UniformOption {
        UniformOption {
            investment: i,
            subsidies: 0.0,
            revenue_increase: p,
            operating_cost_reduction: 0.0,
            depreciation_years: y,
            tax_rate: tax,
            life_years: n,
            discount_rate: rate,
        }
    }

    #[test]
    fn manual_example_1() {
        // I = 150, F = 32.5, n = 10, i = 5 %. With no tax and Y = 10: D = 15, T = 17.5,
        // E = 17.5, F = 32.5. Annuity factor (1 − 1.05⁻¹⁰)/0.05 = 7.72173 → NPV = 100.96;
        // N = 150/32.5 = 4.615; IRR 17.257 %; NPVR = 100.956/150 = 0.673.
        let a = appraise_uniform(&uniform(150.0, 32.5, 10, 0.0, 10, 0.05)).unwrap();
        assert_eq!(a.annual_cash_flow, 32.5);
        let x = &a.indicators;
        assert_abs(x.npv, 100.96, 0.005);
        assert_rel(x.npv, 100.956_385_198_506_33, 1e-12);
        assert_abs(x.static_payback.unwrap(), 4.6, 0.05);
        assert_rel(x.npvr.unwrap(), 100.956_385_198_506_33 / 150.0, 1e-12);
        let Irr::Unique(r) = x.irr else {
            panic!("{:?}", x.irr)
        };
        assert_abs(r, 0.17257, 5e-6);
        // Discounted payback: cumulative PV after 5 years 32.5 × 4.32948 = 140.708,
        // year 6 adds 32.5/1.05⁶ = 24.252 → 5 + 9.292/24.252 = 5.383.
        assert_abs(x.discounted_payback.unwrap(), 5.3831, 1e-4);
        // Manual interpolation: NPV(17 %) = +1.4046, NPV(18 %) = −3.9422 → 17.26 %.
        let m = interpolated_irr_from_flows(&a.cash_flows).unwrap().unwrap();
        assert_eq!((m.i1, m.i2), (0.17, 0.18));
        assert_abs(m.npv1, 1.40, 0.005);
        assert_abs(m.npv2, -3.94, 0.005);
        assert_abs(m.irr * 100.0, 17.26, 0.005);
        assert_abs(
            interpolated_irr(0.17, 1.40, 0.18, -3.94).unwrap() * 100.0,
            17.26,
            0.005,
        );
        let v = assess(x, CostClass::Higher, &Benchmarks::with_rate(0.08));
        assert_eq!((v.verdict, v.reasons.len()), (Verdict::Feasible, 0));
        let v = assess(x, CostClass::Medium, &Benchmarks::with_rate(0.08));
        assert_eq!(
            v.reasons,
            vec![Reason::PaybackTooLong {
                payback: 150.0 / 32.5,
                benchmark: 3.0
            }]
        );
        assert_eq!(
            (v.payback_benchmark, v.benchmark_rate),
            (Some(3.0), Some(0.08))
        );
    }

    #[test]
    fn manual_example_2() {
        // I = 10, P = 1.58, Y = 10, t = 25 %: D = 1, T = 0.58, tax = 0.145, E = 0.435,
        // F = 1.435, N = 10/1.435 = 6.97; NPV at 6 % = 1.435 × 7.36009 − 10 = 0.56;
        // IRR 7.17 %.
        let a = appraise_uniform(&uniform(10.0, 1.58, 10, 0.25, 10, 0.06)).unwrap();
        assert_abs(a.depreciation, 1.0, 1e-15);
        assert_abs(a.taxable_profit, 0.58, 1e-12);
        assert_abs(a.tax, 0.145, 1e-12);
        assert_abs(a.net_profit, 0.435, 1e-12);
        assert_abs(a.annual_cash_flow, 1.435, 1e-12);
        assert_abs(a.indicators.static_payback.unwrap(), 6.97, 0.005);
        assert_abs(a.indicators.npv, 0.56, 0.005);
        let Irr::Unique(r) = a.indicators.irr else {
            panic!()
        };
        assert_abs(r * 100.0, 7.17, 0.005);
        // High-cost option, benchmark 10 yr and 6 %: feasible; at 8 % the IRR fails.
        assert_eq!(
            assess(&a.indicators, CostClass::High, &Benchmarks::with_rate(0.06)).verdict,
            Verdict::Feasible
        );
        let v = assess(&a.indicators, CostClass::High, &Benchmarks::with_rate(0.08));
        assert_eq!(v.verdict, Verdict::NotFeasible);
        assert!(matches!(v.reasons[..], [Reason::IrrBelowBenchmark { .. }]));
    }

    #[test]
    fn subsidies_and_losses() {
        // I = 100 − 20 = 80, P = 5 + 3 = 8, Y = 8 → D = 10, T = −2 → tax 0, E = −2, F = 8.
        let mut o = uniform(100.0, 5.0, 8, 0.25, 8, 0.05);
        o.subsidies = 20.0;
        o.operating_cost_reduction = 3.0;
        let a = appraise_uniform(&o).unwrap();
        assert_eq!(
            (a.investment, a.tax, a.net_profit, a.annual_cash_flow),
            (80.0, 0.0, -2.0, 8.0)
        );
        // 8 × 8 = 64 < 80: never recovered in the life, but the manual's N = 80/8 = 10.
        assert_eq!(a.indicators.static_payback, Some(10.0));
        assert_eq!(a.indicators.discounted_payback, None);
        // F ≤ 0: no payback, no IRR.
        let a = appraise_uniform(&uniform(10.0, -1.0, 10, 0.25, 10, 0.05)).unwrap();
        assert_eq!(a.indicators.static_payback, None);
        assert_eq!(a.indicators.irr, Irr::None);
        let v = assess(
            &a.indicators,
            CostClass::Medium,
            &Benchmarks::with_rate(0.05),
        );
        assert_eq!(v.verdict, Verdict::NotFeasible);
        assert!(v.reasons.contains(&Reason::NeverPaysBack));
        assert_eq!(v.notes, vec![Reason::NoIrr]);
        // Unusable benchmarks are reasons against, never NaN in the verdict.
        let nan = Benchmarks {
            rate: f64::NAN,
            ..Benchmarks::with_rate(0.05)
        };
        let v = assess(&a.indicators, CostClass::Medium, &nan);
        assert_eq!((v.verdict, v.benchmark_rate), (Verdict::NotFeasible, None));
        let invalid = Reason::InvalidBenchmark {
            benchmark: "rate".into(),
            value: "NaN".into(),
        };
        assert!(v.reasons.contains(&invalid));
        let zero = Benchmarks {
            payback_high: 0.0,
            ..Benchmarks::with_rate(0.05)
        };
        assert_eq!(
            assess(&a.indicators, CostClass::High, &zero).payback_benchmark,
            None
        );
        // I = 0: NPVR undefined.
        let a = appraise_uniform(&uniform(0.0, 1.0, 1, 0.25, 5, 0.05)).unwrap();
        assert_eq!(a.indicators.npvr, None);
        assert_eq!(a.indicators.static_payback, Some(0.0));
    }

    #[test]
    fn input_errors() {
        let ok = uniform(10.0, 2.0, 5, 0.25, 5, 0.05);
        let bad = [
            UniformOption {
                investment: f64::NAN,
                ..ok.clone()
            },
            UniformOption {
                subsidies: 11.0,
                ..ok.clone()
            },
            UniformOption {
                tax_rate: 1.5,
                ..ok.clone()
            },
            UniformOption {
                depreciation_years: 0,
                ..ok.clone()
            },
            UniformOption {
                life_years: 0,
                ..ok.clone()
            },
            UniformOption {
                life_years: 500,
                ..ok.clone()
            },
            UniformOption {
                discount_rate: -1.0,
                ..ok.clone()
            },
            UniformOption {
                discount_rate: f64::INFINITY,
                ..ok.clone()
            },
        ];
        for o in &bad {
            assert!(
                matches!(appraise_uniform(o), Err(EconomicsError::InvalidNumber(_))),
                "{o:?}"
            );
        }
        assert_eq!(npv(0.1, &[]), Err(EconomicsError::NoCashFlows));
        assert_eq!(
            irr(&[1.0; 102]),
            Err(EconomicsError::TooManyPeriods {
                periods: 102,
                max: 101
            })
        );
        assert!(irr(&[-1.0, f64::NAN]).is_err());
        assert!(npv(-0.995, &[1.0]).is_err());
    }

    const T0: [f64; 8] = [
        -250_000.0, 40_000.0, 55_000.0, 60_000.0, 60_000.0, 60_000.0, 60_000.0, 45_000.0,
    ];

    #[test]
    fn ecosystem_vector_t0() {
        assert_eq!(irr(&T0).unwrap(), Irr::Unique(irr_of(&T0)));
        assert_rel(irr_of(&T0), 0.114_105_549_461_895_88, 1e-9);
        assert_rel(npv(0.08, &T0).unwrap(), 30_824.635_004, 1e-9);
    }

    fn irr_of(flows: &[f64]) -> f64 {
        match irr(flows).unwrap() {
            Irr::Unique(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ecosystem_vector_t1_two_roots() {
        let r = roots(&irr(&[-50.0, -100.0, 600.0, 300.0, -100.0]).unwrap());
        assert_eq!(r.len(), 2, "{r:?}");
        assert_rel(r[0], -0.768_895_470_680_780_8, 1e-9);
        assert_rel(r[1], 1.854_417_828_456_177_2, 1e-9);
    }

    #[test]
    fn ecosystem_vectors_t2_to_t6() {
        // T2: roots 0.25 and 4.0; NPV at 8 % is −914.128944 though both IRRs exceed 8 %.
        let t2 = [-1600.0, 10_000.0, -10_000.0];
        let r = roots(&irr(&t2).unwrap());
        assert_eq!(r.len(), 2);
        assert_rel(r[0], 0.25, 1e-12);
        assert_rel(r[1], 4.0, 1e-12);
        assert_rel(npv(0.08, &t2).unwrap(), -914.128_944, 1e-9);
        // Ambiguous IRR → NPV decides (and here NPV < 0).
        let x = appraise_cash_flows(&t2, 0.08).unwrap();
        let v = assess(&x, CostClass::High, &Benchmarks::with_rate(0.08));
        assert!(matches!(v.notes[..], [Reason::IrrAmbiguous { .. }]));
        assert!(
            v.reasons
                .iter()
                .any(|r| matches!(r, Reason::NegativeNpv { .. }))
        );
        // T3: two sign changes, no IRR; NPV at 5 % = −106.483410.
        let t3 = [-1000.0, 600.0, 600.0, 600.0, -900.0];
        assert_eq!(irr(&t3).unwrap(), Irr::None);
        assert_rel(npv(0.05, &t3).unwrap(), -106.483_410, 1e-8);
        // T4: no sign change.
        assert_eq!(irr(&[100.0, 50.0, 20.0]).unwrap(), Irr::None);
        assert_eq!(irr(&[-100.0, -50.0, -20.0]).unwrap(), Irr::None);
        assert_rel(npv(0.05, &[100.0, 50.0, 20.0]).unwrap(), 165.759_637, 1e-8);
        // T5: roots 0.1 and 0.2.
        let r = roots(&irr(&[-100.0, 230.0, -132.0]).unwrap());
        assert_eq!(r.len(), 2);
        assert_rel(r[0], 0.1, 1e-12);
        assert_rel(r[1], 0.2, 1e-12);
        // T6: a negative IRR is valid.
        assert_rel(
            irr_of(&[-100.0, 30.0, 30.0, 30.0]),
            -0.050_885_441_372_620_63,
            1e-9,
        );
    }

    #[test]
    fn close_and_double_roots() {
        // (1+r)⁻² form of (x − 1/1.1)(x − 1/1.1003) with x = 1/(1+r): roots 0.1 and 0.1003,
        // closer than one grid step. Coefficients: c0 = a·b, c1 = −(a + b), c2 = 1.
        let (a, b) = (1.0 / 1.1, 1.0 / 1.1003);
        let r = roots(&irr(&[a * b, -(a + b), 1.0]).unwrap());
        assert_eq!(r.len(), 2, "{r:?}");
        assert_rel(r[0], 0.1, 1e-9);
        assert_rel(r[1], 0.1003, 1e-9);
        // Double root: 1 − 2x + x² = (1 − x)², x = 1 ⇒ r = 0.
        let r = roots(&irr(&[1.0, -2.0, 1.0]).unwrap());
        assert_eq!(r.len(), 1, "{r:?}");
        assert_abs(r[0], 0.0, 1e-6);
    }

    #[test]
    fn paybacks_on_year_by_year_flows() {
        // −100, 30, 50, 40: cumulative −100, −70, −20, +20 → 2 + 20/40 = 2.5 years.
        let x = appraise_cash_flows(&[-100.0, 30.0, 50.0, 40.0], 0.0).unwrap();
        assert_eq!(x.static_payback, Some(2.5));
        assert_eq!(x.discounted_payback, Some(2.5));
        assert_eq!(x.npv, 20.0);
        assert_eq!(x.npvr, Some(0.2));
        // A late outlay that makes the cumulative negative again: never recovered for good.
        assert_eq!(payback(0.0, &[-100.0, 150.0, -100.0]), None);
        // Recovered, dips, recovers: the last recovery counts. Cumulative −100, 50, −50, 50.
        assert_eq!(payback(0.0, &[-100.0, 150.0, -100.0, 100.0]), Some(2.5));
        assert_eq!(payback(0.0, &[0.0, 5.0]), Some(0.0));
        assert_eq!(interpolated_irr(0.1, -1.0, 0.2, -2.0), None);
        assert_eq!(interpolated_irr_from_flows(&[-100.0, 1.0]).unwrap(), None);
    }

    #[test]
    fn json_shapes() {
        use serde_json::json;
        assert_eq!(serde_json::to_value(Irr::None).unwrap(), json!("none"));
        assert_eq!(
            serde_json::to_value(Irr::Unique(0.25)).unwrap(),
            json!({"unique": 0.25})
        );
        assert_eq!(
            serde_json::to_value(Irr::Multiple(vec![0.1, 0.2])).unwrap(),
            json!({"multiple": [0.1, 0.2]})
        );
        let o: UniformOption = serde_json::from_value(json!({
            "investment": 150, "subsidies": 0, "revenue_increase": 32.5,
            "operating_cost_reduction": 0, "depreciation_years": 10, "tax_rate": 0,
            "life_years": 10, "discount_rate": 0.05
        }))
        .unwrap();
        let a = appraise_uniform(&o).unwrap();
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["indicators"]["npvr"], json!(a.indicators.npvr.unwrap()));
        assert_eq!(
            v["indicators"]["irr"]["unique"],
            json!(irr_of(&a.cash_flows))
        );
    }

    /// Property: at every reported IRR the NPV is zero up to rounding, and flows built with a
    /// known root report it.
    #[test]
    fn npv_vanishes_at_reported_irr() {
        let mut rng = Rng::new(7);
        for case in 0..300 {
            let n = 1 + rng.below(15);
            let mut flows: Vec<f64> = (0..=n).map(|_| rng.range(-100.0, 100.0)).collect();
            flows[0] = -rng.range(1.0, 500.0);
            let result = irr(&flows).unwrap();
            for r in roots(&result) {
                let scale: f64 = flows
                    .iter()
                    .enumerate()
                    .map(|(t, c)| c.abs() / (1.0 + r).powi(t as i32))
                    .sum();
                let v = npv_unchecked(r, &flows);
                assert!(
                    v.abs() <= 1e-9 * scale,
                    "case {case}: NPV({r}) = {v}, flows {flows:?}"
                );
            }
            // Conventional flows (one outlay, then positive) have exactly one IRR when Σ > 0.
            let mut conventional: Vec<f64> = (0..=n).map(|_| rng.range(1.0, 100.0)).collect();
            conventional[0] = -rng.range(0.1, 0.9) * conventional[1..].iter().sum::<f64>();
            assert!(
                matches!(irr(&conventional).unwrap(), Irr::Unique(r) if r > 0.0),
                "case {case}"
            );
        }
    }
}

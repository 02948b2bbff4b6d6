//! Economic evaluation of medium/high-cost options (domain.md §4f): payback, NPV, NPVR, IRR,
//! and the verdict against the benchmarks of the option's cost class.
//!
//! Manual method, money in 10⁴ CNY: I = investment − subsidies; P = revenue increase +
//! operating cost reduction; D = I/Y (straight line over the depreciation period Y, no
//! salvage); T = P − D; tax = max(T, 0)·t; E = T − tax; F = E + D. Over an economic life n
//! that differs from Y, the year-by-year flows are c_0 = −I and, for j = 1..n,
//! c_j = E_j + D_j − R_j with D_j = I/Y while j ≤ Y and 0 after (so F changes in year Y + 1),
//! and R_j the replacement costs falling in year j (an outlay in its year, not depreciated).
//! The uniform (annual-equivalent) method turns those flows into one F_eq with the same
//! present value: F_eq = (Σ_j c_j/(1+i)^j)·i/(1 − (1+i)^−n) (1/n at i = 0), so
//! NPV = F_eq·Σ_j (1+i)^−j − I is the NPV of the year-by-year flows; with Y = n and no
//! replacements F_eq = F, the manual's case. Every indicator is read off one flow vector.
//!
//! Flow vectors run t = 0..n in the numpy-financial convention: the t = 0 flow is not
//! discounted (Excel's `NPV()` discounts its first argument; this does not).
//!
//! Paybacks are the first crossing of the cumulative (discounted) flow from negative to ≥ 0,
//! interpolated linearly within the year, with a flag when it turns negative again later;
//! none when the cumulative flow is never negative (nothing to recover).
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
/// Default benchmark payback for high-cost options (高费): 10 years.
pub const PAYBACK_HIGH: f64 = 10.0;
/// Default investment (10⁴ CNY) from which an option is medium cost (中费): 5.
pub const MEDIUM_COST_THRESHOLD: f64 = 5.0;
/// Default investment (10⁴ CNY) from which an option is high cost (高费): 200.
pub const HIGH_COST_THRESHOLD: f64 = 200.0;

/// Cost class of an option (无费, 低费, 中费, 高费): which options need a feasibility
/// analysis and which benchmark payback applies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CostClass {
    /// 无费: no investment.
    None,
    /// 低费: investment below the medium-cost threshold.
    Low,
    /// 中费: needs a feasibility analysis.
    Medium,
    /// 高费: needs a feasibility analysis.
    High,
}

impl CostClass {
    /// Whether the option needs a feasibility analysis (中/高费).
    pub fn is_medium_high(self) -> bool {
        matches!(self, CostClass::Medium | CostClass::High)
    }

    /// The class an investment (10⁴ CNY) falls in: none at 0, low below `medium`, medium
    /// below `high`, high from `high` on. `None` when the investment or a threshold is not a
    /// finite number ≥ 0 or `medium` > `high`.
    pub fn of_investment(investment: f64, medium: f64, high: f64) -> Option<CostClass> {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if !(ok(investment) && ok(medium) && ok(high) && medium <= high) {
            return None;
        }
        Some(if investment == 0.0 {
            CostClass::None
        } else if investment < medium {
            CostClass::Low
        } else if investment < high {
            CostClass::Medium
        } else {
            CostClass::High
        })
    }
}

/// A replacement (mid-life reinvestment) falling in one year of the life.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReplacementCost {
    /// Year of the life, 1..=n.
    pub year: u32,
    /// Amount, 10⁴ CNY, ≥ 0.
    pub amount: f64,
}

/// An option with the manual's annual figures.
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
    /// n, economic life: years of cash flow for NPV and IRR, 1..=100.
    pub life_years: u32,
    /// i, discount rate as a fraction.
    pub discount_rate: f64,
    /// Replacement costs within the life.
    #[serde(default)]
    pub replacements: Vec<ReplacementCost>,
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

/// When the cumulative flow first recovers the outlays.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Payback {
    /// Years from t = 0 to the first crossing of the cumulative flow from negative to ≥ 0,
    /// interpolated within the year; `None` when it stays negative to the end of the life.
    pub years: Option<f64>,
    /// The cumulative flow turns negative again after that first crossing (a later outlay).
    pub negative_again: bool,
}

/// The discounted-cash-flow indicators of a flow vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators {
    /// The rate NPV and the dynamic payback were computed at.
    pub discount_rate: f64,
    /// NPV at `discount_rate`.
    pub npv: f64,
    /// NPV / I (I = the outlay at t = 0); `None` when I = 0.
    pub npvr: Option<f64>,
    /// Static payback, on the undiscounted cumulative flow; `None` when there is nothing to
    /// recover (the cumulative flow is never negative).
    pub static_payback: Option<Payback>,
    /// Dynamic (discounted) payback, on the cumulative flow discounted at `discount_rate`;
    /// `None` when there is nothing to recover.
    pub dynamic_payback: Option<Payback>,
    /// Internal rate of return.
    pub irr: Irr,
}

/// The manual's evaluation of an option: the annual figures, the year-by-year flows they give
/// over the life and their annual equivalent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UniformAppraisal {
    /// I = investment − subsidies.
    pub investment: f64,
    /// P = revenue increase + operating cost reduction.
    pub annual_saving: f64,
    /// D = I/Y, in the years of the depreciation period.
    pub depreciation: f64,
    /// T = P − D.
    pub taxable_profit: f64,
    /// max(T, 0)·t.
    pub tax: f64,
    /// E = T − tax.
    pub net_profit: f64,
    /// F = E + D, the annual flow in the depreciation period before replacements.
    pub annual_cash_flow: f64,
    /// F after the depreciation period, when the life is longer: P − max(P, 0)·t.
    pub annual_cash_flow_after_depreciation: Option<f64>,
    /// F_eq: the uniform annual flow over the life with the same present value as the
    /// year-by-year flows (F when Y = n and there are no replacements).
    pub equivalent_annual_cash_flow: f64,
    /// The year-by-year flows: −I, then c_1..c_n; [`appraise_cash_flows`] gives their
    /// indicators.
    pub cash_flows: Vec<f64>,
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

/// The first crossing of the cumulative flow (discounted at `rate`) from negative to ≥ 0,
/// interpolated linearly within the year, and whether it turns negative again later; `None`
/// when the cumulative flow is never negative (nothing to recover).
fn payback(rate: f64, flows: &[f64]) -> Option<Payback> {
    let v = 1.0 / (1.0 + rate);
    let (mut cumulative, mut factor) = (0.0_f64, 1.0_f64);
    let (mut outlay, mut years, mut negative_again) = (false, None, false);
    for (t, &c) in flows.iter().enumerate() {
        let d = c * factor;
        let previous = cumulative;
        cumulative += d;
        factor *= v;
        if cumulative < 0.0 {
            outlay = true;
            negative_again |= years.is_some();
        } else if previous < 0.0 && years.is_none() {
            // d > 0 here and t ≥ 1; the fraction of year t needed to reach zero.
            years = Some(t as f64 - 1.0 + (-previous / d).min(1.0));
        }
    }
    outlay.then_some(Payback {
        years,
        negative_again,
    })
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
        dynamic_payback: payback(discount_rate, flows),
        irr: irr(flows)?,
    })
}

/// The uniform annual flow over years 1..n with the present value (at `rate`) of `flows[1..]`:
/// PV · i/(1 − (1+i)^−n), PV/n at i = 0. For validated flows and rate.
pub fn equivalent_annual(rate: f64, flows: &[f64]) -> f64 {
    let n = flows.len().saturating_sub(1);
    if n == 0 {
        return 0.0;
    }
    let present = npv_unchecked(rate, &flows[1..]) / (1.0 + rate);
    present * capital_recovery(rate, n)
}

/// Capital recovery factor i/(1 − (1+i)^−n) (1/n at i = 0): the uniform annual amount over
/// n years with a present value of 1.
fn capital_recovery(rate: f64, n: usize) -> f64 {
    if rate == 0.0 {
        1.0 / n as f64
    } else {
        rate / (1.0 - (1.0 + rate).powi(-(n as i32)))
    }
}

/// The manual's evaluation of an option from its annual figures, over its depreciation period
/// and economic life, with its replacement costs.
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
    let rate = check_rate(o.discount_rate, "discount_rate")?;
    let mut replaced = vec![0.0; n + 1];
    for (k, r) in o.replacements.iter().enumerate() {
        let amount = non_negative(r.amount, || format!("replacements[{k}].amount"))?;
        if r.year == 0 || r.year as usize > n {
            return Err(invalid(
                &format!("replacements[{k}].year"),
                f64::from(r.year),
                &format!("a year of the life, 1 to {n}"),
            ));
        }
        replaced[r.year as usize] += amount;
    }

    let i = gross - subsidies;
    let p = revenue + cost_cut;
    let y = o.depreciation_years as usize;
    // E + D of a year with depreciation d.
    let flow = |d: f64| {
        let t = p - d;
        t - t.max(0.0) * tax_rate + d
    };
    let d = i / y as f64;
    let t = p - d;
    let tax = t.max(0.0) * tax_rate;
    let e = t - tax;
    let f = e + d;
    let after = flow(0.0);
    let mut cash_flows: Vec<f64> = (0..=n)
        .map(|j| if j <= y { f } else { after } - replaced[j])
        .collect();
    cash_flows[0] = -i;
    Ok(UniformAppraisal {
        investment: i,
        annual_saving: p,
        depreciation: d,
        taxable_profit: t,
        tax,
        net_profit: e,
        annual_cash_flow: f,
        annual_cash_flow_after_depreciation: (n > y).then_some(after),
        equivalent_annual_cash_flow: equivalent_annual(rate, &cash_flows),
        cash_flows,
    })
}

// ---------------------------------------------------------------------------------------------
// Verdict

/// Benchmarks an option is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Benchmarks {
    /// Benchmark static payback for no-, low- and medium-cost options, years.
    pub payback_medium: f64,
    /// Benchmark static payback for high-cost options, years.
    pub payback_high: f64,
    /// Benchmark rate (industry benchmark or bank loan rate) the IRR must reach.
    pub rate: f64,
}

impl Benchmarks {
    /// The default paybacks (3 and 10 years) with the given benchmark rate.
    pub fn with_rate(rate: f64) -> Self {
        Benchmarks {
            payback_medium: PAYBACK_MEDIUM,
            payback_high: PAYBACK_HIGH,
            rate,
        }
    }

    /// The benchmark payback of a cost class: the high-cost one for 高费, the medium-cost one
    /// (the strictest) for the others, which only a medium option normally reaches.
    pub fn payback(&self, class: CostClass) -> f64 {
        match class {
            CostClass::High => self.payback_high,
            CostClass::None | CostClass::Low | CostClass::Medium => self.payback_medium,
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
    /// The investment is never recovered within the life.
    NeverPaysBack,
    /// The cumulative flow turns negative again after the payback (a later outlay).
    NegativeAgain,
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

/// Judges an option by the manual's criteria: static payback ≤ benchmark payback (none to
/// judge when nothing is to be recovered), NPV ≥ 0, IRR ≥ benchmark rate (when the IRR is
/// unique; otherwise NPV decides). `indicators` are this module's output.
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
    if let Some(p) = indicators.static_payback {
        match (p.years, payback) {
            (None, _) => reasons.push(Reason::NeverPaysBack),
            (Some(n), Some(benchmark)) if n > benchmark => reasons.push(Reason::PaybackTooLong {
                payback: n,
                benchmark,
            }),
            _ => {}
        }
        if p.negative_again {
            notes.push(Reason::NegativeAgain);
        }
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
            replacements: vec![],
        }
    }

    fn appraised(o: &UniformOption) -> (UniformAppraisal, Indicators) {
        let a = appraise_uniform(o).unwrap();
        let x = appraise_cash_flows(&a.cash_flows, o.discount_rate).unwrap();
        (a, x)
    }

    fn years(p: Option<Payback>) -> Option<f64> {
        p.expect("something to recover").years
    }

    #[test]
    fn manual_example_1() {
        // I = 150, F = 32.5, n = 10, i = 5 %. With no tax and Y = 10: D = 15, T = 17.5,
        // E = 17.5, F = 32.5. Annuity factor (1 − 1.05⁻¹⁰)/0.05 = 7.72173 → NPV = 100.96;
        // N = 150/32.5 = 4.615; IRR 17.257 %; NPVR = 100.956/150 = 0.673.
        let (a, x) = appraised(&uniform(150.0, 32.5, 10, 0.0, 10, 0.05));
        assert_eq!(a.annual_cash_flow, 32.5);
        let x = &x;
        assert_abs(x.npv, 100.96, 0.005);
        assert_rel(x.npv, 100.956_385_198_506_33, 1e-12);
        assert_abs(years(x.static_payback).unwrap(), 4.6, 0.05);
        assert_rel(x.npvr.unwrap(), 100.956_385_198_506_33 / 150.0, 1e-12);
        let Irr::Unique(r) = x.irr else {
            panic!("{:?}", x.irr)
        };
        assert_abs(r, 0.17257, 5e-6);
        // Discounted payback: cumulative PV after 5 years 32.5 × 4.32948 = 140.708,
        // year 6 adds 32.5/1.05⁶ = 24.252 → 5 + 9.292/24.252 = 5.383.
        assert_abs(years(x.dynamic_payback).unwrap(), 5.3831, 1e-4);
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
        let v = assess(x, CostClass::High, &Benchmarks::with_rate(0.08));
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
        let (a, ai) = appraised(&uniform(10.0, 1.58, 10, 0.25, 10, 0.06));
        assert_abs(a.depreciation, 1.0, 1e-15);
        assert_abs(a.taxable_profit, 0.58, 1e-12);
        assert_abs(a.tax, 0.145, 1e-12);
        assert_abs(a.net_profit, 0.435, 1e-12);
        assert_abs(a.annual_cash_flow, 1.435, 1e-12);
        assert_abs(years(ai.static_payback).unwrap(), 6.97, 0.005);
        assert_rel(a.equivalent_annual_cash_flow, a.annual_cash_flow, 1e-12);
        assert_abs(ai.npv, 0.56, 0.005);
        let Irr::Unique(r) = ai.irr else { panic!() };
        assert_abs(r * 100.0, 7.17, 0.005);
        // High-cost option, benchmark 10 yr and 6 %: feasible; at 8 % the IRR fails.
        assert_eq!(
            assess(&ai, CostClass::High, &Benchmarks::with_rate(0.06)).verdict,
            Verdict::Feasible
        );
        let v = assess(&ai, CostClass::High, &Benchmarks::with_rate(0.08));
        assert_eq!(v.verdict, Verdict::NotFeasible);
        assert!(matches!(v.reasons[..], [Reason::IrrBelowBenchmark { .. }]));
    }

    #[test]
    fn subsidies_and_losses() {
        // I = 100 − 20 = 80, P = 5 + 3 = 8, Y = 8 → D = 10, T = −2 → tax 0, E = −2, F = 8.
        let mut o = uniform(100.0, 5.0, 8, 0.25, 8, 0.05);
        o.subsidies = 20.0;
        o.operating_cost_reduction = 3.0;
        let (a, ai) = appraised(&o);
        assert_eq!(
            (a.investment, a.tax, a.net_profit, a.annual_cash_flow),
            (80.0, 0.0, -2.0, 8.0)
        );
        // 8 × 8 = 64 < 80: never recovered within the 8-year life (the manual's I/F = 10
        // lies beyond it).
        assert_eq!(years(ai.static_payback), None);
        assert_eq!(years(ai.dynamic_payback), None);
        // F ≤ 0: no payback, no IRR.
        let (_, ai) = appraised(&uniform(10.0, -1.0, 10, 0.25, 10, 0.05));
        assert_eq!(years(ai.static_payback), None);
        assert_eq!(ai.irr, Irr::None);
        let v = assess(&ai, CostClass::Medium, &Benchmarks::with_rate(0.05));
        assert_eq!(v.verdict, Verdict::NotFeasible);
        assert!(v.reasons.contains(&Reason::NeverPaysBack));
        assert_eq!(v.notes, vec![Reason::NoIrr]);
        // Unusable benchmarks are reasons against, never NaN in the verdict.
        let nan = Benchmarks {
            rate: f64::NAN,
            ..Benchmarks::with_rate(0.05)
        };
        let v = assess(&ai, CostClass::Medium, &nan);
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
        assert_eq!(assess(&ai, CostClass::High, &zero).payback_benchmark, None);
        // I = 0: NPVR undefined, nothing to recover, so no payback and no payback test.
        let (_, ai) = appraised(&uniform(0.0, 1.0, 1, 0.25, 5, 0.05));
        assert_eq!(ai.npvr, None);
        assert_eq!(ai.static_payback, None);
        assert_eq!(ai.dynamic_payback, None);
        let v = assess(&ai, CostClass::Medium, &Benchmarks::with_rate(0.05));
        assert_eq!((v.verdict, v.reasons.len()), (Verdict::Feasible, 0));
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
        // Cumulative −1600, 8400, −1600: paid back in year 1, negative again in year 2.
        assert!(matches!(
            v.notes[..],
            [Reason::NegativeAgain, Reason::IrrAmbiguous { .. }]
        ));
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
        let at = |years: f64, negative_again: bool| {
            Some(Payback {
                years: Some(years),
                negative_again,
            })
        };
        // −100, 30, 50, 40: cumulative −100, −70, −20, +20 → 2 + 20/40 = 2.5 years.
        let x = appraise_cash_flows(&[-100.0, 30.0, 50.0, 40.0], 0.0).unwrap();
        assert_eq!(x.static_payback, at(2.5, false));
        assert_eq!(x.dynamic_payback, at(2.5, false));
        assert_eq!(x.npv, 20.0);
        assert_eq!(x.npvr, Some(0.2));
        // A late outlay that makes the cumulative negative again: the first crossing
        // (−100 + 150 at 2/3 of year 1), flagged.
        assert_eq!(payback(0.0, &[-100.0, 150.0, -100.0]), at(2.0 / 3.0, true));
        // Cumulative −100, −40, 20, −30, 10: first crossing 1 + 40/60, then negative again.
        let x = appraise_cash_flows(&[-100.0, 60.0, 60.0, -50.0, 40.0], 0.06).unwrap();
        assert_eq!(x.static_payback, at(1.0 + 40.0 / 60.0, true));
        // numpy-financial: npf.irr → 0.05811002839820323, npf.npv(0.06) → −0.29365763633422404.
        assert_rel(
            irr_of(&[-100.0, 60.0, 60.0, -50.0, 40.0]),
            0.058_110_028_398_203_23,
            1e-9,
        );
        assert_rel(x.npv, -0.293_657_636_334_224_04, 1e-9);
        let v = assess(&x, CostClass::Medium, &Benchmarks::with_rate(0.06));
        assert!(v.notes.contains(&Reason::NegativeAgain), "{v:?}");
        // Late payback: −100 then 10 a year for 12 years; cumulative reaches 0 exactly at the
        // end of year 10. Discounted at 5 % it is still −11.37 after 12 years: never.
        let late: Vec<f64> = std::iter::once(-100.0).chain([10.0; 12]).collect();
        let x = appraise_cash_flows(&late, 0.05).unwrap();
        assert_eq!(x.static_payback, at(10.0, false));
        assert_eq!(
            x.dynamic_payback,
            Some(Payback {
                years: None,
                negative_again: false
            })
        );
        // Zero investment: the cumulative flow is never negative, nothing to recover.
        let x = appraise_cash_flows(&[0.0, 5.0, 5.0], 0.05).unwrap();
        assert_eq!(
            (x.static_payback, x.dynamic_payback, x.npvr),
            (None, None, None)
        );
        // numpy-financial: npf.npv(0.05, [0, 5, 5]) → 9.297052154195011.
        assert_rel(x.npv, 9.297_052_154_195_011, 1e-12);
        // An outlay at t = 1 after a zero year 0: counted from t = 0.
        assert_eq!(
            payback(0.0, &[0.0, -100.0, 60.0, 60.0]),
            at(2.0 + 40.0 / 60.0, false)
        );
        assert_eq!(interpolated_irr(0.1, -1.0, 0.2, -2.0), None);
        assert_eq!(interpolated_irr_from_flows(&[-100.0, 1.0]).unwrap(), None);
    }

    #[test]
    fn depreciation_period_life_and_replacement() {
        // I = 100, P = 30, Y = 5, n = 10, t = 25 %, i = 6 %, a replacement of 20 in year 6.
        // Years 1–5: D = 20, T = 10, tax 2.5, E = 7.5, F = 27.5. Years 6–10: D = 0,
        // F = 30 − 7.5 = 22.5; year 6: 22.5 − 20 = 2.5.
        let mut o = uniform(100.0, 30.0, 5, 0.25, 10, 0.06);
        o.replacements = vec![ReplacementCost {
            year: 6,
            amount: 20.0,
        }];
        let (a, x) = appraised(&o);
        let expected: Vec<f64> = [-100.0]
            .into_iter()
            .chain([27.5; 5])
            .chain([2.5])
            .chain([22.5; 4])
            .collect();
        assert_eq!(a.annual_cash_flow, 27.5);
        assert_eq!(a.annual_cash_flow_after_depreciation, Some(22.5));
        assert_eq!(a.cash_flows, expected);
        // numpy-financial: npf.npv(0.06, flows) → 72.56456677586567,
        // npf.irr(flows) → 0.2082715430177613.
        assert_rel(x.npv, 72.564_566_775_865_67, 1e-12);
        assert_rel(irr_of(&a.cash_flows), 0.208_271_543_017_761_3, 1e-9);
        // Annual equivalent: PV(c_1..c_10) · 0.06/(1 − 1.06⁻¹⁰) = 23.445995349021935
        // (numpy), and the uniform NPV F_eq · annuity − I is the year-by-year NPV.
        assert_rel(a.equivalent_annual_cash_flow, 23.445_995_349_021_935, 1e-12);
        let uniform_flows: Vec<f64> = std::iter::once(-100.0)
            .chain([a.equivalent_annual_cash_flow; 10])
            .collect();
        assert_rel(npv(0.06, &uniform_flows).unwrap(), x.npv, 1e-12);
        // Cumulative −100, −72.5, −45, −17.5, 10 → 3 + 17.5/27.5; discounted: 4 + 4.7096/20.5496.
        assert_eq!(years(x.static_payback), Some(3.0 + 17.5 / 27.5));
        assert_rel(years(x.dynamic_payback).unwrap(), 4.229_181_867_6, 1e-9);
        // A replacement outside the life is an error naming it.
        o.replacements[0].year = 11;
        let Err(EconomicsError::InvalidNumber(e)) = appraise_uniform(&o) else {
            panic!()
        };
        assert_eq!(e.field, "replacements[0].year");
    }

    #[test]
    fn far_roots_and_the_search_range() {
        // numpy-financial: npf.irr([-1, 10]) → 9.0, npf.irr([-1, 10.5]) → 9.5, both near the
        // top of the range; 1100 % lies beyond it and is reported as no IRR.
        assert_rel(irr_of(&[-1.0, 10.0]), 9.0, 1e-12);
        assert_rel(irr_of(&[-1.0, 10.5]), 9.5, 1e-12);
        assert_eq!(irr(&[-1.0, 12.0]).unwrap(), Irr::None);
        // −98 % is inside, −99.5 % outside: −1 + 0.02 → r = −0.98.
        assert_rel(irr_of(&[-1.0, 0.02]), -0.98, 1e-9);
        assert_eq!(irr(&[-1.0, 0.005]).unwrap(), Irr::None);
        // No real root at all: 1 − x + x² > 0 for every x = 1/(1+r).
        assert_eq!(irr(&[1.0, -1.0, 1.0]).unwrap(), Irr::None);
    }

    #[test]
    fn cost_class_of_investment() {
        let class = |x| CostClass::of_investment(x, 5.0, 200.0);
        assert_eq!(class(0.0), Some(CostClass::None));
        assert_eq!(class(4.99), Some(CostClass::Low));
        assert_eq!(class(5.0), Some(CostClass::Medium));
        assert_eq!(class(199.0), Some(CostClass::Medium));
        assert_eq!(class(200.0), Some(CostClass::High));
        assert_eq!(class(-1.0), None);
        assert_eq!(CostClass::of_investment(10.0, 50.0, 20.0), None);
        let b = Benchmarks::with_rate(0.06);
        assert_eq!(
            (b.payback(CostClass::Medium), b.payback(CostClass::High)),
            (3.0, 10.0)
        );
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
        let (a, ai) = appraised(&o);
        let v = serde_json::to_value(&ai).unwrap();
        assert_eq!(v["npvr"], json!(ai.npvr.unwrap()));
        assert_eq!(v["irr"]["unique"], json!(irr_of(&a.cash_flows)));
        assert_eq!(v["static_payback"]["negative_again"], json!(false));
        assert_rel(
            v["static_payback"]["years"].as_f64().unwrap(),
            150.0 / 32.5,
            1e-12,
        );
        assert_eq!(
            serde_json::to_value(&a).unwrap()["cash_flows"][0],
            json!(-150.0)
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

//! Material-balance data reconciliation (数据协调, STAN-style weighted least squares).
//!
//! Measured flows never close a balance exactly. Given each measurement's standard deviation,
//! reconciliation finds the smallest weighted adjustment that makes every balanced process close,
//! computes the unmeasured flows, propagates the uncertainties, and tests whether the
//! adjustments are compatible with the stated uncertainties (ecosystem-notes §6, Narasimhan &
//! Jordache eq. 7-3/7-13):
//!
//! - measured vector y, covariance Q = diag(σ²); one constraint row per process,
//!   Σin − Σout = 0 (a stock change is a flow out of the process, as in
//!   [`balance`](super::balance)). Flows given without uncertainty are constants; unknown flows u
//!   enter as A y + B u + c = 0 and are eliminated by projecting with P (P B = 0).
//! - r = A y + c, S = A Q Aᵀ, **x̂ = y − Q Aᵀ S⁻¹ r**, **Cov(x̂) = Q − Q Aᵀ S⁻¹ A Q**;
//!   adjustments a = x̂ − y with Cov(a) = Q Aᵀ S⁻¹ A Q; unknowns from the reconciled flows.
//! - Global test h = rᵀ S⁻¹ r ~ χ²(rank A); measurement test z_i = a_i / √Cov(a)_ii ~ N(0, 1),
//!   flagged when |z_i| > z_{1−α/(2n)} (Bonferroni over the n tested measurements).
//!
//! Measurements whose constraint columns are parallel (they appear in the same balances, with
//! proportional coefficients once the unknowns are eliminated) always get the same |z|: the data
//! cannot tell which of them is wrong. They are reported together as one [`SuspectGroup`]; no
//! single flow is ever "corrected" on its own.
//!
//! Caveats, for the report: the method assumes random, normally distributed errors and a correct
//! model (a missing flow makes every result worse); it needs redundancy (rank > 0 once the
//! unknowns are eliminated); reconciled values can come out negative ([`Reconciliation::negative`]).
//!
//! Linear algebra: two solvers with the same results (they are tested against each other to
//! 1e-9 on random networks with σ spread over eight orders of magnitude).
//!
//! - Up to [`DENSE_MAX_MEASURED`] measured flows, small dense routines (Gauss–Jordan with
//!   partial pivoting to eliminate unknowns and drop dependent balances, Householder QR for S).
//!   S = A Q Aᵀ is never formed: with B = A Q^½ = Rᵀ Q₁ᵀ (QR of Bᵀ, Q = [Q₁ Q₂] orthogonal),
//!   S = RᵀR, Q Aᵀ S⁻¹ r = Q^½ Q₁ R⁻ᵀ r, Cov(a) = Q^½ Q₁ Q₁ᵀ Q^½ and
//!   Cov(x̂) = Q^½ Q₂ Q₂ᵀ Q^½ (no cancellation in Q − …). The balances are reduced pivoting on
//!   the least precise flows first, and each pivot flow is then recomputed from its balance.
//!   Together these keep values, σ and χ² accurate to about 1e-10 even with σ spanning twelve
//!   orders of magnitude (checked against 60-digit arithmetic), where forming S would square
//!   the condition number. Its cost grows as n³ (94 s for 3,000 streams).
//! - Beyond, the network solver of [`network`], which does the same steps as graph operations
//!   (merging nodes, a spanning forest, a subtraction-free sparse factorisation of the
//!   network's Laplacian) in about O(n log n) for process networks; see its documentation.
//!   No sparse-matrix crate is used: their factorisations subtract, which loses the accuracy
//!   above when σ span many orders of magnitude, and none gives the effective resistances
//!   the tests need without forming S⁻¹.

use super::{InvalidNumber, finite, non_negative};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;

mod network;

/// Significance level of the tests unless the caller chooses another: 5 %.
pub const DEFAULT_ALPHA: f64 = 0.05;

/// Entries of an eliminated balance matrix within this of zero are zero. Balance matrices hold
/// 0 and ±1 and are totally unimodular, so elimination yields 0 and ±1 plus rounding noise.
const PIVOT_TOL: f64 = 1e-9;

/// A balance of fixed (exactly known) flows only must close to this fraction of its terms.
const FIXED_CLOSURE_TOL: f64 = 1e-9;

/// Smallest |R_ii| / max |R_jj| before the weighted constraints count as numerically dependent.
/// A safety net: with the σ-ordered pivoting, |R_ii| ≥ 1/√n for flow networks.
const CONDITION_TOL: f64 = 1e-10;

/// A measurement whose redundancy Cov(a)_ii / σ_i² is below this is not tested: its adjustment
/// is nil or too small to mean anything.
const MIN_REDUNDANCY: f64 = 1e-12;

/// Two constraint columns whose |cos| is at least 1 − this are parallel (equal detectability).
const PARALLEL_TOL: f64 = 1e-9;

/// Up to this many measured flows the dense solver runs (its results are the reference the
/// network solver is tested against, and an audit of this size takes well under 0.1 s).
const DENSE_MAX_MEASURED: usize = 100;

// ---------------------------------------------------------------------------------------------
// Input

/// One flow of the reconciliation graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Unique id, e.g. `F3`.
    pub id: String,
    /// Source process; `None` = from outside the boundary.
    pub from: Option<String>,
    /// Destination process; `None` = to outside the boundary.
    pub to: Option<String>,
    /// Measured (or given) value; `None` = unknown, to be computed from the balances. All flows
    /// share one unit (the caller converts). May be negative (a stock drawdown).
    #[serde(default)]
    pub value: Option<f64>,
    /// Standard deviation of `value` (same unit). `None` or 0 = known exactly: the flow is fixed
    /// and never adjusted (STAN's convention for data without uncertainty). Must be `None` when
    /// `value` is.
    #[serde(default)]
    pub sigma: Option<f64>,
}

// ---------------------------------------------------------------------------------------------
// Output

/// How a flow took part in the reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowRole {
    /// Measured with σ > 0: adjusted by the reconciliation.
    Measured,
    /// Given without uncertainty (σ = 0 or none): kept as given.
    Fixed,
    /// Not measured, computed from the reconciled flows.
    Computed,
    /// Not measured and not determinable (it parallels another unknown, or closes a loop of
    /// unknowns): no value.
    Undetermined,
}

/// One flow after reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReconciledFlow {
    /// Flow id.
    pub id: String,
    /// How the flow took part.
    pub role: FlowRole,
    /// The value as given (`None` for unknowns).
    pub measured: Option<f64>,
    /// The σ as given.
    pub measured_sigma: Option<f64>,
    /// Reconciled (or computed, or fixed) value; `None` when undetermined.
    pub value: Option<f64>,
    /// Standard deviation of `value` (0 for fixed flows); `None` when undetermined.
    pub sigma: Option<f64>,
    /// value − measured, for measured flows.
    pub adjustment: Option<f64>,
    /// Cov(a)_ii / σ_i² in [0, 1], for measured flows: 0 = no balance checks this measurement
    /// (it is kept as measured), near 1 = the other flows determine it.
    pub redundancy: Option<f64>,
    /// Measurement test z = adjustment / σ(adjustment); `None` when not tested (not measured,
    /// or redundancy ≈ 0).
    pub z: Option<f64>,
    /// |z| above the Bonferroni threshold (and so for every flow of its [`SuspectGroup`]).
    pub flagged: bool,
}

/// Flagged measurements that the data cannot tell apart: at least one of them is suspect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuspectGroup {
    /// Flow ids, in input order.
    pub flows: Vec<String>,
    /// |z| of the group (its members share it up to rounding; the largest is given).
    pub abs_z: f64,
}

/// Outcome of the statistical tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Rank 0 after eliminating the unknowns: nothing can be checked, the measurements are
    /// returned unchanged (and the unknowns computed where determinable).
    NoRedundancy,
    /// The global test passes (p ≥ α) and no measurement is flagged.
    Tolerable,
    /// The global test fails, or a measurement is flagged.
    GrossErrorSuspected {
        /// p < α.
        global_test_failed: bool,
        /// Flagged groups, largest |z| first; empty when only the global test fails.
        suspects: Vec<SuspectGroup>,
    },
}

/// Result of [`reconcile`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// One entry per input flow, in input order.
    pub flows: Vec<ReconciledFlow>,
    /// Global test statistic h = rᵀ S⁻¹ r (0 without redundancy).
    pub chi_square: f64,
    /// Degrees of freedom: rank of the constraints once the unknowns are eliminated.
    pub degrees_of_freedom: usize,
    /// P(χ²(dof) ≥ h); `None` without redundancy.
    pub p_value: Option<f64>,
    /// Significance level used.
    pub alpha: f64,
    /// Bonferroni threshold z_{1−α/(2n)}, n = number of tested measurements; `None` when none is.
    pub z_critical: Option<f64>,
    /// Ids of flows whose reconciled or computed value is negative although they were measured
    /// ≥ 0 or unknown: impossible for a material flow, so a gross error or a wrong model.
    pub negative: Vec<String>,
    /// The verdict of the tests.
    pub verdict: Outcome,
}

/// Why a reconciliation could not be made.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReconcileError {
    /// A value, σ or α is not usable.
    InvalidNumber(InvalidNumber),
    /// Two flows share one id.
    DuplicateFlow {
        /// Flow id.
        flow: String,
    },
    /// Two processes share one id.
    DuplicateProcess {
        /// Process id.
        process: String,
    },
    /// A flow has neither `from` nor `to`.
    Unattached {
        /// Flow id.
        flow: String,
    },
    /// A flow goes from a process to itself.
    SelfLoop {
        /// Flow id.
        flow: String,
    },
    /// A flow names a process that is not in the process list.
    UnknownProcess {
        /// Flow id.
        flow: String,
        /// The unknown process id.
        process: String,
    },
    /// An unknown flow (no value) has a σ.
    SigmaWithoutValue {
        /// Flow id.
        flow: String,
    },
    /// Flows given without uncertainty contradict each other: a balance (after eliminating the
    /// unknowns) involves only them and does not close. Give them a σ.
    InconsistentFixedFlows {
        /// The fixed flows of that balance, in input order.
        flows: Vec<String>,
    },
    /// The weighted constraints came out numerically singular, or a result overflowed (values
    /// or σ near the limits of floating point). A safety net that flow networks with sensible
    /// numbers do not reach; reported rather than guessed.
    IllConditioned,
}

impl fmt::Display for ReconcileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReconcileError::InvalidNumber(e) => e.fmt(f),
            ReconcileError::DuplicateFlow { flow } => write!(f, "flow id {flow} is used twice"),
            ReconcileError::DuplicateProcess { process } => {
                write!(f, "process id {process} is used twice")
            }
            ReconcileError::Unattached { flow } => {
                write!(f, "flow {flow} has neither `from` nor `to`")
            }
            ReconcileError::SelfLoop { flow } => {
                write!(f, "flow {flow} goes from a process to itself")
            }
            ReconcileError::UnknownProcess { flow, process } => {
                write!(
                    f,
                    "flow {flow} names process {process}, which is not listed"
                )
            }
            ReconcileError::SigmaWithoutValue { flow } => {
                write!(f, "flow {flow} has a standard deviation but no value")
            }
            ReconcileError::InconsistentFixedFlows { flows } => write!(
                f,
                "flows given without uncertainty do not balance: {}; give them a standard deviation",
                flows.join(", ")
            ),
            ReconcileError::IllConditioned => write!(
                f,
                "the balances are numerically singular or a result overflowed: check for extreme \
                 values or standard deviations; mark near-exact flows as fixed and near-unknown \
                 ones as unknown"
            ),
        }
    }
}

impl std::error::Error for ReconcileError {}

impl From<InvalidNumber> for ReconcileError {
    fn from(e: InvalidNumber) -> Self {
        ReconcileError::InvalidNumber(e)
    }
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

/// A validated flow.
#[derive(Clone, Copy)]
enum Data {
    Measured { value: f64, sigma: f64 },
    Fixed { value: f64 },
    Unknown,
}

fn validate(
    processes: &[String],
    flows: &[Flow],
) -> Result<(HashMap<String, usize>, Vec<Data>), ReconcileError> {
    let mut index = HashMap::new();
    for (i, p) in processes.iter().enumerate() {
        if index.insert(p.clone(), i).is_some() {
            return Err(ReconcileError::DuplicateProcess { process: p.clone() });
        }
    }
    let mut seen = HashSet::new();
    let mut data = Vec::with_capacity(flows.len());
    for f in flows {
        let flow = || f.id.clone();
        if !seen.insert(f.id.as_str()) {
            return Err(ReconcileError::DuplicateFlow { flow: flow() });
        }
        if f.from.is_none() && f.to.is_none() {
            return Err(ReconcileError::Unattached { flow: flow() });
        }
        if f.from.is_some() && f.from == f.to {
            return Err(ReconcileError::SelfLoop { flow: flow() });
        }
        for p in [&f.from, &f.to].into_iter().flatten() {
            if !index.contains_key(p) {
                return Err(ReconcileError::UnknownProcess {
                    flow: flow(),
                    process: p.clone(),
                });
            }
        }
        data.push(match (f.value, f.sigma) {
            (None, None) => Data::Unknown,
            (None, Some(_)) => return Err(ReconcileError::SigmaWithoutValue { flow: flow() }),
            (Some(v), s) => {
                let value = finite(v, || format!("flows[{}].value", f.id))?;
                let sigma = match s {
                    Some(s) => non_negative(s, || format!("flows[{}].sigma", f.id))?,
                    None => 0.0,
                };
                if sigma > 0.0 {
                    Data::Measured { value, sigma }
                } else {
                    Data::Fixed { value }
                }
            }
        });
    }
    Ok((index, data))
}

/// A spread of batch values at most this many ulps of their mean is rounding, not
/// measurement: the stream is taken as exact.
const ROUNDING_SPREAD: f64 = 8.0 * f64::EPSILON;

/// Value and standard deviation of a stream from its batch values: the mean, and the standard
/// error of the mean s/√n, s² = Σ (xᵢ − x̄)² / (n − 1). The σ is `None` (the stream is exact)
/// with fewer than two batches, when every batch has the same value, or when the spread is
/// at the level of rounding (s ≤ [`ROUNDING_SPREAD`] · |x̄|).
///
/// Equal batch values give exactly that value and no spread: (x + x + x) / 3 can differ from
/// x in the last bit, and the deviations from it would then be ~1e-17 instead of 0, a σ that
/// makes any imbalance a gross error. Unequal values give Σxᵢ / n as before. An empty slice
/// gives 0 and no σ.
pub fn batch_estimate(values: &[f64]) -> (f64, Option<f64>) {
    let Some(&first) = values.first() else {
        return (0.0, None);
    };
    if values.iter().all(|&x| x == first) {
        return (first, None);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let s2 = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sigma = (s2 / n).sqrt();
    let rounding = s2.sqrt() <= ROUNDING_SPREAD * mean.abs();
    (mean, (sigma > 0.0 && !rounding).then_some(sigma))
}

/// Reconciles the measured flows of a graph of processes, each balanced (Σin = Σout), at
/// significance level `alpha` ([`DEFAULT_ALPHA`] usually).
///
/// Every node that a flow names must be in `processes`; flows from or to `None` cross the
/// boundary. A process without flows adds nothing.
pub fn reconcile(
    processes: &[String],
    flows: &[Flow],
    alpha: f64,
) -> Result<Reconciliation, ReconcileError> {
    reconcile_with(processes, flows, alpha, Method::Auto)
}

/// Which solver [`reconcile_with`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// [`Method::Dense`] up to [`DENSE_MAX_MEASURED`] measured flows, [`Method::Network`] beyond.
    Auto,
    /// Gauss–Jordan elimination and a Householder QR of the weighted constraints: O(n³).
    Dense,
    /// The flow-network solver of [`network`]: near-linear for process networks.
    Network,
}

fn count_measured(data: &[Data]) -> usize {
    data.iter()
        .filter(|d| matches!(d, Data::Measured { .. }))
        .count()
}

fn reconcile_with(
    processes: &[String],
    flows: &[Flow],
    alpha: f64,
    method: Method,
) -> Result<Reconciliation, ReconcileError> {
    let alpha = match finite(alpha, || "alpha".to_string()) {
        Ok(a) if a > 0.0 && a < 1.0 => a,
        _ => {
            return Err(ReconcileError::InvalidNumber(InvalidNumber {
                field: "alpha".into(),
                value: alpha.to_string(),
                expected: "a probability in (0, 1)".into(),
            }));
        }
    };
    let (index, data) = validate(processes, flows)?;
    let method = match method {
        Method::Auto if count_measured(&data) <= DENSE_MAX_MEASURED => Method::Dense,
        Method::Auto => Method::Network,
        m => m,
    };
    let core = match method {
        Method::Network => network::solve(&index, processes.len(), flows, &data)?,
        _ => dense_core(&index, processes.len(), flows, &data)?,
    };
    let Core {
        x_hat,
        var_hat,
        redundancy,
        z,
        chi_square,
        rank,
        unknown_out,
        class,
    } = core;
    let nm = x_hat.len();
    let meas: Vec<usize> = data
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d, Data::Measured { .. }))
        .map(|(j, _)| j)
        .collect();
    // 5. Tests.
    let tested = z.iter().flatten().count();
    let z_critical = (tested > 0)
        .then(|| normal_quantile(alpha / (2.0 * tested as f64)))
        .flatten()
        .map(|q| -q);
    let p_value = (rank > 0)
        .then(|| chi_square_sf(chi_square, rank))
        .flatten();
    let mut flagged = vec![false; nm];
    let mut suspects = Vec::new();
    if let Some(zc) = z_critical {
        let mut assigned = vec![false; nm];
        for j in 0..nm {
            if assigned[j] || z[j].is_none() {
                continue;
            }
            let group: Vec<usize> = (j..nm)
                .filter(|&l| !assigned[l] && z[l].is_some() && class[l] == class[j])
                .collect();
            let abs_z = group
                .iter()
                .filter_map(|&l| z[l])
                .fold(0.0_f64, |a, b| a.max(b.abs()));
            for &l in &group {
                assigned[l] = true;
                flagged[l] = abs_z > zc;
            }
            if abs_z > zc {
                suspects.push(SuspectGroup {
                    flows: group.iter().map(|&l| flows[meas[l]].id.clone()).collect(),
                    abs_z,
                });
            }
        }
    }
    suspects.sort_by(|a, b| b.abs_z.total_cmp(&a.abs_z));
    let global_test_failed = p_value.is_some_and(|p| p < alpha);
    let verdict = if rank == 0 {
        Outcome::NoRedundancy
    } else if global_test_failed || !suspects.is_empty() {
        Outcome::GrossErrorSuspected {
            global_test_failed,
            suspects,
        }
    } else {
        Outcome::Tolerable
    };

    // 6. Assemble, in input order.
    let mut out = Vec::with_capacity(flows.len());
    let (mut mi, mut ui) = (0, 0);
    for (f, d) in flows.iter().zip(&data) {
        let base = ReconciledFlow {
            id: f.id.clone(),
            role: FlowRole::Fixed,
            measured: f.value,
            measured_sigma: f.sigma,
            value: None,
            sigma: None,
            adjustment: None,
            redundancy: None,
            z: None,
            flagged: false,
        };
        out.push(match *d {
            Data::Measured { value, .. } => {
                let j = mi;
                mi += 1;
                ReconciledFlow {
                    role: FlowRole::Measured,
                    value: Some(x_hat[j]),
                    sigma: Some(var_hat[j].sqrt()),
                    adjustment: Some(x_hat[j] - value),
                    redundancy: Some(redundancy[j]),
                    z: z[j],
                    flagged: flagged[j],
                    ..base
                }
            }
            Data::Fixed { value } => ReconciledFlow {
                value: Some(value),
                sigma: Some(0.0),
                ..base
            },
            Data::Unknown => {
                let k = ui;
                ui += 1;
                match unknown_out[k] {
                    Some((v, s)) => ReconciledFlow {
                        role: FlowRole::Computed,
                        value: Some(v),
                        sigma: Some(s),
                        ..base
                    },
                    None => ReconciledFlow {
                        role: FlowRole::Undetermined,
                        ..base
                    },
                }
            }
        });
    }
    let all_finite = chi_square.is_finite()
        && out.iter().all(|f| {
            [f.value, f.sigma, f.adjustment, f.z]
                .iter()
                .flatten()
                .all(|v| v.is_finite())
        });
    if !all_finite {
        return Err(ReconcileError::IllConditioned);
    }
    let negative = out
        .iter()
        .filter(|f| f.value.is_some_and(|v| v < 0.0) && f.measured.is_none_or(|v| v >= 0.0))
        .map(|f| f.id.clone())
        .collect();
    Ok(Reconciliation {
        flows: out,
        chi_square,
        degrees_of_freedom: rank,
        p_value,
        alpha,
        z_critical,
        negative,
        verdict,
    })
}

/// What a solver hands back, per measured flow (in input order among the measured ones) and
/// per unknown flow.
struct Core {
    /// Reconciled values.
    x_hat: Vec<f64>,
    /// Their variances.
    var_hat: Vec<f64>,
    /// Cov(a)_ii / σ_i², in [0, 1].
    redundancy: Vec<f64>,
    /// Measurement test statistics (`None`: not tested).
    z: Vec<Option<f64>>,
    /// Global test statistic.
    chi_square: f64,
    /// Rank of the reduced constraints.
    rank: usize,
    /// Value and σ of each unknown flow, `None` when undetermined.
    unknown_out: Vec<Option<(f64, f64)>>,
    /// Equal numbers for measurements whose reduced constraint columns are parallel.
    class: Vec<usize>,
}

/// The original dense solver (QR of the weighted constraints), for small audits.
fn dense_core(
    index: &HashMap<String, usize>,
    m: usize,
    flows: &[Flow],
    data: &[Data],
) -> Result<Core, ReconcileError> {
    // Column of the balance matrix for each flow: +1 into a process, −1 out of it.
    let column = |f: &Flow| {
        let mut c = vec![0.0; m];
        if let Some(t) = &f.to {
            c[index[t]] += 1.0;
        }
        if let Some(s) = &f.from {
            c[index[s]] -= 1.0;
        }
        c
    };
    let (mut meas, mut unk) = (Vec::new(), Vec::new());
    let (mut y, mut sig) = (Vec::new(), Vec::new());
    // Per process: Σ of the fixed flows' signed values (c) and of their magnitudes.
    let (mut c_proc, mut mag_proc) = (vec![0.0; m], vec![0.0; m]);
    for (j, (f, d)) in flows.iter().zip(data).enumerate() {
        match *d {
            Data::Measured { value, sigma } => {
                meas.push(j);
                y.push(value);
                sig.push(sigma);
            }
            Data::Fixed { value } => {
                for (p, a) in column(f).into_iter().enumerate() {
                    c_proc[p] += a * value;
                    mag_proc[p] += (a * value).abs();
                }
            }
            Data::Unknown => unk.push(j),
        }
    }
    let (nm, nu) = (meas.len(), unk.len());
    // A_m (m × nm) and A_u (m × nu), as rows.
    let transpose = |cols: Matrix, n: usize| -> Matrix {
        (0..m)
            .map(|p| (0..n).map(|j| cols[j][p]).collect())
            .collect()
    };
    let a_m = transpose(meas.iter().map(|&j| column(&flows[j])).collect(), nm);
    let a_u = transpose(unk.iter().map(|&j| column(&flows[j])).collect(), nu);

    // 1. Eliminate the unknowns: T A_u = RREF; the rows of T below the rank of A_u form P.
    let mut r_u = a_u;
    let mut t_u = identity(m);
    let piv_u = rref(&mut r_u, &mut t_u, &(0..nu).collect::<Vec<_>>());
    let p = t_u[piv_u.len()..].to_vec();

    // 2. Drop dependent balances: W = T₂ P, reduced constraints A_r = (W A_m)[..rank].
    // Pivoting on the least precise flows first makes each row's pivot its largest weighted
    // entry; with entries in {0, ±1}, the pivot block of the row-normalised A_r Q^½ is then
    // diagonal with entries ≥ 1/√n, so S stays well conditioned whatever the σ.
    let mut a_r = mat_mul(&p, &a_m, nm);
    let mut t2 = identity(p.len());
    let mut by_sigma: Vec<usize> = (0..nm).collect();
    by_sigma.sort_by(|&a, &b| sig[b].total_cmp(&sig[a]));
    let piv = rref(&mut a_r, &mut t2, &by_sigma);
    let rank = piv.len();
    let w = mat_mul(&t2, &p, m);
    for w_i in &w[rank..] {
        // A balance of fixed flows only: it must close.
        let c = dot(w_i, &c_proc);
        let mag: f64 = w_i.iter().zip(&mag_proc).map(|(a, b)| a.abs() * b).sum();
        if c.abs() > FIXED_CLOSURE_TOL * mag {
            let involved = flows
                .iter()
                .zip(data)
                .filter(|(f, d)| {
                    matches!(d, Data::Fixed { .. }) && dot(w_i, &column(f)).abs() > PIVOT_TOL
                })
                .map(|(f, _)| f.id.clone())
                .collect();
            return Err(ReconcileError::InconsistentFixedFlows { flows: involved });
        }
    }
    a_r.truncate(rank);
    let c_r: Vec<f64> = w[..rank].iter().map(|w_i| dot(w_i, &c_proc)).collect();

    // 3. Weighted least squares through the thin QR of Bᵀ, B = A_r Q^½ with unit rows.
    let mut x_hat = y.clone();
    let mut redundancy = vec![0.0; nm];
    let mut z: Vec<Option<f64>> = vec![None; nm];
    let mut chi_square = 0.0;
    // Orthogonal Q = [Q₁ Q₂] of the QR below: Q₁ (first `rank` columns) spans the weighted
    // constraints, Q₂ its complement; without redundancy Q = Q₂ = I.
    let mut q = identity(nm);
    if rank > 0 {
        let mut bt = vec![vec![0.0; rank]; nm];
        let mut r = vec![0.0; rank];
        for i in 0..rank {
            let norm = a_r[i]
                .iter()
                .zip(&sig)
                .map(|(a, s)| (a * s) * (a * s))
                .sum::<f64>()
                .sqrt();
            if !(norm.is_finite() && norm > 0.0) {
                return Err(ReconcileError::IllConditioned);
            }
            for j in 0..nm {
                bt[j][i] = a_r[i][j] * sig[j] / norm;
            }
            r[i] = (dot(&a_r[i], &y) + c_r[i]) / norm;
        }
        let rr;
        (q, rr) = householder_qr(&bt, rank).ok_or(ReconcileError::IllConditioned)?;
        // t = R⁻ᵀ r (forward substitution); h = ‖t‖².
        let mut t = vec![0.0; rank];
        for i in 0..rank {
            let s: f64 = (0..i).map(|l| rr[l][i] * t[l]).sum();
            t[i] = (r[i] - s) / rr[i][i];
        }
        chi_square = t.iter().map(|v| v * v).sum();
        for j in 0..nm {
            let q1_j = &q[j][..rank];
            x_hat[j] = y[j] - sig[j] * dot(q1_j, &t);
            redundancy[j] = dot(q1_j, q1_j).min(1.0);
        }
        // Each constraint row's pivot is its least precise flow: recompute it from the row, so
        // that the constraints hold to rounding even when the σ span many orders of magnitude
        // (σ_j · v_j carries an absolute error of σ_j · ε · ‖t‖). Rows share no pivot.
        for (i, &pivot) in piv.iter().enumerate() {
            let others: f64 = (0..nm)
                .filter(|&j| j != pivot)
                .map(|j| a_r[i][j] * x_hat[j])
                .sum();
            x_hat[pivot] = -(c_r[i] + others);
        }
        for j in 0..nm {
            let checked = a_r.iter().any(|row| row[j] != 0.0);
            if checked && redundancy[j] > MIN_REDUNDANCY {
                z[j] = Some((x_hat[j] - y[j]) / (sig[j] * redundancy[j].sqrt()));
            }
        }
    }
    // Variance of a linear function hᵀx̂ of the reconciled flows, given g = σ∘h:
    // hᵀ Cov(x̂) h = ‖Q₂ᵀ g‖² (Cov(x̂) = Q^½ Q₂ Q₂ᵀ Q^½), free of the cancellation in Q − ….
    let variance = |g: &[f64]| -> f64 {
        (rank..nm)
            .map(|c| {
                let proj: f64 = (0..nm).map(|j| q[j][c] * g[j]).sum();
                proj * proj
            })
            .sum()
    };
    // Var(x̂_j) = σ_j² (1 − redundancy_j) = σ_j² ‖Q₂ row j‖²; a pivot, computed from its row,
    // takes the variance of that combination of the more precise flows.
    let mut var_hat: Vec<f64> = (0..nm)
        .map(|j| sig[j] * sig[j] * dot(&q[j][rank..], &q[j][rank..]))
        .collect();
    for (i, &pivot) in piv.iter().enumerate() {
        let g: Vec<f64> = (0..nm)
            .map(|j| if j == pivot { 0.0 } else { -sig[j] * a_r[i][j] })
            .collect();
        var_hat[pivot] = variance(&g);
    }

    // 4. Unknowns: row i of RREF(A_u) reads u_k + Σ_free R_il u_l = −T_i (A_m x̂ + c);
    // u_k is determinable when no free unknown appears in its row.
    let s_proc: Vec<f64> = (0..m).map(|p| dot(&a_m[p], &x_hat) + c_proc[p]).collect();
    let mut unknown_out: Vec<Option<(f64, f64)>> = vec![None; nu];
    for (i, &k) in piv_u.iter().enumerate() {
        let free_terms = (0..nu).any(|l| l != k && r_u[i][l] != 0.0);
        if free_terms {
            continue;
        }
        let value = -dot(&t_u[i], &s_proc);
        // Sensitivity to x̂: h = −T_i A_m; Var = hᵀ Cov(x̂) h = ‖Q₂ᵀ (σ∘h)‖².
        let g: Vec<f64> = (0..nm)
            .map(|j| -sig[j] * (0..m).map(|p| t_u[i][p] * a_m[p][j]).sum::<f64>())
            .collect();
        unknown_out[k] = Some((value, variance(&g).sqrt()));
    }

    // Parallel reduced columns share a class.
    let column_of = |j: usize| -> Vec<f64> { a_r.iter().map(|row| row[j]).collect() };
    let mut class = vec![usize::MAX; nm];
    for j in 0..nm {
        if class[j] != usize::MAX {
            continue;
        }
        class[j] = j;
        let cj = column_of(j);
        for (l, c) in class.iter_mut().enumerate().skip(j + 1) {
            if *c == usize::MAX && parallel(&cj, &column_of(l)) {
                *c = j;
            }
        }
    }
    Ok(Core {
        x_hat,
        var_hat,
        redundancy,
        z,
        chi_square,
        rank,
        unknown_out,
        class,
    })
}

// ---------------------------------------------------------------------------------------------
// Small dense linear algebra (matrices as rows)

/// A dense matrix as a vector of rows.
type Matrix = Vec<Vec<f64>>;

fn identity(n: usize) -> Matrix {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// a (r × k) · b (k × cols); `cols` is given because b may have no rows.
fn mat_mul(a: &[Vec<f64>], b: &[Vec<f64>], cols: usize) -> Matrix {
    a.iter()
        .map(|row| {
            (0..cols)
                .map(|c| row.iter().zip(b).map(|(x, b_row)| x * b_row[c]).sum())
                .collect()
        })
        .collect()
}

/// |cos(a, b)| ≥ 1 − [`PARALLEL_TOL`] (both non-zero).
fn parallel(a: &[f64], b: &[f64]) -> bool {
    let (na, nb) = (dot(a, a).sqrt(), dot(b, b).sqrt());
    na > 0.0 && nb > 0.0 && dot(a, b).abs() >= (1.0 - PARALLEL_TOL) * na * nb
}

/// Gauss–Jordan elimination with partial pivoting of `m` to reduced row echelon form, visiting
/// the columns in `order`; every row operation is applied to `t` too. Entries within
/// [`PIVOT_TOL`] of zero are set to zero. Returns the pivot columns: row i < rank has a 1 at
/// `pivots[i]` and zeros in the other pivot columns; rows from rank on are zero.
///
/// On a flow-network (incidence) matrix, which is totally unimodular, every entry of the result
/// is 0 or ±1.
#[allow(clippy::needless_range_loop)]
fn rref(m: &mut [Vec<f64>], t: &mut [Vec<f64>], order: &[usize]) -> Vec<usize> {
    let rows = m.len();
    let mut pivots = Vec::new();
    for &col in order {
        let r0 = pivots.len();
        if r0 == rows {
            break;
        }
        let mut best = r0;
        for r in r0 + 1..rows {
            if m[r][col].abs() > m[best][col].abs() {
                best = r;
            }
        }
        if m[best][col].abs() <= PIVOT_TOL {
            for r in r0..rows {
                m[r][col] = 0.0;
            }
            continue;
        }
        m.swap(r0, best);
        t.swap(r0, best);
        let pivot = m[r0][col];
        m[r0].iter_mut().for_each(|x| *x /= pivot);
        t[r0].iter_mut().for_each(|x| *x /= pivot);
        m[r0][col] = 1.0;
        let (m_row, t_row) = (m[r0].clone(), t[r0].clone());
        for r in 0..rows {
            let f = m[r][col];
            if r == r0 || f == 0.0 {
                continue;
            }
            for (x, p) in m[r].iter_mut().zip(&m_row) {
                *x -= f * p;
            }
            for (x, p) in t[r].iter_mut().zip(&t_row) {
                *x -= f * p;
            }
            m[r][col] = 0.0;
        }
        pivots.push(col);
    }
    for x in m.iter_mut().flatten() {
        if x.abs() <= PIVOT_TOL {
            *x = 0.0;
        }
    }
    pivots
}

/// Householder QR of the n × k matrix `a` (rows, n ≥ k): returns the orthogonal Q (n × n) and
/// R (k × k, upper triangular) with a = Q₁ R, Q₁ the first k columns of Q (Q₂, the others, spans
/// the orthogonal complement); or `None` when a column is numerically dependent on the previous
/// ones (|R_ii| ≤ [`CONDITION_TOL`] · max |R_jj|).
#[allow(clippy::needless_range_loop)]
fn householder_qr(a: &[Vec<f64>], k: usize) -> Option<(Matrix, Matrix)> {
    let n = a.len();
    if n < k {
        return None;
    }
    let mut a = a.to_vec();
    let mut reflectors: Vec<(Vec<f64>, f64)> = Vec::with_capacity(k);
    for j in 0..k {
        let norm = (j..n).map(|i| a[i][j] * a[i][j]).sum::<f64>().sqrt();
        if norm.is_nan() || norm <= 0.0 {
            return None;
        }
        let alpha = if a[j][j] >= 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = (j..n).map(|i| a[i][j]).collect();
        v[0] -= alpha;
        let vv = dot(&v, &v);
        for col in j..k {
            let f = 2.0 * (j..n).map(|i| v[i - j] * a[i][col]).sum::<f64>() / vv;
            for i in j..n {
                a[i][col] -= f * v[i - j];
            }
        }
        reflectors.push((v, vv));
    }
    let r: Matrix = (0..k)
        .map(|i| (0..k).map(|c| if c >= i { a[i][c] } else { 0.0 }).collect())
        .collect();
    let max_diag = (0..k).map(|i| r[i][i].abs()).fold(0.0, f64::max);
    if (0..k).any(|i| r[i][i].is_nan() || r[i][i].abs() <= CONDITION_TOL * max_diag) {
        return None;
    }
    // Q = H₀ H₁ … H_{k−1}.
    let mut q = identity(n);
    for (j, (v, vv)) in reflectors.iter().enumerate().rev() {
        for col in 0..n {
            let f = 2.0 * (j..n).map(|i| v[i - j] * q[i][col]).sum::<f64>() / vv;
            for i in j..n {
                q[i][col] -= f * v[i - j];
            }
        }
    }
    Some((q, r))
}

// ---------------------------------------------------------------------------------------------
// Distributions

/// ln Γ(x) for x ≥ 0.5 (Lanczos, g = 7, 9 terms; relative error ≈ 1e-15).
#[allow(clippy::excessive_precision)] // coefficients as published
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    let x = x - 1.0;
    let s = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |s, (i, c)| s + c / (x + i as f64 + 1.0));
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + s.ln()
}

/// Regularised upper incomplete gamma Q(a, x) for a ≥ 0.5, x ≥ 0: series for P when
/// x < a + 1, Lentz's continued fraction for Q otherwise (Numerical Recipes §6.2).
fn gamma_q(a: f64, x: f64) -> f64 {
    const EPS: f64 = 1e-16;
    const TINY: f64 = 1e-300;
    const MAX_ITER: usize = 100_000;
    if x <= 0.0 {
        return 1.0;
    }
    if x == f64::INFINITY {
        return 0.0;
    }
    let prefactor = (a * x.ln() - x - ln_gamma(a)).exp();
    let q = if x < a + 1.0 {
        let (mut term, mut sum, mut n) = (1.0 / a, 1.0 / a, a);
        for _ in 0..MAX_ITER {
            n += 1.0;
            term *= x / n;
            sum += term;
            if term.abs() < sum.abs() * EPS {
                break;
            }
        }
        1.0 - sum * prefactor
    } else {
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..MAX_ITER {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < EPS {
                break;
            }
        }
        prefactor * h
    };
    if q.is_finite() {
        q.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Survival function of the χ² distribution, P(χ²(dof) ≥ x) = Q(dof/2, x/2); `None` for
/// dof = 0 or NaN `x`. Accurate to about 1e-14 relative where the result is ≥ 1e-300.
pub fn chi_square_sf(x: f64, dof: usize) -> Option<f64> {
    if dof == 0 || x.is_nan() {
        return None;
    }
    Some(gamma_q(dof as f64 / 2.0, x / 2.0))
}

/// Quantile of the standard normal distribution, Φ⁻¹(p), by Wichura's algorithm AS 241
/// (PPND16, relative error about 1e-16); `None` unless 0 < p < 1.
#[allow(clippy::excessive_precision)] // coefficients as published (Appl. Statist. 37, 1988)
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    fn poly(c: &[f64; 8], x: f64) -> f64 {
        c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
    }
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        1.331_416_678_917_843_774_5e2,
        1.971_590_950_306_551_442_7e3,
        1.373_169_376_550_946_112_5e4,
        4.592_195_393_154_987_145_7e4,
        6.726_577_092_700_870_085_3e4,
        3.343_057_558_358_812_810_5e4,
        2.509_080_928_730_122_672_7e3,
    ];
    const B: [f64; 8] = [
        1.0,
        4.231_333_070_160_091_125_2e1,
        6.871_870_074_920_579_083e2,
        5.394_196_021_424_751_107_7e3,
        2.121_379_430_158_659_586_7e4,
        3.930_789_580_009_271_061e4,
        2.872_908_573_572_194_267_4e4,
        5.226_495_278_852_854_561e3,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        2.417_807_251_774_506_117_7e-1,
        2.272_384_498_926_918_458_33e-2,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        6.897_673_349_851_000_045_5e-1,
        1.481_039_764_274_800_745_9e-1,
        1.519_866_656_361_645_719_66e-2,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        2.965_605_718_285_048_912_3e-1,
        2.653_218_952_657_612_309_3e-2,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        5.998_322_065_558_879_376_9e-1,
        1.369_298_809_227_358_053_1e-1,
        1.487_536_129_085_061_485_25e-2,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return Some(q * poly(&A, r) / poly(&B, r));
    }
    let r = (-(if q < 0.0 { p } else { 1.0 - p }).ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    Some(if q < 0.0 { -x } else { x })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::{Rng, assert_abs, assert_rel};

    fn node(n: &str) -> Option<String> {
        (!n.is_empty()).then(|| n.to_string())
    }

    /// A flow; `""` as `from`/`to` is outside the boundary.
    fn fl(id: &str, from: &str, to: &str, value: Option<f64>, sigma: Option<f64>) -> Flow {
        Flow {
            id: id.into(),
            from: node(from),
            to: node(to),
            value,
            sigma,
        }
    }

    /// A measured flow.
    fn ms(id: &str, from: &str, to: &str, value: f64, sigma: f64) -> Flow {
        fl(id, from, to, Some(value), Some(sigma))
    }

    fn procs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn get<'a>(r: &'a Reconciliation, id: &str) -> &'a ReconciledFlow {
        r.flows.iter().find(|f| f.id == id).unwrap()
    }

    fn one_process(import: f64, export: f64, export_sigma: f64) -> Reconciliation {
        let flows = [
            ms("import", "", "P", import, 10.0),
            ms("export", "P", "", export, export_sigma),
        ];
        reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap()
    }

    /// Farm N example (ecosystem-notes §6): herd and manure store.
    fn farm(exported: f64) -> Vec<Flow> {
        vec![
            ms("feed", "", "herd", 52.0, 2.6),
            ms("animals", "", "herd", 2.0, 0.2),
            ms("milk", "herd", "", 13.0, 0.4),
            ms("manure", "herd", "store", 40.0, 4.0),
            ms("exported", "store", "", exported, 1.5),
            ms("gaseous", "store", "", 6.0, 3.0),
        ]
    }

    // Reference values below were computed with numpy/scipy 1.17 (dense x̂ = y − Q Aᵀ S⁻¹ r,
    // scipy.stats.chi2.sf, scipy.stats.norm.ppf), independently of this code.

    #[test]
    fn one_process_two_equal_measurements() {
        // 100 ± 10 in, 110 ± 10 out: both move by 5 to 105, σ = 10/√2 = 7.0711; h = 10²/200.
        let r = one_process(100.0, 110.0, 10.0);
        for id in ["import", "export"] {
            let f = get(&r, id);
            assert_eq!(f.role, FlowRole::Measured);
            assert_abs(f.value.unwrap(), 105.0, 1e-12);
            assert_abs(f.sigma.unwrap(), 7.071_067_811_865_476, 1e-12);
            assert_abs(f.z.unwrap().abs(), std::f64::consts::FRAC_1_SQRT_2, 1e-12);
            assert_abs(f.redundancy.unwrap(), 0.5, 1e-12);
            assert!(!f.flagged);
        }
        assert_abs(get(&r, "import").adjustment.unwrap(), 5.0, 1e-12);
        assert_abs(get(&r, "export").adjustment.unwrap(), -5.0, 1e-12);
        assert_abs(r.chi_square, 0.5, 1e-12);
        assert_eq!(r.degrees_of_freedom, 1);
        assert_rel(r.p_value.unwrap(), 0.479_500_122_186_953_4, 1e-12);
        assert_abs(r.p_value.unwrap(), 0.48, 0.005);
        assert_rel(r.z_critical.unwrap(), 2.241_402_727_604_947, 1e-13);
        assert_eq!(r.verdict, Outcome::Tolerable);
        assert!(r.negative.is_empty());
    }

    #[test]
    fn less_precise_export_takes_more_of_the_adjustment() {
        // σ_export = 20: the export moves 4× as much as the import: 102 ± 8.944 both.
        let r = one_process(100.0, 110.0, 20.0);
        for id in ["import", "export"] {
            assert_abs(get(&r, id).value.unwrap(), 102.0, 1e-12);
            assert_abs(get(&r, id).sigma.unwrap(), 8.944_271_909_999_16, 1e-12);
        }
        assert_abs(r.chi_square, 0.2, 1e-12);
        assert_rel(r.p_value.unwrap(), 0.654_720_846_018_576_8, 1e-12);
        assert_eq!(r.verdict, Outcome::Tolerable);
    }

    #[test]
    fn mistyped_import_is_a_gross_error_of_both_flows() {
        // 1000 instead of 100: h = 890²/200 = 3960.5, |z| = 62.93 for both flows, which the
        // single balance cannot tell apart.
        let r = one_process(1000.0, 110.0, 10.0);
        assert_abs(r.chi_square, 3960.5, 1e-9);
        assert!(r.p_value.unwrap() < 1e-300);
        for id in ["import", "export"] {
            let f = get(&r, id);
            assert_abs(f.value.unwrap(), 555.0, 1e-9);
            assert_abs(f.z.unwrap().abs(), 62.932_503_525_603, 1e-9);
            assert!(f.flagged);
        }
        assert_eq!(
            r.verdict,
            Outcome::GrossErrorSuspected {
                global_test_failed: true,
                suspects: vec![SuspectGroup {
                    flows: vec!["import".into(), "export".into()],
                    abs_z: get(&r, "import").z.unwrap().abs(),
                }]
            }
        );
    }

    #[test]
    fn farm_nitrogen_example() {
        let r = reconcile(&procs(&["herd", "store"]), &farm(30.0), DEFAULT_ALPHA).unwrap();
        let expect = [
            (
                "feed",
                50.331_304_441_92,
                1.841_558_575_299,
                -0.909_176_894_598,
            ),
            (
                "animals",
                1.990_126_061_787,
                0.199_704_916_763,
                -0.909_176_894_598,
            ),
            (
                "milk",
                13.039_495_752_854,
                0.397_634_078_603,
                0.909_176_894_598,
            ),
            (
                "manure",
                39.281_934_750_852,
                1.840_940_036_367,
                -0.202_204_205_319,
            ),
            (
                "exported",
                30.656_386_950_17,
                1.391_244_913_27,
                1.170_557_380_911,
            ),
            (
                "gaseous",
                8.625_547_800_682,
                1.992_234_559_282,
                1.170_557_380_911,
            ),
        ];
        for (id, value, sigma, z) in expect {
            let f = get(&r, id);
            assert_abs(f.value.unwrap(), value, 1e-10);
            assert_abs(f.sigma.unwrap(), sigma, 1e-10);
            assert_abs(f.z.unwrap(), z, 1e-10);
            assert!(!f.flagged, "{id}");
        }
        assert_rel(r.chi_square, 1.413_758_588_973_651_5, 1e-12);
        assert_abs(r.chi_square, 1.41, 0.005);
        assert_eq!(r.degrees_of_freedom, 2);
        assert_rel(r.p_value.unwrap(), 0.493_180_870_723_750_4, 1e-12);
        assert_abs(r.p_value.unwrap(), 0.49, 0.005);
        assert_rel(r.z_critical.unwrap(), 2.638_257_273_476_751, 1e-13);
        assert_eq!(r.verdict, Outcome::Tolerable);
    }

    #[test]
    fn farm_with_mistyped_export_flags_both_store_outputs() {
        let r = reconcile(&procs(&["herd", "store"]), &farm(20.0), DEFAULT_ALPHA).unwrap();
        assert_rel(r.chi_square, 13.459_422_171_725_37, 1e-12);
        assert_rel(r.p_value.unwrap(), 0.001_194_878_125_459_729_3, 1e-10);
        assert_abs(r.p_value.unwrap(), 0.0012, 0.00005);
        let (e, g) = (get(&r, "exported"), get(&r, "gaseous"));
        assert_abs(e.z.unwrap(), 3.662_767_828_399, 1e-10);
        assert_abs(g.z.unwrap(), 3.662_767_828_399, 1e-10);
        assert!(e.flagged && g.flagged);
        assert_abs(e.value.unwrap(), 22.053_887_355_949, 1e-10);
        assert_abs(g.value.unwrap(), 14.215_549_423_795, 1e-10);
        // The herd's flows share z = ±2.50 < 2.638: not flagged.
        for id in ["feed", "animals", "milk"] {
            assert_abs(get(&r, id).z.unwrap().abs(), 2.503_350_079_647, 1e-10);
            assert!(!get(&r, id).flagged);
        }
        // One group, "exported or gaseous": never one of them alone.
        match &r.verdict {
            Outcome::GrossErrorSuspected {
                global_test_failed,
                suspects,
            } => {
                assert!(global_test_failed);
                assert_eq!(suspects.len(), 1);
                assert_eq!(suspects[0].flows, vec!["exported", "gaseous"]);
                assert_abs(suspects[0].abs_z, 3.662_767_828_399, 1e-10);
            }
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn unknown_flow_is_computed_with_its_uncertainty() {
        // Farm with manure unmeasured: one balance left (feed + animals = milk + exported +
        // gaseous), h = 5²/18.21, and manure = exported + gaseous.
        let mut flows = farm(30.0);
        flows[3] = fl("manure", "herd", "store", None, None);
        let r = reconcile(&procs(&["herd", "store"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 1);
        assert_rel(r.chi_square, 25.0 / 18.21, 1e-12);
        assert_rel(r.chi_square, 1.372_872_048_325_095_8, 1e-12);
        assert_rel(r.p_value.unwrap(), 0.241_319_038_386_816_54, 1e-11);
        let m = get(&r, "manure");
        assert_eq!(m.role, FlowRole::Computed);
        assert_eq!((m.measured, m.adjustment, m.z), (None, None, None));
        assert_abs(m.value.unwrap(), 39.088_962_108_731_5, 1e-10);
        assert_abs(m.sigma.unwrap(), 2.073_604_411_490_8, 1e-10);
        assert_abs(get(&r, "feed").value.unwrap(), 50.143_876_990_664_5, 1e-10);
        assert_abs(get(&r, "feed").sigma.unwrap(), 2.061_679_337_670_7, 1e-10);
        assert_abs(
            get(&r, "gaseous").sigma.unwrap(),
            2.133_516_947_068_1,
            1e-10,
        );
        assert_abs(
            get(&r, "animals").redundancy.unwrap(),
            0.002_196_595_277_3,
            1e-12,
        );
        // All five measurements sit in the one balance: equal |z|.
        for id in ["feed", "animals", "milk", "exported", "gaseous"] {
            assert_abs(get(&r, id).z.unwrap().abs(), 1.171_696_226_982_5, 1e-10);
        }
        assert_eq!(r.verdict, Outcome::Tolerable);
    }

    #[test]
    fn plant_with_recycle_fixed_flow_and_unknown() {
        // Mixer M, reactor R, separator S; the recycle S → M is unmeasured, sludge is fixed.
        let flows = [
            ms("raw", "", "M", 1000.0, 30.0),
            ms("water", "", "M", 500.0, 25.0),
            fl("recycle", "S", "M", None, None),
            ms("feed", "M", "R", 1700.0, 40.0),
            ms("slurry", "R", "S", 1690.0, 50.0),
            ms("offgas", "R", "", 12.0, 4.0),
            ms("product", "S", "", 1190.0, 35.0),
            ms("effluent", "S", "", 300.0, 20.0),
            fl("sludge", "S", "", Some(5.0), None),
        ];
        let r = reconcile(&procs(&["M", "R", "S"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 2);
        assert_rel(r.chi_square, 0.016_414_703_399_587_02, 1e-10);
        assert_rel(r.p_value.unwrap(), 0.991_826_236_657_866_7, 1e-12);
        let expect = [
            (
                "raw",
                1_001.987_721_586_985,
                25.380_142_600_086_7,
                0.124_269_409_354_2,
            ),
            (
                "water",
                501.380_362_213_184,
                22.396_793_028_541_3,
                0.124_269_409_354_2,
            ),
            (
                "feed",
                1_700.763_717_289_540_4,
                31.273_386_613_959_7,
                0.030_622_881_728_7,
            ),
            (
                "slurry",
                1_688.806_691_735_093_2,
                31.328_990_414_566_2,
                -0.030_622_881_728_7,
            ),
            (
                "offgas",
                11.957_025_554_447_1,
                3.982_156_502_326_9,
                -0.113_870_222_347_7,
            ),
            (
                "product",
                1_187.294_490_062_159_4,
                27.404_549_328_895_8,
                -0.124_269_409_354_2,
            ),
            (
                "effluent",
                299.116_568_183_562_2,
                18.693_904_140_916_5,
                -0.124_269_409_354_2,
            ),
        ];
        for (id, value, sigma, z) in expect {
            let f = get(&r, id);
            assert_abs(f.value.unwrap(), value, 1e-9);
            assert_abs(f.sigma.unwrap(), sigma, 1e-9);
            assert_abs(f.z.unwrap(), z, 1e-10);
        }
        let rec = get(&r, "recycle");
        assert_eq!(rec.role, FlowRole::Computed);
        assert_abs(rec.value.unwrap(), 197.395_633_489_371_4, 1e-9);
        assert_abs(rec.sigma.unwrap(), 41.981_613_528_463, 1e-9);
        let sludge = get(&r, "sludge");
        assert_eq!(sludge.role, FlowRole::Fixed);
        assert_eq!((sludge.value, sludge.sigma), (Some(5.0), Some(0.0)));
        assert_eq!(r.verdict, Outcome::Tolerable);
    }

    #[test]
    fn no_redundancy_returns_measurements_unchanged() {
        let flows = [
            ms("import", "", "P", 100.0, 10.0),
            fl("export", "P", "", None, None),
        ];
        let r = reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.verdict, Outcome::NoRedundancy);
        assert_eq!(
            (r.degrees_of_freedom, r.chi_square, r.p_value, r.z_critical),
            (0, 0.0, None, None)
        );
        let i = get(&r, "import");
        assert_eq!(
            (i.value, i.sigma, i.adjustment),
            (Some(100.0), Some(10.0), Some(0.0))
        );
        assert_eq!((i.redundancy, i.z, i.flagged), (Some(0.0), None, false));
        let e = get(&r, "export");
        assert_eq!(e.role, FlowRole::Computed);
        assert_abs(e.value.unwrap(), 100.0, 1e-12);
        assert_abs(e.sigma.unwrap(), 10.0, 1e-12);
        // Nothing at all.
        let r = reconcile(&[], &[], DEFAULT_ALPHA).unwrap();
        assert_eq!((r.verdict, r.flows.len()), (Outcome::NoRedundancy, 0));
    }

    #[test]
    fn non_redundant_measurement_is_kept_and_not_tested() {
        // P: in 100 ± 10 = out 90 ± 10 + loss (unknown) is not redundant; Q: its own 2 flows are.
        let flows = [
            ms("in", "", "P", 100.0, 10.0),
            ms("out", "P", "", 90.0, 10.0),
            fl("loss", "P", "", None, None),
            ms("a", "", "Q", 50.0, 1.0),
            ms("b", "Q", "", 51.0, 1.0),
        ];
        let r = reconcile(&procs(&["P", "Q"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 1);
        assert_eq!(get(&r, "in").value, Some(100.0));
        assert_eq!(get(&r, "in").z, None);
        assert_abs(get(&r, "loss").value.unwrap(), 10.0, 1e-12);
        assert_abs(get(&r, "loss").sigma.unwrap(), 200_f64.sqrt(), 1e-12);
        assert_abs(get(&r, "a").value.unwrap(), 50.5, 1e-12);
        // Bonferroni over the 2 tested flows only.
        assert_rel(r.z_critical.unwrap(), 2.241_402_727_604_947, 1e-13);
    }

    #[test]
    fn fixed_flows_are_not_adjusted() {
        // Import known exactly (σ = 0, or no σ): the export takes the whole adjustment.
        for sigma in [Some(0.0), None] {
            let flows = [
                fl("import", "", "P", Some(100.0), sigma),
                ms("export", "P", "", 110.0, 10.0),
            ];
            let r = reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap();
            let i = get(&r, "import");
            assert_eq!(i.role, FlowRole::Fixed);
            assert_eq!((i.value, i.sigma, i.z), (Some(100.0), Some(0.0), None));
            let e = get(&r, "export");
            assert_abs(e.value.unwrap(), 100.0, 1e-12);
            assert_abs(e.sigma.unwrap(), 0.0, 1e-12);
            assert_abs(e.z.unwrap(), -1.0, 1e-12);
            assert_abs(e.redundancy.unwrap(), 1.0, 1e-12);
            assert_abs(r.chi_square, 1.0, 1e-12);
            assert_rel(r.p_value.unwrap(), 0.317_310_507_862_911_15, 1e-12);
        }
    }

    #[test]
    fn fixed_flows_that_do_not_balance_are_reported() {
        let flows = [
            fl("in", "", "P", Some(100.0), None),
            fl("out", "P", "", Some(99.0), Some(0.0)),
            ms("x", "", "Q", 5.0, 1.0),
            ms("y", "Q", "", 5.0, 1.0),
        ];
        assert_eq!(
            reconcile(&procs(&["P", "Q"]), &flows, DEFAULT_ALPHA),
            Err(ReconcileError::InconsistentFixedFlows {
                flows: vec!["in".into(), "out".into()]
            })
        );
        // Balanced fixed flows are fine and add no degree of freedom.
        let mut ok = flows.clone();
        ok[1].value = Some(100.0);
        let r = reconcile(&procs(&["P", "Q"]), &ok, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 1);
    }

    #[test]
    fn parallel_unknowns_are_undetermined() {
        // Two unknown pipes from P to Q: only their sum is known; the balances stay redundant.
        let flows = [
            ms("in", "", "P", 100.0, 5.0),
            fl("u1", "P", "Q", None, None),
            fl("u2", "P", "Q", None, None),
            ms("out", "Q", "", 104.0, 5.0),
        ];
        let r = reconcile(&procs(&["P", "Q"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 1);
        assert_abs(get(&r, "in").value.unwrap(), 102.0, 1e-12);
        for id in ["u1", "u2"] {
            let u = get(&r, id);
            assert_eq!(
                (u.role, u.value, u.sigma),
                (FlowRole::Undetermined, None, None)
            );
        }
    }

    #[test]
    fn negative_reconciled_values_are_listed() {
        // A small measured output next to a grossly wrong balance goes negative.
        let flows = [
            ms("in", "", "P", 100.0, 1.0),
            ms("out", "P", "", 110.0, 1.0),
            ms("leak", "P", "", 5.0, 10.0),
        ];
        let r = reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap();
        assert!(get(&r, "leak").value.unwrap() < 0.0);
        assert_eq!(r.negative, vec!["leak"]);
        // A stock drawdown measured negative is not listed.
        let flows = [
            ms("in", "", "P", 100.0, 1.0),
            ms("out", "P", "", 110.0, 1.0),
            ms("stock", "P", "", -10.0, 1.0),
        ];
        let r = reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap();
        assert!(r.negative.is_empty());
    }

    #[test]
    fn bad_input_is_returned_as_error() {
        let p = procs(&["P"]);
        let err = |flows: &[Flow]| reconcile(&p, flows, DEFAULT_ALPHA).unwrap_err();
        let good = ms("a", "", "P", 1.0, 0.1);
        assert_eq!(
            err(&[good.clone(), good.clone()]),
            ReconcileError::DuplicateFlow { flow: "a".into() }
        );
        assert_eq!(
            err(&[ms("a", "", "", 1.0, 0.1)]),
            ReconcileError::Unattached { flow: "a".into() }
        );
        assert_eq!(
            err(&[ms("a", "P", "P", 1.0, 0.1)]),
            ReconcileError::SelfLoop { flow: "a".into() }
        );
        assert_eq!(
            err(&[ms("a", "P", "X", 1.0, 0.1)]),
            ReconcileError::UnknownProcess {
                flow: "a".into(),
                process: "X".into()
            }
        );
        assert_eq!(
            err(&[fl("a", "", "P", None, Some(1.0))]),
            ReconcileError::SigmaWithoutValue { flow: "a".into() }
        );
        for bad in [
            ms("a", "", "P", f64::NAN, 1.0),
            ms("a", "", "P", f64::INFINITY, 1.0),
            ms("a", "", "P", 1.0, -1.0),
            ms("a", "", "P", 1.0, f64::NAN),
        ] {
            assert!(matches!(err(&[bad]), ReconcileError::InvalidNumber(_)));
        }
        for alpha in [0.0, 1.0, -0.1, f64::NAN] {
            assert!(matches!(
                reconcile(&p, std::slice::from_ref(&good), alpha),
                Err(ReconcileError::InvalidNumber(e)) if e.field == "alpha"
            ));
        }
        assert_eq!(
            reconcile(&procs(&["P", "P"]), &[good], DEFAULT_ALPHA),
            Err(ReconcileError::DuplicateProcess {
                process: "P".into()
            })
        );
        assert!(
            ReconcileError::InconsistentFixedFlows {
                flows: vec!["a".into(), "b".into()]
            }
            .to_string()
            .contains("a, b")
        );
    }

    #[test]
    fn widely_spread_sigmas_stay_accurate() {
        // σ from 1e-4 to 1e4 in one balance: the precise flows barely move.
        let flows = [
            ms("a", "", "P", 100.0, 1e-4),
            ms("b", "P", "", 60.0, 1e4),
            ms("c", "P", "", 30.0, 1e-4),
        ];
        let r = reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_abs(get(&r, "b").value.unwrap(), 70.0, 1e-9);
        assert_abs(get(&r, "a").value.unwrap(), 100.0, 1e-9);
        assert_rel(r.chi_square, 100.0 / (2e-8 + 1e8), 1e-9);
    }

    #[test]
    fn sigmas_twelve_orders_apart_stay_accurate() {
        // A chain a → P → b → Q → c with c 1e12 times less precise than a and b: c is in
        // effect unknown, a and b meet halfway, and c follows them with their uncertainty
        // (10⁻⁴/√2), not with the noise of σ_c² (1 − redundancy) ≈ 10¹⁶ · 10⁻¹⁶.
        let flows = [
            ms("a", "", "P", 10.0, 1e-4),
            ms("b", "P", "Q", 12.0, 1e-4),
            ms("c", "Q", "", 11.0, 1e8),
        ];
        let r = reconcile(&procs(&["P", "Q"]), &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 2);
        for id in ["a", "b", "c"] {
            assert_abs(get(&r, id).value.unwrap(), 11.0, 1e-9);
            assert_rel(get(&r, id).sigma.unwrap(), 1e-4 / 2_f64.sqrt(), 1e-9);
        }
        assert_rel(r.chi_square, 4.0 / 2e-8, 1e-9);
        // The same with c unknown.
        let mut unknown_c = flows.clone();
        (unknown_c[2].value, unknown_c[2].sigma) = (None, None);
        let r = reconcile(&procs(&["P", "Q"]), &unknown_c, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, 1);
        assert_abs(get(&r, "c").value.unwrap(), 11.0, 1e-9);
        assert_rel(get(&r, "c").sigma.unwrap(), 1e-4 / 2_f64.sqrt(), 1e-9);
        assert_rel(r.chi_square, 4.0 / 2e-8, 1e-9);
    }

    #[test]
    fn overflow_is_reported_not_returned() {
        // σ = 1e-300 makes σ² underflow and r/σ overflow: an error, never inf or NaN.
        for (value, sigma) in [(1e15, 1e-300), (1e15, 1e-160)] {
            let flows = [
                ms("in", "", "P", value, sigma),
                ms("out", "P", "", 0.0, sigma),
            ];
            assert_eq!(
                reconcile(&procs(&["P"]), &flows, DEFAULT_ALPHA),
                Err(ReconcileError::IllConditioned)
            );
        }
    }

    #[test]
    fn chi_square_survival_function() {
        // scipy.stats.chi2.sf
        let cases = [
            (0.5, 1, 0.479_500_122_186_953_4),
            (1.41, 2, 0.494_108_574_256_141_74),
            (13.46, 2, 0.001_194_532_958_141_175_7),
            (10.0, 3, 0.018_566_135_463_043_25),
            (100.0, 50, 3.454_931_382_984_871e-5),
            (0.01, 5, 0.999_999_469_972_995_7),
            (30.0, 10, 0.000_856_641_210_775_301),
            (1e-3, 1, 0.974_772_879_369_960_4),
            (2.0, 2, (-1.0_f64).exp()),
            (200.0, 1, 2.088_487_583_762_568_8e-45),
            (700.0, 1, 2.990_226_975_124_623e-154),
        ];
        for (x, k, expected) in cases {
            let got = chi_square_sf(x, k).unwrap();
            assert_rel(got, expected, 1e-12);
        }
        assert_abs(chi_square_sf(1.41, 2).unwrap(), 0.494, 0.0005);
        assert_eq!(chi_square_sf(0.0, 3), Some(1.0));
        assert_eq!(chi_square_sf(-1.0, 3), Some(1.0));
        assert_eq!(chi_square_sf(f64::INFINITY, 3), Some(0.0));
        assert_eq!(chi_square_sf(3960.5, 1), Some(0.0));
        assert_eq!(chi_square_sf(1.0, 0), None);
        assert_eq!(chi_square_sf(f64::NAN, 1), None);
    }

    #[test]
    fn normal_quantile_values() {
        // scipy.stats.norm.ppf
        let cases = [
            (0.975, 1.959_963_984_540_054),
            (1.0 - 0.05 / 8.0, 2.497_705_474_412_374),
            (1.0 - 0.05 / 12.0, 2.638_257_273_476_751),
            (1.0 - 0.05 / 4.0, 2.241_402_727_604_947),
            (0.6, 0.253_347_103_135_799_7),
            (0.9, 1.281_551_565_544_600_4),
            (0.99, 2.326_347_874_040_840_8),
            (1e-10, -6.361_340_902_404_056),
            (1e-300, -37.047_096_299_361_2),
            (0.025, -1.959_963_984_540_054_5),
        ];
        for (p, expected) in cases {
            assert_rel(normal_quantile(p).unwrap(), expected, 1e-14);
        }
        assert_abs(normal_quantile(1.0 - 0.05 / 8.0).unwrap(), 2.4977, 5e-5);
        assert_eq!(normal_quantile(0.5), Some(0.0));
        for p in [0.0, 1.0, -0.5, 2.0, f64::NAN] {
            assert_eq!(normal_quantile(p), None);
        }
    }

    /// A random graph of `n` processes in a chain with recycles; flows with integer values that
    /// balance exactly. Returns the processes and flows (all measured).
    fn random_consistent_graph(rng: &mut Rng) -> (Vec<String>, Vec<Flow>) {
        let n = 1 + rng.below(5);
        let name = |i: usize| format!("P{i}");
        let mut flows = Vec::new();
        let mut inflow = vec![0.0_f64; n];
        for u in 0..n {
            let feed = (1 + rng.below(1000)) as f64;
            inflow[u] += feed;
            flows.push(ms(&format!("f{u}"), "", &name(u), feed, 1.0));
            let mut left = inflow[u];
            for (v, downstream) in inflow.iter_mut().enumerate().skip(u + 1) {
                if rng.below(2) == 0 {
                    let q = rng.below(left as usize + 1) as f64;
                    left -= q;
                    *downstream += q;
                    flows.push(ms(&format!("i{u}_{v}"), &name(u), &name(v), q, 1.0));
                }
            }
            // Split the rest into a product and, sometimes, a waste.
            let waste = if rng.below(2) == 0 {
                rng.below(left as usize + 1) as f64
            } else {
                0.0
            };
            flows.push(ms(&format!("p{u}"), &name(u), "", left - waste, 1.0));
            if waste > 0.0 {
                flows.push(ms(&format!("w{u}"), &name(u), "", waste, 1.0));
            }
        }
        ((0..n).map(name).collect(), flows)
    }

    /// Randomly turns flows into unknown or fixed ones and draws σ.
    fn randomise_roles(rng: &mut Rng, flows: &mut [Flow]) {
        for f in flows.iter_mut() {
            match rng.below(6) {
                0 => (f.value, f.sigma) = (None, None),
                1 => f.sigma = None,
                _ => f.sigma = Some(rng.range(0.01, 0.2) * f.value.unwrap().abs() + 0.1),
            }
        }
    }

    /// Σin − Σout of every process whose flows all have values.
    fn closures(processes: &[String], flows: &[Flow], r: &Reconciliation) -> Vec<(f64, f64)> {
        processes
            .iter()
            .filter_map(|p| {
                let (mut sum, mut scale) = (0.0, 1.0);
                for (f, o) in flows.iter().zip(&r.flows) {
                    let sign =
                        (f.to.as_ref() == Some(p)) as i32 - (f.from.as_ref() == Some(p)) as i32;
                    if sign != 0 {
                        let v = o.value?;
                        sum += sign as f64 * v;
                        scale += v.abs();
                    }
                }
                Some((sum, scale))
            })
            .collect()
    }

    #[test]
    fn consistent_data_is_left_unchanged() {
        let mut rng = Rng::new(7);
        for case in 0..300 {
            let (processes, mut flows) = random_consistent_graph(&mut rng);
            randomise_roles(&mut rng, &mut flows);
            let r = match reconcile(&processes, &flows, DEFAULT_ALPHA) {
                Ok(r) => r,
                Err(e) => panic!("case {case}: {e}"),
            };
            assert!(r.chi_square < 1e-18, "case {case}: {}", r.chi_square);
            for (f, o) in flows.iter().zip(&r.flows) {
                if let Some(v) = f.value {
                    assert_abs(o.value.unwrap(), v, 1e-9);
                }
            }
            for (sum, scale) in closures(&processes, &flows, &r) {
                assert!(sum.abs() <= 1e-12 * scale, "case {case}: {sum}");
            }
            if r.degrees_of_freedom > 0 {
                assert_eq!(r.verdict, Outcome::Tolerable, "case {case}");
            }
        }
    }

    #[test]
    fn reconciled_values_satisfy_every_balance() {
        let mut rng = Rng::new(11);
        let mut checked = 0;
        for case in 0..300 {
            let (processes, mut flows) = random_consistent_graph(&mut rng);
            randomise_roles(&mut rng, &mut flows);
            // Perturb the measured flows (fixed ones stay exact so they remain consistent).
            for f in flows.iter_mut() {
                if let (Some(v), Some(s)) = (f.value, f.sigma) {
                    f.value = Some(v + s * rng.range(-3.0, 3.0));
                }
            }
            let r = reconcile(&processes, &flows, DEFAULT_ALPHA).unwrap();
            for (sum, scale) in closures(&processes, &flows, &r) {
                assert!(sum.abs() <= 1e-9 * scale.max(1.0), "case {case}: {sum}");
                checked += 1;
            }
            // h = Σ (a_i/σ_i)² for weighted least squares; results are finite and in range.
            let h: f64 = flows
                .iter()
                .zip(&r.flows)
                .filter(|(_, o)| o.role == FlowRole::Measured)
                .map(|(f, o)| (o.adjustment.unwrap() / f.sigma.unwrap()).powi(2))
                .sum();
            assert_abs(h, r.chi_square, 1e-9 * (1.0 + h));
            for o in &r.flows {
                if let Some(red) = o.redundancy {
                    assert!((0.0..=1.0).contains(&red), "case {case}: {o:?}");
                }
                if let (Some(s), Some(given)) = (o.sigma, o.measured_sigma) {
                    assert!(s <= given * (1.0 + 1e-12), "case {case}: {o:?}");
                }
            }
            if let Some(p) = r.p_value {
                assert!((0.0..=1.0).contains(&p));
            }
        }
        assert!(checked > 100);
    }

    #[test]
    fn result_serialises_with_a_tagged_verdict() {
        let r = one_process(1000.0, 110.0, 10.0);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["verdict"]["status"], "gross_error_suspected");
        assert_eq!(json["flows"][0]["role"], "measured");
        let flow: Flow =
            serde_json::from_value(serde_json::json!({"id": "a", "from": null, "to": "P"}))
                .unwrap();
        assert_eq!((flow.value, flow.sigma), (None, None));
    }

    /// Both solvers on the same input.
    fn both(processes: &[String], flows: &[Flow]) -> [Result<Reconciliation, ReconcileError>; 2] {
        [Method::Dense, Method::Network].map(|m| reconcile_with(processes, flows, DEFAULT_ALPHA, m))
    }

    /// Same roles, flags, tests and verdict; numbers within `rel` of each other relative to
    /// the flow's scale (its measured value and σ).
    #[track_caller]
    fn assert_same(a: &Reconciliation, b: &Reconciliation, rel: f64) {
        assert_eq!(a.flows.len(), b.flows.len());
        assert_eq!(a.degrees_of_freedom, b.degrees_of_freedom);
        assert_eq!(a.negative, b.negative);
        assert_rel(a.chi_square, b.chi_square, rel);
        assert_eq!(a.p_value.is_some(), b.p_value.is_some());
        if let (Some(p), Some(q)) = (a.p_value, b.p_value) {
            assert_abs(p, q, rel);
        }
        assert_eq!(a.z_critical, b.z_critical);
        for (f, g) in a.flows.iter().zip(&b.flows) {
            let scale = f.value.unwrap_or(0.0).abs()
                + f.sigma.unwrap_or(0.0)
                + f.measured_sigma.unwrap_or(0.0);
            let near = |x: Option<f64>, y: Option<f64>, s: f64| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() <= rel * s.max(1e-300),
                (None, None) => true,
                _ => false,
            };
            assert_eq!((&f.id, f.role, f.flagged), (&g.id, g.role, g.flagged));
            assert!(near(f.value, g.value, scale), "{f:?}\n{g:?}");
            assert!(near(f.adjustment, g.adjustment, scale), "{f:?}\n{g:?}");
            let sigma_scale = f.measured_sigma.unwrap_or(f.sigma.unwrap_or(0.0));
            assert!(near(f.sigma, g.sigma, sigma_scale), "{f:?}\n{g:?}");
            assert!(near(f.redundancy, g.redundancy, 1.0), "{f:?}\n{g:?}");
            assert!(
                near(f.z, g.z, 1.0 + f.z.unwrap_or(0.0).abs()),
                "{f:?}\n{g:?}"
            );
        }
        match (&a.verdict, &b.verdict) {
            (
                Outcome::GrossErrorSuspected {
                    global_test_failed: x,
                    suspects: s,
                },
                Outcome::GrossErrorSuspected {
                    global_test_failed: y,
                    suspects: t,
                },
            ) => {
                assert_eq!(x, y);
                assert_eq!(s.len(), t.len());
                for (s, t) in s.iter().zip(t) {
                    assert_eq!(s.flows, t.flows);
                    assert_rel(s.abs_z, t.abs_z, rel);
                }
            }
            (v, w) => assert_eq!(v, w),
        }
    }

    #[test]
    fn network_solver_agrees_with_dense_solver_on_the_examples() {
        let mut cases: Vec<(Vec<String>, Vec<Flow>)> = Vec::new();
        for (import, export, sigma) in [
            (100.0, 110.0, 10.0),
            (100.0, 110.0, 20.0),
            (1000.0, 110.0, 10.0),
        ] {
            cases.push((
                procs(&["P"]),
                vec![
                    ms("import", "", "P", import, 10.0),
                    ms("export", "P", "", export, sigma),
                ],
            ));
        }
        let farm_procs = procs(&["herd", "store"]);
        cases.push((farm_procs.clone(), farm(30.0)));
        cases.push((farm_procs.clone(), farm(20.0)));
        let mut manure = farm(30.0);
        manure[3] = fl("manure", "herd", "store", None, None);
        cases.push((farm_procs, manure));
        cases.push((
            procs(&["M", "R", "S"]),
            vec![
                ms("raw", "", "M", 1000.0, 30.0),
                ms("water", "", "M", 500.0, 25.0),
                fl("recycle", "S", "M", None, None),
                ms("feed", "M", "R", 1700.0, 40.0),
                ms("slurry", "R", "S", 1690.0, 50.0),
                ms("offgas", "R", "", 12.0, 4.0),
                ms("product", "S", "", 1190.0, 35.0),
                ms("effluent", "S", "", 300.0, 20.0),
                fl("sludge", "S", "", Some(5.0), None),
            ],
        ));
        cases.push((
            procs(&["P", "Q"]),
            vec![
                ms("in", "", "P", 100.0, 10.0),
                ms("out", "P", "", 90.0, 10.0),
                fl("loss", "P", "", None, None),
                ms("a", "", "Q", 50.0, 1.0),
                ms("b", "Q", "", 51.0, 1.0),
            ],
        ));
        cases.push((
            procs(&["P"]),
            vec![
                ms("import", "", "P", 100.0, 10.0),
                fl("export", "P", "", None, None),
            ],
        ));
        cases.push((
            procs(&["P"]),
            vec![
                fl("import", "", "P", Some(100.0), None),
                ms("export", "P", "", 110.0, 10.0),
            ],
        ));
        cases.push((
            procs(&["P", "Q"]),
            vec![
                ms("in", "", "P", 100.0, 5.0),
                fl("u1", "P", "Q", None, None),
                fl("u2", "P", "Q", None, None),
                ms("out", "Q", "", 104.0, 5.0),
            ],
        ));
        cases.push((
            procs(&["P"]),
            vec![
                ms("in", "", "P", 100.0, 1.0),
                ms("out", "P", "", 110.0, 1.0),
                ms("leak", "P", "", 5.0, 10.0),
            ],
        ));
        cases.push((
            procs(&["P"]),
            vec![
                ms("a", "", "P", 100.0, 1e-4),
                ms("b", "P", "", 60.0, 1e4),
                ms("c", "P", "", 30.0, 1e-4),
            ],
        ));
        let chain = vec![
            ms("a", "", "P", 10.0, 1e-4),
            ms("b", "P", "Q", 12.0, 1e-4),
            ms("c", "Q", "", 11.0, 1e8),
        ];
        let mut unknown_c = chain.clone();
        (unknown_c[2].value, unknown_c[2].sigma) = (None, None);
        cases.push((procs(&["P", "Q"]), chain));
        cases.push((procs(&["P", "Q"]), unknown_c));
        // A loop with no link to the environment, and a strong and a weak path in parallel.
        cases.push((
            procs(&["A", "B", "C", "D"]),
            vec![
                ms("ab", "A", "B", 10.0, 1.0),
                ms("bc", "B", "C", 11.0, 1.0),
                ms("ca", "C", "A", 9.0, 1.0),
                ms("in", "", "D", 50.0, 1e-3),
                ms("strong", "D", "", 40.0, 1e5),
                ms("weak1", "D", "", 6.0, 1e-3),
                ms("weak2", "D", "", 5.0, 1e-3),
            ],
        ));
        for (k, (processes, flows)) in cases.iter().enumerate() {
            let [dense, network] = both(processes, flows);
            match (dense, network) {
                (Ok(d), Ok(n)) => assert_same(&d, &n, 1e-9),
                (d, n) => panic!("case {k}: {d:?} vs {n:?}"),
            }
        }
    }

    #[test]
    fn network_solver_reports_the_same_errors() {
        let flows = [
            fl("in", "", "P", Some(100.0), None),
            fl("out", "P", "", Some(99.0), Some(0.0)),
            ms("x", "", "Q", 5.0, 1.0),
            ms("y", "Q", "", 5.0, 1.0),
        ];
        let [d, n] = both(&procs(&["P", "Q"]), &flows);
        assert_eq!(d, n);
        assert!(d.is_err());
        for (value, sigma) in [(1e15, 1e-300), (1e15, 1e-160)] {
            let flows = [
                ms("in", "", "P", value, sigma),
                ms("out", "P", "", 0.0, sigma),
            ];
            let [d, n] = both(&procs(&["P"]), &flows);
            assert_eq!(d, Err(ReconcileError::IllConditioned));
            assert_eq!(n, Err(ReconcileError::IllConditioned));
        }
    }

    #[test]
    fn network_solver_agrees_with_dense_solver_on_random_graphs() {
        let mut rng = Rng::new(23);
        for case in 0..400 {
            let (processes, mut flows) = random_consistent_graph(&mut rng);
            randomise_roles(&mut rng, &mut flows);
            for f in flows.iter_mut() {
                if let (Some(v), Some(s)) = (f.value, f.sigma) {
                    // σ over up to eight orders of magnitude, some gross errors.
                    let s = s * 10_f64.powf(rng.range(-4.0, 4.0));
                    f.sigma = Some(s);
                    f.value = Some(v + s * rng.range(-6.0, 6.0));
                }
            }
            let [dense, network] = both(&processes, &flows);
            match (dense, network) {
                (Ok(d), Ok(n)) => assert_same(&d, &n, 1e-9),
                (d, n) => panic!("case {case}: {d:?} vs {n:?}"),
            }
        }
    }

    #[test]
    fn identical_batches_are_exact() {
        // 0.1 + 0.1 + 0.1 = 0.30000000000000004 and / 3 = 0.10000000000000002: a spread of
        // 1.6e-17 from rounding alone, before the fix.
        assert_ne!((0.1 + 0.1 + 0.1) / 3.0, 0.1);
        for x in [0.1, 3.7, 0.07, 1e-9, 123_456.789, -2.5, 0.0] {
            assert_eq!(batch_estimate(&[x, x, x]), (x, None));
            assert_eq!(batch_estimate(&[x, x]), (x, None));
        }
        assert_eq!(batch_estimate(&[4.2]), (4.2, None));
        assert_eq!(batch_estimate(&[]), (0.0, None));
        // A spread of one ulp is rounding too.
        let up = f64::from_bits(0.1_f64.to_bits() + 1);
        assert_eq!(batch_estimate(&[0.1, 0.1, up]).1, None);
        // Unequal batches: mean and standard error of the mean, by hand.
        // 3.7, 3.35, 4.05: mean 3.7, deviations 0, −0.35, 0.35, s² = 0.245 / 2 = 0.1225,
        // s/√3 = 0.35/√3 = 0.20207259421636903.
        let (mean, sigma) = batch_estimate(&[3.7, 3.35, 4.05]);
        assert_rel(mean, 3.7, 1e-15);
        assert_rel(sigma.unwrap(), 0.35 / 3_f64.sqrt(), 1e-14);
        // Same as before the fix, to the bit, for unequal values.
        let v = [0.088, 0.052, 0.018];
        let m = v.iter().sum::<f64>() / 3.0;
        let s = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 2.0 / 3.0).sqrt();
        assert_eq!(batch_estimate(&v), (m, Some(s)));
    }

    #[test]
    fn identical_batches_raise_no_gross_error() {
        // 100 units with three streams measured identically in all three batches (0.1 + 0.2
        // in, 0.3 out) and 100 with a varied pair (1 ± d in, 1 ± e out). The estimate before
        // the fix, Σx/n and the deviations from it, gives 0.10000000000000002 ± 9.8e-18,
        // 0.20000000000000004 ± 1.96e-17 and 0.3 ± 0: each such balance is then off by
        // 5.6e-17 or so (by the order of summation) against σ ≈ 2.2e-17, χ² ≈ 6 to 10 per
        // unit, and the audit looks grossly wrong. With exact identical batches those balances close.
        fn before_fix(v: &[f64]) -> (f64, Option<f64>) {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean, Some((var / n).sqrt()).filter(|s| *s > 0.0))
        }
        let mut rng = Rng::new(5);
        let mut processes = Vec::new();
        let mut batches = Vec::new();
        for u in 0..100 {
            let (p, q) = (format!("U{u}"), format!("V{u}"));
            let (d, e) = (rng.range(0.01, 0.05), rng.range(0.01, 0.05));
            for (id, values, from, to) in [
                ("a", vec![0.1; 3], "", p.as_str()),
                ("b", vec![0.2; 3], "", p.as_str()),
                ("c", vec![0.3; 3], p.as_str(), ""),
                ("in", vec![1.0 + d, 1.0, 1.0 - d], "", q.as_str()),
                ("out", vec![1.0 + e, 1.0, 1.0 - e], q.as_str(), ""),
            ] {
                batches.push((format!("{id}{u}"), values, from.to_string(), to.to_string()));
            }
            processes.extend([p, q]);
        }
        let flows_by = |estimate: fn(&[f64]) -> (f64, Option<f64>)| -> Vec<Flow> {
            batches
                .iter()
                .map(|(id, values, from, to)| {
                    let (value, sigma) = estimate(values);
                    fl(id, from, to, Some(value), sigma)
                })
                .collect()
        };
        let old = reconcile(&processes, &flows_by(before_fix), DEFAULT_ALPHA).unwrap();
        assert!(old.chi_square > 500.0, "{}", old.chi_square);
        assert!(matches!(old.verdict, Outcome::GrossErrorSuspected { .. }));
        let flows = flows_by(batch_estimate);
        for method in [Method::Dense, Method::Network] {
            let r = reconcile_with(&processes, &flows, DEFAULT_ALPHA, method).unwrap();
            for id in ["a0", "b0", "c0"] {
                assert_eq!(get(&r, id).role, FlowRole::Fixed);
            }
            assert_eq!(get(&r, "a0").value, Some(0.1));
            assert!(r.chi_square < 1e-20, "{}", r.chi_square);
            assert_eq!(r.verdict, Outcome::Tolerable);
        }
    }

    #[test]
    fn long_chain_reconciles_to_the_mean() {
        // e → U0 → U1 → … → U2999 → e: 3,001 flows measured with one σ. The balances allow
        // one value along the whole chain, so (by hand: least squares of n equally weighted
        // observations of one quantity) every flow becomes the mean ȳ of the n measurements,
        // with σ/√n, redundancy (n − 1)/n, z_i = (ȳ − y_i) / (σ √((n − 1)/n)), and
        // χ² = Σ (y_i − ȳ)² / σ² with n − 1 degrees of freedom.
        let units = 3000;
        let sigma = 1.5;
        let mut rng = Rng::new(3);
        let processes: Vec<String> = (0..units).map(|u| format!("U{u}")).collect();
        let y: Vec<f64> = (0..=units).map(|_| 100.0 + rng.range(-2.0, 2.0)).collect();
        let flows: Vec<Flow> = (0..=units)
            .map(|i| {
                let from = if i == 0 {
                    String::new()
                } else {
                    format!("U{}", i - 1)
                };
                let to = if i == units {
                    String::new()
                } else {
                    format!("U{i}")
                };
                ms(&format!("f{i}"), &from, &to, y[i], sigma)
            })
            .collect();
        let r = reconcile(&processes, &flows, DEFAULT_ALPHA).unwrap();
        let n = y.len() as f64;
        let mean = y.iter().sum::<f64>() / n;
        let chi_square: f64 = y.iter().map(|v| ((v - mean) / sigma).powi(2)).sum();
        assert_eq!(r.degrees_of_freedom, units);
        assert_rel(r.chi_square, chi_square, 1e-10);
        let red = (n - 1.0) / n;
        for (f, y) in r.flows.iter().zip(&y) {
            assert_abs(f.value.unwrap(), mean, 1e-10);
            assert_rel(f.sigma.unwrap(), sigma / n.sqrt(), 1e-9);
            assert_rel(f.redundancy.unwrap(), red, 1e-12);
            assert_abs(f.z.unwrap(), (mean - y) / (sigma * red.sqrt()), 1e-9);
        }
        assert_eq!(r.verdict, Outcome::Tolerable);
    }

    #[test]
    fn large_tree_of_units_matches_hand_formulas() {
        // 1,000 units U_k, each fed from outside by f_k (σ_f,k) and passing it on to one
        // collector C by l_k (σ_l,k); C's output o (σ_o) is measured. The balances are
        // f_k = l_k = x_k and Σ x_k = o. By hand (Lagrange): without the collector each x_k
        // is the weighted mean m_k of f_k and l_k, with variance v_k = σ_f² σ_l² / (σ_f² + σ_l²);
        // the collector adds μ = (o − Σ m_k) / (σ_o² + Σ v_k): x̂_k = m_k + v_k μ,
        // ô = o − σ_o² μ, and χ² = Σ (f_k − l_k)² / (σ_f² + σ_l²) + (o − Σ m_k) μ.
        let units = 1000;
        let mut rng = Rng::new(9);
        let mut processes: Vec<String> = (0..units).map(|u| format!("U{u}")).collect();
        processes.push("C".into());
        let mut flows = Vec::new();
        let mut total = 0.0;
        let (mut m, mut v) = (Vec::new(), Vec::new());
        let mut chi_square = 0.0;
        for u in 0..units {
            let q = rng.range(1.0, 100.0);
            total += q;
            let p = format!("U{u}");
            let (f, sf) = (q * rng.range(0.98, 1.02), 0.02 * q);
            let (l, sl) = (q * rng.range(0.98, 1.02), 0.01 * q);
            flows.push(ms(&format!("f{u}"), "", &p, f, sf));
            flows.push(ms(&format!("l{u}"), &p, "C", l, sl));
            let (wf, wl) = (sf * sf, sl * sl);
            m.push((f * wl + l * wf) / (wf + wl));
            v.push(wf * wl / (wf + wl));
            chi_square += (f - l).powi(2) / (wf + wl);
        }
        let (o, so) = (total * 1.001, 0.01 * total);
        flows.push(ms("o", "C", "", o, so));
        let gap = o - m.iter().sum::<f64>();
        let mu = gap / (so * so + v.iter().sum::<f64>());
        chi_square += gap * mu;
        let r = reconcile(&processes, &flows, DEFAULT_ALPHA).unwrap();
        assert_eq!(r.degrees_of_freedom, units + 1);
        assert_rel(r.chi_square, chi_square, 1e-10);
        for u in 0..units {
            let x = m[u] + v[u] * mu;
            assert_rel(get(&r, &format!("f{u}")).value.unwrap(), x, 1e-12);
            assert_rel(get(&r, &format!("l{u}")).value.unwrap(), x, 1e-12);
        }
        assert_rel(get(&r, "o").value.unwrap(), o - so * so * mu, 1e-12);
        // Python: statistics.NormalDist().inv_cdf(1 − 0.05 / (2 · 2001)), 2,001 tested flows.
        assert_rel(r.z_critical.unwrap(), 4.214_912_487_407_589, 1e-12);
        for (sum, scale) in closures(&processes, &flows, &r) {
            assert!(sum.abs() <= 1e-12 * scale, "{sum}");
        }
    }

    #[test]
    fn network_solver_agrees_with_dense_solver_on_a_larger_network() {
        // 150 flows: the dense solver's size limit is lifted for the comparison.
        let mut rng = Rng::new(41);
        let units = 50;
        let name = |u: usize| format!("U{u}");
        let processes: Vec<String> = (0..units).map(name).collect();
        let mut flows = Vec::new();
        for u in 0..units {
            let v = rng.range(10.0, 100.0);
            flows.push(ms(&format!("f{u}"), "", &name(u), v, 0.05 * v));
            let target = if u + 1 < units {
                name(u + 1 + rng.below(units - u - 1))
            } else {
                String::new()
            };
            flows.push(ms(&format!("l{u}"), &name(u), &target, v * 0.8, 0.04 * v));
            flows.push(ms(
                &format!("w{u}"),
                &name(u),
                "",
                v * 0.3,
                0.5 * v * 10_f64.powf(rng.range(-3.0, 1.0)),
            ));
        }
        let [dense, network] = both(&processes, &flows);
        assert_same(&dense.unwrap(), &network.unwrap(), 1e-9);
    }
}

//! Material balance (物料平衡) on a graph of unit operations, and the pollutant-factor balance
//! (污染因子平衡, e.g. COD, Cr) on the same machinery (domain.md §4a).
//!
//! A [`Stream`] goes `from` one node `to` another; `None` means outside the balance boundary.
//! A unit's inputs are the streams whose `to` is the unit, its outputs those whose `from` is
//! the unit. The audit focus as a whole sees only the streams that cross its boundary, so
//! unit-to-unit streams cancel. The basic equation is Σin = Σout (products, by-products,
//! wastewater, waste gas, solid waste, losses) + Δstock; Δstock is a [`StreamKind::StockChange`]
//! stream, counted on the output side when it leaves a unit (accumulation) and on the input
//! side when it enters one (drawdown).
//!
//! Closure error δ = (Σin − Σout)/Σin; the manual accepts |δ| ≤ 5 % ([`DEFAULT_TOLERANCE`]),
//! and asks less for costly or toxic components, so the tolerance is the caller's.

use super::units::{Quantity, parse_unit};
use super::{InvalidNumber, finite, mean, non_negative, ratio};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

/// The manual's closure tolerance: |δ| ≤ 5 %.
pub const DEFAULT_TOLERANCE: f64 = 0.05;

/// Closure tolerances by component: the manual asks a tighter closure for costly or toxic
/// components (e.g. Cr, Hg) than for the material balance as a whole.
///
/// Component names match exactly (case matters: `Co` is cobalt, `CO` carbon monoxide). The
/// values are not checked here: the balance functions reject a NaN or negative tolerance.
/// Missing fields deserialise to [`Tolerances::default`] (5 %, no component entries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tolerances {
    /// Tolerance (fraction) of the material balance and of components without their own entry.
    pub default: f64,
    /// Tolerance (fraction) by component name, e.g. `Cr` → 0.01.
    pub per_component: BTreeMap<String, f64>,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            default: DEFAULT_TOLERANCE,
            per_component: BTreeMap::new(),
        }
    }
}

impl Tolerances {
    /// The tolerance for `component`: its own entry, or else `default`.
    pub fn for_component(&self, component: &str) -> f64 {
        self.per_component
            .get(component)
            .copied()
            .unwrap_or(self.default)
    }
}

/// Batches a batch process must measure (at least 3 batches/cycles).
pub const REQUIRED_BATCHES: u32 = 3;

/// Hours a continuous process must measure (72 h, shift by shift).
pub const REQUIRED_CONTINUOUS_HOURS: f64 = 72.0;

/// What a stream is; used for the by-kind totals and to tell discharges apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamKind {
    /// 原料.
    RawMaterial,
    /// 辅料.
    AuxiliaryMaterial,
    /// 水.
    Water,
    /// 蒸汽 (its own kind: a balance's totals by kind keep it apart from water).
    Steam,
    /// 产品.
    Product,
    /// 副产品.
    ByProduct,
    /// 废水.
    Wastewater,
    /// 废气.
    WasteGas,
    /// 固体废物.
    SolidWaste,
    /// 损耗 (unaccounted or fugitive losses).
    Loss,
    /// 库存变化 (Δ stock).
    StockChange,
    /// 中间物料 (unit-to-unit).
    Internal,
}

/// One measured stream. All streams of one balance share one unit (the caller converts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stream {
    /// Unique id, e.g. `S3`.
    pub id: String,
    /// Source unit; `None` = from outside the boundary.
    pub from: Option<String>,
    /// Destination unit; `None` = to outside the boundary.
    pub to: Option<String>,
    /// What the stream is.
    pub kind: StreamKind,
    /// One value per batch (or a single value); the balance uses their mean. Must be ≥ 0,
    /// except for [`StreamKind::StockChange`], which may be negative.
    pub measurements: Vec<f64>,
}

/// A stream as it enters a balance: its mean and the per-batch values it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamValue {
    /// Stream id.
    pub id: String,
    /// Stream kind.
    pub kind: StreamKind,
    /// Mean of the batches, used in the sums.
    pub mean: f64,
    /// The per-batch values as measured.
    pub batches: Vec<f64>,
    /// Number of batches.
    pub batch_count: usize,
}

/// Sum of one kind of stream on one side of a balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindTotal {
    /// Stream kind.
    pub kind: StreamKind,
    /// Sum of the means of the streams of this kind.
    pub total: f64,
}

/// What a balance is drawn around.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceScope {
    /// One unit operation.
    Unit(String),
    /// The whole audit focus (every node of the graph).
    Focus,
}

/// A material balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Balance {
    /// What the balance is drawn around.
    pub scope: BalanceScope,
    /// Streams entering, in input order.
    pub inputs: Vec<StreamValue>,
    /// Streams leaving, in input order.
    pub outputs: Vec<StreamValue>,
    /// Σin by kind (only kinds present, in [`StreamKind`] order).
    pub input_by_kind: Vec<KindTotal>,
    /// Σout by kind (only kinds present, in [`StreamKind`] order).
    pub output_by_kind: Vec<KindTotal>,
    /// Σin.
    pub total_in: f64,
    /// Σout.
    pub total_out: f64,
    /// Σin − Σout.
    pub difference: f64,
    /// δ = (Σin − Σout)/Σin as a fraction; `None` when Σin = 0.
    pub closure_error: Option<f64>,
    /// The tolerance the caller asked for (fraction).
    pub tolerance: f64,
    /// |δ| ≤ tolerance; `None` when δ is undefined.
    pub within_tolerance: Option<bool>,
}

/// Why a balance could not be computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BalanceError {
    /// A stream has no measured value.
    NoMeasurement {
        /// Stream id.
        stream: String,
    },
    /// A stream has neither `from` nor `to`, so it touches no unit.
    Unattached {
        /// Stream id.
        stream: String,
    },
    /// Two streams share one id.
    DuplicateStream {
        /// Stream id.
        stream: String,
    },
    /// No stream enters or leaves the requested unit.
    UnknownUnit {
        /// Unit id.
        unit: String,
    },
    /// A number is not usable (NaN, negative flow, tolerance < 0 …).
    InvalidNumber(InvalidNumber),
    /// A pollutant-factor stream's units do not combine into a mass (or mass per time).
    Units {
        /// Stream id.
        stream: String,
        /// What is wrong, naming the units.
        message: String,
    },
    /// Some pollutant-factor streams are amounts (kg) and others rates (kg/a).
    MixedAmountAndRate {
        /// Id of the first stream that disagrees with the first stream.
        stream: String,
    },
}

impl fmt::Display for BalanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BalanceError::NoMeasurement { stream } => {
                write!(f, "stream {stream} has no measured value")
            }
            BalanceError::Unattached { stream } => {
                write!(f, "stream {stream} has neither `from` nor `to`")
            }
            BalanceError::DuplicateStream { stream } => {
                write!(f, "stream id {stream} is used twice")
            }
            BalanceError::UnknownUnit { unit } => {
                write!(f, "no stream enters or leaves unit {unit}")
            }
            BalanceError::InvalidNumber(e) => e.fmt(f),
            BalanceError::Units { stream, message } => write!(f, "stream {stream}: {message}"),
            BalanceError::MixedAmountAndRate { stream } => write!(
                f,
                "stream {stream}: amounts and per-time rates cannot be mixed in one balance"
            ),
        }
    }
}

impl std::error::Error for BalanceError {}

impl From<InvalidNumber> for BalanceError {
    fn from(e: InvalidNumber) -> Self {
        BalanceError::InvalidNumber(e)
    }
}

/// Validates the streams and reduces each to its mean.
fn stream_values(streams: &[Stream]) -> Result<Vec<StreamValue>, BalanceError> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(streams.len());
    for s in streams {
        if !seen.insert(s.id.as_str()) {
            return Err(BalanceError::DuplicateStream {
                stream: s.id.clone(),
            });
        }
        if s.from.is_none() && s.to.is_none() {
            return Err(BalanceError::Unattached {
                stream: s.id.clone(),
            });
        }
        for (i, &v) in s.measurements.iter().enumerate() {
            let field = || format!("streams[{}].measurements[{i}]", s.id);
            if s.kind == StreamKind::StockChange {
                finite(v, field)?;
            } else {
                non_negative(v, field)?;
            }
        }
        let m = mean(&s.measurements).ok_or_else(|| BalanceError::NoMeasurement {
            stream: s.id.clone(),
        })?;
        out.push(StreamValue {
            id: s.id.clone(),
            kind: s.kind,
            mean: m,
            batches: s.measurements.clone(),
            batch_count: s.measurements.len(),
        });
    }
    Ok(out)
}

fn by_kind(values: &[StreamValue]) -> Vec<KindTotal> {
    let kinds: BTreeSet<StreamKind> = values.iter().map(|v| v.kind).collect();
    kinds
        .into_iter()
        .map(|kind| KindTotal {
            kind,
            total: values
                .iter()
                .filter(|v| v.kind == kind)
                .map(|v| v.mean)
                .sum(),
        })
        .collect()
}

/// The balance around the set of nodes `inside`: inputs come from outside it into it, outputs
/// leave it; streams with both ends inside cancel.
fn balance_around(
    streams: &[Stream],
    scope: BalanceScope,
    inside: impl Fn(Option<&str>) -> bool,
    tolerance: f64,
) -> Result<Balance, BalanceError> {
    let tolerance = non_negative(tolerance, || "tolerance".to_string())?;
    let values = stream_values(streams)?;
    let (mut inputs, mut outputs) = (Vec::new(), Vec::new());
    for (s, v) in streams.iter().zip(values) {
        match (inside(s.from.as_deref()), inside(s.to.as_deref())) {
            (false, true) => inputs.push(v),
            (true, false) => outputs.push(v),
            _ => {}
        }
    }
    let total_in: f64 = inputs.iter().map(|v| v.mean).sum();
    let total_out: f64 = outputs.iter().map(|v| v.mean).sum();
    let difference = total_in - total_out;
    let closure_error = ratio(difference, total_in);
    Ok(Balance {
        scope,
        input_by_kind: by_kind(&inputs),
        output_by_kind: by_kind(&outputs),
        inputs,
        outputs,
        total_in,
        total_out,
        difference,
        closure_error,
        tolerance,
        within_tolerance: closure_error.map(|d| d.abs() <= tolerance),
    })
}

/// Balance of one unit operation: inputs are streams `to` it, outputs streams `from` it.
pub fn unit_balance(
    streams: &[Stream],
    unit: &str,
    tolerance: f64,
) -> Result<Balance, BalanceError> {
    let touches = streams
        .iter()
        .any(|s| s.from.as_deref() == Some(unit) || s.to.as_deref() == Some(unit));
    if !touches {
        return Err(BalanceError::UnknownUnit {
            unit: unit.to_string(),
        });
    }
    balance_around(
        streams,
        BalanceScope::Unit(unit.to_string()),
        |n| n == Some(unit),
        tolerance,
    )
}

/// Balance of the whole audit focus: only streams crossing the boundary count.
pub fn focus_balance(streams: &[Stream], tolerance: f64) -> Result<Balance, BalanceError> {
    balance_around(streams, BalanceScope::Focus, |n| n.is_some(), tolerance)
}

/// The unit ids of the graph, in order of first appearance.
pub fn units(streams: &[Stream]) -> Vec<String> {
    let mut seen = Vec::<String>::new();
    for n in streams.iter().flat_map(|s| [&s.from, &s.to]).flatten() {
        if !seen.contains(n) {
            seen.push(n.clone());
        }
    }
    seen
}

/// Balances of every unit, in order of first appearance, all with one tolerance.
pub fn all_unit_balances(streams: &[Stream], tolerance: f64) -> Result<Vec<Balance>, BalanceError> {
    units(streams)
        .iter()
        .map(|u| unit_balance(streams, u, tolerance))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Measurement coverage

/// How a process was measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measured {
    /// Batch process: number of complete batches measured.
    Batches(u32),
    /// Continuous process: hours of continuous measurement.
    ContinuousHours(f64),
}

/// Result of the measurement-coverage check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Enough batches or hours.
    Sufficient,
    /// A batch process measured fewer than [`REQUIRED_BATCHES`].
    MissingBatches {
        /// Batches measured.
        measured: u32,
        /// Batches required.
        required: u32,
        /// Batches still to measure.
        missing: u32,
    },
    /// A continuous process measured fewer than [`REQUIRED_CONTINUOUS_HOURS`].
    MissingHours {
        /// Hours measured (a NaN or negative input counts as 0).
        measured: f64,
        /// Hours required.
        required: f64,
        /// Hours still to measure.
        missing: f64,
    },
}

/// Checks the manual's rule: a batch process ≥ 3 batches, a continuous one ≥ 72 h.
pub fn measurement_coverage(measured: Measured) -> Coverage {
    match measured {
        Measured::Batches(n) if n >= REQUIRED_BATCHES => Coverage::Sufficient,
        Measured::Batches(n) => Coverage::MissingBatches {
            measured: n,
            required: REQUIRED_BATCHES,
            missing: REQUIRED_BATCHES - n,
        },
        Measured::ContinuousHours(h) => {
            // NaN or negative hours are no measurement at all.
            let h = if h.is_finite() && h > 0.0 { h } else { 0.0 };
            if h >= REQUIRED_CONTINUOUS_HOURS {
                Coverage::Sufficient
            } else {
                Coverage::MissingHours {
                    measured: h,
                    required: REQUIRED_CONTINUOUS_HOURS,
                    missing: REQUIRED_CONTINUOUS_HOURS - h,
                }
            }
        }
    }
}

/// Coverage of one stream of a batch process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamCoverage {
    /// Stream id.
    pub stream: String,
    /// Coverage judged from its number of measured batches.
    pub coverage: Coverage,
}

/// For a batch process: the streams measured in fewer than 3 batches (empty = all covered).
pub fn batch_coverage_gaps(streams: &[Stream]) -> Vec<StreamCoverage> {
    streams
        .iter()
        .filter_map(|s| {
            let n = u32::try_from(s.measurements.len()).unwrap_or(u32::MAX);
            match measurement_coverage(Measured::Batches(n)) {
                Coverage::Sufficient => None,
                coverage => Some(StreamCoverage {
                    stream: s.id.clone(),
                    coverage,
                }),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Pollutant-factor balance

/// How much of a component a stream carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentAmount {
    /// Concentration × stream quantity: mg/L (or mg/m³, g/L …) × volume (m³, m³/a …), or a
    /// mass fraction (mg/kg, wt% …) × mass (t, t/a …).
    Concentration {
        /// Concentration value.
        concentration: f64,
        /// Its unit, e.g. `mg/L`.
        concentration_unit: String,
        /// Stream quantity.
        flow: f64,
        /// Its unit, e.g. `m³/a`.
        flow_unit: String,
    },
    /// The component's mass (or mass rate) measured directly, e.g. `kg`, `t/a`.
    Mass {
        /// Mass value.
        mass: f64,
        /// Its unit.
        unit: String,
    },
}

/// A stream in a pollutant-factor balance (same graph rules as [`Stream`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentStream {
    /// Stream id.
    pub id: String,
    /// Source unit; `None` = outside.
    pub from: Option<String>,
    /// Destination unit; `None` = outside.
    pub to: Option<String>,
    /// Stream kind; wastewater and waste gas count as discharged.
    pub kind: StreamKind,
    /// Component carried.
    pub amount: ComponentAmount,
}

/// A pollutant-factor balance: the material balance of the component's mass, plus how much
/// is discharged and removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentBalance {
    /// Component name, e.g. `COD`, `Cr`.
    pub component: String,
    /// `kg` or `kg/a`: the unit of every figure in `balance`.
    pub unit: String,
    /// The balance of the component mass (streams' `mean` in `unit`).
    pub balance: Balance,
    /// Σ of outputs that are wastewater or waste gas (排放量).
    pub discharged: f64,
    /// Σin − discharged (去除量: transferred to sludge or products, or degraded).
    pub removed: f64,
    /// removed / Σin; `None` when Σin = 0.
    pub removal_rate: Option<f64>,
    /// Whether the measured inputs account for the outputs: δ is defined and not below
    /// [`COMPONENT_CLOSURE_FLOOR`]. When not, the component is formed in the process or
    /// its inputs were not measured (COD of a dye bath, say): the flows stand, δ says
    /// nothing about the measurement and is not a closure error to report.
    pub closes: bool,
}

/// δ below −100 % (outputs more than twice the inputs) means a component balance does not
/// close at all, rather than closes badly.
pub const COMPONENT_CLOSURE_FLOOR: f64 = -1.0;

/// Mass of the component in kg and whether it is a rate (kg/a).
fn component_kg(s: &ComponentStream) -> Result<(f64, bool), BalanceError> {
    let units_err = |message: String| BalanceError::Units {
        stream: s.id.clone(),
        message,
    };
    let parse = |u: &str| parse_unit(u).map_err(|e| units_err(e.to_string()));
    match &s.amount {
        ComponentAmount::Mass { mass, unit } => {
            let u = parse(unit)?;
            if u.dimension.quantity != Quantity::Mass {
                return Err(units_err(format!("\"{unit}\" is not a mass or mass rate")));
            }
            let m = non_negative(*mass, || format!("streams[{}].mass", s.id))?;
            // Canonical t → kg.
            Ok((m * u.to_canonical * 1e3, u.dimension.per_time))
        }
        ComponentAmount::Concentration {
            concentration,
            concentration_unit,
            flow,
            flow_unit,
        } => {
            let (cu, fu) = (parse(concentration_unit)?, parse(flow_unit)?);
            let fits = matches!(
                (cu.dimension.quantity, fu.dimension.quantity),
                (Quantity::Concentration, Quantity::Volume)
                    | (Quantity::MassFraction, Quantity::Mass)
            );
            if !fits || cu.dimension.per_time {
                return Err(units_err(format!(
                    "\"{concentration_unit}\" × \"{flow_unit}\" is not a mass: use a concentration \
                     with a volume, or a mass fraction with a mass"
                )));
            }
            let c = non_negative(*concentration, || {
                format!("streams[{}].concentration", s.id)
            })?;
            let q = non_negative(*flow, || format!("streams[{}].flow", s.id))?;
            // mg/L × m³ = g (1 m³ = 1000 L), and mg/kg × t = g (1 t = 1000 kg); g → kg is 1e-3.
            Ok((
                c * cu.to_canonical * q * fu.to_canonical * 1e-3,
                fu.dimension.per_time,
            ))
        }
    }
}

/// Converts component streams to plain streams of component mass (kg or kg/a).
fn component_streams(
    streams: &[ComponentStream],
) -> Result<(Vec<Stream>, &'static str), BalanceError> {
    let mut rate = None;
    let mut out = Vec::with_capacity(streams.len());
    for s in streams {
        let (kg, per_time) = component_kg(s)?;
        match rate {
            None => rate = Some(per_time),
            Some(r) if r != per_time => {
                return Err(BalanceError::MixedAmountAndRate {
                    stream: s.id.clone(),
                });
            }
            Some(_) => {}
        }
        out.push(Stream {
            id: s.id.clone(),
            from: s.from.clone(),
            to: s.to.clone(),
            kind: s.kind,
            measurements: vec![kg],
        });
    }
    Ok((out, if rate == Some(true) { "kg/a" } else { "kg" }))
}

fn component_balance(component: &str, unit: &'static str, balance: Balance) -> ComponentBalance {
    let discharged: f64 = balance
        .outputs
        .iter()
        .filter(|v| matches!(v.kind, StreamKind::Wastewater | StreamKind::WasteGas))
        .map(|v| v.mean)
        .sum();
    let removed = balance.total_in - discharged;
    let closes = balance
        .closure_error
        .is_some_and(|delta| delta >= COMPONENT_CLOSURE_FLOOR);
    ComponentBalance {
        closes,
        component: component.to_string(),
        unit: unit.to_string(),
        removal_rate: ratio(removed, balance.total_in),
        discharged,
        removed,
        balance,
    }
}

/// Pollutant-factor balance of one unit operation.
pub fn component_unit_balance(
    component: &str,
    streams: &[ComponentStream],
    unit: &str,
    tolerance: f64,
) -> Result<ComponentBalance, BalanceError> {
    let (plain, mass_unit) = component_streams(streams)?;
    Ok(component_balance(
        component,
        mass_unit,
        unit_balance(&plain, unit, tolerance)?,
    ))
}

/// Pollutant-factor balance of the whole audit focus.
pub fn component_focus_balance(
    component: &str,
    streams: &[ComponentStream],
    tolerance: f64,
) -> Result<ComponentBalance, BalanceError> {
    let (plain, mass_unit) = component_streams(streams)?;
    Ok(component_balance(
        component,
        mass_unit,
        focus_balance(&plain, tolerance)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::{Rng, assert_abs, assert_rel};

    /// `""` as `from` or `to` means outside the boundary.
    fn node(n: &str) -> Option<String> {
        (!n.is_empty()).then(|| n.to_string())
    }

    fn st(id: &str, from: &str, to: &str, kind: StreamKind, m: &[f64]) -> Stream {
        Stream {
            id: id.into(),
            from: node(from),
            to: node(to),
            kind,
            measurements: m.to_vec(),
        }
    }

    use StreamKind::*;

    /// Two units: mixing M → reactor R. Closed by construction (integers, exact in f64).
    fn closed_plant() -> Vec<Stream> {
        vec![
            st("raw", "", "M", RawMaterial, &[1000.0]),
            st("water", "", "M", Water, &[500.0]),
            st("mix", "M", "R", Internal, &[1490.0]),
            st("dust", "M", "", Loss, &[10.0]),
            st("product", "R", "", Product, &[1200.0]),
            st("ww", "R", "", Wastewater, &[250.0]),
            st("sw", "R", "", SolidWaste, &[40.0]),
        ]
    }

    #[test]
    fn published_example_recomputed() {
        // domain.md §4a: in 4 746 025 kg, out 4 646 377 kg. Difference 99 648 kg;
        // δ = 99 648 / 4 746 025 = 0.020996… = 2.0996 % (the source's 0.91 % is wrong).
        let s = vec![
            st("in", "", "U", RawMaterial, &[4_746_025.0]),
            st("out", "U", "", Product, &[4_646_377.0]),
        ];
        let b = unit_balance(&s, "U", DEFAULT_TOLERANCE).unwrap();
        assert_eq!(b.difference, 99_648.0);
        assert_rel(b.closure_error.unwrap(), 99_648.0 / 4_746_025.0, 1e-15);
        assert_abs(b.closure_error.unwrap() * 100.0, 2.0996, 5e-5);
        assert_eq!(b.within_tolerance, Some(true));
        // A tighter tolerance for a toxic component: 1 %.
        let b = unit_balance(&s, "U", 0.01).unwrap();
        assert_eq!(b.within_tolerance, Some(false));
    }

    #[test]
    fn closed_system_closes_exactly() {
        let s = closed_plant();
        let f = focus_balance(&s, DEFAULT_TOLERANCE).unwrap();
        assert_eq!((f.total_in, f.total_out), (1500.0, 1500.0));
        assert_eq!(f.closure_error, Some(0.0));
        assert_eq!(f.within_tolerance, Some(true));
        // The internal stream cancels in the focus balance.
        assert!(f.inputs.iter().chain(&f.outputs).all(|v| v.id != "mix"));
        assert_eq!(
            f.output_by_kind,
            vec![
                KindTotal {
                    kind: Product,
                    total: 1200.0
                },
                KindTotal {
                    kind: Wastewater,
                    total: 250.0
                },
                KindTotal {
                    kind: SolidWaste,
                    total: 40.0
                },
                KindTotal {
                    kind: Loss,
                    total: 10.0
                },
            ]
        );
        let m = unit_balance(&s, "M", DEFAULT_TOLERANCE).unwrap();
        assert_eq!(
            (m.total_in, m.total_out, m.closure_error),
            (1500.0, 1500.0, Some(0.0))
        );
        let r = unit_balance(&s, "R", DEFAULT_TOLERANCE).unwrap();
        assert_eq!(
            (r.total_in, r.total_out, r.closure_error),
            (1490.0, 1490.0, Some(0.0))
        );
        assert_eq!(all_unit_balances(&s, 0.05).unwrap().len(), 2);
    }

    #[test]
    fn zero_input_gives_no_closure() {
        let s = vec![st("out", "U", "", Product, &[0.0])];
        let b = unit_balance(&s, "U", DEFAULT_TOLERANCE).unwrap();
        assert_eq!((b.closure_error, b.within_tolerance), (None, None));
        let s = vec![st("out", "U", "", Product, &[5.0])];
        assert_eq!(unit_balance(&s, "U", 0.05).unwrap().closure_error, None);
    }

    #[test]
    fn batches_are_averaged_and_kept() {
        // Batches 98, 100, 102 → mean 100; output 96 → δ = 4/100 = 4 %.
        let s = vec![
            st("in", "", "U", RawMaterial, &[98.0, 100.0, 102.0]),
            st("out", "U", "", Product, &[96.0]),
        ];
        let b = unit_balance(&s, "U", 0.05).unwrap();
        assert_eq!(b.inputs[0].mean, 100.0);
        assert_eq!(b.inputs[0].batches, vec![98.0, 100.0, 102.0]);
        assert_eq!(b.inputs[0].batch_count, 3);
        assert_abs(b.closure_error.unwrap(), 0.04, 1e-15);
        let gaps = batch_coverage_gaps(&s);
        assert_eq!(
            gaps,
            vec![StreamCoverage {
                stream: "out".into(),
                coverage: Coverage::MissingBatches {
                    measured: 1,
                    required: 3,
                    missing: 2
                }
            }]
        );
    }

    #[test]
    fn stock_change_counts_on_its_side() {
        // In 100 = product 90 + accumulation 10; a drawdown of −5 on the output side
        // would mean out = 85.
        let s = vec![
            st("in", "", "U", RawMaterial, &[100.0]),
            st("p", "U", "", Product, &[90.0]),
            st("stock", "U", "", StockChange, &[10.0]),
        ];
        assert_eq!(
            unit_balance(&s, "U", 0.05).unwrap().closure_error,
            Some(0.0)
        );
        let mut s2 = s.clone();
        s2[2].measurements = vec![-5.0];
        assert_eq!(unit_balance(&s2, "U", 0.05).unwrap().total_out, 85.0);
    }

    #[test]
    fn bad_input_is_returned_as_error() {
        let s = vec![st("a", "", "", RawMaterial, &[1.0])];
        assert_eq!(
            focus_balance(&s, 0.05),
            Err(BalanceError::Unattached { stream: "a".into() })
        );
        let s = vec![st("a", "", "U", RawMaterial, &[])];
        assert_eq!(
            focus_balance(&s, 0.05),
            Err(BalanceError::NoMeasurement { stream: "a".into() })
        );
        let s = vec![st("a", "", "U", RawMaterial, &[-1.0])];
        assert!(matches!(
            focus_balance(&s, 0.05),
            Err(BalanceError::InvalidNumber(_))
        ));
        let s = vec![st("a", "", "U", RawMaterial, &[f64::NAN])];
        assert!(matches!(
            focus_balance(&s, 0.05),
            Err(BalanceError::InvalidNumber(_))
        ));
        let s = vec![
            st("a", "", "U", RawMaterial, &[1.0]),
            st("a", "U", "", Product, &[1.0]),
        ];
        assert_eq!(
            focus_balance(&s, 0.05),
            Err(BalanceError::DuplicateStream { stream: "a".into() })
        );
        assert_eq!(
            unit_balance(&s[..1], "X", 0.05),
            Err(BalanceError::UnknownUnit { unit: "X".into() })
        );
        assert!(matches!(
            focus_balance(&s[..1], f64::NAN),
            Err(BalanceError::InvalidNumber(_))
        ));
    }

    #[test]
    fn coverage_rules() {
        assert_eq!(
            measurement_coverage(Measured::Batches(3)),
            Coverage::Sufficient
        );
        assert_eq!(
            measurement_coverage(Measured::Batches(0)),
            Coverage::MissingBatches {
                measured: 0,
                required: 3,
                missing: 3
            }
        );
        assert_eq!(
            measurement_coverage(Measured::ContinuousHours(72.0)),
            Coverage::Sufficient
        );
        assert_eq!(
            measurement_coverage(Measured::ContinuousHours(48.0)),
            Coverage::MissingHours {
                measured: 48.0,
                required: 72.0,
                missing: 24.0
            }
        );
        assert_eq!(
            measurement_coverage(Measured::ContinuousHours(f64::NAN)),
            Coverage::MissingHours {
                measured: 0.0,
                required: 72.0,
                missing: 72.0
            }
        );
    }

    fn cs(
        id: &str,
        from: &str,
        to: &str,
        kind: StreamKind,
        amount: ComponentAmount,
    ) -> ComponentStream {
        ComponentStream {
            id: id.into(),
            from: node(from),
            to: node(to),
            kind,
            amount,
        }
    }

    fn mass(mass: f64, unit: &str) -> ComponentAmount {
        ComponentAmount::Mass {
            mass,
            unit: unit.into(),
        }
    }

    fn conc(c: f64, cu: &str, q: f64, qu: &str) -> ComponentAmount {
        ComponentAmount::Concentration {
            concentration: c,
            concentration_unit: cu.into(),
            flow: q,
            flow_unit: qu.into(),
        }
    }

    #[test]
    fn pollutant_factor_balance_of_a_treatment_plant() {
        // COD through a wastewater treatment unit W, per year:
        // influent 400 mg/L × 50 000 m³/a = 20 000 000 g/a = 20 000 kg/a;
        // effluent 60 mg/L × 49 000 m³/a = 2 940 kg/a (discharged);
        // sludge 2 t/a × 5 000 mg/kg = 10 kg/a.
        // out = 2 950; difference = 17 050 (degraded); removed = 20 000 − 2 940 = 17 060;
        // removal rate = 17 060 / 20 000 = 0.853.
        let s = vec![
            cs(
                "in",
                "",
                "W",
                Wastewater,
                conc(400.0, "mg/L", 50_000.0, "m3/a"),
            ),
            cs(
                "eff",
                "W",
                "",
                Wastewater,
                conc(60.0, "mg/L", 49_000.0, "m³/a"),
            ),
            cs(
                "sludge",
                "W",
                "",
                SolidWaste,
                conc(5000.0, "mg/kg", 2.0, "t/a"),
            ),
        ];
        let b = component_unit_balance("COD", &s, "W", 0.05).unwrap();
        assert_eq!(b.unit, "kg/a");
        assert_rel(b.balance.total_in, 20_000.0, 1e-12);
        assert_rel(b.balance.total_out, 2_950.0, 1e-12);
        assert_rel(b.discharged, 2_940.0, 1e-12);
        assert_rel(b.removed, 17_060.0, 1e-12);
        assert_rel(b.removal_rate.unwrap(), 0.853, 1e-12);
        assert_eq!(b.balance.within_tolerance, Some(false));
        let f = component_focus_balance("COD", &s, 0.05).unwrap();
        assert_rel(f.discharged, 2_940.0, 1e-12);
    }

    #[test]
    fn conserved_element_balance_and_units() {
        // Cr in a plating line P, one batch: bath 2 kg in (direct mass);
        // rinse water 12 mg/L × 100 m³ = 1.2 kg; product carries 800 g = 0.8 kg.
        // in 2.0 = out 2.0, δ = 0 (up to rounding).
        let s = vec![
            cs("bath", "", "P", RawMaterial, mass(2.0, "kg")),
            cs(
                "rinse",
                "P",
                "",
                Wastewater,
                conc(12.0, "mg/L", 100.0, "m3"),
            ),
            cs("plated", "P", "", Product, mass(800.0, "g")),
        ];
        let b = component_unit_balance("Cr", &s, "P", 0.01).unwrap();
        assert_eq!(b.unit, "kg");
        assert_abs(b.balance.closure_error.unwrap(), 0.0, 1e-12);
        assert_rel(b.discharged, 1.2, 1e-12);
        // Rate and amount cannot be mixed.
        let mut mixed = s.clone();
        mixed[1].amount = conc(12.0, "mg/L", 100.0, "m3/a");
        assert_eq!(
            component_unit_balance("Cr", &mixed, "P", 0.01),
            Err(BalanceError::MixedAmountAndRate {
                stream: "rinse".into()
            })
        );
        // Concentration × mass does not make a mass.
        let mut wrong = s.clone();
        wrong[1].amount = conc(12.0, "mg/L", 100.0, "t");
        assert!(matches!(
            component_unit_balance("Cr", &wrong, "P", 0.01),
            Err(BalanceError::Units { .. })
        ));
        wrong[1].amount = ComponentAmount::Mass {
            mass: 1.0,
            unit: "m3".into(),
        };
        assert!(matches!(
            component_unit_balance("Cr", &wrong, "P", 0.01),
            Err(BalanceError::Units { .. })
        ));
    }

    #[test]
    fn tolerance_per_component() {
        let t = Tolerances {
            default: DEFAULT_TOLERANCE,
            per_component: BTreeMap::from([("Cr".to_string(), 0.01)]),
        };
        assert_eq!(t.for_component("Cr"), 0.01);
        assert_eq!(t.for_component("COD"), DEFAULT_TOLERANCE);
        assert_eq!(t.for_component("cr"), DEFAULT_TOLERANCE);
        assert_eq!(Tolerances::default().for_component("Cr"), DEFAULT_TOLERANCE);
        let parsed: Tolerances =
            serde_json::from_str(r#"{"per_component": {"Cr": 0.01}}"#).unwrap();
        assert_eq!(parsed, t);
        // In 2 kg, out 1.97 kg: δ = 1.5 %, within the default 5 % but not Cr's 1 %.
        let s = vec![
            cs("bath", "", "P", RawMaterial, mass(2.0, "kg")),
            cs("rinse", "P", "", Wastewater, mass(1.97, "kg")),
        ];
        let cr = component_unit_balance("Cr", &s, "P", t.for_component("Cr")).unwrap();
        assert_eq!(cr.balance.within_tolerance, Some(false));
        let cod = component_unit_balance("COD", &s, "P", t.for_component("COD")).unwrap();
        assert_eq!(cod.balance.within_tolerance, Some(true));
    }

    /// Property: a random graph whose units each close exactly (integer flows, so the sums are
    /// exact in f64) also closes as a whole, and the internal streams cancel.
    #[test]
    fn random_closed_graphs_close() {
        let mut rng = Rng::new(42);
        for case in 0..200 {
            let n_units = 1 + rng.below(6);
            let name = |i: usize| format!("U{i}");
            let mut streams = Vec::new();
            let mut inflow = vec![0.0_f64; n_units];
            let mut outside_in = 0.0;
            // Each unit gets an external feed and may pass material forward (acyclic).
            for u in 0..n_units {
                let feed = (1 + rng.below(1000)) as f64;
                outside_in += feed;
                inflow[u] += feed;
                streams.push(st(&format!("f{u}"), "", &name(u), RawMaterial, &[feed]));
                let mut left = inflow[u];
                for (v, downstream) in inflow.iter_mut().enumerate().skip(u + 1) {
                    if rng.below(2) == 0 {
                        let q = (rng.below(left as usize + 1)) as f64;
                        left -= q;
                        *downstream += q;
                        streams.push(st(&format!("i{u}_{v}"), &name(u), &name(v), Internal, &[q]));
                    }
                }
                streams.push(st(&format!("p{u}"), &name(u), "", Product, &[left]));
            }
            let f = focus_balance(&streams, DEFAULT_TOLERANCE).unwrap();
            assert_eq!(f.total_in, outside_in, "case {case}");
            assert_eq!(f.closure_error, Some(0.0), "case {case}");
            for b in all_unit_balances(&streams, DEFAULT_TOLERANCE).unwrap() {
                assert!(
                    b.closure_error.is_none_or(|d| d == 0.0),
                    "case {case}: {b:?}"
                );
            }
        }
    }
}

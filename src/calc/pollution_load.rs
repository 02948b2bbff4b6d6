//! Equal-standard pollution load (等标污染负荷, domain.md §4d): the volume of medium needed to
//! dilute a discharge down to its standard concentration.
//!
//! P_ij = (C_ij / C_0i) · Q_ij, or in mass form P_ij = m · G_ij / C_0i with G in t/a and
//! m = 10⁶ for water (C in mg/L, P in m³/a) or 10⁹ for gas (C in mg/Nm³, P in Nm³/a).
//! P_i = Σ_j P_ij, P_j = Σ_i P_ij, P = Σ P_j, K_i = P_i/P, K_j = P_j/P. The major pollutants and
//! sources are those ranked (descending) up to and including the first whose cumulative K
//! reaches 80 %.
//!
//! Water and gas loads must never be added. Every load is a [`Load<M>`] tagged with its medium
//! ([`Water`] or [`Gas`]); `Load<M> + Load<M>` compiles, `Load<Water> + Load<Gas>` does not.

use super::{InvalidNumber, non_negative, ratio};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Add;

/// Share of the total load that makes the pollutants or sources ranked above it "major".
pub const MAJOR_CUMULATIVE_SHARE: f64 = 0.8;

/// Which medium a load is in, for `results.json` and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediumKind {
    /// Wastewater: C in mg/L, Q in m³/a, P in m³/a.
    Water,
    /// Waste gas: C in mg/Nm³, Q in Nm³/a, P in Nm³/a.
    Gas,
}

/// The constants of one medium. Implemented only by [`Water`] and [`Gas`].
pub trait Medium {
    /// Which medium.
    const KIND: MediumKind;
    /// m in P = m · G[t/a] / C_0: 10⁶ for water (t → mg over mg/L → L → m³), 10⁹ for gas.
    const MASS_FACTOR: f64;
    /// Unit of P.
    const LOAD_UNIT: &'static str;
}

/// Marker for wastewater loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Water;

/// Marker for waste-gas loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Gas;

impl Medium for Water {
    const KIND: MediumKind = MediumKind::Water;
    const MASS_FACTOR: f64 = 1e6;
    const LOAD_UNIT: &'static str = "m³/a";
}

impl Medium for Gas {
    const KIND: MediumKind = MediumKind::Gas;
    const MASS_FACTOR: f64 = 1e9;
    const LOAD_UNIT: &'static str = "Nm³/a";
}

/// An equal-standard pollution load in medium `M`; serialises as a plain number.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Load<M> {
    value: f64,
    #[serde(skip)]
    medium: PhantomData<M>,
}

impl<M> Load<M> {
    fn new(value: f64) -> Self {
        Load {
            value,
            medium: PhantomData,
        }
    }

    /// The load in m³/a (water) or Nm³/a (gas).
    pub fn value(self) -> f64 {
        self.value
    }
}

/// Loads add only within one medium.
impl<M> Add for Load<M> {
    type Output = Load<M>;
    fn add(self, other: Load<M>) -> Load<M> {
        Load::new(self.value + other.value)
    }
}

/// The standard concentration of one pollutant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollutantStandard {
    /// Pollutant name, e.g. `COD`.
    pub pollutant: String,
    /// C_0i in mg/L (water) or mg/Nm³ (gas); > 0. Use one standard consistently.
    pub c0: f64,
}

/// How a source's emission of one pollutant is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Emission {
    /// C_ij (mg/L or mg/Nm³) and Q_ij (m³/a or Nm³/a).
    Concentration {
        /// Concentration.
        concentration: f64,
        /// Annual flow of medium.
        flow: f64,
    },
    /// G_ij, annual mass in t/a.
    Mass {
        /// t/a.
        tonnes_per_year: f64,
    },
}

/// One source's emission of one pollutant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceEmission {
    /// Source j (workshop, outfall, stack).
    pub source: String,
    /// Pollutant i; must have a [`PollutantStandard`].
    pub pollutant: String,
    /// Its emission.
    pub emission: Emission,
    /// The C_0ij that applies at this source, where it is not the pollutant's C_0i (a
    /// boiler stack and a process stack fall under different standards).
    #[serde(default)]
    pub c0: Option<f64>,
}

/// P_ij.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadCell<M> {
    /// Source j.
    pub source: String,
    /// Pollutant i.
    pub pollutant: String,
    /// P_ij.
    pub load: Load<M>,
}

/// A pollutant's or source's load in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedLoad<M> {
    /// Pollutant or source name.
    pub name: String,
    /// P_i or P_j.
    pub load: Load<M>,
    /// 1-based position in the descending ranking (equal loads keep input order).
    pub rank: usize,
    /// K = load / total; `None` when the total is 0.
    pub share: Option<f64>,
    /// Σ K up to and including this one; `None` when the total is 0.
    pub cumulative_share: Option<f64>,
    /// Ranked up to and including the first whose cumulative K reaches 80 %.
    pub major: bool,
}

/// The equal-standard pollution load of one medium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PollutionLoad<M> {
    /// Water or gas.
    pub medium: MediumKind,
    /// `m³/a` or `Nm³/a`.
    pub load_unit: String,
    /// P_ij, in input order.
    pub cells: Vec<LoadCell<M>>,
    /// P_i, ranked descending.
    pub pollutants: Vec<RankedLoad<M>>,
    /// P_j, ranked descending.
    pub sources: Vec<RankedLoad<M>>,
    /// P.
    pub total: Load<M>,
}

/// Why the load could not be computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadError {
    /// An emission names a pollutant that has no standard.
    MissingStandard {
        /// Pollutant.
        pollutant: String,
    },
    /// A pollutant has two standards.
    DuplicateStandard {
        /// Pollutant.
        pollutant: String,
    },
    /// A source reports one pollutant twice.
    DuplicateEmission {
        /// Source.
        source: String,
        /// Pollutant.
        pollutant: String,
    },
    /// A number is not usable (negative, NaN, or C_0 ≤ 0).
    InvalidNumber(InvalidNumber),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::MissingStandard { pollutant } => write!(f, "no standard C0 for {pollutant}"),
            LoadError::DuplicateStandard { pollutant } => {
                write!(f, "two standards for {pollutant}")
            }
            LoadError::DuplicateEmission { source, pollutant } => {
                write!(f, "{source} reports {pollutant} twice")
            }
            LoadError::InvalidNumber(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<InvalidNumber> for LoadError {
    fn from(e: InvalidNumber) -> Self {
        LoadError::InvalidNumber(e)
    }
}

/// Ranks `(name, load)` pairs descending (stable, so ties keep input order) and marks majors.
fn rank<M>(mut items: Vec<(String, f64)>, total: f64) -> Vec<RankedLoad<M>> {
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut cumulative = 0.0;
    let mut reached = false;
    items
        .into_iter()
        .enumerate()
        .map(|(i, (name, load))| {
            let share = ratio(load, total);
            if let Some(k) = share {
                cumulative += k;
            }
            let major = share.is_some() && !reached;
            // Tolerance so that shares summing to exactly 80 % are not lost to rounding.
            reached |= share.is_some() && cumulative >= MAJOR_CUMULATIVE_SHARE - 1e-12;
            RankedLoad {
                name,
                load: Load::new(load),
                rank: i + 1,
                share,
                cumulative_share: share.map(|_| cumulative),
                major,
            }
        })
        .collect()
}

/// Adds `load` to `name`'s entry, keeping first-appearance order.
fn accumulate(list: &mut Vec<(String, f64)>, name: &str, load: f64) {
    match list.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 += load,
        None => list.push((name.to_string(), load)),
    }
}

/// Computes P_ij, P_i, P_j, P, K and the major pollutants and sources for medium `M`
/// (call as `pollution_load::<Water>(…)` or `pollution_load::<Gas>(…)`).
pub fn pollution_load<M: Medium>(
    standards: &[PollutantStandard],
    emissions: &[SourceEmission],
) -> Result<PollutionLoad<M>, LoadError> {
    let mut c0s: Vec<(String, f64)> = Vec::with_capacity(standards.len());
    for s in standards {
        if c0s.iter().any(|(p, _)| *p == s.pollutant) {
            return Err(LoadError::DuplicateStandard {
                pollutant: s.pollutant.clone(),
            });
        }
        let c0 = non_negative(s.c0, || format!("standards[{}].c0", s.pollutant))?;
        if c0 == 0.0 {
            return Err(LoadError::InvalidNumber(InvalidNumber {
                field: format!("standards[{}].c0", s.pollutant),
                value: "0".into(),
                expected: "a standard concentration > 0".into(),
            }));
        }
        c0s.push((s.pollutant.clone(), c0));
    }
    // Every pollutant with a standard appears in the ranking, even with no emission.
    let mut pollutants: Vec<(String, f64)> = c0s.iter().map(|(p, _)| (p.clone(), 0.0)).collect();
    let mut sources: Vec<(String, f64)> = Vec::new();
    let mut cells = Vec::with_capacity(emissions.len());
    let mut seen = HashSet::new();
    for e in emissions {
        if !seen.insert((e.source.as_str(), e.pollutant.as_str())) {
            return Err(LoadError::DuplicateEmission {
                source: e.source.clone(),
                pollutant: e.pollutant.clone(),
            });
        }
        let standard = c0s
            .iter()
            .find(|(p, _)| *p == e.pollutant)
            .map(|&(_, c)| c)
            .ok_or_else(|| LoadError::MissingStandard {
                pollutant: e.pollutant.clone(),
            })?;
        let c0 = match e.c0 {
            Some(c) => {
                let c = non_negative(c, || format!("emissions[{}/{}].c0", e.source, e.pollutant))?;
                if c == 0.0 {
                    return Err(LoadError::InvalidNumber(InvalidNumber {
                        field: format!("emissions[{}/{}].c0", e.source, e.pollutant),
                        value: c.to_string(),
                        expected: "a standard concentration > 0".into(),
                    }));
                }
                c
            }
            None => standard,
        };
        let field = |name: &str| format!("emissions[{}/{}].{name}", e.source, e.pollutant);
        let p = match e.emission {
            Emission::Concentration {
                concentration,
                flow,
            } => {
                let c = non_negative(concentration, || field("concentration"))?;
                let q = non_negative(flow, || field("flow"))?;
                c / c0 * q
            }
            Emission::Mass { tonnes_per_year } => {
                M::MASS_FACTOR * non_negative(tonnes_per_year, || field("tonnes_per_year"))? / c0
            }
        };
        // c0 > 0 and bounded inputs keep p finite unless c0 is tiny; refuse rather than emit ∞.
        if !p.is_finite() {
            return Err(LoadError::InvalidNumber(InvalidNumber {
                field: format!("standards[{}].c0", e.pollutant),
                value: c0.to_string(),
                expected: "a standard concentration large enough for a finite load".into(),
            }));
        }
        accumulate(&mut pollutants, &e.pollutant, p);
        accumulate(&mut sources, &e.source, p);
        cells.push(LoadCell {
            source: e.source.clone(),
            pollutant: e.pollutant.clone(),
            load: Load::new(p),
        });
    }
    let total: f64 = sources.iter().map(|(_, p)| p).sum();
    Ok(PollutionLoad {
        medium: M::KIND,
        load_unit: M::LOAD_UNIT.to_string(),
        cells,
        pollutants: rank(pollutants, total),
        sources: rank(sources, total),
        total: Load::new(total),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::assert_rel;

    fn std_(p: &str, c0: f64) -> PollutantStandard {
        PollutantStandard {
            pollutant: p.into(),
            c0,
        }
    }

    fn conc(s: &str, p: &str, c: f64, q: f64) -> SourceEmission {
        SourceEmission {
            source: s.into(),
            pollutant: p.into(),
            emission: Emission::Concentration {
                concentration: c,
                flow: q,
            },
            c0: None,
        }
    }

    fn mass(s: &str, p: &str, g: f64) -> SourceEmission {
        SourceEmission {
            source: s.into(),
            pollutant: p.into(),
            emission: Emission::Mass { tonnes_per_year: g },
            c0: None,
        }
    }

    /// Each stack against its own standard, by hand: boiler NOx 45 mg/Nm³ under a limit
    /// of 200 (GB 13271), 1.224 × 10⁸ Nm³/a → 45/200 × 1.224e8 = 2.754 × 10⁷; stenter NOx
    /// 11 under 240 (GB 16297), 1.86 × 10⁸ → 11/240 × 1.86e8 = 8.525 × 10⁶ (against the
    /// boiler's 200 it would be 1.023 × 10⁷).
    #[test]
    fn a_source_weighs_against_its_own_standard() {
        let standards = [std_("NOx", 200.0)];
        let mut stenter = conc("stenter", "NOx", 11.0, 1.86e8);
        stenter.c0 = Some(240.0);
        let emissions = [conc("boiler", "NOx", 45.0, 1.224e8), stenter.clone()];
        let r = pollution_load::<Gas>(&standards, &emissions).unwrap();
        assert_rel(r.cells[0].load.value(), 2.754e7, 1e-12);
        assert_rel(r.cells[1].load.value(), 8.525e6, 1e-12);
        assert_rel(r.total.value(), 2.754e7 + 8.525e6, 1e-12);
        stenter.c0 = Some(0.0);
        assert!(pollution_load::<Gas>(&standards, &[stenter]).is_err());
    }

    /// Two sources × three pollutants, wastewater, by hand.
    ///
    /// Standards: COD 100 mg/L, NH3-N 15 mg/L, Cr6+ 0.5 mg/L.
    /// Plating (Q = 20 000 m³/a): COD 200 → 200/100 × 20 000 = 40 000;
    ///   NH3-N 15 → 20 000; Cr6+ 0.5 → 20 000.                      P_plating = 80 000
    /// Canteen: COD 8 t/a (mass form) → 10⁶ × 8 / 100 = 80 000;
    ///   NH3-N 30 mg/L × 10 000 m³/a → 2 × 10 000 = 20 000; Cr6+ none. P_canteen = 100 000
    /// P = 180 000. P_COD = 120 000 (K 0.6667), P_NH3-N = 40 000 (0.2222, cum 0.8889),
    /// P_Cr6+ = 20 000 (0.1111). Major pollutants: COD, NH3-N. Sources: canteen 0.5556,
    /// plating 0.4444 (cum 1.0): both major.
    #[test]
    fn two_sources_three_pollutants() {
        let standards = [std_("COD", 100.0), std_("NH3-N", 15.0), std_("Cr6+", 0.5)];
        let emissions = [
            conc("plating", "COD", 200.0, 20_000.0),
            conc("plating", "NH3-N", 15.0, 20_000.0),
            conc("plating", "Cr6+", 0.5, 20_000.0),
            mass("canteen", "COD", 8.0),
            conc("canteen", "NH3-N", 30.0, 10_000.0),
        ];
        let r = pollution_load::<Water>(&standards, &emissions).unwrap();
        assert_eq!(
            (r.medium, r.load_unit.as_str()),
            (MediumKind::Water, "m³/a")
        );
        assert_rel(r.total.value(), 180_000.0, 1e-12);
        assert_rel(r.cells[3].load.value(), 80_000.0, 1e-12);
        let p: Vec<_> = r
            .pollutants
            .iter()
            .map(|x| (x.name.as_str(), x.load.value(), x.major))
            .collect();
        assert_eq!(p[0].0, "COD");
        assert_rel(p[0].1, 120_000.0, 1e-12);
        assert_eq!((p[1].0, p[1].2), ("NH3-N", true));
        assert_eq!((p[2].0, p[2].2), ("Cr6+", false));
        assert_rel(r.pollutants[0].share.unwrap(), 2.0 / 3.0, 1e-12);
        assert_rel(
            r.pollutants[1].cumulative_share.unwrap(),
            160.0 / 180.0,
            1e-12,
        );
        assert_eq!(r.pollutants[2].rank, 3);
        let s: Vec<_> = r
            .sources
            .iter()
            .map(|x| (x.name.as_str(), x.major))
            .collect();
        assert_eq!(s, [("canteen", true), ("plating", true)]);
        assert_rel(r.sources[0].share.unwrap(), 100.0 / 180.0, 1e-12);
        // Loads of one medium add.
        let sum = r
            .pollutants
            .iter()
            .fold(Load::<Water>::new(0.0), |a, x| a + x.load);
        assert_rel(sum.value(), r.total.value(), 1e-12);
        // JSON: a load is a plain number.
        let json = serde_json::to_value(r.total).unwrap();
        assert_eq!(json, serde_json::json!(180_000.0));
    }

    #[test]
    fn gas_mass_form_and_exact_80_percent() {
        // SO2 0.8 t/a at C0 = 100 mg/Nm³ → 10⁹ × 0.8 / 100 = 8 000 000 Nm³/a;
        // NOx 0.4 t/a at 200 → 2 000 000. K = 0.8 and 0.2: SO2 alone reaches 80 %.
        let r = pollution_load::<Gas>(
            &[std_("SO2", 100.0), std_("NOx", 200.0)],
            &[mass("boiler", "SO2", 0.8), mass("boiler", "NOx", 0.4)],
        )
        .unwrap();
        assert_eq!(r.load_unit, "Nm³/a");
        assert_rel(r.pollutants[0].load.value(), 8e6, 1e-12);
        assert_eq!(
            r.pollutants.iter().map(|x| x.major).collect::<Vec<_>>(),
            [true, false]
        );
    }

    #[test]
    fn zero_total_and_errors() {
        let r = pollution_load::<Water>(&[std_("COD", 100.0)], &[]).unwrap();
        assert_eq!(r.total.value(), 0.0);
        assert_eq!(
            (r.pollutants[0].share, r.pollutants[0].major),
            (None, false)
        );
        assert_eq!(
            pollution_load::<Water>(&[], &[mass("a", "COD", 1.0)]),
            Err(LoadError::MissingStandard {
                pollutant: "COD".into()
            })
        );
        assert!(matches!(
            pollution_load::<Water>(&[std_("COD", 0.0)], &[]),
            Err(LoadError::InvalidNumber(_))
        ));
        assert!(matches!(
            pollution_load::<Water>(&[std_("COD", 1.0)], &[mass("a", "COD", -1.0)]),
            Err(LoadError::InvalidNumber(_))
        ));
        assert_eq!(
            pollution_load::<Water>(
                &[std_("COD", 1.0)],
                &[mass("a", "COD", 1.0), mass("a", "COD", 2.0)]
            ),
            Err(LoadError::DuplicateEmission {
                source: "a".into(),
                pollutant: "COD".into()
            })
        );
        assert_eq!(
            pollution_load::<Water>(&[std_("COD", 1.0), std_("COD", 2.0)], &[]),
            Err(LoadError::DuplicateStandard {
                pollutant: "COD".into()
            })
        );
        // A tiny C0 would overflow: refused, not infinity.
        assert!(pollution_load::<Gas>(&[std_("X", 1e-300)], &[mass("a", "X", 1e15)]).is_err());
    }
}

//! Comprehensive energy consumption in standard coal (GB/T 2589-2020, domain.md §4c).
//!
//! E = Σ e_i · k_i, with e_i the physical amount of carrier i and k_i its coefficient from
//! [`COEFFICIENTS`]. The coefficients are the standard's rounded kcal ratios (coal
//! 5000/7000 = 0.7143), stored as published and never recomputed from heating values.
//!
//! Electricity has two bases and a report must say which it used: 当量值 (equivalent value,
//! 0.1229 kgce/kWh, the heat content) or 等价值 (primary-energy value, that year's average coal
//! consumption of thermal power supply, ≈ 0.30 kgce/kWh, supplied by the caller).
//!
//! Energy supplied across the boundary to others may be entered as a negative quantity, which
//! is how GB/T 2589 subtracts it.

use super::units::{UnitError, convert};
use super::{InvalidNumber, MAX_ABS_INPUT, finite, ratio};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One row of the conversion table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversionCoefficient {
    /// Stable id used in audit data, e.g. `raw_coal`.
    pub id: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Physical unit the coefficient is per, e.g. `kg`, `m³`, `kWh`.
    pub unit: &'static str,
    /// Coefficient, kgce per `unit`.
    pub kgce_per_unit: f64,
    /// Where the value comes from, and ranges where the standard gives one.
    pub source: &'static str,
}

const fn row(
    id: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    unit: &'static str,
    kgce_per_unit: f64,
    source: &'static str,
) -> ConversionCoefficient {
    ConversionCoefficient {
        id,
        name_zh,
        name_en,
        unit,
        kgce_per_unit,
        source,
    }
}

/// Id of the electricity row; its coefficient depends on the [`ElectricityBasis`].
pub const ELECTRICITY: &str = "electricity";

/// 0.1229 kgce/kWh: electricity at its equivalent value (当量值, 3 600 kJ/kWh).
pub const ELECTRICITY_EQUIVALENT_KGCE_PER_KWH: f64 = 0.1229;

const ANNEX_A: &str = "GB/T 2589-2020 Annex A";
const ANNEX_B: &str = "GB/T 2589 Annex B (energy-consuming working media, 等价值)";

/// GB/T 2589-2020 coefficients to standard coal (domain.md §4c).
pub const COEFFICIENTS: &[ConversionCoefficient] = &[
    row("raw_coal", "原煤", "raw coal", "kg", 0.7143, ANNEX_A),
    row(
        "washed_coal",
        "洗精煤",
        "washed clean coal",
        "kg",
        0.9000,
        ANNEX_A,
    ),
    row(
        "middlings",
        "洗中煤",
        "washed middlings",
        "kg",
        0.2857,
        ANNEX_A,
    ),
    row(
        "coal_slime",
        "煤泥",
        "coal slime",
        "kg",
        0.2857,
        "GB/T 2589-2020 Annex A; range 0.2857–0.4286",
    ),
    row("coke", "焦炭", "coke", "kg", 0.9714, ANNEX_A),
    row("crude_oil", "原油", "crude oil", "kg", 1.4286, ANNEX_A),
    row("fuel_oil", "燃料油", "fuel oil", "kg", 1.4286, ANNEX_A),
    row("gasoline", "汽油", "gasoline", "kg", 1.4714, ANNEX_A),
    row("kerosene", "煤油", "kerosene", "kg", 1.4714, ANNEX_A),
    row("diesel", "柴油", "diesel", "kg", 1.4571, ANNEX_A),
    row(
        "lpg",
        "液化石油气",
        "liquefied petroleum gas",
        "kg",
        1.7143,
        ANNEX_A,
    ),
    row(
        "refinery_dry_gas",
        "炼厂干气",
        "refinery dry gas",
        "kg",
        1.5714,
        ANNEX_A,
    ),
    row(
        "natural_gas",
        "天然气",
        "natural gas",
        "m³",
        1.2143,
        "GB/T 2589-2020 Annex A; statistical value, range 1.1000–1.3300",
    ),
    row(
        "coke_oven_gas",
        "焦炉煤气",
        "coke-oven gas",
        "m³",
        0.5714,
        "GB/T 2589-2020 Annex A; range 0.5714–0.6143",
    ),
    row(
        "blast_furnace_gas",
        "高炉煤气",
        "blast-furnace gas",
        "m³",
        0.1286,
        ANNEX_A,
    ),
    row("heat", "热力", "heat", "MJ", 0.03412, ANNEX_A),
    row(
        ELECTRICITY,
        "电力",
        "electricity",
        "kWh",
        ELECTRICITY_EQUIVALENT_KGCE_PER_KWH,
        ANNEX_A,
    ),
    row(
        "steam",
        "蒸汽（低压）",
        "steam (low pressure)",
        "kg",
        0.1286,
        "GB/T 2589-2008 annex; better from enthalpy × 0.03412 kgce/MJ (custom coefficient)",
    ),
    row("new_water", "新水", "new water", "t", 0.2571, ANNEX_B),
    row(
        "softened_water",
        "软化水",
        "softened water",
        "t",
        0.4857,
        ANNEX_B,
    ),
    row(
        "deaerated_water",
        "除氧水",
        "deaerated water",
        "t",
        0.9714,
        ANNEX_B,
    ),
    row(
        "compressed_air",
        "压缩空气",
        "compressed air",
        "m³",
        0.0400,
        ANNEX_B,
    ),
    row("blast_air", "鼓风", "blast air", "m³", 0.0300, ANNEX_B),
    row("oxygen", "氧气", "oxygen", "m³", 0.4000, ANNEX_B),
    row(
        "nitrogen",
        "氮气（副产品）",
        "nitrogen (as by-product)",
        "m³",
        0.4000,
        ANNEX_B,
    ),
    row(
        "nitrogen_main_product",
        "氮气（主产品）",
        "nitrogen (as main product)",
        "m³",
        0.6714,
        ANNEX_B,
    ),
    row(
        "carbon_dioxide",
        "二氧化碳",
        "carbon dioxide",
        "m³",
        0.2143,
        ANNEX_B,
    ),
    row("acetylene", "乙炔", "acetylene", "m³", 8.3143, ANNEX_B),
    row(
        "calcium_carbide",
        "电石",
        "calcium carbide",
        "kg",
        2.0786,
        ANNEX_B,
    ),
];

/// Looks a carrier up in [`COEFFICIENTS`] by id.
pub fn find_coefficient(id: &str) -> Option<&'static ConversionCoefficient> {
    COEFFICIENTS.iter().find(|c| c.id == id)
}

/// Which value electricity is converted at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectricityBasis {
    /// 当量值: 0.1229 kgce/kWh.
    Equivalent,
    /// 等价值: the caller's coefficient, e.g. 0.300 kgce/kWh for the year's supply coal use.
    Primary {
        /// kgce per kWh.
        kgce_per_kwh: f64,
    },
}

/// A coefficient supplied by the caller instead of the table's, e.g. from measured steam
/// enthalpy, or for a carrier the table lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomCoefficient {
    /// kgce per `per_unit`.
    pub kgce_per_unit: f64,
    /// The physical unit, e.g. `t` for kgce/t.
    pub per_unit: String,
    /// Why and where from, for the report.
    pub note: String,
}

/// The consumption of one carrier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyUse {
    /// Carrier id from [`COEFFICIENTS`], or any id when `coefficient` is given.
    pub carrier: String,
    /// Physical amount (negative for energy supplied to others).
    pub quantity: f64,
    /// Its unit, e.g. `t`, `万kWh`, `万m³`, `GJ`; a rate such as `t/a` makes the totals per year.
    pub unit: String,
    /// Overrides the table's coefficient (not allowed for electricity: use the basis).
    pub coefficient: Option<CustomCoefficient>,
}

/// Where a carrier's coefficient came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoefficientSource {
    /// The GB/T 2589 table; its source note.
    Table {
        /// Source note of the row.
        source: String,
    },
    /// Electricity at the caller's primary-energy (等价值) coefficient.
    ElectricityPrimary,
    /// The caller's coefficient; its note.
    Custom {
        /// The caller's note.
        note: String,
    },
}

/// One carrier's contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarrierEnergy {
    /// Carrier id.
    pub carrier: String,
    /// Chinese name from the table (`None` for a carrier only the caller knows).
    pub name_zh: Option<String>,
    /// English name from the table.
    pub name_en: Option<String>,
    /// Amount as given.
    pub quantity: f64,
    /// Unit as given.
    pub unit: String,
    /// Coefficient used, kgce per `coefficient_unit`.
    pub kgce_per_unit: f64,
    /// Unit the coefficient is per.
    pub coefficient_unit: String,
    /// Where the coefficient came from.
    pub coefficient_source: CoefficientSource,
    /// Standard coal, tce (or tce/a).
    pub tce: f64,
    /// tce / total; `None` when the total is 0.
    pub share: Option<f64>,
}

/// Comprehensive energy consumption (综合能耗).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComprehensiveEnergy {
    /// Per carrier, in input order.
    pub carriers: Vec<CarrierEnergy>,
    /// Σ tce.
    pub total_tce: f64,
    /// `tce`, or `tce/a` when the quantities were rates.
    pub total_unit: String,
    /// The electricity basis used (stated in the report).
    pub electricity_basis: ElectricityBasis,
    /// The electricity coefficient that basis gave, kgce/kWh.
    pub electricity_kgce_per_kwh: f64,
}

/// Why the energy consumption could not be computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnergyError {
    /// Carrier not in the table and no custom coefficient.
    UnknownCarrier {
        /// Carrier id.
        carrier: String,
    },
    /// A custom coefficient was given for electricity; use [`ElectricityBasis::Primary`].
    ElectricityOverride,
    /// The amount's unit does not fit the coefficient's unit.
    Units {
        /// Carrier id.
        carrier: String,
        /// The conversion error, naming both units.
        error: UnitError,
    },
    /// Some quantities are amounts and others rates.
    MixedAmountAndRate {
        /// The first carrier that disagrees with the first one.
        carrier: String,
    },
    /// A number is not usable.
    InvalidNumber(InvalidNumber),
}

impl fmt::Display for EnergyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnergyError::UnknownCarrier { carrier } => write!(
                f,
                "energy carrier \"{carrier}\" is not in the GB/T 2589 table; give a coefficient"
            ),
            EnergyError::ElectricityOverride => write!(
                f,
                "electricity takes no custom coefficient: choose the primary-energy basis"
            ),
            EnergyError::Units { carrier, error } => write!(f, "{carrier}: {error}"),
            EnergyError::MixedAmountAndRate { carrier } => write!(
                f,
                "{carrier}: amounts and per-time rates cannot be mixed in one total"
            ),
            EnergyError::InvalidNumber(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EnergyError {}

impl From<InvalidNumber> for EnergyError {
    fn from(e: InvalidNumber) -> Self {
        EnergyError::InvalidNumber(e)
    }
}

/// A coefficient must be finite and > 0.
fn positive(value: f64, field: impl FnOnce() -> String) -> Result<f64, InvalidNumber> {
    if value.is_finite() && value > 0.0 && value <= MAX_ABS_INPUT {
        Ok(value)
    } else {
        Err(InvalidNumber {
            field: field(),
            value: value.to_string(),
            expected: "a coefficient > 0".into(),
        })
    }
}

/// Comprehensive energy consumption E = Σ e_i·k_i in tce, with per-carrier shares.
pub fn comprehensive_energy(
    uses: &[EnergyUse],
    basis: ElectricityBasis,
) -> Result<ComprehensiveEnergy, EnergyError> {
    let electricity = match basis {
        ElectricityBasis::Equivalent => ELECTRICITY_EQUIVALENT_KGCE_PER_KWH,
        ElectricityBasis::Primary { kgce_per_kwh } => {
            positive(kgce_per_kwh, || "electricity_basis.kgce_per_kwh".into())?
        }
    };
    let mut carriers = Vec::with_capacity(uses.len());
    let mut rate: Option<bool> = None;
    for u in uses {
        let quantity = finite(u.quantity, || format!("energy[{}].quantity", u.carrier))?;
        let row = find_coefficient(&u.carrier);
        // Electricity's name carries the basis, so a table cell can never hide it.
        let (name_zh, name_en) = match (row, basis) {
            (Some(r), ElectricityBasis::Equivalent) if r.id == ELECTRICITY => (
                Some("电力（当量值）".into()),
                Some("electricity (equivalent value)".into()),
            ),
            (Some(r), ElectricityBasis::Primary { .. }) if r.id == ELECTRICITY => (
                Some("电力（等价值）".into()),
                Some("electricity (primary-energy value)".into()),
            ),
            _ => (
                row.map(|r| r.name_zh.to_string()),
                row.map(|r| r.name_en.to_string()),
            ),
        };
        let (k, coefficient_unit, coefficient_source) = match (&u.coefficient, row) {
            (Some(_), _) if u.carrier == ELECTRICITY => {
                return Err(EnergyError::ElectricityOverride);
            }
            (Some(c), _) => {
                let k = positive(c.kgce_per_unit, || {
                    format!("energy[{}].coefficient", u.carrier)
                })?;
                (
                    k,
                    c.per_unit.clone(),
                    CoefficientSource::Custom {
                        note: c.note.clone(),
                    },
                )
            }
            (None, Some(r)) if r.id == ELECTRICITY => {
                let source = match basis {
                    ElectricityBasis::Equivalent => CoefficientSource::Table {
                        source: r.source.into(),
                    },
                    ElectricityBasis::Primary { .. } => CoefficientSource::ElectricityPrimary,
                };
                (electricity, r.unit.to_string(), source)
            }
            (None, Some(r)) => (
                r.kgce_per_unit,
                r.unit.to_string(),
                CoefficientSource::Table {
                    source: r.source.into(),
                },
            ),
            (None, None) => {
                return Err(EnergyError::UnknownCarrier {
                    carrier: u.carrier.clone(),
                });
            }
        };
        // Amounts convert to the coefficient's unit; rates to that unit per year.
        let units_err = |error| EnergyError::Units {
            carrier: u.carrier.clone(),
            error,
        };
        let per_time = super::units::parse_unit(&u.unit)
            .map_err(units_err)?
            .dimension
            .per_time;
        match rate {
            None => rate = Some(per_time),
            Some(r) if r != per_time => {
                return Err(EnergyError::MixedAmountAndRate {
                    carrier: u.carrier.clone(),
                });
            }
            Some(_) => {}
        }
        let target = if per_time {
            format!("{coefficient_unit}/a")
        } else {
            coefficient_unit.clone()
        };
        let physical = convert(quantity, &u.unit, &target).map_err(units_err)?;
        carriers.push(CarrierEnergy {
            carrier: u.carrier.clone(),
            name_zh,
            name_en,
            quantity,
            unit: u.unit.clone(),
            kgce_per_unit: k,
            coefficient_unit,
            coefficient_source,
            // kgce → tce.
            tce: physical * k / 1000.0,
            share: None,
        });
    }
    let total_tce: f64 = carriers.iter().map(|c| c.tce).sum();
    for c in &mut carriers {
        c.share = ratio(c.tce, total_tce);
    }
    Ok(ComprehensiveEnergy {
        carriers,
        total_tce,
        total_unit: if rate == Some(true) {
            "tce/a".into()
        } else {
            "tce".into()
        },
        electricity_basis: basis,
        electricity_kgce_per_kwh: electricity,
    })
}

/// Energy per unit product (单位产品综合能耗) in kgce per product unit: 1000 · E / Q with E in tce;
/// `None` when Q = 0.
pub fn kgce_per_unit_product(total_tce: f64, product_output: f64) -> Option<f64> {
    ratio(total_tce * 1000.0, product_output)
}

/// Whether a value is within a limit (限额), which is a maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitVerdict {
    /// value ≤ limit.
    Within,
    /// value > limit.
    Exceeds,
}

/// A value compared with a limit value (e.g. a GB energy-consumption limit standard).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitComparison {
    /// The value compared.
    pub value: f64,
    /// The limit (maximum allowed).
    pub limit: f64,
    /// limit − value: positive = headroom, negative = excess.
    pub margin: f64,
    /// margin / limit; `None` when the limit is 0.
    pub relative_margin: Option<f64>,
    /// Within or exceeds.
    pub verdict: LimitVerdict,
}

/// Compares a value (e.g. kgce/t) with a limit value of the same unit.
pub fn compare_with_limit(value: f64, limit: f64) -> Result<LimitComparison, EnergyError> {
    let value = finite(value, || "value".into())?;
    let limit = finite(limit, || "limit".into())?;
    let margin = limit - value;
    Ok(LimitComparison {
        value,
        limit,
        margin,
        relative_margin: ratio(margin, limit),
        verdict: if value <= limit {
            LimitVerdict::Within
        } else {
            LimitVerdict::Exceeds
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::assert_rel;

    fn use_(carrier: &str, quantity: f64, unit: &str) -> EnergyUse {
        EnergyUse {
            carrier: carrier.into(),
            quantity,
            unit: unit.into(),
            coefficient: None,
        }
    }

    #[test]
    fn table_holds_the_published_values() {
        let k = |id| find_coefficient(id).unwrap().kgce_per_unit;
        for (id, v) in [
            ("raw_coal", 0.7143),
            ("washed_coal", 0.9000),
            ("coke", 0.9714),
            ("fuel_oil", 1.4286),
            ("gasoline", 1.4714),
            ("diesel", 1.4571),
            ("lpg", 1.7143),
            ("refinery_dry_gas", 1.5714),
            ("natural_gas", 1.2143),
            ("coke_oven_gas", 0.5714),
            ("blast_furnace_gas", 0.1286),
            ("heat", 0.03412),
            ("electricity", 0.1229),
            ("steam", 0.1286),
            ("new_water", 0.2571),
            ("compressed_air", 0.0400),
            ("oxygen", 0.4000),
            ("acetylene", 8.3143),
            ("calcium_carbide", 2.0786),
        ] {
            assert_eq!(k(id), v, "{id}");
        }
        // Ids are unique and every unit parses.
        for (i, c) in COEFFICIENTS.iter().enumerate() {
            assert!(COEFFICIENTS[..i].iter().all(|d| d.id != c.id), "{}", c.id);
            assert!(crate::calc::units::parse_unit(c.unit).is_ok(), "{}", c.unit);
        }
    }

    #[test]
    fn electricity_equivalent_and_coal() {
        // 1 000 000 kWh × 0.1229 = 122 900 kgce = 122.9 tce;
        // 50 t raw coal = 50 000 kg × 0.7143 = 35 715 kgce = 35.715 tce.
        // Total 158.615; shares 122.9/158.615 = 0.774832…, 35.715/158.615 = 0.225168….
        let e = comprehensive_energy(
            &[
                use_("electricity", 100.0, "万kWh"),
                use_("raw_coal", 50.0, "t"),
            ],
            ElectricityBasis::Equivalent,
        )
        .unwrap();
        assert_rel(e.carriers[0].tce, 122.9, 1e-12);
        assert_rel(e.carriers[1].tce, 35.715, 1e-12);
        assert_rel(e.total_tce, 158.615, 1e-12);
        assert_rel(e.carriers[0].share.unwrap(), 122.9 / 158.615, 1e-12);
        assert_eq!(e.total_unit, "tce");
        assert_eq!(e.electricity_basis, ElectricityBasis::Equivalent);
        assert_eq!(e.electricity_kgce_per_kwh, 0.1229);
        assert_eq!(e.carriers[1].name_zh.as_deref(), Some("原煤"));
        assert_eq!(e.carriers[0].name_zh.as_deref(), Some("电力（当量值）"));
    }

    #[test]
    fn electricity_primary_basis_is_reported() {
        // 1 000 000 kWh × 0.300 = 300 tce.
        let basis = ElectricityBasis::Primary {
            kgce_per_kwh: 0.300,
        };
        let e = comprehensive_energy(&[use_("electricity", 1e6, "kWh")], basis).unwrap();
        assert_rel(e.total_tce, 300.0, 1e-12);
        assert_eq!(
            e.carriers[0].coefficient_source,
            CoefficientSource::ElectricityPrimary
        );
        assert_eq!(e.electricity_basis, basis);
        assert!(matches!(
            comprehensive_energy(&[], ElectricityBasis::Primary { kgce_per_kwh: 0.0 }),
            Err(EnergyError::InvalidNumber(_))
        ));
    }

    #[test]
    fn custom_coefficient_rates_and_other_units() {
        // Steam measured at 2 800 MJ/t → 2 800 × 0.03412 = 95.536 kgce/t; 1 000 t → 95.536 tce.
        // Natural gas 10 万m³/a = 100 000 m³/a × 1.2143 = 121.43 tce/a (rates stay rates).
        let steam = EnergyUse {
            carrier: "steam".into(),
            quantity: 1000.0,
            unit: "t".into(),
            coefficient: Some(CustomCoefficient {
                kgce_per_unit: 95.536,
                per_unit: "t".into(),
                note: "2 800 MJ/t × 0.03412".into(),
            }),
        };
        let e = comprehensive_energy(std::slice::from_ref(&steam), ElectricityBasis::Equivalent)
            .unwrap();
        assert_rel(e.total_tce, 95.536, 1e-12);
        assert!(matches!(
            e.carriers[0].coefficient_source,
            CoefficientSource::Custom { .. }
        ));
        let g = comprehensive_energy(
            &[use_("natural_gas", 10.0, "万m³/a")],
            ElectricityBasis::Equivalent,
        )
        .unwrap();
        assert_rel(g.total_tce, 121.43, 1e-12);
        assert_eq!(g.total_unit, "tce/a");
        // Heat 1 000 GJ = 1 000 000 MJ × 0.03412 = 34.12 tce.
        let h = comprehensive_energy(&[use_("heat", 1000.0, "GJ")], ElectricityBasis::Equivalent)
            .unwrap();
        assert_rel(h.total_tce, 34.12, 1e-12);
        // A carrier the table lacks, with the caller's coefficient.
        let mut bio = steam.clone();
        bio.carrier = "biomass_pellets".into();
        let b = comprehensive_energy(&[bio], ElectricityBasis::Equivalent).unwrap();
        assert_eq!(b.carriers[0].name_zh, None);
    }

    #[test]
    fn errors() {
        let eq = ElectricityBasis::Equivalent;
        assert_eq!(
            comprehensive_energy(&[use_("unobtainium", 1.0, "t")], eq),
            Err(EnergyError::UnknownCarrier {
                carrier: "unobtainium".into()
            })
        );
        assert!(matches!(
            comprehensive_energy(&[use_("raw_coal", 1.0, "m3")], eq),
            Err(EnergyError::Units { .. })
        ));
        assert!(matches!(
            comprehensive_energy(
                &[use_("raw_coal", 1.0, "t"), use_("diesel", 1.0, "t/a")],
                eq
            ),
            Err(EnergyError::MixedAmountAndRate { .. })
        ));
        let mut el = use_("electricity", 1.0, "kWh");
        el.coefficient = Some(CustomCoefficient {
            kgce_per_unit: 0.3,
            per_unit: "kWh".into(),
            note: String::new(),
        });
        assert_eq!(
            comprehensive_energy(&[el], eq),
            Err(EnergyError::ElectricityOverride)
        );
        assert!(comprehensive_energy(&[use_("raw_coal", f64::NAN, "t")], eq).is_err());
        // An empty list totals 0 with no shares.
        let z = comprehensive_energy(&[use_("raw_coal", 0.0, "t")], eq).unwrap();
        assert_eq!((z.total_tce, z.carriers[0].share), (0.0, None));
    }

    #[test]
    fn intensity_and_limit() {
        // 158.615 tce over 500 t product = 317.23 kgce/t; limit 320 → within, margin 2.77.
        let v = kgce_per_unit_product(158.615, 500.0).unwrap();
        assert_rel(v, 317.23, 1e-12);
        assert_eq!(kgce_per_unit_product(1.0, 0.0), None);
        let c = compare_with_limit(v, 320.0).unwrap();
        assert_eq!(c.verdict, LimitVerdict::Within);
        assert_rel(c.margin, 2.77, 1e-9);
        assert_rel(c.relative_margin.unwrap(), 2.77 / 320.0, 1e-9);
        let c = compare_with_limit(330.0, 320.0).unwrap();
        assert_eq!((c.verdict, c.margin), (LimitVerdict::Exceeds, -10.0));
        assert_eq!(compare_with_limit(0.0, 0.0).unwrap().relative_margin, None);
    }
}

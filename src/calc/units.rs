//! Unit strings as engineers type them in Excel (`t`, `万kWh`, `m³/d`, `mg/Nm3`, `万元` …):
//! parsing into a [`Dimension`] and a factor to the canonical unit, and conversion.
//!
//! Canonical units: t, m³, kWh, GJ, tce, mg/L, mg/kg, 10⁴ CNY (万元), h; rates are per year
//! (t/a, m³/a, …). Parsing ignores case and whitespace, so each symbol is read by its usual
//! engineering meaning: `mg` is milligram (never megagram), `ml` millilitre, `mj` megajoule.
//!
//! Deliberate choices:
//! - Electricity (kWh) and heat (GJ) are different dimensions: converting one into the other
//!   with 3.6 MJ/kWh is physics, but in an audit it is always a mistake (the standard-coal
//!   coefficients differ); go through [`super::energy`] instead.
//! - Day- and hour-based rates convert to per-year with the calendar year (365 d = 8760 h). A
//!   plant that runs 300 d/a must multiply by its operating days itself.
//! - `Nm³` is a volume like `m³`, and `mg/Nm³` a concentration like `mg/m³`; the reference state
//!   is the caller's business.

use super::{InvalidNumber, finite, ratio};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kind of physical quantity, without the per-time part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Mass; canonical t.
    Mass,
    /// Volume; canonical m³.
    Volume,
    /// Electric energy; canonical kWh.
    ElectricEnergy,
    /// Heat; canonical GJ.
    Heat,
    /// Standard coal equivalent; canonical tce.
    StandardCoal,
    /// Mass concentration in a fluid; canonical mg/L (= g/m³).
    Concentration,
    /// Mass fraction in a solid (e.g. Cr in sludge); canonical mg/kg (= g/t).
    MassFraction,
    /// Money; canonical 10⁴ CNY (万元), the unit of audit economics tables.
    Money,
    /// Time; canonical h.
    Time,
}

/// A quantity, possibly per unit time (a rate such as t/a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dimension {
    /// What is measured.
    pub quantity: Quantity,
    /// True for a rate (per time); rates are canonical per year.
    pub per_time: bool,
}

impl Dimension {
    /// An amount (not a rate).
    pub const fn amount(quantity: Quantity) -> Self {
        Dimension {
            quantity,
            per_time: false,
        }
    }

    /// A rate (per time).
    pub const fn rate(quantity: Quantity) -> Self {
        Dimension {
            quantity,
            per_time: true,
        }
    }

    /// The canonical unit symbol, e.g. `t`, `m³/a`, `10⁴ CNY`.
    pub fn canonical_symbol(&self) -> String {
        let base = match self.quantity {
            Quantity::Mass => "t",
            Quantity::Volume => "m³",
            Quantity::ElectricEnergy => "kWh",
            Quantity::Heat => "GJ",
            Quantity::StandardCoal => "tce",
            Quantity::Concentration => "mg/L",
            Quantity::MassFraction => "mg/kg",
            Quantity::Money => "10⁴ CNY",
            Quantity::Time => "h",
        };
        if self.per_time {
            format!("{base}/a")
        } else {
            base.to_string()
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.quantity {
            Quantity::Mass => "mass",
            Quantity::Volume => "volume",
            Quantity::ElectricEnergy => "electric energy",
            Quantity::Heat => "heat",
            Quantity::StandardCoal => "standard coal",
            Quantity::Concentration => "concentration",
            Quantity::MassFraction => "mass fraction",
            Quantity::Money => "money",
            Quantity::Time => "time",
        };
        let per = if self.per_time { " per time" } else { "" };
        write!(f, "{name}{per} ({})", self.canonical_symbol())
    }
}

/// A parsed unit: value × `to_canonical` = value in the canonical unit of `dimension`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// The symbol as given, trimmed.
    pub symbol: String,
    /// What the unit measures.
    pub dimension: Dimension,
    /// Factor to the canonical unit (e.g. 0.001 for kg → t, 365 for t/d → t/a).
    pub to_canonical: f64,
}

/// Why a unit could not be parsed or a value not converted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitError {
    /// The symbol is not one this module knows.
    Unknown {
        /// The symbol as given.
        unit: String,
    },
    /// The two units measure different things (kg vs m³).
    DimensionMismatch {
        /// Source unit as given.
        from: String,
        /// What the source unit measures.
        from_dimension: Dimension,
        /// Target unit as given.
        to: String,
        /// What the target unit measures.
        to_dimension: Dimension,
    },
    /// The value to convert is not a usable number.
    InvalidNumber(InvalidNumber),
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::Unknown { unit } => write!(f, "unknown unit \"{unit}\""),
            UnitError::DimensionMismatch {
                from,
                from_dimension,
                to,
                to_dimension,
            } => write!(
                f,
                "cannot convert \"{from}\" ({from_dimension}) to \"{to}\" ({to_dimension})"
            ),
            UnitError::InvalidNumber(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for UnitError {}

/// Time units in hours. Used on their own (`h`) and as rate denominators (`t/d`).
const TIME_UNITS: &[(&str, f64)] = &[
    ("s", 1.0 / 3600.0),
    ("sec", 1.0 / 3600.0),
    ("秒", 1.0 / 3600.0),
    ("min", 1.0 / 60.0),
    ("分钟", 1.0 / 60.0),
    ("h", 1.0),
    ("hr", 1.0),
    ("hour", 1.0),
    ("hours", 1.0),
    ("小时", 1.0),
    ("时", 1.0),
    ("d", 24.0),
    ("day", 24.0),
    ("days", 24.0),
    ("天", 24.0),
    ("日", 24.0),
    ("a", HOURS_PER_YEAR),
    ("yr", HOURS_PER_YEAR),
    ("year", HOURS_PER_YEAR),
    ("years", HOURS_PER_YEAR),
    ("年", HOURS_PER_YEAR),
];

/// Calendar year in hours (365 d); see the module note on rates.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Amount units (lower case, after normalisation) → quantity and factor to canonical.
const AMOUNT_UNITS: &[(&str, Quantity, f64)] = &[
    // Mass → t
    ("t", Quantity::Mass, 1.0),
    ("tonne", Quantity::Mass, 1.0),
    ("tonnes", Quantity::Mass, 1.0),
    ("吨", Quantity::Mass, 1.0),
    ("kg", Quantity::Mass, 1e-3),
    ("千克", Quantity::Mass, 1e-3),
    ("公斤", Quantity::Mass, 1e-3),
    ("g", Quantity::Mass, 1e-6),
    ("克", Quantity::Mass, 1e-6),
    ("mg", Quantity::Mass, 1e-9),
    ("毫克", Quantity::Mass, 1e-9),
    // Volume → m³
    ("m3", Quantity::Volume, 1.0),
    ("nm3", Quantity::Volume, 1.0),
    ("立方米", Quantity::Volume, 1.0),
    ("方", Quantity::Volume, 1.0),
    ("标立方米", Quantity::Volume, 1.0),
    ("标方", Quantity::Volume, 1.0),
    ("l", Quantity::Volume, 1e-3),
    ("升", Quantity::Volume, 1e-3),
    ("ml", Quantity::Volume, 1e-6),
    ("毫升", Quantity::Volume, 1e-6),
    // Electric energy → kWh
    ("kwh", Quantity::ElectricEnergy, 1.0),
    ("千瓦时", Quantity::ElectricEnergy, 1.0),
    ("度", Quantity::ElectricEnergy, 1.0),
    ("wh", Quantity::ElectricEnergy, 1e-3),
    ("mwh", Quantity::ElectricEnergy, 1e3),
    ("兆瓦时", Quantity::ElectricEnergy, 1e3),
    ("gwh", Quantity::ElectricEnergy, 1e6),
    // Heat → GJ
    ("gj", Quantity::Heat, 1.0),
    ("吉焦", Quantity::Heat, 1.0),
    ("mj", Quantity::Heat, 1e-3),
    ("兆焦", Quantity::Heat, 1e-3),
    ("kj", Quantity::Heat, 1e-6),
    ("千焦", Quantity::Heat, 1e-6),
    ("tj", Quantity::Heat, 1e3),
    ("kcal", Quantity::Heat, 4.1868e-6),
    ("千卡", Quantity::Heat, 4.1868e-6),
    ("gcal", Quantity::Heat, 4.1868),
    // Standard coal → tce
    ("tce", Quantity::StandardCoal, 1.0),
    ("t标煤", Quantity::StandardCoal, 1.0),
    ("t标准煤", Quantity::StandardCoal, 1.0),
    ("吨标煤", Quantity::StandardCoal, 1.0),
    ("吨标准煤", Quantity::StandardCoal, 1.0),
    ("kgce", Quantity::StandardCoal, 1e-3),
    ("kg标煤", Quantity::StandardCoal, 1e-3),
    ("kg标准煤", Quantity::StandardCoal, 1e-3),
    ("千克标煤", Quantity::StandardCoal, 1e-3),
    ("千克标准煤", Quantity::StandardCoal, 1e-3),
    // Money → 10⁴ CNY; "万元" arrives here as prefix 万 + 元.
    ("元", Quantity::Money, 1e-4),
    ("cny", Quantity::Money, 1e-4),
    ("rmb", Quantity::Money, 1e-4),
    ("yuan", Quantity::Money, 1e-4),
    ("千元", Quantity::Money, 0.1),
];

/// Concentrations and mass fractions: whole symbols, because their `/` is not "per time".
const RATIO_UNITS: &[(&str, Quantity, f64)] = &[
    ("mg/l", Quantity::Concentration, 1.0),
    ("毫克/升", Quantity::Concentration, 1.0),
    ("g/l", Quantity::Concentration, 1e3),
    ("μg/l", Quantity::Concentration, 1e-3),
    ("ug/l", Quantity::Concentration, 1e-3),
    ("g/m3", Quantity::Concentration, 1.0),
    ("kg/m3", Quantity::Concentration, 1e3),
    ("mg/m3", Quantity::Concentration, 1e-3),
    ("mg/nm3", Quantity::Concentration, 1e-3),
    ("毫克/立方米", Quantity::Concentration, 1e-3),
    ("μg/m3", Quantity::Concentration, 1e-6),
    ("ug/m3", Quantity::Concentration, 1e-6),
    ("mg/kg", Quantity::MassFraction, 1.0),
    ("g/t", Quantity::MassFraction, 1.0),
    ("g/kg", Quantity::MassFraction, 1e3),
    ("kg/t", Quantity::MassFraction, 1e3),
    ("wt%", Quantity::MassFraction, 1e4),
];

/// Multiplier prefixes written in front of a unit: 万kWh, 10⁴ CNY, 亿元.
const PREFIXES: &[(&str, f64)] = &[
    ("万", 1e4),
    ("亿", 1e8),
    ("10^4", 1e4),
    ("10⁴", 1e4),
    ("10^8", 1e8),
    ("10⁸", 1e8),
];

/// Lower-cases, drops whitespace and `·`, and maps full-width ASCII, `³`, `^3`, `㎥` … to ASCII.
fn normalise(symbol: &str) -> String {
    let mut out = String::with_capacity(symbol.len());
    for c in symbol.chars() {
        match c {
            c if c.is_whitespace() => {}
            '·' | '•' | '⋅' | '*' => {}
            '³' => out.push('3'),
            '㎥' => out.push_str("m3"),
            '㎏' => out.push_str("kg"),
            '㎎' => out.push_str("mg"),
            'ℓ' => out.push('l'),
            'µ' => out.push('μ'),
            // Full-width ASCII block (ｍ³／ｄ typed with a Chinese IME).
            '\u{FF01}'..='\u{FF5E}' => {
                if let Some(a) = char::from_u32(c as u32 - 0xFEE0) {
                    out.extend(a.to_lowercase());
                }
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
    // "m^3" → "m3", but keep "10^4" for the prefix table.
    out.replace("m^3", "m3")
}

fn lookup_time(s: &str) -> Option<f64> {
    TIME_UNITS.iter().find(|(k, _)| *k == s).map(|&(_, f)| f)
}

/// An amount symbol with an optional multiplier prefix.
fn lookup_amount(s: &str) -> Option<(Quantity, f64)> {
    let direct = AMOUNT_UNITS
        .iter()
        .find(|(k, ..)| *k == s)
        .map(|&(_, q, f)| (q, f));
    if direct.is_some() {
        return direct;
    }
    if let Some(h) = lookup_time(s) {
        return Some((Quantity::Time, h));
    }
    for &(prefix, m) in PREFIXES {
        if let Some(rest) = s.strip_prefix(prefix)
            && let Some(&(_, q, f)) = AMOUNT_UNITS.iter().find(|(k, ..)| *k == rest)
        {
            return Some((q, f * m));
        }
    }
    None
}

/// Parses a unit symbol such as `t`, `m³/d`, `万kWh`, `mg/Nm3` or `10^4 CNY`.
pub fn parse_unit(symbol: &str) -> Result<Unit, UnitError> {
    let s = normalise(symbol);
    let unknown = || UnitError::Unknown {
        unit: symbol.trim().to_string(),
    };
    let found = if let Some(&(_, q, f)) = RATIO_UNITS.iter().find(|(k, ..)| *k == s) {
        Some((Dimension::amount(q), f))
    } else if let Some((num, den)) = s.rsplit_once('/') {
        // A rate: amount per time, canonical per year.
        match (lookup_amount(num), lookup_time(den)) {
            (Some((q, f)), Some(h)) => Some((Dimension::rate(q), f * HOURS_PER_YEAR / h)),
            _ => None,
        }
    } else {
        lookup_amount(&s).map(|(q, f)| (Dimension::amount(q), f))
    };
    let (dimension, to_canonical) = found.ok_or_else(unknown)?;
    Ok(Unit {
        symbol: symbol.trim().to_string(),
        dimension,
        to_canonical,
    })
}

/// Converts `value` from one parsed unit to another of the same dimension.
pub fn convert_between(value: f64, from: &Unit, to: &Unit) -> Result<f64, UnitError> {
    let value =
        finite(value, || format!("value in {}", from.symbol)).map_err(UnitError::InvalidNumber)?;
    if from.dimension != to.dimension {
        return Err(UnitError::DimensionMismatch {
            from: from.symbol.clone(),
            from_dimension: from.dimension,
            to: to.symbol.clone(),
            to_dimension: to.dimension,
        });
    }
    // Table factors are positive and bounded; a hand-made `Unit` with a zero or NaN factor
    // gets an error instead of a non-finite result.
    ratio(value * from.to_canonical, to.to_canonical).ok_or_else(|| {
        UnitError::InvalidNumber(InvalidNumber {
            field: format!("factor of {} or {}", from.symbol, to.symbol),
            value: format!("{} / {}", from.to_canonical, to.to_canonical),
            expected: "finite factors > 0".into(),
        })
    })
}

/// Converts `value` between two unit symbols, e.g. `convert(5.0, "万kWh", "MWh") == Ok(50.0)`.
pub fn convert(value: f64, from: &str, to: &str) -> Result<f64, UnitError> {
    convert_between(value, &parse_unit(from)?, &parse_unit(to)?)
}

/// Converts `value` in `unit` to the canonical unit of its dimension.
pub fn to_canonical(value: f64, unit: &str) -> Result<(f64, Dimension), UnitError> {
    let u = parse_unit(unit)?;
    let v = finite(value, || format!("value in {}", u.symbol)).map_err(UnitError::InvalidNumber)?;
    Ok((v * u.to_canonical, u.dimension))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::assert_rel;

    fn dim(s: &str) -> Dimension {
        parse_unit(s).unwrap().dimension
    }

    #[test]
    fn parses_the_units_engineers_type() {
        let cases: &[(&str, Dimension, f64)] = &[
            ("t", Dimension::amount(Quantity::Mass), 1.0),
            (" KG ", Dimension::amount(Quantity::Mass), 1e-3),
            ("g", Dimension::amount(Quantity::Mass), 1e-6),
            ("吨", Dimension::amount(Quantity::Mass), 1.0),
            ("m3", Dimension::amount(Quantity::Volume), 1.0),
            ("m³", Dimension::amount(Quantity::Volume), 1.0),
            ("M^3", Dimension::amount(Quantity::Volume), 1.0),
            ("L", Dimension::amount(Quantity::Volume), 1e-3),
            ("Nm³", Dimension::amount(Quantity::Volume), 1.0),
            ("万m3", Dimension::amount(Quantity::Volume), 1e4),
            ("kWh", Dimension::amount(Quantity::ElectricEnergy), 1.0),
            ("kW·h", Dimension::amount(Quantity::ElectricEnergy), 1.0),
            ("万kWh", Dimension::amount(Quantity::ElectricEnergy), 1e4),
            ("万 kWh", Dimension::amount(Quantity::ElectricEnergy), 1e4),
            ("MWh", Dimension::amount(Quantity::ElectricEnergy), 1e3),
            ("GJ", Dimension::amount(Quantity::Heat), 1.0),
            ("MJ", Dimension::amount(Quantity::Heat), 1e-3),
            ("tce", Dimension::amount(Quantity::StandardCoal), 1.0),
            ("kgce", Dimension::amount(Quantity::StandardCoal), 1e-3),
            ("万tce", Dimension::amount(Quantity::StandardCoal), 1e4),
            ("mg/L", Dimension::amount(Quantity::Concentration), 1.0),
            ("mg/m3", Dimension::amount(Quantity::Concentration), 1e-3),
            ("mg/Nm³", Dimension::amount(Quantity::Concentration), 1e-3),
            ("mg/kg", Dimension::amount(Quantity::MassFraction), 1.0),
            ("万元", Dimension::amount(Quantity::Money), 1.0),
            ("10^4 CNY", Dimension::amount(Quantity::Money), 1.0),
            ("10⁴ CNY", Dimension::amount(Quantity::Money), 1.0),
            ("元", Dimension::amount(Quantity::Money), 1e-4),
            ("h", Dimension::amount(Quantity::Time), 1.0),
            ("d", Dimension::amount(Quantity::Time), 24.0),
            ("m3/a", Dimension::rate(Quantity::Volume), 1.0),
            ("t/a", Dimension::rate(Quantity::Mass), 1.0),
            // 1 t/d = 365 t/a (calendar year).
            ("t/d", Dimension::rate(Quantity::Mass), 365.0),
            ("m³/d", Dimension::rate(Quantity::Volume), 365.0),
            ("ｍ３／ｄ", Dimension::rate(Quantity::Volume), 365.0),
            // 1 m³/h = 8760 m³/a.
            ("m3/h", Dimension::rate(Quantity::Volume), 8760.0),
            ("万元/年", Dimension::rate(Quantity::Money), 1.0),
            ("h/a", Dimension::rate(Quantity::Time), 1.0),
        ];
        for (s, d, f) in cases {
            let u = parse_unit(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(u.dimension, *d, "{s}");
            assert_rel(u.to_canonical, *f, 1e-12);
        }
    }

    #[test]
    fn unknown_units_are_errors_not_guesses() {
        for s in ["", "furlong", "mg/L/a", "t/month", "%", "ppm", "万"] {
            assert_eq!(
                parse_unit(s),
                Err(UnitError::Unknown {
                    unit: s.trim().to_string()
                }),
                "{s}"
            );
        }
    }

    #[test]
    fn converts_within_a_dimension() {
        assert_rel(convert(5.0, "万kWh", "MWh").unwrap(), 50.0, 1e-12);
        assert_rel(convert(1500.0, "kg", "t").unwrap(), 1.5, 1e-12);
        assert_rel(convert(2.0, "m3", "L").unwrap(), 2000.0, 1e-12);
        // 30 000 元 = 3 万元.
        assert_rel(convert(30_000.0, "元", "万元").unwrap(), 3.0, 1e-12);
        // 1 Gcal = 4.1868 GJ.
        assert_rel(convert(1.0, "Gcal", "GJ").unwrap(), 4.1868, 1e-12);
        // 100 m³/d × 365 = 36 500 m³/a.
        assert_rel(convert(100.0, "m³/d", "m3/a").unwrap(), 36_500.0, 1e-12);
        // 50 mg/m³ = 0.05 mg/L.
        assert_rel(convert(50.0, "mg/m3", "mg/L").unwrap(), 0.05, 1e-12);
        let (v, d) = to_canonical(2.5, "万t").unwrap();
        assert_rel(v, 25_000.0, 1e-12);
        assert_eq!(d, dim("t"));
    }

    #[test]
    fn mismatch_names_both_units() {
        let e = convert(1.0, "kg", "m³").unwrap_err();
        assert_eq!(
            e,
            UnitError::DimensionMismatch {
                from: "kg".into(),
                from_dimension: dim("t"),
                to: "m³".into(),
                to_dimension: dim("m3"),
            }
        );
        assert_eq!(
            e.to_string(),
            "cannot convert \"kg\" (mass (t)) to \"m³\" (volume (m³))"
        );
        // Electricity and heat are kept apart on purpose.
        assert!(matches!(
            convert(1.0, "kWh", "MJ"),
            Err(UnitError::DimensionMismatch { .. })
        ));
        // An amount is not a rate.
        assert!(matches!(
            convert(1.0, "t", "t/a"),
            Err(UnitError::DimensionMismatch { .. })
        ));
    }

    #[test]
    fn non_finite_values_are_rejected() {
        assert!(matches!(
            convert(f64::NAN, "t", "kg"),
            Err(UnitError::InvalidNumber(_))
        ));
        assert!(matches!(
            to_canonical(f64::INFINITY, "t"),
            Err(UnitError::InvalidNumber(_))
        ));
    }
}

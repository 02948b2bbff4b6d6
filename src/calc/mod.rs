//! Pure calculations of a cleaner production audit (清洁生产审核).
//!
//! This module knows nothing of YAML, Excel or Typst and does no I/O: it takes plain structs
//! and returns plain structs, so every formula can be tested against hand calculations and every
//! result goes straight into `results.json`.
//!
//! Rules that hold in every file:
//! - No function panics, and no result holds NaN or infinity. An undefined value (a ratio with a
//!   zero denominator, an IRR that does not exist) is an `Option` or an explicit enum.
//! - Bad input is returned as data (an error enum naming the offending field), never a panic.
//!   Every input number must be finite and within ±[`MAX_ABS_INPUT`]; with that bound, sums and
//!   products of inputs stay far from overflow, and ratios go through [`ratio`].
//! - Shares, rates and closure errors are fractions (0.05 = 5 %); the report formats percent.
//!
//! Topics: [`units`] (unit strings and conversion), [`balance`] (material and pollutant-factor
//! balance), [`benchmark`] (benchmark-water concentration), [`water`] (GB/T 12452 water balance), [`energy`] (GB/T 2589 standard coal),
//! [`pollution_load`] (等标污染负荷), [`scoring`] (权重总和计分排序法), [`economics`]
//! (payback, NPV, NPVR, IRR).

#![warn(missing_docs)]

pub mod balance;
pub mod benchmark;
pub mod dates;
pub mod economics;
pub mod energy;
pub mod index_system;
pub mod pollution_load;
pub mod reconcile;
pub mod scoring;
pub mod units;
pub mod water;

use serde::Serialize;
use std::fmt;

/// Largest magnitude accepted for any input number.
///
/// Audit figures are far below it (a plant's annual water in m³ is < 10⁹); the bound keeps
/// products of a few inputs finite, so no overflow check is needed after every multiplication.
pub const MAX_ABS_INPUT: f64 = 1e15;

/// An input number that is NaN, infinite, beyond ±[`MAX_ABS_INPUT`], or outside the range the
/// formula allows (for example a negative volume).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvalidNumber {
    /// Where the number came from, e.g. `streams[S3].measurements[1]`.
    pub field: String,
    /// The number as text (NaN and infinity cannot be JSON numbers).
    pub value: String,
    /// What was expected, e.g. "a finite number" or "≥ 0".
    pub expected: String,
}

impl fmt::Display for InvalidNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {}: expected {}",
            self.field, self.value, self.expected
        )
    }
}

impl std::error::Error for InvalidNumber {}

/// Checks that `value` is finite and within ±[`MAX_ABS_INPUT`]; `field` names it in the error.
pub(crate) fn finite(value: f64, field: impl FnOnce() -> String) -> Result<f64, InvalidNumber> {
    if value.is_finite() && value.abs() <= MAX_ABS_INPUT {
        Ok(value)
    } else {
        Err(InvalidNumber {
            field: field(),
            value: value.to_string(),
            expected: format!("a finite number within ±{MAX_ABS_INPUT:e}"),
        })
    }
}

/// Like [`finite`], and also `value ≥ 0`.
pub(crate) fn non_negative(
    value: f64,
    field: impl FnOnce() -> String,
) -> Result<f64, InvalidNumber> {
    if value.is_finite() && (0.0..=MAX_ABS_INPUT).contains(&value) {
        Ok(value)
    } else {
        Err(InvalidNumber {
            field: field(),
            value: value.to_string(),
            expected: format!("a number in [0, {MAX_ABS_INPUT:e}]"),
        })
    }
}

/// `numerator / denominator`, or `None` when the denominator is zero or the quotient is not
/// finite (a tiny denominator). This is how every rate, share and index in `calc` is formed.
pub fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    if denominator == 0.0 {
        return None;
    }
    let q = numerator / denominator;
    q.is_finite().then_some(q)
}

/// Arithmetic mean, `None` for an empty slice.
pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    ratio(values.iter().sum(), values.len() as f64)
}

/// Helpers shared by the tests of all topics.
#[cfg(test)]
pub(crate) mod test_util {
    /// `|a − b| ≤ rel · max(|a|, |b|, 1e-300)`: relative comparison for published figures.
    pub fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    /// Panics with both values when they are not within `abs` of each other.
    #[track_caller]
    pub fn assert_abs(a: f64, b: f64, abs: f64) {
        assert!((a - b).abs() <= abs, "{a} != {b} (±{abs})");
    }

    /// Panics with both values when they are not within relative `rel`.
    #[track_caller]
    pub fn assert_rel(a: f64, b: f64, rel: f64) {
        assert!(close(a, b, rel), "{a} != {b} (rel {rel})");
    }

    /// Small deterministic generator (xorshift64*) for property tests; no extra dependency so
    /// the tests also build inside the main crate.
    pub struct Rng(u64);

    impl Rng {
        pub fn new(seed: u64) -> Self {
            Rng(seed.max(1))
        }
        pub fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// Uniform in [lo, hi).
        pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
            let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            lo + (hi - lo) * u
        }
        /// Uniform integer in [0, n).
        pub fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n.max(1) as u64) as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_none_for_zero_or_tiny_denominator() {
        assert_eq!(ratio(1.0, 0.0), None);
        assert_eq!(ratio(0.0, 0.0), None);
        assert_eq!(ratio(1e300, 1e-300), None);
        assert_eq!(ratio(3.0, 4.0), Some(0.75));
    }

    #[test]
    fn finite_rejects_nan_infinity_and_huge() {
        assert!(finite(f64::NAN, || "x".into()).is_err());
        assert!(finite(f64::INFINITY, || "x".into()).is_err());
        assert!(finite(2e15, || "x".into()).is_err());
        assert_eq!(finite(-5.0, || "x".into()), Ok(-5.0));
        let e = non_negative(-1.0, || "v".into()).unwrap_err();
        assert_eq!(e.field, "v");
        assert!(e.to_string().starts_with("v = -1: expected"));
    }

    #[test]
    fn mean_of_empty_is_none() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
    }
}

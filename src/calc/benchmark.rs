//! Benchmark-water concentration (基准水量排放浓度), the same clause in GB 4287-2012,
//! GB 21900-2008 and every post-2008 discharge standard:
//!
//! ```text
//! ρ基 = Q总 / Σ(Yi · Qi基) × ρ实
//! ```
//!
//! Q总 is the total drainage, Yi the output of product i in the standard's unit (t of
//! standard product, m² plated), Qi基 its benchmark drainage per unit and ρ实 the measured
//! concentration. When the drainage ratio Q总 / Σ(Yi · Qi基) is at most 1 the measured
//! concentration is judged as it is (no credit for using little water); above 1 the
//! converted concentration is. Drainage and output are counted over the same period.

use super::{InvalidNumber, non_negative, ratio};
use serde::Serialize;

/// One product's output and benchmark drainage, in the standard's units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ProductDrainage {
    /// Yi, output in the standard's product unit (t of standard product, m² plated).
    pub output: f64,
    /// Qi基, benchmark drainage per unit of that output, m³.
    pub benchmark: f64,
}

/// The drainage ratio of one measuring point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DrainageRatio {
    /// Q总, actual drainage, m³.
    pub drainage: f64,
    /// Σ(Yi · Qi基), benchmark drainage of the output, m³.
    pub benchmark_drainage: f64,
    /// Q总 / Σ(Yi · Qi基).
    pub ratio: f64,
}

impl DrainageRatio {
    /// Whether concentrations are converted: the ratio is above 1.
    pub fn converts(&self) -> bool {
        self.ratio > 1.0
    }

    /// ρ基, the concentration to judge: the measured one times the ratio when the ratio is
    /// above 1, else the measured one.
    pub fn concentration(&self, measured: f64) -> f64 {
        if self.converts() {
            measured * self.ratio
        } else {
            measured
        }
    }
}

/// Q总 / Σ(Yi · Qi基) for a drainage and the products discharged through it; `Ok(None)`
/// when the benchmark drainage is zero (no output), so that no ratio can be formed.
pub fn drainage_ratio(
    drainage: f64,
    products: &[ProductDrainage],
) -> Result<Option<DrainageRatio>, InvalidNumber> {
    let drainage = non_negative(drainage, || "drainage".into())?;
    let mut sum = 0.0;
    for (i, p) in products.iter().enumerate() {
        let y = non_negative(p.output, || format!("products[{i}].output"))?;
        let q = non_negative(p.benchmark, || format!("products[{i}].benchmark"))?;
        sum += y * q;
    }
    Ok(ratio(drainage, sum).map(|r| DrainageRatio {
        drainage,
        benchmark_drainage: sum,
        ratio: r,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::assert_rel;

    /// The sample dyeing mill, 2025: 5,920 × 10⁴ m of cotton woven fabric at 12 kg per
    /// 100 m of standard product (FZ/T 01002-2010) is 5,920 × 100 × 100 m / 100 m × 0.012 t
    /// = 7,104 t; at 140 m³/t (GB 4287-2012 表2) Σ(Y·Q基) = 7,104 × 140 = 994,560 m³.
    /// Drainage 955,350 m³: ratio = 955,350 / 994,560 = 0.9605755…, below 1, so the
    /// measured NH3-N of 12.6 mg/L is judged as it is.
    #[test]
    fn sample_mill_is_below_the_benchmark() {
        let r = drainage_ratio(
            955_350.0,
            &[ProductDrainage {
                output: 7_104.0,
                benchmark: 140.0,
            }],
        )
        .unwrap()
        .unwrap();
        assert_rel(r.benchmark_drainage, 994_560.0, 1e-12);
        assert_rel(r.ratio, 0.960_575_5, 1e-7);
        assert!(!r.converts());
        assert_eq!(r.concentration(12.6), 12.6);
    }

    /// The same mill draining 1.5 × 955,350 = 1,433,025 m³: ratio = 1,433,025 / 994,560
    /// = 1.4408633…; COD 62 mg/L becomes 62 × 1.4408633 = 89.33 mg/L (over the 80 limit),
    /// TN 14.6 mg/L becomes 21.04 mg/L.
    #[test]
    fn more_drainage_than_the_benchmark_scales_the_concentration() {
        let r = drainage_ratio(
            1_433_025.0,
            &[ProductDrainage {
                output: 7_104.0,
                benchmark: 140.0,
            }],
        )
        .unwrap()
        .unwrap();
        assert_rel(r.ratio, 1.440_863_3, 1e-7);
        assert!(r.converts());
        assert_rel(r.concentration(62.0), 89.333_5, 1e-6);
        assert_rel(r.concentration(14.6), 21.036_6, 1e-5);
    }

    /// Two plating lines into one outlet: 20,000 m² multi-layer at 0.5 m³/m² (500 L/m²)
    /// and 30,000 m² single-layer at 0.2 m³/m² give Σ(Y·Q基) = 10,000 + 6,000 = 16,000 m³;
    /// a drainage of 24,000 m³ gives 24,000 / 16,000 = 1.5, and Ni 0.4 mg/L becomes 0.6.
    #[test]
    fn several_products_are_a_weighted_sum() {
        let r = drainage_ratio(
            24_000.0,
            &[
                ProductDrainage {
                    output: 20_000.0,
                    benchmark: 0.5,
                },
                ProductDrainage {
                    output: 30_000.0,
                    benchmark: 0.2,
                },
            ],
        )
        .unwrap()
        .unwrap();
        assert_rel(r.benchmark_drainage, 16_000.0, 1e-12);
        assert_rel(r.ratio, 1.5, 1e-12);
        assert_rel(r.concentration(0.4), 0.6, 1e-12);
    }

    /// A ratio of exactly 1 is not above the benchmark: nothing is converted.
    #[test]
    fn a_ratio_of_one_keeps_the_measured_value() {
        let r = drainage_ratio(
            140.0,
            &[ProductDrainage {
                output: 1.0,
                benchmark: 140.0,
            }],
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.ratio, 1.0);
        assert_eq!(r.concentration(3.0), 3.0);
    }

    #[test]
    fn no_output_gives_no_ratio_and_bad_numbers_are_errors() {
        assert_eq!(drainage_ratio(100.0, &[]), Ok(None));
        let zero = ProductDrainage {
            output: 0.0,
            benchmark: 140.0,
        };
        assert_eq!(drainage_ratio(100.0, &[zero]), Ok(None));
        let err = drainage_ratio(f64::NAN, &[zero]).unwrap_err();
        assert_eq!(err.field, "drainage");
        let neg = ProductDrainage {
            output: -1.0,
            benchmark: 140.0,
        };
        assert_eq!(
            drainage_ratio(1.0, &[zero, neg]).unwrap_err().field,
            "products[1].output"
        );
    }
}

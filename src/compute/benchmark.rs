//! Benchmark-water concentration of the discharges (基准水量排放浓度, industry.md §0.6,
//! §A.3): a wastewater discharge held to a table of a standard that has a benchmark
//! drainage (GB 4287-2012, GB 21900-2008) is judged on ρ基 = Q总 / Σ(Yi · Qi基) × ρ实.
//!
//! - Q总 is the annual flow of the row's outlet in the emissions workbook: the drainage is
//!   measured where the pollutant is ("排水量计量位置与污染物排放监控位置一致"), so a heavy
//!   metal at a workshop outlet takes that outlet's flow.
//! - Yi is the baseline year's output of each product in the status workbook, times the
//!   product's `benchmark.per_unit` in audit.yaml; Qi基 the profile's benchmark for the
//!   product's `benchmark.category` and the row's table.
//! - Only mass concentrations are converted (pH and colour, a dilution ratio, are not).
//!
//! Missing data is a warning naming where to add it; the discharge is then judged on the
//! measured concentration, and the warning says so.

use crate::calc::benchmark::{self as cb, ProductDrainage};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

const AUDIT: &str = "audit.yaml";

/// The benchmark-water conversion of one discharge.
#[derive(Debug, Clone, Serialize)]
pub struct BenchmarkWater {
    /// The standard and table whose benchmark drainage applies (`GB 4287-2012 表2`).
    pub standard: String,
    /// The year of the output (the baseline year).
    pub year: i32,
    /// Q总, the outlet's annual drainage in the emissions workbook, m³/a.
    pub drainage: f64,
    /// Σ(Yi · Qi基), the benchmark drainage of the year's output, m³/a.
    pub benchmark_drainage: f64,
    /// Q总 / Σ(Yi · Qi基).
    pub ratio: f64,
    /// Whether the ratio is above 1, so that the converted concentration is judged.
    pub converted: bool,
    /// ρ基, the concentration judged against the limit: the measured one × `ratio` when
    /// converted, else the measured one.
    pub concentration: f64,
    /// The products counted in Σ(Yi · Qi基).
    pub products: Vec<BenchmarkProduct>,
}

/// One product's term Yi · Qi基.
#[derive(Debug, Clone, Serialize)]
pub struct BenchmarkProduct {
    /// Product id.
    pub product: String,
    /// Product name.
    pub name: Text,
    /// Output of the year, in `output_unit`.
    pub output: f64,
    /// Unit of output (audit.yaml).
    pub output_unit: String,
    /// Standard product per unit of output (`benchmark.per_unit`).
    pub per_unit: f64,
    /// Yi, output in the standard's product unit.
    pub standard_output: f64,
    /// The standard's product unit (`t`, `m²`).
    pub standard_unit: String,
    /// The benchmark category.
    pub category: Text,
    /// Qi基 in `benchmark_unit`.
    pub benchmark: f64,
    /// Unit of the benchmark (`m³/t`, `L/m²`).
    pub benchmark_unit: String,
    /// Yi · Qi基, m³/a.
    pub drainage: f64,
    /// How far the benchmark value can be trusted.
    pub basis: Basis,
}

/// The products' terms for one standard table, worked out once per table.
type Terms = Option<(Vec<BenchmarkProduct>, Vec<ProductDrainage>)>;

/// The conversion of every discharge (`None` where none applies), in the order of the
/// emissions workbook; warnings where data is missing to compute it.
pub fn conversions(audit: &Audit, d: &mut Diagnostics) -> Vec<Option<BenchmarkWater>> {
    let mut terms: BTreeMap<String, Terms> = BTreeMap::new();
    audit
        .tables
        .discharges
        .iter()
        .map(|r| conversion(audit, r, &mut terms, d))
        .collect()
}

fn conversion(
    audit: &Audit,
    r: &DischargeRow,
    terms: &mut BTreeMap<String, Terms>,
    d: &mut Diagnostics,
) -> Option<BenchmarkWater> {
    if r.medium != Medium::Wastewater {
        return None;
    }
    let p = audit.industry.as_ref()?;
    let (standard, number) = p.standard(&r.standard.value)?;
    let table = standard.table(Medium::Wastewater, number)?;
    let n = table.table.value;
    let volumes: Vec<&BenchmarkVolume> = standard
        .benchmark_volumes
        .iter()
        .filter(|b| b.medium == Medium::Wastewater && b.values.contains_key(&n))
        .collect();
    if volumes.is_empty() {
        return None;
    }
    // pH and colour (a dilution ratio) are not concentrations of a mass in the water.
    crate::calc::units::convert(1.0, &r.concentration_unit.value, "mg/L").ok()?;
    let cite = standard.cite(table);
    let Ok(drainage) = crate::calc::units::convert(r.flow.value, &r.flow_unit.value, "m³/a")
    else {
        d.push(
            Diagnostic::warning(
                "industry::benchmark-drainage",
                format!(
                    "{} at {} is judged on its benchmark-water concentration ({cite}), but the flow unit \"{}\" is not a volume per year; the measured concentration is judged",
                    r.pollutant.value, r.source.value, r.flow_unit.value
                ),
            )
            .at(&r.flow_unit.cell)
            .help("give the outlet's annual drainage in m³/a"),
        );
        return None;
    };
    let key = cite.clone();
    let entry = terms
        .entry(key)
        .or_insert_with(|| product_terms(audit, &volumes, n, &cite, r, d));
    let (products, drainages) = entry.as_ref()?;
    let ratio = match cb::drainage_ratio(drainage, drainages) {
        Ok(Some(x)) => x,
        Ok(None) | Err(_) => {
            d.push(
                Diagnostic::warning(
                    "industry::benchmark-output",
                    format!(
                        "the drainage ratio of {} at {} ({cite}) cannot be formed: the benchmark drainage of the output is zero or not a number; the measured concentration is judged",
                        r.pollutant.value, r.source.value
                    ),
                )
                .at(&r.flow.cell)
                .help("check the baseline year's output in the status workbook and `benchmark.per_unit` in audit.yaml"),
            );
            return None;
        }
    };
    Some(BenchmarkWater {
        standard: cite,
        year: audit.meta.audit.baseline_year.value,
        drainage: ratio.drainage,
        benchmark_drainage: ratio.benchmark_drainage,
        ratio: ratio.ratio,
        converted: ratio.converts(),
        concentration: ratio.concentration(r.concentration.value),
        products: products.clone(),
    })
}

/// Σ(Yi · Qi基)'s terms for a table: every product with output in the baseline year must
/// say its category and conversion factor, else a warning and no conversion.
fn product_terms(
    audit: &Audit,
    volumes: &[&BenchmarkVolume],
    n: u32,
    cite: &str,
    r: &DischargeRow,
    d: &mut Diagnostics,
) -> Terms {
    let year = audit.meta.audit.baseline_year.value;
    let categories = || {
        volumes
            .iter()
            .map(|b| format!("{} ({})", b.product.zh, b.product.en))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let why = format!(
        "the wastewater discharges at {} and the other outlets under {cite} are judged on their benchmark-water concentration (基准水量排放浓度), which needs the output in the standard's unit",
        r.source.value
    );
    let mut ok = true;
    let mut products = Vec::new();
    let mut drainages = Vec::new();
    for prod in &audit.meta.enterprise.products {
        let rows: Vec<&OutputRow> = audit
            .tables
            .output
            .iter()
            .filter(|o| o.year.value == year && o.product.value == prod.id.value)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let output: f64 = rows.iter().map(|o| o.quantity.value).sum();
        let Some(b) = &prod.benchmark else {
            ok = false;
            d.push(
                Diagnostic::warning(
                    "industry::benchmark-missing",
                    format!(
                        "{why}, but product `{}` does not say how its output converts: the measured concentrations are judged instead",
                        prod.id.value
                    ),
                )
                .at(Place::yaml(AUDIT, &prod.id.referenced))
                .help(format!(
                    "add `benchmark: {{category: …, per_unit: …}}` to the product: the category is one of {}; `per_unit` the standard's product unit per {} of output (for dyeing, t of standard product per FZ/T 01002-2010: 12 kg per 100 m of cotton woven fabric is 1.2 t per 万米)",
                    categories(),
                    prod.unit
                )),
            );
            continue;
        };
        let key = normalise_code(&b.category.value);
        let Some(v) = volumes
            .iter()
            .find(|v| normalise_code(&v.product.zh) == key || normalise_code(&v.product.en) == key)
        else {
            ok = false;
            d.push(
                Diagnostic::warning(
                    "industry::benchmark-category",
                    format!(
                        "{why}, but “{}” is not a benchmark category of {cite}: the measured concentrations are judged instead",
                        b.category.value
                    ),
                )
                .at(Place::yaml(AUDIT, &b.category.referenced))
                .help(format!("the categories are {}", categories())),
            );
            continue;
        };
        let per_unit = b.per_unit.value;
        let unit = &v.unit.value;
        let (volume_unit, standard_unit) = unit.split_once('/').unwrap_or((unit.as_str(), ""));
        let m3 = crate::calc::units::convert(1.0, volume_unit, "m³").ok();
        let (Some(m3), Some(q)) = (m3, v.values.get(&n)) else {
            ok = false;
            d.push(
                Diagnostic::warning(
                    "industry::benchmark-category",
                    format!(
                        "{why}, but the benchmark of “{}” is not a volume per unit ({unit}): the measured concentrations are judged instead",
                        b.category.value
                    ),
                )
                .at(Place::yaml(AUDIT, &b.category.referenced))
                .help("correct `benchmark_volumes` in the industry profile (m³/t, L/m²)"),
            );
            continue;
        };
        if !per_unit.is_finite() || per_unit <= 0.0 {
            ok = false;
            d.push(
                Diagnostic::warning(
                    "industry::benchmark-missing",
                    format!(
                        "{why}, but `per_unit` of product `{}` is not a positive number: the measured concentrations are judged instead",
                        prod.id.value
                    ),
                )
                .at(Place::yaml(AUDIT, &b.per_unit.referenced))
                .help(format!(
                    "give the units of standard product ({standard_unit}) per {} of output, a number > 0",
                    prod.unit
                )),
            );
            continue;
        }
        let standard_output = output * per_unit;
        let q_m3 = q * m3;
        drainages.push(ProductDrainage {
            output: standard_output,
            benchmark: q_m3,
        });
        products.push(BenchmarkProduct {
            product: prod.id.value.clone(),
            name: prod.name.clone(),
            output,
            output_unit: prod.unit.clone(),
            per_unit,
            standard_output,
            standard_unit: standard_unit.to_string(),
            category: v.product.clone(),
            benchmark: *q,
            benchmark_unit: unit.clone(),
            drainage: standard_output * q_m3,
            basis: v.basis,
        });
    }
    if ok && products.is_empty() {
        d.push(
            Diagnostic::warning(
                "industry::benchmark-output",
                format!(
                    "{why}, but the status workbook has no output of {year}, the baseline year: the measured concentrations are judged instead"
                ),
            )
            .at(Place::File {
                path: audit
                    .meta
                    .data
                    .status
                    .as_ref()
                    .map_or_else(|| AUDIT.to_string(), |s| s.value.clone()),
            })
            .help("add the baseline year's output of each product to the status workbook"),
        );
        return None;
    }
    ok.then_some((products, drainages))
}

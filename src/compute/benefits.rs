//! Option benefits: the name of every resource or pollutant a benefit quantity names by code
//! (from the industry profiles), and the verified benefits of the implemented options summed
//! by cost group, each quantity by its code (or name) and unit.

use super::industry;
use crate::model::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Sums of verified benefits.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImplementedTotals {
    /// No/low-cost options.
    pub no_low: BenefitSums,
    /// Medium/high-cost options.
    pub medium_high: BenefitSums,
    /// All.
    pub all: BenefitSums,
}

/// Benefit sums per year.
#[derive(Debug, Clone, Serialize, Default)]
pub struct BenefitSums {
    /// Number of options.
    pub count: usize,
    /// Investment, 10⁴ CNY.
    pub investment: f64,
    /// Economic benefit, 10⁴ CNY/a.
    pub economic: f64,
    /// Quantities summed by `key` and unit, in the order first met.
    pub quantities: Vec<QuantitySum>,
}

/// One resource or pollutant summed over options.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuantitySum {
    /// What is summed: the code, or the Chinese name where no code is given.
    pub key: String,
    /// The code, where given.
    pub code: Option<String>,
    /// The name written with the quantity, where given.
    pub name: Option<Text>,
    /// Unit.
    pub unit: String,
    /// Σ quantity.
    pub quantity: f64,
    /// Σ value, 10⁴ CNY/a, of the quantities that are valued; `None` when none is.
    pub value: Option<f64>,
}

/// The key a quantity is summed under: its code, else its Chinese name.
pub fn key(q: &BenefitQuantity) -> Option<String> {
    q.code
        .clone()
        .or_else(|| q.name.as_ref().map(|n| n.zh.clone()))
}

/// The names of the codes the benefits use that an industry profile declares as a pollutant
/// (any medium); other codes are named by the report's strings (`res_<code>`) or shown as
/// written.
pub fn names(audit: &Audit) -> BTreeMap<String, Text> {
    let quantities = audit
        .options
        .options
        .iter()
        .flat_map(|o| &o.benefits.quantities)
        .chain(
            audit
                .implementation
                .results
                .iter()
                .flat_map(|r| &r.benefits.quantities),
        );
    let mut out = BTreeMap::new();
    for q in quantities {
        let Some(code) = &q.code else { continue };
        if out.contains_key(code) {
            continue;
        }
        let name = [Medium::Wastewater, Medium::WasteGas, Medium::SolidWaste]
            .into_iter()
            .find_map(|m| industry::pollutant_name(audit, m, code));
        if let Some(name) = name {
            out.insert(code.clone(), name);
        }
    }
    out
}

/// Sums the verified benefits of the implemented options by cost group.
pub fn implemented(audit: &Audit) -> ImplementedTotals {
    let mut t = ImplementedTotals::default();
    for r in &audit.implementation.results {
        let Some(o) = audit
            .options
            .options
            .iter()
            .find(|o| o.id.value == r.option.value)
        else {
            continue;
        };
        let group = if o.cost.is_medium_high() {
            &mut t.medium_high
        } else {
            &mut t.no_low
        };
        add(group, r);
        add(&mut t.all, r);
    }
    t
}

fn add(s: &mut BenefitSums, r: &ImplementationResult) {
    s.count += 1;
    s.investment += r.investment.value;
    s.economic += r.benefits.economic.as_ref().map_or(0.0, |v| v.value);
    for q in &r.benefits.quantities {
        let Some(key) = key(q) else { continue };
        let at = match s
            .quantities
            .iter()
            .position(|x| x.key == key && x.unit == q.unit)
        {
            Some(at) => at,
            None => {
                s.quantities.push(QuantitySum {
                    key,
                    code: q.code.clone(),
                    name: q.name.clone(),
                    unit: q.unit.clone(),
                    quantity: 0.0,
                    value: None,
                });
                s.quantities.len() - 1
            }
        };
        let x = &mut s.quantities[at];
        x.quantity += q.quantity.value;
        if let Some(v) = &q.value {
            x.value = Some(x.value.unwrap_or(0.0) + v.value);
        }
    }
}

//! The energy flow of one year: each energy carrier as a band into the comprehensive
//! energy consumption (综合能耗), as thick as its standard coal (tce, GB/T 2589-2020),
//! each labelled with its physical quantity, its tce and its share, as in the energy
//! table.

use super::sankey::{self, Flow, Sankey};
use super::svg::{Drawing, qty};
use super::words::Words;
use crate::calc::energy::{CarrierEnergy, ComprehensiveEnergy};
use crate::quantity::format_number;

const PALETTE: [&str; 8] = [
    "#6fa8dc", "#e6a23c", "#8fbf6f", "#b4a7d6", "#e06666", "#76c7c0", "#c9a06b", "#a0a0a0",
];

/// A band's colour: fixed for the common carriers, else from a palette by position.
fn colour(c: &CarrierEnergy, i: usize) -> &'static str {
    match c.carrier.as_str() {
        "electricity" => "#f1c232",
        "natural_gas" => "#6fa8dc",
        "raw_coal" | "coal" | "coke" => "#666666",
        "steam" | "heat" => "#c27ba0",
        "diesel" | "fuel_oil" | "gasoline" => "#b45f06",
        _ => PALETTE[i % PALETTE.len()],
    }
}

/// A number with the precision the report's tables give a number of its size.
pub fn smart(x: f64) -> String {
    let a = x.abs();
    let digits = if a >= 1000.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    format_number(x, digits)
}

fn name(w: &Words, c: &CarrierEnergy) -> String {
    let n = if w.zh() { &c.name_zh } else { &c.name_en };
    n.clone().unwrap_or_else(|| c.carrier.clone())
}

/// The diagram as a Sankey.
pub fn sankey(w: &Words, year: i32, e: &ComprehensiveEnergy) -> Sankey {
    let inputs: Vec<Flow> = e
        .carriers
        .iter()
        .enumerate()
        .map(|(i, c)| Flow {
            name: name(w, c),
            detail: format!(
                "{} → {}{}",
                qty(&smart(c.quantity), &c.unit),
                qty(&format_number(c.tce, 2), &e.total_unit),
                c.share
                    .map(|s| format!(" ({}%)", format_number(s * 100.0, 1)))
                    .unwrap_or_default()
            ),
            value: c.tce,
            fill: colour(c, i),
            dashed: false,
        })
        .collect();
    let total = qty(&format_number(e.total_tce, 2), &e.total_unit);
    let node = if w.zh() {
        format!("{}年{}\n{total}", year, w.get("comprehensive_energy"))
    } else {
        format!("{} {year}\n{total}", w.get("comprehensive_energy"))
    };
    let basis = match e.electricity_basis {
        crate::calc::energy::ElectricityBasis::Equivalent => w.get("electricity_equivalent"),
        crate::calc::energy::ElectricityBasis::Primary { .. } => w.get("electricity_primary"),
    };
    Sankey {
        node,
        inputs,
        outputs: Vec::new(),
        footer: vec![format!(
            "{} {total}{}{basis} {} kgce/kWh",
            w.get("energy_total"),
            w.get("list_sep"),
            format_number(e.electricity_kgce_per_kwh, 4)
        )],
        legend: Vec::new(),
    }
}

/// Draws the energy flow of `year`.
pub fn draw(w: &Words, year: i32, e: &ComprehensiveEnergy) -> Drawing {
    sankey::draw(&sankey(w, year, e))
}

/// The alt text.
pub fn alt(w: &Words, caption: &str, year: i32, e: &ComprehensiveEnergy) -> String {
    let s = sankey(w, year, e);
    let parts: Vec<String> = s
        .inputs
        .iter()
        .map(|f| format!("{} {}", f.name, f.detail))
        .collect();
    format!(
        "{caption} ({year}){}{}{}{}",
        w.get("colon"),
        parts.join(&w.get("list_sep")),
        w.get("list_sep"),
        s.footer.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::energy::{ElectricityBasis, EnergyUse, comprehensive_energy};
    use crate::model::Lang;
    use crate::render::figures::svg::check_layout;

    fn energy(n: usize) -> ComprehensiveEnergy {
        let carriers = [
            "electricity",
            "natural_gas",
            "diesel",
            "raw_coal",
            "coke",
            "gasoline",
        ];
        let units = ["kWh", "m³", "t", "t", "t", "t"];
        let uses: Vec<EnergyUse> = (0..n)
            .map(|i| EnergyUse {
                carrier: carriers[i % carriers.len()].into(),
                quantity: 1000.0 * (i as f64 + 1.0).powi(3),
                unit: units[i % units.len()].into(),
                coefficient: None,
            })
            .collect();
        comprehensive_energy(&uses, ElectricityBasis::Equivalent).unwrap()
    }

    #[test]
    fn one_three_and_six_carriers_lay_out_without_overlap() {
        for n in [1, 3, 6] {
            for lang in Lang::ALL {
                let d = draw(&Words::new(lang), 2024, &energy(n));
                check_layout(&d).unwrap_or_else(|e| panic!("{n} carriers: {e}"));
            }
        }
    }

    #[test]
    fn smart_numbers_follow_the_tables() {
        assert_eq!(smart(16943.08), "16,943");
        assert_eq!(smart(91.84), "91.8");
        assert_eq!(smart(1.234), "1.23");
        assert_eq!(smart(0.1234), "0.123");
    }
}

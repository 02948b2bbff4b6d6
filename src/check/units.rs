//! Units: every quantity of the workbooks is in a unit that converts to the one its
//! computation works in — measured streams to tonnes, water users to m³/d, water intake
//! to tonnes or m³ — and the energy limit's unit is one the energy figures can be put
//! in. One error per row, at the unit's cell.

use super::AUDIT;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The unit cells of the balance, water and status workbooks, then the energy limit.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    let t = &audit.tables;
    for r in &t.water_intake {
        if crate::calc::units::convert(r.quantity.value, &r.unit.value, "t").is_err() {
            convertible(r.quantity.value, &r.unit, "m³", d);
        }
    }
    for s in &t.streams {
        convertible(s.batches.first().map_or(1.0, |b| b.value), &s.unit, "t", d);
    }
    for r in &t.water_users {
        convertible(r.new_water.value, &r.unit, "m³/d", d);
    }
    energy_limit(audit, d);
}

/// Whether `value` in `unit` converts to `to`; an error at the unit's cell if not.
fn convertible(value: f64, unit: &At<String>, to: &str, d: &mut Diagnostics) {
    if let Err(e) = crate::calc::units::convert(value, &unit.value, to) {
        d.push(
            Diagnostic::error(
                "units::convert",
                format!("cannot use unit \"{}\" here: {e}", unit.value),
            )
            .at(&unit.cell)
            .help(format!("give the quantity in a unit convertible to {to}")),
        );
    }
}

/// The forms of the energy limit's unit that the per-product energy is computed in.
fn energy_limit_unit_known(unit: &str) -> bool {
    let u = unit.replace(' ', "");
    u.ends_with("/100m") || u.starts_with("kgce/") || u.starts_with("tce/")
}

fn energy_limit(audit: &Audit, d: &mut Diagnostics) {
    let Some(l) = &audit.meta.compliance.energy_limit else {
        return;
    };
    if !energy_limit_unit_known(&l.unit.value) {
        d.push(
            Diagnostic::error(
                "compliance::energy-unit",
                format!(
                    "the energy limit's unit \"{}\" is not understood",
                    l.unit.value
                ),
            )
            .at(Place::yaml(AUDIT, &l.unit.referenced))
            .help("write kgce/100 m, or kgce/… or tce/… per the main product's unit"),
        );
    }
}

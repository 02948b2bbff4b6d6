//! Balances, over the computed results: each unit operation's and the focus's material
//! balance closes within the tolerance, data reconciliation finds no gross error, and
//! each water user's new water equals its consumption, discharge and leakage.

use super::ASSESS;
use crate::calc::balance as cb;
use crate::compute::Results;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The material balances, the reconciliation, then the water users.
pub(super) fn check(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    for u in &r.balance.units {
        let place = audit
            .assessment
            .unit_operations
            .iter()
            .find(|x| x.id.value == u.id)
            .map_or(
                Place::File {
                    path: ASSESS.into(),
                },
                |x| Place::yaml(ASSESS, &x.id.referenced),
            );
        closure(&u.balance, &format!("unit operation `{}`", u.id), place, d);
    }
    if let Some(b) = &r.balance.focus {
        closure(
            b,
            "the audit focus",
            Place::File {
                path: ASSESS.into(),
            },
            d,
        );
    }
    reconciliation(audit, r, d);
    water(audit, r, d);
}

fn closure(b: &cb::Balance, what: &str, place: Place, d: &mut Diagnostics) {
    match (b.closure_error, b.within_tolerance) {
        (Some(e), Some(false)) => d.push(
            Diagnostic::warning("balance::closure", format!(
                "the material balance of {what} does not close: δ = {:.2} % (tolerance {:.1} %)",
                e * 100.0,
                b.tolerance * 100.0
            ))
            .at(place)
            .help("check the measured streams for a missing output (evaporation, moisture in product, sludge) or a unit error"),
        ),
        (None, _) => d.push(
            Diagnostic::warning("balance::no-input", format!("{what} has no measured input; its closure error is undefined"))
                .at(place)
                .help("add the streams that enter it to the balance workbook"),
        ),
        _ => {}
    }
}

fn reconciliation(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    use crate::calc::reconcile as cr;
    let Some(r) = &r.reconciliation else { return };
    if let cr::Outcome::GrossErrorSuspected { suspects, .. } = &r.verdict {
        let groups: Vec<String> = suspects.iter().map(|g| g.flows.join(" or ")).collect();
        d.push(
            Diagnostic::warning("balance::gross-error", format!(
                "data reconciliation suspects a gross error (χ² = {:.2}, p = {}): {}",
                r.chi_square,
                r.p_value.map_or("—".into(), |p| format!("{p:.4}")),
                groups.join("; ")
            ))
            .at(Place::File { path: audit.meta.data.balance.as_ref().map_or("audit.yaml".into(), |b| b.value.clone()) })
            .help("check the named streams' batch values for a typing or unit error; streams in one group cannot be told apart by the balances"),
        );
    }
}

fn water(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    let Some(w) = &r.water else { return };
    // The users are computed in the order of the workbook's rows, a row that could not be
    // computed left out: each result is matched with the next row of its id.
    let mut rows = audit.tables.water_users.iter();
    for u in &w.users {
        let Some(row) = rows.by_ref().find(|x| x.id.value == u.balance.id) else {
            break;
        };
        if let Some(g) = u.balance.relative_gap
            && g.abs() > audit.meta.settings.water_tolerance
        {
            d.push(
                Diagnostic::warning("water::gap", format!(
                    "water user `{}` does not balance: new water differs from consumption + discharge + leakage by {:.1} %",
                    row.id.value,
                    g * 100.0
                ))
                .at(&row.new_water.cell)
                .help("GB/T 12452: V_f = V_co + V_d + V_l; check the meter readings or add the missing leakage"),
            );
        }
    }
}

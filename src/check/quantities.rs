//! Quantities: what the workbooks and narratives measure or estimate is never negative,
//! a measured stream is connected to a unit operation, and a project has a life.

use super::{FEAS, OPTIONS};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// Streams, options and analyses, then the other workbooks.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    for s in &audit.tables.streams {
        if s.from.is_none() && s.to.is_none() {
            d.push(
                Diagnostic::error("balance::unconnected", format!("stream `{}` has neither a source nor a destination", s.id.value))
                    .at(&s.id.cell)
                    .help("fill `来源 From` with the unit operation it leaves, or `去向 To` with the one it enters"),
            );
        }
        for b in &s.batches {
            if b.value < 0.0 {
                d.push(
                    Diagnostic::error("balance::negative", format!("a measured quantity is negative ({})", b.value))
                        .at(&b.cell)
                        .help("quantities are amounts per batch, never negative; a stream in the other direction is a separate row"),
                );
            }
        }
    }
    for o in &audit.options.options {
        if o.investment.value < 0.0 {
            d.push(
                Diagnostic::error(
                    "check::negative",
                    format!("option `{}` has a negative investment", o.id.value),
                )
                .at(Place::yaml(OPTIONS, &o.investment.referenced))
                .help("write the investment in 10⁴ CNY, zero for no-cost options"),
            );
        }
    }
    for a in &audit.feasibility.analyses {
        if a.life.value == 0 {
            d.push(
                Diagnostic::error("feasibility::life", "the project life is zero years")
                    .at(Place::yaml(FEAS, &a.life.referenced))
                    .help("give the depreciation period in years, e.g. 10"),
            );
        }
        for item in &a.investment.items {
            if item.amount.value < 0.0 {
                d.push(
                    Diagnostic::error("check::negative", "an investment item is negative")
                        .at(Place::yaml(FEAS, &item.amount.referenced))
                        .help("subsidies go under `subsidy`, not as negative items"),
                );
            }
        }
    }
    let nonneg = audit
        .tables
        .output
        .iter()
        .map(|r| &r.quantity)
        .chain(audit.tables.materials.iter().map(|r| &r.quantity))
        .chain(audit.tables.energy.iter().map(|r| &r.quantity))
        .chain(audit.tables.water_intake.iter().map(|r| &r.quantity))
        .chain(audit.tables.water_users.iter().flat_map(|r| {
            [
                &r.new_water,
                &r.reused,
                &r.consumed,
                &r.discharged,
                &r.leakage,
            ]
        }))
        .chain(
            audit
                .tables
                .discharges
                .iter()
                .flat_map(|r| [&r.concentration, &r.flow, &r.limit]),
        );
    for v in nonneg {
        if v.value < 0.0 {
            d.push(
                Diagnostic::error(
                    "check::negative",
                    format!("a quantity is negative ({})", v.value),
                )
                .at(&v.cell)
                .help("quantities are never negative"),
            );
        }
    }
}

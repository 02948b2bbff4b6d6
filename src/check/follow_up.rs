//! Follow-up: each option is carried through the stages its cost class and status ask
//! for — a medium/high-cost option has a feasibility analysis, an implemented one has
//! verified results, and only a medium/high-cost option is analysed.

use super::{FEAS, IMPL, OPTIONS};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The options in the order of 04-options.yaml, then the analyses.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    for o in &audit.options.options {
        if o.cost.is_medium_high()
            && o.status != OptionStatus::Rejected
            && !audit
                .feasibility
                .analyses
                .iter()
                .any(|a| a.option.value == o.id.value)
        {
            d.push(
                Diagnostic::warning(
                    "feasibility::missing",
                    format!(
                        "medium/high-cost option `{}` has no feasibility analysis",
                        o.id.value
                    ),
                )
                .at(Place::yaml(OPTIONS, &o.id.referenced))
                .help(format!(
                    "add an analysis with `option: {}` to {FEAS}",
                    o.id.value
                )),
            );
        }
        if o.status == OptionStatus::Implemented
            && !audit
                .implementation
                .results
                .iter()
                .any(|r| r.option.value == o.id.value)
        {
            d.push(
                Diagnostic::warning(
                    "implementation::missing",
                    format!(
                        "option `{}` is implemented but has no verified results",
                        o.id.value
                    ),
                )
                .at(Place::yaml(OPTIONS, &o.id.referenced))
                .help(format!(
                    "add its results to {IMPL}, or set its status to `planned`"
                )),
            );
        }
    }
    for a in &audit.feasibility.analyses {
        if let Some(o) = audit
            .options
            .options
            .iter()
            .find(|o| o.id.value == a.option.value)
            && !o.cost.is_medium_high()
        {
            d.push(
                Diagnostic::warning("feasibility::low-cost", format!("option `{}` is a no/low-cost option but has a feasibility analysis", o.id.value))
                    .at(Place::yaml(FEAS, &a.option.referenced))
                    .related("its cost class", Place::yaml(OPTIONS, &o.id.referenced))
                    .help("feasibility analysis is for medium/high-cost options; check the option's `cost`"),
            );
        }
    }
}

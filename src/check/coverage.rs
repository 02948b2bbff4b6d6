//! Coverage: the material balance is measured as long as the manual asks — a batch
//! process over at least 3 batches, a continuous one over at least 72 hours — for the
//! focus as the measurement declares it, and for each unit operation by its own mode: a
//! continuous unit is not balanced by the batch rule, nor a batch unit by the hours.

use super::ASSESS;
use crate::calc::balance as cb;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The measurement of the focus, then of each unit operation whose mode is given.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    let streams = &audit.tables.streams;
    if streams.is_empty() {
        return;
    }
    let m = &audit.assessment.measurement;
    let batches = streams.iter().map(|s| s.batches.len()).max().unwrap_or(0);
    let hours = m.hours.unwrap_or(0.0);
    let measured = |mode: OperationMode| match mode {
        OperationMode::Batch => cb::Measured::Batches(batches as u32),
        OperationMode::Continuous => cb::Measured::ContinuousHours(hours),
    };
    if let cov @ (cb::Coverage::MissingBatches { .. } | cb::Coverage::MissingHours { .. }) =
        cb::measurement_coverage(measured(m.mode))
    {
        d.push(
            Diagnostic::warning("balance::coverage", format!("the measurement does not meet the manual's minimum: {cov:?}"))
                .at(Place::File { path: ASSESS.into() })
                .help("batch processes are measured over at least 3 batches, continuous ones over at least 72 hours"),
        );
    }
    for u in &audit.assessment.unit_operations {
        let Some(mode) = &u.mode else { continue };
        if mode.value == m.mode
            || cb::measurement_coverage(measured(mode.value)) == cb::Coverage::Sufficient
        {
            continue;
        }
        let (runs, rule, by) = match mode.value {
            OperationMode::Continuous => (
                "runs continuously",
                format!("the measurement counts batches ({batches})"),
                "a continuous unit is measured over at least 72 hours: give `measurement: mode: continuous` and the `hours` measured, or measure longer",
            ),
            OperationMode::Batch => (
                "runs in batches",
                format!(
                    "the measurement counts hours ({hours} h) and only {batches} batch(es) are in the balance workbook"
                ),
                "a batch unit is measured over at least 3 complete batches: add the batches to the balance workbook",
            ),
        };
        d.push(
            Diagnostic::warning(
                "balance::unit-mode",
                format!(
                    "unit operation `{}` {runs}, but {rule}: it is balanced by the rule of the other mode",
                    u.id.value
                ),
            )
            .at(Place::yaml(ASSESS, &mode.referenced))
            .help(by),
        );
    }
}

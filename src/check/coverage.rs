//! Coverage: the material balance is measured as long as the manual asks — a batch
//! process over at least 3 batches, a continuous one over at least 72 hours — for the
//! focus as the measurement declares it.

use super::ASSESS;
use crate::calc::balance as cb;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The measurement of the focus.
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
}

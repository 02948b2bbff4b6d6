//! Settings: the rates of audit.yaml's `settings` are plausible fractions.

use super::AUDIT;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The discount and tax rates.
pub(super) fn rates(audit: &Audit, d: &mut Diagnostics) {
    let s = &audit.meta.settings;
    let rate = &s.discount_rate;
    if !(rate.value > -0.99 && rate.value < 1.0) {
        d.push(
            Diagnostic::error(
                "check::discount-rate",
                format!("discount_rate {} is not a plausible rate", rate.value),
            )
            .at(Place::yaml(AUDIT, &rate.referenced))
            .help("write the rate as a fraction: 0.06 for 6 %"),
        );
    }
    if !(0.0..1.0).contains(&s.tax_rate.value) {
        d.push(
            Diagnostic::error(
                "check::tax-rate",
                format!("tax_rate {} is not between 0 and 1", s.tax_rate.value),
            )
            .at(Place::yaml(AUDIT, &s.tax_rate.referenced))
            .help("write the rate as a fraction: 0.25 for 25 %"),
        );
    }
}

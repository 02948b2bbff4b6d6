//! Dates: every date field is a real `YYYY-MM-DD`, the audit's dates run in order (list,
//! start, report), an equipment replacement has a real due date, and each option's
//! year-by-year cash flows run from year 0, each year once.

use super::{AUDIT, PRE, PREP};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::BTreeMap;

pub use crate::calc::dates::parse_date;

/// Parses a date field, or names it with its place and the expected form.
fn date(v: &Spanned<String>, file: &str, what: &str, d: &mut Diagnostics) -> Option<(i32, u8, u8)> {
    let parsed = parse_date(&v.value);
    if parsed.is_none() {
        d.push(
            Diagnostic::error(
                "check::date",
                format!("{what} \"{}\" is not a date", v.value),
            )
            .at(Place::yaml(file, &v.referenced))
            .help("write dates as YYYY-MM-DD, e.g. 2026-10-30, in quotes or not"),
        );
    }
    parsed
}

/// The audit's own dates and the training dates.
pub(super) fn audit_dates(audit: &Audit, d: &mut Diagnostics) {
    let a = &audit.meta.audit;
    let listed = a
        .list_published
        .as_ref()
        .and_then(|v| date(v, AUDIT, "list_published", d));
    let started = date(&a.started, AUDIT, "started", d);
    let report = date(&a.report_date, AUDIT, "report_date", d);
    if let (Some(l), Some(s)) = (listed, started)
        && s < l
    {
        d.push(
            Diagnostic::warning(
                "check::date-order",
                "the audit started before the list was published",
            )
            .at(Place::yaml(AUDIT, &a.started.referenced))
            .help("check `started` and `list_published`"),
        );
    }
    if let (Some(s), Some(r)) = (started, report)
        && r < s
    {
        d.push(
            Diagnostic::error(
                "check::date-order",
                format!(
                    "report_date {} is before started {}",
                    a.report_date.value, a.started.value
                ),
            )
            .at(Place::yaml(AUDIT, &a.report_date.referenced))
            .help("the report is dated after the audit starts; correct one of the two dates"),
        );
    }
    for t in &audit.preparation.training {
        date(&t.date, PREP, "training date", d);
    }
}

/// An equipment replacement's due date (the self-assessment counts it as scheduled only
/// with a real date).
pub(super) fn replacements(audit: &Audit, d: &mut Diagnostics) {
    for e in audit
        .pre_assessment
        .equipment
        .iter()
        .filter(|e| e.phased_out)
    {
        if let Some(r) = &e.replaced_by {
            date(&r.due, PRE, "replaced_by.due", d);
        }
    }
}

/// Each option's cash flows in the cash-flow workbook run 0, 1, …, n, each year once.
pub(super) fn cash_flow_years(audit: &Audit, d: &mut Diagnostics) {
    let mut by_option: BTreeMap<&str, Vec<&CashFlowRow>> = BTreeMap::new();
    for r in &audit.tables.cash_flows {
        by_option
            .entry(r.option.value.as_str())
            .or_default()
            .push(r);
    }
    // In the order the options appear in the feasibility narrative, as the economics are.
    for a in &audit.feasibility.analyses {
        let Some(rows) = by_option.get_mut(a.option.value.as_str()) else {
            continue;
        };
        rows.sort_by_key(|r| r.year.value);
        let option = &a.option.value;
        for (expected, r) in rows.iter().enumerate() {
            if r.year.value != expected as i32 {
                d.push(
                    Diagnostic::error("economics::years", format!("cash flows of `{option}` skip or repeat a year: expected year {expected}, found {}", r.year.value))
                        .at(&r.year.cell)
                        .help("list every year from 0 (the investment) to the end of the life, once each"),
                );
                break;
            }
        }
        // One report per option, even when it has two analyses.
        rows.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2026-10-30"), Some((2026, 10, 30)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("30.10.2026"), None);
    }
}

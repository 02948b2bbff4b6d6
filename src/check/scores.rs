//! Scores: the weighted-sum tables of the candidate focuses and of the option screening
//! score known factors only, every factor, within 0–10, with weights within 0–10; and,
//! over the computed scoring, the chosen focus ranks first or says why not.

use super::{OPTIONS, PRE};
use crate::compute::Results;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// The focus candidates' scores, then the options' screening scores, then the weights.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    let f = &audit.pre_assessment.focus;
    let factors: BTreeSet<&str> = f.factors.iter().map(|x| x.id.as_str()).collect();
    for c in &f.candidates {
        scores(
            &c.scores,
            &factors,
            &Place::yaml(PRE, &c.id.referenced),
            &c.id.value,
            PRE,
            d,
        );
    }
    for x in f.factors.iter().chain(&audit.options.screening_factors) {
        weight(
            &x.weight,
            if f.factors.iter().any(|y| y.id == x.id) {
                PRE
            } else {
                OPTIONS
            },
            d,
        );
    }
    let screening: BTreeSet<&str> = audit
        .options
        .screening_factors
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    for o in &audit.options.options {
        scores(
            &o.screening,
            &screening,
            &Place::yaml(OPTIONS, &o.id.referenced),
            &o.id.value,
            OPTIONS,
            d,
        );
    }
}

/// The chosen focus against the computed ranking.
pub(super) fn chosen_focus(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    let f = &audit.pre_assessment.focus;
    let s = &r.focus;
    if let (Some(best), Some(chosen)) = (
        s.rows.iter().find(|r| r.rank == 1),
        s.rows.iter().find(|r| r.id == f.chosen.value),
    ) && chosen.rank != 1
    {
        d.push(
            Diagnostic::warning("focus::not-highest", format!("the chosen focus `{}` ranks {} by weighted score; `{}` ranks first", chosen.id, chosen.rank, best.id))
                .at(Place::yaml(PRE, &f.chosen.referenced))
                .help("explain in `rationale` why the focus departs from the scoring, or review the scores"),
        );
    }
}

fn weight(w: &Spanned<f64>, file: &str, d: &mut Diagnostics) {
    if !(0.0..=10.0).contains(&w.value) {
        d.push(
            Diagnostic::error(
                "check::weight",
                format!("weight {} is outside 0–10", w.value),
            )
            .at(Place::yaml(file, &w.referenced))
            .help("the manual's weighted-sum method uses weights from 1 to 10"),
        );
    }
}

fn scores(
    scores: &BTreeMap<String, Spanned<f64>>,
    factors: &BTreeSet<&str>,
    owner: &Place,
    owner_id: &str,
    file: &str,
    d: &mut Diagnostics,
) {
    if factors.is_empty() {
        return;
    }
    for (k, v) in scores {
        if !factors.contains(k.as_str()) {
            let help = match crate::diag::suggest(k, factors.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the factors are `{}`",
                    factors.iter().copied().collect::<Vec<_>>().join("`, `")
                ),
            };
            d.push(
                Diagnostic::error(
                    "check::score-factor",
                    format!("`{owner_id}` scores an unknown factor `{k}`"),
                )
                .at(Place::yaml(file, &v.referenced))
                .help(help),
            );
        }
        if !(0.0..=10.0).contains(&v.value) {
            d.push(
                Diagnostic::error("check::score", format!("score {} is outside 0–10", v.value))
                    .at(Place::yaml(file, &v.referenced))
                    .help("scores run from 1 (least) to 10 (most)"),
            );
        }
    }
    for f in factors.iter().filter(|f| !scores.contains_key(**f)) {
        d.push(
            Diagnostic::error(
                "check::score-missing",
                format!("`{owner_id}` has no score for factor `{f}`"),
            )
            .at(owner.clone())
            .help("score every factor from 1 to 10"),
        );
    }
}

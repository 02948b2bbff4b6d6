//! Check: what the types cannot say, in two passes around compute. Before it, over the
//! loaded audit: dates are real and in order, rates plausible, ids unique and every
//! reference resolved, scores and weights in range, quantities not negative, options
//! followed up, evidence present and safely named, every character printable, no
//! placeholder left, the data consistent with the industry profile, every unit
//! convertible, the measurement long enough. After it, over [`crate::compute::Results`]:
//! the chosen focus against the scoring, the balances closing, the compliance duties
//! met, figures stated in two places agreeing. Problems are collected; nothing here stops at the first. Compute only computes.

mod agreement;
mod balance;
mod benefits;
mod compliance;
mod coverage;
mod dates;
mod evidence;
mod follow_up;
mod glyphs;
mod industry;
mod placeholders;
mod quantities;
mod references;
mod scores;
mod settings;
mod units;

use crate::compute::Results;
use crate::diag::Diagnostics;
use crate::model::Audit;

pub use dates::parse_date;
pub use evidence::unsafe_name;

const AUDIT: &str = "audit.yaml";
const PREP: &str = "narratives/01-preparation.yaml";
const PRE: &str = "narratives/02-pre-assessment.yaml";
const ASSESS: &str = "narratives/03-assessment.yaml";
const OPTIONS: &str = "narratives/04-options.yaml";
const FEAS: &str = "narratives/05-feasibility.yaml";
const IMPL: &str = "narratives/06-implementation.yaml";

/// Checks a loaded audit; compute runs only when this finds no error.
pub fn check(audit: &Audit) -> Diagnostics {
    let mut d = Diagnostics::default();
    dates::audit_dates(audit, &mut d);
    settings::rates(audit, &mut d);
    references::check(audit, &mut d);
    benefits::check(audit, &mut d);
    scores::check(audit, &mut d);
    quantities::check(audit, &mut d);
    follow_up::check(audit, &mut d);
    evidence::check(audit, &mut d);
    glyphs::check(audit, &mut d);
    placeholders::check(audit, &mut d);
    dates::replacements(audit, &mut d);
    units::check(audit, &mut d);
    industry::check(audit, &mut d);
    dates::cash_flow_years(audit, &mut d);
    coverage::check(audit, &mut d);
    d
}

/// Checks the computed results against what the audit states and what the manual and
/// the regulation ask.
pub fn results(audit: &Audit, results: &Results) -> Diagnostics {
    let mut d = Diagnostics::default();
    scores::chosen_focus(audit, results, &mut d);
    balance::check(audit, results, &mut d);
    compliance::check(audit, results, &mut d);
    agreement::check(audit, results, &mut d);
    d
}

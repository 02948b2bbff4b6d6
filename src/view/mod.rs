//! The view: what the documents show, worked out in Rust so that the templates only lay
//! out. Joins by id, the choice of what to show and the judgements a table prints (which
//! level a value meets, whether a balance closes) are made here, once, with tests; the
//! judgements themselves are `calc`'s.
//!
//! The view is built from the template context *after* the public edition's redaction
//! (the public edition's marks), so a value withheld there is withheld in every row that
//! shows it: withheld text arrives as the withheld marker, a withheld number as `null`,
//! which the view keeps as `None` (printed as —).
//!
//! One module per chapter; the templates read it as `v` (`view.assessment.streams`…).

mod assessment;
mod compliance;
mod continuous;
mod cp_level;
mod options;
mod pre_assessment;
mod summary;

use serde::Serialize;
use serde_json::Value;

pub use assessment::Assessment;
pub use compliance::Trigger;
pub use continuous::KeyFigures;
pub use cp_level::CpLevel;
pub use options::Options;
pub use pre_assessment::PreAssessment;
pub use summary::summary;

/// What the templates show beyond the audit as written and the results.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The baseline year's row of `r.status`, when the status workbook has it.
    pub baseline: Option<Value>,
    /// Chapter 2: pre-assessment.
    pub pre_assessment: PreAssessment,
    /// Chapter 2, last section: the cleaner production level.
    pub cp_level: Option<CpLevel>,
    /// Chapter 3: assessment.
    pub assessment: Assessment,
    /// Chapters 4–6: the options, their analyses and what was implemented.
    pub options: Options,
    /// Chapter 7: the key figures of the audit.
    pub key_figures: KeyFigures,
    /// The notice: the status row of the year its energy facts are of.
    pub notice_energy: Option<Value>,
    /// The regulation's mandatory-audit triggers with the records that meet them.
    pub triggers: Vec<Trigger>,
}

/// Builds the view of a template context (`{audit, r, …}`, redacted or not).
pub fn build(context: &Value) -> View {
    let audit = &context["audit"];
    let results = &context["r"];
    View {
        baseline: continuous::baseline(audit, results),
        pre_assessment: pre_assessment::build(audit, results),
        cp_level: cp_level::build(&results["cp_level"]),
        assessment: assessment::build(audit, results),
        options: options::build(audit, results),
        key_figures: continuous::key_figures(audit, results),
        notice_energy: continuous::notice_energy_year(results),
        triggers: compliance::triggers(results),
    }
}

/// A number of the context; `None` for a withheld (`null`) or absent one.
fn number(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.is_finite())
}

/// A workbook value `{value, cell}` or a plain value, as the bare value.
fn bare(v: &Value) -> &Value {
    match v.get("value") {
        Some(inner) if v.get("cell").is_some() => inner,
        _ => v,
    }
}

/// A value that names a record: a plain string or a workbook `{value, cell}`.
fn id_of(v: &Value) -> Option<String> {
    bare(v).as_str().map(str::to_string)
}

/// The items of a list in the context (none when absent or withheld).
fn items(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

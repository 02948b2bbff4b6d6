//! cpaudit: a build tool for Chinese cleaner production audits (清洁生产审核).
//!
//! An audit folder (YAML narratives, Excel workbooks, evidence files) goes through one
//! pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! load ──▶ check ──▶ compute ──▶ view ──▶ render ──▶ pack
//! (model)  (diag)    (calc)      (rows)    (Typst)    (BagIt)
//! ```
//!
//! [`load`] reads the folder into a [`model::Audit`], keeping every value's place of
//! origin; [`check`] finds what the types cannot (dangling ids, dates, negative flows)
//! before [`compute`] turns the model into [`compute::Results`] with the pure formulas of
//! [`calc`], and checks the results after it (balances that do not close, figures stated
//! twice that disagree); [`view`] works out what each document shows (joins, judgements,
//! what to omit); [`render`] typesets the documents with Typst embedded as a library;
//! [`pack`] writes and verifies the evidence pack. `build` (one function per stage)
//! drives them and [`output`] swaps the result into the output folder crash-safely.
//! `cpaudit check` runs the first three stages.

// Diagnostics are rich (place, help, related places) and travel only on the cold error
// path of loading; boxing them everywhere would add noise for no measurable gain.
#![allow(clippy::result_large_err)]

mod build;
pub mod calc;
pub mod check;
pub mod compute;
pub mod diag;
pub mod error;
#[doc(hidden)]
pub mod fonts;
pub mod fuzz;
pub mod init;
pub mod load;
pub mod model;
pub mod output;
pub mod pack;
pub mod progress;
pub mod quantity;
mod rebuild;
pub mod render;
pub mod schema;
pub mod view;
pub mod watch;

pub use build::{BuildError, BuildOptions, Built, Session, build, build_with, input_files};
use diag::{Diagnostic, Diagnostics, Place};
use model::Audit;
pub use rebuild::{Mismatch, rebuild};
use std::path::Path;

/// An audit loaded, checked and computed: what `check` shows and `build` renders.
pub struct Checked {
    /// The audit.
    pub audit: Audit,
    /// Its computed figures; `None` when errors prevented computing.
    pub results: Option<compute::Results>,
    /// Every problem found.
    pub diagnostics: Diagnostics,
}

/// Loads, checks and computes the audit at `root`. `Err` when it cannot even be loaded.
pub fn check(root: &Path) -> Result<Checked, Diagnostics> {
    let mut checked = load_check_compute(root)?;
    if let Some(results) = &checked.results {
        // A confidential mark that names nothing would leave a secret in the public
        // edition: it is an error already in `check`.
        let mut context = compute::context(&checked.audit, results);
        checked
            .diagnostics
            .extend(Diagnostics(render::redact::redact(
                &mut context,
                &checked.audit.meta.confidential,
            )));
    }
    Ok(checked)
}

/// [`check`] without the check of the confidential marks, which `build` makes on the
/// context it renders (the marks name only `audit` and `r` there, so the diagnostics
/// are the same): building the context twice would cost every `watch` rebuild.
pub(crate) fn load_check_compute(root: &Path) -> Result<Checked, Diagnostics> {
    let (audit, mut diagnostics) = load::load(root)?;
    diagnostics.extend(check::check(&audit));
    let results = if diagnostics.has_errors() {
        None
    } else {
        let (results, diags) = compute::compute(&audit);
        diagnostics.extend(diags);
        diagnostics.extend(check::results(&audit, &results));
        Some(results)
    };
    Ok(Checked {
        audit,
        results,
        diagnostics,
    })
}

/// A diagnostic for a problem with the command line or the file system.
pub fn usage_error(message: impl Into<String>, path: &str) -> Diagnostic {
    Diagnostic::error("cli::io", message).at(Place::File {
        path: path.to_string(),
    })
}

//! `cpaudit check`: load, check and compute; print the diagnostics and key figures.

use super::{Format, report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit check [DIR]`.
pub fn run(dir: PathBuf, format: Format) -> ExitCode {
    match cpaudit::check(&dir) {
        Ok(checked) => {
            match format {
                Format::Human => {
                    report(&checked.diagnostics, &checked.audit.sources, format);
                    if let Some(results) = &checked.results {
                        eprint!("{}", cpaudit::view::summary(results));
                    }
                }
                Format::Json => {
                    let (errors, warnings) = checked.diagnostics.counts();
                    let results = checked
                        .results
                        .as_ref()
                        .map(|r| cpaudit::compute::results_json(&checked.audit, r));
                    let json = serde_json::json!({
                        "errors": errors,
                        "warnings": warnings,
                        "diagnostics": checked.diagnostics.sorted(),
                        "results": results,
                    });
                    out!(
                        "{}\n",
                        serde_json::to_string_pretty(&json).unwrap_or_default()
                    );
                }
            }
            if checked.diagnostics.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            report(&d, &[], format);
            ExitCode::from(1)
        }
    }
}

//! `cpaudit check`: load, check and compute; print the diagnostics and key figures.

use super::{Ui, ok, status};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit check [DIR] [--deny-warnings]`: the diagnostics on standard error, the
/// key figures and the counts on standard output.
pub fn run(dir: PathBuf, ui: Ui, deny_warnings: bool) -> ExitCode {
    let (diagnostics, sources, results) = match cpaudit::check(&dir) {
        Ok(checked) => {
            let results = checked.results.as_ref().map(|r| {
                (
                    cpaudit::view::summary(r),
                    cpaudit::compute::results_json(&checked.audit, r),
                )
            });
            (checked.diagnostics, checked.audit.sources, results)
        }
        // Not even loaded: the diagnostics say why.
        Err(d) => (d, Vec::new(), None),
    };
    let passed = ok(&diagnostics, deny_warnings);
    if ui.json() {
        let mut doc = diagnostics.envelope("check", passed, &sources);
        doc.insert(
            "results".into(),
            results.map(|(_, json)| json).unwrap_or_default(),
        );
        ui.print_json(doc);
    } else {
        ui.diagnostics(&diagnostics, &sources);
        if !ui.quiet {
            if let Some((summary, _)) = &results {
                out!("{summary}");
            }
            let (errors, warnings) = diagnostics.counts();
            out!("{errors} error(s), {warnings} warning(s)\n");
        }
        if deny_warnings && !passed && !diagnostics.has_errors() {
            eprintln!("error: warnings are denied (--deny-warnings)");
        }
    }
    status(&diagnostics, deny_warnings)
}

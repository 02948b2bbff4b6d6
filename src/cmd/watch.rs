//! `cpaudit watch`: rebuild on every change of an input.

use super::Ui;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit watch [DIR] [--out OUT]`; everything it prints is progress, on
/// standard error.
pub fn run(dir: PathBuf, out: Option<PathBuf>, ui: Ui) -> ExitCode {
    let out = out.unwrap_or_else(|| dir.join("build"));
    let style = cpaudit::watch::Style {
        color: ui.color,
        quiet: ui.quiet,
    };
    match cpaudit::watch::watch(&dir, &out, &mut std::io::stderr(), style) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ui.failure("watch", &e, Some(e.path())),
    }
}

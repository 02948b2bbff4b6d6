//! `cpaudit watch`: rebuild on every change of an input.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit watch [DIR] [--out OUT]`.
pub fn run(dir: PathBuf, out: Option<PathBuf>) -> ExitCode {
    let out = out.unwrap_or_else(|| dir.join("build"));
    match cpaudit::watch::watch(
        &dir,
        &out,
        &mut std::io::stderr(),
        std::io::stderr().is_terminal(),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

//! `cpaudit init`: a new audit folder.

use super::Ui;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit init DIR [--industry …]`: the files written on standard output, the
/// next steps on standard error.
pub fn run(dir: PathBuf, industry: cpaudit::init::Industry, ui: Ui) -> ExitCode {
    match cpaudit::init::init(&dir, industry, cpaudit::init::today()) {
        Ok(files) => {
            if !ui.quiet {
                out!("Wrote a new audit into {}:\n", dir.display());
                for f in files {
                    out!("  {f}\n");
                }
            }
            ui.note(format_args!(
                "Next: edit the files (every （待填写）/(to be completed) is a placeholder), then `cpaudit check {0}` and `cpaudit build {0}`.",
                dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => ui.failure("init", &e, e.path()),
    }
}

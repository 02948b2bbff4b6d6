//! `cpaudit clean`: remove what cpaudit wrote into the output folder.

use super::Ui;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit clean [DIR] [--out OUT]`: what was removed on standard output; a
/// folder cpaudit did not write is refused with the reason (exit status 2).
pub fn run(dir: PathBuf, out: Option<PathBuf>, ui: Ui) -> ExitCode {
    let out = out.unwrap_or_else(|| dir.join("build"));
    match cpaudit::output::clean(&out, &dir) {
        Ok(cleaned) => {
            for note in &cleaned.notes {
                if !ui.quiet {
                    eprintln!("warning: {note}");
                }
            }
            for f in &cleaned.kept {
                ui.note(format_args!(
                    "kept {}: cpaudit did not write it",
                    out.join(f).display()
                ));
            }
            if !ui.quiet {
                if cleaned.removed.is_empty() && cleaned.staging.is_empty() {
                    out!("nothing to clean in {}\n", out.display());
                } else {
                    out!(
                        "removed {} file(s) from {}",
                        cleaned.removed.len(),
                        out.display()
                    );
                    if !cleaned.staging.is_empty() {
                        out!(
                            " and {} folder(s) left by interrupted builds",
                            cleaned.staging.len()
                        );
                    }
                    out!("\n");
                }
            }
            for f in &cleaned.removed {
                ui.detail(format_args!("removed {}", out.join(f).display()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => ui.failure("clean", &e, Some(e.path())),
    }
}

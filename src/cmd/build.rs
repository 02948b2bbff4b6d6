//! `cpaudit build`: build the audit and print what was written.

use super::{Format, report};
use cpaudit::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit build DIR [--out OUT] [--emit-typst DIR]`.
pub fn run(
    dir: PathBuf,
    out: Option<PathBuf>,
    emit_typst: Option<PathBuf>,
    format: Format,
) -> ExitCode {
    let out = out.unwrap_or_else(|| dir.join("build"));
    let opts = BuildOptions {
        root: dir.clone(),
        out: out.clone(),
        emit_typst,
    };
    // A progress bar on a terminal once the build has taken a moment; none in
    // pipes, CI logs or JSON mode.
    let bar = match format {
        Format::Human => {
            cpaudit::progress::TerminalProgress::new(std::time::Duration::from_millis(700))
        }
        Format::Json => cpaudit::progress::TerminalProgress::disabled(),
    };
    let result = cpaudit::build_with(&opts, None, &|step| bar.step(step));
    bar.finish();
    match result {
        Ok((built, checked)) => {
            if format == Format::Human {
                // In JSON the diagnostics are part of the one document below.
                report(&built.diagnostics, &checked.audit.sources, format);
                eprintln!("Built {}:", out.display());
                for f in &built.files {
                    let pages = built
                        .pages
                        .iter()
                        .find(|(n, _)| n == f)
                        .map(|(_, p)| format!(" ({p} pages)"))
                        .unwrap_or_default();
                    eprintln!("  {f}{pages}");
                }
            } else {
                out!(
                    "{}\n",
                    serde_json::json!({"status": "built", "out": out, "files": built.files, "diagnostics": built.diagnostics})
                );
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Audit(d, sources)) => {
            report(&d, &sources, format);
            if format == Format::Human {
                eprintln!("Build failed; the previous output, if any, is unchanged.");
            }
            ExitCode::from(1)
        }
        Err(BuildError::Io(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

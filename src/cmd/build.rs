//! `cpaudit build`: build the audit and print what was written.

use super::{Ui, ok, status};
use cpaudit::progress::BuildStep;
use cpaudit::{BuildError, BuildOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Runs `cpaudit build DIR [--out OUT] [--emit-typst DIR] [--deny-warnings]`: the
/// diagnostics and progress on standard error, the files written on standard output.
pub fn run(
    dir: PathBuf,
    out: Option<PathBuf>,
    emit_typst: Option<PathBuf>,
    ui: Ui,
    deny_warnings: bool,
) -> ExitCode {
    let out = out.unwrap_or_else(|| dir.join("build"));
    let opts = BuildOptions {
        root: dir.clone(),
        out: out.clone(),
        emit_typst,
    };
    // A progress bar on a terminal once the build has taken a moment; none in pipes,
    // CI logs, JSON mode, quiet or verbose mode (which prints each step instead).
    let bar = if ui.chatty() && !ui.verbose {
        cpaudit::progress::TerminalProgress::new(std::time::Duration::from_millis(700))
    } else {
        cpaudit::progress::TerminalProgress::disabled()
    };
    let start = Instant::now();
    let result = cpaudit::build_with(&opts, None, &|step| {
        bar.step(step);
        let at = start.elapsed().as_secs_f64();
        match step {
            BuildStep::Checked => {
                ui.detail(format_args!("{at:7.2} s  loaded, checked and computed"))
            }
            BuildStep::Hashed => ui.detail(format_args!(
                "{at:7.2} s  inputs copied and hashed into the pack"
            )),
            BuildStep::Typeset {
                file,
                pdf,
                done,
                total,
            } => ui.detail(format_args!(
                "{at:7.2} s  typeset {file} ({done}/{total}){}",
                if pdf.is_none() { ", failed" } else { "" }
            )),
            BuildStep::Written => ui.detail(format_args!("{at:7.2} s  output written")),
        }
    });
    bar.finish();
    match result {
        Ok((built, checked)) => {
            let d = &built.diagnostics;
            let sources = &checked.audit.sources;
            let passed = ok(d, deny_warnings);
            if ui.json() {
                let mut doc = d.envelope("build", passed, sources);
                doc.insert("out".into(), out.display().to_string().into());
                doc.insert(
                    "outputs".into(),
                    built
                        .files
                        .iter()
                        .map(|f| {
                            let pages = built.pages.iter().find(|(n, _)| n == f).map(|(_, p)| *p);
                            serde_json::json!({"file": f, "pages": pages})
                        })
                        .collect(),
                );
                doc.insert("evidence_root".into(), built.evidence_root.clone().into());
                ui.print_json(doc);
            } else {
                ui.diagnostics(d, sources);
                ui.counts(d);
                if !ui.quiet {
                    out!("Built {}:\n", out.display());
                    for f in &built.files {
                        let pages = built
                            .pages
                            .iter()
                            .find(|(n, _)| n == f)
                            .map(|(_, p)| format!(" ({p} pages)"))
                            .unwrap_or_default();
                        out!("  {f}{pages}\n");
                    }
                }
                if !passed {
                    eprintln!(
                        "error: warnings are denied (--deny-warnings); the output was written, but the build counts as failed"
                    );
                }
            }
            status(d, deny_warnings)
        }
        Err(BuildError::Audit(d, sources)) => {
            if ui.json() {
                let mut doc = d.envelope("build", false, &sources);
                doc.insert("out".into(), out.display().to_string().into());
                doc.insert("outputs".into(), serde_json::Value::Array(Vec::new()));
                ui.print_json(doc);
            } else {
                ui.diagnostics(&d, &sources);
                ui.counts(&d);
                eprintln!("Build failed; the previous output, if any, is unchanged.");
            }
            ExitCode::from(1)
        }
        Err(e) => ui.failure("build", &e, e.path()),
    }
}

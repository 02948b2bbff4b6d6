//! `cpaudit schema`: the JSON Schemas of the YAML files, or the folder reference.

use super::Ui;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit schema [--out DIR] [--markdown]`.
pub fn run(out: Option<PathBuf>, markdown: bool, ui: Ui) -> ExitCode {
    if markdown {
        out!("{}", cpaudit::schema::reference_markdown());
        return ExitCode::SUCCESS;
    }
    match out {
        Some(out) => match cpaudit::schema::write(&out) {
            Ok(files) => {
                if !ui.quiet {
                    for f in files {
                        out!("wrote {f}\n");
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => ui.failure("schema", &e, Some(&e.path)),
        },
        None => {
            let all = cpaudit::schema::schemas();
            out!("{}", cpaudit::schema::to_text(&all[0].schema));
            ExitCode::SUCCESS
        }
    }
}

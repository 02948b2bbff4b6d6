//! One module per verb: each runs the library and prints the outcome; `main.rs` only
//! parses the command line and dispatches.

pub mod build;
pub mod check;
pub mod init;
pub mod schema;
pub mod verify;
pub mod watch;

use clap::ValueEnum;
use cpaudit::diag::Diagnostics;
use std::io::IsTerminal;

/// How a command prints its outcome.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, with source snippets.
    Human,
    /// One JSON document on standard output, for scripts and editors.
    Json,
}

pub fn report_diags(d: &Diagnostics, format: Format) {
    report(d, &[], format)
}

pub fn report(d: &Diagnostics, sources: &[cpaudit::model::SourceFile], format: Format) {
    match format {
        Format::Human => {
            let color = std::io::stderr().is_terminal();
            eprint!("{}", d.render_human(sources, color));
        }
        Format::Json => println!("{}", d.render_json()),
    }
}

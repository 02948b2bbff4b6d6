//! One module per verb: each runs the library and prints the outcome; `main.rs` only
//! parses the command line and dispatches.

/// `println!` to standard output, except that a reader that went away (`cpaudit check
/// --format json | head`) ends the program quietly, as Unix tools do, instead of a panic.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = write!(stdout, $($arg)*).and_then(|_| stdout.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("error: cannot write to standard output: {e}");
            std::process::exit(2);
        }
    }};
}

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
        Format::Json => out!("{}\n", d.render_json()),
    }
}

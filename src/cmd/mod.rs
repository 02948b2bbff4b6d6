//! One module per verb: each runs the library and prints the outcome; `main.rs` only
//! parses the command line and dispatches.
//!
//! The conventions every verb keeps: results (check's figures and counts, build's files,
//! verify's verdict, any JSON) on standard output; progress, notes, warnings and errors
//! on standard error. `--format json` prints one JSON document of one shape for every
//! verb (docs/json.md), also for a usage or I/O failure. Colour only where [`Ui`] says.

/// `print!` to standard output, except that a reader that went away (`cpaudit check
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
pub mod clean;
pub mod init;
pub mod schema;
pub mod verify;
pub mod watch;

use clap::ValueEnum;
use cpaudit::diag::{Diagnostic, Diagnostics, Place, Severity};
use cpaudit::model::SourceFile;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// How a command prints its outcome.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people, with source snippets.
    Human,
    /// One JSON document on standard output, for scripts and editors (docs/json.md).
    Json,
}

/// `--color`: when to colour.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the environment variable NO_COLOR is set (and not empty).
    Auto,
    /// Always, even into a file or a pipe, and even with NO_COLOR.
    Always,
    /// Never.
    Never,
}

/// How much to print, in which format, with or without colour.
#[derive(Clone, Copy)]
pub struct Ui {
    /// Human or JSON.
    pub format: Format,
    /// Colour on standard error.
    pub color: bool,
    /// Errors only.
    pub quiet: bool,
    /// Steps with their times, and notes.
    pub verbose: bool,
}

impl Ui {
    /// The settings of the global options; human output.
    pub fn new(color: ColorChoice, quiet: bool, verbose: bool) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
        };
        Ui {
            format: Format::Human,
            color,
            quiet,
            verbose,
        }
    }

    /// The same, printing in `format`.
    pub fn with(self, format: Format) -> Ui {
        Ui { format, ..self }
    }

    /// Whether the output is one JSON document.
    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    /// Whether progress and notes go to standard error: human output, not quiet.
    pub fn chatty(&self) -> bool {
        !self.json() && !self.quiet
    }

    /// A line of progress or a note, on standard error (nothing when quiet or in JSON).
    pub fn note(&self, text: impl std::fmt::Display) {
        if self.chatty() {
            eprintln!("{text}");
        }
    }

    /// A line of detail, on standard error, with `--verbose` only.
    pub fn detail(&self, text: impl std::fmt::Display) {
        if self.verbose && self.chatty() {
            eprintln!("{text}");
        }
    }

    /// The diagnostics for a person, on standard error, errors first, without the count
    /// line: all of them, or the errors only when quiet. Nothing in JSON (the diagnostics
    /// are part of the one document).
    pub fn diagnostics(&self, d: &Diagnostics, sources: &[SourceFile]) {
        if self.json() {
            return;
        }
        let least = if self.quiet {
            Severity::Error
        } else {
            Severity::Info
        };
        eprint!("{}", d.render_list(sources, self.color, least));
    }

    /// `2 error(s), 5 warning(s)` on standard error, when there are any (not when quiet).
    pub fn counts(&self, d: &Diagnostics) {
        if self.chatty() {
            eprint!("{}", d.count_line());
        }
    }

    /// Prints one JSON document on standard output.
    pub fn print_json(&self, doc: serde_json::Map<String, serde_json::Value>) {
        out!(
            "{}\n",
            serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap_or_default()
        );
    }

    /// A failure outside the audit's contents (a file that cannot be read or written, an
    /// output folder that is not cpaudit's): `error: …` naming the file and the cause on
    /// standard error and, in JSON, the document of a failed `command` with one `cli::io`
    /// diagnostic at `path`. Exit status 2.
    pub fn failure(
        &self,
        command: &str,
        e: &(dyn std::error::Error + 'static),
        path: Option<&Path>,
    ) -> ExitCode {
        let message = cpaudit::error::chain(e);
        // On standard error in either format: a script that reads the JSON and a person
        // who reads the terminal both learn what failed.
        eprintln!("error: {message}");
        if self.json() {
            let mut d = Diagnostic::error("cli::io", message);
            if let Some(p) = path {
                d = d.at(Place::File {
                    path: p.display().to_string(),
                });
            }
            self.print_json(Diagnostics(vec![d]).envelope(command, false, &[]));
        }
        ExitCode::from(2)
    }
}

/// The exit status of a run whose diagnostics are `d`: 1 when there is an error, or a
/// warning under `--deny-warnings`; 0 otherwise.
pub fn status(d: &Diagnostics, deny_warnings: bool) -> ExitCode {
    if ok(d, deny_warnings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Whether a run with diagnostics `d` succeeded, as JSON's `ok` says.
pub fn ok(d: &Diagnostics, deny_warnings: bool) -> bool {
    let (errors, warnings) = d.counts();
    errors == 0 && !(deny_warnings && warnings > 0)
}

/// A command line clap refused. Help and version are printed as usual; any other error
/// is printed by clap (exit status 2), or, when the command line asks for
/// `--format json`, as the JSON document of a failed command with one `cli::usage`
/// diagnostic, so that a script always gets JSON.
pub fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let wants_json = args
        .windows(2)
        .any(|w| w[0] == "--format" && w[1] == "json")
        || args.iter().any(|a| a == "--format=json");
    let informational = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !wants_json || informational {
        e.exit();
    }
    const VERBS: [&str; 8] = [
        "build",
        "verify",
        "init",
        "schema",
        "watch",
        "check",
        "clean",
        "completions",
    ];
    let command = args
        .iter()
        .find(|a| VERBS.contains(&a.as_str()))
        .map_or("cpaudit", String::as_str);
    // clap's text without styles: the first line (`error: …`) is the message, the rest
    // (usage, `--help`) the help.
    let text = e.render().to_string();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let message = lines
        .next()
        .unwrap_or("invalid command line")
        .trim_start_matches("error: ")
        .to_string();
    let help: Vec<&str> = lines.map(str::trim).collect();
    let mut d = Diagnostic::error("cli::usage", message);
    if !help.is_empty() {
        d = d.help(help.join(" "));
    }
    let doc = Diagnostics(vec![d]).envelope(command, false, &[]);
    out!(
        "{}\n",
        serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap_or_default()
    );
    ExitCode::from(2)
}

/// `cpaudit completions SHELL`: the completion script on standard output.
pub fn completions(shell: clap_complete::Shell, mut command: clap::Command) -> ExitCode {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "cpaudit", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    ExitCode::SUCCESS
}

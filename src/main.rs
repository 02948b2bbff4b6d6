//! The `cpaudit` command line: parses the arguments and dispatches to one module per
//! verb ([`cmd`]), which runs the library, prints the outcome and maps it to an exit
//! status (0 ok, 1 the audit has errors, or warnings under `--deny-warnings`, 2 usage
//! or I/O).

mod cmd;

use clap::{Parser, Subcommand, ValueHint};
use cmd::{ColorChoice, Format, Ui};
use std::path::PathBuf;
use std::process::ExitCode;

/// Build tool for cleaner production audits (清洁生产审核): balances, economics,
/// bilingual reports and disclosure notices from an audit folder.
///
/// Results go to standard output; progress, warnings and errors to standard error.
#[derive(Parser)]
#[command(name = "cpaudit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output: `auto` colours on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print errors only: no warnings, no progress, no summaries.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each step of a build with its time, and notes (files skipped).
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Load, check, compute and typeset the audit into build/ (reports, notices, results.json).
    Build {
        /// The audit folder.
        #[arg(default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// Output folder [default: DIR/build].
        #[arg(short, long, value_hint = ValueHint::DirPath)]
        out: Option<PathBuf>,
        /// Also write each document's generated Typst source into this folder.
        #[arg(long, value_hint = ValueHint::DirPath)]
        emit_typst: Option<PathBuf>,
        /// How to print the outcome.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with status 1 when there is any warning (the output is still written).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Check an evidence pack: every manifest, every hash, every file, the tag files;
    /// optionally rebuild. Given a PDF and `--pack`, check that the PDF is a document of
    /// that pack, byte for byte.
    Verify {
        /// The pack (a BagIt bag, e.g. build/pack), or a PDF built by cpaudit.
        #[arg(value_hint = ValueHint::AnyPath)]
        target: PathBuf,
        /// The pack to check a PDF against.
        #[arg(long, value_hint = ValueHint::DirPath)]
        pack: Option<PathBuf>,
        /// Also rebuild the documents from the pack's inputs and compare them byte for
        /// byte, both ways: every document packed is rebuilt and every document rebuilt
        /// is packed.
        #[arg(long, conflicts_with = "pack")]
        rebuild: bool,
        /// Internal: read a PDF on standard input and print its metadata keywords as
        /// JSON, within bounds of memory and time (cpaudit runs itself so to parse PDFs).
        #[arg(long, hide = true)]
        pdf_keywords: bool,
        /// How to print the result.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a new audit folder: YAML files with comments, schemas, workbook templates.
    Init {
        /// The new folder (created; must be empty if it exists).
        #[arg(value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// The industry whose example rows (pollutants, limits, products) to write.
        #[arg(long, value_enum, default_value_t = cpaudit::init::Industry::Dyeing)]
        industry: cpaudit::init::Industry,
    },
    /// Write the JSON Schemas of the audit folder's YAML files, or the folder reference.
    Schema {
        /// Folder to write the schemas into [default: print the audit.yaml schema].
        #[arg(short, long, value_hint = ValueHint::DirPath)]
        out: Option<PathBuf>,
        /// Print the audit-folder reference (docs/reference.md) as Markdown instead.
        #[arg(long, conflicts_with = "out")]
        markdown: bool,
    },
    /// Rebuild the audit on every change of its inputs, until interrupted.
    Watch {
        /// The audit folder.
        #[arg(default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// Output folder [default: DIR/build].
        #[arg(short, long, value_hint = ValueHint::DirPath)]
        out: Option<PathBuf>,
    },
    /// Load, check and compute the audit; print diagnostics and key figures; write nothing.
    Check {
        /// The audit folder.
        #[arg(default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// How to print the outcome.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with status 1 when there is any warning.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Remove what cpaudit wrote into the output folder (and what interrupted builds
    /// left beside it); refuse a folder cpaudit did not write.
    Clean {
        /// The audit folder.
        #[arg(default_value = ".", value_hint = ValueHint::DirPath)]
        dir: PathBuf,
        /// Output folder [default: DIR/build].
        #[arg(short, long, value_hint = ValueHint::DirPath)]
        out: Option<PathBuf>,
    },
    /// Print a completion script for a shell, e.g. `cpaudit completions bash >
    /// /etc/bash_completion.d/cpaudit`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cmd::usage_error(e),
    };
    let ui = Ui::new(cli.color, cli.quiet, cli.verbose);
    match cli.command {
        Command::Build {
            dir,
            out,
            emit_typst,
            format,
            deny_warnings,
        } => cmd::build::run(dir, out, emit_typst, ui.with(format), deny_warnings),
        Command::Verify {
            target,
            pack,
            rebuild,
            pdf_keywords,
            format,
        } => cmd::verify::run(target, pack, rebuild, pdf_keywords, ui.with(format)),
        Command::Init { dir, industry } => cmd::init::run(dir, industry, ui),
        Command::Schema { out, markdown } => cmd::schema::run(out, markdown, ui),
        Command::Watch { dir, out } => cmd::watch::run(dir, out, ui),
        Command::Check {
            dir,
            format,
            deny_warnings,
        } => cmd::check::run(dir, ui.with(format), deny_warnings),
        Command::Clean { dir, out } => cmd::clean::run(dir, out, ui),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            cmd::completions(shell, Cli::command())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

//! The `cpaudit` command line: parses arguments, calls the library, prints diagnostics
//! and maps the outcome to an exit status (0 ok, 1 the audit has errors, 2 usage or I/O).

use clap::{Parser, Subcommand, ValueEnum, ValueHint};
use cpaudit::diag::Diagnostics;
use cpaudit::{BuildError, BuildOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Build tool for cleaner production audits (清洁生产审核): balances, economics,
/// bilingual reports and disclosure notices from an audit folder.
#[derive(Parser)]
#[command(name = "cpaudit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// For people, with source snippets.
    Human,
    /// One JSON document on standard output, for scripts and editors.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            out,
            emit_typst,
            format,
        } => {
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
                        println!(
                            "{}",
                            serde_json::json!({"status": "built", "out": out, "files": built.files, "diagnostics": built.diagnostics})
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Audit(d)) => {
                    let sources = cpaudit::load::load(&dir)
                        .map(|(a, _)| a.sources)
                        .unwrap_or_default();
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
        Command::Verify {
            target,
            pack,
            rebuild,
            format,
        } => match pack {
            Some(pack) => verify_pdf(&target, &pack, format),
            None => verify(&target, rebuild, format),
        },
        Command::Init { dir, industry } => {
            match cpaudit::init::init(&dir, industry, cpaudit::init::today()) {
                Ok(files) => {
                    eprintln!("Wrote a new audit into {}:", dir.display());
                    for f in files {
                        eprintln!("  {f}");
                    }
                    eprintln!(
                        "Next: edit the files (every （待填写）/(to be completed) is a placeholder), then `cpaudit check {0}` and `cpaudit build {0}`.",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Schema { out, markdown } => {
            if markdown {
                print!("{}", cpaudit::schema::reference_markdown());
                return ExitCode::SUCCESS;
            }
            match out {
                Some(out) => match cpaudit::schema::write(&out) {
                    Ok(files) => {
                        for f in files {
                            eprintln!("wrote {f}");
                        }
                        ExitCode::SUCCESS
                    }
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::from(2)
                    }
                },
                None => {
                    let all = cpaudit::schema::schemas();
                    print!("{}", cpaudit::schema::to_text(&all[0].schema));
                    ExitCode::SUCCESS
                }
            }
        }
        Command::Watch { dir, out } => {
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
        Command::Check { dir, format } => match cpaudit::check(&dir) {
            Ok(checked) => {
                match format {
                    Format::Human => {
                        report(&checked.diagnostics, &checked.audit.sources, format);
                        if let Some(results) = &checked.results {
                            eprint!("{}", cpaudit::compute::summary(results));
                        }
                    }
                    Format::Json => {
                        let (errors, warnings) = checked.diagnostics.counts();
                        let results = checked
                            .results
                            .as_ref()
                            .map(|r| cpaudit::compute::results_json(&checked.audit, r));
                        let json = serde_json::json!({
                            "errors": errors,
                            "warnings": warnings,
                            "diagnostics": checked.diagnostics.sorted(),
                            "results": results,
                        });
                        println!(
                            "{}",
                            serde_json::to_string_pretty(&json).unwrap_or_default()
                        );
                    }
                }
                if checked.diagnostics.has_errors() {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(d) => {
                report(&d, &[], format);
                ExitCode::from(1)
            }
        },
    }
}

fn verify(pack: &std::path::Path, rebuild: bool, format: Format) -> ExitCode {
    // A progress bar on a terminal for packs worth waiting for; nothing in CI or pipes.
    let bar = indicatif::ProgressBar::hidden();
    let start = |total: u64| {
        if total >= 64 << 20 && std::io::stderr().is_terminal() {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            bar.set_length(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "hashing {bar:40} {bytes}/{total_bytes} {bytes_per_sec}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
    };
    let advance = |n: u64| bar.inc(n);
    let report = cpaudit::pack::verify_with_progress(pack, &start, &advance);
    bar.finish_and_clear();
    let report = match report {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mismatches = if rebuild && report.ok() {
        match cpaudit::rebuild(pack) {
            Ok(m) => Some(m),
            Err(BuildError::Audit(d)) => {
                report_diags(&d, format);
                eprintln!("error: the pack's inputs do not build");
                return ExitCode::from(1);
            }
            Err(BuildError::Io(message)) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let ok = report.ok() && mismatches.as_ref().is_none_or(|m| m.is_empty());
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "valid": ok,
                "report": report,
                "rebuild": mismatches,
            }))
            .unwrap_or_default()
        ),
        Format::Human => {
            for p in &report.problems {
                eprintln!("FAILED  {}: {} ({})", p.path, p.detail, p.kind);
            }
            for m in mismatches.iter().flatten() {
                eprintln!("DIFFERS {}: {} ({})", m.file, m.detail, m.kind);
            }
            eprintln!(
                "{} files, {} bytes; audit {}; evidence root {}",
                report.files,
                report.bytes,
                report.identifier.as_deref().unwrap_or("?"),
                report.evidence_root.as_deref().unwrap_or("?")
            );
            if let Some(m) = &mismatches
                && m.is_empty()
            {
                eprintln!("rebuild: every document reproduced byte for byte");
            }
            eprintln!(
                "{}",
                if ok {
                    "pack is valid"
                } else {
                    "pack is NOT valid"
                }
            );
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Checks that a PDF is a document of a pack: its bytes are those of a document the
/// pack holds, the pack verifies, and the evidence root in the PDF's metadata is the
/// pack's.
fn verify_pdf(pdf: &std::path::Path, pack: &std::path::Path, format: Format) -> ExitCode {
    let r = match cpaudit::pack::verify_pdf(pdf, pack) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let ok = r.ok();
    match format {
        Format::Json => {
            let problems: Vec<_> = r.problems.iter().chain(&r.pack.problems).collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "valid": ok,
                    "pdf": r.file,
                    "bytes": r.bytes,
                    "sha256": r.sha256,
                    "packed_as": r.packed_as,
                    "pdf_evidence_root": r.pdf_evidence_root,
                    "pack_evidence_root": r.pack.evidence_root,
                    "problems": problems,
                    "pack_problems": r.pack.problems,
                    "pack": r.pack,
                }))
                .unwrap_or_default()
            );
        }
        Format::Human => {
            for p in r.pack.problems.iter().chain(&r.problems) {
                eprintln!("FAILED  {}: {} ({})", p.path, p.detail, p.kind);
            }
            eprintln!(
                "PDF:                           {} ({} bytes)",
                r.file, r.bytes
            );
            eprintln!("its SHA-256:                   {}", r.sha256);
            eprintln!(
                "in the pack as:                {}",
                r.packed_as
                    .as_deref()
                    .unwrap_or("none: no document of the pack has these bytes")
            );
            eprintln!(
                "evidence root in its metadata: {}",
                r.pdf_evidence_root.as_deref().unwrap_or("none")
            );
            eprintln!(
                "evidence root of the pack:     {}",
                r.pack.evidence_root.as_deref().unwrap_or("?")
            );
            eprintln!(
                "{}",
                if ok {
                    "the PDF is a document of this pack, byte for byte, and the pack verifies"
                } else if r.packed_as.is_none() {
                    "the PDF is NOT a document of this pack"
                } else if !r.pack.ok() {
                    "the PDF is in the pack but the pack does NOT verify"
                } else {
                    "the PDF is in the pack but does NOT state the pack's evidence root"
                }
            );
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn report_diags(d: &Diagnostics, format: Format) {
    report(d, &[], format)
}

fn report(d: &Diagnostics, sources: &[cpaudit::model::SourceFile], format: Format) {
    match format {
        Format::Human => {
            let color = std::io::stderr().is_terminal();
            eprint!("{}", d.render_human(sources, color));
        }
        Format::Json => println!("{}", d.render_json()),
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

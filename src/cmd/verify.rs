//! `cpaudit verify`: a pack (every hash, every file, optionally a rebuild), or a PDF
//! against a pack.

use super::{Format, report_diags};
use cpaudit::BuildError;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit verify TARGET [--pack PACK] [--rebuild]`.
pub fn run(
    target: PathBuf,
    pack: Option<PathBuf>,
    rebuild: bool,
    pdf_keywords: bool,
    format: Format,
) -> ExitCode {
    if pdf_keywords {
        return ExitCode::from(cpaudit::pack::pdf_keywords_child());
    }
    // PDFs from a pack or a sender are parsed in a child process, bounded.
    if let Ok(exe) = std::env::current_exe() {
        cpaudit::pack::parse_pdfs_in_child(exe);
    }
    match pack {
        Some(pack) => verify_pdf(&target, &pack, format),
        None => verify(&target, rebuild, format),
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
            Err(BuildError::Audit(d, _)) => {
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
        Format::Json => out!(
            "{}\n",
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
            out!(
                "{}\n",
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

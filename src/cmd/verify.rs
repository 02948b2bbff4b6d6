//! `cpaudit verify`: a pack (every hash, every file, optionally a rebuild), or a PDF
//! against a pack.

use super::Ui;
use cpaudit::BuildError;
use cpaudit::pack::Problem;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Runs `cpaudit verify TARGET [--pack PACK] [--rebuild]`: each problem on standard
/// error, the report and the verdict on standard output.
pub fn run(
    target: PathBuf,
    pack: Option<PathBuf>,
    rebuild: bool,
    pdf_keywords: bool,
    ui: Ui,
) -> ExitCode {
    if pdf_keywords {
        return ExitCode::from(cpaudit::pack::pdf_keywords_child());
    }
    // PDFs from a pack or a sender are parsed in a child process, bounded.
    if let Ok(exe) = std::env::current_exe() {
        cpaudit::pack::parse_pdfs_in_child(exe);
    }
    match pack {
        Some(pack) => verify_pdf(&target, &pack, ui),
        None => verify(&target, rebuild, ui),
    }
}

/// The problems of a verification as diagnostics of the JSON document: errors with the
/// code `verify::KIND`, at the file concerned.
fn problems_json<'a>(
    problems: impl Iterator<Item = &'a Problem>,
    mismatches: &[cpaudit::Mismatch],
) -> Vec<serde_json::Value> {
    let one = |kind: &str, path: &str, detail: &str| {
        serde_json::json!({
            "severity": "error",
            "code": format!("verify::{kind}"),
            "message": detail,
            "place": {"kind": "file", "path": path},
            "help": null,
            "related": [],
        })
    };
    problems
        .map(|p| one(p.kind, &p.path, &p.detail))
        .chain(mismatches.iter().map(|m| one(m.kind, &m.file, &m.detail)))
        .collect()
}

/// The envelope of `verify`'s JSON document (docs/json.md), its diagnostics the problems.
fn envelope(
    ok: bool,
    diagnostics: Vec<serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut doc = cpaudit::diag::Diagnostics::default().envelope("verify", ok, &[]);
    doc.insert("errors".into(), diagnostics.len().into());
    doc.insert("diagnostics".into(), diagnostics.into());
    doc.insert("valid".into(), ok.into());
    doc
}

fn verify(pack: &std::path::Path, rebuild: bool, ui: Ui) -> ExitCode {
    // A progress bar on a terminal for packs worth waiting for; nothing in CI or pipes.
    let bar = indicatif::ProgressBar::hidden();
    let start = |total: u64| {
        if total >= 64 << 20 && ui.chatty() && std::io::stderr().is_terminal() {
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
        Err(e) => return ui.failure("verify", &e, Some(e.path())),
    };
    let mismatches = if rebuild && report.ok() {
        ui.note("rebuilding the documents from the pack's inputs…");
        match cpaudit::rebuild(pack) {
            Ok(m) => Some(m),
            Err(BuildError::Audit(d, sources)) => {
                if ui.json() {
                    let mut doc = d.envelope("verify", false, &sources);
                    doc.insert("valid".into(), false.into());
                    doc.insert(
                        "report".into(),
                        serde_json::to_value(&report).unwrap_or_default(),
                    );
                    ui.print_json(doc);
                } else {
                    ui.diagnostics(&d, &sources);
                }
                eprintln!("error: the pack's inputs do not build");
                return ExitCode::from(1);
            }
            Err(e) => return ui.failure("verify", &e, e.path()),
        }
    } else {
        None
    };
    let ok = report.ok() && mismatches.as_ref().is_none_or(|m| m.is_empty());
    if ui.json() {
        let mut doc = envelope(
            ok,
            problems_json(
                report.problems.iter(),
                mismatches.as_deref().unwrap_or_default(),
            ),
        );
        doc.insert(
            "report".into(),
            serde_json::to_value(&report).unwrap_or_default(),
        );
        doc.insert(
            "rebuild".into(),
            serde_json::to_value(&mismatches).unwrap_or_default(),
        );
        ui.print_json(doc);
    } else {
        for p in &report.problems {
            eprintln!("FAILED  {}: {} ({})", p.path, p.detail, p.kind);
        }
        for m in mismatches.iter().flatten() {
            eprintln!("DIFFERS {}: {} ({})", m.file, m.detail, m.kind);
        }
        if !ui.quiet {
            out!(
                "{} files, {} bytes; audit {}; evidence root {}\n",
                report.files,
                report.bytes,
                report.identifier.as_deref().unwrap_or("?"),
                report.evidence_root.as_deref().unwrap_or("?")
            );
            if let Some(m) = &mismatches
                && m.is_empty()
            {
                out!("rebuild: every document reproduced byte for byte\n");
            }
            out!(
                "{}\n",
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
fn verify_pdf(pdf: &std::path::Path, pack: &std::path::Path, ui: Ui) -> ExitCode {
    let r = match cpaudit::pack::verify_pdf(pdf, pack) {
        Ok(r) => r,
        Err(e) => return ui.failure("verify", &e, Some(e.path())),
    };
    let ok = r.ok();
    if ui.json() {
        let problems: Vec<_> = r.problems.iter().chain(&r.pack.problems).collect();
        let mut doc = envelope(ok, problems_json(problems.iter().copied(), &[]));
        let fields = serde_json::json!({
            "pdf": r.file,
            "bytes": r.bytes,
            "sha256": r.sha256,
            "packed_as": r.packed_as,
            "pdf_evidence_root": r.pdf_evidence_root,
            "pack_evidence_root": r.pack.evidence_root,
            "problems": problems,
            "pack_problems": r.pack.problems,
            "pack": r.pack,
        });
        if let serde_json::Value::Object(fields) = fields {
            doc.extend(fields);
        }
        ui.print_json(doc);
    } else {
        for p in r.pack.problems.iter().chain(&r.problems) {
            eprintln!("FAILED  {}: {} ({})", p.path, p.detail, p.kind);
        }
        if !ui.quiet {
            out!(
                "PDF:                           {} ({} bytes)\n",
                r.file,
                r.bytes
            );
            out!("its SHA-256:                   {}\n", r.sha256);
            out!(
                "in the pack as:                {}\n",
                r.packed_as
                    .as_deref()
                    .unwrap_or("none: no document of the pack has these bytes")
            );
            out!(
                "evidence root in its metadata: {}\n",
                r.pdf_evidence_root.as_deref().unwrap_or("none")
            );
            out!(
                "evidence root of the pack:     {}\n",
                r.pack.evidence_root.as_deref().unwrap_or("?")
            );
            out!(
                "{}\n",
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

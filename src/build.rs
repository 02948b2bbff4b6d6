//! `cpaudit build`: the pipeline as one small function per stage.
//!
//! ```text
//! check ─▶ prepare the output ─▶ copy and hash the inputs into the pack ─▶ contexts
//!       ─▶ (emit the Typst sources) ─▶ typeset ─▶ complete the pack ─▶ swap the output in
//! ```
//!
//! Nothing reaches the output folder before the last step ([`crate::output`]), except the
//! Chinese report that `watch` shows at once.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::error::FileError;
use crate::model::{self, Audit, Lang};
use crate::render::{self, DocKind, RenderInput};
use crate::{Checked, check, compute, load, load_check_compute, output, pack, progress};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The audit folder.
    pub root: PathBuf,
    /// Where the documents go (default `root/build`).
    pub out: PathBuf,
    /// Also write each document's generated Typst source here.
    pub emit_typst: Option<PathBuf>,
}

/// A build that succeeded.
pub struct Built {
    /// Files written, relative to the output folder.
    pub files: Vec<String>,
    /// Pages per document.
    pub pages: Vec<(String, usize)>,
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// The evidence root printed in the documents.
    pub evidence_root: String,
}

/// Why a build failed: the audit's errors (exit status 1), or a failure of the file
/// system or of the output folder (exit status 2), which names its file
/// ([`BuildError::path`]) and carries its cause (`source()`).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The audit has errors; the diagnostics say which, with the texts of the YAML files
    /// they point into, for the printer's snippets.
    #[error("the audit has errors")]
    Audit(Diagnostics, Vec<model::SourceFile>),
    /// The output folder may not be written, or writing it failed.
    #[error(transparent)]
    Output(#[from] output::OutputError),
    /// The evidence pack could not be written.
    #[error(transparent)]
    Pack(#[from] pack::PackError),
    /// Reading or writing a file failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// A YAML file changed between its loading and its copy into the pack.
    #[error("`{}` changed while the build ran (after it was read, before it was packed); build again once every file is saved", file.display())]
    ChangedAfterLoad {
        /// The file, relative to the audit folder.
        file: PathBuf,
    },
    /// Inputs changed while the build ran.
    #[error("{} changed while the build ran, so the pack would not hold what the folder holds; build again once every file is saved", files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))]
    Changed {
        /// The files, relative to the audit folder.
        files: Vec<String>,
    },
    /// `--emit-typst` and the output folder overlap.
    #[error("`--emit-typst {}` and the output folder `{}` overlap; give the Typst sources a folder of their own, beside the output", emit.display(), out.display())]
    Overlap {
        /// The `--emit-typst` folder.
        emit: PathBuf,
        /// The output folder.
        out: PathBuf,
    },
    /// `verify --rebuild`: the pack holds something other than files and folders.
    #[error("`{}` in the pack is not a plain file", path.display())]
    NotPlain {
        /// The entry.
        path: PathBuf,
    },
}

impl BuildError {
    /// The file or folder a failure of the file system is about; `None` for the audit's
    /// errors, whose diagnostics have their own places.
    pub fn path(&self) -> Option<&Path> {
        match self {
            BuildError::Audit(..) => None,
            BuildError::Output(e) => Some(e.path()),
            BuildError::Pack(e) => Some(e.path()),
            BuildError::File(e) => Some(&e.path),
            BuildError::ChangedAfterLoad { file } => Some(file),
            BuildError::Changed { files } => files.first().map(Path::new),
            BuildError::Overlap { emit, .. } => Some(emit),
            BuildError::NotPlain { path } => Some(path),
        }
    }
}

/// Loads, checks, computes, renders and writes an audit. Nothing is written unless
/// every document was made; the previous output is replaced in one step.
pub fn build(opts: &BuildOptions) -> Result<(Built, Checked), BuildError> {
    build_with(opts, None, &|_| {})
}

/// What `watch` keeps from one build to the next: the Typst world of each document (so
/// that Typst recompiles incrementally) and the inputs copied into the last pack (so that
/// only changed files are copied again).
#[derive(Default)]
pub struct Session {
    /// The documents' Typst worlds.
    pub render: render::session::RenderSession,
    /// The inputs copied into the last pack.
    pub copies: pack::CopyCache,
}

/// [`build`], typesetting in `session`'s worlds when given (so that `watch` recompiles
/// incrementally) and reporting each step to `progress`.
pub fn build_with(
    opts: &BuildOptions,
    session: Option<&Session>,
    progress: &(dyn Fn(progress::BuildStep) + Sync),
) -> Result<(Built, Checked), BuildError> {
    let checked = load_check_compute(&opts.root).map_err(|d| BuildError::Audit(d, Vec::new()))?;
    let failed = |d: Diagnostics| BuildError::Audit(d, checked.audit.sources.clone());
    progress(progress::BuildStep::Checked);
    let mut diagnostics = checked.diagnostics.clone();
    let Some(results) = &checked.results else {
        return Err(failed(diagnostics));
    };
    if diagnostics.has_errors() {
        return Err(failed(diagnostics));
    }
    let input_files = input_files(&checked.audit);
    let mut output = output::Output::prepare(&opts.out, &opts.root, &input_files)?;
    let mut notes = std::mem::take(&mut output.notes);
    let stage = output.stage()?;
    let copied = copy_inputs(opts, &checked.audit, &input_files, &stage, session)?;
    let inputs = &copied.inputs;
    progress(progress::BuildStep::Hashed);
    let (context, public_context) = match contexts(&checked.audit, results, inputs) {
        Ok(c) => c,
        Err(d) => {
            diagnostics.extend(d);
            return Err(failed(diagnostics));
        }
    };
    let json = serde_json::to_vec_pretty(&compute::results_json(&checked.audit, results))
        .map_err(|e| FileError::new("write", opts.out.join("results.json"), e.into()))?;
    // The figures are drawn from the results, in both languages, before typesetting.
    let figures = render::figures::Figures::generate(&checked.audit, results);
    let input = RenderInput {
        context: &context,
        public_context: &public_context,
        audit_id: &checked.audit.meta.id,
        date: check::parse_date(&checked.audit.meta.audit.report_date.value)
            .unwrap_or((1970, 1, 1)),
        strings: chapter_titles(&checked.audit),
        files: vec![
            ("/attachments/results.json".into(), json.clone()),
            (
                "/attachments/manifest-inputs.txt".into(),
                inputs
                    .entries
                    .iter()
                    .map(pack::manifest_line)
                    .collect::<String>()
                    .into_bytes(),
            ),
        ],
        figures: &figures,
    };
    if let Some(dir) = &opts.emit_typst {
        notes.extend(emit_typst(opts, dir, &input_files, &input)?);
    }
    let (mut files, pages) = typeset(&input, session, &mut output, progress, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(failed(diagnostics));
    }
    files.push(("results.json".into(), json));
    complete_pack(&checked.audit, &stage, &copied, &files)?;
    notes.extend(output.commit(stage)?);
    if let Some(s) = session {
        s.copies.committed(&opts.out);
    }
    for note in notes {
        diagnostics.push(Diagnostic::warning("output::kept", note).at(Place::File {
            path: opts.out.display().to_string(),
        }));
    }
    progress(progress::BuildStep::Written);
    let mut names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
    names.push("pack/".into());
    Ok((
        Built {
            files: names,
            pages,
            diagnostics,
            evidence_root: copied.inputs.evidence_root,
        },
        checked,
    ))
}

/// Copies the inputs into the staged pack, hashing the very bytes copied (the evidence
/// root the documents print is the hash of what the pack holds), and makes sure that the
/// YAML files copied are the ones that were loaded.
fn copy_inputs(
    opts: &BuildOptions,
    audit: &Audit,
    input_files: &[String],
    stage: &output::Stage,
    session: Option<&Session>,
) -> Result<pack::Copied, BuildError> {
    let last_pack = opts.out.join("pack");
    let copied = pack::copy_inputs(
        &opts.root,
        input_files,
        &stage.path().join("pack"),
        session.map(|s| (&s.copies, last_pack.as_path())),
    )?;
    unchanged_since_load(audit, &copied)?;
    Ok(copied)
}

/// The template contexts of the submitted and the public editions; `Err` when a
/// confidential mark names nothing.
fn contexts(
    audit: &Audit,
    results: &compute::Results,
    inputs: &pack::Inputs,
) -> Result<(serde_json::Value, serde_json::Value), Diagnostics> {
    let mut context = compute::context(audit, results);
    context["evidence_root"] = inputs.evidence_root.clone().into();
    let (evidence, more) = evidence_list(audit, inputs);
    context["evidence"] = evidence;
    context["evidence_more"] = more.into();
    context["confidential"] = serde_json::to_value(&audit.meta.confidential).unwrap_or_default();
    let mut public_context = context.clone();
    let redaction = render::redact::redact(&mut public_context, &audit.meta.confidential);
    if !redaction.is_empty() {
        return Err(Diagnostics(redaction));
    }
    Ok((context, public_context))
}

/// Every document in both languages, in the order they are typeset.
fn jobs() -> Vec<(DocKind, Lang)> {
    DocKind::ALL
        .iter()
        .flat_map(|k| Lang::ALL.iter().map(move |l| (*k, *l)))
        .collect()
}

/// `--emit-typst DIR`: the generated sources, the files they read and the fonts, into a
/// folder of their own that compiles with the Typst command line. Written before
/// typesetting, so that a template author sees the source of a document that fails.
fn emit_typst(
    opts: &BuildOptions,
    dir: &Path,
    input_files: &[String],
    input: &RenderInput,
) -> Result<Vec<String>, BuildError> {
    let mut emit = output::Output::prepare(dir, &opts.root, input_files)?;
    let (emit_abs, out_abs) = (output::absolute(dir), output::absolute(&opts.out));
    if emit_abs.starts_with(&out_abs) || out_abs.starts_with(&emit_abs) {
        return Err(BuildError::Overlap {
            emit: dir.to_path_buf(),
            out: opts.out.clone(),
        });
    }
    let mut notes = std::mem::take(&mut emit.notes);
    let stage = emit.stage()?;
    let dir = stage.path();
    let sources: Vec<(String, String)> = jobs()
        .iter()
        .filter_map(|(k, l)| {
            let src = render::source(input, *k, *l).ok()?;
            Some((k.file_name(*l).replace(".pdf", ".typ"), src))
        })
        .collect();
    write_files(dir, &sources)?;
    // The virtual files the sources read (attachments, figures), at the same paths
    // under `dir`, so that `typst compile --root DIR` finds them.
    let files: Vec<(String, &[u8])> = input
        .files
        .iter()
        .map(|(path, data)| (path.trim_start_matches('/').to_string(), data.as_slice()))
        .collect();
    write_files(dir, &files)?;
    write_files(dir, &input.figures.all_files())?;
    // The fonts (with their licence) and the command line, so that the folder
    // compiles on its own with the Typst command line.
    let mut fonts: Vec<(String, std::borrow::Cow<[u8]>)> = crate::fonts::files()
        .map(|(name, data)| (format!("fonts/{name}"), data.into()))
        .collect();
    fonts.push((
        "fonts/OFL.txt".into(),
        crate::fonts::LICENCE.as_bytes().into(),
    ));
    fonts.push((
        "README.txt".into(),
        emit_readme(&sources).into_bytes().into(),
    ));
    write_files(dir, &fonts)?;
    notes.extend(emit.commit(stage)?);
    Ok(notes)
}

/// Documents by file name, with their bytes.
type Documents = Vec<(String, Vec<u8>)>;

/// Typesets every document in parallel: the PDFs and their page counts; the problems
/// go into `diagnostics`. In a session (`watch`) the first document, the Chinese report,
/// is typeset alone with every core and written at once, so that the PDF on screen
/// refreshes first; then the others.
fn typeset(
    input: &RenderInput,
    session: Option<&Session>,
    output: &mut output::Output,
    progress: &(dyn Fn(progress::BuildStep) + Sync),
    diagnostics: &mut Diagnostics,
) -> (Documents, Vec<(String, usize)>) {
    let jobs = jobs();
    let typeset = std::sync::atomic::AtomicUsize::new(0);
    let early = std::sync::Mutex::new(output);
    let render_one = |(kind, lang): &(DocKind, Lang)| {
        let file = kind.file_name(*lang);
        let doc = match session {
            Some(s) => s.render.render(input, *kind, *lang),
            None => render::render(input, *kind, *lang),
        };
        if session.is_some()
            && let Ok(d) = &doc
            && jobs.first() == Some(&(*kind, *lang))
        {
            // A viewer never reads half a file; the swap writes the same bytes again.
            let mut out = early.lock().unwrap_or_else(|e| e.into_inner());
            let _ = out.write_early(&file, &d.pdf);
        }
        let done = typeset.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(progress::BuildStep::Typeset {
            file: &file,
            pdf: doc.as_ref().ok().map(|d| d.pdf.as_slice()),
            done,
            total: jobs.len(),
        });
        (file, doc)
    };
    let first = if session.is_some() { 1 } else { 0 };
    let mut rendered: Vec<_> = jobs[..first].iter().map(render_one).collect();
    rendered.extend(jobs[first..].par_iter().map(render_one).collect::<Vec<_>>());
    let mut files = Vec::new();
    let mut pages = Vec::new();
    for (name, r) in rendered {
        match r {
            Ok(doc) => {
                diagnostics.extend(doc.warnings);
                pages.push((name.clone(), doc.pages));
                files.push((name, doc.pdf));
            }
            Err(d) => diagnostics.extend(d),
        }
    }
    (files, pages)
}

/// Writes the documents into the staged output and completes its pack; an input that
/// changed since it was copied is an error naming it.
fn complete_pack(
    audit: &Audit,
    stage: &output::Stage,
    copied: &pack::Copied,
    files: &[(String, Vec<u8>)],
) -> Result<(), BuildError> {
    let a = &audit.meta;
    let info = pack::BagInfo {
        organization: &a.enterprise.name.zh,
        identifier: &a.id,
        date: &a.audit.report_date.value,
    };
    write_files(stage.path(), files)?;
    pack::write(&stage.path().join("pack"), &copied.inputs, files, &info)?;
    let changed = copied.changed_since();
    if !changed.is_empty() {
        return Err(BuildError::Changed { files: changed });
    }
    Ok(())
}

/// The chapter titles in the wording of the audit's regulation profile.
fn chapter_titles(audit: &Audit) -> std::collections::BTreeMap<String, model::Text> {
    let Some(p) = &audit.profile else {
        return Default::default();
    };
    let c = &p.chapters;
    [
        ("ch1", &c.preparation),
        ("ch2", &c.pre_assessment),
        ("ch3", &c.assessment),
        ("ch4", &c.options),
        ("ch5", &c.feasibility),
        ("ch6", &c.implementation),
        ("ch7", &c.continuous),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect()
}

/// The audit-folder files that are the build's inputs: audit.yaml, the narratives, the
/// declared workbooks and every evidence file. Relative, `/`-separated.
pub fn input_files(audit: &Audit) -> Vec<String> {
    let d = &audit.meta.data;
    std::iter::once("audit.yaml".to_string())
        .chain(load::NARRATIVES.iter().map(|s| s.to_string()))
        .chain(
            [&d.status, &d.balance, &d.water, &d.emissions, &d.cash_flows]
                .into_iter()
                .flatten()
                .map(|p| p.value.trim_start_matches("./").to_string()),
        )
        .chain(audit.evidence_files.iter().cloned())
        .chain(folder_profiles(&audit.root))
        .collect()
}

/// Regulation profiles and lists the audit folder adds (`profiles/*.yaml`).
fn folder_profiles(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("profiles"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("profiles/{n}"))
        .collect();
    names.sort();
    names
}

/// Most evidence files the annex lists one by one. An audit cites dozens; a folder of
/// thousands of scans would make a table of hundreds of pages in each report (and cost
/// minutes and gigabytes to typeset), while the PDF's attached manifest and the pack list
/// every file with its hash anyway.
pub const ANNEX_ROWS: usize = 300;

/// The annex's list of evidence files (path, title, size and hash), and how many files
/// it leaves out: all of them when they are at most [`ANNEX_ROWS`]; otherwise those
/// `audit.yaml` describes first, then the others in path order, up to the limit.
fn evidence_list(audit: &Audit, inputs: &pack::Inputs) -> (serde_json::Value, usize) {
    // Looked up by path: an audit may hold thousands of evidence files.
    let entries: std::collections::HashMap<&str, &pack::Entry> = inputs
        .entries
        .iter()
        .filter_map(|e| Some((e.path.strip_prefix(pack::INPUTS)?.strip_prefix('/')?, e)))
        .collect();
    let titles: std::collections::HashMap<&str, &model::Text> = audit
        .meta
        .evidence
        .iter()
        .map(|e| (e.path.value.as_str(), &e.title))
        .collect();
    let files = &audit.evidence_files;
    let listed: Vec<&String> = if files.len() <= ANNEX_ROWS {
        files.iter().collect()
    } else {
        let described = files.iter().filter(|f| titles.contains_key(f.as_str()));
        let others = files.iter().filter(|f| !titles.contains_key(f.as_str()));
        let mut chosen: Vec<&String> = described.chain(others).take(ANNEX_ROWS).collect();
        chosen.sort();
        chosen
    };
    let rows: Vec<serde_json::Value> = listed
        .iter()
        .map(|f| {
            let entry = entries.get(f.as_str());
            serde_json::json!({
                "path": f,
                "title": titles.get(f.as_str()),
                "size": entry.map(|e| e.size),
                "sha256": entry.map(|e| e.sha256.clone()),
            })
        })
        .collect();
    (rows.into(), files.len() - listed.len())
}

/// Whether the YAML files copied into the pack are the ones that were loaded: a file
/// saved between the two would make the documents disagree with the pack.
fn unchanged_since_load(audit: &Audit, copied: &pack::Copied) -> Result<(), BuildError> {
    use sha2::{Digest, Sha256};
    let hashes: std::collections::HashMap<&str, &str> = copied
        .inputs
        .entries
        .iter()
        .filter_map(|e| {
            Some((
                e.path.strip_prefix(pack::INPUTS)?.strip_prefix('/')?,
                e.sha256.as_str(),
            ))
        })
        .collect();
    for source in &audit.sources {
        let Some(packed) = hashes.get(source.path.as_str()) else {
            continue;
        };
        let text = source.text.as_bytes();
        let with_bom = [b"\xef\xbb\xbf".as_slice(), text].concat();
        if pack::hex(&Sha256::digest(text)) != *packed
            && pack::hex(&Sha256::digest(&with_bom)) != *packed
        {
            return Err(BuildError::ChangedAfterLoad {
                file: PathBuf::from(&source.path),
            });
        }
    }
    Ok(())
}

/// How to compile an `--emit-typst` folder with the Typst command line.
fn emit_readme(sources: &[(String, String)]) -> String {
    let mut text = String::from(
        "Typst sources written by `cpaudit build --emit-typst`, with the files they read\n\
         (figures/, attachments/) and cpaudit's bundled fonts (fonts/, SIL OFL 1.1).\n\
         Compile one with Typst 0.15 from this folder, e.g.\n\n",
    );
    for (name, _) in sources {
        text.push_str(&format!(
            "  typst compile --root . --font-path fonts --ignore-system-fonts {name}\n"
        ));
    }
    text.push_str(
        "\nThe pages are cpaudit's; the files differ in metadata only (cpaudit sets the\n\
         PDF's creation date from the report date, its document id from the audit id,\n\
         and exports PDF/A-3a with PDF/UA-1: add `--pdf-standard a-3a --pdf-standard ua-1`).\n",
    );
    text
}

/// Writes `files` (relative names and bytes) into `dir`, creating folders as needed.
pub(crate) fn write_files(
    dir: &Path,
    files: &[(String, impl AsRef<[u8]>)],
) -> Result<(), FileError> {
    for (name, data) in files {
        let path = dir.join(name);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(FileError::on("create", p))?;
        }
        std::fs::write(&path, data).map_err(FileError::on("write", &path))?;
    }
    Ok(())
}

//! Render: the audit and its results become Typst source through the minijinja
//! templates, and Typst (embedded, never a subprocess) typesets them into PDF.
//!
//! One function per document; the template environment, the fonts and the strings are
//! shared. A character no bundled font has becomes a warning naming it — Typst itself
//! would print an empty box silently.

pub mod diff;
pub mod figures;
pub mod redact;
pub mod session;
pub mod template;
pub mod world;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Lang;
use std::sync::{Mutex, OnceLock};
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use world::DocWorld;

/// The documents cpaudit writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// The audit report as submitted (清洁生产审核报告), confidential content included.
    Report,
    /// The public edition of the report, confidential content withheld.
    PublicReport,
    /// The public disclosure notice (公示), confidential content withheld.
    Notice,
}

impl DocKind {
    /// Every document.
    pub const ALL: [DocKind; 3] = [DocKind::Report, DocKind::PublicReport, DocKind::Notice];

    /// The template it is made from.
    pub fn template(self) -> &'static str {
        match self {
            DocKind::Report | DocKind::PublicReport => "report",
            DocKind::Notice => "notice",
        }
    }

    /// Whether it is published, so that confidential content must be withheld.
    pub fn is_public(self) -> bool {
        !matches!(self, DocKind::Report)
    }

    /// Output file name for a language (`report.zh.pdf`, `report.public.en.pdf`).
    pub fn file_name(self, lang: Lang) -> String {
        match self {
            DocKind::Report => format!("report.{}.pdf", lang.code()),
            DocKind::PublicReport => format!("report.public.{}.pdf", lang.code()),
            DocKind::Notice => format!("notice.{}.pdf", lang.code()),
        }
    }
}

/// A typeset document.
pub struct Rendered {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// The generated Typst source.
    pub source: String,
    /// Number of pages.
    pub pages: usize,
    /// Problems that did not stop it (missing glyphs).
    pub warnings: Diagnostics,
}

/// What a document is built from: the template context (audit, results, evidence) and
/// the facts that fix the PDF's identity and date.
pub struct RenderInput<'a> {
    /// Everything the templates may print, as JSON.
    pub context: &'a serde_json::Value,
    /// The same with confidential content withheld, for public documents.
    pub public_context: &'a serde_json::Value,
    /// The audit's id, part of the PDF's document id.
    pub audit_id: &'a str,
    /// The report date: the PDF's creation date and Typst's `today`.
    pub date: (i32, u8, u8),
    /// Strings that replace the template table's (chapter titles of the regulation).
    pub strings: std::collections::BTreeMap<String, crate::model::Text>,
    /// Virtual files the documents may read, by absolute virtual path: the attachments
    /// (`/attachments/results.json`, `/attachments/manifest-inputs.txt`).
    pub files: Vec<(String, Vec<u8>)>,
    /// The figures (SVG, per language), served as virtual files under `/figures/` and
    /// listed to the templates as `fig` (see [`figures::Figures::context`]).
    pub figures: &'a figures::Figures,
}

/// The templates' string table, parsed once.
fn strings() -> Result<&'static template::Strings, Diagnostic> {
    static STRINGS: OnceLock<Result<template::Strings, Diagnostic>> = OnceLock::new();
    STRINGS
        .get_or_init(|| crate::load::yaml::parse(template::STRINGS, "templates/strings.yaml"))
        .as_ref()
        .map_err(Clone::clone)
}

/// Generates the Typst source of a document.
pub fn source(input: &RenderInput, kind: DocKind, lang: Lang) -> Result<String, Diagnostic> {
    let mut env = environment(lang, &input.strings)?;
    env.add_global("doc", kind.template());
    env.add_global("public", kind.is_public());
    env.add_global(
        "fig",
        minijinja::value::Value::from(minijinja::value::Serde(
            input.figures.context(lang, kind.is_public()),
        )),
    );
    let context = if kind.is_public() {
        input.public_context
    } else {
        input.context
    };
    // The view of this edition's context: the public one is built from the redacted
    // context, so what is withheld there is withheld in the view too.
    env.add_global(
        "view",
        minijinja::value::Value::from(minijinja::value::Serde(crate::view::build(context))),
    );
    let tmpl = env
        .get_template(&format!("{}.typ", kind.template()))
        .map_err(template_error)?;
    tmpl.render(minijinja::value::Value::from(minijinja::value::Serde(
        context,
    )))
    .map_err(template_error)
}

/// The template environment of a language with the given strings replaced, made once
/// per process: compiling the templates and the string table again for every document
/// would cost each `watch` rebuild. A clone shares the compiled templates.
fn environment(
    lang: Lang,
    overrides: &std::collections::BTreeMap<String, crate::model::Text>,
) -> Result<minijinja::Environment<'static>, Diagnostic> {
    type Envs = Vec<(
        Lang,
        std::collections::BTreeMap<String, crate::model::Text>,
        minijinja::Environment<'static>,
    )>;
    static ENVS: Mutex<Envs> = Mutex::new(Vec::new());
    let mut envs = ENVS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, env)) = envs.iter().find(|(l, o, _)| *l == lang && o == overrides) {
        return Ok(env.clone());
    }
    let env = template::environment(lang, strings()?, overrides).map_err(template_error)?;
    // Overrides come from the regulation profile; a long watch may see a few.
    if envs.len() >= 8 {
        envs.remove(0);
    }
    envs.push((lang, overrides.clone(), env.clone()));
    Ok(env)
}

/// Typesets a document into PDF.
pub fn render(input: &RenderInput, kind: DocKind, lang: Lang) -> Result<Rendered, Diagnostics> {
    let source = source(input, kind, lang).map_err(one)?;
    let (y, m, d) = input.date;
    let today = Datetime::from_ymd(y, m, d).ok_or_else(|| {
        one(Diagnostic::error(
            "render::date",
            format!("invalid report date {y}-{m}-{d}"),
        ))
    })?;
    let mut world = DocWorld::new(source, today);
    for (path, data) in &input.files {
        world.add_file(path, data.clone());
    }
    for (path, data) in input.figures.files(lang, kind.is_public()) {
        world.add_file(&path, data.to_vec());
    }
    let rendered = typeset(&world, input, kind, lang, today);
    // A one-shot build keeps no cache; `session::RenderSession` keeps one for `watch`.
    typst::comemo::evict(0);
    rendered
}

/// Compiles a world's main source and exports the PDF: shared by [`render`] and
/// [`session::RenderSession`], so that `watch` writes the same bytes as `build`.
fn typeset(
    world: &DocWorld,
    input: &RenderInput,
    kind: DocKind,
    lang: Lang,
    today: Datetime,
) -> Result<Rendered, Diagnostics> {
    let warned = typst::compile::<PagedDocument>(world);
    let doc = warned.output.map_err(|errors| {
        let mut diags = Diagnostics::default();
        for e in errors.iter() {
            diags.push(typst_error(world, e, kind, lang));
        }
        diags
    })?;
    let file = kind.file_name(lang);
    let mut warnings = Diagnostics::default();
    let missing = missing_glyphs(&doc);
    // `check` names each character of the audit without a glyph, with its place
    // (check/glyphs.rs); one the fonts' coverage says they have is a fault of cpaudit's
    // font tables, and this walk of the typeset document guards against it.
    for (page, text) in &missing {
        if text.chars().any(crate::fonts::covers) {
            warnings.push(glyph_guard_warning(&file, *page, text));
        }
    }
    // PDF/A and PDF/UA forbid a character drawn without a glyph. Rather than refuse the
    // whole build for one rare character, such a document is written as a plain PDF and
    // says so.
    let standards: &[PdfStandard] = if missing.is_empty() {
        &[PdfStandard::A_3a, PdfStandard::Ua_1]
    } else {
        let shown: Vec<String> = missing
            .iter()
            .map(|(page, text)| format!("\"{text}\" ({}) on page {page}", code_points(text)))
            .collect();
        warnings.push(
            Diagnostic::warning(
                "render::not-archival",
                format!("{file} is written as a plain PDF, not PDF/A-3a and PDF/UA-1, because characters in it have no glyph: {}", shown.join(", ")),
            )
            .help("replace the characters that `render::missing-glyph` names with their place, and build again for the archival PDF a submission needs"),
        );
        &[]
    };
    let options = PdfOptions {
        ident: Smart::Custom(format!("{}/{}", input.audit_id, file)),
        creator: Smart::Custom(Some(format!("cpaudit {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(today)),
        // Archival and accessible: PDF/A-3a (which, unlike A-2, allows the attached
        // results and manifest) together with PDF/UA-1.
        standards: PdfStandards::new(standards).map_err(|e| {
            one(Diagnostic::error(
                "render::pdf-standard",
                format!("PDF standards: {}", e.message()),
            ))
        })?,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&doc, &options).map_err(|errors| {
        let mut diags = Diagnostics::default();
        for e in errors.iter() {
            diags.push(typst_error(world, e, kind, lang));
        }
        diags
    })?;
    let pages = doc.pages().len();
    let source = world.source_text().to_string();
    Ok(Rendered {
        pdf,
        source,
        pages,
        warnings,
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn template_error(e: minijinja::Error) -> Diagnostic {
    // An error inside an included template arrives wrapped; the innermost one says what
    // and where.
    let mut inner: &minijinja::Error = &e;
    while let Some(next) =
        std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
    {
        inner = next;
    }
    let mut msg = format!("template error: {}", inner.kind());
    if let Some(detail) = inner.detail() {
        msg.push_str(&format!(": {detail}"));
    }
    let place = inner.name().or(e.name()).map(|n| crate::diag::Place::Yaml {
        path: format!("templates/{n}"),
        line: inner.line().or(e.line()).unwrap_or(0) as u64,
        column: 1,
    });
    let mut d = Diagnostic::error("render::template", msg).help(
        "this is a fault in a template; report it with the audit folder if it is not your own template",
    );
    d.place = place;
    d
}

fn typst_error(
    world: &DocWorld,
    e: &typst::diag::SourceDiagnostic,
    kind: DocKind,
    lang: Lang,
) -> Diagnostic {
    use typst::WorldExt;
    let line = world
        .range(e.span)
        .map(|r| world.source_text()[..r.start].matches('\n').count() + 1)
        .unwrap_or(0);
    let hints: Vec<String> = e.hints.iter().map(|h| h.v.to_string()).collect();
    let mut d = Diagnostic::error(
        "render::typst",
        format!("Typst could not typeset {}: {} (generated source line {line})", kind.file_name(lang), e.message),
    )
    .help("run `cpaudit build --emit-typst DIR` to see the generated source; this is a fault in a template");
    if !hints.is_empty() {
        d = d.help(hints.join("; "));
    }
    d
}

/// Characters shaped with no glyph (glyph id 0), with the page they are on.
fn missing_glyphs(doc: &PagedDocument) -> Vec<(usize, String)> {
    fn walk(frame: &Frame, page: usize, out: &mut Vec<(usize, String)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, page, out),
                FrameItem::Text(t) => {
                    for g in t.glyphs.iter().filter(|g| g.id == 0) {
                        if let Some(s) = t.text.get(g.range()) {
                            let s = s.to_string();
                            if !s.trim().is_empty() && !out.iter().any(|(_, x)| *x == s) {
                                out.push((page, s));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk(&page.frame, i + 1, &mut out);
    }
    out
}

/// `U+16A0 U+16A1`.
fn code_points(text: &str) -> String {
    text.chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A character drawn without a glyph although the fonts' coverage has it.
fn glyph_guard_warning(file: &str, page: usize, text: &str) -> Diagnostic {
    Diagnostic::warning(
        "render::glyph-guard",
        format!("\"{text}\" ({}) on page {page} of {file} was typeset without a glyph, although the bundled fonts' coverage lists it", code_points(text)),
    )
    .help("this is a fault in cpaudit's font tables (src/render/fonts.rs), not in the audit; report it with the audit folder")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_string_table_parses_and_every_entry_has_both_languages() {
        let strings = super::strings().unwrap_or_else(|d| panic!("{d:?}"));
        for (key, texts) in strings {
            for lang in ["zh", "en"] {
                assert!(texts.contains_key(lang), "string `{key}` has no `{lang}`");
            }
        }
    }

    /// Every variant of `$ty`, from one list that the compiler checks is complete: a new
    /// variant fails to build until it is listed here.
    macro_rules! every {
        ($ty:ident: $($v:ident),* $(,)?) => {{
            #[allow(dead_code)]
            fn complete(x: $ty) {
                match x {
                    $($ty::$v)|* => {}
                }
            }
            vec![$($ty::$v),*]
        }};
    }

    /// The `name` filter turns an enum value into the string `<prefix>_<value>`: every
    /// value a template prints so must have one, in both languages.
    #[test]
    fn every_enum_value_a_template_names_has_a_string() {
        use crate::model::{Aspect, CostClass, Medium, OptionStatus, StreamKind, WaterUse};
        let strings = super::strings().unwrap_or_else(|d| panic!("{d:?}"));
        let key = |prefix: &str, v: serde_json::Value| format!("{prefix}_{}", v.as_str().unwrap());
        let mut keys = Vec::new();
        for v in every!(StreamKind: RawMaterial, AuxiliaryMaterial, Water, Steam, Product,
            ByProduct, Wastewater, WasteGas, SolidWaste, Loss, StockChange, Internal)
        {
            keys.push(key("skind", serde_json::to_value(v).unwrap()));
        }
        for v in every!(WaterUse: Process, Cooling, Boiler, Domestic, Other) {
            keys.push(key("wkind", serde_json::to_value(v).unwrap()));
        }
        for v in every!(Medium: Wastewater, WasteGas, SolidWaste, Noise) {
            keys.push(key("medium", serde_json::to_value(v).unwrap()));
            keys.push(key("mcode", serde_json::to_value(v).unwrap()));
        }
        for v in every!(Aspect: RawMaterials, Technology, Equipment, ProcessControl, Product,
            Waste, Management, Staff)
        {
            keys.push(key("aspect", serde_json::to_value(v).unwrap()));
        }
        for v in every!(CostClass: None, Low, Medium, High) {
            keys.push(key("cost", serde_json::to_value(v).unwrap()));
        }
        for v in every!(OptionStatus: Proposed, Approved, Deferred, Implemented, Rejected) {
            keys.push(key("status", serde_json::to_value(v).unwrap()));
        }
        for k in keys {
            let texts = strings.get(&k).unwrap_or_else(|| panic!("no string `{k}`"));
            assert!(
                texts.values().all(|t| !t.is_empty()),
                "`{k}` is empty in a language"
            );
        }
    }
}

//! `build --emit-typst DIR` writes a self-contained Typst project: compiled the way the
//! Typst command line does it (`typst compile --root DIR --font-path fonts
//! --ignore-system-fonts`) — files read from DIR on disk only, fonts from the folder's
//! own fonts/ found by scanning it — every emitted document typesets without a
//! missing file, into as many pages as cpaudit's, with the same text.

use crate::common::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// A world like the Typst CLI's: a project root on disk, fonts from a folder.
struct DiskWorld {
    root: PathBuf,
    main: FileId,
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: std::sync::Mutex<HashMap<FileId, Source>>,
    today: Datetime,
}

impl DiskWorld {
    fn new(root: &Path, main: &str, font_dir: &Path, today: Datetime) -> Self {
        let mut fonts = Vec::new();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(font_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("otf" | "ttf" | "ttc" | "otc")
                )
            })
            .collect();
        paths.sort();
        for p in paths {
            fonts.extend(Font::iter(Bytes::new(std::fs::read(p).unwrap())));
        }
        let main = RootedPath::new(VirtualRoot::Project, VirtualPath::new(main).unwrap()).intern();
        DiskWorld {
            root: root.to_path_buf(),
            main,
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            sources: Default::default(),
            today,
        }
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::AccessDenied);
        }
        let path = id
            .vpath()
            .realize(&self.root)
            .map_err(|_| FileError::AccessDenied)?;
        std::fs::read(&path).map_err(|_| FileError::NotFound(path))
    }
}

impl World for DiskWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut sources = self.sources.lock().unwrap();
        if let Some(s) = sources.get(&id) {
            return Ok(s.clone());
        }
        let text = String::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text);
        sources.insert(id, source.clone());
        Ok(source)
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id).map(Bytes::new)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[test]
fn the_emitted_typst_reproduces_the_documents() {
    let dir = scratch("emit");
    let typ = dir.join("typ");
    let out = dir.join("build");
    let opts = cpaudit::BuildOptions {
        root: sample(),
        out: out.clone(),
        emit_typst: Some(typ.clone()),
    };
    let (built, _) = match cpaudit::build(&opts) {
        Ok(b) => b,
        Err(cpaudit::BuildError::Audit(d, _)) => panic!("{}", d.render_human(&[], false)),
        Err(e) => panic!("{}", cpaudit::error::chain(&e)),
    };
    // The folder is self-contained: its own fonts/ (cpaudit's, byte for byte) and a
    // README with the command line.
    let fonts = typ.join("fonts");
    for name in cpaudit::fonts::FILE_NAMES {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(name);
        assert_eq!(
            std::fs::read(fonts.join(name)).unwrap(),
            std::fs::read(shipped).unwrap(),
            "{name}"
        );
    }
    let readme = std::fs::read_to_string(typ.join("README.txt")).unwrap();
    assert!(readme.contains("--font-path fonts --ignore-system-fonts report.zh.typ"));
    let today = Datetime::from_ymd(2026, 10, 30).unwrap();
    let mut checked = 0;
    for (pdf_name, pages) in &built.pages {
        let typ_name = pdf_name.replace(".pdf", ".typ");
        assert!(typ.join(&typ_name).is_file(), "{typ_name} not emitted");
        let world = DiskWorld::new(&typ, &format!("/{typ_name}"), &fonts, today);
        let doc = typst::compile::<PagedDocument>(&world)
            .output
            .unwrap_or_else(|e| panic!("{typ_name} does not compile on its own: {e:?}"));
        assert_eq!(doc.pages().len(), *pages, "{typ_name}: page count");
        if have("pdftotext") {
            let options = typst_pdf::PdfOptions {
                timestamp: Some(typst_pdf::Timestamp::new_utc(today)),
                ident: Smart::Custom(pdf_name.clone()),
                ..Default::default()
            };
            let pdf = typst_pdf::pdf(&doc, &options).unwrap();
            let mine = dir.join(format!("standalone-{pdf_name}"));
            std::fs::write(&mine, pdf).unwrap();
            assert_eq!(
                pdf_text(&mine),
                pdf_text(&out.join(pdf_name)),
                "{pdf_name}: the text differs"
            );
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} documents");
    // The attachments the report reads are emitted beside the sources.
    assert!(typ.join("attachments/results.json").is_file());
    // Golden snapshots of what the templates are given and what they make: results.json
    // and every generated source. A change shows as a reviewed diff (`cargo insta review`,
    // or INSTA_UPDATE=always to accept all); an unreviewed change fails.
    insta::assert_snapshot!(
        "results.json",
        std::fs::read_to_string(out.join("results.json")).unwrap()
    );
    let mut names: Vec<&String> = built.pages.iter().map(|(n, _)| n).collect();
    names.sort();
    for pdf_name in names {
        let typ_name = pdf_name.replace(".pdf", ".typ");
        let source = std::fs::read_to_string(typ.join(&typ_name)).unwrap();
        // Markup a template made (a boxed unit, a subscript) must never be escaped again
        // into a string, where the reader would see `#box[…]` as text.
        assert!(
            !source.contains("#\\\""),
            "{typ_name}: markup escaped into text"
        );
        insta::assert_snapshot!(typ_name.clone(), source);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

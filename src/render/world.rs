//! The Typst `World` of one document: the generated main source, the bundled fonts,
//! the virtual files the renderer made (figures), a fixed date. It serves nothing from
//! disk and no packages, so a narrative can neither read a file nor download anything.

use super::fonts::{FontSet, fonts};
use std::collections::HashMap;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The file id of a virtual path in the project root.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").unwrap());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One document to compile.
pub struct DocWorld {
    library: LazyHash<Library>,
    fonts: &'static FontSet,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl DocWorld {
    /// A world whose main file is `source` and whose date is `today`.
    pub fn new(source: String, today: Datetime) -> Self {
        let main = Source::new(file_id("/main.typ"), source);
        DocWorld {
            library: LazyHash::new(Library::builder().build()),
            fonts: fonts(),
            main,
            files: HashMap::new(),
            today,
        }
    }

    /// Adds a virtual file (a figure) that the source can refer to by `path`.
    pub fn add_file(&mut self, path: &str, data: Vec<u8>) {
        self.files.insert(file_id(path), Bytes::new(data));
    }

    /// Replaces the main source in place. Typst diffs the old text against the new, so
    /// that a recompile of the same world re-evaluates only what the edit touched.
    pub fn replace_source(&mut self, text: &str) {
        self.main.replace(text);
    }

    /// Changes the date `today` returns (the report date).
    pub fn set_today(&mut self, today: Datetime) {
        self.today = today;
    }

    /// The main source.
    pub fn source_text(&self) -> &str {
        self.main.text()
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if matches!(id.root(), VirtualRoot::Package(_)) {
            return Err(FileError::AccessDenied);
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

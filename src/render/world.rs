//! The Typst `World` of one document: the generated main source, the bundled fonts,
//! the virtual files the renderer made (figures), a fixed date. It serves nothing from
//! disk and no packages, so a narrative can neither read a file nor download anything.

use crate::fonts::{FontSet, fonts};
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

    /// Sets a virtual file unless it already holds these bytes: the `Bytes` it keeps
    /// carry their hash, which Typst would otherwise compute again on each rebuild.
    pub fn set_file(&mut self, path: &str, data: &[u8]) {
        let id = file_id(path);
        if self.files.get(&id).is_some_and(|b| **b == *data) {
            return;
        }
        self.files.insert(id, Bytes::new(data.to_vec()));
    }

    /// Replaces the main source in place, one edit per stretch of changed lines (see
    /// [`super::diff`]), so that Typst re-parses only those and a recompile of the same
    /// world lays out again only what they touched.
    pub fn replace_source(&mut self, text: &str) {
        /// Beyond this many changed lines one replacement is as good and cheaper.
        const MAX_CHANGED_LINES: usize = 2000;
        let old_text = self.main.text().to_string();
        let old: Vec<&str> = old_text.split_inclusive('\n').collect();
        let new: Vec<&str> = text.split_inclusive('\n').collect();
        let Some(hunks) = super::diff::hunks(&old, &new, MAX_CHANGED_LINES) else {
            self.main.replace(text);
            return;
        };
        let starts = |lines: &[&str]| {
            let mut at = Vec::with_capacity(lines.len() + 1);
            at.push(0);
            for l in lines {
                at.push(at.last().copied().unwrap_or(0) + l.len());
            }
            at
        };
        let (old_at, new_at) = (starts(&old), starts(&new));
        // Last first, so that the byte offsets of the earlier hunks stay valid.
        for h in hunks.iter().rev() {
            self.main.edit(
                old_at[h.old.start]..old_at[h.old.end],
                &text[new_at[h.new.start]..new_at[h.new.end]],
            );
        }
        if self.main.text() != text {
            // Not expected; the whole replacement is always right.
            self.main.replace(text);
        }
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

//! A rendering session for `cpaudit watch`: one Typst [`DocWorld`] per document, kept
//! alive across rebuilds, so that Typst's incremental compilation (comemo) reuses
//! everything an edit did not touch.
//!
//! A one-shot [`super::render`] makes a new world and empties Typst's caches afterwards.
//! A session instead edits the main source of the document's existing world with
//! [`DocWorld::replace_source`] (one edit per stretch of changed lines, so that Typst
//! re-parses only those and the spans, hence the layout, of the rest stay valid), keeps
//! the virtual files whose bytes did not change, keeps the same `Library` (a new one
//! would invalidate the whole evaluation) and after each rebuild evicts only cache
//! entries unused for ten rebuilds, as the Typst CLI's own watch loop does. The bundled
//! fonts are loaded once per process in any case.

use super::world::DocWorld;
use super::{DocKind, RenderInput, Rendered, one, source, typeset};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Lang;
use std::collections::HashMap;
use std::sync::Mutex;
use typst::foundations::Datetime;

/// Cache entries unused for this many rebuilds are evicted after a rebuild.
const EVICT_AFTER: usize = 10;

/// One document's world, locked while it compiles.
type Slot = std::sync::Arc<Mutex<DocWorld>>;

/// The worlds of the documents rendered so far, one per document and language.
#[derive(Default)]
pub struct RenderSession {
    // A mutex per world lets `build` typeset the documents in parallel, each in its own
    // world, through a shared session.
    worlds: Mutex<HashMap<(DocKind, Lang), Slot>>,
}

impl RenderSession {
    /// An empty session; the first render of each document creates its world.
    pub fn new() -> Self {
        RenderSession::default()
    }

    /// Typesets a document, reusing its world from the previous render when there is
    /// one. The bytes are the same as [`super::render`]'s for the same input.
    pub fn render(
        &self,
        input: &RenderInput,
        kind: DocKind,
        lang: Lang,
    ) -> Result<Rendered, Diagnostics> {
        let text = source(input, kind, lang).map_err(one)?;
        let (y, m, d) = input.date;
        let today = Datetime::from_ymd(y, m, d).ok_or_else(|| {
            one(Diagnostic::error(
                "render::date",
                format!("invalid report date {y}-{m}-{d}"),
            ))
        })?;
        let slot = {
            let mut worlds = self.worlds.lock().unwrap_or_else(|e| e.into_inner());
            worlds
                .entry((kind, lang))
                .or_insert_with(|| {
                    std::sync::Arc::new(Mutex::new(DocWorld::new(String::new(), today)))
                })
                .clone()
        };
        let mut world = slot.lock().unwrap_or_else(|e| e.into_inner());
        if world.source_text() != text {
            world.replace_source(&text);
        }
        // Files whose bytes did not change are kept as they are (with their hash).
        for (path, data) in &input.files {
            world.set_file(path, data);
        }
        for (path, data) in input.figures.files(lang, kind.is_public()) {
            world.set_file(&path, data);
        }
        world.set_today(today);
        typeset(&world, input, kind, lang, today)
    }

    /// Number of documents whose world the session holds.
    pub fn len(&self) -> usize {
        self.worlds.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// Whether the session holds no world yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Call after a rebuild: drops cached results unused for the last ten rebuilds,
    /// so that memory stays bounded over a long watch.
    pub fn evict(&self) {
        typst::comemo::evict(EVICT_AFTER);
    }
}

//! `cpaudit watch`: rebuild the audit whenever one of its inputs changes.
//!
//! File events come from notify through notify-debouncer-full, which stitches an
//! editor's save (write to a temporary file, rename over the original) into one event.
//! Only inputs count: `audit.yaml`, `narratives/`, `data/`, `evidence/` and `profiles/`;
//! the output folder, the build's staging folders and editors' swap and backup files do
//! not. A failed build prints its diagnostics and the watch goes on; the previous output
//! stays in place, as with `build`.
//!
//! Rebuilds are fast because nothing is loaded twice: the fonts, the templates and the
//! parses of unchanged YAML files are kept per process, and a [`Session`] keeps
//! one Typst world per document (edited hunk by hunk, so that Typst recompiles
//! incrementally what an edit changed) and the hashes of unchanged inputs. See
//! docs/benchmarks.md for the time of each step.
//!
//! The first build prints every warning; later builds print only what changed: the new
//! warnings in full, one line per resolved warning, and the count. Errors are printed
//! in full on every failed build, as they are what stands between the user and a PDF.

use crate::build::Session;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::error::chain;
use crate::{BuildError, BuildOptions};
use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the debouncer waits for more events of the same save. An editor's save
/// (write a temporary file, rename it over the original) raises its events within a
/// millisecond or two; each millisecond here is one more before the PDF refreshes.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders and files of an audit folder that are build inputs.
const INPUTS: [&str; 5] = ["audit.yaml", "narratives", "data", "evidence", "profiles"];

/// The outcome of one rebuild.
pub struct Rebuilt {
    /// Wall time of the rebuild.
    pub elapsed: Duration,
    /// Whether the documents were written.
    pub ok: bool,
    /// What to show: the diagnostics, rendered for a person, and a summary line.
    pub report: String,
}

/// Why `watch` stopped, or could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The folder is not an audit folder.
    #[error("no audit.yaml in `{}`; give the path of an audit folder (`cpaudit init DIR` makes one)", root.display())]
    NoAudit {
        /// The folder given.
        root: PathBuf,
    },
    /// The file watcher could not be set up.
    #[error("cannot watch `{}`", root.display())]
    Watcher {
        /// The folder.
        root: PathBuf,
        /// Why.
        #[source]
        source: notify_debouncer_full::notify::Error,
    },
    /// The file watcher stopped sending events.
    #[error("the file watcher of `{}` stopped", root.display())]
    Stopped {
        /// The folder.
        root: PathBuf,
    },
}

impl WatchError {
    /// The folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            WatchError::NoAudit { root }
            | WatchError::Watcher { root, .. }
            | WatchError::Stopped { root } => root,
        }
    }
}

/// How `watch` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Colours, for a terminal.
    pub color: bool,
    /// Errors only: no warnings, no "built" lines.
    pub quiet: bool,
}

impl From<bool> for Style {
    /// Colours or not; not quiet.
    fn from(color: bool) -> Self {
        Style {
            color,
            quiet: false,
        }
    }
}

/// Builds one audit folder again and again, keeping what can be kept between builds.
pub struct Rebuilder {
    opts: BuildOptions,
    session: Session,
    style: Style,
    /// The warnings of the last build that got as far as checking, by identity; `None`
    /// before the first, which prints them all.
    shown: Option<BTreeSet<String>>,
}

/// What makes two warnings of two builds the same warning.
fn identity(d: &Diagnostic) -> String {
    let place = d
        .place
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    format!("{}\u{0}{place}\u{0}{}", d.code, d.message)
}

impl Rebuilder {
    /// A rebuilder of the audit at `root` into `out`, printing in `style` (a `bool`:
    /// colours or not).
    pub fn new(root: &Path, out: &Path, style: impl Into<Style>) -> Self {
        Rebuilder {
            opts: BuildOptions {
                root: root.to_path_buf(),
                out: out.to_path_buf(),
                emit_typst: None,
            },
            session: Session::default(),
            style: style.into(),
            shown: None,
        }
    }

    /// The diagnostics of a build for the log: the errors of a failed build in full;
    /// the warnings of a build that succeeded in full the first time, later only the new
    /// ones in full and the resolved ones in a line each, then the count (`0 error(s),
    /// 12 warning(s): 1 new, 2 resolved`).
    fn diagnostics(&mut self, d: &Diagnostics, sources: &[crate::model::SourceFile]) -> String {
        let color = self.style.color;
        let errors = Diagnostics(
            d.0.iter()
                .filter(|x| x.severity == Severity::Error)
                .cloned()
                .collect(),
        );
        let mut out = errors.render_list(sources, color, Severity::Error);
        if self.style.quiet {
            return out;
        }
        if !errors.0.is_empty() {
            // A failed build may stop before the checks that warn: its warnings are not
            // compared, and the next build that succeeds is compared with the last that
            // did.
            out.push_str(&errors.count_line());
            return out;
        }
        let warnings: Vec<&Diagnostic> =
            d.0.iter()
                .filter(|x| x.severity != Severity::Error)
                .collect();
        let now: BTreeSet<String> = warnings.iter().map(|w| identity(w)).collect();
        let (errors, count) = d.counts();
        match self.shown.take() {
            None => {
                out.push_str(
                    &Diagnostics(warnings.into_iter().cloned().collect()).render_list(
                        sources,
                        color,
                        Severity::Info,
                    ),
                );
                out.push_str(&d.count_line());
            }
            Some(before) => {
                let new = Diagnostics(
                    warnings
                        .iter()
                        .filter(|w| !before.contains(&identity(w)))
                        .map(|w| (*w).clone())
                        .collect(),
                );
                out.push_str(&new.render_list(sources, color, Severity::Info));
                let resolved: Vec<&String> = before.difference(&now).collect();
                for r in &resolved {
                    let mut parts = r.split('\u{0}');
                    let (code, place, message) = (
                        parts.next().unwrap_or_default(),
                        parts.next().unwrap_or_default(),
                        parts.next().unwrap_or_default(),
                    );
                    let at = if place.is_empty() {
                        String::new()
                    } else {
                        format!(" ({place})")
                    };
                    out.push_str(&format!("resolved: [{code}] {message}{at}\n"));
                }
                out.push_str(&format!(
                    "{errors} error(s), {count} warning(s): {} new, {} resolved\n",
                    new.0.len(),
                    resolved.len()
                ));
            }
        }
        self.shown = Some(now);
        out
    }

    /// Builds the audit once, reusing the Typst worlds of the previous builds.
    pub fn rebuild(&mut self) -> Rebuilt {
        let start = Instant::now();
        // In a session the build writes the Chinese report as soon as it is typeset, so
        // that the document on screen refreshes first; the whole output folder, pack
        // included, follows when every document is done.
        let result = crate::build_with(&self.opts, Some(&self.session), &|_| {});
        self.session.render.evict();
        let elapsed = start.elapsed();
        let (ok, report) = match result {
            Ok((built, checked)) => {
                let mut report = self.diagnostics(&built.diagnostics, &checked.audit.sources);
                if !self.style.quiet {
                    let (_, warnings) = built.diagnostics.counts();
                    report.push_str(&format!(
                        "built {} in {:.2} s: {} files, {warnings} warning(s)\n",
                        self.opts.out.display(),
                        elapsed.as_secs_f64(),
                        built.files.len()
                    ));
                }
                (true, report)
            }
            Err(BuildError::Audit(d, sources)) => {
                let mut report = self.diagnostics(&d, &sources);
                report.push_str(&format!(
                    "build failed in {:.2} s; {} is unchanged; fix the errors and save again\n",
                    elapsed.as_secs_f64(),
                    self.opts.out.display()
                ));
                (false, report)
            }
            Err(e) => (false, format!("error: {}\n", chain(&e))),
        };
        Rebuilt {
            elapsed,
            ok,
            report,
        }
    }
}

/// Whether a changed path is one of the audit's inputs (and not the output, a staging
/// folder of a build or an editor's temporary file).
pub fn is_input(root: &Path, out: &Path, path: &Path) -> bool {
    let absolute = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (root, out) = (absolute(root), absolute(out));
    // A removed file cannot be canonicalised; its parent usually can.
    let path = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !path.exists() => absolute(parent).join(name),
        _ => absolute(path),
    };
    if path.starts_with(&out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(&root) else {
        return false;
    };
    let mut parts = rel.components().filter_map(|c| match c {
        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
        _ => None,
    });
    let Some(first) = parts.next() else {
        return false;
    };
    if !INPUTS.contains(&first.as_str()) {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    !(name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || crate::load::names::system_file(&name).is_some())
}

/// Whether an event changes a file's content or existence (not a read, not metadata).
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        // A new modification time is a write (the polling watcher reports writes so);
        // access times, permissions and owners are not.
        EventKind::Modify(ModifyKind::Metadata(m)) => {
            matches!(m, MetadataKind::WriteTime | MetadataKind::Any)
        }
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Watches the audit at `root`, building into `out` once at the start and again after
/// every change of an input, until `stop` is set. Progress goes to `log`.
pub fn watch_until(
    root: &Path,
    out: &Path,
    log: &mut dyn Write,
    style: impl Into<Style>,
    stop: &AtomicBool,
) -> Result<(), WatchError> {
    let style = style.into();
    if !root.join("audit.yaml").is_file() {
        return Err(WatchError::NoAudit {
            root: root.to_path_buf(),
        });
    }
    let watcher = |source| WatchError::Watcher {
        root: root.to_path_buf(),
        source,
    };
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(watcher)?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(watcher)?;
    let mut rebuilder = Rebuilder::new(root, out, style);
    let say = |log: &mut dyn Write, text: &str| {
        let _ = log.write_all(text.as_bytes());
        let _ = log.flush();
    };
    if !style.quiet {
        say(
            log,
            &format!("watching {} (Ctrl-C to stop)\n", root.join("").display()),
        );
    }
    say(log, &rebuilder.rebuild().report);
    while !stop.load(Ordering::Relaxed) {
        let events = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) => events,
            Ok(Err(errors)) => {
                for e in errors {
                    say(log, &format!("warning: file watching: {e}\n"));
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(WatchError::Stopped {
                    root: root.to_path_buf(),
                });
            }
        };
        // Reading a file (as every build does) is an event too: only writes, creations,
        // removals and renames count.
        let changed: Vec<PathBuf> = events
            .iter()
            .filter(|e| changes_content(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter(|p| is_input(root, out, p))
            .cloned()
            .collect();
        if changed.is_empty() {
            continue;
        }
        // Events that arrived while deciding belong to the same edit.
        while rx.try_recv().is_ok() {}
        let names: Vec<String> = changed
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !style.quiet {
            say(log, &format!("\nchanged: {}\n", names.join(", ")));
        }
        say(log, &rebuilder.rebuild().report);
    }
    Ok(())
}

/// Watches until the process is interrupted.
pub fn watch(
    root: &Path,
    out: &Path,
    log: &mut dyn Write,
    style: impl Into<Style>,
) -> Result<(), WatchError> {
    let never = AtomicBool::new(false);
    watch_until(root, out, log, style, &never)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_do_not_trigger_a_build() {
        use notify_debouncer_full::notify::event::{AccessKind, CreateKind, DataChange};
        assert!(!changes_content(&EventKind::Access(AccessKind::Any)));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn only_inputs_trigger_a_build() {
        let root = std::env::temp_dir().join(format!("cpaudit-watch-unit-{}", std::process::id()));
        std::fs::create_dir_all(root.join("narratives")).unwrap();
        let out = root.join("build");
        let yes = [
            "audit.yaml",
            "narratives/01-preparation.yaml",
            "data/balance.xlsx",
            "evidence/monitoring.pdf",
            "profiles/toxic-pollutants.yaml",
        ];
        for p in yes {
            assert!(is_input(&root, &out, &root.join(p)), "{p}");
        }
        let no = [
            "build/report.zh.pdf",
            ".build.partial-12/report.zh.pdf",
            "narratives/.01-preparation.yaml.swp",
            "narratives/01-preparation.yaml~",
            "data/~$balance.xlsx",
            "notes.txt",
            "schemas/audit.schema.json",
        ];
        for p in no {
            assert!(!is_input(&root, &out, &root.join(p)), "{p}");
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}

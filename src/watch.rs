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

use crate::build::Session;
use crate::{BuildError, BuildOptions};
use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
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

/// Builds one audit folder again and again, keeping what can be kept between builds.
pub struct Rebuilder {
    opts: BuildOptions,
    session: Session,
    color: bool,
}

impl Rebuilder {
    /// A rebuilder of the audit at `root` into `out`; `color` for terminal output.
    pub fn new(root: &Path, out: &Path, color: bool) -> Self {
        Rebuilder {
            opts: BuildOptions {
                root: root.to_path_buf(),
                out: out.to_path_buf(),
                emit_typst: None,
            },
            session: Session::default(),
            color,
        }
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
                let mut report = built
                    .diagnostics
                    .render_human(&checked.audit.sources, self.color);
                let (_, warnings) = built.diagnostics.counts();
                report.push_str(&format!(
                    "built {} in {:.2} s: {} files, {warnings} warning(s)\n",
                    self.opts.out.display(),
                    elapsed.as_secs_f64(),
                    built.files.len()
                ));
                (true, report)
            }
            Err(BuildError::Audit(d, sources)) => {
                let mut report = d.render_human(&sources, self.color);
                report.push_str(&format!(
                    "build failed in {:.2} s; {} is unchanged; fix the errors and save again\n",
                    elapsed.as_secs_f64(),
                    self.opts.out.display()
                ));
                (false, report)
            }
            Err(BuildError::Io(message)) => (false, format!("error: {message}\n")),
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
        || name.starts_with("~$"))
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
    color: bool,
    stop: &AtomicBool,
) -> Result<(), String> {
    if !root.join("audit.yaml").is_file() {
        return Err(format!(
            "no audit.yaml in `{}`; give the path of an audit folder (`cpaudit init DIR` makes one)",
            root.display()
        ));
    }
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)
        .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    debouncer
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch `{}`: {e}", root.display()))?;
    let mut rebuilder = Rebuilder::new(root, out, color);
    let say = |log: &mut dyn Write, text: &str| {
        let _ = log.write_all(text.as_bytes());
        let _ = log.flush();
    };
    say(
        log,
        &format!("watching {} (Ctrl-C to stop)\n", root.join("").display()),
    );
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
                return Err("the file watcher stopped".into());
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
        say(log, &format!("\nchanged: {}\n", names.join(", ")));
        say(log, &rebuilder.rebuild().report);
    }
    Ok(())
}

/// Watches until the process is interrupted.
pub fn watch(root: &Path, out: &Path, log: &mut dyn Write, color: bool) -> Result<(), String> {
    let never = AtomicBool::new(false);
    watch_until(root, out, log, color, &never)
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

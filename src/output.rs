//! The output folder (`build/`, or `--out`): cpaudit's own, and replaced crash-safely.
//!
//! A folder cpaudit writes holds a marker, [`MARKER`], that lists every file the last
//! build wrote. A build:
//!
//! 1. refuses an `--out` that is, holds or lies inside the audit's inputs, an existing
//!    file, a link, or a folder that is not empty and holds no marker ([`Output::prepare`]);
//! 2. writes the new output into a hidden sibling staging folder ([`Stage`]), whose marker
//!    says it is staging;
//! 3. links (or copies) into the staging folder every file of the old output that is not
//!    listed, so that a user's own files survive;
//! 4. swaps the two folders in one step (`renameat2(RENAME_EXCHANGE)` on Linux, where it is
//!    supported): at every instant either the old or the new complete output is in place;
//! 5. deletes from the old output only what it listed, and what it linked over.
//!
//! A build that is killed leaves a staging folder; the next build reclaims it
//! ([`reclaim`]): a folder that never became the output is deleted whole (it holds
//! cpaudit's files and links to the user's), an old output loses what it listed, and any
//! other file is moved back into the output or, if that is not possible, kept and named.

use crate::error::FileError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Why an output folder may not be written (or cleaned), or writing it failed. Each
/// variant names the path concerned ([`OutputError::path`]) and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Reading or writing a file failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// The output would be the root of the file system.
    #[error("`{}` cannot be the output folder: it is the root of the file system; choose a folder of its own, e.g. `--out {}`", out.display(), suggestion.display())]
    Root {
        /// The output asked for.
        out: PathBuf,
        /// A folder that would do.
        suggestion: PathBuf,
    },
    /// The output is, holds or lies inside an input of the audit.
    #[error("`{}` cannot be the output folder: it {relation} the audit's input `{input}`, which a build must never overwrite or delete; choose a folder of its own, e.g. `--out {}`", out.display(), suggestion.display())]
    Input {
        /// The output asked for.
        out: PathBuf,
        /// `is`, `holds` or `lies inside`.
        relation: &'static str,
        /// The input, relative to the audit folder.
        input: String,
        /// A folder that would do.
        suggestion: PathBuf,
    },
    /// The output is a link.
    #[error("`{}` is a link; cpaudit writes its output into a folder of its own, not through a link: give the link's target as `--out`, or another folder", out.display())]
    Link {
        /// The output asked for.
        out: PathBuf,
    },
    /// The output is a file.
    #[error("`{}` is an existing file, not a folder; cpaudit will not replace it: choose another `--out`, or move the file away", out.display())]
    NotAFolder {
        /// The output asked for.
        out: PathBuf,
    },
    /// The output holds files and no marker.
    #[error("`{}` already holds files that cpaudit did not write (it has no {MARKER}); cpaudit will not write into it: choose a new or empty folder as `--out`, or move those files away", out.display())]
    NotOurs {
        /// The output asked for.
        out: PathBuf,
    },
    /// A file that is not cpaudit's lies in the evidence pack.
    #[error("`{}` is not cpaudit's but lies inside the evidence pack, which holds only what cpaudit lists; move it out of `{}`", file.display(), pack.display())]
    ForeignInPack {
        /// The file.
        file: PathBuf,
        /// The pack folder.
        pack: PathBuf,
    },
    /// A file that is not cpaudit's has the name of one the build writes.
    #[error("`{}` is not cpaudit's, but this build writes a file of that name; rename or move it, then build again", file.display())]
    Clash {
        /// The user's file.
        file: PathBuf,
    },
    /// A pipe, a device or a socket in the output folder.
    #[error("`{}` is not a regular file (a pipe, a device or a socket); cpaudit cannot carry it into the new output: move it out of the output folder", file.display())]
    Special {
        /// The file.
        file: PathBuf,
    },
    /// A build that is still running is writing the output.
    #[error("a build (process {pid}) is writing `{}` right now; wait until it is done, then clean", out.display())]
    Busy {
        /// The output.
        out: PathBuf,
        /// The build's process id.
        pid: u32,
    },
}

impl OutputError {
    /// The file or folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            OutputError::File(e) => &e.path,
            OutputError::Root { out, .. }
            | OutputError::Input { out, .. }
            | OutputError::Link { out }
            | OutputError::NotAFolder { out }
            | OutputError::NotOurs { out }
            | OutputError::Busy { out, .. } => out,
            OutputError::ForeignInPack { file, .. }
            | OutputError::Clash { file }
            | OutputError::Special { file } => file,
        }
    }
}

/// The marker file in an output folder: JSON, the files the build wrote.
pub const MARKER: &str = ".cpaudit-output.json";

/// What the marker says.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Marker {
    /// Always `"cpaudit output"`; tells cpaudit's marker from any other JSON file.
    pub owner: String,
    /// Why the file is there, for a person who opens it.
    #[serde(default)]
    pub note: String,
    /// Whether the folder is a staging folder that has not become the output yet.
    #[serde(default)]
    pub staging: bool,
    /// Every file the build wrote, relative, `/`-separated, sorted.
    pub files: Vec<String>,
}

const OWNER: &str = "cpaudit output";
const NOTE: &str = "This folder was written by cpaudit. The next build replaces the files listed \
                    here and keeps every other file. Without this file cpaudit refuses to write here.";

impl Marker {
    fn new(files: Vec<String>, staging: bool) -> Marker {
        Marker {
            owner: OWNER.into(),
            note: NOTE.into(),
            staging,
            files,
        }
    }

    /// Reads the marker of `dir`; `None` when there is none or it is not cpaudit's.
    pub fn read(dir: &Path) -> Option<Marker> {
        let path = dir.join(MARKER);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        // A marker is a few kilobytes per hundred files; anything huge is not ours.
        if !meta.is_file() || meta.len() > 64 << 20 {
            return None;
        }
        let m: Marker = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
        (m.owner == OWNER && m.files.iter().all(|f| safe_relative(f))).then_some(m)
    }

    fn write(&self, dir: &Path) -> Result<(), FileError> {
        let path = dir.join(MARKER);
        let tmp = dir.join(format!("{MARKER}.tmp"));
        let text = serde_json::to_vec_pretty(self).map_err(|e| io("write", &tmp, e.into()))?;
        std::fs::write(&tmp, text).map_err(|e| io("write", &tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io("write", &path, e))
    }
}

/// Whether a marker's path stays inside the folder (a forged marker must not make a
/// build delete anything outside it).
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn io(what: &'static str, path: &Path, e: std::io::Error) -> FileError {
    FileError::new(what, path, e)
}

/// An output folder that a build may write: checked, with what its last build wrote.
#[derive(Debug)]
pub struct Output {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// The marker of the existing output, if there is one.
    previous: Option<Marker>,
    /// What reclaiming leftovers could not put back, for a warning.
    pub notes: Vec<String>,
}

/// Paths in the audit folder that no output may be, hold or lie inside.
pub const PROTECTED: [&str; 5] = ["audit.yaml", "narratives", "data", "evidence", "profiles"];

impl Output {
    /// Checks that `out` may be written by a build of the audit at `root` whose input
    /// files are `inputs` (relative to `root`), and reclaims what killed builds left.
    /// `Err` says why it may not, and what to do.
    pub fn prepare(out: &Path, root: &Path, inputs: &[String]) -> Result<Output, OutputError> {
        let abs_out = absolute(out);
        let name = abs_out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError::Root {
                out: out.to_path_buf(),
                suggestion: root.join("build"),
            })?;
        let parent = abs_out.parent().unwrap_or(Path::new("/")).to_path_buf();
        // Most inputs lie in the protected folders; only the others (a workbook declared
        // elsewhere) are resolved one by one, so that thousands of evidence files cost
        // nothing here on every build and every `watch` rebuild.
        let elsewhere = inputs.iter().filter(|p| {
            !PROTECTED
                .iter()
                .any(|d| p.as_str() == *d || p.starts_with(&format!("{d}/")))
        });
        not_an_input(
            out,
            root,
            &abs_out,
            elsewhere.map(|p| (p.clone(), absolute(&root.join(p)))),
        )?;
        restore_legacy_leftovers(&parent, &name, out);
        let previous = match existing_folder(out)? {
            false => None,
            true => match Marker::read(out) {
                Some(m) => Some(m),
                None if is_empty_dir(out) => None,
                None if let Some(m) = legacy_output(out) => Some(m),
                None => {
                    return Err(OutputError::NotOurs {
                        out: out.to_path_buf(),
                    });
                }
            },
        };
        let mut output = Output {
            out: out.to_path_buf(),
            parent,
            name,
            previous,
            notes: Vec::new(),
        };
        if let Some(m) = &mut output.previous
            && m.staging
        {
            // Killed between the swap and the marker's last write.
            m.staging = false;
            m.write(&output.out)?;
        }
        if let Some(m) = &output.previous {
            // A user's file inside the pack would make the pack fail verification.
            let listed: BTreeSet<&str> = m.files.iter().map(String::as_str).collect();
            for rel in walk_paths(&output.out.join("pack")) {
                let rel = Path::new("pack").join(rel);
                if !key(&rel).is_some_and(|k| listed.contains(k.as_str())) {
                    return Err(OutputError::ForeignInPack {
                        file: output.out.join(&rel),
                        pack: output.out.join("pack"),
                    });
                }
            }
        }
        output.reclaim_leftovers();
        Ok(output)
    }

    /// The output folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    fn staging_prefix(&self) -> String {
        format!(".{}.cpaudit-", self.name)
    }

    /// Starts a new output in a staging folder beside the output folder.
    pub fn stage(&self) -> Result<Stage, FileError> {
        std::fs::create_dir_all(&self.parent).map_err(|e| io("create", &self.parent, e))?;
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = self.parent.join(format!(
            "{}{}-{n}",
            self.staging_prefix(),
            std::process::id()
        ));
        std::fs::create_dir(&dir).map_err(|e| io("create", &dir, e))?;
        let stage = Stage { dir, done: false };
        // The marker first: a folder killed right after this is recognised as staging.
        Marker::new(Vec::new(), true).write(&stage.dir)?;
        Ok(stage)
    }

    /// Writes one file into the output at once, listing it in the marker first (for
    /// `watch`, whose report appears before the rest of the build is done).
    pub fn write_early(&mut self, file: &str, data: &[u8]) -> Result<(), OutputError> {
        std::fs::create_dir_all(&self.out).map_err(|e| io("create", &self.out, e))?;
        let mut marker = self
            .previous
            .clone()
            .unwrap_or_else(|| Marker::new(Vec::new(), false));
        if !marker.files.iter().any(|f| f == file) {
            if self.out.join(file).exists() {
                return Err(OutputError::Clash {
                    file: self.out.join(file),
                });
            }
            marker.files.push(file.to_string());
            marker.files.sort();
            marker.write(&self.out)?;
        }
        self.previous = Some(marker);
        let tmp = self
            .out
            .join(format!(".{file}.partial-{}", std::process::id()));
        std::fs::write(&tmp, data).map_err(|e| io("write", &tmp, e))?;
        std::fs::rename(&tmp, self.out.join(file)).map_err(|e| io("write", &self.out, e))?;
        Ok(())
    }

    /// Makes the staged folder the output: carries the user's files over, swaps, and
    /// removes from the old output what cpaudit wrote. Returns notes for the user.
    pub fn commit(&mut self, mut stage: Stage) -> Result<Vec<String>, OutputError> {
        let mut files = walk(&stage.dir);
        files.retain(|f| f != MARKER);
        files.sort();
        Marker::new(files.clone(), true).write(&stage.dir)?;
        let new: BTreeSet<&str> = files.iter().map(String::as_str).collect();
        let old_listed: BTreeSet<String> = self
            .previous
            .as_ref()
            .map(|m| m.files.iter().cloned().collect())
            .unwrap_or_default();
        // The user's files in the old output, carried into the new one.
        let mut carried = Vec::new();
        let out_exists = std::fs::symlink_metadata(&self.out).is_ok();
        if out_exists {
            for rel in walk_paths(&self.out) {
                let k = key(&rel).unwrap_or_default();
                if k == MARKER || old_listed.contains(&k) || is_partial(&k) {
                    continue;
                }
                if new.contains(k.as_str()) {
                    return Err(OutputError::Clash {
                        file: self.out.join(&rel),
                    });
                }
                carry(&self.out.join(&rel), &stage.dir.join(&rel))?;
                carried.push(rel);
            }
        }
        swap(&stage.dir, &self.out, out_exists)?;
        // From here the new output is in place; `stage.dir` holds the old one (if any).
        stage.done = true;
        Marker::new(files.clone(), false).write(&self.out)?;
        self.previous = Some(Marker::new(files, false));
        let mut notes = Vec::new();
        if out_exists {
            notes.extend(clear_old(&stage.dir, &self.out, &old_listed, &carried));
        }
        Ok(notes)
    }

    /// Reclaims the staging folders of builds that were killed.
    fn reclaim_leftovers(&mut self) {
        let prefix = self.staging_prefix();
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&prefix) else {
                continue;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| p == std::process::id() || process_alive(p)) {
                continue;
            }
            if let Some(note) = reclaim(&e.path(), &self.out) {
                self.notes.push(note);
            }
        }
    }
}

/// `Err` when `out` (absolute: `abs_out`) is, holds or lies inside one of the audit's
/// protected folders or one of the `other` inputs (relative and absolute paths).
fn not_an_input(
    out: &Path,
    root: &Path,
    abs_out: &Path,
    other: impl Iterator<Item = (String, PathBuf)>,
) -> Result<(), OutputError> {
    let abs_root = absolute(root);
    let protected = PROTECTED
        .iter()
        .map(|p| (p.to_string(), abs_root.join(p)))
        .chain(other);
    for (rel, p) in protected {
        let why = if abs_out == p {
            "is"
        } else if abs_out.starts_with(&p) {
            "lies inside"
        } else if p.starts_with(abs_out) && std::fs::symlink_metadata(&p).is_ok() {
            "holds"
        } else {
            continue;
        };
        return Err(OutputError::Input {
            out: out.to_path_buf(),
            relation: why,
            input: rel,
            suggestion: root.join("build"),
        });
    }
    Ok(())
}

/// What `cpaudit clean` did.
#[derive(Debug, Default, Serialize)]
pub struct Cleaned {
    /// Files removed from the output folder, relative to it.
    pub removed: Vec<String>,
    /// Staging folders of interrupted builds reclaimed beside it.
    pub staging: Vec<PathBuf>,
    /// Files kept because cpaudit did not write them, relative to the output folder.
    pub kept: Vec<String>,
    /// What could not be put back or removed, for a warning.
    pub notes: Vec<String>,
}

/// Removes what cpaudit wrote into the output folder `out` of the audit at `root`: the
/// files its marker lists, the marker, the folders left empty (`out` itself when nothing
/// else is in it), and the staging folders that interrupted builds left beside it. A file
/// cpaudit did not write is kept and named. Refuses (`Err`, nothing removed) a folder
/// without cpaudit's marker, a link, a file, an audit input, and an output that a running
/// build is writing. A missing folder is cleaned already.
pub fn clean(out: &Path, root: &Path) -> Result<Cleaned, OutputError> {
    let abs_out = absolute(out);
    let Some(name) = abs_out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return Err(OutputError::Root {
            out: out.to_path_buf(),
            suggestion: root.join("build"),
        });
    };
    not_an_input(out, root, &abs_out, std::iter::empty())?;
    let parent = abs_out.parent().unwrap_or(Path::new("/")).to_path_buf();
    let mut cleaned = Cleaned::default();
    let marker = match existing_folder(out)? {
        false => None,
        true => match Marker::read(out).or_else(|| legacy_output(out)) {
            Some(m) => Some(m),
            None if is_empty_dir(out) => None,
            None => {
                return Err(OutputError::NotOurs {
                    out: out.to_path_buf(),
                });
            }
        },
    };
    // Leftovers first: reclaiming one may put the last good output back into `out`.
    let prefix = format!(".{name}.cpaudit-");
    let mut leftovers: Vec<PathBuf> = std::fs::read_dir(&parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    for leftover in leftovers {
        let rest =
            leftover.file_name().unwrap_or_default().to_string_lossy()[prefix.len()..].to_string();
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid.filter(|p| *p != std::process::id() && process_alive(*p)) {
            return Err(OutputError::Busy {
                out: out.to_path_buf(),
                pid,
            });
        }
        if let Some(note) = reclaim(&leftover, out) {
            cleaned.notes.push(note);
        }
        cleaned.staging.push(leftover);
    }
    restore_legacy_leftovers(&parent, &name, out);
    // Read again: a reclaimed leftover may have been the output.
    let marker = Marker::read(out).or_else(|| legacy_output(out)).or(marker);
    if let Some(m) = marker {
        for f in &m.files {
            match std::fs::remove_file(out.join(f)) {
                Ok(()) => cleaned.removed.push(f.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io("remove", &out.join(f), e).into()),
            }
        }
        for rel in walk(out) {
            if is_partial(&rel) && std::fs::remove_file(out.join(&rel)).is_ok() {
                cleaned.removed.push(rel);
            }
        }
        std::fs::remove_file(out.join(MARKER)).map_err(|e| io("remove", &out.join(MARKER), e))?;
        cleaned.kept = walk(out);
        remove_empty_dirs(out);
    }
    Ok(cleaned)
}

/// An output written by a cpaudit from before the marker: only the documents, results.json
/// and a pack that cpaudit bagged. It is adopted, with everything in it listed.
fn legacy_output(dir: &Path) -> Option<Marker> {
    let agent = std::fs::read_to_string(dir.join("pack/bag-info.txt")).ok()?;
    if !agent
        .lines()
        .any(|l| l.starts_with("Bag-Software-Agent: cpaudit "))
    {
        return None;
    }
    only_legacy_names(dir).then(|| Marker::new(walk(dir), false))
}

/// Whether a folder holds only what a cpaudit from before the marker wrote: the
/// documents, results.json and the pack.
fn only_legacy_names(dir: &Path) -> bool {
    let ours = |name: &str| {
        name == "pack"
            || name == "results.json"
            || ((name.starts_with("report.") || name.starts_with("notice."))
                && name.ends_with(".pdf"))
    };
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .all(|e| e.file_name().to_str().is_some_and(ours))
    })
}

/// What a cpaudit from before the marker left when it was killed: `.build.old-PID`, the
/// last good output moved aside (put back when the output is missing), and
/// `.build.partial-PID`, an unfinished one (removed when it holds only cpaudit's names).
fn restore_legacy_leftovers(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (old, partial) = (format!(".{name}.old-"), format!(".{name}.partial-"));
    let mut olds = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        if file.starts_with(&old) && legacy_output(&e.path()).is_some() {
            olds.push(e.path());
        } else if file.starts_with(&partial) && only_legacy_names(&e.path()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    olds.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    if let Some(newest) = olds.last()
        && std::fs::symlink_metadata(out).is_err()
    {
        let _ = std::fs::rename(newest, out);
    }
}

/// A staging folder being filled; removed when dropped before it was committed.
#[derive(Debug)]
pub struct Stage {
    dir: PathBuf,
    done: bool,
}

impl Stage {
    /// The folder to write into.
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.done {
            // Only cpaudit's files and links to the user's (never their only copy).
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Reclaims a staging folder left by a killed build; `Some(note)` when something in it
/// could not be put back and was kept.
fn reclaim(leftover: &Path, out: &Path) -> Option<String> {
    match Marker::read(leftover) {
        // Never became the output: cpaudit's files, and links or copies of files that
        // are still in the output.
        Some(m) if m.staging => {
            let _ = std::fs::remove_dir_all(leftover);
            None
        }
        // The old output, swapped out just before the kill.
        Some(m) => {
            let listed: BTreeSet<String> = m.files.into_iter().collect();
            if std::fs::symlink_metadata(out).is_err() {
                // Killed between two renames: this is the last good output; put it back.
                return std::fs::rename(leftover, out).err().map(|e| {
                    format!(
                        "the last good output is in `{}` and could not be put back ({e}); rename it to `{}`",
                        leftover.display(),
                        out.display()
                    )
                });
            }
            let carried: Vec<PathBuf> = walk_paths(leftover)
                .into_iter()
                .filter(|r| {
                    !key(r).is_some_and(|k| listed.contains(&k) || k == MARKER)
                        && same_file(&leftover.join(r), &out.join(r))
                })
                .collect();
            let notes = clear_old(leftover, out, &listed, &carried);
            notes.into_iter().next()
        }
        None if is_empty_dir(leftover) => {
            let _ = std::fs::remove_dir(leftover);
            None
        }
        None => Some(format!(
            "`{}` was left by an interrupted build but holds files cpaudit cannot account for; move what you need out of it and delete it",
            leftover.display()
        )),
    }
}

/// Removes from the old output (at `old`) the files it listed and those carried into
/// `out`; moves anything else into `out`; removes `old` when it is empty.
fn clear_old(
    old: &Path,
    out: &Path,
    listed: &BTreeSet<String>,
    carried: &[PathBuf],
) -> Vec<String> {
    for rel in listed
        .iter()
        .map(Path::new)
        .chain(carried.iter().map(PathBuf::as_path))
    {
        let _ = std::fs::remove_file(old.join(rel));
    }
    let _ = std::fs::remove_file(old.join(MARKER));
    // Anything left was added while the build ran: put it into the new output.
    let mut kept = Vec::new();
    for rel in walk_paths(old) {
        let (from, to) = (old.join(&rel), out.join(&rel));
        let moved = std::fs::symlink_metadata(&to).is_err()
            && to
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
            && std::fs::rename(&from, &to).is_ok();
        if !moved {
            kept.push(rel);
        }
    }
    remove_empty_dirs(old);
    if kept.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "`{}` holds files that were added to the output during a build and clash with the new output ({}); move what you need out of it and delete it",
            old.display(),
            kept.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )]
    }
}

/// Removes `dir` and the empty folders in it, bottom up; keeps any folder with a file.
fn remove_empty_dirs(dir: &Path) {
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
}

/// The files (and links and special files; not folders) under `dir`, relative, in
/// `/`-separated form; a name that is not UTF-8 is kept exactly (it is never listed).
fn walk(dir: &Path) -> Vec<String> {
    walk_paths(dir).iter().filter_map(|p| key(p)).collect()
}

/// A relative path as a marker lists it; `None` for a name that is not UTF-8.
fn key(rel: &Path) -> Option<String> {
    rel.to_str()
        .map(|s| s.replace(std::path::MAIN_SEPARATOR, "/"))
}

/// [`walk`], as paths, names that are not UTF-8 included.
fn walk_paths(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

/// A file `watch` was writing when it was killed (`.report.zh.pdf.partial-123`).
fn is_partial(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with('.') && name.contains(".partial-")
}

/// Puts a user's file into the staging folder: a hard link, or a copy where the file
/// system has none; links are recreated as links.
fn carry(from: &Path, to: &Path) -> Result<(), OutputError> {
    if let Some(p) = to.parent() {
        std::fs::create_dir_all(p).map_err(|e| io("create", p, e))?;
    }
    let meta = std::fs::symlink_metadata(from).map_err(|e| io("read", from, e))?;
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| io("read", from, e))?;
        return Ok(std::os::unix::fs::symlink(target, to).map_err(|e| io("carry over", from, e))?);
    }
    if !meta.is_file() && !meta.file_type().is_symlink() {
        return Err(OutputError::Special {
            file: from.to_path_buf(),
        });
    }
    std::fs::hard_link(from, to)
        .or_else(|_| std::fs::copy(from, to).map(|_| ()))
        .map_err(|e| io("carry over", from, e))?;
    Ok(())
}

/// Whether two paths are the same file (a hard link) or hold the same bytes.
fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if ma.ino() == mb.ino() && ma.dev() == mb.dev() {
            return true;
        }
    }
    ma.is_file() && mb.is_file() && ma.len() == mb.len() && same_bytes(a, b).unwrap_or(false)
}

/// Whether two files hold the same bytes, compared a block at a time.
fn same_bytes(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(fb.read(&mut bb[..1])? == 0);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

/// Puts `staged` in the place of `out` in one step when `out` exists (exchanging the two,
/// so that `staged` then holds the old output), by a rename otherwise.
fn swap(staged: &Path, out: &Path, out_exists: bool) -> Result<(), FileError> {
    if !out_exists {
        return std::fs::rename(staged, out).map_err(|e| io("create", out, e));
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without the exchange falls back to two renames.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io("replace", out, e.into())),
        }
    }
    // Two renames: for a moment the output is at a hidden name beside it, from where
    // `reclaim` (through the old marker) cannot lose it: the next build finds the old
    // output at `staged` only if the second rename never happened.
    let mut aside = staged.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    std::fs::rename(out, &aside).map_err(|e| io("move aside", out, e))?;
    if let Err(e) = std::fs::rename(staged, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(io("replace", out, e));
    }
    std::fs::rename(&aside, staged).map_err(|e| io("move", &aside, e))
}

/// Whether the output folder exists; a link or a file in its
/// place is refused, as is a folder that cannot be read.
fn existing_folder(out: &Path) -> Result<bool, OutputError> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io("read", out, e).into()),
        Ok(m) if m.file_type().is_symlink() => Err(OutputError::Link {
            out: out.to_path_buf(),
        }),
        Ok(m) if !m.is_dir() => Err(OutputError::NotAFolder {
            out: out.to_path_buf(),
        }),
        Ok(_) => Ok(true),
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether a process of this id is running (a build that may still be writing).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        rustix::process::Pid::from_raw(pid as i32)
            .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

/// `path` made absolute and free of `.` and `..`, with links resolved as far as the
/// path exists (so that `audit/../audit/data` and a link to it compare equal).
pub fn absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let mut lexical = base;
    for c in path.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    // The longest prefix that exists, canonicalised; the rest as it is.
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while let (Err(_), Some(parent), Some(name)) = (
        existing.canonicalize(),
        existing.parent(),
        existing.file_name(),
    ) {
        rest.push(name);
        existing = parent;
    }
    let mut result = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    result.extend(rest.into_iter().rev());
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_paths_must_stay_inside() {
        assert!(safe_relative("pack/data/inputs/audit.yaml"));
        assert!(!safe_relative("../audit.yaml"));
        assert!(!safe_relative("/etc/passwd"));
        assert!(!safe_relative("pack/../../x"));
        assert!(!safe_relative(""));
    }

    #[test]
    fn absolute_resolves_dots_beyond_what_exists() {
        let tmp = std::env::temp_dir();
        let a = absolute(&tmp.join("cpaudit-none/x/../y"));
        assert_eq!(a, tmp.canonicalize().unwrap().join("cpaudit-none/y"));
    }
}

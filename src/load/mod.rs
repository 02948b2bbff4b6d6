//! Load: an audit folder becomes an [`Audit`] — the YAML files parsed, the workbooks
//! read, the evidence files listed. Loading reads only; it never writes into the folder.
//! Every problem found is collected, so one run reports them all.

pub mod guard;
pub mod index_system;
pub mod industry;
pub mod limits;
pub mod names;
pub mod profile;
mod tables;
pub mod workbook;
pub mod yaml;

/// The bilingual strings of the templates (`templates/strings.yaml`): the documents'
/// words, and the common pollutant names loading falls back on.
pub const STRINGS: &str = include_str!("../../templates/strings.yaml");

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::{Audit, SourceFile, Spanned};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The narrative files, in stage order.
pub const NARRATIVES: [&str; 7] = [
    "narratives/01-preparation.yaml",
    "narratives/02-pre-assessment.yaml",
    "narratives/03-assessment.yaml",
    "narratives/04-options.yaml",
    "narratives/05-feasibility.yaml",
    "narratives/06-implementation.yaml",
    "narratives/07-continuous.yaml",
];

/// Loads the audit folder at `root`. `Err` holds the diagnostics when the audit could
/// not be loaded at all (a missing or unparsable file); `Ok` carries the problems found
/// in the workbooks and paths, which the caller adds to the checks.
pub fn load(root: &Path) -> Result<(Audit, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    if !root.join("audit.yaml").is_file() {
        diags.push(
            Diagnostic::error(
                "load::no-audit",
                format!("no audit.yaml in `{}`", root.display()),
            )
            .at(Place::File {
                path: "audit.yaml".into(),
            })
            .help("give the path of an audit folder, or create one with `cpaudit init DIR`"),
        );
        return Err(diags);
    }
    let mut sources = Vec::new();
    let mut read = |rel: &str, diags: &mut Diagnostics| -> Option<String> {
        match read_text(root, rel) {
            Ok(text) => {
                sources.push(SourceFile {
                    path: rel.to_string(),
                    text: text.clone(),
                });
                Some(text)
            }
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let texts: Vec<Option<String>> = std::iter::once("audit.yaml")
        .chain(NARRATIVES)
        .map(|rel| read(rel, &mut diags))
        .collect();

    macro_rules! parse {
        ($i:expr, $rel:expr) => {
            texts[$i]
                .as_deref()
                .and_then(|t| match yaml::parse(t, $rel) {
                    Ok(v) => Some(v),
                    Err(d) => {
                        diags.push(d);
                        None
                    }
                })
        };
    }
    let meta = parse!(0, "audit.yaml");
    let preparation = parse!(1, NARRATIVES[0]);
    let pre_assessment = parse!(2, NARRATIVES[1]);
    let assessment = parse!(3, NARRATIVES[2]);
    let options = parse!(4, NARRATIVES[3]);
    let feasibility = parse!(5, NARRATIVES[4]);
    let implementation = parse!(6, NARRATIVES[5]);
    let continuous = parse!(7, NARRATIVES[6]);
    let (
        Some(meta),
        Some(preparation),
        Some(pre_assessment),
        Some(assessment),
        Some(options),
        Some(feasibility),
        Some(implementation),
        Some(continuous),
    ) = (
        meta,
        preparation,
        pre_assessment,
        assessment,
        options,
        feasibility,
        implementation,
        continuous,
    )
    else {
        return Err(diags);
    };

    let tables = tables::read_all(root, &meta, &mut diags);
    let evidence_files = list_evidence(root, &mut diags);
    let (profile, toxic_pollutants) = profile::load(root, &meta, &mut diags);
    let index_systems = index_system::load(root, &mut diags);
    let industry_profiles = industry::load(root, &toxic_pollutants, &mut diags);
    let industry = industry::choose(&meta, &industry_profiles, &mut diags);
    let audit = Audit {
        root: root.to_path_buf(),
        meta,
        preparation,
        pre_assessment,
        assessment,
        options,
        feasibility,
        implementation,
        continuous,
        tables,
        sources,
        evidence_files,
        profile,
        toxic_pollutants,
        index_systems,
        industry_profiles,
        industry,
    };
    Ok((audit, diags))
}

/// What [`data_files`] loads: a kind of data file with its folder and wording.
pub(crate) struct DataFiles<'a> {
    /// The folder in cpaudit's sources and in an audit folder, e.g. `profiles/industries`.
    pub dir: &'a str,
    /// The files shipped with cpaudit: (id, YAML text).
    pub builtin: &'a [(&'a str, &'a str)],
    /// What one file is, in words (`industry profile`).
    pub what: &'a str,
    /// The diagnostic code for two files with one id.
    pub duplicate_code: &'static str,
}

/// Data files keyed by their `id`: the built-in ones, then the audit folder's own
/// (`DIR/*.yaml`, in name order), which replace a built-in file of the same id. Two files
/// of the folder with one id are an error naming both; a file `parse` refuses is left
/// out (with its diagnostics).
pub(crate) fn data_files<T>(
    root: &Path,
    spec: &DataFiles<'_>,
    mut parse: impl FnMut(&str, &str, &mut Diagnostics) -> Option<T>,
    id: impl Fn(&T) -> String,
    d: &mut Diagnostics,
) -> std::collections::BTreeMap<String, T> {
    let mut files = std::collections::BTreeMap::new();
    for (name, text) in spec.builtin {
        if let Some(f) = parse(text, &format!("builtin:{name}"), d) {
            files.insert(id(&f), f);
        }
    }
    let dir = root.join(spec.dir);
    if !dir.is_dir() {
        return files;
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    for name in names {
        let rel = format!("{}/{name}", spec.dir);
        let text = match read_text(root, &rel) {
            Ok(t) => t,
            Err(e) => {
                d.push(e);
                continue;
            }
        };
        let Some(f) = parse(&text, &rel, d) else {
            continue;
        };
        let key = id(&f);
        if let Some(other) = seen.get(&key) {
            d.push(
                Diagnostic::error(
                    spec.duplicate_code,
                    format!("{} `{key}` is defined twice", spec.what),
                )
                .at(Place::File { path: rel.clone() })
                .related(
                    "also defined in",
                    Place::File {
                        path: other.clone(),
                    },
                )
                .help(format!("give each {} file its own `id`", spec.what)),
            );
            continue;
        }
        seen.insert(key.clone(), rel);
        files.insert(key, f);
    }
    files
}

/// Reads a UTF-8 text file of the audit, refusing paths that leave the folder.
fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    let place = Place::File {
        path: rel.to_string(),
    };
    let path =
        resolve(root, rel).map_err(|m| Diagnostic::error("load::path", m).at(place.clone()))?;
    let meta = std::fs::metadata(&path).map_err(|e| {
        Diagnostic::error("load::missing", format!("cannot read `{rel}`: {e}"))
            .at(place.clone())
            .help("every audit has audit.yaml and the seven files under narratives/; `cpaudit init` creates them")
    })?;
    let max = limits::YAML_BYTES.get();
    if meta.len() > max {
        return Err(Diagnostic::error(
            limits::YAML_BYTES.code,
            format!("`{rel}` is {} bytes, more than the limit of {max} bytes", meta.len()),
        )
        .at(place)
        .help(format!(
            "a narrative file holds prose and tables of an audit; split very long text or move data to a workbook; {}",
            limits::YAML_BYTES.how_to_raise()
        )));
    }
    if !meta.is_file() {
        return Err(
            Diagnostic::error("load::read", format!("`{rel}` is not a regular file")).at(place),
        );
    }
    // Read at most one byte past the limit: the file may have grown since.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(&path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| {
            Diagnostic::error("load::read", format!("cannot read `{rel}`: {e}")).at(place.clone())
        })?;
    if bytes.len() as u64 > max {
        return Err(Diagnostic::error(
            limits::YAML_BYTES.code,
            format!("`{rel}` is more than the limit of {max} bytes"),
        )
        .at(place)
        .help(limits::YAML_BYTES.how_to_raise()));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(
            "load::utf8",
            format!(
                "`{rel}` is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .at(place.clone())
        .help("save the file as UTF-8 (in most editors: Save with encoding → UTF-8)")
    })?;
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error("load::empty", format!("`{rel}` is empty"))
                .at(place)
                .help("`cpaudit init` writes a complete example of every file"),
        );
    }
    Ok(text)
}

/// Resolves a path written in the audit (relative, `/`-separated) to a file inside the
/// audit folder. Absolute paths, `..`, backslashes and links that lead outside are refused.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, PathError> {
    if rel.contains('\\') {
        return Err(PathError::Backslash { rel: rel.into() });
    }
    let p = Path::new(rel);
    if p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(PathError::Leaves { rel: rel.into() });
    }
    let joined = root.join(p);
    if let (Ok(real), Ok(real_root)) = (joined.canonicalize(), root.canonicalize())
        && !real.starts_with(&real_root)
    {
        return Err(PathError::LinkOutside {
            rel: rel.into(),
            target: real,
        });
    }
    Ok(joined)
}

/// Why a path written in the audit does not lead to a file inside the audit folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// Written with a backslash.
    #[error("`{rel}`: write paths with `/`, not `\\`")]
    Backslash {
        /// The path as written.
        rel: String,
    },
    /// Absolute, or with `..`.
    #[error("`{rel}` leaves the audit folder; give a path relative to the folder, without `..`")]
    Leaves {
        /// The path as written.
        rel: String,
    },
    /// A link that leads outside the folder.
    #[error("`{rel}` is a link to `{}`, outside the audit folder; copy the file into the folder", target.display())]
    LinkOutside {
        /// The path as written.
        rel: String,
        /// Where the link leads.
        target: PathBuf,
    },
}

/// A diagnostic's message (`Diagnostic::error(code, e)`).
impl From<PathError> for String {
    fn from(e: PathError) -> String {
        e.to_string()
    }
}

/// Resolves a path from a YAML value, as a diagnostic pointing at the value.
pub fn resolve_spanned(
    root: &Path,
    file: &str,
    rel: &Spanned<String>,
) -> Result<PathBuf, Diagnostic> {
    resolve(root, &rel.value)
        .map_err(|m| Diagnostic::error("load::path", m).at(Place::yaml(file, &rel.referenced)))
}

/// Every regular file under `evidence/`, relative to the audit folder, sorted.
///
/// Everything else there is an error, never silently left out: a FIFO, a device or a
/// socket (nothing to hash, and reading a FIFO blocks), a link that leaves the folder,
/// leads nowhere or leads to a folder, a folder that cannot be read, and a name that
/// is not UTF-8 (it cannot be written in the pack's manifest). Names that are UTF-8
/// but hold invisible characters are listed, and refused by `check` (`unsafe_name`).
fn list_evidence(root: &Path, diags: &mut Diagnostics) -> Vec<String> {
    let dir = root.join("evidence");
    if std::fs::symlink_metadata(&dir).is_err() {
        return Vec::new();
    }
    // The folder itself may be a link; a walk always follows its root.
    if let Err(m) = resolve(root, "evidence") {
        diags.push(Diagnostic::error("evidence::link", m).at(Place::File {
            path: "evidence".into(),
        }));
        return Vec::new();
    }
    if !dir.is_dir() {
        return Vec::new();
    }
    // The path of an entry as the messages show it: relative, `/`-separated, escaped.
    let shown = |path: &Path| -> String {
        path.strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|c| names::escape_os(c.as_os_str()))
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut files = Vec::new();
    // Lock files and folder caches: left out, and named once.
    let mut skipped = Vec::new();
    let mut walk = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(shown)
                    .unwrap_or_else(|| "evidence".to_string());
                let why = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                diags.push(
                    Diagnostic::error("evidence::read", format!("cannot read `{path}`: {why}"))
                        .at(Place::File { path })
                        .help("every file under evidence/ goes into the evidence pack: make the folder readable (e.g. `chmod -R u+rX evidence`), or move what must not be packed out of evidence/"),
                );
                continue;
            }
        };
        let Some(rel) = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("/"))
        else {
            let path = shown(entry.path());
            let what = if entry.file_type().is_dir() {
                "folder"
            } else {
                "file"
            };
            diags.push(
                Diagnostic::error(
                    "evidence::name",
                    format!(
                        "the name of the evidence {what} `{path}` is not UTF-8 text (shown with its bytes escaped as \\xNN)"
                    ),
                )
                .at(Place::File { path })
                .help("rename it (the name was probably written on a system with another encoding, e.g. GBK); its name goes into the evidence pack's manifest, which is UTF-8"),
            );
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if let Some(what) = names::system_file(&entry.file_name().to_string_lossy()) {
            skipped.push(format!("`{}` ({what})", names::escape(&rel)));
            continue;
        }
        if file_type.is_file() {
            files.push(rel);
            continue;
        }
        if entry.path_is_symlink() {
            if let Err(m) = resolve(root, &rel) {
                diags.push(Diagnostic::error("evidence::link", m).at(Place::File {
                    path: names::escape(&rel),
                }));
                continue;
            }
            match std::fs::metadata(entry.path()) {
                Ok(m) if m.is_file() => files.push(rel),
                Ok(m) if m.is_dir() => diags.push(
                    Diagnostic::error(
                        "evidence::link",
                        format!(
                            "`{}` is a link to a folder; links to folders are not followed, so its files would be left out of the evidence pack",
                            names::escape(&rel)
                        ),
                    )
                    .at(Place::File {
                        path: names::escape(&rel),
                    })
                    .help("replace the link with the folder itself (move or copy the files into evidence/)"),
                ),
                Ok(m) => diags.push(special(&rel, &m.file_type(), true)),
                Err(e) => diags.push(
                    Diagnostic::error(
                        "evidence::link",
                        format!(
                            "`{}` is a link that leads nowhere ({e})",
                            names::escape(&rel)
                        ),
                    )
                    .at(Place::File {
                        path: names::escape(&rel),
                    })
                    .help("delete the link, or replace it with the file it should lead to"),
                ),
            }
            continue;
        }
        diags.push(special(&rel, &file_type, false));
    }
    if !skipped.is_empty() {
        diags.push(
            Diagnostic::info(
                "evidence::skipped",
                format!(
                    "skipped {}: written by the system or an office program, not evidence; not hashed into the pack nor listed in the annex",
                    skipped.join(", ")
                ),
            )
            .at(Place::File {
                path: "evidence".into(),
            }),
        );
    }
    files
}

/// An error for an entry of evidence/ that is neither a file nor a folder.
fn special(rel: &str, file_type: &std::fs::FileType, via_link: bool) -> Diagnostic {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            "a FIFO (named pipe)"
        } else if file_type.is_socket() {
            "a socket"
        } else if file_type.is_char_device() {
            "a character device"
        } else if file_type.is_block_device() {
            "a block device"
        } else {
            "an entry that is not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = file_type;
        "an entry that is not a regular file"
    };
    let path = names::escape(rel);
    let how = if via_link { "a link to " } else { "" };
    Diagnostic::error(
        "evidence::special",
        format!("`{path}` is {how}{what}, not a file: it has no content to hash into the evidence pack"),
    )
    .at(Place::File { path })
    .help("evidence/ holds the documents of the audit as plain files: delete it, or replace it with the file it stands for")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder's file replaces the built-in one of its id; two folder files with one id
    /// are an error naming both, and the first one stays.
    #[test]
    fn an_audit_folder_overrides_by_id_and_duplicates_are_named() {
        let root = std::env::temp_dir().join(format!("cpaudit-data-files-{}", std::process::id()));
        let dir = root.join("profiles/things");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), "x\nmine").unwrap();
        std::fs::write(dir.join("b.yaml"), "y\nsecond").unwrap();
        std::fs::write(dir.join("c.yaml"), "y\nthird").unwrap();
        std::fs::write(dir.join("notes.txt"), "z\nignored").unwrap();
        let spec = DataFiles {
            dir: "profiles/things",
            builtin: &[("x", "x\nbuiltin"), ("w", "w\nbuiltin")],
            what: "thing",
            duplicate_code: "thing::duplicate",
        };
        // A file is "id\nbody"; the parsed value keeps the body.
        let parse = |text: &str, _: &str, _: &mut Diagnostics| {
            text.split_once('\n')
                .map(|(id, body)| (id.to_string(), body.to_string()))
        };
        let mut d = Diagnostics::default();
        let files = data_files(&root, &spec, parse, |f| f.0.clone(), &mut d);
        let _ = std::fs::remove_dir_all(&root);
        let bodies: Vec<(&str, &str)> = files
            .values()
            .map(|(id, body)| (id.as_str(), body.as_str()))
            .collect();
        assert_eq!(bodies, [("w", "builtin"), ("x", "mine"), ("y", "second")]);
        assert_eq!(d.0.len(), 1, "{:?}", d.0);
        let e = &d.0[0];
        assert_eq!(e.code, "thing::duplicate");
        assert!(e.message.contains("`y`"), "{}", e.message);
        let text = format!("{:?}", e);
        assert!(
            text.contains("profiles/things/c.yaml") && text.contains("profiles/things/b.yaml"),
            "{text}"
        );
    }
}

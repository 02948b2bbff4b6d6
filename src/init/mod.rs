//! `cpaudit init DIR`: writes a new audit folder — audit.yaml and the seven narratives
//! with comments that explain every field in Chinese and English, the JSON Schemas they
//! name on line 1, and the five workbooks with bilingual headers, notes, drop-down lists
//! and example rows.
//!
//! The scaffold is a small but complete audit: `cpaudit build` on it succeeds, and every
//! placeholder (`（待填写）`, `(to be completed)`) and example row (`（示例）`,
//! `(example)`) is listed as a warning until the auditor replaces it. The YAML files are
//! minijinja templates under `templates/init/`; the industry profile
//! (`profiles/industries/`) gives the pollutants, limits, focuses and options, and
//! [`profile`] the example plant around them.

pub mod profile;
pub mod workbooks;

pub use profile::Industry;

use crate::error::FileError;
use std::path::{Path, PathBuf};

/// Why `init` wrote no audit folder (or not all of it). Each names its file
/// ([`InitError::path`]).
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The path is a file.
    #[error("`{}` exists and is not a folder", dir.display())]
    NotAFolder {
        /// The folder asked for.
        dir: PathBuf,
    },
    /// The folder holds files.
    #[error("`{}` is not empty; `cpaudit init` writes a new audit into a new or empty folder", dir.display())]
    NotEmpty {
        /// The folder asked for.
        dir: PathBuf,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// A YAML template does not render (a defect of cpaudit, caught by its tests).
    #[error("template `{template}`")]
    Template {
        /// The template.
        template: String,
        /// Why.
        #[source]
        source: minijinja::Error,
    },
    /// The industry profile lacks what the scaffold needs (a defect of cpaudit).
    #[error("the built-in industry profile")]
    Profile(#[from] profile::ScaffoldError),
    /// A workbook template could not be written.
    #[error("{message}")]
    Workbook {
        /// The workbook.
        path: PathBuf,
        /// What the workbook writer said, with the path.
        message: String,
    },
}

impl InitError {
    /// The file or folder the error is about; `None` for a defect of cpaudit's own data.
    pub fn path(&self) -> Option<&Path> {
        match self {
            InitError::NotAFolder { dir } | InitError::NotEmpty { dir } => Some(dir),
            InitError::File(e) => Some(&e.path),
            InitError::Workbook { path, .. } => Some(path),
            InitError::Template { .. } | InitError::Profile(_) => None,
        }
    }
}

/// The YAML templates, by the path they are written to.
const TEMPLATES: [(&str, &str); 8] = [
    (
        "audit.yaml",
        include_str!("../../templates/init/audit.yaml"),
    ),
    (
        "narratives/01-preparation.yaml",
        include_str!("../../templates/init/narratives/01-preparation.yaml"),
    ),
    (
        "narratives/02-pre-assessment.yaml",
        include_str!("../../templates/init/narratives/02-pre-assessment.yaml"),
    ),
    (
        "narratives/03-assessment.yaml",
        include_str!("../../templates/init/narratives/03-assessment.yaml"),
    ),
    (
        "narratives/04-options.yaml",
        include_str!("../../templates/init/narratives/04-options.yaml"),
    ),
    (
        "narratives/05-feasibility.yaml",
        include_str!("../../templates/init/narratives/05-feasibility.yaml"),
    ),
    (
        "narratives/06-implementation.yaml",
        include_str!("../../templates/init/narratives/06-implementation.yaml"),
    ),
    (
        "narratives/07-continuous.yaml",
        include_str!("../../templates/init/narratives/07-continuous.yaml"),
    ),
];

pub use crate::model::{EXAMPLE, PLACEHOLDER};

/// Today's date in UTC, from the system clock.
pub fn today() -> (i32, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// The audit id `init` proposes for a folder: its name in lower-case ASCII letters,
/// digits and hyphens, or `my-audit`.
fn audit_id(dir: &Path) -> String {
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .or_else(|| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() { "my-audit".into() } else { id }
}

/// Renders the YAML file at `path` (one of the audit folder's YAML files).
fn render(path: &str, template: &str, context: &serde_json::Value) -> Result<String, InitError> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let source = format!("templates/init/{path}");
    let failed = |e| InitError::Template {
        template: source.clone(),
        source: e,
    };
    env.add_template(&source, template).map_err(failed)?;
    let modeline = crate::schema::modeline(path).unwrap_or_default();
    let mut ctx = context.clone();
    ctx["modeline"] = modeline.into();
    env.get_template(&source)
        .and_then(|t| t.render(minijinja::value::Value::from(minijinja::value::Serde(&ctx))))
        .map(|mut text| {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text
        })
        .map_err(failed)
}

/// Writes a new audit folder into `dir`, which must not exist or be empty. `today` is
/// the date written as the audit's start and report date; the baseline year is the
/// year before. Returns the files written, relative to `dir`.
pub fn init(
    dir: &Path,
    industry: Industry,
    today: (i32, u8, u8),
) -> Result<Vec<String>, InitError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(InitError::NotAFolder {
                dir: dir.to_path_buf(),
            });
        }
        let mut entries = std::fs::read_dir(dir).map_err(FileError::on("read", dir))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty {
                dir: dir.to_path_buf(),
            });
        }
    }
    std::fs::create_dir_all(dir).map_err(FileError::on("create", dir))?;
    let (year, month, day) = today;
    let baseline_year = year - 1;
    let profile = industry.try_profile()?;
    let context = serde_json::json!({
        "id": audit_id(dir),
        "today": format!("{year:04}-{month:02}-{day:02}"),
        "month": format!("{year:04}-{month:02}"),
        "baseline_year": baseline_year,
        "p": profile,
    });
    let mut written = Vec::new();
    let write = |rel: &str, data: &[u8], written: &mut Vec<String>| -> Result<(), FileError> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(FileError::on("create", parent))?;
        }
        std::fs::write(&path, data).map_err(FileError::on("write", &path))?;
        written.push(rel.to_string());
        Ok(())
    };
    for (rel, template) in TEMPLATES {
        let text = render(rel, template, &context)?;
        write(rel, text.as_bytes(), &mut written)?;
    }
    for s in crate::schema::schemas() {
        let rel = format!("schemas/{}", s.schema_name);
        write(
            &rel,
            crate::schema::to_text(&s.schema).as_bytes(),
            &mut written,
        )?;
    }
    let years = [baseline_year - 2, baseline_year - 1, baseline_year];
    for book in workbooks::specs(&profile, years) {
        let path = dir.join(book.spec.file);
        workbooks::write(&book, &path, today)
            .map_err(|message| InitError::Workbook { path, message })?;
        written.push(book.spec.file.to_string());
    }
    write(
        ".gitignore",
        b"# cpaudit build output\n/build/\n",
        &mut written,
    )?;
    let evidence = dir.join("evidence");
    std::fs::create_dir_all(&evidence).map_err(FileError::on("create", &evidence))?;
    written.push("evidence/".into());
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn ids_from_folder_names() {
        assert_eq!(
            audit_id(Path::new("/nowhere/My Audit 2026")),
            "my-audit-2026"
        );
        assert_eq!(audit_id(Path::new("/nowhere/审核")), "my-audit");
    }

    #[test]
    fn every_template_renders_for_every_industry() {
        for industry in [Industry::Dyeing, Industry::Electroplating] {
            let ctx = serde_json::json!({
                "id": "x", "today": "2026-01-02", "month": "2026-01", "baseline_year": 2025,
                "p": industry.profile(),
            });
            for (rel, t) in TEMPLATES {
                let text = render(rel, t, &ctx).unwrap();
                assert!(
                    text.starts_with("# yaml-language-server: $schema="),
                    "{rel}"
                );
            }
        }
    }
}

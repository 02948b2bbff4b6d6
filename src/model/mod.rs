//! The audit as an auditor writes it: serde types of `audit.yaml`, the seven stage
//! narratives and the rows read from the workbooks.
//!
//! Nothing here computes. Values that a later check may point at keep their place of
//! origin: YAML values as [`Spanned`] (line and column), workbook values as [`Cell`]
//! (workbook, sheet and cell), so that every diagnostic names the file and the place.

mod audit;
mod index_system;
mod industry;
mod narratives;
mod profile;
pub mod sheets;
mod tables;
mod words;

pub use audit::*;
pub use index_system::*;
pub use industry::*;
pub use narratives::*;
pub use profile::*;
pub use tables::*;
pub use words::{standard_in, unit_in};

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A YAML value with the line and column it was written at.
/// Words that mark text an auditor still has to write (`init` writes them, `check`
/// finds those left).
pub const PLACEHOLDER: [&str; 2] = ["待填写", "to be completed"];
/// Words that mark example data written by `init`.
pub const EXAMPLE: [&str; 2] = ["（示例）", "(example)"];

pub type Spanned<T> = serde_saphyr::Spanned<T>;

/// A value that was not written in a file (a default).
pub fn unspanned<T>(value: T) -> Spanned<T> {
    let nowhere = serde_saphyr::Location::UNKNOWN;
    Spanned::new(value, nowhere, nowhere)
}

fn zero() -> Spanned<f64> {
    unspanned(0.0)
}

/// A prose field in both report languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Chinese text.
    // The schema states the default of the limit `prose-chars` (docs/limits.md), so that
    // an editor flags an overlong text before `check` does.
    #[schemars(length(max = 20000))]
    pub zh: String,
    /// English text.
    #[schemars(length(max = 20000))]
    pub en: String,
}

impl Text {
    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Chinese first as submitted.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The ISO code used in file names and in Typst's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// One YAML file of the audit, with its text kept for diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the audit folder, with `/` separators (`narratives/04-options.yaml`).
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// The whole audit, loaded: what `check`, `compute` and `render` start from.
#[derive(Debug, Clone)]
pub struct Audit {
    /// The audit folder.
    pub root: PathBuf,
    /// `audit.yaml`.
    pub meta: AuditFile,
    /// `narratives/01-preparation.yaml`.
    pub preparation: Preparation,
    /// `narratives/02-pre-assessment.yaml`.
    pub pre_assessment: PreAssessment,
    /// `narratives/03-assessment.yaml`.
    pub assessment: Assessment,
    /// `narratives/04-options.yaml`.
    pub options: OptionsFile,
    /// `narratives/05-feasibility.yaml`.
    pub feasibility: Feasibility,
    /// `narratives/06-implementation.yaml`.
    pub implementation: Implementation,
    /// `narratives/07-continuous.yaml`.
    pub continuous: Continuous,
    /// Everything read from the workbooks.
    pub tables: Tables,
    /// The YAML sources, for diagnostics that point into them.
    pub sources: Vec<SourceFile>,
    /// Every file under `evidence/`, relative to the audit folder, sorted.
    pub evidence_files: Vec<String>,
    /// The regulation profile audit.yaml chooses, resolved.
    pub profile: Option<Profile>,
    /// Pollutant codes that count as toxic substances, with the list each is on.
    pub toxic_pollutants: std::collections::BTreeMap<String, Text>,
    /// The evaluation index systems known (built in and the audit's own
    /// `profiles/index-systems/`), by id.
    pub index_systems: std::collections::BTreeMap<String, IndexSystemFile>,
    /// The industry profiles known (built in and the audit's own `profiles/industries/`),
    /// by id.
    pub industry_profiles: std::collections::BTreeMap<String, IndustryFile>,
    /// The industry profile the audit uses (`audit.industry_profile`, or the one its
    /// industry code belongs to), if any.
    pub industry: Option<IndustryFile>,
}

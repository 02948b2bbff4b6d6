//! Regulation profiles: what a regulation demands of an audit — its triggers for a
//! mandatory audit, its deadlines, the fields its disclosure notice must carry per
//! trigger, who receives the report, and the chapter vocabulary. Profiles are data
//! (`profiles/regulations/*.yaml`), not code; an audit folder can add or override one.

use super::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A mandatory-audit trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerId {
    /// Discharges exceed a discharge standard (超标).
    ExceedStandard,
    /// Discharges exceed the permitted total (超总量).
    ExceedTotal,
    /// Energy per unit product exceeds its limit (高耗能).
    EnergyLimit,
    /// Toxic or hazardous materials used or substances discharged (双有).
    Toxic,
    /// Any other case the law requires.
    Other,
}

impl TriggerId {
    /// Every trigger.
    pub const ALL: [TriggerId; 5] = [
        TriggerId::ExceedStandard,
        TriggerId::ExceedTotal,
        TriggerId::EnergyLimit,
        TriggerId::Toxic,
        TriggerId::Other,
    ];
}

/// A field of the disclosure notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeField {
    /// 企业名称.
    EnterpriseName,
    /// 法定代表人.
    LegalRepresentative,
    /// 企业所在地址.
    Address,
    /// 排放污染物名称.
    Pollutants,
    /// 排放方式.
    DischargeMode,
    /// 排放浓度.
    Concentration,
    /// 排放总量.
    Total,
    /// 超标、超总量情况.
    Exceedance,
    /// 主要能源品种及消耗量.
    EnergyTypes,
    /// 单位产值能耗.
    EnergyPerOutputValue,
    /// 单位产品能耗.
    EnergyPerProduct,
    /// 超过单位产品能耗限额标准情况.
    EnergyExceedance,
    /// 使用有毒有害原料的名称、数量、用途.
    ToxicMaterials,
    /// 排放有毒有害物质的名称、浓度和数量.
    ToxicDischarges,
    /// 危险废物的产生和处置情况.
    HazardousWaste,
    /// 依法落实环境风险防控措施情况.
    RiskControls,
}

/// A milestone with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneId {
    /// Publishing the disclosure notice.
    Disclosure,
    /// Starting the audit.
    Start,
    /// Submitting the audit report.
    Report,
    /// Evaluation (评估).
    Evaluation,
    /// Acceptance (验收).
    Acceptance,
    /// The next audit round.
    NextAudit,
}

/// Chapter titles of the seven stages in the regulation's wording.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapters {
    /// Stage 1.
    pub preparation: Text,
    /// Stage 2.
    pub pre_assessment: Text,
    /// Stage 3.
    pub assessment: Text,
    /// Stage 4.
    pub options: Text,
    /// Stage 5.
    pub feasibility: Text,
    /// Stage 6.
    pub implementation: Text,
    /// Stage 7.
    pub continuous: Text,
}

/// A trigger as a regulation words it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Which trigger.
    pub id: TriggerId,
    /// The article that sets it.
    pub article: Text,
    /// Its wording.
    pub text: Text,
}

/// A deadline, counted in months from the publication of the list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// Which milestone.
    pub id: MilestoneId,
    /// Months after the list's publication (or after the report, for the next audit).
    pub months: u32,
    /// Only for enterprises that meet one of these triggers (empty: all).
    #[serde(default)]
    pub when: Vec<TriggerId>,
    /// The article that sets it.
    pub article: Text,
    /// Its wording.
    pub text: Text,
}

/// A profile as written in a file: fields may be left to the profile it extends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// Identifier chosen in audit.yaml (`national-2016`).
    pub id: String,
    /// A profile whose fields this one inherits.
    #[serde(default)]
    pub extends: Option<String>,
    /// Name of the regulation.
    pub name: Text,
    /// Issuing instrument.
    pub instrument: Text,
    /// Date in force.
    pub in_force: String,
    /// Chapter vocabulary.
    #[serde(default)]
    pub chapters: Option<Chapters>,
    /// Who receives the report.
    #[serde(default)]
    pub report_to: Option<Text>,
    /// Where the notice is published.
    #[serde(default)]
    pub channel: Option<Text>,
    /// Mandatory-audit triggers.
    #[serde(default)]
    pub triggers: Option<Vec<Trigger>>,
    /// Deadlines.
    #[serde(default)]
    pub deadlines: Option<Vec<Deadline>>,
    /// Notice fields required per trigger.
    #[serde(default)]
    pub disclosure: Option<BTreeMap<TriggerId, Vec<NoticeField>>>,
}

/// A resolved profile: every field present.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// Identifier.
    pub id: String,
    /// Name of the regulation.
    pub name: Text,
    /// Issuing instrument.
    pub instrument: Text,
    /// Date in force.
    pub in_force: String,
    /// Chapter vocabulary.
    pub chapters: Chapters,
    /// Who receives the report.
    pub report_to: Text,
    /// Where the notice is published.
    pub channel: Text,
    /// Mandatory-audit triggers.
    pub triggers: Vec<Trigger>,
    /// Deadlines.
    pub deadlines: Vec<Deadline>,
    /// Notice fields required per trigger.
    pub disclosure: BTreeMap<TriggerId, Vec<NoticeField>>,
    /// Where it was read from (`builtin:national-2016` or a path in the audit folder).
    pub source: String,
}

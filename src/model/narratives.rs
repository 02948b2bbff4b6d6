//! The seven stage narratives under `narratives/`. Every prose field is a [`Text`].

use super::{Spanned, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Evidence paths a narrative item refers to.
pub type EvidenceRefs = Vec<Spanned<String>>;

// ---------------------------------------------------------------- 1 preparation

/// `01-preparation.yaml`: leadership, team, work plan, publicity and training.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preparation {
    /// How the leadership supports the audit.
    pub leadership: Text,
    /// The audit team (审核小组).
    pub team: Vec<TeamMember>,
    /// The work plan (工作计划), one row per stage.
    pub work_plan: Vec<PlanStep>,
    /// Publicity and mobilisation.
    pub publicity: Text,
    /// Training sessions held.
    #[serde(default)]
    pub training: Vec<Training>,
    /// Obstacles met and how they were overcome.
    #[serde(default)]
    pub obstacles: Vec<Obstacle>,
}

/// A member of the audit team.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    /// Name.
    pub name: Text,
    /// Post or title in the enterprise.
    pub post: Text,
    /// Speciality.
    pub speciality: Text,
    /// Role in the team (leader, deputy, member).
    pub role: Text,
    /// Duties in the audit.
    pub duties: Text,
}

/// One step of the work plan.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    /// Stage.
    pub stage: Text,
    /// What is done.
    pub content: Text,
    /// Period (`2026-03 – 2026-04`).
    pub period: String,
    /// Responsible department or person.
    pub responsible: Text,
    /// What it produces.
    pub output: Text,
}

/// A training session.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Date (`YYYY-MM-DD`).
    #[schemars(with = "String")]
    pub date: Spanned<String>,
    /// Topic.
    pub topic: Text,
    /// Who attended.
    pub audience: Text,
    /// Number of participants.
    pub participants: u32,
    /// Sign-in sheets, photos.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub evidence: EvidenceRefs,
}

/// An obstacle and its countermeasure.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obstacle {
    /// The obstacle.
    pub obstacle: Text,
    /// How it was overcome.
    pub countermeasure: Text,
}

// ------------------------------------------------------------ 2 pre-assessment

/// `02-pre-assessment.yaml`: status quo, pollution, candidate focuses, goals.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreAssessment {
    /// Production overview and the status quo in words.
    pub status: Text,
    /// The production process in words.
    pub process: Text,
    /// The production line, in order, with its pollution nodes.
    #[serde(default)]
    pub process_steps: Vec<ProcessStep>,
    /// Main equipment.
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    /// Pollution generation and treatment by medium.
    pub pollution: Vec<PollutionSource>,
    /// Environmental management in words.
    pub management: Text,
    /// Cleaner production measures already taken.
    pub measures_taken: Text,
    /// Comparison with the sector's evaluation index system.
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
    /// The enterprise rated against an evaluation index system (清洁生产水平评价): Y_I,
    /// Y_II, Y_III and the level.
    #[serde(default)]
    pub evaluation: Option<Evaluation>,
    /// Potential for cleaner production.
    pub potential: Text,
    /// Candidate audit focuses and the choice.
    pub focus: FocusChoice,
    /// Cleaner production goals.
    pub goals: Vec<Goal>,
}

/// A step of the production line.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessStep {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Pollution emitted at this step.
    #[serde(default)]
    pub emits: Vec<Medium>,
}

/// An environmental medium a pollution node emits to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// Wastewater (W).
    Wastewater,
    /// Waste gas (G).
    WasteGas,
    /// Solid waste (S).
    SolidWaste,
    /// Noise (N).
    Noise,
}

/// A piece of main equipment.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Name.
    pub name: Text,
    /// Model or specification.
    pub model: String,
    /// Number of units.
    pub count: u32,
    /// Whether it is on the national list of equipment to be phased out.
    #[serde(default)]
    pub phased_out: bool,
    /// For equipment to be phased out: the option that replaces it and by when.
    #[serde(default)]
    pub replaced_by: Option<Replacement>,
}

/// The scheduled replacement of a piece of equipment.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    /// The option that replaces it (an id in 04-options.yaml).
    #[schemars(with = "String")]
    pub option: Spanned<String>,
    /// The date it is to be replaced by (`YYYY-MM-DD`).
    #[schemars(with = "String")]
    pub due: Spanned<String>,
}

/// A source of pollution and how it is treated.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PollutionSource {
    /// Medium.
    pub medium: Medium,
    /// Where it arises.
    pub source: Text,
    /// Main pollutants.
    pub pollutants: Text,
    /// Treatment facility and method.
    pub treatment: Text,
    /// Where it goes.
    pub destination: Text,
}

/// One indicator compared with the sector's evaluation index system.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benchmark {
    /// Indicator.
    pub indicator: Text,
    /// Unit.
    pub unit: String,
    /// The enterprise's value.
    #[schemars(with = "f64")]
    pub value: Spanned<f64>,
    /// Level I, II and III benchmark values.
    pub levels: [f64; 3],
    /// Whether smaller values are better (consumption) or larger (reuse rates).
    #[serde(default = "yes")]
    pub lower_is_better: bool,
}

fn yes() -> bool {
    true
}

/// The enterprise against a cleaner production evaluation index system
/// (清洁生产评价指标体系): the system chosen and, for each of its indicators, a value, a
/// level or "does not apply".
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// Id of the index system: a built-in one (`dyeing-cotton-woven`, `electroplating`)
    /// or `profiles/index-systems/<id>.yaml` in the audit folder.
    #[schemars(with = "String")]
    pub system: Spanned<String>,
    /// Values of the quantitative indicators by indicator id, in the indicator's unit.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub values: BTreeMap<String, Spanned<f64>>,
    /// Levels met on the qualitative indicators by indicator id: 1, 2, 3 or "none".
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, super::LevelMet>")]
    pub levels: BTreeMap<String, Spanned<super::LevelMet>>,
    /// Indicators that do not apply to the enterprise; the others are re-weighted.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub not_applicable: Vec<Spanned<String>>,
}

/// Candidate focuses, their weighted scoring and the choice.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusChoice {
    /// Scoring factors; empty means the manual's defaults.
    #[serde(default)]
    pub factors: Vec<Factor>,
    /// The candidates with their scores per factor.
    pub candidates: Vec<Candidate>,
    /// The chosen candidate's id.
    #[schemars(with = "String")]
    pub chosen: Spanned<String>,
    /// Why it was chosen.
    pub rationale: Text,
}

/// A weighted-scoring factor.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// Identifier the scores refer to.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Weight W (1–10).
    #[schemars(with = "f64")]
    pub weight: Spanned<f64>,
}

/// A candidate audit focus.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// Identifier.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name (workshop or process).
    pub name: Text,
    /// Key facts about it (waste amounts, consumption).
    #[serde(default)]
    pub facts: Option<Text>,
    /// Score R (1–10) per factor id.
    #[schemars(with = "BTreeMap<String, f64>")]
    pub scores: BTreeMap<String, Spanned<f64>>,
}

/// A cleaner production goal (清洁生产目标).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Identifier.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Indicator.
    pub indicator: Text,
    /// Unit.
    pub unit: String,
    /// Value in the baseline year.
    #[schemars(with = "f64")]
    pub baseline: Spanned<f64>,
    /// Near-term target (this audit round).
    #[schemars(with = "f64")]
    pub near_term: Spanned<f64>,
    /// Medium/long-term target.
    #[schemars(with = "f64")]
    pub long_term: Spanned<f64>,
    /// Whether smaller is better (a consumption) or larger (a reuse rate).
    #[serde(default = "yes")]
    pub lower_is_better: bool,
    /// The kind of benefit the options reach the goal by (`water`, `ammonia`, …), when
    /// the goal measures one: the goal's achieved change is then checked against the
    /// options' verified benefits of that kind.
    #[serde(default)]
    #[schemars(with = "Option<BenefitKind>")]
    pub reduces: Option<Spanned<BenefitKind>>,
}

/// A kind of benefit of an option, as `benefits` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BenefitKind {
    /// Fresh water saved, t/a.
    Water,
    /// Electricity saved, kWh/a.
    Electricity,
    /// Steam saved, t/a.
    Steam,
    /// Natural gas saved, m³/a.
    NaturalGas,
    /// Chemicals and dyes saved, t/a.
    Chemicals,
    /// Wastewater reduced, t/a.
    Wastewater,
    /// COD reduced, t/a.
    Cod,
    /// Ammonia nitrogen reduced, t/a.
    Ammonia,
    /// Solid waste reduced, t/a.
    SolidWaste,
}

impl BenefitKind {
    /// Every kind, in the order of `benefits`.
    pub const ALL: [BenefitKind; 9] = [
        BenefitKind::Water,
        BenefitKind::Electricity,
        BenefitKind::Steam,
        BenefitKind::NaturalGas,
        BenefitKind::Chemicals,
        BenefitKind::Wastewater,
        BenefitKind::Cod,
        BenefitKind::Ammonia,
        BenefitKind::SolidWaste,
    ];

    /// The codes monitoring reports use for the pollutant this kind reduces (COD,
    /// ammonia nitrogen), as [`super::industry::normalise_code`] writes them; none for a
    /// resource.
    pub fn pollutant_codes(self) -> &'static [&'static str] {
        match self {
            BenefitKind::Cod => &["cod", "codcr", "cod(cr)", "cod_cr", "化学需氧量"],
            BenefitKind::Ammonia => &[
                "nh3-n",
                "nh3n",
                "nh3_n",
                "nh4-n",
                "nh4+-n",
                "氨氮",
                "ammonianitrogen",
            ],
            _ => &[],
        }
    }

    /// Whether a benefit quantity's code names this kind: the kind's key, or one of the
    /// codes of the pollutant it reduces.
    pub fn matches(self, code: &str) -> bool {
        let c = super::industry::normalise_code(code);
        c == self.key() || self.pollutant_codes().contains(&c.as_str())
    }

    /// The key under `benefits`.
    pub fn key(self) -> &'static str {
        match self {
            BenefitKind::Water => "water",
            BenefitKind::Electricity => "electricity",
            BenefitKind::Steam => "steam",
            BenefitKind::NaturalGas => "natural_gas",
            BenefitKind::Chemicals => "chemicals",
            BenefitKind::Wastewater => "wastewater",
            BenefitKind::Cod => "cod",
            BenefitKind::Ammonia => "ammonia",
            BenefitKind::SolidWaste => "solid_waste",
        }
    }

    /// The unit the benefit is given in.
    pub fn unit(self) -> &'static str {
        match self {
            BenefitKind::Electricity => "kWh/a",
            BenefitKind::NaturalGas => "m³/a",
            _ => "t/a",
        }
    }
}

// ---------------------------------------------------------------- 3 assessment

/// `03-assessment.yaml`: the focus, its unit operations and the causes of waste.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// The audit focus described.
    pub focus: Text,
    /// Its process in words.
    pub process: Text,
    /// Unit operations of the focus.
    pub unit_operations: Vec<UnitOperation>,
    /// How the measurements were made.
    pub measurement: Measurement,
    /// Discussion of the material balance results.
    pub balance_findings: Text,
    /// Discussion of the water balance results.
    pub water_findings: Text,
    /// Causes of waste under the eight aspects.
    pub causes: Vec<Cause>,
}

/// Batch or continuous operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OperationMode {
    /// Batch process: at least three batches are measured.
    Batch,
    /// Continuous process: at least 72 hours are measured.
    Continuous,
}

/// A unit operation of the audit focus.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitOperation {
    /// Identifier the balance workbook refers to.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Its function.
    pub function: Text,
    /// Whether it runs in batches or continuously, when that differs from the mode of
    /// the measurement: a batch unit is measured over at least 3 batches, a continuous
    /// one over at least 72 hours.
    #[serde(default)]
    #[schemars(with = "Option<OperationMode>")]
    pub mode: Option<Spanned<OperationMode>>,
}

/// How the focus was measured.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// Batch or continuous.
    pub mode: OperationMode,
    /// Measuring period (`2026-05-12 – 2026-05-14`).
    pub period: String,
    /// Hours measured (continuous processes).
    #[serde(default)]
    pub hours: Option<f64>,
    /// Method, instruments and sampling.
    pub method: Text,
    /// Monitoring reports.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub evidence: EvidenceRefs,
}

/// The eight aspects under which causes of waste and options are classed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// 原辅材料和能源.
    RawMaterials,
    /// 技术工艺.
    Technology,
    /// 设备.
    Equipment,
    /// 过程控制.
    ProcessControl,
    /// 产品.
    Product,
    /// 废弃物.
    Waste,
    /// 管理.
    Management,
    /// 员工.
    Staff,
}

impl Aspect {
    /// The eight aspects in the manual's order.
    pub const ALL: [Aspect; 8] = [
        Aspect::RawMaterials,
        Aspect::Technology,
        Aspect::Equipment,
        Aspect::ProcessControl,
        Aspect::Product,
        Aspect::Waste,
        Aspect::Management,
        Aspect::Staff,
    ];

    /// The key used in YAML and in the templates' string tables.
    pub fn key(self) -> &'static str {
        match self {
            Aspect::RawMaterials => "raw_materials",
            Aspect::Technology => "technology",
            Aspect::Equipment => "equipment",
            Aspect::ProcessControl => "process_control",
            Aspect::Product => "product",
            Aspect::Waste => "waste",
            Aspect::Management => "management",
            Aspect::Staff => "staff",
        }
    }
}

/// A cause of waste.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    /// Aspect.
    pub aspect: Aspect,
    /// Unit operation where it arises, if one.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unit: Option<Spanned<String>>,
    /// The cause.
    pub description: Text,
    /// Options that answer it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub options: Vec<Spanned<String>>,
}

// ------------------------------------------------------------------ 4 options

/// `04-options.yaml`: the options generated, their class and screening.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionsFile {
    /// How the options were collected.
    pub generation: Text,
    /// Screening factors; empty means the manual's defaults.
    #[serde(default)]
    pub screening_factors: Vec<Factor>,
    /// The options.
    pub options: Vec<CpOption>,
    /// Summary of the screening.
    pub screening_summary: Text,
}

/// Cost class of an option: one type for the narratives and the economics.
pub use crate::calc::economics::CostClass;

/// Where an option stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OptionStatus {
    /// Proposed, not yet decided.
    Proposed,
    /// Approved for implementation (formerly `planned`, still accepted).
    #[serde(alias = "planned")]
    Approved,
    /// Kept but put off to a later round.
    Deferred,
    /// Implemented.
    Implemented,
    /// Rejected at screening or after the feasibility analysis.
    Rejected,
}

/// A cleaner production option (清洁生产方案).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CpOption {
    /// Identifier (`F01`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Aspect it belongs to.
    pub category: Aspect,
    /// Cost class.
    pub cost: CostClass,
    /// Estimated investment, 10⁴ CNY.
    #[schemars(with = "f64")]
    pub investment: Spanned<f64>,
    /// Unit operation it concerns, if one.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub unit: Option<Spanned<String>>,
    /// What it does.
    pub description: Text,
    /// Expected benefits per year.
    #[serde(default)]
    pub benefits: Benefits,
    /// Screening score per screening factor.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub screening: BTreeMap<String, Spanned<f64>>,
    /// Status.
    pub status: OptionStatus,
}

/// Benefits per year (expected, or verified after implementation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benefits {
    /// Economic benefit, 10⁴ CNY/a.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub economic: Option<Spanned<f64>>,
    /// Resources saved and pollutants reduced, each a named quantity per year.
    #[serde(default)]
    pub quantities: Vec<BenefitQuantity>,
    /// Other benefits in words.
    #[serde(default)]
    pub other: Option<Text>,
}

impl Benefits {
    /// The quantity of one kind of benefit, when one is given (the first quantity whose
    /// code names the kind).
    pub fn get(&self, kind: BenefitKind) -> Option<&Spanned<f64>> {
        self.quantities
            .iter()
            .find(|q| q.code.as_deref().is_some_and(|c| kind.matches(c)))
            .map(|q| &q.quantity)
    }
}

/// A quantity of a resource saved or a pollutant reduced per year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenefitQuantity {
    /// What it is, as a code: a pollutant code of the industry profile (`COD`, `NH3-N`,
    /// `Ni`) or a resource the report names (`water`, `steam`, `electricity`,
    /// `natural_gas`, `coal`, `chemicals`, `wastewater`, `solid_waste`,
    /// `hazardous_waste`). Quantities with the same code and unit are summed.
    #[serde(default)]
    pub code: Option<String>,
    /// Its name in both languages, for what no code names (or to name it otherwise).
    #[serde(default)]
    pub name: Option<Text>,
    /// The quantity saved or reduced per year (negative for an increase).
    #[schemars(with = "f64")]
    pub quantity: Spanned<f64>,
    /// Unit of the quantity (`t/a`, `kWh/a`, `m³/a`).
    pub unit: String,
    /// What it is worth, 10⁴ CNY/a, where it is valued.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub value: Option<Spanned<f64>>,
}

// -------------------------------------------------------------- 5 feasibility

/// `05-feasibility.yaml`: analysis of the medium/high-cost options.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feasibility {
    /// Introduction.
    pub introduction: Text,
    /// One analysis per medium/high-cost option.
    pub analyses: Vec<FeasibilityAnalysis>,
    /// The recommendation.
    pub recommendation: Text,
}

/// Feasibility analysis of one option.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeasibilityAnalysis {
    /// The option's id.
    #[schemars(with = "String")]
    pub option: Spanned<String>,
    /// Market and supply.
    #[serde(default)]
    pub market: Option<Text>,
    /// Technical evaluation.
    pub technical: Text,
    /// Environmental evaluation.
    pub environmental: Text,
    /// Investment and its breakdown.
    pub investment: Investment,
    /// Annual revenue increase, 10⁴ CNY/a.
    #[serde(default = "super::zero")]
    #[schemars(with = "f64")]
    pub revenue_increase: Spanned<f64>,
    /// Annual operating-cost reduction, 10⁴ CNY/a (net of new operating costs).
    #[schemars(with = "f64")]
    pub cost_reduction: Spanned<f64>,
    /// Depreciation period Y, years (straight line, no salvage value).
    #[schemars(with = "u32")]
    pub depreciation_period: Spanned<u32>,
    /// Economic life n, years: the years of cash flow for NPV, IRR and payback.
    #[schemars(with = "u32")]
    pub life: Spanned<u32>,
    /// Replacements (mid-life reinvestments) within the life.
    #[serde(default)]
    pub replacements: Vec<ReplacementItem>,
    /// The audit team's decision. Without it an option is adopted when its economics
    /// are feasible; an option adopted against its economics says on what grounds.
    #[serde(default)]
    pub decision: Option<Decision>,
}

/// The audit team's decision on an option after its feasibility analysis.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Whether the option is adopted for implementation.
    #[schemars(with = "bool")]
    pub adopt: Spanned<bool>,
    /// The grounds, where the decision departs from the economic verdict (an option
    /// that fails the criteria but is needed to comply, say).
    #[serde(default)]
    #[schemars(with = "Option<DecisionGrounds>")]
    pub grounds: Option<Spanned<DecisionGrounds>>,
    /// The reasoning in words.
    #[serde(default)]
    pub note: Option<Text>,
}

/// Why an option is adopted (or not) whatever its economics say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionGrounds {
    /// Needed to meet a discharge standard or a permitted total.
    Compliance,
    /// Required by industrial policy (equipment or processes to be phased out).
    Policy,
    /// Its environmental benefit outweighs its economics.
    Environment,
    /// Safety or occupational health.
    Safety,
    /// The enterprise's strategy (products, markets, capacity).
    Strategy,
}

/// Investment of an option.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Investment {
    /// Items (equipment, installation, …), 10⁴ CNY.
    pub items: Vec<InvestmentItem>,
    /// Subsidies received, 10⁴ CNY.
    #[serde(default = "super::zero")]
    #[schemars(with = "f64")]
    pub subsidy: Spanned<f64>,
}

/// A replacement cost falling in one year of the life.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplacementItem {
    /// What is replaced.
    pub item: Text,
    /// Year of the life it falls in, 1..=life.
    #[schemars(with = "u32")]
    pub year: Spanned<u32>,
    /// Amount, 10⁴ CNY.
    #[schemars(with = "f64")]
    pub amount: Spanned<f64>,
}

/// One investment item.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestmentItem {
    /// What it is.
    pub item: Text,
    /// Amount, 10⁴ CNY.
    #[schemars(with = "f64")]
    pub amount: Spanned<f64>,
}

// ------------------------------------------------------------ 6 implementation

/// `06-implementation.yaml`: what was implemented and what it achieved.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Implementation {
    /// The implementation plan in words.
    pub plan: Text,
    /// Results of implemented options.
    pub results: Vec<ImplementationResult>,
    /// Goal indicators after implementation, by goal id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, f64>")]
    pub goal_results: BTreeMap<String, Spanned<f64>>,
    /// Comparison with cleaner production standards after implementation.
    pub comparison: Text,
}

/// Verified results of one implemented option.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImplementationResult {
    /// The option's id.
    #[schemars(with = "String")]
    pub option: Spanned<String>,
    /// When it was completed (`YYYY-MM`).
    pub completed: String,
    /// Actual investment, 10⁴ CNY.
    #[schemars(with = "f64")]
    pub investment: Spanned<f64>,
    /// Verified benefits per year.
    pub benefits: Benefits,
    /// Acceptance records, monitoring, photos.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub evidence: EvidenceRefs,
}

// --------------------------------------------------------------- 7 continuous

/// `07-continuous.yaml`: organisation, systems, the continuous plan and conclusions.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Continuous {
    /// The standing cleaner production organisation.
    pub organisation: Text,
    /// Management systems set up.
    pub systems: Text,
    /// The continuous cleaner production plan.
    pub plan: Vec<ContinuousTask>,
    /// Conclusions of the audit.
    pub conclusions: Text,
}

/// A task of the continuous plan.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContinuousTask {
    /// What is done.
    pub task: Text,
    /// When.
    pub timing: String,
    /// Who.
    pub responsible: Text,
}

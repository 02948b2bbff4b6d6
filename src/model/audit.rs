//! `audit.yaml`: the enterprise, the audit's frame, its settings and its workbooks.

use super::{Spanned, Text};
use serde::{Deserialize, Serialize};

/// The top-level file of an audit folder.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditFile {
    /// A stable identifier of this audit (`hengyuan-2026`); the pack's External-Identifier.
    pub id: String,
    /// The enterprise audited.
    pub enterprise: Enterprise,
    /// Type, regulation, dates and consultancy.
    pub audit: AuditMeta,
    /// Calculation parameters; every field has the manual's default.
    #[serde(default)]
    pub settings: Settings,
    /// The workbooks, by role.
    #[serde(default)]
    pub data: DataFiles,
    /// Titles of evidence files, for the annex (files under `evidence/` without an entry
    /// are listed by name).
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
    /// Facts the regulation's triggers and notice need beyond the workbooks.
    #[serde(default)]
    pub compliance: Compliance,
    /// Values and sections that are trade secrets: kept in the submission report, removed
    /// from the notices and the public edition of the report.
    #[serde(default)]
    pub confidential: Vec<ConfidentialMark>,
}

/// Facts for the mandatory-audit test and the disclosure notice.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    /// The energy consumption limit per unit product that applies (单位产品能耗限额).
    #[serde(default)]
    pub energy_limit: Option<EnergyLimit>,
    /// Hazardous waste generated and how it is handled (危险废物的产生和处置情况).
    #[serde(default)]
    pub hazardous_waste: Option<Text>,
    /// Environmental-risk controls in place (环境风险防控措施).
    #[serde(default)]
    pub risk_controls: Option<Text>,
}

/// An energy limit per unit product.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnergyLimit {
    /// The limit.
    #[schemars(with = "f64")]
    pub value: Spanned<f64>,
    /// Its unit: `kgce/100 m`, or `tce/…` / `kgce/…` per the main product's unit.
    #[schemars(with = "String")]
    pub unit: Spanned<String>,
    /// The standard that sets it.
    pub standard: Text,
}

/// A value or section marked confidential.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfidentialMark {
    /// Dotted path to the value: a narrative (`options`, `feasibility`, `meta`, …) then
    /// keys, with list items named by their id (`options.options.F19.investment`,
    /// `feasibility.analyses.F20`, `meta.enterprise.registered_capital`). A whole option
    /// (`options.options.F19`) hides it everywhere, results included.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// Why (shown in the submission report's list of confidential items).
    #[serde(default)]
    pub reason: Option<Text>,
}

/// Enterprise profile (企业基本情况).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// Registered name.
    pub name: Text,
    /// Legal representative (法定代表人).
    pub legal_representative: Text,
    /// Address.
    pub address: Text,
    /// Industry as described in words.
    pub industry: Text,
    /// National economic industry classification code (GB/T 4754), e.g. `C1713`.
    pub industry_code: String,
    /// Year founded.
    pub established: u32,
    /// Number of employees.
    #[schemars(with = "u32")]
    pub staff: Spanned<u32>,
    /// Registered capital, 10⁴ CNY.
    #[serde(default)]
    pub registered_capital: Option<f64>,
    /// Site area, m².
    #[serde(default)]
    pub site_area: Option<f64>,
    /// Annual working days.
    #[serde(default)]
    pub working_days: Option<u32>,
    /// Contact person and telephone.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Main products and design capacity.
    pub products: Vec<Product>,
    /// Company overview for the preface.
    pub overview: Text,
}

/// A contact person.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: Text,
    /// Telephone.
    pub phone: String,
}

/// A main product.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Identifier used by the workbooks (`fabric`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Design capacity per year, in `unit`.
    #[schemars(with = "f64")]
    pub capacity: Spanned<f64>,
    /// Unit of output (`10⁴ m`, `t`, `m²`).
    pub unit: String,
    /// How the output counts under the discharge standard's benchmark drainage
    /// (基准排水量), for the benchmark-water concentration (GB 4287-2012, GB 21900-2008).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<ProductBenchmark>,
}

/// A product's place in the benchmark drainage table of the industry profile.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBenchmark {
    /// The product category of the industry profile's `benchmark_volumes`, by its Chinese
    /// or English name (`棉、麻、化纤及混纺机织物`, `多层镀`).
    #[schemars(with = "String")]
    pub category: Spanned<String>,
    /// Units of the standard's product (the denominator of the benchmark: t of standard
    /// product for dyeing, m² plated for electroplating) per unit of output (`unit`):
    /// 1.2 for cotton woven fabric counted in 万米 at 12 kg of standard product per 100 m
    /// (FZ/T 01002-2010); 10000 for plating counted in 万m².
    #[schemars(with = "f64")]
    pub per_unit: Spanned<f64>,
}

/// Audit type: mandatory (强制性) or voluntary (自愿性).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AuditKind {
    /// On the published list of enterprises that must audit.
    Mandatory,
    /// Undertaken voluntarily.
    Voluntary,
}

/// The audit's frame: type, regulation profile, dates and people.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditMeta {
    /// Mandatory or voluntary.
    pub kind: AuditKind,
    /// Regulation profile (`national-2016`, `national-2004`, …).
    pub regulation: String,
    /// Industry profile (`dyeing`, `electroplating`, or `profiles/industries/<id>.yaml` in
    /// the audit folder): the discharge standards and limits the emissions are compared
    /// with, the toxic materials and typical pollutants. Absent: the profile whose
    /// GB/T 4754 codes include `enterprise.industry_code`, if any.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub industry_profile: Option<Spanned<String>>,
    /// Which round of audit this is (1 for the first).
    #[serde(default = "one")]
    pub round: u32,
    /// Baseline year of the status-quo data (the last full year before the audit).
    #[schemars(with = "i32")]
    pub baseline_year: Spanned<i32>,
    /// Date the list of mandatory enterprises was published (`YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub list_published: Option<Spanned<String>>,
    /// Date the audit started.
    #[schemars(with = "String")]
    pub started: Spanned<String>,
    /// Date of the report; also the PDFs' creation date and the pack's Bagging-Date.
    #[schemars(with = "String")]
    pub report_date: Spanned<String>,
    /// Date the disclosure notice was published.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub disclosed: Option<Spanned<String>>,
    /// Date of the evaluation (评估), once held.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub evaluated: Option<Spanned<String>>,
    /// Date of the acceptance (验收), once held.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub accepted: Option<Spanned<String>>,
    /// The consultancy that assisted, if any.
    #[serde(default)]
    pub consultancy: Option<Consultancy>,
    /// Who compiled the report.
    pub compiled_by: Text,
    /// Who reviewed it.
    pub reviewed_by: Text,
    /// Who approved it.
    pub approved_by: Text,
}

fn one() -> u32 {
    1
}

/// The consultancy (咨询服务机构) and its certified auditors.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultancy {
    /// Name.
    pub name: Text,
    /// Credentials (provincial recommendation, registration).
    #[serde(default)]
    pub credential: Option<Text>,
    /// Certified cleaner-production auditors (清洁生产审核师).
    #[serde(default)]
    pub auditors: Vec<Auditor>,
}

/// A certified auditor.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auditor {
    /// Name.
    pub name: Text,
    /// Certificate number.
    pub certificate: String,
}

/// Basis for converting electricity to standard coal (GB/T 2589-2020).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ElectricityBasis {
    /// 当量值: 0.1229 kgce/kWh.
    #[default]
    Equivalent,
    /// 等价值: the year's average supply coal consumption, given in `electricity_primary`.
    Primary,
}

/// Calculation parameters.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Discount rate for NPV (fraction, 0.06 = 6 %); also the benchmark rate for IRR.
    #[schemars(with = "f64")]
    pub discount_rate: Spanned<f64>,
    /// Income tax rate (fraction).
    #[schemars(with = "f64")]
    pub tax_rate: Spanned<f64>,
    /// Electricity conversion basis.
    pub electricity_basis: ElectricityBasis,
    /// Coefficient for the primary-energy basis, kgce/kWh.
    pub electricity_primary: f64,
    /// Largest acceptable material-balance closure error (fraction).
    pub balance_tolerance: f64,
    /// Largest acceptable water-balance gap (fraction of new water).
    pub water_tolerance: f64,
    /// Benchmark static payback for medium-cost options, years.
    pub payback_medium: f64,
    /// Benchmark static payback for high-cost options, years.
    pub payback_high: f64,
    /// Investment (10⁴ CNY) from which an option counts as medium cost (中费); below it,
    /// low cost (低费), and at 0 no cost (无费).
    pub medium_cost_threshold: f64,
    /// Investment (10⁴ CNY) from which an option counts as high cost (高费).
    pub high_cost_threshold: f64,
}

impl Default for Settings {
    fn default() -> Self {
        let here = super::unspanned;
        Settings {
            discount_rate: here(0.06),
            tax_rate: here(0.25),
            electricity_basis: ElectricityBasis::Equivalent,
            electricity_primary: 0.300,
            balance_tolerance: 0.05,
            water_tolerance: 0.05,
            payback_medium: 3.0,
            payback_high: 10.0,
            medium_cost_threshold: crate::calc::economics::MEDIUM_COST_THRESHOLD,
            high_cost_threshold: crate::calc::economics::HIGH_COST_THRESHOLD,
        }
    }
}

/// The workbooks of the audit, by role; paths relative to the audit folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataFiles {
    /// Three years of output, materials, energy and water.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub status: Option<Spanned<String>>,
    /// Measured streams of the audit focus, per batch.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub balance: Option<Spanned<String>>,
    /// Water balance test by water user.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub water: Option<Spanned<String>>,
    /// Discharges with concentrations, flows and limits.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub emissions: Option<Spanned<String>>,
    /// Year-by-year cash flows of options.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub cash_flows: Option<Spanned<String>>,
}

/// A described evidence file.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceEntry {
    /// Path relative to the audit folder (`evidence/monitoring-2026-05.pdf`).
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// What it is.
    pub title: Text,
}

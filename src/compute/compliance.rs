//! Compliance: the mandatory-audit test from the data, the timeline against the chosen
//! regulation profile's deadlines, and the disclosure notice's field set with the facts
//! it needs. Exceedances are computed from the discharges, never typed. What the audit
//! lacks or does late is said by `check/compliance.rs` over these results.

use super::{DischargeResult, PermitResult, YearStatus};
use crate::calc::dates::Date;
use crate::model::*;
use serde::Serialize;

/// Everything the regulation asks, computed.
#[derive(Debug, Clone, Serialize)]
pub struct ComplianceResult {
    /// The profile applied.
    pub profile: Profile,
    /// Each of the profile's triggers, met or not, with the figures that decide it.
    pub triggers: Vec<TriggerResult>,
    /// Deadlines beside the actual dates.
    pub timeline: Vec<Milestone>,
    /// The notice's fields: the union of those required for the triggers met.
    pub notice_fields: Vec<NoticeField>,
    /// Toxic or hazardous materials used in the baseline year.
    pub toxic_materials: Vec<ToxicMaterial>,
    /// Discharges of toxic substances.
    pub toxic_discharges: Vec<ToxicDischarge>,
    /// Energy facts of the baseline year for the notice.
    pub energy: Option<EnergyFacts>,
    /// The audit checked against the evaluation's veto and conformity items.
    pub self_assessment: Vec<SelfCheck>,
}

/// One item of the self-assessment against the evaluation and acceptance checks
/// (domain.md §2.2: veto items, any of which fails an evaluation; report-conformity items).
#[derive(Debug, Clone, Serialize)]
pub struct SelfCheck {
    /// Stable id.
    pub id: &'static str,
    /// Veto item (否定项) or conformity item.
    pub veto: bool,
    /// Pass, fail, or needs the auditor's attention.
    pub status: CheckStatus,
    /// What is checked.
    pub item: Text,
    /// What was found.
    pub finding: Text,
}

/// Outcome of a self-assessment item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Cannot be decided from the data; the auditor must confirm.
    Attention,
}

/// One trigger of the profile.
#[derive(Debug, Clone, Serialize)]
pub struct TriggerResult {
    /// Which.
    pub id: TriggerId,
    /// The article.
    pub article: Text,
    /// Its wording.
    pub text: Text,
    /// Whether the data meets it.
    pub met: bool,
    /// The records that decide it, each named where the results hold it.
    pub findings: Vec<Finding>,
}

/// What makes a trigger met: a record of the results, named by where it is, so that
/// its figures are computed and stored once (the documents print them from there).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// `discharges[index]` is above its concentration limit.
    Discharge {
        /// Index into the results' discharges.
        index: usize,
    },
    /// `permits[index]` is above its permitted annual total.
    Permit {
        /// Index into the results' permits.
        index: usize,
    },
    /// The energy facts (`compliance.energy`) are above the energy limit.
    Energy,
    /// `compliance.toxic_materials[index]` is used.
    ToxicMaterial {
        /// Index into the toxic materials.
        index: usize,
    },
    /// `compliance.toxic_discharges[index]` is discharged.
    ToxicDischarge {
        /// Index into the toxic discharges.
        index: usize,
    },
}

/// A milestone of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// Which.
    pub id: MilestoneId,
    /// The article.
    pub article: Text,
    /// Its wording.
    pub text: Text,
    /// Due date.
    pub due: Option<String>,
    /// Actual date.
    pub actual: Option<String>,
    /// Met, late, missing or pending.
    pub status: MilestoneStatus,
}

/// Where a milestone stands on the report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Done by the deadline.
    OnTime,
    /// Done after the deadline.
    Late,
    /// Not done, and the deadline has passed.
    Overdue,
    /// Not done, deadline still ahead.
    Pending,
    /// No list publication date, so no deadline.
    Undetermined,
}

/// A toxic or hazardous material.
#[derive(Debug, Clone, Serialize)]
pub struct ToxicMaterial {
    /// Name.
    pub name: Text,
    /// Amount in the baseline year.
    pub quantity: f64,
    /// Unit.
    pub unit: String,
    /// The list it is on, as the workbook says.
    pub list: Option<String>,
    /// The list or category the industry profile's toxic-material catalogue gives for it,
    /// when its name matches an entry (it then counts even if the workbook does not mark
    /// it toxic).
    pub listed_as: Option<Text>,
    /// What it is used for.
    pub purpose: Option<String>,
}

/// A discharge of a toxic substance.
#[derive(Debug, Clone, Serialize)]
pub struct ToxicDischarge {
    /// Pollutant code.
    pub pollutant: String,
    /// The pollutant's name, when the industry profile declares its code.
    pub pollutant_name: Option<Text>,
    /// The list it is on.
    pub list: Text,
    /// Outlet name.
    pub source_name: Text,
    /// Discharge mode.
    pub mode: Text,
    /// Concentration and unit.
    pub concentration: f64,
    /// Unit.
    pub concentration_unit: String,
    /// The limit the emissions workbook gives, in the concentration's unit.
    pub limit: f64,
    /// The standard it names.
    pub standard: String,
    /// The benchmark-water concentration judged instead of `concentration` when the
    /// drainage ratio is above 1 (GB 4287-2012, GB 21900-2008).
    pub benchmark_concentration: Option<f64>,
    /// Whether the limit is exceeded (by the concentration judged).
    pub exceeds: bool,
    /// By how much, as a fraction of the limit; none when within.
    pub excess: Option<f64>,
    /// Annual amount, t/a.
    pub annual_t: Option<f64>,
}

/// Energy facts of the baseline year.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyFacts {
    /// Year.
    pub year: i32,
    /// Comprehensive energy, tce.
    pub total_tce: f64,
    /// Energy per 10⁴ CNY output value, tce.
    pub per_output_value: Option<f64>,
    /// Energy per unit product, in the limit's unit when one is given.
    pub per_product: Option<f64>,
    /// Unit of `per_product`.
    pub per_product_unit: String,
    /// The limit, if one applies.
    pub limit: Option<f64>,
    /// The standard setting the limit.
    pub limit_standard: Option<Text>,
    /// per_product / limit − 1 when above the limit.
    pub excess: Option<f64>,
}

/// Computes the compliance results; `None` when no profile resolved (already reported).
pub fn compliance(
    audit: &Audit,
    status: &[YearStatus],
    discharges: &[DischargeResult],
    permits: &[PermitResult],
) -> Option<ComplianceResult> {
    let profile = audit.profile.clone()?;
    let baseline = audit.meta.audit.baseline_year.value;
    let energy = energy_facts(audit, status, baseline);
    let toxic_materials: Vec<ToxicMaterial> = audit
        .tables
        .materials
        .iter()
        .filter(|m| m.year.value == baseline)
        .filter_map(|m| {
            // A material the industry profile knows to contain a toxic substance counts
            // whatever the workbook says (check/industry.rs warns when it is unmarked).
            let listed_as = super::industry::toxic_material(audit, &m.name).map(|t| t.list.clone());
            (m.toxic || listed_as.is_some()).then(|| ToxicMaterial {
                name: m.name.clone(),
                quantity: m.quantity.value,
                unit: m.unit.value.clone(),
                list: m.toxic_list.clone(),
                listed_as,
                purpose: m.purpose.clone(),
            })
        })
        .collect();
    let toxic_discharges: Vec<ToxicDischarge> = discharges
        .iter()
        .filter_map(|x| {
            let list = super::industry::toxic_entry(audit, x.medium, &x.pollutant)?;
            Some(ToxicDischarge {
                pollutant: x.pollutant.clone(),
                pollutant_name: x.pollutant_name.clone(),
                list: list.clone(),
                source_name: x.source_name.clone(),
                mode: x.mode.clone(),
                concentration: x.concentration,
                concentration_unit: x.concentration_unit.clone(),
                limit: x.limit,
                standard: x.standard.clone(),
                benchmark_concentration: converted(x),
                exceeds: x.exceeds,
                excess: x.excess,
                annual_t: x.annual_t,
            })
        })
        .collect();
    let triggers: Vec<TriggerResult> = profile
        .triggers
        .iter()
        .map(|t| {
            let findings = findings(
                t.id,
                discharges,
                permits,
                energy.as_ref(),
                &toxic_materials,
                &toxic_discharges,
            );
            TriggerResult {
                id: t.id,
                article: t.article.clone(),
                text: t.text.clone(),
                met: !findings.is_empty(),
                findings,
            }
        })
        .collect();
    let met: Vec<TriggerId> = triggers.iter().filter(|t| t.met).map(|t| t.id).collect();
    let mut notice_fields: Vec<NoticeField> = Vec::new();
    for t in &met {
        for f in profile.disclosure.get(t).into_iter().flatten() {
            if !notice_fields.contains(f) {
                notice_fields.push(*f);
            }
        }
    }
    // A mandatory audit publishes a notice even when no trigger is met in the data:
    // then it shows the identity fields and the discharges.
    if notice_fields.is_empty() {
        notice_fields = profile
            .disclosure
            .get(&TriggerId::ExceedStandard)
            .cloned()
            .unwrap_or_default();
    }
    let timeline = timeline(audit, &profile, &met);
    let self_assessment = self_assessment(audit, &triggers, &timeline);
    Some(ComplianceResult {
        profile,
        triggers,
        timeline,
        notice_fields,
        toxic_materials,
        toxic_discharges,
        energy,
        self_assessment,
    })
}

/// The benchmark-water concentration of a discharge when it, not the measured one, is
/// judged.
fn converted(x: &DischargeResult) -> Option<f64> {
    x.benchmark
        .as_ref()
        .filter(|b| b.converted)
        .map(|b| b.concentration)
}

/// The records that meet a trigger.
fn findings(
    id: TriggerId,
    discharges: &[DischargeResult],
    permits: &[PermitResult],
    energy: Option<&EnergyFacts>,
    toxic_materials: &[ToxicMaterial],
    toxic_discharges: &[ToxicDischarge],
) -> Vec<Finding> {
    let indices = |n: usize, f: fn(usize) -> Finding| (0..n).map(f).collect::<Vec<_>>();
    match id {
        TriggerId::ExceedStandard => discharges
            .iter()
            .enumerate()
            .filter(|(_, x)| x.exceeds)
            .map(|(index, _)| Finding::Discharge { index })
            .collect(),
        TriggerId::ExceedTotal => permits
            .iter()
            .enumerate()
            .filter(|(_, p)| p.exceeds)
            .map(|(index, _)| Finding::Permit { index })
            .collect(),
        TriggerId::EnergyLimit => energy
            .filter(|e| e.excess.is_some())
            .map(|_| vec![Finding::Energy])
            .unwrap_or_default(),
        TriggerId::Toxic => {
            let mut found = indices(toxic_materials.len(), |index| Finding::ToxicMaterial {
                index,
            });
            found.extend(indices(toxic_discharges.len(), |index| {
                Finding::ToxicDischarge { index }
            }));
            found
        }
        TriggerId::Other => Vec::new(),
    }
}

fn energy_facts(audit: &Audit, status: &[YearStatus], year: i32) -> Option<EnergyFacts> {
    let y = status.iter().find(|s| s.year == year)?;
    let e = y.energy.as_ref()?;
    let limit = audit.meta.compliance.energy_limit.as_ref();
    let (per_product, unit) = match limit.map(|l| l.unit.value.replace(' ', "")) {
        Some(u) if u.ends_with("/100m") => {
            let scale = if u.starts_with("tce") { 0.001 } else { 1.0 };
            (
                y.energy_per_100m.map(|v| v * scale),
                limit.map(|l| l.unit.value.clone()).unwrap_or_default(),
            )
        }
        Some(u) if u.starts_with("kgce/") => (
            y.energy_per_unit.map(|v| v * 1000.0),
            format!("kgce/{}", y.output_unit),
        ),
        Some(u) if u.starts_with("tce/") => (y.energy_per_unit, format!("tce/{}", y.output_unit)),
        // A unit of another form is an error of `check` (check/units.rs).
        Some(_) => (None, String::new()),
        None if y.energy_per_100m.is_some() => (y.energy_per_100m, "kgce/100 m".into()),
        None => (y.energy_per_unit, format!("tce/{}", y.output_unit)),
    };
    let limit_value = limit.map(|l| l.value.value);
    let excess = per_product
        .zip(limit_value)
        .and_then(|(v, l)| crate::calc::ratio(v, l))
        .filter(|r| *r > 1.0)
        .map(|r| r - 1.0);
    Some(EnergyFacts {
        year,
        total_tce: e.total_tce,
        per_output_value: y
            .output_value
            .and_then(|v| crate::calc::ratio(e.total_tce, v)),
        per_product,
        per_product_unit: unit,
        limit: limit_value,
        limit_standard: limit.map(|l| l.standard.clone()),
        excess,
    })
}

fn parse(v: &Spanned<String>) -> Option<Date> {
    let (y, m, d) = crate::calc::dates::parse_date(&v.value)?;
    Date::new(y, m as u32, d as u32)
}

fn timeline(audit: &Audit, profile: &Profile, met: &[TriggerId]) -> Vec<Milestone> {
    let a = &audit.meta.audit;
    let listed = a.list_published.as_ref().and_then(parse);
    let report = parse(&a.report_date);
    let actual = |id: MilestoneId| -> Option<Date> {
        match id {
            MilestoneId::Disclosure => a.disclosed.as_ref().and_then(parse),
            MilestoneId::Start => parse(&a.started),
            MilestoneId::Report => report,
            MilestoneId::Evaluation => a.evaluated.as_ref().and_then(parse),
            MilestoneId::Acceptance => a.accepted.as_ref().and_then(parse),
            MilestoneId::NextAudit => None,
        }
    };
    profile
        .deadlines
        .iter()
        .filter(|dl| dl.when.is_empty() || dl.when.iter().any(|t| met.contains(t)))
        .map(|dl| {
            // The next round counts from this round's report; the rest from the list.
            let from = if dl.id == MilestoneId::NextAudit {
                report
            } else {
                listed
            };
            let due = from.map(|f| f.add_months(dl.months));
            let done = actual(dl.id);
            let status = match (due, done) {
                (None, _) => MilestoneStatus::Undetermined,
                (Some(due), Some(done)) if done <= due => MilestoneStatus::OnTime,
                (Some(_), Some(_)) => MilestoneStatus::Late,
                (Some(due), None) if report.is_some_and(|r| r > due) => MilestoneStatus::Overdue,
                (Some(_), None) => MilestoneStatus::Pending,
            };
            Milestone {
                id: dl.id,
                article: dl.article.clone(),
                text: dl.text.clone(),
                due: due.map(Date::iso),
                actual: done.map(Date::iso),
                status,
            }
        })
        .collect()
}

fn t(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// The evaluation's veto items and the report-conformity items that the data decides.
fn self_assessment(
    audit: &Audit,
    triggers: &[TriggerResult],
    timeline: &[Milestone],
) -> Vec<SelfCheck> {
    use CheckStatus::*;
    let mut out = Vec::new();
    let mut push = |id, veto, status, item: Text, finding: Text| {
        out.push(SelfCheck {
            id,
            veto,
            status,
            item,
            finding,
        })
    };
    let pre = &audit.pre_assessment;

    let chosen = pre
        .focus
        .candidates
        .iter()
        .find(|c| c.id.value == pre.focus.chosen.value);
    let focus_ok = chosen.is_some();
    // The focus by its name, as the report names it; its id only if it names nothing.
    let focus = |zh: bool| {
        chosen.map_or(pre.focus.chosen.value.clone(), |c| {
            if zh {
                c.name.zh.clone()
            } else {
                c.name.en.clone()
            }
        })
    };
    let goals_ok = !pre.goals.is_empty();
    push(
        "focus-and-goals",
        true,
        if focus_ok && goals_ok { Pass } else { Fail },
        t(
            "审核重点和清洁生产目标明确",
            "the audit focus and the cleaner production goals are set",
        ),
        t(
            format!("审核重点：{}；目标 {} 项", focus(true), pre.goals.len()),
            format!("focus: {}; {} goals", focus(false), pre.goals.len()),
        ),
    );

    // Equipment on the phase-out list is a veto unless its replacement is scheduled: an
    // option of the audit that replaces it, with a date.
    let mut scheduled: Vec<(&Equipment, &Replacement)> = Vec::new();
    let mut unscheduled: Vec<&Equipment> = Vec::new();
    for e in pre.equipment.iter().filter(|e| e.phased_out) {
        let Some(r) = &e.replaced_by else {
            unscheduled.push(e);
            continue;
        };
        // A dangling option or a date that is not one is an error of `check`.
        let known = audit
            .options
            .options
            .iter()
            .any(|o| o.id.value == r.option.value);
        if known && parse(&r.due).is_some() {
            scheduled.push((e, r));
        } else {
            unscheduled.push(e);
        }
    }
    let names = |list: &[&Equipment], lang: Lang| -> String {
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        list.iter()
            .map(|e| e.name.get(lang).to_string())
            .collect::<Vec<_>>()
            .join(sep)
    };
    let plans = |lang: Lang| -> String {
        scheduled
            .iter()
            .map(|(e, r)| match lang {
                Lang::Zh => format!(
                    "{}由方案{}于{}前更新",
                    e.name.zh, r.option.value, r.due.value
                ),
                Lang::En => format!(
                    "{} to be replaced by option {} by {}",
                    e.name.en, r.option.value, r.due.value
                ),
            })
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "；" } else { "; " })
    };
    push(
        "phased-out-equipment",
        true,
        if unscheduled.is_empty() {
            Pass
        } else {
            Attention
        },
        t(
            "不使用国家明令淘汰的设备，或已列入限期淘汰计划",
            "no equipment on the national phase-out list is used, or its replacement is scheduled",
        ),
        if unscheduled.is_empty() && scheduled.is_empty() {
            t(
                "未发现列入淘汰目录的设备",
                "no equipment on the phase-out list",
            )
        } else if unscheduled.is_empty() {
            t(plans(Lang::Zh), plans(Lang::En))
        } else {
            t(
                format!(
                    "在用淘汰类设备：{}；未列入限期淘汰或更新计划（在02-pre-assessment.yaml中以 replaced_by 注明更新方案和日期）",
                    names(&unscheduled, Lang::Zh)
                ),
                format!(
                    "equipment to be phased out in use: {}; no replacement is scheduled (give `replaced_by` with the option and date in 02-pre-assessment.yaml)",
                    names(&unscheduled, Lang::En)
                ),
            )
        },
    );

    let consultancy_ok = audit
        .meta
        .audit
        .consultancy
        .as_ref()
        .is_none_or(|c| c.credential.is_some() && !c.auditors.is_empty());
    push(
        "consultancy",
        true,
        if consultancy_ok { Pass } else { Fail },
        t(
            "咨询服务机构具备相应条件，有注册清洁生产审核师参与",
            "the consultancy is qualified and certified auditors took part",
        ),
        if consultancy_ok {
            t(
                "已列明机构资质和审核师证书编号",
                "credentials and auditors' certificates are given",
            )
        } else {
            t(
                "缺少机构资质或审核师信息",
                "the consultancy's credentials or auditors are missing",
            )
        },
    );

    let exceeding = triggers
        .iter()
        .any(|x| x.met && matches!(x.id, TriggerId::ExceedStandard | TriggerId::ExceedTotal));
    push(
        "compliance-date",
        true,
        if exceeding { Attention } else { Pass },
        t(
            "超标、超总量问题的承诺达标期限不超过两年",
            "exceedances are to be resolved within two years",
        ),
        if exceeding {
            t(
                "存在超标或超总量排放；请在第6章说明方案实施后的达标情况和期限",
                "discharges exceed a standard or a total; chapter 6 must show when they comply",
            )
        } else {
            t(
                "排放未超标、未超总量",
                "no discharge exceeds a standard or a total",
            )
        },
    );

    let feasibility = &audit.feasibility.analyses;
    let open = options_without(
        audit,
        |o| o.cost.is_medium_high() && o.status != OptionStatus::Rejected,
        |id| feasibility.iter().any(|a| a.option.value == id),
    );
    let (status, finding) = all_or_list(&open, t("全部完成", "all done"), ("缺少", "missing"));
    push(
        "feasibility",
        false,
        status,
        t(
            "中/高费方案均完成技术、环境、经济可行性分析",
            "every medium/high-cost option has a technical, environmental and economic feasibility analysis",
        ),
        finding,
    );

    let results = &audit.implementation.results;
    let unverified = options_without(
        audit,
        |o| o.status == OptionStatus::Implemented,
        |id| results.iter().any(|r| r.option.value == id),
    );
    let (status, finding) = all_or_list(
        &unverified,
        t("全部核定", "all verified"),
        ("未核定", "not verified"),
    );
    push(
        "implementation-results",
        false,
        status,
        t(
            "已实施方案均有实施效果核定",
            "every implemented option has verified results",
        ),
        finding,
    );

    let batches = audit
        .tables
        .streams
        .iter()
        .map(|s| s.batches.len())
        .max()
        .unwrap_or(0);
    let measured = match audit.assessment.measurement.mode {
        OperationMode::Batch => batches >= 3,
        OperationMode::Continuous => audit.assessment.measurement.hours.unwrap_or(0.0) >= 72.0,
    };
    push(
        "measurement",
        false,
        if measured { Pass } else { Fail },
        t(
            "物料平衡实测：间歇生产不少于3个批次，连续生产不少于72 h",
            "the material balance is measured over at least 3 batches or 72 hours",
        ),
        t(
            format!("实测 {batches} 个批次"),
            format!("{batches} batches measured"),
        ),
    );

    let late: Vec<String> = timeline
        .iter()
        .filter(|m| matches!(m.status, MilestoneStatus::Late | MilestoneStatus::Overdue))
        .map(|m| format!("{:?}", m.id).to_lowercase())
        .collect();
    push(
        "timeline",
        false,
        if late.is_empty() { Pass } else { Fail },
        t(
            "信息公布、启动审核和报送报告按期完成",
            "disclosure, start and report are on time",
        ),
        if late.is_empty() {
            t("均按期", "all on time")
        } else {
            t(
                format!("逾期：{}", late.join("、")),
                format!("late: {}", late.join(", ")),
            )
        },
    );

    out
}

/// Ids of the options `wanted` selects for which `has` finds nothing.
fn options_without(
    audit: &Audit,
    wanted: impl Fn(&CpOption) -> bool,
    has: impl Fn(&str) -> bool,
) -> Vec<&str> {
    audit
        .options
        .options
        .iter()
        .filter(|o| wanted(o) && !has(&o.id.value))
        .map(|o| o.id.value.as_str())
        .collect()
}

/// Passes with `done` when `ids` is empty, else fails listing them after `prefix`.
fn all_or_list(ids: &[&str], done: Text, prefix: (&str, &str)) -> (CheckStatus, Text) {
    if ids.is_empty() {
        (CheckStatus::Pass, done)
    } else {
        (
            CheckStatus::Fail,
            t(
                format!("{}：{}", prefix.0, ids.join("、")),
                format!("{}: {}", prefix.1, ids.join(", ")),
            ),
        )
    }
}

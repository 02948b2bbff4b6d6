//! Compliance, over the computed results: the audit's declared kind against the
//! mandatory-audit triggers its data meets, every field of the disclosure notice the
//! audit can fill, each milestone on time, and no veto item of the evaluation failed.

use super::AUDIT;
use crate::compute::compliance::{CheckStatus, ComplianceResult, EnergyFacts, MilestoneStatus};
use crate::compute::{DischargeResult, Results};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;

/// The kind, the notice, the timeline and the veto items; nothing without a profile.
pub(super) fn check(audit: &Audit, r: &Results, d: &mut Diagnostics) {
    let Some(c) = &r.compliance else { return };
    let triggers = &c.triggers;
    let met = triggers.iter().any(|t| t.met);
    let kind = &audit.meta.audit.kind;
    if *kind == AuditKind::Voluntary && met {
        let which: Vec<String> = triggers
            .iter()
            .filter(|t| t.met)
            .map(|t| t.article.en.clone())
            .collect();
        d.push(
            Diagnostic::warning(
                "compliance::voluntary-but-triggered",
                format!("the audit is declared voluntary, but the data meets mandatory-audit triggers ({})", which.join(", ")),
            )
            .at(Place::File { path: AUDIT.into() })
            .help("an enterprise that meets a trigger belongs on the mandatory list; check the data, or set `kind: mandatory`"),
        );
    }
    if *kind == AuditKind::Mandatory && !met {
        d.push(
            Diagnostic::warning("compliance::no-trigger", "the audit is declared mandatory, but the data meets none of the profile's triggers")
                .at(Place::File { path: AUDIT.into() })
                .help("the notice needs the fields of a trigger; check the emissions workbook, the energy limit and the toxic materials"),
        );
    }
    require_notice_fields(audit, &c.notice_fields, &r.discharges, c.energy.as_ref(), d);
    timeline(c, d);
    let out = &c.self_assessment;
    use CheckStatus::Fail;
    for c in out.iter().filter(|c| c.veto && c.status == Fail) {
        d.push(
            Diagnostic::warning(
                "evaluation::veto",
                format!(
                    "veto item of the evaluation not met: {} ({})",
                    c.item.en, c.finding.en
                ),
            )
            .at(Place::File { path: AUDIT.into() })
            .help("an evaluation fails on any veto item; fix it before submitting"),
        );
    }
}

/// A milestone done late, or not done by a deadline that has passed.
fn timeline(c: &ComplianceResult, d: &mut Diagnostics) {
    for m in &c.timeline {
        let (status, dl, profile) = (m.status, m, &c.profile);
        let (due, done) = (m.due.as_deref(), m.actual.as_deref());
        if matches!(status, MilestoneStatus::Late | MilestoneStatus::Overdue) {
            let what = format!("{:?}", dl.id).to_lowercase();
            d.push(
                    Diagnostic::warning(
                        "timeline::late",
                        format!(
                            "{what}: due {} ({} {}), {}",
                            due.unwrap_or_default(),
                            profile.id,
                            dl.article.en,
                            match done {
                                Some(x) => format!("done {x} — late"),
                                None => "not done by the report date".into(),
                            }
                        ),
                    )
                    .at(Place::File { path: AUDIT.into() })
                    .help("record the actual date in audit.yaml (`disclosed`, `started`, `evaluated`, `accepted`), or explain the delay in the report"),
                );
        }
    }
}

/// A notice field the audit cannot fill is an error naming the field.
fn require_notice_fields(
    audit: &Audit,
    fields: &[NoticeField],
    discharges: &[DischargeResult],
    energy: Option<&EnergyFacts>,
    d: &mut Diagnostics,
) {
    let e = &audit.meta.enterprise;
    let c = &audit.meta.compliance;
    for f in fields {
        let missing: Option<(&str, &str)> = match f {
            NoticeField::EnterpriseName
                if e.name.zh.trim().is_empty() || e.name.en.trim().is_empty() =>
            {
                Some((
                    "enterprise_name",
                    "fill `enterprise.name` in audit.yaml, in both languages",
                ))
            }
            NoticeField::LegalRepresentative
                if e.legal_representative.zh.trim().is_empty()
                    || e.legal_representative.en.trim().is_empty() =>
            {
                Some((
                    "legal_representative",
                    "fill `enterprise.legal_representative` in audit.yaml",
                ))
            }
            NoticeField::Address
                if e.address.zh.trim().is_empty() || e.address.en.trim().is_empty() =>
            {
                Some(("address", "fill `enterprise.address` in audit.yaml"))
            }
            NoticeField::Pollutants
            | NoticeField::DischargeMode
            | NoticeField::Concentration
            | NoticeField::Total
            | NoticeField::Exceedance
                if discharges.is_empty() =>
            {
                Some((
                    "pollutants",
                    "declare the emissions workbook under `data: emissions:` in audit.yaml, with the discharges, their mode, concentrations, flows and limits",
                ))
            }
            NoticeField::EnergyTypes
            | NoticeField::EnergyPerOutputValue
            | NoticeField::EnergyPerProduct
                if energy.is_none() =>
            {
                Some((
                    "energy_types",
                    "give the baseline year's energy by carrier in the status workbook (sheet 能源 Energy)",
                ))
            }
            NoticeField::EnergyExceedance if c.energy_limit.is_none() => Some((
                "energy_exceedance",
                "add `compliance: energy_limit: {value, unit, standard}` to audit.yaml",
            )),
            NoticeField::HazardousWaste if c.hazardous_waste.is_none() => Some((
                "hazardous_waste",
                "add `compliance: hazardous_waste: {zh: …, en: …}` to audit.yaml: what hazardous waste is generated and how it is handled",
            )),
            NoticeField::RiskControls if c.risk_controls.is_none() => Some((
                "risk_controls",
                "add `compliance: risk_controls: {zh: …, en: …}` to audit.yaml: the environmental-risk controls in place",
            )),
            _ => None,
        };
        if let Some((field, help)) = missing {
            d.push(
                Diagnostic::error(
                    "notice::missing-field",
                    format!("the disclosure notice requires `{field}`, which the audit lacks"),
                )
                .at(Place::File { path: AUDIT.into() })
                .help(help.to_string()),
            );
        }
    }
}

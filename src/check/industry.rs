//! Industry: the audit's data against its industry profile (`profiles/industries/`):
//! every typed limit of the emissions workbook against the standard's limit for that
//! pollutant, table and column; a general standard named where the industry's own one
//! applies; the industry's toxic pollutants monitored where the standard judges them (the
//! workshop outlet for the heavy metals); raw materials that contain a toxic substance.
//! Every finding is a warning at the workbook cell it is about.
//!
//! The profile's values are only as good as their `basis`; each warning says it.

use crate::compute::industry::{pollutant_label, typed_codes};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use std::collections::BTreeSet;

/// Whether an outlet's name says it is a workshop or facility outlet (`Some(true)`), the
/// final outlet (`Some(false)`), or does not say.
fn workshop_outlet(name: &Text, id: &str) -> Option<bool> {
    let zh = &name.zh;
    let en = format!("{} {}", name.en, id).to_lowercase();
    if ["车间", "生产设施", "生产线", "处理设施", "预处理"]
        .iter()
        .any(|w| zh.contains(w))
        || ["workshop", "facility", "line"]
            .iter()
            .any(|w| en.contains(w))
    {
        Some(true)
    } else if ["总排", "总出水", "总外排"].iter().any(|w| zh.contains(w))
        || ["final", "total", "main outlet"]
            .iter()
            .any(|w| en.contains(w))
    {
        Some(false)
    } else {
        None
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// A number as typed: the shortest form that reads back the same (0.2, 20).
fn fmt(x: f64) -> String {
    format!("{x}")
}

/// The typed limit in the profile's unit, when the two units can be compared.
fn in_unit(value: f64, typed_unit: &str, unit: &str) -> Option<f64> {
    // mg/Nm³ and mg/m3 are how monitoring reports write the standards' mg/m³.
    let plain = |u: &str| normalise_code(u).replace("m3", "m³").replace("nm³", "m³");
    if plain(typed_unit) == plain(unit) {
        return Some(value);
    }
    crate::calc::units::convert(value, typed_unit, unit).ok()
}

/// Runs every industry check: names for every typed pollutant code, then, when the
/// audit has an industry profile, its limits, monitoring and toxic materials.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
    unnamed_pollutants(audit, d);
    let Some(p) = audit.industry.as_ref() else {
        return;
    };
    let tag = format!("industry profile `{}`", p.id);
    for r in &audit.tables.discharges {
        limit_of(p, r, &tag, d);
    }
    monitoring(audit, p, &tag, d);
    materials(audit, p, &tag, d);
}

/// A typed limit against the standard's; a general standard where the industry's applies;
/// a workshop-judged pollutant reported at the final outlet.
fn limit_of(p: &IndustryFile, r: &DischargeRow, tag: &str, d: &mut Diagnostics) {
    let Some(decl) = p.pollutant(r.medium, &r.pollutant.value) else {
        return;
    };
    let code = decl.code.value.as_str();
    let Some((standard, number)) = p.standard(&r.standard.value) else {
        return;
    };
    if standard.role == StandardRole::General
        && let Some((own, table)) = p
            .standards
            .iter()
            .filter(|s| s.role == StandardRole::Industry)
            .find_map(|s| {
                // The current table, else any that limits the pollutant.
                let limits = |t: &&LimitTable| t.medium == r.medium && t.limit(code).is_some();
                s.tables
                    .iter()
                    .filter(limits)
                    .find(|t| t.current)
                    .or_else(|| s.tables.iter().find(limits))
                    .map(|t| (s, t))
            })
    {
        d.push(
            Diagnostic::warning(
                "industry::general-standard",
                format!(
                    "{} at {} is held to {}, but {} (the industry's own standard) limits it ({}); a general standard applies only to what the industry standard does not cover",
                    r.pollutant.value,
                    r.source.value,
                    standard.id.value,
                    own.id.value,
                    own.cite(table)
                ),
            )
            .at(&r.standard.cell)
            .help(format!(
                "name {} and its table in the Standard column (不交叉执行), unless the discharge permit says otherwise; {tag}",
                own.id.value
            )),
        );
    }
    let Some(table) = standard.table(r.medium, number) else {
        if let Some(n) = number {
            d.push(
                Diagnostic::warning(
                    "industry::unknown-table",
                    format!(
                        "{} 表{n} is not among the {:?} tables of {} in the {tag}",
                        standard.id.value, r.medium, standard.id.value
                    ),
                )
                .at(&r.standard.cell)
                .help(format!(
                    "the profile has {}; correct the table number, or add the table to the profile",
                    standard
                        .tables
                        .iter()
                        .filter(|t| t.medium == r.medium)
                        .map(|t| standard.cite(t))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        return;
    };
    let Some(limit) = table.limit(code) else {
        return;
    };
    let cite = standard.cite(table);
    if limit.at == Some(MeasuredAt::Workshop)
        && workshop_outlet(&r.source_name, &r.source.value) == Some(false)
    {
        d.push(
            Diagnostic::warning(
                "industry::workshop-pollutant-at-final-outlet",
                format!(
                    "{} is judged at the workshop or facility outlet ({cite}), but {} ({}) is the final outlet: a final-outlet result cannot show compliance",
                    r.pollutant.value, r.source.value, r.source_name.zh
                ),
            )
            .at(&r.pollutant.cell)
            .help("report the pollutant at the outlet of the workshop or its treatment facility (车间或生产设施废水排放口)"),
        );
    }
    let Some(unit) = limit.unit.as_ref().map(|u| u.value.as_str()) else {
        return;
    };
    let Some(typed) = in_unit(r.limit.value, &r.concentration_unit.value, unit) else {
        return;
    };
    let route = Route::from_mode(&r.mode);
    let values: Vec<(&LimitColumn, LimitValue)> = table
        .columns_for(route)
        .into_iter()
        .filter_map(|c| table.value(limit, &c.id.value).map(|v| (c, v)))
        .filter(|(_, v)| *v != LimitValue::NoLimit)
        .collect();
    if values.is_empty() {
        return;
    }
    let agrees = values.iter().any(|(_, v)| match *v {
        LimitValue::Max(x) => close(typed, x),
        LimitValue::Range(a, b) => close(typed, a) || close(typed, b),
        LimitValue::NotDetected | LimitValue::NoLimit => false,
    });
    if agrees {
        return;
    }
    let looser = values.iter().all(|(_, v)| match *v {
        LimitValue::Max(x) => typed > x,
        LimitValue::NotDetected => typed > 0.0,
        _ => false,
    });
    let listed: Vec<String> = values
        .iter()
        .map(|(c, v)| format!("{} ({})", v.describe(unit), c.name.en))
        .collect();
    let route_words = match route {
        Some(Route::Direct) => " for a direct discharge",
        Some(Route::Municipal) => " for a discharge into a town plant or municipal sewer",
        Some(Route::Park) => " for a discharge into a park plant",
        Some(Route::Indirect) => " for an indirect discharge",
        None => "",
    };
    d.push(
        Diagnostic::warning(
            "industry::limit-differs",
            format!(
                "the limit of {} at {} is {} {}, but {cite} gives {}{route_words} ({tag}; value {})",
                r.pollutant.value,
                r.source.value,
                fmt(r.limit.value),
                r.concentration_unit.value,
                listed.join(" or "),
                limit.basis.words()
            ),
        )
        .at(&r.limit.cell)
        .help(if looser {
            "the typed limit is looser than the standard's, so an exceedance may be missed (exceedances are computed against the typed limit); correct it, or name in the Standard column the standard or permit that sets it"
        } else {
            "correct the limit, or, if a stricter local standard or the discharge permit sets it, name that one in the Standard column"
        }),
    );
}

/// The standard's monitoring point for a wastewater pollutant: from the industry
/// standard's current table, else the workshop outlet for a toxic (Class I) pollutant.
fn monitoring_point(p: &IndustryFile, decl: &PollutantDecl) -> (MeasuredAt, Option<String>) {
    for s in p
        .standards
        .iter()
        .filter(|s| s.role == StandardRole::Industry)
    {
        if let Some(t) = s.table(Medium::Wastewater, None)
            && let Some(l) = t.limit(&decl.code.value)
            && let Some(at) = l.at
        {
            return (at, Some(s.cite(t)));
        }
    }
    if decl.toxic.is_some() {
        (MeasuredAt::Workshop, None)
    } else {
        (MeasuredAt::Outlet, None)
    }
}

/// Toxic pollutants the plant uses or discharges, monitored where the standard judges them.
fn monitoring(audit: &Audit, p: &IndustryFile, tag: &str, d: &mut Diagnostics) {
    let baseline = audit.meta.audit.baseline_year.value;
    // (pollutant code, why, the cell to point at)
    let mut wanted: Vec<(String, String, Cell)> = Vec::new();
    for m in audit
        .tables
        .materials
        .iter()
        .filter(|m| m.year.value == baseline)
    {
        if let Some(t) = p.toxic_material(&m.name) {
            for code in &t.pollutants {
                wanted.push((
                    code.value.clone(),
                    format!("{} is used ({})", m.name.zh, m.name.en),
                    m.quantity.cell.clone(),
                ));
            }
        }
    }
    for r in audit
        .tables
        .discharges
        .iter()
        .filter(|r| r.medium == Medium::Wastewater)
    {
        if let Some(decl) = p.pollutant(r.medium, &r.pollutant.value)
            && decl.toxic.is_some()
        {
            wanted.push((
                decl.code.value.clone(),
                format!("it is discharged at {}", r.source.value),
                r.pollutant.cell.clone(),
            ));
        }
    }
    let mut done = BTreeSet::new();
    for (code, why, cell) in wanted {
        if !done.insert(code.clone()) {
            continue;
        }
        let Some(decl) = p
            .pollutants
            .iter()
            .find(|x| x.medium == Medium::Wastewater && x.code.value == code)
        else {
            continue;
        };
        let rows: Vec<&DischargeRow> = audit
            .tables
            .discharges
            .iter()
            .filter(|r| {
                r.medium == Medium::Wastewater
                    && p.pollutant(r.medium, &r.pollutant.value)
                        .is_some_and(|x| x.code.value == code)
            })
            .collect();
        let (at, cite) = monitoring_point(p, decl);
        let by = cite.map(|c| format!(" ({c})")).unwrap_or_default();
        let name = format!("{} ({})", decl.name.zh, decl.name.en);
        if at == MeasuredAt::Workshop
            && rows
                .iter()
                .all(|r| workshop_outlet(&r.source_name, &r.source.value) == Some(false))
        {
            let place = rows
                .first()
                .map(|r| r.pollutant.cell.clone())
                .unwrap_or(cell);
            d.push(
                Diagnostic::warning(
                    "industry::not-monitored-at-workshop",
                    format!(
                        "{name} is a toxic pollutant of the industry and {why}, but the emissions workbook has no result for it at a workshop or facility outlet, where it is judged{by}"
                    ),
                )
                .at(&place)
                .help(format!(
                    "add a row for {code} at the outlet of the workshop or its treatment facility (车间或生产设施废水排放口), with its concentration, flow and limit; {tag}"
                )),
            );
        } else if rows.is_empty() {
            d.push(
                Diagnostic::warning(
                    "industry::not-monitored",
                    format!(
                        "{name} {why}, but the emissions workbook has no result for it{by}"
                    ),
                )
                .at(&cell)
                .help(format!(
                    "add a row for {code} at the outlet where the standard judges it, with its concentration, flow and limit; {tag}"
                )),
            );
        }
    }
}

/// Raw materials that contain a toxic substance but are not marked toxic.
fn materials(audit: &Audit, p: &IndustryFile, tag: &str, d: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    for m in audit.tables.materials.iter().filter(|m| !m.toxic) {
        let Some(t) = p.toxic_material(&m.name) else {
            continue;
        };
        if !seen.insert(m.name.zh.clone()) {
            continue;
        }
        d.push(
            Diagnostic::warning(
                "industry::toxic-material-unmarked",
                format!(
                    "{} ({}) is not marked toxic, but it is {} — {}; it counts for the toxic trigger",
                    m.name.zh, m.name.en, t.name.en, t.list.en
                ),
            )
            .at(&m.quantity.cell)
            .help(format!(
                "write 是 (or the list it is on) in its toxic column of the status workbook; {tag}, basis: {}",
                t.basis.words()
            )),
        );
    }
}

/// A pollutant code no profile and no common name names: the reports would print the
/// bare code. One warning per code, at the cell it is first typed in.
fn unnamed_pollutants(audit: &Audit, d: &mut Diagnostics) {
    for (code, media, cell) in typed_codes(audit) {
        if code.trim().is_empty() || pollutant_label(audit, &media, &code).is_some() {
            continue;
        }
        let profile = audit.industry.as_ref().map_or_else(
            || "an industry profile of your own".to_string(),
            |p| format!("your copy of the industry profile `{}`", p.id),
        );
        d.push(
            Diagnostic::warning(
                "industry::unnamed-pollutant",
                format!(
                    "pollutant code `{code}` has no name: no industry profile declares it (nor an alias of it) and it is not a common code, so the reports print `{code}` as it is"
                ),
            )
            .at(cell)
            .help(format!(
                "type the code a profile declares (its aliases are accepted too), or name it in {profile} (profiles/industries/<id>.yaml in the audit folder) under `pollutants`: `- {{code: {code}, medium: wastewater, name: {{zh: …, en: …}}, symbol: …}}` (a symbol such as `NH~3~-N` or `Cr^6+^`: `~…~` subscript, `^…^` superscript)"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(zh: &str, en: &str) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    #[test]
    fn outlets_are_told_apart_by_their_names() {
        assert_eq!(
            workshop_outlet(&t("含铬废水车间排放口", ""), "DW002"),
            Some(true)
        );
        assert_eq!(
            workshop_outlet(&t("废水总排放口", "Final wastewater outlet"), "DW001"),
            Some(false)
        );
        assert_eq!(workshop_outlet(&t("一号排放口", "Outlet 1"), "DW003"), None);
    }

    #[test]
    fn units_convert_before_comparing() {
        assert_eq!(in_unit(0.2, "mg/L", "mg/l"), Some(0.2));
        assert!(close(in_unit(200.0, "µg/L", "mg/L").unwrap_or(0.0), 0.2));
        assert_eq!(in_unit(50.0, "倍", "倍"), Some(50.0));
        assert_eq!(in_unit(30.0, "mg/Nm3", "mg/m³"), Some(30.0));
        assert_eq!(in_unit(1.0, "kg", "mg/L"), None);
    }
}

//! Check: what the types cannot say. Every reference resolves (an option's unit
//! operation, a stream's source, a cause's options, an evidence file), ids are unique,
//! dates are real and in order, quantities are not negative, and every character has a
//! glyph. Problems are collected; nothing here stops at the first.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

const AUDIT: &str = "audit.yaml";
const PREP: &str = "narratives/01-preparation.yaml";
const PRE: &str = "narratives/02-pre-assessment.yaml";
const ASSESS: &str = "narratives/03-assessment.yaml";
const OPTIONS: &str = "narratives/04-options.yaml";
const FEAS: &str = "narratives/05-feasibility.yaml";
const IMPL: &str = "narratives/06-implementation.yaml";

/// Checks a loaded audit.
pub fn check(audit: &Audit) -> Diagnostics {
    let mut d = Diagnostics::default();
    dates(audit, &mut d);
    settings(audit, &mut d);
    focus(audit, &mut d);
    goals(audit, &mut d);
    let units = unique_ids(
        audit.assessment.unit_operations.iter().map(|u| &u.id),
        ASSESS,
        "unit operation",
        &mut d,
    );
    let options = unique_ids(
        audit.options.options.iter().map(|o| &o.id),
        OPTIONS,
        "option",
        &mut d,
    );
    streams(audit, &units, &mut d);
    option_refs(audit, &units, &options, &mut d);
    evidence(audit, &mut d);
    tables(audit, &mut d);
    glyphs(audit, &mut d);
    placeholders(audit, &mut d);
    d
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<(i32, u8, u8)> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1000..=9999).contains(&y) && (1..=12).contains(&m) && day >= 1 && day <= days[m as usize - 1])
        .then_some((y, m, day))
}

/// Parses a date field, or names it with its place and the expected form.
pub(crate) fn date(
    v: &Spanned<String>,
    file: &str,
    what: &str,
    d: &mut Diagnostics,
) -> Option<(i32, u8, u8)> {
    let parsed = parse_date(&v.value);
    if parsed.is_none() {
        d.push(
            Diagnostic::error(
                "check::date",
                format!("{what} \"{}\" is not a date", v.value),
            )
            .at(Place::yaml(file, &v.referenced))
            .help("write dates as YYYY-MM-DD, e.g. 2026-10-30, in quotes or not"),
        );
    }
    parsed
}

fn dates(audit: &Audit, d: &mut Diagnostics) {
    let a = &audit.meta.audit;
    let listed = a
        .list_published
        .as_ref()
        .and_then(|v| date(v, AUDIT, "list_published", d));
    let started = date(&a.started, AUDIT, "started", d);
    let report = date(&a.report_date, AUDIT, "report_date", d);
    if let (Some(l), Some(s)) = (listed, started)
        && s < l
    {
        d.push(
            Diagnostic::warning(
                "check::date-order",
                "the audit started before the list was published",
            )
            .at(Place::yaml(AUDIT, &a.started.referenced))
            .help("check `started` and `list_published`"),
        );
    }
    if let (Some(s), Some(r)) = (started, report)
        && r < s
    {
        d.push(
            Diagnostic::error(
                "check::date-order",
                format!(
                    "report_date {} is before started {}",
                    a.report_date.value, a.started.value
                ),
            )
            .at(Place::yaml(AUDIT, &a.report_date.referenced))
            .help("the report is dated after the audit starts; correct one of the two dates"),
        );
    }
    for t in &audit.preparation.training {
        date(&t.date, PREP, "training date", d);
    }
}

fn settings(audit: &Audit, d: &mut Diagnostics) {
    let s = &audit.meta.settings;
    let rate = &s.discount_rate;
    if !(rate.value > -0.99 && rate.value < 1.0) {
        d.push(
            Diagnostic::error(
                "check::discount-rate",
                format!("discount_rate {} is not a plausible rate", rate.value),
            )
            .at(Place::yaml(AUDIT, &rate.referenced))
            .help("write the rate as a fraction: 0.06 for 6 %"),
        );
    }
    if !(0.0..1.0).contains(&s.tax_rate.value) {
        d.push(
            Diagnostic::error(
                "check::tax-rate",
                format!("tax_rate {} is not between 0 and 1", s.tax_rate.value),
            )
            .at(Place::yaml(AUDIT, &s.tax_rate.referenced))
            .help("write the rate as a fraction: 0.25 for 25 %"),
        );
    }
}

/// Ids must be unique; returns them with where each was defined.
fn unique_ids<'a>(
    ids: impl Iterator<Item = &'a Spanned<String>>,
    file: &str,
    what: &str,
    d: &mut Diagnostics,
) -> BTreeMap<String, Place> {
    let mut seen: BTreeMap<String, Place> = BTreeMap::new();
    for id in ids {
        let place = Place::yaml(file, &id.referenced);
        if let Some(first) = seen.get(&id.value) {
            d.push(
                Diagnostic::error(
                    "check::duplicate-id",
                    format!("{what} id `{}` is used twice", id.value),
                )
                .at(place)
                .related("first defined", first.clone())
                .help(format!("give each {what} its own id")),
            );
        } else {
            seen.insert(id.value.clone(), place);
        }
    }
    seen
}

fn dangling(
    what: &str,
    id: &str,
    at: Place,
    known: &BTreeMap<String, Place>,
    defined_in: &str,
) -> Diagnostic {
    let names: Vec<&str> = known.keys().map(String::as_str).collect();
    let help = match crate::diag::suggest(id, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? {what} ids are defined in {defined_in}"),
        None => format!(
            "the {what} ids defined in {defined_in} are `{}`",
            names.join("`, `")
        ),
    };
    Diagnostic::error("check::dangling", format!("no {what} with id `{id}`"))
        .at(at)
        .related(
            format!("{what}s are defined in"),
            Place::File {
                path: defined_in.to_string(),
            },
        )
        .help(help)
}

fn focus(audit: &Audit, d: &mut Diagnostics) {
    let f = &audit.pre_assessment.focus;
    let cands = unique_ids(
        f.candidates.iter().map(|c| &c.id),
        PRE,
        "candidate focus",
        d,
    );
    if !cands.contains_key(&f.chosen.value) {
        d.push(dangling(
            "candidate focus",
            &f.chosen.value,
            Place::yaml(PRE, &f.chosen.referenced),
            &cands,
            PRE,
        ));
    }
    let factors: BTreeSet<&str> = f.factors.iter().map(|x| x.id.as_str()).collect();
    for c in &f.candidates {
        scores(
            &c.scores,
            &factors,
            &Place::yaml(PRE, &c.id.referenced),
            &c.id.value,
            PRE,
            d,
        );
    }
    for x in f.factors.iter().chain(&audit.options.screening_factors) {
        weight(
            &x.weight,
            if f.factors.iter().any(|y| y.id == x.id) {
                PRE
            } else {
                OPTIONS
            },
            d,
        );
    }
}

fn weight(w: &Spanned<f64>, file: &str, d: &mut Diagnostics) {
    if !(0.0..=10.0).contains(&w.value) {
        d.push(
            Diagnostic::error(
                "check::weight",
                format!("weight {} is outside 0–10", w.value),
            )
            .at(Place::yaml(file, &w.referenced))
            .help("the manual's weighted-sum method uses weights from 1 to 10"),
        );
    }
}

fn scores(
    scores: &BTreeMap<String, Spanned<f64>>,
    factors: &BTreeSet<&str>,
    owner: &Place,
    owner_id: &str,
    file: &str,
    d: &mut Diagnostics,
) {
    if factors.is_empty() {
        return;
    }
    for (k, v) in scores {
        if !factors.contains(k.as_str()) {
            let help = match crate::diag::suggest(k, factors.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the factors are `{}`",
                    factors.iter().copied().collect::<Vec<_>>().join("`, `")
                ),
            };
            d.push(
                Diagnostic::error(
                    "check::score-factor",
                    format!("`{owner_id}` scores an unknown factor `{k}`"),
                )
                .at(Place::yaml(file, &v.referenced))
                .help(help),
            );
        }
        if !(0.0..=10.0).contains(&v.value) {
            d.push(
                Diagnostic::error("check::score", format!("score {} is outside 0–10", v.value))
                    .at(Place::yaml(file, &v.referenced))
                    .help("scores run from 1 (least) to 10 (most)"),
            );
        }
    }
    for f in factors.iter().filter(|f| !scores.contains_key(**f)) {
        d.push(
            Diagnostic::error(
                "check::score-missing",
                format!("`{owner_id}` has no score for factor `{f}`"),
            )
            .at(owner.clone())
            .help("score every factor from 1 to 10"),
        );
    }
}

fn goals(audit: &Audit, d: &mut Diagnostics) {
    let goals = unique_ids(
        audit.pre_assessment.goals.iter().map(|g| &g.id),
        PRE,
        "goal",
        d,
    );
    for (id, v) in &audit.implementation.goal_results {
        if !goals.contains_key(id) {
            d.push(dangling(
                "goal",
                id,
                Place::yaml(IMPL, &v.referenced),
                &goals,
                PRE,
            ));
        }
    }
}

fn streams(audit: &Audit, units: &BTreeMap<String, Place>, d: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &Cell> = BTreeMap::new();
    for s in &audit.tables.streams {
        if let Some(first) = seen.insert(&s.id.value, &s.id.cell) {
            d.push(
                Diagnostic::error(
                    "check::duplicate-id",
                    format!("stream id `{}` is used twice", s.id.value),
                )
                .at(&s.id.cell)
                .related("first used", first),
            );
        }
        for end in [&s.from, &s.to].into_iter().flatten() {
            if !units.contains_key(&end.value) {
                d.push(dangling(
                    "unit operation",
                    &end.value,
                    (&end.cell).into(),
                    units,
                    ASSESS,
                ));
            }
        }
        if s.from.is_none() && s.to.is_none() {
            d.push(
                Diagnostic::error("balance::unconnected", format!("stream `{}` has neither a source nor a destination", s.id.value))
                    .at(&s.id.cell)
                    .help("fill `来源 From` with the unit operation it leaves, or `去向 To` with the one it enters"),
            );
        }
        for b in &s.batches {
            if b.value < 0.0 {
                d.push(
                    Diagnostic::error("balance::negative", format!("a measured quantity is negative ({})", b.value))
                        .at(&b.cell)
                        .help("quantities are amounts per batch, never negative; a stream in the other direction is a separate row"),
                );
            }
        }
    }
    let ids: BTreeSet<&str> = audit
        .tables
        .streams
        .iter()
        .map(|s| s.id.value.as_str())
        .collect();
    for c in &audit.tables.components {
        if !ids.contains(c.stream.value.as_str()) {
            d.push(
                Diagnostic::error(
                    "check::dangling",
                    format!("no measured stream with id `{}`", c.stream.value),
                )
                .at(&c.stream.cell)
                .help("the stream ids are in the first column of the streams sheet"),
            );
        }
    }
}

fn option_refs(
    audit: &Audit,
    units: &BTreeMap<String, Place>,
    options: &BTreeMap<String, Place>,
    d: &mut Diagnostics,
) {
    let screening: BTreeSet<&str> = audit
        .options
        .screening_factors
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    for o in &audit.options.options {
        if let Some(u) = &o.unit
            && !units.contains_key(&u.value)
        {
            d.push(dangling(
                "unit operation",
                &u.value,
                Place::yaml(OPTIONS, &u.referenced),
                units,
                ASSESS,
            ));
        }
        if o.investment.value < 0.0 {
            d.push(
                Diagnostic::error(
                    "check::negative",
                    format!("option `{}` has a negative investment", o.id.value),
                )
                .at(Place::yaml(OPTIONS, &o.investment.referenced))
                .help("write the investment in 10⁴ CNY, zero for no-cost options"),
            );
        }
        scores(
            &o.screening,
            &screening,
            &Place::yaml(OPTIONS, &o.id.referenced),
            &o.id.value,
            OPTIONS,
            d,
        );
        if o.cost.is_medium_high()
            && o.status != OptionStatus::Rejected
            && !audit
                .feasibility
                .analyses
                .iter()
                .any(|a| a.option.value == o.id.value)
        {
            d.push(
                Diagnostic::warning(
                    "feasibility::missing",
                    format!(
                        "medium/high-cost option `{}` has no feasibility analysis",
                        o.id.value
                    ),
                )
                .at(Place::yaml(OPTIONS, &o.id.referenced))
                .help(format!(
                    "add an analysis with `option: {}` to {FEAS}",
                    o.id.value
                )),
            );
        }
        if o.status == OptionStatus::Implemented
            && !audit
                .implementation
                .results
                .iter()
                .any(|r| r.option.value == o.id.value)
        {
            d.push(
                Diagnostic::warning(
                    "implementation::missing",
                    format!(
                        "option `{}` is implemented but has no verified results",
                        o.id.value
                    ),
                )
                .at(Place::yaml(OPTIONS, &o.id.referenced))
                .help(format!(
                    "add its results to {IMPL}, or set its status to `planned`"
                )),
            );
        }
    }
    for c in &audit.assessment.causes {
        if let Some(u) = &c.unit
            && !units.contains_key(&u.value)
        {
            d.push(dangling(
                "unit operation",
                &u.value,
                Place::yaml(ASSESS, &u.referenced),
                units,
                ASSESS,
            ));
        }
        for o in &c.options {
            if !options.contains_key(&o.value) {
                d.push(dangling(
                    "option",
                    &o.value,
                    Place::yaml(ASSESS, &o.referenced),
                    options,
                    OPTIONS,
                ));
            }
        }
    }
    for a in &audit.feasibility.analyses {
        match audit.options.options.iter().find(|o| o.id.value == a.option.value) {
            None => d.push(dangling("option", &a.option.value, Place::yaml(FEAS, &a.option.referenced), options, OPTIONS)),
            Some(o) if !o.cost.is_medium_high() => d.push(
                Diagnostic::warning("feasibility::low-cost", format!("option `{}` is a no/low-cost option but has a feasibility analysis", o.id.value))
                    .at(Place::yaml(FEAS, &a.option.referenced))
                    .related("its cost class", Place::yaml(OPTIONS, &o.id.referenced))
                    .help("feasibility analysis is for medium/high-cost options; check the option's `cost`"),
            ),
            _ => {}
        }
        if a.life.value == 0 {
            d.push(
                Diagnostic::error("feasibility::life", "the project life is zero years")
                    .at(Place::yaml(FEAS, &a.life.referenced))
                    .help("give the depreciation period in years, e.g. 10"),
            );
        }
        for item in &a.investment.items {
            if item.amount.value < 0.0 {
                d.push(
                    Diagnostic::error("check::negative", "an investment item is negative")
                        .at(Place::yaml(FEAS, &item.amount.referenced))
                        .help("subsidies go under `subsidy`, not as negative items"),
                );
            }
        }
    }
    for r in &audit.implementation.results {
        if !options.contains_key(&r.option.value) {
            d.push(dangling(
                "option",
                &r.option.value,
                Place::yaml(IMPL, &r.option.referenced),
                options,
                OPTIONS,
            ));
        }
    }
    for c in &audit.tables.cash_flows {
        if !options.contains_key(&c.option.value) {
            d.push(dangling(
                "option",
                &c.option.value,
                (&c.option.cell).into(),
                options,
                OPTIONS,
            ));
        }
    }
}

fn evidence(audit: &Audit, d: &mut Diagnostics) {
    let files: BTreeSet<&str> = audit.evidence_files.iter().map(String::as_str).collect();
    let mut refs: Vec<(&Spanned<String>, &str)> = Vec::new();
    refs.extend(audit.meta.evidence.iter().map(|e| (&e.path, AUDIT)));
    for t in &audit.preparation.training {
        refs.extend(t.evidence.iter().map(|e| (e, PREP)));
    }
    refs.extend(
        audit
            .assessment
            .measurement
            .evidence
            .iter()
            .map(|e| (e, ASSESS)),
    );
    for r in &audit.implementation.results {
        refs.extend(r.evidence.iter().map(|e| (e, IMPL)));
    }
    for (r, file) in refs {
        if let Err(m) = crate::load::resolve(&audit.root, &r.value) {
            d.push(Diagnostic::error("evidence::path", m).at(Place::yaml(file, &r.referenced)));
        } else if !files.contains(r.value.as_str()) {
            let near = crate::diag::suggest(&r.value, files.iter().copied());
            d.push(
                Diagnostic::error("evidence::missing", format!("evidence file `{}` does not exist", crate::load::names::escape(&r.value)))
                    .at(Place::yaml(file, &r.referenced))
                    .help(match near {
                        Some(n) => format!("did you mean `{}`?", crate::load::names::escape(n)),
                        None => "put the file under evidence/ and refer to it by its path from the audit folder".into(),
                    }),
            );
        }
    }
    // A problem in a folder's name is reported once for the folder, not for each file.
    let mut folders: BTreeSet<String> = BTreeSet::new();
    for f in &audit.evidence_files {
        let Some(problem) = unsafe_name(f) else {
            continue;
        };
        let parts: Vec<&str> = f.split('/').collect();
        let bad = parts
            .iter()
            .position(|p| unsafe_name(p).is_some())
            .unwrap_or(parts.len() - 1);
        let (path, what, problem) = if bad + 1 < parts.len() {
            let folder = parts[..=bad].join("/");
            if !folders.insert(folder.clone()) {
                continue;
            }
            let problem = unsafe_name(parts[bad]).unwrap_or(problem);
            (folder, "evidence folder name", problem)
        } else {
            (f.clone(), "evidence file name", problem)
        };
        let shown = crate::load::names::escape(&path);
        let help = if shown != path {
            format!(
                "rename it without the invisible characters, e.g. to `{}`; a name must show what the file is, in the report and in the evidence pack",
                crate::load::names::cleaned(&path)
            )
        } else {
            "rename the file with letters, digits, `-`, `_` and `.` (Chinese characters are fine); its hash is listed by name in the evidence pack".to_string()
        };
        d.push(
            Diagnostic::error("evidence::name", format!("{what} `{shown}` {problem}"))
                .at(Place::File { path: shown })
                .help(help),
        );
    }
}

/// Why a file name cannot go into the evidence pack safely, if it cannot: a line
/// break, an invisible or control character (named with its code point), `%`, `\\`,
/// or a form other than Unicode NFC.
pub fn unsafe_name(name: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    if name.chars().any(|c| c == '\r' || c == '\n') {
        Some("contains a line break".into())
    } else if let Some(c) = name
        .chars()
        .find(|c| crate::load::names::invisible(*c).is_some())
    {
        Some(format!(
            "contains {}, an invisible character that can disguise a name (shown here as `\\u{{{:04X}}}`)",
            crate::load::names::describe(c),
            c as u32
        ))
    } else if name.contains('%') {
        Some("contains `%`, which BagIt tools read differently".into())
    } else if name.contains('\\') {
        Some("contains `\\`".into())
    } else if name.nfc().collect::<String>() != name {
        Some("is not in Unicode NFC form (it was probably made on a Mac)".into())
    } else {
        None
    }
}

fn tables(audit: &Audit, d: &mut Diagnostics) {
    let products: BTreeSet<&str> = audit
        .meta
        .enterprise
        .products
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    for o in &audit.tables.output {
        if !products.contains(o.product.value.as_str()) {
            d.push(
                Diagnostic::error(
                    "check::dangling",
                    format!("no product with id `{}`", o.product.value),
                )
                .at(&o.product.cell)
                .related(
                    "products are defined in",
                    Place::File { path: AUDIT.into() },
                )
                .help(format!(
                    "the product ids in audit.yaml are `{}`",
                    products.iter().copied().collect::<Vec<_>>().join("`, `")
                )),
            );
        }
    }
    let nonneg = audit
        .tables
        .output
        .iter()
        .map(|r| &r.quantity)
        .chain(audit.tables.materials.iter().map(|r| &r.quantity))
        .chain(audit.tables.energy.iter().map(|r| &r.quantity))
        .chain(audit.tables.water_intake.iter().map(|r| &r.quantity))
        .chain(audit.tables.water_users.iter().flat_map(|r| {
            [
                &r.new_water,
                &r.reused,
                &r.consumed,
                &r.discharged,
                &r.leakage,
            ]
        }))
        .chain(
            audit
                .tables
                .discharges
                .iter()
                .flat_map(|r| [&r.concentration, &r.flow, &r.limit]),
        );
    for v in nonneg {
        if v.value < 0.0 {
            d.push(
                Diagnostic::error(
                    "check::negative",
                    format!("a quantity is negative ({})", v.value),
                )
                .at(&v.cell)
                .help("quantities are never negative"),
            );
        }
    }
}

/// Placeholders and example data that `cpaudit init` wrote and the auditor has not yet
/// replaced: one warning per file, at the first one, listing the lines (YAML) or rows
/// (workbooks) that still hold them.
fn placeholders(audit: &Audit, d: &mut Diagnostics) {
    use crate::init::{EXAMPLE, PLACEHOLDER};
    let marked = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
    for src in &audit.sources {
        for (words, code, what, help) in [
            (
                &PLACEHOLDER[..],
                "check::placeholder",
                "placeholder text （待填写）/(to be completed)",
                "write the real text in both languages; the report prints the placeholders as they are",
            ),
            (
                &EXAMPLE[..],
                "check::example",
                "example data （示例）/(example) from `cpaudit init`",
                "replace the example with the enterprise's own data and remove the （示例）/(example) mark",
            ),
        ] {
            let mut lines: Vec<(u64, u64)> = Vec::new();
            for (i, line) in src.text.lines().enumerate() {
                // The value part of the line: a comment starts at ` #` or at the line's start.
                let value = match line.find(" #") {
                    Some(at) => &line[..at],
                    None => line,
                };
                if value.trim_start().starts_with('#') || !marked(value, words) {
                    continue;
                }
                let column = value.chars().take_while(|c| c.is_whitespace()).count() as u64 + 1;
                lines.push((i as u64 + 1, column));
            }
            let Some(&(line, column)) = lines.first() else {
                continue;
            };
            d.push(
                Diagnostic::warning(
                    code,
                    format!(
                        "{} still holds {what} on {} line(s): {}",
                        src.path,
                        lines.len(),
                        line_ranges(lines.iter().map(|(l, _)| *l))
                    ),
                )
                .at(Place::Yaml {
                    path: src.path.clone(),
                    line,
                    column,
                })
                .help(help),
            );
        }
    }
    // Workbooks: example rows carry the mark in their names.
    let t = &audit.tables;
    let rows: Vec<(&Text, &Cell)> = t
        .materials
        .iter()
        .map(|r| (&r.name, &r.year.cell))
        .chain(t.streams.iter().map(|r| (&r.name, &r.id.cell)))
        .chain(t.water_users.iter().map(|r| (&r.name, &r.id.cell)))
        .chain(
            t.discharges
                .iter()
                .map(|r| (&r.source_name, &r.source.cell)),
        )
        .collect();
    let mut by_file: BTreeMap<&str, Vec<&Cell>> = BTreeMap::new();
    for (name, cell) in rows {
        if marked(&name.zh, &EXAMPLE) || marked(&name.en, &EXAMPLE) {
            by_file.entry(cell.file.as_str()).or_default().push(cell);
        }
    }
    for (file, cells) in by_file {
        let mut sheets: Vec<String> = Vec::new();
        for c in &cells {
            let rows: Vec<u64> = cells
                .iter()
                .filter(|x| x.sheet == c.sheet)
                .map(|x| u64::from(x.row) + 1)
                .collect();
            let entry = format!("`{}` rows {}", c.sheet, line_ranges(rows.into_iter()));
            if !sheets.contains(&entry) {
                sheets.push(entry);
            }
        }
        d.push(
            Diagnostic::warning(
                "check::example",
                format!(
                    "{file} still holds example rows from `cpaudit init` (names marked （示例）/(example)): {}",
                    sheets.join("; ")
                ),
            )
            .at(cells[0])
            .help("replace the example rows with the enterprise's measured data; every figure of the report is computed from them"),
        );
    }
}

/// `3, 4, 5, 9` as `3–5, 9`.
fn line_ranges(lines: impl Iterator<Item = u64>) -> String {
    let mut lines: Vec<u64> = lines.collect();
    lines.sort_unstable();
    lines.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = lines[i];
        let mut end = start;
        while i + 1 < lines.len() && lines[i + 1] == end + 1 {
            i += 1;
            end = lines[i];
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// Every character the documents will print should have a glyph in the bundled fonts:
/// one without prints as an empty box and keeps its document from being PDF/A, so each
/// is named here with its place, as a warning.
fn glyphs(audit: &Audit, d: &mut Diagnostics) {
    // `watch` runs this on every save: each character is one lookup in the fonts'
    // coverage bitmap, and the place is built only for a character that is missing.
    let mut reported = BTreeSet::new();
    let mut missing = |c: char, place: &dyn Fn() -> Place, d: &mut Diagnostics| {
        if c.is_ascii()
            || c.is_whitespace()
            || c.is_control()
            || crate::render::fonts::covers(c)
            || !reported.insert(c)
        {
            return;
        }
        d.push(
            Diagnostic::warning(
                "render::missing-glyph",
                format!("no bundled font has the character '{c}' (U+{:04X}): it prints as an empty box, and the documents that show it cannot be PDF/A", c as u32),
            )
            .at(place())
            .help("replace it with a common character (the fonts cover the 8,105 characters of the 通用规范汉字表, Latin and common symbols); to add a font, put its .otf in cpaudit's fonts/ folder, list it in src/render/fonts.rs and rebuild cpaudit (see fonts/README.md)"),
        );
    };
    for src in &audit.sources {
        for (i, line) in src.text.lines().enumerate() {
            if line.is_ascii() || line.trim_start().starts_with('#') {
                continue;
            }
            for (col, c) in line.chars().enumerate() {
                let place = || Place::Yaml {
                    path: src.path.clone(),
                    line: i as u64 + 1,
                    column: col as u64 + 1,
                };
                missing(c, &place, d);
            }
        }
    }
    // Workbook text: values that kept their cell name it; bilingual names name the workbook.
    fn walk(v: &serde_json::Value, file: &str, f: &mut dyn FnMut(char, &dyn Fn() -> Place)) {
        match v {
            serde_json::Value::Object(map) => {
                if let (Some(serde_json::Value::String(text)), Some(cell)) =
                    (map.get("value"), map.get("cell"))
                    && let Ok(cell) = serde_json::from_value::<CellPlace>(cell.clone())
                {
                    let place = || Place::Cell {
                        path: cell.file.clone(),
                        sheet: cell.sheet.clone(),
                        cell: Cell {
                            file: cell.file.clone(),
                            sheet: cell.sheet.clone(),
                            row: cell.row,
                            col: cell.col,
                        }
                        .a1(),
                    };
                    text.chars().for_each(|c| f(c, &place));
                    return;
                }
                map.values().for_each(|x| walk(x, file, f));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|x| walk(x, file, f)),
            serde_json::Value::String(text) if !text.is_ascii() => {
                let place = || Place::File {
                    path: file.to_string(),
                };
                text.chars().for_each(|c| f(c, &place))
            }
            _ => {}
        }
    }
    #[derive(serde::Deserialize)]
    struct CellPlace {
        file: String,
        sheet: String,
        row: u32,
        col: u32,
    }
    if let Ok(tables) = serde_json::to_value(&audit.tables) {
        walk(&tables, "data/", &mut |c, place| missing(c, place, d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2026-10-30"), Some((2026, 10, 30)));
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("30.10.2026"), None);
    }

    #[test]
    fn line_lists_are_compressed_into_ranges() {
        assert_eq!(
            line_ranges([9, 3, 4, 5, 12, 13].into_iter()),
            "3–5, 9, 12–13"
        );
        assert_eq!(line_ranges(std::iter::empty()), "");
    }

    #[test]
    fn pack_names_must_be_safe() {
        assert_eq!(unsafe_name("evidence/监测报告.pdf"), None);
        assert!(unsafe_name("evidence/100%.pdf").is_some());
        assert!(unsafe_name("evidence/a\nb.pdf").is_some());
        assert!(unsafe_name("evidence/cafe\u{301}.pdf").is_some());
    }
}

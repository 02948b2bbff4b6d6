//! References: ids are unique, and every reference resolves: the chosen focus to a
//! candidate, goal results to goals, streams to unit operations, component rows to
//! streams, options and causes to unit operations, causes, analyses, results, cash flows
//! and equipment replacements to options, output rows to products. A dangling reference
//! is an error that suggests the nearest id.

use super::{ASSESS, AUDIT, FEAS, IMPL, OPTIONS, PRE};
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every id and reference, in the order of the narratives, then the workbooks.
pub(super) fn check(audit: &Audit, d: &mut Diagnostics) {
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
    let units = unique_ids(
        audit.assessment.unit_operations.iter().map(|u| &u.id),
        ASSESS,
        "unit operation",
        d,
    );
    let options = unique_ids(
        audit.options.options.iter().map(|o| &o.id),
        OPTIONS,
        "option",
        d,
    );
    streams(audit, &units, d);
    option_refs(audit, &units, &options, d);
    products(audit, d);
    replacements(audit, d);
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

/// A reference to an id that is not defined, with the nearest id or the list.
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
    }
    // Every place that names an option by id, in the order of the files.
    let named = audit
        .assessment
        .causes
        .iter()
        .flat_map(|c| &c.options)
        .map(|o| (&o.value, Place::yaml(ASSESS, &o.referenced)))
        .chain(
            audit
                .feasibility
                .analyses
                .iter()
                .map(|a| (&a.option.value, Place::yaml(FEAS, &a.option.referenced))),
        )
        .chain(
            audit
                .implementation
                .results
                .iter()
                .map(|r| (&r.option.value, Place::yaml(IMPL, &r.option.referenced))),
        )
        .chain(
            audit
                .tables
                .cash_flows
                .iter()
                .map(|c| (&c.option.value, (&c.option.cell).into())),
        );
    for (id, place) in named {
        if !options.contains_key(id) {
            d.push(dangling("option", id, place, options, OPTIONS));
        }
    }
}

/// Output rows name a product of audit.yaml.
fn products(audit: &Audit, d: &mut Diagnostics) {
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
}

/// A phased-out machine's replacement names an option of 04-options.yaml.
fn replacements(audit: &Audit, d: &mut Diagnostics) {
    let options: BTreeSet<&str> = audit
        .options
        .options
        .iter()
        .map(|o| o.id.value.as_str())
        .collect();
    for e in audit
        .pre_assessment
        .equipment
        .iter()
        .filter(|e| e.phased_out)
    {
        let Some(r) = &e.replaced_by else { continue };
        if !options.contains(r.option.value.as_str()) {
            d.push(
                Diagnostic::error(
                    "check::dangling",
                    format!(
                        "`{}` is to be replaced by option `{}`, which is not in 04-options.yaml",
                        e.name.en, r.option.value
                    ),
                )
                .at(Place::yaml(PRE, &r.option.referenced))
                .help("give the id of the option that replaces the equipment"),
            );
        }
    }
}

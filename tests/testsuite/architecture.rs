//! The layout is the architecture: load → check → compute → view → render → pack, with
//! `calc` (pure formulas), `model` (the audit's types), `diag` and `quantity` below every
//! stage. This test reads `src/` and fails on an arrow from a lower stage to a higher one
//! (check reaching into render, say), so the layering cannot rot unnoticed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each module may use besides itself. Modules not listed (the pipeline driver
/// `build`, `output`, `rebuild`, `watch`, `cmd`, `lib`, `main`, `fuzz`, `progress`) sit
/// on top and may use anything.
const MAY_USE: &[(&str, &[&str])] = &[
    ("calc", &[]),
    ("quantity", &[]),
    ("fonts", &[]),
    ("error", &[]),
    ("model", &["calc"]),
    ("diag", &["model"]),
    ("load", &["model", "calc", "diag", "quantity"]),
    // check runs before compute over the model and after it over the results.
    (
        "check",
        &[
            "load", "compute", "fonts", "model", "calc", "diag", "quantity",
        ],
    ),
    ("compute", &["load", "model", "calc", "diag", "quantity"]),
    ("view", &["compute", "model", "calc", "diag", "quantity"]),
    (
        "render",
        &[
            "view", "compute", "load", "fonts", "model", "calc", "diag", "quantity",
        ],
    ),
    ("pack", &["load", "model", "calc", "diag", "quantity"]),
    // init writes the schemas into a new audit; the schemas know nothing of init.
    (
        "init",
        &["schema", "load", "model", "calc", "diag", "quantity"],
    ),
    ("schema", &["load", "model", "calc", "diag", "quantity"]),
];

/// Modules every stage may use: the typed I/O error with its path and cause.
const SHARED: &[&str] = &["error"];

/// The crate modules a line of Rust names: `crate::x::…` and `use crate::{x, y}`.
fn named_modules(line: &str, out: &mut BTreeSet<String>) {
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let head = item.trim().split("::").next().unwrap_or("");
                if !head.is_empty() {
                    out.insert(head.to_string());
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `crate::x::…` names module x; `crate::check(…)` is a function of lib.rs.
        if rest[name.len()..].starts_with("::") {
            out.insert(name);
        }
    }
}

/// Every module each top-level module of `src/` names.
fn uses() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut map: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let mut named = BTreeSet::new();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            named_modules(code, &mut named);
        }
        named.remove(&module);
        for m in named {
            map.entry(module.clone())
                .or_default()
                .entry(m)
                .or_default()
                .insert(rel.display().to_string());
        }
    }
    map
}

#[test]
fn no_stage_reaches_into_a_later_one() {
    let uses = uses();
    let mut wrong = Vec::new();
    for (module, allowed) in MAY_USE {
        for (used, files) in uses.get(*module).into_iter().flatten() {
            if !allowed.contains(&used.as_str()) && !SHARED.contains(&used.as_str()) {
                wrong.push(format!("{module} uses {used} in {files:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scanner_reads_paths_and_use_groups() {
    let mut out = BTreeSet::new();
    named_modules("use crate::{calc::x, model, diag::Place};", &mut out);
    named_modules("let x = crate::render::fonts::covers(c);", &mut out);
    named_modules("let c = crate::check(&root);", &mut out);
    let got: Vec<&str> = out.iter().map(String::as_str).collect();
    assert_eq!(got, vec!["calc", "diag", "model", "render"]);
}

//! Regulation profiles and the list of toxic pollutants: the built-in ones (compiled in
//! from `profiles/`) and those an audit folder adds or overrides in its own `profiles/`.
//! A profile may extend another; after resolution every field must be present and the
//! fields must agree with each other (a notice field set for a trigger the profile does
//! not have, a deadline for an unknown trigger), or the audit does not build.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The regulation profiles shipped with cpaudit.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "national-2004",
        include_str!("../../profiles/regulations/national-2004.yaml"),
    ),
    (
        "national-2016",
        include_str!("../../profiles/regulations/national-2016.yaml"),
    ),
    (
        "shanxi-2005",
        include_str!("../../profiles/regulations/shanxi-2005.yaml"),
    ),
    (
        "xinjiang-2005",
        include_str!("../../profiles/regulations/xinjiang-2005.yaml"),
    ),
];

/// The built-in list of toxic pollutants.
pub const TOXIC: &str = include_str!("../../profiles/toxic-pollutants.yaml");

/// Loads and resolves the profile `audit.yaml` chooses, and the toxic list.
pub fn load(
    root: &Path,
    meta: &AuditFile,
    d: &mut Diagnostics,
) -> (Option<Profile>, BTreeMap<String, Text>) {
    let mut files: BTreeMap<String, (ProfileFile, String)> = BTreeMap::new();
    for (id, text) in BUILTIN {
        match super::yaml::parse::<ProfileFile>(text, &format!("builtin:{id}")) {
            Ok(p) => {
                files.insert(p.id.clone(), (p, format!("builtin:{id}")));
            }
            Err(e) => d.push(e),
        }
    }
    let mut toxic: BTreeMap<String, Text> =
        super::yaml::parse(TOXIC, "builtin:toxic-pollutants").unwrap_or_default();
    let dir = root.join("profiles");
    if dir.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".yaml") || !e.path().is_file() {
                continue;
            }
            let rel = format!("profiles/{name}");
            // The audit's own reader: links leading out of the folder, files over the
            // size limit and text that is not UTF-8 are refused, each named.
            let text = match super::read_text(root, &rel) {
                Ok(text) => text,
                Err(diag) => {
                    d.push(diag);
                    continue;
                }
            };
            if name == "toxic-pollutants.yaml" {
                match super::yaml::parse::<BTreeMap<String, Text>>(&text, &rel) {
                    Ok(extra) => toxic.extend(extra),
                    Err(e) => d.push(e),
                }
                continue;
            }
            match super::yaml::parse::<ProfileFile>(&text, &rel) {
                Ok(p) => {
                    files.insert(p.id.clone(), (p, rel));
                }
                Err(e) => d.push(e),
            }
        }
    }
    let chosen = &meta.audit.regulation;
    if !files.contains_key(chosen) {
        let ids: Vec<&str> = files.keys().map(String::as_str).collect();
        let help = match crate::diag::suggest(chosen, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "the profiles are `{}`; for another jurisdiction add profiles/{chosen}.yaml to the audit folder",
                ids.join("`, `")
            ),
        };
        d.push(
            Diagnostic::error(
                "profile::unknown",
                format!("no regulation profile `{chosen}`"),
            )
            .at(Place::File {
                path: "audit.yaml".into(),
            })
            .help(help),
        );
        return (None, toxic);
    }
    (resolve(chosen, &files, d), toxic)
}

/// Resolves `id` through its `extends` chain and checks the result.
fn resolve(
    id: &str,
    files: &BTreeMap<String, (ProfileFile, String)>,
    d: &mut Diagnostics,
) -> Option<Profile> {
    let mut chain: Vec<&(ProfileFile, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut next = Some(id.to_string());
    while let Some(cur) = next {
        if !seen.insert(cur.clone()) {
            let src = &files[id].1;
            d.push(
                Diagnostic::error(
                    "profile::cycle",
                    format!("profile `{id}` extends itself through `{cur}`"),
                )
                .at(Place::File { path: src.clone() }),
            );
            return None;
        }
        let Some(entry) = files.get(&cur) else {
            let src = chain.last().map(|e| e.1.clone()).unwrap_or_default();
            d.push(
                Diagnostic::error(
                    "profile::extends",
                    format!("profile extends `{cur}`, which does not exist"),
                )
                .at(Place::File { path: src }),
            );
            return None;
        };
        next = entry.0.extends.clone();
        chain.push(entry);
    }
    let (top, source) = chain[0];
    let pick = |f: &dyn Fn(&ProfileFile) -> bool| chain.iter().map(|e| &e.0).find(|p| f(p));
    let missing = |field: &str, d: &mut Diagnostics| {
        d.push(
            Diagnostic::error(
                "profile::missing",
                format!("profile `{id}` has no `{field}` (nor does any profile it extends)"),
            )
            .at(Place::File {
                path: source.clone(),
            })
            .help(format!("add `{field}:` to the profile")),
        );
    };
    let chapters = pick(&|p| p.chapters.is_some()).and_then(|p| p.chapters.clone());
    let report_to = pick(&|p| p.report_to.is_some()).and_then(|p| p.report_to.clone());
    let channel = pick(&|p| p.channel.is_some()).and_then(|p| p.channel.clone());
    let triggers = pick(&|p| p.triggers.is_some()).and_then(|p| p.triggers.clone());
    let deadlines = pick(&|p| p.deadlines.is_some()).and_then(|p| p.deadlines.clone());
    let disclosure = pick(&|p| p.disclosure.is_some()).and_then(|p| p.disclosure.clone());
    let mut ok = true;
    for (name, present) in [
        ("chapters", chapters.is_some()),
        ("report_to", report_to.is_some()),
        ("channel", channel.is_some()),
        ("triggers", triggers.is_some()),
        ("deadlines", deadlines.is_some()),
        ("disclosure", disclosure.is_some()),
    ] {
        if !present {
            missing(name, d);
            ok = false;
        }
    }
    let (
        Some(chapters),
        Some(report_to),
        Some(channel),
        Some(triggers),
        Some(deadlines),
        Some(disclosure),
    ) = (
        chapters, report_to, channel, triggers, deadlines, disclosure,
    )
    else {
        return None;
    };
    let place = Place::File {
        path: source.clone(),
    };
    let known: BTreeSet<TriggerId> = triggers.iter().map(|t| t.id).collect();
    let mut contradictions = Vec::new();
    if known.len() != triggers.len() {
        contradictions.push("a trigger is listed twice".to_string());
    }
    for t in disclosure.keys().filter(|t| !known.contains(t)) {
        contradictions.push(format!(
            "`disclosure` has fields for `{t:?}`, which is not among its triggers"
        ));
    }
    for t in known
        .iter()
        .filter(|t| !disclosure.contains_key(t) && **t != TriggerId::Other)
    {
        contradictions.push(format!(
            "trigger `{t:?}` has no notice fields under `disclosure`"
        ));
    }
    let mut ids = BTreeSet::new();
    for dl in &deadlines {
        if !ids.insert(dl.id) {
            contradictions.push(format!("deadline `{:?}` is listed twice", dl.id));
        }
        if dl.months == 0 {
            contradictions.push(format!("deadline `{:?}` is zero months", dl.id));
        }
        for t in dl.when.iter().filter(|t| !known.contains(t)) {
            contradictions.push(format!(
                "deadline `{:?}` applies when `{t:?}`, which is not among its triggers",
                dl.id
            ));
        }
    }
    for c in contradictions {
        ok = false;
        d.push(
            Diagnostic::error("profile::contradiction", format!("profile `{id}`: {c}"))
                .at(place.clone())
                .help(
                    "correct the profile so that its triggers, deadlines and notice fields agree",
                ),
        );
    }
    ok.then(|| Profile {
        id: id.to_string(),
        name: top.name.clone(),
        instrument: top.instrument.clone(),
        in_force: top.in_force.clone(),
        chapters,
        report_to,
        channel,
        triggers,
        deadlines,
        disclosure,
        source: source.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<String, (ProfileFile, String)> {
        BUILTIN
            .iter()
            .map(|(id, t)| {
                let p: ProfileFile = crate::load::yaml::parse(t, id).unwrap();
                (p.id.clone(), (p, id.to_string()))
            })
            .collect()
    }

    #[test]
    fn every_builtin_profile_resolves() {
        let files = files();
        for (id, _) in BUILTIN {
            let mut d = Diagnostics::default();
            let p = resolve(id, &files, &mut d);
            assert!(p.is_some(), "{id}: {:?}", d);
        }
    }

    #[test]
    fn provinces_inherit_the_national_triggers() {
        let mut d = Diagnostics::default();
        let p = resolve("shanxi-2005", &files(), &mut d).unwrap();
        assert_eq!(p.triggers.len(), 3);
        assert!(
            p.deadlines
                .iter()
                .any(|x| x.id == MilestoneId::Report && x.months == 12)
        );
        assert_eq!(p.disclosure[&TriggerId::ExceedStandard].len(), 8);
    }

    #[test]
    fn contradictions_are_errors() {
        let mut files = files();
        let mut bad = files["national-2016"].0.clone();
        bad.id = "bad".into();
        bad.triggers
            .as_mut()
            .unwrap()
            .retain(|t| t.id != TriggerId::Toxic);
        files.insert("bad".into(), (bad, "profiles/bad.yaml".into()));
        let mut d = Diagnostics::default();
        assert!(resolve("bad", &files, &mut d).is_none());
        assert!(
            d.0.iter()
                .any(|x| x.code == "profile::contradiction" && x.message.contains("Toxic"))
        );
    }

    #[test]
    fn the_toxic_list_parses() {
        let t: BTreeMap<String, Text> = crate::load::yaml::parse(TOXIC, "t").unwrap();
        assert!(t.contains_key("Cr6+") && t.contains_key("Hg"));
    }
}

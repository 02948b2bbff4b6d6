//! Industry profiles: the built-in ones, compiled in from `profiles/industries/`, and
//! those in the audit folder's own `profiles/industries/*.yaml`, which add profiles or
//! replace a built-in one with the same id. Every file is checked when it is loaded, so a
//! broken profile is reported with its file and line even before an audit chooses it:
//! a limit without a unit, a pollutant a standard limits but the profile does not
//! declare, an id given twice, a toxic mark the toxic list does not back.

use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The folder of industry profiles, in cpaudit's sources and in an audit folder.
pub const DIR: &str = "profiles/industries";

/// The industry profiles shipped with cpaudit: (id, YAML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "dyeing",
        include_str!("../../profiles/industries/dyeing.yaml"),
    ),
    (
        "electroplating",
        include_str!("../../profiles/industries/electroplating.yaml"),
    ),
];

/// Why a built-in industry profile does not load (a defect of cpaudit's own data).
#[derive(Debug, thiserror::Error)]
pub enum BuiltinError {
    /// No built-in profile has this id.
    #[error("no built-in industry profile `{0}`")]
    Unknown(String),
    /// The profile (or the toxic list it is checked against) has problems.
    #[error("{}", problems.0.iter().map(|x| match &x.place {
        Some(p) => format!("{p}: {}", x.message),
        None => x.message.clone(),
    }).collect::<Vec<_>>().join("; "))]
    Invalid {
        /// The problems found.
        problems: Diagnostics,
    },
}

/// A built-in profile by id, checked against the built-in toxic list; `Err` with the
/// problems when it does not load (for `cpaudit init`).
pub fn builtin(id: &str) -> Result<IndustryFile, BuiltinError> {
    let (_, text) = BUILTIN
        .iter()
        .find(|(k, _)| *k == id)
        .ok_or_else(|| BuiltinError::Unknown(id.to_string()))?;
    let toxic: BTreeMap<String, Text> =
        super::yaml::parse(super::profile::TOXIC, "builtin:toxic-pollutants").map_err(|d| {
            BuiltinError::Invalid {
                problems: Diagnostics(vec![d]),
            }
        })?;
    let mut d = Diagnostics::default();
    parse(text, &format!("builtin:{id}"), &toxic, &mut d)
        .ok_or(BuiltinError::Invalid { problems: d })
}

/// The names of common pollutant codes, for a code no industry profile declares: the
/// `pollutant_<code>` entries of `templates/strings.yaml` (`zh`, `en` and an optional
/// `symbol` in the markup of [`formula`]).
pub fn common_pollutant_names() -> &'static BTreeMap<String, PollutantName> {
    static NAMES: std::sync::OnceLock<BTreeMap<String, PollutantName>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let strings: BTreeMap<String, BTreeMap<String, String>> =
            super::yaml::parse(super::STRINGS, "templates/strings.yaml").unwrap_or_default();
        strings
            .iter()
            .filter_map(|(k, v)| {
                let code = k.strip_prefix("pollutant_")?;
                let name = Text {
                    zh: v.get("zh")?.clone(),
                    en: v.get("en")?.clone(),
                };
                let symbol = v.get("symbol").cloned();
                Some((code.to_string(), PollutantName { name, symbol }))
            })
            .collect()
    })
}

/// Loads the built-in industry profiles and the audit folder's own, by id, each checked
/// against the toxic list in force. A profile with problems is left out, its problems
/// reported.
pub fn load(
    root: &Path,
    toxic: &BTreeMap<String, Text>,
    d: &mut Diagnostics,
) -> BTreeMap<String, IndustryFile> {
    super::data_files(
        root,
        &super::DataFiles {
            dir: DIR,
            builtin: BUILTIN,
            what: "industry profile",
            duplicate_code: "industry::duplicate",
        },
        |text, origin, d| parse(text, origin, toxic, d),
        |p: &IndustryFile| p.id.clone(),
        d,
    )
}

/// The profile an audit uses: the one `audit.industry_profile` names, else the one whose
/// GB/T 4754 codes include `enterprise.industry_code`, else none. An unknown name is an
/// error with a suggestion.
pub fn choose(
    meta: &AuditFile,
    profiles: &BTreeMap<String, IndustryFile>,
    d: &mut Diagnostics,
) -> Option<IndustryFile> {
    if let Some(name) = &meta.audit.industry_profile {
        if let Some(p) = profiles.get(&name.value) {
            return Some(p.clone());
        }
        let ids: Vec<&str> = profiles.keys().map(String::as_str).collect();
        let help = match crate::diag::suggest(&name.value, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "the industry profiles are `{}`; for another industry add {DIR}/{}.yaml to the audit folder",
                ids.join("`, `"),
                name.value
            ),
        };
        d.push(
            Diagnostic::error(
                "industry::unknown",
                format!("no industry profile `{}`", name.value),
            )
            .at(Place::yaml("audit.yaml", &name.referenced))
            .help(help),
        );
        return None;
    }
    let code = digits(&meta.enterprise.industry_code);
    if code.len() < 3 {
        return None;
    }
    profiles
        .values()
        .find(|p| {
            p.codes.iter().any(|c| {
                let c = digits(&c.code.value);
                c == code || (code.len() >= 3 && c.starts_with(&code))
            })
        })
        .cloned()
}

/// The digits of a GB/T 4754 code (`C3360` → `3360`).
fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

/// Parses and checks one file; `None` (with diagnostics) when it is not usable.
pub fn parse(
    text: &str,
    origin: &str,
    toxic: &BTreeMap<String, Text>,
    d: &mut Diagnostics,
) -> Option<IndustryFile> {
    let mut file: IndustryFile = match super::yaml::parse(text, origin) {
        Ok(f) => f,
        Err(e) => {
            d.push(e);
            return None;
        }
    };
    file.origin = origin.to_string();
    let problems = validate(&file, toxic);
    if problems.is_empty() {
        Some(file)
    } else {
        d.extend(Diagnostics(problems));
        None
    }
}

/// Every contradiction and missing field of a profile, each pointing at its line.
pub fn validate(file: &IndustryFile, toxic: &BTreeMap<String, Text>) -> Vec<Diagnostic> {
    let path = file.origin.as_str();
    let mut out = Vec::new();
    let mut bad = |at: &serde_saphyr::Location, message: String, help: &str| {
        out.push(
            Diagnostic::error(
                "industry::invalid",
                format!("industry profile `{}`: {message}", file.id),
            )
            .at(Place::yaml(path, at))
            .help(help.to_string()),
        );
    };
    let nowhere = serde_saphyr::Location::UNKNOWN;
    if file.codes.is_empty() {
        bad(
            &nowhere,
            "no GB/T 4754 code under `codes`".into(),
            "list the industry's GB/T 4754-2017 codes, e.g. `- {code: C3360, name: {zh: …, en: …}}`",
        );
    }

    // Pollutants: unique per medium, by code and by alias; toxic marks backed by the list.
    let mut spellings: BTreeMap<(Medium, String), String> = BTreeMap::new();
    for p in &file.pollutants {
        if !matches!(p.medium, Medium::Wastewater | Medium::WasteGas) {
            bad(
                &p.code.referenced,
                format!(
                    "pollutant `{}` has medium `{:?}`; pollutants are discharged to wastewater or waste gas",
                    p.code.value, p.medium
                ),
                "write `medium: wastewater` or `medium: waste_gas`",
            );
        }
        for spelling in std::iter::once(&p.code.value).chain(&p.aliases) {
            let key = (p.medium, normalise_code(spelling));
            if let Some(owner) = spellings.get(&key) {
                let what = if *owner == p.code.value {
                    format!("pollutant `{}` is declared twice", p.code.value)
                } else {
                    format!(
                        "`{spelling}` names both `{owner}` and `{}` ({:?})",
                        p.code.value, p.medium
                    )
                };
                bad(
                    &p.code.referenced,
                    what,
                    "give every pollutant of a medium one entry, and each alias to one pollutant",
                );
            } else {
                spellings.insert(key, p.code.value.clone());
            }
        }
        if p.name.zh.trim().is_empty() || p.name.en.trim().is_empty() {
            bad(
                &p.code.referenced,
                format!("pollutant `{}` has no name in both languages", p.code.value),
                "give it `name: {zh: …, en: …}`: the reports print the name, not the code",
            );
        }
        if let Some(sym) = &p.symbol
            && let Some(problem) = formula::check(&sym.value)
        {
            bad(
                &sym.referenced,
                format!("pollutant `{}`: symbol {problem}", p.code.value),
                "write the symbol as `NH~3~-N` (subscript 3) or `Cr^6+^` (superscript 6+)",
            );
        }
        match &p.toxic {
            Some(id) if !toxic.contains_key(&id.value) => bad(
                &id.referenced,
                format!(
                    "pollutant `{}` is marked toxic as `{}`, which profiles/toxic-pollutants.yaml does not list",
                    p.code.value, id.value
                ),
                "`toxic:` takes the id of an entry in the toxic list; add the entry (with the list it is on) to the audit's profiles/toxic-pollutants.yaml, or remove the mark",
            ),
            None if p.medium == Medium::Wastewater && toxic.contains_key(&p.code.value) => bad(
                &p.code.referenced,
                format!(
                    "pollutant `{}` is on the toxic list ({}) but not marked toxic",
                    p.code.value, toxic[&p.code.value].en
                ),
                "add `toxic: <its id in profiles/toxic-pollutants.yaml>`",
            ),
            _ => {}
        }
    }
    let declared = |medium: Medium, code: &str| -> bool {
        file.pollutants
            .iter()
            .any(|p| p.medium == medium && p.code.value == code)
    };

    // Standards, tables, columns and limits.
    let mut standard_ids = BTreeSet::new();
    for s in &file.standards {
        if !standard_ids.insert(normalise_code(&s.id.value)) {
            bad(
                &s.id.referenced,
                format!("standard `{}` is listed twice", s.id.value),
                "list each standard once, with all its tables",
            );
        }
        if s.tables.is_empty() {
            bad(
                &s.id.referenced,
                format!("standard `{}` has no tables", s.id.value),
                "give the standard's limit tables under `tables`",
            );
        }
        let mut numbers = BTreeSet::new();
        let mut current = BTreeSet::new();
        for t in &s.tables {
            let cite = s.cite(t);
            if !numbers.insert(t.table.value) {
                bad(
                    &t.table.referenced,
                    format!("{cite} is listed twice"),
                    "list each table once",
                );
            }
            if t.current && !current.insert(t.medium) {
                bad(
                    &t.table.referenced,
                    format!(
                        "{cite}: more than one table of {} is marked `current: true` for {:?}",
                        s.id.value, t.medium
                    ),
                    "mark one table per medium as current: the one new enterprises (and existing ones after the transition) meet",
                );
            }
            if t.columns.is_empty() {
                bad(
                    &t.table.referenced,
                    format!("{cite} has no columns"),
                    "give the table's columns (direct, indirect …) under `columns`",
                );
            }
            let mut cols = BTreeSet::new();
            for c in &t.columns {
                if !cols.insert(c.id.value.as_str()) {
                    bad(
                        &c.id.referenced,
                        format!("{cite}: column `{}` is listed twice", c.id.value),
                        "give every column of a table its own id",
                    );
                }
            }
            for c in &t.columns {
                if let Some(f) = &c.falls_back_to
                    && (!cols.contains(f.as_str()) || *f == c.id.value)
                {
                    bad(
                        &c.id.referenced,
                        format!(
                            "{cite}: column `{}` falls back to `{f}`, which is not another column of the table",
                            c.id.value
                        ),
                        "`falls_back_to` names another column of the same table",
                    );
                }
            }
            let mut rows = BTreeSet::new();
            for l in &t.limits {
                let code = &l.pollutant.value;
                let at = &l.pollutant.referenced;
                if !rows.insert(code.as_str()) {
                    bad(
                        at,
                        format!("{cite}: pollutant `{code}` has two rows"),
                        "give each pollutant one row per table",
                    );
                }
                if !declared(t.medium, code) {
                    bad(
                        at,
                        format!(
                            "{cite} limits `{code}`, which is not declared under `pollutants` for {:?}",
                            t.medium
                        ),
                        "declare the pollutant (code, medium, name) under `pollutants`, or correct the code",
                    );
                }
                match &l.unit {
                    None => bad(
                        at,
                        format!("{cite}: the limit of `{code}` has no unit"),
                        "add `unit:` (mg/L, mg/m³, 倍 for colour, 无量纲 for pH)",
                    ),
                    Some(u) if u.value.trim().is_empty() => bad(
                        &u.referenced,
                        format!("{cite}: the limit of `{code}` has an empty unit"),
                        "add `unit:` (mg/L, mg/m³, 倍 for colour, 无量纲 for pH)",
                    ),
                    _ => {}
                }
                match l.at {
                    None => bad(
                        at,
                        format!("{cite}: the limit of `{code}` does not say where it is judged"),
                        "add `at: workshop` (车间或生产设施排放口), `at: outlet` (企业总排放口) or `at: stack` (排气筒)",
                    ),
                    Some(MeasuredAt::Stack) if t.medium == Medium::Wastewater => bad(
                        at,
                        format!("{cite}: `{code}` is a wastewater limit judged at a stack"),
                        "wastewater limits are judged `at: workshop` or `at: outlet`",
                    ),
                    Some(MeasuredAt::Workshop | MeasuredAt::Outlet)
                        if t.medium == Medium::WasteGas =>
                    {
                        bad(
                            at,
                            format!(
                                "{cite}: `{code}` is a waste-gas limit judged at a wastewater outlet"
                            ),
                            "waste-gas limits are judged `at: stack`",
                        )
                    }
                    _ => {}
                }
                for k in l.values.keys().filter(|k| !cols.contains(k.as_str())) {
                    bad(
                        at,
                        format!(
                            "{cite}: `{code}` has a value for column `{k}`, which the table does not have"
                        ),
                        "the keys of `values` are the ids of the table's `columns`",
                    );
                }
                for c in &t.columns {
                    if t.value(l, &c.id.value).is_none() {
                        bad(
                            at,
                            format!("{cite}: `{code}` has no value for column `{}`", c.id.value),
                            "give a value for every column (or let the column fall back to another with `falls_back_to`)",
                        );
                    }
                }
                for (k, v) in &l.values {
                    let wrong = match *v {
                        LimitValue::Max(x) => !x.is_finite() || x < 0.0,
                        LimitValue::Range(a, b) => !a.is_finite() || !b.is_finite() || a > b,
                        LimitValue::NotDetected | LimitValue::NoLimit => false,
                    };
                    if wrong {
                        bad(
                            at,
                            format!(
                                "{cite}: `{code}` in column `{k}` is not a limit (negative, or a range whose low end is above its high end)"
                            ),
                            "a limit is a number ≥ 0, a range [low, high], \"not_detected\" or \"none\"",
                        );
                    }
                }
            }
        }
        for b in &s.benchmark_volumes {
            for n in b.values.keys().filter(|n| !numbers.contains(n)) {
                bad(
                    &b.unit.referenced,
                    format!(
                        "benchmark volume of “{}” is given for table {n}, which {} does not have",
                        b.product.en, s.id.value
                    ),
                    "the keys of `values` are the numbers of the standard's limit tables",
                );
            }
            if b.values.values().any(|v| !v.is_finite() || *v <= 0.0) {
                bad(
                    &b.unit.referenced,
                    format!(
                        "benchmark volume of “{}” is not a positive number",
                        b.product.en
                    ),
                    "give the volume per unit of product, a number > 0",
                );
            }
        }
    }

    // Toxic materials, focuses and options: ids unique, references declared.
    let mut ids = BTreeSet::new();
    for m in &file.toxic_materials {
        if !ids.insert(m.id.value.as_str()) {
            bad(
                &m.id.referenced,
                format!("toxic material `{}` is listed twice", m.id.value),
                "give every entry its own id",
            );
        }
        if m.words.iter().all(|w| w.trim().is_empty()) {
            bad(
                &m.id.referenced,
                format!("toxic material `{}` has no words to match", m.id.value),
                "list under `match` the words that identify it in a material's name",
            );
        }
        for p in &m.pollutants {
            if !file.pollutants.iter().any(|x| x.code.value == p.value) {
                bad(
                    &p.referenced,
                    format!(
                        "toxic material `{}` brings `{}`, which is not declared under `pollutants`",
                        m.id.value, p.value
                    ),
                    "declare the pollutant under `pollutants`, or correct the code",
                );
            }
        }
    }
    let mut ids = BTreeSet::new();
    for f in &file.focuses {
        if !ids.insert(f.id.value.as_str()) {
            bad(
                &f.id.referenced,
                format!("focus `{}` is listed twice", f.id.value),
                "give every focus its own id",
            );
        }
    }
    let mut ids = BTreeSet::new();
    for o in &file.options {
        if !ids.insert(o.id.value.as_str()) {
            bad(
                &o.id.referenced,
                format!("option `{}` is listed twice", o.id.value),
                "give every option its own id",
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toxic() -> BTreeMap<String, Text> {
        crate::load::yaml::parse(crate::load::profile::TOXIC, "t").unwrap()
    }

    /// A small valid profile; each test breaks one thing.
    const GOOD: &str = r#"
id: test
name: {zh: 测试, en: Test}
source: {zh: 测试, en: test}
codes:
  - {code: C3360, name: {zh: 金属表面处理及热处理加工, en: Metal surface treatment}}
pollutants:
  - {code: Cr6+, medium: wastewater, name: {zh: 六价铬, en: Hexavalent chromium}, aliases: [六价铬], toxic: Cr6+, typical: true}
  - {code: COD, medium: wastewater, name: {zh: 化学需氧量, en: COD}}
standards:
  - id: GB 21900-2008
    name: {zh: 电镀污染物排放标准, en: Electroplating}
    role: industry
    source: {zh: 测试, en: test}
    tables:
      - table: 2
        title: {zh: 表2, en: Table 2}
        medium: wastewater
        applies: {zh: 新建, en: new}
        current: true
        columns:
          - {id: limit, name: {zh: 限值, en: Limit}}
        limits:
          - {pollutant: Cr6+, unit: mg/L, at: workshop, values: {limit: 0.2}, basis: corroborated}
          - {pollutant: COD, unit: mg/L, at: outlet, values: {limit: 80}, basis: corroborated}
toxic_materials:
  - {id: cro3, name: {zh: 铬酐, en: Chromium trioxide}, match: [铬酐], pollutants: [Cr6+], list: {zh: 重金属, en: heavy metal}, basis: unverified}
options:
  - {id: E1, name: {zh: 逆流漂洗, en: Counter-current rinsing}, description: {zh: 多级, en: multi-stage}, category: technology, cost: medium, benefits: {zh: 节水, en: saves water}, basis: sourced}
"#;

    fn load_text(text: &str) -> (Option<IndustryFile>, Vec<Diagnostic>) {
        let mut d = Diagnostics::default();
        let p = parse(text, "profiles/industries/test.yaml", &toxic(), &mut d);
        (p, d.0)
    }

    /// The one error a broken profile gives: its message and line.
    fn error(text: &str) -> (String, u64) {
        let (p, d) = load_text(text);
        assert!(p.is_none(), "a broken profile loaded");
        assert!(!d.is_empty());
        let first = &d[0];
        let line = match &first.place {
            Some(Place::Yaml { path, line, .. }) => {
                assert_eq!(path, "profiles/industries/test.yaml");
                *line
            }
            other => panic!("no line: {other:?} ({})", first.message),
        };
        (first.message.clone(), line)
    }

    fn line_of(text: &str, needle: &str) -> u64 {
        text.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1
    }

    #[test]
    fn the_good_profile_loads() {
        let (p, d) = load_text(GOOD);
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!(
            p.pollutant(Medium::Wastewater, "六 价 铬")
                .unwrap()
                .code
                .value,
            "Cr6+"
        );
        let (s, t) = p.standard("GB21900—2008 表2").unwrap();
        assert_eq!((s.id.value.as_str(), t), ("GB 21900-2008", Some(2)));
    }

    #[test]
    fn every_builtin_profile_loads() {
        for (id, _) in BUILTIN {
            let p = builtin(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(p.id, *id);
        }
    }

    #[test]
    fn a_limit_without_a_unit_names_its_line() {
        let bad = GOOD.replace(
            "{pollutant: COD, unit: mg/L, at: outlet,",
            "{pollutant: COD, at: outlet,",
        );
        let (message, line) = error(&bad);
        assert!(message.contains("`COD` has no unit"), "{message}");
        assert_eq!(line, line_of(&bad, "{pollutant: COD,"));
    }

    #[test]
    fn a_pollutant_limited_but_not_declared_is_named() {
        let bad = GOOD.replace("{pollutant: COD,", "{pollutant: Ni,");
        let (message, line) = error(&bad);
        assert!(
            message.contains("limits `Ni`, which is not declared"),
            "{message}"
        );
        assert_eq!(line, line_of(&bad, "{pollutant: Ni,"));
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let twice = GOOD.replace(
            "  - {code: COD, medium: wastewater,",
            "  - {code: cod, medium: wastewater, name: {zh: x, en: x}}\n  - {code: COD, medium: wastewater,",
        );
        let (message, line) = error(&twice);
        assert!(
            message.contains("declared twice") || message.contains("names both"),
            "{message}"
        );
        assert_eq!(line, line_of(&twice, "{code: COD,"));

        let options = GOOD.replace("options:\n", "options:\n  - {id: E1, name: {zh: a, en: a}, description: {zh: a, en: a}, category: waste, cost: low, benefits: {zh: a, en: a}, basis: unverified}\n");
        let (message, _) = error(&options);
        assert!(message.contains("option `E1` is listed twice"), "{message}");
    }

    #[test]
    fn contradictions_are_errors() {
        // A toxic mark the toxic list does not back.
        let (message, _) = error(&GOOD.replace("toxic: Cr6+", "toxic: Cr7+"));
        assert!(message.contains("does not list"), "{message}");
        // A pollutant on the toxic list without the mark.
        let (message, _) = error(&GOOD.replace(", toxic: Cr6+", ""));
        assert!(message.contains("not marked toxic"), "{message}");
        // A value for a column the table does not have, and none for the one it has.
        let (message, _) = error(&GOOD.replace("values: {limit: 80}", "values: {direct: 80}"));
        assert!(message.contains("column `direct`"), "{message}");
        // A wastewater limit judged at a stack.
        let (message, _) = error(&GOOD.replace("at: outlet", "at: stack"));
        assert!(message.contains("judged at a stack"), "{message}");
        // A range upside down.
        let (message, _) = error(&GOOD.replace("values: {limit: 80}", "values: {limit: [9, 6]}"));
        assert!(message.contains("not a limit"), "{message}");
        // A toxic material bringing an undeclared pollutant.
        let (message, _) = error(&GOOD.replace("pollutants: [Cr6+]", "pollutants: [CN]"));
        assert!(message.contains("brings `CN`"), "{message}");
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let bad = GOOD.replace("current: true", "current: true\n        curent: true");
        let (message, line) = error(&bad);
        assert!(message.contains("curent"), "{message}");
        assert_eq!(line, line_of(&bad, "curent"));
    }

    #[test]
    fn a_limit_value_is_a_number_a_range_or_not_detected() {
        let ok = GOOD.replace("values: {limit: 80}", "values: {limit: [6, 9]}");
        assert!(load_text(&ok).0.is_some());
        let ok = GOOD.replace("values: {limit: 80}", "values: {limit: not_detected}");
        assert!(load_text(&ok).0.is_some());
        let (message, _) = error(&GOOD.replace("values: {limit: 80}", "values: {limit: low}"));
        assert!(message.contains("not_detected"), "{message}");
    }

    /// Every pollutant code a bundled profile uses: declared, limited, brought by a toxic
    /// material, or on the toxic list.
    fn bundled_codes() -> Vec<(String, Vec<Medium>, String)> {
        let both = vec![Medium::Wastewater, Medium::WasteGas];
        let mut codes = Vec::new();
        for (id, _) in BUILTIN {
            let p = builtin(id).unwrap();
            for d in &p.pollutants {
                codes.push((
                    d.code.value.clone(),
                    vec![d.medium],
                    format!("{id}: pollutants"),
                ));
            }
            for s in &p.standards {
                for t in &s.tables {
                    for l in &t.limits {
                        let at = format!("{id}: {} 表{}", s.id.value, t.table.value);
                        codes.push((l.pollutant.value.clone(), vec![t.medium], at));
                    }
                }
            }
            for m in &p.toxic_materials {
                for c in &m.pollutants {
                    let at = format!("{id}: toxic material {}", m.id.value);
                    codes.push((c.value.clone(), both.clone(), at));
                }
            }
        }
        let toxic: BTreeMap<String, Text> =
            crate::load::yaml::parse(crate::load::profile::TOXIC, "toxic").unwrap();
        for code in toxic.keys() {
            codes.push((code.clone(), both.clone(), "toxic-pollutants.yaml".into()));
        }
        codes
    }

    #[test]
    fn every_pollutant_code_of_the_bundled_profiles_has_names_in_both_languages() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
        let files = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(files, BUILTIN.len(), "every file of {DIR} is built in");
        let profiles: Vec<IndustryFile> =
            BUILTIN.iter().map(|(id, _)| builtin(id).unwrap()).collect();
        let common = common_pollutant_names();
        let codes = bundled_codes();
        assert!(
            codes.iter().any(|(c, _, _)| c == "Be"),
            "the toxic list is walked"
        );
        let mut unnamed = Vec::new();
        for (code, media, at) in &codes {
            match name_pollutant(&profiles, media, code, common) {
                Some(n) if !n.name.zh.trim().is_empty() && !n.name.en.trim().is_empty() => {
                    // The name is a name, not the code again.
                    assert_ne!(n.name.zh, *code, "{at}");
                    if let Some(sym) = &n.symbol {
                        assert_eq!(formula::check(sym), None, "{at}: {code}");
                    }
                }
                _ => unnamed.push(format!("{code} ({at})")),
            }
        }
        assert!(
            unnamed.is_empty(),
            "codes without names in both languages: {unnamed:?}"
        );
        // The common names are whole too.
        for (code, n) in common {
            assert!(!n.name.zh.is_empty() && !n.name.en.is_empty(), "{code}");
            if let Some(sym) = &n.symbol {
                assert_eq!(formula::check(sym), None, "{code}");
            }
        }
        // The electroplating codes that used to print raw.
        let en = |code: &str| {
            name_pollutant(
                &profiles,
                &[Medium::Wastewater, Medium::WasteGas],
                code,
                common,
            )
            .unwrap()
            .plain(Lang::En)
        };
        assert_eq!(en("Cr6+"), "Hexavalent chromium (Cr6+)");
        assert_eq!(en("CN"), "Total cyanide");
        assert_eq!(en("HCN"), "Hydrogen cyanide (HCN)");
        assert_eq!(en("oil"), "Petroleum");
        assert_eq!(en("As"), "Total arsenic");
    }

    /// Every value of a key `unit` or `…_unit` in a YAML tree.
    fn units_in(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    match x {
                        serde_json::Value::String(u) if k == "unit" || k.ends_with("_unit") => {
                            out.push(u.clone())
                        }
                        _ => units_in(x, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| units_in(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_unit_of_the_bundled_profiles_reads_in_english() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        let mut units = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let v: serde_json::Value = crate::load::yaml::parse(&text, &f.display().to_string())
                .unwrap_or_else(|d| panic!("{}: {}", f.display(), d.message));
            units_in(&v, &mut units);
        }
        for u in ["mg/L", "无量纲", "倍", "kgce/100 m", "L/m²"] {
            assert!(units.iter().any(|x| x == u), "{u} is among {units:?}");
        }
        let cjk = |s: &str| s.chars().any(|c| ('\u{2E80}'..='\u{9FFF}').contains(&c));
        let untranslated: Vec<String> = units
            .iter()
            .filter(|u| cjk(&unit_in(u, Lang::En)))
            .cloned()
            .collect();
        assert!(
            untranslated.is_empty(),
            "no English for the units {untranslated:?}"
        );
        assert_eq!(unit_in("无量纲", Lang::En), "dimensionless");
    }

    #[test]
    fn a_broken_symbol_is_an_error_at_its_line() {
        let bad = GOOD.replace("name: {zh: 六价铬", "symbol: \"Cr^6+\", name: {zh: 六价铬");
        let (message, line) = error(&bad);
        assert!(message.contains("not closed"), "{message}");
        assert_eq!(line, line_of(&bad, "Cr^6+"));
    }
}

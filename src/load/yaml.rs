//! Reading the YAML files of an audit with serde-saphyr.
//!
//! serde-saphyr is pure Rust with no `unsafe`, is built not to panic, rejects duplicate
//! keys and gives every value its line and column (`Spanned<T>`). serde_yaml, the usual
//! choice, is archived and its forks sit on an archived unsafe C-translated parser.
//! Booleans are strict (YAML 1.2): `no` stays the string "no" — in an audit `no` is as
//! likely an abbreviation as a boolean, and YAML editors parse 1.2 too.

use super::limits;
use crate::diag::{Diagnostic, Place, suggest};
use serde::de::DeserializeOwned;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Mutex;

/// Largest YAML file read by default, in bytes; [`limits::YAML_BYTES`] is the limit in
/// force.
pub const MAX_YAML_BYTES: usize = 4 * 1024 * 1024;

/// Parses one YAML file into `T`; on failure a diagnostic with the file, line and
/// column, and a suggestion for a misspelled key. Nesting and node count are bounded by
/// [`limits::YAML_DEPTH`] and [`limits::YAML_NODES`].
///
/// The last value parsed for each file and type is kept, with its text: `watch` loads
/// the audit again on every save, and the built-in profiles and all but the edited file
/// are the same text as before, which a clone gives faster than the parser.
pub fn parse<T>(text: &str, path: &str) -> Result<T, Diagnostic>
where
    T: DeserializeOwned + Clone + Send + 'static,
{
    type Key = (TypeId, String, [usize; 2]);
    type Memo = HashMap<Key, (String, Box<dyn Any + Send>)>;
    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);
    let key: Key = (
        TypeId::of::<T>(),
        path.to_string(),
        [
            limits::YAML_DEPTH.get_usize(),
            limits::YAML_NODES.get_usize(),
        ],
    );
    {
        let memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((old, value)) = memo.as_ref().and_then(|m| m.get(&key))
            && old == text
            && let Some(value) = value.downcast_ref::<T>()
        {
            return Ok(value.clone());
        }
    }
    let value: T = parse_uncached(text, path)?;
    let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    memo.get_or_insert_default()
        .insert(key, (text.to_string(), Box::new(value.clone())));
    Ok(value)
}

fn parse_uncached<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: limits::YAML_DEPTH.get_usize(),
            max_nodes: limits::YAML_NODES.get_usize(),
        },
    };
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| describe(&e, path))
}

/// The limit a budget breach ran into, if it is one of ours.
fn breached(e: &serde_saphyr::Error) -> Option<(&'static limits::Limit, String)> {
    use serde_saphyr::budget::BudgetBreach;
    match e.without_snippet() {
        serde_saphyr::Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { depth } => Some((
                &limits::YAML_DEPTH,
                format!(
                    "the YAML is nested {depth} levels deep, more than the limit of {}",
                    limits::YAML_DEPTH.get()
                ),
            )),
            BudgetBreach::Nodes { nodes } => Some((
                &limits::YAML_NODES,
                format!(
                    "the YAML has more than {} nodes ({nodes} seen)",
                    limits::YAML_NODES.get()
                ),
            )),
            _ => None,
        },
        // The parser's own cap on flow nesting (`[[[…`), met before the budget's
        // depth when the nesting is deeper than the parser allows.
        other if other.to_string().contains("recursion limit exceeded") => Some((
            &limits::YAML_DEPTH,
            format!(
                "the YAML is nested too deeply (more than the limit of {} levels)",
                limits::YAML_DEPTH.get()
            ),
        )),
        _ => None,
    }
}

fn describe(e: &serde_saphyr::Error, path: &str) -> Diagnostic {
    if let Some((limit, message)) = breached(e) {
        let d = Diagnostic::error(limit.code, message).help(limit.how_to_raise());
        return match e.location() {
            Some(at) => d.at(Place::yaml(path, &at)),
            None => d.at(Place::File {
                path: path.to_string(),
            }),
        };
    }
    let full = e.to_string();
    // serde-saphyr's Display may append its own snippet; keep the first line only.
    let message = full
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML")
        .trim_start_matches("error: ")
        .to_string();
    let message = strip_position(&message);
    let mut d = Diagnostic::error("yaml::invalid", message.clone());
    d = match e.location() {
        Some(at) => d.at(Place::yaml(path, &at)),
        None => d.at(Place::File {
            path: path.to_string(),
        }),
    };
    if let Some(help) = help_for(&message) {
        d = d.help(help);
    }
    d
}

/// The names after "expected one of" in a serde message, with or without backticks.
fn expected_names(rest: &str) -> Vec<&str> {
    let Some(list) = rest.split("expected ").nth(1) else {
        return Vec::new();
    };
    let list = list.trim_start_matches("one of ");
    list.split(',')
        .map(|n| n.trim().trim_matches('`').trim_end_matches('.'))
        .filter(|n| !n.is_empty() && !n.contains(' '))
        .collect()
}

/// Removes a leading "line N column M: " that the place already says.
fn strip_position(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
    {
        return rest[idx + 2..].to_string();
    }
    m.to_string()
}

fn help_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let word = rest.split('`').next().unwrap_or("");
        let expected = expected_names(rest);
        return Some(match suggest(word, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if !expected.is_empty() => {
                format!("the keys allowed here are `{}`", expected.join("`, `"))
            }
            None => "remove the key or check its spelling".into(),
        });
    }
    if let Some(rest) = message.split("unknown variant `").nth(1) {
        let word = rest.split('`').next().unwrap_or("");
        let expected = expected_names(rest);
        return Some(match suggest(word, expected.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("write one of `{}`", expected.join("`, `")),
        });
    }
    if message.contains("missing field") {
        return Some("add the field; `cpaudit init` shows every field with an example".into());
    }
    if message.contains("duplicate") {
        return Some(
            "each key may appear once in a mapping; remove or merge the repeated one".into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    #[derive(Debug, serde::Deserialize, Clone)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        name: Text,
        country: String,
        count: u32,
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_with_the_limit_named() {
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let d = parse::<serde_json::Value>(&deep, "deep.yaml").unwrap_err();
        assert_eq!(d.code, "limit::yaml-depth", "{d:?}");
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let d = parse::<serde_json::Value>(&deep, "deep.yaml").unwrap_err();
        assert_eq!(d.code, "limit::yaml-depth", "{d:?}");
        assert!(d.help.unwrap().contains("CPAUDIT_MAX_YAML_DEPTH"));
        let mut block = String::new();
        for i in 0..500 {
            block.push_str(&format!("{}a:\n", " ".repeat(i)));
        }
        let d = parse::<serde_json::Value>(&block, "deep.yaml").unwrap_err();
        assert!(
            d.code == "limit::yaml-depth" || d.code == "yaml::invalid",
            "{d:?}"
        );
        assert!(parse::<serde_json::Value>("[[[[1]]]]", "ok.yaml").is_ok());
    }

    #[test]
    fn no_is_a_string_under_yaml_1_2() {
        let p: Probe = parse("name: {zh: 甲, en: A}\ncountry: no\ncount: 3\n", "p.yaml").unwrap();
        assert_eq!(p.country, "no");
    }

    #[test]
    fn misspelled_key_points_at_its_line_with_a_suggestion() {
        let d =
            parse::<Probe>("name: {zh: 甲, en: A}\ncountyr: cn\ncount: 3\n", "p.yaml").unwrap_err();
        assert!(d.message.contains("countyr"), "{}", d.message);
        match d.place {
            Some(Place::Yaml { line, .. }) => assert_eq!(line, 2),
            other => panic!("unexpected place {other:?}"),
        }
        assert_eq!(d.help.as_deref(), Some("did you mean `country`?"));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let d = parse::<Probe>(
            "name: {zh: 甲, en: A}\ncountry: a\ncountry: b\ncount: 3\n",
            "p.yaml",
        )
        .unwrap_err();
        assert!(
            d.message.to_lowercase().contains("duplicate"),
            "{}",
            d.message
        );
    }
}

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
    type Key = (TypeId, String, [usize; 5]);
    type Memo = HashMap<Key, (String, Box<dyn Any + Send>)>;
    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);
    let key: Key = (
        TypeId::of::<T>(),
        path.to_string(),
        [
            limits::YAML_DEPTH.get_usize(),
            limits::YAML_NODES.get_usize(),
            limits::YAML_BYTES.get_usize(),
            limits::NAME_CHARS.get_usize(),
            limits::PROSE_CHARS.get_usize(),
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

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: limits::YAML_DEPTH.get_usize(),
            max_nodes: limits::YAML_NODES.get_usize(),
        },
    }
}

fn parse_uncached<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, Diagnostic> {
    let typed = || {
        serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| describe(&e, path))
    };
    match measure(text, path) {
        Measured::Within => typed(),
        Measured::Over(d) => Err(d),
        // Not YAML (a syntax error, nesting too deep): the typed reader stops at the
        // same place or before, with the message that names what it expected there.
        // It is still refused if the typed reader accepts it, unmeasured.
        Measured::Unreadable(e) => Err(match typed() {
            Err(d) => d,
            Ok(_) => describe(&e, path),
        }),
    }
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

// ------------------------------------------------------------- the measure

/// Keys whose values are ids, names or titles: short text, bounded by
/// [`limits::NAME_CHARS`] (a `{zh, en}` mapping under one of them too). Every other
/// string value is prose, bounded by [`limits::PROSE_CHARS`]; mapping keys are names.
pub const NAME_KEYS: [&str; 9] = [
    "id",
    "name",
    "title",
    "unit",
    "option",
    "options",
    "chosen",
    "system",
    "not_applicable",
];

/// What a string value is, for its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Prose,
}

impl Field {
    fn limit(self) -> &'static limits::Limit {
        match self {
            Field::Name => &limits::NAME_CHARS,
            Field::Prose => &limits::PROSE_CHARS,
        }
    }

    /// The kind of the value under `key`, in a mapping whose own value is `self`.
    fn under(self, key: &str) -> Field {
        if key == "zh" || key == "en" {
            self
        } else if NAME_KEYS.contains(&key) {
            Field::Name
        } else {
            Field::Prose
        }
    }
}

/// The limit a file broke while it was measured.
#[derive(Debug)]
enum Breach {
    /// More text than [`limits::YAML_BYTES`] with the aliases expanded.
    Expanded,
    /// More nodes than [`limits::YAML_NODES`] with the aliases expanded.
    Nodes,
    /// One value longer than its field's limit.
    Long {
        field: Field,
        what: String,
        chars: u64,
    },
}

/// What [`measure`] found.
enum Measured {
    /// Every value and the whole file within the limits.
    Within,
    /// Over a limit: the diagnostic.
    Over(Diagnostic),
    /// Not readable as YAML: the parser's error.
    Unreadable(Box<serde_saphyr::Error>),
}

/// Running totals of a file being measured.
struct Tally {
    bytes: u64,
    nodes: u64,
    max_bytes: u64,
    max_nodes: u64,
    max_name: u64,
    max_prose: u64,
    breach: Option<Breach>,
}

/// The marker of a breach in the parser's error (the details are in [`Tally`]).
const BREACH: &str = "cpaudit: limit reached";

impl Tally {
    fn node<E: serde::de::Error>(&mut self) -> Result<(), E> {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            self.breach = Some(Breach::Nodes);
            return Err(E::custom(BREACH));
        }
        Ok(())
    }

    /// Counts a string; `what` says what it is, for a message.
    fn text<E: serde::de::Error>(
        &mut self,
        s: &str,
        field: Field,
        what: impl FnOnce() -> String,
    ) -> Result<(), E> {
        self.node()?;
        self.bytes = self.bytes.saturating_add(s.len() as u64);
        if self.bytes > self.max_bytes {
            self.breach = Some(Breach::Expanded);
            return Err(E::custom(BREACH));
        }
        let max = match field {
            Field::Name => self.max_name,
            Field::Prose => self.max_prose,
        };
        // A character takes one to four bytes: count only when it may matter.
        if s.len() as u64 > max {
            let chars = s.chars().count() as u64;
            if chars > max {
                self.breach = Some(Breach::Long {
                    field,
                    what: what(),
                    chars,
                });
                return Err(E::custom(BREACH));
            }
        }
        Ok(())
    }
}

/// Measures a YAML file as the typed reader will see it, aliases expanded: every string
/// within its field's limit, and all of them together (and all nodes) within the
/// limits of one file, so that an anchor of 1 MB used thirty times is refused here
/// instead of making the documents thirty times larger. The walk stops at the first
/// breach, so it costs at most the limits whatever the aliases ask for. It accepts any
/// YAML value (tags, merge keys, complex keys): a file it cannot read is not YAML.
fn measure(text: &str, path: &str) -> Measured {
    let tally = std::cell::RefCell::new(Tally {
        bytes: 0,
        nodes: 0,
        max_bytes: limits::YAML_BYTES.get(),
        max_nodes: limits::YAML_NODES.get(),
        max_name: limits::NAME_CHARS.get(),
        max_prose: limits::PROSE_CHARS.get(),
        breach: None,
    });
    let seed = Node {
        tally: &tally,
        field: Field::Prose,
        key: "",
        lang: None,
    };
    let mut options = options();
    options.budget = options.budget.map(|mut b| {
        // The walk enforces its own node count, aliases included.
        b.max_nodes = usize::MAX;
        b
    });
    let result = serde_saphyr::with_deserializer_from_str_with_options(text, options, |de| {
        serde::de::DeserializeSeed::deserialize(seed, de)
    });
    let Err(e) = result else {
        return Measured::Within;
    };
    let Some(breach) = tally.into_inner().breach else {
        return Measured::Unreadable(Box::new(e));
    };
    let place = match e.location() {
        Some(at) => Place::yaml(path, &at),
        None => Place::File {
            path: path.to_string(),
        },
    };
    let aliased = e
        .locations()
        .is_some_and(|l| l.reference_location != l.defined_location);
    Measured::Over(match breach {
        Breach::Expanded => {
            let max = limits::YAML_BYTES.get();
            let message = if aliased {
                format!(
                    "with its aliases (`*name`) expanded, `{path}` holds more than {max} bytes of text: each alias repeats the text of its anchor (`&name`) in the documents"
                )
            } else {
                format!("`{path}` holds more than {max} bytes of text")
            };
            Diagnostic::error(limits::YAML_BYTES.code, message)
                .at(place)
                .help(format!(
                    "write a long text once and refer to it in words instead of repeating it with an alias; {}",
                    limits::YAML_BYTES.how_to_raise()
                ))
        }
        Breach::Nodes => Diagnostic::error(
            limits::YAML_NODES.code,
            format!(
                "{}the YAML has more than {} nodes",
                if aliased {
                    "with its aliases (`*name`) expanded, "
                } else {
                    ""
                },
                limits::YAML_NODES.get()
            ),
        )
        .at(place)
        .help(limits::YAML_NODES.how_to_raise()),
        Breach::Long { field, what, chars } => {
            let limit = field.limit();
            let (kind, advice) = match field {
                Field::Name => (
                    "an id, name or title",
                    "ids, names and titles are printed in tables, figures and the documents' metadata; shorten it and put the details in a description",
                ),
                Field::Prose => (
                    "a text",
                    "split the text over several fields, or shorten it",
                ),
            };
            Diagnostic::error(
                limit.code,
                format!(
                    "{what} is {chars} characters long, more than the limit of {} characters for {kind}",
                    limit.get()
                ),
            )
            .at(place)
            .help(format!("{advice}; {}", limit.how_to_raise()))
        }
    })
}

/// One YAML node, measured ([`measure`]).
#[derive(Clone, Copy)]
struct Node<'a> {
    tally: &'a std::cell::RefCell<Tally>,
    field: Field,
    /// The key of the field ("" at the top), the key above `zh`/`en`.
    key: &'a str,
    /// `zh` or `en` under a bilingual field.
    lang: Option<&'static str>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Node<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Node<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_char<E: serde::de::Error>(self, c: char) -> Result<(), E> {
        self.visit_str(c.encode_utf8(&mut [0; 4]))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<(), E> {
        let what = || match (self.lang, self.key) {
            (Some("zh"), "") => "the Chinese text".to_string(),
            (Some(_), "") => "the English text".to_string(),
            (Some("zh"), k) => format!("the Chinese text of `{k}`"),
            (Some(_), k) => format!("the English text of `{k}`"),
            (None, "") => "a value".to_string(),
            (None, k) => format!("the value of `{k}`"),
        };
        self.tally.borrow_mut().text(s, self.field, what)
    }

    fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<(), E> {
        self.visit_str(&String::from_utf8_lossy(b))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.tally.borrow_mut().node()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tally.borrow_mut().node()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tally.borrow_mut().node()?;
        while let Some(key) = map.next_key_seed(Key { tally: self.tally })? {
            let lang = match key.as_str() {
                "zh" => Some("zh"),
                "en" => Some("en"),
                _ => None,
            };
            map.next_value_seed(Node {
                tally: self.tally,
                field: self.field.under(&key),
                key: if lang.is_some() { self.key } else { &key },
                lang,
            })?;
        }
        Ok(())
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        let (_, variant) = data.variant_seed(Key { tally: self.tally })?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key, measured as a name and kept (as text, when it is a scalar) to tell
/// what its value is.
#[derive(Clone, Copy)]
struct Key<'a> {
    tally: &'a std::cell::RefCell<Tally>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key<'_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
        self.tally
            .borrow_mut()
            .text(s, Field::Name, || "a key".to_string())?;
        Ok(s.to_string())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        self.tally.borrow_mut().node()?;
        Ok(v.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        self.tally.borrow_mut().node()?;
        Ok(v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        self.tally.borrow_mut().node()?;
        Ok(v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        self.tally.borrow_mut().node()?;
        Ok(v.to_string())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        self.tally.borrow_mut().node()?;
        Ok(String::new())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<String, A::Error> {
        self.node().visit_seq(seq).map(|()| String::new())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<String, A::Error> {
        self.node().visit_map(map).map(|()| String::new())
    }
}

impl<'a> Key<'a> {
    fn node(self) -> Node<'a> {
        Node {
            tally: self.tally,
            field: Field::Name,
            key: "",
            lang: None,
        }
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

    fn line_of(d: &Diagnostic) -> u64 {
        match d.place {
            Some(Place::Yaml { line, .. }) => line,
            ref other => panic!("not a YAML place: {other:?}"),
        }
    }

    #[test]
    fn aliases_count_against_the_size_limit_at_the_alias() {
        // 45 KB anchored and used 120 times: 5.4 MB expanded, 46 KB on disk.
        let long = "长".repeat(15_000);
        let mut yaml = format!("a: &p {long}\nlist:\n");
        for _ in 0..120 {
            yaml.push_str("  - *p\n");
        }
        let t = std::time::Instant::now();
        let d = parse::<serde_json::Value>(&yaml, "alias.yaml").unwrap_err();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(d.code, "limit::yaml-bytes", "{d:?}");
        assert!(d.message.contains("aliases"), "{}", d.message);
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("CPAUDIT_MAX_YAML_BYTES")
        );
        // The alias that crossed the limit: 1 + 45,000 + 4 + 45,000 k > 4 MiB for
        // k = 93, the 93rd alias, on line 95.
        assert_eq!(line_of(&d), 95, "{d:?}");
        // A few aliases are fine.
        let few = format!("a: &p {long}\nb: *p\nc: *p\n");
        assert!(parse::<serde_json::Value>(&few, "few.yaml").is_ok());
        // Aliases of aliases (a billion laughs) stop at the node or byte limit.
        let mut laughs =
            String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let d = parse::<serde_json::Value>(&laughs, "laughs.yaml").unwrap_err();
        assert!(
            d.code.starts_with("limit::") || d.code == "yaml::invalid",
            "{d:?}"
        );
    }

    #[test]
    fn long_values_are_refused_at_their_line_with_their_limit() {
        let prose = "字".repeat(20_001);
        let yaml = format!("intro:\n  zh: ok\n  en: |-\n    {prose}\n");
        let d = parse::<serde_json::Value>(&yaml, "p.yaml").unwrap_err();
        assert_eq!(d.code, "limit::prose-chars", "{d:?}");
        // A block scalar is placed at its first line of text.
        assert_eq!(line_of(&d), 4, "{d:?}");
        assert!(d.message.contains("20001"), "{}", d.message);
        assert!(
            d.message.contains("English text of `intro`"),
            "{}",
            d.message
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("CPAUDIT_MAX_PROSE_CHARS")
        );
        let ok = format!("intro:\n  zh: {}\n", "字".repeat(20_000));
        assert!(parse::<serde_json::Value>(&ok, "p.yaml").is_ok());
        // A name (and a `{zh, en}` name), an id and a key are short.
        let long = "N".repeat(201);
        for (yaml, line) in [
            (format!("x: 1\nname:\n  zh: 甲\n  en: {long}\n"), 4),
            (format!("options:\n  - id: {long}\n"), 2),
            (format!("options: [F1, {long}]\n"), 1),
            (format!("a: 1\n{long}: 2\n"), 2),
        ] {
            let d = parse::<serde_json::Value>(&yaml, "n.yaml").unwrap_err();
            assert_eq!(d.code, "limit::name-chars", "{yaml}: {d:?}");
            assert_eq!(line_of(&d), line, "{d:?}");
        }
        // A description under an option is prose, not a name.
        let yaml = format!(
            "options:\n  - id: F1\n    description: {}\n",
            "D".repeat(5000)
        );
        assert!(parse::<serde_json::Value>(&yaml, "d.yaml").is_ok());
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

//! The public edition: values and sections marked confidential in audit.yaml (trade
//! secrets, 2004 Measures Art. 19; the Law's Art. 27 exception) are removed from the
//! template context before the notices and the public report are typeset. The
//! submission report is made from the full context.
//!
//! A mark is a dotted path into the context: a narrative (`meta`, `preparation`,
//! `pre_assessment`, `assessment`, `options`, `feasibility`, `implementation`,
//! `continuous`, `tables`) or `results`, then keys; list items are named by their `id`
//! (or `option`) or by their position. Text becomes a "withheld" marker in each language,
//! numbers become empty; the shape stays, so every template still renders. Marking a
//! list item by its id — a whole option (`options.options.F19`), a measured stream
//! (`tables.streams.S07`) — removes it everywhere it appears under that id: an option's
//! economics, screening row, analysis and results; a stream's balance figures.

use crate::diag::{Diagnostic, Place};
use crate::model::ConfidentialMark;
use serde_json::Value;

/// What withheld text reads in each language.
pub const WITHHELD_ZH: &str = "【涉密内容，不予公开】";
/// What withheld text reads in English.
pub const WITHHELD_EN: &str = "[confidential: withheld]";

/// Removes every marked value from `context`; a mark that names nothing is an error.
pub fn redact(context: &mut Value, marks: &[ConfidentialMark]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for mark in marks {
        let path = mark.path.value.trim();
        let mut segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
        let root = match segments.first().copied() {
            Some("results") => {
                segments.remove(0);
                context.get_mut("r")
            }
            Some(_) => context.get_mut("audit"),
            None => None,
        };
        match root.and_then(|r| find(r, &segments)) {
            Some(target) => withhold(target),
            None => {
                errors.push(
                    Diagnostic::error("confidential::path", format!("the confidential path `{path}` names nothing in the audit"))
                        .at(Place::yaml("audit.yaml", &mark.path.referenced))
                        .help("start with a narrative (meta, preparation, pre_assessment, assessment, options, feasibility, implementation, continuous, tables) or `results`, then keys; name list items by id, e.g. options.options.F19.investment"),
                );
                continue;
            }
        }
        // An item named by its id (a whole option, a stream, a unit) is withheld wherever
        // it appears: results repeat its figures under the same id.
        if let Some(id) = segments.last().filter(|id| id.parse::<usize>().is_err())
            && let Some(parent) = segments.len().checked_sub(1).and_then(|n| {
                let root = if path.starts_with("results") {
                    context.get_mut("r")
                } else {
                    context.get_mut("audit")
                };
                root.and_then(|r| find(r, &segments[..n]))
            })
            && parent.is_array()
        {
            let id = id.to_string();
            for key in ["r", "audit"] {
                if let Some(v) = context.get_mut(key) {
                    withhold_items(v, &id);
                }
            }
        }
    }
    errors
}

/// The value at `path` below `v`.
fn find<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    let Some((head, rest)) = path.split_first() else {
        return Some(v);
    };
    let next = match v {
        Value::Object(map) => map.get_mut(*head),
        Value::Array(items) => {
            let by_id = items.iter().position(|item| names(item, head));
            match by_id.or_else(|| head.parse::<usize>().ok()) {
                Some(i) => items.get_mut(i),
                None => None,
            }
        }
        _ => None,
    }?;
    find(next, rest)
}

/// Whether a list item is the one called `id`.
fn names(item: &Value, id: &str) -> bool {
    ["id", "option"].iter().any(|k| {
        let v = item.get(k);
        // Workbook values carry their cell: `{value, cell}`.
        let text = v.and_then(Value::as_str);
        text.or_else(|| v.and_then(|v| v.get("value")).and_then(Value::as_str)) == Some(id)
    })
}

/// Every list item anywhere below `v` that is called `id`, withheld (its id stays).
fn withhold_items(v: &mut Value, id: &str) {
    match v {
        Value::Array(items) => {
            for item in items {
                if names(item, id) {
                    withhold(item);
                } else {
                    withhold_items(item, id);
                }
            }
        }
        Value::Object(map) => {
            for (_, x) in map.iter_mut() {
                withhold_items(x, id);
            }
        }
        _ => {}
    }
}

/// Replaces every leaf: text by the marker, numbers by null. Ids, enums and booleans
/// keep the structure the templates rely on.
fn withhold(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("zh") && map.contains_key("en") {
                map.insert("zh".into(), WITHHELD_ZH.into());
                map.insert("en".into(), WITHHELD_EN.into());
                return;
            }
            for (k, x) in map.iter_mut() {
                if !matches!(
                    k.as_str(),
                    "id" | "option" | "kind" | "category" | "cost" | "status" | "medium" | "aspect"
                ) {
                    withhold(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(withhold),
        Value::String(_) => *v = Value::String(format!("{WITHHELD_ZH} {WITHHELD_EN}")),
        Value::Number(_) => *v = Value::Null,
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::unspanned;
    use serde_json::json;

    fn mark(path: &str) -> ConfidentialMark {
        ConfidentialMark {
            path: unspanned(path.to_string()),
            reason: None,
        }
    }

    #[test]
    fn a_marked_value_is_withheld_and_nothing_else() {
        let mut c = json!({"audit": {"meta": {"enterprise": {"registered_capital": 12000, "staff": 780}}}, "r": {}});
        assert!(redact(&mut c, &[mark("meta.enterprise.registered_capital")]).is_empty());
        assert_eq!(
            c["audit"]["meta"]["enterprise"]["registered_capital"],
            Value::Null
        );
        assert_eq!(c["audit"]["meta"]["enterprise"]["staff"], 780);
    }

    #[test]
    fn a_whole_option_is_withheld_everywhere() {
        let mut c = json!({
            "audit": {"options": {"options": [
                {"id": "F1", "name": {"zh": "秘方", "en": "secret"}, "investment": 10},
                {"id": "F2", "name": {"zh": "公开", "en": "open"}, "investment": 5}
            ]}},
            "r": {"economics": [{"option": "F1", "npv": 3.5}, {"option": "F2", "npv": 1.0}]}
        });
        assert!(redact(&mut c, &[mark("options.options.F1")]).is_empty());
        let text = c.to_string();
        assert!(!text.contains("秘方") && !text.contains("secret") && !text.contains("3.5"));
        assert!(text.contains("公开") && text.contains("\"F1\""));
    }

    #[test]
    fn a_stream_named_by_id_is_withheld_in_the_results_too() {
        let mut c = json!({
            "audit": {"tables": {"streams": [{"id": {"value": "S7", "cell": {}}, "batches": [1.5]}]}},
            "r": {"balance": {"units": [{"balance": {"inputs": [{"id": "S7", "mean": 1.5}, {"id": "S8", "mean": 2.5}]}}]}}
        });
        // Workbook ids are {value, cell}; a row is named by its id or its position.
        assert!(redact(&mut c, &[mark("tables.streams.S7")]).is_empty());
        assert_eq!(
            c["audit"]["tables"]["streams"][0]["batches"][0],
            Value::Null
        );
        assert_eq!(
            c["r"]["balance"]["units"][0]["balance"]["inputs"][0]["mean"],
            Value::Null
        );
        assert_eq!(
            c["r"]["balance"]["units"][0]["balance"]["inputs"][1]["mean"],
            2.5
        );
        let mut c2 = json!({
            "audit": {"assessment": {"unit_operations": [{"id": "U1", "name": {"zh": "秘", "en": "s"}}]}},
            "r": {"balance": {"units": [{"id": "U1", "balance": {"total_in": 4.0}}]}}
        });
        assert!(redact(&mut c2, &[mark("assessment.unit_operations.U1")]).is_empty());
        assert_eq!(
            c2["r"]["balance"]["units"][0]["balance"]["total_in"],
            Value::Null
        );
    }

    #[test]
    fn a_path_that_names_nothing_is_an_error() {
        let mut c = json!({"audit": {"meta": {}}, "r": {}});
        let e = redact(&mut c, &[mark("meta.nothing.here")]);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code, "confidential::path");
    }
}

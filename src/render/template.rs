//! minijinja templates that produce Typst source.
//!
//! User text is data, never Typst code: every `{{ value }}` a template prints goes
//! through [`typst_text`], which writes it as a Typst string literal in code mode
//! (`#"…";`), so `#read(…)`, `*`, `$`, `]` or `//` in a narrative print literally and
//! cannot run, read or break anything. Only the templates' own text is Typst markup.
//! Templates hold layout; figures are computed before and only formatted here.

use crate::model::Lang;
use crate::quantity::{self, format_number};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};
use std::collections::BTreeMap;

/// The templates shipped with cpaudit, compiled into the binary.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("preamble.typ", include_str!("../../templates/preamble.typ")),
    ("macros.typ", include_str!("../../templates/macros.typ")),
    ("report.typ", include_str!("../../templates/report.typ")),
    ("notice.typ", include_str!("../../templates/notice.typ")),
    (
        "chapters/front.typ",
        include_str!("../../templates/chapters/front.typ"),
    ),
    (
        "chapters/0-preface.typ",
        include_str!("../../templates/chapters/0-preface.typ"),
    ),
    (
        "chapters/1-preparation.typ",
        include_str!("../../templates/chapters/1-preparation.typ"),
    ),
    (
        "chapters/2-pre-assessment.typ",
        include_str!("../../templates/chapters/2-pre-assessment.typ"),
    ),
    (
        "chapters/2-cp-level.typ",
        include_str!("../../templates/chapters/2-cp-level.typ"),
    ),
    (
        "chapters/3-assessment.typ",
        include_str!("../../templates/chapters/3-assessment.typ"),
    ),
    (
        "chapters/3-reconciliation.typ",
        include_str!("../../templates/chapters/3-reconciliation.typ"),
    ),
    (
        "chapters/4-options.typ",
        include_str!("../../templates/chapters/4-options.typ"),
    ),
    (
        "chapters/5-feasibility.typ",
        include_str!("../../templates/chapters/5-feasibility.typ"),
    ),
    (
        "chapters/6-implementation.typ",
        include_str!("../../templates/chapters/6-implementation.typ"),
    ),
    (
        "chapters/7-continuous.typ",
        include_str!("../../templates/chapters/7-continuous.typ"),
    ),
    (
        "chapters/compliance.typ",
        include_str!("../../templates/chapters/compliance.typ"),
    ),
    (
        "chapters/annex.typ",
        include_str!("../../templates/chapters/annex.typ"),
    ),
    (
        "figures/svgfig.typ",
        include_str!("../../templates/figures/svgfig.typ"),
    ),
];

/// The bilingual strings of the templates (`templates/strings.yaml`).
pub const STRINGS: &str = include_str!("../../templates/strings.yaml");

/// Writes `text` as a Typst string literal: `"…"` with `\`, `"` and control characters
/// escaped (Typst's escapes are `\\ \" \n \r \t \u{…}`).
pub fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Other control characters have no glyph in any font and would fail the
            // PDF/A export; they carry no meaning in a report, so they are dropped.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `text` for a place in Typst markup: an embedded string expression, ended with
/// `;` so that a following `(`, `[` or `.` cannot continue it.
pub fn typst_text(text: &str) -> String {
    format!("#{};", typst_string(text))
}

/// The strings table: key → language → text.
pub type Strings = BTreeMap<String, BTreeMap<String, String>>;

/// Builds the template environment for one language. `overrides` replace strings of the
/// table (the chapter titles in the chosen regulation's wording).
pub fn environment(
    lang: Lang,
    strings: &Strings,
    overrides: &BTreeMap<String, crate::model::Text>,
) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()?,
    );
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    env.set_formatter(|out, _state, value| {
        if value.is_safe() {
            out.write_str(value.as_str().unwrap_or_default())?;
        } else if value.is_none() || value.is_undefined() {
            out.write_str("—")?;
        } else {
            out.write_str(&typst_text(&value.to_string()))?;
        }
        Ok(())
    });
    let mut s: BTreeMap<String, String> = strings
        .iter()
        .map(|(k, v)| (k.clone(), v.get(lang.code()).cloned().unwrap_or_default()))
        .collect();
    for (k, v) in overrides {
        s.insert(k.clone(), v.get(lang).to_string());
    }
    env.add_global("s", Value::from(minijinja::value::Serde(&s)));
    env.add_global("lang", lang.code());
    env.add_filter("t", pick_language);
    env.add_filter("paras", paragraphs);
    env.add_filter("num", number);
    env.add_filter("pct", percent);
    env.add_filter("q", |value: Value, kind: &str| -> Result<String, Error> {
        let kind = quantity::Kind::from_name(kind).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("no such kind of quantity `{kind}`"),
            )
        })?;
        Ok(as_f64(&value).map_or_else(|| "—".into(), |x| kind.format(x)))
    });
    env.add_filter("name", enum_name);
    env.add_filter("str", |v: Value| v.to_string());
    env.add_filter("unit", move |v: Value| {
        crate::model::unit_in(&v.to_string(), lang)
    });
    env.add_filter("standard", move |v: Value| {
        crate::model::standard_in(&v.to_string(), lang)
    });
    env.add_filter("typstr", |v: Value| {
        Value::from_safe_string(typst_string(&v.to_string()))
    });
    Ok(env)
}

/// `{{ x | t }}`: the current language of a `{zh, en}` value; strings pass through.
fn pick_language(state: &State, value: Value) -> Result<Value, Error> {
    if value.is_none() || value.is_undefined() {
        return Ok(value);
    }
    if value.as_str().is_some() {
        return Ok(value);
    }
    let lang = state
        .lookup("lang")
        .map(|l| l.to_string())
        .unwrap_or_else(|| "zh".into());
    let text = value.get_attr(&lang)?;
    if text.is_undefined() {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("no `{lang}` text in {value}"),
        ));
    }
    Ok(text)
}

/// `{{ kind | name("skind") }}`: the printed name of an enum value, the string
/// `skind_<value>`. A value without a string is an error when the document is generated,
/// never a raw key in a report (a test walks every variant of every enum printed so).
fn enum_name(state: &State, value: Value, prefix: &str) -> Result<Value, Error> {
    let key = format!("{prefix}_{value}");
    let text = state
        .lookup("s")
        .map(|s| s.get_attr(&key))
        .transpose()?
        .filter(|t| !t.is_undefined() && !t.is_none());
    text.ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("templates/strings.yaml has no string `{key}` for the {prefix} `{value}`"),
        )
    })
}

/// `{{ x | paras }}`: paragraphs of a prose field, split at blank lines; single line
/// breaks inside a paragraph are joined (Typst would turn them into spaces in CJK text).
fn paragraphs(state: &State, value: Value) -> Result<Vec<String>, Error> {
    let text = pick_language(state, value)?.to_string();
    let cjk = state
        .lookup("lang")
        .is_some_and(|l| l.as_str() == Some("zh"));
    let joiner = if cjk { "" } else { " " };
    Ok(text
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(joiner)
        })
        .filter(|p| !p.is_empty())
        .collect())
}

/// `{{ x | num(2) }}`: a number with the given decimals and thousands separators;
/// `—` for none.
fn number(value: Value, digits: Option<usize>, kwargs: Kwargs) -> Result<String, Error> {
    let signed: bool = kwargs.get::<Option<bool>>("signed")?.unwrap_or(false);
    kwargs.assert_all_used()?;
    let Some(x) = as_f64(&value) else {
        return Ok("—".into());
    };
    let s = format_number(x, digits.unwrap_or(2));
    let zero = !s.chars().any(|c| c.is_ascii_digit() && c != '0');
    Ok(if signed && x > 0.0 && !zero {
        format!("+{s}")
    } else {
        s
    })
}

/// `{{ x | pct(1) }}`: a fraction as a percentage (`0.0523` → `5.2%`).
fn percent(value: Value, digits: Option<usize>) -> Result<String, Error> {
    Ok(match as_f64(&value) {
        Some(x) => format!("{}%", format_number(x * 100.0, digits.unwrap_or(1))),
        None => "—".into(),
    })
}

fn as_f64(value: &Value) -> Option<f64> {
    if value.is_none() || value.is_undefined() {
        return None;
    }
    f64::try_from(value.clone()).ok().filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_everything_typst_would_read() {
        assert_eq!(typst_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(typst_string("x\ny\u{7}"), "\"x\\ny\"");
        assert_eq!(
            typst_text("#read(\"/etc/passwd\")"),
            "#\"#read(\\\"/etc/passwd\\\")\";"
        );
    }
}

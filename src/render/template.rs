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

pub use crate::load::STRINGS;

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
        Value::from_safe_string(unit_typst(&crate::model::unit_in(&v.to_string(), lang)))
    });
    env.add_function("pollutant", pollutant);
    env.add_filter("fmt", format_markup);
    env.add_filter("standard", move |v: Value| {
        crate::model::standard_in(&v.to_string(), lang)
    });
    env.add_filter("typstr", |v: Value| {
        Value::from_safe_string(typst_string(&v.to_string()))
    });
    Ok(env)
}

/// A unit as one unbreakable box: `t/a` and `kgce/100 m` never break across lines
/// (Typst would break after the `/` or at the space).
pub fn unit_typst(unit: &str) -> String {
    if unit.trim().is_empty() {
        return typst_text(unit);
    }
    format!("#box[{}]", typst_text(unit))
}

/// A symbol in the markup of [`crate::model::formula`] as Typst: text as escaped strings,
/// `~…~` in `#sub[…]`, `^…^` in `#super[…]`. Unicode sub- and superscript digits and
/// signs (SO₂, Cr⁶⁺, which the bundled fonts mostly lack) become `#sub`/`#super` of plain
/// ones as well. The symbol is data: nothing of it is read as Typst.
pub fn formula_typst(symbol: &str) -> String {
    scripts_typst(crate::model::formula::parts(symbol))
}

/// Plain text (a name) as Typst, its Unicode sub- and superscripts as `#sub`/`#super`
/// (`~` and `^` are text here).
pub fn text_typst(text: &str) -> String {
    scripts_typst(vec![(crate::model::formula::Script::Normal, text)])
}

fn scripts_typst(parts: Vec<(crate::model::formula::Script, &str)>) -> String {
    use crate::model::formula::Script;
    let mut pieces: Vec<(Script, String)> = Vec::new();
    let mut push = |script: Script, c: char| match pieces.last_mut() {
        Some((s, text)) if *s == script => text.push(c),
        _ => pieces.push((script, c.to_string())),
    };
    for (script, text) in parts {
        for c in text.chars() {
            match (script, unscript(c)) {
                (Script::Normal, Some((s, plain))) => push(s, plain),
                (s, Some((_, plain))) => push(s, plain),
                (s, None) => push(s, c),
            }
        }
    }
    pieces
        .iter()
        .map(|(script, text)| match script {
            Script::Normal => typst_text(text),
            Script::Sub => format!("#sub[{}]", typst_text(text)),
            Script::Super => format!("#super[{}]", typst_text(text)),
        })
        .collect()
}

/// A Unicode sub- or superscript digit or sign as its script and plain character.
fn unscript(c: char) -> Option<(crate::model::formula::Script, char)> {
    use crate::model::formula::Script;
    const SUPER: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻";
    const SUB: &str = "₀₁₂₃₄₅₆₇₈₉₊₋";
    const PLAIN: [char; 12] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '-'];
    let at = |set: &str| set.chars().position(|x| x == c);
    at(SUB)
        .map(|i| (Script::Sub, PLAIN[i]))
        .or_else(|| at(SUPER).map(|i| (Script::Super, PLAIN[i])))
}

/// A pollutant's name and symbol as Typst: `氨氮（NH#sub[3]-N）`,
/// `Ammonia nitrogen (NH#sub[3]-N)`.
pub fn pollutant_typst(name: &str, symbol: Option<&str>, lang: Lang) -> String {
    let mut out = text_typst(name);
    if let Some(sym) = symbol.filter(|s| !s.trim().is_empty()) {
        let (open, close) = match lang {
            Lang::Zh => ("（", "）"),
            Lang::En => (" (", ")"),
        };
        out.push_str(&typst_text(open));
        out.push_str(&formula_typst(sym));
        out.push_str(&typst_text(close));
    }
    out
}

/// `{{ pollutant(code) }}`: what a report prints for a typed pollutant code, as Typst:
/// the name the context's `pollutant_names` gives it (the audit's industry profile, the
/// other profiles, the common names), else a common name, else the code as typed.
fn pollutant(state: &State, code: Value) -> Result<Value, Error> {
    let lang = match state
        .lookup("lang")
        .and_then(|l| l.as_str().map(str::to_string))
    {
        Some(l) if l == "en" => Lang::En,
        _ => Lang::Zh,
    };
    let code = code.to_string();
    let from_context = state
        .lookup("pollutant_names")
        .and_then(|names| names.get_attr(&code).ok())
        .filter(|n| !n.is_undefined() && !n.is_none());
    let markup = if let Some(n) = from_context {
        let name = n.get_attr("name")?.get_attr(lang.code())?.to_string();
        let symbol = n.get_attr("symbol")?;
        let symbol = (!symbol.is_none() && !symbol.is_undefined()).then(|| symbol.to_string());
        pollutant_typst(&name, symbol.as_deref(), lang)
    } else if let Some(n) = crate::load::industry::common_pollutant_names().get(&code) {
        pollutant_typst(n.name.get(lang), n.symbol.as_deref(), lang)
    } else {
        typst_text(&code)
    };
    Ok(Value::from_safe_string(markup))
}

/// `{{ s.key | fmt(a, b) }}`: a string's `%s` places filled with values that may be
/// Typst already (a `pollutant(…)` name, a `unit`): the string's own text is escaped,
/// safe values go in as they are, others are escaped.
fn format_markup(format: Value, args: minijinja::value::Rest<Value>) -> Result<Value, Error> {
    let format = format.to_string();
    let pieces: Vec<&str> = format.split("%s").collect();
    if pieces.len() != args.len() + 1 {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "`{format}` has {} `%s` but fmt was given {} values",
                pieces.len() - 1,
                args.len()
            ),
        ));
    }
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        if !piece.is_empty() {
            out.push_str(&typst_text(piece));
        }
        if let Some(arg) = args.get(i) {
            if arg.is_safe() {
                out.push_str(arg.as_str().unwrap_or_default());
            } else if arg.is_none() || arg.is_undefined() {
                out.push('—');
            } else {
                out.push_str(&typst_text(&arg.to_string()));
            }
        }
    }
    Ok(Value::from_safe_string(out))
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
        assert_eq!(typst_string(r##"a"b\c"##), r##""a\"b\\c""##);
        assert_eq!(typst_string("x\ny\u{7}"), "\"x\\ny\"");
        assert_eq!(
            typst_text("#read(\"/etc/passwd\")"),
            "#\"#read(\\\"/etc/passwd\\\")\";"
        );
    }

    #[test]
    fn symbols_become_sub_and_superscripts_and_stay_data() {
        assert_eq!(formula_typst("NH~3~-N"), r##"#"NH";#sub[#"3";]#"-N";"##);
        assert_eq!(formula_typst("Cr^6+^"), r##"#"Cr";#super[#"6+";]"##);
        assert_eq!(
            formula_typst("H~2~SO~4~"),
            r##"#"H";#sub[#"2";]#"SO";#sub[#"4";]"##
        );
        // Unicode scripts (which the fonts lack) as well, in names too.
        assert_eq!(formula_typst("SO₂"), r##"#"SO";#sub[#"2";]"##);
        assert_eq!(
            text_typst("Cr⁶⁺ m³"),
            r##"#"Cr";#super[#"6+";]#" m";#super[#"3";]"##
        );
        // In a name, ~ and ^ are text.
        assert_eq!(text_typst("1~2"), r##"#"1~2";"##);
        // Whatever the symbol holds is a string, never code: no `#read` runs, no `]`
        // closes the script early.
        assert_eq!(
            formula_typst(r##"#read("/etc/passwd")~]*~"##),
            r##"#"#read(\"/etc/passwd\")";#sub[#"]*";]"##
        );
    }

    #[test]
    fn a_pollutant_prints_its_name_and_symbol() {
        assert_eq!(
            pollutant_typst("氨氮", Some("NH~3~-N"), Lang::Zh),
            r##"#"氨氮";#"（";#"NH";#sub[#"3";]#"-N";#"）";"##
        );
        assert_eq!(
            pollutant_typst("Hexavalent chromium", Some("Cr^6+^"), Lang::En),
            r##"#"Hexavalent chromium";#" (";#"Cr";#super[#"6+";]#")";"##
        );
        assert_eq!(pollutant_typst("色度", None, Lang::Zh), r##"#"色度";"##);
    }

    #[test]
    fn a_unit_is_one_unbreakable_box() {
        assert_eq!(unit_typst("t/a"), r##"#box[#"t/a";]"##);
        assert_eq!(unit_typst("kgce/100 m"), r##"#box[#"kgce/100 m";]"##);
        assert_eq!(unit_typst("a\"]b"), r##"#box[#"a\"]b";]"##);
    }

    #[test]
    fn templates_name_pollutants_from_the_context_then_the_common_names() {
        let mut strings = Strings::new();
        strings.insert(
            "tbl".into(),
            [("zh", "%s平衡表（%s）"), ("en", "Balance of %s (%s)")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let ctx = serde_json::json!({
            "pollutant_names": {
                "Ni": {"name": {"zh": "总镍", "en": "Total nickel"}, "symbol": null},
                "X#": {"name": {"zh": "某物", "en": "Some*thing"}, "symbol": "X~2~"},
            }
        });
        let render = |lang: Lang, src: &str| {
            environment(lang, &strings, &BTreeMap::new())
                .unwrap()
                .render_str(
                    src,
                    minijinja::value::Value::from(minijinja::value::Serde(&ctx)),
                )
                .unwrap()
        };
        let src = "{{ pollutant('Ni') }}|{{ pollutant('X#') }}|{{ pollutant('NH3-N') }}|{{ pollutant('Q]') }}";
        assert_eq!(
            render(Lang::En, src),
            concat!(
                r##"#"Total nickel";|"##,
                r##"#"Some*thing";#" (";#"X";#sub[#"2";]#")";|"##,
                r##"#"Ammonia nitrogen";#" (";#"NH";#sub[#"3";]#"-N";#")";|"##,
                r##"#"Q]";"##
            )
        );
        // A string's %s filled with markup: its own text escaped, the name as it is.
        assert_eq!(
            render(Lang::Zh, "{{ s.tbl | fmt(pollutant('NH3-N'), 'a*b') }}"),
            r##"#"氨氮";#"（";#"NH";#sub[#"3";]#"-N";#"）";#"平衡表（";#"a*b";#"）";"##
        );
        assert_eq!(render(Lang::Zh, "{{ 't/a' | unit }}"), r##"#box[#"t/a";]"##);
    }
}

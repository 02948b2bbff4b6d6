//! Words that engineers type in Chinese inside otherwise neutral values — units such as
//! `万米` or `万元/年`, and standard references such as `GB 4287-2012 表2` — and their
//! English forms, so that the English edition does not print Chinese it never asked for.
//!
//! Only whole known words are translated; anything else passes through unchanged (the
//! auditor's text is data, never guessed at).

use super::Lang;

/// Chinese unit words and their English symbols.
const UNIT_WORDS: &[(&str, &str)] = &[
    ("米", "m"),
    ("百米", "100 m"),
    ("千米", "km"),
    ("吨", "t"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("克", "g"),
    ("件", "pieces"),
    ("个", "pieces"),
    ("只", "pieces"),
    ("张", "sheets"),
    ("台", "units"),
    ("套", "sets"),
    ("批", "batches"),
    ("平方米", "m²"),
    ("立方米", "m³"),
    ("升", "L"),
    ("元", "CNY"),
    ("度", "kWh"),
    ("倍", "dilution factor"),
    ("无量纲", "dimensionless"),
    ("年", "a"),
    ("天", "d"),
    ("日", "d"),
    ("小时", "h"),
    ("月", "month"),
];

/// Multiplier prefixes: 万米 is 10⁴ m.
const PREFIXES: &[(&str, &str)] = &[("万", "10⁴ "), ("亿", "10⁸ "), ("千", "10³ ")];

/// A unit symbol as written in `lang`: `万米/a` is `10⁴ m/a` in English. Parts that are
/// not known Chinese unit words are kept as typed.
pub fn unit_in(symbol: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return symbol.to_string();
    }
    symbol
        .split('/')
        .map(unit_part_en)
        .collect::<Vec<_>>()
        .join("/")
}

fn unit_part_en(part: &str) -> String {
    let (lead, rest) = part.split_at(part.len() - part.trim_start().len());
    let word = rest.trim_end();
    let trail = &rest[word.len()..];
    let en = |w: &str| {
        UNIT_WORDS
            .iter()
            .find(|(zh, _)| *zh == w)
            .map(|(_, en)| *en)
    };
    let translated = en(word).map(str::to_string).or_else(|| {
        PREFIXES.iter().find_map(|(p, factor)| {
            let tail = word.strip_prefix(p)?;
            let tail_en = en(tail).map(str::to_string).or_else(|| {
                // 万kWh, 万m³: a Latin unit after the prefix.
                (!tail.is_empty() && tail.is_ascii()).then(|| tail.to_string())
            })?;
            Some(format!("{factor}{tail_en}"))
        })
    });
    match translated {
        Some(t) => format!("{lead}{t}{trail}"),
        None => part.to_string(),
    }
}

/// A reference to a standard as written in `lang`: `GB 4287-2012 表2` is
/// `GB 4287-2012 Table 2` in English, `附录A` is `Annex A`, `及修改单` is `and amendment`.
pub fn standard_in(reference: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return reference.to_string();
    }
    let mut out = String::with_capacity(reference.len());
    let mut rest = reference;
    while let Some(c) = rest.chars().next() {
        let replaced = [
            ("表", "Table"),
            ("附录", "Annex"),
            ("修改单", "amendment"),
            ("第", "No."),
            ("及", "and"),
        ]
        .iter()
        .find_map(|(zh, en)| rest.strip_prefix(zh).map(|after| (*en, after)));
        match replaced {
            Some((en, after)) => {
                if !out.is_empty() && !out.ends_with([' ', '(', '（']) {
                    out.push(' ');
                }
                out.push_str(en);
                let after_trimmed = after.trim_start();
                if after_trimmed
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    out.push(' ');
                }
                rest = after_trimmed;
            }
            None => {
                if c == '（' && !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push(match c {
                    '（' => '(',
                    '）' => ')',
                    '、' | '，' => ',',
                    other => other,
                });
                if matches!(c, '、' | '，') {
                    out.push(' ');
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_translated_word_by_word() {
        let en = |u| unit_in(u, Lang::En);
        assert_eq!(en("万米"), "10⁴ m");
        assert_eq!(en("万米/a"), "10⁴ m/a");
        assert_eq!(en("万元/年"), "10⁴ CNY/a");
        assert_eq!(en("万kWh"), "10⁴ kWh");
        assert_eq!(en("吨/天"), "t/d");
        assert_eq!(en("mg/L"), "mg/L");
        assert_eq!(en("t/100 m"), "t/100 m");
        assert_eq!(en("m³/d"), "m³/d");
        // Unknown words stay as typed.
        assert_eq!(en("匹"), "匹");
        assert_eq!(en("万"), "万");
        assert_eq!(unit_in("万米", Lang::Zh), "万米");
    }

    #[test]
    fn standard_references_read_in_english() {
        let en = |s| standard_in(s, Lang::En);
        assert_eq!(en("GB 4287-2012 表2"), "GB 4287-2012 Table 2");
        assert_eq!(en("GB 4287-2012 表 2"), "GB 4287-2012 Table 2");
        assert_eq!(en("表2"), "Table 2");
        assert_eq!(
            en("GB 21900-2008 表2、表3"),
            "GB 21900-2008 Table 2, Table 3"
        );
        assert_eq!(en("GB 4287-2012及修改单"), "GB 4287-2012 and amendment");
        assert_eq!(en("HJ 2.2（附录A）"), "HJ 2.2 (Annex A)");
        assert_eq!(
            standard_in("GB 4287-2012 表2", Lang::Zh),
            "GB 4287-2012 表2"
        );
    }
}

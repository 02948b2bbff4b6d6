//! Industry profiles as data (`profiles/industries/<id>.yaml`, built in, or in the audit
//! folder's own `profiles/industries/`): for one of the key industries of the 2020
//! notice, its GB/T 4754 codes, its typical pollutants per medium, the discharge
//! standards that apply with their limits per table and column, benchmark drainage, the
//! raw materials that make it a toxic-use enterprise, default candidate audit focuses and
//! a catalogue of cleaner production options. `cpaudit init` fills its scaffold from
//! them and `cpaudit check` compares the audit's discharges with them.
//!
//! Every limit, benchmark and option carries a [`Basis`]: how far the value is backed by
//! a copy of the standard's text. Values not found in a public copy are `unverified`.

use super::{Aspect, CostClass, Medium, Spanned, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How far a value can be trusted (the source tags of `shared/industry.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A copy of the standard's (or document's) text says so (`[S]`).
    Sourced,
    /// Third-party data or a provincial standard that copies the national value
    /// (`[code]`, `DB41/777-2013`).
    Corroborated,
    /// Not found in a public copy; the best value from knowledge of the standard (`[GK]`).
    /// Verify before relying on it.
    Unverified,
    /// Low confidence (`[GK?]`): a placeholder.
    Doubtful,
}

impl Basis {
    /// The basis in words, for diagnostics.
    pub fn words(self) -> &'static str {
        match self {
            Basis::Sourced => "from a copy of the standard's text",
            Basis::Corroborated => "corroborated by third-party data",
            Basis::Unverified => "unverified: not found in a public copy of the standard",
            Basis::Doubtful => "doubtful: a placeholder",
        }
    }
}

/// An industry profile file, `profiles/industries/<id>.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryFile {
    /// Id an audit chooses it by (`audit.industry_profile`), and `cpaudit init --industry`.
    pub id: String,
    /// The industry in words.
    pub name: Text,
    /// Where the values come from.
    pub source: Text,
    /// GB/T 4754-2017 codes of the industry; the first is the one `init` writes. An audit
    /// whose `enterprise.industry_code` is one of them uses this profile unless it names
    /// another.
    pub codes: Vec<IndustryCode>,
    /// Id of the evaluation index system of the industry (`profiles/index-systems/`).
    #[serde(default)]
    pub index_system: Option<String>,
    /// Typical pollutants, and every pollutant a standard below limits.
    pub pollutants: Vec<PollutantDecl>,
    /// The discharge standards that apply, with their limits.
    pub standards: Vec<StandardDecl>,
    /// Raw materials that contain a toxic or hazardous substance.
    #[serde(default)]
    pub toxic_materials: Vec<ToxicMaterialDecl>,
    /// Default candidate audit focuses.
    #[serde(default)]
    pub focuses: Vec<FocusDecl>,
    /// The option catalogue.
    #[serde(default)]
    pub options: Vec<OptionDecl>,
    /// The file it was read from (`builtin:<id>` or `profiles/industries/<file>`), for
    /// diagnostics; set by the loader.
    #[serde(skip)]
    pub origin: String,
}

/// A GB/T 4754 code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryCode {
    /// The code (`C3360`).
    pub code: Spanned<String>,
    /// Its title in GB/T 4754-2017.
    pub name: Text,
}

/// A pollutant of the industry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollutantDecl {
    /// Code as the emissions workbook writes it (`Cr6+`); unique per medium.
    pub code: Spanned<String>,
    /// Medium: `wastewater` or `waste_gas`.
    pub medium: Medium,
    /// Name, plain text (`氨氮`, `Ammonia nitrogen`).
    pub name: Text,
    /// Chemical symbol or abbreviation printed after the name, the same in both languages
    /// (`NH~3~-N`, `Cr^6+^`, `SO~2~`): `~…~` is a subscript and `^…^` a superscript
    /// (see [`formula`]). None: the name alone is printed.
    #[serde(default)]
    pub symbol: Option<Spanned<String>>,
    /// Other spellings an engineer may type (`六价铬`, `Cr(VI)`), matched ignoring case
    /// and spaces.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The id of its entry in `profiles/toxic-pollutants.yaml` when it is a toxic
    /// substance there; the entry names the list it is on.
    #[serde(default)]
    pub toxic: Option<Spanned<String>>,
    /// Typical of the industry (listed in the scaffold's pollution table and checked for
    /// monitoring); pollutants declared only because a standard limits them are not.
    #[serde(default)]
    pub typical: bool,
}

/// What a standard is to the industry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardRole {
    /// The industry's own discharge standard (GB 4287-2012, GB 21900-2008).
    Industry,
    /// A general standard (GB 8978-1996, GB 16297-1996): not to be used for a pollutant
    /// the industry's own standard covers ("不交叉执行").
    General,
    /// Another sector's standard that applies to part of the plant (boilers: GB 13271).
    Related,
}

/// A discharge standard and its tables.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardDecl {
    /// Its number (`GB 21900-2008`), as the emissions workbook's Standard column begins.
    pub id: Spanned<String>,
    /// Title.
    pub name: Text,
    /// Role for this industry.
    pub role: StandardRole,
    /// Amendments (修改单) included in the limits.
    #[serde(default)]
    pub amendments: Vec<Text>,
    /// Where the values come from.
    pub source: Text,
    /// Limit tables.
    pub tables: Vec<LimitTable>,
    /// Benchmark drainage or exhaust volume per unit of product (基准排水量/基准排气量).
    #[serde(default)]
    pub benchmark_volumes: Vec<BenchmarkVolume>,
}

/// How a discharge reaches the environment, read from the discharge mode's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Straight into a water body (直接排放).
    Direct,
    /// Into a municipal (town) wastewater treatment plant or sewer (城镇污水处理厂/市政管网).
    Municipal,
    /// Into an industrial park's wastewater treatment plant (园区污水处理厂).
    Park,
    /// Indirect, not said where (间接排放).
    Indirect,
}

/// A numbered table of a standard.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitTable {
    /// Its number (2 for 表2).
    pub table: Spanned<u32>,
    /// Title.
    pub title: Text,
    /// Medium.
    pub medium: Medium,
    /// Who must meet it, and when.
    pub applies: Text,
    /// The table new enterprises meet, and existing ones after the transition: `init`
    /// takes its limits, and a discharge naming the standard without a table is compared
    /// with it. At most one per standard and medium.
    #[serde(default)]
    pub current: bool,
    /// The columns (直接排放, 间接排放, 一级 …).
    pub columns: Vec<LimitColumn>,
    /// One row per pollutant.
    pub limits: Vec<Limit>,
}

/// A column of a limit table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitColumn {
    /// Id, unique in the table; the key of a row's `values`.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// The routes of discharge it applies to; empty: any (the column is told apart by
    /// something else, such as the fuel).
    #[serde(default)]
    pub routes: Vec<Route>,
    /// A row without a value in this column takes the value of that column (GB 4287's
    /// park column exists for COD and BOD5 only; other pollutants keep the indirect one).
    #[serde(default)]
    pub falls_back_to: Option<String>,
}

/// Where a limit is judged (监控位置).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasuredAt {
    /// The workshop or facility wastewater outlet (车间或生产设施废水排放口).
    Workshop,
    /// The enterprise's final wastewater outlet (企业废水总排放口).
    Outlet,
    /// The stack of the workshop or facility (车间或生产设施排气筒).
    Stack,
}

/// One pollutant's limits in a table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Pollutant code, declared under `pollutants` with the table's medium.
    pub pollutant: Spanned<String>,
    /// Unit of the values (`mg/L`, `mg/m³`, `倍` for colour, `无量纲` for pH). Required.
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    /// Where it is judged. Required.
    #[serde(default)]
    pub at: Option<MeasuredAt>,
    /// Value per column id.
    pub values: BTreeMap<String, LimitValue>,
    /// How far the row's values can be trusted: the weakest of them.
    pub basis: Basis,
    /// A remark (which values are sourced, a footnote of the standard).
    #[serde(default)]
    pub note: Option<Text>,
}

/// A limit: a maximum, a range (pH), "not detectable" (不得检出), or none (the table
/// gives no limit in this column: `none`, printed "—").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LimitValue {
    /// At most this.
    Max(f64),
    /// Within this range.
    Range(f64, f64),
    /// Not detectable by the method the standard prescribes.
    NotDetected,
    /// The table sets no limit in this column.
    NoLimit,
}

impl LimitValue {
    /// The value in words, with a unit.
    pub fn describe(self, unit: &str) -> String {
        // The shortest form that reads back the same: 0.2, 20.
        let n = |x: f64| format!("{x}");
        match self {
            LimitValue::Max(x) => format!("{} {unit}", n(x)),
            LimitValue::Range(a, b) => format!("{}–{} {unit}", n(a), n(b)),
            LimitValue::NotDetected => "not detectable (不得检出)".into(),
            LimitValue::NoLimit => "no limit (—)".into(),
        }
    }
}

impl Serialize for LimitValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match *self {
            LimitValue::Max(x) => s.serialize_f64(x),
            LimitValue::Range(a, b) => {
                let mut seq = s.serialize_seq(Some(2))?;
                seq.serialize_element(&a)?;
                seq.serialize_element(&b)?;
                seq.end()
            }
            LimitValue::NotDetected => s.serialize_str("not_detected"),
            LimitValue::NoLimit => s.serialize_str("none"),
        }
    }
}

impl<'de> Deserialize<'de> for LimitValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        const EXPECTED: &str =
            "a number, a range [low, high], \"not_detected\" or \"none\" (no limit)";
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = LimitValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<LimitValue, E> {
                Ok(LimitValue::Max(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LimitValue, E> {
                Ok(LimitValue::Max(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LimitValue, E> {
                Ok(LimitValue::Max(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LimitValue, E> {
                match v {
                    "not_detected" | "不得检出" => Ok(LimitValue::NotDetected),
                    "none" | "—" => Ok(LimitValue::NoLimit),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &EXPECTED)),
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<LimitValue, A::Error> {
                let low: f64 = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(0, &EXPECTED))?;
                let high: f64 = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(1, &EXPECTED))?;
                if seq.next_element::<f64>()?.is_some() {
                    return Err(serde::de::Error::invalid_length(3, &EXPECTED));
                }
                Ok(LimitValue::Range(low, high))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Benchmark drainage (or exhaust) volume per unit of product of one product category.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkVolume {
    /// Product category or process.
    pub product: Text,
    /// Medium.
    pub medium: Medium,
    /// Unit (`m³/t`, `L/m²`).
    pub unit: Spanned<String>,
    /// Value by the number of the limit table it goes with.
    pub values: BTreeMap<u32, f64>,
    /// How far the values can be trusted.
    pub basis: Basis,
    /// A remark.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A raw material that contains a toxic or hazardous substance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToxicMaterialDecl {
    /// Id, unique in the file.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Words that identify it in a material's name (either language), ignoring case and
    /// spaces.
    #[serde(rename = "match")]
    pub words: Vec<String>,
    /// The pollutants it brings into the wastewater or waste gas (declared codes).
    #[serde(default)]
    pub pollutants: Vec<Spanned<String>>,
    /// Why it counts as toxic or hazardous: the list or category it falls under.
    pub list: Text,
    /// How far that can be trusted.
    pub basis: Basis,
}

/// A default candidate audit focus.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusDecl {
    /// Id, unique in the file.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Why it is a usual candidate.
    pub why: Text,
    /// How far the reason is backed by a source.
    pub basis: Basis,
}

/// An option of the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDecl {
    /// Id, unique in the file.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// What it does.
    pub description: Text,
    /// One of the eight aspects.
    pub category: Aspect,
    /// Usual cost class.
    pub cost: CostClass,
    /// Typical benefits; figures are illustrative unless `basis` is `sourced`.
    pub benefits: Text,
    /// How far the option and its benefits are backed by a source.
    pub basis: Basis,
    /// The source, where there is one.
    #[serde(default)]
    pub source: Option<Text>,
}

/// What a report prints for a pollutant code: its name and, where it has one, its symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PollutantName {
    /// Name in both languages, plain text.
    pub name: Text,
    /// Symbol with sub- and superscript markup ([`formula`]).
    pub symbol: Option<String>,
}

impl PollutantName {
    /// The name as plain text, for diagnostics and figures: `氨氮（NH3-N）`,
    /// `Ammonia nitrogen (NH3-N)` (the markup dropped, the scripts kept as typed).
    pub fn plain(&self, lang: super::Lang) -> String {
        let name = self.name.get(lang);
        match &self.symbol {
            None => name.to_string(),
            Some(sym) => {
                let sym: String = formula::parts(sym).iter().map(|(_, t)| *t).collect();
                match lang {
                    super::Lang::Zh => format!("{name}（{sym}）"),
                    super::Lang::En => format!("{name} ({sym})"),
                }
            }
        }
    }
}

/// What the reports print for a typed pollutant code: the name (and symbol) the first of
/// `profiles` that declares the code (or an alias of it) in one of `media` gives it, else
/// the common name of that code (exactly, then ignoring case and spaces). None: nobody
/// names it.
pub fn name_pollutant<'a>(
    profiles: impl IntoIterator<Item = &'a IndustryFile>,
    media: &[Medium],
    typed: &str,
    common: &BTreeMap<String, PollutantName>,
) -> Option<PollutantName> {
    let declared = profiles.into_iter().find_map(|p| {
        media
            .iter()
            .find_map(|m| p.pollutant(*m, typed))
            .map(|d| PollutantName {
                name: d.name.clone(),
                symbol: d.symbol.as_ref().map(|s| s.value.clone()),
            })
    });
    declared.or_else(|| {
        common.get(typed).cloned().or_else(|| {
            let key = normalise_code(typed);
            common
                .iter()
                .find(|(k, _)| normalise_code(k) == key)
                .map(|(_, n)| n.clone())
        })
    })
}

/// The tiny markup of pollutant symbols and names of units: `~…~` is a subscript and
/// `^…^` a superscript (as in Pandoc's Markdown): `NH~3~-N` is NH₃-N, `Cr^6+^` is Cr⁶⁺,
/// `m^3^` is m³. Nothing nests; everything else is text.
pub mod formula {
    /// Where a piece of a symbol sits.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Script {
        /// On the baseline.
        Normal,
        /// Subscript (`~…~`).
        Sub,
        /// Superscript (`^…^`).
        Super,
    }

    /// The pieces of a symbol. An unclosed marker is text ([`check`] reports it).
    pub fn parts(symbol: &str) -> Vec<(Script, &str)> {
        let mut out = Vec::new();
        let mut rest = symbol;
        while !rest.is_empty() {
            let Some(i) = rest.find(['~', '^']) else {
                out.push((Script::Normal, rest));
                break;
            };
            let mark = rest.as_bytes()[i] as char;
            let after = &rest[i + 1..];
            let Some(j) = after.find(mark) else {
                out.push((Script::Normal, rest));
                break;
            };
            if i > 0 {
                out.push((Script::Normal, &rest[..i]));
            }
            let script = if mark == '~' {
                Script::Sub
            } else {
                Script::Super
            };
            out.push((script, &after[..j]));
            rest = &after[j + 1..];
        }
        out
    }

    /// What is wrong with a symbol's markup, if anything: an unclosed or empty script,
    /// or a marker inside the other script.
    pub fn check(symbol: &str) -> Option<String> {
        let parts = parts(symbol);
        for (script, text) in &parts {
            match script {
                Script::Normal if text.contains(['~', '^']) => {
                    return Some(format!(
                        "`{symbol}` has a `~` or `^` that is not closed: a subscript is written `~…~` and a superscript `^…^`"
                    ));
                }
                Script::Sub | Script::Super if text.trim().is_empty() => {
                    return Some(format!("`{symbol}` has an empty sub- or superscript"));
                }
                Script::Sub | Script::Super if text.contains(['~', '^']) => {
                    return Some(format!(
                        "`{symbol}` has a sub- or superscript inside another; they do not nest"
                    ));
                }
                _ => {}
            }
        }
        None
    }
}

/// Normalises a pollutant code or a word for matching: lower case, without spaces,
/// full-width brackets as ASCII ones.
pub fn normalise_code(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' | '–' => '-',
            '＋' => '+',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl IndustryFile {
    /// The declared pollutant a typed code names in a medium (its code or an alias).
    pub fn pollutant(&self, medium: Medium, typed: &str) -> Option<&PollutantDecl> {
        let key = normalise_code(typed);
        self.pollutants.iter().find(|p| {
            p.medium == medium
                && (normalise_code(&p.code.value) == key
                    || p.aliases.iter().any(|a| normalise_code(a) == key))
        })
    }

    /// The toxic-material entries whose words occur in a material's name.
    pub fn toxic_material(&self, name: &Text) -> Option<&ToxicMaterialDecl> {
        let zh = normalise_code(&name.zh);
        let en = normalise_code(&name.en);
        self.toxic_materials.iter().find(|m| {
            m.words.iter().any(|w| {
                let w = normalise_code(w);
                !w.is_empty() && (zh.contains(&w) || en.contains(&w))
            })
        })
    }

    /// The standard a workbook's Standard column names, and the table number it gives
    /// (`GB 21900-2008 表2`, `GB21900—2008 Table 2`).
    pub fn standard(&self, typed: &str) -> Option<(&StandardDecl, Option<u32>)> {
        let key = normalise_code(typed);
        let (s, at) = self.standards.iter().find_map(|s| {
            let id = normalise_code(&s.id.value);
            key.find(&id).map(|i| (s, i + id.len()))
        })?;
        let rest = &key[at..];
        let table = ["表", "table"].iter().find_map(|w| {
            let i = rest.find(w)?;
            let digits: String = rest[i + w.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        });
        Some((s, table))
    }
}

impl StandardDecl {
    /// The table with a number, or the current one of a medium when no number is given.
    pub fn table(&self, medium: Medium, number: Option<u32>) -> Option<&LimitTable> {
        match number {
            Some(n) => self
                .tables
                .iter()
                .find(|t| t.table.value == n && t.medium == medium),
            None => self.tables.iter().find(|t| t.current && t.medium == medium),
        }
    }

    /// The table's name as a reference (`GB 21900-2008 表2`).
    pub fn cite(&self, table: &LimitTable) -> String {
        format!("{} 表{}", self.id.value, table.table.value)
    }
}

impl LimitTable {
    /// The row of a pollutant code.
    pub fn limit(&self, code: &str) -> Option<&Limit> {
        self.limits.iter().find(|l| l.pollutant.value == code)
    }

    /// The value of a row in a column, following `falls_back_to`.
    pub fn value(&self, limit: &Limit, column: &str) -> Option<LimitValue> {
        let mut col = column;
        for _ in 0..=self.columns.len() {
            if let Some(v) = limit.values.get(col) {
                return Some(*v);
            }
            col = self
                .columns
                .iter()
                .find(|c| c.id.value == col)?
                .falls_back_to
                .as_deref()?;
        }
        None
    }

    /// The columns that apply to a route; every column when the route is not known or no
    /// column names it.
    pub fn columns_for(&self, route: Option<Route>) -> Vec<&LimitColumn> {
        let matching: Vec<&LimitColumn> = match route {
            Some(r) => self
                .columns
                .iter()
                .filter(|c| c.routes.is_empty() || c.routes.contains(&r))
                .collect(),
            None => Vec::new(),
        };
        if matching.is_empty() {
            self.columns.iter().collect()
        } else {
            matching
        }
    }
}

impl Route {
    /// The route a discharge mode's words describe, if they say. Municipal and park are
    /// told apart before the bare "indirect" since a mode usually says both.
    pub fn from_mode(mode: &Text) -> Option<Route> {
        let text = format!("{} {}", mode.zh, mode.en.to_lowercase());
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        if has(&["城镇", "市政", "城市污水", "municipal", "town"]) {
            Some(Route::Municipal)
        } else if has(&["园区", "工业区", "集中式工业", "park", "industrial zone"]) {
            Some(Route::Park)
        } else if has(&["间接", "indirect"]) {
            Some(Route::Indirect)
        } else if has(&["直接", "direct"]) {
            Some(Route::Direct)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(zh: &str, en: &str) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    #[test]
    fn codes_match_ignoring_case_spaces_and_full_width_brackets() {
        assert_eq!(normalise_code("Cr（VI）"), "cr(vi)");
        assert_eq!(normalise_code(" NH3 - N "), "nh3-n");
    }

    #[test]
    fn routes_from_the_mode_words() {
        let m = |zh: &str| Route::from_mode(&t(zh, ""));
        assert_eq!(
            m("间接排放，经市政污水管网排入城镇污水处理厂"),
            Some(Route::Municipal)
        );
        assert_eq!(
            m("间接排放，经园区污水管网排入园区污水处理厂"),
            Some(Route::Park)
        );
        assert_eq!(m("间接排放"), Some(Route::Indirect));
        assert_eq!(m("直接排放，连续"), Some(Route::Direct));
        assert_eq!(m("有组织，连续"), None);
        assert_eq!(
            Route::from_mode(&t("", "Direct, to the river")),
            Some(Route::Direct)
        );
    }
}

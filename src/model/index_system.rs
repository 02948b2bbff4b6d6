//! Cleaner production evaluation index systems (清洁生产评价指标体系) as data: the
//! files under `profiles/index-systems/` (built in, or in the audit folder's own
//! `profiles/index-systems/`). Each file holds the groups and their weights, the
//! indicators with their level I/II/III benchmarks, units and limiting marks, and the
//! rating rule of its 表4. The formulas are in [`crate::calc::index_system`].

use super::{Spanned, Text};
use serde::{Deserialize, Serialize};

/// How far an index system file can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexSystemStatus {
    /// Transcribed from the official text of the index system.
    Official,
    /// Partly from copies of the official text; the groups and indicators marked
    /// `placeholder` are not.
    Partial,
    /// An example reconstructed from secondary sources, not the official table: a rating
    /// against it is illustrative only.
    Example,
}

/// An index system file, `profiles/index-systems/<id>.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSystemFile {
    /// Id an audit chooses it by (`evaluation.system`).
    pub id: String,
    /// Title of the index system.
    pub name: Text,
    /// How far the values can be trusted.
    pub status: IndexSystemStatus,
    /// What is and is not from the official text; printed with the evaluation when the
    /// status is not `official`.
    #[serde(default)]
    pub status_note: Option<Text>,
    /// Where the values come from (instrument, year, copies consulted).
    pub source: Text,
    /// Names of levels I, II and III when the system does not call them Ⅰ级/Ⅱ级/Ⅲ级
    /// (e.g. 先进（标杆）/ 准入 / 一般).
    #[serde(default)]
    pub level_names: Option<[Text; 3]>,
    /// The rating rule (表4), best level first; absent: the 编制通则's rule (I: Y_I ≥ 85
    /// and limiting at I; II: Y_II ≥ 85 and limiting at II; III: Y_III = 100).
    #[serde(default)]
    pub rating: Option<Vec<RatingLevel>>,
    /// First-level groups (一级指标).
    pub groups: Vec<IndexGroup>,
    /// The file it was read from (`builtin:<id>` or `profiles/index-systems/<file>`), for
    /// diagnostics; set by the loader.
    #[serde(skip)]
    pub origin: String,
}

/// A first-level group (一级指标).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexGroup {
    /// Id, unique in the file.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Weight w_i; the groups' weights sum to 1.
    pub weight: f64,
    /// The weight is not from the official text.
    #[serde(default)]
    pub placeholder: bool,
    /// Second-level indicators (二级指标).
    pub indicators: Vec<IndexIndicator>,
}

/// A second-level indicator (二级指标). Quantitative when it has `benchmarks`,
/// qualitative otherwise (the audit then states the level met).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexIndicator {
    /// Id, unique in the file; the key of the audit's `evaluation.values`/`levels`.
    pub id: Spanned<String>,
    /// Name.
    pub name: Text,
    /// Unit of the value and benchmarks (quantitative indicators).
    #[serde(default)]
    pub unit: Option<String>,
    /// Weight ω_ij within the group; the group's weights sum to 1. For a pooled
    /// indicator, the whole pool's weight.
    pub weight: f64,
    /// Pool whose weight the indicator shares equally with the other pool members that
    /// apply (electroplating: metal utilisation rates, 0.8/n).
    #[serde(default)]
    pub pool: Option<String>,
    /// A limiting indicator (限定性指标, marked * in the official tables).
    #[serde(default)]
    pub limiting: bool,
    /// Level I, II and III benchmarks (quantitative indicators).
    #[serde(default)]
    pub benchmarks: Option<[f64; 3]>,
    /// Whether smaller values are better (consumption) or larger (reuse rates).
    #[serde(default = "yes")]
    pub lower_is_better: bool,
    /// What levels I, II and III require (qualitative indicators).
    #[serde(default)]
    pub requirements: Option<[Text; 3]>,
    /// The row is not from the official text.
    #[serde(default)]
    pub placeholder: bool,
}

fn yes() -> bool {
    true
}

/// What one level of the rating rule requires.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingLevel {
    /// The level granted: 1, 2 or 3.
    pub level: u8,
    /// Y of that level must be at least this (85, or 100 for "Y_III = 100").
    pub min_index: f64,
    /// Every limiting indicator must meet this level (1, 2 or 3).
    #[serde(default)]
    pub limiting_at: Option<u8>,
    /// Every non-limiting indicator must meet this level (PCB-style systems).
    #[serde(default)]
    pub others_at: Option<u8>,
}

/// The level an enterprise meets on a qualitative indicator: `1`, `2`, `3`, or `"none"`
/// (not even level III). Nested: meeting level 1 also meets 2 and 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelMet(pub Option<u8>);

impl Serialize for LevelMet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(n) => s.serialize_u8(n),
            None => s.serialize_str("none"),
        }
    }
}

impl<'de> Deserialize<'de> for LevelMet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        const EXPECTED: &str = "1, 2, 3 or \"none\"";
        impl serde::de::Visitor<'_> for Visitor {
            type Value = LevelMet;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LevelMet, E> {
                match v {
                    1..=3 => Ok(LevelMet(Some(v as u8))),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self)),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LevelMet, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<LevelMet, E> {
                match v.trim() {
                    "none" => Ok(LevelMet(None)),
                    "1" | "2" | "3" => self.visit_u64(v.trim().parse().unwrap_or(0)),
                    _ => Err(E::invalid_value(serde::de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl schemars::JsonSchema for LevelMet {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LevelMet".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {
                    "description": "Level met: 1 (Ⅰ级), 2 (Ⅱ级) or 3 (Ⅲ级); meeting 1 also meets 2 and 3.",
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 3
                },
                {
                    "description": "Not even level III (未达Ⅲ级).",
                    "type": "string",
                    "enum": ["none"]
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_level_is_1_2_3_or_none() {
        let m: BTreeMap<String, LevelMet> =
            serde_saphyr::from_str("a: 1\nb: 3\nc: none\nd: \"2\"").unwrap();
        assert_eq!(m["a"], LevelMet(Some(1)));
        assert_eq!(m["b"], LevelMet(Some(3)));
        assert_eq!(m["c"], LevelMet(None));
        assert_eq!(m["d"], LevelMet(Some(2)));
        for bad in ["a: 0", "a: 4", "a: -1", "a: II", "a: 1.5"] {
            assert!(
                serde_saphyr::from_str::<BTreeMap<String, LevelMet>>(bad).is_err(),
                "{bad}"
            );
        }
        assert_eq!(serde_json::to_string(&LevelMet(None)).unwrap(), "\"none\"");
        assert_eq!(serde_json::to_string(&LevelMet(Some(2))).unwrap(), "2");
    }
}

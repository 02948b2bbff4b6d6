//! The fixed words inside the figures, in Chinese and English. Words the templates
//! already have (stream kinds, media, pollutant names) come from `templates/strings.yaml`
//! so that a figure and the table beside it call a thing by the same name; the rest are
//! in the small table below.

use crate::model::Lang;

/// Words only the figures use: key, Chinese, English.
const LOCAL: &[(&str, &str, &str)] = &[
    ("audit_focus", "审核重点", "Audit focus"),
    ("total_in", "输入合计", "Total in"),
    ("total_out", "输出合计", "Total out"),
    ("difference", "差额", "Difference"),
    ("closure", "相对误差", "closure error"),
    ("unaccounted", "未计量差额", "Unaccounted difference"),
    (
        "excess_out",
        "差额（输出多于输入）",
        "Difference (output exceeds input)",
    ),
    ("legend", "图例", "Key"),
    ("per_batch", "/批", " per lot"),
    ("new_water", "新水", "New water"),
    ("new_water_total", "新水量", "New water"),
    ("reused", "回用", "reused"),
    ("recirculated", "循环", "recirculated"),
    ("consumed", "消耗", "consumed"),
    ("discharged", "排水", "discharged"),
    ("leakage", "漏失", "leakage"),
    ("discharge_total", "排水合计", "Total discharge"),
    ("reused_total", "重复利用水量", "Reused"),
    ("consumed_total", "耗水量", "consumed"),
    ("leakage_total", "漏失水量", "leakage"),
    ("reuse_rate", "重复利用率", "reuse rate"),
    ("water_unit_note", "单位", "unit"),
    (
        "comprehensive_energy",
        "综合能耗",
        "Comprehensive energy consumption",
    ),
    ("energy_total", "合计", "Total"),
    (
        "electricity_equivalent",
        "电力按当量值折算",
        "electricity at its equivalent value",
    ),
    (
        "electricity_primary",
        "电力按等价值折算",
        "electricity at its primary-energy value",
    ),
    ("year", "年", ""),
    ("load_k", "等标污染负荷比 K", "load ratio K"),
    ("load_cum", "累计负荷比 ΣK", "cumulative ΣK"),
    ("load_80", "80 % 线", "80 % line"),
    ("major_pollutant", "主要污染物", "major pollutant"),
    ("other_pollutant", "其他污染物", "other pollutant"),
    (
        "economic_benefit",
        "经济效益（万元/a）",
        "Economic benefit (10⁴ CNY/a)",
    ),
    ("water_saved", "节水（t/a）", "Water saved (t/a)"),
    ("no_low_cost", "无/低费方案", "no/low-cost option"),
    ("medium_high_cost", "中/高费方案", "medium/high-cost option"),
    ("baseline", "基准值", "baseline"),
    ("near_term", "近期目标", "near-term target"),
    ("achieved", "实施后", "achieved"),
    ("met", "达标", "met"),
    ("not_met", "未达标", "not met"),
    ("unknown", "待核", "to verify"),
    ("step", "工序", "step"),
    ("flow_to", "流向", "flows to"),
    ("list_sep", "；", "; "),
    ("colon", "：", ": "),
    ("enum_sep", "、", ", "),
];

/// The figure words of one language.
#[derive(Clone, Copy)]
pub struct Words {
    /// The language.
    pub lang: Lang,
    strings: Option<&'static crate::render::template::Strings>,
}

impl Words {
    /// The words of `lang`, with the templates' string table where it parses.
    pub fn new(lang: Lang) -> Words {
        Words {
            lang,
            strings: crate::render::strings().ok(),
        }
    }

    /// Whether the language is Chinese.
    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    /// The word for `key`: the templates' string table, then the figures' own table;
    /// the key itself when neither has it.
    pub fn get(&self, key: &str) -> String {
        if let Some(s) = self
            .strings
            .and_then(|t| t.get(key))
            .and_then(|v| v.get(self.lang.code()))
        {
            return s.clone();
        }
        LOCAL
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, zh, en)| if self.zh() { *zh } else { *en }.to_string())
            .unwrap_or_else(|| key.to_string())
    }

    /// The word for `key` when either table has it.
    pub fn find(&self, key: &str) -> Option<String> {
        let w = self.get(key);
        (w != key).then_some(w)
    }

    /// The common name of a pollutant code as plain text (`NH3-N` → 氨氮（NH3-N）), for
    /// figures without an audit; an audit's figures name codes as its profile does.
    pub fn pollutant(&self, code: &str) -> String {
        crate::load::industry::common_pollutant_names()
            .get(code)
            .map_or_else(|| code.to_string(), |n| n.plain(self.lang))
    }

    /// `label: value` with the language's colon.
    pub fn colon(&self, label: &str, value: &str) -> String {
        format!("{label}{}{value}", self.get("colon"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_local_word_has_both_languages() {
        for (k, zh, en) in LOCAL {
            assert!(!zh.is_empty(), "{k}");
            if *k != "year" {
                assert!(!en.is_empty(), "{k}");
            }
        }
        let mut keys: Vec<&str> = LOCAL.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate keys");
    }

    #[test]
    fn words_come_from_the_template_table_first() {
        let zh = Words::new(Lang::Zh);
        let en = Words::new(Lang::En);
        assert_eq!(zh.get("medium_wastewater"), "废水");
        assert_eq!(en.get("total_in"), "Total in");
        assert_eq!(en.pollutant("XYZ"), "XYZ");
    }
}

//! Goal attainment: for each cleaner production goal, its baseline, its near-term target
//! and the value achieved after implementation, as three bars on the goal's own scale
//! (goals have different units), the achieved bar green when the target is met and red
//! when not, each bar labelled with its value as in the goal table.

use super::energy::smart;
use super::svg::{self, Drawing, Rect, Style, Svg, wrap};
use super::words::Words;
use crate::compute::GoalResult;

const SIZE: f64 = 7.5;
const LABEL_L: f64 = 4.0;
const LABEL_W: f64 = 168.0;
const BAR_L: f64 = LABEL_L + LABEL_W + 10.0;
const BAR: f64 = 7.5;
const PITCH: f64 = 10.5;
const BASE: &str = "#a6a6a6";
const TARGET: &str = "#9fc5e8";
const MET: &str = "#6aa84f";
const NOT_MET: &str = "#cc4125";
const UNKNOWN: &str = "#d9d9d9";

fn achieved_label(w: &Words, g: &GoalResult) -> String {
    let (open, close) = if w.zh() { ("（", "）") } else { (" (", ")") };
    match (g.achieved, g.met) {
        (None, _) => "—".into(),
        (Some(a), Some(true)) => format!("{}{open}{}{close}", smart(a), w.get("met")),
        (Some(a), Some(false)) => format!("{}{open}{}{close}", smart(a), w.get("not_met")),
        (Some(a), None) => smart(a),
    }
}

/// Draws the chart; `baseline_year` names the baseline in the key. Split into parts when
/// there are more goals than fit on a page.
pub fn draw(w: &Words, goals: &[GoalResult], baseline_year: i32) -> Vec<Drawing> {
    let names: Vec<Vec<String>> = goals
        .iter()
        .map(|g| {
            let mut lines = wrap(
                &format!("{} {}", g.id, g.indicator.get(w.lang)),
                LABEL_W,
                SIZE,
            );
            if !g.unit.trim().is_empty() {
                lines.push(format!("({})", g.unit));
            }
            lines
        })
        .collect();
    let heights: Vec<f64> = names
        .iter()
        .map(|n| Style::new(SIZE).height(n.len()).max(3.0 * PITCH) + 8.0)
        .collect();
    let reserve = goals
        .iter()
        .map(|g| svg::text_width(&achieved_label(w, g), SIZE))
        .fold(0.0, f64::max)
        + 6.0;
    let span = svg::WIDTH - 4.0 - BAR_L - reserve;
    let legend_h = Style::new(SIZE).height(2) + 12.0;
    let parts = svg::split_rows(&heights, 4.0 + legend_h);
    parts
        .iter()
        .map(|idx| {
            let mut svg = Svg::new();
            let mut y = 4.0;
            for &i in idx {
                let g = &goals[i];
                let top = y + (heights[i] - 3.0 * PITCH) / 2.0;
                let name_h = Style::new(SIZE).height(names[i].len());
                let mut lines = names[i].clone();
                let unit = if g.unit.trim().is_empty() {
                    None
                } else {
                    lines.pop()
                };
                let name_top = y + (heights[i] - name_h) / 2.0;
                svg.text(LABEL_L, name_top, &lines, Style::new(SIZE));
                if let Some(u) = unit {
                    svg.text(
                        LABEL_L,
                        name_top + Style::new(SIZE).height(lines.len()),
                        &[u],
                        Style::new(SIZE).fill(svg::GREY),
                    );
                }
                let max = [Some(g.baseline), Some(g.near_term), g.achieved]
                    .into_iter()
                    .flatten()
                    .map(f64::abs)
                    .fold(0.0, f64::max);
                let achieved_fill = match g.met {
                    Some(true) => MET,
                    Some(false) => NOT_MET,
                    None => UNKNOWN,
                };
                let bars = [
                    (Some(g.baseline), BASE, smart(g.baseline)),
                    (Some(g.near_term), TARGET, smart(g.near_term)),
                    (g.achieved, achieved_fill, achieved_label(w, g)),
                ];
                for (k, (value, fill, label)) in bars.into_iter().enumerate() {
                    let by = top + k as f64 * PITCH + (PITCH - BAR) / 2.0;
                    let len = match value {
                        Some(v) if max > 0.0 => v.max(0.0) / max * span,
                        _ => 0.0,
                    };
                    if len > 0.0 {
                        let r = Rect::new(BAR_L, by, len, BAR);
                        svg.rect(r, fill, None, 0.0);
                        svg.keep_out(r);
                    }
                    svg.text(
                        BAR_L + len + 3.0,
                        top + k as f64 * PITCH + (PITCH - Style::new(SIZE).height(1)) / 2.0,
                        &[label],
                        Style::new(SIZE),
                    );
                }
                y += heights[i];
                if i + 1 < goals.len() {
                    svg.line(
                        (LABEL_L, y),
                        (svg::WIDTH - 4.0, y),
                        "#e3e3e3",
                        0.5,
                        None,
                        false,
                    );
                }
            }
            svg.line((BAR_L, 4.0), (BAR_L, y), "#333333", 0.6, None, false);
            // Key.
            let baseline = if w.zh() {
                format!("{}（{}年）", w.get("baseline"), baseline_year)
            } else {
                format!("{} ({baseline_year})", w.get("baseline"))
            };
            let items = [
                (BASE, baseline),
                (TARGET, w.get("near_term")),
                (MET, format!("{}, {}", w.get("achieved"), w.get("met"))),
                (
                    NOT_MET,
                    format!("{}, {}", w.get("achieved"), w.get("not_met")),
                ),
            ];
            let bottom = super::sankey::legend(&mut svg, y + 6.0, &items, &[]);
            svg.finish(bottom + 4.0)
        })
        .collect()
}

/// The alt text: each goal's baseline, target and achieved value.
pub fn alt(w: &Words, caption: &str, goals: &[GoalResult]) -> String {
    let items: Vec<String> = goals
        .iter()
        .map(|g| {
            format!(
                "{} {} ({}){}{} {}, {} {}, {} {}",
                g.id,
                g.indicator.get(w.lang),
                g.unit,
                w.get("colon"),
                w.get("baseline"),
                smart(g.baseline),
                w.get("near_term"),
                smart(g.near_term),
                w.get("achieved"),
                achieved_label(w, g)
            )
        })
        .collect();
    format!(
        "{caption}{}{}",
        w.get("colon"),
        items.join(&w.get("list_sep"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, Text};
    use crate::render::figures::svg::check_layout;

    fn goals(n: usize) -> Vec<GoalResult> {
        (0..n)
            .map(|i| GoalResult {
                id: format!("G{}", i + 1),
                indicator: Text {
                    zh: "单位产品综合能耗（当量值）".into(),
                    en: "Comprehensive energy consumption per unit of product (equivalent value)"
                        .into(),
                },
                unit: "kgce/100 m".into(),
                baseline: 33.0 + i as f64,
                near_term: 31.0,
                long_term: 28.0,
                near_term_change: None,
                achieved: (i % 4 != 3).then_some(30.2 + i as f64),
                achieved_change: None,
                met: match i % 4 {
                    0 => Some(true),
                    1 => Some(false),
                    _ => None,
                },
            })
            .collect()
    }

    #[test]
    fn one_eight_and_sixteen_goals_lay_out_without_overlap() {
        for n in [1, 8, 16] {
            for lang in Lang::ALL {
                for d in draw(&Words::new(lang), &goals(n), 2024) {
                    check_layout(&d).unwrap_or_else(|e| panic!("{n} goals: {e}"));
                    assert!(d.height <= svg::MAX_HEIGHT + 1.0);
                }
            }
        }
    }
}

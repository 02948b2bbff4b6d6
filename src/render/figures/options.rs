//! The benefits of the implemented options: one row per option, highest economic
//! benefit first, a bar for its verified economic benefit (10⁴ CNY/a) and, when any
//! option saves water, a second bar for the water it saves (t/a), coloured by cost
//! class. The figures are those of the implementation tables (one decimal for money,
//! none for water). More options than fit on a page are split into parts.

use super::svg::{self, Drawing, Rect, Style, Svg, wrap};
use super::words::Words;
use crate::quantity::format_number;

/// One implemented option.
#[derive(Debug, Clone)]
pub struct OptionBenefit {
    /// Id (`F18`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Medium or high cost.
    pub medium_high: bool,
    /// Economic benefit, 10⁴ CNY/a.
    pub economic: Option<f64>,
    /// Water saved, t/a.
    pub water: Option<f64>,
}

const SIZE: f64 = 7.5;
const LABEL_L: f64 = 4.0;
const LABEL_W: f64 = 150.0;
const PANEL_L: f64 = LABEL_L + LABEL_W + 8.0;
const BAR: f64 = 7.0;
const NO_LOW: &str = "#6fa8dc";
const MEDIUM_HIGH: &str = "#e69138";

fn money(x: f64) -> String {
    format_number(x, 1)
}

fn water(x: f64) -> String {
    format_number(x, 0)
}

/// The rows in the order drawn: highest economic benefit first (ties keep their order).
pub fn ordered(options: &[OptionBenefit]) -> Vec<OptionBenefit> {
    let mut rows = options.to_vec();
    rows.sort_by(|a, b| {
        b.economic
            .unwrap_or(0.0)
            .total_cmp(&a.economic.unwrap_or(0.0))
    });
    rows
}

/// A panel's title, the value it shows and how the value is printed.
type PanelSpec = (String, fn(&OptionBenefit) -> Option<f64>, fn(f64) -> String);

struct Panel {
    left: f64,
    width: f64,
    title: Vec<String>,
    max: f64,
    reserve: f64,
    value: fn(&OptionBenefit) -> Option<f64>,
    format: fn(f64) -> String,
}

/// Draws the chart, split into parts that each fit on a page.
pub fn draw(w: &Words, options: &[OptionBenefit]) -> Vec<Drawing> {
    let rows = ordered(options);
    let with_water = rows.iter().any(|o| o.water.is_some_and(|x| x > 0.0));
    let right = svg::WIDTH - 4.0;
    let mut panels: Vec<Panel> = Vec::new();
    let specs: Vec<PanelSpec> = if with_water {
        vec![
            (w.get("economic_benefit"), |o| o.economic, money),
            (w.get("water_saved"), |o| o.water, water),
        ]
    } else {
        vec![(w.get("economic_benefit"), |o| o.economic, money)]
    };
    let count = specs.len() as f64;
    let panel_w = (right - PANEL_L - 10.0 * (count - 1.0)) / count;
    for (i, (title, value, format)) in specs.into_iter().enumerate() {
        let max = rows.iter().filter_map(value).fold(0.0, f64::max);
        let reserve = rows
            .iter()
            .map(|o| svg::text_width(&value(o).map_or("—".into(), format), SIZE))
            .fold(0.0, f64::max)
            + 6.0;
        panels.push(Panel {
            left: PANEL_L + i as f64 * (panel_w + 10.0),
            width: panel_w,
            title: wrap(&title, panel_w, SIZE),
            max,
            reserve,
            value,
            format,
        });
    }
    let title_lines = panels.iter().map(|p| p.title.len()).max().unwrap_or(1);
    let head = 4.0 + Style::new(SIZE).bold().height(title_lines) + 4.0;
    let names: Vec<Vec<String>> = rows
        .iter()
        .map(|o| wrap(&format!("{} {}", o.id, o.name), LABEL_W, SIZE))
        .collect();
    let heights: Vec<f64> = names
        .iter()
        .map(|n| Style::new(SIZE).height(n.len()).max(BAR + 3.0) + 4.0)
        .collect();
    let legend_h = Style::new(SIZE).height(1) + 12.0;

    let parts = svg::split_rows(&heights, head + legend_h);
    parts
        .iter()
        .map(|idx| {
            let mut svg = Svg::new();
            for p in &panels {
                svg.text(p.left, 4.0, &p.title, Style::new(SIZE).bold());
            }
            let mut y = head;
            for &i in idx {
                let o = &rows[i];
                let mid = y + heights[i] / 2.0;
                let name_h = Style::new(SIZE).height(names[i].len());
                svg.text(LABEL_L, mid - name_h / 2.0, &names[i], Style::new(SIZE));
                for p in &panels {
                    let v = (p.value)(o);
                    let len = match v {
                        Some(v) if p.max > 0.0 && v > 0.0 => v / p.max * (p.width - p.reserve),
                        _ => 0.0,
                    };
                    if len > 0.0 {
                        let bar = Rect::new(p.left, mid - BAR / 2.0, len, BAR);
                        svg.rect(
                            bar,
                            if o.medium_high { MEDIUM_HIGH } else { NO_LOW },
                            None,
                            0.0,
                        );
                        svg.keep_out(bar);
                    }
                    let label = match v {
                        Some(v) if v != 0.0 => (p.format)(v),
                        _ => "—".into(),
                    };
                    svg.text(
                        p.left + len + 3.0,
                        mid - Style::new(SIZE).height(1) / 2.0,
                        &[label],
                        Style::new(SIZE),
                    );
                }
                y += heights[i];
            }
            for p in &panels {
                svg.line(
                    (p.left, head - 2.0),
                    (p.left, y),
                    "#333333",
                    0.6,
                    None,
                    false,
                );
            }
            // Key.
            let ky = y + 6.0;
            let mut x = LABEL_L;
            for (colour, label) in [
                (NO_LOW, w.get("no_low_cost")),
                (MEDIUM_HIGH, w.get("medium_high_cost")),
            ] {
                svg.rect(
                    Rect::new(x, ky + (Style::new(SIZE).height(1) - 7.0) / 2.0, 12.0, 7.0),
                    colour,
                    None,
                    0.0,
                );
                svg.text(x + 16.0, ky, std::slice::from_ref(&label), Style::new(SIZE));
                x += 16.0 + svg::text_width(&label, SIZE) + 14.0;
            }
            svg.finish(ky + Style::new(SIZE).height(1) + 4.0)
        })
        .collect()
}

/// The alt text: every option with its benefits.
pub fn alt(w: &Words, caption: &str, options: &[OptionBenefit]) -> String {
    let items: Vec<String> = ordered(options)
        .iter()
        .map(|o| {
            let mut s = format!(
                "{} {}{}{}",
                o.id,
                o.name,
                w.get("colon"),
                o.economic.map_or("—".into(), money)
            );
            if let Some(x) = o.water.filter(|x| *x > 0.0) {
                s.push_str(&format!(", {}", water(x)));
            }
            s
        })
        .collect();
    let legend = if options.iter().any(|o| o.water.is_some_and(|x| x > 0.0)) {
        format!("{}, {}", w.get("economic_benefit"), w.get("water_saved"))
    } else {
        w.get("economic_benefit")
    };
    format!(
        "{caption} ({legend}){}{}",
        w.get("colon"),
        items.join(&w.get("list_sep"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::render::figures::svg::check_layout;

    fn options(n: usize) -> Vec<OptionBenefit> {
        (0..n)
            .map(|i| OptionBenefit {
                id: format!("F{:02}", i + 1),
                name: if i % 2 == 0 {
                    "Counter-current washing on the open-width washing range with flow meters"
                        .into()
                } else {
                    "逆流水洗改造及水表计量".into()
                },
                medium_high: i % 4 == 0,
                economic: (i % 5 != 3).then_some(12.5 * (i as f64 + 1.0)),
                water: i.is_multiple_of(3).then_some(1500.0 * (i as f64 + 1.0)),
            })
            .collect()
    }

    #[test]
    fn one_twenty_and_forty_options_lay_out_without_overlap() {
        for n in [1, 21, 42] {
            for lang in Lang::ALL {
                let parts = draw(&Words::new(lang), &options(n));
                for d in &parts {
                    check_layout(d).unwrap_or_else(|e| panic!("{n} options: {e}"));
                    assert!(d.height <= svg::MAX_HEIGHT + 1.0);
                }
            }
        }
    }

    #[test]
    fn options_are_ranked_by_economic_benefit() {
        let o = ordered(&options(6));
        assert_eq!(o[0].id, "F06");
        assert!(o.iter().position(|x| x.id == "F04").unwrap() == 5);
    }
}

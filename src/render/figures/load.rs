//! The equal-standard pollution load ranking (等标污染负荷, Pareto chart): one bar per
//! pollutant with its load ratio K, highest first, the cumulative ratio ΣK as a line,
//! and the 80 % mark that makes the pollutants up to it "major". The values of K and ΣK
//! stand in two rows under the bars rather than on them, so no label can collide with
//! the line, whatever the data.

use super::svg::{self, Anchor, Drawing, Rect, Style, Svg, wrap};
use super::words::Words;
use crate::calc::pollution_load::{MAJOR_CUMULATIVE_SHARE, PollutionLoad};
use crate::quantity::format_number;

const PLOT_L: f64 = 46.0;
const PLOT_R: f64 = 408.0;
const PLOT_T: f64 = 8.0;
const PLOT_H: f64 = 150.0;
const PLOT_B: f64 = PLOT_T + PLOT_H;
const SIZE: f64 = 7.5;
const MAJOR: &str = "#c0504d";
const OTHER: &str = "#a7bdd3";
const CUM: &str = "#1f4e79";
const MARK: &str = "#b22222";

/// One bar: a name, K and ΣK (fractions), and whether it is major.
#[derive(Debug, Clone)]
pub struct Bar {
    /// The pollutant's printed name.
    pub name: String,
    /// K.
    pub share: f64,
    /// ΣK.
    pub cumulative: f64,
    /// Ranked within the 80 %.
    pub major: bool,
}

/// The bars of a load ranking, highest first, each pollutant named by `name`.
pub fn bars<M>(load: &PollutionLoad<M>, name: impl Fn(&str) -> String) -> Vec<Bar> {
    load.pollutants
        .iter()
        .map(|p| Bar {
            name: name(&p.name),
            share: p.share.unwrap_or(0.0),
            cumulative: p.cumulative_share.unwrap_or(0.0),
            major: p.major,
        })
        .collect()
}

fn pct(x: f64, digits: usize) -> String {
    format!("{}%", format_number(x * 100.0, digits))
}

/// Draws the chart.
pub fn draw(w: &Words, bars: &[Bar]) -> Drawing {
    let mut svg = Svg::new();
    let n = bars.len().max(1);
    let slot = (PLOT_R - PLOT_L) / n as f64;
    let bar_w = (slot * 0.62).min(34.0);
    let y_of = |f: f64| PLOT_B - f.clamp(0.0, 1.0) * PLOT_H;

    // Axis, grid and ticks.
    for t in 0..=5 {
        let f = t as f64 / 5.0;
        let y = y_of(f);
        svg.line(
            (PLOT_L, y),
            (PLOT_R, y),
            if t == 0 { "#333333" } else { "#dddddd" },
            0.6,
            None,
            false,
        );
        svg.text(
            PLOT_L - 4.0,
            y - Style::new(SIZE).height(1) / 2.0,
            &[pct(f, 0)],
            Style::new(SIZE).fill(svg::GREY).anchor(Anchor::End),
        );
    }
    svg.line(
        (PLOT_L, PLOT_T),
        (PLOT_L, PLOT_B),
        "#333333",
        0.6,
        None,
        false,
    );
    svg.keep_out(Rect::new(PLOT_L, PLOT_T, PLOT_R - PLOT_L, PLOT_H));

    // Bars, the cumulative line and its points.
    let mut points = Vec::new();
    for (i, b) in bars.iter().enumerate() {
        let cx = PLOT_L + slot * (i as f64 + 0.5);
        let top = y_of(b.share);
        svg.rect(
            Rect::new(cx - bar_w / 2.0, top, bar_w, PLOT_B - top),
            if b.major { MAJOR } else { OTHER },
            None,
            0.0,
        );
        points.push((cx, y_of(b.cumulative)));
    }
    let y80 = y_of(MAJOR_CUMULATIVE_SHARE);
    svg.line((PLOT_L, y80), (PLOT_R, y80), MARK, 0.9, Some("4 2"), false);
    svg.text(
        PLOT_R + 4.0,
        y80 - Style::new(SIZE).height(1) / 2.0,
        &[pct(MAJOR_CUMULATIVE_SHARE, 0)],
        Style::new(SIZE).bold().fill(MARK),
    );
    if points.len() > 1 {
        svg.polyline(&points, CUM, 1.2, None, false);
    }
    for p in &points {
        svg.circle(*p, 2.2, "#ffffff", CUM);
    }

    // Names, K and ΣK under the bars. Fewer decimals when the slots are narrow.
    let digits = (0..=2)
        .rev()
        .find(|d| svg::text_width(&pct(1.0, *d), SIZE) <= slot - 3.0)
        .unwrap_or(0);
    let size = if svg::text_width(&pct(1.0, digits), SIZE) <= slot - 3.0 {
        SIZE
    } else {
        svg::MIN_FONT
    };
    let names: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.name, slot - 4.0, size))
        .collect();
    let name_lines = names.iter().map(Vec::len).max().unwrap_or(1);
    let names_top = PLOT_B + 4.0;
    let k_top = names_top + Style::new(size).height(name_lines) + 3.0;
    let cum_top = k_top + Style::new(size).height(1) + 1.0;
    for (i, b) in bars.iter().enumerate() {
        let cx = PLOT_L + slot * (i as f64 + 0.5);
        svg.text(
            cx,
            names_top,
            &names[i],
            Style::new(size).anchor(Anchor::Middle),
        );
        svg.text(
            cx,
            k_top,
            &[pct(b.share, digits)],
            Style::new(size).bold().anchor(Anchor::Middle),
        );
        svg.text(
            cx,
            cum_top,
            &[pct(b.cumulative, digits)],
            Style::new(size).fill(CUM).anchor(Anchor::Middle),
        );
    }
    svg.text(
        PLOT_L - 4.0,
        k_top,
        &["K".into()],
        Style::new(size).bold().anchor(Anchor::End),
    );
    svg.text(
        PLOT_L - 4.0,
        cum_top,
        &["ΣK".into()],
        Style::new(size).fill(CUM).anchor(Anchor::End),
    );

    // Key.
    let mut y = cum_top + Style::new(size).height(1) + 8.0;
    let line_h = Style::new(SIZE).height(1);
    let mut x = PLOT_L;
    let items = [
        (MAJOR, w.get("major_pollutant"), 0),
        (OTHER, w.get("other_pollutant"), 0),
        (CUM, w.get("load_cum"), 1),
        (MARK, w.get("load_80"), 2),
    ];
    for (colour, label, shape) in items {
        let need = 16.0 + svg::text_width(&label, SIZE) + 12.0;
        if x + need > svg::WIDTH - 6.0 {
            x = PLOT_L;
            y += line_h + 2.0;
        }
        let cy = y + line_h / 2.0;
        match shape {
            0 => svg.rect(Rect::new(x, cy - 3.5, 12.0, 7.0), colour, None, 0.0),
            1 => {
                svg.line((x, cy), (x + 12.0, cy), colour, 1.2, None, false);
                svg.circle((x + 6.0, cy), 2.2, "#ffffff", colour);
            }
            _ => svg.line((x, cy), (x + 12.0, cy), colour, 0.9, Some("4 2"), false),
        }
        svg.text(x + 16.0, y, &[label], Style::new(SIZE));
        x += need;
    }
    svg.finish(y + line_h + 4.0)
}

/// The alt text: the ranking with K and ΣK.
pub fn alt(w: &Words, caption: &str, bars: &[Bar]) -> String {
    let items: Vec<String> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!(
                "{}. {} K = {}, ΣK = {}",
                i + 1,
                b.name,
                pct(b.share, 2),
                pct(b.cumulative, 2)
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
    use crate::model::Lang;
    use crate::render::figures::svg::check_layout;

    fn ranking(n: usize) -> Vec<Bar> {
        let total: f64 = (1..=n).map(|i| i as f64).sum();
        let mut cum = 0.0;
        (0..n)
            .map(|i| {
                let share = (n - i) as f64 / total;
                cum += share;
                Bar {
                    name: if i % 2 == 0 {
                        "五日生化需氧量（BOD5）".into()
                    } else {
                        "Ammonia nitrogen (NH3-N)".into()
                    },
                    share,
                    cumulative: cum,
                    major: cum - share < 0.8,
                }
            })
            .collect()
    }

    #[test]
    fn one_eight_and_sixteen_pollutants_lay_out_without_overlap() {
        for n in [1, 8, 16] {
            for lang in Lang::ALL {
                let d = draw(&Words::new(lang), &ranking(n));
                check_layout(&d).unwrap_or_else(|e| panic!("{n} pollutants: {e}"));
            }
        }
    }
}

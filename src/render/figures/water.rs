//! The plant water balance diagram (水平衡图, GB/T 12452): the new-water main on the
//! left feeds each user; each user's reused or recirculated water is a loop under it;
//! consumption and leakage leave to the right, discharge runs to the discharge main,
//! whose total is given at its foot. One row per user, so the diagram grows downwards
//! and nothing crosses; a plant with more users than fit on a page is split into parts.
//! Quantities are in the water table's unit (m³/d) with one decimal, as in the table.

use super::svg::{self, Anchor, Drawing, Rect, Style, Svg, wrap};
use super::words::Words;
use crate::compute::WaterResult;
use crate::model::WaterUse;
use crate::quantity::format_number;

/// Decimals of every quantity (as in the water table).
pub const DIGITS: usize = 1;

const SIZE: f64 = 8.0;
/// The new-water main.
const PIPE_IN: f64 = 22.0;
/// User boxes.
const BOX_L: f64 = 110.0;
const BOX_R: f64 = 262.0;
/// Where the consumption and leakage arrows end, and their labels start.
const SHORT_END: f64 = 290.0;
/// The discharge main.
const PIPE_OUT: f64 = 426.0;
/// Centre of the discharge label on its line.
const DISCHARGE_LABEL: f64 = 352.0;
/// Vertical distance between the three lanes right of a box.
const LANE: f64 = 13.0;
/// Depth of a reuse loop under its box.
const LOOP: f64 = 12.0;
const ROW_GAP: f64 = 10.0;

const NEW: &str = "#2f75b5";
const REUSE: &str = "#2e8b57";
const CONSUMED: &str = "#d9822b";
const DISCHARGE: &str = "#8c5a2b";
const LEAK: &str = "#8a8a8a";
const BOX_FILL: &str = "#f2f6fa";

/// A quantity as printed.
pub fn quantity(x: f64) -> String {
    format_number(x, DIGITS)
}

fn reuse_word(w: &Words, kind: WaterUse) -> String {
    match kind {
        WaterUse::Cooling => w.get("recirculated"),
        WaterUse::Boiler => {
            if w.zh() {
                "冷凝水回用".into()
            } else {
                "condensate returned".into()
            }
        }
        _ => w.get("reused"),
    }
}

struct Row {
    name: Vec<String>,
    box_h: f64,
    height: f64,
    /// The reuse label, when there is reuse, and whether it sits under the loop (too
    /// wide to sit on it).
    reuse: Option<(String, bool)>,
}

/// Where the reuse loop leaves and re-enters the box.
const LOOP_R: f64 = BOX_R - 10.0;
const LOOP_L: f64 = BOX_L + 10.0;

fn row(w: &Words, water: &WaterResult, i: usize) -> Row {
    let u = &water.users[i];
    let label = format!("{} {}", u.balance.id, u.name.get(w.lang));
    let name = wrap(label.trim(), BOX_R - BOX_L - 10.0, SIZE);
    let box_h = (Style::new(SIZE).height(name.len()) + 10.0).max(2.0 * LANE + 12.0);
    let reuse = (u.balance.reused > 0.0).then(|| {
        let label = format!("{} {}", reuse_word(w, u.kind), quantity(u.balance.reused));
        let under = svg::text_width(&label, SIZE) + 10.0 > LOOP_R - LOOP_L;
        (label, under)
    });
    let extra = match &reuse {
        None => 0.0,
        Some((_, false)) => LOOP + 6.0,
        Some((_, true)) => LOOP + 3.0 + Style::new(SIZE).height(1),
    };
    Row {
        name,
        box_h,
        height: box_h + extra + ROW_GAP,
        reuse,
    }
}

/// A horizontal line with its keep-out area.
fn hline(
    svg: &mut Svg,
    x1: f64,
    x2: f64,
    y: f64,
    colour: &'static str,
    dash: Option<&str>,
    arrow: bool,
) {
    svg.line((x1, y), (x2, y), colour, 1.2, dash, arrow);
    svg.keep_out(Rect::new(x1.min(x2), y - 1.0, (x2 - x1).abs(), 2.0));
}

/// Draws the diagram, split into parts that each fit on a page.
pub fn draw(w: &Words, water: &WaterResult) -> Vec<Drawing> {
    let unit = &water.unit;
    let plant = &water.plant.plant;
    let header = format!(
        "{} Vf = {}",
        w.get("new_water_total"),
        svg::qty(&quantity(plant.new_water), unit)
    );
    let sep = w.get("list_sep");
    let rate = water.plant.indices.reuse_rate.map_or("—".into(), |r| {
        format!("{}%", format_number(r * 100.0, 1))
    });
    let footer = [format!(
        "{} Vr = {}{sep}{} Vco = {}{sep}{} Vl = {} ({unit}){sep}{} R = {rate}",
        w.get("reused_total"),
        quantity(plant.reused),
        w.get("consumed_total"),
        quantity(plant.consumption),
        w.get("leakage_total"),
        quantity(plant.leakage),
        w.get("reuse_rate"),
    )];
    let footer_lines: Vec<String> = footer
        .iter()
        .flat_map(|l| wrap(l, svg::WIDTH - 20.0, 7.5))
        .collect();
    let head_h = 4.0 + Style::new(SIZE).bold().height(1) + 8.0;
    let foot_h =
        14.0 + Style::new(SIZE).height(1) + 6.0 + Style::new(7.5).height(footer_lines.len()) + 6.0;
    let rows: Vec<Row> = (0..water.users.len()).map(|i| row(w, water, i)).collect();

    // Split the rows into parts that fit.
    let heights: Vec<f64> = rows.iter().map(|r| r.height).collect();
    let parts = svg::split_rows(&heights, head_h + foot_h);
    let count = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(p, idx)| {
            let last = p + 1 == count;
            let mut svg = Svg::new();
            svg.text(
                4.0,
                4.0,
                std::slice::from_ref(&header),
                Style::new(SIZE).bold().fill(NEW),
            );
            let mut y = head_h;
            let pipe_top = y - 6.0;
            let mut first_mid: Option<f64> = None;
            let mut last_in: Option<f64> = None;
            let mut first_out: Option<f64> = None;
            let mut last_out: Option<f64> = None;
            for &i in idx {
                let u = &water.users[i];
                let x = &u.balance;
                let r = &rows[i];
                let mid = y + r.box_h / 2.0;
                first_mid.get_or_insert(mid);
                // The user.
                let b = Rect::new(BOX_L, y, BOX_R - BOX_L, r.box_h);
                svg.rect(b, BOX_FILL, Some(("#33475b", 0.8)), 2.0);
                let text_h = Style::new(SIZE).height(r.name.len());
                svg.text(
                    (BOX_L + BOX_R) / 2.0,
                    mid - text_h / 2.0,
                    &r.name,
                    Style::new(SIZE).anchor(Anchor::Middle),
                );
                // New water in.
                if x.new_water > 0.0 {
                    hline(&mut svg, PIPE_IN, BOX_L, mid, NEW, None, true);
                    svg.text(
                        (PIPE_IN + BOX_L) / 2.0 + 2.0,
                        mid - 1.5 - Style::new(SIZE).height(1),
                        &[quantity(x.new_water)],
                        Style::new(SIZE).anchor(Anchor::Middle),
                    );
                    last_in = Some(mid);
                }
                // Consumption and leakage leave to the right; discharge to the main.
                for (value, dy, colour, dash, word) in [
                    (x.consumption, -LANE, CONSUMED, None, "consumed"),
                    (x.leakage, LANE, LEAK, Some("2 1.5"), "leakage"),
                ] {
                    if value > 0.0 {
                        hline(&mut svg, BOX_R, SHORT_END, mid + dy, colour, dash, true);
                        svg.text(
                            SHORT_END + 3.0,
                            mid + dy - Style::new(SIZE).height(1) / 2.0,
                            &[format!("{} {}", w.get(word), quantity(value))],
                            Style::new(SIZE),
                        );
                    }
                }
                if x.discharge > 0.0 {
                    let label = format!("{} {}", w.get("discharged"), quantity(x.discharge));
                    let lw = svg::text_width(&label, SIZE);
                    let (l, rr) = (
                        DISCHARGE_LABEL - lw / 2.0 - 2.0,
                        DISCHARGE_LABEL + lw / 2.0 + 2.0,
                    );
                    svg.line((BOX_R, mid), (PIPE_OUT, mid), DISCHARGE, 1.2, None, false);
                    svg.keep_out(Rect::new(BOX_R, mid - 1.0, l - BOX_R, 2.0));
                    svg.keep_out(Rect::new(rr, mid - 1.0, PIPE_OUT - rr, 2.0));
                    svg.text_on_white(
                        DISCHARGE_LABEL,
                        mid - Style::new(SIZE).height(1) / 2.0,
                        &[label],
                        Style::new(SIZE).anchor(Anchor::Middle),
                    );
                    first_out.get_or_insert(mid);
                    last_out = Some(mid);
                }
                // Reuse or recirculation: a loop under the box, back into it.
                if let Some((label, under)) = &r.reuse {
                    let bottom = y + r.box_h;
                    let ly = bottom + LOOP;
                    let (xr, xl) = (LOOP_R, LOOP_L);
                    svg.polyline(
                        &[(xr, bottom), (xr, ly), (xl, ly), (xl, bottom + 0.5)],
                        REUSE,
                        1.2,
                        None,
                        true,
                    );
                    let lw = svg::text_width(label, SIZE);
                    let cx = (BOX_L + BOX_R) / 2.0;
                    svg.keep_out(Rect::new(xr - 1.0, bottom + 0.5, 2.0, LOOP - 0.5));
                    svg.keep_out(Rect::new(xl - 1.0, bottom + 0.5, 2.0, LOOP - 0.5));
                    let style = Style::new(SIZE).fill(REUSE).anchor(Anchor::Middle);
                    if *under {
                        svg.keep_out(Rect::new(xl, ly - 1.0, xr - xl, 2.0));
                        svg.text(cx, ly + 2.0, std::slice::from_ref(label), style);
                    } else {
                        let (l, rr) = (cx - lw / 2.0 - 2.0, cx + lw / 2.0 + 2.0);
                        svg.keep_out(Rect::new(xl, ly - 1.0, l - xl, 2.0));
                        svg.keep_out(Rect::new(rr, ly - 1.0, xr - rr, 2.0));
                        svg.text_on_white(
                            cx,
                            ly - Style::new(SIZE).height(1) / 2.0,
                            std::slice::from_ref(label),
                            style,
                        );
                    }
                }
                y += r.height;
            }
            // The new-water main.
            if let Some(end) = last_in {
                svg.line((PIPE_IN, pipe_top), (PIPE_IN, end), NEW, 2.4, None, false);
                svg.keep_out(Rect::new(PIPE_IN - 1.5, pipe_top, 3.0, end - pipe_top));
            }
            // The discharge main, with the total at its foot on the last part.
            let foot = y + 6.0;
            if let (Some(top), Some(_)) = (first_out, last_out) {
                svg.line(
                    (PIPE_OUT, top),
                    (PIPE_OUT, foot),
                    DISCHARGE,
                    2.4,
                    None,
                    true,
                );
                svg.keep_out(Rect::new(PIPE_OUT - 1.5, top, 3.0, foot - top));
            }
            let mut bottom = foot + 2.0;
            if last {
                let total = format!(
                    "{} Vd = {}",
                    w.get("discharge_total"),
                    svg::qty(&quantity(plant.discharge), unit)
                );
                svg.text(
                    svg::WIDTH - 4.0,
                    bottom,
                    &[total],
                    Style::new(SIZE).bold().fill(DISCHARGE).anchor(Anchor::End),
                );
                bottom += Style::new(SIZE).height(1) + 6.0;
                svg.text(
                    svg::WIDTH / 2.0,
                    bottom,
                    &footer_lines,
                    Style::new(7.5).anchor(Anchor::Middle),
                );
                bottom += Style::new(7.5).height(footer_lines.len());
            }
            svg.finish(bottom + 4.0)
        })
        .collect()
}

/// The alt text: every user with its quantities.
pub fn alt(w: &Words, caption: &str, water: &WaterResult) -> String {
    let p = &water.plant.plant;
    let sep = w.get("list_sep");
    let users: Vec<String> = water
        .users
        .iter()
        .map(|u| {
            let x = &u.balance;
            format!(
                "{} {}{}{} {}, {} {}, {} {}, {} {}, {} {}",
                x.id,
                u.name.get(w.lang),
                w.get("colon"),
                w.get("new_water"),
                quantity(x.new_water),
                reuse_word(w, u.kind),
                quantity(x.reused),
                w.get("consumed"),
                quantity(x.consumption),
                w.get("discharged"),
                quantity(x.discharge),
                w.get("leakage"),
                quantity(x.leakage),
            )
        })
        .collect();
    format!(
        "{caption} ({unit}){} {} {}{sep}{}{sep}{} {}{sep}{} {}{sep}{} {}.",
        w.get("colon"),
        w.get("new_water_total"),
        quantity(p.new_water),
        users.join(&sep),
        w.get("consumed_total"),
        quantity(p.consumption),
        w.get("discharge_total"),
        quantity(p.discharge),
        w.get("leakage_total"),
        quantity(p.leakage),
        unit = water.unit,
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calc::water::{WaterBalance, WaterIndices, WaterUserBalance};
    use crate::compute::WaterUserResult;
    use crate::model::{Lang, Text};
    use crate::render::figures::svg::check_layout;

    fn user(i: usize, new: f64, reused: f64, kind: WaterUse) -> WaterUserResult {
        let consumption = new * 0.05;
        let leakage = if i.is_multiple_of(3) { 0.0 } else { new * 0.01 };
        let discharge = new - consumption - leakage;
        WaterUserResult {
            name: Text {
                zh: format!("第{i}用水单元（含化料间及管道冲洗）"),
                en: format!("Water user {i} <dyeing & rinsing> with a long name"),
            },
            kind,
            balance: WaterUserBalance {
                id: format!("W{i}"),
                new_water: new,
                reused,
                total_use: new + reused,
                consumption,
                discharge,
                leakage,
                gap: 0.0,
                relative_gap: Some(0.0),
                reuse_rate: None,
            },
        }
    }

    /// A plant with `n` users.
    pub(crate) fn water(n: usize) -> WaterResult {
        let kinds = [
            WaterUse::Process,
            WaterUse::Cooling,
            WaterUse::Boiler,
            WaterUse::Other,
        ];
        let users: Vec<WaterUserResult> = (0..n)
            .map(|i| {
                let new = 1234.5 / (i as f64 + 1.0);
                let reused = if i % 2 == 0 {
                    180.0 * (i as f64 + 1.0)
                } else {
                    0.0
                };
                user(i + 1, new, reused, kinds[i % 4])
            })
            .collect();
        let sum =
            |f: fn(&WaterUserBalance) -> f64| users.iter().map(|u| f(&u.balance)).sum::<f64>();
        let plant = WaterUserBalance {
            id: "plant".into(),
            new_water: sum(|b| b.new_water),
            reused: sum(|b| b.reused),
            total_use: sum(|b| b.total_use),
            consumption: sum(|b| b.consumption),
            discharge: sum(|b| b.discharge),
            leakage: sum(|b| b.leakage),
            gap: 0.0,
            relative_gap: Some(0.0),
            reuse_rate: None,
        };
        WaterResult {
            unit: "m³/d".into(),
            plant: WaterBalance {
                users: users.iter().map(|u| u.balance.clone()).collect(),
                plant,
                indices: WaterIndices {
                    reuse_rate: Some(0.462),
                    cooling_recirculation_rate: None,
                    process_water_reuse_rate: None,
                    condensate_return_rate: None,
                    leakage_rate: None,
                    wastewater_reuse_rate: None,
                    new_water_per_unit_product: None,
                    new_water_per_10k_cny: None,
                    domestic_new_water_per_employee_day: None,
                },
            },
            users,
        }
    }

    #[test]
    fn one_normal_and_twice_as_many_users_lay_out_without_overlap() {
        for n in [1, 9, 18] {
            for lang in Lang::ALL {
                let parts = draw(&Words::new(lang), &water(n));
                for d in &parts {
                    check_layout(d).unwrap_or_else(|e| panic!("{n} users, {lang:?}: {e}"));
                    assert!(d.height <= svg::MAX_HEIGHT + 1.0, "{} pt", d.height);
                }
                if n == 18 {
                    assert!(parts.len() >= 2);
                }
            }
        }
    }

    #[test]
    fn the_same_plant_gives_the_same_bytes() {
        let w = Words::new(Lang::En);
        let a: Vec<Vec<u8>> = draw(&w, &water(9)).into_iter().map(|d| d.svg).collect();
        let b: Vec<Vec<u8>> = draw(&w, &water(9)).into_iter().map(|d| d.svg).collect();
        assert_eq!(a, b);
    }
}

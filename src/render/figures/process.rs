//! Process flow diagrams with their pollution nodes (工艺流程及产污节点图): the steps
//! of the production line (or the unit operations of the focus) as boxes in reading
//! order, five to a row, each row continuing from the end of the one above; under each
//! box its pollution nodes, numbered per medium along the line (W1, W2 … wastewater,
//! G waste gas, S solid waste, N noise) as in the tables.

use super::svg::{self, Anchor, Drawing, Rect, Style, Svg, wrap};
use super::words::Words;
use crate::model::Medium;

/// One box of the flow.
#[derive(Debug, Clone)]
pub struct Step {
    /// Its id (`P01`, `U1`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The media it emits to, in order.
    pub emits: Vec<Medium>,
}

const COLS: usize = 5;
const MARGIN: f64 = 12.0;
const GAP: f64 = 14.0;
const BOX_W: f64 = (svg::WIDTH - 2.0 * MARGIN - (COLS as f64 - 1.0) * GAP) / COLS as f64;
const NAME: f64 = 8.0;
const ID: f64 = 7.0;
const TAG: f64 = 7.5;
const TAG_H: f64 = 11.0;
const TAG_GAP: f64 = 2.0;
const DROP: f64 = 8.0;
const LANE: f64 = 16.0;
const LINE: &str = "#33475b";

/// Every medium, in the order of the tables.
pub const MEDIA: [Medium; 4] = [
    Medium::Wastewater,
    Medium::WasteGas,
    Medium::SolidWaste,
    Medium::Noise,
];

/// The code letter of a medium.
pub fn code(m: Medium) -> &'static str {
    match m {
        Medium::Wastewater => "W",
        Medium::WasteGas => "G",
        Medium::SolidWaste => "S",
        Medium::Noise => "N",
    }
}

/// The colour of a medium's tags.
pub fn colour(m: Medium) -> &'static str {
    match m {
        Medium::Wastewater => "#2f6fb0",
        Medium::WasteGas => "#6b5fa8",
        Medium::SolidWaste => "#8a5a2b",
        Medium::Noise => "#555555",
    }
}

/// The name of a medium.
pub fn medium_name(w: &Words, m: Medium) -> String {
    w.get(match m {
        Medium::Wastewater => "medium_wastewater",
        Medium::WasteGas => "medium_waste_gas",
        Medium::SolidWaste => "medium_solid_waste",
        Medium::Noise => "medium_noise",
    })
}

/// The node labels of every step (`W1`, `G2`), numbered per medium along the line.
pub fn node_labels(steps: &[Step]) -> Vec<Vec<(Medium, String)>> {
    let mut count = [0usize; 4];
    steps
        .iter()
        .map(|s| {
            let mut seen: Vec<Medium> = Vec::new();
            s.emits
                .iter()
                .filter(|m| {
                    let new = !seen.contains(m);
                    seen.push(**m);
                    new
                })
                .map(|m| {
                    let i = MEDIA.iter().position(|x| x == m).unwrap_or(0);
                    count[i] += 1;
                    (*m, format!("{}{}", code(*m), count[i]))
                })
                .collect()
        })
        .collect()
}

fn tag_w(label: &str) -> f64 {
    svg::text_width(label, TAG) + 6.0
}

/// Tags under a box, as lines that fit its width.
fn tag_lines(tags: &[(Medium, String)]) -> Vec<Vec<(Medium, String)>> {
    let mut lines: Vec<Vec<(Medium, String)>> = Vec::new();
    let mut width = 0.0;
    for t in tags {
        let w = tag_w(&t.1);
        match lines.last_mut() {
            Some(line) if width + TAG_GAP + w <= BOX_W => {
                line.push(t.clone());
                width += TAG_GAP + w;
            }
            _ => {
                lines.push(vec![t.clone()]);
                width = w;
            }
        }
    }
    lines
}

/// Draws the flow.
pub fn draw(w: &Words, steps: &[Step]) -> Drawing {
    let mut svg = Svg::new();
    let labels = node_labels(steps);
    let names: Vec<Vec<String>> = steps
        .iter()
        .map(|s| wrap(&s.name, BOX_W - 6.0, NAME))
        .collect();
    let mut y = 6.0;
    let rows: Vec<Vec<usize>> = (0..steps.len())
        .collect::<Vec<_>>()
        .chunks(COLS)
        .map(|c| c.to_vec())
        .collect();
    let mut previous: Option<(f64, f64)> = None; // (right edge x, mid y) of the last box
    for (r, row) in rows.iter().enumerate() {
        let box_h = row
            .iter()
            .map(|&i| Style::new(ID).height(1) + Style::new(NAME).height(names[i].len()) + 8.0)
            .fold(0.0, f64::max);
        let tag_rows = row
            .iter()
            .map(|&i| tag_lines(&labels[i]).len())
            .max()
            .unwrap_or(0);
        let mid = y + box_h / 2.0;
        // The connector from the row above: down its right margin, back along the lane
        // under it, down the left margin and into the first box.
        if let Some((px, py)) = previous
            && r > 0
        {
            let lane = y - LANE / 2.0 - 1.0;
            let (xr, xl) = (svg::WIDTH - 5.0, 5.0);
            svg.polyline(
                &[
                    (px, py),
                    (xr, py),
                    (xr, lane),
                    (xl, lane),
                    (xl, mid),
                    (MARGIN, mid),
                ],
                LINE,
                1.0,
                None,
                true,
            );
            svg.keep_out(Rect::new(px, py - 0.8, xr - px, 1.6));
            svg.keep_out(Rect::new(xr - 0.8, py, 1.6, lane - py));
            svg.keep_out(Rect::new(xl, lane - 0.8, xr - xl, 1.6));
            svg.keep_out(Rect::new(xl - 0.8, lane, 1.6, mid - lane));
        }
        for (c, &i) in row.iter().enumerate() {
            let x = MARGIN + c as f64 * (BOX_W + GAP);
            let b = Rect::new(x, y, BOX_W, box_h);
            svg.rect(b, "#f4f6f8", Some((LINE, 0.8)), 2.0);
            let text_h = Style::new(ID).height(1) + Style::new(NAME).height(names[i].len());
            let top = mid - text_h / 2.0;
            svg.text(
                x + BOX_W / 2.0,
                top,
                std::slice::from_ref(&steps[i].id),
                Style::new(ID).fill(svg::GREY).anchor(Anchor::Middle),
            );
            svg.text(
                x + BOX_W / 2.0,
                top + Style::new(ID).height(1),
                &names[i],
                Style::new(NAME).anchor(Anchor::Middle),
            );
            if c > 0 {
                let from = x - GAP;
                svg.line((from, mid), (x, mid), LINE, 1.0, None, true);
                svg.keep_out(Rect::new(from, mid - 0.8, GAP, 1.6));
            }
            // Pollution nodes.
            let lines = tag_lines(&labels[i]);
            if !lines.is_empty() {
                let cx = x + BOX_W / 2.0;
                svg.line(
                    (cx, y + box_h),
                    (cx, y + box_h + DROP),
                    "#9b1c1c",
                    0.9,
                    None,
                    true,
                );
                svg.keep_out(Rect::new(cx - 0.6, y + box_h, 1.2, DROP));
                for (l, line) in lines.iter().enumerate() {
                    let total: f64 = line.iter().map(|t| tag_w(&t.1)).sum::<f64>()
                        + TAG_GAP * (line.len() as f64 - 1.0);
                    let mut tx = cx - total / 2.0;
                    let ty = y + box_h + DROP + l as f64 * (TAG_H + TAG_GAP);
                    for (m, label) in line {
                        let tw = tag_w(label);
                        svg.rect(Rect::new(tx, ty, tw, TAG_H), colour(*m), None, 2.0);
                        svg.text(
                            tx + tw / 2.0,
                            ty + (TAG_H - Style::new(TAG).height(1)) / 2.0,
                            std::slice::from_ref(label),
                            Style::new(TAG)
                                .bold()
                                .fill("#ffffff")
                                .anchor(Anchor::Middle),
                        );
                        tx += tw + TAG_GAP;
                    }
                }
            }
            previous = Some((x + BOX_W, mid));
        }
        y += box_h
            + if tag_rows > 0 {
                DROP + tag_rows as f64 * (TAG_H + TAG_GAP)
            } else {
                0.0
            }
            + LANE;
    }
    // Key to the media present.
    let present: Vec<Medium> = MEDIA
        .into_iter()
        .filter(|m| steps.iter().any(|s| s.emits.contains(m)))
        .collect();
    let mut x = MARGIN;
    let size = 7.5;
    let line_h = Style::new(size).height(1);
    let mut bottom = y;
    if !present.is_empty() {
        let key = format!("{}{}", w.get("legend"), w.get("colon"));
        svg.text(x, y, std::slice::from_ref(&key), Style::new(size));
        x += svg::text_width(&key, size) + 4.0;
        for m in present {
            let label = medium_name(w, m);
            let tw = tag_w(code(m));
            let need = tw + 3.0 + svg::text_width(&label, size) + 10.0;
            if x + need > svg::WIDTH - MARGIN {
                x = MARGIN;
                bottom += line_h + 3.0;
            }
            let ty = bottom + (line_h - TAG_H) / 2.0;
            svg.rect(Rect::new(x, ty, tw, TAG_H), colour(m), None, 2.0);
            svg.text(
                x + tw / 2.0,
                ty + (TAG_H - Style::new(TAG).height(1)) / 2.0,
                &[code(m).to_string()],
                Style::new(TAG)
                    .bold()
                    .fill("#ffffff")
                    .anchor(Anchor::Middle),
            );
            svg.text(x + tw + 3.0, bottom, &[label], Style::new(size));
            x += need;
        }
        bottom += line_h;
    } else {
        bottom -= LANE - 4.0;
    }
    svg.finish(bottom + 4.0)
}

/// The alt text: the steps in order with their pollution nodes.
pub fn alt(w: &Words, caption: &str, steps: &[Step]) -> String {
    let labels = node_labels(steps);
    let parts: Vec<String> = steps
        .iter()
        .zip(&labels)
        .map(|(s, l)| {
            if l.is_empty() {
                format!("{} {}", s.id, s.name)
            } else {
                let nodes: Vec<String> = l
                    .iter()
                    .map(|(m, label)| format!("{label} {}", medium_name(w, *m)))
                    .collect();
                let (open, close) = if w.zh() { ("（", "）") } else { (" (", ")") };
                format!(
                    "{} {}{open}{}{close}",
                    s.id,
                    s.name,
                    nodes.join(&w.get("enum_sep"))
                )
            }
        })
        .collect();
    format!("{caption}{}{}", w.get("colon"), parts.join(" → "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::render::figures::svg::check_layout;

    pub(crate) fn steps(n: usize) -> Vec<Step> {
        (0..n)
            .map(|i| Step {
                id: format!("P{:02}", i + 1),
                name: if i % 3 == 0 {
                    "Pre-shrinking, inspection and packing of the finished fabric".into()
                } else {
                    format!("染色/印花{i}")
                },
                emits: MEDIA.iter().copied().take(i % 5).collect(),
            })
            .collect()
    }

    #[test]
    fn nodes_are_numbered_per_medium_along_the_line() {
        let s = steps(4);
        let l = node_labels(&s);
        assert!(l[0].is_empty());
        assert_eq!(l[1], vec![(Medium::Wastewater, "W1".to_string())]);
        assert_eq!(l[2][0].1, "W2");
        assert_eq!(l[2][1].1, "G1");
    }

    #[test]
    fn one_ten_and_twenty_steps_lay_out_without_overlap() {
        for n in [1, 10, 20] {
            for lang in Lang::ALL {
                let d = draw(&Words::new(lang), &steps(n));
                check_layout(&d).unwrap_or_else(|e| panic!("{n} steps: {e}"));
                assert!(d.height <= svg::MAX_HEIGHT, "{} pt", d.height);
            }
        }
    }

    #[test]
    fn the_same_steps_give_the_same_bytes() {
        let w = Words::new(Lang::Zh);
        assert_eq!(draw(&w, &steps(10)).svg, draw(&w, &steps(10)).svg);
    }
}

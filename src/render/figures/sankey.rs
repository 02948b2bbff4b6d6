//! A one-node Sankey diagram: flows in on the left, one node, flows out on the right,
//! each band as thick as its flow. The material balances and the energy flow use it.
//!
//! Layout: the labels stand in two columns at the edges, one slot per flow, each slot as
//! tall as its label or its band, whichever is taller; the bands run from their slot to
//! the node, stacked there in the same order, so no two bands cross (both ends are in
//! the same order and each edge follows the same S curve). A flow too small to see is
//! drawn at a minimum thickness; its label gives the exact figure. The scale is chosen
//! so that the whole diagram fits on a page.

use super::svg::{self, Anchor, Drawing, Rect, Style, Svg, n, wrap};

/// One flow into or out of the node.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Its name (wrapped to the label column).
    pub name: String,
    /// The line under the name: id, quantity and unit.
    pub detail: String,
    /// The quantity the band's thickness stands for (negative is drawn as zero).
    pub value: f64,
    /// Band colour.
    pub fill: &'static str,
    /// Drawn with a dashed outline and no fill (an unaccounted difference).
    pub dashed: bool,
}

/// A diagram to draw.
#[derive(Debug, Clone)]
pub struct Sankey {
    /// The node's label, above it.
    pub node: String,
    /// Flows in, top to bottom.
    pub inputs: Vec<Flow>,
    /// Flows out, top to bottom.
    pub outputs: Vec<Flow>,
    /// Lines of text under the diagram (totals).
    pub footer: Vec<String>,
    /// Colour key: colour and meaning.
    pub legend: Vec<(&'static str, String)>,
}

const NODE_W: f64 = 14.0;
const NODE_X: f64 = svg::WIDTH / 2.0 - NODE_W / 2.0;
/// Where the node stands when nothing flows out: towards the right, its label beside it.
const SINK_X: f64 = svg::WIDTH - 140.0;
const ARROW: f64 = 5.0;
/// Gap between label slots.
const GAP: f64 = 4.0;
/// The thinnest band drawn.
const MIN_BAND: f64 = 1.2;
const NODE_LABEL: f64 = 8.5;
/// Colour of the node.
const NODE_FILL: &str = "#444444";
/// Outline of an unaccounted difference.
pub const DASHED: &str = "#7a7a7a";

/// Label sizes and the width of the label columns: the first that fits the page is
/// used, so a diagram with many flows gets smaller (never below 7 pt) and wider labels.
#[derive(Debug, Clone, Copy)]
struct Fit {
    name: f64,
    detail: f64,
    label_w: f64,
    /// The detail (id and quantity) leads the name in one paragraph instead of
    /// standing on a line of its own.
    joined: bool,
}

const FITS: [Fit; 5] = [
    Fit {
        name: 8.0,
        detail: 7.5,
        label_w: 130.0,
        joined: false,
    },
    Fit {
        name: 7.5,
        detail: 7.0,
        label_w: 142.0,
        joined: false,
    },
    Fit {
        name: 7.0,
        detail: 7.0,
        label_w: 152.0,
        joined: false,
    },
    Fit {
        name: 7.5,
        detail: 7.5,
        label_w: 142.0,
        joined: true,
    },
    Fit {
        name: 7.0,
        detail: 7.0,
        label_w: 152.0,
        joined: true,
    },
];

impl Fit {
    /// Where the left bands start.
    fn band_in(&self) -> f64 {
        self.label_w + 5.0
    }

    /// Where the right bands end (their arrowheads follow).
    fn band_out(&self) -> f64 {
        svg::WIDTH - self.label_w - 12.0
    }
}

struct Slot {
    name: Vec<String>,
    detail: Vec<String>,
    label_h: f64,
}

fn slot(f: &Flow, fit: Fit) -> Slot {
    let (name, detail) = if fit.joined {
        let text = format!("{} {}", f.detail, f.name);
        (wrap(&text, fit.label_w, fit.name), Vec::new())
    } else {
        (
            wrap(&f.name, fit.label_w, fit.name),
            wrap(&f.detail, fit.label_w, fit.detail),
        )
    };
    let label_h =
        Style::new(fit.name).height(name.len()) + Style::new(fit.detail).height(detail.len());
    Slot {
        name,
        detail,
        label_h,
    }
}

fn thickness(v: f64, k: f64) -> f64 {
    (v.max(0.0) * k).max(MIN_BAND)
}

fn column(flows: &[Flow], slots: &[Slot], k: f64) -> f64 {
    let n = flows.len();
    flows
        .iter()
        .zip(slots)
        .map(|(f, s)| s.label_h.max(thickness(f.value, k)))
        .sum::<f64>()
        + GAP * n.saturating_sub(1) as f64
}

fn stack(flows: &[Flow], k: f64) -> f64 {
    flows.iter().map(|f| thickness(f.value, k)).sum()
}

/// Lays out a legend of colour swatches across the width from `top`; returns its bottom.
pub fn legend(svg: &mut Svg, top: f64, items: &[(&'static str, String)], dashed: &[usize]) -> f64 {
    if items.is_empty() {
        return top;
    }
    let size = 7.5;
    let line_h = Style::new(size).height(1);
    let (mut x, mut y) = (10.0, top);
    let right = svg.width() - 10.0;
    for (i, (colour, label)) in items.iter().enumerate() {
        let w = 12.0 + svg::text_width(label, size) + 12.0;
        if x + w > right && x > 10.0 {
            x = 10.0;
            y += line_h + 2.0;
        }
        let swatch = Rect::new(x, y + (line_h - 7.0) / 2.0, 9.0, 7.0);
        if dashed.contains(&i) {
            svg.rect(swatch, "#ffffff", Some((DASHED, 0.8)), 0.0);
        } else {
            svg.rect(swatch, colour, None, 0.0);
        }
        svg.text(x + 12.0, y, std::slice::from_ref(label), Style::new(size));
        x += w;
    }
    y + line_h
}

/// Draws the diagram.
pub fn draw(s: &Sankey) -> Drawing {
    let max_total = s
        .inputs
        .iter()
        .map(|f| f.value.max(0.0))
        .sum::<f64>()
        .max(s.outputs.iter().map(|f| f.value.max(0.0)).sum::<f64>());
    let footer_lines: Vec<String> = s
        .footer
        .iter()
        .flat_map(|l| wrap(l, svg::WIDTH - 20.0, 7.5))
        .collect();
    let top = 4.0;
    let count = s.inputs.len().max(s.outputs.len()).max(1) as f64;
    let target = (26.0 * count).clamp(60.0, 220.0);

    // The first fit whose columns stand within the page, scaled so that the node is
    // about as tall as the labels beside it, shrunk until the tallest column fits.
    let sink = s.outputs.is_empty() && !s.inputs.is_empty();
    let node_x = if sink { SINK_X } else { NODE_X };
    let mut chosen = None;
    for (i, fit) in FITS.iter().enumerate() {
        let in_slots: Vec<Slot> = s.inputs.iter().map(|f| slot(f, *fit)).collect();
        let out_slots: Vec<Slot> = s.outputs.iter().map(|f| slot(f, *fit)).collect();
        let (node_lines, y0) = if sink {
            (
                wrap(&s.node, svg::WIDTH - SINK_X - NODE_W - 10.0, NODE_LABEL),
                top + 4.0,
            )
        } else {
            let lines = wrap(&s.node, fit.band_out() - fit.band_in() - 20.0, NODE_LABEL);
            let y0 = top + Style::new(NODE_LABEL).height(lines.len()) + 6.0;
            (lines, y0)
        };
        let reserve = y0 + Style::new(7.5).height(footer_lines.len()) + 40.0;
        let budget = (svg::MAX_HEIGHT - reserve).max(60.0);
        let content = |k: f64| {
            column(&s.inputs, &in_slots, k)
                .max(column(&s.outputs, &out_slots, k))
                .max(stack(&s.inputs, k))
                .max(stack(&s.outputs, k))
        };
        let mut k = if max_total > 0.0 {
            target / max_total
        } else {
            0.0
        };
        while content(k) > budget && k > 1e-12 {
            k *= 0.9;
        }
        let fits = content(k) <= budget;
        if fits || i + 1 == FITS.len() {
            chosen = Some((*fit, in_slots, out_slots, node_lines, y0, k));
            break;
        }
    }
    let Some((fit, in_slots, out_slots, node_lines, y0, k)) = chosen else {
        unreachable!("the last fit is always chosen")
    };
    let (band_in, band_out) = (fit.band_in(), fit.band_out());
    let c = column(&s.inputs, &in_slots, k)
        .max(column(&s.outputs, &out_slots, k))
        .max(stack(&s.inputs, k))
        .max(stack(&s.outputs, k));
    let node_h = stack(&s.inputs, k).max(stack(&s.outputs, k));
    let node_y = y0 + (c - node_h) / 2.0;

    let mut svg = Svg::new();
    if sink {
        let h = Style::new(NODE_LABEL).height(node_lines.len());
        svg.text(
            node_x + NODE_W + 6.0,
            node_y + node_h / 2.0 - h / 2.0,
            &node_lines,
            Style::new(NODE_LABEL).bold(),
        );
    } else {
        svg.text(
            svg::WIDTH / 2.0,
            top,
            &node_lines,
            Style::new(NODE_LABEL).bold().anchor(Anchor::Middle),
        );
    }

    for (side, flows, slots) in [(0, &s.inputs, &in_slots), (1, &s.outputs, &out_slots)] {
        let col_h = column(flows, slots, k);
        let mut y = y0 + (c - col_h) / 2.0;
        let st = stack(flows, k);
        let mut at_node = node_y + (node_h - st) / 2.0;
        for (f, sl) in flows.iter().zip(slots.iter()) {
            let t = thickness(f.value, k);
            let slot_h = sl.label_h.max(t);
            let centre = y + slot_h / 2.0;
            let a = centre - t / 2.0;
            let b = at_node;
            let (x_label, x_node, anchor, lx) = if side == 0 {
                (band_in, node_x, Anchor::End, band_in - 5.0)
            } else {
                (
                    band_out,
                    node_x + NODE_W,
                    Anchor::Start,
                    band_out + ARROW + 3.0,
                )
            };
            let xm = (x_label + x_node) / 2.0;
            let d = format!(
                "M{} {} C{} {} {} {} {} {} L{} {} C{} {} {} {} {} {} Z",
                n(x_label),
                n(a),
                n(xm),
                n(a),
                n(xm),
                n(b),
                n(x_node),
                n(b),
                n(x_node),
                n(b + t),
                n(xm),
                n(b + t),
                n(xm),
                n(a + t),
                n(x_label),
                n(a + t)
            );
            if f.dashed {
                svg.fill_path(&d, "#ffffff", Some((DASHED, 0.7, Some("2.5 1.5"))));
            } else {
                svg.fill_path(&d, f.fill, None);
            }
            let (x_min, x_max) = if side == 0 {
                (x_label, x_node)
            } else {
                (x_node, x_label)
            };
            svg.keep_out(Rect::new(
                x_min,
                a.min(b),
                x_max - x_min,
                (a.max(b) + t) - a.min(b),
            ));
            if side == 1 {
                let head = format!(
                    "M{} {} L{} {} L{} {} Z",
                    n(band_out),
                    n(a - 1.0),
                    n(band_out + ARROW),
                    n(centre),
                    n(band_out),
                    n(a + t + 1.0)
                );
                svg.fill_path(&head, if f.dashed { DASHED } else { f.fill }, None);
                svg.keep_out(Rect::new(band_out, a - 1.0, ARROW, t + 2.0));
            }
            let label_top = centre - sl.label_h / 2.0;
            svg.text(lx, label_top, &sl.name, Style::new(fit.name).anchor(anchor));
            if !sl.detail.is_empty() {
                svg.text(
                    lx,
                    label_top + Style::new(fit.name).height(sl.name.len()),
                    &sl.detail,
                    Style::new(fit.detail).bold().fill(svg::GREY).anchor(anchor),
                );
            }
            y += slot_h + GAP;
            at_node += t;
        }
    }
    let node = Rect::new(node_x, node_y, NODE_W, node_h.max(MIN_BAND));
    svg.rect(node, NODE_FILL, None, 0.0);
    svg.keep_out(node);

    let mut y = y0 + c + 10.0;
    if !footer_lines.is_empty() {
        svg.text(
            svg::WIDTH / 2.0,
            y,
            &footer_lines,
            Style::new(7.5).anchor(Anchor::Middle),
        );
        y += Style::new(7.5).height(footer_lines.len()) + 6.0;
    }
    let dashed: Vec<usize> = s
        .legend
        .iter()
        .enumerate()
        .filter(|(_, (c, _))| *c == DASHED)
        .map(|(i, _)| i)
        .collect();
    let bottom = legend(&mut svg, y, &s.legend, &dashed);
    svg.finish(bottom + 4.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(name: &str, v: f64) -> Flow {
        Flow {
            name: name.into(),
            detail: format!("{v:.3} t"),
            value: v,
            fill: "#6fa8dc",
            dashed: false,
        }
    }

    #[test]
    fn a_diagram_with_one_flow_each_way_is_laid_out_cleanly() {
        let d = draw(&Sankey {
            node: "U1".into(),
            inputs: vec![flow("in", 1.0)],
            outputs: vec![flow("out", 1.0)],
            footer: vec!["Σ 1.000 t".into()],
            legend: vec![("#6fa8dc", "water".into())],
        });
        svg::check_layout(&d).unwrap();
    }

    #[test]
    fn an_empty_diagram_still_draws() {
        let d = draw(&Sankey {
            node: "U1".into(),
            inputs: vec![],
            outputs: vec![],
            footer: vec![],
            legend: vec![],
        });
        svg::check_layout(&d).unwrap();
        assert!(d.height > 0.0);
    }

    #[test]
    fn forty_flows_a_side_do_not_overlap() {
        let inputs: Vec<Flow> = (0..40)
            .map(|i| flow(&format!("input stream number {i}"), 1.0 + i as f64))
            .collect();
        let d = draw(&Sankey {
            node: "focus".into(),
            inputs: inputs.clone(),
            outputs: inputs,
            footer: vec![],
            legend: vec![],
        });
        svg::check_layout(&d).unwrap();
    }
}

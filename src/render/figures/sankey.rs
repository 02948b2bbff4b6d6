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

/// Width of each label column.
const LABEL_W: f64 = 130.0;
/// Where the left bands start and the right bands end.
const BAND_IN: f64 = LABEL_W + 5.0;
const NODE_W: f64 = 14.0;
const NODE_X: f64 = svg::WIDTH / 2.0 - NODE_W / 2.0;
const BAND_OUT: f64 = svg::WIDTH - LABEL_W - 12.0;
const ARROW: f64 = 5.0;
/// Gap between label slots.
const GAP: f64 = 4.0;
/// The thinnest band drawn.
const MIN_BAND: f64 = 1.2;
const NAME: f64 = 8.0;
const DETAIL: f64 = 7.5;
const NODE_LABEL: f64 = 8.5;
/// Colour of the node.
const NODE_FILL: &str = "#444444";
/// Outline of an unaccounted difference.
pub const DASHED: &str = "#7a7a7a";

struct Slot {
    name: Vec<String>,
    detail: Vec<String>,
    label_h: f64,
}

fn slot(f: &Flow) -> Slot {
    let name = wrap(&f.name, LABEL_W, NAME);
    let detail = wrap(&f.detail, LABEL_W, DETAIL);
    let label_h = Style::new(NAME).height(name.len()) + Style::new(DETAIL).height(detail.len());
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
    let mut svg = Svg::new();
    let in_slots: Vec<Slot> = s.inputs.iter().map(slot).collect();
    let out_slots: Vec<Slot> = s.outputs.iter().map(slot).collect();
    let max_total = s
        .inputs
        .iter()
        .map(|f| f.value.max(0.0))
        .sum::<f64>()
        .max(s.outputs.iter().map(|f| f.value.max(0.0)).sum::<f64>());

    // Node label on top, centred between the label columns.
    let node_lines = wrap(&s.node, BAND_OUT - BAND_IN - 20.0, NODE_LABEL);
    let top = 4.0;
    let node_label_h = Style::new(NODE_LABEL).height(node_lines.len());
    let y0 = top + node_label_h + 6.0;

    let footer_lines: Vec<String> = s
        .footer
        .iter()
        .flat_map(|l| wrap(l, svg::WIDTH - 20.0, 7.5))
        .collect();
    let reserve = y0 + Style::new(7.5).height(footer_lines.len()) + 40.0;
    let budget = (svg::MAX_HEIGHT - reserve).max(60.0);

    // Scale: aim at a node about as tall as the labels beside it, then shrink until the
    // tallest column fits the budget.
    let n = s.inputs.len().max(s.outputs.len()).max(1) as f64;
    let target = (26.0 * n).clamp(60.0, 220.0);
    let mut k = if max_total > 0.0 {
        target / max_total
    } else {
        0.0
    };
    let content = |k: f64| {
        column(&s.inputs, &in_slots, k)
            .max(column(&s.outputs, &out_slots, k))
            .max(stack(&s.inputs, k))
            .max(stack(&s.outputs, k))
    };
    while content(k) > budget && k > 1e-12 {
        k *= 0.9;
    }
    let c = content(k);
    let node_h = stack(&s.inputs, k).max(stack(&s.outputs, k));
    let node_y = y0 + (c - node_h) / 2.0;

    svg.text(
        svg::WIDTH / 2.0,
        top,
        &node_lines,
        Style::new(NODE_LABEL).bold().anchor(Anchor::Middle),
    );

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
                (BAND_IN, NODE_X, Anchor::End, BAND_IN - 5.0)
            } else {
                (BAND_OUT, NODE_X + NODE_W, Anchor::Start, BAND_OUT + ARROW + 3.0)
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
            svg.keep_out(Rect::new(x_min, a.min(b), x_max - x_min, (a.max(b) + t) - a.min(b)));
            if side == 1 {
                let head = format!(
                    "M{} {} L{} {} L{} {} Z",
                    n(BAND_OUT),
                    n(a - 1.0),
                    n(BAND_OUT + ARROW),
                    n(centre),
                    n(BAND_OUT),
                    n(a + t + 1.0)
                );
                svg.fill_path(&head, if f.dashed { DASHED } else { f.fill }, None);
                svg.keep_out(Rect::new(BAND_OUT, a - 1.0, ARROW, t + 2.0));
            }
            let label_top = centre - sl.label_h / 2.0;
            svg.text(lx, label_top, &sl.name, Style::new(NAME).anchor(anchor));
            svg.text(
                lx,
                label_top + Style::new(NAME).height(sl.name.len()),
                &sl.detail,
                Style::new(DETAIL).bold().fill(svg::GREY).anchor(anchor),
            );
            y += slot_h + GAP;
            at_node += t;
        }
    }
    let node = Rect::new(NODE_X, node_y, NODE_W, node_h.max(MIN_BAND));
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

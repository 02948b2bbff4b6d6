//! Material balance diagrams (物料平衡图): the focus and each unit operation as a
//! Sankey diagram, inputs on the left, products, waste streams and losses on the right,
//! every band labelled with its stream, its id and its batch mean, and the difference
//! Σin − Σout drawn as a dashed band so that the node balances. The numbers are
//! formatted exactly as in the balance tables (three decimals).

use super::sankey::{self, DASHED, Flow, Sankey};
use super::svg::{Drawing, qty};
use super::words::Words;
use crate::calc::balance::{Balance, StreamKind, StreamValue};
use crate::model::Text;
use crate::quantity::format_number;
use std::collections::BTreeMap;

/// Decimals of every quantity on the diagram (as in the balance tables).
pub const DIGITS: usize = 3;

/// Colour of a stream kind.
pub fn colour(kind: StreamKind) -> &'static str {
    match kind {
        StreamKind::RawMaterial => "#c4a067",
        StreamKind::AuxiliaryMaterial => "#c5a3d3",
        StreamKind::Water => "#8fbde6",
        StreamKind::Steam => "#c9dff2",
        StreamKind::Product => "#78b35a",
        StreamKind::ByProduct => "#b4d79f",
        StreamKind::Wastewater => "#4a8ccc",
        StreamKind::WasteGas => "#a9a9cc",
        StreamKind::SolidWaste => "#9c7a5c",
        StreamKind::Loss => "#e99b4c",
        StreamKind::StockChange => "#d5d5d5",
        StreamKind::Internal => "#bdbdbd",
    }
}

/// The strings.yaml key of a stream kind's name.
fn kind_key(kind: StreamKind) -> String {
    let json = serde_json::to_value(kind).unwrap_or_default();
    format!("skind_{}", json.as_str().unwrap_or("loss"))
}

/// The name of a stream kind in the figure's language.
pub fn kind_name(w: &Words, kind: StreamKind) -> String {
    let key = kind_key(kind);
    w.find(&key)
        .unwrap_or_else(|| key.trim_start_matches("skind_").replace('_', " "))
}

/// What a balance diagram is drawn from.
pub struct BalanceFigure<'a> {
    /// The node's name (`U3 预烘、轧碱及汽蒸固色`, or the focus).
    pub node: String,
    /// The balance.
    pub balance: &'a Balance,
    /// Stream names by id.
    pub names: &'a BTreeMap<String, Text>,
    /// Unit of every quantity (`t`).
    pub unit: &'a str,
}

/// A quantity as printed on the diagram and in the tables.
pub fn quantity(x: f64) -> String {
    format_number(x, DIGITS)
}

fn stream_flow(w: &Words, f: &BalanceFigure, v: &StreamValue) -> Flow {
    let name = f
        .names
        .get(&v.id)
        .map(|t| t.get(w.lang).to_string())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| v.id.clone());
    Flow {
        name,
        detail: format!("{} · {}", v.id, qty(&quantity(v.mean), f.unit)),
        value: v.mean,
        fill: colour(v.kind),
        dashed: false,
    }
}

/// Whether the difference prints as something other than zero.
fn shows(x: f64) -> bool {
    quantity(x.abs())
        .chars()
        .any(|c| c.is_ascii_digit() && c != '0')
}

/// The diagram as a Sankey.
pub fn sankey(w: &Words, f: &BalanceFigure) -> Sankey {
    let b = f.balance;
    let mut inputs: Vec<Flow> = b.inputs.iter().map(|v| stream_flow(w, f, v)).collect();
    let mut outputs: Vec<Flow> = b.outputs.iter().map(|v| stream_flow(w, f, v)).collect();
    let per = format!("{}{}", f.unit, w.get("per_batch"));
    if shows(b.difference) {
        let diff = Flow {
            name: if b.difference > 0.0 {
                w.get("unaccounted")
            } else {
                w.get("excess_out")
            },
            detail: format!("Σin − Σout = {}", qty(&quantity(b.difference), f.unit)),
            value: b.difference.abs(),
            fill: DASHED,
            dashed: true,
        };
        if b.difference > 0.0 {
            outputs.push(diff);
        } else {
            inputs.push(diff);
        }
    }
    let mut footer = format!(
        "{} {}{}{} {}{}{} {}",
        w.get("total_in"),
        qty(&quantity(b.total_in), &per),
        w.get("list_sep"),
        w.get("total_out"),
        qty(&quantity(b.total_out), &per),
        w.get("list_sep"),
        w.get("difference"),
        qty(&quantity(b.difference), &per),
    );
    if let Some(e) = b.closure_error {
        footer.push_str(&format!(
            "（{} {}%）",
            w.get("closure"),
            format_number(e * 100.0, 2)
        ));
        if !w.zh() {
            footer = footer.replace('（', " (").replace('）', ")");
        }
    }
    let mut kinds: Vec<StreamKind> = b.inputs.iter().chain(&b.outputs).map(|v| v.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut legend: Vec<(&'static str, String)> = kinds
        .into_iter()
        .map(|k| (colour(k), kind_name(w, k)))
        .collect();
    if shows(b.difference) {
        legend.push((DASHED, w.get("unaccounted")));
    }
    Sankey {
        node: f.node.clone(),
        inputs,
        outputs,
        footer: vec![footer],
        legend,
    }
}

/// Draws a balance diagram.
pub fn draw(w: &Words, f: &BalanceFigure) -> Drawing {
    sankey::draw(&sankey(w, f))
}

/// The alt text: every flow with its quantity.
pub fn alt(w: &Words, caption: &str, f: &BalanceFigure) -> String {
    let s = sankey(w, f);
    let side = |flows: &[Flow]| {
        flows
            .iter()
            .map(|x| format!("{} {}", x.name, x.detail))
            .collect::<Vec<_>>()
            .join(&w.get("list_sep"))
    };
    let (i, o) = if w.zh() {
        ("输入", "输出")
    } else {
        ("in", "out")
    };
    format!(
        "{}{}{} — {}{}{}{} {}{}{}. {}",
        caption,
        w.get("colon"),
        f.node,
        i,
        w.get("colon"),
        side(&s.inputs),
        w.get("list_sep"),
        o,
        w.get("colon"),
        side(&s.outputs),
        s.footer.join(" ")
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calc::balance::BalanceScope;
    use crate::model::Lang;
    use crate::render::figures::svg::check_layout;

    fn value(id: &str, kind: StreamKind, mean: f64) -> StreamValue {
        StreamValue {
            id: id.into(),
            kind,
            mean,
            batches: vec![mean],
            batch_count: 1,
        }
    }

    /// A balance with `n` streams each way, one of them dominant, with long names.
    pub(crate) fn balance(n: usize) -> (Balance, BTreeMap<String, Text>) {
        let kinds_in = [
            StreamKind::Water,
            StreamKind::RawMaterial,
            StreamKind::AuxiliaryMaterial,
        ];
        let kinds_out = [
            StreamKind::Wastewater,
            StreamKind::Product,
            StreamKind::WasteGas,
            StreamKind::SolidWaste,
            StreamKind::Loss,
        ];
        let mut names = BTreeMap::new();
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for i in 0..n {
            let v = if i == 0 {
                95.833
            } else {
                0.04 * (i as f64) + 0.01
            };
            let id = format!("S{:02}", i + 1);
            inputs.push(value(&id, kinds_in[i % 3], v));
            names.insert(
                id,
                Text {
                    zh: format!("第{i}号进料：轧槽换批残液及管道冲洗水"),
                    en: format!("Input {i}: residual pad liquor & <pipe> rinsing water"),
                },
            );
            let id = format!("T{:02}", i + 1);
            outputs.push(value(&id, kinds_out[i % 5], v * 0.98));
            names.insert(
                id,
                Text {
                    zh: format!("出料{i}"),
                    en: format!("Output stream {i}, \"estimated\""),
                },
            );
        }
        let total_in: f64 = inputs.iter().map(|v| v.mean).sum();
        let total_out: f64 = outputs.iter().map(|v| v.mean).sum();
        (
            Balance {
                scope: BalanceScope::Focus,
                inputs,
                outputs,
                input_by_kind: vec![],
                output_by_kind: vec![],
                total_in,
                total_out,
                difference: total_in - total_out,
                closure_error: Some((total_in - total_out) / total_in),
                tolerance: 0.05,
                within_tolerance: Some(true),
            },
            names,
        )
    }

    #[test]
    fn one_normal_and_twice_as_many_streams_lay_out_without_overlap() {
        for n in [1, 11, 22] {
            let (b, names) = balance(n);
            for lang in Lang::ALL {
                let w = Words::new(lang);
                let f = BalanceFigure {
                    node: "U3 预烘、轧碱及汽蒸固色 Pre-drying, chemical padding and steam fixation"
                        .into(),
                    balance: &b,
                    names: &names,
                    unit: "t",
                };
                let d = draw(&w, &f);
                check_layout(&d).unwrap_or_else(|e| panic!("{n} streams, {lang:?}: {e}"));
                assert!(
                    d.height <= crate::render::figures::svg::MAX_HEIGHT,
                    "{n} streams, {lang:?}: {} pt tall",
                    d.height
                );
                // Every stream's quantity is printed.
                for v in b.inputs.iter().chain(&b.outputs) {
                    let q = quantity(v.mean);
                    assert!(
                        d.texts.iter().any(|t| t.contains(&q) && t.contains(&v.id)),
                        "{} {q} missing",
                        v.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_same_balance_gives_the_same_bytes() {
        let (b, names) = balance(11);
        let w = Words::new(Lang::Zh);
        let f = BalanceFigure {
            node: "U1".into(),
            balance: &b,
            names: &names,
            unit: "t",
        };
        assert_eq!(draw(&w, &f).svg, draw(&w, &f).svg);
    }

    #[test]
    fn user_text_is_escaped() {
        let (b, names) = balance(3);
        let w = Words::new(Lang::En);
        let f = BalanceFigure {
            node: "<U1> & \"co\"".into(),
            balance: &b,
            names: &names,
            unit: "t",
        };
        let svg = String::from_utf8(draw(&w, &f).svg).unwrap();
        assert!(svg.contains("&lt;U1&gt; &amp; &quot;co&quot;"));
        assert!(svg.contains("&lt;pipe&gt;"));
        assert!(!svg.contains("<pipe>"));
    }
}

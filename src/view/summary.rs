//! The key figures `cpaudit check` prints: the balances' closure, the water reuse rate,
//! the energy, the drainage ratios, the triggers met with their findings, and one line
//! per option's economics. Plain text in English, figures rounded as in the documents.

use crate::compute::Results;
use crate::compute::compliance::{ComplianceResult, Finding};
use crate::model::{Lang, standard_in, unit_in};
use crate::quantity::Kind;

/// A short table of key figures for `cpaudit check`.
pub fn summary(r: &Results) -> String {
    let mut out = String::from("Key figures\n");
    if let Some(f) = &r.balance.focus {
        out.push_str(&format!(
            "  material balance (focus)   in {:.3} t, out {:.3} t, closure {}\n",
            f.total_in,
            f.total_out,
            f.closure_error.map_or("—".into(), closure)
        ));
    }
    for u in &r.balance.units {
        out.push_str(&format!(
            "    {:<24} closure {}\n",
            u.id,
            u.balance.closure_error.map_or("—".into(), closure)
        ));
    }
    for c in &r.components {
        let b = &c.balance;
        out.push_str(&format!(
            "  {:<26} in {:.3} {u}, out {:.3} {u}, closure {}\n",
            format!("{} balance (focus)", c.component),
            b.total_in,
            b.total_out,
            b.closure_error.map_or("—".into(), closure),
            u = c.unit
        ));
    }
    if let Some(w) = &r.water {
        out.push_str(&format!(
            "  water reuse rate           {}\n",
            w.plant
                .indices
                .reuse_rate
                .map_or("—".into(), |x| format!("{}%", fig(x * 100.0, 1)))
        ));
    }
    if let Some(y) = r.status.last()
        && let Some(e) = &y.energy
    {
        out.push_str(&format!(
            "  energy {}                {:.1} {}\n",
            y.year, e.total_tce, e.total_unit
        ));
    }
    // The drainage ratio of each outlet and table whose standard has a benchmark drainage.
    let mut seen = std::collections::BTreeSet::new();
    for x in &r.discharges {
        let Some(b) = &x.benchmark else { continue };
        if !seen.insert((x.source.as_str(), b.standard.as_str())) {
            continue;
        }
        out.push_str(&format!(
            "  drainage ratio {:<11} {} / {} m³/a = {:.3} ({}; {})\n",
            x.source,
            fig(b.drainage, 0),
            fig(b.benchmark_drainage, 0),
            b.ratio,
            b.standard,
            if b.converted {
                "> 1: benchmark-water concentrations judged"
            } else {
                "≤ 1: measured concentrations judged"
            }
        ));
        for (y, b) in r
            .discharges
            .iter()
            .filter(|y| y.source == x.source)
            .filter_map(|y| y.benchmark.as_ref().filter(|b| b.converted).map(|b| (y, b)))
        {
            out.push_str(&format!(
                "    {:<12} measured {} → {} {} (limit {}){}\n",
                y.pollutant,
                fig(y.concentration, 2),
                fig(b.concentration, 2),
                y.concentration_unit,
                fig(y.limit, 2),
                if y.exceeds { ", exceeds" } else { "" }
            ));
        }
    }
    if let Some(c) = &r.compliance {
        let met: Vec<_> = c.triggers.iter().filter(|t| t.met).collect();
        if met.is_empty() {
            out.push_str("  mandatory-audit triggers   none met\n");
        }
        for t in met {
            out.push_str(&format!("  trigger met  {} {}\n", t.article.en, t.text.en));
            for f in &t.findings {
                out.push_str(&format!("               {}\n", finding(r, c, *f)));
            }
        }
        for s in &c.self_assessment {
            out.push_str(&format!(
                "  {:<10} {:<22} {}\n",
                format!("{:?}", s.status).to_lowercase(),
                s.id,
                s.finding.en
            ));
        }
    }
    for e in &r.economics {
        out.push_str(&format!(
            "  {}\n",
            crate::compute::economics::summary_line(e)
        ));
    }
    out
}

/// A figure for the key figures: thousands grouped, `digits` decimals.
fn fig(x: f64, digits: usize) -> String {
    crate::quantity::format_number(x, digits)
}

fn closure(delta: f64) -> String {
    Kind::Closure.format(delta)
}

/// A finding in one line, as the English report prints it.
fn finding(r: &Results, c: &ComplianceResult, f: Finding) -> String {
    let en = |u: &str| unit_in(u, Lang::En);
    match f {
        Finding::Discharge { index } => {
            let Some(x) = r.discharges.get(index) else {
                return String::new();
            };
            let u = en(&x.concentration_unit);
            let measured = match x.benchmark.as_ref().filter(|b| b.converted) {
                Some(b) => format!(
                    "benchmark-water concentration {} {u} (measured {} {u} × drainage ratio {})",
                    fig(b.concentration, 2),
                    fig(x.concentration, 2),
                    fig(b.ratio, 3)
                ),
                None => format!("{} {u}", fig(x.concentration, 2)),
            };
            format!(
                "{} {}: {measured} > limit {} {u} ({})",
                x.source_name.en,
                x.pollutant,
                fig(x.limit, 2),
                standard_in(&x.standard, Lang::En)
            )
        }
        Finding::Permit { index } => r.permits.get(index).map_or_else(String::new, |p| {
            format!(
                "{}: annual total {} t/a > permitted {} t/a",
                p.pollutant,
                fig(p.annual_t, 2),
                fig(p.permitted_t, 2)
            )
        }),
        Finding::Energy => c.energy.as_ref().map_or_else(String::new, |e| {
            let u = en(&e.per_product_unit);
            format!(
                "energy per unit product in {} {} {u} > limit {} {u}",
                e.year,
                e.per_product.map_or("—".into(), |v| fig(v, 2)),
                e.limit.map_or("—".into(), |v| fig(v, 2)),
            )
        }),
        Finding::ToxicMaterial { index } => {
            c.toxic_materials.get(index).map_or_else(String::new, |m| {
                let list = m
                    .list
                    .clone()
                    .or_else(|| m.listed_as.as_ref().map(|l| l.en.clone()))
                    .map(|l| format!(" ({l})"))
                    .unwrap_or_default();
                format!(
                    "toxic raw material used: {} {} {}{list}",
                    m.name.en,
                    fig(m.quantity, 2),
                    en(&m.unit)
                )
            })
        }
        Finding::ToxicDischarge { index } => {
            c.toxic_discharges.get(index).map_or_else(String::new, |t| {
                let name = t
                    .pollutant_name
                    .as_ref()
                    .map_or(t.pollutant.as_str(), |n| n.en.as_str());
                format!("toxic substance discharged: {name} ({})", t.list.en)
            })
        }
    }
}

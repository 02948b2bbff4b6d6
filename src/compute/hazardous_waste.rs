//! Hazardous waste per year from the 危险废物 sheet: one line per waste (category,
//! code and name) with its quantity in each year, the totals per year and per
//! category. The report's table and the notice's figures both print these, so that a
//! quantity is typed once, in the workbook.

use crate::model::{Audit, HazardousWasteRow, Text};
use serde::Serialize;

/// The hazardous waste of the audit period.
#[derive(Debug, Clone, Serialize)]
pub struct HazardousWaste {
    /// The years of the sheet, oldest first; every list of quantities follows them.
    pub years: Vec<i32>,
    /// The year the notice discloses: the baseline year when the sheet has it, else
    /// the latest year.
    pub notice_year: i32,
    /// One line per waste, in the order of the sheet.
    pub wastes: Vec<WasteLine>,
    /// All hazardous waste per year, t.
    pub totals: Vec<f64>,
    /// All hazardous waste in the notice year, t.
    pub notice_total: f64,
    /// Per category, in the List's order.
    pub categories: Vec<CategoryTotal>,
}

/// One waste over the years.
#[derive(Debug, Clone, Serialize)]
pub struct WasteLine {
    /// Category of the List (`HW49`).
    pub category: String,
    /// Eight-digit code (`900-041-49`), when given.
    pub code: Option<String>,
    /// Name.
    pub name: Text,
    /// Quantity per year, t; `None` for a year without a row.
    pub quantities: Vec<Option<f64>>,
    /// Quantity in the notice year, t.
    pub notice_quantity: Option<f64>,
    /// Storage, as the latest row gives it.
    pub storage: Option<Text>,
    /// Licensed disposer, as the latest row gives it.
    pub disposer: Text,
    /// Its licence number, as the latest row gives it.
    pub licence: String,
    /// Transfer manifests per year; `None` where not given.
    pub manifests: Vec<Option<u32>>,
    /// Transfer manifests in the notice year.
    pub notice_manifests: Option<u32>,
}

/// The quantity of one category per year.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryTotal {
    /// Category (`HW08`).
    pub category: String,
    /// Quantity per year, t.
    pub quantities: Vec<f64>,
}

/// The hazardous waste of the audit; `None` when the sheet is absent or empty.
pub fn hazardous_waste(audit: &Audit) -> Option<HazardousWaste> {
    summarise(
        &audit.tables.hazardous_waste,
        audit.meta.audit.baseline_year.value,
    )
}

fn summarise(rows: &[HazardousWasteRow], baseline_year: i32) -> Option<HazardousWaste> {
    let mut years: Vec<i32> = rows.iter().map(|r| r.year.value).collect();
    years.sort_unstable();
    years.dedup();
    let notice_year = if years.contains(&baseline_year) {
        baseline_year
    } else {
        *years.last()?
    };
    let at = |y: i32| years.iter().position(|x| *x == y).unwrap_or(0);
    let mut wastes: Vec<WasteLine> = Vec::new();
    // The latest year each line's descriptive fields were taken from.
    let mut taken: Vec<i32> = Vec::new();
    for r in rows {
        let category = r.category.value.to_string();
        let code = r.code.as_ref().map(|c| c.value.0.clone());
        let i = match wastes
            .iter()
            .position(|w| w.category == category && w.code == code && w.name.zh == r.name.zh)
        {
            Some(i) => i,
            None => {
                wastes.push(WasteLine {
                    category,
                    code,
                    name: r.name.clone(),
                    quantities: vec![None; years.len()],
                    notice_quantity: None,
                    storage: None,
                    disposer: r.disposer.clone(),
                    licence: r.licence.value.clone(),
                    manifests: vec![None; years.len()],
                    notice_manifests: None,
                });
                taken.push(i32::MIN);
                wastes.len() - 1
            }
        };
        let w = &mut wastes[i];
        let y = at(r.year.value);
        // Two rows of one waste in one year add up (two streams of the same code).
        w.quantities[y] = Some(w.quantities[y].unwrap_or(0.0) + r.quantity.value);
        if let Some(m) = &r.manifests {
            w.manifests[y] = Some(w.manifests[y].unwrap_or(0) + m.value);
        }
        if r.year.value >= taken[i] {
            taken[i] = r.year.value;
            w.storage = r.storage.clone();
            w.disposer = r.disposer.clone();
            w.licence = r.licence.value.clone();
        }
    }
    let n = at(notice_year);
    for w in &mut wastes {
        w.notice_quantity = w.quantities[n];
        w.notice_manifests = w.manifests[n];
    }
    let totals: Vec<f64> = (0..years.len())
        .map(|y| wastes.iter().filter_map(|w| w.quantities[y]).sum())
        .collect();
    let notice_total = totals[n];
    let mut categories: Vec<CategoryTotal> = Vec::new();
    let mut sorted: Vec<&HazardousWasteRow> = rows.iter().collect();
    sorted.sort_by_key(|r| r.category.value);
    for r in sorted {
        let category = r.category.value.to_string();
        if categories.last().is_none_or(|c| c.category != category) {
            categories.push(CategoryTotal {
                category,
                quantities: vec![0.0; years.len()],
            });
        }
        if let Some(c) = categories.last_mut() {
            c.quantities[at(r.year.value)] += r.quantity.value;
        }
    }
    Some(HazardousWaste {
        years,
        notice_year,
        wastes,
        totals,
        notice_total,
        categories,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{At, Cell, WasteCategory, WasteCode};

    fn at<T>(value: T) -> At<T> {
        At {
            value,
            cell: Cell {
                file: "data/status.xlsx".into(),
                sheet: "危险废物 Hazardous waste".into(),
                row: 1,
                col: 0,
            },
        }
    }

    fn row(year: i32, hw: u8, code: &str, name: &str, t: f64) -> HazardousWasteRow {
        HazardousWasteRow {
            year: at(year),
            category: at(WasteCategory(hw)),
            code: Some(at(WasteCode(code.into()))),
            name: Text {
                zh: name.into(),
                en: name.into(),
            },
            quantity: at(t),
            storage: None,
            disposer: Text::default(),
            licence: at("L1".into()),
            manifests: Some(at(2)),
        }
    }

    #[test]
    fn totals_per_year_and_category() {
        let rows = [
            row(2024, 49, "900-041-49", "drums", 30.0),
            row(2024, 8, "900-249-08", "stenter oil", 15.0),
            row(2025, 49, "900-041-49", "drums", 36.0),
            row(2025, 8, "900-249-08", "stenter oil", 18.0),
            row(2025, 8, "900-214-08", "lube oil", 2.0),
            row(2025, 49, "900-047-49", "lab liquid", 0.3),
        ];
        let h = summarise(&rows, 2025).unwrap();
        assert_eq!(h.years, [2024, 2025]);
        assert_eq!(h.notice_year, 2025);
        // 30 + 15 = 45; 36 + 18 + 2 + 0.3 = 56.3.
        assert_eq!(h.totals, [45.0, 56.3]);
        assert_eq!(h.notice_total, 56.3);
        assert_eq!(h.wastes.len(), 4);
        assert_eq!(h.wastes[2].quantities, [None, Some(2.0)]);
        assert_eq!(h.wastes[0].notice_quantity, Some(36.0));
        assert_eq!(h.wastes[0].manifests, [Some(2), Some(2)]);
        // HW08: 15 | 18 + 2; HW49: 30 | 36 + 0.3.
        assert_eq!(h.categories[0].category, "HW08");
        assert_eq!(h.categories[0].quantities, [15.0, 20.0]);
        assert_eq!(h.categories[1].quantities, [30.0, 36.3]);
        // No baseline-year row: the notice shows the latest year.
        assert_eq!(summarise(&rows[..2], 2025).unwrap().notice_year, 2024);
        assert!(summarise(&[], 2025).is_none());
    }
}

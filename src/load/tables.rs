//! The audit's workbooks, sheet by sheet, into [`Tables`]. Each sheet's columns are
//! declared once, in [`crate::model::sheets`]; the headers are bilingual (`编号 ID`)
//! and either half matches.

use super::workbook::{Sheet, Workbook, clip};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::sheets;
use crate::model::*;
use std::path::Path;

/// Reads every workbook `audit.yaml` declares.
pub fn read_all(root: &Path, meta: &AuditFile, diags: &mut Diagnostics) -> Tables {
    let mut t = Tables::default();
    let data = &meta.data;
    if let Some(wb) = open(root, &data.status, diags) {
        read_status(wb, &mut t, diags);
    }
    if let Some(wb) = open(root, &data.balance, diags) {
        read_balance(wb, &mut t, diags);
    }
    if let Some(wb) = open(root, &data.water, diags) {
        read_water(wb, &mut t, diags);
    }
    if let Some(wb) = open(root, &data.emissions, diags) {
        read_emissions(wb, &mut t, diags);
    }
    if let Some(wb) = open(root, &data.cash_flows, diags) {
        read_cash_flows(wb, &mut t, diags);
    }
    t
}

fn open(root: &Path, rel: &Option<Spanned<String>>, diags: &mut Diagnostics) -> Option<Workbook> {
    let rel = rel.as_ref()?;
    let path = match super::resolve_spanned(root, "audit.yaml", rel) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    if !path.is_file() {
        diags.push(
            Diagnostic::error("load::missing-workbook", format!("workbook `{}` does not exist", rel.value))
                .at(crate::diag::Place::yaml("audit.yaml", &rel.referenced))
                .help("correct the path under `data:` in audit.yaml, or create the workbook (`cpaudit init` writes templates)"),
        );
        return None;
    }
    match Workbook::open(&path, &rel.value) {
        Ok(wb) => Some(wb),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Runs `f` on every data row, collecting a diagnostic for each row that fails.
fn each_row<T>(
    sheet: &Sheet,
    diags: &mut Diagnostics,
    mut f: impl FnMut(u32) -> Result<T, Diagnostic>,
) -> Vec<T> {
    let mut out = Vec::new();
    for row in sheet.rows() {
        match f(row) {
            Ok(v) => out.push(v),
            Err(d) => diags.push(d),
        }
    }
    out
}

fn unit(sheet: &Sheet, row: u32) -> Result<At<String>, Diagnostic> {
    sheet.required_text(row, "unit")
}

// ------------------------------------------------------------------- status

fn read_status(mut wb: Workbook, t: &mut Tables, diags: &mut Diagnostics) {
    if let Some(s) = wb.sheet(&sheets::OUTPUT, diags) {
        t.output = each_row(&s, diags, |r| {
            Ok(OutputRow {
                year: s.integer(r, "year")?,
                product: s.required_text(r, "product")?,
                quantity: s.number(r, "quantity")?,
                unit: unit(&s, r)?,
                value: s.opt_number(r, "value")?,
            })
        });
    }
    if let Some(s) = wb.sheet(&sheets::MATERIALS, diags) {
        t.materials = each_row(&s, diags, |r| {
            // 是/yes marks a toxic material; any other text names the list it is on.
            let flag = s.text(r, "toxic")?.map(|t| t.value).filter(|t| !no(t));
            let toxic = flag.is_some();
            let toxic_list = flag.filter(|t| !yes(t));
            Ok(MaterialRow {
                year: s.integer(r, "year")?,
                name: s.text_pair(r, "name", "name_en")?,
                quantity: s.number(r, "quantity")?,
                unit: unit(&s, r)?,
                toxic,
                toxic_list,
                purpose: s.text(r, "purpose")?.map(|t| t.value),
            })
        });
    }
    if let Some(s) = wb.sheet(&sheets::ENERGY, diags) {
        t.energy = each_row(&s, diags, |r| {
            Ok(EnergyRow {
                year: s.integer(r, "year")?,
                carrier: s.required_text(r, "carrier")?,
                quantity: s.number(r, "quantity")?,
                unit: unit(&s, r)?,
            })
        });
    }
    if let Some(s) = wb.sheet(&sheets::INTAKE, diags) {
        t.water_intake = each_row(&s, diags, |r| {
            Ok(WaterIntakeRow {
                year: s.integer(r, "year")?,
                quantity: s.number(r, "quantity")?,
                unit: unit(&s, r)?,
            })
        });
    }
    // The hazardous-waste sheet is optional: without it the notice prints the prose
    // of audit.yaml's `compliance.hazardous_waste`.
    if let Some(s) = wb.sheet(&sheets::HAZARDOUS_WASTE, diags) {
        t.hazardous_waste = each_row(&s, diags, |r| read_hazardous_waste(&s, r));
    }
}

fn read_hazardous_waste(s: &Sheet, r: u32) -> Result<HazardousWasteRow, Diagnostic> {
    let category_text = s.required_text(r, "category")?;
    let category = WasteCategory::parse(&category_text.value).map_err(|how| {
        Diagnostic::error(
            "hazardous_waste::category",
            format!(
                "\"{}\" is not a category of the National Hazardous Waste List (国家危险废物名录)",
                clip(&category_text.value, 40)
            ),
        )
        .at(&category_text.cell)
        .help(how)
    })?;
    let code = match s.text(r, "code")? {
        None => None,
        Some(text) => {
            let code = WasteCode::parse(&text.value).map_err(|how| {
                Diagnostic::error(
                    "hazardous_waste::code",
                    format!(
                        "\"{}\" is not an eight-digit waste code of the List",
                        clip(&text.value, 40)
                    ),
                )
                .at(&text.cell)
                .help(how)
            })?;
            if code.category() != category.0 {
                return Err(Diagnostic::error(
                    "hazardous_waste::code-category",
                    format!(
                        "waste code {} belongs to category HW{}, but the row gives {category}",
                        code.0,
                        &code.0[8..]
                    ),
                )
                .at(&text.cell)
                .related("the category", &category_text.cell)
                .help("the last two digits of a waste code are its category: correct the code or the category"));
            }
            Some(At {
                value: code,
                cell: text.cell,
            })
        }
    };
    let quantity = s.number(r, "quantity")?;
    if quantity.value < 0.0 {
        return Err(Diagnostic::error(
            "hazardous_waste::negative",
            format!("the quantity generated is negative ({})", quantity.value),
        )
        .at(&quantity.cell)
        .help("write the tonnes generated in the year, 0 or more"));
    }
    let manifests = match s.opt_number(r, "manifests")? {
        None => None,
        Some(n) if n.value >= 0.0 && n.value.fract() == 0.0 && n.value <= f64::from(u32::MAX) => {
            Some(At {
                value: n.value as u32,
                cell: n.cell,
            })
        }
        Some(n) => {
            return Err(Diagnostic::error(
                "hazardous_waste::manifests",
                format!("expected a count of transfer manifests, found {}", n.value),
            )
            .at(&n.cell)
            .help("write how many manifests (转移联单) were issued in the year: a whole number, 0 or more"));
        }
    };
    Ok(HazardousWasteRow {
        year: s.integer(r, "year")?,
        category: At {
            value: category,
            cell: category_text.cell,
        },
        code,
        name: s.text_pair(r, "name", "name_en")?,
        quantity,
        storage: match s.text(r, "storage")? {
            Some(_) => Some(s.text_pair(r, "storage", "storage_en")?),
            None => None,
        },
        disposer: s.text_pair(r, "disposer", "disposer_en")?,
        licence: s.required_text(r, "licence")?,
        manifests,
    })
}

fn no(word: &str) -> bool {
    matches!(
        word.trim().to_lowercase().as_str(),
        "否" | "no" | "n" | "false" | "0" | "无" | "-" | "—"
    )
}

fn yes(word: &str) -> bool {
    matches!(
        word.trim().to_lowercase().as_str(),
        "是" | "yes" | "y" | "true" | "1" | "√" | "✓"
    )
}

// ------------------------------------------------------------------ balance

fn read_balance(mut wb: Workbook, t: &mut Tables, diags: &mut Diagnostics) {
    let Some(s) = wb.sheet(&sheets::STREAMS, diags) else {
        // The components name streams: without the streams every one of them would be
        // a follow-on error about an id that is there, in a sheet that was not read.
        return;
    };
    if s.batch_columns.is_empty() {
        diags.push(
            Diagnostic::error(
                "balance::no-batches",
                "the streams sheet has no batch columns",
            )
            .at(&s.cell(0, "id"))
            .help(match &sheets::STREAMS.repeated {
                Some(r) => format!(
                    "add one column per measured batch, headed `{}`, `{}`, …",
                    r.header(1),
                    r.header(2)
                ),
                None => String::new(),
            }),
        );
    }
    t.streams = each_row(&s, diags, |r| {
        let kind_text = s.required_text(r, "kind")?;
        let kind = StreamKind::parse(&kind_text.value).ok_or_else(|| {
            Diagnostic::error(
                "balance::kind",
                format!("unknown stream kind \"{}\"", kind_text.value),
            )
            .at(&kind_text.cell)
            .help(format!(
                "write one of {}",
                StreamKind::WORDS
                    .iter()
                    .map(|(_, w)| w[0])
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let batches = s
            .batch_columns
            .iter()
            .map(|c| s.number_at(r, *c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(StreamRow {
            id: s.required_text(r, "id")?,
            name: s.text_pair(r, "name", "name_en")?,
            from: s.text(r, "from")?,
            to: s.text(r, "to")?,
            kind: At {
                value: kind,
                cell: kind_text.cell,
            },
            unit: unit(&s, r)?,
            batches,
        })
    });
    // The components sheet is optional: a pollutant-factor balance needs it.
    if let Some(s) = wb.sheet(&sheets::COMPONENTS, diags) {
        t.components = each_row(&s, diags, |r| {
            Ok(ComponentRow {
                stream: s.required_text(r, "stream")?,
                component: s.required_text(r, "component")?,
                concentration: s.number(r, "concentration")?,
                unit: unit(&s, r)?,
            })
        });
    }
}

// -------------------------------------------------------------------- water

fn read_water(mut wb: Workbook, t: &mut Tables, diags: &mut Diagnostics) {
    if let Some(s) = wb.sheet(&sheets::WATER_USERS, diags) {
        t.water_users = each_row(&s, diags, |r| {
            let kind_text = s.required_text(r, "kind")?;
            let kind = WaterUse::parse(&kind_text.value).ok_or_else(|| {
                Diagnostic::error("water::type", format!("unknown water use \"{}\"", kind_text.value))
                    .at(&kind_text.cell)
                    .help("write one of 工艺 (process), 冷却 (cooling), 锅炉 (boiler), 生活 (domestic), 其他 (other)")
            })?;
            Ok(WaterUserRow {
                id: s.required_text(r, "id")?,
                name: s.text_pair(r, "name", "name_en")?,
                kind: At {
                    value: kind,
                    cell: kind_text.cell,
                },
                unit: unit(&s, r)?,
                new_water: s.number(r, "new")?,
                reused: s.number(r, "reused")?,
                consumed: s.number(r, "consumed")?,
                discharged: s.number(r, "discharged")?,
                leakage: s.number(r, "leakage")?,
            })
        });
    }
}

// ---------------------------------------------------------------- emissions

fn read_emissions(mut wb: Workbook, t: &mut Tables, diags: &mut Diagnostics) {
    for (medium, spec) in [
        (Medium::Wastewater, &sheets::WASTEWATER),
        (Medium::WasteGas, &sheets::WASTE_GAS),
    ] {
        if let Some(s) = wb.sheet(spec, diags) {
            let rows = each_row(&s, diags, |r| {
                Ok(DischargeRow {
                    medium,
                    source: s.required_text(r, "source")?,
                    source_name: s.text_pair(r, "name", "name_en")?,
                    pollutant: s.required_text(r, "pollutant")?,
                    concentration: s.number(r, "concentration")?,
                    concentration_unit: s.required_text(r, "concentration_unit")?,
                    flow: s.number(r, "flow")?,
                    flow_unit: s.required_text(r, "flow_unit")?,
                    limit: s.number(r, "limit")?,
                    standard: s.required_text(r, "standard")?,
                    mode: s.text_pair(r, "mode", "mode_en")?,
                })
            });
            t.discharges.extend(rows);
        }
    }
    if let Some(s) = wb.sheet(&sheets::PERMITS, diags) {
        t.permits = each_row(&s, diags, |r| {
            Ok(PermitRow {
                pollutant: s.required_text(r, "pollutant")?,
                total: s.number(r, "total")?,
            })
        });
    }
}

// --------------------------------------------------------------- cash flows

fn read_cash_flows(mut wb: Workbook, t: &mut Tables, diags: &mut Diagnostics) {
    if let Some(s) = wb.sheet(&sheets::CASH_FLOWS, diags) {
        t.cash_flows = each_row(&s, diags, |r| {
            Ok(CashFlowRow {
                option: s.required_text(r, "option")?,
                year: s.integer(r, "year")?,
                amount: s.number(r, "amount")?,
            })
        });
    }
}

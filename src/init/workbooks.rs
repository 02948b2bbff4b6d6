//! The five workbooks `cpaudit init` writes (status, balance, water, emissions, cash
//! flows): the sheets, bilingual headers and help of [`crate::model::sheets`] (the
//! declaration the loader reads by), a note on every header with the column's meaning
//! and unit, drop-down lists where the value comes from a fixed set, number checks on
//! numeric columns, and example rows from the industry profile.

use super::profile::Profile;
use crate::calc::energy::COEFFICIENTS;
use crate::model::sheets::{self, Accepts, Book, ColumnSpec, Row, SheetRows, SheetSpec, Value};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatBorder, Formula, Note, Workbook, XlsxError,
};
use std::path::Path;

/// The five workbooks with the example rows of a profile; `years` are the three status
/// years, oldest first.
pub fn specs(p: &Profile, years: [i32; 3]) -> Vec<Book> {
    vec![
        status(p, years),
        balance(p),
        water(p),
        emissions(p),
        cash_flows(),
    ]
}

fn book(spec: &'static sheets::WorkbookSpec, rows: Vec<Vec<Row>>) -> Book {
    Book {
        spec,
        sheets: spec
            .sheets
            .iter()
            .zip(rows.into_iter().chain(std::iter::repeat(Vec::new())))
            .map(|(s, rows)| SheetRows { spec: s, rows })
            .collect(),
    }
}

fn scaled(base: f64, output: &[f64; 3], i: usize) -> f64 {
    let v = base * output[i] / output[2];
    (v * 100.0).round() / 100.0
}

fn status(p: &Profile, years: [i32; 3]) -> Book {
    let output = (0..3)
        .map(|i| {
            Row::new()
                .with("year", years[i])
                .with("product", p.product.id)
                .with("quantity", p.output[i])
                .with("unit", p.product.unit)
                .with("value", p.output_value[i])
        })
        .collect();
    let mut materials = Vec::new();
    for (i, year) in years.iter().enumerate() {
        for m in &p.materials {
            materials.push(
                Row::new()
                    .with("year", *year)
                    .with("name", format!("{}（示例）", m.name.zh))
                    .with("name_en", format!("{} (example)", m.name.en))
                    .with("quantity", scaled(m.quantity, &p.output, i))
                    .with("unit", m.unit)
                    .with("toxic", if m.toxic { "是" } else { "否" }),
            );
        }
    }
    let mut energy = Vec::new();
    for (i, year) in years.iter().enumerate() {
        for (carrier, unit, q) in &p.energy {
            energy.push(
                Row::new()
                    .with("year", *year)
                    .with("carrier", *carrier)
                    .with("quantity", scaled(*q, &p.output, i).round())
                    .with("unit", *unit),
            );
        }
    }
    let intake = (0..3)
        .map(|i| {
            Row::new()
                .with("year", years[i])
                .with("quantity", p.water_intake[i])
                .with("unit", "t")
        })
        .collect();
    let mut waste = Vec::new();
    for (i, year) in years.iter().enumerate() {
        for (category, code, name, t) in &p.hazardous_waste {
            waste.push(
                Row::new()
                    .with("year", *year)
                    .with("category", *category)
                    .with("code", *code)
                    .with("name", format!("{}（示例）", name.zh))
                    .with("name_en", format!("{} (example)", name.en))
                    .with("quantity", scaled(*t, &p.output, i))
                    .with("storage", "危险废物贮存库（示例）")
                    .with("storage_en", "Hazardous-waste store (example)")
                    .with("disposer", "持证处置单位（示例）")
                    .with("disposer_en", "Licensed disposer (example)")
                    .with("licence", "（示例）")
                    .with("manifests", 4),
            );
        }
    }
    book(
        &sheets::STATUS,
        vec![output, materials, energy, intake, waste],
    )
}

fn balance(p: &Profile) -> Book {
    let factors = [1.0, 0.9, 1.1];
    let batches = sheets::STREAMS
        .repeated
        .expect("the streams sheet has batches");
    let streams = p
        .streams
        .iter()
        .map(|s| {
            let mut row = Row::new()
                .with("id", s.id)
                .with("name", format!("{}（示例）", s.name.zh))
                .with("name_en", format!("{} (example)", s.name.en))
                .with("kind", s.kind)
                .with("unit", "t");
            row.set(if s.input { "to" } else { "from" }, "U1");
            for (n, f) in factors.iter().enumerate() {
                row.set(&batches.key(n + 1), (s.batch * f * 1000.0).round() / 1000.0);
            }
            row
        })
        .collect();
    let components = p
        .components
        .iter()
        .map(|(s, c, v)| {
            Row::new()
                .with("stream", *s)
                .with("component", *c)
                .with("concentration", *v)
                .with("unit", "mg/L")
        })
        .collect();
    book(&sheets::BALANCE, vec![streams, components])
}

fn water(p: &Profile) -> Book {
    let keys = ["new", "reused", "consumed", "discharged", "leakage"];
    let rows = p
        .water_users
        .iter()
        .map(|u| {
            let mut row = Row::new()
                .with("id", u.id)
                .with("name", format!("{}（示例）", u.name.zh))
                .with("name_en", format!("{} (example)", u.name.en))
                .with("kind", u.kind)
                .with("unit", "m³/d");
            for (k, f) in keys.iter().zip(&u.flows) {
                row.set(k, *f);
            }
            row
        })
        .collect();
    book(&sheets::WATER, vec![rows])
}

fn outlet_rows(outlets: &[super::profile::Outlet]) -> Vec<Row> {
    let mut rows = Vec::new();
    for o in outlets {
        for (code, conc, unit, limit) in &o.rows {
            rows.push(
                Row::new()
                    .with("source", o.id)
                    .with("name", format!("{}（示例）", o.name.zh))
                    .with("name_en", format!("{} (example)", o.name.en))
                    .with("pollutant", code.as_str())
                    .with("concentration", *conc)
                    .with("concentration_unit", unit.as_str())
                    .with("flow", o.flow)
                    .with("flow_unit", o.flow_unit)
                    .with("limit", *limit)
                    .with("standard", o.standard.as_str())
                    .with("mode", o.mode.zh)
                    .with("mode_en", o.mode.en),
            );
        }
    }
    rows
}

fn emissions(p: &Profile) -> Book {
    let permits = p
        .permits
        .iter()
        .map(|(c, t)| Row::new().with("pollutant", *c).with("total", *t))
        .collect();
    book(
        &sheets::EMISSIONS,
        vec![
            outlet_rows(&p.wastewater),
            outlet_rows(&p.waste_gas),
            permits,
        ],
    )
}

fn cash_flows() -> Book {
    // F02 of the scaffold: investment 20, saving 8/a, life 5, tax 25 %:
    // F = (8 − 20/5)(1 − 0.25) + 20/5 = 7.
    let flow = |year: i32, amount: f64| {
        Row::new()
            .with("option", "F02")
            .with("year", year)
            .with("amount", amount)
    };
    let mut rows = vec![flow(0, -20.0)];
    rows.extend((1..=5).map(|year| flow(year, 7.0)));
    book(&sheets::CASH_FLOW_BOOK, vec![rows])
}

/// Rows checked by the drop-downs and number checks (row 2 to this one).
const CHECKED_ROWS: u32 = 1000;

/// Writes a workbook: each sheet's headers with a note, its drop-downs and number
/// checks, and its rows. `date` fixes the document's creation date.
pub fn write(book: &Book, path: &Path, date: (i32, u8, u8)) -> Result<(), String> {
    let spec = book.spec;
    let fail = |e: XlsxError| format!("cannot write `{}`: {e}", path.display());
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.0.clamp(1900, 9999) as u16, date.1, date.2).map_err(fail)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", spec.help_zh, spec.help_en))
            .set_author("cpaudit init")
            .set_creation_datetime(&created),
    );
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    let needs_lists = spec
        .sheets
        .iter()
        .any(|s| s.columns.iter().any(|c| c.accepts == Accepts::Carrier));
    for sheet in &book.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.spec.name()).map_err(fail)?;
        ws.set_freeze_panes(1, 0).map_err(fail)?;
        let repeated = repeated_count(sheet);
        for (c, column) in columns(sheet.spec, repeated).iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, &column.header, &header)
                .map_err(fail)?;
            ws.set_column_width(c, column.width).map_err(fail)?;
            let required = if column.required {
                "必填 Required"
            } else {
                "可选 Optional"
            };
            let note = Note::new(format!(
                "{}（{required}）\n{}\n{}",
                column.header, column.help_zh, column.help_en
            ))
            .set_author("cpaudit")
            .add_author_prefix(false)
            .set_width(320)
            .set_height(150);
            ws.insert_note(0, c, &note).map_err(fail)?;
            if let Some(v) = validation(column)? {
                ws.add_data_validation(1, c, CHECKED_ROWS - 1, c, &v)
                    .map_err(fail)?;
            }
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            let cells = sheet
                .spec
                .cells(row, repeated)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            for (c, value) in cells.iter().enumerate() {
                match value {
                    Value::Text(t) => {
                        ws.write_string(r, c as u16, t).map_err(fail)?;
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c as u16, *n).map_err(fail)?;
                    }
                    Value::Empty => {}
                }
            }
        }
    }
    if needs_lists {
        let ws = wb.add_worksheet();
        ws.set_name("Lists").map_err(fail)?;
        let energy = &sheets::ENERGY;
        let names = &sheets::MATERIALS;
        for (c, column) in [
            energy.column("carrier"),
            names.column("name"),
            names.column("name_en"),
            energy.column("unit"),
        ]
        .into_iter()
        .flatten()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, column.header(), &header)
                .map_err(fail)?;
        }
        for (r, k) in COEFFICIENTS.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_string(r, 0, k.id).map_err(fail)?;
            ws.write_string(r, 1, k.name_zh).map_err(fail)?;
            ws.write_string(r, 2, k.name_en).map_err(fail)?;
            ws.write_string(r, 3, k.unit).map_err(fail)?;
        }
        ws.set_column_width(0, 22).map_err(fail)?;
        ws.set_column_width(1, 16).map_err(fail)?;
        ws.set_column_width(2, 30).map_err(fail)?;
        ws.set_hidden(true);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    wb.save(path).map_err(fail)
}

/// A column as written: the spec's columns, then the numbered ones.
struct Written {
    header: String,
    required: bool,
    accepts: Accepts,
    width: f64,
    help_zh: &'static str,
    help_en: &'static str,
}

/// How many numbered columns to write: as many as the spec offers, or as the rows use.
fn repeated_count(sheet: &SheetRows) -> usize {
    let Some(r) = &sheet.spec.repeated else {
        return 0;
    };
    let used = sheet
        .rows
        .iter()
        .flat_map(|row| row.0.iter())
        .filter_map(|(k, _)| r.number(k))
        .max()
        .unwrap_or(0);
    used.max(r.written)
}

fn columns(spec: &SheetSpec, repeated: usize) -> Vec<Written> {
    let mut out: Vec<Written> = spec
        .columns
        .iter()
        .map(|c: &ColumnSpec| Written {
            header: c.header(),
            required: c.required,
            accepts: c.accepts,
            width: c.width,
            help_zh: c.help_zh,
            help_en: c.help_en,
        })
        .collect();
    if let Some(r) = &spec.repeated {
        out.extend((1..=repeated).map(|n| Written {
            header: r.header(n),
            required: n == 1,
            accepts: r.accepts,
            width: r.width,
            help_zh: r.help_zh,
            help_en: r.help_en,
        }));
    }
    out
}

/// The drop-down list or number check of a column.
fn validation(column: &Written) -> Result<Option<DataValidation>, String> {
    let fail = |e: XlsxError| format!("drop-down of column `{}`: {e}", column.header);
    let title = column.header.chars().take(32).collect::<String>();
    let message = {
        let m = format!("{} {}", column.help_zh, column.help_en);
        m.chars().take(250).collect::<String>()
    };
    let v = match column.accepts {
        Accepts::Text => return Ok(None),
        Accepts::Number => DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_error_title("数字 Number")
            .map_err(fail)?
            .set_error_message("这里填写数字。Enter a number here.")
            .map_err(fail)?,
        Accepts::NonNegative => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("数字 Number")
            .map_err(fail)?
            .set_error_message("这里填写不小于 0 的数字。Enter a number of at least 0 here.")
            .map_err(fail)?,
        Accepts::Year => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(1900, 2100))
            .set_error_title("年份 Year")
            .map_err(fail)?
            .set_error_message("填写四位年份，如 2025。Enter a four-digit year, e.g. 2025.")
            .map_err(fail)?,
        Accepts::YearIndex => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(0, 100))
            .set_error_title("年份 Year")
            .map_err(fail)?
            .set_error_message("0 为投资年，之后 1、2、3 …  Year 0 is the investment, then 1, 2, 3 …")
            .map_err(fail)?,
        Accepts::Count => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("数量 Count")
            .map_err(fail)?
            .set_error_message("这里填写不小于 0 的整数。Enter a whole number of at least 0 here.")
            .map_err(fail)?,
        Accepts::OneOf(words) => DataValidation::new()
            .allow_list_strings(words)
            .map_err(fail)?
            .set_error_title("从列表中选择 Choose from the list")
            .map_err(fail)?
            .set_error_message(format!("可选 Allowed: {}", words.join("、")))
            .map_err(fail)?,
        Accepts::Suggested(words) => DataValidation::new()
            .allow_list_strings(words)
            .map_err(fail)?
            .set_error_style(DataValidationErrorStyle::Information)
            .set_error_title("单位 Unit")
            .map_err(fail)?
            .set_error_message(format!(
                "常用 Usual: {}。其他单位也可，只要 cpaudit 能换算。Other units work if cpaudit can convert them.",
                words.join("、")
            ))
            .map_err(fail)?,
        Accepts::Carrier => DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "=Lists!$A$2:$A${}",
                COEFFICIENTS.len() + 1
            )))
            .set_error_title("能源 Carrier")
            .map_err(fail)?
            .set_error_message("从列表中选择 GB/T 2589 能源编号。Choose a GB/T 2589 carrier id from the list.")
            .map_err(fail)?,
    };
    let v = v
        .set_input_title(title)
        .map_err(fail)?
        .set_input_message(message)
        .map_err(fail)?;
    Ok(Some(v))
}

//! The five workbooks `cpaudit init` writes (status, balance, water, emissions, cash
//! flows): the sheets and bilingual headers the loader reads, a note on every header
//! with the column's meaning and unit, drop-down lists where the value comes from a
//! fixed set, number checks on numeric columns, and example rows from the industry
//! profile. The same specification prints the workbook part of docs/reference.md.

use super::profile::Profile;
use crate::calc::energy::COEFFICIENTS;
use crate::model::StreamKind;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatBorder, Formula, Note, Workbook, XlsxError,
};
use std::path::Path;

/// What a column accepts; decides its drop-down list or number check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Accepts {
    /// Free text.
    Text,
    /// A number (negative allowed).
    Number,
    /// A number ≥ 0.
    NonNegative,
    /// A four-digit year.
    Year,
    /// A whole number of years from 0.
    YearIndex,
    /// One of these words, nothing else.
    OneOf(&'static [&'static str]),
    /// Usually one of these words; others are accepted with a notice.
    Suggested(&'static [&'static str]),
    /// An energy carrier id of GB/T 2589 (list on the hidden `Lists` sheet).
    Carrier,
}

/// A column of an input sheet.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header in row 1, Chinese then English (`编号 ID`); either half is recognised.
    pub header: &'static str,
    /// Whether the loader requires the column.
    pub required: bool,
    /// What to write, in Chinese.
    pub zh: &'static str,
    /// What to write, in English.
    pub en: &'static str,
    /// What it accepts.
    pub accepts: Accepts,
    /// Column width in characters.
    pub width: f64,
}

const fn col(
    header: &'static str,
    required: bool,
    accepts: Accepts,
    width: f64,
    zh: &'static str,
    en: &'static str,
) -> Column {
    Column {
        header,
        required,
        zh,
        en,
        accepts,
        width,
    }
}

/// A value of an example row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// Nothing.
    Empty,
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Number(n.into())
    }
}

/// A sheet of a workbook.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Sheet name, Chinese then English; the loader finds it by either word.
    pub name: &'static str,
    /// Whether the loader requires the sheet.
    pub required: bool,
    /// What the sheet holds, in Chinese.
    pub zh: &'static str,
    /// What the sheet holds, in English.
    pub en: &'static str,
    /// Its columns, in order.
    pub columns: Vec<Column>,
    /// Example rows.
    pub rows: Vec<Vec<Value>>,
}

/// A workbook of the audit folder.
#[derive(Debug, Clone)]
pub struct WorkbookSpec {
    /// Path relative to the audit folder.
    pub file: &'static str,
    /// Key under `data:` in audit.yaml.
    pub key: &'static str,
    /// What it holds, in Chinese.
    pub zh: &'static str,
    /// What it holds, in English.
    pub en: &'static str,
    /// Its sheets.
    pub sheets: Vec<Sheet>,
}

/// The unit words offered for output quantities.
const OUTPUT_UNITS: &[&str] = &["万米", "米", "t", "m²", "万m²", "件", "万件"];
const MATERIAL_UNITS: &[&str] = &["t", "kg", "万米", "m³", "L"];
const ENERGY_UNITS: &[&str] = &["kWh", "万kWh", "m³", "万m³", "t", "kg", "GJ"];
const WATER_UNITS: &[&str] = &["t", "m³", "万t", "万m³"];
const MASS_UNITS: &[&str] = &["t", "kg"];
const CONC_UNITS: &[&str] = &["mg/L", "mg/m³", "倍"];
const FLOW_UNITS: &[&str] = &["m³/a", "Nm³/a", "t/a", "m³/d"];
const DAILY_UNITS: &[&str] = &["m³/d", "t/d", "m³/h"];
const YES_NO: &[&str] = &["是", "否"];
const WATER_USES: &[&str] = &["工艺", "冷却", "锅炉", "生活", "其他"];

/// The stream kinds in the words the loader reads (the Chinese word of each kind).
pub fn stream_kinds() -> Vec<&'static str> {
    StreamKind::WORDS.iter().map(|(_, w)| w[0]).collect()
}

fn stream_kind_list() -> &'static [&'static str] {
    static KINDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KINDS.get_or_init(stream_kinds)
}

fn year_col() -> Column {
    col(
        "年份 Year",
        true,
        Accepts::Year,
        10.0,
        "四位年份，如 2025。",
        "The four-digit year, e.g. 2025.",
    )
}

fn unit_col(units: &'static [&'static str], zh: &'static str, en: &'static str) -> Column {
    col("单位 Unit", true, Accepts::Suggested(units), 10.0, zh, en)
}

fn name_cols() -> [Column; 2] {
    [
        col(
            "名称 Name",
            true,
            Accepts::Text,
            24.0,
            "中文名称。",
            "The name in Chinese.",
        ),
        col(
            "英文名称 Name (EN)",
            false,
            Accepts::Text,
            32.0,
            "英文名称；空着则英文报告用中文名称。",
            "The name in English; when empty the English report prints the Chinese name.",
        ),
    ]
}

fn discharge_columns() -> Vec<Column> {
    let [name, name_en] = name_cols();
    vec![
        col(
            "排放口 Source",
            true,
            Accepts::Text,
            12.0,
            "排放口编号（排污许可证中的编号，如 DW001、DA001）；同一排放口的每种污染物一行。",
            "Outlet id as in the discharge permit (DW001, DA001); one row per pollutant of the outlet.",
        ),
        name,
        name_en,
        col(
            "污染物 Pollutant",
            true,
            Accepts::Text,
            14.0,
            "污染物代码：COD、BOD5、SS、NH3-N、TN、TP、colour、Cr、Cr6+、Ni、Cu、Zn、CN、SO2、NOx、particulates、HCl 等；与“总量”表一致。",
            "Pollutant code: COD, BOD5, SS, NH3-N, TN, TP, colour, Cr, Cr6+, Ni, Cu, Zn, CN, SO2, NOx, particulates, HCl …; the same codes as on the permits sheet.",
        ),
        col(
            "浓度 Concentration",
            true,
            Accepts::NonNegative,
            14.0,
            "实测浓度（年均值），单位见“浓度单位”。",
            "Measured concentration (annual mean), in the concentration unit.",
        ),
        col(
            "浓度单位 Concentration unit",
            true,
            Accepts::Suggested(CONC_UNITS),
            14.0,
            "mg/L（废水）、mg/m³（废气）、倍（色度）。",
            "mg/L (water), mg/m³ (gas), 倍 (colour, dilution ratio).",
        ),
        col(
            "流量 Flow",
            true,
            Accepts::NonNegative,
            14.0,
            "排放口的年排放量（废水或废气体积），单位见“流量单位”。",
            "Annual flow of the outlet (wastewater or gas volume), in the flow unit.",
        ),
        col(
            "流量单位 Flow unit",
            true,
            Accepts::Suggested(FLOW_UNITS),
            12.0,
            "m³/a（废水）、Nm³/a（废气）。",
            "m³/a (water), Nm³/a (gas).",
        ),
        col(
            "限值 Limit",
            true,
            Accepts::NonNegative,
            10.0,
            "执行标准的排放限值，单位同浓度。",
            "The standard's limit, in the concentration unit.",
        ),
        col(
            "执行标准 Standard",
            true,
            Accepts::Text,
            20.0,
            "执行的排放标准及表号，如 GB 4287-2012 表2。",
            "The standard and its table, e.g. GB 4287-2012 表2.",
        ),
        col(
            "排放方式 Mode",
            true,
            Accepts::Text,
            30.0,
            "排放方式和去向（中文），如 间接排放，经市政污水管网排入城镇污水处理厂。",
            "Discharge mode and destination, in Chinese.",
        ),
        col(
            "英文排放方式 Mode (EN)",
            false,
            Accepts::Text,
            40.0,
            "排放方式（英文）。",
            "Discharge mode, in English.",
        ),
    ]
}

/// The five workbooks with the example rows of a profile; `years` are the three status
/// years, oldest first.
pub fn specs(p: &Profile, years: [i32; 3]) -> Vec<WorkbookSpec> {
    vec![
        status(p, years),
        balance(p),
        water(p),
        emissions(p),
        cash_flows(),
    ]
}

fn scaled(base: f64, output: &[f64; 3], i: usize) -> f64 {
    let v = base * output[i] / output[2];
    (v * 100.0).round() / 100.0
}

fn status(p: &Profile, years: [i32; 3]) -> WorkbookSpec {
    let [name, name_en] = name_cols();
    let output_rows = (0..3)
        .map(|i| {
            vec![
                years[i].into(),
                p.product.id.into(),
                p.output[i].into(),
                p.product.unit.into(),
                p.output_value[i].into(),
            ]
        })
        .collect();
    let mut material_rows = Vec::new();
    for (i, year) in years.iter().enumerate() {
        for m in &p.materials {
            material_rows.push(vec![
                (*year).into(),
                format!("{}（示例）", m.name.zh).into(),
                format!("{} (example)", m.name.en).into(),
                scaled(m.quantity, &p.output, i).into(),
                m.unit.into(),
                if m.toxic { "是" } else { "否" }.into(),
            ]);
        }
    }
    let mut energy_rows = Vec::new();
    for (i, year) in years.iter().enumerate() {
        for (carrier, unit, q) in &p.energy {
            energy_rows.push(vec![
                (*year).into(),
                (*carrier).into(),
                scaled(*q, &p.output, i).round().into(),
                (*unit).into(),
            ]);
        }
    }
    let intake_rows = (0..3)
        .map(|i| vec![years[i].into(), p.water_intake[i].into(), "t".into()])
        .collect();
    WorkbookSpec {
        file: "data/status.xlsx",
        key: "status",
        zh: "现状：近三年的产量、原辅材料、能源和新鲜水取水量，一年一行（每种产品、材料、能源各一行）。",
        en: "Status quo: output, materials, energy and fresh water of the last three years, one row per year and item.",
        sheets: vec![
            Sheet {
                name: "产量 Output",
                required: true,
                zh: "产品产量和产值。",
                en: "Output and output value per product.",
                columns: vec![
                    year_col(),
                    col(
                        "产品 Product",
                        true,
                        Accepts::Text,
                        14.0,
                        "产品编号，即 audit.yaml 中 enterprise.products 的 id。",
                        "Product id, as under enterprise.products in audit.yaml.",
                    ),
                    col(
                        "产量 Quantity",
                        true,
                        Accepts::NonNegative,
                        14.0,
                        "年产量，单位见“单位”列。",
                        "Output of the year, in the unit column's unit.",
                    ),
                    unit_col(
                        OUTPUT_UNITS,
                        "产量单位，与 audit.yaml 中产品的 unit 相同（万米、t、m² …）。",
                        "Unit of output, the product's unit in audit.yaml (万米 = 10⁴ m, t, m² …).",
                    ),
                    col(
                        "产值 Value (万元)",
                        false,
                        Accepts::NonNegative,
                        16.0,
                        "工业总产值，万元。",
                        "Gross output value, 10⁴ CNY.",
                    ),
                ],
                rows: output_rows,
            },
            Sheet {
                name: "原辅材料 Materials",
                required: true,
                zh: "原辅材料消耗。",
                en: "Raw and auxiliary materials used.",
                columns: vec![
                    year_col(),
                    name,
                    name_en,
                    col(
                        "用量 Quantity",
                        true,
                        Accepts::NonNegative,
                        14.0,
                        "年用量，单位见“单位”列。",
                        "Quantity used in the year, in the unit column's unit.",
                    ),
                    unit_col(MATERIAL_UNITS, "用量单位。", "Unit of the quantity."),
                    col(
                        "有毒有害 Toxic",
                        false,
                        Accepts::OneOf(YES_NO),
                        12.0,
                        "是否有毒有害原料：是 / 否。",
                        "Toxic or hazardous: 是 (yes) / 否 (no).",
                    ),
                ],
                rows: material_rows,
            },
            Sheet {
                name: "能源 Energy",
                required: true,
                zh: "能源消耗，按 GB/T 2589-2020 折标准煤。",
                en: "Energy used, converted to standard coal by GB/T 2589-2020.",
                columns: vec![
                    year_col(),
                    col(
                        "能源 Carrier",
                        true,
                        Accepts::Carrier,
                        16.0,
                        "能源品种编号（下拉选择）：electricity 电力、natural_gas 天然气、steam 蒸汽、diesel 柴油、raw_coal 原煤 …；全部编号及单位见隐藏的 Lists 表。",
                        "Carrier id (drop-down): electricity, natural_gas, steam, diesel, raw_coal …; every id and its unit is on the hidden Lists sheet.",
                    ),
                    col(
                        "用量 Quantity",
                        true,
                        Accepts::Number,
                        16.0,
                        "年用量；向外供出的能源写负数。",
                        "Quantity used in the year; energy supplied to others is negative.",
                    ),
                    unit_col(
                        ENERGY_UNITS,
                        "用量单位，须能换算为该能源的计量单位（电 kWh，气 m³，煤 kg/t）。",
                        "Unit, convertible to the carrier's unit (electricity kWh, gas m³, coal kg or t).",
                    ),
                ],
                rows: energy_rows,
            },
            Sheet {
                name: "取水 Water",
                required: true,
                zh: "新鲜水取水量。",
                en: "Fresh water intake.",
                columns: vec![
                    year_col(),
                    col(
                        "取水量 Quantity",
                        true,
                        Accepts::NonNegative,
                        16.0,
                        "年新鲜水取水量。",
                        "Fresh water taken in the year.",
                    ),
                    unit_col(
                        WATER_UNITS,
                        "t 或 m³（1 t 按 1 m³ 计）。",
                        "t or m³ (1 t is taken as 1 m³).",
                    ),
                ],
                rows: intake_rows,
            },
        ],
    }
}

fn balance(p: &Profile) -> WorkbookSpec {
    let [name, name_en] = name_cols();
    let factors = [1.0, 0.9, 1.1];
    let stream_rows = p
        .streams
        .iter()
        .map(|s| {
            let mut row: Vec<Value> = vec![
                s.id.into(),
                format!("{}（示例）", s.name.zh).into(),
                format!("{} (example)", s.name.en).into(),
                if s.input { Value::Empty } else { "U1".into() },
                if s.input { "U1".into() } else { Value::Empty },
                s.kind.into(),
                "t".into(),
            ];
            for f in factors {
                row.push(((s.batch * f * 1000.0).round() / 1000.0).into());
            }
            row
        })
        .collect();
    let component_rows = p
        .components
        .iter()
        .map(|(s, c, v)| vec![(*s).into(), (*c).into(), (*v).into(), "mg/L".into()])
        .collect();
    let mut columns = vec![
        col(
            "编号 ID",
            true,
            Accepts::Text,
            10.0,
            "物流编号，如 S01，每行唯一。",
            "Stream id, e.g. S01, unique.",
        ),
        name,
        name_en,
        col(
            "来源 From",
            true,
            Accepts::Text,
            10.0,
            "离开的单元操作编号（03-assessment.yaml 的 unit_operations）；从审核重点外进入的物流留空。",
            "Unit operation the stream leaves (unit_operations in 03-assessment.yaml); empty when it enters from outside the focus.",
        ),
        col(
            "去向 To",
            true,
            Accepts::Text,
            10.0,
            "进入的单元操作编号；离开审核重点的物流留空。",
            "Unit operation the stream enters; empty when it leaves the focus.",
        ),
        col(
            "类别 Kind",
            true,
            Accepts::OneOf(stream_kind_list()),
            10.0,
            "物流类别（下拉选择）：原料、辅料、水、蒸汽、中间品、产品、副产品、废水、废气、固废、损耗。",
            "Kind (drop-down): 原料 raw material, 辅料 auxiliary, 水 water, 蒸汽 steam, 中间品 intermediate, 产品 product, 副产品 by-product, 废水 wastewater, 废气 waste gas, 固废 solid waste, 损耗 loss.",
        ),
        unit_col(
            MASS_UNITS,
            "每批数量的单位，通常 t。",
            "Unit of the batch quantities, usually t.",
        ),
    ];
    for i in 1..=3 {
        columns.push(Column {
            header: ["批次1 Batch 1", "批次2 Batch 2", "批次3 Batch 3"][i - 1],
            required: i == 1,
            zh: "每个实测批次（或实测时段）的数量；间歇生产至少 3 批，可继续加列“批次4 Batch 4”…",
            en: "Quantity per measured batch (or period); at least 3 batches for batch processes; add columns `批次4 Batch 4` … as needed.",
            accepts: Accepts::NonNegative,
            width: 14.0,
        });
    }
    WorkbookSpec {
        file: "data/balance.xlsx",
        key: "balance",
        zh: "物料平衡：审核重点各单元操作的实测物流，每批一列。",
        en: "Material balance: the measured streams of the audit focus's unit operations, one column per batch.",
        sheets: vec![
            Sheet {
                name: "物料 Streams",
                required: true,
                zh: "实测物流，一条物流一行。",
                en: "Measured streams, one row per stream.",
                columns,
                rows: stream_rows,
            },
            Sheet {
                name: "污染因子 Components",
                required: false,
                zh: "物流中污染因子的浓度（用于污染因子平衡，可选）。",
                en: "Pollutant concentrations in the streams (for the pollutant-factor balance; optional).",
                columns: vec![
                    col(
                        "物流 Stream",
                        true,
                        Accepts::Text,
                        12.0,
                        "物流编号（“物料”表的编号）。",
                        "Stream id from the streams sheet.",
                    ),
                    col(
                        "因子 Component",
                        true,
                        Accepts::Text,
                        14.0,
                        "污染因子代码：COD、NH3-N、TN、Zn …",
                        "Pollutant code: COD, NH3-N, TN, Zn …",
                    ),
                    col(
                        "浓度 Concentration",
                        true,
                        Accepts::NonNegative,
                        16.0,
                        "浓度（各批平均）。",
                        "Concentration (mean of the batches).",
                    ),
                    unit_col(
                        &["mg/L", "g/L", "mg/kg"],
                        "浓度单位，通常 mg/L。",
                        "Unit, usually mg/L.",
                    ),
                ],
                rows: component_rows,
            },
        ],
    }
}

fn water(p: &Profile) -> WorkbookSpec {
    let [name, name_en] = name_cols();
    let rows = p
        .water_users
        .iter()
        .map(|u| {
            let mut row: Vec<Value> = vec![
                u.id.into(),
                format!("{}（示例）", u.name.zh).into(),
                format!("{} (example)", u.name.en).into(),
                u.kind.into(),
                "m³/d".into(),
            ];
            row.extend(u.flows.iter().map(|f| Value::Number(*f)));
            row
        })
        .collect();
    let q = |header, zh, en| col(header, true, Accepts::NonNegative, 14.0, zh, en);
    WorkbookSpec {
        file: "data/water.xlsx",
        key: "water",
        zh: "水平衡测试（GB/T 12452）：每个用水单元一行，新水 = 消耗 + 排放 + 漏失。",
        en: "Water balance test (GB/T 12452): one row per water user; new water = consumed + discharged + leakage.",
        sheets: vec![Sheet {
            name: "水平衡 Water",
            required: true,
            zh: "用水单元的水量。",
            en: "Water quantities per water user.",
            columns: vec![
                col(
                    "编号 ID",
                    true,
                    Accepts::Text,
                    10.0,
                    "用水单元编号，如 W1。",
                    "Water-user id, e.g. W1.",
                ),
                name,
                name_en,
                col(
                    "类型 Type",
                    true,
                    Accepts::OneOf(WATER_USES),
                    10.0,
                    "用水类型（下拉选择）：工艺、冷却（间接冷却水）、锅炉、生活、其他。",
                    "Type (drop-down): 工艺 process, 冷却 indirect cooling, 锅炉 boiler, 生活 domestic, 其他 other.",
                ),
                unit_col(
                    DAILY_UNITS,
                    "水量单位，通常 m³/d。",
                    "Unit of the quantities, usually m³/d.",
                ),
                q("新水 New water", "新鲜水量 V_f。", "Fresh water V_f."),
                q(
                    "重复利用 Reused",
                    "重复利用水量 V_r（循环水、回用水、回收的冷凝水）。",
                    "Reused or recirculated water V_r (recirculated, reclaimed, returned condensate).",
                ),
                q(
                    "消耗 Consumed",
                    "耗水量 V_co（蒸发、带走）。",
                    "Consumption V_co (evaporation, carried off).",
                ),
                q("排放 Discharged", "排水量 V_d。", "Discharge V_d."),
                q("漏失 Leakage", "漏失水量 V_l。", "Leakage V_l."),
            ],
            rows,
        }],
    }
}

fn outlet_rows(outlets: &[super::profile::Outlet]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for o in outlets {
        for (code, conc, unit, limit) in &o.rows {
            rows.push(vec![
                o.id.into(),
                format!("{}（示例）", o.name.zh).into(),
                format!("{} (example)", o.name.en).into(),
                code.as_str().into(),
                (*conc).into(),
                unit.as_str().into(),
                o.flow.into(),
                o.flow_unit.into(),
                (*limit).into(),
                o.standard.as_str().into(),
                o.mode.zh.into(),
                o.mode.en.into(),
            ]);
        }
    }
    rows
}

fn emissions(p: &Profile) -> WorkbookSpec {
    let columns = discharge_columns();
    WorkbookSpec {
        file: "data/emissions.xlsx",
        key: "emissions",
        zh: "污染物排放：各排放口每种污染物的浓度、年排放量、限值和执行标准，以及许可排放总量。",
        en: "Discharges: per outlet and pollutant the concentration, annual flow, limit and standard; and the permitted totals.",
        sheets: vec![
            Sheet {
                name: "废水 Wastewater",
                required: false,
                zh: "废水排放口。",
                en: "Wastewater outlets.",
                columns: columns.clone(),
                rows: outlet_rows(&p.wastewater),
            },
            Sheet {
                name: "废气 Waste gas",
                required: false,
                zh: "废气排放口。",
                en: "Waste-gas outlets.",
                columns,
                rows: outlet_rows(&p.waste_gas),
            },
            Sheet {
                name: "总量 Permits",
                required: false,
                zh: "排污许可证的年许可排放总量。",
                en: "Annual totals permitted by the discharge permit.",
                columns: vec![
                    col(
                        "污染物 Pollutant",
                        true,
                        Accepts::Text,
                        14.0,
                        "污染物代码，与废水、废气表一致。",
                        "Pollutant code, as on the wastewater and waste-gas sheets.",
                    ),
                    col(
                        "许可总量 Permitted (t/a)",
                        true,
                        Accepts::NonNegative,
                        22.0,
                        "许可年排放量，t/a。",
                        "Permitted annual total, t/a.",
                    ),
                ],
                rows: p
                    .permits
                    .iter()
                    .map(|(c, t)| vec![(*c).into(), (*t).into()])
                    .collect(),
            },
        ],
    }
}

fn cash_flows() -> WorkbookSpec {
    // F02 of the scaffold: investment 20, saving 8/a, life 5, tax 25 %:
    // F = (8 − 20/5)(1 − 0.25) + 20/5 = 7.
    let mut rows = vec![vec!["F02".into(), 0.into(), (-20.0).into()]];
    for year in 1..=5 {
        rows.push(vec!["F02".into(), year.into(), 7.0.into()]);
    }
    WorkbookSpec {
        file: "data/cashflows.xlsx",
        key: "cash_flows",
        zh: "方案逐年净现金流（可选）：有的中/高费方案另按逐年现金流计算净现值和内部收益率。",
        en: "Year-by-year net cash flows of options (optional): NPV and IRR from these flows as well as from the uniform method.",
        sheets: vec![Sheet {
            name: "现金流 Cash flows",
            required: true,
            zh: "每个方案每年一行，第 0 年为投资。",
            en: "One row per option and year; year 0 is the investment.",
            columns: vec![
                col(
                    "方案 Option",
                    true,
                    Accepts::Text,
                    12.0,
                    "方案编号（04-options.yaml）。",
                    "Option id from 04-options.yaml.",
                ),
                col(
                    "年份 Year",
                    true,
                    Accepts::YearIndex,
                    10.0,
                    "第几年：0 为投资年，之后 1、2、3 … 连续不缺。",
                    "Year: 0 is the investment, then 1, 2, 3 … without gaps.",
                ),
                col(
                    "净现金流 Net cash flow (万元)",
                    true,
                    Accepts::Number,
                    26.0,
                    "当年净现金流，万元；投资为负数。",
                    "Net cash flow of the year, 10⁴ CNY; the investment is negative.",
                ),
            ],
            rows,
        }],
    }
}

/// Rows checked by the drop-downs and number checks (row 2 to this one).
const CHECKED_ROWS: u32 = 1000;

/// Writes a workbook. `date` fixes the document's creation date.
pub fn write(spec: &WorkbookSpec, path: &Path, date: (i32, u8, u8)) -> Result<(), String> {
    let fail = |e: XlsxError| format!("cannot write `{}`: {e}", path.display());
    let mut wb = Workbook::new();
    let created =
        ExcelDateTime::from_ymd(date.0.clamp(1900, 9999) as u16, date.1, date.2).map_err(fail)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", spec.zh, spec.en))
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
    for sheet in &spec.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name).map_err(fail)?;
        ws.set_freeze_panes(1, 0).map_err(fail)?;
        for (c, column) in sheet.columns.iter().enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, column.header, &header)
                .map_err(fail)?;
            ws.set_column_width(c, column.width).map_err(fail)?;
            let required = if column.required {
                "必填 Required"
            } else {
                "可选 Optional"
            };
            let note = Note::new(format!(
                "{}（{required}）\n{}\n{}",
                column.header, column.zh, column.en
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
            for (c, value) in row.iter().enumerate() {
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
        for (c, h) in [
            "能源 Carrier",
            "名称 Name",
            "英文名称 Name (EN)",
            "单位 Unit",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &header)
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

/// The drop-down list or number check of a column.
fn validation(column: &Column) -> Result<Option<DataValidation>, String> {
    let fail = |e: XlsxError| format!("drop-down of column `{}`: {e}", column.header);
    let title = column.header.chars().take(32).collect::<String>();
    let message = {
        let m = format!("{} {}", column.zh, column.en);
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

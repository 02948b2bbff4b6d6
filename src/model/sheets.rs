//! The workbooks of an audit folder, each sheet declared once: its bilingual name, and
//! for every column the key the loader asks for, the bilingual header, what it accepts
//! (its type, unit list or drop-down list), whether it is required, and its help text.
//!
//! One declaration serves everyone who needs a sheet's shape: the reader
//! (`load/tables.rs` finds columns by these headers), `cpaudit init` (writes these
//! headers, notes and drop-downs), the audit-folder reference (`schema.rs`) and the
//! tests (which build workbooks from it). Nothing here reads or writes a file.

use super::{StreamKind, WaterUse};

/// What a column accepts; decides its drop-down list or number check in the workbooks
/// `init` writes, and the words of the reference.
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
    /// A whole number ≥ 0 (a count).
    Count,
    /// One of these words, nothing else (a drop-down list).
    OneOf(&'static [&'static str]),
    /// Usually one of these units; others are accepted if cpaudit can convert them.
    Suggested(&'static [&'static str]),
    /// An energy carrier id of GB/T 2589 (the list is on the hidden `Lists` sheet).
    Carrier,
}

/// A column of an input sheet.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// The key the loader asks for (`id`, `name_en`).
    pub key: &'static str,
    /// The Chinese half of the header (`编号`).
    pub zh: &'static str,
    /// The English half of the header (`ID`).
    pub en: &'static str,
    /// A unit printed after the header in brackets (`产值 Value (万元)`).
    pub unit: Option<&'static str>,
    /// Other header words the loader accepts for the column (lower case).
    pub also: &'static [&'static str],
    /// Whether a sheet without the column is an error.
    pub required: bool,
    /// Whether its text is a note (a standard, a mode, a purpose) that may be longer
    /// than a name; any other text (ids, names, units, kinds) is a name.
    pub note: bool,
    /// What it accepts.
    pub accepts: Accepts,
    /// Column width in characters, in the workbooks `init` writes.
    pub width: f64,
    /// What to write, in Chinese.
    pub help_zh: &'static str,
    /// What to write, in English.
    pub help_en: &'static str,
}

/// A required text column; the `const fn` methods below set the rest.
pub const fn column(key: &'static str, zh: &'static str, en: &'static str) -> ColumnSpec {
    ColumnSpec {
        key,
        zh,
        en,
        unit: None,
        also: &[],
        required: true,
        note: false,
        accepts: Accepts::Text,
        width: 12.0,
        help_zh: "",
        help_en: "",
    }
}

impl ColumnSpec {
    /// The column may be absent.
    pub const fn optional(self) -> Self {
        ColumnSpec {
            required: false,
            ..self
        }
    }
    /// Its text is a note.
    pub const fn note(self) -> Self {
        ColumnSpec { note: true, ..self }
    }
    /// What it accepts.
    pub const fn accepts(self, accepts: Accepts) -> Self {
        ColumnSpec { accepts, ..self }
    }
    /// Its width in the written workbook.
    pub const fn width(self, width: f64) -> Self {
        ColumnSpec { width, ..self }
    }
    /// The unit printed after the header.
    pub const fn unit(self, unit: &'static str) -> Self {
        ColumnSpec {
            unit: Some(unit),
            ..self
        }
    }
    /// Other header words accepted.
    pub const fn also(self, also: &'static [&'static str]) -> Self {
        ColumnSpec { also, ..self }
    }
    /// Its help text.
    pub const fn help(self, zh: &'static str, en: &'static str) -> Self {
        ColumnSpec {
            help_zh: zh,
            help_en: en,
            ..self
        }
    }

    /// The header as `init` writes it: `编号 ID`, `产值 Value (万元)`.
    pub fn header(&self) -> String {
        match self.unit {
            Some(u) => format!("{} {} ({u})", self.zh, self.en),
            None => format!("{} {}", self.zh, self.en),
        }
    }

    /// The words a header may use for the column: the Chinese half, the English half
    /// (in lower case) and the other accepted words.
    pub fn words(&self) -> Vec<String> {
        let mut w = vec![self.zh.to_string(), self.en.to_lowercase()];
        w.extend(self.also.iter().map(|a| a.to_string()));
        w
    }
}

/// Columns that repeat, numbered from 1: the measured batches of a stream
/// (`批次1 Batch 1`, `批次2 Batch 2`, …).
#[derive(Debug, Clone, Copy)]
pub struct Repeated {
    /// The Chinese word before the number (`批次`).
    pub zh: &'static str,
    /// The English word before the number (`Batch`).
    pub en: &'static str,
    /// How many `init` writes; the first is required.
    pub written: usize,
    /// What each accepts.
    pub accepts: Accepts,
    /// Width of each.
    pub width: f64,
    /// What to write, in Chinese.
    pub help_zh: &'static str,
    /// What to write, in English.
    pub help_en: &'static str,
}

impl Repeated {
    /// The header of the `n`-th (from 1): `批次1 Batch 1`.
    pub fn header(&self, n: usize) -> String {
        format!("{}{n} {} {n}", self.zh, self.en)
    }

    /// The key of the `n`-th (from 1) in the rows `init` and the tests write: `batch1`.
    pub fn key(&self, n: usize) -> String {
        format!("{}{n}", self.en.to_lowercase())
    }

    /// The number of a key `key` made (`batch2` → 2).
    pub fn number(&self, key: &str) -> Option<usize> {
        key.strip_prefix(&self.en.to_lowercase())?.parse().ok()
    }

    /// Whether a header (normalised, lower case) names one of these columns.
    pub fn names(&self, header: &str) -> bool {
        header.starts_with(self.zh) || header.contains(&self.en.to_lowercase())
    }
}

/// A sheet of a workbook.
#[derive(Debug, Clone, Copy)]
pub struct SheetSpec {
    /// The Chinese half of the sheet's name (`物料`).
    pub zh: &'static str,
    /// The English half (`Streams`).
    pub en: &'static str,
    /// Other words a sheet name may contain to be this sheet (lower case).
    pub also: &'static [&'static str],
    /// Whether the workbook must have it.
    pub required: bool,
    /// What it holds, in Chinese.
    pub help_zh: &'static str,
    /// What it holds, in English.
    pub help_en: &'static str,
    /// Its columns, in the order `init` writes them.
    pub columns: &'static [ColumnSpec],
    /// Numbered columns after the others, if any.
    pub repeated: Option<Repeated>,
}

impl SheetSpec {
    /// The name `init` gives the sheet: `物料 Streams`.
    pub fn name(&self) -> String {
        format!("{} {}", self.zh, self.en)
    }

    /// The words a sheet's name may contain to be this sheet (lower case).
    pub fn words(&self) -> Vec<String> {
        let mut w = vec![self.zh.to_string(), self.en.to_lowercase()];
        w.extend(self.also.iter().map(|a| a.to_string()));
        w
    }

    /// The column of a key.
    pub fn column(&self, key: &str) -> Option<&'static ColumnSpec> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The headers `init` writes, in order, with the repeated columns.
    pub fn headers(&self) -> Vec<String> {
        let mut h: Vec<String> = self.columns.iter().map(ColumnSpec::header).collect();
        if let Some(r) = &self.repeated {
            h.extend((1..=r.written).map(|n| r.header(n)));
        }
        h
    }
}

/// A workbook of the audit folder.
#[derive(Debug, Clone, Copy)]
pub struct WorkbookSpec {
    /// Its key under `data:` in audit.yaml.
    pub key: &'static str,
    /// The path `init` writes it to, relative to the audit folder.
    pub file: &'static str,
    /// What it holds, in Chinese.
    pub help_zh: &'static str,
    /// What it holds, in English.
    pub help_en: &'static str,
    /// Its sheets, in order.
    pub sheets: &'static [&'static SheetSpec],
}

/// The first word of each of a list of kinds: the word `init` offers in a drop-down.
/// Fails to compile when `N` is not the number of kinds.
const fn first_words<T, const N: usize>(
    kinds: &[(T, &'static [&'static str])],
) -> [&'static str; N] {
    assert!(kinds.len() == N);
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = kinds[i].1[0];
        i += 1;
    }
    out
}

/// The stream kinds, in the Chinese word of each (the drop-down of `类别 Kind`).
pub const STREAM_KINDS: [&str; 11] = first_words(StreamKind::WORDS);
/// The water uses, in the Chinese word of each (the drop-down of `类型 Type`).
pub const WATER_USES: [&str; 5] = first_words(WaterUse::WORDS);

const OUTPUT_UNITS: &[&str] = &["万米", "米", "t", "m²", "万m²", "件", "万件"];
const MATERIAL_UNITS: &[&str] = &["t", "kg", "万米", "m³", "L"];
const ENERGY_UNITS: &[&str] = &["kWh", "万kWh", "m³", "万m³", "t", "kg", "GJ"];
const WATER_UNITS: &[&str] = &["t", "m³", "万t", "万m³"];
const MASS_UNITS: &[&str] = &["t", "kg"];
const CONC_UNITS: &[&str] = &["mg/L", "mg/m³", "倍"];
const FLOW_UNITS: &[&str] = &["m³/a", "Nm³/a", "t/a", "m³/d"];
const DAILY_UNITS: &[&str] = &["m³/d", "t/d", "m³/h"];
const COMPONENT_UNITS: &[&str] = &["mg/L", "g/L", "mg/kg"];
/// The words of a yes/no column.
pub const YES_NO: &[&str] = &["是", "否"];

const YEAR: ColumnSpec = column("year", "年份", "Year")
    .accepts(Accepts::Year)
    .width(10.0)
    .help("四位年份，如 2025。", "The four-digit year, e.g. 2025.");

const fn unit(units: &'static [&'static str], zh: &'static str, en: &'static str) -> ColumnSpec {
    column("unit", "单位", "Unit")
        .accepts(Accepts::Suggested(units))
        .width(10.0)
        .help(zh, en)
}

const NAME: ColumnSpec = column("name", "名称", "Name")
    .width(24.0)
    .help("中文名称。", "The name in Chinese.");
const NAME_EN: ColumnSpec = column("name_en", "英文名称", "Name (EN)")
    .optional()
    .width(32.0)
    .help(
        "英文名称；空着则英文报告用中文名称。",
        "The name in English; when empty the English report prints the Chinese name.",
    );

// ------------------------------------------------------------------- status

/// 产量 Output: output and output value per year and product.
pub const OUTPUT: SheetSpec = SheetSpec {
    zh: "产量",
    en: "Output",
    also: &[],
    required: true,
    help_zh: "产品产量和产值。",
    help_en: "Output and output value per product.",
    columns: &[
        YEAR,
        column("product", "产品", "Product").width(14.0).help(
            "产品编号，即 audit.yaml 中 enterprise.products 的 id。",
            "Product id, as under enterprise.products in audit.yaml.",
        ),
        column("quantity", "产量", "Quantity")
            .also(&["output"])
            .accepts(Accepts::NonNegative)
            .width(14.0)
            .help(
                "年产量，单位见“单位”列。",
                "Output of the year, in the unit column's unit.",
            ),
        unit(
            OUTPUT_UNITS,
            "产量单位，与 audit.yaml 中产品的 unit 相同（万米、t、m² …）。",
            "Unit of output, the product's unit in audit.yaml (万米 = 10⁴ m, t, m² …).",
        ),
        column("value", "产值", "Value")
            .unit("万元")
            .optional()
            .accepts(Accepts::NonNegative)
            .width(16.0)
            .help("工业总产值，万元。", "Gross output value, 10⁴ CNY."),
    ],
    repeated: None,
};

/// 原辅材料 Materials: raw and auxiliary materials per year.
pub const MATERIALS: SheetSpec = SheetSpec {
    zh: "原辅材料",
    en: "Materials",
    also: &[],
    required: true,
    help_zh: "原辅材料消耗。",
    help_en: "Raw and auxiliary materials used.",
    columns: &[
        YEAR,
        NAME,
        NAME_EN,
        column("quantity", "用量", "Quantity")
            .accepts(Accepts::NonNegative)
            .width(14.0)
            .help(
                "年用量，单位见“单位”列。",
                "Quantity used in the year, in the unit column's unit.",
            ),
        unit(MATERIAL_UNITS, "用量单位。", "Unit of the quantity."),
        column("toxic", "有毒有害", "Toxic")
            .optional()
            .note()
            .accepts(Accepts::OneOf(YES_NO))
            .width(12.0)
            .help(
                "是否有毒有害原料：是 / 否。",
                "Toxic or hazardous: 是 (yes) / 否 (no).",
            ),
        column("purpose", "用途", "Purpose")
            .optional()
            .note()
            .width(20.0)
            .help(
                "用途（可选），如 染色、前处理；公示中的有毒有害原料表列出。",
                "What it is used for (optional), e.g. dyeing, pretreatment; the notice's table of toxic materials lists it.",
            ),
    ],
    repeated: None,
};

/// 能源 Energy: energy carriers per year.
pub const ENERGY: SheetSpec = SheetSpec {
    zh: "能源",
    en: "Energy",
    also: &[],
    required: true,
    help_zh: "能源消耗，按 GB/T 2589-2020 折标准煤。",
    help_en: "Energy used, converted to standard coal by GB/T 2589-2020.",
    columns: &[
        YEAR,
        column("carrier", "能源", "Carrier")
            .also(&["能源品种"])
            .accepts(Accepts::Carrier)
            .width(16.0)
            .help(
                "能源品种编号（下拉选择）：electricity 电力、natural_gas 天然气、steam 蒸汽、diesel 柴油、raw_coal 原煤 …；全部编号及单位见隐藏的 Lists 表。",
                "Carrier id (drop-down): electricity, natural_gas, steam, diesel, raw_coal …; every id and its unit is on the hidden Lists sheet.",
            ),
        column("quantity", "用量", "Quantity")
            .accepts(Accepts::Number)
            .width(16.0)
            .help(
                "年用量；向外供出的能源写负数。",
                "Quantity used in the year; energy supplied to others is negative.",
            ),
        unit(
            ENERGY_UNITS,
            "用量单位，须能换算为该能源的计量单位（电 kWh，气 m³，煤 kg/t）。",
            "Unit, convertible to the carrier's unit (electricity kWh, gas m³, coal kg or t).",
        ),
    ],
    repeated: None,
};

/// 取水 Water: fresh water intake per year.
pub const INTAKE: SheetSpec = SheetSpec {
    zh: "取水",
    en: "Water",
    also: &[],
    required: true,
    help_zh: "新鲜水取水量。",
    help_en: "Fresh water intake.",
    columns: &[
        YEAR,
        column("quantity", "取水量", "Quantity")
            .accepts(Accepts::NonNegative)
            .width(16.0)
            .help("年新鲜水取水量。", "Fresh water taken in the year."),
        unit(
            WATER_UNITS,
            "t 或 m³（1 t 按 1 m³ 计）。",
            "t or m³ (1 t is taken as 1 m³).",
        ),
    ],
    repeated: None,
};

/// 危险废物 Hazardous waste: each hazardous waste per year, with its code of the
/// National Hazardous Waste List, storage and licensed disposer.
pub const HAZARDOUS_WASTE: SheetSpec = SheetSpec {
    zh: "危险废物",
    en: "Hazardous waste",
    also: &[],
    required: false,
    help_zh: "危险废物的产生和处置：每种危险废物每年一行。报告的危险废物表和公示的危险废物数据都取自本表。",
    help_en: "Hazardous waste generated and disposed of: one row per waste and year. The report's hazardous-waste table and the notice's figures both come from this sheet.",
    columns: &[
        YEAR,
        column("category", "废物类别", "Category")
            .width(12.0)
            .help(
                "《国家危险废物名录》的废物类别，HW 加两位数字，如 HW08、HW49。",
                "Category of the National Hazardous Waste List: HW and two digits, e.g. HW08, HW49.",
            ),
        column("code", "废物代码", "Waste code")
            .optional()
            .width(14.0)
            .help(
                "名录中的 8 位废物代码，如 900-041-49；末两位须与废物类别一致。",
                "The List's eight-digit waste code, e.g. 900-041-49; its last two digits are the category's.",
            ),
        NAME.help("危险废物名称（中文）。", "Name of the waste, in Chinese."),
        NAME_EN,
        column("quantity", "产生量", "Generated")
            .unit("t")
            .accepts(Accepts::NonNegative)
            .width(14.0)
            .help("当年产生量，t。", "Quantity generated in the year, t."),
        column("storage", "贮存", "Storage")
            .optional()
            .note()
            .width(30.0)
            .help(
                "贮存方式和场所，如 危废仓库（符合 GB 18597）桶装密闭贮存。",
                "How and where it is stored, e.g. closed drums in the hazardous-waste store built to GB 18597.",
            ),
        column("storage_en", "英文贮存", "Storage (EN)")
            .optional()
            .note()
            .width(40.0)
            .help("贮存方式和场所（英文）。", "How and where it is stored, in English."),
        column("disposer", "处置单位", "Disposer")
            .width(28.0)
            .help(
                "接收处置的持证单位名称（中文）；自行利用处置的写“自行处置”。",
                "The licensed unit that takes the waste, in Chinese; 自行处置 when the plant treats it itself.",
            ),
        column("disposer_en", "英文处置单位", "Disposer (EN)")
            .optional()
            .width(32.0)
            .help("处置单位（英文）。", "The disposer, in English."),
        column("licence", "许可证编号", "Licence No.")
            .also(&["licence", "license"])
            .width(18.0)
            .help(
                "处置单位的危险废物经营许可证编号。",
                "The disposer's hazardous-waste business licence number.",
            ),
        column("manifests", "转移联单", "Manifests")
            .optional()
            .accepts(Accepts::Count)
            .width(12.0)
            .help("当年转移联单数（份）。", "Transfer manifests issued in the year."),
    ],
    repeated: None,
};

/// The status workbook.
pub const STATUS: WorkbookSpec = WorkbookSpec {
    key: "status",
    file: "data/status.xlsx",
    help_zh: "现状：近三年的产量、原辅材料、能源、新鲜水取水量和危险废物，一年一行（每种产品、材料、能源、危险废物各一行）。",
    help_en: "Status quo: output, materials, energy, fresh water and hazardous waste of the last three years, one row per year and item.",
    sheets: &[&OUTPUT, &MATERIALS, &ENERGY, &INTAKE, &HAZARDOUS_WASTE],
};

// ------------------------------------------------------------------ balance

/// 物料 Streams: the measured streams of the audit focus, one column per batch.
pub const STREAMS: SheetSpec = SheetSpec {
    zh: "物料",
    en: "Streams",
    also: &[],
    required: true,
    help_zh: "实测物流，一条物流一行。",
    help_en: "Measured streams, one row per stream.",
    columns: &[
        column("id", "编号", "ID")
            .width(10.0)
            .help("物流编号，如 S01，每行唯一。", "Stream id, e.g. S01, unique."),
        NAME,
        NAME_EN,
        column("from", "来源", "From")
            .width(10.0)
            .help(
                "离开的单元操作编号（03-assessment.yaml 的 unit_operations）；从审核重点外进入的物流留空。",
                "Unit operation the stream leaves (unit_operations in 03-assessment.yaml); empty when it enters from outside the focus.",
            ),
        column("to", "去向", "To")
            .width(10.0)
            .help(
                "进入的单元操作编号；离开审核重点的物流留空。",
                "Unit operation the stream enters; empty when it leaves the focus.",
            ),
        column("kind", "类别", "Kind")
            .accepts(Accepts::OneOf(&STREAM_KINDS))
            .width(10.0)
            .help(
                "物流类别（下拉选择）：原料、辅料、水、蒸汽、中间品、产品、副产品、废水、废气、固废、损耗。",
                "Kind (drop-down): 原料 raw material, 辅料 auxiliary, 水 water, 蒸汽 steam, 中间品 intermediate, 产品 product, 副产品 by-product, 废水 wastewater, 废气 waste gas, 固废 solid waste, 损耗 loss.",
            ),
        unit(
            MASS_UNITS,
            "每批数量的单位，通常 t。",
            "Unit of the batch quantities, usually t.",
        ),
    ],
    repeated: Some(Repeated {
        zh: "批次",
        en: "Batch",
        written: 3,
        accepts: Accepts::NonNegative,
        width: 14.0,
        help_zh: "每个实测批次（或实测时段）的数量；间歇生产至少 3 批，可继续加列“批次4 Batch 4”…",
        help_en: "Quantity per measured batch (or period); at least 3 batches for batch processes; add columns `批次4 Batch 4` … as needed.",
    }),
};

/// 污染因子 Components: pollutant concentrations in the measured streams.
pub const COMPONENTS: SheetSpec = SheetSpec {
    zh: "污染因子",
    en: "Components",
    also: &[],
    required: false,
    help_zh: "物流中污染因子的浓度（用于污染因子平衡，可选）。",
    help_en: "Pollutant concentrations in the streams (for the pollutant-factor balance; optional).",
    columns: &[
        column("stream", "物流", "Stream").width(12.0).help(
            "物流编号（“物料”表的编号）。",
            "Stream id from the streams sheet.",
        ),
        column("component", "因子", "Component")
            .also(&["污染物"])
            .width(14.0)
            .help(
                "污染因子代码：COD、NH3-N、TN、Zn …",
                "Pollutant code: COD, NH3-N, TN, Zn …",
            ),
        column("concentration", "浓度", "Concentration")
            .accepts(Accepts::NonNegative)
            .width(16.0)
            .help("浓度（各批平均）。", "Concentration (mean of the batches)."),
        unit(
            COMPONENT_UNITS,
            "浓度单位，通常 mg/L。",
            "Unit, usually mg/L.",
        ),
    ],
    repeated: None,
};

/// The balance workbook.
pub const BALANCE: WorkbookSpec = WorkbookSpec {
    key: "balance",
    file: "data/balance.xlsx",
    help_zh: "物料平衡：审核重点各单元操作的实测物流，每批一列。",
    help_en: "Material balance: the measured streams of the audit focus's unit operations, one column per batch.",
    sheets: &[&STREAMS, &COMPONENTS],
};

// -------------------------------------------------------------------- water

const fn flow(key: &'static str, zh: &'static str, en: &'static str) -> ColumnSpec {
    column(key, zh, en)
        .accepts(Accepts::NonNegative)
        .width(14.0)
}

/// 水平衡 Water: the water balance test, one row per water user.
pub const WATER_USERS: SheetSpec = SheetSpec {
    zh: "水平衡",
    en: "Water",
    also: &[],
    required: true,
    help_zh: "用水单元的水量。",
    help_en: "Water quantities per water user.",
    columns: &[
        column("id", "编号", "ID")
            .width(10.0)
            .help("用水单元编号，如 W1。", "Water-user id, e.g. W1."),
        NAME,
        NAME_EN,
        column("kind", "类型", "Type")
            .accepts(Accepts::OneOf(&WATER_USES))
            .width(10.0)
            .help(
                "用水类型（下拉选择）：工艺、冷却（间接冷却水）、锅炉、生活、其他。",
                "Type (drop-down): 工艺 process, 冷却 indirect cooling, 锅炉 boiler, 生活 domestic, 其他 other.",
            ),
        unit(
            DAILY_UNITS,
            "水量单位，通常 m³/d。",
            "Unit of the quantities, usually m³/d.",
        ),
        flow("new", "新水", "New water")
            .also(&["取水", "intake"])
            .help("新鲜水量 V_f。", "Fresh water V_f."),
        flow("reused", "重复利用", "Reused").help(
            "重复利用水量 V_r（循环水、回用水、回收的冷凝水）。",
            "Reused or recirculated water V_r (recirculated, reclaimed, returned condensate).",
        ),
        flow("consumed", "消耗", "Consumed").help(
            "耗水量 V_co（蒸发、带走）。",
            "Consumption V_co (evaporation, carried off).",
        ),
        flow("discharged", "排放", "Discharged")
            .also(&["排水"])
            .help("排水量 V_d。", "Discharge V_d."),
        flow("leakage", "漏失", "Leakage").help("漏失水量 V_l。", "Leakage V_l."),
    ],
    repeated: None,
};

/// The water workbook.
pub const WATER: WorkbookSpec = WorkbookSpec {
    key: "water",
    file: "data/water.xlsx",
    help_zh: "水平衡测试（GB/T 12452）：每个用水单元一行，新水 = 消耗 + 排放 + 漏失。",
    help_en: "Water balance test (GB/T 12452): one row per water user; new water = consumed + discharged + leakage.",
    sheets: &[&WATER_USERS],
};

// ---------------------------------------------------------------- emissions

/// The columns of the wastewater and the waste-gas sheet.
pub const DISCHARGE_COLUMNS: &[ColumnSpec] = &[
    column("source", "排放口", "Source")
        .width(12.0)
        .help(
            "排放口编号（排污许可证中的编号，如 DW001、DA001）；同一排放口的每种污染物一行。",
            "Outlet id as in the discharge permit (DW001, DA001); one row per pollutant of the outlet.",
        ),
    NAME,
    NAME_EN,
    column("pollutant", "污染物", "Pollutant")
        .width(14.0)
        .help(
            "污染物代码：COD、BOD5、SS、NH3-N、TN、TP、colour、Cr、Cr6+、Ni、Cu、Zn、CN、SO2、NOx、particulates、HCl 等；与“总量”表一致。",
            "Pollutant code: COD, BOD5, SS, NH3-N, TN, TP, colour, Cr, Cr6+, Ni, Cu, Zn, CN, SO2, NOx, particulates, HCl …; the same codes as on the permits sheet.",
        ),
    column("concentration", "浓度", "Concentration")
        .accepts(Accepts::NonNegative)
        .width(14.0)
        .help(
            "实测浓度（年均值），单位见“浓度单位”。",
            "Measured concentration (annual mean), in the concentration unit.",
        ),
    column("concentration_unit", "浓度单位", "Concentration unit")
        .accepts(Accepts::Suggested(CONC_UNITS))
        .width(14.0)
        .help(
            "mg/L（废水）、mg/m³（废气）、倍（色度）。",
            "mg/L (water), mg/m³ (gas), 倍 (colour, dilution ratio).",
        ),
    column("flow", "流量", "Flow")
        .accepts(Accepts::NonNegative)
        .width(14.0)
        .help(
            "排放口的年排放量（废水或废气体积），单位见“流量单位”。",
            "Annual flow of the outlet (wastewater or gas volume), in the flow unit.",
        ),
    column("flow_unit", "流量单位", "Flow unit")
        .accepts(Accepts::Suggested(FLOW_UNITS))
        .width(12.0)
        .help("m³/a（废水）、Nm³/a（废气）。", "m³/a (water), Nm³/a (gas)."),
    column("limit", "限值", "Limit")
        .accepts(Accepts::NonNegative)
        .width(10.0)
        .help(
            "执行标准的排放限值，单位同浓度。",
            "The standard's limit, in the concentration unit.",
        ),
    column("standard", "执行标准", "Standard")
        .note()
        .width(20.0)
        .help(
            "执行的排放标准及表号，如 GB 4287-2012 表2。",
            "The standard and its table, e.g. GB 4287-2012 表2.",
        ),
    column("mode", "排放方式", "Mode")
        .note()
        .width(30.0)
        .help(
            "排放方式和去向（中文），如 间接排放，经市政污水管网排入城镇污水处理厂。",
            "Discharge mode and destination, in Chinese.",
        ),
    column("mode_en", "英文排放方式", "Mode (EN)")
        .optional()
        .note()
        .width(40.0)
        .help("排放方式（英文）。", "Discharge mode, in English."),
];

/// 废水 Wastewater: wastewater outlets, one row per outlet and pollutant.
pub const WASTEWATER: SheetSpec = SheetSpec {
    zh: "废水",
    en: "Wastewater",
    also: &[],
    required: false,
    help_zh: "废水排放口。",
    help_en: "Wastewater outlets.",
    columns: DISCHARGE_COLUMNS,
    repeated: None,
};

/// 废气 Waste gas: waste-gas outlets, one row per outlet and pollutant.
pub const WASTE_GAS: SheetSpec = SheetSpec {
    zh: "废气",
    en: "Waste gas",
    also: &[],
    required: false,
    help_zh: "废气排放口。",
    help_en: "Waste-gas outlets.",
    columns: DISCHARGE_COLUMNS,
    repeated: None,
};

/// 总量 Permits: the annual totals the discharge permit allows.
pub const PERMITS: SheetSpec = SheetSpec {
    zh: "总量",
    en: "Permits",
    also: &["permit"],
    required: false,
    help_zh: "排污许可证的年许可排放总量。",
    help_en: "Annual totals permitted by the discharge permit.",
    columns: &[
        column("pollutant", "污染物", "Pollutant").width(14.0).help(
            "污染物代码，与废水、废气表一致。",
            "Pollutant code, as on the wastewater and waste-gas sheets.",
        ),
        column("total", "许可总量", "Permitted")
            .unit("t/a")
            .accepts(Accepts::NonNegative)
            .width(22.0)
            .help("许可年排放量，t/a。", "Permitted annual total, t/a."),
    ],
    repeated: None,
};

/// The emissions workbook.
pub const EMISSIONS: WorkbookSpec = WorkbookSpec {
    key: "emissions",
    file: "data/emissions.xlsx",
    help_zh: "污染物排放：各排放口每种污染物的浓度、年排放量、限值和执行标准，以及许可排放总量。",
    help_en: "Discharges: per outlet and pollutant the concentration, annual flow, limit and standard; and the permitted totals.",
    sheets: &[&WASTEWATER, &WASTE_GAS, &PERMITS],
};

// --------------------------------------------------------------- cash flows

/// 现金流 Cash flows: net cash flow per option and year.
pub const CASH_FLOWS: SheetSpec = SheetSpec {
    zh: "现金流",
    en: "Cash flows",
    also: &["cash"],
    required: true,
    help_zh: "每个方案每年一行，第 0 年为投资。",
    help_en: "One row per option and year; year 0 is the investment.",
    columns: &[
        column("option", "方案", "Option").width(12.0).help(
            "方案编号（04-options.yaml）。",
            "Option id from 04-options.yaml.",
        ),
        column("year", "年份", "Year")
            .accepts(Accepts::YearIndex)
            .width(10.0)
            .help(
                "第几年：0 为投资年，之后 1、2、3 … 连续不缺。",
                "Year: 0 is the investment, then 1, 2, 3 … without gaps.",
            ),
        column("amount", "净现金流", "Net cash flow")
            .unit("万元")
            .also(&["cash flow"])
            .accepts(Accepts::Number)
            .width(26.0)
            .help(
                "当年净现金流，万元；投资为负数。",
                "Net cash flow of the year, 10⁴ CNY; the investment is negative.",
            ),
    ],
    repeated: None,
};

/// The cash-flow workbook.
pub const CASH_FLOW_BOOK: WorkbookSpec = WorkbookSpec {
    key: "cash_flows",
    file: "data/cashflows.xlsx",
    help_zh: "方案逐年净现金流（可选）：有的中/高费方案另按逐年现金流计算净现值和内部收益率。",
    help_en: "Year-by-year net cash flows of options (optional): NPV and IRR from these flows as well as from the uniform method.",
    sheets: &[&CASH_FLOWS],
};

/// Every workbook of an audit folder, in the order of `data:` in audit.yaml.
pub const WORKBOOKS: &[&WorkbookSpec] = &[&STATUS, &BALANCE, &WATER, &EMISSIONS, &CASH_FLOW_BOOK];

/// A value of a row to write into a sheet (an example row of `init`, a row of a test).
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

/// A row to write into a sheet: values by column key, so that the row does not depend
/// on the order of the columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row(pub Vec<(String, Value)>);

impl Row {
    /// An empty row.
    pub fn new() -> Row {
        Row::default()
    }

    /// The row with `key` set to `value`.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Row {
        self.set(key, value);
        self
    }

    /// Sets `key` to `value`, replacing a value it had.
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// The rows of one sheet.
#[derive(Debug, Clone)]
pub struct SheetRows {
    /// The sheet.
    pub spec: &'static SheetSpec,
    /// Its rows.
    pub rows: Vec<Row>,
}

/// A workbook with its rows, ready to write.
#[derive(Debug, Clone)]
pub struct Book {
    /// The workbook.
    pub spec: &'static WorkbookSpec,
    /// Its sheets with their rows, in the workbook's order.
    pub sheets: Vec<SheetRows>,
}

impl SheetSpec {
    /// The column index of every key a row may hold (the repeated columns as
    /// `batch1`, `batch2`, … up to `repeated` of them).
    pub fn layout(&self, repeated: usize) -> Vec<String> {
        let mut keys: Vec<String> = self.columns.iter().map(|c| c.key.to_string()).collect();
        if let Some(r) = &self.repeated {
            keys.extend((1..=repeated).map(|n| r.key(n)));
        }
        keys
    }

    /// The values of `row` in column order (`repeated` numbered columns); `Err` names
    /// a key the sheet does not have.
    pub fn cells(&self, row: &Row, repeated: usize) -> Result<Vec<Value>, String> {
        let keys = self.layout(repeated);
        if let Some((k, _)) = row.0.iter().find(|(k, _)| !keys.contains(k)) {
            return Err(format!("sheet `{}` has no column `{k}`", self.name()));
        }
        Ok(keys
            .iter()
            .map(|k| row.get(k).cloned().unwrap_or(Value::Empty))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_a_sheet() {
        for w in WORKBOOKS {
            for s in w.sheets {
                for (i, c) in s.columns.iter().enumerate() {
                    assert!(
                        s.columns[i + 1..].iter().all(|d| d.key != c.key),
                        "{}: {}",
                        s.name(),
                        c.key
                    );
                    assert!(!c.help_zh.is_empty() && !c.help_en.is_empty(), "{}", c.key);
                }
            }
        }
    }

    #[test]
    fn headers_are_bilingual() {
        assert_eq!(OUTPUT.columns[4].header(), "产值 Value (万元)");
        assert_eq!(STREAMS.headers()[7], "批次1 Batch 1");
        assert_eq!(STREAMS.repeated.unwrap().key(2), "batch2");
        assert_eq!(STREAM_KINDS[0], "原料");
        assert_eq!(WATER_USES[4], "其他");
    }
}

//! Rows read from the workbooks. Every value remembers its cell, so that a check or a
//! calculation can say `data/balance.xlsx: 物料!D14` about it.

use super::{Medium, Text};
use serde::Serialize;
use std::fmt;

/// A cell of a workbook: file, sheet and absolute 0-based row and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cell {
    /// Workbook path relative to the audit folder.
    pub file: String,
    /// Sheet name.
    pub sheet: String,
    /// Row, 0-based.
    pub row: u32,
    /// Column, 0-based.
    pub col: u32,
}

impl Cell {
    /// The cell's A1 reference (`D14`).
    pub fn a1(&self) -> String {
        let mut col = self.col + 1;
        let mut letters = Vec::new();
        while col > 0 {
            let rem = ((col - 1) % 26) as u8;
            letters.push(b'A' + rem);
            col = (col - 1) / 26;
        }
        letters.reverse();
        format!("{}{}", String::from_utf8_lossy(&letters), self.row + 1)
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}!{}", self.file, self.sheet, self.a1())
    }
}

/// A value read from a cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub cell: Cell,
}

/// Everything read from the workbooks; empty where a workbook is not declared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tables {
    /// Output per year and product (status workbook).
    pub output: Vec<OutputRow>,
    /// Raw and auxiliary materials per year (status workbook).
    pub materials: Vec<MaterialRow>,
    /// Energy per year and carrier (status workbook).
    pub energy: Vec<EnergyRow>,
    /// Fresh water intake per year (status workbook).
    pub water_intake: Vec<WaterIntakeRow>,
    /// Measured streams of the audit focus (balance workbook).
    pub streams: Vec<StreamRow>,
    /// Pollutant concentrations of measured streams (balance workbook).
    pub components: Vec<ComponentRow>,
    /// Water balance by water user (water workbook).
    pub water_users: Vec<WaterUserRow>,
    /// Discharges (emissions workbook).
    pub discharges: Vec<DischargeRow>,
    /// Permitted annual totals (emissions workbook).
    pub permits: Vec<PermitRow>,
    /// Year-by-year net cash flows of options (cash-flow workbook).
    pub cash_flows: Vec<CashFlowRow>,
    /// Hazardous waste generated per year and waste (status workbook).
    pub hazardous_waste: Vec<HazardousWasteRow>,
}

/// Output of one product in one year.
#[derive(Debug, Clone, Serialize)]
pub struct OutputRow {
    /// Year.
    pub year: At<i32>,
    /// Product id (as in `audit.yaml`).
    pub product: At<String>,
    /// Quantity.
    pub quantity: At<f64>,
    /// Unit of the quantity.
    pub unit: At<String>,
    /// Output value, 10⁴ CNY.
    pub value: Option<At<f64>>,
}

/// Consumption of one material in one year.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialRow {
    /// Year.
    pub year: At<i32>,
    /// Material name.
    pub name: Text,
    /// Quantity.
    pub quantity: At<f64>,
    /// Unit.
    pub unit: At<String>,
    /// Whether it is toxic or hazardous.
    pub toxic: bool,
    /// The list it is on, when the workbook names one instead of 是/yes.
    pub toxic_list: Option<String>,
    /// What it is used for.
    pub purpose: Option<String>,
}

/// Consumption of one energy carrier in one year.
#[derive(Debug, Clone, Serialize)]
pub struct EnergyRow {
    /// Year.
    pub year: At<i32>,
    /// Carrier id from the GB/T 2589 table (`electricity`, `steam`, `natural_gas`, …).
    pub carrier: At<String>,
    /// Quantity.
    pub quantity: At<f64>,
    /// Unit.
    pub unit: At<String>,
}

/// Fresh water intake in one year.
#[derive(Debug, Clone, Serialize)]
pub struct WaterIntakeRow {
    /// Year.
    pub year: At<i32>,
    /// Quantity.
    pub quantity: At<f64>,
    /// Unit.
    pub unit: At<String>,
}

/// Kind of a measured stream: one type from the workbook to the balances (`calc` owns
/// it, being the lowest layer that needs it); the words an engineer types for each are
/// here.
pub use crate::calc::balance::StreamKind;

impl StreamKind {
    /// Every kind an engineer may type, with the words for it (Chinese and English). A
    /// stock change is not typed: it is computed from the inventories.
    pub const WORDS: &'static [(StreamKind, &'static [&'static str])] = &[
        (
            StreamKind::RawMaterial,
            &["原料", "raw material", "raw_material", "raw"],
        ),
        (
            StreamKind::AuxiliaryMaterial,
            &["辅料", "auxiliary", "chemical", "dye", "助剂", "染料"],
        ),
        (StreamKind::Water, &["水", "新水", "water"]),
        (StreamKind::Steam, &["蒸汽", "steam"]),
        (
            StreamKind::Internal,
            &["中间品", "intermediate", "internal"],
        ),
        (StreamKind::Product, &["产品", "product"]),
        (
            StreamKind::ByProduct,
            &["副产品", "by-product", "byproduct", "by_product"],
        ),
        (
            StreamKind::Wastewater,
            &["废水", "wastewater", "waste water"],
        ),
        (
            StreamKind::WasteGas,
            &["废气", "waste gas", "waste_gas", "evaporation", "蒸发"],
        ),
        (
            StreamKind::SolidWaste,
            &["固废", "固体废物", "solid waste", "solid_waste"],
        ),
        (StreamKind::Loss, &["损耗", "损失", "loss"]),
    ];

    /// The kind an engineer's word names, if any.
    pub fn parse(word: &str) -> Option<StreamKind> {
        let w = word.trim().to_lowercase();
        StreamKind::WORDS
            .iter()
            .find(|(_, words)| words.contains(&w.as_str()))
            .map(|(k, _)| *k)
    }
}

/// A measured stream of the audit focus.
#[derive(Debug, Clone, Serialize)]
pub struct StreamRow {
    /// Identifier.
    pub id: At<String>,
    /// Name.
    pub name: Text,
    /// Unit operation it leaves (None: it enters from outside the focus).
    pub from: Option<At<String>>,
    /// Unit operation it enters (None: it leaves the focus).
    pub to: Option<At<String>>,
    /// Kind.
    pub kind: At<StreamKind>,
    /// Unit of the batch quantities.
    pub unit: At<String>,
    /// Quantity per measured batch (or per measured period), in `unit`.
    pub batches: Vec<At<f64>>,
}

/// Concentration of a pollutant in a measured stream.
#[derive(Debug, Clone, Serialize)]
pub struct ComponentRow {
    /// Stream id.
    pub stream: At<String>,
    /// Pollutant code (`COD`, `NH3-N`).
    pub component: At<String>,
    /// Concentration.
    pub concentration: At<f64>,
    /// Unit (`mg/L`).
    pub unit: At<String>,
}

/// Type of water user, for the GB/T 12452 indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaterUse {
    /// Process water (工艺用水).
    Process,
    /// Indirect cooling water (间接冷却水).
    Cooling,
    /// Boiler feed: reused water is returned condensate (锅炉用水).
    Boiler,
    /// Domestic water (生活用水).
    Domestic,
    /// Anything else.
    Other,
}

impl WaterUse {
    /// Every type with the words an engineer may type for it.
    pub const WORDS: &'static [(WaterUse, &'static [&'static str])] = &[
        (WaterUse::Process, &["工艺", "工艺用水", "process"]),
        (
            WaterUse::Cooling,
            &["冷却", "间接冷却", "冷却水", "cooling"],
        ),
        (WaterUse::Boiler, &["锅炉", "锅炉用水", "boiler"]),
        (WaterUse::Domestic, &["生活", "生活用水", "domestic"]),
        (WaterUse::Other, &["其他", "other"]),
    ];

    /// The type an engineer's word names, if any.
    pub fn parse(word: &str) -> Option<WaterUse> {
        let w = word.trim().to_lowercase();
        WaterUse::WORDS
            .iter()
            .find(|(_, words)| words.contains(&w.as_str()))
            .map(|(k, _)| *k)
    }
}

/// A water user in the water balance test.
#[derive(Debug, Clone, Serialize)]
pub struct WaterUserRow {
    /// Identifier.
    pub id: At<String>,
    /// Name.
    pub name: Text,
    /// Type of use.
    pub kind: At<WaterUse>,
    /// Unit of the quantities (`m³/d`).
    pub unit: At<String>,
    /// New (fresh) water V_f.
    pub new_water: At<f64>,
    /// Reused or recirculated water V_r.
    pub reused: At<f64>,
    /// Consumption V_co.
    pub consumed: At<f64>,
    /// Discharge V_d.
    pub discharged: At<f64>,
    /// Leakage V_l.
    pub leakage: At<f64>,
}

/// A pollutant discharged at one source.
#[derive(Debug, Clone, Serialize)]
pub struct DischargeRow {
    /// Wastewater or waste gas.
    pub medium: Medium,
    /// Source id (outlet).
    pub source: At<String>,
    /// Source name.
    pub source_name: Text,
    /// Pollutant code.
    pub pollutant: At<String>,
    /// Measured concentration.
    pub concentration: At<f64>,
    /// Unit of concentration and limit (`mg/L`, `mg/m³`).
    pub concentration_unit: At<String>,
    /// Annual flow of the medium.
    pub flow: At<f64>,
    /// Unit of the flow (`m³/a`, `Nm³/a`).
    pub flow_unit: At<String>,
    /// Standard limit concentration.
    pub limit: At<f64>,
    /// The standard that sets the limit (`GB 4287-2012 表2`).
    pub standard: At<String>,
    /// Discharge mode.
    pub mode: Text,
}

/// A permitted annual total (总量控制指标).
#[derive(Debug, Clone, Serialize)]
pub struct PermitRow {
    /// Pollutant code.
    pub pollutant: At<String>,
    /// Permitted total, t/a.
    pub total: At<f64>,
}

/// Net cash flow of an option in one year (year 0 = investment).
#[derive(Debug, Clone, Serialize)]
pub struct CashFlowRow {
    /// Option id.
    pub option: At<String>,
    /// Year, 0 = investment year.
    pub year: At<i32>,
    /// Net cash flow, 10⁴ CNY.
    pub amount: At<f64>,
}

/// A category of the National Hazardous Waste List (国家危险废物名录, 2021 edition):
/// `HW01` to `HW40` and `HW45` to `HW50` (HW41 to HW44 were merged into others in 2016).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WasteCategory(pub u8);

impl WasteCategory {
    /// The category a cell names (`HW17`), or why it names none, with how to write it.
    pub fn parse(text: &str) -> Result<WasteCategory, String> {
        let t = text.trim();
        let how =
            "write HW and the category's two digits as the List gives them, e.g. HW08 or HW49";
        let digits = t
            .strip_prefix("HW")
            .filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()));
        let Some(digits) = digits else {
            let upper = t.to_uppercase().replace([' ', '　'], "");
            return Err(if upper != t && WasteCategory::parse(&upper).is_ok() {
                format!("write it as `{upper}` (capital HW, no space)")
            } else {
                how.to_string()
            });
        };
        let n: u8 = digits.parse().map_err(|_| how.to_string())?;
        if (1..=40).contains(&n) || (45..=50).contains(&n) {
            Ok(WasteCategory(n))
        } else {
            Err(format!(
                "the List (2021) has the categories HW01 to HW40 and HW45 to HW50; HW{n:02} is not one of them: check the category in the List"
            ))
        }
    }
}

impl fmt::Display for WasteCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HW{:02}", self.0)
    }
}

impl Serialize for WasteCategory {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An eight-digit waste code of the List (`336-064-17`): the industry source, the
/// waste's number and, last, the two digits of its category.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct WasteCode(pub String);

impl WasteCode {
    /// The code a cell holds, or why it is not one, with how to write it.
    pub fn parse(text: &str) -> Result<WasteCode, String> {
        let t = text.trim();
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let shaped = t.len() == 10
            && t.char_indices().all(|(i, c)| match i {
                3 | 7 => c == '-',
                _ => c.is_ascii_digit(),
            });
        if shaped {
            return Ok(WasteCode(t.to_string()));
        }
        Err(if digits.len() == 8 {
            format!(
                "write it as `{}-{}-{}` (three digits, a hyphen, three digits, a hyphen, two digits)",
                &digits[..3],
                &digits[3..6],
                &digits[6..]
            )
        } else {
            "write the List's eight-digit code as three digits, a hyphen, three digits, a hyphen and the two digits of its category, e.g. 900-041-49".to_string()
        })
    }

    /// The category its last two digits name.
    pub fn category(&self) -> u8 {
        self.0[8..].parse().unwrap_or(0)
    }
}

/// One hazardous waste generated in one year (危险废物 sheet of the status workbook).
#[derive(Debug, Clone, Serialize)]
pub struct HazardousWasteRow {
    /// Year.
    pub year: At<i32>,
    /// Category of the National Hazardous Waste List (`HW49`).
    pub category: At<WasteCategory>,
    /// Eight-digit waste code of the List, when given.
    pub code: Option<At<WasteCode>>,
    /// Name of the waste.
    pub name: Text,
    /// Quantity generated in the year, t.
    pub quantity: At<f64>,
    /// How and where it is stored.
    pub storage: Option<Text>,
    /// The licensed unit that takes it.
    pub disposer: Text,
    /// The disposer's hazardous-waste business licence number (危险废物经营许可证编号).
    pub licence: At<String>,
    /// Transfer manifests (转移联单) of the year.
    pub manifests: Option<At<u32>>,
}

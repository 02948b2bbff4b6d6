//! Industry profiles of `cpaudit init`: what the scaffold fills in for a printing and
//! dyeing mill or an electroplating shop.
//!
//! The industry's reference data — its name and GB/T 4754 code, typical pollutants, the
//! discharge limits of its standards, candidate audit focuses and the option catalogue —
//! come from the industry profile (`profiles/industries/<id>.yaml`, see
//! [`crate::model::IndustryFile`]). What stays here is the example plant: products,
//! process, materials, energy, measured streams, concentrations and flows, numbers an
//! auditor replaces with the enterprise's own; every name of an example row is marked
//! `（示例）`.

use crate::model::{Aspect, CostClass, IndustryFile, LimitValue, Medium, Text};
use serde::Serialize;

/// The industries `cpaudit init` has a profile for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Industry {
    /// Printing and dyeing (印染), GB 4287-2012.
    #[default]
    Dyeing,
    /// Electroplating (电镀), GB 21900-2008.
    Electroplating,
}

/// A pair of names.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Name {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

const fn n(zh: &'static str, en: &'static str) -> Name {
    Name { zh, en }
}

/// The main product.
#[derive(Debug, Clone, Serialize)]
pub struct ProductProfile {
    /// Id the workbooks refer to.
    pub id: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Design capacity per year.
    pub capacity: f64,
    /// Unit of output.
    pub unit: &'static str,
    /// The benchmark drainage category of the industry profile it falls under.
    pub benchmark_category: &'static str,
    /// Units of the standard's product (t, m²) per unit of output.
    pub per_unit: f64,
}

/// A step of the production line.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Id.
    pub id: &'static str,
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Media it emits to, as YAML flow items (`wastewater, noise`).
    pub emits: &'static str,
}

/// An indicator with its baseline, targets and benchmark levels.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// Chinese name.
    pub zh: &'static str,
    /// English name.
    pub en: &'static str,
    /// Unit.
    pub unit: &'static str,
    /// Baseline value.
    pub baseline: f64,
    /// Near-term target.
    pub near: f64,
    /// Long-term target.
    pub long: f64,
    /// Value reached after implementation.
    pub reached: f64,
    /// Level I, II, III benchmark values, as YAML flow items.
    pub levels: &'static str,
}

/// A raw or auxiliary material: name, unit, whether toxic, quantity in the baseline year.
#[derive(Debug, Clone, Serialize)]
pub struct Material {
    /// Name.
    pub name: Name,
    /// Unit.
    pub unit: &'static str,
    /// Toxic or hazardous: marked so in the example, or on the industry profile's list of
    /// toxic materials.
    pub toxic: bool,
    /// Quantity in the baseline year.
    pub quantity: f64,
}

/// A measured stream of the audit focus (one unit operation, `U1`).
#[derive(Debug, Clone, Serialize)]
pub struct Stream {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: Name,
    /// Whether it enters U1 (else it leaves it).
    pub input: bool,
    /// Kind, as the loader reads it (`原料`, `废水`, …).
    pub kind: &'static str,
    /// Quantity of the first batch, t.
    pub batch: f64,
}

/// A water user: id, name, type, new, reused, consumed, discharged, leakage (m³/d).
#[derive(Debug, Clone, Serialize)]
pub struct WaterUser {
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: Name,
    /// Type as the loader reads it (`工艺`, `生活`, …).
    pub kind: &'static str,
    /// New water, reused, consumed, discharged, leakage.
    pub flows: [f64; 5],
}

/// An outlet and what it discharges, with the limits of the industry profile.
#[derive(Debug, Clone, Serialize)]
pub struct Outlet {
    /// Outlet id.
    pub id: &'static str,
    /// Outlet name.
    pub name: Name,
    /// Annual flow.
    pub flow: f64,
    /// Unit of the flow.
    pub flow_unit: &'static str,
    /// Pollutant code, concentration, unit, limit.
    pub rows: Vec<(String, f64, String, f64)>,
    /// The standard and table (`GB 21900-2008 表2`).
    pub standard: String,
    /// Discharge mode.
    pub mode: Name,
}

/// An option of the industry's catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct OptionPick {
    /// Id in the catalogue.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// One of the eight aspects.
    pub category: Aspect,
    /// Usual cost class.
    pub cost: CostClass,
}

/// A candidate audit focus of the industry.
#[derive(Debug, Clone, Serialize)]
pub struct FocusPick {
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Why it is a usual candidate.
    pub why: Text,
}

/// Everything `init` fills in for an industry.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// The industry profile's id (`audit.industry_profile`).
    pub key: &'static str,
    /// Industry in words (the title of its first GB/T 4754 code).
    pub industry: Text,
    /// GB/T 4754 code.
    pub industry_code: String,
    /// Main product.
    pub product: ProductProfile,
    /// Output in the three status years, in the product's unit.
    pub output: [f64; 3],
    /// Output value in the three status years, 10⁴ CNY.
    pub output_value: [f64; 3],
    /// Production line.
    pub steps: Vec<Step>,
    /// Main equipment example.
    pub equipment: Name,
    /// Wastewater source.
    pub ww_source: Name,
    /// Typical wastewater pollutants, in words.
    pub ww_pollutants: Text,
    /// Waste-gas source.
    pub gas_source: Name,
    /// Typical waste-gas pollutants, in words.
    pub gas_pollutants: Text,
    /// Benchmark indicator (also the goal).
    pub benchmark: Indicator,
    /// The goal indicator.
    pub goal: Indicator,
    /// The audit focus candidate: the profile's first focus.
    pub focus: FocusPick,
    /// The profile's other candidate focuses.
    pub other_focuses: Vec<FocusPick>,
    /// The focus's unit operation.
    pub unit_op: Name,
    /// The no/low-cost example option: the catalogue's first.
    pub option1: OptionPick,
    /// The medium/high-cost example option: the catalogue's first.
    pub option2: OptionPick,
    /// The whole option catalogue.
    pub catalogue: Vec<OptionPick>,
    /// Materials (baseline year; earlier years scale with output).
    pub materials: Vec<Material>,
    /// Energy carriers: id, unit, baseline-year quantity.
    pub energy: Vec<(&'static str, &'static str, f64)>,
    /// Fresh water intake in the three status years, t.
    pub water_intake: [f64; 3],
    /// Measured streams of U1.
    pub streams: Vec<Stream>,
    /// Pollutant concentrations of streams: stream, code, mg/L.
    pub components: Vec<(&'static str, &'static str, f64)>,
    /// Water users.
    pub water_users: Vec<WaterUser>,
    /// Wastewater outlets.
    pub wastewater: Vec<Outlet>,
    /// Waste-gas outlets.
    pub waste_gas: Vec<Outlet>,
    /// Permitted totals, t/a.
    pub permits: Vec<(&'static str, f64)>,
    /// Hazardous waste: category, waste code, name, baseline-year tonnes (earlier
    /// years scale with output).
    pub hazardous_waste: Vec<(&'static str, &'static str, Name, f64)>,
}

/// An example outlet: the concentrations are examples, the limits come from the named
/// standard, table and column of the industry profile.
struct OutletScaffold {
    id: &'static str,
    name: Name,
    flow: f64,
    flow_unit: &'static str,
    /// Pollutant code and example concentration.
    rows: Vec<(&'static str, f64)>,
    /// Standard id, table number, column id.
    standard: (&'static str, u32, &'static str),
    mode: Name,
}

/// The example plant of an industry: everything that is not reference data.
struct Scaffold {
    product: ProductProfile,
    output: [f64; 3],
    output_value: [f64; 3],
    steps: Vec<Step>,
    equipment: Name,
    ww_source: Name,
    gas_source: Name,
    benchmark: Indicator,
    goal: Indicator,
    unit_op: Name,
    materials: Vec<Material>,
    energy: Vec<(&'static str, &'static str, f64)>,
    water_intake: [f64; 3],
    streams: Vec<Stream>,
    components: Vec<(&'static str, &'static str, f64)>,
    water_users: Vec<WaterUser>,
    wastewater: Vec<OutletScaffold>,
    waste_gas: Vec<OutletScaffold>,
    permits: Vec<(&'static str, f64)>,
    hazardous_waste: Vec<(&'static str, &'static str, Name, f64)>,
}

/// Why the built-in industry profile cannot make the scaffold: a defect of cpaudit's own
/// data, which its unit tests catch.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The profile does not load.
    #[error(transparent)]
    Profile(#[from] crate::load::industry::BuiltinError),
    /// The profile lacks a part the scaffold needs.
    #[error("industry profile `{profile}` has no {what}")]
    Missing {
        /// The profile.
        profile: String,
        /// What it lacks.
        what: &'static str,
    },
    /// The profile lacks the table of limits an example outlet cites.
    #[error("industry profile `{profile}` has no {table} for {medium}")]
    NoTable {
        /// The profile.
        profile: String,
        /// The standard and table.
        table: String,
        /// Water or gas.
        medium: String,
    },
    /// The table lacks a numeric limit of an example outlet's pollutant.
    #[error(
        "industry profile `{profile}`: {table} has no numeric limit for `{code}` in column `{column}`"
    )]
    NoLimit {
        /// The profile.
        profile: String,
        /// The standard and table.
        table: String,
        /// The pollutant.
        code: String,
        /// The column of the table.
        column: &'static str,
    },
}

impl Industry {
    /// The scaffold's content: the example plant with the reference data of the built-in
    /// industry profile. An error when the profile does not load or lacks a limit, focus
    /// or option the scaffold needs.
    pub fn try_profile(self) -> Result<Profile, ScaffoldError> {
        let file = crate::load::industry::builtin(self.key())?;
        build(self, &file, true)
    }

    /// The scaffold's content, as [`Industry::try_profile`]; should the built-in profile
    /// not load (its unit tests prevent that), the reference parts are left empty rather
    /// than failing, since this also serves the generated workbook reference.
    pub fn profile(self) -> Profile {
        self.try_profile().unwrap_or_else(|_| {
            let empty = IndustryFile {
                id: self.key().into(),
                name: Text::default(),
                source: Text::default(),
                codes: Vec::new(),
                index_system: None,
                pollutants: Vec::new(),
                standards: Vec::new(),
                toxic_materials: Vec::new(),
                focuses: Vec::new(),
                options: Vec::new(),
                origin: String::new(),
            };
            // Not strict: cannot fail.
            build(self, &empty, false).unwrap_or_else(|_| unreachable_profile(self))
        })
    }

    /// The key used on the command line, and the industry profile's id.
    pub fn key(self) -> &'static str {
        match self {
            Industry::Dyeing => "dyeing",
            Industry::Electroplating => "electroplating",
        }
    }

    fn scaffold(self) -> Scaffold {
        match self {
            Industry::Dyeing => dyeing(),
            Industry::Electroplating => electroplating(),
        }
    }
}

const TBD: &str = "（待填写）";
const TBD_EN: &str = "(to be completed)";

fn tbd_text() -> Text {
    Text {
        zh: TBD.into(),
        en: TBD_EN.into(),
    }
}

fn tbd_option(cost: CostClass, category: Aspect) -> OptionPick {
    OptionPick {
        id: String::new(),
        zh: TBD.into(),
        en: TBD_EN.into(),
        category,
        cost,
    }
}

/// Never reached: `build` with `strict = false` does not fail. A profile with every
/// reference part a placeholder, so that no code path panics.
fn unreachable_profile(industry: Industry) -> Profile {
    let s = industry.scaffold();
    assemble(industry, s, Reference::placeholder())
}

/// The reference parts of a profile, taken from the industry profile file.
struct Reference {
    industry: Text,
    industry_code: String,
    ww_pollutants: Text,
    gas_pollutants: Text,
    focus: FocusPick,
    other_focuses: Vec<FocusPick>,
    option1: OptionPick,
    option2: OptionPick,
    catalogue: Vec<OptionPick>,
    wastewater: Vec<Outlet>,
    waste_gas: Vec<Outlet>,
}

impl Reference {
    fn placeholder() -> Reference {
        Reference {
            industry: tbd_text(),
            industry_code: TBD.into(),
            ww_pollutants: tbd_text(),
            gas_pollutants: tbd_text(),
            focus: FocusPick {
                zh: TBD.into(),
                en: TBD_EN.into(),
                why: tbd_text(),
            },
            other_focuses: Vec::new(),
            option1: tbd_option(CostClass::None, Aspect::Management),
            option2: tbd_option(CostClass::Medium, Aspect::Technology),
            catalogue: Vec::new(),
            wastewater: Vec::new(),
            waste_gas: Vec::new(),
        }
    }
}

/// The typical pollutants of a medium, by name, joined.
fn typical(file: &IndustryFile, medium: Medium) -> Option<Text> {
    let names: Vec<&Text> = file
        .pollutants
        .iter()
        .filter(|p| p.typical && p.medium == medium)
        .map(|p| &p.name)
        .collect();
    (!names.is_empty()).then(|| Text {
        zh: names
            .iter()
            .map(|t| t.zh.as_str())
            .collect::<Vec<_>>()
            .join("、"),
        en: names
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// An example outlet with the limits of its standard, table and column.
fn outlet(
    file: &IndustryFile,
    medium: Medium,
    o: &OutletScaffold,
    strict: bool,
) -> Result<Outlet, ScaffoldError> {
    let (std_id, number, column) = o.standard;
    let found = file
        .standards
        .iter()
        .find(|s| s.id.value == std_id)
        .and_then(|s| s.table(medium, Some(number)).map(|t| (s, t)));
    let Some((standard, table)) = found else {
        if strict {
            return Err(ScaffoldError::NoTable {
                profile: file.id.to_string(),
                table: format!("{std_id} 表{number}"),
                medium: format!("{medium:?}"),
            });
        }
        return Ok(Outlet {
            id: o.id,
            name: o.name,
            flow: o.flow,
            flow_unit: o.flow_unit,
            rows: Vec::new(),
            standard: format!("{std_id} 表{number}"),
            mode: o.mode,
        });
    };
    let mut rows = Vec::new();
    for (code, conc) in &o.rows {
        let limit = table.limit(code);
        let value = limit.and_then(|l| table.value(l, column));
        let unit = limit.and_then(|l| l.unit.as_ref()).map(|u| u.value.clone());
        let number = match value {
            Some(LimitValue::Max(x)) => Some(x),
            Some(LimitValue::Range(_, high)) => Some(high),
            _ => None,
        };
        match (number, unit) {
            (Some(x), Some(unit)) => rows.push(((*code).to_string(), *conc, unit, x)),
            _ if strict => {
                return Err(ScaffoldError::NoLimit {
                    profile: file.id.to_string(),
                    table: standard.cite(table),
                    code: (*code).to_string(),
                    column,
                });
            }
            _ => {}
        }
    }
    Ok(Outlet {
        id: o.id,
        name: o.name,
        flow: o.flow,
        flow_unit: o.flow_unit,
        rows,
        standard: standard.cite(table),
        mode: o.mode,
    })
}

/// The scaffold of an industry with the reference data of `file`. With `strict`, a part
/// the file lacks is an error; without, it is left as a placeholder.
fn build(industry: Industry, file: &IndustryFile, strict: bool) -> Result<Profile, ScaffoldError> {
    let s = industry.scaffold();
    let missing = |what: &'static str| -> Result<(), ScaffoldError> {
        if strict {
            Err(ScaffoldError::Missing {
                profile: file.id.to_string(),
                what,
            })
        } else {
            Ok(())
        }
    };
    let mut r = Reference::placeholder();
    match file.codes.first() {
        Some(c) => {
            r.industry = c.name.clone();
            r.industry_code = c.code.value.clone();
        }
        None => missing("GB/T 4754 code")?,
    }
    match typical(file, Medium::Wastewater) {
        Some(t) => r.ww_pollutants = t,
        None => missing("typical wastewater pollutant")?,
    }
    match typical(file, Medium::WasteGas) {
        Some(t) => r.gas_pollutants = t,
        None => missing("typical waste-gas pollutant")?,
    }
    let focuses: Vec<FocusPick> = file
        .focuses
        .iter()
        .map(|f| FocusPick {
            zh: f.name.zh.clone(),
            en: f.name.en.clone(),
            why: f.why.clone(),
        })
        .collect();
    match focuses.split_first() {
        Some((first, rest)) => {
            r.focus = first.clone();
            r.other_focuses = rest.to_vec();
        }
        None => missing("candidate focus")?,
    }
    r.catalogue = file
        .options
        .iter()
        .map(|o| OptionPick {
            id: o.id.value.clone(),
            zh: o.name.zh.clone(),
            en: o.name.en.clone(),
            category: o.category,
            cost: o.cost,
        })
        .collect();
    match r.catalogue.iter().find(|o| !o.cost.is_medium_high()) {
        Some(o) => r.option1 = o.clone(),
        None => missing("no- or low-cost option")?,
    }
    match r.catalogue.iter().find(|o| o.cost.is_medium_high()) {
        Some(o) => r.option2 = o.clone(),
        None => missing("medium- or high-cost option")?,
    }
    r.wastewater = s
        .wastewater
        .iter()
        .map(|o| outlet(file, Medium::Wastewater, o, strict))
        .collect::<Result<_, _>>()?;
    r.waste_gas = s
        .waste_gas
        .iter()
        .map(|o| outlet(file, Medium::WasteGas, o, strict))
        .collect::<Result<_, _>>()?;
    let mut s = s;
    for m in &mut s.materials {
        let name = Text {
            zh: m.name.zh.into(),
            en: m.name.en.into(),
        };
        m.toxic |= file.toxic_material(&name).is_some();
    }
    Ok(assemble(industry, s, r))
}

fn assemble(industry: Industry, s: Scaffold, r: Reference) -> Profile {
    Profile {
        key: industry.key(),
        industry: r.industry,
        industry_code: r.industry_code,
        product: s.product,
        output: s.output,
        output_value: s.output_value,
        steps: s.steps,
        equipment: s.equipment,
        ww_source: s.ww_source,
        ww_pollutants: r.ww_pollutants,
        gas_source: s.gas_source,
        gas_pollutants: r.gas_pollutants,
        benchmark: s.benchmark,
        goal: s.goal,
        focus: r.focus,
        other_focuses: r.other_focuses,
        unit_op: s.unit_op,
        option1: r.option1,
        option2: r.option2,
        catalogue: r.catalogue,
        materials: s.materials,
        energy: s.energy,
        water_intake: s.water_intake,
        streams: s.streams,
        components: s.components,
        water_users: s.water_users,
        wastewater: r.wastewater,
        waste_gas: r.waste_gas,
        permits: s.permits,
        hazardous_waste: s.hazardous_waste,
    }
}

fn dyeing() -> Scaffold {
    let water_ind = Indicator {
        zh: "单位产品新鲜水取水量",
        en: "Fresh water intake per unit of product",
        unit: "t/100 m",
        baseline: 1.56,
        near: 1.45,
        long: 1.3,
        reached: 1.42,
        levels: "1.2, 1.6, 2.0",
    };
    Scaffold {
        product: ProductProfile {
            id: "fabric",
            zh: "印染布",
            en: "Dyed and printed fabric",
            capacity: 1200.0,
            unit: "万米",
            benchmark_category: "棉、麻、化纤及混纺机织物",
            per_unit: 1.2,
        },
        output: [950.0, 980.0, 1000.0],
        output_value: [9500.0, 9800.0, 10000.0],
        steps: vec![
            Step {
                id: "P01",
                zh: "前处理（退浆、煮练、漂白）",
                en: "Pretreatment (desizing, scouring, bleaching)",
                emits: "wastewater",
            },
            Step {
                id: "P02",
                zh: "染色",
                en: "Dyeing",
                emits: "wastewater, solid_waste",
            },
            Step {
                id: "P03",
                zh: "水洗皂洗",
                en: "Washing-off and soaping",
                emits: "wastewater",
            },
            Step {
                id: "P04",
                zh: "热定型",
                en: "Heat setting",
                emits: "waste_gas, noise",
            },
        ],
        equipment: n("连续轧染联合机", "Continuous pad-dyeing range"),
        ww_source: n("前处理、染色和水洗工序", "Pretreatment, dyeing and washing"),
        gas_source: n("燃气蒸汽锅炉烟气", "Flue gas of the gas-fired steam boiler"),
        benchmark: water_ind.clone(),
        goal: water_ind,
        unit_op: n("染色及水洗", "Dyeing and washing"),
        materials: vec![
            Material {
                name: n("坯布", "Grey fabric"),
                unit: "万米",
                toxic: false,
                quantity: 1020.0,
            },
            Material {
                name: n("活性染料", "Reactive dyes"),
                unit: "t",
                toxic: false,
                quantity: 35.0,
            },
            Material {
                name: n("烧碱（折100%）", "Caustic soda (as 100 % NaOH)"),
                unit: "t",
                toxic: false,
                quantity: 180.0,
            },
            Material {
                name: n("保险粉", "Sodium hydrosulphite"),
                unit: "t",
                toxic: true,
                quantity: 3.0,
            },
        ],
        energy: vec![
            ("electricity", "kWh", 3_000_000.0),
            ("natural_gas", "m³", 2_500_000.0),
        ],
        water_intake: [152_000.0, 154_000.0, 156_000.0],
        streams: vec![
            Stream {
                id: "S01",
                name: n("坯布（半制品）", "Pretreated fabric"),
                input: true,
                kind: "原料",
                batch: 5.0,
            },
            Stream {
                id: "S02",
                name: n("染料及助剂", "Dyes and auxiliaries"),
                input: true,
                kind: "辅料",
                batch: 0.3,
            },
            Stream {
                id: "S03",
                name: n("用水", "Water"),
                input: true,
                kind: "水",
                batch: 60.0,
            },
            Stream {
                id: "S04",
                name: n("直接蒸汽", "Live steam"),
                input: true,
                kind: "蒸汽",
                batch: 3.0,
            },
            Stream {
                id: "S05",
                name: n("染色布", "Dyed fabric"),
                input: false,
                kind: "产品",
                batch: 5.1,
            },
            Stream {
                id: "S06",
                name: n("染色及水洗废水", "Dyeing and washing wastewater"),
                input: false,
                kind: "废水",
                batch: 61.5,
            },
            Stream {
                id: "S07",
                name: n("蒸发水汽（估算）", "Evaporation (estimated)"),
                input: false,
                kind: "废气",
                batch: 1.6,
            },
            Stream {
                id: "S08",
                name: n("滴漏损耗（估算）", "Drips and losses (estimated)"),
                input: false,
                kind: "损耗",
                batch: 0.1,
            },
        ],
        components: vec![("S03", "COD", 5.0), ("S06", "COD", 1500.0)],
        water_users: vec![
            WaterUser {
                id: "W1",
                name: n("生产车间", "Production workshops"),
                kind: "工艺",
                flows: [500.0, 50.0, 20.0, 470.0, 10.0],
            },
            WaterUser {
                id: "W2",
                name: n("办公及生活", "Offices and domestic"),
                kind: "生活",
                flows: [20.0, 0.0, 4.0, 16.0, 0.0],
            },
        ],
        wastewater: vec![OutletScaffold {
            id: "DW001",
            name: n("废水总排放口", "Final wastewater outlet"),
            flow: 145_800.0,
            flow_unit: "m³/a",
            rows: vec![
                ("COD", 60.0),
                ("BOD5", 15.0),
                ("SS", 30.0),
                ("NH3-N", 8.0),
                ("TN", 12.0),
                ("TP", 0.3),
                ("colour", 30.0),
            ],
            standard: ("GB 4287-2012", 2, "direct"),
            mode: n(
                "间接排放，经市政污水管网排入城镇污水处理厂",
                "Indirect, via the municipal sewer to the municipal wastewater treatment plant",
            ),
        }],
        waste_gas: vec![OutletScaffold {
            id: "DA001",
            name: n("锅炉烟气排气筒", "Boiler stack"),
            flow: 30_000_000.0,
            flow_unit: "Nm³/a",
            rows: vec![("particulates", 5.0), ("SO2", 5.0), ("NOx", 60.0)],
            standard: ("GB 13271-2014", 2, "gas"),
            mode: n("有组织，连续", "Stack, continuous"),
        }],
        permits: vec![("COD", 12.0), ("NH3-N", 1.5)],
        hazardous_waste: vec![
            (
                "HW49",
                "900-041-49",
                Name {
                    zh: "废染料助剂包装桶袋",
                    en: "Empty dye and chemical drums and bags",
                },
                12.0,
            ),
            (
                "HW08",
                "900-249-08",
                Name {
                    zh: "定型机废油",
                    en: "Stenter waste oil",
                },
                6.0,
            ),
        ],
    }
}

fn electroplating() -> Scaffold {
    let rinse = Indicator {
        zh: "单位产品每次清洗取水量",
        en: "Fresh water per rinse per unit of plated area",
        unit: "L/m²",
        baseline: 30.0,
        near: 24.0,
        long: 16.0,
        reached: 22.0,
        levels: "8, 24, 40",
    };
    Scaffold {
        product: ProductProfile {
            id: "plated",
            zh: "镀锌件",
            en: "Zinc-plated parts",
            capacity: 30.0,
            unit: "万m²",
            benchmark_category: "单层镀",
            per_unit: 10000.0,
        },
        output: [25.0, 26.0, 27.0],
        output_value: [2500.0, 2600.0, 2700.0],
        steps: vec![
            Step {
                id: "P01",
                zh: "除油、酸洗",
                en: "Degreasing and pickling",
                emits: "wastewater, waste_gas",
            },
            Step {
                id: "P02",
                zh: "镀锌",
                en: "Zinc plating",
                emits: "wastewater, solid_waste",
            },
            Step {
                id: "P03",
                zh: "钝化",
                en: "Passivation",
                emits: "wastewater, waste_gas",
            },
            Step {
                id: "P04",
                zh: "清洗、烘干",
                en: "Rinsing and drying",
                emits: "wastewater, noise",
            },
        ],
        equipment: n("全自动挂镀锌生产线", "Automatic rack zinc-plating line"),
        ww_source: n(
            "前处理、镀锌、钝化后的清洗工序",
            "Rinses after pretreatment, plating and passivation",
        ),
        gas_source: n(
            "酸洗槽、钝化槽废气",
            "Fumes of the pickling and passivation tanks",
        ),
        benchmark: rinse.clone(),
        goal: rinse,
        unit_op: n("镀锌及清洗", "Plating and rinsing"),
        materials: vec![
            Material {
                name: n("锌锭", "Zinc ingots"),
                unit: "t",
                toxic: false,
                quantity: 20.0,
            },
            Material {
                name: n("盐酸（31%）", "Hydrochloric acid (31 %)"),
                unit: "t",
                toxic: false,
                quantity: 60.0,
            },
            Material {
                name: n("氢氧化钠", "Sodium hydroxide"),
                unit: "t",
                toxic: false,
                quantity: 15.0,
            },
            Material {
                name: n("铬酐", "Chromium trioxide"),
                unit: "t",
                toxic: true,
                quantity: 0.5,
            },
        ],
        energy: vec![
            ("electricity", "kWh", 1_800_000.0),
            ("natural_gas", "m³", 50_000.0),
        ],
        water_intake: [46_000.0, 47_000.0, 48_000.0],
        streams: vec![
            Stream {
                id: "S01",
                name: n("待镀工件", "Parts to be plated"),
                input: true,
                kind: "原料",
                batch: 10.0,
            },
            Stream {
                id: "S02",
                name: n("锌锭及镀液添加剂", "Zinc and bath additives"),
                input: true,
                kind: "辅料",
                batch: 0.1,
            },
            Stream {
                id: "S03",
                name: n("清洗用水", "Rinse water"),
                input: true,
                kind: "水",
                batch: 50.0,
            },
            Stream {
                id: "S04",
                name: n("镀锌件", "Plated parts"),
                input: false,
                kind: "产品",
                batch: 10.08,
            },
            Stream {
                id: "S05",
                name: n("清洗废水", "Rinse wastewater"),
                input: false,
                kind: "废水",
                batch: 49.5,
            },
            Stream {
                id: "S06",
                name: n("槽液蒸发（估算）", "Evaporation from the tanks (estimated)"),
                input: false,
                kind: "废气",
                batch: 0.4,
            },
            Stream {
                id: "S07",
                name: n("镀液带出及滴漏（估算）", "Drag-out and drips (estimated)"),
                input: false,
                kind: "损耗",
                batch: 0.12,
            },
        ],
        components: vec![("S03", "Zn", 0.05), ("S05", "Zn", 40.0)],
        water_users: vec![
            WaterUser {
                id: "W1",
                name: n("镀锌生产线", "Zinc-plating line"),
                kind: "工艺",
                flows: [150.0, 30.0, 10.0, 135.0, 5.0],
            },
            WaterUser {
                id: "W2",
                name: n("办公及生活", "Offices and domestic"),
                kind: "生活",
                flows: [10.0, 0.0, 2.0, 8.0, 0.0],
            },
        ],
        wastewater: vec![
            OutletScaffold {
                id: "DW002",
                name: n(
                    "含铬废水车间排放口",
                    "Chromium rinse outlet of the workshop",
                ),
                flow: 30_000.0,
                flow_unit: "m³/a",
                rows: vec![("Cr", 0.3), ("Cr6+", 0.05), ("Ni", 0.1)],
                standard: ("GB 21900-2008", 2, "limit"),
                mode: n(
                    "车间处理后进入厂内综合废水处理站",
                    "Treated in the workshop, then to the plant's wastewater station",
                ),
            },
            OutletScaffold {
                id: "DW001",
                name: n("废水总排放口", "Final wastewater outlet"),
                flow: 42_900.0,
                flow_unit: "m³/a",
                rows: vec![
                    ("COD", 50.0),
                    ("NH3-N", 8.0),
                    ("SS", 20.0),
                    ("Cu", 0.2),
                    ("Zn", 0.8),
                    ("CN", 0.1),
                ],
                standard: ("GB 21900-2008", 2, "limit"),
                mode: n(
                    "间接排放，经园区污水管网排入园区污水处理厂",
                    "Indirect, via the park's sewer to the park's wastewater treatment plant",
                ),
            },
        ],
        waste_gas: vec![OutletScaffold {
            id: "DA001",
            name: n("酸雾排气筒", "Acid-mist stack"),
            flow: 20_000_000.0,
            flow_unit: "Nm³/a",
            rows: vec![("HCl", 10.0), ("H2SO4", 5.0), ("CrO3", 0.01)],
            standard: ("GB 21900-2008", 5, "limit"),
            mode: n("有组织，间歇", "Stack, intermittent"),
        }],
        permits: vec![("COD", 3.5), ("NH3-N", 0.65)],
        hazardous_waste: vec![
            (
                "HW17",
                "336-064-17",
                Name {
                    zh: "电镀污泥",
                    en: "Electroplating sludge",
                },
                48.0,
            ),
            (
                "HW49",
                "900-041-49",
                Name {
                    zh: "废化学品包装桶袋",
                    en: "Empty chemical drums and bags",
                },
                2.0,
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scaffold_takes_its_limits_from_the_industry_profile() {
        // Values as industry.md §A.1 (GB 4287-2012 Table 2, direct) and §B.1/§B.2
        // (GB 21900-2008 Tables 2 and 5) give them.
        let d = Industry::Dyeing.try_profile().unwrap();
        let cod = d.wastewater[0].rows.iter().find(|r| r.0 == "COD").unwrap();
        assert_eq!((cod.2.as_str(), cod.3), ("mg/L", 80.0));
        assert_eq!(d.wastewater[0].standard, "GB 4287-2012 表2");
        assert_eq!(d.industry_code, "C1713");
        let e = Industry::Electroplating.try_profile().unwrap();
        let limits: Vec<(&str, f64)> = e
            .wastewater
            .iter()
            .flat_map(|o| o.rows.iter().map(|r| (r.0.as_str(), r.3)))
            .collect();
        for (code, limit) in [("Cr", 1.0), ("Cr6+", 0.2), ("Ni", 0.5), ("CN", 0.3)] {
            assert!(limits.contains(&(code, limit)), "{code}: {limits:?}");
        }
        let gas: Vec<(&str, f64)> = e.waste_gas[0]
            .rows
            .iter()
            .map(|r| (r.0.as_str(), r.3))
            .collect();
        assert!(gas.contains(&("CrO3", 0.05)) && gas.contains(&("HCl", 30.0)));
        assert_eq!(e.waste_gas[0].standard, "GB 21900-2008 表5");
    }

    #[test]
    fn the_examples_come_from_the_catalogue() {
        let e = Industry::Electroplating.try_profile().unwrap();
        assert!(!e.option1.cost.is_medium_high() && e.option2.cost.is_medium_high());
        assert!(e.catalogue.len() >= 10);
        assert!(e.ww_pollutants.zh.contains("六价铬"));
        // 铬酐 is on the profile's list of toxic materials.
        let cro3 = e.materials.iter().find(|m| m.name.zh == "铬酐").unwrap();
        assert!(cro3.toxic);
    }

    #[test]
    fn without_its_profile_the_scaffold_has_placeholders_not_a_panic() {
        let empty = IndustryFile {
            id: "x".into(),
            name: Text::default(),
            source: Text::default(),
            codes: Vec::new(),
            index_system: None,
            pollutants: Vec::new(),
            standards: Vec::new(),
            toxic_materials: Vec::new(),
            focuses: Vec::new(),
            options: Vec::new(),
            origin: String::new(),
        };
        assert!(build(Industry::Dyeing, &empty, true).is_err());
        let p = build(Industry::Dyeing, &empty, false).unwrap();
        assert_eq!(p.industry_code, TBD);
        assert!(p.wastewater[0].rows.is_empty());
    }
}

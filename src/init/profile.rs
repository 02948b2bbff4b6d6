//! Industry profiles of `cpaudit init`: the example rows that differ between a printing
//! and dyeing mill and an electroplating shop — products, process, pollutants with the
//! limits of the sector's discharge standard, materials, energy, the measured streams.
//!
//! The limits are those of the sector standards' Table 2 (new enterprises, and existing
//! ones after the transition): GB 4287-2012 with its 2015 amendment for dyeing, GB
//! 21900-2008 for electroplating (Tables 2 and 5). The numbers are examples an auditor
//! replaces with the enterprise's own; every name of an example row is marked `（示例）`.

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
    /// Toxic or hazardous.
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

/// An outlet and what it discharges.
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
    pub rows: Vec<(&'static str, f64, &'static str, f64)>,
    /// The standard.
    pub standard: &'static str,
    /// Discharge mode.
    pub mode: Name,
}

/// Everything `init` fills in for an industry.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// Industry in words.
    pub industry: Name,
    /// GB/T 4754 code.
    pub industry_code: &'static str,
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
    /// Wastewater pollutants.
    pub ww_pollutants: Name,
    /// Waste-gas source.
    pub gas_source: Name,
    /// Waste-gas pollutants.
    pub gas_pollutants: Name,
    /// Benchmark indicator (also the goal).
    pub benchmark: Indicator,
    /// The goal indicator.
    pub goal: Indicator,
    /// The audit focus candidate.
    pub focus: Name,
    /// The focus's unit operation.
    pub unit_op: Name,
    /// The no-cost example option.
    pub option1: Name,
    /// The medium-cost example option.
    pub option2: Name,
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
}

impl Industry {
    /// The profile's example content.
    pub fn profile(self) -> Profile {
        match self {
            Industry::Dyeing => dyeing(),
            Industry::Electroplating => electroplating(),
        }
    }

    /// The key used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Industry::Dyeing => "dyeing",
            Industry::Electroplating => "electroplating",
        }
    }
}

fn dyeing() -> Profile {
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
    Profile {
        industry: n("棉印染精加工", "Cotton printing, dyeing and finishing"),
        industry_code: "C1713",
        product: ProductProfile {
            id: "fabric",
            zh: "印染布",
            en: "Dyed and printed fabric",
            capacity: 1200.0,
            unit: "万米",
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
        ww_pollutants: n(
            "COD、BOD5、SS、色度、氨氮、总氮、总磷",
            "COD, BOD5, SS, colour, ammonia nitrogen, total nitrogen, total phosphorus",
        ),
        gas_source: n("燃气蒸汽锅炉烟气", "Flue gas of the gas-fired steam boiler"),
        gas_pollutants: n("颗粒物、二氧化硫、氮氧化物", "Particulates, SO2, NOx"),
        benchmark: water_ind.clone(),
        goal: water_ind,
        focus: n("染色车间", "Dyeing workshop"),
        unit_op: n("染色及水洗", "Dyeing and washing"),
        option1: n(
            "水洗机停车自动关水",
            "Shut the washing water off automatically when the range stops",
        ),
        option2: n(
            "连续水洗机逆流漂洗改造",
            "Counter-current washing retrofit of the continuous washer",
        ),
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
        wastewater: vec![Outlet {
            id: "DW001",
            name: n("废水总排放口", "Final wastewater outlet"),
            flow: 145_800.0,
            flow_unit: "m³/a",
            rows: vec![
                ("COD", 60.0, "mg/L", 80.0),
                ("BOD5", 15.0, "mg/L", 20.0),
                ("SS", 30.0, "mg/L", 50.0),
                ("NH3-N", 8.0, "mg/L", 10.0),
                ("TN", 12.0, "mg/L", 15.0),
                ("TP", 0.3, "mg/L", 0.5),
                ("colour", 30.0, "倍", 50.0),
            ],
            standard: "GB 4287-2012 表2",
            mode: n(
                "间接排放，经市政污水管网排入城镇污水处理厂",
                "Indirect, via the municipal sewer to the municipal wastewater treatment plant",
            ),
        }],
        waste_gas: vec![Outlet {
            id: "DA001",
            name: n("锅炉烟气排气筒", "Boiler stack"),
            flow: 30_000_000.0,
            flow_unit: "Nm³/a",
            rows: vec![
                ("particulates", 5.0, "mg/m³", 20.0),
                ("SO2", 5.0, "mg/m³", 50.0),
                ("NOx", 60.0, "mg/m³", 200.0),
            ],
            standard: "GB 13271-2014 表2",
            mode: n("有组织，连续", "Stack, continuous"),
        }],
        permits: vec![("COD", 12.0), ("NH3-N", 1.5)],
    }
}

fn electroplating() -> Profile {
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
    Profile {
        industry: n("电镀", "Electroplating"),
        industry_code: "C3360",
        product: ProductProfile {
            id: "plated",
            zh: "镀锌件",
            en: "Zinc-plated parts",
            capacity: 30.0,
            unit: "万m²",
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
        ww_pollutants: n(
            "总铬、六价铬、总镍、总铜、总锌、总氰化物、COD、氨氮",
            "Total chromium, hexavalent chromium, nickel, copper, zinc, cyanide, COD, ammonia nitrogen",
        ),
        gas_source: n(
            "酸洗槽、钝化槽废气",
            "Fumes of the pickling and passivation tanks",
        ),
        gas_pollutants: n(
            "氯化氢、硫酸雾、铬酸雾",
            "Hydrogen chloride, sulphuric acid mist, chromic acid mist",
        ),
        benchmark: rinse.clone(),
        goal: rinse,
        focus: n("镀锌生产线", "Zinc-plating line"),
        unit_op: n("镀锌及清洗", "Plating and rinsing"),
        option1: n(
            "清洗槽加装流量计、按需供水",
            "Flow meters on the rinse tanks; water on demand",
        ),
        option2: n(
            "单槽清洗改为三级逆流漂洗",
            "Three-stage counter-current rinsing instead of single tanks",
        ),
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
            Outlet {
                id: "DW002",
                name: n(
                    "含铬废水车间排放口",
                    "Chromium rinse outlet of the workshop",
                ),
                flow: 30_000.0,
                flow_unit: "m³/a",
                rows: vec![
                    ("Cr", 0.3, "mg/L", 1.0),
                    ("Cr6+", 0.05, "mg/L", 0.2),
                    ("Ni", 0.1, "mg/L", 0.5),
                ],
                standard: "GB 21900-2008 表2",
                mode: n(
                    "车间处理后进入厂内综合废水处理站",
                    "Treated in the workshop, then to the plant's wastewater station",
                ),
            },
            Outlet {
                id: "DW001",
                name: n("废水总排放口", "Final wastewater outlet"),
                flow: 42_900.0,
                flow_unit: "m³/a",
                rows: vec![
                    ("COD", 50.0, "mg/L", 80.0),
                    ("NH3-N", 8.0, "mg/L", 15.0),
                    ("SS", 20.0, "mg/L", 50.0),
                    ("Cu", 0.2, "mg/L", 0.5),
                    ("Zn", 0.8, "mg/L", 1.5),
                    ("CN", 0.1, "mg/L", 0.3),
                ],
                standard: "GB 21900-2008 表2",
                mode: n(
                    "间接排放，经园区污水管网排入园区污水处理厂",
                    "Indirect, via the park's sewer to the park's wastewater treatment plant",
                ),
            },
        ],
        waste_gas: vec![Outlet {
            id: "DA001",
            name: n("酸雾排气筒", "Acid-mist stack"),
            flow: 20_000_000.0,
            flow_unit: "Nm³/a",
            rows: vec![
                ("HCl", 10.0, "mg/m³", 30.0),
                ("H2SO4", 5.0, "mg/m³", 30.0),
                ("CrO3", 0.01, "mg/m³", 0.05),
            ],
            standard: "GB 21900-2008 表5",
            mode: n("有组织，间歇", "Stack, intermittent"),
        }],
        permits: vec![("COD", 3.5), ("NH3-N", 0.65)],
    }
}

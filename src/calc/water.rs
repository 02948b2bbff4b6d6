//! Water balance (水平衡) per GB/T 12452 (domain.md §4b; 2008 symbols, the 2022 edition's
//! 取水量 "intake" is the same quantity as 新水量 "new water").
//!
//! Per water user: V_t = V_f + V_r, and the check V_f = V_co + V_d + V_l. The plant totals are
//! the sums over users. All volumes of one call are for the same period (normally one year,
//! m³/a), so the per-product and per-output-value indices are annual figures.

use super::{InvalidNumber, non_negative, ratio};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One water user (unit, workshop or the domestic supply) with its measured volumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterUser {
    /// Id or name of the user.
    pub id: String,
    /// V_f, new water (新水量 / 取水量).
    pub new_water: f64,
    /// V_r, reused and recirculated water (重复利用水量).
    pub reused: f64,
    /// V_co, consumption (耗水量).
    pub consumption: f64,
    /// V_d, discharge (排水量).
    pub discharge: f64,
    /// V_l, leakage and overflow (漏溢水量).
    pub leakage: f64,
}

/// Indirect cooling water: recirculated V_cr and make-up V_cf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoolingWater {
    /// V_cr, recirculated.
    pub recirculated: f64,
    /// V_cf, make-up (new water into the cooling system).
    pub make_up: f64,
}

/// Process water: reused V_gr and new V_gf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessWater {
    /// V_gr, reused.
    pub reused: f64,
    /// V_gf, new water used in the process.
    pub new_water: f64,
}

/// Steam condensate: returned V_br against the water the boilers turned into steam.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condensate {
    /// V_br, condensate returned, m³ in the period.
    pub returned: f64,
    /// D, boiler steam output, kg/h.
    pub steam_output_kg_per_h: f64,
    /// h, boiler operating hours in the period.
    pub operating_hours: f64,
    /// ρ, condensate density, kg/m³ (about 958 at 100 °C, 1000 cold).
    pub density_kg_per_m3: f64,
}

/// Domestic water, for new water per employee per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomesticWater {
    /// V_ylf, domestic new water in the period, m³.
    pub new_water: f64,
    /// n, employees.
    pub employees: f64,
    /// d, working days in the period.
    pub days: f64,
}

/// Everything the plant indices need; optional parts leave their index `None`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WaterInputs {
    /// The water users; plant totals are their sums.
    pub users: Vec<WaterUser>,
    /// For r_c.
    pub cooling: Option<CoolingWater>,
    /// For r_g.
    pub process: Option<ProcessWater>,
    /// For r_b.
    pub condensate: Option<Condensate>,
    /// Treated wastewater reused in the period, for the wastewater reuse rate.
    pub wastewater_reused: Option<f64>,
    /// Q, product output in the period (in the product's unit), for new water per unit product.
    pub product_output: Option<f64>,
    /// Z, output value in the period, 10⁴ CNY (万元), for new water per 10⁴ CNY.
    pub output_value: Option<f64>,
    /// For domestic new water per employee per day.
    pub domestic: Option<DomesticWater>,
}

/// The balance of one user, or of the plant (`id` = `"plant"`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterUserBalance {
    /// User id.
    pub id: String,
    /// V_f.
    pub new_water: f64,
    /// V_r.
    pub reused: f64,
    /// V_t = V_f + V_r.
    pub total_use: f64,
    /// V_co.
    pub consumption: f64,
    /// V_d.
    pub discharge: f64,
    /// V_l.
    pub leakage: f64,
    /// V_f − (V_co + V_d + V_l); 0 when the user's balance closes.
    pub gap: f64,
    /// gap / V_f; `None` when V_f = 0.
    pub relative_gap: Option<f64>,
    /// R = V_r / V_t; `None` when V_t = 0.
    pub reuse_rate: Option<f64>,
}

/// Plant water indices (fractions, or m³ per unit); each `None` when its input is missing or
/// its denominator is zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterIndices {
    /// R = V_r / (V_f + V_r), 重复利用率.
    pub reuse_rate: Option<f64>,
    /// r_c = V_cr / (V_cr + V_cf), 间接冷却水循环率.
    pub cooling_recirculation_rate: Option<f64>,
    /// r_g = V_gr / (V_gr + V_gf), 工艺水回用率.
    pub process_water_reuse_rate: Option<f64>,
    /// r_b = V_br / (D·h/ρ), 蒸汽冷凝水回用率.
    pub condensate_return_rate: Option<f64>,
    /// V_l / V_f, 漏失率.
    pub leakage_rate: Option<f64>,
    /// V_w,reused / (V_w,reused + V_d), 废水回用率.
    pub wastewater_reuse_rate: Option<f64>,
    /// V_uf = V_f / Q, m³ per unit product, 单位产品新水量.
    pub new_water_per_unit_product: Option<f64>,
    /// V_wf = V_f / Z, m³ per 10⁴ CNY, 万元产值新水量.
    pub new_water_per_10k_cny: Option<f64>,
    /// V_lf = V_ylf / (n·d), m³ per employee per day, 职工人均生活日新水量.
    pub domestic_new_water_per_employee_day: Option<f64>,
}

/// The plant's water balance: per user, the total, and the indices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaterBalance {
    /// One balance per user, in input order.
    pub users: Vec<WaterUserBalance>,
    /// Sum over users (`id` = `"plant"`).
    pub plant: WaterUserBalance,
    /// Plant indices.
    pub indices: WaterIndices,
}

/// A volume or count that is NaN, infinite or negative.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaterError {
    /// See [`InvalidNumber`].
    InvalidNumber(InvalidNumber),
}

impl fmt::Display for WaterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaterError::InvalidNumber(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for WaterError {}

impl From<InvalidNumber> for WaterError {
    fn from(e: InvalidNumber) -> Self {
        WaterError::InvalidNumber(e)
    }
}

/// Balance of one user from already validated volumes.
fn user_balance(id: &str, v_f: f64, v_r: f64, v_co: f64, v_d: f64, v_l: f64) -> WaterUserBalance {
    let total_use = v_f + v_r;
    let gap = v_f - (v_co + v_d + v_l);
    WaterUserBalance {
        id: id.to_string(),
        new_water: v_f,
        reused: v_r,
        total_use,
        consumption: v_co,
        discharge: v_d,
        leakage: v_l,
        gap,
        relative_gap: ratio(gap, v_f),
        reuse_rate: ratio(v_r, total_use),
    }
}

/// Balance of one water user (checks its numbers).
pub fn water_user_balance(user: &WaterUser) -> Result<WaterUserBalance, WaterError> {
    let f = |name: &str, v: f64| non_negative(v, || format!("users[{}].{name}", user.id));
    Ok(user_balance(
        &user.id,
        f("new_water", user.new_water)?,
        f("reused", user.reused)?,
        f("consumption", user.consumption)?,
        f("discharge", user.discharge)?,
        f("leakage", user.leakage)?,
    ))
}

/// Water balance of the plant: per user, plant totals and the GB/T 12452 indices.
pub fn water_balance(inputs: &WaterInputs) -> Result<WaterBalance, WaterError> {
    let users = inputs
        .users
        .iter()
        .map(water_user_balance)
        .collect::<Result<Vec<_>, _>>()?;
    let sum = |f: fn(&WaterUserBalance) -> f64| users.iter().map(f).sum::<f64>();
    let plant = user_balance(
        "plant",
        sum(|u| u.new_water),
        sum(|u| u.reused),
        sum(|u| u.consumption),
        sum(|u| u.discharge),
        sum(|u| u.leakage),
    );
    let nn = |field: &str, v: f64| non_negative(v, || field.to_string());

    let cooling_recirculation_rate = match &inputs.cooling {
        Some(c) => {
            let (cr, cf) = (
                nn("cooling.recirculated", c.recirculated)?,
                nn("cooling.make_up", c.make_up)?,
            );
            ratio(cr, cr + cf)
        }
        None => None,
    };
    let process_water_reuse_rate = match &inputs.process {
        Some(p) => {
            let (gr, gf) = (
                nn("process.reused", p.reused)?,
                nn("process.new_water", p.new_water)?,
            );
            ratio(gr, gr + gf)
        }
        None => None,
    };
    let condensate_return_rate = match &inputs.condensate {
        Some(c) => {
            let br = nn("condensate.returned", c.returned)?;
            let d = nn("condensate.steam_output_kg_per_h", c.steam_output_kg_per_h)?;
            let h = nn("condensate.operating_hours", c.operating_hours)?;
            let rho = nn("condensate.density_kg_per_m3", c.density_kg_per_m3)?;
            // D·h is the steam made in kg; /ρ turns it into m³ of water.
            ratio(d * h, rho).and_then(|steam_m3| ratio(br, steam_m3))
        }
        None => None,
    };
    let wastewater_reuse_rate = match inputs.wastewater_reused {
        Some(w) => {
            let w = nn("wastewater_reused", w)?;
            ratio(w, w + plant.discharge)
        }
        None => None,
    };
    let per = |field: &str, denominator: Option<f64>| -> Result<Option<f64>, WaterError> {
        match denominator {
            Some(d) => Ok(ratio(plant.new_water, nn(field, d)?)),
            None => Ok(None),
        }
    };
    let domestic = match &inputs.domestic {
        Some(d) => {
            let v = nn("domestic.new_water", d.new_water)?;
            let n = nn("domestic.employees", d.employees)?;
            let days = nn("domestic.days", d.days)?;
            ratio(v, n * days)
        }
        None => None,
    };
    let indices = WaterIndices {
        reuse_rate: plant.reuse_rate,
        cooling_recirculation_rate,
        process_water_reuse_rate,
        condensate_return_rate,
        leakage_rate: ratio(plant.leakage, plant.new_water),
        wastewater_reuse_rate,
        new_water_per_unit_product: per("product_output", inputs.product_output)?,
        new_water_per_10k_cny: per("output_value", inputs.output_value)?,
        domestic_new_water_per_employee_day: domestic,
    };
    Ok(WaterBalance {
        users,
        plant,
        indices,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::test_util::assert_rel;

    fn user(id: &str, f: f64, r: f64, co: f64, d: f64, l: f64) -> WaterUser {
        WaterUser {
            id: id.into(),
            new_water: f,
            reused: r,
            consumption: co,
            discharge: d,
            leakage: l,
        }
    }

    /// A small plant, m³/a, computed by hand:
    ///
    /// | user     | V_f    | V_r    | V_co  | V_d    | V_l | gap |
    /// |----------|--------|--------|-------|--------|-----|-----|
    /// | cooling  | 10 000 | 90 000 | 8 000 | 1 500  | 500 | 0   |
    /// | process  | 30 000 | 10 000 | 5 000 | 24 000 | 600 | 400 |
    /// | domestic |  5 000 |      0 |   500 |  4 500 |   0 | 0   |
    /// | plant    | 45 000 |100 000 |13 500 | 30 000 |1 100| 400 |
    ///
    /// V_t = 145 000; R = 100 000/145 000 = 0.689655…; leakage 1 100/45 000 = 0.024444…;
    /// process gap 400/30 000 = 0.013333…; r_c = 90 000/100 000 = 0.9;
    /// r_g = 10 000/40 000 = 0.25; r_b: D·h/ρ = 2 000 kg/h × 7 200 h / 1 000 = 14 400 m³,
    /// 7 200/14 400 = 0.5; wastewater reuse 6 000/(6 000 + 30 000) = 0.166666…;
    /// per product 45 000/9 000 t = 5 m³/t; per 10⁴ CNY 45 000/15 000 = 3;
    /// domestic 5 000/(200 × 250) = 0.1 m³ per employee-day.
    fn plant() -> WaterInputs {
        WaterInputs {
            users: vec![
                user("cooling", 10_000.0, 90_000.0, 8_000.0, 1_500.0, 500.0),
                user("process", 30_000.0, 10_000.0, 5_000.0, 24_000.0, 600.0),
                user("domestic", 5_000.0, 0.0, 500.0, 4_500.0, 0.0),
            ],
            cooling: Some(CoolingWater {
                recirculated: 90_000.0,
                make_up: 10_000.0,
            }),
            process: Some(ProcessWater {
                reused: 10_000.0,
                new_water: 30_000.0,
            }),
            condensate: Some(Condensate {
                returned: 7_200.0,
                steam_output_kg_per_h: 2_000.0,
                operating_hours: 7_200.0,
                density_kg_per_m3: 1_000.0,
            }),
            wastewater_reused: Some(6_000.0),
            product_output: Some(9_000.0),
            output_value: Some(15_000.0),
            domestic: Some(DomesticWater {
                new_water: 5_000.0,
                employees: 200.0,
                days: 250.0,
            }),
        }
    }

    #[test]
    fn hand_computed_plant() {
        let b = water_balance(&plant()).unwrap();
        let p = &b.plant;
        assert_eq!(
            (p.new_water, p.reused, p.total_use),
            (45_000.0, 100_000.0, 145_000.0)
        );
        assert_eq!(
            (p.consumption, p.discharge, p.leakage, p.gap),
            (13_500.0, 30_000.0, 1_100.0, 400.0)
        );
        assert_rel(p.relative_gap.unwrap(), 400.0 / 45_000.0, 1e-15);
        assert_eq!(b.users[0].gap, 0.0);
        assert_rel(
            b.users[1].relative_gap.unwrap(),
            0.013_333_333_333_333,
            1e-12,
        );
        assert_rel(b.users[0].reuse_rate.unwrap(), 0.9, 1e-15);
        let i = &b.indices;
        assert_rel(i.reuse_rate.unwrap(), 0.689_655_172_413_793, 1e-12);
        assert_rel(i.cooling_recirculation_rate.unwrap(), 0.9, 1e-15);
        assert_rel(i.process_water_reuse_rate.unwrap(), 0.25, 1e-15);
        assert_rel(i.condensate_return_rate.unwrap(), 0.5, 1e-15);
        assert_rel(i.leakage_rate.unwrap(), 0.024_444_444_444_444, 1e-12);
        assert_rel(
            i.wastewater_reuse_rate.unwrap(),
            0.166_666_666_666_667,
            1e-12,
        );
        assert_rel(i.new_water_per_unit_product.unwrap(), 5.0, 1e-15);
        assert_rel(i.new_water_per_10k_cny.unwrap(), 3.0, 1e-15);
        assert_rel(i.domestic_new_water_per_employee_day.unwrap(), 0.1, 1e-15);
    }

    #[test]
    fn zero_denominators_give_none() {
        let inputs = WaterInputs {
            users: vec![user("idle", 0.0, 0.0, 0.0, 0.0, 0.0)],
            cooling: Some(CoolingWater {
                recirculated: 0.0,
                make_up: 0.0,
            }),
            condensate: Some(Condensate {
                returned: 1.0,
                steam_output_kg_per_h: 0.0,
                operating_hours: 100.0,
                density_kg_per_m3: 1000.0,
            }),
            wastewater_reused: Some(0.0),
            product_output: Some(0.0),
            ..WaterInputs::default()
        };
        let b = water_balance(&inputs).unwrap();
        assert_eq!(b.plant.relative_gap, None);
        assert_eq!(b.plant.reuse_rate, None);
        let i = &b.indices;
        assert!(
            [
                i.reuse_rate,
                i.cooling_recirculation_rate,
                i.process_water_reuse_rate,
                i.condensate_return_rate,
                i.leakage_rate,
                i.wastewater_reuse_rate,
                i.new_water_per_unit_product,
                i.new_water_per_10k_cny,
                i.domestic_new_water_per_employee_day,
            ]
            .iter()
            .all(Option::is_none),
            "{i:?}"
        );
        // An empty plant is fine too.
        assert_eq!(
            water_balance(&WaterInputs::default()).unwrap().plant.gap,
            0.0
        );
    }

    #[test]
    fn negative_or_nan_volumes_are_errors() {
        let mut inputs = plant();
        inputs.users[1].leakage = -1.0;
        let WaterError::InvalidNumber(e) = water_balance(&inputs).unwrap_err();
        assert_eq!(e.field, "users[process].leakage");
        let mut inputs = plant();
        inputs.output_value = Some(f64::NAN);
        assert!(water_balance(&inputs).is_err());
    }
}

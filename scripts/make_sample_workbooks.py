#!/usr/bin/env python3
"""Write the five workbooks of the sample audit (sample-audit/data/*.xlsx).

The sample is a FICTIONAL cotton printing and dyeing mill (浙江恒源印染有限公司).
Every value here is written as a plain cell value: no formulas, because the
reader never evaluates them.  Row 1 of every sheet is the bilingual header row
the reader looks its columns up by; data start in row 2 with no blank rows and
no merged cells.

The document properties are fixed to the report date, so that running the
script twice gives the same workbook content.

Usage: python3 scripts/make_sample_workbooks.py [AUDIT_DIR]
       (default: sample-audit/ next to this script's parent directory)

Needs openpyxl (pip install openpyxl).
"""
import datetime
import io
import os
import re
import sys
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

REPORT_DATE = datetime.datetime(2026, 10, 30, 9, 0, 0)
AUTHOR = "cpaudit sample"

# --------------------------------------------------------------------- status

YEARS = [2023, 2024, 2025]

# Output of the one product (id as in audit.yaml), 10^4 m, and output value, 10^4 CNY.
OUTPUT = {
    2023: (5480, 36200),
    2024: (5760, 38900),
    2025: (5920, 40800),
}

# Raw and auxiliary materials: (Chinese, English, unit, toxic, {year: quantity}).
MATERIALS = [
    ("坯布", "Grey cotton fabric", "万米", "否", {2023: 5640, 2024: 5920, 2025: 6080}),
    ("活性染料", "Reactive dyes", "t", "否", {2023: 121.5, 2024: 126.8, 2025: 128.0}),
    ("还原染料", "Vat dyes", "t", "否", {2023: 15.2, 2024: 14.6, 2025: 14.0}),
    ("硫化染料", "Sulphur dyes", "t", "否", {2023: 23.4, 2024: 22.1, 2025: 21.0}),
    ("印花涂料及粘合剂", "Printing pigments and binder", "t", "否", {2023: 64.0, 2024: 67.5, 2025: 69.0}),
    ("烧碱（折100%）", "Caustic soda (as 100 % NaOH)", "t", "否", {2023: 918, 2024: 951, 2025: 960}),
    ("双氧水（27.5%）", "Hydrogen peroxide (27.5 %)", "t", "否", {2023: 402, 2024: 418, 2025: 420}),
    ("纯碱", "Soda ash", "t", "否", {2023: 276, 2024: 284, 2025: 290}),
    ("元明粉", "Sodium sulphate (Glauber's salt)", "t", "否", {2023: 622, 2024: 641, 2025: 650}),
    ("尿素", "Urea", "t", "否", {2023: 116, 2024: 119, 2025: 120}),
    ("退浆酶及精练剂", "Desizing enzyme and scouring agent", "t", "否", {2023: 205, 2024: 212, 2025: 218}),
    ("皂洗剂", "Soaping agent", "t", "否", {2023: 104, 2024: 108, 2025: 110}),
    ("保险粉", "Sodium hydrosulphite", "t", "是", {2023: 19.5, 2024: 18.8, 2025: 18.0}),
    ("硫化碱", "Sodium sulphide", "t", "是", {2023: 17.6, 2024: 16.9, 2025: 16.0}),
    ("柔软剂及整理剂", "Softeners and finishing agents", "t", "否", {2023: 221, 2024: 230, 2025: 235}),
]

# Energy carriers (GB/T 2589 ids).  Gas feeds the two boilers and the stenters.
ENERGY = [
    ("electricity", "kWh", {2023: 15673000, 2024: 16070400, 2025: 16161600}),
    ("natural_gas", "m³", {2023: 13953000, 2024: 14333000, 2025: 14383000}),
    ("diesel", "t", {2023: 63, 2024: 61, 2025: 58}),
]

# Fresh water intake, t/a (1 t = 1 m³).
WATER_INTAKE = {2023: 1123400, 2024: 1134700, 2025: 1124800}

# -------------------------------------------------------------------- balance
# The audit focus (dyeing workshop), measured on continuous pad-dyeing range
# No. 2 over three lots on 2026-05-12..14.  Quantities in t per lot.
#   lot 1: navy, 36,000 m (4.50 t bleached fabric)
#   lot 2: red,  32,000 m (4.00 t)
#   lot 3: grey, 40,000 m (5.00 t)
#
# (id, zh, en, from, to, kind, [lot1, lot2, lot3])
STREAMS = [
    # U1 dye-liquor preparation
    ("S01", "配液用水", "Water for dye liquor and tank rinsing", "", "U1", "水", [3.700, 3.350, 4.050]),
    ("S02", "活性染料", "Reactive dyes", "", "U1", "辅料", [0.088, 0.052, 0.018]),
    ("S03", "尿素", "Urea", "", "U1", "辅料", [0.135, 0.090, 0.060]),
    ("S04", "渗透剂及防泳移剂", "Wetting and anti-migration agents", "", "U1", "辅料", [0.040, 0.036, 0.045]),
    ("S05", "染液", "Dye liquor", "U1", "U2", "中间品", [3.345, 2.945, 3.560]),
    ("S06", "化料桶及管道冲洗废水", "Tank and pipe rinsing wastewater", "U1", "", "废水", [0.600, 0.550, 0.590]),
    # U2 dye padding
    ("S07", "漂白丝光半制品", "Bleached and mercerised fabric", "", "U2", "原料", [4.500, 4.000, 5.000]),
    ("S08", "浸轧后湿布", "Padded wet fabric", "U2", "U3", "中间品", [7.395, 6.530, 8.180]),
    ("S09", "轧槽换批残液", "Residual pad liquor at lot change", "U2", "", "废水", [0.360, 0.330, 0.290]),
    ("S10", "滴漏及管道残留", "Drips and liquor left in pipes (estimated)", "U2", "", "损耗", [0.045, 0.040, 0.040]),
    # U3 pre-drying, chemical padding and steam fixation
    ("S11", "固色液配制用水", "Water for the fixation liquor", "", "U3", "水", [2.950, 2.620, 3.280]),
    ("S12", "烧碱及元明粉", "Caustic soda and sodium sulphate", "", "U3", "辅料", [0.820, 0.730, 0.910]),
    ("S13", "汽蒸箱直接蒸汽", "Live steam to the steamer", "", "U3", "蒸汽", [0.420, 0.380, 0.460]),
    ("S14", "预烘蒸发水汽", "Water evaporated in pre-drying (estimated)", "U3", "", "废气", [2.580, 2.300, 2.880]),
    ("S15", "汽蒸箱逸散蒸汽", "Steam escaping from the steamer (estimated)", "U3", "", "废气", [0.160, 0.150, 0.180]),
    ("S16", "轧碱槽残液", "Residual fixation liquor", "U3", "", "废水", [0.420, 0.380, 0.460]),
    ("S17", "固色后湿布", "Fixed wet fabric", "U3", "U4", "中间品", [8.080, 7.150, 8.930]),
    # U4 washing-off and soaping
    ("S18", "水洗用水", "Washing water", "", "U4", "水", [96.500, 86.200, 104.800]),
    ("S19", "皂洗剂", "Soaping agent", "", "U4", "辅料", [0.045, 0.040, 0.050]),
    ("S20", "水洗箱直接蒸汽", "Live steam to the wash boxes", "", "U4", "蒸汽", [2.400, 2.150, 2.620]),
    ("S21", "水洗皂洗废水", "Washing and soaping wastewater", "U4", "", "废水", [96.600, 86.100, 104.900]),
    ("S22", "水洗箱蒸发", "Evaporation from hot wash boxes (estimated)", "U4", "", "废气", [1.150, 1.050, 1.250]),
    ("S23", "水洗后湿布", "Washed wet fabric", "U4", "U5", "中间品", [7.900, 7.030, 8.750]),
    # U5 cylinder drying and batching
    ("S24", "烘筒蒸发水汽", "Water evaporated on the drying cylinders", "U5", "", "废气", [3.280, 2.940, 3.660]),
    ("S25", "染色布", "Dyed fabric", "U5", "", "产品", [4.560, 4.040, 5.040]),
    ("S26", "布边及回丝", "Selvedge trimmings and lint", "U5", "", "固废", [0.012, 0.011, 0.013]),
]

# Pollutant factors of the measured streams (mean of the three lots).  Water and
# wastewater: COD and TN in mg/L, measured.  Materials: COD equivalent and nitrogen
# content in kg per t of material, from the suppliers' data sheets (dyes, agents) and
# the formula (urea, CO(NH2)2: 28.01/60.06 = 46.6 % N).  Dyed fabric: the dye fixed on
# it, estimated from a fixation rate of 75 % (COD 0.75 × 57.9 kg, N 0.75 × 4.2 kg per
# lot, over 4.547 t of fabric).  Drips (S10) are pad liquor, as S09.  Ammonia nitrogen
# is not balanced: it forms from urea by hydrolysis, in the wash water and above all
# in the treatment station, so it is not conserved across the focus.
COMPONENTS = [
    ("S01", "COD", 6, "mg/L"), ("S01", "TN", 1.2, "mg/L"),
    ("S02", "COD", 1100, "kg/t"), ("S02", "TN", 80, "kg/t"),
    ("S03", "TN", 466, "kg/t"),
    ("S04", "COD", 1150, "kg/t"),
    ("S11", "COD", 6, "mg/L"), ("S11", "TN", 1.2, "mg/L"),
    ("S18", "COD", 6, "mg/L"), ("S18", "TN", 1.2, "mg/L"),
    ("S19", "COD", 1450, "kg/t"),
    ("S06", "COD", 2600, "mg/L"), ("S06", "TN", 1150, "mg/L"),
    ("S09", "COD", 38500, "mg/L"), ("S09", "TN", 17800, "mg/L"),
    ("S10", "COD", 38500, "mg/L"), ("S10", "TN", 17800, "mg/L"),
    ("S16", "COD", 2800, "mg/L"), ("S16", "TN", 120, "mg/L"),
    ("S21", "COD", 1080, "mg/L"), ("S21", "TN", 405, "mg/L"),
    ("S25", "COD", 9.56, "kg/t"), ("S25", "TN", 0.70, "kg/t"),
]

# ---------------------------------------------------------------------- water
# Plant water balance test, 2026-04 (baseline operation), m³/d.
# (id, zh, en, type, new, reused, consumed, discharged, leakage)
WATER_USERS = [
    ("W1", "前处理车间", "Pretreatment workshop", "工艺", 1090, 180, 42, 1037, 11),
    ("W2", "染色车间", "Dyeing workshop", "工艺", 1218, 120, 46, 1157, 15),
    ("W3", "印花车间", "Printing workshop", "工艺", 533, 0, 21, 507, 5),
    ("W4", "后整理定型车间", "Finishing and setting workshop", "工艺", 95, 0, 40, 52, 3),
    ("W5", "锅炉房", "Boiler house", "锅炉", 228, 221, 204, 22, 2),
    ("W6", "循环冷却水系统", "Recirculating cooling water system", "冷却", 95, 2400, 80, 12, 3),
    ("W7", "污水处理站", "Wastewater treatment station", "其他", 45, 0, 5, 38, 2),
    ("W8", "办公、食堂及宿舍", "Offices, canteen and dormitory", "生活", 86, 0, 14, 70, 2),
    ("W9", "绿化及道路浇洒", "Landscaping and road watering", "其他", 18, 0, 18, 0, 0),
]
WORKING_DAYS = 330

# ------------------------------------------------------------------ emissions
WW_FLOW = sum(u[7] for u in WATER_USERS) * WORKING_DAYS  # m³/a at DW001
WW_SOURCE = ("DW001", "废水总排放口", "Final wastewater outlet")
WW_MODE = ("间接排放，连续；经市政污水管网排入城镇污水处理厂",
           "Indirect, continuous; via the municipal sewer to the municipal wastewater treatment plant")
WW_STD = "GB 4287-2012 表2"
# (pollutant, concentration, unit, limit): 2025 annual means of self-monitoring
# and the online monitor at DW001.  NH3-N exceeds the limit.
WW_ROWS = [
    ("COD", 62, "mg/L", 80),
    ("BOD5", 15, "mg/L", 20),
    ("SS", 24, "mg/L", 50),
    ("NH3-N", 12.6, "mg/L", 10),
    ("TN", 14.6, "mg/L", 15),
    ("TP", 0.32, "mg/L", 0.5),
    ("colour", 32, "倍", 50),
    ("sulfide", 0.16, "mg/L", 0.5),
    ("Sb", 0.038, "mg/L", 0.10),
]

# Waste gas: boilers (GB 13271-2014 表2, gas-fired) and three stenter stacks
# (GB 16297-1996 表2 二级).  Flows in Nm³/a.
GAS_SOURCES = [
    ("DA001", "锅炉烟气排气筒（2台燃气锅炉）", "Boiler stack (two gas-fired boilers)",
     122400000, "GB 13271-2014 表2",
     [("SO2", 4, 50), ("NOx", 45, 200), ("particulates", 3.1, 20)]),
    ("DA002", "1#–3#定型机废气排气筒", "Stenters 1–3 exhaust stack",
     186000000, "GB 16297-1996 表2",
     [("NOx", 11, 240), ("particulates", 8.6, 120)]),
    ("DA003", "4#–6#定型机废气排气筒", "Stenters 4–6 exhaust stack",
     186000000, "GB 16297-1996 表2",
     [("NOx", 12, 240), ("particulates", 9.4, 120)]),
    ("DA004", "7#–9#定型机废气排气筒", "Stenters 7–9 exhaust stack",
     186000000, "GB 16297-1996 表2",
     [("NOx", 10, 240), ("particulates", 11.2, 120)]),
]
GAS_MODE = ("有组织，连续", "Stack, continuous")

# Permitted annual totals (pollutant discharge permit), t/a.
PERMITS = [("COD", 68.8), ("NH3-N", 11.46), ("SO2", 2.2), ("NOx", 16.8)]

# ------------------------------------------------------------------ cash flows
# F22 reclaimed-water (UF + RO) system: investment 480, subsidy 60, life 10,
# saving P = 124.7/a, straight-line depreciation 42/a, income tax 25 %.
# Normal year: F = (P - D)(1 - t) + D = 104.0.
# Year 1 runs at about 73 % while the membranes are run in: P = 91.0, F = 78.8.
# Year 6: the RO elements are replaced (72, expensed): P = 52.7, F = 50.0.
CASH_FLOWS = [
    ("F22", 0, -420.0),
    ("F22", 1, 78.8),
    ("F22", 2, 104.0),
    ("F22", 3, 104.0),
    ("F22", 4, 104.0),
    ("F22", 5, 104.0),
    ("F22", 6, 50.0),
    ("F22", 7, 104.0),
    ("F22", 8, 104.0),
    ("F22", 9, 104.0),
    ("F22", 10, 104.0),
]


# Hazardous waste (国家危险废物名录 2021): (category, code, Chinese, English, storage
# zh, storage en, disposer zh, disposer en, licence, {year: (t, manifests)}).  The report's table and
# the notice's figures both come from this sheet.
HW_STORE = "危险废物贮存库（符合 GB 18597），分区分类存放"
HW_STORE_EN = "hazardous-waste store built to GB 18597, kept apart by category"
HAZARDOUS_WASTE = [
    ("HW49", "900-041-49", "废染料助剂包装桶袋", "Empty dye and chemical drums and bags",
     HW_STORE + "，袋装扎口、桶装加盖", HW_STORE_EN + "; bags tied, drums lidded",
     "绍兴滨海固废处置有限公司", "Shaoxing Binhai Solid Waste Disposal Co., Ltd.", "3306000097",
     {2023: (34.2, 10), 2024: (35.1, 11), 2025: (36.0, 12)}),
    ("HW08", "900-249-08", "定型机废油", "Stenter waste oil",
     HW_STORE + "，密闭铁桶贮存，设防渗托盘", HW_STORE_EN + "; closed steel drums on drip trays",
     "绍兴越洁再生资源有限公司", "Shaoxing Yuejie Renewable Resources Co., Ltd.", "3306000215",
     {2023: (17.1, 6), 2024: (17.6, 6), 2025: (18.0, 6)}),
    ("HW08", "900-214-08", "废机油", "Waste lubricating oil",
     HW_STORE + "，密闭铁桶贮存，设防渗托盘", HW_STORE_EN + "; closed steel drums on drip trays",
     "绍兴越洁再生资源有限公司", "Shaoxing Yuejie Renewable Resources Co., Ltd.", "3306000215",
     {2023: (1.9, 2), 2024: (2.0, 2), 2025: (2.0, 2)}),
    ("HW49", "900-047-49", "化验室废液", "Laboratory waste liquid",
     HW_STORE + "，专用废液桶贮存", HW_STORE_EN + "; dedicated waste-liquid drums",
     "绍兴滨海固废处置有限公司", "Shaoxing Binhai Solid Waste Disposal Co., Ltd.", "3306000097",
     {2023: (0.3, 1), 2024: (0.3, 1), 2025: (0.3, 1)}),
]


# ------------------------------------------------------------------- writing

def new_workbook():
    wb = Workbook()
    wb.remove(wb.active)
    p = wb.properties
    p.creator = AUTHOR
    p.lastModifiedBy = AUTHOR
    p.created = REPORT_DATE
    p.modified = REPORT_DATE
    p.title = "浙江恒源印染有限公司清洁生产审核 Hengyuan cleaner production audit (fictional sample)"
    return wb


def add_sheet(wb, name, header, rows, widths=None):
    ws = wb.create_sheet(name)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    for i, _ in enumerate(header):
        letter = ws.cell(row=1, column=i + 1).column_letter
        ws.column_dimensions[letter].width = (widths[i] if widths else 16)
    return ws


def save(wb, path):
    """Save with fixed dates, so that reruns give byte-identical files.

    openpyxl stamps docProps/core.xml `modified` with the current time on save and
    the zip entries with the current time, so the archive is rewritten: every entry
    dated REPORT_DATE, `modified` set back to REPORT_DATE, entries in a fixed order.
    """
    buf = io.BytesIO()
    wb.save(buf)
    stamp = REPORT_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=REPORT_DATE.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)


def status(path):
    wb = new_workbook()
    add_sheet(
        wb, "产量 Output",
        ["年份 Year", "产品 Product", "产量 Quantity", "单位 Unit", "产值 Value (万元)"],
        [(y, "fabric", OUTPUT[y][0], "万米", OUTPUT[y][1]) for y in YEARS],
        [12, 14, 14, 10, 18])
    rows = []
    for y in YEARS:
        for zh, en, unit, toxic, q in MATERIALS:
            rows.append((y, zh, en, q[y], unit, toxic))
    add_sheet(
        wb, "原辅材料 Materials",
        ["年份 Year", "名称 Name", "英文名称 Name (EN)", "用量 Quantity", "单位 Unit", "有毒有害 Toxic"],
        rows, [12, 20, 34, 14, 10, 14])
    rows = []
    for y in YEARS:
        for carrier, unit, q in ENERGY:
            rows.append((y, carrier, q[y], unit))
    add_sheet(
        wb, "能源 Energy",
        ["年份 Year", "能源 Carrier", "用量 Quantity", "单位 Unit"],
        rows, [12, 16, 16, 10])
    add_sheet(
        wb, "取水 Water",
        ["年份 Year", "取水量 Quantity", "单位 Unit"],
        [(y, WATER_INTAKE[y], "t") for y in YEARS], [12, 16, 10])
    rows = []
    for y in YEARS:
        for hw, code, zh, en, store, store_en, d_zh, d_en, licence, q in HAZARDOUS_WASTE:
            rows.append((y, hw, code, zh, en, q[y][0], store, store_en, d_zh, d_en, licence,
                         q[y][1]))
    add_sheet(
        wb, "危险废物 Hazardous waste",
        ["年份 Year", "废物类别 Category", "废物代码 Waste code", "名称 Name",
         "英文名称 Name (EN)", "产生量 Generated (t)", "贮存 Storage", "英文贮存 Storage (EN)",
         "处置单位 Disposer", "英文处置单位 Disposer (EN)", "许可证编号 Licence No.",
         "转移联单 Manifests"],
        rows, [12, 12, 14, 20, 34, 14, 40, 50, 28, 40, 18, 12])
    save(wb, path)


def balance(path):
    wb = new_workbook()
    add_sheet(
        wb, "物料 Streams",
        ["编号 ID", "名称 Name", "英文名称 Name (EN)", "来源 From", "去向 To", "类别 Kind",
         "单位 Unit", "批次1 Batch 1", "批次2 Batch 2", "批次3 Batch 3"],
        # Empty from/to cells are left empty (None), not "".
        [(s, zh, en, f or None, t or None, k, "t", *b) for s, zh, en, f, t, k, b in STREAMS],
        [10, 22, 40, 10, 10, 10, 8, 14, 14, 14])
    add_sheet(
        wb, "污染因子 Components",
        ["物流 Stream", "因子 Component", "浓度 Concentration", "单位 Unit"],
        COMPONENTS, [12, 14, 18, 10])
    save(wb, path)


def water(path):
    wb = new_workbook()
    add_sheet(
        wb, "水平衡 Water",
        ["编号 ID", "名称 Name", "英文名称 Name (EN)", "类型 Type", "单位 Unit", "新水 New water",
         "重复利用 Reused", "消耗 Consumed", "排放 Discharged", "漏失 Leakage"],
        [(i, zh, en, k, "m³/d", n, r, c, d, l) for i, zh, en, k, n, r, c, d, l in WATER_USERS],
        [10, 20, 36, 10, 10, 14, 16, 14, 16, 12])
    save(wb, path)


def emissions(path):
    wb = new_workbook()
    header = ["排放口 Source", "名称 Name", "英文名称 Name (EN)", "污染物 Pollutant",
              "浓度 Concentration", "浓度单位 Concentration unit", "流量 Flow", "流量单位 Flow unit",
              "限值 Limit", "执行标准 Standard", "排放方式 Mode", "英文排放方式 Mode (EN)"]
    widths = [12, 30, 36, 14, 16, 16, 16, 14, 10, 20, 40, 60]
    src, zh, en = WW_SOURCE
    rows = [(src, zh, en, p, c, u, WW_FLOW, "m³/a", lim, WW_STD, *WW_MODE) for p, c, u, lim in WW_ROWS]
    add_sheet(wb, "废水 Wastewater", header, rows, widths)
    rows = []
    for src, zh, en, flow, std, items in GAS_SOURCES:
        for p, c, lim in items:
            rows.append((src, zh, en, p, c, "mg/m³", flow, "Nm³/a", lim, std, *GAS_MODE))
    add_sheet(wb, "废气 Waste gas", header, rows, widths)
    add_sheet(wb, "总量 Permits", ["污染物 Pollutant", "许可总量 Permitted (t/a)"], PERMITS, [14, 24])
    save(wb, path)


def cash_flows(path):
    wb = new_workbook()
    add_sheet(
        wb, "现金流 Cash flows",
        ["方案 Option", "年份 Year", "净现金流 Net cash flow (万元)"],
        CASH_FLOWS, [12, 10, 26])
    save(wb, path)


def report():
    """Print the closures and totals the narratives rely on (a check, not output)."""
    units = sorted({s[3] for s in STREAMS if s[3]} | {s[4] for s in STREAMS if s[4]})
    for b in range(3):
        line = []
        for u in units:
            i = sum(s[6][b] for s in STREAMS if s[4] == u)
            o = sum(s[6][b] for s in STREAMS if s[3] == u)
            line.append(f"{u} {100 * (i - o) / i:5.2f}%")
        i = sum(s[6][b] for s in STREAMS if not s[3])
        o = sum(s[6][b] for s in STREAMS if not s[4])
        line.append(f"focus {100 * (i - o) / i:5.2f}% (in {i:.3f} t)")
        print(f"lot {b + 1}: " + ", ".join(line))
    for u in WATER_USERS:
        gap = u[4] - u[6] - u[7] - u[8]
        if gap:
            print(f"water user {u[0]}: new - out = {gap}")
    new = sum(u[4] for u in WATER_USERS)
    reused = sum(u[5] for u in WATER_USERS)
    disch = sum(u[7] for u in WATER_USERS)
    print(f"water: new {new} m³/d ({new * WORKING_DAYS} m³/a), reused {reused}, "
          f"reuse rate {100 * reused / (new + reused):.1f} %, discharged {disch} m³/d = {WW_FLOW} m³/a")
    for p, c, _, _ in WW_ROWS:
        if p in ("COD", "NH3-N"):
            print(f"{p}: {c * WW_FLOW / 1e6:.2f} t/a")
    so2 = sum(flow * c for _, _, _, flow, _, items in GAS_SOURCES for p, c, _ in items if p == "SO2") / 1e9
    nox = sum(flow * c for _, _, _, flow, _, items in GAS_SOURCES for p, c, _ in items if p == "NOx") / 1e9
    print(f"SO2 {so2:.2f} t/a, NOx {nox:.2f} t/a")
    coef = {"electricity": 0.1229, "natural_gas": 1.2143, "diesel": 1457.1}
    for y in YEARS:
        h = OUTPUT[y][0] * 100  # 100 m units
        e = sum(q[y] * coef[c] for c, _, q in ENERGY)
        print(f"{y}: water {WATER_INTAKE[y] / h:.3f} t/100 m, energy {e / h:.2f} kgce/100 m, "
              f"electricity {ENERGY[0][2][y] / h:.2f} kWh/100 m")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "sample-audit")
    data = os.path.join(root, "data")
    os.makedirs(data, exist_ok=True)
    status(os.path.join(data, "status.xlsx"))
    balance(os.path.join(data, "balance.xlsx"))
    water(os.path.join(data, "water.xlsx"))
    emissions(os.path.join(data, "emissions.xlsx"))
    cash_flows(os.path.join(data, "cashflows.xlsx"))
    report()


if __name__ == "__main__":
    main()

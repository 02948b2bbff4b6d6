//! JSON Schemas of the audit folder's YAML files, generated from the model types with
//! schemars, and the audit-folder reference (docs/reference.md) generated from them.
//!
//! The schemas are draft-07, the dialect every release of the YAML language server
//! understands. Each YAML file names its schema on line 1 with a modeline
//! (`# yaml-language-server: $schema=./schemas/audit.schema.json`), so that an editor with
//! the YAML language server completes keys, shows each field's help on hover and marks a
//! misspelled key. Every description carries a Chinese label before the English text of
//! the model's doc comment.

use crate::model::sheets::{Accepts, WORKBOOKS};
use crate::model::*;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};
use std::path::Path;

/// One YAML file of the audit folder and its schema.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// The YAML file, relative to the audit folder (`narratives/04-options.yaml`).
    pub file: &'static str,
    /// The schema's file name in `schemas/` (`04-options.schema.json`).
    pub schema_name: &'static str,
    /// What the file holds, in Chinese and English.
    pub title: Text,
    /// The schema.
    pub schema: Value,
}

/// The YAML files of an audit folder: path, schema file name, title.
const FILES: [(&str, &str, &str, &str); 8] = [
    (
        "audit.yaml",
        "audit.schema.json",
        "审核总信息：企业、审核类型、日期、设置、工作簿、证据",
        "The audit: enterprise, audit type, dates, settings, workbooks, evidence",
    ),
    (
        "narratives/01-preparation.yaml",
        "01-preparation.schema.json",
        "第一阶段 筹划和组织",
        "Stage 1, preparation: leadership, team, work plan, publicity, training",
    ),
    (
        "narratives/02-pre-assessment.yaml",
        "02-pre-assessment.schema.json",
        "第二阶段 预评估",
        "Stage 2, pre-assessment: status quo, pollution, audit focus, goals",
    ),
    (
        "narratives/03-assessment.yaml",
        "03-assessment.schema.json",
        "第三阶段 评估",
        "Stage 3, assessment: the focus, unit operations, measurement, causes",
    ),
    (
        "narratives/04-options.yaml",
        "04-options.schema.json",
        "第四阶段 方案产生和筛选",
        "Stage 4, options: generation and screening",
    ),
    (
        "narratives/05-feasibility.yaml",
        "05-feasibility.schema.json",
        "第五阶段 可行性分析",
        "Stage 5, feasibility analysis of the medium/high-cost options",
    ),
    (
        "narratives/06-implementation.yaml",
        "06-implementation.schema.json",
        "第六阶段 方案实施",
        "Stage 6, implementation and verified results",
    ),
    (
        "narratives/07-continuous.yaml",
        "07-continuous.schema.json",
        "第七阶段 持续清洁生产",
        "Stage 7, continuous cleaner production and conclusions",
    ),
];

fn root_schema<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// The schema of every YAML file of an audit folder, `audit.yaml` first, then the
/// narratives in stage order.
pub fn schemas() -> Vec<SchemaFile> {
    let roots = [
        root_schema::<AuditFile>(),
        root_schema::<Preparation>(),
        root_schema::<PreAssessment>(),
        root_schema::<Assessment>(),
        root_schema::<OptionsFile>(),
        root_schema::<Feasibility>(),
        root_schema::<Implementation>(),
        root_schema::<Continuous>(),
    ];
    FILES
        .iter()
        .zip(roots)
        .map(|((file, schema_name, zh, en), mut schema)| {
            let title = Text {
                zh: zh.to_string(),
                en: en.to_string(),
            };
            finish(&mut schema, file, &title);
            SchemaFile {
                file,
                schema_name,
                title,
                schema,
            }
        })
        .collect()
}

/// Sets the root's title and adds the Chinese labels to every description.
fn finish(schema: &mut Value, file: &str, title: &Text) {
    let Some(root) = schema.as_object_mut() else {
        return;
    };
    // The root is named after the YAML file; its type's doc comment stays the description.
    let root_type = root
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    root.insert("title".into(), Value::from(file));
    let description = format!("{}。{}", title.zh, title.en);
    root.insert("description".into(), Value::from(description));
    label_properties(root, &root_type);
    if let Some(Value::Object(defs)) = root.get_mut("definitions") {
        for (name, def) in defs.iter_mut() {
            if let Some(def) = def.as_object_mut() {
                label_properties(def, name);
            }
        }
    }
    // `$schema`, `title` and `description` first, for a reader of the file.
    let mut ordered = Map::new();
    for key in ["$schema", "title", "description"] {
        if let Some(v) = root.remove(key) {
            ordered.insert(key.into(), v);
        }
    }
    ordered.append(root);
    *root = ordered;
}

fn label_properties(def: &mut Map<String, Value>, type_name: &str) {
    let Some(Value::Object(props)) = def.get_mut("properties") else {
        return;
    };
    for (key, prop) in props.iter_mut() {
        let Some(prop) = prop.as_object_mut() else {
            continue;
        };
        if let Some(zh) = zh_label(type_name, key) {
            let en = prop
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            prop.insert("description".into(), Value::from(format!("{zh}：{en}")));
        }
    }
}

/// The Chinese label of a field: by `Type.field` first, then by field name.
pub fn zh_label(type_name: &str, field: &str) -> Option<&'static str> {
    let qualified = format!("{type_name}.{field}");
    ZH.iter()
        .find(|(k, _)| *k == qualified)
        .or_else(|| ZH.iter().find(|(k, _)| *k == field))
        .map(|(_, v)| *v)
}

/// Chinese labels of the fields, `Type.field` where a name means different things in
/// different places, else by field name.
const ZH: &[(&str, &str)] = &[
    // audit.yaml
    ("AuditFile.id", "审核编号"),
    ("enterprise", "企业基本情况"),
    ("AuditFile.audit", "审核概况"),
    ("settings", "计算参数"),
    ("data", "数据工作簿"),
    ("AuditFile.evidence", "证据文件说明"),
    ("compliance", "合规信息"),
    ("confidential", "保密内容"),
    ("legal_representative", "法定代表人"),
    ("address", "地址"),
    ("Enterprise.industry", "所属行业"),
    ("industry_code", "国民经济行业代码"),
    ("established", "成立年份"),
    ("staff", "职工人数"),
    ("registered_capital", "注册资本（万元）"),
    ("site_area", "占地面积（m²）"),
    ("working_days", "年工作日"),
    ("contact", "联系人"),
    ("phone", "电话"),
    ("products", "主要产品"),
    ("capacity", "设计产能"),
    ("overview", "企业概况"),
    ("kind", "类型"),
    ("AuditMeta.kind", "审核类型"),
    ("regulation", "适用法规"),
    ("industry_profile", "行业配置"),
    ("round", "审核轮次"),
    ("baseline_year", "基准年"),
    ("list_published", "名单公布日期"),
    ("started", "审核启动日期"),
    ("report_date", "报告日期"),
    ("disclosed", "公示日期"),
    ("evaluated", "评估日期"),
    ("accepted", "验收日期"),
    ("consultancy", "咨询服务机构"),
    ("credential", "资质"),
    ("auditors", "清洁生产审核师"),
    ("certificate", "证书编号"),
    ("compiled_by", "编制"),
    ("reviewed_by", "审核"),
    ("approved_by", "批准"),
    ("discount_rate", "折现率"),
    ("tax_rate", "所得税率"),
    ("electricity_basis", "电力折标方式"),
    ("electricity_primary", "电力等价值系数（kgce/kWh）"),
    ("balance_tolerance", "物料平衡允许误差"),
    ("water_tolerance", "水平衡允许误差"),
    ("payback_medium", "中费方案基准投资回收期（年）"),
    ("payback_high", "高费方案基准投资回收期（年）"),
    ("medium_cost_threshold", "中费方案投资下限（万元）"),
    ("high_cost_threshold", "高费方案投资下限（万元）"),
    (
        "DataFiles.status",
        "现状工作簿（产量、原辅材料、能源、取水）",
    ),
    ("DataFiles.balance", "物料平衡工作簿"),
    ("DataFiles.water", "水平衡工作簿"),
    ("DataFiles.emissions", "排放工作簿"),
    ("DataFiles.cash_flows", "方案现金流工作簿"),
    ("path", "路径"),
    ("title", "标题"),
    ("Product.benchmark", "基准排水量折算"),
    ("ProductBenchmark.category", "基准排水量产品类别"),
    (
        "ProductBenchmark.per_unit",
        "每单位产量折合标准品（t 或 m²）",
    ),
    ("energy_limit", "单位产品能耗限额"),
    ("hazardous_waste", "危险废物产生和处置情况"),
    ("risk_controls", "环境风险防控措施"),
    ("standard", "标准"),
    ("reason", "原因"),
    ("zh", "中文"),
    ("en", "英文"),
    // common
    ("id", "编号"),
    ("name", "名称"),
    ("unit", "单位"),
    ("value", "数值"),
    ("description", "说明"),
    ("evidence", "证据文件"),
    // 01
    ("leadership", "领导支持"),
    ("team", "审核小组"),
    ("work_plan", "工作计划"),
    ("publicity", "宣传动员"),
    ("training", "培训"),
    ("obstacles", "障碍及对策"),
    ("post", "职务"),
    ("speciality", "专业"),
    ("role", "小组职务"),
    ("duties", "职责"),
    ("stage", "阶段"),
    ("content", "工作内容"),
    ("period", "时间"),
    ("responsible", "负责部门/人"),
    ("output", "产出"),
    ("date", "日期"),
    ("topic", "主题"),
    ("audience", "对象"),
    ("participants", "人数"),
    ("obstacle", "障碍"),
    ("countermeasure", "对策"),
    // 02
    ("PreAssessment.status", "生产现状"),
    ("PreAssessment.process", "生产工艺"),
    ("process_steps", "工艺流程及产污节点"),
    ("emits", "产污类型"),
    ("PreAssessment.equipment", "主要设备"),
    ("model", "型号规格"),
    ("count", "数量"),
    ("phased_out", "属淘汰设备"),
    ("pollution", "污染物产生及治理"),
    ("medium", "介质"),
    ("source", "产生位置"),
    ("pollutants", "主要污染物"),
    ("treatment", "治理措施"),
    ("destination", "去向"),
    ("PreAssessment.management", "环境管理现状"),
    ("measures_taken", "已实施的清洁生产措施"),
    ("benchmarks", "清洁生产水平对标"),
    ("indicator", "指标"),
    ("levels", "Ⅰ/Ⅱ/Ⅲ级基准值"),
    ("evaluation", "清洁生产水平综合评价"),
    ("Evaluation.system", "评价指标体系"),
    ("Evaluation.values", "定量指标的企业现状值"),
    ("Evaluation.levels", "定性指标达到的级别"),
    ("Evaluation.not_applicable", "不适用的指标"),
    ("lower_is_better", "越小越好"),
    ("potential", "清洁生产潜力"),
    ("PreAssessment.focus", "审核重点的确定"),
    ("factors", "权重因素"),
    ("weight", "权重"),
    ("candidates", "备选审核重点"),
    ("facts", "主要情况"),
    ("scores", "评分"),
    ("chosen", "选定的审核重点"),
    ("rationale", "理由"),
    ("goals", "清洁生产目标"),
    ("baseline", "现状值"),
    ("near_term", "近期目标"),
    ("long_term", "中远期目标"),
    // 03
    ("Assessment.focus", "审核重点概况"),
    ("Assessment.process", "审核重点工艺"),
    ("unit_operations", "单元操作"),
    ("function", "功能"),
    ("measurement", "实测"),
    ("mode", "方式"),
    ("hours", "实测小时数"),
    ("method", "方法"),
    ("balance_findings", "物料平衡分析"),
    ("water_findings", "水平衡分析"),
    ("causes", "废弃物产生原因分析"),
    ("aspect", "方面"),
    ("Cause.unit", "单元操作"),
    ("Cause.options", "对应方案"),
    // 04
    ("generation", "方案产生"),
    ("screening_factors", "筛选因素"),
    ("OptionsFile.options", "清洁生产方案"),
    ("category", "类别（八个方面）"),
    ("cost", "费用类别"),
    ("CpOption.investment", "估算投资（万元）"),
    ("CpOption.unit", "所属单元操作"),
    ("benefits", "年效益"),
    ("screening", "筛选评分"),
    ("CpOption.status", "状态"),
    ("screening_summary", "筛选结论"),
    ("economic", "经济效益（万元/年）"),
    ("quantities", "资源节约和污染物削减量"),
    ("BenefitQuantity.code", "代码（资源或污染物）"),
    ("BenefitQuantity.name", "名称"),
    ("BenefitQuantity.quantity", "数量（每年）"),
    ("BenefitQuantity.unit", "单位"),
    ("BenefitQuantity.value", "折合经济效益（万元/年）"),
    ("other", "其他效益"),
    // 05
    ("introduction", "概述"),
    ("analyses", "可行性分析"),
    ("recommendation", "推荐意见"),
    ("FeasibilityAnalysis.option", "方案编号"),
    ("market", "市场分析"),
    ("technical", "技术评估"),
    ("environmental", "环境评估"),
    ("FeasibilityAnalysis.investment", "投资"),
    ("items", "投资构成"),
    ("subsidy", "补助（万元）"),
    ("item", "项目"),
    ("amount", "金额（万元）"),
    ("revenue_increase", "年增收（万元/年）"),
    ("cost_reduction", "年运行费用节约（万元/年）"),
    ("depreciation_period", "折旧年限（年）"),
    ("life", "经济寿命（年）"),
    ("replacements", "更新投资"),
    ("ReplacementItem.year", "发生年份（寿命期第几年）"),
    // 06
    ("Implementation.plan", "实施计划"),
    ("results", "已实施方案效果"),
    ("goal_results", "目标实现情况"),
    ("comparison", "与清洁生产标准对比"),
    ("ImplementationResult.option", "方案编号"),
    ("completed", "完成时间"),
    ("ImplementationResult.investment", "实际投资（万元）"),
    // 07
    ("organisation", "清洁生产组织"),
    ("systems", "管理制度"),
    ("Continuous.plan", "持续清洁生产计划"),
    ("conclusions", "审核结论"),
    ("task", "任务"),
    ("timing", "时间"),
];

/// The modeline that names a YAML file's schema, for line 1 of the file. The path is
/// relative to the file: `./schemas/…` for audit.yaml, `../schemas/…` for narratives.
pub fn modeline(file: &str) -> Option<String> {
    let (_, schema_name, ..) = FILES.iter().find(|(f, ..)| *f == file)?;
    let up = "../".repeat(file.matches('/').count());
    let prefix = if up.is_empty() { "./".to_string() } else { up };
    Some(format!(
        "# yaml-language-server: $schema={prefix}schemas/{schema_name}"
    ))
}

/// A schema as written to disk: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes every schema into `dir` (created if missing); returns the files written.
pub fn write(dir: &Path) -> Result<Vec<String>, crate::error::FileError> {
    use crate::error::FileError;
    std::fs::create_dir_all(dir).map_err(FileError::on("create", dir))?;
    let mut written = Vec::new();
    for s in schemas() {
        let path = dir.join(s.schema_name);
        std::fs::write(&path, to_text(&s.schema)).map_err(FileError::on("write", &path))?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// The audit-folder reference in Markdown (docs/reference.md): every YAML file with its
/// fields, generated from the schemas, and every workbook with its sheets and columns,
/// generated from the sheet declarations of [`crate::model::sheets`].
pub fn reference_markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "<!-- Generated by `cpaudit schema --markdown` from the model types and the workbook \
         templates; do not edit. `CPAUDIT_BLESS=1 cargo test --test testsuite schema::` rewrites it. -->\n\n",
    );
    out.push_str("# 审核文件夹参考 Audit folder reference\n\n");
    out.push_str(
        "每个 YAML 文件的每个字段、每个工作簿的每张表和每一列。文字字段（类型 `text`）写中英两种语言：\
         `{zh: …, en: …}`。\n\nEvery field of every YAML file, every sheet and column of every \
         workbook. A field of type `text` is bilingual: `{zh: …, en: …}`.\n\n",
    );
    out.push_str("| file | 内容 | contents |\n| --- | --- | --- |\n");
    for s in schemas() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            s.file,
            anchor(s.file),
            s.title.zh,
            s.title.en
        ));
    }
    for w in WORKBOOKS {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            w.file,
            anchor(w.file),
            w.help_zh,
            w.help_en
        ));
    }
    out.push_str("\n## YAML files\n");
    let mut printed: Vec<String> = vec!["Text".into()];
    for s in schemas() {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n### `{}`\n\n{}\n\n{}\n\nSchema: `schemas/{}`.\n\n",
            anchor(s.file),
            s.file,
            s.title.zh,
            s.title.en,
            s.schema_name
        ));
        let defs = s
            .schema
            .get("definitions")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let root_type = type_of_root(s.file);
        fields_table(&mut out, &s.schema, root_type, &defs);
        // The types the file uses, each once in the whole reference.
        let mut queue = referenced(&s.schema);
        let mut i = 0;
        while i < queue.len() {
            let name = queue[i].clone();
            i += 1;
            let Some(def) = defs.get(&name) else {
                continue;
            };
            for r in referenced(def) {
                if !queue.contains(&r) {
                    queue.push(r);
                }
            }
            if printed.contains(&name) {
                continue;
            }
            printed.push(name.clone());
            out.push_str(&format!(
                "\n<a id=\"type-{}\"></a>\n\n#### {name}\n\n",
                name.to_lowercase()
            ));
            if let Some(d) = def.get("description").and_then(Value::as_str) {
                out.push_str(&format!("{}\n\n", one_line(d)));
            }
            if def.get("properties").is_some() {
                fields_table(&mut out, def, &name, &defs);
            } else if let Some(values) = enum_values(def) {
                out.push_str("| value | meaning |\n| --- | --- |\n");
                for (v, d) in values {
                    out.push_str(&format!("| `{v}` | {} |\n", cell(&d)));
                }
            }
        }
    }
    out.push_str(
        "\n<a id=\"type-text\"></a>\n\n#### Text\n\n中英文文字 A text in both languages: \
         `zh` (中文 Chinese) and `en` (英文 English), both required.\n",
    );
    out.push_str("\n## Workbooks\n\n");
    out.push_str(
        "第 1 行是表头，数据从第 2 行开始，不要合并单元格、不要空行。表名和表头中文或英文任一半即可识别\
         （`编号 ID`、`批次1 Batch 1`）；列的顺序不限。\n\nRow 1 holds the headers and the data \
         start in row 2, without merged cells or blank rows. Sheets and columns are found by \
         either half of their bilingual name (`编号 ID`, `批次1 Batch 1`), in any order.\n",
    );
    for w in WORKBOOKS {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n\n### `{}`\n\n{}\n\n{}\n\n`data.{}` in audit.yaml.\n",
            anchor(w.file),
            w.file,
            w.help_zh,
            w.help_en,
            w.key
        ));
        for sheet in w.sheets {
            out.push_str(&format!(
                "\n#### {} {}\n\n{} {}\n\n| column | required | 说明 | description | accepts |\n| --- | --- | --- | --- | --- |\n",
                sheet.name(),
                if sheet.required { "" } else { "(optional 可选)" },
                sheet.help_zh,
                sheet.help_en
            ));
            for c in sheet.columns {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    c.header(),
                    if c.required { "yes" } else { "no" },
                    cell(c.help_zh),
                    cell(c.help_en),
                    accepts(&c.accepts)
                ));
            }
            if let Some(r) = &sheet.repeated {
                for n in 1..=r.written {
                    out.push_str(&format!(
                        "| `{}` | {} | {} | {} | {} |\n",
                        r.header(n),
                        if n == 1 { "yes" } else { "no" },
                        cell(r.help_zh),
                        cell(r.help_en),
                        accepts(&r.accepts)
                    ));
                }
            }
        }
    }
    out
}

fn accepts(a: &Accepts) -> String {
    match a {
        Accepts::Text => "text".into(),
        Accepts::Number => "number".into(),
        Accepts::NonNegative => "number ≥ 0".into(),
        Accepts::Year => "year".into(),
        Accepts::YearIndex => "0, 1, 2 …".into(),
        Accepts::Count => "whole number ≥ 0".into(),
        Accepts::OneOf(words) => format!("one of {}", words.join(" ")),
        Accepts::Suggested(words) => format!("a unit: {} …", words.join(" ")),
        Accepts::Carrier => "a GB/T 2589 carrier id".into(),
    }
}

fn type_of_root(file: &str) -> &'static str {
    match file {
        "audit.yaml" => "AuditFile",
        "narratives/01-preparation.yaml" => "Preparation",
        "narratives/02-pre-assessment.yaml" => "PreAssessment",
        "narratives/03-assessment.yaml" => "Assessment",
        "narratives/04-options.yaml" => "OptionsFile",
        "narratives/05-feasibility.yaml" => "Feasibility",
        "narratives/06-implementation.yaml" => "Implementation",
        _ => "Continuous",
    }
}

fn anchor(file: &str) -> String {
    file.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// The definition names a schema refers to, in order of first reference.
fn referenced(schema: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(Value::as_str)
                    && let Some(name) = r.strip_prefix("#/definitions/")
                    && !out.iter().any(|n| n == name)
                {
                    out.push(name.to_string());
                }
                for (k, x) in m {
                    if k != "definitions" {
                        walk(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(schema, &mut out);
    out
}

/// The values of a string enum with their descriptions.
fn enum_values(def: &Value) -> Option<Vec<(String, String)>> {
    if let Some(values) = def.get("enum").and_then(Value::as_array) {
        return Some(
            values
                .iter()
                .filter_map(Value::as_str)
                .map(|v| (v.to_string(), String::new()))
                .collect(),
        );
    }
    let variants = def.get("oneOf").and_then(Value::as_array)?;
    let mut out = Vec::new();
    for v in variants {
        let d = v
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if let Some(c) = v.get("const").and_then(Value::as_str) {
            out.push((c.to_string(), d));
        } else if let Some(values) = v.get("enum").and_then(Value::as_array) {
            for x in values.iter().filter_map(Value::as_str) {
                out.push((x.to_string(), d.clone()));
            }
        }
    }
    Some(out)
}

/// A property's type in words, with links to the types it is made of.
fn type_words(prop: &Value, defs: &Map<String, Value>) -> String {
    let link = |name: &str| -> String {
        if name == "Text" {
            "text".into()
        } else if let Some(values) = defs.get(name).and_then(enum_values) {
            let values: Vec<String> = values.iter().map(|(v, _)| format!("`{v}`")).collect();
            values.join(" \\| ")
        } else {
            format!("[{name}](#type-{})", name.to_lowercase())
        }
    };
    if let Some(r) = prop.get("$ref").and_then(Value::as_str) {
        return link(r.trim_start_matches("#/definitions/"));
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(options) = prop.get(key).and_then(Value::as_array) {
            let words: Vec<String> = options
                .iter()
                .filter(|o| o.get("type").and_then(Value::as_str) != Some("null"))
                .map(|o| type_words(o, defs))
                .collect();
            if !words.is_empty() {
                return words.join(" or ");
            }
        }
    }
    let types: Vec<&str> = match prop.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    };
    let mut words = Vec::new();
    for t in types {
        words.push(match t {
            "array" => {
                let item = prop
                    .get("items")
                    .map(|i| type_words(i, defs))
                    .unwrap_or_else(|| "any".into());
                match (
                    prop.get("minItems").and_then(Value::as_u64),
                    prop.get("maxItems").and_then(Value::as_u64),
                ) {
                    (Some(a), Some(b)) if a == b => format!("list of {a} × {item}"),
                    _ => format!("list of {item}"),
                }
            }
            "object" => match prop.get("additionalProperties") {
                Some(v @ Value::Object(_)) => format!("map of id → {}", type_words(v, defs)),
                _ => "mapping".into(),
            },
            "integer" => "whole number".into(),
            other => other.to_string(),
        });
    }
    if words.is_empty() {
        "any".into()
    } else {
        words.join(" or ")
    }
}

fn fields_table(out: &mut String, def: &Value, type_name: &str, defs: &Map<String, Value>) {
    let Some(props) = def.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = def
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str(
        "| key | type | required | 说明 | description |\n| --- | --- | --- | --- | --- |\n",
    );
    for (key, prop) in props {
        let description = prop
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // The description is "中文：English" when a label exists.
        let (zh, en) = match zh_label(type_name, key) {
            Some(zh) => (
                zh,
                description
                    .split_once('：')
                    .map(|(_, e)| e)
                    .unwrap_or(description),
            ),
            None => ("", description),
        };
        let mut en = one_line(en);
        if let Some(d) = prop.get("default")
            && (d.is_number() || d.is_string() || d.is_boolean())
        {
            en.push_str(&format!(" Default: `{d}`."));
        }
        out.push_str(&format!(
            "| `{key}` | {} | {} | {} | {} |\n",
            type_words(prop, defs),
            if required.contains(&key.as_str()) {
                "yes"
            } else {
                "no"
            },
            cell(zh),
            cell(&en)
        ));
    }
}

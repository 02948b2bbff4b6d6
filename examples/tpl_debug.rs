// TEMPORARY debugging aid for the chapter templates (prints the full minijinja error chain).
use cpaudit::render::template;
use std::collections::BTreeMap;
fn main() {
    let root = std::path::Path::new("sample-audit");
    let checked = cpaudit::check(root).unwrap_or_else(|_| panic!("check failed"));
    let results = checked.results.as_ref().expect("results");
    let mut ctx = cpaudit::compute::context(&checked.audit, results);
    ctx["evidence_root"] = "00".into();
    ctx["confidential"] =
        serde_json::to_value(&checked.audit.meta.confidential).unwrap_or_default();
    ctx["evidence"] =
        serde_json::json!([{"path": "evidence/x.txt", "title": null, "size": 12, "sha256": "ab"}]);
    let strings: template::Strings =
        cpaudit::load::yaml::parse(template::STRINGS, "strings.yaml").unwrap();
    for lang in [cpaudit::model::Lang::Zh, cpaudit::model::Lang::En] {
        let mut env = template::environment(lang, &strings, &BTreeMap::new()).unwrap();
        env.add_global("doc", "report");
        env.add_global("public", false);
        let t = env.get_template("report.typ").unwrap();
        match t.render(minijinja::value::Value::from(minijinja::value::Serde(&ctx))) {
            Ok(s) => println!("{:?}: ok, {} bytes", lang, s.len()),
            Err(e) => {
                println!("{:?}: {:#}", lang, e);
                let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
                while let Some(x) = src {
                    if let Some(me) = x.downcast_ref::<minijinja::Error>() {
                        println!("caused by: {:#}", me);
                    } else {
                        println!("caused by: {}", x);
                    }
                    src = x.source();
                }
            }
        }
    }
}

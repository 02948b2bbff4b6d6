use cpaudit::model::Lang;
use cpaudit::render::{DocKind, RenderInput, world::DocWorld};
use std::time::Instant;
use typst_layout::PagedDocument;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let c = cpaudit::check(&root).ok().unwrap();
    let results = c.results.as_ref().unwrap();
    let mut ctx = cpaudit::compute::context(&c.audit, results);
    ctx["evidence_root"] = "aaaaaaaaaaaaaaaaaaaa".into();
    ctx["evidence"] = serde_json::json!([]);
    ctx["confidential"] = serde_json::json!([]);
    let input = RenderInput {
        context: &ctx,
        public_context: &ctx,
        audit_id: "x",
        date: (2026, 10, 30),
        strings: Default::default(),
    };
    let mut src = cpaudit::render::source(&input, DocKind::Report, Lang::Zh).unwrap();
    if std::env::var_os("NOFIG").is_some() {
        src = src.replacen(
            "#let facts(caption, ..pairs) = figure(\n  kind: table,\n  caption: caption,",
            "#let facts(caption, ..pairs) = block(",
            1,
        );
        assert!(src.contains("#let facts(caption, ..pairs) = block("));
    }
    let today = typst::foundations::Datetime::from_ymd(2026, 10, 30).unwrap();
    let mut w = DocWorld::new(src.clone(), today);
    let t = Instant::now();
    let _ = typst::compile::<PagedDocument>(&w).output.unwrap();
    println!("first {:?}", t.elapsed());
    let lines: Vec<&str> = src.lines().collect();
    let needle = std::env::args().nth(2).unwrap();
    let idx: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.contains(&needle))
        .map(|(i, _)| i)
        .take(3)
        .collect();
    println!("occurrences at lines {:?}", idx);
    for &i in &idx {
        let mut ls: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        ls[i] = ls[i].replacen(&needle, "替换文字", 1);
        w.replace_source(&ls.join("\n"));
        let t = Instant::now();
        let _ = typst::compile::<PagedDocument>(&w).output.unwrap();
        println!(
            "line {i} changed: {:?}  {}",
            t.elapsed(),
            &lines[i].chars().take(80).collect::<String>()
        );
        w.replace_source(&src);
        let _ = typst::compile::<PagedDocument>(&w).output.unwrap();
    }
}

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
    let figures = cpaudit::render::figures::Figures::none();
    let input = RenderInput {
        context: &ctx,
        public_context: &ctx,
        audit_id: "x",
        date: (2026, 10, 30),
        strings: Default::default(),
        files: vec![],
        figures: &figures,
    };
    let src = cpaudit::render::source(&input, DocKind::Report, Lang::Zh).unwrap();
    // Move `#set document(...)` to the end.
    let start = src.find("#set document(").unwrap();
    let end = start + src[start..].find("\n)\n").unwrap() + 3;
    let doc_rule = src[start..end].to_string();
    let mut moved = format!("{}{}\n{}", &src[..start], &src[end..], doc_rule);
    // Drop the evidence root from the information page.
    moved = moved.replacen("raw(\"aaaaaaaaaaaaaaaaaaaa\")", "raw(\"\")", 1);
    let today = typst::foundations::Datetime::from_ymd(2026, 10, 30).unwrap();
    let mut w = DocWorld::new(moved.clone(), today);
    w.add_file("/attachments/results.json", b"{}".to_vec());
    w.add_file("/attachments/manifest-inputs.txt", b"x".to_vec());
    let r = typst::compile::<PagedDocument>(&w).output;
    println!(
        "moved compiles: {:?}",
        r.as_ref()
            .map(|d| d.pages().len())
            .map_err(|e| format!("{:?}", e.first().map(|x| x.message.clone())))
    );
    for (what, from, to) in [
        (
            "root at end",
            "aaaaaaaaaaaaaaaaaaaa",
            "bbbbbbbbbbbbbbbbbbbb",
        ),
        ("ch1 edit", "总经理办公会", "总经理会议"),
        ("ch7 edit", "每年评审一次", "每年评审两次"),
    ] {
        let edited = moved.replace(from, to);
        w.replace_source(&edited);
        let t = Instant::now();
        let ok = typst::compile::<PagedDocument>(&w).output.is_ok();
        println!("{what}: {:?} ok={ok}", t.elapsed());
        w.replace_source(&moved);
        let _ = typst::compile::<PagedDocument>(&w).output;
    }
}

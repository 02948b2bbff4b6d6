use cpaudit::render::{DocKind, RenderInput, session::RenderSession};
use cpaudit::model::Lang;
use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let c = cpaudit::check(&root).ok().unwrap();
    let results = c.results.as_ref().unwrap();
    let mut ctx = cpaudit::compute::context(&c.audit, results);
    ctx["evidence_root"] = "aaaa".into();
    ctx["evidence"] = serde_json::json!([]);
    ctx["confidential"] = serde_json::json!([]);
    let s = RenderSession::new();
    let run = |ctx: &serde_json::Value, what: &str| {
        let input = RenderInput { context: ctx, public_context: ctx, audit_id: "x", date: (2026,10,30), strings: Default::default() };
        let t = Instant::now();
        let src = cpaudit::render::source(&input, DocKind::Report, Lang::Zh).unwrap();
        let t_src = t.elapsed();
        let r = s.render(&input, DocKind::Report, Lang::Zh);
        s.evict();
        println!("{what}: source {:?} total {:?} ok={} len={}", t_src, t.elapsed(), r.is_ok(), src.len());
    };
    run(&ctx, "first");
    run(&ctx, "same");
    let text = serde_json::to_string(&ctx).unwrap();
    let edited: serde_json::Value = serde_json::from_str(&text.replacen("每年评审一次", "每年评审两次", 1)).unwrap();
    run(&edited, "narrative edit");
    let mut e2 = edited.clone(); e2["evidence_root"] = "bbbb".into();
    run(&e2, "evidence root");
}

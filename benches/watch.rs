//! `cpaudit watch` benchmark: the time from a one-line narrative edit on the sample to
//! the rewritten `report.zh.pdf`, through the real watcher (file event, debounce,
//! rebuild in the kept Typst worlds, write).
//!
//! Run it with `cargo bench --bench watch` (the bench profile builds Typst in release
//! mode, which takes long the first time) or, in the dev profile the project uses, with
//! `cargo test --bench watch` (dependencies are optimised there too). It prints a
//! Markdown table for docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

const ROUNDS: usize = 5;

fn copy_sample(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-audit");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(&from).unwrap();
        if rel.starts_with("build") {
            continue;
        }
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

fn stamp(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Waits until `path` is rewritten after `before`; the time it took, or `None`.
fn wait_for(path: &Path, before: Option<SystemTime>, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        let now = stamp(path);
        if now.is_some() && now != before {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

/// Edits one line of a narrative: appends a round number to a sentence.
fn edit(file: &Path, anchor: &str, round: usize) {
    let text = std::fs::read_to_string(file).unwrap();
    let at = text
        .find(anchor)
        .unwrap_or_else(|| panic!("{anchor} not in {}", file.display()));
    let mut new = text.clone();
    new.insert_str(at + anchor.len(), &format!("（{round}）"));
    std::fs::write(file, new).unwrap();
}

struct Series {
    what: &'static str,
    times: Vec<Duration>,
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::temp_dir().join(format!("cpaudit-watch-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let root: PathBuf = dir.join("audit");
    copy_sample(&root);
    let out = root.join("build");
    let pdf = out.join("report.zh.pdf");
    let all = out.join("pack/bag-info.txt");

    // A one-shot build for comparison (fresh worlds, caches emptied).
    let start = Instant::now();
    let opts = cpaudit::BuildOptions {
        root: root.clone(),
        out: dir.join("oneshot"),
        emit_typst: None,
    };
    match cpaudit::build(&opts) {
        Ok(_) => {}
        Err(cpaudit::BuildError::Audit(d, _)) => {
            panic!("the sample does not build:\n{}", d.render_json("build"))
        }
        Err(e) => panic!("the sample does not build: {}", cpaudit::error::chain(&e)),
    }
    let oneshot = start.elapsed();

    let stop = AtomicBool::new(false);
    let mut series = vec![
        Series {
            what: "edit in 07-continuous.yaml (last chapter) → report.zh.pdf rewritten",
            times: Vec::new(),
        },
        Series {
            what: "edit in 01-preparation.yaml (first chapter) → report.zh.pdf rewritten",
            times: Vec::new(),
        },
        Series {
            what: "same edit → every document and the pack rewritten",
            times: Vec::new(),
        },
    ];
    std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut sink = std::io::sink();
            cpaudit::watch::watch_until(&root, &out, &mut sink, false, &stop)
        });
        // The first build of the watch.
        let first = wait_for(&all, None, Duration::from_secs(300)).expect("no first build");
        eprintln!("first build in the watch: {first:?}");
        std::thread::sleep(Duration::from_millis(500));
        for round in 0..ROUNDS {
            for (i, (file, anchor)) in [
                (
                    "narratives/07-continuous.yaml",
                    "由清洁生产办公室每年评审一次",
                ),
                ("narratives/01-preparation.yaml", "专题研究清洁生产审核工作"),
            ]
            .iter()
            .enumerate()
            {
                let before = stamp(&pdf);
                let before_all = stamp(&all);
                edit(&root.join(file), anchor, round);
                let t =
                    wait_for(&pdf, before, Duration::from_secs(120)).expect("PDF not rewritten");
                series[i].times.push(t);
                let rest = Instant::now();
                wait_for(&all, before_all, Duration::from_secs(120)).expect("pack not rewritten");
                if i == 0 {
                    series[2].times.push(t + rest.elapsed());
                }
                eprintln!(
                    "round {round}, {file}: PDF after {t:?}, all after {:?}",
                    t + rest.elapsed()
                );
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        stop.store(true, Ordering::Relaxed);
        watcher.join().unwrap().unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);

    println!("| measurement | median | min | max |");
    println!("| --- | ---: | ---: | ---: |");
    for s in &series {
        let min = s.times.iter().min().unwrap();
        let max = s.times.iter().max().unwrap();
        println!(
            "| {} | {:.3} s | {:.3} s | {:.3} s |",
            s.what,
            median(&s.times).as_secs_f64(),
            min.as_secs_f64(),
            max.as_secs_f64()
        );
    }
    println!(
        "| one-shot `build` of the sample (for comparison) | {:.3} s | | |",
        oneshot.as_secs_f64()
    );
}

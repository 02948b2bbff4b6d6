//! `cpaudit watch` on a scaffold made by `init`: it builds at the start, rebuilds after
//! an edit of a narrative, reports a broken file without stopping or touching the last
//! good output, and rebuilds again once the file is fixed. Changes under build/ do not
//! trigger a build.

use crate::common::*;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Waits until the log mentions `needle` `n` times.
    fn wait_for(&self, needle: &str, n: usize, limit: Duration) {
        let start = Instant::now();
        while self.text().matches(needle).count() < n {
            assert!(
                start.elapsed() < limit,
                "no {n}× `{needle}` after {limit:?}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn modified(p: &Path) -> SystemTime {
    std::fs::metadata(p).unwrap().modified().unwrap()
}

#[test]
fn watch_rebuilds_on_edits_and_survives_errors() {
    let root = scratch("watch").join("audit");
    cpaudit::init::init(&root, cpaudit::init::Industry::Dyeing, (2026, 3, 1)).unwrap();
    let out = root.join("build");
    let log = Log::default();
    let stop = AtomicBool::new(false);
    let limit = Duration::from_secs(240);
    /// Stops the watcher when the test ends, also by a failed assertion (else the scope
    /// would wait for the watcher for ever).
    struct StopOnDrop<'a>(&'a AtomicBool);
    impl Drop for StopOnDrop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    std::thread::scope(|scope| {
        let _stop = StopOnDrop(&stop);
        let mut sink = log.clone();
        let (root_ref, out_ref, stop_ref) = (&root, &out, &stop);
        let watcher = scope.spawn(move || {
            cpaudit::watch::watch_until(root_ref, out_ref, &mut sink, false, stop_ref)
        });
        log.wait_for("built ", 1, limit);
        let pdf = out.join("report.zh.pdf");
        let first = modified(&pdf);
        std::thread::sleep(Duration::from_millis(200));

        // A narrative edit rebuilds.
        let prep = root.join("narratives/01-preparation.yaml");
        edit(&prep, "（待填写）企业领导如何决定", "公司领导决定");
        log.wait_for("built ", 2, limit);
        assert!(
            log.text()
                .contains("changed: narratives/01-preparation.yaml")
        );
        let second = modified(&pdf);
        assert!(second > first, "report.zh.pdf was not rewritten");
        // The first build listed every warning; the rebuild lists only what changed:
        // the placeholder warning of the file edited (its lines changed), and the count.
        let text = log.text();
        let at = text.find("\nchanged: ").unwrap();
        let (first_report, rebuild_report) = (&text[..at], &text[at..]);
        assert!(
            rebuild_report.contains("resolved: [check::placeholder]"),
            "{rebuild_report}"
        );
        assert!(
            rebuild_report.contains(" new, 1 resolved\n"),
            "{rebuild_report}"
        );
        assert!(
            rebuild_report.lines().count() * 4 < first_report.lines().count(),
            "the rebuild printed {} lines, the first build {}:\n{rebuild_report}",
            rebuild_report.lines().count(),
            first_report.lines().count()
        );

        // A broken file: the diagnostics are printed, the output stays, watch goes on.
        edit(&prep, "leadership:", "leadersihp:");
        log.wait_for("build failed", 1, limit);
        assert!(
            log.text().contains("did you mean `leadership`?"),
            "{}",
            log.text()
        );
        assert_eq!(modified(&pdf), second, "a failed build touched the output");

        // Fixed: it builds again.
        edit(&prep, "leadersihp:", "leadership:");
        log.wait_for("built ", 3, limit);

        // Writing under build/ (as a build does) triggers nothing.
        std::fs::write(out.join("notes.txt"), "x").unwrap();
        std::thread::sleep(Duration::from_millis(800));
        assert_eq!(log.text().matches("built ").count(), 3, "{}", log.text());

        stop.store(true, Ordering::Relaxed);
        watcher.join().unwrap().unwrap();
    });
    let _ = std::fs::remove_dir_all(root.parent().unwrap());
}

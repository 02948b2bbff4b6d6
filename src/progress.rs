//! Progress of a build, for people at a terminal: the build reports its steps through a
//! callback ([`BuildStep`]); [`TerminalProgress`] shows them with indicatif on standard
//! error, and only when standard error is a terminal and the build has taken long enough
//! to be worth watching. In CI logs, pipes and editors nothing is drawn.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A step of a build.
#[derive(Debug, Clone, Copy)]
pub enum BuildStep<'a> {
    /// The audit was loaded, checked and computed.
    Checked,
    /// The inputs and evidence were hashed.
    Hashed,
    /// A document was typeset (`done` of `total`).
    Typeset {
        /// The document's file name.
        file: &'a str,
        /// Its PDF; `None` when it failed.
        pdf: Option<&'a [u8]>,
        /// Documents typeset so far.
        done: usize,
        /// Documents in all.
        total: usize,
    },
    /// The output and the pack were written.
    Written,
}

/// A progress bar on standard error that appears once a build has run for `delay`, if
/// standard error is a terminal.
pub struct TerminalProgress {
    bar: ProgressBar,
    start: Instant,
    delay: Duration,
    terminal: bool,
}

impl TerminalProgress {
    /// A bar that stays hidden for builds shorter than `delay`.
    pub fn new(delay: Duration) -> Self {
        let bar = ProgressBar::hidden();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix:>10} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        TerminalProgress {
            bar,
            start: Instant::now(),
            delay,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// A bar that never shows (for JSON output).
    pub fn disabled() -> Self {
        TerminalProgress {
            terminal: false,
            ..TerminalProgress::new(Duration::ZERO)
        }
    }

    /// Shows a step.
    pub fn step(&self, step: BuildStep) {
        if self.terminal && self.bar.is_hidden() && self.start.elapsed() >= self.delay {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
        match step {
            BuildStep::Checked => {
                self.bar.set_prefix("checked");
                self.bar.set_message("hashing the evidence");
            }
            BuildStep::Hashed => {
                self.bar.set_prefix("hashed");
                self.bar.set_message("typesetting");
            }
            BuildStep::Typeset {
                file, done, total, ..
            } => {
                self.bar.set_prefix("typeset");
                self.bar.set_length(total as u64);
                self.bar.set_position(done as u64);
                self.bar.set_message(file.to_string());
            }
            BuildStep::Written => {
                self.bar.set_prefix("written");
                self.bar.set_message("");
            }
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

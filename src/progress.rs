//! A progress line for builds that take a while: on a terminal, a build still running after
//! half a second shows which stage it is in, and the line is cleared when it ends.
//!
//! Off unless a command turns it on ([`enable`]: `build` and `check` without `--quiet`), and
//! never drawn when stderr is not a terminal, so logs and tests see nothing of it.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The stages a full build goes through, in order (the names its stage timer laps with).
const STAGES: [&str; 7] = ["config", "discover", "front matter", "markdown", "links", "templates", "render"];

/// A build that ends sooner shows nothing: a line that flashes by only distracts.
/// `SIGNPOST_PROGRESS_DELAY_MS` sets another delay (0 shows the line at once, as tests do).
const DELAY: Duration = Duration::from_millis(500);

fn delay() -> Duration {
    std::env::var("SIGNPOST_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Show progress for the builds of this process (when stderr is a terminal).
pub fn enable(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// The progress line of one build; cleared when dropped.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A hidden line that shows itself after [`DELAY`] if the build is still running.
    pub(crate) fn start() -> Progress {
        if !ENABLED.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(STAGES.len() as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{spinner} Building: {msg} [{pos}/{len}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(STAGES[0]);
        let delay = delay();
        if delay.is_zero() {
            show(&bar);
        } else {
            let shown = bar.clone();
            // Should the thread not start, the line simply never shows.
            let _ = std::thread::Builder::new().name("signpost-progress".into()).spawn(move || {
                std::thread::sleep(delay);
                if !shown.is_finished() {
                    show(&shown);
                }
            });
        }
        Progress { bar: Some(bar) }
    }

    /// `stage` has ended: show the next one.
    pub(crate) fn done(&self, stage: &str) {
        let Some(bar) = &self.bar else { return };
        if let Some(i) = STAGES.iter().position(|s| *s == stage) {
            bar.set_position(i as u64 + 1);
            bar.set_message(STAGES.get(i + 1).copied().unwrap_or("writing"));
        }
    }
}

fn show(bar: &ProgressBar) {
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.tick();
    bar.enable_steady_tick(Duration::from_millis(120));
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_done_moves_the_line_to_the_next() {
        let progress =
            Progress { bar: Some(ProgressBar::with_draw_target(Some(7), ProgressDrawTarget::hidden())) };
        let bar = progress.bar.clone().unwrap();
        progress.done("discover");
        assert_eq!((bar.position(), bar.message()), (2, "front matter".into()));
        progress.done("render");
        assert_eq!((bar.position(), bar.message()), (7, "writing".into()));
        progress.done("quick: page");
        assert_eq!(bar.position(), 7, "stages of other runs are ignored");
        drop(progress);
        assert!(bar.is_finished(), "the line is cleared at the end");
    }

    #[test]
    fn off_unless_enabled() {
        enable(false);
        assert!(Progress::start().bar.is_none());
    }
}

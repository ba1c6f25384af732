//! Stage timings for profiling: with `SIGNPOST_TIMINGS` set, each stage of a build prints its
//! wall and CPU time and the peak memory so far.

use std::time::{Duration, Instant};

/// Prints how long each stage took when `SIGNPOST_TIMINGS` is set (for profiling).
pub(crate) struct StageTimer {
    /// When the last stage ended, and the process's CPU time then (`None`: timing is off).
    last: Option<(Instant, Duration)>,
    /// The progress line on a terminal, which moves on at each lap.
    progress: crate::progress::Progress,
}

impl StageTimer {
    pub(crate) fn from_env() -> Self {
        StageTimer {
            last: std::env::var_os("SIGNPOST_TIMINGS").map(|_| (Instant::now(), cpu_time())),
            progress: crate::progress::Progress::start(),
        }
    }

    pub(crate) fn note(&self, what: &str) {
        if self.last.is_some() {
            eprintln!("timing: ({what})");
        }
    }

    /// Print the wall and CPU time since the last lap, and the peak memory so far. CPU time
    /// beside wall time shows how well a stage keeps the cores busy.
    pub(crate) fn lap(&mut self, stage: &str) {
        self.progress.done(stage);
        if let Some((wall, cpu)) = self.last {
            let now = cpu_time();
            eprintln!(
                "timing: {stage:<13} {:>7.1} ms  cpu {:>7.1} ms{}",
                wall.elapsed().as_secs_f64() * 1000.0,
                now.saturating_sub(cpu).as_secs_f64() * 1000.0,
                peak_memory().map(|kb| format!("  (peak {} MiB)", kb / 1024)).unwrap_or_default()
            );
            self.last = Some((Instant::now(), now));
        }
    }
}

/// The CPU time (user and system) the whole process has used so far, where the system tells
/// it (Linux); zero elsewhere.
#[cfg(target_os = "linux")]
fn cpu_time() -> Duration {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes only into the timespec it is given.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Duration {
    Duration::ZERO
}

/// The process's peak resident memory in KiB, where the system tells it (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

//! The time budget of one render: a template looping 10¹⁰ times once ran until it was
//! killed. Tera 2 has no step limit and no hook inside its loops, so the budget is enforced
//! at three places, from the cheapest to the last resort:
//!
//! - the output writer fails once the render is past its deadline (a loop that writes);
//! - `range()`, which Signpost registers in place of Tera's own, fails past the deadline (a
//!   loop within a loop over `range`, which calls it once per outer step, writing or not);
//! - for `build` and `check`, a watchdog thread reports a render still running well past its
//!   deadline (a loop over a list made once, writing nothing) with its located error and
//!   ends the process with exit code 1: a render cannot be stopped from outside, and the
//!   output folder is untouched until the commit, which such a build never reaches.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tera::{Kwargs, State};

use crate::diagnostics::{Diagnostic, Diagnostics, Format};

/// How long a template may take to render one output.
pub const RENDER_BUDGET: Duration = Duration::from_secs(10);

/// How long past its budget the watchdog lets a render run before it ends the process: the
/// writer and `range()` stop most renders at the budget itself.
const WATCHDOG_GRACE: Duration = Duration::from_secs(2);

/// As many items as Tera's own `range()` makes at most.
const MAX_RANGE_LEN: i64 = 100_000;

thread_local! {
    /// The deadline of the render running on this thread, and whether it was passed.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the watchdog is on (see [`watch_renders`]).
static WATCHING: AtomicBool = AtomicBool::new(false);
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
/// Renders in progress while the watchdog is on: id → (deadline, the error to report).
static IN_FLIGHT: Mutex<BTreeMap<u64, (Instant, Diagnostic)>> = Mutex::new(BTreeMap::new());

/// Turn the watchdog on for the rest of the process (`build` and `check`, which end when
/// the site is built; `serve` and `watch` stay up and rely on the writer and `range()`).
pub fn watch_renders() {
    if WATCHING.swap(true, Ordering::SeqCst) {
        return;
    }
    let spawned = std::thread::Builder::new().name("render-watchdog".into()).spawn(|| {
        loop {
            std::thread::sleep(Duration::from_millis(200));
            let now = Instant::now();
            let overdue = IN_FLIGHT.lock().ok().and_then(|renders| {
                renders
                    .values()
                    .find(|(deadline, _)| now > *deadline + WATCHDOG_GRACE)
                    .map(|(_, d)| d.clone())
            });
            if let Some(diagnostic) = overdue {
                let mut all = Diagnostics::new();
                all.push(diagnostic);
                let _ = crate::diagnostics::report(
                    &all,
                    &mut std::io::stderr().lock(),
                    Format::Human,
                    false,
                    &|_| None,
                );
                std::process::exit(1);
            }
        }
    });
    // Without the thread the writer and `range()` still hold most renders to the budget.
    if spawned.is_err() {
        WATCHING.store(false, Ordering::SeqCst);
    }
}

/// One render under its budget, from [`Render::start`] to its drop.
pub(super) struct Render {
    id: Option<u64>,
    outer: Option<Instant>,
}

impl Render {
    /// Start the budget of a render on this thread; `error` makes the diagnostic the watchdog
    /// would report. A render within a render keeps the outer one's deadline.
    pub(super) fn start(error: impl FnOnce() -> Diagnostic) -> Render {
        let outer = DEADLINE.with(Cell::get);
        let deadline = outer.unwrap_or_else(|| {
            EXCEEDED.with(|e| e.set(false));
            Instant::now() + RENDER_BUDGET
        });
        DEADLINE.with(|d| d.set(Some(deadline)));
        let id = WATCHING.load(Ordering::Relaxed).then(|| {
            let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut renders) = IN_FLIGHT.lock() {
                renders.insert(id, (deadline, error()));
            }
            id
        });
        Render { id, outer }
    }

    /// Whether this render (or one within it) ran past the deadline.
    pub(super) fn exceeded(&self) -> bool {
        EXCEEDED.with(Cell::get)
    }
}

impl Drop for Render {
    fn drop(&mut self) {
        DEADLINE.with(|d| d.set(self.outer));
        if let Some(id) = self.id
            && let Ok(mut renders) = IN_FLIGHT.lock()
        {
            renders.remove(&id);
        }
    }
}

/// Whether the render on this thread is past its deadline (noted for [`Render::exceeded`]).
fn past_deadline() -> bool {
    let past = DEADLINE.with(Cell::get).is_some_and(|deadline| Instant::now() > deadline);
    if past {
        EXCEEDED.with(|e| e.set(true));
    }
    past
}

/// A writer that fails once the render has run past its deadline.
pub(super) struct Budgeted<W> {
    pub(super) inner: W,
    writes: u32,
}

impl<W> Budgeted<W> {
    pub(super) fn new(inner: W) -> Self {
        Budgeted { inner, writes: 0 }
    }
}

impl<W> Budgeted<W> {
    /// An error once the render is past its deadline. The clock is read every 256 writes
    /// only: templates write in many small pieces.
    fn check(&mut self) -> std::io::Result<()> {
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(256) && past_deadline() {
            return Err(std::io::Error::other("the template ran past its time budget"));
        }
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for Budgeted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.check()?;
        self.inner.write(buf)
    }

    /// Tera writes each piece with `write_all`: passed on whole, a piece going into a vector
    /// is one copy rather than a loop of `write` calls.
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.check()?;
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `range(end=N)`, `range(start=A, end=N, step_by=S)`: Tera's `range()`, which also stops a
/// render past its deadline.
pub(super) fn range(kwargs: Kwargs, _: &State) -> tera::TeraResult<Vec<i64>> {
    if past_deadline() {
        return Err(tera::Error::message("the template ran past its time budget"));
    }
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("Function `range` was called with a `step_by` argument of 0"));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    // Counted in i128, where no i64 bounds overflow.
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    let len = match step {
        s if s > 0 => (end - start + s - 1) / s,
        s if start > end => (start - end - s - 1) / -s,
        _ => 0,
    };
    if len > i128::from(MAX_RANGE_LEN) {
        return Err(tera::Error::message(format!(
            "Function `range` would produce {len} elements, which exceeds the limit of {MAX_RANGE_LEN}"
        )));
    }
    // Every item lies between `start` and `end`, both i64.
    Ok((0..len).filter_map(|i| i64::try_from(start + i * step).ok()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera_range(template: &str) -> String {
        let mut tera = tera::Tera::new();
        tera.register_function("range", range);
        tera.add_raw_template("t", template).unwrap();
        tera.render("t", &tera::Context::new()).unwrap_or_else(|e| format!("error: {e:?}"))
    }

    #[test]
    fn range_counts_like_teras_own() {
        assert_eq!(tera_range("{{ range(end=3) }}"), "[0, 1, 2]");
        assert_eq!(tera_range("{{ range(start=1, end=7, step_by=3) }}"), "[1, 4]");
        assert_eq!(tera_range("{{ range(start=5, end=1, step_by=-2) }}"), "[5, 3]");
        assert_eq!(tera_range("{{ range(start=1, end=5, step_by=-1) }}"), "[]");
        assert!(tera_range("{{ range(end=100001) }}").contains("exceeds the limit"));
        assert!(tera_range("{{ range(start=3, end=1) }}").contains("greater than"));
    }

    #[test]
    fn writes_fail_past_the_deadline() {
        use std::io::Write as _;
        let mut out = Budgeted::new(Vec::new());
        DEADLINE.with(|d| d.set(Some(Instant::now() - Duration::from_secs(1))));
        let results: Vec<bool> = (0..256).map(|_| out.write_all(b"x").is_ok()).collect();
        DEADLINE.with(|d| d.set(None));
        // The clock is read on the 256th write, which fails; the earlier ones went through.
        assert_eq!(results.iter().filter(|ok| **ok).count(), 255);
        assert!(!results[255]);
        assert_eq!(out.inner.len(), 255);
    }

    #[test]
    fn range_fails_past_the_deadline() {
        DEADLINE.with(|d| d.set(Some(Instant::now() - Duration::from_secs(1))));
        let out = tera_range("{{ range(end=3) }}");
        DEADLINE.with(|d| d.set(None));
        assert!(out.contains("time budget"), "{out}");
    }
}

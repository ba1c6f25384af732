//! `signpost watch`: build, then rebuild into the output folder on every source change.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::build::{BuildOptions, BuildReport};
use crate::diagnostics::Format;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::watch::{SeenWarnings, Watcher};

use super::{Outcome, SiteArgs, print_diagnostics, report_error};

/// Arguments of `signpost watch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site, its base URL and the pages it includes.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: ROOT/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Scan for changes every 500 ms instead of using file-system events
    /// (for network drives and containers).
    #[arg(long)]
    pub poll: bool,
    /// Fail at once if another build is writing the output folder (default: wait for it).
    #[arg(long)]
    pub no_wait: bool,
}

/// Run `signpost watch` until Ctrl-C.
pub fn run(args: Args) -> Result<Outcome> {
    let options = BuildOptions { output: args.output, no_wait: args.no_wait, ..args.site.build_options() };
    let root = options.root.clone();
    let output_dir = options.output_dir();
    let mut watcher = Watcher::new(&root, std::slice::from_ref(&output_dir), args.poll)?;
    let mut seen = SeenWarnings::default();
    let mut session = Session::default();
    match session.build(&options, None) {
        Ok(report) => print_report("Built the site", &report, &options, &mut seen),
        Err(err @ Error::Content(_)) => failed(err, &options),
        Err(fatal) => return Err(fatal),
    }
    let stop = stop_on_ctrl_c();
    println!("Watching {} for changes; press Ctrl-C to stop.", watcher.root().display());
    while let Some(batch) = watcher.next_batch(&stop) {
        // Rendering streams into a staging area that replaces the output only on success.
        match session.build(&options, batch.paths().as_deref()) {
            Ok(report) => print_report(&batch.describe(), &report, &options, &mut seen),
            Err(err) => failed(err, &options),
        }
    }
    crate::output::remove_staging(&output_dir);
    println!("Stopped watching.");
    Ok(Outcome::Success)
}

/// One line per rebuild, after the warnings that the previous build did not have.
fn print_report(what: &str, report: &BuildReport, options: &BuildOptions, seen: &mut SeenWarnings) {
    print_diagnostics(&seen.fresh(&report.diagnostics), Format::Human, &options.root);
    let w = report.written;
    let warnings = match report.diagnostics.warning_count() {
        0 => String::new(),
        n => format!(", {n} warnings"),
    };
    let scope = match (report.quick, report.content_reused) {
        (true, _) => "rebuilt the page alone",
        (false, true) => "rendered again with the new templates",
        (false, false) => "rebuilt",
    };
    println!(
        "{what}: {scope} in {} ms ({} files written, {} unchanged, {} removed{warnings})",
        report.elapsed.as_millis(),
        w.written,
        w.unchanged,
        w.removed
    );
}

fn failed(err: Error, options: &BuildOptions) {
    report_error(err, Format::Human, Some(&options.root));
    eprintln!("The previous output was left as it was; waiting for the next change.");
}

/// A flag set by the first Ctrl-C (the current rebuild finishes); a second one exits at once.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let spawned = std::thread::Builder::new().name("signpost-ctrl-c".into()).spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
        runtime.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
                if tokio::signal::ctrl_c().await.is_ok() {
                    std::process::exit(130);
                }
            }
        });
    });
    if spawned.is_err() {
        eprintln!("warning: could not listen for Ctrl-C");
    }
    stop
}

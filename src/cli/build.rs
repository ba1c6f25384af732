//! `signpost build`.

use std::path::PathBuf;

use crate::build::{self, BuildOptions};
use crate::diagnostics::{Format, plural};
use crate::error::Result;
use crate::summary::{self, Totals};

use super::{Outcome, SiteArgs, print_diagnostics, report_error};

/// Arguments of `signpost build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site, its base URL and the pages it includes.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: ROOT/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Write into an output folder that signpost did not create.
    #[arg(long)]
    pub force: bool,
    /// Treat overdue reviews (`review_by` in the past) as errors.
    #[arg(long)]
    pub strict: bool,
    /// Make every internal URL relative, so the output works opened from disk (file://).
    #[arg(long)]
    pub relative_urls: bool,
    /// Fail at once if another build is writing the output folder (default: wait for it).
    #[arg(long)]
    pub no_wait: bool,
    /// No progress line (shown on a terminal when a build takes over half a second) and no
    /// summary table: the one-line summary only.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run `signpost build`.
pub fn run(args: Args) -> Result<Outcome> {
    crate::progress::enable(!args.quiet);
    // A one-shot command: a render that cannot be stopped ends the process (exit code 1).
    crate::templates::watch_renders();
    let options = BuildOptions {
        output: args.output,
        force: args.force,
        no_wait: args.no_wait,
        strict: args.strict,
        relative_urls: args.relative_urls,
        exits_after: true,
        ..args.site.build_options()
    };
    let root = options.root.clone();
    match build::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, Format::Human, &root);
            let w = report.written;
            // The time is on the table's last line, or on this one when there is no table.
            let time =
                if args.quiet { format!(" in {} ms", report.elapsed.as_millis()) } else { String::new() };
            println!(
                "Built {}{}, {} and {}{time} ({} written, {} unchanged, {} removed)",
                plural(report.pages, "page"),
                report.left_out.describe(),
                plural(report.sections, "section"),
                plural(report.static_files, "static file"),
                plural(w.written, "file"),
                w.unchanged,
                w.removed
            );
            if !args.quiet {
                let totals = Totals {
                    static_files: report.static_files,
                    warnings: report.diagnostics.warning_count(),
                    millis: report.elapsed.as_millis(),
                };
                print!("\n{}", summary::table(&report.languages, totals));
            }
            Ok(Outcome::Success)
        }
        Err(err) => {
            let outcome = report_error(err, Format::Human, Some(&root));
            if outcome == Outcome::ContentErrors {
                eprintln!("The previous output was left as it was.");
            }
            Ok(outcome)
        }
    }
}

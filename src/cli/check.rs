//! `signpost check`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use crate::build::{self, BuildOptions};
use crate::diagnostics::{self, Diagnostics, Format, plural};
use crate::error::Result;
use crate::external::{self, ExternalOptions, ExternalReport};
use crate::links::ExternalLink;

use super::{Outcome, SiteArgs, print_diagnostics, report_error, use_color};

/// Output format of `check`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// rustc-style messages on stderr.
    Human,
    /// One JSON object per line on stdout.
    Json,
}

/// Arguments of `signpost check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site, its base URL and the pages it includes.
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// No progress line (shown on a terminal when a check takes over half a second).
    #[arg(long, short)]
    pub quiet: bool,
    /// List pages whose review falls due within this many days.
    #[arg(long, default_value_t = 30)]
    pub review_window: u32,
    /// Treat overdue reviews as errors.
    #[arg(long)]
    pub strict: bool,
    /// Also check external (http/https) links on the web; results are cached for a day.
    #[arg(long)]
    pub external: bool,
    /// Time limit of one external request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// Most external requests in flight at once (at most 2 per host).
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
}

/// What `check` runs the pipeline with. It never builds the search index: it writes nothing,
/// and on a large site the index would cost more than the rest of the check.
fn check_options(args: &Args) -> BuildOptions {
    BuildOptions {
        strict: args.strict,
        review_window_days: Some(args.review_window),
        external_links: args.external,
        skip_search_index: true,
        ..args.site.build_options()
    }
}

/// Run `signpost check`.
pub fn run(args: Args) -> Result<Outcome> {
    crate::progress::enable(!args.quiet && matches!(args.format, FormatArg::Human));
    // A one-shot command: a render that cannot be stopped ends the process (exit code 1).
    crate::templates::watch_renders();
    let root = args.site.root();
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
    };
    let options = check_options(&args);
    match build::render_site(&options) {
        Ok(rendering) => {
            print_diagnostics(&rendering.report.diagnostics, format, &root);
            if matches!(format, Format::Human) {
                let r = &rendering.report;
                print_due_reviews(&r.due_reviews, args.review_window);
                println!(
                    "Checked {}{} and {}: no errors ({})",
                    plural(r.pages, "page"),
                    r.left_out.describe(),
                    plural(r.sections, "section"),
                    plural(r.diagnostics.warning_count(), "warning")
                );
            }
            if args.external {
                let options = external_options(args.timeout, args.concurrency);
                return Ok(check_external(&rendering.external_links, &options, format, &root));
            }
            Ok(Outcome::Success)
        }
        Err(err) => Ok(report_error(err, format, Some(&root))),
    }
}

/// List reviews falling due soon (not diagnostics: nothing is wrong yet).
fn print_due_reviews(due: &[crate::guidance::lifecycle::DueReview], window: u32) {
    if due.is_empty() {
        return;
    }
    println!("Reviews due within {window} days:");
    for review in due {
        let owner = review.owner.as_deref().map(|o| format!(" (owner: {o})")).unwrap_or_default();
        println!("  {}  content/{}{owner}", review.review_by.format("%Y-%m-%d"), review.path);
    }
}

/// The external-link settings chosen on the command line.
fn external_options(timeout_secs: u64, concurrency: u64) -> ExternalOptions {
    ExternalOptions {
        concurrency: usize::try_from(concurrency).unwrap_or(usize::MAX),
        timeout: Duration::from_secs(timeout_secs),
        progress: std::io::stderr().is_terminal(),
        ..ExternalOptions::default()
    }
}

/// `--external`: check the links on the web, print what failed and a summary by page.
fn check_external(links: &[ExternalLink], options: &ExternalOptions, format: Format, root: &Path) -> Outcome {
    let report = external::check_links(links, options);
    print_external(&report, format, root);
    if report.has_errors() { Outcome::ContentErrors } else { Outcome::Success }
}

/// Print the external check's diagnostics (without the build summary line), then its summary.
fn print_external(report: &ExternalReport, format: Format, root: &Path) {
    match format {
        Format::Json => print_diagnostics(&report.diagnostics, format, root),
        Format::Human => {
            eprint!("{}", render_human_all(&report.diagnostics, root));
            for line in report.summary_lines() {
                println!("{line}");
            }
        }
    }
}

/// Each diagnostic rendered like rustc, with its source line read from under `root`.
fn render_human_all(diags: &Diagnostics, root: &Path) -> String {
    let color = use_color();
    let mut out = String::new();
    for d in diags {
        let source = d.location.as_ref().and_then(|l| std::fs::read_to_string(root.join(&l.file)).ok());
        out.push_str(&diagnostics::render_human(d, source.as_deref(), color));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(clap::Parser)]
    struct Check {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn check_never_builds_the_search_index() {
        for line in [&["check"][..], &["check", "--strict", "--format", "json"], &["check", "--external"]] {
            let Check { args } = Check::try_parse_from(line).unwrap();
            let options = check_options(&args);
            assert!(options.skip_search_index, "{line:?}");
        }
    }
}

//! `signpost build`.

use std::path::PathBuf;

use crate::build::{self, BuildOptions};
use crate::content::Inclusion;
use crate::diagnostics::Format;
use crate::error::Result;

use super::{Outcome, print_diagnostics, report_error, root_or_current};

/// Arguments of `signpost build`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site root (holds site.yaml and content/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Where to write the site (default: ROOT/public).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Override base_url from site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include draft pages.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages whose publish_at is in the future.
    #[arg(long)]
    pub future: bool,
    /// Include pages whose expire_at has passed.
    #[arg(long)]
    pub expired: bool,
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
}

/// Run `signpost build`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = root_or_current(args.root);
    let options = BuildOptions {
        root: root.clone(),
        output: args.output,
        base_url: args.base_url,
        include: Inclusion { drafts: args.drafts, future: args.future, expired: args.expired },
        force: args.force,
        no_wait: args.no_wait,
        strict: args.strict,
        review_window_days: None,
        relative_urls: args.relative_urls,
        external_links: false,
    };
    match build::build(&options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, Format::Human, &root);
            let w = report.written;
            println!(
                "Built {} pages, {} sections and {} static files in {} ms ({} files written, {} unchanged, {} removed)",
                report.pages,
                report.sections,
                report.static_files,
                report.elapsed.as_millis(),
                w.written,
                w.unchanged,
                w.removed
            );
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

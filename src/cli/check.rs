//! `signpost check`.

use std::path::PathBuf;

use crate::build::{self, BuildOptions};
use crate::content::Inclusion;
use crate::diagnostics::Format;
use crate::error::Result;

use super::{Outcome, print_diagnostics, report_error, root_or_current};

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
    /// The site root (holds site.yaml and content/).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Check with draft pages included.
    #[arg(long)]
    pub drafts: bool,
    /// List pages whose review falls due within this many days.
    #[arg(long, default_value_t = 30)]
    pub review_window: u32,
    /// Treat overdue reviews as errors.
    #[arg(long)]
    pub strict: bool,
}

/// Run `signpost check`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = root_or_current(args.root);
    let format = match args.format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
    };
    let options = BuildOptions {
        root: root.clone(),
        include: Inclusion { drafts: args.drafts, ..Inclusion::default() },
        ..BuildOptions::default()
    };
    match build::render_site(&options) {
        Ok(rendering) => {
            print_diagnostics(&rendering.report.diagnostics, format, &root);
            if matches!(format, Format::Human) {
                let r = &rendering.report;
                print_due_reviews(&r.due_reviews, args.review_window);
                println!(
                    "Checked {} pages and {} sections: no errors ({} warnings)",
                    r.pages,
                    r.sections,
                    r.diagnostics.warning_count()
                );
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

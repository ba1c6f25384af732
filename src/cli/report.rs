//! `signpost report`: the content-status report as one HTML file or as JSON.

use std::path::PathBuf;

use crate::diagnostics::Format;
use crate::error::{Error, Result};
use crate::report::{self, Options};

use super::{Outcome, SiteArgs, report_error};

/// Output format of `report`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// One self-contained HTML page.
    Html,
    /// The same figures as one JSON object.
    Json,
}

/// Arguments of `signpost report`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Write the content-status report: reviews due, owners, translations, freshness, links, \
                  citations, warnings and page weight.\n\n\
                  Runs the pipeline in memory like `check`; nothing is written into the site's output."
)]
pub struct Args {
    /// The site, its base URL and the pages it includes.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the report (default: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// HTML page or JSON.
    #[arg(long, value_enum, default_value = "html")]
    pub format: FormatArg,
    /// The day to count reviews and ages from, `YYYY-MM-DD` (default: today, or $SIGNPOST_TODAY).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// The weight one page (HTML plus images) should stay within, in KB.
    #[arg(long, value_name = "KB", default_value_t = report::DEFAULT_BUDGET_KB)]
    pub page_budget: u64,
    /// Days after its last update that a section with no `column:` rule counts as stale.
    #[arg(long, value_name = "DAYS", default_value_t = report::DEFAULT_STALE_AFTER_DAYS)]
    pub stale_after: i64,
}

/// Run `signpost report`.
pub fn run(args: Args) -> Result<Outcome> {
    let root = args.site.root();
    let mut options = Options::from_env()?;
    if let Some(day) = &args.today {
        options.today = report::parse_day(day)?;
    }
    options.budget_bytes = args.page_budget.saturating_mul(1024);
    options.stale_after_days = args.stale_after;
    let found = match report::run(&args.site.build_options(), &options) {
        Ok(found) => found,
        Err(err) => return Ok(report_error(err, Format::Human, Some(&root))),
    };
    let text = match args.format {
        FormatArg::Html => report::html::page(&found),
        FormatArg::Json => {
            let mut json = serde_json::to_string_pretty(&found).map_err(|e| Error::Usage(e.to_string()))?;
            json.push('\n');
            json
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| Error::io("write", path, e))?,
        None => print!("{text}"),
    }
    Ok(Outcome::Success)
}

//! The content-status report (`signpost report`, and `/_signpost/status` in `serve`): where
//! the site stands for its editors, from reviews due to page weight.
//!
//! [`collect`] reads one build's content ([`build::Rendered`]'s pages, bodies, links and
//! warnings, and its outputs for the page weights) into a [`Report`]; [`html::page`] and
//! `serde_json` write that one value, so the HTML page and the JSON carry the same figures.
//! The report sits above the pipeline and below `serve`: no stage imports it.

pub mod charts;
mod freshness;
pub mod html;
mod links;
pub mod model;
mod pages;
mod quality;
mod size;

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::build::{self, BuildOptions, Memos, Scope};
use crate::error::{Error, Result};

pub use model::Report;
pub use size::{File, Files};

/// Environment variable giving the report's "today" (`YYYY-MM-DD`), like `--today`.
pub const TODAY_VAR: &str = "SIGNPOST_TODAY";
/// The page budget (HTML plus images) unless one is given: 500 KiB.
pub const DEFAULT_BUDGET_KB: u64 = 500;
/// Days after its last update that a section with no `column:` rule counts as stale unless
/// told otherwise: six months, the inspection's limit for notice and policy columns.
pub const DEFAULT_STALE_AFTER_DAYS: i64 = 180;

/// What the report counts from.
#[derive(Debug, Clone)]
pub struct Options {
    /// The day reviews, ages and freshness count from.
    pub today: NaiveDate,
    /// The weight one page (HTML plus images) should stay within, in bytes.
    pub budget_bytes: u64,
    /// Days after which a section with no `column:` rule and no update is stale.
    pub stale_after_days: i64,
    /// The `check --external` cache to read (`None`: no external results).
    pub cache_file: Option<PathBuf>,
}

impl Options {
    /// Today (from [`TODAY_VAR`] when set), the default budget and window, the default cache.
    pub fn from_env() -> Result<Options> {
        let today = match std::env::var(TODAY_VAR) {
            Ok(text) if !text.trim().is_empty() => parse_day(&text)?,
            _ => chrono::Utc::now().date_naive(),
        };
        Ok(Options {
            today,
            budget_bytes: DEFAULT_BUDGET_KB * 1024,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
            cache_file: crate::external::default_cache_path(),
        })
    }
}

/// `YYYY-MM-DD`, or a usage error saying so.
pub fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::Usage(format!("`{}` is not a date; write it as YYYY-MM-DD", text.trim())))
}

/// Everything a report is read from: one successful build's content and outputs.
pub(crate) struct Inputs<'a> {
    /// The build's content and warnings.
    pub(crate) last: &'a build::LastBuild,
    /// Its built files.
    pub files: &'a Files<'a>,
}

/// Gather the report from one build.
pub(crate) fn collect(inputs: &Inputs<'_>, options: &Options) -> Report {
    let content = &inputs.last.content;
    let (config, site) = (&content.config, &content.site);
    let today = options.today;
    Report {
        version: model::FORMAT_VERSION,
        site: config.title.clone(),
        today: pages::iso(today),
        languages: config.languages.iter().map(|l| l.code.clone()).collect(),
        pages: site.pages.len(),
        sections: pages::section_labels(site),
        reviews: pages::reviews(site, today),
        ownership: pages::ownership(site, today),
        translations: pages::translations(config, site),
        freshness: freshness::freshness(config, site, today, options.stale_after_days),
        links: links::links(
            site,
            &content.page_bodies,
            &content.resolved,
            options.cache_file.as_deref(),
            today,
        ),
        citations: links::citations(site, &content.resolved),
        quality: quality::quality(&inputs.last.diagnostics, &pages::sections_by_file(site)),
        size: size::size(config, site, inputs.files, options.budget_bytes),
    }
}

/// Run the pipeline in memory (as `check` does; nothing is written) and gather the report.
/// Content errors come back as [`Error::Content`], to be reported like `check` does.
pub fn run(build_options: &BuildOptions, options: &Options) -> Result<Report> {
    let build_options =
        BuildOptions { skip_search_index: true, today: Some(options.today), ..build_options.clone() };
    // The memos keep the build's content, which a plain rendering frees as it ends.
    let mut memos = Memos::default();
    let rendering = build::render_with_memos(&build_options, &mut memos, Scope::Everything)?;
    let last = memos.last.as_ref().ok_or_else(|| Error::Usage("the build kept no content".to_string()))?;
    let files = Files::from_outputs(&rendering.outputs);
    Ok(collect(&Inputs { last, files: &files }, options))
}

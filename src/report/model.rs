//! The figures of a content-status report, as one serialisable value: `--format json` writes
//! it as it is, and the HTML page is drawn from it alone, so the two can never disagree.
//!
//! Every list is sorted, so the same content and the same day give the same bytes.

use serde::Serialize;

/// Version of the JSON layout (see `docs/report.md`); raised when a field changes meaning.
pub const FORMAT_VERSION: u32 = 2;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// The site's title.
    pub site: String,
    /// The day the report is about (`YYYY-MM-DD`); reviews and ages count from it.
    pub today: String,
    /// Language codes, the default first.
    pub languages: Vec<String>,
    /// Published pages.
    pub pages: usize,
    /// Top-level sections the figures are grouped by (`/` is the home folder).
    pub sections: Vec<String>,
    /// Reviews overdue and falling due.
    pub reviews: Reviews,
    /// Pages per owner.
    pub ownership: Ownership,
    /// Translation coverage and gaps.
    pub translations: Translations,
    /// Last update of each section against its window.
    pub freshness: Freshness,
    /// Internal link problems and external link results.
    pub links: Links,
    /// Law articles and the guidance citing them.
    pub citations: Citations,
    /// Editorial warnings by kind and section.
    pub quality: Quality,
    /// Page weights against the budget.
    pub size: Size,
}

/// A page as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PageRef {
    /// Content path (`faq/lost-card.md`).
    pub path: String,
    /// Its title.
    pub title: String,
}

/// Reviews: overdue ones and those due in the next twelve months.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reviews {
    /// Pages whose `review_by` has passed.
    pub overdue: usize,
    /// Reviews due per month, the current month first, twelve months in all.
    pub by_month: Vec<MonthCount>,
    /// Reviews due later than those twelve months.
    pub later: usize,
    /// Pages without `review_by`.
    pub without_date: usize,
    /// Every page with a `review_by`, overdue first, by date, owner and path.
    pub items: Vec<Review>,
}

/// How many reviews fall due in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Reviews due.
    pub count: usize,
}

/// One page's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The page.
    #[serde(flatten)]
    pub page: PageRef,
    /// Its owner, if set.
    pub owner: Option<String>,
    /// `review_by` (`YYYY-MM-DD`).
    pub review_by: String,
    /// Days from today to `review_by` (negative: overdue by that many days).
    pub days: i64,
}

/// Pages per owner.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ownership {
    /// Owners with their page counts, most pages first.
    pub owners: Vec<OwnerCount>,
    /// Pages with no owner (or a placeholder one).
    pub unowned: Vec<PageRef>,
}

/// One owner's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerCount {
    /// The owner as written.
    pub owner: String,
    /// Pages they own.
    pub pages: usize,
    /// Of those, pages whose review is overdue.
    pub overdue: usize,
}

/// Translation coverage per section and language, and the gaps.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Translations {
    /// Coverage of each section in each language but the default.
    pub coverage: Vec<Coverage>,
    /// Pages of the default language without a translation.
    pub missing: Vec<MissingTranslation>,
    /// Translations older than their original's last update.
    pub outdated: Vec<OutdatedTranslation>,
}

/// How many of a section's pages one language covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The top-level section.
    pub section: String,
    /// The language code.
    pub lang: String,
    /// Translated and up to date.
    pub current: usize,
    /// Translated, but older than the original.
    pub outdated: usize,
    /// Not translated.
    pub missing: usize,
}

/// A page with no translation in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingTranslation {
    /// The original.
    #[serde(flatten)]
    pub page: PageRef,
    /// The language it lacks.
    pub lang: String,
    /// The content path the translation would have.
    pub expected: String,
}

/// A translation older than its original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutdatedTranslation {
    /// The translation.
    #[serde(flatten)]
    pub page: PageRef,
    /// Its language.
    pub lang: String,
    /// The original's content path.
    pub original: String,
    /// The translation's last update.
    pub translated: String,
    /// The original's last update.
    pub original_updated: String,
}

/// Each column's last update against its update window.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Freshness {
    /// The window of a section whose `_index.md` sets no `column:` rule (`--stale-after`).
    pub default_window_days: i64,
    /// Columns past their window.
    pub stale: usize,
    /// Columns with no published page.
    pub empty: usize,
    /// One entry per column (every section but a home page, in each language): stale ones
    /// first, longest stale first; then empty ones; then the others, the soonest due first.
    pub sections: Vec<SectionFreshness>,
}

/// One column's freshness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionFreshness {
    /// The section's folder under `content/` (`news`, `guides/passports`).
    pub section: String,
    /// Its language code.
    pub lang: String,
    /// Its title.
    pub title: String,
    /// Where its window comes from: `column` (its `column:` settings) or `default`.
    pub rule: String,
    /// Its `column.type` (`news`, `notice`, `policy`, `service`, `other`); `None` under `default`.
    pub column_type: Option<String>,
    /// Days after its last update that it goes stale; `None`: it has no window.
    pub window_days: Option<i64>,
    /// Published pages in it and in its subsections.
    pub pages: usize,
    /// Its pages' newest `date` or `updated`; `None` when no page is dated.
    pub last_updated: Option<String>,
    /// Days since then (`None` without a date).
    pub days: Option<i64>,
    /// The day it went (or goes) stale: `last_updated` plus the window.
    pub stale_on: Option<String>,
    /// Past its window, or with a window and no dated page.
    pub stale: bool,
    /// No published page in it or below it.
    pub empty: bool,
}

/// Internal link problems and external link results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Links {
    /// Link warnings of the build (broken internal links stop it, so these are the rest).
    pub internal: Vec<LinkProblem>,
    /// Where the external-link cache was read from (`None`: no cache folder is known).
    pub cache: Option<String>,
    /// Distinct external URLs the pages link to.
    pub external_total: usize,
    /// Those the cache has a result for, failures first.
    pub external: Vec<ExternalResult>,
}

/// A link warning, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkProblem {
    /// `content/…` path of the source.
    pub file: String,
    /// Its line.
    pub line: usize,
    /// The warning.
    pub message: String,
}

/// An external URL's last checked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalResult {
    /// The URL requested.
    pub url: String,
    /// The HTTP status code.
    pub status: u16,
    /// Whether that status is a failure (not 2xx).
    pub broken: bool,
    /// When it was checked (`YYYY-MM-DD`, UTC).
    pub checked: String,
    /// Days from then to today.
    pub age_days: i64,
    /// Content paths of the pages linking to it.
    pub pages: Vec<String>,
}

/// Law articles and the guidance citing them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Citations {
    /// Citing pages last updated before the law's `amended` date.
    pub outdated: usize,
    /// Every cited article.
    pub articles: Vec<CitedArticle>,
}

/// One law article and who cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedArticle {
    /// The law page.
    pub law: PageRef,
    /// The article's anchor (`article-7`).
    pub article: String,
    /// The law's `amended` date, if any.
    pub amended: Option<String>,
    /// Pages citing it.
    pub cited_by: Vec<Citing>,
}

/// A page citing an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citing {
    /// The page.
    #[serde(flatten)]
    pub page: PageRef,
    /// Its last update (`updated`, else `date`).
    pub updated: Option<String>,
    /// Last updated before the law was amended.
    pub outdated: bool,
}

/// Editorial warnings by kind and section.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Warnings in all.
    pub total: usize,
    /// One entry per kind, most frequent first.
    pub kinds: Vec<QualityKind>,
}

/// One kind of warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualityKind {
    /// The message with its names left out (``image `…` has no alt text``).
    pub kind: String,
    /// How many in all.
    pub count: usize,
    /// Counts per top-level section (only sections that have some).
    pub by_section: std::collections::BTreeMap<String, usize>,
    /// The first few places (`content/…:line`), to start from.
    pub examples: Vec<String>,
}

/// Page weights against the budget.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Size {
    /// The budget of one page (HTML plus images), in bytes.
    pub budget_bytes: u64,
    /// Pages over it.
    pub over_budget: usize,
    /// The median page weight, in bytes.
    pub median_bytes: u64,
    /// How many pages fall in each band of weight.
    pub distribution: Vec<Band>,
    /// Every page's weight, heaviest first.
    pub pages: Vec<PageWeight>,
}

/// A band of page weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Band {
    /// Lower bound, in bytes (inclusive).
    pub from_bytes: u64,
    /// Upper bound, in bytes (exclusive; `None` for the last band).
    pub to_bytes: Option<u64>,
    /// Pages in it.
    pub count: usize,
}

/// One page's weight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageWeight {
    /// The page.
    #[serde(flatten)]
    pub page: PageRef,
    /// Its HTML.
    pub html_bytes: u64,
    /// The images its body shows.
    pub image_bytes: u64,
    /// Both.
    pub total_bytes: u64,
}

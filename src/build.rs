//! Run the pipeline: config → content → Markdown → links → templates → outputs → disk.
//!
//! Nothing is written until every stage has succeeded, so a failed build leaves the
//! previous output exactly as it was.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::OutputMemo;
use crate::config::Config;
use crate::content::{self, Inclusion, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::guidance::{editorial, lifecycle};
use crate::links::{self, Resolver};
use crate::markdown::{self, RenderOptions, Rendered};
use crate::output::{self, WriteStats};
use crate::render::{self, Body, Output};
use crate::shortcodes::{Page, Shortcodes};
use crate::source;
use crate::source::SourceFile;
use crate::templates::Templates;
use crate::theme::{Theme, ThemeFile};
use crate::yaml;

mod index;
mod readiness;
mod timing;
pub(crate) use timing::StageTimer;
#[cfg(test)]
mod tests;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root.
    pub root: PathBuf,
    /// Output folder (default `ROOT/public`).
    pub output: Option<PathBuf>,
    /// Override `base_url`.
    pub base_url: Option<String>,
    /// Which unpublished pages to include.
    pub include: Inclusion,
    /// Write an output folder that signpost did not make.
    pub force: bool,
    /// Fail at once when another build is writing the output folder (`--no-wait`), rather
    /// than wait for it.
    pub no_wait: bool,
    /// Overdue reviews are errors (`--strict`).
    pub strict: bool,
    /// Days ahead in which a review counts as due (default 30).
    pub review_window_days: Option<u32>,
    /// Force relative URLs (`--relative-urls`), whatever `site.yaml` says.
    pub relative_urls: bool,
    /// List external links with their places (for `check --external`); left out otherwise,
    /// since placing a link can mean reading its file again.
    pub external_links: bool,
    /// Leave the search index out (`check`, which writes nothing, has no use for it).
    pub skip_search_index: bool,
    /// The day reviews count from (default: today); the content-status report sets it so
    /// that its warnings are those of the day it reports on.
    pub today: Option<chrono::NaiveDate>,
    /// The process ends once the build returns (the `build` command): what the build holds
    /// is left for the system to take back at exit rather than freed piece by piece.
    pub exits_after: bool,
}

impl BuildOptions {
    /// The output folder this build writes.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// A successful (or checked) build's figures and warnings.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Published pages.
    pub pages: usize,
    /// Pages and sections left out of the output (drafts, future and expired pages).
    pub left_out: LeftOut,
    /// Sections, home included.
    pub sections: usize,
    /// Pages, sections, left-out sources and aliases of each language, for the summary table.
    pub languages: Vec<crate::summary::LanguageCounts>,
    /// Static and content files copied.
    pub static_files: usize,
    /// Output files in all.
    pub outputs: usize,
    /// What writing did (zero for `check`).
    pub written: WriteStats,
    /// Warnings (and errors, when the build failed).
    pub diagnostics: Diagnostics,
    /// Reviews falling due within the review window.
    pub due_reviews: Vec<lifecycle::DueReview>,
    /// Wall time.
    pub elapsed: Duration,
    /// Whether only the edited page was rebuilt (see [`crate::quick`]).
    pub quick: bool,
    /// Whether the content stages were skipped, only templates having changed.
    pub content_reused: bool,
}

/// How many sources were left out of the output, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    /// `draft: true`.
    pub drafts: usize,
    /// `publish_at` still to come.
    pub future: usize,
    /// `expire_at` passed.
    pub expired: usize,
}

impl LeftOut {
    fn of(site: &crate::content::Site) -> Self {
        let mut left_out = LeftOut::default();
        for reason in site.excluded.values() {
            match reason {
                crate::content::Excluded::Draft => left_out.drafts += 1,
                crate::content::Excluded::Future => left_out.future += 1,
                crate::content::Excluded::Expired => left_out.expired += 1,
            }
        }
        left_out
    }

    /// ` (left out: 1 draft, 2 not yet published)` for summaries; empty when none was.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.drafts, crate::diagnostics::plural(self.drafts, "draft")),
            (self.future, format!("{} not yet published", self.future)),
            (self.expired, format!("{} expired", self.expired)),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, text)| text)
        .collect();
        if parts.is_empty() { String::new() } else { format!(" (left out: {})", parts.join(", ")) }
    }
}

/// A site rendered in memory, not yet written.
pub struct Rendering {
    /// Every output file.
    pub outputs: Vec<Output>,
    /// Counts and warnings.
    pub report: BuildReport,
    /// External links of published pages, for `check --external`.
    pub external_links: Vec<links::ExternalLink>,
}

/// Build the site and write it (the `build` command).
///
/// Changed files are staged while rendering runs and moved into place only when the whole
/// build succeeded; on any error the previous output stays exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with(options, None, Scope::Everything)
}

/// What the pipeline may reuse from the builds before it: each stage's own memo, and the last
/// successful build whole. A `watch` or `serve` session keeps one (see `crate::session`) and
/// hands it to every build; the stages never see more than their own part.
#[derive(Default)]
pub struct Memos {
    /// Source texts by path, with their modification time and size.
    pub(crate) texts: source::TextCache,
    /// Parsed front matter by source path.
    pub(crate) front_matter: content::FrontMatterMemo,
    /// Rendered bodies by source path.
    pub(crate) bodies: markdown::BodyMemo,
    /// Rendered outputs by output path.
    pub(crate) outputs: crate::cache::Outputs,
    /// The highlight cache file already read into this process (read once, not per rebuild).
    pub(crate) highlight_loaded: Option<PathBuf>,
    /// The last successful build, for quick and templates-only rebuilds.
    pub(crate) last: Option<LastBuild>,
}

impl Memos {
    /// How many outputs and bodies are remembered (for tests and logs).
    pub fn len(&self) -> (usize, usize) {
        (self.outputs.len(), self.bodies.len())
    }

    /// Whether nothing is remembered yet.
    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty() && self.bodies.is_empty()
    }
}

/// The last successful build, kept whole: its content for a rebuild after a template edit,
/// and all of it for re-rendering one page (`crate::quick`).
pub(crate) struct LastBuild {
    /// What the content stages made.
    pub content: Content,
    /// Compiled templates, with the lookups of that build.
    pub templates: Templates,
    /// The values all outputs of that build shared (see [`render::SiteValues`]).
    pub site_values: Arc<render::SiteValues>,
    /// Pages by content path (scanning the pages for one took 20 ms on 10,000 pages).
    pub pages_by_path: std::collections::HashMap<String, content::PageId>,
    /// Fingerprint of the Markdown settings per language (see [`body_settings`]).
    pub body_settings: Vec<u64>,
    /// That build's warnings, reported again after a quick rebuild (which cannot change them).
    pub diagnostics: Diagnostics,
    /// How many static and content files that build copied.
    pub static_files: usize,
    /// How many files that build's output held.
    pub outputs: usize,
    /// What each page read besides its source, and which outputs are copies of an input.
    pub dependencies: crate::deps::DependencyIndex,
}

impl LastBuild {
    /// The report of a rebuild that changed none of this build's figures or warnings.
    pub(crate) fn report(&self, elapsed: Duration, quick: bool) -> BuildReport {
        report(
            &self.content,
            (self.static_files, self.outputs),
            self.diagnostics.clone(),
            elapsed,
            (quick, true),
        )
    }
}

/// A build's report: its figures, warnings and reviews falling due.
fn report(
    content: &Content,
    (static_files, outputs): (usize, usize),
    diagnostics: Diagnostics,
    elapsed: Duration,
    (quick, content_reused): (bool, bool),
) -> BuildReport {
    BuildReport {
        pages: content.site.pages.len(),
        left_out: LeftOut::of(&content.site),
        sections: content.site.sections.len(),
        languages: crate::summary::by_language(&content.config, &content.site),
        static_files,
        outputs,
        written: WriteStats::default(),
        diagnostics,
        due_reviews: content.due_reviews.clone(),
        elapsed,
        quick,
        content_reused,
    }
}

/// [`build`], reusing and refreshing `memos`; `scope` says how much may have changed.
pub fn build_with_memos(options: &BuildOptions, memos: &mut Memos, scope: Scope) -> Result<BuildReport> {
    build_with(options, Some(memos), scope)
}

fn build_with(options: &BuildOptions, mut cache: Option<&mut Memos>, scope: Scope) -> Result<BuildReport> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    output::check_destination(&output_dir, &options.root, options.force)?;
    check_root(&options.root)?;
    // A series of builds (`watch`) keeps its staged files to write into again.
    let staging = match cache {
        Some(_) => output::Staging::begin_reusing(&output_dir, options.no_wait)?,
        None => output::Staging::begin(&output_dir, options.no_wait)?,
    };
    // A write that fails stops the build as an I/O error (exit 2), not as a content error.
    let write_error = std::sync::Mutex::new(None);
    let emit = |o: Output| {
        staging.stage(&o).map_err(|e| {
            let diagnostic = Diagnostic::error(e.to_string())
                .with_hint("check the output folder's permissions and free space");
            if let Ok(mut first) = write_error.lock() {
                first.get_or_insert(e);
            }
            diagnostic
        })
    };
    let finished = match run(options, &emit, cache.as_deref_mut(), scope) {
        Ok(finished) => finished,
        Err(err) => {
            staging.abort();
            return Err(write_error.into_inner().ok().flatten().unwrap_or(err));
        }
    };
    let write_started = Instant::now();
    let mut report = finished.report;
    report.written = staging.commit()?;
    if let (Some(cache), Some(outputs)) = (cache, finished.outputs) {
        cache.outputs = outputs;
    }
    if std::env::var_os("SIGNPOST_TIMINGS").is_some() {
        eprintln!("timing: {:<13} {:>7.1} ms", "commit", write_started.elapsed().as_secs_f64() * 1000.0);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Run every stage in memory (the `check` command, and the preview server).
///
/// Returns [`Error::Content`] with all diagnostics when any error was found.
pub fn render_site(options: &BuildOptions) -> Result<Rendering> {
    render_site_with(options, None, Scope::Everything)
}

/// [`render_site`], reusing and refreshing `memos`; `scope` says how much may have changed.
pub fn render_with_memos(options: &BuildOptions, memos: &mut Memos, scope: Scope) -> Result<Rendering> {
    render_site_with(options, Some(memos), scope)
}

fn render_site_with(
    options: &BuildOptions,
    mut cache: Option<&mut Memos>,
    scope: Scope,
) -> Result<Rendering> {
    let collected = std::sync::Mutex::new(Vec::new());
    let emit = |o: Output| {
        collected
            .lock()
            .map(|mut v| v.push(o))
            .map_err(|_| Diagnostic::error("internal error: output lock poisoned"))
    };
    let Finished { report, external_links, outputs } = run(options, &emit, cache.as_deref_mut(), scope)?;
    if let (Some(cache), Some(outputs)) = (cache, outputs) {
        cache.outputs = outputs;
    }
    let mut outputs = collected.into_inner().unwrap_or_default();
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendering { outputs, report, external_links })
}

/// The pipeline proper: every output is handed to `emit` as soon as it is ready.
/// What a successful pipeline run hands back.
struct Finished {
    report: BuildReport,
    external_links: Vec<links::ExternalLink>,
    /// The outputs to remember for the next incremental build, when a cache is in use.
    outputs: Option<crate::cache::Outputs>,
}

fn run(
    options: &BuildOptions,
    emit: render::Emit<'_>,
    mut cache: Option<&mut Memos>,
    scope: Scope,
) -> Result<Finished> {
    let started = Instant::now();
    let mut timer = StageTimer::from_env();
    // The last build's state is reused for a template-only rebuild, and set again only when
    // this build succeeds.
    let live = cache.as_deref_mut().and_then(|c| c.last.take());
    let (content, content_reused) = match (scope, live) {
        // Unless the templates now show word counts that the bodies were rendered without
        // (or no longer do): those live in the bodies.
        // Nor when a publishing gate has passed since: only a full load tells what is published.
        (Scope::Templates, Some(live))
            if counts_words(&Theme::locate(&live.content.config), &options.root)
                == live.content.count_words
                && !live.content.site.gate_passed(chrono::Utc::now().fixed_offset()) =>
        {
            timer.note("templates changed alone: content stages skipped");
            let LastBuild { content, templates, site_values, pages_by_path, .. } = live;
            // The old templates hold every page's lookup value: freeing them took 90 ms.
            drop_in_background((templates, site_values, pages_by_path));
            (content, true)
        }
        (_, live) => {
            drop_in_background(live);
            (prepare(options, cache.as_deref_mut(), &mut timer)?, false)
        }
    };
    finish(options, content, content_reused, emit, cache, started, timer)
}

/// How much of the site a rebuild must redo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything (with the cache, only what changed is recomputed).
    Everything,
    /// Only templates changed: the content stages of the last build still hold.
    Templates,
}

/// What the content stages made: everything rendering needs besides the templates (kept
/// whole between the builds of `watch` and `serve`, see [`LastBuild`]).
pub(crate) struct Content {
    pub config: Config,
    /// The data files (`data/`).
    pub data: Arc<crate::data::Data>,
    /// The shortcode templates and snippets bodies call on (kept for quick rebuilds).
    pub shortcodes: Arc<Shortcodes>,
    pub site: Site,
    /// Theme strings per language.
    pub strings: Vec<BTreeMap<String, String>>,
    /// Rendered bodies by page id and by section id.
    pub page_bodies: Vec<Arc<Rendered>>,
    pub section_bodies: Vec<Arc<Rendered>>,
    /// Resolved links, backlinks and citations.
    pub resolved: links::Resolved,
    /// Warnings and errors of the content stages.
    pub diagnostics: Diagnostics,
    /// Reviews falling due.
    pub due_reviews: Vec<lifecycle::DueReview>,
    /// Whether bodies were rendered with their words counted.
    pub count_words: bool,
    /// The theme's and the site's static files, by output path.
    pub statics: BTreeMap<String, ThemeFile>,
}

/// The content stages: configuration, sources, front matter, Markdown, links.
///
/// Longer than most functions: it runs the stages in order, each a call or two, and each
/// stage's memo is taken and given back beside its call.
fn prepare(options: &BuildOptions, mut cache: Option<&mut Memos>, timer: &mut StageTimer) -> Result<Content> {
    let root = &options.root;
    check_root(root)?;
    let mut diagnostics = Diagnostics::new();
    let mut config = match Config::load(root) {
        Ok(config) => config,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(Error::Content(diagnostics));
        }
    };
    if let Some(url) = &options.base_url {
        config.set_base_url(url);
    }
    if options.relative_urls {
        config.relative_urls = true;
    }

    let (data, problems) = crate::data::Data::load(root);
    let data = Arc::new(data);
    diagnostics.extend(problems);
    timer.lap("config");
    let mut found = source::discover_cached(&config.content_dir(), root, cache.as_deref().map(|c| &c.texts));
    timer.lap("discover");
    diagnostics.extend(std::mem::take(&mut found.diagnostics));
    diagnostics.extend(source::links_out_of_site(root));
    let now = chrono::Utc::now().fixed_offset();
    if let Some(cache) = cache.as_deref_mut() {
        cache.texts = source::remember(&found);
    }
    let (mut site, problems) = content::load_cached(
        &config,
        found.sources,
        found.assets,
        options.include,
        now,
        cache.as_deref_mut().map(|c| &mut c.front_matter),
    );
    diagnostics.extend(problems);
    diagnostics.extend(content::check_translations(&config, &site));
    if !diagnostics.has_errors() {
        diagnostics.extend(readiness::half_configured(&config, &site));
    }
    timer.lap("front matter");

    let theme = Theme::locate(&config);
    let strings = load_strings(&config, &theme, &mut diagnostics);
    let highlight_cache = highlight_cache_file(&config);
    if let Some(path) = &highlight_cache
        && config.highlight.enabled
        && cache.as_deref().is_none_or(|c| c.highlight_loaded.as_ref() != Some(path))
    {
        markdown::highlight::load_persistent(path);
        if let Some(cache) = cache.as_deref_mut() {
            cache.highlight_loaded = Some(path.clone());
        }
    }
    let count_words = counts_words(&theme, root);
    let (shortcodes, problems) = Shortcodes::load(&config, &theme, Arc::clone(&data), &strings);
    let shortcodes = Arc::new(shortcodes);
    diagnostics.extend(problems);
    let search_text = SearchText::of(config.search, cache.is_some(), options) != SearchText::Unused;
    let (page_bodies, section_bodies) = render_markdown(
        (&config, &shortcodes),
        &mut site,
        &strings,
        (count_words, search_text, spill_dir(options).as_deref()),
        cache.as_deref_mut(),
    );
    for body in page_bodies.iter().chain(&section_bodies) {
        diagnostics.extend(body.problems.iter().cloned());
    }
    if cache.is_none() {
        site.release_texts(); // the sections' too
    }
    timer.lap("markdown");
    let statics = static_files(&theme, root);
    let static_names: HashSet<String> = statics.keys().cloned().collect();
    let resolver = Resolver::new(&site, &config, &page_bodies, &section_bodies, &static_names)
        .collecting_external(options.external_links);
    let resolved = links::resolve(&resolver);
    diagnostics.extend(resolved.diagnostics.iter().cloned());
    let today = options.today.unwrap_or_else(|| now.date_naive());
    let policy = lifecycle::ReviewPolicy { today, strict: options.strict };
    let window = i64::from(options.review_window_days.unwrap_or(30));
    let (problems, due_reviews) = lifecycle::check(&site, &resolved, policy, window);
    diagnostics.extend(problems);
    diagnostics.extend(crate::guidance::law::repeated_articles(&site));
    diagnostics.extend(crate::guidance::freshness::check(&config, &site, policy.today, options.strict));
    diagnostics.extend(crate::guidance::service::check(&config, &site, &resolved, options.strict));
    diagnostics.extend(editorial::check(&site, &page_bodies, &section_bodies, options.strict));
    timer.lap("links");
    drop(resolver);
    Ok(Content {
        config,
        data,
        shortcodes,
        site,
        strings,
        page_bodies,
        section_bodies,
        resolved,
        diagnostics,
        due_reviews,
        count_words,
        statics,
    })
}

/// What a build does with the text search reads, which the Markdown stage records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchText {
    /// Not recorded: search is off, or the build makes no index (`check`, `report`) and no
    /// session keeps the bodies for a later one.
    Unused,
    /// Kept in the bodies: a session (`watch`, `serve`) updates the index after an edit and
    /// reads the edited page's neighbours again.
    Kept,
    /// Handed to the index, which frees it as it goes (see `render::TakenText`): a build that
    /// keeps nothing for the next one.
    Taken,
}

impl SearchText {
    /// The use of a build with search on or off, run by a session or not.
    fn of(search: bool, session: bool, options: &BuildOptions) -> SearchText {
        match (search, session, options.skip_search_index) {
            (false, _, _) | (true, false, true) => SearchText::Unused,
            (true, true, _) => SearchText::Kept,
            (true, false, false) => SearchText::Taken,
        }
    }
}

/// Refuse a site root that is no site (before anything is written or locked).
fn check_root(root: &Path) -> Result<()> {
    if !root.is_dir() {
        return Err(Error::Usage(format!("the site root `{}` is not a folder", root.display())));
    }
    if !root.join("content").is_dir() {
        return Err(Error::Usage(format!(
            "there is no `content` folder in `{}`; run `signpost init DIR` to create a site, or pass `--root`",
            root.display()
        )));
    }
    Ok(())
}

/// The rendering stages: templates, outputs (handed to `emit`), static files, the report;
/// with a cache, the whole state is kept for the next rebuild.
///
/// Longer than most functions: it runs the rendering stages in order and hands the memos and
/// the last build back to the session at the end, where a split would pass them around.
fn finish(
    options: &BuildOptions,
    mut content: Content,
    content_reused: bool,
    emit: render::Emit<'_>,
    mut cache: Option<&mut Memos>,
    started: Instant,
    mut timer: StageTimer,
) -> Result<Finished> {
    let root = &options.root;
    let mut diagnostics = content.diagnostics.clone();
    let taken_text = (SearchText::of(content.config.search, cache.is_some(), options) == SearchText::Taken)
        .then(|| render::TakenText::take_from(&mut content.page_bodies));
    let (config, site) = (&content.config, &content.site);
    let theme = Theme::locate(config);
    let highlight_cache = highlight_cache_file(config);
    let mut templates = match Templates::load(&theme, &root.join("templates"), root) {
        Ok(t) => t,
        Err(problems) => {
            diagnostics.extend(problems);
            diagnostics.sort();
            return Err(Error::Content(diagnostics));
        }
    };
    timer.lap("templates");
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(Error::Content(diagnostics));
    }
    let inputs = render::Inputs {
        config,
        data: &content.data,
        site,
        page_bodies: &content.page_bodies,
        section_bodies: &content.section_bodies,
        links: &content.resolved,
        strings: &content.strings,
        search_index: !options.skip_search_index,
        taken_text: taken_text.as_ref(),
    };
    let produced = std::sync::Mutex::new(HashSet::new());
    let relative = config.relative_urls.then_some(config.base_path.as_str());
    let recording = |o: Output| {
        if let Ok(mut paths) = produced.lock() {
            paths.insert(o.path.clone());
        }
        emit(match relative {
            Some(base_path) => make_relative(o, base_path),
            None => o,
        })
    };
    let previous = cache.as_deref_mut().map(|c| std::mem::take(&mut c.outputs));
    // After a template edit, each page's view is as the last build left it.
    let memo = OutputMemo::new(previous.as_ref()).with_unchanged_views(content_reused);
    let (problems, site_values) =
        render::render_all(&inputs, &mut templates, &recording, memo.enabled().then_some(&memo));
    diagnostics.extend(problems);
    timer.note(&format!("{} outputs reused", memo.hits.load(std::sync::atomic::Ordering::Relaxed)));
    // Kept only once the build has succeeded: a memo entry promises the bytes are in place.
    let next_outputs = memo.enabled().then(|| memo.into_next());
    let produced = produced.into_inner().unwrap_or_default();
    timer.lap("render");
    let copies = copies(config, site, content.statics.clone(), &produced, &mut diagnostics);
    let static_count = copies.len();
    let dependencies = cache.is_some().then(|| index::dependency_index(root, &content, &copies));
    let outputs = produced.len() + static_count;
    let failed: Vec<Diagnostic> = copies.into_par_iter().filter_map(|o| emit(o).err()).collect();
    diagnostics.extend(failed);
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let report =
        report(&content, (static_count, outputs), diagnostics, started.elapsed(), (false, content_reused));
    if let Some(path) = &highlight_cache
        && config.highlight.enabled
    {
        // Only a speed-up: a cache that cannot be written changes nothing else.
        let _ = markdown::highlight::save_persistent(path);
    }
    let pages_by_path = cache
        .is_some()
        .then(|| site.pages.iter().enumerate().map(|(id, page)| (page.source.rel.clone(), id)).collect());
    let external_links = std::mem::take(&mut content.resolved.external);
    let finished = Finished { report, external_links, outputs: next_outputs };
    match (cache, pages_by_path, dependencies) {
        (Some(cache), Some(pages_by_path), Some(dependencies)) => {
            cache.last = Some(LastBuild {
                dependencies,
                body_settings: body_settings(&content.config, &content.strings, content.count_words),
                site_values,
                pages_by_path,
                diagnostics: finished.report.diagnostics.clone(),
                static_files: finished.report.static_files,
                outputs: finished.report.outputs,
                content,
                templates,
            })
        }
        // Freeing a large site is millions of small frees, done for nothing when the process
        // ends next: a compiler's driver skips them the same way.
        _ if options.exits_after => std::mem::forget((content, templates)),
        _ => drop_in_background((content, templates)),
    }
    Ok(finished)
}

/// Free `value` on another thread. A large site's pages, bodies and lookups are millions of
/// small allocations, and freeing them took 40 ms of a 10,000-page build that has nothing left
/// to wait for; a command that exits meanwhile simply does not wait for it.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure, and `value` with it, is dropped right here.
    let _ = std::thread::Builder::new().name("signpost-drop".into()).spawn(move || drop(value));
}

/// Render every page and section body in parallel, reusing cached bodies whose text and
/// settings are unchanged (and refreshing the cache when one is given).
///
/// Without a cache, each page's source text is released as soon as its body is rendered:
/// every later stage reads the rendered body, and messages read the file again.
fn render_markdown(
    (config, shortcodes): (&Config, &Shortcodes),
    site: &mut Site,
    strings: &[BTreeMap<String, String>],
    (count_words, search_text, spill_dir): (bool, bool, Option<&Path>),
    cache: Option<&mut Memos>,
) -> (Vec<Arc<Rendered>>, Vec<Arc<Rendered>>) {
    let settings = body_settings(config, strings, count_words);
    let options = |kind, lang: usize| RenderOptions {
        search_text,
        ..render_options(config, &strings[lang], count_words, kind, spill_dir)
    };
    let cached = cache.as_deref().map(|c| &c.bodies);
    let no_text = Arc::new(String::new());
    let one =
        |key: &str, source: Option<&SourceFile>, text: &Arc<String>, offset: usize, kind, lang: usize| {
            cached
                .and_then(|c| c.get(key, settings[lang], kind, text, offset))
                .filter(|body| shortcodes.still_current(&body.reads))
                .unwrap_or_else(|| {
                    let page = Page {
                        display: source.map_or(Path::new(""), |s| s.display.as_path()),
                        rel: source.map_or("", |s| s.rel.as_str()),
                        text,
                        body_offset: offset,
                        lang,
                    };
                    Arc::new(shortcodes.render(&page, options(kind, lang)))
                })
        };
    let release = cache.is_none();
    let pages: Vec<Arc<Rendered>> = site
        .pages
        .par_iter_mut()
        .map(|p| {
            let body =
                one(&p.source.rel, Some(&p.source), &p.source.text, p.body_offset, p.meta.kind, p.lang);
            if release {
                p.source.release_text();
            }
            body
        })
        .collect();
    let section_key = |s: &crate::content::Section| format!("{}#section", s.index_path());
    fn section_text<'s>(s: &'s crate::content::Section, none: &'s Arc<String>) -> &'s Arc<String> {
        s.source.as_ref().map_or(none, |source| &source.text)
    }
    let sections: Vec<Arc<Rendered>> = site
        .sections
        .par_iter()
        .map(|s| {
            let text = section_text(s, &no_text);
            one(&section_key(s), s.source.as_ref(), text, s.body_offset, s.meta.kind, s.lang)
        })
        .collect();
    if let Some(cache) = cache {
        let memo = &mut cache.bodies;
        memo.clear();
        for (page, body) in site.pages.iter().zip(&pages) {
            let (kind, text) = (page.meta.kind, &page.source.text);
            memo.insert(page.source.rel.clone(), settings[page.lang], kind, text, page.body_offset, body);
        }
        for (section, body) in site.sections.iter().zip(&sections) {
            let (kind, text) = (section.meta.kind, section_text(section, &no_text));
            memo.insert(section_key(section), settings[section.lang], kind, text, section.body_offset, body);
        }
    }
    (pages, sections)
}

/// How the bodies of a language and kind are rendered (for full and quick rebuilds alike).
pub(crate) fn render_options<'a>(
    config: &'a Config,
    strings: &'a BTreeMap<String, String>,
    count_words: bool,
    kind: crate::front_matter::Kind,
    spill_dir: Option<&'a Path>,
) -> RenderOptions<'a> {
    RenderOptions {
        markdown: &config.markdown,
        highlight: config.highlight.enabled,
        kind,
        strings,
        count_words,
        search_text: config.search,
        files: None,
        spill_dir,
    }
}

/// Where large bodies' HTML waits until their pages are written: beside the output folder,
/// on its file system (see [`crate::markdown::Spilled`]).
pub(crate) fn spill_dir(options: &BuildOptions) -> Option<PathBuf> {
    crate::output::lexical_absolute(&options.output_dir()).parent().map(Path::to_path_buf)
}

/// Per language, a fingerprint of everything besides the text that shapes a rendered body.
fn body_settings(config: &Config, strings: &[BTreeMap<String, String>], count_words: bool) -> Vec<u64> {
    strings
        .iter()
        .map(|s| {
            let mut h = crate::cache::hasher();
            (&config.markdown, config.highlight.enabled, config.search, s, count_words).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Whether the templates show `word_count`, which is only counted then.
fn counts_words(theme: &Theme, root: &Path) -> bool {
    crate::templates::mention(theme, &root.join("templates"), "word_count")
}

/// Where this site's highlighted code blocks are kept between builds (one file per site root).
fn highlight_cache_file(config: &Config) -> Option<PathBuf> {
    let root = config.root.canonicalize().unwrap_or_else(|_| config.root.clone());
    let mut h = crate::cache::hasher();
    root.hash(&mut h);
    Some(crate::cache::cache_dir()?.join("highlight").join(format!("{:016x}.bin", h.finish())))
}

/// Rewrite an HTML output's root-relative URLs relative to its own place.
pub(crate) fn make_relative(o: Output, base_path: &str) -> Output {
    if !o.path.ends_with(".html") {
        return o;
    }
    let whole;
    let bytes = match &o.body {
        Body::Parts(parts) => match parts.to_vec() {
            Ok(bytes) => {
                whole = bytes;
                &whole[..]
            }
            // Left whole: writing it reads the body again and reports the failure.
            Err(_) => return o,
        },
        body => match body.in_memory() {
            Some(bytes) => bytes,
            None => return o,
        },
    };
    let html = String::from_utf8_lossy(bytes);
    let body = Body::Bytes(crate::relative::relativize(&html, &o.path, base_path).into_bytes());
    Output { path: o.path, body }
}

/// Static files by output path: the theme's, then the site's `static/` (the site wins).
fn static_files(theme: &Theme, root: &Path) -> BTreeMap<String, ThemeFile> {
    let mut files = theme.files("static");
    crate::theme::collect_dir(&root.join("static"), root, &mut files);
    files
}

/// Static files, content assets and bundle files, minus any a generated page shadows.
fn copies(
    config: &Config,
    site: &Site,
    statics: BTreeMap<String, ThemeFile>,
    produced: &HashSet<String>,
    diagnostics: &mut Diagnostics,
) -> Vec<Output> {
    let mut generated = Vec::new();
    if let Some(theme) = &config.highlight.theme {
        match markdown::highlight::stylesheet(theme) {
            Some(css) => generated.push(("highlight.css".to_string(), Body::Bytes(css.into_bytes()))),
            None => diagnostics.push(
                Diagnostic::error(format!("unknown highlight theme `{theme}` in `site.yaml`"))
                    .with_hint(format!("known themes: {}", markdown::highlight::theme_names().join(", "))),
            ),
        }
    }
    let mut taken: HashSet<String> = produced.clone();
    let mut copies = Vec::new();
    let mut push = |path: String, body: Body, what: &str, copies: &mut Vec<Output>| {
        if taken.insert(path.clone()) {
            copies.push(Output { path, body });
        } else {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "{what} `{path}` is shadowed by a generated page of the same path"
                ))
                .with_hint("rename or remove the file"),
            );
        }
    };
    for (path, body) in generated {
        push(path, body, "stylesheet", &mut copies);
    }
    let theme_dir = config.theme_dir();
    for (rel, file) in statics {
        let body = match (crate::theme::published_script(&rel, &file, &theme_dir), file) {
            (Some(text), _) => Body::Bytes(text.into_bytes()),
            (None, ThemeFile::Disk(path)) => Body::Copy(path),
            (None, ThemeFile::Builtin(bytes)) => Body::Static(bytes),
        };
        push(rel, body, "static file", &mut copies);
    }
    for asset in &site.assets {
        push(asset.rel.clone(), Body::Copy(asset.abs.clone()), "content file", &mut copies);
    }
    for page in &site.pages {
        let src_dir = page.source.rel.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
        let out_dir = page.output.trim_end_matches("index.html");
        for asset in &page.bundle_assets {
            let name = asset.rel.strip_prefix(&src_dir).unwrap_or(&asset.rel);
            push(format!("{out_dir}{name}"), Body::Copy(asset.abs.clone()), "bundle file", &mut copies);
        }
    }
    // Content images wider than a width of `images.widths` get resized copies beside them.
    let content_dir = config.content_dir();
    let images: Vec<(String, PathBuf, PathBuf)> = copies
        .iter()
        .filter_map(|o| match &o.body {
            Body::Copy(abs) if abs.starts_with(&content_dir) => {
                Some((o.path.clone(), abs.clone(), crate::source::display_path(abs, &config.root)))
            }
            _ => None,
        })
        .collect();
    let (resized, problems) = crate::media::resized_copies(&images, &config.images.widths);
    for (path, copy) in resized {
        push(path, Body::Copy(copy), "resized image", &mut copies);
    }
    diagnostics.extend(problems);
    copies
}

/// Theme strings for each language of the site, falling back to English key by key.
fn load_strings(
    config: &Config,
    theme: &Theme,
    diagnostics: &mut Diagnostics,
) -> Vec<BTreeMap<String, String>> {
    let files = theme.files("i18n");
    let read = |lang: &str| -> Result<Option<BTreeMap<String, String>>, Diagnostic> {
        let name = format!("{lang}.yaml");
        let Some(text) = files.get(&name).and_then(|f| f.read().ok()) else { return Ok(None) };
        yaml::from_str::<BTreeMap<String, String>>(&text).map(Some).map_err(|e| {
            let file = theme.display(&format!("i18n/{name}"), &config.root);
            Diagnostic::error(format!("invalid theme strings: {}", e.message)).at(
                crate::diagnostics::Location {
                    file,
                    line: e.line.unwrap_or(1),
                    column: e.column.unwrap_or(1),
                    length: 1,
                },
            )
        })
    };
    let english = match read("en") {
        Ok(map) => map.unwrap_or_default(),
        Err(d) => {
            diagnostics.push(d);
            BTreeMap::new()
        }
    };
    let mut all = Vec::new();
    for language in &config.languages {
        let mut strings = english.clone();
        if language.code != "en" {
            match read(&language.code) {
                Ok(Some(own)) => strings.extend(own),
                Ok(None) => diagnostics.push(
                    Diagnostic::warning(format!(
                        "the theme has no strings for `{}`; using English",
                        language.code
                    ))
                    .with_hint(format!("add `themes/{}/i18n/{}.yaml`", config.theme, language.code)),
                ),
                Err(d) => diagnostics.push(d),
            }
        }
        all.push(strings);
    }
    all
}

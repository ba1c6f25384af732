//! Render every output of the site, one submodule per kind of output:
//!
//! - [`page`]: the page of each Markdown page, with its JSON-LD;
//! - [`sections`]: section listings, taxonomy lists and term pages;
//! - [`paginate`]: splitting a listing into numbered pages;
//! - [`search`]: each language's search index and search page;
//! - [`feeds`]: `sitemap.xml` and the Atom feeds;
//! - [`aliases`]: redirect pages for `aliases:` and the `_redirects` file;
//! - [`values`]: the values every output shares (site, navigation, page summaries, terms,
//!   translations), made once per build and kept for quick rebuilds.
//!
//! This module drives them: [`render_all`] for a build, [`render_some`] for a quick rebuild.

mod aliases;
mod body;
mod feeds;
mod gov;
mod page;
mod paginate;
mod search;
mod sections;
mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::cache::OutputMemo;
use crate::config::Config;
use crate::content::{PageId, SectionId, Site};
use crate::diagnostics::Diagnostic;
use crate::guidance::jsonld::{self, KindFacts, PageFacts};
use crate::links::Resolved;
use crate::markdown::Rendered;
use crate::templates::Templates;

pub use aliases::alias_output;
pub use body::Spliced;
pub use feeds::{encode_non_ascii, feed_url};
pub use search::TakenText;
pub use values::{MENU_LIMIT, SiteValues};

use page::render_page;
use search::{every_search_output, search_page_again, update_search};
use sections::{collect_terms, render_section, render_taxonomy};
use values::{PageSummary, lookup, nav_value, shared_values, summary, term_index};

/// One file of the output, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// `/`-separated relative path (`faq/lost-card/index.html`).
    pub path: String,
    /// What goes there.
    pub body: Body,
}

/// The content of an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Bytes produced by the build.
    Bytes(Vec<u8>),
    /// Bytes produced by the build at a path named by a hash of them (the search index's
    /// files): a file an earlier build left at that path holds these very bytes.
    Named(Vec<u8>),
    /// A file copied as it is.
    Copy(std::path::PathBuf),
    /// A file of the built-in theme.
    Static(&'static [u8]),
    /// Text identical to what the previous build (of the same `watch`/`serve` session) wrote.
    Reused(Arc<str>),
    /// Text also kept for the next build of the session (so it is shared, not copied).
    Shared(Arc<str>),
    /// A large page kept in parts, written to its file one part after the other.
    Parts(Arc<Spliced>),
}

impl Body {
    /// The bytes, when they are in memory.
    pub fn in_memory(&self) -> Option<&[u8]> {
        match self {
            Body::Bytes(b) | Body::Named(b) => Some(b),
            Body::Static(b) => Some(b),
            Body::Reused(text) | Body::Shared(text) => Some(text.as_bytes()),
            Body::Copy(_) | Body::Parts(_) => None,
        }
    }
}

/// Everything rendering needs, borrowed from the earlier stages.
pub struct Inputs<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// The data files, the `data` value of templates.
    pub data: &'a crate::data::Data,
    /// The arena.
    pub site: &'a Site,
    /// Rendered page bodies, by page id.
    pub page_bodies: &'a [std::sync::Arc<Rendered>],
    /// Rendered section bodies, by section id.
    pub section_bodies: &'a [std::sync::Arc<Rendered>],
    /// Link resolution results.
    pub links: &'a Resolved,
    /// Theme strings, one map per language (in `Config::languages` order).
    pub strings: &'a [BTreeMap<String, String>],
    /// Build the search index (`check` does not: it writes nothing).
    pub search_index: bool,
    /// The pages' search text, when it was taken out of their bodies for the index to take
    /// (a build that keeps nothing for the next one); `None`: the index reads it in the bodies.
    pub taken_text: Option<&'a TakenText>,
}

/// Values shared by every output of one build.
struct Shared<'m> {
    /// Fingerprint of everything every output can see (templates, site values, lookups).
    fingerprint: u64,
    /// Outputs of the last build, when rebuilding with a cache.
    memo: Option<&'m OutputMemo<'m>>,
    /// What the site's pages and settings give every output.
    values: Arc<SiteValues>,
}

impl std::ops::Deref for Shared<'_> {
    type Target = SiteValues;

    fn deref(&self) -> &SiteValues {
        &self.values
    }
}

/// Where rendered outputs go: a staging writer for `build`, memory for `check` and `serve`.
/// Called from several threads at once.
pub type Emit<'a> = &'a (dyn Fn(Output) -> Result<(), Diagnostic> + Sync);

/// Render all outputs (without static files) and hand each to `emit` as soon as it is
/// ready, so that a large site never holds all its pages in memory. Every error is collected.
/// Returns the problems, and the site values for [`render_some`].
///
/// Longer than most functions: it is the build's list of outputs, in the order they are made
/// (which the parallel parts and the alias collision check depend on), read top to bottom.
pub fn render_all(
    inputs: &Inputs<'_>,
    templates: &mut Templates,
    emit: Emit<'_>,
    memo: Option<&OutputMemo<'_>>,
) -> (Vec<Diagnostic>, Arc<SiteValues>) {
    let Inputs { config, site, .. } = *inputs;
    let summaries: Vec<PageSummary> =
        site.pages.par_iter().map(|p| summary(config, &p.meta, &p.url, &p.source.rel)).collect();
    // One value per page, shared by every listing, lookup and neighbour that shows the page.
    let summary_values: Vec<Value> = summaries.par_iter().map(Value::from_serializable).collect();
    // The lookups, the term index and the taxonomy listings are independent of each other.
    let (lookup, (terms, taxonomies)) = rayon::join(
        || lookup(inputs, &summary_values),
        || rayon::join(|| term_index(config, site), || collect_terms(inputs)),
    );
    let lookup_fingerprint = memo.map(|_| lookup.fingerprint()).unwrap_or(0);
    templates.set_lookup(Arc::new(lookup));
    let (shared, mut diagnostics) =
        shared_values(inputs, templates, memo, summaries, summary_values, terms, lookup_fingerprint);
    let templates = &*templates;

    let collect = |results: Vec<Result<(), Diagnostic>>| results.into_iter().filter_map(Result::err);
    // The sitemap, the feeds and the search index are independent of the pages' HTML: made
    // meanwhile, they fill a core that would otherwise wait on the index build's serial steps
    // or at the end of the pages.
    let ((), ((sitemap_xml, feed_outputs), searches)) = rayon::join(
        || {
            diagnostics.extend(collect(
                (0..site.pages.len())
                    .into_par_iter()
                    .map(|p| render_page(inputs, &shared, templates, p).and_then(emit))
                    .collect(),
            ));
            diagnostics.extend(collect(
                (0..site.sections.len())
                    .into_par_iter()
                    .map(|s| render_section(inputs, &shared, templates, s).and_then(emit))
                    .collect(),
            ));
        },
        || {
            rayon::join(
                || (feeds::sitemap(inputs, &taxonomies), feeds::feeds(inputs)),
                || every_search_output(inputs, &shared, templates, emit),
            )
        },
    );
    let mut generated: std::collections::HashSet<String> =
        site.pages.iter().map(|p| p.output.clone()).collect();
    generated.extend(site.sections.iter().map(|s| s.output.clone()));
    for ((lang, name), terms) in &taxonomies {
        for result in render_taxonomy(inputs, &shared, templates, *lang, name, terms) {
            match result {
                Ok(o) => {
                    generated.insert(o.path.clone());
                    diagnostics.extend(emit(o).err());
                }
                Err(d) => diagnostics.push(d),
            }
        }
    }
    let mut ctx = base_context(inputs, &shared, 0, &config.url_for("404.html"), String::new());
    ctx.insert(
        "page_title",
        inputs.strings[0].get("page_not_found").map(String::as_str).unwrap_or("Page not found"),
    );
    // The switcher leads to each language's home; without a canonical URL, no `hreflang`.
    ctx.insert("translations", &values::fixed_translations(inputs, 0, ""));
    let mut fixed = vec![
        Output { path: "sitemap.xml".to_string(), body: Body::Bytes(sitemap_xml) },
        bytes(
            "robots.txt",
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                config.permalink(&config.url_for("sitemap.xml"))
            ),
        ),
    ];
    match templates.render("404.html", &ctx, "404.html") {
        Ok(html) => fixed.push(bytes("404.html", html)),
        Err(d) => diagnostics.push(d),
    }
    fixed.extend(feed_outputs);
    for search in searches {
        generated.extend(search.index_paths);
        diagnostics.extend(search.problems);
        match search.page {
            Ok(page) => fixed.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    accessibility_pages(inputs, &shared, templates, &mut fixed, &mut diagnostics);
    generated.extend(fixed.iter().map(|o| o.path.clone()));
    let (redirects, problems) = aliases::aliases(inputs, &generated);
    diagnostics.extend(problems);
    for output in fixed.into_iter().chain(redirects) {
        diagnostics.extend(emit(output).err());
    }
    (diagnostics, Arc::clone(&shared.values))
}

/// The accessibility statement of each language, when the site has one.
fn accessibility_pages(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    fixed: &mut Vec<Output>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let config = inputs.config;
    if let Some(statement) = &config.accessibility {
        for lang in 0..config.languages.len() {
            let path = format!("{}accessibility/index.html", config.language_prefix(lang));
            let url = config.url_for(path.trim_end_matches("index.html"));
            let title =
                inputs.strings[lang].get("accessibility").map(String::as_str).unwrap_or("Accessibility");
            let mut ctx = base_context(inputs, shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
            ctx.insert("statement", statement);
            ctx.insert("statement_permalink", &config.permalink(&url));
            ctx.insert("translations", &values::fixed_translations(inputs, lang, "accessibility/"));
            match templates.render("accessibility.html", &ctx, &path) {
                Ok(html) => fixed.push(bytes(&path, html)),
                Err(d) => diagnostics.push(d),
            }
        }
    }
}

/// Render `pages` alone, and update the search index of their languages for them: a quick
/// rebuild's work when an edit changed nothing else. Templates keep the lookups of the last
/// full render. Returns the outputs, and the paths of index files that are no longer part of
/// the index.
///
/// `values` are those of the last full render ([`render_all`] returns them), valid as long as
/// no front matter, section or setting changed since.
pub fn render_some(
    inputs: &Inputs<'_>,
    templates: &Templates,
    values: &Arc<SiteValues>,
    pages: &[PageId],
) -> Result<(Vec<Output>, Vec<String>), Vec<Diagnostic>> {
    let shared = Shared { fingerprint: 0, memo: None, values: Arc::clone(values) };
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for &p in pages {
        match render_page(inputs, &shared, templates, p) {
            Ok(output) => outputs.push(output),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut removed = Vec::new();
    let mut again = std::collections::BTreeSet::new();
    for &p in pages {
        let Some(update) = update_search(inputs, values, p) else { continue };
        outputs.extend(update.written);
        removed.extend(update.gone);
        if update.carried {
            again.insert(update.lang);
        }
    }
    // A search page carrying index files inline is made again (once) when they changed.
    for lang in again {
        outputs.push(search_page_again(inputs, &shared, templates, lang).map_err(|d| vec![d])?);
    }
    Ok((outputs, removed))
}

fn memoised(path: &str, (html, reused): (Arc<str>, bool)) -> Output {
    let body = if reused { Body::Reused(html) } else { Body::Shared(html) };
    Output { path: path.to_string(), body }
}

fn bytes(path: &str, text: String) -> Output {
    Output { path: path.to_string(), body: Body::Bytes(text.into_bytes()) }
}

fn iso(d: &Option<crate::front_matter::DateValue>) -> Option<String> {
    d.as_ref().map(|d| d.iso_date())
}

fn base_context(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    lang: usize,
    current_url: &str,
    jsonld: String,
) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", shared.site_value[lang].clone());
    ctx.insert_value("config", shared.site_value[lang].clone());
    ctx.insert("lang", &inputs.config.languages[lang].code);
    ctx.insert_value("t", shared.strings[lang].clone());
    ctx.insert_value("data", shared.data.clone());
    ctx.insert_value("nav", nav_value(shared, lang, current_url));
    ctx.insert("current_url", current_url);
    ctx.insert_value("jsonld", Value::from(jsonld));
    ctx
}

fn breadcrumbs(
    config: &Config,
    site: &Site,
    section: SectionId,
    last: Option<(&str, &str)>,
) -> Vec<(String, String)> {
    let mut crumbs: Vec<(String, String)> = site
        .section_chain(section)
        .into_iter()
        .map(|s| (site.sections[s].meta.title.clone(), config.permalink(&site.sections[s].url)))
        .collect();
    if let Some((title, url)) = last {
        crumbs.push((title.to_string(), config.permalink(url)));
    }
    crumbs
}

fn publisher(config: &Config) -> Option<(&str, Option<&str>)> {
    config.organization.as_ref().map(|o| (o.name.as_str(), o.url.as_deref()))
}

/// The JSON-LD graph of a generated page that is neither a page nor a section.
fn plain_jsonld(inputs: &Inputs<'_>, lang: usize, title: &str, url: &str) -> String {
    let Inputs { config, site, .. } = *inputs;
    let permalink = config.permalink(url);
    let facts = PageFacts {
        permalink: &permalink,
        title,
        description: "",
        language: &config.languages[lang].code,
        published: None,
        modified: None,
        last_reviewed: None,
        breadcrumbs: breadcrumbs(config, site, site.homes[lang], Some((title, url))),
        publisher: publisher(config),
        kind: KindFacts::None,
    };
    jsonld::graph(&facts)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// A small site rendered in memory, for the tests of each kind of output.
#[cfg(test)]
mod fixture {
    use super::Output;

    /// Render a site made of `files` (paths relative to its root) with the default theme.
    pub(super) fn render(files: &[(&str, &str)]) -> Vec<Output> {
        let dir = tempfile::tempdir().expect("temporary folder");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
            std::fs::write(path, text).expect("a file");
        }
        let options = crate::build::BuildOptions { root: dir.path().to_path_buf(), ..Default::default() };
        crate::build::render_site(&options).expect("the site renders").outputs
    }

    /// The text of output `path`.
    pub(super) fn text<'a>(outputs: &'a [Output], path: &str) -> &'a str {
        let output = outputs.iter().find(|o| o.path == path).unwrap_or_else(|| panic!("no output {path}"));
        std::str::from_utf8(output.body.in_memory().expect("in memory")).expect("UTF-8")
    }

    /// A page's source: front matter `fields` and a body.
    pub(super) fn page(fields: &str, body: &str) -> String {
        format!("---\n{fields}\n---\n{body}\n")
    }
}

//! Render every output of the site: pages, sections, taxonomies, 404, sitemap, robots.txt.
//!
//! Template contexts are built from page metadata and rendered bodies; shared values (site,
//! navigation, theme strings) are converted once and cloned cheaply per page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::cache::OutputMemo;
use crate::config::Config;
use crate::content::{PageId, SectionId, Site};
use crate::diagnostics::Diagnostic;
use crate::front_matter::{Change, FrontMatter, Kind, Status};
use crate::guidance::jsonld::{self, KindFacts, PageFacts};
use crate::links::{DocRef, Resolved};
use crate::markdown::{self, Rendered, TocEntry};
use crate::templates::{Lookup, Templates, format_date};
use crate::text::{escape_html, slugify};

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
    /// A file copied as it is.
    Copy(std::path::PathBuf),
    /// A file of the built-in theme.
    Static(&'static [u8]),
    /// Text identical to what the previous build (of the same `watch`/`serve` session) wrote.
    Reused(Arc<str>),
    /// Text also kept for the next build of the session (so it is shared, not copied).
    Shared(Arc<str>),
}

impl Body {
    /// The bytes, when they are in memory.
    pub fn in_memory(&self) -> Option<&[u8]> {
        match self {
            Body::Bytes(b) => Some(b),
            Body::Static(b) => Some(b),
            Body::Reused(text) | Body::Shared(text) => Some(text.as_bytes()),
            Body::Copy(_) => None,
        }
    }
}

/// Everything rendering needs, borrowed from the earlier stages.
pub struct Inputs<'a> {
    /// Site configuration.
    pub config: &'a Config,
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
}

/// A title and where it links. Views borrow their strings from the site: a page's view is
/// serialised into template values once, and copying its strings first cost 3% of a build.
#[derive(Serialize, Clone, Copy)]
struct LinkView<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct TermRef<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

#[derive(Serialize)]
struct BacklinkView<'a> {
    title: &'a str,
    url: &'a str,
    text: &'a str,
    anchor: &'a str,
}

#[derive(Serialize)]
struct CiteView<'a> {
    title: &'a str,
    url: String,
    law_title: &'a str,
}

#[derive(Serialize)]
struct StepsView<'a> {
    time_required: Option<&'a str>,
    cost: Option<&'a str>,
    you_need: &'a [String],
    count: usize,
}

#[derive(Serialize)]
struct LawView<'a> {
    law_title: &'a str,
    enacted: Option<String>,
    amended: Option<String>,
    source_url: Option<&'a str>,
    authoritative: bool,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    path: &'a str,
    kind: &'static str,
    status: &'static str,
    replaced_by: Option<LinkView<'a>>,
    content: String,
    summary: String,
    toc: &'a [TocEntry],
    date: Option<String>,
    updated: Option<String>,
    date_display: Option<String>,
    updated_display: Option<String>,
    review_by: Option<String>,
    owner: Option<&'a str>,
    weight: Option<i64>,
    /// The page's terms by taxonomy; `page_value` puts in each term's shared value
    /// (`{name, slug, url}`).
    taxonomies: &'a BTreeMap<String, Vec<String>>,
    extra: &'a serde_json::Value,
    /// These four are ids here (enough to fingerprint the view, as the shared fingerprint holds
    /// every page's and section's title and URL); `page_value` puts in the shared values.
    ancestors: SectionId,
    section: SectionId,
    prev: Option<PageId>,
    next: Option<PageId>,
    backlinks: Vec<BacklinkView<'a>>,
    related: Vec<PageId>,
    cites: Vec<CiteView<'a>>,
    steps: Option<StepsView<'a>>,
    law: Option<LawView<'a>>,
    changes: &'a [Change],
    translations: Vec<TranslationView>,
    word_count: usize,
}

#[derive(Serialize, Clone)]
struct PageSummary {
    title: String,
    description: String,
    url: String,
    permalink: String,
    path: String,
    date: Option<String>,
    updated: Option<String>,
    kind: &'static str,
    weight: Option<i64>,
}

#[derive(Serialize)]
struct SubsectionView {
    title: String,
    description: String,
    url: String,
    page_count: usize,
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    path: String,
    content: String,
    summary: String,
    pages: Vec<PageSummary>,
    subsections: Vec<SubsectionView>,
    ancestors: Vec<LinkView<'a>>,
    extra: &'a serde_json::Value,
    feed_url: Option<String>,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    active: bool,
}

#[derive(Serialize, Clone)]
struct TermView {
    name: String,
    slug: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyView {
    name: String,
    title: String,
    url: String,
    terms: Vec<TermView>,
}

#[derive(Serialize)]
struct Paginator {
    pages: Vec<PageSummary>,
    current_index: usize,
    number_pagers: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    taxonomies: &'a [String],
    extra: &'a serde_json::Value,
    organization: Option<&'a crate::config::Organization>,
    home_url: &'a str,
    languages: &'a [crate::config::Language],
    feedback_url: Option<&'a str>,
    accessibility_url: Option<String>,
    search_url: Option<String>,
}

/// The header navigation of one language: its home's sections, then weighted root pages.
/// The most entries the header menu shows; a site with more lists the first ones and a link
/// to all topics on the home page. A menu of dozens of links is hard to scan and to tab
/// through, and it was repeated in every page of the site.
pub const MENU_LIMIT: usize = 8;

/// The header menu: top-level sections, then top-level pages with a weight, at most
/// [`MENU_LIMIT`] entries (the last one then leads to all topics, titled `all_topics`).
fn navigation(site: &Site, home: SectionId, all_topics: &str) -> Vec<(String, String)> {
    let sections = site.sections[home]
        .subsections
        .iter()
        .map(|&s| (&site.sections[s].meta.title, &site.sections[s].url));
    let pages = site.sections[home]
        .pages
        .iter()
        .filter(|&&p| site.pages[p].meta.weight.is_some())
        .map(|&p| (&site.pages[p].meta.title, &site.pages[p].url));
    let mut menu: Vec<(String, String)> =
        sections.chain(pages).map(|(t, u)| (t.clone(), u.clone())).collect();
    if menu.len() > MENU_LIMIT {
        menu.truncate(MENU_LIMIT - 1);
        menu.push((all_topics.to_string(), format!("{}#sp-sections-heading", site.sections[home].url)));
    }
    menu
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

/// The values every output of a build shares that depend on the site alone (its settings,
/// front matter and sections), not on templates or bodies: kept between builds for quick
/// rebuilds, which would otherwise make them again for every page of the site.
pub struct SiteValues {
    /// Per language: the `site` value, the theme strings, the header navigation.
    site_value: Vec<Value>,
    strings: Vec<Value>,
    nav: Vec<Vec<(String, String)>>,
    /// The `nav` value by language and the indexes of its active items: a page shows one of
    /// only a few, and serialising the menu afresh for each page was a tenth of its rendering.
    nav_values: std::sync::Mutex<HashMap<(usize, Vec<usize>), Value>>,
    summaries: Vec<PageSummary>,
    terms: TermIndex,
    /// The values pages show of other pages and sections, made once rather than for each page
    /// that shows them.
    links: LinkValues,
}

/// Per page: its summary (the value section listings show, and `prev`, `next` and `related`
/// too) and its neighbours in its section; per section: `{title, url}` and the `ancestors`
/// list of the pages in it.
struct LinkValues {
    page: Vec<Value>,
    neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    section: Vec<Value>,
    ancestors: Vec<Value>,
}

fn link_values(site: &Site, page: Vec<Value>) -> LinkValues {
    let mut neighbours = vec![(None, None); site.pages.len()];
    for section in &site.sections {
        for (i, &p) in section.pages.iter().enumerate() {
            let prev = i.checked_sub(1).map(|i| section.pages[i]);
            neighbours[p] = (prev, section.pages.get(i + 1).copied());
        }
    }
    let section = (0..site.sections.len())
        .map(|s| Value::from_serializable(&doc_link(site, DocRef::Section(s))))
        .collect::<Vec<_>>();
    let ancestors = (0..site.sections.len())
        .map(|s| {
            Value::from(site.section_chain(s).into_iter().map(|a| section[a].clone()).collect::<Vec<_>>())
        })
        .collect();
    LinkValues { page, neighbours, section, ancestors }
}

/// A taxonomy's terms: slug → (name, pages).
type Terms = BTreeMap<String, (String, Vec<PageId>)>;

/// Where rendered outputs go: a staging writer for `build`, memory for `check` and `serve`.
/// Called from several threads at once.
pub type Emit<'a> = &'a (dyn Fn(Output) -> Result<(), Diagnostic> + Sync);

/// Render all outputs (without static files) and hand each to `emit` as soon as it is
/// ready, so that a large site never holds all its pages in memory. Every error is collected.
/// Returns the problems, and the site values for [`render_some`].
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
    let shared = shared_values(inputs, templates, memo, summaries, summary_values, terms, lookup_fingerprint);
    let templates = &*templates;

    let collect = |results: Vec<Result<(), Diagnostic>>| results.into_iter().filter_map(Result::err);
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    // The sitemap and feeds need no template: made meanwhile, they fill a core that would
    // otherwise wait at the end of the pages.
    let ((), (sitemap_xml, feed_outputs)) = rayon::join(
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
        || (sitemap(inputs, &taxonomies), feeds(inputs)),
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
    let mut fixed = vec![
        bytes("sitemap.xml", sitemap_xml),
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
    if config.search {
        for lang in 0..config.languages.len() {
            match search_outputs(inputs, &shared, templates, lang) {
                Ok(outputs) => fixed.extend(outputs),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    if let Some(statement) = &config.accessibility {
        for lang in 0..config.languages.len() {
            let path = format!("{}accessibility/index.html", config.language_prefix(lang));
            let url = config.url_for(path.trim_end_matches("index.html"));
            let title =
                inputs.strings[lang].get("accessibility").map(String::as_str).unwrap_or("Accessibility");
            let mut ctx = base_context(inputs, &shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
            ctx.insert("statement", statement);
            ctx.insert("statement_permalink", &config.permalink(&url));
            match templates.render("accessibility.html", &ctx, &path) {
                Ok(html) => fixed.push(bytes(&path, html)),
                Err(d) => diagnostics.push(d),
            }
        }
    }
    generated.extend(fixed.iter().map(|o| o.path.clone()));
    let (redirects, problems) = aliases(inputs, &generated);
    diagnostics.extend(problems);
    for output in fixed.into_iter().chain(redirects) {
        diagnostics.extend(emit(output).err());
    }
    (diagnostics, Arc::clone(&shared.values))
}

/// The values every output of one build shares (the lookup functions are set already).
fn site_values(
    inputs: &Inputs<'_>,
    summaries: Vec<PageSummary>,
    summary_values: Vec<Value>,
    terms: TermIndex,
) -> SiteValues {
    let Inputs { config, site, .. } = *inputs;
    let site_value = (0..config.languages.len())
        .map(|lang| {
            let language = &config.languages[lang];
            Value::from_serializable(&SiteView {
                title: language.title.as_deref().unwrap_or(&config.title),
                description: language.description.as_deref().unwrap_or(&config.description),
                base_url: &config.base_url,
                base_path: &config.base_path,
                language: &language.code,
                home_url: &site.sections[site.homes[lang]].url,
                languages: &config.languages,
                feedback_url: config.feedback_url.as_deref(),
                accessibility_url: config
                    .accessibility
                    .as_ref()
                    .map(|_| format!("{}accessibility/", site.sections[site.homes[lang]].url)),
                search_url: config.search.then(|| format!("{}search/", site.sections[site.homes[lang]].url)),
                taxonomies: &config.taxonomies,
                extra: &config.extra,
                organization: config.organization.as_ref(),
            })
        })
        .collect();
    let nav: Vec<Vec<(String, String)>> = site
        .homes
        .iter()
        .enumerate()
        .map(|(lang, &home)| {
            let all_topics =
                inputs.strings[lang].get("all_topics").map(String::as_str).unwrap_or("All topics");
            navigation(site, home, all_topics)
        })
        .collect();
    SiteValues {
        site_value,
        strings: inputs.strings.iter().map(Value::from_serializable).collect(),
        nav,
        nav_values: Default::default(),
        summaries,
        terms,
        links: link_values(site, summary_values),
    }
}

/// The shared values of a full render.
fn shared_values<'m>(
    inputs: &Inputs<'m>,
    templates: &Templates,
    memo: Option<&'m OutputMemo<'m>>,
    summaries: Vec<PageSummary>,
    summary_values: Vec<Value>,
    terms: TermIndex,
    lookup_fingerprint: u64,
) -> Shared<'m> {
    let values = site_values(inputs, summaries, summary_values, terms);
    let fingerprint = memo
        .map(|_| {
            crate::cache::fingerprint(
                &(&values.site_value, inputs.strings, &values.nav, &values.summaries),
                (templates.fingerprint, lookup_fingerprint),
            )
        })
        .unwrap_or(0);
    Shared { fingerprint, memo, values: Arc::new(values) }
}

/// Render `pages` alone, plus the search outputs of `search_languages`: a quick rebuild's
/// work when an edit changed nothing else. Templates keep the lookups of the last full render.
///
/// `values` are those of the last full render ([`render_all`] returns them), valid as long as
/// no front matter, section or setting changed since.
pub fn render_some(
    inputs: &Inputs<'_>,
    templates: &Templates,
    values: &Arc<SiteValues>,
    pages: &[PageId],
    search_languages: &[usize],
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let shared = Shared { fingerprint: 0, memo: None, values: Arc::clone(values) };
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    for &p in pages {
        match render_page(inputs, &shared, templates, p) {
            Ok(output) => outputs.push(output),
            Err(d) => problems.push(d),
        }
    }
    for &lang in search_languages {
        match search_outputs(inputs, &shared, templates, lang) {
            Ok(found) => outputs.extend(found),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() { Ok(outputs) } else { Err(problems) }
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

fn summary(config: &Config, meta: &FrontMatter, url: &str, path: &str) -> PageSummary {
    PageSummary {
        title: meta.title.clone(),
        description: meta.description.clone(),
        url: url.to_string(),
        permalink: config.permalink(url),
        path: path.to_string(),
        date: iso(&meta.date),
        updated: iso(&meta.updated),
        kind: meta.kind.as_str(),
        weight: meta.weight,
    }
}

fn lookup(inputs: &Inputs<'_>, summary_values: &[Value]) -> Lookup {
    let site = inputs.site;
    let mut l = Lookup { base_path: inputs.config.base_path.clone(), ..Lookup::default() };
    l.pages = site
        .pages
        .par_iter()
        .zip(summary_values)
        .map(|(page, value)| (page.source.rel.clone(), value.clone()))
        .collect();
    // A section's `pages` are the pages' own values again (shared, not copied): serialising
    // every listing anew held each page summary twice.
    l.sections = (0..site.sections.len())
        .into_par_iter()
        .map(|id| {
            let section = &site.sections[id];
            let view = section_view(inputs, &[], id, String::new());
            let mut map = Value::from_serializable(&view).into_map().unwrap_or_default();
            let pages: Vec<Value> = section.pages.iter().map(|&p| summary_values[p].clone()).collect();
            map.insert(tera::value::Key::Str("pages"), Value::from(pages));
            (section.index_path(), Value::from(map))
        })
        .collect();
    for page in &site.pages {
        l.urls.insert(page.source.rel.clone(), page.url.clone());
    }
    for section in &site.sections {
        l.urls.insert(section.index_path(), section.url.clone());
    }
    for asset in &site.assets {
        l.urls.insert(asset.rel.clone(), inputs.config.url_for(&asset.rel));
    }
    l
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
    ctx.insert_value("nav", nav_value(shared, lang, current_url));
    ctx.insert("current_url", current_url);
    ctx.insert_value("jsonld", Value::from(jsonld));
    ctx
}

/// The header navigation for a page at `current_url`, its own section marked active.
fn nav_value(shared: &Shared<'_>, lang: usize, current_url: &str) -> Value {
    let items = &shared.nav[lang];
    let active: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, (_, url))| current_url.starts_with(url.as_str()))
        .map(|(i, _)| i)
        .collect();
    let key = (lang, active);
    if let Some(value) = shared.nav_values.lock().ok().and_then(|values| values.get(&key).cloned()) {
        return value;
    }
    let nav: Vec<NavItem> = items
        .iter()
        .enumerate()
        .map(|(i, (title, url))| NavItem {
            title: title.clone(),
            url: url.clone(),
            active: key.1.contains(&i),
        })
        .collect();
    let value = Value::from_serializable(&nav);
    if let Ok(mut values) = shared.nav_values.lock() {
        values.insert(key, value.clone());
    }
    value
}

fn ancestors(site: &Site, section: SectionId) -> Vec<LinkView<'_>> {
    site.section_chain(section).into_iter().map(|s| doc_link(site, DocRef::Section(s))).collect()
}

fn doc_link(site: &Site, doc: DocRef) -> LinkView<'_> {
    match doc {
        DocRef::Page(p) => LinkView { title: &site.pages[p].meta.title, url: &site.pages[p].url },
        DocRef::Section(s) => LinkView { title: &site.sections[s].meta.title, url: &site.sections[s].url },
    }
}

fn term_url(config: &Config, lang: usize, taxonomy: &str, slug: &str) -> String {
    config.url_for(&format!("{}{taxonomy}/{slug}/", config.language_prefix(lang)))
}

/// The value of one term as a page shows it: `{name, slug, url}`.
fn term_value(config: &Config, lang: usize, taxonomy: &str, term: &str) -> Value {
    let slug = slugify(term);
    let url = term_url(config, lang, taxonomy, &slug);
    Value::from_serializable(&TermRef { name: config.term_name(lang, term), slug: &slug, url })
}

/// Taxonomy terms as the pages show them, and the index for choosing related pages.
struct TermIndex {
    related: crate::related::RelatedIndex,
    /// Every term's value by language, taxonomy and name, made once rather than on each page
    /// that shows the term.
    values: Vec<HashMap<String, HashMap<String, Value>>>,
}

impl TermIndex {
    /// The taxonomies value of a page in language `lang` with `terms`.
    fn page_value(&self, config: &Config, lang: usize, terms: &BTreeMap<String, Vec<String>>) -> Value {
        let mut map = tera::value::Map::with_capacity_and_hasher(terms.len(), Default::default());
        for (taxonomy, names) in terms {
            let known = self.values.get(lang).and_then(|by_taxonomy| by_taxonomy.get(taxonomy));
            let values: Vec<Value> = names
                .iter()
                .map(|name| {
                    known
                        .and_then(|values| values.get(name).cloned())
                        .unwrap_or_else(|| term_value(config, lang, taxonomy, name))
                })
                .collect();
            map.insert(tera::value::Key::String(Arc::from(taxonomy.as_str())), Value::from(values));
        }
        Value::from(map)
    }
}

fn term_index(config: &Config, site: &Site) -> TermIndex {
    let mut ids: HashMap<(&str, &str), u32> = HashMap::new();
    let candidates = site
        .pages
        .iter()
        .map(|page| {
            let terms = page
                .meta
                .taxonomies
                .iter()
                .flat_map(|(taxonomy, terms)| {
                    terms.iter().map(move |term| (taxonomy.as_str(), term.as_str()))
                })
                .map(|key| {
                    let next = ids.len() as u32;
                    *ids.entry(key).or_insert(next)
                })
                .collect();
            crate::related::Candidate {
                lang: page.lang,
                section: page.section,
                terms,
                listed: page.meta.status == Status::Published,
            }
        })
        .collect();
    let section_pages: Vec<Vec<PageId>> = site.sections.iter().map(|s| s.pages.clone()).collect();
    let mut values: Vec<HashMap<String, HashMap<String, Value>>> =
        vec![HashMap::new(); config.languages.len()];
    for page in &site.pages {
        for (taxonomy, names) in &page.meta.taxonomies {
            let Some(by_taxonomy) = values.get_mut(page.lang) else { continue };
            let by_name = by_taxonomy.entry(taxonomy.clone()).or_default();
            for name in names {
                if !by_name.contains_key(name) {
                    by_name.insert(name.clone(), term_value(config, page.lang, taxonomy, name));
                }
            }
        }
    }
    TermIndex { related: crate::related::RelatedIndex::new(candidates, &section_pages), values }
}

fn render_page(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    p: PageId,
) -> Result<Output, Diagnostic> {
    let Inputs { config, site, links, .. } = *inputs;
    let page = &site.pages[p];
    let meta = &page.meta;
    let lang_code = config.languages[page.lang].code.as_str();
    let body = &inputs.page_bodies[p];
    let (prev, next) = shared.links.neighbours[p];
    let permalink = config.permalink(&page.url);
    let view = PageView {
        title: &meta.title,
        description: &meta.description,
        url: &page.url,
        permalink: permalink.clone(),
        path: &page.source.rel,
        kind: meta.kind.as_str(),
        status: match meta.status {
            Status::Published => "published",
            Status::Withdrawn => "withdrawn",
            Status::Gone => "gone",
        },
        replaced_by: links.replaced_by[p].map(|doc| doc_link(site, doc)),
        // Filled in below, after the memo had its chance: these are the expensive parts.
        content: String::new(),
        summary: String::new(),
        toc: &body.toc,
        date: iso(&meta.date),
        updated: iso(&meta.updated),
        date_display: meta.date.as_ref().map(|d| format_date(&d.iso_date(), lang_code)),
        updated_display: meta.updated.as_ref().map(|d| format_date(&d.iso_date(), lang_code)),
        review_by: iso(&meta.review_by),
        owner: meta.owner.as_deref(),
        weight: meta.weight,
        taxonomies: &meta.taxonomies,
        extra: &meta.extra,
        ancestors: page.section,
        section: page.section,
        prev,
        next,
        backlinks: links.backlinks[p]
            .iter()
            .filter({
                let mut seen = BTreeSet::new();
                move |b| seen.insert((b.source, b.anchor.as_str()))
            })
            .map(|b| {
                let l = doc_link(site, b.source);
                BacklinkView { title: l.title, url: l.url, text: &b.text, anchor: &b.anchor }
            })
            .collect(),
        related: shared.terms.related.related(p, &links.related[p]),
        cites: links.cites[p]
            .iter()
            .map(|(law, anchor)| {
                let law_page = &site.pages[*law];
                let title = inputs.page_bodies[*law]
                    .headings
                    .iter()
                    .find(|h| &h.id == anchor)
                    .map_or(anchor.as_str(), |h| h.title.as_str());
                CiteView {
                    title,
                    url: format!("{}#{}", law_page.url, anchor),
                    law_title: law_page.meta.law_title.as_deref().unwrap_or(&law_page.meta.title),
                }
            })
            .collect(),
        steps: (meta.kind == Kind::Steps).then(|| StepsView {
            time_required: meta.time_required.as_deref(),
            cost: meta.cost.as_deref(),
            you_need: &meta.you_need,
            count: body.step_count,
        }),
        law: (meta.kind == Kind::Law).then(|| LawView {
            law_title: meta.law_title.as_deref().unwrap_or(&meta.title),
            enacted: iso(&meta.enacted),
            amended: iso(&meta.amended),
            source_url: meta.source_url.as_deref(),
            authoritative: meta.authoritative,
        }),
        changes: &meta.changes,
        translations: translations(inputs, page.lang, &page.key),
        word_count: body.word_count,
    };
    let template = meta.template.as_deref().unwrap_or("page.html");
    // Everything the output depends on beyond the view: the body (by id), where its links
    // point, and the shared values. The content and JSON-LD derive from these.
    let fp = shared.memo.map(|memo| {
        let view = memo.view(&page.output, || {
            crate::cache::fingerprint(&view, (body.id, &links.page_urls[p], template, page.lang))
        });
        (crate::cache::combine(shared.fingerprint, view), view)
    });
    if let (Some(memo), Some((fp, _))) = (shared.memo, fp)
        && let Some(html) = memo.reuse(&page.output, fp)
    {
        return Ok(memoised(&page.output, (html, true)));
    }
    let mut view = view;
    view.content = markdown::fill_links(&body.html, &body.links, &links.page_urls[p]);
    if meta.kind == Kind::Law {
        view.content = fill_cited_by(inputs, p, &view.content);
    }
    view.summary = match &body.summary {
        Some(s) => markdown::fill_links(s, &body.links, &links.page_urls[p]),
        None if !meta.description.is_empty() => format!("<p>{}</p>", escape_html(&meta.description)),
        None => String::new(),
    };
    let jsonld = page_jsonld(inputs, p, &view.content, &permalink);
    // Room for the body and the page around it, so the output rarely grows while written.
    let size_hint = view.content.len() + 16 * 1024;
    let context = move || {
        let mut ctx = base_context(inputs, shared, page.lang, &page.url, jsonld);
        ctx.insert_value("page", page_value(view, shared, config, page.lang));
        ctx
    };
    match (shared.memo, fp) {
        (Some(memo), Some(fp)) => {
            let render = || templates.render(template, &context(), &page.source.rel);
            Ok(memoised(&page.output, memo.get_or_render(&page.output, fp, render)?))
        }
        _ => {
            let html = templates.render_bytes(template, &context(), &page.source.rel, size_hint)?;
            Ok(Output { path: page.output.clone(), body: Body::Bytes(html) })
        }
    }
}

/// The `page` value of a page's template. The body HTML, its largest part, moves into the
/// value rather than being serialised (copied) with the rest.
fn page_value(mut view: PageView<'_>, shared: &SiteValues, config: &Config, lang: usize) -> Value {
    use tera::value::Key;
    let links = &shared.links;
    let content = std::mem::take(&mut view.content);
    let mut map = Value::from_serializable(&view).into_map().unwrap_or_default();
    map.insert(Key::Str("content"), Value::from(content));
    map.insert(Key::Str("taxonomies"), shared.terms.page_value(config, lang, view.taxonomies));
    // Replacing a key keeps its place in the map.
    let page_link = |p: Option<PageId>| p.map_or_else(Value::none, |p| links.page[p].clone());
    map.insert(Key::Str("ancestors"), links.ancestors[view.ancestors].clone());
    map.insert(Key::Str("section"), links.section[view.section].clone());
    map.insert(Key::Str("prev"), page_link(view.prev));
    map.insert(Key::Str("next"), page_link(view.next));
    let related: Vec<Value> = view.related.iter().map(|&q| links.page[q].clone()).collect();
    map.insert(Key::Str("related"), Value::from(related));
    Value::from(map)
}

/// Fill each law article's `cited by` marker with the guidance that cites it.
fn fill_cited_by(inputs: &Inputs<'_>, p: PageId, html: &str) -> String {
    const OPEN: &str = "<!--sp-cited-by:";
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let title = inputs.strings[inputs.site.pages[p].lang]
        .get("guidance_citing_article")
        .map(String::as_str)
        .unwrap_or("Guidance that cites this article");
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find("-->") else { break };
        let anchor = &after[..end];
        let article =
            inputs.page_bodies[p].headings.iter().find(|h| h.id == anchor).map(|h| h.title.as_str());
        let title = title.replace("{article}", article.unwrap_or(anchor));
        let citing: Vec<LinkView> = inputs.links.backlinks[p]
            .iter()
            .filter(|b| b.anchor == anchor && matches!(b.source, DocRef::Page(_)))
            .map(|b| doc_link(inputs.site, b.source))
            .collect();
        if !citing.is_empty() {
            let _ = write!(
                out,
                "<aside class=\"sp-cited-by\" aria-label=\"{}\"><p class=\"sp-cited-by-title\">{}</p><ul>",
                escape_html(&title),
                escape_html(&title)
            );
            let mut seen = BTreeSet::new();
            for link in citing {
                if seen.insert(link.url) {
                    let _ = write!(
                        out,
                        "<li><a href=\"{}\">{}</a></li>",
                        escape_html(link.url),
                        escape_html(link.title)
                    );
                }
            }
            out.push_str("</ul></aside>\n");
        }
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    out
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

fn page_jsonld(inputs: &Inputs<'_>, p: PageId, content: &str, permalink: &str) -> String {
    let Inputs { config, site, .. } = *inputs;
    let page = &site.pages[p];
    let meta = &page.meta;
    let body = &inputs.page_bodies[p];
    let h2s = || body.headings.iter().filter(|h| h.level == 2);
    let kind = match meta.kind {
        Kind::Guide => KindFacts::None,
        Kind::Steps => KindFacts::Steps {
            steps: if h2s().count() > 0 {
                h2s().enumerate().map(|(i, h)| (h.title.clone(), format!("step-{}", i + 1))).collect()
            } else {
                (1..=body.step_count).map(|i| (format!("Step {i}"), format!("step-{i}"))).collect()
            },
            supplies: &meta.you_need,
        },
        Kind::Faq => KindFacts::Faq(faq_entries(content, h2s().map(|h| h.title.clone()).collect())),
        Kind::Law => KindFacts::Law {
            title: meta.law_title.as_deref().unwrap_or(&meta.title),
            enacted: iso(&meta.enacted),
            amended: iso(&meta.amended),
            articles: body
                .headings
                .iter()
                .filter(|h| h.id.starts_with("article-"))
                .map(|h| (h.title.clone(), h.id.clone()))
                .collect(),
        },
    };
    let facts = PageFacts {
        permalink,
        title: &meta.title,
        description: &meta.description,
        language: &config.languages[page.lang].code,
        published: iso(&meta.date),
        modified: iso(&meta.updated).or_else(|| iso(&meta.date)),
        last_reviewed: meta.review_by.as_ref().and(iso(&meta.updated).or_else(|| iso(&meta.date))),
        breadcrumbs: breadcrumbs(config, site, page.section, Some((&meta.title, &page.url))),
        publisher: publisher(config),
        kind,
    };
    jsonld::graph(&facts)
}

/// Pair FAQ questions with their answers' plain text, read back from the rendered body.
fn faq_entries(content: &str, questions: Vec<String>) -> Vec<(String, String)> {
    let answers: Vec<String> = content
        .split("<div class=\"sp-faq-answer\">")
        .skip(1)
        .map(|chunk| strip_tags(chunk.split("</details>").next().unwrap_or("")))
        .collect();
    questions.into_iter().zip(answers.into_iter().chain(std::iter::repeat(String::new()))).collect()
}

/// Plain text of an HTML fragment, whitespace collapsed and entities decoded for the common five.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace(" .", ".").replace(" ,", ",")
}

fn section_view<'a>(
    inputs: &'a Inputs<'_>,
    summaries: &[PageSummary],
    s: SectionId,
    content: String,
) -> SectionView<'a> {
    let Inputs { config, site, .. } = *inputs;
    let section = &site.sections[s];
    let body = &inputs.section_bodies[s];
    let summary_html = match &body.summary {
        Some(sum) => markdown::fill_links(sum, &body.links, &inputs.links.section_urls[s]),
        None if !section.meta.description.is_empty() => {
            format!("<p>{}</p>", escape_html(&section.meta.description))
        }
        None => String::new(),
    };
    SectionView {
        title: &section.meta.title,
        description: &section.meta.description,
        url: &section.url,
        permalink: config.permalink(&section.url),
        path: section.index_path(),
        content,
        summary: summary_html,
        // Left empty when no summaries are given (the caller fills them in).
        pages: section.pages.iter().filter_map(|&p| summaries.get(p).cloned()).collect(),
        subsections: section
            .subsections
            .iter()
            .map(|&c| SubsectionView {
                title: site.sections[c].meta.title.clone(),
                description: site.sections[c].meta.description.clone(),
                url: site.sections[c].url.clone(),
                page_count: site.sections[c].pages.len(),
            })
            .collect(),
        ancestors: match section.parent {
            Some(parent) => ancestors(site, parent),
            None => Vec::new(),
        },
        extra: &section.meta.extra,
        feed_url: (section.meta.feed && section.parent.is_some()).then(|| feed_url(&section.url)),
    }
}

fn render_section(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    s: SectionId,
) -> Result<Output, Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    let section = &site.sections[s];
    let body = &inputs.section_bodies[s];
    let content = markdown::fill_links(&body.html, &body.links, &inputs.links.section_urls[s]);
    let view = section_view(inputs, &shared.summaries, s, content);
    let facts = PageFacts {
        permalink: &view.permalink,
        title: &section.meta.title,
        description: &section.meta.description,
        language: &config.languages[section.lang].code,
        published: iso(&section.meta.date),
        modified: iso(&section.meta.updated).or_else(|| iso(&section.meta.date)),
        last_reviewed: None,
        breadcrumbs: breadcrumbs(config, site, s, None),
        publisher: publisher(config),
        kind: KindFacts::None,
    };
    let jsonld = jsonld::graph(&facts);
    let translations = section_translations(inputs, s);
    let default = if section.parent.is_none() { "index.html" } else { "section.html" };
    let template = section.meta.template.as_deref().unwrap_or(default);
    let render = || {
        let mut ctx = base_context(inputs, shared, section.lang, &section.url, jsonld.clone());
        ctx.insert("section", &view);
        ctx.insert("translations", &translations);
        templates.render(template, &ctx, &section.index_path())
    };
    let html = match shared.memo {
        Some(memo) => {
            let own = crate::cache::fingerprint(
                &(&view, &translations),
                (&jsonld, section.lang, template, &section.url),
            );
            let fp = (crate::cache::combine(shared.fingerprint, own), own);
            return Ok(memoised(&section.output, memo.get_or_render(&section.output, fp, render)?));
        }
        None => render()?,
    };
    Ok(bytes(&section.output, html))
}

/// Terms of every taxonomy, per language: (language, taxonomy) → terms.
fn collect_terms(inputs: &Inputs<'_>) -> BTreeMap<(usize, String), Terms> {
    let config = inputs.config;
    let mut all: BTreeMap<(usize, String), Terms> = (0..config.languages.len())
        .flat_map(|lang| config.taxonomies.iter().map(move |t| ((lang, t.clone()), Terms::new())))
        .collect();
    for (id, page) in inputs.site.pages.iter().enumerate() {
        if page.meta.status != Status::Published {
            continue;
        }
        for (name, terms) in &page.meta.taxonomies {
            let Some(map) = all.get_mut(&(page.lang, name.clone())) else { continue };
            let unique: BTreeSet<String> = terms.iter().map(|t| slugify(t)).collect();
            for slug in unique {
                let name = terms.iter().find(|t| slugify(t) == slug).cloned().unwrap_or_default();
                map.entry(slug).or_insert_with(|| (name, Vec::new())).1.push(id);
            }
        }
    }
    for terms in all.values_mut() {
        for (_, pages) in terms.values_mut() {
            pages.sort_by(|&a, &b| {
                let (ma, mb) = (&inputs.site.pages[a].meta, &inputs.site.pages[b].meta);
                mb.date
                    .as_ref()
                    .map(|d| d.instant)
                    .cmp(&ma.date.as_ref().map(|d| d.instant))
                    .then_with(|| ma.title.cmp(&mb.title))
            });
        }
    }
    all
}

fn render_taxonomy(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
    name: &str,
    terms: &Terms,
) -> Vec<Result<Output, Diagnostic>> {
    let config = inputs.config;
    let prefix = config.language_prefix(lang);
    let list_url = config.url_for(&format!("{prefix}{name}/"));
    let title = inputs.strings[lang].get(name).cloned().unwrap_or_else(|| capitalise(name));
    let term_views: Vec<TermView> = terms
        .iter()
        .map(|(slug, (term, pages))| TermView {
            name: config.term_name(lang, term).to_string(),
            slug: slug.clone(),
            url: term_url(config, lang, name, slug),
            count: pages.len(),
        })
        .collect();
    let taxonomy =
        TaxonomyView { name: name.to_string(), title, url: list_url.clone(), terms: term_views.clone() };
    let mut results = Vec::new();
    let mut ctx = base_context(inputs, shared, lang, &list_url, String::new());
    ctx.insert("taxonomy", &taxonomy);
    results.push(
        templates
            .render("taxonomy_list.html", &ctx, &format!("{prefix}{name}/"))
            .map(|html| bytes(&format!("{prefix}{name}/index.html"), html)),
    );
    let per_page = if config.paginate_by == 0 { usize::MAX } else { config.paginate_by };
    let jobs: Vec<(TermView, Vec<PageId>, usize, usize)> = term_views
        .iter()
        .zip(terms.values())
        .flat_map(|(view, (_, pages))| {
            let count = pages.len().div_ceil(per_page).max(1);
            (0..count).map(move |i| (view.clone(), pages.clone(), i, count))
        })
        .collect();
    let rendered: Vec<Result<Output, Diagnostic>> = jobs
        .into_par_iter()
        .map(|(term, pages, index, count)| {
            let page_url =
                |i: usize| if i == 0 { term.url.clone() } else { format!("{}page/{}/", term.url, i + 1) };
            let chunk: Vec<PageSummary> = pages
                .iter()
                .skip(index * per_page.min(pages.len().max(1)))
                .take(per_page)
                .map(|&p| shared.summaries[p].clone())
                .collect();
            let paginator = Paginator {
                pages: chunk,
                current_index: index + 1,
                number_pagers: count,
                previous: index.checked_sub(1).map(page_url),
                next: (index + 1 < count).then(|| page_url(index + 1)),
                first: page_url(0),
                last: page_url(count - 1),
            };
            let url = page_url(index);
            let mut ctx = base_context(inputs, shared, lang, &url, String::new());
            ctx.insert("taxonomy", &taxonomy);
            ctx.insert("term", &term);
            ctx.insert("paginator", &paginator);
            let out_path = if index == 0 {
                format!("{prefix}{name}/{}/index.html", term.slug)
            } else {
                format!("{prefix}{name}/{}/page/{}/index.html", term.slug, index + 1)
            };
            templates.render("taxonomy_term.html", &ctx, &url).map(|html| bytes(&out_path, html))
        })
        .collect();
    results.extend(rendered);
    results
}

/// Percent-encode the non-ASCII bytes of a URL (sitemaps and feeds want plain ASCII).
pub fn encode_non_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
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

/// The search index of one language (as JSON and as a script, for `file://`) and its page.
fn search_outputs(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
) -> Result<Vec<Output>, Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    let prefix = config.language_prefix(lang);
    let index_path = format!("{prefix}search/index.json");
    let script_path = format!("{prefix}search/index.js");
    let link = |url: &str| {
        if config.relative_urls {
            crate::relative::relative_url(url, &index_path, &config.base_path)
        } else {
            url.to_string()
        }
    };
    let docs: Vec<crate::search::SearchDoc> = (0..site.pages.len())
        .into_par_iter()
        .filter(|&p| site.pages[p].lang == lang && site.pages[p].meta.status == Status::Published)
        .flat_map_iter(|p| {
            let page = &site.pages[p];
            sections_of(&inputs.page_bodies[p].html).into_iter().map(move |(heading, text)| {
                let url = match &heading {
                    Some((id, _)) => format!("{}#{id}", page.url),
                    None => page.url.clone(),
                };
                crate::search::SearchDoc {
                    url: link(&url),
                    title: page.meta.title.clone(),
                    heading: heading.map(|(_, title)| title),
                    text,
                }
            })
        })
        .collect();
    let json = crate::search::build_index(&config.languages[lang].code, &docs);
    let url = config.url_for(&format!("{prefix}search/"));
    let title = inputs.strings[lang].get("search").map(String::as_str).unwrap_or("Search");
    let mut ctx = base_context(inputs, shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
    ctx.insert("search_index_url", &config.url_for(&index_path));
    let mut outputs = Vec::new();
    // Browsers refuse to fetch files from `file://`; a site meant to be opened from disk also
    // gets the index as a script.
    if config.relative_urls {
        ctx.insert("search_index_script_url", &config.url_for(&script_path));
        outputs.push(bytes(&script_path, crate::search::index_script(&json)));
    }
    let page = templates.render("search.html", &ctx, &format!("{prefix}search/"))?;
    outputs.push(bytes(&index_path, json));
    outputs.push(bytes(&format!("{prefix}search/index.html"), page));
    Ok(outputs)
}

/// Where the next `<h2 id="` or `<h3 id="` starts (one scan, so long bodies stay linear).
fn next_heading(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = html[from..].find("<h") {
        let at = from + i;
        let tail = &html[at + 2..];
        if tail.starts_with("2 id=\"") || tail.starts_with("3 id=\"") {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Split body HTML at its `<h2 id>`/`<h3 id>` headings: (heading id and text, plain text).
fn sections_of(html: &str) -> Vec<(Option<(String, String)>, String)> {
    let mut sections = Vec::new();
    let mut heading: Option<(String, String)> = None;
    let mut rest = html;
    loop {
        let next = next_heading(rest);
        let chunk_end = next.unwrap_or(rest.len());
        let text = strip_tags(&rest[..chunk_end]);
        if !text.is_empty() || heading.is_some() {
            sections.push((heading.take(), text));
        }
        let Some(start) = next else { break };
        let after = &rest[start + 8..];
        let id_end = after.find('"').unwrap_or(0);
        let id = after[..id_end].to_string();
        let close = after.find("</h").unwrap_or(after.len());
        let title_start = after[..close].find('>').map(|i| i + 1).unwrap_or(close);
        heading = Some((id, strip_tags(&after[title_start..close])));
        rest = &after[close..];
        rest = rest.find('>').map(|i| &rest[i + 1..]).unwrap_or("");
    }
    sections
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// A translation of the current page, for the language switcher and `hreflang`.
#[derive(Serialize, Clone)]
struct TranslationView {
    lang: String,
    title: String,
    url: String,
    permalink: String,
    /// False when the page has no translation in `lang`: `url` then is that language's home.
    translated: bool,
}

/// The other languages of a page (by its key), in language order.
fn translations(inputs: &Inputs<'_>, lang: usize, key: &str) -> Vec<TranslationView> {
    let Inputs { config, site, .. } = *inputs;
    if !config.is_multilingual() {
        return Vec::new();
    }
    (0..config.languages.len())
        .filter(|&other| other != lang)
        .map(|other| {
            let code = config.languages[other].code.clone();
            match site.page_by_key.get(&(key.to_string(), other)).map(|&q| &site.pages[q]) {
                Some(page) => TranslationView {
                    lang: code,
                    title: page.meta.title.clone(),
                    permalink: config.permalink(&page.url),
                    url: page.url.clone(),
                    translated: true,
                },
                None => {
                    let home = &site.sections[site.homes[other]];
                    TranslationView {
                        lang: code,
                        title: home.meta.title.clone(),
                        permalink: config.permalink(&home.url),
                        url: home.url.clone(),
                        translated: false,
                    }
                }
            }
        })
        .collect()
}

fn section_translations(inputs: &Inputs<'_>, s: SectionId) -> Vec<TranslationView> {
    let site = inputs.site;
    let section = &site.sections[s];
    let key = section.index_path();
    let mut views = Vec::new();
    for other in 0..inputs.config.languages.len() {
        if other == section.lang || !inputs.config.is_multilingual() {
            continue;
        }
        let target = site.section_by_key.get(&(key.clone(), other)).map(|&t| (&site.sections[t], true));
        let (found, translated) = target.unwrap_or((&site.sections[site.homes[other]], false));
        views.push(TranslationView {
            lang: inputs.config.languages[other].code.clone(),
            title: found.meta.title.clone(),
            url: found.url.clone(),
            permalink: inputs.config.permalink(&found.url),
            translated,
        });
    }
    views
}

/// One sitemap entry: location, last modification, and alternates (hreflang, URL).
type SitemapEntry = (String, Option<String>, Vec<(String, String)>);

fn sitemap(inputs: &Inputs<'_>, taxonomies: &BTreeMap<(usize, String), Terms>) -> String {
    let Inputs { config, site, .. } = *inputs;
    let mut entries: Vec<SitemapEntry> = Vec::new();
    let alternates = |views: Vec<TranslationView>, lang: usize, own: &str| {
        let mut list: Vec<(String, String)> =
            views.into_iter().filter(|v| v.translated).map(|v| (v.lang, v.permalink)).collect();
        if list.is_empty() {
            return list;
        }
        list.push((config.languages[lang].code.clone(), own.to_string()));
        let default = if lang == 0 {
            own.to_string()
        } else {
            list.iter().find(|(l, _)| *l == config.language).map(|(_, u)| u.clone()).unwrap_or_default()
        };
        if !default.is_empty() {
            list.push(("x-default".to_string(), default));
        }
        list.sort();
        list
    };
    for (id, section) in site.sections.iter().enumerate() {
        let own = config.permalink(&section.url);
        let alt = alternates(section_translations(inputs, id), section.lang, &own);
        entries.push((own, iso(&section.meta.updated).or_else(|| iso(&section.meta.date)), alt));
    }
    for page in &site.pages {
        if page.meta.status == Status::Published {
            let own = config.permalink(&page.url);
            let alt = alternates(translations(inputs, page.lang, &page.key), page.lang, &own);
            entries.push((own, iso(&page.meta.updated).or_else(|| iso(&page.meta.date)), alt));
        }
    }
    for ((lang, name), terms) in taxonomies {
        let prefix = config.language_prefix(*lang);
        entries.push((config.permalink(&config.url_for(&format!("{prefix}{name}/"))), None, Vec::new()));
        for slug in terms.keys() {
            entries.push((config.permalink(&term_url(config, *lang, name, slug)), None, Vec::new()));
        }
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (loc, lastmod, alternates) in entries {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape_html(&encode_non_ascii(&loc)));
        if let Some(d) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{d}</lastmod>");
        }
        for (lang, href) in alternates {
            let _ = writeln!(
                xml,
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape_html(&lang),
                escape_html(&encode_non_ascii(&href))
            );
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Pages newest first by `updated`, then `date`; only published pages.
fn newest_pages(site: &Site, pages: impl Iterator<Item = PageId>) -> Vec<PageId> {
    let mut list: Vec<PageId> = pages.filter(|&p| site.pages[p].meta.status == Status::Published).collect();
    let when = |p: PageId| {
        let m = &site.pages[p].meta;
        m.updated.as_ref().or(m.date.as_ref()).map(|d| d.instant)
    };
    list.sort_by(|&a, &b| {
        when(b).cmp(&when(a)).then_with(|| site.pages[a].source.rel.cmp(&site.pages[b].source.rel))
    });
    list
}

/// Atom feeds: the whole site at `/atom.xml`, and each section with `feed: true` at `SECTION/atom.xml`.
fn feeds(inputs: &Inputs<'_>) -> Vec<Output> {
    let Inputs { config, site, .. } = *inputs;
    let mut out = Vec::new();
    for (lang, &home) in site.homes.iter().enumerate() {
        let title = config.languages[lang].title.as_deref().unwrap_or(&config.title);
        let pages = (0..site.pages.len()).filter(|&p| site.pages[p].lang == lang).collect();
        let path = format!("{}atom.xml", config.language_prefix(lang));
        out.push(bytes(&path, atom(inputs, title, &site.sections[home].url, pages)));
    }
    for (id, section) in site.sections.iter().enumerate() {
        if section.parent.is_none() || !section.meta.feed {
            continue;
        }
        let mut pages = Vec::new();
        let mut stack = vec![id];
        while let Some(s) = stack.pop() {
            pages.extend(site.sections[s].pages.iter().copied());
            stack.extend(site.sections[s].subsections.iter().copied());
        }
        let site_title = config.languages[section.lang].title.as_deref().unwrap_or(&config.title);
        let title = format!("{} — {site_title}", section.meta.title);
        let path = format!("{}atom.xml", section.output.trim_end_matches("index.html"));
        out.push(bytes(&path, atom(inputs, &title, &section.url, pages)));
    }
    out
}

/// The URL of a section's feed (`/faq/atom.xml`), if it has one.
pub fn feed_url(section_url: &str) -> String {
    format!("{section_url}atom.xml")
}

fn atom(inputs: &Inputs<'_>, title: &str, section_url: &str, pages: Vec<PageId>) -> String {
    let Inputs { config, site, .. } = *inputs;
    let pages = newest_pages(site, pages.into_iter());
    let stamp = |p: PageId| {
        let m = &site.pages[p].meta;
        m.updated
            .as_ref()
            .or(m.date.as_ref())
            .map(|d| d.instant.to_rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into())
    };
    let updated = pages.first().map(|&p| stamp(p)).unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let self_url = encode_non_ascii(&config.permalink(&feed_url(section_url)));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_html(&config.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape_html(title));
    let _ = writeln!(xml, "  <id>{}</id>", escape_html(&self_url));
    let _ = writeln!(xml, "  <link rel=\"self\" href=\"{}\"/>", escape_html(&self_url));
    let _ =
        writeln!(xml, "  <link rel=\"alternate\" href=\"{}\"/>", escape_html(&config.permalink(section_url)));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    if let Some(org) = &config.organization {
        let _ = writeln!(xml, "  <author><name>{}</name></author>", escape_html(&org.name));
    } else {
        let _ = writeln!(xml, "  <author><name>{}</name></author>", escape_html(&config.title));
    }
    for &p in pages.iter().take(50) {
        let page = &site.pages[p];
        let link = encode_non_ascii(&config.permalink(&page.url));
        let _ = writeln!(xml, "  <entry>\n    <title>{}</title>", escape_html(&page.meta.title));
        let _ = writeln!(
            xml,
            "    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>",
            escape_html(&link),
            escape_html(&link)
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", stamp(p));
        if let Some(date) = &page.meta.date {
            let _ = writeln!(xml, "    <published>{}</published>", date.instant.to_rfc3339());
        }
        if !page.meta.description.is_empty() {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape_html(&page.meta.description));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// The output file an alias publishes to (`/old/page/` → `old/page/index.html`), or why it cannot.
pub fn alias_output(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() {
        return Err("an alias cannot be the home page");
    }
    let path = if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    };
    if !crate::output::is_safe_relative(&path) {
        return Err("an alias must be a path inside the site, without `..`, `\\`, `:` or NUL");
    }
    Ok(path)
}

/// Redirect pages for `aliases:` and a `_redirects` file for hosts that read one.
fn aliases(
    inputs: &Inputs<'_>,
    existing: &std::collections::HashSet<String>,
) -> (Vec<Output>, Vec<Diagnostic>) {
    let Inputs { config, site, .. } = *inputs;
    let mut taken: std::collections::HashMap<String, String> =
        existing.iter().map(|path| (path.clone(), "a generated page".to_string())).collect();
    let mut outputs = Vec::new();
    let mut diagnostics = Vec::new();
    let mut rules = String::new();
    for page in &site.pages {
        for alias in &page.meta.aliases {
            let location = crate::diagnostics::Location {
                file: page.source.display.clone(),
                line: alias.line,
                column: alias.column,
                length: alias.value.chars().count().max(1),
            };
            let path = match alias_output(&alias.value) {
                Ok(path) => path,
                Err(why) => {
                    diagnostics
                        .push(Diagnostic::error(format!("bad alias `{}`: {why}", alias.value)).at(location));
                    continue;
                }
            };
            if let Some(owner) = taken.get(&path) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{}` collides with {owner}", alias.value))
                        .at(location)
                        .with_hint("remove the alias, or move the other page"),
                );
                continue;
            }
            taken.insert(path.clone(), format!("an alias of `{}`", page.source.display.display()));
            // Opened from disk, a redirect must stay on disk too.
            let target = if config.relative_urls {
                crate::relative::relative_url(&page.url, &path, &config.base_path)
            } else {
                config.permalink(&page.url)
            };
            let language = &config.languages[page.lang].code;
            let moved = inputs.strings[page.lang]
                .get("page_moved")
                .map(String::as_str)
                .unwrap_or("This page has moved to");
            outputs.push(bytes(&path, redirect_page(language, moved, &page.meta.title, &target)));
            let from = config.url_for(path.trim_end_matches("index.html"));
            let _ = writeln!(rules, "{from} {} 301", page.url);
        }
    }
    if !rules.is_empty() {
        outputs.push(bytes("_redirects", rules));
    }
    (outputs, diagnostics)
}

fn redirect_page(lang: &str, moved: &str, title: &str, target: &str) -> String {
    let (title, target, moved) = (escape_html(title), escape_html(target), escape_html(moved));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p>{moved} <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
        escape_html(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_sections_split_at_headings() {
        let html = "<p>Intro text.</p>\n<h2 id=\"apply\">How to <em>apply</em></h2>\n<p>Go.</p><h3 id=\"fees\">Fees</h3><p>None.</p>";
        let sections = sections_of(html);
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[0], (None, "Intro text.".to_string()));
        assert_eq!(sections[1], (Some(("apply".into(), "How to apply".into())), "Go.".to_string()));
        assert_eq!(sections[2].0.as_ref().unwrap().0, "fees");
    }

    #[test]
    fn alias_outputs() {
        assert_eq!(alias_output("/old/page/").unwrap(), "old/page/index.html");
        assert_eq!(alias_output("old.html").unwrap(), "old.html");
        assert!(alias_output("/").is_err());
        assert!(alias_output("../../etc/passwd").is_err());
        assert!(alias_output("c:/x").is_err());
    }

    #[test]
    fn redirect_pages_escape_and_point_at_the_target() {
        let html = redirect_page("en", "Moved to", "<b>", "https://x.gov/a/");
        assert!(html.contains("<p>Moved to <a href"));
        assert!(html.contains("content=\"0; url=https://x.gov/a/\""));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://x.gov/a/\">"));
        assert!(html.contains("&lt;b&gt;"));
    }

    #[test]
    fn strip_tags_keeps_text() {
        assert_eq!(
            strip_tags("<p>Bring <strong>your</strong> booklet &amp; photo.</p>\n</div>"),
            "Bring your booklet & photo."
        );
    }

    #[test]
    fn faq_answers_pair_with_questions() {
        let html = "<div class=\"sp-faq\"><details><summary><h2>Q1?</h2></summary>\n<div class=\"sp-faq-answer\">\n<p>A1.</p>\n</div>\n</details>\n<details><summary><h2>Q2?</h2></summary>\n<div class=\"sp-faq-answer\">\n<p>A2.</p>\n</div>\n</details>\n</div>";
        let entries = faq_entries(html, vec!["Q1?".into(), "Q2?".into()]);
        assert_eq!(
            entries,
            vec![("Q1?".to_string(), "A1.".to_string()), ("Q2?".to_string(), "A2.".to_string())]
        );
    }
}

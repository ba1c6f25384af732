//! The values every output of a build shares: the `site` value, navigation, page summaries,
//! term values, links between pages and translations. They depend on the site alone (its
//! settings, front matter and sections), not on bodies, and on templates only through the
//! header's search box (made once per language with the templates of the same render), so
//! they are made once per build and kept for quick rebuilds.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::sections::section_view;
use super::{Inputs, Shared, iso};
use crate::cache::OutputMemo;
use crate::config::Config;
use crate::content::{PageId, SectionId, Site};
use crate::diagnostics::Diagnostic;
use crate::front_matter::{FrontMatter, Status};
use crate::links::DocRef;
use crate::templates::{Lookup, Templates};
use crate::text::slugify;

/// A title and where it links. Views borrow their strings from the site: a page's view is
/// serialised into template values once, and copying its strings first cost 3% of a build.
#[derive(Serialize, Clone, Copy)]
pub(super) struct LinkView<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
}

#[derive(Serialize)]
pub(super) struct TermRef<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

#[derive(Serialize, Clone)]
pub(super) struct PageSummary {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) path: String,
    pub(super) date: Option<String>,
    pub(super) updated: Option<String>,
    pub(super) kind: &'static str,
    pub(super) weight: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct NavItem {
    title: String,
    url: String,
    active: bool,
}

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
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
    gov: Option<super::gov::GovView<'a>>,
}

/// The header navigation of one language: its home's sections, then weighted root pages.
/// The most entries the header menu shows; a site with more lists the first ones and a link
/// to all topics on the home page. A menu of dozens of links is hard to scan and to tab
/// through, and it was repeated in every page of the site.
pub const MENU_LIMIT: usize = 8;

/// The header menu: top-level sections, then top-level pages with a weight, at most
/// [`MENU_LIMIT`] entries (the last one then leads to all topics, titled `all_topics`).
pub(super) fn navigation(site: &Site, home: SectionId, all_topics: &str) -> Vec<(String, String)> {
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

/// The values every output of a build shares that depend on the site alone (its settings,
/// front matter and sections), not on templates or bodies: kept between builds for quick
/// rebuilds, which would otherwise make them again for every page of the site.
pub struct SiteValues {
    /// Per language: the `site` value, the theme strings, the header navigation.
    pub(super) site_value: Vec<Value>,
    pub(super) strings: Vec<Value>,
    /// The data files (`data.NAME…`), as written (not picked for a language).
    pub(super) data: Value,
    pub(super) nav: Vec<Vec<(String, String)>>,
    /// The `nav` value by language and the indexes of its active items: a page shows one of
    /// only a few, and serialising the menu afresh for each page was a tenth of its rendering.
    pub(super) nav_values: std::sync::Mutex<HashMap<(usize, Vec<usize>), Value>>,
    pub(super) summaries: Vec<PageSummary>,
    pub(super) terms: TermIndex,
    /// The values pages show of other pages and sections, made once rather than for each page
    /// that shows them.
    pub(super) links: LinkValues,
    /// The search index of each language, kept for [`super::render_some`] to update.
    pub(super) search: std::sync::Mutex<BTreeMap<usize, crate::search::SearchIndex>>,
    /// Each language's manifest and page tables, kept so that the search page, which carries
    /// them inline on a small site, can be made again when an edit changes them.
    pub(super) search_carried: std::sync::Mutex<BTreeMap<usize, crate::search::Files>>,
}

/// Per page: its summary (the value section listings show, and `prev`, `next` and `related`
/// too) and its neighbours in its section; per section: `{title, url}` and the `ancestors`
/// list of the pages in it.
pub(super) struct LinkValues {
    pub(super) page: Vec<Value>,
    pub(super) neighbours: Vec<(Option<PageId>, Option<PageId>)>,
    pub(super) section: Vec<Value>,
    pub(super) ancestors: Vec<Value>,
}

pub(super) fn link_values(site: &Site, page: Vec<Value>) -> LinkValues {
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

/// The values every output of one build shares (the lookup functions are set already).
pub(super) fn site_values(
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
                search_url: config.search.then(|| search_url(site, lang)),
                taxonomies: &config.taxonomies,
                extra: &config.extra,
                organization: config.organization.as_ref(),
                gov: super::gov::gov_view(config, lang),
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
        data: Value::from_serializable(inputs.data.value()),
        nav,
        nav_values: Default::default(),
        summaries,
        terms,
        links: link_values(site, summary_values),
        search: Default::default(),
        search_carried: Default::default(),
    }
}

/// The shared values of a full render, and the problems of rendering the search boxes.
pub(super) fn shared_values<'m>(
    inputs: &Inputs<'m>,
    templates: &Templates,
    memo: Option<&'m OutputMemo<'m>>,
    summaries: Vec<PageSummary>,
    summary_values: Vec<Value>,
    terms: TermIndex,
    lookup_fingerprint: u64,
) -> (Shared<'m>, Vec<Diagnostic>) {
    let mut values = site_values(inputs, summaries, summary_values, terms);
    let problems = add_search_boxes(inputs, templates, &mut values);
    let fingerprint = memo
        .map(|_| {
            crate::cache::fingerprint(
                &(&values.site_value, inputs.strings, &values.nav, &values.summaries),
                (templates.fingerprint, lookup_fingerprint, inputs.data.fingerprint()),
            )
        })
        .unwrap_or(0);
    (Shared { fingerprint, memo, values: Arc::new(values) }, problems)
}

/// The address of language `lang`'s search page.
fn search_url(site: &Site, lang: usize) -> String {
    format!("{}search/", site.sections[site.homes[lang]].url)
}

/// The theme's template of the header's search box: rendered once per language and printed
/// by every page as `site.search_box`.
const SEARCH_BOX: &str = "partials/search_box.html";

/// Render the header's search box of each language into its `site` value, when search is on
/// and the templates have one ([`SEARCH_BOX`]). Every page shows the same box, and printing
/// it whole is one look-up in a template's values where its address and three strings were
/// five, each a search through every value the page is given (half of what the box cost).
fn add_search_boxes(inputs: &Inputs<'_>, templates: &Templates, values: &mut SiteValues) -> Vec<Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    if !config.search || !templates.has(SEARCH_BOX) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for lang in 0..config.languages.len() {
        let url = search_url(site, lang);
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", values.site_value[lang].clone());
        ctx.insert_value("t", values.strings[lang].clone());
        ctx.insert("lang", &config.languages[lang].code);
        ctx.insert("search_url", &url);
        // A box that fails is reported once, here, and left empty, rather than missing from
        // every page that prints it.
        let html = templates.render(SEARCH_BOX, &ctx, &url).unwrap_or_else(|d| {
            problems.push(d);
            String::new()
        });
        let Some(map) = values.site_value[lang].as_map() else { continue };
        let mut map = map.clone();
        // Printed as it is: the template escaped what it printed. Without the line ends
        // around it, so that the page's own template places it.
        map.insert("search_box".into(), Value::safe_string(html.trim()));
        values.site_value[lang] = Value::from(map);
    }
    problems
}

pub(super) fn summary(config: &Config, meta: &FrontMatter, url: &str, path: &str) -> PageSummary {
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

pub(super) fn lookup(inputs: &Inputs<'_>, summary_values: &[Value]) -> Lookup {
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

/// The header navigation for a page at `current_url`, its own section marked active.
pub(super) fn nav_value(shared: &Shared<'_>, lang: usize, current_url: &str) -> Value {
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

pub(super) fn ancestors(site: &Site, section: SectionId) -> Vec<LinkView<'_>> {
    site.section_chain(section).into_iter().map(|s| doc_link(site, DocRef::Section(s))).collect()
}

pub(super) fn doc_link(site: &Site, doc: DocRef) -> LinkView<'_> {
    match doc {
        DocRef::Page(p) => LinkView { title: &site.pages[p].meta.title, url: &site.pages[p].url },
        DocRef::Section(s) => LinkView { title: &site.sections[s].meta.title, url: &site.sections[s].url },
    }
}

pub(super) fn term_url(config: &Config, lang: usize, taxonomy: &str, slug: &str) -> String {
    config.url_for(&format!("{}{taxonomy}/{slug}/", config.language_prefix(lang)))
}

/// The value of one term as a page shows it: `{name, slug, url}`.
pub(super) fn term_value(config: &Config, lang: usize, taxonomy: &str, term: &str) -> Value {
    let slug = slugify(term);
    let url = term_url(config, lang, taxonomy, &slug);
    Value::from_serializable(&TermRef { name: config.term_name(lang, term), slug: &slug, url })
}

/// Taxonomy terms as the pages show them, and the index for choosing related pages.
pub(super) struct TermIndex {
    pub(super) related: crate::related::RelatedIndex,
    /// Every term's value by language, taxonomy and name, made once rather than on each page
    /// that shows the term.
    pub(super) values: Vec<HashMap<String, HashMap<String, Value>>>,
}

impl TermIndex {
    /// The taxonomies value of a page in language `lang` with `terms`.
    pub(super) fn page_value(
        &self,
        config: &Config,
        lang: usize,
        terms: &BTreeMap<String, Vec<String>>,
    ) -> Value {
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

pub(super) fn term_index(config: &Config, site: &Site) -> TermIndex {
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

/// A translation of the current page, for the language switcher and `hreflang`.
#[derive(Serialize, Clone)]
pub(super) struct TranslationView {
    pub(super) lang: String,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) permalink: String,
    /// False when the page has no translation in `lang`: `url` then is that language's home.
    pub(super) translated: bool,
}

impl TranslationView {
    fn new(config: &Config, other: usize, title: &str, url: &str, translated: bool) -> Self {
        TranslationView {
            lang: config.languages[other].code.clone(),
            title: title.to_string(),
            url: url.to_string(),
            permalink: config.permalink(url),
            translated,
        }
    }
}

/// The languages other than `lang`, in order; none on a one-language site.
fn other_languages(config: &Config, lang: usize) -> impl Iterator<Item = usize> {
    let count = if config.is_multilingual() { config.languages.len() } else { 0 };
    (0..count).filter(move |&other| other != lang)
}

/// The other languages of a page (by its key), in language order.
pub(super) fn translations(inputs: &Inputs<'_>, lang: usize, key: &str) -> Vec<TranslationView> {
    let Inputs { config, site, .. } = *inputs;
    other_languages(config, lang)
        .map(|other| match site.page_by_key.get(&(key.to_string(), other)).map(|&q| &site.pages[q]) {
            Some(page) => TranslationView::new(config, other, &page.meta.title, &page.url, true),
            None => {
                let home = &site.sections[site.homes[other]];
                TranslationView::new(config, other, &home.meta.title, &home.url, false)
            }
        })
        .collect()
}

/// A page every language has at the same path under its home (`search/`, `accessibility/`,
/// `""` for the home itself) in the other languages, for the language switcher and `hreflang`.
pub(super) fn fixed_translations(inputs: &Inputs<'_>, lang: usize, path: &str) -> Vec<TranslationView> {
    let Inputs { config, site, .. } = *inputs;
    other_languages(config, lang)
        .map(|other| {
            let home = &site.sections[site.homes[other]];
            TranslationView::new(config, other, &home.meta.title, &format!("{}{path}", home.url), true)
        })
        .collect()
}

pub(super) fn section_translations(inputs: &Inputs<'_>, s: SectionId) -> Vec<TranslationView> {
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

#[cfg(test)]
mod tests {
    use super::super::fixture::{page, render, text};
    use super::MENU_LIMIT;

    #[test]
    fn the_menu_shows_the_first_sections_then_all_topics_and_marks_the_current_one() {
        let names: Vec<String> = (0..MENU_LIMIT + 1).map(|i| format!("s{i}")).collect();
        let mut files = vec![
            ("site.yaml".to_string(), "title: S\nbase_url: https://x.gov/\nlanguage: en\n".to_string()),
            ("content/_index.md".to_string(), page("title: Home", "")),
        ];
        for name in &names {
            files.push((format!("content/{name}/_index.md"), page(&format!("title: Topic {name}"), "")));
            files.push((format!("content/{name}/p.md"), page("title: A page", "Text.")));
        }
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let outputs = render(&files);
        let html = text(&outputs, "s1/p/index.html");
        let nav = &html[html.find("sp-nav").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        assert_eq!(nav.matches("<li>").count(), MENU_LIMIT);
        assert!(nav.contains("href=\"/#sp-sections-heading\""));
        assert!(nav.contains("<a href=\"/s1/\" aria-current=\"true\">"));
        assert!(!nav.contains(&format!("/s{MENU_LIMIT}/")));
    }
}

//! What search takes from a built site: each published page of a language as a
//! [`SearchPage`] (title, description, taxonomy terms, kind, top-level section, and its text cut
//! at its headings, as the Markdown stage recorded it), and the filters and synonyms of the manifest.

use std::borrow::Cow;

use crate::config::Config;
use crate::content::{PageId, Site};
use crate::front_matter::{Kind, Status};
use crate::markdown::Rendered;

use super::index::{SearchPage, SearchSettings};

/// The pages of language `lang` that search shows (published ones), in site order; a page's
/// position here is its id in the index.
pub fn indexed_pages(site: &Site, lang: usize) -> Vec<PageId> {
    (0..site.pages.len())
        .filter(|&p| site.pages[p].lang == lang && site.pages[p].meta.status == Status::Published)
        .collect()
}

/// The manifest's settings for language `lang`: its home's sections and the kinds its pages
/// have as filters, and the synonym sets.
pub fn settings(config: &Config, site: &Site, lang: usize, link: &dyn Fn(&str) -> String) -> SearchSettings {
    let home = &site.sections[site.homes[lang]];
    let sections = home
        .subsections
        .iter()
        .map(|&s| (site.sections[s].meta.title.clone(), link(&site.sections[s].url)))
        .collect();
    let present: Vec<Kind> = indexed_pages(site, lang).iter().map(|&p| site.pages[p].meta.kind).collect();
    let kinds = [Kind::Guide, Kind::Steps, Kind::Faq, Kind::Law, Kind::Service]
        .into_iter()
        .filter(|k| present.contains(k))
        .map(|k| k.as_str().to_string())
        .collect();
    SearchSettings {
        lang: config.languages[lang].code.clone(),
        sections,
        kinds,
        synonyms: config.search_synonyms.clone(),
    }
}

/// Page `p` as search sees it, its text borrowed from its rendered body; `link` makes its URLs
/// (relative ones for relative sites).
pub fn search_page<'b>(
    site: &'b Site,
    body: &'b Rendered,
    p: PageId,
    link: &dyn Fn(&str) -> String,
) -> SearchPage<'b> {
    let page = &site.pages[p];
    let home = site.homes[page.lang];
    // The page's top-level section: the ancestor just below the home page.
    let mut section = page.section;
    while let Some(parent) = site.sections[section].parent.filter(|&parent| parent != home) {
        section = parent;
    }
    let section = site.sections[home].subsections.iter().position(|&s| s == section);
    SearchPage {
        url: link(&page.url),
        title: Cow::Borrowed(&page.meta.title),
        description: Cow::Borrowed(&page.meta.description),
        tags: page.meta.taxonomies.values().flatten().map(String::as_str).collect(),
        section,
        kind: page.meta.kind.as_str(),
        sections: Cow::Borrowed(&body.text_sections),
    }
}

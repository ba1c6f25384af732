//! Section listings, taxonomy lists and taxonomy term pages.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::feeds::feed_url;
use super::paginate;
use super::values::{LinkView, PageSummary, ancestors, section_translations, term_url};
use super::{Inputs, Output, Shared, base_context, breadcrumbs, bytes, capitalise, iso, memoised, publisher};
use crate::content::{PageId, SectionId};
use crate::diagnostics::Diagnostic;
use crate::front_matter::Status;
use crate::guidance::jsonld::{self, KindFacts, PageFacts};
use crate::markdown;
use crate::templates::Templates;
use crate::text::{escape_html, slugify};

#[derive(Serialize)]
pub(super) struct SubsectionView {
    title: String,
    description: String,
    url: String,
    page_count: usize,
}

#[derive(Serialize)]
pub(super) struct SectionView<'a> {
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
    /// The government meta tags (empty without `gov:` in `site.yaml`).
    gov_meta: Vec<super::gov::MetaTag>,
}

#[derive(Serialize, Clone)]
pub(super) struct TermView {
    name: String,
    slug: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub(super) struct TaxonomyView {
    name: String,
    title: String,
    url: String,
    terms: Vec<TermView>,
}

/// A taxonomy's terms: slug → (name, pages).
pub(super) type Terms = BTreeMap<String, (String, Vec<PageId>)>;

pub(super) fn section_view<'a>(
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
        gov_meta: super::gov::section_tags(config, site, s),
    }
}

pub(super) fn render_section(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    s: SectionId,
) -> Result<Output, Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    let section = &site.sections[s];
    let body = &inputs.section_bodies[s];
    let content = body.filled_html(&inputs.links.section_urls[s]).map_err(|e| {
        let error = Diagnostic::error(format!("cannot read back the section's rendered body: {e}"))
            .with_hint(super::body::READ_BACK_HINT);
        match &section.source {
            Some(source) => {
                let file = source.display.clone();
                error.at(crate::diagnostics::Location { file, line: 1, column: 1, length: 1 })
            }
            None => error,
        }
    })?;
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
pub(super) fn collect_terms(inputs: &Inputs<'_>) -> BTreeMap<(usize, String), Terms> {
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
            // Each slug once, named as first written: looking the name up again for each slug
            // was quadratic in a page's terms (8,000 tags took 64 s).
            let mut unique: BTreeMap<String, &String> = BTreeMap::new();
            for term in terms {
                unique.entry(slugify(term)).or_insert(term);
            }
            for (slug, name) in unique {
                map.entry(slug).or_insert_with(|| (name.clone(), Vec::new())).1.push(id);
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

pub(super) fn render_taxonomy(
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
    // Made a value once and shared by every term page (arrays are reference-counted): turning
    // the list of all terms into a value again for each term's page was quadratic in terms.
    let taxonomy = tera::Value::from_serializable(&taxonomy);
    let mut results = Vec::new();
    let mut ctx = base_context(inputs, shared, lang, &list_url, String::new());
    ctx.insert_value("taxonomy", taxonomy.clone());
    results.push(
        templates
            .render("taxonomy_list.html", &ctx, &format!("{prefix}{name}/"))
            .map(|html| bytes(&format!("{prefix}{name}/index.html"), html)),
    );
    let per_page = paginate::per_page(config.paginate_by);
    let jobs: Vec<(&TermView, &[PageId], usize, usize)> = term_views
        .iter()
        .zip(terms.values())
        .flat_map(|(view, (_, pages))| {
            let count = paginate::page_count(pages.len(), per_page);
            (0..count).map(move |i| (view, pages.as_slice(), i, count))
        })
        .collect();
    let rendered: Vec<Result<Output, Diagnostic>> = jobs
        .into_par_iter()
        .map(|(term, pages, index, count)| {
            let paginator =
                paginate::paginator(&term.url, pages, &shared.summaries, per_page, (index, count));
            let url = paginate::page_url(&term.url, index);
            let mut ctx = base_context(inputs, shared, lang, &url, String::new());
            ctx.insert_value("taxonomy", taxonomy.clone());
            ctx.insert("term", term);
            ctx.insert("paginator", &paginator);
            let out_path = paginate::output_path(&format!("{prefix}{name}/{}/", term.slug), index);
            templates.render("taxonomy_term.html", &ctx, &url).map(|html| bytes(&out_path, html))
        })
        .collect();
    results.extend(rendered);
    results
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{page, render, text};

    fn tagged(title: &str, date: &str) -> String {
        page(&format!("title: {title}\ndate: {date}\ntags: [Renewal]"), "Body.")
    }

    #[test]
    fn term_pages_are_paginated_newest_first() {
        let outputs = render(&[
            ("site.yaml", "title: S\nbase_url: https://x.gov/\nlanguage: en\npaginate_by: 2\n"),
            ("content/_index.md", &page("title: Home", "")),
            ("content/a.md", &tagged("Alpha", "2024-01-01")),
            ("content/b.md", &tagged("Beta", "2024-02-01")),
            ("content/c.md", &tagged("Gamma", "2024-03-01")),
        ]);
        let first = text(&outputs, "tags/renewal/index.html");
        let second = text(&outputs, "tags/renewal/page/2/index.html");
        assert!(first.contains("Gamma") && first.contains("Beta") && !first.contains("Alpha"));
        assert!(second.contains("Alpha") && !second.contains("Gamma"));
        assert!(!outputs.iter().any(|o| o.path == "tags/renewal/page/3/index.html"));
        assert!(text(&outputs, "tags/index.html").contains("Renewal"));
    }

    #[test]
    fn a_section_lists_its_pages_and_subsections() {
        let outputs = render(&[
            ("site.yaml", "title: S\nbase_url: https://x.gov/\nlanguage: en\n"),
            ("content/_index.md", &page("title: Home", "")),
            ("content/faq/_index.md", &page("title: Questions", "Answers to common questions.")),
            ("content/faq/lost.md", &page("title: Lost card", "Report it.")),
            ("content/faq/old/_index.md", &page("title: Archive", "")),
        ]);
        let faq = text(&outputs, "faq/index.html");
        assert!(faq.contains("Answers to common questions."));
        assert!(faq.contains("href=\"/faq/lost/\""));
        assert!(faq.contains("href=\"/faq/old/\""));
    }
}

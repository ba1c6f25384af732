//! The output of each Markdown page: its template view, its `page` value and its JSON-LD.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tera::Value;

use super::body as page_body;
use super::values::{LinkView, SiteValues, TranslationView, doc_link, translations};
use super::{Body, Inputs, Output, Shared, base_context, breadcrumbs, iso, memoised, publisher};
use crate::config::Config;
use crate::content::{PageId, SectionId};
use crate::diagnostics::Diagnostic;
use crate::front_matter::{Change, Kind, Status};
use crate::guidance::gov::Service;
use crate::guidance::jsonld::{self, KindFacts, PageFacts, ServiceFacts};
use crate::links::DocRef;
use crate::markdown::{self, TocEntry};
use crate::templates::{Templates, format_date};
use crate::text::escape_html;

#[derive(Serialize)]
pub(super) struct BacklinkView<'a> {
    title: &'a str,
    url: &'a str,
    text: &'a str,
    anchor: &'a str,
}

#[derive(Serialize)]
pub(super) struct CiteView<'a> {
    title: &'a str,
    url: String,
    law_title: &'a str,
}

#[derive(Serialize)]
pub(super) struct StepsView<'a> {
    time_required: Option<&'a str>,
    cost: Option<&'a str>,
    you_need: &'a [String],
    count: usize,
}

/// A service guide's elements, for its "at a glance" summary.
#[derive(Serialize)]
pub(super) struct ServiceView<'a> {
    name: &'a str,
    basis: Vec<CiteView<'a>>,
    conditions: &'a [String],
    materials: &'a [String],
    location: Option<&'a str>,
    hours: Option<&'a str>,
    phone: Option<&'a str>,
    process: Option<LinkView<'a>>,
    time_limit: Option<&'a crate::guidance::gov::TimeLimit>,
    fees: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct LawView<'a> {
    law_title: &'a str,
    enacted: Option<String>,
    amended: Option<String>,
    source_url: Option<&'a str>,
    authoritative: bool,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    path: &'a str,
    kind: &'static str,
    status: &'static str,
    replaced_by: Option<LinkView<'a>>,
    content: Filled<String>,
    /// Whether the body holds highlighted code (whose stylesheet the page then links).
    has_code: bool,
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
    taxonomies: Filled<&'a BTreeMap<String, Vec<String>>>,
    extra: &'a serde_json::Value,
    /// These four are ids here (enough to fingerprint the view, as the shared fingerprint holds
    /// every page's and section's title and URL); `page_value` puts in the shared values.
    ancestors: Filled<SectionId>,
    section: Filled<SectionId>,
    prev: Filled<Option<PageId>>,
    next: Filled<Option<PageId>>,
    backlinks: Vec<BacklinkView<'a>>,
    /// The pages and sections linking here, each once, without those linking to an article
    /// on a law page (each article lists them): ids until `page_value` puts in their values.
    linked_from: Filled<Vec<DocRef>>,
    related: Filled<Vec<PageId>>,
    cites: Vec<CiteView<'a>>,
    steps: Option<StepsView<'a>>,
    law: Option<LawView<'a>>,
    service: Option<ServiceView<'a>>,
    changes: &'a [Change],
    translations: Vec<TranslationView>,
    word_count: usize,
    /// The government meta tags (empty without `gov:` in `site.yaml`).
    gov_meta: Vec<super::gov::MetaTag>,
}

/// The output of page `p`: its view, reused from the last build when its fingerprint matches,
/// else rendered through its template.
///
/// Longer than most functions: most of it is the one literal of the page's view, whose fields
/// read best side by side; split up, the view would be assembled in several places.
pub(super) fn render_page(
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
    let description = page_description(&meta.description, &body.first_paragraph);
    let view = PageView {
        title: &meta.title,
        description: &description,
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
        content: Filled::Id(String::new()),
        has_code: false,
        summary: String::new(),
        toc: &body.toc,
        date: iso(&meta.date),
        updated: iso(&meta.updated),
        date_display: meta.date.as_ref().map(|d| format_date(&d.iso_date(), lang_code)),
        updated_display: meta.updated.as_ref().map(|d| format_date(&d.iso_date(), lang_code)),
        review_by: iso(&meta.review_by),
        owner: meta.owner.as_deref(),
        weight: meta.weight,
        taxonomies: Filled::Id(&meta.taxonomies),
        extra: &meta.extra,
        ancestors: Filled::Id(page.section),
        section: Filled::Id(page.section),
        prev: Filled::Id(prev),
        next: Filled::Id(next),
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
        linked_from: Filled::Id(linked_from(&links.backlinks[p], meta.kind)),
        related: Filled::Id(shared.terms.related.related(p, &links.related[p])),
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
        service: service_view(inputs, p),
        changes: &meta.changes,
        translations: translations(inputs, page.lang, &page.key),
        word_count: body.word_count,
        gov_meta: super::gov::page_tags(config, site, p, &description),
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
    let urls = &links.page_urls[p];
    // With the templates printing the body only as it is, the body is written into the output
    // rather than copied into the template's values (see `body`).
    let verbatim = templates.prints_body_verbatim();
    let content =
        if verbatim { page_body::MARKER.to_string() } else { page_body::content(inputs, p, body, urls)? };
    // Room for the page around the body (and the body, when it goes through the template), so
    // the output rarely grows while written.
    let size_hint = if verbatim { 16 * 1024 } else { content.len() + 16 * 1024 };
    view.content = Filled::Id(content);
    view.has_code = has_code(body);
    view.summary = match &body.summary {
        Some(s) => markdown::fill_links(s, &body.links, urls),
        None if !meta.description.is_empty() => format!("<p>{}</p>", escape_html(&meta.description)),
        None => String::new(),
    };
    let value = page_value(view, shared, config, page.lang);
    let mut ctx = base_context(inputs, shared, page.lang, &page.url, page_jsonld(inputs, p, &permalink));
    let rel = &page.source.rel;
    // With `parts`, a large body is kept in parts rather than spliced (see `body::Spliced`).
    let render = move |parts: bool| {
        ctx.insert_value("page", value.clone());
        let out = templates.render_bytes(template, &ctx, rel, size_hint)?;
        if !verbatim {
            return Ok(Body::Bytes(out));
        }
        let read_error = |e: std::io::Error| page_body::read_error(inputs, p, &e);
        if parts
            && body.html_len() >= page_body::STREAM_FROM
            && let Some(spliced) = page_body::Spliced::new(&out, inputs, p, urls).map_err(read_error)?
        {
            return Ok(Body::Parts(std::sync::Arc::new(spliced)));
        }
        let write = |push: &mut dyn FnMut(&str)| page_body::write_content(inputs, p, body, urls, push);
        if let Some(spliced) = page_body::splice(&out, body.html_len(), &write).map_err(read_error)? {
            return Ok(Body::Bytes(spliced));
        }
        // The template did more with the body than print it: render it with the body itself.
        ctx.insert_value("page", page_body::with_content(value, page_body::content(inputs, p, body, urls)?));
        templates.render_bytes(template, &ctx, rel, size_hint + body.html_len()).map(Body::Bytes)
    };
    match (shared.memo, fp) {
        (Some(memo), Some(fp)) => {
            // Tera writes only text; kept for the next build, the output is made whole.
            let text = || render(false).map(whole_text);
            Ok(memoised(&page.output, memo.get_or_render(&page.output, fp, text)?))
        }
        _ => Ok(Output { path: page.output.clone(), body: render(true)? }),
    }
}

/// Whether the body holds a code block (the page then loads the code styles). A body kept in
/// a file noted it as it was written, so the file is not read for it.
fn has_code(body: &markdown::Rendered) -> bool {
    match &body.spilled {
        Some(spilled) => spilled.has_code(),
        None => memchr::memmem::find(body.html.as_bytes(), markdown::CODE_CLASS).is_some(),
    }
}

/// The summary of service guide `p`: its elements, its legal basis named by article and
/// act, and its process page.
fn service_view<'a>(inputs: &Inputs<'a>, p: PageId) -> Option<ServiceView<'a>> {
    let Inputs { site, links, .. } = *inputs;
    let meta = &site.pages[p].meta;
    if meta.kind != Kind::Service {
        return None;
    }
    let service = meta.service.as_ref();
    let text = |get: fn(&'a Service) -> &'a Option<String>| service.and_then(|s| get(s).as_deref());
    let resolved = links.service.get(p);
    let basis = service.map(|s| s.basis.as_slice()).unwrap_or_default().iter().enumerate();
    let basis = basis
        .filter_map(|(i, written)| {
            let (url, named) = resolved.and_then(|r| r.basis.get(i)).cloned().flatten()?;
            let Some((law, anchor)) = named else {
                return Some(CiteView { title: written.value.as_str(), url, law_title: "" });
            };
            let law_page = &site.pages[law];
            let title = inputs.page_bodies[law]
                .headings
                .iter()
                .find(|h| h.id == anchor)
                .map_or(law_page.meta.title.as_str(), |h| h.title.as_str());
            let law_title = law_page.meta.law_title.as_deref().unwrap_or(&law_page.meta.title);
            Some(CiteView { title, url, law_title: if title == law_title { "" } else { law_title } })
        })
        .collect();
    Some(ServiceView {
        name: text(|s| &s.name).unwrap_or(&meta.title),
        basis,
        conditions: service.map(|s| s.conditions.as_slice()).unwrap_or_default(),
        materials: service.map(|s| s.materials.as_slice()).unwrap_or_default(),
        location: text(|s| &s.location),
        hours: text(|s| &s.hours),
        phone: text(|s| &s.phone),
        process: resolved.and_then(|r| r.process).map(|q| doc_link(site, DocRef::Page(q))),
        time_limit: service.and_then(|s| s.time_limit.as_ref()),
        fees: text(|s| &s.fees),
    })
}

/// The `page` value of a page's template. The body HTML, its largest part, moves into the
/// value rather than being serialised (copied) with the rest, and the shared values go in as
/// they are: one serialisation makes the map, with no key inserted twice.
pub(super) fn page_value(mut view: PageView<'_>, shared: &SiteValues, config: &Config, lang: usize) -> Value {
    let links = &shared.links;
    let page_link = |p: Option<PageId>| p.map_or_else(Value::none, |p| links.page[p].clone());
    view.content.fill(Value::from);
    view.taxonomies.fill(|terms| shared.terms.page_value(config, lang, terms));
    view.ancestors.fill(|s| links.ancestors[s].clone());
    view.section.fill(|s| links.section[s].clone());
    view.prev.fill(page_link);
    view.next.fill(page_link);
    view.related
        .fill(|related| Value::from(related.iter().map(|&q| links.page[q].clone()).collect::<Vec<_>>()));
    view.linked_from.fill(|docs| {
        let value = |doc: &DocRef| match *doc {
            DocRef::Page(q) => links.page[q].clone(),
            DocRef::Section(s) => links.section[s].clone(),
        };
        Value::from(docs.iter().map(value).collect::<Vec<_>>())
    });
    Value::from_serializable(&view)
}

/// A rendered page's output made whole, as text (Tera writes only text).
fn whole_text(body: Body) -> String {
    let bytes = match body {
        Body::Bytes(bytes) => bytes,
        other => other.in_memory().unwrap_or_default().to_vec(),
    };
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The pages and sections linking to a page (of `kind`) through `backlinks`, each once, in
/// the order of its backlinks. On a law page the links to an article are left out: the article
/// lists them itself. Made here once rather than by the theme from `backlinks` on every page.
fn linked_from(backlinks: &[crate::links::Backlink], kind: Kind) -> Vec<DocRef> {
    // A set beside the list: a page may be linked from thousands of others.
    let mut seen = std::collections::HashSet::new();
    let to_article = |b: &crate::links::Backlink| kind == Kind::Law && b.anchor.starts_with("article-");
    backlinks.iter().filter(|b| !to_article(b) && seen.insert(b.source)).map(|b| b.source).collect()
}

/// A field of a view that is an id, or a value's source, until the template value it stands
/// for is put in: as an id it fingerprints the view cheaply, and the value is serialised as it
/// is (Tera takes a `Value` over without copying it).
pub(super) enum Filled<I> {
    /// What the value is made from.
    Id(I),
    /// The value.
    Value(Value),
}

impl<I> Filled<I> {
    /// Put in the value made from the id (once).
    fn fill(&mut self, value: impl FnOnce(I) -> Value) {
        let taken = std::mem::replace(self, Filled::Value(Value::none()));
        *self = match taken {
            Filled::Id(id) => Filled::Value(value(id)),
            done => done,
        };
    }
}

impl<I: Serialize> Serialize for Filled<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Filled::Id(id) => id.serialize(serializer),
            Filled::Value(value) => value.serialize(serializer),
        }
    }
}

/// A page's description: its `description:`, else the text of its first paragraph, cut at
/// about 160 characters. Every page without one used to carry the site's description (3,475
/// identical ones on a corpus of laws), which tells search engines nothing.
pub(super) fn page_description<'a>(written: &'a str, first_paragraph: &str) -> std::borrow::Cow<'a, str> {
    if !written.is_empty() {
        return std::borrow::Cow::Borrowed(written);
    }
    std::borrow::Cow::Owned(cut_text(first_paragraph, 160))
}

/// `text`, at most `limit` characters (cut at a space when there is one near the end, with `…`).
fn cut_text(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if cut[space..].chars().count() < 40 => cut[..space].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// The JSON-LD graph of page `p`: its facts and those of its guidance kind.
pub(super) fn page_jsonld(inputs: &Inputs<'_>, p: PageId, permalink: &str) -> String {
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
        Kind::Faq => KindFacts::Faq(faq_entries(h2s().map(|h| h.title.clone()).collect(), &body.faq_answers)),
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
        Kind::Service => {
            let service = meta.service.as_ref();
            let text = |get: fn(&Service) -> &Option<String>| {
                service.and_then(|s| get(s).as_deref()).filter(|v| !v.trim().is_empty())
            };
            KindFacts::Service(ServiceFacts {
                name: text(|s| &s.name).unwrap_or(&meta.title),
                location: text(|s| &s.location),
                phone: text(|s| &s.phone),
                days: service.and_then(|s| s.time_limit.as_ref()).map(|t| t.days),
                fees: text(|s| &s.fees),
            })
        }
    };
    let description = page_description(&meta.description, &body.first_paragraph);
    let facts = PageFacts {
        permalink,
        title: &meta.title,
        description: &description,
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

/// Pair FAQ questions with their answers' plain text (a question without one gets none).
pub(super) fn faq_entries(questions: Vec<String>, answers: &[String]) -> Vec<(String, String)> {
    let answers = answers.iter().cloned().chain(std::iter::repeat(String::new()));
    questions.into_iter().zip(answers).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_space_near_the_limit() {
        assert_eq!(cut_text("Short.", 160), "Short.");
        assert_eq!(cut_text("Bring your card, and your photo", 20), "Bring your card…");
        assert_eq!(cut_text("一二三四五六七八", 4), "一二三四…");
    }

    #[test]
    fn faq_answers_pair_with_questions() {
        let entries = faq_entries(vec!["Q1?".into(), "Q2?".into()], &["A1.".to_string()]);
        assert_eq!(entries, vec![("Q1?".to_string(), "A1.".to_string()), ("Q2?".to_string(), String::new())]);
    }

    #[test]
    fn linking_pages_are_listed_once_in_order_and_article_links_only_on_laws_are_left_out() {
        let link = |source: DocRef, anchor: &str| crate::links::Backlink {
            source,
            anchor: anchor.to_string(),
            text: "text".into(),
        };
        let backlinks = [
            link(DocRef::Page(4), ""),
            link(DocRef::Section(1), ""),
            link(DocRef::Page(4), "fees"),
            link(DocRef::Page(2), "article-7"),
            link(DocRef::Section(1), ""),
        ];
        let sources = [DocRef::Page(4), DocRef::Section(1)];
        assert_eq!(linked_from(&backlinks, Kind::Law), sources);
        assert_eq!(linked_from(&backlinks, Kind::Guide), [sources[0], sources[1], DocRef::Page(2)]);
    }
}

#[cfg(test)]
mod site_tests {
    use super::super::fixture::{page, render, text};

    #[test]
    fn a_law_article_lists_the_guidance_citing_it() {
        let outputs = render(&[
            ("site.yaml", "title: S\nbase_url: https://x.gov/\nlanguage: en\n"),
            ("content/_index.md", &page("title: Home", "")),
            (
                "content/act.md",
                &page("title: The Act\nkind: law", "## Article 1\n\nText.\n\n## Article 2\n\nMore."),
            ),
            ("content/guide.md", &page("title: How to apply", "See [the rule](act.md#article-2).")),
        ]);
        let act = text(&outputs, "act/index.html");
        assert!(act.contains(
            "<aside class=\"sp-cited-by\" aria-label=\"Guidance citing Article 2\">\
             <p class=\"sp-cited-by-title\">Guidance citing Article 2</p>\
             <ul><li><a href=\"/guide/\">How to apply</a></li></ul></aside>"
        ));
        // Article 1 is cited by nothing, so it has no list.
        assert_eq!(act.matches("class=\"sp-cited-by\"").count(), 1);
        assert!(act.contains("\"@type\":\"Legislation\""));
    }
}

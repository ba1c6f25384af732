//! Each language's search index (as JSON, and as a script for sites opened from disk) and its
//! search page.

use rayon::prelude::*;

use super::{Inputs, Output, Shared, base_context, bytes, plain_jsonld};
use crate::diagnostics::Diagnostic;
use crate::front_matter::Status;
use crate::templates::Templates;

/// Plain text of an HTML fragment (kept for callers of the old name; the Markdown stage now
/// gives every body's plain text as `Rendered::text_sections`).
pub fn strip_tags(html: &str) -> String {
    crate::markdown::plain::strip_tags(html)
}

/// The search index of one language (as JSON and as a script, for `file://`) and its page.
pub(super) fn search_outputs(
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
            // The plain text the Markdown stage splits at the body's headings.
            inputs.page_bodies[p].text_sections().into_iter().map(move |section| {
                let url = match &section.heading {
                    Some((id, _)) => format!("{}#{id}", page.url),
                    None => page.url.clone(),
                };
                crate::search::SearchDoc {
                    url: link(&url),
                    title: page.meta.title.clone(),
                    heading: section.heading.map(|(_, title)| title),
                    text: section.text,
                }
            })
        })
        .collect();
    let json = crate::search::build_index(&config.languages[lang].code, &docs);
    let url = config.url_for(&format!("{prefix}search/"));
    let title = inputs.strings[lang].get("search").map(String::as_str).unwrap_or("Search");
    let mut ctx = base_context(inputs, shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
    ctx.insert("search_index_url", &config.url_for(&index_path));
    ctx.insert("translations", &super::values::fixed_translations(inputs, lang, "search/"));
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

/// Split body HTML at its `<h2 id>`/`<h3 id>` headings: (heading id and text, plain text).
/// Kept for callers of the old name; the Markdown stage gives these as
/// `Rendered::text_sections`.
pub fn sections_of(html: &str) -> Vec<(Option<(String, String)>, String)> {
    crate::markdown::plain::sections(html).into_iter().map(|s| (s.heading, s.text)).collect()
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
    fn strip_tags_keeps_text() {
        assert_eq!(
            strip_tags("<p>Bring <strong>your</strong> booklet &amp; photo.</p>\n</div>"),
            "Bring your booklet & photo."
        );
    }
}

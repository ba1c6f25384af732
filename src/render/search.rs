//! Each language's search index (as JSON, and as a script for sites opened from disk) and its
//! search page.

use rayon::prelude::*;

use super::{Inputs, Output, Shared, base_context, bytes, plain_jsonld};
use crate::diagnostics::Diagnostic;
use crate::front_matter::Status;
use crate::templates::Templates;

/// Plain text of an HTML fragment, whitespace collapsed and entities decoded for the common five.
pub(super) fn strip_tags(html: &str) -> String {
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

/// Where the next `<h2 id="` or `<h3 id="` starts (one scan, so long bodies stay linear).
pub(super) fn next_heading(html: &str) -> Option<usize> {
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
pub(super) fn sections_of(html: &str) -> Vec<(Option<(String, String)>, String)> {
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

//! What search takes from a built site: each published page of a language as a
//! [`SearchPage`] (title, description, taxonomy terms, kind, top-level section, and its text cut
//! at its headings), and the filters and synonyms of the manifest.

use crate::config::Config;
use crate::content::{PageId, Site};
use crate::front_matter::{Kind, Status};
use crate::markdown::Rendered;

use super::index::{SearchPage, SearchSection, SearchSettings};

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
    let kinds = [Kind::Guide, Kind::Steps, Kind::Faq, Kind::Law]
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

/// Page `p` as search sees it; `link` makes its URLs (relative ones for relative sites).
pub fn search_page(site: &Site, body: &Rendered, p: PageId, link: &dyn Fn(&str) -> String) -> SearchPage {
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
        title: page.meta.title.clone(),
        description: page.meta.description.clone(),
        tags: page.meta.taxonomies.values().flatten().cloned().collect(),
        section,
        kind: page.meta.kind.as_str().to_string(),
        sections: sections_of(&body.html),
    }
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

/// Split body HTML at its `<h2 id>`/`<h3 id>` headings: first the text before the first
/// heading (perhaps empty), then one entry per heading.
pub fn sections_of(html: &str) -> Vec<SearchSection> {
    let mut sections = Vec::new();
    let (mut anchor, mut heading) = (String::new(), String::new());
    let mut rest = html;
    loop {
        let next = next_heading(rest);
        let text = plain_text(&rest[..next.unwrap_or(rest.len())]);
        sections.push(SearchSection {
            anchor: std::mem::take(&mut anchor),
            heading: std::mem::take(&mut heading),
            text,
        });
        let Some(start) = next else { break };
        let after = &rest[start + 8..];
        let id_end = after.find('"').unwrap_or(0);
        anchor = after[..id_end].to_string();
        let close = after.find("</h").unwrap_or(after.len());
        let title_start = after[..close].find('>').map(|i| i + 1).unwrap_or(close);
        heading = plain_text(&after[title_start..close]);
        rest = &after[close..];
        rest = rest.find('>').map(|i| &rest[i + 1..]).unwrap_or("");
    }
    sections
}

/// Inline elements: their tags separate nothing (`<a>挂失</a>。` reads `挂失。`).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup", "del",
    "ins",
];

/// The text of an HTML fragment as a reader sees it: tags of blocks separate words, inline
/// tags do not; callout labels ("Note", "提示") and HTML comments are left out; the common
/// entities are decoded and whitespace is collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let name: String = tag[1..end.max(1)]
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with("<p class=\"sp-callout-title\"") {
            // The label is the theme's, not the page's words.
            let skip = tag.find("</p>").map_or(tag.len(), |e| e + 4);
            rest = &tag[skip..];
            text.push(' ');
            continue;
        }
        if !INLINE.contains(&name.to_ascii_lowercase().as_str()) {
            text.push(' ');
        }
        rest = &tag[end..];
    }
    text.push_str(rest);
    // `&nbsp;` first, as a space; then the five entities the Markdown stage writes.
    let text = crate::text::unescape_html(&text.replace("&nbsp;", " "));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_sections_split_at_headings() {
        let html = "<p>Intro text.</p>\n<h2 id=\"apply\">How to <em>apply</em></h2>\n<p>Go.</p><h3 id=\"fees\">Fees</h3><p>None.</p>";
        let sections = sections_of(html);
        assert_eq!(sections.len(), 3);
        assert_eq!((sections[0].anchor.as_str(), sections[0].text.as_str()), ("", "Intro text."));
        assert_eq!(
            (sections[1].anchor.as_str(), sections[1].heading.as_str(), sections[1].text.as_str()),
            ("apply", "How to apply", "Go.")
        );
        assert_eq!(sections[2].anchor, "fees");
        let top = sections_of("<h2 id=\"a\">A</h2><p>x</p>");
        assert_eq!((top.len(), top[0].text.as_str()), (2, ""));
    }

    #[test]
    fn plain_text_reads_like_the_page() {
        assert_eq!(
            plain_text("<p>Bring <strong>your</strong> booklet &amp; photo.</p>\n</div>"),
            "Bring your booklet & photo."
        );
        assert_eq!(plain_text("<p>请查看<a href=\"/x/\">挂失与补领</a>。</p>"), "请查看挂失与补领。");
        assert_eq!(
            plain_text(
                "<div class=\"sp-callout sp-callout-note\" role=\"note\"><p class=\"sp-callout-title\">提示</p>\n<p>带上户口簿。</p></div>"
            ),
            "带上户口簿。"
        );
        assert_eq!(plain_text("<ul><li>one</li><li>two</li></ul>"), "one two");
    }
}

//! The plain-text side of a rendered body: the text of each FAQ answer (for `FAQPage`
//! structured data) and where each law article ends (where the guidance citing it is listed),
//! made when the body is rendered; and the body split at its headings for the search index,
//! made when asked ([`super::Rendered::text_sections`]). Later stages read these; none of
//! them reads HTML back.
//!
//! The text is taken from the body's own HTML, so it is exactly what the page shows.

/// A part of a body for the search index: the text under one `<h2 id>`/`<h3 id>` heading
/// (or before the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSection {
    /// The heading's id and plain text; `None` for the text before the first heading.
    pub heading: Option<(String, String)>,
    /// The plain text, whitespace collapsed.
    pub text: String,
}

/// Where the list of guidance citing a law article goes: the byte offset in the body HTML
/// (before the article's closing `</section>`), and the article's anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedSlot {
    /// Byte offset in [`super::Rendered::html`].
    pub offset: usize,
    /// The article's id (`article-7`).
    pub anchor: String,
}

/// Where the markdown stage marks the end of a law article while shaping the body; the marks
/// are taken out again by [`take_cited_slots`] before the body leaves the stage.
pub(super) const CITED_MARK: &str = "<!--sp-cited-by:";

/// Take every article-end mark out of `html`, returning where each one was.
pub(super) fn take_cited_slots(html: &mut String) -> Vec<CitedSlot> {
    let finder = memchr::memmem::Finder::new(CITED_MARK.as_bytes());
    if finder.find(html.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut slots = Vec::new();
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = finder.find(rest.as_bytes()) {
        let after = &rest[start + CITED_MARK.len()..];
        let Some(end) = after.find("-->") else { break };
        out.push_str(&rest[..start]);
        slots.push(CitedSlot { offset: out.len(), anchor: after[..end].to_string() });
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    *html = out;
    slots
}

/// The plain text of each FAQ answer, in order.
pub(super) fn faq_answers(html: &str) -> Vec<String> {
    html.split("<div class=\"sp-faq-answer\">")
        .skip(1)
        .map(|chunk| strip_tags(chunk.split("</details>").next().unwrap_or("")))
        .collect()
}

/// Plain text of an HTML fragment, whitespace collapsed and entities decoded for the common five.
pub fn strip_tags(html: &str) -> String {
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

/// Split body HTML at its `<h2 id>`/`<h3 id>` headings.
pub fn sections(html: &str) -> Vec<TextSection> {
    let mut sections = Vec::new();
    let mut heading: Option<(String, String)> = None;
    let mut rest = html;
    loop {
        let next = next_heading(rest);
        let chunk_end = next.unwrap_or(rest.len());
        let text = strip_tags(&rest[..chunk_end]);
        if !text.is_empty() || heading.is_some() {
            sections.push(TextSection { heading: heading.take(), text });
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
        let found = sections(html);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0], TextSection { heading: None, text: "Intro text.".into() });
        assert_eq!(
            found[1],
            TextSection { heading: Some(("apply".into(), "How to apply".into())), text: "Go.".into() }
        );
        assert_eq!(found[2].heading.as_ref().unwrap().0, "fees");
    }

    #[test]
    fn strip_tags_keeps_text() {
        assert_eq!(
            strip_tags("<p>Bring <strong>your</strong> booklet &amp; photo.</p>\n</div>"),
            "Bring your booklet & photo."
        );
    }

    #[test]
    fn faq_answers_are_read_in_order() {
        let html = "<div class=\"sp-faq\"><details><summary><h2>Q1?</h2></summary>\n<div class=\"sp-faq-answer\">\n<p>A1.</p>\n</div>\n</details>\n<details><summary><h2>Q2?</h2></summary>\n<div class=\"sp-faq-answer\">\n<p>A2.</p>\n</div>\n</details>\n</div>";
        assert_eq!(faq_answers(html), ["A1.", "A2."]);
    }

    #[test]
    fn article_marks_become_slots() {
        let mut html = "<section>\n<p>A.</p>\n<!--sp-cited-by:article-1-->\n</section>\n<section>\n<p>B.</p>\n<!--sp-cited-by:article-2-->\n</section>\n".to_string();
        let slots = take_cited_slots(&mut html);
        assert_eq!(html, "<section>\n<p>A.</p>\n\n</section>\n<section>\n<p>B.</p>\n\n</section>\n");
        assert_eq!(slots.len(), 2);
        assert_eq!(&html[..slots[0].offset], "<section>\n<p>A.</p>\n");
        assert_eq!(slots[1].anchor, "article-2");
        assert_eq!(&html[slots[1].offset..], "\n</section>\n");
    }
}

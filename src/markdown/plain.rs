//! What a rendered body records beside its HTML: the text of each FAQ answer (for `FAQPage`
//! structured data) and where each law article ends (where the guidance citing it is listed).
//! Rendering reads these fields instead of reading the HTML back.
//!
//! The text is taken from the body's own HTML, so it is exactly what the page shows.

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
    let text = crate::text::unescape_html(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace(" .", ".").replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::*;

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

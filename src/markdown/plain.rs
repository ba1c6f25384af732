//! What a rendered body records beside its HTML: its text as a reader sees it, cut at its
//! h2/h3 headings (for search), the text of its first paragraph (the description a page
//! without `description:` gets), the text of each FAQ answer (for `FAQPage` structured data)
//! and where each law article ends (where the guidance citing it is listed).
//! Later stages read these fields instead of reading the HTML back, and so does this stage.
//!
//! [`collect`] walks the same events the HTML is written from, so the text is exactly what the
//! page shows: block elements separate words, inline ones (emphasis, links, code) do not,
//! image alt text and callout labels are left out. HTML an author wrote in the Markdown is the
//! one input read as HTML here: its tags are dropped by the same rule.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;
pub(crate) use super::spaces::is_collapsed_piece;
use super::spaces::{collapse, collapse_ascii, collapse_in_place, push_collapsed};

/// A part of a body's text: the text before the first h2/h3 heading, or one such heading and
/// the text after it up to the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    /// The heading's id (`""` for the part before the first heading).
    pub anchor: String,
    /// The heading's text (`""` for the part before the first heading).
    pub heading: String,
    /// The text, no space at either end. Whitespace is collapsed to single spaces in code, an
    /// author's HTML and between blocks; a run an author typed inside a paragraph (two spaces
    /// after a full stop, a tab, an ideographic space) is kept: search reads the text's words,
    /// which no whitespace changes, and collapses what it shows of it (see `search::fragment`).
    pub text: String,
}

#[cfg(test)]
impl TextSection {
    /// A body of `text` alone, without headings, as tests of search give it.
    pub(crate) fn only(text: &str) -> std::borrow::Cow<'static, [TextSection]> {
        vec![TextSection { text: text.to_string(), ..TextSection::default() }].into()
    }
}

/// What [`collect`] finds in a body.
pub(super) struct PlainText {
    /// The text cut at h2/h3 headings; the first entry is the text before the first one.
    pub sections: Vec<TextSection>,
    /// The text of the first paragraph, ASCII whitespace collapsed.
    pub first_paragraph: String,
    /// The text of each FAQ answer, in order (FAQ bodies only).
    pub faq_answers: Vec<String>,
}

/// Sections whose text is at least this long keep the buffer they were gathered in (see
/// `Collector::finish_section`).
const HAND_OVER_FROM: usize = 1 << 20;

/// The most room a section's buffer is given before its text is seen.
const MAX_ROOM: usize = 1 << 16;

/// Inline HTML elements: their tags separate nothing (`<a>挂失</a>。` reads `挂失。`).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "s", "small", "span", "strong", "sub", "sup", "del",
    "ins",
];

/// Where the first paragraph's text is being gathered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum First {
    Before,
    In,
    Done,
}

/// The state of one walk over a body's events: fed each event by the pass that writes the
/// HTML, so that a large body is not walked (or parsed) once more for its text.
pub(super) struct Collector {
    /// The index in the body's headings of the next heading to start.
    heading_index: usize,
    sections: Vec<TextSection>,
    /// The section being gathered. Its heading's text is gathered in `current.text` too (the
    /// text before it has been taken out), and moved to `current.heading` where the heading
    /// ends: one buffer to write to instead of a choice between two for each piece of text.
    current: TextSection,
    /// Inside an h2/h3, whose text is being gathered.
    in_heading: bool,
    /// Nesting of images being skipped (their alt text is not page text).
    image_depth: usize,
    /// Inside a code block, whose text keeps its line breaks and indents.
    in_code: bool,
    /// Text goes to the search text alone, as it is: search is on, and no code block, FAQ
    /// answer or first paragraph is open. Kept up to date where those change, so that a piece
    /// of text asks one question instead of four.
    direct: bool,
    /// Footnote numbers, given in order of first mention as the HTML writer gives them.
    footnotes: HashMap<String, usize>,
    /// An author's HTML tag not closed yet at the end of its event (a tag over two lines).
    open_tag: Option<String>,
    first: First,
    first_paragraph: String,
    /// Whether the body is an FAQ's, whose top-level h2 headings are questions.
    faq: bool,
    /// Whether the text cut at headings is wanted (for search).
    search: bool,
    /// Nesting of block quotes, lists and footnotes (in an FAQ's body): headings inside them are
    /// not questions.
    depth: usize,
    /// A question's heading has started; its answer starts where the heading ends.
    question: bool,
    /// The answer being gathered, and those done.
    answer: Option<String>,
    faq_answers: Vec<String>,
}

impl Collector {
    /// A walk over a body's events (before they are shaped) recording its plain text; `faq`
    /// says whether it is an FAQ's body, whose answers are recorded too, and `search` whether
    /// its text cut at headings is wanted ([`PlainText::sections`] is empty otherwise);
    /// `room` is the body's length, which a section's text seldom passes.
    pub(super) fn new(faq: bool, search: bool, room: usize) -> Self {
        let mut current = TextSection::default();
        if search {
            // Room at once rather than a buffer that doubles, each time copied, as it fills;
            // a larger section still makes it grow.
            current.text.reserve(room.min(MAX_ROOM));
        }
        Collector {
            heading_index: 0,
            sections: Vec::new(),
            current,
            in_heading: false,
            image_depth: 0,
            in_code: false,
            direct: search,
            footnotes: HashMap::new(),
            open_tag: None,
            first: First::Before,
            first_paragraph: String::new(),
            faq,
            search,
            depth: 0,
            question: false,
            answer: None,
            faq_answers: Vec::new(),
        }
    }

    /// Room for `bytes` of search text at once (a large body's length): its text would
    /// otherwise grow by doubling, and each buffer it outgrew would stay in memory for a while.
    pub(super) fn reserve(&mut self, bytes: usize) {
        if self.search {
            self.current.text.reserve_exact(bytes);
        }
    }

    /// The text recorded, once every event has been seen.
    pub(super) fn finish(mut self) -> PlainText {
        self.finish_section();
        self.finish_answer();
        let first_paragraph = collapse_ascii(&self.first_paragraph);
        PlainText { sections: self.sections, first_paragraph, faq_answers: self.faq_answers }
    }

    /// Take in the body's next event; `headings` are the body's headings with their ids.
    #[inline(always)]
    pub(super) fn event(&mut self, event: &Event<'_>, headings: &[Heading]) {
        // Without search, only an FAQ's body wants more than its first paragraph.
        if !(self.search || self.faq || self.first != First::Done) {
            return;
        }
        if self.image_depth > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => self.image_depth += 1,
                Event::End(TagEnd::Image) => self.image_depth -= 1,
                _ => {}
            }
            return;
        }
        if self.faq {
            self.questions(event);
        }
        // Inlined into the loop over events, one jump on the kind of event (the kind of tag
        // included): a call for each of them, most doing little more than mark a word boundary,
        // cost about as much as the work.
        match event {
            // A third of the events: straight to where the text is gathered.
            Event::Text(text) => self.text(borrowed(text)),
            Event::Start(tag) => self.start(tag, headings),
            Event::End(tag) => self.end(*tag),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(t),
            Event::Html(html) | Event::InlineHtml(html) => self.author_html(html),
            // A space where the first paragraph breaks a line: its text is collapsed at the end,
            // where text with no whitespace but single spaces is taken as it is.
            Event::SoftBreak | Event::HardBreak | Event::TaskListMarker(_) => {
                self.separate();
                self.paragraph_text(" ");
            }
            Event::Rule => self.separate(),
            Event::FootnoteReference(name) => {
                let number = self.footnote(name).to_string();
                self.text(&number);
            }
        }
    }

    /// Where an FAQ's questions and answers start and end (before the event is taken in
    /// otherwise): other bodies skip this.
    fn questions(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)) => self.depth += 1,
            // A top-level h2 asks the next question; an h1 ends the questions.
            Event::Start(Tag::Heading { level, .. }) if self.depth == 0 && *level <= HeadingLevel::H2 => {
                self.finish_answer();
                self.question = *level == HeadingLevel::H2;
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                self.depth = self.depth.saturating_sub(1)
            }
            Event::End(TagEnd::Heading(_)) if self.question => {
                self.question = false;
                self.answer = Some(String::new());
                self.update_direct();
            }
            _ => {}
        }
    }

    #[inline(always)]
    fn start(&mut self, tag: &Tag<'_>, headings: &[Heading]) {
        match tag {
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } => {}
            Tag::Superscript | Tag::Subscript | Tag::HtmlBlock => {}
            Tag::Image { .. } => {
                self.separate();
                self.image_depth = 1;
            }
            Tag::Heading { level, .. } => {
                let index = self.heading_index;
                self.heading_index += 1;
                if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
                    self.start_section(index, headings);
                } else {
                    self.separate();
                }
            }
            Tag::Paragraph => {
                self.separate();
                if self.first == First::Before {
                    self.first = First::In;
                    self.update_direct();
                }
            }
            Tag::FootnoteDefinition(name) => {
                self.separate();
                let number = self.footnote(name).to_string();
                self.text(&number);
            }
            Tag::CodeBlock(_) => {
                self.separate();
                self.in_code = true;
                self.update_direct();
            }
            _ => self.separate(),
        }
    }

    #[inline(always)]
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {}
            TagEnd::Superscript | TagEnd::Subscript | TagEnd::HtmlBlock => {}
            TagEnd::Heading(HeadingLevel::H2 | HeadingLevel::H3) if self.in_heading => {
                self.in_heading = false;
                if self.search {
                    self.current.heading = finished(&mut self.current.text, true);
                }
            }
            TagEnd::Paragraph => {
                self.separate();
                if self.first == First::In {
                    self.first = First::Done;
                    self.update_direct();
                }
            }
            TagEnd::CodeBlock => {
                self.separate();
                self.in_code = false;
                self.update_direct();
            }
            _ => self.separate(),
        }
    }

    /// An h2 or h3 heading, the `index`th of `headings`, starts: the section before it is
    /// done. Out of the loop over events, which it seldom runs.
    #[inline(never)]
    fn start_section(&mut self, index: usize, headings: &[Heading]) {
        if self.search && self.sections.capacity() == 0 {
            // Every h2 and h3 starts a section: room for them all, and no more.
            let cut = headings.iter().filter(|h| matches!(h.level, 2 | 3)).count();
            self.sections.reserve_exact(cut + 1);
        }
        self.finish_section();
        self.current.anchor = headings.get(index).map(|h| h.id.clone()).unwrap_or_default();
        self.in_heading = true;
    }

    /// The number the HTML writer gives footnote `name`.
    fn footnote(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_string()).or_insert(next)
    }

    /// Text the page shows.
    #[inline(always)]
    fn text(&mut self, text: &str) {
        if self.direct {
            // Most text: a section's text and nothing else.
            self.current.text.push_str(text);
        } else {
            self.gather(text, self.in_code);
        }
    }

    /// Text the page shows; `spaced` when it likely holds line breaks or runs of spaces (code,
    /// an author's HTML). Other text, almost always collapsed already, is copied as it is and
    /// its section's text looked at once when it is finished; spaced text is collapsed at once,
    /// so that its section's text is seldom collapsed again.
    fn gather(&mut self, text: &str, spaced: bool) {
        if self.search {
            let out = &mut self.current.text;
            if spaced {
                push_collapsed(out, text);
            } else {
                out.push_str(text);
            }
        }
        if let Some(answer) = self.answer.as_mut() {
            answer.push_str(text);
        }
        self.paragraph_text(text);
    }

    /// Text of the first paragraph; link placeholders are noncharacters, and none of that
    /// range belongs in a description.
    fn paragraph_text(&mut self, text: &str) {
        if self.first != First::In {
            return;
        }
        // Every such noncharacter starts with byte `EF`; text without one is taken whole.
        if memchr::memchr(0xEF, text.as_bytes()).is_none() {
            self.first_paragraph.push_str(text);
        } else {
            self.first_paragraph.extend(text.chars().filter(|c| !('\u{FDD0}'..='\u{FDEF}').contains(c)));
        }
    }

    /// A word boundary, where a block element starts or ends.
    fn separate(&mut self) {
        if self.search {
            let text = &mut self.current.text;
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        if let Some(answer) = self.answer.as_mut() {
            answer.push(' ');
        }
    }

    /// Whether text goes to the search text alone (see [`Collector::direct`]).
    fn update_direct(&mut self) {
        self.direct = self.search && !self.in_code && self.answer.is_none() && self.first != First::In;
    }

    fn finish_section(&mut self) {
        if !self.search {
            return;
        }
        if self.sections.capacity() == 0 {
            // A body without h2 or h3 headings: one section, and room for no more.
            self.sections.reserve_exact(1);
        }
        let done = TextSection {
            anchor: std::mem::take(&mut self.current.anchor),
            heading: std::mem::take(&mut self.current.heading),
            text: finished(&mut self.current.text, false),
        };
        self.sections.push(done);
    }

    /// The answer being gathered, if any, is complete.
    fn finish_answer(&mut self) {
        if let Some(answer) = self.answer.take() {
            self.faq_answers.push(collapse(&answer).replace(" .", ".").replace(" ,", ","));
            self.update_direct();
        }
    }

    /// HTML the author wrote: its text is page text; its tags separate words unless inline.
    fn author_html(&mut self, html: &str) {
        let mut rest = html;
        loop {
            if let Some(tag) = self.open_tag.as_mut() {
                let Some(end) = rest.find('>') else {
                    tag.push_str(rest);
                    return;
                };
                tag.push_str(&rest[..end]);
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                self.open_tag = None;
                if !INLINE.contains(&name.as_str()) {
                    self.separate();
                }
                rest = &rest[end + 1..];
            }
            let Some(lt) = rest.find('<') else { break };
            self.gather(&decode(&rest[..lt]), true);
            self.open_tag = Some(String::new());
            rest = &rest[lt + 1..];
        }
        self.gather(&decode(rest), true);
    }
}

/// The text of `text`: most text is borrowed from the body, and read so without a call.
#[inline(always)]
fn borrowed<'a>(text: &'a CowStr<'_>) -> &'a str {
    match text {
        CowStr::Borrowed(text) => text,
        other => other,
    }
}

/// The text of a section gathered in `buf`, without a space at either end, and collapsed if
/// `collapse`; `buf` is left empty to gather the next.
///
/// Text was copied in as it came (but for code and an author's HTML). A heading is looked at
/// here, and collapsed in place in the rare case it is not already: results show it as it is.
/// A section's text is not: search reads only its words, and what a result shows of it is
/// looked at, and collapsed if need be, where it is cut (every byte once instead of twice).
///
/// Sections are kept until the site is rendered, so each is copied out at its size, and the
/// buffer, grown once per body rather than once per section, gathers the next section. A large
/// section's buffer is handed over instead: a copy would be made at the moment a huge page's
/// memory is at its highest.
fn finished(buf: &mut String, collapse: bool) -> String {
    if buf.len() >= HAND_OVER_FROM {
        return handed_over(buf, collapse);
    }
    if collapse && !buf.is_empty() && !is_collapsed_piece(buf.as_bytes()) {
        collapse_in_place(buf);
    }
    let text = buf.strip_prefix(' ').unwrap_or(buf);
    let done = String::from(text.strip_suffix(' ').unwrap_or(text));
    buf.clear();
    done
}

/// [`finished`] for a large section: its buffer itself, left empty in its place.
#[cold]
#[inline(never)]
fn handed_over(buf: &mut String, collapse: bool) -> String {
    let mut done = std::mem::take(buf);
    if collapse && !is_collapsed_piece(done.as_bytes()) {
        collapse_in_place(&mut done);
    }
    if done.ends_with(' ') {
        done.pop();
    }
    if done.starts_with(' ') {
        done.remove(0);
    }
    done.shrink_to_fit();
    done
}

/// Text of an author's HTML: `&nbsp;` as a space and the five entities decoded.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    crate::text::unescape_html(&text.replace("&nbsp;", " "))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn collected(body: &str) -> PlainText {
        let options = crate::config::MarkdownOptions::default();
        let strings = std::collections::BTreeMap::new();
        let rendered = super::super::render(
            body,
            super::super::RenderOptions {
                count_words: false,
                ..super::super::RenderOptions::for_tests(&options, &strings, crate::front_matter::Kind::Guide)
            },
        );
        PlainText {
            sections: rendered.text_sections,
            first_paragraph: rendered.first_paragraph,
            faq_answers: rendered.faq_answers,
        }
    }

    #[test]
    fn text_is_cut_at_h2_and_h3_headings() {
        let plain = collected(
            "Intro text.\n\n## How to *apply*\n\nGo.\n\n### Fees\n\nNone.\n\n#### Deep\n\nStill fees.",
        );
        let parts: Vec<_> =
            plain.sections.iter().map(|s| (s.anchor.as_str(), s.heading.as_str(), s.text.as_str())).collect();
        assert_eq!(
            parts,
            [
                ("", "", "Intro text."),
                ("how-to-apply", "How to apply", "Go."),
                ("fees", "Fees", "None. Deep Still fees.")
            ]
        );
        let top = collected("## A\n\nx");
        assert_eq!((top.sections.len(), top.sections[0].text.as_str()), (2, ""));
    }

    #[test]
    fn a_large_section_keeps_its_buffer_and_reads_as_a_small_one_would() {
        let paragraph = "Bring your booklet and photo.\n\n";
        let repeat = HAND_OVER_FROM / 20;
        let plain = collected(&format!("{}## Next\n\nDone.\n\n## Last\n\nEnd.", paragraph.repeat(repeat)));
        let words = vec!["Bring your booklet and photo."; repeat].join(" ");
        assert!(words.len() >= HAND_OVER_FROM, "the first section must be handed over");
        let texts: Vec<&str> = plain.sections.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, [words.as_str(), "Done.", "End."]);
        assert!(plain.sections[0].text.capacity() < 2 * words.len());
    }

    #[test]
    fn text_reads_like_the_page() {
        let plain = collected(
            "请查看[挂失与补领](lost.md)。Bring **your** booklet &amp; `photo`.\n\n\
             > [!NOTE]\n> 带上户口簿。\n\n![a map of the office](map.png)\n\n- one\n- two\n\n\
             ```\nlet x = 1 < 2;\n```\n\nSee<sup>1</sup> the <span>desk</span><br>today&nbsp;please.",
        );
        // `&nbsp;` in Markdown is a no-break space in the text; search reads it as a space.
        assert_eq!(
            plain.sections[0].text,
            "请查看挂失与补领。Bring your booklet & photo. 带上户口簿。 one two let x = 1 < 2; See1 the desk today\u{A0}please."
        );
    }

    #[test]
    fn text_keeps_an_authors_runs_of_whitespace_and_headings_are_collapsed() {
        // Code, an author's HTML and block boundaries are collapsed as they come, and headings
        // when they end; runs typed inside a paragraph stay in the text, which reads as the
        // same words.
        let plain = collected(
            "One  two\u{3000}three&nbsp;four &#9; five\nsix  \nseven\\\neight `a  b`\n\n\
             ```\ncode   block\n\tindented\n```\n\n    indented  code\n\n\
             <div>\n  an  author's\n\n  <b>HTML</b>\n</div>\n\n\
             ## Head  ing\u{A0}two\n\n- a\n- b  c\n\n|  x  | y |\n|---|---|\n| 1  2 | 3 |\n",
        );
        let parts: Vec<_> = plain.sections.iter().map(|s| (s.heading.as_str(), collapse(&s.text))).collect();
        assert_eq!(
            parts,
            [
                (
                    "",
                    "One two three four five six seven eight a b code block indented indented code \
                     an author's HTML"
                        .to_string()
                ),
                ("Head ing two", "a b c x y 1 2 3".to_string())
            ]
        );
        let text = &plain.sections[0].text;
        assert!(text.starts_with("One  two\u{3000}three\u{A0}four \t five six"), "{text:?}");
        assert!(text.ends_with(" a  b code block indented indented code an author's HTML"), "{text:?}");
        assert_eq!(plain.sections[1].text, "a b  c x y 1  2 3");
    }

    #[test]
    fn headings_read_as_their_text_collapsed_whatever_they_hold() {
        // A heading's text is gathered where the text of its section is, and taken out of it
        // where the heading ends.
        let plain = collected(
            "Intro  text.\n\n## Fees `code`  and *em* ![a map](map.png) here[^n]\n\nText.\n\n\
             ### <b>Bold</b><br>html &amp; more\n\n```\nlet  x;\n```\n\n#### Deep\n\nAfter.\n\n\
             ## Empty ![only](x.png)\n\n[^n]: Note.\n",
        );
        let parts: Vec<_> =
            plain.sections.iter().map(|s| (s.anchor.as_str(), s.heading.as_str(), s.text.as_str())).collect();
        assert_eq!(
            parts,
            [
                ("", "", "Intro  text."),
                ("fees-code-and-em-a-map-here", "Fees code and em here1", "Text."),
                ("boldhtml-more", "Bold html & more", "let x; Deep After."),
                ("empty-only", "Empty", "1 Note.")
            ]
        );
    }

    #[test]
    fn faq_answers_headings_and_code_take_text_in_any_order() {
        // Text goes to the search text alone but in code, an answer or the first paragraph:
        // each of them opens and closes here, and the text after each goes where it should.
        let options = crate::config::MarkdownOptions::default();
        let strings = std::collections::BTreeMap::new();
        let rendered = super::super::render(
            "First  one.\n\n## Q1?\n\nA  one.\n\n```\nx  y\n```\n\n### Sub\n\nB.\n\n# End\n\nC  c.",
            super::super::RenderOptions {
                highlight: false,
                count_words: false,
                ..super::super::RenderOptions::for_tests(&options, &strings, crate::front_matter::Kind::Faq)
            },
        );
        assert_eq!(rendered.first_paragraph, "First one.");
        assert_eq!(rendered.faq_answers, ["A one. x y Sub B."]);
        let parts: Vec<_> =
            rendered.text_sections.iter().map(|s| (s.heading.as_str(), s.text.as_str())).collect();
        assert_eq!(parts, [("", "First  one."), ("Q1?", "A  one. x y"), ("Sub", "B. End C  c.")]);
    }

    #[test]
    fn footnotes_read_as_their_numbers() {
        let plain = collected("Fees apply.[^fee]\n\n[^fee]: Ten yuan.\n");
        assert_eq!(plain.sections[0].text, "Fees apply.1 1 Ten yuan.");
    }

    #[test]
    fn first_paragraph_is_its_text_without_images() {
        let plain = collected(
            "# Title\n\n- tight\n\nGo to [the  office](office.md)\nwith ![photo](p.png)**both** forms &lt;A&gt;.\n\nNext.",
        );
        assert_eq!(plain.first_paragraph, "Go to the office with both forms <A>.");
        assert_eq!(collected("## Only a heading").first_paragraph, "");
    }

    #[test]
    fn faq_answers_are_the_text_after_each_question() {
        let options = crate::config::MarkdownOptions::default();
        let strings = std::collections::BTreeMap::new();
        let rendered = super::super::render(
            "Intro.\n\n## Q1?\n\n请带上**户口簿**。\n\n> [!NOTE]\n> Bring it.\n\n### Fees\n\nNone, [here](x.md).\n\n- ## Not a question\n\n## Q2?\n\n# The end\n\nAfter.",
            super::super::RenderOptions {
                highlight: false,
                count_words: false,
                ..super::super::RenderOptions::for_tests(&options, &strings, crate::front_matter::Kind::Faq)
            },
        );
        assert_eq!(rendered.faq_answers, ["请带上户口簿。 Bring it. Fees None, here. Not a question", ""]);
    }

    #[test]
    fn without_search_no_text_sections_are_kept_and_the_rest_is_the_same() {
        let body = "Intro with [a link](x.md).\n\n## Q1?\n\nAnswer **one**.\n\n## Q2?\n\nTwo.";
        let options = crate::config::MarkdownOptions::default();
        let strings = std::collections::BTreeMap::new();
        let render = |search_text| {
            super::super::render(
                body,
                super::super::RenderOptions {
                    highlight: false,
                    count_words: false,
                    search_text,
                    ..super::super::RenderOptions::for_tests(
                        &options,
                        &strings,
                        crate::front_matter::Kind::Faq,
                    )
                },
            )
        };
        let (with, without) = (render(true), render(false));
        assert_eq!(with.text_sections.len(), 3);
        assert!(without.text_sections.is_empty());
        assert_eq!(with.html, without.html);
        assert_eq!(with.first_paragraph, without.first_paragraph);
        assert_eq!(with.first_paragraph, "Intro with a link.");
        assert_eq!(with.faq_answers, without.faq_answers);
        assert_eq!(with.faq_answers, ["Answer one.", "Two."]);
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

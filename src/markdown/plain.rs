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

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::Heading;

/// A part of a body's text: the text before the first h2/h3 heading, or one such heading and
/// the text after it up to the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextSection {
    /// The heading's id (`""` for the part before the first heading).
    pub anchor: String,
    /// The heading's text (`""` for the part before the first heading).
    pub heading: String,
    /// The text, whitespace collapsed.
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
    current: TextSection,
    /// Inside an h2/h3: text goes to `current.heading`.
    in_heading: bool,
    /// Nesting of images being skipped (their alt text is not page text).
    image_depth: usize,
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
    /// Nesting of block quotes, lists and footnotes: headings inside them are not questions.
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
    /// its text cut at headings is wanted ([`PlainText::sections`] is empty otherwise).
    pub(super) fn new(faq: bool, search: bool) -> Self {
        Collector {
            heading_index: 0,
            sections: Vec::new(),
            current: TextSection::default(),
            in_heading: false,
            image_depth: 0,
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
        let first_paragraph = self.first_paragraph.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        PlainText { sections: self.sections, first_paragraph, faq_answers: self.faq_answers }
    }

    /// Take in the body's next event; `headings` are the body's headings with their ids.
    #[inline]
    pub(super) fn event(&mut self, event: &Event<'_>, headings: &[Heading]) {
        // Without search, only an FAQ's body wants more than its first paragraph.
        if self.search || self.faq || self.first != First::Done {
            self.take(event, headings);
        }
    }

    fn take(&mut self, event: &Event<'_>, headings: &[Heading]) {
        if self.image_depth > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => self.image_depth += 1,
                Event::End(TagEnd::Image) => self.image_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, headings),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.text(t),
            Event::Html(html) | Event::InlineHtml(html) => self.author_html(html),
            Event::SoftBreak => self.text("\n"),
            Event::HardBreak | Event::TaskListMarker(_) => {
                self.separate();
                self.paragraph_text("\n");
            }
            Event::Rule => self.separate(),
            Event::FootnoteReference(name) => {
                let number = self.footnote(name).to_string();
                self.text(&number);
            }
        }
    }

    fn start(&mut self, tag: &Tag<'_>, headings: &[Heading]) {
        match tag {
            Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_) => self.depth += 1,
            // A top-level h2 of an FAQ asks the next question; an h1 ends the questions.
            Tag::Heading { level, .. } if self.faq && self.depth == 0 && *level <= HeadingLevel::H2 => {
                self.finish_answer();
                self.question = *level == HeadingLevel::H2;
            }
            _ => {}
        }
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
                    self.finish_section();
                    self.current.anchor = headings.get(index).map(|h| h.id.clone()).unwrap_or_default();
                    self.in_heading = true;
                } else {
                    self.separate();
                }
            }
            Tag::Paragraph => {
                self.separate();
                if self.first == First::Before {
                    self.first = First::In;
                }
            }
            Tag::FootnoteDefinition(name) => {
                self.separate();
                let number = self.footnote(name).to_string();
                self.text(&number);
            }
            _ => self.separate(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition => {
                self.depth = self.depth.saturating_sub(1)
            }
            TagEnd::Heading(_) if self.question => {
                self.question = false;
                self.answer = Some(String::new());
            }
            _ => {}
        }
        match tag {
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {}
            TagEnd::Superscript | TagEnd::Subscript | TagEnd::HtmlBlock => {}
            TagEnd::Heading(HeadingLevel::H2 | HeadingLevel::H3) if self.in_heading => {
                self.in_heading = false
            }
            TagEnd::Paragraph => {
                self.separate();
                if self.first == First::In {
                    self.first = First::Done;
                }
            }
            _ => self.separate(),
        }
    }

    /// The number the HTML writer gives footnote `name`.
    fn footnote(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_string()).or_insert(next)
    }

    /// Text the page shows.
    fn text(&mut self, text: &str) {
        if self.search {
            push_collapsed(self.search_text(), text);
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
            let text = self.search_text();
            if !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
        }
        if let Some(answer) = self.answer.as_mut() {
            answer.push(' ');
        }
    }

    fn search_text(&mut self) -> &mut String {
        if self.in_heading { &mut self.current.heading } else { &mut self.current.text }
    }

    fn finish_section(&mut self) {
        if !self.search {
            return;
        }
        // Both were collapsed as they were gathered but for a space at the end. They are kept
        // until the site is rendered, so each is copied out at its size, and the buffers,
        // grown once per body rather than once per section, gather the next section. A large
        // section's buffer is handed over instead: a copy would be made at the moment a huge
        // page's memory is at its highest.
        let trimmed = |text: &mut String| {
            if text.len() >= HAND_OVER_FROM {
                let mut done = std::mem::take(text);
                if done.ends_with(' ') {
                    done.pop();
                }
                done.shrink_to_fit();
                return done;
            }
            let done = text.strip_suffix(' ').unwrap_or(text).to_owned();
            text.clear();
            done
        };
        let done = TextSection {
            anchor: std::mem::take(&mut self.current.anchor),
            heading: trimmed(&mut self.current.heading),
            text: trimmed(&mut self.current.text),
        };
        self.sections.push(done);
    }

    /// The answer being gathered, if any, is complete.
    fn finish_answer(&mut self) {
        if let Some(answer) = self.answer.take() {
            self.faq_answers.push(collapse(&answer).replace(" .", ".").replace(" ,", ","));
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
            self.text(&decode(&rest[..lt]));
            self.open_tag = Some(String::new());
            rest = &rest[lt + 1..];
        }
        self.text(&decode(rest));
    }
}

/// Text of an author's HTML: `&nbsp;` as a space and the five entities decoded.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    crate::text::unescape_html(&text.replace("&nbsp;", " "))
}

/// Whitespace collapsed to single spaces, none at either end: the words of
/// `str::split_whitespace` joined by spaces. Written out because that chain (an iterator that
/// decodes every character, a vector of words, a join) was a sixth of a build's instructions:
/// here ASCII bytes are looked at one by one and only other characters are decoded.
fn collapse(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            // `char::is_whitespace` of ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
            b if b.is_ascii() => (matches!(b, b'\t'..=b'\r' | b' '), 1),
            _ => match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            },
        };
        match (space, word) {
            (true, Some(start)) => {
                push_word(&mut out, &text[start..i]);
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        push_word(&mut out, &text[start..]);
    }
    out
}

/// Bytes that may start whitespace: ASCII whitespace, and the lead bytes of the other
/// whitespace characters (see [`whitespace_len`]).
const SPACE_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b'\t', b'\n', 0x0B, 0x0C, b'\r', b' ', 0xC2, 0xE1, 0xE2, 0xE3];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// The length in bytes of the whitespace character (`char::is_whitespace`) at `bytes[i]`, or 0
/// when none starts there: in UTF-8, U+0085 and U+00A0 are `C2 85` and `C2 A0`, U+1680 is
/// `E1 9A 80`, U+2000–U+200A, U+2028, U+2029, U+202F and U+205F start with `E2`, U+3000 is
/// `E3 80 80`.
#[inline]
pub(crate) fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        0xE2 if matches!((at(1), at(2)), (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)) => 3,
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Append `text` to `out`, text collapsed as it is gathered: every run of whitespace becomes one
/// space, none at the start of `out` nor after a space it ends with. Gathering a body's text
/// piece by piece this way, then taking off a space at the end, gives what [`collapse`] gives
/// for the whole, without copying it twice. Runs of text with single spaces are copied whole.
pub(crate) fn push_collapsed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if is_collapsed_piece(bytes) {
        // At most one space at the start, which is dropped where `out` has one or nothing.
        let after_space = out.is_empty() || out.ends_with(' ');
        out.push_str(if after_space { text.strip_prefix(' ').unwrap_or(text) } else { text });
        return;
    }
    // `text[copied..i]` is to be copied: no whitespace but single spaces after other bytes.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPACE_START[usize::from(b)] {
            i += 1;
            continue;
        }
        if b == b' ' && i > copied && bytes[i - 1] != b' ' {
            i += 1;
            continue;
        }
        let len = whitespace_len(bytes, i);
        if len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// Whether `bytes` has no whitespace but single spaces (it may start or end with one): no
/// control character, no two spaces in a row, no whitespace beyond ASCII. Most pieces of text
/// are like this, and every byte of every page's text is looked at here: 32 bytes at a time by
/// a loop the compiler vectorises, and by vector searches for the lead bytes of whitespace
/// beyond ASCII where there are bytes beyond ASCII at all.
pub(crate) fn is_collapsed_piece(bytes: &[u8]) -> bool {
    match control_double_space_high(bytes) {
        (true, _) => false,
        (false, high) => !high || !has_wide_space(bytes),
    }
}

/// Whether `bytes` has a byte below `0x20` or two spaces in a row, and whether it has a byte
/// beyond ASCII.
fn control_double_space_high(bytes: &[u8]) -> (bool, bool) {
    // Both for `a`, `b` being `a` one byte on (branch-free, so vectorised).
    let window = |a: &[u8; 32], b: &[u8; 32]| {
        let (mut bad, mut high) = (false, false);
        for k in 0..32 {
            bad |= (a[k] < 0x20) | ((a[k] == b' ') & (b[k] == b' '));
            high |= a[k] >= 0x80;
        }
        (bad, high)
    };
    let mut high = false;
    let mut at = 0;
    while at + 33 <= bytes.len() {
        if let (Some(a), Some(b)) = (bytes[at..].first_chunk::<32>(), bytes[at + 1..].first_chunk::<32>()) {
            let (bad, more) = window(a, b);
            if bad {
                return (true, high);
            }
            high |= more;
        }
        at += 32;
    }
    // The last bytes, padded with letters, which change nothing.
    let mut tail = [b'a'; 33];
    tail[..bytes.len() - at].copy_from_slice(&bytes[at..]);
    match (tail.first_chunk::<32>(), tail[1..].first_chunk::<32>()) {
        (Some(a), Some(b)) => {
            let (bad, more) = window(a, b);
            (bad, high | more)
        }
        _ => (false, high),
    }
}

/// Whether `bytes` has whitespace beyond ASCII: found from its lead bytes (see
/// [`whitespace_len`]) by vector searches.
fn has_wide_space(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(|i| whitespace_len(bytes, i) > 0)
}

/// Whether any byte of `bytes` is below 0x20 (a control character), the plain way.
#[cfg(test)]
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b < 0x20)
}

/// Append `word` to collapsed text, after a space unless it is the first.
fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
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
        assert_eq!(
            plain.sections[0].text,
            "请查看挂失与补领。Bring your booklet & photo. 带上户口簿。 one two let x = 1 < 2; See1 the desk today please."
        );
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
    fn collapse_joins_the_words_split_whitespace_finds() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\tthree\n\nfour  ",
            "a\u{0B}b\u{0C}c\rd",
            "全角\u{3000}空格\u{00A0}nbsp\u{2028}line\u{85}next",
            "请带上户口簿。 Bring\u{200B}it",
            "\u{3000}lead and trail\u{2003}",
            "é\u{1680}ü",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn text_collapsed_as_it_is_gathered_equals_the_whole_collapsed() {
        // Pieces drawn from characters at every kind of boundary (a fixed pseudo-random walk).
        let alphabet: Vec<char> =
            "ab  \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{200B}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{3001}—’é身"
                .chars()
                .collect();
        let mut next = crate::text::test_walk(2024);
        for round in 0..2000 {
            let mut whole = String::new();
            let mut gathered = String::new();
            for _ in 0..round % 7 {
                let piece: String = (0..next(9)).map(|_| alphabet[next(alphabet.len())]).collect();
                whole.push_str(&piece);
                push_collapsed(&mut gathered, &piece);
            }
            if gathered.ends_with(' ') {
                gathered.pop();
            }
            assert_eq!(gathered, collapse(&whole), "{whole:?}");
        }
        for ch in [
            '\u{0}', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2028}', '\u{3000}', '\u{3001}', 'é',
            '身',
        ] {
            let text = ch.to_string();
            let want = usize::from(ch.is_whitespace()) * ch.len_utf8();
            assert_eq!(whitespace_len(text.as_bytes(), 0), want, "{ch:?}");
        }
        assert_eq!(whitespace_len("\u{2028}".as_bytes(), 1), 0, "not at a character's start");
        // Pieces at every length around the eight bytes looked at at once.
        for round in 0..8000 {
            let piece: String = (0..round % 80).map(|_| alphabet[next(alphabet.len())]).collect();
            let reference = !has_control(piece.as_bytes())
                && !piece.contains("  ")
                && !piece.chars().any(|c| c.is_whitespace() && c != ' ');
            assert_eq!(is_collapsed_piece(piece.as_bytes()), reference, "{piece:?}");
        }
        // Long pieces with few spaces, across the 32 bytes looked at at once.
        let letters: Vec<char> = "ab é身—’\u{3001}\u{200B}cd".chars().collect();
        for round in 0..4000 {
            let mut piece: String = (0..round % 100).map(|_| letters[next(letters.len())]).collect();
            if round % 3 == 0 {
                let odd = alphabet[next(alphabet.len())];
                let at =
                    piece.char_indices().nth(next(piece.chars().count() + 1)).map_or(piece.len(), |(i, _)| i);
                piece.insert(at, odd);
            }
            let reference = !has_control(piece.as_bytes())
                && !piece.contains("  ")
                && !piece.chars().any(|c| c.is_whitespace() && c != ' ');
            assert_eq!(is_collapsed_piece(piece.as_bytes()), reference, "{piece:?}");
        }
        assert!(is_collapsed_piece(b" one two three four five "));
        assert!(!is_collapsed_piece(b"one two three  four"), "two spaces across eight bytes");
        assert!(!is_collapsed_piece(b"one two\tthree four"));
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

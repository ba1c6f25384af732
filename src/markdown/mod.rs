//! Markdown → HTML with pulldown-cmark, recording what later stages need: heading ids,
//! the table of contents, outgoing links with their source positions, and the summary.
//!
//! Internal links cannot be rewritten yet (their targets are resolved after every page is
//! parsed), so their `href` is written as a placeholder that [`fill_links`] replaces.
//! Guidance kinds shape the body here too: steps become an ordered step list, FAQ questions
//! become `<details>` entries, law articles get stable ids and a `<section>` each.

pub mod highlight;
mod link_table;
mod memo;
mod pieces;
pub mod plain;
mod spaces;
mod spill;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};

pub use link_table::{Link, Links};
pub use memo::BodyMemo;
pub use plain::{CitedSlot, TextSection};
pub use spill::Spilled;

/// What marks a code block in a body's HTML (`<pre class="code">`; raw HTML may carry it too):
/// a page that has one loads the code styles.
pub const CODE_CLASS: &[u8] = b"class=\"code\"";

use crate::config::MarkdownOptions;
use crate::front_matter::Kind;
use crate::guidance::numerals;
use crate::text::{escape_html, slugify, unique_id, word_count};

const PLACEHOLDER_OPEN: char = '\u{FDD0}';
const PLACEHOLDER_CLOSE: char = '\u{FDD1}';
/// [`PLACEHOLDER_OPEN`] and [`PLACEHOLDER_CLOSE`] as text.
const PLACEHOLDER_OPEN_UTF8: &str = "\u{FDD0}";
const PLACEHOLDER_CLOSE_UTF8: &str = "\u{FDD1}";

/// An entry of the table of contents (h2 with its h3 children).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    /// The heading's id.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// 2 or 3.
    pub level: u8,
    /// Nested h3 entries.
    pub children: Vec<TocEntry>,
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The id in the output.
    pub id: String,
    /// Plain text.
    pub title: String,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// A number no other rendering in this process has: a cached body keeps it, a
    /// re-rendered one gets a new one, so fingerprints can name a body without hashing it.
    pub id: u64,
    /// Body HTML; internal links hold placeholders until [`fill_links`]. Empty when the HTML
    /// is in [`Rendered::spilled`]: read it with [`Rendered::each_html_part`].
    pub html: String,
    /// A large body's HTML, kept in a file rather than in memory (see [`Spilled`]).
    pub spilled: Option<Arc<Spilled>>,
    /// Summary HTML (the part before `<!-- more -->`), if the marker is present.
    pub summary: Option<String>,
    /// h2/h3 contents list.
    pub toc: Vec<TocEntry>,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every id a link may target (`#fragment`).
    pub anchors: HashSet<String>,
    /// Links in source order; `links[i]` is placeholder `i` when internal.
    pub links: Links,
    /// Number of steps for `kind: steps`.
    pub step_count: usize,
    /// Plain-text words (0 unless [`RenderOptions::count_words`]).
    pub word_count: usize,
    /// The plain text of each FAQ answer, in order (`kind: faq` only).
    pub faq_answers: Vec<String>,
    /// Where each law article ends, for the guidance citing it (`kind: law` only).
    pub cited_slots: Vec<CitedSlot>,
    /// The text as a reader sees it, cut at the h2/h3 headings (what search indexes); the
    /// first entry is the text before the first heading. Empty unless
    /// [`RenderOptions::search_text`].
    pub text_sections: Vec<TextSection>,
    /// The text of the first paragraph, whitespace collapsed (the description of a page
    /// without `description:`).
    pub first_paragraph: String,
    /// Problems of the body's shortcode calls and snippets (see `crate::shortcodes`).
    pub problems: Vec<crate::diagnostics::Diagnostic>,
    /// What the body was made from besides its text (`data:NAME`, `snippet:NAME`,
    /// `shortcode:NAME`, `file:PATH`), each with its fingerprint at the time: a remembered
    /// body is reused only while all of them are unchanged.
    pub reads: Vec<(String, u64)>,
    /// Links written in a snippet, by link index (their `offset` is the snippet's inclusion).
    pub link_origins: Vec<(usize, LinkOrigin)>,
}

/// Where a link that a snippet brought into a body was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOrigin {
    /// The snippet's path for messages (`snippets/where-to-apply.md`).
    pub display: std::path::PathBuf,
    /// The snippet's folder relative to the site root, from which the link is resolved.
    pub dir: String,
    /// The snippet's text.
    pub text: std::sync::Arc<str>,
    /// The link's offset and length in that text.
    pub offset: usize,
    pub length: usize,
}

/// Settings for rendering one body.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Markdown extensions.
    pub markdown: &'a MarkdownOptions,
    /// Highlight code blocks.
    pub highlight: bool,
    /// The page's guidance kind.
    pub kind: Kind,
    /// Theme strings, for callout labels (`note`, `warning`, ...).
    pub strings: &'a std::collections::BTreeMap<String, String>,
    /// Count the words ([`Rendered::word_count`] is 0 otherwise): only templates that show
    /// `word_count` need it, and counting was a twentieth of a build.
    pub count_words: bool,
    /// Record the text cut at headings that search indexes ([`Rendered::text_sections`] is
    /// empty otherwise): a site without search has no use for it, and every body kept it
    /// until the last page was rendered.
    pub search_text: bool,
    /// What the page's images and documents are (their sizes), when the page has files to
    /// look at; without it images get no `width` and `height` and documents no type and size.
    pub files: Option<&'a dyn crate::media::Files>,
    /// Where a large body's HTML may wait in an unnamed file until its page is written: a
    /// folder on the output's file system (see [`spill`]). `None` keeps it in memory.
    pub spill_dir: Option<&'a std::path::Path>,
}

#[cfg(test)]
impl<'a> RenderOptions<'a> {
    /// Options for unit tests: code highlighted, words counted, search text kept, no files.
    /// Tests that look at one of these change it with `..RenderOptions::for_tests(…)`.
    pub(crate) fn for_tests(
        markdown: &'a MarkdownOptions,
        strings: &'a std::collections::BTreeMap<String, String>,
        kind: Kind,
    ) -> Self {
        RenderOptions {
            markdown,
            highlight: true,
            kind,
            strings,
            count_words: true,
            search_text: true,
            files: None,
            spill_dir: Some(test_spill_dir()),
        }
    }
}

/// The system's temporary folder, where unit tests' large bodies wait.
#[cfg(test)]
fn test_spill_dir() -> &'static std::path::Path {
    static DIR: std::sync::LazyLock<std::path::PathBuf> = std::sync::LazyLock::new(std::env::temp_dir);
    &DIR
}

/// The title that marks an image as decorative, `![](divider.png "decorative")`: it gets an
/// empty `alt`, on purpose, and no check asks for alt text.
pub const DECORATIVE: &str = "decorative";

fn parser_options(options: &MarkdownOptions) -> Options {
    let mut o = Options::ENABLE_GFM;
    o.set(Options::ENABLE_SMART_PUNCTUATION, options.smart_punctuation);
    o.set(Options::ENABLE_FOOTNOTES, options.footnotes);
    o.set(Options::ENABLE_TABLES, options.tables);
    o.set(Options::ENABLE_STRIKETHROUGH, options.strikethrough);
    o.set(Options::ENABLE_TASKLISTS, options.task_lists);
    o.set(Options::ENABLE_HEADING_ATTRIBUTES, options.heading_attributes);
    o
}

/// Whether a link destination points inside the site (and so must be resolved and checked).
pub fn is_internal(destination: &str) -> bool {
    if destination.is_empty() || destination.starts_with("//") {
        return false;
    }
    // A scheme is letters, digits, `+`, `-`, `.` followed by `:` before any `/`, `?` or `#`.
    let scheme_end = destination.find(':');
    let path_end = destination.find(['/', '?', '#']).unwrap_or(destination.len());
    match scheme_end {
        Some(colon) if colon < path_end => {
            let scheme = &destination[..colon];
            !(scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        }
        _ => true,
    }
}

/// Render a Markdown body.
pub fn render(body: &str, options: RenderOptions<'_>) -> Rendered {
    let large = body.len() >= REPARSE_FROM;
    let pieces = large.then_some(pieces::PIECE_BYTES);
    let batch = if body.len() >= BATCH_FROM { SINK_BATCH } else { usize::MAX };
    let hook = LARGE_BODY_HOOK.get().filter(|_| large);
    if let Some(hook) = hook {
        hook(true);
    }
    let rendered = render_in_batches(body, options, batch, pieces, true);
    if let Some(hook) = hook {
        hook(false);
    }
    rendered
}

/// What the program tells its allocator as a large body starts (`true`) and ends (`false`)
/// rendering; nothing unless [`on_large_bodies`] sets it.
static LARGE_BODY_HOOK: std::sync::OnceLock<fn(bool)> = std::sync::OnceLock::new();

/// Call `hook` with `true` as a body of [`REPARSE_FROM`] bytes or more starts rendering and
/// with `false` once it is rendered (the first hook set stays). A large body is parsed twice,
/// piece by piece, and what each piece allocates is freed as the next one starts: an allocator
/// that keeps freed memory for a while before giving it back holds a good part of it on top
/// of the body's own memory, at the moment that memory is at its highest.
pub fn on_large_bodies(hook: fn(bool)) {
    let _ = LARGE_BODY_HOOK.set(hook);
}

/// How many shaped events [`Sink`] gathers before it writes them out as HTML.
const SINK_BATCH: usize = 4096;

/// Bodies smaller than this are written out in one batch: they have fewer events than a batch
/// holds anyway, and following the blocks to find where a batch may end was a tenth of the
/// time spent shaping events.
const BATCH_FROM: usize = 64 * 1024;

/// Shaped events on their way into HTML, written out in batches at the end of a top-level
/// block rather than all at once at the end: a 20 MB page has millions of events, and holding
/// them all a second time (beside the parsed ones) was a quarter of the build's peak memory.
/// Each batch goes through a fresh HTML writer, which is the same as one writer for all of
/// them at those points: outside any block, after a block's closing tag and its newline.
struct Sink<'a, 'h> {
    events: Vec<Event<'a>>,
    html: &'h mut String,
    /// How many blocks are open.
    depth: usize,
    batch: usize,
    /// Where a large body's HTML goes, a part at a time, as it is written (see [`Spilled`]).
    spill: Option<spill::Spill>,
}

impl<'a> Sink<'a, '_> {
    fn push(&mut self, event: Event<'a>) {
        if self.batch == usize::MAX {
            self.events.push(event);
            return;
        }
        let ends_block = match &event {
            Event::Start(tag) if is_block(&tag.to_end()) => {
                self.depth += 1;
                false
            }
            Event::End(end) if is_block(end) => {
                self.depth = self.depth.saturating_sub(1);
                // The ends that write a newline after the closing tag.
                matches!(
                    end,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::List(_)
                        | TagEnd::BlockQuote(_)
                        | TagEnd::Table
                )
            }
            _ => false,
        };
        self.events.push(event);
        if ends_block && self.depth == 0 && self.events.len() >= self.batch {
            self.flush();
        }
    }

    /// Write out the events left, and the last part into the body's file if it has one: that
    /// file (see [`spill::finish`]). When a write failed, the body is rendered again with its
    /// HTML kept in memory.
    fn finish(mut self) -> Result<Option<Arc<Spilled>>, ()> {
        self.flush();
        spill::finish(self.spill.take(), self.html)
    }

    /// Write out the events gathered so far (into the body's file, once a part's worth).
    fn flush(&mut self) {
        pulldown_cmark::html::push_html(self.html, self.events.drain(..));
        if let Some(spill) = self.spill.as_mut()
            && self.html.len() >= spill::PART_BYTES
        {
            spill.write(self.html);
        }
    }
}

/// Whether a tag is a block (as opposed to inline text markup).
fn is_block(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Bodies larger than this are parsed once for each pass over their events (and in pieces,
/// see [`pieces`]) instead of having the events held between the passes. An event with its
/// source range takes about 100 bytes, and text with inline markup has one every few words:
/// held, the events of a 20 MB page took 15 times its size. Parsing again costs less than a
/// tenth of rendering.
const REPARSE_FROM: usize = 1 << 20;

/// [`render`], writing HTML every `batch` shaped events (see [`Sink`]).
/// With `pieces`, the body's events are not held but parsed for each pass, in pieces of at
/// least that many bytes (see [`REPARSE_FROM`]); with `spill` too, the HTML of a body cut into
/// pieces goes into a file as it is written (see [`spill::spills`]).
fn render_in_batches(
    source: &str,
    options: RenderOptions<'_>,
    batch: usize,
    pieces: Option<usize>,
    spill: bool,
) -> Rendered {
    let cleaned = without_placeholder_chars(source);
    let body = cleaned.as_ref();
    let parser_options = parser_options(options.markdown);
    let held = pieces.is_none().then(|| held_events(body, parser_options));
    let cut = pieces.map_or_else(Vec::new, |least| pieces::pieces(body, least));
    let parse = || pieces::parse(body, parser_options, &cut);
    let mut state = Renderer::new(options);
    if pieces.is_some() {
        // Every link and image starts with a `[`: room for that many links at once, rather than
        // a list that doubles while a large body is read, for a moment taking room for its old
        // and new selves (the room no link is written into is never touched).
        state.links.reserve_exact(memchr::memchr_iter(b'[', body.as_bytes()).count());
    }
    let footnotes = match &held {
        Some(events) => state.plan_headings(events.iter().map(|(e, _)| e)),
        None => state.plan_headings(parse().map(|(e, _)| e)),
    };
    let mut plain = plain::Collector::new(options.kind == Kind::Faq, options.search_text, body.len());
    if pieces.is_some() {
        // The text read is about as long as the body: room for all of it, since a buffer grown
        // by doubling leaves the ones it outgrew in memory while the body's is at its highest.
        plain.reserve(body.len());
    }
    let spill_dir = options.spill_dir.filter(|_| spill);
    let (spill, mut html) = spill::start(spill_dir, &cut, options.kind, body.len());
    // Footnote numbers are kept by the HTML writer from one event to the next: a body with
    // footnotes is written in one batch.
    let mut sink = Sink {
        // Shaping makes about as many events as parsing: room for them, or for a batch.
        events: Vec::with_capacity(held.as_ref().map_or(0, Vec::len).min(batch) + 16),
        html: &mut html,
        depth: 0,
        batch: if footnotes { usize::MAX } else { batch },
        spill,
    };
    match held {
        Some(events) => state.shape(events.into_iter(), &mut plain, &mut sink),
        None => state.shape(parse(), &mut plain, &mut sink),
    }
    let Ok(spilled) = sink.finish() else {
        return render_in_batches(source, options, batch, pieces, false);
    };
    let plain = plain.finish();
    if html.capacity() - html.len() > html.len() / 8 {
        // Bodies are kept until every page is rendered; a spare half of each adds up on a
        // large site, and the allocator does not give back spare room on shrinking.
        html = String::from(html.as_str());
    }
    // memmem rather than `str::find`: this looks through every body, and its vector search
    // took a tenth of the time spent rendering Markdown.
    let summary = memchr::memmem::find(html.as_bytes(), b"<!-- more -->").map(|idx| html[..idx].to_string());
    let cited_slots = if options.kind == Kind::Law { plain::take_cited_slots(&mut html) } else { Vec::new() };
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    Rendered {
        id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        html,
        spilled,
        summary,
        toc: build_toc(&state.headings),
        anchors: state.anchors,
        headings: state.headings,
        links: state.links.finish(),
        step_count: state.step_count,
        word_count: state.words,
        faq_answers: plain.faq_answers,
        cited_slots,
        text_sections: plain.sections,
        first_paragraph: plain.first_paragraph,
        problems: Vec::new(),
        reads: Vec::new(),
        link_origins: Vec::new(),
    }
}

/// `body` with an author's stray copies of our link placeholders (noncharacters) replaced by
/// U+FFFD, so that they are not taken for ours. U+FFFD has the same UTF-8 length, so source
/// offsets stay right.
fn without_placeholder_chars(body: &str) -> std::borrow::Cow<'_, str> {
    if has_placeholder_char(body) {
        std::borrow::Cow::Owned(body.replace([PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE], "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(body)
    }
}

/// Every event of `body` with its source range, held for the passes over them. Bodies make
/// about one event per 25 bytes: room for them at once, rather than a list that doubles, and is
/// copied each time, while the body is read.
fn held_events(body: &str, options: Options) -> Vec<(Event<'_>, std::ops::Range<usize>)> {
    let mut events = Vec::with_capacity(body.len() / 20 + 16);
    events.extend(Parser::new_ext(body, options).into_offset_iter());
    events
}

/// Replace link placeholders with their resolved URLs (already absolute paths or URLs).
///
/// `urls[i]` is the `href` for link `i`; links without a URL keep their destination as written.
pub fn fill_links(html: &str, links: &Links, urls: &[Option<Arc<str>>]) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    fill_links_with(html, links, urls, &mut |part| out.push_str(part));
    out
}

/// [`fill_links`], handing the filled HTML to `push` part by part instead of gathering it:
/// a large page's body is written straight into its output (or measured first) rather than
/// copied into a string of its own.
pub fn fill_links_with(html: &str, links: &Links, urls: &[Option<Arc<str>>], push: &mut dyn FnMut(&str)) {
    // Every page's body passes through here on every render: a vector search for the
    // placeholder's three bytes, rather than `str::find`'s search for its last byte, which is
    // a common byte of non-ASCII text.
    static OPEN: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let open = OPEN.get_or_init(|| memchr::memmem::Finder::new(PLACEHOLDER_OPEN_UTF8.as_bytes()));
    let mut rest = html;
    while let Some(start) = open.find(rest.as_bytes()) {
        push(&rest[..start]);
        let after = &rest[start + PLACEHOLDER_OPEN.len_utf8()..];
        let Some(end) = after.find(PLACEHOLDER_CLOSE) else {
            push(&rest[start..]);
            return;
        };
        let index: usize = after[..end].parse().unwrap_or(usize::MAX);
        let href = urls
            .get(index)
            .and_then(|u| u.as_deref())
            .or_else(|| links.get(index).map(|l| &**l.destination))
            .unwrap_or("");
        push(&escape_html(href));
        rest = &after[end + PLACEHOLDER_CLOSE.len_utf8()..];
    }
    push(rest);
}

/// Whether `text` holds either placeholder character. Every body is searched, so this is a
/// vector search for the first byte both characters start with (`EF`, which only characters
/// from U+F000 on start with, such as fullwidth punctuation),
/// rather than a decode of every character.
fn has_placeholder_char(text: &str) -> bool {
    const OPEN: &[u8] = PLACEHOLDER_OPEN_UTF8.as_bytes();
    const CLOSE: &[u8] = PLACEHOLDER_CLOSE_UTF8.as_bytes();
    let bytes = text.as_bytes();
    memchr::memchr_iter(OPEN[0], bytes).any(|at| {
        let rest = &bytes[at..];
        rest.starts_with(OPEN) || rest.starts_with(CLOSE)
    })
}

fn level_number(level: HeadingLevel) -> u8 {
    level as u8
}

fn build_toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut toc: Vec<TocEntry> = Vec::new();
    for h in headings.iter().filter(|h| h.level == 2 || h.level == 3) {
        let entry =
            TocEntry { id: h.id.clone(), title: h.title.clone(), level: h.level, children: Vec::new() };
        match (h.level, toc.last_mut()) {
            (3, Some(parent)) => parent.children.push(entry),
            _ => toc.push(entry),
        }
    }
    toc
}

/// Walks the event stream, keeping the state the guidance shapes need.
struct Renderer<'s> {
    strings: &'s std::collections::BTreeMap<String, String>,
    kind: Kind,
    highlight: bool,
    highlight_classes: crate::config::HighlightClasses,
    headings: Vec<Heading>,
    anchors: HashSet<String>,
    /// The links so far; their destinations and texts are each kept once: a large page may
    /// link to one place, with the same words, thousands of times.
    links: link_table::Recorder,
    step_count: usize,
    words: usize,
    /// Tables so far, to label each one's scrolling region uniquely.
    tables: usize,
    count_words: bool,
    /// Steps pages without `##` headings use the first top-level ordered list instead.
    steps_from_list: bool,
    files: Option<&'s dyn crate::media::Files>,
    /// Images so far: the first loads at once, the others only as they come near the screen.
    images: usize,
}

impl<'s> Renderer<'s> {
    fn new(options: RenderOptions<'s>) -> Self {
        Renderer {
            strings: options.strings,
            kind: options.kind,
            highlight: options.highlight,
            highlight_classes: options.markdown.highlight_classes,
            count_words: options.count_words,
            headings: Vec::new(),
            anchors: HashSet::new(),
            links: link_table::Recorder::default(),
            step_count: 0,
            words: 0,
            tables: 0,
            steps_from_list: false,
            files: options.files,
            images: 0,
        }
    }

    /// First pass: assign every heading its id (explicit, law article/chapter, or slug).
    /// Returns whether the body has footnotes.
    fn plan_headings<'e, E: std::borrow::Borrow<Event<'e>>>(
        &mut self,
        events: impl Iterator<Item = E>,
    ) -> bool {
        // Explicit ids win: every one is reserved before any id is generated, so that generated
        // ids never collide with them.
        let mut used = HashSet::new();
        let mut current: Option<(u8, Option<String>, String)> = None;
        // (level, explicit id, title) of every heading, in order.
        let mut found: Vec<(u8, Option<String>, String)> = Vec::new();
        let mut depth = 0usize;
        let mut has_top_level_h2 = false;
        let mut footnotes = false;
        for event in events {
            let event = event.borrow();
            footnotes |=
                matches!(event, Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)));
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    if let Some(id) = id {
                        used.insert(id.to_string());
                    }
                    current = Some((level_number(*level), id.as_ref().map(|s| s.to_string()), String::new()));
                    if depth == 0 && *level == HeadingLevel::H2 {
                        has_top_level_h2 = true;
                    }
                }
                Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::FootnoteDefinition(_)) => depth += 1,
                Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                    depth = depth.saturating_sub(1)
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, _, text)) = current.as_mut() {
                        text.push_str(t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, explicit, title)) = current.take() {
                        found.push((level, explicit, title.trim().to_string()));
                    }
                }
                _ => {}
            }
        }
        // Each law article's own id is reserved too, so that a suffix given to a repeated id
        // never takes it: `第七条` twice then `第七条之一` gave `article-7-1` to the second
        // `第七条`, and citations of Article 7-1 landed there. (Repeated article numbers are
        // errors of their own, see `guidance::law`.)
        let mut articles: HashSet<String> = HashSet::new();
        if self.kind == Kind::Law {
            for (_, explicit, title) in &found {
                if explicit.is_none()
                    && let Some(id) = numerals::article_id(title)
                {
                    articles.insert(id);
                }
            }
            used.extend(articles.iter().cloned());
        }
        for (level, explicit, title) in found {
            let id = match explicit {
                Some(id) => id,
                None => {
                    let base = self.generated_id(&title);
                    // The first heading of an article takes its reserved id.
                    if articles.remove(&base) { base } else { unique_id(&base, &mut used) }
                }
            };
            self.anchors.insert(id.clone());
            self.headings.push(Heading { level, id, title });
        }
        self.steps_from_list = self.kind == Kind::Steps && !has_top_level_h2;
        footnotes
    }

    /// Record a link or image found at `range`; returns its index and whether it is internal.
    fn record_link(&mut self, destination: &str, range: &std::ops::Range<usize>) -> (usize, bool) {
        let internal = is_internal(destination);
        (self.links.push(destination, range, internal), internal)
    }

    fn generated_id(&self, title: &str) -> String {
        if self.kind == Kind::Law
            && let Some(id) = numerals::article_id(title).or_else(|| numerals::chapter_id(title))
        {
            return id;
        }
        slugify(title)
    }

    /// Second pass: rewrite events (ids, links, code, callouts, guidance shapes).
    ///
    /// Longer than most functions: it is one match over the kinds of event, whose arms share
    /// the state of what is open (an image, a code block, a link, a steps list, an FAQ entry, a
    /// law article). Split into methods, each would take most of that state as arguments, and
    /// the order in which the arms are tried (inside an image or a code block first) would be
    /// spread over several places.
    /// Each event, before it is shaped, goes to `plain` as well.
    fn shape<'a>(
        &mut self,
        events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
        plain: &mut plain::Collector,
        out: &mut Sink<'a, '_>,
    ) {
        let mut heading_index = 0usize;
        let mut depth = 0usize;
        let mut code: Option<(String, String)> = None;
        let mut image: Option<OpenImage> = None;
        // The open link's index and text (an image's alt text counts as text).
        let mut link_text: Option<(usize, String)> = None;
        let mut open_article_level: Option<(u8, String)> = None;
        let mut in_shape = false; // inside the steps list / faq wrapper
        let mut pending_faq_answer = false;
        let mut list_steps_depth: Option<usize> = None;
        let mut list_steps_done = false;

        for (event, range) in events {
            plain.event(&event, &self.headings);
            if let Some(open) = image.as_mut() {
                match event {
                    Event::Text(t) | Event::Code(t) => open.alt.push_str(&t),
                    Event::End(TagEnd::Image) => {
                        if let Some(done) = image.take() {
                            // A decorative image's text is its marker: no check asks for alt text.
                            let decorative = done.title == DECORATIVE && done.alt.trim().is_empty();
                            self.links
                                .set_text(done.link, if decorative { DECORATIVE } else { done.alt.trim() });
                            if let Some((_, text)) = link_text.as_mut() {
                                text.push_str(&done.alt);
                            }
                            out.push(Event::InlineHtml(self.image_tag(&done).into()));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if let Some((_, text)) = code.as_mut() {
                match event {
                    Event::Text(t) => text.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (lang, text) = code.take().unwrap_or_default();
                        out.push(Event::Html(self.code_block(&lang, &text).into()));
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                    let heading = self.headings.get(heading_index).cloned();
                    heading_index += 1;
                    let top = depth == 0;
                    if let Some(h) = &heading
                        && top
                    {
                        self.open_shapes(
                            h,
                            out,
                            &mut in_shape,
                            &mut open_article_level,
                            &mut pending_faq_answer,
                        );
                    }
                    let id = heading.map(|h| CowStr::from(h.id));
                    out.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    out.push(Event::End(TagEnd::Heading(level)));
                    if pending_faq_answer {
                        out.push(Event::Html("</summary>\n<div class=\"sp-faq-answer\">\n".into()));
                        pending_faq_answer = false;
                    }
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Link { dest_url, title, link_type, id }) => {
                    let (index, internal) = self.record_link(&dest_url, &range);
                    link_text = Some((index, String::new()));
                    if internal {
                        let mut tag = format!("<a href=\"{PLACEHOLDER_OPEN}{index}{PLACEHOLDER_CLOSE}\"");
                        if !title.is_empty() {
                            let _ = write!(tag, " title=\"{}\"", escape_html(&title));
                        }
                        tag.push('>');
                        out.push(Event::InlineHtml(tag.into()));
                    } else {
                        out.push(Event::Start(Tag::Link { dest_url, title, link_type, id }));
                    }
                }
                Event::Start(Tag::Image { dest_url, title, .. }) => {
                    let (index, internal) = self.record_link(&dest_url, &range);
                    let src = if internal {
                        format!("{PLACEHOLDER_OPEN}{index}{PLACEHOLDER_CLOSE}")
                    } else {
                        escape_html(&dest_url)
                    };
                    image =
                        Some(OpenImage { src, title: title.to_string(), alt: String::new(), link: index });
                }
                Event::End(TagEnd::Link) => {
                    if let Some((index, text)) = link_text.take() {
                        self.links.set_text(index, text.trim());
                    }
                    out.push(Event::End(TagEnd::Link));
                    if let Some(meta) = self.document_meta() {
                        out.push(Event::InlineHtml(meta.into()));
                    }
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    if self.count_words {
                        self.words += word_count(t);
                    }
                    if let Some((_, text)) = link_text.as_mut() {
                        text.push_str(t);
                    }
                    out.push(event);
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    depth += 1;
                    out.push(Event::Html(callout_open(kind, self.strings).into()));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    depth = depth.saturating_sub(1);
                    out.push(Event::Html("</div>\n".into()));
                }
                Event::Start(Tag::List(Some(first)))
                    if self.steps_from_list && depth == 0 && !list_steps_done =>
                {
                    depth += 1;
                    list_steps_depth = Some(depth);
                    let start = if first == 1 { String::new() } else { format!(" start=\"{first}\"") };
                    out.push(Event::Html(format!("<ol class=\"sp-steps\"{start}>\n").into()));
                }
                Event::Start(Tag::Item) if list_steps_depth == Some(depth) => {
                    self.step_count += 1;
                    let id = format!("step-{}", self.step_count);
                    self.anchors.insert(id.clone());
                    out.push(Event::Html(format!("<li class=\"sp-step\" id=\"{id}\">").into()));
                }
                Event::End(TagEnd::Item) if list_steps_depth == Some(depth) => {
                    out.push(Event::Html("</li>\n".into()));
                }
                Event::End(TagEnd::List(true)) if list_steps_depth == Some(depth) => {
                    depth = depth.saturating_sub(1);
                    list_steps_depth = None;
                    list_steps_done = true;
                    out.push(Event::Html("</ol>\n".into()));
                }
                Event::Start(Tag::Table(_)) => {
                    // A wide table scrolls inside a focusable, labelled region rather than
                    // breaking words and prices mid-character on a narrow screen.
                    self.tables += 1;
                    let label = self.strings.get("table").map(String::as_str).unwrap_or("Table");
                    let label = escape_html(&format!("{label} {}", self.tables));
                    out.push(Event::Html(
                        format!(
                            "<div class=\"sp-table\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">\n"
                        )
                        .into(),
                    ));
                    out.push(event);
                }
                Event::End(TagEnd::Table) => {
                    out.push(event);
                    out.push(Event::Html("</div>\n".into()));
                }
                Event::Start(Tag::BlockQuote(None) | Tag::List(_) | Tag::FootnoteDefinition(_)) => {
                    depth += 1;
                    out.push(event);
                }
                Event::End(TagEnd::BlockQuote(None) | TagEnd::List(_) | TagEnd::FootnoteDefinition) => {
                    depth = depth.saturating_sub(1);
                    out.push(event);
                }
                other => out.push(other),
            }
        }
        self.close_shapes(out, in_shape, open_article_level);
    }

    /// Open the wrappers a top-level heading starts (a step, an FAQ entry, a law article).
    fn open_shapes<'a>(
        &mut self,
        heading: &Heading,
        out: &mut Sink<'a, '_>,
        in_shape: &mut bool,
        open_article: &mut Option<(u8, String)>,
        pending_faq_answer: &mut bool,
    ) {
        match self.kind {
            Kind::Steps if heading.level == 2 && !self.steps_from_list => {
                let mut html = String::new();
                if *in_shape {
                    html.push_str("</li>\n");
                } else {
                    html.push_str("<ol class=\"sp-steps\">\n");
                    *in_shape = true;
                }
                self.step_count += 1;
                let id = format!("step-{}", self.step_count);
                self.anchors.insert(id.clone());
                let _ = writeln!(html, "<li class=\"sp-step\" id=\"{id}\">");
                out.push(Event::Html(html.into()));
            }
            Kind::Faq if heading.level == 2 => {
                let mut html = String::new();
                if *in_shape {
                    html.push_str("</div>\n</details>\n");
                } else {
                    html.push_str("<div class=\"sp-faq\">\n");
                    *in_shape = true;
                }
                html.push_str("<details class=\"sp-faq-item\" open>\n<summary>");
                out.push(Event::Html(html.into()));
                *pending_faq_answer = true;
            }
            Kind::Faq if heading.level < 2 && *in_shape => {
                out.push(Event::Html("</div>\n</details>\n</div>\n".into()));
                *in_shape = false;
            }
            Kind::Steps if heading.level < 2 && *in_shape => {
                out.push(Event::Html("</li>\n</ol>\n".into()));
                *in_shape = false;
            }
            Kind::Law => {
                if let Some((level, id)) = open_article.as_ref()
                    && heading.level <= *level
                {
                    out.push(Event::Html(format!("{}{id}-->\n</section>\n", plain::CITED_MARK).into()));
                    *open_article = None;
                }
                if heading.id.starts_with("article-") && numerals::article_id(&heading.title).is_some() {
                    out.push(Event::Html(
                        format!("<section class=\"sp-article\" aria-labelledby=\"{}\">\n", heading.id).into(),
                    ));
                    *open_article = Some((heading.level, heading.id.clone()));
                }
            }
            _ => {}
        }
    }

    fn close_shapes<'a>(&self, out: &mut Sink<'a, '_>, in_shape: bool, open_article: Option<(u8, String)>) {
        if in_shape {
            match self.kind {
                Kind::Steps => out.push(Event::Html("</li>\n</ol>\n".into())),
                Kind::Faq => out.push(Event::Html("</div>\n</details>\n</div>\n".into())),
                _ => {}
            }
        }
        if let Some((_, id)) = open_article {
            out.push(Event::Html(format!("{}{id}-->\n</section>\n", plain::CITED_MARK).into()));
        }
    }

    fn code_block(&self, lang: &str, text: &str) -> String {
        let lang_attr =
            if lang.is_empty() { String::new() } else { format!(" data-lang=\"{}\"", escape_html(lang)) };
        let highlighted =
            if self.highlight { highlight::highlight(text, lang, self.highlight_classes) } else { None };
        let body = highlighted.map(|h| h.to_string()).unwrap_or_else(|| escape_html(text));
        format!("<pre class=\"code\"{lang_attr}><code>{body}</code></pre>\n")
    }
}

/// An image whose alt text is still being collected.
struct OpenImage {
    /// Escaped `src`, or a link placeholder.
    src: String,
    title: String,
    alt: String,
    /// Its index in the body's links, which records the alt text as the link's text.
    link: usize,
}

impl Renderer<'_> {
    /// An `<img>` with its intrinsic size, lazy loading below the first image, and the
    /// resized copies made of it as `srcset`.
    fn image_tag(&mut self, image: &OpenImage) -> String {
        let mut tag = format!("<img src=\"{}\" alt=\"{}\"", image.src, escape_html(image.alt.trim()));
        if !image.title.is_empty() && image.title != DECORATIVE {
            let _ = write!(tag, " title=\"{}\"", escape_html(&image.title));
        }
        let link = self.links.links().get(image.link).filter(|l| l.internal);
        let facts = link.and_then(|l| self.files?.image(l.destination));
        if let Some(crate::media::ImageFacts { size: Ok(size), widths }) = &facts {
            let _ = write!(tag, " width=\"{}\" height=\"{}\"", size.width, size.height);
            if !widths.is_empty() {
                let mut set: Vec<String> = widths
                    .iter()
                    .map(|w| format!("{} {w}w", crate::media::variant_path(&image.src, *w)))
                    .collect();
                set.push(format!("{} {}w", image.src, size.width));
                let _ = write!(tag, " srcset=\"{}\" sizes=\"(min-width: 48em) 45em, 100vw\"", set.join(", "));
            }
        }
        if self.images > 0 {
            tag.push_str(" loading=\"lazy\"");
        }
        self.images += 1;
        tag.push_str(" decoding=\"async\">");
        tag
    }

    /// ` (PDF, 240 KB, 2 pages)` after a link to a document of the site, in the page's language.
    fn document_meta(&self) -> Option<String> {
        let link = self.links.links().last().filter(|l| l.internal)?;
        let document = self.files?.document(link.destination)?;
        let string = |key: &str, default: &'static str| self.strings.get(key).map_or(default, String::as_str);
        let mut details = vec![document.kind, document.size];
        if let Some(pages) = document.pages {
            let (key, default) =
                if pages == 1 { ("file_page", "{n} page") } else { ("file_pages", "{n} pages") };
            details.push(string(key, default).replace("{n}", &pages.to_string()));
        }
        let details = details.join(string("file_meta_separator", ", "));
        let text = string("file_meta", " ({details})").replace("{details}", &details);
        Some(format!("<span class=\"sp-file-meta\">{}</span>", escape_html(&text)))
    }
}

fn callout_open(kind: BlockQuoteKind, strings: &std::collections::BTreeMap<String, String>) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    let label = strings.get(class).map(String::as_str).unwrap_or(label);
    format!(
        "<div class=\"sp-callout sp-callout-{class}\" role=\"note\"><p class=\"sp-callout-title\">{}</p>\n",
        escape_html(label)
    )
}

#[cfg(test)]
mod tests;

//! A page's body in its output. The body is the largest part of most pages (all of a large
//! one), so when the templates print it only as it is (see
//! [`Templates::prints_body_verbatim`](crate::templates::Templates::prints_body_verbatim)),
//! the page template is rendered around a short marker and the body, its links filled in, is
//! written in the marker's place: the body is then never copied into the template's values,
//! its `safe` filter and its output (three copies, each as large as the body).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;
use std::sync::Arc;

use tera::Value;

use super::Inputs;
use super::values::{LinkView, doc_link};
use crate::content::PageId;
use crate::diagnostics::{Diagnostic, Location};
use crate::links::DocRef;
use crate::markdown::{self, Rendered};
use crate::text::escape_html;

/// What a page's `content` holds while its template is rendered around it. Noncharacters
/// around it keep it from being anything an author writes by chance, and its lowercase
/// letters from surviving a filter that changes them unseen.
pub(super) const MARKER: &str = "\u{FDD2}signpost:body\u{FDD3}";

/// The page's body with its links filled in and, at the end of each law article, the list of
/// guidance citing it (the article ends are recorded by the Markdown stage), part by part.
/// Fails only when a large body's HTML cannot be read back from its file.
pub(super) fn write_content(
    inputs: &Inputs<'_>,
    p: PageId,
    body: &Rendered,
    urls: &[Option<Arc<str>>],
    push: &mut dyn FnMut(&str),
) -> io::Result<()> {
    write_parts(body, urls, &asides(inputs, p, body), push)
}

/// What to do when a body's HTML cannot be read back from its file (pages and sections alike).
pub(super) const READ_BACK_HINT: &str = "the body waited in an unnamed file beside the output folder that could not be read: build again, or check the disk that holds the output";

/// The error of a page whose body's HTML could not be read back from its file.
pub(super) fn read_error(inputs: &Inputs<'_>, p: PageId, error: &io::Error) -> Diagnostic {
    let file = inputs.site.pages[p].source.display.clone();
    Diagnostic::error(format!("cannot read back the page's rendered body: {error}"))
        .at(Location { file, line: 1, column: 1, length: 1 })
        .with_hint(READ_BACK_HINT)
}

/// The list of guidance citing each law article of `body` (see [`cited_by`]), one per slot.
fn asides(inputs: &Inputs<'_>, p: PageId, body: &Rendered) -> Vec<String> {
    let list = |slot: &markdown::CitedSlot| {
        let mut list = String::new();
        cited_by(inputs, p, &slot.anchor, &mut list);
        list
    };
    body.cited_slots.iter().map(list).collect()
}

/// [`write_content`] with the lists citing each article made already (`asides`, one per slot).
fn write_parts(
    body: &Rendered,
    urls: &[Option<Arc<str>>],
    asides: &[String],
    push: &mut dyn FnMut(&str),
) -> io::Result<()> {
    if body.spilled.is_some() {
        // A body kept in a file is no law's, so it has no articles to list citations after.
        return body.each_html_part(&mut |part| markdown::fill_links_with(part, &body.links, urls, push));
    }
    let fill = |from: usize, to: usize, push: &mut dyn FnMut(&str)| {
        markdown::fill_links_with(body.html.get(from..to).unwrap_or(""), &body.links, urls, push);
    };
    let mut from = 0;
    for (slot, aside) in body.cited_slots.iter().zip(asides) {
        fill(from, slot.offset, push);
        push(aside);
        from = slot.offset;
    }
    fill(from, body.html.len(), push);
    Ok(())
}

/// [`write_content`] gathered into one string.
pub(super) fn content(
    inputs: &Inputs<'_>,
    p: PageId,
    body: &Rendered,
    urls: &[Option<Arc<str>>],
) -> Result<String, Diagnostic> {
    let mut out = String::with_capacity(body.html_len() + 256);
    write_content(inputs, p, body, urls, &mut |part| out.push_str(part))
        .map_err(|e| read_error(inputs, p, &e))?;
    Ok(out)
}

/// `page` with its `content` replaced.
pub(super) fn with_content(page: Value, content: String) -> Value {
    let mut map = page.into_map().unwrap_or_default();
    map.insert(tera::value::Key::Str("content"), Value::from(content));
    Value::from(map)
}

/// Writes a body part by part (see [`write_content`]).
pub(super) type WriteBody<'a> = dyn Fn(&mut dyn FnMut(&str)) -> io::Result<()> + 'a;

/// Bodies from this size on (`len_hint`, about what `write` writes) are measured before they are
/// written, so that their buffer never grows: a buffer that grows while a large body is
/// written would for a moment need room for it twice.
const MEASURE_FROM: usize = 1 << 20;

/// `rendered` with its one [`MARKER`] replaced by what `write` writes, in a buffer of exactly
/// the right size for a large body (see [`MEASURE_FROM`]). `None` when the marker is not
/// there exactly once: the template did something with the body other than print it.
pub(super) fn splice(rendered: &[u8], len_hint: usize, write: &WriteBody<'_>) -> io::Result<Option<Vec<u8>>> {
    let Some(at) = marker_at(rendered) else { return Ok(None) };
    let mut len = rendered.len() - MARKER.len();
    if len_hint < MEASURE_FROM {
        // A small body's buffer may grow: no need for a first run to measure it.
        len += len_hint + len_hint / 8;
    } else {
        write(&mut |part| len += part.len())?;
    }
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&rendered[..at]);
    write(&mut |part| out.extend_from_slice(part.as_bytes()))?;
    out.extend_from_slice(&rendered[at + MARKER.len()..]);
    Ok(Some(out))
}

/// Bodies from this size on are written to their file part by part when the build writes
/// files (see [`Spliced`]), rather than spliced into one buffer: the buffer was the size of
/// the whole page, beside the body it was made from.
pub(super) const STREAM_FROM: usize = MEASURE_FROM;

/// A page's output kept in parts: the template's output before and after the body, and the
/// body, whose links are filled in each time it is written. Nothing as large as the page is
/// made: each writer of the output (the file, its hash, the comparison with the file already
/// there) takes the parts one after the other.
pub struct Spliced {
    /// The template's output up to the marker.
    head: Vec<u8>,
    /// The page's body.
    body: Arc<Rendered>,
    /// Where its links point.
    urls: Vec<Option<Arc<str>>>,
    /// The list citing each law article (see [`write_content`]).
    asides: Vec<String>,
    /// The template's output after the marker.
    tail: Vec<u8>,
    /// The length of the whole.
    len: usize,
}

impl Spliced {
    /// The output `rendered` (a template's, holding the [`MARKER`] once) with the body of page
    /// `p` in the marker's place; `None` when the marker is not there exactly once. Fails when
    /// the body's HTML cannot be read back from its file (it is read once here, to measure).
    pub(super) fn new(
        rendered: &[u8],
        inputs: &Inputs<'_>,
        p: PageId,
        urls: &[Option<Arc<str>>],
    ) -> io::Result<Option<Self>> {
        let Some(at) = marker_at(rendered) else { return Ok(None) };
        let body = Arc::clone(&inputs.page_bodies[p]);
        let asides = asides(inputs, p, &body);
        let mut spliced = Spliced {
            head: rendered[..at].to_vec(),
            urls: urls.to_vec(),
            asides,
            tail: rendered[at + MARKER.len()..].to_vec(),
            body,
            len: 0,
        };
        let mut len = 0;
        spliced.write(&mut |part| len += part.len())?;
        spliced.len = len;
        Ok(Some(spliced))
    }

    /// The number of bytes of the output.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the output is empty (it never is: the template's output is around the body).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Hands the output to `push`, part by part. Fails when the body's HTML cannot be read
    /// back from its file; what was handed over is then not the whole output.
    pub fn write(&self, push: &mut dyn FnMut(&[u8])) -> io::Result<()> {
        push(&self.head);
        write_parts(&self.body, &self.urls, &self.asides, &mut |part| push(part.as_bytes()))?;
        push(&self.tail);
        Ok(())
    }

    /// The output in one buffer (for the outputs kept in memory: the preview, relative URLs).
    pub fn to_vec(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len);
        self.write(&mut |part| out.extend_from_slice(part))?;
        Ok(out)
    }
}

impl std::fmt::Debug for Spliced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spliced").field("len", &self.len).finish_non_exhaustive()
    }
}

/// Two outputs are equal when their bytes are.
impl PartialEq for Spliced {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && matches!((self.to_vec(), other.to_vec()), (Ok(one), Ok(other)) if one == other)
    }
}

impl Eq for Spliced {}

/// Where the one [`MARKER`] of `rendered` is; `None` when it is not there exactly once.
fn marker_at(rendered: &[u8]) -> Option<usize> {
    let mut found = memchr::memmem::find_iter(rendered, MARKER.as_bytes());
    let at = found.next()?;
    found.next().is_none().then_some(at)
}

/// The list of the guidance citing article `anchor` of law page `p`, if any cites it.
fn cited_by(inputs: &Inputs<'_>, p: PageId, anchor: &str, out: &mut String) {
    let citing: Vec<LinkView> = inputs.links.backlinks[p]
        .iter()
        .filter(|b| b.anchor == anchor && matches!(b.source, DocRef::Page(_)))
        .map(|b| doc_link(inputs.site, b.source))
        .collect();
    if citing.is_empty() {
        return;
    }
    let title = inputs.strings[inputs.site.pages[p].lang]
        .get("guidance_citing_article")
        .map(String::as_str)
        .unwrap_or("Guidance that cites this article");
    let article = inputs.page_bodies[p].headings.iter().find(|h| h.id == anchor).map(|h| h.title.as_str());
    let title = escape_html(&title.replace("{article}", article.unwrap_or(anchor)));
    let _ = write!(
        out,
        "<aside class=\"sp-cited-by\" aria-label=\"{title}\"><p class=\"sp-cited-by-title\">{title}</p><ul>"
    );
    let mut seen = BTreeSet::new();
    for link in citing {
        if seen.insert(link.url) {
            let _ =
                write!(out, "<li><a href=\"{}\">{}</a></li>", escape_html(link.url), escape_html(link.title));
        }
    }
    out.push_str("</ul></aside>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_body(push: &mut dyn FnMut(&str)) -> io::Result<()> {
        push("<p>one ");
        push("two</p>");
        Ok(())
    }

    #[test]
    fn the_marker_is_replaced_by_the_body() {
        let rendered = format!("<main>{MARKER}</main>\n");
        let out = splice(rendered.as_bytes(), MEASURE_FROM, &write_body).unwrap().expect("one marker");
        assert_eq!(out, b"<main><p>one two</p></main>\n");
        assert_eq!(out.capacity(), out.len(), "a large body's buffer is sized exactly");
        assert_eq!(splice(rendered.as_bytes(), 14, &write_body).unwrap(), Some(out));
    }

    #[test]
    fn no_marker_or_two_markers_mean_the_template_did_more_than_print_the_body() {
        assert_eq!(splice(b"<main>13</main>", 14, &write_body).unwrap(), None);
        let twice = format!("{MARKER}<p>{MARKER}</p>");
        assert_eq!(splice(twice.as_bytes(), 14, &write_body).unwrap(), None);
    }
}

//! Editorial checks that a public body's guidance needs: images with alt text, links that
//! say where they go, a description, steps on a steps page, questions on an FAQ page, and
//! headings that do not skip a level. Each is a warning, or an error with `--strict`.
//!
//! They read the rendered bodies' links and headings; the source text is read only to
//! locate a problem, so a clean site costs no file reads.

use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::front_matter::{FrontMatter, Kind};
use crate::markdown::{Heading, Link, Rendered};
use crate::source::SourceFile;

/// Link texts that do not say where a link goes (compared without case and end punctuation).
const VAGUE_LINK_TEXTS: &[&str] = &[
    "click here",
    "here",
    "click",
    "this link",
    "link",
    "read more",
    "more",
    "点击这里",
    "点击此处",
    "这里",
    "此处",
    "点此",
    "更多",
];

/// One document to check: its source, body offset, front matter and rendered body.
struct Doc<'a> {
    source: &'a SourceFile,
    body_offset: usize,
    meta: &'a FrontMatter,
    body: &'a Rendered,
    /// Pages need a description and the shape of their kind; sections do not.
    is_page: bool,
}

/// Check every page and section; `strict` makes the problems errors.
pub fn check(
    site: &Site,
    page_bodies: &[Arc<Rendered>],
    section_bodies: &[Arc<Rendered>],
    strict: bool,
) -> Vec<Diagnostic> {
    let pages = site.pages.iter().zip(page_bodies).map(|(page, body)| Doc {
        source: &page.source,
        body_offset: page.body_offset,
        meta: &page.meta,
        body,
        is_page: true,
    });
    let sections = site.sections.iter().zip(section_bodies).filter_map(|(section, body)| {
        Some(Doc {
            source: section.source.as_ref()?,
            body_offset: section.body_offset,
            meta: &section.meta,
            body,
            is_page: false,
        })
    });
    let docs: Vec<Doc<'_>> = pages.chain(sections).collect();
    let found: Vec<(Problem, &Doc<'_>)> =
        docs.par_iter().flat_map_iter(|doc| problems(doc).into_iter().map(move |p| (p, doc))).collect();
    found.into_iter().map(|(problem, doc)| problem.into_diagnostic(doc, strict)).collect()
}

/// An editorial problem, before it is located.
enum Problem<'a> {
    NoAlt(Link<'a>),
    NoLinkText(Link<'a>),
    VagueLinkText(Link<'a>),
    NoDescription,
    NoSteps,
    NoQuestions,
    SkippedLevel { heading: &'a Heading, from: u8 },
}

fn problems<'a>(doc: &Doc<'a>) -> Vec<Problem<'a>> {
    let mut found = Vec::new();
    for link in &doc.body.links {
        let text =
            link.text.trim().trim_end_matches(['.', '!', ':', '。', '！', '：', '>', '»']).to_lowercase();
        if text.is_empty() {
            found.push(if is_image(doc, link) { Problem::NoAlt(link) } else { Problem::NoLinkText(link) });
        } else if VAGUE_LINK_TEXTS.contains(&text.as_str()) {
            found.push(Problem::VagueLinkText(link));
        }
    }
    if doc.is_page {
        // A description left out may be on purpose (listings then show the summary); one
        // written empty is a gap someone meant to fill.
        if doc.meta.description.trim().is_empty() && has_key(doc, "description") {
            found.push(Problem::NoDescription);
        }
        if doc.meta.kind == Kind::Steps && doc.body.step_count == 0 {
            found.push(Problem::NoSteps);
        }
        if doc.meta.kind == Kind::Faq && !doc.body.headings.iter().any(|h| h.level == 2) {
            found.push(Problem::NoQuestions);
        }
    }
    // The page title is the h1: a body heading may go one level deeper than the one before.
    let mut level = 1;
    for heading in &doc.body.headings {
        if heading.level > level + 1 {
            found.push(Problem::SkippedLevel { heading, from: level });
        }
        level = heading.level;
    }
    found
}

/// Whether the front matter writes `key:` (read only for pages whose value is empty).
fn has_key(doc: &Doc<'_>, key: &str) -> bool {
    crate::front_matter::key_line(&doc.source.head_for_messages(doc.body_offset), key).is_some()
}

/// Whether a link without text is an image (`![](map.png)`): only read for such links.
fn is_image(doc: &Doc<'_>, link: Link<'_>) -> bool {
    let text = doc.source.text_for_messages();
    text.get(doc.body_offset + link.offset..).is_some_and(|s| s.starts_with('!'))
}

impl Problem<'_> {
    fn into_diagnostic(self, doc: &Doc<'_>, strict: bool) -> Diagnostic {
        let (message, hint, location) = match self {
            Problem::NoAlt(link) => (
                format!("image `{}` has no alt text", link.destination),
                "say what the image shows in the brackets, like `![Map of the service hall](map.png)`".to_string(),
                at_link(doc, link),
            ),
            Problem::NoLinkText(link) => (
                format!("link to `{}` has no text", link.destination),
                "write where the link goes in the brackets, like `[how to renew](renew.md)`".to_string(),
                at_link(doc, link),
            ),
            Problem::VagueLinkText(link) => (
                format!("link text `{}` does not say where the link goes", link.text.trim()),
                "use the title of the page it opens, like `[how to renew your card](renew.md)`: screen readers list links by their text".to_string(),
                at_link(doc, link),
            ),
            Problem::NoDescription => (
                "the page's description is empty".to_string(),
                "add `description:` with one sentence on what the page helps people do; listings and search engines show it".to_string(),
                at_key(doc, "description"),
            ),
            Problem::NoSteps => (
                "this steps page has no steps".to_string(),
                "write each step as a `## ` heading, or as an ordered list".to_string(),
                at_key(doc, "kind"),
            ),
            Problem::NoQuestions => (
                "this FAQ page has no questions".to_string(),
                "write each question as a `## ` heading with its answer below".to_string(),
                at_key(doc, "kind"),
            ),
            Problem::SkippedLevel { heading, from } => (
                format!("heading `{}` skips from level {from} to level {}", heading.title, heading.level),
                format!("use `{} ` here, so that the headings nest one level at a time", "#".repeat(usize::from(from) + 1)),
                at_heading(doc, heading),
            ),
        };
        let d = if strict { Diagnostic::error(message) } else { Diagnostic::warning(message) };
        d.at(location).with_hint(hint)
    }
}

/// Where a body link is written.
fn at_link(doc: &Doc<'_>, link: Link<'_>) -> Location {
    let text = doc.source.text_for_messages();
    let start = doc.body_offset + link.offset;
    let (line, column) = LineIndex::new(&text).line_col(&text, start);
    let end = (start + link.length).min(text.len());
    let length = text.get(start..end).unwrap_or("").split('\n').next().unwrap_or("").chars().count();
    Location { file: doc.source.display.clone(), line, column, length: length.max(1) }
}

/// The line of a front matter key (the first line when it is not written).
fn at_key(doc: &Doc<'_>, key: &str) -> Location {
    let line = crate::front_matter::key_line(&doc.source.text_for_messages(), key).unwrap_or(1);
    Location { file: doc.source.display.clone(), line, column: 1, length: key.len() }
}

/// The first line of the body written as a heading of that level with that title.
fn at_heading(doc: &Doc<'_>, heading: &Heading) -> Location {
    let text = doc.source.text_for_messages();
    let marker = format!("{} ", "#".repeat(usize::from(heading.level)));
    let body_line = crate::diagnostics::LineIndex::new(&text).line_col(&text, doc.body_offset).0;
    let found = text
        .get(doc.body_offset..)
        .unwrap_or("")
        .lines()
        .position(|l| l.trim_start().starts_with(&marker) && l.contains(heading.title.trim()));
    let line = found.map_or(body_line, |i| body_line + i);
    Location { file: doc.source.display.clone(), line, column: 1, length: marker.len() - 1 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn vague_link_texts_are_compared_in_lowercase() {
        assert!(super::VAGUE_LINK_TEXTS.iter().all(|t| t.to_lowercase() == *t));
    }
}

//! The dependency index a build leaves for `watch` and `serve` (see [`crate::deps`]): what
//! each page read besides its source, gathered from the stages' per-page results, and which
//! outputs are copies of an input.

use std::path::Path;

use super::Content;
use crate::render::{Body, Output};

/// The dependency index of `watch` and `serve` (see [`crate::deps`]): which outputs are copies
/// of which inputs, and what each page read besides its source. A stage that reads an input
/// for a page keeps it in its per-page result, and declares it here.
pub(super) fn dependency_index(
    root: &Path,
    content: &Content,
    copies: &[Output],
) -> crate::deps::DependencyIndex {
    let mut index = crate::deps::DependencyIndex::default();
    let site_path = |abs: &Path| {
        let rel = abs.strip_prefix(root).ok()?;
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    };
    for output in copies {
        if let Body::Copy(abs) = &output.body
            && let Some(input) = site_path(abs)
        {
            index.declare_copy(&input, &output.path);
        }
    }
    for (p, page) in content.site.pages.iter().enumerate() {
        let source = format!("content/{}", page.source.rel);
        // The files it links to or shows: its links are checked against them.
        for file in content.resolved.files.get(p).into_iter().flatten() {
            index.declare(&source, &format!("content/{file}"));
        }
    }
    // What bodies read through shortcodes and snippets: data files, snippets, shortcode
    // templates, documents.
    let bodies = content.site.pages.iter().map(|p| Some(&p.source)).zip(&content.page_bodies);
    let section_bodies = content.site.sections.iter().map(|s| s.source.as_ref()).zip(&content.section_bodies);
    for (source, body) in bodies.chain(section_bodies) {
        let Some(source) = source else { continue };
        for (read, _) in &body.reads {
            if let Some(input) = content.shortcodes.input_path(read) {
                index.declare(&format!("content/{}", source.rel), &input);
            }
        }
    }
    // Sections are never rendered alone, so an edit of a file one shows rebuilds everything.
    for (s, section) in content.site.sections.iter().enumerate() {
        let Some(source) = &section.source else { continue };
        for file in content.resolved.section_files.get(s).into_iter().flatten() {
            index.declare(&format!("content/{}", source.rel), &format!("content/{file}"));
        }
    }
    index
}

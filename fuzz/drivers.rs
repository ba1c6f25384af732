//! The code paths the fuzz targets drive, one function per target.
//!
//! Shared, file for file, by the targets in `fuzz/fuzz_targets/` and by
//! `tests/fuzz_regressions.rs` (both include it with `#[path]`), so a regression input runs
//! exactly the code that crashed. Each function panics only when it finds a bug: a panic in
//! Signpost itself, or a result that breaks one of the invariants asserted here.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use signpost::config::{Config, MarkdownOptions};
use signpost::diagnostics::{Diagnostic, LineIndex, render_human};
use signpost::front_matter::{self, Kind};
use signpost::guidance::numerals;
use signpost::links;
use signpost::markdown::{self, RenderOptions};

/// Link placeholders `markdown::render` writes for internal links (see `src/markdown`).
const PLACEHOLDER_OPEN: char = '\u{FDD0}';

/// Bytes → front matter split and parse (page and section rules, two taxonomies),
/// diagnostics rendered against the text; the same bytes as `site.yaml`.
pub fn front_matter(data: &[u8]) {
    let lossy = String::from_utf8_lossy(data);
    let text = lossy.strip_prefix('\u{feff}').unwrap_or(&lossy);
    let taxonomies = ["tags".to_string(), "topics".to_string()];
    match front_matter::split(text) {
        Ok(split) => {
            assert_eq!(text.get(split.body_offset..), Some(split.body), "body_offset points at the body");
            assert!(split.yaml_line >= 1);
            for is_section in [false, true] {
                let parsed =
                    front_matter::parse(Path::new("content/fuzz.md"), &split, &taxonomies, is_section);
                if parsed.front_matter.is_none() {
                    assert!(
                        parsed.diagnostics.iter().any(Diagnostic::is_error),
                        "unusable front matter comes with an error"
                    );
                }
                check_diagnostics(&parsed.diagnostics, text);
            }
        }
        Err(message) => assert!(!message.is_empty()),
    }
    if let Err(problems) = Config::parse(Path::new("/fuzz-site"), text) {
        assert!(!problems.is_empty(), "a refused config says why");
        check_diagnostics(&problems, text);
    }
}

/// Every diagnostic points inside the text (or just past its end: libyaml reports an
/// unexpected end of a file without a final newline on the line after the last) and renders.
fn check_diagnostics(diagnostics: &[Diagnostic], text: &str) {
    let lines = LineIndex::new(text).line_count();
    for d in diagnostics {
        assert!(!d.message.is_empty());
        if let Some(location) = &d.location {
            assert!(location.line >= 1 && location.line <= lines + 1, "line {} of {lines}", location.line);
            assert!(location.column >= 1);
        }
        let shown = render_human(d, Some(text), false);
        assert!(shown.starts_with(d.severity.label()));
    }
}

/// Bytes → Markdown for every guidance kind (highlighting on when the first byte is odd),
/// then link resolution the way `links::resolve` does it for a page at `guides/sub/page.md`:
/// split off `?query#fragment`, percent-decode, join onto the page's folder, fill the
/// placeholders, and locate each link in the text.
pub fn markdown_links(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let options = MarkdownOptions::default();
    let strings: BTreeMap<String, String> = [("note".to_string(), "Note <b>".to_string())].into();
    let highlight = data.first().is_some_and(|b| b & 1 == 1);
    let index = LineIndex::new(&text);
    for kind in [Kind::Guide, Kind::Steps, Kind::Faq, Kind::Law] {
        let rendered = markdown::render(
            &text,
            RenderOptions {
                markdown: &options,
                highlight,
                kind,
                strings: &strings,
                count_words: true,
                search_text: true,
                files: None,
                spill_dir: None,
            },
        );
        for heading in &rendered.headings {
            assert!(rendered.anchors.contains(&heading.id), "heading id `{}` is an anchor", heading.id);
            assert!((1..=6).contains(&heading.level));
        }
        if let Some(summary) = &rendered.summary {
            assert!(rendered.html.starts_with(summary.as_str()));
        }
        let urls: Vec<Option<std::sync::Arc<str>>> = rendered
            .links
            .iter()
            .map(|link| {
                assert!(link.offset.saturating_add(link.length) <= text.len(), "link span inside the body");
                let (line, column) = index.line_col(&text, link.offset);
                assert!(line >= 1 && line <= index.line_count() && column >= 1);
                if !link.internal {
                    return None;
                }
                let (rest, fragment) = link.destination.split_once('#').unwrap_or((link.destination, ""));
                let path = rest.split('?').next().unwrap_or("");
                let _ = links::percent_decode(fragment);
                let decoded = links::percent_decode(path);
                let joined = links::join_path("guides/sub", &decoded)?;
                assert!(
                    !joined.split('/').any(|s| s == ".." || s == "."),
                    "joined path `{joined}` has no dot segments"
                );
                assert!(!joined.starts_with('/'));
                Some(format!("/{joined}").into())
            })
            .collect();
        let html = markdown::fill_links(&rendered.html, &rendered.links, &urls);
        if !text.contains(PLACEHOLDER_OPEN) {
            assert!(!html.contains(PLACEHOLDER_OPEN), "every placeholder is filled");
        }
    }
}

/// Text → Chinese/Arabic numeral parsing and the law heading ids built on it.
pub fn numerals(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let number = numerals::parse_number(&text);
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        assert_eq!(number, trimmed.parse::<u32>().ok(), "ASCII digits parse like str::parse");
    }
    for (id, prefix) in [(numerals::article_id(&text), "article-"), (numerals::chapter_id(&text), "chapter-")]
    {
        if let Some(id) = id {
            let rest = id.strip_prefix(prefix).expect("ids start with their kind");
            assert!(
                !rest.is_empty() && rest.split('-').all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
                "{id}"
            );
        }
    }
    // Heading forms around the same number, as law pages write them.
    for heading in [format!("第{trimmed}条"), format!("第{trimmed}章 标题"), format!("Article {trimmed}")]
    {
        let _ = numerals::article_id(&heading);
        let _ = numerals::chapter_id(&heading);
    }
}

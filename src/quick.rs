//! Quick rebuilds for `watch` and `serve`: when an edit changed only the body of one page,
//! and nothing any other output shows of it, re-render that page alone.
//!
//! A full incremental build still looks at every source and every page (on a 10,000-page
//! site, about half a second). Most edits while previewing are body edits of one page, so
//! the last successful build is kept whole ([`LastBuild`]), and [`rebuild_page`] checks what the
//! edit could have changed beyond the page:
//!
//! - front matter: title, dates, tags, aliases and the rest feed listings, feeds, the sitemap
//!   and other pages; any change in its bytes means a full build;
//! - headings and anchors: other pages link to them and cite law articles by them;
//! - links (where they point and their text): they make the backlinks and citations shown
//!   on other pages.
//!
//! When all of these are as before, the other outputs are byte-identical to what a full build
//! would write; only the page itself, and the search index that holds its text, change.
//! Anything else (or any doubt) returns `None`, and the caller runs the full build.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{BuildOptions, BuildReport, LastBuild, Memos};
use crate::content::PageId;
use crate::markdown::{self, Link, Rendered};
use crate::render::{self, Output};

/// What a quick rebuild made: the changed outputs only.
pub struct QuickRebuild {
    /// The page, and the search files of its language that changed.
    pub outputs: Vec<Output>,
    /// Search files no longer part of the index (output paths; the index names its files by
    /// their bytes, so an edit can replace some).
    pub removed: Vec<String>,
    /// As a full build would report it (nothing written yet).
    pub report: BuildReport,
}

/// Rebuild after `changed` (a path relative to the site root, such as `content/faq/lost.md`)
/// was edited, if that edit touched nothing but the page's own output. `None` when a full
/// build is needed; `memos` are then as they were, or have dropped the last build.
pub fn rebuild_page(options: &BuildOptions, memos: &mut Memos, changed: &str) -> Option<QuickRebuild> {
    let started = Instant::now();
    let mut timer = crate::build::StageTimer::from_env();
    let rel = changed.strip_prefix("content/")?;
    let live = memos.last.as_mut()?;
    if live.content.site.gate_passed(chrono::Utc::now().fixed_offset()) {
        // A page was published or expired since: everything that lists it changes.
        return None;
    }
    let p = quick_candidate(live, rel)?;
    let page = &live.content.site.pages[p];
    let source = crate::source::read_source(rel.to_string(), page.source.abs.clone(), &options.root).ok()?;
    let modified = std::fs::metadata(&source.abs).and_then(|m| m.modified()).ok()?;
    let body_offset = page.body_offset;
    let split = crate::front_matter::split(source.text.as_str()).ok()?;
    if split.body_offset != body_offset || source.text[..body_offset] != page.source.text[..body_offset] {
        return None;
    }
    let content = &live.content;
    let options_for = crate::build::render_options(
        &content.config,
        &content.strings[page.lang],
        content.count_words,
        page.meta.kind,
    );
    let body = Arc::new(markdown::render(split.body, options_for));
    if !seen_the_same_from_outside(&live.content.page_bodies[p], &body) {
        return None;
    }
    timer.lap("quick: page");

    let previous_body = std::mem::replace(&mut live.content.page_bodies[p], Arc::clone(&body));
    let previous_text = std::mem::replace(&mut live.content.site.pages[p].source.text, source.text);
    let inputs = render::Inputs {
        config: &live.content.config,
        data: &live.content.data,
        site: &live.content.site,
        page_bodies: &live.content.page_bodies,
        section_bodies: &live.content.section_bodies,
        links: &live.content.resolved,
        strings: &live.content.strings,
        search_index: true,
    };
    let Ok((outputs, removed)) = render::render_some(&inputs, &live.templates, &live.site_values, &[p])
    else {
        // A template error: the full build reports it properly.
        live.content.page_bodies[p] = previous_body;
        live.content.site.pages[p].source.text = previous_text;
        return None;
    };
    timer.lap("quick: render");
    let relative = live.content.config.relative_urls.then_some(live.content.config.base_path.as_str());
    let outputs: Vec<Output> = match relative {
        Some(base_path) => outputs.into_iter().map(|o| crate::build::make_relative(o, base_path)).collect(),
        None => outputs,
    };

    let page = &live.content.site.pages[p];
    let text = &page.source.text;
    memos.texts.insert(page.source.abs.clone(), (modified, text.len() as u64, Arc::clone(text)));
    memos.front_matter.refresh_text(&page.source.rel, text);
    let settings = live.body_settings[page.lang];
    memos.bodies.insert(page.source.rel.clone(), settings, page.meta.kind, text, body_offset, &body);
    // The remembered outputs of these paths are stale now: the next full build renders them.
    for output in &outputs {
        memos.outputs.remove(&output.path);
    }
    timer.lap("quick: caches");
    Some(QuickRebuild { outputs, removed, report: live.report(started.elapsed(), true) })
}

/// The page at content path `rel`, if a quick rebuild may handle an edit of it: a page (not
/// a section) whose output does not depend on the clock.
fn quick_candidate(live: &LastBuild, rel: &str) -> Option<PageId> {
    let p = *live.pages_by_path.get(rel)?;
    let meta = &live.content.site.pages[p].meta;
    // Publishing gates open and close with time; a full build decides those.
    (meta.publish_at.is_none() && meta.expire_at.is_none()).then_some(p)
}

/// Whether every other output sees `new` as it saw `old`: the same headings, the same anchors
/// and the same links with the same texts (only their places in the file may differ).
fn seen_the_same_from_outside(old: &Rendered, new: &Rendered) -> bool {
    let outward = |l: &Link| (l.destination.clone(), l.text.clone(), l.internal);
    old.headings == new.headings
        && old.anchors == new.anchors
        && old.links.len() == new.links.len()
        && old.links.iter().map(outward).eq(new.links.iter().map(outward))
}

/// Write a quick rebuild's outputs into `output`, all at once, skipping files that already
/// hold the same bytes, and remove the search files in `removed`.
pub fn write(
    output: &Path,
    outputs: &[Output],
    removed: &[String],
    no_wait: bool,
) -> crate::error::Result<crate::output::WriteStats> {
    crate::output::write_some(output, outputs, removed, no_wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::RenderOptions;

    fn rendered(markdown: &str) -> Rendered {
        let strings = std::collections::BTreeMap::new();
        let options = crate::config::MarkdownOptions::default();
        markdown::render(
            markdown,
            RenderOptions {
                markdown: &options,
                highlight: false,
                kind: Default::default(),
                strings: &strings,
                count_words: true,
            },
        )
    }

    #[test]
    fn body_text_edits_are_invisible_from_outside() {
        let old = rendered("## Apply\n\nGo to [the office](office.md).\n");
        let new = rendered("## Apply\n\nFirst, please go to [the office](office.md) in person.\n");
        assert!(seen_the_same_from_outside(&old, &new));
    }

    #[test]
    fn headings_and_links_are_seen_from_outside() {
        let old = rendered("## Apply\n\nGo to [the office](office.md).\n");
        for new in [
            "## Apply now\n\nGo to [the office](office.md).\n",
            "## Apply\n\nGo to [the main office](office.md).\n",
            "## Apply\n\nGo to [the office](other.md).\n",
            "## Apply\n\nGo to [the office](office.md) or [the desk](desk.md).\n",
            "## Apply\n\n## Fees\n\nGo to [the office](office.md).\n",
        ] {
            assert!(!seen_the_same_from_outside(&old, &rendered(new)), "{new:?}");
        }
    }
}

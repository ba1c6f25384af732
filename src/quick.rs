//! Quick rebuilds for `watch` and `serve`: when an edit changed only the bodies of some pages
//! (or an input they alone read), and nothing any other output shows of them, re-render
//! those pages alone; an edited file that is copied as it is, is copied alone.
//!
//! A full incremental build still looks at every source and every page (on a 10,000-page
//! site, about half a second). Most edits while previewing are body edits of one page, so
//! the last successful build is kept whole ([`LastBuild`]), and [`rebuild_pages`] checks what
//! the edit could have changed beyond each page:
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
use crate::deps::Pages;
use crate::markdown::{Link, Rendered};
use crate::render::{self, Body, Output};

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

/// Rebuild after the pages and copied files of `set` changed (paths relative to the site
/// root: `content/faq/lost.md` edited, or reading an edited input; `static/logo.png`), if
/// that touched nothing but those pages' own outputs. `None` when a full build is needed;
/// `memos` are then as they were, or have dropped the last build.
pub fn rebuild_pages(options: &BuildOptions, memos: &mut Memos, set: &Pages) -> Option<QuickRebuild> {
    let started = Instant::now();
    let mut timer = crate::build::StageTimer::from_env();
    let live = memos.last.as_mut()?;
    if live.content.site.gate_passed(chrono::Utc::now().fixed_offset()) {
        // A page was published or expired since: everything that lists it changes.
        return None;
    }
    let copies = copies(options, live, set)?;
    if !set.pages.is_empty() {
        reload_shortcodes(options, live)?;
    }
    let edits = set.pages.iter().map(|page| edit(options, live, page)).collect::<Option<Vec<Edit>>>()?;
    timer.lap("quick: pages");
    let (mut outputs, removed) = render_edits(live, &edits)?;
    timer.lap("quick: render");
    for edit in &edits {
        let page = &live.content.site.pages[edit.page];
        let text = &page.source.text;
        memos.texts.insert(page.source.abs.clone(), (edit.modified, text.len() as u64, Arc::clone(text)));
        memos.front_matter.refresh_text(&page.source.rel, text);
        let settings = live.body_settings[page.lang];
        let body = &live.content.page_bodies[edit.page];
        memos.bodies.insert(page.source.rel.clone(), settings, page.meta.kind, text, page.body_offset, body);
    }
    // The remembered outputs of these paths are stale now: the next full build renders them.
    for output in &outputs {
        memos.outputs.remove(&output.path);
    }
    timer.lap("quick: caches");
    outputs.extend(copies);
    Some(QuickRebuild { outputs, removed, report: live.report(started.elapsed(), true) })
}

/// Read the data files, snippets and shortcode templates again: a page may be in the set
/// because one of them changed. `None` when one has a problem (the full build reports it), or
/// when the data changed and the page templates read it (every output may show it then).
fn reload_shortcodes(options: &BuildOptions, live: &mut LastBuild) -> Option<()> {
    let (data, problems) = crate::data::Data::load(&options.root);
    let theme = crate::theme::Theme::locate(&live.content.config);
    let data_changed = data.fingerprint() != live.content.data.fingerprint();
    let site_templates = options.root.join("templates");
    if !problems.is_empty()
        || (data_changed
            && ["data.", "data["]
                .iter()
                .any(|needle| crate::templates::mention(&theme, &site_templates, needle)))
    {
        return None;
    }
    let data = Arc::new(data);
    let (shortcodes, problems) = crate::shortcodes::Shortcodes::load(
        &live.content.config,
        &theme,
        Arc::clone(&data),
        &live.content.strings,
    );
    if !problems.is_empty() {
        return None;
    }
    live.content.data = data;
    live.content.shortcodes = Arc::new(shortcodes);
    Some(())
}

/// The copied files of `set` as outputs, if the last build copied each of them and it is
/// still there (a new or removed file changes what links may point at).
fn copies(options: &BuildOptions, live: &LastBuild, set: &Pages) -> Option<Vec<Output>> {
    set.copies
        .iter()
        .map(|input| {
            let path = live.dependencies.copy_of(input)?;
            let abs = options.root.join(input);
            // An image with resized copies: the full build makes them again.
            let width = crate::media::image_size(&abs).map_or(0, |size| size.width);
            let widths = &live.content.config.images.widths;
            if crate::media::is_resizable(input) && !crate::media::variant_widths(widths, width).is_empty() {
                return None;
            }
            abs.is_file().then(|| Output { path: path.to_string(), body: Body::Copy(abs) })
        })
        .collect()
}

/// A page read and rendered again, not yet put in place of the last build's.
struct Edit {
    page: PageId,
    /// Its source text and modification time.
    text: Arc<String>,
    modified: std::time::SystemTime,
    body: Arc<Rendered>,
}

/// Read and render again the page made from `path` (relative to the site root), if what other
/// outputs see of it stayed as it was.
fn edit(options: &BuildOptions, live: &LastBuild, path: &str) -> Option<Edit> {
    let rel = path.strip_prefix("content/")?;
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
    let spill_dir = crate::build::spill_dir(options);
    let options_for = crate::build::render_options(
        &content.config,
        &content.strings[page.lang],
        content.count_words,
        page.meta.kind,
        spill_dir.as_deref(),
    );
    let page_for = crate::shortcodes::Page {
        display: &source.display,
        rel: &source.rel,
        text: &source.text,
        body_offset,
        lang: page.lang,
    };
    let body = Arc::new(content.shortcodes.render(&page_for, options_for));
    // Problems of its calls: the full build reports them with the rest.
    let fine = body.problems.is_empty() && seen_the_same_from_outside(&live.content.page_bodies[p], &body);
    fine.then_some(Edit { page: p, text: source.text, modified, body })
}

/// Put the edited pages in place and render their outputs (and the search files their text
/// lives in); on a template error, put the last build's pages back and return `None`.
fn render_edits(live: &mut LastBuild, edits: &[Edit]) -> Option<(Vec<Output>, Vec<String>)> {
    if edits.is_empty() {
        return Some((Vec::new(), Vec::new()));
    }
    let mut previous = Vec::with_capacity(edits.len());
    for edit in edits {
        let body = std::mem::replace(&mut live.content.page_bodies[edit.page], Arc::clone(&edit.body));
        let text =
            std::mem::replace(&mut live.content.site.pages[edit.page].source.text, Arc::clone(&edit.text));
        previous.push((edit.page, body, text));
    }
    let inputs = render::Inputs {
        config: &live.content.config,
        data: &live.content.data,
        site: &live.content.site,
        page_bodies: &live.content.page_bodies,
        section_bodies: &live.content.section_bodies,
        links: &live.content.resolved,
        strings: &live.content.strings,
        search_index: true,
        taken_text: None,
    };
    let pages: Vec<PageId> = edits.iter().map(|e| e.page).collect();
    let Ok((outputs, removed)) = render::render_some(&inputs, &live.templates, &live.site_values, &pages)
    else {
        // A template error: the full build reports it properly.
        for (p, body, text) in previous {
            live.content.page_bodies[p] = body;
            live.content.site.pages[p].source.text = text;
        }
        return None;
    };
    let relative = live.content.config.relative_urls.then_some(live.content.config.base_path.as_str());
    let outputs = match relative {
        Some(base_path) => outputs.into_iter().map(|o| crate::build::make_relative(o, base_path)).collect(),
        None => outputs,
    };
    Some((outputs, removed))
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
    let same = |(a, b): (Link<'_>, Link<'_>)| {
        a.destination == b.destination && a.text == b.text && a.internal == b.internal
    };
    old.headings == new.headings
        && old.anchors == new.anchors
        && old.links.len() == new.links.len()
        && old.links.iter().zip(new.links.iter()).all(same)
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
        crate::markdown::render(
            markdown,
            RenderOptions {
                markdown: &options,
                highlight: false,
                kind: Default::default(),
                strings: &strings,
                count_words: true,
                search_text: true,
                files: None,
                spill_dir: None,
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

//! Each language's search page and index (see [`crate::search`]), and the index's update after
//! a one-page edit.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{Body, Emit, Inputs, Output, Shared, SiteValues, base_context, bytes, plain_jsonld};
use crate::config::Config;
use crate::content::PageId;
use crate::diagnostics::Diagnostic;
use crate::markdown::{Rendered, TextSection};
use crate::search::{Files, SearchPage};
use crate::templates::Templates;

/// What [`search_outputs`] made of one language.
pub(super) struct SearchOutputs {
    /// The search page (the index's files went to `emit` as they were made).
    pub page: Result<Output, Diagnostic>,
    /// The paths of the index's files.
    pub index_paths: Vec<String>,
    /// Problems handing them on.
    pub problems: Vec<Diagnostic>,
}

/// [`search_outputs`] for every language, or none when the site has no search.
pub(super) fn every_search_output(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    emit: Emit<'_>,
) -> Vec<SearchOutputs> {
    let languages = if inputs.config.search { 0..inputs.config.languages.len() } else { 0..0 };
    languages.map(|lang| search_outputs(inputs, shared, templates, lang, emit)).collect()
}

/// The search page of one language and, unless this is a check, its index: each file handed
/// to `emit` as soon as it is made (so that the index's text is never all in memory), the
/// index itself kept in the shared values for [`render_some`](super::render_some) to update
/// after a one-page edit.
pub(super) fn search_outputs(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
    emit: Emit<'_>,
) -> SearchOutputs {
    let Inputs { config, site, .. } = *inputs;
    let prefix = config.language_prefix(lang);
    let manifest_path = format!("{prefix}search/{}", crate::search::MANIFEST);
    let handed = Mutex::new((Vec::new(), Vec::new()));
    let carried = Mutex::new(Files::new());
    if inputs.search_index {
        let link = search_link(config, &manifest_path);
        let ids = crate::search::pages::indexed_pages(site, lang);
        let settings = crate::search::pages::settings(config, site, lang, &link);
        let make = |i: usize| -> Cow<'_, SearchPage<'_>> {
            let p = ids[i];
            let mut page = crate::search::pages::search_page(site, &inputs.page_bodies[p], p, &link);
            if let Some(text) = inputs.taken_text.and_then(|taken| taken.take(p)) {
                page.sections = Cow::Owned(text);
            }
            Cow::Owned(page)
        };
        let sink = |path: String, text: String| {
            // The files a page carries are kept (shared); the rest are handed on as they are.
            let body = if is_carried(&path) {
                let text: Arc<str> = text.into();
                if let Ok(mut carried) = carried.lock() {
                    carried.insert(path.clone(), Arc::clone(&text));
                }
                Body::Shared(text)
            } else {
                Body::Named(text.into_bytes())
            };
            let path = format!("{prefix}search/{path}");
            let result = emit(Output { path: path.clone(), body });
            if let Ok(mut handed) = handed.lock() {
                handed.0.push(path);
                handed.1.extend(result.err());
            }
        };
        // Only a session (`watch`, `serve`) updates the index after an edit; an index that has
        // taken the pages' text could not make a page's chunk again.
        let updatable = shared.memo.is_some() && inputs.taken_text.is_none();
        let index = crate::search::SearchIndex::build_from(settings, ids.len(), &make, &sink, updatable);
        if let Ok(mut kept) = shared.values.search.lock() {
            kept.insert(lang, index);
        }
    }
    let (index_paths, problems) = handed.into_inner().unwrap_or_default();
    let carried = carried.into_inner().unwrap_or_default();
    let page = search_page(inputs, shared, templates, lang, &carried);
    // Only a session updates the index, and so needs them again.
    if shared.memo.is_some()
        && let Ok(mut kept) = shared.values.search_carried.lock()
    {
        kept.insert(lang, carried);
    }
    SearchOutputs { page, index_paths, problems }
}

/// Each page's search text, taken out of its body for a build that keeps nothing for the next
/// one (`build`): the index takes a page's text as it reads it, so that the text is freed while
/// pages are still being rendered and its memory serves them, rather than new memory. Search
/// text is about as large as the site's Markdown, and each new page of memory costs the
/// system a fault. A session (`watch`, `serve`) leaves the text in the bodies: it updates the
/// index after an edit and reads the text of the edited page's neighbours again.
#[derive(Debug, Default)]
pub struct TakenText {
    /// By page id: the text, until the index takes it; `None` where it stayed in the body.
    pages: Vec<Mutex<Option<Vec<TextSection>>>>,
}

impl TakenText {
    /// The search text of each of `bodies` (by page id) moved out of the body (not copied).
    /// A body shared with someone else keeps its text, which the index then borrows.
    pub fn take_from(bodies: &mut [Arc<Rendered>]) -> TakenText {
        let pages = bodies
            .iter_mut()
            .map(|body| Mutex::new(Arc::get_mut(body).map(|body| std::mem::take(&mut body.text_sections))))
            .collect();
        TakenText { pages }
    }

    /// Page `p`'s text, once; `None` when it stayed in its body.
    fn take(&self, p: PageId) -> Option<Vec<TextSection>> {
        self.pages.get(p)?.lock().ok()?.take()
    }
}

/// The search page of language `lang` again, with the index files it carries as they are
/// after an edit's update.
pub(super) fn search_page_again(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
) -> Result<Output, Diagnostic> {
    let carried = shared.values.search_carried.lock().ok().and_then(|kept| kept.get(&lang).cloned());
    search_page(inputs, shared, templates, lang, &carried.unwrap_or_default())
}

/// The most bytes of index files a search page carries inline. Below it (a site of up to about
/// a thousand pages) the manifest and the page tables come with the page, and a query's
/// results are one or two round-trips nearer; above it they would weigh on every query.
const CARRIED_BYTES: usize = 8 * 1024;

/// Whether the index file at `path` (relative to the search folder) is one a search page may
/// carry: the manifest and the page tables, which every query with results reads.
fn is_carried(path: &str) -> bool {
    path == crate::search::MANIFEST || path.starts_with("p/")
}

/// The index files `carried` as one JSON object `{path: data}` for the page to carry inline,
/// or `None` when they are too many bytes (or not in the expected form). Each file is a
/// script, `signpostSearch("name",DATA);`; the object holds the data alone. Every `<` is
/// written `\u003c`, so the text cannot close the script element that holds it.
fn carried_json(carried: &Files) -> Option<String> {
    let total: usize = carried.values().map(|text| text.len()).sum();
    if carried.is_empty() || total > CARRIED_BYTES {
        return None;
    }
    let mut json = String::with_capacity(total + 16 * carried.len());
    json.push('{');
    for (i, (path, text)) in carried.iter().enumerate() {
        let data =
            text.trim_end().strip_prefix("signpostSearch(\"")?.split_once("\",")?.1.strip_suffix(");")?;
        if i > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::to_string(path).ok()?);
        json.push(':');
        json.push_str(data);
    }
    json.push('}');
    Some(json.replace('<', "\\u003c"))
}

/// The search page of language `lang`: the form with its filters, and the results script.
fn search_page(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
    carried: &Files,
) -> Result<Output, Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    let prefix = config.language_prefix(lang);
    let manifest_path = format!("{prefix}search/{}", crate::search::MANIFEST);
    let url = config.url_for(&format!("{prefix}search/"));
    let title = inputs.strings[lang].get("search").map(String::as_str).unwrap_or("Search");
    let mut ctx = base_context(inputs, shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
    ctx.insert("search_manifest_url", &config.url_for(&manifest_path));
    ctx.insert("search_files", &carried_json(carried));
    let filters = crate::search::pages::settings(config, site, lang, &|url: &str| url.to_string());
    let sections: Vec<&str> = filters.sections.iter().map(|(title, _)| title.as_str()).collect();
    ctx.insert("search_sections", &sections);
    let kinds: Vec<BTreeMap<&str, &str>> = filters
        .kinds
        .iter()
        .map(|k| {
            let label = inputs.strings[lang].get(&format!("kind_{k}")).map_or(k.as_str(), String::as_str);
            BTreeMap::from([("value", k.as_str()), ("label", label)])
        })
        .collect();
    ctx.insert("search_kinds", &kinds);
    ctx.insert("translations", &super::values::fixed_translations(inputs, lang, "search/"));
    let page = templates.render("search.html", &ctx, &format!("{prefix}search/"))?;
    Ok(bytes(&format!("{prefix}search/index.html"), page))
}

/// How search files name a page: relative to the manifest when the site uses relative URLs.
fn search_link<'c>(config: &'c Config, manifest_path: &'c str) -> impl Fn(&str) -> String + Sync + 'c {
    move |url: &str| {
        if config.relative_urls {
            crate::relative::relative_url(url, manifest_path, &config.base_path)
        } else {
            url.to_string()
        }
    }
}

/// The outputs of index files (paths relative to the language's search folder).
fn search_files(prefix: &str, files: crate::search::Files) -> Vec<Output> {
    files
        .into_iter()
        .map(|(path, text)| Output { path: format!("{prefix}search/{path}"), body: Body::Shared(text) })
        .collect()
}

/// What [`update_search`] changed of one language's index.
pub(super) struct SearchUpdate {
    /// The page's language.
    pub lang: usize,
    /// The index files to write.
    pub written: Vec<Output>,
    /// The paths of index files no longer used.
    pub gone: Vec<String>,
    /// Whether files the search page carries changed (then it must be made again).
    pub carried: bool,
}

/// Update the kept search index of page `p`'s language for its new body. `None` when the page
/// is not indexed.
pub(super) fn update_search(inputs: &Inputs<'_>, values: &SiteValues, p: PageId) -> Option<SearchUpdate> {
    let Inputs { config, site, .. } = *inputs;
    let lang = site.pages[p].lang;
    let ids = crate::search::pages::indexed_pages(site, lang);
    let id = ids.iter().position(|&q| q == p)?;
    let prefix = config.language_prefix(lang);
    let manifest_path = format!("{prefix}search/{}", crate::search::MANIFEST);
    let link = search_link(config, &manifest_path);
    // The page and its neighbours in its chunk, whose file is made again.
    let make = |i: usize| -> Cow<'_, SearchPage<'_>> {
        Cow::Owned(crate::search::pages::search_page(site, &inputs.page_bodies[ids[i]], ids[i], &link))
    };
    let mut kept = values.search.lock().ok()?;
    let changes = kept.get_mut(&lang)?.update_page(id, &make)?;
    drop(kept);
    let carried = update_carried(values, lang, &changes);
    let gone = changes.remove.iter().map(|path| format!("{prefix}search/{path}")).collect();
    Some(SearchUpdate { lang, written: search_files(&prefix, changes.write), gone, carried })
}

/// Apply `changes` to the kept files language `lang`'s search page carries; whether they moved.
fn update_carried(values: &SiteValues, lang: usize, changes: &crate::search::FileChanges) -> bool {
    let Ok(mut kept) = values.search_carried.lock() else { return false };
    let Some(carried) = kept.get_mut(&lang) else { return false };
    let mut moved = false;
    for path in changes.remove.iter().filter(|path| is_carried(path)) {
        moved |= carried.remove(path).is_some();
    }
    for (path, text) in changes.write.iter().filter(|(path, _)| is_carried(path)) {
        moved |= carried.insert(path.clone(), Arc::clone(text)).is_none_or(|old| old != *text);
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries.iter().map(|(path, text)| (path.to_string(), Arc::from(*text))).collect()
    }

    #[test]
    fn a_small_index_is_carried_as_its_files_data() {
        let carried = files(&[
            ("manifest.js", "signpostSearch(\"manifest\",{\"pages\":1,\"t\":\"</script><!--\"});\n"),
            ("p/ab12.js", "signpostSearch(\"p/ab12\",[\"cd34\"]);\n"),
        ]);
        let json = carried_json(&carried).unwrap();
        assert_eq!(json, r#"{"manifest.js":{"pages":1,"t":"\u003c/script>\u003c!--"},"p/ab12.js":["cd34"]}"#);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["manifest.js"]["t"], "</script><!--");
    }

    #[test]
    fn a_large_or_unknown_index_is_not_carried() {
        let big = format!("signpostSearch(\"manifest\",\"{}\");", "x".repeat(CARRIED_BYTES));
        assert_eq!(carried_json(&files(&[("manifest.js", &big)])), None);
        assert_eq!(carried_json(&files(&[("manifest.js", "something else")])), None);
        assert_eq!(carried_json(&Files::new()), None);
    }

    #[test]
    fn text_is_taken_from_bodies_no_one_else_holds_and_only_once() {
        let body = |text: &str| {
            Arc::new(Rendered { text_sections: TextSection::only(text).into_owned(), ..Rendered::default() })
        };
        let mut bodies = vec![body("alone"), body("shared")];
        let other = Arc::clone(&bodies[1]);
        let taken = TakenText::take_from(&mut bodies);
        assert!(bodies[0].text_sections.is_empty(), "moved out of the body");
        assert_eq!(taken.take(0).unwrap()[0].text, "alone");
        assert_eq!(taken.take(0), None, "taken once");
        // A body someone else holds keeps its text, which the index borrows there.
        assert_eq!(taken.take(1), None);
        assert_eq!(bodies[1].text_sections[0].text, "shared");
        assert_eq!(taken.take(2), None);
        drop(other);
    }

    #[test]
    fn the_manifest_and_page_tables_are_carried() {
        assert!(is_carried("manifest.js") && is_carried("p/ab12.js"));
        assert!(!is_carried("s/ab12.js") && !is_carried("d/ab12.js") && !is_carried("v/ab12.js"));
    }
}

//! Each language's search page and index (see [`crate::search`]), and the index's update after
//! a one-page edit.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{Body, Emit, Inputs, Output, Shared, SiteValues, base_context, bytes, plain_jsonld};
use crate::config::Config;
use crate::content::PageId;
use crate::diagnostics::Diagnostic;
use crate::search::SearchPage;
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
    if inputs.search_index {
        let link = search_link(config, &manifest_path);
        let ids = crate::search::pages::indexed_pages(site, lang);
        let settings = crate::search::pages::settings(config, site, lang, &link);
        let make = |i: usize| -> Cow<'_, SearchPage> {
            let p = ids[i];
            Cow::Owned(crate::search::pages::search_page(site, &inputs.page_bodies[p], p, &link))
        };
        let sink = |path: String, text: Arc<str>| {
            let path = format!("{prefix}search/{path}");
            let result = emit(Output { path: path.clone(), body: Body::Shared(text) });
            if let Ok(mut handed) = handed.lock() {
                handed.0.push(path);
                handed.1.extend(result.err());
            }
        };
        // Only a session (`watch`, `serve`) updates the index after an edit.
        let updatable = shared.memo.is_some();
        let index = crate::search::SearchIndex::build_from(settings, ids.len(), &make, &sink, updatable);
        if let Ok(mut kept) = shared.values.search.lock() {
            kept.insert(lang, index);
        }
    }
    let (index_paths, problems) = handed.into_inner().unwrap_or_default();
    SearchOutputs { page: search_page(inputs, shared, templates, lang), index_paths, problems }
}

/// The search page of language `lang`: the form with its filters, and the results script.
fn search_page(
    inputs: &Inputs<'_>,
    shared: &Shared<'_>,
    templates: &Templates,
    lang: usize,
) -> Result<Output, Diagnostic> {
    let Inputs { config, site, .. } = *inputs;
    let prefix = config.language_prefix(lang);
    let manifest_path = format!("{prefix}search/{}", crate::search::MANIFEST);
    let url = config.url_for(&format!("{prefix}search/"));
    let title = inputs.strings[lang].get("search").map(String::as_str).unwrap_or("Search");
    let mut ctx = base_context(inputs, shared, lang, &url, plain_jsonld(inputs, lang, title, &url));
    ctx.insert("search_manifest_url", &config.url_for(&manifest_path));
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

/// Update the kept search index of page `p`'s language for its new body: the changed index
/// files, and the paths of those no longer used. `None` when the page is not indexed.
pub(super) fn update_search(
    inputs: &Inputs<'_>,
    values: &SiteValues,
    p: PageId,
) -> Option<(Vec<Output>, Vec<String>)> {
    let Inputs { config, site, .. } = *inputs;
    let lang = site.pages[p].lang;
    let ids = crate::search::pages::indexed_pages(site, lang);
    let id = ids.iter().position(|&q| q == p)?;
    let prefix = config.language_prefix(lang);
    let manifest_path = format!("{prefix}search/{}", crate::search::MANIFEST);
    let link = search_link(config, &manifest_path);
    // The page and its neighbours in its chunk, whose file is made again.
    let make = |i: usize| -> Cow<'_, SearchPage> {
        Cow::Owned(crate::search::pages::search_page(site, &inputs.page_bodies[ids[i]], ids[i], &link))
    };
    let mut kept = values.search.lock().ok()?;
    let changes = kept.get_mut(&lang)?.update_page(id, &make)?;
    let written = search_files(&prefix, changes.write);
    Some((written, changes.remove.iter().map(|path| format!("{prefix}search/{path}")).collect()))
}

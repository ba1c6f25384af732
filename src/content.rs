//! The site arena: pages and sections with URLs, built from parsed sources.
//!
//! Pages and sections refer to each other by index, never by reference, so later stages
//! can add data (rendered bodies, backlinks) without fighting the borrow checker.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use crate::front_matter::{self, FrontMatter, SortBy, Status};
use crate::source::{Asset, SourceFile};
use crate::text::slugify;

/// Index of a page in [`Site::pages`].
pub type PageId = usize;
/// Index of a section in [`Site::sections`].
pub type SectionId = usize;

/// A Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Where it came from.
    pub source: SourceFile,
    /// Validated front matter.
    pub meta: FrontMatter,
    /// Byte offset of the body in `source.text`.
    pub body_offset: usize,
    /// Root-relative URL with the base path (`/faq/lost-card/`).
    pub url: String,
    /// Output file relative to the output folder (`faq/lost-card/index.html`).
    pub output: String,
    /// The section it belongs to.
    pub section: SectionId,
    /// Index of its language in `Config::languages`.
    pub lang: usize,
    /// Content path without the language suffix: translations share it (`faq/lost-card.md`).
    pub key: String,
    /// Assets of a page bundle (`folder/index.md` plus its files).
    pub bundle_assets: Vec<Asset>,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.source.text.get(self.body_offset..).unwrap_or("")
    }
}

/// A section: a folder with `_index.md` (or the home page, always present).
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it came from (`_index.md`); the home section may have no file.
    pub source: Option<SourceFile>,
    /// Path of the folder relative to `content/` (`""` for home, `faq`).
    pub dir: String,
    /// Index of its language in `Config::languages`.
    pub lang: usize,
    /// Validated front matter (defaults when there is no file).
    pub meta: FrontMatter,
    /// Byte offset of the body in the source text.
    pub body_offset: usize,
    /// Root-relative URL (`/faq/`).
    pub url: String,
    /// Output file (`faq/index.html`).
    pub output: String,
    /// Parent section; `None` for home.
    pub parent: Option<SectionId>,
    /// Child sections, sorted like pages.
    pub subsections: Vec<SectionId>,
    /// Pages, in the section's sort order.
    pub pages: Vec<PageId>,
}

impl Section {
    /// The Markdown body (empty without a file).
    pub fn body(&self) -> &str {
        self.source.as_ref().and_then(|s| s.text.get(self.body_offset..)).unwrap_or("")
    }

    /// The content path of the section's `_index.md` (`faq/_index.md`, `_index.md`).
    pub fn index_path(&self) -> String {
        if self.dir.is_empty() { "_index.md".to_string() } else { format!("{}/_index.md", self.dir) }
    }
}

/// Why a source was left out of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Excluded {
    /// `draft: true`.
    Draft,
    /// `publish_at` is in the future.
    Future,
    /// `expire_at` has passed.
    Expired,
}

impl Excluded {
    /// How a link error names it.
    pub fn describe(self) -> &'static str {
        match self {
            Excluded::Draft => "a draft",
            Excluded::Future => "not yet published (`publish_at` is in the future)",
            Excluded::Expired => "expired (`expire_at` has passed)",
        }
    }
}

/// Which unpublished pages a build includes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Inclusion {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages whose `publish_at` is in the future.
    pub future: bool,
    /// Include pages whose `expire_at` has passed.
    pub expired: bool,
}

/// The whole site.
#[derive(Debug, Default)]
pub struct Site {
    /// Published pages in source path order.
    pub pages: Vec<Page>,
    /// Sections; the first ones are the homes, one per language, in language order.
    pub sections: Vec<Section>,
    /// The home section of each language.
    pub homes: Vec<SectionId>,
    /// Content assets (outside page bundles), copied as they are.
    pub assets: Vec<Asset>,
    /// Pages by content path (`faq/lost-card.md`).
    pub page_by_path: HashMap<String, PageId>,
    /// Sections by `_index.md` content path.
    pub section_by_path: HashMap<String, SectionId>,
    /// Pages by (path without language suffix, language).
    pub page_by_key: HashMap<(String, usize), PageId>,
    /// Sections by (`_index.md` path without language suffix, language).
    pub section_by_key: HashMap<(String, usize), SectionId>,
    /// Sources left out, by content path.
    pub excluded: BTreeMap<String, Excluded>,
    /// The first `publish_at` or `expire_at` after the clock this site was loaded with: from
    /// then on the site as loaded is stale, and only a full load tells what is published.
    pub next_gate: Option<DateTime<FixedOffset>>,
}

impl Site {
    /// Whether a publishing gate has opened or closed since the site was loaded (at `now`).
    pub fn gate_passed(&self, now: DateTime<FixedOffset>) -> bool {
        self.next_gate.is_some_and(|gate| gate <= now)
    }
}

/// The first of `meta`'s publishing gates still ahead of `now`.
fn gate_after(meta: &FrontMatter, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    [&meta.publish_at, &meta.expire_at].into_iter().flatten().map(|d| d.instant).filter(|at| *at > now).min()
}

/// The default language's home section.
pub const HOME: SectionId = 0;

struct Parsed {
    source: SourceFile,
    meta: FrontMatter,
    body_offset: usize,
    lang: usize,
    key: String,
}

/// Split `faq/lost-card.en.md` into (`faq/lost-card.md`, language of `en`); files without a
/// known language suffix are in the default language.
pub fn split_language(config: &Config, rel: &str) -> (String, usize) {
    if let Some(stem) = rel.strip_suffix(".md")
        && let Some((base, code)) = stem.rsplit_once('.')
        && !code.contains('/')
        && let Some(lang) = config.language_index(code)
    {
        return (format!("{base}.md"), lang);
    }
    (rel.to_string(), 0)
}

/// Parse every source's front matter (in parallel), then assemble the arena.
pub fn load(
    config: &Config,
    sources: Vec<SourceFile>,
    assets: Vec<Asset>,
    include: Inclusion,
    now: DateTime<FixedOffset>,
) -> (Site, Vec<Diagnostic>) {
    load_cached(config, sources, assets, include, now, None)
}

/// The content stage's memo: parsed front matter by source path, kept between the builds of
/// `watch` and `serve` so that only changed files are parsed again.
#[derive(Default)]
pub struct FrontMatterMemo {
    entries: HashMap<String, FrontMatterEntry>,
}

/// A source's parsed front matter, valid while its text and the site settings are unchanged.
struct FrontMatterEntry {
    settings: u64,
    text: Arc<String>,
    parsed: Option<(FrontMatter, usize)>,
    diagnostics: Vec<Diagnostic>,
}

impl FrontMatterMemo {
    /// Take `text` as the text the front matter of `rel` was parsed from, after an edit that
    /// left the front matter's bytes as they were (so the next build compares against it).
    pub fn refresh_text(&mut self, rel: &str, text: &Arc<String>) {
        if let Some(entry) = self.entries.get_mut(rel) {
            entry.text = Arc::clone(text);
        }
    }
}

/// [`load`], reusing front matter parsed by an earlier build when the text and settings
/// are unchanged, and refreshing `memo`.
pub fn load_cached(
    config: &Config,
    sources: Vec<SourceFile>,
    assets: Vec<Asset>,
    include: Inclusion,
    now: DateTime<FixedOffset>,
    memo: Option<&mut FrontMatterMemo>,
) -> (Site, Vec<Diagnostic>) {
    let results = parse_all(config, sources, memo);
    // Each page's parsed front matter is moved as few times as possible, into vectors sized
    // up front: on a large site, growing them anew touched tens of megabytes of fresh memory.
    let mut diagnostics = Vec::new();
    let mut sections = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for (p, d, _) in results {
        diagnostics.extend(d);
        match p {
            Some(p) if is_section_file(&p.key) => sections.push(p),
            Some(p) => pages.push(p),
            None => {}
        }
    }
    let next_gate = pages.iter().chain(&sections).filter_map(|p| gate_after(&p.meta, now)).min();
    let mut site = Site { next_gate, ..Site::default() };
    build_sections(config, &mut site, sections);
    let mut claimed: HashMap<String, String> = HashMap::new();
    for section in &site.sections {
        if let Some(source) = &section.source {
            claimed.insert(section.output.clone(), source.rel.clone());
        }
    }
    let bundle_dirs: Vec<String> = pages
        .iter()
        .filter_map(|p| {
            p.key.strip_suffix("index.md").filter(|d| d.is_empty() || d.ends_with('/')).map(str::to_string)
        })
        .collect();
    // Pages are made in parallel; which of two pages claims an output is then decided in
    // file order, so that it never depends on thread timing.
    let made: Vec<Made> = pages
        .into_par_iter()
        .map(|p| match exclusion(&p.meta, include, now) {
            Some(reason) => Made::Excluded(p.source.rel, reason),
            None => {
                let mut problems = Vec::new();
                let page = make_page(config, &site, p, &mut problems);
                Made::Page(page, problems)
            }
        })
        .collect();
    site.pages.reserve(made.len());
    site.page_by_path.reserve(made.len());
    site.page_by_key.reserve(made.len());
    place_pages(&mut site, made, claimed, &mut diagnostics);
    assign_assets(&mut site, assets, &bundle_dirs, config.languages.len());
    for (id, page) in site.pages.iter().enumerate() {
        site.sections[page.section].pages.push(id);
    }
    sort_sections(&mut site);
    (site, diagnostics)
}

/// The front matter of every source, in parallel: taken from `memo` when the text and the
/// settings are unchanged, else parsed (and then remembered). Each result says whether it
/// came from the memo.
fn parse_all(
    config: &Config,
    sources: Vec<SourceFile>,
    memo: Option<&mut FrontMatterMemo>,
) -> Vec<(Option<Parsed>, Vec<Diagnostic>, bool)> {
    let settings = {
        use std::hash::{Hash, Hasher};
        let mut h = crate::cache::hasher();
        (
            &config.taxonomies,
            &config.allow_keys,
            config.languages.iter().map(|l| &l.code).collect::<Vec<_>>(),
        )
            .hash(&mut h);
        h.finish()
    };
    let previous = memo.as_deref().map(|m| &m.entries);
    let unchanged = |e: &&FrontMatterEntry, s: &SourceFile| {
        e.settings == settings && (Arc::ptr_eq(&e.text, &s.text) || e.text == s.text)
    };
    // (parsed, problems, whether it came from the cache)
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>, bool)> = sources
        .into_par_iter()
        .map(|s| match previous.and_then(|p| p.get(&s.rel)).filter(|e| unchanged(e, &s)) {
            Some(entry) => {
                let (key, lang) = split_language(config, &s.rel);
                let parsed = entry.parsed.clone().map(|(meta, body_offset)| Parsed {
                    source: s,
                    meta,
                    body_offset,
                    lang,
                    key,
                });
                (parsed, entry.diagnostics.clone(), true)
            }
            None => {
                let (parsed, diagnostics) = parse_source(config, s);
                (parsed, diagnostics, false)
            }
        })
        .collect();
    if let Some(memo) = memo {
        // Entries of unchanged files stay as they are; only the others are replaced.
        let present: std::collections::HashSet<&str> =
            results.iter().filter_map(|(p, _, _)| p.as_ref().map(|p| p.source.rel.as_str())).collect();
        memo.entries.retain(|rel, _| present.contains(rel.as_str()));
        for (parsed, diagnostics, _) in results.iter().filter(|(_, _, cached)| !cached) {
            let Some(p) = parsed else { continue };
            let entry = FrontMatterEntry {
                settings,
                text: Arc::clone(&p.source.text),
                parsed: Some((p.meta.clone(), p.body_offset)),
                diagnostics: diagnostics.clone(),
            };
            memo.entries.insert(p.source.rel.clone(), entry);
        }
    }
    results
}

/// Put the pages made in file order into `site`, refusing a page whose output another
/// source (in `claimed`) already publishes to.
fn place_pages(
    site: &mut Site,
    made: Vec<Made>,
    mut claimed: HashMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for made in made {
        let page = match made {
            Made::Page(page, problems) => {
                diagnostics.extend(problems);
                page
            }
            Made::Excluded(rel, reason) => {
                site.excluded.insert(rel, reason);
                continue;
            }
        };
        if let Some(other) = claimed.get(&page.output) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `content/{}` both publish to `{}`",
                    page.source.display.display(),
                    other,
                    page.url
                ))
                .at(Location { file: page.source.display.clone(), line: 1, column: 1, length: 1 })
                .with_hint("give one of them another `slug:` in its front matter, or rename the file"),
            );
            continue;
        }
        claimed.insert(page.output.clone(), page.source.rel.clone());
        let id = site.pages.len();
        site.page_by_path.insert(page.source.rel.clone(), id);
        site.page_by_key.insert((page.key.clone(), page.lang), id);
        site.pages.push(page);
    }
}

/// A page made from its front matter (with the problems found on the way), or left out.
// Nearly all are pages: boxing them would add an allocation each and save no memory.
#[allow(clippy::large_enum_variant)]
enum Made {
    Page(Page, Vec<Diagnostic>),
    Excluded(String, Excluded),
}

fn is_section_file(rel: &str) -> bool {
    rel == "_index.md" || rel.ends_with("/_index.md")
}

fn parse_source(config: &Config, source: SourceFile) -> (Option<Parsed>, Vec<Diagnostic>) {
    let split = match front_matter::split(&source.text) {
        Ok(split) => split,
        Err(message) => {
            let d = Diagnostic::error(message.to_string())
                .at(Location { file: source.display.clone(), line: 1, column: 1, length: 3 })
                .with_hint("start the file with a line `---`, then `title: ...`, then another line `---`");
            return (None, vec![d]);
        }
    };
    let (key, lang) = split_language(config, &source.rel);
    let parsed = front_matter::parse_allowing(
        &source.display,
        &split,
        &config.taxonomies,
        &config.allow_keys,
        is_section_file(&key),
    );
    let body_offset = split.body_offset;
    let result = parsed.front_matter.map(|meta| Parsed { source, meta, body_offset, lang, key });
    (result, parsed.diagnostics)
}

fn exclusion(meta: &FrontMatter, include: Inclusion, now: DateTime<FixedOffset>) -> Option<Excluded> {
    if meta.draft && !include.drafts {
        return Some(Excluded::Draft);
    }
    if let Some(at) = &meta.publish_at
        && at.instant > now
        && !include.future
    {
        return Some(Excluded::Future);
    }
    if let Some(at) = &meta.expire_at
        && at.instant <= now
        && !include.expired
    {
        return Some(Excluded::Expired);
    }
    None
}

/// URL path segments of a folder path (`Benefits/Renewal` → `benefits/renewal`).
fn url_dir(dir: &str) -> String {
    dir.split('/').filter(|s| !s.is_empty()).map(segment).collect::<Vec<_>>().join("/")
}

fn segment(name: &str) -> String {
    let slug = slugify(name);
    if slug.is_empty() { "-".to_string() } else { slug }
}

fn output_for(dir_url: &str) -> (String, String) {
    if dir_url.is_empty() {
        (String::new(), "index.html".to_string())
    } else {
        (format!("{dir_url}/"), format!("{dir_url}/index.html"))
    }
}

fn build_sections(config: &Config, site: &mut Site, mut sections: Vec<Parsed>) {
    sections.sort_by(|a, b| (a.lang, &a.key).cmp(&(b.lang, &b.key)));
    for (lang, language) in config.languages.iter().enumerate() {
        let file =
            sections.iter().position(|s| s.key == "_index.md" && s.lang == lang).map(|i| sections.remove(i));
        let prefix = config.language_prefix(lang);
        let (url_rel, output) = output_for(prefix.trim_end_matches('/'));
        let site_title = language.title.clone().unwrap_or_else(|| config.title.clone());
        let (source, mut meta, body_offset) = match file {
            Some(p) => (Some(p.source), p.meta, p.body_offset),
            None => (
                None,
                FrontMatter {
                    description: language.description.clone().unwrap_or_default(),
                    ..FrontMatter::default()
                },
                0,
            ),
        };
        if meta.title.is_empty() {
            meta.title = site_title;
        }
        let id = site.sections.len();
        if let Some(source) = &source {
            site.section_by_path.insert(source.rel.clone(), id);
        }
        site.section_by_key.insert(("_index.md".to_string(), lang), id);
        site.homes.push(id);
        site.sections.push(Section {
            source,
            dir: String::new(),
            lang,
            meta,
            body_offset,
            url: config.url_for(&url_rel),
            output,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
        });
    }
    for p in sections {
        let dir = p.key.trim_end_matches("_index.md").trim_end_matches('/').to_string();
        let prefix = config.language_prefix(p.lang);
        let (url_rel, output) = output_for(&format!("{prefix}{}", url_dir(&dir)));
        let parent = parent_section(site, &dir, p.lang);
        let mut meta = p.meta;
        if meta.title.is_empty() {
            meta.title = dir.rsplit('/').next().unwrap_or(&dir).to_string();
        }
        let id = site.sections.len();
        site.section_by_path.insert(p.source.rel.clone(), id);
        site.section_by_key.insert((p.key.clone(), p.lang), id);
        site.sections.push(Section {
            dir,
            lang: p.lang,
            url: config.url_for(&url_rel),
            output,
            parent: Some(parent),
            subsections: Vec::new(),
            pages: Vec::new(),
            body_offset: p.body_offset,
            source: Some(p.source),
            meta,
        });
        site.sections[parent].subsections.push(id);
    }
}

/// The nearest section of `lang` whose folder contains `dir` (that language's home at worst).
fn parent_section(site: &Site, dir: &str, lang: usize) -> SectionId {
    let mut current = dir;
    while let Some(idx) = current.rfind('/') {
        current = &current[..idx];
        if let Some(&id) = site.section_by_key.get(&(format!("{current}/_index.md"), lang)) {
            return id;
        }
    }
    site.homes[lang]
}

fn make_page(config: &Config, site: &Site, p: Parsed, diagnostics: &mut Vec<Diagnostic>) -> Page {
    let rel = p.key.as_str();
    let (dir, file) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let is_bundle = file == "index.md";
    let section = parent_section(site, &format!("{dir}/x"), p.lang);
    // A slug in error counts as none: a bundle then keeps its folder's name, rather than
    // `index`, which made every such bundle of a section collide with the others.
    let valid_slug = match &p.meta.slug {
        Some(s) => match validate_slug(&s.value) {
            Ok(slug) => Some(slug),
            Err(why) => {
                diagnostics.push(
                    Diagnostic::error(format!("`slug` {why}: `{}`", s.value))
                        .at(Location {
                            file: p.source.display.clone(),
                            line: s.line,
                            column: s.column,
                            length: s.value.chars().count(),
                        })
                        .with_hint("a slug is one URL segment such as `lost-card`"),
                );
                None
            }
        },
        None => None,
    };
    let has_slug = valid_slug.is_some();
    let slug = match valid_slug {
        Some(slug) => slug,
        None if is_bundle => String::new(),
        None => segment(file.trim_end_matches(".md")),
    };
    let (parent_dir, slug) = if is_bundle && !has_slug {
        match dir.rfind('/') {
            Some(i) => (&dir[..i], segment(&dir[i + 1..])),
            None => ("", segment(dir)),
        }
    } else if is_bundle {
        (dir.rsplit_once('/').map(|(d, _)| d).unwrap_or(""), slug)
    } else {
        (dir, slug)
    };
    let base = format!("{}{}", config.language_prefix(p.lang), url_dir(parent_dir));
    let base = base.trim_end_matches('/');
    let path = if base.is_empty() { slug } else { format!("{base}/{slug}") };
    let (url_rel, output) = output_for(&path);
    Page {
        url: config.url_for(&url_rel),
        output,
        section,
        lang: p.lang,
        key: p.key,
        bundle_assets: Vec::new(),
        body_offset: p.body_offset,
        source: p.source,
        meta: p.meta,
    }
}

fn validate_slug(slug: &str) -> Result<String, &'static str> {
    if slug.is_empty() {
        return Err("is empty");
    }
    if slug.contains(['/', '\\', '\0']) || slug == "." || slug == ".." || slug.contains(':') {
        return Err("must be a single path segment without `/`, `\\`, `:` or `..`");
    }
    Ok(slug.to_string())
}

/// Files in a bundle folder go with the page; everything else is a site asset.
///
/// A bundle's files follow its page: when no language's page of the bundle is published
/// (a draft, not yet published, expired, or `status: gone`), they are not published either.
fn assign_assets(site: &mut Site, assets: Vec<Asset>, bundle_dirs: &[String], languages: usize) {
    for asset in assets {
        let bundle =
            bundle_dirs.iter().filter(|dir| asset.rel.starts_with(dir.as_str())).max_by_key(|dir| dir.len());
        let Some(dir) = bundle else {
            site.assets.push(asset);
            continue;
        };
        let key = format!("{dir}index.md");
        let page = (0..languages.max(1))
            .filter_map(|lang| site.page_by_key.get(&(key.clone(), lang)).copied())
            .find(|&p| site.pages[p].meta.status != Status::Gone);
        if let Some(page) = page {
            site.pages[page].bundle_assets.push(asset);
        }
    }
}

fn sort_sections(site: &mut Site) {
    for sid in 0..site.sections.len() {
        let sort_by = site.sections[sid].meta.sort_by;
        let mut pages = std::mem::take(&mut site.sections[sid].pages);
        pages.retain(|&p| {
            site.pages[p].meta.status != Status::Withdrawn && site.pages[p].meta.status != Status::Gone
        });
        pages.sort_by(|&a, &b| {
            compare(sort_by, &site.pages[a].meta, &site.pages[b].meta)
                .then_with(|| site.pages[a].source.rel.cmp(&site.pages[b].source.rel))
        });
        site.sections[sid].pages = pages;
        let mut subs = std::mem::take(&mut site.sections[sid].subsections);
        subs.sort_by(|&a, &b| {
            compare(sort_by, &site.sections[a].meta, &site.sections[b].meta)
                .then_with(|| site.sections[a].dir.cmp(&site.sections[b].dir))
        });
        site.sections[sid].subsections = subs;
    }
}

/// Order two entries of a listing.
pub fn compare(sort_by: SortBy, a: &FrontMatter, b: &FrontMatter) -> std::cmp::Ordering {
    match sort_by {
        SortBy::Weight => a
            .weight
            .unwrap_or(i64::MAX)
            .cmp(&b.weight.unwrap_or(i64::MAX))
            .then_with(|| a.title.cmp(&b.title)),
        SortBy::Date => b
            .date
            .as_ref()
            .map(|d| d.instant)
            .cmp(&a.date.as_ref().map(|d| d.instant))
            .then_with(|| a.title.cmp(&b.title)),
        SortBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
    }
}

/// Pages without a translation in every language, and translations older than their original.
pub fn check_translations(config: &Config, site: &Site) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if !config.is_multilingual() {
        return diagnostics;
    }
    let at = |page: &Page| Location { file: page.source.display.clone(), line: 1, column: 1, length: 3 };
    for page in &site.pages {
        if page.lang != 0 {
            continue;
        }
        for (lang, language) in config.languages.iter().enumerate().skip(1) {
            let Some(&t) = site.page_by_key.get(&(page.key.clone(), lang)) else {
                if !site.excluded.contains_key(&translation_path(&page.key, &language.code)) {
                    diagnostics.push(
                        Diagnostic::warning(format!(
                            "`{}` has no `{}` translation",
                            page.source.display.display(),
                            language.code
                        ))
                        .at(at(page))
                        .with_hint(format!("add `content/{}`", translation_path(&page.key, &language.code))),
                    );
                }
                continue;
            };
            let translation = &site.pages[t];
            let changed = |p: &Page| p.meta.updated.as_ref().or(p.meta.date.as_ref()).map(|d| d.date);
            if let (Some(original), Some(translated)) = (changed(page), changed(translation))
                && translated < original
            {
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "translation last updated {translated}, before its original `{}` ({original})",
                        page.source.display.display()
                    ))
                    .at(Location {
                        line: crate::front_matter::key_line(&translation.source.text, "updated")
                            .or_else(|| crate::front_matter::key_line(&translation.source.text, "date"))
                            .unwrap_or(1),
                        ..at(translation)
                    })
                    .with_hint("update the translation to match the original, then set its `updated:`"),
                );
            }
        }
    }
    diagnostics
}

/// `faq/lost-card.md` in language `en` → `faq/lost-card.en.md`.
pub fn translation_path(key: &str, code: &str) -> String {
    format!("{}.{code}.md", key.trim_end_matches(".md"))
}

impl Site {
    /// Drop every source text (see [`crate::source::SourceFile::release_text`]).
    pub fn release_texts(&mut self) {
        for page in &mut self.pages {
            page.source.release_text();
        }
        for section in &mut self.sections {
            if let Some(source) = &mut section.source {
                source.release_text();
            }
        }
    }

    /// Ancestors of a section, from home down to (and including) it.
    pub fn section_chain(&self, mut id: SectionId) -> Vec<SectionId> {
        let mut chain = vec![id];
        while let Some(parent) = self.sections[id].parent {
            chain.push(parent);
            id = parent;
        }
        chain.reverse();
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn source(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.to_string(),
            display: PathBuf::from(format!("content/{rel}")),
            abs: PathBuf::from(rel),
            text: Arc::new(text.to_string()),
        }
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-29T00:00:00+00:00").unwrap()
    }

    fn load_site(files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let config = Config::parse(Path::new("."), "base_url: https://example.gov.cn/guides/").unwrap();
        let sources = files.iter().map(|(r, t)| source(r, t)).collect();
        load(&config, sources, Vec::new(), Inclusion::default(), now())
    }

    #[test]
    fn urls_sections_and_bundles() {
        let (site, diags) = load_site(&[
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("faq/_index.md", "---\ntitle: FAQ\n---\n"),
            ("faq/Lost Card.md", "---\ntitle: Lost\n---\n"),
            ("faq/bundle/index.md", "---\ntitle: Bundle\n---\n"),
            ("about.md", "---\ntitle: About\nslug: about-us\n---\n"),
            ("guides/身份证.md", "---\ntitle: ID\n---\n"),
        ]);
        assert!(diags.is_empty(), "{diags:?}");
        let url = |p: &str| site.pages[site.page_by_path[p]].url.clone();
        assert_eq!(url("faq/Lost Card.md"), "/guides/faq/lost-card/");
        assert_eq!(url("faq/bundle/index.md"), "/guides/faq/bundle/");
        assert_eq!(url("about.md"), "/guides/about-us/");
        assert_eq!(url("guides/身份证.md"), "/guides/guides/身份证/");
        let faq = site.section_by_path["faq/_index.md"];
        assert_eq!(site.sections[faq].url, "/guides/faq/");
        assert_eq!(site.sections[faq].pages.len(), 2);
        assert_eq!(site.pages[site.page_by_path["guides/身份证.md"]].section, HOME);
    }

    #[test]
    fn drafts_and_future_pages_are_excluded() {
        let (site, _) = load_site(&[
            ("a.md", "---\ntitle: A\ndraft: true\n---\n"),
            ("b.md", "---\ntitle: B\npublish_at: 2099-01-01\n---\n"),
            ("c.md", "---\ntitle: C\nexpire_at: 2000-01-01\n---\n"),
            ("d.md", "---\ntitle: D\n---\n"),
        ]);
        assert_eq!(site.pages.len(), 1);
        assert_eq!(site.excluded["a.md"], Excluded::Draft);
        assert_eq!(site.excluded["b.md"], Excluded::Future);
        assert_eq!(site.excluded["c.md"], Excluded::Expired);
    }

    #[test]
    fn two_sources_one_url_is_an_error() {
        let (_, diags) =
            load_site(&[("a.md", "---\ntitle: A\n---\n"), ("b.md", "---\ntitle: B\nslug: a\n---\n")]);
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("both publish to `/guides/a/`"), "{}", diags[0].message);
    }

    #[test]
    fn bad_slug_is_an_error_with_position() {
        let (_, diags) = load_site(&[("a.md", "---\ntitle: A\nslug: ../../etc\n---\n")]);
        assert_eq!(diags[0].location.as_ref().unwrap().line, 3);
        assert!(diags[0].message.starts_with("`slug` must be a single path segment"));
    }

    #[test]
    fn translations_pair_by_key_and_live_under_a_prefix() {
        let config = Config::parse(Path::new("."), "languages:\n  - code: zh-CN\n  - code: en\n").unwrap();
        let sources = [
            ("_index.md", "---\ntitle: 首页\n---\n"),
            ("faq/_index.md", "---\ntitle: 问答\n---\n"),
            ("faq/_index.en.md", "---\ntitle: FAQ\n---\n"),
            ("faq/lost.md", "---\ntitle: 挂失\nupdated: 2026-05-01\n---\n"),
            ("faq/lost.en.md", "---\ntitle: Lost\nupdated: 2026-04-01\n---\n"),
            ("faq/only-zh.md", "---\ntitle: 仅中文\n---\n"),
        ]
        .iter()
        .map(|(r, t)| source(r, t))
        .collect();
        let (site, diags) = load(&config, sources, Vec::new(), Inclusion::default(), now());
        assert!(diags.is_empty(), "{diags:?}");
        let en = site.page_by_key[&("faq/lost.md".to_string(), 1)];
        assert_eq!(site.pages[en].url, "/en/faq/lost/");
        assert_eq!(site.sections[site.pages[en].section].url, "/en/faq/");
        assert_eq!(site.sections[site.homes[1]].url, "/en/");
        let warnings = check_translations(&config, &site);
        let messages: Vec<_> = warnings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("only-zh.md") && m.contains("no `en` translation")));
        assert!(messages.iter().any(|m| m.starts_with("translation last updated 2026-04-01")));
    }

    #[test]
    fn weight_ordering() {
        let (site, _) = load_site(&[
            ("s/_index.md", "---\ntitle: S\nsort_by: weight\n---\n"),
            ("s/a.md", "---\ntitle: A\nweight: 20\n---\n"),
            ("s/b.md", "---\ntitle: B\nweight: 10\n---\n"),
            ("s/c.md", "---\ntitle: C\n---\n"),
        ]);
        let s = site.section_by_path["s/_index.md"];
        let titles: Vec<_> =
            site.sections[s].pages.iter().map(|&p| site.pages[p].meta.title.as_str()).collect();
        assert_eq!(titles, ["B", "A", "C"]);
    }
}

//! The site arena: pages and sections with URLs, built from parsed sources.
//!
//! Pages and sections refer to each other by index, never by reference, so later stages
//! can add data (rendered bodies, backlinks) without fighting the borrow checker.

use std::collections::{BTreeMap, HashMap};

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
    /// Assets of a page bundle (`folder/index.md` plus its files).
    pub bundle_assets: Vec<Asset>,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

/// A section: a folder with `_index.md` (or the home page, always present).
#[derive(Debug, Clone)]
pub struct Section {
    /// Where it came from (`_index.md`); the home section may have no file.
    pub source: Option<SourceFile>,
    /// Path of the folder relative to `content/` (`""` for home, `faq`).
    pub dir: String,
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
        self.source.as_ref().map(|s| &s.text[self.body_offset..]).unwrap_or("")
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
    /// Sections; index 0 is home.
    pub sections: Vec<Section>,
    /// Content assets (outside page bundles), copied as they are.
    pub assets: Vec<Asset>,
    /// Pages by content path (`faq/lost-card.md`).
    pub page_by_path: HashMap<String, PageId>,
    /// Sections by `_index.md` content path.
    pub section_by_path: HashMap<String, SectionId>,
    /// Sources left out, by content path.
    pub excluded: BTreeMap<String, Excluded>,
}

/// The home section's id.
pub const HOME: SectionId = 0;

struct Parsed {
    source: SourceFile,
    meta: FrontMatter,
    body_offset: usize,
}

/// Parse every source's front matter (in parallel), then assemble the arena.
pub fn load(
    config: &Config,
    sources: Vec<SourceFile>,
    assets: Vec<Asset>,
    include: Inclusion,
    now: DateTime<FixedOffset>,
) -> (Site, Vec<Diagnostic>) {
    let results: Vec<(Option<Parsed>, Vec<Diagnostic>)> =
        sources.into_par_iter().map(|s| parse_source(config, s)).collect();
    let mut diagnostics = Vec::new();
    let mut parsed = Vec::new();
    for (p, d) in results {
        diagnostics.extend(d);
        parsed.extend(p);
    }
    let mut site = Site::default();
    let (sections, pages): (Vec<Parsed>, Vec<Parsed>) =
        parsed.into_iter().partition(|p| is_section_file(&p.source.rel));
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
            p.source
                .rel
                .strip_suffix("index.md")
                .filter(|d| d.is_empty() || d.ends_with('/'))
                .map(str::to_string)
        })
        .collect();
    for p in pages {
        if let Some(reason) = exclusion(&p.meta, include, now) {
            site.excluded.insert(p.source.rel.clone(), reason);
            continue;
        }
        let page = make_page(config, &site, p, &mut diagnostics);
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
        site.pages.push(page);
    }
    assign_assets(&mut site, assets, &bundle_dirs);
    for (id, page) in site.pages.iter().enumerate() {
        site.sections[page.section].pages.push(id);
    }
    sort_sections(&mut site);
    (site, diagnostics)
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
    let parsed =
        front_matter::parse(&source.display, &split, &config.taxonomies, is_section_file(&source.rel));
    let body_offset = split.body_offset;
    let result = parsed.front_matter.map(|meta| Parsed { source, meta, body_offset });
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
    sections.sort_by(|a, b| a.source.rel.cmp(&b.source.rel));
    let home_index = sections.iter().position(|s| s.source.rel == "_index.md");
    let home = match home_index {
        Some(i) => {
            let p = sections.remove(i);
            let mut meta = p.meta;
            if meta.title.is_empty() {
                meta.title = config.title.clone();
            }
            Section {
                dir: String::new(),
                url: config.url_for(""),
                output: "index.html".to_string(),
                parent: None,
                subsections: Vec::new(),
                pages: Vec::new(),
                body_offset: p.body_offset,
                source: Some(p.source),
                meta,
            }
        }
        None => Section {
            source: None,
            dir: String::new(),
            meta: FrontMatter {
                title: config.title.clone(),
                description: config.description.clone(),
                ..FrontMatter::default()
            },
            body_offset: 0,
            url: config.url_for(""),
            output: "index.html".to_string(),
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
        },
    };
    site.section_by_path.insert("_index.md".to_string(), HOME);
    site.sections.push(home);
    for p in sections {
        let dir = p.source.rel.trim_end_matches("_index.md").trim_end_matches('/').to_string();
        let (url_rel, output) = output_for(&url_dir(&dir));
        let parent = parent_section(site, &dir);
        let mut meta = p.meta;
        if meta.title.is_empty() {
            meta.title = dir.rsplit('/').next().unwrap_or(&dir).to_string();
        }
        let id = site.sections.len();
        site.section_by_path.insert(p.source.rel.clone(), id);
        site.sections.push(Section {
            dir,
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

/// The nearest section whose folder contains `dir` (home at worst).
fn parent_section(site: &Site, dir: &str) -> SectionId {
    let mut current = dir;
    while let Some(idx) = current.rfind('/') {
        current = &current[..idx];
        if let Some(&id) = site.section_by_path.get(&format!("{current}/_index.md")) {
            return id;
        }
    }
    HOME
}

fn make_page(config: &Config, site: &Site, p: Parsed, diagnostics: &mut Vec<Diagnostic>) -> Page {
    let rel = p.source.rel.as_str();
    let (dir, file) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let is_bundle = file == "index.md";
    let section = parent_section(site, &format!("{dir}/x"));
    let slug = match &p.meta.slug {
        Some(s) => match validate_slug(&s.value) {
            Ok(slug) => slug,
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
                segment(file.trim_end_matches(".md"))
            }
        },
        None if is_bundle => String::new(),
        None => segment(file.trim_end_matches(".md")),
    };
    let (parent_dir, slug) = if is_bundle && p.meta.slug.is_none() {
        match dir.rfind('/') {
            Some(i) => (&dir[..i], segment(&dir[i + 1..])),
            None => ("", segment(dir)),
        }
    } else if is_bundle {
        (dir.rsplit_once('/').map(|(d, _)| d).unwrap_or(""), slug)
    } else {
        (dir, slug)
    };
    let base = url_dir(parent_dir);
    let path = if base.is_empty() { slug } else { format!("{base}/{slug}") };
    let (url_rel, output) = output_for(&path);
    Page {
        url: config.url_for(&url_rel),
        output,
        section,
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
fn assign_assets(site: &mut Site, assets: Vec<Asset>, bundle_dirs: &[String]) {
    for asset in assets {
        let bundle = bundle_dirs
            .iter()
            .filter(|dir| asset.rel.starts_with(dir.as_str()))
            .max_by_key(|dir| dir.len())
            .and_then(|dir| site.page_by_path.get(&format!("{dir}index.md")).copied());
        match bundle {
            Some(page) => site.pages[page].bundle_assets.push(asset),
            None => site.assets.push(asset),
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

impl Site {
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
            text: text.to_string(),
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

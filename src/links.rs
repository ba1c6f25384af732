//! Link resolution: turn every recorded link into its target's URL, check pages, anchors
//! and assets exist, and collect backlinks, law citations and `related:` pages.
//!
//! Editors link to source files (`../faq/lost-card.md#what-to-bring`), so the Markdown
//! reads correctly on a code host too; the output gets the target's published URL.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::config::Config;
use crate::content::{PageId, SectionId, Site};
use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::front_matter::{Kind, Positioned};
use crate::markdown::{Link, LinkOrigin, Rendered};
use crate::text::{Suggester, did_you_mean};

/// A page or a section: anything with a Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum DocRef {
    /// A page.
    Page(PageId),
    /// A section.
    Section(SectionId),
}

/// A page that links to another, for "Pages that link here".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Backlink {
    /// The linking page or section.
    pub source: DocRef,
    /// The target fragment (`article-7`), or empty.
    pub anchor: String,
    /// The link text.
    pub text: Arc<str>,
}

/// Everything link resolution produced.
#[derive(Debug, Default)]
pub struct Resolved {
    /// `page_urls[p][i]`: the `href` of link `i` of page `p`.
    pub page_urls: Vec<Vec<Option<Arc<str>>>>,
    /// The same for sections.
    pub section_urls: Vec<Vec<Option<Arc<str>>>>,
    /// Who links to each page.
    pub backlinks: Vec<Vec<Backlink>>,
    /// Law articles each page cites: (law page, article anchor).
    pub cites: Vec<Vec<(PageId, String)>>,
    /// `related:` pages of each page, resolved.
    pub related: Vec<Vec<PageId>>,
    /// `replaced_by:` of each page, resolved.
    pub replaced_by: Vec<Option<DocRef>>,
    /// The `service:` links of each page (empty for pages that are not service guides).
    pub service: Vec<ServiceLinks>,
    /// The files of `content/` each page links to or shows (content paths, each once): what
    /// the page reads besides its source, for the dependency index of `watch` and `serve`.
    pub files: Vec<Vec<String>>,
    /// The same for sections.
    pub section_files: Vec<Vec<String>>,
    /// External `http(s)` links with where they are written, for `check --external` (empty
    /// unless the resolver was [collecting](Resolver::collecting_external) them).
    pub external: Vec<ExternalLink>,
    /// Broken links and the like.
    pub diagnostics: Vec<Diagnostic>,
}

/// A resolved legal-basis link: its URL and, for a page, the page and fragment it names.
pub type BasisLink = (String, Option<(PageId, String)>);

/// A service guide's `service:` links, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceLinks {
    /// Each `basis` entry: its URL and, for a page, the page and fragment it names (`None`
    /// when the link is broken).
    pub basis: Vec<Option<BasisLink>>,
    /// The page `process` points to.
    pub process: Option<PageId>,
}

/// An external link and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// The URL as written.
    pub url: String,
    /// Where in the Markdown source.
    pub location: Location,
}

/// What a content path points at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Doc(DocRef),
    /// A file's URL, and its content path when it is a file of `content/`.
    File(String, Option<String>),
}

/// Indexes needed to resolve links, built once per build.
pub struct Resolver<'a> {
    site: &'a Site,
    config: &'a Config,
    page_bodies: &'a [std::sync::Arc<Rendered>],
    section_bodies: &'a [std::sync::Arc<Rendered>],
    /// Content asset paths → URL.
    files: HashMap<String, String>,
    /// Output URL (without base path, with trailing slash) → doc.
    by_url: HashMap<String, DocRef>,
    /// Root-relative paths of static files (`style.css`).
    static_files: &'a HashSet<String>,
    /// Whether to list external links (see [`Resolver::collecting_external`]).
    collect_external: bool,
    /// Every content path, published or left out, indexed for "did you mean" (made when the
    /// first broken link needs it).
    suggester: std::sync::OnceLock<Suggester>,
}

impl<'a> Resolver<'a> {
    /// Build the indexes.
    pub fn new(
        site: &'a Site,
        config: &'a Config,
        page_bodies: &'a [std::sync::Arc<Rendered>],
        section_bodies: &'a [std::sync::Arc<Rendered>],
        static_files: &'a HashSet<String>,
    ) -> Self {
        let mut files = HashMap::new();
        for asset in &site.assets {
            files.insert(asset.rel.clone(), config.url_for(&asset.rel));
        }
        for page in &site.pages {
            let dir = page.source.rel.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
            for asset in &page.bundle_assets {
                let name = asset.rel.strip_prefix(&dir).unwrap_or(&asset.rel);
                files.insert(asset.rel.clone(), format!("{}{}", page.url, name));
            }
        }
        let mut by_url = HashMap::new();
        for (id, page) in site.pages.iter().enumerate() {
            by_url.insert(strip_base(config, &page.url).to_string(), DocRef::Page(id));
        }
        for (id, section) in site.sections.iter().enumerate() {
            by_url.insert(strip_base(config, &section.url).to_string(), DocRef::Section(id));
        }
        Resolver {
            site,
            config,
            page_bodies,
            section_bodies,
            files,
            by_url,
            static_files,
            collect_external: false,
            suggester: std::sync::OnceLock::new(),
        }
    }

    /// List external links in [`Resolved::external`] (off by default: only `check
    /// --external` needs them, and placing each one costs a look at its source).
    pub fn collecting_external(mut self, collect: bool) -> Self {
        self.collect_external = collect;
        self
    }

    fn rendered(&self, doc: DocRef) -> &Rendered {
        match doc {
            DocRef::Page(p) => self.page_bodies[p].as_ref(),
            DocRef::Section(s) => self.section_bodies[s].as_ref(),
        }
    }

    fn doc_url(&self, doc: DocRef) -> &str {
        match doc {
            DocRef::Page(p) => &self.site.pages[p].url,
            DocRef::Section(s) => &self.site.sections[s].url,
        }
    }

    fn doc_path(&self, doc: DocRef) -> String {
        match doc {
            DocRef::Page(p) => self.site.pages[p].source.rel.clone(),
            DocRef::Section(s) => self.site.sections[s].index_path(),
        }
    }

    /// Look a content path up (already normalised, no fragment), preferring the
    /// translation in `lang` when the path names no language itself.
    fn lookup(&self, path: &str, lang: usize) -> Option<Target> {
        if let Some(&p) = self.site.page_by_key.get(&(path.to_string(), lang)) {
            return Some(Target::Doc(DocRef::Page(p)));
        }
        if let Some(&s) = self.site.section_by_key.get(&(path.to_string(), lang)) {
            return Some(Target::Doc(DocRef::Section(s)));
        }
        if let Some(&p) = self.site.page_by_path.get(path) {
            return Some(Target::Doc(DocRef::Page(p)));
        }
        if let Some(&s) = self.site.section_by_path.get(path) {
            return Some(Target::Doc(DocRef::Section(s)));
        }
        if let Some(url) = self.files.get(path) {
            return Some(Target::File(url.clone(), Some(path.to_string())));
        }
        let dir = path.trim_end_matches('/');
        for candidate in [format!("{dir}/_index.md"), format!("{dir}/index.md"), format!("{dir}.md")] {
            let candidate = candidate.trim_start_matches('/').to_string();
            if let Some(&p) = self.site.page_by_key.get(&(candidate.clone(), lang)) {
                return Some(Target::Doc(DocRef::Page(p)));
            }
            if let Some(&s) = self.site.section_by_key.get(&(candidate.clone(), lang)) {
                return Some(Target::Doc(DocRef::Section(s)));
            }
            if let Some(&p) = self.site.page_by_path.get(&candidate) {
                return Some(Target::Doc(DocRef::Page(p)));
            }
            if let Some(&s) = self.site.section_by_path.get(&candidate) {
                return Some(Target::Doc(DocRef::Section(s)));
            }
        }
        None
    }

    /// Look a root-relative URL up (`/faq/lost-card/`, `/style.css`).
    fn lookup_url(&self, path: &str) -> Option<Target> {
        let with_slash = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
        if let Some(&doc) = self.by_url.get(&with_slash) {
            return Some(Target::Doc(doc));
        }
        let rel = path.trim_start_matches('/');
        if self.static_files.contains(rel) {
            return Some(Target::File(self.config.url_for(rel), None));
        }
        None
    }

    /// Every content path, for "did you mean" hints.
    fn known_paths(&self) -> impl Iterator<Item = &str> {
        self.site
            .page_by_path
            .keys()
            .chain(self.site.section_by_path.keys())
            .chain(self.files.keys())
            .map(String::as_str)
    }
}

fn strip_base<'u>(config: &Config, url: &'u str) -> &'u str {
    url.strip_prefix(config.base_path.as_str()).unwrap_or(url)
}

/// Split `path#fragment` (a `?query` is dropped from the path and kept for the URL).
fn split_destination(destination: &str) -> (&str, &str, &str) {
    let (rest, fragment) = destination.split_once('#').unwrap_or((destination, ""));
    let (path, query) = match rest.find('?') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    (path, query, fragment)
}

/// Decode `%XX` escapes (invalid escapes are kept as written).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes.get(i + 2).copied().unwrap_or(0)))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Join a relative link onto the folder of the linking file, resolving `.` and `..`.
/// `None` when the path climbs above `content/`.
pub fn join_path(from_dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        from_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if link.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// `to` written relative to the folder `from_dir` (for hints).
fn relative_from(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

struct LinkSite<'a> {
    doc: DocRef,
    lang: usize,
    rel: &'a str,
    display: &'a std::path::Path,
    source: &'a crate::source::SourceFile,
    body_offset: usize,
    /// The text and its lines, found on first use: most files have no problem to locate.
    lines: std::cell::OnceCell<(std::borrow::Cow<'a, str>, LineIndex)>,
}

impl LinkSite<'_> {
    fn location(&self, link: &Link<'_>) -> Location {
        let start = self.body_offset + link.offset;
        let (text, lines) = self.lines.get_or_init(|| {
            let text = self.source.text_for_messages();
            let lines = LineIndex::new(&text);
            (text, lines)
        });
        let (line, column) = lines.line_col(text, start);
        let end = (start + link.length).min(text.len());
        let first_line = text.get(start..end).unwrap_or("").split('\n').next().unwrap_or("");
        Location { file: self.display.to_path_buf(), line, column, length: first_line.chars().count().max(1) }
    }

    fn field_location(&self, p: &Positioned) -> Location {
        Location {
            file: self.display.to_path_buf(),
            line: p.line,
            column: p.column,
            length: p.value.chars().count().max(1),
        }
    }
}

/// Resolve all links of the site.
pub fn resolve(resolver: &Resolver<'_>) -> Resolved {
    use rayon::prelude::*;
    let site = resolver.site;
    let mut docs: Vec<DocRef> = (0..site.pages.len()).map(DocRef::Page).collect();
    docs.extend((0..site.sections.len()).map(DocRef::Section));
    // Each document resolves on its own; the results are merged in document order so that
    // the outcome never depends on thread timing.
    let results: Vec<DocLinks> = docs.par_iter().filter_map(|&doc| resolve_doc(resolver, doc)).collect();
    let mut out = Resolved {
        page_urls: vec![Vec::new(); site.pages.len()],
        section_urls: vec![Vec::new(); site.sections.len()],
        backlinks: vec![Vec::new(); site.pages.len()],
        cites: vec![Vec::new(); site.pages.len()],
        related: vec![Vec::new(); site.pages.len()],
        replaced_by: vec![None; site.pages.len()],
        service: vec![ServiceLinks::default(); site.pages.len()],
        files: vec![Vec::new(); site.pages.len()],
        section_files: vec![Vec::new(); site.sections.len()],
        external: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut backlinks: Vec<(PageId, Backlink)> =
        Vec::with_capacity(results.iter().map(|r| r.backlinks.len()).sum());
    for result in results {
        backlinks.extend(result.backlinks);
        out.external.extend(result.external);
        out.diagnostics.extend(result.diagnostics);
        match result.doc {
            DocRef::Page(p) => {
                out.page_urls[p] = result.urls;
                out.cites[p] = result.cites;
                out.related[p] = result.related;
                out.replaced_by[p] = result.replaced_by;
                out.service[p] = result.service;
                out.files[p] = result.files;
            }
            DocRef::Section(s) => {
                out.section_urls[s] = result.urls;
                out.section_files[s] = result.files;
            }
        }
    }
    // Each target's backlinks sorted and without repeats; sorted in parallel, as one list.
    backlinks.par_sort_unstable();
    backlinks.dedup();
    for (target, backlink) in backlinks {
        out.backlinks[target].push(backlink);
    }
    out
}

/// What resolving one document's links found.
struct DocLinks {
    doc: DocRef,
    urls: Vec<Option<Arc<str>>>,
    /// Without repeats (and in no order: [`resolve`] sorts them all).
    backlinks: ahash::AHashSet<(PageId, Backlink)>,
    cites: Vec<(PageId, String)>,
    related: Vec<PageId>,
    replaced_by: Option<DocRef>,
    service: ServiceLinks,
    files: Vec<String>,
    external: Vec<ExternalLink>,
    diagnostics: Vec<Diagnostic>,
}

fn resolve_doc(resolver: &Resolver<'_>, doc: DocRef) -> Option<DocLinks> {
    let site = resolver.site;
    let (source, body_offset, lang) = match doc {
        DocRef::Page(p) => (&site.pages[p].source, site.pages[p].body_offset, site.pages[p].lang),
        DocRef::Section(s) => {
            let section = &site.sections[s];
            (section.source.as_ref()?, section.body_offset, section.lang)
        }
    };
    let here = LinkSite {
        doc,
        lang,
        rel: &source.rel,
        display: &source.display,
        source,
        body_offset,
        lines: std::cell::OnceCell::new(),
    };
    let mut out = DocLinks {
        doc,
        urls: Vec::new(),
        backlinks: ahash::AHashSet::new(),
        cites: Vec::new(),
        related: Vec::new(),
        replaced_by: None,
        service: ServiceLinks::default(),
        files: Vec::new(),
        external: Vec::new(),
        diagnostics: Vec::new(),
    };
    let rendered = resolver.rendered(doc);
    out.urls.reserve_exact(rendered.links.len());
    // Each URL kept once: a large page may link to one place thousands of times.
    let mut interned: ahash::AHashSet<Arc<str>> = ahash::AHashSet::new();
    let mut intern = |url: String| match interned.get(url.as_str()) {
        Some(known) => Arc::clone(known),
        None => {
            let new: Arc<str> = Arc::from(url);
            interned.insert(Arc::clone(&new));
            new
        }
    };
    for (index, link) in rendered.links.iter().enumerate() {
        let origin = rendered
            .link_origins
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()
            .map(|at| &rendered.link_origins[at].1);
        let url = if link.internal {
            resolve_internal(resolver, &here, (&link, origin), &mut out)
        } else {
            let lower = link.destination.to_ascii_lowercase();
            if resolver.collect_external && (lower.starts_with("http://") || lower.starts_with("https://")) {
                out.external
                    .push(ExternalLink { url: link.destination.to_string(), location: here.location(&link) });
            }
            None
        };
        out.urls.push(url.map(&mut intern));
    }
    if let DocRef::Page(p) = doc {
        resolve_fields(resolver, &here, p, &mut out);
    }
    Some(out)
}

fn resolve_internal(
    resolver: &Resolver<'_>,
    here: &LinkSite<'_>,
    (link, origin): (&Link<'_>, Option<&LinkOrigin>),
    out: &mut DocLinks,
) -> Option<String> {
    let site = resolver.site;
    let found = match origin {
        Some(origin) => from_snippet(link.destination, origin)
            .ok_or_else(|| Problem::Escapes { destination: link.destination.to_string() })
            .and_then(|destination| resolve_one(resolver, here, &destination))
            .map_err(|problem| problem.in_snippet_terms(origin, link.destination)),
        None => resolve_one(resolver, here, link.destination),
    };
    match found {
        Ok((url, target)) => {
            if let Some((Target::File(_, Some(source)), _)) = &target
                && !out.files.contains(source)
            {
                out.files.push(source.clone());
            }
            if let Some((Target::Doc(DocRef::Page(target)), fragment)) = target
                && DocRef::Page(target) != here.doc
            {
                // A page may link to one place thousands of times: each backlink is kept once.
                let backlink =
                    Backlink { source: here.doc, anchor: fragment.clone(), text: link.text.clone() };
                out.backlinks.insert((target, backlink));
                if matches!(here.doc, DocRef::Page(_))
                    && site.pages[target].meta.kind == Kind::Law
                    && fragment.starts_with("article-")
                    && !out.cites.contains(&(target, fragment.clone()))
                {
                    out.cites.push((target, fragment));
                }
            }
            Some(url)
        }
        Err(problem) => {
            let diagnostic = match origin {
                Some(origin) => problem
                    .into_diagnostic(snippet_location(origin))
                    .with_hint(format!("in a snippet included by `{}`", here.display.display())),
                None => problem.into_diagnostic(here.location(link)),
            };
            out.diagnostics.push(diagnostic);
            None
        }
    }
}

/// A link written in a snippet, resolved from the snippet's folder: `../content/faq/x.md`
/// from `snippets/` is the page `faq/x.md` (written root-relative, `/faq/x.md`); `None`
/// when it leads out of `content/`.
fn from_snippet(destination: &str, origin: &LinkOrigin) -> Option<String> {
    if destination.is_empty() || destination.starts_with(['/', '#']) {
        return Some(destination.to_string());
    }
    let cut = destination.find(['?', '#']).unwrap_or(destination.len());
    let (path, rest) = destination.split_at(cut);
    let joined = join_path(&origin.dir, path)?;
    let in_content = joined.strip_prefix("content/")?;
    Some(format!("/{in_content}{rest}"))
}

/// Where a link written in a snippet stands in the snippet.
fn snippet_location(origin: &LinkOrigin) -> Location {
    let text = &*origin.text;
    let (line, column) = LineIndex::new(text).line_col(text, origin.offset);
    let shown = text.get(origin.offset..origin.offset + origin.length).unwrap_or("");
    let length = shown.split('\n').next().unwrap_or("").chars().count().max(1);
    Location { file: origin.display.clone(), line, column, length }
}

/// `related:` and `replaced_by:` of a page.
fn resolve_fields(resolver: &Resolver<'_>, here: &LinkSite<'_>, p: PageId, out: &mut DocLinks) {
    let meta = &resolver.site.pages[p].meta;
    for entry in &meta.related {
        match resolve_field(resolver, here, &entry.value) {
            Ok(Some(Target::Doc(DocRef::Page(target)))) => {
                if !out.related.contains(&target) && target != p {
                    out.related.push(target);
                }
            }
            Ok(_) => out.diagnostics.push(
                Diagnostic::error(format!("`related` entry `{}` is not a page", entry.value))
                    .at(here.field_location(entry))
                    .with_hint("list pages by their content path, like `faq/lost-card.md`"),
            ),
            Err(problem) => out.diagnostics.push(problem.into_diagnostic(here.field_location(entry))),
        }
    }
    if let Some(entry) = &meta.replaced_by {
        match resolve_field(resolver, here, &entry.value) {
            Ok(Some(Target::Doc(target))) => out.replaced_by = Some(target),
            Ok(_) => {}
            Err(problem) => out.diagnostics.push(problem.into_diagnostic(here.field_location(entry))),
        }
    }
    if let Some(service) = &meta.service {
        resolve_service(resolver, here, service, out);
    }
}

/// A service guide's legal basis (written like body links, checked the same way, and
/// counted as citations of the law articles they name) and its process page.
fn resolve_service(
    resolver: &Resolver<'_>,
    here: &LinkSite<'_>,
    service: &crate::guidance::gov::Service,
    out: &mut DocLinks,
) {
    let site = resolver.site;
    let placed = |entry: &crate::guidance::gov::Placed| Positioned {
        value: entry.value.clone(),
        line: entry.line,
        column: entry.column,
    };
    for entry in &service.basis {
        let resolved = match resolve_one(resolver, here, &entry.value) {
            Ok((url, target)) => {
                let named = match target {
                    Some((Target::Doc(DocRef::Page(target)), fragment))
                        if DocRef::Page(target) != here.doc =>
                    {
                        let backlink =
                            Backlink { source: here.doc, anchor: fragment.clone(), text: Arc::from("") };
                        out.backlinks.insert((target, backlink));
                        if site.pages[target].meta.kind == Kind::Law
                            && fragment.starts_with("article-")
                            && !out.cites.contains(&(target, fragment.clone()))
                        {
                            out.cites.push((target, fragment.clone()));
                        }
                        Some((target, fragment))
                    }
                    _ => None,
                };
                Some((url, named))
            }
            Err(problem) => {
                out.diagnostics.push(problem.into_diagnostic(here.field_location(&placed(entry))));
                None
            }
        };
        out.service.basis.push(resolved);
    }
    if let Some(entry) = &service.process {
        match resolve_field(resolver, here, &entry.value) {
            Ok(Some(Target::Doc(DocRef::Page(target)))) => out.service.process = Some(target),
            Ok(_) => out.diagnostics.push(
                Diagnostic::error(format!("`service.process` entry `{}` is not a page", entry.value))
                    .at(here.field_location(&placed(entry)))
                    .with_hint("give the steps page by its content path, like `how-to/renew-online.md`"),
            ),
            Err(problem) => {
                out.diagnostics.push(problem.into_diagnostic(here.field_location(&placed(entry))))
            }
        }
    }
}

/// A close path for a broken link, and why it is not published when it is left out (a
/// misspelt link to a draft must not send the editor to some other, published page).
struct Suggestion {
    path: String,
    excluded: Option<&'static str>,
}

/// What the broken link was meant to reach, which decides what the hint says.
#[derive(Clone, PartialEq, Eq)]
enum Expected {
    /// A page, by a body link.
    Page,
    /// A page, by a front matter field (`related:`, `replaced_by:`) read from `content/`.
    FieldPage,
    /// A file such as an image or a PDF, at this content path.
    File(String),
}

/// Why a link could not be resolved.
enum Problem {
    Missing { destination: String, hint: Option<Suggestion>, expected: Expected },
    Excluded { destination: String, why: &'static str },
    Anchor { destination: String, fragment: String, target: String, hint: Option<String>, ids: Vec<String> },
    Escapes { destination: String },
}

impl Problem {
    fn into_diagnostic(self, location: Location) -> Diagnostic {
        match self {
            Problem::Missing { destination, hint, expected } => {
                let d = Diagnostic::error(format!("broken link to `{destination}`")).at(location);
                d.with_hint(missing_hint(hint, expected))
            }
            Problem::Excluded { destination, why } => {
                Diagnostic::error(format!("link to `{destination}`, which is {why}"))
                    .at(location)
                    .with_hint("publish the target first, or remove the link until it is published")
            }
            Problem::Anchor { destination, fragment, target, hint, ids } => {
                let d = Diagnostic::error(format!("broken anchor `#{fragment}` in link to `{destination}`"))
                    .at(location);
                match hint {
                    Some(h) => {
                        d.with_hint(format!("`{target}` has no heading with that id; did you mean `#{h}`?"))
                    }
                    None if ids.is_empty() => d.with_hint(format!("`{target}` has no headings to link to")),
                    None => d.with_hint(format!(
                        "`{target}` has no heading with that id; its headings are {}",
                        ids.iter().map(|id| format!("`#{id}`")).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
            Problem::Escapes { destination } => {
                Diagnostic::error(format!("link `{destination}` points outside `content/`"))
                    .at(location)
                    .with_hint("remove some `../` so that the path stays inside the site")
            }
        }
    }
}

impl Problem {
    /// The problem of a link written in a snippet, in the snippet's terms: the destination as
    /// written, and a suggested path from the snippet's folder.
    fn in_snippet_terms(self, origin: &LinkOrigin, written: &str) -> Problem {
        let destination = written.to_string();
        match self {
            Problem::Missing { hint, expected, .. } => {
                let hint = hint.map(|s| Suggestion {
                    path: relative_from(&origin.dir, &format!("content/{}", s.path.trim_start_matches('/'))),
                    ..s
                });
                Problem::Missing { destination, hint, expected }
            }
            Problem::Excluded { why, .. } => Problem::Excluded { destination, why },
            Problem::Anchor { fragment, target, hint, ids, .. } => {
                Problem::Anchor { destination, fragment, target, hint, ids }
            }
            Problem::Escapes { .. } => Problem::Escapes { destination },
        }
    }
}

/// The hint of a broken link: the close path if any (saying when it is unpublished), else
/// what such a link should look like.
fn missing_hint(hint: Option<Suggestion>, expected: Expected) -> String {
    match (hint, expected) {
        (Some(Suggestion { path, excluded: Some(why) }), _) => {
            format!("did you mean `{path}`? It is {why}, so it is not published yet")
        }
        (Some(Suggestion { path, excluded: None }), _) => format!("did you mean `{path}`?"),
        (None, Expected::FieldPage) => {
            "list pages by their path under `content/`, like `faq/lost-card.md`".to_string()
        }
        (None, Expected::File(path)) => {
            format!("there is no file `content/{path}`: add it there (or in `static/`), or correct the path")
        }
        (None, Expected::Page) => {
            "link to a Markdown file in `content/`, like `../faq/lost-card.md`".to_string()
        }
    }
}

/// A page or file path close to `joined`, published or left out (drafts, future pages).
/// Never the linking page `here` itself: a link to it would not be broken.
fn suggest(resolver: &Resolver<'_>, joined: &str, here: &str) -> Option<(String, Option<&'static str>)> {
    let suggester = resolver.suggester.get_or_init(|| {
        let excluded = resolver.site.excluded.keys().map(String::as_str);
        Suggester::new(resolver.known_paths().chain(excluded).map(str::to_string))
    });
    let close = suggester.suggest(joined, here)?;
    Some((close.to_string(), resolver.site.excluded.get(close).map(|why| why.describe())))
}

/// Whether a link names a file other than a page (an image, a PDF), by its extension.
fn expects_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| !ext.is_empty() && ext != "md" && !ext.contains('/'))
}

type Found = (String, Option<(Target, String)>);

fn resolve_one(resolver: &Resolver<'_>, here: &LinkSite<'_>, destination: &str) -> Result<Found, Problem> {
    let (raw_path, query, fragment) = split_destination(destination);
    let fragment = percent_decode(fragment);
    let (target, shown) = if raw_path.is_empty() {
        (Target::Doc(here.doc), here.rel.to_string())
    } else {
        let path = percent_decode(raw_path);
        let joined = join_path(dir_of(here.rel), &path)
            .ok_or_else(|| Problem::Escapes { destination: destination.to_string() })?;
        match resolver.lookup(&joined, here.lang) {
            Some(t) => (t, joined),
            None => {
                let by_url = if path.starts_with('/') { resolver.lookup_url(&path) } else { None };
                match by_url {
                    Some(t) => (t, joined),
                    None => {
                        if let Some(why) = resolver.site.excluded.get(joined.as_str()) {
                            return Err(Problem::Excluded {
                                destination: destination.to_string(),
                                why: why.describe(),
                            });
                        }
                        let hint = suggest(resolver, &joined, here.rel).map(|(close, excluded)| Suggestion {
                            path: if path.starts_with('/') {
                                format!("/{close}")
                            } else {
                                relative_from(dir_of(here.rel), &close)
                            },
                            excluded,
                        });
                        let expected =
                            if expects_file(&path) { Expected::File(joined) } else { Expected::Page };
                        return Err(Problem::Missing {
                            destination: destination.to_string(),
                            hint,
                            expected,
                        });
                    }
                }
            }
        }
    };
    match target {
        Target::File(url, source) => {
            let shown = format!("{url}{query}");
            Ok((shown, source.map(|source| (Target::File(url, Some(source)), String::new()))))
        }
        Target::Doc(doc) => {
            if !fragment.is_empty() && !resolver.rendered(doc).anchors.contains(&fragment) {
                let anchors =
                    resolver.rendered(doc).anchors.iter().map(String::as_str).collect::<BTreeSet<_>>();
                let hint = did_you_mean(&fragment, anchors).map(str::to_string);
                let _ = shown;
                // With no close id (Chinese ids are never close to `article-9`), list them.
                let ids = resolver.rendered(doc).headings.iter().take(8).map(|h| h.id.clone()).collect();
                return Err(Problem::Anchor {
                    destination: destination.to_string(),
                    fragment,
                    target: resolver.doc_path(doc),
                    hint,
                    ids,
                });
            }
            let base = if doc == here.doc && raw_path.is_empty() {
                String::new()
            } else {
                resolver.doc_url(doc).to_string()
            };
            let url = if fragment.is_empty() && base.is_empty() && query.is_empty() {
                // `[Back to top](#)`: an empty `href` would reload the page.
                "#".to_string()
            } else if fragment.is_empty() {
                format!("{base}{query}")
            } else {
                format!("{base}{query}#{}", encode_fragment(&fragment))
            };
            Ok((url, Some((Target::Doc(doc), fragment))))
        }
    }
}

fn encode_fragment(fragment: &str) -> String {
    fragment.replace('%', "%25").replace(' ', "%20").replace('"', "%22")
}

/// Resolve a front matter path: from the content root first, then from the file's folder.
fn resolve_field(
    resolver: &Resolver<'_>,
    here: &LinkSite<'_>,
    value: &str,
) -> Result<Option<Target>, Problem> {
    let (path, _, _) = split_destination(value);
    let rooted = join_path("", path.trim_start_matches('/'));
    if let Some(t) = rooted.as_deref().and_then(|p| resolver.lookup(p, here.lang)) {
        return Ok(Some(t));
    }
    if !path.starts_with('/')
        && let Some(t) =
            join_path(dir_of(here.rel), path).as_deref().and_then(|p| resolver.lookup(p, here.lang))
    {
        return Ok(Some(t));
    }
    let relative = if path.starts_with('/') { None } else { join_path(dir_of(here.rel), path) };
    let joined = rooted.unwrap_or_default();
    for candidate in [Some(joined.as_str()), relative.as_deref()].into_iter().flatten() {
        if let Some(why) = resolver.site.excluded.get(candidate) {
            return Err(Problem::Excluded { destination: value.to_string(), why: why.describe() });
        }
    }
    let hint = suggest(resolver, &joined, here.rel).map(|(path, excluded)| Suggestion { path, excluded });
    Err(Problem::Missing { destination: value.to_string(), hint, expected: Expected::FieldPage })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(join_path("how-to", "../faq/lost.md").as_deref(), Some("faq/lost.md"));
        assert_eq!(join_path("how-to", "steps.md").as_deref(), Some("how-to/steps.md"));
        assert_eq!(join_path("how-to", "/law/x.md").as_deref(), Some("law/x.md"));
        assert_eq!(join_path("", "../../etc/passwd"), None);
        assert_eq!(join_path("a", "./b/").as_deref(), Some("a/b/"));
    }

    #[test]
    fn relative_hints() {
        assert_eq!(relative_from("how-to", "faq/lost-card.md"), "../faq/lost-card.md");
        assert_eq!(relative_from("faq", "faq/lost-card.md"), "lost-card.md");
        assert_eq!(relative_from("", "faq/a.md"), "faq/a.md");
    }

    #[test]
    fn splits_and_decodes() {
        assert_eq!(split_destination("a.md?x=1#frag"), ("a.md", "?x=1", "frag"));
        assert_eq!(percent_decode("%E8%BA%AB.md"), "身.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}

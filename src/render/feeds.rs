//! `sitemap.xml` and the Atom feeds (the whole site per language, and sections with
//! `feed: true`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::sections::Terms;
use super::values::{TranslationView, section_translations, term_url, translations};
use super::{Body, Inputs, Output, iso};
use crate::content::{PageId, Site};
use crate::front_matter::Status;
use crate::text::escape_html;

/// Percent-encode the non-ASCII bytes of a URL (sitemaps and feeds want plain ASCII).
pub fn encode_non_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// One sitemap entry: location, last modification, and alternates (hreflang, URL).
pub(super) type SitemapEntry = (String, Option<String>, Vec<(String, String)>);

pub(super) fn sitemap(inputs: &Inputs<'_>, taxonomies: &BTreeMap<(usize, String), Terms>) -> Vec<u8> {
    let Inputs { config, site, .. } = *inputs;
    let mut entries: Vec<SitemapEntry> = Vec::new();
    let alternates = |views: Vec<TranslationView>, lang: usize, own: &str| {
        let mut list: Vec<(String, String)> =
            views.into_iter().filter(|v| v.translated).map(|v| (v.lang, v.permalink)).collect();
        if list.is_empty() {
            return list;
        }
        list.push((config.languages[lang].code.clone(), own.to_string()));
        let default = if lang == 0 {
            own.to_string()
        } else {
            list.iter().find(|(l, _)| *l == config.language).map(|(_, u)| u.clone()).unwrap_or_default()
        };
        if !default.is_empty() {
            list.push(("x-default".to_string(), default));
        }
        list.sort();
        list
    };
    for (id, section) in site.sections.iter().enumerate() {
        let own = config.permalink(&section.url);
        let alt = alternates(section_translations(inputs, id), section.lang, &own);
        entries.push((own, iso(&section.meta.updated).or_else(|| iso(&section.meta.date)), alt));
    }
    for page in &site.pages {
        if page.meta.status == Status::Published {
            let own = config.permalink(&page.url);
            let alt = alternates(translations(inputs, page.lang, &page.key), page.lang, &own);
            entries.push((own, iso(&page.meta.updated).or_else(|| iso(&page.meta.date)), alt));
        }
    }
    for ((lang, name), terms) in taxonomies {
        let prefix = config.language_prefix(*lang);
        entries.push((config.permalink(&config.url_for(&format!("{prefix}{name}/"))), None, Vec::new()));
        for slug in terms.keys() {
            entries.push((config.permalink(&term_url(config, *lang, name, slug)), None, Vec::new()));
        }
    }
    entries.sort();
    let mut xml = Xml::new();
    xml.open(0, "urlset", &[("xmlns", SITEMAP_NS), ("xmlns:xhtml", XHTML_NS)]);
    for (loc, lastmod, alternates) in entries {
        xml.open(1, "url", &[]);
        xml.leaf(2, "loc", &encode_non_ascii(&loc));
        if let Some(d) = lastmod {
            xml.leaf(2, "lastmod", &d);
        }
        for (lang, href) in alternates {
            let href = encode_non_ascii(&href);
            xml.empty(2, "xhtml:link", &[("rel", "alternate"), ("hreflang", &lang), ("href", &href)]);
        }
        xml.close(1, "url");
    }
    xml.close(0, "urlset");
    xml.finish()
}

/// Pages newest first by `updated`, then `date`; only published pages.
pub(super) fn newest_pages(site: &Site, pages: impl Iterator<Item = PageId>) -> Vec<PageId> {
    let mut list: Vec<PageId> = pages.filter(|&p| site.pages[p].meta.status == Status::Published).collect();
    let when = |p: PageId| {
        let m = &site.pages[p].meta;
        m.updated.as_ref().or(m.date.as_ref()).map(|d| d.instant)
    };
    list.sort_by(|&a, &b| {
        when(b).cmp(&when(a)).then_with(|| site.pages[a].source.rel.cmp(&site.pages[b].source.rel))
    });
    list
}

/// Atom feeds: the whole site at `/atom.xml`, and each section with `feed: true` at `SECTION/atom.xml`.
pub(super) fn feeds(inputs: &Inputs<'_>) -> Vec<Output> {
    let Inputs { config, site, .. } = *inputs;
    let mut out = Vec::new();
    for (lang, &home) in site.homes.iter().enumerate() {
        let title = config.languages[lang].title.as_deref().unwrap_or(&config.title);
        let pages = (0..site.pages.len()).filter(|&p| site.pages[p].lang == lang).collect();
        let path = format!("{}atom.xml", config.language_prefix(lang));
        out.push(Output { path, body: Body::Bytes(atom(inputs, title, &site.sections[home].url, pages)) });
    }
    for (id, section) in site.sections.iter().enumerate() {
        if section.parent.is_none() || !section.meta.feed {
            continue;
        }
        let mut pages = Vec::new();
        let mut stack = vec![id];
        while let Some(s) = stack.pop() {
            pages.extend(site.sections[s].pages.iter().copied());
            stack.extend(site.sections[s].subsections.iter().copied());
        }
        let site_title = config.languages[section.lang].title.as_deref().unwrap_or(&config.title);
        let title = format!("{} — {site_title}", section.meta.title);
        let path = format!("{}atom.xml", section.output.trim_end_matches("index.html"));
        out.push(Output { path, body: Body::Bytes(atom(inputs, &title, &section.url, pages)) });
    }
    out
}

/// The URL of a section's feed (`/faq/atom.xml`), if it has one.
pub fn feed_url(section_url: &str) -> String {
    format!("{section_url}atom.xml")
}

pub(super) fn atom(inputs: &Inputs<'_>, title: &str, section_url: &str, pages: Vec<PageId>) -> Vec<u8> {
    let Inputs { config, site, .. } = *inputs;
    let pages = newest_pages(site, pages.into_iter());
    let stamp = |p: PageId| {
        let m = &site.pages[p].meta;
        m.updated
            .as_ref()
            .or(m.date.as_ref())
            .map(|d| d.instant.to_rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into())
    };
    let updated = pages.first().map(|&p| stamp(p)).unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let self_url = encode_non_ascii(&config.permalink(&feed_url(section_url)));
    let mut xml = Xml::new();
    xml.open(0, "feed", &[("xmlns", ATOM_NS), ("xml:lang", &config.language)]);
    xml.leaf(1, "title", title);
    xml.leaf(1, "id", &self_url);
    xml.empty(1, "link", &[("rel", "self"), ("href", &self_url)]);
    xml.empty(1, "link", &[("rel", "alternate"), ("href", &config.permalink(section_url))]);
    xml.leaf(1, "updated", &updated);
    let author = config.organization.as_ref().map_or(config.title.as_str(), |org| org.name.as_str());
    xml.author(1, author);
    for &p in pages.iter().take(50) {
        let page = &site.pages[p];
        let link = encode_non_ascii(&config.permalink(&page.url));
        xml.open(1, "entry", &[]);
        xml.leaf(2, "title", &page.meta.title);
        xml.leaf(2, "id", &link);
        xml.empty(2, "link", &[("rel", "alternate"), ("href", &link)]);
        xml.leaf(2, "updated", &stamp(p));
        if let Some(date) = &page.meta.date {
            xml.leaf(2, "published", &date.instant.to_rfc3339());
        }
        if !page.meta.description.is_empty() {
            xml.leaf(2, "summary", &page.meta.description);
        }
        xml.close(1, "entry");
    }
    xml.close(0, "feed");
    xml.finish()
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// An XML document written one element a line, indented two spaces a level. quick-xml writes
/// the markup; the layout is ours because its indenting writer would also break
/// `<author><name>…</name></author>` over three lines. Text and attribute values are escaped
/// as the HTML templates escape them (`&#39;` rather than quick-xml's `&apos;`), which keeps
/// the files byte for byte what earlier versions wrote.
struct Xml {
    writer: Writer<Vec<u8>>,
}

impl Xml {
    /// A document with its XML declaration.
    fn new() -> Self {
        let mut xml = Xml { writer: Writer::new(Vec::with_capacity(4096)) };
        xml.write(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        xml.newline();
        xml
    }

    /// `<name attrs…>` on a line of its own.
    fn open(&mut self, depth: usize, name: &str, attrs: &[(&str, &str)]) {
        self.indent(depth);
        self.write(Event::Start(start(name, attrs)));
        self.newline();
    }

    /// `</name>` on a line of its own.
    fn close(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.write(Event::End(BytesEnd::new(name)));
        self.newline();
    }

    /// `<name attrs…/>` on a line of its own.
    fn empty(&mut self, depth: usize, name: &str, attrs: &[(&str, &str)]) {
        self.indent(depth);
        self.write(Event::Empty(start(name, attrs)));
        self.newline();
    }

    /// `<name>text</name>` on a line of its own.
    fn leaf(&mut self, depth: usize, name: &str, text: &str) {
        self.indent(depth);
        self.element(name, text);
        self.newline();
    }

    /// `<author><name>…</name></author>` on one line.
    fn author(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.write(Event::Start(BytesStart::new("author")));
        self.element("name", name);
        self.write(Event::End(BytesEnd::new("author")));
        self.newline();
    }

    fn element(&mut self, name: &str, text: &str) {
        self.write(Event::Start(BytesStart::new(name)));
        self.write(Event::Text(BytesText::from_escaped(escape_html(text))));
        self.write(Event::End(BytesEnd::new(name)));
    }

    fn indent(&mut self, depth: usize) {
        self.writer.get_mut().extend(std::iter::repeat_n(b' ', depth * 2));
    }

    fn newline(&mut self) {
        self.writer.get_mut().push(b'\n');
    }

    fn write(&mut self, event: Event<'_>) {
        // Writing to memory cannot fail.
        let _ = self.writer.write_event(event);
    }

    /// The document's bytes.
    fn finish(self) -> Vec<u8> {
        self.writer.into_inner()
    }
}

/// A start tag with its attributes, their values escaped as [`Xml`] says.
fn start<'a>(name: &'a str, attrs: &[(&'a str, &str)]) -> BytesStart<'a> {
    let mut tag = BytesStart::new(name);
    for &(key, value) in attrs {
        tag.push_attribute(Attribute { key: QName(key), value: Cow::Owned(escape_html(value)) });
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{page, render, text};
    use super::*;

    #[test]
    fn xml_elements_go_one_a_line_with_escaped_text_and_attributes() {
        let mut xml = Xml::new();
        xml.open(0, "feed", &[("xml:lang", "en")]);
        xml.leaf(1, "title", "Rock & 'roll' <now>");
        xml.empty(1, "link", &[("href", "https://x.gov/?a=1&b=\"2\"")]);
        xml.author(1, "Office");
        xml.close(0, "feed");
        let text = String::from_utf8(xml.finish()).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xml:lang=\"en\">\n  \
             <title>Rock &amp; &#39;roll&#39; &lt;now&gt;</title>\n  \
             <link href=\"https://x.gov/?a=1&amp;b=&quot;2&quot;\"/>\n  \
             <author><name>Office</name></author>\n</feed>\n"
        );
    }

    #[test]
    fn non_ascii_urls_are_percent_encoded() {
        assert_eq!(encode_non_ascii("https://x.gov/办证/"), "https://x.gov/%E5%8A%9E%E8%AF%81/");
    }

    fn site() -> Vec<Output> {
        render(&[
            ("site.yaml", "title: Services\nbase_url: https://x.gov/\nlanguage: en\n"),
            ("content/_index.md", &page("title: Home", "")),
            ("content/older.md", &page("title: Older\ndate: 2024-01-01", "Old.")),
            ("content/newer.md", &page("title: Tom's newer\ndate: 2025-03-01\ndescription: New.", "New.")),
            ("content/gone.md", &page("title: Gone\nstatus: gone\ndate: 2025-06-01", "Gone.")),
        ])
    }

    #[test]
    fn the_sitemap_lists_published_pages_and_sections_in_order() {
        let outputs = site();
        let sitemap = text(&outputs, "sitemap.xml");
        let locs: Vec<&str> =
            sitemap.lines().filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>")).collect();
        assert_eq!(
            locs,
            ["https://x.gov/", "https://x.gov/newer/", "https://x.gov/older/", "https://x.gov/tags/"]
        );
        assert!(sitemap.contains("<loc>https://x.gov/newer/</loc>\n    <lastmod>2025-03-01</lastmod>\n"));
    }

    #[test]
    fn the_feed_lists_published_pages_newest_first() {
        let outputs = site();
        let atom = text(&outputs, "atom.xml");
        let titles: Vec<&str> =
            atom.lines().filter_map(|l| l.trim().strip_prefix("<title>")?.strip_suffix("</title>")).collect();
        assert_eq!(titles, ["Services", "Tom&#39;s newer", "Older"]);
        assert!(atom.contains("<summary>New.</summary>"));
        assert!(atom.contains("<link rel=\"self\" href=\"https://x.gov/atom.xml\"/>"));
    }
}

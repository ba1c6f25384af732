//! The government page standard's meta tags (site, column, article) and the values of the
//! government footer, made only when `site.yaml` has a `gov:` block (see
//! `docs/government.md`); without it every list here is empty and no output changes.

use serde::Serialize;

use crate::config::Config;
use crate::content::{PageId, SectionId, Site};
use crate::guidance::gov::{Filing, Gov};

/// One `<meta name content>` tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub(super) struct MetaTag {
    name: &'static str,
    content: String,
}

/// What the footer and head of every output of one language show: `site.gov`.
#[derive(Serialize)]
pub(super) struct GovView<'a> {
    site_id: &'a str,
    icp: &'a Filing,
    police: Option<&'a Filing>,
    sponsor: &'a str,
    contact: Option<&'a str>,
    error_report_url: &'a str,
    /// The site tags, for outputs that are neither pages nor sections.
    meta: Vec<MetaTag>,
}

/// The `site.gov` value of language `lang`, if the site has a `gov:` block.
pub(super) fn gov_view<'a>(config: &'a Config, lang: usize) -> Option<GovView<'a>> {
    let gov = config.gov.as_ref()?;
    Some(GovView {
        site_id: &gov.site_id,
        icp: &gov.icp,
        police: gov.police.as_ref(),
        sponsor: &gov.sponsor,
        contact: gov.contact.as_deref(),
        error_report_url: &gov.error_report_url,
        meta: site_tags(config, gov, lang),
    })
}

fn tag(name: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag { name, content: content.into() }
}

/// `SiteName`, `SiteDomain`, `SiteIDCode`.
fn site_tags(config: &Config, gov: &Gov, lang: usize) -> Vec<MetaTag> {
    let name = config.languages.get(lang).and_then(|l| l.title.as_deref()).unwrap_or(&config.title);
    let domain = gov.domain.clone().unwrap_or_else(|| host_of(&config.base_url).to_string());
    vec![tag("SiteName", name), tag("SiteDomain", domain), tag("SiteIDCode", gov.site_id.as_str())]
}

/// The host of an absolute URL (`https://a.gov.cn/x/` → `a.gov.cn`); a path gives "".
fn host_of(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else { return "" };
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// `ColumnName`, `ColumnDescription`, `ColumnKeywords`, `ColumnType` of section `s`.
fn column_tags(site: &Site, s: SectionId) -> Vec<MetaTag> {
    let meta = &site.sections[s].meta;
    let column = meta.column.clone().unwrap_or_default();
    vec![
        tag("ColumnName", meta.title.as_str()),
        tag("ColumnDescription", meta.description.as_str()),
        tag("ColumnKeywords", column.keywords.join(",")),
        tag("ColumnType", column.column_type.label_zh()),
    ]
}

/// The tags of section `s`: the site's, and the column's unless it is a home page.
pub(super) fn section_tags(config: &Config, site: &Site, s: SectionId) -> Vec<MetaTag> {
    let Some(gov) = &config.gov else { return Vec::new() };
    let section = &site.sections[s];
    let mut tags = site_tags(config, gov, section.lang);
    if section.parent.is_some() {
        tags.extend(column_tags(site, s));
    }
    tags
}

/// The tags of page `p` (whose description is `description`): the site's, its column's and
/// the article's. `PubDate` is `YYYY-MM-DD HH:MM` of `date` (else `updated`), as written.
pub(super) fn page_tags(config: &Config, site: &Site, p: PageId, description: &str) -> Vec<MetaTag> {
    let Some(gov) = &config.gov else { return Vec::new() };
    let page = &site.pages[p];
    let meta = &page.meta;
    let mut tags = site_tags(config, gov, page.lang);
    if site.sections[page.section].parent.is_some() {
        tags.extend(column_tags(site, page.section));
    }
    tags.push(tag("ArticleTitle", meta.title.as_str()));
    if let Some(date) = meta.date.as_ref().or(meta.updated.as_ref()) {
        tags.push(tag("PubDate", date.instant.format("%Y-%m-%d %H:%M").to_string()));
    }
    tags.push(tag("ContentSource", gov.content_source.as_deref().unwrap_or(&gov.sponsor)));
    let keywords: Vec<&str> =
        meta.taxonomies.values().flatten().map(|term| config.term_name(page.lang, term)).collect();
    if !keywords.is_empty() {
        tags.push(tag("Keywords", keywords.join(",")));
    }
    tags.push(tag("Author", meta.owner.as_deref().unwrap_or(&gov.sponsor)));
    tags.push(tag("Description", description));
    if let Some(image) = meta.extra.get("image").and_then(|v| v.as_str()) {
        tags.push(tag("Image", absolute(config, image)));
    }
    tags.push(tag("Url", config.permalink(&page.url)));
    tags
}

/// `url` made absolute against the site's origin when it is a root-relative path.
fn absolute(config: &Config, url: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        let host = host_of(&config.base_url);
        let scheme = config.base_url.split_once("://").map_or("https", |(s, _)| s);
        if !host.is_empty() {
            return format!("{scheme}://{host}{url}");
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{page, render, text};

    const GOV: &str = "gov:\n  site_id: '3600000001'\n  icp: {number: 赣ICP备00000000号, url: https://beian.miit.gov.cn/}\n  police: {number: 赣公网安备 36010002000001号, url: https://beian.mps.gov.cn/}\n  sponsor: 江西省公安厅\n  contact: 0791-00000000\n  error_report_url: https://example.gov.cn/jiucuo/\n";

    fn site(gov: &str) -> Vec<super::super::Output> {
        let config = format!("title: 服务\nbase_url: https://id.example.gov.cn/\nlanguage: zh-CN\n{gov}");
        render(&[
            ("site.yaml", &config),
            ("content/_index.md", &page("title: 首页", "")),
            (
                "content/news/_index.md",
                &page(
                    "title: 工作动态\ndescription: 本厅工作动态\ncolumn: {type: news, keywords: [户政, 动态]}",
                    "",
                ),
            ),
            (
                "content/news/a.md",
                &page(
                    "title: 一则动态\ndescription: 说明。\ndate: 2026-11-02T09:30:00+08:00\nowner: 户政管理办公室\ntags: [身份证]",
                    "正文。",
                ),
            ),
        ])
    }

    #[test]
    fn a_gov_block_adds_the_tags_and_the_footer() {
        let outputs = site(GOV);
        let html = text(&outputs, "news/a/index.html");
        for tag in [
            "<meta name=\"SiteName\" content=\"服务\">",
            "<meta name=\"SiteDomain\" content=\"id.example.gov.cn\">",
            "<meta name=\"SiteIDCode\" content=\"3600000001\">",
            "<meta name=\"ColumnName\" content=\"工作动态\">",
            "<meta name=\"ColumnDescription\" content=\"本厅工作动态\">",
            "<meta name=\"ColumnKeywords\" content=\"户政,动态\">",
            "<meta name=\"ColumnType\" content=\"动态要闻\">",
            "<meta name=\"ArticleTitle\" content=\"一则动态\">",
            "<meta name=\"PubDate\" content=\"2026-11-02 09:30\">",
            "<meta name=\"ContentSource\" content=\"江西省公安厅\">",
            "<meta name=\"Keywords\" content=\"身份证\">",
            "<meta name=\"Author\" content=\"户政管理办公室\">",
            "<meta name=\"Description\" content=\"说明。\">",
            "<meta name=\"Url\" content=\"https://id.example.gov.cn/news/a/\">",
        ] {
            assert!(html.contains(tag), "{tag} missing");
        }
        assert!(html.contains("网站标识码：3600000001"));
        assert!(html.contains("<a href=\"https://beian.miit.gov.cn/\">赣ICP备00000000号</a>"));
        assert!(html.contains("<a href=\"https://example.gov.cn/jiucuo/\">"));
        let column = text(&outputs, "news/index.html");
        assert!(column.contains("<meta name=\"ColumnType\" content=\"动态要闻\">"));
        assert!(!column.contains("ArticleTitle"));
        let home = text(&outputs, "index.html");
        assert!(home.contains("SiteIDCode") && !home.contains("ColumnName"));
    }

    #[test]
    fn without_a_gov_block_nothing_is_added() {
        let outputs = site("");
        for output in outputs.iter().filter(|o| o.path.ends_with(".html")) {
            let html = text(&outputs, &output.path);
            assert!(!html.contains("SiteIDCode") && !html.contains("sp-gov"), "{}", output.path);
        }
    }
}

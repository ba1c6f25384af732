//! End-to-end tests of bilingual sites and deployment details (issue 6): translations side
//! by side (`x.md` / `x.en.md`) under a sub-path `base_url`, per-language links, `<html lang>`,
//! hreflang alternates in pages and the sitemap, the language switcher and its fallback,
//! translation checks, localised theme strings and dates, aliases, `--base-url`, and Atom
//! feeds per language. The site is the `bilingual` fixture.

mod common;

use common::{Diag, Site, attr_values, between, files_containing, hrefs, s, tree};

const ZH_LOST: &str = "https://example.gov.cn/guides/faq/lost/";
const EN_LOST: &str = "https://example.gov.cn/guides/en/faq/lost/";

/// The `bilingual` fixture, built into its default output folder.
fn built() -> Site {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_success();
    site
}

/// The `<head>` of a page.
#[track_caller]
fn head_of(html: &str) -> &str {
    between(html, "<head>", "</head>")
}

/// The `<link rel="alternate" hreflang=...>` of a page's head, as (hreflang, href) pairs.
fn hreflang_links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in head_of(html).lines() {
        let line = line.trim();
        if line.starts_with("<link rel=\"alternate\" hreflang=") {
            let lang = attr_values(line, "hreflang");
            let href = hrefs(line);
            out.push((lang[0].clone(), href[0].clone()));
        }
    }
    out.sort();
    out
}

/// The expected alternates for a page translated into both languages.
fn pair(zh: &str, en: &str) -> Vec<(String, String)> {
    let mut v = vec![
        ("en".to_string(), en.to_string()),
        ("x-default".to_string(), zh.to_string()),
        ("zh-CN".to_string(), zh.to_string()),
    ];
    v.sort();
    v
}

/// The `<url>` entry of the sitemap for `loc`.
#[track_caller]
fn sitemap_entry(sitemap: &str, loc: &str) -> String {
    let start = format!("<url>\n    <loc>{loc}</loc>");
    between(sitemap, &start, "</url>").to_string()
}

/// The `<id>`s of the entries of an Atom feed (the feed's own id left out).
fn feed_entry_ids(feed: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = feed;
    while let Some(i) = rest.find("<entry>") {
        rest = &rest[i..];
        let end = rest.find("</entry>").unwrap_or(rest.len());
        let entry = &rest[..end];
        if let Some(id) = entry.split("<id>").nth(1).and_then(|t| t.split("</id>").next()) {
            out.push(id.to_string());
        }
        rest = &rest[end..];
    }
    out.sort();
    out
}

#[test]
fn translation_checks_warn_about_missing_and_stale_translations() {
    let site = Site::fixture("bilingual");
    let run = site.check(&[]);
    run.assert_success();
    let diags = run.diags();
    let summary: Vec<(String, String, String)> = diags
        .iter()
        .map(|d| {
            let file = d.location.as_deref().unwrap_or("").split(':').next().unwrap().to_string();
            (d.severity.clone(), d.message.clone(), file)
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("warning".to_string(), "`content/faq/local.md` has no `en` translation".to_string(), "content/faq/local.md".to_string()),
            (
                "warning".to_string(),
                "translation last updated 2026-01-15, before its original `content/faq/renew.md` (2026-02-01)"
                    .to_string(),
                "content/faq/renew.en.md".to_string()
            ),
        ],
        "{}",
        run.describe()
    );
    assert_eq!(diags[0].hints, ["add `content/faq/local.en.md`"]);
}

#[test]
fn default_language_at_the_sub_path_and_english_under_en() {
    let site = built();
    let files = tree(&site.public());
    for rel in [
        "index.html",
        "faq/index.html",
        "faq/lost/index.html",
        "faq/renew/index.html",
        "faq/local/index.html",
        "en/index.html",
        "en/faq/index.html",
        "en/faq/lost/index.html",
        "en/faq/renew/index.html",
    ] {
        assert!(files.contains_key(rel), "{rel} written; files: {:?}", files.keys().collect::<Vec<_>>());
    }
    assert!(!files.contains_key("en/faq/local/index.html"), "no English page for a zh-only page");
    assert!(!files.keys().any(|k| k.contains(".en")), "no `.en` in output paths");
    let zh = site.output("faq/lost/index.html");
    assert!(zh.contains(&format!("<link rel=\"canonical\" href=\"{ZH_LOST}\">")), "{zh}");
    let en = site.output("en/faq/lost/index.html");
    assert!(en.contains(&format!("<link rel=\"canonical\" href=\"{EN_LOST}\">")), "{en}");
    assert!(en.contains("<h1>Lost your card</h1>") && zh.contains("<h1>证件丢失怎么办</h1>"));
}

#[test]
fn plain_links_resolve_to_the_same_language_sibling() {
    let site = built();
    let en = site.output("en/faq/lost/index.html");
    assert!(en.contains("<p>First read <a href=\"/guides/en/faq/renew/\">how to renew</a>.</p>"), "{en}");
    let en = site.output("en/faq/renew/index.html");
    assert!(en.contains("<p>See also <a href=\"/guides/en/faq/lost/\">lost cards</a>.</p>"), "{en}");
    let zh = site.output("faq/lost/index.html");
    assert!(zh.contains("<p>请先阅读<a href=\"/guides/faq/renew/\">换领指南</a>。</p>"), "{zh}");
    let zh = site.output("faq/renew/index.html");
    assert!(zh.contains("<p>另见<a href=\"/guides/faq/lost/\">证件丢失</a>。</p>"), "{zh}");
}

#[test]
fn html_lang_follows_the_page_language() {
    let site = built();
    let files = tree(&site.public());
    let mut seen = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") || rel.starts_with("old-lost/") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let want = if rel.starts_with("en/") { "<html lang=\"en\">" } else { "<html lang=\"zh-CN\">" };
        assert!(html.contains(want), "{rel}: {want}");
        seen += 1;
    }
    assert!(seen >= 11, "pages checked: {seen}");
}

#[test]
fn translated_pages_carry_hreflang_alternates() {
    let site = built();
    for rel in ["faq/lost/index.html", "en/faq/lost/index.html"] {
        assert_eq!(hreflang_links(&site.output(rel)), pair(ZH_LOST, EN_LOST), "{rel}");
    }
    for rel in ["index.html", "en/index.html"] {
        assert_eq!(
            hreflang_links(&site.output(rel)),
            pair("https://example.gov.cn/guides/", "https://example.gov.cn/guides/en/"),
            "{rel}: sections are paired too"
        );
    }
    assert_eq!(hreflang_links(&site.output("faq/local/index.html")), [], "no alternates on a zh-only page");
}

#[test]
fn language_switcher_goes_to_the_translation_or_the_home_page() {
    let site = built();
    let zh_only = site.output("faq/local/index.html");
    let switcher = between(&zh_only, "<nav class=\"sp-languages\"", "</nav>");
    assert_eq!(hrefs(switcher), ["/guides/en/"], "{switcher}");
    assert!(switcher.contains("hreflang=\"en\""), "{switcher}");
    assert!(
        switcher.contains("<span class=\"sp-not-translated\">（本页暂无该语言版本，将前往首页）</span>"),
        "the not-translated notice, in the page's language: {switcher}"
    );

    let zh = site.output("faq/lost/index.html");
    let switcher = between(&zh, "<nav class=\"sp-languages\"", "</nav>");
    assert_eq!(hrefs(switcher), ["/guides/en/faq/lost/"], "{switcher}");
    assert!(!switcher.contains("sp-not-translated"), "{switcher}");

    let en = site.output("en/faq/lost/index.html");
    let switcher = between(&en, "<nav class=\"sp-languages\"", "</nav>");
    assert_eq!(hrefs(switcher), ["/guides/faq/lost/"], "{switcher}");
    assert!(switcher.contains(">简体中文</a>"), "{switcher}");
}

#[test]
fn sitemap_lists_hreflang_alternates() {
    let site = built();
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""), "{sitemap}");
    for loc in [ZH_LOST, EN_LOST] {
        let entry = sitemap_entry(&sitemap, loc);
        for (lang, href) in pair(ZH_LOST, EN_LOST) {
            let link = format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>");
            assert!(entry.contains(&link), "{loc}: {link}\n{entry}");
        }
        assert_eq!(entry.matches("<xhtml:link").count(), 3, "{entry}");
    }
    let local = sitemap_entry(&sitemap, "https://example.gov.cn/guides/faq/local/");
    assert!(!local.contains("xhtml:link"), "a zh-only page has no alternates: {local}");
    assert!(!sitemap.contains("https://example.gov.cn/guides/en/faq/local/"));
}

#[test]
fn theme_strings_are_localised() {
    let site = built();
    let zh = site.output("faq/lost/index.html");
    for text in [
        "<a class=\"sp-skip-link\" href=\"#main\">跳到主要内容</a>",
        "<nav class=\"sp-nav\" aria-label=\"主导航\">",
        "<nav class=\"sp-breadcrumbs\" aria-label=\"当前位置\">",
        "<dt>发布日期</dt>",
        "<nav class=\"sp-languages\" aria-label=\"本页的其他语言版本\">",
    ] {
        assert!(zh.contains(text), "zh page has {text:?}\n{zh}");
    }
    let body = between(&zh, "<body>", "</body>");
    for english in ["Skip to main content", "Main navigation", "Published", "Breadcrumb", "Next", "Related"] {
        assert!(!body.contains(english), "zh page has no English theme string {english:?}\n{body}");
    }
    let en = site.output("en/faq/lost/index.html");
    for text in [
        "<a class=\"sp-skip-link\" href=\"#main\">Skip to main content</a>",
        "<nav class=\"sp-nav\" aria-label=\"Main navigation\">",
        "<dt>Published</dt>",
    ] {
        assert!(en.contains(text), "en page has {text:?}\n{en}");
    }
    assert!(!en.contains("跳到主要内容") && !en.contains("发布日期"), "en page has no Chinese theme strings");
}

#[test]
fn dates_are_formatted_per_language() {
    let site = built();
    let zh = site.output("faq/lost/index.html");
    assert!(zh.contains("<time datetime=\"2026-03-02\">2026年3月2日</time>"), "{zh}");
    let en = site.output("en/faq/lost/index.html");
    assert!(en.contains("<time datetime=\"2026-03-02\">2 March 2026</time>"), "{en}");
    let zh = site.output("faq/renew/index.html");
    assert!(zh.contains("<time datetime=\"2026-01-10\">2026年1月10日</time>"), "{zh}");
    assert!(zh.contains("<time datetime=\"2026-02-01\">2026年2月1日</time>"), "{zh}");
    let en = site.output("en/faq/renew/index.html");
    assert!(en.contains("<time datetime=\"2026-01-15\">15 January 2026</time>"), "{en}");
}

#[test]
fn alias_writes_a_redirect_page_and_a_redirects_line() {
    let site = built();
    let target = "https://example.gov.cn/guides/faq/renew/";
    let page = site.output("old-lost/index.html");
    assert!(page.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">")), "{page}");
    assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")), "{page}");
    assert!(page.contains(&format!("<a href=\"{target}\">证件换领</a>")), "a visible link: {page}");
    let redirects = site.output("_redirects");
    assert!(
        redirects.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["/guides/old-lost/", "/guides/faq/renew/", "301"]),
        "{redirects}"
    );
    assert!(!site.output("sitemap.xml").contains("old-lost"), "redirect pages are not in the sitemap");
}

/// The fixture with `renew.md`'s `aliases:` line replaced.
fn with_aliases(aliases: &str) -> Site {
    let site = Site::fixture("bilingual");
    let text = common::read(&site.path("content/faq/renew.md"));
    let line = "aliases: [\"/old-lost/\"]\n";
    assert!(text.contains(line));
    site.write("content/faq/renew.md", &text.replace(line, aliases));
    site
}

#[test]
fn alias_colliding_with_a_page_is_an_error() {
    let site = with_aliases("aliases:\n  - /old-lost/\n  - /faq/local/\n");
    let run = site.check(&[]);
    run.assert_code(1);
    let errors: Vec<Diag> = run.diags().into_iter().filter(|d| d.severity == "error").collect();
    assert_eq!(
        errors,
        [Diag::error("alias `/faq/local/` collides with a generated page")
            .at("content/faq/renew.md:8:5")
            .hint("remove the alias, or move the other page")],
        "{}",
        run.describe()
    );
    let build = site.build(&[]);
    build.assert_code(1);
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn alias_collision_in_a_flow_list_points_at_that_alias() {
    let site = with_aliases("aliases: [\"/old-lost/\", \"/faq/local/\"]\n");
    let run = site.check(&[]);
    run.assert_code(1);
    let errors: Vec<Diag> = run.diags().into_iter().filter(|d| d.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    assert_eq!(errors[0].message, "alias `/faq/local/` collides with a generated page");
    let location = errors[0].location.clone().unwrap_or_default();
    // `aliases: ["/old-lost/", "/faq/local/"]`: the colliding alias starts at column 25.
    assert!(
        location == "content/faq/renew.md:6:25" || location == "content/faq/renew.md:6:26",
        "points at the colliding alias, not the first one: {location}\n{}",
        run.describe()
    );
}

#[test]
fn base_url_option_moves_every_internal_link() {
    let site = Site::fixture("bilingual");
    let out = site.scratch("sub");
    site.build(&["--base-url", "https://x.gov/sub/", "--output", s(&out)]).assert_success();
    let files = tree(&out);
    for old in ["href=\"/guides/", "src=\"/guides/", "example.gov.cn", "\"/guides/"] {
        assert_eq!(files_containing(&files, old), Vec::<String>::new(), "files still containing {old:?}");
    }
    let en = common::read(&out.join("en/faq/lost/index.html"));
    assert!(en.contains("<a href=\"/sub/en/faq/renew/\">how to renew</a>"), "{en}");
    assert!(en.contains("<link rel=\"canonical\" href=\"https://x.gov/sub/en/faq/lost/\">"), "{en}");
    assert!(en.contains("<link rel=\"stylesheet\" href=\"/sub/style.css\">"), "{en}");
    let local = common::read(&out.join("faq/local/index.html"));
    assert!(local.contains("<a href=\"/sub/en/\" hreflang=\"en\" lang=\"en\">"), "{local}");
    assert!(common::read(&out.join("sitemap.xml")).contains("<loc>https://x.gov/sub/faq/lost/</loc>"));
    assert!(common::read(&out.join("robots.txt")).contains("Sitemap: https://x.gov/sub/sitemap.xml"));
    assert!(common::read(&out.join("_redirects")).contains("/sub/old-lost/ /sub/faq/renew/ 301"));
    assert!(
        common::read(&out.join("old-lost/index.html")).contains("url=https://x.gov/sub/faq/renew/"),
        "redirect target moves too"
    );
    // Every root-relative link carries the new sub-path.
    for (rel, bytes) in &files {
        if rel.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            for href in hrefs(&html) {
                assert!(
                    !href.starts_with('/') || href.starts_with("/sub/"),
                    "{rel}: internal link {href:?} lacks the sub-path"
                );
            }
        }
    }
}

#[test]
fn atom_feeds_list_only_their_language() {
    let site = built();
    let zh = site.output("atom.xml");
    assert!(zh.contains("<id>https://example.gov.cn/guides/atom.xml</id>"), "{zh}");
    assert_eq!(
        feed_entry_ids(&zh),
        [
            "https://example.gov.cn/guides/faq/local/",
            "https://example.gov.cn/guides/faq/lost/",
            "https://example.gov.cn/guides/faq/renew/",
        ],
        "{zh}"
    );
    let en = site.output("en/atom.xml");
    assert!(en.contains("<id>https://example.gov.cn/guides/en/atom.xml</id>"), "{en}");
    assert_eq!(
        feed_entry_ids(&en),
        ["https://example.gov.cn/guides/en/faq/lost/", "https://example.gov.cn/guides/en/faq/renew/"],
        "{en}"
    );
    assert!(!en.contains("证件") && !zh.contains("Lost your card"), "no page of the other language");
}

#[test]
fn english_pages_advertise_the_english_feed() {
    let site = built();
    let en = site.output("en/faq/lost/index.html");
    let head = head_of(&en);
    assert!(
        head.contains("type=\"application/atom+xml\" title=\"Test site\" href=\"/guides/en/atom.xml\">"),
        "an English page's feed link points at the English feed\n{head}"
    );
    let zh = site.output("faq/lost/index.html");
    assert!(head_of(&zh).contains("href=\"/guides/atom.xml\">"), "{zh}");
}

#[test]
fn section_listings_hold_only_their_language() {
    let site = built();
    let en = site.output("en/faq/index.html");
    let main = between(&en, "<main", "</main>");
    let mut links: Vec<String> = hrefs(main).into_iter().filter(|h| h.starts_with("/guides/")).collect();
    links.sort();
    assert_eq!(links, ["/guides/en/faq/lost/", "/guides/en/faq/renew/"], "{main}");
    let zh = site.output("faq/index.html");
    let main = between(&zh, "<main", "</main>");
    let mut links: Vec<String> = hrefs(main).into_iter().filter(|h| h.starts_with("/guides/")).collect();
    links.sort();
    assert_eq!(links, ["/guides/faq/local/", "/guides/faq/lost/", "/guides/faq/renew/"], "{main}");
}

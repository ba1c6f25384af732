//! End-to-end tests of the guidance kinds (issue 4): step-by-step pages, FAQs, law articles
//! with citations, callouts, the page lifecycle (dates, change history, withdrawn and gone
//! pages, publication gates, reviews) and the JSON-LD every page carries. The site is the
//! `guidance` fixture; problems are planted one at a time by writing extra files.

mod common;

use std::collections::BTreeSet;

use common::{Diag, Run, Site, between, files_containing, s, tree};
use serde_json::Value;

/// The `guidance` fixture, built into its default output folder.
fn built() -> Site {
    let site = Site::fixture("guidance");
    site.build(&[]).assert_success();
    site
}

/// The text of one `<main>` element (the page without header, footer and `<head>`).
#[track_caller]
fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

/// `html` with every block from `start` to the next `end` (inclusive) removed.
fn without(html: &str, start: &str, end: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(start) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        rest = rest.find(end).map(|j| &rest[j + end.len()..]).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Every `<script type="application/ld+json">` block, parsed strictly.
#[track_caller]
fn jsonld_blocks(html: &str, what: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        rest = &rest[i + OPEN.len()..];
        let end = rest.find("</script>").unwrap_or_else(|| panic!("{what}: JSON-LD block never closed"));
        let text = &rest[..end];
        let value: Value = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{what}: JSON-LD is not strict JSON ({e}):\n{text}"));
        out.push(value);
        rest = &rest[end..];
    }
    out
}

/// The single JSON-LD graph of a page.
#[track_caller]
fn graph(html: &str, what: &str) -> Value {
    let blocks = jsonld_blocks(html, what);
    assert_eq!(blocks.len(), 1, "{what}: exactly one JSON-LD block");
    blocks.into_iter().next().unwrap()
}

/// The graph's page node (`WebPage` or `FAQPage`).
#[track_caller]
fn page_node(graph: &Value, what: &str) -> Value {
    let nodes = graph["@graph"].as_array().unwrap_or_else(|| panic!("{what}: `@graph` is a list: {graph}"));
    let pages: Vec<&Value> =
        nodes.iter().filter(|n| n["@type"] == "WebPage" || n["@type"] == "FAQPage").collect();
    assert_eq!(pages.len(), 1, "{what}: one page node in {graph}");
    pages[0].clone()
}

/// Collect every `@type` value anywhere in a JSON value.
fn types(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "@type" {
                    match v {
                        Value::String(t) => out.push(t.clone()),
                        other => out.push(other.to_string()),
                    }
                } else {
                    types(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| types(v, out)),
        _ => {}
    }
}

/// The `name`s of every element of a JSON list (in order).
fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| a.iter().map(|v| v["name"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

/// The link texts (`<a ...>TEXT</a>`) inside an HTML fragment.
fn link_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let Some(gt) = rest.find('>') else { break };
        let Some(end) = rest.find("</a>") else { break };
        out.push(rest[gt + 1..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// The `<aside class="sp-cited-by"` under one article of a law page (empty when none).
fn cited_by_under<'a>(html: &'a str, article_id: &str) -> &'a str {
    let start = format!("<section class=\"sp-article\" aria-labelledby=\"{article_id}\">");
    let section = between(html, &start, "</section>");
    match section.find("<aside class=\"sp-cited-by\"") {
        Some(i) => {
            let aside = &section[i..];
            &aside[..aside.find("</aside>").map(|j| j + "</aside>".len()).unwrap_or(aside.len())]
        }
        None => "",
    }
}

/// Only the diagnostics whose message contains `needle`.
fn diags_matching(run: &Run, needle: &str) -> Vec<Diag> {
    run.diags().into_iter().filter(|d| d.message.contains(needle)).collect()
}

// ---- The fixture as shipped -------------------------------------------------------------

#[test]
fn fixture_checks_clean() {
    let site = Site::fixture("guidance");
    let run = site.check(&[]);
    run.assert_success();
    assert_eq!(run.diags(), Vec::<Diag>::new(), "no diagnostics\n{}", run.describe());
}

// ---- Steps ------------------------------------------------------------------------------

#[test]
fn steps_page_is_a_numbered_list_with_step_anchors_and_howto() {
    let site = built();
    let html = site.output("services/renew/index.html");
    let main = main_of(&html);
    assert_eq!(main.matches("<ol class=\"sp-steps\">").count(), 1, "one step list\n{main}");
    for n in 1..=3 {
        assert_eq!(main.matches(&format!("id=\"step-{n}\"")).count(), 1, "step {n} anchor\n{main}");
    }
    assert!(!main.contains("id=\"step-4\""), "only three steps\n{main}");
    // The summary box states the kind's fields.
    assert!(main.contains("<dd>About 30 minutes</dd>"), "time_required shown\n{main}");
    assert!(main.contains("<li>Your old record card</li>") && main.contains("<li>A recent photo</li>"));

    let g = graph(&html, "renew");
    let howto = &page_node(&g, "renew")["mainEntity"];
    assert_eq!(howto["@type"], "HowTo", "{g}");
    let steps = howto["step"].as_array().expect("HowTo.step is a list");
    assert_eq!(steps.len(), 3, "one HowToStep per step: {howto}");
    assert!(steps.iter().all(|s| s["@type"] == "HowToStep"), "{howto}");
    assert_eq!(names(&howto["step"]), ["Check you can renew", "Book an appointment", "Go to the office"]);
    for (i, step) in steps.iter().enumerate() {
        assert_eq!(step["position"], i + 1, "{step}");
        assert_eq!(step["url"], format!("https://example.gov/services/renew/#step-{}", i + 1), "{step}");
    }
    assert_eq!(names(&howto["supply"]), ["Your old record card", "A recent photo"], "{howto}");
    assert!(howto["supply"].as_array().unwrap().iter().all(|s| s["@type"] == "HowToSupply"));
}

#[test]
fn steps_page_without_headings_uses_its_ordered_list() {
    let site = built();
    let html = site.output("services/quick/index.html");
    let main = main_of(&html);
    assert_eq!(main.matches("<ol class=\"sp-steps\">").count(), 1, "{main}");
    assert!(main.contains("<li class=\"sp-step\" id=\"step-1\">Fill in the form.</li>"), "{main}");
    assert!(main.contains("<li class=\"sp-step\" id=\"step-2\">Pay the fee.</li>"), "{main}");
    assert!(main.contains("<li class=\"sp-step\" id=\"step-3\">Collect the card.</li>"), "{main}");
    let g = graph(&html, "quick");
    let howto = &page_node(&g, "quick")["mainEntity"];
    assert_eq!(howto["@type"], "HowTo", "{g}");
    assert_eq!(howto["step"].as_array().map(Vec::len), Some(3), "{howto}");
    assert_eq!(howto["step"][2]["url"], "https://example.gov/services/quick/#step-3");
}

// ---- FAQ --------------------------------------------------------------------------------

#[test]
fn faq_page_has_open_details_and_faqpage_jsonld() {
    let site = built();
    let html = site.output("services/questions/index.html");
    let main = main_of(&html);
    assert_eq!(main.matches("<details class=\"sp-faq-item\" open>").count(), 3, "{main}");
    assert_eq!(main.matches("<summary>").count(), 3, "{main}");
    assert!(main.contains("<h2 id=\"how-long-does-it-take\">How long does it take?</h2>"), "{main}");

    let g = graph(&html, "questions");
    let page = page_node(&g, "questions");
    assert_eq!(page["@type"], "FAQPage", "{g}");
    let entries = page["mainEntity"].as_array().expect("FAQPage.mainEntity is a list");
    let got: Vec<(String, String)> = entries
        .iter()
        .map(|q| {
            assert_eq!(q["@type"], "Question", "{q}");
            assert_eq!(q["acceptedAnswer"]["@type"], "Answer", "{q}");
            (
                q["name"].as_str().unwrap_or("").to_string(),
                q["acceptedAnswer"]["text"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("How long does it take?", "About ten working days. See Article 8."),
        ("Can someone else collect my card?", "Yes, with your written consent."),
        ("What if my card is lost?", "Report it lost first, then apply again."),
    ];
    assert_eq!(
        got,
        expected.iter().map(|(q, a)| (q.to_string(), a.to_string())).collect::<Vec<_>>(),
        "questions and plain-text answers"
    );
}

// ---- Law --------------------------------------------------------------------------------

#[test]
fn law_articles_and_chapters_get_stable_ids() {
    let site = built();
    let en = site.output("law/act/index.html");
    assert!(en.contains("<h2 id=\"chapter-2\">Chapter 2: Cards</h2>"), "{en}");
    assert!(en.contains("<h3 id=\"article-7\">Article 7</h3>"), "{en}");
    assert!(en.contains("<h3 id=\"article-8\">Article 8</h3>"), "{en}");

    let zh = site.output("law/zh-act/index.html");
    assert!(zh.contains("<h2 id=\"chapter-2\">第二章 证件</h2>"), "{zh}");
    assert!(zh.contains("<h3 id=\"article-7\">第七条</h3>"), "{zh}");
    assert!(zh.contains("<h3 id=\"article-21-1\">第二十一条之一</h3>"), "{zh}");
}

#[test]
fn chinese_article_numerals_become_stable_ids() {
    let cases = [
        ("第一条", "article-1"),
        ("第十条", "article-10"),
        ("第十一条", "article-11"),
        ("第二十条", "article-20"),
        ("第二十一条", "article-21"),
        ("第二十一条之一", "article-21-1"),
        ("第二十一条之二", "article-21-2"),
        ("第九十九条", "article-99"),
        ("第一百条", "article-100"),
        ("第一百零三条", "article-103"),
        ("第一百一十条", "article-110"),
    ];
    let mut body = String::from("---\ntitle: 数字测试\nkind: law\n---\n\n## 第十二章 附则\n\n");
    for (heading, _) in cases {
        body.push_str(&format!("### {heading}\n\n正文。\n\n"));
    }
    let site = Site::fixture("guidance");
    site.write("content/law/numerals.md", &body);
    site.build(&[]).assert_success();
    let html = site.output("law/numerals/index.html");
    assert!(html.contains("<h2 id=\"chapter-12\">第十二章 附则</h2>"), "{html}");
    for (heading, id) in cases {
        assert!(html.contains(&format!("<h3 id=\"{id}\">{heading}</h3>")), "{heading} -> {id}\n{html}");
    }
}

#[test]
fn law_pages_emit_legislation_with_a_part_per_article() {
    let site = built();
    for (rel, title, articles) in [
        (
            "law/act/index.html",
            "Record Cards Act 2020",
            vec![("Article 7", "article-7"), ("Article 8", "article-8")],
        ),
        (
            "law/zh-act/index.html",
            "记录卡条例",
            vec![("第七条", "article-7"), ("第二十一条之一", "article-21-1")],
        ),
    ] {
        let html = site.output(rel);
        let g = graph(&html, rel);
        let law = &page_node(&g, rel)["mainEntity"];
        assert_eq!(law["@type"], "Legislation", "{rel}: {g}");
        assert_eq!(law["legislationIdentifier"], title, "{rel}");
        let parts = law["hasPart"].as_array().unwrap_or_else(|| panic!("{rel}: hasPart is a list: {law}"));
        let got: Vec<(String, String, String)> = parts
            .iter()
            .map(|p| {
                assert_eq!(p["@type"], "Legislation", "{rel}: {p}");
                (
                    p["legislationIdentifier"].as_str().unwrap_or("").to_string(),
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["url"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let base = format!("https://example.gov/{}", rel.trim_end_matches("index.html"));
        let expected: Vec<(String, String, String)> = articles
            .iter()
            .map(|(heading, id)| (heading.to_string(), heading.to_string(), format!("{base}#{id}")))
            .collect();
        assert_eq!(got, expected, "{rel}: one part per article heading");
    }
}

#[test]
fn each_cited_article_lists_exactly_the_guidance_citing_it() {
    let site = built();
    let en = site.output("law/act/index.html");
    let seven = cited_by_under(&en, "article-7");
    assert!(
        seven.starts_with("<aside class=\"sp-cited-by\" aria-label=\"Guidance citing Article 7\">"),
        "article 7 has its cited-by box: {seven:?}"
    );
    assert!(seven.contains("<p class=\"sp-cited-by-title\">Guidance citing Article 7</p>"), "{seven}");
    // Draft, future and expired pages also link to Article 7; none may be listed.
    assert_eq!(link_texts(seven), ["Who can hold a record card", "Renew your record card"], "{seven}");
    assert!(seven.contains("href=\"/services/eligibility/\"") && seven.contains("href=\"/services/renew/\""));

    let eight = cited_by_under(&en, "article-8");
    assert!(eight.contains("Guidance citing Article 8"), "{eight}");
    assert_eq!(link_texts(eight), ["Who can hold a record card", "Record card questions"], "{eight}");

    let zh = site.output("law/zh-act/index.html");
    assert_eq!(cited_by_under(&zh, "article-7"), "", "an article nobody cites has no box");
    let insert = cited_by_under(&zh, "article-21-1");
    assert!(insert.contains("第二十一条之一"), "{insert}");
    assert_eq!(link_texts(insert), ["Who can hold a record card"], "{insert}");
}

#[test]
fn guidance_citing_law_shows_its_legal_basis() {
    let site = built();
    let html = site.output("services/eligibility/index.html");
    let main = main_of(&html);
    let box_ = between(main, "<section class=\"sp-box sp-legal-basis\"", "</section>");
    assert!(box_.contains("<h2 id=\"sp-legal-basis-heading\">Legal basis</h2>"), "{box_}");
    assert_eq!(link_texts(box_), ["Article 7", "Article 8", "第二十一条之一"], "{box_}");
    assert_eq!(
        common::hrefs(box_),
        ["/law/act/#article-7", "/law/act/#article-8", "/law/zh-act/#article-21-1"],
        "{box_}"
    );
    assert_eq!(box_.matches("<cite>Record Cards Act 2020</cite>").count(), 2, "{box_}");
    assert_eq!(box_.matches("<cite>记录卡条例</cite>").count(), 1, "{box_}");

    let renew = site.output("services/renew/index.html");
    let box_ = between(&renew, "<section class=\"sp-box sp-legal-basis\"", "</section>");
    assert_eq!(link_texts(box_), ["Article 7"], "{box_}");

    let callouts = site.output("services/callouts/index.html");
    assert!(!callouts.contains("sp-legal-basis"), "a page citing no law has no legal basis box");
}

// ---- Structured data --------------------------------------------------------------------

const SCHEMA_TYPES: &[&str] = &[
    "WebPage",
    "FAQPage",
    "BreadcrumbList",
    "ListItem",
    "GovernmentOrganization",
    "HowTo",
    "HowToStep",
    "HowToSupply",
    "Legislation",
    "Question",
    "Answer",
];

#[test]
fn every_jsonld_block_is_strict_json_with_schema_org_types() {
    let site = built();
    let files = tree(&site.public());
    let mut seen_pages = 0;
    for (rel, bytes) in &files {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{rel} is UTF-8"));
        let blocks = jsonld_blocks(&html, rel);
        let is_doc = !rel.starts_with("tags/") && rel != "404.html";
        if is_doc {
            assert_eq!(blocks.len(), 1, "{rel}: every page and section carries one JSON-LD graph");
            seen_pages += 1;
        }
        for g in &blocks {
            assert_eq!(g["@context"], "https://schema.org", "{rel}: {g}");
            let mut all = Vec::new();
            types(g, &mut all);
            for t in &all {
                assert!(
                    SCHEMA_TYPES.contains(&t.as_str()),
                    "{rel}: `@type` {t} is not an allowed schema.org type"
                );
            }
            let page = page_node(g, rel);
            assert!(
                page["inLanguage"].as_str().is_some_and(|l| !l.is_empty()),
                "{rel}: inLanguage present: {page}"
            );
            assert!(page["name"].as_str().is_some_and(|n| !n.is_empty()), "{rel}: name: {page}");
            let org: Vec<&Value> = g["@graph"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["@type"] == "GovernmentOrganization")
                .collect();
            assert_eq!(org.len(), 1, "{rel}: the publisher appears once: {g}");
            assert_eq!(org[0]["name"], "Fixture Records Office", "{rel}");
            if let Some(crumbs) = page.get("breadcrumb") {
                assert_eq!(crumbs["@type"], "BreadcrumbList", "{rel}");
                let items = crumbs["itemListElement"].as_array().expect("itemListElement is a list");
                assert!(!items.is_empty(), "{rel}: breadcrumb items");
                for (i, item) in items.iter().enumerate() {
                    assert_eq!(item["@type"], "ListItem", "{rel}: {item}");
                    assert_eq!(item["position"], i + 1, "{rel}: positions run 1..n: {crumbs}");
                    assert!(item["item"].as_str().is_some_and(|u| u.starts_with("https://example.gov/")));
                }
                assert_eq!(items.last().unwrap()["item"], page["url"], "{rel}: the trail ends at the page");
            } else {
                assert_eq!(rel, "index.html", "only the home page has no breadcrumb trail");
            }
        }
    }
    assert!(seen_pages >= 12, "pages and sections checked: {seen_pages}");
}

// ---- Callouts ---------------------------------------------------------------------------

#[test]
fn callouts_of_every_kind_are_accessible_notes_with_their_label() {
    let site = built();
    let html = site.output("services/callouts/index.html");
    let main = main_of(&html);
    for (kind, label) in [
        ("note", "Note"),
        ("tip", "Tip"),
        ("important", "Important"),
        ("warning", "Warning"),
        ("caution", "Caution"),
    ] {
        let open = format!("<div class=\"sp-callout sp-callout-{kind}\" role=\"note\">");
        assert_eq!(main.matches(&open).count(), 1, "{kind} callout\n{main}");
        let callout = between(main, &open, "</div>");
        assert!(callout.contains(&format!(">{label}<")), "{kind}: label {label:?} shown: {callout}");
        let body = format!("Callout{kind} body text.");
        assert!(callout.contains(&body), "{kind}: body inside the callout: {callout}");
        assert!(!callout.contains("[!"), "{kind}: the marker is not shown: {callout}");
    }
}

// ---- Lifecycle --------------------------------------------------------------------------

#[test]
fn published_and_updated_dates_use_time_elements() {
    let site = built();
    let html = site.output("services/renew/index.html");
    let meta = between(&html, "<dl class=\"sp-meta\">", "</dl>");
    assert!(
        meta.contains("<dt>Published</dt> <dd><time datetime=\"2026-01-10\">10 January 2026</time></dd>"),
        "{meta}"
    );
    assert!(
        meta.contains("<dt>Last updated</dt> <dd><time datetime=\"2026-03-02\">2 March 2026</time></dd>"),
        "{meta}"
    );
    let g = graph(&html, "renew");
    let page = page_node(&g, "renew");
    assert_eq!(page["datePublished"], "2026-01-10");
    assert_eq!(page["dateModified"], "2026-03-02");
}

#[test]
fn change_history_is_listed() {
    let site = Site::fixture("guidance");
    site.write(
        "content/services/history.md",
        "---\ntitle: Page with history\ndate: 2026-01-10\nupdated: 2026-03-02\nchanges:\n  \
         - date: 2026-03-02\n    note: Added the photo rules.\n  - date: 2026-01-10\n    note: First published.\n---\n\nBody.\n",
    );
    site.build(&[]).assert_success();
    let html = site.output("services/history/index.html");
    let changes = between(&html, "<section class=\"sp-changes\"", "</section>");
    assert!(
        changes
            .contains("<li><time datetime=\"2026-03-02\">2 March 2026</time>: Added the photo rules.</li>")
    );
    assert!(
        changes.contains("<li><time datetime=\"2026-01-10\">10 January 2026</time>: First published.</li>")
    );
    assert!(
        changes.find("Added the photo rules").unwrap() < changes.find("First published").unwrap(),
        "listed in the written order: {changes}"
    );
}

#[test]
fn withdrawn_page_shows_a_banner() {
    let site = built();
    let html = site.output("services/old-form/index.html");
    let main = main_of(&html);
    assert!(main.contains("Oldformbody text of the old form."), "the page itself is kept\n{main}");
    assert!(main.contains("class=\"sp-banner"), "withdrawn pages carry a banner (`.sp-banner`)\n{main}");
    assert!(main.to_lowercase().contains("withdrawn"), "the banner says the page is withdrawn\n{main}");
    for other in ["services/renew/index.html", "services/callouts/index.html"] {
        assert!(!site.output(other).contains("sp-banner"), "{other}: no banner on live pages");
    }
}

#[test]
fn withdrawn_page_is_left_out_of_listings_sitemap_and_feeds() {
    let site = built();
    assert!(site.public().join("services/old-form/index.html").is_file(), "its own page exists");
    let files = tree(&site.public());
    let mentions: Vec<String> = files_containing(&files, "/services/old-form/")
        .into_iter()
        .filter(|f| f != "services/old-form/index.html" && f != ".signpost-output")
        .collect();
    assert_eq!(mentions, Vec::<String>::new(), "no other output mentions the withdrawn page");
    let mentions: Vec<String> = files_containing(&files, "The old paper form")
        .into_iter()
        .filter(|f| f != "services/old-form/index.html")
        .collect();
    assert_eq!(mentions, Vec::<String>::new(), "its title is in no listing");
    // The listings themselves exist (so the absence means something).
    for listing in ["services/index.html", "tags/cards/index.html", "sitemap.xml", "atom.xml"] {
        assert!(site.output(listing).contains("/services/renew/"), "{listing} lists live pages");
    }
}

#[test]
fn gone_page_explains_and_links_to_its_replacement() {
    let site = built();
    let html = site.output("services/fax/index.html");
    // Navigation blocks (related pages, previous/next) may link anywhere: look past them.
    let main = without(main_of(&html), "<section class=\"sp-related\"", "</section>");
    let main = without(&main, "<nav class=\"sp-prev-next\"", "</nav>");
    assert!(
        main.contains("href=\"/services/renew/\"")
            || main.contains("href=\"https://example.gov/services/renew/\""),
        "links to the replacement page\n{main}"
    );
    assert!(main.contains("Renew your record card"), "names the replacement\n{main}");
    assert!(!main.contains("Gonebodytext"), "the old body is not shown\n{main}");
}

// ---- Publication gates ------------------------------------------------------------------

const FUTURE: &str = "zyxwvfuturemarker";
const EXPIRED: &str = "qxjvexpiredmarker";
const DRAFT: &str = "wqpzdraftmarker";

/// Output files whose bytes contain `marker` (case-insensitively).
fn files_with(dir: &std::path::Path, marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the output folder");
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("read an output file");
        if bytes.to_ascii_lowercase().windows(marker.len()).any(|w| w == marker.as_bytes()) {
            found.push(entry.path().strip_prefix(dir).unwrap().display().to_string());
        }
    }
    found
}

#[test]
fn gated_and_draft_pages_appear_in_no_output_file() {
    let site = built();
    let files = tree(&site.public());
    assert!(files.len() > 15, "a real site was built: {} entries", files.len());
    for marker in [FUTURE, EXPIRED, DRAFT] {
        assert_eq!(files_with(&site.public(), marker), Vec::<String>::new(), "files mentioning {marker}");
    }
    for gone in ["services/future/", "services/expired/", "services/draft/"] {
        assert!(!files.contains_key(gone), "{gone} is not written");
        assert_eq!(files_containing(&files, &format!("/{gone}")), Vec::<String>::new(), "links to {gone}");
    }
}

#[test]
fn future_flag_includes_future_pages_only() {
    let site = Site::fixture("guidance");
    let out = site.scratch("future-out");
    site.build(&["--future", "--output", s(&out)]).assert_success();
    assert!(common::read(&out.join("services/future/index.html")).contains("Zyxwvfuturemarker body."));
    assert!(!files_with(&out, FUTURE).is_empty());
    assert_eq!(files_with(&out, EXPIRED), Vec::<String>::new());
    assert_eq!(files_with(&out, DRAFT), Vec::<String>::new());
}

#[test]
fn expired_flag_includes_expired_pages_only() {
    let site = Site::fixture("guidance");
    let out = site.scratch("expired-out");
    site.build(&["--expired", "--output", s(&out)]).assert_success();
    assert!(common::read(&out.join("services/expired/index.html")).contains("Qxjvexpiredmarker body."));
    assert_eq!(files_with(&out, FUTURE), Vec::<String>::new());
    assert_eq!(files_with(&out, DRAFT), Vec::<String>::new());
}

#[test]
fn drafts_flag_includes_drafts_only() {
    let site = Site::fixture("guidance");
    let out = site.scratch("drafts-out");
    site.build(&["--drafts", "--output", s(&out)]).assert_success();
    assert!(common::read(&out.join("services/draft/index.html")).contains("Wqpzdraftmarker body."));
    assert_eq!(files_with(&out, FUTURE), Vec::<String>::new());
    assert_eq!(files_with(&out, EXPIRED), Vec::<String>::new());
}

#[test]
fn linking_to_a_future_page_is_an_error() {
    let site = Site::fixture("guidance");
    site.write(
        "content/services/teaser.md",
        "---\ntitle: Teaser\n---\n\nComing: [the new service](future.md).\n",
    );
    let run = site.check(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diags(),
        [Diag::error("link to `future.md`, which is not yet published (`publish_at` is in the future)")
            .at("content/services/teaser.md:5:9")
            .hint("publish the target first, or remove the link until it is published")],
        "{}",
        run.describe()
    );
}

// ---- Reviews ----------------------------------------------------------------------------

const OVERDUE: &str =
    "---\ntitle: Review me\ndate: 1999-01-01\nowner: Records Team\nreview_by: 2000-01-01\n---\n\nBody.\n";

#[test]
fn overdue_review_warns_in_check() {
    let site = Site::fixture("guidance");
    site.write("content/services/review.md", OVERDUE);
    let run = site.check(&[]);
    run.assert_success();
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    let d = &diags[0];
    assert_eq!(d.severity, "warning", "{}", run.describe());
    assert!(d.message.starts_with("review overdue since 2000-01-01 ("), "{}", run.describe());
    assert_eq!(d.location.as_deref(), Some("content/services/review.md:5:1"), "points at `review_by`");
    assert_eq!(
        d.hints,
        ["ask the owner (Records Team) to review the page, then set `updated:` and a new `review_by:`"]
    );
}

#[test]
fn overdue_review_fails_a_strict_build() {
    let site = Site::fixture("guidance");
    site.write("content/services/review.md", OVERDUE);
    let run = site.build(&["--strict"]);
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    assert_eq!(diags[0].severity, "error", "{}", run.describe());
    assert!(diags[0].message.starts_with("review overdue since 2000-01-01 ("), "{}", run.describe());
    assert_eq!(diags[0].location.as_deref(), Some("content/services/review.md:5:1"));
    assert!(!site.public().exists(), "nothing written by the failed build");
    // Without --strict the same site builds.
    site.build(&[]).assert_success();
}

#[test]
fn review_window_option_lists_reviews_due_within_it() {
    let site = Site::fixture("guidance");
    site.write(
        "content/services/due.md",
        "---\ntitle: Due later\ndate: 2020-01-01\nowner: Records Team\nreview_by: 2099-01-01\n---\n\nBody.\n",
    );
    let run = site.check(&["--review-window", "40000"]);
    run.assert_success();
    assert!(
        run.stdout.contains(
            "Reviews due within 40000 days:\n  2099-01-01  content/services/due.md (owner: Records Team)\n"
        ),
        "the page due in 2099 is listed under a 40000-day window\n{}",
        run.describe()
    );
    let run = site.check(&[]);
    run.assert_success();
    assert!(!run.stdout.contains("Reviews due"), "not due within the default 30 days\n{}", run.describe());
}

#[test]
fn reviews_due_within_the_default_window_are_listed() {
    let soon = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).format("%Y-%m-%d").to_string();
    let site = Site::fixture("guidance");
    site.write(
        "content/services/soon.md",
        &format!("---\ntitle: Due soon\ndate: 2020-01-01\nreview_by: {soon}\n---\n\nBody.\n"),
    );
    let run = site.check(&[]);
    run.assert_success();
    assert!(
        run.stdout.contains(&format!("Reviews due within 30 days:\n  {soon}  content/services/soon.md\n")),
        "{}",
        run.describe()
    );
    assert_eq!(run.diags(), Vec::<Diag>::new(), "a review not yet due is no warning\n{}", run.describe());
}

#[test]
fn guidance_citing_law_amended_since_its_update_is_warned() {
    let site = Site::fixture("guidance");
    let act = common::read(&site.path("content/law/act.md"));
    site.write(
        "content/law/act.md",
        &act.replace("enacted: 2020-05-01\n", "enacted: 2020-05-01\namended: 2026-06-01\n"),
    );
    site.write(
        "content/services/cite.md",
        "---\ntitle: Citing page\ndate: 2025-01-01\nupdated: 2026-01-01\n---\n\nSee [Article 7](../law/act.md#article-7).\n",
    );
    site.write(
        "content/services/fresh.md",
        "---\ntitle: Fresh page\ndate: 2025-01-01\nupdated: 2026-07-01\n---\n\nSee [Article 8](../law/act.md#article-8).\n",
    );
    let run = site.check(&[]);
    run.assert_success();
    let cite: Vec<Diag> = diags_matching(&run, "amended on")
        .into_iter()
        .filter(|d| d.location.as_deref().is_some_and(|l| l.starts_with("content/services/cite.md")))
        .collect();
    assert_eq!(
        cite,
        [Diag::warning(
            "cites Record Cards Act 2020, amended on 2026-06-01 after this page was last updated (2026-01-01)"
        )
        .at("content/services/cite.md:4:1")
        .hint("check the guidance against the amended law, then set `updated:` to today")],
        "{}",
        run.describe()
    );
    let warned: BTreeSet<String> =
        diags_matching(&run, "amended on 2026-06-01 after this page was last updated")
            .into_iter()
            .filter_map(|d| d.location.map(|l| l.split(':').next().unwrap().to_string()))
            .collect();
    let expected: BTreeSet<String> = [
        "content/services/cite.md",
        "content/services/eligibility.md",
        "content/services/questions.md",
        "content/services/renew.md",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(
        warned,
        expected,
        "each older citing page is warned once; the fresh one is not\n{}",
        run.describe()
    );
}

#[test]
fn faq_without_owner_is_an_error() {
    let site = Site::fixture("guidance");
    site.write("content/services/ownerless.md", "---\ntitle: No owner\nkind: faq\n---\n\n## Q?\n\nA.\n");
    let run = site.check(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diags(),
        [Diag::error("FAQ pages need an `owner`")
            .at("content/services/ownerless.md:3:1")
            .hint("add `owner: <the team that answers these questions>` to the front matter")],
        "{}",
        run.describe()
    );
}

#[test]
fn kind_only_field_on_another_kind_is_a_warning() {
    let site = Site::fixture("guidance");
    site.write(
        "content/services/plain.md",
        "---\ntitle: Plain guide\ntime_required: 5 minutes\n---\n\nBody.\n",
    );
    let run = site.check(&[]);
    run.assert_success();
    assert_eq!(
        run.diags(),
        [Diag::warning("`time_required` is only used by `kind: steps` pages")
            .at("content/services/plain.md:3:1")
            .hint("set `kind: steps` or remove `time_required`")],
        "{}",
        run.describe()
    );
}

// ---- Editor support ---------------------------------------------------------------------

#[test]
fn schema_describes_every_front_matter_key() {
    let site = Site::fixture("guidance");
    let run = site.run(&["schema"]);
    run.assert_success();
    let schema: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("`signpost schema` prints JSON ({e})\n{}", run.describe()));
    let props = schema["properties"].as_object().expect("schema has properties");
    let keys = [
        "title",
        "description",
        "date",
        "updated",
        "weight",
        "draft",
        "slug",
        "template",
        "aliases",
        "kind",
        "review_by",
        "owner",
        "related",
        "sort_by",
        "feed",
        "status",
        "replaced_by",
        "publish_at",
        "expire_at",
        "changes",
        "time_required",
        "cost",
        "you_need",
        "law_title",
        "enacted",
        "amended",
        "source_url",
        "authoritative",
        "service",
        "column",
        "extra",
        "tags",
    ];
    for key in keys {
        assert!(props.contains_key(key), "schema property `{key}` missing");
        if key != "tags" {
            assert!(
                props[key]["description"].as_str().is_some_and(|d| !d.is_empty()),
                "`{key}` has a description"
            );
        }
    }
    assert_eq!(props["kind"]["enum"], serde_json::json!(["guide", "steps", "faq", "law", "service"]));
    assert_eq!(props["status"]["enum"], serde_json::json!(["published", "withdrawn", "gone"]));
}

//! The built search index finds the right bundled pages, in Chinese and English, through the
//! files a browser would load; it leaves unpublished pages out, tolerates typos and variant
//! characters, counts exactly, pages and filters.

mod common;

use std::path::{Path, PathBuf};

use common::Site;
use signpost::search::{SearchQuery, SearchResults, search};

fn bundled() -> Site {
    let site = Site::bare();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &site.path("content"));
    // The facts several pages state, which they show through shortcodes.
    common::copy_dir(&repo.join("data"), &site.path("data"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    site.build(&[]).assert_success();
    site
}

/// Run `q` over the index files in `dir` (a language's search folder).
fn find(dir: &Path, q: SearchQuery<'_>) -> SearchResults {
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).ok();
    search(&read, &q)
}

fn urls(dir: &Path, q: &str) -> Vec<String> {
    find(dir, SearchQuery { text: q, limit: 20, ..Default::default() })
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

fn first_hit(dir: &Path, q: &str) -> String {
    let hits = urls(dir, q);
    assert!(!hits.is_empty(), "`{q}` finds nothing");
    hits[0].clone()
}

fn dirs(site: &Site) -> (PathBuf, PathBuf) {
    (site.public().join("search"), site.public().join("en/search"))
}

#[test]
fn chinese_and_english_queries_find_the_right_pages() {
    let site = bundled();
    let (zh, en) = dirs(&site);
    assert!(first_hit(&zh, "挂失").starts_with("/faq/lost-card/#"), "挂失 leads to the FAQ answer");
    // The service guides carry these words in their titles too.
    let lost = first_hit(&zh, "补领");
    assert!(
        ["/faq/lost-card/", "/services/lost-card/", "/how-to/replace-lost-card/"]
            .iter()
            .any(|u| lost.starts_with(u)),
        "补领: {lost}"
    );
    let renew = first_hit(&zh, "换领");
    assert!(
        ["/how-to/renew-online/", "/services/renewal/"].iter().any(|u| renew.starts_with(u)),
        "换领: {renew}"
    );
    assert!(first_hit(&zh, "第七条").ends_with("#article-7"), "第七条: {:?}", urls(&zh, "第七条"));
    assert!(urls(&zh, "身份证").len() >= 5, "身份证 appears on most pages");
    assert!(first_hit(&en, "lost").starts_with("/en/faq/lost-card/"), "lost");
    assert!(first_hit(&en, "identity card").starts_with("/en/"), "identity card");
    assert!(first_hit(&en, "Ganfutong").starts_with("/en/how-to/renew-online/"));
    assert!(urls(&en, "挂失").is_empty(), "languages are separate indexes");
    assert!(urls(&en, "zzqxnonsense").is_empty());
    let page = site.output("search/index.html");
    assert!(page.contains("data-manifest=\"/search/manifest.js\""));
}

#[test]
fn typos_and_variant_characters_find_the_right_pages() {
    let site = bundled();
    let (zh, en) = dirs(&site);
    assert_eq!(urls(&zh, "身分证"), urls(&zh, "身份证"), "身分证 is a variant of 身份证");
    assert!(first_hit(&zh, "报失").starts_with("/faq/lost-card/"), "报失 finds 挂失");
    assert!(first_hit(&en, "lost crad").starts_with("/en/faq/lost-card/"), "lost crad");
    assert!(first_hit(&en, "identiy card").starts_with("/en/"), "identiy card");
    assert!(first_hit(&en, "Ganfutnog").starts_with("/en/how-to/renew-online/"), "a swap of neighbours");
    // A question that no page holds word for word lists the pages with most of its words,
    // the lost-card answers first, and says they are close matches.
    let question = find(&zh, SearchQuery { text: "身份证丢了怎么办", limit: 10, ..Default::default() });
    assert!(question.close, "身份证丢了怎么办 has no exact match");
    let lost: Vec<&str> = question.hits.iter().map(|h| h.url.split('#').next().unwrap_or("")).collect();
    assert_eq!(lost.first(), Some(&"/faq/lost-card/"), "{lost:?}");
    assert!(
        lost.contains(&"/how-to/replace-lost-card/") && lost.contains(&"/services/lost-card/"),
        "{lost:?}"
    );
    assert!(!find(&zh, SearchQuery { text: "挂失", limit: 10, ..Default::default() }).close);
    // An exact word does not drag in its near spellings.
    let lost = find(&en, SearchQuery { text: "lost", limit: 100, ..Default::default() });
    assert!(lost.hits.iter().all(|h| h.snippet.to_lowercase().contains("<mark>lost")), "{:?}", lost.hits);
}

#[test]
fn counts_are_exact_and_results_come_in_pages() {
    let site = bundled();
    let (zh, _) = dirs(&site);
    let all = find(&zh, SearchQuery { text: "身份证", limit: 1000, ..Default::default() });
    assert_eq!(all.total, all.hits.len());
    assert!(all.total > 4);
    let first = find(&zh, SearchQuery { text: "身份证", limit: 2, ..Default::default() });
    let second = find(&zh, SearchQuery { text: "身份证", offset: 2, limit: 2, ..Default::default() });
    assert_eq!(first.total, all.total);
    assert_eq!([first.hits, second.hits].concat(), all.hits[..4].to_vec());
}

#[test]
fn filters_narrow_the_results() {
    let site = bundled();
    let (zh, _) = dirs(&site);
    let manifest = std::fs::read_to_string(zh.join("manifest.js")).unwrap();
    assert!(manifest.contains("\"kinds\":[") && manifest.contains("\"faq\""), "{manifest}");
    let faq = find(&zh, SearchQuery { text: "身份证", kind: Some("faq"), limit: 100, ..Default::default() });
    assert!(faq.total >= 1 && faq.hits.iter().all(|h| h.url.starts_with("/faq/")), "{:?}", faq.hits);
    let law = find(&zh, SearchQuery { text: "身份证", kind: Some("law"), limit: 100, ..Default::default() });
    assert!(law.hits.iter().all(|h| h.url.starts_with("/law/")), "{:?}", law.hits);
    let none =
        find(&zh, SearchQuery { text: "身份证", section: Some(999), limit: 100, ..Default::default() });
    assert_eq!(none.total, 0);
}

#[test]
fn service_guides_are_a_kind_to_filter_by() {
    let site = bundled();
    let (zh, en) = dirs(&site);
    let manifest = std::fs::read_to_string(zh.join("manifest.js")).unwrap();
    assert!(manifest.contains("\"service\""), "the kinds offered: {manifest}");
    let service =
        find(&zh, SearchQuery { text: "身份证", kind: Some("service"), limit: 100, ..Default::default() });
    assert!(service.total >= 3, "the three service guides: {:?}", service.hits);
    assert!(service.hits.iter().all(|h| h.url.starts_with("/services/")), "{:?}", service.hits);
    let english =
        find(&en, SearchQuery { text: "card", kind: Some("service"), limit: 100, ..Default::default() });
    assert!(english.total >= 1 && english.hits.iter().all(|h| h.url.starts_with("/en/services/")));
    let page = std::fs::read_to_string(site.public().join("search/index.html")).unwrap();
    assert!(page.contains(r#"<option value="service">办事指南</option>"#), "the form offers it");
    let page = std::fs::read_to_string(site.public().join("en/search/index.html")).unwrap();
    assert!(page.contains(r#"<option value="service">Service guide</option>"#), "in English too");
}

#[test]
fn a_query_loads_only_what_it_needs() {
    let site = bundled();
    let (zh, _) = dirs(&site);
    let found = find(&zh, SearchQuery { text: "挂失", limit: 1, ..Default::default() });
    let files = std::fs::read_dir(zh.join("s")).unwrap().count();
    assert!(found.loaded[0] == "manifest.js", "{:?}", found.loaded);
    // The manifest, one shard (a two-character query is one term), a page table, one fragment.
    assert_eq!(found.loaded.len(), 4, "{:?} of {files} shards", found.loaded);
}

#[test]
fn snippets_are_plain_text_without_callout_labels() {
    let site = bundled();
    let (zh, en) = dirs(&site);
    for hit in find(&zh, SearchQuery { text: "挂失", limit: 50, ..Default::default() }).hits {
        assert!(!hit.snippet.contains(" 。") && !hit.snippet.contains(" ，"), "{}", hit.snippet);
    }
    for hit in find(&en, SearchQuery { text: "card", limit: 50, ..Default::default() }).hits {
        assert!(!hit.snippet.contains(" ."), "{}", hit.snippet);
    }
}

#[test]
fn unpublished_pages_stay_out_of_the_index() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let secret = std::fs::read_to_string(site.path("content/guides/secret.md")).unwrap();
    assert!(secret.contains("draft: true"));
    let title = secret.lines().find_map(|l| l.strip_prefix("title: ")).unwrap().trim_matches('"').to_string();
    let dir = site.public().join("search");
    let found = |dir: &Path| urls(dir, &title).len();
    assert_eq!(found(&dir), 0, "the draft is not in the index");
    site.build(&["--drafts"]).assert_success();
    assert!(found(&dir) > 0, "with --drafts it is");
}

#[test]
fn relative_builds_store_relative_result_urls() {
    let site = Site::fixture("basic");
    site.build(&["--relative-urls"]).assert_success();
    let dir = site.public().join("search");
    let hits = find(&dir, SearchQuery { text: "guides", limit: 5, ..Default::default() }).hits;
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(hit.url.starts_with("../"), "{}", hit.url);
        let path = hit.url.split('#').next().unwrap();
        assert!(
            dir.join(path).is_file() || dir.join(path).join("index.html").is_file(),
            "{} resolves",
            hit.url
        );
    }
}

#[test]
fn check_does_not_build_the_index() {
    let site = Site::fixture("basic");
    let render = |skip_search_index| {
        let options =
            signpost::build::BuildOptions { root: site.path(""), skip_search_index, ..Default::default() };
        let outputs = signpost::build::render_site(&options).unwrap().outputs;
        outputs.into_iter().map(|o| o.path).filter(|p| p.starts_with("search/")).collect::<Vec<_>>()
    };
    let checked = render(true);
    assert_eq!(checked, ["search/index.html"], "the page is still checked, without an index");
    let built = render(false);
    assert!(built.iter().any(|p| p == "search/manifest.js") && built.len() > 4, "{built:?}");
}

//! The built search index finds the right bundled pages, in Chinese and English, and leaves
//! unpublished pages out.

mod common;

use common::Site;

fn bundled() -> Site {
    let site = Site::bare();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_dir(&repo.join("content"), &site.path("content"));
    std::fs::copy(repo.join("site.yaml"), site.path("site.yaml")).unwrap();
    site.build(&[]).assert_success();
    site
}

fn first_hit(index: &str, q: &str) -> String {
    let hits = signpost::search::query(index, q, 10);
    assert!(!hits.is_empty(), "`{q}` finds nothing");
    hits[0].url.clone()
}

#[test]
fn chinese_and_english_queries_find_the_right_pages() {
    let site = bundled();
    let zh = site.output("search/index.json");
    let en = site.output("en/search/index.json");
    assert!(first_hit(&zh, "挂失").starts_with("/faq/lost-card/"), "挂失");
    assert!(first_hit(&zh, "补领").starts_with("/faq/lost-card/"), "补领");
    assert!(first_hit(&zh, "换领").starts_with("/how-to/renew-online/"), "换领");
    let id_card: Vec<String> =
        signpost::search::query(&zh, "身份证", 20).into_iter().map(|h| h.url).collect();
    assert!(id_card.len() >= 5, "身份证 appears on most pages: {id_card:?}");
    assert!(first_hit(&en, "lost").starts_with("/en/faq/lost-card/"), "lost");
    assert!(first_hit(&en, "identity card").starts_with("/en/"), "identity card");
    assert!(first_hit(&en, "Ganfutong").starts_with("/en/how-to/renew-online/"));
    assert!(signpost::search::query(&en, "挂失", 10).is_empty(), "languages are separate indexes");
    assert!(signpost::search::query(&en, "zzqxnonsense", 10).is_empty());
    let page = site.output("search/index.html");
    assert!(page.contains("data-index=\"/search/index.json\""));
}

#[test]
fn unpublished_pages_stay_out_of_the_index() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let index = site.output("search/index.json");
    let secret = std::fs::read_to_string(site.path("content/guides/secret.md")).unwrap();
    assert!(secret.contains("draft: true"));
    let title = secret.lines().find_map(|l| l.strip_prefix("title: ")).unwrap().trim_matches('"');
    assert!(!index.contains(title), "the draft's title is not in the index");
    site.build(&["--drafts"]).assert_success();
    assert!(site.output("search/index.json").contains(title));
}

#[test]
fn relative_builds_store_relative_result_urls() {
    let site = Site::fixture("basic");
    site.build(&["--relative-urls"]).assert_success();
    let index = site.output("search/index.json");
    let hits = signpost::search::query(&index, "guides", 5);
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(hit.url.starts_with("../"), "{}", hit.url);
        let path = hit.url.split('#').next().unwrap();
        assert!(site.public().join("search").join(path).is_file(), "{} resolves", hit.url);
    }
}

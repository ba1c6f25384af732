//! `signpost report` end to end on `tests/fixtures/status`, a site with one planted problem
//! for each section of the report: an overdue review, a missing and an outdated translation,
//! a stale news column and an empty notice column, a page citing a law amended after it, an image without alt text, and a
//! broken external link in the `check --external` cache. Each must show, with its figures, in
//! both the JSON and the HTML; and `serve` must show the same report live.

mod common;

use common::{Site, eventually, run_with, s};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use signpost::serve::{self, ServeOptions};

/// The day the fixture's figures are written for.
const TODAY: &str = "2026-06-15";

/// A cache of `check --external` results: the fee table 404 (checked 2026-06-10 08:00 UTC),
/// the fee rules fine (2026-06-14), and a URL no page links to.
const CACHE: &str = r#"{"version":1,"entries":{
  "https://fees.example.gov/table":{"status":404,"checked_at":1781078400},
  "https://fees.example.gov/rules":{"status":200,"checked_at":1781424000},
  "https://elsewhere.example/":{"status":500,"checked_at":1781424000}}}"#;

/// The fixture in a temporary folder, with the cache above in a folder of its own.
fn fixture() -> Site {
    let site = Site::fixture("status");
    let cache = site.root.join("../cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(cache.join("external-links.json"), CACHE).unwrap();
    site
}

/// Run `signpost report ARGS --today TODAY` in the site with the fixture's cache.
fn report(site: &Site, args: &[&str]) -> common::Run {
    let cache = site.root.join("../cache");
    let mut all = vec!["report", "--today", TODAY];
    all.extend_from_slice(args);
    run_with(&site.root, &all, &[("SIGNPOST_CACHE_DIR", s(&cache))], Duration::from_secs(60))
}

fn json(site: &Site) -> Value {
    let run = report(site, &["--format", "json"]);
    run.assert_success();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

/// The paths of a list of page objects.
fn paths(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect()
}

#[test]
fn json_shows_every_planted_problem_with_its_figures() {
    let site = fixture();
    let r = json(&site);
    assert_eq!(r["today"], TODAY);
    assert_eq!(r["pages"], 9);
    assert_eq!(r["languages"], serde_json::json!(["en", "zh-CN"]));

    let reviews = &r["reviews"];
    assert_eq!(reviews["overdue"], 1);
    assert_eq!(reviews["items"][0]["path"], "guides/renew.md");
    assert_eq!(reviews["items"][0]["days"], -45);
    assert_eq!(reviews["items"][0]["owner"], "Passport Office");
    let months: Vec<(String, u64)> = reviews["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().to_string(), m["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0], ("2026-06".to_string(), 0));
    assert_eq!(months[1], ("2026-07".to_string(), 1), "fees.md");
    assert_eq!(months[2], ("2026-08".to_string(), 1), "apply.md");

    let owners = &r["ownership"]["owners"];
    assert_eq!(owners[0], serde_json::json!({"owner": "Passport Office", "pages": 2, "overdue": 1}));
    assert_eq!(owners[1], serde_json::json!({"owner": "Fees Team", "pages": 1, "overdue": 0}));
    assert_eq!(r["ownership"]["unowned"].as_array().unwrap().len(), 6);

    let t = &r["translations"];
    assert_eq!(paths(&t["missing"]), ["guides/apply.md"]);
    assert_eq!(t["missing"][0]["expected"], "guides/apply.zh-CN.md");
    assert_eq!(paths(&t["outdated"]), ["guides/fees.zh-CN.md"]);
    assert_eq!(t["outdated"][0]["translated"], "2026-03-01");
    assert_eq!(t["outdated"][0]["original_updated"], "2026-06-10");
    assert_eq!(
        t["coverage"][0],
        serde_json::json!({"section": "guides", "lang": "zh-CN", "current": 1, "outdated": 1, "missing": 1})
    );

    let f = &r["freshness"];
    assert_eq!(
        (f["default_window_days"].as_i64(), f["stale"].as_u64(), f["empty"].as_u64()),
        (Some(180), Some(2), Some(2))
    );
    assert_eq!(
        f["sections"][0],
        serde_json::json!({"section": "news", "lang": "en", "title": "News", "rule": "column",
            "column_type": "news", "window_days": 14, "pages": 1, "last_updated": "2025-10-01",
            "days": 257, "stale_on": "2025-10-15", "stale": true, "empty": false}),
        "the news column is 14 days old by its own rule, not the default window"
    );
    let order: Vec<(&str, &str)> = f["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["section"].as_str().unwrap(), c["lang"].as_str().unwrap()))
        .collect();
    let expected =
        [("news", "en"), ("news", "zh-CN"), ("notices", "en"), ("notices", "zh-CN"), ("law", "en")];
    assert_eq!(order[..5], expected, "stale, then empty, then the soonest due");
    let notices = &f["sections"][2];
    assert_eq!((notices["rule"].as_str(), notices["window_days"].as_i64()), (Some("column"), Some(183)));
    assert_eq!(
        (notices["pages"].as_u64(), notices["empty"].as_bool(), notices["stale"].as_bool()),
        (Some(0), Some(true), Some(false))
    );
    let law = &f["sections"][4];
    assert_eq!(
        (law["rule"].as_str(), law["column_type"].is_null(), law["window_days"].as_i64()),
        (Some("default"), true, Some(180)),
        "no `column:` settings: the default window"
    );
    assert_eq!(
        (law["last_updated"].as_str(), law["stale_on"].as_str(), law["stale"].as_bool()),
        (Some("2026-05-20"), Some("2026-11-16"), Some(false))
    );
    let guides = &f["sections"][6];
    assert_eq!((guides["section"].as_str(), guides["lang"].as_str()), (Some("guides"), Some("en")));
    assert_eq!(
        (guides["column_type"].as_str(), guides["window_days"].is_null(), guides["stale_on"].is_null()),
        (Some("service"), true, true),
        "a service column has no window"
    );
    assert_eq!((guides["pages"].as_u64(), guides["last_updated"].as_str()), (Some(3), Some("2026-06-10")));

    let c = &r["citations"];
    assert_eq!(c["outdated"], 1);
    let cited_by = &c["articles"][0]["cited_by"];
    assert_eq!(c["articles"][0]["article"], "article-7");
    assert_eq!(c["articles"][0]["amended"], "2026-05-20");
    assert_eq!(paths(cited_by), ["guides/apply.md", "guides/renew.md"]);
    assert_eq!(
        (cited_by[0]["outdated"].as_bool(), cited_by[1]["outdated"].as_bool()),
        (Some(true), Some(false))
    );

    let links = &r["links"];
    assert_eq!(links["external_total"], 2);
    let external = links["external"].as_array().unwrap();
    assert_eq!(external.len(), 2, "the URL no page links to is left out: {links}");
    assert_eq!(external[0]["url"], "https://fees.example.gov/table");
    assert_eq!((external[0]["status"].as_u64(), external[0]["broken"].as_bool()), (Some(404), Some(true)));
    assert_eq!(
        (external[0]["checked"].as_str(), external[0]["age_days"].as_i64()),
        (Some("2026-06-10"), Some(5))
    );
    assert_eq!(paths_of_strings(&external[0]["pages"]), ["guides/fees.md", "guides/fees.zh-CN.md"]);
    assert_eq!((external[1]["status"].as_u64(), external[1]["age_days"].as_i64()), (Some(200), Some(1)));

    let kinds = r["quality"]["kinds"].as_array().unwrap();
    let alt = kinds.iter().find(|k| k["kind"] == "image `…` has no alt text").expect("the alt-text kind");
    assert_eq!(alt["count"], 1);
    assert_eq!(alt["by_section"], serde_json::json!({"guides": 1}));
    assert_eq!(alt["examples"], serde_json::json!(["content/guides/apply.md:12"]));
    let overdue =
        kinds.iter().find(|k| k["kind"] == "review overdue since … (… days)").expect("overdue kind");
    assert_eq!(overdue["count"], 1, "counted on the report's day, not the machine's");

    let size = &r["size"];
    let apply = size["pages"].as_array().unwrap().iter().find(|p| p["path"] == "guides/apply.md").unwrap();
    assert_eq!(apply["image_bytes"], 2048, "map.png");
    let total = apply["html_bytes"].as_u64().unwrap() + 2048;
    assert_eq!(apply["total_bytes"], total);
    assert_eq!(size["over_budget"], 0);
    let counted: u64 =
        size["distribution"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, 9);
}

fn paths_of_strings(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect()
}

#[test]
fn a_page_budget_flags_the_pages_over_it() {
    let site = fixture();
    let run = report(&site, &["--format", "json", "--page-budget", "6"]);
    run.assert_success();
    let r: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["size"]["budget_bytes"], 6 * 1024);
    assert_eq!(r["size"]["pages"][0]["path"], "guides/apply.md", "the heaviest, with its image");
    assert_eq!(r["size"]["over_budget"], 1);
    let last = r["size"]["distribution"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["to_bytes"].is_null(), last["count"].as_u64()), (true, Some(1)));
}

#[test]
fn the_stale_after_window_applies_only_to_sections_without_a_column_rule() {
    let site = fixture();
    let run = report(&site, &["--format", "json", "--stale-after", "10"]);
    run.assert_success();
    let r: Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &r["freshness"];
    let law = f["sections"].as_array().unwrap().iter().find(|c| c["section"] == "law").unwrap();
    assert_eq!((law["window_days"].as_i64(), law["stale_on"].as_str()), (Some(10), Some("2026-05-30")));
    assert_eq!(law["stale"], true, "26 days old with a 10-day window");
    let news = &f["sections"][0];
    assert_eq!((news["section"].as_str(), news["window_days"].as_i64()), (Some("news"), Some(14)));
    assert_eq!(f["stale"], 4, "both news and both law columns");
    assert_eq!(f["empty"], 2);
}

/// The text of the `<section id="ID">` of the page.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap();
    &html[start..start + end]
}

#[test]
fn html_shows_every_planted_problem_beside_accessible_charts() {
    let site = fixture();
    let out = site.root.join("../status.html");
    report(&site, &["--output", s(&out)]).assert_success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

    let reviews = section(&html, "reviews");
    assert!(reviews.contains("<li class=\"warn\"><strong>1</strong> overdue</li>"), "{reviews}");
    assert!(reviews.contains("content/guides/renew.md</code></td><td>2026-05-01</td><td><span class=\"flag\">overdue by 45 days</span>"), "{reviews}");
    assert!(reviews.contains("<tr><td>2026-07</td><td class=\"n\">1</td></tr>"), "{reviews}");
    let ownership = section(&html, "ownership");
    assert!(
        ownership.contains("<tr><td>Passport Office</td><td class=\"n\">2</td><td class=\"n\">1</td></tr>"),
        "{ownership}"
    );
    let translations = section(&html, "translations");
    assert!(translations.contains("<code>content/guides/apply.zh-CN.md</code>"), "missing: {translations}");
    assert!(
        translations.contains(
            "护照费用<br><code>content/guides/fees.zh-CN.md</code></td><td>zh-CN</td><td>2026-03-01</td>"
        ),
        "outdated: {translations}"
    );
    let freshness = section(&html, "freshness");
    assert!(freshness.contains("<tr><td>News<br><code>content/news/</code></td><td>en</td><td>news column: 14 days</td><td class=\"n\">1</td><td class=\"d\">2025-10-01</td><td class=\"n\">257</td><td class=\"d\">2025-10-15</td><td><span class=\"flag\">stale since <span class=\"d\">2025-10-15</span></span></td></tr>"), "{freshness}");
    assert!(freshness.contains("<td>notice column: 183 days</td><td class=\"n\">0</td><td class=\"d\">never</td><td class=\"n\"></td><td class=\"d\"></td><td><span class=\"flag\">empty</span></td>"), "{freshness}");
    assert!(freshness.contains("<td>default: 180 days</td><td class=\"n\">1</td><td class=\"d\">2026-05-20</td><td class=\"n\">26</td><td class=\"d\">2026-11-16</td><td>fresh until <span class=\"d\">2026-11-16</span></td>"), "{freshness}");
    assert!(freshness.contains("<li class=\"warn\"><strong>2</strong> empty columns</li>"), "{freshness}");
    let links = section(&html, "links");
    assert!(links.contains("<td><code>https://fees.example.gov/table</code></td><td><span class=\"flag\">404</span></td><td>2026-06-10</td><td class=\"n\">5</td>"), "{links}");
    let citations = section(&html, "citations");
    assert!(citations.contains("content/guides/apply.md</code> (2026-05-01)<span class=\"flag\"> updated before the amendment</span>"), "{citations}");
    assert!(!citations.contains("content/guides/renew.md</code> (2026-06-01)<span"), "{citations}");
    let quality = section(&html, "quality");
    assert!(quality.contains("<tr><td>image `…` has no alt text</td><td class=\"n\">1</td><td>guides: 1</td><td><code>content/guides/apply.md:12</code></td></tr>"), "{quality}");
    let size = section(&html, "size");
    let apply =
        size.split("<tr>").find(|row| row.contains("content/guides/apply.md")).expect("apply's weight");
    assert!(apply.contains("</td><td class=\"n\">2.0 KB</td>"), "map.png, 2 KB: {apply}");

    // Six charts, each an image with a name and a description, and a table beside it.
    assert_eq!(html.matches("<svg class=\"chart\" role=\"img\" aria-labelledby=").count(), 6, "{html}");
    for id in ["reviews", "owners", "translations", "freshness", "quality", "size"] {
        assert!(html.contains(&format!("<title id=\"chart-{id}-title\">")), "{id}");
        assert!(html.contains(&format!("<desc id=\"chart-{id}-desc\">")), "{id}");
    }
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    for needle in ["<script", "<link", " src=", "url("] {
        assert!(!html.contains(needle), "`{needle}` in the report");
    }
}

#[test]
fn the_report_is_repeatable_and_writes_nothing_into_the_site() {
    let site = fixture();
    let first = report(&site, &[]);
    first.assert_success();
    let second = report(&site, &[]);
    assert_eq!(first.stdout, second.stdout, "two runs differ");
    assert!(first.stdout.contains("As of 2026-06-15"));
    assert!(!site.root.join("public").exists(), "report wrote the site's output");
}

#[test]
fn a_bad_day_is_a_usage_error() {
    let site = fixture();
    let run = run_with(&site.root, &["report", "--today", "15/06/2026"], &[], Duration::from_secs(60));
    run.assert_code(2);
    run.assert_stderr_contains("`15/06/2026` is not a date; write it as YYYY-MM-DD");
}

#[test]
fn content_errors_are_reported_like_check() {
    let site = fixture();
    let page = site.root.join("content/guides/renew.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("(../law/act.md#article-7)", "(../law/nowhere.md)")).unwrap();
    let run = report(&site, &[]);
    run.assert_code(1);
    run.assert_stderr_contains("content/guides/renew.md:10:");
    assert!(run.stdout.is_empty(), "a report was written: {}", run.stdout);
}

/// Whether the served status page contains `needle`.
fn status_contains(handle: &serve::Handle, needle: &str) -> bool {
    let page = handle.status_page().map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
    page.is_some_and(|p| p.contains(needle))
}

#[test]
fn serve_shows_the_report_live_and_build_never_writes_it() {
    let site = fixture();
    let handle = serve::start(ServeOptions::new(&site.root)).expect("the server starts");
    assert!(
        status_contains(&handle, "<code>content/guides/apply.zh-CN.md</code>"),
        "missing translation listed"
    );
    assert!(status_contains(&handle, "<script>"), "the live page reloads with the site");
    let translation =
        "---\ntitle: 申请护照\ndescription: 如何申请护照。\nupdated: 2026-06-12\n---\n\n申请。\n";
    std::fs::write(site.root.join("content/guides/apply.zh-CN.md"), translation).unwrap();
    let updated =
        eventually(Duration::from_secs(10), || status_contains(&handle, "Missing translations: none."));
    assert!(updated, "the status page was not rebuilt");
    drop(handle);

    let out = site.root.join("../public");
    let run = run_with(&site.root, &["build", "--output", s(&out)], &[], Duration::from_secs(60));
    run.assert_success();
    assert!(out.join("guides/apply/index.html").is_file());
    assert!(!Path::new(&out.join("_signpost")).exists(), "the status page reached the build output");
}

/// Check `value` against the parts of JSON Schema that `docs/report.schema.json` uses: every
/// object has exactly the properties listed, and arrays' items follow `items`.
fn follows(value: &Value, schema: &Value, at: &str) {
    if let Some(props) = schema["properties"].as_object() {
        let object = value.as_object().unwrap_or_else(|| panic!("{at}: not an object"));
        let mut have: Vec<&String> = object.keys().collect();
        let mut want: Vec<&String> = props.keys().collect();
        have.sort();
        want.sort();
        assert_eq!(have, want, "{at}: fields differ from the schema");
        for (key, sub) in props {
            follows(&object[key], sub, &format!("{at}.{key}"));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, item) in list.iter().enumerate() {
            follows(item, items, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn the_json_follows_its_documented_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    follows(&json(&fixture()), &schema, "report");
}

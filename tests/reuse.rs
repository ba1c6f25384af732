//! Reusable content: data files (`data/`), shortcodes, snippets, images and attachments,
//! from the command line.

mod common;

use common::{Diag, Site};

/// The errors of a `check --format json` run (the fixtures carry warnings of their own), in
/// the words the code makes them (printed ones are in the site's language).
fn errors(run: &common::Run) -> Vec<Diag> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    run.json_lines()
        .into_iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| Diag {
            severity: text(&d["severity"]),
            message: text(&d["message"]),
            location: d["file"].as_str().map(|f| format!("{f}:{}:{}", d["line"], d["column"])),
            hints: d["hints"].as_array().into_iter().flatten().map(text).collect(),
        })
        .collect()
}

#[test]
fn page_templates_read_data_files() {
    let site = Site::fixture("bilingual");
    site.write("data/renewal.yaml", "issuing_days: 60\n");
    site.write(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><p>Within {{ data.renewal.issuing_days }} days</p>",
    );
    site.build(&[]).assert_success();
    assert!(site.output("faq/renew/index.html").contains("<p>Within 60 days</p>"));
}

#[test]
fn a_data_file_type_error_is_located_by_its_schema() {
    let site = Site::fixture("bilingual");
    site.write("data/offices.yaml", "nanchang:\n  name: 南昌\n  phone: 791\n");
    site.write("data/offices.schema.yaml", "each:\n  name: text\n  phone: text\n");
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    assert_eq!(
        errors(&run),
        [Diag::error("`offices.nanchang.phone` is a number, where the schema asks for text")
            .at("data/offices.yaml:3:3")
            .hint("put the value in quotes: `phone: \"…\"`")]
    );
}

/// The bilingual fixture with a data file, an office, a snippet, and a page calling them.
fn with_shortcodes(body_zh: &str, body_en: &str) -> Site {
    let site = Site::fixture("bilingual");
    site.write(
        "data/renewal.yaml",
        "issuing_days: {zh-CN: 60 个工作日, en: 60 working days}\nremote_extra_days: 30\n",
    );
    site.write(
        "data/offices.yaml",
        "nanchang:\n  name: {zh-CN: 南昌市公安局户政大厅, en: Nanchang household registration hall}\n  phone: 0791-8888 0000\n",
    );
    site.write(
        "snippets/where-to-apply.md",
        "Apply at the hall; see [lost cards](../content/faq/lost.md).\n",
    );
    let front = |title: &str| {
        format!("---\ntitle: {title}\ndescription: d.\ndate: 2026-01-10\nupdated: 2026-02-01\n---\n\n")
    };
    site.write("content/faq/renew.md", &format!("{}{body_zh}", front("证件换领")));
    site.write("content/faq/renew.en.md", &format!("{}{body_en}", front("Renew your card")));
    site
}

#[test]
fn facts_details_contacts_and_snippets_render_in_the_pages_language() {
    let body = "Issued within {{ fact(key=\"renewal.issuing_days\") }}.\n\n\
        {% details(summary=\"Remote areas\") %}\n{{ fact(key=\"renewal.remote_extra_days\") }} more days; see [lost](lost.md).\n{% end %}\n\n\
        {{ contact(office=\"nanchang\") }}\n\n{{ snippet(name=\"where-to-apply\") }}\n\nShown as code: `{{ fact(key=\"nope\") }}`\n";
    let site = with_shortcodes(body, body);
    site.build(&[]).assert_success();
    let zh = site.output("faq/renew/index.html");
    let en = site.output("en/faq/renew/index.html");
    assert!(zh.contains("Issued within 60 个工作日."), "{zh}");
    assert!(en.contains("Issued within 60 working days."), "{en}");
    assert!(en.contains("<details class=\"sp-details\">\n<summary>Remote areas</summary>"), "{en}");
    assert!(en.contains("<p>30 more days; see <a href=\"/guides/en/faq/lost/\">lost</a>.</p>"), "{en}");
    assert!(en.contains("<address class=\"sp-contact\">"), "{en}");
    assert!(en.contains("Nanchang household registration hall"), "{en}");
    assert!(en.contains("<a href=\"tel:079188880000\">0791-8888 0000</a>"), "{en}");
    assert!(en.contains("Apply at the hall; see <a href=\"/guides/en/faq/lost/\">lost cards</a>."), "{en}");
    assert!(en.contains("<code>{{ fact(key=\"nope\") }}</code>"), "{en}");
}

#[test]
fn bad_calls_and_keys_are_located_at_the_call_with_a_hint() {
    let body = "A {{ fact(key=\"renewal.issuing_dayz\") }}.\n\nB {{ fakt(key=\"renewal.issuing_days\") }}.\n\n\
        C {{ fact(kee=\"renewal.issuing_days\") }}.\n\nD {{ contact() }}\n";
    let site = with_shortcodes(body, "Fine.\n");
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    assert_eq!(
        errors(&run),
        [
            Diag::error("unknown data key `renewal.issuing_dayz`")
                .at("content/faq/renew.md:8:11")
                .hint("did you mean `renewal.issuing_days`?"),
            Diag::error("unknown shortcode `fakt`")
                .at("content/faq/renew.md:10:6")
                .hint("did you mean `fact`?"),
            Diag::error("shortcode `fact` needs `key`")
                .at("content/faq/renew.md:12:3")
                .hint("`fact` takes `key` (a data key)"),
            Diag::error("unknown argument `kee` of shortcode `fact`")
                .at("content/faq/renew.md:12:11")
                .hint("did you mean `key`?"),
            Diag::error("shortcode `contact` needs `office`")
                .at("content/faq/renew.md:14:3")
                .hint("`contact` takes `office` (a key under `data.offices`)"),
        ]
    );
}

#[test]
fn a_snippets_broken_link_is_reported_at_the_snippets_line_naming_the_page() {
    let site = with_shortcodes("Intro.\n\n{{ snippet(name=\"where-to-apply\") }}\n", "Fine.\n");
    site.write(
        "snippets/where-to-apply.md",
        "Apply at the hall.\n\nSee [lost cards](../content/faq/lots.md).\n",
    );
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    assert_eq!(
        errors(&run),
        [Diag::error("broken link to `../content/faq/lots.md`")
            .at("snippets/where-to-apply.md:3:5")
            .hint("did you mean `../content/faq/lost.md`?")
            .hint("in a snippet included by `content/faq/renew.md`")]
    );
}

#[test]
fn a_links_in_a_shortcode_body_is_checked_at_its_own_line() {
    let body = "{% details(summary=\"More\") %}\nSee [this](nowhere.md).\n{% end %}\n";
    let site = with_shortcodes(body, "Fine.\n");
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    let found = errors(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].message, "broken link to `nowhere.md`");
    assert_eq!(found[0].location.as_deref(), Some("content/faq/renew.md:9:5"));
}

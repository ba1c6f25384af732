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

#[test]
fn images_get_their_size_lazy_loading_and_resized_copies_made_once() {
    let site = Site::fixture("basic");
    site.write_bytes("content/guides/bundle/wide.png", &common::png(1400, 100, 200));
    site.write(
        "content/guides/bundle/index.md",
        "---\ntitle: Map of the lakes\ndescription: Maps.\n---\n\n![Map of the lakes](map.png)\n\n![The whole shore](wide.png)\n\n![](map.png \"decorative\")\n",
    );
    let cache = site.scratch("cache");
    let env = [("SIGNPOST_CACHE_DIR", common::s(&cache))];
    site.build_env(&[], &env).assert_success();
    let html = site.output("guides/bundle/index.html");
    assert!(
        html.contains("<img src=\"/guides/bundle/map.png\" alt=\"Map of the lakes\" width=\"4\" height=\"3\" decoding=\"async\">"),
        "{html}"
    );
    let wide = "<img src=\"/guides/bundle/wide.png\" alt=\"The whole shore\" width=\"1400\" height=\"100\" \
        srcset=\"/guides/bundle/wide.png.640w.webp 640w, /guides/bundle/wide.png.1280w.webp 1280w, /guides/bundle/wide.png 1400w\" \
        sizes=\"(min-width: 48em) 45em, 100vw\" loading=\"lazy\" decoding=\"async\">";
    assert!(html.contains(wide), "{html}");
    assert!(
        html.contains(
            "<img src=\"/guides/bundle/map.png\" alt=\"\" width=\"4\" height=\"3\" loading=\"lazy\""
        ),
        "{html}"
    );
    let copy = site.public().join("guides/bundle/wide.png.640w.webp");
    let size = imagesize::size(&copy).expect("a WebP image");
    assert_eq!((size.width, size.height), (640, 46));
    // The second build takes the copies from the cache, as they were.
    let cached: Vec<_> =
        std::fs::read_dir(cache.join("images")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(cached.len(), 2, "{cached:?}");
    let made = std::fs::metadata(&cached[0]).unwrap().modified().unwrap();
    site.build_env(&["--force"], &env).assert_success();
    assert_eq!(std::fs::metadata(&cached[0]).unwrap().modified().unwrap(), made);
}

#[test]
fn an_image_without_alt_text_warns_unless_marked_decorative() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/bundle/index.md",
        "---\ntitle: Maps\ndescription: Maps.\n---\n\n![](map.png)\n\n![](map.png \"decorative\")\n",
    );
    let run = site.check(&[]);
    let warnings: Vec<String> = run
        .diags()
        .into_iter()
        .filter(|d| d.message.contains("alt text"))
        .map(|d| format!("{} {}", d.location.unwrap_or_default(), d.message))
        .collect();
    assert_eq!(warnings, ["content/guides/bundle/index.md:6:1 image `map.png` has no alt text"]);
    site.check(&["--strict"]).assert_code(1);
}

#[test]
fn links_to_documents_show_their_type_and_size_in_the_pages_language() {
    let site = Site::fixture("bilingual");
    let pdf =
        "%PDF-1.4\n1 0 obj <</Type /Pages>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type /Page>>\n".repeat(100);
    site.write("content/faq/form.pdf", &pdf);
    let front = "---\ntitle: 证件换领\ndescription: d.\ndate: 2026-01-10\nupdated: 2026-02-01\n---\n\n";
    site.write("content/faq/renew.md", &format!("{front}下载[申请表](form.pdf)。\n\n{{{{ attachment(file=\"form.pdf\", title=\"申请表（示例）\") }}}}\n"));
    site.build(&[]).assert_success();
    let html = site.output("faq/renew/index.html");
    assert!(html.contains("<a href=\"/guides/faq/form.pdf\">申请表</a><span class=\"sp-file-meta\">（PDF，9 KB，200 页）</span>"), "{html}");
    assert!(html.contains("<div class=\"sp-attachment\">\n<p><a href=\"/guides/faq/form.pdf\">申请表（示例）</a><span class=\"sp-file-meta\">"), "{html}");
}

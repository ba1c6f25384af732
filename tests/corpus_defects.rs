//! Defects found by building real corpora (a collection of Chinese laws, a large imported
//! documentation site): each test fails on the behaviour that was found.

mod common;

use common::Site;

#[test]
fn a_repeated_article_number_is_an_error_and_never_takes_another_article_s_id() {
    let site = Site::fixture("basic");
    site.write(
        "content/law/repeated.md",
        "---\ntitle: 某法\nkind: law\n---\n\n### 第七条\n\n第一段。\n\n### 第七条\n\n第二段。\n\n### 第七条之一\n\n补充。\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let repeated: Vec<_> = run.diags().into_iter().filter(|d| d.message.contains("appears twice")).collect();
    assert_eq!(repeated.len(), 1, "{}", run.describe());
    assert_eq!(repeated[0].location.as_deref(), Some("content/law/repeated.md:10:1"));
    assert!(repeated[0].hints[0].contains("content/law/repeated.md:6"), "{:?}", repeated[0].hints);

    // The ids themselves: `之一` keeps its own, the repeat gets a suffix that is no article's.
    let html = signpost::markdown::render(
        "### 第七条\n\nA\n\n### 第七条\n\nB\n\n### 第七条之一\n\nC\n",
        signpost::markdown::RenderOptions {
            markdown: &Default::default(),
            highlight: false,
            kind: signpost::front_matter::Kind::Law,
            strings: &Default::default(),
            count_words: false,
            search_text: true,
            files: None,
            spill_dir: None,
        },
    );
    let ids: Vec<&str> = html.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["article-7", "article-7-2", "article-7-1"]);
}

#[test]
fn an_invalid_slug_is_reported_alone() {
    let site = Site::fixture("basic");
    for name in ["one", "two", "three"] {
        site.write(
            &format!("content/guides/{name}/index.md"),
            &format!("---\ntitle: {name}\nslug: \"a/{name}\"\n---\n\nText.\n"),
        );
    }
    let run = site.build(&[]);
    run.assert_code(1);
    let errors: Vec<_> = run.diags().into_iter().filter(|d| d.severity == "error").collect();
    assert_eq!(errors.len(), 3, "one slug error each, nothing cascaded\n{}", run.describe());
    assert!(errors.iter().all(|d| d.message.starts_with("`slug`")), "{}", run.describe());
}

#[test]
fn a_link_to_the_top_of_the_page_keeps_its_hash() {
    let site = Site::fixture("basic");
    site.write("content/guides/top.md", "---\ntitle: Top\n---\n\nText.\n\n[Back to top](#)\n");
    site.build(&[]).assert_success();
    let html = site.output("guides/top/index.html");
    assert!(html.contains("<a href=\"#\">Back to top</a>"), "an empty href reloads the page");
}

#[test]
fn a_broken_link_s_hint_never_names_the_page_it_is_in() {
    let site = Site::fixture("basic");
    site.write("content/guides/handbook.md", "---\ntitle: Handbook\n---\n\nSee [the book](handbok.md).\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let broken = run.diags().into_iter().find(|d| d.message.contains("handbok.md")).expect("a broken link");
    assert!(broken.hints.iter().all(|h| !h.contains("handbook.md")), "{:?}", broken.hints);
}

#[test]
fn a_page_without_a_description_is_described_by_its_first_paragraph() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/plain.md",
        "---\ntitle: Plain\n---\n\n## Before\n\nBring your **old card** and a [photo](apply.md) & the form.\n\nMore.\n",
    );
    let long = "第一条　为了证明居住在中华人民共和国境内的公民的身份，保障公民的合法权益。".repeat(10);
    site.write("content/guides/long.md", &format!("---\ntitle: Long\n---\n\n{long}\n"));
    site.build(&[]).assert_success();
    let html = site.output("guides/plain/index.html");
    assert!(
        html.contains(
            "<meta name=\"description\" content=\"Bring your old card and a photo &amp; the form.\">"
        ),
        "{}",
        html.lines().find(|l| l.contains("name=\"description\"")).unwrap_or_default()
    );
    let html = site.output("guides/long/index.html");
    let meta = html.lines().find(|l| l.contains("name=\"description\"")).unwrap_or_default().to_string();
    assert!(meta.contains("第一条　为了证明") && meta.contains('…'), "{meta}");
    assert!(meta.chars().count() < 220, "{meta}");
}

#[test]
fn site_yaml_allows_extra_front_matter_keys_and_repeated_warnings_are_counted() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}\nallow_keys: [page-type]\n"));
    for i in 0..60 {
        site.write(
            &format!("content/imported/page-{i:02}.md"),
            &format!("---\ntitle: Imported {i}\npage-type: guide\nsidebar: main\n---\n\nText.\n"),
        );
    }
    let run = site.build(&[]);
    run.assert_success();
    let warned: Vec<_> =
        run.diags().into_iter().filter(|d| d.message.starts_with("unknown front matter key")).collect();
    assert!(
        warned.iter().all(|d| d.message.contains("`sidebar`")),
        "page-type is allowed\n{}",
        run.describe()
    );
    assert_eq!(warned.len(), 1, "one warning per key, not one per file\n{}", run.stderr);
    assert_eq!(warned[0].location.as_deref(), Some("content/imported/page-00.md:4:1"));
    assert!(
        run.stderr.contains(
            "note: unknown front matter keys, each shown once above:\n  \
             sidebar  60 files  first at content/imported/page-00.md:4:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("list them in site.yaml: `allow_keys: [sidebar]`"), "{}", run.stderr);
    assert!(run.stderr.contains("warning: 60 warnings"), "the total still counts every file\n{}", run.stderr);
}

#[test]
fn unknown_keys_are_grouped_by_key_with_a_count_and_the_first_place() {
    let site = Site::fixture("basic");
    for i in 0..30 {
        let extra = if i % 3 == 0 { "sidebar: main\n" } else { "" };
        site.write(
            &format!("content/imported/page-{i:02}.md"),
            &format!("---\ntitle: Imported {i}\npage-type: guide\n{extra}---\n\nText.\n"),
        );
    }
    site.write("content/imported/once.md", "---\ntitle: Once\nlayout: wide\n---\n\nText.\n");
    let run = site.build(&[]);
    run.assert_success();
    let warned: Vec<_> =
        run.diags().into_iter().filter(|d| d.message.starts_with("unknown front matter key")).collect();
    let messages: Vec<&str> = warned.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown front matter key `layout`",
            "unknown front matter key `page-type`",
            "unknown front matter key `sidebar`"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "  page-type  30 files  first at content/imported/page-00.md:3:1\n  \
             sidebar    10 files  first at content/imported/page-00.md:4:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("  layout "), "a key met once is not in the table\n{}", run.stderr);
    let all = site.build(&["--max-diagnostics", "0"]);
    let every = all.diags().into_iter().filter(|d| d.message.starts_with("unknown front matter key")).count();
    assert_eq!(every, 41, "`--max-diagnostics 0` shows every one");
}

#[test]
fn tables_scroll_in_a_labelled_focusable_region_instead_of_breaking_words() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/fees.md",
        "---\ntitle: Fees\n---\n\n| Service | Fee |\n| --- | --- |\n| Renewal | €2/32 |\n\n| A | B |\n| - | - |\n| 1 | 2 |\n",
    );
    site.build(&[]).assert_success();
    let html = site.output("guides/fees/index.html");
    assert!(
        html.contains(
            "<div class=\"sp-table\" role=\"region\" tabindex=\"0\" aria-label=\"Table 1\">\n<table>"
        ),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Table 2\""), "each region is named apart");
    let css = site.output("style.css");
    let cells = &css[css.find("th,\ntd {").expect("a rule for cells")..];
    let cells = &cells[..cells.find('}').unwrap()];
    assert!(!cells.contains("overflow-wrap: anywhere"), "cells must not break mid-word: {cells}");
}

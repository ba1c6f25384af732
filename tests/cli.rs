//! End-to-end tests of `signpost build`, its flags, `init`, `new` and exit codes, run on the
//! `basic` fixture site (home, a `sort_by: weight` section with steps / faq / guide pages and
//! a page bundle, a law section, a content asset, a draft and a `tags` taxonomy).

mod common;

use common::{Site, attr_values, between, files_containing, hrefs, run_in, s, tree};

const DRAFT_TITLE: &str = "Zyxwvut Secret Draft Plan";

/// The `href` of the `<a>` whose attributes include `marker` (`rel="next"`).
fn link_before(html: &str, marker: &str) -> Option<String> {
    let i = html.find(marker)?;
    let href = html[..i].rsplit(" href=\"").next()?;
    Some(href.split('"').next()?.to_string())
}

fn built() -> Site {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    site
}

#[test]
fn build_succeeds_and_prints_a_summary() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    run.assert_success();
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("Built "), "summary line: {first:?}\n{}", run.describe());
    assert!(first.contains("5 pages"), "five published pages (draft left out): {first:?}");
    assert!(first.contains("3 sections"), "home, guides, law: {first:?}");
    assert!(run.stderr.trim().is_empty(), "a valid site builds without warnings:\n{}", run.stderr);
}

#[test]
fn build_writes_the_expected_files() {
    let site = built();
    for rel in [
        "index.html",
        "guides/index.html",
        "guides/apply/index.html",
        "guides/questions/index.html",
        "guides/notes/index.html",
        "guides/bundle/index.html",
        "guides/bundle/map.png",
        "law/index.html",
        "law/permit-act/index.html",
        "files/form.pdf",
        "tags/index.html",
        "tags/permits/index.html",
        "tags/online/index.html",
        "tags/law/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
    ] {
        assert!(site.public().join(rel).is_file(), "missing output file {rel}");
    }
    // Assets are copied byte for byte.
    assert_eq!(
        std::fs::read(site.public().join("guides/bundle/map.png")).unwrap(),
        std::fs::read(site.path("content/guides/bundle/map.png")).unwrap()
    );
    assert_eq!(
        std::fs::read(site.public().join("files/form.pdf")).unwrap(),
        std::fs::read(site.path("content/files/form.pdf")).unwrap()
    );
    // The bundle's image is referenced from its page and resolves beside it.
    let bundle = site.output("guides/bundle/index.html");
    let srcs = attr_values(&bundle, "src");
    assert!(
        srcs.iter().any(|s| s == "map.png" || s == "/guides/bundle/map.png"),
        "bundle image src: {srcs:?}"
    );
}

#[test]
fn drafts_appear_in_no_output_file() {
    let site = built();
    let files = tree(&site.public());
    assert!(files.len() > 15, "output has files: {:?}", files.keys());
    for needle in [DRAFT_TITLE, "Qwertyuiop", "zyxwvut-only", "guides/secret"] {
        let hits = files_containing(&files, needle);
        assert!(hits.is_empty(), "draft text {needle:?} leaked into {hits:?}");
    }
    assert!(!site.public().join("guides/secret").exists());
    assert!(!site.public().join("tags/zyxwvut-only").exists(), "a term used only by a draft has no page");
}

#[test]
fn sitemap_lists_every_published_page() {
    let site = built();
    let sitemap = site.output("sitemap.xml");
    for url in [
        "https://example.gov/",
        "https://example.gov/guides/",
        "https://example.gov/guides/apply/",
        "https://example.gov/guides/questions/",
        "https://example.gov/guides/notes/",
        "https://example.gov/guides/bundle/",
        "https://example.gov/law/permit-act/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "sitemap lacks {url}:\n{sitemap}");
    }
    assert!(!sitemap.contains("secret"), "draft in sitemap");
    let robots = site.output("robots.txt");
    assert!(robots.contains("Sitemap: https://example.gov/sitemap.xml"), "robots.txt:\n{robots}");
}

#[test]
fn internal_markdown_links_become_pretty_urls() {
    let site = built();
    let apply = hrefs(&site.output("guides/apply/index.html"));
    for expected in
        ["/guides/questions/#how-long-does-it-take", "/law/permit-act/#article-7", "/files/form.pdf"]
    {
        assert!(apply.iter().any(|h| h == expected), "apply page lacks href {expected}: {apply:?}");
    }
    let questions = hrefs(&site.output("guides/questions/index.html"));
    assert!(questions.iter().any(|h| h == "/law/permit-act/#article-8"), "root-relative link: {questions:?}");
    let notes = hrefs(&site.output("guides/notes/index.html"));
    for expected in ["/guides/bundle/", "/guides/", "#custom-seasons"] {
        assert!(notes.iter().any(|h| h == expected), "notes page lacks href {expected}: {notes:?}");
    }
    let bundle = hrefs(&site.output("guides/bundle/index.html"));
    assert!(
        bundle.iter().any(|h| h == "/guides/apply/#pay-the-fee"),
        "a bundle's links are relative to its folder: {bundle:?}"
    );
    let home = hrefs(&site.output("index.html"));
    assert!(home.iter().any(|h| h == "/guides/apply/"), "home links: {home:?}");
    // No `.md` link survives anywhere.
    for (path, bytes) in tree(&site.public()) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let md: Vec<String> =
                hrefs(&html).into_iter().filter(|h| h.split('#').next().unwrap().ends_with(".md")).collect();
            assert!(md.is_empty(), "{path} keeps .md links: {md:?}");
        }
    }
}

#[test]
fn markdown_images_are_rewritten_like_links() {
    // `guides/notes.md` shows `![The lakes](bundle/map.png)`: relative to the source file that
    // is `guides/bundle/map.png`, published at `/guides/bundle/map.png`. Left as written, the
    // browser would resolve it against `/guides/notes/` and find nothing.
    let site = built();
    let srcs = attr_values(&site.output("guides/notes/index.html"), "src");
    assert!(srcs.iter().any(|s| s == "/guides/bundle/map.png"), "image src: {srcs:?}");
}

#[test]
fn guidance_kinds_get_their_markup() {
    let site = built();
    let steps = site.output("guides/apply/index.html");
    for id in ["step-1", "step-2", "step-3"] {
        assert!(steps.contains(&format!("id=\"{id}\"")), "steps page lacks id={id}");
    }
    assert!(!steps.contains("id=\"step-4\""), "three steps only");

    let faq = site.output("guides/questions/index.html");
    assert_eq!(faq.matches("<details").count(), 2, "one <details> per question");
    assert!(faq.contains("id=\"how-long-does-it-take\""));

    let law = site.output("law/permit-act/index.html");
    for id in ["article-7", "article-8", "chapter-2"] {
        assert!(law.contains(&format!("id=\"{id}\"")), "law page lacks id={id}");
    }
}

#[test]
fn heading_ids_keep_chinese_and_honour_custom_ids() {
    let site = built();
    let notes = site.output("guides/notes/index.html");
    assert!(notes.contains("id=\"办理身份证\""), "Chinese heading id");
    assert!(notes.contains("id=\"custom-seasons\""), "{{#custom-seasons}} honoured");
    assert!(!notes.contains("id=\"seasons-and-limits"), "custom id replaces the generated one");
    assert!(!notes.contains("{#custom-seasons}"), "the attribute syntax is not printed");
    // Two `## Details` headings get two different ids.
    let ids = attr_values(&notes, "id");
    let details: Vec<&String> = ids.iter().filter(|id| id.starts_with("details")).collect();
    assert_eq!(details.len(), 2, "{ids:?}");
    assert_ne!(details[0], details[1], "heading ids are unique");
}

#[test]
fn backlinks_show_pages_that_link_to_the_law() {
    let site = built();
    let law = site.output("law/permit-act/index.html");
    // `notes.md` links to the law page itself: it is listed under "Pages that link here".
    let section = between(&law, "Pages that link here", "</section>");
    assert!(section.contains("Notes on local waters"), "backlinks section:\n{section}");
    assert!(section.contains("href=\"/guides/notes/\""), "backlink URL:\n{section}");
    // `apply.md` cites `#article-7` (relative link) and `questions.md` cites `#article-8`
    // (link from the content root): the theme may list those under the article, but they
    // must appear on the law page, linked.
    for (title, url) in
        [("Apply for a fishing permit", "/guides/apply/"), ("Fishing permit questions", "/guides/questions/")]
    {
        assert!(law.contains(&format!("<a href=\"{url}\">{title}</a>")), "law page lacks backlink {title}");
    }
    // Pages that do not link to the law are not listed.
    assert!(!law.contains("Map of the lakes"), "the bundle does not link to the law");
    // The questions page is linked from the steps page.
    let faq = site.output("guides/questions/index.html");
    let section = between(&faq, "Pages that link here", "</section>");
    assert!(section.contains("Apply for a fishing permit"), "faq backlinks:\n{section}");
    assert!(!section.contains("Notes on local waters"), "faq backlinks:\n{section}");
}

#[test]
fn prev_and_next_follow_the_section_weight_order() {
    let site = built();
    let links = |rel: &str| {
        let html = site.output(rel);
        (link_before(&html, "rel=\"prev\""), link_before(&html, "rel=\"next\""))
    };
    // weights: apply 10, (draft 15), questions 20, notes 30, bundle 40
    assert_eq!(links("guides/apply/index.html"), (None, Some("/guides/questions/".into())));
    assert_eq!(
        links("guides/questions/index.html"),
        (Some("/guides/apply/".into()), Some("/guides/notes/".into()))
    );
    assert_eq!(links("guides/bundle/index.html"), (Some("/guides/notes/".into()), None));
}

#[test]
fn taxonomy_pages_list_their_pages() {
    let site = built();
    let permits = site.output("tags/permits/index.html");
    assert!(permits.contains("Apply for a fishing permit"));
    assert!(permits.contains("Fishing permit questions"));
    assert!(!permits.contains("Notes on local waters"));
    let index = site.output("tags/index.html");
    for term in ["/tags/permits/", "/tags/online/", "/tags/law/", "/tags/waters/"] {
        assert!(hrefs(&index).iter().any(|h| h == term), "tags index lacks {term}");
    }
}

#[test]
fn drafts_flag_includes_the_draft() {
    let site = Site::fixture("basic");
    site.build(&["--drafts"]).assert_success();
    let draft = site.output("guides/secret/index.html");
    assert!(draft.contains(DRAFT_TITLE));
    assert!(site.output("sitemap.xml").contains("https://example.gov/guides/secret/"));
    assert!(site.public().join("tags/zyxwvut-only/index.html").is_file());
    // In weight order the draft (15) now sits between apply (10) and questions (20).
    let apply = site.output("guides/apply/index.html");
    assert_eq!(link_before(&apply, "rel=\"next\"").as_deref(), Some("/guides/secret/"));
}

#[test]
fn output_flag_writes_elsewhere() {
    let site = Site::fixture("basic");
    let out = site.scratch("elsewhere");
    site.build(&["--output", s(&out)]).assert_success();
    assert!(out.join("index.html").is_file());
    assert!(out.join("guides/apply/index.html").is_file());
    assert!(!site.public().exists(), "nothing written to the default folder");
    // The short form works too.
    let short = site.scratch("short");
    site.build(&["-o", s(&short)]).assert_success();
    assert!(short.join("index.html").is_file());
}

#[test]
fn base_url_flag_prefixes_links_and_canonicals() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://x.gov/sub/"]).assert_success();
    let apply = site.output("guides/apply/index.html");
    let links = hrefs(&apply);
    for h in &links {
        assert!(
            h.starts_with("/sub/") || h.starts_with('#') || h.starts_with("https://x.gov/sub/"),
            "link not under /sub/: {h} in {links:?}"
        );
    }
    for expected in [
        "/sub/guides/questions/#how-long-does-it-take",
        "/sub/law/permit-act/#article-7",
        "/sub/files/form.pdf",
        "/sub/style.css",
    ] {
        assert!(links.iter().any(|h| h == expected), "lacks {expected}: {links:?}");
    }
    assert!(
        apply.contains("<link rel=\"canonical\" href=\"https://x.gov/sub/guides/apply/\""),
        "canonical: {:?}",
        apply.lines().find(|l| l.contains("canonical"))
    );
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://x.gov/sub/guides/apply/</loc>"));
    assert!(!sitemap.contains("example.gov"), "site.yaml base_url overridden:\n{sitemap}");
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("basic");
    let run = site.check(&[]);
    run.assert_success();
    assert!(run.stdout.contains("no errors"), "{}", run.describe());
    assert!(!site.public().exists(), "check must not write the output folder");
}

#[test]
fn init_then_build() {
    let site = Site::bare();
    let dir = site.scratch("newsite");
    run_in(&site.scratch(""), &["init", s(&dir)]).assert_success();
    assert!(dir.join("site.yaml").is_file());
    let run = run_in(&site.scratch(""), &["build", "--root", s(&dir)]);
    run.assert_success();
    assert!(run.stdout.starts_with("Built "), "{}", run.describe());
    assert!(dir.join("public/index.html").is_file());
    // init refuses a folder that is not empty.
    run_in(&site.scratch(""), &["init", s(&dir)]).assert_code(2);
}

#[test]
fn new_creates_a_draft_page_once() {
    let site = Site::fixture("basic");
    let run = site.run(&["new", "content/faq/lost-card.md", "--kind", "faq"]);
    run.assert_success();
    let text = common::read(&site.path("content/faq/lost-card.md"));
    assert!(text.starts_with("---\n"), "front matter first:\n{text}");
    for line in ["title: \"Lost card\"", "draft: true", "kind: faq"] {
        assert!(text.lines().any(|l| l == line), "new page lacks line {line:?}:\n{text}");
    }
    let date = text.lines().find_map(|l| l.strip_prefix("date: ")).expect("a date line");
    assert!(
        date.len() == 10
            && date.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }),
        "date: {date:?}"
    );
    // The new draft does not break the site, and is left out of it.
    site.build(&[]).assert_success();
    assert!(!site.public().join("faq/lost-card").exists());

    let again = site.run(&["new", "content/faq/lost-card.md", "--kind", "faq"]);
    again.assert_code(2);
    assert!(again.stderr.contains("error:"), "{}", again.describe());
    assert_eq!(common::read(&site.path("content/faq/lost-card.md")), text, "existing page untouched");
}

#[test]
fn new_pages_of_every_kind_preview_with_drafts() {
    // An editor creates a page and previews it with `--drafts`: the scaffold must build.
    let site = Site::fixture("basic");
    for kind in ["guide", "steps", "faq", "law"] {
        site.run(&["new", &format!("content/new/{kind}-page.md"), "--kind", kind]).assert_success();
    }
    let run = site.build(&["--drafts"]);
    run.assert_success();
    for kind in ["guide", "steps", "faq", "law"] {
        let html = site.output(&format!("new/{kind}-page/index.html"));
        assert!(html.contains("page</h1>"), "{kind} page title:\n{html}");
    }
}

#[test]
fn unknown_subcommand_exits_2() {
    let site = Site::bare();
    let run = run_in(&site.scratch(""), &["frobnicate"]);
    run.assert_code(2);
    assert!(run.stderr.contains("frobnicate"), "{}", run.describe());
}

#[test]
fn build_with_a_missing_root_fails_clearly() {
    let site = Site::bare();
    let missing = site.scratch("does-not-exist");
    let run = run_in(&site.scratch(""), &["build", "--root", s(&missing)]);
    run.assert_no_panic();
    assert_ne!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.contains("error:"), "{}", run.describe());
    assert!(run.stderr.contains("does-not-exist"), "message names the folder\n{}", run.describe());
    assert!(!missing.exists(), "nothing created");

    let run = run_in(&site.scratch(""), &["build", "--root", "/nonexistent"]);
    run.assert_no_panic();
    assert_ne!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.contains("/nonexistent"), "{}", run.describe());
}

#[test]
fn a_build_ends_with_a_table_by_language() {
    let site = Site::fixture("bilingual");
    site.write("content/faq/draft.en.md", "---\ntitle: Draft\ndraft: true\n---\n\nText.\n");
    site.write("content/faq/later.md", "---\ntitle: 以后\npublish_at: 2999-01-01\n---\n\n正文。\n");
    site.write("content/faq/moved.en.md", "---\ntitle: Moved\naliases: [/old/, /older/]\n---\n\nText.\n");
    let run = site.build(&[]);
    run.assert_success();
    let table: Vec<&str> = run.stdout.lines().skip(2).collect();
    assert_eq!(
        table[..9],
        [
            "                    | zh-CN | en | all",
            "--------------------+-------+----+-----",
            "  Pages             |     3 |  3 |   6",
            "  Sections          |     2 |  2 |   4",
            "  Left out: drafts  |     0 |  1 |   1",
            "  Left out: by date |     1 |  0 |   1",
            "  Aliases           |     1 |  2 |   3",
            "  Static files      |       |    |   5",
            "  Warnings          |       |    |   2",
        ],
        "{}",
        run.describe()
    );
    assert!(table[10].starts_with("Total in ") && table[10].ends_with(" ms"), "{}", run.describe());
    let quiet = site.build(&["--quiet"]);
    quiet.assert_success();
    assert_eq!(
        quiet.stdout.lines().count(),
        1,
        "--quiet keeps the one-line summary only\n{}",
        quiet.describe()
    );
    assert!(quiet.stdout.contains(" ms ("), "{}", quiet.describe());
}

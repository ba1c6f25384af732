//! End-to-end tests of what an editor who knows Markdown but not YAML sees: front matter
//! slips named in plain words (with a Chinese hint on Chinese lines), every problem of a file
//! in one run, and carets that stay under Chinese text.

mod common;

use common::{Diag, Run, Site};

const BAD: &str = "content/guides/bad.md";

/// The `basic` fixture with one extra file, checked.
fn check_with(rel: &str, text: &str) -> Run {
    let site = Site::fixture("basic");
    site.write(rel, text);
    site.check(&[])
}

#[track_caller]
fn assert_diags(run: &Run, expected: &[Diag]) {
    run.assert_code(1);
    assert_eq!(run.diags(), expected, "diagnostics differ\n{}", run.describe());
    for word in ["RawFrontMatter", "struct", "invalid type", "token", "mapping values"] {
        assert!(!run.stderr.contains(word), "parser jargon `{word}` leaked\n{}", run.describe());
    }
}

#[test]
fn full_width_colon_is_pointed_at_with_the_ascii_colon_suggested() {
    let run = check_with(BAD, "---\ntitle：办理居住证\ndescription: 如何办理\n---\n\n正文。\n");
    assert_diags(
        &run,
        &[Diag::error("full-width colon `：` after `title`")
            .at("content/guides/bad.md:2:6")
            .hint("type an ASCII colon and a space instead: `title: 办理居住证`")
            .hint("键名后要用半角冒号加空格（`: `），不能用全角冒号“：”")],
    );
    assert!(
        run.stderr.contains("2 | title：办理居住证\n  |      ^^\n"),
        "caret under `：`\n{}",
        run.describe()
    );
}

#[test]
fn tab_indentation_is_shown_and_spaces_are_asked_for() {
    let run = check_with(BAD, "---\ntitle: Tabs\ntags:\n\t- renewal\n---\n\nBody.\n");
    assert_diags(
        &run,
        &[Diag::error("this line is indented with a tab")
            .at("content/guides/bad.md:4:1")
            .hint("indent with spaces only: replace the tab (shown as `--->`) with two spaces")],
    );
    assert!(run.stderr.contains("4 | --->- renewal\n  | ^^^^\n"), "the tab is visible\n{}", run.describe());
}

#[test]
fn unquoted_colon_in_a_value_asks_for_quotes() {
    let run = check_with(BAD, "---\ntitle: Step 1: check your card\n---\n\nBody.\n");
    assert_diags(
        &run,
        &[Diag::error("the value of `title` holds `: ` but is not in quotes")
            .at("content/guides/bad.md:2:14")
            .hint("put the value in quotes: `title: \"Step 1: check your card\"`")],
    );
}

#[test]
fn misspelt_boolean_asks_for_true_or_false() {
    let run = check_with(BAD, "---\ntitle: Drafty\ndraft: ture\n---\n\nBody.\n");
    assert_diags(
        &run,
        &[Diag::error("`draft` must be `true` or `false`, not `ture`")
            .at("content/guides/bad.md:3:8")
            .hint("write `draft: true` or `draft: false`")],
    );
    assert!(run.stderr.contains("3 | draft: ture\n  |        ^^^^\n"), "{}", run.describe());
}

#[test]
fn four_front_matter_mistakes_are_reported_in_one_run() {
    let run = check_with(
        BAD,
        "---\ntitle：办理居住证\ntags:\n\t- renewal\ndraft: ture\ndate: 2026-13-45\n---\n\n正文。\n",
    );
    let found: Vec<_> =
        run.diags().into_iter().map(|d| (d.message, d.location.unwrap_or_default())).collect();
    assert_eq!(
        found,
        [
            ("full-width colon `：` after `title`".to_string(), format!("{BAD}:2:6")),
            ("this line is indented with a tab".to_string(), format!("{BAD}:4:1")),
            ("`draft` must be `true` or `false`, not `ture`".to_string(), format!("{BAD}:5:8")),
            ("`date` is not a valid date: `2026-13-45`".to_string(), format!("{BAD}:6:7")),
        ],
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("error: the site has 4 errors\n"), "{}", run.describe());
}

#[test]
fn problems_in_several_files_are_reported_together() {
    let site = Site::fixture("basic");
    site.write("content/guides/one.md", "---\ntitle: One\ndraft: ture\n---\n\nBody.\n");
    site.write("content/guides/two.md", "---\ntitle: Two: more\n---\n\nBody.\n");
    let run = site.check(&[]);
    run.assert_code(1);
    let files: Vec<_> = run.diags().into_iter().filter_map(|d| d.location).collect();
    assert_eq!(files, ["content/guides/one.md:3:8", "content/guides/two.md:2:11"], "{}", run.describe());
}

#[test]
fn carets_under_chinese_text_use_display_width_and_columns_count_chars() {
    let run = check_with("content/guides/zh.md", "---\ntitle: 中文\n---\n\n请先阅读[第九条](missing.md)。\n");
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    // `[` is the fifth character of the line, though it sits in terminal cell nine.
    assert_eq!(diags[0].location.as_deref(), Some("content/guides/zh.md:5:5"), "{}", run.describe());
    let snippet = "5 | 请先阅读[第九条](missing.md)。\n  |         ^^^^^^^^^^^^^^^^^^^^\n";
    assert!(run.stderr.contains(snippet), "carets under the link\n{}", run.describe());
}

/// The `basic` fixture with a draft FAQ page, a published page whose name is close to it,
/// and a Chinese page whose heading ids are Chinese.
fn site_with_a_draft() -> Site {
    let site = Site::fixture("basic");
    site.write("content/faq/lost-card.md", "---\ntitle: Lost card\ndraft: true\n---\n\nBody.\n");
    site.write("content/faq/lost-cart.md", "---\ntitle: Lost cart\n---\n\nBody.\n");
    site.write("content/faq/zh.md", "---\ntitle: 居住证\n---\n\n## 第一步 准备材料\n\n## 第二步\n\n正文。\n");
    site
}

#[test]
fn a_related_draft_is_named_as_a_draft_not_a_broken_link() {
    let site = site_with_a_draft();
    site.write("content/faq/ask.md", "---\ntitle: Asker\nrelated: [lost-card.md]\n---\n\nBody.\n");
    let run = site.check(&[]);
    assert_eq!(
        run.diags(),
        [Diag::error("link to `lost-card.md`, which is a draft")
            .at("content/faq/ask.md:3:11")
            .hint("publish the target first, or remove the link until it is published")],
        "{}",
        run.describe()
    );
}

#[test]
fn a_misspelt_link_to_a_draft_suggests_the_draft() {
    let site = site_with_a_draft();
    site.write("content/faq/ask.md", "---\ntitle: Asker\n---\n\nSee [the FAQ](lost-crd.md).\n");
    let run = site.check(&[]);
    assert_eq!(
        run.diags(),
        [Diag::error("broken link to `lost-crd.md`")
            .at("content/faq/ask.md:5:5")
            .hint("did you mean `lost-card.md`? It is a draft, so it is not published yet")],
        "{}",
        run.describe()
    );
}

#[test]
fn a_missing_image_is_named_as_a_missing_file() {
    let run =
        check_with("content/guides/img.md", "---\ntitle: Images\n---\n\n![A map](ferry-timetable.png)\n");
    assert_eq!(
        run.diags(),
        [Diag::error("broken link to `ferry-timetable.png`").at("content/guides/img.md:5:1").hint(
            "there is no file `content/guides/ferry-timetable.png`: add it there (or in `static/`), or correct the path"
        )],
        "{}",
        run.describe()
    );
}

#[test]
fn a_broken_anchor_lists_the_chinese_ids_of_the_target() {
    let site = site_with_a_draft();
    site.write("content/faq/ask.md", "---\ntitle: Asker\n---\n\nSee [step 3](zh.md#article-9).\n");
    let run = site.check(&[]);
    assert_eq!(
        run.diags(),
        [Diag::error("broken anchor `#article-9` in link to `zh.md#article-9`")
            .at("content/faq/ask.md:5:5")
            .hint("`faq/zh.md` has no heading with that id; its headings are `#第一步-准备材料`, `#第二步`")],
        "{}",
        run.describe()
    );
}

#[test]
fn new_refuses_a_page_outside_content() {
    let site = Site::fixture("basic");
    let run = site.run(&["new", "guides/foo.md"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("is not inside `content/`, so it would never be built"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("content/foo.md"), "suggests a path in content/\n{}", run.describe());
    assert!(!site.path("guides").exists(), "nothing written");
    site.run(&["new", "content/../../escape.md"]).assert_code(2);
    assert!(!site.scratch("escape.md").exists());
}

#[test]
fn new_refuses_to_run_outside_a_site() {
    let site = Site::bare();
    let elsewhere = site.scratch("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let run = common::run_in(&elsewhere, &["new", "content/faq/lost-card.md"]);
    run.assert_code(2);
    assert!(run.stderr.contains("is not a site"), "{}", run.describe());
    assert!(!elsewhere.join("content").exists(), "no content/ created\n{}", run.describe());
}

#[test]
fn new_takes_a_root() {
    let site = Site::fixture("basic");
    let run = common::run_in(
        &site.scratch(""),
        &["new", "content/faq/lost-card.md", "--root", common::s(&site.root)],
    );
    run.assert_success();
    assert!(site.path("content/faq/lost-card.md").is_file(), "{}", run.describe());
}

#[test]
fn a_new_faq_page_has_an_owner_placeholder_that_check_points_at() {
    let site = Site::fixture("basic");
    site.run(&["new", "content/faq/lost-card.md", "--kind", "faq"]).assert_success();
    let text = common::read(&site.path("content/faq/lost-card.md")).replace("draft: true", "draft: false");
    site.write("content/faq/lost-card.md", &text);
    let owner_line = text.lines().position(|l| l.starts_with("owner:")).unwrap() + 1;
    let description_line = text.lines().position(|l| l.starts_with("description:")).unwrap() + 1;
    let run = site.check(&[]);
    run.assert_success();
    let found: Vec<_> =
        run.diags().into_iter().map(|d| (d.message, d.location.unwrap_or_default())).collect();
    assert_eq!(
        found,
        [
            (
                "`description` is still a placeholder: `TODO: one sentence on what this page helps people do`"
                    .to_string(),
                format!("content/faq/lost-card.md:{description_line}:1")
            ),
            (
                "`owner` is still a placeholder: `TODO: the team that answers these questions`".to_string(),
                format!("content/faq/lost-card.md:{owner_line}:1")
            ),
        ],
        "{}",
        run.describe()
    );
    site.check(&["--strict"]).assert_code(1);

    // An owner left empty is an error on the `owner:` line, not on `kind:`.
    site.write(
        "content/faq/lost-card.md",
        &text.replace("owner: \"TODO: the team that answers these questions\"", "owner: \"\""),
    );
    let run = site.check(&[]);
    run.assert_code(1);
    let errors: Vec<_> = run.diags().into_iter().filter(|d| d.severity == "error").collect();
    assert_eq!(errors.len(), 1, "{}", run.describe());
    assert_eq!(errors[0].message, "FAQ pages need an `owner`");
    assert_eq!(
        errors[0].location.as_deref(),
        Some(format!("content/faq/lost-card.md:{owner_line}:1").as_str())
    );
}

#[test]
fn new_pages_on_a_chinese_site_get_chinese_placeholders() {
    let site = Site::fixture("bilingual");
    site.run(&["new", "content/faq/居住证.md", "--kind", "faq"]).assert_success();
    let zh = common::read(&site.path("content/faq/居住证.md"));
    for line in ["title: \"居住证\"", "description: \"描述待填写\"", "owner: \"负责部门待填写\""]
    {
        assert!(zh.lines().any(|l| l == line), "lacks {line:?}:\n{zh}");
    }
    site.run(&["new", "content/faq/residence.en.md"]).assert_success();
    let en = common::read(&site.path("content/faq/residence.en.md"));
    assert!(en.contains("title: \"Residence\"\n") && en.contains("description: \"TODO:"), "{en}");
}

#[test]
fn taxonomy_terms_show_their_display_name_in_each_language() {
    let site = Site::fixture("bilingual");
    let yaml = common::read(&site.path("site.yaml"));
    site.write(
        "site.yaml",
        &format!("{yaml}terms:\n  online-services: {{zh-CN: 网上办理, en: Online services}}\n"),
    );
    site.write(
        "content/faq/renew.md",
        "---\ntitle: 证件换领\ndescription: 如何换领证件。\ntags: [online-services]\n---\n\n正文。\n",
    );
    site.write(
        "content/faq/renew.en.md",
        "---\ntitle: Renew your card\ndescription: How to renew.\ntags: [online-services]\n---\n\nText.\n",
    );
    site.build(&[]).assert_success();
    let zh = site.output("faq/renew/index.html");
    assert!(zh.contains(">网上办理</a>"), "Chinese display name on the page:\n{zh}");
    assert!(!zh.contains(">online-services<"), "no slug shown:\n{zh}");
    assert!(site.output("en/faq/renew/index.html").contains(">Online services</a>"));
    assert!(site.output("tags/index.html").contains(">网上办理</a>"), "the term list too");
    assert!(
        site.output("tags/online-services/index.html").contains("网上办理"),
        "the term page keeps its URL"
    );

    site.write("site.yaml", &format!("{yaml}terms:\n  online-services: {{zh-CN: 网上办理, eng: Online}}\n"));
    let run = site.check(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("`terms` names `online-services` in `eng`, which is not a language of the site"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("hint: did you mean `en`?"), "{}", run.describe());
}

#[test]
fn init_makes_chinese_english_and_bilingual_starters_that_check_clean() {
    let site = Site::bare();
    for (lang, home_lang, pages) in [
        ("zh-CN", "zh-CN", vec!["guides/apply/index.html", "guides/questions/index.html"]),
        ("en", "en", vec!["guides/apply/index.html", "law/residence-permit-rules/index.html"]),
        ("zh-CN,en", "zh-CN", vec!["en/guides/apply/index.html", "en/guides/questions/index.html"]),
    ] {
        let dir = site.scratch(&format!("starter-{lang}"));
        common::run_in(&site.scratch(""), &["init", common::s(&dir), "--lang", lang]).assert_success();
        let check = common::run_in(&dir, &["check"]);
        check.assert_success();
        assert!(check.diags().is_empty(), "a starter checks clean\n{}", check.describe());
        common::run_in(&dir, &["build"]).assert_success();
        let home = common::read(&dir.join("public/index.html"));
        assert!(home.contains(&format!("<html lang=\"{home_lang}\"")), "{lang}: home language\n{home}");
        for page in pages {
            assert!(dir.join("public").join(page).is_file(), "{lang}: {page}");
        }
    }
    let zh = common::read(&site.scratch("starter-zh-CN/public/guides/apply/index.html"));
    assert!(zh.contains("申领居住证") && zh.contains(">居住证</a>"), "{zh}");
    let run = common::run_in(&site.scratch(""), &["init", common::s(&site.scratch("fr")), "--lang", "fr"]);
    run.assert_code(2);
    assert!(run.stderr.contains("choose `zh-CN`, `en`, `zh-CN,en` or `en,zh-CN`"), "{}", run.describe());
}

#[test]
fn search_404_and_accessibility_pages_have_a_language_switch_and_hreflang() {
    let site = Site::fixture("bilingual");
    let yaml = common::read(&site.path("site.yaml"));
    site.write(
        "site.yaml",
        &format!("{yaml}accessibility:\n  status: full\n  standard: WCAG 2.2 AA\n  contact: a@example.gov.cn\n  last_reviewed: 2026-11-20\n"),
    );
    site.build(&[]).assert_success();
    let base = "https://example.gov.cn/guides";
    for (file, other_url, other_lang, own, other) in [
        ("search/index.html", "/guides/en/search/", "en", "/search/", "/en/search/"),
        ("en/search/index.html", "/guides/search/", "zh-CN", "/en/search/", "/search/"),
        (
            "accessibility/index.html",
            "/guides/en/accessibility/",
            "en",
            "/accessibility/",
            "/en/accessibility/",
        ),
        (
            "en/accessibility/index.html",
            "/guides/accessibility/",
            "zh-CN",
            "/en/accessibility/",
            "/accessibility/",
        ),
    ] {
        let html = site.output(file);
        assert!(
            html.contains(&format!("<a href=\"{other_url}\" hreflang=\"{other_lang}\"")),
            "{file}: language switch to {other_url}\n{html}"
        );
        assert!(
            html.contains(&format!("hreflang=\"{other_lang}\" href=\"{base}{other}\"")),
            "{file}: alternate\n{html}"
        );
        assert!(html.contains(&format!("href=\"{base}{own}\"")), "{file}: itself as an alternate\n{html}");
    }
    let not_found = site.output("404.html");
    assert!(
        not_found.contains("<a href=\"/guides/en/\" hreflang=\"en\""),
        "404: switch to the English home\n{not_found}"
    );
}

#[test]
fn a_page_that_links_here_several_times_is_listed_once() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/target.md",
        "---\ntitle: Target\n---\n\n## First\n\nText.\n\n## Second\n\nText.\n",
    );
    site.write(
        "content/guides/linker.md",
        "---\ntitle: Linker\n---\n\nSee [one](target.md#first), [two](target.md#second) and [all](target.md).\n",
    );
    site.build(&[]).assert_success();
    let html = site.output("guides/target/index.html");
    let start = html.find("sp-backlinks-heading").expect("a backlinks section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    assert_eq!(section.matches(">Linker</a>").count(), 1, "listed once under the backlinks\n{section}");
}

#[test]
fn editorial_problems_are_warnings_and_fail_strict() {
    let site = Site::fixture("basic");
    site.write(
        "content/guides/editorial.md",
        "---\ntitle: Editorial\ndescription: \"\"\nkind: steps\n---\n\nSee ![](map.png) and [click here](apply.md) or [点击这里](apply.md).\n\n#### Too deep\n\nText.\n",
    );
    site.write_bytes("content/guides/bundle/map.png", &common::png(2, 2, 90));
    site.write_bytes("content/guides/map.png", &common::png(2, 2, 90));
    site.write("content/guides/empty-faq.md", "---\ntitle: Questions\ndescription: None yet.\nkind: faq\nowner: Permits team\n---\n\nNo questions yet.\n");
    let run = site.check(&[]);
    run.assert_success();
    let file = "content/guides/editorial.md";
    assert_eq!(
        run.diags(),
        [
            Diag::warning("the page's description is empty").at(&format!("{file}:3:1")).hint(
                "add `description:` with one sentence on what the page helps people do; listings and search engines show it"
            ),
            Diag::warning("this steps page has no steps")
                .at(&format!("{file}:4:1"))
                .hint("write each step as a `## ` heading, or as an ordered list"),
            Diag::warning("image `map.png` has no alt text")
                .at(&format!("{file}:7:5"))
                .hint("say what the image shows in the brackets, like `![Map of the service hall](map.png)`"),
            Diag::warning("link text `click here` does not say where the link goes").at(&format!("{file}:7:22")).hint(
                "use the title of the page it opens, like `[how to renew your card](renew.md)`: screen readers list links by their text"
            ),
            Diag::warning("link text `点击这里` does not say where the link goes").at(&format!("{file}:7:48")).hint(
                "use the title of the page it opens, like `[how to renew your card](renew.md)`: screen readers list links by their text"
            ),
            Diag::warning("heading `Too deep` skips from level 1 to level 4")
                .at(&format!("{file}:9:1"))
                .hint("use `## ` here, so that the headings nest one level at a time"),
            Diag::warning("this FAQ page has no questions")
                .at("content/guides/empty-faq.md:4:1")
                .hint("write each question as a `## ` heading with its answer below"),
        ],
        "{}",
        run.describe()
    );
    let strict = site.check(&["--strict"]);
    strict.assert_code(1);
    assert!(strict.stderr.contains("error: image `map.png` has no alt text"), "{}", strict.describe());
}

#[test]
fn a_linked_image_with_alt_text_is_a_link_with_text() {
    let site = Site::fixture("basic");
    site.write_bytes("content/guides/map.png", &common::png(2, 2, 90));
    site.write(
        "content/guides/linked.md",
        "---\ntitle: Linked\n---\n\n[![Map of the lakes](map.png)](apply.md)\n",
    );
    let run = site.check(&[]);
    run.assert_success();
    assert!(run.diags().is_empty(), "{}", run.describe());
}

#[test]
fn summaries_count_in_the_singular_and_check_does_not_say_build() {
    let site = Site::bare();
    site.write("site.yaml", "title: One\nbase_url: https://example.gov/\nlanguage: en\n");
    site.write("content/only.md", "---\ntitle: Only\ntitel: typo\n---\n\nText.\n");
    common::link_themes(&site.root);
    let check = site.check(&[]);
    check.assert_success();
    assert!(
        check.stdout.contains("Checked 1 page and 1 section: no errors (1 warning)"),
        "{}",
        check.describe()
    );
    let build = site.build(&[]);
    build.assert_success();
    assert!(build.stdout.starts_with("Built 1 page, 1 section and "), "{}", build.describe());
    site.write("content/draft.md", "---\ntitle: Draft\ndraft: true\n---\n\nText.\n");
    site.write("content/later.md", "---\ntitle: Later\npublish_at: 2999-01-01\n---\n\nText.\n");
    let build = site.build(&[]);
    assert!(
        build.stdout.starts_with("Built 1 page (left out: 1 draft, 1 not yet published), 1 section and "),
        "drafts and gated pages are counted\n{}",
        build.describe()
    );
    site.remove("content/draft.md");
    site.remove("content/later.md");
    site.write("content/only.md", "---\ntitle: Only\ndraft: ture\n---\n\nText.\n");
    let failed = site.check(&[]);
    failed.assert_code(1);
    assert!(failed.stderr.ends_with("error: the site has 1 error\n"), "{}", failed.describe());
}

/// `signpost <args>` in `site` on a terminal (util-linux `script` gives it one), with the
/// progress delay at 0 standing for a build that takes long; what the terminal showed.
fn on_a_terminal(site: &Site, args: &str) -> String {
    let command = format!("{} {args}", common::BIN);
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(&site.root)
        .env("SIGNPOST_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .env("SIGNPOST_CACHE_DIR", site.scratch(".cache"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn long_builds_show_their_stage_on_a_terminal_only() {
    let site = Site::fixture("basic");
    let shown = on_a_terminal(&site, "build --force");
    // The first stage is drawn at once; later ones as the terminal's refresh rate allows.
    assert!(shown.contains("Building: config [0/7]"), "progress by stage:\n{shown:?}");
    assert!(shown.contains("\x1b[2KBuilt 5 pages"), "the line is cleared before the summary:\n{shown:?}");
    let quiet = on_a_terminal(&site, "build --force --quiet");
    assert!(!quiet.contains("Building:") && quiet.contains("Built 5 pages"), "{quiet:?}");
    let checked = on_a_terminal(&site, "check");
    assert!(checked.contains("Building: config [0/7]"), "check shows it too:\n{checked:?}");
    let piped = site.build_env(&["--force"], &[("SIGNPOST_PROGRESS_DELAY_MS", "0")]);
    piped.assert_success();
    assert!(!piped.stderr.contains("Building:"), "nothing when not a terminal\n{}", piped.describe());
}

#[test]
fn site_yaml_slips_and_wrong_values_are_named_in_plain_words() {
    let site = Site::fixture("basic");
    site.write("site.yaml", "title：渔业服务\nbase_url: https://example.gov/\n");
    let run = site.check(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diags(),
        [Diag::error("full-width colon `：` after `title` in `site.yaml`")
            .at("site.yaml:1:6")
            .hint("type an ASCII colon and a space instead: `title: 渔业服务`")
            .hint("键名后要用半角冒号加空格（`: `），不能用全角冒号“：”")],
        "{}",
        run.describe()
    );
    site.write("site.yaml", "title: Fishing\nsearch: yes please\n");
    let run = site.check(&[]);
    run.assert_code(1);
    assert_eq!(
        run.diags(),
        [Diag::error("`search` must be `true` or `false`, not `yes please` in `site.yaml`")
            .at("site.yaml:2:9")
            .hint("write `search: true` or `search: false`")],
        "{}",
        run.describe()
    );
}

#[test]
fn half_configured_sites_are_warned_about() {
    let site = Site::bare();
    site.write("site.yaml", "title: Empty\nlanguage: en\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    common::link_themes(&site.root);
    let build = site.build(&[]);
    build.assert_success();
    assert!(build.stderr.contains("warning: the site has nothing to read"), "{}", build.describe());
    assert!(build.stderr.contains("warning: `base_url` is not an absolute URL"), "{}", build.describe());
    assert!(
        build.stderr.contains(" --> site.yaml:1:1"),
        "the base_url warning points at site.yaml\n{}",
        build.describe()
    );

    // With a page and an absolute base_url (here from the command line), neither warning.
    site.write("content/first.md", "---\ntitle: First\n---\n\nText.\n");
    let build = site.build(&["--base-url", "https://example.gov/"]);
    build.assert_success();
    assert!(!build.stderr.contains("nothing to read"), "{}", build.describe());
    assert!(!build.stderr.contains("base_url"), "{}", build.describe());
    let sitemap = std::fs::read_to_string(site.root.join("public/sitemap.xml")).expect("sitemap");
    assert!(sitemap.contains("<loc>https://example.gov/first/</loc>"), "{sitemap}");
}

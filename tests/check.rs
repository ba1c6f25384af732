//! End-to-end tests of `signpost check` diagnostics: exact messages, `path:line:col`,
//! hints, exit codes, JSON lines, and ordering. Front matter problems are planted one at a
//! time into the `basic` fixture; link problems come from the `planted` fixture.

mod common;

use common::{Diag, Run, Site, run_in};

/// The `basic` fixture with one extra file, checked.
fn check_with(rel: &str, text: &str) -> Run {
    let site = Site::fixture("basic");
    site.write(rel, text);
    site.check(&[])
}

/// Assert the run printed exactly `expected` (in order) and exited with `code`.
#[track_caller]
fn assert_diags(run: &Run, code: i32, expected: &[Diag]) {
    run.assert_code(code);
    assert_eq!(run.diags(), expected, "diagnostics differ\n{}", run.describe());
}

const BAD: &str = "content/guides/bad.md";

#[test]
fn wrong_yaml_type_is_located() {
    let run = check_with(BAD, "---\ntitle: Bad one\ndraft: perhaps\n---\n\nBody.\n");
    assert_diags(
        &run,
        1,
        &[Diag::error("`draft` must be `true` or `false`, not `perhaps`")
            .at("content/guides/bad.md:3:8")
            .hint("write `draft: true` or `draft: false`")],
    );
    assert!(run.stderr.contains("3 | draft: perhaps\n"), "source line shown\n{}", run.describe());
}

#[test]
fn bad_date_is_located_with_a_hint() {
    let run = check_with(BAD, "---\ntitle: Bad one\ndate: 2026-13-45\n---\n\nBody.\n");
    assert_diags(
        &run,
        1,
        &[Diag::error("`date` is not a valid date: `2026-13-45`")
            .at("content/guides/bad.md:3:7")
            .hint("write dates as YYYY-MM-DD, like `2026-05-01`, or as `2026-05-01T09:00:00+08:00`")],
    );
    assert!(run.stderr.contains("  |       ^^^^^^^^^^\n"), "the whole date underlined\n{}", run.describe());
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let run = check_with(BAD, "---\ntitle: Bad one\nkind: stpes\n---\n\nBody.\n");
    assert_diags(
        &run,
        1,
        &[Diag::error("`stpes` is not a valid value here")
            .at("content/guides/bad.md:3:7")
            .hint("did you mean `steps`?")],
    );
}

#[test]
fn unknown_front_matter_key_is_only_a_warning() {
    let run = check_with(BAD, "---\ntitle: Good one\ntitel: Typo\n---\n\nBody.\n");
    assert_diags(
        &run,
        0,
        &[Diag::warning("unknown front matter key `titel`")
            .at("content/guides/bad.md:3:1")
            .hint("did you mean `title`?")],
    );
    // ... and a build with it succeeds too.
    let site = Site::fixture("basic");
    site.write(BAD, "---\ntitle: Good one\ntitel: Typo\n---\n\nBody.\n");
    site.build(&[]).assert_success().assert_stderr_contains("did you mean `title`?");
    assert!(site.public().join("guides/bad/index.html").is_file());
}

#[test]
fn missing_title_is_an_error() {
    let run = check_with(BAD, "---\ndescription: No title here.\n---\n\nBody.\n");
    assert_diags(
        &run,
        1,
        &[Diag::error("missing `title` in front matter")
            .at("content/guides/bad.md:1:1")
            .hint("add a line like `title: Renew your identity card` between the `---` fences")],
    );
}

#[test]
fn unterminated_front_matter_fence() {
    let run = check_with(BAD, "---\ntitle: Never closed\n\nBody.\n");
    assert_diags(
        &run,
        1,
        &[Diag::error("the front matter fence opened on line 1 is never closed")
            .at("content/guides/bad.md:1:1")
            .hint("start the file with a line `---`, then `title: ...`, then another line `---`")],
    );
}

#[test]
fn non_utf8_file_is_located() {
    let site = Site::fixture("basic");
    site.write_bytes(BAD, b"---\ntitle: Latin one\n---\n\nCaf\xe9 au lait.\n");
    let run = site.check(&[]);
    assert_diags(
        &run,
        1,
        &[Diag::error("`content/guides/bad.md` is not valid UTF-8 text")
            .at("content/guides/bad.md:5:4")
            .hint("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")],
    );
}

#[test]
fn planted_link_problems_are_exactly_reported() {
    let site = Site::fixture("planted");
    let run = site.check(&[]);
    let file = "content/guides/renew.md";
    assert_diags(
        &run,
        1,
        &[
            Diag::error("broken link to `guides/lost-crad.md`")
                .at(&format!("{file}:6:5"))
                .hint("did you mean `guides/lost-card.md`?"),
            Diag::error("broken link to `lost-crd.md`")
                .at(&format!("{file}:11:5"))
                .hint("did you mean `lost-card.md`?"),
            Diag::error("broken anchor `#what-to-brng` in link to `lost-card.md#what-to-brng`")
                .at(&format!("{file}:12:7"))
                .hint("`guides/lost-card.md` has no heading with that id; did you mean `#what-to-bring`?"),
            Diag::error("link to `upcoming.md`, which is a draft")
                .at(&format!("{file}:13:12"))
                .hint("publish the target first, or remove the link until it is published"),
            Diag::error("broken link to `../files/from.pdf`")
                .at(&format!("{file}:14:7"))
                .hint("did you mean `../files/form.pdf`?"),
        ],
    );
    assert!(run.stderr.contains("error: the site has 5 errors"), "{}", run.describe());
}

#[test]
fn missing_image_is_a_broken_link() {
    let run = check_with("content/guides/img.md", "---\ntitle: Images\n---\n\nIntro.\n\n![A map](mpa.png)\n");
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    assert_eq!(diags[0].severity, "error");
    assert!(diags[0].message.contains("mpa.png"), "{}", run.describe());
    assert!(
        diags[0].location.as_deref().is_some_and(|l| l.starts_with("content/guides/img.md:7:")),
        "{}",
        run.describe()
    );
}

#[test]
fn planted_problems_fail_the_build_too() {
    let site = Site::fixture("planted");
    let run = site.build(&[]);
    run.assert_code(1);
    assert_eq!(run.diags().len(), 5, "{}", run.describe());
    assert!(!site.public().exists(), "a failed first build writes nothing");
}

#[test]
fn link_to_draft_is_fine_with_drafts() {
    let site = Site::fixture("planted");
    let run = site.check(&["--drafts"]);
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 4, "{}", run.describe());
    assert!(diags.iter().all(|d| !d.message.contains("draft")), "{}", run.describe());
}

#[test]
fn json_format_prints_one_object_per_line() {
    let site = Site::fixture("planted");
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 5, "{}", run.describe());
    let got: Vec<(String, String, u64, u64)> = lines
        .iter()
        .map(|v| {
            for key in ["severity", "message", "file", "line", "column", "hints"] {
                assert!(v.get(key).is_some(), "JSON diagnostic lacks `{key}`: {v}");
            }
            (
                v["severity"].as_str().unwrap().to_string(),
                v["file"].as_str().unwrap().to_string(),
                v["line"].as_u64().unwrap(),
                v["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let f = "content/guides/renew.md".to_string();
    assert_eq!(
        got,
        [
            ("error".to_string(), f.clone(), 6, 5),
            ("error".to_string(), f.clone(), 11, 5),
            ("error".to_string(), f.clone(), 12, 7),
            ("error".to_string(), f.clone(), 13, 12),
            ("error".to_string(), f, 14, 7),
        ]
    );
    assert_eq!(lines[0]["hints"][0], "did you mean `guides/lost-card.md`?");
    assert_eq!(lines[2]["message"], "broken anchor `#what-to-brng` in link to `lost-card.md#what-to-brng`");
}

#[test]
fn json_format_on_a_clean_site_prints_nothing() {
    let site = Site::fixture("basic");
    let run = site.check(&["--format", "json"]);
    run.assert_success();
    assert!(run.json_lines().is_empty(), "{}", run.describe());
}

#[test]
fn diagnostics_are_sorted_by_file_and_line() {
    let site = Site::fixture("planted");
    site.write(
        "content/guides/zeta.md",
        "---\ntitle: Zeta\nowner: Team\nweigth: 3\n---\n\nA [broken](nowhere.md) link.\n\nAnd [another](lost-card.md#nope).\n",
    );
    site.write("content/alpha.md", "---\ntitle: Alpha\n---\n\n\n\n\n\nSee [missing](guides/nothing.md).\n");
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    let got: Vec<(String, u64)> = run
        .json_lines()
        .iter()
        .map(|v| (v["file"].as_str().unwrap_or("").to_string(), v["line"].as_u64().unwrap_or(0)))
        .collect();
    let expected: Vec<(String, u64)> = [
        ("content/alpha.md", 9),
        ("content/guides/renew.md", 6),
        ("content/guides/renew.md", 11),
        ("content/guides/renew.md", 12),
        ("content/guides/renew.md", 13),
        ("content/guides/renew.md", 14),
        ("content/guides/zeta.md", 4),
        ("content/guides/zeta.md", 7),
        ("content/guides/zeta.md", 9),
    ]
    .into_iter()
    .map(|(f, l)| (f.to_string(), l))
    .collect();
    assert_eq!(got, expected, "{}", run.describe());
    // The human format uses the same order.
    let human: Vec<String> = site.check(&[]).diags().into_iter().filter_map(|d| d.location).collect();
    let human_expected: Vec<String> = run
        .json_lines()
        .iter()
        .map(|v| format!("{}:{}:{}", v["file"].as_str().unwrap(), v["line"], v["column"]))
        .collect();
    assert_eq!(human, human_expected);
}

#[test]
fn unknown_site_yaml_key_is_an_error() {
    let site = Site::fixture("basic");
    let yaml = common::read(&site.path("site.yaml"));
    site.write("site.yaml", &yaml.replace("title: Fixture Services", "titel: Fixture Services"));
    let run = site.check(&[]);
    assert_diags(
        &run,
        1,
        &[Diag::error("unknown key `titel` in `site.yaml`")
            .at("site.yaml:1:1")
            .hint("did you mean `title`?")],
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n\n{{ page.content | safe }\n{% endblock content %}\n",
    );
    let run = site.check(&[]);
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    assert!(diags[0].message.starts_with("template error"), "{}", run.describe());
    assert_eq!(diags[0].location.as_deref(), Some("templates/page.html:5:24"), "{}", run.describe());
}

#[test]
fn template_runtime_error_names_the_page_being_rendered() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{% set p = get_page(path=\"guides/missing.md\") %}{{ p.title }}\n{% endblock content %}\n",
    );
    let run = site.check(&[]);
    run.assert_code(1);
    let diags = run.diags();
    assert!(!diags.is_empty(), "{}", run.describe());
    for d in &diags {
        assert!(d.message.contains("guides/missing.md"), "names the missing path: {d:?}");
        assert_eq!(
            d.location.as_deref().map(|l| l.rsplit_once(':').unwrap().0),
            Some("templates/page.html:4")
        );
    }
    assert!(
        diags.iter().any(|d| d.hints.iter().any(|h| h.contains("guides/apply.md"))),
        "names a page being rendered\n{}",
        run.describe()
    );
}

#[test]
fn two_pages_with_one_url_are_both_named() {
    let run = check_with("content/guides/other.md", "---\ntitle: Clash\nslug: apply\n---\n\nBody.\n");
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    let d = &diags[0];
    assert!(d.message.contains("content/guides/other.md"), "{d:?}");
    assert!(d.message.contains("content/guides/apply.md"), "{d:?}");
    assert!(d.message.contains("/guides/apply/"), "{d:?}");
    assert!(d.location.as_deref().is_some_and(|l| l.starts_with("content/guides/")), "{d:?}");
}

#[test]
fn bundle_index_and_section_index_conflict_is_reported() {
    // `guides/notes.md` and `guides/notes/index.md` both want `/guides/notes/`.
    let run = check_with("content/guides/notes/index.md", "---\ntitle: Notes bundle\n---\n\nBody.\n");
    run.assert_code(1);
    let diags = run.diags();
    assert_eq!(diags.len(), 1, "{}", run.describe());
    assert!(diags[0].message.contains("content/guides/notes.md"), "{}", run.describe());
    assert!(diags[0].message.contains("content/guides/notes/index.md"), "{}", run.describe());
}

#[test]
fn paths_are_relative_to_the_site_root_whatever_the_root_argument() {
    let site = Site::fixture("planted");
    let run = run_in(&site.scratch(""), &["check", "--root", "site"]);
    run.assert_code(1);
    let first = run.diags()[0].location.clone();
    assert_eq!(first.as_deref(), Some("content/guides/renew.md:6:5"), "{}", run.describe());
    let run = run_in(&site.path("content"), &["check", "--root", ".."]);
    run.assert_code(1);
    assert_eq!(run.diags()[0].location.as_deref(), Some("content/guides/renew.md:6:5"), "{}", run.describe());
}

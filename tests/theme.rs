//! Theme features driven by `site.yaml`: the accessibility statement and page feedback.

mod common;

use common::Site;

const STATEMENT: &str = "
feedback_url: https://feedback.example.gov/form/
accessibility:
  status: partial
  known_issues: [Some PDF forms are not accessible.]
  contact: access@example.gov
  last_reviewed: 2026-11-20
";

fn with_settings(extra: &str) -> Site {
    let site = Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}{extra}"));
    site.build(&[]).assert_success();
    site
}

#[test]
fn accessibility_statement_is_generated_and_linked_from_every_footer() {
    let site = with_settings(STATEMENT);
    let statement = site.output("accessibility/index.html");
    assert!(statement.contains("partially compliant with WCAG 2.2 AA"), "{statement}");
    assert!(statement.contains("<li>Some PDF forms are not accessible.</li>"));
    assert!(statement.contains("href=\"mailto:access@example.gov\""));
    assert!(statement.contains("<time datetime=\"2026-11-20\">20 November 2026</time>"));
    for entry in walkdir::WalkDir::new(site.public()).into_iter().flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) == Some("html") {
            let html = std::fs::read_to_string(path).unwrap();
            if html.contains("http-equiv=\"refresh\"") {
                continue;
            }
            assert!(
                html.contains("accessibility/\">Accessibility statement</a>"),
                "{} lacks the link",
                path.display()
            );
        }
    }
}

#[test]
fn feedback_form_posts_to_the_configured_url_and_is_absent_without_it() {
    let site = with_settings(STATEMENT);
    let page = site.output("guides/notes/index.html");
    assert!(page.contains(
        "<form class=\"sp-feedback\" method=\"post\" action=\"https://feedback.example.gov/form/\">"
    ));
    assert!(page.contains("name=\"useful\" value=\"yes\""));
    let plain = Site::fixture("basic");
    plain.build(&[]).assert_success();
    assert!(!plain.output("guides/notes/index.html").contains("sp-feedback"));
    assert!(!plain.public().join("accessibility").exists());
}

#[test]
fn bad_statement_date_is_an_error() {
    let site = Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}{}", STATEMENT.replace("2026-11-20", "last week")));
    let run = site.check(&[]);
    run.assert_code(1);
    assert!(run.describe().contains("`last_reviewed` is not a valid date"), "{}", run.describe());
}

#[test]
fn neighbours_and_related_pages_are_page_summaries_like_in_listings() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "PREV={% if page.prev %}{{ page.prev.title }}|{{ page.prev.date }}|{{ page.prev.kind }}|{{ page.prev.permalink }}{% endif %}\n\
         NEXT={% if page.next %}{{ page.next.title }}|{{ page.next.path }}{% endif %}\n\
         RELATED={% for r in page.related %}{{ r.title }}|{{ r.date }}|{{ r.description }};{% endfor %}\n\
         LOOKUP={% if page.prev %}{% set found = get_page(path=page.prev.path) %}{{ found == page.prev }}{% endif %}\n",
    );
    site.build(&[]).assert_success();
    let questions = site.output("guides/questions/index.html");
    assert!(
        questions
            .contains("PREV=Apply for a fishing permit|2026-01-10|steps|https://example.gov/guides/apply/\n"),
        "{questions}"
    );
    assert!(questions.contains("RELATED=Apply for a fishing permit|2026-01-10|How to apply"), "{questions}");
    assert!(questions.contains("LOOKUP=true"), "{questions}");
    let apply = site.output("guides/apply/index.html");
    assert!(apply.contains("PREV=\n"), "the first page has no previous one: {apply}");
    assert!(apply.contains("NEXT=Fishing permit questions|guides/questions.md\n"), "{apply}");
}

#[test]
fn a_template_may_do_anything_with_the_body_and_gets_the_body_itself() {
    let site = Site::fixture("basic");
    let body_of = |template: &str| {
        site.write("templates/page.html", &format!("<main>{template}</main>"));
        site.build(&[]).assert_success();
        let page = site.output("guides/apply/index.html");
        page.split_once("<main>").and_then(|(_, rest)| rest.split_once("</main>")).unwrap().0.to_string()
    };
    // Printed as it is, the body is written into the output after rendering.
    let body = body_of("{{ page.content | safe }}");
    assert!(body.contains("href=\"/guides/questions/#how-long"), "links are filled in: {body}");
    // A filter on the body, seen in the template's text or only once rendered, gets the body.
    assert_eq!(body_of("{{ page.content | safe | upper }}"), body.to_uppercase());
    assert_eq!(body_of("{% filter upper %}{{ page.content | safe }}{% endfilter %}"), body.to_uppercase());
    assert_eq!(body_of("{{ page.content | length }}"), body.chars().count().to_string());
}

#[test]
fn the_header_search_box_is_made_from_its_partial_and_left_off_the_search_page() {
    let site = Site::fixture("basic");
    site.build(&[]).assert_success();
    let page = site.output("guides/notes/index.html");
    assert!(page.contains(
        "<a class=\"sp-header-search-link\" href=\"/search/\">Search</a>\n<form class=\"sp-header-search\" \
         role=\"search\" method=\"get\" action=\"/search/\">\n<label class=\"sp-visually-hidden\" \
         for=\"sp-header-q\">Search this website</label>"
    ));
    assert!(!site.output("search/index.html").contains("sp-header-search"), "the search page has no box");
    // A site's own partial replaces the theme's on every page.
    site.write(
        "templates/partials/search_box.html",
        "<p class=\"own-box\">{{ t.search }} at {{ search_url }}</p>\n",
    );
    site.build(&[]).assert_success();
    assert!(site.output("guides/notes/index.html").contains("<p class=\"own-box\">Search at /search/</p>"));
    // Without search, no box.
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}\nsearch: false\n"));
    site.build(&[]).assert_success();
    assert!(!site.output("guides/notes/index.html").contains("own-box"));
}

#[test]
fn a_broken_search_box_partial_is_an_error_in_that_partial() {
    let site = Site::fixture("basic");
    site.write("templates/partials/search_box.html", "<p>{{ no_such_value.field }}</p>\n");
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("search_box.html");
    assert_eq!(run.diags().len(), 1, "one error, not one per page: {}", run.describe());
}

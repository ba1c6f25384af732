//! Government-site rules end to end (issue 19): column freshness and its veto thresholds,
//! pages without a date, service guides with missing elements, the meta tags and footer of a
//! `gov:` block. The site is the `government` fixture: every rule fires in it at least once,
//! worded in the language of the page or column it is about.

mod common;

use common::{Diag, Site};

/// The diagnostics of `check` on the fixture (translation warnings left out: the fixture
/// translates only what shows English wording).
fn diagnostics(extra: &[&str]) -> (Option<i32>, Vec<Diag>) {
    let site = Site::fixture("government");
    let run = site.check(extra);
    let diags = run.diags().into_iter().filter(|d| !d.message.contains("translation")).collect();
    (run.code, diags)
}

#[track_caller]
fn expect(diags: &[Diag], severity: &str, message: &str, location: &str) {
    let found = diags
        .iter()
        .any(|d| d.severity == severity && d.message == message && d.location.as_deref() == Some(location));
    assert!(found, "no {severity} `{message}` at {location} in:\n{diags:#?}");
}

#[test]
fn stale_and_empty_columns_are_reported_with_the_rule_and_the_day_they_went_stale() {
    let (code, diags) = diagnostics(&[]);
    assert_eq!(code, Some(0), "warnings only without --strict: {diags:#?}");
    expect(
        &diags,
        "warning",
        "栏目“工作动态”（动态要闻）超过14天未更新：最近更新于2020-02-01，2020-02-15起超期",
        "content/news/_index.md:3:1",
    );
    expect(
        &diags,
        "warning",
        "栏目“通知公告”（通知公告）超过183天未更新：最近更新于2020-02-02，2020-08-03起超期",
        "content/notices/_index.md:3:1",
    );
    expect(
        &diags,
        "warning",
        "column “News” (news) not updated within 14 days: stale since 2020-02-15, last updated 2020-02-01",
        "content/news/_index.en.md:3:1",
    );
    expect(&diags, "warning", "空白栏目：栏目“空栏目3”没有已发布的内容", "content/empty-3/_index.md:1:1");
    // A column with its own window is not stale; one of type `service` has no window at all.
    assert!(
        !diags.iter().any(|d| d.message.contains("长效栏目") || d.message.contains("办事指南")),
        "{diags:#?}"
    );
}

#[test]
fn pages_without_a_date_are_warned_about_in_their_language() {
    let (_, diags) = diagnostics(&[]);
    expect(
        &diags,
        "warning",
        "页面没有发布日期：检查指标把没有可见发布日期的页面计为未更新",
        "content/guides/undated.md:2:1",
    );
    expect(
        &diags,
        "warning",
        "page has no publication date: the inspection counts it as not updated",
        "content/guides/undated.en.md:2:1",
    );
}

#[test]
fn veto_thresholds_warn_and_fail_the_check_with_strict() {
    let named =
        "达到检查指标单项否决线：5个动态要闻、通知公告、政策文件类栏目未按期更新（5个及以上即判为不合格）";
    let empty = "达到检查指标单项否决线：5个空白栏目（5个及以上即判为不合格）";
    let (_, diags) = diagnostics(&[]);
    expect(&diags, "warning", named, "site.yaml:8:1");
    expect(&diags, "warning", empty, "site.yaml:8:1");
    // Ten stale columns of any class are not reached: six are stale.
    assert!(!diags.iter().any(|d| d.message.contains("长期未更新")), "{diags:#?}");
    let (code, strict) = diagnostics(&["--strict"]);
    assert_eq!(code, Some(1));
    expect(&strict, "error", named, "site.yaml:8:1");
    expect(&strict, "error", empty, "site.yaml:8:1");
    // A single stale column is not a veto: it stays a warning.
    assert!(strict.iter().any(|d| d.severity == "warning" && d.message.starts_with("栏目“工作动态”")));
}

#[test]
fn without_a_gov_block_no_freshness_rule_applies() {
    let site = Site::fixture("government");
    let config = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &config[..config.find("gov:").expect("a gov block")]);
    let run = site.check(&["--strict"]);
    run.assert_success();
    let diags = run.diags();
    assert!(!diags.iter().any(|d| d.message.contains("栏目") || d.message.contains("date")), "{diags:#?}");
}

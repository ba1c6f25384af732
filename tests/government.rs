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
    expect(
        &diags,
        "warning",
        "栏目“政策文件”（政策文件）超过183天未更新：最近更新于2020-02-03，2020-08-04起超期",
        "content/policy/_index.md:3:1",
    );
    // A column of any class with its own window (`fresh_days`).
    expect(
        &diags,
        "warning",
        "栏目“专题1”（其他）超过30天未更新：最近更新于2020-03-01，2020-03-31起超期",
        "content/archive-1/_index.md:3:1",
    );
    expect(&diags, "warning", "空白栏目：栏目“空栏目3”没有已发布的内容", "content/empty-3/_index.md:1:1");
    expect(
        &diags,
        "warning",
        "empty column: “Empty column 1” has no published page",
        "content/empty-1/_index.en.md:1:1",
    );
    // A column with its own window is not stale; one of type `service` has no window at all.
    assert!(
        !diags
            .iter()
            .any(|d| d.message.starts_with("栏目“长效栏目”") || d.message.starts_with("栏目“办事指南”")),
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
fn a_column_whose_pages_have_no_date_counts_as_stale() {
    let (_, diags) = diagnostics(&[]);
    expect(
        &diags,
        "warning",
        "栏目“无日期动态”（动态要闻）的页面都没有发布日期，视为超过14天未更新",
        "content/undated-news/_index.md:3:1",
    );
    expect(
        &diags,
        "warning",
        "column “Undated news” (news) counts as not updated within 14 days: none of its pages has a date",
        "content/undated-news/_index.en.md:3:1",
    );
    expect(
        &diags,
        "warning",
        "页面没有发布日期：检查指标把没有可见发布日期的页面计为未更新",
        "content/undated-news/item.md:2:1",
    );
}

#[test]
fn veto_thresholds_warn_and_fail_the_check_with_strict() {
    let named =
        "达到检查指标单项否决线：6个动态要闻、通知公告、政策文件类栏目未按期更新（5个及以上即判为不合格）";
    let any = "达到检查指标单项否决线：10个应更新的栏目长期未更新（10个及以上即判为不合格）";
    let empty = "达到检查指标单项否决线：5个空白栏目（5个及以上即判为不合格）";
    let (_, diags) = diagnostics(&[]);
    for veto in [named, any, empty] {
        expect(&diags, "warning", veto, "site.yaml:8:1");
    }
    // Counted per language: the English columns (two stale, one empty) reach none.
    assert!(!diags.iter().any(|d| d.message.starts_with("inspection veto")), "{diags:#?}");
    let (code, strict) = diagnostics(&["--strict"]);
    assert_eq!(code, Some(1));
    for veto in [named, any, empty] {
        expect(&strict, "error", veto, "site.yaml:8:1");
    }
    // A single stale column is not a veto: it stays a warning.
    assert!(strict.iter().any(|d| d.severity == "warning" && d.message.starts_with("栏目“工作动态”")));
}

#[test]
fn without_a_gov_block_no_freshness_rule_applies() {
    let site = Site::fixture("government");
    let config = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &config[..config.find("gov:").expect("a gov block")]);
    let run = site.check(&["--format", "human"]);
    run.assert_success();
    let diags = run.diags();
    assert!(!diags.iter().any(|d| d.message.contains("栏目") || d.message.contains("date")), "{diags:#?}");
}

#[test]
fn a_service_guide_names_each_missing_element_in_its_language() {
    let (_, diags) = diagnostics(&[]);
    for (label, key) in [
        ("申请条件", "conditions"),
        ("办理地点", "location"),
        ("办理时间", "hours"),
        ("联系电话", "phone"),
        ("收费标准", "fees"),
    ] {
        expect(
            &diags,
            "warning",
            &format!("办事指南缺少要素“{label}”（`service.{key}`）"),
            "content/guides/incomplete.md:5:1",
        );
    }
    expect(
        &diags,
        "warning",
        "service guide lacks its fees (`service.fees`)",
        "content/guides/incomplete.en.md:5:1",
    );
    expect(
        &diags,
        "warning",
        "办理流程 `../law/act.md` 不是分步指南页面",
        "content/guides/incomplete.md:10:12",
    );
    let missing = diags
        .iter()
        .filter(|d| {
            d.message.contains("service.")
                && d.location.as_deref().is_some_and(|l| l.starts_with("content/guides/incomplete"))
        })
        .count();
    assert_eq!(missing, 6, "given elements are not reported: {diags:#?}");
    let (_, strict) = diagnostics(&["--strict"]);
    expect(
        &strict,
        "error",
        "service guide lacks its fees (`service.fees`)",
        "content/guides/incomplete.en.md:5:1",
    );
}

#[test]
fn every_element_is_named_when_missing_in_both_languages() {
    let (_, diags) = diagnostics(&[]);
    let elements = [
        ("事项名称", "service name", "name"),
        ("设定依据", "legal basis", "basis"),
        ("申请条件", "conditions", "conditions"),
        ("办理材料", "documents to bring", "materials"),
        ("办理地点", "place to apply", "location"),
        ("办理时间", "opening hours", "hours"),
        ("联系电话", "phone number", "phone"),
        ("办理流程", "process", "process"),
        ("办理时限", "time limit", "time_limit"),
        ("收费标准", "fees", "fees"),
    ];
    for (zh, en, key) in elements {
        // No `service:` at all: located at `kind: service`.
        expect(
            &diags,
            "warning",
            &format!("办事指南缺少要素“{zh}”（`service.{key}`）"),
            "content/guides/bare.md:4:1",
        );
        if key != "process" {
            let message = format!("service guide lacks its {en} (`service.{key}`)");
            expect(&diags, "warning", &message, "content/guides/bare.en.md:5:1");
        }
    }
    expect(
        &diags,
        "warning",
        "the process `../law/act.md` is not a steps page",
        "content/guides/bare.en.md:6:12",
    );
}

#[test]
fn service_on_a_page_of_another_kind_is_warned_about_in_its_language() {
    let (_, diags) = diagnostics(&[]);
    expect(
        &diags,
        "warning",
        "只有 `kind: service` 的页面才使用 `service:`",
        "content/guides/misfiled.md:4:1",
    );
    // English on the English page, though the site's catalogue is Chinese.
    expect(
        &diags,
        "warning",
        "`service` belongs on service guides only (`kind: service`)",
        "content/guides/misfiled.en.md:4:1",
    );
}

/// The same fixture as an English-only site: every rule, the vetoes too, is worded in English.
#[test]
fn an_english_site_words_every_rule_in_english() {
    let site = Site::fixture("government");
    let config = site_file(&site, "site.yaml");
    let languages = "title: 政务服务示例\nbase_url: https://fixture.example.gov.cn/\nlanguages:\n  - code: zh-CN\n  - code: en\n    title: Government services example\n";
    assert!(config.starts_with(languages), "{config}");
    let english = "title: Government services example\nbase_url: https://fixture.example.gov.cn/\nlanguages:\n  - code: en\n";
    site.write("site.yaml", &config.replacen(languages, english, 1));
    for entry in walkdir(&site.path("content")) {
        if entry.to_string_lossy().ends_with(".en.md") {
            std::fs::remove_file(&entry).expect("remove a translation");
        }
    }
    let run = site.check(&["--strict"]);
    run.assert_code(1);
    let diags = run.diags();
    for veto in [
        "inspection veto reached: 6 news, notice and policy columns not updated within their windows (5 or more fail the site)",
        "inspection veto reached: 10 columns not updated within their windows (10 or more fail the site)",
        "inspection veto reached: 5 empty columns (5 or more fail the site)",
    ] {
        expect(&diags, "error", veto, "site.yaml:6:1");
    }
    expect(
        &diags,
        "warning",
        "empty column: “空栏目1” has no published page",
        "content/empty-1/_index.md:1:1",
    );
    expect(
        &diags,
        "error",
        "service guide lacks its place to apply (`service.location`)",
        "content/guides/bare.md:4:1",
    );
    assert!(
        !diags.iter().any(|d| d.message.contains("栏目“") || d.message.contains("办事指南")),
        "{diags:#?}"
    );
}

/// Every file under `dir`.
fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_required_elements_are_set_per_site() {
    let site = Site::fixture("government");
    let config = std::fs::read_to_string(site.path("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}service_required: [name, basis, materials]\n"));
    let diags = site.check(&[]).diags();
    let missing: Vec<&str> = diags
        .iter()
        .filter(|d| d.message.contains("缺少要素") || d.message.contains("lacks"))
        .map(|d| d.message.as_str())
        .collect();
    // The guides that give those three are not reported; the one without any element is,
    // for those three only, in both languages.
    assert_eq!(missing.len(), 6, "{missing:#?}");
    assert!(
        missing.iter().all(|m| ["`service.name`", "`service.basis`", "`service.materials`"]
            .iter()
            .any(|k| m.contains(k))),
        "{missing:#?}"
    );
}

#[test]
fn the_legal_basis_is_checked_like_a_link_and_cited_by_the_law() {
    let site = Site::fixture("government");
    site.build(&[]).assert_success();
    let act = site.output("law/act/index.html");
    assert!(act.contains("<li><a href=\"/guides/incomplete/\">不完整的办事指南</a></li>"), "cited by");
    let guide = site.output("guides/incomplete/index.html");
    assert!(guide.contains(
        "<dt>设定依据</dt><dd><ul>\n<li><a href=\"/law/act/#article-8\">中华人民共和国示例法 第八条</a></li>"
    ));
    assert!(guide.contains("<dt>办理时限</dt><dd>20日</dd>"));
    let en = site.output("en/guides/incomplete/index.html");
    assert!(en.contains("20 days (up to 10 more days where transport is difficult)"));
    assert!(en.contains("<a href=\"/en/guides/how-to/\">How to apply</a>"));
    let start = guide.find("<script type=\"application/ld+json\">").expect("JSON-LD") + 35;
    let graph: serde_json::Value =
        serde_json::from_str(&guide[start..start + guide[start..].find("</script>").expect("end")])
            .expect("JSON");
    let page = graph["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .find(|n| n["@type"] == "WebPage")
        .expect("WebPage")
        .clone();
    assert_eq!(page["mainEntity"]["@type"], "GovernmentService");
    assert_eq!(page["mainEntity"]["name"], "示例事项");
    assert_eq!(page["mainEntity"]["availableChannel"]["processingTime"], "P20D");
    site.write(
        "content/guides/incomplete.md",
        &site_file(&site, "content/guides/incomplete.md").replace("article-8", "article-9"),
    );
    let run = site.check(&[]);
    run.assert_code(1);
    // Worded in the page's language by the message catalogue; located at the basis entry.
    assert!(
        run.diags().iter().any(|d| d.severity == "error"
            && d.message.contains("#article-9")
            && d.location.as_deref() == Some("content/guides/incomplete.md:8:7")),
        "{}",
        run.describe()
    );
}

fn site_file(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).expect("a fixture file")
}

#[test]
fn the_bundled_site_passes_strict_and_emits_the_tags_footer_and_service_guides() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("a temporary folder");
    let check = common::run_in(root, &["check", "--strict", "--root", common::s(root)]);
    check.assert_success();
    assert!(check.diags().is_empty(), "{}", check.describe());
    let output = out.path().join("public");
    common::run_in(root, &["build", "--quiet", "--root", common::s(root), "--output", common::s(&output)])
        .assert_success();
    let renewal = common::read(&output.join("services/renewal/index.html"));
    for tag in [
        "SiteIDCode",
        "ColumnType\" content=\"办事服务",
        "PubDate\" content=\"2026-12-01 00:00",
        "ArticleTitle",
    ] {
        assert!(renewal.contains(&format!("<meta name=\"{tag}")), "{tag}");
    }
    assert!(renewal.contains("class=\"sp-gov-footer\"") && renewal.contains("网站标识码："));
    assert!(renewal.contains("\"@type\":\"GovernmentService\""));
    for guide in ["renewal", "first-card", "lost-card"] {
        let html = common::read(&output.join(format!("services/{guide}/index.html")));
        assert!(html.contains("sp-service-summary"), "{guide}");
    }
}

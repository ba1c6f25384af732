//! Editor-facing messages in the site's language: the same broken site, configured in
//! Simplified Chinese and in English, reports each problem in that language.

mod common;

use common::{Run, Site};

/// A page with a front matter slip, a wrong value, a broken link, a link to a draft, an image
/// without alt text and a skipped heading level.
const BROKEN: &str = "---\ntitle：办理居住证\ndraft: ture\n---\n\n\
                      见[旧页面](missing.md)和[草稿](draft.md)。\n\n![](map.png)\n\n#### 细节\n\n正文。\n";

fn checked(language: &str) -> Run {
    let site = Site::bare();
    site.write(
        "site.yaml",
        &format!("title: 测试\nbase_url: https://example.gov.cn/\nlanguage: {language}\n"),
    );
    site.write("content/guide.md", BROKEN);
    site.write("content/draft.md", "---\ntitle: 草稿\ndraft: true\n---\n\n正文。\n");
    site.write("content/ok.md", "---\ntitle: 好\n---\n\n见[草稿](draft.md)。\n\n![](map.png)\n\n#### 细节\n");
    site.write("content/map.png", "png");
    common::link_themes(&site.root);
    site.check(&[])
}

#[test]
fn a_chinese_site_reports_in_chinese_and_an_english_one_in_english() {
    let zh = checked("zh-CN");
    let en = checked("en");
    zh.assert_code(1);
    en.assert_code(1);
    for (english, chinese) in [
        ("full-width colon `：` after `title`", "`title` 后面是全角冒号“："),
        (
            "`draft` must be `true` or `false`, not `ture`",
            "`draft` 只能写 `true`（是）或 `false`（否），不能写 `ture`",
        ),
        ("hint: write `draft: true` or `draft: false`", "hint: 请写 `draft: true` 或 `draft: false`"),
        ("link to `draft.md`, which is a draft", "链接到 `draft.md`，但它是草稿"),
        ("image `map.png` has no alt text", "图片 `map.png` 没有替代文字"),
        ("heading `细节` skips from level 1 to level 4", "标题 `细节` 从第 1 级跳到了第 4 级"),
    ] {
        assert!(en.stderr.contains(english), "en: `{english}`\n{}", en.describe());
        assert!(!en.stderr.contains(chinese), "en: `{chinese}`\n{}", en.describe());
        assert!(zh.stderr.contains(chinese), "zh-CN: `{chinese}`\n{}", zh.describe());
        assert!(!zh.stderr.contains(english), "zh-CN: `{english}`\n{}", zh.describe());
    }
    // Locations and the source lines shown stay as they are.
    assert!(zh.stderr.contains(" --> content/guide.md:2:6"), "{}", zh.describe());
    assert_eq!(zh.diags().len(), en.diags().len(), "the same problems\n{}\n{}", zh.describe(), en.describe());
}

#[test]
fn json_stays_in_english_for_programs() {
    let site = Site::bare();
    site.write("site.yaml", "title: 测试\nlanguage: zh-CN\n");
    site.write("content/guide.md", "---\ntitle: 指南\ndraft: ture\n---\n\n正文。\n");
    common::link_themes(&site.root);
    let run = site.check(&["--format", "json"]);
    run.assert_code(1);
    assert!(run.stdout.contains("`draft` must be `true` or `false`, not `ture`"), "{}", run.describe());
}

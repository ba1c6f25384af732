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
    site.write_bytes("content/map.png", &common::png(2, 2, 90));
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

/// Whether `text` holds a Chinese character.
fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{4e00}'..='\u{9fff}'))
}

/// `check` of a Chinese site written by `write`: every problem and every hint it prints is
/// in Chinese. Returns the messages, for the caller to see the expected problems came.
fn all_in_chinese(write: impl FnOnce(&Site)) -> Vec<String> {
    let site = Site::bare();
    site.write("site.yaml", "title: 测试\nbase_url: https://example.gov.cn/\nlanguage: zh-CN\n");
    write(&site);
    common::link_themes(&site.root);
    let run = site.check(&[]);
    run.assert_code(1);
    let diags = run.diags();
    for d in &diags {
        assert!(has_chinese(&d.message), "message in English: `{}`\n{}", d.message, run.describe());
        for hint in &d.hints {
            assert!(has_chinese(hint), "hint in English: `{hint}` of `{}`\n{}", d.message, run.describe());
        }
    }
    diags.into_iter().map(|d| d.message).collect()
}

/// Each `needle` is in one of `messages`.
fn assert_found(messages: &[String], needles: &[&str]) {
    for needle in needles {
        assert!(messages.iter().any(|m| m.contains(needle)), "no `{needle}` in {messages:#?}");
    }
}

#[test]
fn shortcode_and_snippet_problems_are_reported_in_chinese() {
    let messages = all_in_chinese(|site| {
        site.write("data/bench.yaml", "days: 60\n");
        site.write("templates/shortcodes/ping.html", "{# args: n? #}ping {% raw %}{{ pong() }}{% endraw %}");
        site.write("templates/shortcodes/pong.html", "pong {% raw %}{{ ping() }}{% endraw %}");
        site.write("templates/shortcodes/bad.html", "{# args: x:colour #}bad");
        site.write("snippets/loop.md", "又见 {{ snippet(name=\"loop\") }}。\n");
        site.write(
            "content/calls.md",
            "---\ntitle: 调用\ndescription: 各种调用。\n---\n\n\
             甲 {{ fakt(key=\"bench.days\") }}。\n\n\
             乙 {{ fact(key=\"bench.dayz\") }}。\n\n\
             丙 {{ fact(key=\"bench.days\", lang=\"en\") }}。\n\n\
             丁 {{ start() }}。\n\n\
             戊 {{ fact(key=bench.days) }}。\n\n\
             己 {{ fact(key=“bench.days”) }}。\n\n\
             庚 {{ snippet(name=\"nowhere\") }}。\n\n\
             辛 {{ snippet() }}。\n\n\
             壬 {{ ping() }}。\n\n\
             癸 {{ snippet(name=\"loop\") }}。\n\n\
             子 {{ fact(key=\"bench.days\" }}。\n\n\
             {% end %}\n\n\
             {% details(summary=\"更多\") %}\n没有结束\n",
        );
    });
    assert_found(
        &messages,
        &[
            "未知的短代码 `fakt`",
            "未知的数据键 `bench.dayz`",
            "短代码 `fact` 没有参数 `lang`",
            "短代码 `start` 需要参数 `url`",
            "`key` 的值既不是加引号的文字",
            "`key` 的值用了全角引号",
            "未知的片段 `nowhere`",
            "`snippet` 需要 `name`",
            "`ping` 调用了自身",
            "片段 `loop` 调用了自身",
            "短代码的参数声明有误",
        ],
    );
}

#[test]
fn data_file_problems_are_reported_in_chinese() {
    let messages = all_in_chinese(|site| {
        site.write("data/offices.yaml", "hall:\n  name: 大厅\n  phone: 12345\n  fax: 1\nstation: 车站\n");
        site.write("data/offices.schema.yaml", "each:\n  name: text\n  phone: text\n  hours: text\n");
        site.write("data/rows.csv", "name,phone\n大厅,1,2\n");
        site.write("data/broken.json", "{\"a\": 1,}\n");
        site.write("data/kinds.yaml", "a: 1\n");
        site.write("data/kinds.schema.yaml", "fields:\n  a: colour\n");
        site.write("content/page.md", "---\ntitle: 页面\ndescription: 一页。\n---\n\n正文。\n");
    });
    assert_found(
        &messages,
        &[
            "`offices.hall.phone` 是数字",
            "`offices.hall` 缺少 `hours`",
            "schema 中没有 `offices.hall.fax`",
            "`offices.station` 是文字",
            "CSV 数据文件有误",
            "JSON 数据文件有误",
            "数据 schema 中 `a` 的类型 `colour` 未知",
        ],
    );
}

#[test]
fn image_problems_are_reported_in_chinese() {
    let messages = all_in_chinese(|site| {
        site.write(
            "site.yaml",
            "title: 测试\nbase_url: https://example.gov.cn/\nlanguage: zh-CN\nimages:\n  page_budget_kb: 1\n",
        );
        site.write("content/maps/notes.png", "不是图片");
        site.write_bytes("content/maps/big.png", &common::png(300, 300, 7));
        site.write(
            "content/maps/index.md",
            "---\ntitle: 地图\ndescription: 地图。\n---\n\n![笔记](notes.png)\n\n![大图](big.png)\n",
        );
    });
    assert_found(&messages, &["无法读取图片 `notes.png`：文件不是 Signpost 能读取的图片"]);
}

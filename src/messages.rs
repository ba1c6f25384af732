//! The message catalogues: editor-facing messages and hints (front matter and YAML, links,
//! editorial checks) in English and Simplified Chinese. The site's default language picks
//! the catalogue when problems are printed; English stays the default for any site whose
//! language is not Chinese.
//!
//! Messages are made in English where the problem is found (tests, the JSON format and the
//! code all read one language), and [`localize`] turns them into the site's language as they
//! are printed (`Diagnostics::localized`), by matching each against the English patterns of
//! [`CATALOGUE`]. A small typed
//! table rather than a crate such as `fluent`: two languages and a few dozen short messages,
//! no plural rules Chinese needs, and no translation files to ship beside the binary or to
//! fall out of step with the code; `catalogue_patterns_match_the_messages_made` below keeps
//! the patterns and the code together. A message with no entry is printed in English.

use std::borrow::Cow;

/// A language of the catalogues.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Simplified Chinese (`zh-CN`, and any other `zh` code).
    Zh,
}

impl Lang {
    /// The catalogue for a site whose default language is `code` (BCP 47).
    pub fn for_code(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        if primary.eq_ignore_ascii_case("zh") { Lang::Zh } else { Lang::En }
    }
}

/// (English pattern, Chinese text). In a pattern `{}` stands for any text; in the Chinese
/// text `{0}`, `{1}`, … put that text back, itself translated when it is a message of the
/// catalogue (``item 1 of `aliases` ``, `a draft`). Longer, more specific patterns first.
pub const CATALOGUE: &[(&str, &str)] = &[
    // Front matter slips (`yaml::Slip`).
    ("full-width colon `：` after `{}`", "`{0}` 后面是全角冒号“：”"),
    ("type an ASCII colon and a space instead: `{}`", "请改用半角冒号加空格：`{0}`"),
    ("this line is indented with a tab", "这一行用制表符（Tab）缩进"),
    (
        "indent with spaces only: replace the tab (shown as `--->`) with two spaces",
        "缩进只能用空格：请把制表符（显示为 `--->`）换成两个空格",
    ),
    ("the value of `{}` holds `: ` but is not in quotes", "`{0}` 的值里有“: ”，却没有加引号"),
    ("put the value in quotes: `{}`", "请用英文双引号把值括起来：`{0}`"),
    // Values of the wrong kind (`yaml::Mismatch`).
    ("{} must be `true` or `false`, not {}", "{0} 只能写 `true`（是）或 `false`（否），不能写 {1}"),
    ("write `{}: true` or `{}: false`", "请写 `{0}: true` 或 `{1}: false`"),
    ("{} must be text, not {}", "{0} 应是一段文字，不能是 {1}"),
    ("put it in quotes: `{}`", "请加上英文双引号：`{0}`"),
    (
        "write each item of `{}` as one line of text, like `- first` and `- second`",
        "`{0}` 的每一项写成一行文字，例如 `- 第一项`、`- 第二项`",
    ),
    (
        "write the text on the line of `{}:`; put text that holds `: `, or starts with `[`, `{` or `- `, in quotes",
        "请把文字写在 `{0}:` 同一行；含有“: ”或以 `[`、`{`、`- ` 开头的文字要加英文双引号",
    ),
    ("{} must be a whole number, not {}", "{0} 应是整数，不能是 {1}"),
    ("write digits only, like `{}: 10`", "只写数字，例如 `{0}: 10`"),
    ("{} must be a list, not {}", "{0} 应是列表，不能是 {1}"),
    (
        "write it like `{}: [first, second]`, or as `- item` lines under it",
        "请写成 `{0}: [第一项, 第二项]`，或在下面逐行写 `- 项目`",
    ),
    ("{} must be `name: value` pairs, not {}", "{0} 应是若干行“名称: 值”，不能是 {1}"),
    ("write them indented under it, one `name: value` per line", "请在它下面缩进，每行写一个“名称: 值”"),
    ("{} has a value of the wrong kind: {}", "{0} 的值类型不对：{1}"),
    ("{} has no `{}`", "{0} 缺少 `{1}`"),
    ("add `{}: …` to it", "请加上 `{0}: …`"),
    ("item {} of `{}`", "`{1}` 的第 {0} 项"),
    ("`{}` of item {} of `{}`", "`{2}` 第 {1} 项的 `{0}`"),
    ("a list", "列表"),
    ("`name: value` pairs", "“名称: 值”"),
    ("nothing", "空值"),
    // Other front matter problems.
    ("unknown front matter key `{}`", "未知的 front matter 键 `{0}`"),
    ("did you mean `{}`?", "是不是想写 `{0}`？"),
    (
        "put custom data under `extra:` so that templates can use it",
        "自定义数据请放在 `extra:` 下面，模板可以读取",
    ),
    ("`title` is empty", "`title`（标题）是空的"),
    (
        "write the page's title, like `title: Renew your identity card`",
        "请写上页面标题，例如 `title: 办理居住证`",
    ),
    ("missing `title` in front matter", "front matter 缺少 `title`（标题）"),
    (
        "add a line like `title: Renew your identity card` between the `---` fences",
        "请在两行 `---` 之间加一行，例如 `title: 办理居住证`",
    ),
    ("`{}` is not a valid date: `{}`", "`{0}` 不是有效日期：`{1}`"),
    (
        "write dates as YYYY-MM-DD, like `2026-05-01`, or as `2026-05-01T09:00:00+08:00`",
        "日期请写成“年-月-日”，例如 `2026-05-01`，或 `2026-05-01T09:00:00+08:00`",
    ),
    ("`{}` must be a list of terms", "`{0}` 应是词语列表"),
    ("write it like `{}: [renewal, online-services]`", "请写成 `{0}: [换领, 网上办理]`"),
    ("`{}` is not a valid name here", "这里不能用名称 `{0}`"),
    ("`{}` is not a valid value here", "这里不能用值 `{0}`"),
    ("expected one of: {}", "可以写：{0}"),
    ("front matter must be `key: value` lines", "front matter 应由“键: 值”行组成"),
    (
        "write one `key: value` per line between the `---` fences, like `title: Renew your card`",
        "请在两行 `---` 之间每行写一个“键: 值”，例如 `title: 办理居住证`",
    ),
    ("front matter cannot be read here: {}", "这里的 front matter 无法读取：{0}"),
    ("a list in `[` … `]` is not closed", "`[` … `]` 列表没有闭合"),
    (
        "close it on the same line with `]`, with a comma between items",
        "请在同一行用 `]` 结束列表，各项之间用逗号分隔",
    ),
    ("a quote is not closed", "引号没有闭合"),
    ("end the text with the same quote mark it starts with", "文字结尾要用与开头相同的引号"),
    ("this value starts with a character that YAML reserves", "这个值以 YAML 的保留字符开头"),
    ("put the value in quotes", "请给值加上英文双引号"),
    ("a key is written twice", "同一个键写了两次"),
    ("keep one of the two lines", "请只保留其中一行"),
    ("this line is indented as if it belonged to the line above", "这一行有缩进，像是属于上一行"),
    (
        "start top-level keys at the beginning of the line; indent only what belongs to a key",
        "顶层的键要从行首写起；只有属于某个键的内容才缩进",
    ),
    ("a `- item` line is not where a list can start", "这里不能开始 `- 项目` 列表"),
    ("start the list on the line after `key:`", "列表要从 `键:` 的下一行开始"),
    ("this line is not a `key: value` line", "这一行不是“键: 值”的格式"),
    (
        "write one `key: value` per line; put text with `: ` or ` #` in quotes",
        "每行写一个“键: 值”；含有“: ”或“ #”的文字要加英文双引号",
    ),
    ("`{}` is still a placeholder: `{}`", "`{0}` 还是占位文字：`{1}`"),
    ("write one sentence on what the page helps people do", "请用一句话写明本页帮助读者办成什么事"),
    ("name the team that answers for the page", "请写明负责本页的部门"),
    ("`{}` is only used by `kind: {}` pages", "`{0}` 只用于 `kind: {1}` 的页面"),
    ("set `kind: {}` or remove `{}`", "请设为 `kind: {0}`，或删除 `{1}`"),
    // Links.
    ("broken link to `{}`", "链接目标不存在：`{0}`"),
    ("link to `{}`, which is {}", "链接到 `{0}`，但它{1}"),
    (
        "publish the target first, or remove the link until it is published",
        "请先发布目标页面，或在它发布前删除这个链接",
    ),
    ("broken anchor `#{}` in link to `{}`", "链接 `{1}` 中的锚点 `#{0}` 不存在"),
    (
        "`{}` has no heading with that id; did you mean `#{}`?",
        "`{0}` 没有这个 id 的标题；是不是想写 `#{1}`？",
    ),
    ("`{}` has no headings to link to", "`{0}` 没有可以链接的标题"),
    ("`{}` has no heading with that id; its headings are {}", "`{0}` 没有这个 id 的标题；它的标题有 {1}"),
    ("link `{}` points outside `content/`", "链接 `{0}` 指向 `content/` 之外"),
    ("remove some `../` so that the path stays inside the site", "请去掉多余的 `../`，让路径留在站点之内"),
    ("`related` entry `{}` is not a page", "`related` 中的 `{0}` 不是页面"),
    (
        "list pages by their content path, like `faq/lost-card.md`",
        "请用页面在 content/ 下的路径，例如 `faq/lost-card.md`",
    ),
    ("did you mean `{}`? It is {}, so it is not published yet", "是不是想写 `{0}`？它{1}，所以还没有发布"),
    (
        "list pages by their path under `content/`, like `faq/lost-card.md`",
        "请用页面在 `content/` 下的路径，例如 `faq/lost-card.md`",
    ),
    (
        "there is no file `content/{}`: add it there (or in `static/`), or correct the path",
        "没有文件 `content/{0}`：请把它放到那里（或 `static/` 中），或改正路径",
    ),
    (
        "link to a Markdown file in `content/`, like `../faq/lost-card.md`",
        "请链接到 `content/` 中的 Markdown 文件，例如 `../faq/lost-card.md`",
    ),
    ("a draft", "是草稿"),
    ("not yet published (`publish_at` is in the future)", "尚未发布（`publish_at` 还没到）"),
    ("expired (`expire_at` has passed)", "已过期（`expire_at` 已过）"),
    // Editorial checks.
    ("image `{}` has no alt text", "图片 `{0}` 没有替代文字"),
    (
        "say what the image shows in the brackets, like `![Map of the service hall](map.png)`",
        "请在方括号里写明图片内容，例如 `![办事大厅平面图](map.png)`",
    ),
    ("link to `{}` has no text", "指向 `{0}` 的链接没有文字"),
    (
        "write where the link goes in the brackets, like `[how to renew](renew.md)`",
        "请在方括号里写明链接去向，例如 `[如何换领](renew.md)`",
    ),
    ("link text `{}` does not say where the link goes", "链接文字 `{0}` 没有说明链接去向"),
    (
        "use the title of the page it opens, like `[how to renew your card](renew.md)`: screen readers list links by their text",
        "请用目标页面的标题，例如 `[如何换领身份证](renew.md)`：读屏软件按链接文字列出链接",
    ),
    ("the page's description is empty", "页面的 `description`（描述）是空的"),
    (
        "add `description:` with one sentence on what the page helps people do; listings and search engines show it",
        "请在 `description:` 写一句话，说明本页帮助读者办成什么事；列表和搜索引擎会显示它",
    ),
    ("this steps page has no steps", "这个步骤页没有步骤"),
    (
        "write each step as a `## ` heading, or as an ordered list",
        "请把每一步写成 `## ` 标题，或写成有序列表",
    ),
    ("this FAQ page has no questions", "这个问答页没有问题"),
    (
        "write each question as a `## ` heading with its answer below",
        "请把每个问题写成 `## ` 标题，答案写在下面",
    ),
    ("heading `{}` skips from level {} to level {}", "标题 `{0}` 从第 {1} 级跳到了第 {2} 级"),
    ("use `{}` here, so that the headings nest one level at a time", "这里请用 `{0}`，让标题逐级嵌套"),
    // Shortcode calls (`shortcodes::syntax`, `shortcodes::expand`).
    ("`{% end %}` without a shortcode to end", "`{% end %}` 前面没有要结束的短代码"),
    (
        "remove it, or open a block with `{% name(...) %}` before it",
        "请删除它，或在它前面用 `{% name(...) %}` 开始一个块",
    ),
    ("`{% {}(...) %}` is never closed", "`{% {0}(...) %}` 没有结束"),
    ("end its body with `{% end %}` on a line of its own", "请在单独一行写 `{% end %}` 结束它的内容"),
    ("shortcode call `{}` is not closed with `{}`", "短代码调用 `{0}` 没有用 `{1}` 结束"),
    ("write it as `{}`", "请写成 `{0}`"),
    ("expected an argument name or `)` in a shortcode call", "短代码调用中这里应是参数名或 `)`"),
    ("arguments are written `name=\"value\"`, separated by commas", "参数写成 `name=\"value\"`，用逗号分隔"),
    ("expected `=` after argument `{}`", "参数 `{0}` 后面应是 `=`"),
    ("write `{}=\"value\"`", "请写成 `{0}=\"value\"`"),
    ("write `{}=\"…\"`", "请写成 `{0}=\"…\"`"),
    ("expected `,` or `)` after an argument", "参数后面应是 `,` 或 `)`"),
    (
        "separate arguments with commas: `name=\"a\", other=\"b\"`",
        "参数之间用逗号分隔：`name=\"a\", other=\"b\"`",
    ),
    ("full-width quote in the value of `{}`", "`{0}` 的值用了全角引号"),
    (
        "type ASCII quotes `\"…\"` around the value (an input method may have changed them)",
        "请在值的两边用英文双引号 `\"…\"`（输入法可能把它们换成了全角引号）",
    ),
    (
        "the value of `{}` is neither quoted text, a number nor true/false",
        "`{0}` 的值既不是加引号的文字，也不是数字或 true/false",
    ),
    ("put text in quotes: `{}`", "文字请加英文双引号：`{0}`"),
    ("text opened with {} is never closed", "以 {0} 开头的文字没有结束"),
    ("close it with {} on the same line", "请在同一行用 {0} 结束"),
    ("in a snippet included by `{}`", "出现在 `{0}` 引入的片段中"),
    ("{} calls itself: {}", "{0} 调用了自身：{1}"),
    ("snippet `{}`", "片段 `{0}`"),
    (
        "a shortcode or snippet must not call itself, directly or through another one",
        "短代码或片段不能直接或经由其他短代码、片段调用自身",
    ),
    ("unknown shortcode `{}`", "未知的短代码 `{0}`"),
    (
        "shortcodes are the templates in `templates/shortcodes/`; there are: {}",
        "短代码就是 `templates/shortcodes/` 中的模板；现有：{0}",
    ),
    ("called at {}", "调用位置：{0}"),
    (
        "a snippet call takes its name alone: `{{ snippet(name=\"where-to-apply\") }}`",
        "引入片段只写名称：`{{ snippet(name=\"where-to-apply\") }}`",
    ),
    ("unknown argument `{}` of `snippet`", "`snippet` 没有参数 `{0}`"),
    ("`snippet` needs a `name`", "`snippet` 需要 `name`"),
    (
        "name the snippet: `{{ snippet(name=\"where-to-apply\") }}` for `snippets/where-to-apply.md`",
        "请写明片段名称：`snippets/where-to-apply.md` 写作 `{{ snippet(name=\"where-to-apply\") }}`",
    ),
    ("add `snippets/{}.md`", "请添加 `snippets/{0}.md`"),
    ("unknown snippet `{}`", "未知的片段 `{0}`"),
    ("unknown argument `{}` of shortcode `{}`", "短代码 `{1}` 没有参数 `{0}`"),
    ("shortcode `{}` needs `{}`", "短代码 `{0}` 需要参数 `{1}`"),
    ("`{}` takes {}", "`{0}` 的参数：{1}"),
    ("no arguments", "没有参数"),
    ("`{}` must be quoted text", "`{0}` 应是加引号的文字"),
    ("unknown data key `{}`", "未知的数据键 `{0}`"),
    (
        "there are no data files: add one in `data/`, such as `data/renewal.yaml`",
        "还没有数据文件：请在 `data/` 中添加，例如 `data/renewal.yaml`",
    ),
    ("the data holds {}", "数据中有：{0}"),
    ("no document `{}` beside the page", "页面旁边没有文件 `{0}`"),
    (
        "put the file at `content/{}`, or correct the path (it is read from the page's folder)",
        "请把文件放在 `content/{0}`，或改正路径（路径从页面所在的文件夹算起）",
    ),
    // Shortcode templates and snippets (`shortcodes`).
    ("invalid shortcode arguments: {}", "短代码的参数声明有误：{0}"),
    ("unknown argument kind `{}` for `{}`", "`{1}` 的参数类型 `{0}` 未知"),
    ("`{}` is not an argument name", "`{0}` 不是参数名"),
    (
        "declare them as `{# args: name, key@, office@offices, file:file, title? #}`",
        "请写成 `{# args: name, key@, office@offices, file:file, title? #}`",
    ),
    ("cannot read snippet: {}", "无法读取片段：{0}"),
    ("snippets must be UTF-8 Markdown", "片段必须是 UTF-8 编码的 Markdown"),
    // Images on a page (`shortcodes::files`, `media`).
    ("cannot read image `{}`: {}", "无法读取图片 `{0}`：{1}"),
    (
        "the file is not an image Signpost can read (PNG, JPEG, GIF, WebP, SVG…), or it is cut short",
        "文件不是 Signpost 能读取的图片（PNG、JPEG、GIF、WebP、SVG…），或者不完整",
    ),
    ("cannot read the image: {}", "无法读取图片：{0}"),
    (
        "export it again as PNG, JPEG or WebP, or correct the link",
        "请重新导出为 PNG、JPEG 或 WebP，或改正链接",
    ),
    (
        "the page's images weigh {}, more than the {} KB `images.page_budget_kb` allows",
        "本页图片共 {0}，超过了 `images.page_budget_kb` 允许的 {1} KB",
    ),
    (
        "make the images smaller (fewer pixels, or WebP), or spread them over more pages",
        "请把图片改小（减少像素，或改用 WebP），或分到更多页面上",
    ),
    ("cannot make a {}px copy of this image: {}", "无法生成这张图片 {0}px 宽的副本：{1}"),
    (
        "the file may be damaged or cut short: export it again as PNG, JPEG or WebP",
        "文件可能已损坏或不完整：请重新导出为 PNG、JPEG 或 WebP",
    ),
    // Data files and their schemas (`data`).
    (
        "data file is {} MB, more than the {} MB a data file may have",
        "数据文件有 {0} MB，超过了每个数据文件 {1} MB 的上限",
    ),
    (
        "split it into smaller files, or publish it as a download from `static/`",
        "请拆成几个较小的文件，或放在 `static/` 中作为下载文件发布",
    ),
    ("cannot read data file: {}", "无法读取数据文件：{0}"),
    ("data files must be UTF-8 text", "数据文件必须是 UTF-8 编码的文本"),
    ("invalid data file: {}", "数据文件有误：{0}"),
    ("invalid JSON data file: {}", "JSON 数据文件有误：{0}"),
    ("check the commas and quotes near here", "请检查这里附近的逗号和引号"),
    ("invalid CSV data file: {}", "CSV 数据文件有误：{0}"),
    ("every row needs as many fields as the header row", "每一行的字段数都要与表头行相同"),
    ("a row of {} fields where the header has {}", "这一行有 {0} 个字段，表头有 {1} 个"),
    ("data name `{}` is given twice", "数据名称 `{0}` 重复了"),
    (
        "rename one of the files: `data/NAME.yaml`, `data/NAME.json` and `data/NAME/` share a name",
        "请给其中一个改名：`data/NAME.yaml`、`data/NAME.json` 和 `data/NAME/` 同名",
    ),
    ("cannot read schema: {}", "无法读取数据的 schema：{0}"),
    ("invalid data schema: {}", "数据的 schema 有误：{0}"),
    (
        "a schema has `fields:` and `each:`, each mapping a key to a kind such as `text` or `number?`",
        "schema 由 `fields:` 和 `each:` 组成，各自把键对应到一种类型，例如 `text` 或 `number?`",
    ),
    ("unknown kind `{}` for `{}` in a data schema", "数据 schema 中 `{1}` 的类型 `{0}` 未知"),
    ("kinds are {}; add `?` when it may be left out", "类型有：{0}；可以不写的字段加 `?`"),
    ("`{}` is {}, where the schema asks for a map", "`{0}` 是{1}，schema 要求是“名称: 值”"),
    ("`{}` is {}, where the schema asks for {}", "`{0}` 是{1}，schema 要求是 {2}"),
    ("`{}` lists the fields each entry must have", "`{0}` 列出了每一项必须有的字段"),
    ("add `{}:` ({}), which `{}` asks for", "请加上 `{0}:`（{1}），这是 `{2}` 要求的"),
    ("`{}` gives `{}` the kind `{}`", "`{0}` 规定 `{1}` 的类型是 `{2}`"),
    ("add `{}` to `{}` if it belongs there", "如果确实需要 `{0}`，请把它加到 `{1}` 中"),
    ("`{}` is not in the schema", "schema 中没有 `{0}`"),
    ("a bool", "布尔值"),
    ("a number", "数字"),
    ("a text", "文字"),
    ("a map", "“名称: 值”"),
    ("empty", "空值"),
    // The report's own lines.
    ("the site has {}, {}", "站点有 {0}、{1}"),
    ("the site has {}", "站点有 {0}"),
    ("1 error", "1 个错误"),
    ("{} errors", "{0} 个错误"),
    ("1 warning", "1 个警告"),
    ("{} warnings", "{0} 个警告"),
    ("1 file", "1 个文件"),
    ("{} files", "{0} 个文件"),
    (
        "{} more {} like \"{}\" not shown (`--max-diagnostics 0` shows all)",
        "另有 {0} 个类似“{2}”的{1}未显示（`--max-diagnostics 0` 显示全部）",
    ),
    ("error", "错误"),
    ("errors", "错误"),
    ("warning", "警告"),
    ("warnings", "警告"),
    ("unknown front matter keys, each shown once above:", "未知的 front matter 键（上面每个只显示一次）："),
    ("first at {}", "首次出现于 {0}"),
    (
        "if templates read them, list them in site.yaml: `allow_keys: [{}]`",
        "如果模板要读取它们，请在 site.yaml 中列出：`allow_keys: [{0}]`",
    ),
];

/// `text` in `lang`: the Chinese of its catalogue entry, or `text` itself (English, or a
/// message the catalogue does not hold).
pub fn translate(text: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(text);
    }
    for (pattern, zh) in CATALOGUE {
        if let Some(parts) = matches(pattern, text) {
            return Cow::Owned(fill(zh, &parts, lang));
        }
    }
    Cow::Borrowed(text)
}

/// The texts standing for the `{}` of `pattern` in `text`, if `text` is that pattern.
/// Each `{}` takes the shortest text that lets the rest match from left to right.
fn matches<'t>(pattern: &str, text: &'t str) -> Option<Vec<&'t str>> {
    let literals: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut at = text.strip_prefix(first).map(|_| first.len())?;
    // A pattern without parts is the whole text, not the start of a longer one ("empty" is
    // not "empty column: …").
    if rest.is_empty() && at != text.len() {
        return None;
    }
    let mut parts = Vec::new();
    for (i, literal) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let found = if last {
            text[at..].strip_suffix(literal).map(|head| head.len())
        } else if literal.is_empty() {
            None
        } else {
            text[at..].find(literal)
        }?;
        // Every `{}` stands for some text.
        if found == 0 {
            return None;
        }
        parts.push(&text[at..at + found]);
        at += found + literal.len();
    }
    Some(parts)
}

/// `zh` with `{0}`, `{1}`, … replaced by `parts`, each translated when it is a message too.
/// The spaces that set code apart from Chinese are dropped where a translated part puts
/// Chinese on both sides of one.
fn fill(zh: &str, parts: &[&str], lang: Lang) -> String {
    let mut out = zh.to_string();
    for (i, part) in parts.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &translate(part, lang));
    }
    let chars: Vec<char> = out.chars().collect();
    let cjk =
        |c: Option<&char>| c.is_some_and(|&c| matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'));
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == ' ' && i > 0 && cjk(chars.get(i - 1)) && cjk(chars.get(i + 1))))
        .map(|(_, &c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_sites_get_the_chinese_catalogue() {
        assert_eq!(Lang::for_code("zh-CN"), Lang::Zh);
        assert_eq!(Lang::for_code("zh_Hans"), Lang::Zh);
        assert_eq!(Lang::for_code("en"), Lang::En);
        assert_eq!(Lang::for_code("fr"), Lang::En);
    }

    #[test]
    fn patterns_fill_in_their_parts_translated() {
        let zh = |text: &str| translate(text, Lang::Zh).into_owned();
        assert_eq!(
            zh("`draft` must be `true` or `false`, not `ture`"),
            "`draft` 只能写 `true`（是）或 `false`（否），不能写 `ture`"
        );
        assert_eq!(
            zh("item 2 of `aliases` must be text, not a list"),
            "`aliases` 的第 2 项应是一段文字，不能是列表"
        );
        assert_eq!(zh("link to `faq/lost.md`, which is a draft"), "链接到 `faq/lost.md`，但它是草稿");
        assert_eq!(
            zh("broken anchor `#article-9` in link to `law.md#article-9`"),
            "链接 `law.md#article-9` 中的锚点 `#article-9` 不存在"
        );
        assert_eq!(zh("something new"), "something new", "no entry: English");
        assert_eq!(zh("empty"), "空值");
        assert_eq!(
            zh("empty column: “News” has no published page"),
            "empty column: “News” has no published page",
            "an entry without parts matches the whole text only"
        );
        assert_eq!(
            translate("`draft` must be `true` or `false`, not `ture`", Lang::En),
            "`draft` must be `true` or `false`, not `ture`"
        );
    }

    #[test]
    fn every_chinese_text_uses_exactly_the_parts_of_its_pattern() {
        for (pattern, zh) in CATALOGUE {
            let holes = pattern.matches("{}").count();
            for i in 0..holes {
                assert!(zh.contains(&format!("{{{i}}}")), "`{zh}` leaves out part {i} of `{pattern}`");
            }
            assert!(!zh.contains(&format!("{{{holes}}}")), "`{zh}` has more parts than `{pattern}`");
            assert!(!pattern.contains("{}{}"), "`{pattern}`: two parts side by side cannot be told apart");
        }
    }

    #[test]
    fn catalogue_patterns_match_the_messages_made() {
        // Messages as the code makes them: each must find its own entry.
        let made = [
            crate::yaml::mismatch("invalid type: sequence, expected a string")
                .map(|m| m.describe("aliases[0]").0)
                .unwrap_or_default(),
            crate::content::Excluded::Future.describe().to_string(),
        ];
        for text in made {
            assert_ne!(translate(&text, Lang::Zh), text, "no entry for `{text}`");
        }
    }
}

//! Column freshness, as the government website inspection counts it (see
//! `docs/government.md`): columns past their update window, empty columns, pages without a
//! date, and the veto thresholds those counts must stay under.
//!
//! [`columns`] is the computation (the content-status report calls it too); [`check`] turns
//! it into diagnostics, worded in each page's language, for sites with a `gov:` block.

use chrono::{Days, NaiveDate};

use crate::config::Config;
use crate::content::{Page, SectionId, Site};
use crate::diagnostics::{Diagnostic, Location};
use crate::front_matter::Status;
use crate::guidance::gov::{ColumnType, is_chinese};

/// The inspection's veto thresholds (2019 indicators, "columns not updated"): a site fails
/// when any count reaches its threshold.
pub mod veto {
    /// News, notice and policy columns past their window.
    pub const NAMED_STALE: usize = 5;
    /// Columns of any class past their window.
    pub const ANY_STALE: usize = 10;
    /// Empty columns.
    pub const EMPTY: usize = 5;
}

/// How fresh one column (a section other than a home page) is on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnStatus {
    /// The section.
    pub section: SectionId,
    /// Its class (`column.type`, default `other`).
    pub column_type: ColumnType,
    /// Its update window in days, if it has one.
    pub window_days: Option<u32>,
    /// Published, live pages in it and in its subsections.
    pub pages: usize,
    /// The latest `date`/`updated` of those pages.
    pub last_updated: Option<NaiveDate>,
    /// Past its window: it had to be updated by this day (`None` when stale because none of
    /// its pages has a date).
    pub stale_since: Option<NaiveDate>,
    /// Past its window (or with a window and no dated page).
    pub stale: bool,
    /// No published page in it or below it (空白栏目).
    pub empty: bool,
}

/// The day a page was last published or updated: the later of `date` and `updated`.
pub fn page_day(page: &Page) -> Option<NaiveDate> {
    let meta = &page.meta;
    [&meta.date, &meta.updated].into_iter().flatten().map(|d| d.date).max()
}

/// Whether a page counts for freshness: published, not withdrawn or gone.
fn is_live(page: &Page) -> bool {
    page.meta.status == Status::Published && !page.meta.draft
}

/// Every column of `site` (in section order) as it stands on `today`.
pub fn columns(site: &Site, today: NaiveDate) -> Vec<ColumnStatus> {
    (0..site.sections.len())
        .filter(|&s| site.sections[s].parent.is_some())
        .map(|s| column_status(site, s, today))
        .collect()
}

fn column_status(site: &Site, s: SectionId, today: NaiveDate) -> ColumnStatus {
    let column = site.sections[s].meta.column.clone().unwrap_or_default();
    let window_days = column.window();
    let mut pages = 0;
    let mut last_updated = None;
    let mut stack = vec![s];
    while let Some(id) = stack.pop() {
        let section = &site.sections[id];
        stack.extend(&section.subsections);
        for page in section.pages.iter().map(|&p| &site.pages[p]).filter(|p| is_live(p)) {
            pages += 1;
            last_updated = last_updated.max(page_day(page));
        }
    }
    let due =
        window_days.zip(last_updated).and_then(|(days, last)| last.checked_add_days(Days::new(days.into())));
    let stale = pages > 0 && window_days.is_some() && due.is_none_or(|due| due < today);
    ColumnStatus {
        section: s,
        column_type: column.column_type,
        window_days,
        pages,
        last_updated,
        stale_since: due.filter(|_| stale),
        stale,
        empty: pages == 0,
    }
}

/// Where a section's problems are shown: its `column:` line, else its first line.
fn section_location(site: &Site, s: SectionId) -> Option<Location> {
    let source = site.sections[s].source.as_ref()?;
    let line = crate::front_matter::key_line(&source.text_for_messages(), "column").unwrap_or(1);
    Some(Location { file: source.display.clone(), line, column: 1, length: 1 })
}

/// The freshness diagnostics of a site with a `gov:` block (none without one): each stale or
/// empty column, each live page without a date, and each veto threshold reached (an error
/// with `strict`).
pub fn check(config: &Config, site: &Site, today: NaiveDate, strict: bool) -> Vec<Diagnostic> {
    if config.gov.is_none() {
        return Vec::new();
    }
    let statuses = columns(site, today);
    let mut out = Vec::new();
    for status in &statuses {
        let zh = is_chinese(&config.languages[site.sections[status.section].lang].code);
        let title = &site.sections[status.section].meta.title;
        let located = |d: Diagnostic| match section_location(site, status.section) {
            Some(at) => d.at(at),
            None => d,
        };
        if status.empty {
            out.push(located(empty_column(title, zh)));
        } else if status.stale {
            out.push(located(stale_column(status, title, zh)));
        }
    }
    for page in site.pages.iter().filter(|p| is_live(p) && page_day(p).is_none()) {
        out.push(undated(page, is_chinese(&config.languages[page.lang].code)));
    }
    for lang in 0..config.languages.len() {
        let mine: Vec<&ColumnStatus> =
            statuses.iter().filter(|c| site.sections[c.section].lang == lang).collect();
        out.extend(vetoes(config, &mine, is_chinese(&config.languages[lang].code), strict));
    }
    out
}

fn empty_column(title: &str, zh: bool) -> Diagnostic {
    if zh {
        Diagnostic::warning(format!("空白栏目：栏目“{title}”没有已发布的内容"))
            .with_hint("在本栏目发布内容，或删除这个栏目（检查指标把空白栏目计为不更新）")
    } else {
        Diagnostic::warning(format!("empty column: “{title}” has no published page"))
            .with_hint("publish a page in it or remove the column: the inspection counts empty columns")
    }
}

fn stale_column(status: &ColumnStatus, title: &str, zh: bool) -> Diagnostic {
    let days = status.window_days.unwrap_or_default();
    let zh_label = status.column_type.label_zh();
    let en_label = status.column_type.label_en();
    let message = match (zh, status.stale_since.zip(status.last_updated)) {
        (true, Some((since, last))) => {
            format!("栏目“{title}”（{zh_label}）超过{days}天未更新：最近更新于{last}，{since}起超期")
        }
        (true, None) => format!("栏目“{title}”（{zh_label}）的页面都没有发布日期，视为超过{days}天未更新"),
        (false, Some((since, last))) => format!(
            "column “{title}” ({en_label}) not updated within {days} days: stale since {since}, last updated {last}"
        ),
        (false, None) => format!(
            "column “{title}” ({en_label}) counts as not updated within {days} days: none of its pages has a date"
        ),
    };
    let hint = if zh {
        "发布或更新本栏目的内容并写明 `date`/`updated`；栏目类型有误的，在 `column:` 中改正 `type` 或设置 `fresh_days`"
    } else {
        "publish or update a page in it (with its `date`/`updated`), or correct `type` / set `fresh_days` under `column:`"
    };
    Diagnostic::warning(message).with_hint(hint)
}

fn undated(page: &Page, zh: bool) -> Diagnostic {
    let line = crate::front_matter::key_line(&page.source.text_for_messages(), "title").unwrap_or(1);
    let at = Location { file: page.source.display.clone(), line, column: 1, length: 5 };
    let d = if zh {
        Diagnostic::warning("页面没有发布日期：检查指标把没有可见发布日期的页面计为未更新")
            .with_hint("在 front matter 中加上发布日期，如 `date: 2026-12-01`")
    } else {
        Diagnostic::warning("page has no publication date: the inspection counts it as not updated")
            .with_hint("add its publication date to the front matter, like `date: 2026-12-01`")
    };
    d.at(at)
}

/// One diagnostic per veto threshold the columns of one language reach.
fn vetoes(config: &Config, columns: &[&ColumnStatus], zh: bool, strict: bool) -> Vec<Diagnostic> {
    let named = columns.iter().filter(|c| c.stale && c.column_type.is_named_by_veto()).count();
    let stale = columns.iter().filter(|c| c.stale).count();
    let empty = columns.iter().filter(|c| c.empty).count();
    let rules = [
        (
            named >= veto::NAMED_STALE,
            named,
            veto::NAMED_STALE,
            "个动态要闻、通知公告、政策文件类栏目未按期更新",
            "news, notice and policy columns not updated within their windows",
        ),
        (
            stale >= veto::ANY_STALE,
            stale,
            veto::ANY_STALE,
            "个应更新的栏目长期未更新",
            "columns not updated within their windows",
        ),
        (empty >= veto::EMPTY, empty, veto::EMPTY, "个空白栏目", "empty columns"),
    ];
    let at = gov_location(config);
    rules
        .into_iter()
        .filter(|rule| rule.0)
        .map(|(_, count, limit, what_zh, what_en)| {
            let message = if zh {
                format!("达到检查指标单项否决线：{count}{what_zh}（{limit}个及以上即判为不合格）")
            } else {
                format!("inspection veto reached: {count} {what_en} ({limit} or more fail the site)")
            };
            let d = if strict { Diagnostic::error(message) } else { Diagnostic::warning(message) };
            let hint = if zh {
                "先处理上面列出的各个栏目"
            } else {
                "deal with the columns listed above first"
            };
            let d = d.with_hint(hint);
            match &at {
                Some(at) => d.at(at.clone()),
                None => d,
            }
        })
        .collect()
}

/// The `gov:` line of `site.yaml`, where site-wide verdicts are shown.
fn gov_location(config: &Config) -> Option<Location> {
    let text = std::fs::read_to_string(config.root.join(crate::config::CONFIG_FILE)).ok()?;
    let line = text.lines().position(|l| l.starts_with("gov:"))? + 1;
    Some(Location { file: crate::config::CONFIG_FILE.into(), line, column: 1, length: 3 })
}

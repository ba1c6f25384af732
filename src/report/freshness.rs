//! The report's freshness section: each column against the update window of its own rule.
//!
//! The windows are the government inspection's, read by [`guidance::freshness::columns`]
//! from each section's `column:` settings (a news column two weeks, notice and policy
//! columns six months, service and other columns none); a section that sets no `column:`
//! falls back to the one window of `--stale-after`.

use chrono::{Days, NaiveDate};

use crate::config::Config;
use crate::content::Site;
use crate::guidance::freshness::{self, ColumnStatus};

use super::model::{Freshness, SectionFreshness};
use super::pages::iso;

/// Every column of `site` on `today`, the sections without a rule against `default_days`.
pub(super) fn freshness(config: &Config, site: &Site, today: NaiveDate, default_days: i64) -> Freshness {
    let mut rows: Vec<SectionFreshness> = freshness::columns(site, today)
        .into_iter()
        .map(|status| row(config, site, status, today, default_days))
        .collect();
    rows.sort_by(|a, b| {
        urgency(a).cmp(&urgency(b)).then_with(|| a.section.cmp(&b.section)).then_with(|| a.lang.cmp(&b.lang))
    });
    Freshness {
        default_window_days: default_days,
        stale: rows.iter().filter(|r| r.stale).count(),
        empty: rows.iter().filter(|r| r.empty).count(),
        sections: rows,
    }
}

/// One column's row: its own rule's figures as `columns` gave them, or the default window's.
fn row(
    config: &Config,
    site: &Site,
    status: ColumnStatus,
    today: NaiveDate,
    default_days: i64,
) -> SectionFreshness {
    let section = &site.sections[status.section];
    let rule = section.meta.column.is_some();
    let window = if rule { status.window_days.map(i64::from) } else { Some(default_days) };
    let due = window
        .zip(status.last_updated)
        .and_then(|(days, last)| last.checked_add_days(Days::new(u64::try_from(days).unwrap_or(0))));
    let stale = status.pages > 0 && window.is_some() && due.is_none_or(|due| due < today);
    SectionFreshness {
        section: if section.dir.is_empty() { "/".to_string() } else { section.dir.clone() },
        lang: config.languages.get(section.lang).map(|l| l.code.clone()).unwrap_or_default(),
        title: section.meta.title.clone(),
        rule: if rule { "column" } else { "default" }.to_string(),
        column_type: rule.then(|| status.column_type.as_str().to_string()),
        window_days: window,
        pages: status.pages,
        last_updated: status.last_updated.map(iso),
        days: status.last_updated.map(|d| (today - d).num_days()),
        stale_on: due.map(iso),
        stale,
        empty: status.empty,
    }
}

/// Sort key: stale columns first (undated ones, then the longest stale), then empty ones,
/// then the others by the day they go stale, those with no window last.
fn urgency(row: &SectionFreshness) -> (u8, Option<String>) {
    match (row.stale, row.empty, &row.stale_on) {
        (true, _, None) => (0, None),
        (true, _, due) => (1, due.clone()),
        (false, true, _) => (2, None),
        (false, false, Some(due)) => (3, Some(due.clone())),
        (false, false, None) => (4, None),
    }
}

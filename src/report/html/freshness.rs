//! The freshness section of the page: each column's last update against its own window, as
//! a timeline of stacked bars and as a table.

use std::fmt::Write as _;

use crate::text::escape_html as esc;

use super::super::charts::{Chart, Direction};
use super::super::model::{Report, SectionFreshness};
use super::{figure, figures, flag, open, series, table};

/// A column's name in charts: its folder, with its language on a site of several.
fn label(row: &SectionFreshness, languages: usize) -> String {
    if languages > 1 { format!("{} · {}", row.section, row.lang) } else { row.section.clone() }
}

/// Where a column's window comes from, in words (`news column: 14 days`).
fn rule(row: &SectionFreshness) -> String {
    let window = row.window_days.map_or_else(|| "no window".to_string(), |d| format!("{d} days"));
    match &row.column_type {
        Some(kind) => format!("{kind} column: {window}"),
        None => format!("default: {window}"),
    }
}

/// The state cell: stale (since when), empty, or fine.
fn state(row: &SectionFreshness) -> String {
    match (row.stale, row.empty, &row.stale_on) {
        (true, _, Some(day)) => {
            format!("<span class=\"flag\">stale since <span class=\"d\">{}</span></span>", esc(day))
        }
        (true, _, None) => flag(true, "stale: no page is dated"),
        (false, true, _) => flag(true, "empty"),
        (false, false, Some(day)) => format!("fresh until <span class=\"d\">{}</span>", esc(day)),
        (false, false, None) => "fresh (no window)".to_string(),
    }
}

/// The three pieces of a column's bar, in days: since its last update within the window,
/// left before it goes stale, and past the window.
fn pieces(row: &SectionFreshness) -> (u64, u64, u64) {
    // An empty or undated column has no day to start its bar from.
    let Some(days) = row.days.map(|d| d.max(0)) else { return (0, 0, 0) };
    match row.window_days {
        Some(window) if days > window => (window.max(0) as u64, 0, (days - window) as u64),
        Some(window) => (days as u64, (window - days) as u64, 0),
        None => (days as u64, 0, 0),
    }
}

/// The whole section.
pub(super) fn section(report: &Report) -> String {
    let f = &report.freshness;
    let mut out = open("freshness", "Freshness");
    out.push_str(&figures(&[
        (f.sections.len(), "columns", false),
        (f.stale, "stale columns", true),
        (f.empty, "empty columns", true),
    ]));
    let _ = writeln!(
        out,
        "<p>Each column (a section of <code>content/</code>, in each language) has the update window of its \
         <code>column:</code> settings: 14 days for news, 183 for notices and policy documents, none for service \
         guides and others, or its <code>fresh_days</code>. A section without <code>column:</code> settings has \
         the default window of {} days. A column is stale when its newest page is older than its window, or when \
         it has a window and no page is dated; an empty column has no published page.</p>",
        f.default_window_days
    );
    let rows: Vec<(u64, u64, u64)> = f.sections.iter().map(pieces).collect();
    let pick = |i: usize| rows.iter().map(|p| [p.0, p.1, p.2][i]).collect();
    out.push_str(&figure(&Chart {
        id: "chart-freshness".into(),
        title: "Each column's last update against its window".into(),
        desc: format!(
            "Timeline as stacked bars, one per column, starting at its last update: the days since then within \
             its window, the days left before it goes stale, and the days past its window. {} columns, {} stale, \
             {} empty (no bar); stale ones first. The table below gives the same figures.",
            f.sections.len(),
            f.stale,
            f.empty
        ),
        categories: f.sections.iter().map(|r| label(r, report.languages.len())).collect(),
        series: vec![
            series("days within the window", 0, pick(0)),
            series("days left in the window", 4, pick(1)),
            series("days past the window", 1, pick(2)),
        ],
        direction: Direction::Horizontal,
        unit: "days from the last update".into(),
    }));
    out.push_str(&freshness_table(&f.sections));
    out.push_str("</section>\n");
    out
}

/// Every column's rule and figures.
fn freshness_table(sections: &[SectionFreshness]) -> String {
    let rows = sections
        .iter()
        .map(|r| {
            let folder = if r.section == "/" { String::new() } else { format!("{}/", r.section) };
            vec![
                format!("{}<br><code>content/{}</code>", esc(&r.title), esc(&folder)),
                esc(&r.lang),
                esc(&rule(r)),
                r.pages.to_string(),
                esc(r.last_updated.as_deref().unwrap_or("never")),
                r.days.map_or_else(String::new, |d| d.to_string()),
                esc(r.stale_on.as_deref().unwrap_or("")),
                state(r),
            ]
        })
        .collect();
    table(
        "Columns and their update windows",
        &["Column", "Language", "Rule", "#Pages", "@Last updated", "#Days ago", "@Stale on", "State"],
        rows,
        sections.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(window: Option<i64>, days: Option<i64>, stale: bool, empty: bool) -> SectionFreshness {
        SectionFreshness {
            section: "news".into(),
            lang: "en".into(),
            title: "News".into(),
            rule: "column".into(),
            column_type: Some("news".into()),
            window_days: window,
            pages: usize::from(!empty),
            last_updated: days.map(|_| "2026-01-01".into()),
            days,
            stale_on: window.zip(days).map(|_| "2026-01-15".into()),
            stale,
            empty,
        }
    }

    #[test]
    fn bars_split_the_days_at_the_window() {
        assert_eq!(pieces(&row(Some(14), Some(20), true, false)), (14, 0, 6));
        assert_eq!(pieces(&row(Some(14), Some(5), false, false)), (5, 9, 0));
        assert_eq!(pieces(&row(None, Some(40), false, false)), (40, 0, 0));
        assert_eq!(pieces(&row(Some(14), None, false, true)), (0, 0, 0), "an empty column has no bar");
        assert_eq!(
            pieces(&row(Some(14), Some(-3), false, false)),
            (0, 14, 0),
            "a future date counts as today"
        );
    }

    #[test]
    fn rules_and_states_are_worded() {
        assert_eq!(rule(&row(Some(14), Some(20), true, false)), "news column: 14 days");
        let mut default = row(Some(180), Some(2), false, false);
        default.column_type = None;
        assert_eq!(rule(&default), "default: 180 days");
        assert_eq!(rule(&row(None, Some(2), false, false)), "news column: no window");
        assert!(state(&row(Some(14), Some(20), true, false)).contains("stale since"));
        assert_eq!(state(&row(Some(14), None, false, true)), "<span class=\"flag\">empty</span>");
        assert_eq!(state(&row(None, Some(2), false, false)), "fresh (no window)");
    }
}

//! Page lifecycle and kind rules: review dates, owners, fields that only one kind reads,
//! and guidance that cites law amended after the guidance was last updated.

use chrono::NaiveDate;

use crate::content::{Page, Site};
use crate::diagnostics::{Diagnostic, Location};
use crate::front_matter::{DateValue, FrontMatter, Kind};
use crate::links::Resolved;

/// How strict lifecycle checks are.
#[derive(Debug, Clone, Copy)]
pub struct ReviewPolicy {
    /// Today's date.
    pub today: NaiveDate,
    /// Overdue reviews are errors rather than warnings (`build --strict`).
    pub strict: bool,
}

/// A page whose review falls due soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReview {
    /// Content path.
    pub path: String,
    /// The `review_by` date.
    pub review_by: NaiveDate,
    /// The page's owner, if set.
    pub owner: Option<String>,
}

fn at(page: &Page, key: &str) -> Location {
    let line = crate::front_matter::key_line(&page.source.text_for_messages(), key).unwrap_or(1);
    Location { file: page.source.display.clone(), line, column: 1, length: key.chars().count().max(1) }
}

/// The description `signpost new` writes on English pages, reported until it is replaced.
pub const PLACEHOLDER_DESCRIPTION_EN: &str = "TODO: one sentence on what this page helps people do";
/// The owner `signpost new` writes on English FAQ pages.
pub const PLACEHOLDER_OWNER_EN: &str = "TODO: the team that answers these questions";
/// The description `signpost new` writes on Chinese pages ("description to be filled in").
pub const PLACEHOLDER_DESCRIPTION_ZH: &str = "描述待填写";
/// The owner `signpost new` writes on Chinese FAQ pages ("department to be filled in").
pub const PLACEHOLDER_OWNER_ZH: &str = "负责部门待填写";

/// Whether a value is a placeholder left to fill in: `TODO…` or `…待填写` ("to be filled in").
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    value.starts_with("TODO") || value.ends_with("待填写")
}

/// Warnings (errors with `--strict`) for placeholders still in the front matter.
fn placeholders(page: &Page, strict: bool) -> Vec<Diagnostic> {
    let meta = &page.meta;
    let fields = [
        (
            "description",
            Some(meta.description.as_str()),
            "write one sentence on what the page helps people do",
        ),
        ("owner", meta.owner.as_deref(), "name the team that answers for the page"),
    ];
    fields
        .into_iter()
        .filter_map(|(field, value, hint)| {
            let value = value.filter(|v| is_placeholder(v))?;
            let message = format!("`{field}` is still a placeholder: `{value}`");
            let d = if strict { Diagnostic::error(message) } else { Diagnostic::warning(message) };
            Some(d.at(at(page, field)).with_hint(hint))
        })
        .collect()
}

/// Fields that only one kind reads, with the kind.
fn kind_only_fields(meta: &FrontMatter) -> Vec<(&'static str, Kind)> {
    let mut fields = Vec::new();
    let steps = [
        ("time_required", meta.time_required.is_some()),
        ("cost", meta.cost.is_some()),
        ("you_need", !meta.you_need.is_empty()),
    ];
    for (name, set) in steps {
        if set && meta.kind != Kind::Steps {
            fields.push((name, Kind::Steps));
        }
    }
    let law = [
        ("law_title", meta.law_title.is_some()),
        ("enacted", meta.enacted.is_some()),
        ("amended", meta.amended.is_some()),
        ("source_url", meta.source_url.is_some()),
    ];
    for (name, set) in law {
        if set && meta.kind != Kind::Law {
            fields.push((name, Kind::Law));
        }
    }
    fields
}

/// Check every published page; returns diagnostics and the reviews due within `window_days`.
pub fn check(
    site: &Site,
    links: &Resolved,
    policy: ReviewPolicy,
    window_days: i64,
) -> (Vec<Diagnostic>, Vec<DueReview>) {
    let mut diagnostics = Vec::new();
    let mut due = Vec::new();
    for (id, page) in site.pages.iter().enumerate() {
        let meta = &page.meta;
        if meta.kind == Kind::Faq && meta.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
            // A draft may still lack its owner; publishing it without one is the error.
            let message = "FAQ pages need an `owner`";
            let d = if meta.draft { Diagnostic::warning(message) } else { Diagnostic::error(message) };
            // Point at an empty `owner:` line when there is one, else at `kind: faq`.
            let key = if meta.owner.is_some() { "owner" } else { "kind" };
            diagnostics.push(
                d.at(at(page, key))
                    .with_hint("add `owner: <the team that answers these questions>` to the front matter"),
            );
        }
        diagnostics.extend(placeholders(page, policy.strict));
        for (field, kind) in kind_only_fields(meta) {
            diagnostics.push(
                Diagnostic::warning(format!("`{field}` is only used by `kind: {}` pages", kind.as_str()))
                    .at(at(page, field))
                    .with_hint(format!("set `kind: {}` or remove `{field}`", kind.as_str())),
            );
        }
        if let Some(review) = &meta.review_by {
            let days = (review.date - policy.today).num_days();
            if days < 0 {
                let message = format!("review overdue since {} ({} days)", review.iso_date(), -days);
                let d = if policy.strict { Diagnostic::error(message) } else { Diagnostic::warning(message) };
                let owner = meta.owner.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
                diagnostics.push(d.at(at(page, "review_by")).with_hint(format!(
                    "ask the owner{owner} to review the page, then set `updated:` and a new `review_by:`"
                )));
            } else if days <= window_days {
                due.push(DueReview {
                    path: page.source.rel.clone(),
                    review_by: review.date,
                    owner: meta.owner.clone(),
                });
            }
        }
        check_citations(site, links, id, &mut diagnostics);
    }
    due.sort_by(|a, b| a.review_by.cmp(&b.review_by).then_with(|| a.path.cmp(&b.path)));
    (diagnostics, due)
}

/// Warn when guidance cites law amended after the guidance was last updated.
fn check_citations(site: &Site, links: &Resolved, id: usize, diagnostics: &mut Vec<Diagnostic>) {
    let page = &site.pages[id];
    let reference: Option<&DateValue> = page.meta.updated.as_ref().or(page.meta.date.as_ref());
    let mut warned = Vec::new();
    for (law, _) in &links.cites[id] {
        let law_page = &site.pages[*law];
        let (Some(amended), Some(reference)) = (&law_page.meta.amended, reference) else { continue };
        if amended.date > reference.date && !warned.contains(law) {
            warned.push(*law);
            let title = law_page.meta.law_title.as_deref().unwrap_or(&law_page.meta.title);
            diagnostics.push(
                Diagnostic::warning(format!(
                    "cites {title}, amended on {} after this page was last updated ({})",
                    amended.iso_date(),
                    reference.iso_date()
                ))
                .at(at(page, if page.meta.updated.is_some() { "updated" } else { "date" }))
                .with_hint("check the guidance against the amended law, then set `updated:` to today"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_from_new_are_recognised() {
        for value in [super::PLACEHOLDER_DESCRIPTION_EN, super::PLACEHOLDER_OWNER_ZH, " TODO "] {
            assert!(super::is_placeholder(value), "{value}");
        }
        assert!(!super::is_placeholder("Renew a card; TODO lists are elsewhere"));
    }

    #[test]
    fn finds_front_matter_key_lines() {
        let text = "---\ntitle: A\nreview_by: 2020-01-01\n---\nreview_by: in body\n";
        assert_eq!(crate::front_matter::key_line(text, "review_by"), Some(3));
        assert_eq!(crate::front_matter::key_line(text, "owner"), None);
    }
}

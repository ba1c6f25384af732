//! The page-level sections of the report: reviews, ownership, translations and freshness,
//! all read from the pages' front matter.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::config::Config;
use crate::content::{Page, Site, translation_path};
use crate::guidance::lifecycle::is_placeholder;

use super::model::{
    Coverage, MissingTranslation, MonthCount, OutdatedTranslation, OwnerCount, Ownership, PageRef, Review,
    Reviews, Translations,
};

/// How many months ahead the review chart looks.
const REVIEW_MONTHS: i64 = 12;

/// A page as the report's lists show it.
pub(super) fn page_ref(page: &Page) -> PageRef {
    PageRef { path: page.source.rel.clone(), title: page.meta.title.clone() }
}

/// The date a page was last changed: `updated`, else `date`.
pub(super) fn last_change(page: &Page) -> Option<NaiveDate> {
    page.meta.updated.as_ref().or(page.meta.date.as_ref()).map(|d| d.date)
}

/// `YYYY-MM-DD`.
pub(super) fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The label of the top-level section a section belongs to: its first folder, `/` for home.
pub(super) fn top_section(site: &Site, section: usize) -> String {
    let chain = site.section_chain(section);
    let top = chain.get(1).or(chain.first()).copied().unwrap_or(section);
    let dir = site.sections.get(top).map(|s| s.dir.as_str()).unwrap_or("");
    if dir.is_empty() { "/".to_string() } else { dir.to_string() }
}

/// The page's owner, unless it is missing, blank or a placeholder.
fn owner(page: &Page) -> Option<&str> {
    page.meta.owner.as_deref().map(str::trim).filter(|o| !o.is_empty() && !is_placeholder(o))
}

/// Months from `today`'s month to `date`'s (0: this month).
fn months_between(today: NaiveDate, date: NaiveDate) -> i64 {
    i64::from(date.year() - today.year()) * 12 + i64::from(date.month0()) - i64::from(today.month0())
}

/// `YYYY-MM` of the month `offset` months after `today`'s.
fn month_label(today: NaiveDate, offset: i64) -> String {
    let index = i64::from(today.year()) * 12 + i64::from(today.month0()) + offset;
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Every page's review against `today`.
pub(super) fn reviews(site: &Site, today: NaiveDate) -> Reviews {
    let mut reviews = Reviews {
        by_month: (0..REVIEW_MONTHS).map(|m| MonthCount { month: month_label(today, m), count: 0 }).collect(),
        ..Reviews::default()
    };
    for page in &site.pages {
        let Some(review_by) = page.meta.review_by.as_ref().map(|d| d.date) else {
            reviews.without_date += 1;
            continue;
        };
        let days = (review_by - today).num_days();
        if days < 0 {
            reviews.overdue += 1;
        } else {
            match usize::try_from(months_between(today, review_by))
                .ok()
                .and_then(|m| reviews.by_month.get_mut(m))
            {
                Some(month) => month.count += 1,
                None => reviews.later += 1,
            }
        }
        reviews.items.push(Review {
            page: page_ref(page),
            owner: owner(page).map(str::to_string),
            review_by: iso(review_by),
            days,
        });
    }
    reviews.items.sort_by(|a, b| {
        a.days.cmp(&b.days).then_with(|| a.owner.cmp(&b.owner)).then_with(|| a.page.cmp(&b.page))
    });
    reviews
}

/// Pages per owner, with their overdue reviews, and the pages nobody owns.
pub(super) fn ownership(site: &Site, today: NaiveDate) -> Ownership {
    let mut owners: BTreeMap<&str, OwnerCount> = BTreeMap::new();
    let mut unowned = Vec::new();
    for page in &site.pages {
        let Some(name) = owner(page) else {
            unowned.push(page_ref(page));
            continue;
        };
        let entry = owners.entry(name).or_insert_with(|| OwnerCount {
            owner: name.to_string(),
            pages: 0,
            overdue: 0,
        });
        entry.pages += 1;
        if page.meta.review_by.as_ref().is_some_and(|d| d.date < today) {
            entry.overdue += 1;
        }
    }
    let mut owners: Vec<OwnerCount> = owners.into_values().collect();
    owners.sort_by(|a, b| b.pages.cmp(&a.pages).then_with(|| a.owner.cmp(&b.owner)));
    unowned.sort();
    Ownership { owners, unowned }
}

/// Coverage of every section in every language but the default, and the gaps themselves:
/// a translation is missing when no page (nor a left-out draft) has its path, and outdated
/// when it was last changed before its original.
pub(super) fn translations(config: &Config, site: &Site) -> Translations {
    let mut found = Translations::default();
    let mut coverage: BTreeMap<(String, usize), Coverage> = BTreeMap::new();
    for page in site.pages.iter().filter(|p| p.lang == 0) {
        let section = top_section(site, page.section);
        for (lang, language) in config.languages.iter().enumerate().skip(1) {
            let code = language.code.clone();
            let cell = coverage.entry((section.clone(), lang)).or_insert_with(|| Coverage {
                section: section.clone(),
                lang: code.clone(),
                current: 0,
                outdated: 0,
                missing: 0,
            });
            let Some(&t) = site.page_by_key.get(&(page.key.clone(), lang)) else {
                let expected = translation_path(&page.key, &code);
                if !site.excluded.contains_key(&expected) {
                    cell.missing += 1;
                    found.missing.push(MissingTranslation { page: page_ref(page), lang: code, expected });
                }
                continue;
            };
            let translation = &site.pages[t];
            match (last_change(page), last_change(translation)) {
                (Some(original), Some(translated)) if translated < original => {
                    cell.outdated += 1;
                    found.outdated.push(OutdatedTranslation {
                        page: page_ref(translation),
                        lang: code,
                        original: page.source.rel.clone(),
                        translated: iso(translated),
                        original_updated: iso(original),
                    });
                }
                _ => cell.current += 1,
            }
        }
    }
    found.coverage = coverage.into_values().collect();
    found.missing.sort_by(|a, b| a.page.cmp(&b.page).then_with(|| a.lang.cmp(&b.lang)));
    found.outdated.sort_by(|a, b| a.page.cmp(&b.page));
    found
}

/// Labels of every top-level section with pages or of its own, sorted.
pub(super) fn section_labels(site: &Site) -> Vec<String> {
    let mut labels: Vec<String> = (0..site.sections.len()).map(|id| top_section(site, id)).collect();
    labels.sort();
    labels.dedup();
    labels
}

/// Content path (`content/faq/x.md`, as diagnostics name files) → top-level section.
pub(super) fn sections_by_file(site: &Site) -> HashMap<String, String> {
    let pages =
        site.pages.iter().map(|p| (p.source.display.display().to_string(), top_section(site, p.section)));
    let sections = site.sections.iter().enumerate().filter_map(|(id, s)| {
        Some((s.source.as_ref()?.display.display().to_string(), top_section(site, id)))
    });
    pages.chain(sections).collect()
}

//! The link sections of the report: internal link warnings, external links with their last
//! result in the `check --external` cache, and the law articles the guidance cites.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate};

use crate::content::Site;
use crate::diagnostics::Diagnostic;
use crate::external::{self, Cache};
use crate::links::Resolved;
use crate::markdown::Rendered;

use super::model::{Citations, CitedArticle, Citing, ExternalResult, LinkProblem, Links};
use super::pages::{iso, last_change, page_ref};

/// Internal link warnings, and every external URL the pages link to that `cache_file` holds a
/// result for (failures first, then by URL). The cache is only read.
pub(super) fn links(
    site: &Site,
    bodies: &[std::sync::Arc<Rendered>],
    resolved: &Resolved,
    cache_file: Option<&Path>,
    today: NaiveDate,
) -> Links {
    let internal = resolved.diagnostics.iter().filter_map(located).collect();
    let mut linked: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (page, body) in site.pages.iter().zip(bodies) {
        for link in &body.links {
            let dest = link.destination.trim();
            if dest.starts_with("http://") || dest.starts_with("https://") {
                linked.entry(external::request_url(dest)).or_default().insert(page.source.rel.clone());
            }
        }
    }
    let cache = cache_file.map(Cache::load).unwrap_or_default();
    let mut results: Vec<ExternalResult> = linked
        .iter()
        .filter_map(|(url, pages)| {
            let entry = cache.entries().get(url)?;
            let checked =
                i64::try_from(entry.checked_at).ok().and_then(|s| DateTime::from_timestamp(s, 0))?;
            Some(ExternalResult {
                url: url.clone(),
                status: entry.status,
                broken: !(200..300).contains(&entry.status),
                checked: iso(checked.date_naive()),
                age_days: (today - checked.date_naive()).num_days(),
                pages: pages.iter().cloned().collect(),
            })
        })
        .collect();
    results.sort_by(|a, b| b.broken.cmp(&a.broken).then_with(|| a.url.cmp(&b.url)));
    Links {
        internal,
        cache: cache_file.map(|p| p.display().to_string()),
        external_total: linked.len(),
        external: results,
    }
}

/// A located diagnostic as a list row.
fn located(d: &Diagnostic) -> Option<LinkProblem> {
    let at = d.location.as_ref()?;
    Some(LinkProblem { file: at.file.display().to_string(), line: at.line, message: d.message.clone() })
}

/// Every cited law article with the pages citing it; a citing page last changed before the
/// law's `amended` date is outdated (the rule `check` warns about).
pub(super) fn citations(site: &Site, resolved: &Resolved) -> Citations {
    let mut articles: BTreeMap<(usize, &str), Vec<Citing>> = BTreeMap::new();
    for (id, cites) in resolved.cites.iter().enumerate() {
        let Some(page) = site.pages.get(id) else { continue };
        let updated = last_change(page);
        for (law, anchor) in cites {
            let amended = site.pages.get(*law).and_then(|l| l.meta.amended.as_ref()).map(|d| d.date);
            let outdated = matches!((amended, updated), (Some(a), Some(u)) if a > u);
            let citing = Citing { page: page_ref(page), updated: updated.map(iso), outdated };
            let list = articles.entry((*law, anchor.as_str())).or_default();
            if !list.contains(&citing) {
                list.push(citing);
            }
        }
    }
    let mut outdated = BTreeSet::new();
    let mut found: Vec<CitedArticle> = articles
        .into_iter()
        .filter_map(|((law, anchor), mut cited_by)| {
            let law_page = site.pages.get(law)?;
            cited_by.sort_by(|a, b| a.page.cmp(&b.page));
            for c in cited_by.iter().filter(|c| c.outdated) {
                outdated.insert((law, c.page.path.clone()));
            }
            Some(CitedArticle {
                law: page_ref(law_page),
                article: anchor.to_string(),
                amended: law_page.meta.amended.as_ref().map(|d| iso(d.date)),
                cited_by,
            })
        })
        .collect();
    found.sort_by(|a, b| a.law.cmp(&b.law).then_with(|| a.article.cmp(&b.article)));
    Citations { outdated: outdated.len(), articles: found }
}

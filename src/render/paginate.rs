//! Splitting a listing into numbered pages (`term/`, `term/page/2/`, …) and the
//! `paginator` value each of them shows.

use serde::Serialize;

use super::values::PageSummary;
use crate::content::PageId;

#[derive(Serialize)]
pub(super) struct Paginator {
    pages: Vec<PageSummary>,
    current_index: usize,
    number_pagers: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
}

/// How many items one page of a listing holds: `paginate_by`, or all of them when it is 0.
pub(super) fn per_page(paginate_by: usize) -> usize {
    if paginate_by == 0 { usize::MAX } else { paginate_by }
}

/// How many pages a listing of `len` items takes; an empty listing still has its first page.
pub(super) fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page).max(1)
}

/// The URL of page `index` (from 0) of the listing at `base` (which ends in `/`).
pub(super) fn page_url(base: &str, index: usize) -> String {
    if index == 0 { base.to_string() } else { format!("{base}page/{}/", index + 1) }
}

/// The output file of page `index` (from 0) of the listing in folder `dir` (which ends in `/`).
pub(super) fn output_path(dir: &str, index: usize) -> String {
    if index == 0 { format!("{dir}index.html") } else { format!("{dir}page/{}/index.html", index + 1) }
}

/// The `paginator` value of page `index` of `count`, listing its share of `pages`.
pub(super) fn paginator(
    base: &str,
    pages: &[PageId],
    summaries: &[PageSummary],
    per_page: usize,
    (index, count): (usize, usize),
) -> Paginator {
    // `per_page` is `usize::MAX` for an unpaginated listing; there `index` is 0 and the
    // product must not overflow.
    let skip = index * per_page.min(pages.len().max(1));
    Paginator {
        pages: pages.iter().skip(skip).take(per_page).map(|&p| summaries[p].clone()).collect(),
        current_index: index + 1,
        number_pagers: count,
        previous: index.checked_sub(1).map(|i| page_url(base, i)),
        next: (index + 1 < count).then(|| page_url(base, index + 1)),
        first: page_url(base, 0),
        last: page_url(base, count - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summaries(n: usize) -> Vec<PageSummary> {
        (0..n)
            .map(|i| PageSummary {
                title: format!("Page {i}"),
                description: String::new(),
                url: format!("/p{i}/"),
                permalink: format!("https://x.gov/p{i}/"),
                path: format!("p{i}.md"),
                date: None,
                updated: None,
                kind: "guide",
                weight: None,
            })
            .collect()
    }

    #[test]
    fn counts_pages_and_keeps_an_empty_listing() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, per_page(0)), 1);
    }

    #[test]
    fn numbers_urls_and_outputs_from_the_second_page() {
        assert_eq!(page_url("/tags/id/", 0), "/tags/id/");
        assert_eq!(page_url("/tags/id/", 1), "/tags/id/page/2/");
        assert_eq!(output_path("tags/id/", 0), "tags/id/index.html");
        assert_eq!(output_path("tags/id/", 2), "tags/id/page/3/index.html");
    }

    #[test]
    fn each_page_lists_its_share_and_links_its_neighbours() {
        let all = summaries(5);
        let pages: Vec<PageId> = (0..5).collect();
        let middle = paginator("/t/", &pages, &all, 2, (1, 3));
        let titles: Vec<&str> = middle.pages.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Page 2", "Page 3"]);
        assert_eq!(middle.current_index, 2);
        assert_eq!(middle.previous.as_deref(), Some("/t/"));
        assert_eq!(middle.next.as_deref(), Some("/t/page/3/"));
        assert_eq!(middle.last, "/t/page/3/");
        let last = paginator("/t/", &pages, &all, 2, (2, 3));
        assert_eq!(last.pages.len(), 1);
        assert_eq!(last.next, None);
    }

    #[test]
    fn an_unpaginated_listing_shows_everything_on_one_page() {
        let all = summaries(3);
        let one = paginator("/t/", &[0, 1, 2], &all, per_page(0), (0, 1));
        assert_eq!(one.pages.len(), 3);
        assert_eq!((one.previous, one.next), (None, None));
    }
}

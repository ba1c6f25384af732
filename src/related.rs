//! Related pages: for each page, up to five others of its language, those sharing the most
//! taxonomy terms first, then those of its own section, then the earliest (lowest id).
//!
//! Counting shared terms against every page that shares one term grows with the square of
//! the site: on 30,000 pages with 50 tags, each page met thousands of candidates. Most of them
//! share a single term, and among those the order is fixed in advance (own section, then
//! lowest id). So [`RelatedIndex`] keeps, besides each term's pages, the pages of each *pair*
//! of terms: only pages in one of those lists can share two terms or more, and they are few.
//! Pages sharing one term are then taken from the start of sorted lists, and only as many
//! as there are places left.
//!
//! A page's pairs grow with the square of its own terms, though: one page with 8,000 tags made
//! 32 million pairs (64 s, 4.9 GB). Pages with more than [`PAIRED_TERMS`] terms are therefore
//! kept out of the pair lists, and pages sharing two terms with such a page (or with a page
//! of such a page's terms) are found by counting over the term lists instead.

use std::collections::HashMap;

/// A page, as far as choosing related pages is concerned.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    /// Index of its language.
    pub lang: usize,
    /// Index of its section.
    pub section: usize,
    /// Its taxonomy terms, as numbers (any numbering shared by all pages).
    pub terms: Vec<u32>,
    /// Whether other pages may list it for sharing terms (published pages only).
    pub listed: bool,
}

/// How many related pages a page gets.
pub const LIMIT: usize = 5;

/// Pages with more terms than this are not indexed by pairs of terms (see the module doc).
pub const PAIRED_TERMS: usize = 64;

/// The lists the choice is made from, built once per build.
pub struct RelatedIndex {
    pages: Vec<Candidate>,
    /// (language, term) → listed pages with that term, by increasing id.
    by_term: HashMap<(usize, u32), Vec<usize>>,
    /// (language, term, section) → the same, within one section.
    by_term_section: HashMap<(usize, u32, usize), Vec<usize>>,
    /// (language, lower term, higher term) → listed pages with both, by increasing id.
    by_pair: HashMap<(usize, u32, u32), Vec<usize>>,
    /// (language, term) → listed pages with that term and more than [`PAIRED_TERMS`] terms.
    by_term_unpaired: HashMap<(usize, u32), Vec<usize>>,
    /// Section → its pages by increasing id (for pages sharing nothing).
    section_pages: Vec<Vec<usize>>,
}

/// Ranking: more shared terms, then the same section, then the lower id.
type Key = (usize, bool, std::cmp::Reverse<usize>);

impl RelatedIndex {
    /// Index `pages` (by page id); `section_pages[s]` lists the pages of section `s`.
    pub fn new(mut pages: Vec<Candidate>, section_pages: &[Vec<usize>]) -> RelatedIndex {
        for page in &mut pages {
            page.terms.sort_unstable();
            page.terms.dedup();
        }
        let mut by_term: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        let mut by_term_section: HashMap<(usize, u32, usize), Vec<usize>> = HashMap::new();
        let mut by_pair: HashMap<(usize, u32, u32), Vec<usize>> = HashMap::new();
        let mut by_term_unpaired: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        for (id, page) in pages.iter().enumerate().filter(|(_, page)| page.listed) {
            let paired = page.terms.len() <= PAIRED_TERMS;
            for (i, &term) in page.terms.iter().enumerate() {
                by_term.entry((page.lang, term)).or_default().push(id);
                by_term_section.entry((page.lang, term, page.section)).or_default().push(id);
                if !paired {
                    by_term_unpaired.entry((page.lang, term)).or_default().push(id);
                    continue;
                }
                for &other in &page.terms[i + 1..] {
                    by_pair.entry((page.lang, term, other)).or_default().push(id);
                }
            }
        }
        let section_pages = section_pages
            .iter()
            .map(|list| {
                let mut sorted = list.clone();
                sorted.sort_unstable();
                sorted
            })
            .collect();
        RelatedIndex { pages, by_term, by_term_section, by_pair, by_term_unpaired, section_pages }
    }

    /// The related pages of `p`: `chosen` (its own `related:` list) first, then the best
    /// ranked others, [`LIMIT`] in all.
    pub fn related(&self, p: usize, chosen: &[usize]) -> Vec<usize> {
        let page = &self.pages[p];
        let mut picker = Picker { index: self, p, chosen, best: Vec::with_capacity(LIMIT + 1) };
        // Pages sharing two terms or more: in the pair lists, or counted over the term lists
        // where pairs are not indexed.
        let mut several: Vec<usize> = Vec::new();
        if page.terms.len() <= PAIRED_TERMS {
            for (i, &a) in page.terms.iter().enumerate() {
                for &b in &page.terms[i + 1..] {
                    several.extend(self.by_pair.get(&(page.lang, a, b)).into_iter().flatten());
                }
            }
            several.extend(self.sharing_two(p, &self.by_term_unpaired));
        } else {
            several.extend(self.sharing_two(p, &self.by_term));
        }
        several.sort_unstable();
        several.dedup();
        for &q in &several {
            picker.consider(q, self.shared(p, q));
        }
        // Pages sharing one term: own section first, each group by increasing id.
        let one_term = |q: &usize| several.binary_search(q).is_err();
        let own: Vec<&[usize]> = page
            .terms
            .iter()
            .filter_map(|&t| self.by_term_section.get(&(page.lang, t, page.section)))
            .map(Vec::as_slice)
            .collect();
        picker.take_in_order(merged(&own).filter(one_term), 1);
        let all: Vec<&[usize]> =
            page.terms.iter().filter_map(|&t| self.by_term.get(&(page.lang, t))).map(Vec::as_slice).collect();
        picker.take_in_order(merged(&all).filter(one_term), 1);
        // Then pages of the same section sharing nothing.
        picker.take_in_order(self.section_pages[page.section].iter().copied(), 0);
        let mut out = chosen.to_vec();
        out.extend(picker.best.into_iter().map(|(_, _, std::cmp::Reverse(q))| q));
        out.truncate(LIMIT);
        out
    }

    /// The pages of `lists` that share two terms or more with `p`, counted over the lists of
    /// `p`'s terms.
    fn sharing_two(&self, p: usize, lists: &HashMap<(usize, u32), Vec<usize>>) -> Vec<usize> {
        let page = &self.pages[p];
        let mut counts: HashMap<usize, u32> = HashMap::new();
        for &term in &page.terms {
            for &q in lists.get(&(page.lang, term)).into_iter().flatten() {
                *counts.entry(q).or_default() += 1;
            }
        }
        counts.into_iter().filter(|&(_, n)| n >= 2).map(|(q, _)| q).collect()
    }

    /// How many terms `p` and `q` share (both lists are sorted).
    fn shared(&self, p: usize, q: usize) -> usize {
        let (a, b) = (&self.pages[p].terms, &self.pages[q].terms);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }
}

/// The ranked choice for one page.
struct Picker<'a> {
    index: &'a RelatedIndex,
    p: usize,
    chosen: &'a [usize],
    best: Vec<Key>,
}

impl Picker<'_> {
    /// Rank `q` as sharing `shared` terms with the page, if it may be listed at all.
    fn consider(&mut self, q: usize, shared: usize) {
        let (page, other) = (&self.index.pages[self.p], &self.index.pages[q]);
        if q == self.p
            || other.lang != page.lang
            || self.chosen.contains(&q)
            || self.best.iter().any(|&(_, _, std::cmp::Reverse(b))| b == q)
        {
            return;
        }
        let key = (shared, other.section == page.section, std::cmp::Reverse(q));
        if self.best.len() < LIMIT || key > self.best[self.best.len() - 1] {
            let at = self.best.partition_point(|b| *b > key);
            self.best.insert(at, key);
            self.best.truncate(LIMIT);
        }
    }

    /// Consider candidates that all share `shared` terms and come in the order they rank,
    /// until no place is left.
    fn take_in_order(&mut self, candidates: impl Iterator<Item = usize>, shared: usize) {
        for q in candidates {
            if self.best.len() == LIMIT {
                return;
            }
            self.consider(q, shared);
        }
    }
}

/// The union of sorted lists, in increasing order (each id once).
fn merged<'l>(lists: &[&'l [usize]]) -> impl Iterator<Item = usize> + 'l {
    let mut cursors: Vec<&'l [usize]> = lists.to_vec();
    std::iter::from_fn(move || {
        let next = cursors.iter().filter_map(|list| list.first().copied()).min()?;
        for list in &mut cursors {
            if list.first() == Some(&next) {
                *list = &list[1..];
            }
        }
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule stated plainly: rank every page, keep the best five.
    fn related_by_brute_force(
        pages: &[Candidate],
        section_pages: &[Vec<usize>],
        p: usize,
        chosen: &[usize],
    ) -> Vec<usize> {
        let own = &pages[p];
        let mut own_terms = own.terms.clone();
        own_terms.sort_unstable();
        own_terms.dedup();
        let mut ranked: Vec<Key> = Vec::new();
        for (q, other) in pages.iter().enumerate() {
            if q == p || other.lang != own.lang || chosen.contains(&q) {
                continue;
            }
            let shared =
                if other.listed { own_terms.iter().filter(|t| other.terms.contains(t)).count() } else { 0 };
            let in_section = section_pages[own.section].contains(&q);
            if shared > 0 || in_section {
                ranked.push((shared, other.section == own.section, std::cmp::Reverse(q)));
            }
        }
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        let mut out = chosen.to_vec();
        out.extend(ranked.into_iter().map(|(_, _, std::cmp::Reverse(q))| q));
        out.truncate(LIMIT);
        out
    }

    /// A small deterministic generator, so the test needs no dependency and never flakes.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Random sites (`rounds` of them, `vocabulary` terms at most, fewer than `max_terms`
    /// terms a page): the index must choose what ranking every page chooses.
    fn check_against_brute_force(seed: u64, rounds: usize, vocabulary: u64, max_terms: u64) {
        let mut rng = Lcg(seed);
        for round in 0..rounds {
            let sections = 1 + rng.below(6) as usize;
            let count = 1 + rng.below(80) as usize;
            let vocabulary = 1 + rng.below(vocabulary);
            let pages: Vec<Candidate> = (0..count)
                .map(|_| Candidate {
                    lang: rng.below(2) as usize,
                    section: rng.below(sections as u64) as usize,
                    terms: (0..rng.below(max_terms)).map(|_| rng.below(vocabulary) as u32).collect(),
                    listed: rng.below(10) > 0,
                })
                .collect();
            let mut section_pages = vec![Vec::new(); sections];
            for (id, page) in pages.iter().enumerate() {
                section_pages[page.section].push(id);
            }
            for list in &mut section_pages {
                list.reverse(); // a display order, not by id
            }
            let index = RelatedIndex::new(pages.clone(), &section_pages);
            for p in 0..count {
                let chosen: Vec<usize> =
                    if rng.below(4) == 0 { vec![rng.below(count as u64) as usize] } else { vec![] };
                assert_eq!(
                    index.related(p, &chosen),
                    related_by_brute_force(&pages, &section_pages, p, &chosen),
                    "round {round}, page {p}: {:?}",
                    pages[p]
                );
            }
        }
    }

    #[test]
    fn agrees_with_ranking_every_page() {
        check_against_brute_force(7, 40, 12, 5);
    }

    #[test]
    fn agrees_with_ranking_every_page_when_pages_have_many_terms() {
        check_against_brute_force(11, 8, 300, 2 * PAIRED_TERMS as u64 + 40);
    }

    #[test]
    fn more_shared_terms_rank_first_then_the_section() {
        let page =
            |section, terms: &[u32]| Candidate { lang: 0, section, terms: terms.to_vec(), listed: true };
        let pages = vec![page(0, &[1, 2]), page(1, &[1]), page(0, &[2]), page(1, &[1, 2]), page(0, &[])];
        let sections = vec![vec![0, 2, 4], vec![1, 3]];
        let index = RelatedIndex::new(pages, &sections);
        assert_eq!(index.related(0, &[]), vec![3, 2, 1, 4]);
        assert_eq!(index.related(0, &[4]), vec![4, 3, 2, 1]);
    }

    #[test]
    fn merged_lists_give_each_id_once_in_order() {
        let (a, b, c) = ([1, 4, 9], [2, 4, 5], [9]);
        assert_eq!(merged(&[&a, &b, &c]).collect::<Vec<_>>(), [1, 2, 4, 5, 9]);
        assert_eq!(merged(&[]).count(), 0);
    }
}

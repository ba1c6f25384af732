//! The terms of one page with their posting values ([`PageTerms`]), and the numbering of an
//! index's terms ([`Interner`]). Every word of every page passes through here, so both keep
//! their texts in one buffer and hash each text once: a page's terms lie one after the other
//! in one string, found through a table of positions, and the interner is given the hash the
//! page computed.

use hashbrown::HashTable;

use super::index::{COUNT_SHIFT, FILTER_PREFIX, IN_HEADING, IN_META, IN_TITLE, MAX_COUNT, SearchPage};
use super::tokens::for_each_term;

/// aHash with fixed seeds, for terms too long for a [`Key`]: the same in every run (no order
/// that reaches the output depends on it; terms are sorted before they are written).
const HASHER: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// Bytes of the longest term that has a [`Key`].
const KEY_BYTES: usize = 16;

/// A term of at most [`KEY_BYTES`] bytes as a number (its bytes, zero-padded; no term holds a
/// zero byte), so that finding it costs an integer comparison; 0 for a longer term. Nearly
/// every word and every CJK pair has one.
pub(crate) type Key = u128;

fn key(term: &str) -> Key {
    if term.len() > KEY_BYTES {
        return 0;
    }
    term.bytes().rev().fold(0, |k, b| k << 8 | Key::from(b))
}

/// A term's hash: of its key (a folded multiply, as fast hashes do), or of its text.
fn hash(term: &str, key: Key) -> u64 {
    if key == 0 {
        return HASHER.hash_one(term);
    }
    let product = u128::from(key as u64 ^ 0x9e37_79b9_7f4a_7c15)
        * u128::from((key >> 64) as u64 ^ 0xc2b2_ae3d_27d4_eb4f);
    product as u64 ^ (product >> 64) as u64
}

/// The terms of one page: each once, with its hash and its posting value (see the flags in
/// [`super::index`]).
#[derive(Debug, Default)]
pub(crate) struct PageTerms {
    /// The terms' texts, one after the other.
    text: String,
    /// Per term: where its text ends in `text`, its hash and its value.
    terms: Vec<(u32, u64, u32)>,
    /// Per term: its key.
    keys: Vec<Key>,
}

impl PageTerms {
    /// Analyse `page`: title, description and tags, headings and text, and its filter keys.
    pub(crate) fn of(page: &SearchPage) -> PageTerms {
        let mut terms = PageTerms::default();
        let mut table: HashTable<u32> = HashTable::with_capacity(256);
        let mut flag = |text: &str, bit: u32, counts: bool| {
            for_each_term(text, |term| {
                let value = terms.value_mut(&mut table, term);
                *value |= bit;
                if counts && (*value >> COUNT_SHIFT) < MAX_COUNT {
                    *value += 1 << COUNT_SHIFT;
                }
            });
        };
        flag(&page.title, IN_TITLE, false);
        flag(&page.description, IN_META, false);
        for tag in &page.tags {
            flag(tag, IN_META, false);
        }
        for section in &page.sections {
            flag(&section.heading, IN_HEADING, true);
            flag(&section.text, 0, true);
        }
        // No token starts with the prefix, so these are new terms.
        if let Some(s) = page.section {
            terms.value_mut(&mut table, &format!("{FILTER_PREFIX}s{s}"));
        }
        terms.value_mut(&mut table, &format!("{FILTER_PREFIX}k{}", page.kind));
        terms
    }

    /// The value of `term`, added with value 0 when new; `table` finds terms by hash.
    fn value_mut(&mut self, table: &mut HashTable<u32>, term: &str) -> &mut u32 {
        let k = key(term);
        let h = hash(term, k);
        let (text, terms, keys) = (&self.text, &self.terms, &self.keys);
        let same = |i: u32| {
            let i = i as usize;
            keys[i] == k
                && (k != 0
                    || &text[if i == 0 { 0 } else { terms[i - 1].0 as usize }..terms[i].0 as usize] == term)
        };
        let at = match table.entry(h, |&i| same(i), |&i| terms[i as usize].1) {
            hashbrown::hash_table::Entry::Occupied(entry) => *entry.get() as usize,
            hashbrown::hash_table::Entry::Vacant(entry) => {
                entry.insert(self.terms.len() as u32);
                self.text.push_str(term);
                self.terms.push((self.text.len() as u32, h, 0));
                self.keys.push(k);
                self.terms.len() - 1
            }
        };
        &mut self.terms[at].2
    }

    /// Each term: its text, hash, key and value, in the order first met.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u64, Key, u32)> {
        let mut start = 0;
        self.terms.iter().zip(&self.keys).map(move |(&(end, h, value), &k)| {
            let text = &self.text[start..end as usize];
            start = end as usize;
            (text, h, k, value)
        })
    }

    /// How many terms.
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }
}

/// An index's terms, numbered in the order first met.
#[derive(Default)]
pub(crate) struct Interner {
    texts: Vec<Box<str>>,
    hashes: Vec<u64>,
    keys: Vec<Key>,
    table: HashTable<u32>,
}

impl Interner {
    /// The number of `term`, whose hash and key are `h` and `k` (from [`PageTerms::iter`]),
    /// numbered now when new.
    pub(crate) fn id(&mut self, term: &str, h: u64, k: Key) -> u32 {
        let (texts, hashes, keys) = (&self.texts, &self.hashes, &self.keys);
        let same = |i: u32| keys[i as usize] == k && (k != 0 || &*texts[i as usize] == term);
        match self.table.entry(h, |&i| same(i), |&i| hashes[i as usize]) {
            hashbrown::hash_table::Entry::Occupied(entry) => *entry.get(),
            hashbrown::hash_table::Entry::Vacant(entry) => {
                let id = self.texts.len() as u32;
                entry.insert(id);
                self.texts.push(term.into());
                self.hashes.push(h);
                self.keys.push(k);
                id
            }
        }
    }

    /// The text of term `id`.
    pub(crate) fn text(&self, id: u32) -> &str {
        &self.texts[id as usize]
    }

    /// Every term's text, by number.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|t| &**t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchSection;

    #[test]
    fn keys_tell_terms_apart() {
        assert_eq!(key("a"), 0x61);
        assert_ne!(key("ab"), key("ba"));
        assert_ne!(key("身份"), key("份身"));
        assert_eq!(key(&"x".repeat(KEY_BYTES + 1)), 0, "too long for a key");
        assert_ne!(key(&"x".repeat(KEY_BYTES)), 0);
        let long = "internationalisation";
        assert_eq!(hash(long, key(long)), HASHER.hash_one(long));
        // Long terms are told apart by their texts.
        let page = SearchPage {
            title: format!("{long} internationalisations {long}"),
            kind: "guide".into(),
            ..SearchPage::default()
        };
        let terms = PageTerms::of(&page);
        let texts: Vec<&str> = terms.iter().map(|(t, _, _, _)| t).collect();
        assert_eq!(texts, [long, "internationalisations", ":kguide"]);
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, h, k, _)| interner.id(t, h, k)).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert_eq!(interner.id(long, hash(long, 0), 0), 0);
    }

    #[test]
    fn a_page_counts_and_flags_each_term_once() {
        let page = SearchPage {
            url: "/p/".into(),
            title: "Lost card".into(),
            description: "Report a lost card".into(),
            tags: vec!["refund".into()],
            section: Some(2),
            kind: "faq".into(),
            sections: vec![SearchSection {
                anchor: "a".into(),
                heading: "Lost".into(),
                text: "lost lost lost lost card 挂失".into(),
            }],
        };
        let terms = PageTerms::of(&page);
        let values: Vec<(&str, u32)> = terms.iter().map(|(t, _, _, v)| (t, v)).collect();
        let heading_and_four = IN_TITLE | IN_META | IN_HEADING | (MAX_COUNT << COUNT_SHIFT);
        assert_eq!(
            values,
            [
                ("lost", heading_and_four),
                ("card", IN_TITLE | IN_META | (1 << COUNT_SHIFT)),
                ("report", IN_META),
                ("refund", IN_META),
                ("挂失", 1 << COUNT_SHIFT),
                (":s2", 0),
                (":kfaq", 0),
            ]
        );
        assert_eq!(terms.len(), 7);
        assert!(terms.iter().all(|(t, h, k, _)| k == key(t) && hash(t, k) == h));
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, h, k, _)| interner.id(t, h, k)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(
            interner.id("card", hash("card", key("card")), key("card")),
            1,
            "known terms keep their number"
        );
        assert_eq!(interner.text(4), "挂失");
        assert_eq!(interner.texts().count(), 7);
    }
}

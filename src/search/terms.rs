//! The terms of one page with their posting values ([`PageTerms`]), and the numbering of an
//! index's terms ([`Interner`]). Every word of every page passes through here, so both find
//! a term by its [`Key`] (a number) where it has one, and a page's terms are counted in a small
//! open-addressing table of keys: no term's text is copied until an index meets it first.

use hashbrown::HashTable;

use super::index::{COUNT_SHIFT, FILTER_PREFIX, IN_HEADING, IN_META, IN_TITLE, MAX_COUNT, SearchPage};
use super::keys::{KEY_BYTES, Key, Term, hash_key};
use super::tokens::{TermSink, terms_into};

/// Slots of a page's table at first (a power of two; it doubles when half full): enough for
/// most pages' terms.
const FIRST_SLOTS: usize = 1024;

/// Open addressing over keys kept beside it, probed linearly from a key's hash: per slot,
/// 1 + the key's place, or 0 when free. Key 0 (a long term's) is never looked up nor placed.
/// (A page's terms have the same table written out: given the keys through a closure, as
/// here, counting them cost more.)
#[derive(Debug)]
struct KeyTable {
    slots: Vec<u32>,
}

impl KeyTable {
    fn new() -> Self {
        KeyTable { slots: vec![0; FIRST_SLOTS] }
    }

    /// The place of `k` among the `len` keys that `key_at` gives by place: `Ok` when there,
    /// `Err(len)` when not, after which the caller adds `k` at that place.
    #[inline]
    fn find_or_add(&mut self, k: Key, len: usize, key_at: impl Fn(usize) -> Key) -> Result<usize, usize> {
        let mut mask = self.slots.len() - 1;
        let mut slot = hash_key(k) as usize & mask;
        loop {
            let at = self.slots[slot] as usize;
            if at == 0 {
                break;
            }
            if key_at(at - 1) == k {
                return Ok(at - 1);
            }
            slot = (slot + 1) & mask;
        }
        let next = len;
        if (next + 1) * 2 > self.slots.len() {
            self.grow(len, key_at);
            mask = self.slots.len() - 1;
            slot = hash_key(k) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
        }
        self.slots[slot] = next as u32 + 1;
        Err(next)
    }

    /// Double the slots and place every key again.
    fn grow(&mut self, len: usize, key_at: impl Fn(usize) -> Key) {
        let mask = self.slots.len() * 2 - 1;
        self.slots = vec![0; mask + 1];
        for (at, k) in (0..len).map(|at| (at, key_at(at))).filter(|&(_, k)| k != 0) {
            let mut slot = hash_key(k) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = at as u32 + 1;
        }
    }
}

/// The terms of one page: each once, with its posting value (see the flags in
/// [`super::index`]).
#[derive(Debug)]
pub(crate) struct PageTerms {
    /// The short terms, in the order first met: key and value.
    short: Vec<(Key, u32)>,
    /// Open addressing over `short`, probed linearly from a key's hash: per slot, 1 + the
    /// place of a term in `short`, or 0 when free (small, so that a new table costs little).
    slots: Vec<u32>,
    /// The long terms, in the order first met: text and value.
    long: Vec<(Box<str>, u32)>,
    /// Finds a long term's place in `long` by hash.
    long_table: HashTable<u32>,
}

impl Default for PageTerms {
    fn default() -> Self {
        PageTerms {
            short: Vec::with_capacity(FIRST_SLOTS / 2),
            slots: vec![0; FIRST_SLOTS],
            long: Vec::new(),
            long_table: HashTable::new(),
        }
    }
}

impl PageTerms {
    /// Analyse `page`: title, description and tags, headings and text, and its filter keys.
    pub(crate) fn of(page: &SearchPage) -> PageTerms {
        let mut terms = PageTerms::default();
        terms.flag::<IN_TITLE, false>(&page.title);
        terms.flag::<IN_META, false>(&page.description);
        for tag in &page.tags {
            terms.flag::<IN_META, false>(tag);
        }
        for section in page.sections.iter() {
            terms.flag::<IN_HEADING, true>(&section.heading);
            terms.flag::<0, true>(&section.text);
        }
        // No token starts with the prefix, so these are new terms.
        if let Some(s) = page.section {
            terms.value_mut(Term::of(&format!("{FILTER_PREFIX}s{s}")));
        }
        terms.value_mut(Term::of(&format!("{FILTER_PREFIX}k{}", page.kind)));
        terms
    }

    /// Set `BIT` in the value of every term of `text`, and count each one if `COUNTS`.
    fn flag<const BIT: u32, const COUNTS: bool>(&mut self, text: &str) {
        terms_into(text, &mut Flag::<BIT, COUNTS> { terms: self });
    }

    /// The value of `term`, added with value 0 when new.
    #[inline(always)]
    fn value_mut(&mut self, term: Term<'_>) -> &mut u32 {
        match term {
            Term::Short(k) => self.short_value_mut(k),
            Term::Long(text) => self.long_value_mut(text),
        }
    }

    /// The value of the short term with key `k`.
    #[inline(always)]
    fn short_value_mut(&mut self, k: Key) -> &mut u32 {
        let mut mask = self.slots.len() - 1;
        let mut slot = hash_key(k) as usize & mask;
        loop {
            let at = self.slots[slot] as usize;
            if at == 0 {
                break;
            }
            if self.short[at - 1].0 == k {
                return &mut self.short[at - 1].1;
            }
            slot = (slot + 1) & mask;
        }
        if (self.short.len() + 1) * 2 > self.slots.len() {
            self.grow();
            mask = self.slots.len() - 1;
            slot = hash_key(k) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
        }
        self.slots[slot] = self.short.len() as u32 + 1;
        self.short.push((k, 0));
        let last = self.short.len() - 1;
        &mut self.short[last].1
    }

    /// Double the table and place every key again.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let mask = self.slots.len() * 2 - 1;
        self.slots = vec![0; mask + 1];
        for (at, &(k, _)) in self.short.iter().enumerate() {
            let mut slot = hash_key(k) as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = at as u32 + 1;
        }
    }

    /// The value of the long term `text`.
    #[inline(never)]
    fn long_value_mut(&mut self, text: &str) -> &mut u32 {
        let h = Term::Long(text).hash();
        let long = &self.long;
        let at = match self.long_table.entry(
            h,
            |&i| &*long[i as usize].0 == text,
            |&i| Term::Long(&long[i as usize].0).hash(),
        ) {
            hashbrown::hash_table::Entry::Occupied(entry) => *entry.get() as usize,
            hashbrown::hash_table::Entry::Vacant(entry) => {
                entry.insert(long.len() as u32);
                self.long.push((text.into(), 0));
                self.long.len() - 1
            }
        };
        &mut self.long[at].1
    }

    /// Each term and its value: the short ones in the order first met, then the long ones.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Term<'_>, u32)> {
        let short = self.short.iter().map(|&(k, value)| (Term::Short(k), value));
        short.chain(self.long.iter().map(|(text, value)| (Term::Long(text), *value)))
    }

    /// How many terms.
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// Takes a text's terms for [`PageTerms::flag`]: sets `BIT` in the value of each, and counts
/// it if `COUNTS`. A type of its own rather than a closure, so that its work is inlined into
/// the tokeniser's loops, and with both as constants, so that each text's kind has its own
/// loop, doing no more than it needs.
struct Flag<'a, const BIT: u32, const COUNTS: bool> {
    terms: &'a mut PageTerms,
}

impl<const BIT: u32, const COUNTS: bool> TermSink for Flag<'_, BIT, COUNTS> {
    #[inline(always)]
    fn term(&mut self, term: Term<'_>) {
        let value = self.terms.value_mut(term);
        *value |= BIT;
        if COUNTS && (*value >> COUNT_SHIFT) < MAX_COUNT {
            *value += 1 << COUNT_SHIFT;
        }
    }
}

/// An index's terms, numbered in the order first met.
pub(crate) struct Interner {
    texts: Vec<Box<str>>,
    /// Per term: its key (0 for a long term).
    keys: Vec<Key>,
    /// Finds a short term's number by key.
    table: KeyTable,
    /// Finds a long term's number by hash.
    long_table: HashTable<u32>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner { texts: Vec::new(), keys: Vec::new(), table: KeyTable::new(), long_table: HashTable::new() }
    }
}

impl Interner {
    /// The number of `term`, numbered now when new.
    pub(crate) fn id(&mut self, term: Term<'_>) -> u32 {
        let found = match term {
            Term::Short(k) => {
                let keys = &self.keys;
                self.table.find_or_add(k, keys.len(), |at| keys[at])
            }
            Term::Long(text) => {
                let texts = &self.texts;
                let next = texts.len() as u32;
                match self.long_table.entry(
                    term.hash(),
                    |&i| *texts[i as usize] == *text,
                    |&i| Term::Long(&texts[i as usize]).hash(),
                ) {
                    hashbrown::hash_table::Entry::Occupied(entry) => Ok(*entry.get() as usize),
                    hashbrown::hash_table::Entry::Vacant(entry) => {
                        entry.insert(next);
                        Err(next as usize)
                    }
                }
            }
        };
        match found {
            Ok(id) => id as u32,
            Err(id) => {
                self.texts.push(term.text(&mut [0; KEY_BYTES]).into());
                self.keys.push(term.key());
                id as u32
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

    fn texts(terms: &PageTerms) -> Vec<(String, u32)> {
        terms.iter().map(|(t, v)| (t.text(&mut [0; KEY_BYTES]).to_string(), v)).collect()
    }

    #[test]
    fn long_terms_are_told_apart_by_their_texts() {
        let long = "internationalisation";
        let page = SearchPage {
            title: format!("{long} internationalisations {long} Internationalisation"),
            kind: "guide".into(),
            ..SearchPage::default()
        };
        let terms = PageTerms::of(&page);
        let found: Vec<String> = texts(&terms).into_iter().map(|(t, _)| t).collect();
        assert_eq!(found, [":kguide", long, "internationalisations"]);
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, _)| interner.id(t)).collect();
        assert_eq!(ids, [0, 1, 2]);
        assert_eq!(interner.id(Term::of(long)), 1);
        assert_eq!(interner.id(Term::of("internationalisations")), 2);
        assert_eq!(interner.text(1), long);
    }

    #[test]
    fn the_table_grows_and_keeps_every_term() {
        // More terms than the first table holds at half load, each twice.
        let words: Vec<String> = (0..FIRST_SLOTS * 3).map(|i| format!("w{i}")).collect();
        let text = format!("{} {}", words.join(" "), words.join(" "));
        let page =
            SearchPage { sections: SearchSection::only(&text), kind: "faq".into(), ..SearchPage::default() };
        let terms = PageTerms::of(&page);
        let found = texts(&terms);
        assert_eq!(found.len(), words.len() + 1);
        for (word, (text, value)) in words.iter().zip(&found) {
            assert_eq!((text, *value), (word, 2 << COUNT_SHIFT));
        }
        assert_eq!(terms.len(), found.len());
        // The index's table grows past its first size too, and numbers stay.
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, _)| interner.id(t)).collect();
        assert_eq!(ids, (0..found.len() as u32).collect::<Vec<_>>());
        let again: Vec<u32> = terms.iter().map(|(t, _)| interner.id(t)).collect();
        assert_eq!(again, ids);
        assert_eq!(interner.text(5), "w5");
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
            }]
            .into(),
        };
        let terms = PageTerms::of(&page);
        let heading_and_four = IN_TITLE | IN_META | IN_HEADING | (MAX_COUNT << COUNT_SHIFT);
        let want: Vec<(String, u32)> = [
            ("lost", heading_and_four),
            ("card", IN_TITLE | IN_META | (1 << COUNT_SHIFT)),
            ("report", IN_META),
            ("refund", IN_META),
            ("挂失", 1 << COUNT_SHIFT),
            (":s2", 0),
            (":kfaq", 0),
        ]
        .into_iter()
        .map(|(t, v)| (t.to_string(), v))
        .collect();
        assert_eq!(texts(&terms), want);
        assert_eq!(terms.len(), 7);
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, _)| interner.id(t)).collect();
        assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(interner.id(Term::of("card")), 1, "known terms keep their number");
        assert_eq!(interner.text(4), "挂失");
        assert_eq!(interner.texts().count(), 7);
    }
}

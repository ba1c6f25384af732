//! The terms of one page with their posting values ([`PageTerms`]), and the numbering of an
//! index's terms ([`Interner`]). Every word of every page passes through here, so both find
//! a term by its [`Key`] (a number) where it has one, and a page's terms are counted in a small
//! open-addressing table of keys: no term's text is copied until an index meets it first.

use std::cell::RefCell;

use hashbrown::HashTable;

use super::index::{COUNT_SHIFT, FILTER_PREFIX, IN_HEADING, IN_META, IN_TITLE, MAX_COUNT, SearchPage};
use super::keys::{KEY_BYTES, Key, Term, hash_key};
use super::tokens::{TermSink, terms_into};

/// Slots of a table at first (a power of two; it doubles when half full): enough for most
/// pages' terms.
const FIRST_SLOTS: usize = 1024;

/// Slots of a page's table at most when it is kept for the next page: a page with many more
/// terms made it grow, and the next one starts small again.
const KEPT_SLOTS: usize = 4 * FIRST_SLOTS;

thread_local! {
    /// Each thread's table for counting a page's terms, left empty between pages: reused
    /// rather than made (and zeroed) anew for every page.
    static PAGE_TABLE: RefCell<Option<KeyTable>> = const { RefCell::new(None) };
}

/// A slot of a [`KeyTable`]: a short term's key (0 when free) and its value.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    key: Key,
    value: u32,
}

/// Short terms with a value each, by open addressing probed linearly from the top bits of a
/// key's hash. A slot holds the key and the value themselves, so that finding a term met before
/// (most words of a page, most terms of an index) reads one slot and compares one key.
#[derive(Debug)]
struct KeyTable {
    entries: Box<[Entry]>,
    /// 64 less the bits of a slot's number: a hash shifted right by this is a slot.
    shift: u32,
    /// The slots taken, in the order their terms were first met.
    taken: Vec<u32>,
}

impl KeyTable {
    /// A table of `n` free slots (a power of two).
    fn new(n: usize) -> Self {
        KeyTable {
            entries: vec![Entry::default(); n].into_boxed_slice(),
            shift: 64 - n.trailing_zeros(),
            taken: Vec::with_capacity(n / 2),
        }
    }

    /// The value of the short term with key `k`, taken with value 0 when new.
    #[inline(always)]
    fn value_mut(&mut self, k: Key) -> &mut u32 {
        let mask = self.entries.len() - 1;
        let mut slot = (hash_key(k) >> self.shift) as usize;
        loop {
            let key = self.entries[slot].key;
            if key == k {
                // Returned from here, where the slot's bounds are known, not after the loop.
                return &mut self.entries[slot].value;
            }
            if key == 0 {
                let slot = self.take(k, slot);
                return &mut self.entries[slot].value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Take the free `slot` for the new key `k` (or another, when the table must grow first);
    /// returns the slot taken.
    #[inline(always)]
    fn take(&mut self, k: Key, mut slot: usize) -> usize {
        if (self.taken.len() + 1) * 2 > self.entries.len() {
            slot = self.grow(k);
        }
        self.entries[slot].key = k;
        self.taken.push(slot as u32);
        slot
    }

    /// The first free slot from `k`'s home.
    fn free_slot(&self, k: Key) -> usize {
        let mask = self.entries.len() - 1;
        let mut slot = (hash_key(k) >> self.shift) as usize;
        while self.entries[slot].key != 0 {
            slot = (slot + 1) & mask;
        }
        slot
    }

    /// Double the table and place every term again, keeping their order; returns the free
    /// slot for the new key `k`.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, k: Key) -> usize {
        let old = std::mem::replace(self, KeyTable::new(self.entries.len() * 2));
        for &taken in &old.taken {
            let entry = old.entries[taken as usize];
            let slot = self.free_slot(entry.key);
            self.entries[slot] = entry;
            self.taken.push(slot as u32);
        }
        self.free_slot(k)
    }

    /// The terms and values, in the order first met, leaving the table empty.
    fn drain(&mut self) -> Vec<Short> {
        let entries = &mut self.entries;
        let short = self
            .taken
            .iter()
            .map(|&slot| {
                let entry = std::mem::take(&mut entries[slot as usize]);
                Short { key: entry.key, value: entry.value }
            })
            .collect();
        self.taken.clear();
        short
    }
}

/// A short term of a page, with its value.
#[derive(Debug, Clone, Copy)]
struct Short {
    key: Key,
    value: u32,
}

/// The terms of one page: each once, with its posting value (see the flags in
/// [`super::index`]).
#[derive(Debug)]
pub(crate) struct PageTerms {
    /// The short terms, in the order first met.
    short: Vec<Short>,
    /// The long terms, in the order first met: text and value.
    long: Vec<(Box<str>, u32)>,
    /// Finds a long term's place in `long` by hash.
    long_table: HashTable<u32>,
}

impl PageTerms {
    /// Analyse `page`: title, description and tags, headings and text, and its filter keys.
    pub(crate) fn of(page: &SearchPage) -> PageTerms {
        let table = PAGE_TABLE.with_borrow_mut(Option::take);
        let table = table.unwrap_or_else(|| KeyTable::new(FIRST_SLOTS));
        let terms = PageTerms { short: Vec::new(), long: Vec::new(), long_table: HashTable::new() };
        let mut counter = Counter { terms, table };
        counter.flag::<IN_TITLE, false>(&page.title);
        counter.flag::<IN_META, false>(&page.description);
        for tag in &page.tags {
            counter.flag::<IN_META, false>(tag);
        }
        for section in page.sections.iter() {
            counter.flag::<IN_HEADING, true>(&section.heading);
            counter.flag::<0, true>(&section.text);
        }
        if let Some(s) = page.section {
            counter.filter('s', decimal(s, &mut [0; 20]));
        }
        counter.filter('k', page.kind);
        let Counter { mut terms, mut table } = counter;
        terms.short = table.drain();
        if table.entries.len() <= KEPT_SLOTS {
            PAGE_TABLE.set(Some(table));
        }
        terms
    }

    /// Each term and its value: the short ones in the order first met, then the long ones.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Term<'_>, u32)> {
        let short = self.short.iter().map(|s| (Term::Short(s.key), s.value));
        short.chain(self.long.iter().map(|(text, value)| (Term::Long(text), *value)))
    }

    /// Number each term in `interner`, handing `f` its number and value in the order of
    /// [`PageTerms::iter`]: a loop for each kind rather than one over both, since every posting
    /// of an index passes through here.
    #[inline]
    pub(crate) fn intern_each(&self, interner: &mut Interner, mut f: impl FnMut(u32, u32)) {
        for short in &self.short {
            f(interner.short_id(short.key), short.value);
        }
        for (text, value) in &self.long {
            f(interner.long_id(text), *value);
        }
    }

    /// How many terms.
    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// A page's terms being counted: the long ones in place, the short ones in the table.
struct Counter {
    terms: PageTerms,
    table: KeyTable,
}

impl Counter {
    /// Set `BIT` in the value of every term of `text`, and count each one if `COUNTS`.
    fn flag<const BIT: u32, const COUNTS: bool>(&mut self, text: &str) {
        terms_into(text, &mut Flag::<BIT, COUNTS> { counter: self });
    }

    /// Add the filter term `{FILTER_PREFIX}{tag}{value}` (no token starts with the prefix, so
    /// it is new): its key is made from its bytes at once, rather than its text formatted first,
    /// since every page has one or two.
    fn filter(&mut self, tag: char, value: &str) {
        let mut bytes = [0; KEY_BYTES];
        let (head, rest) = bytes.split_at_mut(2);
        match rest.get_mut(..value.len()) {
            Some(rest) if FILTER_PREFIX.is_ascii() && tag.is_ascii() => {
                head.copy_from_slice(&[FILTER_PREFIX as u8, tag as u8]);
                rest.copy_from_slice(value.as_bytes());
                self.value_mut(Term::Short(Key::from_le_bytes(bytes)));
            }
            _ => {
                self.value_mut(Term::of(&format!("{FILTER_PREFIX}{tag}{value}")));
            }
        }
    }

    /// The value of `term`, added with value 0 when new.
    #[inline(always)]
    fn value_mut(&mut self, term: Term<'_>) -> &mut u32 {
        match term {
            Term::Short(k) => self.table.value_mut(k),
            Term::Long(text) => self.long_value_mut(text),
        }
    }

    /// The value of the long term `text`.
    #[inline(never)]
    fn long_value_mut(&mut self, text: &str) -> &mut u32 {
        let h = Term::Long(text).hash();
        let terms = &mut self.terms;
        let long = &terms.long;
        let at = match terms.long_table.entry(
            h,
            |&i| &*long[i as usize].0 == text,
            |&i| Term::Long(&long[i as usize].0).hash(),
        ) {
            hashbrown::hash_table::Entry::Occupied(entry) => *entry.get() as usize,
            hashbrown::hash_table::Entry::Vacant(entry) => {
                entry.insert(long.len() as u32);
                terms.long.push((text.into(), 0));
                terms.long.len() - 1
            }
        };
        &mut terms.long[at].1
    }
}

/// Takes a text's terms for [`Counter::flag`]: sets `BIT` in the value of each, and counts
/// it if `COUNTS`. A type of its own rather than a closure, so that its work is inlined into
/// the tokeniser's loops, and with both as constants, so that each text's kind has its own
/// loop, doing no more than it needs.
struct Flag<'a, const BIT: u32, const COUNTS: bool> {
    counter: &'a mut Counter,
}

impl<const BIT: u32, const COUNTS: bool> TermSink for Flag<'_, BIT, COUNTS> {
    #[inline(always)]
    fn term(&mut self, term: Term<'_>) {
        let value = self.counter.value_mut(term);
        *value |= BIT;
        if COUNTS {
            // Added without a branch: whether a term has reached the most is no pattern a
            // processor can foretell.
            *value += u32::from((*value >> COUNT_SHIFT) < MAX_COUNT) << COUNT_SHIFT;
        }
    }
}

/// `n` in decimal digits, written at the end of `buf`.
fn decimal(mut n: usize, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Digits only, so UTF-8.
    std::str::from_utf8(&buf[at..]).unwrap_or_default()
}

/// Add the text of the short term with key `k` to `texts`; returns how many there are.
#[inline(never)]
fn push_short(texts: &mut Vec<Box<str>>, k: Key) -> u32 {
    texts.push(Term::Short(k).text(&mut [0; KEY_BYTES]).into());
    texts.len() as u32
}

/// An index's terms, numbered in the order first met.
pub(crate) struct Interner {
    texts: Vec<Box<str>>,
    /// Per short term: 1 + its number.
    short: KeyTable,
    /// Finds a long term's number by hash.
    long_table: HashTable<u32>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner { texts: Vec::new(), short: KeyTable::new(FIRST_SLOTS), long_table: HashTable::new() }
    }
}

impl Interner {
    /// The number of `term`, numbered now when new.
    #[cfg(test)]
    pub(crate) fn id(&mut self, term: Term<'_>) -> u32 {
        match term {
            Term::Short(k) => self.short_id(k),
            Term::Long(text) => self.long_id(text),
        }
    }

    /// The number of the short term with key `k`.
    #[inline(always)]
    fn short_id(&mut self, k: Key) -> u32 {
        let value = self.short.value_mut(k);
        if *value == 0 {
            *value = push_short(&mut self.texts, k);
        }
        *value - 1
    }

    /// The number of the long term `text`.
    #[inline(never)]
    fn long_id(&mut self, text: &str) -> u32 {
        let texts = &self.texts;
        let next = texts.len() as u32;
        match self.long_table.entry(
            Term::Long(text).hash(),
            |&i| *texts[i as usize] == *text,
            |&i| Term::Long(&texts[i as usize]).hash(),
        ) {
            hashbrown::hash_table::Entry::Occupied(entry) => *entry.get(),
            hashbrown::hash_table::Entry::Vacant(entry) => {
                entry.insert(next);
                self.texts.push(text.into());
                next
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
            title: format!("{long} internationalisations {long} Internationalisation").into(),
            kind: "guide",
            ..SearchPage::default()
        };
        let terms = PageTerms::of(&page);
        let found: Vec<String> = texts(&terms).into_iter().map(|(t, _)| t).collect();
        assert_eq!(found, [":kguide", long, "internationalisations"]);
        let mut interner = Interner::default();
        let ids: Vec<u32> = terms.iter().map(|(t, _)| interner.id(t)).collect();
        assert_eq!(ids, [0, 1, 2]);
        let mut each = Vec::new();
        terms.intern_each(&mut Interner::default(), |id, value| each.push((id, value)));
        let values: Vec<u32> = terms.iter().map(|(_, v)| v).collect();
        assert_eq!(each, ids.iter().copied().zip(values).collect::<Vec<_>>());
        assert_eq!(interner.id(Term::of(long)), 1);
        assert_eq!(interner.id(Term::of("internationalisations")), 2);
        assert_eq!(interner.text(1), long);
    }

    #[test]
    fn the_table_grows_and_keeps_every_term() {
        // More terms than the first table holds at half load, each twice.
        let words: Vec<String> = (0..FIRST_SLOTS * 3).map(|i| format!("w{i}")).collect();
        let text = format!("{} {}", words.join(" "), words.join(" "));
        let page = SearchPage { sections: SearchSection::only(&text), kind: "faq", ..SearchPage::default() };
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
    fn filter_terms_are_their_texts() {
        let cases =
            [(0, "guide"), (7, "faq"), (12_345_678_901_234, "law"), (usize::MAX, "a-kind-longer-than-a-key")];
        for (s, kind) in cases {
            let page = SearchPage { section: Some(s), kind, ..SearchPage::default() };
            let want = [(format!("{FILTER_PREFIX}s{s}"), 0), (format!("{FILTER_PREFIX}k{kind}"), 0)];
            assert_eq!(texts(&PageTerms::of(&page)), want, "section {s}, kind {kind}");
        }
        assert_eq!(decimal(0, &mut [0; 20]), "0");
        assert_eq!(decimal(usize::MAX, &mut [0; 20]), usize::MAX.to_string());
    }

    #[test]
    fn a_page_counts_and_flags_each_term_once() {
        let page = SearchPage {
            url: "/p/".into(),
            title: "Lost card".into(),
            description: "Report a lost card".into(),
            tags: vec!["refund"],
            section: Some(2),
            kind: "faq",
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

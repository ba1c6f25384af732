//! The links a body records: a small fixed-size record each, naming its destination and text
//! in a table that keeps every string once per body.
//!
//! A large page has a link every few dozen bytes: with two shared strings and two offsets in
//! each link, its links took nearly as much memory as its text (56 bytes a link). A record of
//! four 32-bit numbers takes 16. Offsets fit in 32 bits because a page is at most
//! [`crate::source::MAX_PAGE_BYTES`] long; a longer body (shortcodes can make one) keeps
//! `u32::MAX` for places past 4 GiB, which only messages read.

use std::sync::Arc;

use hashbrown::HashTable;

/// The top bit of a record's destination: the link is internal.
const INTERNAL: u32 = 1 << 31;

/// Hashes a body's strings to find them again while the body is rendered.
const HASHER: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// One link: where it is written, and which of the table's strings it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    offset: u32,
    length: u32,
    /// The destination's index in the table, with [`INTERNAL`] set for an internal link.
    destination: u32,
    /// The text's index in the table.
    text: u32,
}

/// The links of a body, in source order; link `i` is placeholder `i` when internal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    records: Vec<Record>,
    /// Every destination and text, each once.
    strings: Vec<Arc<str>>,
}

/// A link found in the body, as [`Links`] gives it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    /// The destination as written (shared by the links of a body that write the same one).
    pub destination: &'a Arc<str>,
    /// The link's plain text (shared likewise).
    pub text: &'a Arc<str>,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// Byte length of the link's source.
    pub length: usize,
    /// Whether its `href` is a placeholder to be filled by [`super::fill_links`].
    pub internal: bool,
}

/// A place as a record holds it (see the module's note on bodies past 4 GiB).
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A place as a record gives it back.
fn widen(n: u32) -> usize {
    n as usize
}

impl Links {
    /// How many links.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the body has no link.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Link `index`.
    pub fn get(&self, index: usize) -> Option<Link<'_>> {
        self.records.get(index).map(|r| self.view(r))
    }

    /// The last link.
    pub fn last(&self) -> Option<Link<'_>> {
        self.records.last().map(|r| self.view(r))
    }

    /// Every link, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter { links: self, records: self.records.iter() }
    }

    /// Move link `index` to another place (once shortcodes are expanded, a link's place in the
    /// expanded body becomes its place in the file).
    pub fn set_place(&mut self, index: usize, offset: usize, length: usize) {
        if let Some(record) = self.records.get_mut(index) {
            (record.offset, record.length) = (narrow(offset), narrow(length));
        }
    }

    /// The different strings the links name: an upper bound of their different destinations.
    pub fn strings(&self) -> usize {
        self.strings.len()
    }

    fn view(&self, record: &Record) -> Link<'_> {
        let string = |index: u32| &self.strings[(index & !INTERNAL) as usize];
        Link {
            destination: string(record.destination),
            text: string(record.text),
            offset: widen(record.offset),
            length: widen(record.length),
            internal: record.destination & INTERNAL != 0,
        }
    }
}

/// The links of a body, in order (see [`Links::iter`]).
pub struct Iter<'a> {
    links: &'a Links,
    records: std::slice::Iter<'a, Record>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Link<'a>;

    fn next(&mut self) -> Option<Link<'a>> {
        self.records.next().map(|r| self.links.view(r))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Links {
    type Item = Link<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Gathers a body's links while it is rendered, keeping each string once.
#[derive(Default)]
pub(super) struct Recorder {
    links: Links,
    /// The indexes of `links.strings` with their hashes, found by their text (a table grown
    /// with the body rehashes from the hashes kept rather than the texts).
    known: HashTable<(u64, u32)>,
    /// The index of the empty text, which every link has until its text is read.
    empty: Option<u32>,
}

impl Recorder {
    /// Room for `count` more links at once, rather than a list that doubles while a large
    /// body is read, for a moment taking room for its old and new selves.
    pub(super) fn reserve_exact(&mut self, count: usize) {
        self.links.records.reserve_exact(count);
    }

    /// Record a link to `destination` written at `range`, with no text yet; returns its index.
    pub(super) fn push(
        &mut self,
        destination: &str,
        range: &std::ops::Range<usize>,
        internal: bool,
    ) -> usize {
        let destination = self.intern(destination) | if internal { INTERNAL } else { 0 };
        let text = match self.empty {
            Some(empty) => empty,
            None => {
                let empty = self.intern("");
                *self.empty.insert(empty)
            }
        };
        let (offset, length) = (narrow(range.start), narrow(range.end - range.start));
        self.links.records.push(Record { offset, length, destination, text });
        self.links.records.len() - 1
    }

    /// Give link `index` its text.
    pub(super) fn set_text(&mut self, index: usize, text: &str) {
        let text = self.intern(text);
        if let Some(record) = self.links.records.get_mut(index) {
            record.text = text;
        }
    }

    /// The links so far.
    pub(super) fn links(&self) -> &Links {
        &self.links
    }

    /// The links, once the body is rendered.
    pub(super) fn finish(self) -> Links {
        self.links
    }

    /// The index of `text` in the table, adding it if it is new.
    fn intern(&mut self, text: &str) -> u32 {
        let strings = &mut self.links.strings;
        let hash = HASHER.hash_one(text);
        if let Some(&(_, known)) = self.known.find(hash, |&(_, i)| *strings[i as usize] == *text) {
            return known;
        }
        // Indexes stay below the internal flag: a body has far fewer strings than that.
        let index = narrow(strings.len()).min(INTERNAL - 1);
        strings.push(Arc::from(text));
        self.known.insert_unique(hash, (hash, index), |&(hash, _)| hash);
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_places_flags_and_shared_strings() {
        let mut recorder = Recorder::default();
        let a = recorder.push("a.md", &(3..12), true);
        let b = recorder.push("https://example.gov/", &(20..50), false);
        let c = recorder.push("a.md", &(60..69), true);
        recorder.set_text(a, "the form");
        recorder.set_text(c, "the form");
        let links = recorder.finish();
        assert_eq!((links.len(), b), (3, 1));
        let first = links.get(0).unwrap();
        assert_eq!(
            (&**first.destination, &**first.text, first.offset, first.length),
            ("a.md", "the form", 3, 9)
        );
        assert!(first.internal);
        let second = links.get(1).unwrap();
        assert!(!second.internal);
        assert_eq!((&**second.text, second.offset, second.length), ("", 20, 30));
        let third = links.last().unwrap();
        assert!(Arc::ptr_eq(first.destination, third.destination));
        assert!(Arc::ptr_eq(first.text, third.text));
        // `a.md`, ``, the URL, `the form`.
        assert_eq!(links.strings(), 4);
    }

    #[test]
    fn places_past_four_gib_are_kept_at_the_largest_and_can_be_moved() {
        let mut recorder = Recorder::default();
        recorder.push("a.md", &(1 << 33..(1 << 33) + 5), true);
        let mut links = recorder.finish();
        assert_eq!(links.get(0).unwrap().offset, u32::MAX as usize);
        links.set_place(0, 7, 4);
        let moved = links.get(0).unwrap();
        assert_eq!((moved.offset, moved.length, moved.internal), (7, 4, true));
        assert_eq!(links.iter().count(), 1);
    }
}

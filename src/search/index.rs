//! Building the sharded index of one language, and updating it after one page's edit.
//!
//! [`SearchIndex`] keeps what it needs to redo a part: each page's terms and the postings of
//! every term. Every file is a pure function of the pages, so an updated index writes exactly
//! the bytes a fresh one would.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::files::{
    Bucket, DIGIT_PAIRS, DIGITS, buckets_of, content_name, named_script, script, shard_of, to_json,
};
use super::fragment::chunk_file;
use super::terms::{Interner, PageTerms};
use crate::text::push_json_str;

/// Index format version (the manifest's `v`).
pub const INDEX_VERSION: u32 = 3;
/// Characters of each section's text kept for snippets and for choosing the best section.
pub const SECTION_CHARS: usize = 1000;
/// Pages per document chunk (`d/`): neighbours in site order share one file, so that a
/// 10,000-page site writes 2,500 of them rather than 10,000, while a query's ten results still
/// load little besides their own fragments (four pages gzip to about two and a half pages'
/// worth; eight made later queries on a 10,000-page site fetch over 60 KB).
pub const CHUNK_PAGES: usize = 4;
/// Chunks per page table (the file that names the chunks).
pub const TABLE_CHUNKS: usize = 64;
/// About how many (term, page) postings a shard holds; the shard count is the power of two
/// that brings shards nearest under it.
const POSTINGS_PER_SHARD: usize = 4096;
/// Pages analysed in parallel before their terms are interned.
const ANALYSE_CHUNK: usize = 128;
/// Flag bits of a posting's value; the term's count in headings and body (at most 3) is
/// shifted above them.
pub(crate) const IN_TITLE: u32 = 1;
pub(crate) const IN_HEADING: u32 = 2;
pub(crate) const IN_META: u32 = 4;
pub(crate) const COUNT_SHIFT: u32 = 3;
pub(crate) const MAX_COUNT: u32 = 3;
/// Prefix of the keys that list the pages of a filter (`:s3` section, `:kfaq` kind); no
/// token has it.
pub(crate) const FILTER_PREFIX: char = ':';

/// One part of a page: the text before its first heading (anchor and heading `""`), or a
/// heading's section. The Markdown stage records bodies in this form, so that search borrows a
/// body's text rather than copying it.
pub type SearchSection = crate::markdown::plain::TextSection;

/// One published page, as search sees it; its sections are borrowed from the page's rendered
/// body where it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPage<'a> {
    /// Its URL (relative to the search folder when the site uses relative URLs).
    pub url: String,
    /// Its title.
    pub title: Cow<'a, str>,
    /// Its description.
    pub description: Cow<'a, str>,
    /// Its taxonomy terms (tags and the rest), indexed with the description.
    pub tags: Vec<&'a str>,
    /// Its place in [`SearchSettings::sections`], for the section filter.
    pub section: Option<usize>,
    /// Its kind (`guide`, `steps`, `faq`, `law`), for the kind filter.
    pub kind: &'static str,
    /// The text before its first heading, then one entry per heading.
    pub sections: Cow<'a, [SearchSection]>,
}

/// What the manifest says besides the files: filters and synonyms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchSettings {
    /// The language code.
    pub lang: String,
    /// The sections offered as a filter: (title, URL).
    pub sections: Vec<(String, String)>,
    /// The kinds offered as a filter.
    pub kinds: Vec<String>,
    /// Sets of words that find each other (`身份证`/`身分证`).
    pub synonyms: Vec<Vec<String>>,
}

/// The files of an index, by path relative to the search folder (`manifest.js`, `s/….js`).
pub type Files = BTreeMap<String, Arc<str>>;

/// Where an index hands each file as soon as it is made: its path relative to the search
/// folder, and its text. Called from several threads at once.
pub type Sink<'a> = &'a (dyn Fn(String, String) + Sync);

/// A page as an index asks for it, by id: made on demand, so that a site's pages are never all
/// in memory as search pages.
pub type MakePage<'a, 'p> = &'a (dyn Fn(usize) -> Cow<'p, SearchPage<'p>> + Sync);

/// A built index that can be updated page by page. It keeps the terms and postings, and the
/// names of its files, not their text: files are handed to a [`Sink`] as they are made, and a
/// page's edit makes its chunk again from the pages.
pub struct SearchIndex {
    settings: SearchSettings,
    /// Interned terms; a term id indexes `postings`.
    terms: Interner,
    /// Per term: `page << VALUE_BITS | value`, sorted by page.
    postings: Vec<Vec<u32>>,
    /// Per page: its term ids, sorted (the values are in `postings`); empty unless the
    /// index is to be updated.
    page_terms: Vec<Box<[u32]>>,
    /// Whether [`SearchIndex::update_page`] may be called (`page_terms` is kept).
    updatable: bool,
    /// How many pages.
    page_count: usize,
    /// Per chunk: its file's name.
    chunk_names: Vec<String>,
    shard_count: usize,
    /// Total postings (decides the shard count).
    posting_count: usize,
    /// The content names of the shards, vocabulary buckets and page tables.
    shard_names: Vec<String>,
    vocab_names: BTreeMap<String, String>,
    table_names: Vec<String>,
}

/// The manifest's path: the one file with a fixed name.
pub const MANIFEST: &str = "manifest.js";

/// Bits of a posting below the page id: its value (flags and count) fits in them.
const VALUE_BITS: u32 = 5;

/// What an update changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Files to write (new, or with new bytes).
    pub write: Files,
    /// Files no longer part of the index.
    pub remove: Vec<String>,
}

impl FileChanges {
    /// Apply the changes to `files`, the index's files before them.
    pub fn apply_to(self, files: &mut Files) {
        for path in &self.remove {
            files.remove(path);
        }
        files.extend(self.write);
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    lang: &'a str,
    pages: usize,
    shards: Vec<&'a str>,
    vocab: BTreeMap<&'a str, &'a str>,
    tables: Vec<&'a str>,
    chunk: usize,
    table: usize,
    sections: &'a [(String, String)],
    kinds: &'a [String],
    synonyms: &'a [Vec<String>],
}

/// The pages of chunk `chunk` among `count` pages.
fn chunk_pages(chunk: usize, count: usize) -> std::ops::Range<usize> {
    chunk * CHUNK_PAGES..((chunk + 1) * CHUNK_PAGES).min(count)
}

/// Append a term's postings string: page delta, then value, per page. Digits are written as
/// bytes into a block on the stack, and the block to `out` whenever it might not hold the next
/// posting (seven digits at most: a page delta of up to six, a value of one). A posting's last
/// two digits, its delta's last and its value, are written as one pair: most deltas are below
/// 32 (a term on many pages is on pages near each other), and their postings are that pair.
fn push_postings(out: &mut String, list: &[u32]) {
    const BLOCK: usize = 256;
    // One byte more than a block's positions, so that a pair written at any of them fits.
    let mut block = [0u8; BLOCK + 1];
    let (mut end, mut prev) = (0, 0);
    for &posting in list {
        if end > BLOCK - 7 {
            // Digits are ASCII: this never falls back.
            out.push_str(std::str::from_utf8(&block[..end]).unwrap_or_default());
            end = 0;
        }
        let page = posting >> VALUE_BITS;
        let mut delta = page - prev;
        prev = page;
        // `end` stays below BLOCK (at most BLOCK - 7 before a posting's seven digits): the
        // masks change no position, and spare the checks of bounds.
        while delta >= 32 {
            block[end & (BLOCK - 1)] = DIGITS[(delta & 31 | 32) as usize];
            delta >>= 5;
            end += 1;
        }
        let pair = DIGIT_PAIRS[(delta << VALUE_BITS | posting & ((1 << VALUE_BITS) - 1)) as usize & 1023];
        let at = end & (BLOCK - 1);
        block[at] = pair[0];
        block[at + 1] = pair[1];
        end += 2;
    }
    out.push_str(std::str::from_utf8(&block[..end]).unwrap_or_default());
}

fn shard_count_for(postings: usize) -> usize {
    postings.div_ceil(POSTINGS_PER_SHARD).max(1).next_power_of_two()
}

/// The place of page `id`'s posting in a term's postings (`Err` where it would go).
fn find_posting(postings: &[u32], id: usize) -> Result<usize, usize> {
    postings.binary_search_by_key(&(id as u32), |p| p >> VALUE_BITS)
}

impl SearchIndex {
    /// Index `pages` (page ids are their positions): the index and all its files.
    pub fn build(settings: SearchSettings, pages: &[SearchPage<'_>]) -> (SearchIndex, Files) {
        let files = std::sync::Mutex::new(Files::new());
        let sink = |path: String, text: String| {
            if let Ok(mut files) = files.lock() {
                files.insert(path, text.into());
            }
        };
        let index =
            SearchIndex::build_from(settings, pages.len(), &|i| Cow::Borrowed(&pages[i]), &sink, true);
        (index, files.into_inner().unwrap_or_default())
    }

    /// [`SearchIndex::build`] from `count` pages that `make` makes on demand (in parallel,
    /// each dropped once analysed), handing every file to `sink` as soon as it is made. Unless
    /// `updatable`, the index keeps no page's terms (a one-off build never updates it, and on a
    /// large site they are a sizeable part of its memory) and cannot be updated.
    pub fn build_from(
        settings: SearchSettings,
        count: usize,
        make: MakePage<'_, '_>,
        sink: Sink<'_>,
        updatable: bool,
    ) -> SearchIndex {
        let mut index = SearchIndex {
            settings,
            terms: Interner::default(),
            postings: Vec::new(),
            page_terms: Vec::with_capacity(if updatable { count } else { 0 }),
            updatable,
            page_count: 0,
            chunk_names: Vec::with_capacity(count.div_ceil(CHUNK_PAGES)),
            shard_count: 1,
            posting_count: 0,
            shard_names: Vec::new(),
            vocab_names: BTreeMap::new(),
            table_names: Vec::new(),
        };
        // In batches of chunks, so that the terms of only one batch of pages wait to be
        // interned at once; each chunk's file is made and handed on in parallel.
        let chunks = count.div_ceil(CHUNK_PAGES);
        for start in (0..chunks).step_by(ANALYSE_CHUNK / CHUNK_PAGES) {
            let end = (start + ANALYSE_CHUNK / CHUNK_PAGES).min(chunks);
            let analysed: Vec<_> = (start..end)
                .into_par_iter()
                .map(|chunk| {
                    let pages: Vec<_> = chunk_pages(chunk, count).map(make).collect();
                    let (name, text) = chunk_file(&pages);
                    sink(format!("d/{name}.js"), text);
                    (name, pages.iter().map(|p| PageTerms::of(p)).collect::<Vec<_>>())
                })
                .collect();
            for (name, pages) in analysed {
                index.chunk_names.push(name);
                for terms in &pages {
                    index.add_page(terms);
                }
            }
        }
        for list in &mut index.postings {
            list.shrink_to_fit();
        }
        index.shard_count = shard_count_for(index.posting_count);
        let all_shards: BTreeSet<usize> = (0..index.shard_count).collect();
        let all_tables: BTreeSet<usize> = (0..index.table_count()).collect();
        let mut all_buckets = BTreeSet::new();
        for term in index.live_terms() {
            all_buckets.extend(buckets_of(term));
        }
        index.remake(&all_shards, &all_buckets, &all_tables, sink);
        index
    }

    /// How many pages the index holds.
    pub fn page_count(&self) -> usize {
        self.page_count
    }

    /// Replace page `id` (a position given to [`SearchIndex::build`]) by its new version from
    /// `make` (which also makes the other pages of its chunk): only the shards of its old and
    /// new terms, its chunk, its page table and the manifest change. `None` when `id` is not a
    /// page of the index, or the index was built not to be updated.
    pub fn update_page(&mut self, id: usize, make: MakePage<'_, '_>) -> Option<FileChanges> {
        if id >= self.page_count() || !self.updatable {
            return None;
        }
        let before = self.paths();
        let page = make(id);
        let mut list = self.intern(&PageTerms::of(&page));
        list.sort_unstable();
        let (shards, buckets) = self.replace_postings(id, &list);
        self.posting_count = self.posting_count + list.len() - self.page_terms[id].len();
        self.page_terms[id] = list.iter().map(|&(t, _)| t).collect();
        let made = std::sync::Mutex::new(Files::new());
        let sink = |path: String, text: String| {
            if let Ok(mut made) = made.lock() {
                made.insert(path, text.into());
            }
        };
        let chunk = id / CHUNK_PAGES;
        let mut page = Some(page);
        let pages: Vec<_> = chunk_pages(chunk, self.page_count())
            .map(|p| if p == id { page.take().unwrap_or_else(|| make(p)) } else { make(p) })
            .collect();
        let (name, text) = chunk_file(&pages);
        sink(format!("d/{name}.js"), text);
        self.chunk_names[chunk] = name;
        let shards = if shard_count_for(self.posting_count) != self.shard_count {
            self.shard_count = shard_count_for(self.posting_count);
            (0..self.shard_count).collect()
        } else {
            shards
        };
        self.remake(&shards, &buckets, &BTreeSet::from([chunk / TABLE_CHUNKS]), &sink);
        let after = self.paths();
        let write = made
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .filter(|(path, _)| !before.contains(path) || path == MANIFEST)
            .collect();
        let remove = before.difference(&after).cloned().collect();
        Some(FileChanges { write, remove })
    }

    /// Set page `id`'s postings to `list` (term, value), sorted by term; returns the shards
    /// and vocabulary buckets of the terms whose postings changed.
    fn replace_postings(&mut self, id: usize, list: &[(u32, u32)]) -> (BTreeSet<usize>, BTreeSet<Bucket>) {
        let mut shards = BTreeSet::new();
        let mut buckets = BTreeSet::new();
        let posting = |value: u32| (id as u32) << VALUE_BITS | value;
        let old: Vec<(u32, u32)> = self.page_terms[id]
            .iter()
            .map(|&t| {
                let postings = &self.postings[t as usize];
                let value = find_posting(postings, id).map_or(0, |at| postings[at] & ((1 << VALUE_BITS) - 1));
                (t, value)
            })
            .collect();
        for &(term, value) in &old {
            if list.binary_search(&(term, value)).is_err() {
                let postings = &mut self.postings[term as usize];
                if let Ok(at) = find_posting(postings, id) {
                    postings.remove(at);
                }
                self.mark(term, &mut shards, &mut buckets);
            }
        }
        for &(term, value) in list {
            if old.binary_search(&(term, value)).is_err() {
                let postings = &mut self.postings[term as usize];
                match find_posting(postings, id) {
                    Ok(at) => postings[at] = posting(value),
                    Err(at) => postings.insert(at, posting(value)),
                }
                self.mark(term, &mut shards, &mut buckets);
            }
        }
        (shards, buckets)
    }

    /// Add the next page's terms.
    fn add_page(&mut self, terms: &PageTerms) {
        let page = self.page_count as u32;
        if !self.updatable {
            // A one-off build keeps no page's terms: each posting goes straight to its term,
            // with no list of the page's terms made in between.
            let postings = &mut self.postings;
            terms.intern_each(&mut self.terms, |id, value| {
                let id = id as usize;
                if id == postings.len() {
                    postings.push(Vec::new());
                }
                postings[id].push(page << VALUE_BITS | value);
            });
            self.posting_count += terms.len();
            self.page_count += 1;
            return;
        }
        let list = self.intern(terms);
        for &(term, value) in &list {
            self.postings[term as usize].push(page << VALUE_BITS | value);
        }
        self.posting_count += list.len();
        self.page_count += 1;
        if self.updatable {
            self.page_terms.push(list.iter().map(|&(t, _)| t).collect());
        }
    }

    /// A page's terms as (term id, value), sorted if the index is updatable (its pages' terms
    /// are kept sorted; a one-off build adds them to the postings in any order): new terms are
    /// numbered, with no postings yet.
    fn intern(&mut self, terms: &PageTerms) -> Vec<(u32, u32)> {
        let mut list = Vec::with_capacity(terms.len());
        let postings = &mut self.postings;
        terms.intern_each(&mut self.terms, |id, value| {
            if id as usize == postings.len() {
                postings.push(Vec::new());
            }
            list.push((id, value));
        });
        if self.updatable {
            list.sort_unstable();
        }
        list
    }

    /// How many page tables there are.
    fn table_count(&self) -> usize {
        self.chunk_names.len().div_ceil(TABLE_CHUNKS)
    }

    /// Note the shard and the vocabulary buckets of a term whose postings changed.
    fn mark(&self, term: u32, shards: &mut BTreeSet<usize>, buckets: &mut BTreeSet<Bucket>) {
        let text = self.terms.text(term);
        shards.insert(shard_of(text, self.shard_count));
        buckets.extend(buckets_of(text));
    }

    /// Terms with at least one posting.
    fn live_terms(&self) -> impl Iterator<Item = &str> {
        self.terms.texts().zip(&self.postings).filter(|(_, p)| !p.is_empty()).map(|(t, _)| t)
    }

    /// The paths of the index's files.
    fn paths(&self) -> BTreeSet<String> {
        let named = |dir: &'static str, names: &mut dyn Iterator<Item = &String>| {
            names.filter(|n| !n.is_empty()).map(|n| format!("{dir}/{n}.js")).collect::<Vec<_>>()
        };
        let mut paths = BTreeSet::from([MANIFEST.to_string()]);
        paths.extend(named("s", &mut self.shard_names.iter()));
        paths.extend(named("v", &mut self.vocab_names.values()));
        paths.extend(named("p", &mut self.table_names.iter()));
        paths.extend(named("d", &mut self.chunk_names.iter()));
        paths
    }

    /// The file of the shard holding terms `ids` (sorted here): its name and its text, the
    /// JSON object `{term: postings}` with its keys in order, written straight into the script.
    fn shard_file(&self, ids: &mut [u32]) -> (String, String) {
        ids.sort_unstable_by(|&a, &b| self.terms.text(a).cmp(self.terms.text(b)));
        // A posting takes two digits or more, and a term its quotes, colon and comma besides.
        let room: usize =
            ids.iter().map(|&t| self.terms.text(t).len() + 2 * self.postings[t as usize].len() + 6).sum();
        named_script("s", room + 2, |out| {
            out.push('{');
            for (i, &t) in ids.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_json_str(out, self.terms.text(t));
                out.push_str(":\"");
                push_postings(out, &self.postings[t as usize]);
                out.push('"');
            }
            out.push('}');
        })
    }

    /// Make the named shards, vocabulary buckets and page tables again, then the manifest,
    /// handing each file to `sink`.
    fn remake(
        &mut self,
        shards: &BTreeSet<usize>,
        buckets: &BTreeSet<Bucket>,
        tables: &BTreeSet<usize>,
        sink: Sink<'_>,
    ) {
        let mut shard_terms: BTreeMap<usize, Vec<u32>> = shards.iter().map(|&s| (s, Vec::new())).collect();
        // Terms come in order of their ids, each once: sorted per bucket once all are in.
        let mut bucket_terms: BTreeMap<Bucket, Vec<&str>> =
            buckets.iter().map(|&b| (b, Vec::new())).collect();
        for (id, term) in self.terms.texts().enumerate() {
            if self.postings[id].is_empty() {
                continue;
            }
            if let Some(list) = shard_terms.get_mut(&shard_of(term, self.shard_count)) {
                list.push(id as u32);
            }
            if term.starts_with(FILTER_PREFIX) || buckets.is_empty() {
                continue;
            }
            for bucket in buckets_of(term) {
                if let Some(words) = bucket_terms.get_mut(&bucket) {
                    words.push(term);
                }
            }
        }
        let shard_files: Vec<(usize, String)> = shard_terms
            .into_par_iter()
            .map(|(shard, mut ids)| {
                let (name, text) = self.shard_file(&mut ids);
                sink(format!("s/{name}.js"), text);
                (shard, name)
            })
            .collect();
        self.shard_names.resize(self.shard_count, String::new());
        self.shard_names.truncate(self.shard_count);
        for (shard, name) in shard_files {
            self.shard_names[shard] = name;
        }
        for (bucket, mut words) in bucket_terms {
            if words.is_empty() {
                self.vocab_names.remove(&bucket.name());
            } else {
                words.sort_unstable();
                let name = put(sink, "v", &to_json(&words));
                self.vocab_names.insert(bucket.name(), name);
            }
        }
        let table_count = self.table_count();
        self.table_names.resize(table_count, String::new());
        for &table in tables.iter().filter(|&&t| t < table_count) {
            let end = ((table + 1) * TABLE_CHUNKS).min(self.chunk_names.len());
            let name = put(sink, "p", &to_json(&&self.chunk_names[table * TABLE_CHUNKS..end]));
            self.table_names[table] = name;
        }
        let manifest = Manifest {
            v: INDEX_VERSION,
            lang: &self.settings.lang,
            pages: self.page_count(),
            shards: self.shard_names.iter().map(String::as_str).collect(),
            vocab: self.vocab_names.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            tables: self.table_names.iter().map(String::as_str).collect(),
            chunk: CHUNK_PAGES,
            table: TABLE_CHUNKS,
            sections: &self.settings.sections,
            kinds: &self.settings.kinds,
            synonyms: &self.settings.synonyms,
        };
        sink(MANIFEST.to_string(), script("manifest", &to_json(&manifest)));
    }
}

/// Hand `sink` a file of folder `dir` named by its content; returns the name.
fn put(sink: Sink<'_>, dir: &str, json: &str) -> String {
    let name = content_name(json);
    sink(format!("{dir}/{name}.js"), script(&format!("{dir}/{name}"), json));
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, text: &str) -> SearchPage<'static> {
        SearchPage {
            url: url.into(),
            title: title.to_string().into(),
            description: Cow::Borrowed(""),
            tags: vec!["refund"],
            section: None,
            kind: "guide",
            sections: SearchSection::only(text),
        }
    }

    fn pages(n: usize) -> Vec<SearchPage<'static>> {
        (0..n)
            .map(|i| {
                page(&format!("/p{i}/"), &format!("Page {i}"), &format!("word{} 身份证 挂失 common", i % 50))
            })
            .collect()
    }

    #[test]
    fn postings_strings_decode_to_page_deltas_and_values() {
        let mut next = crate::text::test_walk(5);
        for round in 0..300 {
            // Pages near and far apart, so that deltas of one digit and of several come up;
            // some lists long enough to fill the block the digits are gathered in many times.
            let mut page = 0u32;
            let len = if round % 10 == 0 { 500 } else { round % 40 };
            let list: Vec<u32> = (0..len)
                .map(|_| {
                    page += [1, 2, 31, 32, 33, 1023, 1024, 40_000][next(8)] * u32::from(next(6) != 0);
                    page << VALUE_BITS | next(32) as u32
                })
                .collect();
            let mut out = "x".to_string();
            push_postings(&mut out, &list);
            let numbers: Vec<u64> = super::super::files::decode_varints(&out[1..]).collect();
            let mut prev = 0;
            let expected: Vec<u64> = list
                .iter()
                .flat_map(|&p| {
                    let page = p >> VALUE_BITS;
                    let pair = [u64::from(page - prev), u64::from(p & 31)];
                    prev = page;
                    pair
                })
                .collect();
            assert_eq!(numbers, expected, "{list:?}");
        }
    }

    #[test]
    fn builds_are_deterministic_and_content_addressed() {
        let (_, a) = SearchIndex::build(SearchSettings::default(), &pages(200));
        let (_, b) = SearchIndex::build(SearchSettings::default(), &pages(200));
        assert_eq!(a, b);
        for (path, text) in &a {
            assert!(text.starts_with("signpostSearch(\""), "{path}");
            if path != MANIFEST {
                let name = path.trim_end_matches(".js").split('/').nth(1).unwrap();
                let json = super::super::files::unwrap_script(text).unwrap();
                assert_eq!(name, content_name(json), "{path} is named by its bytes");
            }
        }
        assert_eq!(a.keys().filter(|p| p.starts_with("d/")).count(), 200usize.div_ceil(CHUNK_PAGES));
        let tables = 200usize.div_ceil(CHUNK_PAGES * TABLE_CHUNKS);
        assert_eq!(a.keys().filter(|p| p.starts_with("p/")).count(), tables);
    }

    #[test]
    fn an_update_equals_a_fresh_build_and_touches_few_shards() {
        let mut list = pages(3000);
        let (mut index, mut files) = SearchIndex::build(SearchSettings::default(), &list);
        assert!(index.shard_count > 2, "enough postings for several shards");
        for (id, text) in
            [(5, "brandnew words 报失"), (5, "word5 身份证 挂失 common"), (2999, ""), (0, "common")]
        {
            list[id].sections.to_mut()[0].text = text.to_string();
            let changes = index.update_page(id, &|p| Cow::Borrowed(&list[p])).unwrap();
            let shards = changes.write.keys().filter(|p| p.starts_with("s/")).count();
            assert!(shards <= 8, "{shards} shards rewritten for one page");
            let chunks = changes.write.keys().filter(|p| p.starts_with("d/")).count();
            assert_eq!(chunks, 1, "one chunk rewritten for one page");
            assert!(changes.remove.iter().all(|p| !changes.write.contains_key(p)));
            changes.apply_to(&mut files);
            let (_, fresh) = SearchIndex::build(SearchSettings::default(), &list);
            assert_eq!(files, fresh, "after setting page {id} to {text:?}");
        }
        assert!(index.update_page(3000, &|p| Cow::Borrowed(&list[p % 3000])).is_none());
        // Built not to be updated: the same files, and no update.
        let kept = std::sync::Mutex::new(Files::new());
        let sink = |path: String, text: String| {
            kept.lock().unwrap().insert(path, text.into());
        };
        let mut once = SearchIndex::build_from(
            SearchSettings::default(),
            3000,
            &|p| Cow::Borrowed(&list[p]),
            &sink,
            false,
        );
        assert_eq!(kept.into_inner().unwrap(), files);
        assert_eq!(once.page_count(), 3000);
        assert!(once.update_page(5, &|p| Cow::Borrowed(&list[p])).is_none());
    }
}

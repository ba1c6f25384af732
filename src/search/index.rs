//! Building the sharded index of one language, and updating it after one page's edit.
//!
//! [`SearchIndex`] keeps what it needs to redo a part: each page's terms and the postings of
//! every term. Every file is a pure function of the pages, so an updated index writes exactly
//! the bytes a fresh one would.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::files::{buckets_of, content_name, push_varint, script, shard_of, to_json};
use super::tokens::for_each_term;

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
const ANALYSE_CHUNK: usize = 512;
/// Flag bits of a posting's value; the term's count in headings and body (at most 3) is
/// shifted above them.
pub(crate) const IN_TITLE: u32 = 1;
pub(crate) const IN_HEADING: u32 = 2;
pub(crate) const IN_META: u32 = 4;
const COUNT_SHIFT: u32 = 3;
const MAX_COUNT: u32 = 3;
/// Prefix of the keys that list the pages of a filter (`:s3` section, `:kfaq` kind); no
/// token has it.
pub(crate) const FILTER_PREFIX: char = ':';

/// One part of a page: the text before its first heading, or a heading's section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSection {
    /// The heading's id (`""` for the part before the first heading).
    pub anchor: String,
    /// The heading's text (`""` for the part before the first heading).
    pub heading: String,
    /// The plain text.
    pub text: String,
}

/// One published page, as search sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPage {
    /// Its URL (relative to the search folder when the site uses relative URLs).
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// Its taxonomy terms (tags and the rest), indexed with the description.
    pub tags: Vec<String>,
    /// Its place in [`SearchSettings::sections`], for the section filter.
    pub section: Option<usize>,
    /// Its kind (`guide`, `steps`, `faq`, `law`), for the kind filter.
    pub kind: String,
    /// The text before its first heading, then one entry per heading.
    pub sections: Vec<SearchSection>,
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

/// A built index that can be updated page by page.
pub struct SearchIndex {
    settings: SearchSettings,
    /// Interned terms; a term id indexes `postings`.
    terms: Vec<String>,
    term_ids: HashMap<String, u32>,
    /// Per term: (page, value), sorted by page.
    postings: Vec<Vec<(u32, u32)>>,
    /// Per page: (term id, value), sorted by term id.
    page_terms: Vec<Vec<(u32, u32)>>,
    /// Per page: where its fragment lies in its chunk's file (byte offsets).
    spans: Vec<(u32, u32)>,
    /// Per chunk: its file's name.
    chunk_names: Vec<String>,
    /// Fragments analysed but not yet in a chunk (while building).
    pending: Vec<String>,
    shard_count: usize,
    /// Total postings (decides the shard count).
    posting_count: usize,
    /// The content names of the shards, vocabulary buckets and page tables.
    shard_names: Vec<String>,
    vocab_names: BTreeMap<String, String>,
    table_names: Vec<String>,
    files: Files,
}

/// The manifest's path: the one file with a fixed name.
pub const MANIFEST: &str = "manifest.js";

/// What an update changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// Files to write (new, or with new bytes).
    pub write: Files,
    /// Files no longer part of the index.
    pub remove: Vec<String>,
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

#[derive(Serialize)]
struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    s: Vec<(&'a str, &'a str, String)>,
}

/// The terms of one page with their posting values.
fn page_term_values(page: &SearchPage) -> Vec<(String, u32)> {
    // aHash rather than SipHash: this map sees every word of every page, and its order never
    // reaches the output (terms are sorted before they are written).
    let mut values: ahash::AHashMap<String, u32> = ahash::AHashMap::new();
    let flag = |text: &str, bit: u32, counts: bool, values: &mut ahash::AHashMap<String, u32>| {
        for_each_term(text, |term| {
            let v = match values.get_mut(term) {
                Some(v) => v,
                None => values.entry(term.to_string()).or_insert(0),
            };
            *v |= bit;
            if counts && (*v >> COUNT_SHIFT) < MAX_COUNT {
                *v += 1 << COUNT_SHIFT;
            }
        });
    };
    flag(&page.title, IN_TITLE, false, &mut values);
    flag(&page.description, IN_META, false, &mut values);
    for tag in &page.tags {
        flag(tag, IN_META, false, &mut values);
    }
    for section in &page.sections {
        flag(&section.heading, IN_HEADING, true, &mut values);
        flag(&section.text, 0, true, &mut values);
    }
    if let Some(s) = page.section {
        values.insert(format!("{FILTER_PREFIX}s{s}"), 0);
    }
    values.insert(format!("{FILTER_PREFIX}k{}", page.kind), 0);
    values.into_iter().collect()
}

/// What the index keeps of one page, made in parallel: its terms and its fragment.
fn analyse(page: &SearchPage) -> (Vec<(String, u32)>, String) {
    (page_term_values(page), fragment_json(page))
}

/// A chunk's JSON (the array of its pages' fragments) and each fragment's byte range in it.
fn chunk_json<S: AsRef<str>>(fragments: &[S]) -> (String, Vec<(usize, usize)>) {
    let mut json = String::with_capacity(fragments.iter().map(|f| f.as_ref().len() + 1).sum::<usize>() + 1);
    let mut spans = Vec::with_capacity(fragments.len());
    json.push('[');
    for (i, fragment) in fragments.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        spans.push((json.len(), json.len() + fragment.as_ref().len()));
        json.push_str(fragment.as_ref());
    }
    json.push(']');
    (json, spans)
}

/// Collapse whitespace and keep at most `max` characters, cut at a space near the end.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.len() <= max {
        // No more bytes than `max`, so no more characters either.
        return collapsed;
    }
    let chars: Vec<char> = collapsed.chars().collect();
    if chars.len() <= max {
        return collapsed;
    }
    let end = (max.saturating_sub(20)..max).rev().find(|&p| chars[p] == ' ').unwrap_or(max);
    chars[..end].iter().collect()
}

/// A page's fragment: what a result shows, and the text its best section is chosen from.
fn fragment_json(page: &SearchPage) -> String {
    let s = page
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // A page that opens with a heading still has an entry for its top; its
            // description stands in for the text.
            let text = if i == 0 && s.text.trim().is_empty() { &page.description } else { &s.text };
            (s.anchor.as_str(), s.heading.as_str(), clip(text, SECTION_CHARS))
        })
        .collect();
    to_json(&Fragment { u: &page.url, t: &page.title, s })
}

/// `value`'s postings string: page delta, then value, per page.
fn encode_postings(list: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = 0;
    for &(page, value) in list {
        push_varint(&mut out, u64::from(page - prev));
        push_varint(&mut out, u64::from(value));
        prev = page;
    }
    out
}

fn shard_count_for(postings: usize) -> usize {
    postings.div_ceil(POSTINGS_PER_SHARD).max(1).next_power_of_two()
}

impl SearchIndex {
    /// Index `pages` (page ids are their positions) and make every file.
    pub fn build(settings: SearchSettings, pages: &[SearchPage]) -> SearchIndex {
        SearchIndex::build_from(settings, pages.len(), |i| Cow::Borrowed(&pages[i]))
    }

    /// [`SearchIndex::build`] from `count` pages that `page` makes on demand (in parallel, each
    /// dropped once analysed, so that a site's pages are never all in memory as search pages).
    pub fn build_from<'p>(
        settings: SearchSettings,
        count: usize,
        make: impl Fn(usize) -> Cow<'p, SearchPage> + Sync,
    ) -> SearchIndex {
        let mut index = SearchIndex {
            settings,
            terms: Vec::new(),
            term_ids: HashMap::new(),
            postings: Vec::new(),
            page_terms: Vec::with_capacity(count),
            spans: Vec::with_capacity(count),
            chunk_names: Vec::with_capacity(count.div_ceil(CHUNK_PAGES)),
            pending: Vec::with_capacity(CHUNK_PAGES),
            shard_count: 1,
            posting_count: 0,
            shard_names: Vec::new(),
            vocab_names: BTreeMap::new(),
            table_names: Vec::new(),
            files: Files::new(),
        };
        // In chunks, so that the terms of only one chunk of pages wait to be interned at once.
        for start in (0..count).step_by(ANALYSE_CHUNK) {
            let end = (start + ANALYSE_CHUNK).min(count);
            let analysed: Vec<_> = (start..end).into_par_iter().map(|i| analyse(&make(i))).collect();
            for (page, (values, fragment)) in (start..end).zip(analysed) {
                index.add_page(page, values, fragment);
            }
        }
        index.flush_chunk();
        index.shard_count = shard_count_for(index.posting_count);
        let all_shards: BTreeSet<usize> = (0..index.shard_count).collect();
        let all_tables: BTreeSet<usize> = (0..index.table_count()).collect();
        let mut all_buckets = BTreeSet::new();
        for term in index.live_terms() {
            all_buckets.extend(buckets_of(term));
        }
        index.remake(&all_shards, &all_buckets, &all_tables);
        index
    }

    /// Every file of the index.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// How many pages the index holds.
    pub fn page_count(&self) -> usize {
        self.page_terms.len()
    }

    /// Replace page `id` (a position given to [`SearchIndex::build`]) by `page`: only the
    /// shards of its old and new terms, its fragment, its page table and the manifest change.
    /// `None` when `id` is not a page of the index.
    pub fn update_page(&mut self, id: usize, page: &SearchPage) -> Option<FileChanges> {
        let old = self.page_terms.get(id)?.clone();
        let before: BTreeSet<String> = self.files.keys().cloned().collect();
        let mut list: Vec<(u32, u32)> =
            page_term_values(page).into_iter().map(|(t, v)| (self.intern(t), v)).collect();
        list.sort_unstable();
        let mut shards = BTreeSet::new();
        let mut buckets = BTreeSet::new();
        let old_map: HashMap<u32, u32> = old.iter().copied().collect();
        let new_map: HashMap<u32, u32> = list.iter().copied().collect();
        for (&term, &value) in &old_map {
            if new_map.get(&term) != Some(&value) {
                let postings = &mut self.postings[term as usize];
                if let Ok(at) = postings.binary_search_by_key(&(id as u32), |p| p.0) {
                    postings.remove(at);
                }
                self.mark(term, &mut shards, &mut buckets);
            }
        }
        for (&term, &value) in &new_map {
            if old_map.get(&term) != Some(&value) {
                let postings = &mut self.postings[term as usize];
                match postings.binary_search_by_key(&(id as u32), |p| p.0) {
                    Ok(at) => postings[at].1 = value,
                    Err(at) => postings.insert(at, (id as u32, value)),
                }
                self.mark(term, &mut shards, &mut buckets);
            }
        }
        self.posting_count = self.posting_count + list.len() - old.len();
        self.page_terms[id] = list;
        self.replace_fragment(id, fragment_json(page));
        if shard_count_for(self.posting_count) != self.shard_count {
            self.shard_count = shard_count_for(self.posting_count);
            shards = (0..self.shard_count).collect();
        }
        self.remake(&shards, &buckets, &BTreeSet::from([id / CHUNK_PAGES / TABLE_CHUNKS]));
        Some(self.changes_since(&before))
    }

    /// Add the next page's terms and fragment (pages come in order).
    fn add_page(&mut self, page: usize, values: Vec<(String, u32)>, fragment: String) {
        let mut list: Vec<(u32, u32)> = values.into_iter().map(|(t, v)| (self.intern(t), v)).collect();
        list.sort_unstable();
        for &(term, value) in &list {
            self.postings[term as usize].push((page as u32, value));
        }
        self.posting_count += list.len();
        self.page_terms.push(list);
        self.pending.push(fragment);
        if self.pending.len() == CHUNK_PAGES {
            self.flush_chunk();
        }
    }

    /// Write the pending fragments as the next chunk.
    fn flush_chunk(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let fragments = std::mem::take(&mut self.pending);
        let (name, spans) = self.put_chunk(&fragments);
        self.chunk_names.push(name);
        self.spans.extend(spans);
    }

    /// Add a chunk's file; returns its name and its fragments' spans in the file.
    fn put_chunk<S: AsRef<str>>(&mut self, fragments: &[S]) -> (String, Vec<(u32, u32)>) {
        let (json, spans) = chunk_json(fragments);
        let name = self.put("d", &json);
        // The file is the script around the JSON: `head` bytes before it, `");\n"` after.
        let head = (self.files[&format!("d/{name}.js")].len() - json.len() - 3) as u32;
        (name, spans.into_iter().map(|(a, b)| (head + a as u32, head + b as u32)).collect())
    }

    /// Put page `id`'s new fragment in its chunk: the chunk is made again from its other
    /// pages' fragments (read back from its file) and this one.
    fn replace_fragment(&mut self, id: usize, fragment: String) {
        let chunk = id / CHUNK_PAGES;
        let pages = chunk * CHUNK_PAGES..((chunk + 1) * CHUNK_PAGES).min(self.spans.len());
        let old_name = self.chunk_names[chunk].clone();
        let old_file = self.files.get(&format!("d/{old_name}.js")).cloned().unwrap_or_else(|| "".into());
        let fragments: Vec<&str> = pages
            .clone()
            .map(|p| {
                if p == id {
                    fragment.as_str()
                } else {
                    let (a, b) = self.spans[p];
                    old_file.get(a as usize..b as usize).unwrap_or("{}")
                }
            })
            .collect();
        let (name, spans) = self.put_chunk(&fragments);
        self.spans.splice(pages, spans);
        self.chunk_names[chunk] = name;
        self.drop_file("d", &old_name);
    }

    /// How many page tables there are.
    fn table_count(&self) -> usize {
        self.chunk_names.len().div_ceil(TABLE_CHUNKS)
    }

    fn intern(&mut self, term: String) -> u32 {
        if let Some(&id) = self.term_ids.get(&term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.term_ids.insert(term, id);
        self.postings.push(Vec::new());
        id
    }

    /// Note the shard and the vocabulary buckets of a term whose postings changed.
    fn mark(&self, term: u32, shards: &mut BTreeSet<usize>, buckets: &mut BTreeSet<String>) {
        let text = &self.terms[term as usize];
        shards.insert(shard_of(text, self.shard_count));
        buckets.extend(buckets_of(text));
    }

    /// Terms with at least one posting.
    fn live_terms(&self) -> impl Iterator<Item = &String> {
        self.terms.iter().zip(&self.postings).filter(|(_, p)| !p.is_empty()).map(|(t, _)| t)
    }

    /// Make the named shards, vocabulary buckets and page tables again, then the manifest.
    fn remake(&mut self, shards: &BTreeSet<usize>, buckets: &BTreeSet<String>, tables: &BTreeSet<usize>) {
        let mut shard_terms: BTreeMap<usize, BTreeMap<&str, String>> = BTreeMap::new();
        let mut bucket_terms: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (term, list) in self.terms.iter().zip(&self.postings) {
            if list.is_empty() {
                continue;
            }
            let shard = shard_of(term, self.shard_count);
            if shards.contains(&shard) {
                shard_terms.entry(shard).or_default().insert(term, encode_postings(list));
            }
            if term.starts_with(FILTER_PREFIX) {
                continue;
            }
            for bucket in buckets_of(term) {
                if let Some(b) = buckets.get(&bucket) {
                    bucket_terms.entry(b.as_str()).or_default().insert(term);
                }
            }
        }
        let shard_json: Vec<(usize, String)> =
            shards.iter().map(|&s| (s, to_json(&shard_terms.remove(&s).unwrap_or_default()))).collect();
        let vocab_json: Vec<(String, Option<String>)> = buckets
            .iter()
            .map(|b| (b.clone(), bucket_terms.remove(b.as_str()).map(|words| to_json(&words))))
            .collect();
        self.shard_names.resize(self.shard_count, String::new());
        self.shard_names.truncate(self.shard_count);
        for (shard, json) in shard_json {
            let name = self.put("s", &json);
            let old = std::mem::replace(&mut self.shard_names[shard], name);
            self.drop_file("s", &old);
        }
        for (bucket, json) in vocab_json {
            let old = match json {
                Some(json) => {
                    let name = self.put("v", &json);
                    self.vocab_names.insert(bucket, name)
                }
                None => self.vocab_names.remove(&bucket),
            };
            self.drop_file("v", &old.unwrap_or_default());
        }
        let table_count = self.table_count();
        self.table_names.resize(table_count, String::new());
        for &table in tables.iter().filter(|&&t| t < table_count) {
            let end = ((table + 1) * TABLE_CHUNKS).min(self.chunk_names.len());
            let json = to_json(&self.chunk_names[table * TABLE_CHUNKS..end].to_vec());
            let name = self.put("p", &json);
            let old = std::mem::replace(&mut self.table_names[table], name);
            self.drop_file("p", &old);
        }
        let manifest = Manifest {
            v: INDEX_VERSION,
            lang: &self.settings.lang,
            pages: self.spans.len(),
            shards: self.shard_names.iter().map(String::as_str).collect(),
            vocab: self.vocab_names.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
            tables: self.table_names.iter().map(String::as_str).collect(),
            chunk: CHUNK_PAGES,
            table: TABLE_CHUNKS,
            sections: &self.settings.sections,
            kinds: &self.settings.kinds,
            synonyms: &self.settings.synonyms,
        };
        let json = to_json(&manifest);
        self.files.insert(MANIFEST.to_string(), script("manifest", &json).into());
    }

    /// Add a file of folder `dir` named by its content; returns the name.
    fn put(&mut self, dir: &str, json: &str) -> String {
        let name = content_name(json);
        self.files.insert(format!("{dir}/{name}.js"), script(&format!("{dir}/{name}"), json).into());
        name
    }

    /// Remove a file of folder `dir` unless another part of the index still has its name (two
    /// shards with the same bytes share one file).
    fn drop_file(&mut self, dir: &str, name: &str) {
        let used = match dir {
            "s" => self.shard_names.iter().any(|n| n == name),
            "v" => self.vocab_names.values().any(|n| n == name),
            "p" => self.table_names.iter().any(|n| n == name),
            _ => self.chunk_names.iter().any(|n| n == name),
        };
        if !name.is_empty() && !used {
            self.files.remove(&format!("{dir}/{name}.js"));
        }
    }

    /// What changed since the file names were `before` (the manifest always is).
    fn changes_since(&self, before: &BTreeSet<String>) -> FileChanges {
        let write = self
            .files
            .iter()
            .filter(|(path, _)| !before.contains(*path) || *path == MANIFEST)
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        let remove = before.iter().filter(|p| !self.files.contains_key(*p)).cloned().collect();
        FileChanges { write, remove }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, title: &str, text: &str) -> SearchPage {
        SearchPage {
            url: url.into(),
            title: title.into(),
            description: String::new(),
            tags: vec!["refund".into()],
            section: None,
            kind: "guide".into(),
            sections: vec![SearchSection {
                anchor: String::new(),
                heading: String::new(),
                text: text.into(),
            }],
        }
    }

    fn pages(n: usize) -> Vec<SearchPage> {
        (0..n)
            .map(|i| {
                page(&format!("/p{i}/"), &format!("Page {i}"), &format!("word{} 身份证 挂失 common", i % 50))
            })
            .collect()
    }

    #[test]
    fn builds_are_deterministic_and_content_addressed() {
        let a = SearchIndex::build(SearchSettings::default(), &pages(200));
        let b = SearchIndex::build(SearchSettings::default(), &pages(200));
        assert_eq!(a.files(), b.files());
        for (path, text) in a.files() {
            assert!(text.starts_with("signpostSearch(\""), "{path}");
            if path != MANIFEST {
                let name = path.trim_end_matches(".js").split('/').nth(1).unwrap();
                let json = super::super::files::unwrap_script(text).unwrap();
                assert_eq!(name, content_name(json), "{path} is named by its bytes");
            }
        }
        assert_eq!(a.files().keys().filter(|p| p.starts_with("d/")).count(), 200usize.div_ceil(CHUNK_PAGES));
        let tables = 200usize.div_ceil(CHUNK_PAGES * TABLE_CHUNKS);
        assert_eq!(a.files().keys().filter(|p| p.starts_with("p/")).count(), tables);
    }

    #[test]
    fn an_update_equals_a_fresh_build_and_touches_few_shards() {
        let mut list = pages(3000);
        let mut index = SearchIndex::build(SearchSettings::default(), &list);
        assert!(index.shard_count > 2, "enough postings for several shards");
        for (id, text) in
            [(5, "brandnew words 报失"), (5, "word5 身份证 挂失 common"), (2999, ""), (0, "common")]
        {
            list[id].sections[0].text = text.to_string();
            let changes = index.update_page(id, &list[id]).unwrap();
            let fresh = SearchIndex::build(SearchSettings::default(), &list);
            assert_eq!(index.files(), fresh.files(), "after setting page {id} to {text:?}");
            let shards = changes.write.keys().filter(|p| p.starts_with("s/")).count();
            assert!(shards <= 8, "{shards} shards rewritten for one page");
            let chunks = changes.write.keys().filter(|p| p.starts_with("d/")).count();
            assert_eq!(chunks, 1, "one chunk rewritten for one page");
            assert!(changes.remove.iter().all(|p| !index.files().contains_key(p)));
        }
        assert!(index.update_page(3000, &list[0]).is_none());
    }
}

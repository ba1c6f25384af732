//! Static search: a sharded, content-addressed index per language, built from the pages
//! ([`SearchIndex::build`]; [`SearchIndex::update_page`] after one page's edit) and queried in
//! the browser by `themes/default/static/search.js`, which loads only the files a query needs.
//! [`search`] runs the same algorithm in Rust so tests can prove that the index finds the right
//! pages; the two must stay in step (the node test `tests/search_js.rs` compares them).
//!
//! # Tokens
//!
//! [`tokenize`] works one source character at a time (so every token maps back to the
//! characters it came from, for highlighting):
//!
//! 1. fold each character: NFKC (full-width `Ｉ` → `I`, `ﬁ` → `fi`), lowercase, then drop
//!    combining marks U+0300–U+036F; letters in Latin-1 Supplement, Latin Extended-A/B and Latin
//!    Extended Additional are NFD-decomposed and lose their marks (`é` → `e`); a small table maps
//!    `ß æ œ ø đ ð ł þ ı ħ` to `ss ae oe o d d l th i h`;
//! 2. a run of CJK characters (Han, kana) gives its overlapping character bigrams (`身份证` →
//!    `身份`, `份证`), or the single character when the run is one long;
//! 3. a run of other alphanumeric characters is one word; everything else separates.
//!
//! Index and query keep only *terms*: every CJK token, and words of at most 30 characters that
//! are not English stop words (`the`, `and`, …).
//!
//! # Files (format `v: 3`)
//!
//! Every file is a script, `signpostSearch("name",{…});`, so that the index loads from
//! `file://` too (browsers refuse `fetch` there); `name` is the path without `.js`. All but the
//! manifest are named by a hash of their bytes: they can be cached for ever, and a rebuild
//! writes only the files whose bytes changed.
//!
//! - `manifest.js`: `{"v":3,"lang","pages":N,"shards":[name…],"vocab":{bucket:name},
//!   "tables":[name…],"chunk":C,"table":T,"sections":[[title,url]…],"kinds":[…],
//!   "synonyms":[[word…]…]}`. The filters (sections, kinds) are listed here so a form can offer
//!   them before anything else loads.
//! - `s/<name>.js`, a shard: `{term: postings}` for the terms whose FNV-1a hash (32 bits, of the
//!   UTF-8 bytes) modulo the shard count (a power of two, about one shard per 4,096 postings)
//!   is its number. A postings string is base-32 variable-length numbers (digits `0-9A-Za-z-_`;
//!   0–31 end a number, 32–63 continue it, least significant first), two per page: the page id
//!   minus the previous one, then the value `count << 3 | meta << 2 | heading << 1 | title`,
//!   where `count` (at most 3) counts the term in headings and text, and the flags say that the
//!   title, a heading, or the description and tags hold it. Filter keys `:s<section>` and
//!   `:k<kind>` list the pages of each filter the same way.
//! - `v/<name>.js`, a vocabulary bucket: the sorted terms that start with one character (ASCII
//!   letters and digits are their own bucket; other characters go to `u<code point mod 64>`;
//!   a CJK bigram is listed under both its characters). Queries read it for prefixes, typos and
//!   one-character CJK queries.
//! - `p/<name>.js`, a page table: the names of `T` (64) document chunks; page `id` is in chunk
//!   `id / C`, named in table `id / C / T` at `id / C % T`.
//! - `d/<name>.js`, a document chunk: the fragments of `C` (4) pages in a row (page `id` at
//!   `id % C`), each `{"u":url,"t":title,"s":[[anchor,heading,text]…]}`, the part before the
//!   first heading first (its text is the description when empty); texts are
//!   whitespace-collapsed and cut at 1,000 characters. Only the results shown load these; one
//!   page's edit rewrites its chunk only. Chunks, not a file per page, because creating ten
//!   thousand small files cost more of a build than making their contents.
//!
//! # Query
//!
//! 1. The query's terms, duplicates removed, each a *group*. The last term, a word of at least 3
//!    characters, is a prefix; a one-character CJK term matches every bigram holding it. Where
//!    the query holds a word of a synonym set, the query written with each other word of the set
//!    that has as many characters adds its terms to the group at the same place. The query
//!    written with each word of a different length (`社保` → `社会保险`) is a *variant*: a query
//!    of its own, run through steps 2–3 like the first.
//! 2. Each group's keys: an exact term with weight 2; a prefix, the vocabulary's words starting
//!    with it (2 when equal, 1 otherwise; with none, it is matched as an exact term); a word of 4
//!    or more characters that the vocabulary lacks also matches the vocabulary's words of the same
//!    first character within one typo (two from 8 characters; a typo is an insertion, deletion,
//!    substitution or swap of neighbours) with weight 1.
//! 3. Per group and page, `m = min(8, Σ weight × count)` over its keys, and the flags are or-ed.
//!    A page is a hit when every group has a key with a posting for it (AND), and it is in every
//!    filter asked for. Its score adds, per group, `m`, `+6` when `m > 0`, `+8` for the title,
//!    `+4` for a heading and `+4` for the description or tags. A page's score is its best over
//!    the variants (the first variant giving it is its variant, whose groups steps 4 and 5
//!    use). Hits sort by score, then page id;
//!    the count is exact, and a page of results loads the chunks of its hits only. When no
//!    page is a hit, a variant of three groups or more has *close matches*: the pages that
//!    match more than half of its groups that have any posting (two at least), scored over the
//!    groups they match. A page's (groups matched, score) is its best over the variants; close
//!    matches sort by groups matched, then score, then page id, and the results say they are
//!    close.
//! 4. A hit links to its page's best section: per section, the sum over groups of
//!    `m = min(8, Σ weight)` over the heading's and text's tokens, `+6` when `m > 0`, `+4` when
//!    the heading matches; the first highest wins.
//! 5. Snippet: every token of that section's text that a group matches is marked (only the
//!    character itself for a one-character CJK term), overlapping or touching marks merge. The
//!    window is the whole text when it has at most 160 characters; otherwise it starts 40
//!    characters before the first mark (clamped to the text), moves past the first space among
//!    its first 15 characters when that lies before the mark, and ends 160 characters later,
//!    moved back to the last space among its last 15 characters when that lies after the first
//!    mark. Text is HTML-escaped, marks become `<mark>…</mark>`, cuts show `…`.

mod files;
mod fragment;
mod index;
mod keys;
pub mod pages;
mod query;
mod snippet;
mod terms;
mod tokens;

pub use index::{
    CHUNK_PAGES, FileChanges, Files, INDEX_VERSION, MANIFEST, MakePage, SECTION_CHARS, SearchIndex,
    SearchPage, SearchSection, SearchSettings, Sink, TABLE_CHUNKS,
};
pub use query::{SearchHit, SearchQuery, SearchResults, search};
pub use snippet::SNIPPET_CHARS;
pub use tokens::tokenize;

/// The synonym sets used when `site.yaml` gives none (a setting's default, so it lives with
/// the settings: configuration comes before search).
pub use crate::config::DEFAULT_SYNONYMS;

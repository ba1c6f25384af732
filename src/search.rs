//! Static search: a per-language JSON index built at build time and queried in the browser by
//! `themes/default/static/search.js`. [`query`] runs the same algorithm in Rust so tests can prove
//! that the index finds the right pages; the two implementations must stay in step (the node test
//! `tests/search_js.rs` compares them).
//!
//! # Tokens
//!
//! [`tokenize`] works one source character at a time (so every token can be mapped back to the
//! characters it came from, for highlighting):
//!
//! 1. fold each character: NFKC (full-width `Ｉ` → `I`, `ﬁ` → `fi`), lowercase, then drop
//!    combining marks U+0300–U+036F; letters in Latin-1 Supplement, Latin Extended-A/B and Latin
//!    Extended Additional are NFD-decomposed and lose their marks (`é` → `e`); a small table maps
//!    `ß æ œ ø đ ð ł þ ı ħ` to `ss ae oe o d d l th i h`;
//! 2. a run of CJK characters (Han, kana; see `is_cjk`) gives its overlapping character
//!    bigrams (`身份证` → `身份`, `份证`), or the single character when the run is one long;
//! 3. a run of other alphanumeric characters (`char::is_alphanumeric`, JS
//!    `[\p{Alphabetic}\p{N}]`) is one word; everything else separates.
//!
//! Index and query keep only *terms*: every CJK token, and words of at most 30 characters that
//! are not English stop words (`the`, `and`, …; see `STOP_WORDS`).
//!
//! # Index format (`v: 1`)
//!
//! ```json
//! {"v":1,"lang":"en",
//!  "pages":[["/faq/lost-card/","Lost card"], …],
//!  "docs":[[0,"","","First 200 characters of the intro…"],[0,"apply","How to apply","…"], …],
//!  "terms":{"card":"4C8", "身份":"0", …}}
//! ```
//!
//! - `pages`: `[url, title]`, in order of first appearance.
//! - `docs`: `[page, anchor, heading, excerpt]`; the link is `url#anchor` (`url` when the anchor
//!   is empty); `heading` is `""` for the part of a page before its first heading; `excerpt` is
//!   the start of the section's text, whitespace collapsed, at most `EXCERPT_CHARS` (200) characters.
//! - `terms`: term → postings, sorted by key. Each posting is the number
//!   `(delta << 2) | (min(tf, 4) - 1)` where `delta` is the doc index minus the previous posting's
//!   (the first from 0) and `tf` is the number of times the term occurs in the doc's heading and
//!   full text. A term's postings are one string of variable-length numbers: base-32 digits, least
//!   significant first, from the alphabet `0-9A-Za-z-_`, where digits 0–31 end a number and 32–63
//!   (digit + 32) continue it — so small deltas take one character. Page titles are not indexed
//!   (they would repeat for every section); they are tokenized at query time instead.
//!
//! Hit URLs are `url#anchor` as given to [`build_index`]; the script resolves them against the
//! index file's URL, so relative URLs must be relative to the index file.
//!
//! The output is compact JSON and byte-for-byte deterministic for the same input. For sites
//! opened from disk (`file://`, where browsers refuse `fetch`), [`index_script`] wraps the same
//! JSON as a script that the search page names in `data-index-script`.
//!
//! # Query
//!
//! 1. The query's terms, duplicates removed. No terms → no results. Each term matches index keys
//!    by one rule: a one-character CJK term matches every key containing that character (weight
//!    2); the *last* term, when it is a word of at least 3 characters, matches keys that start
//!    with it (weight 2 when equal, 1 otherwise; so `identi` finds `identity`); any other term
//!    matches its own key only (weight 2).
//! 2. For each term and doc: `m = min(8, Σ weight × tf)` over the matching keys; the term also
//!    matches the doc when a token of the page title matches it by the same rule.
//! 3. A doc is a hit when every term matches it (AND). Its score adds up, per term, `m`, `+ 6`
//!    when `m > 0` (the doc itself has the term), `+ 8` when the page title has it and `+ 4` when
//!    the doc's heading has it.
//! 4. Only the best doc of each page is kept; hits sort by score (highest first), then doc order.
//! 5. Snippet: every token of the excerpt that matches a term is marked (only the character
//!    itself for a one-character CJK term), overlapping or touching marks merge. The window is
//!    the whole excerpt when it has at most 160 characters; otherwise it starts 40 characters
//!    before the first mark (clamped to the text), moves past the first space among its
//!    first 15 characters when that lies before the mark, and ends 160 characters later, moved
//!    back to the last space among its last 15 characters when that lies after the first
//!    mark. Text is HTML-escaped, marks become `<mark>…</mark>`, cuts show `…`.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Index format version (the `v` field).
pub const INDEX_VERSION: u32 = 1;
/// Maximum characters of section text stored per doc for snippets.
pub const EXCERPT_CHARS: usize = 200;
/// Snippet window length in characters.
pub const SNIPPET_CHARS: usize = 160;
/// Characters of context shown before the first match in a snippet.
const SNIPPET_LEAD: usize = 40;
/// How far the snippet window edges may move to reach whitespace.
const SNIPPET_SNAP: usize = 15;
/// Longer words are not indexed (URLs, hashes).
const MAX_WORD_CHARS: usize = 30;
/// The last query word matches as a prefix from this length on.
const PREFIX_MIN_CHARS: usize = 3;
/// Cap of a term's weighted frequency in one doc.
const TERM_SCORE_CAP: u32 = 8;
/// Bonus per term found in the doc itself (not only in its page title).
const DOC_BONUS: u32 = 6;
/// Bonus per term found in the page title.
const TITLE_BONUS: u32 = 8;
/// Bonus per term found in the doc's heading.
const HEADING_BONUS: u32 = 4;

/// English words too common to be worth indexing (they are dropped from queries as well).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "was", "will", "with", "you", "your",
];

/// One searchable unit: a page, or a heading section of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    /// The page URL, with `#anchor` for a heading section.
    pub url: String,
    /// The page title.
    pub title: String,
    /// The section heading; `None` for the part of a page before its first heading.
    pub heading: Option<String>,
    /// The section's plain text (without the heading).
    pub text: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Where to go: the page URL, with `#anchor` for a heading section.
    pub url: String,
    /// The page title.
    pub title: String,
    /// The section heading, if the hit is a heading section.
    pub heading: Option<String>,
    /// HTML: escaped excerpt text with matches wrapped in `<mark>…</mark>`.
    pub snippet: String,
}

/// Whether `c` is written without spaces between words and so indexed by bigrams: Han
/// ideographs (with `々` and `〇`), hiragana and katakana.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3007
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3134F)
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

fn is_latin_extended(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x024F | 0x1E00..=0x1EFF)
}

/// Latin letters that do not decompose under NFD.
fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => return None,
    })
}

/// Fold one source character (NFKC, lowercase, accent fold) into `out`.
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    for d in std::iter::once(c).nfkc() {
        for e in d.to_lowercase() {
            if is_combining(e) {
                continue;
            }
            if let Some(s) = special_fold(e) {
                s.chars().for_each(&mut *out);
            } else if is_latin_extended(e) {
                std::iter::once(e).nfd().filter(|f| !is_combining(*f)).for_each(&mut *out);
            } else {
                out(e);
            }
        }
    }
}

/// A token with the source characters it came from (indices into the text's chars).
#[derive(Debug, Clone)]
struct Token {
    text: String,
    cjk: bool,
    /// Source range `start..end`.
    start: usize,
    end: usize,
    /// For CJK tokens: the source index of each of its (one or two) characters.
    origs: [usize; 2],
}

/// Fold and segment `text` (see the module docs).
fn analyze(text: &str) -> Vec<Token> {
    let mut folded: Vec<(char, usize)> = Vec::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        fold_char(c, &mut |f| folded.push((f, i)));
    }
    let mut tokens = Vec::new();
    let n = folded.len();
    let mut i = 0;
    while i < n {
        let c = folded[i].0;
        if is_cjk(c) {
            let mut j = i + 1;
            while j < n && is_cjk(folded[j].0) {
                j += 1;
            }
            if j - i == 1 {
                let o = folded[i].1;
                tokens.push(Token { text: c.to_string(), cjk: true, start: o, end: o + 1, origs: [o, o] });
            } else {
                for k in i..j - 1 {
                    let (a, oa) = folded[k];
                    let (b, ob) = folded[k + 1];
                    let text: String = [a, b].iter().collect();
                    tokens.push(Token { text, cjk: true, start: oa, end: ob + 1, origs: [oa, ob] });
                }
            }
            i = j;
        } else if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < n && !is_cjk(folded[j].0) && folded[j].0.is_alphanumeric() {
                j += 1;
            }
            let text: String = folded[i..j].iter().map(|(c, _)| *c).collect();
            tokens.push(Token {
                text,
                cjk: false,
                start: folded[i].1,
                end: folded[j - 1].1 + 1,
                origs: [0, 0],
            });
            i = j;
        } else {
            i += 1;
        }
    }
    tokens
}

/// Tokenize exactly like the browser script: NFKC fold (full-width → half-width), lowercase,
/// accent-fold Latin (`é` → `e`); Latin (and other space-separated) words; CJK runs as
/// overlapping character bigrams, or the single character for a one-character run.
///
/// This returns every token; the index and queries use only the terms among them (stop words and
/// over-long words dropped).
pub fn tokenize(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.text).collect()
}

/// Whether a token is indexed and searched for.
fn is_term(t: &Token) -> bool {
    t.cjk || (t.text.chars().count() <= MAX_WORD_CHARS && !STOP_WORDS.contains(&t.text.as_str()))
}

/// Collapse whitespace and keep at most `EXCERPT_CHARS` characters, cutting at a space when one is
/// near the end.
fn excerpt(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = collapsed.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return collapsed;
    }
    let mut end = EXCERPT_CHARS;
    if let Some(p) = (EXCERPT_CHARS - 20..EXCERPT_CHARS).rev().find(|&p| chars[p] == ' ') {
        end = p;
    }
    chars[..end].iter().collect()
}

#[derive(Serialize)]
struct IndexOut<'a> {
    v: u32,
    lang: &'a str,
    pages: Vec<(&'a str, &'a str)>,
    docs: Vec<(usize, &'a str, &'a str, String)>,
    terms: BTreeMap<String, String>,
}

/// Build the index for one language as compact JSON (deterministic byte-for-byte for the same
/// input). Docs keep their order; the format is described in the module docs.
pub fn build_index(lang: &str, docs: &[SearchDoc]) -> String {
    let mut pages: Vec<(&str, &str)> = Vec::new();
    let mut page_ids: HashMap<(&str, &str), usize> = HashMap::new();
    let mut out_docs = Vec::with_capacity(docs.len());
    let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    // Tokenising is the expensive part and each section is independent: count in parallel,
    // then merge in document order so the index stays byte-for-byte deterministic.
    let counted: Vec<HashMap<String, u32>> = {
        use rayon::prelude::*;
        docs.par_iter()
            .map(|doc| {
                let mut counts: HashMap<String, u32> = HashMap::new();
                let heading = doc.heading.as_deref().unwrap_or("");
                for token in analyze(heading).into_iter().chain(analyze(&doc.text)) {
                    if is_term(&token) {
                        *counts.entry(token.text).or_insert(0) += 1;
                    }
                }
                counts
            })
            .collect()
    };
    for ((doc_index, doc), counts) in docs.iter().enumerate().zip(counted) {
        let (url, anchor) = doc.url.split_once('#').unwrap_or((doc.url.as_str(), ""));
        let page = *page_ids.entry((url, doc.title.as_str())).or_insert_with(|| {
            pages.push((url, doc.title.as_str()));
            pages.len() - 1
        });
        let heading = doc.heading.as_deref().unwrap_or("");
        out_docs.push((page, anchor, heading, excerpt(&doc.text)));
        for (term, tf) in counts {
            postings.entry(term).or_default().push((doc_index as u32, tf));
        }
    }
    let terms = postings
        .into_iter()
        .map(|(term, list)| {
            let mut prev = 0u32;
            let mut encoded = String::new();
            for (doc, tf) in list {
                push_varint(&mut encoded, (u64::from(doc - prev) << 2) | u64::from(tf.min(4) - 1));
                prev = doc;
            }
            (term, encoded)
        })
        .collect();
    let index = IndexOut { v: INDEX_VERSION, lang, pages, docs: out_docs, terms };
    // `<`, `>` and `&` escaped, as JSON allows: the index is also embedded in a script for
    // `file://` use, and no page title may ever read as markup anywhere in the output.
    serde_json::to_string(&index)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The index wrapped as a script, `window.signpostSearchIndex={…};`, for sites opened from disk
/// (`file://`), where browsers refuse `fetch()` but still run `<script>`s: `search.js` loads it
/// when the search container names it in `data-index-script`. Hit URLs are resolved against the
/// URL of whichever file was loaded, so relative URLs in the index must be relative to it.
pub fn index_script(index_json: &str) -> String {
    // JSON may hold U+2028/U+2029 raw inside strings; older engines reject them in JS source.
    let json = index_json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    format!("window.signpostSearchIndex={json};\n")
}

/// Digits of the postings strings: values 0–31 end a number, 32–63 continue it.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Append `v` as base-32 digits, least significant first, all but the last with 32 added.
fn push_varint(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[(v & 31) as usize | 32] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// The numbers in a postings string (unknown characters are skipped).
fn decode_varints(s: &str) -> impl Iterator<Item = u64> + '_ {
    let (mut acc, mut shift) = (0u64, 0u32);
    s.bytes().filter_map(move |b| {
        let d = u64::from(match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'a'..=b'z' => b - b'a' + 36,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        });
        acc |= (d & 31).checked_shl(shift).unwrap_or(0);
        if d < 32 {
            let v = acc;
            (acc, shift) = (0, 0);
            Some(v)
        } else {
            shift += 5;
            None
        }
    })
}

#[derive(Deserialize)]
struct IndexIn {
    #[allow(dead_code)]
    v: u32,
    pages: Vec<(String, String)>,
    docs: Vec<(usize, String, String, String)>,
    terms: HashMap<String, String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exact,
    Prefix,
    CjkChar,
}

/// A query term and how it matches.
struct QueryTerm {
    text: String,
    mode: Mode,
}

impl QueryTerm {
    /// The weight with which this term matches a key (0: no match).
    fn weight(&self, key: &str) -> u32 {
        if key == self.text {
            return 2;
        }
        match self.mode {
            Mode::Exact => 0,
            Mode::Prefix => u32::from(key.starts_with(&self.text)),
            Mode::CjkChar => {
                if key.chars().count() == 2 && key.contains(&self.text) {
                    2
                } else {
                    0
                }
            }
        }
    }
}

fn query_terms(q: &str) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = Vec::new();
    for token in analyze(q) {
        if !is_term(&token) || terms.iter().any(|t| t.text == token.text) {
            continue;
        }
        let mode = if token.cjk && token.text.chars().count() == 1 { Mode::CjkChar } else { Mode::Exact };
        terms.push(QueryTerm { mode, text: token.text });
    }
    if let Some(last) = terms.last_mut()
        && last.mode == Mode::Exact
        && !is_cjk(last.text.chars().next().unwrap_or(' '))
        && last.text.chars().count() >= PREFIX_MIN_CHARS
    {
        last.mode = Mode::Prefix;
    }
    terms
}

/// Whether any token of `text` matches `term`.
fn text_matches(tokens: &[Token], term: &QueryTerm) -> bool {
    tokens.iter().any(|t| term.weight(&t.text) > 0)
}

/// Run a query against a built index (the same algorithm as `search.js`; see the module docs):
/// hits best first, at most `limit`. An unreadable index gives no hits.
pub fn query(index_json: &str, q: &str, limit: usize) -> Vec<SearchHit> {
    let Ok(index) = serde_json::from_str::<IndexIn>(index_json) else {
        return Vec::new();
    };
    let terms = query_terms(q);
    if terms.is_empty() {
        return Vec::new();
    }
    let n = index.docs.len();
    let title_tokens: Vec<Vec<Token>> = index.pages.iter().map(|(_, title)| analyze(title)).collect();
    let mut freq: Vec<Vec<u32>> = Vec::with_capacity(terms.len());
    let mut in_title: Vec<Vec<bool>> = Vec::with_capacity(terms.len());
    for term in &terms {
        let mut f = vec![0u32; n];
        let mut add = |list: &str, weight: u32| {
            let mut doc = 0usize;
            for v in decode_varints(list) {
                doc += (v >> 2) as usize;
                if let Some(slot) = f.get_mut(doc) {
                    *slot += weight * ((v & 3) as u32 + 1);
                }
            }
        };
        if term.mode == Mode::Exact {
            if let Some(list) = index.terms.get(&term.text) {
                add(list, 2);
            }
        } else {
            for (key, list) in &index.terms {
                let weight = term.weight(key);
                if weight > 0 {
                    add(list, weight);
                }
            }
        }
        freq.push(f);
        in_title.push(title_tokens.iter().map(|tokens| text_matches(tokens, term)).collect());
    }
    // Best (score, doc) per page.
    let mut best: HashMap<usize, (u32, usize)> = HashMap::new();
    'docs: for (d, (page, _, heading, _)) in index.docs.iter().enumerate() {
        let mut score = 0;
        for (i, _) in terms.iter().enumerate() {
            let title_hit = in_title[i].get(*page).copied().unwrap_or(false);
            if freq[i][d] == 0 && !title_hit {
                continue 'docs;
            }
            let m = freq[i][d].min(TERM_SCORE_CAP);
            score += m + if m > 0 { DOC_BONUS } else { 0 } + if title_hit { TITLE_BONUS } else { 0 };
        }
        if !heading.is_empty() {
            let heading_tokens = analyze(heading);
            score += HEADING_BONUS * terms.iter().filter(|t| text_matches(&heading_tokens, t)).count() as u32;
        }
        let entry = best.entry(*page).or_insert((score, d));
        if score > entry.0 {
            *entry = (score, d);
        }
    }
    let mut ranked: Vec<(u32, usize)> = best.into_values().collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(limit)
        .filter_map(|(_, d)| {
            let (page, anchor, heading, text) = &index.docs[d];
            let (url, title) = index.pages.get(*page)?;
            Some(SearchHit {
                url: if anchor.is_empty() { url.clone() } else { format!("{url}#{anchor}") },
                title: title.clone(),
                heading: (!heading.is_empty()).then(|| heading.clone()),
                snippet: snippet(text, &terms),
            })
        })
        .collect()
}

/// The snippet of `text` for `terms` (see the module docs).
fn snippet(text: &str, terms: &[QueryTerm]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for token in analyze(text) {
        for term in terms {
            if term.mode == Mode::CjkChar {
                if token.cjk {
                    for (k, c) in token.text.chars().enumerate() {
                        if term.text.starts_with(c) {
                            marks.push((token.origs[k], token.origs[k] + 1));
                        }
                    }
                }
            } else if term.weight(&token.text) > 0 {
                marks.push((token.start, token.end));
            }
        }
    }
    marks.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in marks {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let n = chars.len();
    let (mut start, mut end) = (0, n);
    if n > SNIPPET_CHARS {
        let first = merged.first().map_or(0, |m| m.0);
        start = first.saturating_sub(SNIPPET_LEAD).min(n - SNIPPET_CHARS);
        if start > 0
            && let Some(p) = (start..(start + SNIPPET_SNAP).min(first)).find(|&p| chars[p] == ' ')
        {
            start = p + 1;
        }
        end = (start + SNIPPET_CHARS).min(n);
        if end < n
            && let Some(p) = (end - SNIPPET_SNAP..end).rev().find(|&p| chars[p] == ' ' && p > first)
        {
            end = p;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for &(s, e) in &merged {
        let (s, e) = (s.max(start), e.min(end));
        if s >= e || s < pos {
            continue;
        }
        push_escaped(&mut out, &chars[pos..s]);
        out.push_str("<mark>");
        push_escaped(&mut out, &chars[s..e]);
        out.push_str("</mark>");
        pos = e;
    }
    push_escaped(&mut out, &chars[pos..end]);
    if end < n {
        out.push('…');
    }
    out
}

fn push_escaped(out: &mut String, chars: &[char]) {
    out.push_str(&crate::text::escape_html(&chars.iter().collect::<String>()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, heading: Option<&str>, text: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            heading: heading.map(Into::into),
            text: text.into(),
        }
    }

    fn zh_docs() -> Vec<SearchDoc> {
        vec![
            doc(
                "/faq/lost-card/",
                "身份证丢失了怎么办",
                None,
                "居民身份证丢失后，请尽快到户籍所在地的公安机关办理挂失，并申请补领新证。",
            ),
            doc(
                "/faq/lost-card/#如何挂失",
                "身份证丢失了怎么办",
                Some("如何挂失"),
                "您可以拨打12345热线，或者到派出所窗口办理挂失。挂失后，原证件立即作废。",
            ),
            doc(
                "/faq/lost-card/#补领需要哪些材料",
                "身份证丢失了怎么办",
                Some("补领需要哪些材料"),
                "补领时请携带户口簿和近期免冠照片。补领费用为20元，一般在20个工作日内办结。",
            ),
            doc(
                "/guides/renew-id/",
                "居民身份证换领",
                None,
                "居民身份证有效期满前三个月内，可以到户籍所在地的公安机关申请换领。换领时需交回旧证。",
            ),
            doc(
                "/law/id-card-law/",
                "中华人民共和国居民身份证法",
                None,
                "为了证明居住在中华人民共和国境内的公民的身份，保障公民的合法权益，制定本法。",
            ),
            doc(
                "/law/id-card-law/#第十一条",
                "中华人民共和国居民身份证法",
                Some("第十一条"),
                "国家决定换发新一代居民身份证、有效期满或者登记事项有变更的，应当换领。",
            ),
            doc(
                "/guides/social-insurance/",
                "缴纳社会保险费",
                None,
                "灵活就业人员可以通过手机银行或者税务网站缴纳养老保险和医疗保险。",
            ),
        ]
    }

    fn en_docs() -> Vec<SearchDoc> {
        vec![
            doc(
                "/en/faq/lost-card/",
                "What to do if you lose your identity card",
                None,
                "If your resident identity card is lost or stolen, report it to the police straight away.",
            ),
            doc(
                "/en/faq/lost-card/#report-it",
                "What to do if you lose your identity card",
                Some("Report a lost card"),
                "Call the 12345 hotline or go to a police station. Once reported, the lost card stops working.",
            ),
            doc(
                "/en/faq/lost-card/#get-a-replacement",
                "What to do if you lose your identity card",
                Some("Get a replacement"),
                "Bring your household register and a recent photo. A replacement costs 20 yuan.",
            ),
            doc(
                "/en/guides/renew-id/",
                "Renew your identity card",
                None,
                "You can renew your ID card in the three months before it expires. Hand in the old card.",
            ),
            doc(
                "/en/law/id-card-law/",
                "Resident Identity Card Law",
                None,
                "This Law is enacted to prove the identity of citizens and protect their rights.",
            ),
            doc(
                "/en/guides/cafe/",
                "Open a Café",
                None,
                "To open a café you need a food business licence. Inspections check <kitchens> & storage.",
            ),
            doc(
                "/en/guides/social-insurance/",
                "Pay social insurance contributions",
                None,
                "Self-employed people can pay pension and medical insurance through online banking.",
            ),
        ]
    }

    fn urls(index: &str, q: &str) -> Vec<String> {
        query(index, q, 10).into_iter().map(|h| h.url).collect()
    }

    #[test]
    fn tokenizer_table() {
        let cases: &[(&str, &[&str])] = &[
            ("身份证", &["身份", "份证"]),
            ("证", &["证"]),
            ("ＩＤ", &["id"]),
            ("Café", &["cafe"]),
            ("NAÏVE Straße Łódź Ærø", &["naive", "strasse", "lodz", "aero"]),
            ("e\u{301}te\u{301}", &["ete"]),
            ("lost-card, ID_2024!", &["lost", "card", "id", "2024"]),
            ("申请ID卡（２０２４年）", &["申请", "id", "卡", "2024", "年"]),
            ("办理  挂失。补领", &["办理", "挂失", "补领"]),
            ("ﬁle №5", &["file", "no5"]),
            ("", &[]),
            ("…，。 - ", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(tokenize(input), *want, "tokenize({input:?})");
        }
    }

    #[test]
    fn chinese_queries_find_the_right_pages() {
        let index = build_index("zh-CN", &zh_docs());
        let hits = urls(&index, "身份证");
        assert_eq!(hits.len(), 3, "{hits:?}");
        assert!(!hits.iter().any(|u| u.contains("social")), "{hits:?}");
        assert_eq!(urls(&index, "挂失")[0], "/faq/lost-card/#如何挂失");
        assert_eq!(urls(&index, "补领")[0], "/faq/lost-card/#补领需要哪些材料");
        assert_eq!(urls(&index, "换领")[0], "/guides/renew-id/");
        let law = urls(&index, "身份证法");
        assert!(law.len() == 1 && law[0].starts_with("/law/id-card-law/"), "{law:?}");
        assert_eq!(urls(&index, "身份证 挂失"), ["/faq/lost-card/"]);
        // Full-width and spaced query text is folded the same way.
        assert_eq!(urls(&index, " 挂失 ")[0], "/faq/lost-card/#如何挂失");
    }

    #[test]
    fn one_character_chinese_query() {
        let index = build_index("zh-CN", &zh_docs());
        let hits = query(&index, "证", 10);
        // Every page but social insurance mentions 证; the pages with 证 in the title lead.
        assert_eq!(hits.len(), 3, "{hits:?}");
        assert!(hits.iter().all(|h| h.title.contains('证')));
        assert!(hits.iter().all(|h| h.snippet.contains("<mark>证</mark>")), "{hits:?}");
        assert!(urls(&index, "险").iter().all(|u| u == "/guides/social-insurance/"));
        assert_eq!(urls(&index, "险").len(), 1);
    }

    #[test]
    fn english_queries_find_the_right_pages() {
        let index = build_index("en", &en_docs());
        let hits = urls(&index, "identity card");
        assert_eq!(hits.len(), 3, "{hits:?}");
        assert!(hits.iter().all(|u| u.contains("lost-card") || u.contains("id")), "{hits:?}");
        assert_eq!(urls(&index, "lost")[0], "/en/faq/lost-card/#report-it");
        assert_eq!(urls(&index, "LOST Card")[0], "/en/faq/lost-card/#report-it");
        assert_eq!(urls(&index, "ｌｏｓｔ")[0], "/en/faq/lost-card/#report-it");
        assert_eq!(urls(&index, "replacement")[0], "/en/faq/lost-card/#get-a-replacement");
        assert_eq!(urls(&index, "renew")[0], "/en/guides/renew-id/");
        assert_eq!(urls(&index, "ＩＤ"), ["/en/guides/renew-id/"]);
        assert_eq!(urls(&index, "cafe"), ["/en/guides/cafe/"]);
        assert_eq!(urls(&index, "CAFÉ"), ["/en/guides/cafe/"]);
        // The last word matches as a prefix; earlier words must match whole.
        let prefix = urls(&index, "identi");
        assert_eq!(prefix.len(), 3, "{prefix:?}");
        assert!(urls(&index, "identi card").is_empty());
        assert_eq!(urls(&index, "pension insur"), ["/en/guides/social-insurance/"]);
    }

    #[test]
    fn misses_and_degenerate_queries() {
        let zh = build_index("zh-CN", &zh_docs());
        let en = build_index("en", &en_docs());
        for q in ["xyzzy", "量子", "身份证 xyzzy", "", "   ", "，。", "the", "to be or"] {
            assert!(query(&zh, q, 10).is_empty(), "zh {q:?}");
            assert!(query(&en, q, 10).is_empty(), "en {q:?}");
        }
        assert!(query("not json", "lost", 10).is_empty());
        assert_eq!(query(&en, "card", 2).len(), 2);
    }

    #[test]
    fn snippets_mark_matches_and_escape() {
        let zh = build_index("zh-CN", &zh_docs());
        let hit = &query(&zh, "身份证", 1)[0];
        assert_eq!(hit.title, "身份证丢失了怎么办");
        assert_eq!(hit.heading, None);
        assert!(hit.snippet.contains("居民<mark>身份证</mark>丢失后"), "{}", hit.snippet);
        let hit = &query(&zh, "挂失", 1)[0];
        assert_eq!(hit.heading.as_deref(), Some("如何挂失"));
        assert!(hit.snippet.contains("办理<mark>挂失</mark>。<mark>挂失</mark>后"), "{}", hit.snippet);

        let en = build_index("en", &en_docs());
        let hit = &query(&en, "kitchens", 1)[0];
        assert!(hit.snippet.contains("check &lt;<mark>kitchens</mark>&gt; &amp; storage"), "{}", hit.snippet);
        let hit = &query(&en, "identity card", 1)[0];
        assert!(hit.snippet.contains("<mark>identity</mark> <mark>card</mark>"), "{}", hit.snippet);
        let hit = &query(&en, "café", 1)[0];
        assert!(hit.snippet.contains("open a <mark>café</mark> you"), "{}", hit.snippet);
    }

    #[test]
    fn snippet_window_around_the_first_match() {
        let text = format!("{}the needle is here {}", "word ".repeat(10), "word ".repeat(60));
        let index = build_index("en", &[doc("/a/", "A", None, &text)]);
        let snippet = &query(&index, "needle", 1)[0].snippet;
        assert!(snippet.starts_with("…word "), "{snippet}");
        assert!(snippet.ends_with(" word…"), "{snippet}");
        assert!(snippet.contains("the <mark>needle</mark> is here"), "{snippet}");
        assert!(snippet.replace("<mark>", "").replace("</mark>", "").chars().count() <= SNIPPET_CHARS + 2);
        // Matches after the stored excerpt still find the doc; the snippet shows the start.
        let late = format!("{} unique", "filler ".repeat(100));
        let index = build_index("en", &[doc("/b/", "B", None, &late)]);
        let snippet = &query(&index, "unique", 1)[0].snippet;
        assert!(snippet.starts_with("filler filler") && !snippet.contains("<mark>"), "{snippet}");
    }

    #[test]
    fn index_is_valid_deterministic_json() {
        let docs = zh_docs();
        let a = build_index("zh-CN", &docs);
        assert_eq!(a, build_index("zh-CN", &docs));
        let value: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(value["v"], 1);
        assert_eq!(value["lang"], "zh-CN");
        assert_eq!(value["pages"].as_array().unwrap().len(), 4);
        assert_eq!(value["docs"].as_array().unwrap().len(), docs.len());
        assert_eq!(value["docs"][1], serde_json::json!([0, "如何挂失", "如何挂失", docs[1].text]));
        // 身份 occurs once in the text of docs 0, 3, 4 and 5 (titles are not indexed).
        assert_eq!(value["terms"]["身份"], "0C44");
        let postings: Vec<u64> = decode_varints(value["terms"]["身份"].as_str().unwrap()).collect();
        assert_eq!(postings, [0, 3 << 2, 1 << 2, 1 << 2]);
        // Terms are written in sorted order.
        let terms: Vec<String> = value["terms"].as_object().unwrap().keys().cloned().collect();
        let start = a.find("\"terms\":{").unwrap();
        let mut last = start;
        for term in &terms {
            let at = a[start..].find(&format!("\"{term}\":\"")).unwrap() + start;
            assert!(at >= last, "{term} out of order");
            last = at;
        }
        assert!(!a.contains(": ") && !a.contains('\n'));
        let script = index_script(&a);
        assert!(script.starts_with("window.signpostSearchIndex={") && script.ends_with("};\n"));
    }

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 31, 32, 33, 1023, 1024, 123_456_789, u64::from(u32::MAX) << 2];
        let mut s = String::new();
        for v in values {
            push_varint(&mut s, v);
        }
        assert_eq!(&s[..4], "01VW");
        assert!(s.bytes().all(|b| DIGITS.contains(&b)));
        assert_eq!(decode_varints(&s).collect::<Vec<_>>(), values);
    }

    #[test]
    fn excerpts_are_capped() {
        let long = "字".repeat(1000);
        let index = build_index("zh-CN", &[doc("/a/", "A", None, &long)]);
        let value: serde_json::Value = serde_json::from_str(&index).unwrap();
        assert_eq!(value["docs"][0][3].as_str().unwrap().chars().count(), EXCERPT_CHARS);
        assert_eq!(excerpt("a  b\n\tc"), "a b c");
    }
}

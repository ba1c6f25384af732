//! Running a query over the files of an index, exactly as `search.js` does in the browser
//! (the node test `tests/search_js.rs` compares them), reading only the files the query needs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::files::{bucket_of, decode_varints, shard_of, unwrap_script};
use super::index::{FILTER_PREFIX, IN_HEADING, IN_META, IN_TITLE, MANIFEST};
use super::tokens::{analyze, is_cjk, is_term};

/// The last query word matches as a prefix from this length on.
const PREFIX_MIN_CHARS: usize = 3;
/// Words of this many characters or more are matched with one typo when no indexed word is
/// spelt like them; from `FUZZY_TWO_CHARS` on, with two.
const FUZZY_MIN_CHARS: usize = 4;
const FUZZY_TWO_CHARS: usize = 8;
/// Queries of this many terms or more list close matches when no page matches every term.
const CLOSE_MIN_GROUPS: usize = 3;
/// Cap of a term's weighted count in one page or section.
const TERM_SCORE_CAP: u32 = 8;
/// Bonus per term found in the text itself (not only in the title, description or tags).
const DOC_BONUS: u32 = 6;
/// Bonus per term found in the page title.
const TITLE_BONUS: u32 = 8;
/// Bonus per term found in a heading.
const HEADING_BONUS: u32 = 4;
/// Bonus per term found in the description or tags.
const META_BONUS: u32 = 4;

/// A query, with its filters and the part of the results wanted.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery<'a> {
    /// What the reader typed.
    pub text: &'a str,
    /// Only pages of this section (its position in the manifest's `sections`).
    pub section: Option<usize>,
    /// Only pages of this kind.
    pub kind: Option<&'a str>,
    /// Results to skip (pagination).
    pub offset: usize,
    /// Results to show.
    pub limit: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Where to go: the page URL, with `#anchor` for a heading's section.
    pub url: String,
    /// The page title.
    pub title: String,
    /// The section heading, if the best part of the page is a heading's section.
    pub heading: Option<String>,
    /// HTML: escaped text with matches wrapped in `<mark>…</mark>`.
    pub snippet: String,
}

/// What a query found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    /// How many pages match.
    pub total: usize,
    /// The results from `offset`, at most `limit`.
    pub hits: Vec<SearchHit>,
    /// Whether no page matched every term, and these are the pages matching most of them.
    pub close: bool,
    /// The files read, in order (paths relative to the search folder).
    pub loaded: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Exact,
    Prefix,
    CjkChar,
}

/// One word of the query and its alternatives (synonyms), each matched by `mode`.
#[derive(Debug)]
pub(crate) struct Group {
    alts: Vec<(String, Mode)>,
    /// Index keys that match, with their weights (filled from the vocabulary).
    keys: BTreeMap<String, u32>,
}

impl Group {
    /// The weight with which `token` matches (0: it does not).
    pub(crate) fn weight(&self, token: &str) -> u32 {
        self.keys.get(token).copied().unwrap_or(0)
    }
    /// The character, when this group is a one-character CJK query (only it is marked).
    pub(crate) fn one_char(&self) -> Option<char> {
        self.alts.iter().find(|a| a.1 == Mode::CjkChar).and_then(|a| a.0.chars().next())
    }
}

/// The query's terms, duplicates removed; the last word matches as a prefix.
fn query_terms(q: &str) -> Vec<(String, Mode)> {
    let mut terms: Vec<(String, Mode)> = Vec::new();
    for token in analyze(q) {
        if !is_term(&token) || terms.iter().any(|t| t.0 == token.text) {
            continue;
        }
        let mode = if token.cjk && token.text.chars().count() == 1 { Mode::CjkChar } else { Mode::Exact };
        terms.push((token.text, mode));
    }
    if let Some(last) = terms.last_mut()
        && last.1 == Mode::Exact
        && !is_cjk(last.0.chars().next().unwrap_or(' '))
        && last.0.chars().count() >= PREFIX_MIN_CHARS
    {
        last.1 = Mode::Prefix;
    }
    terms
}

/// The query's groups: each term, with the terms at the same place of the query written with
/// a synonym instead (only same-length synonyms line up term by term).
fn query_groups(q: &str, synonyms: &[Vec<String>]) -> Vec<Group> {
    let base = query_terms(q);
    let mut groups: Vec<Group> =
        base.iter().map(|t| Group { alts: vec![t.clone()], keys: BTreeMap::new() }).collect();
    for set in synonyms {
        for member in set.iter().filter(|m| !m.is_empty() && q.contains(m.as_str())) {
            for other in set.iter().filter(|o| *o != member && o.chars().count() == member.chars().count()) {
                let variant = query_terms(&q.replace(member.as_str(), other));
                if variant.len() != base.len() {
                    continue;
                }
                for (group, alt) in groups.iter_mut().zip(variant) {
                    if !group.alts.contains(&alt) {
                        group.alts.push(alt);
                    }
                }
            }
        }
    }
    groups
}

/// Optimal string alignment distance (a swap of neighbours is one edit), or `max + 1` when
/// it is larger than `max`.
fn typo_distance(a: &[char], b: &[char], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v =
                    (d[(i - 1) * w + j] + 1).min(d[i * w + j - 1] + 1).min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()].min(max + 1)
}

/// The vocabulary bucket an alternative needs, if any: prefixes, single CJK characters and
/// words long enough for typos look through the words of their first character.
fn needs_vocab(text: &str, mode: Mode) -> Option<String> {
    let first = text.chars().next()?;
    let wordy =
        !is_cjk(first) && text.chars().count() >= FUZZY_MIN_CHARS && !text.chars().all(|c| c.is_numeric());
    (mode != Mode::Exact || wordy).then(|| bucket_of(first))
}

/// Fill each group's keys from the vocabulary (see the module docs of [`crate::search`]).
fn resolve(groups: &mut [Group], vocab: &HashMap<String, Vec<String>>) {
    let none = Vec::new();
    for group in groups.iter_mut() {
        for (text, mode) in group.alts.clone() {
            let words = text.chars().next().map(bucket_of).and_then(|b| vocab.get(&b)).unwrap_or(&none);
            let mut add = |key: &str, w: u32| {
                let slot = group.keys.entry(key.to_string()).or_insert(0);
                *slot = (*slot).max(w);
            };
            match mode {
                Mode::CjkChar => {
                    add(&text, 2);
                    for word in words.iter().filter(|w| w.chars().count() == 2 && w.contains(text.as_str())) {
                        add(word, 2);
                    }
                }
                Mode::Prefix if words.iter().any(|w| w.starts_with(text.as_str())) => {
                    for word in words.iter().filter(|w| w.starts_with(text.as_str())) {
                        add(word, if *word == text { 2 } else { 1 });
                    }
                }
                _ => {
                    add(&text, 2);
                    if needs_vocab(&text, Mode::Exact).is_some() && !words.contains(&text) {
                        let chars: Vec<char> = text.chars().collect();
                        let max = if chars.len() >= FUZZY_TWO_CHARS { 2 } else { 1 };
                        for word in words {
                            let w: Vec<char> = word.chars().collect();
                            if typo_distance(&chars, &w, max) <= max {
                                add(word, 1);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Reads index files once each and remembers which it read.
struct Loader<'r> {
    read: &'r dyn Fn(&str) -> Option<String>,
    cache: HashMap<String, Option<Value>>,
    loaded: Vec<String>,
}

impl Loader<'_> {
    fn get(&mut self, path: &str) -> Option<&Value> {
        if !self.cache.contains_key(path) {
            let value = (self.read)(path)
                .and_then(|text| unwrap_script(&text).and_then(|json| serde_json::from_str(json).ok()));
            self.loaded.push(path.to_string());
            self.cache.insert(path.to_string(), value);
        }
        self.cache.get(path).and_then(Option::as_ref)
    }

    /// The postings of `key`: (page, value).
    fn postings(&mut self, shards: &[String], key: &str) -> Vec<(usize, u32)> {
        let Some(name) = shards.get(shard_of(key, shards.len())) else { return Vec::new() };
        let Some(list) = self.get(&format!("s/{name}.js")).and_then(|s| s.get(key)).and_then(Value::as_str)
        else {
            return Vec::new();
        };
        let numbers: Vec<u64> = decode_varints(list).collect();
        let mut page = 0usize;
        numbers
            .chunks_exact(2)
            .map(|pair| {
                page += pair[0] as usize;
                (page, pair[1] as u32)
            })
            .collect()
    }
}

/// Per page: the weighted count (capped) and the flags of one group.
fn group_pages(loader: &mut Loader<'_>, shards: &[String], group: &Group) -> HashMap<usize, (u32, u32)> {
    let mut pages: HashMap<usize, (u32, u32)> = HashMap::new();
    for (key, &weight) in &group.keys {
        for (page, value) in loader.postings(shards, key) {
            let entry = pages.entry(page).or_insert((0, 0));
            entry.0 += weight * (value >> 3);
            entry.1 |= value & 7;
        }
    }
    pages.values_mut().for_each(|e| e.0 = e.0.min(TERM_SCORE_CAP));
    pages
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The query as written, then the query with each word of a synonym set that has another
/// number of characters written instead (`社保` → `社会保险`): those cannot line up term by term
/// with the query's groups, so each is a query of its own, and a page matches when it matches
/// any of them.
fn query_variants(q: &str, synonyms: &[Vec<String>]) -> Vec<Vec<Group>> {
    let mut texts = vec![q.to_string()];
    for set in synonyms {
        for member in set.iter().filter(|m| !m.is_empty() && q.contains(m.as_str())) {
            for other in set.iter().filter(|o| !o.is_empty() && o.chars().count() != member.chars().count()) {
                let text = q.replace(member.as_str(), other);
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
        }
    }
    texts.iter().map(|t| query_groups(t, synonyms)).collect()
}

/// Per group of a variant: per page, its weighted count (capped) and flags.
type GroupPages = Vec<HashMap<usize, (u32, u32)>>;

/// How many groups a page must match to be a close match, for a query of `groups` terms of
/// which `found` match some page: more than half of those, and two at least. Terms found
/// nowhere (a word the site spells otherwise, a pair of characters across two words such as
/// `了怎` in `丢了怎么办`) cannot help any page, so they are not counted. `None` for a query of one
/// or two terms, which has no close matches: they would flood the results.
pub(crate) fn close_need(groups: usize, found: usize) -> Option<usize> {
    (groups >= CLOSE_MIN_GROUPS).then_some((found / 2 + 1).max(2))
}

/// Per page that at least `need` groups match (and every filter allows): how many groups
/// it matches and its score over them.
fn rank(per_group: &GroupPages, need: usize, allowed: &[BTreeSet<usize>]) -> HashMap<usize, (usize, u32)> {
    let mut found: HashMap<usize, (usize, u32)> = HashMap::new();
    for pages in per_group {
        for (&page, &(m, flags)) in pages {
            let entry = found.entry(page).or_insert((0, 0));
            entry.0 += 1;
            entry.1 += m + flag_bonus(m, flags);
        }
    }
    found.retain(|page, e| e.0 >= need.max(1) && allowed.iter().all(|a| a.contains(page)));
    found
}

/// The pages found, best first, each with its variant: exact matches (every group) by score,
/// or when there are none, close ones (see [`close_need`]) by how many groups they match,
/// then by score; ties go to the lower page id. Also says whether the matches are close ones.
fn ranked(
    variants: &[Vec<Group>],
    per_variant: &[GroupPages],
    allowed: &[BTreeSet<usize>],
) -> (Vec<(usize, usize)>, bool) {
    for close in [false, true] {
        // Per page: its best (groups matched, score) over the variants, and the first variant
        // that gave it. Exact matches count no groups: their score alone orders them.
        let mut best: HashMap<usize, ((usize, u32), usize)> = HashMap::new();
        for (v, per_group) in per_variant.iter().enumerate() {
            let n = variants[v].len();
            let found = per_group.iter().filter(|pages| !pages.is_empty()).count();
            let need = if close { close_need(n, found) } else { Some(n) };
            let Some(need) = need.filter(|&need| n > 0 && need <= found) else { continue };
            for (page, (k, score)) in rank(per_group, need, allowed) {
                let key = (if close { k } else { 0 }, score);
                let entry = best.entry(page).or_insert((key, v));
                if key > entry.0 {
                    *entry = (key, v);
                }
            }
        }
        if best.is_empty() {
            continue;
        }
        let mut list: Vec<((usize, u32), usize, usize)> =
            best.into_iter().map(|(page, (key, v))| (key, page, v)).collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        return (list.into_iter().map(|(_, page, v)| (page, v)).collect(), close);
    }
    (Vec::new(), false)
}

/// Run `q` over the index whose files `read` returns (by path relative to the search folder,
/// such as `manifest.js`); see the module docs of [`crate::search`]. Missing or unreadable
/// files count as empty.
pub fn search(read: &dyn Fn(&str) -> Option<String>, q: &SearchQuery<'_>) -> SearchResults {
    let mut loader = Loader { read, cache: HashMap::new(), loaded: Vec::new() };
    let Some(manifest) = loader.get(MANIFEST).cloned() else { return SearchResults::default() };
    let synonyms: Vec<Vec<String>> = manifest["synonyms"]
        .as_array()
        .map(|a| a.iter().map(|s| strings(Some(s))).collect())
        .unwrap_or_default();
    let mut variants = query_variants(q.text, &synonyms);
    if variants.iter().all(Vec::is_empty) {
        return SearchResults { loaded: loader.loaded, ..Default::default() };
    }
    let shards = strings(manifest.get("shards"));
    let buckets: BTreeSet<String> = variants
        .iter()
        .flatten()
        .flat_map(|g| g.alts.iter().filter_map(|(t, m)| needs_vocab(t, *m)))
        .collect();
    let mut vocab = HashMap::new();
    for bucket in buckets {
        if let Some(name) = manifest["vocab"].get(&bucket).and_then(Value::as_str) {
            vocab.insert(bucket, strings(loader.get(&format!("v/{name}.js"))));
        }
    }
    for groups in &mut variants {
        resolve(groups, &vocab);
    }
    let mut filters: Vec<String> = Vec::new();
    if let Some(s) = q.section {
        filters.push(format!("{FILTER_PREFIX}s{s}"));
    }
    if let Some(k) = q.kind {
        filters.push(format!("{FILTER_PREFIX}k{k}"));
    }
    let allowed: Vec<BTreeSet<usize>> =
        filters.iter().map(|f| loader.postings(&shards, f).into_iter().map(|p| p.0).collect()).collect();
    let per_variant: Vec<GroupPages> = variants
        .iter()
        .map(|groups| groups.iter().map(|g| group_pages(&mut loader, &shards, g)).collect())
        .collect();
    let (ranked, close) = ranked(&variants, &per_variant, &allowed);
    let tables = strings(manifest.get("tables"));
    let size = |key: &str| manifest.get(key).and_then(Value::as_u64).map_or(1, |n| n.max(1) as usize);
    let (chunk_pages, table_chunks) = (size("chunk"), size("table"));
    let hits = ranked
        .iter()
        .skip(q.offset)
        .take(q.limit)
        .filter_map(|&(page, v)| {
            let chunk = page / chunk_pages;
            let table = tables.get(chunk / table_chunks)?;
            let name = loader.get(&format!("p/{table}.js"))?.get(chunk % table_chunks)?.as_str()?.to_string();
            let fragment = loader.get(&format!("d/{name}.js"))?.get(page % chunk_pages)?.clone();
            Some(hit(&fragment, &variants[v]))
        })
        .collect();
    SearchResults { total: ranked.len(), hits, close, loaded: loader.loaded }
}

/// What a group's flags and count add to a page's score besides the count itself.
fn flag_bonus(m: u32, flags: u32) -> u32 {
    let on = |bit: u32, bonus: u32| if flags & bit != 0 { bonus } else { 0 };
    (if m > 0 { DOC_BONUS } else { 0 })
        + on(IN_TITLE, TITLE_BONUS)
        + on(IN_HEADING, HEADING_BONUS)
        + on(IN_META, META_BONUS)
}

/// The result for a page's fragment: its best section, with a snippet.
fn hit(fragment: &Value, groups: &[Group]) -> SearchHit {
    let url = fragment["u"].as_str().unwrap_or("");
    let sections: Vec<(String, String, String)> = fragment["s"]
        .as_array()
        .map(|a| a.iter().map(|s| (str_at(s, 0), str_at(s, 1), str_at(s, 2))).collect())
        .unwrap_or_default();
    let mut best = (0u32, 0usize);
    for (i, (_, heading, text)) in sections.iter().enumerate() {
        let heading_tokens = analyze(heading);
        let text_tokens = analyze(text);
        let mut score = 0;
        for group in groups {
            let in_heading = heading_tokens.iter().any(|t| group.weight(&t.text) > 0);
            let m: u32 = heading_tokens.iter().chain(&text_tokens).map(|t| group.weight(&t.text)).sum();
            let m = m.min(TERM_SCORE_CAP);
            score += m + if m > 0 { DOC_BONUS } else { 0 } + if in_heading { HEADING_BONUS } else { 0 };
        }
        if score > best.0 {
            best = (score, i);
        }
    }
    let (anchor, heading, text) = sections.get(best.1).cloned().unwrap_or_default();
    SearchHit {
        url: if anchor.is_empty() { url.to_string() } else { format!("{url}#{anchor}") },
        title: fragment["t"].as_str().unwrap_or("").to_string(),
        heading: (!heading.is_empty()).then_some(heading),
        snippet: super::snippet::snippet(&text, groups),
    }
}

fn str_at(v: &Value, i: usize) -> String {
    v.get(i).and_then(Value::as_str).unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_distances() {
        let d = |a: &str, b: &str| {
            typo_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), 2)
        };
        assert_eq!(d("crad", "card"), 1);
        assert_eq!(d("renwe", "renew"), 1);
        assert_eq!(d("identiy", "identity"), 1);
        assert_eq!(d("apointment", "appointment"), 1);
        assert_eq!(d("card", "card"), 0);
        assert_eq!(d("abcdef", "uvwxyz"), 3);
    }

    #[test]
    fn synonyms_of_another_length_are_queries_of_their_own() {
        use crate::search::{SearchIndex, SearchPage, SearchSection, SearchSettings};
        let page = |url: &str, text: &str| SearchPage {
            url: url.into(),
            title: "页面".into(),
            description: Default::default(),
            tags: Vec::new(),
            section: None,
            kind: "guide",
            sections: SearchSection::only(text),
        };
        let pages =
            [page("/a/", "缴纳社保的办法"), page("/b/", "社会保险的缴费基数"), page("/c/", "别的事情")];
        let found = |synonyms: Vec<Vec<String>>, q: &str| {
            let (_, files) = SearchIndex::build(SearchSettings { synonyms, ..Default::default() }, &pages);
            let read = |path: &str| files.get(path).map(|t| t.to_string());
            let results = search(&read, &SearchQuery { text: q, limit: 10, ..Default::default() });
            let mut urls: Vec<String> = results.hits.into_iter().map(|h| h.url).collect();
            urls.sort();
            (results.total, urls)
        };
        let set = vec![vec!["社保".to_string(), "社会保险".to_string()]];
        assert_eq!(found(Vec::new(), "社保"), (1, vec!["/a/".to_string()]), "without the set");
        assert_eq!(found(set.clone(), "社保"), (2, vec!["/a/".to_string(), "/b/".to_string()]));
        assert_eq!(found(set.clone(), "社会保险"), (2, vec!["/a/".to_string(), "/b/".to_string()]));
        assert_eq!(found(set, "社保 缴费").0, 1, "the other words still have to match");
    }

    #[test]
    fn with_no_exact_match_pages_with_most_terms_come_first() {
        use crate::search::{SearchIndex, SearchPage, SearchSection, SearchSettings};
        let page = |url: &str, text: &str| SearchPage {
            url: url.into(),
            title: url.to_string().into(),
            kind: "guide",
            sections: SearchSection::only(text),
            ..SearchPage::default()
        };
        let pages = [
            page("/two/", "alpha bravo"),
            page("/three/", "alpha bravo charlie"),
            page("/one/", "delta"),
            page("/four/", "alpha bravo charlie delta"),
            page("/twice/", "alpha alpha charlie charlie"),
        ];
        let (_, files) = SearchIndex::build(SearchSettings::default(), &pages);
        let read = |path: &str| files.get(path).map(|t| t.to_string());
        let found = |q: &str| {
            let results = search(&read, &SearchQuery { text: q, limit: 10, ..Default::default() });
            (results.close, results.hits.into_iter().map(|h| h.url).collect::<Vec<_>>())
        };
        // Five terms, four found somewhere: close matches have three of them at least, the
        // most first, then by score (`/twice/` counts its words twice).
        let close = found("alpha bravo charlie delta echo");
        assert_eq!(close, (true, vec!["/four/".to_string(), "/three/".to_string()]));
        assert_eq!(found("alpha charlie delta xyzzy").1, ["/four/", "/twice/", "/three/"]);
        // An exact match hides close ones (equal scores: the lower page id first).
        assert_eq!(found("alpha bravo charlie"), (false, vec!["/three/".to_string(), "/four/".to_string()]));
        // One or two terms have no close matches, nor do terms found nowhere but one.
        assert_eq!(found("alpha xyzzy"), (false, Vec::new()));
        assert_eq!(found("delta xyzzy quux"), (false, Vec::new()));
        assert_eq!(close_need(2, 2), None);
        assert_eq!(close_need(3, 3), Some(2));
        assert_eq!(close_need(7, 5), Some(3));
    }

    #[test]
    fn synonyms_line_up_term_by_term() {
        let synonyms = vec![vec!["身份证".to_string(), "身分证".to_string()]];
        let groups = query_groups("身分证 挂失", &synonyms);
        let alts: Vec<Vec<&str>> =
            groups.iter().map(|g| g.alts.iter().map(|a| a.0.as_str()).collect()).collect();
        assert_eq!(alts, [vec!["身分", "身份"], vec!["分证", "份证"], vec!["挂失"]]);
    }
}

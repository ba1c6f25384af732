//! Snippets: a window of a section's text around the first match, escaped, with every match
//! in `<mark>`. `search.js` makes the same (see the module docs of [`crate::search`]).

use super::query::Group;
use super::tokens::analyze;

/// Snippet window length in characters.
pub const SNIPPET_CHARS: usize = 160;
/// Characters of context shown before the first match.
const SNIPPET_LEAD: usize = 40;
/// How far the window's edges may move to reach whitespace.
const SNIPPET_SNAP: usize = 15;

/// Where `groups` match `text`: character ranges, sorted, touching ones merged.
fn marks(text: &str, groups: &[Group]) -> Vec<(usize, usize)> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for token in analyze(text) {
        for group in groups {
            match group.one_char() {
                Some(c) if token.cjk => {
                    for (k, t) in token.text.chars().enumerate() {
                        if t == c {
                            marks.push((token.origs[k], token.origs[k] + 1));
                        }
                    }
                }
                _ if group.weight(&token.text) > 0 => marks.push((token.start, token.end)),
                _ => {}
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
    merged
}

/// The window `start..end` of `chars` shown for a first match at `first`.
fn window(chars: &[char], first: usize) -> (usize, usize) {
    let n = chars.len();
    if n <= SNIPPET_CHARS {
        return (0, n);
    }
    let mut start = first.saturating_sub(SNIPPET_LEAD).min(n - SNIPPET_CHARS);
    if start > 0
        && let Some(p) = (start..(start + SNIPPET_SNAP).min(first)).find(|&p| chars[p] == ' ')
    {
        start = p + 1;
    }
    let mut end = (start + SNIPPET_CHARS).min(n);
    if end < n
        && let Some(p) = (end - SNIPPET_SNAP..end).rev().find(|&p| chars[p] == ' ' && p > first)
    {
        end = p;
    }
    (start, end)
}

/// The snippet of `text` for `groups`: HTML, escaped, matches in `<mark>`, cuts shown as `…`.
pub(crate) fn snippet(text: &str, groups: &[Group]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let merged = marks(text, groups);
    let (start, end) = window(&chars, merged.first().map_or(0, |m| m.0));
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
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn push_escaped(out: &mut String, chars: &[char]) {
    out.push_str(&crate::text::escape_html(&chars.iter().collect::<String>()));
}

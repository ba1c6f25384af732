//! Tokens: how text is folded and cut into the terms the index holds and queries look up.
//! `themes/default/static/search.js` does exactly the same (the node test `tests/search_js.rs`
//! compares them); see the module docs of [`crate::search`] for the rules.

use unicode_normalization::UnicodeNormalization;

/// Longer words are not indexed (URLs, hashes).
const MAX_WORD_CHARS: usize = 30;

/// English words too common to be worth indexing (they are dropped from queries as well).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "was", "will", "with", "you", "your",
];

/// Whether `c` is written without spaces between words and so indexed by bigrams: Han
/// ideographs (with `々` and `〇`), hiragana and katakana.
pub(crate) fn is_cjk(c: char) -> bool {
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
pub(crate) struct Token {
    pub text: String,
    pub cjk: bool,
    /// Source range `start..end`.
    pub start: usize,
    pub end: usize,
    /// For CJK tokens: the source index of each of its (one or two) characters.
    pub origs: [usize; 2],
}

/// Fold and segment `text` (see the module docs).
pub(crate) fn analyze(text: &str) -> Vec<Token> {
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

/// Call `f` with each term of `text`: the texts of [`analyze`]'s tokens that [`is_term`]
/// keeps, in order. Indexing reads every word of every page through this, so it reuses one
/// buffer instead of making a token (and a string) per word.
pub(crate) fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut folded: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |x| folded.push(x));
    }
    let mut buf = String::new();
    let n = folded.len();
    let mut i = 0;
    while i < n {
        let c = folded[i];
        let mut j = i + 1;
        if is_cjk(c) {
            while j < n && is_cjk(folded[j]) {
                j += 1;
            }
            for pair in folded[i..j].windows(2.min(j - i)) {
                buf.clear();
                buf.extend(pair);
                f(&buf);
            }
        } else if c.is_alphanumeric() {
            while j < n && !is_cjk(folded[j]) && folded[j].is_alphanumeric() {
                j += 1;
            }
            buf.clear();
            buf.extend(&folded[i..j]);
            if j - i <= MAX_WORD_CHARS && !STOP_WORDS.contains(&buf.as_str()) {
                f(&buf);
            }
        }
        i = j;
    }
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
pub(crate) fn is_term(t: &Token) -> bool {
    t.cjk || (t.text.chars().count() <= MAX_WORD_CHARS && !STOP_WORDS.contains(&t.text.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let terms: Vec<String> = analyze(input).into_iter().filter(is_term).map(|t| t.text).collect();
            let mut fast = Vec::new();
            for_each_term(input, |t| fast.push(t.to_string()));
            assert_eq!(fast, terms, "for_each_term({input:?})");
        }
        let long = format!("the {} card", "x".repeat(MAX_WORD_CHARS + 1));
        let mut fast = Vec::new();
        for_each_term(&long, |t| fast.push(t.to_string()));
        assert_eq!(fast, ["card"], "stop words and over-long words are not terms");
    }
}

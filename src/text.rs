//! Small text helpers: slugs and unique heading ids, "did you mean"
//! suggestions, HTML escaping and word counting (CJK-aware).

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// Heading-id / URL slug: NFKC-normalise; lowercase; keep every char that is alphanumeric in Unicode (so CJK like 身份证 is kept) ; every run of other chars (spaces, punctuation incl. CJK punctuation like ，。？、：) becomes one `-`; trim `-` at both ends. Empty result -> "" (callers pick a fallback).
pub fn slugify(s: &str) -> String {
    if s.is_ascii() { slugify_ascii(s) } else { slugify_unicode(s) }
}

/// [`slugify`] for any text: NFKC, lowercase, runs of other chars as one dash.
fn slugify_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// [`slugify`] for ASCII text, which NFKC leaves as it is: every heading gets a slug, and
/// normalising char by char was most of the cost.
fn slugify_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Make `base` unique within `used` by appending -1, -2, ... (the first occurrence keeps `base`), record and return it. If base is empty use "section".
pub fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut candidate = base.to_string();
    let mut n = 0usize;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

/// The closest candidate by edit distance (Damerau-Levenshtein over chars), only if it is close enough: distance <= max(1, needle_len/3), or — for needles of >= 4 chars — the candidate contains the needle or vice versa (the contained string must also have >= 4 chars). Ties: the first in candidate order. None when nothing is close (or the needle is empty).
pub fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(needle: &str, candidates: I) -> Option<&'a str> {
    let needle_len = needle.chars().count();
    if needle_len == 0 {
        return None;
    }
    let max_distance = (needle_len / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(needle, candidate);
        let cand_len = candidate.chars().count();
        let contains = needle_len >= 4
            && ((candidate.contains(needle)) || (cand_len >= 4 && needle.contains(candidate)));
        if distance <= max_distance || contains {
            match best {
                Some((d, _)) if d <= distance => {}
                _ => best = Some((distance, candidate)),
            }
        }
    }
    best.map(|(_, c)| c)
}

/// "Did you mean" over many candidates (every path of a site), without comparing a needle with
/// all of them: candidates are indexed by their character trigrams, and only the few sharing
/// the most trigrams with the needle are measured by edit distance. Comparing every broken link
/// with every path took 168 s for 4,000 broken links.
///
/// The answer is [`did_you_mean`]'s over those few, so it can miss a close candidate that
/// shares almost no trigram with the needle (a word or two, transposed throughout).
pub struct Suggester {
    /// Sorted and without repeats, so that ties go the same way every time.
    candidates: Vec<String>,
    /// Trigram → the candidates holding it (indexes into `candidates`, ascending).
    grams: std::collections::HashMap<[char; 3], Vec<u32>>,
}

/// How many of the candidates sharing most trigrams with a needle are measured.
const MEASURED: usize = 48;

impl Suggester {
    /// Index `candidates`.
    pub fn new<I: IntoIterator<Item = String>>(candidates: I) -> Suggester {
        let mut candidates: Vec<String> = candidates.into_iter().collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut grams: std::collections::HashMap<[char; 3], Vec<u32>> = std::collections::HashMap::new();
        for (i, candidate) in candidates.iter().enumerate() {
            for gram in trigrams(candidate) {
                let list = grams.entry(gram).or_default();
                // A candidate's repeated trigram is listed once.
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Suggester { candidates, grams }
    }

    /// The closest candidate to `needle` other than `except` (see [`did_you_mean`]).
    pub fn suggest(&self, needle: &str, except: &str) -> Option<&str> {
        // Trigrams most candidates share (`guides/`, `.md`) tell nothing apart and would make
        // every query touch every candidate: only the rarer ones count.
        let common = (self.candidates.len() / 64).max(32);
        let mut shared = vec![0u32; self.candidates.len()];
        let mut touched = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for gram in trigrams(needle) {
            if !seen.insert(gram) {
                continue;
            }
            let list = self.grams.get(&gram).map(Vec::as_slice).unwrap_or_default();
            if list.len() > common {
                continue;
            }
            for &i in list {
                if shared[i as usize] == 0 {
                    touched.push(i);
                }
                shared[i as usize] += 1;
            }
        }
        let mut ranked: Vec<(u32, u32)> = touched.into_iter().map(|i| (i, shared[i as usize])).collect();
        // Most trigrams shared first, then the closest in length; then candidate order, so
        // that the pick is deterministic.
        let length_gap = |i: u32| self.candidates[i as usize].len().abs_diff(needle.len());
        ranked.sort_unstable_by(|a, b| {
            b.1.cmp(&a.1).then(length_gap(a.0).cmp(&length_gap(b.0))).then(a.0.cmp(&b.0))
        });
        ranked.truncate(MEASURED);
        ranked.sort_unstable_by_key(|&(i, _)| i);
        let few = ranked.iter().map(|&(i, _)| self.candidates[i as usize].as_str()).filter(|c| *c != except);
        did_you_mean(needle, few)
    }
}

/// The character trigrams of `text`, padded at both ends so that short texts have some.
fn trigrams(text: &str) -> impl Iterator<Item = [char; 3]> + '_ {
    let chars: Vec<char> = ['\u{2}', '\u{2}'].into_iter().chain(text.chars()).chain(['\u{3}']).collect();
    (0..chars.len().saturating_sub(2)).map(move |i| [chars[i], chars[i + 1], chars[i + 2]])
}

/// Decode the five entities [`escape_html`] writes (`&amp;` last, so that `&amp;lt;` stays `&lt;`).
pub fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Escape text for HTML element content and attribute values (& < > " ').
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Bytes that [`push_json_str`] does not copy as they are: what JSON escapes (`"`, `\\`, control
/// characters), `<`, `>` and `&`, and E2, the lead byte of U+2028/U+2029.
const JSON_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'&' as usize] = true;
    table[0xE2] = true;
    table
};

/// Append `s` as a JSON string that is also safe inside a script element: serde_json's escapes,
/// plus `<`, `>` and `&` (so `</script>` cannot end the element early and no text reads as
/// markup) and U+2028/U+2029 (older JavaScript engines reject them raw). The search index's
/// document chunks hold every page's address, title and headings, and most runs of sixteen
/// bytes have nothing to escape: those are passed over by a test the compiler vectorises, and
/// only a run holding a byte of [`JSON_SPECIAL`] is looked at byte by byte. The last run of a
/// long string ends at its end, over bytes looked at before; a short one (most keys, titles,
/// anchors) is laid out as a run by fixed-size copies (see [`short_run`]).
pub fn push_json_str(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut copied = 0;
    if bytes.len() < 16 {
        if has_json_special(&short_run(bytes)) {
            copied = push_json_escapes(out, s, 0, 0);
        }
    } else {
        let mut at = 0;
        while at < bytes.len() {
            let start = at.min(bytes.len() - 16);
            if let Some(run) = bytes[start..].first_chunk::<16>()
                && has_json_special(run)
            {
                copied = push_json_escapes(out, s, copied, start);
            }
            at = start + 16;
        }
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// The bytes of a string shorter than sixteen as a run of sixteen that holds every one of them
/// (some twice) and letters, which need no escape, for the rest: its first and last eight, or
/// four, or the bytes themselves. Copies of a known size are single moves; padding a copy of
/// any size was a call to `memcpy`.
fn short_run(bytes: &[u8]) -> [u8; 16] {
    let n = bytes.len();
    let mut run = [b'a'; 16];
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        run[..8].copy_from_slice(head);
        run[8..].copy_from_slice(tail);
    } else if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        run[..4].copy_from_slice(head);
        run[4..8].copy_from_slice(tail);
    } else {
        run[..n.min(16)].copy_from_slice(&bytes[..n.min(16)]);
    }
    run
}

/// Whether `run` holds a byte of [`JSON_SPECIAL`].
#[inline(always)]
fn has_json_special(run: &[u8; 16]) -> bool {
    run.iter().fold(false, |any, &b| any | (json_special_distance(b) == 0))
}

/// Append the escapes of the special bytes of `s[from..from + 16]` (or of the rest, when it is
/// shorter) with the text before them from `copied` on; returns where copying goes on. Bytes
/// before `copied` were written already (a run may overlap the one before it).
fn push_json_escapes(out: &mut String, s: &str, mut copied: usize, from: usize) -> usize {
    let bytes = s.as_bytes();
    for i in from..(from + 16).min(bytes.len()) {
        if JSON_SPECIAL[bytes[i] as usize] && i >= copied {
            copied = push_json_escape(out, s, copied, i);
        }
    }
    copied
}

/// Zero exactly for the bytes of [`JSON_SPECIAL`]: the least of the byte's distances (as xor)
/// from each special byte, and how far it is above the control characters. Written with
/// minimums rather than comparisons, which the compiler turns into a look-up by bits that it
/// cannot do for sixteen bytes at once; this it can.
#[inline(always)]
fn json_special_distance(b: u8) -> u8 {
    b.saturating_sub(0x1F)
        .min(b ^ b'"')
        .min(b ^ b'\\')
        .min(b ^ b'<')
        .min(b ^ b'>')
        .min(b ^ b'&')
        .min(b ^ 0xE2)
}

/// Append `s[copied..i]`, then the escape of the special byte at `i` (nothing for a lead byte
/// 0xE2 of a character other than U+2028 and U+2029); returns where copying goes on.
fn push_json_escape(out: &mut String, s: &str, copied: usize, i: usize) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let b = bytes[i];
    let escape: &str = match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x08 => "\\b",
        0x0C => "\\f",
        b'<' => "\\u003c",
        b'>' => "\\u003e",
        b'&' => "\\u0026",
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => "\\u2028",
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => "\\u2029",
        0xE2 => return copied,
        _ => {
            out.push_str(&s[copied..i]);
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
            return i + 1;
        }
    };
    out.push_str(&s[copied..i]);
    out.push_str(escape);
    i + if b == 0xE2 { 3 } else { 1 }
}

/// Check that a relative output path stays inside the output folder (rendering checks
/// aliases with it, writing checks every path).
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains('\0')
        && !path.contains(':')
        && path.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Whether `c` is a CJK ideograph (unified ideographs, extensions, compatibility ideographs).
fn is_cjk_ideograph(c: char) -> bool {
    matches!(
        c as u32,
        0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2EBEF
            | 0x2F800..=0x2FA1F
            | 0x30000..=0x323AF
    )
}

/// Plain text word count: Latin words count by whitespace-separated runs; each CJK ideograph counts as one word. Runs without any alphanumeric char (lone punctuation such as `-` or `。`) are not counted.
pub fn word_count(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    // One pass over the bytes: ASCII through the table (most text, Chinese pages included, is
    // mostly ASCII), anything else decoded char by char.
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            let class = ASCII_CLASS[usize::from(b)];
            count += usize::from(class == ALNUM && !in_word);
            in_word = class == ALNUM || (class == OTHER && in_word);
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else { break };
        i += c.len_utf8();
        if is_cjk_ideograph(c) {
            count += 1;
            in_word = false;
        } else if c.is_whitespace() {
            in_word = false;
        } else if c.is_alphanumeric() && !in_word {
            count += 1;
            in_word = true;
        }
    }
    count
}

const OTHER: u8 = 0;
const SPACE: u8 = 1;
const ALNUM: u8 = 2;

/// Each ASCII byte's class for word counting: whitespace ends a word, a letter or digit
/// starts one, anything else (punctuation) leaves the state as it is.
const ASCII_CLASS: [u8; 128] = {
    let mut table = [OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_whitespace() || c == 0x0b {
            SPACE
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// A fixed pseudo-random walk for unit tests that draw texts from an alphabet: each call gives a
/// number below `n`, the same sequence for the same `seed` on every run.
#[cfg(test)]
pub(crate) fn test_walk(seed: u32) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (state >> 16) as usize % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_special_distance_is_zero_for_the_special_bytes_alone() {
        for b in 0..=255u8 {
            assert_eq!(json_special_distance(b) == 0, JSON_SPECIAL[b as usize], "{b:#x}");
        }
    }

    #[test]
    fn json_strings_of_any_length_are_serde_json_with_script_safe_escapes() {
        // What serde_json writes, with the characters a script must not hold raw escaped after.
        let reference = |s: &str| {
            serde_json::to_string(s)
                .unwrap()
                .replace('<', "\\u003c")
                .replace('>', "\\u003e")
                .replace('&', "\\u0026")
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
        };
        let alphabet: Vec<char> =
            "abcdefgh  \"\\<>&\t\n\r\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{2028}\u{2029}\u{2027}—’身¢é"
                .chars()
                .collect();
        let mut next = test_walk(7);
        for round in 0..4000 {
            // Mostly plain letters, so that runs of sixteen bytes with nothing to escape come up.
            let plain = round % 3 == 0;
            let text: String = (0..round % 70)
                .map(|_| if plain && next(8) > 0 { 'x' } else { alphabet[next(alphabet.len())] })
                .collect();
            let mut out = "x".to_string();
            push_json_str(&mut out, &text);
            assert_eq!(out[1..], reference(&text), "{text:?}");
        }
    }

    #[test]
    fn a_special_byte_is_escaped_at_any_place_of_a_string_of_any_length() {
        for len in 1..40 {
            for at in 0..len {
                for special in ["\"", "\\", "<", "&", "\u{1}", "\u{2028}", "—"] {
                    let text = format!("{}{special}{}", "x".repeat(at), "y".repeat(len - at - 1));
                    let mut out = String::new();
                    push_json_str(&mut out, &text);
                    let expected = serde_json::to_string(&text)
                        .unwrap()
                        .replace('<', "\\u003c")
                        .replace('&', "\\u0026")
                        .replace('\u{2028}', "\\u2028");
                    assert_eq!(out, expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn unescaping_undoes_escaping() {
        let text = "<a href=\"x\">Tom's & Jerry's &lt;</a>";
        assert_eq!(unescape_html(&escape_html(text)), text);
        assert_eq!(unescape_html("&amp;lt;"), "&lt;");
    }

    #[test]
    fn slugify_table() {
        let cases = [
            ("Can I report a lost card online?", "can-i-report-a-lost-card-online"),
            ("What to bring (ID & photo)", "what-to-bring-id-photo"),
            ("第七条 申领", "第七条-申领"),
            ("  Ｆｕｌｌ－width ", "full-width"),
            ("身份证，怎么办？", "身份证-怎么办"),
            ("申请、补领：说明。", "申请-补领-说明"),
            ("Article 21-1", "article-21-1"),
            ("Café Crème", "café-crème"),
            ("Cafe\u{301}", "café"),
            ("ÄÖÜ straße", "äöü-straße"),
            ("--already--slugged--", "already-slugged"),
            ("snake_case_name", "snake-case-name"),
            ("①", "1"),
            ("", ""),
            ("?!…", ""),
            ("   ", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(slugify(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn the_ascii_slug_path_agrees_with_the_unicode_one() {
        for b in 0u8..128 {
            let c = b as char;
            for text in [format!("A{c}b"), format!("{c}x{c}Y{c}"), format!("{c}{c}")] {
                assert_eq!(slugify_ascii(&text), slugify_unicode(&text), "text {text:?}");
            }
        }
    }

    #[test]
    fn unique_id_appends_suffixes() {
        let mut used = HashSet::new();
        let got: Vec<String> =
            ["intro", "intro", "intro", "", "", "intro-1"].iter().map(|b| unique_id(b, &mut used)).collect();
        assert_eq!(got, ["intro", "intro-1", "intro-2", "section", "section-1", "intro-1-1"]);
        assert!(used.contains("intro-2"));

        // A pre-recorded id is skipped over.
        let mut used: HashSet<String> = ["faq-1".to_string()].into_iter().collect();
        assert_eq!(unique_id("faq", &mut used), "faq");
        assert_eq!(unique_id("faq", &mut used), "faq-2");
    }

    #[test]
    fn did_you_mean_table() {
        let fields = ["title", "date", "description", "tags"];
        let cases: [(&str, &[&str], Option<&str>); 12] = [
            ("titel", &fields, Some("title")),
            ("xyz", &["title"], None),
            ("dat", &fields, Some("date")),
            ("tag", &fields, Some("tags")),
            ("descripton", &fields, Some("description")),
            ("desc", &fields, Some("description")),
            ("title", &fields, Some("title")),
            ("", &fields, None),
            ("zzzzzzzz", &fields, None),
            ("lost", &["lost-card.md", "renew.md"], Some("lost-card.md")),
            ("x", &["a", "b"], Some("a")),
            ("date", &[], None),
        ];
        for (needle, candidates, expected) in cases {
            assert_eq!(did_you_mean(needle, candidates.iter().copied()), expected, "needle {needle:?}");
        }
    }

    #[test]
    fn the_suggester_finds_what_did_you_mean_finds_among_many() {
        let paths: Vec<String> = (0..5000).map(|i| format!("guides/topic-{i}/page-{}.md", i * 7)).collect();
        let suggester = Suggester::new(paths.iter().cloned().chain(["faq/lost-card.md".to_string()]));
        assert_eq!(suggester.suggest("faq/lost-crad.md", ""), Some("faq/lost-card.md"));
        assert_eq!(suggester.suggest("guides/topic-42/page-294.md", ""), Some("guides/topic-42/page-294.md"));
        assert_eq!(suggester.suggest("guides/topic-42/page-29.md", ""), Some("guides/topic-42/page-294.md"));
        assert_eq!(suggester.suggest("faq/lost-card.md", "faq/lost-card.md"), None, "never the page itself");
        assert_eq!(suggester.suggest("zzzzzz", ""), None);
        // Its cost is bounded by construction (at most `MEASURED` edit distances a query);
        // the 4,000-broken-links case of the hostile suite measures it end to end.
    }

    #[test]
    fn did_you_mean_prefers_closest_then_first() {
        // "cat" is distance 1 from both; the first wins.
        assert_eq!(did_you_mean("cat", ["bat", "hat"]), Some("bat"));
        // A closer later candidate beats an earlier, farther one.
        assert_eq!(did_you_mean("colour", ["colours", "colour"]), Some("colour"));
        // Short contained candidates do not count as containment matches.
        assert_eq!(did_you_mean("categories", ["a", "cat"]), None);
        // Needle containing a long-enough candidate does.
        assert_eq!(did_you_mean("guidance-page", ["other", "guidance"]), Some("guidance"));
    }

    #[test]
    fn escape_html_table() {
        let cases = [
            ("plain", "plain"),
            ("a & b", "a &amp; b"),
            ("<script>", "&lt;script&gt;"),
            (r#"say "hi""#, "say &quot;hi&quot;"),
            ("it's", "it&#39;s"),
            ("&amp;", "&amp;amp;"),
            ("身份证 <b>", "身份证 &lt;b&gt;"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_html(input), expected);
        }
    }

    #[test]
    fn word_count_table() {
        let cases = [
            ("", 0),
            ("   ", 0),
            ("hello", 1),
            ("Can I report a lost card online?", 7),
            ("  spaced\tout\nwords  ", 3),
            ("身份证", 3),
            ("申领居民身份证。", 7),
            ("Bring your 身份证 today", 6),
            ("ID卡", 2),
            ("a - b", 2),
            ("，。？", 0),
            ("don't re-apply", 2),
        ];
        for (input, expected) in cases {
            assert_eq!(word_count(input), expected, "input {input:?}");
        }
    }

    /// The rule char by char, without the ASCII table: the fast paths must agree with it.
    fn word_count_by_chars(s: &str) -> usize {
        let (mut count, mut in_word) = (0, false);
        for c in s.chars() {
            if is_cjk_ideograph(c) {
                count += 1;
                in_word = false;
            } else if c.is_whitespace() {
                in_word = false;
            } else if c.is_alphanumeric() && !in_word {
                count += 1;
                in_word = true;
            }
        }
        count
    }

    #[test]
    fn fast_paths_agree_with_the_rule_on_every_ascii_char() {
        for b in 0u8..128 {
            let c = b as char;
            for text in [format!("a{c}b"), format!("{c}x{c}"), format!("é{c}b"), format!("身{c}x{c}y")] {
                assert_eq!(word_count(&text), word_count_by_chars(&text), "text {text:?}");
            }
        }
    }
}

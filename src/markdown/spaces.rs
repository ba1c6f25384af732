//! Whitespace as a page's plain text is gathered: collapsed to single spaces, none at either
//! end, as `str::split_whitespace` joined by spaces would give it. Every byte of every page's
//! text passes through here when search is on, so the checks look at many bytes at once.

/// Whitespace collapsed to single spaces, none at either end: the words of
/// `str::split_whitespace` joined by spaces. Written out because that chain (an iterator that
/// decodes every character, a vector of words, a join) was a sixth of a build's instructions:
/// here ASCII bytes are looked at one by one and only other characters are decoded.
pub(super) fn collapse(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            // `char::is_whitespace` of ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
            b if b.is_ascii() => (matches!(b, b'\t'..=b'\r' | b' '), 1),
            _ => match text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => break,
            },
        };
        match (space, word) {
            (true, Some(start)) => {
                push_word(&mut out, &text[start..i]);
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(start) = word {
        push_word(&mut out, &text[start..]);
    }
    out
}

/// ASCII whitespace collapsed to single spaces, none at either end: the words of
/// `str::split_ascii_whitespace` joined by spaces (a first paragraph's text, of which a page's
/// description is made). That chain of an iterator, a vector of words and a join cost about
/// 6,000 instructions a page; a text that needs nothing done, as most do, is found by vector
/// searches and copied, and another is collapsed in one pass over its bytes.
pub(super) fn collapse_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    let spaced_end = |b: Option<&u8>| b.is_some_and(u8::is_ascii_whitespace);
    if !spaced_end(bytes.first())
        && !spaced_end(bytes.last())
        && memchr::memchr3(b'\n', b'\t', b'\r', bytes).is_none()
        && memchr::memchr(0x0C, bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none()
    {
        return text.to_string();
    }
    // Taking out ASCII bytes and putting in ASCII spaces between others leaves UTF-8 whole.
    let mut out = Vec::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(b);
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Bytes that may start whitespace: ASCII whitespace, and the lead bytes of the other
/// whitespace characters (see [`whitespace_len`]).
const SPACE_START: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b'\t', b'\n', 0x0B, 0x0C, b'\r', b' ', 0xC2, 0xE1, 0xE2, 0xE3];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// The length in bytes of the whitespace character (`char::is_whitespace`) at `bytes[i]`, or 0
/// when none starts there: in UTF-8, U+0085 and U+00A0 are `C2 85` and `C2 A0`, U+1680 is
/// `E1 9A 80`, U+2000–U+200A, U+2028, U+2029, U+202F and U+205F start with `E2`, U+3000 is
/// `E3 80 80`.
#[inline]
pub(crate) fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match at(0) {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        0xE2 if matches!((at(1), at(2)), (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)) => 3,
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Append `text` to `out`, text collapsed as it is gathered: every run of whitespace becomes one
/// space, none at the start of `out` nor after a space it ends with. Gathering a body's text
/// piece by piece this way, then taking off a space at the end, gives what [`collapse`] gives
/// for the whole, without copying it twice. Runs of text with single spaces are copied whole.
pub(crate) fn push_collapsed(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    if is_collapsed_piece(bytes) {
        // At most one space at the start, which is dropped where `out` has one or nothing.
        let after_space = out.is_empty() || out.ends_with(' ');
        out.push_str(if after_space { text.strip_prefix(' ').unwrap_or(text) } else { text });
        return;
    }
    // `text[copied..i]` is to be copied: no whitespace but single spaces after other bytes.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !SPACE_START[usize::from(b)] {
            i += 1;
            continue;
        }
        if b == b' ' && i > copied && bytes[i - 1] != b' ' {
            i += 1;
            continue;
        }
        let len = whitespace_len(bytes, i);
        if len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        i += len;
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// Whether `bytes` has no whitespace but single spaces (it may start or end with one): no
/// control character, no two spaces in a row, no whitespace beyond ASCII. Most pieces of text
/// are like this, and every byte of every page's text is looked at here: 32 bytes at a time by
/// a loop the compiler vectorises, and by vector searches for the lead bytes of whitespace
/// beyond ASCII where there are bytes beyond ASCII at all.
pub(crate) fn is_collapsed_piece(bytes: &[u8]) -> bool {
    match control_double_space_high(bytes) {
        (true, _) => false,
        (false, high) => !high || !has_wide_space(bytes),
    }
}

/// Whether `bytes` has a byte below `0x20` or two spaces in a row, and whether it has a byte
/// beyond ASCII.
///
/// A byte `a` followed by `b` is wrong when `a < 0x20`, or when both are spaces. That is the
/// same, over a whole text, as `a <= 0x1F` or `max(a, b) <= 0x20`: the second also holds for a
/// space before a control character, which is wrong anyway, as the next byte. Both are a
/// saturating subtraction that gives zero, so each byte's verdict is the least of two such
/// differences, and the least of all verdicts, kept across windows with the bytes' union for
/// those beyond ASCII, is looked at once at the end: a branch-free loop the compiler turns into
/// a few vector instructions per 16 bytes (per 32 where the processor has AVX2). Texts are
/// almost always collapsed, so stopping at the first wrong byte would save nothing.
fn control_double_space_high(bytes: &[u8]) -> (bool, bool) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as was just checked.
        return unsafe { avx2::control_double_space_high(bytes) };
    }
    windows(bytes)
}

/// [`control_double_space_high`] compiled for processors with AVX2 (most x86-64 ones), found at
/// run time: the search chunks look through every byte of every page's text with it, and a
/// window is then one vector instruction per step instead of two (half the instructions).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    /// See [`super::control_double_space_high`].
    #[target_feature(enable = "avx2")]
    pub(super) fn control_double_space_high(bytes: &[u8]) -> (bool, bool) {
        super::windows(bytes)
    }
}

/// The loop of [`control_double_space_high`], inlined into each version of it.
#[inline(always)]
fn windows(bytes: &[u8]) -> (bool, bool) {
    let mut least = [u8::MAX; 32];
    let mut union = [0u8; 32];
    let n = bytes.len();
    if n >= 33 {
        // Windows of 32 bytes, each with the 32 bytes one on.
        for (a, b) in bytes[..n - 1].chunks_exact(32).zip(bytes[1..].chunks_exact(32)) {
            if let (Ok(a), Ok(b)) = (a.try_into(), b.try_into()) {
                window(&mut least, &mut union, a, b);
            }
        }
        // The last bytes, as the window ending at the last one: bytes looked at twice change
        // nothing. The last byte is looked at as the one after another, not on its own.
        if let (Ok(a), Ok(b)) = (bytes[n - 33..n - 1].try_into(), bytes[n - 32..].try_into()) {
            window(&mut least, &mut union, a, b);
        }
        union[0] |= bytes[n - 1];
        least[0] = least[0].min(bytes[n - 1].saturating_sub(0x1F));
    } else {
        // A short text, padded with letters, which change nothing.
        let mut tail = [b'a'; 33];
        tail[..n].copy_from_slice(bytes);
        if let (Ok(a), Ok(b)) = (tail[..32].try_into(), tail[1..].try_into()) {
            window(&mut least, &mut union, a, b);
        }
    }
    (has_zero_byte(&least), union.iter().fold(0, |m, &v| m | v) >= 0x80)
}

/// Whether any of `bytes` is zero: four words at a time, by the carry trick (a zero byte is
/// the only one whose subtraction of 1 borrows into its top bit while its own top bit is clear).
fn has_zero_byte(bytes: &[u8; 32]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const TOPS: u64 = u64::from_ne_bytes([0x80; 8]);
    bytes.chunks_exact(8).filter_map(|word| word.try_into().ok()).any(|word: [u8; 8]| {
        let word = u64::from_le_bytes(word);
        word.wrapping_sub(ONES) & !word & TOPS != 0
    })
}

/// One window of [`control_double_space_high`]: bytes `a`, each followed by `b`'s.
#[inline(always)]
fn window(least: &mut [u8; 32], union: &mut [u8; 32], a: &[u8; 32], b: &[u8; 32]) {
    for k in 0..32 {
        let verdict = a[k].saturating_sub(0x1F).min(a[k].max(b[k]).saturating_sub(0x20));
        least[k] = least[k].min(verdict);
        union[k] |= a[k];
    }
}

/// Whether `bytes` has whitespace beyond ASCII: found from its lead bytes (see
/// [`whitespace_len`]) by vector searches.
fn has_wide_space(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .any(|i| whitespace_len(bytes, i) > 0)
}

/// Whether any byte of `bytes` is below 0x20 (a control character), the plain way.
#[cfg(test)]
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b < 0x20)
}

/// Append `word` to collapsed text, after a space unless it is the first.
fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// Collapse `text` where it is, as [`collapse`] would: every run of whitespace becomes one
/// space, none at either end. A section's text, gathered as it came, is collapsed so when it
/// is not already; doing it in place keeps a large section from being copied at the moment a
/// huge page's memory is at its highest.
pub(crate) fn collapse_in_place(text: &mut String) {
    let mut bytes = std::mem::take(text).into_bytes();
    // Bytes are moved towards the start: `write` never passes `read`.
    let (mut write, mut read) = (0, 0);
    let mut space = false;
    while read < bytes.len() {
        let len = if SPACE_START[usize::from(bytes[read])] { whitespace_len(&bytes, read) } else { 0 };
        if len > 0 {
            space = write > 0;
            read += len;
            continue;
        }
        if space {
            bytes[write] = b' ';
            write += 1;
            space = false;
        }
        bytes[write] = bytes[read];
        write += 1;
        read += 1;
    }
    bytes.truncate(write);
    // Whole characters were taken out and ASCII spaces put in: still UTF-8.
    *text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_joins_the_words_split_whitespace_finds() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\tthree\n\nfour  ",
            "a\u{0B}b\u{0C}c\rd",
            "全角\u{3000}空格\u{00A0}nbsp\u{2028}line\u{85}next",
            "请带上户口簿。 Bring\u{200B}it",
            "\u{3000}lead and trail\u{2003}",
            "é\u{1680}ü",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(text), expected, "{text:?}");
        }
    }

    #[test]
    fn text_collapsed_as_it_is_gathered_equals_the_whole_collapsed() {
        // Pieces drawn from characters at every kind of boundary (a fixed pseudo-random walk).
        let alphabet: Vec<char> =
            "ab  \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{200B}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{3001}—’é身"
                .chars()
                .collect();
        let mut next = crate::text::test_walk(2024);
        for round in 0..2000 {
            let mut whole = String::new();
            let mut gathered = String::new();
            for _ in 0..round % 7 {
                let piece: String = (0..next(9)).map(|_| alphabet[next(alphabet.len())]).collect();
                whole.push_str(&piece);
                push_collapsed(&mut gathered, &piece);
            }
            if gathered.ends_with(' ') {
                gathered.pop();
            }
            assert_eq!(gathered, collapse(&whole), "{whole:?}");
        }
        for ch in [
            '\u{0}', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2028}', '\u{3000}', '\u{3001}', 'é',
            '身',
        ] {
            let text = ch.to_string();
            let want = usize::from(ch.is_whitespace()) * ch.len_utf8();
            assert_eq!(whitespace_len(text.as_bytes(), 0), want, "{ch:?}");
        }
        assert_eq!(whitespace_len("\u{2028}".as_bytes(), 1), 0, "not at a character's start");
        // Pieces at every length around the eight bytes looked at at once.
        for round in 0..8000 {
            let piece: String = (0..round % 80).map(|_| alphabet[next(alphabet.len())]).collect();
            let reference = !has_control(piece.as_bytes())
                && !piece.contains("  ")
                && !piece.chars().any(|c| c.is_whitespace() && c != ' ');
            assert_eq!(is_collapsed_piece(piece.as_bytes()), reference, "{piece:?}");
        }
        // Long pieces with few spaces, across the 32 bytes looked at at once.
        let letters: Vec<char> = "ab é身—’\u{3001}\u{200B}cd".chars().collect();
        for round in 0..4000 {
            let mut piece: String = (0..round % 100).map(|_| letters[next(letters.len())]).collect();
            if round % 3 == 0 {
                let odd = alphabet[next(alphabet.len())];
                let at =
                    piece.char_indices().nth(next(piece.chars().count() + 1)).map_or(piece.len(), |(i, _)| i);
                piece.insert(at, odd);
            }
            let reference = !has_control(piece.as_bytes())
                && !piece.contains("  ")
                && !piece.chars().any(|c| c.is_whitespace() && c != ' ');
            assert_eq!(is_collapsed_piece(piece.as_bytes()), reference, "{piece:?}");
        }
        assert!(is_collapsed_piece(b" one two three four five "));
        assert!(!is_collapsed_piece(b"one two three  four"), "two spaces across eight bytes");
        assert!(!is_collapsed_piece(b"one two\tthree four"));
    }

    #[test]
    fn ascii_collapse_joins_the_words_split_ascii_whitespace_finds() {
        let alphabet: Vec<char> = "ab  \t\n\r\u{0B}\u{0C}\u{A0}\u{3000}é身".chars().collect();
        let mut next = crate::text::test_walk(5);
        for round in 0..3000 {
            let text: String = (0..round % 60).map(|_| alphabet[next(alphabet.len())]).collect();
            let expected = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ascii(&text), expected, "{text:?}");
        }
        assert_eq!(
            collapse_ascii(" Go to\nthe  office\twith\u{3000}both. "),
            "Go to the office with\u{3000}both."
        );
        for text in ["one two", "one\u{0C}two", "one\rtwo", "trail ", "\tlead", "a  b", "", " ", "身 份"] {
            let expected = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_ascii(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_loop_for_avx2_and_the_portable_one_agree() {
        // On a processor with AVX2 the checks above ran its build of the loop; others run the
        // portable one, which must say the same of every text.
        let odd: Vec<char> = "ab  \t\n\u{1}\u{A0}\u{3000}\u{3001}é身".chars().collect();
        let clean: Vec<char> = "ab é身\u{3001}—".chars().collect();
        let mut next = crate::text::test_walk(11);
        for round in 0..4000 {
            let alphabet = if round % 2 == 0 { &odd } else { &clean };
            let piece: String = (0..round % 150).map(|_| alphabet[next(alphabet.len())]).collect();
            let bytes = piece.as_bytes();
            assert_eq!(control_double_space_high(bytes), windows(bytes), "{piece:?}");
        }
    }

    #[test]
    fn collapsing_in_place_gives_what_collapsing_gives() {
        let alphabet: Vec<char> =
            "ab  \t\n\r\u{0B}\u{0C}\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{2028}\u{3000}\u{3001}—’é身"
                .chars()
                .collect();
        let mut next = crate::text::test_walk(7);
        for round in 0..3000 {
            let text: String = (0..round % 90).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut in_place = text.clone();
            collapse_in_place(&mut in_place);
            assert_eq!(in_place, collapse(&text), "{text:?}");
        }
    }

    #[test]
    fn long_texts_are_looked_at_to_their_last_byte() {
        // Every length across several windows, with one wrong thing at every place, the last
        // bytes (looked at twice) and the last byte (looked at alone) included.
        for len in 1..140 {
            let clean: String = (0..len).map(|i| if i % 5 == 4 { ' ' } else { 'x' }).collect();
            assert!(is_collapsed_piece(clean.as_bytes()), "{len}");
            for at in 0..len {
                for odd in ["\t", "\n", "\u{1}", "\u{3000}", "\u{A0}"] {
                    let mut text = clean.clone();
                    text.replace_range(at..=at, odd);
                    assert!(!is_collapsed_piece(text.as_bytes()), "{text:?}");
                }
                if at + 1 < len {
                    let mut text = clean.clone();
                    text.replace_range(at..at + 2, "  ");
                    assert!(!is_collapsed_piece(text.as_bytes()), "{text:?}");
                }
                let mut text = clean.clone();
                text.replace_range(at..=at, "\u{3001}");
                assert!(is_collapsed_piece(text.as_bytes()), "{text:?}");
            }
        }
    }
}

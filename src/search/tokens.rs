//! Tokens: how text is folded and cut into the terms the index holds and queries look up.
//! `themes/default/static/search.js` does exactly the same (the node test `tests/search_js.rs`
//! compares them); see the module docs of [`crate::search`] for the rules.

use unicode_normalization::UnicodeNormalization;

use super::keys::{KEY_BYTES, Key, Term};

mod block;

/// Longer words are not indexed (URLs, hashes).
const MAX_WORD_CHARS: usize = 30;

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

/// English words too common to be worth indexing (dropped from queries as well; `search.js`
/// has the same list). None is longer than four letters.
const STOP_WORDS: [&str; 26] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "was", "will", "with", "you", "your",
];

/// A word of at most four bytes as the low 32 bits of its [`Key`].
const fn short_key(word: &str) -> u32 {
    let bytes = word.as_bytes();
    let mut k = 0;
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        k = k << 8 | bytes[i] as u32;
    }
    k
}

/// The stop words' keys placed by a perfect hash of their low 32 bits: the multiplier that gives
/// each its own slot of 64 (found when compiling), and the slots, holding whole keys of eight
/// bytes, so that a longer word's key is told from a stop word's by the one comparison.
const STOP_TABLE: (u32, [u64; 64]) = {
    let mut mult: u32 = 0x9e37_79b1;
    loop {
        let mut slots = [0u64; 64];
        let mut ok = true;
        let mut i = 0;
        while i < STOP_WORDS.len() {
            let k = short_key(STOP_WORDS[i]);
            let slot = (k.wrapping_mul(mult) >> 26) as usize;
            if slots[slot] != 0 {
                ok = false;
                break;
            }
            slots[slot] = k as u64;
            i += 1;
        }
        if ok {
            break (mult, slots);
        }
        mult = mult.wrapping_add(2);
    }
};

/// Whether the term with key `key` is a stop word: every word of every page is looked up, so
/// this is a multiplication and one comparison.
#[inline]
fn is_stop_key(key: Key) -> bool {
    u64::try_from(key).is_ok_and(is_stop_word_key)
}

/// [`is_stop_key`] for a key of at most eight bytes: one comparison, and so one branch, for
/// every word, whatever its length (a test of the length first would be a second branch, and
/// one a processor cannot foretell, words of up to four bytes and longer ones being mixed).
#[inline(always)]
fn is_stop_word_key(key: u64) -> bool {
    STOP_TABLE.1[((key as u32).wrapping_mul(STOP_TABLE.0) >> 26) as usize] == key
}

/// Whether `word` is a stop word.
fn is_stop_word(word: &str) -> bool {
    word.len() <= 4 && STOP_WORDS.contains(&word)
}

/// The key of the ASCII word of `n` (1 to [`KEY_BYTES`]) bytes at `start`: its bytes read at
/// once where the text goes on long enough, the bytes after it masked off.
#[inline]
fn ascii_key(bytes: &[u8], start: usize, n: usize) -> Key {
    let mut buf = [0u8; KEY_BYTES];
    match bytes.get(start..start + KEY_BYTES) {
        Some(all) => buf.copy_from_slice(all),
        None => buf[..n].copy_from_slice(&bytes[start..start + n]),
    }
    Key::from_le_bytes(buf) & KEY_MASKS[n.min(KEY_BYTES)]
}

/// Per length `n`, the mask that keeps the first `n` bytes of a key.
const KEY_MASKS: [Key; KEY_BYTES + 1] = {
    let mut masks = [0; KEY_BYTES + 1];
    let mut n = 1;
    while n <= KEY_BYTES {
        masks[n] = masks[n - 1] << 8 | 0xFF;
        n += 1;
    }
    masks
};

/// The key of an ASCII letters-and-digits word lowercased: a byte of such a word is an
/// uppercase letter exactly when bit 6 is set and bit 5 is not, and setting bit 5 lowercases it.
#[inline]
fn lowercase_key(k: Key) -> Key {
    const BIT6: Key = Key::from_le_bytes([0x40; KEY_BYTES]);
    k | ((k & BIT6) >> 1) & !k
}

/// What takes the terms of a text from [`terms_into`]: indexing counts them in place (its
/// `term` inlined where each kind of term is found), tests gather them with a closure.
pub(crate) trait TermSink {
    /// Take the next term.
    fn term(&mut self, term: Term<'_>);
}

impl<F: FnMut(Term<'_>)> TermSink for F {
    #[inline(always)]
    fn term(&mut self, term: Term<'_>) {
        self(term)
    }
}

/// Hand `f` each term of `text`: the texts of [`analyze`]'s tokens that [`is_term`]
/// keeps, in order. Indexing reads every word of every page through this, so it folds and
/// segments in one pass and reuses its buffers instead of making a token per word. ASCII text
/// is read a block at a time ([`block::block_words`]); where a block holds a byte beyond
/// ASCII, the rest of it is read a character at a time ([`step`]).
pub(crate) fn terms_into(text: &str, f: &mut impl TermSink) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { block::avx2::terms_into(text, f) };
    }
    terms_with(text, f, block::masks);
}

/// [`terms_into`] with `masks` telling a block's letters and digits and its bytes beyond ASCII
/// (see [`block::masks`]): inlined into each caller, so that a processor with wider vectors
/// has a copy of the whole loop of its own, compiled for them.
#[inline(always)]
fn terms_with(text: &str, f: &mut impl TermSink, masks: impl Fn(&[u8; block::BLOCK]) -> (u64, u64)) {
    let mut seg = Segmenter::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Before this, text is read a character at a time.
    let mut slow_until = 0;
    while i < bytes.len() {
        if i >= slow_until && seg.word_chars == 0 {
            let start = i;
            let (read, ascii) = block::block_words(text, i, &mut seg, f, &masks);
            i += read;
            if ascii && read != 0 {
                continue;
            }
            // A byte beyond ASCII, or a word longer than a block: the rest of the block (or
            // that word) a character at a time.
            slow_until = if ascii { i + 1 } else { start + block::BLOCK };
        }
        i = step(text, i, &mut seg, f);
    }
    seg.end(f);
}

/// Take the character or ASCII word at `text[i..]` (or a run of plain Han characters);
/// returns where the next one starts.
#[inline(always)]
fn step(text: &str, i: usize, seg: &mut Segmenter, f: &mut impl TermSink) -> usize {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(i) else {
        return bytes.len();
    };
    if b >= 0x80 {
        match plain_han_at(bytes, i) {
            Some(k) => seg.han_run(bytes, i, k, f),
            None => seg.other_char(text, i, f),
        }
    } else if ASCII_CLASS[usize::from(b)] == 0 {
        // Neither a letter nor a digit: ends what was being read.
        seg.end(f);
        i + 1
    } else if seg.word_chars != 0 {
        // Continuing a word begun beyond ASCII.
        seg.push(char::from(b.to_ascii_lowercase()), f);
        i + 1
    } else {
        seg.end_cjk(f);
        ascii_word(text, i, seg, f)
    }
}

/// Where the character at `bytes[i]` is a Han one of the unified blocks (see
/// [`is_plain_han`]), its key: its three UTF-8 bytes. `i` is at a character's start, so the
/// block is told from the first two bytes alone: U+5000–U+9FFF lead with E5 to E9, U+4000–U+4FFF
/// with E4 (whose second byte B7 is U+4DC0–U+4DFF, not Han), U+3400–U+3FFF with E3 and a second
/// byte from 90. The bytes are read at once where a fourth follows.
#[inline(always)]
fn plain_han_at(bytes: &[u8], i: usize) -> Option<u32> {
    let k = match bytes.get(i..i + 4).and_then(|four| four.first_chunk::<4>()) {
        Some(&four) => u32::from_le_bytes(four) & 0x00FF_FFFF,
        None => {
            let &[b0, b1, b2] = bytes.get(i..i + 3)? else {
                return None;
            };
            u32::from_le_bytes([b0, b1, b2, 0])
        }
    };
    let [b0, b1, ..] = k.to_le_bytes();
    let han = match b0 {
        0xE5..=0xE9 => true,
        0xE4 => b1 != 0xB7,
        0xE3 => b1 >= 0x90,
        _ => false,
    };
    han.then_some(k)
}

/// Where the run of ASCII letters and digits from `i` ends, found eight bytes at a time.
#[inline]
fn ascii_word_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let others = ascii_others(u64::from_le_bytes(word));
        if others != 0 {
            return i + others.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| ASCII_CLASS[usize::from(b)] != 0) {
        i += 1;
    }
    i
}

/// A byte of 1 in every place.
const ONES: u64 = u64::from_le_bytes([1; 8]);
/// The high bit of every byte.
const HIGHS: u64 = ONES << 7;

/// The high bit set in each byte of `x` that is an ASCII letter or digit. Each range test
/// adds to the low seven bits (so no byte carries into the next): `b + (0x80 - lo)` has its
/// high bit set when `b >= lo`, and `b + (0x7F - hi)` when `b > hi`. Letters are tested with
/// bit 5 set, which makes uppercase lowercase.
#[cfg(test)]
fn ascii_alnum(x: u64) -> u64 {
    !ascii_others(x) & HIGHS
}

/// The high bit set in each byte of `x` that is not an ASCII letter or digit (see
/// [`ascii_alnum`]).
#[inline(always)]
fn ascii_others(x: u64) -> u64 {
    let low = x & !HIGHS;
    let folded = low | (ONES * 0x20);
    let letter = (folded + ONES * (0x80 - 0x61)) & !(folded + ONES * (0x7F - 0x7A));
    let digit = (low + ONES * (0x80 - 0x30)) & !(low + ONES * (0x7F - 0x39));
    (!(letter | digit) | x) & HIGHS
}

/// The ASCII word at `start`, read a character at a time: handed on unless too long or a
/// stop word, or, when a character beyond ASCII follows (which may continue it), given to
/// `seg` letter by letter. Returns where the word ends.
#[inline(never)]
fn ascii_word(text: &str, start: usize, seg: &mut Segmenter, f: &mut impl TermSink) -> usize {
    let bytes = text.as_bytes();
    let end = ascii_word_end(bytes, start);
    if bytes.get(end).is_some_and(|&next| next >= 0x80) {
        for &c in &bytes[start..end] {
            seg.push(char::from(c.to_ascii_lowercase()), f);
        }
        return end;
    }
    let n = end - start;
    if n <= KEY_BYTES {
        let k = lowercase_key(ascii_key(bytes, start, n));
        if !is_stop_key(k) {
            f.term(Term::Short(k));
        }
    } else {
        long_ascii_word(text, start, end, &mut seg.word, f);
    }
    end
}

/// Hand on the ASCII word `text[start..end]`, longer than a key, lowercased (in `buf` if need
/// be), unless too long.
#[inline(never)]
fn long_ascii_word(text: &str, start: usize, end: usize, buf: &mut String, f: &mut impl TermSink) {
    let word = &text[start..end];
    if word.len() > MAX_WORD_CHARS {
        return;
    }
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        f.term(Term::Long(buf));
        buf.clear();
    } else {
        f.term(Term::Long(word));
    }
}

/// Classes of bytes for [`terms_into`]: an ASCII lowercase letter or digit, an ASCII
/// uppercase letter, or 0 for any other byte.
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            table[b] = LOWER;
        } else if c.is_ascii_uppercase() {
            table[b] = UPPER;
        }
        b += 1;
    }
    table
};

/// Hand on a complete word of `chars` characters, unless too long or a stop word.
fn emit_word(word: &str, chars: usize, f: &mut impl TermSink) {
    if chars <= MAX_WORD_CHARS && !is_stop_word(word) {
        f.term(Term::of(word));
    }
}

/// Han characters that fold to themselves: the unified ideographs and extension A have no
/// compatibility decomposition and no case. [`plain_han_at`] tells them by their bytes.
#[cfg(test)]
fn is_plain_han(c: u32) -> bool {
    matches!(c, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Punctuation and spaces beyond ASCII that fold to characters that only separate (none a
/// letter, digit or CJK character, and not to nothing, as combining marks do), so need not
/// be folded: general punctuation, CJK punctuation (bar the iteration and numeral marks) and
/// full-width ASCII punctuation. Chinese text has one every few characters (`，。、：（）“”`).
fn is_wide_separator(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0x3030
        | 0x3036..=0x3037
        | 0x303D..=0x303F
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF64)
}

/// The state of [`terms_into`] between folded characters: the word being read, or the
/// key and length in bytes of the last character of the CJK run being read and how long the
/// run is.
#[derive(Default)]
struct Segmenter {
    word: String,
    word_chars: usize,
    last_cjk: u32,
    last_len: u32,
    cjk_run: usize,
}

/// The key of one character: its UTF-8 bytes.
#[inline]
fn char_key(c: char) -> u32 {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf);
    u32::from_le_bytes(buf)
}

impl Segmenter {
    /// Take a run of plain Han characters (see [`plain_han_at`]) from `bytes[i]`, whose first
    /// has key `k`, and give its pairs; returns where the run ends.
    #[inline(always)]
    fn han_run(&mut self, bytes: &[u8], mut i: usize, mut k: u32, f: &mut impl TermSink) -> usize {
        self.end_word(f);
        if self.cjk_run != 0 {
            self.emit_pair(k, f);
        }
        self.cjk_run += 1;
        i += 3;
        while let Some(next) = plain_han_at(bytes, i) {
            // Both take three bytes: the pair's key is their six.
            f.term(Term::Short(Key::from(u64::from(k) | u64::from(next) << 24)));
            self.cjk_run += 1;
            k = next;
            i += 3;
        }
        self.last_cjk = k;
        self.last_len = 3;
        i
    }

    /// Take the character beyond ASCII at `text[i..]`, not a plain Han one, folded; returns
    /// where the next character starts.
    #[inline(never)]
    fn other_char(&mut self, text: &str, i: usize, f: &mut impl TermSink) -> usize {
        let c = text[i..].chars().next().unwrap_or(char::REPLACEMENT_CHARACTER);
        if is_wide_separator(c) {
            self.end(f);
        } else {
            fold_char(c, &mut |x| self.push(x, f));
        }
        i + c.len_utf8()
    }

    /// The key of the pair of the run's last character and the one with key `k`: both take
    /// at most eight bytes, and the pair's key is theirs.
    #[inline]
    fn pair_key(&self, k: u32) -> Key {
        Key::from(self.last_cjk) | Key::from(k) << (8 * self.last_len)
    }

    /// The pair of the run's last character and the one with key `k`, where the run went on
    /// from another kind of CJK character (rare: kept out of the loops).
    #[inline(never)]
    fn emit_pair(&self, k: u32, f: &mut impl TermSink) {
        f.term(Term::Short(self.pair_key(k)));
    }

    /// Take the next folded character.
    fn push(&mut self, c: char, f: &mut impl TermSink) {
        if is_cjk(c) {
            self.end_word(f);
            let k = char_key(c);
            if self.cjk_run != 0 {
                f.term(Term::Short(self.pair_key(k)));
            }
            self.last_cjk = k;
            self.last_len = c.len_utf8() as u32;
            self.cjk_run += 1;
        } else if c.is_alphanumeric() {
            self.end_cjk(f);
            self.word.push(c);
            self.word_chars += 1;
        } else {
            self.end(f);
        }
    }

    /// A separator: what was being read is complete.
    #[inline(always)]
    fn end(&mut self, f: &mut impl TermSink) {
        self.end_word(f);
        self.end_cjk(f);
    }

    /// The word read so far is complete: a term unless too long or a stop word.
    #[inline(always)]
    fn end_word(&mut self, f: &mut impl TermSink) {
        if self.word_chars != 0 {
            self.emit_word(f);
        }
    }

    #[inline(never)]
    fn emit_word(&mut self, f: &mut impl TermSink) {
        emit_word(&self.word, self.word_chars, f);
        self.word.clear();
        self.word_chars = 0;
    }

    /// The CJK run read so far is complete: a run of one character is its own term (longer
    /// runs gave their pairs as they came).
    #[inline(always)]
    fn end_cjk(&mut self, f: &mut impl TermSink) {
        if self.cjk_run == 1 {
            self.emit_single(f);
        }
        self.cjk_run = 0;
    }

    /// A run of one CJK character is its own term (rare: kept out of the loops).
    #[inline(never)]
    fn emit_single(&self, f: &mut impl TermSink) {
        f.term(Term::Short(Key::from(self.last_cjk)));
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
    t.cjk || (t.text.chars().count() <= MAX_WORD_CHARS && !is_stop_word(&t.text))
}

#[cfg(test)]
mod tests;

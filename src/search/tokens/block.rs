//! The fast path of [`super::terms_into`]: ASCII text a block of 64 bytes at a time. Which
//! bytes of a block are letters or digits is worked out for all of them at once (a loop the
//! compiler vectorises) and kept as a mask of one bit per byte; each word of the block is then
//! two trailing-zero counts away, and its key is its bytes read at once, masked to its length
//! and lowercased. Most text of most sites is read here alone.

use super::{MAX_WORD_CHARS, Segmenter, TermSink, is_stop_word_key, long_ascii_word};
use crate::search::keys::{KEY_BYTES, Key, Term};

/// Bytes of a block.
pub(super) const BLOCK: usize = 64;
/// Bytes read from a block's start: its own, and a key's worth after its last word's start.
const WINDOW: usize = BLOCK + KEY_BYTES;
/// Per length modulo 8, the mask that keeps the first bytes of a word's last eight (all
/// eight for 0).
const BYTE_MASKS: [u64; 8] = {
    let mut masks = [u64::MAX; 8];
    let mut n = 1;
    while n < 8 {
        masks[n] = (1 << (8 * n)) - 1;
        n += 1;
    }
    masks
};
/// Bit 5 of every byte.
const BIT5: u64 = u64::from_le_bytes([0x20; 8]);

/// Take the ASCII words that end within the block at `text[i..]`: the words before its first
/// byte beyond ASCII, if any, bar one the block's end cuts. Returns how many bytes were read (up
/// to the cut word's start, or that byte), and whether all of the block is ASCII. Whatever was
/// read before must be complete but for a CJK run, which an ASCII byte ends.
#[inline(always)]
pub(super) fn block_words(
    text: &str,
    i: usize,
    seg: &mut Segmenter,
    f: &mut impl TermSink,
    masks: impl Fn(&[u8; BLOCK]) -> (u64, u64),
) -> (usize, bool) {
    let bytes = text.as_bytes();
    if bytes.get(i).is_some_and(|&b| b < 0x80) {
        seg.end_cjk(f);
    }
    let padded;
    let window: &[u8; WINDOW] = match bytes.get(i..i + WINDOW).and_then(|w| w.try_into().ok()) {
        Some(window) => window,
        None => {
            // Near the end of the text: spaces after it end its last word as its end does.
            padded = pad(bytes.get(i..).unwrap_or_default());
            &padded
        }
    };
    let Some(block) = window.first_chunk::<BLOCK>() else {
        return (0, true);
    };
    let (alnum, beyond) = masks(block);
    // The bytes before the first beyond ASCII (all when none is), and the separators among
    // them: a word that none of those ends is cut, by the block's end or by a character that
    // may go on with it.
    let ascii = (beyond & beyond.wrapping_neg()).wrapping_sub(1);
    // A word starts at a letter or digit after none (the block starts between words), and
    // ends at the separator after its last; the k-th end is the k-th start's, so there are
    // starts left while there are ends, and a start left after the last end is a cut word's.
    let mut starts = alnum & !(alnum << 1) & ascii;
    let mut ends = !alnum & (alnum << 1) & ascii;
    while ends != 0 {
        let start = starts.trailing_zeros() & (BLOCK as u32 - 1);
        let end = ends.trailing_zeros();
        word(text, i, window, start as usize, end as usize, seg, f);
        starts &= starts.wrapping_sub(1);
        ends &= ends - 1;
    }
    if starts != 0 {
        return (starts.trailing_zeros() as usize, beyond == 0);
    }
    (if beyond == 0 { BLOCK } else { beyond.trailing_zeros() as usize }, beyond == 0)
}

/// The last bytes of a text, fewer than a window's, followed by spaces: inlined, so that the
/// window is written where the caller keeps it rather than made and then copied there (most
/// texts are short, titles, tags and headings, and this is all of them).
#[inline(always)]
fn pad(rest: &[u8]) -> [u8; WINDOW] {
    let mut window = [b' '; WINDOW];
    let n = rest.len().min(WINDOW);
    window[..n].copy_from_slice(&rest[..n]);
    window
}

/// The ASCII word `window[start..end]` (`text[i + start..i + end]`), an ASCII separator after
/// it: handed on unless a stop word or too long.
#[inline(always)]
fn word(
    text: &str,
    i: usize,
    window: &[u8; WINDOW],
    start: usize,
    end: usize,
    seg: &mut Segmenter,
    f: &mut impl TermSink,
) {
    let n = end - start;
    let Some((first, second)) = window.get(start..start + KEY_BYTES).and_then(|k| k.split_first_chunk::<8>())
    else {
        return;
    };
    // Every byte of the word is a letter or a digit, and setting bit 5 of such a byte
    // lowercases it (a digit has it set already).
    let first = u64::from_le_bytes(*first) | BIT5;
    if n <= 8 {
        let k = first & BYTE_MASKS[n & 7];
        if !is_stop_word_key(k) {
            f.term(Term::Short(Key::from(k)));
        }
    } else if n <= KEY_BYTES {
        // No stop word is that long.
        let second = second.first_chunk::<8>().map_or(0, |s| u64::from_le_bytes(*s));
        let second = (second | BIT5) & BYTE_MASKS[n & 7];
        f.term(Term::Short(Key::from(first) | Key::from(second) << 64));
    } else if n <= MAX_WORD_CHARS {
        long_ascii_word(text, i + start, i + end, &mut seg.word, f);
    }
}

/// Bit `k` set where `block[k]` is an ASCII letter or digit, and bit `k` set where it is
/// beyond ASCII.
#[inline(always)]
pub(super) fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::masks(block)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        (alnum_mask(block), beyond_ascii_mask(block))
    }
}

/// [`masks`] sixteen bytes at a time with SSE2 instructions, which every x86-64 processor
/// has: a range test of all sixteen is an add and a signed compare, and one instruction
/// gathers their high bits. (The portable loops below take twice the instructions: the
/// compiler vectorises their tests, but not the gathering of bits.)
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    use super::BLOCK;

    /// See [`super::masks`].
    #[inline(always)]
    pub(super) fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
        let (mut alnum, mut beyond) = (0, 0);
        for (k, chunk) in block.as_chunks::<16>().0.iter().enumerate() {
            // SAFETY: SSE2 is part of the x86_64 target, so every processor this is compiled
            // for has these instructions; the load reads the sixteen bytes of `chunk`, and
            // needs no alignment.
            let (a, b) = unsafe {
                let x = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
                // `v` is in `lo..lo + n` when `v + (0x80 - lo)`, wrapping, is below `n - 0x80`
                // as a signed byte. Setting bit 5 lowercases a letter and makes no other byte
                // one.
                let lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
                let letter = _mm_cmplt_epi8(
                    _mm_add_epi8(lower, _mm_set1_epi8((0x80_i32 - 0x61) as i8)),
                    _mm_set1_epi8((26_i32 - 0x80) as i8),
                );
                let digit = _mm_cmplt_epi8(
                    _mm_add_epi8(x, _mm_set1_epi8((0x80_i32 - 0x30) as i8)),
                    _mm_set1_epi8((10_i32 - 0x80) as i8),
                );
                (_mm_movemask_epi8(_mm_or_si128(letter, digit)), _mm_movemask_epi8(x))
            };
            alnum |= u64::from(a as u16) << (16 * k);
            beyond |= u64::from(b as u16) << (16 * k);
        }
        (alnum, beyond)
    }
}

/// [`super::terms_into`] where the processor has AVX2 instructions (most do): a block's masks
/// are found thirty-two bytes at a time, in a third of the instructions of [`sse2`].
#[cfg(target_arch = "x86_64")]
pub(super) mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
        _mm256_or_si256, _mm256_set1_epi8,
    };

    use super::{BLOCK, TermSink};

    /// [`super::super::terms_into`] on a processor with AVX2.
    #[target_feature(enable = "avx2")]
    pub(in crate::search::tokens) fn terms_into(text: &str, f: &mut impl TermSink) {
        // A closure, since a function with target features is no `Fn`; inlined, as the
        // baseline's `masks` is.
        super::super::terms_with(
            text,
            f,
            #[inline(always)]
            // SAFETY: this runs only where the processor has AVX2 (see `terms_into`).
            |block| unsafe { masks(block) },
        );
    }

    /// See [`super::masks`]. Not a function with the target feature itself, which could not
    /// be inlined into the loop that calls it for each block: it takes the feature from
    /// [`terms_into`], where it is inlined.
    ///
    /// # Safety
    ///
    /// The processor must have AVX2.
    #[inline(always)]
    pub(super) unsafe fn masks(block: &[u8; BLOCK]) -> (u64, u64) {
        let (mut alnum, mut beyond) = (0, 0);
        for (k, chunk) in block.as_chunks::<32>().0.iter().enumerate() {
            // SAFETY: the processor has AVX2, as the caller ensures; the load reads the
            // thirty-two bytes of `chunk`, and needs no alignment.
            let (a, b) = unsafe {
                let x = _mm256_loadu_si256(chunk.as_ptr().cast::<__m256i>());
                // As in `sse2`: `v` is in `lo..lo + n` when `v + (0x80 - lo)`, wrapping, is
                // below `n - 0x80` as a signed byte; setting bit 5 lowercases a letter and
                // makes no other byte one.
                let lower = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
                let letter = _mm256_cmpgt_epi8(
                    _mm256_set1_epi8((26_i32 - 0x80) as i8),
                    _mm256_add_epi8(lower, _mm256_set1_epi8((0x80_i32 - 0x61) as i8)),
                );
                let digit = _mm256_cmpgt_epi8(
                    _mm256_set1_epi8((10_i32 - 0x80) as i8),
                    _mm256_add_epi8(x, _mm256_set1_epi8((0x80_i32 - 0x30) as i8)),
                );
                (_mm256_movemask_epi8(_mm256_or_si256(letter, digit)), _mm256_movemask_epi8(x))
            };
            alnum |= u64::from(a as u32) << (32 * k);
            beyond |= u64::from(b as u32) << (32 * k);
        }
        (alnum, beyond)
    }
}

/// Bit `k` set where `block[k]` is an ASCII letter or digit.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn alnum_mask(block: &[u8; BLOCK]) -> u64 {
    let mut marks = [0u8; BLOCK];
    for (mark, &b) in marks.iter_mut().zip(block) {
        // Setting bit 5 lowercases a letter, and leaves no other byte a letter.
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        *mark = u8::from(letter | digit) << 7;
    }
    gather(&marks)
}

/// Bit `k` set where `block[k]` is beyond ASCII.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn beyond_ascii_mask(block: &[u8; BLOCK]) -> u64 {
    let mut highs = [0u8; BLOCK];
    for (high, &b) in highs.iter_mut().zip(block) {
        *high = b & 0x80;
    }
    gather(&highs)
}

/// Multiplying a `u64` whose bytes are 0 or 0x80 by this gathers their high bits, in order,
/// into its top byte.
#[cfg(any(test, not(target_arch = "x86_64")))]
const GATHER: u64 = 0x0002_0408_1020_4081;

/// Bit `k` set where `marks[k]` is 0x80 (each is that or 0).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn gather(marks: &[u8; BLOCK]) -> u64 {
    let (chunks, _) = marks.as_chunks::<8>();
    let mut mask = 0;
    for (k, chunk) in chunks.iter().enumerate() {
        mask |= (u64::from_le_bytes(*chunk).wrapping_mul(GATHER) >> 56) << (8 * k);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether this processor has AVX2 (the vector path is tested where it has).
    pub(in crate::search::tokens) fn has_avx2() -> bool {
        #[cfg(target_arch = "x86_64")]
        return std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        false
    }

    /// [`avx2::masks`], where the processor has AVX2.
    fn avx2_masks(block: &[u8; BLOCK]) -> Option<(u64, u64)> {
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the processor has AVX2, as just checked.
            return Some(unsafe { avx2::masks(block) });
        }
        let _ = block;
        None
    }

    #[test]
    fn masks_mark_letters_and_digits_and_bytes_beyond_ascii() {
        for b in 0..=255u8 {
            for at in [0, 1, 7, 8, 15, 16, 31, 63] {
                let mut block = [b'.'; BLOCK];
                block[at] = b;
                let alnum = if b.is_ascii_alphanumeric() { 1 << at } else { 0 };
                assert_eq!(alnum_mask(&block), alnum, "byte {b:#x} at {at}");
                let beyond = if b >= 0x80 { 1 << at } else { 0 };
                assert_eq!(beyond_ascii_mask(&block), beyond, "byte {b:#x} at {at}");
                assert_eq!(masks(&block), (alnum, beyond), "byte {b:#x} at {at}");
                assert_eq!(avx2_masks(&block), Some((alnum, beyond)).filter(|_| has_avx2()), "byte {b:#x}");
            }
        }
        let mut next = crate::text::test_walk(7);
        for _ in 0..1000 {
            let block: [u8; BLOCK] = std::array::from_fn(|_| next(256) as u8);
            let want: u64 = (0..BLOCK).filter(|&k| block[k].is_ascii_alphanumeric()).map(|k| 1 << k).sum();
            assert_eq!(masks(&block), (want, beyond_ascii_mask(&block)));
            assert_eq!(avx2_masks(&block), Some(masks(&block)).filter(|_| has_avx2()));
            assert_eq!(alnum_mask(&block), want);
        }
        assert_eq!(masks(&[b'Z'; BLOCK]), (u64::MAX, 0));
        assert_eq!(masks(&[0xE4; BLOCK]), (0, u64::MAX));
    }
}

//! The chunk writer's one pass over a section's text: whether it is collapsed, and its JSON
//! escapes, found together thirty-two bytes at a time. A step's bytes are tested at once for
//! anything either question needs (a mask with a bit per byte); most steps of most texts have
//! none, and only the bytes of a step that has some are looked at one by one.

/// Bytes looked at in one step (two vectors of sixteen).
const STEP: usize = 32;

/// A step's bytes and the byte after them, which tells whether a space is followed by another.
type Window = [u8; STEP + 1];

/// Append `text[..kept]` as a JSON string when `text[..checked]` (`kept <= checked`, both at
/// character boundaries) has no whitespace but single spaces: no control character, no two
/// spaces in a row, no whitespace beyond ASCII. Escaped are quotes, backslashes, `<`, `>` and
/// `&`, the only bytes of such text that [`crate::text::push_json_str`] escapes. Returns false,
/// having appended part of it, when the text is not so; the caller then takes the text the long
/// way. Texts are almost always collapsed: the Markdown stage gathers them so.
pub(super) fn push_collapsed_json(json: &mut String, text: &str, kept: usize, checked: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { avx2::push_collapsed_json(json, text, kept, checked) };
    }
    push_with(json, text, kept, checked, lanes, refine)
}

/// [`push_collapsed_json`] with `lanes` and `refine` telling a step's bytes that matter (see
/// [`lanes`] and [`refine`]).
#[inline(always)]
fn push_with(
    json: &mut String,
    text: &str,
    kept: usize,
    checked: usize,
    lanes: impl Fn(&Window) -> u32,
    refine: impl Fn(&Window, u32) -> u32,
) -> bool {
    let Some(bytes) = text.as_bytes().get(..checked) else { return false };
    if kept > checked || !text.is_char_boundary(kept) {
        return false;
    }
    json.reserve(kept + 2);
    json.push('"');
    let mut out = Escaper { json, text, kept, copied: 0 };
    // Whether the step at `at` leaves the text collapsed, its escapes written.
    let mut visit = |window: &Window, at: usize| {
        let mut marked = lanes(window);
        if marked != 0 {
            marked = refine(window, marked);
        }
        marked == 0 || out.step(window, marked, at)
    };
    // Whole windows while a byte follows the step; then the last bytes (one at least).
    let steps = bytes.len().saturating_sub(1) / STEP;
    for at in (0..steps).map(|k| k * STEP) {
        let Some(window) = bytes.get(at..at + STEP + 1).and_then(|w| w.first_chunk::<{ STEP + 1 }>()) else {
            break;
        };
        if !visit(window, at) {
            return false;
        }
    }
    let at = steps * STEP;
    if at < bytes.len() && !visit(last_window(bytes, at, &mut [b'a'; 2 * STEP + 1]), at) {
        return false;
    }
    let Escaper { json, copied, .. } = out;
    json.push_str(&text[copied..kept]);
    json.push('"');
    true
}

/// The window of the last bytes, from `at` on (at most a step's), padded with letters, which
/// are never marked. Where the text has a step's bytes, its last step is copied whole and the
/// window starts within it: a copy of a known size is a move or two, where one of any size
/// was a call to `memcpy` for every text.
#[inline(always)]
fn last_window<'p>(bytes: &[u8], at: usize, padded: &'p mut [u8; 2 * STEP + 1]) -> &'p Window {
    let rest = bytes.len() - at;
    let from = match bytes.last_chunk::<STEP>() {
        Some(last) => {
            padded[..STEP].copy_from_slice(last);
            STEP - rest
        }
        None => {
            padded[..rest].copy_from_slice(&bytes[at..]);
            0
        }
    };
    padded[from..].first_chunk::<{ STEP + 1 }>().unwrap_or(&[b'a'; STEP + 1])
}

/// Where the text goes, and how much of it is written.
struct Escaper<'a> {
    json: &'a mut String,
    text: &'a str,
    /// The end of what is written (what lies after it is checked only).
    kept: usize,
    /// The end of the text copied so far.
    copied: usize,
}

impl Escaper<'_> {
    /// Look at the marked bytes of the step at `at` (as [`refine`] leaves them), one by one: false when one makes the text
    /// not collapsed, and the escapes of those within `kept` written.
    fn step(&mut self, window: &Window, mut lanes: u32, at: usize) -> bool {
        while lanes != 0 {
            let k = lanes.trailing_zeros() as usize;
            lanes &= lanes - 1;
            let escape = match window[k] {
                // A control character, or a space before a space or a control character.
                ..=b' ' => return false,
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'<' => "\\u003c",
                b'>' => "\\u003e",
                b'&' => "\\u0026",
                // The lead byte of a character that may be whitespace (see `refine`).
                _ => match self.text.get(at + k..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() => return false,
                    _ => continue,
                },
            };
            let i = at + k;
            if i < self.kept {
                self.json.push_str(&self.text[self.copied..i]);
                self.json.push_str(escape);
                self.copied = i + 1;
            }
        }
        true
    }
}

/// Bit `k` set where `window[k]` may matter: a byte below `0x20` or beyond ASCII, a space
/// before a byte up to `0x20`, or a byte JSON or a script escapes (`"`, `\`, `<`, `>`, `&`).
#[inline(always)]
fn lanes(window: &Window) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::lanes(window)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::lanes(window)
    }
}

/// `lanes` less the bytes beyond ASCII that cannot start whitespace: those kept are the lead
/// bytes `C2`, `E1`, `E2` and `E3`, which start every whitespace character beyond ASCII
/// (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
#[inline]
fn refine(window: &Window, lanes: u32) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::refine(window, lanes)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::refine(window, lanes)
    }
}

/// [`lanes`] and [`refine`] sixteen bytes at a time with SSE2 instructions, which every
/// x86-64 processor has. A byte below `0x20` or beyond ASCII is one signed compare; `<` and
/// `>` (`3C`, `3E`) are the bytes that give `3E` with bit 1 set, `"` and `&` (`22`, `26`) those
/// that give `26` with bit 2 set; a space before a byte up to `0x20` is where the greater of
/// the two is `0x20`.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    use super::Window;

    /// See [`super::lanes`].
    #[inline(always)]
    pub(super) fn lanes(window: &Window) -> u32 {
        half(window, 0) | half(window, 16) << 16
    }

    /// The lanes of the sixteen bytes at `window[at..]`.
    #[inline(always)]
    fn half(window: &Window, at: usize) -> u32 {
        // SAFETY: SSE2 is part of the x86_64 target, so every processor this is compiled for
        // has these instructions; the loads read `window[at..at + 17]`, within the window
        // (`at` is 0 or 16), and need no alignment.
        let mask = unsafe {
            let a = _mm_loadu_si128(window.as_ptr().add(at).cast::<__m128i>());
            let b = _mm_loadu_si128(window.as_ptr().add(at + 1).cast::<__m128i>());
            let low_or_high = _mm_cmplt_epi8(a, _mm_set1_epi8(0x20));
            let spaces = _mm_cmpeq_epi8(_mm_max_epu8(a, b), _mm_set1_epi8(0x20));
            let angles = _mm_cmpeq_epi8(_mm_or_si128(a, _mm_set1_epi8(2)), _mm_set1_epi8(0x3E));
            let quotes = _mm_cmpeq_epi8(_mm_or_si128(a, _mm_set1_epi8(4)), _mm_set1_epi8(0x26));
            let backslash = _mm_cmpeq_epi8(a, _mm_set1_epi8(0x5C));
            let escapes = _mm_or_si128(_mm_or_si128(angles, quotes), backslash);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(low_or_high, spaces), escapes))
        };
        mask as u32 & 0xFFFF
    }

    /// See [`super::refine`].
    #[inline(always)]
    pub(super) fn refine(window: &Window, lanes: u32) -> u32 {
        let (high, leads) = high_and_leads(window, 0);
        let (high2, leads2) = high_and_leads(window, 16);
        lanes & (!(high | high2 << 16) | leads | leads2 << 16)
    }

    /// The bytes beyond ASCII of `window[at..at + 16]`, and those of them that are `C2`, `E1`,
    /// `E2` or `E3` (`E2` and `E3` give `E3` with bit 0 set).
    #[inline(always)]
    fn high_and_leads(window: &Window, at: usize) -> (u32, u32) {
        // SAFETY: as in `half`: SSE2 is always there, and the load is within the window.
        let (high, leads) = unsafe {
            let a = _mm_loadu_si128(window.as_ptr().add(at).cast::<__m128i>());
            let c2 = _mm_cmpeq_epi8(a, _mm_set1_epi8(0xC2_u8 as i8));
            let e1 = _mm_cmpeq_epi8(a, _mm_set1_epi8(0xE1_u8 as i8));
            let e2_e3 = _mm_cmpeq_epi8(_mm_or_si128(a, _mm_set1_epi8(1)), _mm_set1_epi8(0xE3_u8 as i8));
            (_mm_movemask_epi8(a), _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(c2, e1), e2_e3)))
        };
        (high as u32 & 0xFFFF, leads as u32 & 0xFFFF)
    }
}

/// [`lanes`] thirty-two bytes at once with AVX2 instructions, where the processor has them
/// (most do): the same tests as [`sse2`], in half the instructions.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_max_epu8,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };

    use super::Window;

    /// [`super::push_collapsed_json`] on a processor with AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) fn push_collapsed_json(json: &mut String, text: &str, kept: usize, checked: usize) -> bool {
        super::push_with(
            json,
            text,
            kept,
            checked,
            |window| lanes(window),
            |window, lanes| refine(window, lanes),
        )
    }

    /// See [`super::lanes`].
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn lanes(window: &Window) -> u32 {
        // SAFETY: the loads read `window[..32]` and `window[1..33]`, within the window, and
        // need no alignment.
        let (a, b) = unsafe {
            (
                _mm256_loadu_si256(window.as_ptr().cast::<__m256i>()),
                _mm256_loadu_si256(window.as_ptr().add(1).cast::<__m256i>()),
            )
        };
        let low_or_high = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), a);
        let spaces = _mm256_cmpeq_epi8(_mm256_max_epu8(a, b), _mm256_set1_epi8(0x20));
        let angles = _mm256_cmpeq_epi8(_mm256_or_si256(a, _mm256_set1_epi8(2)), _mm256_set1_epi8(0x3E));
        let quotes = _mm256_cmpeq_epi8(_mm256_or_si256(a, _mm256_set1_epi8(4)), _mm256_set1_epi8(0x26));
        let backslash = _mm256_cmpeq_epi8(a, _mm256_set1_epi8(0x5C));
        let escapes = _mm256_or_si256(_mm256_or_si256(angles, quotes), backslash);
        _mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(low_or_high, spaces), escapes)) as u32
    }

    /// See [`super::refine`].
    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) fn refine(window: &Window, lanes: u32) -> u32 {
        // SAFETY: the load reads `window[..32]`, within the window, and needs no alignment.
        let a = unsafe { _mm256_loadu_si256(window.as_ptr().cast::<__m256i>()) };
        let c2 = _mm256_cmpeq_epi8(a, _mm256_set1_epi8(0xC2_u8 as i8));
        let e1 = _mm256_cmpeq_epi8(a, _mm256_set1_epi8(0xE1_u8 as i8));
        let e2_e3 =
            _mm256_cmpeq_epi8(_mm256_or_si256(a, _mm256_set1_epi8(1)), _mm256_set1_epi8(0xE3_u8 as i8));
        let leads = _mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(c2, e1), e2_e3)) as u32;
        lanes & (!(_mm256_movemask_epi8(a) as u32) | leads)
    }
}

/// [`lanes`] and [`refine`] a byte at a time: for other processors, and the reference the
/// vector ones are tested against.
#[cfg(any(test, not(target_arch = "x86_64")))]
mod portable {
    use super::{STEP, Window};

    /// See [`super::lanes`].
    pub(super) fn lanes(window: &Window) -> u32 {
        (0..STEP).fold(0, |lanes, k| {
            let (a, b) = (window[k], window[k + 1]);
            let marked = !(0x20..0x80).contains(&a)
                || (a == b' ' && b <= b' ')
                || matches!(a, b'"' | b'\\' | b'<' | b'>' | b'&');
            lanes | u32::from(marked) << k
        })
    }

    /// See [`super::refine`].
    pub(super) fn refine(window: &Window, lanes: u32) -> u32 {
        (0..STEP).fold(0, |refined, k| {
            let keep = window[k] < 0x80 || matches!(window[k], 0xC2 | 0xE1 | 0xE2 | 0xE3);
            refined | (lanes & u32::from(keep) << k)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_lanes_are_the_portable_ones() {
        // Windows of bytes of every class the lanes tell apart, and of their neighbours.
        let bytes = [
            0x00, 0x09, 0x1F, b' ', b'!', b'"', b'#', b'%', b'&', b'\'', b';', b'<', b'=', b'>', b'?', b'[',
            b'\\', b']', b'a', 0x7E, 0x7F, 0x80, 0x85, 0xA0, 0xBF, 0xC1, 0xC2, 0xC3, 0xE0, 0xE1, 0xE2, 0xE3,
            0xE4, 0xFF,
        ];
        let mut next = crate::text::test_walk(7);
        for round in 0..20_000 {
            let mut window = [b'a'; STEP + 1];
            // Some windows mostly of spaces and letters, so that runs of spaces are common.
            let pool = if round % 2 == 0 { &bytes[..] } else { &[b' ', b' ', b'a', 0x1F][..] };
            for b in window.iter_mut() {
                *b = pool[next(pool.len())];
            }
            let lanes = lanes(&window);
            assert_eq!(lanes, portable::lanes(&window), "{window:x?}");
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2, as just checked.
                assert_eq!(unsafe { avx2::lanes(&window) }, lanes, "{window:x?}");
                let refined = portable::refine(&window, lanes);
                assert_eq!(unsafe { avx2::refine(&window, lanes) }, refined, "{window:x?}");
            }
            assert_eq!(refine(&window, lanes), portable::refine(&window, lanes), "{window:x?}");
            assert_eq!(refine(&window, u32::MAX), portable::refine(&window, u32::MAX), "{window:x?}");
        }
    }

    #[test]
    fn every_kind_of_lanes_writes_the_same() {
        // Texts long enough for several steps and a padded end, with a byte of each kind here
        // and there; the processor's own way (AVX2 where it has it) is the one checked
        // against the reference elsewhere.
        let alphabet: Vec<char> = "abcdefgh  \"\\<>&\t\u{1}\u{a0}\u{3000}\u{2028}’、身".chars().collect();
        let mut next = crate::text::test_walk(11);
        for round in 0..2000 {
            let text: String = (0..round % 150)
                .map(|_| if next(4) == 0 { alphabet[next(alphabet.len())] } else { 'w' })
                .collect();
            let half = (0..=text.len() / 2).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            let (kept, checked) = (half, text.len());
            let mut quick = String::new();
            let quick_ok = push_collapsed_json(&mut quick, &text, kept, checked);
            type Lanes = fn(&Window) -> u32;
            type Refine = fn(&Window, u32) -> u32;
            let kinds: [(Lanes, Refine); 2] = [(lanes, refine), (portable::lanes, portable::refine)];
            for (lanes, refine) in kinds {
                let mut other = String::new();
                let other_ok = push_with(&mut other, &text, kept, checked, lanes, refine);
                assert_eq!(other_ok, quick_ok, "{text:?}");
                if quick_ok {
                    assert_eq!(other, quick, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn text_is_written_up_to_kept_and_checked_up_to_checked() {
        let text = "a<b \"c\" d".repeat(10);
        let mut json = String::new();
        assert!(push_collapsed_json(&mut json, &text, 9, text.len()));
        assert_eq!(json, "\"a\\u003cb \\\"c\\\" d\"");
        let spaced = format!("{text}  x");
        assert!(!push_collapsed_json(&mut String::new(), &spaced, 9, spaced.len()), "two spaces after");
        let mut json = String::new();
        assert!(push_collapsed_json(&mut json, &spaced, 9, text.len()), "not checked as far");
        assert!(!push_collapsed_json(&mut String::new(), "a\u{3000}b", 1, 5), "ideographic space");
        assert!(push_collapsed_json(&mut String::new(), "a\u{3001}b’", 1, 8), "no whitespace");
        assert!(!push_collapsed_json(&mut String::new(), "ab", 3, 2), "kept past checked");
        assert!(!push_collapsed_json(&mut String::new(), "ab", 1, 3), "checked past the end");
    }
}

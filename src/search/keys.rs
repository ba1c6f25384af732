//! Terms as the tokeniser hands them to indexing: a term of up to [`KEY_BYTES`] bytes is a
//! number, its [`Key`], so that counting it on a page and numbering it in an index cost an
//! integer hash and comparison, and no text is copied; a longer term is its text.

/// aHash with fixed seeds, for terms too long for a [`Key`]: the same in every run (no order
/// that reaches the output depends on it; terms are sorted before they are written).
const HASHER: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// Bytes of the longest term that has a [`Key`].
pub(crate) const KEY_BYTES: usize = 16;

/// A term of at most [`KEY_BYTES`] bytes as a number: its UTF-8 bytes, the first the least
/// significant, zero-padded (no term holds a zero byte, so the key tells its length).
pub(crate) type Key = u128;

/// One term: nearly every word and every CJK pair is [`Term::Short`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Term<'a> {
    /// A term of at most [`KEY_BYTES`] bytes, by its key (never 0).
    Short(Key),
    /// A longer term, by its text.
    Long(&'a str),
}

impl<'a> Term<'a> {
    /// The term whose text is `text` (not empty).
    pub(crate) fn of(text: &'a str) -> Term<'a> {
        if text.len() > KEY_BYTES {
            return Term::Long(text);
        }
        Term::Short(text.bytes().rev().fold(0, |k, b| k << 8 | Key::from(b)))
    }

    /// Its hash: of its key (see [`hash_key`]), or of its text.
    #[inline]
    pub(crate) fn hash(self) -> u64 {
        match self {
            Term::Short(key) => hash_key(key),
            Term::Long(text) => HASHER.hash_one(text),
        }
    }

    /// Its key: 0 for a long term.
    #[cfg(test)]
    pub(crate) fn key(self) -> Key {
        match self {
            Term::Short(key) => key,
            Term::Long(_) => 0,
        }
    }

    /// Its text; `buf` holds the bytes of a short one.
    pub(crate) fn text<'b>(self, buf: &'b mut [u8; KEY_BYTES]) -> &'b str
    where
        'a: 'b,
    {
        match self {
            Term::Long(text) => text,
            Term::Short(key) => {
                *buf = key.to_le_bytes();
                let len = KEY_BYTES - key.leading_zeros() as usize / 8;
                // A key is made from a term's bytes, so they are UTF-8 (a made-up key that is
                // not reads as empty).
                std::str::from_utf8(&buf[..len]).unwrap_or_default()
            }
        }
    }
}

/// The hash of a key: its halves folded together and multiplied by 2^64 over the golden
/// ratio (Fibonacci hashing). Its top bits are the well-mixed ones, so a table takes a slot's
/// number from them.
#[inline]
pub(crate) fn hash_key(key: Key) -> u64 {
    (key as u64 ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_bytes_and_give_the_text_back() {
        assert_eq!(Term::of("a"), Term::Short(0x61));
        assert_eq!(Term::of("ab"), Term::Short(0x6261));
        assert_ne!(Term::of("身份"), Term::of("份身"));
        let long = "x".repeat(KEY_BYTES + 1);
        assert_eq!(Term::of(&long), Term::Long(&long));
        assert_eq!(Term::of(&long).key(), 0);
        assert_eq!(Term::of(&long).hash(), HASHER.hash_one(long.as_str()));
        let mut buf = [0; KEY_BYTES];
        for text in ["a", "card", "身份", ":kfaq", "xxxxxxxxxxxxxxxx", long.as_str(), "é1"] {
            let term = Term::of(text);
            assert_eq!(term.text(&mut buf), text);
            assert_eq!(term.hash(), Term::of(text).hash());
        }
        assert_eq!(Term::Short(0xFF).text(&mut buf), "", "not UTF-8");
    }
}

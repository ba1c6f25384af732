//! The bytes of the index files: postings as base-32 variable-length numbers, the hashes that
//! place a term in its shard and name a file by its content, and the script wrapper every
//! file has (`signpostSearch("name",{…});`), so that a site opened from disk can load them.
//! `search.js` reads all of these; keep the two in step.

use serde::Serialize;

/// Digits of the postings strings: values 0–31 end a number, 32–63 continue it.
pub(crate) const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Two digits at once, `[DIGITS[n], DIGITS[v]]` at `n << 5 | v` for `n` and `v` below 32: the
/// end of a posting, its page delta's last digit and its value.
pub(crate) const DIGIT_PAIRS: [[u8; 2]; 1024] = {
    let mut pairs = [[0; 2]; 1024];
    let mut i = 0;
    while i < 1024 {
        pairs[i] = [DIGITS[i >> 5], DIGITS[i & 31]];
        i += 1;
    }
    pairs
};

/// The global function every index file calls with its name and data.
pub(crate) const REGISTER: &str = "signpostSearch";

/// The numbers in a postings string (unknown characters are skipped).
pub(crate) fn decode_varints(s: &str) -> impl Iterator<Item = u64> + '_ {
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

/// FNV-1a (32 bits) of the UTF-8 bytes: which shard holds a term. Simple enough to be written
/// the same way in the browser.
pub(crate) fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The shard of `term` among `shards` (a power of two).
pub(crate) fn shard_of(term: &str, shards: usize) -> usize {
    fnv1a(term) as usize & (shards.max(1) - 1)
}

/// The vocabulary bucket of a term's character: an ASCII letter or digit is its own bucket;
/// any other character goes to one of 64 by its code point (`u0`–`u63`).
pub(crate) fn bucket_of(c: char) -> String {
    Bucket::of(c).name()
}

/// A vocabulary bucket as a number (the ASCII letter or digit, or 128 + the code point mod 64),
/// so that sorting every term into its buckets makes no text; [`Bucket::name`] is its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Bucket(u8);

impl Bucket {
    /// The bucket of a term starting with `c`.
    pub(crate) fn of(c: char) -> Bucket {
        if c.is_ascii_alphanumeric() { Bucket(c as u8) } else { Bucket(128 + (c as u32 % 64) as u8) }
    }

    /// Its name in the manifest and in queries (`c`, `u17`).
    pub(crate) fn name(self) -> String {
        if self.0 < 128 { char::from(self.0).to_string() } else { format!("u{}", self.0 - 128) }
    }
}

/// The buckets a term is listed in: its first character's, and for a two-character CJK term
/// also its second's (so a one-character query finds the terms that end with it).
pub(crate) fn buckets_of(term: &str) -> impl Iterator<Item = Bucket> {
    let mut chars = term.chars();
    let first = chars.next().map(Bucket::of);
    let second = match (term.chars().next(), chars.next()) {
        (Some(c), Some(d)) if super::tokens::is_cjk(c) => Some(Bucket::of(d)).filter(|&b| Some(b) != first),
        _ => None,
    };
    first.into_iter().chain(second)
}

/// A file's content name: 40 bits of its xxh3 hash in hex. Names change exactly when the
/// bytes do, so browsers and CDNs may keep the files for ever.
pub(crate) fn content_name(data: &str) -> String {
    format!("{:010x}", xxhash_rust::xxh3::xxh3_64(data.as_bytes()) >> 24)
}

/// `value` as compact JSON that is also safe inside a script: `<`, `>` and `&` escaped (so no
/// title can ever read as markup), U+2028/U+2029 escaped (older engines reject them raw).
pub(crate) fn to_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    // Where the characters to escape may be: `<`, `>`, `&`, and the lead byte E2 of U+2028 and
    // U+2029 (E2 80 A8 and E2 80 A9 in UTF-8). Found by vector search: this runs over every
    // byte of the index, and most files have none of them.
    let bytes = json.as_bytes();
    let mut found: Vec<usize> = memchr::memchr3_iter(b'<', b'>', b'&', bytes).collect();
    let markup = found.len();
    found.extend(memchr::memchr_iter(0xE2, bytes));
    if found.is_empty() {
        return json;
    }
    if markup > 0 && found.len() > markup {
        found.sort_unstable();
    }
    let mut out = String::with_capacity(json.len() + 32);
    let mut copied = 0;
    for i in found {
        let b = bytes[i];
        let escape = match b {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            _ if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => "\\u2028",
            _ if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => "\\u2029",
            _ => continue,
        };
        out.push_str(&json[copied..i]);
        out.push_str(escape);
        copied = i + if b == 0xE2 { 3 } else { 1 };
    }
    out.push_str(&json[copied..]);
    out
}

/// A file of folder `dir` named by a hash of the JSON that `write` appends: its name and its
/// text, the script `signpostSearch("dir/<name>",json);`. The JSON is written once, in place
/// (`room` bytes of it expected), and the name filled in after: the largest files (shards,
/// document chunks) are never copied.
pub(crate) fn named_script(dir: &str, room: usize, write: impl FnOnce(&mut String)) -> (String, String) {
    // The name's place: every content name has ten digits.
    const PLACE: &str = "0000000000";
    let mut out = String::with_capacity(room + REGISTER.len() + dir.len() + PLACE.len() + 10);
    out.push_str(REGISTER);
    out.push_str("(\"");
    out.push_str(dir);
    out.push('/');
    let name_at = out.len();
    out.push_str(PLACE);
    out.push_str("\",");
    let json_at = out.len();
    write(&mut out);
    let name = content_name(&out[json_at..]);
    out.replace_range(name_at..name_at + PLACE.len(), &name);
    out.push_str(");\n");
    (name, out)
}

/// A file's script: `signpostSearch("name",json);`.
pub(crate) fn script(name: &str, json: &str) -> String {
    format!("{REGISTER}(\"{name}\",{json});\n")
}

/// The JSON inside a script made by [`script`]; `None` when it is not one.
pub(crate) fn unwrap_script(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(REGISTER)?.strip_prefix("(\"")?;
    let (_, rest) = rest.split_once("\",")?;
    rest.trim_end().strip_suffix(");")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::push_json_str;

    /// `v` as base-32 digits, least significant first, all but the last with 32 added, into
    /// `buf` from byte `at`; returns where they end. The form a postings string writes.
    fn put_varint(buf: &mut [u8], mut at: usize, mut v: u32) -> usize {
        while v >= 32 {
            buf[at] = DIGITS[(v & 31) as usize | 32];
            v >>= 5;
            at += 1;
        }
        buf[at] = DIGITS[v as usize];
        at + 1
    }

    #[test]
    fn varints_round_trip() {
        let values = [0, 1, 31, 32, 33, 1023, 1024, 123_456_789, u32::MAX];
        let mut buf = [0; 7 * 9];
        let mut end = 0;
        for v in values {
            end = put_varint(&mut buf, end, v);
        }
        let s = std::str::from_utf8(&buf[..end]).unwrap();
        assert_eq!(&s[..4], "01VW");
        assert_eq!(s.len(), 1 + 1 + 1 + 2 + 2 + 2 + 3 + 6 + 7, "u32::MAX takes seven digits");
        assert!(s.bytes().all(|b| DIGITS.contains(&b)));
        assert_eq!(decode_varints(s).collect::<Vec<_>>(), values.map(u64::from));
    }

    #[test]
    fn hashes_and_buckets() {
        // Reference values of FNV-1a 32.
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(shard_of("card", 1), 0);
        let names = |term: &str| buckets_of(term).map(Bucket::name).collect::<Vec<_>>();
        assert_eq!(names("card"), ["c"]);
        assert_eq!(names("7天"), ["7"], "a term not starting with CJK has one bucket");
        assert_eq!(names("身份"), [bucket_of('身'), bucket_of('份')]);
        assert_eq!(names("身身"), [bucket_of('身')], "one bucket, listed once");
        assert_eq!(names(""), Vec::<String>::new());
        assert_eq!(bucket_of('身'), format!("u{}", '身' as u32 % 64));
        assert_eq!(bucket_of('Z'), "Z");
        assert_eq!(bucket_of('é'), format!("u{}", 'é' as u32 % 64));
        assert_eq!(content_name("x").len(), 10);
    }

    #[test]
    fn json_strings_are_written_as_serde_and_to_json_write_them() {
        let samples = [
            "",
            "plain",
            "a \"quoted\" \\ path",
            "tab\tline\nret\r\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "<b>&amp;</b>",
            "—dash… \u{2028}\u{2029} “quotes” ‘ ’",
            "身份证\u{2028}<挂失>",
        ];
        for sample in samples {
            let mut out = String::new();
            push_json_str(&mut out, sample);
            assert_eq!(out, to_json(&sample), "{sample:?}");
        }
    }

    #[test]
    fn scripts_wrap_and_unwrap() {
        let json = to_json(&serde_json::json!({"t": "<b>&\u{2028}"}));
        assert!(!json.contains('<') && !json.contains('&') && !json.contains('\u{2028}'));
        assert_eq!(to_json(&"a—b\u{2029}>"), "\"a—b\\u2029\\u003e\"", "other E2 characters stay");
        assert_eq!(to_json(&"plain"), "\"plain\"");
        assert_eq!(
            to_json(&"\u{2028}<—>&"),
            "\"\\u2028\\u003c—\\u003e\\u0026\"",
            "escapes of both kinds, in order"
        );
        let s = script("s/abc", &json);
        assert_eq!(unwrap_script(&s), Some(json.as_str()));
        assert_eq!(unwrap_script("nothing"), None);
    }
}

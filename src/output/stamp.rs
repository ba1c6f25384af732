//! Stamps: what a build knows of each file it wrote, kept in the user's cache so that the next
//! build can tell an unchanged file without reading it.

use std::path::{Path, PathBuf};

use super::{Manifest, lexical_absolute, replace_file};

/// Add the stamps kept in `stamps` to the files of `listed` they are about.
pub(super) fn add_stamps(listed: &mut Manifest, stamps: &Path) {
    let text = std::fs::read_to_string(stamps).unwrap_or_default();
    // The stamps were written from a manifest, in its order: one pass over both finds each
    // file's entry without a search. A line out of that order is passed over (its file is
    // then compared by its bytes).
    let mut entries = listed.iter_mut().peekable();
    for (path, stamp) in text.lines().map(parse_stamp_line) {
        let Some(stamp) = stamp else { continue };
        while entries.next_if(|(listed, _)| listed.as_str() < path).is_some() {}
        if let Some((_, slot)) = entries.next_if(|(listed, _)| listed.as_str() == path) {
            *slot = Some(stamp);
        }
    }
}

/// Where the stamps of the files in `output` are kept: in the user's cache, not in the
/// output, whose bytes must depend on the site alone (file times do not).
pub(super) fn stamps_file(output: &Path) -> Option<PathBuf> {
    let key = xxhash_rust::xxh3::xxh3_64(lexical_absolute(output).as_os_str().as_encoded_bytes());
    Some(crate::cache::cache_dir()?.join("outputs").join(format!("{key:016x}.txt")))
}

/// Remember the stamps of this build's files for the next one (only a speed-up: failing to
/// write them changes nothing else).
pub(super) fn write_stamps(path: &Path, files: &Manifest) {
    use std::fmt::Write as _;
    let mut text = String::new();
    for (file, stamp) in files {
        match stamp {
            Some(Stamp { hash: Some(hash), len, modified_ns }) => {
                let _ = writeln!(text, "{file}\t{hash:032x}\t{len}\t{modified_ns}");
            }
            Some(Stamp { hash: None, len, modified_ns }) => {
                let _ = writeln!(text, "{file}\t-\t{len}\t{modified_ns}");
            }
            None => {}
        }
    }
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = replace_file(path, text.as_bytes());
    }
}

/// What a build knows of one file it wrote (kept in the user cache, see [`stamps_file`]): the
/// bytes' hash, and the size and modification time they had on disk, so that an unchanged
/// file need not be read to be compared.
///
/// A file named by a hash of its bytes (`Body::Named`) is stamped without one: its name says
/// which bytes it holds, so its stamp alone vouches for it, and hashing the search index's
/// files only to record a hash nobody reads was a tenth of a second of a 100,000-page build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// `None` for a file named by its bytes: such a stamp never vouches for other bytes.
    pub(super) hash: Option<u128>,
    pub(super) len: u64,
    pub(super) modified_ns: u128,
}

impl Stamp {
    /// The stamp of bytes with `hash` as `meta` describes the file holding them.
    pub(super) fn of(hash: Option<u128>, meta: &std::fs::Metadata) -> Stamp {
        Stamp { hash, len: meta.len(), modified_ns: modified_ns(meta) }
    }

    /// The stamp of `bytes` as just written to `file`.
    pub(super) fn of_written(hash: Option<u128>, file: &std::fs::File) -> std::io::Result<Stamp> {
        Ok(Stamp::of(hash, &file.metadata()?))
    }

    /// Whether `path` still holds the bytes with `hash`, as far as this stamp can tell without
    /// reading it: same content hash, and the file's size and time are those recorded.
    #[cfg(test)]
    pub(super) fn vouches_for(&self, path: &Path, hash: u128) -> bool {
        self.hash == Some(hash) && std::fs::metadata(path).is_ok_and(|meta| self.describes(&meta))
    }

    /// Whether the file `meta` describes still holds the bytes this stamp was taken of: a
    /// file with the recorded size and time.
    pub(super) fn describes(&self, meta: &std::fs::Metadata) -> bool {
        meta.is_file() && meta.len() == self.len && modified_ns(meta) == self.modified_ns
    }
}

fn modified_ns(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// `text` without its last tab-separated field, and that field. The fields of a stamp line are
/// taken from the end, since a path may hold a tab.
fn last_field(text: &str) -> Option<(&str, &str)> {
    memchr::memrchr(b'\t', text.as_bytes()).map(|i| (&text[..i], &text[i + 1..]))
}

/// `path<TAB>hash<TAB>size<TAB>time` (the hash `-` when there is none); a line that does not
/// parse gives no stamp.
pub(super) fn parse_stamp_line(line: &str) -> (&str, Option<Stamp>) {
    let stamp = (|| {
        let (rest, modified) = last_field(line)?;
        let (rest, len) = last_field(rest)?;
        let (path, hash) = last_field(rest)?;
        let hash = match hash {
            "-" => None,
            hex => Some(parse_hex(hex)?),
        };
        Some((path, Stamp { hash, len: len.parse().ok()?, modified_ns: modified.parse().ok()? }))
    })();
    match stamp {
        Some((path, stamp)) => (path, Some(stamp)),
        None => (line, None),
    }
}

/// A hash written as 32 hexadecimal digits, read as two halves: 64-bit arithmetic is cheaper
/// than 128-bit, and every stamp of a site is read by every build.
fn parse_hex(hex: &str) -> Option<u128> {
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let half = |digits: &str| u64::from_str_radix(digits, 16).ok().map(u128::from);
    Some(half(&hex[..16])? << 64 | half(&hex[16..])?)
}

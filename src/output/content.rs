//! An output's content as the writer takes it: its bytes, or the parts of a large page (see
//! [`Spliced`]), which are hashed, compared with the file already there and written one part
//! after the other, so that the page is never whole in memory.

use std::borrow::Cow;
use std::io::Write as _;
use std::path::Path;

use super::same::Parts;
use crate::error::{Error, Result};
use crate::render::{Body, Spliced};

/// What an output holds.
pub(super) enum Content<'a> {
    /// Bytes in memory (read from the file a copied output comes from).
    Bytes(Cow<'a, [u8]>),
    /// A large page in parts.
    Parts(&'a Spliced),
}

impl Content<'_> {
    /// The content of `body` (reading the file it copies, if any).
    pub(super) fn of(body: &Body) -> Result<Content<'_>> {
        Ok(Content::Bytes(match body {
            Body::Reused(text) | Body::Shared(text) => Cow::Borrowed(text.as_bytes()),
            Body::Bytes(bytes) | Body::Named(bytes) => Cow::Borrowed(bytes.as_slice()),
            Body::Copy(source) => {
                Cow::Owned(std::fs::read(source).map_err(|e| Error::io("read", source, e))?)
            }
            Body::Static(bytes) => Cow::Borrowed(*bytes),
            Body::Parts(parts) => return Ok(Content::Parts(parts)),
        }))
    }

    /// The number of bytes.
    pub(super) fn len(&self) -> u64 {
        match self {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Parts(parts) => parts.len() as u64,
        }
    }

    /// Hands the bytes to `push`, part by part; fails when a large page's body cannot be read
    /// back from its file (what was handed over is then not all of it).
    fn each(&self, push: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
        match self {
            Content::Bytes(bytes) => {
                push(bytes);
                Ok(())
            }
            Content::Parts(parts) => parts.write(push),
        }
    }

    /// The content hash of the bytes (the same for bytes and for parts that make them).
    /// A body that cannot be read back gives a wrong hash, but is never taken for the file
    /// already there ([`Content::held_by`]), and its write fails the build.
    pub(super) fn hash(&self) -> u128 {
        match self {
            Content::Bytes(bytes) => xxhash_rust::xxh3::xxh3_128(bytes),
            Content::Parts(parts) => hash_parts(&|push| {
                let _ = parts.write(push);
            }),
        }
    }

    /// Whether the file at `path` (known to have their length) holds exactly these bytes.
    pub(super) fn held_by(&self, path: &Path) -> bool {
        let read = std::cell::Cell::new(true);
        let same = super::same::file_holds_parts(path, self.len(), &|push| {
            if self.each(push).is_err() {
                read.set(false);
            }
        });
        same && read.get()
    }

    /// Whether `path` is a file holding exactly these bytes.
    pub(super) fn same_as(&self, path: &Path) -> bool {
        std::fs::metadata(path)
            .is_ok_and(|meta| meta.is_file() && meta.len() == self.len() && self.held_by(path))
    }

    /// Write the bytes into `file`.
    pub(super) fn write_into(&self, file: &mut std::fs::File) -> std::io::Result<()> {
        match self {
            Content::Bytes(bytes) => file.write_all(bytes),
            Content::Parts(parts) => {
                let read = std::cell::RefCell::new(Ok(()));
                write_parts(file, &|push| {
                    if let Err(e) = parts.write(push) {
                        *read.borrow_mut() = Err(e);
                    }
                })?;
                read.into_inner()
            }
        }
    }
}

/// The hash of the bytes `parts` hands over, as [`xxhash_rust::xxh3::xxh3_128`] gives it for
/// them whole (stamps taken either way must agree).
fn hash_parts(parts: &Parts<'_>) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    parts(&mut |part| hasher.update(part));
    hasher.digest128()
}

/// Write the bytes `parts` hands over into `file`.
fn write_parts(file: &mut std::fs::File, parts: &Parts<'_>) -> std::io::Result<()> {
    // The parts are short (the text between two links, a link's address): gathered into
    // writes of a useful size.
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
    let mut failed = None;
    parts(&mut |part| {
        if failed.is_none()
            && let Err(e) = out.write_all(part)
        {
            failed = Some(e);
        }
    });
    match failed {
        Some(e) => Err(e),
        None => out.flush(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands `bytes` to `push` in parts of growing lengths, the way a page's parts come.
    fn in_parts(bytes: &[u8], push: &mut dyn FnMut(&[u8])) {
        let (mut at, mut step) = (0, 1);
        while at < bytes.len() {
            let end = (at + step).min(bytes.len());
            push(&bytes[at..end]);
            (at, step) = (end, step * 3 + 1);
        }
    }

    fn sample() -> Vec<u8> {
        (0..300_000u32).map(|i| (i % 253) as u8).collect()
    }

    #[test]
    fn parts_hash_as_their_bytes_whole() {
        let bytes = sample();
        for len in [0, 1, 100, 240, 1024, 70_000, bytes.len()] {
            let bytes = &bytes[..len];
            assert_eq!(
                hash_parts(&|push| in_parts(bytes, push)),
                xxhash_rust::xxh3::xxh3_128(bytes),
                "{len}"
            );
        }
    }

    #[test]
    fn parts_are_written_and_compared_as_their_bytes_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        let bytes = sample();
        let mut file = std::fs::File::create(&path).unwrap();
        write_parts(&mut file, &|push| in_parts(&bytes, push)).unwrap();
        drop(file);
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        let whole = Content::Bytes(Cow::Borrowed(&bytes));
        assert!(whole.same_as(&path));
        let len = bytes.len() as u64;
        assert!(super::super::same::file_holds_parts(&path, len, &|push| in_parts(&bytes, push)));
        let mut changed = bytes.clone();
        changed[250_000] ^= 1;
        assert!(!super::super::same::file_holds_parts(&path, len, &|push| in_parts(&changed, push)));
        assert!(!Content::Bytes(Cow::Borrowed(&changed)).same_as(&path));
    }
}

//! Whether a file already holds the bytes of an output, so that it need not be written.

use std::path::Path;

/// Hands bytes to its argument part by part.
pub(super) type Parts<'a> = dyn Fn(&mut dyn FnMut(&[u8])) + 'a;

/// Whether the file at `path` holds exactly the `len` bytes that `write` hands over part by
/// part. Read a piece at a time: a large page read whole would be a second copy of it.
pub(super) fn file_holds_parts(path: &Path, len: u64, write: &Parts<'_>) -> bool {
    use std::io::BufRead as _;
    let Ok(file) = std::fs::File::open(path) else { return false };
    let capacity = usize::try_from(len).unwrap_or(usize::MAX).clamp(1, 64 * 1024);
    let mut file = std::io::BufReader::with_capacity(capacity, file);
    let mut same = true;
    write(&mut |mut part| {
        while same && !part.is_empty() {
            let matched = match file.fill_buf() {
                Ok([]) => None,
                Ok(read) => {
                    let n = read.len().min(part.len());
                    (read[..n] == part[..n]).then_some(n)
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => None,
            };
            match matched {
                Some(n) => {
                    file.consume(n);
                    part = &part[n..];
                }
                None => same = false,
            }
        }
    });
    // The file must end where the bytes do.
    loop {
        match file.fill_buf() {
            Ok(rest) => return same && rest.is_empty(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `path` is a file holding exactly `bytes`.
    fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
        let len = bytes.len() as u64;
        std::fs::metadata(path).is_ok_and(|m| m.len() == len)
            && file_holds_parts(path, len, &|push| push(bytes))
    }

    #[test]
    fn a_file_holds_its_bytes_and_no_others() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        // Longer than one piece read, so that the comparison goes on past the first.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert!(same_bytes(&path, &bytes));
        let mut changed = bytes.clone();
        changed[150_000] ^= 1;
        assert!(!same_bytes(&path, &changed));
        assert!(!same_bytes(&path, &bytes[..bytes.len() - 1]));
        let short = &bytes[..bytes.len() - 1];
        assert!(
            !file_holds_parts(&path, short.len() as u64, &|push| push(short)),
            "the file goes on past the bytes"
        );
        assert!(!same_bytes(&dir.path().join("missing.html"), &bytes));
    }
}

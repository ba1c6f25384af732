//! Whether a file already holds the bytes of an output, so that it need not be written.

use std::path::Path;

/// Whether `path` already holds exactly `bytes`.
pub(super) fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => file_holds(path, bytes),
        _ => false,
    }
}

/// Whether the file at `path` (known to have their length) holds exactly `bytes`. Read a
/// piece at a time: a large page read whole would be a second copy of it in memory.
pub(super) fn file_holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read as _;
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let mut buffer = vec![0; bytes.len().clamp(1, 64 * 1024)];
    let mut rest = bytes;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if read == 0 {
            return rest.is_empty();
        }
        match rest.split_at_checked(read) {
            Some((head, tail)) if head == &buffer[..read] => rest = tail,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(!file_holds(&path, &bytes[..bytes.len() - 1]), "the file goes on past the bytes");
        assert!(!same_bytes(&dir.path().join("missing.html"), &bytes));
    }
}

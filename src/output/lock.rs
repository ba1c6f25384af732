//! An exclusive lock on an output folder, so that two builds (or a build and `watch`) never
//! write one folder at once: they used to mix their files, and one could exit 0.
//!
//! The lock is taken on the folder itself (`flock` on its descriptor), so nothing is added to
//! the output, and the system drops it when the process ends, however it ends.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while a build writes its output folder; dropping it releases the lock.
#[derive(Debug)]
pub struct OutputLock {
    _folder: std::fs::File,
}

/// Lock `output` (made if missing) for this process. When another process holds it: fail at
/// once with `no_wait`, else say so on stderr and wait for it.
pub fn lock(output: &Path, no_wait: bool) -> Result<OutputLock> {
    std::fs::create_dir_all(output).map_err(|e| Error::io("create folder", output, e))?;
    let folder = std::fs::File::open(output).map_err(|e| Error::io("open", output, e))?;
    match folder.try_lock() {
        Ok(()) => return Ok(OutputLock { _folder: folder }),
        Err(std::fs::TryLockError::WouldBlock) => {}
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", output, e)),
    }
    if no_wait {
        return Err(Error::Locked { path: PathBuf::from(output) });
    }
    eprintln!("waiting for another signpost build into `{}` to finish…", output.display());
    folder.lock().map_err(|e| Error::io("lock", output, e))?;
    Ok(OutputLock { _folder: folder })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_or_fails_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let o = dir.path().join("public");
        let first = lock(&o, true).unwrap();
        assert!(matches!(lock(&o, true), Err(Error::Locked { .. })));
        let waiter = {
            let o = o.clone();
            std::thread::spawn(move || lock(&o, false).map(|_| std::time::Instant::now()))
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        let released = std::time::Instant::now();
        drop(first);
        let got = waiter.join().unwrap().unwrap();
        assert!(got >= released, "the second waited for the first");
    }
}

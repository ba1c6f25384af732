//! The commit journal: every rename and removal of a commit, written whole (by a rename)
//! before the first of them. A commit stopped half-way (the process killed, a disk error) is
//! then finished by the next build or `watch` before anything else, so that the output holds
//! the old tree or the new one, never a mix of the two.
//!
//! The journal lives in the staging folder beside the files it moves; the new marker waits
//! there too and is moved into place last.

use std::path::{Path, PathBuf};

use super::{MARKER, STAGING_DIR, commit_step, is_safe_relative, remove_empty_parents};
use crate::error::{Error, Result};

/// The journal's name in the staging folder.
pub(super) const FILE: &str = "journal";
/// The next marker's name in the staging folder, until it is moved into place.
pub(super) const NEXT_MARKER: &str = "marker";
const HEADER: &str = "# signpost commit journal: the next build finishes this commit";

/// One step of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// Move a staged file (or a fresh tree's top-level entry) to `to` in the output folder.
    Move {
        /// Where the staged file is.
        from: Staged,
        /// Its place in the output folder, `/`-separated.
        to: String,
        /// Set when the move swaps it with the file it replaces: the new bytes' hash, which
        /// tells a finished swap (the old file then survives under the staged name) from one
        /// not yet done.
        swap: Option<u128>,
    },
    /// Remove a stale file of the previous build.
    Remove(String),
}

/// Where a staged file is: named inside the staging folder or inside the pool of kept files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Staged {
    /// `output/.signpost-staging/<name>`.
    Staging(String),
    /// `<pool>/<name>` (see [`super::pool_dir`]).
    Pool(String),
}

impl Staged {
    /// The staged file's path for `output`.
    fn path(&self, output: &Path) -> Option<PathBuf> {
        match self {
            Staged::Staging(name) => Some(output.join(STAGING_DIR).join(name)),
            Staged::Pool(name) => super::pool_dir(output).map(|p| p.join(name)),
        }
    }

    /// How `path` (a staged file of `output`) is named in the journal.
    pub(super) fn of(path: &Path, output: &Path) -> Option<Staged> {
        let name = |base: &Path| -> Option<String> {
            let rel = path.strip_prefix(base).ok()?;
            let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some(parts?.join("/"))
        };
        if let Some(name) = name(&output.join(STAGING_DIR)) {
            return Some(Staged::Staging(name));
        }
        super::pool_dir(output).and_then(|pool| name(&pool)).map(Staged::Pool)
    }
}

/// Write the journal of a commit into the staging folder of `output`, with the marker the
/// commit ends with (`None`: the marker stays as it is). Once this returns, the commit will
/// be finished, by this build or the next.
pub(super) fn write(output: &Path, steps: &[Step], marker: Option<&str>) -> Result<()> {
    let staging = output.join(STAGING_DIR);
    std::fs::create_dir_all(&staging).map_err(|e| Error::io("create folder", &staging, e))?;
    if let Some(marker) = marker {
        write_durably(&staging.join(NEXT_MARKER), marker.as_bytes())?;
    }
    let mut text = String::from(HEADER);
    text.push('\n');
    for step in steps {
        text.push_str(&encode(step));
        text.push('\n');
    }
    write_durably(&staging.join(FILE), text.as_bytes())?;
    commit_step();
    Ok(())
}

/// Write `bytes` to `path` (by a rename) and flush both the file and its folder to the disk:
/// the journal must be on the disk before the first rename it lists, or a power cut could
/// leave renames done with no journal to finish them.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.sp-tmp"));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_folder(path.parent().unwrap_or(Path::new(".")))
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

/// Flush a folder's entries (the rename just made) to the disk; a no-op where folders
/// cannot be opened as files.
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(folder)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

/// What replaying a journal did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Replayed {
    /// Files moved into place.
    pub moved: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Carry out `steps` in `output`, then the marker, then drop the journal and the staging
/// folder. `recovering`: the steps may have been done in part already (by a build that was
/// stopped), so each is checked first; otherwise each is done once, as fast as it can be.
pub(super) fn replay(output: &Path, steps: &[Step], recovering: bool) -> Result<Replayed> {
    let mut done = Replayed::default();
    for step in steps {
        match step {
            Step::Move { from, to, swap } => {
                if move_into_place(output, from, to, *swap, recovering)? {
                    done.moved += 1;
                }
            }
            Step::Remove(rel) => {
                if !is_safe_relative(rel) {
                    continue;
                }
                let path = output.join(rel);
                let removed = std::fs::remove_file(&path).is_ok();
                // Also when the file is gone already: a stopped commit may have removed it
                // and not yet its folders.
                remove_empty_parents(output, &path);
                if removed {
                    done.removed += 1;
                    commit_step();
                }
            }
        }
    }
    let staging = output.join(STAGING_DIR);
    let next_marker = staging.join(NEXT_MARKER);
    if next_marker.exists() {
        let marker = output.join(MARKER);
        std::fs::rename(&next_marker, &marker).map_err(|e| Error::io("write", &marker, e))?;
        commit_step();
    }
    let journal = staging.join(FILE);
    std::fs::remove_file(&journal).map_err(|e| Error::io("remove", &journal, e))?;
    // What is left is staging bookkeeping only (the files were all moved).
    let _ = std::fs::remove_dir_all(&staging);
    Ok(done)
}

/// Move one staged file into place; whether it was moved now.
fn move_into_place(
    output: &Path,
    from: &Staged,
    to: &str,
    swap: Option<u128>,
    recovering: bool,
) -> Result<bool> {
    if !is_safe_relative(to) {
        return Ok(false);
    }
    let Some(source) = from.path(output) else { return Ok(false) };
    let target = output.join(to);
    if recovering {
        let swapped_already = swap.is_some_and(|hash| holds_hash(&target, hash));
        if swapped_already || std::fs::symlink_metadata(&source).is_err() {
            return Ok(false);
        }
    }
    // Swapped, the staged file keeps the old bytes: the pool's for the next build.
    let swapped = swap.is_some() && !recovering && super::exchange(&source, &target).is_ok();
    if !swapped {
        rename_making_folder(&source, &target)?;
    }
    commit_step();
    Ok(true)
}

/// Rename `from` to `to`, making `to`'s folder first if it is missing (only a new file's
/// can be, so it is made when needed rather than looked for each time).
fn rename_making_folder(from: &Path, to: &Path) -> Result<()> {
    match std::fs::rename(from, to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && to.parent().is_some_and(|p| !p.is_dir()) => {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
            }
            std::fs::rename(from, to).map_err(|e| Error::io("write", to, e))
        }
        other => other.map_err(|e| Error::io("write", to, e)),
    }
}

/// Whether the file at `path` holds bytes with `hash`.
fn holds_hash(path: &Path, hash: u128) -> bool {
    std::fs::read(path).is_ok_and(|bytes| xxhash_rust::xxh3::xxh3_128(&bytes) == hash)
}

/// Finish the commit a stopped build left in `output`, if any: whether there was one.
///
/// Every build and `watch` calls this (under the output's lock) before anything else.
pub fn recover(output: &Path) -> Result<bool> {
    let journal = output.join(STAGING_DIR).join(FILE);
    let text = match std::fs::read_to_string(&journal) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io("read", &journal, e)),
    };
    let steps: Vec<Step> =
        text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).filter_map(decode).collect();
    replay(output, &steps, true)?;
    Ok(true)
}

/// One journal line: `move<TAB>s|p<TAB>name<TAB>to<TAB>hash|-` or `remove<TAB>rel`, each
/// field with `\`, tab and line ends escaped.
fn encode(step: &Step) -> String {
    match step {
        Step::Move { from, to, swap } => {
            let (kind, name) = match from {
                Staged::Staging(name) => ("s", name),
                Staged::Pool(name) => ("p", name),
            };
            let hash = swap.map(|h| format!("{h:032x}")).unwrap_or_else(|| "-".into());
            format!("move\t{kind}\t{}\t{}\t{hash}", escape(name), escape(to))
        }
        Step::Remove(rel) => format!("remove\t{}", escape(rel)),
    }
}

fn decode(line: &str) -> Option<Step> {
    let fields: Vec<&str> = line.split('\t').collect();
    match fields.as_slice() {
        ["move", kind, name, to, hash] => {
            let name = unescape(name);
            let from = match *kind {
                "s" => Staged::Staging(name),
                "p" => Staged::Pool(name),
                _ => return None,
            };
            let swap = if *hash == "-" { None } else { Some(u128::from_str_radix(hash, 16).ok()?) };
            Some(Step::Move { from, to: unescape(to), swap })
        }
        ["remove", rel] => Some(Step::Remove(unescape(rel))),
        _ => None,
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_survive_the_journal_text() {
        let steps = [
            Step::Move { from: Staged::Staging("12".into()), to: "a b/index.html".into(), swap: None },
            Step::Move { from: Staged::Pool("ff".into()), to: "odd\tname\\x\n.html".into(), swap: Some(42) },
            Step::Remove("gone/index.html".into()),
        ];
        for step in steps {
            assert_eq!(decode(&encode(&step)), Some(step.clone()));
        }
        assert_eq!(decode("move\tq\tx\ty\t-"), None);
    }

    #[test]
    fn a_stopped_commit_is_finished_once() {
        let dir = tempfile::tempdir().unwrap();
        let o = dir.path().join("public");
        let staging = o.join(STAGING_DIR);
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(o.join("old.html"), "old").unwrap();
        std::fs::write(o.join("kept.html"), "v1").unwrap();
        std::fs::write(staging.join("0"), "v2").unwrap();
        std::fs::write(staging.join("1"), "new").unwrap();
        let steps = vec![
            Step::Move { from: Staged::Staging("0".into()), to: "kept.html".into(), swap: None },
            Step::Move { from: Staged::Staging("1".into()), to: "a/new.html".into(), swap: None },
            Step::Remove("old.html".into()),
        ];
        write(&o, &steps, Some("# marker\nkept.html\na/new.html\n")).unwrap();
        // Stopped after the first move.
        std::fs::rename(staging.join("0"), o.join("kept.html")).unwrap();
        assert!(recover(&o).unwrap());
        assert_eq!(std::fs::read_to_string(o.join("kept.html")).unwrap(), "v2");
        assert_eq!(std::fs::read_to_string(o.join("a/new.html")).unwrap(), "new");
        assert!(!o.join("old.html").exists());
        assert!(std::fs::read_to_string(o.join(MARKER)).unwrap().contains("a/new.html"));
        assert!(!staging.exists());
        assert!(!recover(&o).unwrap(), "nothing left to finish");
    }
}

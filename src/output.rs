//! Write the rendered site into the output folder: in place, only bytes that changed,
//! each file through a temporary file and a rename, stale files removed last.
//!
//! The folder carries a marker file listing what Signpost wrote, so that a rebuild can
//! delete exactly the files of deleted pages and never touches a folder it did not make.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::render::{Body, Output};

mod content;
mod journal;
mod lock;
mod same;
mod stamp;

use content::Content;
pub use journal::recover;
use journal::{Staged, Step};
pub use lock::{OutputLock, lock};
pub use stamp::Stamp;
#[cfg(test)]
use stamp::parse_stamp_line;
use stamp::{add_stamps, stamps_file, write_stamps};

/// The marker file in every output folder Signpost manages.
pub const MARKER: &str = ".signpost-output";
/// Where a build stages changed files inside the output folder until it commits.
pub const STAGING_DIR: &str = ".signpost-staging";
const MARKER_HEADER: &str = "# Written by signpost. Lists the files of the last build; do not edit.";

/// What writing did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created or changed.
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Stale files deleted.
    pub removed: usize,
}

/// Refuse output folders that would destroy the site or something else.
pub fn check_destination(output: &Path, root: &Path, force: bool) -> Result<()> {
    let out = lexical_absolute(output);
    let root = lexical_absolute(root);
    let content = root.join("content");
    let refuse =
        |reason: &str| Err(Error::UnsafeOutput { path: output.to_path_buf(), reason: reason.to_string() });
    if out.exists() && !out.is_dir() {
        return refuse("it is a file, not a folder; choose a folder such as `public`");
    }
    if out.parent().is_none() {
        return refuse("it is the file-system root; choose a folder such as `public`");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && normalise(&home) == out
    {
        return refuse("it is your home folder; choose a folder such as `public`");
    }
    if out == root || root.starts_with(&out) {
        return refuse("it contains the site itself; choose a folder such as `public`");
    }
    if out == content || out.starts_with(&content) || content.starts_with(&out) {
        return refuse("it overlaps `content/`; choose a folder outside it such as `public`");
    }
    for source in ["themes", "templates", "static"] {
        let dir = root.join(source);
        if out == dir || out.starts_with(&dir) {
            return refuse(&format!("it is inside `{source}/`, which the build reads"));
        }
    }
    if out.is_dir() && !out.join(MARKER).exists() && !force {
        let entries = std::fs::read_dir(&out).map_err(|e| Error::io("read folder", &out, e))?;
        // A folder holding only an interrupted first build's staging area is ours too, and so
        // is one whose commit was stopped half-way (its journal says so; it is finished first).
        let stopped_commit = out.join(STAGING_DIR).join(journal::FILE).is_file();
        if !stopped_commit && entries.flatten().any(|e| e.file_name() != STAGING_DIR) {
            return refuse(
                "it is not empty and was not made by signpost; empty it, choose another folder, or pass `--force`",
            );
        }
    }
    Ok(())
}

/// `path` made absolute (against the current folder) and lexically clean, without touching
/// the file system: the folder may not exist yet.
pub fn lexical_absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    normalise(&joined)
}

/// Lexically remove `.` and `..`.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Read the list of files the previous build wrote.
pub fn previous_files(output: &Path) -> Manifest {
    let Ok(text) = std::fs::read_to_string(output.join(MARKER)) else { return Manifest::new() };
    text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| (l.to_string(), None)).collect()
}

/// A staged file: where it waits, its output path, whether it replaces a file, and its bytes'
/// hash unless it is named by them.
type StagedFile = (PathBuf, String, bool, Option<u128>);

/// The files of a build, with their stamps where known.
pub type Manifest = std::collections::BTreeMap<String, Option<Stamp>>;
/// A test hook: with `SIGNPOST_STOP_AFTER_RENAMES=N`, the process stops dead (as if killed)
/// after the `N`th rename or removal of a commit, so that tests can prove that an interrupted
/// commit leaves the old tree or the new one. Compiled into debug builds only (the ones
/// `cargo test` runs), so that a released binary never reads the variable.
#[cfg(debug_assertions)]
fn commit_step() {
    static LIMIT: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    static DONE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let limit = LIMIT.get_or_init(|| std::env::var("SIGNPOST_STOP_AFTER_RENAMES").ok()?.parse().ok());
    if let Some(limit) = limit
        && DONE.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= *limit
    {
        std::process::abort();
    }
}

/// Release builds: no test hook (see the debug version).
#[cfg(not(debug_assertions))]
fn commit_step() {}

/// The text of the marker listing `files`, or `None` when the marker of `output` already
/// says exactly that (it is then left alone: an unchanged rebuild writes nothing, so that it
/// also works on an output folder it may not write).
fn marker_text(output: &Path, files: &Manifest) -> Option<String> {
    let mut text = String::from(MARKER_HEADER);
    text.push('\n');
    for path in files.keys() {
        text.push_str(path);
        text.push('\n');
    }
    let same = std::fs::read(output.join(MARKER)).is_ok_and(|old| old == text.as_bytes());
    (!same).then_some(text)
}

/// Write `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.sp-tmp"));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.flush()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io("write", path, e)
    })
}

/// Replace some files of an existing build and remove the files of `removed` (for quick
/// rebuilds), skipping outputs whose files already hold their bytes: all of them or none,
/// through the commit journal, under the output's lock. The marker changes only when the set
/// of files does.
pub fn write_some(
    output: &Path,
    outputs: &[Output],
    removed: &[String],
    no_wait: bool,
) -> Result<WriteStats> {
    let _lock = lock(output, no_wait)?;
    recover(output)?;
    let staging = output.join(STAGING_DIR);
    let mut stats = WriteStats::default();
    let mut steps = Vec::new();
    for o in outputs {
        let path = target(output, &o.path)?;
        let bytes = Content::of(&o.body)?;
        if bytes.same_as(&path) {
            stats.unchanged += 1;
            continue;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io("create folder", &staging, e))?;
        let name = steps.len().to_string();
        let tmp = staging.join(&name);
        write_stamped(&tmp, &bytes, None, source_mode(&o.body)).map_err(|e| Error::io("write", &tmp, e))?;
        steps.push(Step::Move { from: Staged::Staging(name), to: o.path.clone(), swap: None });
    }
    let mut listed = previous_files(output);
    let before = listed.len();
    listed.extend(
        outputs
            .iter()
            .filter(|o| !listed.contains_key(&o.path))
            .map(|o| (o.path.clone(), None))
            .collect::<Vec<_>>(),
    );
    let added = listed.len() != before;
    for path in removed.iter().filter(|p| is_safe_relative(p) && listed.remove(*p).is_some()) {
        steps.push(Step::Remove(path.clone()));
    }
    let marker = if added || listed.len() != before { marker_text(output, &listed) } else { None };
    if !steps.is_empty() {
        journal::write(output, &steps, marker.as_deref())?;
        let done = journal::replay(output, &steps, false)?;
        (stats.written, stats.removed) = (done.moved, done.removed);
    }
    Ok(stats)
}

/// The permission bits of the file a copied output comes from (`None` for generated outputs):
/// a copy never grants more than its source, so a file only its owner may read stays so.
fn source_mode(body: &Body) -> Option<u32> {
    #[cfg(unix)]
    if let Body::Copy(source) = body {
        use std::os::unix::fs::PermissionsExt as _;
        return std::fs::metadata(source).ok().map(|m| m.permissions().mode() & 0o7777);
    }
    let _ = body;
    None
}

/// Take from `file` every permission its source (`mode`) lacks.
fn narrow_permissions(file: &std::fs::File, mode: Option<u32>) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt as _;
        let current = file.metadata()?.permissions().mode() & 0o7777;
        if current & !mode != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(current & mode))?;
        }
    }
    let _ = (file, mode);
    Ok(())
}

/// Write `bytes` into `path` (a kept file, or a new one) in place, and return their stamp.
fn overwrite_stamped(
    path: &Path,
    bytes: &Content<'_>,
    hash: Option<u128>,
    mode: Option<u32>,
) -> std::io::Result<Stamp> {
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    narrow_permissions(&file, mode)?;
    bytes.write_into(&mut file)?;
    let meta = file.metadata()?;
    // Only a longer old file needs cutting: truncating costs the file system a journal entry
    // and was a tenth of a template edit's rebuild when done for every file.
    if meta.len() == bytes.len() {
        return Ok(Stamp::of(hash, &meta));
    }
    file.set_len(bytes.len())?;
    Stamp::of_written(hash, &file)
}

/// Create `path` holding `bytes`, and return their stamp.
fn write_stamped(
    path: &Path,
    bytes: &Content<'_>,
    hash: Option<u128>,
    mode: Option<u32>,
) -> std::io::Result<Stamp> {
    let mut file = std::fs::File::create(path)?;
    // Narrowed before the bytes go in, so that they are never readable more widely.
    narrow_permissions(&file, mode)?;
    bytes.write_into(&mut file)?;
    Stamp::of_written(hash, &file)
}

/// The hash a stamp of `body` records: none for a file named by a hash of its bytes (see
/// [`Stamp`]).
fn content_hash(body: &Body, bytes: &Content<'_>) -> Option<u128> {
    (!matches!(body, Body::Named(_))).then(|| bytes.hash())
}

/// Where the output `rel` goes in `output`, refusing paths that would leave it.
fn target(output: &Path, rel: &str) -> Result<PathBuf> {
    if !is_safe_relative(rel) {
        return Err(Error::UnsafeOutput {
            path: output.join(rel),
            reason: "the path would leave the output folder".into(),
        });
    }
    Ok(output.join(rel))
}

pub use crate::text::is_safe_relative;

/// A build being written: changed files go to temporary files in the staging folder while
/// rendering runs; [`Staging::commit`] renames them into place only once everything
/// succeeded, and [`Staging::abort`] removes them, leaving the previous output untouched.
///
/// The first build into an empty folder writes its files in their final layout inside the
/// staging folder instead, and committing moves the few top-level entries: renaming every file
/// one by one doubled the cost of a fresh 10,000-page build.
pub struct Staging {
    output: PathBuf,
    staging_dir: PathBuf,
    /// Set when the output holds no earlier build: files are then written in their final
    /// layout under `staging_dir/tree`, and committing moves only its top-level entries.
    fresh_tree: Option<PathBuf>,
    /// Folders of `fresh_tree` known to exist, so each is created once.
    made_dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    counter: std::sync::atomic::AtomicUsize,
    existed: bool,
    previous: Manifest,
    /// Where the stamps are kept between builds (see [`stamps_file`]), if anywhere.
    stamps: Option<PathBuf>,
    current: std::sync::Mutex<Manifest>,
    /// Staged files.
    staged: std::sync::Mutex<Vec<StagedFile>>,
    /// The exclusive lock on the output folder, held until the build ends.
    _lock: Option<OutputLock>,
    /// Files kept from earlier builds to write into again (see [`Staging::begin_reusing`]).
    pool: Option<Pool>,
    unchanged: std::sync::atomic::AtomicUsize,
    /// Whether `staging_dir` is known to exist.
    staging_made: std::sync::atomic::AtomicBool,
}

impl Staging {
    /// Start writing into `output` (created on the first staged file if missing).
    /// `no_wait`: fail at once when another build holds the output's lock (else wait).
    pub fn begin(output: &Path, no_wait: bool) -> Result<Staging> {
        Staging::prepare(output, stamps_file(output), false, no_wait)
    }

    /// [`Staging::begin`] for one build of a series (`watch`): replaced files are swapped with
    /// their staged copies rather than deleted, and the staged files, now holding the old
    /// bytes, are kept to be written into by the next build.
    ///
    /// Every file a rebuild changes is then written without creating a file or deleting one.
    /// Measured on ext4 with 10,000 pages changed by a template edit: creating the staged
    /// files and renaming them over the old ones took 2.2 s; writing into kept files and
    /// swapping them took 0.3 to 0.45 s. Call [`remove_staging`] when the series ends.
    ///
    /// The kept files hold old bytes of replaced outputs (the text of a page just made a
    /// draft, say), so they live beside the output folder, never in it: a copy of the output
    /// taken while `watch` runs must not ship them. Where no such folder can be made on the
    /// output's file system, the series simply builds without kept files.
    pub fn begin_reusing(output: &Path, no_wait: bool) -> Result<Staging> {
        let mut staging = Staging::prepare(output, stamps_file(output), true, no_wait)?;
        if staging.fresh_tree.is_none() && cfg!(all(target_os = "linux", target_env = "gnu")) {
            staging.pool = Pool::open(output);
        }
        Ok(staging)
    }

    /// [`Staging::begin`], keeping file stamps in `stamps` (or nowhere).
    pub fn begin_with_stamps(output: &Path, stamps: Option<PathBuf>) -> Result<Staging> {
        Staging::prepare(output, stamps, false, false)
    }

    /// Lock the output, finish a commit a stopped build left there, clear what such a build
    /// staged, and read what the last build wrote.
    fn prepare(output: &Path, stamps: Option<PathBuf>, keep_pool: bool, no_wait: bool) -> Result<Staging> {
        let existed = output.is_dir();
        let lock = lock(output, no_wait)?;
        recover(output)?;
        let staging_dir = output.join(STAGING_DIR);
        // Left by an interrupted build: none of it was ever published. Kept files of a
        // series of builds survive for the next of the series.
        clear_staging(output, keep_pool)?;
        let mut previous = previous_files(output);
        if let Some(stamps) = &stamps {
            add_stamps(&mut previous, stamps);
        }
        let fresh_tree = (previous.is_empty() && holds_no_build(output)).then(|| staging_dir.join("tree"));
        Ok(Staging {
            output: output.to_path_buf(),
            staging_dir,
            fresh_tree,
            made_dirs: Default::default(),
            counter: Default::default(),
            existed,
            previous,
            stamps,
            current: Default::default(),
            staged: Default::default(),
            pool: None,
            _lock: Some(lock),
            unchanged: Default::default(),
            staging_made: Default::default(),
        })
    }

    /// Stage one output: nothing happens when the file already holds these bytes.
    pub fn stage(&self, o: &Output) -> Result<()> {
        target(&self.output, &o.path)?;
        let stamp = match &self.fresh_tree {
            Some(tree) => self.write_fresh(tree, o)?,
            None => self.stage_change(o)?,
        };
        if let Ok(mut current) = self.current.lock() {
            current.insert(o.path.clone(), stamp);
        }
        Ok(())
    }

    /// Stage `o` if the output folder does not hold its bytes already; its stamp either way.
    fn stage_change(&self, o: &Output) -> Result<Option<Stamp>> {
        let path = self.output.join(&o.path);
        let previous = self.previous.get(&o.path).copied().flatten();
        if matches!(o.body, Body::Reused(_)) && path.is_file() {
            // The previous build of this session wrote exactly these bytes.
            self.unchanged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(previous);
        }
        let bytes = Content::of(&o.body)?;
        // One look at the file answers every question below. A link is no file of ours:
        // it is replaced.
        let existing = std::fs::symlink_metadata(&path).ok().filter(std::fs::Metadata::is_file);
        if let (Body::Named(_), Some(stamp), Some(meta)) = (&o.body, previous, &existing)
            && stamp.describes(meta)
        {
            // Named by a hash of its bytes, and as the build that wrote them left it: these
            // bytes, known without hashing them again.
            self.unchanged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(previous);
        }
        let hash = content_hash(&o.body, &bytes);
        match (previous, &existing) {
            (Some(stamp), Some(meta)) if stamp.describes(meta) && hash.is_some() && stamp.hash == hash => {
                self.unchanged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return Ok(previous);
            }
            // The file holds the bytes its stamp was taken of: other bytes.
            (Some(stamp), Some(meta)) if stamp.describes(meta) => {}
            (_, Some(meta)) if meta.len() == bytes.len() && bytes.held_by(&path) => {
                self.unchanged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                // Stamped now, so that the next build need not read it again.
                return Ok(Some(Stamp::of(hash, meta)));
            }
            _ => {}
        }
        // Staged files wait in one hidden folder, so that an interrupted build leaves nothing
        // among the published files and the next build can clear it in one go.
        if !self.staging_made.load(std::sync::atomic::Ordering::Relaxed) {
            std::fs::create_dir_all(&self.staging_dir)
                .map_err(|e| Error::io("create folder", &self.staging_dir, e))?;
            self.staging_made.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let n = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // A rename keeps the file's time, so the stamp taken now holds once it is in place.
        let (tmp, written) = match &self.pool {
            Some(pool) => {
                let tmp = pool.take(&o.path, n);
                let written = overwrite_stamped(&tmp, &bytes, hash, source_mode(&o.body));
                (tmp, written)
            }
            None => {
                let tmp = self.staging_dir.join(n.to_string());
                let written = write_stamped(&tmp, &bytes, hash, source_mode(&o.body));
                (tmp, written)
            }
        };
        let stamp = written.map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::io("write", &tmp, e)
        })?;
        let replaces = existing.is_some();
        if let Ok(mut staged) = self.staged.lock() {
            staged.push((tmp, o.path.clone(), replaces, hash));
        }
        Ok(Some(stamp))
    }

    /// Write one output straight into its final place in the fresh tree.
    fn write_fresh(&self, tree: &Path, o: &Output) -> Result<Option<Stamp>> {
        let path = tree.join(&o.path);
        if let Some(parent) = path.parent() {
            let known = self.made_dirs.lock().map(|dirs| dirs.contains(parent)).unwrap_or(false);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
                if let Ok(mut dirs) = self.made_dirs.lock() {
                    dirs.insert(parent.to_path_buf());
                }
            }
        }
        let bytes = Content::of(&o.body)?;
        let hash = content_hash(&o.body, &bytes);
        let stamp = write_stamped(&path, &bytes, hash, source_mode(&o.body))
            .map_err(|e| Error::io("write", &path, e))?;
        self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Some(stamp))
    }

    /// The steps committing a fresh tree: moving its top-level entries into the output.
    fn fresh_steps(tree: &Path) -> Result<Vec<Step>> {
        let mut steps = Vec::new();
        if !tree.is_dir() {
            return Ok(steps);
        }
        let entries = std::fs::read_dir(tree).map_err(|e| Error::io("read folder", tree, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("read folder", tree, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            steps.push(Step::Move { from: Staged::Staging(format!("tree/{name}")), to: name, swap: None });
        }
        // Sorted, so that a build's commit steps come in the same order every time.
        steps.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        Ok(steps)
    }

    /// Move every staged file into place and remove the stale ones, all or nothing: the
    /// steps are written to a journal first, which the next build finishes should this one
    /// be stopped half-way (see [`recover`]).
    pub fn commit(self) -> Result<WriteStats> {
        let current = self.current.into_inner().unwrap_or_default();
        let staged = self.staged.into_inner().unwrap_or_default();
        let mut stats = WriteStats { unchanged: self.unchanged.into_inner(), ..WriteStats::default() };
        let steps = match &self.fresh_tree {
            Some(tree) => Staging::fresh_steps(tree)?,
            None => change_steps(&self.output, self.pool.is_some(), &self.previous, staged, &current),
        };
        let marker = marker_text(&self.output, &current);
        if !steps.is_empty() || marker.is_some() {
            journal::write(&self.output, &steps, marker.as_deref())?;
            let done = journal::replay(&self.output, &steps, false)?;
            stats.written = done.moved;
            stats.removed = done.removed;
        } else {
            let _ = std::fs::remove_dir_all(&self.staging_dir);
        }
        if self.fresh_tree.is_some() {
            stats.written = self.counter.into_inner();
        }
        // A rebuild that changed nothing has the stamps it read: they are left as they are.
        if let Some(stamps) = &self.stamps
            && current != self.previous
        {
            write_stamps(stamps, &current);
        }
        Ok(stats)
    }

    /// Remove every staged file (and folders left empty), as if the build never ran.
    pub fn abort(self) {
        // Staged files in the pool are kept for reuse; none of them is published.
        let _ = std::fs::remove_dir_all(&self.staging_dir);
        if !self.existed {
            let _ = std::fs::remove_dir(&self.output);
        }
    }
}

/// Files to write staged outputs into, kept from earlier builds of a series.
///
/// A kept file is named after the output it was last swapped with, and so holds that output's
/// old bytes: the next build writes the output's new bytes into it, which are mostly of the
/// same size, so the file system rarely has to cut a file or find new blocks for it.
struct Pool {
    dir: PathBuf,
    /// Names handed out in this build.
    given: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Names new files apart from the kept ones.
    session: u128,
}

impl Pool {
    /// The pool of `output`, made if need be; `None` if it cannot be made beside the output
    /// on the same file system (swapping files needs one file system).
    fn open(output: &Path) -> Option<Pool> {
        let dir = pool_dir(output)?;
        std::fs::create_dir_all(&dir).ok()?;
        if !same_file_system(&dir, output) {
            let _ = std::fs::remove_dir_all(&dir);
            return None;
        }
        let session = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Some(Pool { dir, given: Default::default(), session })
    }

    /// The file to stage output `rel` in: the one named after it (kept, or created when
    /// written). Each output is staged once per build; should a name come twice all the same,
    /// the second gets a name of its own (`n`).
    fn take(&self, rel: &str, n: usize) -> PathBuf {
        let name = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(rel.as_bytes()));
        let first = self.given.lock().is_ok_and(|mut given| given.insert(name.clone()));
        if first { self.dir.join(name) } else { self.dir.join(format!("{}-{n}", self.session)) }
    }
}

/// The steps committing staged changes to `output`: moving each staged file into place (one
/// after another: renaming in parallel only made the threads wait on the file system's locks,
/// measured on ext4 with 10,000 pages), then removing the files of `previous` not `current`.
/// With a pool, a file replacing another is swapped with it.
fn change_steps(
    output: &Path,
    pooled: bool,
    previous: &Manifest,
    staged: Vec<StagedFile>,
    current: &Manifest,
) -> Vec<Step> {
    let mut steps = Vec::with_capacity(staged.len());
    for (tmp, rel, replaces, hash) in staged {
        let Some(from) = Staged::of(&tmp, output) else { continue };
        // A file named by its bytes has no hash to tell a finished swap by: it is renamed
        // into place instead (its old file is not kept for the next build).
        let swap = if pooled && replaces { hash } else { None };
        steps.push(Step::Move { from, to: rel, swap });
    }
    let stale = previous.keys().filter(|path| !current.contains_key(*path));
    steps.extend(stale.map(|path| Step::Remove(path.clone())));
    steps
}

/// Where a series of builds into `output` keeps its files: `.NAME.signpost-pool` beside it.
pub fn pool_dir(output: &Path) -> Option<PathBuf> {
    let output = lexical_absolute(output);
    let name = output.file_name()?.to_string_lossy().into_owned();
    Some(output.parent()?.join(format!(".{name}.signpost-pool")))
}

/// Whether `a` and `b` are on one file system.
fn same_file_system(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        matches!((std::fs::metadata(a), std::fs::metadata(b)), (Ok(a), Ok(b)) if a.dev() == b.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Empty the staging folder of an interrupted build; a plain build (not `keep_pool`) also
/// removes the kept files a series of builds may have left beside the output.
fn clear_staging(output: &Path, keep_pool: bool) -> Result<()> {
    let staging_dir = output.join(STAGING_DIR);
    if staging_dir.exists() {
        std::fs::remove_dir_all(&staging_dir).map_err(|e| Error::io("remove", &staging_dir, e))?;
    }
    if !keep_pool && let Some(pool) = pool_dir(output).filter(|p| p.exists()) {
        std::fs::remove_dir_all(&pool).map_err(|e| Error::io("remove", &pool, e))?;
    }
    Ok(())
}

/// Remove the staging folder of `output` and the files kept beside it (when a series of
/// builds started with [`Staging::begin_reusing`] ends).
pub fn remove_staging(output: &Path) {
    let _ = std::fs::remove_dir_all(output.join(STAGING_DIR));
    if let Some(pool) = pool_dir(output) {
        let _ = std::fs::remove_dir_all(pool);
    }
}

/// Swap two files atomically (each path then names the other's file).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let status = unsafe {
        libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if status == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Whether `output` is missing or holds nothing but signpost's own bookkeeping, so that a
/// build may be written there as a whole new tree.
fn holds_no_build(output: &Path) -> bool {
    match std::fs::read_dir(output) {
        Ok(entries) => entries.flatten().all(|e| e.file_name() == STAGING_DIR || e.file_name() == MARKER),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests;

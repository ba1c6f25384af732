//! Watch the site's sources and turn file-system events into debounced rebuild batches.
//!
//! The watcher looks at `content/`, `themes/`, `templates/`, `static/` (recursively) and
//! `site.yaml`. Events are filtered ([`relevant_path`]), classified ([`event_changes`]),
//! folded per path into a [`Batch`] and released after [`QUIET`] without new events, so an
//! editor's atomic save (write a temporary file, rename it over the page) is one rebuild.
//!
//! Everything except [`Watcher`] itself is a plain function, tested without a file system.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{EventKind, ModifyKind, RenameMode};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};

/// How long the sources must stay quiet before a batch is released.
///
/// An editor's save, atomic or not, arrives as a burst of events well under a millisecond
/// apart, so 10 ms is enough to see it whole while adding little to the time between saving
/// and seeing the page (a quick rebuild of one page takes about as long again).
pub const QUIET: Duration = Duration::from_millis(10);
/// The longest a batch may keep growing while events keep coming.
pub const MAX_BATCH: Duration = Duration::from_millis(1000);
/// How often `--poll` scans the sources.
///
/// Each scan also hashes the files' contents: notify's poller keeps modification times in whole
/// seconds, so without that a second save within the same second would be missed.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// How often a waiting watcher checks whether it was asked to stop.
const STOP_CHECK: Duration = Duration::from_millis(100);

/// The folders under the site root that the build reads (data files and snippets included:
/// an edit to one must reach the pages that show it).
pub const WATCHED_DIRS: [&str; 6] =
    ["content", "themes", "templates", "static", crate::data::DATA_DIR, crate::shortcodes::SNIPPETS_DIR];
/// The configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// How one path changed within a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The path appeared.
    Created,
    /// The path's content (or metadata) changed.
    Modified,
    /// The path went away.
    Removed,
}

impl Change {
    /// The past participle used in messages.
    pub fn verb(self) -> &'static str {
        match self {
            Change::Created => "added",
            Change::Modified => "edited",
            Change::Removed => "removed",
        }
    }

    /// The net effect of `self` followed by `next` on one path; `None` when nothing is left.
    pub fn then(self, next: Change) -> Option<Change> {
        use Change::*;
        match (self, next) {
            (Created, Removed) => None,
            (Created, _) => Some(Created),
            (Removed, Created | Modified) => Some(Modified),
            (Removed, Removed) => Some(Removed),
            (Modified, Removed) => Some(Removed),
            (Modified, _) => Some(Modified),
        }
    }
}

/// A debounced set of source changes, keyed by path relative to the site root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// The net change of each path (`content/faq.md` → edited).
    pub changes: BTreeMap<String, Change>,
    /// The watcher lost events (queue overflow or an error): rebuild anyway.
    pub rescan: bool,
    /// Paths created and removed again within the batch (temporary files).
    transient: BTreeSet<String>,
    /// Paths a file was renamed onto: an atomic save (`sed -i`, most editors) replaces a
    /// file this way, so the rebuild line says "saved" rather than "added".
    renamed_onto: BTreeSet<String>,
}

impl Batch {
    /// Fold one more change of `path` into the batch.
    ///
    /// A path created and removed within the batch leaves no trace, even when the
    /// watcher reports its removal twice (inotify's rename halves and the paired event).
    pub fn add(&mut self, path: String, change: Change) {
        let net = match self.changes.get(&path) {
            Some(previous) => previous.then(change),
            None if change == Change::Removed && self.transient.contains(&path) => return,
            None => Some(change),
        };
        match net {
            Some(c) => {
                self.transient.remove(&path);
                self.changes.insert(path, c);
            }
            None => {
                self.changes.remove(&path);
                self.transient.insert(path);
            }
        }
    }

    /// The paths the batch changed (relative to the site root), or `None` when events were
    /// lost and anything may have changed.
    pub fn paths(&self) -> Option<Vec<String>> {
        (!self.rescan).then(|| self.changes.keys().cloned().collect())
    }

    /// Whether the batch calls for no rebuild.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.rescan
    }

    /// A short description for the rebuild line (`content/faq.md edited`).
    pub fn describe(&self) -> String {
        const SHOWN: usize = 3;
        match self.changes.len() {
            0 => "sources changed".to_string(),
            1 => {
                let (path, change) = self.changes.iter().next().expect("one change");
                let verb = match change {
                    Change::Created if self.renamed_onto.contains(path) => "saved",
                    _ => change.verb(),
                };
                format!("{path} {verb}")
            }
            n => {
                let names: Vec<&str> = self.changes.keys().take(SHOWN).map(String::as_str).collect();
                let more = if n > SHOWN { format!(" and {} more", n - SHOWN) } else { String::new() };
                format!("{n} files changed ({}{more})", names.join(", "))
            }
        }
    }
}

/// Whether a file name is an editor's scratch file (besides [`crate::source::is_ignored_name`]).
fn is_editor_scratch(name: &str) -> bool {
    crate::source::is_ignored_name(name)
        || name == "4913" // Vim's write-permission probe
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
}

/// The root-relative `/`-separated path of `path` when a change to it can affect the build.
///
/// `root` is the (absolute) site root; paths under any of `ignored` (the output folder),
/// hidden or editor scratch files and folders, and anything outside the watched sources
/// give `None`.
pub fn relevant_path(root: &Path, ignored: &[PathBuf], path: &Path) -> Option<String> {
    if ignored.iter().any(|dir| path.starts_with(dir)) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let first = parts.first()?;
    let top_level_ok = if parts.len() == 1 {
        first == CONFIG_FILE || WATCHED_DIRS.contains(&first.as_str())
    } else {
        WATCHED_DIRS.contains(&first.as_str())
    };
    if !top_level_ok || parts.iter().any(|p| is_editor_scratch(p)) {
        return None;
    }
    Some(parts.join("/"))
}

/// What one notify event says about its paths; access events say nothing.
pub fn event_changes(event: &notify::Event) -> Vec<(&Path, Change)> {
    let all = |change: Change| event.paths.iter().map(|p| (p.as_path(), change)).collect();
    match event.kind {
        EventKind::Access(_) => Vec::new(),
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => all(Change::Created),
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => all(Change::Removed),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => event
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_path(), if i == 0 { Change::Removed } else { Change::Created }))
            .collect(),
        EventKind::Modify(_) | EventKind::Any | EventKind::Other => all(Change::Modified),
    }
}

/// Fold one event into `batch`, keeping only relevant paths.
pub fn add_event(batch: &mut Batch, root: &Path, ignored: &[PathBuf], event: &notify::Event) {
    if event.need_rescan() {
        batch.rescan = true;
    }
    let renamed =
        matches!(event.kind, EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)));
    for (path, change) in event_changes(event) {
        if let Some(rel) = relevant_path(root, ignored, path) {
            if renamed && change == Change::Created {
                batch.renamed_onto.insert(rel.clone());
            }
            batch.add(rel, change);
        }
    }
}

/// How open browsers should catch up with a rebuild, judged by the output paths that changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Nothing visible changed.
    Nothing,
    /// Only stylesheets changed: swap them in place.
    Stylesheets,
    /// Reload the page.
    Page,
}

/// Whether a non-empty list of changed output paths holds only stylesheets.
pub fn is_css_only<S: AsRef<str>>(paths: &[S]) -> bool {
    !paths.is_empty() && paths.iter().all(|p| p.as_ref().to_ascii_lowercase().ends_with(".css"))
}

/// The refresh that a set of changed output paths calls for.
pub fn refresh_for<S: AsRef<str>>(changed_outputs: &[S]) -> Refresh {
    if changed_outputs.is_empty() {
        Refresh::Nothing
    } else if is_css_only(changed_outputs) {
        Refresh::Stylesheets
    } else {
        Refresh::Page
    }
}

/// The warnings already printed, so that each rebuild prints only the new ones.
#[derive(Debug, Default)]
pub struct SeenWarnings(HashSet<Diagnostic>);

impl SeenWarnings {
    /// The diagnostics of `diags` that the previous build did not have; remembers `diags`.
    pub fn fresh(&mut self, diags: &Diagnostics) -> Diagnostics {
        let mut fresh = Diagnostics::new();
        fresh.extend(diags.iter().filter(|d| !self.0.contains(*d)).cloned());
        self.0 = diags.iter().cloned().collect();
        fresh
    }
}

/// Absolute, lexically clean form of `path` (canonical when it exists).
pub fn absolute(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| crate::output::lexical_absolute(path))
}

/// A file-system watcher on a site's sources that hands out debounced batches.
pub struct Watcher {
    root: PathBuf,
    ignored: Vec<PathBuf>,
    backend: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    watched: HashSet<PathBuf>,
}

impl Watcher {
    /// Start watching the sources under `root`, ignoring anything under `ignored`.
    ///
    /// `poll` scans every [`POLL_INTERVAL`] instead of using the operating system's events
    /// (for network drives and containers).
    pub fn new(root: &Path, ignored: &[PathBuf], poll: bool) -> Result<Watcher> {
        let root = absolute(root);
        let (tx, events) = mpsc::channel();
        let backend: Box<dyn notify::Watcher + Send> = if poll {
            let config =
                notify::Config::default().with_poll_interval(POLL_INTERVAL).with_compare_contents(true);
            Box::new(notify::PollWatcher::new(tx, config).map_err(|e| watch_error(&root, e))?)
        } else {
            Box::new(notify::recommended_watcher(tx).map_err(|e| watch_error(&root, e))?)
        };
        let ignored = ignored.iter().map(|p| absolute(p)).collect();
        let mut watcher = Watcher { root, ignored, backend, events, watched: HashSet::new() };
        watcher.backend.watch(&watcher.root, RecursiveMode::NonRecursive).map_err(|e| {
            let root = watcher.root.clone();
            watch_error(&root, e)
        })?;
        watcher.refresh_watches();
        Ok(watcher)
    }

    /// The site root, as watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Watch source folders that appeared, forget ones that went away.
    fn refresh_watches(&mut self) {
        self.watched.retain(|dir| dir.is_dir());
        for name in WATCHED_DIRS {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.backend.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// Wait for the next non-empty batch; `None` once `stop` is set or the watcher died.
    pub fn next_batch(&mut self, stop: &AtomicBool) -> Option<Batch> {
        loop {
            let mut batch = Batch::default();
            match self.events.recv_timeout(STOP_CHECK) {
                Ok(event) => self.add(&mut batch, event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            if batch.is_empty() {
                continue;
            }
            self.settle(&mut batch);
            self.refresh_watches();
            if !batch.is_empty() {
                return Some(batch);
            }
        }
    }

    /// Keep adding events until the sources are quiet for [`QUIET`] (at most [`MAX_BATCH`]).
    fn settle(&mut self, batch: &mut Batch) {
        let give_up = Instant::now() + MAX_BATCH;
        while Instant::now() < give_up {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.add(batch, event),
                Err(_) => break,
            }
        }
    }

    fn add(&self, batch: &mut Batch, event: notify::Result<notify::Event>) {
        match event {
            Ok(event) => add_event(batch, &self.root, &self.ignored, &event),
            Err(_) => batch.rescan = true,
        }
    }
}

fn watch_error(root: &Path, e: notify::Error) -> Error {
    let source = match e.kind {
        notify::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    };
    Error::io("watch", root, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        let mut e = notify::Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    fn batch_of(events: &[notify::Event]) -> Batch {
        let mut batch = Batch::default();
        for e in events {
            add_event(&mut batch, Path::new("/site"), &[PathBuf::from("/site/public")], e);
        }
        batch
    }

    fn changes(batch: &Batch) -> Vec<(&str, Change)> {
        batch.changes.iter().map(|(p, c)| (p.as_str(), *c)).collect()
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Content));
    const CREATE: EventKind = EventKind::Create(CreateKind::File);
    const REMOVE: EventKind = EventKind::Remove(RemoveKind::File);
    const FROM: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::From));
    const TO: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::To));
    const BOTH: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    #[test]
    fn relevant_paths() {
        let root = Path::new("/site");
        let ignored = [PathBuf::from("/site/public")];
        let rel = |p: &str| relevant_path(root, &ignored, Path::new(p));
        assert_eq!(rel("/site/content/faq/a.md").as_deref(), Some("content/faq/a.md"));
        assert_eq!(rel("/site/site.yaml").as_deref(), Some("site.yaml"));
        assert_eq!(rel("/site/static").as_deref(), Some("static"));
        assert_eq!(rel("/site/data/offices.yaml").as_deref(), Some("data/offices.yaml"));
        assert_eq!(rel("/site/snippets/where-to-apply.md").as_deref(), Some("snippets/where-to-apply.md"));
        assert_eq!(
            rel("/site/themes/default/templates/page.html").as_deref(),
            Some("themes/default/templates/page.html")
        );
        for ignored_path in [
            "/site/public/index.html",
            "/site/README.md",
            "/site/.git/index",
            "/site",
            "/elsewhere/content/a.md",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/#a.md#",
            "/site/content/4913",
            "/site/content/.hidden/a.md",
            "/site/content/a.md___jb_tmp___",
            "/site/site.yaml.bak",
        ] {
            assert_eq!(rel(ignored_path), None, "{ignored_path}");
        }
    }

    #[test]
    fn atomic_save_by_rename_is_one_edit() {
        // Write a temporary file beside the page, then rename it over the page.
        let b = batch_of(&[
            event(CREATE, &["/site/content/a.md.tmp"]),
            event(WRITE, &["/site/content/a.md.tmp"]),
            event(BOTH, &["/site/content/a.md.tmp", "/site/content/a.md"]),
        ]);
        assert_eq!(changes(&b), [("content/a.md", Change::Created)]);
        // The same with a temporary name that is not ignored and separate rename halves.
        let b = batch_of(&[
            event(CREATE, &["/site/content/a.md.new"]),
            event(FROM, &["/site/content/a.md.new"]),
            event(TO, &["/site/content/a.md"]),
        ]);
        assert_eq!(changes(&b), [("content/a.md", Change::Created)]);
        // inotify reports a rename as its two halves and then as a pair (as `sed -i` does).
        let b = batch_of(&[
            event(CREATE, &["/site/content/sedX1"]),
            event(WRITE, &["/site/content/sedX1"]),
            event(FROM, &["/site/content/sedX1"]),
            event(TO, &["/site/content/a.md"]),
            event(BOTH, &["/site/content/sedX1", "/site/content/a.md"]),
        ]);
        assert_eq!(changes(&b), [("content/a.md", Change::Created)]);
        assert_eq!(b.describe(), "content/a.md saved", "not \"added\"");
        // Delete then recreate (some editors) is an edit.
        let b = batch_of(&[event(REMOVE, &["/site/content/a.md"]), event(CREATE, &["/site/content/a.md"])]);
        assert_eq!(changes(&b), [("content/a.md", Change::Modified)]);
    }

    #[test]
    fn transient_files_vanish_and_access_is_ignored() {
        let b = batch_of(&[
            event(CREATE, &["/site/content/scratch"]),
            event(WRITE, &["/site/content/scratch"]),
            event(REMOVE, &["/site/content/scratch"]),
            event(EventKind::Access(notify::event::AccessKind::Any), &["/site/content/a.md"]),
            event(WRITE, &["/site/public/index.html"]),
        ]);
        assert!(b.is_empty(), "{b:?}");
    }

    #[test]
    fn renames_and_folder_moves() {
        let b = batch_of(&[event(BOTH, &["/site/content/old.md", "/site/content/new.md"])]);
        assert_eq!(changes(&b), [("content/new.md", Change::Created), ("content/old.md", Change::Removed)]);
        let b = batch_of(&[event(CREATE, &["/site/content/new.md"])]);
        assert_eq!(b.describe(), "content/new.md added");
        let b = batch_of(&[event(TO, &["/site/content/guides"]), event(FROM, &["/site/static/img"])]);
        assert_eq!(changes(&b), [("content/guides", Change::Created), ("static/img", Change::Removed)]);
        let b = batch_of(&[event(WRITE, &["/site/content/a.md"]), event(REMOVE, &["/site/content/a.md"])]);
        assert_eq!(changes(&b), [("content/a.md", Change::Removed)]);
    }

    #[test]
    fn overflow_forces_a_rebuild() {
        let b = batch_of(&[event(EventKind::Other, &[]).set_flag(notify::event::Flag::Rescan)]);
        assert!(b.rescan && !b.is_empty());
    }

    #[test]
    fn batches_list_their_paths_unless_events_were_lost() {
        let saved = batch_of(&[
            event(CREATE, &["/site/content/a.md.new"]),
            event(FROM, &["/site/content/a.md.new"]),
            event(TO, &["/site/content/a.md"]),
        ]);
        assert_eq!(saved.paths(), Some(vec!["content/a.md".to_string()]));
        let two = batch_of(&[event(WRITE, &["/site/content/b.md", "/site/templates/page.html"])]);
        assert_eq!(two.paths(), Some(vec!["content/b.md".to_string(), "templates/page.html".to_string()]));
        let mut lost = batch_of(&[event(WRITE, &["/site/content/a.md"])]);
        lost.rescan = true;
        assert_eq!(lost.paths(), None);
    }

    #[test]
    fn describes_batches() {
        let b = batch_of(&[event(WRITE, &["/site/content/a.md"])]);
        assert_eq!(b.describe(), "content/a.md edited");
        let b = batch_of(&[event(
            WRITE,
            &[
                "/site/content/a.md",
                "/site/content/b.md",
                "/site/c",
                "/site/content/d.md",
                "/site/content/e.md",
            ],
        )]);
        assert_eq!(b.describe(), "4 files changed (content/a.md, content/b.md, content/d.md and 1 more)");
    }

    #[test]
    fn css_only_refresh() {
        assert_eq!(refresh_for::<&str>(&[]), Refresh::Nothing);
        assert_eq!(refresh_for(&["style.css", "highlight.CSS"]), Refresh::Stylesheets);
        assert_eq!(refresh_for(&["style.css", "index.html"]), Refresh::Page);
        assert!(!is_css_only::<&str>(&[]));
    }

    #[test]
    fn only_new_warnings_are_shown_again() {
        let all = |messages: &[&str]| {
            let mut d = Diagnostics::new();
            d.extend(messages.iter().map(|m| Diagnostic::warning(*m)));
            d
        };
        let mut seen = SeenWarnings::default();
        assert_eq!(seen.fresh(&all(&["a", "b"])).len(), 2);
        let fresh = seen.fresh(&all(&["a", "b", "c"]));
        assert_eq!(fresh.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["c"]);
        assert!(seen.fresh(&all(&["a", "b", "c"])).is_empty());
        assert_eq!(seen.fresh(&all(&["b"])).len(), 0);
        assert_eq!(seen.fresh(&all(&["a"])).len(), 1, "a warning that comes back is shown again");
    }

    #[test]
    fn absolute_paths_are_clean() {
        let p = absolute(Path::new("/no/such/../place/./x"));
        assert_eq!(p, PathBuf::from("/no/place/x"));
    }
}

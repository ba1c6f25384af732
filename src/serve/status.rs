//! The live content-status report of `serve`, at [`STATUS_PATH`].
//!
//! The report reads every page of the site, so it is made on the first request for it after a
//! rebuild, not by the rebuild: a one-page edit pays nothing for it unless the report is being
//! looked at. The rebuilds and the page share the [`Session`]; a rebuild holds it from its start
//! until its snapshot is served, so the page is always made from the build being served.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use axum::body::Bytes;

use crate::session::Session;

use super::{File, Snapshot, inject_reload_script, new_file};

/// The reserved output path of the live content-status report (never in `build` output).
pub const STATUS_PATH: &str = "_signpost/status/index.html";

/// The rebuild session and the status page last made from it.
#[derive(Default)]
pub(super) struct LiveStatus {
    /// The rebuilds' session.
    session: Mutex<Session>,
    /// Successful builds so far; the page is made again when it counts more than `page`'s.
    builds: AtomicU64,
    /// The page, and the count of builds it was made at.
    page: Mutex<Option<(u64, File)>>,
}

impl LiveStatus {
    /// The session, for a rebuild; hold it until the rebuild's snapshot is installed.
    pub(super) fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Count a successful build (called with the session held): the page is now out of date.
    pub(super) fn rebuilt(&self) {
        self.builds.fetch_add(1, Ordering::SeqCst);
    }

    /// The page for the build being served (`snapshot`): the one made already when no build
    /// has succeeded since, else a new one. `None` before any successful build. Blocks while a
    /// rebuild runs.
    pub(super) fn page(&self, snapshot: impl FnOnce() -> std::sync::Arc<Snapshot>) -> Option<File> {
        let session = self.session();
        let builds = self.builds.load(Ordering::SeqCst);
        let mut page = self.page.lock().unwrap_or_else(|e| e.into_inner());
        let made = page.as_ref().filter(|(at, _)| *at == builds).map(|(_, file)| file.clone());
        // A failed rebuild may have dropped the last build: the last page still stands then.
        let Some(last) = session.last_build() else { return page.as_ref().map(|(_, f)| f.clone()) };
        if made.is_some() {
            return made;
        }
        let options = crate::report::Options::from_env().ok()?;
        let snapshot = snapshot();
        // Page weights leave the reload script out, so they are those `signpost report` gives.
        let script = inject_reload_script(b"").len() as u64;
        let html = {
            let files = snapshot.files.iter().map(|(path, file)| (path.as_str(), &file.bytes[..]));
            let files = crate::report::Files::from_bytes(files, script);
            crate::report::html::page(&crate::report::collect(
                &crate::report::Inputs { last, files: &files },
                &options,
            ))
        };
        let bytes = Bytes::from(inject_reload_script(html.as_bytes()));
        let file = match page.as_ref() {
            Some((_, old)) if old.bytes == bytes => old.clone(),
            _ => new_file(STATUS_PATH, bytes, snapshot.generation),
        };
        *page = Some((builds, file.clone()));
        Some(file)
    }
}

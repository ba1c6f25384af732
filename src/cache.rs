//! The building blocks of memoisation, below every stage: fingerprints, the output memo and
//! Signpost's cache folder. It imports no other module of the crate.
//!
//! Every memo is keyed by the complete input of a step: a Markdown body is rendered again
//! only when its text, kind, language or the Markdown settings changed (the Markdown stage's
//! `BodyMemo`), and a page goes through its template again only when the fingerprint of
//! everything its template can see (its context, the shared values, the templates themselves)
//! changed ([`OutputMemo`]). Each stage defines its own memo; the `session` module keeps them
//! between builds. Results are therefore byte-identical to a clean build by construction,
//! which `tests/incremental.rs` checks edit by edit.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Signpost's folder for caches kept between runs: `$SIGNPOST_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/signpost`, else `$HOME/.cache/signpost`.
pub fn cache_dir() -> Option<std::path::PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(std::path::PathBuf::from);
    if let Some(dir) = var("SIGNPOST_CACHE_DIR") {
        return Some(dir);
    }
    let base = var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache")))?;
    Some(base.join("signpost"))
}

/// Rendered outputs by output path.
pub type Outputs = HashMap<String, Remembered>;

/// What a build remembers of one output it rendered.
#[derive(Clone)]
pub struct Remembered {
    /// Fingerprint of everything the output was rendered from.
    pub fp: u64,
    /// Fingerprint of the part of that which comes from the content alone (the page's view),
    /// so that a rebuild after a template edit need not compute it again.
    pub view: u64,
    /// The output.
    pub html: Arc<str>,
}

/// Output memo used during one render: reads last build's outputs, records this build's.
pub struct OutputMemo<'a> {
    previous: Option<&'a Outputs>,
    next: Mutex<Outputs>,
    /// Whether the content is the last build's (only templates changed), so that each view
    /// fingerprint is the one remembered.
    views_unchanged: bool,
    /// How many outputs were reused.
    pub hits: std::sync::atomic::AtomicUsize,
}

impl<'a> OutputMemo<'a> {
    /// A memo over `previous` (none for a plain build, which remembers nothing).
    pub fn new(previous: Option<&'a Outputs>) -> Self {
        OutputMemo {
            previous,
            next: Mutex::new(HashMap::new()),
            views_unchanged: false,
            hits: Default::default(),
        }
    }

    /// Declare the content unchanged since the last build: only templates changed.
    pub fn with_unchanged_views(mut self, unchanged: bool) -> Self {
        self.views_unchanged = unchanged;
        self
    }

    /// The view fingerprint of the output at `path`: the remembered one when the content is
    /// unchanged, else `compute()`'s.
    pub fn view(&self, path: &str, compute: impl FnOnce() -> u64) -> u64 {
        let remembered = self.views_unchanged.then(|| self.previous?.get(path)).flatten();
        remembered.map_or_else(compute, |r| r.view)
    }

    /// Last build's output at `path` when its fingerprint was `fp` (and remember it again).
    pub fn reuse(&self, path: &str, fp: u64) -> Option<Arc<str>> {
        let remembered = self.previous?.get(path).filter(|r| r.fp == fp)?;
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), remembered.clone());
        }
        Some(Arc::clone(&remembered.html))
    }

    /// The output at `path` for a context with fingerprint `fp`: reused when it matches the
    /// last build, else rendered by `render` (and remembered when a cache is in use). The
    /// second value says whether the output was reused (and so is already on disk).
    pub fn get_or_render<E>(
        &self,
        path: &str,
        (fp, view): (u64, u64),
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<(Arc<str>, bool), E> {
        if let Some(html) = self.reuse(path, fp) {
            return Ok((html, true));
        }
        let html: Arc<str> = Arc::from(render()?);
        if self.enabled()
            && let Ok(mut next) = self.next.lock()
        {
            next.insert(path.to_string(), Remembered { fp, view, html: Arc::clone(&html) });
        }
        Ok((html, false))
    }

    /// Whether outputs are remembered at all.
    pub fn enabled(&self) -> bool {
        self.previous.is_some()
    }

    /// This build's outputs, to keep for the next one.
    pub fn into_next(self) -> Outputs {
        self.next.into_inner().unwrap_or_default()
    }
}

/// The fingerprint of an output from the fingerprint of what every output shares and that of
/// its own view.
pub fn combine(shared: u64, view: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(&view.to_le_bytes(), shared)
}

/// A fast, deterministic 64-bit hasher for fingerprints (FNV-1a over 8-byte words would do;
/// std's SipHash with fixed keys is deterministic and fast enough for our sizes).
pub fn hasher() -> std::hash::DefaultHasher {
    std::hash::DefaultHasher::new()
}

/// Fingerprint any serializable value (by its JSON form) plus extra hashable parts.
///
/// The JSON goes into a buffer hashed in one go: each page's context is fingerprinted on
/// every rebuild, and feeding the hasher piece by piece cost as much as serialising.
pub fn fingerprint<T: serde::Serialize + ?Sized>(value: &T, extra: impl Hash) -> u64 {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut h = hasher();
    extra.hash(&mut h);
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let _ = serde_json::to_writer(&mut *buffer, value);
        xxhash_rust::xxh3::xxh3_64_with_seed(buffer, h.finish())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_reuses_only_matching_fingerprints() {
        let mut previous = HashMap::new();
        let old = Remembered { fp: 7, view: 70, html: Arc::from("old") };
        previous.insert("a.html".to_string(), old);
        let memo = OutputMemo::new(Some(&previous));
        let (same, reused) =
            memo.get_or_render("a.html", (7, 70), || Ok::<_, ()>("new".to_string())).unwrap();
        assert_eq!((&*same, reused), ("old", true));
        let (changed, reused) =
            memo.get_or_render("a.html", (8, 80), || Ok::<_, ()>("new".to_string())).unwrap();
        assert_eq!((&*changed, reused), ("new", false));
        assert_eq!(memo.hits.load(std::sync::atomic::Ordering::Relaxed), 1);
        let next = memo.into_next();
        assert_eq!((next["a.html"].fp, next["a.html"].view), (8, 80));
    }

    #[test]
    fn view_fingerprints_are_remembered_only_while_the_content_is_unchanged() {
        let mut previous = HashMap::new();
        previous.insert("a.html".to_string(), Remembered { fp: 7, view: 70, html: Arc::from("old") });
        let fresh = OutputMemo::new(Some(&previous));
        assert_eq!(fresh.view("a.html", || 71), 71, "content may have changed: computed");
        let templates_only = OutputMemo::new(Some(&previous)).with_unchanged_views(true);
        assert_eq!(templates_only.view("a.html", || 71), 70, "content unchanged: remembered");
        assert_eq!(templates_only.view("b.html", || 72), 72, "nothing remembered: computed");
    }

    #[test]
    fn fingerprints_follow_content() {
        assert_eq!(fingerprint(&["a", "b"], 1), fingerprint(&["a", "b"], 1));
        assert_ne!(fingerprint(&["a", "b"], 1), fingerprint(&["a", "c"], 1));
        assert_ne!(fingerprint(&["a", "b"], 1), fingerprint(&["a", "b"], 2));
    }
}

//! Discovery: walk `content/` (sorted) and read every Markdown file once.
//!
//! Walk problems (symlink loops, unreadable files, links out of the site, non-UTF-8 text)
//! become diagnostics, never silently dropped files.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Location};

/// A Markdown source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators (`faq/lost-card.md`).
    pub rel: String,
    /// Path for messages, relative to the site root (`content/faq/lost-card.md`).
    pub display: PathBuf,
    /// Path on disk.
    pub abs: PathBuf,
    /// The text, without a BOM and with lone CR line ends turned into LF (same byte length).
    /// Shared: `watch` keeps every text between builds, and copying them all on each rebuild
    /// (into the caches, out again) cost more than the rebuild of a page.
    pub text: Arc<String>,
}

/// A non-Markdown file in `content/`, copied beside the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path relative to `content/`, `/` separators.
    pub rel: String,
    /// Path on disk.
    pub abs: PathBuf,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Markdown files in path order.
    pub sources: Vec<SourceFile>,
    /// Other files in path order.
    pub assets: Vec<Asset>,
    /// Problems met while walking or reading.
    pub diagnostics: Vec<Diagnostic>,
    /// With a text cache: each source's modification time and size, as seen before reading
    /// it (in the order of `sources`), for [`remember`].
    pub stamps: Vec<Option<(std::time::SystemTime, u64)>>,
}

/// Whether a file name is an editor's temporary or a hidden file that must never be published.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn relative_string(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

fn file_location(display: PathBuf) -> Location {
    Location { file: display, line: 1, column: 1, length: 1 }
}

/// Walk `content_dir` and read its Markdown files in parallel.
///
/// `site_root` bounds where symlinks may point; `display_prefix` is how `content_dir`
/// is shown in messages (normally `content`).
pub fn discover(content_dir: &Path, site_root: &Path) -> Discovered {
    discover_cached(content_dir, site_root, None)
}

/// Texts read by an earlier walk, by path, with the modification time and size they had.
pub type TextCache = std::collections::HashMap<PathBuf, (std::time::SystemTime, u64, Arc<String>)>;

/// [`discover`], reusing the text of files whose modification time and size are unchanged
/// since `previous` was filled (by [`remember`]).
pub fn discover_cached(content_dir: &Path, site_root: &Path, previous: Option<&TextCache>) -> Discovered {
    let mut found = Discovered::default();
    if !content_dir.is_dir() {
        found.diagnostics.push(
            Diagnostic::error(format!("there is no `content` folder in `{}`", site_root.display()))
                .with_hint("run `signpost init` to create a site, or pass `--root` to point at one"),
        );
        return found;
    }
    let canonical_root = site_root.canonicalize().unwrap_or_else(|_| site_root.to_path_buf());
    let mut markdown = Vec::new();
    let mut walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                found.diagnostics.push(walk_error(&err, content_dir, site_root));
                continue;
            }
        };
        if let Some(target) = link_out_of_site(&entry, &canonical_root) {
            found.diagnostics.push(link_out_of_site_error(entry.path(), &target, site_root));
            if entry.file_type().is_dir() {
                // Nothing below a linked folder outside the site is read.
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Some(rel) = relative_string(path, content_dir) else { continue };
        if rel.ends_with(".md") {
            markdown.push((rel, path.to_path_buf()));
        } else {
            found.assets.push(Asset { rel, abs: path.to_path_buf() });
        }
    }
    let read: Vec<(Result<SourceFile, Diagnostic>, Option<_>)> = markdown
        .into_par_iter()
        .map(|(rel, abs)| {
            let Some(cache) = previous else { return (read_source(rel, abs, site_root), None) };
            let stamp = stamp(&abs);
            match cache.get(&abs).filter(|(modified, len, _)| stamp == Some((*modified, *len))) {
                Some((_, _, text)) => {
                    let text = Arc::clone(text);
                    (Ok(SourceFile { display: display_path(&abs, site_root), rel, abs, text }), stamp)
                }
                None => (read_source(rel, abs, site_root), stamp),
            }
        })
        .collect();
    for (result, stamp) in read {
        match result {
            Ok(source) => {
                found.sources.push(source);
                if previous.is_some() {
                    found.stamps.push(stamp);
                }
            }
            Err(d) => found.diagnostics.push(d),
        }
    }
    found
}

/// The error for an entry of `content_dir` that could not be walked.
fn walk_error(err: &walkdir::Error, content_dir: &Path, site_root: &Path) -> Diagnostic {
    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| content_dir.to_path_buf());
    let display = display_path(&path, site_root);
    let message = if err.loop_ancestor().is_some() {
        format!("symlink loop at `{}`", display.display())
    } else {
        format!("could not read `{}`: {}", display.display(), err)
    };
    Diagnostic::error(message)
        .at(file_location(display))
        .with_hint("remove the link or fix the file's permissions")
}

/// Where the symlink `entry` leads, when that is outside the site (`canonical_root`, already
/// canonical): such links are refused in every folder the build reads, since following one
/// would publish whatever it points at (`static/etc -> /etc` published `/etc/shadow`).
pub fn link_out_of_site(entry: &walkdir::DirEntry, canonical_root: &Path) -> Option<PathBuf> {
    if !entry.path_is_symlink() {
        return None;
    }
    let target = entry.path().canonicalize().unwrap_or_else(|_| entry.path().to_path_buf());
    (!target.starts_with(canonical_root)).then_some(target)
}

/// The error for a symlink at `path` that leads to `target`, outside the site.
pub fn link_out_of_site_error(path: &Path, target: &Path, site_root: &Path) -> Diagnostic {
    let display = display_path(path, site_root);
    Diagnostic::error(format!(
        "`{}` is a symlink to `{}`, outside the site",
        display.display(),
        target.display()
    ))
    .at(file_location(display))
    .with_hint("copy the file into the site instead of linking to it")
}

/// Every symlink leading out of the site below the folders the build reads besides
/// `content/` (`static/`, `templates/`, `themes/`), as errors. Their files are skipped where
/// they are read (see [`crate::theme::collect_dir`]); this reports them once.
pub fn links_out_of_site(site_root: &Path) -> Vec<Diagnostic> {
    let canonical_root = site_root.canonicalize().unwrap_or_else(|_| site_root.to_path_buf());
    let mut found = Vec::new();
    for dir in ["static", "templates", "themes", "data", "snippets"].map(|d| site_root.join(d)) {
        if std::fs::symlink_metadata(&dir).is_err() {
            continue;
        }
        let mut walker = WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walker.next() {
            let Ok(entry) = entry else { continue };
            if let Some(target) = link_out_of_site(&entry, &canonical_root) {
                found.push(link_out_of_site_error(entry.path(), &target, site_root));
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
            }
        }
    }
    found
}

fn stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// Remember the texts `found` for the next [`discover_cached`] (with the times and sizes
/// seen while discovering them, so nothing is looked at twice).
pub fn remember(found: &Discovered) -> TextCache {
    found
        .sources
        .iter()
        .zip(&found.stamps)
        .filter_map(|(s, stamp)| {
            stamp.map(|(modified, len)| (s.abs.clone(), (modified, len, Arc::clone(&s.text))))
        })
        .collect()
}

impl SourceFile {
    /// Drop the text once every stage that reads it has run (a one-off build keeps no copy:
    /// on a large site the texts are a fifth of its memory).
    pub fn release_text(&mut self) {
        self.text = Arc::default();
    }

    /// The text, for placing a message: the one in memory, or, once released, the file's
    /// again (messages are rare; keeping every text for them is not worth it).
    pub fn text_for_messages(&self) -> std::borrow::Cow<'_, str> {
        if !self.text.is_empty() {
            return std::borrow::Cow::Borrowed(self.text.as_str());
        }
        std::fs::read(&self.abs)
            .ok()
            .and_then(|bytes| decode(bytes).ok())
            .map(std::borrow::Cow::Owned)
            .unwrap_or_default()
    }

    /// The text up to byte `len` (the front matter, when `len` is the body's offset), for a
    /// message: once the text is released, the file is read no further than that, since a
    /// large page read again whole would be as large as its text.
    pub fn head_for_messages(&self, len: usize) -> std::borrow::Cow<'_, str> {
        if !self.text.is_empty() {
            return std::borrow::Cow::Borrowed(head(&self.text, len));
        }
        use std::io::Read as _;
        // A byte order mark is not in the text: room for it.
        let mut bytes = Vec::new();
        let read =
            std::fs::File::open(&self.abs).and_then(|file| file.take(len as u64 + 3).read_to_end(&mut bytes));
        if read.is_err() {
            return std::borrow::Cow::Borrowed("");
        }
        // Cut inside a character: the text before it.
        let valid = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
        bytes.truncate(valid);
        let mut text = decode(bytes).unwrap_or_default();
        text.truncate(head(&text, len).len());
        std::borrow::Cow::Owned(text)
    }
}

/// `text` up to byte `len`, or to the character boundary before it.
fn head(text: &str, len: usize) -> &str {
    let end = (0..=len.min(text.len())).rev().find(|&i| text.is_char_boundary(i));
    &text[..end.unwrap_or(0)]
}

/// How a path is shown in messages: relative to the site root when possible.
pub fn display_path(path: &Path, site_root: &Path) -> PathBuf {
    path.strip_prefix(site_root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// The largest Markdown page read, in bytes (64 MiB). A build holds a page's text, its search
/// text and its links at once, 1.5 to 3 times its size (a 200 MB page once needed 4.96 GiB,
/// 25 times); a large page's HTML waits in a temporary file, and its output is written to its
/// file part by part, never whole.
pub const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Read one Markdown file, normalising what can be normalised without moving byte offsets.
pub fn read_source(rel: String, abs: PathBuf, site_root: &Path) -> Result<SourceFile, Diagnostic> {
    let display = display_path(&abs, site_root);
    if let Ok(meta) = std::fs::metadata(&abs)
        && meta.len() > MAX_PAGE_BYTES
    {
        return Err(Diagnostic::error(format!(
            "`{}` is {} MiB, larger than the limit of {} MiB for one page",
            display.display(),
            meta.len().div_ceil(1024 * 1024),
            MAX_PAGE_BYTES / (1024 * 1024)
        ))
        .at(file_location(display))
        .with_hint("split it into several pages, or move large data into a file beside it"));
    }
    let bytes = std::fs::read(&abs).map_err(|e| {
        Diagnostic::error(format!("could not read `{}`: {e}", display.display()))
            .at(file_location(display.clone()))
            .with_hint("check that the file exists and is readable")
    })?;
    let text = decode(bytes).map_err(|(line, column)| {
        Diagnostic::error(format!("`{}` is not valid UTF-8 text", display.display()))
            .at(Location { file: display.clone(), line, column, length: 1 })
            .with_hint("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
    })?;
    Ok(SourceFile { rel, display, abs, text: Arc::new(text) })
}

/// UTF-8 decode, strip a BOM, turn lone CRs into LFs. On failure, the line and column of
/// the first bad byte.
fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
            return Err((line, column));
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        let bytes = text.as_bytes();
        let fixed: Vec<u8> = bytes
            .iter()
            .enumerate()
            .map(|(i, &b)| if b == b'\r' && bytes.get(i + 1) != Some(&b'\n') { b'\n' } else { b })
            .collect();
        text = String::from_utf8(fixed).unwrap_or(text);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_lone_cr() {
        let text = decode("\u{feff}a\rb\r\nc".as_bytes().to_vec()).unwrap();
        assert_eq!(text, "a\nb\r\nc");
    }

    #[test]
    fn decode_reports_bad_byte_position() {
        let mut bytes = b"line one\nab".to_vec();
        bytes.push(0xff);
        assert_eq!(decode(bytes), Err((2, 3)));
    }

    #[test]
    fn the_head_of_a_released_text_is_read_from_its_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        let front = "---\ntitle: 办理\ndescription:\n---\n";
        std::fs::write(&path, format!("\u{feff}{front}Body 办理 text.\n")).unwrap();
        let mut source = read_source("page.md".into(), path, dir.path()).unwrap();
        assert_eq!(source.head_for_messages(front.len()), front);
        // Cut inside a character: the text before it.
        assert_eq!(source.head_for_messages(front.len() + 6), format!("{front}Body "));
        source.release_text();
        assert_eq!(source.head_for_messages(front.len()), front);
        assert_eq!(source.head_for_messages(front.len() + 6), format!("{front}Body "));
        assert_eq!(source.head_for_messages(12), "---\ntitle: ");
        assert_eq!(source.head_for_messages(13), "---\ntitle: ", "not into a character");
    }

    #[test]
    fn ignored_names() {
        assert!(is_ignored_name(".hidden.md"));
        assert!(is_ignored_name("page.md~"));
        assert!(is_ignored_name("#page.md#"));
        assert!(!is_ignored_name("page.md"));
    }

    #[test]
    fn discovers_sorted_and_splits_assets() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("b")).unwrap();
        std::fs::write(content.join("b/z.md"), "x").unwrap();
        std::fs::write(content.join("a.md"), "x").unwrap();
        std::fs::write(content.join("b/file.pdf"), "x").unwrap();
        std::fs::write(content.join("b/.draft.md.swp"), "x").unwrap();
        let found = discover(&content, dir.path());
        let rels: Vec<_> = found.sources.iter().map(|s| s.rel.as_str()).collect();
        assert_eq!(rels, ["a.md", "b/z.md"]);
        assert_eq!(found.assets.len(), 1);
        assert_eq!(found.sources[0].display, PathBuf::from("content/a.md"));
    }
}

//! A large body's HTML kept in an unnamed temporary file rather than in memory. The HTML of a
//! body is about one and a half times its text and is kept from the Markdown stage until the
//! page is written; for a large page it was the largest thing in memory at the build's peak.
//! It is written out as it renders, in parts that each end between two top-level blocks (so no
//! tag or link placeholder is cut), and read back part by part as the page is written.
//!
//! The file is made in the folder that holds the output folder, where the build writes anyway,
//! rather than in the system's temporary folder: that is memory (tmpfs) on many systems, where
//! the HTML would leave the process's count but not the machine's memory.

use std::fs::File;
use std::io::{self, Write as _};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Rendered;
use crate::front_matter::Kind;

/// The least size of a part: the HTML rendered so far is written out once it is this long.
pub(super) const PART_BYTES: usize = 256 * 1024;

/// The most bodies kept in files at once. Each holds its file open until the build is done;
/// a site of many large pages keeps the rest in memory rather than run out of open files.
const MOST_OPEN: usize = 64;

/// How many bodies are in files now.
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// One of the [`MOST_OPEN`] places, given back when dropped.
#[derive(Debug)]
struct Slot;

impl Slot {
    fn take() -> Option<Slot> {
        let taken = OPEN.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |open| {
            (open < MOST_OPEN).then_some(open + 1)
        });
        taken.is_ok().then_some(Slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A body's HTML in a file of its own, which no other process can open: it is unnamed, or
/// removed as soon as it is made, and goes away with the last handle.
#[derive(Debug)]
pub struct Spilled {
    file: File,
    /// Where each part ends in the file.
    ends: Vec<u64>,
    /// Whether a part holds [`super::CODE_CLASS`], noted as it was written so that the page
    /// need not read the file back to know.
    has_code: bool,
    _slot: Slot,
}

impl Spilled {
    /// The number of bytes of the HTML.
    pub fn len(&self) -> usize {
        self.ends.last().map_or(0, |&end| usize::try_from(end).unwrap_or(usize::MAX))
    }

    /// Whether the HTML is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the HTML holds a code block ([`super::CODE_CLASS`]).
    pub fn has_code(&self) -> bool {
        self.has_code
    }

    /// Hands the HTML to `push` part by part, each part whole blocks.
    pub fn each_part(&self, push: &mut dyn FnMut(&str)) -> io::Result<()> {
        let mut buf = Vec::new();
        let mut start = 0;
        for &end in &self.ends {
            buf.resize(usize::try_from(end - start).unwrap_or(usize::MAX), 0);
            read_exact_at(&self.file, &mut buf, start)?;
            let part =
                std::str::from_utf8(&buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            push(part);
            start = end;
        }
        Ok(())
    }
}

impl Rendered {
    /// The number of bytes of the body HTML, wherever it is kept.
    pub fn html_len(&self) -> usize {
        self.spilled.as_ref().map_or(self.html.len(), |spilled| spilled.len())
    }

    /// The body HTML with its links filled in (see [`super::fill_links`]).
    pub fn filled_html(&self, urls: &[Option<Arc<str>>]) -> io::Result<String> {
        if self.spilled.is_none() {
            return Ok(super::fill_links(&self.html, &self.links, urls));
        }
        let mut out = String::with_capacity(self.html_len() + 64);
        self.each_html_part(&mut |part| {
            super::fill_links_with(part, &self.links, urls, &mut |filled| out.push_str(filled))
        })?;
        Ok(out)
    }

    /// Hands the body HTML to `push`: whole, or part by part when it is in a file, each part
    /// whole blocks (so a link placeholder is never cut).
    pub fn each_html_part(&self, push: &mut dyn FnMut(&str)) -> io::Result<()> {
        match &self.spilled {
            Some(spilled) => spilled.each_part(push),
            None => {
                push(&self.html);
                Ok(())
            }
        }
    }
}

/// Where the HTML of a body cut into `pieces` goes as it is written: a file, for a body cut
/// into more than one piece other than a law's. Such a body holds no `<!`, so its HTML holds
/// no `<!-- more -->` the summary is cut at; a law's HTML is looked through for the ends of
/// its articles once written.
pub(super) fn spills(dir: &Path, pieces: &[Range<usize>], kind: Kind) -> Option<Spill> {
    if pieces.len() < 2 || kind == Kind::Law {
        return None;
    }
    Spill::create(dir)
}

/// Where the HTML of a body of `len` bytes cut into `pieces` goes when `wanted` (see
/// [`spills`]), and the buffer it is written into: room for two parts when it goes into a
/// file, else for all of it (HTML is about one and a half times its Markdown).
pub(super) fn start(
    dir: Option<&Path>,
    pieces: &[Range<usize>],
    kind: Kind,
    len: usize,
) -> (Option<Spill>, String) {
    let spill = dir.and_then(|dir| spills(dir, pieces, kind));
    let room = if spill.is_some() { 2 * PART_BYTES } else { len * 3 / 2 };
    (spill, String::with_capacity(room))
}

/// The file the HTML went into, with `html`, what was rendered after the last part, written
/// out as the last; `Ok(None)` without a file, `Err` when a write failed.
pub(super) fn finish(spill: Option<Spill>, html: &mut String) -> Result<Option<Arc<Spilled>>, ()> {
    let Some(mut spill) = spill else { return Ok(None) };
    spill.write(html);
    spill.finish().map(|spilled| Some(Arc::new(spilled))).ok_or(())
}

/// A body's HTML on its way into a file (see [`Spilled`]).
pub(super) struct Spill {
    file: File,
    ends: Vec<u64>,
    written: u64,
    failed: bool,
    has_code: bool,
    slot: Slot,
}

impl Spill {
    /// A new, empty file in `dir`; `None` when none can be made, or [`MOST_OPEN`] are open
    /// (the HTML is then kept in memory).
    pub(super) fn create(dir: &Path) -> Option<Spill> {
        let slot = Slot::take()?;
        let file = unnamed_file(dir).ok()?;
        Some(Spill { file, ends: Vec::new(), written: 0, failed: false, has_code: false, slot })
    }

    /// Write `html` out as the next part, and clear it. A part ends between two blocks, so a
    /// tag (and [`super::CODE_CLASS`] in it) is never cut.
    pub(super) fn write(&mut self, html: &mut String) {
        if self.failed || html.is_empty() {
            return;
        }
        self.has_code = self.has_code || memchr::memmem::find(html.as_bytes(), super::CODE_CLASS).is_some();
        match self.file.write_all(html.as_bytes()) {
            Ok(()) => {
                self.written += html.len() as u64;
                self.ends.push(self.written);
                html.clear();
            }
            Err(_) => self.failed = true,
        }
    }

    /// The HTML written; `None` when a write failed (the body is then rendered again in memory).
    pub(super) fn finish(self) -> Option<Spilled> {
        let Spill { file, ends, failed, has_code, slot, .. } = self;
        (!failed).then_some(Spilled { file, ends, has_code, _slot: slot })
    }
}

/// A file for reading and writing that has no name: on Linux one made with `O_TMPFILE`,
/// elsewhere (or on a file system without it) one removed as soon as it is made. Readable by
/// its owner alone. Only on Unix, where a removed file stays open and parts are read at an
/// offset; elsewhere the HTML stays in memory.
#[cfg(not(unix))]
fn unnamed_file(_dir: &Path) -> io::Result<File> {
    Err(io::ErrorKind::Unsupported.into())
}

/// See the other `unnamed_file`.
#[cfg(unix)]
fn unnamed_file(dir: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    #[cfg(target_os = "linux")]
    {
        let mut unnamed = options.clone();
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut unnamed, libc::O_TMPFILE);
        if let Ok(file) = unnamed.open(dir) {
            return Ok(file);
        }
    }
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(".signpost-body-{}-{n}", std::process::id()));
        match options.clone().create_new(true).open(&path) {
            Ok(file) => {
                std::fs::remove_file(&path)?;
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1 << 20 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Fill `buf` from `file` at `offset`, leaving the file's position alone (several threads
/// may write one page's parts at once: its file, its hash, the comparison with the old file).
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Elsewhere no file is made (see [`unnamed_file`]), so there is nothing to read.
#[cfg(not(unix))]
fn read_exact_at(_file: &File, _buf: &mut [u8], _offset: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MarkdownOptions;
    use crate::markdown::pieces::PIECE_BYTES;
    use crate::markdown::{RenderOptions, SINK_BATCH, render, render_in_batches};

    /// A body over the size from which bodies are parsed in pieces, with links and markup.
    fn large_body() -> String {
        let paragraph = "Guidance with **bold** words, an ![image](form.png) and [a link](apply.md).\n\n";
        format!("## Start\n\n{}    indented code\n\nEnd.\n", paragraph.repeat(16_000))
    }

    fn render_as(body: &str, kind: Kind, spill: bool) -> Rendered {
        let (markdown, strings) = (MarkdownOptions::default(), std::collections::BTreeMap::new());
        let options = RenderOptions::for_tests(&markdown, &strings, kind);
        if spill {
            render(body, options)
        } else {
            render_in_batches(body, options, SINK_BATCH, Some(PIECE_BYTES), false)
        }
    }

    fn whole(rendered: &Rendered) -> String {
        let mut html = String::new();
        rendered.each_html_part(&mut |part| html.push_str(part)).unwrap();
        html
    }

    #[test]
    fn a_large_body_in_a_file_is_the_html_it_has_in_memory() {
        let body = large_body();
        let (spilled, kept) = (render_as(&body, Kind::Guide, true), render_as(&body, Kind::Guide, false));
        let file = spilled.spilled.as_ref().expect("kept in a file");
        assert!(spilled.html.is_empty() && kept.spilled.is_none());
        assert!(file.ends.len() > 2, "in several parts: {:?}", file.ends.len());
        assert_eq!(whole(&spilled), kept.html);
        assert_eq!(spilled.html_len(), kept.html.len());
        assert_eq!(spilled.links.len(), kept.links.len());
        let urls = vec![Some(Arc::from("/guides/apply/")); kept.links.len()];
        assert_eq!(spilled.filled_html(&urls).unwrap(), kept.filled_html(&urls).unwrap());
        assert!(!spilled.filled_html(&urls).unwrap().contains(super::super::PLACEHOLDER_OPEN));
    }

    #[test]
    fn a_body_in_a_file_notes_its_code_blocks_as_it_is_written() {
        let with_code = render_as(&large_body(), Kind::Guide, true);
        assert!(with_code.spilled.as_ref().expect("kept in a file").has_code());
        assert!(whole(&with_code).contains("<pre class=\"code\">"));
        let prose = "Plain guidance with [a link](apply.md).\n\n".repeat(40_000);
        let without = render_as(&prose, Kind::Guide, true);
        assert!(!without.spilled.as_ref().expect("kept in a file").has_code());
    }

    #[test]
    fn a_law_a_body_with_a_summary_and_a_small_body_stay_in_memory() {
        let body = large_body();
        let law = render_as(&body, Kind::Law, true);
        assert!(law.spilled.is_none() && !law.html.is_empty());
        let summary = format!("Intro.\n\n<!-- more -->\n\n{body}");
        let with_summary = render_as(&summary, Kind::Guide, true);
        assert!(with_summary.spilled.is_none());
        assert_eq!(with_summary.summary.as_deref(), Some("<p>Intro.</p>\n"));
        let small = render_as("Text [a](b.md).\n", Kind::Guide, true);
        assert!(small.spilled.is_none());
        assert_eq!(whole(&small), small.html);
    }

    #[test]
    fn a_folder_that_cannot_take_a_file_keeps_the_body_in_memory() {
        let body = large_body();
        let (markdown, strings) = (MarkdownOptions::default(), std::collections::BTreeMap::new());
        let missing = std::env::temp_dir().join("signpost-no-such-folder").join("inside");
        let options = RenderOptions {
            spill_dir: Some(&missing),
            ..RenderOptions::for_tests(&markdown, &strings, Kind::Guide)
        };
        let kept = render(&body, options);
        assert!(kept.spilled.is_none() && !kept.html.is_empty());
        let without = render(&body, RenderOptions { spill_dir: None, ..options });
        assert!(without.spilled.is_none());
        assert_eq!(kept.html, without.html);
        assert_eq!(kept.html, whole(&render_as(&body, Kind::Guide, true)));
    }

    #[test]
    fn parts_written_are_read_back_in_order() {
        let mut spill = Spill::create(&std::env::temp_dir()).expect("a temporary file");
        for part in ["<p>one</p>\n", "", "<p>twö</p>\n<p>three</p>\n"] {
            let mut html = part.to_string();
            spill.write(&mut html);
            assert!(html.is_empty());
        }
        let spilled = spill.finish().expect("written");
        assert_eq!(spilled.len(), "<p>one</p>\n<p>twö</p>\n<p>three</p>\n".len());
        let mut parts = Vec::new();
        spilled.each_part(&mut |part| parts.push(part.to_string())).unwrap();
        assert_eq!(parts, ["<p>one</p>\n", "<p>twö</p>\n<p>three</p>\n"]);
        // Read twice, as a page's parts are (measured, then written).
        let mut again = String::new();
        spilled.each_part(&mut |part| again.push_str(part)).unwrap();
        assert_eq!(again, parts.concat());
    }
}

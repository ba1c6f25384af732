//! The files one page's body points at: images (their size, and the widths of their resized
//! copies) and documents (type, size, pages), looked up from the page's folder for the
//! Markdown stage, with what was read recorded for the body memo and the dependency index.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::{Diagnostic, LineIndex, Location};
use crate::markdown::Rendered;
use crate::media::{self, Document, ImageError, ImageFacts};

use super::Page;

/// The files of one page, and what looking at them found.
#[derive(Debug)]
pub(super) struct PageFiles<'a> {
    content_dir: &'a Path,
    /// The page's folder, relative to `content/`.
    dir: &'a str,
    /// `images.widths` of `site.yaml`.
    widths: &'a [u32],
    /// Each file read, with its stamp.
    reads: Mutex<BTreeMap<String, u64>>,
    /// Images that could not be read, by destination as written.
    broken: Mutex<BTreeMap<String, ImageError>>,
    /// The bytes of each image shown.
    image_bytes: Mutex<BTreeMap<PathBuf, u64>>,
}

impl<'a> PageFiles<'a> {
    pub(super) fn new(content_dir: &'a Path, page: &Page<'a>, widths: &'a [u32]) -> Self {
        PageFiles {
            content_dir,
            dir: page.rel.rsplit_once('/').map_or("", |(dir, _)| dir),
            widths,
            reads: Mutex::default(),
            broken: Mutex::default(),
            image_bytes: Mutex::default(),
        }
    }

    /// The file in `content/` a destination names, whether it is there or not.
    fn locate(&self, destination: &str) -> Option<PathBuf> {
        let path = destination.split(['#', '?']).next().unwrap_or(destination);
        let path = crate::links::percent_decode(path);
        let joined = crate::links::join_path(self.dir, &path)?;
        Some(self.content_dir.join(joined))
    }

    fn read(&self, abs: &Path) {
        if let Ok(mut reads) = self.reads.lock() {
            reads.insert(format!("file:{}", abs.display()), media::stamp(abs));
        }
    }

    /// Add what was read to `rendered`, with an error for each image that could not be read
    /// and a warning when the page's images weigh more than `budget_kb`.
    pub(super) fn finish(self, page: &Page<'_>, rendered: &mut Rendered, budget_kb: u64) {
        let reads = self.reads.into_inner().unwrap_or_default();
        rendered.reads.extend(reads);
        let broken = self.broken.into_inner().unwrap_or_default();
        let lines = std::cell::OnceCell::new();
        let locate = |offset: usize, length: usize| {
            let lines = lines.get_or_init(|| LineIndex::new(page.text));
            let (line, column) = lines.line_col(page.text, page.body_offset + offset);
            Location { file: page.display.to_path_buf(), line, column, length: length.max(1) }
        };
        for (destination, error) in broken {
            let Some(link) = rendered.links.iter().find(|l| **l.destination == *destination) else {
                continue;
            };
            let shown =
                page.text.get(page.body_offset + link.offset..).and_then(|s| s.lines().next()).unwrap_or("");
            let length = shown.chars().count().min(link.length);
            rendered.problems.push(
                Diagnostic::error(format!("cannot read image `{destination}`: {error}"))
                    .at(locate(link.offset, length))
                    .with_hint("export it again as PNG, JPEG or WebP, or correct the link"),
            );
        }
        let bytes: u64 = self.image_bytes.into_inner().unwrap_or_default().values().sum();
        if budget_kb > 0 && bytes > budget_kb * 1024 {
            rendered.problems.push(
                Diagnostic::warning(format!(
                    "the page's images weigh {}, more than the {budget_kb} KB `images.page_budget_kb` allows",
                    media::human_size(bytes)
                ))
                .at(locate(0, 1))
                .with_hint("make the images smaller (fewer pixels, or WebP), or spread them over more pages"),
            );
        }
    }
}

/// Whether `destination` may name a document, by the extension of its last segment as
/// written. Every internal link of a body is asked about, most of them links to pages, and
/// [`PageFiles::locate`] builds a path for each; this looks at the text alone. A last segment
/// that decoding or joining could change (`%`, `.`, `..`, empty) is left to the full look-up.
fn may_name_document(destination: &str) -> bool {
    let path = destination.split(['#', '?']).next().unwrap_or(destination);
    let last = path.rsplit('/').next().unwrap_or(path);
    if last.is_empty() || last == "." || last == ".." || last.contains('%') {
        return true;
    }
    last.rsplit_once('.').is_some_and(|(_, ext)| {
        media::DOCUMENT_EXTENSIONS.iter().any(|known| known.eq_ignore_ascii_case(ext))
    })
}

impl media::Files for PageFiles<'_> {
    fn image(&self, destination: &str) -> Option<ImageFacts> {
        let abs = self.locate(destination)?;
        if abs.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
            return None; // drawn at any size: no intrinsic size to give
        }
        // Read even when missing (links report that): the body changes when it comes back.
        self.read(&abs);
        if !abs.is_file() {
            return None;
        }
        let size = media::image_size(&abs);
        if let Err(error) = &size
            && let Ok(mut broken) = self.broken.lock()
        {
            broken.insert(destination.to_string(), error.clone());
        }
        if let (Ok(mut weights), Ok(meta)) = (self.image_bytes.lock(), std::fs::metadata(&abs)) {
            weights.insert(abs.clone(), meta.len());
        }
        let resizable = media::is_resizable(&abs.to_string_lossy());
        let widths = match &size {
            Ok(size) if resizable => media::variant_widths(self.widths, size.width),
            _ => Vec::new(),
        };
        Some(ImageFacts { size, widths })
    }

    fn document(&self, destination: &str) -> Option<Document> {
        if !may_name_document(destination) {
            return None;
        }
        let abs = self.locate(destination)?;
        let ext = abs.extension()?.to_str()?.to_ascii_lowercase();
        if !media::DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
            return None;
        }
        self.read(&abs);
        media::document(&abs)
    }
}

#[cfg(test)]
mod tests {
    use super::may_name_document;

    #[test]
    fn only_a_document_extension_or_an_unclear_last_segment_is_looked_up() {
        assert!(may_name_document("forms/apply.pdf"));
        assert!(may_name_document("forms/Apply.PDF#page=2"));
        assert!(may_name_document("../files/list.xlsx?v=2"));
        // Decoding or joining could change these, so the full look-up decides.
        assert!(may_name_document("forms/apply.%70df"));
        assert!(may_name_document("forms/apply.pdf/.."));
        assert!(may_name_document("forms/"));
        assert!(!may_name_document("../benefits/renew.md"));
        assert!(!may_name_document("renew.md#who-can-apply"));
        assert!(!may_name_document("apply.pdf.md"));
        assert!(!may_name_document("pdf"));
    }
}

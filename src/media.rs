//! Facts about the files pages point at: a document's type, size and page count (for
//! attachment links) and an image's intrinsic size, read from the file header.
//!
//! Each reading comes with a [`stamp`] of the file, which bodies keep to tell whether they
//! were made from the file as it is now.

use std::hash::{Hash, Hasher};
use std::path::Path;

/// Extensions of documents that links get their type and size beside (`PDF，240 KB`).
pub const DOCUMENT_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "csv", "txt", "zip",
    "ofd",
];

/// A fingerprint of a file's size and modification time (0 when it cannot be read).
pub fn stamp(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else { return 0 };
    let mut h = crate::cache::hasher();
    (meta.len(), meta.modified().ok()).hash(&mut h);
    h.finish()
}

/// A document's type and size as shown to readers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    /// `PDF`, `DOCX`.
    pub kind: String,
    /// Bytes.
    pub bytes: u64,
    /// `240 KB`, `1.2 MB`.
    pub size: String,
    /// A PDF's page count, when its page tree can be counted without decompressing.
    pub pages: Option<usize>,
}

/// The type and size of the document at `path`, if it is a readable file of a document type.
pub fn document(path: &Path) -> Option<Document> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let bytes = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    let pages = if ext == "pdf" { pdf_pages(path) } else { None };
    Some(Document { kind: ext.to_ascii_uppercase(), bytes, size: human_size(bytes), pages })
}

/// Sizes as people read them: `812 B`, `240 KB` (rounded up), `1.2 MB`.
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    match bytes {
        b if b < KB => format!("{b} B"),
        b if b < KB * KB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{:.1} MB", b as f64 / (KB * KB) as f64),
    }
}

/// The pages of a PDF, counted as `/Type /Page` objects (not `/Pages`); `None` for a PDF
/// whose objects are compressed into streams, or one too large to scan.
fn pdf_pages(path: &Path) -> Option<usize> {
    const LIMIT: u64 = 32 * 1024 * 1024;
    if std::fs::metadata(path).ok()?.len() > LIMIT {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let mut count = 0;
    for pattern in [&b"/Type/Page"[..], b"/Type /Page"] {
        for at in memchr::memmem::find_iter(&bytes, pattern) {
            if bytes.get(at + pattern.len()) != Some(&b's') {
                count += 1;
            }
        }
    }
    (count > 0).then_some(count)
}

/// An image's intrinsic size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageSize {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
}

/// Why an image's size could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The file is missing or unreadable.
    #[error("cannot read the image: {0}")]
    Unreadable(String),
    /// The header is not one of a known image format, or is cut short.
    #[error("the file is not an image Signpost can read (PNG, JPEG, GIF, WebP, SVG…), or it is cut short")]
    NotAnImage,
}

/// The size of the image at `path`, from its header (an SVG's from its `width`/`height`).
pub fn image_size(path: &Path) -> Result<ImageSize, ImageError> {
    match imagesize::size(path) {
        Ok(size) => Ok(ImageSize { width: size.width as u32, height: size.height as u32 }),
        Err(imagesize::ImageError::IoError(e)) if e.kind() != std::io::ErrorKind::UnexpectedEof => {
            Err(ImageError::Unreadable(e.to_string()))
        }
        Err(_) => Err(ImageError::NotAnImage),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(240 * 1024 - 5), "240 KB");
        assert_eq!(human_size(1_258_291), "1.2 MB");
    }

    #[test]
    fn documents_get_their_type_size_and_pages() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pdf = dir.path().join("form.pdf");
        std::fs::write(&pdf, b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>\n").expect("write");
        let doc = document(&pdf).expect("a document");
        assert_eq!((doc.kind.as_str(), doc.pages), ("PDF", Some(2)));
        assert!(document(&dir.path().join("missing.pdf")).is_none());
        let page = dir.path().join("page.html");
        std::fs::write(&page, "x").expect("write");
        assert!(document(&page).is_none());
    }

    #[test]
    fn images_that_are_not_or_are_cut_short_are_told_apart_from_missing_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = dir.path().join("map.png");
        std::fs::write(&text, "not an image at all").expect("write");
        assert_eq!(image_size(&text), Err(ImageError::NotAnImage));
        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, b"\x89PNG\r\n\x1a\n\0\0").expect("write");
        assert_eq!(image_size(&cut), Err(ImageError::NotAnImage));
        assert!(matches!(image_size(&dir.path().join("none.png")), Err(ImageError::Unreadable(_))));
    }
}

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

/// What the Markdown stage may learn about the files a body points at; the page's own
/// lookup (which knows its folder, and records what it read) implements it.
pub trait Files: Sync + std::fmt::Debug {
    /// The facts of the image a body shows at `destination` (as written), or `None` when it is
    /// no file of the site (an external image, or a missing one, which links report).
    fn image(&self, destination: &str) -> Option<ImageFacts>;
    /// The type and size of the document a body links to at `destination`, if it is one.
    fn document(&self, destination: &str) -> Option<Document>;
}

/// What a body needs to show one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFacts {
    /// Its size, or why it could not be read.
    pub size: Result<ImageSize, ImageError>,
    /// The widths of the resized copies made of it (see [`variant_widths`]).
    pub widths: Vec<u32>,
}

/// Image file extensions whose files get resized copies.
pub const RESIZED_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// Whether `path` names an image that gets resized copies, by its extension.
pub fn is_resizable(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| RESIZED_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The widths of `widths` (from `site.yaml`) narrower than an image `width` wide: the copies
/// made of it.
pub fn variant_widths(widths: &[u32], width: u32) -> Vec<u32> {
    let mut found: Vec<u32> = widths.iter().copied().filter(|w| *w > 0 && *w < width).collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The output path (or URL) of the copy of `image` resized to `width`: beside it, so that a
/// `srcset` can be written from the image's own URL.
pub fn variant_path(image: &str, width: u32) -> String {
    format!("{image}.{width}w.webp")
}

/// Where resized copies of images are kept: the user cache (`images/` in
/// [`crate::cache::cache_dir`]), else the system's temporary folder.
pub fn resized_cache() -> std::path::PathBuf {
    crate::cache::cache_dir().unwrap_or_else(|| std::env::temp_dir().join("signpost")).join("images")
}

/// Make (or find in `cache`) the copy of the image at `source` resized to `width` pixels
/// across, as WebP; it is named by the hash of the image's bytes, so an unchanged image is
/// never resized twice.
pub fn resized(source: &Path, width: u32, cache: &Path) -> Result<std::path::PathBuf, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let target = cache.join(format!("{hash:016x}-{width}.webp"));
    if target.is_file() {
        return Ok(target);
    }
    let image = image::load_from_memory(&bytes).map_err(|e| e.to_string())?;
    let copy = image.resize(width, u32::MAX, image::imageops::FilterType::Lanczos3).to_rgba8();
    std::fs::create_dir_all(cache).map_err(|e| e.to_string())?;
    // Written aside and moved into place: a build running at the same time never reads half.
    let partial = cache.join(format!("{hash:016x}-{width}.{}.part", std::process::id()));
    let file = std::fs::File::create(&partial).map_err(|e| e.to_string())?;
    let encoder = image::codecs::webp::WebPEncoder::new_lossless(std::io::BufWriter::new(file));
    encoder
        .encode(copy.as_raw(), copy.width(), copy.height(), image::ExtendedColorType::Rgba8)
        .map_err(|e| e.to_string())?;
    std::fs::rename(&partial, &target).map_err(|e| e.to_string())?;
    Ok(target)
}

/// The resized copies of the images among `files` (output path, source path, path for
/// messages), made in parallel: `(output path, cached copy)` for each, and an error for each
/// image that could not be resized (a damaged or cut-short file).
pub fn resized_copies(
    files: &[(String, std::path::PathBuf, std::path::PathBuf)],
    widths: &[u32],
) -> (Vec<(String, std::path::PathBuf)>, Vec<crate::diagnostics::Diagnostic>) {
    use rayon::prelude::*;
    let cache = resized_cache();
    let wanted: Vec<(&String, &Path, &Path, u32)> = files
        .iter()
        .filter(|(out, _, _)| is_resizable(out))
        .flat_map(|(out, abs, shown)| {
            let width = image_size(abs).map_or(0, |size| size.width);
            variant_widths(widths, width).into_iter().map(move |w| (out, abs.as_path(), shown.as_path(), w))
        })
        .collect();
    let made: Vec<Result<(String, std::path::PathBuf), crate::diagnostics::Diagnostic>> = wanted
        .par_iter()
        .map(|&(out, abs, shown, width)| {
            resized(abs, width, &cache).map(|copy| (variant_path(out, width), copy)).map_err(|e| {
                let at =
                    crate::diagnostics::Location { file: shown.to_path_buf(), line: 1, column: 1, length: 1 };
                crate::diagnostics::Diagnostic::error(format!(
                    "cannot make a {width}px copy of this image: {e}"
                ))
                .at(at)
                .with_hint("the file may be damaged or cut short: export it again as PNG, JPEG or WebP")
            })
        })
        .collect();
    let mut copies = Vec::new();
    let mut problems = Vec::new();
    for result in made {
        match result {
            Ok(copy) => copies.push(copy),
            Err(problem) => problems.push(problem),
        }
    }
    problems.dedup();
    (copies, problems)
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

    #[test]
    fn images_are_resized_once_into_the_cache() {
        let dir = tempfile::tempdir().expect("tempdir");
        let png = dir.path().join("wide.png");
        image::RgbImage::from_pixel(100, 40, image::Rgb([200, 30, 30])).save(&png).expect("save");
        assert_eq!(variant_widths(&[1280, 50, 640, 50], 100), [50]);
        let cache = dir.path().join("cache");
        let copy = resized(&png, 50, &cache).expect("resized");
        assert_eq!(image_size(&copy), Ok(ImageSize { width: 50, height: 20 }));
        let modified = std::fs::metadata(&copy).and_then(|m| m.modified()).expect("time");
        assert_eq!(resized(&png, 50, &cache).expect("again"), copy);
        assert_eq!(std::fs::metadata(&copy).and_then(|m| m.modified()).expect("time"), modified);
        assert!(resized(&dir.path().join("none.png"), 50, &cache).is_err());
    }
}

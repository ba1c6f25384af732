//! Code highlighting with syntect CSS classes: the only syntect user.
//!
//! The syntax set is loaded once per process, lazily, on the first code block that names a
//! language, so sites without code never pay for it. Highlighted blocks are remembered by
//! content (a 128-bit hash of language and code): for the life of the process, since
//! `watch`/`serve` rebuild the same blocks again and again, and across builds in a cache file
//! ([`load_persistent`], [`save_persistent`]), since highlighting is the slowest part of
//! rendering Markdown and most blocks do not change between two builds.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, LazyLock, Mutex};

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::config::HighlightClasses;

/// The CSS class prefix of highlighted tokens (`sp-hl-keyword`).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "sp-hl-" };

/// The classes kept with [`HighlightClasses::Styled`]: the top-level scopes (TextMate's
/// naming conventions) that the default theme's `highlight.css` colours, one rule each. A
/// span keeps those of its classes that are here, in its own order (so that every one-class
/// rule matches as before), and is left out when none is: `meta`, `source` and language
/// classes, which no such stylesheet can tell apart, were half the bytes of highlighted code.
pub const STYLED: &[&str] = &[
    "sp-hl-comment",
    "sp-hl-keyword",
    "sp-hl-storage",
    "sp-hl-string",
    "sp-hl-constant",
    "sp-hl-entity",
    "sp-hl-support",
    "sp-hl-variable",
    "sp-hl-punctuation",
    "sp-hl-invalid",
];

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlighted blocks by content key. Cleared when it grows past [`CACHE_LIMIT`] entries.
type Cache = Mutex<HashMap<u128, Option<Arc<str>>>>;
static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
/// Keys looked up since the last [`save_persistent`]: only these are written back.
static USED: LazyLock<Mutex<HashSet<u128>>> = LazyLock::new(Default::default);
const CACHE_LIMIT: usize = 50_000;

/// The shape of the HTML this module makes, part of every cache key: blocks highlighted in an
/// older shape are highlighted again, so that the output never depends on the cache.
const SHAPE: u32 = 3;

/// A content key: two independent 64-bit hashes of the highlighter version, language and code.
fn key(code: &str, language: &str, classes: HighlightClasses) -> u128 {
    let half = |salt: u8| {
        let mut h = std::hash::DefaultHasher::new();
        (salt, env!("CARGO_PKG_VERSION"), SHAPE, classes, language, code).hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

/// Render a code block's text as HTML spans, or `None` when the language is unknown
/// (the caller then prints escaped plain text).
pub fn highlight(code: &str, language: &str, classes: HighlightClasses) -> Option<Arc<str>> {
    if language.is_empty() {
        return None;
    }
    let key = key(code, language, classes);
    if let Ok(mut used) = USED.lock() {
        used.insert(key);
    }
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let result = highlight_uncached(code, language, classes).map(Arc::from);
    FRESH.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, result.clone());
    }
    result
}

/// Blocks read by [`load_persistent`] (to know whether the file needs writing again).
static LOADED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Blocks highlighted afresh since the last load or save.
static FRESH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// First bytes of a cache file; a file without them (an older format) is ignored.
const MAGIC: &[u8] = b"signpost-highlight-1\n";

/// Add the blocks saved in `path` by an earlier build (a missing, unreadable or damaged file
/// is an empty cache: it only ever saves time).
///
/// The file is a flat list of (16-byte key, 4-byte length, HTML) records: it is read on every
/// build, and for a large site it holds tens of megabytes, which JSON took too long to parse.
pub fn load_persistent(path: &Path) {
    use std::sync::atomic::Ordering;
    let Ok(bytes) = std::fs::read(path) else { return };
    let Some(mut rest) = bytes.strip_prefix(MAGIC) else { return };
    let mut loaded = Vec::new();
    while !rest.is_empty() {
        let Some((key, html, tail)) = next_record(rest) else { return };
        loaded.push((key, html));
        rest = tail;
    }
    if let Ok(mut cache) = CACHE.lock() {
        for (key, html) in &loaded {
            cache.entry(*key).or_insert_with(|| Some(Arc::from(*html)));
        }
    }
    LOADED.store(loaded.len(), Ordering::Relaxed);
    FRESH.store(0, Ordering::Relaxed);
}

/// One record of a cache file and what follows it, or `None` when the bytes are damaged.
fn next_record(bytes: &[u8]) -> Option<(u128, &str, &[u8])> {
    let key = u128::from_le_bytes(bytes.get(..16)?.try_into().ok()?);
    let len = u32::from_le_bytes(bytes.get(16..20)?.try_into().ok()?) as usize;
    let html = std::str::from_utf8(bytes.get(20..20 + len)?).ok()?;
    Some((key, html, &bytes[20 + len..]))
}

/// Write the blocks this process used since the last save to `path` (so the file holds what
/// the site uses now, not everything it ever used). Nothing is written when the file already
/// holds exactly those blocks, and a site without highlighted code keeps no file.
pub fn save_persistent(path: &Path) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::sync::atomic::Ordering;
    let used: HashSet<u128> = USED.lock().map(|mut u| std::mem::take(&mut *u)).unwrap_or_default();
    let fresh = FRESH.swap(0, Ordering::Relaxed);
    let loaded = LOADED.swap(used.len(), Ordering::Relaxed);
    if used.is_empty() {
        return match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    // Every used block was either loaded or fresh, so with none fresh and as many used as
    // loaded, the file already holds exactly the used blocks.
    if fresh == 0 && loaded == used.len() && path.is_file() {
        return Ok(());
    }
    let Ok(cache) = CACHE.lock() else { return Ok(()) };
    let mut keys: Vec<u128> = used.into_iter().collect();
    keys.sort_unstable();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    out.write_all(MAGIC)?;
    for key in keys {
        let Some(Some(html)) = cache.get(&key) else { continue };
        out.write_all(&key.to_le_bytes())?;
        out.write_all(&u32::try_from(html.len()).unwrap_or(u32::MAX).to_le_bytes())?;
        out.write_all(html.as_bytes())?;
    }
    out.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()?;
    std::fs::rename(tmp, path)
}

fn highlight_uncached(code: &str, language: &str, classes: HighlightClasses) -> Option<String> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(compact(&generator.finalize(), classes))
}

/// A piece of syntect's HTML: text (escaped as it was) or a span of one class list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Span(String, Vec<Piece>),
}

/// syntect's spans with the same meaning in fewer bytes: adjacent spans of one class are
/// merged, a span inside one of the same class is unwrapped, and spans around nothing but
/// whitespace are dropped; with [`HighlightClasses::Styled`], classes not in [`STYLED`] are
/// dropped, and spans left with none. On a documentation page with much JavaScript, class
/// attributes were two thirds of the HTML.
fn compact(html: &str, classes: HighlightClasses) -> String {
    let mut out = String::with_capacity(html.len());
    let mut pieces = parse(html);
    if classes == HighlightClasses::Styled {
        pieces = styled_only(pieces);
    }
    write_pieces(&simplify(pieces), &mut out);
    out
}

/// `pieces` with each span's classes cut down to those in [`STYLED`], and the spans left
/// with none replaced by what they hold.
fn styled_only(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece {
            Piece::Span(class, inner) => {
                let inner = styled_only(inner);
                let kept: Vec<&str> = class.split(' ').filter(|c| STYLED.contains(c)).collect();
                if kept.is_empty() {
                    out.extend(inner);
                } else {
                    out.push(Piece::Span(kept.join(" "), inner));
                }
            }
            text => out.push(text),
        }
    }
    out
}

/// syntect's HTML as pieces (it writes nothing but `<span class="…">`, `</span>` and text).
fn parse(html: &str) -> Vec<Piece> {
    let mut stack: Vec<(String, Vec<Piece>)> = vec![(String::new(), Vec::new())];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"")
            && let Some(end) = after.find("\">")
        {
            stack.push((after[..end].to_string(), Vec::new()));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("</span>") {
            if stack.len() > 1
                && let Some((class, pieces)) = stack.pop()
                && let Some((_, parent)) = stack.last_mut()
            {
                parent.push(Piece::Span(class, pieces));
            }
            rest = after;
        } else {
            let end = rest[1..].find('<').map_or(rest.len(), |i| i + 1);
            if let Some((_, pieces)) = stack.last_mut() {
                pieces.push(Piece::Text(rest[..end].to_string()));
            }
            rest = &rest[end..];
        }
    }
    // Spans left open (never, from syntect) are closed at the end.
    while stack.len() > 1 {
        if let Some((class, pieces)) = stack.pop()
            && let Some((_, parent)) = stack.last_mut()
        {
            parent.push(Piece::Span(class, pieces));
        }
    }
    stack.pop().map(|(_, pieces)| pieces).unwrap_or_default()
}

fn simplify(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        let piece = match piece {
            Piece::Span(class, inner) => {
                let mut inner = simplify(inner);
                match inner.as_slice() {
                    [Piece::Text(t)] if t.trim().is_empty() => Piece::Text(t.clone()),
                    [] => continue,
                    [Piece::Span(c, _)] if *c == class => inner.pop().unwrap_or(Piece::Text(String::new())),
                    _ => Piece::Span(class, inner),
                }
            }
            text => text,
        };
        match (out.last_mut(), piece) {
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (Some(Piece::Span(a, inner)), Piece::Span(b, more)) if *a == b => {
                let mut joined = std::mem::take(inner);
                joined.extend(more);
                *inner = simplify(joined);
            }
            (_, piece) => out.push(piece),
        }
    }
    out
}

fn write_pieces(pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Span(class, inner) => {
                out.push_str("<span class=\"");
                out.push_str(class);
                out.push_str("\">");
                write_pieces(inner, out);
                out.push_str("</span>");
            }
        }
    }
}

/// A stylesheet for the named syntect theme (from `highlight.theme` in `site.yaml`),
/// or `None` when no such theme exists.
pub fn stylesheet(theme_name: &str) -> Option<String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme_name)?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
}

/// The theme names `stylesheet` accepts, for error hints.
pub fn theme_names() -> Vec<String> {
    syntect::highlighting::ThemeSet::load_defaults().themes.keys().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight("fn main() {}\n", "rust", HighlightClasses::Full).unwrap();
        assert!(html.contains("sp-hl-"), "{html}");
        assert!(html.contains("main"));
    }

    #[test]
    fn repeated_blocks_come_from_the_cache() {
        let first = highlight("let x = 1;\n", "rust", HighlightClasses::Styled).unwrap();
        let second = highlight("let x = 1;\n", "rust", HighlightClasses::Styled).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(&*first, highlight_uncached("let x = 1;\n", "rust", HighlightClasses::Styled).unwrap());
        let full = highlight("let x = 1;\n", "rust", HighlightClasses::Full).unwrap();
        assert_ne!(first, full, "the class set is part of the key");
    }

    #[test]
    fn saved_blocks_load_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.bin");
        let html = highlight("let persisted = 1;\n", "rust", HighlightClasses::Full).unwrap();
        save_persistent(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(MAGIC));
        assert!(bytes.windows(9).any(|w| w == b"persisted"));
        CACHE.lock().unwrap().remove(&key("let persisted = 1;\n", "rust", HighlightClasses::Full));
        load_persistent(&path);
        let again = CACHE
            .lock()
            .unwrap()
            .get(&key("let persisted = 1;\n", "rust", HighlightClasses::Full))
            .cloned()
            .flatten()
            .unwrap();
        assert_eq!(again, html);
    }

    #[test]
    fn damaged_cache_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.bin");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&7u128.to_le_bytes());
        bytes.extend_from_slice(&1000u32.to_le_bytes());
        bytes.extend_from_slice(b"short");
        std::fs::write(&path, &bytes).unwrap();
        load_persistent(&path);
        assert!(!CACHE.lock().unwrap().contains_key(&7));
        assert!(next_record(&bytes[MAGIC.len()..]).is_none());
        std::fs::write(&path, b"{\"0\": \"old json\"}").unwrap();
        load_persistent(&path);
        assert!(!CACHE.lock().unwrap().contains_key(&0));
    }

    #[test]
    fn spans_are_merged_and_plain_ones_dropped() {
        let html = "<span class=\"a\"><span class=\"a\">x</span></span><span class=\"b\">1</span>\
                    <span class=\"b\">2</span><span class=\"c\"> </span><span class=\"d\"></span>&lt;";
        assert_eq!(
            compact(html, HighlightClasses::Full),
            "<span class=\"a\">x</span><span class=\"b\">12</span> &lt;"
        );
        let code = "function f(a) {\n  return a.map((x) => x * 2);\n}\n";
        let plain = |h: &str| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in h.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        };
        let syntaxes = &*SYNTAXES;
        let syntax = syntaxes.find_syntax_by_token("js").unwrap();
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).unwrap();
        }
        let raw = generator.finalize();
        let compacted = compact(&raw, HighlightClasses::Full);
        assert_eq!(plain(&compacted), plain(&raw), "the same text");
        let spans = |h: &str| h.matches("<span").count();
        assert!(spans(&compacted) < spans(&raw), "{} of {} spans", spans(&compacted), spans(&raw));
        assert!(compacted.len() < raw.len(), "{} of {} bytes", compacted.len(), raw.len());
    }

    /// For each character of the code, the styled classes of the spans around it, outermost
    /// first: what one-class rules see.
    fn styled_chains(html: &str) -> Vec<(char, Vec<String>)> {
        fn walk(pieces: &[Piece], chain: &mut Vec<String>, out: &mut Vec<(char, Vec<String>)>) {
            for piece in pieces {
                match piece {
                    Piece::Text(t) => out.extend(t.chars().map(|c| (c, chain.clone()))),
                    Piece::Span(class, inner) => {
                        let kept: Vec<&str> = class.split(' ').filter(|c| STYLED.contains(c)).collect();
                        let pushed = !kept.is_empty();
                        if pushed {
                            chain.push(kept.join(" "));
                        }
                        walk(inner, chain, out);
                        if pushed {
                            chain.pop();
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&parse(html), &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn styled_classes_look_the_same_in_half_the_bytes() {
        let code = "// Double every number.\nconst numbers = [1, 4, 9];\n\
                    const doubled = numbers.map((num) => num * 2);\n\
                    console.log(`${doubled.length} items`, Math.max(...doubled));\n\
                    class Point { constructor(x) { this.x = x; } }\n";
        let full = highlight_uncached(code, "js", HighlightClasses::Full).unwrap();
        let styled = highlight_uncached(code, "js", HighlightClasses::Styled).unwrap();
        assert_eq!(styled_chains(&styled), styled_chains(&full), "every character keeps its styled classes");
        assert!(styled.contains("<span class=\"sp-hl-comment\">"), "{styled}");
        assert!(!styled.contains("sp-hl-js") && !styled.contains("sp-hl-meta"), "{styled}");
        let markup = |h: &str| h.len() - styled_chains(h).iter().map(|(c, _)| c.len_utf8()).sum::<usize>();
        eprintln!(
            "{} bytes of HTML ({} of markup) against {} ({})",
            styled.len(),
            markup(&styled),
            full.len(),
            markup(&full)
        );
        assert!(styled.len() * 2 < full.len(), "{} against {} bytes", styled.len(), full.len());
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language", HighlightClasses::Styled).is_none());
        assert!(highlight("x", "", HighlightClasses::Styled).is_none());
    }

    #[test]
    fn html_in_code_is_escaped() {
        let html = highlight("<script>\n", "html", HighlightClasses::Styled).unwrap();
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn stylesheets_for_named_themes() {
        assert!(stylesheet("InspiredGitHub").unwrap().contains(".sp-hl-"));
        assert!(stylesheet("Nope").is_none());
        assert!(theme_names().contains(&"InspiredGitHub".to_string()));
    }
}

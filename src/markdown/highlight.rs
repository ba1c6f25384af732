//! Code highlighting with syntect CSS classes: the only syntect user.
//!
//! The syntax set is loaded once per process, lazily, on the first code block that names a
//! language, so sites without code never pay for it. Highlighted blocks are remembered by
//! content for the life of the process: guidance repeats the same snippets across pages, and
//! `watch`/`serve` rebuild the same blocks again and again.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The CSS class prefix of highlighted tokens (`sp-hl-keyword`).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "sp-hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlighted blocks by (language, code). Cleared when it grows past [`CACHE_LIMIT`] entries.
type Cache = Mutex<HashMap<(String, String), Option<Arc<str>>>>;
static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
const CACHE_LIMIT: usize = 20_000;

/// Render a code block's text as HTML spans, or `None` when the language is unknown
/// (the caller then prints escaped plain text).
pub fn highlight(code: &str, language: &str) -> Option<Arc<str>> {
    if language.is_empty() {
        return None;
    }
    let key = (language.to_string(), code.to_string());
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let result = highlight_uncached(code, language).map(Arc::from);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, result.clone());
    }
    result
}

fn highlight_uncached(code: &str, language: &str) -> Option<String> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes.find_syntax_by_token(language)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
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
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("sp-hl-"), "{html}");
        assert!(html.contains("main"));
    }

    #[test]
    fn repeated_blocks_come_from_the_cache() {
        let first = highlight("let x = 1;\n", "rust").unwrap();
        let second = highlight("let x = 1;\n", "rust").unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(&*first, highlight_uncached("let x = 1;\n", "rust").unwrap());
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
    }

    #[test]
    fn html_in_code_is_escaped() {
        let html = highlight("<script>\n", "html").unwrap();
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn stylesheets_for_named_themes() {
        assert!(stylesheet("InspiredGitHub").unwrap().contains(".sp-hl-"));
        assert!(stylesheet("Nope").is_none());
        assert!(theme_names().contains(&"InspiredGitHub".to_string()));
    }
}

//! Code highlighting with syntect CSS classes: the only syntect user.
//!
//! The syntax set is loaded once per process, lazily, on the first code block that names a
//! language, so sites without code never pay for it.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The CSS class prefix of highlighted tokens (`sp-hl-keyword`).
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "sp-hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Render a code block's text as HTML spans, or `None` when the language is unknown
/// (the caller then prints escaped plain text).
pub fn highlight(code: &str, language: &str) -> Option<String> {
    if language.is_empty() {
        return None;
    }
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

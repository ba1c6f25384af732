//! Redirect pages for the `aliases:` of pages, and a `_redirects` file for hosts that read one.

use std::fmt::Write as _;

use super::{Inputs, Output, bytes};
use crate::diagnostics::Diagnostic;
use crate::text::escape_html;

/// The output file an alias publishes to (`/old/page/` → `old/page/index.html`), or why it cannot.
pub fn alias_output(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim().trim_start_matches('/');
    if trimmed.is_empty() {
        return Err("an alias cannot be the home page");
    }
    let path = if trimmed.ends_with(".html") || trimmed.ends_with(".htm") {
        trimmed.to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    };
    if !crate::text::is_safe_relative(&path) {
        return Err("an alias must be a path inside the site, without `..`, `\\`, `:` or NUL");
    }
    Ok(path)
}

/// Redirect pages for `aliases:` and a `_redirects` file for hosts that read one.
pub(super) fn aliases(
    inputs: &Inputs<'_>,
    existing: &std::collections::HashSet<String>,
) -> (Vec<Output>, Vec<Diagnostic>) {
    let Inputs { config, site, .. } = *inputs;
    let mut taken: std::collections::HashMap<String, String> =
        existing.iter().map(|path| (path.clone(), "a generated page".to_string())).collect();
    let mut outputs = Vec::new();
    let mut diagnostics = Vec::new();
    let mut rules = String::new();
    for page in &site.pages {
        for alias in &page.meta.aliases {
            let location = crate::diagnostics::Location {
                file: page.source.display.clone(),
                line: alias.line,
                column: alias.column,
                length: alias.value.chars().count().max(1),
            };
            let path = match alias_output(&alias.value) {
                Ok(path) => path,
                Err(why) => {
                    diagnostics
                        .push(Diagnostic::error(format!("bad alias `{}`: {why}", alias.value)).at(location));
                    continue;
                }
            };
            if let Some(owner) = taken.get(&path) {
                diagnostics.push(
                    Diagnostic::error(format!("alias `{}` collides with {owner}", alias.value))
                        .at(location)
                        .with_hint("remove the alias, or move the other page"),
                );
                continue;
            }
            taken.insert(path.clone(), format!("an alias of `{}`", page.source.display.display()));
            // Opened from disk, a redirect must stay on disk too.
            let target = if config.relative_urls {
                crate::relative::relative_url(&page.url, &path, &config.base_path)
            } else {
                config.permalink(&page.url)
            };
            let language = &config.languages[page.lang].code;
            let moved = inputs.strings[page.lang]
                .get("page_moved")
                .map(String::as_str)
                .unwrap_or("This page has moved to");
            outputs.push(bytes(&path, redirect_page(language, moved, &page.meta.title, &target)));
            let from = config.url_for(path.trim_end_matches("index.html"));
            let _ = writeln!(rules, "{from} {} 301", page.url);
        }
    }
    if !rules.is_empty() {
        outputs.push(bytes("_redirects", rules));
    }
    (outputs, diagnostics)
}

pub(super) fn redirect_page(lang: &str, moved: &str, title: &str, target: &str) -> String {
    let (title, target, moved) = (escape_html(title), escape_html(target), escape_html(moved));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
         <p>{moved} <a href=\"{target}\">{title}</a>.</p>\n</body>\n</html>\n",
        escape_html(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_outputs() {
        assert_eq!(alias_output("/old/page/").unwrap(), "old/page/index.html");
        assert_eq!(alias_output("old.html").unwrap(), "old.html");
        assert!(alias_output("/").is_err());
        assert!(alias_output("../../etc/passwd").is_err());
        assert!(alias_output("c:/x").is_err());
    }

    #[test]
    fn redirect_pages_escape_and_point_at_the_target() {
        let html = redirect_page("en", "Moved to", "<b>", "https://x.gov/a/");
        assert!(html.contains("<p>Moved to <a href"));
        assert!(html.contains("content=\"0; url=https://x.gov/a/\""));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://x.gov/a/\">"));
        assert!(html.contains("&lt;b&gt;"));
    }
}

#[cfg(test)]
mod site_tests {
    use super::super::fixture::{page, render, text};

    #[test]
    fn aliases_publish_redirect_pages_and_a_redirects_file() {
        let outputs = render(&[
            ("site.yaml", "title: S\nbase_url: https://x.gov/\nlanguage: en\n"),
            ("content/_index.md", &page("title: Home", "")),
            ("content/new.md", &page("title: New\naliases: [/old/, /older.html]", "Text.")),
        ]);
        assert!(text(&outputs, "old/index.html").contains("url=https://x.gov/new/"));
        assert!(text(&outputs, "older.html").contains("url=https://x.gov/new/"));
        assert_eq!(text(&outputs, "_redirects"), "/old/ /new/ 301\n/older.html /new/ 301\n");
    }
}

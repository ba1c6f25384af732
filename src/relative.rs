//! Relative URLs for sites opened straight from disk (`file://…/public/index.html`) or
//! copied anywhere: every root-relative link, image, script and stylesheet in an HTML page
//! becomes a path relative to that page, and folder links point at their `index.html`.

/// Attributes whose values are URLs.
const URL_ATTRIBUTES: &[&str] = &["href=", "src=", "action=", "data-manifest="];

/// Rewrite the root-relative URLs of `html` (those under `base_path`, such as `/faq/` or
/// `/guides/faq/`) relative to the output file at `output_path` (`faq/lost-card/index.html`).
pub fn relativize(html: &str, output_path: &str, base_path: &str) -> String {
    let depth = output_path.matches('/').count();
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some((at, attr)) = next_attribute(rest) {
        let value_start = at + attr.len();
        let quote = rest[value_start..].chars().next();
        let (Some(q @ ('"' | '\'')), true) = (quote, value_start < rest.len()) else {
            out.push_str(&rest[..value_start]);
            rest = &rest[value_start..];
            continue;
        };
        let inner_start = value_start + 1;
        let Some(len) = rest[inner_start..].find(q) else { break };
        let value = &rest[inner_start..inner_start + len];
        out.push_str(&rest[..inner_start]);
        out.push_str(&rewrite(value, &up, base_path).unwrap_or_else(|| value.to_string()));
        rest = &rest[inner_start + len..];
    }
    out.push_str(rest);
    out
}

/// The next URL attribute (its start and name), found in one scan over `=` signs so that
/// long pages stay linear.
fn next_attribute(s: &str) -> Option<(usize, &'static str)> {
    let mut from = 0;
    while let Some(i) = s[from..].find('=') {
        let eq = from + i;
        let before = &s[..=eq];
        for attr in URL_ATTRIBUTES {
            if before.ends_with(attr) {
                let at = eq + 1 - attr.len();
                // Only whole attribute names: preceded by whitespace.
                if at == 0 || s[..at].ends_with([' ', '\n', '\t']) {
                    return Some((at, *attr));
                }
            }
        }
        from = eq + 1;
    }
    None
}

/// One root-relative URL (`/faq/lost-card/#x`) made relative to the output file at
/// `output_path`, or returned unchanged when it is not under `base_path`.
pub fn relative_url(url: &str, output_path: &str, base_path: &str) -> String {
    let up = "../".repeat(output_path.matches('/').count());
    rewrite(url, &up, base_path).unwrap_or_else(|| url.to_string())
}

/// The relative form of one URL, or `None` to keep it (external, protocol-relative,
/// fragment-only, or outside the base path).
fn rewrite(value: &str, up: &str, base_path: &str) -> Option<String> {
    if !value.starts_with('/') || value.starts_with("//") {
        return None;
    }
    let local = if base_path.is_empty() {
        value
    } else {
        let rest = value.strip_prefix(base_path)?;
        if !(rest.is_empty() || rest.starts_with(['/', '?', '#'])) {
            return None;
        }
        if rest.is_empty() { "/" } else { rest }
    };
    let split = local.find(['?', '#']).unwrap_or(local.len());
    let (path, tail) = local.split_at(split);
    let mut relative = format!("{up}{}", path.trim_start_matches('/'));
    if relative.is_empty() || relative.ends_with('/') {
        relative.push_str("index.html");
    }
    Some(format!("{relative}{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r##"<a href="/faq/lost-card/#bring">x</a> <img src="/img/a.png"> <a href="https://x.gov/a/">e</a> <a href="#top">t</a>"##;
        let out = relativize(html, "how-to/renew/index.html", "");
        assert_eq!(
            out,
            r##"<a href="../../faq/lost-card/index.html#bring">x</a> <img src="../../img/a.png"> <a href="https://x.gov/a/">e</a> <a href="#top">t</a>"##
        );
    }

    #[test]
    fn home_and_sub_path_sites() {
        assert_eq!(relativize(r##"<a href="/">h</a>"##, "index.html", ""), r##"<a href="index.html">h</a>"##);
        let out = relativize(
            r##"<a href="/guides/faq/">f</a><a href="/guides">g</a><a href="/other/">o</a>"##,
            "faq/index.html",
            "/guides",
        );
        assert_eq!(
            out,
            r##"<a href="../faq/index.html">f</a><a href="../index.html">g</a><a href="/other/">o</a>"##
        );
    }

    #[test]
    fn only_whole_attribute_names_and_quoted_values() {
        let html = r##"<meta data-href="/x/"><link rel="stylesheet" href='/style.css'><a href=/bare/>b</a>"##;
        let out = relativize(html, "a/index.html", "");
        assert_eq!(
            out,
            r##"<meta data-href="/x/"><link rel="stylesheet" href='../style.css'><a href=/bare/>b</a>"##
        );
    }
}

//! Whether the page templates print a page's body only as it is (`{{ page.content | safe }}`),
//! so that rendering may write the body into the output in place of a marker instead of
//! handing it to the template (see `render::body`).
//!
//! The answer is read from the templates' text, conservatively: every use of `page` in a tag
//! must be a field other than `content` (`page.title`), a test (`page is defined`), or the
//! whole tag `{{ page.content | safe }}`. Anything else (a filter or test on the body,
//! `page` passed whole to a macro or a filter, `__tera_context`) answers no, and pages are
//! rendered with their body in the template's values as before. A template that still does
//! more with the marker than print it (a `{% filter %}` block around it, say) is caught after
//! rendering, where the marker is not found exactly once.

/// Whether every template of `sources` (name, text) uses a page's body only by printing it.
pub(super) fn prints_body_verbatim<'a>(mut sources: impl Iterator<Item = &'a str>) -> bool {
    sources.all(|text| tags(text).all(tag_prints_body_verbatim))
}

/// The inside of each `{{ … }}` and `{% … %}` tag of `text` (comments skipped), without
/// its whitespace-control dashes.
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find('{')?;
            let close = match rest.as_bytes().get(open + 1) {
                Some(b'{') => "}}",
                Some(b'%') => "%}",
                Some(b'#') => "#}",
                _ => {
                    rest = &rest[open + 1..];
                    continue;
                }
            };
            let inner = &rest[open + 2..];
            let end = inner.find(close).unwrap_or(inner.len());
            rest = &inner[(end + 2).min(inner.len())..];
            if close != "#}" {
                return Some(inner[..end].trim_start_matches('-').trim_end_matches('-').trim());
            }
        }
    })
}

/// Whether one tag's inside uses `page` only in the ways the module allows.
fn tag_prints_body_verbatim(tag: &str) -> bool {
    if tag.contains("__tera_context") {
        return false;
    }
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    tag.match_indices("page").all(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| is_ident(b) || b == b'.') || bytes.get(at + 4).is_some_and(|&b| is_ident(b))
        {
            return true; // another name (`pages`, `t.page`)
        }
        let after = tag[at + 4..].trim_start();
        if after.starts_with("is defined") || after.starts_with("is not defined") {
            return true;
        }
        let Some(field) = after.strip_prefix('.') else { return false };
        let name: String = field.chars().take_while(|&c| c.is_ascii_alphanumeric() || c == '_').collect();
        if name.is_empty() {
            return false;
        }
        name != "content" || is_verbatim_print(tag)
    })
}

/// Whether a tag is exactly `{{ page.content | safe }}` (spaces aside).
fn is_verbatim_print(tag: &str) -> bool {
    tag.split_whitespace().collect::<String>() == "page.content|safe"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbatim(text: &str) -> bool {
        prints_body_verbatim(std::iter::once(text))
    }

    #[test]
    fn printing_the_body_and_reading_other_fields_is_verbatim() {
        assert!(verbatim("<main>{{ page.content | safe }}</main>"));
        assert!(verbatim("{{- page.content|safe -}}"));
        assert!(verbatim("{% if page is defined and page.has_code %}x{% endif %}{{ page.title }}"));
        assert!(verbatim("{% for p in pages %}{{ p.content | safe }}{% endfor %}{{ t.page }}"));
        assert!(verbatim("{# {{ page | json_encode }} #}<p>this page {{ page.title }}</p>"));
    }

    #[test]
    fn anything_else_done_with_the_body_or_the_page_is_not() {
        for text in [
            "{{ page.content }}",
            "{{ page.content | safe | striptags }}",
            "{% if 'class=\"code\"' in page.content %}x{% endif %}",
            "{% set body = page.content %}",
            "{{ page.content | length }}",
            "{{ page | json_encode }}",
            "{{ macros::show(page=page) }}",
            "{% for key, value in page %}{% endfor %}",
            "{{ page[\"content\"] | safe }}",
            "{{ __tera_context }}",
            "{{ 'x' ~ page.content | safe }}",
        ] {
            assert!(!verbatim(text), "{text}");
        }
    }

    #[test]
    fn the_default_theme_prints_the_body_verbatim() {
        let theme = crate::theme::Theme::Builtin.files("templates");
        let texts: Vec<String> = theme.values().filter_map(|file| file.read().ok()).collect();
        assert!(!texts.is_empty());
        assert!(prints_body_verbatim(texts.iter().map(String::as_str)));
    }
}

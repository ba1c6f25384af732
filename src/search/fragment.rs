//! A document chunk's file (`d/`): the fragments of its pages, as results show them. Every
//! byte of every page's text is written here, so a text that is already collapsed, as the
//! Markdown stage gathers it, is checked, cut and escaped by vector searches for its few
//! special bytes instead of looking at every byte, and the file is written once, its name
//! filled in after.

use std::borrow::Cow;

use super::files::named_script;
use super::index::{SECTION_CHARS, SearchPage};
use crate::markdown::plain::is_collapsed_piece;
use crate::text::push_json_str;

/// A chunk's file from its pages' fragments: its name and its text, the script
/// `signpostSearch("d/<name>",[fragment…]);` named by a hash of the JSON.
pub(super) fn chunk_file(pages: &[Cow<'_, SearchPage<'_>>]) -> (String, String) {
    // Room for the texts and what JSON adds around them, so that the text is seldom moved.
    let room: usize = pages
        .iter()
        .map(|p| {
            let sections: usize =
                p.sections.iter().map(|s| s.anchor.len() + s.heading.len() + s.text.len() + 16).sum();
            p.url.len() + p.title.len() + p.description.len() + sections + 32
        })
        .sum();
    named_script("d", room + room / 16 + 64, |out| {
        out.push('[');
        for (i, page) in pages.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_fragment(out, page);
        }
        out.push(']');
    })
}

/// Append `clip(text, max)` as a JSON string, as [`push_json_str`] writes it. When `text` is
/// already collapsed (as the Markdown stage gathers it: no control characters, no space at
/// either end or next to another, no whitespace but spaces), it is cut without being collapsed
/// again and copied between the few bytes that are escaped: quotes, backslashes, `<`, `>`, `&`
/// (no control character is left, and U+2028 and U+2029 are whitespace, so not left either).
/// For such text this is [`push_json_str`] less its general escapes; calling that instead
/// measured 5 M more instructions at 1,000 pages.
fn push_text_json(json: &mut String, text: &str, max: usize) {
    if !is_clean(text.as_bytes()) {
        return push_json_str(json, &clip(text, max));
    }
    let text = clip_clean(text, max);
    let bytes = text.as_bytes();
    let mut marks: Vec<usize> = memchr::memchr3_iter(b'"', b'\\', b'<', bytes).collect();
    marks.extend(memchr::memchr2_iter(b'>', b'&', bytes));
    marks.sort_unstable();
    json.reserve(bytes.len() + 2);
    json.push('"');
    let mut copied = 0;
    for i in marks {
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        };
        json.push_str(&text[copied..i]);
        json.push_str(escape);
        copied = i + 1;
    }
    json.push_str(&text[copied..]);
    json.push('"');
}

/// Whether `bytes` is text as [`clip`] leaves it bar its length, with no control character:
/// no space at either end, and otherwise collapsed as the Markdown stage gathers text (see
/// [`is_collapsed_piece`], which looks at every byte by vectorised loops and searches).
fn is_clean(bytes: &[u8]) -> bool {
    bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ') && is_collapsed_piece(bytes)
}

/// [`clip`] of a text that [`is_clean`]: its first `max` characters, cut at the last space
/// among the last 20 of them when there is one. Most texts are short or ASCII; neither needs
/// the characters' places listed (a text of ASCII has its `max`th character at byte `max`).
fn clip_clean(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = if text.as_bytes()[..max].is_ascii() {
        max
    } else {
        let mut chars = text.chars();
        if max > 0 && chars.nth(max - 1).is_none() {
            return text;
        }
        text.len() - chars.as_str().len()
    };
    if cut == text.len() {
        return text;
    }
    let head = &text[..cut];
    match head.char_indices().rev().take(20).find(|&(_, c)| c == ' ') {
        Some((at, _)) => &text[..at],
        None => head,
    }
}

/// Collapse whitespace and keep at most `max` characters, cut at a space near the end.
pub(super) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    // A text with a control character that is not whitespace is not clean, and goes the long
    // way below, which gives it back with the same words.
    if is_clean(text.as_bytes()) && (text.len() <= max || text.chars().count() <= max) {
        // No more bytes than `max`, so no more characters either.
        return Cow::Borrowed(text);
    }
    // Words are taken only until the text is past `max` characters: the rest is never shown.
    let mut collapsed = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
            chars += 1;
        }
        collapsed.push_str(word);
        chars += word.chars().count();
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return Cow::Owned(collapsed);
    }
    let chars: Vec<char> = collapsed.chars().collect();
    let end = (max.saturating_sub(20)..max).rev().find(|&p| chars[p] == ' ').unwrap_or(max);
    Cow::Owned(chars[..end].iter().collect())
}

/// Append a page's fragment, `{"u":url,"t":title,"s":[[anchor,heading,text]…]}`: what a
/// result shows, and the text its best section is chosen from.
fn push_fragment(json: &mut String, page: &SearchPage<'_>) {
    json.push_str("{\"u\":");
    push_json_str(json, &page.url);
    json.push_str(",\"t\":");
    push_json_str(json, &page.title);
    json.push_str(",\"s\":[");
    for (i, s) in page.sections.iter().enumerate() {
        // A page that opens with a heading still has an entry for its top; its
        // description stands in for the text.
        let text = if i == 0 && s.text.trim().is_empty() { &page.description } else { &s.text };
        json.push_str(if i == 0 { "[" } else { ",[" });
        push_json_str(json, &s.anchor);
        json.push(',');
        push_json_str(json, &s.heading);
        json.push(',');
        push_text_json(json, text, SECTION_CHARS);
        json.push(']');
    }
    json.push_str("]}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_collapses_whitespace_and_cuts_at_a_space() {
        // What clipping did before it skipped texts already collapsed.
        let reference = |text: &str, max: usize| -> String {
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let chars: Vec<char> = collapsed.chars().collect();
            if chars.len() <= max {
                return collapsed;
            }
            let end = (max.saturating_sub(20)..max).rev().find(|&p| chars[p] == ' ').unwrap_or(max);
            chars[..end].iter().collect()
        };
        let long = "word 身份证 ".repeat(200);
        let samples = [
            "",
            " ",
            "one two",
            " lead",
            "trail ",
            "two  spaces",
            "tab\there",
            "nbsp\u{a0}here",
            "ideographic\u{3000}space",
            "thin\u{2009}space and\u{202f}narrow",
            "line\u{2028}sep",
            "not spaces: \u{2010}\u{2026}\u{201c}\u{3001}\u{3002}",
            long.as_str(),
            long.trim_end(),
            &"x".repeat(1500),
        ];
        for text in samples {
            for max in [5, 30, 1000] {
                assert_eq!(clip(text, max), reference(text, max), "clip({text:?}, {max})");
            }
        }
    }

    #[test]
    fn texts_are_written_as_clipped_and_escaped() {
        // Texts drawn from characters of every kind the quick way looks at or passes over (a
        // fixed pseudo-random walk), at lengths on both sides of the limit.
        let alphabet: Vec<char> =
            "ab  \"\\<>&\t\n\u{1}\u{1f}\u{7f}\u{85}\u{A0}\u{1680}\u{2000}\u{2028}\u{2029}\u{3000}\u{3001}—’é身¢"
                .chars()
                .collect();
        let mut next = crate::text::test_walk(99);
        for round in 0..3000 {
            let text: String = (0..round % 60).map(|_| alphabet[next(alphabet.len())]).collect();
            for max in [10, 40, 1000] {
                let (mut quick, mut reference) = ("x".to_string(), "x".to_string());
                push_text_json(&mut quick, &text, max);
                push_json_str(&mut reference, &clip(&text, max));
                assert_eq!(quick, reference, "{text:?} {max}");
            }
        }
    }

    #[test]
    fn control_bytes_and_double_spaces_are_found_anywhere() {
        let naive = |bytes: &[u8]| bytes.iter().any(|&b| b < 0x20) || bytes.windows(2).any(|w| w == b"  ");
        for len in 0..100 {
            let plain = "ab c".repeat(25)[..len].to_string();
            assert!(is_collapsed_piece(plain.as_bytes()));
            for at in 0..len {
                for bad in [&b"\t"[..], b"\x1f", b"  "] {
                    let mut bytes = plain.clone().into_bytes();
                    bytes.truncate(at);
                    bytes.extend_from_slice(bad);
                    bytes.extend_from_slice(&plain.as_bytes()[at..]);
                    assert_eq!(!is_collapsed_piece(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn a_chunk_is_the_script_of_its_json() {
        let page = SearchPage {
            url: "/p/".into(),
            title: "T \"q\"".into(),
            sections: vec![super::super::SearchSection {
                anchor: String::new(),
                heading: String::new(),
                text: "text <b>".into(),
            }]
            .into(),
            ..SearchPage::default()
        };
        let pages = [Cow::Borrowed(&page), Cow::Borrowed(&page)];
        let (name, text) = chunk_file(&pages);
        let mut json = "[".to_string();
        push_fragment(&mut json, &page);
        json.push(',');
        push_fragment(&mut json, &page);
        json.push(']');
        assert_eq!(name, super::super::files::content_name(&json));
        assert_eq!(&*text, super::super::files::script(&format!("d/{name}"), &json));
    }
}

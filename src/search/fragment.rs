//! A document chunk's file (`d/`): the fragments of its pages, as results show them. Every
//! byte of every page's text is written here, so a text that is already collapsed, as the
//! Markdown stage gathers it, is checked and escaped in one pass of vector tests that stops
//! where its cut does, instead of being collapsed again, and the file is written once, its
//! name filled in after.

use std::borrow::Cow;

use super::files::named_script;
use super::index::{SECTION_CHARS, SearchPage};
use crate::markdown::plain::is_collapsed_piece;
use crate::text::push_json_str;

mod scan;

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

/// Append `clip(text, max)` as a JSON string, as [`push_json_str`] writes it. When the text is
/// already collapsed as far as the clip looks at it (as the Markdown stage gathers text: no
/// control characters, no space at the start or next to another, no whitespace but spaces), it
/// is cut without being collapsed again, and checked and escaped in one pass that stops where
/// the clip does (see [`scan`]); otherwise it goes the long way, through [`clip`].
fn push_text_json(json: &mut String, text: &str, max: usize) {
    let start = json.len();
    let (kept, checked) = clip_bounds(text, max);
    let bytes = text.as_bytes();
    // A space at the end matters only when the check reaches it: the end of the text.
    let ends = bytes.first() != Some(&b' ') && (checked < bytes.len() || bytes.last() != Some(&b' '));
    if !(ends && scan::push_collapsed_json(json, text, kept, checked)) {
        json.truncate(start);
        push_json_str(json, &clip(text, max));
    }
}

/// Whether `bytes` is text as [`clip`] leaves it bar its length, with no control character:
/// no space at either end, and otherwise collapsed as the Markdown stage gathers text (see
/// [`is_collapsed_piece`], which looks at every byte by vectorised loops and searches).
fn is_clean(bytes: &[u8]) -> bool {
    bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ') && is_collapsed_piece(bytes)
}

/// Where [`clip`] of a collapsed text ends (`kept`), and how far the text must be collapsed for
/// that to hold (`checked`), as byte offsets. The clip keeps the first `max` characters, cut at
/// the last space among the last 20 of them when there is one, and the whole text when it has
/// no more than `max`. Whatever follows the first `max + 2` characters cannot change it: with
/// those collapsed and no space at the start, the collapsed text begins with the same
/// `max + 1` characters (character `max` is not whitespace, or a single space before
/// character `max + 1`, which is not). Most texts are short (no more bytes than `max`, so no
/// more characters) or ASCII (character `k` at byte `k`); others have their characters counted.
fn clip_bounds(text: &str, max: usize) -> (usize, usize) {
    let len = text.len();
    if len <= max {
        return (len, len);
    }
    let ascii = (max + 2).min(len);
    let (cut, checked) = if text.as_bytes()[..ascii].is_ascii() {
        (max, ascii)
    } else {
        let mut starts = text.char_indices().map(|(at, _)| at).skip(max);
        let cut = starts.next().unwrap_or(len);
        (cut, starts.nth(1).unwrap_or(len))
    };
    if cut == len {
        return (len, len);
    }
    let kept = text[..cut].char_indices().rev().take(20).find(|&(_, c)| c == ' ').map_or(cut, |(at, _)| at);
    (kept, checked)
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
        let text = if i == 0 && s.text.trim().is_empty() { &*page.description } else { s.text.as_str() };
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
    fn long_texts_are_written_as_clipped_and_escaped_around_the_cut() {
        // Texts of about the limit's length, mostly words, with one odd character placed on
        // either side of where the cut is and of where checking stops.
        let odd = [' ', '\t', '\u{3000}', '\u{2028}', '"', '<', '身', '\u{1}'];
        let mut next = crate::text::test_walk(5);
        for round in 0..400 {
            let wide = round % 3 == 0;
            let len = 990 + next(25);
            let mut chars: Vec<char> = (0..len)
                .map(|k| match next(7) {
                    0 if k > 0 => ' ',
                    1 if wide => '份',
                    2 => '&',
                    _ => 'w',
                })
                .collect();
            for k in 1..len {
                if chars[k] == ' ' && chars[k - 1] == ' ' {
                    chars[k] = 'v';
                }
            }
            let at = 994 + next(12);
            if at < len && round % 4 != 0 {
                chars[at] = odd[next(odd.len())];
            }
            let text: String = chars.iter().collect();
            for max in [30, 1000] {
                let (mut quick, mut reference) = ("x".to_string(), "x".to_string());
                push_text_json(&mut quick, &text, max);
                push_json_str(&mut reference, &clip(&text, max));
                assert_eq!(quick, reference, "{text:?} {max}");
            }
        }
    }

    #[test]
    fn what_follows_the_cut_is_looked_at_as_far_as_it_matters() {
        // Whitespace just after the limit decides whether the text has more than `max`
        // characters once collapsed, and so whether it is cut at all.
        for head in [995, 998, 999, 1000, 1001] {
            for tail in [" ", "  ", " \t", "\u{3000}", " \u{3000}", " x", "x ", "x  ", "x \u{1}", "xy"] {
                let text = format!("{} {}{tail}", "w".repeat(990), "w".repeat(head - 991));
                let (mut quick, mut reference) = (String::new(), String::new());
                push_text_json(&mut quick, &text, SECTION_CHARS);
                push_json_str(&mut reference, &clip(&text, SECTION_CHARS));
                assert_eq!(quick, reference, "{head} {tail:?}");
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

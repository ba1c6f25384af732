//! The parsed events of a large body, for each pass over them. pulldown-cmark keeps a tree of
//! the whole text it parses, about nine times the text's size, so a large body is parsed in
//! pieces, one after the other, wherever the pieces give exactly the events of the whole:
//! between blocks at the top level, where nothing open can continue.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

/// The least size of a piece (it ends at the first place to cut after this many bytes).
/// Small: a piece's tree (nine times its size) is freed as the next piece is parsed, and at
/// 256 KiB each tree was large enough to go back to the system and be fetched again, which
/// took more time (and, freed a while later, more memory) than parsing 16 times as many pieces.
pub(super) const PIECE_BYTES: usize = 16 * 1024;

/// Where `body` may be cut into pieces parsed alone, each at least `least` bytes long (the
/// last one aside); one piece, the whole body, when it holds anything that may reach past a
/// blank line or from one block to another.
///
/// A piece ends after a blank line (`\n\n`) followed by a line that starts with a letter: a
/// paragraph at the top level, which closes every list, quote and indented code block open
/// before it. Fenced code and HTML blocks such as `<!-- … -->` or `<pre>` run on over blank
/// lines, and link reference and footnote definitions are read by the whole body, so a body
/// holding any of their markers (anywhere, which is stricter than needed) is not cut.
pub(super) fn pieces(body: &str, least: usize) -> Vec<Range<usize>> {
    if !may_be_cut(body) {
        let whole = 0..body.len();
        return vec![whole];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let blank = memchr::memmem::Finder::new(b"\n\n");
    let mut from = least;
    while from < body.len() {
        let Some(found) = blank.find(&body.as_bytes()[from..]) else { break };
        let next = from + found + 2;
        if body[next..].chars().next().is_some_and(char::is_alphabetic) {
            pieces.push(start..next);
            start = next;
            from = next + least;
        } else {
            from = next - 1;
        }
    }
    pieces.push(start..body.len());
    pieces
}

/// Whether `body` holds none of the markers that keep a body whole (see [`pieces`]).
fn may_be_cut(body: &str) -> bool {
    let has = |marker: &str| memchr::memmem::find(body.as_bytes(), marker.as_bytes()).is_some();
    if has("```") || has("~~~") || has("]:") {
        return false;
    }
    // HTML blocks that end at a marker rather than at a blank line: `<!--`, `<?`, `<!X`,
    // `<![CDATA[`, `<script`, `<pre`, `<style`, `<textarea`.
    !memchr::memchr_iter(b'<', body.as_bytes()).any(|at| {
        matches!(body.as_bytes().get(at + 1), Some(b'!' | b'?' | b's' | b'S' | b'p' | b'P' | b't' | b'T'))
    })
}

/// The events of `body` with their source ranges, parsed piece by piece.
pub(super) fn parse<'b, 'p>(
    body: &'b str,
    options: Options,
    pieces: &'p [Range<usize>],
) -> impl Iterator<Item = (Event<'b>, Range<usize>)> + 'p
where
    'b: 'p,
{
    pieces.iter().flat_map(move |piece| {
        let start = piece.start;
        Parser::new_ext(&body[piece.clone()], options)
            .into_offset_iter()
            .map(move |(event, range)| (event, range.start + start..range.end + start))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        super::super::parser_options(&crate::config::MarkdownOptions::default())
    }

    fn whole(body: &str) -> Vec<(Event<'_>, Range<usize>)> {
        Parser::new_ext(body, options()).into_offset_iter().collect()
    }

    #[test]
    fn pieces_give_the_events_of_the_whole() {
        let body = "Intro *text*\nover two lines.\n\n- a list\n- loose\n\n  continued\n\nAfter the list.\n\n\
                    > a quote\n\nTable | Fee\n--- | ---\nCard | 20\n\nSetext\n---\n\n    indented code\n\n\
                    Then **bold [a link](x.md)** and ~~struck~~ text.\n\n1. one\n\n2. two\n\n## Heading {#id}\n\n\
                    Text\n\n\n\nEnd.\n";
        let cut = pieces(body, 1);
        assert!(cut.len() > 5, "{cut:?}");
        let parsed: Vec<_> = parse(body, options(), &cut).collect();
        assert_eq!(parsed, whole(body));
    }

    #[test]
    fn markers_that_reach_across_blocks_keep_the_body_whole() {
        for marker in
            ["```\n\ncode\n", "~~~\n\nx\n", "[a]: /b\n", "[^n]: note\n", "<!--\n\nx -->\n", "<pre>\n\nx\n"]
        {
            let body = format!("One.\n\n{marker}\n\nTwo [a] and [^n].\n\nThree.\n");
            let cut = pieces(&body, 1);
            assert_eq!((cut.len(), cut[0].start, cut[0].end), (1, 0, body.len()), "{marker:?}");
        }
    }

    #[test]
    fn pieces_are_at_least_the_size_asked() {
        let body = "Word.\n\n".repeat(1000);
        let cut = pieces(&body, 1000);
        assert!(cut.iter().rev().skip(1).all(|p| p.len() >= 1000), "{cut:?}");
        assert_eq!(cut.last().map(|p| p.end), Some(body.len()));
        assert_eq!(parse(&body, options(), &cut).collect::<Vec<_>>(), whole(&body));
    }
}

//! Finding shortcode calls in Markdown: `{{ name(arg="value") }}` inline, and
//! `{% name(arg="value") %}` … `{% end %}` around a body. Calls inside code spans and code
//! blocks are text, never calls, so a page can show the syntax itself.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// One call found in a text, by byte offsets into that text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Call {
    /// Where the call starts (its `{{` or `{%`) and ends (past its `}}`, or its `{% end %}`).
    pub span: Range<usize>,
    /// The shortcode's name, and where it is written.
    pub name: String,
    pub name_at: usize,
    pub args: Vec<Arg>,
    /// The body of a block call, between its opening tag and `{% end %}`.
    pub body: Option<Range<usize>>,
}

/// One `name=value` argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Arg {
    pub name: String,
    pub value: serde_json::Value,
    /// Where the argument is written (`name=value`).
    pub span: Range<usize>,
}

/// A call that cannot be read, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// Whether `text` may hold a call at all (most pages hold none: they are not parsed twice).
pub(super) fn may_hold_calls(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find(bytes, b"{{").is_some() || memchr::memmem::find(bytes, b"{%").is_some()
}

/// The byte ranges of code spans and code blocks in `text`.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_GFM;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// Every top-level call of `text` (calls in a block's body are the body's own), in order.
pub(super) fn find(text: &str) -> (Vec<Call>, Vec<SyntaxError>) {
    let code = code_ranges(text);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut at = 0;
    while let Some(found) = next_tag(text, at) {
        at = found + 2;
        if in_code(found) {
            continue;
        }
        let block = text.as_bytes()[found + 1] == b'%';
        let opened = match open_tag(text, found, block) {
            Ok(Some(tag)) => tag,
            Ok(None) => continue,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Opening { name, name_at, args, end } = opened;
        if block && name == "end" {
            errors.push(SyntaxError {
                span: found..end,
                message: "`{% end %}` without a shortcode to end".into(),
                hint: "remove it, or open a block with `{% name(...) %}` before it".into(),
            });
            at = end;
            continue;
        }
        let (body, call_end) = if block {
            match matching_end(text, end, &in_code) {
                Some((body_end, close_end)) => (Some(end..body_end), close_end),
                None => {
                    errors.push(SyntaxError {
                        span: found..end,
                        message: format!("`{{% {name}(...) %}}` is never closed"),
                        hint: "end its body with `{% end %}` on a line of its own".into(),
                    });
                    at = end;
                    continue;
                }
            }
        } else {
            (None, end)
        };
        calls.push(Call { span: found..call_end, name, name_at, args, body });
        at = call_end;
    }
    (calls, errors)
}

/// The next `{{` or `{%` at or after `from`.
fn next_tag(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(b'{', bytes.get(at..)?) {
        let i = at + i;
        if matches!(bytes.get(i + 1), Some(b'{') | Some(b'%')) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// An opening tag read: the name, the arguments, and where the tag ends.
struct Opening {
    name: String,
    name_at: usize,
    args: Vec<Arg>,
    end: usize,
}

/// Read the tag at `start`. `Ok(None)` when it is no call (`{{ page.title }}` in prose, or
/// text that merely starts like one); an error once it is clearly meant as one (a name
/// followed by `(`).
fn open_tag(text: &str, start: usize, block: bool) -> Result<Option<Opening>, SyntaxError> {
    let mut cursor = Cursor { text, at: start + 2 };
    cursor.skip_spaces();
    let name_at = cursor.at;
    let name = cursor.ident();
    if name.is_empty() {
        return Ok(None);
    }
    cursor.skip_spaces();
    let close = if block { "%}" } else { "}}" };
    if block && name == "end" && cursor.eat(close) {
        return Ok(Some(Opening { name, name_at, args: Vec::new(), end: cursor.at }));
    }
    if !cursor.eat("(") {
        return Ok(None);
    }
    let args = cursor.args()?;
    cursor.skip_spaces();
    if !cursor.eat(close) {
        return Err(cursor.error(
            format!("shortcode call `{name}` is not closed with `{close}`"),
            format!("write it as `{}{name}(...){close}`", if block { "{% " } else { "{{ " }),
        ));
    }
    Ok(Some(Opening { name, name_at, args, end: cursor.at }))
}

/// The `{% end %}` that closes a block whose body starts at `from` (nested blocks have
/// their own): where the body ends and where the closing tag ends.
fn matching_end(text: &str, from: usize, in_code: &dyn Fn(usize) -> bool) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut at = from;
    while let Some(found) = next_tag(text, at) {
        at = found + 2;
        if in_code(found) || text.as_bytes()[found + 1] != b'%' {
            continue;
        }
        let Ok(Some(tag)) = open_tag(text, found, true) else { continue };
        if tag.name == "end" {
            if depth == 0 {
                return Some((found, tag.end));
            }
            depth -= 1;
        } else {
            depth += 1;
        }
        at = tag.end;
    }
    None
}

/// A reading position in a call.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn ident(&mut self) -> String {
        let rest = self.rest();
        let len =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        self.at += len;
        rest[..len].to_string()
    }

    fn error(&self, message: String, hint: impl Into<String>) -> SyntaxError {
        let len = self.rest().chars().next().map_or(1, char::len_utf8);
        SyntaxError { span: self.at..self.at + len, message, hint: hint.into() }
    }

    /// `name="text", n=3, open=true` up to and past the closing `)`.
    fn args(&mut self) -> Result<Vec<Arg>, SyntaxError> {
        let mut args = Vec::new();
        loop {
            self.skip_spaces();
            if self.eat(")") {
                return Ok(args);
            }
            let start = self.at;
            let name = self.ident();
            if name.is_empty() {
                return Err(self.error(
                    "expected an argument name or `)` in a shortcode call".into(),
                    "arguments are written `name=\"value\"`, separated by commas",
                ));
            }
            self.skip_spaces();
            if !self.eat("=") {
                return Err(self.error(
                    format!("expected `=` after argument `{name}`"),
                    format!("write `{name}=\"value\"`"),
                ));
            }
            self.skip_spaces();
            let value = self.value(&name)?;
            args.push(Arg { name, value, span: start..self.at });
            self.skip_spaces();
            if !self.eat(",") && !self.rest().starts_with(')') {
                return Err(self.error(
                    "expected `,` or `)` after an argument".into(),
                    "separate arguments with commas: `name=\"a\", other=\"b\"`",
                ));
            }
        }
    }

    fn value(&mut self, name: &str) -> Result<serde_json::Value, SyntaxError> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            return self.quoted(quote);
        }
        if rest.starts_with(['“', '”', '‘', '’']) {
            return Err(self.error(
                format!("full-width quote in the value of `{name}`"),
                "type ASCII quotes `\"…\"` around the value (an input method may have changed them)",
            ));
        }
        let len = rest.find([',', ')', ' ', '\n', '\t', '\r']).unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            _ => match serde_json::from_str::<serde_json::Number>(word) {
                Ok(n) if !word.is_empty() => serde_json::Value::Number(n),
                _ => {
                    return Err(self.error(
                        format!("the value of `{name}` is neither quoted text, a number nor true/false"),
                        format!("put text in quotes: `{name}=\"{word}\"`"),
                    ));
                }
            },
        };
        self.at += len;
        Ok(value)
    }

    fn quoted(&mut self, quote: char) -> Result<serde_json::Value, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                '\n' => break,
                c if c == quote => {
                    self.at += i + 1;
                    return Ok(serde_json::Value::String(value));
                }
                c => value.push(c),
            }
        }
        self.at = open;
        Err(self.error(
            format!("text opened with {quote} is never closed"),
            format!("close it with {quote} on the same line"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        find(text).0.into_iter().map(|c| c.name).collect()
    }

    #[test]
    fn inline_and_block_calls_with_arguments() {
        let text = "Within {{ fact(key=\"renewal.days\", n=2, open=true) }} days.\n\n{% details(summary='More') %}\nBody {{ fact(key=\"x\") }}\n{% end %}\n";
        let (calls, errors) = find(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "fact");
        assert_eq!(&text[calls[0].span.clone()], "{{ fact(key=\"renewal.days\", n=2, open=true) }}");
        let values: Vec<String> = calls[0].args.iter().map(|a| format!("{}={}", a.name, a.value)).collect();
        assert_eq!(values, ["key=\"renewal.days\"", "n=2", "open=true"]);
        assert_eq!(calls[1].name, "details");
        assert_eq!(&text[calls[1].body.clone().expect("body")], "\nBody {{ fact(key=\"x\") }}\n");
        assert!(text[calls[1].span.clone()].ends_with("{% end %}"));
    }

    #[test]
    fn calls_in_code_and_template_expressions_are_text() {
        assert!(names("Use `{{ fact(key=\"a\") }}` here.\n\n```\n{{ fact(key=\"b\") }}\n```\n").is_empty());
        assert!(names("Show {{ page.title }} and { {x} } and {{ }}.").is_empty());
        assert_eq!(names("`code` then {{ fact(key=\"c\") }}"), ["fact"]);
    }

    #[test]
    fn nested_blocks_close_at_their_own_end() {
        let text = "{% details(summary=\"a\") %}\n{% details(summary=\"b\") %}\ninner\n{% end %}\nouter\n{% end %}\nafter";
        let (calls, errors) = find(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(calls.len(), 1);
        assert!(text[calls[0].body.clone().expect("body")].contains("outer"));
    }

    #[test]
    fn broken_calls_say_what_to_write() {
        let messages = |text: &str| find(text).1.into_iter().map(|e| e.message).collect::<Vec<_>>();
        assert_eq!(
            messages("{{ fact(key=renewal) }}"),
            ["the value of `key` is neither quoted text, a number nor true/false"]
        );
        assert_eq!(messages("{{ fact(key=\"a\" }}"), ["expected `,` or `)` after an argument"]);
        assert_eq!(messages("{{ fact(key=“a”) }}"), ["full-width quote in the value of `key`"]);
        assert_eq!(messages("{{ fact(key=\"a) }}"), ["text opened with \" is never closed"]);
        assert_eq!(
            messages("{% details(summary=\"a\") %}\nno end"),
            ["`{% details(...) %}` is never closed"]
        );
        assert_eq!(messages("text\n{% end %}"), ["`{% end %}` without a shortcode to end"]);
    }
}

//! The one place that parses YAML (`site.yaml`, front matter, theme strings, data files).
//!
//! Everything else receives typed values or [`YamlError`]s that carry a line and column
//! relative to the YAML text; callers shift them into file coordinates.

use serde::de::DeserializeOwned;

/// A YAML problem with its position inside the YAML text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong, as serde_yaml words it (without the position suffix).
    pub message: String,
    /// 1-based line inside the YAML text, if known.
    pub line: Option<usize>,
    /// 1-based column inside the YAML text, if known.
    pub column: Option<usize>,
}

impl YamlError {
    fn from_serde(err: &serde_yaml::Error) -> Self {
        let location = err.location();
        let mut message = err.to_string();
        // serde_yaml appends " at line L column C"; the caller prints the position itself.
        if let Some(idx) = message.find(" at line ") {
            message.truncate(idx);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    }
}

/// A top-level key of a YAML mapping and where it stands in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPosition {
    /// The key as written (unquoted).
    pub key: String,
    /// 1-based line of the key.
    pub line: usize,
    /// 1-based column of the key.
    pub column: usize,
    /// 1-based column where the value starts on the key's line (just past `: `).
    pub value_column: usize,
}

/// Deserialize `text` into `T`, mapping errors to [`YamlError`]. Empty text is an empty mapping.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(source).map_err(|e| clamp(YamlError::from_serde(&e), text))
}

/// An error at the very end of a text without a final newline is reported one line past it;
/// point at the end of the last line instead, where a reader can see it.
fn clamp(mut err: YamlError, text: &str) -> YamlError {
    let lines = text.lines().count().max(1);
    if err.line.is_some_and(|line| line > lines) {
        err.line = Some(lines);
        err.column = Some(text.lines().last().map(|l| l.chars().count() + 1).unwrap_or(1));
    }
    err
}

/// Parse `text` as a generic YAML value and convert it to JSON (for free-form `extra` maps).
pub fn to_json(value: &serde_yaml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// A YAML value, re-exported so that callers never name serde_yaml.
pub type Value = serde_yaml::Value;

/// The value of `key` when `line` writes it in one of the plainest forms, `key: [a, "b c"]` or
/// `key: "a"`, whose items are double-quoted strings without escapes or words that can only be
/// strings; `None` for anything else, which the parser reads. Front matter lists its terms so on
/// almost every page, and the parser costs more than all the rest of reading them.
pub fn plain_list(line: &str, key: &str) -> Option<Value> {
    let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
    if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        if items.trim().is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        return items
            .split(',')
            .map(|item| plain_string(item.trim()))
            .collect::<Option<_>>()
            .map(Value::Sequence);
    }
    if value.starts_with('"') { plain_string(value) } else { None }
}

/// `"text"` without escapes, or a word of letters (and inner spaces, `-` and `_`) that no YAML
/// schema reads as anything but a string, as a string value.
fn plain_string(item: &str) -> Option<Value> {
    if let Some(quoted) = item.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
        let plain = !quoted.contains(['"', '\\']) && !quoted.chars().any(char::is_control);
        return plain.then(|| Value::String(quoted.to_string()));
    }
    let word = item.chars().next().is_some_and(char::is_alphabetic)
        && item.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        && !item.ends_with(' ');
    let reserved = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    let reserved = reserved.iter().any(|r| item.eq_ignore_ascii_case(r));
    (word && !reserved).then(|| Value::String(item.to_string()))
}

/// Find the top-level keys of a block mapping by scanning lines.
///
/// This is deliberately simple: front matter and `site.yaml` are flat block mappings,
/// and we only need positions for diagnostics, never the values.
pub fn top_level_keys(text: &str) -> Vec<KeyPosition> {
    let mut keys = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let (key, rest_at) = if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
            match line[1..].find(quote) {
                Some(end) => (line[1..1 + end].to_string(), end + 2),
                None => continue,
            }
        } else {
            match line.find(':') {
                Some(colon) => (line[..colon].trim_end().to_string(), colon),
                None => continue,
            }
        };
        let rest = &line[rest_at..];
        if !rest.starts_with(':') {
            continue;
        }
        let after_colon = &rest[1..];
        let value_offset = rest_at + 1 + (after_colon.len() - after_colon.trim_start().len());
        keys.push(KeyPosition {
            key,
            line: idx + 1,
            column: 1,
            value_column: line[..value_offset.min(line.len())].chars().count() + 1,
        });
    }
    keys
}

/// A mistake that breaks YAML and that editors make often, found line by line before parsing
/// so that it can be named in plain words (a parser only sees a confusing token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// `title：…`: a full-width colon, as a Chinese input method types it, after a key.
    FullWidthColon,
    /// A tab in the indentation; YAML indents with spaces only.
    TabIndent,
    /// `title: Step 1: check`: a colon and a space inside a value that is not in quotes.
    UnquotedColon,
}

/// One slip and where it is inside the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// What kind of slip.
    pub kind: SlipKind,
    /// 1-based line inside the YAML text.
    pub line: usize,
    /// 1-based column (in characters) of the offending character.
    pub column: usize,
    /// How many characters to underline.
    pub length: usize,
    /// The line as written, for messages that quote it.
    pub text: String,
}

impl Slip {
    /// What is wrong, in plain words.
    pub fn message(&self) -> String {
        let (key, _) = self.key_and_value();
        match self.kind {
            SlipKind::FullWidthColon => format!("full-width colon `：` after `{key}`"),
            SlipKind::TabIndent => "this line is indented with a tab".to_string(),
            SlipKind::UnquotedColon => format!("the value of `{key}` holds `: ` but is not in quotes"),
        }
    }

    /// What to type instead; repeated in Chinese when the line holds Chinese text, as the
    /// editor is then likely to read Chinese.
    pub fn hints(&self) -> Vec<String> {
        let (key, value) = self.key_and_value();
        let (hint, zh) = match self.kind {
            SlipKind::FullWidthColon => (
                format!("type an ASCII colon and a space instead: `{key}: {value}`"),
                "键名后要用半角冒号加空格（`: `），不能用全角冒号“：”",
            ),
            SlipKind::TabIndent => (
                "indent with spaces only: replace the tab (shown as `--->`) with two spaces".to_string(),
                "缩进只能用空格：请把制表符（显示为 `--->`）换成两个空格",
            ),
            SlipKind::UnquotedColon => (
                format!("put the value in quotes: `{key}: \"{}\"`", value.replace('"', "\\\"")),
                "值里有“: ”时，请用英文双引号把整个值括起来",
            ),
        };
        if has_cjk(&self.text) { vec![hint, zh.to_string()] } else { vec![hint] }
    }

    fn key_and_value(&self) -> (&str, &str) {
        let body = self.text.trim_start().trim_start_matches("- ");
        let (key, value) = body.split_once([':', '：']).unwrap_or((body, ""));
        (key, value.trim())
    }
}

/// Whether `text` holds Chinese, Japanese or Korean characters or full-width punctuation.
fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{ff00}'..='\u{ffef}'))
}

/// What [`scan_slips`] found: the slips, and the text with each one mended (line numbers kept)
/// so that parsing can go on and report the file's other problems in the same run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The slips, in line order.
    pub slips: Vec<Slip>,
    /// The text with every slip mended.
    pub mended: String,
}

/// Find full-width colons after keys, tabs in indentation and unquoted `: ` in values.
///
/// Lines inside block scalars (`|`, `>`) are free text and left alone.
pub fn scan_slips(text: &str) -> Scan {
    let mut slips = Vec::new();
    let mut lines = Vec::new();
    let mut block_indent: Option<usize> = None;
    for (idx, raw) in text.split('\n').enumerate() {
        let (line, cr) = match raw.strip_suffix('\r') {
            Some(line) => (line, "\r"),
            None => (raw, ""),
        };
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(outer) = block_indent {
            if line.trim().is_empty() || indent > outer {
                lines.push(raw.to_string());
                continue;
            }
            block_indent = None;
        }
        let mut mended = mend_tabs(line, indent, idx + 1, &mut slips);
        mended = mend_key_line(&mended, line, idx + 1, &mut slips, &mut block_indent);
        lines.push(format!("{mended}{cr}"));
    }
    Scan { slips, mended: lines.join("\n") }
}

/// Tabs in the indentation become two spaces each (the usual step of a nested list).
fn mend_tabs(line: &str, indent: usize, line_no: usize, slips: &mut Vec<Slip>) -> String {
    let Some(first_tab) = line[..indent].find('\t') else { return line.to_string() };
    slips.push(Slip {
        kind: SlipKind::TabIndent,
        line: line_no,
        column: first_tab + 1,
        length: indent - first_tab,
        text: line.to_string(),
    });
    format!("{}{}", line[..indent].replace('\t', "  "), &line[indent..])
}

/// A key as editors write them: ASCII letters, digits, `_` and `-`.
fn is_plain_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Byte index of the first `:` that ends a key (followed by a space, a tab or the line end).
fn key_colon(body: &str) -> Option<usize> {
    body.char_indices()
        .find(|&(i, c)| c == ':' && body[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t'))
        .map(|(i, _)| i)
}

/// Mend a full-width colon after a key and quote a plain value holding `: `; `original` is
/// the line as written (columns are reported in it), `line` the line with its tabs mended.
fn mend_key_line(
    line: &str,
    original: &str,
    line_no: usize,
    slips: &mut Vec<Slip>,
    block_indent: &mut Option<usize>,
) -> String {
    let trimmed = line.trim_start_matches(' ');
    if trimmed.starts_with('#') {
        return line.to_string();
    }
    let mut start = line.len() - trimmed.len();
    while line[start..].starts_with("- ") {
        start += 2 + (line[start + 2..].len() - line[start + 2..].trim_start().len());
    }
    let body = &line[start..];
    let ascii = key_colon(body);
    if let Some(wide) = body.find('：').filter(|&w| ascii.is_none_or(|a| w < a) && is_plain_key(&body[..w]))
    {
        slips.push(Slip {
            kind: SlipKind::FullWidthColon,
            line: line_no,
            column: original.find('：').map_or(1, |i| original[..i].chars().count() + 1),
            length: 1,
            text: original.to_string(),
        });
        let after = &body[wide + '：'.len_utf8()..];
        let gap = if after.starts_with([' ', '\t']) { "" } else { " " };
        let mended = format!("{}{}:{gap}{after}", &line[..start], &body[..wide]);
        return mend_key_line(&mended, original, line_no, slips, block_indent);
    }
    let Some(colon) = ascii.filter(|&c| is_plain_key(&body[..c])) else { return line.to_string() };
    let value_at = start + colon + 1 + (body[colon + 1..].len() - body[colon + 1..].trim_start().len());
    let value = &line[value_at..];
    if value.starts_with(['|', '>']) {
        *block_indent = Some(line.len() - line.trim_start().len());
        return line.to_string();
    }
    if value.is_empty() || value.starts_with(['"', '\'', '[', '{', '&', '*', '!', '#', '%', '@', '`']) {
        return line.to_string();
    }
    let (text, comment) = match value.find(" #") {
        Some(hash) => value.split_at(hash),
        None => (value, ""),
    };
    let text = text.trim_end();
    let Some(inner) = key_colon(text) else { return line.to_string() };
    // Mending touched only the indentation and the key's colon: the value is as written.
    let value_start = original[..original.len() - comment.len()].rfind(text).unwrap_or(0);
    slips.push(Slip {
        kind: SlipKind::UnquotedColon,
        line: line_no,
        column: original[..value_start + inner].chars().count() + 1,
        length: 1,
        text: original.to_string(),
    });
    let quoted = format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    format!("{}{quoted}{comment}", &line[..value_at])
}

/// What a value should have been, in an editor's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `true` or `false`.
    TrueFalse,
    /// Text.
    Text,
    /// A whole number.
    WholeNumber,
    /// A list.
    List,
    /// `name: value` pairs.
    Pairs,
    /// Anything else.
    Other,
}

/// A value of the wrong kind, read from serde's "invalid type: X, expected Y".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The field path serde named (`draft`, `changes[0].date`), if any.
    pub field: Option<String>,
    /// What was written, in plain words (`` `ture` ``, `a list`).
    pub found: String,
    /// What the value should be.
    pub expected: Expected,
    /// Whether `found` quotes back the value as written (not a kind such as `a list`).
    pub literal: bool,
}

/// A serde field path in words: `draft` stays `` `draft` ``, `aliases[0]` is
/// ``item 1 of `aliases` `` and `changes[0].date` is ``` `date` of item 1 of `changes` ```.
pub fn field_words(path: &str) -> String {
    let Some((top, rest)) = path.split_once('[') else { return format!("`{path}`") };
    let Some((index, rest)) = rest.split_once(']') else { return format!("`{path}`") };
    let Ok(index) = index.parse::<usize>() else { return format!("`{path}`") };
    let item = format!("item {} of `{top}`", index + 1);
    match rest.strip_prefix('.') {
        Some(inner) if !inner.is_empty() => format!("{} of {item}", field_words(inner)),
        _ => item,
    }
}

/// A required field missing from a value, read from serde's "missing field `x`": the path of
/// the value it is missing from (if any) and the field's name.
pub fn missing_field(message: &str) -> Option<(Option<&str>, &str)> {
    let start = message.find("missing field `")?;
    let path = message[..start].strip_suffix(": ");
    let field = message[start + "missing field `".len()..].split('`').next()?;
    Some((path, field))
}

impl Mismatch {
    /// (message, hint) for this wrong value of `field` (a serde path such as `draft` or
    /// `changes[0].date`, named in words).
    pub fn describe(&self, field: &str) -> (String, String) {
        let found = &self.found;
        let subject = field_words(field);
        let top = field.split(['[', '.']).next().unwrap_or(field);
        let item = field.contains('[');
        match self.expected {
            Expected::TrueFalse => (
                format!("{subject} must be `true` or `false`, not {found}"),
                format!("write `{top}: true` or `{top}: false`"),
            ),
            Expected::Text if self.literal && !item => (
                format!("{subject} must be text, not {found}"),
                format!("put it in quotes: `{top}: \"{}\"`", found.trim_matches('`')),
            ),
            Expected::Text if item => (
                format!("{subject} must be text, not {found}"),
                format!("write each item of `{top}` as one line of text, like `- first` and `- second`"),
            ),
            Expected::Text => (
                format!("{subject} must be text, not {found}"),
                format!(
                    "write the text on the line of `{top}:`; put text that holds `: `, or starts with `[`, `{{` or `- `, in quotes"
                ),
            ),
            Expected::WholeNumber => (
                format!("{subject} must be a whole number, not {found}"),
                format!("write digits only, like `{top}: 10`"),
            ),
            Expected::List => (
                format!("{subject} must be a list, not {found}"),
                format!("write it like `{top}: [first, second]`, or as `- item` lines under it"),
            ),
            Expected::Pairs => (
                format!("{subject} must be `name: value` pairs, not {found}"),
                "write them indented under it, one `name: value` per line".to_string(),
            ),
            Expected::Other => (
                format!("{subject} has a value of the wrong kind: {found}"),
                "see the README for what it takes".to_string(),
            ),
        }
    }

    /// How many characters to underline: the value when it was quoted back, else one.
    pub fn length(&self) -> usize {
        if !self.literal {
            return 1;
        }
        self.found.strip_prefix('`').and_then(|f| f.strip_suffix('`')).map_or(1, |f| f.chars().count())
    }
}

/// Read a type error without passing serde's internal names (`struct RawFrontMatter`) on.
pub fn mismatch(message: &str) -> Option<Mismatch> {
    let start = message.find("invalid type: ")?;
    let field = message[..start].strip_suffix(": ").map(str::to_string);
    let (found, expected) = message[start + "invalid type: ".len()..].split_once(", expected ")?;
    let found_words = plain_found(found);
    let literal = found_words.starts_with('`') && found_words.ends_with('`');
    Some(Mismatch { field, found: found_words, expected: plain_expected(expected), literal })
}

fn plain_found(found: &str) -> String {
    let quoted = found.split_once(['"', '`']).map(|(_, rest)| rest.trim_end_matches(['"', '`']));
    match (found.split(' ').next().unwrap_or(found), quoted) {
        ("map", _) => "`name: value` pairs".to_string(),
        ("sequence", _) => "a list".to_string(),
        ("unit", _) => "nothing".to_string(),
        (_, Some(value)) => format!("`{value}`"),
        _ => found.to_string(),
    }
}

fn plain_expected(expected: &str) -> Expected {
    match expected {
        "a boolean" => Expected::TrueFalse,
        "a string" => Expected::Text,
        "i64" | "i32" | "u64" | "u32" | "usize" | "an integer" => Expected::WholeNumber,
        "a sequence" => Expected::List,
        e if e.starts_with("struct ") || e == "a map" => Expected::Pairs,
        _ => Expected::Other,
    }
}

/// Whether a parse error is about one value (the rest of the text can still be read), as
/// opposed to broken syntax.
pub fn is_value_error(message: &str) -> bool {
    ["invalid type", "invalid value", "unknown variant", "unknown field", "invalid length", "missing field"]
        .iter()
        .any(|m| message.contains(m))
}

/// A syntax error that [`scan_slips`] did not explain, in plain words: (message, hint).
pub fn plain_syntax(message: &str) -> (String, String) {
    let (what, hint) = if message.contains("did not find expected ',' or ']'")
        || message.contains("did not find expected ',' or '}'")
    {
        (
            "a list in `[` … `]` is not closed",
            "close it on the same line with `]`, with a comma between items",
        )
    } else if message.contains("found unexpected end of stream") || message.contains("quoted scalar") {
        ("a quote is not closed", "end the text with the same quote mark it starts with")
    } else if message.contains("cannot start any token") {
        ("this value starts with a character that YAML reserves", "put the value in quotes")
    } else if message.contains("duplicate field") || message.contains("duplicate entry") {
        ("a key is written twice", "keep one of the two lines")
    } else if message.contains("mapping values are not allowed") {
        (
            "this line is indented as if it belonged to the line above",
            "start top-level keys at the beginning of the line; indent only what belongs to a key",
        )
    } else if message.contains("block sequence entries are not allowed") {
        ("a `- item` line is not where a list can start", "start the list on the line after `key:`")
    } else {
        (
            "this line is not a `key: value` line",
            "write one `key: value` per line; put text with `: ` or ` #` in quotes",
        )
    };
    (format!("front matter cannot be read here: {what}"), hint.to_string())
}

/// Split serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant ...",
/// possibly behind a `path: ` prefix) into `x` and the expected names.
pub fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let start = message.find("unknown field `").or_else(|| message.find("unknown variant `"))?;
    let rest = &message[start..];
    let rest = &rest[rest.find('`')? + 1..];
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((field, expected))
}

/// Where the key at `path` (`["offices", "nanchang", "phone"]`) stands in a block-mapping
/// YAML text: its 1-based line and column. Found by indentation, like [`top_level_keys`]:
/// data files are plain block mappings, and only positions for messages are needed. `None`
/// when a key is not written in block style (a flow mapping `{a: 1}`, a list entry).
pub fn key_position(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let mut depth = 0;
    // The indentation of the mapping searched now (set by its first key), and of the key
    // found last, whose mapping it is.
    let mut level: Option<usize> = None;
    let mut indent_above: Option<usize> = None;
    for (idx, line) in text.lines().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent_above.is_some_and(|above| indent <= above) {
            // Left the mapping of the key found last: the key sought is not under it.
            return None;
        }
        let current = *level.get_or_insert(indent);
        if indent != current {
            continue;
        }
        let key = trimmed.split_once(':').map(|(k, _)| k.trim().trim_matches(['"', '\'']));
        if key.is_some() && key == path.get(depth).copied() {
            if depth + 1 == path.len() {
                return Some((idx + 1, indent + 1));
            }
            depth += 1;
            indent_above = Some(indent);
            level = None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_term_lists_are_read_without_the_parser() {
        let parsed = |text: &str| from_str::<Value>(text).expect("valid YAML");
        assert_eq!(plain_list("tags: [\"a\", b c, 税务]", "tags"), Some(parsed("[a, b c, 税务]")));
        assert_eq!(plain_list("tags:  [ \"a\" ,b ] ", "tags"), Some(parsed("[a, b]")));
        assert_eq!(plain_list("tags: \"a b\"", "tags"), Some(parsed("a b")));
        assert_eq!(plain_list("tags: []", "tags"), Some(parsed("[]")));
        for other in [
            "tags: [yes]",
            "tags: [Null]",
            "tags: [1]",
            "tags: [a1, 2b]",
            "tags: a",
            "tags: ['a']",
            "tags: [\"a\\\"\"]",
            "tags: [a] # c",
            "tag: [a]",
            "tags: [a,]",
            "tags: [a: b]",
            "\"tags\": [a]",
        ] {
            assert_eq!(plain_list(other, "tags"), None, "{other}");
        }
    }

    #[test]
    fn splits_unknown_field_messages() {
        let (field, expected) =
            unknown_field("unknown field `titel`, expected one of `title`, `date`").unwrap();
        assert_eq!(field, "titel");
        assert_eq!(expected, ["title", "date"]);
        assert!(unknown_field("missing field `title`").is_none());
        let (variant, _) = unknown_field("kind: unknown variant `stpes`, expected `steps`").unwrap();
        assert_eq!(variant, "stpes");
    }

    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[allow(dead_code)]
        title: String,
        draft: Option<bool>,
    }

    #[test]
    fn errors_carry_positions_inside_the_yaml() {
        let err = from_str::<Sample>("title: x\ndraft: maybe\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.column, Some(8));
        assert!(err.message.contains("invalid type"), "{}", err.message);
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn errors_past_the_end_point_at_the_last_line() {
        let err = from_str::<Sample>("title: [unclosed").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn empty_text_is_an_empty_mapping() {
        let err = from_str::<Sample>("").unwrap_err();
        assert!(err.message.contains("missing field `title`"), "{}", err.message);
        let ok: Sample = from_str("title: a\ndraft: true").unwrap();
        assert_eq!(ok.draft, Some(true));
    }

    #[test]
    fn finds_top_level_keys_and_value_columns() {
        let keys =
            top_level_keys("title: Hello\n  nested: 1\n# comment\n\"quoted key\":  v\r\ntags:\n  - a\n");
        let names: Vec<_> = keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(names, ["title", "quoted key", "tags"]);
        assert_eq!(keys[0].line, 1);
        assert_eq!(keys[0].value_column, 8);
        assert_eq!(keys[1].line, 4);
        assert_eq!(keys[1].value_column, 16);
    }

    #[test]
    fn full_width_colon_after_a_key_is_a_slip_and_mended() {
        let scan = scan_slips("title：办理居住证\ndescription: 地址：北京\n- 第一步：准备\n");
        assert_eq!(scan.slips.len(), 1, "{:?}", scan.slips);
        let slip = &scan.slips[0];
        assert_eq!((slip.kind, slip.line, slip.column, slip.length), (SlipKind::FullWidthColon, 1, 6, 1));
        assert_eq!(scan.mended, "title: 办理居住证\ndescription: 地址：北京\n- 第一步：准备\n");
    }

    #[test]
    fn tabs_in_indentation_are_slips_and_become_spaces() {
        let scan = scan_slips("tags:\n\t- a\n  \t- b\r\ntitle:\tx\n");
        let found: Vec<_> = scan.slips.iter().map(|s| (s.kind, s.line, s.column, s.length)).collect();
        assert_eq!(found, [(SlipKind::TabIndent, 2, 1, 1), (SlipKind::TabIndent, 3, 3, 1)]);
        assert_eq!(scan.mended, "tags:\n  - a\n    - b\r\ntitle:\tx\n");
    }

    #[test]
    fn unquoted_colon_in_a_value_is_a_slip_and_gets_quotes() {
        let scan = scan_slips(
            "title: Step 1: check \"it\" # note\nsource_url: https://x.gov/a\npublish_at: 2026-12-01T09:00:00+08:00\nchanges:\n  - note: Added: SMS\n",
        );
        let found: Vec<_> = scan.slips.iter().map(|s| (s.kind, s.line, s.column)).collect();
        assert_eq!(found, [(SlipKind::UnquotedColon, 1, 14), (SlipKind::UnquotedColon, 5, 16)]);
        assert_eq!(
            scan.mended,
            "title: \"Step 1: check \\\"it\\\"\" # note\nsource_url: https://x.gov/a\npublish_at: 2026-12-01T09:00:00+08:00\nchanges:\n  - note: \"Added: SMS\"\n"
        );
        let value: Value = from_str(&scan.mended).unwrap();
        assert_eq!(value["title"].as_str(), Some("Step 1: check \"it\""));
    }

    #[test]
    fn block_scalars_and_quoted_values_are_left_alone() {
        let text = "description: |\n  Step 1: call\n\tStep 2: go\ntitle: \"A: b\"\nlaw_title: '甲：乙'\n";
        let scan = scan_slips(text);
        assert!(scan.slips.is_empty(), "{:?}", scan.slips);
        assert_eq!(scan.mended, text);
    }

    #[test]
    fn odd_lines_never_panic_and_keep_their_line_count() {
        let pieces =
            ["", "：", ":", " ", "\t", "- ", "#", "\"", "|", "身", "a", "\r", "key", ": x: y", " #c"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}\n{c}{a}{b}");
                    let scan = scan_slips(&text);
                    assert_eq!(scan.mended.split('\n').count(), 2, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn billion_laughs_is_refused_not_expanded() {
        let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        let result = from_str::<Value>(bomb);
        assert!(result.is_err());
    }

    #[test]
    fn key_position_follows_indentation() {
        let text =
            "# offices\noffices:\n  other:\n    phone: 1\n  nanchang:\n    name: x\n    phone: 2\nphone: 3\n";
        assert_eq!(key_position(text, &["offices", "nanchang", "phone"]), Some((7, 5)));
        assert_eq!(key_position(text, &["phone"]), Some((8, 1)));
        assert_eq!(key_position(text, &["offices", "nanchang", "hours"]), None);
        assert_eq!(key_position(text, &[]), None);
    }
}

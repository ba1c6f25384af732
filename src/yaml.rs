//! The one place that parses YAML (`site.yaml`, front matter, theme strings).
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

#[cfg(test)]
mod tests {
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
    fn billion_laughs_is_refused_not_expanded() {
        let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
            b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
            d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
            f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
            h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        let result = from_str::<Value>(bomb);
        assert!(result.is_err());
    }
}

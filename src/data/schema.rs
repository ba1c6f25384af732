//! The optional schema beside a data file (`data/offices.schema.yaml`):
//!
//! ```yaml
//! fields:            # keys of the file's own mapping
//!   updated: text
//! each:              # keys of every entry (every value of its mapping, every row of a list)
//!   name: text       # text, or one text per language ({zh-CN: …, en: …})
//!   phone: text
//!   days: number
//!   note: text?      # `?`: may be left out
//! ```
//!
//! Kinds: `text`, `number`, `bool`, `list`, `map`, `any`. A missing field, a value of another
//! kind and a key the schema does not list are errors at the key in the data file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::DataFile;
use crate::diagnostics::{Diagnostic, Location};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchema {
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    each: BTreeMap<String, String>,
}

/// One field's kind, and whether it may be left out.
#[derive(Debug, Clone, Copy)]
struct Field {
    kind: Kind,
    optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Bool,
    List,
    Map,
    Any,
}

impl Kind {
    const NAMES: [&'static str; 6] = ["text", "number", "bool", "list", "map", "any"];

    fn parse(word: &str) -> Option<Kind> {
        Some(match word {
            "text" => Kind::Text,
            "number" => Kind::Number,
            "bool" => Kind::Bool,
            "list" => Kind::List,
            "map" => Kind::Map,
            "any" => Kind::Any,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        Kind::NAMES[self as usize]
    }

    /// Whether `value` is of this kind; a text may have one variant per language.
    fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (Kind::Any, _) => true,
            (Kind::Text, Value::String(_)) => true,
            (Kind::Text, Value::Object(map)) => {
                !map.is_empty() && map.values().all(|v| v.is_string() || v.is_number())
            }
            (Kind::Number, Value::Number(_)) => true,
            (Kind::Bool, Value::Bool(_)) => true,
            (Kind::List, Value::Array(_)) => true,
            (Kind::Map, Value::Object(_)) => true,
            _ => false,
        }
    }
}

/// The kind of a value in the words of a schema.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Check `value`, read from `file`, against the schema at `schema_path`.
pub(super) fn check(root: &Path, schema_path: &Path, file: &DataFile, value: &Value) -> Vec<Diagnostic> {
    let display = schema_path.strip_prefix(root).unwrap_or(schema_path).to_path_buf();
    let schema_at = |line, column| Location { file: display.clone(), line, column, length: 1 };
    let text = match std::fs::read_to_string(schema_path) {
        Ok(text) => text,
        Err(e) => return vec![Diagnostic::error(format!("cannot read schema: {e}")).at(schema_at(1, 1))],
    };
    let raw: RawSchema = match crate::yaml::from_str(&text) {
        Ok(raw) => raw,
        Err(e) => {
            return vec![
                Diagnostic::error(format!("invalid data schema: {}", e.message))
                    .at(schema_at(e.line.unwrap_or(1), e.column.unwrap_or(1)))
                    .with_hint("a schema has `fields:` and `each:`, each mapping a key to a kind such as `text` or `number?`"),
            ];
        }
    };
    let mut problems = Vec::new();
    let mut fields = |group: &str, written: &BTreeMap<String, String>| -> BTreeMap<String, Field> {
        let mut out = BTreeMap::new();
        for (key, kind) in written {
            let (word, optional) = kind.strip_suffix('?').map_or((kind.as_str(), false), |w| (w, true));
            match Kind::parse(word.trim()) {
                Some(kind) => {
                    out.insert(key.clone(), Field { kind, optional });
                }
                None => {
                    let (line, column) = crate::yaml::key_position(&text, &[group, key]).unwrap_or((1, 1));
                    problems.push(
                        Diagnostic::error(format!("unknown kind `{kind}` for `{key}` in a data schema"))
                            .at(schema_at(line, column))
                            .with_hint(format!(
                                "kinds are {}; add `?` when it may be left out",
                                Kind::NAMES.join(", ")
                            )),
                    );
                }
            }
        }
        out
    };
    let own = fields("fields", &raw.fields);
    let each = fields("each", &raw.each);
    let schema_name = display.display().to_string();
    let mut check_one = |path: Vec<String>, value: &Value, fields: &BTreeMap<String, Field>| {
        problems.extend(entry_problems(file, &schema_name, &path, value, fields));
    };
    if !own.is_empty() {
        check_one(Vec::new(), value, &own);
    }
    if !each.is_empty() {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| check_one(vec![k.clone()], v, &each)),
            Value::Array(items) => {
                items.iter().enumerate().for_each(|(i, v)| check_one(vec![i.to_string()], v, &each))
            }
            _ => {}
        }
    }
    problems
}

/// The problems of one entry (or the file's own mapping, at an empty `path`).
fn entry_problems(
    file: &DataFile,
    schema: &str,
    path: &[String],
    value: &Value,
    fields: &BTreeMap<String, Field>,
) -> Vec<Diagnostic> {
    let name = |key: &str| {
        let mut parts: Vec<&str> = file.name.iter().map(String::as_str).collect();
        parts.extend(path.iter().map(String::as_str));
        parts.push(key);
        parts.join(".")
    };
    let at = |key: Option<&str>| {
        let mut parts: Vec<&str> = path.iter().map(String::as_str).collect();
        parts.extend(key);
        file.locate(&parts)
    };
    let Value::Object(map) = value else {
        return vec![
            Diagnostic::error(format!(
                "`{}` is {}, where the schema asks for a map",
                name("").trim_end_matches('.'),
                kind_of(value)
            ))
            .at(at(None))
            .with_hint(format!("`{schema}` lists the fields each entry must have")),
        ];
    };
    let mut problems = Vec::new();
    for (key, field) in fields {
        match map.get(key) {
            None | Some(Value::Null) if !field.optional => problems.push(
                Diagnostic::error(format!("`{}` has no `{key}`", name("").trim_end_matches('.')))
                    .at(at(None))
                    .with_hint(format!("add `{key}:` ({}), which `{schema}` asks for", field.kind.name())),
            ),
            Some(found) if !found.is_null() && !field.kind.admits(found) => problems.push(
                Diagnostic::error(format!(
                    "`{}` is {}, where the schema asks for {}",
                    name(key),
                    kind_of(found),
                    field.kind.name()
                ))
                .at(at(Some(key)))
                .with_hint(match field.kind {
                    Kind::Text => format!("put the value in quotes: `{key}: \"…\"`"),
                    _ => format!("`{schema}` gives `{key}` the kind `{}`", field.kind.name()),
                }),
            ),
            _ => {}
        }
    }
    for key in map.keys().filter(|k| !fields.contains_key(*k)) {
        let close = crate::text::did_you_mean(key, fields.keys().map(String::as_str));
        let hint = match close {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add `{key}` to `{schema}` if it belongs there"),
        };
        problems.push(
            Diagnostic::error(format!("`{}` is not in the schema", name(key)))
                .at(at(Some(key)))
                .with_hint(hint),
        );
    }
    problems
}

//! Data files: `data/*.yaml`, `data/*.json` and `data/*.csv`, loaded once per build and
//! reachable as `data.NAME…` in templates and shortcodes (`data/offices.yaml` is
//! `data.offices`; a file in `data/services/` is `data.services.NAME`).
//!
//! A parse error is located at the file's line and column; a schema beside a file
//! (`data/offices.schema.yaml`, see [`schema`]) turns a missing or mistyped field into a
//! located error. Values with one variant per language (`{zh-CN: …, en: …}`) are picked for
//! the page's language by [`localize`].

mod schema;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Location};

/// The folder of data files, under the site root.
pub const DATA_DIR: &str = "data";

/// The largest data file read. Data files are loaded whole into every build; a larger one is
/// almost surely an export that belongs in `static/` as a download.
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Every data file of a site, by name.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// One entry per file (or folder of files), by name: the `data` value of templates.
    value: Map<String, Value>,
    /// Per file, by its name (`services/renewal`): a fingerprint of its text.
    files: BTreeMap<String, u64>,
    /// Per file, by its name: its path relative to the site root (`data/services/renewal.yaml`).
    paths: BTreeMap<String, String>,
}

/// The three formats a data file may have, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Yaml,
    Json,
    Csv,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// One data file being read: its name in `data`, where it is, and its text.
struct DataFile {
    /// `["services", "renewal"]` for `data/services/renewal.yaml`.
    name: Vec<String>,
    /// Path relative to the site root, for messages.
    display: PathBuf,
    format: Format,
    text: String,
}

impl DataFile {
    /// Where the value at `path` (below the file's own value) is written, as near as can be told.
    fn locate(&self, path: &[&str]) -> Location {
        let (line, column) = match self.format {
            Format::Yaml => crate::yaml::key_position(&self.text, path),
            Format::Json => json_key_position(&self.text, path),
            Format::Csv => path.first().and_then(|row| row.parse::<usize>().ok()).map(|row| (row + 2, 1)),
        }
        .unwrap_or((1, 1));
        let length = path.last().map_or(1, |key| key.chars().count().max(1));
        Location { file: self.display.clone(), line, column, length }
    }
}

impl Data {
    /// Load every data file of the site at `root`; problems come back as diagnostics (the files
    /// that loaded are kept, so one bad file does not hide the others' problems).
    pub fn load(root: &Path) -> (Data, Vec<Diagnostic>) {
        let mut data = Data::default();
        let mut problems = Vec::new();
        let dir = root.join(DATA_DIR);
        if !dir.is_dir() {
            return (data, problems);
        }
        let walker = walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter();
        for entry in walker.filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()) {
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            if rel.to_string_lossy().ends_with(".schema.yaml") {
                continue;
            }
            match read_file(root, path, rel) {
                Ok(Some(file)) => data.add(root, file, &mut problems),
                Ok(None) => {}
                Err(problem) => problems.push(problem),
            }
        }
        (data, problems)
    }

    /// Parse one file, check it against its schema, and put its value in place.
    fn add(&mut self, root: &Path, file: DataFile, problems: &mut Vec<Diagnostic>) {
        let value = match parse(&file) {
            Ok(value) => value,
            Err(problem) => return problems.push(problem),
        };
        let schema_path = root.join(file.display.with_extension("schema.yaml"));
        if schema_path.is_file() {
            problems.extend(schema::check(root, &schema_path, &file, &value));
        }
        let mut h = crate::cache::hasher();
        file.text.hash(&mut h);
        self.files.insert(file.name.join("/"), h.finish());
        let path = file.display.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
        self.paths.insert(file.name.join("/"), path);
        let Some((last, folders)) = file.name.split_last() else { return };
        let mut slot = &mut self.value;
        for folder in folders {
            let entry = slot.entry(folder.clone()).or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(inner) = entry else {
                return problems.push(taken(&file, folder));
            };
            slot = inner;
        }
        if slot.contains_key(last) {
            return problems.push(taken(&file, last));
        }
        slot.insert(last.clone(), value);
    }

    /// The whole of the data, as templates see it.
    pub fn value(&self) -> &Map<String, Value> {
        &self.value
    }

    /// Whether the site has no data at all.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// The value at a dotted key (`offices.nanchang.phone`; list items by number).
    pub fn get(&self, key: &str) -> Option<&Value> {
        let mut parts = key.split('.');
        let mut value = self.value.get(parts.next()?)?;
        for part in parts {
            value = match value {
                Value::Object(map) => map.get(part)?,
                Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The existing key closest to `key`, for "did you mean" hints: the longest prefix of
    /// `key` that exists, followed by the closest of its keys.
    pub fn suggest(&self, key: &str) -> Option<String> {
        let parts: Vec<&str> = key.split('.').collect();
        let mut known = 0;
        while known < parts.len() && self.get(&parts[..=known].join(".")).is_some() {
            known += 1;
        }
        let children: Vec<String> = match known {
            0 => self.value.keys().cloned().collect(),
            _ => match self.get(&parts[..known].join("."))? {
                Value::Object(map) => map.keys().cloned().collect(),
                Value::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
                _ => return None,
            },
        };
        let wanted = parts.get(known)?;
        let close = crate::text::did_you_mean(wanted, children.iter().map(String::as_str))?;
        let mut fixed: Vec<&str> = parts[..known].to_vec();
        fixed.push(close);
        Some(fixed.join("."))
    }

    /// The keys of the value at `key` (the top-level names for an empty key), for hints.
    pub fn keys_at(&self, key: &str) -> Vec<String> {
        let value = if key.is_empty() { None } else { self.get(key) };
        match value {
            None if key.is_empty() => self.value.keys().cloned().collect(),
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// A fingerprint of the data file that holds `key` (its first names up to a file), so
    /// that a body rendered from it can tell when that file changed.
    pub fn fingerprint_of(&self, key: &str) -> Option<(String, u64)> {
        let parts: Vec<&str> = key.split('.').collect();
        (1..=parts.len()).find_map(|n| {
            let name = parts[..n].join("/");
            self.files.get(&name).map(|&fp| (name, fp))
        })
    }

    /// The fingerprint of a data file by its name (`services/renewal`), if it still exists.
    pub fn file_fingerprint(&self, name: &str) -> Option<u64> {
        self.files.get(name).copied()
    }

    /// The path of a data file by its name (`data/services/renewal.yaml` for
    /// `services/renewal`), relative to the site root.
    pub fn path_of(&self, name: &str) -> Option<&str> {
        self.paths.get(name).map(String::as_str)
    }

    /// A fingerprint of all the data (for outputs whose templates read `data`).
    pub fn fingerprint(&self) -> u64 {
        let mut h = crate::cache::hasher();
        self.files.hash(&mut h);
        h.finish()
    }
}

/// Read one data file: `None` for a file of another kind (a README beside the data).
fn read_file(root: &Path, path: &Path, display: PathBuf) -> Result<Option<DataFile>, Diagnostic> {
    let Some(format) = Format::of(path) else { return Ok(None) };
    let at = Location { file: display.clone(), line: 1, column: 1, length: 1 };
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_BYTES {
        return Err(Diagnostic::error(format!(
            "data file is {} MB, more than the {} MB a data file may have",
            size / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        ))
        .at(at)
        .with_hint("split it into smaller files, or publish it as a download from `static/`"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!("cannot read data file: {e}"))
            .at(at)
            .with_hint("data files must be UTF-8 text")
    })?;
    let under = path.strip_prefix(root.join(DATA_DIR)).unwrap_or(path).with_extension("");
    let name = under.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    Ok(Some(DataFile { name, display, format, text }))
}

/// Parse a data file into its value.
fn parse(file: &DataFile) -> Result<Value, Diagnostic> {
    let located = |message: String, line: usize, column: usize, hint: &str| {
        Diagnostic::error(message)
            .at(Location { file: file.display.clone(), line: line.max(1), column: column.max(1), length: 1 })
            .with_hint(hint.to_string())
    };
    match file.format {
        Format::Yaml => crate::yaml::from_str::<Value>(&file.text).map_err(|e| {
            let (message, hint) = crate::yaml::plain_syntax(&e.message);
            located(
                format!("invalid data file: {message}"),
                e.line.unwrap_or(1),
                e.column.unwrap_or(1),
                &hint,
            )
        }),
        Format::Json => serde_json::from_str::<Value>(&file.text).map_err(|e| {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            located(
                format!("invalid JSON data file: {message}"),
                e.line(),
                e.column(),
                "check the commas and quotes near here",
            )
        }),
        Format::Csv => parse_csv(&file.text).map_err(|(message, line)| {
            located(
                format!("invalid CSV data file: {message}"),
                line,
                1,
                "every row needs as many fields as the header row",
            )
        }),
    }
}

/// A CSV file is a list of rows, each a map from the header row's names to the row's texts.
fn parse_csv(text: &str) -> Result<Value, (String, usize)> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let line_of = |e: &csv::Error| e.position().map_or(1, |p| p.line() as usize);
    let headers = reader.headers().map_err(|e| (e.to_string(), line_of(&e)))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = line_of(&e);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("a row of {len} fields where the header has {expected_len}")
                }
                _ => e.to_string(),
            };
            (message, line)
        })?;
        let row: Map<String, Value> =
            headers.iter().zip(record.iter()).map(|(h, v)| (h.to_string(), Value::from(v))).collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

/// Two files (or a file and a folder) that would give `data` the same name.
fn taken(file: &DataFile, name: &str) -> Diagnostic {
    Diagnostic::error(format!("data name `{name}` is given twice"))
        .at(Location { file: file.display.clone(), line: 1, column: 1, length: 1 })
        .with_hint(
            "rename one of the files: `data/NAME.yaml`, `data/NAME.json` and `data/NAME/` share a name",
        )
}

/// Where the key at `path` is written in a JSON text: each key searched for after the last.
fn json_key_position(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let mut at = 0;
    for key in path {
        let quoted = format!("\"{key}\"");
        at += text.get(at..)?.find(&quoted)?;
    }
    let lines = crate::diagnostics::LineIndex::new(text);
    Some(lines.line_col(text, at))
}

/// `value` as shown on a page in language `lang`: every mapping whose keys are all language
/// codes of the site (`{zh-CN: 六十日, en: 60 days}`) is replaced by its variant in `lang`, or
/// else by that of the first language it has (in `languages` order).
pub fn localize(value: &Value, lang: &str, languages: &[&str]) -> Value {
    match value {
        Value::Object(map) if is_variants(map, languages) => {
            let pick = map.get(lang).or_else(|| languages.iter().find_map(|l| map.get(*l)));
            pick.map(|v| localize(v, lang, languages)).unwrap_or(Value::Null)
        }
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), localize(v, lang, languages))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| localize(v, lang, languages)).collect()),
        other => other.clone(),
    }
}

/// Whether a mapping holds one variant per language (and nothing else).
fn is_variants(map: &Map<String, Value>, languages: &[&str]) -> bool {
    !map.is_empty() && map.keys().all(|k| languages.contains(&k.as_str()))
}

#[cfg(test)]
mod tests;

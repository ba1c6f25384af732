//! Front matter: split the `---` fence from the body, parse the YAML, validate fields,
//! and map every problem to a line and column in the Markdown file.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};
use crate::text::did_you_mean;

mod fields;

use crate::yaml::{self, KeyPosition, YamlError};
pub use fields::{Choices, FIELDS, Field, FieldInfo, FrontMatter, KNOWN_KEYS, list_schema};
use fields::{RawFrontMatter, Reading};

/// The guidance kind of a page, which picks its body layout and structured data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Ordinary guidance with a contents list.
    #[default]
    Guide,
    /// A numbered step-by-step task.
    Steps,
    /// Questions and answers.
    Faq,
    /// An act with articles and chapters.
    Law,
    /// A service guide (办事指南) with its key elements under `service:`.
    Service,
}

impl Kind {
    /// The lowercase name used in front matter and templates.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Guide => "guide",
            Kind::Steps => "steps",
            Kind::Faq => "faq",
            Kind::Law => "law",
            Kind::Service => "service",
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// By `weight`, then title.
    #[default]
    Weight,
    /// Newest `date` first, then title.
    Date,
    /// By title.
    Title,
}

/// Lifecycle status of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Live guidance.
    #[default]
    Published,
    /// Kept with a banner, dropped from listings.
    Withdrawn,
    /// Replaced by a page that explains where the content went.
    Gone,
}

/// A date or date-time from front matter, kept with its original spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    /// The calendar date.
    pub date: NaiveDate,
    /// The full instant when a time was given (UTC when no offset was written).
    pub instant: DateTime<FixedOffset>,
}

impl DateValue {
    /// Parse `2024-05-01`, `2024-05-01T09:30:00`, `2024-05-01 09:30` or RFC 3339.
    pub fn parse(text: &str) -> Option<DateValue> {
        let text = text.trim();
        let utc = FixedOffset::east_opt(0)?;
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            let instant = date.and_time(NaiveTime::MIN).and_local_timezone(utc).single()?;
            return Some(DateValue { date, instant });
        }
        if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
            return Some(DateValue { date: instant.date_naive(), instant });
        }
        for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                let instant = naive.and_local_timezone(utc).single()?;
                return Some(DateValue { date: naive.date(), instant });
            }
        }
        None
    }

    /// ISO calendar date, `2024-05-01`.
    pub fn iso_date(&self) -> String {
        use chrono::Datelike;
        let year = self.date.year();
        if !(0..=9999).contains(&year) {
            // A year of more than four digits (or before year 0) takes a sign.
            return self.date.format("%Y-%m-%d").to_string();
        }
        // Written digit by digit: every output shows several dates, and `format` parses its
        // pattern each time.
        let digits = |n: u32, width: u32| {
            (0..width).rev().map(move |i| (b'0' + (n / 10u32.pow(i) % 10) as u8) as char)
        };
        let mut iso = String::with_capacity(10);
        iso.extend(digits(year as u32, 4));
        iso.push('-');
        iso.extend(digits(self.date.month(), 2));
        iso.push('-');
        iso.extend(digits(self.date.day(), 2));
        iso
    }
}

/// A string value with the position it was written at, for later diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Positioned {
    /// The value.
    pub value: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

/// One entry of a page's change history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When the change was made (ISO date).
    pub date: String,
    /// What changed.
    pub note: String,
}

/// The parts of a source file: YAML front matter and Markdown body, with positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Separate front matter from body. The text must already be free of a BOM.
pub fn split(text: &str) -> Result<Split<'_>, &'static str> {
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err("the file does not start with a `---` front matter fence");
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map(|i| offset + i + 1).unwrap_or(text.len());
        let fence = text[offset..end].trim_end();
        if fence == "---" || fence == "..." {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_offset: end,
            });
        }
        offset = end;
        line += 1;
    }
    let _ = line;
    Err("the front matter fence opened on line 1 is never closed")
}

/// What parsing front matter found: the value (when usable) and the problems.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The front matter, or `None` after an error that makes it unusable.
    pub front_matter: Option<FrontMatter>,
    /// Errors and warnings, located in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse and validate front matter.
///
/// `file` is the display path used in diagnostics; `taxonomies` are the taxonomy names of the
/// site; `is_section` relaxes the rules for `_index.md` files (no required title).
pub fn parse(file: &std::path::Path, split: &Split<'_>, taxonomies: &[String], is_section: bool) -> Parsed {
    parse_allowing(file, split, taxonomies, &[], is_section)
}

/// [`parse`], taking the keys in `allowed` (`allow_keys:` in `site.yaml`) without a warning.
pub fn parse_allowing(
    file: &std::path::Path,
    split: &Split<'_>,
    taxonomies: &[String],
    allowed: &[String],
    is_section: bool,
) -> Parsed {
    let mut parsed = Parsed::default();
    let at = |line: usize, column: usize, length: usize| Location {
        file: file.to_path_buf(),
        line,
        column,
        length: length.max(1),
    };
    let shift = split.yaml_line - 1;
    let scan = yaml::scan_slips(split.yaml);
    parsed.diagnostics.extend(scan.slips.iter().map(|slip| slip_diagnostic(slip, shift, &at)));
    let keys = yaml::top_level_keys(&scan.mended);
    let slip_lines: Vec<usize> = scan.slips.iter().map(|s| s.line).collect();
    let Some(read) = read_raw(&scan.mended, &keys, &slip_lines, shift, &at, &mut parsed.diagnostics) else {
        return parsed;
    };
    parsed.diagnostics.extend(unknown_keys(&keys, taxonomies, allowed, shift, &at));
    let mut reading = Reading {
        file,
        yaml_text: &read.text,
        keys: &keys,
        yaml_line: split.yaml_line,
        is_section,
        dropped: &read.dropped,
        errors: Vec::new(),
    };
    let mut front_matter = FrontMatter::from_raw(read.raw, &mut reading);
    front_matter.taxonomies = taxonomy_terms(&mut reading, taxonomies);
    parsed.diagnostics.extend(reading.errors);
    if !parsed.diagnostics.iter().any(Diagnostic::is_error) {
        parsed.front_matter = Some(front_matter);
    }
    parsed
}

/// A warning for each key that is neither a field, a taxonomy nor allowed, with the closest
/// known key as a hint.
fn unknown_keys(
    keys: &[KeyPosition],
    taxonomies: &[String],
    allowed: &[String],
    shift: usize,
    at: &dyn Fn(usize, usize, usize) -> Location,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for k in keys {
        if KNOWN_KEYS.contains(&k.key.as_str()) || taxonomies.contains(&k.key) || allowed.contains(&k.key) {
            continue;
        }
        let candidates = KNOWN_KEYS.iter().copied().chain(taxonomies.iter().map(String::as_str));
        let d = Diagnostic::warning(format!("unknown front matter key `{}`", k.key)).at(at(
            k.line + shift,
            k.column,
            k.key.chars().count(),
        ));
        found.push(match did_you_mean(&k.key, candidates) {
            Some(close) => d.with_hint(format!("did you mean `{close}`?")),
            None => d.with_hint("put custom data under `extra:` so that templates can use it"),
        });
    }
    found
}

/// The terms of each taxonomy written in the front matter.
fn taxonomy_terms(reading: &mut Reading<'_>, taxonomies: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut terms = BTreeMap::new();
    if !reading.keys.iter().any(|k| taxonomies.contains(&k.key)) {
        return terms;
    }
    let generic = taxonomy_values(reading.yaml_text, reading.keys, taxonomies);
    for name in taxonomies {
        let Some(value) = generic.get(name) else { continue };
        match terms_of(value) {
            Some(found) => {
                terms.insert(name.clone(), found);
            }
            None => {
                let at = reading.value_at(name, 1);
                reading.error(
                    Diagnostic::error(format!("`{name}` must be a list of terms"))
                        .at(at)
                        .with_hint(format!("write it like `{name}: [renewal, online-services]`")),
                );
            }
        }
    }
    terms
}

/// The values of the taxonomy keys of `text`, by name. Each is read from its own lines alone
/// (its key's line up to the next top-level key): reading the whole text a second time, for
/// the few keys the fields leave out, was a third of the time spent on front matter. The
/// whole text is read when a key is written twice, or when its lines do not read as that one
/// key (an alias to an anchor elsewhere, a value the line scan cut short).
fn taxonomy_values(text: &str, keys: &[KeyPosition], taxonomies: &[String]) -> BTreeMap<String, yaml::Value> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut values = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if !taxonomies.contains(&key.key) {
            continue;
        }
        if keys.iter().filter(|k| k.key == key.key).count() > 1 {
            return yaml::from_str(text).unwrap_or_default();
        }
        let end = keys.get(i + 1).map_or(lines.len(), |next| next.line - 1);
        let own_lines = lines.get(key.line - 1..end.max(key.line)).unwrap_or_default();
        // Most pages write their terms on one line in a form read without the parser.
        let one_line = own_lines.iter().skip(1).all(|l| l.trim().is_empty());
        if let Some(value) =
            own_lines.first().filter(|_| one_line).and_then(|l| yaml::plain_list(l, &key.key))
        {
            values.insert(key.key.clone(), value);
            continue;
        }
        let own = own_lines.join("\n");
        match yaml::from_str::<BTreeMap<String, yaml::Value>>(&own) {
            Ok(mut read) if read.len() == 1 && read.contains_key(&key.key) => {
                values.extend(read.remove(&key.key).map(|value| (key.key.clone(), value)));
            }
            _ => return yaml::from_str(text).unwrap_or_default(),
        }
    }
    values
}

fn terms_of(value: &yaml::Value) -> Option<Vec<String>> {
    match value {
        yaml::Value::Sequence(items) => items
            .iter()
            .map(|item| match item {
                yaml::Value::String(s) => Some(s.clone()),
                yaml::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        yaml::Value::String(s) => Some(vec![s.clone()]),
        yaml::Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// The file line of a top-level front matter key (front matter starts on line 2).
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    text.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .position(|l| l.starts_with(&prefix))
        .map(|i| i + 2)
}

/// Positions (YAML line, file column) of the items of a flow list written on the key's
/// line (`aliases: ["/a/", "/b/"]`), found by searching each value after the previous one.
fn flow_item_positions(yaml_text: &str, key: Option<&KeyPosition>, values: &[String]) -> Vec<(usize, usize)> {
    let Some(key) = key else { return Vec::new() };
    let Some(line) = yaml_text.lines().nth(key.line - 1) else { return Vec::new() };
    let mut from = line.char_indices().nth(key.value_column - 1).map(|(i, _)| i).unwrap_or(line.len());
    let mut positions = Vec::new();
    for value in values {
        let Some(found) = line.get(from..).and_then(|rest| rest.find(value.as_str())) else { break };
        let at = from + found;
        positions.push((key.line, line[..at].chars().count() + 1));
        from = at + value.len();
    }
    positions
}

/// Positions (YAML line, file column) of `- item` lines under a block-list key.
fn list_item_positions(yaml_text: &str, key: Option<&KeyPosition>) -> Vec<(usize, usize)> {
    let Some(key) = key else { return Vec::new() };
    let mut positions = Vec::new();
    for (idx, line) in yaml_text.lines().enumerate().skip(key.line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '-']) {
            break;
        }
        if let Some(item) = trimmed.strip_prefix('-') {
            let indent = line.len() - trimmed.len();
            let gap = item.len() - item.trim_start().len();
            positions.push((idx + 1, line[..indent + 1 + gap].chars().count() + 1));
        }
    }
    positions
}

/// Front matter as far as it could be read, with the text that was read.
struct Read {
    raw: RawFrontMatter,
    /// The YAML text with mended slips and without the keys whose values were wrong.
    text: String,
    /// Top-level keys left out because their values were wrong.
    dropped: Vec<String>,
}

/// Deserialize the front matter, reporting a wrong value and reading on without its key, so
/// that one run names every wrong value of a file. Broken syntax stops the reading.
fn read_raw(
    mended: &str,
    keys: &[KeyPosition],
    slip_lines: &[usize],
    shift: usize,
    at: &dyn Fn(usize, usize, usize) -> Location,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Read> {
    let mut text = mended.to_string();
    let mut dropped = Vec::new();
    loop {
        let err = match yaml::from_str::<RawFrontMatter>(&text) {
            Ok(raw) => return Some(Read { raw, text, dropped }),
            Err(err) => err,
        };
        let value_error = yaml::is_value_error(&err.message);
        let owner =
            err.line.filter(|_| value_error).and_then(|line| keys.iter().rposition(|k| k.line <= line));
        let owner_key = owner.map(|i| keys[i].key.as_str());
        if value_error || !err.line.is_some_and(|line| slip_lines.contains(&line)) {
            diagnostics.push(yaml_diagnostic(&err, owner_key, shift, at));
        }
        let owner = owner?;
        let end = keys.get(owner + 1).map_or(usize::MAX, |k| k.line - 1);
        let blanked = blank_lines(&text, keys[owner].line, end);
        if blanked == text {
            return None;
        }
        dropped.push(keys[owner].key.clone());
        text = blanked;
    }
}

/// `text` with its 1-based lines `first..=last` emptied (line numbers stay as they were).
fn blank_lines(text: &str, first: usize, last: usize) -> String {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| if (first..=last).contains(&(i + 1)) { "" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A slip located in the file, in the editor's words.
fn slip_diagnostic(
    slip: &yaml::Slip,
    shift: usize,
    at: &dyn Fn(usize, usize, usize) -> Location,
) -> Diagnostic {
    let d = Diagnostic::error(slip.message()).at(at(slip.line + shift, slip.column, slip.length));
    slip.hints().into_iter().fold(d, Diagnostic::with_hint)
}

fn yaml_diagnostic(
    err: &YamlError,
    key: Option<&str>,
    shift: usize,
    at: &dyn Fn(usize, usize, usize) -> Location,
) -> Diagnostic {
    let line = err.line.unwrap_or(1) + shift;
    let column = err.column.unwrap_or(1);
    if let Some((value, expected)) = yaml::unknown_field(&err.message) {
        // A wrong name inside a mapping (`service:`, `column:`) says which mapping it is in.
        let message = match key {
            Some(key) if err.message.contains("unknown field") => {
                format!("`{key}` has no entry named `{value}`")
            }
            _ if err.message.contains("unknown field") => format!("`{value}` is not a valid name here"),
            _ => format!("`{value}` is not a valid value here"),
        };
        let d = Diagnostic::error(message).at(at(line, column, value.chars().count()));
        return match did_you_mean(value, expected.iter().copied()) {
            Some(close) => d.with_hint(format!("did you mean `{close}`?")),
            None => d.with_hint(format!("expected one of: {}", expected.join(", "))),
        };
    }
    if let Some(mismatch) = yaml::mismatch(&err.message) {
        let (message, hint) = match mismatch.field.as_deref().or(key) {
            Some(field) => mismatch.describe(field),
            None => (
                "front matter must be `key: value` lines".to_string(),
                "write one `key: value` per line between the `---` fences, like `title: Renew your card`"
                    .to_string(),
            ),
        };
        return Diagnostic::error(message).at(at(line, column, mismatch.length())).with_hint(hint);
    }
    if let Some((path, missing)) = yaml::missing_field(&err.message) {
        let Some(path) = path.or(key) else {
            return Diagnostic::error(format!("missing `{missing}`")).at(at(line, column, 1));
        };
        return Diagnostic::error(format!("{} has no `{missing}`", yaml::field_words(path)))
            .at(at(line, column, 1))
            .with_hint(format!("add `{missing}: …` to it"));
    }
    let (message, hint) = yaml::plain_syntax(&err.message);
    Diagnostic::error(message).at(at(line, column, 1)).with_hint(hint)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates_are_written_as_chrono_formats_them() {
        let utc = chrono::FixedOffset::east_opt(0).unwrap();
        for (y, m, d) in
            [(2024, 5, 1), (1999, 12, 31), (0, 1, 1), (7, 10, 9), (9999, 12, 31), (10000, 1, 1), (-1, 6, 15)]
        {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let instant = date.and_hms_opt(0, 0, 0).unwrap().and_local_timezone(utc).unwrap();
            let value = DateValue { date, instant };
            assert_eq!(value.iso_date(), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn taxonomy_values_read_from_their_own_lines_equal_the_whole_text_read() {
        let taxonomies = ["tags".to_string(), "topics".to_string()];
        for text in [
            "title: T\ntags: [a, \"b c\"]\ndate: 2024-01-02",
            "title: T\ntags:\n- a\n# a comment\n- b\n\ntopics:\n  - x\nweight: 3",
            "\"tags\": [a]\ntopics: y",
            "title: T\ntags: &common [a, b]\ntopics: *common",
            "tags: [a,\n  b]\ntopics: [c",
            "tags: [a]\ntags: [b]",
            "title: T",
            "tags:\n  key: value\ntopics: ~",
            "tags: [\"citizenship\"]\ntopics: \"a b\"\n\n",
            "tags: [a b, c-d, e_f, 税务, \"\"]\ntopics: []",
            "tags: [\"x, y\"]\ntopics: [\"a\"]\n\n",
            "tags: [yes, No, null, True, y, 1e3, 0x10, .inf, 12]\ntopics: [~]",
            "tags: [a,]\ntopics: [a, [b]]",
            "tags: [a] # note\ntopics: \"a\" # note",
            "tags: ['a', \"b\\\"c\", \"d\\te\"]\ntopics: [\"a\" , b ]",
            "tags: [a: b]\ntopics: [&x a, *x]",
            "tags: [\"a\"]\n  - b\ntopics: [a]\n# comment",
            "tags:   [ \"a\" ]   \ntopics: plain",
        ] {
            let keys = crate::yaml::top_level_keys(text);
            let only_taxonomies = |read: BTreeMap<String, yaml::Value>| -> BTreeMap<String, yaml::Value> {
                read.into_iter().filter(|(k, _)| taxonomies.contains(k)).collect()
            };
            let whole = only_taxonomies(yaml::from_str(text).unwrap_or_default());
            assert_eq!(only_taxonomies(super::taxonomy_values(text, &keys, &taxonomies)), whole, "{text}");
        }
    }

    use super::*;
    use std::path::Path;

    fn parse_text(text: &str) -> Parsed {
        let split = split(text).unwrap();
        parse(Path::new("content/a.md"), &split, &["tags".to_string()], false)
    }

    #[test]
    fn splits_fences_with_crlf() {
        let s = split("---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body\r\n");
        assert_eq!(s.body_offset, 20);
    }

    #[test]
    fn unterminated_fence_is_an_error() {
        assert!(split("---\ntitle: A\nBody\n").is_err());
        assert!(split("No front matter\n").is_err());
    }

    #[test]
    fn parses_fields_and_taxonomies() {
        let p = parse_text(
            "---\ntitle: Renew\ndate: 2026-05-01\nkind: steps\ntags: [renewal, online]\nrelated:\n  - faq/lost.md\n---\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let fm = p.front_matter.unwrap();
        assert_eq!(fm.title, "Renew");
        assert_eq!(fm.kind, Kind::Steps);
        assert_eq!(fm.date.unwrap().iso_date(), "2026-05-01");
        assert_eq!(fm.taxonomies["tags"], ["renewal", "online"]);
        assert_eq!(fm.related[0].value, "faq/lost.md");
        assert_eq!((fm.related[0].line, fm.related[0].column), (7, 5));
    }

    #[test]
    fn flow_list_items_have_their_own_columns() {
        let p = parse_text("---\ntitle: A\naliases: [\"/a/\", /b/]\n---\n");
        let fm = p.front_matter.unwrap();
        assert_eq!((fm.aliases[0].line, fm.aliases[0].column), (3, 12));
        assert_eq!((fm.aliases[1].line, fm.aliases[1].column), (3, 18));
    }

    #[test]
    fn type_error_points_into_the_file() {
        let p = parse_text("---\ntitle: A\ndraft: perhaps\n---\n");
        let d = &p.diagnostics[0];
        assert!(d.is_error());
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 8));
        assert!(p.front_matter.is_none());
    }

    #[test]
    fn bad_date_names_the_value() {
        let p = parse_text("---\ntitle: A\ndate: 2026-13-45\n---\n");
        let d = &p.diagnostics[0];
        assert_eq!(d.message, "`date` is not a valid date: `2026-13-45`");
        let loc = d.location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column, loc.length), (3, 7, 10));
    }

    #[test]
    fn unknown_key_is_a_warning_with_a_hint() {
        let p = parse_text("---\ntitel: A\ntitle: B\n---\n");
        let d = &p.diagnostics[0];
        assert!(!d.is_error());
        assert_eq!(d.hints, ["did you mean `title`?"]);
        assert!(p.front_matter.is_some());
    }

    #[test]
    fn unknown_kind_suggests_the_closest() {
        let p = parse_text("---\ntitle: A\nkind: stpes\n---\n");
        let d = &p.diagnostics[0];
        assert_eq!(d.message, "`stpes` is not a valid value here");
        assert_eq!(d.hints, ["did you mean `steps`?"]);
        assert_eq!(d.location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn yaml_syntax_error_is_located() {
        let p = parse_text("---\ntitle: A\ntags: [a, b\n---\n");
        let d = &p.diagnostics[0];
        assert_eq!(d.message, "front matter cannot be read here: a list in `[` … `]` is not closed");
        assert!(d.location.as_ref().unwrap().line >= 3);
    }

    #[test]
    fn missing_title_is_an_error_for_pages_only() {
        let text = "---\ndescription: x\n---\n";
        assert!(parse_text(text).diagnostics[0].is_error());
        let s = split(text).unwrap();
        assert!(parse(Path::new("a"), &s, &[], true).diagnostics.is_empty());
    }

    #[test]
    fn every_problem_of_a_file_is_reported_at_once() {
        let p = parse_text(
            "---\ntitle：办理居住证\ntags:\n\t- renewal\ndraft: ture\nweight: heavy\ndate: 2026-13-45\n---\n",
        );
        let found: Vec<_> = p
            .diagnostics
            .iter()
            .map(|d| {
                let loc = d.location.as_ref().unwrap();
                (d.message.as_str(), loc.line, loc.column)
            })
            .collect();
        assert_eq!(
            found,
            [
                ("full-width colon `：` after `title`", 2, 6),
                ("this line is indented with a tab", 4, 1),
                ("`draft` must be `true` or `false`, not `ture`", 5, 8),
                ("`weight` must be a whole number, not `heavy`", 6, 9),
                ("`date` is not a valid date: `2026-13-45`", 7, 7),
            ]
        );
        assert!(p.front_matter.is_none());
    }

    #[test]
    fn messages_never_name_internal_types() {
        for text in ["---\ntitle：办理居住证 description\n---\n", "---\n- a\n---\n", "---\ntitle: [a]\n---\n"]
        {
            for d in parse_text(text).diagnostics {
                assert!(
                    !d.message.contains("struct") && !d.message.contains("RawFrontMatter"),
                    "{}",
                    d.message
                );
                assert!(!d.message.contains("invalid type"), "{}", d.message);
            }
        }
    }

    #[test]
    fn a_wrong_title_is_not_also_missing() {
        let p = parse_text("---\ntitle: [a, b]\n---\n");
        let messages: Vec<_> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["`title` must be text, not a list"]);
    }

    #[test]
    fn dates_with_times() {
        let d = DateValue::parse("2026-05-01T09:30:00+08:00").unwrap();
        assert_eq!(d.iso_date(), "2026-05-01");
        assert!(DateValue::parse("2026-05-01 09:30").is_some());
        assert!(DateValue::parse("yesterday").is_none());
    }
}

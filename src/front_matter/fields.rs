//! The one table of front matter fields. Each line names a key, the kind of value it takes and
//! what editors are told about it; from it come what is read ([`RawFrontMatter`]), the
//! validated [`FrontMatter`], the keys known to the unknown-key hints ([`KNOWN_KEYS`]) and the
//! JSON Schema of `signpost schema` ([`FIELDS`]).
//!
//! Adding a field is adding a line to the table. A field whose value is of a new kind also
//! needs a type implementing [`Field`]: what serde reads, what the page keeps, how one becomes
//! the other (with located errors) and its JSON Schema.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{Change, DateValue, Kind, Positioned, SortBy, Status};
use crate::diagnostics::{Diagnostic, Location};
use crate::guidance::gov::{self, Column, RawService, Service};
use crate::yaml::{self, KeyPosition};

/// A kind of front matter value.
pub trait Field {
    /// The value as serde reads it from the YAML.
    type Raw: DeserializeOwned;
    /// The value a page keeps.
    type Value;
    /// The kept value of key `name` from the one read (`None`: the key is absent or its value
    /// was wrong); problems go to `reading`.
    fn value(raw: Option<Self::Raw>, name: &str, reading: &mut Reading<'_>) -> Self::Value;
    /// The JSON Schema of the value, with `description` for editors.
    fn schema(description: &str) -> Value;
}

/// A field of the table, for the JSON Schema.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The key.
    pub name: &'static str,
    /// What editors are told about it.
    pub description: &'static str,
    /// Its JSON Schema, given the description.
    pub schema: fn(&str) -> Value,
}

/// Declares the table: `/// docs` `key: Kind = "description for editors",`.
macro_rules! front_matter_fields {
    ($( $(#[doc = $doc:literal])* $name:ident : $field:ty = $description:literal, )*) => {
        /// Front matter as serde reads it: every key optional, each value as its field reads it.
        #[derive(Debug, Default, serde::Deserialize)]
        pub(super) struct RawFrontMatter {
            $( pub(super) $name: Option<<$field as Field>::Raw>, )*
        }

        /// Validated front matter of a page or section.
        #[derive(Debug, Clone, Default)]
        pub struct FrontMatter {
            $( $(#[doc = $doc])* pub $name: <$field as Field>::Value, )*
            /// Taxonomy terms by taxonomy name.
            pub taxonomies: BTreeMap<String, Vec<String>>,
        }

        /// Every key Signpost reads from front matter (taxonomy names come on top).
        pub const KNOWN_KEYS: &[&str] = &[$( stringify!($name) ),*];

        /// Every field, in the table's order.
        pub const FIELDS: &[FieldInfo] = &[$(
            FieldInfo { name: stringify!($name), description: $description, schema: <$field as Field>::schema },
        )*];

        impl FrontMatter {
            /// The validated fields of `raw` (taxonomies are read apart, by the caller).
            pub(super) fn from_raw(raw: RawFrontMatter, reading: &mut Reading<'_>) -> FrontMatter {
                FrontMatter {
                    $( $name: <$field as Field>::value(raw.$name, stringify!($name), reading), )*
                    taxonomies: BTreeMap::new(),
                }
            }
        }
    };
}

front_matter_fields! {
    /// Page title (required).
    title: Title = "The page title, shown as its heading and in search results.",
    /// One-sentence description.
    description: Text = "One sentence saying what the page helps people do.",
    /// Publication date.
    date: Date = "When the page was first published (YYYY-MM-DD).",
    /// Last substantive update.
    updated: Date = "When the guidance last changed in substance (YYYY-MM-DD).",
    /// Order within the section.
    weight: Integer = "Order within the section: lower comes first.",
    /// Left out of every output unless drafts are asked for.
    draft: Flag = "Drafts are left out of every output unless built with --drafts.",
    /// Overrides the last URL segment.
    slug: Place = "The last part of the page's URL, instead of the file name.",
    /// Another template than `page.html` / `section.html`.
    template: OptionalText = "Render with this template instead of page.html / section.html.",
    /// Old URLs that redirect here.
    aliases: Places = "Old URLs that redirect to this page, like /old/path/.",
    /// Guidance kind.
    kind: Choice<Kind> = "guide: ordinary guidance; steps: a numbered task; faq: questions and answers; law: an act with articles; service: a service guide with its key elements under service:.",
    /// Date by which the owner must review the page.
    review_by: Date = "Date by which the owner must review the page; `signpost check` warns when it has passed.",
    /// Team responsible for the page.
    owner: OptionalText = "The team responsible for the page (required on FAQ pages).",
    /// Related pages, as content paths (checked like links).
    related: Places = "Related pages, as content paths like faq/lost-card.md.",
    /// Section ordering (sections only).
    sort_by: Choice<SortBy> = "How a section orders its pages (in _index.md).",
    /// Publish an Atom feed of this section (sections only).
    feed: Flag = "Publish an Atom feed of this section (in _index.md).",
    /// Lifecycle status.
    status: Choice<Status> = "withdrawn keeps the page with a banner and drops it from listings; gone publishes a page that explains and links to replaced_by.",
    /// Replacement page for `status: gone`.
    replaced_by: Place = "For status: gone, the page that replaces this one (content path).",
    /// Not published before this instant.
    publish_at: Date = "Not published before this date and time.",
    /// Not published from this instant on.
    expire_at: Date = "Not published from this date and time on.",
    /// Change history.
    changes: Changes = "Change history shown on the page.",
    /// Steps: how long the task takes.
    time_required: OptionalText = "Steps pages: how long the task takes.",
    /// Steps: what it costs.
    cost: OptionalText = "Steps pages: what it costs.",
    /// Steps: what to have ready.
    you_need: Texts = "Steps pages: what to have ready.",
    /// Law: the act's full title.
    law_title: OptionalText = "Law pages: the act's full title.",
    /// Law: when it was adopted.
    enacted: Date = "Law pages: when the act was adopted.",
    /// Law: when it was last amended.
    amended: Date = "Law pages: when the act was last amended.",
    /// Law: where the authoritative text is.
    source_url: Url = "Law pages: where the authoritative text is published.",
    /// Law: whether this text is the authoritative one.
    authoritative: Flag = "Law pages: whether this text is the authoritative one.",
    /// Service guides: the key elements (`service:`).
    service: ServiceElements = "Service guides (kind: service): the key elements of the guide.",
    /// Sections: the column's class, keywords and update window (`column:`).
    column: ColumnSettings = "Sections (_index.md): the column's class, keywords and update window.",
    /// Free data for templates.
    extra: Extra = "Free data for templates.",
}

/// What turning read values into kept ones needs: where each key is, for located errors.
pub struct Reading<'a> {
    /// The file, for locations.
    pub(super) file: &'a Path,
    /// The YAML as read (slips mended, wrong values left out).
    pub(super) yaml_text: &'a str,
    /// The top-level keys, with YAML-relative positions.
    pub(super) keys: &'a [KeyPosition],
    /// File line of the first YAML line.
    pub(super) yaml_line: usize,
    /// Whether the file is a section's `_index.md` (no title required).
    pub(super) is_section: bool,
    /// Keys left out because their values were wrong (already reported).
    pub(super) dropped: &'a [String],
    /// Problems found.
    pub(super) errors: Vec<Diagnostic>,
}

impl Reading<'_> {
    /// A location in the file (lines of the file, not of the YAML).
    pub fn at(&self, line: usize, column: usize, length: usize) -> Location {
        Location { file: self.file.to_path_buf(), line, column, length: length.max(1) }
    }

    /// The top-level key `name`, if written.
    pub fn key(&self, name: &str) -> Option<&KeyPosition> {
        self.keys.iter().find(|k| k.key == name)
    }

    /// Where the value of `name` starts (the first YAML line when the key is absent).
    pub fn value_at(&self, name: &str, length: usize) -> Location {
        match self.key(name) {
            Some(k) => self.at(k.line + self.shift(), k.value_column, length),
            None => self.at(self.yaml_line, 1, 1),
        }
    }

    /// Add `shift` to a YAML line to make it a file line.
    pub fn shift(&self) -> usize {
        self.yaml_line - 1
    }

    /// Report a problem.
    pub fn error(&mut self, diagnostic: Diagnostic) {
        self.errors.push(diagnostic);
    }

    /// The items of list `name`, each with where it is written.
    fn positioned_list(&self, name: &str, values: Vec<String>) -> Vec<Positioned> {
        let key = self.key(name);
        let mut item_lines = super::list_item_positions(self.yaml_text, key);
        if item_lines.is_empty() {
            item_lines = super::flow_item_positions(self.yaml_text, key, &values);
        }
        let key_place = key.map(|k| (k.line + self.shift(), k.value_column)).unwrap_or((self.yaml_line, 1));
        values
            .into_iter()
            .enumerate()
            .map(|(i, value)| {
                let (line, column) =
                    item_lines.get(i).map(|&(l, c)| (l + self.shift(), c)).unwrap_or(key_place);
                Positioned { value, line, column }
            })
            .collect()
    }
}

/// The required title (a section's may be left out).
pub struct Title;

impl Field for Title {
    type Raw = String;
    type Value = String;
    fn value(raw: Option<String>, name: &str, reading: &mut Reading<'_>) -> String {
        match raw {
            Some(t) if !t.trim().is_empty() => t,
            Some(_) => {
                let at = reading.value_at(name, 1);
                reading.error(
                    Diagnostic::error("`title` is empty")
                        .at(at)
                        .with_hint("write the page's title, like `title: Renew your identity card`"),
                );
                String::new()
            }
            None if reading.is_section || reading.dropped.iter().any(|k| k == name) => String::new(),
            None => {
                let at = reading.at(1, 1, 3);
                reading.error(
                    Diagnostic::error("missing `title` in front matter").at(at).with_hint(
                        "add a line like `title: Renew your identity card` between the `---` fences",
                    ),
                );
                String::new()
            }
        }
    }
    fn schema(description: &str) -> Value {
        text_schema(description)
    }
}

/// Declares a kind of field whose value is kept as read: `Option` of it (`optional`), or its
/// default when left out (`defaulted`); `$schema` makes its JSON Schema from the description.
macro_rules! kept_as_read {
    ($(#[doc = $doc:literal])* $name:ident: optional $raw:ty, $schema:expr) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl Field for $name {
            type Raw = $raw;
            type Value = Option<$raw>;
            fn value(raw: Option<$raw>, _: &str, _: &mut Reading<'_>) -> Option<$raw> {
                raw
            }
            fn schema(description: &str) -> Value {
                ($schema)(description)
            }
        }
    };
    ($(#[doc = $doc:literal])* $name:ident: defaulted $raw:ty, $schema:expr) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl Field for $name {
            type Raw = $raw;
            type Value = $raw;
            fn value(raw: Option<$raw>, _: &str, _: &mut Reading<'_>) -> $raw {
                raw.unwrap_or_default()
            }
            fn schema(description: &str) -> Value {
                ($schema)(description)
            }
        }
    };
}

kept_as_read!(
    /// Text, empty when left out.
    Text: defaulted String, text_schema
);
kept_as_read!(
    /// Text that may be left out.
    OptionalText: optional String, text_schema
);
kept_as_read!(
    /// An address on the web, which may be left out.
    Url: optional String, |d: &str| json!({"type": "string", "format": "uri", "description": d})
);
kept_as_read!(
    /// A whole number, which may be left out.
    Integer: optional i64, |d: &str| json!({"type": "integer", "description": d})
);
kept_as_read!(
    /// `true` or `false`, false when left out.
    Flag: defaulted bool, |d: &str| json!({"type": "boolean", "description": d})
);
kept_as_read!(
    /// A list of texts.
    Texts: defaulted Vec<String>, list_schema
);
kept_as_read!(
    /// A section's column settings.
    ColumnSettings: optional Column, |d: &str| described(gov::column_schema(), d)
);

/// A date or date-time, which may be left out.
pub struct Date;

impl Field for Date {
    type Raw = String;
    type Value = Option<DateValue>;
    fn value(raw: Option<String>, name: &str, reading: &mut Reading<'_>) -> Option<DateValue> {
        let text = raw?;
        let date = DateValue::parse(&text);
        if date.is_none() {
            let at = reading.value_at(name, text.chars().count());
            reading.error(
                Diagnostic::error(format!("`{name}` is not a valid date: `{text}`")).at(at).with_hint(
                    "write dates as YYYY-MM-DD, like `2026-05-01`, or as `2026-05-01T09:00:00+08:00`",
                ),
            );
        }
        date
    }
    fn schema(description: &str) -> Value {
        date_schema(description)
    }
}

/// A path or URL kept with where it is written, for messages about it.
pub struct Place;

impl Field for Place {
    type Raw = String;
    type Value = Option<Positioned>;
    fn value(raw: Option<String>, name: &str, reading: &mut Reading<'_>) -> Option<Positioned> {
        raw.map(|value| {
            let at = reading.value_at(name, 1);
            Positioned { value, line: at.line, column: at.column }
        })
    }
    fn schema(description: &str) -> Value {
        text_schema(description)
    }
}

/// A list of paths or URLs, each kept with where it is written.
pub struct Places;

impl Field for Places {
    type Raw = Vec<String>;
    type Value = Vec<Positioned>;
    fn value(raw: Option<Vec<String>>, name: &str, reading: &mut Reading<'_>) -> Vec<Positioned> {
        reading.positioned_list(name, raw.unwrap_or_default())
    }
    fn schema(description: &str) -> Value {
        list_schema(description)
    }
}

/// The change history: a list of dated notes.
pub struct Changes;

impl Field for Changes {
    type Raw = Vec<Change>;
    type Value = Vec<Change>;
    fn value(raw: Option<Vec<Change>>, _: &str, _: &mut Reading<'_>) -> Vec<Change> {
        raw.unwrap_or_default()
    }
    fn schema(description: &str) -> Value {
        json!({
            "type": "array",
            "description": description,
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["date", "note"],
                "properties": {"date": date_schema("When the change was made."), "note": text_schema("What changed.")}
            }
        })
    }
}

/// Free data for templates, as JSON.
pub struct Extra;

impl Field for Extra {
    type Raw = yaml::Value;
    type Value = Value;
    fn value(raw: Option<yaml::Value>, _: &str, _: &mut Reading<'_>) -> Value {
        raw.as_ref().map(yaml::to_json).unwrap_or(Value::Null)
    }
    fn schema(description: &str) -> Value {
        json!({"type": "object", "description": description})
    }
}

/// A service guide's key elements, each kept with where it is written.
pub struct ServiceElements;

impl Field for ServiceElements {
    type Raw = RawService;
    type Value = Option<Service>;
    fn value(raw: Option<RawService>, name: &str, reading: &mut Reading<'_>) -> Option<Service> {
        let key_line = reading.key(name).map_or(1, |k| k.line);
        raw.map(|s| s.place(reading.yaml_text, key_line, reading.shift()))
    }
    fn schema(description: &str) -> Value {
        described(gov::service_schema(), description)
    }
}

/// `schema` with its description set to the table's.
fn described(mut schema: Value, description: &str) -> Value {
    schema["description"] = Value::from(description);
    schema
}

/// One of a few names, read as an enum; its default when left out.
pub struct Choice<T>(std::marker::PhantomData<T>);

/// An enum of front matter: its names as written, the default first.
pub trait Choices: DeserializeOwned + Default {
    /// Every name, the default first.
    const NAMES: &'static [&'static str];
}

impl Choices for Kind {
    const NAMES: &'static [&'static str] = &["guide", "steps", "faq", "law", "service"];
}

impl Choices for SortBy {
    const NAMES: &'static [&'static str] = &["weight", "date", "title"];
}

impl Choices for Status {
    const NAMES: &'static [&'static str] = &["published", "withdrawn", "gone"];
}

impl<T: Choices> Field for Choice<T> {
    type Raw = T;
    type Value = T;
    fn value(raw: Option<T>, _: &str, _: &mut Reading<'_>) -> T {
        raw.unwrap_or_default()
    }
    fn schema(description: &str) -> Value {
        json!({"enum": T::NAMES, "default": T::NAMES[0], "description": description})
    }
}

fn date_schema(description: &str) -> Value {
    json!({
        "type": "string",
        "description": description,
        "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?)?$"
    })
}

fn text_schema(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

/// The JSON Schema of a list of texts (a taxonomy's terms too).
pub fn list_schema(description: &str) -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": description})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each name of an enum reads as a value, and the first is its default.
    fn names_read<T: Choices + PartialEq + std::fmt::Debug>() {
        for name in T::NAMES {
            assert!(yaml::from_str::<T>(name).is_ok(), "`{name}` does not read");
        }
        assert_eq!(yaml::from_str::<T>(T::NAMES[0]).ok(), Some(T::default()));
        assert!(yaml::from_str::<T>("no-such-name").is_err());
    }

    #[test]
    fn every_name_of_a_choice_reads() {
        names_read::<Kind>();
        names_read::<SortBy>();
        names_read::<Status>();
        let kinds: Vec<&str> =
            Kind::NAMES.iter().map(|&n| yaml::from_str::<Kind>(n).unwrap().as_str()).collect();
        assert_eq!(kinds, Kind::NAMES);
    }

    #[test]
    fn the_table_gives_the_keys_in_order() {
        assert_eq!(KNOWN_KEYS.len(), FIELDS.len());
        assert!(KNOWN_KEYS.iter().zip(FIELDS).all(|(key, field)| *key == field.name));
        assert_eq!(&KNOWN_KEYS[..3], ["title", "description", "date"]);
    }
}

//! The wrong-type audit of front matter: every field Signpost reads is given values of the
//! wrong shape (a list for a scalar, `name: value` pairs for a list, a list for pairs, …), and
//! each must get a plain message that names the field, with none of the YAML parser's words.

use std::path::Path;

use signpost::front_matter::{self, KNOWN_KEYS};

/// Words of the parser and of serde that an editor must never see.
const JARGON: &[&str] = &[
    "invalid type",
    "expected a YAML tag",
    "struct",
    "RawFrontMatter",
    "sequence",
    "variant",
    "token",
    "mapping values",
    "serde",
];

/// The taxonomy names the audit's site declares (they are fields too).
const TAXONOMIES: &[&str] = &["tags"];

/// Fields that take a list: each gets pairs and a nested list instead.
const LIST_FIELDS: &[&str] = &["aliases", "related", "you_need", "changes", "tags"];

/// Values of the wrong shape for `field`.
fn wrong_values(field: &str) -> Vec<&'static str> {
    match field {
        // Anything goes under `extra:`: there is no wrong type to give it.
        "extra" => Vec::new(),
        "changes" => vec!["{a: b}", "[[a, b]]", "[a]", "[{date: 2026-01-01}]", "[{date: [a], note: b}]"],
        f if LIST_FIELDS.contains(&f) => vec!["{a: b}", "[[a, b]]", "[{a: b}]", "true"],
        "draft" | "feed" | "authoritative" => vec!["[true]", "{a: b}", "\n  - a", "5", "yes please"],
        "weight" => vec!["[1]", "{a: b}", "\n  - a", "heavy", "1.5"],
        _ => vec!["[deprecated]", "{a: b}", "\n  - a\n  - b", "[[a]]"],
    }
}

fn parse(yaml: &str) -> front_matter::Parsed {
    let text = format!("---\n{yaml}\n---\n\nBody.\n");
    let split = front_matter::split(&text).expect("fenced");
    let taxonomies: Vec<String> = TAXONOMIES.iter().map(|t| t.to_string()).collect();
    front_matter::parse(Path::new("content/audit.md"), &split, &taxonomies, false)
}

fn fields() -> impl Iterator<Item = &'static str> {
    KNOWN_KEYS.iter().copied().chain(TAXONOMIES.iter().copied())
}

#[test]
fn every_field_with_a_wrong_type_gets_a_plain_message_naming_it() {
    let mut failures = Vec::new();
    for field in fields() {
        for value in wrong_values(field) {
            let yaml = if field == "title" {
                format!("title: {value}")
            } else {
                format!("title: Audit\n{field}: {value}")
            };
            let parsed = parse(&yaml);
            let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
            let named = format!("`{field}`");
            let plain = |m: &str| !JARGON.iter().any(|j| m.contains(j));
            let ok = errors.len() == 1
                && errors[0].message.contains(&named)
                && plain(&errors[0].message)
                && errors[0].hints.iter().all(|h| plain(h))
                && parsed.front_matter.is_none();
            if !ok {
                let got: Vec<_> =
                    errors.iter().map(|d| format!("{} (hint: {:?})", d.message, d.hints)).collect();
                failures.push(format!("{field}: {value:?} -> {got:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong-type values got no plain message:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_file_with_every_field_wrong_reports_each_field_once_in_one_run() {
    let yaml: String =
        fields().filter(|f| !wrong_values(f).is_empty()).map(|f| format!("{f}: {{a: b}}\n")).collect();
    let parsed = parse(&yaml);
    let messages: Vec<&str> = parsed.diagnostics.iter().map(|d| d.message.as_str()).collect();
    for field in fields().filter(|f| !wrong_values(f).is_empty()) {
        let named = format!("`{field}`");
        let count = messages.iter().filter(|m| m.starts_with(&named)).count();
        assert_eq!(count, 1, "`{field}` named {count} times in {messages:#?}");
    }
    assert_eq!(messages.len(), fields().count() - 1, "{messages:#?}");
}

//! A JSON Schema of front matter, so that editors with a YAML language server get
//! completion and validation while they type. It mirrors `front_matter::KNOWN_KEYS`.

use serde_json::{Value, json};

use crate::front_matter::KNOWN_KEYS;

fn date(description: &str) -> Value {
    json!({
        "type": "string",
        "description": description,
        "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?)?$"
    })
}

fn text(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn list(description: &str) -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": description})
}

/// The schema for a site with the given taxonomy names.
pub fn front_matter_schema(taxonomies: &[String]) -> Value {
    let mut properties = serde_json::Map::new();
    let mut add = |key: &str, value: Value| {
        properties.insert(key.to_string(), value);
    };
    add("title", text("The page title, shown as its heading and in search results."));
    add("description", text("One sentence saying what the page helps people do."));
    add("date", date("When the page was first published (YYYY-MM-DD)."));
    add("updated", date("When the guidance last changed in substance (YYYY-MM-DD)."));
    add("weight", json!({"type": "integer", "description": "Order within the section: lower comes first."}));
    add(
        "draft",
        json!({"type": "boolean", "description": "Drafts are left out of every output unless built with --drafts."}),
    );
    add("slug", text("The last part of the page's URL, instead of the file name."));
    add("template", text("Render with this template instead of page.html / section.html."));
    add("aliases", list("Old URLs that redirect to this page, like /old/path/."));
    add(
        "kind",
        json!({
            "enum": ["guide", "steps", "faq", "law", "service"],
            "default": "guide",
            "description": "guide: ordinary guidance; steps: a numbered task; faq: questions and answers; law: an act with articles; service: a service guide with its key elements under service:."
        }),
    );
    add(
        "review_by",
        date("Date by which the owner must review the page; `signpost check` warns when it has passed."),
    );
    add("owner", text("The team responsible for the page (required on FAQ pages)."));
    add("related", list("Related pages, as content paths like faq/lost-card.md."));
    add(
        "sort_by",
        json!({"enum": ["weight", "date", "title"], "description": "How a section orders its pages (in _index.md)."}),
    );
    add(
        "feed",
        json!({"type": "boolean", "description": "Publish an Atom feed of this section (in _index.md)."}),
    );
    add(
        "status",
        json!({
            "enum": ["published", "withdrawn", "gone"],
            "description": "withdrawn keeps the page with a banner and drops it from listings; gone publishes a page that explains and links to replaced_by."
        }),
    );
    add("replaced_by", text("For status: gone, the page that replaces this one (content path)."));
    add("publish_at", date("Not published before this date and time."));
    add("expire_at", date("Not published from this date and time on."));
    add(
        "changes",
        json!({
            "type": "array",
            "description": "Change history shown on the page.",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["date", "note"],
                "properties": {"date": date("When the change was made."), "note": text("What changed.")}
            }
        }),
    );
    add("time_required", text("Steps pages: how long the task takes."));
    add("cost", text("Steps pages: what it costs."));
    add("you_need", list("Steps pages: what to have ready."));
    add("law_title", text("Law pages: the act's full title."));
    add("enacted", date("Law pages: when the act was adopted."));
    add("amended", date("Law pages: when the act was last amended."));
    add(
        "source_url",
        json!({"type": "string", "format": "uri", "description": "Law pages: where the authoritative text is published."}),
    );
    add(
        "authoritative",
        json!({"type": "boolean", "description": "Law pages: whether this text is the authoritative one."}),
    );
    add("service", crate::guidance::gov::service_schema());
    add("column", crate::guidance::gov::column_schema());
    add("extra", json!({"type": "object", "description": "Free data for templates."}));
    for name in taxonomies {
        add(name, list(&format!("Terms of the `{name}` taxonomy.")));
    }
    debug_assert_eq!(properties.len(), KNOWN_KEYS.len() + taxonomies.len());
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://signpost.invalid/front-matter.schema.json",
        "title": "Signpost front matter",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "allOf": [
            {"if": {"properties": {"kind": {"const": "faq"}}, "required": ["kind"]}, "then": {"required": ["owner"]}}
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_key_is_described() {
        let schema = front_matter_schema(&["tags".to_string()]);
        let properties = schema["properties"].as_object().unwrap();
        for key in KNOWN_KEYS {
            assert!(properties[*key]["description"].is_string(), "{key} lacks a description");
        }
        assert_eq!(properties["tags"]["type"], "array");
        assert_eq!(properties["kind"]["enum"], json!(["guide", "steps", "faq", "law", "service"]));
        assert_eq!(schema["additionalProperties"], false);
    }
}

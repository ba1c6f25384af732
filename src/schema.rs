//! A JSON Schema of front matter, so that editors with a YAML language server get
//! completion and validation while they type. Its properties come from the table of front
//! matter fields (`front_matter::FIELDS`), and one list property per taxonomy.

use serde_json::{Value, json};

use crate::front_matter::{FIELDS, list_schema};

/// The schema for a site with the given taxonomy names.
pub fn front_matter_schema(taxonomies: &[String]) -> Value {
    let mut properties = serde_json::Map::new();
    for field in FIELDS {
        properties.insert(field.name.to_string(), (field.schema)(field.description));
    }
    for name in taxonomies {
        properties.insert(name.clone(), list_schema(&format!("Terms of the `{name}` taxonomy.")));
    }
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
    use crate::front_matter::KNOWN_KEYS;

    #[test]
    fn every_known_key_is_described() {
        let schema = front_matter_schema(&["tags".to_string()]);
        let properties = schema["properties"].as_object().unwrap();
        for key in KNOWN_KEYS {
            assert!(properties[*key]["description"].is_string(), "{key} lacks a description");
        }
        assert_eq!(properties["tags"]["type"], "array");
        assert_eq!(properties["kind"]["enum"], json!(["guide", "steps", "faq", "law", "service"]));
        assert_eq!(
            (&properties["kind"]["default"], &properties["status"]["default"]),
            (&json!("guide"), &json!("published"))
        );
        assert_eq!(properties.len(), KNOWN_KEYS.len() + 1);
        assert_eq!(schema["additionalProperties"], false);
    }
}

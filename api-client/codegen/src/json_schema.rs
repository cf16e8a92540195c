//! OpenAPI 3.0 schema objects are almost JSON Schema; this turns them into what typify reads.
//!
//! Validation keywords (lengths, patterns, bounds) are dropped on purpose: typify would turn them
//! into constrained newtypes (and pull a regex engine into every wasm bundle). The server validates
//! inputs and answers with field errors; the client models stay plain data. String formats are
//! dropped for the same reason (no chrono or uuid in the bundles): timestamps and ids are strings.

use serde_json::{Map, Value};

const DROPPED_KEYWORDS: &[&str] = &[
    "example",
    "examples",
    "discriminator",
    "externalDocs",
    "xml",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "readOnly",
    "writeOnly",
];

/// Number formats typify maps onto Rust integer and float widths; every other format is dropped.
const KEPT_FORMATS: &[&str] = &["int32", "int64", "float", "double"];

pub fn convert(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut converted = Map::new();
    for (key, value) in object {
        if DROPPED_KEYWORDS.contains(&key.as_str()) {
            continue;
        }
        let value = match key.as_str() {
            "$ref" => Value::String(
                value
                    .as_str()
                    .unwrap_or_default()
                    .replace("#/components/schemas/", "#/definitions/"),
            ),
            "format" if !KEPT_FORMATS.contains(&value.as_str().unwrap_or_default()) => continue,
            "properties" => Value::Object(
                value
                    .as_object()
                    .map(|properties| {
                        properties
                            .iter()
                            .map(|(name, property)| (name.clone(), convert(property)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            "items" | "additionalProperties" | "not" => convert(value),
            "oneOf" | "anyOf" | "allOf" => Value::Array(
                value
                    .as_array()
                    .map(|variants| variants.iter().map(convert).collect())
                    .unwrap_or_default(),
            ),
            _ => value.clone(),
        };
        converted.insert(key.clone(), value);
    }
    Value::Object(converted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversion_rewrites_refs_and_drops_validation_but_not_property_names() {
        let schema = json!({
            "type": "object",
            "required": ["pattern"],
            "properties": {
                "pattern": {"type": "string", "pattern": "^a$", "maxLength": 3},
                "at": {"type": "string", "format": "date-time"},
                "count": {"type": "integer", "format": "int32", "minimum": 1},
                "price": {"$ref": "#/components/schemas/Money"}
            },
            "example": {"pattern": "a"}
        });
        assert_eq!(
            convert(&schema),
            json!({
                "type": "object",
                "required": ["pattern"],
                "properties": {
                    "pattern": {"type": "string"},
                    "at": {"type": "string"},
                    "count": {"type": "integer", "format": "int32"},
                    "price": {"$ref": "#/definitions/Money"}
                }
            })
        );
    }
}

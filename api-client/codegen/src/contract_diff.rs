//! The contract gate: compares the contract with its committed baseline and lists every change
//! that would break a client built against the baseline. Additive changes (new operations, new
//! optional request fields, new response fields, new enum values in requests) pass.
//!
//! Breaking: a removed or renamed operation; a removed or retyped parameter; a new required
//! parameter; a removed schema, field, enum value or `oneOf` variant; a retyped field; a field that
//! stops being required; a new required field in a schema that requests carry; a changed request
//! or success response schema. A new major `info.version` allows all of them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::spec::{Spec, ref_name};

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

pub enum Verdict {
    Compatible,
    /// Breaking changes, accepted because the major version went up.
    NewMajorVersion {
        from: u64,
        to: u64,
        breaking: Vec<String>,
    },
    Breaking(Vec<String>),
}

pub fn check(baseline: &Spec, current: &Spec) -> Verdict {
    let breaking = breaking_changes(baseline, current);
    if breaking.is_empty() {
        return Verdict::Compatible;
    }
    match (baseline.major_version(), current.major_version()) {
        (Some(from), Some(to)) if to > from => Verdict::NewMajorVersion { from, to, breaking },
        _ => Verdict::Breaking(breaking),
    }
}

pub fn breaking_changes(baseline: &Spec, current: &Spec) -> Vec<String> {
    let mut findings = Vec::new();
    compare_operations(baseline, current, &mut findings);
    compare_schemas(baseline, current, &mut findings);
    findings
}

fn operations(spec: &Spec) -> BTreeMap<String, &Value> {
    let mut operations = BTreeMap::new();
    if let Some(paths) = spec.document["paths"].as_object() {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(operation) = item.get(*method) {
                    operations.insert(format!("{} {path}", method.to_uppercase()), operation);
                }
            }
        }
    }
    operations
}

/// Parameters of an operation, path-level ones included, keyed by `in:name`.
fn parameters<'a>(spec: &'a Spec, key: &str, operation: &'a Value) -> BTreeMap<String, &'a Value> {
    let path = key
        .split_once(' ')
        .map(|(_, path)| path)
        .unwrap_or_default();
    let shared = spec.document["paths"][path]["parameters"].as_array();
    let own = operation["parameters"].as_array();
    shared
        .into_iter()
        .chain(own)
        .flatten()
        .filter_map(|param| spec.resolve(param).ok())
        .map(|param| {
            let name = param["name"].as_str().unwrap_or_default();
            let location = param["in"].as_str().unwrap_or_default();
            // Header names are case-insensitive.
            let name = if location == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            (format!("{location}:{name}"), param)
        })
        .collect()
}

fn compare_operations(baseline: &Spec, current: &Spec, findings: &mut Vec<String>) {
    let now = operations(current);
    for (key, old) in operations(baseline) {
        let Some(new) = now.get(&key) else {
            findings.push(format!("removed operation {key}"));
            continue;
        };
        if old["operationId"] != new["operationId"] {
            findings.push(format!(
                "operation {key} renamed from {} to {}",
                old["operationId"], new["operationId"]
            ));
        }
        let old_params = parameters(baseline, &key, old);
        let new_params = parameters(current, &key, new);
        for (name, param) in &old_params {
            match new_params.get(name) {
                None => findings.push(format!("{key}: removed parameter {name}")),
                Some(new_param) => {
                    let (was, is) = (
                        signature(baseline, &param["schema"]),
                        signature(current, &new_param["schema"]),
                    );
                    if was != is {
                        findings.push(format!(
                            "{key}: parameter {name} retyped from {was} to {is}"
                        ));
                    }
                }
            }
        }
        for (name, param) in &new_params {
            let required = param["required"].as_bool().unwrap_or(false);
            let was_required = old_params
                .get(name)
                .is_some_and(|old| old["required"].as_bool().unwrap_or(false));
            if required && !was_required {
                findings.push(format!("{key}: new required parameter {name}"));
            }
        }
        let body = |spec: &Spec, operation: &Value| {
            let body = spec.resolve(&operation["requestBody"]).ok()?;
            Some(signature(
                spec,
                &body["content"]["application/json"]["schema"],
            ))
        };
        if body(baseline, old) != body(current, new) {
            findings.push(format!(
                "{key}: request body changed from {:?} to {:?}",
                body(baseline, old),
                body(current, new)
            ));
        }
        for (code, response) in old["responses"].as_object().into_iter().flatten() {
            if !code.starts_with('2') {
                continue;
            }
            let schema = |spec: &Spec, response: &Value| {
                let response = spec.resolve(response).ok()?;
                Some(signature(
                    spec,
                    &response["content"]["application/json"]["schema"],
                ))
            };
            let now = new["responses"].get(code).and_then(|r| schema(current, r));
            if schema(baseline, response) != now {
                findings.push(format!("{key}: {code} response changed or removed"));
            }
        }
    }
}

/// A comparable description of a schema's type: a reference name, or type plus format.
fn signature(spec: &Spec, schema: &Value) -> String {
    if let Some(name) = ref_name(schema) {
        return name.to_owned();
    }
    let schema = spec.resolve(schema).unwrap_or(schema);
    match schema["type"].as_str() {
        Some("array") => format!("array<{}>", signature(spec, &schema["items"])),
        Some(kind) => match schema["format"].as_str() {
            Some(format) => format!("{kind}({format})"),
            None => kind.to_owned(),
        },
        None if schema.get("oneOf").is_some() => "oneOf".to_owned(),
        None => "any".to_owned(),
    }
}

/// Schemas that requests carry, directly or nested: a new required field there breaks senders.
fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    for (_, operation) in operations(spec) {
        if let Ok(body) = spec.resolve(&operation["requestBody"]) {
            for media in body["content"].as_object().into_iter().flatten() {
                collect_refs(&media.1["schema"], &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone())
            && let Some(schema) = spec.schemas().get(&name)
        {
            collect_refs(schema, &mut pending);
        }
    }
    seen
}

fn collect_refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if let Some(name) = ref_name(value) {
                found.push(name.to_owned());
            }
            object.values().for_each(|child| collect_refs(child, found));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_refs(child, found)),
        _ => {}
    }
}

fn string_set(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| {
            item.as_str()
                .map(str::to_owned)
                .or_else(|| ref_name(item).map(str::to_owned))
        })
        .collect()
}

fn compare_schemas(baseline: &Spec, current: &Spec, findings: &mut Vec<String>) {
    let carried_by_requests = request_schemas(current);
    for (name, old) in baseline.schemas() {
        let Some(new) = current.schemas().get(name) else {
            findings.push(format!("removed schema {name}"));
            continue;
        };
        let (was, is) = (signature(baseline, old), signature(current, new));
        if was != is {
            findings.push(format!("schema {name} retyped from {was} to {is}"));
        }
        let old_required = string_set(&old["required"]);
        let new_required = string_set(&new["required"]);
        for (field, old_field) in old["properties"].as_object().into_iter().flatten() {
            match new["properties"].get(field) {
                None => findings.push(format!("removed field {name}.{field}")),
                Some(new_field) => {
                    let (was, is) = (
                        signature(baseline, old_field),
                        signature(current, new_field),
                    );
                    if was != is {
                        findings.push(format!("field {name}.{field} retyped from {was} to {is}"));
                    }
                    for value in
                        string_set(&old_field["enum"]).difference(&string_set(&new_field["enum"]))
                    {
                        findings.push(format!("field {name}.{field} lost enum value {value}"));
                    }
                }
            }
        }
        for field in old_required.difference(&new_required) {
            findings.push(format!("field {name}.{field} is no longer required"));
        }
        if carried_by_requests.contains(name) {
            for field in new_required.difference(&old_required) {
                findings.push(format!("new required request field {name}.{field}"));
            }
        }
        for value in string_set(&old["enum"]).difference(&string_set(&new["enum"])) {
            findings.push(format!("schema {name} lost enum value {value}"));
        }
        for variant in string_set(&old["oneOf"]).difference(&string_set(&new["oneOf"])) {
            findings.push(format!("schema {name} lost variant {variant}"));
        }
    }
}

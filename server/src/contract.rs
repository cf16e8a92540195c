//! The contract as the server's input gate: before a handler runs, the request's path, query and
//! header parameters and its JSON body are checked against the schemas of its operation in
//! `contracts/commerce-v1.yaml`, the same document `/v1/openapi.yaml` serves. So the bounds the
//! document states are exactly the bounds enforced, from one place, and a bound the server needs
//! must first be written into the contract. Handlers and the domain keep only the rules a schema
//! cannot say (stock, postal codes per country, whitespace-only names, ownership).
//!
//! Parameters that break their schema are 400 (`malformed-request`); a body value of the wrong
//! JSON type is 400 too, and every other body violation is 422 (`validation-failed`), each with one
//! field error per offending field in the contract's code vocabulary. Messages never echo the
//! value, which may be personal data.

use std::collections::HashMap;
use std::sync::LazyLock;

use anyhow::{Context, Result, bail};
use api_client::types::FieldError;
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, Validator};
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::extract::{Caller, OpsCaller, OpsReader};
use crate::state::AppState;

/// The contract this server implements, served verbatim at `/v1/openapi.yaml`.
pub const DOCUMENT: &str = include_str!("../../contracts/commerce-v1.yaml");

/// Errors listed per request at most; a hostile body can break thousands of rules at once.
const MAX_FIELD_ERRORS: usize = 20;

/// How deep `$ref`s may nest while inlining; the request schemas need far fewer.
const MAX_REF_DEPTH: usize = 16;

static CONTRACT: LazyLock<Contract> = LazyLock::new(|| {
    Contract::parse(DOCUMENT).expect("the embedded contract compiles (checked by its unit tests)")
});

/// Middleware: authenticates the caller where the operation's `security` asks for it (so a
/// stranger learns nothing from validation), then answers a request that breaks its operation's
/// schemas and passes the rest on. Requests outside the contract (pages, probes, unknown routes)
/// pass untouched.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(operation) = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| CONTRACT.operation(request.method(), path.as_str()))
    else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let authenticated = match operation.access {
        Access::Public => Ok(()),
        Access::Caller => Caller::from_request_parts(&mut parts, &state)
            .await
            .map(drop),
        Access::Ops => OpsCaller::from_request_parts(&mut parts, &state)
            .await
            .map(drop),
        Access::OpsRead => OpsReader::from_request_parts(&mut parts, &state)
            .await
            .map(drop),
    };
    if let Err(error) = authenticated {
        return error.into_response();
    }
    if let Err(error) = operation.check_parameters(&mut parts).await {
        return error.into_response();
    }
    let request = Request::from_parts(parts, body);
    let Some(schema) = &operation.body else {
        return next.run(request).await;
    };
    if !is_json_like(&request) {
        // The handler's extractor answers an unsupported media type (415).
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match crate::extract::read_body(Request::from_parts(parts.clone(), body), &()).await
    {
        Ok(bytes) => bytes,
        Err(error) => return error.into_response(),
    };
    // Bodies that are not JSON at all get the extractor's syntax message.
    if let Ok(value) = serde_json::from_slice::<Value>(&bytes)
        && let Err(error) = check_body(schema, &value, operation.invalid_body)
    {
        return error.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Checks a value opened from a seal against its contract schema (one of [`SEALED_SCHEMAS`]) as
/// the gate checks bodies: 422 `validation-failed` with one error per field, each under `field`.
pub fn check_sealed(name: &str, field: &str, value: &Value) -> Result<(), AppError> {
    let Some(validator) = CONTRACT.sealed.get(name) else {
        return Err(AppError::internal(anyhow::anyhow!(
            "{name} is not a sealed schema"
        )));
    };
    let (mut errors, _) = field_errors(validator, value, field);
    if errors.is_empty() {
        return Ok(());
    }
    errors.truncate(MAX_FIELD_ERRORS);
    Err(AppError::validation(errors))
}

fn is_json_like(request: &Request) -> bool {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    content_type.starts_with("application/json") || content_type.starts_with("text/plain")
}

struct Contract {
    /// Keyed by method and the path template with its parameter names, as axum matches it.
    operations: HashMap<(Method, String), Operation>,
    /// The schemas of [`SEALED_SCHEMAS`], by name.
    sealed: HashMap<&'static str, Validator>,
}

/// Schemas whose values arrive sealed inside a body, where the gate cannot see them: the handler
/// checks them once opened (`check_sealed`).
const SEALED_SCHEMAS: &[&str] = &["KioskPayment"];

struct Operation {
    access: Access,
    parameters: Vec<Parameter>,
    body: Option<Validator>,
    /// The problem type of a body that breaks its schema: `validation-failed`, or the
    /// operation's own (`x-validation-problem`, such as `card-invalid`).
    invalid_body: (&'static str, &'static str),
}

/// Who may call an operation: its `security` (none → public) and, for the `ops-*` tags, the role.
#[derive(Clone, Copy)]
enum Access {
    Public,
    Caller,
    Ops,
    /// An ops read that the `ops-viewer` role may also make (`x-roles` names it).
    OpsRead,
}

/// Problem types an operation may name in `x-validation-problem`, with their titles.
const VALIDATION_PROBLEMS: &[(&str, &str)] = &[
    ("validation-failed", "The request has invalid fields"),
    ("card-invalid", "The card details are invalid"),
];

struct Parameter {
    name: String,
    location: Location,
    shape: Shape,
    validator: Validator,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Location {
    Path,
    Query,
    Header,
}

/// What a parameter's text is read as before its schema judges it.
#[derive(Clone, Copy)]
enum Shape {
    Scalar(Scalar),
    /// Repeated keys (`color=red&color=blue`), the contract's `style: form, explode: true`.
    List(Scalar),
}

#[derive(Clone, Copy)]
enum Scalar {
    Text,
    Integer,
    Number,
    Boolean,
}

impl Contract {
    fn parse(yaml: &str) -> Result<Contract> {
        let document: Value = serde_yaml::from_str(yaml).context("parsing the contract")?;
        let mut operations = HashMap::new();
        let paths = document["paths"]
            .as_object()
            .context("the contract has no paths")?;
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                let Ok(method) = method.to_ascii_uppercase().parse::<Method>() else {
                    continue;
                };
                let compiled = Operation::compile(&document, operation)
                    .with_context(|| format!("compiling {method} {path}"))?;
                operations.insert((method, path.clone()), compiled);
            }
        }
        let mut sealed = HashMap::new();
        for name in SEALED_SCHEMAS {
            let schema = inline(
                &document,
                &serde_json::json!({ "$ref": format!("#/components/schemas/{name}") }),
                0,
            )?;
            sealed.insert(*name, validator(&schema)?);
        }
        Ok(Contract { operations, sealed })
    }

    fn operation(&self, method: &Method, path: &str) -> Option<&Operation> {
        // HEAD is answered by the GET route.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        self.operations.get(&(method.clone(), path.to_owned()))
    }
}

impl Operation {
    fn compile(document: &Value, operation: &Value) -> Result<Operation> {
        let mut parameters = Vec::new();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let parameter = inline(document, parameter, 0)?;
            let location = match parameter["in"].as_str() {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                other => bail!("unsupported parameter location {other:?}"),
            };
            let name = parameter["name"]
                .as_str()
                .context("a parameter without a name")?
                .to_owned();
            let schema = &parameter["schema"];
            let shape = match schema["type"].as_str() {
                Some("array") => Shape::List(scalar(&schema["items"])),
                _ => Shape::Scalar(scalar(schema)),
            };
            parameters.push(Parameter {
                name,
                location,
                shape,
                validator: validator(schema)?,
            });
        }
        let content = &operation["requestBody"]["content"];
        let body_schema = ["application/json", "text/plain"]
            .iter()
            .find_map(|media| content.get(*media).map(|media| &media["schema"]));
        let body = body_schema
            .map(|schema| inline(document, schema, 0).and_then(|schema| validator(&schema)))
            .transpose()?;
        let secured = operation["security"]
            .as_array()
            .is_none_or(|requirements| !requirements.is_empty());
        let ops = operation["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|tag| tag.as_str().is_some_and(|tag| tag.starts_with("ops-")));
        let viewers_read = operation["x-roles"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|role| role == "ops-viewer");
        let access = match (secured, ops) {
            (false, _) => Access::Public,
            (true, false) => Access::Caller,
            (true, true) if viewers_read => Access::OpsRead,
            (true, true) => Access::Ops,
        };
        let problem = operation["x-validation-problem"]
            .as_str()
            .unwrap_or("validation-failed");
        let invalid_body = *VALIDATION_PROBLEMS
            .iter()
            .find(|(kind, _)| *kind == problem)
            .with_context(|| format!("unknown x-validation-problem {problem}"))?;
        Ok(Operation {
            access,
            parameters,
            body,
            invalid_body,
        })
    }

    async fn check_parameters(
        &self,
        parts: &mut axum::http::request::Parts,
    ) -> Result<(), AppError> {
        let path_values: Vec<(String, String)> =
            match RawPathParams::from_request_parts(parts, &()).await {
                Ok(params) => params
                    .iter()
                    .map(|(name, value)| (name.to_owned(), value.to_owned()))
                    .collect(),
                Err(rejection) => return Err(AppError::malformed(rejection.body_text())),
            };
        let query_pairs: Vec<(String, String)> =
            serde_html_form::from_str(parts.uri.query().unwrap_or_default())
                .map_err(|error| AppError::malformed(format!("invalid query string: {error}")))?;
        let mut errors = Vec::new();
        for parameter in &self.parameters {
            let texts: Vec<&str> = match parameter.location {
                Location::Path => path_values
                    .iter()
                    .filter(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.as_str())
                    .collect(),
                Location::Query => query_pairs
                    .iter()
                    .filter(|(name, _)| *name == parameter.name)
                    .map(|(_, value)| value.as_str())
                    .collect(),
                Location::Header => {
                    let mut texts = Vec::new();
                    for value in parts.headers.get_all(parameter.name.as_str()) {
                        match value.to_str() {
                            Ok(text) => texts.push(text),
                            Err(_) => errors.push(AppError::field(
                                &parameter.name,
                                "invalid_format",
                                "must be visible ASCII text",
                            )),
                        }
                    }
                    texts
                }
            };
            // Missing parameters are the handler's to answer: a missing If-Match is a 428.
            if texts.is_empty() {
                continue;
            }
            match parameter.read(&texts) {
                Ok(value) => {
                    errors.extend(field_errors(&parameter.validator, &value, &parameter.name).0)
                }
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            return Ok(());
        }
        errors.truncate(MAX_FIELD_ERRORS);
        let mut error = AppError::malformed(describe(&errors));
        error.errors = errors;
        Err(error)
    }
}

impl Parameter {
    /// The parameter's text as the JSON value its schema describes.
    fn read(&self, texts: &[&str]) -> Result<Value, FieldError> {
        match self.shape {
            Shape::List(item) => texts
                .iter()
                .map(|text| item.read(text, &self.name))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Shape::Scalar(_) if texts.len() > 1 => Err(AppError::field(
                &self.name,
                "invalid_value",
                "must be given once",
            )),
            Shape::Scalar(scalar) => scalar.read(texts[0], &self.name),
        }
    }
}

impl Scalar {
    fn read(self, text: &str, name: &str) -> Result<Value, FieldError> {
        let wrong = |what: &str| AppError::field(name, "invalid_format", format!("must be {what}"));
        match self {
            Scalar::Text => Ok(Value::String(text.to_owned())),
            Scalar::Integer => text
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| wrong("a whole number")),
            Scalar::Number => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| wrong("a number")),
            Scalar::Boolean => match text {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(wrong("true or false")),
            },
        }
    }
}

fn scalar(schema: &Value) -> Scalar {
    match schema["type"].as_str() {
        Some("integer") => Scalar::Integer,
        Some("number") => Scalar::Number,
        Some("boolean") => Scalar::Boolean,
        _ => Scalar::Text,
    }
}

/// Checks a body; a value of the wrong JSON type is a malformed request (400), anything else a
/// validation failure (422).
fn check_body(
    validator: &Validator,
    value: &Value,
    (kind, title): (&'static str, &'static str),
) -> Result<(), AppError> {
    let (mut errors, wrong_type) = field_errors(validator, value, "");
    if errors.is_empty() {
        return Ok(());
    }
    errors.truncate(MAX_FIELD_ERRORS);
    if wrong_type {
        let mut error = AppError::malformed(describe(&errors));
        error.errors = errors;
        return Err(error);
    }
    Err(AppError::validation_as(kind, title, errors))
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|error| format!("{}: {}", error.field, error.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The field errors of `value`, each field once, and whether any was a wrong JSON type. `root`
/// names the value itself (a parameter's name; empty for a body).
fn field_errors(validator: &Validator, value: &Value, root: &str) -> (Vec<FieldError>, bool) {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut wrong_type = false;
    for error in validator.iter_errors(value) {
        let pointer = error.instance_path().as_str();
        let path = pointer
            .split('/')
            .skip(1)
            .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
            .collect::<Vec<_>>()
            .join(".");
        let at = |child: &str| field_path(&[root, &path, child]);
        let found: Vec<FieldError> = match error.kind() {
            ValidationErrorKind::Required { property } => {
                vec![AppError::field(
                    &at(property.as_str().unwrap_or_default()),
                    "required",
                    "is required",
                )]
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
                .iter()
                .map(|name| AppError::field(&at(name), "unknown", "is not a field of this request"))
                .collect(),
            ValidationErrorKind::Type { kind } => {
                wrong_type = true;
                vec![AppError::field(
                    &at(""),
                    "invalid_value",
                    format!("must be {}", type_name(kind)),
                )]
            }
            kind => {
                let (code, message) = code_and_message(kind);
                vec![AppError::field(&at(""), code, message)]
            }
        };
        for found in found {
            if !errors.iter().any(|known| known.field == found.field) {
                errors.push(found);
            }
        }
    }
    (errors, wrong_type)
}

/// A dotted field path; the empty path of a body is `body`.
fn field_path(segments: &[&str]) -> String {
    let path = segments
        .iter()
        .filter(|segment| !segment.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(".");
    if path.is_empty() {
        "body".to_owned()
    } else {
        path
    }
}

fn type_name(kind: &TypeKind) -> String {
    let name = |primitive: &jsonschema::JsonType| match primitive.to_string().as_str() {
        "integer" => "a whole number".to_owned(),
        "array" => "a list".to_owned(),
        "object" => "an object".to_owned(),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(primitive) => name(primitive),
        TypeKind::Multiple(primitives) => primitives
            .iter()
            .map(|primitive| name(&primitive))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// The contract's field-error code and a message that is safe to show next to the field.
fn code_and_message(kind: &ValidationErrorKind) -> (&'static str, String) {
    match kind {
        ValidationErrorKind::MinLength { limit: 1 } => ("required", "must not be empty".into()),
        ValidationErrorKind::MinLength { limit } => {
            ("too_short", format!("must be at least {limit} characters"))
        }
        ValidationErrorKind::MaxLength { limit } => {
            ("too_long", format!("must be at most {limit} characters"))
        }
        ValidationErrorKind::MinItems { limit } => {
            ("too_short", format!("must have at least {limit} items"))
        }
        ValidationErrorKind::MaxItems { limit } => {
            ("too_long", format!("must have at most {limit} items"))
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            ("out_of_range", format!("must be at least {limit}"))
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            ("out_of_range", format!("must be at most {limit}"))
        }
        ValidationErrorKind::Pattern { .. } => {
            ("pattern", "has characters or a form it may not have".into())
        }
        ValidationErrorKind::Format { format } => {
            ("invalid_format", format!("must be a valid {format}"))
        }
        ValidationErrorKind::Enum { options } => (
            "invalid_value",
            format!(
                "must be one of {}",
                options
                    .as_array()
                    .map(|options| options
                        .iter()
                        .map(Value::to_string)
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            ),
        ),
        _ => ("invalid_value", "is not a valid value here".into()),
    }
}

fn validator(schema: &Value) -> Result<Validator> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|error| anyhow::anyhow!("{error}"))
}

/// An OpenAPI 3.0 schema (or parameter) as a self-contained JSON Schema: local `$ref`s replaced by
/// what they name, OpenAPI-only keywords left out.
fn inline(document: &Value, value: &Value, depth: usize) -> Result<Value> {
    if depth > MAX_REF_DEPTH {
        bail!("$refs nest deeper than {MAX_REF_DEPTH}");
    }
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
                let pointer = reference
                    .strip_prefix('#')
                    .with_context(|| format!("only local $refs are supported: {reference}"))?;
                let target = document
                    .pointer(pointer)
                    .with_context(|| format!("{reference} names nothing"))?;
                return inline(document, target, depth + 1);
            }
            let mut inlined = Map::new();
            for (key, child) in object {
                // Annotations the validator does not need; `discriminator` only names the
                // property that `oneOf` already checks.
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "discriminator" | "description"
                ) {
                    continue;
                }
                inlined.insert(key.clone(), inline(document, child, depth)?);
            }
            Ok(Value::Object(inlined))
        }
        Value::Array(items) => items
            .iter()
            .map(|item| inline(document, item, depth))
            .collect::<Result<Vec<_>>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation(method: Method, path: &str) -> &'static Operation {
        CONTRACT
            .operation(&method, path)
            .unwrap_or_else(|| panic!("{method} {path} is in the contract"))
    }

    fn body_errors(method: Method, path: &str, body: Value) -> Option<(u16, Vec<FieldError>)> {
        let operation = operation(method, path);
        let validator = operation.body.as_ref().expect("a body schema");
        check_body(validator, &body, operation.invalid_body)
            .err()
            .map(|error| (error.status.as_u16(), error.errors.clone()))
    }

    #[test]
    fn every_operation_of_the_contract_compiles() {
        assert!(
            CONTRACT.operations.len() > 40,
            "{}",
            CONTRACT.operations.len()
        );
    }

    #[test]
    fn address_bounds_are_the_contracts() {
        let mut address = json!({
            "name": "Ada Lovelace", "line1": "1 Main St", "city": "Springfield",
            "postalCode": "12345", "country": "US", "region": "IL",
        });
        let path = "/v1/checkouts/{checkoutId}/addresses";
        let valid = json!({ "shippingAddress": address.clone() });
        assert_eq!(body_errors(Method::PUT, path, valid), None);
        address["line2"] = json!("x".repeat(201));
        address["phone"] = json!("1".repeat(1000));
        let (status, errors) =
            body_errors(Method::PUT, path, json!({ "shippingAddress": address }))
                .expect("over-long fields are refused");
        assert_eq!(status, 422);
        let fields: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(
            fields.contains(&("shippingAddress.line2", "too_long")),
            "{fields:?}"
        );
        assert!(
            fields.contains(&("shippingAddress.phone", "too_long")),
            "{fields:?}"
        );
        assert!(
            errors.iter().all(|error| !error.message.contains("1111")),
            "values are not echoed"
        );
    }

    #[test]
    fn a_wrong_json_type_is_a_malformed_request() {
        let (status, errors) = body_errors(
            Method::POST,
            "/v1/carts/{cartId}/lines",
            json!({ "variantId": 7, "quantity": "two" }),
        )
        .expect("wrong types are refused");
        assert_eq!(status, 400);
        assert!(
            errors.iter().any(|error| error.field == "quantity"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_field_is_required() {
        let (status, errors) = body_errors(
            Method::POST,
            "/v1/carts/{cartId}/lines",
            json!({ "quantity": 1 }),
        )
        .expect("a missing field is refused");
        assert_eq!(status, 422);
        assert_eq!(errors[0].field, "variantId");
        assert_eq!(errors[0].code, "required");
    }

    #[test]
    fn parameters_are_read_as_their_schema_says() {
        let listing = operation(Method::GET, "/v1/products");
        let limit = listing
            .parameters
            .iter()
            .find(|parameter| parameter.name == "limit")
            .expect("listProducts has a limit");
        assert_eq!(limit.read(&["12"]).ok(), Some(json!(12)));
        assert_eq!(
            limit.read(&["twelve"]).err().map(|e| e.code).as_deref(),
            Some("invalid_format")
        );
        assert_eq!(
            limit.read(&["1", "2"]).err().map(|e| e.code).as_deref(),
            Some("invalid_value")
        );
        let (errors, _) = field_errors(&limit.validator, &json!(1000), "limit");
        assert_eq!(errors[0].code, "out_of_range");
        let brand = listing
            .parameters
            .iter()
            .find(|parameter| parameter.name == "brand")
            .expect("listProducts filters by brand");
        assert_eq!(brand.read(&["a", "b"]).ok(), Some(json!(["a", "b"])));
        let many: Vec<String> = (0..21).map(|n| n.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let (errors, _) =
            field_errors(&brand.validator, &brand.read(&many).expect("text"), "brand");
        assert_eq!(errors[0].code, "too_long");
    }

    #[test]
    fn ids_in_paths_are_uuids() {
        let cart = operation(Method::GET, "/v1/carts/{cartId}");
        let id = &cart.parameters[0];
        let (errors, _) = field_errors(&id.validator, &json!("not-a-uuid"), "cartId");
        assert_eq!(errors[0].code, "invalid_format");
        let (errors, _) = field_errors(
            &id.validator,
            &json!("0b6f6f7e-3d1a-4e8b-a0c5-6f7e8d9a0b1c"),
            "cartId",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
}

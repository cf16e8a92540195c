//! The operation emitter: one `Client` method per `operationId`, plus a query struct for each
//! operation that takes query parameters. Requests and responses use the typify models; transport,
//! retries and errors are the hand-written runtime's business.

use std::fmt::Write;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::PREAMBLE;
use crate::spec::{Spec, ref_name};

const METHODS: &[(&str, &str)] = &[
    ("get", "Get"),
    ("post", "Post"),
    ("put", "Put"),
    ("patch", "Patch"),
    ("delete", "Delete"),
];

#[derive(Debug, PartialEq)]
enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug)]
enum ParamType {
    Text,
    Int32,
    Int64,
    Number,
    Bool,
    Model(String),
    TextList,
    ModelList(String),
}

impl ParamType {
    fn owned(&self) -> String {
        match self {
            ParamType::Text => "String".into(),
            ParamType::Int32 => "i32".into(),
            ParamType::Int64 => "i64".into(),
            ParamType::Number => "f64".into(),
            ParamType::Bool => "bool".into(),
            ParamType::Model(name) => format!("types::{name}"),
            ParamType::TextList => "Vec<String>".into(),
            ParamType::ModelList(name) => format!("Vec<types::{name}>"),
        }
    }

    fn borrowed(&self) -> String {
        match self {
            ParamType::Text => "&str".into(),
            ParamType::Model(name) => format!("&types::{name}"),
            ParamType::TextList | ParamType::ModelList(_) => format!("&[{}]", self.item()),
            _ => self.owned(),
        }
    }

    fn item(&self) -> String {
        match self {
            ParamType::TextList => "String".into(),
            ParamType::ModelList(name) => format!("types::{name}"),
            _ => self.owned(),
        }
    }

    fn is_list(&self) -> bool {
        matches!(self, ParamType::TextList | ParamType::ModelList(_))
    }
}

#[derive(Debug)]
struct Param {
    wire_name: String,
    rust_name: String,
    location: Location,
    required: bool,
    kind: ParamType,
    description: Option<String>,
}

enum RequestBody {
    Json(String),
    Bytes,
}

enum Success {
    Json(String),
    JsonList(String),
    Text,
    Empty,
    EventStream,
}

struct Operation {
    id: String,
    method: &'static str,
    path: String,
    summary: String,
    params: Vec<Param>,
    body: Option<RequestBody>,
    success: Success,
}

pub fn generate(spec: &Spec) -> Result<String> {
    let operations = collect(spec)?;
    let mut out = String::new();
    out.push_str(PREAMBLE);
    out.push_str(
        "//! One `Client` method per operation of the commerce contract.\n\
         #![allow(clippy::too_many_arguments)]\n\n\
         use crate::error::ApiError;\n\
         use crate::runtime::{Body, Client, Method, Transport, decode_json, encode_component, json_body, param_text, with_query};\n\
         use crate::types;\n\n",
    );
    let ids: Vec<String> = operations.iter().map(|op| format!("{:?}", op.id)).collect();
    writeln!(
        out,
        "/// Every `operationId` of the contract, in the order of this file.\n\
         pub const OPERATION_IDS: [&str; {}] = [{}];\n",
        ids.len(),
        ids.join(", ")
    )?;
    for operation in &operations {
        emit_query_struct(&mut out, operation)?;
    }
    out.push_str("impl<T: Transport> Client<T> {\n");
    for operation in &operations {
        emit_method(&mut out, operation)?;
    }
    out.push_str("}\n");
    let file: syn::File = syn::parse_str(&out).context("the emitted operations do not parse")?;
    crate::rustfmt(&format!(
        "{PREAMBLE}{}",
        prettyplease::unparse(&file).trim_start_matches(PREAMBLE)
    ))
}

fn collect(spec: &Spec) -> Result<Vec<Operation>> {
    let paths = spec.document["paths"]
        .as_object()
        .context("the contract has no paths")?;
    let mut operations = Vec::new();
    for (path, item) in paths {
        let shared_params = item["parameters"].as_array().cloned().unwrap_or_default();
        for (verb, method) in METHODS {
            let Some(operation) = item.get(*verb) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .with_context(|| format!("{verb} {path} has no operationId"))?;
            let mut params = Vec::new();
            let own_params = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for param in shared_params.iter().chain(own_params.iter()) {
                params.push(param_from(spec, spec.resolve(param)?)?);
            }
            operations.push(Operation {
                id: id.to_owned(),
                method,
                path: path.clone(),
                summary: operation["summary"].as_str().unwrap_or(id).to_owned(),
                params,
                body: request_body(spec, &operation["requestBody"])
                    .with_context(|| format!("request body of {id}"))?,
                success: success(spec, &operation["responses"])
                    .with_context(|| format!("responses of {id}"))?,
            });
        }
    }
    Ok(operations)
}

fn param_from(spec: &Spec, param: &Value) -> Result<Param> {
    let wire_name = param["name"].as_str().context("parameter without name")?;
    let location = match param["in"].as_str() {
        Some("path") => Location::Path,
        Some("query") => Location::Query,
        Some("header") => Location::Header,
        other => bail!("parameter {wire_name}: unsupported location {other:?}"),
    };
    Ok(Param {
        wire_name: wire_name.to_owned(),
        rust_name: snake_case(wire_name),
        required: location == Location::Path || param["required"].as_bool().unwrap_or(false),
        location,
        kind: param_type(spec, &param["schema"])
            .with_context(|| format!("parameter {wire_name}"))?,
        description: param["description"].as_str().map(str::to_owned),
    })
}

fn param_type(spec: &Spec, schema: &Value) -> Result<ParamType> {
    if let Some(name) = ref_name(schema) {
        return Ok(ParamType::Model(name.to_owned()));
    }
    let schema = spec.resolve(schema)?;
    Ok(match (schema["type"].as_str(), schema["format"].as_str()) {
        (Some("string"), _) => ParamType::Text,
        (Some("integer"), Some("int32")) => ParamType::Int32,
        (Some("integer"), _) => ParamType::Int64,
        (Some("number"), _) => ParamType::Number,
        (Some("boolean"), _) => ParamType::Bool,
        (Some("array"), _) => match ref_name(&schema["items"]) {
            Some(name) => ParamType::ModelList(name.to_owned()),
            None => ParamType::TextList,
        },
        other => bail!("unsupported parameter schema {other:?}"),
    })
}

fn request_body(spec: &Spec, body: &Value) -> Result<Option<RequestBody>> {
    if body.is_null() {
        return Ok(None);
    }
    let content = &spec.resolve(body)?["content"];
    if let Some(json) = content.get("application/json") {
        let name = ref_name(&json["schema"]).context("JSON bodies must $ref a named schema")?;
        return Ok(Some(RequestBody::Json(name.to_owned())));
    }
    if content.get("application/octet-stream").is_some() {
        return Ok(Some(RequestBody::Bytes));
    }
    bail!("unsupported request content {content}")
}

fn success(spec: &Spec, responses: &Value) -> Result<Success> {
    let responses = responses.as_object().context("no responses")?;
    let Some((_, response)) = responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .min_by_key(|(code, _)| code.as_str())
    else {
        bail!("no 2xx response");
    };
    let content = &spec.resolve(response)?["content"];
    let Some(content) = content.as_object() else {
        return Ok(Success::Empty);
    };
    if content.contains_key("text/event-stream") {
        return Ok(Success::EventStream);
    }
    if let Some(json) = content.get("application/json") {
        let schema = &json["schema"];
        if let Some(name) = ref_name(schema) {
            return Ok(Success::Json(name.to_owned()));
        }
        if let Some(name) = ref_name(&schema["items"]) {
            return Ok(Success::JsonList(name.to_owned()));
        }
        bail!("JSON responses must $ref a named schema (or an array of one)");
    }
    if content
        .keys()
        .any(|media| media.starts_with("text/") || media.ends_with("yaml"))
    {
        return Ok(Success::Text);
    }
    bail!(
        "unsupported response content {:?}",
        content.keys().collect::<Vec<_>>()
    )
}

fn query_struct_name(operation: &Operation) -> String {
    let mut name = operation.id.clone();
    name[..1].make_ascii_uppercase();
    format!("{name}Query")
}

fn query_params(operation: &Operation) -> impl Iterator<Item = &Param> {
    operation
        .params
        .iter()
        .filter(|param| param.location == Location::Query)
}

fn emit_query_struct(out: &mut String, operation: &Operation) -> Result<()> {
    if query_params(operation).next().is_none() {
        return Ok(());
    }
    writeln!(
        out,
        "/// Query parameters of `{}`; the server parses its query strings into this too.\n\
         #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]\n\
         pub struct {} {{",
        operation.id,
        query_struct_name(operation)
    )?;
    for param in query_params(operation) {
        if let Some(description) = &param.description {
            writeln!(out, "/// {}", description.replace('\n', " "))?;
        }
        let wire = &param.wire_name;
        let (field_type, serde) = if param.kind.is_list() {
            (param.kind.owned(), format!("rename = {wire:?}, default"))
        } else if param.required {
            (param.kind.owned(), format!("rename = {wire:?}"))
        } else {
            (
                format!("Option<{}>", param.kind.owned()),
                format!("rename = {wire:?}, default, skip_serializing_if = \"Option::is_none\""),
            )
        };
        writeln!(
            out,
            "#[serde({serde})]\npub {}: {field_type},",
            param.rust_name
        )?;
    }
    out.push_str("}\n\n");
    Ok(())
}

fn emit_method(out: &mut String, operation: &Operation) -> Result<()> {
    let fn_name = snake_case(&operation.id);
    let mut args = vec!["&self".to_owned()];
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        args.push(format!("{}: {}", param.rust_name, param.kind.borrowed()));
    }
    let has_query = query_params(operation).next().is_some();
    if has_query {
        args.push(format!("query: &{}", query_struct_name(operation)));
    }
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
    {
        let kind = param.kind.borrowed();
        args.push(if param.required {
            format!("{}: {kind}", param.rust_name)
        } else {
            format!("{}: Option<{kind}>", param.rust_name)
        });
    }
    match &operation.body {
        Some(RequestBody::Json(name)) => args.push(format!("body: &types::{name}")),
        Some(RequestBody::Bytes) => args.push("body: &[u8]".to_owned()),
        None => {}
    }

    let mut path_expr = String::from("format!(\"");
    let mut path_args = Vec::new();
    let mut rest = operation.path.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').context("unclosed path template")? + open;
        path_expr.push_str(&rest[..open]);
        path_expr.push_str("{}");
        let wire = &rest[open + 1..close];
        path_args.push(format!(
            "encode_component(&param_text(&{}))",
            snake_case(wire)
        ));
        rest = &rest[close + 1..];
    }
    path_expr.push_str(rest);
    path_expr.push('"');
    for arg in &path_args {
        path_expr.push_str(", ");
        path_expr.push_str(arg);
    }
    path_expr.push(')');
    if path_args.is_empty() {
        path_expr = format!("{:?}.to_owned()", operation.path);
    }

    writeln!(
        out,
        "/// `{} {}`: {}",
        operation.method.to_uppercase(),
        operation.path,
        operation.summary.trim_end_matches('.')
    )?;
    if let Success::EventStream = operation.success {
        // EventSource does its own fetching and reconnecting (and cannot send headers): the
        // client only builds the URL, query included.
        let mut url_args: Vec<String> = operation
            .params
            .iter()
            .filter(|p| p.location == Location::Path)
            .map(|param| format!("{}: {}", param.rust_name, param.kind.borrowed()))
            .collect();
        if has_query {
            url_args.push(format!("query: &{}", query_struct_name(operation)));
        }
        writeln!(
            out,
            "pub fn {fn_name}_url(&self, {}) -> String {{",
            url_args.join(", ")
        )?;
        writeln!(out, "let path = {path_expr};")?;
        emit_query_pairs(out, operation)?;
        out.push_str("self.event_stream_url(path)\n}\n\n");
        return Ok(());
    }
    let return_type = match &operation.success {
        Success::Json(name) => format!("types::{name}"),
        Success::JsonList(name) => format!("Vec<types::{name}>"),
        Success::Text => "String".to_owned(),
        Success::Empty | Success::EventStream => "()".to_owned(),
    };
    writeln!(
        out,
        "pub async fn {fn_name}({}) -> Result<{return_type}, ApiError> {{",
        args.join(", ")
    )?;
    writeln!(out, "const OPERATION: &str = {:?};", operation.id)?;
    writeln!(out, "let path = {path_expr};")?;
    emit_query_pairs(out, operation)?;
    let has_headers = operation
        .params
        .iter()
        .any(|p| p.location == Location::Header);
    let binding = if has_headers || operation.body.is_some() {
        "let mut request"
    } else {
        "let request"
    };
    writeln!(
        out,
        "{binding} = self.request(Method::{}, &path);",
        operation.method
    )?;
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
    {
        let (wire, name) = (&param.wire_name, &param.rust_name);
        if param.required {
            writeln!(
                out,
                "request.headers.push(({wire:?}.to_owned(), param_text(&{name})));"
            )?;
        } else {
            writeln!(
                out,
                "if let Some(value) = {name} {{ request.headers.push(({wire:?}.to_owned(), param_text(&value))); }}"
            )?;
        }
    }
    match &operation.body {
        Some(RequestBody::Json(_)) => {
            out.push_str("request.body = Some(json_body(OPERATION, body)?);\n")
        }
        Some(RequestBody::Bytes) => {
            out.push_str("request.body = Some(Body::Bytes(body.to_vec()));\n")
        }
        None => {}
    }
    match &operation.success {
        Success::Json(_) | Success::JsonList(_) => out.push_str(
            "let response = self.execute(OPERATION, request).await?;\ndecode_json(OPERATION, &response)\n",
        ),
        Success::Text => out.push_str("Ok(self.execute(OPERATION, request).await?.body)\n"),
        Success::Empty | Success::EventStream => {
            out.push_str("self.execute(OPERATION, request).await?;\nOk(())\n")
        }
    }
    out.push_str("}\n\n");
    Ok(())
}

fn emit_query_pairs(out: &mut String, operation: &Operation) -> Result<()> {
    if query_params(operation).next().is_none() {
        return Ok(());
    }
    // Required scalars start the list; the optional ones and lists are pushed when present.
    let (always, sometimes): (Vec<_>, Vec<_>) =
        query_params(operation).partition(|param| param.required && !param.kind.is_list());
    let first: Vec<String> = always
        .iter()
        .map(|param| {
            format!(
                "({:?}, param_text(&query.{}))",
                param.wire_name, param.rust_name
            )
        })
        .collect();
    let binding = if sometimes.is_empty() {
        "let"
    } else {
        "let mut"
    };
    writeln!(
        out,
        "{binding} pairs: Vec<(&str, String)> = vec![{}];",
        first.join(", ")
    )?;
    for param in sometimes {
        let wire = &param.wire_name;
        let field = &param.rust_name;
        if param.kind.is_list() {
            writeln!(
                out,
                "for value in &query.{field} {{ pairs.push(({wire:?}, param_text(value))); }}"
            )?;
        } else {
            writeln!(
                out,
                "if let Some(value) = &query.{field} {{ pairs.push(({wire:?}, param_text(value))); }}"
            )?;
        }
    }
    out.push_str("let path = with_query(path, &pairs);\n");
    Ok(())
}

/// `productSlug` → `product_slug`, `Idempotency-Key` → `idempotency_key`; Rust keywords get a
/// trailing underscore.
pub fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    let mut previous: Option<char> = None;
    for character in name.chars() {
        if character == '-' || character == '.' {
            snake.push('_');
        } else if character.is_ascii_uppercase() {
            // A word starts at an upper-case letter after a lower-case one: `eventId`, but not
            // inside an acronym (`ID`).
            if previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                snake.push('_');
            }
            snake.push(character.to_ascii_lowercase());
        } else {
            snake.push(character);
        }
        previous = Some(character);
    }
    if matches!(
        snake.as_str(),
        "type" | "ref" | "match" | "self" | "fn" | "in" | "mod"
    ) {
        snake.push('_');
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn names_become_snake_case() {
        assert_eq!(snake_case("productSlug"), "product_slug");
        assert_eq!(snake_case("Idempotency-Key"), "idempotency_key");
        assert_eq!(snake_case("If-Match"), "if_match");
        assert_eq!(snake_case("getOpenApi"), "get_open_api");
        assert_eq!(snake_case("Last-Event-ID"), "last_event_id");
        assert_eq!(snake_case("type"), "type_");
    }
}

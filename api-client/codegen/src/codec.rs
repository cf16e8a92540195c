//! The browser codec of the model types: `json_codec::FromJson`/`ToJson` impls read off typify's
//! serde attributes, so the wasm bundles decode the contract without serde's visitors while the
//! server keeps serde. Only the serde shapes typify emits for this contract are understood; any
//! other attribute fails generation instead of producing a codec that disagrees with serde.

use std::fmt::Write;

use anyhow::{Context, Result, bail};
use syn::{Attribute, Fields, Item, LitStr};

use crate::PREAMBLE;

/// What one `#[serde(…)]` list says; unknown keys are an error.
#[derive(Default)]
struct SerdeAttributes {
    rename: Option<String>,
    default: bool,
    skip_serializing_if: Option<String>,
    tag: Option<String>,
    transparent: bool,
}

fn serde_attributes(attrs: &[Attribute]) -> Result<SerdeAttributes> {
    let mut found = SerdeAttributes::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match key.as_str() {
                "rename" => found.rename = Some(meta.value()?.parse::<LitStr>()?.value()),
                "skip_serializing_if" => {
                    found.skip_serializing_if = Some(meta.value()?.parse::<LitStr>()?.value());
                }
                "tag" => found.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
                "default" => found.default = true,
                "transparent" => found.transparent = true,
                _ => return Err(meta.error("serde attribute the browser codec does not support")),
            }
            Ok(())
        })?;
    }
    Ok(found)
}

fn derives_serde(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let derived = match &attr.meta {
            syn::Meta::List(list) if attr.path().is_ident("derive") => list.tokens.to_string(),
            _ => return false,
        };
        derived.contains("Deserialize") && derived.contains("Serialize")
    })
}

/// `api-client/src/generated/codec.rs` for the generated `types.rs`.
pub fn generate(types_source: &str) -> Result<String> {
    let file = syn::parse_file(types_source).context("parsing the generated types")?;
    let mut out = format!(
        "{PREAMBLE}//! The browser codec of the model types: `json_codec` impls matching their serde \
         attributes.\n#![allow(clippy::all, clippy::pedantic)]\n\
         use json_codec::{{DecodeError, FromJson, Json, ObjectWriter, ToJson}};\n\
         use crate::types;\n\n"
    );
    for item in &file.items {
        match item {
            Item::Struct(item) if derives_serde(&item.attrs) => {
                emit_struct(&mut out, item).with_context(|| format!("struct {}", item.ident))?;
            }
            Item::Enum(item) if derives_serde(&item.attrs) => {
                emit_enum(&mut out, item).with_context(|| format!("enum {}", item.ident))?;
            }
            _ => {}
        }
    }
    crate::rustfmt(&out)
}

struct Field {
    ident: String,
    key: String,
    default: bool,
    skip_serializing_if: Option<String>,
}

fn named_fields(fields: &Fields) -> Result<Vec<Field>> {
    let Fields::Named(named) = fields else {
        bail!("only named fields are supported here");
    };
    named
        .named
        .iter()
        .map(|field| {
            let ident = field.ident.as_ref().context("named field")?.to_string();
            let serde = serde_attributes(&field.attrs)?;
            let key = serde
                .rename
                .unwrap_or_else(|| ident.trim_start_matches("r#").to_owned());
            Ok(Field {
                ident,
                key,
                default: serde.default,
                skip_serializing_if: serde.skip_serializing_if,
            })
        })
        .collect()
}

/// `name: object.take("key")?,` for each field.
fn decode_fields(out: &mut String, fields: &[Field]) {
    for field in fields {
        let take = if field.default {
            "take_or_default"
        } else {
            "take"
        };
        let _ = writeln!(out, "{}: object.{take}({:?})?,", field.ident, field.key);
    }
}

/// Writes each field into `object`; `access` turns a field name into the expression to borrow.
fn encode_fields(out: &mut String, fields: &[Field], access: impl Fn(&str) -> String) {
    for field in fields {
        let value = access(&field.ident);
        match &field.skip_serializing_if {
            Some(predicate) => {
                let _ = writeln!(
                    out,
                    "if !{predicate}({value}) {{ object.field({:?}, {value}); }}",
                    field.key
                );
            }
            None => {
                let _ = writeln!(out, "object.field({:?}, {value});", field.key);
            }
        }
    }
}

fn emit_struct(out: &mut String, item: &syn::ItemStruct) -> Result<()> {
    let name = item.ident.to_string();
    let serde = serde_attributes(&item.attrs)?;
    if serde.transparent {
        let Fields::Unnamed(fields) = &item.fields else {
            bail!("transparent structs must be newtypes");
        };
        anyhow::ensure!(
            fields.unnamed.len() == 1,
            "transparent structs wrap one value"
        );
        let _ = write!(
            out,
            "impl FromJson for types::{name} {{\n\
             fn from_json(value: Json) -> Result<Self, DecodeError> {{ FromJson::from_json(value).map(Self) }}\n}}\n\
             impl ToJson for types::{name} {{\n\
             fn write_json(&self, out: &mut String) {{ self.0.write_json(out) }}\n}}\n"
        );
        return Ok(());
    }
    let fields = named_fields(&item.fields)?;
    let _ = write!(
        out,
        "impl FromJson for types::{name} {{\n\
         fn from_json(value: Json) -> Result<Self, DecodeError> {{\n\
         let mut object = value.into_object({name:?})?;\nOk(Self {{\n"
    );
    decode_fields(out, &fields);
    let _ = write!(
        out,
        "}})\n}}\n}}\nimpl ToJson for types::{name} {{\n\
         fn write_json(&self, out: &mut String) {{\nlet mut object = ObjectWriter::new(out);\n"
    );
    encode_fields(out, &fields, |ident| format!("&self.{ident}"));
    out.push_str("object.end();\n}\n}\n");
    Ok(())
}

struct Variant {
    ident: String,
    key: String,
    /// `None` for a unit variant.
    fields: Option<Vec<Field>>,
}

fn emit_enum(out: &mut String, item: &syn::ItemEnum) -> Result<()> {
    let name = item.ident.to_string();
    let serde = serde_attributes(&item.attrs)?;
    let variants = item
        .variants
        .iter()
        .map(|variant| {
            let ident = variant.ident.to_string();
            let key = serde_attributes(&variant.attrs)?
                .rename
                .unwrap_or_else(|| ident.clone());
            let fields = match &variant.fields {
                Fields::Unit => None,
                fields => Some(named_fields(fields)?),
            };
            Ok(Variant { ident, key, fields })
        })
        .collect::<Result<Vec<_>>>()?;
    match &serde.tag {
        Some(tag) => emit_tagged_enum(out, &name, tag, &variants),
        None if variants.iter().all(|variant| variant.fields.is_none()) => {
            emit_string_enum(out, &name, &variants);
            Ok(())
        }
        None => bail!("externally tagged enums with data are not supported"),
    }
}

fn emit_string_enum(out: &mut String, name: &str, variants: &[Variant]) {
    let _ = write!(
        out,
        "impl FromJson for types::{name} {{\n\
         fn from_json(value: Json) -> Result<Self, DecodeError> {{\n\
         match String::from_json(value)?.as_str() {{\n"
    );
    for variant in variants {
        let _ = writeln!(out, "{:?} => Ok(Self::{}),", variant.key, variant.ident);
    }
    let _ = write!(
        out,
        "_ => Err(DecodeError::new(\"expected a {name} value\")),\n}}\n}}\n}}\n\
         impl ToJson for types::{name} {{\n\
         fn write_json(&self, out: &mut String) {{\nlet key = match self {{\n"
    );
    for variant in variants {
        let _ = writeln!(out, "Self::{} => {:?},", variant.ident, variant.key);
    }
    out.push_str("};\nkey.write_json(out)\n}\n}\n");
}

fn emit_tagged_enum(out: &mut String, name: &str, tag: &str, variants: &[Variant]) -> Result<()> {
    let _ = write!(
        out,
        "impl FromJson for types::{name} {{\n\
         fn from_json(value: Json) -> Result<Self, DecodeError> {{\n\
         let mut object = value.into_object({name:?})?;\n\
         let tag: String = object.take({tag:?})?;\n\
         match tag.as_str() {{\n"
    );
    for variant in variants {
        match &variant.fields {
            None => {
                let _ = writeln!(out, "{:?} => Ok(Self::{}),", variant.key, variant.ident);
            }
            Some(fields) => {
                let _ = writeln!(out, "{:?} => Ok(Self::{} {{", variant.key, variant.ident);
                decode_fields(out, fields);
                out.push_str("}),\n");
            }
        }
    }
    let _ = write!(
        out,
        "_ => Err(DecodeError::new(\"expected a {name} `{tag}`\").at({tag:?})),\n}}\n}}\n}}\n\
         impl ToJson for types::{name} {{\n\
         fn write_json(&self, out: &mut String) {{\n\
         let mut object = ObjectWriter::new(out);\nmatch self {{\n"
    );
    for variant in variants {
        let fields = variant.fields.as_deref().unwrap_or_default();
        let bindings: Vec<&str> = fields.iter().map(|field| field.ident.as_str()).collect();
        let _ = writeln!(
            out,
            "Self::{} {{ {} }} => {{\nobject.field({tag:?}, {:?});",
            variant.ident,
            bindings.join(", "),
            variant.key
        );
        encode_fields(out, fields, str::to_owned);
        out.push_str("}\n");
    }
    out.push_str("}\nobject.end();\n}\n}\n");
    Ok(())
}

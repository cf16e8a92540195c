//! Loading the OpenAPI document and resolving local `$ref`s.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

pub struct Spec {
    pub document: Value,
}

impl Spec {
    pub fn load(path: &Path) -> Result<Spec> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Spec::parse(&text).with_context(|| format!("parsing {}", path.display()))
    }

    pub fn parse(yaml: &str) -> Result<Spec> {
        let document: Value = serde_yaml::from_str(yaml)?;
        if !document["openapi"]
            .as_str()
            .is_some_and(|version| version.starts_with("3.0"))
        {
            bail!("expected an OpenAPI 3.0 document");
        }
        Ok(Spec { document })
    }

    pub fn schemas(&self) -> &serde_json::Map<String, Value> {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> =
            std::sync::OnceLock::new();
        self.document["components"]["schemas"]
            .as_object()
            .unwrap_or_else(|| EMPTY.get_or_init(serde_json::Map::new))
    }

    /// Follows a `$ref` (if `value` is one) to what it names inside this document.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value> {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        let pointer = reference
            .strip_prefix('#')
            .with_context(|| format!("only local references are supported: {reference}"))?;
        self.document
            .pointer(pointer)
            .with_context(|| format!("dangling reference {reference}"))
    }

    pub fn major_version(&self) -> Option<u64> {
        self.document["info"]["version"]
            .as_str()?
            .split('.')
            .next()?
            .parse()
            .ok()
    }
}

/// The schema name a `#/components/schemas/Name` reference points to.
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

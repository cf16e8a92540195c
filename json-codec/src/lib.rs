//! A compact JSON codec for the browser bundles.
//!
//! serde's derived visitors, monomorphised for every contract type and for `serde_json`'s
//! deserializer, were the largest single piece of each micro app's wasm after Leptos itself.
//! Here a document is parsed once into a small tree ([`Json`]) and each type picks its fields out
//! of it ([`FromJson`]); encoding writes straight into a `String` ([`ToJson`]). The impls for the
//! contract types are generated next to the types (`api-client/src/generated/codec.rs`), and a
//! test there checks them against serde on the same values, so the two stay interchangeable on
//! the wire: the server keeps serde, the browser uses this.

mod parse;
#[cfg(feature = "serde-json-value")]
mod serde_json_value;
#[cfg(feature = "serde-json-value")]
pub use serde_json_value::{from_object, from_value};
mod write;

pub use parse::parse;
pub use write::ObjectWriter;

/// A parsed JSON value. Numbers keep their text: integers are read exactly, floats only when a
/// field asks for one.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Object),
}

/// An object's members in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object(pub Vec<(String, Json)>);

/// Why a document does not decode: what was expected, and where (`lines.0.quantity: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Members and indexes from the document's root, joined by dots; empty at the root.
    path: String,
    problem: String,
}

impl DecodeError {
    pub fn new(problem: &str) -> Self {
        Self {
            path: String::new(),
            problem: problem.to_owned(),
        }
    }

    /// The same error one level further out: `key` is prepended to the path.
    #[must_use]
    pub fn at(mut self, key: &str) -> Self {
        if !self.path.is_empty() {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, key);
        self
    }

    /// `path: problem`, or the problem alone at the root.
    pub fn message(&self) -> String {
        if self.path.is_empty() {
            self.problem.clone()
        } else {
            let mut message = String::with_capacity(self.path.len() + 2 + self.problem.len());
            message.push_str(&self.path);
            message.push_str(": ");
            message.push_str(&self.problem);
            message
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for DecodeError {}

impl Json {
    /// The object, or an error naming what was expected (`Cart`).
    pub fn into_object(self, expected: &str) -> Result<Object, DecodeError> {
        match self {
            Json::Object(object) => Ok(object),
            _ => Err(expected_error(expected, "an object")),
        }
    }

    /// A member of an object (`None` for anything else).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(object) => object.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }
}

impl Object {
    /// Removes and decodes a member. A missing member is `null` to the field's type, so optional
    /// fields become `None` and required ones fail with their name.
    pub fn take<T: FromJson>(&mut self, key: &str) -> Result<T, DecodeError> {
        T::from_json(self.remove(key).unwrap_or(Json::Null)).map_err(|error| error.at(key))
    }

    /// Like [`Object::take`], but a missing member (or `null`) is the type's default.
    pub fn take_or_default<T: FromJson + Default>(&mut self, key: &str) -> Result<T, DecodeError> {
        match self.remove(key) {
            None | Some(Json::Null) => Ok(T::default()),
            Some(value) => T::from_json(value).map_err(|error| error.at(key)),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Json> {
        let index = self.0.iter().position(|(name, _)| name == key)?;
        Some(self.0.swap_remove(index).1)
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }
}

fn expected_error(what: &str, shape: &str) -> DecodeError {
    let mut message = String::from("expected ");
    message.push_str(what);
    if what != shape {
        message.push_str(" (");
        message.push_str(shape);
        message.push(')');
    }
    DecodeError::new(&message)
}

/// `FromJson` and `ToJson` for a struct with named fields, each mapped to its member name:
/// `json_codec::object_codec!(Kept { token: "token", expires_at: "expiresAt" });`
/// Missing members decode as `None` for `Option` fields and fail for the others; `None` is
/// written as `null`.
#[macro_export]
macro_rules! object_codec {
    ($type:ident { $($field:ident : $key:literal),* $(,)? }) => {
        impl $crate::FromJson for $type {
            fn from_json(value: $crate::Json) -> Result<Self, $crate::DecodeError> {
                let mut object = value.into_object(stringify!($type))?;
                Ok(Self { $($field: object.take($key)?,)* })
            }
        }

        impl $crate::ToJson for $type {
            fn write_json(&self, out: &mut String) {
                let mut object = $crate::ObjectWriter::new(out);
                $(object.field($key, &self.$field);)*
                object.end();
            }
        }
    };
}

/// A type that can be read from a parsed document.
pub trait FromJson: Sized {
    fn from_json(value: Json) -> Result<Self, DecodeError>;
}

/// A type that can be written as JSON text.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// Parses `text` and decodes it as `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, DecodeError> {
    T::from_json(parse(text)?)
}

/// The JSON text of `value`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

impl FromJson for Json {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        Ok(value)
    }
}

impl FromJson for String {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        match value {
            Json::String(text) => Ok(text),
            _ => Err(expected_error("a string", "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        match value {
            Json::Bool(flag) => Ok(flag),
            _ => Err(expected_error("a boolean", "a boolean")),
        }
    }
}

impl FromJson for f64 {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        match value {
            Json::Number(text) => {
                parse_float(&text).ok_or_else(|| expected_error("a number", "a number"))
            }
            _ => Err(expected_error("a number", "a number")),
        }
    }
}

/// JavaScript's `parseFloat` rounds correctly too, and spares the wasm Rust's float parsing
/// tables.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn parse_float(text: &str) -> Option<f64> {
    let value = js_sys::Number::parse_float(text);
    (!value.is_nan()).then_some(value)
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn parse_float(text: &str) -> Option<f64> {
    text.parse().ok()
}

macro_rules! integers {
    ($($int:ty => $write:expr),*) => {$(
        impl FromJson for $int {
            fn from_json(value: Json) -> Result<Self, DecodeError> {
                match value {
                    Json::Number(text) => text
                        .parse()
                        .map_err(|_| expected_error("an integer in range", "an integer")),
                    _ => Err(expected_error("an integer", "an integer")),
                }
            }
        }

        impl ToJson for $int {
            fn write_json(&self, out: &mut String) {
                $write(out, *self);
            }
        }
    )*};
}

integers!(
    i32 => |out, value: i32| write::signed(out, i64::from(value)),
    i64 => write::signed,
    u32 => |out, value: u32| write::unsigned(out, u64::from(value)),
    u64 => write::unsigned
);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        match value {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        match value {
            Json::Array(items) => {
                let mut decoded = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    decoded.push(T::from_json(item).map_err(|error| error.at(&index_text(index)))?);
                }
                Ok(decoded)
            }
            _ => Err(expected_error("an array", "an array")),
        }
    }
}

fn index_text(index: usize) -> String {
    let mut text = String::new();
    write::unsigned(&mut text, index as u64);
    text
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        T::from_json(value).map(Box::new)
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write::string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write::string(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        write::float(out, *self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (index, item) in self.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(flag) => flag.write_json(out),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write::string(out, text),
            Json::Array(items) => items.write_json(out),
            Json::Object(Object(members)) => {
                let mut object = ObjectWriter::new(out);
                for (key, value) in members {
                    object.field(key, value);
                }
                object.end();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Line {
        variant_id: String,
        quantity: i32,
        note: Option<String>,
        tags: Vec<String>,
    }

    #[derive(Debug, PartialEq)]
    struct Session {
        token: String,
        expires_at: Option<String>,
    }

    object_codec!(Session {
        token: "token",
        expires_at: "expiresAt",
    });

    #[test]
    fn object_codec_maps_fields_to_members() {
        let session = Session {
            token: "t".into(),
            expires_at: None,
        };
        let text = to_string(&session);
        assert_eq!(text, r#"{"token":"t","expiresAt":null}"#);
        assert_eq!(from_str::<Session>(&text).unwrap(), session);
        assert_eq!(from_str::<Session>(r#"{"token":"t"}"#).unwrap(), session);
        assert_eq!(
            from_str::<Session>(r#"{"expiresAt":"x"}"#)
                .unwrap_err()
                .message(),
            "token: expected a string"
        );
    }

    impl FromJson for Line {
        fn from_json(value: Json) -> Result<Self, DecodeError> {
            let mut object = value.into_object("Line")?;
            Ok(Self {
                variant_id: object.take("variantId")?,
                quantity: object.take("quantity")?,
                note: object.take("note")?,
                tags: object.take_or_default("tags")?,
            })
        }
    }

    impl ToJson for Line {
        fn write_json(&self, out: &mut String) {
            let mut object = ObjectWriter::new(out);
            object.field("variantId", &self.variant_id);
            object.field("quantity", &self.quantity);
            object.optional("note", &self.note);
            object.field("tags", &self.tags);
            object.end();
        }
    }

    #[test]
    fn a_struct_round_trips_and_tolerates_unknown_and_missing_optional_fields() {
        let line: Line =
            from_str(r#"{"variantId":"v\"1","quantity":2,"extra":{"a":[1,2]}}"#).unwrap();
        assert_eq!(
            line,
            Line {
                variant_id: "v\"1".into(),
                quantity: 2,
                note: None,
                tags: vec![],
            }
        );
        let text = to_string(&line);
        assert_eq!(text, r#"{"variantId":"v\"1","quantity":2,"tags":[]}"#);
        assert_eq!(from_str::<Line>(&text).unwrap(), line);
    }

    #[test]
    fn errors_name_the_path_to_the_bad_value() {
        let error = from_str::<Vec<Line>>(r#"[{"variantId":"a","quantity":1},{"variantId":"b"}]"#)
            .unwrap_err();
        assert_eq!(error.message(), "1.quantity: expected an integer");
        let error = from_str::<Line>(r#"{"variantId":"a","quantity":1.5}"#).unwrap_err();
        assert_eq!(
            error.message(),
            "quantity: expected an integer in range (an integer)"
        );
    }

    #[test]
    fn integers_keep_their_exact_value_and_reject_overflow() {
        assert_eq!(
            from_str::<i64>("9007199254740993").unwrap(),
            9_007_199_254_740_993
        );
        assert!(from_str::<i32>("2147483648").is_err());
        assert!(from_str::<u32>("-1").is_err());
        assert_eq!(to_string(&-42_i64), "-42");
    }

    #[test]
    fn floats_agree_with_serde_json() {
        for value in [0.0, 4.5, -0.1, 1e-7, 123_456.789, 1e21, f64::MAX] {
            let text = to_string(&value);
            assert_eq!(serde_json::from_str::<f64>(&text).unwrap(), value, "{text}");
            assert_eq!(from_str::<f64>(&text).unwrap(), value);
        }
        assert_eq!(to_string(&f64::NAN), "null");
        assert_eq!(to_string(&1.0_f64), "1.0");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&to_string(&1.0_f64)).unwrap(),
            serde_json::json!(1.0)
        );
    }

    #[test]
    fn text_survives_escapes_and_non_ascii() {
        let original = "quote \" backslash \\ newline \n tab \t nul \u{0} é 日本 🎉";
        let text = to_string(original);
        assert_eq!(serde_json::from_str::<String>(&text).unwrap(), original);
        assert_eq!(from_str::<String>(&text).unwrap(), original);
        let from_serde = serde_json::to_string(original).unwrap();
        assert_eq!(from_str::<String>(&from_serde).unwrap(), original);
        assert_eq!(
            from_str::<String>(r#""\ud83c\udf89 \u00e9\/""#).unwrap(),
            "🎉 é/"
        );
    }
}

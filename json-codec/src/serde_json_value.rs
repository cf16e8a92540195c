//! Free-form contract fields (`additionalProperties`) are `serde_json::Value`s in the generated
//! types; converting through [`Json`] keeps serde_json's parser and serializer out of the wasm.

use serde_json::{Map, Number, Value};

use crate::{DecodeError, FromJson, Json, ObjectWriter, ToJson};

impl FromJson for Value {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        Ok(match value {
            Json::Null => Value::Null,
            Json::Bool(flag) => Value::Bool(flag),
            Json::Number(text) => Value::Number(number(&text)?),
            Json::String(text) => Value::String(text),
            Json::Array(items) => Value::Array(
                items
                    .into_iter()
                    .map(Value::from_json)
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(_) => Value::Object(Map::from_json(value)?),
        })
    }
}

impl FromJson for Map<String, Value> {
    fn from_json(value: Json) -> Result<Self, DecodeError> {
        value
            .into_object("an object")?
            .0
            .into_iter()
            .map(|(key, value)| Ok((key, Value::from_json(value)?)))
            .collect()
    }
}

/// Decodes a free-form value (an event's `data.amount`, say) as a typed one.
pub fn from_value<T: FromJson>(value: &Value) -> Result<T, DecodeError> {
    T::from_json(tree(value))
}

fn tree(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Number(_) => Json::Number(crate::to_string(value)),
        Value::String(text) => Json::String(text.clone()),
        Value::Array(items) => Json::Array(items.iter().map(tree).collect()),
        Value::Object(map) => Json::Object(crate::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), tree(value)))
                .collect(),
        )),
    }
}

fn number(text: &str) -> Result<Number, DecodeError> {
    if let Ok(integer) = text.parse::<i64>() {
        return Ok(integer.into());
    }
    if let Ok(integer) = text.parse::<u64>() {
        return Ok(integer.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .ok_or_else(|| DecodeError::new("expected a finite number"))
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(flag) => flag.write_json(out),
            Value::Number(number) => match (number.as_i64(), number.as_u64()) {
                (Some(integer), _) => integer.write_json(out),
                (None, Some(integer)) => integer.write_json(out),
                _ => number.as_f64().write_json(out),
            },
            Value::String(text) => text.write_json(out),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => map.write_json(out),
        }
    }
}

impl ToJson for Map<String, Value> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        for (key, value) in self {
            object.field(key, value);
        }
        object.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_match_serde_json_both_ways() {
        let text = r#"{"amount":{"amount":1250,"currency":"EUR"},"ratio":0.25,"big":18446744073709551615,"list":[null,true,"x"],"nested":{}}"#;
        let ours: Value = crate::from_str(text).unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::from_str::<Value>(&crate::to_string(&ours)).unwrap(),
            theirs
        );
        assert_eq!(crate::from_value::<Value>(&theirs).unwrap(), theirs);
        assert_eq!(
            crate::from_value::<i64>(&theirs["amount"]["amount"]).unwrap(),
            1250
        );
    }
}

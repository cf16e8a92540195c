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

/// Decodes a free-form object (an event's `data`) as a typed one.
pub fn from_object<T: FromJson>(object: &Map<String, Value>) -> Result<T, DecodeError> {
    T::from_json(object_tree(object))
}

fn object_tree(map: &Map<String, Value>) -> Json {
    Json::Object(crate::Object(
        map.iter()
            .map(|(key, value)| (key.clone(), tree(value)))
            .collect(),
    ))
}

fn tree(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(flag) => Json::Bool(*flag),
        Value::Number(_) => Json::Number(crate::to_string(value)),
        Value::String(text) => Json::String(text.clone()),
        Value::Array(items) => Json::Array(items.iter().map(tree).collect()),
        Value::Object(map) => object_tree(map),
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

#[cfg(test)]
mod generated_documents {
    use serde_json::{Map, Value, json};

    /// A small deterministic generator (xorshift), so failures reproduce without a seed file.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, bound: u64) -> u64 {
            self.next() % bound
        }
    }

    const SAMPLE_CHARACTERS: [char; 12] = [
        'a', 'Z', ' ', '"', '\\', '/', '\n', '\u{1}', 'é', '€', '日', '🎉',
    ];

    fn text(random: &mut Random) -> String {
        (0..random.below(8))
            .map(|_| SAMPLE_CHARACTERS[random.below(12) as usize])
            .collect()
    }

    fn value(random: &mut Random, depth: u32) -> Value {
        let kinds = if depth > 4 { 5 } else { 7 };
        match random.below(kinds) {
            0 => Value::Null,
            1 => Value::Bool(random.below(2) == 0),
            2 => json!(random.next() as i64),
            3 => json!(f64::from(random.below(1_000_000) as u32) / 64.0 - 5000.0),
            4 => Value::String(text(random)),
            5 => Value::Array(
                (0..random.below(5))
                    .map(|_| value(random, depth + 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..random.below(5))
                    .map(|_| (text(random), value(random, depth + 1)))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    #[test]
    fn random_documents_read_and_write_like_serde_json() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let original = value(&mut random, 0);
            for text in [
                serde_json::to_string(&original).unwrap(),
                serde_json::to_string_pretty(&original).unwrap(),
            ] {
                let ours: Value = crate::from_str(&text).unwrap_or_else(|error| {
                    panic!("{error} reading {text}");
                });
                assert_eq!(ours, original, "reading {text}");
            }
            let written = crate::to_string(&original);
            assert_eq!(
                serde_json::from_str::<Value>(&written).unwrap(),
                original,
                "writing {written}"
            );
        }
    }
}

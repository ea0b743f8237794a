//! A caller's input object, as `(name, Raw)` pairs, read into an operation's input struct by
//! serde. The struct declares each field once (its serde name is also its TypeScript name);
//! the field types (`validate::{CardNumber, Points, Text, …}`) check their own values, and this
//! deserializer puts the field's name on every failure, so a `PointsValidationError` always
//! says which field and which rule, never the value.
//!
//! Why not `serde-wasm-bindgen` straight on the caller's object: it reads properties through
//! an indexing getter that cannot catch, so a throwing getter or a hostile Proxy would throw
//! through the module mid-operation (see `client/fields.rs`, which takes a safe snapshot).
//! Pure: no JS here, tested natively.

use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

use crate::error::Error;
use crate::validate::Raw;

/// Why a field was refused, and which one.
#[derive(Debug)]
pub struct InputError {
    field: Option<String>,
    reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for InputError {}

impl de::Error for InputError {
    fn custom<T: fmt::Display>(reason: T) -> Self {
        InputError {
            field: None,
            reason: reason.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        InputError {
            field: Some(field.to_owned()),
            reason: "is required".to_owned(),
        }
    }

    // serde's default messages for the errors below quote the value; a field type of ours
    // never raises them, but a plain one could: keep the value out whatever happens.
    fn invalid_type(_: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!("must be {expected}"))
    }

    fn invalid_value(_: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!("must be {expected}"))
    }
}

/// One field's value.
struct Field(Raw);

impl<'de> de::Deserializer<'de> for Field {
    type Error = InputError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        match self.0 {
            Raw::Missing => visitor.visit_unit(),
            Raw::Null => visitor.visit_none(),
            Raw::Str(s) => visitor.visit_string(s),
            Raw::Num(n) => visitor.visit_f64(n),
            Raw::Bool(b) => visitor.visit_bool(b),
            // Objects, arrays, functions, bigints and symbols: never a field's value here.
            Raw::Other => Err(de::Error::custom("must not be an object")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        match self.0 {
            Raw::Missing | Raw::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

/// The caller's fields as a map, naming the field on every error its value raises.
struct Fields {
    pairs: std::vec::IntoIter<(String, Raw)>,
    current: Option<(String, Raw)>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = InputError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, InputError> {
        let Some((name, raw)) = self.pairs.next() else {
            return Ok(None);
        };
        let key = seed.deserialize(name.as_str().into_deserializer())?;
        self.current = Some((name, raw));
        Ok(Some(key))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, InputError> {
        let (name, raw) = self.current.take().unwrap_or((String::new(), Raw::Missing));
        seed.deserialize(Field(raw)).map_err(|mut e| {
            e.field.get_or_insert(name);
            e
        })
    }
}

impl<'de> de::Deserializer<'de> for Fields {
    type Error = InputError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, InputError> {
        visitor.visit_map(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// An operation's input: serde reads each field, then [`Input::check`] applies the rules that
/// relate two fields (naming the field it blames).
pub trait Input: DeserializeOwned {
    /// Rules across fields; none by default.
    fn check(self) -> crate::error::Result<Self> {
        Ok(self)
    }
}

/// The input `T` from the caller's own fields. Fields `T` does not name are ignored, as a JS
/// function ignores extra properties.
pub fn read<T: Input>(fields: Vec<(String, Raw)>) -> crate::error::Result<T> {
    let map = Fields {
        pairs: fields.into_iter(),
        current: None,
    };
    T::deserialize(map)
        .map_err(|e| Error::validation(e.field.unwrap_or_else(|| "input".to_owned()), e.reason))?
        .check()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{CardNumber, Flag, Points};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Probe {
        card_number: CardNumber,
        points_to_move: Points,
        #[serde(default)]
        include_more: Option<Flag>,
    }

    impl Input for Probe {}

    fn s(v: &str) -> Raw {
        Raw::Str(v.to_owned())
    }

    fn err(fields: Vec<(&str, Raw)>) -> (String, String) {
        let fields = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        match read::<Probe>(fields).unwrap_err() {
            Error::Validation { field, reason } => (field, reason),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_named_fields_and_ignores_others() {
        let fields = vec![
            ("cardNumber".to_owned(), s("5555444433332222")),
            ("pointsToMove".to_owned(), Raw::Num(12.0)),
            ("somethingElse".to_owned(), Raw::Other),
        ];
        let p: Probe = read(fields).unwrap();
        assert_eq!(p.card_number.0, "5555444433332222");
        assert_eq!(p.points_to_move.0, 12);
        assert!(p.include_more.is_none());
    }

    #[test]
    fn every_refusal_names_its_field_and_never_the_value() {
        let card = "5555444433332222";
        let (f, r) = err(vec![("pointsToMove", Raw::Num(1.0))]);
        assert_eq!((f.as_str(), r.as_str()), ("cardNumber", "is required"));
        let (f, r) = err(vec![("cardNumber", s(card)), ("pointsToMove", s(card))]);
        assert_eq!(
            (f.as_str(), r.as_str()),
            ("pointsToMove", "must be a number")
        );
        assert!(!r.contains(card));
        let (f, r) = err(vec![
            ("cardNumber", s("12ab")),
            ("pointsToMove", Raw::Num(1.0)),
        ]);
        assert_eq!(
            (f.as_str(), r.as_str()),
            ("cardNumber", "must contain digits only")
        );
        let (f, _) = err(vec![
            ("cardNumber", Raw::Null),
            ("pointsToMove", Raw::Num(1.0)),
        ]);
        assert_eq!(f, "cardNumber");
        let (f, r) = err(vec![
            ("cardNumber", s(card)),
            ("pointsToMove", Raw::Num(1.0)),
            ("includeMore", s("yes")),
        ]);
        assert_eq!(
            (f.as_str(), r.as_str()),
            ("includeMore", "must be a boolean")
        );
        let (f, r) = err(vec![
            ("cardNumber", Raw::Other),
            ("pointsToMove", Raw::Num(1.0)),
        ]);
        assert_eq!(f, "cardNumber");
        assert!(r.starts_with("must"), "{r}");
    }

    #[test]
    fn null_optional_is_absent() {
        let fields = vec![
            ("cardNumber".to_owned(), s("5555444433332222")),
            ("pointsToMove".to_owned(), Raw::Num(3.0)),
            ("includeMore".to_owned(), Raw::Null),
        ];
        assert!(read::<Probe>(fields).unwrap().include_more.is_none());
    }
}

//! JSON read as strictly as the module reads it: a document with a duplicate member name in any
//! object is refused (serde_json keeps the last one silently, which would let a body say two
//! things at once).

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// `bytes` as JSON, or None when it is not JSON or names a member twice in one object.
pub fn parse(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice::<Unique>(bytes).ok()?;
    serde_json::from_slice(bytes).ok()
}

/// A document whose objects name each member once; checks only, keeps nothing.
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
        let mut seen = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !seen.insert(name) {
                return Err(de::Error::custom("a member named twice"));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_named_twice_anywhere_is_refused() {
        assert!(parse(br#"{"a":1,"b":[{"c":2}]}"#).is_some());
        assert!(parse(br#"{"pointsToAdjust":1,"pointsToAdjust":9000}"#).is_none());
        assert!(parse(br#"{"a":[{"x":1,"x":2}]}"#).is_none());
        assert!(parse(br#"{"a":{"b":{"c":1,"c":1}}}"#).is_none());
        assert!(parse(br#"{"a":1,"A":2}"#).is_some(), "names differ by case");
        assert!(parse(b"not json").is_none());
    }
}

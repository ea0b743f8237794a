//! Input checks shared by the operations. Pure: the wasm layer turns each JS field into a
//! [`Raw`] and these decide. Messages name the field and the rule, never the value (it may be
//! an account number).

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::borrow::Cow;
use tsify::Tsify;

use crate::error::{Error, Result};
use crate::format::{decimal, join};

/// Why a value breaks a rule. The rules never see the field's name: whoever applies one names
/// the field (serde's path in `input.rs`, or [`UserId::check`]'s caller).
pub type Reason = Cow<'static, str>;

/// A rule's answer: the checked value, or why not.
pub type Checked<T> = core::result::Result<T, Reason>;

/// A field as JS gave it, before any check.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// Absent or `undefined`.
    Missing,
    /// `null`.
    Null,
    /// A string.
    Str(String),
    /// A number (any, `NaN` included).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// Anything else: an object, an array, a bigint, a symbol, a function.
    Other,
}

/// Any value, as serde hands it over (see `input.rs`): never an error in itself.
impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a value")
    }
    fn visit_unit<E>(self) -> core::result::Result<Raw, E> {
        Ok(Raw::Missing)
    }
    fn visit_none<E>(self) -> core::result::Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> core::result::Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_str<E>(self, v: &str) -> core::result::Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> core::result::Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_f64<E>(self, v: f64) -> core::result::Result<Raw, E> {
        Ok(Raw::Num(v))
    }
    fn visit_i64<E>(self, v: i64) -> core::result::Result<Raw, E> {
        Ok(Raw::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> core::result::Result<Raw, E> {
        Ok(Raw::Num(v as f64))
    }
    fn visit_bool<E>(self, v: bool) -> core::result::Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> core::result::Result<Raw, A::Error> {
        Ok(Raw::Other)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> core::result::Result<Raw, A::Error> {
        Ok(Raw::Other)
    }
}

/// A rule's refusal as serde's error: the reason only (the field is added by `input.rs`).
fn refusal<T, E: de::Error>(checked: Checked<T>) -> core::result::Result<T, E> {
    checked.map_err(E::custom)
}

/// Declares an input field type whose `Deserialize` applies one rule to the caller's value.
macro_rules! checked_field {
    ($(#[$doc:meta])* $name:ident($inner:ty) = |$raw:ident| $rule:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
                let $raw = Raw::deserialize(d)?;
                refusal($rule).map($name)
            }
        }
    };
}

checked_field!(
    /// A card (bank account) number: 12 to 19 ASCII digits.
    CardNumber(String) = |raw| digits(raw, ACCOUNT_DIGITS.0, ACCOUNT_DIGITS.1)
);
checked_field!(
    /// A whole number of points from 1 to 2^53 − 1, given as a number.
    Points(u64) = |raw| points(raw)
);
checked_field!(
    /// A boolean flag (optional fields wrap it in `Option`).
    Flag(bool) = |raw| optional_bool(raw).and_then(|b| b.ok_or_else(|| Reason::from("is required")))
);

/// A required text of 1 to `MAX` characters without control characters or U+FFFD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(pub String);

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        refusal(text(Raw::deserialize(d)?, MAX)).map(Text)
    }
}

/// A `userId`: 1 to 50 characters; for a `BAN`, a card number's digits too (checked with its
/// `userIdType` by [`UserId::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserId(pub String);

impl<'de> Deserialize<'de> for UserId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        refusal(text(Raw::deserialize(d)?, MAX_USER_ID)).map(UserId)
    }
}

impl UserId {
    /// The rule that depends on the kind: a `BAN` must be a card number.
    pub fn check(&self, kind: UserIdType, field: &'static str) -> Result<()> {
        user_id(Raw::Str(self.0.clone()), kind)
            .map(drop)
            .map_err(|why| Error::validation(field, why))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for UserIdType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> core::result::Result<Self, D::Error> {
        refusal(id_type(Raw::deserialize(d)?))
    }
}

/// The largest integer a JS number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A required string of `1..=max` characters without control characters.
pub fn text(raw: Raw, max: usize) -> Checked<String> {
    match raw {
        Raw::Missing | Raw::Null => Err(Reason::from("is required")),
        Raw::Str(s) => check_text(s, max),
        _ => Err(Reason::from("must be a string")),
    }
}

/// `s` has at most `max` characters (Unicode scalar values, as JS code points would count).
pub fn at_most(s: &str, max: usize) -> Checked<()> {
    if s.chars().count() > max {
        return Err(Reason::from(join(&[
            "must be at most ",
            &decimal(max as u64),
            " characters",
        ])));
    }
    Ok(())
}

fn check_text(s: String, max: usize) -> Checked<String> {
    if s.is_empty() {
        return Err(Reason::from("must not be empty"));
    }
    at_most(&s, max)?;
    if s.chars().any(char::is_control) {
        return Err(Reason::from("must not contain control characters"));
    }
    // A JS string's unpaired surrogate arrives here as U+FFFD (the conversion cannot hold it):
    // refusing U+FFFD refuses both, as the JS rules do (tests/fixtures/rules.json).
    if s.chars().any(|c| c == '\u{FFFD}') {
        return Err(Reason::from(
            "must not contain unpaired surrogates or U+FFFD",
        ));
    }
    Ok(s)
}

/// A required string of ASCII digits, `min..=max` of them (an account or card number).
pub fn digits(raw: Raw, min: usize, max: usize) -> Checked<String> {
    let s = match raw {
        Raw::Missing | Raw::Null => return Err(Reason::from("is required")),
        Raw::Str(s) => s,
        _ => return Err(Reason::from("must be a string of digits")),
    };
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Reason::from("must contain digits only"));
    }
    if !(min..=max).contains(&s.len()) {
        return Err(Reason::from(join(&[
            "must be ",
            &decimal(min as u64),
            " to ",
            &decimal(max as u64),
            " digits long",
        ])));
    }
    Ok(s)
}

/// A required positive whole number of points, at most 2^53 − 1.
pub fn points(raw: Raw) -> Checked<u64> {
    let n = match raw {
        Raw::Missing | Raw::Null => return Err(Reason::from("is required")),
        Raw::Num(n) => n,
        _ => return Err(Reason::from("must be a number")),
    };
    if !n.is_finite() || n.fract() != 0.0 {
        return Err(Reason::from("must be a whole number"));
    }
    if n < 1.0 {
        return Err(Reason::from("must be positive"));
    }
    if n > MAX_SAFE_INTEGER {
        return Err(Reason::from("must be at most 2^53 - 1"));
    }
    Ok(n as u64)
}

/// An optional boolean.
pub fn optional_bool(raw: Raw) -> Checked<Option<bool>> {
    match raw {
        Raw::Missing | Raw::Null => Ok(None),
        Raw::Bool(b) => Ok(Some(b)),
        _ => Err(Reason::from("must be a boolean")),
    }
}

/// The kinds of user identifier the services take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Tsify)]
#[serde(rename_all = "UPPERCASE")]
pub enum UserIdType {
    /// Random account number: the opaque token of an account.
    Ranac,
    /// Random customer number: the opaque token of a customer.
    Rancu,
    /// Bank account number (the card number).
    Ban,
    /// Bank customer number.
    Bcn,
}

impl UserIdType {
    /// The value the services use.
    pub fn as_str(self) -> &'static str {
        match self {
            UserIdType::Ranac => "RANAC",
            UserIdType::Rancu => "RANCU",
            UserIdType::Ban => "BAN",
            UserIdType::Bcn => "BCN",
        }
    }
}

/// A required `userIdType`.
pub fn id_type(raw: Raw) -> Checked<UserIdType> {
    match raw {
        Raw::Missing | Raw::Null => Err(Reason::from("is required")),
        Raw::Str(s) => match s.as_str() {
            "RANAC" => Ok(UserIdType::Ranac),
            "RANCU" => Ok(UserIdType::Rancu),
            "BAN" => Ok(UserIdType::Ban),
            "BCN" => Ok(UserIdType::Bcn),
            _ => Err(Reason::from("must be RANAC, RANCU, BAN or BCN")),
        },
        _ => Err(Reason::from("must be a string")),
    }
}

/// Card numbers (ISO/IEC 7812 PANs) have 12 to 19 digits; a bank account number is taken to be
/// one, as Mastercard's pages use the two names for the same thing.
pub const ACCOUNT_DIGITS: (usize, usize) = (12, 19);

/// Longest `userId` (the identifier lookup's published limit).
pub const MAX_USER_ID: usize = 50;

/// A required `userId` of the given type: a card number's digits for `BAN`, otherwise up to 50
/// characters (RANAC and RANCU are opaque tokens, BCNs are the bank's own).
pub fn user_id(raw: Raw, kind: UserIdType) -> Checked<String> {
    match kind {
        UserIdType::Ban => digits(raw, ACCOUNT_DIGITS.0, ACCOUNT_DIGITS.1),
        _ => text(raw, MAX_USER_ID),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Raw {
        Raw::Str(v.to_owned())
    }

    fn reason(r: Checked<impl core::fmt::Debug>) -> String {
        r.unwrap_err().into_owned()
    }

    #[test]
    fn text_rules() {
        assert_eq!(text(s("ok"), 5).unwrap(), "ok");
        assert_eq!(reason(text(Raw::Missing, 5)), "is required");
        assert_eq!(reason(text(Raw::Null, 5)), "is required");
        assert_eq!(reason(text(Raw::Num(1.0), 5)), "must be a string");
        assert_eq!(reason(text(s(""), 5)), "must not be empty");
        assert_eq!(reason(text(s("éééééé"), 5)), "must be at most 5 characters");
        assert_eq!(text(s("ééééé"), 5).unwrap(), "ééééé");
        assert_eq!(
            reason(text(s("a\nb"), 5)),
            "must not contain control characters"
        );
        assert_eq!(
            reason(text(s("a\u{85}b"), 5)),
            "must not contain control characters"
        );
        assert_eq!(
            reason(text(s("a\u{FFFD}"), 5)),
            "must not contain unpaired surrogates or U+FFFD"
        );
    }

    #[test]
    fn digit_rules_never_echo_the_value() {
        let card = "5555444433332222";
        assert_eq!(digits(s(card), 12, 19).unwrap(), card);
        for bad in [
            s("5555-4444-3333-2222"),
            s(" 5555444433332222"),
            s(""),
            s("５５５５"),
        ] {
            let r = reason(digits(bad, 12, 19));
            assert_eq!(r, "must contain digits only");
        }
        assert_eq!(
            reason(digits(s("12345"), 12, 19)),
            "must be 12 to 19 digits long"
        );
        assert_eq!(
            reason(digits(s(&"1".repeat(20)), 12, 19)),
            "must be 12 to 19 digits long"
        );
        assert_eq!(
            reason(digits(Raw::Num(5.5e15), 12, 19)),
            "must be a string of digits"
        );
    }

    #[test]
    fn point_rules() {
        assert_eq!(points(Raw::Num(1.0)).unwrap(), 1);
        assert_eq!(
            points(Raw::Num(MAX_SAFE_INTEGER)).unwrap(),
            9_007_199_254_740_991
        );
        assert_eq!(reason(points(Raw::Num(0.0))), "must be positive");
        assert_eq!(reason(points(Raw::Num(-5.0))), "must be positive");
        assert_eq!(reason(points(Raw::Num(1.5))), "must be a whole number");
        assert_eq!(reason(points(Raw::Num(f64::NAN))), "must be a whole number");
        assert_eq!(
            reason(points(Raw::Num(f64::INFINITY))),
            "must be a whole number"
        );
        assert_eq!(
            reason(points(Raw::Num(MAX_SAFE_INTEGER + 1.0))),
            "must be at most 2^53 - 1"
        );
        assert_eq!(reason(points(s("10"))), "must be a number");
        assert_eq!(reason(points(Raw::Missing)), "is required");
    }

    #[test]
    fn id_types_and_user_ids() {
        assert_eq!(id_type(s("BAN")).unwrap(), UserIdType::Ban);
        assert_eq!(
            reason(id_type(s("ban"))),
            "must be RANAC, RANCU, BAN or BCN"
        );
        assert_eq!(reason(id_type(Raw::Other)), "must be a string");
        assert!(user_id(s("5555444433332222"), UserIdType::Ban).is_ok());
        assert!(user_id(s("x5555444433332222"), UserIdType::Ban).is_err());
        assert!(user_id(s("CUST-0042"), UserIdType::Bcn).is_ok());
        assert!(user_id(s(&"7".repeat(51)), UserIdType::Ranac).is_err());
        assert_eq!(optional_bool(Raw::Bool(false)).unwrap(), Some(false));
        assert_eq!(reason(optional_bool(s("true"))), "must be a boolean");
    }
}

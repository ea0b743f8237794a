//! The JWE protected header: reading what a peer sent, writing what we send.

use super::algorithms::{check_key_management, ContentEncryption, KEY_MANAGEMENT};
use crate::error::{Error, Result};
use crate::format::join;
use crate::json::{object_members, quote, Value};

/// What a checked protected header tells the receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protected {
    /// The content encryption.
    pub enc: ContentEncryption,
    /// The recipient key's identifier (Mastercard sends the fingerprint of the client's key),
    /// when present.
    pub kid: Option<String>,
}

/// Parses a decoded protected header and checks it against what we accept.
///
/// Members may come in any order and with escaped slashes; `kid`, `cty` and anything else we do
/// not act on may be missing or present. Duplicate members are refused (RFC 7515 section 4
/// allows refusing them, and two parsers disagreeing on a header is a classic attack). `zip` and
/// any `crit` are refused: we implement no compression and no critical extension.
pub fn parse(json: &[u8]) -> Result<Protected> {
    let invalid = || Error::jwe_invalid("the protected header is not a JSON object");
    let text = core::str::from_utf8(json).map_err(|_| invalid())?;
    let members = object_members(text).map_err(|_| invalid())?;
    let string = |name: &str| -> Result<Option<&str>> {
        match members.iter().find(|(k, _)| k == name) {
            None => Ok(None),
            Some((_, Value::Str(s))) => Ok(Some(s)),
            Some(_) => Err(Error::jwe_invalid(join(&[
                "the header member \"",
                name,
                "\" is not a string",
            ]))),
        }
    };
    let alg =
        string("alg")?.ok_or_else(|| Error::jwe_invalid("the protected header has no \"alg\""))?;
    let enc =
        string("enc")?.ok_or_else(|| Error::jwe_invalid("the protected header has no \"enc\""))?;
    check_key_management(alg)?;
    let enc = ContentEncryption::from_name(enc)?;
    let present = |name: &str| members.iter().any(|(k, _)| k == name);
    if present("zip") {
        return Err(Error::jwe_unsupported(
            "compressed payloads (\"zip\") are refused",
        ));
    }
    if present("crit") {
        return Err(Error::jwe_unsupported(
            "critical header extensions (\"crit\") are not understood",
        ));
    }
    let kid = string("kid")?.map(str::to_owned);
    Ok(Protected { enc, kid })
}

/// The JSON of the protected header for an `RSA-OAEP-256` + `A256GCM` payload with this `kid`,
/// members in the order Mastercard's libraries write them.
pub fn serialize(kid: &str) -> String {
    join(&[
        "{\"kid\":",
        &quote(kid),
        ",\"cty\":\"application/json\",\"alg\":\"",
        KEY_MANAGEMENT,
        "\",\"enc\":\"",
        ContentEncryption::A256Gcm.name(),
        "\"}",
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn code(json: &str) -> ErrorCode {
        parse(json.as_bytes()).unwrap_err().code()
    }

    #[test]
    fn accepts_any_order_escaped_slashes_and_missing_kid() {
        let cases = [
            r#"{"kid":"761b","cty":"application\/json","enc":"A128CBC-HS256","alg":"RSA-OAEP-256"}"#,
            r#"{"enc":"A128GCM","alg":"RSA-OAEP-256"}"#,
            r#" { "alg" : "RSA\u002DOAEP-256" , "typ":"JOSE", "x":{"nested":[1,2]}, "enc":"A256GCM" } "#,
        ];
        let want = [
            ContentEncryption::A128CbcHs256,
            ContentEncryption::A128Gcm,
            ContentEncryption::A256Gcm,
        ];
        for (json, enc) in cases.iter().zip(want) {
            assert_eq!(parse(json.as_bytes()).unwrap().enc, enc, "{json}");
        }
    }

    #[test]
    fn refuses_what_we_do_not_do() {
        assert_eq!(
            code(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#),
            ErrorCode::JweUnsupported
        );
        assert_eq!(
            code(r#"{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512"}"#),
            ErrorCode::JweUnsupported
        );
        assert_eq!(
            code(r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}"#),
            ErrorCode::JweUnsupported
        );
        assert_eq!(
            code(r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":null}"#),
            ErrorCode::JweUnsupported
        );
        assert_eq!(
            code(r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["exp"],"exp":1}"#),
            ErrorCode::JweUnsupported
        );
    }

    #[test]
    fn refuses_malformed() {
        for json in [
            "",
            "null",
            "[]",
            "\"alg\"",
            "{",
            r#"{"alg":"RSA-OAEP-256"}"#,
            r#"{"enc":"A256GCM"}"#,
            r#"{"alg":1,"enc":"A256GCM"}"#,
            r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","alg":"RSA-OAEP-256"}"#,
            r#"{"alg":"RSA-OAEP-256","enc":"A256GCM"} trailing"#,
        ] {
            assert_eq!(code(json), ErrorCode::JweInvalid, "{json}");
        }
        assert_eq!(
            parse(&[0x7b, 0xff, 0x7d]).unwrap_err().code(),
            ErrorCode::JweInvalid
        );
    }

    #[test]
    fn serializes_in_mastercard_order_and_escapes_the_kid() {
        assert_eq!(
            serialize("761b"),
            r#"{"kid":"761b","cty":"application/json","alg":"RSA-OAEP-256","enc":"A256GCM"}"#
        );
        let odd = serialize("a\"b\\c");
        assert!(odd.starts_with(r#"{"kid":"a\"b\\c","#), "{odd}");
        assert_eq!(
            parse(odd.as_bytes()).unwrap().enc,
            ContentEncryption::A256Gcm
        );
    }
}

//! The JWE protected header: reading what a peer sent, writing what we send.

use serde::de::{Deserializer, IgnoredAny};
use serde::{Deserialize, Serialize};

use super::algorithms::{check_key_management, ContentEncryption, KEY_MANAGEMENT};
use crate::error::{Error, Result};

/// The members of a received header we act on. Others (`kid`, `cty`, `typ`, …) are ignored.
#[derive(Deserialize)]
struct Received {
    alg: Option<String>,
    enc: Option<String>,
    #[serde(default, deserialize_with = "present")]
    zip: bool,
    #[serde(default, deserialize_with = "present")]
    crit: bool,
}

/// True whenever the member appears, whatever its value (even `null`).
fn present<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

/// Parses a decoded protected header and checks it against what we accept.
///
/// Members may come in any order and with escaped slashes; duplicate `alg`/`enc` are refused
/// (RFC 7516 allows it, and it is the classic way to confuse two parsers). `zip` and any `crit`
/// are refused: we implement no compression and no critical extension.
pub fn parse(json: &[u8]) -> Result<ContentEncryption> {
    let h: Received = serde_json::from_slice(json)
        .map_err(|_| Error::jwe_invalid("the protected header is not a JSON object"))?;
    let alg = h
        .alg
        .ok_or_else(|| Error::jwe_invalid("the protected header has no \"alg\""))?;
    let enc = h
        .enc
        .ok_or_else(|| Error::jwe_invalid("the protected header has no \"enc\""))?;
    check_key_management(&alg)?;
    let enc = ContentEncryption::from_name(&enc)?;
    if h.zip {
        return Err(Error::jwe_unsupported("compressed payloads (\"zip\") are refused"));
    }
    if h.crit {
        return Err(Error::jwe_unsupported(
            "critical header extensions (\"crit\") are not understood",
        ));
    }
    Ok(enc)
}

/// The header we send, members in the order Mastercard's libraries write them.
#[derive(Serialize)]
struct Sent<'a> {
    kid: &'a str,
    cty: &'static str,
    alg: &'static str,
    enc: &'static str,
}

/// The JSON of the protected header for an `RSA-OAEP-256` + `A256GCM` payload with this `kid`.
pub fn serialize(kid: &str) -> String {
    let sent = Sent {
        kid,
        cty: "application/json",
        alg: KEY_MANAGEMENT,
        enc: ContentEncryption::A256Gcm.name(),
    };
    // Serializing a struct of strings cannot fail.
    serde_json::to_string(&sent).unwrap_or_default()
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
            r#" { "alg" : "RSA-OAEP-256" , "typ":"JOSE", "x":{"nested":[1,2]}, "enc":"A256GCM" } "#,
        ];
        let want = [
            ContentEncryption::A128CbcHs256,
            ContentEncryption::A128Gcm,
            ContentEncryption::A256Gcm,
        ];
        for (json, enc) in cases.iter().zip(want) {
            assert_eq!(parse(json.as_bytes()).unwrap(), enc, "{json}");
        }
    }

    #[test]
    fn refuses_what_we_do_not_do() {
        assert_eq!(code(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#), ErrorCode::JweUnsupported);
        assert_eq!(code(r#"{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512"}"#), ErrorCode::JweUnsupported);
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
    }

    #[test]
    fn serializes_in_mastercard_order_and_escapes_the_kid() {
        assert_eq!(
            serialize("761b"),
            r#"{"kid":"761b","cty":"application/json","alg":"RSA-OAEP-256","enc":"A256GCM"}"#
        );
        let odd = serialize("a\"b\\c");
        assert!(odd.starts_with(r#"{"kid":"a\"b\\c","#), "{odd}");
        assert_eq!(parse(odd.as_bytes()).unwrap(), ContentEncryption::A256Gcm);
    }
}

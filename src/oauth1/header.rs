//! The `Authorization` header, the nonce, and the checks on what the caller controls.

use crate::error::{Error, Result};
use crate::format::join;
use crate::format::percent_encode;

/// The `oauth_*` parameters of one request, signature aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthParams {
    /// Standard base64 of SHA-256 of the body bytes (of nothing for no body).
    pub body_hash: String,
    /// The consumer key from the developer portal.
    pub consumer_key: String,
    /// Random `[0-9A-Za-z]`.
    pub nonce: String,
    /// Unix seconds.
    pub timestamp: String,
    /// How the base string is signed.
    pub method: SignatureMethod,
}

/// The `oauth_signature_method`s Mastercard's gateway accepts (its signers' two: RSASSA-PKCS1-v1_5
/// and RSASSA-PSS, both SHA-256; PSS with MGF1 SHA-256 and a 32-byte salt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureMethod {
    /// `RSA-SHA256`, the default.
    #[default]
    RsaSha256,
    /// `RSA-PSS`.
    RsaPss,
}

impl SignatureMethod {
    /// The name in `oauth_signature_method`.
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::RsaSha256 => "RSA-SHA256",
            SignatureMethod::RsaPss => "RSA-PSS",
        }
    }

    /// The method a `signatureMethod` option names.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "RSA-SHA256" => Ok(SignatureMethod::RsaSha256),
            "RSA-PSS" => Ok(SignatureMethod::RsaPss),
            _ => Err(Error::config(
                "`signatureMethod` must be \"RSA-SHA256\" or \"RSA-PSS\"",
            )),
        }
    }
}

impl OAuthParams {
    /// The pairs that enter the parameter string.
    pub fn pairs(&self) -> [(&str, &str); 6] {
        [
            ("oauth_body_hash", &self.body_hash),
            ("oauth_consumer_key", &self.consumer_key),
            ("oauth_nonce", &self.nonce),
            ("oauth_signature_method", self.method.name()),
            ("oauth_timestamp", &self.timestamp),
            ("oauth_version", "1.0"),
        ]
    }

    /// `OAuth k="v",…` in Mastercard's order, no spaces; only the signature percent-encoded.
    pub fn header(&self, signature_b64: &str) -> String {
        let mut out = String::from("OAuth ");
        for (k, v) in self.pairs() {
            out.push_str(&join(&[k, "=\"", v, "\","]));
        }
        out.push_str("oauth_signature=\"");
        percent_encode(signature_b64, &mut out);
        out.push('"');
        out
    }
}

/// Nonce characters.
const ALPHABET: &[u8; 62] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Characters in a nonce.
pub const NONCE_LEN: usize = 16;

/// A nonce from random bytes, without modulo bias: bytes of 248 and above are skipped (248 is
/// 4 × 62). `None` when the bytes ran out first (the caller draws more).
pub fn nonce_from(random: &[u8]) -> Option<String> {
    let chars: String = random
        .iter()
        .filter(|&&b| b < 248)
        .take(NONCE_LEN)
        .map(|&b| ALPHABET[usize::from(b % 62)] as char)
        .collect();
    (chars.len() == NONCE_LEN).then_some(chars)
}

/// A consumer key goes inside a quoted header value: printable ASCII without `"` or `\`.
pub fn check_consumer_key(key: &str) -> Result<()> {
    if key.is_empty()
        || key.len() > 256
        || !key
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        return Err(Error::config(
            "`consumerKey` must be 1 to 256 printable ASCII characters without quotes",
        ));
    }
    Ok(())
}

/// The caller's fixed nonce and timestamp (for byte-for-byte comparisons in tests).
pub fn check_fixed(nonce: &str, timestamp: &str) -> Result<()> {
    if nonce.is_empty() || nonce.len() > 64 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::validation(
            "fixed.nonce",
            "must be 1 to 64 letters or digits",
        ));
    }
    if timestamp.is_empty()
        || timestamp.len() > 12
        || !timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Error::validation(
            "fixed.timestamp",
            "must be 1 to 12 digits",
        ));
    }
    Ok(())
}

/// An HTTP method: a token, compared upper-case.
pub fn check_method(method: &str) -> Result<()> {
    if method.is_empty() || method.len() > 16 || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::validation(
            "method",
            "must be an HTTP method such as GET or POST",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_in_mastercards_order() {
        let p = OAuthParams {
            body_hash: "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=".into(),
            consumer_key: "aaa!aaa".into(),
            nonce: "uTeLPs6K".into(),
            timestamp: "1524771555".into(),
            method: SignatureMethod::RsaSha256,
        };
        assert_eq!(
            p.header("ab+/c="),
            r#"OAuth oauth_body_hash="RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=",oauth_consumer_key="aaa!aaa",oauth_nonce="uTeLPs6K",oauth_signature_method="RSA-SHA256",oauth_timestamp="1524771555",oauth_version="1.0",oauth_signature="ab%2B%2Fc%3D""#
        );
    }

    #[test]
    fn nonces_are_alphanumeric_and_unbiased() {
        let bytes: Vec<u8> = (0..=255).collect();
        let n = nonce_from(&bytes).unwrap();
        assert_eq!(n, "abcdefghijklmnop");
        assert_eq!(
            nonce_from(&[250; 40]),
            None,
            "every byte above 247 is skipped"
        );
        let mixed: Vec<u8> = [255, 61, 248, 0].repeat(8);
        assert_eq!(nonce_from(&mixed).unwrap(), "9a".repeat(8));
    }

    #[test]
    fn caller_input_checks() {
        assert!(check_consumer_key("abc!def_0123").is_ok());
        for bad in ["", "a b", "a\"b", "é", "a\\b"] {
            assert!(check_consumer_key(bad).is_err(), "{bad}");
        }
        assert!(check_fixed("uTeLPs6K", "1524771555").is_ok());
        assert_eq!(
            check_fixed("a-b", "1").unwrap_err().field(),
            Some("fixed.nonce")
        );
        assert_eq!(
            check_fixed("ab", "1.5").unwrap_err().field(),
            Some("fixed.timestamp")
        );
        assert!(check_method("get").is_ok());
        assert!(check_method("GE T").is_err());
    }
}

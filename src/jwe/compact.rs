//! JWE compact serialization: five base64url segments joined by dots (RFC 7516 section 7.1).

use super::algorithms::{ContentEncryption, TAG_LEN};
use super::header::{self, Protected};
use crate::base64::{decode_lenient, encode_url};
use crate::error::{Error, Result};
use crate::format::{decimal, join};

/// Largest compact JWE accepted, in bytes: a 16 MiB payload and its base64 overhead. Above
/// this a caller is better served by an error than by an out-of-memory abort.
pub const MAX_COMPACT_LEN: usize = 24 << 20;
/// Largest protected header segment accepted, in characters.
pub const MAX_HEADER_LEN: usize = 8 << 10;
/// Largest encrypted key accepted, in bytes (an 8192-bit RSA modulus).
pub const MAX_ENCRYPTED_KEY_LEN: usize = 1024;

/// The four short segments of a compact JWE, decoded and checked against the header's `enc`:
/// everything but the ciphertext, which may be large and is checked apart (see [`ciphertext`]).
#[derive(Debug, PartialEq, Eq)]
pub struct Head<'a> {
    /// The first segment exactly as received: its ASCII bytes are the AAD.
    pub protected: &'a str,
    /// The content encryption the header names.
    pub enc: ContentEncryption,
    /// The RSA-OAEP encrypted content encryption key.
    pub encrypted_key: Vec<u8>,
    /// The initialization vector.
    pub iv: Vec<u8>,
    /// The authentication tag.
    pub tag: Vec<u8>,
}

/// A parsed compact JWE.
#[derive(Debug, PartialEq, Eq)]
pub struct Compact<'a> {
    /// Everything but the ciphertext.
    pub head: Head<'a>,
    /// The ciphertext, decoded.
    pub ciphertext: Vec<u8>,
}

fn segment(s: &str, name: &str) -> Result<Vec<u8>> {
    decode_lenient(s)
        .map_err(|_| Error::jwe_invalid(join(&["the ", name, " is not valid base64url"])))
}

/// Checks the overall shape: a length in bytes (or UTF-16 units) and the number of dot-separated
/// parts. Shared by [`parse`] and by callers that split the JWE elsewhere.
pub fn check_shape(len: usize, parts: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::jwe_invalid("the JWE is empty"));
    }
    if len > MAX_COMPACT_LEN {
        return Err(Error::jwe_invalid(join(&[
            "the JWE is longer than ",
            &decimal(MAX_COMPACT_LEN as u64),
            " bytes",
        ])));
    }
    if parts != 5 {
        return Err(wrong_parts(parts));
    }
    Ok(())
}

/// The error for a JWE of `parts` dot-separated parts (`6` also stands for "more than 5").
pub fn wrong_parts(parts: usize) -> Error {
    let found = if parts > 5 {
        "more than 5".to_owned()
    } else {
        decimal(parts as u64)
    };
    Error::jwe_invalid(join(&["expected 5 dot-separated parts, found ", &found]))
}

/// What a protected header segment says (its `enc` and `kid`), the header checked.
pub fn protected(protected: &str) -> Result<Protected> {
    if protected.is_empty() || protected.len() > MAX_HEADER_LEN {
        return Err(Error::jwe_invalid(
            "the protected header is empty or too long",
        ));
    }
    header::parse(&segment(protected, "protected header")?)
}

/// Checks the decoded lengths of the encrypted key, the IV and the tag against `enc`.
pub fn check_lengths(
    enc: ContentEncryption,
    encrypted_key: usize,
    iv: usize,
    tag: usize,
) -> Result<()> {
    if encrypted_key == 0 || encrypted_key > MAX_ENCRYPTED_KEY_LEN {
        return Err(Error::jwe_invalid("the encrypted key is empty or too long"));
    }
    if !enc.accepts_iv_len(iv) {
        return Err(Error::jwe_invalid(join(&[
            "a ",
            &decimal(iv as u64),
            "-byte initialization vector does not fit ",
            enc.name(),
        ])));
    }
    if tag != TAG_LEN {
        return Err(Error::jwe_invalid(join(&[
            "the authentication tag must be ",
            &decimal(TAG_LEN as u64),
            " bytes",
        ])));
    }
    Ok(())
}

/// Parses and checks the four short segments.
pub fn head<'a>(protected: &'a str, encrypted_key: &str, iv: &str, tag: &str) -> Result<Head<'a>> {
    let enc = self::protected(protected)?.enc;
    let encrypted_key = segment(encrypted_key, "encrypted key")?;
    let iv = segment(iv, "initialization vector")?;
    let tag = segment(tag, "authentication tag")?;
    check_lengths(enc, encrypted_key.len(), iv.len(), tag.len())?;
    Ok(Head {
        protected,
        enc,
        encrypted_key,
        iv,
        tag,
    })
}

/// Checks a decoded ciphertext length against `enc`: CBC needs whole, non-empty blocks.
pub fn check_ciphertext_len(enc: ContentEncryption, len: usize) -> Result<()> {
    if enc == ContentEncryption::A128CbcHs256 && (len == 0 || len % 16 != 0) {
        return Err(Error::jwe_invalid(
            "the ciphertext is not a whole number of AES blocks",
        ));
    }
    Ok(())
}

/// Decodes the ciphertext segment and checks its length against `enc`.
pub fn ciphertext(enc: ContentEncryption, segment: &str) -> Result<Vec<u8>> {
    let bytes = decode_lenient(segment)
        .map_err(|_| Error::jwe_invalid("the ciphertext is not valid base64url"))?;
    check_ciphertext_len(enc, bytes.len())?;
    Ok(bytes)
}

/// Parses and checks a compact JWE. Lengths are checked against the header's `enc` here, so
/// nothing malformed reaches the crypto.
pub fn parse(jwe: &str) -> Result<Compact<'_>> {
    // The length first, and at most six parts: a huge string of dots is refused, not split.
    check_shape(jwe.len(), 5)?;
    let parts: Vec<&str> = jwe.splitn(6, '.').collect();
    check_shape(jwe.len(), parts.len())?;
    let head = head(parts[0], parts[1], parts[2], parts[4])?;
    let ciphertext = ciphertext(head.enc, parts[3])?;
    Ok(Compact { head, ciphertext })
}

/// The first segment of a JWE we send: the protected header for this `kid`, base64url.
pub fn protected_segment(kid: &str) -> String {
    encode_url(header::serialize(kid).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const HDR: &str = "eyJlbmMiOiJBMTI4R0NNIiwiYWxnIjoiUlNBLU9BRVAtMjU2In0"; // {"enc":"A128GCM","alg":"RSA-OAEP-256"}

    /// Joins five segments the way the module's encryption does (it does so in JS).
    fn assemble(
        protected: &str,
        encrypted_key: &[u8],
        iv: &[u8],
        ciphertext: &[u8],
        tag: &[u8],
    ) -> String {
        let mut out = protected.to_string();
        for part in [encrypted_key, iv, ciphertext, tag] {
            out.push('.');
            out.push_str(&encode_url(part));
        }
        out
    }

    fn jwe(parts: [&str; 5]) -> String {
        parts.join(".")
    }

    fn ok_parts() -> [String; 5] {
        [
            HDR.to_string(),
            encode_url(&[7u8; 256]),
            encode_url(&[1u8; 12]),
            encode_url(b"ciphertext"),
            encode_url(&[2u8; 16]),
        ]
    }

    #[test]
    fn parses_a_well_formed_jwe() {
        let p = ok_parts();
        let s = jwe([&p[0], &p[1], &p[2], &p[3], &p[4]]);
        let c = parse(&s).unwrap();
        assert_eq!(c.head.protected, HDR);
        assert_eq!(c.head.enc, ContentEncryption::A128Gcm);
        assert_eq!(c.head.encrypted_key, vec![7u8; 256]);
        assert_eq!(c.head.iv, vec![1u8; 12]);
        assert_eq!(c.ciphertext, b"ciphertext");
        assert_eq!(c.head.tag, vec![2u8; 16]);
    }

    #[test]
    fn empty_ciphertext_is_fine_for_gcm() {
        let p = ok_parts();
        assert!(parse(&jwe([&p[0], &p[1], &p[2], "", &p[4]])).is_ok());
    }

    #[test]
    fn rejects_every_structural_fault() {
        let p = ok_parts();
        let cases: Vec<(String, ErrorCode)> = vec![
            (String::new(), ErrorCode::JweInvalid),
            ("a.b.c".into(), ErrorCode::JweInvalid),
            (
                format!("{}.{}.{}.{}.{}.x", p[0], p[1], p[2], p[3], p[4]),
                ErrorCode::JweInvalid,
            ),
            (jwe(["", &p[1], &p[2], &p[3], &p[4]]), ErrorCode::JweInvalid),
            (
                jwe(["e30", &p[1], &p[2], &p[3], &p[4]]),
                ErrorCode::JweInvalid,
            ),
            (
                jwe(["!!!!", &p[1], &p[2], &p[3], &p[4]]),
                ErrorCode::JweInvalid,
            ),
            (jwe([&p[0], "", &p[2], &p[3], &p[4]]), ErrorCode::JweInvalid),
            (
                jwe([&p[0], &p[1], &encode_url(&[1u8; 8]), &p[3], &p[4]]),
                ErrorCode::JweInvalid,
            ),
            (
                jwe([&p[0], &p[1], &p[2], "a*b", &p[4]]),
                ErrorCode::JweInvalid,
            ),
            (
                jwe([&p[0], &p[1], &p[2], &p[3], &encode_url(&[2u8; 15])]),
                ErrorCode::JweInvalid,
            ),
            (jwe([&p[0], &p[1], &p[2], &p[3], ""]), ErrorCode::JweInvalid),
            (
                jwe([
                    &encode_url(br#"{"alg":"RSA1_5","enc":"A128GCM"}"#),
                    &p[1],
                    &p[2],
                    &p[3],
                    &p[4],
                ]),
                ErrorCode::JweUnsupported,
            ),
        ];
        for (s, want) in cases {
            assert_eq!(parse(&s).unwrap_err().code(), want, "{s}");
        }
    }

    #[test]
    fn cbc_ciphertext_must_be_whole_blocks() {
        let hdr = encode_url(br#"{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}"#);
        let p = ok_parts();
        let iv = encode_url(&[0u8; 16]);
        assert!(parse(&jwe([&hdr, &p[1], &iv, &encode_url(&[0u8; 32]), &p[4]])).is_ok());
        for ct in [encode_url(&[0u8; 31]), String::new()] {
            assert_eq!(
                parse(&jwe([&hdr, &p[1], &iv, &ct, &p[4]]))
                    .unwrap_err()
                    .code(),
                ErrorCode::JweInvalid
            );
        }
    }

    #[test]
    fn a_long_string_of_dots_is_refused_by_length_before_any_split() {
        let dots = ".".repeat(MAX_COMPACT_LEN + 1);
        assert_eq!(parse(&dots).unwrap_err().code(), ErrorCode::JweInvalid);
        let many = ".".repeat(1 << 16);
        match parse(&many).unwrap_err() {
            Error::JweInvalid { reason } => assert!(reason.contains("more than 5"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn size_limits() {
        let huge = "a".repeat(MAX_COMPACT_LEN + 1);
        assert_eq!(parse(&huge).unwrap_err().code(), ErrorCode::JweInvalid);
        let p = ok_parts();
        let long_header = "e".repeat(MAX_HEADER_LEN + 4);
        assert_eq!(
            parse(&jwe([&long_header, &p[1], &p[2], &p[3], &p[4]]))
                .unwrap_err()
                .code(),
            ErrorCode::JweInvalid
        );
        let long_key = encode_url(&[0u8; MAX_ENCRYPTED_KEY_LEN + 1]);
        assert_eq!(
            parse(&jwe([&p[0], &long_key, &p[2], &p[3], &p[4]]))
                .unwrap_err()
                .code(),
            ErrorCode::JweInvalid
        );
    }

    #[test]
    fn assembles_what_it_parses() {
        let protected = protected_segment("761b");
        let s = assemble(&protected, &[9u8; 256], &[3u8; 12], b"hello", &[4u8; 16]);
        let c = parse(&s).unwrap();
        assert_eq!(c.head.enc, ContentEncryption::A256Gcm);
        assert_eq!(c.head.protected, protected);
        assert_eq!(c.ciphertext, b"hello");
        assert_eq!(s.matches('.').count(), 4);
        assert!(!s.contains(['=', '+', '/']));
    }
}

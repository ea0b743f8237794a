//! The algorithms this crate speaks: one key management algorithm, four content encryptions.

use crate::error::{Error, Result};
use crate::format::join;

/// The only key management algorithm accepted (`alg`): RSAES-OAEP with SHA-256 and MGF1-SHA-256.
pub const KEY_MANAGEMENT: &str = "RSA-OAEP-256";

/// Content encryption (`enc`) algorithms accepted on decryption. Encryption always uses `A256GCM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncryption {
    /// AES-128 in GCM mode.
    A128Gcm,
    /// AES-192 in GCM mode.
    A192Gcm,
    /// AES-256 in GCM mode.
    A256Gcm,
    /// AES-128-CBC with HMAC-SHA-256 truncated to 128 bits (RFC 7518 section 5.2.3).
    A128CbcHs256,
}

/// Length of every authentication tag we accept, in bytes.
pub const TAG_LEN: usize = 16;

impl ContentEncryption {
    /// Parses an `enc` header value.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "A128GCM" => Ok(Self::A128Gcm),
            "A192GCM" => Ok(Self::A192Gcm),
            "A256GCM" => Ok(Self::A256Gcm),
            "A128CBC-HS256" => Ok(Self::A128CbcHs256),
            other => Err(Error::jwe_unsupported(join(&[
                "content encryption \"",
                &printable(other),
                "\" is not supported",
            ]))),
        }
    }

    /// The `enc` header value.
    pub fn name(self) -> &'static str {
        match self {
            Self::A128Gcm => "A128GCM",
            Self::A192Gcm => "A192GCM",
            Self::A256Gcm => "A256GCM",
            Self::A128CbcHs256 => "A128CBC-HS256",
        }
    }

    /// Length of the content encryption key in bytes.
    pub fn cek_len(self) -> usize {
        match self {
            Self::A128Gcm => 16,
            Self::A192Gcm => 24,
            Self::A256Gcm | Self::A128CbcHs256 => 32,
        }
    }

    /// Whether an IV of this length is acceptable. GCM: the RFC's 12 bytes, or the 16 bytes
    /// Mastercard's libraries send. CBC: one block.
    pub fn accepts_iv_len(self, len: usize) -> bool {
        match self {
            Self::A128CbcHs256 => len == 16,
            _ => len == 12 || len == 16,
        }
    }
}

/// Checks the `alg` header value against the allow-list.
pub fn check_key_management(alg: &str) -> Result<()> {
    if alg == KEY_MANAGEMENT {
        Ok(())
    } else {
        Err(Error::jwe_unsupported(join(&[
            "key management algorithm \"",
            &printable(alg),
            "\" is not allowed (only ",
            KEY_MANAGEMENT,
            ")",
        ])))
    }
}

/// A header value as it may appear in a message: short, printable ASCII only.
fn printable(s: &str) -> String {
    // An upstream's header value could carry a card number: never echo a run of digits.
    if s.bytes().filter(u8::is_ascii_digit).count() >= 12 {
        return "(withheld)".to_owned();
    }
    s.chars()
        .take(32)
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn names_round_trip() {
        for enc in [
            ContentEncryption::A128Gcm,
            ContentEncryption::A192Gcm,
            ContentEncryption::A256Gcm,
            ContentEncryption::A128CbcHs256,
        ] {
            assert_eq!(ContentEncryption::from_name(enc.name()).unwrap(), enc);
        }
    }

    #[test]
    fn unknown_and_disallowed_are_unsupported() {
        for bad in ["A256CBC-HS512", "a256gcm", "", "dir"] {
            let e = ContentEncryption::from_name(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::JweUnsupported);
        }
        for bad in [
            "RSA-OAEP",
            "RSA1_5",
            "dir",
            "none",
            "rsa-oaep-256",
            "ECDH-ES",
        ] {
            assert_eq!(
                check_key_management(bad).unwrap_err().code(),
                ErrorCode::JweUnsupported
            );
        }
        assert!(check_key_management("RSA-OAEP-256").is_ok());
    }

    #[test]
    fn messages_do_not_echo_control_characters() {
        let e = ContentEncryption::from_name("A\u{7}\nB").unwrap_err();
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn iv_lengths() {
        assert!(ContentEncryption::A256Gcm.accepts_iv_len(12));
        assert!(ContentEncryption::A256Gcm.accepts_iv_len(16));
        assert!(!ContentEncryption::A256Gcm.accepts_iv_len(8));
        assert!(ContentEncryption::A128CbcHs256.accepts_iv_len(16));
        assert!(!ContentEncryption::A128CbcHs256.accepts_iv_len(12));
    }

    #[test]
    fn an_unsupported_value_that_could_be_a_card_number_is_not_echoed() {
        let e = ContentEncryption::from_name("5555444433332222").unwrap_err();
        assert!(!e.message().contains("5555"), "{}", e.message());
        let e = ContentEncryption::from_name("A512GCM").unwrap_err();
        assert!(e.message().contains("A512GCM"), "{}", e.message());
    }
}

//! The crate's one error type. Pure Rust: it knows nothing of JS. The wasm boundary turns it
//! into the JS error classes in exactly one place (`js_error.rs`).

use crate::prelude::*;
use core::fmt;

/// The stable code of an error, and through it the JS class it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Caller input failed validation (`PointsValidationError`).
    Validation,
    /// An option is missing or malformed (`PointsConfigError`).
    Config,
    /// A key could not be read or imported (`PointsKeyError`).
    KeyInvalid,
    /// The JWE is malformed (`JweError`).
    JweInvalid,
    /// The JWE asks for something we refuse to do (`JweError`).
    JweUnsupported,
    /// The JWE did not decrypt or did not authenticate (`JweError`).
    JweDecryptionFailed,
    /// An encrypted payload arrived and no decryption key was configured (`JweError`).
    JweNoKey,
}

impl ErrorCode {
    /// Every code, in a stable order (tests walk it).
    pub const ALL: [ErrorCode; 7] = [
        ErrorCode::Validation,
        ErrorCode::Config,
        ErrorCode::KeyInvalid,
        ErrorCode::JweInvalid,
        ErrorCode::JweUnsupported,
        ErrorCode::JweDecryptionFailed,
        ErrorCode::JweNoKey,
    ];

    /// The `code` string the JS error carries.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "ERR_VALIDATION",
            ErrorCode::Config => "ERR_CONFIG",
            ErrorCode::KeyInvalid => "ERR_KEY_INVALID",
            ErrorCode::JweInvalid => "ERR_JWE_INVALID",
            ErrorCode::JweUnsupported => "ERR_JWE_UNSUPPORTED",
            ErrorCode::JweDecryptionFailed => "ERR_JWE_DECRYPTION_FAILED",
            ErrorCode::JweNoKey => "ERR_JWE_NO_KEY",
        }
    }

    /// The name of the JS class the error becomes.
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorCode::Validation => "PointsValidationError",
            ErrorCode::Config => "PointsConfigError",
            ErrorCode::KeyInvalid => "PointsKeyError",
            ErrorCode::JweInvalid
            | ErrorCode::JweUnsupported
            | ErrorCode::JweDecryptionFailed
            | ErrorCode::JweNoKey => "JweError",
        }
    }
}

/// Everything that can go wrong inside the crate. Messages never contain key material,
/// plaintext or account numbers: only the names of things and short descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Caller input failed validation; `field` names it.
    Validation { field: String, reason: String },
    /// An option is missing or malformed.
    Config { reason: String },
    /// A key could not be read or imported.
    KeyInvalid { reason: String },
    /// The JWE is malformed.
    JweInvalid { reason: String },
    /// The JWE uses an algorithm or feature we refuse.
    JweUnsupported { reason: String },
    /// The JWE did not decrypt or did not authenticate. Deliberately without detail: telling
    /// a padding failure from a tag failure helps an attacker, not the caller.
    JweDecryptionFailed,
    /// An encrypted payload arrived and no decryption key was configured.
    JweNoKey,
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::Config { .. } => ErrorCode::Config,
            Error::KeyInvalid { .. } => ErrorCode::KeyInvalid,
            Error::JweInvalid { .. } => ErrorCode::JweInvalid,
            Error::JweUnsupported { .. } => ErrorCode::JweUnsupported,
            Error::JweDecryptionFailed => ErrorCode::JweDecryptionFailed,
            Error::JweNoKey => ErrorCode::JweNoKey,
        }
    }

    /// Shorthand for [`Error::Validation`].
    pub fn validation(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Config`].
    pub fn config(reason: impl Into<String>) -> Self {
        Error::Config {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::KeyInvalid`].
    pub fn key(reason: impl Into<String>) -> Self {
        Error::KeyInvalid {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::JweInvalid`].
    pub fn jwe_invalid(reason: impl Into<String>) -> Self {
        Error::JweInvalid {
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::JweUnsupported`].
    pub fn jwe_unsupported(reason: impl Into<String>) -> Self {
        Error::JweUnsupported {
            reason: reason.into(),
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl Error {
    /// The message shown to users. Built by concatenation rather than `format!`, so messages
    /// add no formatting code of their own to the module.
    pub fn message(&self) -> String {
        match self {
            Error::Validation { field, reason } => join(&["invalid `", field, "`: ", reason]),
            Error::Config { reason } => join(&["invalid configuration: ", reason]),
            Error::KeyInvalid { reason } => join(&["invalid key: ", reason]),
            Error::JweInvalid { reason } => join(&["malformed JWE: ", reason]),
            Error::JweUnsupported { reason } => join(&["unsupported JWE: ", reason]),
            Error::JweDecryptionFailed => "JWE decryption failed".to_owned(),
            Error::JweNoKey => {
                "the response is encrypted and no decryption key was configured".to_owned()
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// The parts one after another: `[..].concat()` without the generic joining code it links.
pub fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `n` in decimal, for messages (see [`Error::message`] on why not `format!`).
pub fn decimal(mut n: usize) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    // Only ASCII digits were pushed.
    String::from_utf8(digits).unwrap_or_default()
}

impl core::error::Error for Error {}

/// The crate's result type.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(code.as_str().starts_with("ERR_"));
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
        }
    }

    #[test]
    fn display_names_the_field_and_nothing_else() {
        let e = Error::validation("userId", "must contain digits only");
        assert_eq!(e.to_string(), "invalid `userId`: must contain digits only");
        assert_eq!(e.code(), ErrorCode::Validation);
        assert_eq!(e.field(), Some("userId"));
        assert_eq!(
            Error::JweDecryptionFailed.to_string(),
            "JWE decryption failed"
        );
        assert_eq!(Error::JweNoKey.code().class_name(), "JweError");
    }

    #[test]
    fn decimal_matches_std() {
        for n in [0, 7, 10, 2048, 25_165_824, usize::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}

//! The crate's one error type. Pure Rust: it knows nothing of JS. The wasm boundary turns it
//! into the JS error classes in exactly one place (`js_error.rs`).

use crate::format::{decimal, join};
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
    /// The service answered with an error status (`PointsApiError`).
    Api,
    /// The request could not be completed over the network (`PointsNetworkError`).
    Network,
    /// The call took longer than `timeoutMs` (`PointsTimeoutError`).
    Timeout,
    /// The caller's `AbortSignal` fired (`PointsAbortError`).
    Aborted,
    /// A success status with a body that is not what the operation returns (`PointsResponseError`).
    ResponseInvalid,
}

impl ErrorCode {
    /// Every code, in a stable order (tests walk it).
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::Validation,
        ErrorCode::Config,
        ErrorCode::KeyInvalid,
        ErrorCode::JweInvalid,
        ErrorCode::JweUnsupported,
        ErrorCode::JweDecryptionFailed,
        ErrorCode::JweNoKey,
        ErrorCode::Api,
        ErrorCode::Network,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::ResponseInvalid,
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
            ErrorCode::Api => "ERR_API",
            ErrorCode::Network => "ERR_NETWORK",
            ErrorCode::Timeout => "ERR_TIMEOUT",
            ErrorCode::Aborted => "ERR_ABORTED",
            ErrorCode::ResponseInvalid => "ERR_RESPONSE_INVALID",
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
            ErrorCode::Api => "PointsApiError",
            ErrorCode::Network => "PointsNetworkError",
            ErrorCode::Timeout => "PointsTimeoutError",
            ErrorCode::Aborted => "PointsAbortError",
            ErrorCode::ResponseInvalid => "PointsResponseError",
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
    /// The service answered `status` (400 or above) with these items of the Errors envelope
    /// (none when the body was not the envelope, e.g. a gateway's HTML page).
    Api {
        status: u16,
        errors: Vec<ApiErrorItem>,
    },
    /// The request failed on the way; `may_have_been_sent` is false only when it surely was not.
    Network { may_have_been_sent: bool },
    /// The call ran past its time limit.
    Timeout { may_have_been_sent: bool },
    /// The caller aborted the call.
    Aborted,
    /// A success status whose body is not what the operation returns.
    ResponseInvalid { status: u16, reason: String },
}

/// One item of Mastercard's Errors envelope, as the JS `errors[]` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiErrorItem {
    /// `Source`: `Gateway` when the API gateway refused the call, else the service's name.
    pub source: Option<String>,
    /// `ReasonCode`, e.g. `DECLINED`.
    pub reason_code: Option<String>,
    /// `Description`.
    pub description: Option<String>,
    /// `Recoverable`, sent as a boolean or as the string `"true"`/`"false"`.
    pub recoverable: Option<bool>,
    /// `Details`: a string, or absent/null.
    pub details: Option<String>,
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
            Error::Api { .. } => ErrorCode::Api,
            Error::Network { .. } => ErrorCode::Network,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::Aborted => ErrorCode::Aborted,
            Error::ResponseInvalid { .. } => ErrorCode::ResponseInvalid,
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

    /// `mayHaveBeenSent` of a network or timeout error.
    pub fn may_have_been_sent(&self) -> Option<bool> {
        match self {
            Error::Network { may_have_been_sent } | Error::Timeout { may_have_been_sent } => {
                Some(*may_have_been_sent)
            }
            _ => None,
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
            Error::Api { status, errors } => {
                let mut m = join(&["the service answered HTTP ", &decimal(u64::from(*status))]);
                // The reason code only (a description written by the service could echo input),
                // and only when it is a plain code: messages end up in logs.
                if let Some(code) = errors.first().and_then(|e| e.reason_code.as_deref()) {
                    if plain_reason_code(code) {
                        m.push_str(": ");
                        m.push_str(code);
                    }
                }
                m
            }
            Error::Network { .. } => "the request failed on the network".to_owned(),
            Error::Timeout { .. } => "the call timed out".to_owned(),
            Error::Aborted => "the call was aborted".to_owned(),
            Error::ResponseInvalid { status, reason } => join(&[
                "unexpected response (HTTP ",
                &decimal(u64::from(*status)),
                "): ",
                reason,
            ]),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Whether a service's `ReasonCode` may go into a message: `^[A-Z0-9_]{1,64}$` with fewer than
/// 12 digits in all (a card number a gateway echoed into a code, even split by `_`, stays out
/// of logs). The code itself is always on `errors[].reasonCode`.
pub fn plain_reason_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && code.bytes().filter(u8::is_ascii_digit).count() < 12
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
    fn only_plain_reason_codes_reach_the_message() {
        let api = |code: &str| Error::Api {
            status: 400,
            errors: vec![ApiErrorItem {
                reason_code: Some(code.to_owned()),
                ..ApiErrorItem::default()
            }],
        };
        assert_eq!(
            api("INVALID_FIELD_VALUE_POINTS").message(),
            "the service answered HTTP 400: INVALID_FIELD_VALUE_POINTS"
        );
        assert_eq!(
            api("E_404_1").message(),
            "the service answered HTTP 400: E_404_1"
        );
        for leaky in [
            "INVALID_5555444433332222",
            "5555444433332222",
            "5555_4444_3333_2222",
            "55554444333_32222",
            "invalid card 5555-4444",
            "BAD\nINJECTED",
            "",
            &"A".repeat(65),
        ] {
            let m = api(leaky).message();
            assert_eq!(m, "the service answered HTTP 400", "{leaky:?}");
        }
    }
}

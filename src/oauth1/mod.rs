//! OAuth 1.0a one-legged signing as Mastercard's gateway checks it: pure Rust except the one RSA
//! signature (`signer.rs`, WebCrypto).
//!
//! Mastercard's libraries, and so the gateway, differ from RFC 5849 in one way that matters: the
//! parameter string holds query keys and values as they appear in the URL and `oauth_*` values
//! as they are (a consumer key's `!`, a body hash's `+/=`), and only the whole string is
//! percent-encoded, once, into the base string.

pub mod base_string;
pub mod base_uri;
pub mod header;
pub mod params;

// Left out of the browser build (scripts/build.sh): the signing key never belongs in a page.
#[cfg(all(target_arch = "wasm32", feature = "signer"))]
pub mod signer;

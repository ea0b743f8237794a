//! Compact JWE as Mastercard uses it: `RSA-OAEP-256` key management, AES-GCM or
//! AES-CBC-HMAC content encryption. The framing is pure Rust; the crypto lives in `crypto/`.

pub mod algorithms;
pub mod cbc_hmac;
pub mod compact;
pub mod header;
pub mod soft_gcm;

#[cfg(target_arch = "wasm32")]
pub mod decrypt;
#[cfg(target_arch = "wasm32")]
pub mod encrypt;

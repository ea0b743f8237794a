//! Compact JWE as Mastercard uses it: `RSA-OAEP-256` key management, AES-GCM or
//! AES-CBC-HMAC content encryption. The framing is pure Rust; the primitives live in `crypto/`,
//! and `backend` picks them per content encryption.

pub mod algorithms;
pub mod compact;
pub mod header;

#[cfg(target_arch = "wasm32")]
pub mod backend;
#[cfg(target_arch = "wasm32")]
pub mod decrypt;
#[cfg(target_arch = "wasm32")]
pub mod encrypt;
#[cfg(target_arch = "wasm32")]
pub mod encryption_key;

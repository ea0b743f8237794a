//! points-activity: Mastercard's Points Activity Service and identifier lookup for web frontends
//! and edge workers. Compact JWE runs inside this module on top of WebCrypto; requests go out
//! through `fetch`.
//!
//! Layout: pure logic (`base64`, `format`, `jwe` framing, `keys` containers, `json`, `http`,
//! `ops`, `oauth1`, `error`, and `crypto`'s soft GCM and CBC-HMAC tag) builds and tests
//! natively; everything that touches JS (`interop`, `failure`, the rest of `crypto`, `api`,
//! `client`, `transport`, `js_error`, key import) exists only on wasm32. No module names one
//! above it (scripts/check-module-cycles.mjs).

pub mod base64;
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub mod client;
pub mod crypto;
pub mod error;
pub mod format;
#[cfg(feature = "client")]
pub mod http;
#[cfg(feature = "client")]
pub mod input;
pub mod json;
pub mod jwe;
pub mod keys;
#[cfg(feature = "client")]
pub mod oauth1;
#[cfg(feature = "client")]
pub mod ops;
#[cfg(feature = "client")]
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod failure;
#[cfg(target_arch = "wasm32")]
pub mod interop;
#[cfg(target_arch = "wasm32")]
pub mod js_error;
#[cfg(target_arch = "wasm32")]
mod promise;
#[cfg(target_arch = "wasm32")]
pub mod text;
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub mod transport;

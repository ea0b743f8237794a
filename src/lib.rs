//! points-activity: Mastercard's Points Activity Service and identifier lookup for web frontends
//! and edge workers. Compact JWE runs inside this module on top of WebCrypto; requests go out
//! through `fetch`.
//!
//! Layout: pure logic (`base64`, `jwe`, `keys`, `error`) builds and tests natively; everything
//! that touches JS (`crypto`, `api`, `js_error`) exists only on wasm32.

pub mod base64;
pub mod error;
pub mod jwe;
pub mod keys;

//! The crypto primitives: WebCrypto everywhere, Node's synchronous crypto in Node, and the two
//! pieces WebCrypto lacks (AES-192-GCM where the runtime refuses it, CBC-HMAC's tag check).
//! Primitives only: which to use for a JWE is `jwe::backend`'s choice.

pub mod cbc_hmac;
pub mod soft_gcm;

#[cfg(all(target_arch = "wasm32", feature = "node"))]
pub mod node;
#[cfg(target_arch = "wasm32")]
pub mod webcrypto;

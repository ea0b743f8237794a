//! points-activity: Mastercard's Points Activity Service and identifier lookup for web frontends
//! and edge workers. Compact JWE runs inside this module on top of WebCrypto; requests go out
//! through `fetch`.
//!
//! Layout: pure logic (`base64`, `jwe` framing, `keys` containers, `error`) builds and tests
//! natively; everything that touches JS (`crypto`, `api`, `js_error`, key import) exists only on
//! wasm32.

extern crate alloc;

mod prelude;

pub mod base64;
#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod error;
pub mod http;
pub mod json;
pub mod jwe;
pub mod keys;
pub mod oauth1;
pub mod ops;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod crypto;
#[cfg(target_arch = "wasm32")]
mod global;
#[cfg(target_arch = "wasm32")]
pub mod js_error;
#[cfg(target_arch = "wasm32")]
mod spawn;
#[cfg(target_arch = "wasm32")]
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod transport;

/// talc in place of the default dlmalloc: smaller, and built for wasm's linear memory.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature is single-threaded.
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

//! points-activity: Mastercard's Points Activity Service and identifier lookup for web frontends
//! and edge workers. Compact JWE runs inside this module on top of WebCrypto; requests go out
//! through `fetch`.
//!
//! Layout: pure logic (`base64`, `jwe` framing, `keys` containers, `error`) builds and tests
//! natively; everything that touches JS (`crypto`, `api`, `js_error`, key import) exists only on
//! wasm32.
//!
//! The shipped module is `no_std` (built without the default `std` feature): a panic, which
//! is always a bug here, traps at once instead of pulling in std's formatting panic machinery.

#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

mod prelude;

pub mod base64;
pub mod error;
pub mod http;
pub mod json;
pub mod jwe;
pub mod keys;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod crypto;
#[cfg(target_arch = "wasm32")]
mod global;
#[cfg(target_arch = "wasm32")]
pub mod js_error;
#[cfg(target_arch = "wasm32")]
pub mod text;

/// talc in place of the default dlmalloc: smaller, and built for wasm's linear memory.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature is single-threaded.
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

/// Without `std` nothing reports a panic, so the cheapest correct handler is a trap: the caller
/// sees a `RuntimeError` and this instance must not be used again (as after any wasm trap).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

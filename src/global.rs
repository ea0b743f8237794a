//! Module-wide state without `std`'s `thread_local!`: a value made on first use and kept for
//! the life of the instance.

use core::cell::LazyCell;

// Sound only because a wasm instance without shared memory is single-threaded.
#[cfg(target_feature = "atomics")]
compile_error!("`Global` assumes a single-threaded wasm instance (no atomics)");

/// A lazily made, never dropped value shared by everything in the module instance.
pub struct Global<T>(LazyCell<T>);

// SAFETY: without the atomics feature a wasm instance has exactly one thread, so no value is
// ever reached from two threads; JS values are only valid on that thread anyway.
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    /// The value `init` makes when first needed.
    pub const fn new(init: fn() -> T) -> Self {
        Global(LazyCell::new(init))
    }

    /// Runs `f` with the value, making it first if needed.
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        f(LazyCell::force(&self.0))
    }
}

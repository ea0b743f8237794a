//! What `std`'s prelude would give, from `alloc`, so every module builds with and without `std`.

pub use alloc::borrow::ToOwned;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;

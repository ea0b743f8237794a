//! The sans-IO core of the client: requests as data, the Errors envelope, the retry policy.
//! Pure Rust, no JS: `transport/fetch.rs` does the I/O.

pub mod envelope;
pub mod request;
pub mod retry;

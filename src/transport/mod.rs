//! The network: `fetch.rs` is the only place that calls `fetch`.

pub mod fetch;

//! The sandbox's checks of outside input, as a library so that `fuzz/` can reach them: the
//! gateway's OAuth 1.0a parsing and verification, the JWE pre-checks and decryption, and the
//! strict JSON reader both use. The
//! server itself is the `points-sandbox` binary (`main.rs`).

pub mod gateway;
pub mod jwe;
pub mod strict_json;

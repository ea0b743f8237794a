//! The crypto primitives: WebCrypto everywhere, Node's synchronous crypto in Node.

pub mod backend;
#[cfg(feature = "node")]
pub mod node;
pub mod webcrypto;

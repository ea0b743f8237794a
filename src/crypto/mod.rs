//! The crypto primitives: WebCrypto everywhere, Node's synchronous crypto in Node.

pub mod backend;
pub mod node;
pub mod webcrypto;

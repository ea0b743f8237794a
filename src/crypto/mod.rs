//! The crypto primitives, all from the runtime's WebCrypto.

pub mod webcrypto;

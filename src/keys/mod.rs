//! Keys: recognising the containers they come in (pure), importing them into WebCrypto (wasm).

pub mod der;
pub mod material;
pub mod pem;
pub mod secret;

#[cfg(target_arch = "wasm32")]
pub mod import;

//! Keys: recognising the containers they come in (pure), importing them into WebCrypto (wasm).

pub mod der;
pub mod material;
#[cfg(feature = "pkcs12")]
mod pbe;
pub mod pem;
#[cfg(feature = "pkcs12")]
pub mod pkcs12;
pub mod secret;

#[cfg(target_arch = "wasm32")]
pub mod import;

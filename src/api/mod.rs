//! The exported JS functions, one per file, and the TypeScript they are described with.

pub mod decrypt_payload;
pub mod encrypt_payload;
pub mod import_decryption_key;
pub mod key_fingerprint;
#[cfg(feature = "pkcs12")]
pub mod pkcs12_to_pem;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const KEY_TYPES_TS: &'static str = include_str!("../js/keys.d.ts");

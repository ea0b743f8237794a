//! Bindings to Node's synchronous `node:crypto` (see `js/node-crypto.js` for why). Only
//! `backend.rs` uses them, and only when `available()` says the runtime is Node.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use web_sys::CryptoKey;

#[wasm_bindgen(module = "/src/js/node-crypto.js")]
extern "C" {
    /// True in Node (20.16+, with `process.getBuiltinModule`), false in every other runtime.
    #[wasm_bindgen(js_name = nodeCryptoAvailable)]
    pub fn available() -> bool;
    /// RSA-OAEP SHA-256 encryption with a public `CryptoKey`.
    #[wasm_bindgen(js_name = nodeOaepEncrypt, catch)]
    pub fn oaep_encrypt(key: &CryptoKey, data: &Uint8Array) -> Result<Uint8Array, JsValue>;
    /// RSA-OAEP SHA-256 decryption with a private `CryptoKey`.
    #[wasm_bindgen(js_name = nodeOaepDecrypt, catch)]
    pub fn oaep_decrypt(key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, JsValue>;
    /// AES-GCM encryption: ciphertext followed by the tag.
    #[wasm_bindgen(js_name = nodeGcmEncrypt, catch)]
    pub fn gcm_encrypt(
        key: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        plaintext: &Uint8Array,
    ) -> Result<Uint8Array, JsValue>;
    /// AES-GCM decryption; throws when the tag does not verify.
    #[wasm_bindgen(js_name = nodeGcmDecrypt, catch)]
    pub fn gcm_decrypt(
        key: &[u8],
        iv: &[u8],
        aad: &[u8],
        ciphertext: &Uint8Array,
        tag: &[u8],
    ) -> Result<Uint8Array, JsValue>;
    /// AES-CBC decryption with PKCS#7 padding removed.
    #[wasm_bindgen(js_name = nodeCbcDecrypt, catch)]
    pub fn cbc_decrypt(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Uint8Array, JsValue>;
    /// HMAC-SHA-256.
    #[wasm_bindgen(js_name = nodeHmacSha256, catch)]
    pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<Vec<u8>, JsValue>;
}

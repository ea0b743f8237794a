//! Bindings to Node's synchronous `node:crypto` (see `js/crypto.js` for why). Used by
//! `jwe/backend.rs` (the JWE primitives) and `text.rs` (base64url), and only when `available()`
//! says the runtime is Node.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use web_sys::CryptoKey;

#[wasm_bindgen(module = "/src/js/crypto.js")]
extern "C" {
    /// True in Node (20.16+, with `process.getBuiltinModule`), false in every other runtime.
    #[wasm_bindgen(js_name = nodeCryptoAvailable)]
    pub fn available() -> bool;
    /// RSA-OAEP SHA-256 encryption with a public `CryptoKey`.
    #[wasm_bindgen(js_name = nodeOaepEncrypt, catch)]
    pub fn oaep_encrypt(key: &CryptoKey, data: &Uint8Array) -> Result<Uint8Array, JsValue>;
    /// AES-GCM encryption: ciphertext followed by the tag.
    #[wasm_bindgen(js_name = nodeGcmEncrypt, catch)]
    pub fn gcm_encrypt(
        key: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        plaintext: &Uint8Array,
    ) -> Result<Uint8Array, JsValue>;
    /// Opens a JWE's content in one call, so the CEK never leaves it: RSA-OAEP SHA-256 unwrap,
    /// then AES-GCM, or A128CBC-HS256 (HMAC checked in constant time before decrypting); the
    /// CEK is wiped before it returns. `null` for a CEK of the wrong length or a tag that did
    /// not verify; throws for what OpenSSL refused.
    #[wasm_bindgen(js_name = nodeOpen, catch)]
    pub fn open(
        key: &CryptoKey,
        enc: &str,
        cek_bytes: usize,
        encrypted_key: &Uint8Array,
        iv: &Uint8Array,
        aad: &[u8],
        sealed: &Uint8Array,
    ) -> Result<Option<Uint8Array>, JsValue>;
    /// Base64url without padding of bytes in JS (`Buffer`).
    #[wasm_bindgen(js_name = nodeBase64url)]
    pub fn base64url(bytes: &Uint8Array) -> js_sys::JsString;
}

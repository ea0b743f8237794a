//! `keyFingerprint`: the `kid` Mastercard expects for a certificate or public key.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::failure::JsResult;
use crate::keys::import::fingerprint;
use crate::promise::promise;

/// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo of a certificate or public key: the
/// `kid` Mastercard's libraries put in JWE headers (64 characters).
#[wasm_bindgen(js_name = keyFingerprint, unchecked_return_type = "Promise<string>")]
pub fn key_fingerprint(
    #[wasm_bindgen(unchecked_param_type = "PublicKeyInput")] key: JsValue,
) -> Promise {
    promise(run(key))
}

/// The work of `keyFingerprint`.
async fn run(key: JsValue) -> JsResult<JsValue> {
    fingerprint(&key).await.map(JsValue::from)
}

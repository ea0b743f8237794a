//! `keyFingerprint`: the `kid` Mastercard expects for a certificate or public key.

use wasm_bindgen::prelude::*;

use crate::keys::import::fingerprint;

/// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo of a certificate or public key: the
/// `kid` Mastercard's libraries put in JWE headers (64 characters).
#[wasm_bindgen(js_name = keyFingerprint, unchecked_return_type = "string")]
pub async fn key_fingerprint(
    #[wasm_bindgen(unchecked_param_type = "PublicKeyInput")] key: JsValue,
) -> Result<JsValue, JsValue> {
    fingerprint(&key)
        .await
        .map(JsValue::from)
        .map_err(JsValue::from)
}

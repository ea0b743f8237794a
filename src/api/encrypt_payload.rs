//! `encryptPayload`: a JSON value to a compact JWE.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::jwe::encrypt::encrypt;
use crate::jwe::encryption_key::encryption_key;
use crate::promise::promise;
use crate::text::json_bytes;

/// Serializes `value` as JSON and encrypts it to a compact JWE (`RSA-OAEP-256` + `A256GCM`)
/// for Mastercard's encryption key, exactly as Mastercard's libraries do.
///
/// Keys given as text are imported once and reused across calls.
/// Rejects with `PointsValidationError` (`field: "value"`) for a value JSON cannot represent,
/// `PointsConfigError` or `PointsKeyError` for a bad key option.
#[wasm_bindgen(js_name = encryptPayload, unchecked_return_type = "Promise<string>")]
pub fn encrypt_payload(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EncryptionKeyOptions")] options: JsValue,
) -> Promise {
    promise(run(value, options))
}

/// The work of `encryptPayload`.
async fn run(value: JsValue, options: JsValue) -> JsResult<js_sys::JsString> {
    let key = encryption_key(&options).await?;
    let not_json = |cause: Option<JsValue>| Failure {
        error: Error::validation("value", "cannot be serialized as JSON"),
        cause,
    };
    let plaintext = json_bytes(&value)
        .map_err(|e| not_json(Some(e)))?
        .ok_or_else(|| not_json(None))?;
    let jwe = encrypt(&key, &plaintext).await;
    plaintext.fill(0, 0, plaintext.length());
    jwe
}

//! `importDecryptionKey`: import the client's private key once, reuse it on every call.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::failure::JsResult;
use crate::keys::import::decryption_key;
use crate::promise::promise;

/// Imports the client's private decryption key (PKCS#8 or PKCS#1 PEM or DER, or a JWK) as a
/// non-extractable RSA-OAEP SHA-256 `CryptoKey`. Pass the result as `decryptionKey` to skip the
/// import on every call. Rejects with `PointsKeyError` for anything that is not an RSA private
/// key of 2048 to 8192 bits.
#[wasm_bindgen(js_name = importDecryptionKey, unchecked_return_type = "Promise<CryptoKey>")]
pub fn import_decryption_key(
    #[wasm_bindgen(unchecked_param_type = "PrivateKeyInput")] key: JsValue,
) -> Promise {
    promise(run(key))
}

/// The work of `importDecryptionKey`.
async fn run(key: JsValue) -> JsResult<JsValue> {
    decryption_key(&key).await.map(JsValue::from)
}

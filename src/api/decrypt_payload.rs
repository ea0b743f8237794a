//! `decryptPayload`: a compact JWE back to its JSON value.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::Error;
use crate::failure::JsResult;
use crate::interop::prop;
use crate::jwe::decrypt::decrypt;
use crate::keys::import::decryption_keys;
use crate::promise::promise;
use crate::text::json_or_text;

/// Decrypts a compact JWE with the client's private key and parses the plaintext as JSON; a
/// plaintext that is not JSON comes back as a string. `decryptionKey` may be an array of keys
/// (a rotation): the one whose fingerprint is the JWE's `kid` opens it, else each in turn.
///
/// Accepts `A128GCM`, `A192GCM`, `A256GCM` and `A128CBC-HS256` (its HMAC verified) under
/// `RSA-OAEP-256` only. Rejects with `JweError` (`ERR_JWE_INVALID`, `ERR_JWE_UNSUPPORTED`,
/// `ERR_JWE_DECRYPTION_FAILED`) or `PointsKeyError`.
#[wasm_bindgen(js_name = decryptPayload, unchecked_return_type = "Promise<unknown>")]
pub fn decrypt_payload(
    #[wasm_bindgen(unchecked_param_type = "string")] jwe: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecryptionKeyOptions")] options: JsValue,
) -> Promise {
    promise(run(jwe, options))
}

/// The work of `decryptPayload`.
async fn run(jwe: JsValue, options: JsValue) -> JsResult<JsValue> {
    let not_string = || Error::jwe_invalid("the JWE must be a string");
    let jwe_js: js_sys::JsString = jwe.dyn_into().map_err(|_| not_string())?;
    if !options.is_object() {
        return Err(
            Error::config("decryption options must be an object with `decryptionKey`").into(),
        );
    }
    let given = prop(&options, "decryptionKey");
    if given.is_undefined() || given.is_null() {
        return Err(Error::JweNoKey.into());
    }
    let keys = decryption_keys(&given).await?;
    let plaintext = decrypt(&keys, &jwe_js).await?;
    let value = json_or_text(&plaintext);
    plaintext.fill(0, 0, plaintext.length());
    Ok(value)
}

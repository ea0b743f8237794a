//! JWE encryption: `RSA-OAEP-256` + `A256GCM`, fresh CEK and 96-bit IV per message.

use js_sys::{JsString, Uint8Array};

use super::algorithms::TAG_LEN;
use super::backend::Backend;
use super::encryption_key::EncryptionKey;
use crate::crypto::webcrypto::WebCrypto;
use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::interop::intern;
use crate::text::base64url;

/// Bytes of the A256GCM content encryption key.
const CEK_LEN: u32 = 32;
/// Bytes of the GCM IV: the RFC's 96 bits, which every JOSE library accepts.
const IV_LEN: u32 = 12;

/// Encrypts `plaintext` (UTF-8 bytes, left in JS) to a compact JWE for `key`. The CEK, IV and
/// every output segment are made and encoded in JS: no per-message secret enters wasm memory.
pub async fn encrypt(key: &EncryptionKey, plaintext: &Uint8Array) -> JsResult<JsString> {
    let rng = |e| {
        Failure::caused(
            Error::config("the runtime's random number generator failed"),
            e,
        )
    };
    // getRandomValues is synchronous and present in every runtime, Node included.
    let wc = WebCrypto::get()?;
    let cek = wc.random(CEK_LEN).map_err(rng)?;
    let iv = wc.random(IV_LEN).map_err(rng)?;
    let sealed = Backend::get()?
        .seal(&key.key, &cek, &iv, &key.aad, plaintext)
        .await;
    cek.fill(0, 0, CEK_LEN);
    let (encrypted_key, sealed) = sealed
        .map_err(|e| Failure::caused(Error::key("encryption with the public key failed"), e))?;
    let len = sealed.length();
    let split = len
        .checked_sub(TAG_LEN as u32)
        .ok_or_else(|| Error::key("AES-GCM returned no tag"))?;
    let dot = intern(".");
    Ok(key
        .protected
        .concat(&dot)
        .concat(&base64url(&encrypted_key))
        .concat(&dot)
        .concat(&base64url(&iv))
        .concat(&dot)
        .concat(&base64url(&sealed.subarray(0, split)))
        .concat(&dot)
        .concat(&base64url(&sealed.subarray(split, len))))
}

//! JWE encryption: `RSA-OAEP-256` + `A256GCM`, fresh CEK and 96-bit IV per message.

use js_sys::{JsString, Uint8Array};

use super::algorithms::TAG_LEN;
use super::compact;
use crate::base64::encode_url;
use crate::crypto::backend::Backend;
use crate::crypto::webcrypto::WebCrypto;
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::keys::import::EncryptionKey;
use crate::keys::secret::Secret;
use crate::text::base64url;

/// Bytes of the A256GCM content encryption key.
const CEK_LEN: usize = 32;
/// Bytes of the GCM IV: the RFC's 96 bits, which every JOSE library accepts.
const IV_LEN: usize = 12;

/// Encrypts `plaintext` (UTF-8 bytes, left in JS) to a compact JWE for `key`.
pub async fn encrypt(key: &EncryptionKey, plaintext: &Uint8Array) -> JsResult<JsString> {
    let rng = |e| {
        Failure::caused(
            Error::config("the runtime's random number generator failed"),
            e,
        )
    };
    // getRandomValues is synchronous and present in every runtime, Node included.
    let wc = WebCrypto::get()?;
    let cek = Secret::new(wc.random(CEK_LEN).map_err(rng)?);
    let iv = wc.random(IV_LEN).map_err(rng)?;
    let protected = compact::protected_segment(&key.kid);
    let (encrypted_key, sealed) = Backend::get()?
        .seal(&key.key, cek.expose(), &iv, protected.as_bytes(), plaintext)
        .await
        .map_err(|e| Failure::caused(Error::key("encryption with the public key failed"), e))?;
    drop(cek);
    let len = sealed.length();
    let split = len
        .checked_sub(TAG_LEN as u32)
        .ok_or_else(|| Error::key("AES-GCM returned no tag"))?;
    let tag = sealed.subarray(split, len).to_vec();
    // The ciphertext is encoded where it is, in JS; the short segments here.
    let head = JsString::from(compact::prefix(&protected, &encrypted_key, &iv));
    let tail = JsString::from(format!(".{}", encode_url(&tag)));
    Ok(head
        .concat(&base64url(&sealed.subarray(0, split)))
        .concat(&tail))
}

//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{Array, JsString, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::algorithms::ContentEncryption;
use super::cbc_hmac;
use super::compact;
use crate::base64::decode_lenient;
use crate::crypto::backend::Backend;
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::text::{strict_native_base64url, string_from_js};

/// Decrypts a compact JWE with the client's private key. Every cryptographic failure is the same
/// [`Error::JweDecryptionFailed`]; structural problems are found before any crypto runs. The
/// JWE is split in JS and only its four short segments enter wasm; the ciphertext and the
/// plaintext stay in JS.
pub async fn decrypt(private: &CryptoKey, jwe: &JsString) -> JsResult<Uint8Array> {
    let parts: Array = jwe.split(".");
    compact::check_shape(jwe.length() as usize, parts.length() as usize)?;
    let part = |i: u32| -> JsString { parts.get(i).unchecked_into() };
    let (protected, encrypted_key, iv, tag) = (
        string_from_js(&part(0)),
        string_from_js(&part(1)),
        string_from_js(&part(2)),
        string_from_js(&part(4)),
    );
    let c = compact::head(&protected, &encrypted_key, &iv, &tag)?;
    let ciphertext = ciphertext_in_js(c.enc, &part(3))?;
    let backend = Backend::get()?;
    let failed = |e| Failure::caused(Error::JweDecryptionFailed, e);
    let aad = c.protected.as_bytes();
    let plaintext = match c.enc {
        ContentEncryption::A128Gcm | ContentEncryption::A192Gcm | ContentEncryption::A256Gcm => {
            backend
                .open_gcm(
                    private,
                    c.enc,
                    &c.encrypted_key,
                    &c.iv,
                    aad,
                    &ciphertext,
                    &c.tag,
                )
                .await
                .map_err(failed)?
                .ok_or(Error::JweDecryptionFailed)?
        }
        ContentEncryption::A128CbcHs256 => {
            // The MAC covers the ciphertext, so it is needed here anyway.
            let ciphertext = ciphertext.to_vec();
            let cek = backend
                .unwrap_cek(private, &c.encrypted_key)
                .await
                .map_err(failed)?;
            let (mac_key, enc_key) =
                cbc_hmac::split_key(cek.expose()).ok_or(Error::JweDecryptionFailed)?;
            let mac = backend
                .hmac_sha256(mac_key, &cbc_hmac::mac_input(aad, &c.iv, &ciphertext))
                .await
                .map_err(failed)?;
            // Authenticate before decrypting: no padding oracle.
            if !cbc_hmac::tag_matches(&mac, &c.tag) {
                return Err(Error::JweDecryptionFailed.into());
            }
            backend
                .cbc_decrypt(enc_key, &c.iv, &ciphertext)
                .await
                .map_err(failed)?
        }
    };
    Ok(plaintext)
}

/// The ciphertext segment decoded into a JS byte array: by the runtime's strict native decoder
/// where there is one and the segment is plain base64url, else by ours (mixed alphabets, or to
/// say exactly what is wrong).
fn ciphertext_in_js(enc: ContentEncryption, segment: &JsString) -> JsResult<Uint8Array> {
    if let Some(bytes) = strict_native_base64url(segment) {
        compact::check_ciphertext_len(enc, bytes.length() as usize)?;
        return Ok(bytes);
    }
    let text = string_from_js(segment);
    compact::ciphertext(enc, &text)?;
    let bytes = decode_lenient(&text)
        .map_err(|_| Error::jwe_invalid("the ciphertext is not valid base64url"))?;
    Ok(Uint8Array::from(bytes.as_slice()))
}

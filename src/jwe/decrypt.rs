//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{Array, JsString, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::algorithms::{ContentEncryption, TAG_LEN};
use super::cbc_hmac;
use super::compact;
use crate::base64::decode_lenient;
use crate::crypto::backend::Backend;
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::text::{native_base64url_groups_into, string_from_js};

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
    let sealed = sealed_in_js(c.enc, &part(3), &c.tag)?;
    let backend = Backend::get()?;
    let failed = |e| Failure::caused(Error::JweDecryptionFailed, e);
    let aad = c.protected.as_bytes();
    let plaintext = match c.enc {
        ContentEncryption::A128Gcm | ContentEncryption::A192Gcm | ContentEncryption::A256Gcm => {
            backend
                .open_gcm(private, c.enc, &c.encrypted_key, &c.iv, aad, &sealed)
                .await
                .map_err(failed)?
                .ok_or(Error::JweDecryptionFailed)?
        }
        ContentEncryption::A128CbcHs256 => {
            // The MAC covers the ciphertext, so it is needed here anyway.
            let ciphertext = sealed
                .subarray(0, sealed.length() - TAG_LEN as u32)
                .to_vec();
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

/// The ciphertext segment decoded, followed by the tag, in one JS array (as WebCrypto takes
/// them). The whole 4-character groups are decoded by the runtime straight into that array
/// where it can; the last 2 or 3 characters, whose spare bits must be zero, here. Anything
/// unusual (mixed alphabets, an error to report) takes the Rust decoder for the whole segment.
fn sealed_in_js(enc: ContentEncryption, segment: &JsString, tag: &[u8]) -> JsResult<Uint8Array> {
    let n = segment.length();
    let body = n / 4 * 4;
    if n % 4 != 1 {
        let groups = body / 4 * 3;
        let tail = segment.slice(body, n).as_string().unwrap_or_default();
        if let Ok(tail) = decode_lenient(&tail) {
            let ct_len = groups + tail.len() as u32;
            compact::check_ciphertext_len(enc, ct_len as usize)?;
            let sealed = Uint8Array::new_with_length(ct_len + TAG_LEN as u32);
            if native_base64url_groups_into(&sealed, segment, body) {
                sealed.set(&Uint8Array::from(tail.as_slice()), groups);
                sealed.set(&Uint8Array::from(tag), ct_len);
                return Ok(sealed);
            }
        }
    }
    let text = string_from_js(segment);
    compact::ciphertext(enc, &text)?;
    let mut bytes = decode_lenient(&text)
        .map_err(|_| Error::jwe_invalid("the ciphertext is not valid base64url"))?;
    bytes.extend_from_slice(tag);
    Ok(Uint8Array::from(bytes.as_slice()))
}

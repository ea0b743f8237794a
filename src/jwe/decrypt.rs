//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{JsString, Uint8Array};
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
    let parts = split(jwe)?;
    let part = |i: usize| -> JsString { parts[i].clone() };
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

/// The five segments, found by position: the length is checked first and the dots are
/// counted without splitting, so a huge string of dots costs one scan and no allocation.
fn split(jwe: &JsString) -> JsResult<[JsString; 5]> {
    let len = jwe.length();
    compact::check_shape(len as usize, 5)?;
    let mut dots = [0u32; 4];
    let mut from = 0i32;
    for (found, dot) in dots.iter_mut().enumerate() {
        let at = jwe.index_of(".", from);
        if at < 0 {
            return Err(compact::wrong_parts(found + 1).into());
        }
        *dot = at as u32;
        from = at + 1;
    }
    if jwe.index_of(".", from) >= 0 {
        return Err(compact::wrong_parts(6).into());
    }
    let [a, b, c, d] = dots;
    Ok([
        jwe.slice(0, a),
        jwe.slice(a + 1, b),
        jwe.slice(b + 1, c),
        jwe.slice(c + 1, d),
        jwe.slice(d + 1, len),
    ])
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

//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{JsString, Uint8Array};
use web_sys::CryptoKey;

use super::algorithms::{ContentEncryption, TAG_LEN};
use super::compact;
use crate::base64::decode_lenient;
use crate::crypto::backend::{Backend, Sealed};
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::text::native_base64url_groups_into;

/// Decrypts a compact JWE with the client's private key. Every cryptographic failure is the same
/// [`Error::JweDecryptionFailed`]; structural problems are found before any crypto runs. The
/// JWE is split in JS and only its four short segments enter wasm; the ciphertext and the
/// plaintext stay in JS.
pub async fn decrypt(private: &CryptoKey, jwe: &JsString) -> JsResult<Uint8Array> {
    let parts = split(jwe)?;
    // The four short segments are measured before they are copied into wasm: a JWE under the
    // overall cap can still put megabytes in one of them.
    let short = |i: usize, max: usize| -> JsResult<String> {
        if parts[i].length() as usize > max {
            return Err(
                Error::jwe_invalid("a JWE segment is longer than its content allows").into(),
            );
        }
        Ok(String::from(&parts[i]))
    };
    let (protected, encrypted_key, iv, tag) = (
        short(0, compact::MAX_HEADER_LEN)?,
        short(1, compact::MAX_ENCRYPTED_KEY_LEN * 2)?,
        short(2, 64)?,
        short(4, 64)?,
    );
    let part = |i: usize| -> JsString { parts[i].clone() };
    let c = compact::head(&protected, &encrypted_key, &iv, &tag)?;
    let sealed = sealed_in_js(c.enc, &part(3), &c.tag)?;
    let backend = Backend::get()?;
    let sealed = Sealed {
        enc: c.enc,
        encrypted_key: &c.encrypted_key,
        iv: &c.iv,
        aad: c.protected.as_bytes(),
        sealed: &sealed,
    };
    backend
        .open(private, &sealed)
        .await
        .map_err(|e| Failure::caused(Error::JweDecryptionFailed, e))?
        .ok_or_else(|| Error::JweDecryptionFailed.into())
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
    let mut bytes = compact::ciphertext(enc, &String::from(segment))?;
    bytes.extend_from_slice(tag);
    Ok(Uint8Array::from(bytes.as_slice()))
}

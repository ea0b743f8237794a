//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::JsCast;

use super::algorithms::TAG_LEN;
use super::backend::{Backend, Sealed};
use super::compact;
use crate::base64::{decode_lenient, DecodeError};
use crate::crypto::webcrypto::from_base64url;
use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::format::join;
use crate::keys::import::DecryptionKey;

/// Decrypts a compact JWE with one of the client's private keys: the one whose fingerprint is
/// the header's `kid`, else (no `kid`, or one that names none of them) each in the caller's
/// order, so a rotation has no window where a response to the new key or the old one fails.
/// Every cryptographic failure is the same [`Error::JweDecryptionFailed`]; structural problems
/// are found before any crypto runs. The JWE is split in JS; only the protected header enters
/// wasm (to be checked), the other segments are decoded by the runtime into JS arrays where it
/// can, and the plaintext stays in JS.
pub async fn decrypt(keys: &[DecryptionKey], jwe: &JsString) -> JsResult<Uint8Array> {
    let parts = split(jwe)?;
    // Measured before anything is decoded or copied: a JWE under the overall cap can still
    // put megabytes in one short segment.
    let short = |i: usize, max: u32| -> JsResult<&JsString> {
        if parts[i].length() > max {
            return Err(
                Error::jwe_invalid("a JWE segment is longer than its content allows").into(),
            );
        }
        Ok(&parts[i])
    };
    let protected = String::from(short(0, compact::MAX_HEADER_LEN as u32)?);
    let header = compact::protected(&protected)?;
    let enc = header.enc;
    let invalid = |name: &str| Error::jwe_invalid(join(&["the ", name, " is not valid base64url"]));
    let encrypted_key = decode_in_js(short(1, 2 * compact::MAX_ENCRYPTED_KEY_LEN as u32)?, 0)
        .map_err(|_| invalid("encrypted key"))?;
    let iv = decode_in_js(short(2, 64)?, 0).map_err(|_| invalid("initialization vector"))?;
    let tag = decode_in_js(short(4, 64)?, 0).map_err(|_| invalid("authentication tag"))?;
    compact::check_lengths(
        enc,
        encrypted_key.length() as usize,
        iv.length() as usize,
        tag.length() as usize,
    )?;
    // Ciphertext and tag in one array, as WebCrypto takes them.
    let sealed = decode_in_js(&parts[3], TAG_LEN as u32).map_err(|_| invalid("ciphertext"))?;
    let ct_len = sealed.length() - TAG_LEN as u32;
    compact::check_ciphertext_len(enc, ct_len as usize)?;
    sealed.set(&tag, ct_len);
    let sealed = Sealed {
        enc,
        encrypted_key: &encrypted_key,
        iv: &iv,
        aad: protected.as_bytes(),
        sealed: &sealed,
    };
    let backend = Backend::get()?;
    // When the kid names a key, only that key and those whose fingerprint is unknown (a
    // `CryptoKey`) are tried; otherwise every key, in the caller's order.
    let named = |k: &DecryptionKey| header.kid.is_some() && k.kid == header.kid;
    let by_kid = keys.iter().any(named);
    let mut failure: Failure = Error::JweDecryptionFailed.into();
    for key in keys
        .iter()
        .filter(|k| !by_kid || named(k) || k.kid.is_none())
    {
        match backend.open(&key.key, &sealed).await {
            Ok(Some(plaintext)) => return Ok(plaintext),
            Ok(None) => {}
            Err(e) => failure = Failure::caused(Error::JweDecryptionFailed, e),
        }
    }
    Err(failure)
}

/// The five segments. The length is checked first, and the split stops at a sixth part, so a
/// huge string of dots costs one bounded scan.
fn split(jwe: &JsString) -> JsResult<[JsString; 5]> {
    compact::check_shape(jwe.length() as usize, 5)?;
    let parts = jwe.split_limit(".", 6);
    compact::check_shape(jwe.length() as usize, parts.length() as usize)?;
    let part = |i: u32| -> JsString { parts.get(i).unchecked_into() };
    Ok([part(0), part(1), part(2), part(3), part(4)])
}

/// A segment decoded into a new JS array, followed by `room` zero bytes: by the runtime's
/// native decoder when it is plain base64url (one call), else by the Rust decoder, which is
/// lenient exactly where Mastercard's libraries need it (both alphabets, optional padding) and
/// strict everywhere else. Text with characters outside both alphabets is refused in JS,
/// before any copy into wasm.
fn decode_in_js(segment: &JsString, room: u32) -> Result<Uint8Array, DecodeError> {
    let native = from_base64url(segment, room);
    if native.as_bool() == Some(false) {
        return Err(DecodeError);
    }
    if let Ok(bytes) = native.dyn_into::<Uint8Array>() {
        return Ok(bytes);
    }
    let bytes = decode_lenient(&String::from(segment))?;
    let out = Uint8Array::new_with_length(bytes.len() as u32 + room);
    out.subarray(0, bytes.len() as u32).copy_from(&bytes);
    Ok(out)
}

//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use js_sys::{JsString, Uint8Array};
use web_sys::CryptoKey;

use super::algorithms::ContentEncryption;
use super::cbc_hmac;
use super::compact::{self, Compact};
use crate::crypto::backend::Backend;
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::text::native_base64url_decode;

/// Decrypts a compact JWE with the client's private key. Every cryptographic failure is the same
/// [`Error::JweDecryptionFailed`]; structural problems are found before any crypto runs. The
/// plaintext is returned as a JS byte array: it never sits in wasm memory.
pub async fn decrypt(private: &CryptoKey, jwe_js: &JsString, jwe: &str) -> JsResult<Uint8Array> {
    let c = compact::parse(jwe)?;
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
                    &ciphertext_in_js(jwe_js, &c),
                    &c.tag,
                )
                .await
                .map_err(failed)?
                .ok_or(Error::JweDecryptionFailed)?
        }
        ContentEncryption::A128CbcHs256 => {
            // The MAC covers the ciphertext, so it is needed here anyway.
            let ciphertext = c.ciphertext_bytes();
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

/// The ciphertext as a JS byte array: decoded by the runtime straight from the JWE's JS string
/// when it is plain base64url and the runtime can, else decoded here.
fn ciphertext_in_js(jwe_js: &JsString, c: &Compact<'_>) -> Uint8Array {
    if c.ciphertext_info.url_safe {
        let start = c.ciphertext_offset as u32;
        let segment = jwe_js.slice(start, start + c.ciphertext.len() as u32);
        if let Some(bytes) = native_base64url_decode(&segment) {
            if bytes.length() as usize == c.ciphertext_info.len {
                return bytes;
            }
        }
    }
    Uint8Array::from(c.ciphertext_bytes().as_slice())
}

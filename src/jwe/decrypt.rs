//! JWE decryption: `RSA-OAEP-256` key management, any of the four content encryptions.

use web_sys::CryptoKey;

use super::algorithms::ContentEncryption;
use super::{cbc_hmac, compact, soft_gcm};
use crate::crypto::webcrypto::WebCrypto;
use crate::error::Error;
use crate::js_error::{Failure, JsResult};
use crate::keys::secret::Secret;

/// Decrypts a compact JWE with the client's private key. Every cryptographic failure is the same
/// [`Error::JweDecryptionFailed`]; structural problems are found before any crypto runs.
pub async fn decrypt(private: &CryptoKey, jwe: &str) -> JsResult<Secret> {
    let c = compact::parse(jwe)?;
    let wc = WebCrypto::get()?;
    let failed = |e| Failure::caused(Error::JweDecryptionFailed, e);
    let cek = Secret::new(
        wc.rsa_oaep_decrypt(private, &c.encrypted_key)
            .await
            .map_err(failed)?,
    );
    if cek.expose().len() != c.enc.cek_len() {
        return Err(Error::JweDecryptionFailed.into());
    }
    let aad = c.protected.as_bytes();
    let plaintext = match c.enc {
        ContentEncryption::A128Gcm | ContentEncryption::A256Gcm => {
            let key = wc
                .import_aes("AES-GCM", cek.expose(), "decrypt")
                .await
                .map_err(failed)?;
            let mut sealed = c.ciphertext;
            sealed.extend_from_slice(&c.tag);
            wc.aes_gcm_decrypt(&key, &c.iv, aad, &sealed)
                .await
                .map_err(failed)?
        }
        ContentEncryption::A192Gcm => {
            soft_gcm::decrypt_a192gcm(cek.expose(), &c.iv, aad, &c.ciphertext, &c.tag)?
        }
        ContentEncryption::A128CbcHs256 => {
            let (mac_key, enc_key) =
                cbc_hmac::split_key(cek.expose()).ok_or(Error::JweDecryptionFailed)?;
            let mac = wc
                .hmac_sha256(mac_key, &cbc_hmac::mac_input(aad, &c.iv, &c.ciphertext))
                .await
                .map_err(failed)?;
            // Authenticate before decrypting: no padding oracle.
            if !cbc_hmac::tag_matches(&mac, &c.tag) {
                return Err(Error::JweDecryptionFailed.into());
            }
            let key = wc
                .import_aes("AES-CBC", enc_key, "decrypt")
                .await
                .map_err(failed)?;
            wc.aes_cbc_decrypt(&key, &c.iv, &c.ciphertext)
                .await
                .map_err(failed)?
        }
    };
    Ok(Secret::new(plaintext))
}

//! The JWE primitives, from Node's synchronous crypto where the runtime is Node and from
//! WebCrypto everywhere else. Callers see one interface and map failures to their own errors.

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use super::node;
use super::webcrypto::{await_bytes, WebCrypto};
use crate::js_error::JsResult;
use crate::jwe::algorithms::ContentEncryption;
use crate::jwe::soft_gcm;
use crate::keys::secret::wipe;

type Js<T> = Result<T, JsValue>;

/// Where the primitives come from.
pub enum Backend {
    /// Node's `node:crypto`, synchronous.
    Node,
    /// The runtime's WebCrypto.
    Web(WebCrypto),
}

impl Backend {
    /// Node's crypto in Node, WebCrypto elsewhere.
    pub fn get() -> JsResult<Backend> {
        if node::available() {
            Ok(Backend::Node)
        } else {
            WebCrypto::get().map(Backend::Web)
        }
    }

    /// Encrypts the CEK to `public` and the plaintext under the CEK with AES-GCM. Returns the
    /// encrypted key and ciphertext followed by its tag. With WebCrypto both run concurrently.
    pub async fn seal(
        &self,
        public: &CryptoKey,
        cek: &[u8],
        iv: &[u8],
        aad: &[u8],
        plaintext: &Uint8Array,
    ) -> Js<(Vec<u8>, Vec<u8>)> {
        match self {
            Backend::Node => Ok((
                node::oaep_encrypt(public, cek)?,
                node::gcm_encrypt(cek, iv, aad, plaintext)?,
            )),
            Backend::Web(wc) => {
                let aes = wc.import_aes("AES-GCM", cek, "encrypt").await?;
                let wrapped = wc.rsa_oaep_encrypt(public, cek)?;
                let sealed = wc.aes_gcm_encrypt(&aes, iv, aad, plaintext)?;
                Ok((await_bytes(wrapped).await?, await_bytes(sealed).await?))
            }
        }
    }

    /// RSA-OAEP decryption of the CEK.
    pub async fn unwrap_cek(&self, private: &CryptoKey, encrypted_key: &[u8]) -> Js<Vec<u8>> {
        match self {
            Backend::Node => node::oaep_decrypt(private, encrypted_key),
            Backend::Web(wc) => wc.rsa_oaep_decrypt(private, encrypted_key).await,
        }
    }

    /// AES-GCM decryption of any key size. `Ok(None)` is a tag that did not verify where the
    /// failure is ours to report (the software A192GCM path), `Err` a failure from the runtime.
    pub async fn gcm_decrypt(
        &self,
        enc: ContentEncryption,
        cek: &[u8],
        iv: &[u8],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8],
    ) -> Js<Option<Uint8Array>> {
        match self {
            Backend::Node => node::gcm_decrypt(cek, iv, aad, ciphertext, tag).map(Some),
            // Chromium's WebCrypto refuses 192-bit AES keys.
            Backend::Web(_) if enc == ContentEncryption::A192Gcm => {
                Ok(soft_gcm::decrypt_a192gcm(cek, iv, aad, ciphertext, tag)
                    .ok()
                    .map(|mut p| {
                        let out = Uint8Array::from(p.as_slice());
                        wipe(&mut p);
                        out
                    }))
            }
            Backend::Web(wc) => {
                let key = wc.import_aes("AES-GCM", cek, "decrypt").await?;
                let mut sealed = Vec::with_capacity(ciphertext.len() + tag.len());
                sealed.extend_from_slice(ciphertext);
                sealed.extend_from_slice(tag);
                wc.aes_gcm_decrypt(&key, iv, aad, &sealed).await.map(Some)
            }
        }
    }

    /// HMAC-SHA-256.
    pub async fn hmac_sha256(&self, key: &[u8], data: &[u8]) -> Js<Vec<u8>> {
        match self {
            Backend::Node => node::hmac_sha256(key, data),
            Backend::Web(wc) => wc.hmac_sha256(key, data).await,
        }
    }

    /// AES-CBC decryption, padding removed; the plaintext stays in JS.
    pub async fn cbc_decrypt(&self, key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Js<Uint8Array> {
        match self {
            Backend::Node => node::cbc_decrypt(key, iv, ciphertext),
            Backend::Web(wc) => {
                let k = wc.import_aes("AES-CBC", key, "decrypt").await?;
                wc.aes_cbc_decrypt(&k, iv, ciphertext).await
            }
        }
    }
}

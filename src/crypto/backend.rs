//! The JWE primitives, from Node's synchronous crypto where the runtime is Node and from
//! WebCrypto everywhere else. Callers see one interface and map failures to their own errors.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

#[cfg(feature = "node")]
use super::node;
use super::webcrypto::{await_bytes, await_key, AesUse, WebCrypto};
use crate::js_error::JsResult;
use crate::jwe::algorithms::{ContentEncryption, TAG_LEN};
use crate::jwe::soft_gcm;
use crate::keys::secret::{wipe, Secret};
use crate::text::intern;

type Js<T> = Result<T, JsValue>;

/// Where the primitives come from.
pub enum Backend {
    /// Node's `node:crypto`, synchronous.
    #[cfg(feature = "node")]
    Node,
    /// The runtime's WebCrypto.
    Web(WebCrypto),
}

fn allows(key: &CryptoKey, usage: &'static str) -> bool {
    Reflect::get(key, &intern("usages"))
        .ok()
        .and_then(|u| u.dyn_into::<Array>().ok())
        .is_some_and(|u| u.includes(&intern(usage), 0))
}

fn aes_key_bits(key: &CryptoKey) -> Option<f64> {
    let algorithm = Reflect::get(key, &intern("algorithm")).ok()?;
    Reflect::get(&algorithm, &intern("length")).ok()?.as_f64()
}

impl Backend {
    /// Node's crypto in Node, WebCrypto elsewhere.
    pub fn get() -> JsResult<Backend> {
        #[cfg(feature = "node")]
        if node::available() {
            return Ok(Backend::Node);
        }
        WebCrypto::get().map(Backend::Web)
    }

    /// Encrypts the CEK to `public` and the plaintext under the CEK with AES-GCM. Returns the
    /// encrypted key, and ciphertext followed by its tag. Everything stays in JS; with WebCrypto
    /// the two encryptions run concurrently.
    pub async fn seal(
        &self,
        public: &CryptoKey,
        cek: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        plaintext: &Uint8Array,
    ) -> Js<(Uint8Array, Uint8Array)> {
        match self {
            #[cfg(feature = "node")]
            Backend::Node => Ok((
                node::oaep_encrypt(public, cek)?,
                node::gcm_encrypt(cek, iv, aad, plaintext)?,
            )),
            Backend::Web(wc) => {
                // The RSA encryption, the slowest step, starts first and overlaps the import.
                let wrapped = wc.rsa_oaep_encrypt(public, cek)?;
                let aes = await_key(wc.import_aes_js(AesUse::GcmEncrypt, cek)).await?;
                let sealed = wc.aes_gcm_encrypt(&aes, iv, aad, plaintext)?;
                Ok((await_bytes(wrapped).await?, await_bytes(sealed).await?))
            }
        }
    }

    /// RSA-OAEP decryption of the CEK into wasm memory (wiped on drop).
    pub async fn unwrap_cek(&self, private: &CryptoKey, encrypted_key: &[u8]) -> Js<Secret> {
        let cek = match self {
            #[cfg(feature = "node")]
            Backend::Node => node::oaep_decrypt(private, encrypted_key)?,
            Backend::Web(wc) => wc.rsa_oaep_decrypt(private, encrypted_key).await?,
        };
        Ok(Secret::new(cek))
    }

    /// Decrypts the CEK, then `sealed` (ciphertext followed by its 16-byte tag) with AES-GCM;
    /// the plaintext stays in JS. `Ok(None)` is a failure that is ours to report (a CEK of the
    /// wrong length, a tag that did not verify on the software path), `Err` a failure from the
    /// runtime.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_gcm(
        &self,
        private: &CryptoKey,
        enc: ContentEncryption,
        encrypted_key: &[u8],
        iv: &[u8],
        aad: &[u8],
        sealed: &Uint8Array,
    ) -> Js<Option<Uint8Array>> {
        let bits = (enc.cek_len() * 8) as f64;
        match self {
            // Straight into a key in one WebCrypto call: one round trip fewer, and the CEK
            // never enters wasm. Chromium has no 192-bit AES, so A192GCM takes the raw path.
            Backend::Web(wc)
                if enc != ContentEncryption::A192Gcm && allows(private, "unwrapKey") =>
            {
                let key = wc.unwrap_aes_gcm(private, encrypted_key).await?;
                if aes_key_bits(&key) != Some(bits) {
                    return Ok(None);
                }
                wc.aes_gcm_decrypt(&key, iv, aad, sealed).await.map(Some)
            }
            _ => {
                let cek = self.unwrap_cek(private, encrypted_key).await?;
                if cek.expose().len() != enc.cek_len() {
                    return Ok(None);
                }
                let cek = cek.expose();
                // Node's API and the software path take the tag apart from the ciphertext.
                let split = sealed.length().saturating_sub(TAG_LEN as u32);
                let ciphertext = sealed.subarray(0, split);
                let tag = sealed.subarray(split, sealed.length()).to_vec();
                match self {
                    #[cfg(feature = "node")]
                    Backend::Node => node::gcm_decrypt(cek, iv, aad, &ciphertext, &tag).map(Some),
                    Backend::Web(_) if enc == ContentEncryption::A192Gcm => Ok(
                        soft_gcm::decrypt_a192gcm(cek, iv, aad, &ciphertext.to_vec(), &tag)
                            .ok()
                            .map(|mut p| {
                                let out = Uint8Array::from(p.as_slice());
                                wipe(&mut p);
                                out
                            }),
                    ),
                    Backend::Web(wc) => {
                        let key = wc.import_aes(AesUse::GcmDecrypt, cek).await?;
                        wc.aes_gcm_decrypt(&key, iv, aad, sealed).await.map(Some)
                    }
                }
            }
        }
    }

    /// HMAC-SHA-256.
    pub async fn hmac_sha256(&self, key: &[u8], data: &[u8]) -> Js<Vec<u8>> {
        match self {
            #[cfg(feature = "node")]
            Backend::Node => node::hmac_sha256(key, data),
            Backend::Web(wc) => wc.hmac_sha256(key, data).await,
        }
    }

    /// AES-CBC decryption, padding removed; the plaintext stays in JS.
    pub async fn cbc_decrypt(&self, key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Js<Uint8Array> {
        match self {
            #[cfg(feature = "node")]
            Backend::Node => node::cbc_decrypt(key, iv, ciphertext),
            Backend::Web(wc) => {
                let k = wc.import_aes(AesUse::CbcDecrypt, key).await?;
                wc.aes_cbc_decrypt(&k, iv, ciphertext).await
            }
        }
    }
}

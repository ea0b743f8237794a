//! The only file that calls `crypto.subtle`. Reached through `globalThis`, never `window`, so the
//! same module works in browsers, workers, Node and workerd.
//!
//! Functions return the raw JS exception on failure: the caller knows what the failure means
//! (a bad key, a failed decryption) and maps it to the crate's error with the exception as cause.

use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Crypto, CryptoKey, SubtleCrypto};

use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::interop::intern;
use core::cell::OnceCell;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/crypto.js")]
extern "C" {
    /// A fresh copy of a genuine `Uint8Array`'s or `ArrayBuffer`'s bytes; its length (a number)
    /// when over `max`; `null` for anything else.
    #[wasm_bindgen(js_name = copyBytes)]
    pub fn copy_bytes(value: &JsValue, max: u32) -> JsValue;
    /// `{ type, usages, name, hash, modulusLength }` of a genuine `CryptoKey`, or `null`.
    #[wasm_bindgen(js_name = cryptoKeyInfo)]
    pub fn crypto_key_info(key: &JsValue) -> JsValue;
    /// Plain base64url decoded by the runtime, followed by `room` zero bytes; `null` when it is
    /// not plain base64url or the runtime has no native decoder.
    #[wasm_bindgen(js_name = fromBase64url)]
    pub fn from_base64url(text: &js_sys::JsString, room: u32) -> JsValue;
    /// RSA-OAEP of the CEK and AES-GCM of the plaintext in one JS step: `[encryptedKey, sealed]`.
    #[wasm_bindgen(js_name = webSeal, catch)]
    fn web_seal(
        subtle: &SubtleCrypto,
        public: &CryptoKey,
        cek: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        plaintext: &Uint8Array,
    ) -> Result<Promise, JsValue>;
    /// RSA-OAEP of the CEK into a JS buffer, its size checked, imported and wiped, then the
    /// decryption, in one JS step.
    #[wasm_bindgen(js_name = webOpenGcm, catch)]
    fn web_open_gcm(
        subtle: &SubtleCrypto,
        private: &CryptoKey,
        encrypted_key: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        sealed: &Uint8Array,
        bits: u32,
    ) -> Result<Promise, JsValue>;
}

/// `globalThis.crypto` and its `subtle`.
#[derive(Clone)]
pub struct WebCrypto {
    crypto: Crypto,
    subtle: SubtleCrypto,
}

type Js<T> = Result<T, JsValue>;

fn obj(pairs: &[(&'static str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        // Defining a data property on a fresh plain object cannot throw.
        let _ = Reflect::set(&o, &intern(k), v);
    }
    o
}

fn s(v: &'static str) -> JsValue {
    intern(v)
}

fn usages(list: &[&'static str]) -> JsValue {
    list.iter().map(|u| s(u)).collect::<Array>().into()
}

async fn bytes(p: Js<Promise>) -> Js<Vec<u8>> {
    let buf = JsFuture::from(p?).await?;
    let buf: ArrayBuffer = buf.dyn_into()?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Awaits an `ArrayBuffer` and views it without copying it into wasm.
async fn js_bytes(p: Js<Promise>) -> Js<Uint8Array> {
    let buf: ArrayBuffer = JsFuture::from(p?).await?.dyn_into()?;
    Ok(Uint8Array::new(&buf))
}

/// Awaits a promise that resolves to a `CryptoKey`.
pub async fn await_key(p: Js<Promise>) -> Js<CryptoKey> {
    JsFuture::from(p?).await?.dyn_into()
}

// Parameter objects that never change, built once: creating JS strings and objects from
// wasm is a measurable part of a small operation's cost.
thread_local! {
    static RSA_OAEP: Object = obj(&[("name", s("RSA-OAEP"))]);
}
thread_local! {
    static AES_GCM: Object = obj(&[("name", s("AES-GCM"))]);
}
thread_local! {
    static AES_CBC: Object = obj(&[("name", s("AES-CBC"))]);
}
thread_local! {
    static ENCRYPT: JsValue = usages(&["encrypt"]);
}
thread_local! {
    static DECRYPT: JsValue = usages(&["decrypt"]);
}

/// The WebCrypto name of RSA signatures with PKCS#1 v1.5 padding.
const RSASSA: &str = "RSASSA-PKCS1-v1_5";
/// The WebCrypto name of RSA signatures with PSS padding (MGF1 with the key's hash).
const RSA_PSS: &str = "RSA-PSS";
/// PSS salt length in bytes: the digest's length, as Mastercard's signers use it.
const PSS_SALT_LEN: u32 = 32;

/// What a private key is imported for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum KeyPurpose {
    /// RSA-OAEP SHA-256 decryption (and unwrapping) of JWE keys.
    Decrypt,
    /// RSASSA-PKCS1-v1_5 SHA-256 signatures of OAuth base strings.
    Sign,
    /// RSASSA-PSS SHA-256 signatures (MGF1 SHA-256, 32-byte salt) of OAuth base strings.
    SignPss,
}

impl KeyPurpose {
    /// The WebCrypto algorithm name.
    pub fn algorithm(self) -> &'static str {
        match self {
            KeyPurpose::Decrypt => "RSA-OAEP",
            KeyPurpose::Sign => RSASSA,
            KeyPurpose::SignPss => RSA_PSS,
        }
    }

    /// The usage the key must allow.
    pub fn usage(self) -> &'static str {
        match self {
            KeyPurpose::Decrypt => "decrypt",
            KeyPurpose::Sign | KeyPurpose::SignPss => "sign",
        }
    }
}

/// What a one-use AES key is for.
#[derive(Clone, Copy)]
pub enum AesUse {
    /// AES-GCM encryption.
    GcmEncrypt,
    /// AES-GCM decryption.
    GcmDecrypt,
    /// AES-CBC decryption.
    CbcDecrypt,
}

fn rsa_oaep() -> Object {
    RSA_OAEP.with(Object::clone)
}

fn rsa_oaep_sha256() -> Object {
    obj(&[("name", s("RSA-OAEP")), ("hash", s("SHA-256"))])
}

fn aes_gcm(iv: &Uint8Array, aad: &Uint8Array) -> Object {
    obj(&[
        ("name", s("AES-GCM")),
        ("iv", iv.into()),
        ("additionalData", aad.into()),
        ("tagLength", JsValue::from(128)),
    ])
}

impl WebCrypto {
    /// Finds WebCrypto on `globalThis`; a runtime without it (an insecure browser context, an
    /// old Node) gets a configuration error that says what to do.
    pub fn get() -> JsResult<WebCrypto> {
        // Looked up once per instance: the lookup and its instanceof checks cost more than
        // some of the operations that follow.
        thread_local!(static FOUND: OnceCell<WebCrypto> = const { OnceCell::new() });
        if let Some(wc) = FOUND.with(|f| f.get().cloned()) {
            return Ok(wc);
        }
        let wc = Self::find()?;
        FOUND.with(|f| f.set(wc.clone()).ok());
        Ok(wc)
    }

    fn find() -> JsResult<WebCrypto> {
        let missing = || {
            Failure::from(Error::config(
                "WebCrypto (globalThis.crypto.subtle) is not available: serve the page over https or from localhost, or use Node 20.19+",
            ))
        };
        let crypto =
            Reflect::get(&crate::interop::global(), &s("crypto")).map_err(|_| missing())?;
        let crypto: Crypto = crypto.dyn_into().map_err(|_| missing())?;
        let subtle = Reflect::get(&crypto, &s("subtle")).map_err(|_| missing())?;
        let subtle: SubtleCrypto = subtle.dyn_into().map_err(|_| missing())?;
        Ok(WebCrypto { crypto, subtle })
    }

    /// `n` bytes from the runtime's CSPRNG, in a JS array: per-message secrets never enter
    /// wasm memory.
    pub fn random(&self, n: u32) -> Js<Uint8Array> {
        let out = Uint8Array::new_with_length(n);
        self.crypto.get_random_values_with_js_u8_array(&out)?;
        Ok(out)
    }

    /// SHA-256 of `data`.
    pub async fn sha256(&self, data: &[u8]) -> Js<Vec<u8>> {
        bytes(self.subtle.digest_with_str_and_u8_array("SHA-256", data)).await
    }

    /// Starts importing an RSA-OAEP SHA-256 key, non-extractable: public keys may `encrypt`,
    /// private keys `decrypt` (and nothing else).
    fn import_oaep(&self, format: &str, data: &Object) -> Js<Promise> {
        let usages = if format == "spki" {
            ENCRYPT.with(JsValue::clone)
        } else {
            DECRYPT.with(JsValue::clone)
        };
        self.subtle
            .import_key_with_object(format, data, &rsa_oaep_sha256(), false, &usages)
    }

    /// Imports a public key from SPKI DER, for encryption.
    pub async fn import_oaep_public(&self, spki: &[u8]) -> Js<CryptoKey> {
        await_key(self.import_oaep("spki", &Uint8Array::from(spki))).await
    }

    /// Starts importing a private key (PKCS#8 DER or a JWK) for `purpose`, non-extractable.
    fn import_private_js(&self, format: &str, data: &Object, purpose: KeyPurpose) -> Js<Promise> {
        match purpose {
            KeyPurpose::Decrypt => self.import_oaep(format, data),
            KeyPurpose::Sign | KeyPurpose::SignPss => self.subtle.import_key_with_object(
                format,
                data,
                &obj(&[("name", s(purpose.algorithm())), ("hash", s("SHA-256"))]),
                false,
                &usages(&["sign"]),
            ),
        }
    }

    /// Imports a private key from PKCS#8 DER.
    pub async fn import_private(&self, pkcs8: &[u8], purpose: KeyPurpose) -> Js<CryptoKey> {
        let data = Uint8Array::from(pkcs8);
        let p = self.import_private_js("pkcs8", &data, purpose);
        // WebCrypto has taken its own copy: the one we made is ours to clear.
        data.fill(0, 0, data.length());
        await_key(p).await
    }

    /// Imports a private key from a JWK.
    pub async fn import_private_jwk(&self, jwk: &Object, purpose: KeyPurpose) -> Js<CryptoKey> {
        await_key(self.import_private_js("jwk", jwk, purpose)).await
    }

    /// The SHA-256 signature of `data` with a key imported for `purpose` (`Sign` or `SignPss`;
    /// a decryption key signs nothing).
    pub async fn sign(&self, key: &CryptoKey, data: &[u8], purpose: KeyPurpose) -> Js<Vec<u8>> {
        let started = match purpose {
            KeyPurpose::Sign => self.subtle.sign_with_str_and_u8_array(RSASSA, key, data),
            KeyPurpose::SignPss => self.subtle.sign_with_object_and_u8_array(
                &obj(&[("name", s(RSA_PSS)), ("saltLength", PSS_SALT_LEN.into())]),
                key,
                data,
            ),
            KeyPurpose::Decrypt => return Err(JsValue::from_str("a decryption key signs nothing")),
        };
        bytes(started).await
    }

    /// SHA-256 of bytes that stay in JS.
    pub async fn sha256_js(&self, data: &Uint8Array) -> Js<Vec<u8>> {
        bytes(
            self.subtle
                .digest_with_str_and_buffer_source("SHA-256", data.unchecked_ref()),
        )
        .await
    }

    /// Encrypts the CEK to `public` and the plaintext under it (AES-GCM) concurrently: the
    /// encrypted key, and ciphertext followed by its tag.
    pub async fn seal(
        &self,
        public: &CryptoKey,
        cek: &Uint8Array,
        iv: &Uint8Array,
        aad: &Uint8Array,
        plaintext: &Uint8Array,
    ) -> Js<(Uint8Array, Uint8Array)> {
        let both: Array = JsFuture::from(web_seal(&self.subtle, public, cek, iv, aad, plaintext)?)
            .await?
            .dyn_into()?;
        Ok((both.get(0).dyn_into()?, both.get(1).dyn_into()?))
    }

    /// The CEK decrypted (in JS), imported as a one-use AES-GCM key of `bits` and wiped, then
    /// the content decrypted; `None` when the CEK is of another size than `enc` names.
    pub async fn open_gcm(
        &self,
        private: &CryptoKey,
        encrypted_key: &Uint8Array,
        iv: &Uint8Array,
        aad: &[u8],
        sealed: &Uint8Array,
        bits: u32,
    ) -> Js<Option<Uint8Array>> {
        // A JS copy: a view of wasm memory would be detached if the memory grew before the
        // AES step runs (after the RSA step, in a later task).
        let aad = Uint8Array::from(aad);
        let p = web_open_gcm(&self.subtle, private, encrypted_key, iv, &aad, sealed, bits)?;
        let plain = JsFuture::from(p).await?;
        if plain.is_null() {
            return Ok(None);
        }
        plain.dyn_into().map(Some)
    }
    /// Exports a public key as SPKI DER (for its fingerprint).
    pub async fn export_spki(&self, public: &CryptoKey) -> Js<Vec<u8>> {
        bytes(self.subtle.export_key("spki", public)).await
    }

    /// RSA-OAEP decryption of a content encryption key into a JS buffer (never wasm memory):
    /// the caller imports it and wipes it.
    pub async fn rsa_oaep_decrypt_js(
        &self,
        private: &CryptoKey,
        encrypted_key: &Uint8Array,
    ) -> Js<Uint8Array> {
        js_bytes(self.subtle.decrypt_with_object_and_js_u8_array(
            &rsa_oaep(),
            private,
            encrypted_key,
        ))
        .await
    }

    /// A one-use AES key from raw bytes in JS.
    pub fn import_aes_js(&self, what: AesUse, data: &Uint8Array) -> Js<Promise> {
        let (algorithm, usage) = match what {
            AesUse::GcmEncrypt => (&AES_GCM, &ENCRYPT),
            AesUse::GcmDecrypt => (&AES_GCM, &DECRYPT),
            AesUse::CbcDecrypt => (&AES_CBC, &DECRYPT),
        };
        self.subtle.import_key_with_object(
            "raw",
            data,
            &algorithm.with(Object::clone),
            false,
            &usage.with(JsValue::clone),
        )
    }

    /// AES-GCM decryption of ciphertext followed by its tag, the plaintext left in JS; rejects
    /// if the tag does not verify.
    pub async fn aes_gcm_decrypt(
        &self,
        key: &CryptoKey,
        iv: &[u8],
        aad: &[u8],
        sealed: &Uint8Array,
    ) -> Js<Uint8Array> {
        js_bytes(self.subtle.decrypt_with_object_and_js_u8_array(
            &aes_gcm(&Uint8Array::from(iv), &Uint8Array::from(aad)),
            key,
            sealed,
        ))
        .await
    }

    /// AES-CBC decryption with PKCS#7 padding removed, the plaintext left in JS.
    pub async fn aes_cbc_decrypt(
        &self,
        key: &CryptoKey,
        iv: &[u8],
        ciphertext: &[u8],
    ) -> Js<Uint8Array> {
        let params = obj(&[("name", s("AES-CBC")), ("iv", Uint8Array::from(iv).into())]);
        js_bytes(
            self.subtle
                .decrypt_with_object_and_u8_array(&params, key, ciphertext),
        )
        .await
    }

    /// Starts importing an HMAC-SHA-256 key from raw bytes in JS, non-extractable.
    pub fn import_hmac_js(&self, raw: &Uint8Array) -> Js<Promise> {
        let algorithm = obj(&[("name", s("HMAC")), ("hash", s("SHA-256"))]);
        self.subtle
            .import_key_with_object("raw", raw, &algorithm, false, &usages(&["sign"]))
    }

    /// HMAC-SHA-256 of `data`.
    pub async fn hmac_sha256(&self, key: &CryptoKey, data: &[u8]) -> Js<Vec<u8>> {
        bytes(self.subtle.sign_with_str_and_u8_array("HMAC", key, data)).await
    }
}

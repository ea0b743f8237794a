//! The JWE primitives, from Node's synchronous crypto where the runtime is Node and from
//! WebCrypto everywhere else. Callers see one interface and map failures to their own errors.
//!
//! Where a content encryption key (CEK) lives while a JWE is opened:
//! - Node: nowhere but inside one JS call (`nodeOpen`: unwrap, authenticate, decrypt, wipe).
//! - WebCrypto, AES-GCM: a JS buffer, imported as a non-extractable key and wiped in the same
//!   JS step (`webOpenGcm`).
//! - WebCrypto, A128CBC-HS256: a JS buffer whose two halves are imported as the HMAC and
//!   AES-CBC keys, then wiped.
//! - WebCrypto without 192-bit AES (Chromium), A192GCM: the one case where it enters wasm,
//!   for `aes-gcm`; it is wiped after use (`Zeroizing`).

use js_sys::Uint8Array;
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;
use zeroize::Zeroizing;

use super::algorithms::{ContentEncryption, TAG_LEN};
#[cfg(feature = "node")]
use crate::crypto::node;
use crate::crypto::webcrypto::{await_key, AesUse, WebCrypto};
use crate::crypto::{cbc_hmac, soft_gcm};
use crate::failure::JsResult;

type Js<T> = Result<T, JsValue>;

/// Where the primitives come from.
pub enum Backend {
    /// Node's `node:crypto`, synchronous.
    #[cfg(feature = "node")]
    Node,
    /// The runtime's WebCrypto.
    Web(WebCrypto),
}

/// What opening a JWE's content needs, all of it already checked for shape.
pub struct Sealed<'a> {
    /// The content encryption.
    pub enc: ContentEncryption,
    /// The RSA-OAEP encrypted CEK, in JS.
    pub encrypted_key: &'a Uint8Array,
    /// The IV, in JS.
    pub iv: &'a Uint8Array,
    /// The AAD: the protected header's ASCII.
    pub aad: &'a [u8],
    /// Ciphertext followed by its 16-byte tag, in JS.
    pub sealed: &'a Uint8Array,
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
            Backend::Web(wc) => wc.seal(public, cek, iv, aad, plaintext).await,
        }
    }

    /// Decrypts the CEK with `private` and opens `s` with it; the plaintext stays in JS.
    /// `Ok(None)` is a failure that is ours to report (a CEK of the wrong length, a tag that
    /// did not verify), `Err` a failure from the runtime; both mean the JWE did not decrypt.
    pub async fn open(&self, private: &CryptoKey, s: &Sealed<'_>) -> Js<Option<Uint8Array>> {
        match self {
            #[cfg(feature = "node")]
            Backend::Node => node::open(
                private,
                s.enc.name(),
                s.enc.cek_len(),
                s.encrypted_key,
                s.iv,
                s.aad,
                s.sealed,
            ),
            Backend::Web(wc) => match s.enc {
                ContentEncryption::A128CbcHs256 => open_cbc_hmac(wc, private, s).await,
                _ => open_gcm(wc, private, s).await,
            },
        }
    }
}

/// AES-GCM on WebCrypto.
async fn open_gcm(wc: &WebCrypto, private: &CryptoKey, s: &Sealed<'_>) -> Js<Option<Uint8Array>> {
    // Chromium has no 192-bit AES: A192GCM takes the CEK through a buffer, to `aes-gcm` if
    // the runtime refuses the import.
    if s.enc != ContentEncryption::A192Gcm {
        let bits = (s.enc.cek_len() * 8) as u32;
        return wc
            .open_gcm(private, s.encrypted_key, s.iv, s.aad, s.sealed, bits)
            .await;
    }
    let cek = wc.rsa_oaep_decrypt_js(private, s.encrypted_key).await?;
    if cek.length() as usize != s.enc.cek_len() {
        cek.fill(0, 0, cek.length());
        return Ok(None);
    }
    // Only A192GCM gets here: WebCrypto where it can, `aes-gcm` where it has no 192-bit AES.
    let imported = await_key(wc.import_aes_js(AesUse::GcmDecrypt, &cek)).await;
    let Ok(key) = imported else {
        let raw = Zeroizing::new(cek.to_vec());
        cek.fill(0, 0, cek.length());
        let split = s.sealed.length().saturating_sub(TAG_LEN as u32);
        let ciphertext = s.sealed.subarray(0, split).to_vec();
        let tag = s.sealed.subarray(split, s.sealed.length()).to_vec();
        return Ok(
            soft_gcm::decrypt_a192gcm(&raw, &s.iv.to_vec(), s.aad, &ciphertext, &tag)
                .ok()
                .map(|plain| Uint8Array::from(plain.as_slice())),
        );
    };
    cek.fill(0, 0, cek.length());
    wc.aes_gcm_decrypt(&key, &s.iv.to_vec(), s.aad, s.sealed)
        .await
        .map(Some)
}

/// A128CBC-HS256 on WebCrypto: authenticate, then decrypt (no padding oracle).
async fn open_cbc_hmac(
    wc: &WebCrypto,
    private: &CryptoKey,
    s: &Sealed<'_>,
) -> Js<Option<Uint8Array>> {
    let cek = wc.rsa_oaep_decrypt_js(private, s.encrypted_key).await?;
    if cek.length() as usize != 2 * cbc_hmac::HALF {
        cek.fill(0, 0, cek.length());
        return Ok(None);
    }
    let half = cbc_hmac::HALF as u32;
    let mac_key = wc.import_hmac_js(&cek.subarray(0, half));
    let enc_key = wc.import_aes_js(AesUse::CbcDecrypt, &cek.subarray(half, 2 * half));
    // Both imports took their copies: the buffer is wiped before anything is awaited.
    cek.fill(0, 0, cek.length());
    let (mac_key, enc_key) = (await_key(mac_key).await?, await_key(enc_key).await?);
    let split = s.sealed.length().saturating_sub(TAG_LEN as u32);
    let ciphertext = s.sealed.subarray(0, split).to_vec();
    let tag = s.sealed.subarray(split, s.sealed.length()).to_vec();
    let iv = s.iv.to_vec();
    let mac = wc
        .hmac_sha256(&mac_key, &cbc_hmac::mac_input(s.aad, &iv, &ciphertext))
        .await?;
    if !cbc_hmac::tag_matches(&mac, &tag) {
        return Ok(None);
    }
    wc.aes_cbc_decrypt(&enc_key, &iv, &ciphertext)
        .await
        .map(Some)
}

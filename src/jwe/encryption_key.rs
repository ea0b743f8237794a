//! Mastercard's public encryption key as a JWE recipient: imported here once (with
//! `keys::import`'s checks and WebCrypto), with the protected header that names its `kid`
//! serialized once, and kept per exact key text.

use js_sys::{Array, JsString, Map, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::compact;
use crate::crypto::webcrypto::WebCrypto;
use crate::error::{Error, Result};
use crate::failure::{Failure, JsResult};
use crate::interop::prop as get;
use crate::keys::import::{check_crypto_key, classify, kid_of, public_spki, Given};

/// Mastercard's public encryption key, imported, with the `kid` to put in headers.
#[derive(Clone)]
pub struct EncryptionKey {
    /// RSA-OAEP SHA-256 public key.
    pub key: CryptoKey,
    /// The first JWE segment for this key: the base64url protected header with its `kid`.
    pub protected: JsString,
    /// The ASCII bytes of `protected`: the AAD of every message to this key.
    pub aad: Uint8Array,
}

impl EncryptionKey {
    /// The imported key with its header, serialized once here rather than per message.
    pub fn new(key: CryptoKey, kid: &str) -> Self {
        let protected = compact::protected_segment(kid);
        EncryptionKey {
            key,
            aad: Uint8Array::from(protected.as_bytes()),
            protected: protected.as_str().into(),
        }
    }
}

thread_local! {
    /// Imported public keys by the exact JS string they came from (plus any fingerprint
    /// override), as `[CryptoKey, kid]`. A JS `Map`, so a hit never copies the PEM into wasm.
    /// Public material only: private keys are never cached, so their text is never kept.
    static PUBLIC_CACHE: Map = Map::new();
}

/// Entries kept before the cache starts over; real callers use one or two keys.
const PUBLIC_CACHE_SIZE: u32 = 8;

fn cache_key(value: &JsValue, fingerprint: Option<&str>) -> Option<JsValue> {
    let text = value.dyn_ref::<JsString>()?;
    Some(match fingerprint {
        None => text.clone().into(),
        Some(f) => JsString::from(f)
            .concat(&JsValue::from_str("\u{0}"))
            .concat(text)
            .into(),
    })
}

fn cached(key: &JsValue) -> Option<EncryptionKey> {
    let hit = PUBLIC_CACHE.with(|c| c.get(key));
    let entry = hit.dyn_ref::<Array>()?;
    Some(EncryptionKey {
        key: entry.get(0).dyn_into().ok()?,
        protected: entry.get(1).dyn_into().ok()?,
        aad: entry.get(2).dyn_into().ok()?,
    })
}

fn remember(key: JsValue, imported: &EncryptionKey) {
    PUBLIC_CACHE.with(|c| {
        if c.size() >= PUBLIC_CACHE_SIZE {
            c.clear();
        }
        c.set(
            &key,
            &Array::of3(&imported.key, &imported.protected, &imported.aad),
        );
    });
}

/// Imports the encryption key from the `{ certificate?, publicKey?, keyFingerprint? }` bag.
pub async fn encryption_key(options: &JsValue) -> JsResult<EncryptionKey> {
    if !options.is_object() {
        return Err(Error::config(
            "encryption options must be an object with `certificate` or `publicKey`",
        )
        .into());
    }
    let (value, what) = source(options)?;
    let fingerprint = fingerprint(&get(options, "keyFingerprint"))?;
    let cache_key = cache_key(&value, fingerprint.as_deref());
    if let Some(hit) = cache_key.as_ref().and_then(cached) {
        return Ok(hit);
    }
    let given = classify(&value, what)?;
    let wc = WebCrypto::get()?;
    let imported = match given {
        Given::Key(key) => {
            check_crypto_key(&key, "RSA-OAEP", "public", "encrypt")?;
            let kid = match fingerprint {
                Some(f) => f,
                None => {
                    let spki = wc.export_spki(&key).await.map_err(|e| {
                        Failure::caused(
                            Error::config(
                                "the CryptoKey is not extractable: give `keyFingerprint` with it",
                            ),
                            e,
                        )
                    })?;
                    kid_of(&wc, &spki).await?
                }
            };
            EncryptionKey::new(key, &kid)
        }
        other => {
            let spki = public_spki(&other)?;
            let key = wc
                .import_oaep_public(&spki.der)
                .await
                .map_err(|e| Failure::caused(Error::key("WebCrypto refused the public key"), e))?;
            let kid = match fingerprint {
                Some(f) => f,
                None => kid_of(&wc, &spki.der).await?,
            };
            EncryptionKey::new(key, &kid)
        }
    };
    if let Some(k) = cache_key {
        remember(k, &imported);
    }
    Ok(imported)
}

/// The one key option given, `certificate` or `publicKey`, with its name for messages.
// Inlined here and below: one caller each, and a call boundary costs the builds bytes.
#[inline(always)]
fn source(options: &JsValue) -> Result<(JsValue, &'static str)> {
    let certificate = get(options, "certificate");
    let public_key = get(options, "publicKey");
    match (
        certificate.is_undefined() || certificate.is_null(),
        public_key.is_undefined() || public_key.is_null(),
    ) {
        (false, true) => Ok((certificate, "`certificate`")),
        (true, false) => Ok((public_key, "`publicKey`")),
        (true, true) => Err(Error::config(
            "give Mastercard's encryption `certificate` or its `publicKey`",
        )),
        (false, false) => Err(Error::config(
            "give either `certificate` or `publicKey`, not both",
        )),
    }
}

/// `keyFingerprint`, the `kid` to send instead of the key's own fingerprint: 1 to 256
/// printable characters, or `None` when absent.
#[inline(always)]
fn fingerprint(v: &JsValue) -> Result<Option<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !v.is_string() {
        return Err(Error::config("`keyFingerprint` must be a string"));
    }
    // Measured before it is copied: a huge string is refused, not copied into wasm.
    let f = crate::interop::bounded_string(v, 256).unwrap_or_default();
    if f.is_empty() || f.len() > 256 || f.chars().any(char::is_control) {
        return Err(Error::config(
            "`keyFingerprint` must be 1 to 256 printable characters",
        ));
    }
    Ok(Some(f))
}

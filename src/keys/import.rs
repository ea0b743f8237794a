//! Turning whatever a caller passed as a key (PEM, DER bytes, JWK, `CryptoKey`) into a
//! non-extractable WebCrypto key, checked for algorithm, kind and size.

use js_sys::{Array, ArrayBuffer, JsString, Object, Reflect, Uint8Array, WeakSet};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::material::{self, PublicSpki};
use zeroize::Zeroizing;

use crate::base64::decode_lenient;
pub use crate::crypto::webcrypto::KeyPurpose;
use crate::crypto::webcrypto::{copy_bytes, crypto_key_info, WebCrypto};
use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::format::{decimal, join};

/// What a caller handed us as key material; the copies in wasm memory are wiped on drop.
pub(crate) enum Given {
    Text(Zeroizing<String>),
    Bytes(Zeroizing<Vec<u8>>),
    Jwk(Object),
    Key(CryptoKey),
    #[cfg(feature = "pkcs12")]
    Pkcs12(Pkcs12File),
}

/// `{ pkcs12, password, alias? }`: a PKCS#12 file and what opens it.
#[cfg(feature = "pkcs12")]
pub(crate) struct Pkcs12File {
    /// The file's bytes.
    pub der: Zeroizing<Vec<u8>>,
    /// Its password (the caller's JS string cannot be wiped; this copy is).
    pub password: Zeroizing<String>,
    /// The friendly name of the key to take, when the file holds several.
    pub alias: Option<String>,
}

/// Longest key text or DER accepted, in bytes (a PEM bundle with a chain is a few KB).
const MAX_KEY_LEN: u32 = 64 << 10;

use crate::interop::prop as get;

fn is_crypto_key(v: &JsValue) -> bool {
    // The generated `instanceof` check is guarded: a runtime without `CryptoKey` gives false.
    v.is_instance_of::<CryptoKey>()
}

pub(crate) fn classify(value: &JsValue, what: &str) -> JsResult<Given> {
    let too_long = || Error::key(join(&[what, " is longer than any key (64 KiB)"]));
    if let Some(text) = value.dyn_ref::<JsString>() {
        if text.length() > MAX_KEY_LEN {
            return Err(too_long().into());
        }
        // Looked at in JS: a JWK's text (its private members included) never enters wasm.
        let trimmed = text.trim_start();
        if trimmed.length() == 0 {
            return Err(Error::key(join(&[what, " is an empty string"])).into());
        }
        if trimmed.char_code_at(0) == f64::from(b'{') {
            let parsed = crate::text::parse_json(&trimmed).map_err(|_| {
                Error::key(join(&[
                    what,
                    " looks like JSON but does not parse as a JWK",
                ]))
            })?;
            if !parsed.is_object() {
                return Err(Error::key(join(&[what, " is JSON but not a JWK object"])).into());
            }
            return Ok(Given::Jwk(parsed.unchecked_into()));
        }
        // Through UTF-8 bytes of known length: wasm-bindgen's own string copy grows its buffer
        // at the first non-ASCII character (a friendlyName, a comment), freeing a copy unwiped.
        let utf8 = crate::text::encode_utf8(text);
        let mut bytes = vec![0u8; utf8.length() as usize];
        utf8.copy_to(&mut bytes);
        utf8.fill(0, 0, utf8.length());
        let text = String::from_utf8(bytes).map_err(|e| {
            drop(Zeroizing::new(e.into_bytes()));
            Error::key(join(&[what, " is not valid text"]))
        })?;
        return Ok(Given::Text(Zeroizing::new(text)));
    }
    if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<ArrayBuffer>() {
        return Ok(Given::Bytes(bytes_of(value, what)?));
    }
    if is_crypto_key(value) {
        return Ok(Given::Key(value.clone().unchecked_into()));
    }
    let file = get(value, "pkcs12");
    if !file.is_undefined() {
        return pkcs12_given(value, &file, what);
    }
    if crate::interop::is_plain_object(value) && get(value, "kty").is_string() {
        return Ok(Given::Jwk(value.clone().unchecked_into()));
    }
    Err(Error::key(join(&[
        what,
        " must be a PEM string, DER bytes (Uint8Array or ArrayBuffer), a JWK or a CryptoKey",
    ]))
    .into())
}

/// Bytes given as a `Uint8Array` or `ArrayBuffer`, copied into wasm memory (wiped on drop).
fn bytes_of(value: &JsValue, what: &str) -> JsResult<Zeroizing<Vec<u8>>> {
    // Copied in JS through the platform's getters first (a Proxy or a lying subclass gives
    // null), then into wasm at its final size, then the JS copy is wiped.
    let copied = copy_bytes(value, MAX_KEY_LEN);
    if copied.as_f64().is_some() {
        return Err(Error::key(join(&[what, " is longer than any key (64 KiB)"])).into());
    }
    let js: Uint8Array = copied.dyn_into().map_err(|_| {
        Error::key(join(&[
            what,
            " could not be read (a Proxy or a forged byte array)",
        ]))
    })?;
    let mut out = Zeroizing::new(vec![0u8; js.length() as usize]);
    js.copy_to(&mut out);
    js.fill(0, 0, js.length());
    Ok(out)
}

/// `{ pkcs12: bytes, password, alias? }`, read and checked (the password is never echoed).
#[cfg(feature = "pkcs12")]
fn pkcs12_given(options: &JsValue, file: &JsValue, what: &str) -> JsResult<Given> {
    Ok(Given::Pkcs12(pkcs12_file(options, file, what)?))
}

/// Builds for browsers and workers carry no PKCS#12 reader (its size; see DEVELOPING.md, Size).
#[cfg(not(feature = "pkcs12"))]
fn pkcs12_given(_: &JsValue, _: &JsValue, _: &str) -> JsResult<Given> {
    Err(Error::key(
        "this build reads no PKCS#12 (Node's does): convert the file once with `npx points-activity keys` and pass the PEM",
    )
    .into())
}

#[cfg(feature = "pkcs12")]
fn pkcs12_file(options: &JsValue, file: &JsValue, what: &str) -> JsResult<Pkcs12File> {
    if !(file.is_instance_of::<Uint8Array>() || file.is_instance_of::<ArrayBuffer>()) {
        return Err(Error::key(join(&[
            what,
            "'s `pkcs12` must be a Uint8Array or an ArrayBuffer",
        ]))
        .into());
    }
    let password = password(&get(options, "password")).ok_or_else(|| {
        Error::key(join(&[
            what,
            "'s `password` must be a string of at most 1024 characters",
        ]))
    })?;
    let alias = get(options, "alias");
    let alias = if alias.is_undefined() || alias.is_null() {
        None
    } else {
        Some(
            crate::interop::bounded_string(&alias, 256)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| {
                    Error::key(join(&[what, "'s `alias` must be 1 to 256 characters"]))
                })?,
        )
    };
    Ok(Pkcs12File {
        password,
        der: bytes_of(file, what)?,
        alias,
    })
}

/// A password of at most 1024 UTF-16 units, measured before it is copied, then copied as
/// `classify` copies key text: through UTF-8 bytes of known length into memory wiped on drop
/// (wasm-bindgen's own copy grows at the first non-ASCII character, freeing an unwiped copy).
#[cfg(feature = "pkcs12")]
fn password(value: &JsValue) -> Option<Zeroizing<String>> {
    let text = value.dyn_ref::<JsString>().filter(|t| t.length() <= 1024)?;
    let utf8 = crate::text::encode_utf8(text);
    let mut bytes = vec![0u8; utf8.length() as usize];
    utf8.copy_to(&mut bytes);
    utf8.fill(0, 0, utf8.length());
    String::from_utf8(bytes)
        .map_err(|e| drop(Zeroizing::new(e.into_bytes())))
        .ok()
        .map(Zeroizing::new)
}

/// The private key of `{ pkcs12, password, alias? }`, as PKCS#8 (for `pkcs12ToPem`).
#[cfg(feature = "pkcs12")]
pub(crate) fn pkcs12_pkcs8(options: &JsValue) -> JsResult<material::PrivatePkcs8> {
    let what = "the PKCS#12 file";
    if !crate::interop::is_plain_object(options) {
        return Err(Error::key("pass `{ pkcs12, password, alias? }`").into());
    }
    pkcs12_key(&pkcs12_file(options, &get(options, "pkcs12"), what)?)
}

/// The private key of a PKCS#12 file, as PKCS#8.
#[cfg(feature = "pkcs12")]
fn pkcs12_key(file: &Pkcs12File) -> JsResult<material::PrivatePkcs8> {
    Ok(super::pkcs12::private_key(
        &file.der,
        &file.password,
        file.alias.as_deref(),
    )?)
}

fn jwk_component(jwk: &Object, name: &'static str) -> JsResult<Vec<u8>> {
    let v = get(jwk, name)
        .as_string()
        .ok_or_else(|| Error::key(join(&["the JWK has no \"", name, "\""])))?;
    decode_lenient(&v)
        .map_err(|_| Error::key(join(&["the JWK member \"", name, "\" is not base64url"])).into())
}

fn check_jwk_rsa(jwk: &Object) -> JsResult<PublicSpki> {
    if get(jwk, "kty").as_string().as_deref() != Some("RSA") {
        return Err(Error::key("the JWK is not an RSA key (kty must be \"RSA\")").into());
    }
    Ok(material::spki_from_components(
        &jwk_component(jwk, "n")?,
        &jwk_component(jwk, "e")?,
    )?)
}

/// What a caller's `CryptoKey` is, read through the platform's getters (a forged object that
/// merely passes `instanceof` is refused here).
fn key_info(key: &CryptoKey) -> JsResult<JsValue> {
    let info = crypto_key_info(key);
    if info.is_null() || info.is_undefined() {
        return Err(Error::key("the value is not a genuine CryptoKey").into());
    }
    Ok(info)
}

/// Checks a caller's `CryptoKey` is an RSA key of the wanted algorithm (SHA-256), type and usage.
pub(crate) fn check_crypto_key(
    key: &CryptoKey,
    algorithm_name: &str,
    kind: &str,
    usage: &str,
) -> JsResult<()> {
    let info = key_info(key)?;
    let name = get(&info, "name").as_string();
    let hash = get(&info, "hash").as_string();
    if name.as_deref() != Some(algorithm_name) || hash.as_deref() != Some("SHA-256") {
        return Err(Error::key(join(&[
            "the CryptoKey must be an ",
            algorithm_name,
            " key with SHA-256",
        ]))
        .into());
    }
    if get(&info, "type").as_string().as_deref() != Some(kind) {
        return Err(Error::key(join(&["the CryptoKey must be a ", kind, " key"])).into());
    }
    let bits = get(&info, "modulusLength").as_f64().unwrap_or(0.0);
    let bits = if bits.is_finite() && bits >= 0.0 {
        bits as usize
    } else {
        0
    };
    if !(material::MIN_RSA_BITS..=material::MAX_RSA_BITS).contains(&bits) {
        return Err(Error::key(join(&[
            "a ",
            &decimal(bits as u64),
            "-bit RSA key is outside the supported 2048 to 8192 bits",
        ]))
        .into());
    }
    // An array the helper made from the platform's own `usages`.
    let usages: Array = get(&info, "usages").unchecked_into();
    if !usages.includes(&JsValue::from_str(usage), 0) {
        return Err(Error::key(join(&[
            "the CryptoKey does not allow \"",
            usage,
            "\": import it with that usage (or pass the PEM, JWK or DER and let the module import it)",
        ]))
        .into());
    }
    Ok(())
}

pub(crate) async fn kid_of(wc: &WebCrypto, spki: &[u8]) -> JsResult<String> {
    let digest = wc
        .sha256(spki)
        .await
        .map_err(|e| Failure::caused(Error::key("could not hash the public key"), e))?;
    Ok(material::hex_lower(&digest))
}

/// The SPKI of public key material given as PEM, DER or JWK (not a `CryptoKey`).
pub(crate) fn public_spki(given: &Given) -> JsResult<PublicSpki> {
    Ok(match given {
        Given::Text(pem) => material::public_spki_from_pem(pem)?,
        Given::Bytes(der) => material::public_spki_from_der(der)?,
        Given::Jwk(jwk) => check_jwk_rsa(jwk)?,
        Given::Key(_) => return Err(Error::key("a CryptoKey carries no SPKI to read").into()),
        #[cfg(feature = "pkcs12")]
        Given::Pkcs12(_) => {
            return Err(Error::key(
                "a PKCS#12 file holds a private key: pass Mastercard's certificate here",
            )
            .into())
        }
    })
}

/// `keyFingerprint`: lowercase hex SHA-256 of the SPKI DER of a certificate or public key.
pub async fn fingerprint(value: &JsValue) -> JsResult<String> {
    let wc = WebCrypto::get()?;
    let given = classify(value, "the certificate or public key")?;
    let spki = match &given {
        Given::Key(key) => {
            if get(&key_info(key)?, "type").as_string().as_deref() != Some("public") {
                return Err(Error::key("a private key has no published fingerprint: pass the certificate or public key").into());
            }
            wc.export_spki(key).await.map_err(|e| {
                Failure::caused(
                    Error::key("the CryptoKey is not extractable: pass the certificate instead"),
                    e,
                )
            })?
        }
        other => public_spki(other)?.der,
    };
    kid_of(&wc, &spki).await
}

/// A sanitized copy of a private RSA JWK: only the key members, so a stray `alg`, `use` or
/// `key_ops` cannot make WebCrypto refuse (or widen) the import.
fn private_jwk(jwk: &Object) -> JsResult<Object> {
    check_jwk_rsa(jwk)?;
    if !get(jwk, "d").is_string() {
        return Err(
            Error::key("the JWK is a public key; a private key (with \"d\") is needed").into(),
        );
    }
    let clean = Object::new();
    for name in ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        let v = get(jwk, name);
        if !v.is_undefined() {
            let _ = Reflect::set(&clean, &JsValue::from_str(name), &v);
        }
    }
    let _ = Reflect::set(&clean, &JsValue::from_str("ext"), &JsValue::FALSE);
    Ok(clean)
}

/// Imports the client's private decryption key (PKCS#8 or PKCS#1 PEM or DER, JWK, or a ready
/// `CryptoKey`), non-extractable. Private key bytes are wiped from wasm memory afterwards.
pub async fn decryption_key(value: &JsValue) -> JsResult<CryptoKey> {
    Ok(private_key(value, KeyPurpose::Decrypt).await?.0)
}

/// Imports the OAuth signing key for `purpose` (`Sign` or `SignPss`), as [`decryption_key`]
/// does for decryption.
pub async fn signing_key(value: &JsValue, purpose: KeyPurpose) -> JsResult<CryptoKey> {
    Ok(private_key(value, purpose).await?.0)
}

/// A decryption key with the fingerprint of its public half: the `kid` Mastercard puts in the
/// header of a response encrypted to it. `None` for a `CryptoKey` given as such (its public
/// half cannot be read); such a key is tried for any `kid`.
pub struct DecryptionKey {
    /// The private key, non-extractable.
    pub key: CryptoKey,
    /// Lowercase hex SHA-256 of its public key's SPKI DER.
    pub kid: Option<String>,
}

/// Most decryption keys one option takes: a rotation needs two.
const MAX_DECRYPTION_KEYS: u32 = 8;

/// Imports `decryptionKey`: one key, or an array of 1 to 8 (kept in the caller's order), each
/// with its fingerprint.
pub async fn decryption_keys(value: &JsValue) -> JsResult<Vec<DecryptionKey>> {
    if !crate::interop::is_array(value) {
        return Ok(vec![decryption_key_with_kid(value).await?]);
    }
    let n = get(value, "length").as_f64().unwrap_or(0.0);
    if !(1.0..=f64::from(MAX_DECRYPTION_KEYS)).contains(&n) {
        return Err(Error::config("`decryptionKey` may list 1 to 8 keys").into());
    }
    let mut keys = Vec::new();
    for i in 0..n as u32 {
        let item = Reflect::get_u32(value, i).unwrap_or(JsValue::UNDEFINED);
        keys.push(decryption_key_with_kid(&item).await?);
    }
    Ok(keys)
}

async fn decryption_key_with_kid(value: &JsValue) -> JsResult<DecryptionKey> {
    let (key, spki) = private_key(value, KeyPurpose::Decrypt).await?;
    let kid = match spki {
        Some(spki) => Some(kid_of(&WebCrypto::get()?, &spki.der).await?),
        None => None,
    };
    Ok(DecryptionKey { key, kid })
}

/// The imported key, with its public half's SPKI when the material showed it.
type Imported = (CryptoKey, Option<PublicSpki>);

async fn private_key(value: &JsValue, purpose: KeyPurpose) -> JsResult<Imported> {
    let checked = match purpose {
        KeyPurpose::Decrypt => &CHECKED_DECRYPT,
        KeyPurpose::Sign => &CHECKED_SIGN,
        KeyPurpose::SignPss => &CHECKED_SIGN_PSS,
    };
    if let Some(key) = value.dyn_ref::<CryptoKey>() {
        if checked.with(|s| s.has(key)) {
            return Ok((key.clone(), None));
        }
    }
    let imported = import_private(value, purpose).await?;
    checked.with(|s| s.add(&imported.0));
    Ok(imported)
}

// Private keys already imported or checked here, one set per purpose (a decryption key passed
// as a signing key must still be refused): a caller who passes the same `CryptoKey` on every
// call pays for the checks once. Weak: they keep no key alive.
thread_local! {
    static CHECKED_DECRYPT: WeakSet = WeakSet::new();
}
thread_local! {
    static CHECKED_SIGN: WeakSet = WeakSet::new();
}
thread_local! {
    static CHECKED_SIGN_PSS: WeakSet = WeakSet::new();
}

async fn import_private(value: &JsValue, purpose: KeyPurpose) -> JsResult<Imported> {
    let what = match purpose {
        KeyPurpose::Decrypt => "the decryption key",
        KeyPurpose::Sign | KeyPurpose::SignPss => "the signing key",
    };
    let given = classify(value, what)?;
    if let Given::Key(key) = &given {
        check_crypto_key(key, purpose.algorithm(), "private", purpose.usage())?;
        return Ok((key.clone(), None));
    }
    let wc = WebCrypto::get()?;
    let refused = |e| Failure::caused(Error::key("WebCrypto refused the private key"), e);
    let pkcs8 = match given {
        Given::Text(pem) => material::private_pkcs8_from_pem(&pem)?,
        Given::Bytes(der) => material::private_pkcs8_from_der(&der)?,
        Given::Jwk(jwk) => {
            let public = check_jwk_rsa(&jwk)?;
            let key = wc
                .import_private_jwk(&private_jwk(&jwk)?, purpose)
                .await
                .map_err(refused)?;
            return Ok((key, Some(public)));
        }
        Given::Key(_) => return Err(Error::key("a CryptoKey carries no PKCS#8 to read").into()),
        #[cfg(feature = "pkcs12")]
        Given::Pkcs12(file) => pkcs12_key(&file)?,
    };
    let public = pkcs8.public()?;
    let key = wc
        .import_private(pkcs8.der.expose(), purpose)
        .await
        .map_err(refused)?;
    Ok((key, Some(public)))
}

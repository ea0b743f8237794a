//! `OAuth1Signer`: the Authorization header Mastercard's gateway expects, signed through
//! WebCrypto with a non-extractable key. Everything but the signature and the hashes is pure
//! (`base_uri`, `params`, `base_string`, `header`).

use std::rc::Rc;

use js_sys::{ArrayBuffer, JsString, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::base_string::base_string;
use super::base_uri::split;
use super::header::{
    check_consumer_key, check_fixed, check_method, nonce_from, OAuthParams, SignatureMethod,
};
use super::params::parameter_string;
use crate::base64::encode_std;
use crate::crypto::webcrypto::{copy_bytes, WebCrypto};
use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::interop::prop;
use crate::keys::import::{signing_key, KeyPurpose};
use crate::promise::promise;
use crate::text::encode_utf8;

#[wasm_bindgen(typescript_custom_section)]
const SIGNER_TS: &'static str = r#"
/** `OAuth1Signer.create`'s options. */
export interface OAuth1SignerOptions {
  /** The consumer key of your Mastercard Developer project. */
  consumerKey: string;
  /**
   * The signing key: PKCS#8 or PKCS#1 PEM or DER, an RSA JWK with `d`, or a SHA-256 `CryptoKey`
   * of the method's algorithm (RSASSA-PKCS1-v1_5, or RSA-PSS for `"RSA-PSS"`).
   */
  signingKey: PrivateKeyInput;
  /**
   * `oauth_signature_method`: `"RSA-SHA256"` (RSASSA-PKCS1-v1_5, the default) or `"RSA-PSS"`
   * (RSASSA-PSS with SHA-256, MGF1 SHA-256 and a 32-byte salt, as Mastercard's signers use it).
   */
  signatureMethod?: "RSA-SHA256" | "RSA-PSS";
}

/** A fixed nonce and timestamp, for byte-for-byte comparisons in tests. */
export interface OAuth1Fixed {
  /** `oauth_nonce`: 1 to 64 letters or digits. */
  nonce: string;
  /** `oauth_timestamp`: Unix seconds, 1 to 12 digits. */
  timestamp: string;
}
"#;

/// The consumer key, the imported signing key and the method it signs with.
pub(crate) struct SignerKey {
    consumer_key: String,
    key: CryptoKey,
    method: SignatureMethod,
}

impl SignerKey {
    /// What WebCrypto imports and signs with for this key's method.
    fn purpose(&self) -> KeyPurpose {
        purpose_of(self.method)
    }
}

fn purpose_of(method: SignatureMethod) -> KeyPurpose {
    match method {
        SignatureMethod::RsaSha256 => KeyPurpose::Sign,
        SignatureMethod::RsaPss => KeyPurpose::SignPss,
    }
}

/// Signs requests for Mastercard's API gateway (OAuth 1.0a, RSA-SHA256 or RSA-PSS, with a body
/// hash).
/// Hold it where the signing key may live: a server or an edge worker, never a browser.
#[wasm_bindgen]
pub struct OAuth1Signer {
    inner: Rc<SignerKey>,
}

/// Reads `{ consumerKey, signingKey }` and imports the key once (non-extractable). Shared by
/// `OAuth1Signer.create` and `PointsClient.create`'s `signer` option.
pub(crate) async fn signer_key(options: &JsValue) -> JsResult<SignerKey> {
    if !options.is_object() {
        return Err(
            Error::config("OAuth1Signer.create takes `{ consumerKey, signingKey }`").into(),
        );
    }
    let consumer_key = prop(options, "consumerKey")
        .as_string()
        .ok_or_else(|| Error::config("`consumerKey` must be a string"))?;
    check_consumer_key(&consumer_key)?;
    let given = prop(options, "signingKey");
    if given.is_undefined() || given.is_null() {
        return Err(Error::config("`signingKey` is required").into());
    }
    let method = prop(options, "signatureMethod");
    let method = if method.is_undefined() || method.is_null() {
        SignatureMethod::default()
    } else {
        SignatureMethod::from_name(
            &crate::interop::bounded_string(&method, 16).unwrap_or_default(),
        )?
    };
    let key = signing_key(&given, purpose_of(method)).await?;
    Ok(SignerKey {
        consumer_key,
        key,
        method,
    })
}

/// Creates a signer (the work of `OAuth1Signer.create`).
async fn create(options: JsValue) -> JsResult<JsValue> {
    let key = signer_key(&options).await?;
    Ok(OAuth1Signer {
        inner: Rc::new(key),
    }
    .into())
}

/// Largest body signed, in bytes: far above any request of these APIs.
const MAX_BODY_BYTES: u32 = 16 << 20;

/// The body's bytes, left in JS: a string as UTF-8, bytes as they are, nothing as empty.
fn body_bytes(body: &JsValue) -> JsResult<Uint8Array> {
    if body.is_undefined() || body.is_null() {
        return Ok(Uint8Array::new_with_length(0));
    }
    if let Some(s) = body.dyn_ref::<JsString>() {
        return Ok(encode_utf8(s));
    }
    if body.is_instance_of::<Uint8Array>() || body.is_instance_of::<ArrayBuffer>() {
        // A copy made through the platform's getters: a Proxy or a lying subclass is refused
        // rather than thrown through the module, and the bytes hashed are the bytes measured.
        return copy_bytes(body, MAX_BODY_BYTES).dyn_into().map_err(|_| {
            Error::validation(
                "body",
                "could not be read (a Proxy or a forged byte array), or is over 16 MiB",
            )
            .into()
        });
    }
    Err(Error::validation(
        "body",
        "must be a string, a Uint8Array, an ArrayBuffer or null",
    )
    .into())
}

/// What a call of the signer makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Product {
    /// The `Authorization` header (`authorizationHeader`).
    Header,
    /// The signature base string it would sign (`signatureBaseString`).
    BaseString,
}

/// The header for one request, or the signature base string it signs: `product`.
async fn sign(
    signer: &SignerKey,
    method: JsValue,
    url: JsValue,
    body: JsValue,
    fixed: JsValue,
    product: Product,
) -> JsResult<JsValue> {
    let method = method
        .as_string()
        .ok_or_else(|| Error::validation("method", "must be a string"))?;
    check_method(&method)?;
    let url = url
        .as_string()
        .ok_or_else(|| Error::validation("url", "must be a string"))?;
    let fixed = if fixed.is_undefined() || fixed.is_null() {
        None
    } else {
        let nonce = prop(&fixed, "nonce").as_string().unwrap_or_default();
        let timestamp = prop(&fixed, "timestamp").as_string().unwrap_or_default();
        check_fixed(&nonce, &timestamp)?;
        Some((nonce, timestamp))
    };
    let bytes = body_bytes(&body)?;
    if product == Product::BaseString {
        let (_, base) = base_for(signer, &method, &url, &bytes, fixed).await?;
        return Ok(JsValue::from_str(&base));
    }
    header(signer, &method, &url, &bytes, fixed)
        .await
        .map(|h| JsValue::from_str(&h))
}

/// The `Authorization` header for `method`, `url` and the exact `body` bytes: a fresh nonce
/// and the current time unless `fixed` pins them.
pub(crate) async fn header(
    signer: &SignerKey,
    method: &str,
    url: &str,
    body: &Uint8Array,
    fixed: Option<(String, String)>,
) -> JsResult<String> {
    let (params, base) = base_for(signer, method, url, body, fixed).await?;
    let wc = WebCrypto::get()?;
    let signature = wc
        .sign(&signer.key, base.as_bytes(), signer.purpose())
        .await
        .map_err(|e| {
            Failure::caused(
                Error::key("WebCrypto could not sign with the signing key"),
                e,
            )
        })?;
    Ok(params.header(&encode_std(&signature)))
}

/// The OAuth parameters and the signature base string for one request.
async fn base_for(
    signer: &SignerKey,
    method: &str,
    url: &str,
    body: &Uint8Array,
    fixed: Option<(String, String)>,
) -> JsResult<(OAuthParams, String)> {
    check_method(method)?;
    let parts = split(url)?;
    let wc = WebCrypto::get()?;
    let (nonce, timestamp) = match fixed {
        Some(pinned) => pinned,
        None => {
            let nonce = loop {
                let random = wc.random(32).map_err(|e| {
                    Failure::caused(
                        Error::config("the runtime's random number generator failed"),
                        e,
                    )
                })?;
                if let Some(n) = nonce_from(&random.to_vec()) {
                    break n;
                }
            };
            let seconds = (js_sys::Date::now() / 1000.0).floor() as u64;
            (nonce, crate::format::decimal(seconds))
        }
    };
    let hash = wc
        .sha256_js(body)
        .await
        .map_err(|e| Failure::caused(Error::config("WebCrypto could not hash the body"), e))?;
    let params = OAuthParams {
        body_hash: encode_std(&hash),
        consumer_key: signer.consumer_key.clone(),
        nonce,
        timestamp,
        method: signer.method,
    };
    let base = base_string(
        method,
        &parts.base_uri,
        &parameter_string(parts.query, &params.pairs()),
    );
    Ok((params, base))
}

#[wasm_bindgen]
impl OAuth1Signer {
    /// Imports the signing key once (non-extractable). Rejects with `PointsConfigError` for a
    /// bad option and `PointsKeyError` for a key that is not an RSA private key of 2048 to 8192 bits.
    #[wasm_bindgen(unchecked_return_type = "Promise<OAuth1Signer>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "OAuth1SignerOptions")] options: JsValue,
    ) -> Promise {
        promise(create(options))
    }

    /// The `Authorization` header for `method` and `url` (its query included) with `body`, the
    /// exact bytes that will be sent. `fixed` pins the nonce and timestamp (tests only).
    #[wasm_bindgen(js_name = authorizationHeader, unchecked_return_type = "Promise<string>")]
    pub fn authorization_header(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] method: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Uint8Array | ArrayBuffer | null")]
        body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OAuth1Fixed")] fixed: JsValue,
    ) -> Promise {
        let key = Rc::clone(&self.inner);
        promise(async move { sign(&key, method, url, body, fixed, Product::Header).await })
    }

    /// The signature base string `authorizationHeader` would sign for the same arguments: to
    /// compare with the "acceptable signature base string" Mastercard's gateway returns when a
    /// signature does not match. Pass the failed request's `oauth_nonce` and `oauth_timestamp`
    /// as `fixed`. It holds no secret (the consumer key and the request, no signature).
    #[wasm_bindgen(js_name = signatureBaseString, unchecked_return_type = "Promise<string>")]
    pub fn signature_base_string(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] method: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | Uint8Array | ArrayBuffer | null")]
        body: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "OAuth1Fixed")] fixed: JsValue,
    ) -> Promise {
        let key = Rc::clone(&self.inner);
        promise(async move { sign(&key, method, url, body, fixed, Product::BaseString).await })
    }
}

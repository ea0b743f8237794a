//! `PointsClient.create`'s option bag, checked once: every mistake is a `PointsConfigError`
//! (or `PointsKeyError` for a key) before any call is made.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::fields;
use super::signing::{self, ClientSigner};
use crate::error::{Error, Result};
use crate::failure::JsResult;
use crate::format::join;
use crate::http::request::base_url;
use crate::http::retry::RetryPolicy;
use crate::interop::prop;
use crate::jwe::encryption_key::{encryption_key, EncryptionKey};
use crate::keys::import::{decryption_keys, DecryptionKey};
use crate::ops::text_limits::{Kind, TextLimits, CEILING};
use crate::transport::fetch::Fetch;

/// The field that carries a JWE in bodies, unless the caller names another.
pub const DEFAULT_ENCRYPTED_FIELD: &str = "encryptedPayload";

/// Everything a client needs, checked and imported.
pub struct Config {
    /// PAS base URL, without a trailing `/`.
    pub base_url: String,
    /// User Account Management base URL, without a trailing `/`.
    pub user_management_base_url: String,
    /// Mastercard's encryption key, when configured.
    pub encryption_key: Option<EncryptionKey>,
    /// The client's private keys (several during a rotation); none when not configured.
    pub decryption_keys: Vec<DecryptionKey>,
    /// The name of the JWE field in request bodies.
    pub request_field: String,
    /// The name of the JWE field in response bodies.
    pub response_field: String,
    /// The `fetch` to call.
    pub fetch: Fetch,
    /// Headers sent on every call.
    pub headers: Vec<(String, String)>,
    /// Per-attempt time limit in milliseconds; 0 for none.
    pub timeout_ms: u32,
    /// Retries of reads.
    pub retry: RetryPolicy,
    /// Signs every attempt in-process, when configured (not in the browser build).
    pub signer: Option<ClientSigner>,
    /// The longest free texts accepted.
    pub limits: TextLimits,
}

/// A validation error of an option becomes a configuration error naming it.
fn config(e: Error) -> Error {
    match e {
        Error::Validation { field, reason } => Error::config(join(&["`", &field, "` ", &reason])),
        other => other,
    }
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A whole number of milliseconds in `min..=max`, or `default` when absent.
fn whole(options: &JsValue, name: &'static str, min: u32, max: u32, default: u32) -> Result<u32> {
    let v = prop(options, name);
    if absent(&v) {
        return Ok(default);
    }
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && n >= f64::from(min) && n <= f64::from(max) => Ok(n as u32),
        _ => Err(Error::config(join(&[
            "`",
            name,
            "` must be a whole number from ",
            &crate::format::decimal(min.into()),
            " to ",
            &crate::format::decimal(max.into()),
        ]))),
    }
}

/// Reads and checks the options, importing the keys.
pub async fn from_bag(options: &JsValue) -> JsResult<Config> {
    if !options.is_object() {
        return Err(Error::config("PointsClient.create takes an options object").into());
    }
    let (base_url, user_management_base_url) = base_urls(options)?;
    let fetch = fetch_option(&prop(options, "fetch"))?;
    let headers = fields::headers(&prop(options, "headers"), "headers").map_err(config)?;
    let timeout_ms = whole(options, "timeoutMs", 1, 600_000, 30_000)?;
    let retry = retry_policy(&prop(options, "retry"))?;
    let limits = text_limits(&prop(options, "limits"))?;
    let encryption = Encryption::read(&prop(options, "encryption"))?;
    let encryption_key = match &encryption.public {
        Some(bag) => Some(encryption_key(bag).await?),
        None => None,
    };
    let decryption_keys = match &encryption.private {
        Some(keys) => decryption_keys(keys).await?,
        None => Vec::new(),
    };
    let signer = signing::from_option(&prop(options, "signer")).await?;
    if signer.is_some() && !(absolute(&base_url) && absolute(&user_management_base_url)) {
        // The signature covers the full URL; a path would be resolved by the runtime, unseen.
        return Err(Error::config(
            "with `signer`, `baseUrl` and `userManagementBaseUrl` must be absolute http(s) URLs",
        )
        .into());
    }
    Ok(Config {
        base_url,
        user_management_base_url,
        encryption_key,
        decryption_keys,
        request_field: encryption.fields.request,
        response_field: encryption.fields.response,
        fetch,
        headers,
        timeout_ms,
        retry,
        signer,
        limits,
    })
}

/// A string option, `None` when absent.
fn text(options: &JsValue, name: &'static str) -> Result<Option<String>> {
    let v = prop(options, name);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::config(join(&["`", name, "` must be a string"])))
}

/// `baseUrl` (required) and `userManagementBaseUrl` (`<baseUrl>/mrs` by default), checked.
// Inlined here and below: each has one caller, and a call boundary costs the browser build bytes.
#[inline(always)]
fn base_urls(options: &JsValue) -> Result<(String, String)> {
    let base = text(options, "baseUrl")?.ok_or_else(|| Error::config("`baseUrl` is required"))?;
    let base = base_url(&base, "baseUrl").map_err(config)?;
    let user_management = match text(options, "userManagementBaseUrl")? {
        Some(u) => base_url(&u, "userManagementBaseUrl").map_err(config)?,
        None => join(&[&base, "/mrs"]),
    };
    Ok((base, user_management))
}

/// The injected `fetch`, or the global one when absent.
#[inline(always)]
fn fetch_option(injected: &JsValue) -> JsResult<Fetch> {
    if absent(injected) {
        return Fetch::new(None);
    }
    let f = injected
        .clone()
        .dyn_into::<Function>()
        .map_err(|_| Error::config("`fetch` must be a function"))?;
    Fetch::new(Some(f))
}

/// `retry`: each bound in its range; a default yields to the other bound when only one is given
/// (the JS rules' reading too).
#[inline(always)]
fn retry_policy(bag: &JsValue) -> Result<RetryPolicy> {
    let d = RetryPolicy::default();
    if absent(bag) {
        return Ok(d);
    }
    if !bag.is_object() {
        return Err(Error::config("`retry` must be an object"));
    }
    let max_attempts = whole(bag, "maxAttempts", 1, 10, d.max_attempts)?;
    let given_max = !absent(&prop(bag, "maxDelayMs"));
    let max_delay_ms = whole(bag, "maxDelayMs", 0, 300_000, d.max_delay_ms)?;
    let base_default = if given_max {
        d.base_delay_ms.min(max_delay_ms)
    } else {
        d.base_delay_ms
    };
    let base_delay_ms = whole(bag, "baseDelayMs", 0, 60_000, base_default)?;
    let max_delay_ms = if given_max {
        max_delay_ms
    } else {
        max_delay_ms.max(base_delay_ms)
    };
    if max_delay_ms < base_delay_ms {
        return Err(Error::config(
            "`maxDelayMs` must not be below `baseDelayMs`",
        ));
    }
    Ok(RetryPolicy {
        max_attempts,
        base_delay_ms,
        max_delay_ms,
    })
}

/// `limits`: each free text's longest length, 1 to the ceiling.
#[inline(always)]
fn text_limits(bag: &JsValue) -> Result<TextLimits> {
    let mut limits = TextLimits::default();
    if absent(bag) {
        return Ok(limits);
    }
    if !bag.is_object() {
        return Err(Error::config("`limits` must be an object"));
    }
    for kind in Kind::ALL {
        let n = whole(bag, kind.option_name(), 1, CEILING as u32, limits.of(kind))?;
        limits = limits.with(kind, n);
    }
    Ok(limits)
}

/// `encryption`, read but not yet imported: the keys' options and the JWE fields' names.
struct Encryption {
    /// The bag itself when it names Mastercard's certificate or public key.
    public: Option<JsValue>,
    /// The client's private key option, when given.
    private: Option<JsValue>,
    /// The names of the JWE field in requests and in responses.
    fields: Fields,
}

/// The JWE field's name in each direction (`encryptedValueFieldName` for both unless
/// `requestFieldName` or `responseFieldName` names one: Mastercard's APIs may use
/// `encryptedData` one way and `encryptedResponse` the other).
struct Fields {
    request: String,
    response: String,
}

impl Fields {
    #[inline(always)]
    fn read(bag: &JsValue) -> Result<Fields> {
        let both = field_name(bag, "encryptedValueFieldName")?;
        let request = field_name(bag, "requestFieldName")?;
        let response = field_name(bag, "responseFieldName")?;
        let both = both.unwrap_or_else(|| DEFAULT_ENCRYPTED_FIELD.to_owned());
        Ok(Fields {
            request: request.unwrap_or_else(|| both.clone()),
            response: response.unwrap_or(both),
        })
    }
}

impl Encryption {
    #[inline(always)]
    fn read(bag: &JsValue) -> Result<Encryption> {
        if absent(bag) {
            return Fields::read(&JsValue::UNDEFINED).map(|fields| Encryption {
                public: None,
                private: None,
                fields,
            });
        }
        if !bag.is_object() {
            return Err(Error::config("`encryption` must be an object"));
        }
        let has_public = ["certificate", "publicKey"]
            .iter()
            .any(|k| !absent(&prop(bag, k)));
        let private = prop(bag, "decryptionKey");
        if !has_public && absent(&private) {
            return Err(Error::config(
                "`encryption` needs `certificate` or `publicKey`, `decryptionKey`, or both",
            ));
        }
        Ok(Encryption {
            public: has_public.then(|| bag.clone()),
            private: (!absent(&private)).then_some(private),
            fields: Fields::read(bag)?,
        })
    }
}

/// A field name option `name` of `bag`: 1 to 64 printable characters, `None` when absent.
fn field_name(bag: &JsValue, name: &'static str) -> Result<Option<String>> {
    let v = prop(bag, name);
    if absent(&v) {
        return Ok(None);
    }
    match crate::interop::bounded_string(&v, 64) {
        Some(f) if !f.is_empty() && f.len() <= 64 && !f.chars().any(char::is_control) => {
            Ok(Some(f))
        }
        _ => Err(Error::config(join(&[
            "`",
            name,
            "` must be 1 to 64 printable characters",
        ]))),
    }
}

/// Whether a checked base URL is absolute (`http(s)://host…`) rather than a path.
fn absolute(url: &str) -> bool {
    !url.starts_with('/')
}

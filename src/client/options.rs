//! `PointsClient.create`'s option bag, checked once: every mistake is a `PointsConfigError`
//! (or `PointsKeyError` for a key) before any call is made.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CryptoKey;

use super::fields;
use super::signing::{self, ClientSigner};
use crate::error::{Error, Result};
use crate::failure::JsResult;
use crate::format::join;
use crate::http::request::base_url;
use crate::http::retry::RetryPolicy;
use crate::interop::prop;
use crate::jwe::encryption_key::{encryption_key, EncryptionKey};
use crate::keys::import::decryption_key;
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
    /// The client's private key, when configured.
    pub decryption_key: Option<CryptoKey>,
    /// The name of the JWE field in bodies.
    pub encrypted_field: String,
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
    let text = |name: &'static str| -> Result<Option<String>> {
        let v = prop(options, name);
        if absent(&v) {
            return Ok(None);
        }
        v.as_string()
            .map(Some)
            .ok_or_else(|| Error::config(join(&["`", name, "` must be a string"])))
    };
    let base = text("baseUrl")?.ok_or_else(|| Error::config("`baseUrl` is required"))?;
    let base = base_url(&base, "baseUrl").map_err(config)?;
    let user_management_base_url = match text("userManagementBaseUrl")? {
        Some(u) => base_url(&u, "userManagementBaseUrl").map_err(config)?,
        None => join(&[&base, "/mrs"]),
    };

    let injected = prop(options, "fetch");
    let fetch = if absent(&injected) {
        Fetch::new(None)?
    } else {
        let f = injected
            .dyn_into::<Function>()
            .map_err(|_| Error::config("`fetch` must be a function"))?;
        Fetch::new(Some(f))?
    };
    let headers = fields::headers(&prop(options, "headers"), "headers").map_err(config)?;
    let timeout_ms = whole(options, "timeoutMs", 1, 600_000, 30_000)?;

    let retry_bag = prop(options, "retry");
    let retry = if absent(&retry_bag) {
        RetryPolicy::default()
    } else if !retry_bag.is_object() {
        return Err(Error::config("`retry` must be an object").into());
    } else {
        let d = RetryPolicy::default();
        let max_attempts = whole(&retry_bag, "maxAttempts", 1, 10, d.max_attempts)?;
        // A default yields to the other bound when only one is given (the JS rules' too).
        let given_max = !absent(&prop(&retry_bag, "maxDelayMs"));
        let max_default = d.max_delay_ms;
        let max_delay_ms = whole(&retry_bag, "maxDelayMs", 0, 300_000, max_default)?;
        let base_default = if given_max {
            d.base_delay_ms.min(max_delay_ms)
        } else {
            d.base_delay_ms
        };
        let base_delay_ms = whole(&retry_bag, "baseDelayMs", 0, 60_000, base_default)?;
        let max_delay_ms = if given_max {
            max_delay_ms
        } else {
            max_delay_ms.max(base_delay_ms)
        };
        if max_delay_ms < base_delay_ms {
            return Err(Error::config("`maxDelayMs` must not be below `baseDelayMs`").into());
        }
        RetryPolicy {
            max_attempts,
            base_delay_ms,
            max_delay_ms,
        }
    };

    let limits_bag = prop(options, "limits");
    let limits = if absent(&limits_bag) {
        TextLimits::default()
    } else if !limits_bag.is_object() {
        return Err(Error::config("`limits` must be an object").into());
    } else {
        let mut l = TextLimits::default();
        for kind in Kind::ALL {
            l = l.with(
                kind,
                whole(
                    &limits_bag,
                    kind.option_name(),
                    1,
                    CEILING as u32,
                    l.of(kind),
                )?,
            );
        }
        l
    };

    let encryption = prop(options, "encryption");
    let (encryption_key, decryption_key, encrypted_field) = if absent(&encryption) {
        (None, None, DEFAULT_ENCRYPTED_FIELD.to_owned())
    } else {
        if !encryption.is_object() {
            return Err(Error::config("`encryption` must be an object").into());
        }
        let has_public = ["certificate", "publicKey"]
            .iter()
            .any(|k| !absent(&prop(&encryption, k)));
        let private = prop(&encryption, "decryptionKey");
        if !has_public && absent(&private) {
            return Err(Error::config(
                "`encryption` needs `certificate` or `publicKey`, `decryptionKey`, or both",
            )
            .into());
        }
        let public = if has_public {
            Some(encryption_key(&encryption).await?)
        } else {
            None
        };
        let private = if absent(&private) {
            None
        } else {
            Some(decryption_key(&private).await?)
        };
        let field = prop(&encryption, "encryptedValueFieldName");
        let field = if absent(&field) {
            DEFAULT_ENCRYPTED_FIELD.to_owned()
        } else {
            match field.as_string() {
                Some(f) if !f.is_empty() && f.len() <= 64 && !f.chars().any(char::is_control) => f,
                _ => {
                    return Err(Error::config(
                        "`encryptedValueFieldName` must be 1 to 64 printable characters",
                    )
                    .into())
                }
            }
        };
        (public, private, field)
    };
    let signer = signing::from_option(&prop(options, "signer")).await?;
    if signer.is_some() && !(absolute(&base) && absolute(&user_management_base_url)) {
        // The signature covers the full URL; a path would be resolved by the runtime, unseen.
        return Err(Error::config(
            "with `signer`, `baseUrl` and `userManagementBaseUrl` must be absolute http(s) URLs",
        )
        .into());
    }
    Ok(Config {
        base_url: base,
        user_management_base_url,
        encryption_key,
        decryption_key,
        encrypted_field,
        fetch,
        headers,
        timeout_ms,
        retry,
        signer,
        limits,
    })
}

/// Whether a checked base URL is absolute (`http(s)://host…`) rather than a path.
fn absolute(url: &str) -> bool {
    !url.starts_with('/')
}

//! One operation's trip: encrypt the body once, send, retry reads, read the reply into the
//! operation's value or the right error. Decisions come from the pure `http` module.

use js_sys::{JsString, Math, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, Headers};

use super::options::Config;
use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::format::join;
use crate::http::envelope;
use crate::http::request::{Method, Request};
use crate::http::retry::{decide, parse_retry_after, retry_answer, Attempt, Next};
use crate::interop::{is_plain_object, own, prop};
use crate::json::quote;
use crate::jwe::{decrypt::decrypt, encrypt::encrypt};
use crate::text::{encode_utf8, json_or_text, parse_json};
use crate::transport::fetch::{self, Bounds, Outgoing, Reply};
use wasm_bindgen_futures::JsFuture;

/// What the caller passed as the last argument of a method, checked.
pub struct CallOptions {
    /// The caller's `AbortSignal`.
    pub signal: Option<AbortSignal>,
    /// Headers for this call, over the client's.
    pub headers: Vec<(String, String)>,
    /// Extra query parameters (reads).
    pub query: Vec<(String, String)>,
}

/// The shape a successful body must have.
#[derive(Clone, Copy)]
pub enum Expect {
    /// A JSON object (PAS: every field optional, unknown ones kept).
    Object,
    /// A `UserReferences`: an object whose `userReferences`, if present, is an array.
    UserReferences,
}

fn headers_for(config: &Config, call: &CallOptions, method: Method) -> JsResult<Headers> {
    let h = Headers::new().map_err(|e| Failure::caused(Error::config("no Headers"), e))?;
    let put = |k: &str, v: &str| {
        h.set(k, v).map_err(|e| {
            Failure::caused(
                Error::validation("headers", "has a header the runtime refuses"),
                e,
            )
        })
    };
    for (k, v) in config.headers.iter().chain(&call.headers) {
        put(k, v)?;
    }
    put("accept", "application/json")?;
    if method == Method::Post {
        put("content-type", "application/json")?;
    }
    Ok(h)
}

/// Encrypts the clear JSON body into `{"<field>":"<JWE>"}`, once for every attempt.
async fn sealed_body(config: &Config, clear: &str) -> JsResult<JsString> {
    let key = config.encryption_key.as_ref().ok_or_else(|| {
        Error::config("this operation sends an encrypted body: give `encryption.certificate` or `encryption.publicKey`")
    })?;
    let plaintext = Uint8Array::from(clear.as_bytes());
    let jwe = encrypt(key, &plaintext).await;
    plaintext.fill(0, 0, plaintext.length());
    let jwe = jwe?;
    let head = join(&["{", &quote(&config.request_field), ":\""]);
    Ok(JsString::from(head.as_str())
        .concat(&jwe)
        .concat(&JsValue::from_str("\"}")))
}

/// Runs one operation and returns its value: the parsed (and, when encrypted, decrypted) body.
/// Each attempt is signed anew (with a signer), sent, and its outcome handed to the pure
/// `retry::decide`, which says whether to wait and try again. One async function for the
/// whole trip: each async function split off measured 160 to 270 bytes of the module.
pub async fn run(
    config: &Config,
    req: &Request,
    call: &CallOptions,
    expect: Expect,
) -> JsResult<JsValue> {
    // Sealed once for every attempt; with a signer, the very bytes that are signed.
    let body: Option<JsValue> = match &req.body {
        Some(clear) => {
            let text = sealed_body(config, clear).await?;
            Some(if config.signer.is_some() {
                encode_utf8(&text).into()
            } else {
                text.into()
            })
        }
        None => None,
    };
    let headers = headers_for(config, call, req.method)?;
    let bounds = Bounds {
        caller: call.signal.as_ref(),
        timeout_ms: config.timeout_ms,
    };
    let mut attempt = 1;
    loop {
        if let Some(signer) = &config.signer {
            // A fresh signature of this attempt over the body's bytes, over any caller header
            // of that name: the gateway sees this signature only.
            let empty = Uint8Array::new_with_length(0);
            let bytes = body
                .as_ref()
                .and_then(|b| b.dyn_ref::<Uint8Array>())
                .unwrap_or(&empty);
            let value = signer
                .authorization(
                    req.method.as_str(),
                    &req.url,
                    bytes,
                    bounds.caller,
                    bounds.timeout_ms,
                )
                .await?;
            headers.set("authorization", &value).map_err(|e| {
                Failure::caused(Error::config("the runtime refused the signature header"), e)
            })?;
        }
        let out = Outgoing {
            method: req.method.as_str(),
            url: &req.url,
            headers: &headers,
            body: body.as_ref(),
        };
        let (failure, worth, retry_after) = match fetch::send(&config.fetch, &out, bounds).await {
            Ok(reply) if (200..300).contains(&reply.status) => {
                return success(config, &reply, expect).await
            }
            Ok(reply) => refusal(config, req, &reply),
            // Only a network failure after which the request may have been lost is worth another
            // attempt: one that surely did not leave is the caller's to mend (a bad URL), an
            // aborted call is the caller's choice, and the attempt's time limit is their patience.
            Err(f) => {
                let worth = matches!(
                    f.error,
                    Error::Network {
                        may_have_been_sent: true
                    }
                );
                (f, worth, None)
            }
        };
        match decide(
            &config.retry,
            req.retry,
            worth,
            attempt,
            retry_after,
            Math::random(),
        ) {
            Next::Stop => return Err(failure),
            Next::Wait(ms) => JsFuture::from(fetch::sleep(ms, call.signal.as_ref()))
                .await
                .map_err(|cause| Failure::caused(Error::Aborted, cause))?,
        };
        attempt += 1;
    }
}

/// An error answer: its failure, whether a retry may cure it (`retry::retry_answer`), and the
/// wait the server asked for.
fn refusal(config: &Config, req: &Request, reply: &Reply) -> (Failure, bool, Option<u64>) {
    let error = error_reply(reply);
    let attempt = Attempt {
        retry: req.retry,
        // Constant false in the browser build (no signer): the rule drops out of it.
        signed_here: cfg!(feature = "signer") && config.signer.is_some(),
    };
    let worth = match &error {
        Error::Api { status, errors } => retry_answer(*status, errors, attempt),
        _ => false,
    };
    let after = if worth {
        reply
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v, js_sys::Date::now()))
    } else {
        None
    };
    (error.into(), worth, after)
}

/// Longest error body read into wasm for its Errors envelope, in UTF-16 units; a longer one
/// (no envelope is near it) gives `errors: []`, never a large copy.
pub const MAX_ERROR_BODY: u32 = 64 << 10;
/// Longest identifier-lookup answer read into wasm to resolve a BAN or BCN, in bytes of JSON.
pub const MAX_LOOKUP_JSON: usize = 1 << 20;

/// A status that is not 2xx: the Errors envelope when there is one.
fn error_reply(reply: &Reply) -> Error {
    if reply.status >= 400 {
        let errors = if reply.body.length() <= MAX_ERROR_BODY {
            envelope::parse(&String::from(&reply.body))
        } else {
            Vec::new()
        };
        Error::Api {
            status: reply.status,
            errors,
        }
    } else {
        Error::ResponseInvalid {
            status: reply.status,
            reason: "a status that is neither success nor error".to_owned(),
        }
    }
}

/// A 2xx body: JSON, decrypted when it carries the encrypted-value field, of the expected shape.
async fn success(config: &Config, reply: &Reply, expect: Expect) -> JsResult<JsValue> {
    let invalid = |reason: &str| {
        Failure::from(Error::ResponseInvalid {
            status: reply.status,
            reason: reason.to_owned(),
        })
    };
    let parsed = parse_json(&reply.body).map_err(|_| invalid("the body is not JSON"))?;
    let mut value = parsed;
    if is_plain_object(&value) {
        // The body's own member only: a field set on `Object.prototype` (prototype pollution)
        // must not turn a plain answer into an attacker's JWE.
        let sealed = own(&value, &JsValue::from_str(&config.response_field));
        if !sealed.is_undefined() {
            let jwe: JsString = sealed
                .dyn_into()
                .map_err(|_| invalid("the encrypted-value field is not a string"))?;
            if config.decryption_keys.is_empty() {
                return Err(Error::JweNoKey.into());
            }
            let plaintext = decrypt(&config.decryption_keys, &jwe).await?;
            value = json_or_text(&plaintext);
            plaintext.fill(0, 0, plaintext.length());
        }
    }
    if !is_plain_object(&value) {
        return Err(invalid("the body is not a JSON object"));
    }
    if let Expect::UserReferences = expect {
        let refs = prop(&value, "userReferences");
        if !(refs.is_undefined() || refs.is_null() || js_sys::Array::is_array(&refs)) {
            return Err(invalid("userReferences is not an array"));
        }
    }
    Ok(value)
}

/// A lookup's value as the pure layer's JSON, to resolve an identifier from it.
pub fn rust_json(value: &JsValue) -> JsResult<crate::json::Value> {
    let text = crate::text::stringify(value).unwrap_or_default();
    // Measured before the copy into wasm (in UTF-16 units; `json::parse` caps the bytes).
    if text.length() as usize > MAX_LOOKUP_JSON {
        return Err(Error::ResponseInvalid {
            status: 200,
            reason: "the identifier lookup's answer is too large".to_owned(),
        }
        .into());
    }
    crate::json::parse(&String::from(text)).map_err(|_| {
        Error::ResponseInvalid {
            status: 200,
            reason: "the identifier lookup's body could not be read".to_owned(),
        }
        .into()
    })
}

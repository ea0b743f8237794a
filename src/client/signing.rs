//! The client's `signer` option: OAuth 1.0a in-process, so that an edge worker or a server
//! calls Mastercard's gateway directly with the exact bytes it signed. Absent from the browser
//! build (no `signer` feature), where the option is refused: a signing key never belongs in a
//! page.

use wasm_bindgen::JsValue;

#[cfg(not(feature = "signer"))]
use crate::error::Error;
use crate::failure::JsResult;

#[cfg(feature = "signer")]
pub use self::enabled::ClientSigner;

/// Whether a value is absent (`undefined` or `null`).
fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// The browser build has no signer: the type has no values.
#[cfg(not(feature = "signer"))]
pub enum ClientSigner {}

#[cfg(not(feature = "signer"))]
impl ClientSigner {
    /// Never called: there is no value to call it on.
    pub async fn authorization(
        &self,
        _method: &str,
        _url: &str,
        _body: &js_sys::Uint8Array,
        _caller: Option<&web_sys::AbortSignal>,
        _timeout_ms: u32,
    ) -> JsResult<String> {
        match *self {}
    }
}

/// The browser build: any `signer` is a configuration error.
#[cfg(not(feature = "signer"))]
pub async fn from_option(value: &JsValue) -> JsResult<Option<ClientSigner>> {
    if absent(value) {
        return Ok(None);
    }
    Err(Error::config(
        "`signer` is not available in the browser build: sign on a server or in an edge worker, never in a page",
    )
    .into())
}

/// Reads `signer`: `{ consumerKey, signingKey }` (imported here, once, non-extractable) or an
/// `OAuth1Signer` (anything with an `authorizationHeader(method, url, body)` method, called
/// with the bytes that will be sent).
#[cfg(feature = "signer")]
pub async fn from_option(value: &JsValue) -> JsResult<Option<ClientSigner>> {
    enabled::from_option(value).await
}

#[cfg(feature = "signer")]
mod enabled {
    use js_sys::{Function, JsString, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::AbortSignal;

    use super::absent;
    use crate::error::Error;
    use crate::failure::{Failure, JsResult};
    use crate::interop::{intern, prop};
    use crate::oauth1::signer::{header, signer_key, SignerKey};
    use crate::transport::fetch::bounded;

    /// Longest header accepted from a caller's signer: an RSA-8192 signature and every
    /// parameter fit well below it.
    const MAX_HEADER_LEN: u32 = 4096;

    /// How the client signs each attempt.
    pub enum ClientSigner {
        /// A key imported from `{ consumerKey, signingKey }`.
        Key(SignerKey),
        /// The caller's signer object and its `authorizationHeader` method.
        Delegate {
            /// The object, as `this`.
            this: JsValue,
            /// Its `authorizationHeader`.
            method: Function,
        },
    }

    pub async fn from_option(value: &JsValue) -> JsResult<Option<ClientSigner>> {
        if absent(value) {
            return Ok(None);
        }
        if !value.is_object() {
            return Err(Error::config(
                "`signer` must be an OAuth1Signer or `{ consumerKey, signingKey }`",
            )
            .into());
        }
        let method = Reflect::get(value, &intern("authorizationHeader"))
            .ok()
            .and_then(|m| m.dyn_into::<Function>().ok());
        // Own property only: a polluted `Object.prototype.signingKey` changes nothing.
        match method {
            Some(method) if prop(value, "signingKey").is_undefined() => {
                Ok(Some(ClientSigner::Delegate {
                    this: value.clone(),
                    method,
                }))
            }
            _ => Ok(Some(ClientSigner::Key(signer_key(value).await?))),
        }
    }

    impl ClientSigner {
        /// The `Authorization` header of one attempt (a fresh nonce and timestamp each time):
        /// `body` holds the exact bytes that will be sent. A caller's signer is bounded by the
        /// call's signal and time limit like `fetch` is, and its answer is checked.
        pub async fn authorization(
            &self,
            method: &str,
            url: &str,
            body: &Uint8Array,
            caller: Option<&AbortSignal>,
            timeout_ms: u32,
        ) -> JsResult<String> {
            match self {
                ClientSigner::Key(key) => header(key, method, url, body, None).await,
                ClientSigner::Delegate { this, method: f } => {
                    let failed = |cause: JsValue| {
                        Failure::caused(
                            Error::config("the `signer` could not sign the request"),
                            cause,
                        )
                    };
                    // A copy: a signer that changes or detaches what it is given cannot make
                    // the bytes sent differ from the bytes signed.
                    let copy = body.slice(0, body.length());
                    let called = f
                        .call3(
                            this,
                            &JsValue::from_str(method),
                            &JsValue::from_str(url),
                            &copy,
                        )
                        .map_err(failed)?;
                    let value = bounded(&called, caller, timeout_ms, failed).await?;
                    let text = value
                        .dyn_into::<JsString>()
                        .map_err(|_| Error::config("the `signer` did not give a string"))?;
                    if text.length() > MAX_HEADER_LEN {
                        return Err(Error::config("the `signer` gave an oversized header").into());
                    }
                    let text = String::from(text);
                    if !text.starts_with("OAuth ") || text.chars().any(char::is_control) {
                        return Err(
                            Error::config("the `signer` did not give an OAuth header").into()
                        );
                    }
                    Ok(text)
                }
            }
        }
    }
}

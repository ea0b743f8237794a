//! The only caller of `fetch` (the global one, or the one the caller injected). One attempt per
//! call: the client decides about retries. Failures are told apart here: the caller's abort,
//! the time limit, or the network.

use js_sys::{Function, JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, Headers};

use crate::error::Error;
use crate::failure::{Failure, JsResult};
use crate::interop::intern;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/js/transport.js")]
extern "C" {
    #[wasm_bindgen(js_name = attemptSignal, catch)]
    fn attempt_signal(caller: Option<&AbortSignal>, timeout_ms: u32) -> Result<Object, JsValue>;
    /// `value` adopted as a promise that also rejects when `signal` aborts.
    #[wasm_bindgen(js_name = settleWithin, catch)]
    fn settle_within(value: &JsValue, signal: &JsValue) -> Result<Promise, JsValue>;
    /// Whether a value is a genuine `AbortSignal` (not a look-alike or a Proxy).
    #[wasm_bindgen(js_name = isAbortSignal)]
    pub fn is_abort_signal(value: &JsValue) -> bool;
    /// `aborted` of a genuine signal, through the platform's getter.
    #[wasm_bindgen(js_name = signalAborted)]
    fn signal_aborted(signal: &AbortSignal) -> bool;
    /// `reason` of a genuine signal, through the platform's getter.
    #[wasm_bindgen(js_name = signalReason)]
    fn signal_reason(signal: &AbortSignal) -> JsValue;
    /// Resolves after `ms`, or rejects as soon as `signal` aborts.
    #[wasm_bindgen(js_name = sleep)]
    pub fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Promise;
}

/// The `fetch` to call and the `this` to call it with (the global object for the global
/// `fetch`, which throws "Illegal invocation" otherwise).
#[derive(Clone)]
pub struct Fetch {
    function: Function,
    this: JsValue,
}

impl Fetch {
    /// The injected function, or the runtime's global `fetch`.
    pub fn new(injected: Option<Function>) -> JsResult<Fetch> {
        if let Some(function) = injected {
            return Ok(Fetch {
                function,
                this: JsValue::UNDEFINED,
            });
        }
        let global = crate::interop::global();
        let function = Reflect::get(&global, &intern("fetch"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| Error::config("this runtime has no global `fetch`: pass `fetch`"))?;
        Ok(Fetch {
            function,
            this: global,
        })
    }
}

/// Waits for a caller-supplied promise or thenable (a signer's answer) within the call's
/// signal and time limit: the caller's abort is `Aborted`, the limit a `Timeout` that sent
/// nothing, anything else `otherwise(cause)`.
pub async fn bounded(
    value: &JsValue,
    caller: Option<&AbortSignal>,
    timeout_ms: u32,
    otherwise: impl Fn(JsValue) -> Failure,
) -> JsResult<JsValue> {
    let attempt = attempt_signal(caller, timeout_ms).map_err(&otherwise)?;
    let signal = Reflect::get(&attempt, &intern("signal")).unwrap_or(JsValue::UNDEFINED);
    let timer: Option<AbortSignal> = Reflect::get(&attempt, &intern("timer"))
        .ok()
        .and_then(|t| t.dyn_into().ok());
    let waited = match settle_within(value, &signal) {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    waited.map_err(|cause| {
        if caller.is_some_and(signal_aborted) {
            Failure::caused(Error::Aborted, cause)
        } else if timer.as_ref().is_some_and(signal_aborted) {
            Failure::caused(
                Error::Timeout {
                    may_have_been_sent: false,
                },
                cause,
            )
        } else {
            otherwise(cause)
        }
    })
}

/// What came back: the status, the whole body as text, and `Retry-After` if any.
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: JsString,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
}

/// One attempt's request, as `fetch` takes it.
pub struct Outgoing<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The full URL.
    pub url: &'a str,
    /// Every header of the attempt.
    pub headers: &'a Headers,
    /// The body, as the bytes or text to send.
    pub body: Option<&'a JsValue>,
}

/// What ends an attempt: the caller's signal, and the time limit (0: none).
#[derive(Clone, Copy)]
pub struct Bounds<'a> {
    /// The caller's `AbortSignal`.
    pub caller: Option<&'a AbortSignal>,
    /// Milliseconds for the whole attempt, the reading of the body included.
    pub timeout_ms: u32,
}

/// An attempt under way: its signal (the caller's and the timer's together) and its timer.
struct Attempt<'a> {
    signal: JsValue,
    timer: Option<AbortSignal>,
    caller: Option<&'a AbortSignal>,
}

impl Attempt<'_> {
    /// The failure of an attempt that may have reached the server: which signal ended it, if any.
    fn failed(&self, cause: JsValue) -> Failure {
        let error = if self.caller.is_some_and(signal_aborted) {
            Error::Aborted
        } else if self.timer.as_ref().is_some_and(signal_aborted) {
            Error::Timeout {
                may_have_been_sent: true,
            }
        } else {
            Error::Network {
                may_have_been_sent: true,
            }
        };
        Failure::caused(error, cause)
    }
}

/// Nothing has left: a failure before `fetch` took the request.
fn unsent(cause: JsValue) -> Failure {
    Failure::caused(
        Error::Network {
            may_have_been_sent: false,
        },
        cause,
    )
}

/// Sends one request and reads the whole reply, within `bounds`.
pub async fn send(fetch: &Fetch, out: &Outgoing<'_>, bounds: Bounds<'_>) -> JsResult<Reply> {
    if bounds.caller.is_some_and(signal_aborted) {
        // Nothing has left: say so without touching the network.
        return Err(Failure {
            error: Error::Aborted,
            cause: bounds.caller.map(signal_reason),
        });
    }
    let both = attempt_signal(bounds.caller, bounds.timeout_ms).map_err(unsent)?;
    let attempt = Attempt {
        signal: Reflect::get(&both, &intern("signal")).unwrap_or(JsValue::UNDEFINED),
        timer: Reflect::get(&both, &intern("timer"))
            .ok()
            .and_then(|t| t.dyn_into().ok()),
        caller: bounds.caller,
    };
    // fetch throwing synchronously (a bad URL or init): nothing was sent.
    let called = start(fetch, out, &attempt.signal).map_err(unsent)?;
    // Every wait is bounded by the attempt's signal, even on an injected fetch that ignores it
    // or hands back a thenable that never settles; `Promise.resolve` tames thenables that
    // settle synchronously, twice, or by throwing.
    let response =
        JsFuture::from(settle_within(&called, &attempt.signal).map_err(|e| attempt.failed(e))?)
            .await
            .map_err(|e| attempt.failed(e))?;
    read_reply(&response, &attempt).await
}

/// Calls `fetch(url, init)` with the attempt's `signal`.
fn start(fetch: &Fetch, out: &Outgoing<'_>, signal: &JsValue) -> Result<JsValue, JsValue> {
    let init = Object::new();
    let set = |k: &'static str, v: &JsValue| {
        let _ = Reflect::set(&init, &intern(k), v);
    };
    set("method", &JsValue::from_str(out.method));
    set("headers", out.headers);
    if let Some(b) = out.body {
        set("body", b);
    }
    if !signal.is_undefined() {
        set("signal", signal);
    }
    fetch
        .function
        .call2(&fetch.this, &JsValue::from_str(out.url), &init)
}

/// The status, `Retry-After` and whole body of what `fetch` resolved to, read as a stranger's
/// object (an injected fetch may return anything): every property read and call catches.
async fn read_reply(response: &JsValue, attempt: &Attempt<'_>) -> JsResult<Reply> {
    let not_response = || {
        Failure::from(Error::ResponseInvalid {
            status: 0,
            reason: "fetch did not resolve to a Response".to_owned(),
        })
    };
    if !response.is_object() {
        return Err(not_response());
    }
    let status = Reflect::get(response, &intern("status"))
        .ok()
        .and_then(|s| s.as_f64())
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(not_response)? as u16;
    let retry_after = header(response, "retry-after");
    let text = Reflect::get(response, &intern("text"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(not_response)?;
    let text = text.call0(response).map_err(|e| attempt.failed(e))?;
    let body: JsString =
        JsFuture::from(settle_within(&text, &attempt.signal).map_err(|e| attempt.failed(e))?)
            .await
            .map_err(|e| attempt.failed(e))?
            .dyn_into()
            .map_err(|_| not_response())?;
    Ok(Reply {
        status,
        body,
        retry_after,
    })
}

/// A response header, read without trusting the object (`None` when anything is off).
fn header(response: &JsValue, name: &'static str) -> Option<String> {
    let headers = Reflect::get(response, &intern("headers")).ok()?;
    let get: Function = Reflect::get(&headers, &intern("get"))
        .ok()?
        .dyn_into()
        .ok()?;
    let value = get.call1(&headers, &intern(name)).ok()?;
    let value = value.dyn_into::<JsString>().ok()?;
    // A Retry-After is a number or a date: anything longer is not one.
    (value.length() <= 64).then(|| String::from(value))
}

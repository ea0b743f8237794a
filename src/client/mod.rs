//! `PointsClient`: every Points Activity operation and the identifier lookup, over `fetch`.
//! This file is the class and its call options; each method is in its own file, the three
//! reads' lookup-then-read in `reads.rs`, `options.rs` checks the option bag, `call.rs` makes
//! the trip, and the operations themselves (validation, requests, models) are pure, in `ops/`.

mod call;
mod fields;
pub(crate) mod options;
mod signing;

// One file per method, each with its own `#[wasm_bindgen] impl PointsClient` block.
mod adjust_points;
mod points_adjustment_history;
mod points_details;
mod points_expirations;
mod reads;
mod search_user_references;
mod transfer_points;

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use self::call::CallOptions;
use self::options::Config;
use crate::error::Error;
use crate::failure::JsResult;
use crate::http::request::Method;
use crate::interop::prop;
use crate::ops::list::Operation;
use crate::promise::promise;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TS: &'static str = include_str!("../js/client.d.ts");

/// A client of the Points Activity Service and of User Account Management's identifier lookup.
///
/// Create it with `PointsClient.create(options)`; keys are imported once there. Every method
/// validates its input before anything is sent, rejects with a `PointsError` subclass, and takes
/// an optional last argument `{ signal, headers, query }`.
#[wasm_bindgen]
pub struct PointsClient {
    config: Rc<options::Config>,
}

/// The call's last argument, `{ signal, headers, query }`; `query` only for `op`s that GET.
fn call_options(value: &JsValue, op: &Operation) -> JsResult<CallOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(CallOptions {
            signal: None,
            headers: Vec::new(),
            query: Vec::new(),
        });
    }
    if !value.is_object() {
        return Err(Error::validation("options", "must be an object").into());
    }
    let signal = prop(value, "signal");
    let signal = if signal.is_undefined() || signal.is_null() {
        None
    } else {
        // A genuine one only, checked by the platform's own getter: a look-alike or a Proxy
        // would make `AbortSignal.any` and `fetch` throw.
        if !crate::transport::fetch::is_abort_signal(&signal) {
            return Err(Error::validation("signal", "must be an AbortSignal").into());
        }
        Some(signal.unchecked_into::<AbortSignal>())
    };
    let query = prop(value, "query");
    if !(op.method == Method::Get || query.is_undefined() || query.is_null()) {
        return Err(Error::validation("query", "is for the GET operations only").into());
    }
    Ok(CallOptions {
        signal,
        headers: fields::headers(&prop(value, "headers"), "headers")?,
        query: fields::query(&query)?,
    })
}

impl PointsClient {
    /// Runs `work` with this client's configuration; the promise holds its own reference to
    /// it, so freeing the client while a call runs is safe.
    fn start<F>(&self, work: impl FnOnce(Rc<Config>) -> F) -> Promise
    where
        F: std::future::Future<Output = JsResult<JsValue>> + 'static,
    {
        promise(work(Rc::clone(&self.config)))
    }
}

#[wasm_bindgen]
impl PointsClient {
    /// Checks the options and imports the keys (once, non-extractable). Rejects with
    /// `PointsConfigError` for a bad option and `PointsKeyError` for a bad key.
    #[wasm_bindgen(unchecked_return_type = "Promise<PointsClient>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "PointsClientOptions")] options: JsValue,
    ) -> Promise {
        promise(async move {
            let config = options::from_bag(&options).await?;
            Ok(PointsClient {
                config: Rc::new(config),
            })
        })
    }
}

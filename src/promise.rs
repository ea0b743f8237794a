//! The one helper every export uses to hand its future to JS: `wasm-bindgen-futures` runs it
//! (from a microtask, never inside the call that started it) and settles the promise with its
//! value or its `PointsError`.

use std::future::Future;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use crate::js_error::JsResult;

/// The promise of `work`'s outcome.
pub(crate) fn promise<F, T>(work: F) -> Promise
where
    F: Future<Output = JsResult<T>> + 'static,
    T: Into<JsValue>,
{
    future_to_promise(async move { work.await.map(Into::into).map_err(JsValue::from) })
}

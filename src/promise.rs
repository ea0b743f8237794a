//! The one helper every export uses to hand its future to JS: `wasm-bindgen-futures` runs it
//! (from a microtask, never inside the call that started it) and settles the promise with its
//! value or its `PointsError`.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::future_to_promise;

use crate::failure::JsResult;

/// Every export's future, boxed: `future_to_promise` and its task are instantiated once for
/// the whole module instead of once per export (measured: about 2 KB gzip of the browser build).
type Work = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// The promise of `work`'s outcome.
pub(crate) fn promise<T: Into<JsValue>>(
    work: impl Future<Output = JsResult<T>> + 'static,
) -> Promise {
    run(Box::pin(async move {
        work.await.map(Into::into).map_err(JsValue::from)
    }))
}

fn run(work: Work) -> Promise {
    future_to_promise(work)
}

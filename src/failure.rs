//! A failure on its way to JS: the crate's [`Error`] and the JS exception that caused it. A
//! leaf (it knows only `error`), so every layer can return it; `js_error` turns it into the JS
//! class, at the boundary only.

use wasm_bindgen::JsValue;

use crate::error::Error;

/// An [`Error`] on its way to JS, with the JS error that caused it where there is one.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: Error,
    /// The underlying JS error (a `DOMException` from WebCrypto, say), set as `cause`.
    pub cause: Option<JsValue>,
}

impl Failure {
    /// An error caused by a JS exception.
    pub fn caused(error: Error, cause: JsValue) -> Self {
        Failure {
            error,
            cause: Some(cause),
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, cause: None }
    }
}

/// Results of the wasm layer.
pub type JsResult<T> = Result<T, Failure>;

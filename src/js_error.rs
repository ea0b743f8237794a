//! The one place where the crate's [`Error`] becomes a JS error object of the right class.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::{ApiErrorItem, Error};
use crate::failure::Failure;

#[wasm_bindgen(module = "/src/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = createPointsError)]
    fn create_points_error(
        class_name: &str,
        message: &str,
        props: &Object,
        cause: &JsValue,
    ) -> JsValue;

    // The classes themselves, re-exported from the package. Declared as functions because only
    // function imports can skip wasm-bindgen's TypeScript (`export let X: unknown`); their real
    // declarations come from js/errors.d.ts. Rust never calls them.
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsError)]
    fn points_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsValidationError)]
    fn points_validation_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsConfigError)]
    fn points_config_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsKeyError)]
    fn points_key_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsApiError)]
    fn points_api_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsNetworkError)]
    fn points_network_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsTimeoutError)]
    fn points_timeout_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsAbortError)]
    fn points_abort_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = PointsResponseError)]
    fn points_response_error_class();
    #[wasm_bindgen(reexport, skip_typescript, js_name = JweError)]
    fn jwe_error_class();
}

#[wasm_bindgen(typescript_custom_section)]
const ERRORS_TS: &'static str = include_str!("js/errors.d.ts");

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh plain object cannot throw.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let code = f.error.code();
        let props = Object::new();
        set(&props, "code", &JsValue::from_str(code.as_str()));
        match &f.error {
            Error::Validation { field, .. } => set(&props, "field", &JsValue::from_str(field)),
            Error::Api { status, errors } => {
                set(&props, "status", &JsValue::from(*status));
                set(
                    &props,
                    "errors",
                    &errors.iter().map(api_error_item).collect::<Array>(),
                );
            }
            Error::ResponseInvalid { status, .. } => set(&props, "status", &JsValue::from(*status)),
            _ => {}
        }
        if let Some(sent) = f.error.may_have_been_sent() {
            set(&props, "mayHaveBeenSent", &JsValue::from_bool(sent));
        }
        let cause = f.cause.unwrap_or(JsValue::UNDEFINED);
        create_points_error(code.class_name(), &f.error.message(), &props, &cause)
    }
}

/// `{ source, reasonCode, description, recoverable, details }`, absent members left out.
fn api_error_item(item: &ApiErrorItem) -> JsValue {
    let obj = Object::new();
    let text = [
        ("source", &item.source),
        ("reasonCode", &item.reason_code),
        ("description", &item.description),
        ("details", &item.details),
    ];
    for (name, value) in text {
        if let Some(v) = value {
            set(&obj, name, &JsValue::from_str(v));
        }
    }
    if let Some(r) = item.recoverable {
        set(&obj, "recoverable", &JsValue::from_bool(r));
    }
    obj.into()
}

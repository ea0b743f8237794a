//! UTF-8 and JSON done by the runtime, on JS strings and byte arrays, so payload plaintext never
//! passes through wasm memory (and is not copied in and out again on the way).

use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsString) -> Uint8Array;

    type TextDecoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextDecoder;
    #[wasm_bindgen(method)]
    fn decode(this: &TextDecoder, bytes: &Uint8Array) -> JsString;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// `JSON.stringify(value)` as UTF-8 bytes; `Ok(None)` when JSON has no text for the value
/// (`undefined`, a function), `Err` when stringify throws (a cycle, a BigInt).
pub fn json_bytes(value: &JsValue) -> Result<Option<Uint8Array>, JsValue> {
    let text = json_stringify(value)?;
    Ok(text
        .dyn_ref::<JsString>()
        .map(|s| TextEncoder::new().encode(s)))
}

/// The bytes as text (invalid UTF-8 replaced, as `TextDecoder` does), parsed as JSON when they
/// are JSON, else the text itself.
pub fn json_or_text(bytes: &Uint8Array) -> JsValue {
    let text = TextDecoder::new().decode(bytes);
    json_parse(&text).unwrap_or_else(|_| text.into())
}

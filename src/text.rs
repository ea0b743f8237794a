//! UTF-8 and JSON done by the runtime, on JS strings and byte arrays, so payload plaintext never
//! passes through wasm memory (and is not copied in and out again on the way).

use js_sys::{JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::interop::{global, intern};

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

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}
thread_local! {
    static DECODER: TextDecoder = TextDecoder::new();
}
thread_local! {
    /// `{ alphabet: "base64url", omitPadding: true }` when the runtime has
    /// `Uint8Array.prototype.toBase64` (Chromium 140+, Firefox 133+, Safari 18.2+, Node 25+).
    static NATIVE_BASE64URL: Option<Object> = native_base64_options(
        "toBase64",
        &[
            ("alphabet", intern("base64url")),
            ("omitPadding", JsValue::TRUE),
        ],
    );
}

/// Options for a `Uint8Array.prototype` base64 method, if the runtime has that method.
fn native_base64_options(
    method: &'static str,
    pairs: &[(&'static str, JsValue)],
) -> Option<Object> {
    let ctor = Reflect::get(&global(), &intern("Uint8Array")).ok()?;
    let proto = Reflect::get(&ctor, &intern("prototype")).ok()?;
    if !Reflect::get(&proto, &intern(method)).ok()?.is_function() {
        return None;
    }
    let options = Object::new();
    for (k, v) in pairs {
        Reflect::set(&options, &intern(k), v).ok()?;
    }
    Some(options)
}

/// Strict base64url without padding of bytes that live in JS: the runtime's native encoder
/// where there is one (`toBase64`, or Node's `Buffer`: the same output, without copying the
/// bytes into wasm), else `base64ct`.
pub fn base64url(bytes: &Uint8Array) -> JsString {
    NATIVE_BASE64URL.with(|native| match native {
        Some(options) => bytes.to_base64_with_options(options.unchecked_ref()),
        #[cfg(feature = "node")]
        None if crate::crypto::node::available() => crate::crypto::node::base64url(bytes),
        None => JsString::from(crate::base64::encode_url(&bytes.to_vec())),
    })
}

/// A JS string's UTF-8 bytes, in a JS array.
pub fn encode_utf8(text: &JsString) -> Uint8Array {
    ENCODER.with(|e| e.encode(text))
}

/// `JSON.stringify(value)` as UTF-8 bytes; `Ok(None)` when JSON has no text for the value
/// (`undefined`, a function), `Err` when stringify throws (a cycle, a BigInt).
pub fn json_bytes(value: &JsValue) -> Result<Option<Uint8Array>, JsValue> {
    let text = json_stringify(value)?;
    Ok(text
        .dyn_ref::<JsString>()
        .map(|s| ENCODER.with(|e| e.encode(s))))
}

/// `JSON.stringify(value)`, still in JS, when JSON has text for it.
pub fn stringify(value: &JsValue) -> Option<JsString> {
    json_stringify(value).ok()?.dyn_into().ok()
}

/// `JSON.parse(text)`, without copying the text through wasm memory.
pub fn parse_json(text: &JsString) -> Result<JsValue, JsValue> {
    json_parse(text)
}

/// The bytes as text (invalid UTF-8 replaced, as `TextDecoder` does), parsed as JSON when they
/// are JSON, else the text itself.
pub fn json_or_text(bytes: &Uint8Array) -> JsValue {
    let text = DECODER.with(|d| d.decode(bytes));
    json_parse(&text).unwrap_or_else(|_| text.into())
}

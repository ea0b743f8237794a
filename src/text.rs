//! UTF-8 and JSON done by the runtime, on JS strings and byte arrays, so payload plaintext never
//! passes through wasm memory (and is not copied in and out again on the way).

use js_sys::{JsString, Object, Reflect, Uint8Array};
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

    #[wasm_bindgen(js_namespace = Uint8Array, js_name = fromBase64, catch)]
    fn from_base64(text: &JsString, options: &Object) -> Result<Uint8Array, JsValue>;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
    static DECODER: TextDecoder = TextDecoder::new();
    /// `{ alphabet: "base64url", omitPadding: true }` when the runtime has
    /// `Uint8Array.prototype.toBase64` (Chromium 140+, Firefox 133+, Safari 18.2+, Node 25+).
    static NATIVE_BASE64URL: Option<Object> = native_base64url_options();
    /// `{ alphabet: "base64url" }` when the runtime has `Uint8Array.fromBase64`.
    static NATIVE_FROM_BASE64URL: Option<Object> = native_from_base64url_options();
}

fn native_from_base64url_options() -> Option<Object> {
    let ctor = Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
    if !Reflect::get(&ctor, &"fromBase64".into())
        .ok()?
        .is_function()
    {
        return None;
    }
    let options = Object::new();
    Reflect::set(&options, &"alphabet".into(), &"base64url".into()).ok()?;
    Some(options)
}

/// Decodes base64url text that lives in JS with the runtime's native decoder, when it has one.
/// Only for text [`crate::base64::check`] has already validated as strict base64url: the native
/// decoder is then just a faster way to the same bytes.
pub fn native_base64url_decode(text: &JsString) -> Option<Uint8Array> {
    NATIVE_FROM_BASE64URL.with(|options| from_base64(text, options.as_ref()?).ok())
}

fn native_base64url_options() -> Option<Object> {
    let ctor = Reflect::get(&js_sys::global(), &"Uint8Array".into()).ok()?;
    let proto = Reflect::get(&ctor, &"prototype".into()).ok()?;
    if !Reflect::get(&proto, &"toBase64".into()).ok()?.is_function() {
        return None;
    }
    let options = Object::new();
    Reflect::set(&options, &"alphabet".into(), &"base64url".into()).ok()?;
    Reflect::set(&options, &"omitPadding".into(), &JsValue::TRUE).ok()?;
    Some(options)
}

/// Strict base64url without padding of bytes that live in JS: the runtime's native encoder
/// where there is one (the same output, without copying the bytes into wasm), else ours.
pub fn base64url(bytes: &Uint8Array) -> JsString {
    NATIVE_BASE64URL.with(|native| match native {
        Some(options) => bytes.to_base64_with_options(options.unchecked_ref()),
        None => JsString::from(crate::base64::encode_url(&bytes.to_vec())),
    })
}

/// `JSON.stringify(value)` as UTF-8 bytes; `Ok(None)` when JSON has no text for the value
/// (`undefined`, a function), `Err` when stringify throws (a cycle, a BigInt).
pub fn json_bytes(value: &JsValue) -> Result<Option<Uint8Array>, JsValue> {
    let text = json_stringify(value)?;
    Ok(text
        .dyn_ref::<JsString>()
        .map(|s| ENCODER.with(|e| e.encode(s))))
}

/// The bytes as text (invalid UTF-8 replaced, as `TextDecoder` does), parsed as JSON when they
/// are JSON, else the text itself.
pub fn json_or_text(bytes: &Uint8Array) -> JsValue {
    let text = DECODER.with(|d| d.decode(bytes));
    json_parse(&text).unwrap_or_else(|_| text.into())
}

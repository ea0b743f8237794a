//! UTF-8 and JSON done by the runtime, on JS strings and byte arrays, so payload plaintext never
//! passes through wasm memory (and is not copied in and out again on the way).

use core::cell::RefCell;
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

    /// `Array.isArray`, which throws for a revoked Proxy.
    /// `Object.hasOwn(obj, key)`, or the exception a Proxy's trap threw.
    #[wasm_bindgen(js_namespace = Object, js_name = hasOwn, catch)]
    fn has_own(obj: &JsValue, key: &JsValue) -> core::result::Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;

    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `globalThis`, one binding for every runtime (js-sys' `global()` tries four names).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;

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

/// The global object.
pub fn global() -> JsValue {
    GLOBAL_THIS.with(JsValue::clone)
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

/// A static string's address and length, and the JS string made from it.
type Interned = ((usize, usize), JsValue);

thread_local! {
    static INTERNED: RefCell<Vec<Interned>> = const { RefCell::new(Vec::new()) };
}

/// The JS string for a static Rust string, made once. Property names and parameter values
/// crossed into JS on every call were a measurable share of a small encryption (wasm-bindgen
/// decodes each one anew). Keyed by address and length: static strings never move, and there
/// are few.
pub fn intern(text: &'static str) -> JsValue {
    let key = (text.as_ptr() as usize, text.len());
    INTERNED.with(|cache| {
        if let Some((_, v)) = cache.borrow().iter().find(|(k, _)| *k == key) {
            return v.clone();
        }
        let v = JsValue::from_str(text);
        cache.borrow_mut().push((key, v.clone()));
        v
    })
}

/// `obj[name]` when it is `obj`'s own property (an option inherited from a prototype, a
/// polluted `Object.prototype` included, is no option: the JS rules read options the same
/// way), or `undefined` when it is not or reading it throws (a getter, a revoked proxy).
pub fn prop(obj: &JsValue, name: &'static str) -> JsValue {
    let key = intern(name);
    if !obj.is_object() || has_own(obj, &key) != Ok(true) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED)
}

/// An object that is not an array, read without trusting it: a revoked Proxy (on which
/// `Array.isArray` throws) is not one.
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && array_is_array(v) == Ok(false)
}

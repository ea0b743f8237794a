//! The JS interop helpers every layer uses: the global object, interned property names and
//! values, and safe reads of a caller's objects. A leaf: it depends on nothing of the crate.

use core::cell::RefCell;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Object.hasOwn(obj, key)`, or the exception a Proxy's trap threw.
    #[wasm_bindgen(js_namespace = Object, js_name = hasOwn, catch)]
    fn has_own(obj: &JsValue, key: &JsValue) -> core::result::Result<bool, JsValue>;
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;

    /// `globalThis`, one binding for every runtime (js-sys' `global()` tries four names).
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// The global object.
pub fn global() -> JsValue {
    GLOBAL_THIS.with(JsValue::clone)
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
    own(obj, &intern(name))
}

/// [`prop`] for a key made at run time.
pub fn own(obj: &JsValue, key: &JsValue) -> JsValue {
    if !obj.is_object() || has_own(obj, key) != Ok(true) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, key).unwrap_or(JsValue::UNDEFINED)
}

/// A string of at most `max` UTF-16 units, measured before it is copied into wasm memory (a
/// caller's string of a gigabyte is refused, not copied); `None` for anything else.
pub fn bounded_string(v: &JsValue, max: u32) -> Option<String> {
    let text = v.dyn_ref::<js_sys::JsString>()?;
    if text.length() > max {
        return None;
    }
    text.as_string()
}

/// An array, read without trusting it: a revoked Proxy is not one.
pub fn is_array(v: &JsValue) -> bool {
    array_is_array(v) == Ok(true)
}

/// An object that is not an array, read without trusting it: a revoked Proxy (on which
/// `Array.isArray` throws) is not one.
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && array_is_array(v) == Ok(false)
}

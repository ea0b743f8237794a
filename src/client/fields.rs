//! The caller's JS objects read into the pure layer's terms: fields as [`Raw`] values, and the
//! per-call `headers` and `query`.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, Result};
use crate::http::request::check_header;
use crate::ops::Fields;
use crate::prelude::*;
use crate::validate::Raw;

/// One JS value as a [`Raw`].
pub fn raw(v: JsValue) -> Raw {
    if v.is_undefined() {
        Raw::Missing
    } else if v.is_null() {
        Raw::Null
    } else if let Some(s) = v.as_string() {
        Raw::Str(s)
    } else if let Some(n) = v.as_f64() {
        Raw::Num(n)
    } else if let Some(b) = v.as_bool() {
        Raw::Bool(b)
    } else {
        Raw::Other
    }
}

/// A caller's input object.
pub struct JsFields(JsValue);

impl JsFields {
    /// The operation's input, which must be a plain object.
    pub fn new(input: JsValue) -> Result<Self> {
        if !input.is_object() || Array::is_array(&input) {
            return Err(Error::validation("input", "must be an object"));
        }
        Ok(JsFields(input))
    }
}

impl Fields for JsFields {
    fn raw(&self, name: &'static str) -> Raw {
        // A throwing getter reads as absent rather than escaping as a non-Points error.
        raw(Reflect::get(&self.0, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED))
    }
}

/// The own enumerable `[name, value]` pairs of a plain object option, or `None` when absent.
fn entries(value: &JsValue, field: &'static str) -> Result<Option<Vec<(String, JsValue)>>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || Array::is_array(value) {
        return Err(Error::validation(field, "must be an object"));
    }
    let pairs = Object::entries(value.unchecked_ref());
    let mut out = Vec::with_capacity(pairs.length() as usize);
    for pair in pairs.iter() {
        let pair: Array = pair.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        out.push((key, pair.get(1)));
    }
    Ok(Some(out))
}

/// `headers`: names and string values, checked.
pub fn headers(value: &JsValue, field: &'static str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, v) in entries(value, field)?.unwrap_or_default() {
        let v = v
            .as_string()
            .ok_or_else(|| Error::validation(field, "must map header names to strings"))?;
        check_header(&name, &v, field)?;
        out.push((name, v));
    }
    Ok(out)
}

/// `query`: extra query parameters for the reads; strings, finite numbers or booleans.
/// `user_id` and `user_id_type` belong to the operation and cannot be given here.
pub fn query(value: &JsValue) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, v) in entries(value, "query")?.unwrap_or_default() {
        if name.is_empty() || name == "user_id" || name == "user_id_type" {
            return Err(Error::validation(
                "query",
                "must not be empty-named or set user_id or user_id_type",
            ));
        }
        let text = if let Some(s) = v.as_string() {
            s
        } else if let Some(b) = v.as_bool() {
            (if b { "true" } else { "false" }).to_owned()
        } else if v.as_f64().is_some_and(f64::is_finite) {
            // JS's own number formatting, so `1e21` and `0.1` read as the caller wrote them.
            String::from(
                js_sys::Number::from(v)
                    .to_string_with_radix(10)
                    .unwrap_or_default(),
            )
        } else {
            return Err(Error::validation(
                "query",
                "must map names to strings, finite numbers or booleans",
            ));
        };
        out.push((name, text));
    }
    Ok(out)
}

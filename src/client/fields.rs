//! The caller's JS objects read into the pure layer's terms, safely: an input object becomes
//! `(name, Raw)` pairs for `input::read`, and `headers` and `query` become checked pairs.
//!
//! Every read of an input, `headers` or `query` object goes through [`own_entries`], whose
//! bindings catch: a throwing getter, a Proxy whose traps throw or lie, a revoked Proxy, all
//! end as a typed error instead of a JS exception thrown through the module. (Single options
//! are read by `interop::prop`, own properties only.)

use js_sys::{Array, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::{Error, Result};
use crate::http::request::check_header;
use crate::input::{self, Input};
use crate::interop::is_plain_object;
use crate::validate::Raw;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys(value)`: own enumerable string keys, or the exception a Proxy threw.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> core::result::Result<Array, JsValue>;
}

/// More own properties than any option or input object of this API has: beyond it a caller's
/// object is refused before anything is copied.
pub const MAX_OWN_FIELDS: u32 = 64;
/// Longest string copied into wasm from a caller's field, in UTF-16 units; longer ones are cut
/// to one unit past it, which every rule of the API refuses as too long.
pub const MAX_FIELD_UNITS: u32 = 8192;

/// The own enumerable `[name, value]` pairs of an object, each read once.
fn own_entries(value: &JsValue, field: &'static str) -> Result<Vec<(String, JsValue)>> {
    let unreadable = || Error::validation(field, "could not be read (a getter or Proxy threw)");
    let keys = object_keys(value).map_err(|_| unreadable())?;
    if keys.length() > MAX_OWN_FIELDS {
        return Err(Error::validation(field, "has too many properties"));
    }
    let mut out = Vec::with_capacity(keys.length() as usize);
    for key in keys.iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        let v = Reflect::get(value, &key).map_err(|_| unreadable())?;
        out.push((name, v));
    }
    Ok(out)
}

/// One JS value as a [`Raw`], with long strings cut (see [`MAX_FIELD_UNITS`]).
pub fn raw(v: &JsValue) -> Raw {
    if v.is_undefined() {
        Raw::Missing
    } else if v.is_null() {
        Raw::Null
    } else if let Some(s) = v.dyn_ref::<JsString>() {
        let s = if s.length() > MAX_FIELD_UNITS {
            s.slice(0, MAX_FIELD_UNITS + 1)
        } else {
            s.clone()
        };
        Raw::Str(String::from(s))
    } else if let Some(n) = v.as_f64() {
        Raw::Num(n)
    } else if let Some(b) = v.as_bool() {
        Raw::Bool(b)
    } else {
        Raw::Other
    }
}

/// An operation's input from the caller's object, which must be a plain object.
pub fn read_input<T: Input>(input: &JsValue) -> Result<T> {
    if !is_plain_object(input) {
        return Err(Error::validation("input", "must be an object"));
    }
    let fields = own_entries(input, "input")?
        .into_iter()
        .map(|(name, v)| (name, raw(&v)))
        .collect();
    input::read(fields)
}

/// The entries of an optional object option, or nothing when absent.
fn entries(value: &JsValue, field: &'static str) -> Result<Vec<(String, JsValue)>> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !is_plain_object(value) {
        return Err(Error::validation(field, "must be an object"));
    }
    own_entries(value, field)
}

/// `headers`: names and string values, checked.
pub fn headers(value: &JsValue, field: &'static str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, v) in entries(value, field)? {
        let Raw::Str(v) = raw(&v) else {
            return Err(Error::validation(field, "must map header names to strings"));
        };
        check_header(&name, &v, field)?;
        out.push((name, v));
    }
    Ok(out)
}

/// `query`: extra query parameters for the reads; strings, finite numbers or booleans.
/// `user_id` and `user_id_type` belong to the operation and cannot be given here.
pub fn query(value: &JsValue) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (name, v) in entries(value, "query")? {
        if name.is_empty() || name == "user_id" || name == "user_id_type" {
            return Err(Error::validation(
                "query",
                "must not be empty-named or set user_id or user_id_type",
            ));
        }
        let text =
            match raw(&v) {
                Raw::Str(s) if s.len() <= MAX_FIELD_UNITS as usize => s,
                Raw::Bool(b) => (if b { "true" } else { "false" }).to_owned(),
                // JS's own number formatting, so `1e21` and `0.1` read as the caller wrote them.
                Raw::Num(n) if n.is_finite() => String::from(
                    js_sys::Number::from(n)
                        .to_string_with_radix(10)
                        .unwrap_or_default(),
                ),
                _ => return Err(Error::validation(
                    "query",
                    "must map names to strings (up to 8192 characters), finite numbers or booleans",
                )),
            };
        out.push((name, text));
    }
    Ok(out)
}

//! A small, strict JSON reader for what the module reads in Rust (a JOSE header, the Errors
//! envelope): what we need of JSON without the size of a general parser in the wasm. Payloads
//! are parsed by the runtime's `JSON.parse`, never here.

use std::collections::BTreeSet;

/// A JSON value. Numbers are only known to be valid: nothing read here needs their value,
/// and parsing floats would cost more code than the rest of this reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A JSON string, unescaped.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A number.
    Number,
    /// An array.
    Array(Vec<Value>),
    /// An object's members in order (names unique: duplicates are refused).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `name` of an object.
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Why a text is not the JSON object we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Deepest nesting accepted inside a member value.
const MAX_DEPTH: usize = 32;

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Result<(), Invalid> {
        self.ws();
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Invalid> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    fn hex4(&mut self) -> Result<u32, Invalid> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Invalid)?;
        self.i += 4;
        digits.iter().try_fold(0u32, |acc, &d| {
            let v = (d as char).to_digit(16).ok_or(Invalid)?;
            Ok(acc * 16 + v)
        })
    }

    fn string(&mut self) -> Result<String, Invalid> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(Invalid);
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The input is a &str, and we stopped only at ASCII bytes: the run is whole UTF-8.
            out.push_str(core::str::from_utf8(&self.s[start..self.i]).map_err(|_| Invalid)?);
            match self.peek().ok_or(Invalid)? {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let e = self.peek().ok_or(Invalid)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.literal(b"\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(Invalid);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(Invalid)?
                        }
                        _ => return Err(Invalid),
                    };
                    out.push(c);
                }
                _ => return Err(Invalid), // raw control character
            }
        }
    }

    fn number(&mut self) -> Result<(), Invalid> {
        let digits = |c: &mut Self| {
            let start = c.i;
            while matches!(c.peek(), Some(b'0'..=b'9')) {
                c.i += 1;
            }
            if c.i == start {
                Err(Invalid)
            } else {
                Ok(())
            }
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            digits(self)?;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            digits(self)?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            digits(self)?;
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<Value, Invalid> {
        if depth > MAX_DEPTH {
            return Err(Invalid);
        }
        self.ws();
        Ok(match self.peek().ok_or(Invalid)? {
            b'"' => Value::Str(self.string()?),
            b't' => {
                self.literal(b"true")?;
                Value::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Value::Bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                Value::Null
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(Invalid),
                        }
                    }
                }
                Value::Array(items)
            }
            b'{' => Value::Object(self.object(depth + 1)?),
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Value::Number
            }
            _ => return Err(Invalid),
        })
    }

    /// An object's members; a duplicate name makes it invalid (two parsers reading one text
    /// differently is how confusion attacks start).
    /// Duplicates are found through an ordered set: O(n log n) in the member count, with no
    /// hash an attacker could aim collisions at.
    fn object(&mut self, depth: usize) -> Result<Vec<(String, Value)>, Invalid> {
        let mut out: Vec<(String, Value)> = Vec::new();
        let mut seen = BTreeSet::new();
        self.members(depth, &mut |k, v| {
            if !seen.insert(k.clone()) {
                return Err(Invalid);
            }
            out.push((k, v));
            Ok(())
        })?;
        Ok(out)
    }

    fn members(
        &mut self,
        depth: usize,
        each: &mut dyn FnMut(String, Value) -> Result<(), Invalid>,
    ) -> Result<(), Invalid> {
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            let v = self.value(depth)?;
            each(key, v)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Invalid),
            }
        }
    }
}

/// The members of a JSON text that must be exactly one object. Duplicate member names are
/// refused, at any depth.
pub fn object_members(text: &str) -> Result<Vec<(String, Value)>, Invalid> {
    match parse(text)? {
        Value::Object(members) => Ok(members),
        _ => Err(Invalid),
    }
}

/// Longest text read here, in bytes: far above any JOSE header, Errors envelope or lookup
/// answer, and low enough that a hostile one costs little before it is refused.
pub const MAX_TEXT_LEN: usize = 1 << 20;

/// One JSON value, the whole text (surrounding whitespace allowed), at most
/// [`MAX_TEXT_LEN`] bytes and 32 levels deep.
pub fn parse(text: &str) -> Result<Value, Invalid> {
    if text.len() > MAX_TEXT_LEN {
        return Err(Invalid);
    }
    let mut c = Cursor {
        s: text.as_bytes(),
        i: 0,
    };
    let v = c.value(0)?;
    c.ws();
    if c.i == c.s.len() {
        Ok(v)
    } else {
        Err(Invalid)
    }
}

/// A member value written by [`object`].
pub enum Out<'a> {
    /// A string, quoted and escaped.
    Str(&'a str),
    /// A whole number.
    Int(u64),
    /// `true` or `false`.
    Bool(bool),
}

/// `{"name":value,…}`, members in the given order (request bodies keep the documented order).
pub fn object(members: &[(&str, Out)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(name));
        out.push(':');
        match value {
            Out::Str(s) => out.push_str(&quote(s)),
            Out::Int(n) => out.push_str(&crate::format::decimal(*n)),
            Out::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }
    out.push('}');
    out
}

/// `s` as a JSON string literal, quotes included.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn str_of(members: &[(String, Value)], key: &str) -> Option<String> {
        members
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_str().map(str::to_owned))
    }

    #[test]
    fn reads_strings_with_every_escape() {
        let m = object_members(r#" { "a" : "x\/y\"\\\b\f\n\r\t\u00e9\ud83d\ude00" , "b":"é" } "#)
            .unwrap();
        assert_eq!(str_of(&m, "a").unwrap(), "x/y\"\\\u{8}\u{c}\n\r\té😀");
        assert_eq!(str_of(&m, "b").unwrap(), "é");
    }

    #[test]
    fn reads_nested_values_of_every_kind() {
        let m = object_members(r#"{"n":-1.5e+3,"z":0,"t":true,"f":false,"u":null,"a":[1,[2,{"x":[]}],"s"],"o":{"k":{"j":{}}},"e":"end"}"#).unwrap();
        assert_eq!(m.len(), 8);
        assert_eq!(m[0].1, Value::Number);
        assert_eq!(m[2].1, Value::Bool(true));
        assert_eq!(m[3].1, Value::Bool(false));
        assert_eq!(m[4].1, Value::Null);
        let a = &m[5].1;
        assert!(
            matches!(a, Value::Array(items) if items.len() == 3 && items[2] == Value::Str("s".into()))
        );
        let o = Value::Object(m.clone());
        assert_eq!(
            o.get("o").and_then(|v| v.get("k")).and_then(|v| v.get("j")),
            Some(&Value::Object(vec![]))
        );
        assert_eq!(o.get("missing"), None);
        assert_eq!(str_of(&m, "e").unwrap(), "end");
        assert!(object_members("{}").unwrap().is_empty());
    }

    #[test]
    fn refuses_everything_that_is_not_one_strict_object() {
        for bad in [
            "",
            " ",
            "[]",
            "null",
            "\"s\"",
            "{",
            "}",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{,}",
            "{\"a\":1}{}",
            "{\"a\":1} x",
            "{'a':1}",
            "{a:1}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":tru}",
            "{\"a\":nul}",
            "{\"a\":[1,]}",
            "{\"a\":[1 2]}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00\"}",
            "{\"a\":\"line\nbreak\"}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":\"unterminated}",
        ] {
            assert_eq!(object_members(bad), Err(Invalid), "{bad:?}");
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(object_members(&deep), Err(Invalid));
        let ok = format!("{{\"a\":{}{}}}", "[".repeat(20), "]".repeat(20));
        assert!(object_members(&ok).is_ok());
    }

    #[test]
    fn quotes_what_json_requires() {
        assert_eq!(quote("a\"b\\c\n\u{1}é/"), "\"a\\\"b\\\\c\\n\\u0001é/\"");
        let m = object_members(&format!("{{\"k\":{}}}", quote("x\u{1f}\"y"))).unwrap();
        assert_eq!(str_of(&m, "k").unwrap(), "x\u{1f}\"y");
    }

    #[test]
    fn many_members_are_checked_for_duplicates_in_linear_time() {
        // 100,000 distinct keys (about 1.1 MB before the cap, so fewer here): the old
        // pairwise check took 22 s on a 1.1 MB envelope; the set takes milliseconds.
        let n = 60_000;
        let mut text = String::from("{");
        for i in 0..n {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!("\"k{i}\":1"));
        }
        text.push('}');
        assert!(text.len() < MAX_TEXT_LEN);
        let started = std::time::Instant::now();
        assert_eq!(object_members(&text).unwrap().len(), n);
        let mut dup = text.clone();
        dup.truncate(dup.len() - 1);
        dup.push_str(",\"k7\":2}");
        assert_eq!(object_members(&dup), Err(Invalid));
        // Generous: the quadratic check needs minutes for this input in a debug build.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn refuses_texts_over_the_cap_and_deep_nesting() {
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(MAX_TEXT_LEN));
        assert_eq!(parse(&long), Err(Invalid));
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(parse(&deep), Err(Invalid));
        let ok = format!("{}{}", "[".repeat(30), "]".repeat(30));
        assert!(parse(&ok).is_ok());
    }
}

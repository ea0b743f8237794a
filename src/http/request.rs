//! A request as data, and the URL rules: what the client sends is decided here, sent elsewhere.

use crate::error::{Error, Result};
use crate::format::join;
use crate::format::percent_encode;

/// The two methods the services use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A read, with its input in the query.
    Get,
    /// A JSON body (encrypted for every POST these services take).
    Post,
}

impl Method {
    /// The method as `fetch` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Everything about one call except the transport. Headers here are the operation's own; the
/// client adds the caller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// GET or POST.
    pub method: Method,
    /// The full URL, query included.
    pub url: String,
    /// The JSON body before encryption, for a POST.
    pub body: Option<String>,
    /// Whether a failed call may be sent again (the operation's, from `ops::list`).
    pub retry: Retry,
}

/// Whether a call may be sent again when it failed on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Sending it twice changes nothing (a read, the lookup): retried by the policy.
    Safe,
    /// A write: PAS takes no idempotency key, so it is sent once, never again.
    Never,
}

impl Request {
    /// A call with a JSON body (still in clear: the client encrypts it), its method and retry
    /// class the operation's (`ops::list`).
    pub fn with_body(method: Method, url: String, body: String, retry: Retry) -> Request {
        Request {
            method,
            url,
            body: Some(body),
            retry,
        }
    }
}

/// Longest base URL accepted: anything longer is a mistake, not a deployment.
const MAX_URL_LEN: usize = 2048;

/// Checks a base URL option: absolute `http(s)://host…`, or a path starting with `/` that the
/// runtime's `fetch` resolves against the page. No query, fragment, spaces or control
/// characters. Returned without a trailing `/`.
pub fn base_url(value: &str, field: &'static str) -> Result<String> {
    let bad = |why: &str| Error::validation(field, why);
    if value.is_empty() || value.len() > MAX_URL_LEN {
        return Err(bad("must be a URL of 1 to 2048 characters"));
    }
    if value
        .bytes()
        .any(|b| b <= b' ' || b == 0x7f || b == b'?' || b == b'#')
    {
        return Err(bad(
            "must not contain spaces, control characters, a query or a fragment",
        ));
    }
    let lower = value.to_ascii_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {}
        Some(_) => return Err(bad("has no host")),
        None if value.starts_with('/') && !value.starts_with("//") => {}
        None => return Err(bad("must start with https://, http:// or /")),
    }
    Ok(value.trim_end_matches('/').to_owned())
}

/// `base` + `path` + the query, every name and value percent-encoded.
pub fn url(base: &str, path: &str, query: &[(String, String)]) -> String {
    let mut out = join(&[base, path]);
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        percent_encode(k, &mut out);
        out.push('=');
        percent_encode(v, &mut out);
    }
    out
}

/// Longest header name a caller may give (the JS rules' limit too).
pub const MAX_HEADER_NAME: usize = 64;

/// Checks a caller's header: an HTTP token of 1 to 64 characters for the name, no line breaks
/// or NUL in the value, at most 8192 bytes.
pub fn check_header(name: &str, value: &str, field: &'static str) -> Result<()> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || name.len() > MAX_HEADER_NAME || !name.bytes().all(token) {
        return Err(Error::validation(
            field,
            "has a header name that is not an HTTP token of 1 to 64 characters",
        ));
    }
    if value.len() > 8192 || value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(Error::validation(
            field,
            "has a header value with a line break, a NUL or over 8192 bytes",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            base_url("https://proxy.example.com/loyalty/", "baseUrl").unwrap(),
            "https://proxy.example.com/loyalty"
        );
        assert_eq!(
            base_url("HTTP://localhost:8787", "baseUrl").unwrap(),
            "HTTP://localhost:8787"
        );
        assert_eq!(base_url("/loyalty", "baseUrl").unwrap(), "/loyalty");
        for bad in [
            "",
            "ftp://x",
            "https://",
            "https:///path",
            "//evil.example",
            "proxy.example.com",
            "https://x/a?b=c",
            "https://x/#f",
            "https://x/a b",
            "https://x/\n",
        ] {
            let e = base_url(bad, "baseUrl").unwrap_err();
            assert_eq!(e.field(), Some("baseUrl"), "{bad:?}");
        }
        assert!(base_url(&"a".repeat(3000), "baseUrl").is_err());
    }

    #[test]
    fn urls_percent_encode_every_reserved_byte() {
        let q = vec![
            ("user_id".to_owned(), "12 34/+&=?é".to_owned()),
            ("user_id_type".to_owned(), "RANAC".to_owned()),
            ("a~b".to_owned(), "-._~".to_owned()),
        ];
        assert_eq!(
            url("https://x/loyalty", "/points-details", &q),
            "https://x/loyalty/points-details?user_id=12%2034%2F%2B%26%3D%3F%C3%A9&user_id_type=RANAC&a~b=-._~"
        );
        assert_eq!(url("/b", "/p", &[]), "/b/p");
    }

    #[test]
    fn headers() {
        assert!(check_header("x-correlation-id", "abc 123", "headers").is_ok());
        assert!(check_header("bad name", "v", "headers").is_err());
        assert!(check_header("", "v", "headers").is_err());
        assert!(check_header("x", "a\r\nInjected: 1", "headers").is_err());
        assert!(check_header("x", "a\0", "headers").is_err());
        assert!(check_header(&"a".repeat(64), "v", "headers").is_ok());
        assert!(check_header(&"a".repeat(65), "v", "headers").is_err());
    }
}

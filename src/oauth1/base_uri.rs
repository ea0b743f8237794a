//! The base string URI (RFC 5849 3.4.1.2): scheme and host lowercased, the scheme's default
//! port dropped, the path as sent (`/` when empty), no query or fragment.

use crate::error::{join, Error, Result};
use crate::prelude::*;

/// A request URL split for signing: the base URI and the raw query (without `?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitUrl<'a> {
    /// The normalized base URI.
    pub base_uri: String,
    /// The query as sent, `""` when there is none.
    pub query: &'a str,
}

/// Splits an absolute `http`/`https` URL. Userinfo is refused: a signed URL has none.
pub fn split(url: &str) -> Result<SplitUrl<'_>> {
    let bad = |why: &str| Error::validation("url", why);
    if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad("must not contain spaces or control characters"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("must be an absolute http or https URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err(bad("must be an absolute http or https URL")),
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, "/"),
    };
    if authority.contains('@') {
        return Err(bad("must not carry user information"));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    let mut base = join(&[&scheme, "://", &host.to_ascii_lowercase()]);
    match port {
        Some(p) if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(bad("has a port that is not a number"))
        }
        Some(p) if p != default_port => {
            base.push(':');
            base.push_str(p);
        }
        _ => {}
    }
    base.push_str(path);
    Ok(SplitUrl {
        base_uri: base,
        query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_vectors() {
        let v: &[(&str, &str)] = &[
            (
                "http://EXAMPLE.COM:80/r%20v/X?id=123",
                "http://example.com/r%20v/X",
            ),
            (
                "https://www.example.net:8080",
                "https://www.example.net:8080/",
            ),
            (
                "https://api.mastercard.com:17443/test?query=param",
                "https://api.mastercard.com:17443/test",
            ),
        ];
        for (url, want) in v {
            assert_eq!(split(url).unwrap().base_uri, *want, "{url}");
        }
    }

    #[test]
    fn query_fragment_and_ports() {
        let s = split(
            "HTTPS://Sandbox.API.mastercard.com:443/loyalty/points-details?user_id=1&x=%2F#frag",
        )
        .unwrap();
        assert_eq!(
            s.base_uri,
            "https://sandbox.api.mastercard.com/loyalty/points-details"
        );
        assert_eq!(s.query, "user_id=1&x=%2F");
        assert_eq!(split("http://x:443/").unwrap().base_uri, "http://x:443/");
        assert_eq!(split("https://x/a?").unwrap().query, "");
        assert_eq!(
            split("https://[::1]:8443/p").unwrap().base_uri,
            "https://[::1]:8443/p"
        );
        for bad in [
            "ftp://x/",
            "//x/",
            "x/y",
            "https://u:p@x/",
            "https://x:abc/",
            "https://:80/",
            "https://x/a b",
        ] {
            assert_eq!(split(bad).unwrap_err().field(), Some("url"), "{bad}");
        }
    }
}

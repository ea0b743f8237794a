//! The base string URI (RFC 5849 3.4.1.2): scheme and host lowercased, the scheme's default
//! port dropped, the path as sent (`/` when empty), no query or fragment.

use crate::error::{Error, Result};
use crate::format::join;

/// A request URL split for signing: the base URI and the raw query (without `?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitUrl<'a> {
    /// The normalized base URI.
    pub base_uri: String,
    /// The query as sent, `""` when there is none.
    pub query: &'a str,
}

/// Splits an absolute `http`/`https` URL. Userinfo is refused: a signed URL has none.
///
/// Works on byte positions and `str::get`: `str` slicing and `&str` patterns would link core's
/// char-boundary panic and substring searcher (several KB of wasm) for ASCII delimiters.
pub fn split(url: &str) -> Result<SplitUrl<'_>> {
    let b = url.as_bytes();
    if b.iter().any(|&c| c <= b' ' || c == 0x7f) {
        return Err(bad("must not contain spaces or control characters"));
    }
    let (scheme, default_port, start) = scheme(url)?;
    let find = |from: usize, stop: &[u8]| {
        b.iter()
            .skip(from)
            .position(|c| stop.contains(c))
            .map_or(b.len(), |p| from + p)
    };
    let end = find(start, b"#");
    let query_at = find(start, b"?#");
    let path_at = find(start, b"/?#");
    let query = if query_at < end {
        url.get(query_at + 1..end)
    } else {
        Some("")
    };
    let path = match url.get(path_at..query_at) {
        Some("") | None => "/",
        Some(p) => p,
    };
    let authority = url.get(start..path_at).unwrap_or_default();
    let mut base = join(&[&scheme, "://"]);
    host_port(&mut base, authority, default_port)?;
    base.push_str(path);
    Ok(SplitUrl {
        base_uri: base,
        query: query.unwrap_or_default(),
    })
}

fn bad(why: &str) -> Error {
    Error::validation("url", why)
}

/// The lowercased scheme (`http` or `https`), its default port, and where the authority starts.
// Inlined here and below: one caller each, and a call boundary costs the build bytes.
#[inline(always)]
fn scheme(url: &str) -> Result<(String, &'static str, usize)> {
    let absolute = || bad("must be an absolute http or https URL");
    let b = url.as_bytes();
    let colon = b.iter().position(|&c| c == b':').ok_or_else(absolute)?;
    if b.get(colon + 1..colon + 3) != Some(b"//") {
        return Err(absolute());
    }
    let scheme = url.get(..colon).ok_or_else(absolute)?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => "443",
        "http" => "80",
        _ => return Err(absolute()),
    };
    Ok((scheme, default_port, colon + 3))
}

/// Appends the authority's host, lowercased, and its port unless it is the scheme's default.
#[inline(always)]
fn host_port(base: &mut String, authority: &str, default_port: &str) -> Result<()> {
    if authority.bytes().any(|c| c == b'@') {
        return Err(bad("must not carry user information"));
    }
    // The port's colon is the last one, unless it sits inside an IPv6 literal's brackets.
    let a = authority.as_bytes();
    let port_colon = a
        .iter()
        .rposition(|&c| c == b':')
        .filter(|&i| !a[i..].contains(&b']'));
    let (host, port) = match port_colon {
        Some(i) => (authority.get(..i), authority.get(i + 1..)),
        None => (Some(authority), None),
    };
    let host = host.unwrap_or_default();
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    base.push_str(&host.to_ascii_lowercase());
    match port {
        Some(p) if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) => {
            Err(bad("has a port that is not a number"))
        }
        Some(p) if p != default_port => {
            base.push(':');
            base.push_str(p);
            Ok(())
        }
        _ => Ok(()),
    }
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
        let no_path = split("https://X?q=1#f").unwrap();
        assert_eq!(
            (no_path.base_uri.as_str(), no_path.query),
            ("https://x/", "q=1")
        );
        let frag_first = split("https://x/a#f?not=query").unwrap();
        assert_eq!(
            (frag_first.base_uri.as_str(), frag_first.query),
            ("https://x/a", "")
        );
        assert_eq!(split("https://x/é?ü=1").unwrap().query, "ü=1");
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

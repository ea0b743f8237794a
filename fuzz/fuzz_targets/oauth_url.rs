//! The OAuth 1.0a base URI and parameter string from a caller's URL: no panic, the base URI has
//! no query or fragment, the parameter string is the same for the same input, and where the
//! `url` crate (WHATWG) reads the URL without rewriting it (same host, path and query as
//! written, a port without leading zeros), the base URI is its scheme, host, non-default port
//! and path.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::oauth1::{base_uri, params};

/// The authority and the path as written: between `://` and the path, then up to the query.
fn authority_and_path(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    rest.split_at(rest.find('/').unwrap_or(rest.len()))
}

fn agrees_with_url_crate(url: &str, parts: &base_uri::SplitUrl<'_>) {
    let Ok(reference) = url::Url::parse(url) else {
        return;
    };
    let (written, path) = authority_and_path(url);
    let (host, port) = match written.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p)),
        _ => (written, None),
    };
    let plain = reference.host_str() == Some(host.to_ascii_lowercase().as_str())
        && port.is_none_or(|p| p.len() == 1 || !p.starts_with('0'))
        && reference.path() == if path.is_empty() { "/" } else { path }
        && reference.query().unwrap_or("") == parts.query
        && !url.contains('#');
    // A URL the WHATWG parser rewrote (dot segments, percent-encoding, IDNA) is not comparable.
    if !plain {
        return;
    }
    let expected = format!(
        "{}://{}{}{}",
        reference.scheme(),
        reference.host_str().unwrap_or(""),
        reference
            .port()
            .map(|p| format!(":{p}"))
            .unwrap_or_default(),
        reference.path()
    );
    assert_eq!(parts.base_uri, expected, "{url:?}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parts) = base_uri::split(url) {
        assert!(!parts.base_uri.contains('?') && !parts.base_uri.contains('#'));
        let oauth = [("oauth_nonce", "n"), ("oauth_timestamp", "1")];
        assert_eq!(
            params::parameter_string(parts.query, &oauth),
            params::parameter_string(parts.query, &oauth)
        );
        agrees_with_url_crate(url, &parts);
    }
});

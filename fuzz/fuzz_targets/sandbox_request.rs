//! The sandbox's request parsing, which the end-to-end tests trust as an independent check of
//! the module. The input is read three ways:
//! - as a compact JWE: the pre-check never panics, and what it passes is plain base64url in five
//!   segments, passes again unchanged, names `RSA-OAEP-256` without `zip` or `crit`, and carries
//!   a 16-byte tag;
//! - as `URL \n Authorization \n body`: the gateway's base string agrees with the module's (two
//!   implementations of RFC 5849 as Mastercard reads it), and a fuzzed header never passes the
//!   gateway (it cannot hold a valid signature);
//! - as an `OAuth …` header: parsing never panics.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use openssl::pkey::{PKey, Public};
use openssl::rsa::Rsa;
use points_activity::oauth1::{base_string, base_uri, params};
use points_sandbox::{gateway, jwe};
use serde_json::Value;

/// One public key for the whole run: the gateway needs one, no input can sign for it.
fn public_key() -> &'static PKey<Public> {
    static KEY: OnceLock<PKey<Public>> = OnceLock::new();
    KEY.get_or_init(|| {
        let rsa = Rsa::generate(2048).expect("an RSA key");
        let public = Rsa::from_public_components(
            rsa.n().to_owned().expect("n"),
            rsa.e().to_owned().expect("e"),
        )
        .expect("a public key");
        PKey::from_rsa(public).expect("a PKey")
    })
}

fn b64url(s: &str) -> Vec<u8> {
    jwe::decode(s).expect("what the check passed decodes")
}

fn check_jwe(text: &str) {
    let max = 1 << 16;
    let Ok(out) = jwe::checked(text, max) else {
        return;
    };
    let segments: Vec<&str> = out.split('.').collect();
    assert_eq!(segments.len(), 5);
    assert!(out
        .bytes()
        .all(|c| c == b'.' || c == b'-' || c == b'_' || c.is_ascii_alphanumeric()));
    assert!(out.len() <= text.len());
    assert_eq!(jwe::checked(&out, max).as_deref(), Ok(out.as_str()));
    let header: Value = serde_json::from_slice(&b64url(segments[0])).expect("a JSON header");
    assert_eq!(header["alg"], "RSA-OAEP-256");
    assert!(header.get("zip").is_none() && header.get("crit").is_none());
    assert_eq!(b64url(segments[4]).len(), 16);
}

/// `scheme`, authority, path and query of a URL the module can split, when it is plain enough
/// for both sides to see the same request (no fragment, a lowercase scheme).
fn parts(url: &str) -> Option<(&str, &str, &str, &str)> {
    if url.contains('#') {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let slash = before_query.find('/').unwrap_or(before_query.len());
    Some((
        scheme,
        &before_query[..slash],
        &before_query[slash..],
        query,
    ))
}

fn check_request(text: &str) {
    let mut lines = text.splitn(3, '\n');
    let (url, auth, body) = (
        lines.next().unwrap_or(""),
        lines.next().unwrap_or(""),
        lines.next().unwrap_or(""),
    );
    let Ok(split) = base_uri::split(url) else {
        return;
    };
    let Some((scheme, host, path, query)) = parts(url) else {
        return;
    };
    let oauth = [
        ("oauth_consumer_key", "ck"),
        ("oauth_nonce", "n"),
        ("oauth_timestamp", "1"),
    ];
    let owned: Vec<(String, String)> = oauth
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let module = base_string::base_string(
        "POST",
        &split.base_uri,
        &params::parameter_string(split.query, &oauth),
    );
    let sandbox = gateway::base_string("POST", scheme, host, path, query, &owned);
    assert_eq!(module, sandbox, "the two base strings differ for {url:?}");
    let mut nonces = gateway::Nonces::default();
    let incoming = gateway::Incoming {
        authorization: Some(auth),
        method: "POST",
        scheme,
        host,
        path,
        query,
        body: body.as_bytes(),
    };
    let client = gateway::Client {
        consumer_key: "ck",
        public: public_key(),
    };
    let verdict = gateway::check(&incoming, &client, &mut nonces, 1);
    assert!(verdict.is_err(), "a fuzzed header passed the gateway");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_jwe(text);
    let _ = gateway::parse_header(text);
    check_request(text);
});

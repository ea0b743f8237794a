//! What Mastercard's API gateway checks before a request reaches the service: an OAuth 1.0a
//! signature (RSA-SHA256 or RSA-PSS) from a known consumer key over exactly this request, a
//! body hash of the bytes received, a timestamp in the window, and a nonce never seen before.
//! Rebuilt here with OpenSSL, independently of the module.

use std::collections::HashMap;

use openssl::hash::{hash, MessageDigest};
use openssl::pkey::{PKey, Public};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Verifier};

/// A gateway refusal: status, reason code, description.
pub type Refusal = (u16, &'static str, String);

/// Seconds a timestamp may be off.
pub const WINDOW_SECS: i64 = 300;

/// Nonces seen within the window, by consumer key and nonce, with their timestamps.
#[derive(Default)]
pub struct Nonces(HashMap<(String, String), i64>);

impl Nonces {
    /// Records the nonce; false when it was already used within the window.
    pub fn fresh(&mut self, consumer: &str, nonce: &str, ts: i64, now: i64) -> bool {
        if self.0.len() > 100_000 {
            self.0.retain(|_, &mut t| (now - t).abs() <= WINDOW_SECS);
        }
        self.0
            .insert((consumer.to_owned(), nonce.to_owned()), ts)
            .is_none()
    }
}

fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `k="v"` pairs of an `OAuth …` header.
pub fn parse_header(h: &str) -> Option<HashMap<String, String>> {
    let rest = h.strip_prefix("OAuth ")?;
    let mut out = HashMap::new();
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        let v = v.strip_prefix('"')?.strip_suffix('"')?;
        out.insert(k.to_owned(), v.to_owned());
    }
    Some(out)
}

fn decode_pct(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The RFC 5849 base string as Mastercard's gateway rebuilds it (query pairs as sent, oauth
/// values as they are, everything sorted, the parameter string encoded once).
pub fn base_string(
    method: &str,
    scheme: &str,
    host: &str,
    path: &str,
    query: &str,
    oauth: &[(String, String)],
) -> String {
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_suffix(if scheme == "https" { ":443" } else { ":80" })
        .unwrap_or(&host);
    let base_uri = format!(
        "{scheme}://{host}{}",
        if path.is_empty() { "/" } else { path }
    );
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect();
    pairs.extend(oauth.iter().cloned());
    pairs.sort();
    let params: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        pct(&base_uri),
        pct(&params.join("&"))
    )
}

/// A request as the gateway sees it.
pub struct Incoming<'a> {
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    /// `GET`, `POST`…
    pub method: &'a str,
    /// `http` or `https`.
    pub scheme: &'a str,
    /// The `Host` header.
    pub host: &'a str,
    /// The path, without its query.
    pub path: &'a str,
    /// The raw query, without `?`.
    pub query: &'a str,
    /// The body's bytes.
    pub body: &'a [u8],
}

/// The one client the gateway knows: its consumer key and signature key.
pub struct Client<'a> {
    /// The consumer key.
    pub consumer_key: &'a str,
    /// The public half of its signing key.
    pub public: &'a PKey<Public>,
}

/// The OAuth parameters of a request's header.
type Params = HashMap<String, String>;

/// Checks one request. `now` is Unix seconds. A request whose signature verified spends its
/// nonce; nothing else does.
pub fn check(
    req: &Incoming,
    client: &Client,
    nonces: &mut Nonces,
    now: i64,
) -> Result<(), Refusal> {
    let p = oauth_params(req.authorization, client.consumer_key)?;
    let ts = fresh_and_whole(&p, req.body, now)?;
    verify(&p, req, client)?;
    let nonce = p.get("oauth_nonce").map(String::as_str).unwrap_or_default();
    if !nonces.fresh(client.consumer_key, nonce, ts, now) {
        return Err((
            403,
            "AUTHENTICATION_FAILED",
            "the nonce was already used".to_owned(),
        ));
    }
    Ok(())
}

/// The header's OAuth parameters, every one required present, the consumer key known and the
/// method and version Mastercard's.
fn oauth_params(authorization: Option<&str>, consumer_key: &str) -> Result<Params, Refusal> {
    let header = authorization.ok_or((
        401,
        "AUTHENTICATION_FAILED",
        "no Authorization header".to_owned(),
    ))?;
    let p = parse_header(header).ok_or((
        400,
        "INVALID_AUTH_HEADER",
        "the Authorization header is not OAuth 1.0a".to_owned(),
    ))?;
    let get = |k: &str| p.get(k).map(String::as_str);
    for k in [
        "oauth_consumer_key",
        "oauth_nonce",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_version",
        "oauth_signature",
        "oauth_body_hash",
    ] {
        get(k).ok_or_else(|| (400, "INVALID_AUTH_HEADER", format!("{k} is missing")))?;
    }
    if get("oauth_consumer_key") != Some(consumer_key) {
        return Err((401, "DECLINED", "unknown consumer key".to_owned()));
    }
    let method = get("oauth_signature_method");
    if !matches!(method, Some("RSA-SHA256" | "RSA-PSS")) || get("oauth_version") != Some("1.0") {
        return Err((
            400,
            "INVALID_AUTH_HEADER",
            "oauth_signature_method must be RSA-SHA256 or RSA-PSS and oauth_version 1.0".to_owned(),
        ));
    }
    Ok(p)
}

fn failed(why: &str) -> Refusal {
    (403, "AUTHENTICATION_FAILED", why.to_owned())
}

/// The body hash matches `body`, and the timestamp (returned) is within the window of `now`.
fn fresh_and_whole(p: &Params, body: &[u8], now: i64) -> Result<i64, Refusal> {
    let get = |k: &str| p.get(k).map(String::as_str);
    let body_hash = hash(MessageDigest::sha256(), body).map_err(|_| failed("hash"))?;
    if get("oauth_body_hash") != Some(&openssl::base64::encode_block(&body_hash)) {
        return Err(failed("oauth_body_hash does not match the body"));
    }
    let ts: i64 = get("oauth_timestamp")
        .unwrap_or_default()
        .parse()
        .map_err(|_| failed("oauth_timestamp is not a number"))?;
    if (now - ts).abs() > WINDOW_SECS {
        return Err(failed("oauth_timestamp is outside the allowed window"));
    }
    Ok(ts)
}

/// The signature over the base string this gateway computes for `req`.
fn verify(p: &Params, req: &Incoming, client: &Client) -> Result<(), Refusal> {
    let oauth: Vec<(String, String)> = p
        .iter()
        .filter(|(k, _)| *k != "oauth_signature")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let sbs = base_string(
        req.method, req.scheme, req.host, req.path, req.query, &oauth,
    );
    let given = p
        .get("oauth_signature")
        .map(String::as_str)
        .unwrap_or_default();
    let signature = decode_pct(given)
        .and_then(|s| openssl::base64::decode_block(std::str::from_utf8(&s).ok()?).ok())
        .ok_or_else(|| failed("oauth_signature is not base64"))?;
    let mut v =
        Verifier::new(MessageDigest::sha256(), client.public).map_err(|_| failed("verifier"))?;
    if p.get("oauth_signature_method").map(String::as_str) == Some("RSA-PSS") {
        // Mastercard's signers' RSA-PSS: SHA-256, MGF1 with SHA-256, a 32-byte salt.
        v.set_rsa_padding(Padding::PKCS1_PSS)
            .and_then(|()| v.set_rsa_mgf1_md(MessageDigest::sha256()))
            .and_then(|()| v.set_rsa_pss_saltlen(RsaPssSaltlen::custom(32)))
            .map_err(|_| failed("verifier"))?;
    }
    if v.verify_oneshot(&signature, sbs.as_bytes())
        .unwrap_or(false)
    {
        return Ok(());
    }
    // As Mastercard's gateway answers: 401, with the base string it computed, so the caller
    // can compare it with the one they signed (`OAuth1Signer.signatureBaseString`).
    Err((
        401,
        "AUTHENTICATION_FAILED",
        format!("OAuth signatures did not match. Acceptable signature base string: {sbs}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_base_string() {
        let oauth: Vec<(String, String)> = [
            ("oauth_consumer_key", "aaa!aaa"),
            ("oauth_nonce", "uTeLPs6K"),
            ("oauth_signature_method", "RSA-SHA256"),
            ("oauth_timestamp", "1524771555"),
            ("oauth_version", "1.0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = base_string("GET", "https", "sandbox.api.mastercard.com", "/merchantid/v1/merchantid", "Format=XML&Format=JSON&MerchantId=GOOGLE%20LTD%20ADWORDS%20CC%40GOOGLE.COM&Type=ExactMatch", &oauth);
        assert_eq!(s, "GET&https%3A%2F%2Fsandbox.api.mastercard.com%2Fmerchantid%2Fv1%2Fmerchantid&Format%3DJSON%26Format%3DXML%26MerchantId%3DGOOGLE%2520LTD%2520ADWORDS%2520CC%2540GOOGLE.COM%26Type%3DExactMatch%26oauth_consumer_key%3Daaa%21aaa%26oauth_nonce%3DuTeLPs6K%26oauth_signature_method%3DRSA-SHA256%26oauth_timestamp%3D1524771555%26oauth_version%3D1.0");
    }

    #[test]
    fn nonces_are_single_use() {
        let mut n = Nonces::default();
        assert!(n.fresh("ck", "a", 10, 10));
        assert!(!n.fresh("ck", "a", 10, 11));
        assert!(n.fresh("other", "a", 10, 11));
    }
}

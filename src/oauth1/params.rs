//! The parameter string (RFC 5849 3.4.1.3.2, as Mastercard's libraries build it): the query's
//! pairs as they appear in the URL and the `oauth_*` parameters, sorted by name and then value,
//! `name=value` joined by `&`.

use crate::format::join;

/// The parameter string of a raw query and the `oauth_*` parameters. A query name without `=`
/// has the empty value; empty segments (`&&`) are skipped.
pub fn parameter_string(query: &str, oauth: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    pairs.extend_from_slice(oauth);
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 256);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&join(&[k, "=", v]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_vectors() {
        let rfc = parameter_string(
            "b5=%3D%253D&a3=a&a3=2%20q&c%40=&a2=r%20b&c2=",
            &[
                ("oauth_consumer_key", "9djdj82h48djs9d2"),
                ("oauth_token", "kkk9d7dh3k39sjv7"),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "137131201"),
                ("oauth_nonce", "7d8f3e4a"),
            ],
        );
        assert_eq!(rfc, "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7");
        assert_eq!(
            parameter_string("offset=0&offset=1&length=10&empty&odd=", &[]),
            "empty=&length=10&odd=&offset=0&offset=1"
        );
    }

    #[test]
    fn empty_query_and_empty_segments() {
        assert_eq!(
            parameter_string("", &[("oauth_version", "1.0")]),
            "oauth_version=1.0"
        );
        assert_eq!(parameter_string("b=2&&a=1&", &[]), "a=1&b=2");
        assert_eq!(parameter_string("a=x=y", &[]), "a=x=y");
    }
}

//! The OAuth 1.0a base URI and parameter string from a caller's URL: no panic, the base URI has
//! no query or fragment, and the parameter string is the same for the same input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::oauth1::{base_uri, params};

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
    }
});

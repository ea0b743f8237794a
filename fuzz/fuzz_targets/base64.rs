//! Base64 for key material and JWE segments: round trips, agreement with base64ct on the plain
//! base64url alphabet, and no panic on anything.
#![no_main]
use base64ct::{Base64UrlUnpadded, Encoding};
use libfuzzer_sys::fuzz_target;
use points_activity::base64::{decode_lenient, decode_lenient_bytes, encode_std, encode_url};

fuzz_target!(|data: &[u8]| {
    // Round trips, both alphabets.
    assert_eq!(
        decode_lenient(&encode_url(data)).ok().as_deref(),
        Some(data)
    );
    assert_eq!(
        decode_lenient(&encode_std(data)).ok().as_deref(),
        Some(data)
    );
    // Arbitrary text: no panic, and agreement with base64ct where the input is plain base64url.
    let _ = decode_lenient_bytes(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let ours = decode_lenient(text);
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if plain {
            let reference = Base64UrlUnpadded::decode_vec(text);
            assert_eq!(
                ours.ok(),
                reference.ok(),
                "disagrees with base64ct on {text:?}"
            );
        }
    }
});

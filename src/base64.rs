//! Base64 as JOSE meets it in the wild, on `base64ct` (constant time, strict about canonical
//! encodings).
//!
//! Encoding is always strict base64url without padding (RFC 7515 section 2), or standard base64
//! where OAuth wants it. Decoding is lenient only where Mastercard's libraries are sloppy: their
//! Node library's "base64url" can carry `+` and `/`, even mixed with `-` and `_`, and padding may
//! be there or not. Those two characters are mapped onto base64url's, the padding checked and
//! dropped, and the rest decoded strictly, so a non-zero remainder in the last character or a
//! length no encoder produces is still an error.

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

/// Why a string is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError;

/// Strict base64url without padding.
pub fn encode_url(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Standard base64 with padding (OAuth's body hash and signature).
pub fn encode_std(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Decodes base64 or base64url, mixed alphabets allowed, padding optional but correct if
/// present. One constant-time decoder serves every caller, private key bodies included: the
/// normalized copy of the text is wiped, and the output is allocated once at its size.
pub fn decode_lenient(input: &str) -> Result<Vec<u8>, DecodeError> {
    decode_lenient_bytes(input.as_bytes())
}

/// [`decode_lenient`] over bytes (anything but ASCII is refused anyway).
pub fn decode_lenient_bytes(bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    // Padding completes the last group, with one or two `=`, and nothing else.
    if pad > 2 || (pad > 0 && bytes.len() % 4 != 0) {
        return Err(DecodeError);
    }
    let body = &bytes[..bytes.len() - pad];
    let mut url = Zeroizing::new(Vec::with_capacity(body.len()));
    url.extend(body.iter().map(|&b| match b {
        b'+' => b'-',
        b'/' => b'_',
        other => other,
    }));
    let text = core::str::from_utf8(&url).map_err(|_| DecodeError)?;
    // Wiped even when decoding fails halfway: a malformed key body leaves nothing behind.
    let mut out = Zeroizing::new(vec![0u8; text.len() / 4 * 3 + 2]);
    let len = Base64UrlUnpadded::decode(text, &mut out)
        .map_err(|_| DecodeError)?
        .len();
    out.truncate(len);
    Ok(std::mem::take(&mut *out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length() {
        for n in 0..70u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let url = encode_url(&bytes);
            assert!(!url.contains(['+', '/', '=']));
            assert_eq!(decode_lenient(&url).unwrap(), bytes);
            assert_eq!(decode_lenient(&encode_std(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn reads_what_mastercards_node_library_writes() {
        // 0xfb 0xff 0xbf: "+/+/" in standard base64, "-_-_" in base64url; mixed is accepted.
        let want = [0xfb, 0xff, 0xbf, 0xfb, 0xff, 0xbf];
        for text in ["-_-_-_-_", "+/+/+/+/", "+_-/+_-/"] {
            assert_eq!(decode_lenient(text).unwrap(), want, "{text}");
        }
        assert_eq!(decode_lenient("AQ==").unwrap(), [1]);
        assert_eq!(decode_lenient("AQ").unwrap(), [1]);
    }

    #[test]
    fn refuses_what_no_encoder_writes() {
        for bad in [
            "A", "AQ=", "AQ===", "A===", "AR", "AQI=x", "AQ=I", "A Q", "AQ\n", "é", "AQ*=", "=",
        ] {
            assert_eq!(decode_lenient(bad), Err(DecodeError), "{bad:?}");
        }
    }
}

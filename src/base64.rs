//! Base64 as JOSE meets it in the wild.
//!
//! Encoding is always strict base64url without padding (RFC 7515 section 2). Decoding is lenient
//! where Mastercard's libraries are sloppy (both alphabets, even mixed; padding optional) and strict
//! where leniency would let two different strings mean the same bytes without reason: a non-zero
//! remainder in the last character, or a length no encoder produces, is an error.


/// Why a string is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside both alphabets, at this byte offset.
    InvalidCharacter(usize),
    /// A length that no encoder produces (one character past a full group).
    InvalidLength,
    /// Padding in the wrong place or of the wrong amount.
    InvalidPadding,
    /// The last character carries bits that no encoder sets.
    NonCanonical,
}

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STD_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// 0xFF marks a byte outside both alphabets.
const DECODE: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 64 {
        t[URL_ALPHABET[i] as usize] = i as u8;
        t[STD_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let full = bytes.len() / 3;
    let rest = bytes.len() % 3;
    let tail_len = match (rest, pad) {
        (0, _) => 0,
        (_, true) => 4,
        (r, false) => r + 1,
    };
    // Written by index into a buffer of the final size: the hot loop for 64 KiB payloads, and
    // measurably faster than pushing under opt-level "z".
    let mut out = vec![0u8; full * 4 + tail_len];
    for (src, dst) in bytes.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        let n = (u32::from(src[0]) << 16) | (u32::from(src[1]) << 8) | u32::from(src[2]);
        dst[0] = alphabet[(n >> 18) as usize & 63];
        dst[1] = alphabet[(n >> 12) as usize & 63];
        dst[2] = alphabet[(n >> 6) as usize & 63];
        dst[3] = alphabet[n as usize & 63];
    }
    let tail = &mut out[full * 4..];
    match bytes[full * 3..] {
        [a] => {
            tail[0] = alphabet[usize::from(a >> 2)];
            tail[1] = alphabet[usize::from((a & 3) << 4)];
            if pad {
                tail[2..4].copy_from_slice(b"==");
            }
        }
        [a, b] => {
            tail[0] = alphabet[usize::from(a >> 2)];
            tail[1] = alphabet[usize::from(((a & 3) << 4) | (b >> 4))];
            tail[2] = alphabet[usize::from((b & 15) << 2)];
            if pad {
                tail[3] = b'=';
            }
        }
        _ => {}
    }
    // Every byte written comes from an ASCII alphabet or is '='.
    String::from_utf8(out).unwrap_or_default()
}

/// Strict base64url, no padding: what JOSE requires on the wire.
pub fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_ALPHABET, false)
}

/// Standard base64 with padding (OAuth 1.0a body hashes and signatures).
pub fn encode_std(bytes: &[u8]) -> String {
    encode_with(bytes, STD_ALPHABET, true)
}

/// The characters of a base64 text without its padding, once the padding is checked.
fn body(raw: &[u8]) -> Result<&[u8], DecodeError> {
    let body_len = raw.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1);
    let pad = raw.len() - body_len;
    if pad > 2 || (pad > 0 && raw.len() % 4 != 0) {
        return Err(DecodeError::InvalidPadding);
    }
    let body = &raw[..body_len];
    if body.len() % 4 == 1 {
        return Err(DecodeError::InvalidLength);
    }
    if pad > 0 && body.len() % 4 == 0 {
        return Err(DecodeError::InvalidPadding);
    }
    Ok(body)
}

/// The bytes carried by the final 2 or 3 characters (`rest`, starting at `offset`), refusing
/// bits no encoder sets: 2 characters carry 12 bits for 1 byte, 3 carry 18 bits for 2 bytes.
fn tail(rest: &[u8], offset: usize) -> Result<([u8; 2], usize), DecodeError> {
    let mut n = 0u32;
    for (i, &b) in rest.iter().enumerate() {
        let v = DECODE[usize::from(b)];
        if v == 0xFF {
            return Err(DecodeError::InvalidCharacter(offset + i));
        }
        n = (n << 6) | u32::from(v);
    }
    let (bytes, spare_bits) = if rest.len() == 2 { (1, 4) } else { (2, 2) };
    if n & ((1 << spare_bits) - 1) != 0 {
        return Err(DecodeError::NonCanonical);
    }
    let n = n >> spare_bits;
    Ok(if bytes == 1 {
        ([n as u8, 0], 1)
    } else {
        ([(n >> 8) as u8, n as u8], 2)
    })
}

/// Per byte: 0 for the base64url alphabet, 1 for `+` and `/`, 2 for anything else.
const CLASS: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut i = 0;
    while i < 64 {
        t[URL_ALPHABET[i] as usize] = 0;
        i += 1;
    }
    t[b'+' as usize] = 1;
    t[b'/' as usize] = 1;
    t
};

/// What [`check`] found in a valid base64 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Bytes it decodes to.
    pub len: usize,
    /// Only the base64url alphabet and no padding: any strict base64url decoder reads it alike.
    pub url_safe: bool,
}

/// Validates a text exactly as [`decode_lenient`] would, without decoding it, so a runtime's
/// native decoder can do the decoding of a large segment.
pub fn check(input: &str) -> Result<Checked, DecodeError> {
    let body = body(input.as_bytes())?;
    let full = body.len() / 4 * 4;
    // One load and one OR per byte, no branch: this runs over megabyte segments.
    let class = body.iter().fold(0u8, |acc, &b| acc | CLASS[usize::from(b)]);
    if class & 2 != 0 {
        let at = body
            .iter()
            .position(|&b| CLASS[usize::from(b)] == 2)
            .unwrap_or(0);
        return Err(DecodeError::InvalidCharacter(at));
    }
    let extra = if full < body.len() {
        tail(&body[full..], full)?.1
    } else {
        0
    };
    Ok(Checked {
        len: full / 4 * 3 + extra,
        url_safe: class == 0 && body.len() == input.len(),
    })
}

/// Decodes base64 or base64url, mixed alphabets allowed, padding optional but correct if present.
pub fn decode_lenient(input: &str) -> Result<Vec<u8>, DecodeError> {
    decode_lenient_bytes(input.as_bytes())
}

/// [`decode_lenient`] over bytes (text that need not be UTF-8: anything else is refused anyway).
pub fn decode_lenient_bytes(input: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let body = body(input)?;
    let mut out = vec![0u8; body.len() / 4 * 3];
    let mut chunks = body.chunks_exact(4);
    for (k, (c, dst)) in (&mut chunks).zip(out.chunks_exact_mut(3)).enumerate() {
        let (a, b, d, e) = (
            DECODE[usize::from(c[0])],
            DECODE[usize::from(c[1])],
            DECODE[usize::from(c[2])],
            DECODE[usize::from(c[3])],
        );
        // Valid values fit in 6 bits; the 0xFF marker does not.
        if (a | b | d | e) > 63 {
            let bad = c
                .iter()
                .position(|&x| DECODE[usize::from(x)] == 0xFF)
                .unwrap_or(0);
            return Err(DecodeError::InvalidCharacter(k * 4 + bad));
        }
        let n = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(d) << 6) | u32::from(e);
        dst[0] = (n >> 16) as u8;
        dst[1] = (n >> 8) as u8;
        dst[2] = n as u8;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let (bytes, n) = tail(rest, body.len() - rest.len())?;
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_both_encodings() {
        let cases: [(&str, &str, &str); 7] = [
            ("", "", ""),
            ("f", "Zg", "Zg=="),
            ("fo", "Zm8", "Zm8="),
            ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg", "Zm9vYg=="),
            ("fooba", "Zm9vYmE", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ];
        for (plain, url, std) in cases {
            assert_eq!(encode_url(plain.as_bytes()), url);
            assert_eq!(encode_std(plain.as_bytes()), std);
            assert_eq!(decode_lenient(url).unwrap(), plain.as_bytes());
            assert_eq!(decode_lenient(std).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn alphabets_may_mix() {
        let bytes = [0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe];
        assert_eq!(encode_url(&bytes), "-_-_--_-");
        assert_eq!(encode_std(&bytes), "+/+/++/+");
        assert_eq!(decode_lenient("-/+_+-/-").unwrap(), bytes);
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..data.len() {
            let s = encode_url(&data[..len]);
            assert!(!s.contains(['=', '+', '/']));
            assert_eq!(decode_lenient(&s).unwrap(), &data[..len]);
            assert_eq!(
                decode_lenient(&encode_std(&data[..len])).unwrap(),
                &data[..len]
            );
        }
    }

    #[test]
    fn check_agrees_with_decode() {
        let data: Vec<u8> = (0..=255u8).collect();
        let mut texts: Vec<String> = Vec::new();
        for len in 0..70 {
            texts.push(encode_url(&data[len..len * 2 + 1]));
            texts.push(encode_std(&data[len..len * 2 + 1]));
        }
        texts.extend(
            [
                "Zm9vY", "Zm9v!mFy", "Zh", "Zm9", "Zg=", "Zg===", "-/+_+-/-", "Zm9vYg", "Zm 9vg",
                "a=b=",
            ]
            .map(String::from),
        );
        for t in texts {
            match (check(&t), decode_lenient(&t)) {
                (Ok(c), Ok(d)) => {
                    assert_eq!(c.len, d.len(), "{t}");
                    assert_eq!(c.url_safe, !t.contains(['+', '/', '=']), "{t}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{t}"),
                (c, d) => panic!("{t}: check {c:?} but decode {d:?}"),
            }
        }
    }

    #[test]
    fn rejects_what_no_encoder_produces() {
        assert_eq!(decode_lenient("Zm9vY"), Err(DecodeError::InvalidLength));
        assert_eq!(
            decode_lenient("Zm9v!mFy"),
            Err(DecodeError::InvalidCharacter(4))
        );
        assert_eq!(
            decode_lenient("Zm 9vg"),
            Err(DecodeError::InvalidCharacter(2))
        );
        assert_eq!(decode_lenient("Zh"), Err(DecodeError::NonCanonical));
        assert_eq!(decode_lenient("Zm9"), Err(DecodeError::NonCanonical));
        assert_eq!(decode_lenient("Zg="), Err(DecodeError::InvalidPadding));
        assert_eq!(decode_lenient("Zg==="), Err(DecodeError::InvalidPadding));
        assert_eq!(decode_lenient("Zm9v===="), Err(DecodeError::InvalidPadding));
        assert_eq!(
            decode_lenient("Zm=9vg=="),
            Err(DecodeError::InvalidCharacter(2))
        );
        assert_eq!(decode_lenient("é"), Err(DecodeError::InvalidCharacter(0)));
    }
}

//! Just enough DER to find an RSA key inside the containers keys come in. Definite lengths only
//! (DER forbids the others); every read is bounds-checked.

use crate::error::{Error, Result};

/// Universal tags used here.
pub const INTEGER: u8 = 0x02;
/// BIT STRING.
pub const BIT_STRING: u8 = 0x03;
/// OCTET STRING.
pub const OCTET_STRING: u8 = 0x04;
/// NULL.
pub const NULL: u8 = 0x05;
/// OBJECT IDENTIFIER.
pub const OID: u8 = 0x06;
/// SEQUENCE (constructed).
pub const SEQUENCE: u8 = 0x30;
/// `[0]` constructed, context-specific: the X.509 version wrapper.
pub const CONTEXT_0: u8 = 0xA0;

/// The DER body of the rsaEncryption OID, 1.2.840.113549.1.1.1.
pub const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];

/// One element: its tag, its content, and the whole encoding (tag and length included).
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The content octets.
    pub content: &'a [u8],
    /// Tag, length and content together.
    pub raw: &'a [u8],
}

fn malformed() -> Error {
    Error::key("the key is not valid DER")
}

/// Reads elements one after another from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// True when nothing is left.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next element, whatever its tag.
    pub fn any(&mut self) -> Result<Tlv<'a>> {
        let bytes = self.rest;
        let (&tag, after_tag) = bytes.split_first().ok_or_else(malformed)?;
        if tag & 0x1F == 0x1F {
            return Err(malformed()); // multi-byte tags appear in no key format
        }
        let (&first, after_len0) = after_tag.split_first().ok_or_else(malformed)?;
        let (len, after_len) = if first < 0x80 {
            (usize::from(first), after_len0)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 4 || after_len0.len() < n {
                return Err(malformed());
            }
            let len = after_len0[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, &after_len0[n..])
        };
        if after_len.len() < len {
            return Err(malformed());
        }
        let header = bytes.len() - after_len.len();
        let tlv = Tlv {
            tag,
            content: &after_len[..len],
            raw: &bytes[..header + len],
        };
        self.rest = &after_len[len..];
        Ok(tlv)
    }

    /// The next element, which must carry `tag`.
    pub fn read(&mut self, tag: u8) -> Result<Tlv<'a>> {
        let tlv = self.any()?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(malformed())
        }
    }

    /// The tag of the next element without consuming it.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }
}

/// Reads exactly one element spanning all of `bytes`.
pub fn single(bytes: &[u8], tag: u8) -> Result<Tlv<'_>> {
    let mut r = Reader::new(bytes);
    let tlv = r.read(tag)?;
    if r.is_empty() {
        Ok(tlv)
    } else {
        Err(malformed())
    }
}

/// Encodes one element.
pub fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes an unsigned big-endian number as an INTEGER: leading zeros dropped, one added back
/// where the top bit would otherwise make it negative.
pub fn encode_unsigned(value: &[u8]) -> Vec<u8> {
    let trimmed = match value.iter().position(|&b| b != 0) {
        Some(i) => &value[i..],
        None => &[0u8][..],
    };
    if trimmed[0] & 0x80 != 0 {
        let mut c = Vec::with_capacity(trimmed.len() + 1);
        c.push(0);
        c.extend_from_slice(trimmed);
        encode(INTEGER, &c)
    } else {
        encode(INTEGER, trimmed)
    }
}

/// The number of significant bits of an unsigned INTEGER's content.
pub fn unsigned_bits(content: &[u8]) -> usize {
    match content.iter().position(|&b| b != 0) {
        Some(i) => (content.len() - i) * 8 - content[i].leading_zeros() as usize,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let content = vec![0xAB; len];
            let enc = encode(OCTET_STRING, &content);
            let tlv = single(&enc, OCTET_STRING).unwrap();
            assert_eq!(tlv.content.len(), len);
            assert_eq!(tlv.raw, &enc[..]);
        }
    }

    #[test]
    fn rejects_truncation_indefinite_lengths_and_trailing_bytes() {
        let bad: [&[u8]; 6] = [
            &[],
            &[0x30],
            &[0x30, 0x05, 0x00],
            &[0x30, 0x80, 0x00, 0x00],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x04, 0x00, 0x00],
        ];
        for b in bad {
            assert!(
                single(b, b.first().copied().unwrap_or(0x30)).is_err(),
                "{b:?}"
            );
        }
        assert!(single(&[0x04, 0x00], SEQUENCE).is_err());
    }

    #[test]
    fn unsigned_integers() {
        assert_eq!(encode_unsigned(&[0x00, 0x01]), vec![0x02, 0x01, 0x01]);
        assert_eq!(encode_unsigned(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(encode_unsigned(&[]), vec![0x02, 0x01, 0x00]);
        assert_eq!(unsigned_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bits(&[0x01]), 1);
        assert_eq!(unsigned_bits(&[0x00]), 0);
    }
}

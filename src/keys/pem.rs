//! PEM blocks (RFC 7468), tolerant of what tools put around them: `Bag Attributes` lines from
//! `openssl pkcs12`, CRLF line ends, several blocks in one file.

use zeroize::Zeroizing;

use super::secret::Secret;
use crate::base64::decode_lenient_bytes;
use crate::error::{Error, Result};
use crate::format::join;

/// One PEM block: its label and its decoded DER (wiped on drop: it may be a private key).
#[derive(Debug)]
pub struct Block {
    /// The label between `BEGIN ` and the dashes, e.g. `PRIVATE KEY`.
    pub label: String,
    /// The decoded body.
    pub der: Secret,
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// Byte-wise search. `str::find` with a string pattern costs ~7 KB of wasm (a two-way searcher
/// and its panic paths) for what is a few short searches over a key file.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PEM body (standard base64, padded or not, lines broken anywhere) decoded in constant
/// time (`base64ct`, through `base64::decode_lenient_bytes`: no table indexed by secret
/// characters). Every buffer is allocated at its final size and wiped: a private key leaves
/// no copy behind.
fn decode_body(body: &[u8]) -> Option<Secret> {
    let mut text = Zeroizing::new(Vec::with_capacity(body.len()));
    text.extend(body.iter().copied().filter(|c| !c.is_ascii_whitespace()));
    decode_lenient_bytes(&text).ok().map(Secret::new)
}

/// Every block in `text`, in order.
pub fn parse_all(text: &str) -> Result<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut rest = text.as_bytes();
    while let Some(start) = find(rest, BEGIN) {
        let after_begin = &rest[start + BEGIN.len()..];
        let label_end = find(after_begin, DASHES)
            .ok_or_else(|| Error::key("a PEM BEGIN line is not closed"))?;
        let label = &after_begin[..label_end];
        if label.len() > 64
            || !label
                .iter()
                .all(|&b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit())
        {
            return Err(Error::key("a PEM label is malformed"));
        }
        // Checked just above: ASCII only.
        let label = String::from_utf8(label.to_vec()).unwrap_or_default();
        let body_and_rest = &after_begin[label_end + DASHES.len()..];
        let mut end_line = END.to_vec();
        end_line.extend_from_slice(label.as_bytes());
        end_line.extend_from_slice(DASHES);
        let body_end = find(body_and_rest, &end_line).ok_or_else(|| {
            Error::key(join(&[
                "the PEM block \"",
                &label,
                "\" has no matching END line",
            ]))
        })?;
        let body = &body_and_rest[..body_end];
        if body.contains(&b':') {
            return Err(Error::key(
                "encrypted PEM (Proc-Type/DEK-Info headers) is not supported: decrypt the key with openssl first",
            ));
        }
        let der = decode_body(body).ok_or_else(|| {
            Error::key(join(&[
                "the body of the PEM block \"",
                &label,
                "\" is not base64",
            ]))
        })?;
        if der.expose().is_empty() {
            return Err(Error::key(join(&[
                "the PEM block \"",
                &label,
                "\" is empty",
            ])));
        }
        blocks.push(Block { label, der });
        rest = &body_and_rest[body_end + end_line.len()..];
    }
    if blocks.is_empty() {
        return Err(Error::key("no PEM block found"));
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_among_bag_attributes_and_crlf() {
        let text = "Bag Attributes\r\n    localKeyID: 01 00\r\nsubject=/CN=x\r\n-----BEGIN CERTIFICATE-----\r\nAQID\r\nBA==\r\n-----END CERTIFICATE-----\r\nBag Attributes\n-----BEGIN PRIVATE KEY-----\nBQYH\n-----END PRIVATE KEY-----\n";
        let blocks = parse_all(text).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der.expose(), &[1, 2, 3, 4]);
        assert_eq!(blocks[1].label, "PRIVATE KEY");
        assert_eq!(blocks[1].der.expose(), &[5, 6, 7]);
    }

    #[test]
    fn rejects_garbage() {
        for text in [
            "",
            "hello",
            "-----BEGIN PUBLIC KEY-----\nAQID\n",
            "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PRIVATE KEY-----",
            "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAQID\n-----END RSA PRIVATE KEY-----",
            "-----BEGIN pub<script>-----\nAQID\n-----END pub<script>-----",
        ] {
            assert!(parse_all(text).is_err(), "{text}");
        }
    }
}

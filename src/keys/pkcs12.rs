//! PKCS#12 (`.p12`, `.pfx`) key files, as Mastercard's developer portal issues signing and
//! decryption keys: the one private key in the file (or the one whose friendly name is
//! `alias`), after the file's MAC is checked. The password-based cryptography is in `pbe.rs`.
//!
//! Read with the crate's own DER reader (`der.rs`, fuzzed) over borrowed slices rather than
//! `pkcs12`'s types, which copy every bag's value into vectors nothing wipes (a clear key bag
//! is a private key): here the only copies of key material are the decrypted buffers, each
//! wiped on drop. Files in BER with indefinite lengths (some Windows and BouncyCastle exports)
//! are refused as not valid; `openssl pkcs12` re-encodes them.

use hmac::SimpleHmac;
use pkcs12::kdf::Pkcs12KeyType;
use zeroize::Zeroizing;

use super::der::{self, Reader, Tlv};
use super::material::{private_pkcs8_from_der, PrivatePkcs8};
use super::pbe::{iterations, unsupported, wrong_password, Opener};
use crate::error::{Error, Result};

/// `id-data` (PKCS#7).
const DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
/// `id-encryptedData` (PKCS#7).
const ENCRYPTED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x06];
/// `keyBag`: a PKCS#8 private key in clear (inside an encrypted safe, usually).
const KEY_BAG: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x01,
];
/// `pkcs8ShroudedKeyBag`: an `EncryptedPrivateKeyInfo`.
const SHROUDED_KEY_BAG: &[u8] = &[
    0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x0A, 0x01, 0x02,
];
/// `friendlyName` (PKCS#9): the alias keytool and OpenSSL's `-name` write.
const FRIENDLY_NAME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x14];
/// The MAC digests OpenSSL (legacy: SHA-1; modern: SHA-256) and keytool write, and SHA-512.
const SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// Most safes and bags read from one file (a portal's file has two safes and two bags).
const MAX_ITEMS: usize = 64;

fn malformed() -> Error {
    Error::key("the PKCS#12 file is not valid (truncated, or not PKCS#12)")
}

/// The keys found so far, with their friendly names, and how many items were read.
struct Found<'a> {
    alias: Option<&'a str>,
    keys: Vec<(Option<String>, PrivatePkcs8)>,
    items: usize,
}

impl Found<'_> {
    fn count(&mut self) -> Result<()> {
        self.items += 1;
        if self.items > MAX_ITEMS {
            return Err(Error::key(
                "the PKCS#12 file holds more safes and bags than accepted (64)",
            ));
        }
        Ok(())
    }
}

/// The private key of a PKCS#12 file, as PKCS#8 (wiped on drop).
pub fn private_key(pfx: &[u8], password: &str, alias: Option<&str>) -> Result<PrivatePkcs8> {
    let opener = Opener::new(password)?;
    let outer = der::single(pfx, der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(outer.content);
    if r.read(der::INTEGER).map_err(|_| malformed())?.content != [3] {
        return Err(malformed());
    }
    let auth_safe = data_content(r.read(der::SEQUENCE).map_err(|_| malformed())?)?;
    match r.any() {
        Ok(mac_data) if mac_data.tag == der::SEQUENCE => check_mac(mac_data, auth_safe, &opener)?,
        _ => {
            return Err(Error::key(
                "the PKCS#12 file has no MAC: it cannot be checked",
            ))
        }
    }
    let mut found = Found {
        alias,
        keys: Vec::new(),
        items: 0,
    };
    let mut safes = Reader::new(
        der::single(auth_safe, der::SEQUENCE)
            .map_err(|_| malformed())?
            .content,
    );
    while !safes.is_empty() {
        found.count()?;
        let info = safes.read(der::SEQUENCE).map_err(|_| malformed())?;
        let mut c = Reader::new(info.content);
        let kind = c.read(der::OID).map_err(|_| malformed())?;
        if kind.content == DATA {
            bags(data_content(info)?, &opener, &mut found)?;
        } else if kind.content == ENCRYPTED_DATA {
            let clear =
                encrypted_content(c.read(der::CONTEXT_0).map_err(|_| malformed())?, &opener)?;
            bags(&clear, &opener, &mut found)?;
        }
    }
    choose(found)
}

/// The one key, or the one named by the alias.
fn choose(found: Found<'_>) -> Result<PrivatePkcs8> {
    let alias = found.alias;
    let mut keys = found
        .keys
        .into_iter()
        .filter(|(name, _)| alias.is_none() || name.as_deref() == alias);
    match (keys.next(), keys.next(), alias) {
        (Some((_, key)), None, _) => Ok(key),
        (None, _, None) => Err(Error::key("the PKCS#12 file holds no private key")),
        (None, _, Some(_)) => Err(Error::key(
            "the PKCS#12 file holds no private key with that alias",
        )),
        (Some(_), Some(_), _) => Err(Error::key(
            "the PKCS#12 file holds several private keys: give `alias`, the one to use",
        )),
    }
}

/// The OCTET STRING of a `ContentInfo` of type `data`.
fn data_content(info: Tlv<'_>) -> Result<&[u8]> {
    let mut r = Reader::new(info.content);
    if r.read(der::OID).map_err(|_| malformed())?.content != DATA {
        return Err(unsupported(
            "a public-key (not password) protected container",
        ));
    }
    let explicit = r.read(der::CONTEXT_0).map_err(|_| malformed())?;
    Ok(der::single(explicit.content, der::OCTET_STRING)
        .map_err(|_| malformed())?
        .content)
}

/// `EncryptedData`'s content, decrypted.
fn encrypted_content(explicit: Tlv<'_>, opener: &Opener) -> Result<Zeroizing<Vec<u8>>> {
    let data = der::single(explicit.content, der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(data.content);
    r.read(der::INTEGER).map_err(|_| malformed())?;
    let info = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(info.content);
    r.read(der::OID).map_err(|_| malformed())?;
    let algorithm = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    // `[0] IMPLICIT OCTET STRING`, primitive.
    let ciphertext = r.read(0x80).map_err(|_| malformed())?;
    opener.decrypt(algorithm, ciphertext.content)
}

/// The private keys of a `SafeContents`, with their friendly names. With an alias, a shrouded
/// key of another name is not decrypted.
fn bags(contents: &[u8], opener: &Opener, found: &mut Found<'_>) -> Result<()> {
    let mut r = Reader::new(
        der::single(contents, der::SEQUENCE)
            .map_err(|_| malformed())?
            .content,
    );
    while !r.is_empty() {
        found.count()?;
        let bag = r.read(der::SEQUENCE).map_err(|_| malformed())?;
        let mut b = Reader::new(bag.content);
        let kind = b.read(der::OID).map_err(|_| malformed())?.content;
        let value = b.read(der::CONTEXT_0).map_err(|_| malformed())?;
        let name = if b.is_empty() {
            None
        } else {
            friendly_name(b.any().map_err(|_| malformed())?)
        };
        let wanted = found.alias.is_none() || name.as_deref() == found.alias;
        if kind == KEY_BAG {
            found
                .keys
                .push((name, private_pkcs8_from_der(value.content)?));
        } else if kind == SHROUDED_KEY_BAG && wanted {
            let info = der::single(value.content, der::SEQUENCE).map_err(|_| malformed())?;
            let mut e = Reader::new(info.content);
            let algorithm = e.read(der::SEQUENCE).map_err(|_| malformed())?;
            let ciphertext = e.read(der::OCTET_STRING).map_err(|_| malformed())?;
            let pkcs8 = opener.decrypt(algorithm, ciphertext.content)?;
            found.keys.push((name, private_pkcs8_from_der(&pkcs8)?));
        }
    }
    Ok(())
}

/// The `friendlyName` among a bag's attributes (a BMPString), when there is one.
fn friendly_name(attributes: Tlv<'_>) -> Option<String> {
    let mut r = Reader::new(attributes.content);
    while let Ok(attribute) = r.read(der::SEQUENCE) {
        let mut a = Reader::new(attribute.content);
        if a.read(der::OID).ok()?.content != FRIENDLY_NAME {
            continue;
        }
        let values = a.any().ok()?;
        let bmp = Reader::new(values.content).read(0x1E).ok()?;
        if bmp.content.len() % 2 != 0 {
            return None;
        }
        let units = bmp
            .content
            .chunks_exact(2)
            .map(|p| p.try_into().map(u16::from_be_bytes).unwrap_or(0xFFFD));
        return char::decode_utf16(units)
            .collect::<core::result::Result<String, _>>()
            .ok();
    }
    None
}

/// Checks the MAC over the authenticated safe: HMAC with the PKCS#12-derived key.
fn check_mac(mac_data: Tlv<'_>, auth_safe: &[u8], opener: &Opener) -> Result<()> {
    let mut r = Reader::new(mac_data.content);
    let digest_info = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    let salt = r.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
    let rounds = if r.is_empty() {
        1
    } else {
        iterations(r.read(der::INTEGER).map_err(|_| malformed())?)?
    };
    let mut d = Reader::new(digest_info.content);
    let algorithm = d.read(der::SEQUENCE).map_err(|_| malformed())?;
    let expected = d.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
    let oid = Reader::new(algorithm.content)
        .read(der::OID)
        .map_err(|_| malformed())?
        .content;
    let mac = Mac {
        opener,
        salt,
        rounds,
        data: auth_safe,
        expected,
    };
    let ok = match oid {
        o if o == SHA1 => mac.matches::<sha1::Sha1>()?,
        o if o == SHA256 => mac.matches::<sha2::Sha256>()?,
        o if o == SHA512 => mac.matches::<sha2::Sha512>()?,
        _ => {
            return Err(unsupported(
                "a MAC digest other than SHA-1, SHA-256 or SHA-512",
            ))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(wrong_password())
    }
}

/// A MAC to check: what it covers and what the file says it is.
struct Mac<'a> {
    opener: &'a Opener,
    salt: &'a [u8],
    rounds: u32,
    data: &'a [u8],
    expected: &'a [u8],
}

impl Mac<'_> {
    /// Whether HMAC-`D` over the data, keyed by the PKCS#12 KDF, is the expected one
    /// (compared in constant time).
    fn matches<D>(&self) -> Result<bool>
    where
        D: sha2::Digest
            + sha2::digest::FixedOutputReset
            + sha2::digest::core_api::BlockSizeUser
            + Clone,
    {
        let size = <D as sha2::Digest>::output_size();
        let key = self
            .opener
            .derived::<D>(self.salt, Pkcs12KeyType::Mac, self.rounds, size)?;
        let mut mac =
            <SimpleHmac<D> as hmac::Mac>::new_from_slice(&key).map_err(|_| malformed())?;
        hmac::Mac::update(&mut mac, self.data);
        Ok(hmac::Mac::verify_slice(mac, self.expected).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::material::private_pkcs8_from_pem;

    const PASSWORD: &str = "portal-pass";

    fn jwe_key() -> Vec<u8> {
        let pem = include_str!("../../tests/fixtures/keys/jwe-private-key.pkcs8.pem");
        private_pkcs8_from_pem(pem).unwrap().der.expose().to_vec()
    }

    fn message(r: Result<PrivatePkcs8>) -> String {
        r.unwrap_err().message()
    }

    #[test]
    fn reads_modern_legacy_keytool_and_clear_key_bags() {
        for (name, file) in [
            (
                "modern",
                &include_bytes!("../../tests/fixtures/keys/jwe-modern.p12")[..],
            ),
            (
                "legacy",
                &include_bytes!("../../tests/fixtures/keys/jwe-legacy.p12")[..],
            ),
            (
                "keytool",
                &include_bytes!("../../tests/fixtures/keys/jwe-keytool.p12")[..],
            ),
            (
                "keybag",
                &include_bytes!("../../tests/fixtures/keys/jwe-keybag.p12")[..],
            ),
        ] {
            let key = private_key(file, PASSWORD, None).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(key.der.expose(), jwe_key().as_slice(), "{name}");
            assert_eq!(key.bits, 2048);
            let named = private_key(file, PASSWORD, Some("mc-decryption")).unwrap();
            assert_eq!(named.der.expose(), jwe_key().as_slice(), "{name} by alias");
        }
    }

    #[test]
    fn several_keys_need_an_alias() {
        let file = include_bytes!("../../tests/fixtures/keys/two-keys.p12");
        assert!(message(private_key(file, PASSWORD, None)).contains("several private keys"));
        let oauth = include_str!("../../tests/fixtures/keys/oauth-signing-key.pkcs8.pem");
        let signing = private_key(file, PASSWORD, Some("mc-signing")).unwrap();
        assert_eq!(
            signing.der.expose(),
            private_pkcs8_from_pem(oauth).unwrap().der.expose()
        );
        let decryption = private_key(file, PASSWORD, Some("mc-decryption")).unwrap();
        assert_eq!(decryption.der.expose(), jwe_key().as_slice());
        assert!(message(private_key(file, PASSWORD, Some("other"))).contains("with that alias"));
    }

    #[test]
    fn wrong_password_tampering_truncation_and_no_key_are_key_errors_without_the_password() {
        let modern = include_bytes!("../../tests/fixtures/keys/jwe-modern.p12");
        let legacy = include_bytes!("../../tests/fixtures/keys/jwe-legacy.p12");
        for file in [&modern[..], &legacy[..]] {
            let m = message(private_key(file, "Portal-pass", None));
            assert!(m.contains("password is wrong"), "{m}");
            assert!(!m.contains("Portal-pass"));
            // The MAC's digest is near the end: one bit flipped there, or in the content.
            for at in [file.len() - 40, file.len() / 2] {
                let mut tampered = file.to_vec();
                tampered[at] ^= 1;
                let e = private_key(&tampered, PASSWORD, None).unwrap_err();
                assert_eq!(e.code(), crate::error::ErrorCode::KeyInvalid, "byte {at}");
            }
            for len in [0, 1, 16, file.len() / 2, file.len() - 1] {
                assert!(
                    private_key(&file[..len], PASSWORD, None).is_err(),
                    "{len} bytes"
                );
            }
        }
        let heavy = include_bytes!("../../tests/fixtures/keys/jwe-heavy.p12");
        assert!(message(private_key(heavy, PASSWORD, None)).contains("key-derivation work"));
        let certificate = include_bytes!("../../tests/fixtures/keys/certificate-only.p12");
        assert!(message(private_key(certificate, PASSWORD, None)).contains("no private key"));
        assert!(
            message(private_key(b"-----BEGIN PRIVATE KEY-----", PASSWORD, None))
                .contains("not valid")
        );
    }
}

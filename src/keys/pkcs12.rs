//! PKCS#12 (`.p12`, `.pfx`) key files, as Mastercard's developer portal issues signing and
//! decryption keys: the one private key in the file (or the one whose friendly name is
//! `alias`), after the file's MAC is checked.
//!
//! Read with the crate's own DER reader (`der.rs`, fuzzed) over borrowed slices rather than
//! `pkcs12`'s types, which copy every bag's value into plain vectors: here the only copies of
//! key material are the decrypted buffers, each wiped on drop. The cryptography is RustCrypto's:
//! the PKCS#12 key derivation (`pkcs12::kdf`), PBES2 (`pkcs5`: PBKDF2 with AES-CBC or 3DES),
//! the legacy `pbeWithSHAAnd3-KeyTripleDES-CBC` and `pbeWithSHAAnd40BitRC2-CBC` (`des`, `rc2`,
//! `cbc`), and the MAC's HMAC (`hmac` over `sha1` or `sha2`).

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, InnerIvInit, KeyIvInit};
use hmac::{Mac, SimpleHmac};
use pkcs12::kdf::{derive_key_utf8, Pkcs12KeyType};
use zeroize::Zeroizing;

use super::der::{self, Reader, Tlv};
use super::material::{private_pkcs8_from_der, PrivatePkcs8};
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
/// `id-PBES2` (PKCS#5).
const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
/// `pbeWithSHAAnd3-KeyTripleDES-CBC`.
const PBE_SHA1_3DES: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03];
/// `pbeWithSHAAnd40BitRC2-CBC`.
const PBE_SHA1_RC2_40: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x06];
/// `pbeWithSHAAnd128BitRC2-CBC`.
const PBE_SHA1_RC2_128: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x05];
/// SHA-1 and SHA-256, the MAC digests OpenSSL (legacy and modern) and keytool write.
const SHA1: &[u8] = &[0x2B, 0x0E, 0x03, 0x02, 0x1A];
const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
const SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];

/// Most key-derivation iterations accepted (MAC and encryption alike): OpenSSL writes 2,048,
/// keytool 10,000; a hostile file asking for billions would hold the caller for minutes.
const MAX_ITERATIONS: u32 = 1_000_000;

fn malformed() -> Error {
    Error::key("the PKCS#12 file is not valid (truncated, or not PKCS#12)")
}

fn wrong_password() -> Error {
    Error::key("the PKCS#12 password is wrong, or the file was altered (its MAC does not verify)")
}

fn unsupported(what: &str) -> Error {
    Error::key(crate::format::join(&[
        "the PKCS#12 file uses ",
        what,
        ", which is not supported",
    ]))
}

/// The private key of a PKCS#12 file, as PKCS#8 (wiped on drop).
pub fn private_key(pfx: &[u8], password: &str, alias: Option<&str>) -> Result<PrivatePkcs8> {
    let outer = der::single(pfx, der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(outer.content);
    let version = r.read(der::INTEGER).map_err(|_| malformed())?;
    if version.content != [3] {
        return Err(malformed());
    }
    let auth_safe = data_content(r.read(der::SEQUENCE).map_err(|_| malformed())?)?;
    match r.any() {
        Ok(mac_data) if mac_data.tag == der::SEQUENCE => check_mac(mac_data, auth_safe, password)?,
        _ => {
            return Err(Error::key(
                "the PKCS#12 file has no MAC: it cannot be checked",
            ))
        }
    }
    let mut keys = Vec::new();
    let mut safes = Reader::new(
        der::single(auth_safe, der::SEQUENCE)
            .map_err(|_| malformed())?
            .content,
    );
    while !safes.is_empty() {
        let info = safes.read(der::SEQUENCE).map_err(|_| malformed())?;
        let mut c = Reader::new(info.content);
        let kind = c.read(der::OID).map_err(|_| malformed())?;
        if kind.content == DATA {
            bags(data_content(info)?, password, &mut keys)?;
        } else if kind.content == ENCRYPTED_DATA {
            let clear =
                encrypted_content(c.read(der::CONTEXT_0).map_err(|_| malformed())?, password)?;
            bags(&clear, password, &mut keys)?;
        }
    }
    choose(keys, alias)
}

/// The one key, or the one named `alias`.
fn choose(keys: Vec<(Option<String>, PrivatePkcs8)>, alias: Option<&str>) -> Result<PrivatePkcs8> {
    let mut found = keys
        .into_iter()
        .filter(|(name, _)| alias.is_none() || name.as_deref() == alias);
    match (found.next(), found.next(), alias) {
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
fn encrypted_content(explicit: Tlv<'_>, password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let data = der::single(explicit.content, der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(data.content);
    r.read(der::INTEGER).map_err(|_| malformed())?;
    let info = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    let mut r = Reader::new(info.content);
    r.read(der::OID).map_err(|_| malformed())?;
    let algorithm = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    // `[0] IMPLICIT OCTET STRING`, primitive.
    let ciphertext = r.read(0x80).map_err(|_| malformed())?;
    decrypt(algorithm, ciphertext.content, password)
}

/// The private keys of a `SafeContents`, with their friendly names.
fn bags(
    contents: &[u8],
    password: &str,
    keys: &mut Vec<(Option<String>, PrivatePkcs8)>,
) -> Result<()> {
    let mut r = Reader::new(
        der::single(contents, der::SEQUENCE)
            .map_err(|_| malformed())?
            .content,
    );
    while !r.is_empty() {
        let bag = r.read(der::SEQUENCE).map_err(|_| malformed())?;
        let mut b = Reader::new(bag.content);
        let kind = b.read(der::OID).map_err(|_| malformed())?.content;
        let value = b.read(der::CONTEXT_0).map_err(|_| malformed())?;
        let name = if b.is_empty() {
            None
        } else {
            friendly_name(b.any().map_err(|_| malformed())?)
        };
        if kind == KEY_BAG {
            keys.push((name, private_pkcs8_from_der(value.content)?));
        } else if kind == SHROUDED_KEY_BAG {
            let info = der::single(value.content, der::SEQUENCE).map_err(|_| malformed())?;
            let mut e = Reader::new(info.content);
            let algorithm = e.read(der::SEQUENCE).map_err(|_| malformed())?;
            let ciphertext = e.read(der::OCTET_STRING).map_err(|_| malformed())?;
            let pkcs8 = decrypt(algorithm, ciphertext.content, password)?;
            keys.push((name, private_pkcs8_from_der(&pkcs8)?));
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
fn check_mac(mac_data: Tlv<'_>, auth_safe: &[u8], password: &str) -> Result<()> {
    let mut r = Reader::new(mac_data.content);
    let digest_info = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    let salt = r.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
    let iterations = if r.is_empty() {
        1
    } else {
        iterations(r.read(der::INTEGER)?)?
    };
    let mut d = Reader::new(digest_info.content);
    let algorithm = d.read(der::SEQUENCE).map_err(|_| malformed())?;
    let expected = d.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
    let oid = Reader::new(algorithm.content)
        .read(der::OID)
        .map_err(|_| malformed())?
        .content;
    let ok = match oid {
        o if o == SHA1 => {
            mac_matches::<sha1::Sha1>(password, salt, iterations, auth_safe, expected)?
        }
        o if o == SHA256 => {
            mac_matches::<sha2::Sha256>(password, salt, iterations, auth_safe, expected)?
        }
        o if o == SHA512 => {
            mac_matches::<sha2::Sha512>(password, salt, iterations, auth_safe, expected)?
        }
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

fn mac_matches<D>(
    password: &str,
    salt: &[u8],
    rounds: u32,
    data: &[u8],
    expected: &[u8],
) -> Result<bool>
where
    D: sha2::Digest
        + sha2::digest::FixedOutputReset
        + sha2::digest::core_api::BlockSizeUser
        + Clone,
{
    let size = <D as sha2::Digest>::output_size();
    let key = derived::<D>(password, salt, Pkcs12KeyType::Mac, rounds, size)?;
    let mut mac = <SimpleHmac<D> as Mac>::new_from_slice(&key).map_err(|_| malformed())?;
    mac.update(data);
    // Constant time.
    Ok(mac.verify_slice(expected).is_ok())
}

/// A PKCS#12-derived key (RFC 7292, appendix B: the password as a BMPString), wiped on drop.
fn derived<D>(
    password: &str,
    salt: &[u8],
    id: Pkcs12KeyType,
    rounds: u32,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>>
where
    D: sha2::Digest + sha2::digest::FixedOutputReset + sha2::digest::core_api::BlockSizeUser,
{
    let rounds = i32::try_from(rounds).map_err(|_| malformed())?;
    derive_key_utf8::<D>(password, salt, id, rounds, len)
        .map(Zeroizing::new)
        .map_err(|_| Error::key("the PKCS#12 password has characters a PKCS#12 file cannot hold"))
}

/// An iteration count within [`MAX_ITERATIONS`].
fn iterations(n: Tlv<'_>) -> Result<u32> {
    let bits = der::unsigned_bits(n.content);
    if bits > 32 || n.content.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(malformed());
    }
    let value = n
        .content
        .iter()
        .fold(0u32, |acc, &b| acc.wrapping_shl(8) | u32::from(b));
    if value == 0 || value > MAX_ITERATIONS {
        return Err(Error::key(
            "the PKCS#12 file asks for more key-derivation iterations than accepted (1,000,000)",
        ));
    }
    Ok(value)
}

/// Decrypts with a password-based scheme: PBES2 (PBKDF2 only) or the PKCS#12 legacy ones.
fn decrypt(algorithm: Tlv<'_>, ciphertext: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let mut r = Reader::new(algorithm.content);
    let oid = r.read(der::OID).map_err(|_| malformed())?.content;
    if oid == PBES2 {
        return pbes2(algorithm.raw, ciphertext, password);
    }
    let params = r.read(der::SEQUENCE).map_err(|_| malformed())?;
    let mut p = Reader::new(params.content);
    let salt = p.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
    let rounds = iterations(p.read(der::INTEGER)?)?;
    let key =
        |len| derived::<sha1::Sha1>(password, salt, Pkcs12KeyType::EncryptionKey, rounds, len);
    let iv = derived::<sha1::Sha1>(password, salt, Pkcs12KeyType::Iv, rounds, 8)?;
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let clear_len = match oid {
        o if o == PBE_SHA1_3DES => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key(24)?, &iv)
            .map_err(|_| malformed())?
            .decrypt_padded_mut::<Pkcs7>(&mut buf)
            .map(<[u8]>::len),
        o if o == PBE_SHA1_RC2_40 || o == PBE_SHA1_RC2_128 => {
            let (len, bits) = if o == PBE_SHA1_RC2_40 {
                (5, 40)
            } else {
                (16, 128)
            };
            let cipher = rc2::Rc2::new_with_eff_key_len(&key(len)?, bits);
            cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
                .map_err(|_| malformed())?
                .decrypt_padded_mut::<Pkcs7>(&mut buf)
                .map(<[u8]>::len)
        }
        _ => return Err(unsupported("an encryption other than PBES2, 3DES or RC2")),
    }
    .map_err(|_| wrong_password())?;
    buf.truncate(clear_len);
    Ok(buf)
}

/// PBES2 with PBKDF2 (scrypt is refused: a hostile file could ask for gigabytes).
fn pbes2(algorithm_der: &[u8], ciphertext: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>> {
    let scheme = pkcs5::EncryptionScheme::try_from(algorithm_der)
        .map_err(|_| unsupported("a PBES2 variant"))?;
    let pkcs5::EncryptionScheme::Pbes2(params) = &scheme else {
        return Err(unsupported("PKCS#5 v1.5 encryption"));
    };
    let pkcs5::pbes2::Kdf::Pbkdf2(kdf) = &params.kdf else {
        return Err(unsupported("scrypt"));
    };
    if kdf.iteration_count == 0 || kdf.iteration_count > MAX_ITERATIONS {
        return Err(Error::key(
            "the PKCS#12 file asks for more key-derivation iterations than accepted (1,000,000)",
        ));
    }
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = scheme
        .decrypt_in_place(password.as_bytes(), &mut buf)
        .map_err(|_| wrong_password())?
        .len();
    buf.truncate(len);
    Ok(buf)
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
        let certificate = include_bytes!("../../tests/fixtures/keys/certificate-only.p12");
        assert!(message(private_key(certificate, PASSWORD, None)).contains("no private key"));
        assert!(
            message(private_key(b"-----BEGIN PRIVATE KEY-----", PASSWORD, None))
                .contains("not valid")
        );
    }
}

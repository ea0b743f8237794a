//! Telling key containers apart and turning each into the one form WebCrypto imports: SPKI DER
//! for public keys, PKCS#8 DER for private keys. RSA only; 2048 to 8192 bits.

use super::der::{self, Reader, Tlv};
use super::pem;
use super::secret::Secret;
use crate::error::{Error, Result};
use crate::format::{decimal, join};

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits.
pub const MAX_RSA_BITS: usize = 8192;

/// What a DER blob is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// An X.509 certificate.
    Certificate,
    /// A SubjectPublicKeyInfo.
    Spki,
    /// A PKCS#1 `RSAPublicKey`.
    Pkcs1Public,
    /// A PKCS#8 `PrivateKeyInfo`.
    Pkcs8,
    /// A PKCS#1 `RSAPrivateKey`.
    Pkcs1Private,
}

impl Container {
    /// The PEM label that names this container.
    pub fn from_pem_label(label: &str) -> Result<Self> {
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" => Ok(Container::Certificate),
            "PUBLIC KEY" => Ok(Container::Spki),
            "RSA PUBLIC KEY" => Ok(Container::Pkcs1Public),
            "PRIVATE KEY" => Ok(Container::Pkcs8),
            "RSA PRIVATE KEY" => Ok(Container::Pkcs1Private),
            "ENCRYPTED PRIVATE KEY" => Err(Error::key(
                "encrypted private keys are not supported: decrypt with `openssl pkcs8 -in key.pem -out plain.pem` first",
            )),
            other => Err(Error::key(join(&["PEM \"", other, "\" is not an RSA key or certificate"]))),
        }
    }

    /// True for the private key containers.
    pub fn is_private(self) -> bool {
        matches!(self, Container::Pkcs8 | Container::Pkcs1Private)
    }

    /// Works out what a DER blob is from its structure.
    pub fn sniff(bytes: &[u8]) -> Result<Self> {
        let outer = der::single(bytes, der::SEQUENCE)?;
        let mut r = Reader::new(outer.content);
        let first = r.any()?;
        match first.tag {
            der::SEQUENCE => {
                // A certificate's first child is the TBSCertificate (a version tag or a serial
                // INTEGER first); an SPKI's is the AlgorithmIdentifier (an OID first).
                match Reader::new(first.content).peek_tag() {
                    Some(der::OID) => Ok(Container::Spki),
                    Some(der::CONTEXT_0) | Some(der::INTEGER) => Ok(Container::Certificate),
                    _ => Err(Error::key("unrecognised key structure")),
                }
            }
            der::INTEGER => match r.peek_tag() {
                Some(der::SEQUENCE) => Ok(Container::Pkcs8),
                Some(der::INTEGER) => {
                    let mut count = 2;
                    r.any()?;
                    while !r.is_empty() {
                        r.read(der::INTEGER)?;
                        count += 1;
                    }
                    match count {
                        2 => Ok(Container::Pkcs1Public),
                        9.. => Ok(Container::Pkcs1Private),
                        _ => Err(Error::key("unrecognised key structure")),
                    }
                }
                _ => Err(Error::key("unrecognised key structure")),
            },
            _ => Err(Error::key("unrecognised key structure")),
        }
    }
}

fn rsa_algorithm_identifier() -> Vec<u8> {
    let mut c = der::encode(der::OID, der::RSA_ENCRYPTION);
    c.extend_from_slice(&[der::NULL, 0x00]);
    der::encode(der::SEQUENCE, &c)
}

fn check_bits(bits: usize) -> Result<usize> {
    if bits < MIN_RSA_BITS {
        Err(Error::key(join(&[
            "a ",
            &decimal(bits as u64),
            "-bit RSA key is too weak (at least ",
            &decimal(MIN_RSA_BITS as u64),
            " bits)",
        ])))
    } else if bits > MAX_RSA_BITS {
        Err(Error::key(join(&[
            "a ",
            &decimal(bits as u64),
            "-bit RSA key is larger than supported (",
            &decimal(MAX_RSA_BITS as u64),
            " bits)",
        ])))
    } else {
        Ok(bits)
    }
}

fn check_rsa_algorithm(alg: Tlv<'_>) -> Result<()> {
    let mut r = Reader::new(alg.content);
    let oid = r.read(der::OID)?;
    if oid.content == der::RSA_ENCRYPTION {
        Ok(())
    } else {
        Err(Error::key(
            "not an RSA key (algorithm is not rsaEncryption)",
        ))
    }
}

/// An RSA public key as SPKI DER, with its modulus size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicSpki {
    /// SubjectPublicKeyInfo DER: what WebCrypto imports and what the `kid` hashes.
    pub der: Vec<u8>,
    /// Modulus size in bits.
    pub bits: usize,
}

/// Checks an SPKI is RSA and of a sane size.
fn checked_spki(spki: &[u8]) -> Result<PublicSpki> {
    let outer = der::single(spki, der::SEQUENCE)?;
    let mut r = Reader::new(outer.content);
    check_rsa_algorithm(r.read(der::SEQUENCE)?)?;
    let bits = r.read(der::BIT_STRING)?;
    let (&unused, key) = bits
        .content
        .split_first()
        .ok_or_else(|| Error::key("the public key is empty"))?;
    if unused != 0 {
        return Err(Error::key("the public key bit string is malformed"));
    }
    let bits = pkcs1_public_bits(key)?;
    Ok(PublicSpki {
        der: spki.to_vec(),
        bits,
    })
}

fn pkcs1_public_bits(pkcs1: &[u8]) -> Result<usize> {
    let seq = der::single(pkcs1, der::SEQUENCE)?;
    let mut r = Reader::new(seq.content);
    let n = r.read(der::INTEGER)?;
    r.read(der::INTEGER)?;
    check_bits(der::unsigned_bits(n.content))
}

/// The SubjectPublicKeyInfo inside an X.509 certificate, taken as its exact bytes.
fn spki_of_certificate(cert: &[u8]) -> Result<&[u8]> {
    let outer = der::single(cert, der::SEQUENCE)?;
    let tbs = Reader::new(outer.content).read(der::SEQUENCE)?;
    let mut r = Reader::new(tbs.content);
    if r.peek_tag() == Some(der::CONTEXT_0) {
        r.any()?; // version
    }
    r.read(der::INTEGER)?; // serialNumber
    r.read(der::SEQUENCE)?; // signature
    r.read(der::SEQUENCE)?; // issuer
    r.read(der::SEQUENCE)?; // validity
    r.read(der::SEQUENCE)?; // subject
    Ok(r.read(der::SEQUENCE)?.raw) // subjectPublicKeyInfo
}

/// Wraps a PKCS#1 `RSAPublicKey` into an SPKI.
fn spki_of_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    let mut bit_string = Vec::with_capacity(pkcs1.len() + 1);
    bit_string.push(0);
    bit_string.extend_from_slice(pkcs1);
    let mut c = rsa_algorithm_identifier();
    c.extend(der::encode(der::BIT_STRING, &bit_string));
    der::encode(der::SEQUENCE, &c)
}

/// The SPKI of an RSA public key given in any public container.
pub fn public_spki_from_der(bytes: &[u8]) -> Result<PublicSpki> {
    match Container::sniff(bytes)? {
        Container::Certificate => checked_spki(spki_of_certificate(bytes)?),
        Container::Spki => checked_spki(bytes),
        Container::Pkcs1Public => checked_spki(&spki_of_pkcs1(bytes)),
        Container::Pkcs8 | Container::Pkcs1Private => Err(Error::key(
            "a private key was given where a certificate or public key is expected",
        )),
    }
}

/// The SPKI of an RSA public key given as PEM: the first certificate or public key block.
pub fn public_spki_from_pem(text: &str) -> Result<PublicSpki> {
    let blocks = pem::parse_all(text)?;
    for block in &blocks {
        let container = Container::from_pem_label(&block.label)?;
        if container.is_private() {
            continue;
        }
        return public_spki_from_der(block.der.expose());
    }
    Err(Error::key(
        "a private key was given where a certificate or public key is expected",
    ))
}

/// The SPKI of an RSA public key given by its JWK components (base64url `n` and `e`, decoded).
pub fn spki_from_components(n: &[u8], e: &[u8]) -> Result<PublicSpki> {
    check_bits(der::unsigned_bits(n))?;
    if der::unsigned_bits(e) < 2 {
        return Err(Error::key("the RSA public exponent is invalid"));
    }
    let mut c = der::encode_unsigned(n);
    c.extend(der::encode_unsigned(e));
    checked_spki(&spki_of_pkcs1(&der::encode(der::SEQUENCE, &c)))
}

/// An RSA private key as PKCS#8 DER (wiped on drop), with its modulus size.
#[derive(Debug)]
pub struct PrivatePkcs8 {
    /// PrivateKeyInfo DER.
    pub der: Secret,
    /// Modulus size in bits.
    pub bits: usize,
}

impl PrivatePkcs8 {
    /// The SPKI of the key's public half (its modulus and public exponent): what its
    /// fingerprint, the `kid` Mastercard sends with responses, is taken of.
    pub fn public(&self) -> Result<PublicSpki> {
        let outer = der::single(self.der.expose(), der::SEQUENCE)?;
        let mut r = Reader::new(outer.content);
        r.read(der::INTEGER)?;
        r.read(der::SEQUENCE)?;
        let pkcs1 = der::single(r.read(der::OCTET_STRING)?.content, der::SEQUENCE)?;
        let mut r = Reader::new(pkcs1.content);
        r.read(der::INTEGER)?;
        let n = r.read(der::INTEGER)?;
        let e = r.read(der::INTEGER)?;
        spki_from_components(n.content, e.content)
    }
}

fn pkcs1_private_bits(pkcs1: &[u8]) -> Result<usize> {
    let seq = der::single(pkcs1, der::SEQUENCE)?;
    let mut r = Reader::new(seq.content);
    r.read(der::INTEGER)?; // version
    let n = r.read(der::INTEGER)?;
    check_bits(der::unsigned_bits(n.content))
}

fn checked_pkcs8(pkcs8: &[u8]) -> Result<usize> {
    let outer = der::single(pkcs8, der::SEQUENCE)?;
    let mut r = Reader::new(outer.content);
    r.read(der::INTEGER)?;
    check_rsa_algorithm(r.read(der::SEQUENCE)?)?;
    pkcs1_private_bits(r.read(der::OCTET_STRING)?.content)
}

/// The PKCS#8 of an RSA private key given as PKCS#8 or PKCS#1 DER.
pub fn private_pkcs8_from_der(bytes: &[u8]) -> Result<PrivatePkcs8> {
    match Container::sniff(bytes)? {
        Container::Pkcs8 => Ok(PrivatePkcs8 {
            bits: checked_pkcs8(bytes)?,
            der: Secret::new(bytes.to_vec()),
        }),
        Container::Pkcs1Private => {
            let bits = pkcs1_private_bits(bytes)?;
            let mut c = der::encode(der::INTEGER, &[0]);
            c.extend(rsa_algorithm_identifier());
            let inner = Secret::new(der::encode(der::OCTET_STRING, bytes));
            c.extend_from_slice(inner.expose());
            let c = Secret::new(c);
            Ok(PrivatePkcs8 {
                der: Secret::new(der::encode(der::SEQUENCE, c.expose())),
                bits,
            })
        }
        _ => Err(Error::key(
            "a public key or certificate was given where a private key is expected",
        )),
    }
}

/// The PKCS#8 of an RSA private key given as PEM: the first private key block.
pub fn private_pkcs8_from_pem(text: &str) -> Result<PrivatePkcs8> {
    for block in pem::parse_all(text)? {
        if Container::from_pem_label(&block.label)?.is_private() {
            return private_pkcs8_from_der(block.der.expose());
        }
    }
    Err(Error::key(
        "a public key or certificate was given where a private key is expected",
    ))
}

/// Lowercase hex, as Mastercard writes key fingerprints.
pub fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use sha2::{Digest, Sha256};

    const CERT: &str = include_str!("../../tests/fixtures/keys/jwe-certificate.pem");
    const CERT_DER: &[u8] = include_bytes!("../../tests/fixtures/keys/jwe-certificate.der");
    const SPKI: &str = include_str!("../../tests/fixtures/keys/jwe-public-key.spki.pem");
    const SPKI_DER: &[u8] = include_bytes!("../../tests/fixtures/keys/jwe-public-key.spki.der");
    const PKCS1_PUB: &str = include_str!("../../tests/fixtures/keys/jwe-public-key.pkcs1.pem");
    const PKCS8: &str = include_str!("../../tests/fixtures/keys/jwe-private-key.pkcs8.pem");
    const PKCS1_PRIV: &str = include_str!("../../tests/fixtures/keys/jwe-private-key.pkcs1.pem");
    const WEAK: &str = include_str!("../../tests/fixtures/keys/weak-1024.pkcs8.pem");
    const EC_PRIV: &str = include_str!("../../tests/fixtures/keys/ec-p256.pkcs8.pem");
    const EC_PUB: &str = include_str!("../../tests/fixtures/keys/ec-p256.spki.pem");
    const KID: &str = "761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79";

    fn kid(spki: &PublicSpki) -> String {
        hex_lower(&Sha256::digest(&spki.der))
    }

    #[test]
    fn every_public_container_gives_the_published_kid() {
        for spki in [
            public_spki_from_pem(CERT).unwrap(),
            public_spki_from_pem(SPKI).unwrap(),
            public_spki_from_pem(PKCS1_PUB).unwrap(),
            public_spki_from_der(CERT_DER).unwrap(),
            public_spki_from_der(SPKI_DER).unwrap(),
        ] {
            assert_eq!(kid(&spki), KID);
            assert_eq!(spki.bits, 2048);
        }
        assert_eq!(Container::sniff(CERT_DER).unwrap(), Container::Certificate);
        assert_eq!(Container::sniff(SPKI_DER).unwrap(), Container::Spki);
    }

    #[test]
    fn jwk_components_give_the_same_spki() {
        let spki = public_spki_from_der(SPKI_DER).unwrap();
        // Pull n and e back out of the SPKI and rebuild it the JWK way.
        let outer = der::single(&spki.der, der::SEQUENCE).unwrap();
        let mut r = Reader::new(outer.content);
        r.read(der::SEQUENCE).unwrap();
        let bits = r.read(der::BIT_STRING).unwrap();
        let rsa = der::single(&bits.content[1..], der::SEQUENCE).unwrap();
        let mut r = Reader::new(rsa.content);
        let n = r.read(der::INTEGER).unwrap().content;
        let e = r.read(der::INTEGER).unwrap().content;
        let n_unsigned = &n[1..]; // JWK `n` has no sign byte
        assert_eq!(spki_from_components(n_unsigned, e).unwrap(), spki);
        assert_eq!(
            spki_from_components(&n_unsigned[..64], e)
                .unwrap_err()
                .code(),
            ErrorCode::KeyInvalid
        );
        assert_eq!(
            spki_from_components(n_unsigned, &[1]).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
    }

    #[test]
    fn private_containers_become_the_same_pkcs8() {
        let a = private_pkcs8_from_pem(PKCS8).unwrap();
        let b = private_pkcs8_from_pem(PKCS1_PRIV).unwrap();
        assert_eq!(a.bits, 2048);
        assert_eq!(a.der.expose(), b.der.expose());
        assert_eq!(Container::sniff(a.der.expose()).unwrap(), Container::Pkcs8);
    }

    #[test]
    fn refuses_wrong_kind_weak_non_rsa_and_truncated() {
        let cases: Vec<Result<()>> = vec![
            public_spki_from_pem(PKCS8).map(drop),
            private_pkcs8_from_pem(CERT).map(drop),
            private_pkcs8_from_pem(WEAK).map(drop),
            private_pkcs8_from_pem(EC_PRIV).map(drop),
            public_spki_from_pem(EC_PUB).map(drop),
            public_spki_from_der(&CERT_DER[..CERT_DER.len() - 1]).map(drop),
            public_spki_from_der(&SPKI_DER[..100]).map(drop),
            public_spki_from_der(&[]).map(drop),
            public_spki_from_der(b"not der at all").map(drop),
            public_spki_from_pem(
                "-----BEGIN EC PRIVATE KEY-----\nAQID\n-----END EC PRIVATE KEY-----",
            )
            .map(drop),
            public_spki_from_pem(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQID\n-----END ENCRYPTED PRIVATE KEY-----",
            )
            .map(drop),
        ];
        for (i, r) in cases.into_iter().enumerate() {
            assert_eq!(r.unwrap_err().code(), ErrorCode::KeyInvalid, "case {i}");
        }
        let weak = private_pkcs8_from_pem(WEAK).unwrap_err().to_string();
        assert!(weak.contains("1024-bit"), "{weak}");
    }

    #[test]
    fn every_truncation_of_a_certificate_is_an_error_not_a_panic() {
        for len in 0..CERT_DER.len() {
            assert!(public_spki_from_der(&CERT_DER[..len]).is_err());
        }
        let pkcs8 = private_pkcs8_from_pem(PKCS8).unwrap();
        let bytes = pkcs8.der.expose();
        for len in 0..bytes.len() {
            assert!(private_pkcs8_from_der(&bytes[..len]).is_err());
        }
    }

    #[test]
    fn error_messages_carry_no_key_bytes() {
        let e = private_pkcs8_from_pem(CERT).unwrap_err().to_string();
        assert!(!e.contains("MII"), "{e}");
    }

    #[test]
    fn hex() {
        assert_eq!(hex_lower(&[0x00, 0xab, 0xff]), "00abff");
    }
}

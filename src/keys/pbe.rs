//! Password-based key derivation and decryption for PKCS#12 files: the PKCS#12 KDF (RFC 7292,
//! appendix B) for the MAC and the legacy ciphers (3DES, RC2), and PBES2 (PBKDF2 with AES-CBC
//! or 3DES). RustCrypto does the cryptography (`pkcs12::kdf`, `pbkdf2`, `cbc`, `aes`, `des`,
//! `rc2`); `pkcs5` only reads PBES2's parameters. Every derived key, the password in each
//! encoding and each decrypted buffer live in memory wiped on drop, allocated at their final
//! size (a grown buffer would free an unwiped copy).

use core::cell::Cell;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, InnerIvInit, KeyInit, KeyIvInit};
use pkcs12::kdf::{derive_key, Pkcs12KeyType};
use pkcs5::pbes2::{self, Pbkdf2Prf};
use zeroize::Zeroizing;

use super::der::{self, Reader, Tlv};
use crate::error::{Error, Result};

/// `id-PBES2` (PKCS#5).
const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
/// `pbeWithSHAAnd3-KeyTripleDES-CBC`.
const PBE_SHA1_3DES: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x03];
/// `pbeWithSHAAnd128BitRC2-CBC`.
const PBE_SHA1_RC2_128: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x05];
/// `pbeWithSHAAnd40BitRC2-CBC`.
const PBE_SHA1_RC2_40: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01, 0x06];

/// Most iterations of one derivation: OpenSSL writes 2,048, keytool 10,000.
const MAX_ITERATIONS: u32 = 1_000_000;
/// Most iterations of all derivations of one file: a hostile file of many bags, each asking
/// for the most, must not hold the caller for minutes.
const MAX_WORK: u64 = 4_000_000;

/// The file's damage or a wrong password: a MAC or a padding that does not check out.
pub fn wrong_password() -> Error {
    Error::key("the PKCS#12 password is wrong, or the file was altered (its MAC does not verify)")
}

/// A cipher, digest or parameter we do not implement.
pub fn unsupported(what: &str) -> Error {
    Error::key(crate::format::join(&[
        "the PKCS#12 file uses ",
        what,
        ", which is not supported",
    ]))
}

fn malformed() -> Error {
    Error::key("the PKCS#12 file is not valid (truncated, or not PKCS#12)")
}

fn too_much_work() -> Error {
    Error::key("the PKCS#12 file asks for more key-derivation work than accepted (1,000,000 iterations a key, 4,000,000 a file)")
}

/// The password in the two encodings PKCS#12 uses, and the derivation work the file may still
/// ask for.
pub struct Opener {
    /// UTF-8, as PBES2 takes it.
    utf8: Zeroizing<Vec<u8>>,
    /// UTF-16BE with a terminating NUL, as the PKCS#12 KDF takes it.
    bmp: Zeroizing<Vec<u8>>,
    work_left: Cell<u64>,
}

impl Opener {
    /// The password in both encodings; one outside the BMP cannot be a PKCS#12 password.
    pub fn new(password: &str) -> Result<Self> {
        let units = password.encode_utf16().count();
        let mut bmp = Zeroizing::new(Vec::with_capacity(units * 2 + 2));
        for c in password.chars() {
            let unit = u16::try_from(u32::from(c)).map_err(|_| {
                Error::key("the PKCS#12 password has characters a PKCS#12 file cannot hold")
            })?;
            bmp.extend_from_slice(&unit.to_be_bytes());
        }
        bmp.extend_from_slice(&[0, 0]);
        let mut utf8 = Zeroizing::new(Vec::with_capacity(password.len()));
        utf8.extend_from_slice(password.as_bytes());
        Ok(Opener {
            utf8,
            bmp,
            work_left: Cell::new(MAX_WORK),
        })
    }

    /// Takes `rounds` from the file's budget.
    fn spend(&self, rounds: u32) -> Result<()> {
        let left = self.work_left.get();
        if rounds == 0 || rounds > MAX_ITERATIONS || u64::from(rounds) > left {
            return Err(too_much_work());
        }
        self.work_left.set(left - u64::from(rounds));
        Ok(())
    }

    /// A PKCS#12-derived key of `len` bytes with digest `D`.
    pub fn derived<D>(
        &self,
        salt: &[u8],
        id: Pkcs12KeyType,
        rounds: u32,
        len: usize,
    ) -> Result<Zeroizing<Vec<u8>>>
    where
        D: sha2::Digest + sha2::digest::FixedOutputReset + sha2::digest::core_api::BlockSizeUser,
    {
        self.spend(rounds)?;
        let rounds = i32::try_from(rounds).map_err(|_| too_much_work())?;
        Ok(Zeroizing::new(derive_key::<D>(
            &self.bmp, salt, id, rounds, len,
        )))
    }

    /// Decrypts `ciphertext` under an `AlgorithmIdentifier` of PBES2 (PBKDF2 only) or a
    /// PKCS#12 legacy scheme.
    pub fn decrypt(&self, algorithm: Tlv<'_>, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        let mut r = Reader::new(algorithm.content);
        let oid = r.read(der::OID).map_err(|_| malformed())?.content;
        let mut buf = Zeroizing::new(ciphertext.to_vec());
        let len = if oid == PBES2 {
            self.pbes2(algorithm.raw, &mut buf)?
        } else {
            self.legacy(
                oid,
                r.read(der::SEQUENCE).map_err(|_| malformed())?,
                &mut buf,
            )?
        };
        buf.truncate(len);
        Ok(buf)
    }

    /// `pbeWithSHAAnd…`: key and IV from the PKCS#12 KDF with SHA-1.
    fn legacy(&self, oid: &[u8], params: Tlv<'_>, buf: &mut [u8]) -> Result<usize> {
        let mut p = Reader::new(params.content);
        let salt = p.read(der::OCTET_STRING).map_err(|_| malformed())?.content;
        let rounds = iterations(p.read(der::INTEGER).map_err(|_| malformed())?)?;
        let key = |len| self.derived::<sha1::Sha1>(salt, Pkcs12KeyType::EncryptionKey, rounds, len);
        let iv = |len| self.derived::<sha1::Sha1>(salt, Pkcs12KeyType::Iv, rounds, len);
        match oid {
            o if o == PBE_SHA1_3DES => cbc_decrypt::<des::TdesEde3>(&key(24)?, &iv(8)?, buf),
            o if o == PBE_SHA1_RC2_40 || o == PBE_SHA1_RC2_128 => {
                let (len, bits) = if o == PBE_SHA1_RC2_40 {
                    (5, 40)
                } else {
                    (16, 128)
                };
                let cipher = rc2::Rc2::new_with_eff_key_len(&key(len)?, bits);
                let iv = iv(8)?;
                cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
                    .map_err(|_| malformed())?
                    .decrypt_padded_mut::<Pkcs7>(buf)
                    .map(<[u8]>::len)
                    .map_err(|_| wrong_password())
            }
            _ => Err(unsupported("an encryption other than PBES2, 3DES or RC2")),
        }
    }

    /// PBES2 with PBKDF2 (scrypt is refused: a hostile file could ask for gigabytes).
    fn pbes2(&self, algorithm_der: &[u8], buf: &mut [u8]) -> Result<usize> {
        let scheme = pkcs5::EncryptionScheme::try_from(algorithm_der)
            .map_err(|_| unsupported("a PBES2 variant"))?;
        let pkcs5::EncryptionScheme::Pbes2(params) = &scheme else {
            return Err(unsupported("PKCS#5 v1.5 encryption"));
        };
        let pbes2::Kdf::Pbkdf2(kdf) = &params.kdf else {
            return Err(unsupported("scrypt"));
        };
        self.spend(kdf.iteration_count)?;
        let mut key = Zeroizing::new(vec![0u8; params.encryption.key_size()]);
        let (password, salt, rounds) = (&self.utf8[..], kdf.salt, kdf.iteration_count);
        match kdf.prf {
            Pbkdf2Prf::HmacWithSha1 => {
                pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, &mut key)
            }
            Pbkdf2Prf::HmacWithSha224 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, rounds, &mut key)
            }
            Pbkdf2Prf::HmacWithSha256 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, &mut key)
            }
            Pbkdf2Prf::HmacWithSha384 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, rounds, &mut key)
            }
            Pbkdf2Prf::HmacWithSha512 => {
                pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, &mut key)
            }
            _ => {
                return Err(unsupported(
                    "a PBKDF2 function other than HMAC with SHA-1 or SHA-2",
                ))
            }
        }
        match params.encryption {
            pbes2::EncryptionScheme::Aes128Cbc { iv } => cbc_decrypt::<aes::Aes128>(&key, iv, buf),
            pbes2::EncryptionScheme::Aes192Cbc { iv } => cbc_decrypt::<aes::Aes192>(&key, iv, buf),
            pbes2::EncryptionScheme::Aes256Cbc { iv } => cbc_decrypt::<aes::Aes256>(&key, iv, buf),
            pbes2::EncryptionScheme::DesEde3Cbc { iv } => {
                cbc_decrypt::<des::TdesEde3>(&key, iv, buf)
            }
            _ => Err(unsupported("single DES")),
        }
    }
}

/// CBC decryption in place with PKCS#7 padding; the clear length. A bad padding is what a
/// wrong password gives.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<usize>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    cbc::Decryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| malformed())?
        .decrypt_padded_mut::<Pkcs7>(buf)
        .map(<[u8]>::len)
        .map_err(|_| wrong_password())
}

/// An iteration count: a positive INTEGER that fits 32 bits.
pub fn iterations(n: Tlv<'_>) -> Result<u32> {
    if der::unsigned_bits(n.content) > 32 || n.content.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(malformed());
    }
    Ok(n.content
        .iter()
        .fold(0u32, |acc, &b| acc.wrapping_shl(8) | u32::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_has_a_work_budget_and_each_derivation_a_ceiling() {
        let opener = Opener::new("p").unwrap();
        for _ in 0..4 {
            opener.spend(1_000_000).unwrap();
        }
        assert!(opener.spend(1).is_err(), "the file's budget is spent");
        let fresh = Opener::new("p").unwrap();
        assert!(fresh.spend(1_000_001).is_err());
        assert!(fresh.spend(0).is_err());
        fresh.spend(2048).unwrap();
    }

    #[test]
    fn passwords_in_both_encodings_and_none_outside_the_bmp() {
        let o = Opener::new("pé").unwrap();
        assert_eq!(&o.bmp[..], &[0, b'p', 0, 0xE9, 0, 0][..]);
        assert_eq!(&o.utf8[..], "pé".as_bytes());
        assert_eq!(o.bmp.capacity(), 6, "allocated at its final size");
        assert!(Opener::new("🔑").is_err());
    }
}

//! AES-192-GCM in constant-time pure Rust. Chromium's WebCrypto refuses 192-bit AES keys, so
//! `A192GCM` is the one content encryption we do not hand to WebCrypto; it is rare enough that
//! the slower software path costs nothing that matters.

use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::aes::Aes192;
use aes_gcm::{AesGcm, Nonce, Tag};

use crate::error::{Error, Result};

/// Decrypts and authenticates; any failure is the same opaque [`Error::JweDecryptionFailed`].
pub fn decrypt_a192gcm(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>> {
    if tag.len() != 16 {
        return Err(Error::JweDecryptionFailed);
    }
    let mut buf = ciphertext.to_vec();
    let tag = Tag::from_slice(tag);
    let outcome = match iv.len() {
        12 => AesGcm::<Aes192, U12>::new_from_slice(key)
            .map_err(|_| Error::JweDecryptionFailed)?
            .decrypt_in_place_detached(Nonce::<U12>::from_slice(iv), aad, &mut buf, tag),
        16 => AesGcm::<Aes192, U16>::new_from_slice(key)
            .map_err(|_| Error::JweDecryptionFailed)?
            .decrypt_in_place_detached(Nonce::<U16>::from_slice(iv), aad, &mut buf, tag),
        _ => return Err(Error::JweDecryptionFailed),
    };
    outcome.map_err(|_| Error::JweDecryptionFailed)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    // NIST GCM spec (McGrew & Viega) test case 16: AES-192, 96-bit IV, with AAD.
    const KEY: &str = "feffe9928665731c6d6a8f9467308308feffe9928665731c";
    const IV: &str = "cafebabefacedbaddecaf888";
    const AAD: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const PT: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    const CT: &str = "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710";
    const TAG: &str = "2519498e80f1478f37ba55bd6d27618c";

    #[test]
    fn nist_test_case_16() {
        let pt = decrypt_a192gcm(&hex(KEY), &hex(IV), &hex(AAD), &hex(CT), &hex(TAG)).unwrap();
        assert_eq!(pt, hex(PT));
    }

    #[test]
    fn any_flipped_bit_fails() {
        let (key, iv, aad, ct, tag) = (hex(KEY), hex(IV), hex(AAD), hex(CT), hex(TAG));
        let mut bad_tag = tag.clone();
        bad_tag[0] ^= 1;
        let mut bad_ct = ct.clone();
        bad_ct[5] ^= 1;
        let mut bad_aad = aad.clone();
        bad_aad[0] ^= 1;
        for (k, i, a, c, t) in [
            (&key, &iv, &aad, &ct, &bad_tag),
            (&key, &iv, &aad, &bad_ct, &tag),
            (&key, &iv, &bad_aad, &ct, &tag),
        ] {
            assert_eq!(
                decrypt_a192gcm(k, i, a, c, t),
                Err(Error::JweDecryptionFailed)
            );
        }
        assert_eq!(
            decrypt_a192gcm(&key[..16], &iv, &aad, &ct, &tag),
            Err(Error::JweDecryptionFailed)
        );
        assert_eq!(
            decrypt_a192gcm(&key, &iv[..8], &aad, &ct, &tag),
            Err(Error::JweDecryptionFailed)
        );
    }
}

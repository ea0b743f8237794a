//! AES-192-GCM decryption (NIST SP 800-38D) in constant-time pure Rust. Chromium's WebCrypto
//! refuses 192-bit AES keys, so `A192GCM` is the one content encryption we do not hand to
//! WebCrypto; it is rare enough that a small software path is the right trade.

use super::aes192::{Aes192, LANES};
use crate::error::{Error, Result};

/// Decrypts and authenticates; any failure is the same opaque [`Error::JweDecryptionFailed`].
/// The tag is checked before any plaintext exists.
pub fn decrypt_a192gcm(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Vec<u8>> {
    let key: &[u8; 24] = key.try_into().map_err(|_| Error::JweDecryptionFailed)?;
    if tag.len() != 16 || !(iv.len() == 12 || iv.len() == 16) {
        return Err(Error::JweDecryptionFailed);
    }
    let aes = Aes192::new(key);
    let mut h = [0u8; 16];
    aes.encrypt_blocks(&mut h);
    let h = u128::from_be_bytes(h);
    let j0 = if iv.len() == 12 {
        let mut j0 = [0u8; 16];
        j0[..12].copy_from_slice(iv);
        j0[15] = 1;
        j0
    } else {
        ghash(h, &[], iv).to_be_bytes()
    };
    let mut expected = j0;
    aes.encrypt_blocks(&mut expected);
    let s = ghash(h, aad, ciphertext).to_be_bytes();
    // Constant time: fold every difference before looking.
    let diff = expected
        .iter()
        .zip(s)
        .zip(tag)
        .fold(0u8, |d, ((e, s), t)| d | (e ^ s ^ t));
    if diff != 0 {
        return Err(Error::JweDecryptionFailed);
    }
    let mut out = ciphertext.to_vec();
    let mut counter = u32::from_be_bytes([j0[12], j0[13], j0[14], j0[15]]);
    let mut stream = [0u8; LANES];
    for chunk in out.chunks_mut(LANES) {
        for block in stream.chunks_exact_mut(16) {
            counter = counter.wrapping_add(1);
            block[..12].copy_from_slice(&j0[..12]);
            block[12..].copy_from_slice(&counter.to_be_bytes());
        }
        aes.encrypt_blocks(&mut stream[..chunk.len().div_ceil(16) * 16]);
        for (b, k) in chunk.iter_mut().zip(stream) {
            *b ^= k;
        }
    }
    stream.fill(0);
    Ok(out)
}

/// GHASH over `a` and `c`, each zero-padded to whole blocks, then their bit lengths.
fn ghash(h: u128, a: &[u8], c: &[u8]) -> u128 {
    let mut y = 0u128;
    for part in [a, c] {
        for chunk in part.chunks(16) {
            let mut block = [0u8; 16];
            block[..chunk.len()].copy_from_slice(chunk);
            y = gf128_mul(y ^ u128::from_be_bytes(block), h);
        }
    }
    let lengths = (((a.len() as u128) * 8) << 64) | ((c.len() as u128) * 8);
    gf128_mul(y ^ lengths, h)
}

/// Multiplication in GCM's GF(2^128) (SP 800-38D algorithm 1), masks instead of branches.
fn gf128_mul(x: u128, h: u128) -> u128 {
    const R: u128 = 0xe1 << 120;
    let (mut z, mut v) = (0u128, h);
    for i in (0..128).rev() {
        z ^= v & 0u128.wrapping_sub((x >> i) & 1);
        v = (v >> 1) ^ (R & 0u128.wrapping_sub(v & 1));
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwe::testing::{hex, Bytes};

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

    #[test]
    fn agrees_with_the_aes_gcm_crate() {
        use aes_gcm::aead::consts::{U12, U16};
        use aes_gcm::aead::{AeadInPlace, KeyInit};
        use aes_gcm::aes::Aes192 as Oracle;
        use aes_gcm::{AesGcm, Nonce};

        let mut random = Bytes(0x2545_f491_4f6c_dd1d);
        let mut bytes = |n: usize| random.take(n);
        for len in (0..140).chain([1023, 4096, 65_537]) {
            let (key, aad, plaintext) = (bytes(24), bytes(len % 37), bytes(len));
            for iv_len in [12, 16] {
                let iv = bytes(iv_len);
                let mut ct = plaintext.clone();
                let tag = if iv_len == 12 {
                    AesGcm::<Oracle, U12>::new_from_slice(&key)
                        .unwrap()
                        .encrypt_in_place_detached(Nonce::<U12>::from_slice(&iv), &aad, &mut ct)
                } else {
                    AesGcm::<Oracle, U16>::new_from_slice(&key)
                        .unwrap()
                        .encrypt_in_place_detached(Nonce::<U16>::from_slice(&iv), &aad, &mut ct)
                }
                .unwrap();
                let ours = decrypt_a192gcm(&key, &iv, &aad, &ct, &tag);
                assert_eq!(
                    ours.as_deref(),
                    Ok(&plaintext[..]),
                    "len {len}, iv {iv_len}"
                );
            }
        }
    }
}

//! AES-192-GCM decryption for runtimes whose WebCrypto has no 192-bit AES (Chromium), on
//! RustCrypto's `aes-gcm` (constant-time bitsliced AES, `aes_compact` on wasm32: see
//! `.cargo/config.toml`). The only place a content encryption key enters wasm memory.

use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aes::Aes192;
use aes_gcm::{AeadInPlace, AesGcm, KeyInit};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Decrypts and authenticates `ciphertext` under a 24-byte `key` with a 12-byte (RFC) or
/// 16-byte (Mastercard's libraries) IV; any failure is the same opaque
/// [`Error::JweDecryptionFailed`], and no plaintext exists before the tag verified.
pub fn decrypt_a192gcm(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if key.len() != 24 || tag.len() != 16 {
        return Err(Error::JweDecryptionFailed);
    }
    let key = GenericArray::from_slice(key);
    let tag = GenericArray::from_slice(tag);
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let opened = match iv.len() {
        12 => AesGcm::<Aes192, U12>::new(key).decrypt_in_place_detached(
            GenericArray::from_slice(iv),
            aad,
            &mut buf,
            tag,
        ),
        16 => AesGcm::<Aes192, U16>::new(key).decrypt_in_place_detached(
            GenericArray::from_slice(iv),
            aad,
            &mut buf,
            tag,
        ),
        _ => return Err(Error::JweDecryptionFailed),
    };
    opened.map_err(|_| Error::JweDecryptionFailed)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::Aead;

    fn seal(iv_len: usize, plaintext: &[u8]) -> ([u8; 24], Vec<u8>, Vec<u8>, Vec<u8>) {
        let key = [7u8; 24];
        let iv: Vec<u8> = (0..iv_len as u8).collect();
        let payload = aes_gcm::aead::Payload {
            msg: plaintext,
            aad: b"header",
        };
        let sealed = match iv_len {
            12 => AesGcm::<Aes192, U12>::new(GenericArray::from_slice(&key))
                .encrypt(GenericArray::from_slice(&iv), payload),
            _ => AesGcm::<Aes192, U16>::new(GenericArray::from_slice(&key))
                .encrypt(GenericArray::from_slice(&iv), payload),
        }
        .unwrap();
        let (ct, tag) = sealed.split_at(sealed.len() - 16);
        (key, iv, ct.to_vec(), tag.to_vec())
    }

    #[test]
    fn opens_both_iv_lengths_and_refuses_any_change() {
        for iv_len in [12, 16] {
            let (key, iv, ct, tag) = seal(iv_len, b"{\"points\":100}");
            let out = decrypt_a192gcm(&key, &iv, b"header", &ct, &tag).unwrap();
            assert_eq!(out.as_slice(), b"{\"points\":100}");
            let mut bad_tag = tag.clone();
            bad_tag[0] ^= 1;
            assert!(decrypt_a192gcm(&key, &iv, b"header", &ct, &bad_tag).is_err());
            assert!(decrypt_a192gcm(&key, &iv, b"headex", &ct, &tag).is_err());
            assert!(decrypt_a192gcm(&key[..16], &iv, b"header", &ct, &tag).is_err());
        }
        let (key, iv, ct, tag) = seal(12, b"x");
        assert!(decrypt_a192gcm(&key, &iv[..8], b"header", &ct, &tag).is_err());
    }
}

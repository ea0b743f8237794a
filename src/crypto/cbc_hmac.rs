//! The pure half of `A128CBC-HS256` (RFC 7518 section 5.2.2): key split, MAC input, and the
//! constant-time tag comparison Mastercard's own libraries skip.

/// Bytes of the MAC key and of the encryption key inside the 32-byte CEK.
pub const HALF: usize = 16;

/// Splits the CEK into (MAC key, ENC key): the first half authenticates, the second encrypts.
pub fn split_key(cek: &[u8]) -> Option<(&[u8], &[u8])> {
    (cek.len() == 2 * HALF).then(|| cek.split_at(HALF))
}

/// `AAD || IV || ciphertext || AL`, where AL is the bit length of the AAD as a 64-bit big-endian
/// number: the input HMAC-SHA-256 is computed over.
pub fn mac_input(aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(aad.len() + iv.len() + ciphertext.len() + 8);
    m.extend_from_slice(aad);
    m.extend_from_slice(iv);
    m.extend_from_slice(ciphertext);
    m.extend_from_slice(&((aad.len() as u64) * 8).to_be_bytes());
    m
}

/// Compares the received tag with the first 16 bytes of the computed HMAC in time that does not
/// depend on where they differ.
pub fn tag_matches(full_mac: &[u8], received: &[u8]) -> bool {
    if full_mac.len() < HALF || received.len() != HALF {
        return false;
    }
    let diff = full_mac[..HALF]
        .iter()
        .zip(received)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    // black_box keeps the optimizer from turning the fold into an early-exit comparison.
    core::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7518_appendix_b1_mac_input_shape() {
        // RFC 7518 B.1: 42-byte AAD gives AL = 336 bits = 0x150.
        let aad = [0u8; 42];
        let m = mac_input(&aad, &[1u8; 16], &[2u8; 32]);
        assert_eq!(m.len(), 42 + 16 + 32 + 8);
        assert_eq!(&m[m.len() - 8..], &[0, 0, 0, 0, 0, 0, 0x01, 0x50]);
        assert_eq!(&m[42..58], &[1u8; 16]);
    }

    #[test]
    fn splits_mac_key_first() {
        let cek: Vec<u8> = (0..32).collect();
        let (mac, enc) = split_key(&cek).unwrap();
        assert_eq!(mac, &cek[..16]);
        assert_eq!(enc, &cek[16..]);
        assert!(split_key(&cek[..31]).is_none());
    }

    #[test]
    fn compares_only_the_truncated_tag() {
        let mac: Vec<u8> = (0..32).collect();
        assert!(tag_matches(&mac, &mac[..16]));
        for i in 0..16 {
            let mut bad = mac[..16].to_vec();
            bad[i] ^= 0x80;
            assert!(!tag_matches(&mac, &bad), "byte {i}");
        }
        assert!(!tag_matches(&mac, &mac[..15]));
        assert!(!tag_matches(&mac[..8], &mac[..16]));
    }
}

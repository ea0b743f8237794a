//! AES-192 encryption (the only direction GCM needs), small and constant-time.
//!
//! No lookup tables: the S-box is computed as inversion in GF(2^8) followed by the affine map,
//! on bit planes (plane `i` holds bit `i` of up to 64 bytes, one byte per lane), so no memory
//! access or branch depends on key or data. Several blocks go through one S-box pass, which is
//! what makes counter mode affordable. This replaces the `aes-gcm` crate in the module, 6 KB
//! (gzip) smaller; that crate remains the oracle in the tests.

/// Bytes per S-box pass: one lane of a `u64` plane each.
pub const LANES: usize = 64;

const ROUNDS: usize = 12;

/// The expanded key: one 16-byte round key per round, plus the initial one.
pub struct Aes192 {
    round_keys: [[u8; 16]; ROUNDS + 1],
}

impl Aes192 {
    /// Expands a 24-byte key (FIPS 197, section 5.2).
    pub fn new(key: &[u8; 24]) -> Aes192 {
        let mut words = [[0u8; 4]; 4 * (ROUNDS + 1)];
        for (w, k) in words.iter_mut().zip(key.chunks_exact(4)) {
            w.copy_from_slice(k);
        }
        let mut rcon = 1u8;
        for i in 6..words.len() {
            let mut t = words[i - 1];
            if i % 6 == 0 {
                t.rotate_left(1);
                sub_bytes(&mut t);
                t[0] ^= rcon;
                rcon = xtime(rcon);
            }
            for (b, p) in t.iter_mut().zip(words[i - 6]) {
                *b ^= p;
            }
            words[i] = t;
        }
        let mut round_keys = [[0u8; 16]; ROUNDS + 1];
        for (rk, w) in round_keys.iter_mut().zip(words.chunks_exact(4)) {
            for (dst, src) in rk.chunks_exact_mut(4).zip(w) {
                dst.copy_from_slice(src);
            }
        }
        words.fill([0; 4]);
        Aes192 { round_keys }
    }

    /// Encrypts whole 16-byte blocks in place, `LANES / 16` at a time.
    pub fn encrypt_blocks(&self, blocks: &mut [u8]) {
        for batch in blocks.chunks_mut(LANES) {
            self.add_round_key(batch, 0);
            for round in 1..=ROUNDS {
                sub_bytes(batch);
                for block in batch.chunks_exact_mut(16) {
                    shift_rows(block);
                    if round < ROUNDS {
                        mix_columns(block);
                    }
                }
                self.add_round_key(batch, round);
            }
        }
    }

    fn add_round_key(&self, batch: &mut [u8], round: usize) {
        for block in batch.chunks_exact_mut(16) {
            for (b, k) in block.iter_mut().zip(self.round_keys[round]) {
                *b ^= k;
            }
        }
    }
}

impl Drop for Aes192 {
    fn drop(&mut self) {
        // Best effort: the round keys are as secret as the key.
        self.round_keys.fill([0; 16]);
    }
}

/// Multiplication by x in GF(2^8), without a data-dependent branch.
fn xtime(b: u8) -> u8 {
    (b << 1) ^ (0x1b & 0u8.wrapping_sub(b >> 7))
}

/// `new[r + 4c] = old[r + 4((c + r) mod 4)]`, bytes in column order.
fn shift_rows(s: &mut [u8]) {
    let old: [u8; 16] = [
        s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13],
        s[14], s[15],
    ];
    for (i, b) in s.iter_mut().enumerate() {
        let (r, c) = (i % 4, i / 4);
        *b = old[r + 4 * ((c + r) % 4)];
    }
}

fn mix_columns(s: &mut [u8]) {
    for col in s.chunks_exact_mut(4) {
        let a = [col[0], col[1], col[2], col[3]];
        let all = a[0] ^ a[1] ^ a[2] ^ a[3];
        for (i, b) in col.iter_mut().enumerate() {
            *b = a[i] ^ all ^ xtime(a[i] ^ a[(i + 1) % 4]);
        }
    }
}

type Planes = [u64; 8];

/// The AES S-box on up to [`LANES`] bytes at once.
fn sub_bytes(bytes: &mut [u8]) {
    let mut x: Planes = [0; 8];
    for (lane, &b) in bytes.iter().enumerate() {
        for (bit, plane) in x.iter_mut().enumerate() {
            *plane |= u64::from((b >> bit) & 1) << lane;
        }
    }
    // x^254 = x^-1 (and 0 stays 0): 2, 3, 6, 12, 15, 30, 60, 120, 240, 252, 254.
    let x2 = square(&x);
    let x3 = multiply(&x2, &x);
    let x12 = square(&square(&x3));
    let x15 = multiply(&x12, &x3);
    let x240 = square(&square(&square(&square(&x15))));
    let inv = multiply(&multiply(&x240, &x12), &x2);
    for (lane, b) in bytes.iter_mut().enumerate() {
        let mut v = 0u8;
        for (bit, plane) in inv.iter().enumerate() {
            v |= (((plane >> lane) & 1) as u8) << bit;
        }
        *b = v ^ v.rotate_left(1) ^ v.rotate_left(2) ^ v.rotate_left(3) ^ v.rotate_left(4) ^ 0x63;
    }
}

fn multiply(a: &Planes, b: &Planes) -> Planes {
    let mut wide = [0u64; 15];
    for (i, ai) in a.iter().enumerate() {
        for (j, bj) in b.iter().enumerate() {
            wide[i + j] ^= ai & bj;
        }
    }
    reduce(wide)
}

fn square(a: &Planes) -> Planes {
    // Squaring is linear in characteristic 2: coefficient i moves to 2i.
    let mut wide = [0u64; 15];
    for (i, ai) in a.iter().enumerate() {
        wide[2 * i] = *ai;
    }
    reduce(wide)
}

/// Modulo x^8 + x^4 + x^3 + x + 1, highest terms first so carries fold down.
fn reduce(mut wide: [u64; 15]) -> Planes {
    for k in (8..15).rev() {
        let t = wide[k];
        wide[k - 4] ^= t;
        wide[k - 5] ^= t;
        wide[k - 7] ^= t;
        wide[k - 8] ^= t;
    }
    let mut out = [0u64; 8];
    out.copy_from_slice(&wide[..8]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwe::testing::{hex, Bytes};
    use aes_gcm::aes::cipher::{BlockEncrypt, KeyInit};

    #[test]
    fn fips_197_appendix_c2() {
        let key: [u8; 24] = hex("000102030405060708090a0b0c0d0e0f1011121314151617")
            .try_into()
            .unwrap();
        let mut block = hex("00112233445566778899aabbccddeeff");
        Aes192::new(&key).encrypt_blocks(&mut block);
        assert_eq!(block, hex("dda97ca4864cdfe06eaf70a0ec0d7191"));
    }

    #[test]
    fn sbox_matches_the_published_corners() {
        let mut b = [0x00, 0x01, 0x53, 0xff, 0x10];
        sub_bytes(&mut b);
        assert_eq!(b, [0x63, 0x7c, 0xed, 0x16, 0xca]);
    }

    #[test]
    fn agrees_with_the_aes_crate_on_batches_of_every_size() {
        let mut random = Bytes(0x9e37_79b9_7f4a_7c15);
        for blocks in 1..=9 {
            let key: [u8; 24] = random.take(24).try_into().unwrap();
            let mut ours = random.take(16 * blocks);
            let mut theirs = ours.clone();
            Aes192::new(&key).encrypt_blocks(&mut ours);
            let oracle = aes_gcm::aes::Aes192::new_from_slice(&key).unwrap();
            for block in theirs.chunks_exact_mut(16) {
                oracle.encrypt_block(block.into());
            }
            assert_eq!(ours, theirs, "{blocks} blocks");
        }
    }
}

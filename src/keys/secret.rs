//! Bytes that must not outlive their use: private key material on its way to WebCrypto.

use zeroize::Zeroizing;

/// A byte buffer wiped (`zeroize`) when dropped, so private key bytes do not linger in wasm
/// memory after import. Built at its final size wherever it holds secrets, so no growth leaves
/// an unwiped copy behind.
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Secret(")?;
        f.write_str(&crate::format::decimal(self.0.len() as u64))?;
        f.write_str(" bytes)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_its_bytes() {
        assert_eq!(format!("{:?}", Secret::new(vec![9; 4])), "Secret(4 bytes)");
        assert_eq!(Secret::new(vec![1, 2]).expose(), &[1, 2]);
    }
}

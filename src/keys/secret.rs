//! Bytes that must not outlive their use: private key material on its way to WebCrypto.


/// A byte buffer overwritten with zeros when dropped, so private key bytes do not linger in
/// wasm memory after import.
pub struct Secret(Vec<u8>);

impl Secret {
    /// Takes ownership of `bytes`.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

/// Overwrites `bytes` with zeros in a way the optimizer may not remove: a memset (fast for the
/// 1 MiB payloads that pass through here), then `black_box` so the stores count as observed.
pub fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    core::hint::black_box(bytes);
}

/// Overwrites a string's bytes with zeros (it stays valid UTF-8: all NULs) before it is dropped.
pub fn wipe_string(s: &mut str) {
    // SAFETY: zero bytes are valid UTF-8.
    wipe(unsafe { s.as_bytes_mut() });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wipes() {
        let mut v = vec![1u8, 2, 3];
        wipe(&mut v);
        assert_eq!(v, [0, 0, 0]);
        let mut s = String::from("secret");
        wipe_string(&mut s);
        assert_eq!(s.as_bytes(), &[0u8; 6]);
        assert_eq!(format!("{:?}", Secret::new(vec![9; 4])), "Secret(4 bytes)");
    }
}

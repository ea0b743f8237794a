//! Payload encryption with josekit (OpenSSL): independent of the module under test.

use josekit::jwe::{self, JweHeader, RSA_OAEP_256};
use serde_json::Value;

/// Decrypts a compact JWE with Mastercard's private key; the plaintext must be JSON.
pub fn open(jwe_text: &str, private_pem: &[u8]) -> Result<Value, String> {
    let decrypter = RSA_OAEP_256
        .decrypter_from_pem(private_pem)
        .map_err(|e| format!("decryption key: {e}"))?;
    let (plaintext, _header) =
        jwe::deserialize_compact(jwe_text, &decrypter).map_err(|e| format!("{e}"))?;
    serde_json::from_slice(&plaintext).map_err(|e| format!("plaintext is not JSON: {e}"))
}

/// Encrypts `value` to the client's certificate (RSA-OAEP-256 + A256GCM).
pub fn seal(value: &Value, client_cert_pem: &[u8]) -> Result<String, String> {
    let mut header = JweHeader::new();
    header.set_content_encryption("A256GCM");
    header.set_content_type("application/json");
    let encrypter = RSA_OAEP_256
        .encrypter_from_pem(client_cert_pem)
        .map_err(|e| format!("client certificate: {e}"))?;
    jwe::serialize_compact(value.to_string().as_bytes(), &header, &encrypter)
        .map_err(|e| format!("{e}"))
}

//! Payload encryption with josekit (OpenSSL): independent of the module under test. What
//! josekit is given is first checked here, as strictly as the module checks: one shape of
//! compact JWE, `RSA-OAEP-256` with the four content encryptions, 16-byte tags, 12-byte GCM IVs
//! (or the 16 bytes Mastercard's libraries use), 16-byte CBC IVs, no `zip`, no `crit`, sizes
//! capped before any decoding. And as tolerant where Mastercard's libraries are quirky: their
//! segments may use `+` and `/` and padding, which are mapped onto base64url first.

use josekit::jwe::{self, JweHeader, RSA_OAEP_256};
use serde_json::Value;

/// Longest protected header, in base64url characters.
const MAX_HEADER: usize = 4096;

/// Why a JWE was refused before or during decryption (never shown to a caller in detail).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not one compact JWE of an accepted shape.
    Shape(&'static str),
    /// The plaintext would be larger than allowed.
    TooLarge,
    /// The cryptography failed (wrong key, tampered).
    Decrypt(String),
}

/// A segment in base64url without padding: Mastercard's `+`/`/` mapped, `=` dropped from the end.
fn normalized(segment: &str) -> Result<String, Refused> {
    let body = segment.trim_end_matches('=');
    if segment.len() - body.len() > 2 {
        return Err(Refused::Shape("too much padding"));
    }
    body.chars()
        .map(|c| match c {
            '+' => Ok('-'),
            '/' => Ok('_'),
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => Ok(c),
            _ => Err(Refused::Shape("a character outside base64")),
        })
        .collect()
}

/// Bytes a base64url segment of `n` characters decodes to (`None` for an impossible length).
fn decoded_len(n: usize) -> Option<usize> {
    match n % 4 {
        1 => None,
        r => Some(n / 4 * 3 + r.saturating_sub(1)),
    }
}

/// The bytes of a base64url segment without padding (as [`checked`] returns them).
pub fn decode(segment: &str) -> Result<Vec<u8>, Refused> {
    let mut std: String = segment
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while std.len() % 4 != 0 {
        std.push('=');
    }
    openssl::base64::decode_block(&std).map_err(|_| Refused::Shape("not base64"))
}

/// The checked compact JWE, in plain base64url, ready for josekit.
pub fn checked(jwe_text: &str, max_plaintext: usize) -> Result<String, Refused> {
    // Bounded before any split: a body is already capped, this keeps the function honest alone.
    if jwe_text.len() > max_plaintext.saturating_mul(2).saturating_add(8192) {
        return Err(Refused::TooLarge);
    }
    let parts: Vec<&str> = jwe_text.splitn(6, '.').collect();
    if parts.len() != 5 {
        return Err(Refused::Shape("not five segments"));
    }
    let parts = parts
        .iter()
        .map(|p| normalized(p))
        .collect::<Result<Vec<_>, _>>()?;
    if parts[0].len() > MAX_HEADER {
        return Err(Refused::Shape("header too long"));
    }
    // A member named twice (two `enc`s, say) is refused, as the module refuses it.
    let header: Value = crate::strict_json::parse(&decode(&parts[0])?)
        .ok_or(Refused::Shape("header is not JSON with unique members"))?;
    let header = header
        .as_object()
        .ok_or(Refused::Shape("header is not an object"))?;
    if header.get("alg").and_then(Value::as_str) != Some("RSA-OAEP-256") {
        return Err(Refused::Shape("alg"));
    }
    if header.contains_key("zip") {
        return Err(Refused::Shape("zip"));
    }
    if header.contains_key("crit") {
        return Err(Refused::Shape("crit"));
    }
    let gcm = match header.get("enc").and_then(Value::as_str) {
        Some("A128GCM" | "A192GCM" | "A256GCM") => true,
        Some("A128CBC-HS256") => false,
        _ => return Err(Refused::Shape("enc")),
    };
    let len = |i: usize| decoded_len(parts[i].len()).ok_or(Refused::Shape("segment length"));
    if !(256..=1024).contains(&len(1)?) {
        return Err(Refused::Shape("encrypted key length"));
    }
    let iv = len(2)?;
    if !(if gcm { iv == 12 || iv == 16 } else { iv == 16 }) {
        return Err(Refused::Shape("iv length"));
    }
    if len(4)? != 16 {
        return Err(Refused::Shape("tag length"));
    }
    if len(3)? > max_plaintext.saturating_add(16) {
        return Err(Refused::TooLarge);
    }
    Ok(parts.join("."))
}

/// Decrypts a compact JWE with Mastercard's private key; the plaintext must be JSON of at most
/// `max_plaintext` bytes.
pub fn open(jwe_text: &str, private_pem: &[u8], max_plaintext: usize) -> Result<Value, Refused> {
    let compact = checked(jwe_text, max_plaintext)?;
    let decrypter = RSA_OAEP_256
        .decrypter_from_pem(private_pem)
        .map_err(|e| Refused::Decrypt(format!("decryption key: {e}")))?;
    let (plaintext, _header) = jwe::deserialize_compact(&compact, &decrypter)
        .map_err(|e| Refused::Decrypt(format!("{e}")))?;
    if plaintext.len() > max_plaintext {
        return Err(Refused::TooLarge);
    }
    crate::strict_json::parse(&plaintext)
        .ok_or(Refused::Shape("plaintext is not JSON with unique members"))
}

/// The client key responses are encrypted to: its public key, and its fingerprint (lowercase
/// hex SHA-256 of the SPKI DER), which goes in each response's `kid` as Mastercard's does.
pub struct Recipient {
    public_pem: Vec<u8>,
    kid: String,
}

impl Recipient {
    /// From a public key PEM (SPKI).
    pub fn from_public_pem(public_pem: &[u8]) -> Result<Self, String> {
        let key =
            openssl::pkey::PKey::public_key_from_pem(public_pem).map_err(|e| e.to_string())?;
        Self::of(&key)
    }

    /// From an X.509 certificate PEM (a rotation's new client certificate).
    pub fn from_certificate_pem(pem: &[u8]) -> Result<Self, String> {
        let key = openssl::x509::X509::from_pem(pem)
            .and_then(|c| c.public_key())
            .map_err(|e| e.to_string())?;
        Self::of(&key)
    }

    fn of(key: &openssl::pkey::PKeyRef<openssl::pkey::Public>) -> Result<Self, String> {
        let der = key.public_key_to_der().map_err(|e| e.to_string())?;
        let digest = openssl::sha::sha256(&der);
        Ok(Recipient {
            public_pem: key.public_key_to_pem().map_err(|e| e.to_string())?,
            kid: digest.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }
}

/// Encrypts `value` to the client's key (RSA-OAEP-256 + A256GCM), naming it by `kid`.
pub fn seal(value: &Value, to: &Recipient) -> Result<String, String> {
    let mut header = JweHeader::new();
    header.set_content_encryption("A256GCM");
    header.set_content_type("application/json");
    header.set_key_id(&to.kid);
    let encrypter = RSA_OAEP_256
        .encrypter_from_pem(&to.public_pem)
        .map_err(|e| format!("client certificate: {e}"))?;
    jwe::serialize_compact(value.to_string().as_bytes(), &header, &encrypter)
        .map_err(|e| format!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        openssl::base64::encode_block(bytes)
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    }

    fn jwe(header: &str, iv: usize, tag: usize) -> String {
        format!(
            "{}.{}.{}.{}.{}",
            b64(header.as_bytes()),
            b64(&[7; 256]),
            b64(&vec![1; iv]),
            b64(&[2; 40]),
            b64(&vec![3; tag])
        )
    }

    const GOOD: &str = r#"{"alg":"RSA-OAEP-256","enc":"A256GCM"}"#;

    #[test]
    fn accepts_the_shapes_the_module_accepts_and_mastercards_alphabet() {
        assert!(checked(&jwe(GOOD, 12, 16), 1 << 20).is_ok());
        assert!(checked(&jwe(GOOD, 16, 16), 1 << 20).is_ok());
        let cbc = r#"{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256"}"#;
        assert!(checked(&jwe(cbc, 16, 16), 1 << 20).is_ok());
        // `+`, `/` and padding, as mastercard-client-encryption writes them.
        let quirky = jwe(GOOD, 12, 16).replace('-', "+").replace('_', "/") + "==";
        assert_eq!(checked(&quirky, 1 << 20), Ok(jwe(GOOD, 12, 16)));
    }

    #[test]
    fn a_header_naming_a_member_twice_is_refused() {
        let twice = r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","enc":"A128CBC-HS256"}"#;
        assert!(matches!(
            checked(&jwe(twice, 12, 16), 1 << 20),
            Err(Refused::Shape(_))
        ));
        let alg_twice = r#"{"alg":"RSA-OAEP-256","alg":"dir","enc":"A256GCM"}"#;
        assert!(matches!(
            checked(&jwe(alg_twice, 12, 16), 1 << 20),
            Err(Refused::Shape(_))
        ));
    }

    #[test]
    fn refuses_short_tags_odd_ivs_zip_crit_and_oversize() {
        let shape = |j: &str| checked(j, 1 << 20).unwrap_err();
        for tag in [0, 4, 12, 15, 17, 32] {
            assert_eq!(
                shape(&jwe(GOOD, 12, tag)),
                Refused::Shape("tag length"),
                "tag {tag}"
            );
        }
        for iv in [0, 1, 8, 11, 13, 32, 64] {
            assert_eq!(
                shape(&jwe(GOOD, iv, 16)),
                Refused::Shape("iv length"),
                "iv {iv}"
            );
        }
        let zip = r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","zip":"DEF"}"#;
        assert_eq!(shape(&jwe(zip, 12, 16)), Refused::Shape("zip"));
        let crit = r#"{"alg":"RSA-OAEP-256","enc":"A256GCM","crit":["exp"],"exp":1}"#;
        assert_eq!(shape(&jwe(crit, 12, 16)), Refused::Shape("crit"));
        let dir = r#"{"alg":"dir","enc":"A256GCM"}"#;
        assert_eq!(shape(&jwe(dir, 12, 16)), Refused::Shape("alg"));
        assert_eq!(shape("a.b.c.d"), Refused::Shape("not five segments"));
        assert_eq!(shape(&".".repeat(100)), Refused::Shape("not five segments"));
        assert_eq!(
            shape(&(jwe(GOOD, 12, 16) + "!")),
            Refused::Shape("a character outside base64")
        );
        // A ciphertext larger than the plaintext cap is refused by its length, undecoded.
        assert_eq!(
            checked(&jwe(GOOD, 12, 16), 8).unwrap_err(),
            Refused::TooLarge
        );
        assert_eq!(
            checked(&"A".repeat(100_000), 1000).unwrap_err(),
            Refused::TooLarge
        );
    }
}

//! The development key set: Mastercard's encryption key and certificate, the client's
//! decryption key and certificate, the client's signing key and consumer key. Written by
//! `points-sandbox keys --out DIR`, made on first run when none is given; never committed.

use std::fs;
use std::path::{Path, PathBuf};

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private, Public};
use openssl::rsa::Rsa;
use openssl::x509::{X509NameBuilder, X509};

/// File names inside a key directory.
pub const MC_KEY: &str = "mastercard-encryption-key.pem";
pub const MC_CERT: &str = "mastercard-encryption-certificate.pem";
pub const CLIENT_KEY: &str = "client-decryption-key.pem";
pub const CLIENT_CERT: &str = "client-encryption-certificate.pem";
pub const SIGNING_KEY: &str = "client-signing-key.pem";
pub const SIGNING_PUBLIC: &str = "client-signing-public-key.pem";
pub const CONSUMER_KEY: &str = "consumer-key.txt";

/// What the sandbox holds: Mastercard's private key, the client's public keys, the consumer key.
pub struct KeySet {
    pub mastercard_key_pem: Vec<u8>,
    /// The client's public key (from its certificate), PEM.
    pub client_cert_pem: Vec<u8>,
    pub signing_public: PKey<Public>,
    pub consumer_key: String,
}

fn self_signed(key: &PKey<Private>, cn: &str) -> Result<X509, openssl::error::ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_text("CN", cn)?;
    let name = name.build();
    let mut b = X509::builder()?;
    b.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(64, MsbOption::MAYBE_ZERO, false)?;
    let serial = serial.to_asn1_integer()?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(&name)?;
    b.set_issuer_name(&name)?;
    b.set_pubkey(key)?;
    let (start, end) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(825)?);
    b.set_not_before(&start)?;
    b.set_not_after(&end)?;
    b.sign(key, MessageDigest::sha256())?;
    Ok(b.build())
}

fn rsa() -> Result<PKey<Private>, openssl::error::ErrorStack> {
    PKey::from_rsa(Rsa::generate(2048)?)
}

/// Writes a fresh key set into `dir` (created if needed); private keys are made readable by
/// their owner only.
pub fn write(dir: &Path) -> Result<(), String> {
    fn e(what: &'static str) -> impl Fn(openssl::error::ErrorStack) -> String {
        move |err| format!("{what}: {err}")
    }
    fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let mc = rsa().map_err(e("key"))?;
    let client = rsa().map_err(e("key"))?;
    let signing = rsa().map_err(e("key"))?;
    let mc_cert = self_signed(&mc, "Points Sandbox encryption").map_err(e("certificate"))?;
    let client_cert = self_signed(&client, "Points Sandbox client").map_err(e("certificate"))?;
    let mut id = [0u8; 12];
    openssl::rand::rand_bytes(&mut id).map_err(e("random"))?;
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let files: [(&str, Vec<u8>, bool); 7] = [
        (
            MC_KEY,
            mc.private_key_to_pem_pkcs8().map_err(e("pem"))?,
            true,
        ),
        (MC_CERT, mc_cert.to_pem().map_err(e("pem"))?, false),
        (
            CLIENT_KEY,
            client.private_key_to_pem_pkcs8().map_err(e("pem"))?,
            true,
        ),
        (CLIENT_CERT, client_cert.to_pem().map_err(e("pem"))?, false),
        (
            SIGNING_KEY,
            signing.private_key_to_pem_pkcs8().map_err(e("pem"))?,
            true,
        ),
        (
            SIGNING_PUBLIC,
            signing.public_key_to_pem().map_err(e("pem"))?,
            false,
        ),
        (
            CONSUMER_KEY,
            format!("sandbox-consumer!{hex}\n").into_bytes(),
            false,
        ),
    ];
    for (name, bytes, private) in files {
        let path = dir.join(name);
        fs::write(&path, bytes).map_err(|err| format!("{}: {err}", path.display()))?;
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o600));
        }
        #[cfg(not(unix))]
        let _ = private;
    }
    Ok(())
}

/// Reads the key set the sandbox needs from `dir`.
pub fn read(dir: &Path) -> Result<KeySet, String> {
    let file = |name: &str| -> Result<Vec<u8>, String> {
        let p: PathBuf = dir.join(name);
        fs::read(&p).map_err(|err| format!("{}: {err}", p.display()))
    };
    let signing_public = PKey::public_key_from_pem(&file(SIGNING_PUBLIC)?)
        .map_err(|err| format!("{SIGNING_PUBLIC}: {err}"))?;
    let consumer_key = String::from_utf8(file(CONSUMER_KEY)?)
        .map_err(|_| format!("{CONSUMER_KEY} is not text"))?
        .trim()
        .to_owned();
    if consumer_key.is_empty() {
        return Err(format!("{CONSUMER_KEY} is empty"));
    }
    // josekit encrypts to a public key: take it out of the client's certificate.
    let client_public_pem = X509::from_pem(&file(CLIENT_CERT)?)
        .and_then(|c| c.public_key())
        .and_then(|k| k.public_key_to_pem())
        .map_err(|err| format!("{CLIENT_CERT}: {err}"))?;
    Ok(KeySet {
        mastercard_key_pem: file(MC_KEY)?,
        client_cert_pem: client_public_pem,
        signing_public,
        consumer_key,
    })
}

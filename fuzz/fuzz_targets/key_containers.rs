//! Key containers from outside: PEM (several blocks, Bag Attributes), DER SPKI/X.509 and
//! PKCS#8/PKCS#1: never a panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::keys::{material, pem};

fuzz_target!(|data: &[u8]| {
    let _ = material::public_spki_from_der(data);
    let _ = material::private_pkcs8_from_der(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = pem::parse_all(text);
        let _ = material::public_spki_from_pem(text);
        let _ = material::private_pkcs8_from_pem(text);
    }
});

//! PKCS#12 files from outside: never a panic, whatever the bytes. The seeds are the fixtures
//! (tests/fixtures/keys/*.p12, password `portal-pass`), so the MAC verifies and the safes,
//! bags and ciphers are reached; mutations mostly end at the MAC, the structure around it
//! (version, MAC data, iteration counts) included.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::keys::pkcs12::private_key;

fuzz_target!(|data: &[u8]| {
    let _ = private_key(data, "portal-pass", None);
    let _ = private_key(data, "portal-pass", Some("mc-signing"));
});

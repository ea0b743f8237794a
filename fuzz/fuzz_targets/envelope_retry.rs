//! What an upstream says: the Errors envelope (no panic; reason codes kept only as given) and
//! `Retry-After` (no panic; a wait never before now).
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::http::{envelope, retry};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let items = envelope::parse(text);
    assert!(items.len() <= text.len());
    let now = 1_764_547_200_000.0;
    let _ = retry::parse_retry_after(text, now);
});

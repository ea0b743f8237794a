//! The compact JWE framing and its protected header: no panic, and what is accepted has five
//! segments and a header naming a supported `enc`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::jwe::{compact, header};

fuzz_target!(|data: &[u8]| {
    let _ = header::parse(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = compact::protected(text);
    if let Ok(c) = compact::parse(text) {
        assert_eq!(text.split('.').count(), 5);
        assert!(c.ciphertext.len() <= text.len());
    }
});

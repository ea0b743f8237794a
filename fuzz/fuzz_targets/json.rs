//! The strict JSON reader (JOSE header, Errors envelope, lookup answers): never panics, agrees
//! with serde_json on what is JSON (ours is stricter only about duplicate member names), and
//! honours its size and depth limits.
#![no_main]
use libfuzzer_sys::fuzz_target;
use points_activity::json::{parse, Value, MAX_TEXT_LEN};

fn has_duplicates(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().any(has_duplicates),
        Value::Object(members) => {
            let mut names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            names.sort_unstable();
            names.windows(2).any(|w| w[0] == w[1]) || members.iter().any(|(_, v)| has_duplicates(v))
        }
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse(text);
    if text.len() > MAX_TEXT_LEN {
        assert!(ours.is_err(), "over the cap and accepted");
    }
    let reference = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(v) = &ours {
        assert!(
            reference.is_ok(),
            "we accepted what serde_json refuses: {text:?}"
        );
        assert!(!has_duplicates(v), "a duplicate member got through");
    }
});

//! JWE inside the module, in a real runtime: `wasm-pack test --node`, and the same tests in headless
//! Chromium with WASM_BINDGEN_USE_BROWSER=1.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, JSON};
use points_activity::api::decrypt_payload::decrypt_payload;
use points_activity::api::encrypt_payload::encrypt_payload;
use points_activity::api::import_decryption_key::import_decryption_key;
use points_activity::api::key_fingerprint::key_fingerprint;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const VECTORS: &str = include_str!("fixtures/jwe-mastercard.json");
const CERT: &str = include_str!("fixtures/keys/jwe-certificate.pem");
const PRIVATE_PKCS8: &str = include_str!("fixtures/keys/jwe-private-key.pkcs8.pem");
const PRIVATE_PKCS1: &str = include_str!("fixtures/keys/jwe-private-key.pkcs1.pem");
const PUBLIC_SPKI: &str = include_str!("fixtures/keys/jwe-public-key.spki.pem");
const PUBLIC_PKCS1: &str = include_str!("fixtures/keys/jwe-public-key.pkcs1.pem");
const KID: &str = "761b003c1eade3a5490e5000d37887baa5e6ec0e226c07706e599451fc032a79";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap()
}

fn bag(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn code_of(err: &JsValue) -> String {
    get(err, "code")
        .as_string()
        .unwrap_or_else(|| format!("not a PointsError: {err:?}"))
}

async fn private_key() -> JsValue {
    JsFuture::from(import_decryption_key(PRIVATE_PKCS8.into()))
        .await
        .unwrap()
}

fn vectors() -> Vec<(String, String, String)> {
    let arr: Array = JSON::parse(VECTORS).unwrap().into();
    arr.iter()
        .map(|v| {
            (
                get(&v, "id").as_string().unwrap(),
                get(&v, "jwe").as_string().unwrap(),
                get(&v, "plaintext").as_string().unwrap(),
            )
        })
        .collect()
}

/// The decrypted value, serialized back to compare with the vector's plaintext text.
fn as_text(v: &JsValue) -> String {
    v.as_string()
        .unwrap_or_else(|| JSON::stringify(v).unwrap().as_string().unwrap())
}

#[wasm_bindgen_test]
async fn every_published_vector_decrypts() {
    let key = private_key().await;
    let opts = bag(&[("decryptionKey", key)]);
    let all = vectors();
    assert_eq!(all.len(), 7);
    for (id, jwe, plaintext) in all {
        let out = JsFuture::from(decrypt_payload(jwe.into(), opts.clone()))
            .await
            .unwrap_or_else(|e| panic!("{id}: {}", code_of(&e)));
        assert_eq!(as_text(&out), plaintext, "{id}");
    }
}

#[wasm_bindgen_test]
async fn pkcs1_pem_decrypts_too() {
    let (_, jwe, plaintext) = vectors().remove(3);
    let out = decrypt_payload(jwe.into(), bag(&[("decryptionKey", PRIVATE_PKCS1.into())]))
        .await
        .unwrap();
    assert_eq!(as_text(&out), plaintext);
}

/// Each character of each segment replaced by one that decodes to different bits (or, in the
/// header, any different character: the header's text is the AAD). Every change must be
/// refused with an ERR_JWE_* code: never garbage plaintext.
#[wasm_bindgen_test]
async fn any_changed_character_is_rejected() {
    let key = private_key().await;
    let opts = bag(&[("decryptionKey", key)]);
    let mut tried = 0;
    for (id, jwe, _) in vectors() {
        let bytes = jwe.as_bytes();
        for i in 0..bytes.len() {
            if bytes[i] == b'.' {
                continue;
            }
            // The next character of the base64url alphabet: same position, different 6 bits.
            let pos = B64URL.iter().position(|&c| c == bytes[i]).unwrap_or(
                // '/' and '+' are the standard alphabet's 63 and 62.
                if bytes[i] == b'/' { 63 } else { 62 },
            );
            let mut changed = bytes.to_vec();
            changed[i] = B64URL[(pos + 1) % 64];
            let changed = String::from_utf8(changed).unwrap();
            match JsFuture::from(decrypt_payload(changed.into(), opts.clone())).await {
                Ok(v) => panic!("{id}: changing byte {i} still decrypted to {}", as_text(&v)),
                Err(e) => {
                    let code = code_of(&e);
                    assert!(code.starts_with("ERR_JWE_"), "{id} byte {i}: {code}");
                }
            }
            tried += 1;
        }
    }
    assert!(tried > 2000, "only {tried} mutations");
}

#[wasm_bindgen_test]
async fn round_trips_through_every_public_key_form() {
    let key = private_key().await;
    let value =
        JSON::parse(r#"{"points":1500,"name":"Zoë — 積分 🎁","list":[1,2,{"a":null}]}"#).unwrap();
    for (field, material) in [
        ("certificate", CERT),
        ("publicKey", PUBLIC_SPKI),
        ("publicKey", PUBLIC_PKCS1),
        ("certificate", CERT),
    ] {
        let jwe = encrypt_payload(value.clone(), bag(&[(field, material.into())]))
            .await
            .unwrap()
            .as_string()
            .unwrap();
        let header = jwe.split('.').next().unwrap();
        let header =
            String::from_utf8(points_activity::base64::decode_lenient(header).unwrap()).unwrap();
        assert_eq!(
            header,
            format!(
                r#"{{"kid":"{KID}","cty":"application/json","alg":"RSA-OAEP-256","enc":"A256GCM"}}"#
            )
        );
        let back = decrypt_payload(jwe.into(), bag(&[("decryptionKey", key.clone())]))
            .await
            .unwrap();
        assert_eq!(as_text(&back), as_text(&value));
    }
}

#[wasm_bindgen_test]
async fn fresh_cek_and_iv_every_time_and_fingerprint_override() {
    let opts = bag(&[
        ("certificate", CERT.into()),
        ("keyFingerprint", "my-kid".into()),
    ]);
    let a = JsFuture::from(encrypt_payload("x".into(), opts.clone()))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let b = JsFuture::from(encrypt_payload("x".into(), opts))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    assert_eq!(pa[0], pb[0]);
    assert!(pa[0].starts_with("eyJraWQiOiJteS1raWQi")); // {"kid":"my-kid"
    assert_ne!(pa[1], pb[1]);
    assert_ne!(pa[2], pb[2]);
    assert_eq!(
        points_activity::base64::decode_lenient(pa[2])
            .unwrap()
            .len(),
        12
    );
}

#[wasm_bindgen_test]
async fn fingerprint_of_every_public_form() {
    for pem in [CERT, PUBLIC_SPKI, PUBLIC_PKCS1] {
        assert_eq!(
            JsFuture::from(key_fingerprint(pem.into()))
                .await
                .unwrap()
                .as_string()
                .unwrap(),
            KID
        );
    }
    let err = JsFuture::from(key_fingerprint(PRIVATE_PKCS8.into()))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "ERR_KEY_INVALID");
}

#[wasm_bindgen_test]
async fn errors_are_instances_of_their_classes() {
    let err = decrypt_payload(
        "a.b.c".into(),
        bag(&[("decryptionKey", PRIVATE_PKCS8.into())]),
    )
    .await
    .unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name").as_string().unwrap(), "JweError");
    assert_eq!(code_of(&err), "ERR_JWE_INVALID");
    let err = encrypt_payload(JsValue::UNDEFINED, bag(&[("certificate", CERT.into())]))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "name").as_string().unwrap(),
        "PointsValidationError"
    );
    assert_eq!(get(&err, "field").as_string().unwrap(), "value");
    let err = JsFuture::from(import_decryption_key(
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----".into(),
    ))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "name").as_string().unwrap(), "PointsKeyError");
    assert!(!get(&err, "message").as_string().unwrap().contains("AAAA"));
}

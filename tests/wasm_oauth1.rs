//! OAuth1Signer in real runtimes (Node and headless Chromium): Mastercard's published body
//! hashes, signature and header format, through WebCrypto.
#![cfg(target_arch = "wasm32")]

use js_sys::{Reflect, JSON};
use points_activity::base64::encode_std;
use points_activity::crypto::webcrypto::WebCrypto;
use points_activity::keys::import::{signing_key, KeyPurpose};
use points_activity::oauth1::signer::OAuth1Signer;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const VECTORS: &str = include_str!("fixtures/oauth1-mastercard.json");
const KEY: &str = include_str!("fixtures/keys/oauth-signing-key.pkcs8.pem");

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap()
}

fn vectors(name: &str) -> js_sys::Array {
    get(&JSON::parse(VECTORS).unwrap(), name).into()
}

async fn signer(consumer_key: &str) -> OAuth1Signer {
    let options = JSON::parse(&format!(r#"{{"consumerKey":"{consumer_key}"}}"#)).unwrap();
    Reflect::set(&options, &"signingKey".into(), &KEY.into()).unwrap();
    let s = JsFuture::from(OAuth1Signer::create(options)).await.unwrap();
    OAuth1Signer::try_from_js_value(s).unwrap()
}

fn fixed(nonce: &str, timestamp: &str) -> JsValue {
    JSON::parse(&format!(
        r#"{{"nonce":"{nonce}","timestamp":"{timestamp}"}}"#
    ))
    .unwrap()
}

#[wasm_bindgen_test]
async fn published_body_hashes() {
    let s = signer("ck!1").await;
    for v in vectors("bodyHash").iter() {
        let body = get(&v, "body");
        let h = JsFuture::from(s.authorization_header(
            "POST".into(),
            "https://x/y".into(),
            body,
            fixed("n", "1"),
        ))
        .await
        .unwrap()
        .as_string()
        .unwrap();
        let want = format!(
            r#"oauth_body_hash="{}""#,
            get(&v, "expected").as_string().unwrap()
        );
        assert!(h.contains(&want), "{h} should contain {want}");
    }
}

#[wasm_bindgen_test]
async fn published_signature() {
    let v = vectors("signature").get(0);
    let key = signing_key(&KEY.into(), KeyPurpose::Sign)
        .await
        .map_err(JsValue::from)
        .unwrap();
    let signed = get(&v, "signedString").as_string().unwrap();
    let sig = WebCrypto::get()
        .ok()
        .unwrap()
        .sign(&key, signed.as_bytes(), KeyPurpose::Sign)
        .await
        .unwrap();
    assert_eq!(
        encode_std(&sig),
        get(&v, "expectedBase64").as_string().unwrap()
    );
}

#[wasm_bindgen_test]
async fn published_header_format() {
    let v = vectors("signatureBaseString").get(0);
    let url = get(&v, "url").as_string().unwrap();
    let s = signer("aaa!aaa").await;
    let h = JsFuture::from(s.authorization_header(
        "GET".into(),
        url.into(),
        "{}".into(),
        fixed("uTeLPs6K", "1524771555"),
    ))
    .await
    .unwrap()
    .as_string()
    .unwrap();
    let format = JSON::parse(VECTORS)
        .map(|d| get(&d, "headerFormat"))
        .unwrap()
        .as_string()
        .unwrap();
    let head = format.split("oauth_signature=").next().unwrap();
    assert!(h.starts_with(head), "{h}\nvs\n{format}");
    let sig = h
        .rsplit("oauth_signature=\"")
        .next()
        .unwrap()
        .trim_end_matches('"');
    assert!(
        sig.len() > 300 && !sig.contains('+') && !sig.contains('/') && !sig.contains('='),
        "percent-encoded: {sig}"
    );
}

#[wasm_bindgen_test]
async fn keys_in_every_form_and_no_oaep_key() {
    let s = signer("ck").await;
    let key = signing_key(&KEY.into(), KeyPurpose::Sign)
        .await
        .map_err(JsValue::from)
        .unwrap();
    // A ready CryptoKey works as the signing key.
    let options = JSON::parse(r#"{"consumerKey":"ck"}"#).unwrap();
    Reflect::set(&options, &"signingKey".into(), &key).unwrap();
    let again = JsFuture::from(OAuth1Signer::create(options)).await;
    assert!(again.is_ok());
    drop(s);
    // An RSA-OAEP (decryption) CryptoKey is refused as a signing key.
    let oaep = points_activity::keys::import::decryption_key(&KEY.into())
        .await
        .map_err(JsValue::from)
        .unwrap();
    let options = JSON::parse(r#"{"consumerKey":"ck"}"#).unwrap();
    Reflect::set(&options, &"signingKey".into(), &oaep).unwrap();
    let err = JsFuture::from(OAuth1Signer::create(options))
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("ERR_KEY_INVALID")
    );
}

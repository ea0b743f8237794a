//! PointsClient in real runtimes (`wasm-pack test --node` and headless Chromium) against a
//! recording fetch: for every operation the exact method, URL, headers and body, the encrypted
//! bodies decrypted by the test with the test key.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use points_activity::api::decrypt_payload::decrypt_payload;
use points_activity::api::encrypt_payload::encrypt_payload;
use points_activity::client::PointsClient;
use tsify::Ts;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const CERT: &str = include_str!("fixtures/keys/jwe-certificate.pem");
const PRIVATE: &str = include_str!("fixtures/keys/jwe-private-key.pkcs8.pem");
const BAN: &str = "5555444433332222";

#[wasm_bindgen(module = "/tests/support/fetch_stub.js")]
extern "C" {
    #[wasm_bindgen(js_name = recordingFetch)]
    fn recording_fetch(replies: JsValue) -> JsValue;
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap()
}

fn text(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

/// A client on a stub that answers `replies` (JSON array of `{status, body, headers}`).
async fn client(replies: JsValue) -> (PointsClient, Array) {
    let stub = recording_fetch(replies);
    let options =
        json(r#"{"baseUrl":"https://proxy.example/loyalty","headers":{"x-correlation-id":"c-1"}}"#);
    let enc = json("{}");
    Reflect::set(&enc, &"certificate".into(), &CERT.into()).unwrap();
    Reflect::set(&enc, &"decryptionKey".into(), &PRIVATE.into()).unwrap();
    Reflect::set(&options, &"encryption".into(), &enc).unwrap();
    Reflect::set(&options, &"fetch".into(), &get(&stub, "fetch")).unwrap();
    let c = JsFuture::from(PointsClient::create(options)).await.unwrap();
    let c = PointsClient::try_from_js_value(c).unwrap();
    (c, get(&stub, "calls").into())
}

/// `{"encryptedPayload": <value encrypted to the test certificate>}` as a reply body.
async fn sealed_reply(value: &str) -> String {
    let opts = json("{}");
    Reflect::set(&opts, &"certificate".into(), &CERT.into()).unwrap();
    let jwe = JsFuture::from(encrypt_payload(json(value), opts))
        .await
        .unwrap();
    format!(r#"{{"encryptedPayload":"{}"}}"#, jwe.as_string().unwrap())
}

fn replies(items: &[(u16, &str)]) -> JsValue {
    let arr = Array::new();
    for (status, body) in items {
        let r = json("{}");
        Reflect::set(&r, &"status".into(), &JsValue::from(*status)).unwrap();
        Reflect::set(&r, &"body".into(), &JsValue::from_str(body)).unwrap();
        arr.push(&r);
    }
    arr.into()
}

/// The clear JSON text inside a recorded `{"encryptedPayload": JWE}` body.
async fn opened(body: &JsValue) -> String {
    let outer = JSON::parse(&body.as_string().unwrap()).unwrap();
    let keys: Vec<String> = js_sys::Object::keys(outer.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["encryptedPayload"],
        "the body is the JWE field alone"
    );
    let opts = json("{}");
    Reflect::set(&opts, &"decryptionKey".into(), &PRIVATE.into()).unwrap();
    text(
        &JsFuture::from(decrypt_payload(get(&outer, "encryptedPayload"), opts))
            .await
            .unwrap(),
    )
}

fn call(calls: &Array, i: u32) -> (String, String, String, JsValue) {
    let c = calls.get(i);
    (
        get(&c, "method").as_string().unwrap(),
        get(&c, "url").as_string().unwrap(),
        text(&get(&c, "headers")),
        get(&c, "body"),
    )
}

#[wasm_bindgen_test]
async fn each_read_sends_exactly_one_get() {
    let reply = r#"{"availablePoints":1200,"somethingNew":{"kept":true}}"#;
    let (c, calls) = client(replies(&[(200, reply)])).await;
    let q = || {
        Ts::new_unchecked(json(
            r#"{"userId":"301234567890123456789012345678","userIdType":"RANAC"}"#,
        ))
    };
    let q_opts =
        json(r#"{"query":{"from":"2026-01-01","limit":10,"all":true},"headers":{"x-call":"2"}}"#);
    let got = JsFuture::from(c.get_points_details(q(), q_opts.clone()))
        .await
        .unwrap();
    assert_eq!(text(&got), reply, "unknown fields are kept");
    JsFuture::from(c.get_points_expirations(q(), JsValue::UNDEFINED))
        .await
        .unwrap();
    JsFuture::from(c.get_points_adjustments(q(), JsValue::NULL))
        .await
        .unwrap();
    assert_eq!(calls.length(), 3);
    let want = [
        "https://proxy.example/loyalty/points-details?user_id=301234567890123456789012345678&user_id_type=RANAC&from=2026-01-01&limit=10&all=true",
        "https://proxy.example/loyalty/points-expirations-details?user_id=301234567890123456789012345678&user_id_type=RANAC",
        "https://proxy.example/loyalty/points-adjustments-details?user_id=301234567890123456789012345678&user_id_type=RANAC",
    ];
    for (i, url) in want.iter().enumerate() {
        let (method, got_url, headers, body) = call(&calls, i as u32);
        assert_eq!(method, "GET");
        assert_eq!(&got_url, url);
        assert!(body.is_null());
        let expected_headers = if i == 0 {
            r#"{"accept":"application/json","x-call":"2","x-correlation-id":"c-1"}"#
        } else {
            r#"{"accept":"application/json","x-correlation-id":"c-1"}"#
        };
        assert_eq!(headers, expected_headers);
    }
}

#[wasm_bindgen_test]
async fn writes_send_one_encrypted_post_with_the_exact_body() {
    let (c, calls) = client(replies(&[(200, r#"{"pointsAdjusted":1500}"#)])).await;
    let adjustment = json(&format!(
        r#"{{"bankAccountNumber":"{BAN}","pointsToAdjust":1500,"adjustmentTypeCode":"CR","adjustmentReason":"Goodwill é \"gesture\"","adjustedBy":"agent-7"}}"#
    ));
    let got = c
        .adjust_points(Ts::new_unchecked(adjustment), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&got), r#"{"pointsAdjusted":1500}"#);
    let transfer = json(&format!(
        r#"{{"fromBankAccountNumber":"{BAN}","toBankAccountNumber":"5555444433331111","pointsToTransfer":9007199254740991,"transferTypeCode":"TR","transferReason":"new card","adjustedBy":"self"}}"#
    ));
    JsFuture::from(c.transfer_points(Ts::new_unchecked(transfer), JsValue::UNDEFINED))
        .await
        .unwrap();

    let (method, url, headers, body) = call(&calls, 0);
    assert_eq!(
        (method.as_str(), url.as_str()),
        ("POST", "https://proxy.example/loyalty/points-adjustments")
    );
    assert_eq!(
        headers,
        r#"{"accept":"application/json","content-type":"application/json","x-correlation-id":"c-1"}"#
    );
    assert_eq!(
        opened(&body).await,
        format!(
            r#"{{"bankAccountNumber":"{BAN}","pointsToAdjust":1500,"adjustmentTypeCode":"CR","adjustmentReason":"Goodwill é \"gesture\"","adjustedBy":"agent-7"}}"#
        )
    );
    let (method, url, _, body) = call(&calls, 1);
    assert_eq!(
        (method.as_str(), url.as_str()),
        ("POST", "https://proxy.example/loyalty/points-transfers")
    );
    assert_eq!(
        opened(&body).await,
        format!(
            r#"{{"fromBankAccountNumber":"{BAN}","toBankAccountNumber":"5555444433331111","pointsToTransfer":9007199254740991,"transferTypeCode":"TR","transferReason":"new card","adjustedBy":"self"}}"#
        )
    );
    for i in 0..2 {
        assert!(
            !call(&calls, i).1.contains(BAN),
            "no account number in a URL"
        );
    }
}

#[wasm_bindgen_test]
async fn the_lookup_is_encrypted_both_ways() {
    let found = r#"{"userReferences":[{"customerId":"RANCU-1","accountDetails":[{"accountId":"RANAC-1","accountFirstFour":"5555","accountLastFour":"2222"}]}]}"#;
    let (c, calls) = client(replies(&[(200, &sealed_reply(found).await)])).await;
    let search = json(&format!(
        r#"{{"userId":"{BAN}","userIdType":"BAN","includeOnlyPrimary":true}}"#
    ));
    let got = c
        .search_user_references(Ts::new_unchecked(search), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&got), found);
    let (method, url, _, body) = call(&calls, 0);
    assert_eq!(
        (method.as_str(), url.as_str()),
        (
            "POST",
            "https://proxy.example/loyalty/mrs/users/references/searches"
        )
    );
    assert_eq!(
        opened(&body).await,
        format!(r#"{{"userId":"{BAN}","userIdType":"BAN","includeOnlyPrimary":true}}"#)
    );
}

#[wasm_bindgen_test]
async fn a_ban_is_resolved_first_and_never_reaches_a_url() {
    let found = r#"{"userReferences":[{"customerId":"RANCU-1","accountDetails":[
        {"accountId":"RANAC-OTHER","accountFirstFour":"5555","accountLastFour":"1111"},
        {"accountId":"RANAC-1","accountFirstFour":"5555","accountLastFour":"2222"}]}]}"#;
    let lookup = sealed_reply(found).await;
    let (c, calls) = client(replies(&[
        (200, &lookup),
        (200, r#"{"availablePoints":7}"#),
    ]))
    .await;
    let q = json(&format!(r#"{{"userId":"{BAN}","userIdType":"BAN"}}"#));
    let got = c
        .get_points_details(Ts::new_unchecked(q), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&got), r#"{"availablePoints":7}"#);
    assert_eq!(calls.length(), 2);
    let (m0, u0, _, b0) = call(&calls, 0);
    assert_eq!(
        (m0.as_str(), u0.as_str()),
        (
            "POST",
            "https://proxy.example/loyalty/mrs/users/references/searches"
        )
    );
    assert_eq!(
        opened(&b0).await,
        format!(r#"{{"userId":"{BAN}","userIdType":"BAN"}}"#)
    );
    let (m1, u1, _, _) = call(&calls, 1);
    assert_eq!(m1, "GET");
    assert_eq!(
        u1,
        "https://proxy.example/loyalty/points-details?user_id=RANAC-1&user_id_type=RANAC"
    );
    assert!(!u0.contains(BAN) && !u1.contains(BAN));
}

#[wasm_bindgen_test]
async fn encrypted_responses_are_opened_and_bad_input_sends_nothing() {
    let (c, calls) = client(replies(&[(
        200,
        &sealed_reply(r#"{"pointsTransferred":5}"#).await,
    )]))
    .await;
    let bad = json(
        r#"{"fromBankAccountNumber":"1234","toBankAccountNumber":"5555444433331111","pointsToTransfer":5,"transferTypeCode":"TR","transferReason":"r","adjustedBy":"a"}"#,
    );
    let err = c
        .transfer_points(Ts::new_unchecked(bad), JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("ERR_VALIDATION")
    );
    assert_eq!(
        get(&err, "field").as_string().as_deref(),
        Some("fromBankAccountNumber")
    );
    assert!(!get(&err, "message").as_string().unwrap().contains("1234"));
    assert_eq!(calls.length(), 0, "no request left the module");
    let good = json(&format!(
        r#"{{"fromBankAccountNumber":"{BAN}","toBankAccountNumber":"5555444433331111","pointsToTransfer":5,"transferTypeCode":"TR","transferReason":"r","adjustedBy":"a"}}"#
    ));
    let got = c
        .transfer_points(Ts::new_unchecked(good), JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&got), r#"{"pointsTransferred":5}"#);
}

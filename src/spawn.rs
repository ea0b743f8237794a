//! The module's one way into async. Every exported operation is a [`Job`] run by one async
//! function, so the wasm carries one future-to-promise machine instead of one per export (each
//! costs a few KB: measured -2.5 KB gzip for the client's six methods alone).

#[cfg(any(feature = "client", feature = "signer"))]
use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsValue;

use crate::api::{decrypt_payload, encrypt_payload, import_decryption_key, key_fingerprint};
#[cfg(feature = "client")]
use crate::client::{self, options::Config, Op};
use crate::js_error::JsResult;
#[cfg(feature = "signer")]
use crate::oauth1::signer::{self, SignerKey};

/// An exported operation and its arguments.
pub(crate) enum Job {
    EncryptPayload(JsValue, JsValue),
    DecryptPayload(JsValue, JsValue),
    ImportDecryptionKey(JsValue),
    KeyFingerprint(JsValue),
    #[cfg(feature = "client")]
    CreateClient(JsValue),
    #[cfg(feature = "client")]
    Call(Rc<Config>, Op, JsValue, JsValue),
    #[cfg(feature = "signer")]
    CreateSigner(JsValue),
    #[cfg(feature = "signer")]
    Sign(Rc<SignerKey>, JsValue, JsValue, JsValue, JsValue),
}

/// Runs `job` and settles the promise with its value or its `PointsError`.
pub(crate) fn spawn(job: Job) -> Promise {
    crate::task::spawn(async move { run(job).await.map_err(JsValue::from) })
}

async fn run(job: Job) -> JsResult<JsValue> {
    match job {
        Job::EncryptPayload(value, options) => encrypt_payload::run(value, options)
            .await
            .map(JsValue::from),
        Job::DecryptPayload(jwe, options) => decrypt_payload::run(jwe, options).await,
        Job::ImportDecryptionKey(key) => import_decryption_key::run(key).await,
        Job::KeyFingerprint(key) => key_fingerprint::run(key).await,
        #[cfg(feature = "client")]
        Job::CreateClient(options) => client::create(options).await,
        #[cfg(feature = "client")]
        Job::Call(config, op, input, options) => client::run(&config, op, input, options).await,
        #[cfg(feature = "signer")]
        Job::CreateSigner(options) => signer::create(options).await,
        #[cfg(feature = "signer")]
        Job::Sign(key, method, url, body, fixed) => {
            signer::sign(&key, method, url, body, fixed).await
        }
    }
}

//! `pkcs12ToPem`: a PKCS#12 file's private key as the PKCS#8 PEM that runtimes without a
//! PKCS#12 reader (browsers' and workers' builds, `wrangler secret put`) take. For the key
//! tool (`npx points-activity keys`); the Node build only.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::crypto::webcrypto::WebCrypto;
use crate::failure::JsResult;
use crate::keys::import::{kid_of, pkcs12_pkcs8};
use crate::keys::secret::Secret;
use crate::promise::promise;

/// The private key of `{ pkcs12, password, alias? }` as `{ pem, fingerprint, bits }`: PKCS#8
/// PEM, the lowercase hex SHA-256 of its public key's SPKI (the `kid` Mastercard sends with
/// responses encrypted to it) and the modulus size. The PEM is a JS string from here on, which
/// nothing can wipe: write it where the secret belongs and drop it. Rejects with
/// `PointsKeyError` (wrong password, tampered file, no key or several without `alias`).
#[wasm_bindgen(js_name = pkcs12ToPem, unchecked_return_type = "Promise<Pkcs12Pem>")]
pub fn pkcs12_to_pem(
    #[wasm_bindgen(unchecked_param_type = "Pkcs12Input")] options: JsValue,
) -> Promise {
    promise(run(options))
}

async fn run(options: JsValue) -> JsResult<JsValue> {
    let pkcs8 = pkcs12_pkcs8(&options)?;
    let fingerprint = kid_of(&WebCrypto::get()?, &pkcs8.public()?.der).await?;
    let pem = pem(pkcs8.der.expose());
    let out = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&out, &JsValue::from_str(k), &v);
    let _ = set(
        "pem",
        JsValue::from_str(&String::from_utf8_lossy(pem.expose())),
    );
    let _ = set("fingerprint", JsValue::from_str(&fingerprint));
    let _ = set("bits", JsValue::from_f64(pkcs8.bits as f64));
    Ok(out.into())
}

/// PKCS#8 DER as PEM text, 64 characters a line, in a buffer wiped on drop.
fn pem(der: &[u8]) -> Secret {
    let body = Secret::new(crate::base64::encode_std(der).into_bytes());
    let mut out = Vec::with_capacity(body.expose().len() * 65 / 64 + 64);
    out.extend_from_slice(b"-----BEGIN PRIVATE KEY-----\n");
    for line in body.expose().chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(b"-----END PRIVATE KEY-----\n");
    Secret::new(out)
}

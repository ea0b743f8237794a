//! The HTTP surface: the gateway's checks, then the five PAS operations under `/loyalty` and the
//! identifier lookup under `/loyalty/mrs`, JSON in the shapes the client's models define, errors
//! in Mastercard's envelope.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::faults::{Fault, Plan};
use crate::gateway::{self, Nonces};
use crate::jwe;
use crate::keys::KeySet;
use crate::ledger::{refuse, Ledger, Refusal};

/// Which responses are encrypted to the client.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encrypt {
    All,
    /// Only responses that carry an identifier (RANAC, RANCU, card or customer number), reads
    /// included, as the loyalty APIs may.
    Sensitive,
    None,
}

pub struct App {
    pub ledger: Mutex<Ledger>,
    pub keys: KeySet,
    /// The client key responses are encrypted to (switched by `/_sandbox/client-certificate`).
    pub recipient: RwLock<jwe::Recipient>,
    pub nonces: Mutex<Nonces>,
    pub encrypt: Encrypt,
    pub faults: bool,
    /// Queued and random faults (with `faults`).
    pub fault_plan: Mutex<Plan>,
    pub latency_ms: u64,
    pub max_body: usize,
    /// Print one line per request (method, path without query, status) for tests and demos.
    pub log_requests: bool,
}

/// Mastercard's Errors envelope.
pub fn envelope(
    status: u16,
    source: &str,
    code: &str,
    description: &str,
    recoverable: bool,
) -> Response {
    let body = json!({ "Errors": { "Error": [{
        "Source": source, "ReasonCode": code, "Description": description,
        "Recoverable": recoverable, "Details": null,
    }] } });
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// The documented `Source` of a service's own errors: `rewards-points-api` for PAS (its "Code
/// and Formats" page), `user-management` for User Account Management (its spec).
pub fn source_of(path: &str) -> &'static str {
    if path.starts_with("/loyalty/mrs") {
        "user-management"
    } else {
        "rewards-points-api"
    }
}

fn service_error(r: Refusal, path: &str) -> Response {
    envelope(
        r.status,
        source_of(path),
        &r.reason_code,
        &r.description,
        false,
    )
}

/// `bankAccountNumber` → `BANK_ACCOUNT_NUMBER`, as reason codes name fields.
fn upper_snake(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn missing(field: &str) -> Refusal {
    refuse(
        400,
        &format!("MISSING_REQUIRED_FIELD_{}", upper_snake(field)),
        &format!("{field} is required"),
    )
}

fn bad_format(field: &str, why: &str) -> Refusal {
    refuse(
        400,
        &format!("INVALID_FIELD_FORMAT_{}", upper_snake(field)),
        &format!("{field} {why}"),
    )
}

fn bad_value(field: &str, why: &str) -> Refusal {
    refuse(
        400,
        &format!("INVALID_FIELD_VALUE_{}", upper_snake(field)),
        &format!("{field} {why}"),
    )
}

/// Field readers over a decrypted JSON object.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn text(&self, f: &str, max: usize) -> Result<String, Refusal> {
        match self.0.get(f) {
            None | Some(Value::Null) => Err(missing(f)),
            Some(Value::String(s)) if s.is_empty() => Err(missing(f)),
            Some(Value::String(s)) if s.chars().count() > max => {
                Err(bad_format(f, &format!("is longer than {max} characters")))
            }
            // As strict as the module: no control character (Rust's `char::is_control`), no
            // U+FFFD (what an unpaired surrogate of the caller's became).
            Some(Value::String(s)) if s.chars().any(|c| c.is_control() || c == '\u{FFFD}') => Err(
                bad_format(f, "must not contain control characters or U+FFFD"),
            ),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(bad_format(f, "must be a string")),
        }
    }
    fn account(&self, f: &str) -> Result<String, Refusal> {
        let s = self.text(f, 19)?;
        if s.len() < 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad_format(f, "must be 12 to 19 digits"));
        }
        Ok(s)
    }
    fn points(&self, f: &str) -> Result<i64, Refusal> {
        match self.0.get(f) {
            None | Some(Value::Null) => Err(missing(f)),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(p) if (1..1i64 << 53).contains(&p) => Ok(p),
                _ => Err(bad_value(f, "must be a whole number from 1 to 2^53 - 1")),
            },
            Some(_) => Err(bad_format(f, "must be a number")),
        }
    }
    fn flag(&self, f: &str) -> Result<bool, Refusal> {
        match self.0.get(f) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(bad_format(f, "must be a boolean")),
        }
    }
}

fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (
            b[i],
            b.get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()),
        ) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every request: handled, then logged when asked (no query, no body: nothing sensitive).
pub async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let log = app.log_requests.then(|| format!("{method} {}", uri.path()));
    let response = serve(app, method, uri, headers, body).await;
    if let Some(line) = log {
        println!("{line} {}", response.status().as_u16());
    }
    response
}

/// The whole request path for every route: latency, faults, gateway, then the operation.
async fn serve(
    app: Arc<App>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if app.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(app.latency_ms)).await;
    }
    if app.faults && uri.path() == "/_sandbox/faults" {
        return queue_faults(&app, &method, body).await;
    }
    if app.faults && uri.path() == "/_sandbox/client-certificate" {
        return switch_recipient(&app, &method, body).await;
    }
    let fault = fault_for(&app, &headers, uri.path());
    if let Some(f) = fault.filter(|f| !f.after()) {
        return before_fault(f, uri.path()).await;
    }
    let Ok(bytes) = to_bytes(body, app.max_body).await else {
        return envelope(
            413,
            "Gateway",
            "REQUEST_TOO_LARGE",
            "the body is larger than allowed",
            false,
        );
    };
    let path = uri.path();
    let query = uri.query().unwrap_or("");
    if let Err((status, code, why)) = gateway_check(&app, &method, &headers, path, query, &bytes) {
        return envelope(status, "Gateway", code, &why, false);
    }
    let value = match route(&app, &method, path, query, &headers, &bytes) {
        Ok(value) => value,
        Err(r) => return service_error(r, path),
    };
    let value = match sealed_if_asked(&app, value) {
        Ok(v) => v,
        Err(e) => return envelope(500, source_of(path), "RESPONSE_ENCRYPT_FAILED", &e, false),
    };
    // Applied: a fault now hides that from the caller.
    match fault {
        Some(Fault::DropAfter) => return dropped(),
        Some(Fault::HangAfter) => tokio::time::sleep(Duration::from_secs(3600)).await,
        _ => {}
    }
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// The fault for this request: the one it names (`x-sandbox-fault`), else the plan's next.
fn fault_for(app: &App, headers: &HeaderMap, path: &str) -> Option<Fault> {
    if !app.faults {
        return None;
    }
    let asked = headers
        .get("x-sandbox-fault")
        .and_then(|v| v.to_str().ok())
        .and_then(Fault::named);
    asked.or_else(|| {
        app.fault_plan
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .next(path)
    })
}

/// The gateway's check of the request's OAuth 1.0a signature, at this moment.
fn gateway_check(
    app: &App,
    method: &Method,
    headers: &HeaderMap,
    path: &str,
    query: &str,
    bytes: &[u8],
) -> Result<(), gateway::Refusal> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let incoming = gateway::Incoming {
        authorization: headers.get("authorization").and_then(|h| h.to_str().ok()),
        method: method.as_str(),
        scheme: "http",
        host: headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost"),
        path,
        query,
        body: bytes,
    };
    let client = gateway::Client {
        consumer_key: &app.keys.consumer_key,
        public: &app.keys.signing_public,
    };
    let mut nonces = app.nonces.lock().unwrap_or_else(|p| p.into_inner());
    gateway::check(&incoming, &client, &mut nonces, now)
}

/// The answer as the sandbox was told to send it: encrypted always, for answers that identify
/// someone, or never.
fn sealed_if_asked(app: &App, value: Value) -> Result<Value, String> {
    if app.encrypt == Encrypt::All || (app.encrypt == Encrypt::Sensitive && identifies(&value)) {
        let to = app.recipient.read().unwrap_or_else(|p| p.into_inner());
        Ok(json!({ "encryptedPayload": jwe::seal(&value, &to)? }))
    } else {
        Ok(value)
    }
}

/// A response whose body fails at once: the server aborts the connection mid-response.
fn dropped() -> Response {
    let broken = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("dropped"))
    });
    Response::new(Body::from_stream(broken))
}

/// A fault that strikes before the operation: it is never applied.
async fn before_fault(f: Fault, path: &str) -> Response {
    match f {
        Fault::Unavailable => envelope(
            500,
            source_of(path),
            "SERVICE_UNAVAILABLE",
            "injected fault",
            true,
        ),
        Fault::RateLimited => {
            let mut r = envelope(429, "Gateway", "RATE_LIMITED", "injected fault", true);
            r.headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("1"));
            r
        }
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            dropped()
        }
        Fault::Garbage => (
            StatusCode::OK,
            [("content-type", "application/json")],
            "\u{0}{garbage",
        )
            .into_response(),
        Fault::Drop | Fault::DropAfter | Fault::HangAfter => dropped(),
    }
}

/// `POST /_sandbox/client-certificate` with a PEM certificate: responses from now on are
/// encrypted to it, as after a rotation on Mastercard's portal (tests; only with `--faults`).
async fn switch_recipient(app: &App, method: &Method, body: Body) -> Response {
    let bad = |why: &str| envelope(400, "Sandbox", "INVALID_CERTIFICATE", why, false);
    if method != Method::POST {
        return bad("POST a PEM certificate");
    }
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return bad("the certificate is too large");
    };
    match jwe::Recipient::from_certificate_pem(&bytes) {
        Ok(next) => {
            *app.recipient.write().unwrap_or_else(|p| p.into_inner()) = next;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(_) => bad("not a PEM certificate"),
    }
}

/// `POST /_sandbox/faults` `{ "path": "/loyalty/points-transfers", "faults": ["drop-after"] }`:
/// queues faults for the next requests to that path (tests; only with `--faults`, unsigned,
/// on loopback only like the rest).
async fn queue_faults(app: &App, method: &Method, body: Body) -> Response {
    let bad = |why: &str| envelope(400, "Sandbox", "INVALID_FAULTS", why, false);
    if method != Method::POST {
        return bad("POST a fault plan");
    }
    let Ok(bytes) = to_bytes(body, 64 * 1024).await else {
        return bad("the plan is too large");
    };
    let Ok(plan) = serde_json::from_slice::<Value>(&bytes) else {
        return bad("the plan is not JSON");
    };
    let path = plan.get("path").and_then(Value::as_str);
    let faults: Option<Vec<Fault>> = plan.get("faults").and_then(Value::as_array).and_then(|a| {
        a.iter()
            .map(|f| f.as_str().and_then(Fault::named))
            .collect()
    });
    match (path, faults) {
        (Some(p), Some(f)) => {
            if app
                .fault_plan
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .queue(p, &f)
            {
                StatusCode::NO_CONTENT.into_response()
            } else {
                bad("the queue is full")
            }
        }
        _ => bad("give path and faults (500, 429, hang, drop, garbage, drop-after, hang-after)"),
    }
}

/// Names of the members that identify an account or a customer.
const IDENTIFIERS: [&str; 4] = ["accountId", "customerId", "accountNumber", "customerNumber"];

/// Whether a response carries an identifier anywhere (a RANAC in a customer-level read, a RANCU
/// or a card number in a lookup).
fn identifies(value: &Value) -> bool {
    match value {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| IDENTIFIERS.contains(&k.as_str()) || identifies(v)),
        Value::Array(items) => items.iter().any(identifies),
        _ => false,
    }
}

/// The sandbox's operations. Its own list, by method and path under `/loyalty`: the sandbox is
/// the independent oracle, so it never reads the crate's (`src/ops/list.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Details,
    Expirations,
    History,
    Adjust,
    Transfer,
    Lookup,
}

const ROUTES: [(&str, &str, Op); 6] = [
    ("GET", "/points-details", Op::Details),
    ("GET", "/points-expirations-details", Op::Expirations),
    ("GET", "/points-adjustments-details", Op::History),
    ("POST", "/points-adjustments", Op::Adjust),
    ("POST", "/points-transfers", Op::Transfer),
    ("POST", "/mrs/users/references/searches", Op::Lookup),
];

/// Dispatches a request that passed the gateway: 404 for a path no operation has, 405 for a
/// method the path does not take.
fn route(
    app: &App,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Refusal> {
    let not_found = || refuse(404, "NOT_FOUND", "no such resource");
    let rest = path.strip_prefix("/loyalty").ok_or_else(not_found)?;
    if !ROUTES.iter().any(|(_, p, _)| *p == rest) {
        return Err(not_found());
    }
    let found = ROUTES
        .iter()
        .find(|(m, p, _)| *p == rest && *m == method.as_str());
    let Some(&(_, _, op)) = found else {
        return Err(refuse(
            405,
            "METHOD_NOT_ALLOWED",
            "this resource takes another method",
        ));
    };
    if matches!(op, Op::Details | Op::Expirations | Op::History) {
        let mut ledger = app.ledger.lock().unwrap_or_else(|p| p.into_inner());
        return read(&mut ledger, op, query);
    }
    // The body is checked and opened before the ledger is locked.
    let payload = decrypted_body(app, headers, body)?;
    let mut ledger = app.ledger.lock().unwrap_or_else(|p| p.into_inner());
    write(&mut ledger, op, &payload)
}

/// A read: `user_id` and `user_id_type` (RANAC or RANCU) from the query, dates where they apply.
fn read(ledger: &mut Ledger, op: Op, query: &str) -> Result<Value, Refusal> {
    let q = query_pairs(query);
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let user_id = get("user_id")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("user_id"))?;
    let kind = get("user_id_type")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("user_id_type"))?;
    if !["RANAC", "RANCU"].contains(&kind.as_str()) {
        return Err(bad_value("userIdType", "must be RANAC or RANCU"));
    }
    let date = |k: &str| -> Result<Option<i64>, Refusal> {
        get(k)
            .map(|v| crate::dates::parse(&v).ok_or_else(|| bad_format(k, "must be YYYY-MM-DD")))
            .transpose()
    };
    match op {
        Op::Details => {
            let household = get("level").is_some_and(|l| l.eq_ignore_ascii_case("HOUSEHOLD"));
            ledger.details(&user_id, &kind, date("from")?, date("to")?, household)
        }
        Op::Expirations => ledger.expirations(&user_id, &kind),
        _ => ledger.history(&user_id, &kind),
    }
}

/// A POST's payload: JSON of `{"encryptedPayload": <JWE>}` (no member twice), opened with
/// Mastercard's key, itself a JSON object.
fn decrypted_body(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, Refusal> {
    let ct = headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !ct.to_ascii_lowercase().starts_with("application/json") {
        return Err(refuse(
            415,
            "INVALID_CONTENT_TYPE",
            "the body must be application/json",
        ));
    }
    let outer: Value = points_sandbox::strict_json::parse(body).ok_or_else(|| {
        refuse(
            400,
            "INVALID_JSON",
            "the body is not JSON (or names a member twice)",
        )
    })?;
    let jwe_text = outer
        .get("encryptedPayload")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            // As Mastercard answers an unencrypted body where encryption is required.
            refuse(400, "ENCRYPTION_ERROR", "Request is not encrypted")
        })?;
    // The body cap applies to what is decrypted too.
    let clear =
        jwe::open(jwe_text, &app.keys.mastercard_key_pem, app.max_body).map_err(|e| match e {
            jwe::Refused::TooLarge => refuse(
                413,
                "REQUEST_TOO_LARGE",
                "the decrypted payload is larger than allowed",
            ),
            _ => refuse(
                400,
                "REQUEST_DECRYPT_FAILED",
                "the encrypted payload could not be decrypted",
            ),
        })?;
    match clear {
        Value::Object(obj) => Ok(obj),
        _ => Err(refuse(
            400,
            "INVALID_JSON",
            "the payload is not a JSON object",
        )),
    }
}

/// A write or the lookup, from its checked payload.
fn write(ledger: &mut Ledger, op: Op, obj: &Map<String, Value>) -> Result<Value, Refusal> {
    let f = Fields(obj);
    match op {
        Op::Adjust => {
            let ban = f.account("bankAccountNumber")?;
            let points = f.points("pointsToAdjust")?;
            let code = f.text("adjustmentTypeCode", 20)?;
            let reason = f.text("adjustmentReason", 255)?;
            let by = f.text("adjustedBy", 50)?;
            ledger.adjust(&ban, points, &code, &reason, &by)
        }
        Op::Transfer => {
            let from = f.account("fromBankAccountNumber")?;
            let to = f.account("toBankAccountNumber")?;
            let points = f.points("pointsToTransfer")?;
            let code = f.text("transferTypeCode", 20)?;
            let reason = f.text("transferReason", 255)?;
            let by = f.text("adjustedBy", 50)?;
            ledger.transfer(&from, &to, points, &code, &reason, &by)
        }
        _ => {
            let user_id = f.text("userId", 50)?;
            let kind = f.text("userIdType", 5)?;
            let sensitive = f.flag("includeSensitiveIdentifiers")?;
            let program = match obj.get("programIdentifier") {
                None | Some(Value::Null) => None,
                Some(_) => Some(f.text("programIdentifier", 50)?),
            };
            let primary = f.flag("includeOnlyPrimary")?;
            ledger.lookup(&user_id, &kind, sensitive, program.as_deref(), primary)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_found_at_any_depth_and_only_there() {
        assert!(identifies(
            &json!({ "level": "CUSTOMER", "accounts": [{ "accountId": "R1" }] })
        ));
        assert!(identifies(
            &json!({ "userReferences": [{ "customerId": "C1", "accountDetails": [] }] })
        ));
        assert!(!identifies(
            &json!({ "level": "ACCOUNT", "availablePoints": 5 })
        ));
        assert!(!identifies(
            &json!({ "adjustments": [{ "accountLastFour": "1234", "adjustmentReason": "accountId" }] })
        ));
    }
}

//! `points-sandbox`: a local Points Activity Service and identifier lookup behind a gateway that
//! checks OAuth 1.0a like Mastercard's, with a real ledger.
//!
//! ```text
//! points-sandbox [serve] [--port 8080] [--keys DIR] [--seed N | --seed-file FILE] [--today YYYY-MM-DD]
//!                [--encrypt-responses all|sensitive|none] [--faults] [--fault-rate P] [--latency-ms N] [--max-body BYTES]
//!                [--log-requests]
//! points-sandbox keys --out DIR
//! ```

mod api;
mod dates;
mod faults;
mod keys;
mod ledger;
mod seed;

// The outside-input checks live in the library (fuzzed from fuzz/); named here as crate paths.
use points_sandbox::{gateway, jwe};

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use api::{App, Encrypt};

struct Options {
    port: u16,
    keys: PathBuf,
    seed: u64,
    seed_file: Option<PathBuf>,
    today: i64,
    encrypt: Encrypt,
    faults: bool,
    fault_rate_ppm: u32,
    latency_ms: u64,
    max_body: usize,
    log_requests: bool,
}

fn usage(why: &str) -> ! {
    eprintln!("points-sandbox: {why}\nusage: points-sandbox [serve] [--port N] [--keys DIR] [--seed N | --seed-file FILE] [--today YYYY-MM-DD] [--encrypt-responses all|sensitive|none] [--faults] [--fault-rate P] [--latency-ms N] [--max-body BYTES] [--log-requests]\n       points-sandbox keys --out DIR");
    std::process::exit(2)
}

/// `text` as a number of type `T`, or the usage message `why`.
fn number<T: std::str::FromStr>(text: String, why: &str) -> T {
    text.parse().unwrap_or_else(|_| usage(why))
}

fn encrypt_option(text: &str) -> Encrypt {
    match text {
        "all" => Encrypt::All,
        "sensitive" => Encrypt::Sensitive,
        "none" => Encrypt::None,
        _ => usage("--encrypt-responses takes all, sensitive or none"),
    }
}

/// A share of requests from 0 to 1, kept as parts per million.
fn fault_rate_ppm(text: String) -> u32 {
    let rate: f64 = number(text, "--fault-rate takes a number from 0 to 1");
    if !(0.0..=1.0).contains(&rate) {
        usage("--fault-rate takes a number from 0 to 1");
    }
    (rate * 1e6).round() as u32
}

fn parse(args: &[String]) -> Options {
    let mut o = Options {
        port: 8080,
        keys: PathBuf::from("target/sandbox-keys"),
        seed: 42,
        seed_file: None,
        today: dates::today(),
        encrypt: Encrypt::Sensitive,
        faults: false,
        fault_rate_ppm: 0,
        latency_ms: 0,
        max_body: 1 << 20,
        log_requests: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .unwrap_or_else(|| usage(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "serve" => {}
            "--port" => o.port = number(value(), "--port takes a number"),
            "--keys" => o.keys = PathBuf::from(value()),
            "--seed" => o.seed = number(value(), "--seed takes a number"),
            "--seed-file" => o.seed_file = Some(PathBuf::from(value())),
            "--today" => {
                o.today =
                    dates::parse(&value()).unwrap_or_else(|| usage("--today takes YYYY-MM-DD"))
            }
            "--encrypt-responses" => o.encrypt = encrypt_option(&value()),
            "--faults" => o.faults = true,
            "--fault-rate" => {
                o.fault_rate_ppm = fault_rate_ppm(value());
                o.faults = true;
            }
            "--log-requests" => o.log_requests = true,
            "--latency-ms" => o.latency_ms = number(value(), "--latency-ms takes a number"),
            "--max-body" => o.max_body = number(value(), "--max-body takes a number"),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    o
}

/// Prints `why` and ends the process with status 1.
fn fail(why: impl std::fmt::Display) -> ! {
    eprintln!("points-sandbox: {why}");
    std::process::exit(1)
}

/// The key set in `dir`, written first when there is none.
fn key_set(dir: &std::path::Path) -> keys::KeySet {
    if !dir.join(keys::CONSUMER_KEY).exists() {
        keys::write(dir).unwrap_or_else(|e| fail(e));
        println!("no key set in {}: wrote a new one", dir.display());
    }
    keys::read(dir).unwrap_or_else(|e| fail(e))
}

/// The ledger: from the seed file when one is named, else generated from the seed.
fn ledger(o: &Options) -> ledger::Ledger {
    match &o.seed_file {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .unwrap_or_else(|e| fail(format!("{}: {e}", p.display())));
            seed::load(&text, o.today).unwrap_or_else(|e| fail(format!("{}: {e}", p.display())))
        }
        None => seed::generate(o.seed, o.today),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("keys") {
        let dir = match args.get(1..) {
            Some([flag, dir]) if flag == "--out" => PathBuf::from(dir),
            _ => usage("keys takes --out DIR"),
        };
        keys::write(&dir).unwrap_or_else(|e| fail(e));
        println!("wrote a development key set to {}", dir.display());
        return;
    }
    let o = parse(&args);
    let keys = key_set(&o.keys);
    let recipient = jwe::Recipient::from_public_pem(&keys.client_cert_pem)
        .unwrap_or_else(|e| fail(format!("client certificate: {e}")));
    let app = Arc::new(App {
        ledger: Mutex::new(ledger(&o)),
        recipient: RwLock::new(recipient),
        keys,
        nonces: Mutex::new(gateway::Nonces::default()),
        encrypt: o.encrypt,
        faults: o.faults,
        fault_plan: Mutex::new(faults::Plan::new(o.fault_rate_ppm, o.seed)),
        latency_ms: o.latency_ms,
        max_body: o.max_body,
        log_requests: o.log_requests,
    });
    let router = axum::Router::new().fallback(api::handle).with_state(app);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", o.port))
        .await
        .unwrap_or_else(|e| fail(format!("port {}: {e}", o.port)));
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!(
        "points-sandbox listening on http://{addr}/loyalty (keys in {})",
        o.keys.display()
    );
    if let Err(e) = axum::serve(listener, router).await {
        fail(e);
    }
}

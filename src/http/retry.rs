//! When a read is tried again, and after how long: the policy as data and pure functions, so
//! the client's I/O loop only asks.

use crate::error::ApiErrorItem;
use crate::http::request::Retry;

/// The `retry` option: attempts in all (1 = no retry), and capped exponential backoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubled for each one after.
    pub base_delay_ms: u32,
    /// No wait is longer; a `Retry-After` asking for more ends the retries instead.
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 200,
            max_delay_ms: 5_000,
        }
    }
}

/// Statuses worth another try whatever the body says.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// How an attempt went out, as far as trying it again is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    /// Whether the operation may be sent again (`Request::retry`).
    pub retry: Retry,
    /// This client signed it (the `signer` option): every attempt carries a new signature.
    pub signed_here: bool,
}

/// Whether an error answer (`status` of 400 or above, with its Errors items) is worth another
/// attempt; the policy's budget and backoff then decide whether there is one. A write: never.
/// A read: a status of [`retryable_status`], a first item that says `Recoverable`, or, when
/// this client signed it, a refusal that [`fresh_signature_may_cure`]. Without the `signer`
/// option the signature comes from a proxy or from the caller's `headers`, and the client
/// cannot know that the next attempt carries a new one (a fixed header replays its nonce).
#[inline] // With `signed_here` constant false (the browser build), the signature rule drops out.
pub fn retry_answer(status: u16, errors: &[ApiErrorItem], attempt: Attempt) -> bool {
    attempt.retry == Retry::Safe
        && (retryable_status(status)
            || errors.first().and_then(|e| e.recoverable) == Some(true)
            || (attempt.signed_here && fresh_signature_may_cure(status, errors)))
}

/// Whether signing again (new `oauth_nonce`, new `oauth_timestamp`) can cure a refusal: a 401
/// or 403 whose items are all the gateway's `AUTHENTICATION_FAILED`, none a signature mismatch.
///
/// - What it is for: a runtime (workerd, under faults) repeats a request whose connection
///   dropped with the same `Authorization` header; the gateway, which has spent that nonce,
///   refuses the replay (`AUTHENTICATION_FAILED`, "the nonce was already used"), although a new
///   signature passes. The same code for a timestamp outside the window is cured as well when
///   the request was only late (not when the clock is wrong: the attempts are spent, then the
///   same error; a read can afford that).
/// - `Source` must be `Gateway`, as documented (codes are compared exactly): only the gateway
///   checks the signature. A service's own `AUTHENTICATION_FAILED`, an item without `Source`,
///   or a body that is not the envelope (a firewall's 403 page) is about something a nonce
///   does not change.
/// - 401 or 403 only: the statuses the gateway refuses a signature with.
/// - A signature mismatch is not retried: its Description carries the base string the gateway
///   computed ("OAuth signatures did not match. Acceptable signature base string: …", 401 in
///   users' reports and in the sandbox), recognised by "signature base string". A replay never
///   causes one (same bytes, same key: the signature still verifies, only the nonce is
///   refused), and a new nonce does not mend the wrong key, consumer key or base string that
///   does. Were that wording to change, a mismatch would be retried: the read's remaining
///   attempts spent with backoff, then the same error; tolerable, and the safe side for a read.
/// - 401 `DECLINED` (valid credentials, no access to the API), 400 `INVALID_AUTH_HEADER`, any
///   other code, or an `AUTHENTICATION_FAILED` beside another code: never; no signature grants
///   access, and the header is built the same way every time.
pub fn fresh_signature_may_cure(status: u16, errors: &[ApiErrorItem]) -> bool {
    matches!(status, 401 | 403) && !errors.is_empty() && errors.iter().all(gateway_nonce_refusal)
}

/// The gateway's `AUTHENTICATION_FAILED` other than a signature mismatch. Exact comparisons
/// and a byte scan: `str::contains` (and lowercasing) linked 3 to 5 KB of gzip here (measured).
fn gateway_nonce_refusal(e: &ApiErrorItem) -> bool {
    const MISMATCH: &[u8] = b"signature base string";
    let mismatch = e
        .description
        .as_deref()
        .is_some_and(|d| d.as_bytes().windows(MISMATCH.len()).any(|w| w == MISMATCH));
    e.source.as_deref() == Some("Gateway")
        && e.reason_code.as_deref() == Some("AUTHENTICATION_FAILED")
        && !mismatch
}

/// What the client does after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Wait this many milliseconds, then send it again.
    Wait(u32),
    /// Give the caller the failure.
    Stop,
}

/// After attempt number `attempt` (1-based) of an operation of class `retry` failed: `worth`
/// says whether another attempt may cure the failure (`retry_answer`, or a network error after
/// which the request may not have arrived), `retry_after_ms` what the server asked for. A write
/// (`Retry::Never`) is never sent again; the rest is the policy's budget and backoff.
pub fn decide(
    policy: &RetryPolicy,
    retry: Retry,
    worth: bool,
    attempt: u32,
    retry_after_ms: Option<u64>,
    jitter: f64,
) -> Next {
    if retry == Retry::Never || !worth {
        return Next::Stop;
    }
    policy
        .delay_ms(attempt, retry_after_ms, jitter)
        .map_or(Next::Stop, Next::Wait)
}

impl RetryPolicy {
    /// The wait before the next attempt, after attempt number `attempt` (1-based) failed in a
    /// way worth retrying; `None` when there is no next attempt. `jitter` is uniform in [0, 1):
    /// the wait is between half and all of the capped exponential delay ("equal jitter"), and
    /// never shorter than the server's `Retry-After`.
    pub fn delay_ms(&self, attempt: u32, retry_after_ms: Option<u64>, jitter: f64) -> Option<u32> {
        if attempt >= self.max_attempts {
            return None;
        }
        let exp = u64::from(self.base_delay_ms)
            .saturating_mul(1u64 << (attempt - 1).min(20))
            .min(u64::from(self.max_delay_ms));
        let jittered = exp / 2 + ((exp - exp / 2) as f64 * jitter.clamp(0.0, 1.0)) as u64;
        let wait = match retry_after_ms {
            Some(asked) if asked > u64::from(self.max_delay_ms) => return None,
            Some(asked) => asked.max(jittered),
            None => jittered,
        };
        Some(wait.min(u64::from(self.max_delay_ms)) as u32)
    }
}

/// `Retry-After` in milliseconds from `now_ms` (Unix time), as RFC 9110 §10.2.3 has it:
/// delay-seconds (digits, any number of them: a huge one is only a long wait) or an HTTP-date
/// in any of its three forms. Anything else is ignored. The JS rules read it the same
/// (tests/fixtures/rules.json).
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let v = without_ows(value);
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        // Leading zeros say nothing; a number too long for `number` is longer than any wait.
        // `get`, not indexing: a slice's panic path links `core::fmt` (kilobytes, measured).
        let digits = v
            .get(v.bytes().position(|b| b != b'0').unwrap_or(v.len())..)
            .unwrap_or("");
        let seconds = if digits.is_empty() {
            0
        } else {
            number(digits).unwrap_or(MAX_SECONDS).min(MAX_SECONDS)
        };
        return Some(seconds * 1000);
    }
    let at = http_date_ms(v, now_ms)?;
    Some(if at > now_ms { (at - now_ms) as u64 } else { 0 })
}

/// `v` without the optional whitespace (space, tab) around a field value: `str::trim` would
/// also take U+0085 and other Unicode spaces, which are part of the value.
fn without_ows(v: &str) -> &str {
    let b = v.as_bytes();
    let ows = |c: &u8| *c == b' ' || *c == b'\t';
    let start = b.iter().position(|c| !ows(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ows(c)).map_or(start, |i| i + 1);
    v.get(start..end).unwrap_or("")
}

/// A longer wait than any policy allows (its product with 1000 stays within `u64`).
const MAX_SECONDS: u64 = 1_000_000_000_000;

/// ASCII digits only (1 to 18 of them) as a number; `str::parse` would link more code.
fn number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const LONG_DAYS: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];

/// The three forms of an HTTP-date (RFC 9110 §5.6.7) as templates: `a` a day name, `A` a full
/// day name, `b` a month (strftime's letters), `d` a digit, `_` a space or a digit; any other
/// byte stands for itself.
/// Each form's numbers, in the order they appear: day, year, hour, minute, second (IMF-fixdate
/// and RFC 850, whose year has two digits) or day, hour, minute, second, year (asctime).
const FORMS: [&[u8]; 3] = [
    b"a, dd b dddd dd:dd:dd GMT",
    b"A, dd-b-dd dd:dd:dd GMT",
    b"a b _d dd:dd:dd dddd",
];

/// `name` at the start of `b` when it is one of `names`: its length.
fn starts_with_one(b: &[u8], names: &[&[u8]]) -> Option<usize> {
    names.iter().find(|n| b.starts_with(n)).map(|n| n.len())
}

/// The month (1 to 12) and the numbers of `v` read by `form`, or None when `v` is not of it.
fn read_form(v: &[u8], form: &[u8]) -> Option<(i64, [i64; 5])> {
    let (mut at, mut month, mut nums, mut count) = (0, 0, [0i64; 5], 0);
    let mut in_number = false;
    for &t in form {
        let c = *v.get(at)?;
        let digit = c.is_ascii_digit() && matches!(t, b'd' | b'_');
        if in_number && !digit {
            count += 1;
        }
        in_number = digit;
        match t {
            b'a' => at += starts_with_one(&v[at..], &DAYS)?,
            b'A' => at += starts_with_one(&v[at..], &LONG_DAYS)?,
            b'b' => {
                month = MONTHS.iter().position(|m| v[at..].starts_with(m))? as i64 + 1;
                at += 3;
            }
            b'd' | b'_' if digit => {
                *nums.get_mut(count)? = nums[count] * 10 + i64::from(c - b'0');
                at += 1;
            }
            b'_' if c == b' ' => at += 1,
            _ if c == t => at += 1,
            _ => return None,
        }
    }
    (at == v.len() && count + usize::from(in_number) == 5).then_some((month, nums))
}

/// An HTTP-date as Unix milliseconds, in any of its three forms; `now_ms` decides the century
/// of RFC 850's two-digit years (more than 50 years ahead is the latest past year with those
/// digits). One template walk for all three: `str` pattern searching linked kilobytes of gzip
/// here (measured).
fn http_date_ms(v: &str, now_ms: f64) -> Option<f64> {
    let b = v.as_bytes();
    let (form, (month, n)) = FORMS
        .iter()
        .enumerate()
        .find_map(|(i, f)| read_form(b, f).map(|r| (i, r)))?;
    let [day, year, h, m, s] = match form {
        2 => [n[0], n[4], n[1], n[2], n[3]],
        _ => n,
    };
    let year = if form == 1 {
        // The year of `now_ms` to within hours of New Year: enough to pick a century.
        let this_year = 1970 + (now_ms / 1000.0 / 86_400.0 / 365.2425) as i64;
        let y = this_year / 100 * 100 + year;
        if y > this_year + 50 {
            y - 100
        } else {
            y
        }
    } else {
        year
    };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decide_never_resends_a_write_nor_what_a_retry_cannot_cure() {
        let p = RetryPolicy::default();
        assert_eq!(decide(&p, Retry::Safe, true, 1, None, 0.0), Next::Wait(100));
        assert_eq!(
            decide(&p, Retry::Safe, true, 1, Some(1500), 0.0),
            Next::Wait(1500)
        );
        assert_eq!(decide(&p, Retry::Never, true, 1, None, 0.0), Next::Stop);
        assert_eq!(decide(&p, Retry::Safe, false, 1, None, 0.0), Next::Stop);
        assert_eq!(
            decide(&p, Retry::Safe, true, 3, None, 0.0),
            Next::Stop,
            "attempts used up"
        );
        assert_eq!(
            decide(&p, Retry::Safe, true, 1, Some(60_000), 0.0),
            Next::Stop,
            "asked to wait too long"
        );
    }

    #[test]
    fn backoff_doubles_within_jitter_and_cap() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay_ms: 200,
            max_delay_ms: 1000,
        };
        assert_eq!(p.delay_ms(1, None, 0.0), Some(100));
        assert_eq!(p.delay_ms(1, None, 0.999_999), Some(199));
        assert_eq!(p.delay_ms(2, None, 0.0), Some(200));
        assert_eq!(p.delay_ms(3, None, 1.0), Some(800));
        assert_eq!(p.delay_ms(4, None, 1.0), Some(1000), "capped");
        assert_eq!(p.delay_ms(5, None, 0.5), None, "attempts used up");
        let once = RetryPolicy {
            max_attempts: 1,
            ..p
        };
        assert_eq!(once.delay_ms(1, None, 0.5), None);
    }

    fn item(source: &str, code: &str, description: &str) -> ApiErrorItem {
        ApiErrorItem {
            source: Some(source.to_owned()),
            reason_code: Some(code.to_owned()),
            description: Some(description.to_owned()),
            recoverable: Some(false),
            details: None,
        }
    }

    const READ_SIGNED: Attempt = Attempt {
        retry: Retry::Safe,
        signed_here: true,
    };
    const REPLAY: &str = "the nonce was already used";
    const MISMATCH: &str = "OAuth signatures did not match. Acceptable signature base string: GET&http%3A%2F%2Fx%2F&oauth_nonce%3Da";

    #[test]
    fn a_replayed_nonce_is_cured_by_a_fresh_signature() {
        let replay = [item("Gateway", "AUTHENTICATION_FAILED", REPLAY)];
        assert!(fresh_signature_may_cure(403, &replay));
        assert!(fresh_signature_may_cure(401, &replay));
        let late = "oauth_timestamp is outside the allowed window";
        assert!(fresh_signature_may_cure(
            403,
            &[item("Gateway", "AUTHENTICATION_FAILED", late)]
        ));
        let bare = ApiErrorItem {
            description: None,
            ..item("Gateway", "AUTHENTICATION_FAILED", "")
        };
        assert!(fresh_signature_may_cure(403, &[bare]), "no Description");
    }

    #[test]
    fn what_a_new_nonce_cannot_cure_is_not_retried() {
        let refused = |status, items: &[ApiErrorItem]| !fresh_signature_may_cure(status, items);
        let failed = |description| item("Gateway", "AUTHENTICATION_FAILED", description);
        assert!(refused(401, &[failed(MISMATCH)]), "a signature mismatch");
        assert!(
            refused(403, &[failed(MISMATCH)]),
            "a mismatch, whatever the status"
        );
        assert!(
            refused(401, &[item("Gateway", "DECLINED", "no access")]),
            "no access"
        );
        let malformed = item("Gateway", "INVALID_AUTH_HEADER", "oauth_nonce is missing");
        assert!(refused(400, &[malformed]));
        let service = item("rewards-points-api", "AUTHENTICATION_FAILED", REPLAY);
        assert!(refused(403, &[service]), "a service's refusal");
        let no_source = ApiErrorItem {
            source: None,
            ..failed(REPLAY)
        };
        assert!(refused(403, &[no_source]), "no Source");
        let lower = item("Gateway", "authentication_failed", REPLAY);
        assert!(refused(403, &[lower]), "codes are exact");
        assert!(refused(403, &[]), "not the envelope");
        assert!(refused(500, &[failed(REPLAY)]), "not 401 or 403");
        let beside = [failed(REPLAY), item("Gateway", "DECLINED", "no access")];
        assert!(refused(403, &beside), "beside another code");
    }

    #[test]
    fn only_reads_this_client_signed_are_signed_again() {
        let replay = [item("Gateway", "AUTHENTICATION_FAILED", REPLAY)];
        assert!(retry_answer(403, &replay, READ_SIGNED));
        let write = Attempt {
            retry: Retry::Never,
            ..READ_SIGNED
        };
        assert!(!retry_answer(403, &replay, write), "a write, never");
        let proxied = Attempt {
            signed_here: false,
            ..READ_SIGNED
        };
        assert!(!retry_answer(403, &replay, proxied), "signed elsewhere");
        let mismatch = [item("Gateway", "AUTHENTICATION_FAILED", MISMATCH)];
        assert!(!retry_answer(401, &mismatch, READ_SIGNED));
    }

    #[test]
    fn the_other_retryable_answers_are_unchanged() {
        let write = Attempt {
            retry: Retry::Never,
            signed_here: true,
        };
        assert!(retry_answer(503, &[], READ_SIGNED));
        assert!(!retry_answer(503, &[], write));
        let mut recoverable = item("PAS", "SERVICE_ERROR", "try later");
        recoverable.recoverable = Some(true);
        assert!(retry_answer(
            500,
            std::slice::from_ref(&recoverable),
            READ_SIGNED
        ));
        recoverable.recoverable = Some(false);
        assert!(!retry_answer(500, &[recoverable], READ_SIGNED));
        assert!(!retry_answer(404, &[], READ_SIGNED));
    }

    #[test]
    fn retry_after_is_a_floor_and_too_long_ends_it() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(1, Some(3000), 0.0), Some(3000));
        assert_eq!(p.delay_ms(1, Some(0), 0.0), Some(100));
        assert_eq!(p.delay_ms(1, Some(60_000), 0.0), None);
    }

    /// The Retry-After vectors the JS rules are held to (tests/fixtures/rules.json): the same
    /// wait, to the millisecond, or the same refusal to read one.
    #[test]
    fn retry_after_reads_as_the_shared_vectors_say() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/rules.json")).unwrap();
        let now: f64 = doc["retryAfterNow"].as_str().unwrap().parse().unwrap();
        let vectors = doc["retryAfter"].as_array().unwrap();
        assert!(vectors.len() >= 30);
        for v in vectors {
            let value = v["value"].as_str().unwrap();
            let ms = v["ms"].as_str().map(|m| m.parse::<u64>().unwrap());
            assert_eq!(parse_retry_after(value, now), ms, "{value:?}");
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("120", now), Some(120_000));
        assert_eq!(parse_retry_after(" 0 ", now), Some(0));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:39 GMT", now),
            Some(2000)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:30 GMT", now),
            Some(0)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
            Some(0)
        );
        assert_eq!(
            http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT", now),
            Some(1_835_481_599_000.0)
        );
        // The obsolete forms name the same instant.
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:39 GMT", now),
            Some(2000)
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:39 1994", now),
            Some(2000)
        );
        // Seconds of any length: a long wait, never an unreadable value.
        assert_eq!(
            parse_retry_after("99999999999", now),
            Some(99_999_999_999_000)
        );
        assert_eq!(
            parse_retry_after("123456789012345678901234567890", now),
            Some(MAX_SECONDS * 1000)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "12 13",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "1994-11-06T08:49:37Z",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}

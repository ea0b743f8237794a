//! When a read is tried again, and after how long: the policy as data and pure functions, so
//! the client's I/O loop only asks.

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

/// `Retry-After` in milliseconds from `now_ms` (Unix time): delta-seconds, or an HTTP date
/// (IMF-fixdate, the form servers send). Unreadable values are ignored.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<u64> {
    let v = value.trim();
    if v.len() <= 10 {
        if let Some(seconds) = number(v) {
            return Some(seconds * 1000);
        }
    }
    let at = http_date_ms(v)?;
    Some(if at > now_ms { (at - now_ms) as u64 } else { 0 })
}

/// ASCII digits only (at least one) as a number; `str::parse` would link more code.
fn number(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 18 {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` as Unix milliseconds.
fn http_date_ms(v: &str) -> Option<f64> {
    let b = v.as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<i64> { number(v.get(r)?).map(|n| n as i64) };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| v.get(8..11) == Some(*m))? as i64 + 1;
    let (day, year) = (num(5..7)?, num(12..16)?);
    let (h, m, s) = (num(17..19)?, num(20..22)?, num(23..25)?);
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

    #[test]
    fn retry_after_is_a_floor_and_too_long_ends_it() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(1, Some(3000), 0.0), Some(3000));
        assert_eq!(p.delay_ms(1, Some(0), 0.0), Some(100));
        assert_eq!(p.delay_ms(1, Some(60_000), 0.0), None);
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
            http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599_000.0)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "99999999999",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}

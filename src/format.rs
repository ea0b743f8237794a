//! Text building without `core::fmt` (its machinery links kilobytes into the module that these
//! small functions do not: see `Error::message`), and the one percent-encoding (RFC 3986) that
//! query strings and OAuth 1.0a both use.

/// The parts one after another: `[..].concat()` without the generic joining code it links.
pub fn join(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// `n` in decimal, for messages (see `Error::message` on why not `format!`).
pub fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    // Only ASCII digits were pushed.
    String::from_utf8(digits).unwrap_or_default()
}

/// RFC 3986: unreserved characters as they are, every other byte of the UTF-8 as `%XX`.
pub fn percent_encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_std() {
        for n in [0, 7, 10, 2048, 25_165_824, 9_007_199_254_740_991, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn join_concatenates() {
        assert_eq!(join(&["a", "", "bc"]), "abc");
        assert_eq!(join(&[]), "");
    }
}

//! The input of the three reads: whose points, by which kind of identifier.

use tsify::Tsify;

use serde::Deserialize;

use super::list::Operation;
use crate::error::Result;
use crate::http::request::{url, Request};
use crate::input::Input;
use crate::validate::{UserId, UserIdType};

/// Whose points: an identifier and its kind. With `BAN` or `BCN` the client first looks up the
/// RANAC or RANCU (encrypted), so a card or customer number never appears in a URL.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserQuery {
    /// The identifier: a RANAC, a RANCU, a card number (`BAN`) or a bank customer number (`BCN`).
    #[tsify(type = "string")]
    pub user_id: UserId,
    /// Which kind `userId` is.
    pub user_id_type: UserIdType,
}

impl Input for UserQuery {
    fn check(self) -> Result<Self> {
        self.user_id.check(self.user_id_type, "userId")?;
        Ok(self)
    }
}

impl UserQuery {
    /// Whether the identifier must be looked up before the read.
    pub fn needs_lookup(&self) -> bool {
        matches!(self.user_id_type, UserIdType::Ban | UserIdType::Bcn)
    }
}

/// The GET of a read for a RANAC or RANCU: `user_id` and `user_id_type` first, then the
/// caller's extra query parameters.
pub fn read_request(
    base: &str,
    op: &Operation,
    token: &str,
    kind: UserIdType,
    extra: &[(String, String)],
) -> Request {
    let mut query = vec![
        ("user_id".to_owned(), token.to_owned()),
        ("user_id_type".to_owned(), kind.as_str().to_owned()),
    ];
    query.extend(extra.iter().cloned());
    Request {
        method: op.method,
        url: url(base, op.path, &query),
        body: None,
        retry: op.retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Method;
    use crate::ops::testing::{read, s};
    use crate::validate::Raw;

    #[test]
    fn reads_and_validates() {
        let q = read::<UserQuery>(vec![
            ("userId", s("5555444433332222")),
            ("userIdType", s("BAN")),
        ])
        .unwrap();
        assert!(q.needs_lookup());
        let q = read::<UserQuery>(vec![("userId", s("123")), ("userIdType", s("RANAC"))]).unwrap();
        assert!(!q.needs_lookup());
        let e =
            read::<UserQuery>(vec![("userId", s("12ab")), ("userIdType", s("BAN"))]).unwrap_err();
        assert_eq!(e.field(), Some("userId"));
        let e =
            read::<UserQuery>(vec![("userId", s("1")), ("userIdType", Raw::Num(1.0))]).unwrap_err();
        assert_eq!(e.field(), Some("userIdType"));
    }

    #[test]
    fn builds_the_get() {
        let r = read_request(
            "https://x/loyalty",
            &crate::ops::list::POINTS_DETAILS,
            "0042",
            UserIdType::Rancu,
            &[("from".into(), "2026-01-01".into())],
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "https://x/loyalty/points-details?user_id=0042&user_id_type=RANCU&from=2026-01-01"
        );
        assert!(r.retry == crate::http::request::Retry::Safe && r.body.is_none());
    }
}

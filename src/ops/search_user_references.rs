//! `searchUserReferences`: User Account Management's identifier lookup
//! (`POST /users/references/searches`, encrypted both ways), following its published schema
//! (v1.3.10). The client also uses it to turn a BAN or BCN into the RANAC or RANCU the reads take.

use tsify::Tsify;

use serde::Deserialize;

use super::list::SEARCH_USER_REFERENCES;
use super::text_limits::{Kind, TextLimits, CEILING};
use crate::error::{Error, Result};
use crate::format::join;
use crate::http::request::{url, Request};
use crate::input::Input;
use crate::json::{object, Out, Value};
use crate::validate::{Flag, Text, UserId, UserIdType};

/// The published `UserSearch`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserSearch {
    /// The identifier to look up (up to 50 characters; a card number's digits for `BAN`).
    #[tsify(type = "string")]
    pub user_id: UserId,
    /// Which kind `userId` is.
    pub user_id_type: UserIdType,
    /// Also return BAN and BCN (only for clients authorized to see them).
    #[tsify(optional, type = "boolean")]
    pub include_sensitive_identifiers: Option<Flag>,
    /// Limit the search to one loyalty program (up to 50 characters unless
    /// `limits.programIdentifier`).
    #[tsify(optional, type = "string")]
    pub program_identifier: Option<Text<CEILING>>,
    /// Return only primary accounts.
    #[tsify(optional, type = "boolean")]
    pub include_only_primary: Option<Flag>,
}

impl Input for UserSearch {
    fn check(self) -> Result<Self> {
        self.user_id.check(self.user_id_type, "userId")?;
        Ok(self)
    }
}

impl UserSearch {
    /// `programIdentifier` under the client's limit.
    pub fn within(&self, limits: &TextLimits) -> Result<()> {
        match &self.program_identifier {
            Some(Text(p)) => limits.check(&[("programIdentifier", p, Kind::ProgramIdentifier)]),
            None => Ok(()),
        }
    }

    /// A search for the identifier alone, as the client makes before a read.
    pub fn of(user_id: &str, user_id_type: UserIdType) -> Self {
        UserSearch {
            user_id: UserId(user_id.to_owned()),
            user_id_type,
            include_sensitive_identifiers: None,
            program_identifier: None,
            include_only_primary: None,
        }
    }

    /// The POST (a read: a search changes nothing), its JSON body still in clear.
    pub fn request(&self, base: &str) -> Request {
        let mut members = vec![
            ("userId", Out::Str(self.user_id.as_str())),
            ("userIdType", Out::Str(self.user_id_type.as_str())),
        ];
        if let Some(Flag(b)) = self.include_sensitive_identifiers {
            members.push(("includeSensitiveIdentifiers", Out::Bool(b)));
        }
        if let Some(Text(p)) = &self.program_identifier {
            members.push(("programIdentifier", Out::Str(p)));
        }
        if let Some(Flag(b)) = self.include_only_primary {
            members.push(("includeOnlyPrimary", Out::Bool(b)));
        }
        let body = object(&members);
        Request::with_body(
            SEARCH_USER_REFERENCES.method,
            url(base, SEARCH_USER_REFERENCES.path, &[]),
            body,
            SEARCH_USER_REFERENCES.retry,
        )
    }
}

/// The published `UserReferences`; every field optional.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserReferences {
    /// The users found (usually one).
    #[tsify(optional)]
    pub user_references: Option<Vec<UserReference>>,
}

/// One user's identifiers.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct UserReference {
    /// The RANCU.
    #[tsify(optional)]
    pub customer_id: Option<String>,
    /// The BCN (only with `includeSensitiveIdentifiers`).
    #[tsify(optional)]
    pub customer_number: Option<String>,
    /// The user's accounts.
    #[tsify(optional)]
    pub account_details: Option<Vec<AccountDetails>>,
}

/// One account's identifiers.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    /// The RANAC.
    #[tsify(optional)]
    pub account_id: Option<String>,
    /// The BAN (only with `includeSensitiveIdentifiers`).
    #[tsify(optional)]
    pub account_number: Option<String>,
    /// The first four digits of the card number.
    #[tsify(optional)]
    pub account_first_four: Option<String>,
    /// The last four digits of the card number.
    #[tsify(optional)]
    pub account_last_four: Option<String>,
}

/// The RANAC (for a BAN) or RANCU (for a BCN) a lookup's decrypted response gives for `user_id`.
///
/// A BCN names one customer: exactly one user reference with a `customerId` is required. A BAN
/// names one account: among the accounts found, the one whose `accountNumber` equals it, or,
/// when numbers are not disclosed, the only one whose first and last four digits match.
/// Anything else (none, or several that cannot be told apart) is refused rather than guessed.
pub fn resolve(found: &Value, user_id: &str, kind: UserIdType) -> Result<(String, UserIdType)> {
    let bad = |reason: &str| Error::ResponseInvalid {
        status: 200,
        reason: join(&["the identifier lookup ", reason]),
    };
    let refs: &[Value] = match found.get("userReferences") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => &[],
        Some(_) => return Err(bad("returned userReferences that is not an array")),
    };
    match kind {
        UserIdType::Bcn => {
            let ids: Vec<&str> = refs
                .iter()
                .filter_map(|r| r.get("customerId").and_then(Value::as_str))
                .collect();
            match ids.as_slice() {
                [one] => Ok(((*one).to_owned(), UserIdType::Rancu)),
                [] => Err(bad("found no customer for this BCN")),
                _ => Err(bad("found several customers for this BCN")),
            }
        }
        UserIdType::Ban => {
            let accounts = refs.iter().flat_map(|r| match r.get("accountDetails") {
                Some(Value::Array(a)) => a.as_slice(),
                _ => &[],
            });
            let field =
                |a: &Value, name: &str| a.get(name).and_then(Value::as_str).map(str::to_owned);
            let mut exact = Vec::new();
            let mut partial = Vec::new();
            for a in accounts {
                let Some(id) = field(a, "accountId") else {
                    continue;
                };
                match field(a, "accountNumber") {
                    Some(n) if n == user_id => exact.push(id),
                    Some(_) => {}
                    None => {
                        let first = field(a, "accountFirstFour");
                        let last = field(a, "accountLastFour");
                        // Bytes, not str slices: no char-boundary panic path in the module.
                        let fits = |part: Option<String>, want: &[u8]| {
                            part.is_none_or(|p| p.as_bytes() == want)
                        };
                        let digits = user_id.as_bytes();
                        let (head, tail) = match digits.len().checked_sub(4) {
                            Some(n) => (&digits[..4], &digits[n..]),
                            None => continue,
                        };
                        if last.is_some() && fits(first, head) && fits(last, tail) {
                            partial.push(id);
                        }
                    }
                }
            }
            let pick = if exact.is_empty() { partial } else { exact };
            match pick.as_slice() {
                [one] => Ok((one.clone(), UserIdType::Ranac)),
                [] => Err(bad("found no account for this BAN")),
                _ => Err(bad("found several accounts that could be this BAN")),
            }
        }
        other => Ok((user_id.to_owned(), other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::ops::testing::{read, s};
    use crate::validate::Raw;

    const BAN: &str = "5555444433332222";

    #[test]
    fn builds_the_published_body() {
        let q = read::<UserSearch>(vec![
            ("userId", s(BAN)),
            ("userIdType", s("BAN")),
            ("includeSensitiveIdentifiers", Raw::Bool(false)),
            ("programIdentifier", s("P-1")),
        ])
        .unwrap();
        let r = q.request("https://x/loyalty/mrs");
        assert_eq!(r.url, "https://x/loyalty/mrs/users/references/searches");
        assert_eq!(r.retry, crate::http::request::Retry::Safe);
        assert_eq!(
            r.body.unwrap(),
            r#"{"userId":"5555444433332222","userIdType":"BAN","includeSensitiveIdentifiers":false,"programIdentifier":"P-1"}"#
        );
        assert_eq!(
            UserSearch::of("42", UserIdType::Rancu)
                .request("/m")
                .body
                .unwrap(),
            r#"{"userId":"42","userIdType":"RANCU"}"#
        );
    }

    #[test]
    fn resolves_a_ban_by_number_or_by_its_four_and_four() {
        let by_number = parse(
            r#"{"userReferences":[{"customerId":"C1","accountDetails":[
            {"accountId":"A1","accountNumber":"5555444433331111"},
            {"accountId":"A2","accountNumber":"5555444433332222"}]}]}"#,
        )
        .unwrap();
        assert_eq!(
            resolve(&by_number, BAN, UserIdType::Ban).unwrap(),
            ("A2".into(), UserIdType::Ranac)
        );
        let by_digits = parse(
            r#"{"userReferences":[{"accountDetails":[
            {"accountId":"A1","accountFirstFour":"5555","accountLastFour":"1111"},
            {"accountId":"A2","accountFirstFour":"5555","accountLastFour":"2222"}]}]}"#,
        )
        .unwrap();
        assert_eq!(resolve(&by_digits, BAN, UserIdType::Ban).unwrap().0, "A2");
    }

    #[test]
    fn refuses_to_guess() {
        let twins = parse(r#"{"userReferences":[{"accountDetails":[
            {"accountId":"A1","accountLastFour":"2222"},{"accountId":"A2","accountLastFour":"2222"}]}]}"#).unwrap();
        let none = parse(r#"{"userReferences":[]}"#).unwrap();
        let no_ids =
            parse(r#"{"userReferences":[{"accountDetails":[{"accountLastFour":"2222"}]}]}"#)
                .unwrap();
        for (doc, kind) in [
            (&twins, UserIdType::Ban),
            (&none, UserIdType::Ban),
            (&no_ids, UserIdType::Ban),
            (&none, UserIdType::Bcn),
        ] {
            let e = resolve(doc, BAN, kind).unwrap_err();
            assert!(
                matches!(e, Error::ResponseInvalid { status: 200, .. }),
                "{e:?}"
            );
            assert!(!e.message().contains(BAN), "never echo the number");
        }
        let bad = parse(r#"{"userReferences":{}}"#).unwrap();
        assert!(resolve(&bad, BAN, UserIdType::Ban).is_err());
    }

    #[test]
    fn the_typescript_declarations_name_the_published_fields() {
        use tsify::Tsify;
        let d = UserSearch::DECL;
        for f in [
            "userId: string",
            "userIdType: UserIdType",
            "includeSensitiveIdentifiers?: boolean",
            "programIdentifier?: string",
        ] {
            assert!(d.contains(f), "{f} in {d}");
        }
        assert!(AccountDetails::DECL.contains("accountLastFour?: string"));
        assert!(
            UserIdType::DECL.contains(r#""RANAC" | "RANCU" | "BAN" | "BCN""#),
            "{}",
            UserIdType::DECL
        );
    }

    #[test]
    fn resolves_a_bcn_to_the_one_customer() {
        let one = parse(r#"{"userReferences":[{"customerId":"RANCU-9","customerNumber":"B-1"}]}"#)
            .unwrap();
        assert_eq!(
            resolve(&one, "B-1", UserIdType::Bcn).unwrap(),
            ("RANCU-9".into(), UserIdType::Rancu)
        );
        let two = parse(r#"{"userReferences":[{"customerId":"X"},{"customerId":"Y"}]}"#).unwrap();
        assert!(resolve(&two, "B-1", UserIdType::Bcn).is_err());
    }
}

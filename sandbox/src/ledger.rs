//! The ledger: customers, their accounts, and every movement of points. Balances are never
//! stored, always summed, so available = previous balance + earned − redeemed ± adjustments holds
//! by construction. All mutations happen under one lock (see `api.rs`), so a transfer is atomic.

use serde_json::{json, Value};

use crate::dates;

/// What moved points on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Earned,
    Redeemed,
    /// A manual adjustment (either sign).
    Adjusted,
    Expired,
    TransferIn,
    TransferOut,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "EARNED" => Kind::Earned,
            "REDEEMED" => Kind::Redeemed,
            "ADJUSTED" => Kind::Adjusted,
            "EXPIRED" => Kind::Expired,
            "TRANSFER_IN" => Kind::TransferIn,
            "TRANSFER_OUT" => Kind::TransferOut,
            _ => return None,
        })
    }
}

/// One movement; `points` is its signed effect on the balance.
#[derive(Debug, Clone)]
pub struct Entry {
    pub day: i64,
    pub kind: Kind,
    pub points: i64,
    pub type_code: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub ranac: String,
    pub ban: String,
    pub customer: usize,
    pub primary: bool,
    pub on_hold: i64,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub struct Customer {
    pub rancu: String,
    pub bcn: String,
    pub household: String,
    pub program: String,
    pub accounts: Vec<usize>,
}

/// A refusal of the service (not of the gateway): HTTP status, reason code, description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason_code: String,
    pub description: String,
}

/// The highest balance an account may hold: 2^53 − 1, the largest integer every JSON reader
/// (JavaScript's included) reads exactly. A write that would pass it is refused, never wrapped.
pub const MAX_BALANCE: i64 = (1 << 53) - 1;

fn over_ceiling() -> Refusal {
    refuse(
        422,
        "BALANCE_LIMIT_EXCEEDED",
        "the account would hold more than 9007199254740991 points",
    )
}

pub fn refuse(status: u16, code: &str, description: &str) -> Refusal {
    Refusal {
        status,
        reason_code: code.to_owned(),
        description: description.to_owned(),
    }
}

#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub today: i64,
    pub customers: Vec<Customer>,
    pub accounts: Vec<Account>,
    next_id: u64,
}

/// Adjustment type codes that add points; those in `DEBIT_CODES` take them.
pub const CREDIT_CODES: [&str; 4] = ["CR", "CREDIT", "GOODWILL", "BONUS"];
pub const DEBIT_CODES: [&str; 4] = ["DR", "DEBIT", "CORRECTION", "REVERSAL"];

impl Ledger {
    pub fn new(today: i64, customers: Vec<Customer>, accounts: Vec<Account>) -> Ledger {
        Ledger {
            today,
            customers,
            accounts,
            next_id: 1,
        }
    }

    /// An account's balance. Every write keeps it within `0..=MAX_BALANCE`, so the running sum
    /// over its entries, in order, never leaves that range and cannot overflow.
    pub fn balance(&self, account: usize) -> i64 {
        self.accounts[account]
            .entries
            .iter()
            .map(|e| e.points)
            .sum()
    }

    pub fn account_by_ban(&self, ban: &str) -> Option<usize> {
        self.accounts.iter().position(|a| a.ban == ban)
    }

    pub fn account_by_ranac(&self, ranac: &str) -> Option<usize> {
        self.accounts.iter().position(|a| a.ranac == ranac)
    }

    pub fn customer_by_rancu(&self, rancu: &str) -> Option<usize> {
        self.customers.iter().position(|c| c.rancu == rancu)
    }

    pub fn customer_by_bcn(&self, bcn: &str) -> Option<usize> {
        self.customers.iter().position(|c| c.bcn == bcn)
    }

    /// The accounts of a RANCU's whole household.
    fn household(&self, user_id: &str) -> Result<Vec<usize>, Refusal> {
        let c = self
            .customer_by_rancu(user_id)
            .ok_or_else(|| refuse(404, "USER_NOT_FOUND", "no user with this identifier"))?;
        let hh = &self.customers[c].household;
        Ok(self
            .customers
            .iter()
            .filter(|x| &x.household == hh)
            .flat_map(|x| x.accounts.iter().copied())
            .collect())
    }

    /// The accounts a RANAC or RANCU names, and the level.
    fn scope(&self, user_id: &str, kind: &str) -> Result<(Vec<usize>, &'static str), Refusal> {
        let unknown = || refuse(404, "USER_NOT_FOUND", "no user with this identifier");
        match kind {
            "RANAC" => Ok((
                vec![self.account_by_ranac(user_id).ok_or_else(unknown)?],
                "ACCOUNT",
            )),
            "RANCU" => {
                let c = self.customer_by_rancu(user_id).ok_or_else(unknown)?;
                Ok((self.customers[c].accounts.clone(), "CUSTOMER"))
            }
            _ => Err(refuse(
                400,
                "INVALID_FIELD_VALUE_USER_ID_TYPE",
                "user_id_type must be RANAC or RANCU",
            )),
        }
    }

    fn figures(&self, a: usize, from: i64, to: i64) -> Value {
        let acc = &self.accounts[a];
        let (mut previous, mut earned, mut redeemed, mut adjusted, mut expired) = (0, 0, 0, 0, 0);
        for e in &acc.entries {
            if e.day < from {
                previous += e.points;
            } else if e.day <= to {
                match e.kind {
                    Kind::Earned => earned += e.points,
                    Kind::Redeemed => redeemed -= e.points,
                    Kind::Expired => {
                        expired -= e.points;
                        adjusted += e.points
                    }
                    _ => adjusted += e.points,
                }
            }
        }
        json!({
            "accountId": acc.ranac,
            "accountLastFour": &acc.ban[acc.ban.len() - 4..],
            "previousBalance": previous,
            "pointsEarned": earned,
            "pointsRedeemed": redeemed,
            "pointsAdjusted": adjusted,
            "pointsExpired": expired,
            "pointsOnHold": acc.on_hold,
            "availablePoints": previous + earned - redeemed + adjusted,
        })
    }

    /// `GET /points-details`: the last twelve months unless `from`/`to` say otherwise.
    /// `household` (with a RANCU) widens the figures to the customer's household.
    pub fn details(
        &self,
        user_id: &str,
        kind: &str,
        from: Option<i64>,
        to: Option<i64>,
        household: bool,
    ) -> Result<Value, Refusal> {
        let (accounts, level) = if household && kind == "RANCU" {
            (self.household(user_id)?, "HOUSEHOLD")
        } else {
            self.scope(user_id, kind)?
        };
        let to = to.unwrap_or(self.today);
        let from = from.unwrap_or(to - 364);
        if from > to {
            return Err(refuse(
                400,
                "INVALID_FIELD_VALUE_FROM",
                "from must not be after to",
            ));
        }
        let per: Vec<Value> = accounts
            .iter()
            .map(|&a| self.figures(a, from, to))
            .collect();
        // Saturating: many accounts near the ceiling must not overflow a customer's total.
        let sum = |k: &str| {
            per.iter()
                .map(|v| v[k].as_i64().unwrap_or(0))
                .fold(0i64, i64::saturating_add)
        };
        let mut out = json!({
            "level": level,
            "periodStartDate": dates::format(from),
            "periodEndDate": dates::format(to),
            "previousBalance": sum("previousBalance"),
            "pointsEarned": sum("pointsEarned"),
            "pointsRedeemed": sum("pointsRedeemed"),
            "pointsAdjusted": sum("pointsAdjusted"),
            "pointsExpired": sum("pointsExpired"),
            "pointsOnHold": sum("pointsOnHold"),
            "availablePoints": sum("availablePoints"),
        });
        if level != "ACCOUNT" {
            out["accounts"] = Value::Array(per);
        }
        Ok(out)
    }

    /// `GET /points-expirations-details`: 5% of the balance at each of the next three month ends.
    pub fn expirations(&self, user_id: &str, kind: &str) -> Result<Value, Refusal> {
        let (accounts, _) = self.scope(user_id, kind)?;
        let balance: i64 = accounts
            .iter()
            .map(|&a| self.balance(a))
            .fold(0, i64::saturating_add);
        let (y, m, _) = dates::civil(self.today);
        let soon: Vec<Value> = (1..=3)
            .map(|k| {
                let (ny, nm) = ((y * 12 + m - 1 + k) / 12, (m - 1 + k) % 12 + 1);
                let end = dates::days(ny, nm, 1) - 1;
                json!({ "points": balance / 20, "expirationDate": dates::format(end) })
            })
            .filter(|v| v["points"].as_i64() > Some(0))
            .collect();
        let year_start = dates::days(y, 1, 1);
        let expired = |since: i64| -> i64 {
            accounts
                .iter()
                .flat_map(|&a| &self.accounts[a].entries)
                .filter(|e| e.kind == Kind::Expired && e.day >= since)
                .map(|e| -e.points)
                .sum()
        };
        Ok(json!({
            "pointsExpiringSoon": soon,
            "pointsExpiredYearToDate": expired(year_start),
            "lifetimePointsExpired": expired(i64::MIN),
        }))
    }

    /// `GET /points-adjustments-details`: manual adjustments and transfers, newest first.
    pub fn history(&self, user_id: &str, kind: &str) -> Result<Value, Refusal> {
        let (accounts, _) = self.scope(user_id, kind)?;
        let mut items: Vec<(i64, usize, Value)> = Vec::new();
        for &a in &accounts {
            let acc = &self.accounts[a];
            for (i, e) in acc.entries.iter().enumerate() {
                if matches!(
                    e.kind,
                    Kind::Adjusted | Kind::TransferIn | Kind::TransferOut
                ) {
                    items.push((
                        e.day,
                        i,
                        json!({
                            "adjustmentDate": dates::format(e.day),
                            "points": e.points,
                            "adjustmentTypeCode": e.type_code,
                            "adjustmentReason": e.reason,
                            "adjustedBy": e.by,
                            "accountLastFour": &acc.ban[acc.ban.len() - 4..],
                        }),
                    ));
                }
            }
        }
        items.sort_by_key(|x| std::cmp::Reverse((x.0, x.1)));
        Ok(json!({ "adjustments": items.into_iter().map(|x| x.2).collect::<Vec<_>>() }))
    }

    fn id(&mut self, prefix: &str) -> String {
        let n = self.next_id;
        self.next_id += 1;
        format!("{prefix}-{n:08}")
    }

    /// `POST /points-adjustments`.
    pub fn adjust(
        &mut self,
        ban: &str,
        points: i64,
        code: &str,
        reason: &str,
        by: &str,
    ) -> Result<Value, Refusal> {
        let a = self.account_by_ban(ban).ok_or_else(|| {
            refuse(
                404,
                "ACCOUNT_NOT_FOUND",
                "no account with this bankAccountNumber",
            )
        })?;
        let signed = if CREDIT_CODES.contains(&code) {
            points
        } else if DEBIT_CODES.contains(&code) {
            -points
        } else {
            return Err(refuse(
                400,
                "INVALID_FIELD_VALUE_ADJUSTMENT_TYPE_CODE",
                "unknown adjustmentTypeCode",
            ));
        };
        match self.balance(a).checked_add(signed) {
            Some(n) if n < 0 => {
                return Err(refuse(
                    422,
                    "INSUFFICIENT_POINTS",
                    "the account does not have enough points",
                ))
            }
            Some(n) if n <= MAX_BALANCE => {}
            _ => return Err(over_ceiling()),
        }
        let day = self.today;
        self.accounts[a].entries.push(Entry {
            day,
            kind: Kind::Adjusted,
            points: signed,
            type_code: code.to_owned(),
            reason: reason.to_owned(),
            by: by.to_owned(),
        });
        Ok(json!({
            "pointsAdjusted": signed,
            "availablePoints": self.balance(a),
            "adjustmentId": self.id("ADJ"),
        }))
    }

    /// `POST /points-transfers`: between two accounts of one customer, never below zero.
    pub fn transfer(
        &mut self,
        from: &str,
        to: &str,
        points: i64,
        code: &str,
        reason: &str,
        by: &str,
    ) -> Result<Value, Refusal> {
        let find = |ban: &str, field: &str| {
            self.account_by_ban(ban).ok_or_else(|| {
                refuse(
                    404,
                    "ACCOUNT_NOT_FOUND",
                    &format!("no account with this {field}"),
                )
            })
        };
        let (f, t) = (
            find(from, "fromBankAccountNumber")?,
            find(to, "toBankAccountNumber")?,
        );
        if f == t {
            return Err(refuse(
                400,
                "INVALID_FIELD_VALUE_TO_BANK_ACCOUNT_NUMBER",
                "the two accounts are the same",
            ));
        }
        if self.accounts[f].customer != self.accounts[t].customer {
            return Err(refuse(
                422,
                "ACCOUNTS_OF_DIFFERENT_CUSTOMERS",
                "points move only between accounts of one customer",
            ));
        }
        if self.balance(f) < points {
            return Err(refuse(
                422,
                "INSUFFICIENT_POINTS",
                "the giving account does not have enough points",
            ));
        }
        // Both sides checked before either is written: a transfer is whole or not at all.
        if !matches!(self.balance(t).checked_add(points), Some(n) if n <= MAX_BALANCE) {
            return Err(over_ceiling());
        }
        let day = self.today;
        for (a, kind, p) in [
            (f, Kind::TransferOut, -points),
            (t, Kind::TransferIn, points),
        ] {
            self.accounts[a].entries.push(Entry {
                day,
                kind,
                points: p,
                type_code: code.to_owned(),
                reason: reason.to_owned(),
                by: by.to_owned(),
            });
        }
        Ok(json!({
            "pointsTransferred": points,
            "fromAvailablePoints": self.balance(f),
            "toAvailablePoints": self.balance(t),
            "transferId": self.id("TRF"),
        }))
    }

    /// `POST /users/references/searches`: the customer the identifier belongs to, with accounts.
    pub fn lookup(
        &self,
        user_id: &str,
        kind: &str,
        sensitive: bool,
        program: Option<&str>,
        primary_only: bool,
    ) -> Result<Value, Refusal> {
        let customer = match kind {
            "BAN" => self
                .account_by_ban(user_id)
                .map(|a| self.accounts[a].customer),
            "BCN" => self.customer_by_bcn(user_id),
            "RANAC" => self
                .account_by_ranac(user_id)
                .map(|a| self.accounts[a].customer),
            "RANCU" => self.customer_by_rancu(user_id),
            _ => {
                return Err(refuse(
                    400,
                    "INVALID_FIELD_VALUE_USER_ID_TYPE",
                    "userIdType must be BAN, BCN, RANAC or RANCU",
                ))
            }
        };
        let Some(c) = customer else {
            return Err(refuse(
                404,
                "USER_NOT_FOUND",
                "no user with this identifier",
            ));
        };
        let cust = &self.customers[c];
        if program.is_some_and(|p| p != cust.program) {
            return Ok(json!({ "userReferences": [] }));
        }
        let accounts: Vec<Value> = cust
            .accounts
            .iter()
            .map(|&a| &self.accounts[a])
            .filter(|a| !primary_only || a.primary)
            .map(|a| {
                let mut v = json!({
                    "accountId": a.ranac,
                    "accountFirstFour": &a.ban[..4],
                    "accountLastFour": &a.ban[a.ban.len() - 4..],
                });
                if sensitive {
                    v["accountNumber"] = json!(a.ban);
                }
                v
            })
            .collect();
        let mut reference = json!({ "customerId": cust.rancu, "accountDetails": accounts });
        if sensitive {
            reference["customerNumber"] = json!(cust.bcn);
        }
        Ok(json!({ "userReferences": [reference] }))
    }

    /// The sum of every balance (the tests' invariant).
    #[cfg(test)]
    pub fn total(&self) -> i128 {
        (0..self.accounts.len())
            .map(|a| i128::from(self.balance(a)))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::generate;

    fn two_accounts(l: &Ledger) -> (String, String) {
        let c = l
            .customers
            .iter()
            .find(|c| c.accounts.len() >= 2)
            .expect("a customer with two accounts");
        (
            l.accounts[c.accounts[0]].ban.clone(),
            l.accounts[c.accounts[1]].ban.clone(),
        )
    }

    #[test]
    fn the_balance_ceiling_is_a_refusal_and_a_refused_transfer_writes_nothing() {
        let mut l = generate(42, dates::days(2026, 11, 22));
        let (a, b) = two_accounts(&l);
        let (ia, ib) = (l.account_by_ban(&a).unwrap(), l.account_by_ban(&b).unwrap());
        // Fill `a` to the ceiling exactly, then try to pass it by every route.
        let room = MAX_BALANCE - l.balance(ia);
        l.adjust(&a, room, "CR", "fill", "t").unwrap();
        assert_eq!(l.balance(ia), MAX_BALANCE);
        for _ in 0..1024 {
            let e = l.adjust(&a, MAX_BALANCE, "CR", "more", "t").unwrap_err();
            assert_eq!(
                (e.status, e.reason_code.as_str()),
                (422, "BALANCE_LIMIT_EXCEEDED")
            );
        }
        assert_eq!(
            l.adjust(&a, 1, "CR", "one more", "t")
                .unwrap_err()
                .reason_code,
            "BALANCE_LIMIT_EXCEEDED"
        );
        let (entries_a, entries_b) = (l.accounts[ia].entries.len(), l.accounts[ib].entries.len());
        let before_b = l.balance(ib);
        assert_eq!(
            l.transfer(&b, &a, 1, "TR", "x", "t")
                .unwrap_err()
                .reason_code,
            "BALANCE_LIMIT_EXCEEDED"
        );
        assert_eq!(
            (l.accounts[ia].entries.len(), l.accounts[ib].entries.len()),
            (entries_a, entries_b),
            "nothing half-written"
        );
        assert_eq!(l.balance(ib), before_b);
        // Still readable, and moving points out works.
        let c = l.accounts[ia].customer;
        let rancu = l.customers[c].rancu.clone();
        assert!(l.details(&rancu, "RANCU", None, None, true).is_ok());
        assert!(l.expirations(&rancu, "RANCU").is_ok());
        l.transfer(&a, &b, 5, "TR", "out", "t").unwrap();
        assert_eq!(l.balance(ia), MAX_BALANCE - 5);
    }

    #[test]
    fn adjustments_and_transfers_keep_the_books() {
        let mut l = generate(42, dates::days(2026, 11, 22));
        let total = l.total();
        let (a, b) = two_accounts(&l);
        let ia = l.account_by_ban(&a).unwrap();
        let before = l.balance(ia);
        let r = l.adjust(&a, 500, "CR", "goodwill", "agent").unwrap();
        assert_eq!(r["availablePoints"], before + 500);
        assert_eq!(
            l.adjust(&a, before + 501, "DR", "x", "y")
                .unwrap_err()
                .reason_code,
            "INSUFFICIENT_POINTS"
        );
        assert_eq!(
            l.adjust(&a, 1, "XX", "x", "y").unwrap_err().reason_code,
            "INVALID_FIELD_VALUE_ADJUSTMENT_TYPE_CODE"
        );
        assert_eq!(
            l.adjust("5999999999999999", 1, "CR", "x", "y")
                .unwrap_err()
                .status,
            404
        );
        let t = l.transfer(&a, &b, 300, "TR", "move", "me").unwrap();
        assert_eq!(t["pointsTransferred"], 300);
        assert_eq!(
            l.total(),
            total + 500,
            "a transfer moves points, it makes none"
        );
        assert_eq!(
            l.transfer(&a, &b, 10_000_000, "TR", "m", "me")
                .unwrap_err()
                .reason_code,
            "INSUFFICIENT_POINTS"
        );
        let other = l
            .accounts
            .iter()
            .find(|x| x.customer != l.accounts[ia].customer)
            .unwrap()
            .ban
            .clone();
        assert_eq!(
            l.transfer(&a, &other, 1, "TR", "m", "me")
                .unwrap_err()
                .reason_code,
            "ACCOUNTS_OF_DIFFERENT_CUSTOMERS"
        );
        let h = l.history(&l.accounts[ia].ranac.clone(), "RANAC").unwrap();
        let first = &h["adjustments"][0];
        assert_eq!(
            (
                first["points"].as_i64(),
                first["adjustmentTypeCode"].as_str()
            ),
            (Some(-300), Some("TR"))
        );
    }

    #[test]
    fn levels_and_lookups() {
        let l = generate(42, dates::days(2026, 11, 22));
        let c = &l.customers[0];
        let d = l.details(&c.rancu, "RANCU", None, None, false).unwrap();
        assert_eq!(d["level"], "CUSTOMER");
        assert_eq!(d["accounts"].as_array().unwrap().len(), c.accounts.len());
        let hh = l.details(&c.rancu, "RANCU", None, None, true).unwrap();
        assert_eq!(hh["level"], "HOUSEHOLD");
        assert!(hh["accounts"].as_array().unwrap().len() >= c.accounts.len());
        let acc = &l.accounts[c.accounts[0]];
        let found = l.lookup(&acc.ban, "BAN", false, None, false).unwrap();
        assert_eq!(found["userReferences"][0]["customerId"], c.rancu);
        assert!(found["userReferences"][0]["accountDetails"][0]
            .get("accountNumber")
            .is_none());
        let sensitive = l.lookup(&c.bcn, "BCN", true, None, false).unwrap();
        assert_eq!(sensitive["userReferences"][0]["customerNumber"], c.bcn);
        assert_eq!(
            l.lookup("000", "BAN", false, None, false)
                .unwrap_err()
                .reason_code,
            "USER_NOT_FOUND"
        );
        let e = l.expirations(&acc.ranac, "RANAC").unwrap();
        assert!(e["lifetimePointsExpired"].as_i64().unwrap() > 0);
    }
}

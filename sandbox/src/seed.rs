//! The ledger's starting state: generated deterministically from a number, or read from a seed
//! file (JSON, checked: a bad file is refused with a message naming what is wrong).

use serde::Deserialize;

use crate::dates;
use crate::ledger::{Account, Customer, Entry, Kind, Ledger};

/// xorshift64*: deterministic, good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// A card number with a valid Luhn check digit.
fn luhn_complete(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Three households of one or two customers, each with one to three accounts (distinct last
/// four digits within a customer), and thirteen months of history ending `today`.
pub fn generate(seed: u64, today: i64) -> Ledger {
    let mut r = Rng(seed.max(1));
    let mut customers = Vec::new();
    let mut accounts = Vec::new();
    for h in 0..3 {
        for _ in 0..1 + r.below(2) {
            let c = customers.len();
            let mut mine = Vec::new();
            let mut lasts = Vec::new();
            for k in 0..1 + r.below(3) {
                let ban = loop {
                    let ban = luhn_complete(&format!("5{}", r.digits(14)));
                    if !lasts.contains(&ban[12..].to_owned()) {
                        break ban;
                    }
                };
                lasts.push(ban[12..].to_owned());
                mine.push(accounts.len());
                accounts.push(Account {
                    ranac: r.digits(30),
                    ban,
                    customer: c,
                    primary: k == 0,
                    on_hold: 50 + r.below(250) as i64,
                    entries: history(&mut r, today),
                });
            }
            customers.push(Customer {
                rancu: r.digits(18),
                bcn: r.digits(10),
                household: format!("HH-{h:03}"),
                program: "REWARDS".into(),
                accounts: mine,
            });
        }
    }
    Ledger::new(today, customers, accounts)
}

fn history(r: &mut Rng, today: i64) -> Vec<Entry> {
    let (y, m, _) = dates::civil(today);
    let mut entries: Vec<Entry> = Vec::new();
    let push = |entries: &mut Vec<Entry>, day, kind, points: i64, code: &str, reason: &str| {
        entries.push(Entry {
            day,
            kind,
            points,
            type_code: code.into(),
            reason: reason.into(),
            by: "system".into(),
        });
    };
    let balance = |entries: &Vec<Entry>| entries.iter().map(|e| e.points).sum::<i64>();
    for k in (0..13).rev() {
        let (my, mm) = ((y * 12 + m - 1 - k) / 12, (y * 12 + m - 1 - k) % 12 + 1);
        let day = |d: i64| dates::days(my, mm, d).min(today);
        let earned = 200 + r.below(1300) as i64;
        push(&mut entries, day(5), Kind::Earned, earned, "", "purchases");
        if r.below(3) == 0 {
            let redeemed = balance(&entries) * (10 + r.below(30) as i64) / 100;
            push(
                &mut entries,
                day(20),
                Kind::Redeemed,
                -redeemed,
                "",
                "reward redemption",
            );
        }
        if k % 5 == 2 {
            push(
                &mut entries,
                day(12),
                Kind::Adjusted,
                100,
                "GOODWILL",
                "service recovery",
            );
        }
        if k == 7 || k == 1 {
            let expired = balance(&entries) / 10;
            push(
                &mut entries,
                day(28),
                Kind::Expired,
                -expired,
                "",
                "points expired",
            );
        }
    }
    entries.retain(|e| e.points != 0);
    entries.sort_by_key(|e| e.day);
    entries
}

/// The seed file: customers with their accounts and history.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SeedFile {
    today: Option<String>,
    customers: Vec<SeedCustomer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SeedCustomer {
    rancu: String,
    bcn: String,
    household: Option<String>,
    program: Option<String>,
    accounts: Vec<SeedAccount>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SeedAccount {
    ranac: String,
    ban: String,
    primary: Option<bool>,
    on_hold: Option<i64>,
    #[serde(default)]
    entries: Vec<SeedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SeedEntry {
    date: String,
    kind: String,
    points: i64,
    type_code: Option<String>,
    reason: Option<String>,
    by: Option<String>,
}

/// Reads a seed file's text; `today` applies when the file names none.
pub fn load(text: &str, today: i64) -> Result<Ledger, String> {
    let file: SeedFile = serde_json::from_str(text).map_err(|e| format!("seed file: {e}"))?;
    let today = match &file.today {
        Some(t) => {
            dates::parse(t).ok_or_else(|| format!("seed file: today {t:?} is not YYYY-MM-DD"))?
        }
        None => today,
    };
    if file.customers.is_empty() {
        return Err("seed file: no customers".into());
    }
    let mut customers = Vec::new();
    let mut accounts: Vec<Account> = Vec::new();
    let mut seen = Seen::default();
    for (ci, c) in file.customers.into_iter().enumerate() {
        customers.push(customer(ci, c, &mut accounts, &mut seen)?);
    }
    Ok(Ledger::new(today, customers, accounts))
}

/// Identifiers already used in the file: each may appear once.
#[derive(Default)]
struct Seen(std::collections::HashSet<String>);

impl Seen {
    fn unique(&mut self, what: &str, id: &str) -> Result<(), String> {
        if self.0.insert(id.to_owned()) {
            Ok(())
        } else {
            Err(format!("seed file: {what} {id} appears twice"))
        }
    }
}

fn digits(what: &str, id: &str, len: std::ops::RangeInclusive<usize>) -> Result<(), String> {
    if len.contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "seed file: {what} {id:?} must be {}-{} digits",
            len.start(),
            len.end()
        ))
    }
}

/// Customer number `ci`, checked, with its accounts pushed onto `accounts`.
fn customer(
    ci: usize,
    c: SeedCustomer,
    accounts: &mut Vec<Account>,
    seen: &mut Seen,
) -> Result<Customer, String> {
    digits("rancu", &c.rancu, 1..=50)?;
    seen.unique("rancu", &c.rancu)?;
    if c.bcn.is_empty() || c.bcn.len() > 50 {
        return Err(format!(
            "seed file: customer {ci} has a bcn of {} characters (1-50)",
            c.bcn.len()
        ));
    }
    seen.unique("bcn", &c.bcn)?;
    if c.accounts.is_empty() {
        return Err(format!("seed file: customer {} has no accounts", c.rancu));
    }
    let mut mine = Vec::new();
    for a in c.accounts {
        digits("ranac", &a.ranac, 1..=50)?;
        digits("ban", &a.ban, 12..=19)?;
        seen.unique("ranac", &a.ranac)?;
        seen.unique("ban", &a.ban)?;
        let entries = entries(&a.ranac, a.entries)?;
        mine.push(accounts.len());
        accounts.push(Account {
            ranac: a.ranac,
            ban: a.ban,
            customer: ci,
            primary: a.primary.unwrap_or(mine.len() == 1),
            on_hold: a.on_hold.unwrap_or(0).max(0),
            entries,
        });
    }
    Ok(Customer {
        rancu: c.rancu,
        bcn: c.bcn,
        household: c.household.unwrap_or_else(|| format!("HH-{ci:03}")),
        program: c.program.unwrap_or_else(|| "REWARDS".into()),
        accounts: mine,
    })
}

/// An account's entries, in date order, each of a known kind and sign, the balance never
/// below zero nor above 2^53 − 1.
fn entries(ranac: &str, given: Vec<SeedEntry>) -> Result<Vec<Entry>, String> {
    let mut entries = given
        .into_iter()
        .map(|e| entry(ranac, e))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort_by_key(|e| e.day);
    let mut balance: i64 = 0;
    for e in &entries {
        balance = balance.saturating_add(e.points);
        let why = if balance > crate::ledger::MAX_BALANCE {
            "would hold more than 2^53 - 1 points"
        } else if balance < 0 {
            "would go below zero"
        } else {
            continue;
        };
        return Err(format!(
            "seed file: account {ranac} {why} on {}",
            dates::format(e.day)
        ));
    }
    Ok(entries)
}

fn entry(ranac: &str, e: SeedEntry) -> Result<Entry, String> {
    let day = dates::parse(&e.date).ok_or_else(|| {
        format!(
            "seed file: account {ranac}: date {:?} is not YYYY-MM-DD",
            e.date
        )
    })?;
    let kind = Kind::parse(&e.kind).ok_or_else(|| format!("seed file: account {ranac}: kind {:?} is not one of EARNED, REDEEMED, ADJUSTED, EXPIRED, TRANSFER_IN, TRANSFER_OUT", e.kind))?;
    let sign_ok = match kind {
        Kind::Earned | Kind::TransferIn => e.points > 0,
        Kind::Redeemed | Kind::Expired | Kind::TransferOut => e.points < 0,
        Kind::Adjusted => e.points != 0,
    };
    if !sign_ok {
        return Err(format!(
            "seed file: account {ranac}: {} of {} points has the wrong sign",
            e.kind, e.points
        ));
    }
    Ok(Entry {
        day,
        kind,
        points: e.points,
        type_code: e.type_code.unwrap_or_default(),
        reason: e.reason.unwrap_or_default(),
        by: e.by.unwrap_or_else(|| "system".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ledgers_are_deterministic_and_consistent() {
        let today = dates::days(2026, 11, 22);
        let a = generate(42, today);
        let b = generate(42, today);
        assert_eq!(a.accounts.len(), b.accounts.len());
        assert!(a.accounts.len() >= 3);
        for (x, y) in a.accounts.iter().zip(&b.accounts) {
            assert_eq!(
                (&x.ban, &x.ranac, x.entries.len()),
                (&y.ban, &y.ranac, y.entries.len())
            );
        }
        for (i, acc) in a.accounts.iter().enumerate() {
            assert_eq!(acc.ban.len(), 16);
            assert!(a.balance(i) >= 0);
            let d = a
                .details(&acc.ranac, "RANAC", Some(today - 364), None, false)
                .unwrap();
            let n = |k: &str| d[k].as_i64().unwrap();
            assert_eq!(
                n("availablePoints"),
                n("previousBalance") + n("pointsEarned") - n("pointsRedeemed")
                    + n("pointsAdjusted")
            );
            assert_eq!(n("availablePoints"), a.balance(i));
        }
        assert_ne!(generate(7, today).accounts[0].ban, a.accounts[0].ban);
    }

    #[test]
    fn bad_seed_files_say_why() {
        let today = dates::days(2026, 1, 1);
        let cases = [
            ("{", "seed file"),
            (r#"{"customers":[]}"#, "no customers"),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[]}]}"#,
                "has no accounts",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"12"}]}]}"#,
                "ban",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"555544443333222","entries":[{"date":"2026-01-01","kind":"REDEEMED","points":-5}]}]}]}"#,
                "below zero",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"555544443333222","entries":[{"date":"2026-01-01","kind":"EARNED","points":-5}]}]}]}"#,
                "wrong sign",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"555544443333222","entries":[{"date":"01/01/2026","kind":"EARNED","points":5}]}]}]}"#,
                "YYYY-MM-DD",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"555544443333222"},{"ranac":"3","ban":"555544443333222"}]}]}"#,
                "twice",
            ),
            (
                r#"{"customers":[{"rancu":"1","bcn":"b","extra":1,"accounts":[{"ranac":"2","ban":"555544443333222"}]}]}"#,
                "unknown field",
            ),
        ];
        for (text, want) in cases {
            let e = load(text, today).err().unwrap_or_default();
            assert!(e.contains(want), "{text}: {e}");
        }
        let ok = load(r#"{"today":"2026-06-30","customers":[{"rancu":"1","bcn":"b","accounts":[{"ranac":"2","ban":"555544443333222","entries":[{"date":"2026-01-01","kind":"EARNED","points":500}]}]}]}"#, today).unwrap();
        assert_eq!(ok.balance(0), 500);
        assert_eq!(ok.today, dates::days(2026, 6, 30));
    }
}

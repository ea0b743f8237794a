//! `transferPoints`: move points between two of a user's accounts (`POST /points-transfers`,
//! encrypted). A write: never retried automatically.

use tsify::Tsify;

use super::text_limits::{Kind, TextLimits, CEILING};
use serde::Deserialize;

use super::list::TRANSFER_POINTS;
use crate::error::{Error, Result};
use crate::http::request::{url, Request};
use crate::input::Input;
use crate::json::{object, Out};
use crate::validate::{CardNumber, Points, Text};

/// A transfer: all six fields are required by the service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsTransfer {
    /// The card number of the account giving the points (12 to 19 digits).
    #[tsify(type = "string")]
    pub from_bank_account_number: CardNumber,
    /// The card number of the account receiving them; another account of the same user.
    #[tsify(type = "string")]
    pub to_bank_account_number: CardNumber,
    /// How many points (a positive whole number).
    #[tsify(type = "number")]
    pub points_to_transfer: Points,
    /// The program's transfer type code (up to 20 characters unless `limits.typeCode`).
    #[tsify(type = "string")]
    pub transfer_type_code: Text<CEILING>,
    /// Why (up to 255 characters unless `limits.reason`).
    #[tsify(type = "string")]
    pub transfer_reason: Text<CEILING>,
    /// Who (up to 50 characters unless `limits.adjustedBy`).
    #[tsify(type = "string")]
    pub adjusted_by: Text<CEILING>,
}

impl Input for PointsTransfer {
    fn check(self) -> Result<Self> {
        if self.from_bank_account_number == self.to_bank_account_number {
            return Err(Error::validation(
                "toBankAccountNumber",
                "must be another account than fromBankAccountNumber",
            ));
        }
        Ok(self)
    }
}

impl PointsTransfer {
    /// The text fields under the client's limits.
    pub fn within(&self, limits: &TextLimits) -> Result<()> {
        limits.check(&[
            (
                "transferTypeCode",
                &self.transfer_type_code.0,
                Kind::TypeCode,
            ),
            ("transferReason", &self.transfer_reason.0, Kind::Reason),
            ("adjustedBy", &self.adjusted_by.0, Kind::AdjustedBy),
        ])
    }

    /// The POST, its JSON body still in clear (the client encrypts it).
    pub fn request(&self, base: &str) -> Request {
        let body = object(&[
            (
                "fromBankAccountNumber",
                Out::Str(&self.from_bank_account_number.0),
            ),
            (
                "toBankAccountNumber",
                Out::Str(&self.to_bank_account_number.0),
            ),
            ("pointsToTransfer", Out::Int(self.points_to_transfer.0)),
            ("transferTypeCode", Out::Str(&self.transfer_type_code.0)),
            ("transferReason", Out::Str(&self.transfer_reason.0)),
            ("adjustedBy", Out::Str(&self.adjusted_by.0)),
        ]);
        Request::with_body(
            TRANSFER_POINTS.method,
            url(base, TRANSFER_POINTS.path, &[]),
            body,
            TRANSFER_POINTS.retry,
        )
    }
}

/// What the service returns for a transfer; our reading, every field optional.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsTransferResult {
    /// The points transferred ("200 with the number of points transferred").
    #[tsify(optional)]
    pub points_transferred: Option<f64>,
    /// The giving account's available points afterwards.
    #[tsify(optional)]
    pub from_available_points: Option<f64>,
    /// The receiving account's available points afterwards.
    #[tsify(optional)]
    pub to_available_points: Option<f64>,
    /// The service's reference for the transfer.
    #[tsify(optional)]
    pub transfer_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{read, s};
    use crate::validate::Raw;

    fn good() -> Vec<(&'static str, Raw)> {
        vec![
            ("fromBankAccountNumber", s("5555444433332222")),
            ("toBankAccountNumber", s("5555444433331111")),
            ("pointsToTransfer", Raw::Num(9_007_199_254_740_991.0)),
            ("transferTypeCode", s("TR")),
            ("transferReason", s("Moving to the new card")),
            ("adjustedBy", s("self-service")),
        ]
    }

    #[test]
    fn builds_the_exact_body() {
        let t = read::<PointsTransfer>(good()).unwrap();
        let r = t.request("/loyalty");
        assert_eq!(r.url, "/loyalty/points-transfers");
        assert_eq!(
            r.body.unwrap(),
            r#"{"fromBankAccountNumber":"5555444433332222","toBankAccountNumber":"5555444433331111","pointsToTransfer":9007199254740991,"transferTypeCode":"TR","transferReason":"Moving to the new card","adjustedBy":"self-service"}"#
        );
    }

    #[test]
    fn the_same_account_twice_is_refused() {
        let mut f = good();
        f[1].1 = s("5555444433332222");
        let e = read::<PointsTransfer>(f).unwrap_err();
        assert_eq!(e.field(), Some("toBankAccountNumber"));
    }

    #[test]
    fn each_field_is_checked() {
        for (i, (name, _)) in good().iter().enumerate() {
            let mut fields = good();
            fields[i].1 = Raw::Null;
            let e = read::<PointsTransfer>(fields).unwrap_err();
            assert_eq!(e.field(), Some(*name));
        }
    }
}

//! `adjustPoints`: add or take points on an account (`POST /points-adjustments`, encrypted).
//! A write: never retried automatically.

use serde::Deserialize;
use tsify::Tsify;

use super::list::ADJUST_POINTS;
use super::text_limits::{Kind, TextLimits, CEILING};
use crate::error::Result;
use crate::http::request::{url, Request};
use crate::input::Input;
use crate::json::{object, Out};
use crate::validate::{CardNumber, Points, Text};

/// An adjustment: all five fields are required by the service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsAdjustment {
    /// The card number of the account (12 to 19 digits). Sent only inside the encrypted body.
    #[tsify(type = "string")]
    pub bank_account_number: CardNumber,
    /// How many points (a positive whole number; the type code says whether they are added).
    #[tsify(type = "number")]
    pub points_to_adjust: Points,
    /// The program's adjustment type code (up to 20 characters unless `limits.typeCode`).
    #[tsify(type = "string")]
    pub adjustment_type_code: Text<CEILING>,
    /// Why (up to 255 characters unless `limits.reason`).
    #[tsify(type = "string")]
    pub adjustment_reason: Text<CEILING>,
    /// Who (up to 50 characters unless `limits.adjustedBy`).
    #[tsify(type = "string")]
    pub adjusted_by: Text<CEILING>,
}

impl Input for PointsAdjustment {}

impl PointsAdjustment {
    /// The text fields under the client's limits.
    pub fn within(&self, limits: &TextLimits) -> Result<()> {
        limits.check(&[
            (
                "adjustmentTypeCode",
                &self.adjustment_type_code.0,
                Kind::TypeCode,
            ),
            ("adjustmentReason", &self.adjustment_reason.0, Kind::Reason),
            ("adjustedBy", &self.adjusted_by.0, Kind::AdjustedBy),
        ])
    }

    /// The POST, its JSON body still in clear (the client encrypts it).
    pub fn request(&self, base: &str) -> Request {
        let body = object(&[
            ("bankAccountNumber", Out::Str(&self.bank_account_number.0)),
            ("pointsToAdjust", Out::Int(self.points_to_adjust.0)),
            ("adjustmentTypeCode", Out::Str(&self.adjustment_type_code.0)),
            ("adjustmentReason", Out::Str(&self.adjustment_reason.0)),
            ("adjustedBy", Out::Str(&self.adjusted_by.0)),
        ]);
        Request::with_body(
            ADJUST_POINTS.method,
            url(base, ADJUST_POINTS.path, &[]),
            body,
            ADJUST_POINTS.retry,
        )
    }
}

/// What the service returns for an adjustment; our reading, every field optional.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsAdjustmentResult {
    /// The points adjusted ("200 with the number of points adjusted").
    #[tsify(optional)]
    pub points_adjusted: Option<f64>,
    /// The account's available points afterwards.
    #[tsify(optional)]
    pub available_points: Option<f64>,
    /// The service's reference for the adjustment.
    #[tsify(optional)]
    pub adjustment_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request::Method;
    use crate::ops::testing::{read, s};
    use crate::validate::Raw;

    fn good() -> Vec<(&'static str, Raw)> {
        vec![
            ("bankAccountNumber", s("5555444433332222")),
            ("pointsToAdjust", Raw::Num(1500.0)),
            ("adjustmentTypeCode", s("CR")),
            ("adjustmentReason", s("Goodwill \"gesture\"")),
            ("adjustedBy", s("agent-7")),
        ]
    }

    #[test]
    fn builds_the_exact_body() {
        let a = read::<PointsAdjustment>(good()).unwrap();
        let r = a.request("https://x/loyalty");
        assert_eq!(r.url, "https://x/loyalty/points-adjustments");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.retry, crate::http::request::Retry::Never);
        assert_eq!(
            r.body.unwrap(),
            r#"{"bankAccountNumber":"5555444433332222","pointsToAdjust":1500,"adjustmentTypeCode":"CR","adjustmentReason":"Goodwill \"gesture\"","adjustedBy":"agent-7"}"#
        );
    }

    #[test]
    fn each_field_is_checked() {
        for (i, (name, _)) in good().iter().enumerate() {
            let mut fields = good();
            fields[i].1 = Raw::Missing;
            let e = read::<PointsAdjustment>(fields).unwrap_err();
            assert_eq!(e.field(), Some(*name));
        }
    }
}

//! `getPointsAdjustments`: the history of manual adjustments (`GET /points-adjustments-details`).
//!
//! Our reading of the undocumented schema (see `points_details.rs`).

use tsify::Tsify;

/// Past adjustments, newest first as the service sends them.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsAdjustmentHistory {
    /// The adjustments.
    #[tsify(optional)]
    pub adjustments: Option<Vec<PointsAdjustmentRecord>>,
}

/// One past adjustment.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsAdjustmentRecord {
    /// When it was made (`YYYY-MM-DD` or an ISO 8601 timestamp).
    #[tsify(optional)]
    pub adjustment_date: Option<String>,
    /// Points added or, negative, taken.
    #[tsify(optional)]
    pub points: Option<f64>,
    /// The program's adjustment type code.
    #[tsify(optional)]
    pub adjustment_type_code: Option<String>,
    /// Why.
    #[tsify(optional)]
    pub adjustment_reason: Option<String>,
    /// Who made it.
    #[tsify(optional)]
    pub adjusted_by: Option<String>,
    /// The last four digits of the account's card number.
    #[tsify(optional)]
    pub account_last_four: Option<String>,
}

//! `getPointsDetails`: the points balance (`GET /points-details`).
//!
//! PAS does not publish its response schema; the model below is our reading of what it
//! documents (previous balance, earned, redeemed, adjusted, expired, on hold, available, at
//! account, customer or household level, over a period). Every field is optional and any field
//! the service sends that is not named here is kept on the returned object.

use tsify::Tsify;

/// The figures of a period, for the whole and for each account.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsFigures {
    /// The balance brought into the period.
    #[tsify(optional)]
    pub previous_balance: Option<f64>,
    /// Points earned in the period.
    #[tsify(optional)]
    pub points_earned: Option<f64>,
    /// Points redeemed in the period.
    #[tsify(optional)]
    pub points_redeemed: Option<f64>,
    /// Net adjustments in the period (may be negative).
    #[tsify(optional)]
    pub points_adjusted: Option<f64>,
    /// Points that expired in the period.
    #[tsify(optional)]
    pub points_expired: Option<f64>,
    /// Points earned but not yet available.
    #[tsify(optional)]
    pub points_on_hold: Option<f64>,
    /// Previous balance + earned − redeemed ± adjusted.
    #[tsify(optional)]
    pub available_points: Option<f64>,
}

/// Points of an account, a customer or a household over a period.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsDetails {
    /// The level the figures are for: `ACCOUNT`, `CUSTOMER` or `HOUSEHOLD`.
    #[tsify(optional)]
    pub level: Option<String>,
    /// First day of the period (`YYYY-MM-DD`).
    #[tsify(optional)]
    pub period_start_date: Option<String>,
    /// Last day of the period (`YYYY-MM-DD`).
    #[tsify(optional)]
    pub period_end_date: Option<String>,
    /// The figures.
    #[serde(flatten)]
    pub figures: PointsFigures,
    /// The same figures per account, at customer or household level.
    #[tsify(optional)]
    pub accounts: Option<Vec<AccountPoints>>,
}

/// One account's share of a customer's or household's points.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AccountPoints {
    /// The account's RANAC.
    #[tsify(optional)]
    pub account_id: Option<String>,
    /// The last four digits of the card number.
    #[tsify(optional)]
    pub account_last_four: Option<String>,
    /// Its figures.
    #[serde(flatten)]
    pub figures: PointsFigures,
}

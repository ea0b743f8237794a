//! `getPointsExpirations`: points expiring soon and expired (`GET /points-expirations-details`).
//!
//! Our reading of the undocumented schema (see `points_details.rs`): what expires soon and when,
//! what expired this year, what expired over the account's life.

use tsify::Tsify;

/// Points expiring and expired.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PointsExpirations {
    /// Batches of points about to expire, soonest first.
    #[tsify(optional)]
    pub points_expiring_soon: Option<Vec<ExpiringPoints>>,
    /// Points expired since 1 January.
    #[tsify(optional)]
    pub points_expired_year_to_date: Option<f64>,
    /// Points expired over the life of the account or customer.
    #[tsify(optional)]
    pub lifetime_points_expired: Option<f64>,
}

/// Points that expire on one date.
#[derive(Debug, Clone, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExpiringPoints {
    /// How many.
    #[tsify(optional)]
    pub points: Option<f64>,
    /// When (`YYYY-MM-DD`).
    #[tsify(optional)]
    pub expiration_date: Option<String>,
}

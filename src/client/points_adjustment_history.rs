//! `getPointsAdjustments`: the history of manual adjustments.

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::PointsClient;
use crate::ops::list::POINTS_ADJUSTMENTS;
use crate::ops::user_query::UserQuery;

#[wasm_bindgen]
impl PointsClient {
    /// The history of manual adjustments (`GET /points-adjustments-details`).
    #[wasm_bindgen(js_name = getPointsAdjustments, unchecked_return_type = "Promise<PointsAdjustmentHistory>")]
    pub fn get_points_adjustments(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| super::reads::read_points(c, &POINTS_ADJUSTMENTS, input, options))
    }
}

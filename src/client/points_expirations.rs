//! `getPointsExpirations`: points expiring soon and expired.

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::PointsClient;
use crate::ops::list::POINTS_EXPIRATIONS;
use crate::ops::user_query::UserQuery;

#[wasm_bindgen]
impl PointsClient {
    /// Points expiring soon and expired (`GET /points-expirations-details`).
    #[wasm_bindgen(js_name = getPointsExpirations, unchecked_return_type = "Promise<PointsExpirations>")]
    pub fn get_points_expirations(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| super::reads::read_points(c, &POINTS_EXPIRATIONS, input, options))
    }
}

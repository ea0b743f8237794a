//! `getPointsDetails`: the points balance.

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::PointsClient;
use crate::ops::list::POINTS_DETAILS;
use crate::ops::user_query::UserQuery;

#[wasm_bindgen]
impl PointsClient {
    /// The points balance (`GET /points-details`). A `BAN` or `BCN` is looked up first.
    #[wasm_bindgen(js_name = getPointsDetails, unchecked_return_type = "Promise<PointsDetails>")]
    pub fn get_points_details(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| super::reads::read_points(c, &POINTS_DETAILS, input, options))
    }
}

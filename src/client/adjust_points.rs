//! `adjustPoints` (`ops/adjust_points.rs` holds its input, request and model).

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::call::{self, Expect};
use super::{call_options, fields, PointsClient};
use crate::ops::adjust_points::PointsAdjustment;
use crate::ops::list::ADJUST_POINTS;

#[wasm_bindgen]
impl PointsClient {
    /// Adds or takes points (`POST /points-adjustments`, encrypted). Never retried: on
    /// `PointsNetworkError`/`PointsTimeoutError` check `mayHaveBeenSent` before trying again.
    #[wasm_bindgen(js_name = adjustPoints, unchecked_return_type = "Promise<PointsAdjustmentResult>")]
    pub fn adjust_points(
        &self,
        input: Ts<PointsAdjustment>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| async move {
            let op: PointsAdjustment = fields::read_input(&input)?;
            op.within(&c.limits)?;
            let call = call_options(&options, &ADJUST_POINTS)?;
            call::run(&c, &op.request(&c.base_url), &call, Expect::Object).await
        })
    }
}

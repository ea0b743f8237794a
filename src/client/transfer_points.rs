//! `transferPoints` (`ops/transfer_points.rs` holds its input, request and model).

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::call::{self, Expect};
use super::{call_options, fields, PointsClient};
use crate::ops::list::TRANSFER_POINTS;
use crate::ops::transfer_points::PointsTransfer;

#[wasm_bindgen]
impl PointsClient {
    /// Moves points between two of a user's accounts (`POST /points-transfers`, encrypted).
    /// Never retried.
    #[wasm_bindgen(js_name = transferPoints, unchecked_return_type = "Promise<PointsTransferResult>")]
    pub fn transfer_points(
        &self,
        input: Ts<PointsTransfer>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| async move {
            let op: PointsTransfer = fields::read_input(&input)?;
            op.within(&c.limits)?;
            let call = call_options(&options, &TRANSFER_POINTS)?;
            call::run(&c, &op.request(&c.base_url), &call, Expect::Object).await
        })
    }
}

//! `searchUserReferences` (`ops/search_user_references.rs` holds its input, request and model).

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::call::{self, Expect};
use super::{call_options, fields, PointsClient};
use crate::ops::list::SEARCH_USER_REFERENCES;
use crate::ops::search_user_references::UserSearch;

#[wasm_bindgen]
impl PointsClient {
    /// User Account Management's identifier lookup (`POST /users/references/searches`,
    /// encrypted both ways). Retried as a read (a search changes nothing).
    #[wasm_bindgen(js_name = searchUserReferences, unchecked_return_type = "Promise<UserReferences>")]
    pub fn search_user_references(
        &self,
        input: Ts<UserSearch>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let input = input.js_value();
        self.start(|c| async move {
            let op: UserSearch = fields::read_input(&input)?;
            op.within(&c.limits)?;
            let call = call_options(&options, &SEARCH_USER_REFERENCES)?;
            call::run(
                &c,
                &op.request(&c.user_management_base_url),
                &call,
                Expect::UserReferences,
            )
            .await
        })
    }
}

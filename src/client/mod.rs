//! `PointsClient`: every Points Activity operation and the identifier lookup, over `fetch`.
//! This file is only the JS surface; `options.rs` checks the option bag, `call.rs` makes the
//! trip, and the operations themselves (validation, requests, models) are pure, in `ops/`.

mod call;
mod fields;
mod options;

use std::rc::Rc;

use tsify::Ts;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use self::call::{CallOptions, Expect};
use self::fields::JsFields;
use crate::error::Error;
use crate::js_error::JsResult;
use crate::ops::adjust_points::{PointsAdjustment, PointsAdjustmentResult};
use crate::ops::points_adjustment_history::{self, PointsAdjustmentHistory};
use crate::ops::points_details::{self, PointsDetails};
use crate::ops::points_expirations::{self, PointsExpirations};
use crate::ops::search_user_references::{resolve, UserReferences, UserSearch};
use crate::ops::transfer_points::{PointsTransfer, PointsTransferResult};
use crate::ops::user_query::{read_request, UserQuery};
use crate::prelude::*;
use crate::text::prop;

#[wasm_bindgen(typescript_custom_section)]
const CLIENT_TS: &'static str = include_str!("../js/client.d.ts");

/// A client of the Points Activity Service and of User Account Management's identifier lookup.
///
/// Create it with `PointsClient.create(options)`; keys are imported once there. Every method
/// validates its input before anything is sent, rejects with a `PointsError` subclass, and takes
/// an optional last argument `{ signal, headers, query }`.
#[wasm_bindgen]
pub struct PointsClient {
    config: Rc<options::Config>,
}

fn call_options(value: &JsValue, reads: bool) -> JsResult<CallOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(CallOptions {
            signal: None,
            headers: Vec::new(),
            query: Vec::new(),
        });
    }
    if !value.is_object() {
        return Err(Error::validation("options", "must be an object").into());
    }
    let signal = prop(value, "signal");
    let signal = if signal.is_undefined() || signal.is_null() {
        None
    } else if signal.is_object() && prop(&signal, "aborted").as_bool().is_some() {
        Some(signal.unchecked_into::<AbortSignal>())
    } else {
        return Err(Error::validation("signal", "must be an AbortSignal").into());
    };
    let query = prop(value, "query");
    if !(reads || query.is_undefined() || query.is_null()) {
        return Err(Error::validation("query", "is for the GET operations only").into());
    }
    Ok(CallOptions {
        signal,
        headers: fields::headers(&prop(value, "headers"), "headers")?,
        query: fields::query(&query)?,
    })
}

impl PointsClient {
    /// One of the three reads: looks a BAN or BCN up first, then GETs `path`.
    async fn read(
        &self,
        path: &'static str,
        input: JsValue,
        options: JsValue,
    ) -> JsResult<JsValue> {
        let q = UserQuery::read(&JsFields::new(input)?)?;
        let call = call_options(&options, true)?;
        let c = &self.config;
        let (token, kind) = if q.needs_lookup() {
            let search = UserSearch::of(&q.user_id, q.user_id_type);
            let lookup = search.request(&c.user_management_base_url);
            let found = call::run(c, &lookup, &call, Expect::UserReferences).await?;
            resolve(&call::rust_json(&found)?, &q.user_id, q.user_id_type)?
        } else {
            (q.user_id, q.user_id_type)
        };
        let req = read_request(&c.base_url, path, &token, kind, &call.query);
        call::run(c, &req, &call, Expect::Object).await
    }
}

#[wasm_bindgen]
impl PointsClient {
    /// Checks the options and imports the keys (once, non-extractable). Rejects with
    /// `PointsConfigError` for a bad option and `PointsKeyError` for a bad key.
    pub async fn create(
        #[wasm_bindgen(unchecked_param_type = "PointsClientOptions")] options: JsValue,
    ) -> Result<PointsClient, JsValue> {
        let config = options::read(&options).await?;
        Ok(PointsClient {
            config: Rc::new(config),
        })
    }

    /// The points balance (`GET /points-details`). A `BAN` or `BCN` is looked up first.
    #[wasm_bindgen(js_name = getPointsDetails)]
    pub async fn get_points_details(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<PointsDetails>, JsValue> {
        let v = self
            .read(points_details::PATH, input.js_value(), options)
            .await?;
        Ok(Ts::new_unchecked(v))
    }

    /// Points expiring soon and expired (`GET /points-expirations-details`).
    #[wasm_bindgen(js_name = getPointsExpirations)]
    pub async fn get_points_expirations(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<PointsExpirations>, JsValue> {
        let v = self
            .read(points_expirations::PATH, input.js_value(), options)
            .await?;
        Ok(Ts::new_unchecked(v))
    }

    /// The history of manual adjustments (`GET /points-adjustments-details`).
    #[wasm_bindgen(js_name = getPointsAdjustments)]
    pub async fn get_points_adjustments(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<PointsAdjustmentHistory>, JsValue> {
        let v = self
            .read(points_adjustment_history::PATH, input.js_value(), options)
            .await?;
        Ok(Ts::new_unchecked(v))
    }

    /// Adds or takes points (`POST /points-adjustments`, encrypted). Never retried: on
    /// `PointsNetworkError`/`PointsTimeoutError` check `mayHaveBeenSent` before trying again.
    #[wasm_bindgen(js_name = adjustPoints)]
    pub async fn adjust_points(
        &self,
        input: Ts<PointsAdjustment>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<PointsAdjustmentResult>, JsValue> {
        let run = async {
            let a = PointsAdjustment::read(&JsFields::new(input.js_value())?)?;
            let call = call_options(&options, false)?;
            let req = a.request(&self.config.base_url);
            call::run(&self.config, &req, &call, Expect::Object).await
        };
        Ok(Ts::new_unchecked(run.await?))
    }

    /// Moves points between two of a user's accounts (`POST /points-transfers`, encrypted).
    /// Never retried.
    #[wasm_bindgen(js_name = transferPoints)]
    pub async fn transfer_points(
        &self,
        input: Ts<PointsTransfer>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<PointsTransferResult>, JsValue> {
        let run = async {
            let t = PointsTransfer::read(&JsFields::new(input.js_value())?)?;
            let call = call_options(&options, false)?;
            let req = t.request(&self.config.base_url);
            call::run(&self.config, &req, &call, Expect::Object).await
        };
        Ok(Ts::new_unchecked(run.await?))
    }

    /// User Account Management's identifier lookup (`POST /users/references/searches`,
    /// encrypted both ways).
    #[wasm_bindgen(js_name = searchUserReferences)]
    pub async fn search_user_references(
        &self,
        input: Ts<UserSearch>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Result<Ts<UserReferences>, JsValue> {
        let run = async {
            let s = UserSearch::read(&JsFields::new(input.js_value())?)?;
            let call = call_options(&options, false)?;
            let req = s.request(&self.config.user_management_base_url);
            call::run(&self.config, &req, &call, Expect::UserReferences).await
        };
        Ok(Ts::new_unchecked(run.await?))
    }
}

//! `PointsClient`: every Points Activity operation and the identifier lookup, over `fetch`.
//! This file is only the JS surface; `options.rs` checks the option bag, `call.rs` makes the
//! trip, and the operations themselves (validation, requests, models) are pure, in `ops/`.

mod call;
mod fields;
pub(crate) mod options;

use std::rc::Rc;

use js_sys::Promise;
use tsify::Ts;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use self::call::{CallOptions, Expect};
use self::fields::JsFields;
use crate::error::Error;
use crate::js_error::JsResult;
use crate::ops::adjust_points::PointsAdjustment;
use crate::ops::points_adjustment_history;
use crate::ops::points_details;
use crate::ops::points_expirations;
use crate::ops::search_user_references::{resolve, UserSearch};
use crate::ops::transfer_points::PointsTransfer;
use crate::ops::user_query::{read_request, UserQuery};
use crate::prelude::*;
use crate::spawn::{spawn, Job};
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

/// The six operations, each run by [`run`] (through the module's one async entry point).
#[derive(Clone, Copy)]
pub(crate) enum Op {
    PointsDetails,
    PointsExpirations,
    PointsAdjustments,
    AdjustPoints,
    TransferPoints,
    SearchUserReferences,
}

impl PointsClient {
    /// Starts `op`; the promise holds its own reference to the configuration, so freeing the
    /// client while a call runs is safe.
    fn start(&self, op: Op, input: JsValue, options: JsValue) -> Promise {
        spawn(Job::Call(Rc::clone(&self.config), op, input, options))
    }
}

/// Creates a client (the work of `PointsClient.create`).
pub(crate) async fn create(options: JsValue) -> JsResult<JsValue> {
    let config = options::read(&options).await?;
    Ok(PointsClient {
        config: Rc::new(config),
    }
    .into())
}

/// Runs one operation.
pub(crate) async fn run(
    c: &options::Config,
    op: Op,
    input: JsValue,
    options: JsValue,
) -> JsResult<JsValue> {
    let fields = JsFields::new(input)?;
    let path = match op {
        Op::PointsDetails => points_details::PATH,
        Op::PointsExpirations => points_expirations::PATH,
        Op::PointsAdjustments => points_adjustment_history::PATH,
        Op::AdjustPoints => {
            let a = PointsAdjustment::read(&fields)?;
            let call = call_options(&options, false)?;
            return call::run(c, &a.request(&c.base_url), &call, Expect::Object).await;
        }
        Op::TransferPoints => {
            let t = PointsTransfer::read(&fields)?;
            let call = call_options(&options, false)?;
            return call::run(c, &t.request(&c.base_url), &call, Expect::Object).await;
        }
        Op::SearchUserReferences => {
            let s = UserSearch::read(&fields)?;
            let call = call_options(&options, false)?;
            let req = s.request(&c.user_management_base_url);
            return call::run(c, &req, &call, Expect::UserReferences).await;
        }
    };
    // The three reads: a BAN or BCN is looked up first.
    let q = UserQuery::read(&fields)?;
    let call = call_options(&options, true)?;
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

#[wasm_bindgen]
impl PointsClient {
    /// Checks the options and imports the keys (once, non-extractable). Rejects with
    /// `PointsConfigError` for a bad option and `PointsKeyError` for a bad key.
    #[wasm_bindgen(unchecked_return_type = "Promise<PointsClient>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "PointsClientOptions")] options: JsValue,
    ) -> Promise {
        spawn(Job::CreateClient(options))
    }

    /// The points balance (`GET /points-details`). A `BAN` or `BCN` is looked up first.
    #[wasm_bindgen(js_name = getPointsDetails, unchecked_return_type = "Promise<PointsDetails>")]
    pub fn get_points_details(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::PointsDetails, input.js_value(), options)
    }

    /// Points expiring soon and expired (`GET /points-expirations-details`).
    #[wasm_bindgen(js_name = getPointsExpirations, unchecked_return_type = "Promise<PointsExpirations>")]
    pub fn get_points_expirations(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::PointsExpirations, input.js_value(), options)
    }

    /// The history of manual adjustments (`GET /points-adjustments-details`).
    #[wasm_bindgen(js_name = getPointsAdjustments, unchecked_return_type = "Promise<PointsAdjustmentHistory>")]
    pub fn get_points_adjustments(
        &self,
        input: Ts<UserQuery>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::PointsAdjustments, input.js_value(), options)
    }

    /// Adds or takes points (`POST /points-adjustments`, encrypted). Never retried: on
    /// `PointsNetworkError`/`PointsTimeoutError` check `mayHaveBeenSent` before trying again.
    #[wasm_bindgen(js_name = adjustPoints, unchecked_return_type = "Promise<PointsAdjustmentResult>")]
    pub fn adjust_points(
        &self,
        input: Ts<PointsAdjustment>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::AdjustPoints, input.js_value(), options)
    }

    /// Moves points between two of a user's accounts (`POST /points-transfers`, encrypted).
    /// Never retried.
    #[wasm_bindgen(js_name = transferPoints, unchecked_return_type = "Promise<PointsTransferResult>")]
    pub fn transfer_points(
        &self,
        input: Ts<PointsTransfer>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::TransferPoints, input.js_value(), options)
    }

    /// User Account Management's identifier lookup (`POST /users/references/searches`,
    /// encrypted both ways).
    #[wasm_bindgen(js_name = searchUserReferences, unchecked_return_type = "Promise<UserReferences>")]
    pub fn search_user_references(
        &self,
        input: Ts<UserSearch>,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.start(Op::SearchUserReferences, input.js_value(), options)
    }
}

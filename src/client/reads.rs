//! The three reads (balance, expirations, history): a `BAN` or `BCN` is first looked up
//! (encrypted) for its RANAC or RANCU, so a card or customer number never goes into a URL.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::call::{self, Expect};
use super::options::Config;
use super::{call_options, fields};
use crate::failure::JsResult;
use crate::ops::list::Operation;
use crate::ops::search_user_references::{resolve, UserSearch};
use crate::ops::user_query::{read_request, UserQuery};

/// One of the three reads (`op`, under `baseUrl`): a BAN or BCN is looked up first, so a
/// card or customer number never goes into a URL.
pub(super) async fn read_points(
    c: Rc<Config>,
    op: &'static Operation,
    input: JsValue,
    options: JsValue,
) -> JsResult<JsValue> {
    let q: UserQuery = fields::read_input(&input)?;
    let call = call_options(&options, op)?;
    let (token, kind) = if q.needs_lookup() {
        let search = UserSearch::of(q.user_id.as_str(), q.user_id_type);
        let lookup = search.request(&c.user_management_base_url);
        let found = call::run(&c, &lookup, &call, Expect::UserReferences).await?;
        resolve(
            &call::rust_json(&found)?,
            q.user_id.as_str(),
            q.user_id_type,
        )?
    } else {
        (q.user_id.0, q.user_id_type)
    };
    let req = read_request(&c.base_url, op, &token, kind, &call.query);
    call::run(&c, &req, &call, Expect::Object).await
}

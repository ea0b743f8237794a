//! Mastercard's Errors envelope: `{"Errors":{"Error":[{"Source","ReasonCode","Description",
//! "Recoverable","Details"}]}}`, read tolerantly (a single item instead of an array, `Recoverable`
//! as a boolean or a string, `Details` a string, null or absent).

use crate::error::ApiErrorItem;
use crate::json::{self, Value};

/// The items of an error body; empty when the body is not the envelope (an HTML page from a
/// gateway, an empty body, other JSON).
pub fn parse(body: &str) -> Vec<ApiErrorItem> {
    let Ok(doc) = json::parse(body) else {
        return Vec::new();
    };
    let list = doc.get("Errors").and_then(|e| e.get("Error"));
    match list {
        Some(Value::Array(items)) => items.iter().filter_map(item).collect(),
        Some(single @ Value::Object(_)) => item(single).into_iter().collect(),
        _ => Vec::new(),
    }
}

fn item(v: &Value) -> Option<ApiErrorItem> {
    if !matches!(v, Value::Object(_)) {
        return None;
    }
    let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    let recoverable = match v.get("Recoverable") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Str(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::Str(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    Some(ApiErrorItem {
        source: text("Source"),
        reason_code: text("ReasonCode"),
        description: text("Description"),
        recoverable,
        details: text("Details"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_documented_shape() {
        let body = r#"{"Errors":{"Error":[
            {"Source":"Gateway","ReasonCode":"DECLINED","Description":"no access","Recoverable":false,"Details":null},
            {"Source":"PAS","ReasonCode":"X","Recoverable":"true","Details":"more"},
            {"ReasonCode":"Y","Recoverable":"FALSE"},
            "not an object"
        ]}}"#;
        let items = parse(body);
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].source.as_deref(), Some("Gateway"));
        assert_eq!(items[0].reason_code.as_deref(), Some("DECLINED"));
        assert_eq!(items[0].description.as_deref(), Some("no access"));
        assert_eq!(items[0].recoverable, Some(false));
        assert_eq!(items[0].details, None);
        assert_eq!(items[1].recoverable, Some(true));
        assert_eq!(items[1].details.as_deref(), Some("more"));
        assert_eq!(items[2].recoverable, Some(false));
        assert_eq!(items[2].source, None);
    }

    #[test]
    fn a_single_item_without_an_array_is_read() {
        let items = parse(r#"{"Errors":{"Error":{"ReasonCode":"ONE","Recoverable":true}}}"#);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].recoverable, Some(true));
    }

    #[test]
    fn anything_else_is_no_items() {
        for body in [
            "",
            "<html><body>502 Bad Gateway</body></html>",
            "{}",
            r#"{"Errors":{}}"#,
            r#"{"Errors":{"Error":"x"}}"#,
            r#"{"errors":[{"reasonCode":"lowercase"}]}"#,
            "[1,2]",
        ] {
            assert!(parse(body).is_empty(), "{body}");
        }
    }
}

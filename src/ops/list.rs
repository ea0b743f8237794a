//! The operations, declared once: name, method, path, service and whether a call may be sent
//! again. The requests (`ops/*`), the retry rule (`client/call.rs`), the client's bindings and,
//! through `pkg/web/operations.json` (written at build time by `examples/operations.rs`), the
//! proxy's route table and the JS tests read this list; the sandbox keeps routes of its own,
//! as the independent oracle it is. Adding an operation: CONTRIBUTING.md.

use crate::http::request::Method;
pub use crate::http::request::Retry;

/// Which of Mastercard's services answers, and so under which base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// The Points Activity Service, at `baseUrl`.
    Pas,
    /// User Account Management (the identifier lookup), at `userManagementBaseUrl`.
    Uam,
}

/// One operation of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The client's method name (`PointsClient.<name>`).
    pub name: &'static str,
    /// GET or POST.
    pub method: Method,
    /// The path under the service's base URL.
    pub path: &'static str,
    /// Which service.
    pub service: Service,
    /// Whether a failed call may be sent again.
    pub retry: Retry,
}

const fn op(
    name: &'static str,
    method: Method,
    path: &'static str,
    service: Service,
    retry: Retry,
) -> Operation {
    Operation {
        name,
        method,
        path,
        service,
        retry,
    }
}

/// `getPointsDetails`: the balance.
pub const POINTS_DETAILS: Operation = op(
    "getPointsDetails",
    Method::Get,
    "/points-details",
    Service::Pas,
    Retry::Safe,
);
/// `getPointsExpirations`: what expires when.
pub const POINTS_EXPIRATIONS: Operation = op(
    "getPointsExpirations",
    Method::Get,
    "/points-expirations-details",
    Service::Pas,
    Retry::Safe,
);
/// `getPointsAdjustments`: the adjustment history.
pub const POINTS_ADJUSTMENTS: Operation = op(
    "getPointsAdjustments",
    Method::Get,
    "/points-adjustments-details",
    Service::Pas,
    Retry::Safe,
);
/// `adjustPoints`: an agent's credit or debit.
pub const ADJUST_POINTS: Operation = op(
    "adjustPoints",
    Method::Post,
    "/points-adjustments",
    Service::Pas,
    Retry::Never,
);
/// `transferPoints`: between two accounts of one user.
pub const TRANSFER_POINTS: Operation = op(
    "transferPoints",
    Method::Post,
    "/points-transfers",
    Service::Pas,
    Retry::Never,
);
/// `searchUserReferences`: the identifier lookup (a POST that only reads).
pub const SEARCH_USER_REFERENCES: Operation = op(
    "searchUserReferences",
    Method::Post,
    "/users/references/searches",
    Service::Uam,
    Retry::Safe,
);

/// Every operation, in the order the README lists them.
pub const OPERATIONS: [Operation; 6] = [
    POINTS_DETAILS,
    POINTS_EXPIRATIONS,
    POINTS_ADJUSTMENTS,
    ADJUST_POINTS,
    TRANSFER_POINTS,
    SEARCH_USER_REFERENCES,
];

/// The list as JSON, for the JS side (`pkg/web/operations.json`).
pub fn to_json() -> String {
    let items: Vec<String> = OPERATIONS
        .iter()
        .map(|o| {
            crate::json::object(&[
                ("name", crate::json::Out::Str(o.name)),
                ("method", crate::json::Out::Str(o.method.as_str())),
                ("path", crate::json::Out::Str(o.path)),
                (
                    "service",
                    crate::json::Out::Str(if o.service == Service::Pas {
                        "PAS"
                    } else {
                        "UAM"
                    }),
                ),
                (
                    "retry",
                    crate::json::Out::Str(if o.retry == Retry::Safe {
                        "safe"
                    } else {
                        "never"
                    }),
                ),
            ])
        })
        .collect();
    let mut out = String::from("[\n");
    out.push_str(&items.join(",\n"));
    out.push_str("\n]\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_routes_are_unique_and_writes_are_never_retried() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert!(
                    a.method != b.method || a.path != b.path || a.service != b.service,
                    "{} and {}",
                    a.name,
                    b.name
                );
            }
            // A POST to PAS writes; the lookup is the one POST that only reads.
            assert_eq!(
                a.retry == Retry::Never,
                a.method == Method::Post && a.service == Service::Pas,
                "{}",
                a.name
            );
        }
        let json = to_json();
        assert!(json.contains(r#""name":"transferPoints","method":"POST","path":"/points-transfers","service":"PAS","retry":"never""#), "{json}");
    }
}

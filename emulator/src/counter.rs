//! Counts requests by method and route template (axum's `MatchedPath`), for benchmarks and
//! tests that assert how many calls a client made. Admin routes are not counted.

use std::collections::BTreeMap;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::state::AppState;

/// Request counts since start or the last reset.
#[derive(Default, Serialize, Clone, Debug)]
pub struct Counter {
    /// Every non-admin request, matched or not.
    pub total: u64,
    /// Matched requests keyed by `"METHOD /route/{template}"`.
    pub routes: BTreeMap<String, u64>,
    /// Every non-admin answer keyed by its status code (`"200"`, `"429"`, …); a connection
    /// closed unanswered counts under the status the handler produced.
    pub statuses: BTreeMap<String, u64>,
    /// Wrap-up writes the emulator performed (stored), keyed by participant ID: a POST or
    /// PATCH refused by a fault or a rule is not counted, one performed and then dropped is.
    pub wrapup_writes: BTreeMap<String, u64>,
}

/// The route key for a method and template: `"GET /api/v2/routing/wrapupcodes/{codeId}"`.
pub fn route_key(method: &axum::http::Method, template: &str) -> String {
    format!("{method} {template}")
}

/// Middleware: counts the request before anything else can answer it, and its answer's status.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with(crate::app::ADMIN_PREFIX) {
        return next.run(request).await;
    }
    {
        let key = request
            .extensions()
            .get::<MatchedPath>()
            .map(|p| route_key(request.method(), p.as_str()));
        let mut world = state.world();
        world.counter.total += 1;
        if let Some(key) = key {
            *world.counter.routes.entry(key).or_default() += 1;
        }
    }
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    *state.world().counter.statuses.entry(status).or_default() += 1;
    response
}

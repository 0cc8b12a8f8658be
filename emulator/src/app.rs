//! Wires routes and middleware into one router.

use axum::Router;
use axum::http::Uri;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;

use crate::error::ApiError;
use crate::state::AppState;
use crate::{admin_guard, auth, counter, faults, rate_limit, routes};

/// Path prefix of the emulator's own admin API.
pub const ADMIN_PREFIX: &str = "/__emulator/";

/// The complete application: login host, Platform API and admin API.
///
/// Per request, outermost first: request counter, faults (latency, fail-next-N, dropped
/// connections), the `ININ-Correlation-Id` every platform answer carries, then for `/api/v2` the bearer check and the per-token rate limit.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(routes::wrapup_codes::routes())
        .merge(routes::divisions::routes())
        .merge(routes::queue_wrapup_codes::routes())
        .merge(routes::conversations::routes())
        .merge(routes::analytics::routes())
        .merge(routes::routing_queues::routes())
        .merge(routes::organization::routes())
        .route_layer(from_fn_with_state(state.clone(), rate_limit::enforce))
        .route_layer(from_fn_with_state(state.clone(), auth::require_bearer));
    let public = Router::new()
        .merge(api)
        .merge(routes::oauth::routes())
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(map_response(with_correlation_id))
        .layer(from_fn_with_state(state.clone(), faults::apply))
        .layer(from_fn_with_state(state.clone(), counter::count));
    let admin = Router::new()
        .merge(routes::admin::routes())
        .merge(routes::admin_divisions::routes())
        .merge(routes::admin_seed::routes())
        .route_layer(from_fn_with_state(state.clone(), admin_guard::enforce));
    public
        .merge(admin)
        .merge(routes::health::routes())
        .with_state(state)
}

/// The platform tags every answer, success or error, with a correlation id; errors already
/// carry theirs (it equals the body's `contextId`).
async fn with_correlation_id(mut response: Response) -> Response {
    let name = HeaderName::from_static("inin-correlation-id");
    if !response.headers().contains_key(&name)
        && let Ok(value) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
    {
        response.headers_mut().insert(name, value);
    }
    response
}

async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method.not.allowed",
        format!("{method} is not supported on {}.", uri.path()),
    )
}

async fn unknown_route(uri: Uri) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "not.found",
        format!("No resource is served at {}.", uri.path()),
    )
}

//! `/api/v2/organizations/limits/namespaces/{namespaceName}`: the org's effective limits in a
//! namespace (LimitsEntityListing). Only `platform.api` is modelled; its per-token rate is the
//! emulator's `--rate-limit` (the platform's default, 300, when the emulator has none).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::state::AppState;

/// The namespace of the Platform API's request limits.
pub const PLATFORM_API: &str = "platform.api";

/// The platform's default per-token limit, served when `--rate-limit` is not set.
pub const DEFAULT_TOKEN_RATE: u32 = 300;

/// Routes for the org's limits.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/v2/organizations/limits/namespaces/{namespaceName}",
        get(namespace_limits),
    )
}

async fn namespace_limits(
    State(state): State<AppState>,
    Path(namespace): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if namespace != PLATFORM_API {
        return Err(ApiError::not_found("limits namespace", &namespace));
    }
    let token_rate = state
        .config()
        .rate_limit_per_minute
        .unwrap_or(DEFAULT_TOKEN_RATE);
    let limit =
        |key: &str, value: u64| json!({ "key": key, "namespace": PLATFORM_API, "value": value });
    Ok(Json(json!({
        "entities": [
            limit("client.credentials.token.rate.per.minute", u64::from(token_rate)),
            limit("org.app.user.rate.per.minute", 3000),
            limit("request.bytes.max", 512_000),
            limit("token.rate.per.minute", 300),
        ]
    })))
}

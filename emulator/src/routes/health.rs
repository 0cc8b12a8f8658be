//! `GET /__emulator/health`: 200 once the emulator serves (after its seed file, if any, was
//! applied). Open to every peer and left out of the request counts, so a container
//! healthcheck neither needs the admin API nor shows in a test's call counts.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::state::AppState;

/// Path of the health endpoint; the `healthcheck` subcommand calls it.
pub const HEALTH_PATH: &str = "/__emulator/health";

/// The health route.
pub fn routes() -> Router<AppState> {
    Router::new().route(HEALTH_PATH, get(health))
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

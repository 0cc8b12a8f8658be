//! `POST /__emulator/seed`: a whole seed file ([`crate::seed_file`]) posted to a running
//! emulator, for when the file is not there at start (a CI `services:` container starts
//! before the checkout). Each entry goes through its own admin route, as at start.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::seed_file::{SeedFile, apply_entries};
use crate::state::AppState;

/// The admin route applying a seed document; `app` guards it like the other admin routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/__emulator/seed", post(seed))
}

async fn seed(
    State(state): State<AppState>,
    JsonBody(seed): JsonBody<SeedFile>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let app = crate::app::router(state);
    apply_entries(&app, &seed).await.map_err(|refusal| {
        ApiError::invalid_value(
            &format!("{}[{}]", refusal.section, refusal.index),
            format!(
                "{}[{}] was refused ({}): {}; the entries before it were applied.",
                refusal.section, refusal.index, refusal.status, refusal.message
            ),
        )
    })?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "divisions": seed.divisions.len(),
            "wrapupCodes": seed.wrapup_codes.len(),
            "queues": seed.queues.len(),
            "conversations": seed.conversations.len(),
        })),
    ))
}

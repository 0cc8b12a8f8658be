//! `POST /__emulator/conversations/bulk`: seeds many conversations in one request (a day of
//! 100,000 takes seconds, not 100,000 round trips). The body is a JSON array of the objects
//! `POST /__emulator/conversations` takes, or `{"conversations": [...]}` holding one; the
//! answer lists each conversation's ids in the same shape, in order. All or nothing: the first
//! invalid conversation refuses the whole request, naming its index.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::routes::admin::{SeedConversation, seed_into};
use crate::state::AppState;

/// Largest bulk seed body: about 100,000 conversations of two participants.
const MAX_BULK_BODY_BYTES: usize = 256 * 1024 * 1024;

/// The bulk seed route (merged into the admin routes, behind their loopback guard).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/__emulator/conversations/bulk", post(seed_bulk))
        .layer(DefaultBodyLimit::max(MAX_BULK_BODY_BYTES))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum BulkSeed {
    List(Vec<SeedConversation>),
    Wrapped {
        conversations: Vec<SeedConversation>,
    },
}

async fn seed_bulk(
    State(state): State<AppState>,
    JsonBody(seed): JsonBody<BulkSeed>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (BulkSeed::List(seeds)
    | BulkSeed::Wrapped {
        conversations: seeds,
    }) = seed;
    state.mutate(|world| {
        let before = world.store.clone();
        let mut seeded = Vec::with_capacity(seeds.len());
        for (index, seed) in seeds.into_iter().enumerate() {
            match seed_into(world, seed, &format!("conversations[{index}].")) {
                Ok(ids) => seeded.push(ids),
                Err(error) => {
                    world.store = before;
                    return Err(error);
                }
            }
        }
        world.details_index.invalidate();
        Ok((
            StatusCode::CREATED,
            Json(json!({ "seeded": seeded.len(), "conversations": seeded })),
        ))
    })
}

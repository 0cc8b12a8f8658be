//! `/api/v2/routing/queues/{queueId}/wrapupcodes`: the codes assigned to a queue.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{JsonBody, QueryPairs, parse_id};
use crate::paging::{Listing, Page, listing_page};
use crate::routes::wrapup_codes::{name_matches, view};
use crate::state::AppState;
use crate::store::WrapupCode;

/// Routes for queue wrap-up code assignment.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/routing/queues/{queueId}/wrapupcodes",
            get(list).post(add),
        )
        .route(
            "/api/v2/routing/queues/{queueId}/wrapupcodes/{codeId}",
            delete(remove),
        )
}

async fn list(
    State(state): State<AppState>,
    Path(queue_id): Path<String>,
    uri: axum::http::Uri,
    query: QueryPairs,
) -> Result<Json<Listing<Value>>, ApiError> {
    let id = parse_id(&queue_id, "queue")?;
    let page = Page::from_query(&query.0)?;
    let name = query.name_filter();
    let world = state.world();
    let queue = world
        .store
        .queues
        .get(&id)
        .ok_or_else(|| ApiError::not_found("queue", &queue_id))?;
    let mut codes: Vec<&WrapupCode> = queue
        .wrapup_codes
        .iter()
        .filter_map(|c| world.store.wrapup_codes.get(c))
        .filter(|c| name.is_none_or(|n| name_matches(n, &c.name)))
        .collect();
    codes.sort_by_key(|c| c.name_key());
    let views = codes.iter().map(|c| view(&world.store, c)).collect();
    Ok(listing_page(views, page, &uri, &query))
}

/// Most codes one POST may add: the SDK's summary of the operation is "Add up to 100 wrap-up
/// codes to a queue". The status and message of the refusal are assumed (emulator/README.md).
pub const MAX_CODES_PER_ADD: usize = 100;

/// One element of the POST body (WrapUpCodeReference).
#[derive(Deserialize)]
struct CodeReference {
    id: Option<String>,
}

async fn add(
    State(state): State<AppState>,
    Path(queue_id): Path<String>,
    JsonBody(body): JsonBody<Vec<CodeReference>>,
) -> Result<Json<Vec<Value>>, ApiError> {
    let id = parse_id(&queue_id, "queue")?;
    if body.len() > MAX_CODES_PER_ADD {
        return Err(ApiError::bad_request(format!(
            "A maximum of {MAX_CODES_PER_ADD} wrap-up codes may be added to a queue per \
             request; this request has {}.",
            body.len()
        ))
        .with_param("limit", MAX_CODES_PER_ADD.to_string()));
    }
    state.mutate(|world| {
        if !world.store.queues.contains_key(&id) {
            return Err(ApiError::not_found("queue", &queue_id));
        }
        let mut added = Vec::new();
        for (i, reference) in body.iter().enumerate() {
            let raw = reference.id.as_deref().unwrap_or("");
            let code = Uuid::parse_str(raw)
                .ok()
                .filter(|c| world.store.wrapup_codes.contains_key(c))
                .ok_or_else(|| {
                    ApiError::invalid_value(
                        &format!("[{i}].id"),
                        format!("The wrap-up code '{raw}' does not exist."),
                    )
                    .with_entity_id(raw)
                })?;
            added.push(code);
        }
        let queue = world
            .store
            .queues
            .get_mut(&id)
            .expect("queue presence was checked under the same lock");
        for code in &added {
            if !queue.wrapup_codes.contains(code) {
                queue.wrapup_codes.push(*code);
            }
        }
        Ok(Json(
            added
                .iter()
                .filter_map(|c| world.store.wrapup_codes.get(c))
                .map(|c| view(&world.store, c))
                .collect(),
        ))
    })
}

async fn remove(
    State(state): State<AppState>,
    Path((queue_id, code_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = parse_id(&queue_id, "queue")?;
    let code = parse_id(&code_id, "wrap-up code")?;
    state.mutate(|world| {
        let queue = world
            .store
            .queues
            .get_mut(&id)
            .ok_or_else(|| ApiError::not_found("queue", &queue_id))?;
        if !queue.wrapup_codes.contains(&code) {
            return Err(ApiError::not_found("wrap-up code", &code_id));
        }
        queue.wrapup_codes.retain(|c| *c != code);
        Ok(StatusCode::NO_CONTENT)
    })
}

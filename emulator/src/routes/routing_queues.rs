//! `/api/v2/routing/queues` and `/api/v2/routing/queues/{queueId}`: queues by name, id or
//! division (QueueEntityListing) and by id (Queue).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::{QueryPairs, parse_id};
use crate::paging::{Listing, Page, listing_page};
use crate::state::AppState;
use crate::store::{Queue, Store};

/// Routes for reading queues.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v2/routing/queues", get(list))
        .route("/api/v2/routing/queues/{queueId}", get(one))
}

/// A queue as the platform shows it (the fields the emulator keeps).
fn view(store: &Store, q: &Queue) -> Value {
    let division = store.division(q.division_id);
    json!({
        "id": q.id,
        "name": q.name,
        "division": {
            "id": q.division_id,
            "name": division.map(|d| d.name.as_str()).unwrap_or(""),
            "selfUri": format!("/api/v2/authorization/divisions/{}", q.division_id),
        },
        "memberCount": 0,
        "userMemberCount": 0,
        "joinedMemberCount": 0,
        "scoringMethod": "TimestampAndPriority",
        "skillEvaluationMethod": "ALL",
        "autoAnswerOnly": false,
        "enableTranscription": false,
        "enableManualAssignment": false,
        "selfUri": format!("/api/v2/routing/queues/{}", q.id),
    })
}

/// The queue name filter: case-insensitive, with leading and trailing `*` as wildcards.
fn queue_name_matches(filter: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    let filter = filter.to_lowercase();
    let core = filter.trim_matches('*');
    match (filter.starts_with('*'), filter.ends_with('*')) {
        (true, true) => name.contains(core),
        (true, false) => name.ends_with(core),
        (false, true) => name.starts_with(core),
        (false, false) => name == core,
    }
}

async fn list(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    query: QueryPairs,
) -> Result<Json<Listing<Value>>, ApiError> {
    let page = Page::from_query(&query.0)?;
    let name = query.name_filter();
    let ids = query.id_filter("id");
    let divisions = query.id_filter("divisionId");
    let descending = query.descending()?;
    let world = state.world();
    let mut queues: Vec<&Queue> = world
        .store
        .queues
        .values()
        .filter(|q| name.is_none_or(|n| queue_name_matches(n, &q.name)))
        .filter(|q| ids.admits(&q.id))
        .filter(|q| divisions.admits(&q.division_id))
        .collect();
    queues.sort_by_key(|q| (q.name.to_lowercase(), q.id));
    if descending {
        queues.reverse();
    }
    let views = queues.iter().map(|q| view(&world.store, q)).collect();
    Ok(listing_page(views, page, &uri, &query))
}

async fn one(
    State(state): State<AppState>,
    Path(queue_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&queue_id, "queue")?;
    let world = state.world();
    let queue = world
        .store
        .queues
        .get(&id)
        .ok_or_else(|| ApiError::not_found("queue", &queue_id))?;
    Ok(Json(view(&world.store, queue)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_filter_is_exact_or_wildcarded_at_either_end() {
        assert!(queue_name_matches("support", "Support"));
        assert!(!queue_name_matches("Support", "Support EU"));
        assert!(queue_name_matches("Support*", "Support EU"));
        assert!(queue_name_matches("*EU", "Support EU"));
        assert!(queue_name_matches("*port*", "Support EU"));
        assert!(!queue_name_matches("*sales*", "Support EU"));
    }
}

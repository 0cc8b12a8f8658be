//! `/api/v2/routing/queues` and `/api/v2/routing/queues/{queueId}`: queues by name, id or
//! division (QueueEntityListing) and by id (Queue).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::extract::{QueryPairs, parse_id};
use crate::paging::{Listing, Page, paginate};
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
    let name = query.get("name").filter(|n| !n.is_empty());
    let ids = query.all("id");
    let divisions = query.all("divisionId");
    let world = state.world();
    let mut queues: Vec<&Queue> = world
        .store
        .queues
        .values()
        .filter(|q| name.is_none_or(|n| queue_name_matches(n, &q.name)))
        .filter(|q| ids.is_empty() || ids.contains(&q.id.to_string()))
        .filter(|q| divisions.is_empty() || divisions.contains(&q.division_id.to_string()))
        .collect();
    queues.sort_by_key(|q| (q.name.to_lowercase(), q.id));
    if query
        .get("sortOrder")
        .is_some_and(|o| o.eq_ignore_ascii_case("desc") || o.eq_ignore_ascii_case("descending"))
    {
        queues.reverse();
    }
    let views = queues.iter().map(|q| view(&world.store, q)).collect();
    Ok(Json(paginate(
        views,
        page,
        uri.path(),
        &query.without_paging(),
    )))
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

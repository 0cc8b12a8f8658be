//! `/api/v2/analytics/conversations/...`: the details query (paged, with interval and
//! filters), the multi-get by id and the single-conversation details read.

use std::collections::HashSet;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::analytics::index::reads_wrapups;
use crate::analytics::query::{
    ConversationQuery, Interval, Level, QueryPage, check_filters, matches,
};
use crate::analytics::view::{self, Conversations, ViewScope};
use crate::error::ApiError;
use crate::extract::{JsonBody, QueryPairs, parse_id};
use crate::state::{AppState, World};
use crate::store::Conversation;

/// Most conversation ids one multi-get accepts.
pub const MAX_MULTI_GET_IDS: usize = 100;

/// Routes for analytics conversation details.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v2/analytics/conversations/details/query",
            post(details_query),
        )
        .route("/api/v2/analytics/conversations/details", get(multi_get))
        .route(
            "/api/v2/analytics/conversations/{conversationId}/details",
            get(single),
        )
}

fn started(raw: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(raw, &Rfc3339).ok()
}

/// Whether `c` passes the query's filters, read on its view in `scope`.
fn passes<'a>(scope: ViewScope<'a>, c: &'a Conversation, query: &ConversationQuery) -> bool {
    matches(
        &scope.conversation(c),
        &query.conversation_filters,
        &query.segment_filters,
    )
}

async fn details_query(
    State(state): State<AppState>,
    JsonBody(query): JsonBody<ConversationQuery>,
) -> Result<Response, ApiError> {
    let raw = query
        .interval
        .as_deref()
        .ok_or_else(|| ApiError::invalid_value("interval", "An interval is required."))?;
    let interval = Interval::parse(raw)?;
    check_filters(&query.conversation_filters, Level::Conversation)?;
    check_filters(&query.segment_filters, Level::Segment)?;
    let page = QueryPage::from_spec(query.paging)?;
    let descending = match query.order.as_deref() {
        None | Some("asc") | Some("unordered") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::invalid_value(
                "order",
                format!("Order '{other}' is not valid: use asc, desc or unordered."),
            ));
        }
    };
    let by_end = match query.order_by.as_deref() {
        None | Some("conversationStart") | Some("segmentStart") => false,
        Some("conversationEnd") | Some("segmentEnd") => true,
        Some(other) => {
            return Err(ApiError::invalid_value(
                "orderBy",
                format!("orderBy '{other}' is not valid."),
            ));
        }
    };
    let mut world = state.world();
    let indexed = !by_end
        && !reads_wrapups(&query.conversation_filters)
        && !reads_wrapups(&query.segment_filters);
    let ids: Vec<Uuid> = if indexed {
        // Served from the start-time index; the filters run once per distinct query.
        let key = format!(
            "{}|{:?}|{:?}",
            interval.start.unix_timestamp_nanos(),
            interval.end.unix_timestamp_nanos(),
            (&query.conversation_filters, &query.segment_filters)
        );
        let mut index = std::mem::take(&mut world.details_index);
        let scope = ViewScope::new(&world);
        let found = index.matches(&world.store, &interval, key, |c| passes(scope, c, &query));
        world.details_index = index;
        let total = found.len();
        let skip = usize::try_from((page.number - 1) * page.size).unwrap_or(usize::MAX);
        let take = page.size as usize;
        let page_ids: Vec<Uuid> = if descending {
            found.iter().rev().skip(skip).take(take).copied().collect()
        } else {
            found.iter().skip(skip).take(take).copied().collect()
        };
        return page_answer(&world, total, &page_ids);
    } else {
        let scope = ViewScope::new(&world);
        let mut hits: Vec<(String, Uuid)> = world
            .store
            .conversations
            .values()
            .filter(|c| started(&c.start_time).is_some_and(|s| interval.selects_start(s)))
            .filter(|c| passes(scope, c, &query))
            .map(|c| {
                let key = if by_end {
                    view::conversation_end(c).unwrap_or("~").to_owned()
                } else {
                    c.start_time.clone()
                };
                (key, c.id)
            })
            .collect();
        hits.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        if descending {
            hits.reverse();
        }
        hits.into_iter().map(|(_, id)| id).collect()
    };
    let total = ids.len();
    let skip = usize::try_from((page.number - 1) * page.size).unwrap_or(usize::MAX);
    let page_ids: Vec<Uuid> = ids
        .into_iter()
        .skip(skip)
        .take(page.size as usize)
        .collect();
    page_answer(&world, total, &page_ids)
}

/// One page of a details query: the views of `ids` and the total.
fn page_answer(world: &World, total: usize, ids: &[Uuid]) -> Result<Response, ApiError> {
    /// The platform leaves `conversations` out of an answer without any.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page<'a> {
        #[serde(skip_serializing_if = "Conversations::is_empty")]
        conversations: Conversations<'a>,
        total_hits: usize,
    }
    let page = Page {
        conversations: ViewScope::new(world).conversations(ids),
        total_hits: total,
    };
    json_answer(&page, ids.len())
}

/// A 200 answer with `answer` serialized straight to its JSON body; `views` (how many
/// conversation views it holds) sizes the buffer.
fn json_answer(answer: &impl Serialize, views: usize) -> Result<Response, ApiError> {
    let bytes = view::to_json_bytes(answer, 64 + views * view::VIEW_BYTES_HINT).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal.server.error",
            format!("The answer could not be written: {e}"),
        )
    })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response())
}

async fn multi_get(State(state): State<AppState>, query: QueryPairs) -> Result<Response, ApiError> {
    let raw_ids = query.all("id");
    if raw_ids.is_empty() {
        return Err(ApiError::invalid_value(
            "id",
            "At least one conversation id is required in 'id'.",
        ));
    }
    if raw_ids.len() > MAX_MULTI_GET_IDS {
        return Err(ApiError::invalid_value(
            "id",
            format!(
                "{} conversation ids were requested; at most {MAX_MULTI_GET_IDS} are allowed.",
                raw_ids.len()
            ),
        )
        .with_param("limit", MAX_MULTI_GET_IDS.to_string()));
    }
    let mut ids = Vec::with_capacity(raw_ids.len());
    let mut seen = HashSet::with_capacity(raw_ids.len());
    for raw in &raw_ids {
        let id = Uuid::parse_str(raw).map_err(|_| {
            ApiError::invalid_value("id", format!("'{raw}' is not a conversation id."))
        })?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    #[derive(Serialize)]
    struct MultiGet<'a> {
        conversations: Conversations<'a>,
    }
    let world = state.world();
    // Ids analytics does not know are left out of the answer.
    let answer = MultiGet {
        conversations: ViewScope::new(&world).conversations(&ids),
    };
    json_answer(&answer, ids.len())
}

async fn single(
    State(state): State<AppState>,
    Path(conversation_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&conversation_id, "conversation")?;
    let world = state.world();
    let c = world
        .store
        .conversations
        .get(&id)
        .ok_or_else(|| ApiError::not_found("conversation", &conversation_id))?;
    json_answer(&ViewScope::new(&world).conversation(c), 1)
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::{Method, Request, StatusCode, header};
    use serde_json::json;
    use tower::ServiceExt;

    use crate::analytics::fixture::{ENDED, LIVE, PINNED, state};

    /// The body of one authenticated request to the whole app, checked to be 200 JSON.
    async fn answer(method: Method, uri: &str, body: Option<serde_json::Value>) -> String {
        let state = state();
        let token = state
            .world()
            .tokens
            .issue("emulator-client", std::time::Duration::from_secs(60));
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let response = crate::app::router(state)
            .oneshot(request.body(body).expect("request"))
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(
            response
                .headers()
                .get(header::CONTENT_TYPE)
                .map(|v| v.as_bytes()),
            Some(&b"application/json"[..]),
            "{uri}"
        );
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }

    fn pinned() -> (&'static str, &'static str) {
        let mut lines = PINNED.lines();
        (
            lines.next().expect("ended line"),
            lines.next().expect("live line"),
        )
    }

    async fn query(body: serde_json::Value) -> String {
        answer(
            Method::POST,
            "/api/v2/analytics/conversations/details/query",
            Some(body),
        )
        .await
    }

    #[tokio::test]
    async fn a_details_query_page_is_pinned_to_the_byte() {
        let (ended, live) = pinned();
        let day = "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z";
        let page = json!({"interval": day, "paging": {"pageSize": 100, "pageNumber": 1}});
        assert_eq!(
            query(page).await,
            format!(r#"{{"conversations":[{ended},{live}],"totalHits":2}}"#)
        );
        let desc = json!({"interval": day, "order": "desc"});
        assert_eq!(
            query(desc).await,
            format!(r#"{{"conversations":[{live},{ended}],"totalHits":2}}"#)
        );
        // Not from the index: ordered by end, filtered on a wrap-up dimension.
        let coded = json!({"interval": day, "orderBy": "conversationEnd", "segmentFilters": [
            {"type": "and", "predicates": [{"dimension": "wrapUpCode", "operator": "exists"}]}
        ]});
        assert_eq!(
            query(coded).await,
            format!(r#"{{"conversations":[{ended}],"totalHits":1}}"#)
        );
        let past_the_end = json!({"interval": day, "paging": {"pageSize": 2, "pageNumber": 2}});
        assert_eq!(query(past_the_end).await, r#"{"totalHits":2}"#);
        let other_day = json!({"interval": "2026-12-02T00:00:00Z/2026-12-03T00:00:00Z"});
        assert_eq!(query(other_day).await, r#"{"totalHits":0}"#);
    }

    #[tokio::test]
    async fn a_multi_get_and_a_single_read_are_pinned_to_the_byte() {
        let (ended, live) = pinned();
        let unknown = uuid::Uuid::from_u128(0xff);
        let uri = format!(
            "/api/v2/analytics/conversations/details?id={LIVE},{unknown}&id={ENDED}&id={LIVE}"
        );
        assert_eq!(
            answer(Method::GET, &uri, None).await,
            format!(r#"{{"conversations":[{live},{ended}]}}"#)
        );
        let none = format!("/api/v2/analytics/conversations/details?id={unknown}");
        assert_eq!(
            answer(Method::GET, &none, None).await,
            r#"{"conversations":[]}"#
        );
        let single = format!("/api/v2/analytics/conversations/{ENDED}/details");
        assert_eq!(answer(Method::GET, &single, None).await, ended);
    }
}

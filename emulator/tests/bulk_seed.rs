//! Bulk seeding (`POST /__emulator/conversations/bulk`) and the details query served from its
//! start-time index: paging, filters, and wrap-up writes seen by wrap-up filters at once.

mod common;

use common::{Emu, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn seed(queue: &str, start: &str, agent_state: &str) -> Value {
    json!({
        "mediaType": "call",
        "startTime": start,
        "participants": [
            {"purpose": "customer", "state": "disconnected"},
            {"purpose": "agent", "state": agent_state, "queueId": queue, "wrapupRequired": true}
        ]
    })
}

async fn query(emu: &Emu, body: Value) -> Value {
    let response = emu
        .api(
            Method::POST,
            "/api/v2/analytics/conversations/details/query",
        )
        .json(&body)
        .send()
        .await
        .expect("query answers");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("query answer is JSON")
}

fn day_query(page_number: u32, segment_filters: Value) -> Value {
    json!({
        "interval": "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z",
        "order": "asc",
        "orderBy": "conversationStart",
        "paging": {"pageSize": 2, "pageNumber": page_number},
        "segmentFilters": segment_filters
    })
}

fn ids(page: &Value) -> Vec<String> {
    page["conversations"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|c| c["conversationId"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_bulk_seed_pages_in_start_order_and_filters_see_writes_at_once() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let (queue, other) = (
        emu.queue_with(&[&code]).await,
        emu.queue_with(&[&code]).await,
    );
    let body = json!([
        seed(&queue, "2026-11-30T12:00:00.000Z", "disconnected"),
        seed(&queue, "2026-11-30T09:00:00.000Z", "disconnected"),
        seed(&other, "2026-11-30T10:00:00.000Z", "disconnected"),
        seed(&queue, "2026-12-01T09:00:00.000Z", "disconnected"),
        seed(&queue, "2026-11-30T11:00:00.000Z", "connected"),
    ]);
    let response = emu
        .admin(Method::POST, "/__emulator/conversations/bulk")
        .json(&body)
        .send()
        .await
        .expect("bulk seed answers");
    assert_eq!(response.status(), StatusCode::CREATED);
    let seeded: Value = response.json().await.expect("JSON");
    assert_eq!(seeded["seeded"], 5);
    let id = |i: usize| {
        seeded["conversations"][i]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    let first = query(&emu, day_query(1, json!([]))).await;
    assert_eq!(first["totalHits"], 4);
    assert_eq!(ids(&first), [id(1), id(2)]);
    let second = query(&emu, day_query(2, json!([]))).await;
    assert_eq!(ids(&second), [id(4), id(0)]);

    let on_queue = json!([{"type": "or", "predicates": [
        {"type": "dimension", "dimension": "queueId", "operator": "matches", "value": queue}
    ]}]);
    let page = query(&emu, day_query(1, on_queue.clone())).await;
    assert_eq!(page["totalHits"], 3);
    assert_eq!(ids(&page), [id(1), id(4)]);

    // The connected agent hangs up: the cached matches of the same query follow.
    let agent = seeded["conversations"][4]["participants"][1]["participantId"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = emu
        .admin(
            Method::PATCH,
            &format!("/__emulator/conversations/{}/participants/{agent}", id(4)),
        )
        .json(&json!({"state": "disconnected"}))
        .send()
        .await
        .expect("state change answers");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let ended = json!([{"type": "and", "predicates": [
        {"type": "dimension", "dimension": "segmentType", "operator": "matches", "value": "wrapup"}
    ]}]);
    assert_eq!(query(&emu, day_query(1, ended)).await["totalHits"], 4);

    // A wrap-up filter is evaluated afresh: a write shows on the next page read.
    let coded = json!([{"type": "and", "predicates": [
        {"type": "dimension", "dimension": "wrapUpCode", "operator": "exists"}
    ]}]);
    assert_eq!(
        query(&emu, day_query(1, coded.clone())).await["totalHits"],
        0
    );
    let participants = &seeded["conversations"][1]["participants"][1];
    let path = format!(
        "/api/v2/conversations/calls/{}/participants/{}/communications/{}/wrapup",
        id(1),
        participants["participantId"].as_str().unwrap(),
        participants["communicationId"].as_str().unwrap()
    );
    let response = emu
        .api(Method::POST, &path)
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .expect("write answers");
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(query(&emu, day_query(1, coded)).await["totalHits"], 1);
}

#[tokio::test]
async fn one_invalid_conversation_refuses_the_whole_bulk_seed() {
    let emu = Emu::start().await;
    let queue = uuid::Uuid::new_v4().to_string();
    let response = emu
        .admin(Method::POST, "/__emulator/conversations/bulk")
        .json(&json!({"conversations": [
            seed(&queue, "2026-11-30T09:00:00.000Z", "disconnected"),
            {"mediaType": "pigeon", "participants": [{"purpose": "agent"}]}
        ]}))
        .send()
        .await
        .expect("bulk seed answers");
    let body = expect_error(response, 400, "invalid.value").await;
    assert!(
        body.to_string().contains("conversations[1].mediaType"),
        "{body}"
    );
    assert_eq!(query(&emu, day_query(1, json!([]))).await["totalHits"], 0);
}

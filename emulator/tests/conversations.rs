//! Seeded conversations: reads, participant wrap-up codes, and wrap-up writes with the rules.

mod common;

use common::{Emu, expect_error};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Seeded {
    conversation: String,
    agent: String,
    communication: String,
    customer: String,
    customer_communication: String,
}

async fn seed_one(emu: &Emu, media: &str, agent_state: &str, queue: &str) -> Seeded {
    let seeded = emu
        .seed(json!({
            "mediaType": media,
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": agent_state, "queueId": queue, "wrapupRequired": true, "name": "Agent A"}
            ]
        }))
        .await;
    let id = |v: &Value| v.as_str().unwrap().to_owned();
    Seeded {
        conversation: id(&seeded["conversationId"]),
        customer: id(&seeded["participants"][0]["participantId"]),
        customer_communication: id(&seeded["participants"][0]["communicationId"]),
        agent: id(&seeded["participants"][1]["participantId"]),
        communication: id(&seeded["participants"][1]["communicationId"]),
    }
}

fn wrapup_path(media: &str, s: &Seeded) -> String {
    format!(
        "/api/v2/conversations/{media}/{}/participants/{}/communications/{}/wrapup",
        s.conversation, s.agent, s.communication
    )
}

async fn get_json(emu: &Emu, path: &str) -> Value {
    let response = emu.api(Method::GET, path).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn generic_and_media_views_show_participants_and_communications() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let s = seed_one(&emu, "call", "disconnected", &queue).await;
    let generic = get_json(&emu, &format!("/api/v2/conversations/{}", s.conversation)).await;
    assert_eq!(generic["id"], s.conversation);
    assert_eq!(generic["state"], "disconnected");
    let agent = &generic["participants"][1];
    assert_eq!(agent["id"], s.agent);
    assert_eq!(agent["purpose"], "agent");
    assert_eq!(agent["queueId"], queue);
    assert_eq!(agent["queueName"], "Support");
    assert_eq!(agent["wrapupRequired"], true);
    assert_eq!(agent["calls"][0]["id"], s.communication);
    assert_eq!(agent["calls"][0]["state"], "disconnected");
    assert_eq!(agent["calls"][0]["afterCallWork"]["state"], "pending");
    assert!(agent["endTime"].is_string());

    let call = get_json(
        &emu,
        &format!("/api/v2/conversations/calls/{}", s.conversation),
    )
    .await;
    assert_eq!(call["participants"][1]["state"], "disconnected");
    assert_eq!(call["participants"][1]["queue"]["id"], queue);
    assert_eq!(
        call["selfUri"],
        format!("/api/v2/conversations/calls/{}", s.conversation)
    );

    let wrong_media = emu
        .api(
            Method::GET,
            &format!("/api/v2/conversations/emails/{}", s.conversation),
        )
        .send()
        .await
        .unwrap();
    expect_error(wrong_media, 404, "not.found").await;
    let missing = emu
        .api(
            Method::GET,
            &format!("/api/v2/conversations/{}", uuid::Uuid::new_v4()),
        )
        .send()
        .await
        .unwrap();
    expect_error(missing, 404, "not.found").await;
}

#[tokio::test]
async fn participant_wrapup_codes_are_the_queue_codes() {
    let emu = Emu::start().await;
    let a = emu.create_code("Alpha").await;
    emu.create_code("Not on the queue").await;
    let queue = emu.queue_with(&[&a]).await;
    let s = seed_one(&emu, "message", "disconnected", &queue).await;
    for path in [
        format!(
            "/api/v2/conversations/{}/participants/{}/wrapupcodes",
            s.conversation, s.agent
        ),
        format!(
            "/api/v2/conversations/messages/{}/participants/{}/wrapupcodes",
            s.conversation, s.agent
        ),
    ] {
        let codes = get_json(&emu, &path).await;
        assert_eq!(codes.as_array().unwrap().len(), 1, "{path}");
        assert_eq!(codes[0]["id"], a["id"]);
    }
}

#[tokio::test]
async fn wrapup_post_is_accepted_for_every_media_and_read_back() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let media = [
        ("call", "calls", true),
        ("callback", "callbacks", true),
        ("chat", "chats", false),
        ("cobrowse", "cobrowsesessions", true),
        ("email", "emails", true),
        ("message", "messages", true),
        ("screenshare", "screenshares", false),
        ("social", "socials", false),
        ("video", "videos", false),
    ];
    for (kind, path, has_views) in media {
        let s = seed_one(&emu, kind, "disconnected", &queue).await;
        let response = emu
            .api(Method::POST, &wrapup_path(path, &s))
            .json(
                &json!({"code": code["id"], "notes": "done", "tags": ["t"], "durationSeconds": 12}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::ACCEPTED, "{kind}");
        assert!(
            response.bytes().await.unwrap().is_empty(),
            "no body for {kind}"
        );
        let generic = get_json(
            &emu,
            &format!(
                "/api/v2/conversations/{}/participants/{}/wrapup",
                s.conversation, s.agent
            ),
        )
        .await;
        assert_eq!(generic["code"], code["id"], "{kind}");
        assert_eq!(generic["notes"], "done");
        assert_eq!(generic["tags"], json!(["t"]));
        assert_eq!(generic["durationSeconds"], 12);
        assert!(generic["endTime"].is_string());
        if has_views {
            let per_media = get_json(
                &emu,
                &format!(
                    "/api/v2/conversations/{path}/{}/participants/{}/wrapup",
                    s.conversation, s.agent
                ),
            )
            .await;
            assert_eq!(per_media["code"], code["id"], "{kind}");
            let per_comm = get_json(
                &emu,
                &format!(
                    "/api/v2/conversations/{path}/{}/participants/{}/communications/{}/wrapup",
                    s.conversation, s.agent, s.communication
                ),
            )
            .await;
            assert_eq!(per_comm["code"], code["id"], "{kind}");
        }
        let conversation =
            get_json(&emu, &format!("/api/v2/conversations/{}", s.conversation)).await;
        assert_eq!(conversation["participants"][1]["wrapup"]["name"], "Sale");
    }
    let requests = emu.requests().await;
    assert_eq!(
        requests["routes"]["POST /api/v2/conversations/videos/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup"],
        1
    );
}

#[tokio::test]
async fn wrapup_rules_refuse_connected_unrequired_and_invalid_codes() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let other = emu.create_code("Elsewhere").await;
    let queue = emu.queue_with(&[&code]).await;

    let live = seed_one(&emu, "call", "connected", &queue).await;
    let response = emu
        .api(Method::POST, &wrapup_path("calls", &live))
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    expect_error(response, 400, "bad.request").await;

    let s = seed_one(&emu, "call", "disconnected", &queue).await;
    let customer = format!(
        "/api/v2/conversations/calls/{}/participants/{}/communications/{}/wrapup",
        s.conversation, s.customer, s.customer_communication
    );
    let response = emu
        .api(Method::POST, &customer)
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    expect_error(response, 400, "bad.request").await;

    for bad_code in [
        json!("Sale"),
        other["id"].clone(),
        json!(uuid::Uuid::new_v4()),
        json!(""),
    ] {
        let response = emu
            .api(Method::POST, &wrapup_path("calls", &s))
            .json(&json!({"code": bad_code}))
            .send()
            .await
            .unwrap();
        expect_error(response, 400, "invalid.value").await;
    }
    let no_code = emu
        .api(Method::POST, &wrapup_path("calls", &s))
        .json(&json!({"notes": "x"}))
        .send()
        .await
        .unwrap();
    expect_error(no_code, 400, "invalid.value").await;

    let wrong_media = emu
        .api(Method::POST, &wrapup_path("emails", &s))
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    expect_error(wrong_media, 404, "not.found").await;
    let bad_comm = format!(
        "/api/v2/conversations/calls/{}/participants/{}/communications/{}/wrapup",
        s.conversation,
        s.agent,
        uuid::Uuid::new_v4()
    );
    let response = emu
        .api(Method::POST, &bad_comm)
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    expect_error(response, 404, "not.found").await;
    let malformed = emu
        .api(Method::POST, &wrapup_path("calls", &s))
        .header("content-type", "application/json")
        .body("{\"code\": ")
        .send()
        .await
        .unwrap();
    expect_error(malformed, 400, "bad.request").await;

    let none = emu
        .api(
            Method::GET,
            &format!(
                "/api/v2/conversations/{}/participants/{}/wrapup",
                s.conversation, s.agent
            ),
        )
        .send()
        .await
        .unwrap();
    expect_error(none, 404, "not.found").await;
}

#[tokio::test]
async fn patch_participant_disconnects_and_sets_wrapup() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let s = seed_one(&emu, "call", "connected", &queue).await;
    let path = format!(
        "/api/v2/conversations/calls/{}/participants/{}",
        s.conversation, s.agent
    );
    let too_early = emu
        .api(Method::PATCH, &path)
        .json(&json!({"wrapup": {"code": code["id"]}}))
        .send()
        .await
        .unwrap();
    expect_error(too_early, 400, "bad.request").await;
    let response = emu
        .api(Method::PATCH, &path)
        .json(&json!({"state": "disconnected", "wrapup": {"code": code["id"], "notes": "patched"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let read = get_json(
        &emu,
        &format!(
            "/api/v2/conversations/calls/{}/participants/{}/wrapup",
            s.conversation, s.agent
        ),
    )
    .await;
    assert_eq!(read["notes"], "patched");
    let bad_state = emu
        .api(Method::PATCH, &path)
        .json(&json!({"state": "connected"}))
        .send()
        .await
        .unwrap();
    expect_error(bad_state, 400, "invalid.value").await;
}

#[tokio::test]
async fn admin_can_disconnect_a_seeded_participant() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let s = seed_one(&emu, "call", "connected", &queue).await;
    let response = emu
        .admin(
            Method::PATCH,
            &format!(
                "/__emulator/conversations/{}/participants/{}",
                s.conversation, s.agent
            ),
        )
        .json(&json!({"state": "disconnected"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let ok = emu
        .api(Method::POST, &wrapup_path("calls", &s))
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::ACCEPTED);
}

#[tokio::test]
async fn seed_refuses_bad_input_with_error_body() {
    let emu = Emu::start().await;
    let cases = [
        json!({"mediaType": "fax", "participants": [{"purpose": "agent"}]}),
        json!({"mediaType": "call", "participants": []}),
        json!({"mediaType": "call", "participants": [{"purpose": "agent", "state": "sleeping"}]}),
        json!({"mediaType": "call", "participants": [{"purpose": "agent", "queueId": "q1"}]}),
    ];
    for body in cases {
        let response = emu
            .admin(Method::POST, "/__emulator/conversations")
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_error(response, 400, "invalid.value").await;
    }
    let typo = emu
        .admin(Method::POST, "/__emulator/conversations")
        .json(&json!({"mediaType": "call", "participants": [{"purpose": "agent", "queue": "x"}]}))
        .send()
        .await
        .unwrap();
    expect_error(typo, 400, "bad.request").await;
}

#[tokio::test]
async fn seeded_wrapup_is_readable() {
    let emu = Emu::start().await;
    let seeded = emu
        .seed(json!({"mediaType": "email", "participants": [
            {"purpose": "agent", "state": "disconnected", "wrapup": {"code": "legacy-name", "notes": "old"}}
        ]}))
        .await;
    let read = get_json(
        &emu,
        &format!(
            "/api/v2/conversations/emails/{}/participants/{}/wrapup",
            seeded["conversationId"].as_str().unwrap(),
            seeded["participants"][0]["participantId"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(read["code"], "legacy-name");
    assert_eq!(read["notes"], "old");
}

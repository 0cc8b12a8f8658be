//! Fault injection, request counter, reset, rate limit and state-file persistence.

mod common;

use std::time::{Duration, Instant};

use common::{Emu, any_port, expect_error, fetch_token};
use genesys_emulator::{EmulatorConfig, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CODES: &str = "/api/v2/routing/wrapupcodes";

async fn total(emu: &Emu) -> u64 {
    let listed: Value = emu
        .api(Method::GET, CODES)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    listed["total"].as_u64().unwrap()
}

#[tokio::test]
async fn fail_rule_fails_next_n_matching_requests_with_retry_after() {
    let emu = Emu::start().await;
    emu.set_faults(json!({"rules": [
        {"method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 503, "retry_after": 3, "count": 2}
    ]}))
    .await;
    let post = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), StatusCode::OK, "other methods are untouched");
    for _ in 0..2 {
        let response = emu.api(Method::GET, CODES).send().await.unwrap();
        assert_eq!(response.headers()["retry-after"], "3");
        expect_error(response, 503, "service.unavailable").await;
    }
    assert_eq!(total(&emu).await, 1, "the rule is spent");
    let faults: Value = emu
        .admin(Method::GET, "/__emulator/faults")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["rules"][0]["count"], 0);
}

#[tokio::test]
async fn fail_rule_matches_route_templates_and_globs_and_skips_the_operation() {
    let emu = Emu::start().await;
    let code = emu.create_code("A").await;
    let id = code["id"].as_str().unwrap();
    emu.set_faults(json!({"rules": [
        {"method": "DELETE", "path": "/api/v2/routing/wrapupcodes/{codeId}", "status": 429, "retry_after": 1},
        {"path": "/api/v2/authorization/**", "status": 500, "code": "custom.code", "message": "boom"}
    ]}))
    .await;
    let response = emu
        .api(Method::DELETE, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    expect_error(response, 429, "too.many.requests.retry.after").await;
    assert_eq!(total(&emu).await, 1, "a failed request is not performed");
    let response = emu
        .api(Method::GET, "/api/v2/authorization/divisions/home")
        .send()
        .await
        .unwrap();
    let body = expect_error(response, 500, "custom.code").await;
    assert_eq!(body["message"], "boom");
}

#[tokio::test]
async fn faults_refuse_bad_configuration() {
    let emu = Emu::start().await;
    for body in [
        json!({"rules": [{"path": "/x", "status": 200}]}),
        json!({"rules": [{"path": "/x", "status": 500, "method": "NOT A METHOD"}]}),
        json!({"latencyMs": 5}),
        json!({"rules": [{"status": 500}]}),
    ] {
        let response = emu
            .admin(Method::PUT, "/__emulator/faults")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
}

#[tokio::test]
async fn latency_delays_every_api_request() {
    let emu = Emu::start().await;
    // Long enough that a loaded CI machine cannot make an undelayed admin call look delayed.
    emu.set_faults(json!({"latency_ms": 800})).await;
    let started = Instant::now();
    emu.api(Method::GET, CODES).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(800));
    let started = Instant::now();
    emu.requests().await;
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "admin routes are not delayed"
    );
}

#[tokio::test]
async fn a_slow_link_performs_the_request_at_once_and_answers_late() {
    let emu = Emu::start().await;
    emu.set_faults(json!({"answer_latency_ms": 5000, "answer_latency_jitter_ms": 100}))
        .await;
    // The client gives up long before the answer comes: the create still happened.
    let gave_up = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Sent on a slow link"}))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gave_up.is_err(), "the answer is held back: {gave_up:?}");
    emu.set_faults(json!({})).await;
    let listed: Value = emu
        .api(Method::GET, CODES)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(listed["entities"][0]["name"], "Sent on a slow link");
}

#[tokio::test]
async fn read_after_write_lag_hides_writes_from_lists_but_not_gets() {
    let emu = Emu::start().await;
    let old = emu.create_code("Old").await;
    emu.set_faults(json!({"read_after_write_lag_ms": 400}))
        .await;
    let fresh = emu.create_code("Fresh").await;
    let fresh_id = fresh["id"].as_str().unwrap();
    emu.api(
        Method::PUT,
        &format!("{CODES}/{}", old["id"].as_str().unwrap()),
    )
    .json(&json!({"name": "Renamed"}))
    .send()
    .await
    .unwrap();
    let listed: Value = emu
        .api(Method::GET, CODES)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1, "the new code is not listed yet");
    assert_eq!(
        listed["entities"][0]["name"], "Old",
        "the rename is not listed yet"
    );
    let by_id = emu
        .api(Method::GET, &format!("{CODES}/{fresh_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.status(), StatusCode::OK, "GET by id is consistent");
    let duplicate = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Fresh"}))
        .send()
        .await
        .unwrap();
    expect_error(duplicate, 409, "general.conflict").await;
    tokio::time::sleep(Duration::from_millis(450)).await;
    let listed: Value = emu
        .api(Method::GET, CODES)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["entities"][0]["name"], "Fresh");
    assert_eq!(listed["entities"][1]["name"], "Renamed");
}

#[tokio::test]
async fn lag_get_by_id_extends_the_lag_to_gets_and_deletes_linger() {
    let emu = Emu::start().await;
    let code = emu.create_code("Doomed").await;
    let id = code["id"].as_str().unwrap();
    emu.set_faults(json!({"read_after_write_lag_ms": 400, "lag_get_by_id": true}))
        .await;
    let fresh = emu.create_code("Fresh").await;
    let response = emu
        .api(
            Method::GET,
            &format!("{CODES}/{}", fresh["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    expect_error(response, 404, "not.found").await;
    emu.api(Method::DELETE, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    let still = emu
        .api(Method::GET, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        still.status(),
        StatusCode::OK,
        "a deleted code is still readable during the lag"
    );
}

#[tokio::test]
async fn lag_get_by_id_delays_wrapup_read_back() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let seeded = emu
        .seed(json!({"mediaType": "call", "participants": [
            {"purpose": "agent", "state": "disconnected", "queueId": queue}
        ]}))
        .await;
    let (c, p, m) = (
        seeded["conversationId"].as_str().unwrap(),
        seeded["participants"][0]["participantId"].as_str().unwrap(),
        seeded["participants"][0]["communicationId"]
            .as_str()
            .unwrap(),
    );
    emu.set_faults(json!({"read_after_write_lag_ms": 400, "lag_get_by_id": true}))
        .await;
    let path =
        format!("/api/v2/conversations/calls/{c}/participants/{p}/communications/{m}/wrapup");
    let posted = emu
        .api(Method::POST, &path)
        .json(&json!({"code": code["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::ACCEPTED);
    let read = format!("/api/v2/conversations/{c}/participants/{p}/wrapup");
    let early = emu.api(Method::GET, &read).send().await.unwrap();
    expect_error(early, 404, "not.found").await;
    let early_comm = emu.api(Method::GET, &path).send().await.unwrap();
    expect_error(early_comm, 404, "not.found").await;
    tokio::time::sleep(Duration::from_millis(450)).await;
    let later = emu.api(Method::GET, &read).send().await.unwrap();
    assert_eq!(later.status(), StatusCode::OK);
}

#[tokio::test]
async fn dropped_connection_performs_the_operation_without_answering() {
    let emu = Emu::start().await;
    emu.set_faults(json!({"drop_connections": [{"method": "POST", "path": CODES, "count": 1}]}))
        .await;
    let attempt = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Ghost"}))
        .send()
        .await;
    assert!(attempt.is_err(), "no response arrives: {attempt:?}");
    assert_eq!(total(&emu).await, 1, "the code was created anyway");
    let retry = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Ghost"}))
        .send()
        .await
        .unwrap();
    expect_error(retry, 409, "general.conflict").await;
}

#[tokio::test]
async fn accept_but_ignore_wrapup_writes_answers_202_and_stores_nothing() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let seeded = emu
        .seed(json!({"mediaType": "call", "participants": [
            {"purpose": "agent", "state": "disconnected", "queueId": queue}
        ]}))
        .await;
    let (c, p, m) = (
        seeded["conversationId"].as_str().unwrap(),
        seeded["participants"][0]["participantId"].as_str().unwrap(),
        seeded["participants"][0]["communicationId"]
            .as_str()
            .unwrap(),
    );
    emu.set_faults(json!({"accept_but_ignore_wrapup_writes": true}))
        .await;
    let path =
        format!("/api/v2/conversations/calls/{c}/participants/{p}/communications/{m}/wrapup");
    let response = emu
        .api(Method::POST, &path)
        .json(&json!({"code": "Sale"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::ACCEPTED,
        "even a name in code is accepted"
    );
    let read = emu
        .api(
            Method::GET,
            &format!("/api/v2/conversations/{c}/participants/{p}/wrapup"),
        )
        .send()
        .await
        .unwrap();
    expect_error(read, 404, "not.found").await;
}

#[tokio::test]
async fn wrapup_writes_count_the_writes_performed_per_participant() {
    let emu = Emu::start().await;
    let code = emu.create_code("Sale").await;
    let queue = emu.queue_with(&[&code]).await;
    let seeded = emu
        .seed(json!({"mediaType": "call", "participants": [
            {"purpose": "agent", "state": "disconnected", "queueId": queue}
        ]}))
        .await;
    let (c, p, m) = (
        seeded["conversationId"].as_str().unwrap(),
        seeded["participants"][0]["participantId"].as_str().unwrap(),
        seeded["participants"][0]["communicationId"]
            .as_str()
            .unwrap(),
    );
    let path =
        format!("/api/v2/conversations/calls/{c}/participants/{p}/communications/{m}/wrapup");
    let post = |body: Value| emu.api(Method::POST, &path).json(&body).send();
    // Refused by a fault rule, then by the wrap-up rules: neither is performed.
    emu.set_faults(
        json!({"rules": [{"method": "POST", "path": "/api/v2/conversations/**", "status": 503}]}),
    )
    .await;
    expect_error(
        post(json!({"code": code["id"]})).await.unwrap(),
        503,
        "service.unavailable",
    )
    .await;
    expect_error(
        post(json!({"code": "Sale"})).await.unwrap(),
        400,
        "invalid.value",
    )
    .await;
    assert_eq!(emu.requests().await["wrapup_writes"], json!({}));
    // Performed twice, the second time without an answer.
    assert_eq!(
        post(json!({"code": code["id"]})).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    emu.set_faults(
        json!({"drop_connections": [{"method": "POST", "path": "/api/v2/conversations/**"}]}),
    )
    .await;
    assert!(post(json!({"code": code["id"]})).await.is_err());
    assert_eq!(emu.requests().await["wrapup_writes"], json!({ p: 2 }));
}

#[tokio::test]
async fn counter_counts_by_route_template_and_reset_clears_everything() {
    let emu = Emu::start().await;
    let code = emu.create_code("A").await;
    for _ in 0..3 {
        emu.api(
            Method::GET,
            &format!("{CODES}/{}", code["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    }
    emu.api(Method::GET, "/api/v2/nothing/here")
        .send()
        .await
        .unwrap();
    let counts = emu.requests().await;
    assert_eq!(
        counts["routes"]["GET /api/v2/routing/wrapupcodes/{codeId}"],
        3
    );
    assert_eq!(counts["routes"]["POST /api/v2/routing/wrapupcodes"], 1);
    assert_eq!(counts["routes"]["POST /oauth/token"], 1);
    assert_eq!(counts["total"], 6, "token + create + 3 gets + 1 unmatched");
    assert!(
        counts["routes"]
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.contains("__emulator"))
    );

    emu.set_faults(json!({"latency_ms": 1})).await;
    let reset = emu
        .admin(Method::POST, "/__emulator/reset")
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        emu.requests().await,
        json!({"total": 0, "routes": {}, "statuses": {}, "wrapup_writes": {}})
    );
    let faults: Value = emu
        .admin(Method::GET, "/__emulator/faults")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(faults["latency_ms"], 0);
    assert_eq!(
        total(&emu).await,
        0,
        "codes are gone, the token still works"
    );
}

#[tokio::test]
async fn rate_limit_is_per_token_answers_429_with_retry_after_and_no_inin_headers() {
    let config = EmulatorConfig {
        rate_limit_per_minute: Some(3),
        ..EmulatorConfig::default()
    };
    let emu = Emu::start_with(config).await;
    for _ in 1..=3 {
        let response = emu.api(Method::GET, CODES).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let inin: Vec<_> = response
            .headers()
            .keys()
            .filter(|name| name.as_str().starts_with("inin-ratelimit"))
            .collect();
        assert!(inin.is_empty(), "removed by the platform in 2021: {inin:?}");
    }
    let limited = emu.api(Method::GET, CODES).send().await.unwrap();
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert!(!limited.headers().contains_key("inin-ratelimit-reset"));
    expect_error(limited, 429, "too.many.requests.retry.after").await;

    // The limit is the token's: a second token of the same OAuth client has its own budget.
    let second = fetch_token(&emu.http, &emu.url, "emulator-client", "emulator-secret").await;
    for _ in 1..=3 {
        let response = emu
            .http
            .get(format!("{}{CODES}", emu.url))
            .bearer_auth(&second)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "a fresh token's budget");
    }
    let limited = emu
        .http
        .get(format!("{}{CODES}", emu.url))
        .bearer_auth(&second)
        .send()
        .await
        .unwrap();
    expect_error(limited, 429, "too.many.requests.retry.after").await;
    let counts = emu.requests().await;
    assert_eq!(counts["statuses"]["429"], 2, "{counts}");
    assert_eq!(
        counts["statuses"]["200"], 8,
        "two logins and six reads: {counts}"
    );
}

#[tokio::test]
async fn login_throttle_answers_400_invalid_request_then_logins_succeed() {
    let emu = Emu::start().await;
    emu.set_faults(json!({"login_rate_limited": 2})).await;
    let login = || {
        emu.http
            .post(format!("{}/oauth/token", emu.url))
            .basic_auth("emulator-client", Some("emulator-secret"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
    };
    for _ in 0..2 {
        let refused = login().await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"], "invalid_request");
        assert!(
            body["description"]
                .as_str()
                .unwrap()
                .contains("rate limit exceeded"),
            "{body}"
        );
    }
    assert_eq!(login().await.unwrap().status(), StatusCode::OK, "spent");
}

#[tokio::test]
async fn state_file_persists_across_restarts() {
    let dir = std::env::temp_dir().join(format!("emu-state-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let config = EmulatorConfig {
        state_file: Some(path.clone()),
        ..EmulatorConfig::default()
    };
    let first = Emu::start_with(config.clone()).await;
    let code = first.create_code("Kept").await;
    first.running.shutdown().await;
    assert!(path.exists());

    let second = spawn(config, any_port()).await.unwrap();
    let http = reqwest::Client::new();
    let token = fetch_token(&http, &second.url(), "emulator-client", "emulator-secret").await;
    let got: Value = http
        .get(format!(
            "{}{CODES}/{}",
            second.url(),
            code["id"].as_str().unwrap()
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["name"], "Kept");
    second.shutdown().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn corrupt_state_file_fails_start_with_a_clear_error() {
    let path = std::env::temp_dir().join(format!("emu-bad-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, "{not json").unwrap();
    let config = EmulatorConfig {
        state_file: Some(path.clone()),
        ..EmulatorConfig::default()
    };
    let err = spawn(config, any_port()).await.err().expect("start fails");
    assert!(err.to_string().contains("is not valid"), "{err}");
    std::fs::remove_file(&path).ok();
}

//! OAuth client credentials and the bearer check.

mod common;

use std::time::Duration;

use common::{Emu, any_port, expect_error, fetch_token};
use genesys_emulator::{EmulatorConfig, spawn};
use reqwest::{Method, StatusCode};
use serde_json::Value;

fn token_request(emu: &Emu) -> reqwest::RequestBuilder {
    emu.http
        .post(format!("{}/oauth/token", emu.url))
        .header("content-type", "application/x-www-form-urlencoded")
}

#[tokio::test]
async fn client_credentials_with_basic_auth_issue_a_bearer_token() {
    let emu = Emu::start().await;
    let response = token_request(&emu)
        .basic_auth("emulator-client", Some("emulator-secret"))
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 86_400);
    assert!(body["access_token"].as_str().is_some_and(|t| t.len() >= 32));
}

#[tokio::test]
async fn form_credentials_are_accepted_too() {
    let emu = Emu::start().await;
    let response = token_request(&emu)
        .body(
            "grant_type=client_credentials&client_id=emulator-client&client_secret=emulator-secret",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_secret_and_unknown_client_answer_401_invalid_client() {
    let emu = Emu::start().await;
    for (id, secret) in [
        ("emulator-client", "wrong"),
        ("someone-else", "emulator-secret"),
    ] {
        let response = token_request(&emu)
            .basic_auth(id, Some(secret))
            .body("grant_type=client_credentials")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_client");
        assert!(body["error_description"].is_string());
        assert!(
            !body.to_string().contains("emulator-secret"),
            "secret never echoed"
        );
    }
}

#[tokio::test]
async fn wrong_or_missing_grant_type_answers_400() {
    let emu = Emu::start().await;
    let cases = [
        ("grant_type=password", "unsupported_grant_type"),
        ("", "invalid_request"),
    ];
    for (body, error) in cases {
        let response = token_request(&emu)
            .basic_auth("emulator-client", Some("emulator-secret"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(json["error"], error);
    }
}

#[tokio::test]
async fn api_refuses_missing_and_unknown_tokens_with_error_body() {
    let emu = Emu::start().await;
    let url = format!("{}/api/v2/routing/wrapupcodes", emu.url);
    let missing = emu.http.get(&url).send().await.unwrap();
    expect_error(missing, 401, "authentication.required").await;
    let unknown = emu
        .http
        .get(&url)
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    expect_error(unknown, 401, "bad.credentials").await;
    let ok = emu
        .api(Method::GET, "/api/v2/routing/wrapupcodes")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn tokens_stop_working_after_their_ttl() {
    let config = EmulatorConfig {
        token_ttl: Duration::from_millis(300),
        ..EmulatorConfig::default()
    };
    let running = spawn(config, any_port()).await.unwrap();
    let http = reqwest::Client::new();
    let token = fetch_token(&http, &running.url(), "emulator-client", "emulator-secret").await;
    let url = format!("{}/api/v2/authorization/divisions/home", running.url());
    let fresh = http.get(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(fresh.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let stale = http.get(&url).bearer_auth(&token).send().await.unwrap();
    expect_error(stale, 401, "bad.credentials").await;
    running.shutdown().await;
}

#[tokio::test]
async fn admin_can_expire_every_token_to_force_reauthentication() {
    let emu = Emu::start().await;
    let response = emu
        .admin(Method::POST, "/__emulator/tokens/expire")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let after = emu
        .api(Method::GET, "/api/v2/authorization/divisions/home")
        .send()
        .await
        .unwrap();
    expect_error(after, 401, "bad.credentials").await;
}

//! Shared helpers: an in-process emulator on a free port, a token, and request shortcuts.
#![allow(dead_code)]

use std::net::SocketAddr;

use genesys_emulator::{EmulatorConfig, RunningEmulator, spawn};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

pub struct Emu {
    pub running: RunningEmulator,
    pub url: String,
    pub http: reqwest::Client,
    pub token: String,
}

pub fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().expect("literal socket address")
}

/// The machine's non-loopback address, if it has one (found without sending anything), for
/// the tests of what the emulator answers a peer that is not on loopback.
pub fn non_loopback_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

impl Emu {
    pub async fn start() -> Emu {
        Emu::start_with(EmulatorConfig::default()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Emu {
        let (id, secret) = (config.client_id.clone(), config.client_secret.clone());
        let running = spawn(config, any_port()).await.expect("emulator starts");
        let url = running.url();
        let http = reqwest::Client::new();
        let token = fetch_token(&http, &url, &id, &secret).await;
        Emu {
            running,
            url,
            http,
            token,
        }
    }

    /// An authenticated API request.
    pub fn api(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token)
    }

    /// An admin request (no auth).
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url))
    }

    pub async fn create_code(&self, name: &str) -> Value {
        let response = self
            .api(Method::POST, "/api/v2/routing/wrapupcodes")
            .json(&json!({ "name": name }))
            .send()
            .await
            .expect("create request is answered");
        assert_eq!(response.status(), StatusCode::OK, "creating {name}");
        response.json().await.expect("created code is JSON")
    }

    pub async fn set_faults(&self, faults: Value) {
        let response = self
            .admin(Method::PUT, "/__emulator/faults")
            .json(&faults)
            .send()
            .await
            .expect("faults request is answered");
        assert_eq!(response.status(), StatusCode::OK, "faults accepted");
    }

    pub async fn requests(&self) -> Value {
        self.admin(Method::GET, "/__emulator/requests")
            .send()
            .await
            .expect("counter answers")
            .json()
            .await
            .expect("counter is JSON")
    }

    /// Assigns codes to a queue (creating it) and returns the queue id.
    pub async fn queue_with(&self, codes: &[&Value]) -> String {
        let queue = uuid::Uuid::new_v4().to_string();
        let ids: Vec<&Value> = codes.iter().map(|c| &c["id"]).collect();
        let response = self
            .admin(
                Method::PUT,
                &format!("/__emulator/queues/{queue}/wrapupcodes"),
            )
            .json(&json!({ "name": "Support", "codeIds": ids }))
            .send()
            .await
            .expect("queue assignment answers");
        assert_eq!(response.status(), StatusCode::OK);
        queue
    }

    /// Seeds a conversation and returns the admin API's answer (all ids).
    pub async fn seed(&self, body: Value) -> Value {
        let response = self
            .admin(Method::POST, "/__emulator/conversations")
            .json(&body)
            .send()
            .await
            .expect("seed answers");
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("seed answer is JSON")
    }
}

pub async fn fetch_token(http: &reqwest::Client, url: &str, id: &str, secret: &str) -> String {
    let response = http
        .post(format!("{url}/oauth/token"))
        .basic_auth(id, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("token request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("token answer is JSON");
    body["access_token"]
        .as_str()
        .expect("access_token is a string")
        .to_owned()
}

/// Asserts an ErrorBody with the given status and code, returning the body.
pub async fn expect_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let body: Value = response.json().await.expect("error body is JSON");
    assert_eq!(body["code"], code, "code in {body}");
    assert_eq!(body["status"], status, "status in {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message in {body}"
    );
    assert!(body["contextId"].as_str().is_some(), "contextId in {body}");
    body
}

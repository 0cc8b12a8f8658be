//! Shared set-up for the API client tests: an in-process emulator per test, a client pointed
//! at it, and the emulator's admin API (faults, request counts, seeding).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use genesys_client::{ClientConfig, Credentials, GenesysClient, Region, RetryPolicy};
use genesys_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::{Value, json};

pub const CLIENT_ID: &str = "client-tests";
pub const CLIENT_SECRET: &str = "client-tests-secret-0451";

/// A running emulator and an admin HTTP client for it.
pub struct Emu {
    pub server: RunningEmulator,
    pub url: String,
    admin: reqwest::Client,
}

/// Starts an emulator on a free loopback port.
pub async fn start(config: EmulatorConfig) -> Emu {
    let addr: SocketAddr = "127.0.0.1:0".parse().expect("literal socket address");
    let server = genesys_emulator::spawn(config, addr)
        .await
        .expect("the emulator binds a free loopback port");
    let url = server.url();
    Emu {
        server,
        url,
        admin: reqwest::Client::new(),
    }
}

/// Emulator config with the test OAuth client.
pub fn emulator_config() -> EmulatorConfig {
    EmulatorConfig {
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        ..EmulatorConfig::default()
    }
}

/// Fast retries so tests stay quick; the attempt bound is what the tests exercise.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_elapsed: Duration::from_secs(20),
        rate_limit_budget: Duration::from_secs(20),
    }
}

impl Emu {
    /// A client with the emulator's OAuth client and the given retry policy.
    pub fn client(&self, retry: RetryPolicy) -> GenesysClient {
        self.client_with(
            Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET),
            retry,
        )
    }

    /// A client with the given credentials.
    pub fn client_with(&self, credentials: Credentials, retry: RetryPolicy) -> GenesysClient {
        GenesysClient::new(self.config(credentials, retry)).expect("client builds")
    }

    /// The client configuration `client_with` builds from.
    pub fn config(&self, credentials: Credentials, retry: RetryPolicy) -> ClientConfig {
        ClientConfig::new(
            credentials,
            Region::by_name("us-east-1").expect("us-east-1 is in the region table"),
        )
        .with_base_url(&self.url)
        .expect("the emulator URL is a loopback http URL")
        .with_retry(retry)
        .with_request_timeout(Duration::from_secs(10))
    }

    /// Replaces the emulator's fault configuration.
    pub async fn set_faults(&self, faults: Value) {
        let response = self
            .admin
            .put(format!("{}/__emulator/faults", self.url))
            .json(&faults)
            .send()
            .await
            .expect("admin API reachable");
        assert!(
            response.status().is_success(),
            "faults refused: {} {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
    }

    /// Request counts: (total, per "METHOD /route/template").
    pub async fn counts(&self) -> Counts {
        let body: Value = self
            .admin
            .get(format!("{}/__emulator/requests", self.url))
            .send()
            .await
            .expect("admin API reachable")
            .json()
            .await
            .expect("request counts are JSON");
        Counts(body)
    }

    /// Polls the request counter until `reached` holds, for at most 10 s (then fails naming
    /// `what`): proof that the emulator saw, and answered, a request, without guessing a delay.
    pub async fn wait_for_counts(&self, what: &str, reached: impl Fn(&Counts) -> bool) -> Counts {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let counts = self.counts().await;
            if reached(&counts) {
                return counts;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "waited 10 s for {what}; counts: {:?}",
                counts.0
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Expires every token the emulator issued.
    pub async fn expire_tokens(&self) {
        let response = self
            .admin
            .post(format!("{}/__emulator/tokens/expire", self.url))
            .send()
            .await
            .expect("admin API reachable");
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// Seeds a conversation; returns the admin API's answer (ids of everything).
    pub async fn seed_conversation(&self, seed: Value) -> Value {
        let response = self
            .admin
            .post(format!("{}/__emulator/conversations", self.url))
            .json(&seed)
            .send()
            .await
            .expect("admin API reachable");
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.expect("seed answer is JSON")
    }

    /// Assigns wrap-up codes to a queue (creating the queue).
    pub async fn assign_queue_codes(&self, queue_id: &str, code_ids: &[&str]) {
        let response = self
            .admin
            .put(format!(
                "{}/__emulator/queues/{queue_id}/wrapupcodes",
                self.url
            ))
            .json(&json!(code_ids))
            .send()
            .await
            .expect("admin API reachable");
        assert!(response.status().is_success(), "{}", response.status());
    }
}

/// The emulator's request counter.
pub struct Counts(pub Value);

impl Counts {
    /// Requests for `"METHOD /route/template"`.
    pub fn of(&self, key: &str) -> u64 {
        self.0["routes"][key].as_u64().unwrap_or(0)
    }

    /// Answers with status `code` (the emulator counts each status once the handler answered).
    pub fn status(&self, code: u16) -> u64 {
        self.0["statuses"][code.to_string()].as_u64().unwrap_or(0)
    }

    /// Token requests.
    pub fn tokens(&self) -> u64 {
        self.of("POST /oauth/token")
    }

    /// All non-admin requests.
    pub fn total(&self) -> u64 {
        self.0["total"].as_u64().unwrap_or(0)
    }
}

pub const HOME: &str = "GET /api/v2/authorization/divisions/home";
pub const LIST_CODES: &str = "GET /api/v2/routing/wrapupcodes";
pub const CREATE_CODE: &str = "POST /api/v2/routing/wrapupcodes";

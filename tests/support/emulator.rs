//! The Genesys Cloud emulator started in-process for end-to-end tests, and how a Terraform
//! work dir points the provider at it.

use std::net::{Ipv4Addr, SocketAddr};

use genesys_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::Value;

use super::workdir::Workdir;

/// An emulator serving on a free loopback port from its own Tokio runtime, so it keeps
/// answering while the test thread blocks on `terraform`. Stopped on drop.
pub struct Emulator {
    runtime: tokio::runtime::Runtime,
    running: Option<RunningEmulator>,
    url: String,
    client_id: String,
    client_secret: String,
    http: reqwest::Client,
}

impl Emulator {
    /// An emulator with the default OAuth client and no faults.
    pub fn start() -> Self {
        Emulator::start_with(EmulatorConfig::default())
    }

    /// An emulator with the given configuration (rate limit, token TTL, client…).
    pub fn start_with(config: EmulatorConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime for the emulator builds");
        let client_id = config.client_id.clone();
        let client_secret = config.client_secret.clone();
        let running = runtime
            .block_on(genesys_emulator::spawn(
                config,
                SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            ))
            .unwrap_or_else(|error| panic!("the emulator does not start: {error}"));
        Emulator {
            url: running.url(),
            running: Some(running),
            runtime,
            client_id,
            client_secret,
            http: reqwest::Client::new(),
        }
    }

    /// Base URL of both the API and the login host, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn client_secret(&self) -> &str {
        &self.client_secret
    }

    /// A `provider "genesyscloud"` block pointing at this emulator with its OAuth client.
    pub fn provider_block(&self) -> String {
        format!(
            "provider \"genesyscloud\" {{\n  api_url            = \"{url}\"\n  login_url          = \"{url}\"\n  oauthclient_id     = \"{id}\"\n  oauthclient_secret = \"{secret}\"\n}}\n",
            url = self.url,
            id = self.client_id,
            secret = self.client_secret
        )
    }

    /// The `GENESYSCLOUD_*` variables that point an empty provider block at this emulator.
    pub fn env(&self) -> [(&'static str, String); 4] {
        [
            ("GENESYSCLOUD_API_URL", self.url.clone()),
            ("GENESYSCLOUD_LOGIN_URL", self.url.clone()),
            ("GENESYSCLOUD_OAUTHCLIENT_ID", self.client_id.clone()),
            (
                "GENESYSCLOUD_OAUTHCLIENT_SECRET",
                self.client_secret.clone(),
            ),
        ]
    }

    /// `workdir` with [`Emulator::env`] set for every later command.
    pub fn configure(&self, workdir: Workdir) -> Workdir {
        self.env()
            .iter()
            .fold(workdir, |workdir, (name, value)| workdir.env(name, value))
    }

    /// Calls the admin API (`/__emulator/...`); returns status and JSON body (null if none).
    pub fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}/__emulator/{}", self.url, path.trim_start_matches('/'));
        self.send(self.http.request(method, url), body)
    }

    /// Calls the Platform API (`/api/v2/...`) as the emulator's OAuth client, like a change
    /// made outside Terraform; returns status and JSON body (null if none).
    pub fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let token = self.token();
        let url = format!("{}/api/v2/{}", self.url, path.trim_start_matches('/'));
        self.send(self.http.request(method, url).bearer_auth(token), body)
    }

    /// A fresh access token for the emulator's OAuth client.
    pub fn token(&self) -> String {
        let request = self
            .http
            .post(format!("{}/oauth/token", self.url))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[("grant_type", "client_credentials")]);
        let (status, body) = self.send(request, None);
        assert_eq!(status, 200, "emulator token request failed: {body}");
        body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("no access_token in {body}"))
            .to_string()
    }

    fn send(&self, request: reqwest::RequestBuilder, body: Option<Value>) -> (u16, Value) {
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        self.runtime.block_on(async {
            let response = request
                .send()
                .await
                .unwrap_or_else(|error| panic!("emulator request failed: {error}"));
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let json = if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            };
            (status, json)
        })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            self.runtime.block_on(running.shutdown());
        }
    }
}

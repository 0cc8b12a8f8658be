//! What the conversation wrap-up tests share: an emulated org started in-process, seeded with
//! finished conversations and queue codes through the emulator's admin API, changes made
//! "outside Terraform" through its public API (as an agent or another tool would), and
//! Terraform work dirs wired to it.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::Workdir;

/// OAuth client the emulator accepts and the provider is configured with.
pub const CLIENT_ID: &str = "wrapup-e2e-client";
pub const CLIENT_SECRET: &str = "wrapup-e2e-secret";

/// The media types the provider supports, as the emulator's seed API names them and as the
/// wrap-up endpoint's path segment (`media_type` in state).
pub const MEDIA: [(&str, &str); 5] = [
    ("call", "calls"),
    ("callback", "callbacks"),
    ("chat", "chats"),
    ("email", "emails"),
    ("message", "messages"),
];

/// A running emulated org plus a client that plays "someone outside Terraform".
pub struct Org {
    pub base: String,
    server: Option<genesys_emulator::RunningEmulator>,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    token: String,
}

/// A seeded conversation: a customer and one agent on a queue.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub conversation_id: String,
    pub agent_id: String,
    pub agent_communication_id: String,
    pub customer_id: String,
    pub queue_id: String,
}

impl Org {
    /// Starts an emulator on a free loopback port.
    pub fn start() -> Org {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime builds");
        let server = runtime.block_on(async {
            let config = genesys_emulator::EmulatorConfig {
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                ..genesys_emulator::EmulatorConfig::default()
            };
            genesys_emulator::spawn(config, "127.0.0.1:0".parse().expect("a socket address"))
                .await
                .expect("the emulator starts on a free loopback port")
        });
        let base = server.url();
        let http = reqwest::Client::new();
        let token = runtime.block_on(async {
            let answer: Value = http
                .post(format!("{base}/oauth/token"))
                .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .expect("token request")
                .json()
                .await
                .expect("token JSON");
            answer["access_token"]
                .as_str()
                .expect("an access token")
                .to_owned()
        });
        Org {
            base,
            server: Some(server),
            runtime,
            http,
            token,
        }
    }

    /// A Terraform work dir whose provider talks to this org.
    pub fn workdir(&self) -> Workdir {
        Workdir::new()
            .env("GENESYSCLOUD_API_URL", &self.base)
            .env("GENESYSCLOUD_LOGIN_URL", &self.base)
            .env("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID)
            .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET)
    }

    /// Runs `future` on the org's runtime (for in-process client tests).
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// `METHOD path` against the org; the status and the JSON body (null when none).
    pub fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        self.runtime.block_on(async {
            let mut request = self
                .http
                .request(method, format!("{}{path}", self.base))
                .timeout(Duration::from_secs(30));
            if path.starts_with("/api/") {
                request = request.bearer_auth(&self.token);
            }
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("the emulator answers");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            (status, serde_json::from_str(&text).unwrap_or(Value::Null))
        })
    }

    /// Creates a wrap-up code as an admin would; returns its ID.
    pub fn create_code(&self, name: &str) -> String {
        let (status, code) = self.call(
            reqwest::Method::POST,
            "/api/v2/routing/wrapupcodes",
            Some(json!({ "name": name })),
        );
        assert!(status < 300, "create {name:?} answered {status}: {code}");
        code["id"]
            .as_str()
            .expect("a created code has an id")
            .to_owned()
    }

    /// Makes `code_ids` the codes of queue `queue_id`.
    pub fn assign_codes(&self, queue_id: &str, code_ids: &[&str]) {
        let (status, answer) = self.call(
            reqwest::Method::PUT,
            &format!("/__emulator/queues/{queue_id}/wrapupcodes"),
            Some(json!(code_ids)),
        );
        assert!(status < 300, "assign answered {status}: {answer}");
    }

    /// Seeds a conversation of `media` (seed name, e.g. `call`): a customer who left and an
    /// agent on `queue_id` whose communication is in `agent_state`.
    pub fn seed(&self, media: &str, queue_id: &str, agent_state: &str) -> Seeded {
        self.seed_with(
            media,
            json!([
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": agent_state, "queueId": queue_id}
            ]),
        )
    }

    /// Seeds a conversation with the given participants (the emulator's seed format); the
    /// first agent is reported as `agent_id`.
    pub fn seed_with(&self, media: &str, participants: Value) -> Seeded {
        let (status, seeded) = self.call(
            reqwest::Method::POST,
            "/__emulator/conversations",
            Some(json!({ "mediaType": media, "participants": participants })),
        );
        assert_eq!(status, 201, "seeding answered {status}: {seeded}");
        let list = seeded["participants"].as_array().expect("participants");
        let find = |purpose: &str| {
            list.iter()
                .find(|p| p["purpose"] == purpose)
                .unwrap_or_else(|| panic!("a {purpose} participant in {seeded}"))
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let agent = find("agent");
        Seeded {
            conversation_id: text(&seeded["conversationId"]),
            agent_id: text(&agent["participantId"]),
            agent_communication_id: text(&agent["communicationId"]),
            customer_id: text(&find("customer")["participantId"]),
            queue_id: text(&agent["queueId"]),
        }
    }

    /// The code ID of the participant's wrap-up as the platform holds it (`None`: no wrap-up).
    pub fn wrapup_code(&self, conversation_id: &str, participant_id: &str) -> Option<String> {
        let (status, wrapup) = self.call(
            reqwest::Method::GET,
            &format!(
                "/api/v2/conversations/{conversation_id}/participants/{participant_id}/wrapup"
            ),
            None,
        );
        match status {
            200 => wrapup["code"].as_str().map(str::to_owned),
            404 => None,
            other => panic!("wrap-up read answered {other}: {wrapup}"),
        }
    }

    /// The participant's wrap-up as the platform holds it (the AssignedWrapupCode JSON).
    pub fn wrapup(&self, conversation_id: &str, participant_id: &str) -> Value {
        self.call(
            reqwest::Method::GET,
            &format!(
                "/api/v2/conversations/{conversation_id}/participants/{participant_id}/wrapup"
            ),
            None,
        )
        .1
    }

    /// Sets a wrap-up as an agent or another tool would, through the public API.
    pub fn set_wrapup_outside(&self, media_path: &str, seeded: &Seeded, code_id: &str) {
        let (status, answer) = self.call(
            reqwest::Method::POST,
            &format!(
                "/api/v2/conversations/{media_path}/{}/participants/{}/communications/{}/wrapup",
                seeded.conversation_id, seeded.agent_id, seeded.agent_communication_id
            ),
            Some(json!({ "code": code_id })),
        );
        assert!(status < 300, "outside wrap-up answered {status}: {answer}");
    }

    /// Replaces the emulator's faults (`PUT /__emulator/faults`).
    pub fn faults(&self, faults: Value) {
        let (status, answer) = self.call(reqwest::Method::PUT, "/__emulator/faults", Some(faults));
        assert!(status < 300, "faults answered {status}: {answer}");
    }

    /// Sets every communication of a participant to `state` (`PATCH` on the admin API).
    pub fn set_participant_state(&self, conversation_id: &str, participant_id: &str, state: &str) {
        let (status, answer) = self.call(
            reqwest::Method::PATCH,
            &format!("/__emulator/conversations/{conversation_id}/participants/{participant_id}"),
            Some(json!({ "state": state })),
        );
        assert!(status < 300, "state change answered {status}: {answer}");
    }
}

impl Drop for Org {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// A fresh queue ID (the emulator creates queues on first use).
pub fn new_queue_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A `genesyscloud_conversation_wrapup` resource block named `name` with the given body lines.
pub fn resource_block(name: &str, body: &str) -> String {
    format!(
        "provider \"genesyscloud\" {{}}\n\nresource \"genesyscloud_conversation_wrapup\" \"{name}\" {{\n{body}}}\n"
    )
}

/// The one `genesyscloud_conversation_wrapup` change in a `terraform show -json` plan.
pub fn wrapup_change(plan: &Value) -> Value {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "genesyscloud_conversation_wrapup")
        .map(|c| c["change"].clone())
        .unwrap_or_else(|| panic!("no conversation wrap-up change in {plan:#}"))
}

/// The attributes of the one `genesyscloud_conversation_wrapup` in `terraform show -json`.
pub fn wrapup_state(state: &Value) -> Value {
    resource_values(state, "genesyscloud_conversation_wrapup")
}

/// The attribute values of the first resource of type `type_name` in `terraform show -json`
/// state.
pub fn resource_values(state: &Value, type_name: &str) -> Value {
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["type"] == type_name)
        .map(|r| r["values"].clone())
        .unwrap_or_else(|| panic!("no {type_name} in state {state:#}"))
}

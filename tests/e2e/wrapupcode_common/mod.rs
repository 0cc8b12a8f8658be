//! What the wrap-up code end-to-end tests share: an emulated org started in-process, changes
//! made "outside Terraform" through its public API (as an admin would in the UI), and a
//! Terraform work dir wired to it.
#![allow(dead_code)]

use genesys_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Emulator, Workdir};

/// OAuth client the emulator accepts and the provider is configured with.
pub const CLIENT_ID: &str = "e2e-client";
pub const CLIENT_SECRET: &str = "e2e-secret";

/// A running emulated org, with helpers that play "someone outside Terraform".
pub struct Org {
    pub emulator: Emulator,
    pub base: String,
}

impl Org {
    /// Starts an emulator on a free loopback port, with no rate limit.
    pub fn start() -> Org {
        Org::start_with(None)
    }

    /// Starts an emulator enforcing `rate_limit` requests per minute per OAuth client.
    pub fn start_with(rate_limit: Option<u32>) -> Org {
        Org::start_configured(EmulatorConfig {
            rate_limit_per_minute: rate_limit,
            ..EmulatorConfig::default()
        })
    }

    /// Starts an emulator with `config` (its OAuth client replaced by the tests' own).
    pub fn start_configured(config: EmulatorConfig) -> Org {
        let emulator = Emulator::start_with(EmulatorConfig {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            ..config
        });
        let base = emulator.url().to_owned();
        Org { emulator, base }
    }

    /// A Terraform work dir whose provider talks to this org through `GENESYSCLOUD_*`.
    pub fn workdir(&self) -> Workdir {
        self.emulator.configure(Workdir::new())
    }

    fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        match path.strip_prefix("/api/v2/") {
            Some(api_path) => self.emulator.api(method, api_path, body),
            None => self.emulator.admin(
                method,
                path.strip_prefix("/__emulator/").unwrap_or(path),
                body,
            ),
        }
    }

    /// Creates a code as an admin would; returns its ID.
    pub fn create_code(&self, name: &str, description: Option<&str>) -> String {
        let mut body = json!({ "name": name });
        if let Some(description) = description {
            body["description"] = json!(description);
        }
        let (status, code) = self.call(Method::POST, "/api/v2/routing/wrapupcodes", Some(body));
        assert!(status < 300, "create {name:?} answered {status}: {code}");
        code["id"]
            .as_str()
            .expect("a created code has an id")
            .to_owned()
    }

    /// Replaces a code's name and description (keeping its division), as an admin would.
    pub fn edit_code(&self, id: &str, name: &str, description: Option<&str>) {
        let current = self.code(id).expect("the code to edit exists");
        let mut body = json!({ "name": name, "division": { "id": current["division"]["id"] } });
        if let Some(description) = description {
            body["description"] = json!(description);
        }
        let (status, answer) = self.call(
            Method::PUT,
            &format!("/api/v2/routing/wrapupcodes/{id}"),
            Some(body),
        );
        assert!(status < 300, "edit {id} answered {status}: {answer}");
    }

    /// Deletes a code as an admin would.
    pub fn delete_code(&self, id: &str) {
        let (status, answer) = self.call(
            Method::DELETE,
            &format!("/api/v2/routing/wrapupcodes/{id}"),
            None,
        );
        assert!(status < 300, "delete {id} answered {status}: {answer}");
    }

    /// One code as the platform holds it, or `None` when it does not exist.
    pub fn code(&self, id: &str) -> Option<Value> {
        let (status, code) = self.call(
            Method::GET,
            &format!("/api/v2/routing/wrapupcodes/{id}"),
            None,
        );
        match status {
            200 => Some(code),
            404 => None,
            other => panic!("get {id} answered {other}: {code}"),
        }
    }

    /// Every code in the org.
    pub fn codes(&self) -> Vec<Value> {
        let mut all = Vec::new();
        for page in 1.. {
            let (status, listing) = self.call(
                Method::GET,
                &format!("/api/v2/routing/wrapupcodes?pageSize=500&pageNumber={page}"),
                None,
            );
            assert_eq!(status, 200, "list answered {status}: {listing}");
            all.extend(listing["entities"].as_array().cloned().unwrap_or_default());
            if listing["pageCount"].as_u64().unwrap_or(0) <= page {
                break;
            }
        }
        all
    }

    /// The ID of the home division.
    pub fn home_division_id(&self) -> String {
        let (status, division) =
            self.call(Method::GET, "/api/v2/authorization/divisions/home", None);
        assert_eq!(status, 200, "home division answered {status}: {division}");
        division["id"].as_str().expect("division id").to_owned()
    }

    /// Every division's ID, home first.
    pub fn division_ids(&self) -> Vec<String> {
        let (status, listing) = self.call(
            Method::GET,
            "/api/v2/authorization/divisions?pageSize=100",
            None,
        );
        assert_eq!(status, 200, "divisions answered {status}: {listing}");
        let home = self.home_division_id();
        let mut ids: Vec<String> = listing["entities"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["id"].as_str().map(str::to_owned))
            .collect();
        ids.sort_by_key(|id| *id != home);
        ids
    }

    /// Installs a fault configuration (`PUT /__emulator/faults`).
    pub fn faults(&self, faults: Value) {
        let (status, answer) = self.call(Method::PUT, "/__emulator/faults", Some(faults));
        assert!(status < 300, "faults answered {status}: {answer}");
    }

    /// Request counts by `"METHOD /route/template"` and in total.
    pub fn requests(&self) -> Value {
        let (status, counts) = self.call(Method::GET, "/__emulator/requests", None);
        assert_eq!(status, 200, "requests answered {status}: {counts}");
        counts
    }
}

/// Route key of the wrap-up code listing in the emulator's request counter.
pub const LIST_ROUTE: &str = "GET /api/v2/routing/wrapupcodes";
/// Route key of a wrap-up code read by ID.
pub const GET_ROUTE: &str = "GET /api/v2/routing/wrapupcodes/{codeId}";

/// How many requests of `route` (e.g. `"GET /api/v2/routing/wrapupcodes/{codeId}"`) were
/// counted between two snapshots of [`Org::requests`].
pub fn calls_between(before: &Value, after: &Value, route: &str) -> u64 {
    let count = |counts: &Value| counts["routes"][route].as_u64().unwrap_or(0);
    count(after) - count(before)
}

/// `terraform apply` that must import exactly `count` codes and change nothing else.
#[track_caller]
pub fn apply_imports_only(workdir: &Workdir, count: usize) {
    let output = workdir.apply();
    let summary = format!("{count} imported, 0 added, 0 changed, 0 destroyed");
    assert!(output.stdout.contains(&summary), "{output}");
}

/// The managed wrap-up code resources in `terraform show -json` state, by address.
pub fn state_codes(state: &Value) -> Vec<(String, Value)> {
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == "genesyscloud_routing_wrapupcode" && r["mode"] == "managed")
        .map(|r| {
            (
                r["address"].as_str().unwrap_or_default().to_owned(),
                r["values"].clone(),
            )
        })
        .collect()
}

/// The actions Terraform plans for `address` in `terraform show -json` plan output.
pub fn planned_actions(plan: &Value, address: &str) -> Vec<String> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|change| change["address"] == address)
        .map(|change| {
            change["change"]["actions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A state file as the official provider (`mypurecloud/genesyscloud`, SDKv2) writes it for
/// wrap-up codes: schema version 1, a `timeouts` attribute and its private schema marker. One
/// resource per `(label, id, name, description)`, all in the `home` division.
pub fn official_provider_state(home: &str, codes: &[(&str, &str, &str, Value)]) -> Value {
    let resources: Vec<Value> = codes
        .iter()
        .map(|(label, id, name, description)| {
            json!({
                "mode": "managed",
                "type": "genesyscloud_routing_wrapupcode",
                "name": label,
                "provider": "provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]",
                "instances": [{
                    "schema_version": 1,
                    "attributes": {
                        "id": id, "name": name, "division_id": home,
                        "description": description, "timeouts": null
                    },
                    "sensitive_attributes": [],
                    "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ=="
                }]
            })
        })
        .collect();
    json!({
        "version": 4,
        "terraform_version": "1.9.8",
        "serial": 7,
        "lineage": "5f0a7c8e-2d1b-4c3a-9e8f-0a1b2c3d4e5f",
        "outputs": {},
        "resources": resources,
        "check_results": null
    })
}

//! The seed file (`--seed`): the example's `seed.json` gives the org its division, codes, queue
//! and finished call through the admin API's own routes, before the first request; a refused
//! entry stops the start with the admin API's message; the health endpoint and the admin API's
//! address rule.

mod common;

use std::path::PathBuf;

use common::{Emu, any_port, expect_error, non_loopback_ip};
use genesys_emulator::{EmulatorConfig, spawn};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const EXAMPLE_SEED: &str = "../examples/testing-with-the-emulator/seed.json";
const SUPPORT: &str = "5d2b1f0a-7c4e-4b8a-9f10-2c6d8e0a1b01";
const SALE: &str = "8f0c3a5e-1d2b-4c6f-8a90-3b4c5d6e7f01";
const CALLBACK: &str = "8f0c3a5e-1d2b-4c6f-8a90-3b4c5d6e7f02";
const SALES_QUEUE: &str = "2a7e9c1d-4f3b-4d5e-a6b7-c8d9e0f1a201";
const CALL: &str = "c0ffee00-1234-4abc-8def-000000000301";

fn example_seed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE_SEED)
}

async fn get(emu: &Emu, path: &str) -> Value {
    let response = emu.api(Method::GET, path).send().await.expect("answered");
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn the_example_seed_file_gives_the_org_its_data() {
    let emu = Emu::start_with(EmulatorConfig {
        seed_file: Some(example_seed()),
        ..EmulatorConfig::default()
    })
    .await;

    let division = get(&emu, &format!("/api/v2/authorization/divisions/{SUPPORT}")).await;
    assert_eq!(division["name"], "Support");
    let sale = get(&emu, &format!("/api/v2/routing/wrapupcodes/{SALE}")).await;
    assert_eq!(sale["name"], "Sale completed");
    assert_eq!(sale["description"], "Customer bought something");
    let callback = get(&emu, &format!("/api/v2/routing/wrapupcodes/{CALLBACK}")).await;
    assert_eq!(callback["division"]["id"], SUPPORT);
    let queue = get(&emu, &format!("/api/v2/routing/queues/{SALES_QUEUE}")).await;
    assert_eq!(queue["name"], "Sales");
    let codes = get(
        &emu,
        &format!("/api/v2/routing/queues/{SALES_QUEUE}/wrapupcodes?pageSize=100"),
    )
    .await;
    let mut ids: Vec<&str> = codes["entities"]
        .as_array()
        .expect("a page of codes")
        .iter()
        .filter_map(|code| code["id"].as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [SALE, CALLBACK]);
    let call = get(&emu, &format!("/api/v2/conversations/{CALL}")).await;
    let agent = call["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["purpose"] == "agent")
        .expect("an agent participant");
    assert_eq!(agent["queueId"], SALES_QUEUE, "{agent}");
    assert_eq!(call["startTime"], "2026-11-30T09:00:00.000Z");

    // Seeding happened through the admin routes, which the request counter leaves out: the
    // count is this test's login and six reads.
    let counts = emu.requests().await;
    assert_eq!(counts["total"], 7, "{counts}");
}

#[tokio::test]
async fn the_same_document_posted_to_a_running_emulator_seeds_it() {
    let emu = Emu::start().await;
    let document: Value = serde_json::from_str(
        &std::fs::read_to_string(example_seed()).expect("read the example seed"),
    )
    .expect("the example seed is JSON");
    let response = emu
        .admin(Method::POST, "/__emulator/seed")
        .json(&document)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"divisions": 1, "wrapupCodes": 2, "queues": 1, "conversations": 1})
    );
    let call = get(&emu, &format!("/api/v2/conversations/{CALL}")).await;
    assert_eq!(call["id"], CALL);

    // Posted again, the first entry's ID is taken: refused, saying which entry.
    let again = emu
        .admin(Method::POST, "/__emulator/seed")
        .json(&document)
        .send()
        .await
        .expect("answered");
    let body = expect_error(again, 400, "invalid.value").await;
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("divisions[0] was refused (409)")),
        "{body}"
    );
}

#[tokio::test]
async fn a_refused_entry_stops_the_start_with_the_admin_apis_message() {
    let dir = tempfile_dir();
    let path = dir.join("seed.json");
    let seed = json!({
        "wrapupCodes": [{ "name": "Twice" }, { "name": "Twice" }],
    });
    std::fs::write(&path, seed.to_string()).expect("write the seed");
    let config = EmulatorConfig {
        seed_file: Some(path.clone()),
        ..EmulatorConfig::default()
    };
    let error = spawn(config, any_port()).await.err().expect("start fails");
    let message = error.to_string();
    assert!(message.contains("wrapupCodes[1] was refused"), "{message}");
    assert!(message.contains("Twice"), "{message}");

    std::fs::write(&path, r#"{"codes": []}"#).expect("write the seed");
    let config = EmulatorConfig {
        seed_file: Some(path),
        ..EmulatorConfig::default()
    };
    let error = spawn(config, any_port()).await.err().expect("start fails");
    assert!(
        error.to_string().contains("unknown field `codes`"),
        "{error}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_chosen_id_already_taken_is_a_conflict() {
    let emu = Emu::start().await;
    let body = json!({ "id": SALES_QUEUE, "name": "Sales" });
    let first = emu
        .admin(Method::POST, "/__emulator/queues")
        .json(&body)
        .send()
        .await
        .expect("answered");
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = emu
        .admin(Method::POST, "/__emulator/queues")
        .json(&body)
        .send()
        .await
        .expect("answered");
    expect_error(again, 409, "conflict").await;
}

#[tokio::test]
async fn health_answers_without_auth_and_is_not_counted() {
    let emu = Emu::start().await;
    let before = emu.requests().await["total"].clone();
    let health = emu
        .admin(Method::GET, "/__emulator/health")
        .send()
        .await
        .expect("answered");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(
        health.json::<Value>().await.expect("JSON"),
        json!({"status": "ok"})
    );
    // A blocking call, as the subcommand makes it: off this runtime, which serves the emulator.
    let addr = emu.running.addr();
    tokio::task::spawn_blocking(move || {
        genesys_emulator::healthcheck::check(addr, std::time::Duration::from_secs(3))
    })
    .await
    .expect("the check ran")
    .expect("the healthcheck subcommand's call succeeds");
    assert_eq!(emu.requests().await["total"], before);
}

#[tokio::test]
async fn the_healthcheck_fails_when_nothing_listens() {
    let addr = {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        socket.local_addr().expect("address")
    };
    let error = genesys_emulator::healthcheck::check(addr, std::time::Duration::from_secs(1))
        .expect_err("nothing listens there any more");
    assert!(error.to_string().contains("no answer"), "{error}");
}

#[tokio::test]
async fn the_admin_api_answers_other_addresses_only_when_allowed() {
    let Some(ip) = non_loopback_ip() else {
        eprintln!("skipped: this machine has no non-loopback IPv4 address");
        return;
    };
    let http = reqwest::Client::new();
    for allowed in [false, true] {
        let running = spawn(
            EmulatorConfig {
                admin_from_any_address: allowed,
                ..EmulatorConfig::default()
            },
            "0.0.0.0:0".parse().expect("literal address"),
        )
        .await
        .expect("starts");
        let remote = format!("http://{ip}:{}", running.addr().port());
        let response = http
            .get(format!("{remote}/__emulator/requests"))
            .send()
            .await
            .expect("answered");
        if allowed {
            assert_eq!(response.status(), StatusCode::OK);
        } else {
            let body = expect_error(response, 403, "not.authorized").await;
            assert!(
                body["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("--admin-from-any-address")),
                "{body}"
            );
        }
        running.shutdown().await;
    }
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("emu-seed-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("create a temp dir");
    dir
}

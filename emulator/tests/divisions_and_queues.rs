//! Divisions and queue wrap-up code assignment.

mod common;

use common::{Emu, expect_error, non_loopback_ip};
use genesys_emulator::{HOME_DIVISION_ID, SALES_DIVISION_ID};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn home_division_list_and_get_by_id() {
    let emu = Emu::start().await;
    let home: Value = emu
        .api(Method::GET, "/api/v2/authorization/divisions/home")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(home["id"], HOME_DIVISION_ID.to_string());
    assert_eq!(home["name"], "Home");
    assert_eq!(home["homeDivision"], true);
    assert_eq!(
        home["selfUri"],
        format!("/api/v2/authorization/divisions/{HOME_DIVISION_ID}")
    );
    let all: Value = emu
        .api(Method::GET, "/api/v2/authorization/divisions")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 2);
    assert_eq!(all["entities"][0]["name"], "Home");
    assert_eq!(all["entities"][1]["name"], "Sales");
    let one: Value = emu
        .api(
            Method::GET,
            &format!("/api/v2/authorization/divisions/{SALES_DIVISION_ID}"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["homeDivision"], false);
    let missing = emu
        .api(
            Method::GET,
            &format!("/api/v2/authorization/divisions/{}", uuid::Uuid::new_v4()),
        )
        .send()
        .await
        .unwrap();
    expect_error(missing, 404, "not.found").await;
}

#[tokio::test]
async fn queue_codes_are_listed_added_and_removed() {
    let emu = Emu::start().await;
    let a = emu.create_code("Alpha").await;
    let b = emu.create_code("Beta").await;
    let queue = emu.queue_with(&[&a]).await;
    let path = format!("/api/v2/routing/queues/{queue}/wrapupcodes");
    let listed: Value = emu
        .api(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["entities"][0]["id"], a["id"]);

    let added = emu
        .api(Method::POST, &path)
        .json(&json!([{"id": b["id"]}]))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::OK);
    let added: Value = added.json().await.unwrap();
    assert_eq!(added[0]["name"], "Beta");
    let listed: Value = emu
        .api(Method::GET, &format!("{path}?name=b*"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["entities"][0]["name"], "Beta");

    let removed = emu
        .api(
            Method::DELETE,
            &format!("{path}/{}", a["id"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let listed: Value = emu
        .api(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["entities"][0]["id"], b["id"]);

    let unknown_code = emu
        .api(Method::POST, &path)
        .json(&json!([{"id": uuid::Uuid::new_v4()}]))
        .send()
        .await
        .unwrap();
    expect_error(unknown_code, 400, "invalid.value").await;
    let unknown_queue = emu
        .api(
            Method::GET,
            &format!(
                "/api/v2/routing/queues/{}/wrapupcodes",
                uuid::Uuid::new_v4()
            ),
        )
        .send()
        .await
        .unwrap();
    expect_error(unknown_queue, 404, "not.found").await;
}

#[tokio::test]
async fn a_post_of_more_than_100_codes_is_refused_whole_and_100_are_accepted() {
    let emu = Emu::start().await;
    let mut codes = Vec::new();
    for i in 0..101 {
        codes.push(emu.create_code(&format!("Code {i:03}")).await);
    }
    let queue = emu.queue_with(&[]).await;
    let path = format!("/api/v2/routing/queues/{queue}/wrapupcodes");
    let body = |codes: &[Value]| {
        json!(
            codes
                .iter()
                .map(|c| json!({"id": c["id"]}))
                .collect::<Vec<_>>()
        )
    };
    let refused = emu
        .api(Method::POST, &path)
        .json(&body(&codes))
        .send()
        .await
        .unwrap();
    let error = expect_error(refused, 400, "bad.request").await;
    assert!(
        error["message"].as_str().unwrap().contains("101"),
        "{error}"
    );
    assert!(
        error.get("entityId").is_none(),
        "no code is to blame: {error}"
    );
    let listed: Value = emu
        .api(Method::GET, &path)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0, "nothing of a refused request is added");

    let accepted = emu
        .api(Method::POST, &path)
        .json(&body(&codes[..100]))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    let added: Value = accepted.json().await.unwrap();
    assert_eq!(added.as_array().map(Vec::len), Some(100));
}

#[tokio::test]
async fn deleting_a_code_removes_it_from_queues() {
    let emu = Emu::start().await;
    let a = emu.create_code("Alpha").await;
    let queue = emu.queue_with(&[&a]).await;
    emu.api(
        Method::DELETE,
        &format!("/api/v2/routing/wrapupcodes/{}", a["id"].as_str().unwrap()),
    )
    .send()
    .await
    .unwrap();
    let listed: Value = emu
        .api(
            Method::GET,
            &format!("/api/v2/routing/queues/{queue}/wrapupcodes"),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0);
}

#[tokio::test]
async fn admin_queue_assignment_refuses_unknown_codes() {
    let emu = Emu::start().await;
    let response = emu
        .admin(
            Method::PUT,
            &format!("/__emulator/queues/{}/wrapupcodes", uuid::Uuid::new_v4()),
        )
        .json(&json!([uuid::Uuid::new_v4()]))
        .send()
        .await
        .unwrap();
    expect_error(response, 400, "invalid.value").await;
}

#[tokio::test]
async fn admin_api_refuses_non_loopback_peers() {
    let Some(ip) = non_loopback_ip() else {
        eprintln!("skipped: this machine has no non-loopback IPv4 address");
        return;
    };
    let running = genesys_emulator::spawn(
        genesys_emulator::EmulatorConfig::default(),
        "0.0.0.0:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let remote = format!("http://{ip}:{}", running.addr().port());
    let http = reqwest::Client::new();
    let refused = http
        .get(format!("{remote}/__emulator/requests"))
        .send()
        .await
        .unwrap();
    expect_error(refused, 403, "not.authorized").await;
    let local = http
        .get(format!("{}/__emulator/requests", running.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(local.status(), StatusCode::OK);
    let api = http
        .get(format!("{remote}/api/v2/authorization/divisions/home"))
        .send()
        .await
        .unwrap();
    expect_error(api, 401, "authentication.required").await;
    running.shutdown().await;
}

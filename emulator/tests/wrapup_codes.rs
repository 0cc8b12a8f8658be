//! Wrap-up code management: CRUD, uniqueness, validation, paging, filters and sort.

mod common;

use common::{Emu, expect_error};
use genesys_emulator::{HOME_DIVISION_ID, SALES_DIVISION_ID};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const CODES: &str = "/api/v2/routing/wrapupcodes";

async fn list(emu: &Emu, query: &str) -> Value {
    let response = emu
        .api(Method::GET, &format!("{CODES}{query}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.unwrap()
}

fn names(listing: &Value) -> Vec<String> {
    listing["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_get_update_delete_round_trip_with_all_fields() {
    let emu = Emu::start().await;
    let created: Value = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Sale completed", "description": "bought", "division": {"id": SALES_DIVISION_ID}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "Sale completed");
    assert_eq!(created["description"], "bought");
    assert_eq!(created["division"]["id"], SALES_DIVISION_ID.to_string());
    assert_eq!(created["division"]["name"], "Sales");
    assert_eq!(created["selfUri"], format!("{CODES}/{id}"));
    for field in ["dateCreated", "dateModified", "createdBy", "modifiedBy"] {
        assert!(created[field].is_string(), "{field} in {created}");
    }

    let fetched: Value = emu
        .api(Method::GET, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created);

    let updated: Value = emu
        .api(Method::PUT, &format!("{CODES}/{id}"))
        .json(&json!({"name": "Sale done"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(updated["name"], "Sale done");
    assert!(
        updated.get("description").is_none(),
        "PUT without description clears it"
    );
    assert_eq!(
        updated["division"]["id"],
        SALES_DIVISION_ID.to_string(),
        "division kept"
    );
    assert_eq!(updated["dateCreated"], created["dateCreated"]);

    let deleted = emu
        .api(Method::DELETE, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = emu
        .api(Method::GET, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    let body = expect_error(gone, 404, "not.found").await;
    assert_eq!(body["entityId"], id);
    let again = emu
        .api(Method::DELETE, &format!("{CODES}/{id}"))
        .send()
        .await
        .unwrap();
    expect_error(again, 404, "not.found").await;
}

#[tokio::test]
async fn new_codes_default_to_the_home_division() {
    let emu = Emu::start().await;
    let code = emu.create_code("Callback").await;
    assert_eq!(code["division"]["id"], HOME_DIVISION_ID.to_string());
    assert_eq!(code["division"]["name"], "Home");
}

#[tokio::test]
async fn a_code_can_be_in_all_divisions_and_an_org_may_put_unset_codes_there() {
    let emu = Emu::start().await;
    let response = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Everywhere", "division": {"id": "*"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let code: Value = response.json().await.unwrap();
    assert_eq!(code["division"]["id"], "*");
    let listed = list(&emu, "?divisionId=*").await;
    assert_eq!(names(&listed), ["Everywhere"]);
    let home = list(&emu, &format!("?divisionId={HOME_DIVISION_ID}")).await;
    assert!(names(&home).is_empty(), "{home}");
    // Moved into one division and back.
    let id = code["id"].as_str().unwrap();
    for division in [HOME_DIVISION_ID.to_string(), "*".to_string()] {
        let moved: Value = emu
            .api(Method::PUT, &format!("{CODES}/{id}"))
            .json(&json!({"name": "Everywhere", "division": {"id": division}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(moved["division"]["id"], division.as_str());
    }

    let emu = Emu::start_with(genesys_emulator::EmulatorConfig {
        unset_code_division: genesys_emulator::UnsetCodeDivision::All,
        ..Default::default()
    })
    .await;
    let code = emu.create_code("Unset").await;
    assert_eq!(code["division"]["id"], "*");
}

#[tokio::test]
async fn duplicate_names_conflict_ignoring_case_and_whitespace() {
    let emu = Emu::start().await;
    let first = emu.create_code("Sale").await;
    for name in ["Sale", "sale", "  SALE "] {
        let response = emu
            .api(Method::POST, CODES)
            .json(&json!({"name": name}))
            .send()
            .await
            .unwrap();
        let body = expect_error(response, 409, "general.conflict").await;
        assert_eq!(body["entityId"], first["id"]);
    }
    let other = emu.create_code("Other").await;
    let rename = emu
        .api(
            Method::PUT,
            &format!("{CODES}/{}", other["id"].as_str().unwrap()),
        )
        .json(&json!({"name": "SALE"}))
        .send()
        .await
        .unwrap();
    expect_error(rename, 409, "general.conflict").await;
    let same = emu
        .api(
            Method::PUT,
            &format!("{CODES}/{}", first["id"].as_str().unwrap()),
        )
        .json(&json!({"name": "sale"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        same.status(),
        StatusCode::OK,
        "renaming a code to its own name in another case"
    );
}

#[tokio::test]
async fn bad_bodies_answer_400_with_error_body_never_500() {
    let emu = Emu::start().await;
    let cases: Vec<(String, &str)> = vec![
        ("{\"name\":".into(), "bad.request"),
        ("not json".into(), "bad.request"),
        ("".into(), "bad.request"),
        ("{\"name\": 42}".into(), "bad.request"),
        (
            "{\"name\": \"x\", \"division\": \"Home\"}".into(),
            "bad.request",
        ),
        ("[]".into(), "bad.request"),
        ("{}".into(), "invalid.value"),
        ("{\"name\": \"   \"}".into(), "invalid.value"),
        (
            json!({"name": "x".repeat(256)}).to_string(),
            "invalid.value",
        ),
        (
            json!({"name": "ok", "division": {"id": "nope"}}).to_string(),
            "invalid.value",
        ),
        (
            json!({"name": "ok", "division": {"id": uuid::Uuid::new_v4()}}).to_string(),
            "invalid.value",
        ),
    ];
    for (body, code) in cases {
        let response = emu
            .api(Method::POST, CODES)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        expect_error(response, 400, code).await;
    }
    let longest = json!({"name": "é".repeat(255)});
    let ok = emu
        .api(Method::POST, CODES)
        .json(&longest)
        .send()
        .await
        .unwrap();
    assert_eq!(
        ok.status(),
        StatusCode::OK,
        "255 characters (not bytes) are allowed"
    );
    assert_eq!(list(&emu, "").await["total"], 1, "nothing else was created");
}

#[tokio::test]
async fn unsupported_methods_and_unknown_paths_answer_error_bodies() {
    let emu = Emu::start().await;
    let patch = emu
        .api(Method::PATCH, CODES)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_error(patch, 405, "method.not.allowed").await;
    let unknown = emu
        .api(Method::GET, "/api/v2/routing/nothing")
        .send()
        .await
        .unwrap();
    expect_error(unknown, 404, "not.found").await;
}

#[tokio::test]
async fn unknown_and_malformed_ids_answer_404() {
    let emu = Emu::start().await;
    for id in [uuid::Uuid::new_v4().to_string(), "not-a-uuid".into()] {
        for method in [Method::GET, Method::DELETE] {
            let response = emu
                .api(method, &format!("{CODES}/{id}"))
                .send()
                .await
                .unwrap();
            expect_error(response, 404, "not.found").await;
        }
        let put = emu
            .api(Method::PUT, &format!("{CODES}/{id}"))
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        expect_error(put, 404, "not.found").await;
    }
}

#[tokio::test]
async fn paging_walks_all_codes_with_a_consistent_envelope() {
    let emu = Emu::start().await;
    for i in 0..60 {
        emu.create_code(&format!("Code {i:03}")).await;
    }
    let first = list(&emu, "").await;
    assert_eq!(first["pageSize"], 25, "default page size");
    assert_eq!(first["total"], 60);
    assert_eq!(first["pageCount"], 3);
    assert_eq!(
        first["firstUri"],
        format!("{CODES}?pageSize=25&pageNumber=1")
    );
    assert_eq!(
        first["nextUri"],
        format!("{CODES}?pageSize=25&pageNumber=2")
    );
    assert_eq!(
        first["lastUri"],
        format!("{CODES}?pageSize=25&pageNumber=3")
    );
    assert!(first.get("previousUri").is_none());
    let mut seen = Vec::new();
    let mut next = Some(format!("{CODES}?pageSize=25&pageNumber=1"));
    while let Some(uri) = next {
        let page: Value = emu
            .api(Method::GET, &uri)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(names(&page));
        next = page["nextUri"].as_str().map(str::to_owned);
    }
    let expected: Vec<String> = (0..60).map(|i| format!("Code {i:03}")).collect();
    assert_eq!(seen, expected, "every code once, in name order");
    let big = list(&emu, "?pageSize=10000").await;
    assert_eq!(big["pageSize"], 500, "page size is capped at 500");
    assert_eq!(big["entities"].as_array().unwrap().len(), 60);
    let past = list(&emu, "?pageSize=25&pageNumber=9").await;
    assert_eq!(past["entities"], json!([]));
    for bad in ["?pageSize=0", "?pageNumber=0", "?pageSize=abc"] {
        let response = emu
            .api(Method::GET, &format!("{CODES}{bad}"))
            .send()
            .await
            .unwrap();
        expect_error(response, 400, "invalid.value").await;
    }
}

#[tokio::test]
async fn filters_by_name_id_and_division_and_sorts() {
    let emu = Emu::start().await;
    let sale = emu.create_code("Sale").await;
    let sales_call = emu.create_code("Sales call").await;
    let refund: Value = emu
        .api(Method::POST, CODES)
        .json(&json!({"name": "Refund", "division": {"id": SALES_DIVISION_ID}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        names(&list(&emu, "?name=sale").await),
        ["Sale"],
        "exact, case-insensitive"
    );
    assert_eq!(
        names(&list(&emu, "?name=SAL*").await),
        ["Sale", "Sales call"],
        "trailing * is a prefix"
    );
    assert_eq!(names(&list(&emu, "?name=Sal").await), Vec::<String>::new());
    let by_ids = format!(
        "?id={}&id={}",
        sale["id"].as_str().unwrap(),
        refund["id"].as_str().unwrap()
    );
    assert_eq!(names(&list(&emu, &by_ids).await), ["Refund", "Sale"]);
    let comma = format!(
        "?id={},{}",
        sale["id"].as_str().unwrap(),
        sales_call["id"].as_str().unwrap()
    );
    assert_eq!(
        names(&list(&emu, &comma).await),
        ["Sale", "Sales call"],
        "SDK-style comma lists"
    );
    assert_eq!(
        names(&list(&emu, &format!("?divisionId={SALES_DIVISION_ID}")).await),
        ["Refund"]
    );
    assert_eq!(
        names(&list(&emu, "?sortBy=name&sortOrder=desc").await),
        ["Sales call", "Sale", "Refund"]
    );
    let listed = list(&emu, "?name=SAL*&pageSize=1").await;
    assert_eq!(
        listed["nextUri"],
        format!("{CODES}?pageSize=1&pageNumber=2&name=SAL%2A"),
        "filters are repeated in paging links"
    );
    let bad = emu
        .api(Method::GET, &format!("{CODES}?sortOrder=sideways"))
        .send()
        .await
        .unwrap();
    expect_error(bad, 400, "invalid.value").await;
    let views = emu
        .api(Method::GET, &format!("{CODES}/divisionviews?name=Refund"))
        .send()
        .await
        .unwrap();
    let views: Value = views.json().await.unwrap();
    assert_eq!(names(&views), ["Refund"]);
}

#[tokio::test]
async fn every_answer_carries_a_correlation_id_and_errors_repeat_it_as_context_id() {
    let emu = Emu::start().await;
    let ok = emu.api(Method::GET, CODES).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let first = ok.headers()["inin-correlation-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(first.len(), 36, "a UUID: {first}");
    let again = emu.api(Method::GET, CODES).send().await.unwrap();
    assert_ne!(
        again.headers()["inin-correlation-id"].to_str().unwrap(),
        first,
        "one id per request"
    );

    let missing = emu
        .api(
            Method::GET,
            &format!("{CODES}/00000000-0000-0000-0000-000000000000"),
        )
        .send()
        .await
        .unwrap();
    let header = missing.headers()["inin-correlation-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = expect_error(missing, 404, "not.found").await;
    assert_eq!(body["contextId"], header.as_str());
}

//! The resource's plan, update and state-upgrade behaviour against an in-memory platform.

use std::sync::Arc;

use super::fake::{FakePlatform, code};
use super::*;

#[tokio::test]
async fn version_zero_state_upgrades_to_the_same_attributes() {
    let resource = RoutingWrapupCode::new(ApiHandle::lazy(|| {
        Err(PlatformError::NotConfigured("unused".into()))
    }));
    let upgraded = resource
        .upgrade_state(
            0,
            br#"{"id":"i","name":"n","division_id":"d","description":null,"extra":1}"#,
        )
        .await
        .unwrap();
    assert_eq!(attr_str(&upgraded, "id"), Some("i"));
    assert_eq!(attr_str(&upgraded, "division_id"), Some("d"));
    assert_eq!(attr(&upgraded, "description"), Attr::Null);
    assert!(resource.upgrade_state(0, b"[]").await.is_err());
    assert!(resource.upgrade_state(7, b"{}").await.is_err());
}

fn plan_request(prior: Option<Value>, config: Value) -> (PlanRequest, PlanResponse) {
    let mut planned = config.clone();
    if prior.is_none() {
        set_attr(&mut planned, "id", Value::unknown());
        if attr(&config, "division_id") == Attr::Null {
            set_attr(&mut planned, "division_id", Value::unknown());
        }
    }
    let request = PlanRequest {
        prior_state: prior,
        proposed_new_state: planned.clone(),
        config,
        prior_private: Vec::new(),
        prior_identity: None,
    };
    let response = PlanResponse {
        planned_state: planned,
        ..PlanResponse::default()
    };
    (request, response)
}

fn config(name: &str) -> Value {
    object([
        ("id", Value::Null),
        ("name", Value::String(name.into())),
        ("division_id", Value::Null),
        ("description", Value::Null),
    ])
}

#[tokio::test]
async fn create_plan_knows_the_home_division_and_refuses_a_taken_name() {
    let platform = Arc::new(FakePlatform::default());
    platform
        .codes
        .lock()
        .unwrap()
        .push(code("existing", "Taken", None));
    let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));

    let (request, mut plan) = plan_request(None, config("Fresh"));
    resource.modify_plan(&request, &mut plan).await;
    assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        attr_str(&plan.planned_state, "division_id"),
        Some("d0000000-0000-0000-0000-000000000000")
    );
    assert_eq!(attr(&plan.planned_state, "id"), Attr::Unknown);

    let (request, mut plan) = plan_request(None, config("taken"));
    resource.modify_plan(&request, &mut plan).await;
    let diagnostic = &plan.diagnostics.0[0];
    assert_eq!(diagnostic.attribute, Some(path("name")));
    assert!(
        diagnostic.detail.contains("(id existing)"),
        "{}",
        diagnostic.detail
    );
}

#[tokio::test]
async fn update_plan_keeps_identity_and_allows_renaming_to_another_case() {
    let platform = Arc::new(FakePlatform::default());
    platform
        .codes
        .lock()
        .unwrap()
        .push(code("mine", "Sale", None));
    let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));
    let prior = state_of(&code("mine", "Sale", None), None);
    let mut renamed = prior.clone();
    set_attr(&mut renamed, "name", Value::String("SALE".into()));
    let (request, mut plan) = plan_request(Some(prior), renamed);
    resource.modify_plan(&request, &mut plan).await;
    assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(plan.planned_identity, Some(identity_of("mine")));
    assert_eq!(attr_str(&plan.planned_state, "id"), Some("mine"));
}

/// An update of the code `mine`, from `Sale` to `new_name`.
fn update_request(new_name: &str) -> UpdateRequest {
    let prior = state_of(&code("mine", "Sale", None), None);
    let mut planned = prior.clone();
    set_attr(&mut planned, "name", Value::String(new_name.into()));
    UpdateRequest {
        config: planned.clone(),
        prior_state: prior,
        planned_state: planned,
        planned_private: Vec::new(),
        planned_identity: Some(identity_of("mine")),
    }
}

#[tokio::test]
async fn update_renames_in_place_and_keeps_prior_state_when_refused() {
    let platform = Arc::new(FakePlatform::default());
    platform
        .codes
        .lock()
        .unwrap()
        .extend([code("mine", "Sale", None), code("other", "Refund", None)]);
    let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));

    let renamed = resource.update(update_request("Sale completed")).await;
    assert!(
        renamed.diagnostics.0.is_empty(),
        "{:?}",
        renamed.diagnostics
    );
    let state = renamed.new_state.unwrap();
    assert_eq!(attr_str(&state, "name"), Some("Sale completed"));
    assert_eq!(renamed.new_identity, Some(identity_of("mine")));

    // Another code holds the name: the error names it, and state keeps the prior values.
    let refused = resource.update(update_request("refund")).await;
    let diagnostic = &refused.diagnostics.0[0];
    assert_eq!(diagnostic.attribute, Some(path("name")));
    assert!(
        diagnostic.detail.contains("(id other)"),
        "{}",
        diagnostic.detail
    );
    assert_eq!(
        attr_str(refused.new_state.as_ref().unwrap(), "name"),
        Some("Sale")
    );
    assert_eq!(platform.codes.lock().unwrap()[0].name, "Sale completed");
}

#[tokio::test]
async fn updating_a_code_deleted_outside_says_so_and_keeps_prior_state() {
    let platform = Arc::new(FakePlatform::default());
    let resource = RoutingWrapupCode::new(ApiHandle::fixed(platform.clone(), true));
    let result = resource.update(update_request("Sale completed")).await;
    let diagnostic = &result.diagnostics.0[0];
    assert_eq!(
        diagnostic.summary,
        "Wrap-up code was deleted outside Terraform"
    );
    assert!(diagnostic.detail.contains("mine"), "{}", diagnostic.detail);
    assert_eq!(
        attr_str(result.new_state.as_ref().unwrap(), "name"),
        Some("Sale")
    );
}

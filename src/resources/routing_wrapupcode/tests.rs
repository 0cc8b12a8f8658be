//! The resource's plan, update and state-upgrade behaviour against an in-memory platform.

use std::sync::Arc;

use super::fake::{FakePlatform, code};
use super::*;
use tfplugin_framework::resource::run_update;

/// The model of a value the resource returned.
fn model(value: &Value) -> WrapupCodeModel {
    WrapupCodeModel::from_value(value).expect("a wrap-up code value")
}

#[tokio::test]
async fn version_zero_state_upgrades_to_the_same_attributes() {
    let resource = RoutingWrapupCode::new(WrapupCodeCatalogView::lazy(|| {
        Err(PlatformError::NotConfigured("unused".into()))
    }));
    let upgraded = resource
        .upgrade_state(
            0,
            br#"{"id":"i","name":"n","division_id":"d","description":null,"extra":1}"#,
        )
        .await
        .unwrap();
    assert_eq!(model(&upgraded).id.as_str(), Some("i"));
    assert_eq!(model(&upgraded).division_id.as_str(), Some("d"));
    assert_eq!(model(&upgraded).description, TfValue::Null);
    assert!(resource.upgrade_state(0, b"[]").await.is_err());
    assert!(resource.upgrade_state(7, b"{}").await.is_err());
}

fn plan_request(
    prior: Option<WrapupCodeModel>,
    config: WrapupCodeModel,
) -> (PlanRequest, PlanResponse) {
    let mut planned = config.clone();
    if prior.is_none() {
        planned.id = TfValue::unknown();
        if config.division_id.is_null() {
            planned.division_id = TfValue::unknown();
        }
    }
    let planned = planned.to_value();
    let request = PlanRequest {
        prior_state: prior.map(|prior| prior.to_value()),
        proposed_new_state: planned.clone(),
        config: config.to_value(),
        prior_private: Vec::new(),
        prior_identity: None,
        planned_private: None,
        cancel: tfplugin_framework::CancellationToken::new(),
    };
    let response = PlanResponse {
        planned_state: planned,
        ..PlanResponse::default()
    };
    (request, response)
}

fn config(name: &str) -> WrapupCodeModel {
    WrapupCodeModel {
        name: name.into(),
        ..WrapupCodeModel::default()
    }
}

#[tokio::test]
async fn create_plan_leaves_an_unset_division_to_the_platform_and_refuses_a_taken_name() {
    let platform = Arc::new(FakePlatform::default());
    platform
        .codes
        .lock()
        .unwrap()
        .push(code("existing", "Taken", None));
    let resource = RoutingWrapupCode::new(WrapupCodeCatalogView::over_api(platform.clone(), true));

    let (request, mut plan) = plan_request(None, config("Fresh"));
    resource.modify_plan(&request, &mut plan).await;
    assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        model(&plan.planned_state).division_id,
        TfValue::unknown(),
        "the platform chooses the division (home or *): the plan does not guess"
    );
    assert_eq!(model(&plan.planned_state).id, TfValue::unknown());

    let (request, mut plan) = plan_request(None, config("taken"));
    resource.modify_plan(&request, &mut plan).await;
    let diagnostic = &plan.diagnostics.0[0];
    assert_eq!(diagnostic.attribute, Some(attr_path!(WrapupCodeModel.name)));
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
    let resource = RoutingWrapupCode::new(WrapupCodeCatalogView::over_api(platform.clone(), true));
    let prior = state_of(&code("mine", "Sale", None), None);
    let renamed = WrapupCodeModel {
        name: "SALE".into(),
        ..prior.clone()
    };
    let (request, mut plan) = plan_request(Some(prior), renamed);
    resource.modify_plan(&request, &mut plan).await;
    assert!(plan.diagnostics.0.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(plan.planned_identity, Some(identity_of("mine")));
    assert_eq!(model(&plan.planned_state).id.as_str(), Some("mine"));
}

/// An update of the code `mine`, from `Sale` to `new_name`.
fn update_request(new_name: &str) -> UpdateRequest {
    let prior = state_of(&code("mine", "Sale", None), None);
    let planned = WrapupCodeModel {
        name: new_name.into(),
        ..prior.clone()
    }
    .to_value();
    UpdateRequest {
        config: planned.clone(),
        prior_state: prior.to_value(),
        planned_state: planned,
        planned_private: Vec::new(),
        planned_identity: Some(identity_of("mine")),
        cancel: tfplugin_framework::CancellationToken::new(),
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
    let resource = RoutingWrapupCode::new(WrapupCodeCatalogView::over_api(platform.clone(), true));

    let renamed = run_update(resource.as_ref(), update_request("Sale completed")).await;
    assert!(
        renamed.diagnostics.0.is_empty(),
        "{:?}",
        renamed.diagnostics
    );
    let state = renamed.new_state;
    assert_eq!(model(&state).name.as_str(), Some("Sale completed"));
    assert_eq!(renamed.new_identity, Some(identity_of("mine")));

    // Another code holds the name: the error names it, and state keeps the prior values.
    let refused = run_update(resource.as_ref(), update_request("refund")).await;
    let diagnostic = &refused.diagnostics.0[0];
    assert_eq!(diagnostic.attribute, Some(attr_path!(WrapupCodeModel.name)));
    assert!(
        diagnostic.detail.contains("(id other)"),
        "{}",
        diagnostic.detail
    );
    assert_eq!(model(&refused.new_state).name.as_str(), Some("Sale"));
    assert_eq!(platform.codes.lock().unwrap()[0].name, "Sale completed");
}

#[tokio::test]
async fn updating_a_code_deleted_outside_says_so_and_keeps_prior_state() {
    let platform = Arc::new(FakePlatform::default());
    let resource = RoutingWrapupCode::new(WrapupCodeCatalogView::over_api(platform.clone(), true));
    let result = run_update(resource.as_ref(), update_request("Sale completed")).await;
    let diagnostic = &result.diagnostics.0[0];
    assert_eq!(
        diagnostic.summary,
        "Wrap-up code was deleted outside Terraform"
    );
    assert!(diagnostic.detail.contains("mine"), "{}", diagnostic.detail);
    assert_eq!(model(&result.new_state).name.as_str(), Some("Sale"));
}

#[test]
fn only_a_refusal_about_the_division_blames_division_id() {
    use crate::platform::{ApiFailure, Subject};
    let input = WrapupCodeFields {
        name: "Sale".into(),
        division_id: Some("3fa85f64-5717-4562-b3fc-2c963f66afa6".into()),
        description: None,
    };
    let blamed = |failure: ApiFailure| {
        let diagnostics =
            super::write_failure(&PlatformError::Invalid(failure), "create x", &input);
        diagnostics.0[0].attribute == Some(attr_path!(WrapupCodeModel.division_id))
    };
    let refusal = |code: Option<&str>, message: &str| ApiFailure {
        status: Some(400),
        code: code.map(str::to_owned),
        message: message.into(),
        ..ApiFailure::default()
    };
    // A coded refusal whose message merely mentions a division is not about division_id.
    assert!(!blamed(refusal(
        Some("bad.request"),
        "The name may not repeat a division name"
    )));
    assert!(!blamed(refusal(
        Some("invalid.value"),
        "Codes in this division need a description"
    )));
    // Field information, the entity or the code decide.
    assert!(blamed(ApiFailure {
        subjects: Box::new(vec![Subject::Field("division.id".into())]),
        ..refusal(Some("invalid.value"), "The value is not valid.")
    }));
    assert!(blamed(ApiFailure {
        subjects: Box::new(vec![Subject::Entity(
            "3FA85F64-5717-4562-B3FC-2C963F66AFA6".into()
        )]),
        ..refusal(Some("invalid.value"), "Not valid.")
    }));
    assert!(blamed(refusal(Some("division.not.found"), "Not found.")));
    // Without a code, the message is all there is.
    assert!(blamed(refusal(None, "The division does not exist.")));
    assert!(!blamed(refusal(None, "The name is too long.")));
}

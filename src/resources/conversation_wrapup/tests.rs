//! The resource's plan, apply, refresh and destroy against an in-memory platform.

use super::*;
use crate::platform::wrapup_writer::fake::*;
use tfplugin_framework::resource::{run_create, run_read, run_update};
use tfplugin_framework::{TfValue, attr_path};

/// The model of a value the resource returned.
fn model(value: &Value) -> ConversationWrapupModel {
    ConversationWrapupModel::from_value(value).expect("a conversation wrap-up value")
}

/// The attributes the provider may compute, and how to reach them.
type Field = fn(&mut ConversationWrapupModel) -> &mut TfValue<String>;
const COMPUTED: [Field; 6] = [
    |m| &mut m.id,
    |m| &mut m.participant_id,
    |m| &mut m.communication_id,
    |m| &mut m.wrapup_code_id,
    |m| &mut m.media_type,
    |m| &mut m.applied_at,
];

fn resource(platform: &Arc<FakePlatform>) -> ConversationWrapup {
    ConversationWrapup {
        access: ConversationsView::fixed(platform.clone()),
        verify_delays: vec![std::time::Duration::ZERO],
    }
}

fn config_by_name(name: &str) -> Value {
    ConversationWrapupModel {
        conversation_id: CONV.into(),
        wrapup_code_name: name.into(),
        ..ConversationWrapupModel::default()
    }
    .to_value()
}

/// What the server plans by default for a create: computed nulls become unknown.
fn default_create_plan(config: &Value) -> Value {
    let mut planned = model(config);
    for field in COMPUTED {
        if field(&mut planned).is_null() {
            *field(&mut planned) = TfValue::unknown();
        }
    }
    planned.to_value()
}

async fn plan(
    resource: &ConversationWrapup,
    prior: Option<&Value>,
    config: &Value,
) -> PlanResponse {
    let proposed = match prior {
        None => default_create_plan(config),
        Some(prior) => {
            let mut proposed = model(config);
            let mut prior = model(prior);
            for field in COMPUTED {
                if field(&mut proposed).is_null() {
                    *field(&mut proposed) = field(&mut prior).clone();
                }
            }
            proposed.to_value()
        }
    };
    let request = PlanRequest {
        prior_state: prior.cloned(),
        proposed_new_state: proposed.clone(),
        config: config.clone(),
        prior_private: Vec::new(),
        prior_identity: None,
        planned_private: None,
        cancel: tfplugin_framework::CancellationToken::new(),
    };
    let mut response = PlanResponse {
        planned_state: proposed,
        ..PlanResponse::default()
    };
    resource.modify_plan(&request, &mut response).await;
    response
}

async fn create(resource: &ConversationWrapup, config: &Value) -> Value {
    let planned = plan(resource, None, config).await;
    assert!(
        !planned.diagnostics.has_errors(),
        "{:?}",
        planned.diagnostics
    );
    let result = run_create(
        resource,
        CreateRequest {
            config: config.clone(),
            planned_state: planned.planned_state,
            planned_private: Vec::new(),
            planned_identity: None,
            cancel: tfplugin_framework::CancellationToken::new(),
        },
    )
    .await;
    assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
    result.new_state
}

async fn refresh(resource: &ConversationWrapup, state: &Value) -> Option<Value> {
    let result = run_read(
        resource,
        ReadRequest {
            current_state: state.clone(),
            private: Vec::new(),
            current_identity: None,
            cancel: tfplugin_framework::CancellationToken::new(),
        },
    )
    .await;
    assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
    (!result.is_removed()).then_some(result.new_state)
}

#[tokio::test]
async fn the_plan_shows_the_resolved_ids_and_the_next_plan_is_empty() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let config = config_by_name("Sale completed");
    let planned = plan(&resource, None, &config).await.planned_state;
    assert_eq!(model(&planned).wrapup_code_id.as_str(), Some(SALE));
    assert_eq!(model(&planned).participant_id.as_str(), Some(AGENT));
    assert_eq!(model(&planned).communication_id.as_str(), Some(AGENT_CALL));
    assert_eq!(model(&planned).media_type.as_str(), Some("calls"));
    assert!(model(&planned).applied_at == TfValue::unknown());

    let state = create(&resource, &config).await;
    assert_eq!(model(&state).wrapup_code_id.as_str(), Some(SALE));
    assert!(model(&state).applied_at.as_str().is_some());
    let state = refresh(&resource, &state).await.expect("still there");
    let next = plan(&resource, Some(&state), &config).await;
    assert_eq!(next.planned_state, state, "no change planned");
    assert!(next.requires_replace.is_empty());
}

#[tokio::test]
async fn a_wrap_up_changed_on_the_platform_is_drift_that_apply_restores() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let config = config_by_name("Sale completed");
    let state = create(&resource, &config).await;

    platform.set_wrapup(NO_SALE, Some("No sale"));
    let refreshed = refresh(&resource, &state).await.expect("still there");
    assert_eq!(model(&refreshed).wrapup_code_id.as_str(), Some(NO_SALE));
    assert_eq!(model(&refreshed).wrapup_code_name.as_str(), Some("No sale"));

    let next = plan(&resource, Some(&refreshed), &config).await;
    assert!(!next.diagnostics.has_errors(), "{:?}", next.diagnostics);
    assert!(next.requires_replace.is_empty(), "re-applied in place");
    assert_eq!(
        model(&next.planned_state).wrapup_code_id.as_str(),
        Some(SALE)
    );
    assert!(model(&next.planned_state).applied_at == TfValue::unknown());

    let updated = run_update(
        &resource,
        UpdateRequest {
            config: config.clone(),
            prior_state: refreshed,
            planned_state: next.planned_state,
            planned_private: Vec::new(),
            planned_identity: None,
            cancel: tfplugin_framework::CancellationToken::new(),
        },
    )
    .await;
    assert!(
        !updated.diagnostics.has_errors(),
        "{:?}",
        updated.diagnostics
    );
    let platform_now = platform
        .participant_wrapup(CONV, AGENT)
        .await
        .expect("readable")
        .and_then(|w| w.code);
    assert_eq!(platform_now.as_deref(), Some(SALE));
}

#[tokio::test]
async fn ids_the_plan_left_unknown_are_resolved_at_apply() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let config = config_by_name("Sale completed");
    let result = run_create(
        &resource,
        CreateRequest {
            config: config.clone(),
            planned_state: default_create_plan(&config),
            planned_private: Vec::new(),
            planned_identity: None,
            cancel: tfplugin_framework::CancellationToken::new(),
        },
    )
    .await;
    assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
    let state = result.new_state;
    assert_eq!(model(&state).participant_id.as_str(), Some(AGENT));
    assert_eq!(model(&state).wrapup_code_id.as_str(), Some(SALE));
    assert!(state.is_wholly_known());
}

#[tokio::test]
async fn a_purged_conversation_leaves_state() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let state = create(&resource, &config_by_name("Sale completed")).await;
    platform.purge();
    assert_eq!(refresh(&resource, &state).await, None);
}

#[tokio::test]
async fn another_conversation_replaces_the_resource() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let config = config_by_name("Sale completed");
    let state = create(&resource, &config).await;
    let moved = ConversationWrapupModel {
        conversation_id: SALE.into(),
        ..model(&config)
    }
    .to_value();
    let next = plan(&resource, Some(&state), &moved).await;
    assert_eq!(
        next.requires_replace,
        vec![attr_path!(ConversationWrapupModel.conversation_id)]
    );
}

#[tokio::test]
async fn an_unknown_code_name_fails_the_plan_on_the_name() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let response = plan(&resource, None, &config_by_name("Refund")).await;
    let diagnostic = &response.diagnostics.0[0];
    assert_eq!(
        diagnostic.attribute,
        Some(attr_path!(ConversationWrapupModel.wrapup_code_name))
    );
}

#[tokio::test]
async fn destroy_only_warns() {
    let platform = Arc::new(FakePlatform::ended());
    let resource = resource(&platform);
    let state = create(&resource, &config_by_name("Sale completed")).await;
    let diagnostics = resource
        .delete(DeleteRequest {
            prior_state: state,
            private: Vec::new(),
            cancel: tfplugin_framework::CancellationToken::new(),
        })
        .await;
    assert!(!diagnostics.has_errors());
    assert_eq!(diagnostics.0.len(), 1);
    assert!(diagnostics.0[0].detail.contains("cannot remove a wrap-up"));
    assert_eq!(
        platform
            .participant_wrapup(CONV, AGENT)
            .await
            .expect("readable")
            .and_then(|w| w.code)
            .as_deref(),
        Some(SALE)
    );
}

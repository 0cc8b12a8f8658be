//! A panic inside a resource, list or action is answered as an error diagnostic carrying the
//! panic message, on the RPC that panicked, and the server goes on answering later RPCs.

use crate::protocol_support;

use futures_util::StreamExt;
use protocol_support::test_provider::{PANIC, thing, thing_type};
use protocol_support::{Harness, assert_no_errors, assert_one_error, dv, start};
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::tfplugin6 as proto;

const BUG: &str = "Provider bug: the provider panicked";

async fn plan(harness: &mut Harness, name: &str) -> proto::plan_resource_change::Response {
    let ty = thing_type();
    let config = thing(None, name, None);
    harness
        .client
        .plan_resource_change(proto::plan_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&Value::Null, &ty),
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .expect("PlanResourceChange is answered, not a transport error")
        .into_inner()
}

async fn create(harness: &mut Harness, name: &str) -> proto::apply_resource_change::Response {
    let ty = thing_type();
    let planned = thing(None, name, None);
    harness
        .client
        .apply_resource_change(proto::apply_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&Value::Null, &ty),
            planned_state: dv(&planned, &ty),
            config: dv(&planned, &ty),
            ..Default::default()
        })
        .await
        .expect("ApplyResourceChange is answered, not a transport error")
        .into_inner()
}

/// The one error is the panic's, naming the RPC and carrying the panic message.
fn assert_panic_reported(diagnostics: &[proto::Diagnostic], rpc: &str, operation: &str) {
    let error = assert_one_error(diagnostics, BUG);
    assert!(error.detail.contains(rpc), "{error:#?}");
    assert!(
        error
            .detail
            .contains(&format!("deliberate test panic in {operation}")),
        "{error:#?}"
    );
}

#[tokio::test]
async fn a_panicking_plan_is_an_error_diagnostic_and_the_next_rpcs_are_served() {
    let mut harness = start().await;
    let panicked = plan(&mut harness, PANIC).await;
    assert_panic_reported(&panicked.diagnostics, "PlanResourceChange", "plan");
    assert!(panicked.planned_state.is_none());

    let next = plan(&mut harness, "fine").await;
    assert_no_errors(&next.diagnostics);
    assert!(next.planned_state.is_some());
    let schema = harness
        .client
        .get_provider_schema(proto::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert_no_errors(&schema.diagnostics);
}

#[tokio::test]
async fn a_panicking_read_and_create_are_error_diagnostics_and_writes_go_on() {
    let mut harness = start().await;
    let ty = thing_type();
    let read = harness
        .client
        .read_resource(proto::read_resource::Request {
            type_name: "test_thing".to_string(),
            current_state: dv(&thing(Some("thing-panic"), PANIC, None), &ty),
            ..Default::default()
        })
        .await
        .expect("ReadResource is answered")
        .into_inner();
    assert_panic_reported(&read.diagnostics, "ReadResource", "read");
    assert!(read.new_state.is_none());

    let created = create(&mut harness, PANIC).await;
    assert_panic_reported(&created.diagnostics, "ApplyResourceChange", "create");
    assert!(created.new_state.is_none());

    let next = create(&mut harness, "after").await;
    assert_no_errors(&next.diagnostics);
    let state = protocol_support::value_of(next.new_state.as_ref(), &ty);
    assert_eq!(state.attr_str("id"), Some("thing-after"));
}

#[tokio::test]
async fn a_panicking_list_ends_its_stream_with_an_error_and_the_next_list_runs() {
    let mut harness = start().await;
    let config_ty = Type::object([("prefix", Type::String)]);
    let mut list = async |prefix: &str| -> Vec<proto::list_resource::Event> {
        harness
            .client
            .list_resource(proto::list_resource::Request {
                type_name: "test_thing".to_string(),
                config: dv(
                    &Value::object([("prefix", Value::string(prefix))]),
                    &config_ty,
                ),
                include_resource_object: false,
                limit: 100,
            })
            .await
            .expect("ListResource")
            .into_inner()
            .map(|event| event.expect("events, not a transport error"))
            .collect()
            .await
    };
    let events = list(PANIC).await;
    // The two results sent before the panic, then the error.
    assert_eq!(events.len(), 3, "{events:#?}");
    assert!(
        events[..2]
            .iter()
            .all(|e| e.identity.is_some() && e.diagnostic.is_empty())
    );
    assert_panic_reported(&events[2].diagnostic, "ListResource", "list");
    assert!(events[2].identity.is_none());

    let next = list("ok").await;
    assert_eq!(next.len(), protocol_support::test_provider::LISTED);
    assert!(next.iter().all(|e| e.diagnostic.is_empty()));
}

#[tokio::test]
async fn a_panicking_action_completes_with_an_error_and_the_next_action_runs() {
    use proto::invoke_action::event::Type as Event;
    let mut harness = start().await;
    let ty = Type::object([("message", Type::String)]);
    let mut invoke = async |message: &str| -> Vec<Event> {
        harness
            .client
            .invoke_action(proto::invoke_action::Request {
                action_type: "test_notify".to_string(),
                config: dv(&Value::object([("message", Value::string(message))]), &ty),
                client_capabilities: None,
            })
            .await
            .expect("InvokeAction")
            .into_inner()
            .map(|event| {
                event
                    .expect("events, not a transport error")
                    .r#type
                    .expect("typed")
            })
            .collect()
            .await
    };
    let events = invoke(PANIC).await;
    match events.as_slice() {
        [Event::Progress(progress), Event::Completed(completed)] => {
            assert_eq!(progress.message, "step 1: panic");
            assert_panic_reported(&completed.diagnostics, "InvokeAction", "invoke");
        }
        other => panic!("expected one progress and the completion, got {other:#?}"),
    }
    let next = invoke("hi").await;
    assert_eq!(next.len(), 4, "{next:#?}");
}

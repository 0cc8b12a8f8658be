//! The tfplugin6 server, driven in-process through a tonic client generated from the same
//! proto, with a test-only provider (one type of each kind).

use crate::protocol_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::StreamExt;
use protocol_support::test_provider::{
    LISTED, THING_VERSION, identity_of, identity_type, thing, thing_type,
};
use protocol_support::{assert_no_errors, assert_one_error, dv, errors, identity, start, value_of};
use tfplugin_framework::cty::{Type, Value};
use tfplugin_framework::tfplugin6::{self as proto, DynamicValue, RawState};

fn attribute_path(names: &[&str]) -> proto::AttributePath {
    use proto::attribute_path::{Step, step::Selector};
    proto::AttributePath {
        steps: names
            .iter()
            .map(|name| Step {
                selector: Some(Selector::AttributeName(name.to_string())),
            })
            .collect(),
    }
}

#[tokio::test]
async fn schema_carries_type_json_sensitivity_markdown_and_capabilities() {
    let mut harness = start().await;
    let schema = harness
        .client
        .get_provider_schema(proto::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    assert_no_errors(&schema.diagnostics);

    let provider = schema
        .provider
        .and_then(|s| s.block)
        .expect("provider block");
    assert_eq!(provider.description, "The **test** provider.");
    assert_eq!(
        provider.description_kind,
        proto::StringKind::Markdown as i32
    );
    let secret = provider
        .attributes
        .iter()
        .find(|a| a.name == "secret")
        .expect("secret");
    assert!(secret.sensitive && secret.optional);

    let thing = &schema.resource_schemas["test_thing"];
    assert_eq!(thing.version, THING_VERSION);
    let block = thing.block.as_ref().expect("thing block");
    let by_name = |name: &str| {
        block
            .attributes
            .iter()
            .find(|a| a.name == name)
            .expect(name)
    };
    assert_eq!(by_name("id").r#type, br#""string""#);
    assert!(by_name("id").computed && !by_name("id").optional);
    assert_eq!(by_name("size").r#type, br#""number""#);
    assert_eq!(by_name("tags").r#type, br#"["map","string"]"#);
    assert!(by_name("token").sensitive);
    assert!(by_name("zone").optional && by_name("zone").computed);
    assert!(block.attributes.iter().all(|a| a.nested_type.is_none()));
    assert!(
        block
            .attributes
            .iter()
            .all(|a| a.description_kind == proto::StringKind::Markdown as i32)
    );

    assert!(schema.data_source_schemas.contains_key("test_lookup"));
    assert!(schema.list_resource_schemas.contains_key("test_thing"));
    assert!(schema.action_schemas["test_notify"].schema.is_some());
    let capabilities = schema.server_capabilities.expect("capabilities");
    assert!(capabilities.plan_destroy);
    assert!(capabilities.get_provider_schema_optional);
    assert!(capabilities.generate_resource_config);
    assert!(!capabilities.move_resource_state);

    let identities = harness
        .client
        .get_resource_identity_schemas(proto::get_resource_identity_schemas::Request {})
        .await
        .expect("GetResourceIdentitySchemas")
        .into_inner();
    let identity = &identities.identity_schemas["test_thing"];
    assert_eq!(identity.version, 1);
    assert_eq!(identity.identity_attributes[0].name, "id");
    assert_eq!(identity.identity_attributes[0].r#type, br#""string""#);
    assert!(identity.identity_attributes[0].required_for_import);

    let metadata = harness
        .client
        .get_metadata(proto::get_metadata::Request {})
        .await
        .expect("GetMetadata")
        .into_inner();
    assert_eq!(metadata.resources[0].type_name, "test_thing");
    assert_eq!(metadata.actions[0].type_name, "test_notify");
}

#[tokio::test]
async fn provider_config_is_validated_with_attribute_paths_and_configure_gets_the_version() {
    let mut harness = start().await;
    let ty = Type::object([("endpoint", Type::String), ("secret", Type::String)]);
    let config = Value::object([
        ("endpoint", Value::string("ftp://x")),
        ("secret", Value::Null),
    ]);
    let validated = harness
        .client
        .validate_provider_config(proto::validate_provider_config::Request {
            config: dv(&config, &ty),
        })
        .await
        .expect("ValidateProviderConfig")
        .into_inner();
    let error = assert_one_error(&validated.diagnostics, "Invalid endpoint");
    assert_eq!(error.attribute, Some(attribute_path(&["endpoint"])));

    let configured = harness
        .client
        .configure_provider(proto::configure_provider::Request {
            terraform_version: "1.15.5".to_string(),
            config: dv(
                &Value::object([("endpoint", Value::Null), ("secret", Value::Null)]),
                &ty,
            ),
            client_capabilities: None,
        })
        .await
        .expect("ConfigureProvider")
        .into_inner();
    assert_no_errors(&configured.diagnostics);
    assert_eq!(
        harness
            .calls
            .terraform_version
            .lock()
            .expect("lock")
            .as_deref(),
        Some("1.15.5")
    );
}

#[tokio::test]
async fn plan_create_makes_unset_computed_attributes_unknown_then_lets_the_resource_adjust() {
    let mut harness = start().await;
    let ty = thing_type();
    let config = thing(None, "a", None);
    let planned = harness
        .client
        .plan_resource_change(proto::plan_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&Value::Null, &ty),
            proposed_new_state: dv(&config, &ty),
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await
        .expect("PlanResourceChange")
        .into_inner();
    assert_no_errors(&planned.diagnostics);
    assert!(!planned.legacy_type_system);
    let state = value_of(planned.planned_state.as_ref(), &ty);
    assert!(
        state.get_attr("id").is_some_and(Value::is_unknown),
        "{state:?}"
    );
    // zone is optional+computed and unset: the resource's modify_plan knows it.
    assert_eq!(state.get_attr("zone"), Some(&Value::string("home")));
    assert_eq!(
        state.get_attr("size"),
        Some(&Value::Null),
        "optional, not computed"
    );
    let seen = harness
        .calls
        .last_plan
        .lock()
        .expect("lock")
        .clone()
        .expect("planned");
    assert!(seen.prior_state.is_none());
    assert!(
        seen.proposed_new_state
            .get_attr("id")
            .is_some_and(Value::is_null)
    );
}

#[tokio::test]
async fn plan_update_keeps_the_proposal_passes_identity_and_private_and_reports_replacement() {
    let mut harness = start().await;
    let ty = thing_type();
    let prior = thing(Some("thing-a"), "a", Some("home"));
    let proposed = thing(Some("thing-a"), "b", Some("home"));
    let planned = harness
        .client
        .plan_resource_change(proto::plan_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&prior, &ty),
            proposed_new_state: dv(&proposed, &ty),
            config: dv(&thing(None, "b", None), &ty),
            prior_private: b"opaque".to_vec(),
            prior_identity: identity(&identity_of("thing-a"), &identity_type()),
            ..Default::default()
        })
        .await
        .expect("PlanResourceChange")
        .into_inner();
    assert_no_errors(&planned.diagnostics);
    assert_eq!(value_of(planned.planned_state.as_ref(), &ty), proposed);
    assert_eq!(planned.planned_private, b"opaque");
    let planned_identity = planned.planned_identity.expect("identity passed through");
    assert_eq!(
        value_of(planned_identity.identity_data.as_ref(), &identity_type()),
        identity_of("thing-a")
    );
    assert_eq!(planned.requires_replace, vec![attribute_path(&["name"])]);
}

#[tokio::test]
async fn plan_destroy_plans_null_without_asking_the_resource() {
    let mut harness = start().await;
    let ty = thing_type();
    let prior = thing(Some("thing-a"), "a", Some("home"));
    let planned = harness
        .client
        .plan_resource_change(proto::plan_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&prior, &ty),
            proposed_new_state: dv(&Value::Null, &ty),
            config: dv(&Value::Null, &ty),
            prior_private: b"kept".to_vec(),
            ..Default::default()
        })
        .await
        .expect("PlanResourceChange")
        .into_inner();
    assert_no_errors(&planned.diagnostics);
    assert_eq!(value_of(planned.planned_state.as_ref(), &ty), Value::Null);
    assert_eq!(planned.planned_private, b"kept");
    assert_eq!(harness.calls.plans.load(Ordering::SeqCst), 0);
    assert_eq!(harness.calls.deletes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn apply_creates_updates_and_deletes_by_prior_and_planned_nullness() {
    let harness = start().await;
    let ty = thing_type();
    let apply = |prior: Value, planned: Value| {
        let request = proto::apply_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&prior, &ty),
            planned_state: dv(&planned, &ty),
            config: dv(&planned, &ty),
            planned_private: b"planned".to_vec(),
            ..Default::default()
        };
        let mut client = harness.client.clone();
        async move {
            client
                .apply_resource_change(request)
                .await
                .expect("ApplyResourceChange")
                .into_inner()
        }
    };
    let mut planned = thing(None, "a", Some("home"));
    if let Value::Object(attributes) = &mut planned {
        attributes.insert("id".to_string(), Value::unknown());
    }
    let created = apply(Value::Null, planned).await;
    assert_no_errors(&created.diagnostics);
    let state = value_of(created.new_state.as_ref(), &ty);
    assert_eq!(state, thing(Some("thing-a"), "a", Some("home")));
    assert_eq!(created.private, b"{\"created\":true}");
    let new_identity = created.new_identity.expect("identity after create");
    assert_eq!(
        value_of(new_identity.identity_data.as_ref(), &identity_type()),
        identity_of("thing-a")
    );

    let updated = apply(state.clone(), thing(Some("thing-a"), "a", Some("away"))).await;
    assert_no_errors(&updated.diagnostics);
    assert_eq!(
        value_of(updated.new_state.as_ref(), &ty).get_attr("zone"),
        Some(&Value::string("away"))
    );
    assert_eq!(
        updated.private, b"planned",
        "private passes through when unchanged"
    );

    let deleted = apply(state, Value::Null).await;
    assert_no_errors(&deleted.diagnostics);
    assert_eq!(value_of(deleted.new_state.as_ref(), &ty), Value::Null);

    let stuck = thing(Some("thing-u"), "undeletable", None);
    let failed = apply(stuck.clone(), Value::Null).await;
    assert_one_error(&failed.diagnostics, "Cannot delete");
    assert_eq!(
        value_of(failed.new_state.as_ref(), &ty),
        stuck,
        "kept in state"
    );

    assert_eq!(harness.calls.creates.load(Ordering::SeqCst), 1);
    assert_eq!(harness.calls.updates.load(Ordering::SeqCst), 1);
    assert_eq!(harness.calls.deletes.load(Ordering::SeqCst), 2);
}

/// The response a type fills in belongs to the server: what a create set before failing is
/// saved beside the error, an update that fails before changing anything keeps the prior
/// state, and a create that succeeds without a state is a provider bug, not a silent loss.
#[tokio::test]
async fn apply_sends_the_state_set_so_far_beside_an_error() {
    let harness = start().await;
    let ty = thing_type();
    let mut client = harness.client.clone();
    let half = client
        .apply_resource_change(create_request("half"))
        .await
        .expect("ApplyResourceChange")
        .into_inner();
    assert_one_error(&half.diagnostics, "Second step failed");
    assert_eq!(
        value_of(half.new_state.as_ref(), &ty),
        thing(Some("thing-half"), "half", None),
        "what was created is saved beside the error"
    );
    assert!(half.new_identity.is_some());

    let forgetful = client
        .apply_resource_change(create_request("forgetful"))
        .await
        .expect("ApplyResourceChange")
        .into_inner();
    assert_one_error(
        &forgetful.diagnostics,
        "Missing resource state after create",
    );

    let prior = thing(Some("thing-a"), "a", Some("home"));
    let refused = client
        .apply_resource_change(proto::apply_resource_change::Request {
            type_name: "test_thing".to_string(),
            prior_state: dv(&prior, &ty),
            planned_state: dv(&thing(Some("thing-a"), "a", Some("refused")), &ty),
            config: dv(&thing(Some("thing-a"), "a", Some("refused")), &ty),
            ..Default::default()
        })
        .await
        .expect("ApplyResourceChange")
        .into_inner();
    assert_one_error(&refused.diagnostics, "Update refused");
    assert_eq!(value_of(refused.new_state.as_ref(), &ty), prior);
}

#[tokio::test]
async fn read_returns_the_state_or_null_when_the_object_is_gone() {
    let harness = start().await;
    let ty = thing_type();
    let read = |state: Value| {
        let mut client = harness.client.clone();
        let ty = ty.clone();
        async move {
            client
                .read_resource(proto::read_resource::Request {
                    type_name: "test_thing".to_string(),
                    current_state: dv(&state, &ty),
                    private: b"p".to_vec(),
                    current_identity: identity(&identity_of("x"), &identity_type()),
                    ..Default::default()
                })
                .await
                .expect("ReadResource")
                .into_inner()
        }
    };
    let present = thing(Some("x"), "here", None);
    let found = read(present.clone()).await;
    assert_eq!(value_of(found.new_state.as_ref(), &ty), present);
    assert_eq!(found.private, b"p");
    assert!(found.new_identity.is_some());

    let unreadable = thing(Some("x"), "unreadable", None);
    let failed = read(unreadable.clone()).await;
    assert_one_error(&failed.diagnostics, "Read failed");
    assert_eq!(
        value_of(failed.new_state.as_ref(), &ty),
        unreadable,
        "a failed read keeps the prior state"
    );
    assert_eq!(failed.private, b"p");
    assert!(failed.new_identity.is_some());

    let gone = read(thing(Some("x"), "gone", None)).await;
    assert_no_errors(&gone.diagnostics);
    assert_eq!(value_of(gone.new_state.as_ref(), &ty), Value::Null);
    assert!(gone.new_identity.is_none());
}

#[tokio::test]
async fn unknown_type_names_are_error_diagnostics_not_transport_errors() {
    let mut harness = start().await;
    let validated = harness
        .client
        .validate_resource_config(proto::validate_resource_config::Request {
            type_name: "test_nope".to_string(),
            config: None,
            client_capabilities: None,
        })
        .await
        .expect("answered in-band")
        .into_inner();
    let error = assert_one_error(&validated.diagnostics, "test_nope");
    assert_eq!(error.summary, "Unknown resource type");

    let read = harness
        .client
        .read_data_source(proto::read_data_source::Request {
            type_name: "test_nope".to_string(),
            ..Default::default()
        })
        .await
        .expect("answered in-band")
        .into_inner();
    assert_one_error(&read.diagnostics, "Unknown data source type");

    let planned = harness
        .client
        .plan_action(proto::plan_action::Request {
            action_type: "test_nope".to_string(),
            ..Default::default()
        })
        .await
        .expect("answered in-band")
        .into_inner();
    assert_one_error(&planned.diagnostics, "Unknown action type");
}

#[tokio::test]
async fn validation_errors_point_at_the_attribute_and_json_values_are_accepted() {
    let mut harness = start().await;
    let json = br#"{"id":null,"name":"","size":1e400,"token":null,"zone":null,"tags":{"k":"v"}}"#;
    let validated = harness
        .client
        .validate_resource_config(proto::validate_resource_config::Request {
            type_name: "test_thing".to_string(),
            config: Some(DynamicValue {
                msgpack: Vec::new(),
                json: json.to_vec(),
            }),
            client_capabilities: None,
        })
        .await
        .expect("ValidateResourceConfig")
        .into_inner();
    let error = assert_one_error(&validated.diagnostics, "Empty name");
    assert_eq!(error.attribute, Some(attribute_path(&["name"])));

    let garbage = harness
        .client
        .validate_resource_config(proto::validate_resource_config::Request {
            type_name: "test_thing".to_string(),
            config: Some(DynamicValue {
                msgpack: vec![0xc1],
                json: Vec::new(),
            }),
            client_capabilities: None,
        })
        .await
        .expect("bad bytes are answered in-band")
        .into_inner();
    assert_one_error(&garbage.diagnostics, "Invalid configuration");
}

#[tokio::test]
async fn import_by_identity_or_id_returns_state_and_identity() {
    let mut harness = start().await;
    let by_identity = harness
        .client
        .import_resource_state(proto::import_resource_state::Request {
            type_name: "test_thing".to_string(),
            id: String::new(),
            client_capabilities: None,
            identity: identity(&identity_of("thing-9"), &identity_type()),
        })
        .await
        .expect("ImportResourceState")
        .into_inner();
    assert_no_errors(&by_identity.diagnostics);
    let imported = &by_identity.imported_resources[0];
    assert_eq!(imported.type_name, "test_thing");
    assert_eq!(
        value_of(imported.state.as_ref(), &thing_type()),
        thing(Some("thing-9"), "imported", Some("home"))
    );
    let imported_identity = imported.identity.as_ref().expect("identity");
    assert_eq!(
        value_of(imported_identity.identity_data.as_ref(), &identity_type()),
        identity_of("thing-9")
    );

    let by_id = harness
        .client
        .import_resource_state(proto::import_resource_state::Request {
            type_name: "test_thing".to_string(),
            id: "thing-7".to_string(),
            ..Default::default()
        })
        .await
        .expect("ImportResourceState")
        .into_inner();
    let state = value_of(by_id.imported_resources[0].state.as_ref(), &thing_type());
    assert_eq!(state.get_attr("id"), Some(&Value::string("thing-7")));

    let neither = harness
        .client
        .import_resource_state(proto::import_resource_state::Request {
            type_name: "test_thing".to_string(),
            ..Default::default()
        })
        .await
        .expect("answered in-band")
        .into_inner();
    assert_one_error(&neither.diagnostics, "needs an ID or a resource identity");
}

#[tokio::test]
async fn data_source_reads_its_state_and_reports_errors_with_paths() {
    let harness = start().await;
    let ty = Type::object([("name", Type::String), ("id", Type::String)]);
    let read = |name: &str| {
        let mut client = harness.client.clone();
        let config = Value::object([("name", Value::string(name)), ("id", Value::Null)]);
        let ty = ty.clone();
        async move {
            client
                .read_data_source(proto::read_data_source::Request {
                    type_name: "test_lookup".to_string(),
                    config: dv(&config, &ty),
                    ..Default::default()
                })
                .await
                .expect("ReadDataSource")
                .into_inner()
        }
    };
    let found = read("a").await;
    assert_eq!(
        value_of(found.state.as_ref(), &ty).get_attr("id"),
        Some(&Value::string("thing-a"))
    );
    let missing = read("missing").await;
    let error = assert_one_error(&missing.diagnostics, "Not found");
    assert_eq!(error.attribute, Some(attribute_path(&["name"])));
}

#[tokio::test]
async fn list_stream_stops_at_the_limit_and_carries_identity_and_resource_objects() {
    let mut harness = start().await;
    let config_ty = Type::object([("prefix", Type::String)]);
    let config = Value::object([("prefix", Value::string("t"))]);
    let events: Vec<_> = harness
        .client
        .list_resource(proto::list_resource::Request {
            type_name: "test_thing".to_string(),
            config: dv(&config, &config_ty),
            include_resource_object: true,
            limit: 3,
        })
        .await
        .expect("ListResource")
        .into_inner()
        .collect()
        .await;
    let events: Vec<_> = events.into_iter().map(|e| e.expect("event")).collect();
    assert_eq!(events.len(), 3, "{events:#?}");
    for (index, event) in events.iter().enumerate() {
        assert_no_errors(&event.diagnostic);
        let id = format!("t-{index}");
        let identity = event.identity.as_ref().expect("identity is mandatory");
        assert_eq!(
            value_of(identity.identity_data.as_ref(), &identity_type()),
            identity_of(&id)
        );
        assert_eq!(event.display_name, format!("Thing {index}"));
        let object = value_of(event.resource_object.as_ref(), &thing_type());
        assert_eq!(object.get_attr("id"), Some(&Value::string(&id)));
    }
    assert!(
        harness.calls.listed.load(Ordering::SeqCst) < LISTED,
        "producer stopped early"
    );

    let without_objects: Vec<_> = harness
        .client
        .list_resource(proto::list_resource::Request {
            type_name: "test_thing".to_string(),
            config: dv(&Value::Null, &config_ty),
            include_resource_object: false,
            limit: 100,
        })
        .await
        .expect("ListResource")
        .into_inner()
        .collect()
        .await;
    assert_eq!(without_objects.len(), LISTED);
    assert!(
        without_objects
            .iter()
            .all(|e| e.as_ref().is_ok_and(|e| e.resource_object.is_none()))
    );
}

#[tokio::test]
async fn action_streams_progress_then_exactly_one_completion() {
    use proto::invoke_action::event::Type as Event;
    let mut harness = start().await;
    let ty = Type::object([("message", Type::String)]);
    let events: Vec<_> = harness
        .client
        .invoke_action(proto::invoke_action::Request {
            action_type: "test_notify".to_string(),
            config: dv(&Value::object([("message", Value::string("hi"))]), &ty),
            client_capabilities: None,
        })
        .await
        .expect("InvokeAction")
        .into_inner()
        .map(|event| event.expect("event").r#type.expect("typed event"))
        .collect()
        .await;
    assert_eq!(events.len(), 4, "{events:#?}");
    for (index, event) in events[..3].iter().enumerate() {
        match event {
            Event::Progress(progress) => {
                assert_eq!(progress.message, format!("step {}: hi", index + 1))
            }
            other => panic!("expected progress, got {other:?}"),
        }
    }
    match &events[3] {
        Event::Completed(completed) => {
            assert_no_errors(&completed.diagnostics);
            assert_eq!(completed.diagnostics[0].summary, "Notified");
        }
        other => panic!("expected completion, got {other:?}"),
    }

    let planned = harness
        .client
        .plan_action(proto::plan_action::Request {
            action_type: "test_notify".to_string(),
            config: dv(&Value::object([("message", Value::string(""))]), &ty),
            client_capabilities: None,
        })
        .await
        .expect("PlanAction")
        .into_inner();
    let error = assert_one_error(&planned.diagnostics, "Empty message");
    assert_eq!(error.attribute, Some(attribute_path(&["message"])));

    let unknown: Vec<_> = harness
        .client
        .invoke_action(proto::invoke_action::Request {
            action_type: "test_nope".to_string(),
            ..Default::default()
        })
        .await
        .expect("InvokeAction")
        .into_inner()
        .collect()
        .await;
    assert_eq!(unknown.len(), 1);
    match unknown[0].as_ref().ok().and_then(|e| e.r#type.as_ref()) {
        Some(Event::Completed(completed)) => {
            assert_one_error(&completed.diagnostics, "Unknown action type");
        }
        other => panic!("expected one completion, got {other:?}"),
    }
}

#[tokio::test]
async fn unsupported_features_answer_with_diagnostics_not_transport_errors() {
    let mut harness = start().await;
    let client = &mut harness.client;
    let ephemeral = client
        .open_ephemeral_resource(proto::open_ephemeral_resource::Request {
            type_name: "test_secret".to_string(),
            ..Default::default()
        })
        .await
        .expect("in-band")
        .into_inner();
    assert_one_error(&ephemeral.diagnostics, "is not supported by this provider");
    let moved = client
        .move_resource_state(proto::move_resource_state::Request::default())
        .await
        .expect("in-band")
        .into_inner();
    assert_one_error(&moved.diagnostics, "is not supported by this provider");
    let store = client
        .configure_state_store(proto::configure_state_store::Request::default())
        .await
        .expect("in-band")
        .into_inner();
    assert_one_error(&store.diagnostics, "is not supported by this provider");
    let lock = client
        .lock_state(proto::lock_state::Request::default())
        .await
        .expect("in-band")
        .into_inner();
    assert_one_error(&lock.diagnostics, "is not supported by this provider");
    let chunks: Vec<_> = client
        .read_state_bytes(proto::read_state_bytes::Request::default())
        .await
        .expect("in-band")
        .into_inner()
        .collect()
        .await;
    assert_one_error(
        &chunks[0].as_ref().expect("chunk").diagnostics,
        "is not supported by this provider",
    );
    let functions = client
        .get_functions(proto::get_functions::Request {})
        .await
        .expect("in-band")
        .into_inner();
    assert!(functions.functions.is_empty() && functions.diagnostics.is_empty());
    let called = client
        .call_function(proto::call_function::Request {
            name: "upper".to_string(),
            arguments: Vec::new(),
        })
        .await
        .expect("in-band")
        .into_inner();
    let error = called.error.expect("function error");
    assert!(error.text.contains("upper"), "{}", error.text);
}

#[tokio::test]
async fn stop_provider_abandons_a_slow_read_and_the_server_keeps_serving() {
    let mut harness = start().await;
    let ty = thing_type();
    let mut client = harness.client.clone();
    let slow = tokio::spawn(async move {
        client
            .read_resource(proto::read_resource::Request {
                type_name: "test_thing".to_string(),
                current_state: dv(&thing(Some("s"), "slow", None), &thing_type()),
                ..Default::default()
            })
            .await
    });
    while harness.calls.reads.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let stopped = harness
        .client
        .stop_provider(proto::stop_provider::Request {})
        .await
        .expect("StopProvider")
        .into_inner();
    assert_eq!(stopped.error, "");
    let cancelled = tokio::time::timeout(Duration::from_secs(5), slow)
        .await
        .expect("the slow read returns promptly")
        .expect("task")
        .expect("answered in-band")
        .into_inner();
    assert_one_error(&cancelled.diagnostics, "Operation cancelled");

    let after = harness
        .client
        .get_provider_schema(proto::get_provider_schema::Request {})
        .await
        .expect("still serving after StopProvider")
        .into_inner();
    assert!(after.resource_schemas.contains_key("test_thing"));
    let read = harness
        .client
        .read_resource(proto::read_resource::Request {
            type_name: "test_thing".to_string(),
            current_state: dv(&thing(Some("x"), "x", None), &ty),
            ..Default::default()
        })
        .await
        .expect("new operations run normally")
        .into_inner();
    assert_no_errors(&read.diagnostics);
}

fn create_request(name: &str) -> proto::apply_resource_change::Request {
    let planned = thing(None, name, None);
    proto::apply_resource_change::Request {
        type_name: "test_thing".to_string(),
        prior_state: dv(&Value::Null, &thing_type()),
        planned_state: dv(&planned, &thing_type()),
        config: dv(&planned, &thing_type()),
        ..Default::default()
    }
}

#[tokio::test]
async fn stop_provider_lets_a_write_in_flight_finish_and_answers_its_new_state() {
    let harness = start().await;
    let mut client = harness.client.clone();
    let slow =
        tokio::spawn(async move { client.apply_resource_change(create_request("slow")).await });
    while harness.calls.creates.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    harness
        .client
        .clone()
        .stop_provider(proto::stop_provider::Request {})
        .await
        .expect("StopProvider");
    // The create only finishes once it saw the stop: abandoning it would answer an error.
    let created = slow
        .await
        .expect("task")
        .expect("answered in-band")
        .into_inner();
    assert_no_errors(&created.diagnostics);
    let state = value_of(created.new_state.as_ref(), &thing_type());
    assert_eq!(state.attr_str("id"), Some("thing-slow"), "{state:?}");
}

#[tokio::test]
async fn a_write_whose_call_is_cancelled_still_runs_to_its_end() {
    let harness = start().await;
    let mut client = harness.client.clone();
    let call =
        tokio::spawn(async move { client.apply_resource_change(create_request("held")).await });
    while harness.calls.creates.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Dropping the call resets its HTTP/2 stream, and tonic drops the handler's future.
    call.abort();
    let _ = call.await;
    harness.calls.release_held.store(true, Ordering::SeqCst);
    for _ in 0..1000 {
        if harness.calls.creates_finished.load(Ordering::SeqCst) == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the create was dropped with its call instead of running to its end");
}

fn raw(json: &str) -> Option<RawState> {
    Some(RawState {
        json: json.as_bytes().to_vec(),
        flatmap: Default::default(),
    })
}

#[tokio::test]
async fn upgrade_resource_state_decodes_current_upgrades_older_and_refuses_newer() {
    let mut harness = start().await;
    let ty = thing_type();
    let upgrade = |version: i64, raw_state: Option<RawState>| {
        let mut client = harness.client.clone();
        async move {
            client
                .upgrade_resource_state(proto::upgrade_resource_state::Request {
                    type_name: "test_thing".to_string(),
                    version,
                    raw_state,
                })
                .await
                .expect("UpgradeResourceState")
                .into_inner()
        }
    };
    let current = upgrade(
        THING_VERSION,
        raw(r#"{"id":"t1","name":"a","zone":"home","retired_attribute":"x","size":12345678901234567890}"#),
    )
    .await;
    assert_no_errors(&current.diagnostics);
    let state = value_of(current.upgraded_state.as_ref(), &ty);
    assert_eq!(state.get_attr("name"), Some(&Value::string("a")));
    assert_eq!(
        state.get_attr("token"),
        Some(&Value::Null),
        "absent reads as null"
    );
    assert_eq!(
        state
            .get_attr("size")
            .and_then(Value::as_number)
            .map(ToString::to_string),
        Some("12345678901234567890".to_string()),
        "large numbers keep their digits"
    );

    let older = upgrade(1, raw(r#"{"id":"t1","title":"old","zone":"z"}"#)).await;
    assert_no_errors(&older.diagnostics);
    let state = value_of(older.upgraded_state.as_ref(), &ty);
    assert_eq!(state, thing(Some("t1"), "old", Some("z")));

    let newer = upgrade(THING_VERSION + 1, raw(r#"{"id":"t1"}"#)).await;
    assert_one_error(&newer.diagnostics, "managed by newer provider version");
    assert!(newer.upgraded_state.is_none());

    let flatmap = upgrade(
        0,
        Some(RawState {
            json: Vec::new(),
            flatmap: [("id".to_string(), "t1".to_string())].into(),
        }),
    )
    .await;
    assert_one_error(&flatmap.diagnostics, "flatmap");

    let identity = harness
        .client
        .upgrade_resource_identity(proto::upgrade_resource_identity::Request {
            type_name: "test_thing".to_string(),
            version: 1,
            raw_identity: raw(r#"{"id":"t1","dropped":"x"}"#),
        })
        .await
        .expect("UpgradeResourceIdentity")
        .into_inner();
    assert_no_errors(&identity.diagnostics);
    let upgraded = identity.upgraded_identity.expect("identity");
    assert_eq!(
        value_of(upgraded.identity_data.as_ref(), &identity_type()),
        identity_of("t1")
    );
    let older_identity = harness
        .client
        .upgrade_resource_identity(proto::upgrade_resource_identity::Request {
            type_name: "test_thing".to_string(),
            version: 0,
            raw_identity: raw(r#"{"id":"t1"}"#),
        })
        .await
        .expect("UpgradeResourceIdentity")
        .into_inner();
    assert_one_error(
        &older_identity.diagnostics,
        "cannot upgrade resource identity",
    );
}

#[tokio::test]
async fn generated_config_drops_provider_only_attributes() {
    let mut harness = start().await;
    let ty = thing_type();
    let generated = harness
        .client
        .generate_resource_config(proto::generate_resource_config::Request {
            type_name: "test_thing".to_string(),
            state: dv(&thing(Some("t1"), "a", Some("home")), &ty),
        })
        .await
        .expect("GenerateResourceConfig")
        .into_inner();
    assert!(errors(&generated.diagnostics).is_empty());
    assert_eq!(
        value_of(generated.config.as_ref(), &ty),
        thing(None, "a", Some("home")),
        "computed-only id is dropped; optional+computed zone is kept"
    );
}

async fn configure_endpoint(
    harness: &mut protocol_support::Harness,
    endpoint: Value,
    deferral_allowed: bool,
) {
    let ty = Type::object([("endpoint", Type::String), ("secret", Type::String)]);
    let configured = harness
        .client
        .configure_provider(proto::configure_provider::Request {
            terraform_version: "1.15.5".to_string(),
            config: dv(
                &Value::object([("endpoint", endpoint), ("secret", Value::Null)]),
                &ty,
            ),
            client_capabilities: Some(proto::ClientCapabilities {
                deferral_allowed,
                write_only_attributes_allowed: true,
            }),
        })
        .await
        .expect("ConfigureProvider")
        .into_inner();
    assert_no_errors(&configured.diagnostics);
}

fn capabilities(deferral_allowed: bool) -> Option<proto::ClientCapabilities> {
    Some(proto::ClientCapabilities {
        deferral_allowed,
        write_only_attributes_allowed: true,
    })
}

#[tokio::test]
async fn unknown_provider_config_defers_plan_read_import_and_data_sources_where_allowed() {
    let mut harness = start().await;
    configure_endpoint(&mut harness, Value::unknown(), true).await;
    let ty = thing_type();
    let reason = proto::deferred::Reason::ProviderConfigUnknown as i32;

    let config = thing(None, "a", None);
    let planner = harness.client.clone();
    let plan = |deferral_allowed: bool| {
        let mut client = planner.clone();
        let (ty, config) = (ty.clone(), config.clone());
        async move {
            client
                .plan_resource_change(proto::plan_resource_change::Request {
                    type_name: "test_thing".to_string(),
                    prior_state: dv(&Value::Null, &ty),
                    proposed_new_state: dv(&config, &ty),
                    config: dv(&config, &ty),
                    client_capabilities: capabilities(deferral_allowed),
                    ..Default::default()
                })
                .await
                .expect("PlanResourceChange")
                .into_inner()
        }
    };
    let deferred = plan(true).await;
    assert_no_errors(&deferred.diagnostics);
    assert_eq!(deferred.deferred.map(|d| d.reason), Some(reason));
    let state = value_of(deferred.planned_state.as_ref(), &ty);
    assert!(
        state.get_attr("id").is_some_and(Value::is_unknown),
        "{state:?}"
    );
    assert!(
        state.get_attr("zone").is_some_and(Value::is_unknown),
        "the resource was not asked, so what it computes is unknown: {state:?}"
    );
    assert_eq!(harness.calls.plans.load(Ordering::SeqCst), 0);

    let prior = thing(Some("x"), "here", None);
    let read = harness
        .client
        .read_resource(proto::read_resource::Request {
            type_name: "test_thing".to_string(),
            current_state: dv(&prior, &ty),
            private: b"p".to_vec(),
            client_capabilities: capabilities(true),
            ..Default::default()
        })
        .await
        .expect("ReadResource")
        .into_inner();
    assert_eq!(read.deferred.map(|d| d.reason), Some(reason));
    assert_eq!(value_of(read.new_state.as_ref(), &ty), prior);
    assert_eq!(read.private, b"p");
    assert_eq!(harness.calls.reads.load(Ordering::SeqCst), 0);

    let imported = harness
        .client
        .import_resource_state(proto::import_resource_state::Request {
            type_name: "test_thing".to_string(),
            id: "thing-a".to_string(),
            client_capabilities: capabilities(true),
            ..Default::default()
        })
        .await
        .expect("ImportResourceState")
        .into_inner();
    assert_no_errors(&imported.diagnostics);
    assert_eq!(imported.deferred.map(|d| d.reason), Some(reason));
    let lookup_ty = Type::object([("name", Type::String), ("id", Type::String)]);
    let lookup = Value::object([("name", Value::string("missing")), ("id", Value::Null)]);
    let data = harness
        .client
        .read_data_source(proto::read_data_source::Request {
            type_name: "test_lookup".to_string(),
            config: dv(&lookup, &lookup_ty),
            client_capabilities: capabilities(true),
            ..Default::default()
        })
        .await
        .expect("ReadDataSource")
        .into_inner();
    assert_no_errors(&data.diagnostics);
    assert_eq!(data.deferred.map(|d| d.reason), Some(reason));
    let state = value_of(data.state.as_ref(), &lookup_ty);
    assert!(
        state.get_attr("id").is_some_and(Value::is_unknown),
        "{state:?}"
    );

    // A Terraform that does not allow deferral gets the type's own answer.
    let asked = plan(false).await;
    assert!(asked.deferred.is_none());
    assert_eq!(harness.calls.plans.load(Ordering::SeqCst), 1);

    // Once the configuration is known, nothing is deferred any more.
    configure_endpoint(&mut harness, Value::string("https://x"), true).await;
    let planned = plan(true).await;
    assert!(planned.deferred.is_none());
    assert_eq!(harness.calls.plans.load(Ordering::SeqCst), 2);
}

//! The wrap-up code resource driven in-process (no Terraform) through the real API client
//! against the emulator: the safe create under lost answers and gateway errors, and the read
//! cache's call counts. The Terraform CLI tests cover the same through the protocol; these
//! pin the platform-facing behaviour down precisely and fast.

use crate::wrapupcode_common;

use std::sync::Arc;

use genesyscloud_provider::platform::{PlatformSlot, WrapupCodeCatalogView};
use genesyscloud_provider::provider::client::build_platform;
use genesyscloud_provider::provider::{ProviderConfig, resolve};
use genesyscloud_provider::resources::routing_wrapupcode::RoutingWrapupCode;
use serde_json::json;
use tfplugin_framework::cty::{Refinements, Value};
use tfplugin_framework::resource::{run_create, run_read};
use tfplugin_framework::{CreateRequest, ReadRequest};
use wrapupcode_common::{CLIENT_ID, CLIENT_SECRET, GET_ROUTE, LIST_ROUTE, Org, calls_between};

fn resource(org: &Org, read_cache: bool) -> Arc<RoutingWrapupCode> {
    let env = [
        ("GENESYSCLOUD_API_URL", org.base.clone()),
        ("GENESYSCLOUD_LOGIN_URL", org.base.clone()),
        ("GENESYSCLOUD_OAUTHCLIENT_ID", CLIENT_ID.to_owned()),
        ("GENESYSCLOUD_OAUTHCLIENT_SECRET", CLIENT_SECRET.to_owned()),
        ("GENESYSCLOUD_READ_CACHE", read_cache.to_string()),
    ];
    let lookup = |name: &str| {
        env.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    };
    let (settings, _) =
        resolve(&ProviderConfig::default(), &lookup, "1.15.5").expect("settings resolve");
    let slot = PlatformSlot::default();
    slot.set(build_platform(
        &settings,
        tfplugin_framework::CancellationToken::new(),
    ));
    RoutingWrapupCode::new(WrapupCodeCatalogView::from_slot(slot))
}

fn planned(name: &str) -> Value {
    let unknown = || Value::Unknown(Refinements::default());
    Value::Object(
        [
            ("id", unknown()),
            ("name", Value::String(name.into())),
            ("division_id", unknown()),
            ("description", Value::String("made in a test".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    )
}

fn create(resource: &RoutingWrapupCode, name: &str) -> Value {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let result = runtime.block_on(run_create(
        resource,
        CreateRequest {
            config: planned(name),
            planned_state: planned(name),
            planned_private: Vec::new(),
            planned_identity: None,
            cancel: tfplugin_framework::CancellationToken::new(),
        },
    ));
    assert!(
        !result.diagnostics.has_errors(),
        "create failed: {:?}",
        result.diagnostics
    );
    result.new_state
}

fn id_of(state: &Value) -> String {
    match state {
        Value::Object(attributes) => match attributes.get("id") {
            Some(Value::String(id)) => id.clone(),
            other => panic!("no id in state: {other:?}"),
        },
        other => panic!("state is not an object: {other:?}"),
    }
}

#[test]
fn a_create_whose_connection_drops_after_the_platform_stored_it_is_adopted_once() {
    let org = Org::start();
    org.faults(json!({
        "drop_connections": [
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "count": 1 }
        ]
    }));
    let state = create(&resource(&org, true), "Dropped answer");
    let codes = org.codes();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0]["id"], id_of(&state).as_str());
    let posts = org.requests()["routes"]["POST /api/v2/routing/wrapupcodes"].clone();
    assert_eq!(posts, 1, "the POST was not replayed: {}", org.requests());
}

#[test]
fn a_create_answered_503_is_checked_and_sent_again_landing_exactly_once() {
    let org = Org::start();
    org.faults(json!({
        "rules": [
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 503, "count": 2 }
        ]
    }));
    let state = create(&resource(&org, true), "Gateway trouble");
    let codes = org.codes();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0]["id"], id_of(&state).as_str());
}

#[test]
fn a_create_whose_answer_is_lost_while_search_lags_still_lands_exactly_once() {
    let org = Org::start();
    org.faults(json!({
        "read_after_write_lag_ms": 1500,
        "drop_connections": [
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "count": 1 }
        ]
    }));
    let state = create(&resource(&org, true), "Lagging answer");
    org.faults(json!({}));
    let codes = org.codes();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0]["id"], id_of(&state).as_str());
}

#[test]
fn reads_of_many_codes_cost_one_listing_with_the_cache_and_one_get_each_without() {
    let org = Org::start();
    let ids: Vec<String> = (0..40)
        .map(|i| org.create_code(&format!("Cached {i}"), None))
        .collect();
    let home = org.home_division_id();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    for (read_cache, lists, gets) in [(true, 1, 0), (false, 0, ids.len() as u64)] {
        let resource = resource(&org, read_cache);
        let before = org.requests();
        for (i, id) in ids.iter().enumerate() {
            // The state a refresh holds: a listed code that matches it needs no GET.
            let state = Value::Object(
                [
                    ("id".to_owned(), Value::String(id.clone())),
                    ("name".to_owned(), Value::String(format!("Cached {i}"))),
                    ("division_id".to_owned(), Value::String(home.clone())),
                    ("description".to_owned(), Value::Null),
                ]
                .into_iter()
                .collect(),
            );
            let result = runtime.block_on(run_read(
                resource.as_ref(),
                ReadRequest {
                    current_state: state,
                    private: Vec::new(),
                    current_identity: None,
                    cancel: tfplugin_framework::CancellationToken::new(),
                },
            ));
            assert!(!result.diagnostics.has_errors(), "{:?}", result.diagnostics);
            assert!(!result.is_removed(), "still exists");
            assert_eq!(id_of(&result.new_state), *id);
        }
        let after = org.requests();
        assert_eq!(calls_between(&before, &after, LIST_ROUTE), lists, "{after}");
        assert_eq!(calls_between(&before, &after, GET_ROUTE), gets, "{after}");
    }
}

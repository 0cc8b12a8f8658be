//! `terraform providers schema -json` through the real CLI shows the provider block with
//! descriptions and sensitivity, and every type the provider registers.

use crate::support;

use std::collections::BTreeSet;

use genesyscloud_provider::provider::{self, SETTINGS};
use serde_json::Value;
use support::{PROVIDER_SOURCE, Workdir};

fn provider_schema_json() -> Value {
    let workdir = Workdir::new();
    workdir.config("provider \"genesyscloud\" {}\n");
    let output = workdir.run(&["providers", "schema", "-json"]);
    output.assert_success();
    let json: Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|error| panic!("schema output is not JSON ({error}): {output}"));
    json["provider_schemas"][PROVIDER_SOURCE].clone()
}

fn names(schemas: &Value) -> BTreeSet<String> {
    schemas
        .as_object()
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn provider_block_lists_every_setting_with_description_and_sensitivity() {
    let schema = provider_schema_json();
    let attributes = &schema["provider"]["block"]["attributes"];
    assert_eq!(
        names(attributes),
        SETTINGS.iter().map(|s| s.name.to_string()).collect(),
        "provider attributes: {attributes:#}"
    );
    for setting in SETTINGS {
        let attribute = &attributes[setting.name];
        assert_eq!(
            attribute["description"].as_str(),
            Some(setting.description().as_str()),
            "{}",
            setting.name
        );
        assert!(
            attribute["description"]
                .as_str()
                .is_some_and(|d| d.contains(setting.env)),
            "{} description names {}",
            setting.name,
            setting.env
        );
        assert_eq!(
            attribute["description_kind"], "markdown",
            "{}",
            setting.name
        );
        assert_eq!(attribute["optional"], true, "{}", setting.name);
        assert_eq!(
            attribute["sensitive"].as_bool().unwrap_or(false),
            setting.sensitive,
            "{} sensitivity",
            setting.name
        );
    }
    assert_eq!(attributes["oauthclient_secret"]["sensitive"], true);
    assert_eq!(attributes["access_token"]["sensitive"], true);
    assert_eq!(attributes["aws_region"]["type"], "string");
    assert_eq!(attributes["read_cache"]["type"], "bool");
    assert_eq!(attributes["adopt_identical_wrapup_codes"]["type"], "bool");
}

#[test]
fn every_registered_type_is_in_the_schema() {
    let schema = provider_schema_json();
    let provider = provider::new();
    let expected = |types: Vec<&str>| types.into_iter().map(str::to_string).collect();
    assert_eq!(
        names(&schema["resource_schemas"]),
        expected(provider.resources().iter().map(|r| r.type_name()).collect()),
        "resources"
    );
    assert_eq!(
        names(&schema["data_source_schemas"]),
        expected(
            provider
                .data_sources()
                .iter()
                .map(|d| d.type_name())
                .collect()
        ),
        "data sources"
    );
    assert_eq!(
        names(&schema["list_resource_schemas"]),
        expected(
            provider
                .list_resources()
                .iter()
                .map(|l| l.type_name())
                .collect()
        ),
        "list resources"
    );
    assert_eq!(
        names(&schema["action_schemas"]),
        expected(provider.actions().iter().map(|a| a.type_name()).collect()),
        "actions"
    );
}

//! Plan-time validation of `genesyscloud_routing_wrapupcode`: each bad value fails
//! `terraform validate` with a diagnostic on the attribute's own line.

use crate::support;

use support::Workdir;

fn code(attributes: &str) -> String {
    format!("resource \"genesyscloud_routing_wrapupcode\" \"bad\" {{\n{attributes}}}\n")
}

#[test]
fn bad_names_and_division_ids_fail_validate_on_the_attribute() {
    let too_long = "x".repeat(256);
    let cases = [
        (code("  name = \"\"\n"), "must not be empty", "name"),
        (
            code(&format!("  name = \"{too_long}\"\n")),
            "256 characters long",
            "name",
        ),
        (
            code("  name = \"tab\\there\"\n"),
            "control character",
            "name",
        ),
        (
            code("  name = \" padded\"\n"),
            "starts or ends with whitespace",
            "name",
        ),
        (
            code("  name        = \"Fine\"\n  division_id = \"Home\"\n"),
            "is not a division ID",
            "division_id",
        ),
    ];
    let workdir = Workdir::new();
    for (hcl, text, attribute) in cases {
        workdir.config(&hcl);
        workdir.expect_error(&["validate"], text, Some(attribute));
    }
    // The longest accepted name passes.
    workdir.config(&code(&format!("  name = \"{}\"\n", "é".repeat(255))));
    workdir.run(&["validate", "-no-color"]).assert_success();
}

#[test]
fn bad_data_source_name_and_list_division_fail_validate_on_the_attribute() {
    let workdir = Workdir::new();
    workdir.config("data \"genesyscloud_routing_wrapupcode\" \"d\" {\n  name = \"\"\n}\n");
    workdir.expect_error(&["validate"], "must not be empty", Some("name"));
}

/// Advice names only types this provider has: a malformed `division_id` no longer points to a
/// `genesyscloud_auth_division` data source (the official provider's, not ours).
#[test]
fn division_id_advice_names_only_types_this_provider_has() {
    let workdir = Workdir::new();
    workdir.config(&code(
        "  name        = \"Fine\"\n  division_id = \"Home\"\n",
    ));
    let diagnostic =
        workdir.expect_error(&["validate"], "is not a division ID", Some("division_id"));
    let schema = workdir.run(&["providers", "schema", "-json"]);
    schema.assert_success();
    let schema: serde_json::Value = serde_json::from_str(&schema.stdout).expect("schema JSON");
    let ours = &schema["provider_schemas"]
        .as_object()
        .and_then(|providers| providers.values().next())
        .cloned()
        .expect("our provider's schema");
    let known = |name: &str| {
        [
            "resource_schemas",
            "data_source_schemas",
            "list_resource_schemas",
            "action_schemas",
        ]
        .iter()
        .any(|kind| ours[kind].get(name).is_some())
    };
    let text = format!("{} {}", diagnostic.summary, diagnostic.detail);
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if word.starts_with("genesyscloud_") {
            assert!(
                known(word),
                "the advice names {word}, which this provider does not have"
            );
        }
    }
    assert!(
        !diagnostic.mentions("genesyscloud_auth_division"),
        "{diagnostic:?}"
    );
    assert!(
        diagnostic.mentions("/api/v2/authorization/divisions"),
        "{diagnostic:?}"
    );
}

//! Bringing existing wrap-up codes under Terraform: `terraform import` by ID and by
//! `name:<exact name>`, `import` blocks by ID and by identity, configuration generated for
//! `import` blocks with `plan -generate-config-out`, and the errors for bad IDs and for creating
//! a name that already exists outside the state.

use crate::wrapupcode_common;

use wrapupcode_common::{Org, apply_imports_only, official_provider_state, state_codes};

#[test]
fn codes_import_by_id_by_name_and_by_identity_and_then_plan_clean() {
    let org = Org::start();
    let by_id = org.create_code("Imported by id", Some("from the UI"));
    let by_name = org.create_code("Imported by name", None);
    let by_identity = org.create_code("Imported by identity", Some("identity"));
    let by_block_id = org.create_code("Imported by block id", None);

    let workdir = org.workdir();
    workdir.config(
        r#"
resource "genesyscloud_routing_wrapupcode" "by_id" {
  name        = "Imported by id"
  description = "from the UI"
}

resource "genesyscloud_routing_wrapupcode" "by_name" {
  name = "Imported by name"
}

resource "genesyscloud_routing_wrapupcode" "by_identity" {
  name        = "Imported by identity"
  description = "identity"
}

resource "genesyscloud_routing_wrapupcode" "by_block_id" {
  name = "Imported by block id"
}
"#,
    );
    workdir.import("genesyscloud_routing_wrapupcode.by_id", &by_id);
    workdir.import(
        "genesyscloud_routing_wrapupcode.by_name",
        "name:Imported by name",
    );
    workdir.file(
        "imports.tf",
        &format!(
            r#"
import {{
  to       = genesyscloud_routing_wrapupcode.by_identity
  identity = {{ id = "{by_identity}" }}
}}

import {{
  to = genesyscloud_routing_wrapupcode.by_block_id
  id = "{by_block_id}"
}}
"#
        ),
    );
    apply_imports_only(&workdir, 2);
    workdir.plan_is_empty();

    let state = workdir.show_state_json();
    let ids: Vec<(String, String)> = state_codes(&state)
        .into_iter()
        .map(|(address, values)| (address, values["id"].as_str().unwrap().to_owned()))
        .collect();
    for (address, id) in [
        ("genesyscloud_routing_wrapupcode.by_id", &by_id),
        ("genesyscloud_routing_wrapupcode.by_name", &by_name),
        ("genesyscloud_routing_wrapupcode.by_identity", &by_identity),
        ("genesyscloud_routing_wrapupcode.by_block_id", &by_block_id),
    ] {
        assert!(
            ids.contains(&(address.to_owned(), id.clone())),
            "{address} should hold {id}: {ids:?}"
        );
    }
    // Identity is recorded for every imported instance.
    for resource in state["values"]["root_module"]["resources"]
        .as_array()
        .unwrap()
    {
        assert_eq!(
            resource["identity"]["id"], resource["values"]["id"],
            "identity of {}",
            resource["address"]
        );
    }
    assert_eq!(org.codes().len(), 4, "import creates nothing");
}

/// Terraform wraps long diagnostic lines; compare text with the wrapping undone.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn bad_import_ids_fail_with_the_accepted_forms() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config("resource \"genesyscloud_routing_wrapupcode\" \"x\" {\n  name = \"X\"\n}\n");
    let output = workdir.run(&[
        "import",
        "-no-color",
        "genesyscloud_routing_wrapupcode.x",
        "not-a-uuid",
    ]);
    assert!(!output.success());
    assert!(
        flat(&output.stderr).contains("is not a wrap-up code ID"),
        "{output}"
    );
    assert!(
        flat(&output.stderr).contains("(`name:Sale completed`)"),
        "{output}"
    );

    let output = workdir.run(&[
        "import",
        "-no-color",
        "genesyscloud_routing_wrapupcode.x",
        "name:Nobody has this name",
    ]);
    assert!(!output.success());
    assert!(
        flat(&output.stderr).contains("No wrap-up code is named exactly"),
        "{output}"
    );

    let missing = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    let output = workdir.run(&[
        "import",
        "-no-color",
        "genesyscloud_routing_wrapupcode.x",
        missing,
    ]);
    assert!(!output.success());
    assert!(
        output
            .stderr
            .contains("Cannot import non-existent remote object"),
        "{output}"
    );
}

#[test]
fn creating_a_name_that_exists_outside_state_fails_at_plan_with_import_instructions() {
    let org = Org::start();
    let existing = org.create_code("Taken", None);
    let workdir = org.workdir();
    workdir.config("resource \"genesyscloud_routing_wrapupcode\" \"t\" {\n  name = \"taken\"\n}\n");
    let diagnostic = workdir.expect_error(&["plan"], "already in use", Some("name"));
    let detail = format!("{diagnostic:?}");
    assert!(
        detail.contains(&format!(
            "terraform import genesyscloud_routing_wrapupcode.<label> {existing}"
        )),
        "{detail}"
    );
    assert_eq!(org.codes().len(), 1);
}

/// State written by the official provider (`mypurecloud/genesyscloud`, SDKv2: schema version
/// 1, a `timeouts` attribute and its private schema marker) moves over with
/// `terraform state replace-provider` and plans clean.
#[test]
fn state_written_by_the_official_provider_moves_over_and_plans_clean() {
    let org = Org::start();
    let home = org.home_division_id();
    let sale = org.create_code("Sale completed", Some("Customer bought something"));
    let plain = org.create_code("No description", None);
    let state = official_provider_state(
        &home,
        &[
            (
                "sale",
                &sale,
                "Sale completed",
                "Customer bought something".into(),
            ),
            ("plain", &plain, "No description", serde_json::Value::Null),
        ],
    );
    let workdir = org.workdir();
    workdir.file("terraform.tfstate", &state.to_string());
    workdir.config(
        r#"
resource "genesyscloud_routing_wrapupcode" "sale" {
  name        = "Sale completed"
  description = "Customer bought something"
}

resource "genesyscloud_routing_wrapupcode" "plain" {
  name = "No description"
}
"#,
    );
    workdir
        .run(&[
            "state",
            "replace-provider",
            "-auto-approve",
            "-no-color",
            "registry.terraform.io/mypurecloud/genesyscloud",
            "registry.terraform.io/rustcx/genesyscloud",
        ])
        .assert_success();
    workdir.plan_is_empty();
    // A refresh-only apply rewrites the stored state under this provider's schema.
    workdir
        .run(&["apply", "-refresh-only", "-auto-approve", "-no-color"])
        .assert_success();

    let moved = workdir.show_state_json();
    let codes = state_codes(&moved);
    assert_eq!(codes.len(), 2, "{moved}");
    for (address, values) in &codes {
        assert!(
            values.get("timeouts").is_none(),
            "{address} kept an attribute the schema does not have: {values}"
        );
    }
    // And it is managed for real: an edit in the UI is drift, apply puts it back.
    org.edit_code(&sale, "Sale completed", Some("edited in the UI"));
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    workdir.apply();
    assert_eq!(
        org.code(&sale).expect("still there")["description"],
        "Customer bought something"
    );
    assert_eq!(org.codes().len(), 2, "nothing was re-created");
}

#[test]
fn import_blocks_generate_configuration_that_imports_and_then_plans_clean() {
    let org = Org::start();
    let by_id = org.create_code("Generated by id", Some("made in the UI"));
    let by_name = org.create_code("Generated by name", None);

    let workdir = org.workdir();
    workdir.config(&format!(
        r#"
import {{
  to = genesyscloud_routing_wrapupcode.by_id
  id = "{by_id}"
}}

import {{
  to = genesyscloud_routing_wrapupcode.by_name
  id = "name:Generated by name"
}}
"#
    ));
    let output = workdir.run(&[
        "plan",
        "-input=false",
        "-no-color",
        "-generate-config-out=generated.tf",
    ]);
    output.assert_success();
    let generated = std::fs::read_to_string(workdir.path().join("generated.tf"))
        .unwrap_or_else(|error| panic!("generated.tf not written ({error}): {output}"));
    let home = org.home_division_id();
    for expected in [
        "resource \"genesyscloud_routing_wrapupcode\" \"by_id\"",
        "name        = \"Generated by id\"",
        "description = \"made in the UI\"",
        "resource \"genesyscloud_routing_wrapupcode\" \"by_name\"",
        "name        = \"Generated by name\"",
        &format!("division_id = \"{home}\""),
    ] {
        assert!(
            generated.contains(expected),
            "{expected:?} missing from:\n{generated}"
        );
    }
    // A code without a description has the resource's one form for none, `""`, which plans
    // no change (checked below), never a null that Terraform would skip or a made-up text.
    assert!(generated.contains("description = \"\""), "{generated}");

    apply_imports_only(&workdir, 2);
    workdir.plan_is_empty();
    let ids: Vec<String> = state_codes(&workdir.show_state_json())
        .into_iter()
        .map(|(_, values)| values["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(ids.contains(&by_id) && ids.contains(&by_name), "{ids:?}");
    assert_eq!(org.codes().len(), 2, "nothing created or deleted");
}

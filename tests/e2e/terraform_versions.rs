//! The Terraform version matrix: the core lifecycle through whichever CLI `$TERRAFORM` is
//! (apply, empty plan, drift with exit code 2, import, data source, destroy), and each newer
//! feature on the versions that have it: resource identity (1.12+), `terraform query` and
//! actions (1.14+). On older versions, using such a feature fails with a clear message and
//! nothing is created, never with a protocol error.
//!
//! `cargo test` runs this module with Terraform 1.15.5 like every other suite;
//! `scripts/test.d/terraform-matrix.sh` runs it again with each older CLI in `.tools/terraform/`
//! and with the static Go Terraform on the PATH.

use std::process::Command;

use serde_json::Value;

use crate::conversation_wrapup_common;
use crate::support::{Output, terraform_path};
use crate::wrapupcode_common::{Org, state_codes};

/// The version of `$TERRAFORM` as (major, minor, patch).
fn version() -> (u64, u64, u64) {
    let output = Command::new(terraform_path())
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .output()
        .expect("run terraform version");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "terraform version -json is not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let text = json["terraform_version"]
        .as_str()
        .expect("terraform_version in terraform version -json");
    let mut parts = text
        .split(['.', '-'])
        .map(|part| part.parse::<u64>().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}

fn at_least(minor: u64) -> bool {
    version() >= (1, minor, 0)
}

/// Terraform refused `output` with its own diagnostic containing `text`: not a crash, not a
/// plugin or protocol error.
#[track_caller]
fn refused_clearly(output: &Output, text: &str) {
    assert!(!output.success(), "expected a refusal:\n{output}");
    let printed = output.combined();
    assert!(printed.contains(text), "no {text:?} in:\n{output}");
    for bad in [
        "rpc error",
        "plugin crashed",
        "panic:",
        "Plugin did not respond",
    ] {
        assert!(!printed.contains(bad), "{bad:?} in:\n{output}");
    }
}

#[test]
fn core_lifecycle_apply_plan_drift_import_data_source_destroy() {
    let org = Org::start();
    let workdir = org.workdir();
    let config = r#"
resource "genesyscloud_routing_wrapupcode" "managed" {
  name        = "Matrix managed"
  description = "created by the matrix"
}

data "genesyscloud_routing_wrapupcode" "found" {
  name = genesyscloud_routing_wrapupcode.managed.name
}

output "found_id" {
  value = data.genesyscloud_routing_wrapupcode.found.id
}
"#;
    workdir.config(config);
    workdir.apply();
    workdir.plan_is_empty();

    let state = workdir.show_state_json();
    let codes = state_codes(&state);
    assert_eq!(codes.len(), 1, "{state}");
    let id = codes[0].1["id"].as_str().expect("an id").to_string();
    assert_eq!(
        state["values"]["outputs"]["found_id"]["value"], id,
        "the data source found the managed code"
    );
    assert_eq!(
        org.code(&id).expect("on the platform")["name"],
        "Matrix managed"
    );

    // Drift: an edit outside Terraform makes `plan -detailed-exitcode` exit 2; apply restores.
    org.edit_code(&id, "Matrix managed", Some("edited outside"));
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    workdir.apply();
    assert_eq!(
        org.code(&id).expect("still there")["description"],
        "created by the matrix"
    );
    workdir.plan_is_empty();

    // Import: a code made outside Terraform comes under management with an empty plan after.
    let outside = org.create_code("Matrix imported", None);
    workdir.config(&format!(
        "{config}\nresource \"genesyscloud_routing_wrapupcode\" \"imported\" {{\n  name = \"Matrix imported\"\n}}\n"
    ));
    workdir
        .import("genesyscloud_routing_wrapupcode.imported", &outside)
        .assert_success();
    workdir.plan_is_empty();

    workdir.destroy();
    assert!(org.code(&id).is_none(), "destroy deleted the managed code");
    assert!(
        org.code(&outside).is_none(),
        "destroy deleted the imported code"
    );
}

#[test]
fn import_by_identity_where_terraform_has_identity_else_a_clear_refusal() {
    let org = Org::start();
    let outside = org.create_code("Matrix identity", None);
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"genesyscloud_routing_wrapupcode\" \"code\" {{\n  name = \"Matrix identity\"\n}}\n\nimport {{\n  to       = genesyscloud_routing_wrapupcode.code\n  identity = {{ id = \"{outside}\" }}\n}}\n"
    ));
    let output = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    if at_least(12) {
        output.assert_success();
        let state = workdir.show_state_json();
        assert_eq!(state_codes(&state)[0].1["id"], outside.as_str(), "{state}");
        workdir.plan_is_empty();
    } else {
        // Before 1.12 `identity` is not an argument of `import`: Terraform says so itself.
        refused_clearly(
            &output,
            "An argument named \"identity\" is not expected here",
        );
        assert!(
            !workdir.path().join("terraform.tfstate").exists(),
            "nothing imported"
        );
    }
}

#[test]
fn query_lists_codes_where_terraform_has_query_else_a_clear_refusal() {
    let org = Org::start();
    let code = org.create_code("Matrix listed", None);
    let workdir = org.workdir();
    workdir.config("provider \"genesyscloud\" {}\n");
    workdir.file(
        "codes.tfquery.hcl",
        "list \"genesyscloud_routing_wrapupcode\" \"all\" {\n  provider = genesyscloud\n  config {\n    name_prefix = \"Matrix\"\n  }\n}\n",
    );
    if at_least(14) {
        let found: Vec<Value> = workdir
            .query()
            .into_iter()
            .filter(|message| message["type"] == "list_resource_found")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0]["list_resource_found"]["identity"]["id"],
            code.as_str()
        );
    } else {
        // Before 1.14 there is no `terraform query`.
        let output = workdir.run(&["query", "-no-color"]);
        refused_clearly(&output, "Terraform has no command named \"query\"");
    }
}

#[test]
fn the_action_runs_where_terraform_has_actions_else_a_clear_refusal() {
    let org = conversation_wrapup_common::Org::start();
    let queue = conversation_wrapup_common::new_queue_id();
    let code = org.create_code("Matrix action");
    org.assign_codes(&queue, &[&code]);
    let seeded = org.seed("call", &queue, "disconnected");
    let workdir = org.workdir();
    workdir.config(&format!(
        "provider \"genesyscloud\" {{}}\n\naction \"genesyscloud_conversation_wrapup\" \"fix\" {{\n  config {{\n    conversation_id  = \"{}\"\n    wrapup_code_name = \"Matrix action\"\n  }}\n}}\n",
        seeded.conversation_id
    ));
    if at_least(14) {
        workdir
            .run(&[
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                "-invoke=action.genesyscloud_conversation_wrapup.fix",
            ])
            .assert_success();
        let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
        assert_eq!(held["code"], code.as_str(), "{held}");
    } else {
        // Before 1.14 there is no `-invoke`: Terraform says so itself.
        let output = workdir.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-invoke=action.genesyscloud_conversation_wrapup.fix",
        ]);
        refused_clearly(&output, "flag provided but not defined: -invoke");
        // A plain apply: before 1.13 an `action` block is not valid configuration. Terraform
        // 1.13 parses action blocks but never runs them, and never calls the provider about
        // them, so the provider has no moment to warn: the apply succeeds doing nothing.
        let output = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        if version().1 == 13 {
            output.assert_success();
        } else {
            refused_clearly(&output, "Blocks of type \"action\" are not expected here");
        }
        let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
        assert_ne!(held["code"], code.as_str(), "nothing was set: {held}");
    }
}

//! The `genesyscloud_conversation_wrapup` action through the real Terraform CLI: invoked with
//! `terraform apply -invoke=…` and from a resource's `action_trigger`, it sets the wrap-up
//! (checked on the platform), reports progress, and fails loudly when the write is dropped.

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{Org, Seeded, new_queue_id};
use serde_json::json;

const INVOKE: &str = "-invoke=action.genesyscloud_conversation_wrapup.fix";

fn action_block(seeded: &Seeded, code_line: &str) -> String {
    format!(
        "provider \"genesyscloud\" {{}}\n\naction \"genesyscloud_conversation_wrapup\" \"fix\" {{\n  config {{\n    conversation_id = \"{}\"\n    {code_line}\n    notes           = \"set by the action\"\n  }}\n}}\n",
        seeded.conversation_id
    )
}

fn org_with_call() -> (Org, Seeded, String, String) {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    let no_sale = org.create_code("No sale");
    org.assign_codes(&queue, &[&sale, &no_sale]);
    let seeded = org.seed("call", &queue, "disconnected");
    (org, seeded, sale, no_sale)
}

#[test]
fn invoking_the_action_sets_the_wrap_up_and_reports_progress() {
    let (org, seeded, sale, _) = org_with_call();
    let workdir = org.workdir();
    workdir.config(&action_block(
        &seeded,
        "wrapup_code_name = \"Sale completed\"",
    ));
    let output = workdir.apply_invoke(INVOKE);
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(held["code"], json!(sale), "{held}");
    assert_eq!(held["notes"], json!("set by the action"));
    let printed = output.combined();
    for stage in [
        "Resolving conversation",
        "Posting the wrap-up",
        "Verifying the platform kept the wrap-up",
    ] {
        assert!(printed.contains(stage), "no {stage:?} progress in {output}");
    }
}

#[test]
fn an_action_trigger_after_create_sets_the_wrap_up() {
    let (org, seeded, _, no_sale) = org_with_call();
    let workdir = org.workdir();
    let mut config = action_block(&seeded, &format!("wrapup_code_id  = \"{no_sale}\""));
    config.push_str(
        "\nresource \"terraform_data\" \"ticket\" {\n  input = \"closed\"\n  lifecycle {\n    action_trigger {\n      events  = [after_create]\n      actions = [action.genesyscloud_conversation_wrapup.fix]\n    }\n  }\n}\n",
    );
    workdir.config(&config);
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        None
    );
    workdir.apply();
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(no_sale)
    );
}

#[test]
fn an_invoked_action_fails_when_the_platform_drops_the_write() {
    let (org, seeded, sale, _) = org_with_call();
    org.faults(json!({ "accept_but_ignore_wrapup_writes": true }));
    let workdir = org.workdir().short_lag_waits();
    workdir.config(&action_block(
        &seeded,
        "wrapup_code_name = \"Sale completed\"",
    ));
    let diagnostic = workdir.expect_error(
        &["apply", INVOKE],
        "The platform accepted the wrap-up write but did not persist it",
        None,
    );
    assert!(diagnostic.mentions(&sale), "{diagnostic:?}");
    assert!(diagnostic.mentions("/calls/"), "{diagnostic:?}");
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        None
    );
}

#[test]
fn planning_the_action_checks_the_code_against_the_queue() {
    let (org, seeded, _, _) = org_with_call();
    let workdir = org.workdir();
    workdir.config(&action_block(&seeded, "wrapup_code_name = \"Refund\""));
    let diagnostic = workdir.expect_error(
        &["plan", INVOKE],
        // "Refund" is no code of the org: its own message, listing the queue's codes.
        "Wrap-up code not found",
        Some("wrapup_code_name"),
    );
    assert!(diagnostic.mentions("\"Sale completed\""), "{diagnostic:?}");
    assert!(diagnostic.mentions("\"No sale\""), "{diagnostic:?}");
}

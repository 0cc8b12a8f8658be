//! `genesyscloud_conversation_wrapup` whose code comes from a `genesyscloud_routing_wrapupcode`
//! in the same configuration, through the real Terraform CLI: the code ID is unknown at plan
//! time, yet the plan already resolves and checks the participant and communication; apply
//! then posts the new code's ID and the platform keeps it.

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{Org, Seeded, resource_values, wrapup_change, wrapup_state};
use serde_json::{Value, json};

/// A code created in the config and a wrap-up that uses its ID (`extra`: more lines for the
/// wrap-up block).
fn code_and_wrapup(conversation_id: &str, extra: &str) -> String {
    format!(
        r#"provider "genesyscloud" {{}}

resource "genesyscloud_routing_wrapupcode" "escalated" {{
  name = "Escalated in the same apply"
}}

resource "genesyscloud_conversation_wrapup" "fix" {{
  conversation_id = "{conversation_id}"
  wrapup_code_id  = genesyscloud_routing_wrapupcode.escalated.id
  notes           = "code made by this configuration"
{extra}}}
"#
    )
}

/// An ended call whose agent has no queue, so any of the org's codes may be applied.
fn seed_without_queue(org: &Org, agent_state: &str) -> Seeded {
    org.seed_with(
        "call",
        json!([
            {"purpose": "customer", "state": "disconnected"},
            {"purpose": "agent", "state": agent_state}
        ]),
    )
}

#[test]
fn a_code_created_in_the_same_apply_is_applied_by_its_new_id() {
    let org = Org::start();
    let seeded = seed_without_queue(&org, "disconnected");
    let workdir = org.workdir();
    workdir.config(&code_and_wrapup(&seeded.conversation_id, ""));

    let planned = wrapup_change(&workdir.plan_json());
    assert_eq!(planned["actions"], json!(["create"]));
    assert_eq!(planned["after"]["participant_id"], json!(seeded.agent_id));
    assert_eq!(
        planned["after"]["communication_id"],
        json!(seeded.agent_communication_id)
    );
    assert_eq!(planned["after"]["media_type"], json!("calls"));
    assert_eq!(
        planned["after_unknown"]["wrapup_code_id"],
        json!(true),
        "{planned:#}"
    );

    workdir.apply();
    let state = workdir.show_state_json();
    let code_id = resource_values(&state, "genesyscloud_routing_wrapupcode")["id"].clone();
    assert!(code_id.is_string(), "{state:#}");
    assert_eq!(wrapup_state(&state)["wrapup_code_id"], code_id);
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(held["code"], code_id, "{held}");
    workdir.plan_is_empty();
}

#[test]
fn a_participant_still_connected_fails_the_plan_even_before_the_code_exists() {
    let org = Org::start();
    let seeded = seed_without_queue(&org, "connected");
    let workdir = org.workdir();
    // participant_id is set so Terraform can point at its line (when it is left to the
    // provider, the same error points at the resource block).
    workdir.config(&code_and_wrapup(
        &seeded.conversation_id,
        &format!("  participant_id  = \"{}\"\n", seeded.agent_id),
    ));

    let diagnostic =
        workdir.expect_error(&["plan"], "not awaiting wrap-up", Some("participant_id"));
    assert!(diagnostic.mentions("still connected"), "{diagnostic:?}");
    let (status, codes) = org.call(reqwest::Method::GET, "/api/v2/routing/wrapupcodes", None);
    assert_eq!(status, 200);
    assert_eq!(
        codes["entities"],
        Value::Array(Vec::new()),
        "nothing created"
    );
}

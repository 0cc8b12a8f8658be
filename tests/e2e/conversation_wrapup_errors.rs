//! Every way a conversation wrap-up can be wrong produces a clear diagnostic on the attribute
//! at fault, through the real Terraform CLI; a dropped write fails apply; a purged
//! conversation leaves state.

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{Org, Seeded, new_queue_id, resource_block};
use serde_json::json;

struct Fixture {
    org: Org,
    seeded: Seeded,
    sale: String,
    other: String,
}

/// An org with a finished call on a queue that has "Sale completed" and "No sale", and a
/// code "Elsewhere" that is not assigned to it.
fn fixture(agent_state: &str) -> Fixture {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    let no_sale = org.create_code("No sale");
    let other = org.create_code("Elsewhere");
    org.assign_codes(&queue, &[&sale, &no_sale]);
    let seeded = org.seed("call", &queue, agent_state);
    Fixture {
        org,
        seeded,
        sale,
        other,
    }
}

fn body(conversation_id: &str, lines: &str) -> String {
    format!("  conversation_id = \"{conversation_id}\"\n{lines}")
}

#[test]
fn both_or_neither_code_attribute_fails_validate() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "both",
        &body(
            &f.seeded.conversation_id,
            &format!(
                "  wrapup_code_id   = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n",
                f.sale
            ),
        ),
    ));
    workdir.expect_error(
        &["validate"],
        "Conflicting wrap-up code attributes",
        Some("wrapup_code_name"),
    );

    workdir.config(&resource_block(
        "neither",
        &body(&f.seeded.conversation_id, "  notes = \"x\"\n"),
    ));
    let diagnostic = workdir.expect_error(&["validate"], "Missing wrap-up code", None);
    assert!(diagnostic.mentions("Set exactly one of wrapup_code_id"));
    let (file, line) = diagnostic.location.clone().expect("placed on the resource");
    let source = std::fs::read_to_string(workdir.path().join(&file)).expect("readable");
    let placed = source.lines().nth(line as usize - 1).unwrap_or_default();
    assert!(
        placed.starts_with("resource \"genesyscloud_conversation_wrapup\" \"neither\""),
        "placed on {placed:?}"
    );
}

#[test]
fn a_label_in_wrapup_code_id_fails_validate_with_the_fix() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "label",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_id = \"Sale completed\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["validate"],
        "wrapup_code_id is not a wrap-up code ID",
        Some("wrapup_code_id"),
    );
    assert!(diagnostic.mentions("wrapup_code_name = \"Sale completed\""));
}

#[test]
fn an_unknown_conversation_points_at_conversation_id() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    let missing = new_queue_id();
    workdir.config(&resource_block(
        "missing",
        &body(&missing, "  wrapup_code_name = \"Sale completed\"\n"),
    ));
    let diagnostic =
        workdir.expect_error(&["plan"], "Conversation not found", Some("conversation_id"));
    assert!(diagnostic.mentions(&missing));
}

#[test]
fn a_connected_participant_points_at_participant_id() {
    let f = fixture("connected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "early",
        &body(
            &f.seeded.conversation_id,
            &format!(
                "  participant_id   = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n",
                f.seeded.agent_id
            ),
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["apply"],
        "Participant is not awaiting wrap-up",
        Some("participant_id"),
    );
    assert!(diagnostic.mentions("still connected"), "{diagnostic:?}");
}

#[test]
fn a_participant_that_takes_no_wrap_up_points_at_participant_id() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "customer",
        &body(
            &f.seeded.conversation_id,
            &format!(
                "  participant_id   = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n",
                f.seeded.customer_id
            ),
        ),
    ));
    workdir.expect_error(
        &["plan"],
        "Participant does not take a wrap-up",
        Some("participant_id"),
    );
}

#[test]
fn a_code_name_unknown_in_the_org_is_not_found_and_lists_the_valid_names() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "refund",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Refund\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["plan"],
        "no wrap-up code named \"Refund\" in this org",
        Some("wrapup_code_name"),
    );
    assert_eq!(
        diagnostic.summary, "Wrap-up code not found",
        "{diagnostic:?}"
    );
    assert!(diagnostic.mentions("\"Sale completed\""));
    assert!(diagnostic.mentions("\"No sale\""));
    // Not the advice for a code that exists elsewhere.
    assert!(!diagnostic.mentions("must be assigned"), "{diagnostic:?}");
    assert_eq!(
        f.org
            .wrapup_code(&f.seeded.conversation_id, &f.seeded.agent_id),
        None
    );
}

#[test]
fn a_code_name_of_the_org_not_on_the_queue_names_the_queue_and_lists_its_codes() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "elsewhere",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Elsewhere\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["plan"],
        "\"Elsewhere\" exists in the org but is not valid for participant",
        Some("wrapup_code_name"),
    );
    assert_eq!(
        diagnostic.summary, "Wrap-up code not valid for this participant",
        "{diagnostic:?}"
    );
    assert!(diagnostic.mentions("(queue "), "{diagnostic:?}");
    assert!(diagnostic.mentions("\"Sale completed\""));
    assert!(diagnostic.mentions("\"No sale\""));
    assert!(
        !diagnostic.mentions(&f.other),
        "the listed codes are the queue's"
    );
    assert!(diagnostic.mentions("must be assigned to the participant's queue"));
    assert_eq!(
        f.org
            .wrapup_code(&f.seeded.conversation_id, &f.seeded.agent_id),
        None
    );
}

#[test]
fn a_code_id_unknown_in_the_org_is_not_found() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    let missing = new_queue_id();
    workdir.config(&resource_block(
        "missing",
        &body(
            &f.seeded.conversation_id,
            &format!("  wrapup_code_id = \"{missing}\"\n"),
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["plan"],
        &format!("no wrap-up code with ID {missing} in this org"),
        Some("wrapup_code_id"),
    );
    assert_eq!(
        diagnostic.summary, "Wrap-up code not found",
        "{diagnostic:?}"
    );
    assert_eq!(
        f.org
            .wrapup_code(&f.seeded.conversation_id, &f.seeded.agent_id),
        None
    );
}

#[test]
fn a_connected_participant_resolved_from_the_conversation_points_at_conversation_id() {
    let f = fixture("connected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "early",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Sale completed\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["plan"],
        "Participant is not awaiting wrap-up",
        Some("conversation_id"),
    );
    assert!(diagnostic.mentions("still connected"), "{diagnostic:?}");
    assert_eq!(
        f.org
            .wrapup_code(&f.seeded.conversation_id, &f.seeded.agent_id),
        None
    );
}

#[test]
fn a_code_id_not_assigned_to_the_queue_lists_the_allowed_names() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "elsewhere",
        &body(
            &f.seeded.conversation_id,
            &format!("  wrapup_code_id = \"{}\"\n", f.other),
        ),
    ));
    // The plan only warns: another resource of the configuration may assign the code to the
    // queue earlier in the same apply. The apply checks again and fails on the attribute.
    let plan = workdir.run(&["plan", "-input=false", "-no-color"]);
    plan.assert_success();
    assert!(
        plan.combined()
            .contains("Wrap-up code not valid for this participant"),
        "the plan warns: {plan}"
    );
    let diagnostic = workdir.expect_error(
        &["apply"],
        "exists in the org but is not among the codes valid for participant",
        Some("wrapup_code_id"),
    );
    assert!(diagnostic.mentions("\"Sale completed\""));
    assert!(!diagnostic.mentions("\"Elsewhere\""));
    assert_eq!(
        f.org
            .wrapup_code(&f.seeded.conversation_id, &f.seeded.agent_id),
        None,
        "nothing was applied"
    );
}

#[test]
fn a_missing_permission_points_at_conversation_id() {
    let f = fixture("disconnected");
    f.org.faults(json!({ "rules": [{
        "method": "GET",
        "path": "/api/v2/conversations/{conversationId}",
        "status": 403,
        "count": 5
    }, {
        // Without the permission the analytics view is refused too; the exact read decides.
        "method": "GET",
        "path": "/api/v2/analytics/conversations/details",
        "status": 403,
        "count": 5
    }]}));
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "denied",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Sale completed\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(&["plan"], "Access denied", Some("conversation_id"));
    assert!(diagnostic.mentions("403"), "{diagnostic:?}");
}

#[test]
fn a_write_the_platform_accepts_but_ignores_fails_apply() {
    let f = fixture("disconnected");
    f.org
        .faults(json!({ "accept_but_ignore_wrapup_writes": true }));
    let workdir = f.org.workdir().short_lag_waits();
    workdir.config(&resource_block(
        "ignored",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Sale completed\"\n",
        ),
    ));
    let diagnostic = workdir.expect_error(
        &["apply"],
        "The platform accepted the wrap-up write but did not persist it",
        Some("wrapup_code_name"),
    );
    assert!(diagnostic.mentions(&f.sale), "{diagnostic:?}");
    assert!(diagnostic.mentions("\"Sale completed\""), "{diagnostic:?}");
    assert!(
        diagnostic.mentions(&format!(
            "POST /api/v2/conversations/calls/{}/participants/{}/communications/{}/wrapup",
            f.seeded.conversation_id, f.seeded.agent_id, f.seeded.agent_communication_id
        )),
        "{diagnostic:?}"
    );
    let state = workdir.run(&["state", "list"]);
    assert!(
        !state.stdout.contains("genesyscloud_conversation_wrapup"),
        "nothing enters state: {state}"
    );
}

#[test]
fn a_purged_conversation_leaves_state() {
    let f = fixture("disconnected");
    let workdir = f.org.workdir();
    workdir.config(&resource_block(
        "gone",
        &body(
            &f.seeded.conversation_id,
            "  wrapup_code_name = \"Sale completed\"\n",
        ),
    ));
    workdir.apply();
    let (status, _) = f.org.call(reqwest::Method::POST, "/__emulator/reset", None);
    assert_eq!(status, 204);
    workdir
        .run(&[
            "apply",
            "-refresh-only",
            "-auto-approve",
            "-input=false",
            "-no-color",
        ])
        .assert_success();
    let state = workdir.run(&["state", "list"]);
    state.assert_success();
    assert!(
        !state.stdout.contains("genesyscloud_conversation_wrapup"),
        "the purged conversation's wrap-up left state: {state}"
    );
}

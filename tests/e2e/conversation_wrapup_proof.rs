//! A read-back that proves this write, through the real Terraform CLI: with the emulator
//! answering wrap-up writes with success and keeping nothing (`accept_but_ignore_wrapup_writes`)
//! on a participant that already holds the code, the resource's create and its notes-only
//! update, and the action, each fail instead of reporting the earlier wrap-up as theirs; the
//! same runs without the fault pass. A duration the configuration leaves out is never drift.

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{Org, Seeded, new_queue_id, resource_block, wrapup_state};
use serde_json::{Value, json};

use crate::api_calls::measured;

const MULTI_GET: &str = "GET /api/v2/analytics/conversations/details";
const CONVERSATION: &str = "GET /api/v2/conversations/{conversationId}";

const DROPPED: &str = "The platform accepted the wrap-up write but did not persist it";
const EARLIER_END: &str = "2026-11-30T09:05:00.000Z";

/// An org with the code "Sale completed" on a queue; its ID and the queue.
fn org_with_sale() -> (Org, String, String) {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    (org, sale, queue)
}

/// An ended call whose agent already holds `code` with `notes` (wrapped up at `EARLIER_END`).
fn seed_holding(org: &Org, queue: &str, code: &str, notes: &str) -> Seeded {
    org.seed_with(
        "call",
        json!([
            {"purpose": "customer", "state": "disconnected"},
            {"purpose": "agent", "state": "disconnected", "queueId": queue,
             "wrapup": {"code": code, "notes": notes, "tags": [], "endTime": EARLIER_END}}
        ]),
    )
}

fn wrapup_config(conversation_id: &str, notes: &str, extra: &str) -> String {
    resource_block(
        "fix",
        &format!(
            "  conversation_id  = \"{conversation_id}\"\n  wrapup_code_name = \"Sale completed\"\n  notes            = \"{notes}\"\n{extra}"
        ),
    )
}

fn ignore_writes(org: &Org, on: bool) {
    org.faults(json!({ "accept_but_ignore_wrapup_writes": on }));
}

fn has_wrapup_in_state(workdir: &crate::support::Workdir) -> bool {
    let state = workdir.show_state_json();
    state["values"]["root_module"]["resources"]
        .as_array()
        .is_some_and(|resources| {
            resources
                .iter()
                .any(|r| r["type"] == "genesyscloud_conversation_wrapup")
        })
}

#[test]
fn a_create_over_the_same_wrap_up_fails_when_the_write_is_dropped() {
    let (org, sale, queue) = org_with_sale();
    let seeded = seed_holding(&org, &queue, &sale, "already there");
    let workdir = org.workdir().short_lag_waits();
    workdir.config(&wrapup_config(&seeded.conversation_id, "already there", ""));

    ignore_writes(&org, true);
    let mut diagnostic = None;
    let calls = measured(&org, || {
        diagnostic = Some(workdir.expect_error(&["apply"], DROPPED, Some("wrapup_code_name")));
    });
    let diagnostic = diagnostic.expect("apply ran");
    assert!(diagnostic.mentions("endTime"), "{diagnostic:?}");
    assert!(diagnostic.mentions(EARLIER_END), "{diagnostic:?}");
    assert!(!has_wrapup_in_state(&workdir), "nothing may enter state");
    // The target came from the analytics view (no conversation read), which shows the code
    // but no end time: the wrap-up was read exactly before the write, to compare with.
    assert!(calls.route(MULTI_GET) >= 1, "{}", calls.routes);
    assert_eq!(calls.route(CONVERSATION), 0, "{}", calls.routes);

    // The same apply on a platform that keeps the write: its endTime moves, and it passes.
    ignore_writes(&org, false);
    let output = workdir.apply();
    assert!(!output.combined().contains("not proven"), "{output}");
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(held["code"], json!(sale), "{held}");
    assert_ne!(held["endTime"], json!(EARLIER_END), "{held}");
    workdir.plan_is_empty();
}

#[test]
fn a_notes_only_update_fails_when_the_write_is_dropped() {
    let (org, sale, queue) = org_with_sale();
    let seeded = org.seed("call", &queue, "disconnected");
    let workdir = org.workdir().short_lag_waits();
    workdir.config(&wrapup_config(&seeded.conversation_id, "first", ""));
    workdir.apply();

    ignore_writes(&org, true);
    workdir.config(&wrapup_config(&seeded.conversation_id, "second", ""));
    let diagnostic = workdir.expect_error(&["apply"], DROPPED, Some("wrapup_code_name"));
    assert!(
        diagnostic.mentions("its notes are \"first\", not \"second\""),
        "{diagnostic:?}"
    );
    let state = wrapup_state(&workdir.show_state_json());
    assert_eq!(
        state["notes"],
        json!("first"),
        "state keeps what the platform holds"
    );
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(held["code"], json!(sale), "{held}");

    ignore_writes(&org, false);
    workdir.apply();
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(held["notes"], json!("second"), "{held}");
    workdir.plan_is_empty();
}

fn action_config(conversation_id: &str) -> String {
    format!(
        "provider \"genesyscloud\" {{}}\n\naction \"genesyscloud_conversation_wrapup\" \"fix\" {{\n  config {{\n    conversation_id  = \"{conversation_id}\"\n    wrapup_code_name = \"Sale completed\"\n    notes            = \"already there\"\n  }}\n}}\n"
    )
}

const INVOKE: &str = "-invoke=action.genesyscloud_conversation_wrapup.fix";

#[test]
fn the_action_over_the_same_wrap_up_fails_when_the_write_is_dropped() {
    let (org, sale, queue) = org_with_sale();
    let seeded = seed_holding(&org, &queue, &sale, "already there");
    let workdir = org.workdir().short_lag_waits();
    workdir.config(&action_config(&seeded.conversation_id));

    ignore_writes(&org, true);
    let diagnostic = workdir.expect_error(&["apply", INVOKE], DROPPED, None);
    assert!(diagnostic.mentions(EARLIER_END), "{diagnostic:?}");

    ignore_writes(&org, false);
    let output = workdir.apply_invoke(INVOKE);
    assert!(
        output.combined().contains("Verified: participant"),
        "{output}"
    );
    let held: Value = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_ne!(held["endTime"], json!(EARLIER_END), "{held}");
}

/// Posts a wrap-up as an agent's desktop would: the same code and notes, with a duration.
fn post_with_duration(org: &Org, seeded: &Seeded, code: &str, notes: &str, seconds: i64) {
    let (status, answer) = org.call(
        reqwest::Method::POST,
        &format!(
            "/api/v2/conversations/calls/{}/participants/{}/communications/{}/wrapup",
            seeded.conversation_id, seeded.agent_id, seeded.agent_communication_id
        ),
        Some(json!({ "code": code, "notes": notes, "tags": [], "durationSeconds": seconds })),
    );
    assert!(status < 300, "outside wrap-up answered {status}: {answer}");
}

#[test]
fn a_duration_the_configuration_leaves_out_is_never_drift() {
    let (org, sale, queue) = org_with_sale();
    let seeded = org.seed("call", &queue, "disconnected");
    let workdir = org.workdir();
    workdir.config(&wrapup_config(&seeded.conversation_id, "timed", ""));
    workdir.apply();

    // The platform now reports a duration nobody configured.
    post_with_duration(&org, &seeded, &sale, "timed", 42);
    workdir.plan_is_empty();
    let state = wrapup_state(&workdir.show_state_json());
    assert_eq!(state["duration_seconds"], Value::Null, "{state}");

    // A configured duration is still reconciled: a different one on the platform is drift.
    workdir.config(&wrapup_config(
        &seeded.conversation_id,
        "timed",
        "  duration_seconds = 30\n",
    ));
    workdir.apply();
    workdir.plan_is_empty();
    post_with_duration(&org, &seeded, &sale, "timed", 42);
    assert_eq!(
        workdir.plan_detailed_exitcode(),
        2,
        "42 s on the platform, 30 configured"
    );
}

//! What Terraform keeps when an apply fails half-way, through the real CLI: the state a type
//! has set so far is saved beside the error, so nothing the platform holds is forgotten and
//! the next apply converges instead of writing again.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::backfill::create_queue;
use crate::conversation_wrapup_common::{Org, new_queue_id, resource_block};

/// The codes queue `queue_id` offers, as the platform lists them.
fn queue_codes(org: &Org, queue_id: &str) -> BTreeSet<String> {
    let (status, page) = org.call(
        Method::GET,
        &format!("/api/v2/routing/queues/{queue_id}/wrapupcodes?pageSize=500"),
        None,
    );
    assert_eq!(status, 200, "{page}");
    page["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|code| code["id"].as_str().map(str::to_owned))
        .collect()
}

/// The attributes of the one resource of `type_name` in `terraform show -json`, if any.
fn state_values(workdir: &crate::support::Workdir, type_name: &str) -> Option<Value> {
    let state = workdir.show_state_json();
    state["values"]["root_module"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|resource| resource["type"] == type_name)
        .map(|resource| resource["values"].clone())
}

/// The strings of a JSON array, as a set.
fn string_set(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect()
}

/// How many requests the emulator counted for each route so far.
fn route_counts(org: &Org) -> Value {
    let (status, counts) = org.call(Method::GET, "/__emulator/requests", None);
    assert_eq!(status, 200, "{counts}");
    counts["routes"].clone()
}

/// Wrap-up writes (`POST …/communications/{id}/wrapup`, any media) counted so far.
fn wrapup_posts(org: &Org) -> u64 {
    route_counts(org)
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(route, _)| route.starts_with("POST ") && route.ends_with("/wrapup"))
        .map(|(_, count)| count.as_u64().unwrap_or(0))
        .sum()
}

/// A new assignment of A, B and C to a queue that offers D: the bulk POST lands, every
/// DELETE of D is answered 500. The apply fails, and state holds what the queue holds
/// (A, B, C and D), so the next plan shows only D's removal and the next apply converges.
#[test]
fn a_queue_assignment_whose_delete_fails_keeps_what_the_queue_holds() {
    let org = Org::start();
    let [a, b, c, d] = ["Alpha", "Beta", "Gamma", "Delta"].map(|name| org.create_code(name));
    let queue = create_queue(&org, "Support", &[&d]);
    org.faults(json!({ "rules": [{
        "method": "DELETE",
        "path": "/api/v2/routing/queues/*/wrapupcodes/*",
        "status": 500,
        "count": 1000
    }]}));
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"genesyscloud_routing_queue_wrapupcodes\" \"q\" {{\n  queue_id        = \
         \"{queue}\"\n  wrapup_code_ids = [\"{a}\", \"{b}\", \"{c}\"]\n}}\n"
    ));
    let failed = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(
        failed.status, 0,
        "the DELETE failed, so the apply fails: {failed}"
    );
    let held = BTreeSet::from([a.clone(), b.clone(), c.clone(), d.clone()]);
    assert_eq!(queue_codes(&org, &queue), held, "the bulk POST landed");
    let state = state_values(&workdir, "genesyscloud_routing_queue_wrapupcodes")
        .unwrap_or_else(|| panic!("the queue's codes are in state after the failed apply"));
    assert_eq!(
        string_set(&state["wrapup_code_ids"]),
        held,
        "state holds what the queue holds: {state}"
    );

    let (status, answer) = org.call(Method::DELETE, "/__emulator/faults", None);
    assert!(status < 300, "clearing faults answered {status}: {answer}");
    assert_eq!(
        workdir.plan_detailed_exitcode(),
        2,
        "D's removal is planned"
    );
    workdir.apply();
    assert_eq!(queue_codes(&org, &queue), BTreeSet::from([a, b, c]));
    workdir.plan_is_empty();
}

/// A wrap-up whose POST landed but whose read-back failed: it is in state after the apply
/// (with a warning), and the next apply, whose refresh checks it again, posts nothing.
#[test]
fn a_wrap_up_whose_read_back_fails_after_the_post_landed_stays_in_state() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    org.assign_codes(&queue, &[&sale]);
    let seeded = org.seed("call", &queue, "disconnected");
    org.faults(json!({ "rules": [{
        "method": "GET",
        "path": "/api/v2/conversations/*/participants/*/wrapup",
        "status": 500,
        "count": 1000
    }]}));
    let workdir = org.workdir();
    workdir.config(&resource_block(
        "landed",
        &format!(
            "  conversation_id  = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n",
            seeded.conversation_id
        ),
    ));
    let first = workdir.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let (status, answer) = org.call(Method::DELETE, "/__emulator/faults", None);
    assert!(status < 300, "clearing faults answered {status}: {answer}");
    assert_eq!(wrapup_posts(&org), 1, "one wrap-up posted: {first}");
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(sale.clone()),
        "the POST landed"
    );
    let state = state_values(&workdir, "genesyscloud_conversation_wrapup")
        .unwrap_or_else(|| panic!("the landed wrap-up is in state: {first}"));
    assert_eq!(state["wrapup_code_id"], json!(sale), "{state}");
    assert!(
        first.combined().contains("could not be read back"),
        "the apply warns that it could not verify: {first}"
    );

    workdir.apply();
    assert_eq!(wrapup_posts(&org), 1, "the next apply posts nothing");
    workdir.plan_is_empty();
}

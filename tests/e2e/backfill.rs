//! The back-fill types through the real CLI: `genesyscloud_routing_queue`,
//! `genesyscloud_routing_queue_wrapupcodes` (lifecycle, drift, import, errors) and
//! `genesyscloud_conversations` (each filter and its errors), and the back-fill configuration
//! applied, planned empty, and catching a hand change.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::conversation_wrapup_common::Org;

const DAY: &str = "2026-11-30";
pub(crate) const INTERVAL: &str = "2026-11-30T00:00:00Z/2026-12-01T00:00:00Z";

pub(crate) fn create_queue(org: &Org, name: &str, codes: &[&str]) -> String {
    let (status, queue) = org.call(
        Method::POST,
        "/__emulator/queues",
        Some(json!({ "name": name, "codeIds": codes })),
    );
    assert_eq!(status, 201, "{queue}");
    queue["queueId"].as_str().expect("queue id").to_owned()
}

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
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect()
}

/// A finished conversation on `queue_id` at `HH:MM` of [`DAY`]; returns (conversation,
/// participant, communication).
pub(crate) fn seed(
    org: &Org,
    queue_id: &str,
    media: &str,
    hour: u32,
    minute: u32,
) -> (String, String, String) {
    let (status, seeded) = org.call(
        Method::POST,
        "/__emulator/conversations",
        Some(json!({
            "mediaType": media,
            "startTime": format!("{DAY}T{hour:02}:{minute:02}:00.000Z"),
            "endTime": format!("{DAY}T{hour:02}:{minute:02}:30.000Z"),
            "participants": [
                {"purpose": "customer", "state": "disconnected"},
                {"purpose": "agent", "state": "disconnected", "queueId": queue_id}
            ]
        })),
    );
    assert_eq!(status, 201, "{seeded}");
    let agent = &seeded["participants"][1];
    let text = |v: &Value| v.as_str().expect("an id").to_owned();
    (
        text(&seeded["conversationId"]),
        text(&agent["participantId"]),
        text(&agent["communicationId"]),
    )
}

pub(crate) fn post_wrapup(
    org: &Org,
    media_path: &str,
    target: &(String, String, String),
    code: &str,
    notes: &str,
) {
    let (status, answer) = org.call(
        Method::POST,
        &format!(
            "/api/v2/conversations/{media_path}/{}/participants/{}/communications/{}/wrapup",
            target.0, target.1, target.2
        ),
        Some(json!({ "code": code, "notes": notes })),
    );
    assert_eq!(status, 202, "{answer}");
}

pub(crate) fn outputs(workdir: &crate::support::Workdir) -> Value {
    let output = workdir.run(&["output", "-json"]);
    output.assert_success();
    serde_json::from_str(&output.stdout).expect("JSON outputs")
}

#[test]
fn queue_data_source_finds_one_exact_name_and_refuses_none_and_many() {
    let org = Org::start();
    let support = create_queue(&org, "Support", &[]);
    create_queue(&org, "Support EU", &[]);
    create_queue(&org, "Twin", &[]);
    create_queue(&org, "twin", &[]);
    let workdir = org.workdir();
    workdir.config(
        "data \"genesyscloud_routing_queue\" \"q\" {\n  name = \"support\"\n}\n\noutput \"q\" {\n  value = data.genesyscloud_routing_queue.q\n}\n",
    );
    workdir.apply();
    let found = &outputs(&workdir)["q"]["value"];
    assert_eq!(found["id"], support.as_str());
    assert_eq!(found["division_id"], "00000000-0000-4000-8000-000000000001");

    workdir.config("data \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Nowhere\"\n}\n");
    workdir.expect_error(&["plan"], "Queue not found", Some("name"));
    workdir.config("data \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Twin\"\n}\n");
    workdir.expect_error(&["plan"], "Several queues have this name", Some("name"));
}

fn queue_codes_config(queue_id: &str, codes: &[&str]) -> String {
    let list: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
    format!(
        "resource \"genesyscloud_routing_queue_wrapupcodes\" \"q\" {{\n  queue_id        = \"{queue_id}\"\n  wrapup_code_ids = [{}]\n}}\n",
        list.join(", ")
    )
}

#[test]
fn queue_codes_lifecycle_with_drift_and_import() {
    let org = Org::start();
    let (a, b, c) = (
        org.create_code("Alpha"),
        org.create_code("Beta"),
        org.create_code("Gamma"),
    );
    let queue = create_queue(&org, "Support", &[&c]);
    let workdir = org.workdir();
    workdir.config(&queue_codes_config(&queue, &[&a, &b]));
    workdir.apply();
    assert_eq!(
        queue_codes(&org, &queue),
        BTreeSet::from([a.clone(), b.clone()]),
        "authoritative: Gamma removed"
    );
    workdir.plan_is_empty();

    // Outside: Gamma assigned again, Beta removed.
    let (status, _) = org.call(
        Method::POST,
        &format!("/api/v2/routing/queues/{queue}/wrapupcodes"),
        Some(json!([{ "id": c }])),
    );
    assert_eq!(status, 200);
    let (status, _) = org.call(
        Method::DELETE,
        &format!("/api/v2/routing/queues/{queue}/wrapupcodes/{b}"),
        None,
    );
    assert_eq!(status, 204);
    assert_eq!(workdir.plan_detailed_exitcode(), 2, "drift shows");
    workdir.apply();
    assert_eq!(
        queue_codes(&org, &queue),
        BTreeSet::from([a.clone(), b.clone()])
    );
    workdir.plan_is_empty();

    // Import into a fresh work dir by queue ID, then by identity.
    let imported = org.workdir();
    imported.config(&queue_codes_config(&queue, &[&a, &b]));
    imported.import("genesyscloud_routing_queue_wrapupcodes.q", &queue);
    imported.plan_is_empty();
    let by_identity = org.workdir();
    by_identity.config(&format!(
        "{}\nimport {{\n  to       = genesyscloud_routing_queue_wrapupcodes.q\n  identity = {{ queue_id = \"{queue}\" }}\n}}\n",
        queue_codes_config(&queue, &[&a, &b])
    ));
    by_identity.apply();
    by_identity.plan_is_empty();

    workdir.destroy();
    assert!(
        queue_codes(&org, &queue).is_empty(),
        "destroy removes the codes it held"
    );
}

#[test]
fn queue_codes_errors_point_at_their_attribute_and_change_nothing() {
    let org = Org::start();
    let a = org.create_code("Alpha");
    let queue = create_queue(&org, "Support", &[]);
    let workdir = org.workdir();
    workdir.config(&queue_codes_config(
        "5b2c7e0a-3f1d-4c8e-9a2b-6d4e8f0a1c3b",
        &[&a],
    ));
    workdir.expect_error(&["plan"], "Queue not found", Some("queue_id"));
    workdir.config(&queue_codes_config(
        &queue,
        &[&a, "0b1f7d1e-58a4-4c1b-9a65-0c5e8f2d3a11"],
    ));
    let error = workdir.expect_error(&["plan"], "Unknown wrap-up code", Some("wrapup_code_ids"));
    assert!(
        error.mentions("0b1f7d1e-58a4-4c1b-9a65-0c5e8f2d3a11"),
        "{error:?}"
    );
    workdir.config(&queue_codes_config("Support", &["Alpha"]));
    workdir.expect_error(&["validate"], "Invalid queue ID", Some("queue_id"));
    workdir.expect_error(
        &["validate"],
        "Invalid wrap-up code ID",
        Some("wrapup_code_ids"),
    );
    assert!(queue_codes(&org, &queue).is_empty(), "nothing was assigned");
}

fn conversations_config(filters: &str) -> String {
    format!(
        "data \"genesyscloud_conversations\" \"c\" {{\n  interval = \"{INTERVAL}\"\n{filters}}}\n\noutput \"c\" {{\n  value = data.genesyscloud_conversations.c.conversations\n}}\n"
    )
}

fn participants(workdir: &crate::support::Workdir, filters: &str) -> Vec<Value> {
    workdir.config(&conversations_config(filters));
    workdir.apply();
    outputs(workdir)["c"]["value"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn conversations_data_source_filters_and_their_errors() {
    let org = Org::start();
    let sale = org.create_code("Sale");
    let support = create_queue(&org, "Support", &[&sale]);
    let sales = create_queue(&org, "Sales", &[&sale]);
    let call = seed(&org, &support, "call", 9, 0);
    let email = seed(&org, &support, "email", 10, 0);
    let other_queue = seed(&org, &sales, "call", 11, 0);
    // Outside the interval: the day before.
    let (status, _) = org.call(
        Method::POST,
        "/__emulator/conversations",
        Some(json!({"mediaType": "call", "startTime": "2026-11-29T10:00:00Z", "endTime": "2026-11-29T10:01:00Z",
                     "participants": [{"purpose": "agent", "state": "disconnected", "queueId": support}]})),
    );
    assert_eq!(status, 201);
    post_wrapup(&org, "calls", &call, &sale, "by the agent");

    let workdir = org.workdir();
    let ids = |list: &[Value]| -> Vec<String> {
        list.iter()
            .map(|e| e["conversation_id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let all = participants(&workdir, "");
    assert_eq!(
        ids(&all),
        vec![call.0.clone(), email.0.clone(), other_queue.0.clone()]
    );
    let first = &all[0];
    assert_eq!(first["participant_id"], call.1.as_str());
    assert_eq!(first["communication_id"], call.2.as_str());
    assert_eq!(first["media_type"], "voice");
    assert_eq!(first["queue_id"], support.as_str());
    assert_eq!(first["wrapup_required"], true);
    assert_eq!(first["wrapup_code_id"], sale.as_str());
    assert_eq!(first["ended_at"], format!("{DAY}T09:00:30.000Z"));
    assert_eq!(all[1]["wrapup_code_id"], Value::Null);

    let by_queue = participants(&workdir, &format!("  queue_ids = [\"{support}\"]\n"));
    assert_eq!(ids(&by_queue), vec![call.0.clone(), email.0.clone()]);
    let by_media = participants(&workdir, "  media_types = [\"email\"]\n");
    assert_eq!(ids(&by_media), vec![email.0.clone()]);
    let missing = participants(&workdir, "  wrapup = \"missing\"\n");
    assert_eq!(ids(&missing), vec![email.0.clone(), other_queue.0.clone()]);
    let present = participants(&workdir, "  wrapup = \"present\"\n");
    assert_eq!(ids(&present), vec![call.0.clone()]);
    let any = participants(&workdir, "  wrapup = \"any\"\n");
    assert_eq!(ids(&any), ids(&all));

    let bad = |interval: &str, text: &str| {
        workdir.config(&format!(
            "data \"genesyscloud_conversations\" \"c\" {{\n  interval = \"{interval}\"\n}}\n"
        ));
        workdir.expect_error(&["plan"], text, Some("interval"))
    };
    bad("2026-11-30T00:00:00Z", "is not a closed interval");
    bad("2026-11-30T00:00:00Z/", "is not a closed interval");
    bad(
        "2026-12-01T00:00:00Z/2026-11-30T00:00:00Z",
        "ends before or when it starts",
    );
    let long = bad(
        "2026-10-01T00:00:00Z/2026-11-30T00:00:00Z",
        "at most 31 days",
    );
    assert!(long.mentions("60 days"), "{long:?}");
    workdir.config(&conversations_config("  media_types = [\"fax\"]\n"));
    workdir.expect_error(&["plan"], "Invalid media type", Some("media_types"));
    workdir.config(&conversations_config("  wrapup = \"none\"\n"));
    workdir.expect_error(&["plan"], "Invalid wrap-up filter", Some("wrapup"));
    workdir.config(&conversations_config("  queue_ids = [\"Support\"]\n"));
    workdir.expect_error(&["plan"], "Invalid queue ID", Some("queue_ids"));
}

/// The back-fill example's configuration, with the interval set.
pub(crate) fn backfill_config() -> String {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data-sources/genesyscloud_conversations/data-source.tf"
    ))
    .expect("the example is readable");
    format!("provider \"genesyscloud\" {{}}\n\n{example}")
}

#[test]
fn backfill_applies_plans_empty_and_catches_hand_changes() {
    let org = Org::start();
    let backfill = org.create_code("Back-filled after outage");
    let sale = org.create_code("Sale completed");
    let support = create_queue(&org, "Support", &[&backfill, &sale]);
    let sales = create_queue(&org, "Sales", &[&backfill, &sale]);
    let targets: Vec<_> = (0..5)
        .map(|i| seed(&org, &support, "call", 8 + i, 15))
        .collect();
    let agent_done = seed(&org, &support, "call", 14, 0);
    post_wrapup(&org, "calls", &agent_done, &sale, "agent picked this");
    let elsewhere = seed(&org, &sales, "call", 15, 0);

    let workdir = org.workdir();
    workdir.config(&backfill_config());
    workdir.file("terraform.tfvars", &format!("interval = \"{INTERVAL}\"\n"));
    workdir.apply();
    for target in &targets {
        assert_eq!(
            org.wrapup_code(&target.0, &target.1).as_deref(),
            Some(backfill.as_str())
        );
    }
    assert_eq!(
        org.wrapup_code(&agent_done.0, &agent_done.1).as_deref(),
        Some(sale.as_str()),
        "an agent's own wrap-up is kept"
    );
    assert_eq!(
        org.wrapup_code(&elsewhere.0, &elsewhere.1),
        None,
        "other queues are left alone"
    );
    assert_eq!(outputs(&workdir)["backfilled"]["value"], 5);
    workdir.plan_is_empty();

    // Notes edited by hand under the back-fill code: an in-place update that apply restores.
    post_wrapup(&org, "calls", &targets[1], &backfill, "edited by hand");
    let plan = workdir.plan_json();
    let changed: Vec<&Value> = plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["change"]["actions"] != json!(["no-op"]) && c["change"]["actions"] != json!(["read"])
        })
        .collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0]["index"], targets[1].1.as_str());
    assert_eq!(changed[0]["change"]["actions"], json!(["update"]));
    workdir.apply();
    assert_eq!(
        org.wrapup(&targets[1].0, &targets[1].1)["notes"],
        "Back-filled by Terraform"
    );
    workdir.plan_is_empty();

    // Re-coded by hand: the participant leaves the set; the plan shows it (exit 2).
    post_wrapup(&org, "calls", &targets[2], &sale, "re-coded by hand");
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
}

//! The forum scenario example (`examples/forum-scenario`) applied through the real Terraform
//! CLI against the emulator: the code named by its label ends up on the platform as its ID.

use crate::conversation_wrapup_common;

use std::path::Path;

use conversation_wrapup_common::{Org, new_queue_id};
use serde_json::json;

#[test]
fn the_forum_scenario_applies_the_label_as_the_code_id() {
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    let no_sale = org.create_code("No sale");
    org.assign_codes(&queue, &[&sale, &no_sale]);
    let seeded = org.seed("call", &queue, "disconnected");

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/forum-scenario/main.tf");
    let main_tf = std::fs::read_to_string(&example).expect("the forum scenario example exists");
    let workdir = org
        .workdir()
        .env("TF_VAR_conversation_id", &seeded.conversation_id);
    workdir.config(&main_tf);
    workdir.apply();

    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(sale.clone()),
        "the platform holds the code's ID"
    );
    let outputs = workdir.run(&["output", "-json"]);
    outputs.assert_success();
    let outputs: serde_json::Value = serde_json::from_str(&outputs.stdout).expect("output JSON");
    assert_eq!(outputs["wrapup_code_id"]["value"], json!(sale));
    assert_eq!(outputs["participant_id"]["value"], json!(seeded.agent_id));
    workdir.plan_is_empty();
}

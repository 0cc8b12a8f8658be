//! `genesyscloud_conversation_wrapup` through the real Terraform CLI, once per supported media
//! type: the code named by its label is kept by the platform as its ID, the next plan is
//! empty, a wrap-up changed on the platform shows as drift, apply restores it, and destroy
//! only forgets it.

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{
    MEDIA, Org, new_queue_id, resource_block, wrapup_change, wrapup_state,
};
use serde_json::json;

fn name_to_id_drift_and_restore(seed_media: &str) {
    let path_media = MEDIA
        .iter()
        .find(|(seed, _)| *seed == seed_media)
        .map(|(_, path)| *path)
        .expect("a supported media type");
    let org = Org::start();
    let queue = new_queue_id();
    let sale = org.create_code("Sale completed");
    let no_sale = org.create_code("No sale");
    org.assign_codes(&queue, &[&sale, &no_sale]);
    let seeded = org.seed(seed_media, &queue, "disconnected");
    let workdir = org.workdir();
    workdir.config(&resource_block(
        "fix",
        &format!(
            "  conversation_id  = \"{}\"\n  wrapup_code_name = \"Sale completed\"\n  notes            = \"back-filled by ops\"\n",
            seeded.conversation_id
        ),
    ));

    // The plan already shows the ID the name resolves to, and the participant it goes to.
    let planned = wrapup_change(&workdir.plan_json());
    assert_eq!(planned["actions"], json!(["create"]));
    assert_eq!(planned["after"]["wrapup_code_id"], json!(sale));
    assert_eq!(planned["after"]["participant_id"], json!(seeded.agent_id));
    assert_eq!(planned["after"]["media_type"], json!(path_media));

    workdir.apply();
    let held = org.wrapup(&seeded.conversation_id, &seeded.agent_id);
    assert_eq!(
        held["code"],
        json!(sale),
        "the platform keeps the ID: {held}"
    );
    assert_eq!(held["notes"], json!("back-filled by ops"));
    let state = wrapup_state(&workdir.show_state_json());
    assert_eq!(state["wrapup_code_id"], json!(sale));
    assert_eq!(state["wrapup_code_name"], json!("Sale completed"));
    assert_eq!(
        state["communication_id"],
        json!(seeded.agent_communication_id)
    );
    assert_eq!(state["media_type"], json!(path_media));
    assert!(
        state["applied_at"]
            .as_str()
            .is_some_and(|t| t.contains('T'))
    );
    workdir.plan_is_empty();

    org.set_wrapup_outside(path_media, &seeded, &no_sale);
    assert_eq!(
        workdir.plan_detailed_exitcode(),
        2,
        "drift must show in plan"
    );
    let drift = wrapup_change(&workdir.plan_json());
    assert_eq!(drift["actions"], json!(["update"]));
    assert_eq!(drift["before"]["wrapup_code_id"], json!(no_sale));
    assert_eq!(drift["before"]["wrapup_code_name"], json!("No sale"));
    assert_eq!(drift["after"]["wrapup_code_id"], json!(sale));
    assert_eq!(drift["after"]["wrapup_code_name"], json!("Sale completed"));

    workdir.apply();
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(sale.clone()),
        "apply restores the configured code"
    );
    workdir.plan_is_empty();

    let destroyed = workdir.destroy();
    assert!(
        destroyed
            .combined()
            .contains("The wrap-up stays on the conversation"),
        "destroy warns: {destroyed}"
    );
    assert_eq!(
        org.wrapup_code(&seeded.conversation_id, &seeded.agent_id),
        Some(sale),
        "destroy leaves the platform's wrap-up alone"
    );
}

#[test]
fn calls_keep_the_code_id_show_drift_and_restore_it() {
    name_to_id_drift_and_restore("call");
}

#[test]
fn callbacks_keep_the_code_id_show_drift_and_restore_it() {
    name_to_id_drift_and_restore("callback");
}

#[test]
fn chats_keep_the_code_id_show_drift_and_restore_it() {
    name_to_id_drift_and_restore("chat");
}

#[test]
fn emails_keep_the_code_id_show_drift_and_restore_it() {
    name_to_id_drift_and_restore("email");
}

#[test]
fn messages_keep_the_code_id_show_drift_and_restore_it() {
    name_to_id_drift_and_restore("message");
}

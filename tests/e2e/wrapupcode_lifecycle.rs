//! `genesyscloud_routing_wrapupcode` through the real Terraform CLI against the emulator:
//! apply, empty second plan, drift from outside edits and deletes, in-place division moves, a
//! division that does not exist, the description normal form, and destroy leaving nothing
//! behind.

use crate::wrapupcode_common;

use wrapupcode_common::{Org, planned_actions, state_codes};

const THREE_CODES: &str = r#"
resource "genesyscloud_routing_wrapupcode" "sale" {
  name        = "Sale completed"
  description = "Customer bought something"
}

resource "genesyscloud_routing_wrapupcode" "plain" {
  name = "No description"
}

resource "genesyscloud_routing_wrapupcode" "blank" {
  name        = "Blank description"
  description = ""
}
"#;

fn change_of(plan: &serde_json::Value, address: &str) -> serde_json::Value {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|change| change["address"] == address)
        .unwrap_or_else(|| panic!("no planned change for {address}: {plan}"))
        .clone()
}

fn id_of(state: &serde_json::Value, address: &str) -> String {
    state_codes(state)
        .into_iter()
        .find(|(a, _)| a == address)
        .unwrap_or_else(|| panic!("{address} is not in state: {state}"))
        .1["id"]
        .as_str()
        .expect("a string id")
        .to_owned()
}

#[test]
fn outside_edits_and_deletes_show_as_drift_and_apply_restores_them() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(THREE_CODES);
    let home = org.home_division_id();

    // Creating: the ID and the division the platform chooses are "(known after apply)".
    let plan = workdir.plan_json();
    let change = &change_of(&plan, "genesyscloud_routing_wrapupcode.plain")["change"];
    assert_eq!(change["actions"], serde_json::json!(["create"]));
    assert_eq!(
        change["after_unknown"],
        serde_json::json!({ "id": true, "division_id": true }),
        "{change}"
    );

    workdir.apply();
    workdir.plan_is_empty();

    let state = workdir.show_state_json();
    let codes = state_codes(&state);
    assert_eq!(codes.len(), 3, "{state}");
    for (address, values) in &codes {
        let id = values["id"].as_str().unwrap_or_default();
        assert_eq!(id.len(), 36, "{address} id {id:?} is not a UUID");
        assert_eq!(values["division_id"], home.as_str(), "{address}");
    }
    let by = |address: &str| codes.iter().find(|(a, _)| a == address).unwrap().1.clone();
    assert_eq!(
        by("genesyscloud_routing_wrapupcode.plain")["description"],
        ""
    );
    assert_eq!(
        by("genesyscloud_routing_wrapupcode.blank")["description"],
        ""
    );
    assert_eq!(org.codes().len(), 3);

    // Edited in the admin UI: the plan shows it, -detailed-exitcode says 2, apply restores.
    let sale = id_of(&state, "genesyscloud_routing_wrapupcode.sale");
    org.edit_code(&sale, "Sale completed (edited)", Some("changed in the UI"));
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    let plan = workdir.plan_json();
    assert_eq!(
        planned_actions(&plan, "genesyscloud_routing_wrapupcode.sale"),
        ["update"]
    );
    let change = change_of(&plan, "genesyscloud_routing_wrapupcode.sale")["change"].clone();
    assert_eq!(change["before"]["name"], "Sale completed (edited)");
    assert_eq!(change["after"]["name"], "Sale completed");
    assert_eq!(change["before"]["description"], "changed in the UI");
    // Nothing is "(known after apply)" in an update: id and division keep their values.
    assert_eq!(change["after"]["id"], sale.as_str());
    assert_eq!(change["after"]["division_id"], home.as_str());
    assert_eq!(
        change["after_unknown"],
        serde_json::json!({}),
        "unexpected unknowns in {change}"
    );
    for untouched in ["plain", "blank"] {
        let address = format!("genesyscloud_routing_wrapupcode.{untouched}");
        assert_eq!(planned_actions(&plan, &address), ["no-op"], "{address}");
    }
    workdir.apply();
    let restored = org.code(&sale).expect("still there");
    assert_eq!(restored["name"], "Sale completed");
    assert_eq!(restored["description"], "Customer bought something");
    workdir.plan_is_empty();

    // Deleted in the admin UI: dropped from state on refresh and planned for re-creation.
    let plain = id_of(&state, "genesyscloud_routing_wrapupcode.plain");
    org.delete_code(&plain);
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    let plan = workdir.plan_json();
    assert_eq!(
        planned_actions(&plan, "genesyscloud_routing_wrapupcode.plain"),
        ["create"]
    );
    workdir.apply();
    let recreated = id_of(
        &workdir.show_state_json(),
        "genesyscloud_routing_wrapupcode.plain",
    );
    assert_ne!(recreated, plain);
    assert_eq!(
        org.code(&recreated).expect("re-created")["name"],
        "No description"
    );
    workdir.plan_is_empty();

    workdir.destroy();
    assert_eq!(org.codes(), Vec::<serde_json::Value>::new());
}

#[test]
fn division_change_moves_the_code_in_place() {
    let org = Org::start();
    let divisions = org.division_ids();
    assert!(divisions.len() >= 2, "the emulator seeds a second division");
    let (home, other) = (&divisions[0], &divisions[1]);
    let config = |division: Option<&str>| {
        let line = division.map_or(String::new(), |d| format!("  division_id = \"{d}\"\n"));
        format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"moving\" {{\n  name = \"Moving\"\n{line}}}\n"
        )
    };
    let workdir = org.workdir();
    workdir.config(&config(Some(other)));
    workdir.apply();
    workdir.plan_is_empty();
    let id = id_of(
        &workdir.show_state_json(),
        "genesyscloud_routing_wrapupcode.moving",
    );
    assert_eq!(org.code(&id).unwrap()["division"]["id"], other.as_str());

    workdir.config(&config(Some(home)));
    let plan = workdir.plan_json();
    assert_eq!(
        planned_actions(&plan, "genesyscloud_routing_wrapupcode.moving"),
        ["update"]
    );
    workdir.apply();
    assert_eq!(org.code(&id).unwrap()["division"]["id"], home.as_str());

    // Dropping division_id from the configuration keeps the code where it is.
    workdir.config(&config(None));
    workdir.plan_is_empty();
    workdir.destroy();
    assert!(org.codes().is_empty());
}

#[test]
fn a_division_that_does_not_exist_fails_create_and_update_on_division_id() {
    let org = Org::start();
    let missing = "11111111-2222-4333-8444-555555555555";
    assert!(!org.division_ids().iter().any(|d| d == missing));
    let config = |name: &str, division: Option<&str>| {
        let line = division.map_or(String::new(), |d| format!("  division_id = \"{d}\"\n"));
        format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"placed\" {{\n  name = \"{name}\"\n{line}}}\n"
        )
    };
    let workdir = org.workdir();

    workdir.config(&config("Placed", Some(missing)));
    let diagnostic = workdir.expect_error(&["apply"], missing, Some("division_id"));
    assert!(diagnostic.mentions("HTTP 400"), "{diagnostic:?}");
    assert!(org.codes().is_empty(), "nothing created");
    assert!(state_codes(&workdir.show_state_json()).is_empty());

    workdir.config(&config("Placed", None));
    workdir.apply();
    let id = id_of(
        &workdir.show_state_json(),
        "genesyscloud_routing_wrapupcode.placed",
    );
    workdir.config(&config("Placed again", Some(missing)));
    workdir.expect_error(&["apply"], missing, Some("division_id"));
    let code = org.code(&id).expect("the code is still there");
    assert_eq!(code["name"], "Placed", "the refused update changed nothing");
    assert_eq!(code["division"]["id"], org.home_division_id().as_str());
}

#[test]
fn description_set_cleared_and_emptied_never_leaves_a_perpetual_diff() {
    let org = Org::start();
    let workdir = org.workdir();
    let config = |description: &str| {
        format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"d\" {{\n  name = \"Described\"\n{description}}}\n"
        )
    };
    for description in [
        "  description = \"first\"\n",
        "  description = \"\"\n",
        "",
        "  description = \"again\"\n",
        "",
    ] {
        workdir.config(&config(description));
        workdir.apply();
        workdir.plan_is_empty();
    }
    let codes = org.codes();
    assert_eq!(codes.len(), 1);
    let description = codes[0]["description"].as_str().unwrap_or_default();
    assert_eq!(
        description, "",
        "clearing the description clears it on the platform"
    );
    workdir.destroy();
}

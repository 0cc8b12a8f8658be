//! Divisions the platform chooses and `*` (all divisions): a code created without
//! `division_id` is planned "known after apply" and lands wherever the org puts it with no
//! "inconsistent result after apply"; `division_id = "*"` is accepted, applied and planned
//! stable, and a code moves between `*` and one division in place.

use genesys_emulator::{EmulatorConfig, UnsetCodeDivision};

use crate::wrapupcode_common;

use wrapupcode_common::{Org, planned_actions, state_codes};

const ADDRESS: &str = "genesyscloud_routing_wrapupcode.c";

fn code(division: Option<&str>) -> String {
    let line = division.map_or(String::new(), |d| format!("  division_id = \"{d}\"\n"));
    format!(
        "resource \"genesyscloud_routing_wrapupcode\" \"c\" {{\n  name = \"Anywhere\"\n{line}}}\n"
    )
}

fn state_division(workdir: &crate::support::Workdir) -> String {
    let state = workdir.show_state_json();
    let codes = state_codes(&state);
    assert_eq!(codes.len(), 1, "{state}");
    codes[0].1["division_id"]
        .as_str()
        .expect("division_id in state")
        .to_owned()
}

#[test]
fn an_unset_division_the_platform_makes_all_divisions_applies_consistently() {
    let org = Org::start_configured(EmulatorConfig {
        unset_code_division: UnsetCodeDivision::All,
        ..EmulatorConfig::default()
    });
    let workdir = org.workdir();
    workdir.config(&code(None));
    let plan = workdir.plan_json();
    let change = plan["resource_changes"][0]["change"].clone();
    assert_eq!(change["after_unknown"]["division_id"], true, "{change}");

    let output = workdir.apply();
    assert!(!output.combined().contains("inconsistent"), "{output}");
    assert_eq!(state_division(&workdir), "*");
    let codes = org.codes();
    assert_eq!(codes[0]["division"]["id"], "*");
    workdir.plan_is_empty();

    // Written out, the value the platform chose plans no change either.
    workdir.config(&code(Some("*")));
    workdir.plan_is_empty();
    workdir.destroy();
    assert!(org.codes().is_empty());
}

#[test]
fn division_id_all_divisions_is_accepted_planned_stable_and_moves_in_place() {
    let org = Org::start();
    let home = org.home_division_id();
    let workdir = org.workdir();
    workdir.config(&code(Some("*")));
    workdir.run(&["validate", "-no-color"]).assert_success();
    let plan = workdir.plan_json();
    assert_eq!(
        plan["resource_changes"][0]["change"]["after"]["division_id"],
        "*"
    );
    workdir.apply();
    assert_eq!(org.codes()[0]["division"]["id"], "*");
    assert_eq!(state_division(&workdir), "*");
    workdir.plan_is_empty();

    let id = org.codes()[0]["id"].as_str().unwrap().to_owned();
    for division in [home.as_str(), "*"] {
        workdir.config(&code(Some(division)));
        let plan = workdir.plan_json();
        assert_eq!(planned_actions(&plan, ADDRESS), ["update"], "{plan}");
        workdir.apply();
        workdir.plan_is_empty();
        let held = org.code(&id).expect("moved in place, not replaced");
        assert_eq!(held["division"]["id"], division);
    }

    // Removing division_id after apply leaves the code in `*` and plans nothing.
    workdir.config(&code(None));
    workdir.plan_is_empty();
    workdir.destroy();
}

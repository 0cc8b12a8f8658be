//! Equivalent configuration forms of `genesyscloud_routing_wrapupcode` never plan a change:
//! every switch between them, config to config and in both directions, gives an empty
//! `terraform plan -detailed-exitcode` (exit 0), through the real CLI against the emulator.

use crate::wrapupcode_common::{Org, state_codes};

fn code_config(body: &str) -> String {
    format!("resource \"genesyscloud_routing_wrapupcode\" \"c\" {{\n  name = \"Forms\"\n{body}}}\n")
}

/// Switches the configuration to each form in turn and checks the plan is empty, then
/// applies (a no-op) so the next step starts from state written with the current form.
#[track_caller]
fn every_switch_plans_nothing(org: &Org, forms: &[(&str, &str)]) {
    let workdir = org.workdir();
    workdir.config(&code_config(forms[0].1));
    workdir.apply();
    let mut previous = forms[0].0;
    for (label, body) in &forms[1..] {
        workdir.config(&code_config(body));
        let output = workdir.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(
            output.status, 0,
            "switching from {previous} to {label} planned a change: {output}"
        );
        workdir.apply();
        previous = label;
    }
    assert_eq!(org.codes().len(), 1, "one code, never replaced");
}

#[test]
fn description_omitted_null_and_empty_are_one_form_in_every_direction() {
    let org = Org::start();
    // Every ordered pair of the three forms appears once: o->e, e->n, n->o, o->n, n->e, e->o.
    let omitted = ("omitted", "");
    let empty = ("\"\"", "  description = \"\"\n");
    let null = ("null", "  description = null\n");
    every_switch_plans_nothing(&org, &[omitted, empty, null, omitted, null, empty, omitted]);
    let code = &org.codes()[0];
    assert!(
        code["description"].as_str().unwrap_or_default().is_empty(),
        "the platform holds no description: {code}"
    );
}

#[test]
fn a_description_with_surrounding_spaces_is_kept_as_written_and_plans_clean() {
    // Neither the platform nor the official provider trims descriptions, so the text is
    // stored as written and reads back the same.
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&code_config("  description = \"  padded text \"\n"));
    workdir.apply();
    workdir.plan_is_empty();
    assert_eq!(org.codes()[0]["description"], "  padded text ");
    let state = workdir.show_state_json();
    assert_eq!(state_codes(&state)[0].1["description"], "  padded text ");
}

#[test]
fn division_id_removed_after_apply_plans_nothing_and_leaves_the_code_where_it_is() {
    let org = Org::start();
    let home = org.home_division_id();
    let other = org
        .division_ids()
        .into_iter()
        .find(|id| *id != home)
        .expect("the emulator seeds a second division");
    for division in [&other, &home] {
        let workdir = org.workdir();
        let named = format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"c\" {{\n  name = \"In {division}\"\n  division_id = \"{division}\"\n}}\n"
        );
        workdir.config(&named);
        workdir.apply();
        let unset = named.replace(&format!("  division_id = \"{division}\"\n"), "");
        workdir.config(&unset);
        let output = workdir.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(
            output.status, 0,
            "removing division_id planned a change: {output}"
        );
        // And back: configuring the division the code is in is no change either.
        workdir.config(&named);
        workdir.plan_is_empty();
        workdir.config(&unset);
        workdir.apply();
        let state = workdir.show_state_json();
        let id = state_codes(&state)[0].1["id"].as_str().unwrap().to_owned();
        assert_eq!(
            org.code(&id).expect("the code exists")["division"]["id"],
            division.as_str()
        );
        workdir.destroy();
    }
}

//! Whose code is it? A code holding a wanted name is only ever taken over when it is provably
//! ours, and otherwise the error says exactly what holds the name and how to adopt it:
//! - a provider killed with SIGKILL mid-apply (over a slow link: creates land at once, their
//!   answers come late) leaves codes state does not know; the next plan names each with its ID
//!   and the exact import command and block; with `adopt_identical_wrapup_codes` the apply
//!   adopts them (a warning says so) and the plan after it is empty;
//! - two resources of one configuration with one name (exact, or differing only in case) are
//!   told that, not "import it", quoting the name the platform stores where one holds it;
//! - after a lost create answer, a code another writer made meanwhile is not adopted.

use serde_json::json;

use crate::interrupts::{platform_and_state_ids, wait_for};
use crate::support::{Signal, Workdir, diagnostics};
use crate::wrapupcode_common::{CLIENT_ID, Org, state_codes};

const CODES: usize = 30;
const CREATE_ROUTE: &str = "POST /api/v2/routing/wrapupcodes";
const TYPE: &str = "genesyscloud_routing_wrapupcode";

fn creates_sent(org: &Org) -> u64 {
    org.requests()["routes"][CREATE_ROUTE].as_u64().unwrap_or(0)
}

fn many_codes() -> String {
    format!(
        "resource \"{TYPE}\" \"many\" {{\n  count       = {CODES}\n  name        = \"Killed ${{count.index}}\"\n  description = \"code ${{count.index}}\"\n}}\n"
    )
}

/// Every diagnostic of a `-json` run.
fn json_diagnostics(workdir: &Workdir, args: &[&str]) -> (bool, Vec<diagnostics::Diagnostic>) {
    let output = workdir.run(args);
    (output.success(), diagnostics::parse_json(&output.stdout))
}

/// Applies over a slow link and SIGKILLs the provider once a third of the creates were sent:
/// about ten creates have then landed whose answers never arrive. Returns the orphans' IDs.
fn kill_the_provider_mid_apply(org: &Org, workdir: &Workdir) -> Vec<String> {
    org.faults(json!({ "answer_latency_ms": 300, "answer_latency_jitter_ms": 700 }));
    workdir.config(&many_codes());
    let mut running = workdir.spawn(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=10",
    ]);
    wait_for("a third of the creates", || {
        creates_sent(org) >= CODES as u64 / 3 || !running.is_running()
    });
    assert!(running.is_running(), "apply ended early");
    let killed = running.signal_providers(Signal::Kill);
    assert!(killed >= 1, "no provider process to kill");
    let output = running.wait();
    assert!(
        !output.success(),
        "the apply must fail once its provider is killed: {output}"
    );
    org.faults(json!({}));
    let (platform, state) = platform_and_state_ids(org, workdir);
    let orphans: Vec<String> = platform
        .into_iter()
        .filter(|id| !state.contains(id))
        .collect();
    assert!(
        !orphans.is_empty(),
        "the kill left no code behind, so this test shows nothing: {output}"
    );
    orphans
}

#[test]
fn a_provider_killed_mid_apply_leaves_codes_the_next_plan_names_with_their_import_advice() {
    let org = Org::start();
    let workdir = org.workdir();
    let orphans = kill_the_provider_mid_apply(&org, &workdir);

    let (ok, found) = json_diagnostics(&workdir, &["plan", "-json", "-input=false"]);
    assert!(!ok, "the plan must fail while orphans hold the names");
    let taken: Vec<_> = found
        .iter()
        .filter(|d| d.severity == "error" && d.summary == "Wrap-up code name already in use")
        .collect();
    assert_eq!(
        taken.len(),
        orphans.len(),
        "one error per orphan: {found:#?}"
    );
    for id in &orphans {
        let diagnostic = taken
            .iter()
            .find(|d| d.mentions(&format!("(id {id}")))
            .unwrap_or_else(|| panic!("no error names orphan {id}: {taken:#?}"));
        assert!(
            diagnostic.mentions(&format!("terraform import {TYPE}.<label> {id}")),
            "{diagnostic:#?}"
        );
        assert!(
            diagnostic.mentions(&format!("id = \"{id}\"")),
            "{diagnostic:#?}"
        );
        assert!(diagnostic.mentions("killed"), "{diagnostic:#?}");
        assert!(diagnostic.mentions("adopt_identical_wrapup_codes"));
        let address = diagnostic.address.as_deref().unwrap_or_default();
        assert!(
            address.starts_with(&format!("{TYPE}.many[")),
            "Terraform shows the address with the message: {diagnostic:#?}"
        );
    }
    let errors = found.iter().filter(|d| d.severity == "error").count();
    assert_eq!(errors, taken.len(), "no other errors: {found:#?}");

    // Opted in, the plan says which codes it adopts, the apply takes them over without a
    // create, and nothing is left to do.
    let workdir = workdir.env("GENESYSCLOUD_ADOPT_IDENTICAL_WRAPUP_CODES", "true");
    let (ok, found) = json_diagnostics(&workdir, &["plan", "-json", "-input=false"]);
    assert!(ok, "{found:#?}");
    let adopting: Vec<_> = found
        .iter()
        .filter(|d| d.severity == "warning" && d.summary == "Adopting an existing wrap-up code")
        .collect();
    assert_eq!(adopting.len(), orphans.len(), "{found:#?}");
    for id in &orphans {
        assert!(
            adopting.iter().any(|d| d.mentions(&format!("(id {id}"))),
            "no warning names {id}: {adopting:#?}"
        );
    }
    let creates_before = creates_sent(&org);
    let missing = CODES - org.codes().len();
    workdir.apply();
    assert_eq!(
        creates_sent(&org) - creates_before,
        missing as u64,
        "adopted codes are not created again"
    );
    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert_eq!(platform.len(), CODES);
    assert_eq!(platform, state, "state holds exactly the platform's codes");
    for id in &orphans {
        assert!(state.contains(id), "orphan {id} is adopted");
    }
    workdir.plan_is_empty();
}

#[test]
fn the_opt_in_never_adopts_a_code_that_differs_or_that_someone_else_made() {
    let org = Org::start();
    // Same name, another description: not the configuration.
    let differs = org.create_code("Differs", Some("made by hand"));
    // Same attributes, but made by a person in the admin UI.
    let (status, theirs) = org.emulator.admin(
        reqwest::Method::POST,
        "wrapupcodes",
        Some(json!({ "name": "Theirs", "description": "same" })),
    );
    assert_eq!(status, 201, "{theirs}");
    let theirs = theirs["id"].as_str().expect("an id").to_owned();
    let workdir = org
        .workdir()
        .env("GENESYSCLOUD_ADOPT_IDENTICAL_WRAPUP_CODES", "true");
    workdir.config(&format!(
        "resource \"{TYPE}\" \"differs\" {{\n  name        = \"Differs\"\n  description = \"configured\"\n}}\n\
         resource \"{TYPE}\" \"theirs\" {{\n  name        = \"Theirs\"\n  description = \"same\"\n}}\n"
    ));
    let (ok, found) = json_diagnostics(&workdir, &["plan", "-json", "-input=false"]);
    assert!(!ok);
    for (id, address) in [
        (&differs, format!("{TYPE}.differs")),
        (&theirs, format!("{TYPE}.theirs")),
    ] {
        let diagnostic = found
            .iter()
            .find(|d| d.severity == "error" && d.mentions(&format!("(id {id}")))
            .unwrap_or_else(|| panic!("no error names {id}: {found:#?}"));
        assert_eq!(diagnostic.address.as_deref(), Some(address.as_str()));
        assert!(!diagnostic.mentions("killed"), "{diagnostic:#?}");
        assert!(diagnostic.mentions(&format!("terraform import {TYPE}.<label> {id}")));
    }
    let theirs_error = found.iter().find(|d| d.mentions(&theirs)).expect("checked");
    assert!(
        theirs_error.mentions("created by a1d0c0de-0000-4000-8000-00000000ad01"),
        "{theirs_error:#?}"
    );
    assert!(
        !found
            .iter()
            .any(|d| d.severity == "warning" && d.mentions("Adopting"))
    );
    assert_eq!(org.codes().len(), 2, "nothing created");
}

/// Two resources with one name, `first` and `second`, optionally with a code already holding
/// `stored` on the platform.
fn two_resources_named(first: &str, second: &str, stored: Option<&str>) {
    let org = Org::start();
    let held = stored.map(|name| org.create_code(name, None));
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"{TYPE}\" \"a\" {{\n  name = \"{first}\"\n}}\nresource \"{TYPE}\" \"b\" {{\n  name = \"{second}\"\n}}\n"
    ));
    let (ok, found) = json_diagnostics(&workdir, &["plan", "-json", "-input=false"]);
    assert!(!ok, "the plan must fail: {found:#?}");
    assert!(
        found
            .iter()
            .all(|d| d.address.is_some() || d.severity != "error"),
        "{found:#?}"
    );
    let duplicate: Vec<_> = found
        .iter()
        .filter(|d| {
            d.severity == "error"
                && d.summary == "Two wrap-up codes in this configuration have the same name"
        })
        .collect();
    assert!(!duplicate.is_empty(), "{found:#?}");
    let diagnostic = duplicate[0];
    // The resource that claimed the name first may still be told the name is held, but then
    // with the hint that another resource has it too, never with "import it" alone.
    for other in found.iter().filter(|d| d.severity == "error") {
        assert!(
            other.summary == diagnostic.summary
                || other.mentions("If another resource of this configuration has this name too"),
            "{other:#?}"
        );
    }
    let address = diagnostic.address.clone().unwrap_or_default();
    assert!(
        address == format!("{TYPE}.a") || address == format!("{TYPE}.b"),
        "{diagnostic:#?}"
    );
    assert!(
        diagnostic.mentions(&format!("{first:?}")) && diagnostic.mentions(&format!("{second:?}"))
    );
    assert_eq!(
        diagnostic.mentions("only in case"),
        first != second,
        "{diagnostic:#?}"
    );
    if let (Some(name), Some(id)) = (stored, &held) {
        assert!(
            diagnostic.mentions(&format!("holds the name as {name:?} (code {id})")),
            "{diagnostic:#?}"
        );
    }
    assert_eq!(
        org.codes().len(),
        usize::from(stored.is_some()),
        "nothing created"
    );
}

#[test]
fn two_resources_with_exactly_one_name_are_told_so() {
    two_resources_named("Sale", "Sale", None);
}

#[test]
fn two_resources_whose_names_differ_only_in_case_are_told_so() {
    two_resources_named("Sale", "SALE", None);
}

#[test]
fn two_resources_with_one_name_quote_the_stored_name_of_the_code_holding_it() {
    two_resources_named("sale", "SALE", Some("Sale"));
}

/// A new resource whose name differs only in case from one this configuration already
/// manages is told that another resource of this configuration holds it, with the stored
/// name, not that the code is outside Terraform.
#[test]
fn a_new_resource_named_like_a_managed_one_is_told_which_code_holds_the_name() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"{TYPE}\" \"a\" {{\n  name = \"Sale\"\n}}\n"
    ));
    workdir.apply();
    let id = state_codes(&workdir.show_state_json())[0].1["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    workdir.config(&format!(
        "resource \"{TYPE}\" \"a\" {{\n  name = \"Sale\"\n}}\nresource \"{TYPE}\" \"b\" {{\n  name = \"SALE\"\n}}\n"
    ));
    let (ok, found) = json_diagnostics(&workdir, &["plan", "-json", "-input=false"]);
    assert!(!ok);
    let errors: Vec<_> = found.iter().filter(|d| d.severity == "error").collect();
    let names_both = |diagnostic: &&diagnostics::Diagnostic| {
        diagnostic.summary == "Two wrap-up codes in this configuration have the same name"
            || diagnostic.mentions("another resource of this configuration manages")
    };
    // Terraform plans `b` and refreshes `a` in parallel: when `b` is planned before `a` is
    // known to hold the name, `b` can only say the name is taken and hint at a duplicate;
    // then `a`, planned later, is told of `b`. Either way one error names both.
    assert!(errors.iter().any(names_both), "{errors:#?}");
    for diagnostic in &errors {
        assert!(
            names_both(diagnostic)
                || diagnostic.mentions("If another resource of this configuration has"),
            "{diagnostic:#?}"
        );
        assert!(diagnostic.mentions(&id), "{diagnostic:#?}");
        assert!(diagnostic.mentions("\"Sale\""), "{diagnostic:#?}");
    }
    assert_eq!(org.codes().len(), 1);
}

/// Every create is refused unanswered (a 503 from a gateway: it may or may not have landed),
/// and while the provider retries, a person creates the same name in the admin UI. The apply
/// must not adopt that code: it stops with the import advice, and state stays empty.
#[test]
fn a_lost_create_answer_does_not_adopt_a_code_another_writer_made_meanwhile() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"{TYPE}\" \"sale\" {{\n  name        = \"Sale\"\n  description = \"same\"\n}}\n"
    ));
    org.faults(json!({
        "rules": [{ "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 503, "count": 5 }]
    }));
    let running = workdir.spawn(&["apply", "-auto-approve", "-input=false", "-json"]);
    wait_for("the first create", || creates_sent(&org) >= 1);
    let (status, theirs) = org.emulator.admin(
        reqwest::Method::POST,
        "wrapupcodes",
        Some(json!({ "name": "Sale", "description": "same" })),
    );
    assert_eq!(status, 201, "{theirs}");
    let theirs = theirs["id"].as_str().expect("an id").to_owned();
    let output = running.wait();
    assert!(!output.success(), "{output}");
    let found = diagnostics::parse_json(&output.stdout);
    let diagnostic = found
        .iter()
        .find(|d| d.severity == "error" && d.summary == "Wrap-up code create not confirmed")
        .unwrap_or_else(|| panic!("{found:#?}\n{output}"));
    assert!(diagnostic.mentions(&theirs), "{diagnostic:#?}");
    assert!(
        diagnostic.mentions(&format!(
            "created by a1d0c0de-0000-4000-8000-00000000ad01, not by this OAuth client ({CLIENT_ID})"
        )),
        "{diagnostic:#?}"
    );
    assert!(diagnostic.mentions(&format!("terraform import {TYPE}.<label> {theirs}")));
    org.faults(json!({}));
    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert_eq!(platform, vec![theirs]);
    assert!(state.is_empty(), "someone else's code is not in state");
}

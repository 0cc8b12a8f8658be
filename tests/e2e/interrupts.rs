//! Interrupting Terraform in the middle of an apply loses nothing. The platform is reached over
//! a slow link (each create lands at once, its answer comes up to a second later), so when the
//! interrupt comes some creates have landed whose answers are still on their way. Terraform is
//! interrupted as a user does it: SIGINT to its PID (`kill -INT`), or to its whole process group
//! (Ctrl-C in a terminal, which reaches the provider too). Afterwards the platform holds exactly
//! the codes state knows, the next apply creates the rest, and the plan after it is empty.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Running, Signal, Workdir};
use crate::wrapupcode_common::{Org, state_codes};

const CODES: usize = 100;
const CREATE_ROUTE: &str = "POST /api/v2/routing/wrapupcodes";

/// Who receives the SIGINT.
#[derive(Clone, Copy, Debug)]
enum Target {
    TerraformPid,
    ProcessGroup,
}

fn many_codes() -> String {
    format!(
        "resource \"genesyscloud_routing_wrapupcode\" \"many\" {{\n  count       = {CODES}\n  name        = \"Interrupted ${{count.index}}\"\n  description = \"code ${{count.index}}\"\n}}\n"
    )
}

fn creates_sent(org: &Org) -> u64 {
    org.requests()["routes"][CREATE_ROUTE].as_u64().unwrap_or(0)
}

/// Polls until `done` holds, failing the test after a minute.
#[track_caller]
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The IDs of every code on the platform and of every code in state, each sorted.
pub fn platform_and_state_ids(org: &Org, workdir: &Workdir) -> (Vec<String>, Vec<String>) {
    let mut platform: Vec<String> = org
        .codes()
        .iter()
        .filter_map(|code| code["id"].as_str().map(str::to_owned))
        .collect();
    let mut state: Vec<String> = state_codes(&workdir.show_state_json())
        .into_iter()
        .filter_map(|(_, values)| values["id"].as_str().map(str::to_owned))
        .collect();
    platform.sort();
    state.sort();
    (platform, state)
}

fn start_slow_apply(org: &Org, workdir: &Workdir) -> Running {
    org.faults(json!({ "answer_latency_ms": 200, "answer_latency_jitter_ms": 700 }));
    workdir.config(&many_codes());
    workdir.spawn(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=10",
    ])
}

fn interrupted_apply_loses_nothing(target: Target) {
    let org = Org::start();
    let workdir = org.workdir();
    let mut running = start_slow_apply(&org, &workdir);
    // Interrupt once a third of the creates were sent: about ten are then landed but unanswered.
    wait_for("a third of the creates", || {
        creates_sent(&org) >= CODES as u64 / 3 || !running.is_running()
    });
    assert!(
        running.is_running(),
        "apply ended early: {}",
        running.wait()
    );
    match target {
        Target::TerraformPid => running.signal(Signal::Interrupt),
        Target::ProcessGroup => running.signal_group(Signal::Interrupt),
    }
    let output = running.wait();
    assert!(
        output.combined().contains("Interrupt received"),
        "Terraform saw the interrupt: {output}"
    );
    org.faults(json!({}));

    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert!(
        platform.len() < CODES,
        "the interrupt stopped the apply early ({} codes): {output}",
        platform.len()
    );
    let orphans: Vec<&String> = platform.iter().filter(|id| !state.contains(id)).collect();
    assert!(
        orphans.is_empty(),
        "{} codes exist on the platform but not in state after {target:?} SIGINT: \
         {orphans:?}\n{output}",
        orphans.len()
    );
    assert_eq!(platform, state, "state holds exactly the platform's codes");

    // The next apply creates the rest, without any "already in use", and then nothing is left.
    workdir.apply();
    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert_eq!(platform.len(), CODES);
    assert_eq!(platform, state);
    workdir.plan_is_empty();
}

#[test]
fn sigint_to_terraform_mid_apply_on_a_slow_link_leaves_no_orphan() {
    interrupted_apply_loses_nothing(Target::TerraformPid);
}

#[test]
fn sigint_to_the_process_group_mid_apply_on_a_slow_link_leaves_no_orphan() {
    interrupted_apply_loses_nothing(Target::ProcessGroup);
}

/// `Value` of the request counter, for messages.
#[allow(dead_code)]
fn counts(org: &Org) -> Value {
    org.requests()
}

const BUDGET_CODES: usize = 30;

/// `BUDGET_CODES` codes, behind a provider block that sets the budget (`None`: the default).
fn budgeted_codes(budget: Option<u32>) -> String {
    let provider = match budget {
        Some(per_minute) => format!(
            "provider \"genesyscloud\" {{\n  max_requests_per_minute = {per_minute}\n  token_pool_size         = 1\n}}\n\n"
        ),
        None => String::new(),
    };
    format!(
        "{provider}resource \"genesyscloud_routing_wrapupcode\" \"budgeted\" {{\n  count = {BUDGET_CODES}\n  name  = \"Budgeted ${{count.index}}\"\n}}\n"
    )
}

/// With a budget of 4 requests a minute on one token, the apply's ten parallel creates wait
/// for the budget for minutes (the first few go out at once, the rest one every 15 s at
/// best). A SIGINT then reaches each wait through the request's cancellation token: the
/// waiting creates are not sent, Terraform ends long before the budget would have let them
/// through, and state holds exactly the codes the platform holds. The hang detector allows
/// a minute, while the budget alone would hold the run for about two.
#[test]
fn sigint_while_writes_wait_for_the_rate_budget_ends_the_apply_with_state_equal_to_the_platform() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&budgeted_codes(Some(4)));
    let mut running = workdir.spawn(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_for("the first creates", || {
        creates_sent(&org) >= 2 || !running.is_running()
    });
    assert!(
        running.is_running(),
        "apply ended early: {}",
        running.wait()
    );
    let interrupted = Instant::now();
    running.signal(Signal::Interrupt);
    let output = running
        .wait_within(Duration::from_secs(60))
        .unwrap_or_else(|timed_out| {
            panic!("Terraform still waited for the budget a minute after SIGINT: {timed_out}")
        });
    eprintln!(
        "terraform ended {:?} after SIGINT, {} creates sent",
        interrupted.elapsed(),
        creates_sent(&org)
    );
    assert!(
        output.combined().contains("Interrupt received"),
        "Terraform saw the interrupt: {output}"
    );
    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert!(
        !platform.is_empty() && platform.len() < BUDGET_CODES,
        "the interrupt stopped the apply part-way ({} codes): {output}",
        platform.len()
    );
    assert_eq!(platform, state, "state holds exactly the platform's codes");

    // At the default budget the next apply creates the rest, and then nothing is left to do.
    workdir.config(&budgeted_codes(None));
    workdir.apply();
    let (platform, state) = platform_and_state_ids(&org, &workdir);
    assert_eq!(platform.len(), BUDGET_CODES);
    assert_eq!(platform, state);
    workdir.plan_is_empty();
}

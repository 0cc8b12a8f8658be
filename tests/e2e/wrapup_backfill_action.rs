//! The `genesyscloud_conversation_wrapup_backfill` action through the real Terraform CLI, over
//! a day seeded in bulk: some participants already wrapped up, some on a queue without the
//! code, one still connected. The summary's counts are exact and the platform holds exactly
//! what they say; a dry run writes nothing; the cap refuses before any write; an interrupted
//! run, invoked again, finishes without writing anything twice.

use std::time::Duration;

use serde_json::{Value, json};

use crate::conversation_wrapup_common::{Org, new_queue_id};
use crate::interrupts::wait_for;
use crate::support::Signal;

const INVOKE: &str = "-invoke=action.genesyscloud_conversation_wrapup_backfill.day";
const WRITE_ROUTE: &str = "POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup";
const READ_BACK_ROUTE: &str =
    "GET /api/v2/conversations/{conversationId}/participants/{participantId}/wrapup";

/// One seeded agent participant.
struct Agent {
    conversation_id: String,
    participant_id: String,
}

/// The seeded day: who should be written, who holds a wrap-up, who is on the queue without the
/// code, and the connected agent.
struct Day {
    org: Org,
    code: String,
    earlier: String,
    missing: Vec<Agent>,
    wrapped: Vec<Agent>,
    other_queue: Vec<Agent>,
    connected: Agent,
}

fn seed(queue: &str, minute: usize, agent: Value) -> Value {
    let start = format!(
        "2026-11-30T{:02}:{:02}:00.000Z",
        8 + minute / 60,
        minute % 60
    );
    let mut agent_seed = json!({"purpose": "agent", "state": "disconnected", "queueId": queue});
    if let (Some(target), Some(extra)) = (agent_seed.as_object_mut(), agent.as_object()) {
        target.extend(extra.clone());
    }
    json!({
        "mediaType": "call",
        "startTime": start,
        "endTime": start.replace(":00.000Z", ":30.000Z"),
        "participants": [
            {"purpose": "customer", "state": "disconnected"},
            agent_seed
        ]
    })
}

fn bulk_seed(org: &Org, seeds: Vec<Value>) -> Vec<Agent> {
    let (status, answer) = org.call(
        reqwest::Method::POST,
        "/__emulator/conversations/bulk",
        Some(Value::Array(seeds)),
    );
    assert_eq!(status, 201, "bulk seed answered {status}: {answer}");
    answer["conversations"]
        .as_array()
        .expect("seeded conversations")
        .iter()
        .map(|c| Agent {
            conversation_id: c["conversationId"].as_str().unwrap_or_default().to_owned(),
            participant_id: c["participants"][1]["participantId"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

fn seeded_day(missing: usize) -> Day {
    let org = Org::start();
    let code = org.create_code("Outage follow-up");
    let earlier = org.create_code("Earlier");
    let other = org.create_code("Other");
    let (support, sales) = (new_queue_id(), new_queue_id());
    org.assign_codes(&support, &[&code, &earlier]);
    org.assign_codes(&sales, &[&other]);
    let missing_seeds = (0..missing).map(|i| seed(&support, i, json!({}))).collect();
    let missing = bulk_seed(&org, missing_seeds);
    let wrapped = bulk_seed(
        &org,
        (0..3)
            .map(|i| seed(&support, 400 + i, json!({"wrapup": {"code": earlier}})))
            .collect(),
    );
    let other_queue = bulk_seed(
        &org,
        (0..4).map(|i| seed(&sales, 500 + i, json!({}))).collect(),
    );
    let connected = bulk_seed(
        &org,
        vec![json!({
            "mediaType": "call",
            "startTime": "2026-11-30T15:00:00.000Z",
            "participants": [
                {"purpose": "customer", "state": "connected"},
                {"purpose": "agent", "state": "connected", "queueId": support}
            ]
        })],
    )
    .remove(0);
    Day {
        org,
        code,
        earlier,
        missing,
        wrapped,
        other_queue,
        connected,
    }
}

fn action(extra: &str) -> String {
    format!(
        "provider \"genesyscloud\" {{}}\n\naction \"genesyscloud_conversation_wrapup_backfill\" \"day\" {{\n  config {{\n    interval         = \"2026-11-30T00:00:00Z/2026-12-01T00:00:00Z\"\n    wrapup_code_name = \"Outage follow-up\"\n    notes            = \"back-filled\"\n{extra}  }}\n}}\n"
    )
}

fn route_count(org: &Org, route: &str) -> u64 {
    let (status, counts) = org.call(reqwest::Method::GET, "/__emulator/requests", None);
    assert_eq!(status, 200, "{counts}");
    counts["routes"][route].as_u64().unwrap_or(0)
}

fn codes(org: &Org, agents: &[Agent]) -> Vec<Option<String>> {
    agents
        .iter()
        .map(|a| org.wrapup_code(&a.conversation_id, &a.participant_id))
        .collect()
}

#[test]
fn a_backfill_over_a_seeded_day_writes_exactly_what_its_summary_says() {
    let day = seeded_day(12);
    let workdir = day.org.workdir();
    workdir.config(&action(""));
    let output = workdir.apply_invoke(INVOKE);
    let printed = output.combined();
    assert!(
        printed.contains(
            "12 written and verified, 3 skipped (3 already wrapped up, 0 without after-call \
             work), 5 refused, 0 failed"
        ),
        "{output}"
    );
    assert!(
        printed.contains("Back-fill finished; 5 participants refused"),
        "{output}"
    );
    // The refusals carry the single wrap-up's messages.
    assert!(printed.contains("is still connected"), "{output}");
    assert!(
        printed.contains("exists in the org but is not valid for"),
        "{output}"
    );

    let org = &day.org;
    // The floor: one write and one read-back per participant written, nothing per skip.
    assert_eq!(route_count(org, WRITE_ROUTE), 12);
    assert_eq!(route_count(org, READ_BACK_ROUTE), 12);
    assert_eq!(codes(org, &day.missing), vec![Some(day.code.clone()); 12]);
    for agent in &day.missing {
        let held = org.wrapup(&agent.conversation_id, &agent.participant_id);
        assert_eq!(held["notes"], "back-filled", "{held}");
    }
    assert_eq!(codes(org, &day.wrapped), vec![Some(day.earlier.clone()); 3]);
    assert_eq!(codes(org, &day.other_queue), vec![None; 4]);
    assert_eq!(codes(org, std::slice::from_ref(&day.connected)), vec![None]);
}

#[test]
fn the_dry_run_resolves_and_counts_but_writes_nothing() {
    let day = seeded_day(12);
    let workdir = day.org.workdir();
    workdir.config(&action("    dry_run          = true\n"));
    let output = workdir.apply_invoke(INVOKE);
    assert!(
        output.combined().contains(
            "12 would be written, 3 skipped (3 already wrapped up, 0 without after-call work), \
             5 refused, 0 failed"
        ),
        "{output}"
    );
    assert!(
        output.combined().contains("Dry run: nothing was written."),
        "{output}"
    );
    assert_eq!(route_count(&day.org, WRITE_ROUTE), 0);
    assert_eq!(codes(&day.org, &day.missing), vec![None; 12]);
}

#[test]
fn the_cap_refuses_before_any_write() {
    let day = seeded_day(12);
    let workdir = day.org.workdir();
    workdir.config(&action("    max_conversations = 10\n"));
    let diagnostic = workdir.expect_error(
        &["apply", INVOKE],
        "Too many conversations for max_conversations",
        // Terraform reports an action's invoke errors without the configuration range.
        None,
    );
    // 12 missing, 4 on the other queue and the connected one have participants to write.
    assert!(diagnostic.mentions("17 conversations"), "{diagnostic:?}");
    assert!(diagnostic.mentions("nothing was written"), "{diagnostic:?}");
    assert_eq!(route_count(&day.org, WRITE_ROUTE), 0);
    assert_eq!(codes(&day.org, &day.missing), vec![None; 12]);
}

#[test]
fn an_interrupted_backfill_invoked_again_finishes_without_writing_anything_twice() {
    const MISSING: usize = 300;
    let day = seeded_day(MISSING);
    let org = &day.org;
    // A slow link: every answer comes 20 to 60 ms late, so the run takes seconds.
    org.faults(json!({ "answer_latency_ms": 20, "answer_latency_jitter_ms": 40 }));
    let workdir = org.workdir();
    workdir.config(&action("    max_conversations = 1000\n"));
    let mut running = workdir.spawn(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        INVOKE,
    ]);
    wait_for("a third of the writes", || {
        route_count(org, WRITE_ROUTE) >= MISSING as u64 / 3 || !running.is_running()
    });
    assert!(
        running.is_running(),
        "the run ended early: {}",
        running.wait()
    );
    running.signal(Signal::Interrupt);
    let first = running.wait();
    assert!(
        first.combined().contains("Interrupt received"),
        "Terraform saw the interrupt: {first}"
    );
    // Terraform 1.15 panics when an action sends another event after a progress message that
    // arrived once it was stopping; the provider sends no progress after a stop.
    assert!(
        !first.combined().contains("TERRAFORM CRASH"),
        "Terraform did not crash: {first}"
    );
    let posted = route_count(org, WRITE_ROUTE);
    let held = codes(org, &day.missing)
        .iter()
        .filter(|code| code.as_deref() == Some(day.code.as_str()))
        .count() as u64;
    assert!(
        posted < MISSING as u64,
        "the interrupt stopped the run early: {first}"
    );
    assert_eq!(held, posted, "every write sent landed: {first}");
    // ... and the summary Terraform printed after the interrupt accounts for each one.
    assert!(
        first
            .combined()
            .contains(&format!("stopped: {posted} written and verified")),
        "{first}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        route_count(org, WRITE_ROUTE),
        posted,
        "nothing is sent after the stop"
    );

    org.faults(json!({}));
    let second = workdir.apply_invoke(INVOKE);
    let rest = MISSING as u64 - posted;
    assert!(
        second.combined().contains(&format!(
            "{rest} written and verified, {} skipped ({} already wrapped up",
            posted + 3,
            posted + 3
        )),
        "{second}"
    );
    assert_eq!(
        route_count(org, WRITE_ROUTE),
        MISSING as u64,
        "nothing written twice"
    );
    assert_eq!(
        codes(org, &day.missing),
        vec![Some(day.code.clone()); MISSING]
    );
}

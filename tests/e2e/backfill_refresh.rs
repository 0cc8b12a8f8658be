//! Bulk refresh of the back-fill through the real CLI: the nightly plan of the back-fill
//! configuration is served by the conversations data source's own query (no read per
//! wrap-up), a wrap-up analytics shows differently is confirmed with the exact read before it
//! is drift (so analytics lag reports none), a hand change is caught, and `read_cache = false`
//! reads every wrap-up on its own. Counted exactly with the emulator's request counter.

use serde_json::{Value, json};

use crate::api_calls::measured;
use crate::backfill::{INTERVAL, backfill_config, create_queue, post_wrapup, seed};
use crate::conversation_wrapup_common::Org;
use crate::support::Workdir;

const LOGIN: &str = "POST /oauth/token";
const QUERY: &str = "POST /api/v2/analytics/conversations/details/query";
const MULTI_GET: &str = "GET /api/v2/analytics/conversations/details";
const EXACT: &str =
    "GET /api/v2/conversations/{conversationId}/participants/{participantId}/wrapup";
const CONVERSATION: &str = "GET /api/v2/conversations/{conversationId}";
const QUEUE_LOOKUP: &str = "GET /api/v2/routing/queues";
const CODE_LIST: &str = "GET /api/v2/routing/wrapupcodes";

/// The data sources' calls in one plan process: a login, the queue by name, the code listing
/// and one query page.
const LOOKUPS: u64 = 4;

/// `n` unwrapped calls on the Support queue, back-filled by the example configuration
/// (applied with `workdir`); returns the targets and the code IDs (back-fill, sale).
fn backfilled(
    org: &Org,
    workdir: &Workdir,
    n: u32,
) -> (Vec<(String, String, String)>, String, String) {
    let backfill = org.create_code("Back-filled after outage");
    let sale = org.create_code("Sale completed");
    let support = create_queue(org, "Support", &[&backfill, &sale]);
    let targets: Vec<_> = (0..n)
        .map(|i| seed(org, &support, "call", 8 + i / 60, i % 60))
        .collect();
    workdir.config(&backfill_config());
    workdir.file("terraform.tfvars", &format!("interval = \"{INTERVAL}\"\n"));
    workdir.apply();
    for target in &targets {
        assert_eq!(
            org.wrapup_code(&target.0, &target.1).as_deref(),
            Some(backfill.as_str())
        );
    }
    (targets, backfill, sale)
}

fn changed_instances(plan: &Value) -> Vec<Value> {
    plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["change"]["actions"] != json!(["no-op"]) && c["change"]["actions"] != json!(["read"])
        })
        .cloned()
        .collect()
}

#[test]
fn nightly_plan_reads_no_wrapup_on_its_own_and_confirms_a_hand_change() {
    const N: u32 = 12;
    let org = Org::start();
    let workdir = org.workdir();
    let (targets, backfill, _) = backfilled(&org, &workdir, N);

    let quiet = measured(&org, || workdir.plan_is_empty());
    assert_eq!(quiet.route(LOGIN), 1, "{}", quiet.routes);
    assert_eq!(quiet.route(QUERY), 1, "{}", quiet.routes);
    assert_eq!(quiet.route(EXACT), 0, "{}", quiet.routes);
    assert_eq!(quiet.route(MULTI_GET), 0, "{}", quiet.routes);
    assert_eq!(quiet.route(CONVERSATION), 0, "{}", quiet.routes);
    assert_eq!(quiet.route(QUEUE_LOOKUP), 1, "{}", quiet.routes);
    assert_eq!(quiet.route(CODE_LIST), 1, "{}", quiet.routes);
    assert_eq!(quiet.total, LOOKUPS, "{}", quiet.routes);

    // Notes edited by hand: analytics shows them, the exact read confirms them, the plan
    // updates that one instance.
    post_wrapup(&org, "calls", &targets[3], &backfill, "edited by hand");
    let mut plan = Value::Null;
    let caught = measured(&org, || plan = workdir.plan_json());
    let changed = changed_instances(&plan);
    assert_eq!(changed.len(), 1, "{changed:#?}");
    assert_eq!(changed[0]["index"], targets[3].1.as_str());
    assert_eq!(changed[0]["change"]["actions"], json!(["update"]));
    assert_eq!(caught.route(EXACT), 1, "{}", caught.routes);
    assert_eq!(caught.total, LOOKUPS + 1, "{}", caught.routes);
}

#[test]
fn bulk_refresh_under_analytics_lag_confirms_exactly_and_reports_no_false_drift() {
    const N: u32 = 6;
    let org = Org::start();
    // Analytics shows each wrap-up only ten minutes after it was written: right after the
    // back-fill, every view still shows the participant unwrapped.
    org.faults(json!({ "analytics_lag_ms": 600_000 }));
    let workdir = org.workdir();
    let (targets, backfill, _) = backfilled(&org, &workdir, N);
    let (status, view) = org.call(
        reqwest::Method::GET,
        &format!(
            "/api/v2/analytics/conversations/details?id={}",
            targets[0].0
        ),
        None,
    );
    assert_eq!(status, 200, "{view}");
    assert!(
        !view.to_string().contains(&backfill),
        "analytics lags the write: {view}"
    );

    let lagging = measured(&org, || workdir.plan_is_empty());
    assert_eq!(
        lagging.route(EXACT),
        u64::from(N),
        "each lagging view is confirmed with the exact read: {}",
        lagging.routes
    );
    assert_eq!(lagging.route(MULTI_GET), 0, "{}", lagging.routes);
    assert_eq!(lagging.total, LOOKUPS + u64::from(N), "{}", lagging.routes);
}

#[test]
fn read_cache_off_reads_every_wrapup_on_its_own() {
    const N: u32 = 5;
    let org = Org::start();
    let workdir = org.workdir().env("GENESYSCLOUD_READ_CACHE", "false");
    let (targets, _, sale) = backfilled(&org, &workdir, N);

    let exact = measured(&org, || workdir.plan_is_empty());
    assert_eq!(exact.route(EXACT), u64::from(N), "{}", exact.routes);
    assert_eq!(exact.route(MULTI_GET), 0, "{}", exact.routes);
    assert_eq!(exact.route(CONVERSATION), 0, "{}", exact.routes);
    assert_eq!(exact.total, LOOKUPS + u64::from(N), "{}", exact.routes);

    // Re-coded by hand: the participant leaves the for_each set, so the plan removes its
    // instance from state (exit 2).
    post_wrapup(&org, "calls", &targets[0], &sale, "re-coded by hand");
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
}

#[test]
fn backfill_plan_resolves_each_wrapup_from_the_query_without_reading_conversations() {
    const N: u32 = 7;
    let org = Org::start();
    let backfill = org.create_code("Back-filled after outage");
    let support = create_queue(&org, "Support", &[&backfill]);
    for i in 0..N {
        seed(&org, &support, "call", 8, i);
    }
    let workdir = org.workdir();
    workdir.config(&backfill_config());
    workdir.file("terraform.tfvars", &format!("interval = \"{INTERVAL}\"\n"));
    let mut plan = Value::Null;
    let planned = measured(&org, || plan = workdir.plan_json());
    let creates = plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["change"]["actions"] == json!(["create"]))
        .count();
    assert_eq!(creates, N as usize, "{plan:#}");
    // Participants, communications, media and queues come from the data source's query; the
    // queue's codes are read once.
    assert_eq!(planned.route(CONVERSATION), 0, "{}", planned.routes);
    assert_eq!(
        planned.route("GET /api/v2/routing/queues/{queueId}/wrapupcodes"),
        1,
        "{}",
        planned.routes
    );
    assert_eq!(planned.total, LOOKUPS + 1, "{}", planned.routes);
}

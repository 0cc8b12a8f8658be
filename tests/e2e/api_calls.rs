//! API economy through the real Terraform CLI: each standard job's calls, counted by the
//! emulator's request counter: exactly, except where reads coalesce into analytics multi-gets
//! and their number depends on timing (then bounded, and the rest exact). The floors and the
//! before/after figures are in docs/performance.md (`scripts/bench/api-calls.sh`).

use crate::conversation_wrapup_common;

use conversation_wrapup_common::{Org, new_queue_id};
use serde_json::{Value, json};

const LOGIN: &str = "POST /oauth/token";
const HOME: &str = "GET /api/v2/authorization/divisions/home";
const LIST: &str = "GET /api/v2/routing/wrapupcodes";
const CREATE: &str = "POST /api/v2/routing/wrapupcodes";
const CONVERSATION: &str = "GET /api/v2/conversations/{conversationId}";
const QUEUE_CODES: &str = "GET /api/v2/routing/queues/{queueId}/wrapupcodes";
const WRITE: &str = "POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup";
const MULTI_GET: &str = "GET /api/v2/analytics/conversations/details";
const READ_BACK: &str =
    "GET /api/v2/conversations/{conversationId}/participants/{participantId}/wrapup";

/// Calls since `before`: the total and each route that was called.
pub(crate) struct Calls {
    pub(crate) total: u64,
    pub(crate) routes: Value,
    all: Value,
}

impl Calls {
    pub(crate) fn route(&self, key: &str) -> u64 {
        self.routes[key].as_u64().unwrap_or(0)
    }
}

fn counts(org: &Org) -> Value {
    let (status, counts) = org.call(reqwest::Method::GET, "/__emulator/requests", None);
    assert_eq!(status, 200, "{counts}");
    counts
}

/// The calls the emulator counted while `job` ran.
pub(crate) fn measured(org: &Org, job: impl FnOnce()) -> Calls {
    let before = counts(org);
    job();
    let after = counts(org);
    let mut routes = serde_json::Map::new();
    if let Some(map) = after["routes"].as_object() {
        for (key, value) in map {
            let was = before["routes"][key].as_u64().unwrap_or(0);
            let now = value.as_u64().unwrap_or(0);
            if now > was {
                routes.insert(key.clone(), json!(now - was));
            }
        }
    }
    Calls {
        total: after["total"].as_u64().unwrap_or(0) - before["total"].as_u64().unwrap_or(0),
        routes: Value::Object(routes),
        all: after,
    }
}

fn codes_config(n: usize) -> String {
    format!(
        "resource \"genesyscloud_routing_wrapupcode\" \"code\" {{\n  count = {n}\n  name  = \"Economy ${{count.index}}\"\n}}\n"
    )
}

fn wrapups_config(conversations: &[String], code_name: &str) -> String {
    let listed: Vec<String> = conversations.iter().map(|id| format!("\"{id}\"")).collect();
    format!(
        "locals {{\n  conversations = [{}]\n}}\n\nresource \"genesyscloud_conversation_wrapup\" \"w\" {{\n  count            = length(local.conversations)\n  conversation_id  = local.conversations[count.index]\n  wrapup_code_name = \"{code_name}\"\n  notes            = \"economy\"\n}}\n",
        listed.join(", ")
    )
}

#[test]
fn codes_apply_plan_and_a_wrong_secret_at_their_floors() {
    const N: u64 = 30;
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&codes_config(N as usize));

    // Each process (plan, then apply, which plans every code again before applying it): a
    // login and one listing for every name check (no home division: the platform chooses an
    // unset division); then one POST per code.
    let applied = measured(&org, || {
        workdir.apply();
    });
    assert_eq!(
        applied.route(LOGIN),
        2,
        "one login per process: {}",
        applied.routes
    );
    assert_eq!(
        applied.route(HOME),
        0,
        "the plan does not guess the division: {}",
        applied.routes
    );
    assert_eq!(
        applied.route(LIST),
        2,
        "one listing per process: {}",
        applied.routes
    );
    assert_eq!(applied.route(CREATE), N, "{}", applied.routes);
    assert_eq!(applied.total, N + 4, "{}", applied.routes);

    // Refresh: a login and one listing page.
    let planned = measured(&org, || workdir.plan_is_empty());
    assert_eq!(planned.total, 2, "{}", planned.routes);
    assert_eq!(planned.route(LIST), 1, "{}", planned.routes);

    // A refused login is tried once per process, however many codes need it.
    let refused_dir = org
        .workdir()
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", "not-the-secret");
    std::fs::copy(
        workdir.path().join("terraform.tfstate"),
        refused_dir.path().join("terraform.tfstate"),
    )
    .expect("the state copies");
    refused_dir.config(&codes_config(N as usize));
    let mut output = None;
    let refused = measured(&org, || {
        output = Some(refused_dir.run(&["plan", "-input=false", "-no-color"]));
    });
    let output = output.expect("plan ran");
    assert!(!output.success(), "{}", output.combined());
    assert_eq!(refused.total, 1, "{}", refused.routes);
    assert_eq!(refused.route(LOGIN), 1, "{}", refused.routes);
    let text = output.combined();
    assert_eq!(
        text.matches("oauthclient_secret").count(),
        1,
        "one error names the settings, the rest refer to it: {text}"
    );
    assert!(text.contains("the credentials were refused"), "{text}");
}

/// Lines of Terraform's output that open an error diagnostic.
fn error_lines(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            line.trim_start_matches(['│', '╷', ' '])
                .starts_with("Error:")
        })
        .count()
}

#[test]
fn a_wrong_secret_fails_a_plan_of_20_new_codes_once_at_configure() {
    const N: usize = 20;
    let org = Org::start();
    let workdir = org
        .workdir()
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", "not-the-secret-20");
    workdir.config(&codes_config(N));
    let mut output = None;
    let refused = measured(&org, || {
        output = Some(workdir.run(&["plan", "-input=false", "-no-color"]));
    });
    let output = output.expect("plan ran");
    let text = output.combined();
    assert!(!output.success(), "{text}");
    assert_eq!(
        refused.route(LOGIN),
        1,
        "one login attempt: {}",
        refused.routes
    );
    assert_eq!(
        refused.total, 1,
        "nothing but the login: {}",
        refused.routes
    );
    let errors = error_lines(&text);
    assert!(
        (1..=3).contains(&errors),
        "{errors} error lines, not one per code: {text}"
    );
    assert!(text.contains("the credentials were refused"), "{text}");
    assert!(text.contains("oauthclient_secret"), "{text}");
    assert!(!text.contains("not-the-secret-20"), "{text}");
}

/// Seeds `m` finished calls whose agents wait for a wrap-up, on `q` queues that each allow
/// the code `name`; returns the conversation IDs.
fn seed_wrapups(org: &Org, m: usize, q: usize, name: &str) -> Vec<String> {
    let code = org.create_code(name);
    let queues: Vec<String> = (0..q).map(|_| new_queue_id()).collect();
    for queue in &queues {
        org.assign_codes(queue, &[code.as_str()]);
    }
    (0..m)
        .map(|i| {
            org.seed("call", &queues[i % q], "disconnected")
                .conversation_id
        })
        .collect()
}

/// The plan and the apply of `M` wrap-ups by name over `Q` queues, measured apart.
fn wrapups_plan_then_apply(org: &Org, read_cache: bool, name: &str) -> (Calls, Calls) {
    let ids = seed_wrapups(org, M as usize, Q as usize, name);
    let workdir = org.workdir().env(
        "GENESYSCLOUD_READ_CACHE",
        if read_cache { "true" } else { "false" },
    );
    workdir.config(&wrapups_config(&ids, name));
    let planned = measured(org, || {
        workdir
            .run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
            .assert_success();
    });
    let applied = measured(org, || {
        workdir
            .run(&["apply", "-input=false", "-no-color", "tfplan"])
            .assert_success();
    });
    (planned, applied)
}

const M: u64 = 6;
const Q: u64 = 2;

#[test]
fn wrapups_by_name_resolve_conversations_in_bulk_and_each_queue_once_per_process() {
    let org = Org::start();
    let (planned, applied) = wrapups_plan_then_apply(&org, true, "Economy resolved");

    // The plan process resolves each wrap-up from the conversations' analytics views, read
    // together (up to 100 a request; how many plans share one depends on timing, so only the
    // bounds are exact), and each queue's codes once. No conversation is read on its own.
    let routes = &planned.routes;
    let multi = planned.route(MULTI_GET);
    assert!((1..=M).contains(&multi), "{routes}");
    assert_eq!(planned.route(CONVERSATION), 0, "{routes}");
    assert_eq!(planned.route(QUEUE_CODES), Q, "{routes}");
    assert_eq!(planned.total, 1 + multi + Q, "{routes}");

    // The apply process: Terraform 1.15 plans every change again before applying it and,
    // until Terraform 1.16's `store_planned_private`, drops the first plan's private state
    // (hashicorp/terraform#37986), so that second plan resolves again, and it must: the first
    // plan showed the IDs it resolved, and the second must show the same. It does so in bulk
    // too; the write then reads nothing but its one read-back.
    let routes = &applied.routes;
    let multi = applied.route(MULTI_GET);
    assert!((1..=M).contains(&multi), "{routes}");
    assert_eq!(applied.route(LOGIN), 1, "{routes}");
    assert_eq!(applied.route(CONVERSATION), 0, "{routes}");
    assert_eq!(applied.route(QUEUE_CODES), Q, "{routes}");
    assert_eq!(applied.route(WRITE), M, "{routes}");
    assert_eq!(applied.route(READ_BACK), M, "{routes}");
    assert_eq!(applied.total, 1 + multi + Q + 2 * M, "{routes}");
}

#[test]
fn wrapups_by_name_without_the_read_cache_read_each_conversation_once_per_process() {
    let org = Org::start();
    let (planned, applied) = wrapups_plan_then_apply(&org, false, "Economy exact");

    // `read_cache = false`: no bulk read; each conversation is read exactly, once per
    // process, and each queue's codes once.
    let routes = &planned.routes;
    assert_eq!(planned.route(MULTI_GET), 0, "{routes}");
    assert_eq!(planned.route(CONVERSATION), M, "{routes}");
    assert_eq!(planned.route(QUEUE_CODES), Q, "{routes}");
    assert_eq!(planned.total, 1 + M + Q, "{routes}");
    let routes = &applied.routes;
    assert_eq!(applied.route(LOGIN), 1, "{routes}");
    assert_eq!(applied.route(CONVERSATION), M, "{routes}");
    assert_eq!(applied.route(QUEUE_CODES), Q, "{routes}");
    assert_eq!(applied.route(WRITE), M, "{routes}");
    assert_eq!(applied.route(READ_BACK), M, "{routes}");
    assert_eq!(applied.total, 1 + M + Q + 2 * M, "{routes}");
}

#[test]
fn wrapups_by_name_without_the_analytics_permission_read_each_conversation_exactly() {
    let org = Org::start();
    // An OAuth client that may read conversations but not analytics.
    org.faults(json!({ "rules": [{
        "method": "GET",
        "path": "/api/v2/analytics/conversations/details",
        "status": 403,
        "count": 100
    }]}));
    let (planned, applied) = wrapups_plan_then_apply(&org, true, "Economy no analytics");

    // One refused multi-get per process turns bulk reads off; every conversation is then
    // read exactly, and the wrap-ups apply as without the read cache.
    for (calls, writes) in [(&planned, 0), (&applied, M)] {
        let routes = &calls.routes;
        assert_eq!(calls.route(MULTI_GET), 1, "{routes}");
        assert_eq!(calls.route(CONVERSATION), M, "{routes}");
        assert_eq!(calls.route(QUEUE_CODES), Q, "{routes}");
        assert_eq!(calls.route(WRITE), writes, "{routes}");
        assert_eq!(calls.total, 1 + 1 + M + Q + 2 * writes, "{routes}");
    }
}

#[test]
fn refresh_reads_each_wrapup_once_and_the_conversation_only_when_it_is_gone() {
    const M: u64 = 6;
    let org = Org::start();
    let ids = seed_wrapups(&org, M as usize, 2, "Economy refreshed");
    let workdir = org.workdir().env("GENESYSCLOUD_READ_CACHE", "false");
    workdir.config(&wrapups_config(&ids, "Economy refreshed"));
    workdir.apply();

    // The floor: a login and one wrap-up read per wrap-up; no conversation read.
    let planned = measured(&org, || workdir.plan_is_empty());
    assert_eq!(planned.route(LOGIN), 1, "{}", planned.routes);
    assert_eq!(planned.route(READ_BACK), M, "{}", planned.routes);
    assert_eq!(planned.route(CONVERSATION), 0, "{}", planned.routes);
    assert_eq!(planned.total, 1 + M, "{}", planned.all);

    // Gone: the wrap-up read answers 404, and only then is the conversation read (404 too).
    let (status, _) = org.call(reqwest::Method::POST, "/__emulator/reset", None);
    assert_eq!(status, 204);
    let refreshed = measured(&org, || {
        workdir
            .run(&["plan", "-refresh-only", "-input=false", "-no-color"])
            .assert_success();
    });
    assert_eq!(refreshed.route(READ_BACK), M, "{}", refreshed.routes);
    assert_eq!(refreshed.route(CONVERSATION), M, "{}", refreshed.routes);
    assert_eq!(refreshed.total, 1 + 2 * M, "{}", refreshed.all);
}

#[test]
fn concurrent_refreshes_share_multi_conversation_reads() {
    const M: u64 = 6;
    let org = Org::start();
    let ids = seed_wrapups(&org, M as usize, 2, "Economy coalesced");
    let workdir = org.workdir();
    workdir.config(&wrapups_config(&ids, "Economy coalesced"));
    workdir.apply();

    // Terraform refreshes 10 instances at a time; the provider gathers the ones that arrive
    // together into one analytics read. How many share a read depends on timing, so only the
    // bounds are exact: no wrap-up is read on its own (analytics shows what state holds).
    let planned = measured(&org, || workdir.plan_is_empty());
    let multi = planned.route(MULTI_GET);
    assert!((1..=M).contains(&multi), "{}", planned.routes);
    assert_eq!(planned.route(READ_BACK), 0, "{}", planned.routes);
    assert_eq!(planned.route(LOGIN), 1, "{}", planned.routes);
    assert_eq!(planned.total, 1 + multi, "{}", planned.all);
}

#[test]
fn a_wrapup_update_applies_with_one_write_and_one_read_back_each() {
    const M: u64 = 6;
    let org = Org::start();
    let ids = seed_wrapups(&org, M as usize, 2, "Economy updated");
    let workdir = org.workdir();
    workdir.config(&wrapups_config(&ids, "Economy updated"));
    workdir.apply();

    // New notes for every wrap-up: plan needs nothing but the refreshed state, and carries
    // the target, the code and the wrap-up held to apply in private state.
    workdir.config(&wrapups_config(&ids, "Economy updated").replace("\"economy\"", "\"revised\""));
    workdir
        .run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
        .assert_success();
    let applied = measured(&org, || {
        workdir
            .run(&["apply", "-input=false", "-no-color", "tfplan"])
            .assert_success();
    });
    let routes = &applied.routes;
    assert_eq!(applied.route(CONVERSATION), 0, "{routes}");
    assert_eq!(applied.route(QUEUE_CODES), 0, "{routes}");
    assert_eq!(applied.route(WRITE), M, "{routes}");
    assert_eq!(applied.route(READ_BACK), M, "{routes}");
    assert_eq!(applied.total, 1 + 2 * M, "{routes}");
    for id in &ids {
        let (_, conversation) = org.call(
            reqwest::Method::GET,
            &format!("/api/v2/conversations/{id}"),
            None,
        );
        let agent = conversation["participants"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["purpose"] == "agent")
            .cloned()
            .unwrap_or_default();
        assert_eq!(agent["wrapup"]["notes"], json!("revised"), "{conversation}");
    }
}

#[test]
fn both_types_in_one_configuration_log_in_once_per_process() {
    let org = Org::start();
    let ids = seed_wrapups(&org, 1, 1, "Economy existing");
    let workdir = org.workdir();
    workdir.config(&format!(
        "{}\n{}",
        codes_config(1),
        wrapups_config(&ids, "Economy existing")
    ));
    let applied = measured(&org, || {
        workdir.apply();
    });
    assert_eq!(
        applied.route(LOGIN),
        2,
        "one token shared by both types in each process: {}",
        applied.routes
    );
}

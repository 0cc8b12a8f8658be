//! Pacing through the real Terraform CLI: a cache-off refresh bigger than one token's budget
//! under the emulator's per-token `--rate-limit`. With the budget set to the limit, the pool
//! grows instead of meeting 429s; left unset, the budget becomes the org's own (higher) limit,
//! read once, and the job stays on one token. Counted with the emulator's request counter.

use serde_json::Value;

use crate::wrapupcode_common::{GET_ROUTE, Org, calls_between};

const LOGIN_ROUTE: &str = "POST /oauth/token";
const ORG_LIMITS_ROUTE: &str = "GET /api/v2/organizations/limits/namespaces/{namespaceName}";

fn config(codes: usize, read_cache: bool) -> String {
    format!(
        "provider \"genesyscloud\" {{\n  read_cache = {read_cache}\n}}\n\nresource \"genesyscloud_routing_wrapupcode\" \"paced\" {{\n  count = {codes}\n  name  = \"Paced ${{count.index}}\"\n}}\n"
    )
}

fn too_many(before: &Value, after: &Value) -> u64 {
    let count = |counts: &Value| counts["statuses"]["429"].as_u64().unwrap_or(0);
    count(after) - count(before)
}

#[test]
fn a_cache_off_refresh_beyond_one_budget_grows_the_pool_and_meets_no_429() {
    const CODES: usize = 100;
    const LIMIT: u32 = 30;
    let org = Org::start_with(Some(LIMIT));
    let workdir = org
        .workdir()
        .env("GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE", &LIMIT.to_string());
    workdir.config(&config(CODES, true));
    let start = org.requests();
    workdir.apply();

    workdir.config(&config(CODES, false));
    let before = org.requests();
    workdir.plan_is_empty();
    let after = org.requests();
    assert_eq!(
        calls_between(&before, &after, GET_ROUTE),
        CODES as u64,
        "{after}"
    );
    // 100 reads at 30 per token: 30 + 30 + 30 + 10, one login per token.
    assert_eq!(calls_between(&before, &after, LOGIN_ROUTE), 4, "{after}");
    assert_eq!(
        after["total"].as_u64().unwrap_or(0) - before["total"].as_u64().unwrap_or(0),
        104
    );
    assert_eq!(
        too_many(&start, &after),
        0,
        "apply and refresh paced under the limit: {after}"
    );
    assert_eq!(
        calls_between(&start, &after, ORG_LIMITS_ROUTE),
        0,
        "a set budget reads no limit"
    );
}

#[test]
fn an_unset_budget_becomes_the_orgs_higher_limit_and_the_refresh_stays_on_one_token() {
    const CODES: usize = 300;
    let org = Org::start_with(Some(600));
    let workdir = org.workdir();
    workdir.config(&config(CODES, true));
    workdir.apply();

    workdir.config(&config(CODES, false));
    let before = org.requests();
    workdir.plan_is_empty();
    let after = org.requests();
    assert_eq!(
        calls_between(&before, &after, GET_ROUTE),
        CODES as u64,
        "{after}"
    );
    assert_eq!(
        calls_between(&before, &after, ORG_LIMITS_ROUTE),
        1,
        "read once, when the token neared 300: {after}"
    );
    assert_eq!(calls_between(&before, &after, LOGIN_ROUTE), 1, "{after}");
    assert_eq!(too_many(&before, &after), 0, "{after}");
}

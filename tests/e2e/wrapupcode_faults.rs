//! Fault run: 50 codes created with `-parallelism=10` while the emulator answers 429 with
//! Retry-After, 503s, and drops connections after performing the create. The apply must
//! succeed with exactly 50 codes on the platform, all of them in state, and a clean plan.

use crate::wrapupcode_common;

use serde_json::json;
use wrapupcode_common::{Org, state_codes};

const CODES: usize = 50;

#[test]
fn fifty_creates_under_429s_503s_and_dropped_connections_leave_exactly_fifty_codes() {
    let org = Org::start();
    // A POST answered 503 may have landed, so the provider looks before sending it again, up
    // to 5 times per code: 4 such answers in all keep this run deterministic whichever code
    // draws them. Dropped connections happen after the code is stored and are adopted.
    org.faults(json!({
        "rules": [
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 429,
              "retry_after": 1, "count": 8 },
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 503,
              "count": 4 },
            { "method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 503,
              "count": 4 },
            { "method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 429,
              "retry_after": 1, "count": 4 }
        ],
        "drop_connections": [
            { "method": "POST", "path": "/api/v2/routing/wrapupcodes", "count": 8 }
        ]
    }));
    let workdir = org.workdir();
    workdir.config(&format!(
        "resource \"genesyscloud_routing_wrapupcode\" \"many\" {{\n  count       = {CODES}\n  name        = \"Faulty ${{count.index}}\"\n  description = \"code ${{count.index}}\"\n}}\n"
    ));
    let output = workdir.run(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=10",
    ]);
    output.assert_success();

    let platform = org.codes();
    assert_eq!(platform.len(), CODES, "exactly one code per resource");
    let state = workdir.show_state_json();
    let mut state_ids: Vec<String> = state_codes(&state)
        .into_iter()
        .map(|(_, values)| values["id"].as_str().unwrap().to_owned())
        .collect();
    let mut platform_ids: Vec<String> = platform
        .iter()
        .map(|code| code["id"].as_str().unwrap().to_owned())
        .collect();
    state_ids.sort();
    platform_ids.sort();
    assert_eq!(state_ids, platform_ids, "every created code is in state");

    // Every POST is accounted for: one per code, plus the client's retry of each 429 and the
    // provider's re-send after each 503. A dropped answer is adopted, never sent again.
    let counts = org.requests();
    assert_eq!(
        counts["routes"]["POST /api/v2/routing/wrapupcodes"],
        CODES as u64 + 8 + 4,
        "{counts}"
    );
    org.faults(json!({}));
    workdir.plan_is_empty();
}

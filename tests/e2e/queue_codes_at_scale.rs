//! A queue given more codes than one request may carry: the platform takes at most 100 per
//! `POST …/queues/{queueId}/wrapupcodes` (the emulator refuses more, whole), so the provider
//! sends chunks; a failure between chunks leaves state equal to what the queue holds, and the
//! error blames the request, not a code.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::backfill::create_queue;
use crate::conversation_wrapup_common::{Org, resource_values};

const CODES: usize = 250;
const ADD_ROUTE: &str = "POST /api/v2/routing/queues/{queueId}/wrapupcodes";
const TYPE: &str = "genesyscloud_routing_queue_wrapupcodes";

fn config(queue_id: &str, codes: &[String]) -> String {
    let list: Vec<String> = codes.iter().map(|c| format!("    \"{c}\",\n")).collect();
    format!(
        "resource \"{TYPE}\" \"big\" {{\n  queue_id        = \"{queue_id}\"\n  wrapup_code_ids = [\n{}  ]\n}}\n",
        list.concat()
    )
}

fn queue_codes(org: &Org, queue_id: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for page in 1.. {
        let (status, listing) = org.call(
            Method::GET,
            &format!(
                "/api/v2/routing/queues/{queue_id}/wrapupcodes?pageSize=100&pageNumber={page}"
            ),
            None,
        );
        assert_eq!(status, 200, "{listing}");
        let entities = listing["entities"].as_array().cloned().unwrap_or_default();
        if entities.is_empty() {
            break;
        }
        all.extend(
            entities
                .iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned)),
        );
    }
    all
}

fn adds(org: &Org) -> u64 {
    let (status, counts) = org.call(Method::GET, "/__emulator/requests", None);
    assert_eq!(status, 200, "{counts}");
    counts["routes"][ADD_ROUTE].as_u64().unwrap_or(0)
}

fn state_codes(state: &Value) -> BTreeSet<String> {
    resource_values(state, TYPE)["wrapup_code_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect()
}

fn setup(org: &Org) -> (String, Vec<String>) {
    let codes: Vec<String> = (0..CODES)
        .map(|i| org.create_code(&format!("Scale {i:03}")))
        .collect();
    (create_queue(org, "Big queue", &[]), codes)
}

#[test]
fn a_queue_given_250_codes_at_once_applies_in_chunks_plans_empty_and_destroys() {
    let org = Org::start();
    let (queue, codes) = setup(&org);
    let workdir = org.workdir();
    workdir.config(&config(&queue, &codes));
    workdir.apply();
    assert_eq!(
        queue_codes(&org, &queue),
        codes.iter().cloned().collect::<BTreeSet<_>>()
    );
    assert_eq!(adds(&org), 3, "100 + 100 + 50");
    workdir.plan_is_empty();
    workdir.destroy();
    assert!(queue_codes(&org, &queue).is_empty());
}

#[test]
fn a_failure_between_chunks_keeps_what_landed_in_state_and_blames_no_code() {
    let org = Org::start();
    let (queue, codes) = setup(&org);
    // The first chunk lands; the second is refused without naming a code.
    org.faults(json!({"rules": [{
        "method": "POST",
        "path": "/api/v2/routing/queues/{queueId}/wrapupcodes",
        "status": 400,
        "skip": 1,
        "count": 1,
    }]}));
    let workdir = org.workdir();
    workdir.config(&config(&queue, &codes));
    let error = workdir.expect_error(
        &["apply"],
        "The platform refused to add wrap-up codes to this queue",
        Some("wrapup_code_ids"),
    );
    assert!(
        !format!("{error:?}").contains("refused a wrap-up code"),
        "{error:?}"
    );
    let landed = queue_codes(&org, &queue);
    assert_eq!(landed.len(), 100, "the first chunk");
    assert_eq!(
        state_codes(&workdir.show_state_json()),
        landed,
        "state holds what the platform holds"
    );
    // Without the fault the next apply completes the set.
    org.faults(json!({}));
    workdir.apply();
    assert_eq!(queue_codes(&org, &queue).len(), CODES);
    workdir.plan_is_empty();
    workdir.destroy();
    assert!(queue_codes(&org, &queue).is_empty());
}

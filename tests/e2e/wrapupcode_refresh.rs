//! Bulk refresh: a plan over many managed codes reads them from one paged listing instead of
//! one GET each, still notices a code deleted outside, and `read_cache = false` turns it off.

use crate::wrapupcode_common;

use wrapupcode_common::{GET_ROUTE, LIST_ROUTE, Org, calls_between, state_codes};

const CODES: usize = 120;

fn config(read_cache: Option<bool>) -> String {
    let provider = match read_cache {
        Some(flag) => format!("provider \"genesyscloud\" {{\n  read_cache = {flag}\n}}\n"),
        None => String::new(),
    };
    format!(
        "{provider}resource \"genesyscloud_routing_wrapupcode\" \"bulk\" {{\n  count = {CODES}\n  name  = \"Bulk ${{count.index}}\"\n}}\n"
    )
}

#[test]
fn refreshing_many_codes_costs_one_listing_and_read_cache_false_reads_each() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&config(None));
    workdir.apply();

    let before = org.requests();
    workdir.plan_is_empty();
    let after = org.requests();
    assert_eq!(calls_between(&before, &after, LIST_ROUTE), 1, "{after}");
    assert_eq!(calls_between(&before, &after, GET_ROUTE), 0, "{after}");

    // A code deleted outside is missing from the listing: one GET confirms it is gone.
    let state = workdir.show_state_json();
    let (_, victim) = &state_codes(&state)[7];
    org.delete_code(victim["id"].as_str().unwrap());
    let before = org.requests();
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    let after = org.requests();
    assert_eq!(calls_between(&before, &after, LIST_ROUTE), 1, "{after}");
    assert_eq!(calls_between(&before, &after, GET_ROUTE), 1, "{after}");
    workdir.apply();
    workdir.plan_is_empty();

    // With the cache off, every code is read by ID.
    workdir.config(&config(Some(false)));
    let before = org.requests();
    workdir.plan_is_empty();
    let after = org.requests();
    assert_eq!(calls_between(&before, &after, LIST_ROUTE), 0, "{after}");
    assert_eq!(
        calls_between(&before, &after, GET_ROUTE),
        CODES as u64,
        "{after}"
    );
    workdir.destroy();
    assert!(org.codes().is_empty());
}

fn lag_config(read_cache: bool) -> String {
    format!(
        "provider \"genesyscloud\" {{\n  read_cache = {read_cache}\n}}\n\nresource \"genesyscloud_routing_wrapupcode\" \"edited\" {{\n  name        = \"Lag edited\"\n  description = \"as configured\"\n}}\n\nresource \"genesyscloud_routing_wrapupcode\" \"deleted\" {{\n  name = \"Lag deleted\"\n}}\n"
    )
}

/// Listings that lag writes (cache on or off): no false drift right after an apply, and an
/// outside edit and delete plan exactly one update and one re-create (the lagging listing
/// still shows the deleted code's name; the name check confirms the holder by ID).
#[test]
fn lagging_listings_with_and_without_the_cache_plan_exactly_the_drift_there_is() {
    use wrapupcode_common::planned_actions;
    for read_cache in [true, false] {
        let org = Org::start();
        org.faults(serde_json::json!({ "read_after_write_lag_ms": 60_000 }));
        let workdir = org.workdir();
        workdir.config(&lag_config(read_cache));
        workdir.apply();
        workdir.plan_is_empty();

        let state = workdir.show_state_json();
        let id = |address: &str| {
            state_codes(&state)
                .into_iter()
                .find(|(a, _)| a == address)
                .map(|(_, v)| v["id"].as_str().unwrap().to_owned())
                .unwrap()
        };
        let edited = id("genesyscloud_routing_wrapupcode.edited");
        org.edit_code(&edited, "Lag edited", Some("changed outside"));
        org.delete_code(&id("genesyscloud_routing_wrapupcode.deleted"));
        let plan = workdir.plan_json();
        assert_eq!(
            planned_actions(&plan, "genesyscloud_routing_wrapupcode.edited"),
            ["update"],
            "read_cache = {read_cache}: {plan}"
        );
        assert_eq!(
            planned_actions(&plan, "genesyscloud_routing_wrapupcode.deleted"),
            ["create"],
            "read_cache = {read_cache}: {plan}"
        );
        workdir.apply();
        workdir.plan_is_empty();
        workdir.destroy();
    }
}

/// The documented trade-off of `read_cache` (docs/index.md, the resource page): an edit made
/// outside moments before, while the listing still lags it, is not in a cache-on plan (the
/// listing shows the value state holds); `read_cache = false` reads the code by ID and shows it;
/// once the listing catches up, the cache-on plan shows it too.
#[test]
fn an_edit_inside_the_listings_lag_shows_only_with_the_cache_off_until_the_listing_catches_up() {
    let org = Org::start();
    let workdir = org.workdir();
    workdir.config(&lag_config(true));
    workdir.apply();
    let state = workdir.show_state_json();
    let (_, edited) = state_codes(&state)
        .into_iter()
        .find(|(address, _)| address == "genesyscloud_routing_wrapupcode.edited")
        .expect("the edited code is in state");
    // The listing lags writes made from now on by a minute; GET by ID stays exact.
    org.faults(serde_json::json!({ "read_after_write_lag_ms": 60_000 }));
    org.edit_code(
        edited["id"].as_str().expect("an id"),
        "Lag edited",
        Some("changed outside"),
    );

    assert_eq!(
        workdir.plan_detailed_exitcode(),
        0,
        "read_cache = true: the lagging listing still shows the value state holds"
    );
    workdir.config(&lag_config(false));
    assert_eq!(
        workdir.plan_detailed_exitcode(),
        2,
        "read_cache = false: the read by ID sees the edit"
    );
    // The listing catches up: the cache-on plan shows the edit too.
    org.faults(serde_json::json!({}));
    workdir.config(&lag_config(true));
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    workdir.apply();
    workdir.plan_is_empty();
    workdir.destroy();
}

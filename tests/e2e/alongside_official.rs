//! `docs/guides/alongside-the-official-provider.md`: the example in
//! `examples/alongside-the-official-provider/` (this provider under a second local name next to
//! the official one, chosen per resource with the `provider` meta-argument) validates, and its
//! `removed` + `import` blocks move a wrap-up code out of state the official provider wrote into
//! this provider's, with no create and no delete on the platform, and an empty plan after.
//!
//! The official provider cannot be installed here, so the test build stands in for it
//! ([`cli_config_with_official_stand_in`]): it has the same wrap-up code type, schema and
//! state format, which is all the move touches.

use std::path::Path;

use serde_json::json;

use crate::support::terraform::cli_config_with_official_stand_in;
use crate::support::{OFFICIAL_SOURCE, PROVIDER_SOURCE, Workdir};
use crate::wrapupcode_common::{Org, calls_between, official_provider_state};

/// The ID the example's `import` block holds; the test puts the real one in its place.
const EXAMPLE_ID: &str = "3f1c9a52-7d4e-4b8a-9c61-2e5f0d8a7b13";

fn example(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/alongside-the-official-provider")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A work dir holding the example's `main.tf`, wired to both providers.
fn side_by_side(org: &Org) -> Workdir {
    let workdir = org.workdir();
    // The example brings its own `required_providers`.
    std::fs::remove_file(workdir.path().join("versions.tf")).expect("remove versions.tf");
    workdir.file(".terraformrc", &cli_config_with_official_stand_in());
    workdir.config(&example("main.tf"));
    workdir
}

#[test]
fn codes_move_from_the_official_providers_state_without_being_recreated() {
    let org = Org::start();
    let home = org.home_division_id();
    let sale = org.create_code("Sale completed", Some("Customer bought something"));
    let no_sale = org.create_code("No sale", None);

    let workdir = side_by_side(&org);
    workdir.file(
        "terraform.tfstate",
        &official_provider_state(
            &home,
            &[(
                "sale_old",
                &sale,
                "Sale completed",
                json!("Customer bought something"),
            )],
        )
        .to_string(),
    );
    let moves = example("move.tf");
    assert!(moves.contains(EXAMPLE_ID), "the example imports by ID");
    workdir.file("move.tf", &moves.replace(EXAMPLE_ID, &sale));
    workdir.run(&["validate", "-no-color"]).assert_success();

    let before = org.requests();
    let output = workdir.apply();
    let after = org.requests();
    assert!(
        output
            .stdout
            .contains("1 imported, 0 added, 0 changed, 0 destroyed"),
        "{output}"
    );
    for route in [
        "POST /api/v2/routing/wrapupcodes",
        "DELETE /api/v2/routing/wrapupcodes/{codeId}",
        "PUT /api/v2/routing/wrapupcodes/{codeId}",
    ] {
        assert_eq!(calls_between(&before, &after, route), 0, "{route}");
    }

    let state = workdir.show_state_json();
    let resources = state["values"]["root_module"]["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let managed: Vec<_> = resources
        .iter()
        .filter(|r| r["mode"] == "managed")
        .collect();
    assert_eq!(managed.len(), 1, "only the moved code is managed: {state}");
    assert_eq!(
        managed[0]["address"],
        "genesyscloud_routing_wrapupcode.sale"
    );
    assert_eq!(managed[0]["provider_name"], PROVIDER_SOURCE, "{state}");
    assert_eq!(managed[0]["values"]["id"], sale.as_str());
    assert!(
        !state.to_string().contains(OFFICIAL_SOURCE),
        "nothing left under the official provider: {state}"
    );
    assert_eq!(
        state["values"]["outputs"]["no_sale_id"]["value"],
        no_sale.as_str(),
        "the data source went through this provider too"
    );
    assert_eq!(org.codes().len(), 2, "nothing created or deleted");

    // The move is done: without move.tf the configuration plans clean.
    std::fs::remove_file(workdir.path().join("move.tf")).expect("remove move.tf");
    workdir.plan_is_empty();
}

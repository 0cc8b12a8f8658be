//! Data source `genesyscloud_routing_wrapupcode`: lookup by exact name, in the same apply that
//! creates the code even while the platform's search lags, and a clear error on no match.

use crate::wrapupcode_common;

use serde_json::json;
use wrapupcode_common::Org;

#[test]
fn data_source_finds_a_code_created_in_the_same_apply_despite_search_lag() {
    let org = Org::start();
    // Lists keep showing pre-write data for 3 s after every write.
    org.faults(json!({ "read_after_write_lag_ms": 3000 }));
    let workdir = org.workdir();
    workdir.config(
        r#"
resource "genesyscloud_routing_wrapupcode" "fresh" {
  name        = "Fresh code"
  description = "looked up right away"
}

data "genesyscloud_routing_wrapupcode" "fresh" {
  name = genesyscloud_routing_wrapupcode.fresh.name
}

output "found" {
  value = data.genesyscloud_routing_wrapupcode.fresh
}

output "created_id" {
  value = genesyscloud_routing_wrapupcode.fresh.id
}
"#,
    );
    workdir.apply();
    let output = workdir.run(&["output", "-json"]);
    output.assert_success();
    let outputs: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON outputs");
    let found = &outputs["found"]["value"];
    assert_eq!(found["id"], outputs["created_id"]["value"]);
    assert_eq!(found["description"], "looked up right away");
    assert_eq!(found["division_id"], org.home_division_id().as_str());
}

#[test]
fn data_source_with_an_unknown_name_fails_clearly() {
    let org = Org::start();
    org.create_code("Sale completed", None);
    let workdir = org.workdir().short_lag_waits();
    workdir.config("data \"genesyscloud_routing_wrapupcode\" \"d\" {\n  name = \"sale\"\n}\n");
    let diagnostic = workdir.expect_error(&["plan"], "Wrap-up code not found", Some("name"));
    assert!(
        format!("{diagnostic:?}").contains("\\\"sale\\\""),
        "{diagnostic:?}"
    );
}

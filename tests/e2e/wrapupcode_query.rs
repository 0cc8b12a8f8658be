//! List resource `genesyscloud_routing_wrapupcode`: `terraform query` with filters, and
//! `-generate-config-out` writing configuration that imports with an empty plan afterwards.

use crate::wrapupcode_common;

use wrapupcode_common::{Org, apply_imports_only, state_codes};

const QUERY: &str = r#"
list "genesyscloud_routing_wrapupcode" "sales" {
  provider = genesyscloud
  config {
    name_prefix = "Sale"
  }
}
"#;

#[test]
fn query_lists_codes_by_prefix_and_generated_config_imports_with_an_empty_plan() {
    let org = Org::start();
    let sale_b = org.create_code("Sale B", None);
    let sale_a = org.create_code("Sale A", Some("first \"quoted\" sale"));
    org.create_code("Refund", None);

    let workdir = org.workdir();
    workdir.config("provider \"genesyscloud\" {}\n");
    workdir.file("codes.tfquery.hcl", QUERY);
    let messages = workdir.query();
    let found: Vec<(String, String)> = messages
        .iter()
        .filter(|m| m["type"] == "list_resource_found")
        .map(|m| {
            let result = &m["list_resource_found"];
            (
                result["display_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                result["identity"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("Sale A".to_owned(), sale_a.clone()),
            ("Sale B".to_owned(), sale_b.clone())
        ],
        "{messages:#?}"
    );

    let output = workdir.run(&["query", "-no-color", "-generate-config-out=generated.tf"]);
    output.assert_success();
    let generated =
        std::fs::read_to_string(workdir.path().join("generated.tf")).expect("generated.tf");
    assert!(generated.contains("import {"), "{generated}");
    assert!(
        generated.contains(&sale_a) && generated.contains(&sale_b),
        "{generated}"
    );
    assert!(!generated.contains("Refund"), "{generated}");
    let resource_lines: Vec<&str> = generated
        .split("resource \"")
        .skip(1)
        .flat_map(|block| block.split("\n}").next().unwrap_or_default().lines())
        .collect();
    assert!(
        resource_lines
            .iter()
            .any(|l| l.trim_start().starts_with("name ")),
        "{generated}"
    );
    assert!(
        !resource_lines
            .iter()
            .any(|l| l.trim_start().starts_with("id ")),
        "computed-only id must not be generated: {generated}"
    );

    apply_imports_only(&workdir, 2);
    workdir.plan_is_empty();
    assert_eq!(state_codes(&workdir.show_state_json()).len(), 2);
    assert_eq!(org.codes().len(), 3);
}

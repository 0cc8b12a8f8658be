//! Checks of the end-to-end harness itself: against Terraform's own diagnostics (no provider
//! process needed) the attribute check must accept the right line and refuse a wrong one; and
//! a run past its time limit must end the provider Terraform started, not only Terraform.

use std::time::{Duration, Instant};

use crate::support;
use crate::wrapupcode_common::Org;

use support::process::is_alive;
use support::{Workdir, diagnostics};

const BAD_VARIABLE: &str = r#"variable "region" {
  default = "eu-west-1"
  type    = nosuchtype
}
"#;

#[test]
fn terraform_cli_is_version_1_15() {
    let output = Workdir::new().run(&["version", "-json"]);
    output.assert_success();
    let version: serde_json::Value = serde_json::from_str(&output.stdout).expect("version JSON");
    let version = version["terraform_version"].as_str().unwrap_or_default();
    assert!(version.starts_with("1.15."), "got Terraform {version}");
}

#[test]
fn expect_error_accepts_a_diagnostic_on_the_named_attribute() {
    let workdir = Workdir::new();
    workdir.config(BAD_VARIABLE);
    let diagnostic =
        workdir.expect_error(&["validate"], "Invalid type specification", Some("type"));
    assert_eq!(diagnostic.location, Some(("main.tf".to_string(), 3)));
}

#[test]
#[should_panic(expected = "not at `default`")]
fn expect_error_refuses_a_diagnostic_on_another_attribute() {
    let workdir = Workdir::new();
    workdir.config(BAD_VARIABLE);
    workdir.expect_error(&["validate"], "Invalid type specification", Some("default"));
}

#[test]
#[should_panic(expected = "no error diagnostic mentions")]
fn expect_error_refuses_a_diagnostic_with_other_text() {
    let workdir = Workdir::new();
    workdir.config(BAD_VARIABLE);
    workdir.expect_error(&["validate"], "some other problem", None);
}

#[test]
fn text_diagnostics_carry_the_same_location_as_json() {
    let workdir = Workdir::new();
    workdir.config(BAD_VARIABLE);
    let output = workdir.run(&["validate", "-no-color"]);
    assert!(!output.success());
    let found = diagnostics::parse_text(&output.stderr);
    let diagnostic = found
        .iter()
        .find(|d| d.mentions("Invalid type specification"))
        .unwrap_or_else(|| panic!("no diagnostic parsed from {output}"));
    assert_eq!(diagnostic.location, Some(("main.tf".to_string(), 3)));
    diagnostic
        .check_points_at(workdir.path(), "type")
        .unwrap_or_else(|why| panic!("{why}"));
    assert!(
        diagnostic
            .check_points_at(workdir.path(), "default")
            .is_err()
    );
}

#[test]
fn emulator_helper_serves_tokens_api_and_admin() {
    let emulator = support::Emulator::start();
    assert!(emulator.url().starts_with("http://127.0.0.1:"));
    let (status, _) = emulator.admin(reqwest::Method::POST, "reset", None);
    assert!((200..300).contains(&status), "reset answered {status}");
    let (status, body) = emulator.api(reqwest::Method::GET, "routing/wrapupcodes", None);
    assert_eq!(status, 200, "{body}");
    assert!(body["entities"].is_array(), "{body}");
    let (status, counts) = emulator.admin(reqwest::Method::GET, "requests", None);
    assert_eq!(status, 200);
    assert!(
        counts.to_string().contains("/api/v2/routing/wrapupcodes"),
        "{counts}"
    );
    let block = emulator.provider_block();
    assert!(block.contains(&format!("api_url            = \"{}\"", emulator.url())));
}

#[test]
fn a_run_past_its_time_limit_ends_the_provider_terraform_started_too() {
    let org = Org::start();
    // Every API call hangs for two minutes, so the plan is stuck inside the provider.
    org.faults(serde_json::json!({ "latency_ms": 120_000 }));
    let workdir = org.workdir();
    workdir.config("data \"genesyscloud_routing_wrapupcode\" \"any\" {\n  name = \"Hung\"\n}\n");
    let running = workdir.spawn(&["plan", "-input=false", "-no-color"]);
    let started = Instant::now();
    let providers = loop {
        let providers = running.provider_pids();
        let total = org.requests()["total"].as_u64().unwrap_or(0);
        if !providers.is_empty() && total > 0 {
            break providers;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the provider never called the platform"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let timed_out = running
        .wait_within(Duration::ZERO)
        .expect_err("the plan is stuck, so the run times out");
    for pid in &providers {
        assert!(timed_out.ended.contains(pid), "{timed_out}");
        assert!(!is_alive(*pid), "provider {pid} outlived the timed-out run");
    }
}

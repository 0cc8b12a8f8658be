//! The provider block through the real CLI: a provider-only config validates, plans and applies
//! with no credentials; invalid settings fail with a diagnostic on the offending attribute (or
//! naming the environment variable they came from).
//!
//! Terraform prunes a provider that no resource uses (it never validates or configures it), so
//! the checks of settings add one resource to the config.

use crate::support;

use support::{Emulator, Workdir};

/// A resource that makes Terraform validate and configure the provider.
const USES_PROVIDER: &str =
    "\nresource \"genesyscloud_routing_wrapupcode\" \"probe\" {\n  name = \"probe\"\n}\n";

fn workdir_with(provider_body: &str) -> Workdir {
    let workdir = Workdir::new();
    workdir.config(&format!(
        "provider \"genesyscloud\" {{\n{provider_body}}}\n{USES_PROVIDER}"
    ));
    workdir
}

#[test]
fn provider_only_config_validates_plans_and_applies_without_credentials() {
    let workdir = Workdir::new();
    workdir.config("provider \"genesyscloud\" {}\n");
    workdir.run(&["validate", "-no-color"]).assert_success();
    assert_eq!(workdir.plan_detailed_exitcode(), 0);
    workdir.apply();
    let state = workdir.show_state_json();
    assert!(
        state["values"]["root_module"]["resources"].is_null(),
        "no resources expected in {state:#}"
    );
    workdir.plan_is_empty();
}

#[test]
fn unknown_region_fails_validate_and_plan_on_aws_region() {
    let workdir = workdir_with("  aws_region = \"mars-1\"\n");
    for command in ["validate", "plan"] {
        let diagnostic = workdir.expect_error(&[command], "mars-1", Some("aws_region"));
        assert_eq!(diagnostic.summary, "Unknown Genesys Cloud region");
        assert!(diagnostic.detail.contains("us-east-1"), "{diagnostic:#?}");
    }
}

#[test]
fn plain_http_api_url_to_a_remote_host_fails_on_api_url() {
    let workdir = workdir_with("  api_url = \"http://example.com\"\n");
    let diagnostic = workdir.expect_error(&["validate"], "http://example.com", Some("api_url"));
    assert_eq!(diagnostic.summary, "Insecure base URL");
}

#[test]
fn malformed_login_url_fails_on_login_url() {
    let workdir = workdir_with("  aws_region = \"eu-west-1\"\n  login_url  = \"login.example\"\n");
    workdir.expect_error(&["plan"], "not an absolute URL", Some("login_url"));
}

#[test]
fn access_token_with_client_credentials_fails_on_access_token() {
    let workdir =
        workdir_with("  oauthclient_id = \"client\"\n  access_token   = \"token-value-1234\"\n");
    let diagnostic =
        workdir.expect_error(&["validate"], "cannot be combined", Some("access_token"));
    assert!(!diagnostic.detail.contains("token-value-1234"));
}

#[test]
fn empty_client_id_fails_on_oauthclient_id() {
    let workdir = workdir_with("  oauthclient_id = \"\"\n");
    workdir.expect_error(
        &["validate"],
        "Empty provider setting",
        Some("oauthclient_id"),
    );
}

#[test]
fn validate_needs_no_credentials() {
    let workdir = workdir_with("  aws_region = \"eu-west-1\"\n");
    workdir.run(&["validate", "-no-color"]).assert_success();
}

#[test]
fn plan_without_credentials_says_which_settings_are_missing() {
    let workdir = workdir_with("");
    workdir.expect_error(&["plan"], "GENESYSCLOUD_OAUTHCLIENT_ID", None);
}

#[test]
fn loopback_http_urls_reach_the_emulator() {
    let emulator = Emulator::start();
    let workdir = Workdir::new();
    workdir.config(&format!("{}{USES_PROVIDER}", emulator.provider_block()));
    workdir.run(&["validate", "-no-color"]).assert_success();
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    let (_, counts) = emulator.admin(reqwest::Method::GET, "requests", None);
    assert!(
        counts.to_string().contains("/oauth/token"),
        "the provider did not log in at login_url: {counts}"
    );
}

#[test]
fn env_vars_point_an_empty_provider_block_at_the_emulator() {
    let emulator = Emulator::start();
    let workdir = emulator.configure(workdir_with(""));
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
}

#[test]
fn values_unknown_at_validate_time_are_not_errors() {
    let workdir = Workdir::new();
    workdir.config(&format!(
        "variable \"region\" {{\n  type = string\n}}\n\nprovider \"genesyscloud\" {{\n  aws_region = var.region\n}}\n{USES_PROVIDER}"
    ));
    workdir.run(&["validate", "-no-color"]).assert_success();
}

#[test]
fn invalid_region_env_var_fails_plan_naming_the_variable() {
    let workdir = workdir_with("").env("GENESYSCLOUD_REGION", "mars-1");
    workdir.run(&["validate", "-no-color"]).assert_success();
    let diagnostic = workdir.expect_error(&["plan"], "GENESYSCLOUD_REGION", None);
    assert_eq!(diagnostic.summary, "Unknown Genesys Cloud region");
}

#[test]
fn insecure_api_url_env_var_fails_plan_naming_the_variable() {
    let workdir = workdir_with("").env("GENESYSCLOUD_API_URL", "http://api.example.com");
    workdir.expect_error(&["plan"], "GENESYSCLOUD_API_URL", None);
}

#[test]
fn a_wrong_client_secret_says_the_credentials_were_refused_without_showing_it() {
    let emulator = Emulator::start();
    let wrong_secret = "not-the-emulator-secret-5f1c";
    let workdir = emulator
        .configure(workdir_with(""))
        .env("GENESYSCLOUD_OAUTHCLIENT_SECRET", wrong_secret);
    let diagnostic = workdir.expect_error(&["plan"], "credentials were refused", None);
    assert!(diagnostic.mentions("oauthclient_secret"), "{diagnostic:?}");
    assert!(
        !diagnostic.mentions("role grants"),
        "a refused login is not a missing permission: {diagnostic:?}"
    );
    let output = workdir.run(&["plan", "-no-color"]);
    assert!(!output.combined().contains(wrong_secret), "{output}");
}

/// The total number of API and login requests the emulator has counted.
fn requests_total(emulator: &Emulator) -> u64 {
    let (_, counts) = emulator.admin(reqwest::Method::GET, "requests", None);
    counts["total"].as_u64().expect("the counter has a total")
}

#[test]
fn a_region_known_only_after_apply_fails_the_plan_naming_it_and_calls_no_org() {
    let emulator = Emulator::start();
    // The environment points at the emulator: a provider that fell back to it would call it.
    let workdir = emulator.configure(Workdir::new());
    workdir.config(&format!(
        "resource \"terraform_data\" \"region\" {{\n  input = \"us-east-1\"\n}}\n\nprovider \"genesyscloud\" {{\n  aws_region = terraform_data.region.output\n}}\n{USES_PROVIDER}"
    ));
    let diagnostic = workdir.expect_error(&["plan"], "`aws_region`", None);
    assert!(
        diagnostic.summary.contains("not known yet"),
        "{diagnostic:#?}"
    );
    assert!(diagnostic.mentions("-target"), "{diagnostic:#?}");
    assert_eq!(requests_total(&emulator), 0, "no org may be called");

    // The Terraform 1.15 release CLI cannot allow deferral; the provider defers where it can
    // (tests/integration protocol_server: unknown_provider_config_defers_…).
    let refused = workdir.run(&["plan", "-allow-deferral", "-no-color"]);
    if !refused.success() {
        assert!(
            refused.combined().contains("experimental"),
            "an -allow-deferral plan failed for another reason: {refused}"
        );
    }

    // Once what the provider block depends on exists, the plan and apply reach the org.
    workdir
        .run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-target=terraform_data.region",
        ])
        .assert_success();
    assert_eq!(requests_total(&emulator), 0);
    assert_eq!(workdir.plan_detailed_exitcode(), 2);
    workdir.apply();
    workdir.plan_is_empty();
}

#[test]
fn credentials_and_urls_known_only_after_apply_fail_refresh_naming_them() {
    let emulator = Emulator::start();
    let workdir = Workdir::new();
    let config = |url: &str| {
        format!(
            "resource \"terraform_data\" \"secret\" {{\n  input = \"{secret}\"\n}}\n\nresource \"terraform_data\" \"url\" {{\n  input = \"{url}\"\n}}\n\nprovider \"genesyscloud\" {{\n  api_url            = terraform_data.url.output\n  login_url          = \"{base}\"\n  oauthclient_id     = \"{id}\"\n  oauthclient_secret = terraform_data.secret.output\n}}\n{USES_PROVIDER}",
            secret = emulator.client_secret(),
            base = emulator.url(),
            id = emulator.client_id(),
        )
    };
    workdir.config(&config(emulator.url()));
    let diagnostic = workdir.expect_error(&["plan"], "`oauthclient_secret`", None);
    assert!(diagnostic.mentions("`api_url`"), "{diagnostic:#?}");
    assert_eq!(requests_total(&emulator), 0);
    workdir
        .run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-target=terraform_data.secret",
            "-target=terraform_data.url",
        ])
        .assert_success();
    workdir.apply();
    workdir.plan_is_empty();

    // The URL changes: its new value is unknown at plan, so the refresh of the code in state
    // (which needs the API) fails instead of asking whichever org the environment names.
    let before = requests_total(&emulator);
    workdir.config(&config(&format!("{}/", emulator.url())));
    let diagnostic = workdir.expect_error(&["plan"], "`api_url`", None);
    assert!(
        !diagnostic.mentions("`oauthclient_secret`"),
        "{diagnostic:#?}"
    );
    assert_eq!(requests_total(&emulator), before);
}

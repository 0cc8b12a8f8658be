//! Secrets never reach Terraform's output or logs, even at `TF_LOG=trace`, while the per-request
//! log lines (method, route template, status, duration, retries, correlation ID) do.
//!
//! Each test runs real Terraform commands against the emulator with a distinctive client secret
//! and collects everything they printed plus the `TF_LOG_PATH` file. The emulator issues opaque
//! tokens of 64 lowercase hex digits: the haystack must hold no such run at all (whatever token
//! was issued), nor the secret in any form it travels in; and the log must hold the request lines,
//! so the absence checks cannot pass on an empty log.

use crate::support;

use base64::Engine;
use genesys_emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::json;
use support::{Emulator, Workdir};

const CLIENT_ID: &str = "leak-check-client";

/// The emulator's token format: this many lowercase hex digits in a row.
const TOKEN_HEX_DIGITS: usize = 64;

/// Where the first run of at least [`TOKEN_HEX_DIGITS`] lowercase hex digits starts.
fn token_shaped(text: &str) -> Option<usize> {
    let mut run = 0;
    for (i, byte) in text.bytes().enumerate() {
        if byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte) {
            run += 1;
            if run == TOKEN_HEX_DIGITS {
                return Some(i + 1 - TOKEN_HEX_DIGITS);
            }
        } else {
            run = 0;
        }
    }
    None
}

/// A few lines around `at`, to show where a leak was found.
fn context(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[start..end].to_string()
}

/// Everything a run left behind: the commands' stdout and stderr and the log file.
struct Haystack {
    printed: String,
    log: String,
}

impl Haystack {
    #[track_caller]
    fn assert_absent(&self, what: &str, needle: &str) {
        assert!(!needle.is_empty(), "the {what} to look for is empty");
        for (place, text) in [("output", &self.printed), ("log", &self.log)] {
            if let Some(at) = text.find(needle) {
                panic!(
                    "the {what} appears in Terraform's {place}:\n{}",
                    context(text, at)
                );
            }
        }
    }

    #[track_caller]
    fn assert_no_token_shaped_string(&self) {
        for (place, text) in [("output", &self.printed), ("log", &self.log)] {
            if let Some(at) = token_shaped(text) {
                panic!(
                    "a string shaped like an access token ({TOKEN_HEX_DIGITS} hex digits) \
                     appears in Terraform's {place}:\n{}",
                    context(text, at)
                );
            }
        }
    }

    /// The provider's per-request log lines (the client logs one per completed request).
    fn request_lines(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|line| line.contains("genesys api response"))
            .collect()
    }
}

/// The `key=value` fields of a log line as Terraform renders the provider's hclog entries.
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

fn distinctive_secret() -> String {
    format!("LeakCheck-{}", uuid::Uuid::new_v4().simple())
}

fn emulator(secret: &str) -> Emulator {
    Emulator::start_with(EmulatorConfig {
        client_id: CLIENT_ID.into(),
        client_secret: secret.into(),
        ..EmulatorConfig::default()
    })
}

/// A Terraform work dir logging at trace level to a file inside it.
fn traced(workdir: Workdir) -> (Workdir, std::path::PathBuf) {
    let log = workdir.path().join("terraform-trace.log");
    let log_arg = log.to_string_lossy().into_owned();
    (workdir.tf_log("trace").env("TF_LOG_PATH", &log_arg), log)
}

fn run_all(workdir: &Workdir, log: &std::path::Path, steps: &[(&str, &[&str])]) -> Haystack {
    let mut printed = String::new();
    for (config, args) in steps {
        workdir.config(config);
        let output = workdir.run(args);
        assert!(output.success(), "a step failed: {output}");
        printed.push_str(&output.combined());
    }
    let log = std::fs::read_to_string(log)
        .unwrap_or_else(|e| panic!("TF_LOG_PATH file {} was not written: {e}", log.display()));
    Haystack { printed, log }
}

const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];
const PLAN: &[&str] = &["plan", "-input=false", "-no-color"];
const DESTROY: &[&str] = &["destroy", "-auto-approve", "-input=false", "-no-color"];

#[test]
fn trace_logs_of_a_client_credentials_run_hold_request_lines_but_no_secret_or_token() {
    let secret = distinctive_secret();
    let emu = emulator(&secret);

    // Something outside Terraform: a code allowed on a queue and a finished call to wrap up.
    let queue_id = uuid::Uuid::new_v4().to_string();
    let (status, code) = emu.api(
        Method::POST,
        "routing/wrapupcodes",
        Some(json!({ "name": "Leak check outcome" })),
    );
    assert_eq!(status, 200, "creating a code outside Terraform: {code}");
    let (status, body) = emu.admin(
        Method::PUT,
        &format!("queues/{queue_id}/wrapupcodes"),
        Some(json!([code["id"]])),
    );
    assert_eq!(status, 200, "assigning the code to the queue: {body}");
    let (status, seeded) = emu.admin(
        Method::POST,
        "conversations",
        Some(json!({
            "mediaType": "call",
            "participants": [
                { "purpose": "customer", "state": "disconnected" },
                { "purpose": "agent", "state": "disconnected", "queueId": queue_id }
            ]
        })),
    );
    assert_eq!(status, 201, "seeding a conversation: {seeded}");
    let conversation_id = seeded["conversationId"]
        .as_str()
        .expect("the seed answer names the conversation");
    // One failed list, so a retried request shows up in the log.
    let (status, body) = emu.admin(
        Method::PUT,
        "faults",
        Some(json!({ "rules": [{
            "method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 503, "count": 1
        }]})),
    );
    assert_eq!(status, 200, "setting a fault: {body}");

    let config = |description: &str| {
        format!(
            r#"
resource "genesyscloud_routing_wrapupcode" "leak" {{
  name        = "Leak check code"
  description = "{description}"
}}

resource "genesyscloud_conversation_wrapup" "leak" {{
  conversation_id  = "{conversation_id}"
  wrapup_code_name = "Leak check outcome"
  notes            = "logged at trace level"
}}
"#
        )
    };
    let first = config("first");
    let second = config("second");
    let (workdir, log) = traced(emu.configure(Workdir::new()));
    let haystack = run_all(
        &workdir,
        &log,
        &[
            (&first, APPLY),
            (&first, PLAN),
            (&second, APPLY),
            (&second, DESTROY),
        ],
    );

    let request_lines = haystack.request_lines();
    for (method, route) in [
        ("POST", "/api/v2/routing/wrapupcodes"),
        ("GET", "/api/v2/routing/wrapupcodes"),
        ("PUT", "/api/v2/routing/wrapupcodes/{codeId}"),
        ("DELETE", "/api/v2/routing/wrapupcodes/{codeId}"),
        (
            "POST",
            "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
        ),
    ] {
        let line = request_lines
            .iter()
            .find(|l| field(l, "method") == Some(method) && field(l, "route") == Some(route))
            .unwrap_or_else(|| {
                panic!(
                    "no request line for {method} {route} in the trace log; request lines:\n{}",
                    request_lines.join("\n")
                )
            });
        for key in ["status", "duration_ms", "retries", "correlation_id"] {
            assert!(field(line, key).is_some(), "{key} missing from {line}");
        }
        assert!(
            line.contains("[DEBUG] provider.terraform-provider-genesyscloud"),
            "request lines are the provider's, at debug level: {line}"
        );
    }
    assert!(
        request_lines
            .iter()
            .any(|l| field(l, "status") == Some("503")
                && field(l, "correlation_id").is_some_and(|id| id.len() > 2)),
        "the failed request is not logged with the platform's correlation id:\n{}",
        request_lines.join("\n")
    );
    assert!(
        request_lines
            .iter()
            .any(|l| field(l, "retries") == Some("1") && field(l, "status") == Some("200")),
        "the retried list is not logged with its retry count:\n{}",
        request_lines.join("\n")
    );
    assert!(
        haystack.log.contains("genesys login response"),
        "the token request is not logged"
    );
    for line in &request_lines {
        let route = field(line, "route").unwrap_or_default();
        assert!(
            !route.contains(conversation_id),
            "routes are logged as templates, not concrete paths: {line}"
        );
    }

    haystack.assert_absent("client secret", &secret);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{secret}"));
    haystack.assert_absent("Basic credentials", &basic);
    let issued = emu.token();
    assert!(
        token_shaped(&issued) == Some(0) && issued.len() == TOKEN_HEX_DIGITS,
        "the emulator's token format changed ({} chars); update TOKEN_HEX_DIGITS",
        issued.len()
    );
    haystack.assert_no_token_shaped_string();
}

#[test]
fn trace_logs_of_a_run_with_an_access_token_in_the_provider_block_never_show_it() {
    let emu = emulator(&distinctive_secret());
    let token = emu.token();
    let (workdir, log) = traced(Workdir::new());
    // This time the sensitive value is written in the provider block itself.
    let config = format!(
        r#"
provider "genesyscloud" {{
  api_url      = "{url}"
  login_url    = "{url}"
  access_token = "{token}"
}}

resource "genesyscloud_routing_wrapupcode" "token" {{
  name = "Access token leak check"
}}
"#,
        url = emu.url()
    );
    let haystack = run_all(
        &workdir,
        &log,
        &[(&config, APPLY), (&config, PLAN), (&config, DESTROY)],
    );

    assert!(
        haystack
            .request_lines()
            .iter()
            .any(|l| field(l, "method") == Some("POST")
                && field(l, "route") == Some("/api/v2/routing/wrapupcodes")),
        "the create request is not logged"
    );
    haystack.assert_absent("access token", &token);
    // Nor any 16-character piece of it (a truncated or "redacted" prefix still leaks).
    for start in (0..=token.len() - 16).step_by(8) {
        haystack.assert_absent("piece of the access token", &token[start..start + 16]);
    }
    haystack.assert_no_token_shaped_string();
}

//! `--debug`: the provider runs standalone and prints a `TF_REATTACH_PROVIDERS` value; the real
//! CLI then uses that running process (it has no other way to find the provider here) for a
//! whole apply and destroy against the emulator, and leaves it running. SIGTERM stops it.

use crate::support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Emulator, Workdir};

/// A provider started by hand with `--debug`; killed when dropped.
struct DebugProvider {
    child: Child,
    reattach: String,
}

impl DebugProvider {
    fn start() -> DebugProvider {
        let mut child = Command::new(support::provider_binary())
            .arg("--debug")
            .env_remove("TF_PLUGIN_MAGIC_COOKIE")
            .env_remove("PLUGIN_PROTOCOL_VERSIONS")
            .env_remove("TF_REATTACH_PROVIDERS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the provider binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (lines, received) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut printed = Vec::new();
        let reattach = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = received.recv_timeout(left) else {
                let _ = child.kill();
                panic!("no TF_REATTACH_PROVIDERS line within 30 s; printed: {printed:?}");
            };
            if let Some(value) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
                break value.trim_end_matches('\'').to_owned();
            }
            printed.push(line);
        };
        DebugProvider { child, reattach }
    }

    /// The unix socket the provider listens on, from the reattach value.
    fn socket(&self) -> PathBuf {
        let value: Value = serde_json::from_str(&self.reattach).expect("reattach value is JSON");
        let entry = &value[support::terraform::PROVIDER_SOURCE];
        assert_eq!(entry["Protocol"], "grpc", "{value}");
        assert_eq!(entry["ProtocolVersion"], 6, "{value}");
        assert_eq!(entry["Pid"], self.child.id(), "{value}");
        assert_eq!(entry["Addr"]["Network"], "unix", "{value}");
        PathBuf::from(entry["Addr"]["String"].as_str().expect("socket path"))
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for DebugProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A work dir whose CLI config has no dev_overrides: without `TF_REATTACH_PROVIDERS`,
/// Terraform cannot find the provider at all.
fn workdir_without_overrides(emulator: &Emulator) -> Workdir {
    let workdir = Workdir::new();
    let empty_config = workdir.path().join("empty.terraformrc");
    std::fs::write(&empty_config, "").expect("work dir is writable");
    let workdir = workdir.env("TF_CLI_CONFIG_FILE", &empty_config.display().to_string());
    // The debug process reads env-var fallbacks from its own environment, not Terraform's, so
    // the settings go in the provider block.
    workdir.config(&format!(
        "{}\nresource \"genesyscloud_routing_wrapupcode\" \"debugged\" {{\n  name = \"Debugged\"\n}}\n",
        emulator.provider_block()
    ));
    workdir
}

fn code_names(emulator: &Emulator) -> Vec<String> {
    let (status, listing) = emulator.api(reqwest::Method::GET, "routing/wrapupcodes", None);
    assert_eq!(status, 200, "{listing}");
    listing["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter_map(|code| code["name"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn terraform_applies_and_destroys_through_a_provider_started_with_debug() {
    let emulator = Emulator::start();
    let mut provider = DebugProvider::start();
    let socket = provider.socket();
    assert!(socket.exists(), "socket {} missing", socket.display());

    let unattached = workdir_without_overrides(&emulator);
    let refused = unattached.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        !refused.success(),
        "without reattach Terraform must not find the provider: {refused}"
    );

    let workdir =
        workdir_without_overrides(&emulator).env("TF_REATTACH_PROVIDERS", &provider.reattach);
    workdir.apply();
    assert_eq!(code_names(&emulator), ["Debugged"]);
    workdir.plan_is_empty();
    assert!(
        provider.is_running(),
        "Terraform must leave a reattached provider running"
    );

    workdir
        .run(&["destroy", "-auto-approve", "-input=false", "-no-color"])
        .assert_success();
    assert!(code_names(&emulator).is_empty());
    assert!(provider.is_running(), "still running after destroy");
}

#[test]
fn sigterm_stops_a_debug_provider_and_removes_its_socket() {
    let mut provider = DebugProvider::start();
    let socket = provider.socket();
    assert!(socket.exists(), "socket {} missing", socket.display());
    let sent = Command::new("kill")
        .args(["-TERM", &provider.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Ok(Some(status)) = provider.child.try_wait() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exited {status:?}");
    assert!(!socket.exists(), "socket {} left behind", socket.display());
}

//! The `genesys-emulator` binary: first stdout line, flags, and serving.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn binary_prints_listening_line_then_serves_with_flags() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_genesys-emulator"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--client-id",
            "cli",
            "--client-secret",
            "s3cret",
            "--token-ttl",
            "120",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line is readable");
    let url = line
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let response = reqwest::Client::new()
        .post(format!("{url}/oauth/token"))
        .basic_auth("cli", Some("s3cret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("token request is answered");
    let body: serde_json::Value = response.json().await.expect("token JSON");
    assert_eq!(body["expires_in"], 120);
    child.kill().expect("child is killable");
    child.wait().expect("child exits");
}

#[test]
fn binary_refuses_an_unusable_listen_address() {
    let output = Command::new(env!("CARGO_BIN_EXE_genesys-emulator"))
        .args(["--listen", "not-an-address"])
        .output()
        .expect("binary runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--listen"));
}

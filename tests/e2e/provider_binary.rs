//! The provider binary run by hand (not by Terraform) explains itself and exits non-zero.

use crate::support;

use std::process::{Command, Stdio};

#[test]
fn running_the_binary_by_hand_says_it_is_a_plugin_and_fails() {
    let output = Command::new(support::provider_binary())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .env_remove("PLUGIN_PROTOCOL_VERSIONS")
        .env_remove("TF_REATTACH_PROVIDERS")
        .stdin(Stdio::null())
        .output()
        .expect("the provider binary starts");
    let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
    assert!(!output.status.success(), "exited {:?}", output.status);
    assert!(stderr.contains("plugin"), "stderr: {stderr}");
    assert!(
        stderr.contains("terraform starts it for you"),
        "stderr: {stderr}"
    );
    assert!(
        output.stdout.is_empty(),
        "printed a handshake line by hand: {:?}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_wrong_magic_cookie_is_refused_without_a_handshake() {
    let output = Command::new(support::provider_binary())
        .env("TF_PLUGIN_MAGIC_COOKIE", "not-the-cookie")
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env_remove("TF_REATTACH_PROVIDERS")
        .stdin(Stdio::null())
        .output()
        .expect("the provider binary starts");
    assert!(!output.status.success(), "exited {:?}", output.status);
    assert!(output.stdout.is_empty());
}

//! The provider builds its HTTP client whatever the machine's certificates: with no usable CA
//! bundle (a `FROM scratch` image, an empty root) it trusts the roots compiled into the binary
//! and says so in the debug log, instead of failing with "No CA certificates were loaded from
//! the system" before its first request, even a plain-http one to the emulator.

use crate::support;

use support::{Emulator, Workdir};

const CONFIG: &str = r#"
resource "genesyscloud_routing_wrapupcode" "no_bundle" {
  name = "Applied without a CA bundle"
}
"#;

#[test]
fn a_cert_file_without_certificates_still_gives_a_working_client() {
    let emulator = Emulator::start();
    let empty = tempfile::NamedTempFile::new().expect("an empty file for SSL_CERT_FILE");
    let log = tempfile::NamedTempFile::new().expect("a log file");
    let cert_file = empty.path().to_string_lossy().into_owned();
    let log_path = log.path().to_string_lossy().into_owned();
    // SSL_CERT_FILE names a file with no certificate in it, and SSL_CERT_DIR an empty directory:
    // the certificate loader then reads nothing else, as in a root without a bundle.
    let empty_dir = tempfile::tempdir().expect("an empty dir for SSL_CERT_DIR");
    let work = emulator
        .configure(Workdir::new())
        .env("SSL_CERT_FILE", &cert_file)
        .env("SSL_CERT_DIR", &empty_dir.path().to_string_lossy())
        .env("TF_LOG_PATH", &log_path)
        .tf_log("debug");
    work.config(CONFIG);
    work.apply();
    work.destroy();

    let log = std::fs::read_to_string(log.path()).expect("Terraform wrote its log");
    let line = log
        .lines()
        .find(|line| line.contains("TLS roots:"))
        .unwrap_or_else(|| panic!("no TLS roots line in the provider's debug log:\n{log}"));
    assert!(
        line.contains("SSL_CERT_FILE / SSL_CERT_DIR held no usable certificate")
            && line.contains("compiled into the binary"),
        "{line}"
    );
}

//! Locating the Terraform CLI and the provider binary, and the environment every Terraform run
//! gets.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Source address the tests' configurations use for our provider.
pub const PROVIDER_SOURCE: &str = "registry.terraform.io/rustcx/genesyscloud";

/// `required_providers` block written to `versions.tf` in every work dir.
pub const VERSIONS_TF: &str = r#"terraform {
  required_providers {
    genesyscloud = {
      source = "rustcx/genesyscloud"
    }
  }
}
"#;

/// The Terraform CLI: `$TERRAFORM`, else `<repo>/.tools/bin/terraform`. Panics with the
/// install command when absent: these tests never skip.
pub fn terraform_path() -> PathBuf {
    let path = match std::env::var_os("TERRAFORM") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/terraform"),
    };
    assert!(
        path.is_file(),
        "Terraform CLI not found at {} — run scripts/install-tools.sh (or set TERRAFORM)",
        path.display()
    );
    path
}

/// The provider binary Cargo built for this test run.
pub fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-genesyscloud"))
}

/// The official provider's source address. It cannot be installed here; configurations that
/// name it next to ours get [`cli_config_with_official_stand_in`].
pub const OFFICIAL_SOURCE: &str = "registry.terraform.io/mypurecloud/genesyscloud";

/// A CLI config whose dev_overrides point our provider's source at the directory of
/// [`provider_binary`], so Terraform runs the freshly built binary without `init`.
pub fn cli_config() -> String {
    cli_config_overriding(&[PROVIDER_SOURCE])
}

/// [`cli_config`] that also runs the test build for [`OFFICIAL_SOURCE`]. It shares the
/// `genesyscloud_routing_wrapupcode` type, schema and state format with the official provider,
/// so configurations using both providers side by side validate and plan, and state the
/// official provider wrote for wrap-up codes decodes as it would there.
pub fn cli_config_with_official_stand_in() -> String {
    cli_config_overriding(&[PROVIDER_SOURCE, OFFICIAL_SOURCE])
}

fn cli_config_overriding(sources: &[&str]) -> String {
    let binary = provider_binary();
    let dir = binary
        .parent()
        .expect("a binary path always has a parent directory");
    let overrides: String = sources
        .iter()
        .map(|source| format!("    \"{source}\" = {dir:?}\n"))
        .collect();
    format!("provider_installation {{\n  dev_overrides {{\n{overrides}  }}\n  direct {{}}\n}}\n")
}

/// A `terraform` command with a hermetic environment: our CLI config, automation mode, no
/// checkpoint calls, no inherited `TF_*` knobs or `GENESYSCLOUD_*` settings.
pub fn command(cli_config_file: &Path, workdir: &Path) -> Command {
    let mut command = Command::new(terraform_path());
    command.current_dir(workdir);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("TF_") || name.starts_with("GENESYSCLOUD_") {
            command.env_remove(name.as_ref());
        }
    }
    command
        .env("TF_CLI_CONFIG_FILE", cli_config_file)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("CHECKPOINT_DISABLE", "1")
        .env("NO_COLOR", "1");
    command
}

//! The framework serves a provider that is not the Genesys one: the `null_provider` example,
//! driven by the real Terraform CLI through `dev_overrides` (apply, an empty plan, an input
//! changed in place, a trigger that replaces, destroy).
//!
//! Terraform is `$TERRAFORM`, else the workspace's `.tools/bin/terraform`
//! (`scripts/install-tools.sh`); the test fails, saying so, when there is none.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod example;

use example::example_binary;

const SOURCE: &str = "registry.terraform.io/example/nulllike";

fn terraform() -> PathBuf {
    let path = match std::env::var_os("TERRAFORM") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/bin/terraform"),
    };
    assert!(
        path.is_file(),
        "Terraform CLI not found at {}: run scripts/install-tools.sh at the workspace root, or \
         set TERRAFORM to a Terraform binary",
        path.display()
    );
    path
}

/// A work dir with the provider linked under the name Terraform looks for, and a CLI config
/// whose dev_overrides point at it.
struct Workdir {
    dir: PathBuf,
}

impl Workdir {
    fn new() -> Workdir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let dir =
            std::env::temp_dir().join(format!("null-provider-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(dir.join("plugins")).expect("a temp dir");
        std::os::unix::fs::symlink(
            example_binary(),
            dir.join("plugins/terraform-provider-nulllike"),
        )
        .expect("link the provider");
        let config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{SOURCE}\" = {:?}\n  }}\n  direct {{}}\n}}\n",
            dir.join("plugins")
        );
        std::fs::write(dir.join("cli.tfrc"), config).expect("write the CLI config");
        Workdir { dir }
    }

    fn config(&self, input: &str, version: &str) {
        let hcl = format!(
            r#"terraform {{
  required_providers {{
    nulllike = {{ source = "example/nulllike" }}
  }}
}}

resource "nulllike_resource" "thing" {{
  input    = "{input}"
  triggers = {{ version = "{version}" }}
}}

output "id" {{
  value = nulllike_resource.thing.id
}}
"#
        );
        std::fs::write(self.dir.join("main.tf"), hcl).expect("write main.tf");
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(terraform());
        command.current_dir(&self.dir);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("TF_") {
                command.env_remove(name);
            }
        }
        command
            .env("TF_CLI_CONFIG_FILE", self.dir.join("cli.tfrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .args(args)
            .arg("-no-color");
        if matches!(args.first(), Some(&("apply" | "plan" | "destroy"))) {
            command.arg("-input=false");
        }
        command.output().expect("terraform runs")
    }

    /// Runs `args`, expecting exit code `code`; returns stdout.
    fn expect(&self, args: &[&str], code: i32) -> String {
        let output = self.run(args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(
            output.status.code(),
            Some(code),
            "terraform {args:?}:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    fn id(&self) -> String {
        let output = Command::new(terraform())
            .current_dir(&self.dir)
            .env("TF_CLI_CONFIG_FILE", self.dir.join("cli.tfrc"))
            .args(["output", "-raw", "id"])
            .output()
            .expect("terraform runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn terraform_applies_plans_replaces_and_destroys_a_second_provider() {
    let work = Workdir::new();
    work.config("one", "1");
    let applied = work.expect(&["apply", "-auto-approve"], 0);
    assert!(
        applied.contains("1 added, 0 changed, 0 destroyed"),
        "{applied}"
    );
    let id = work.id();
    assert_eq!(id.len(), 16, "a random ID: {id:?}");
    work.expect(&["plan", "-detailed-exitcode"], 0);

    work.config("two", "1");
    let plan = work.expect(&["plan", "-detailed-exitcode"], 2);
    assert!(plan.contains("will be updated in-place"), "{plan}");
    work.expect(&["apply", "-auto-approve"], 0);
    assert_eq!(work.id(), id, "an input change keeps the resource");

    work.config("two", "2");
    let plan = work.expect(&["plan", "-detailed-exitcode"], 2);
    assert!(plan.contains("must be replaced"), "{plan}");
    assert!(plan.contains("# forces replacement"), "{plan}");
    work.expect(&["apply", "-auto-approve"], 0);
    let replaced = work.id();
    assert_ne!(replaced, id, "a trigger change replaces the resource");
    work.expect(&["plan", "-detailed-exitcode"], 0);

    let destroyed = work.expect(&["destroy", "-auto-approve"], 0);
    assert!(destroyed.contains("1 destroyed"), "{destroyed}");
    assert_eq!(work.expect(&["state", "list"], 0).trim(), "");
}

//! A Terraform working directory and the steps tests run in it, in the spirit of
//! terraform-plugin-testing's TestStep: write a config, apply, check the plan is empty, import,
//! expect an error on an attribute, destroy.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use super::diagnostics::{self, Diagnostic};
use super::terraform;

/// How long one Terraform command may take before the test fails (never hang CI).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(180);

/// What a finished command printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub args: Vec<String>,
    /// Exit code (-1 when killed by a signal).
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.status == 0
    }

    /// Panics with the full output unless the command exited 0.
    #[track_caller]
    pub fn assert_success(&self) -> &Self {
        assert!(self.success(), "command failed: {self}");
        self
    }

    /// Everything the command printed.
    pub fn combined(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "terraform {} exited {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.args.join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }
}

/// A temporary Terraform working directory wired to the freshly built provider.
pub struct Workdir {
    dir: tempfile::TempDir,
    cli_config: std::path::PathBuf,
    env: Vec<(String, String)>,
    tf_log: Option<String>,
}

impl Workdir {
    /// A new empty work dir with `versions.tf` (our provider's source) and a CLI config whose
    /// dev_overrides point at the test build of the provider.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("tf-e2e-")
            .tempdir()
            .expect("the system temp dir is writable");
        let cli_config = dir.path().join(".terraformrc");
        std::fs::write(&cli_config, terraform::cli_config()).expect("temp dir is writable");
        std::fs::write(dir.path().join("versions.tf"), terraform::VERSIONS_TF)
            .expect("temp dir is writable");
        Workdir {
            dir,
            cli_config,
            env: Vec::new(),
            tf_log: None,
        }
    }

    /// Sets an environment variable for every later command (e.g. `GENESYSCLOUD_API_URL`).
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Shortens the provider's waits for platform lag (the `lag_wait_percent` setting: search
    /// lag, adoption, read-backs) for a test whose waits run out on purpose and whose emulator
    /// has no lag to wait out: to 5 %, unless the test run sets
    /// `GENESYSCLOUD_LAG_WAIT_PERCENT` itself (`GENESYSCLOUD_LAG_WAIT_PERCENT=100` runs them
    /// in full).
    pub fn short_lag_waits(self) -> Self {
        const VAR: &str = "GENESYSCLOUD_LAG_WAIT_PERCENT";
        let percent = std::env::var(VAR).unwrap_or_else(|_| "5".to_string());
        self.env(VAR, &percent)
    }

    /// Runs later commands with `TF_LOG` at `level` (it is cleared otherwise).
    pub fn tf_log(mut self, level: &str) -> Self {
        self.tf_log = Some(level.to_string());
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces `main.tf` with `hcl`.
    pub fn config(&self, hcl: &str) -> &Self {
        self.file("main.tf", hcl)
    }

    /// Writes any other file into the work dir (e.g. `x.tfquery.hcl`).
    pub fn file(&self, name: &str, contents: &str) -> &Self {
        std::fs::write(self.path().join(name), contents).expect("work dir is writable");
        self
    }

    /// Runs `terraform ARGS` and returns what it printed, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        run_with_timeout(self.command(args), args)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = terraform::command(&self.cli_config, self.path());
        command.args(args);
        for (name, value) in &self.env {
            command.env(name, value);
        }
        if let Some(level) = &self.tf_log {
            command.env("TF_LOG", level);
        }
        command
    }

    /// Starts `terraform ARGS` in its own process group and returns at once, so the test can
    /// signal it while it runs.
    pub fn spawn(&self, args: &[&str]) -> super::process::Running {
        super::process::Running::spawn(self.command(args), args)
    }

    /// `terraform apply -auto-approve`; panics if it fails.
    #[track_caller]
    pub fn apply(&self) -> Output {
        let output = self.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        output.assert_success();
        output
    }

    /// `terraform apply -auto-approve` with `invoke` (`-invoke=action.TYPE.NAME`): runs the
    /// action; panics if it fails.
    #[track_caller]
    pub fn apply_invoke(&self, invoke: &str) -> Output {
        let output = self.run(&[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            invoke,
        ]);
        output.assert_success();
        output
    }

    /// `terraform plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes.
    pub fn plan_detailed_exitcode(&self) -> i32 {
        self.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
            .status
    }

    /// Asserts the plan has no changes (exit 0 under `-detailed-exitcode`).
    #[track_caller]
    pub fn plan_is_empty(&self) {
        let output = self.run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        assert_eq!(output.status, 0, "expected an empty plan: {output}");
    }

    /// The plan as `terraform show -json` renders it (`resource_changes`, `planned_values`…).
    #[track_caller]
    pub fn plan_json(&self) -> Value {
        self.run(&["plan", "-input=false", "-no-color", "-out=tfplan"])
            .assert_success();
        self.show_json(&["show", "-json", "tfplan"])
    }

    /// The current state as `terraform show -json` renders it (`values.root_module`…).
    #[track_caller]
    pub fn show_state_json(&self) -> Value {
        self.show_json(&["show", "-json"])
    }

    #[track_caller]
    fn show_json(&self, args: &[&str]) -> Value {
        let output = self.run(args);
        output.assert_success();
        serde_json::from_str(&output.stdout).unwrap_or_else(|error| {
            panic!("`terraform show -json` is not JSON ({error}): {output}")
        })
    }

    /// `terraform import ADDR ID`; panics if it fails.
    #[track_caller]
    pub fn import(&self, address: &str, id: &str) -> Output {
        let output = self.run(&["import", "-input=false", "-no-color", address, id]);
        output.assert_success();
        output
    }

    /// `terraform destroy -auto-approve`; panics if it fails.
    #[track_caller]
    pub fn destroy(&self) -> Output {
        let output = self.run(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
        output.assert_success();
        output
    }

    /// `terraform query -json` over the work dir's `*.tfquery.hcl` files; the JSON messages.
    #[track_caller]
    pub fn query(&self) -> Vec<Value> {
        let output = self.run(&["query", "-json", "-no-color"]);
        output.assert_success();
        output
            .stdout
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect()
    }

    /// Runs `terraform ARGS` expecting it to fail with an error diagnostic whose summary or
    /// detail contains `text` and, when `attribute` is given, that Terraform places on the
    /// config line assigning that attribute. Commands that support `-json` are run with it
    /// (and `-auto-approve` for apply/destroy); others are checked on their text output.
    #[track_caller]
    pub fn expect_error(&self, args: &[&str], text: &str, attribute: Option<&str>) -> Diagnostic {
        let json = matches!(
            args.first(),
            Some(&("validate" | "plan" | "apply" | "destroy" | "refresh" | "query"))
        );
        let mut full: Vec<&str> = args.to_vec();
        if json {
            full.push("-json");
            if matches!(args.first(), Some(&("apply" | "destroy")))
                && !args.contains(&"-auto-approve")
            {
                full.push("-auto-approve");
            }
        } else {
            full.push("-no-color");
        }
        let output = self.run(&full);
        assert!(
            !output.success(),
            "expected `terraform {}` to fail: {output}",
            args.join(" ")
        );
        let found = if json {
            diagnostics::parse_json(&output.stdout)
        } else {
            diagnostics::parse_text(&output.stderr)
        };
        let diagnostic = found
            .iter()
            .find(|d| d.severity == "error" && d.mentions(text))
            .unwrap_or_else(|| {
                panic!("no error diagnostic mentions {text:?}; found {found:#?}\n{output}")
            })
            .clone();
        if let Some(attribute) = attribute
            && let Err(why) = diagnostic.check_points_at(self.path(), attribute)
        {
            panic!("{why}\n{output}");
        }
        diagnostic
    }
}

/// Runs `command` in its own process group; a run past [`COMMAND_TIMEOUT`] is ended with
/// every provider process it started, and fails the test.
fn run_with_timeout(command: Command, args: &[&str]) -> Output {
    super::process::Running::spawn(command, args)
        .wait_within(COMMAND_TIMEOUT)
        .unwrap_or_else(|timed_out| {
            panic!(
                "terraform {} did not finish within {COMMAND_TIMEOUT:?}; {timed_out}",
                args.join(" ")
            )
        })
}

//! A plugin whose Terraform is killed stops by itself (the parent watch, Linux only), while a
//! `--debug` one, whose parent is the user's shell, keeps serving.
//!
//! A shell stands in for Terraform: it starts the `null_provider` example twice in the
//! background, as Terraform does (the go-plugin environment) and with `--debug`, prints their
//! pids and becomes a `sleep`. The test reads both announcements, kills the shell with SIGKILL
//! and waits (up to 20 s, a bound that only turns a hang into a failure) for the plugin to
//! exit.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tfplugin_framework::host::{MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE};

mod example;

/// How long a line, or the plugin's exit, may take before the test fails.
const BOUND: Duration = Duration::from_secs(20);

/// The state letter of `/proc/PID/stat`; `None` once the process is reaped.
fn process_state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last `)`.
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Running, not a zombie waiting for its new parent to reap it.
fn is_running(pid: u32) -> bool {
    process_state(pid).is_some_and(|state| !matches!(state, 'Z' | 'X' | 'x'))
}

/// Kills the plugins the shell started when the test ends, however it ends.
struct Plugins(Vec<u32>);

impl Drop for Plugins {
    fn drop(&mut self) {
        for pid in &self.0 {
            if is_running(*pid) {
                let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            }
        }
    }
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_plugin_stops_when_terraform_is_killed_and_a_debug_one_stays() {
    let binary = example::example_binary();
    let dir = TempDir(std::env::temp_dir().join(format!(
        "orphaned-plugin-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    )));
    std::fs::create_dir_all(&dir.0).expect("a temp dir");
    let log = dir.0.join("plugin.log");
    let mut shell = Command::new("sh")
        .arg("-c")
        .arg(
            r#""$0" 2>"$1" & echo "pid $!"; "$0" --debug 2>/dev/null & echo "pid $!"; exec sleep 600"#,
        )
        .arg(&binary)
        .arg(&log)
        .env(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("PLUGIN_UNIX_SOCKET_DIR", &dir.0)
        .env("TF_LOG_PROVIDER", "info")
        .env_remove("PLUGIN_CLIENT_CERT")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let stdout = shell.stdout.take().expect("piped stdout");
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if sender.send(line).is_err() {
                return;
            }
        }
    });

    // Both plugins write their announcement in one write, so lines never interleave.
    let mut pids = Vec::new();
    let (mut handshake, mut reattach) = (None, None);
    while pids.len() < 2 || handshake.is_none() || reattach.is_none() {
        let line = lines
            .recv_timeout(BOUND)
            .expect("the pids and both announcements within 20 s");
        if let Some(pid) = line.strip_prefix("pid ") {
            pids.push(pid.trim().parse::<u32>().expect("a pid"));
        } else if line.starts_with("1|6|unix|") {
            handshake = Some(line);
        } else if let Some((_, value)) = line.split_once("TF_REATTACH_PROVIDERS='") {
            reattach = Some(value.trim_end_matches('\'').to_string());
        }
    }
    let plugins = Plugins(pids.clone());
    let (managed, debug) = (pids[0], pids[1]);
    assert!(is_running(managed) && is_running(debug));

    let terraform = shell.id();
    shell.kill().expect("SIGKILL the shell");
    shell.wait().expect("reap the shell");

    let started = Instant::now();
    while is_running(managed) && started.elapsed() < BOUND {
        std::thread::sleep(Duration::from_millis(50));
    }
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !is_running(managed),
        "the plugin (pid {managed}) still runs 20 s after its Terraform (pid {terraform}) was \
         killed; handshake {handshake:?}; its log:\n{logged}"
    );
    let gone = format!("Terraform (pid {terraform}) is gone: stopping");
    assert!(logged.contains(&gone), "{gone:?} not in the log:\n{logged}");

    assert!(
        is_running(debug),
        "the --debug plugin (pid {debug}) must outlive its parent"
    );
    let reattach: serde_json::Value =
        serde_json::from_str(reattach.as_deref().unwrap_or_default()).expect("reattach JSON");
    let socket = reattach
        .as_object()
        .and_then(|providers| providers.values().next())
        .and_then(|provider| provider["Addr"]["String"].as_str())
        .expect("the socket in the reattach value")
        .to_string();
    UnixStream::connect(&socket).expect("the --debug plugin still accepts connections");
    drop(plugins);
}

//! A Terraform command left running so a test can interrupt it as a user would: SIGINT to
//! Terraform's PID, SIGINT to its whole process group (what Ctrl-C in a terminal does: the
//! provider Terraform started is in that group too), or SIGKILL to Terraform or the provider.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::workdir::Output;

/// How long a running command may take before the test fails (never hang CI).
const RUN_TIMEOUT: Duration = Duration::from_secs(240);

/// A signal a test sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Kill,
}

impl Signal {
    fn raw(self) -> i32 {
        match self {
            Signal::Interrupt => libc::SIGINT,
            Signal::Kill => libc::SIGKILL,
        }
    }
}

/// A Terraform process running in its own process group (as a shell job does).
pub struct Running {
    args: Vec<String>,
    child: Child,
    stdout: Option<JoinHandle<String>>,
    stderr: Option<JoinHandle<String>>,
    started: Instant,
}

impl Running {
    /// Starts `command` as the leader of a new process group, with piped output.
    pub fn spawn(mut command: Command, args: &[&str]) -> Running {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start terraform: {error}"));
        let stdout = child.stdout.take().map(read_all);
        let stderr = child.stderr.take().map(read_all);
        Running {
            args: args.iter().map(|s| s.to_string()).collect(),
            child,
            stdout,
            stderr,
            started: Instant::now(),
        }
    }

    /// Terraform's PID (also its process group ID).
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends `signal` to Terraform's process only.
    pub fn signal(&self, signal: Signal) {
        // SAFETY: kill(2) with a PID we own and a valid signal number has no memory effects.
        let rc = unsafe { libc::kill(self.pid(), signal.raw()) };
        assert_eq!(rc, 0, "kill({}, {signal:?}) failed", self.pid());
    }

    /// Sends `signal` to every process of Terraform's group (Terraform and its providers),
    /// as a terminal does on Ctrl-C.
    pub fn signal_group(&self, signal: Signal) {
        // SAFETY: as above; a negative PID addresses the process group.
        let rc = unsafe { libc::kill(-self.pid(), signal.raw()) };
        assert_eq!(rc, 0, "kill(-{}, {signal:?}) failed", self.pid());
    }

    /// PIDs of the provider processes Terraform started (its children named like ours).
    pub fn provider_pids(&self) -> Vec<i32> {
        children_of(self.pid())
            .into_iter()
            .filter(|pid| {
                std::fs::read_to_string(format!("/proc/{pid}/comm"))
                    .map(|name| name.trim().starts_with("terraform-provi"))
                    .unwrap_or(false)
            })
            .collect()
    }

    /// Sends `signal` to every provider process Terraform started; returns how many there were.
    pub fn signal_providers(&self, signal: Signal) -> usize {
        let pids = self.provider_pids();
        for pid in &pids {
            // SAFETY: as above.
            unsafe { libc::kill(*pid, signal.raw()) };
        }
        pids.len()
    }

    /// Whether Terraform is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for Terraform to exit and returns what it printed.
    pub fn wait(mut self) -> Output {
        let status = loop {
            match self.child.try_wait().expect("waiting on terraform") {
                Some(status) => break status,
                None if self.started.elapsed() > RUN_TIMEOUT => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    panic!(
                        "terraform {} did not finish within {RUN_TIMEOUT:?}",
                        self.args.join(" ")
                    );
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        use std::os::unix::process::ExitStatusExt;
        Output {
            args: self.args.clone(),
            status: status
                .code()
                .unwrap_or_else(|| -status.signal().unwrap_or(0)),
            stdout: self
                .stdout
                .take()
                .and_then(|h| h.join().ok())
                .unwrap_or_default(),
            stderr: self
                .stderr
                .take()
                .and_then(|h| h.join().ok())
                .unwrap_or_default(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A test that panicked before waiting must not leave Terraform or the provider behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            // SAFETY: as above.
            unsafe { libc::kill(-self.pid(), libc::SIGKILL) };
            let _ = self.child.wait();
        }
    }
}

fn read_all(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// The PIDs whose parent is `parent`, from `/proc/*/stat`.
fn children_of(parent: i32) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    // The command name is in parentheses and may contain spaces.
                    let rest = &stat[stat.rfind(')')? + 2..];
                    rest.split(' ').nth(1)?.parse::<i32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

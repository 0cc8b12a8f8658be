//! A Terraform command left running so a test can interrupt it as a user would: SIGINT to
//! Terraform's PID, SIGINT to its whole process group (what Ctrl-C in a terminal does: the
//! provider Terraform started is in that group too), or SIGKILL to Terraform or the provider.
//! A run that outlives its time limit is ended together with the providers Terraform started,
//! so a hung provider never outlives its test.

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

    /// Waits for Terraform to exit and returns what it printed; a run longer than the
    /// harness's limit ends Terraform and its providers and fails the test.
    pub fn wait(self) -> Output {
        let args = self.args.join(" ");
        self.wait_within(RUN_TIMEOUT).unwrap_or_else(|timed_out| {
            panic!("terraform {args} did not finish within {RUN_TIMEOUT:?}; {timed_out}")
        })
    }

    /// Waits at most `limit` for Terraform to exit. On timeout it ends Terraform and every
    /// provider process Terraform started (its whole process group, and each descendant
    /// by PID in case one left the group), waits until they are gone, and says which.
    pub fn wait_within(mut self, limit: Duration) -> Result<Output, TimedOut> {
        let status = loop {
            match self.child.try_wait().expect("waiting on terraform") {
                Some(status) => break status,
                None if self.started.elapsed() > limit => {
                    let ended = self.end_all();
                    let output = self.collect(-libc::SIGKILL);
                    return Err(TimedOut { ended, output });
                }
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        use std::os::unix::process::ExitStatusExt;
        let code = status
            .code()
            .unwrap_or_else(|| -status.signal().unwrap_or(0));
        Ok(self.collect(code))
    }

    fn collect(&mut self, status: i32) -> Output {
        Output {
            args: self.args.clone(),
            status,
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

    /// Kills Terraform's process group and every process below Terraform, then waits (up to
    /// 10 s) until none of them runs; returns the PIDs below Terraform it ended.
    fn end_all(&mut self) -> Vec<i32> {
        let below = descendants_of(self.pid());
        // SAFETY: kill(2) with PIDs and a process group this harness started, and a valid
        // signal number, has no memory effects.
        unsafe { libc::kill(-self.pid(), libc::SIGKILL) };
        for pid in &below {
            // SAFETY: as above.
            unsafe { libc::kill(*pid, libc::SIGKILL) };
        }
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(10);
        while below.iter().any(|pid| is_alive(*pid)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        below
    }
}

/// A run that did not finish in time: what was ended and what it had printed.
#[derive(Debug)]
pub struct TimedOut {
    /// The processes below Terraform (its providers) that were ended with it.
    pub ended: Vec<i32>,
    pub output: Output,
}

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ended it and the {} process(es) it started ({:?})\n{}",
            self.ended.len(),
            self.ended,
            self.output
        )
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A test that panicked before waiting must not leave Terraform or the provider behind.
        if matches!(self.child.try_wait(), Ok(None)) {
            self.end_all();
        }
    }
}

/// Whether `pid` still runs: it exists and is not a zombie waiting to be reaped.
pub fn is_alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat[stat.rfind(')')? + 2..].chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

/// Every process below `root`: children, their children, and so on.
fn descendants_of(root: i32) -> Vec<i32> {
    let mut found = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        for child in children_of(parent) {
            if !found.contains(&child) {
                found.push(child);
                parents.push(child);
            }
        }
    }
    found
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

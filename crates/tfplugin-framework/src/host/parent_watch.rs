//! A provider started by Terraform stops when Terraform is gone. Terraform normally closes its
//! plugins (GRPCController.Shutdown, then SIGKILL); when it crashes or is killed nothing
//! does, and the plugin would serve an empty socket forever. On Linux the host opens a pidfd
//! on its parent and takes the same graceful path as a Shutdown call once the pidfd becomes
//! readable (the parent exited): no polling. Elsewhere, or on kernels without pidfd_open(2)
//! (before 5.3), nothing is watched.
//!
//! Only for a plugin Terraform started: in debug mode the parent is the user's shell, and
//! the server outlives it on purpose.

use super::shutdown::Shutdown;

/// This process's parent now: read it first thing in `main`, so a parent that dies while the
/// plugin starts up is noticed by [`watch`] (the plugin is then reparented and the pid
/// differs).
pub(super) fn parent_at_start() -> u32 {
    std::os::unix::process::parent_id()
}

/// Triggers `shutdown` when the process `parent` (this process's parent at start) exits, or
/// at once when it already has. Call it from within the runtime, before announcing the
/// plugin.
#[cfg(target_os = "linux")]
pub(super) fn watch(parent: u32, shutdown: Shutdown) {
    use tokio::io::Interest;
    use tokio::io::unix::AsyncFd;

    if parent <= 1 {
        // Either Terraform runs as a container's init (the official image's entrypoint), or it
        // was gone before `main` ran and init adopted us: the two look alike, and stopping
        // Terraform-as-init's plugins would break every run in such a container.
        tracing::debug!(parent, "the parent is init: not watching it");
        return;
    }
    let pidfd = match linux::pidfd_open(parent) {
        Ok(pidfd) => pidfd,
        Err(error) if error.raw_os_error() == Some(libc::ESRCH) => {
            parent_gone(parent, &shutdown);
            return;
        }
        Err(error) => {
            // ENOSYS: a kernel before 5.3; EPERM/EACCES: a seccomp filter forbids it.
            tracing::debug!(parent, %error, "no pidfd on the parent: not watching it");
            return;
        }
    };
    // The parent may have died (and its pid been reused) between `main` and pidfd_open: then
    // this process has a new parent, and the pidfd may name another process.
    if parent_at_start() != parent {
        parent_gone(parent, &shutdown);
        return;
    }
    // SAFETY: the `OwnedFd` moves into the `AsyncFd` and is closed only when it is dropped,
    // so the descriptor stays open and the same for the `AsyncFd`'s whole life.
    let registered = unsafe { AsyncFd::register_with_interest(pidfd, Interest::READABLE) };
    let pidfd = match registered {
        Ok(pidfd) => pidfd,
        Err(error) => {
            tracing::debug!(parent, %error, "cannot wait on the parent's pidfd: not watching it");
            return;
        }
    };
    tracing::debug!(
        parent,
        "watching Terraform's process: its exit stops the plugin"
    );
    tokio::spawn(async move {
        let stop = shutdown.wait();
        tokio::select! {
            () = stop => {}
            readable = pidfd.readable() => match readable {
                Ok(_) => parent_gone(parent, &shutdown),
                Err(error) => {
                    tracing::debug!(parent, %error, "waiting on the parent's pidfd failed");
                }
            },
        }
    });
}

/// Non-Linux: no pidfd, nothing watched.
#[cfg(not(target_os = "linux"))]
pub(super) fn watch(_parent: u32, _shutdown: Shutdown) {}

#[cfg(target_os = "linux")]
fn parent_gone(parent: u32, shutdown: &Shutdown) {
    tracing::info!("Terraform (pid {parent}) is gone: stopping");
    shutdown.trigger();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::io;
    use std::os::fd::{FromRawFd, OwnedFd, RawFd};

    /// pidfd_open(2) on `pid`, close-on-exec (pidfds always are).
    pub(super) fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
        let pid =
            libc::pid_t::try_from(pid).map_err(|_| io::Error::from_raw_os_error(libc::ESRCH))?;
        let flags: libc::c_uint = 0;
        // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1; it
        // reads and writes no memory of ours.
        let result = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, flags) };
        if result < 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = RawFd::try_from(result).map_err(|_| io::Error::from_raw_os_error(libc::EBADF))?;
        // SAFETY: the kernel just returned this descriptor to us; nothing else owns it.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_pidfd_opens_on_a_live_process_and_not_on_a_reaped_one() {
        if let Err(error) = linux::pidfd_open(std::process::id()) {
            // Only a kernel before 5.3 (or a seccomp filter) says no: the watch is off there.
            assert!(
                matches!(error.raw_os_error(), Some(libc::ENOSYS | libc::EPERM)),
                "{error}"
            );
            return;
        }
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("spawn true");
        let pid = child.id();
        child.wait().expect("reap true");
        let error = linux::pidfd_open(pid).expect_err("a reaped child has no pidfd");
        assert_eq!(error.raw_os_error(), Some(libc::ESRCH), "{error}");
    }

    #[tokio::test]
    async fn a_parent_that_is_not_ours_counts_as_gone_at_once() {
        // This process's parent is not the test runner's own pid: as after a reparenting.
        let shutdown = Shutdown::default();
        watch(std::process::id(), shutdown.clone());
        shutdown.wait().await;
    }

    #[tokio::test]
    async fn the_live_parent_keeps_the_plugin_serving_until_shutdown() {
        let shutdown = Shutdown::default();
        watch(parent_at_start(), shutdown.clone());
        tokio::task::yield_now().await;
        let mut stop = Box::pin(shutdown.wait());
        assert!(
            futures_util::FutureExt::now_or_never(&mut stop).is_none(),
            "a live parent must not stop the plugin"
        );
        shutdown.trigger();
        stop.await;
    }
}

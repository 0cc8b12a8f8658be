//! StopProvider: Terraform asks the provider to stop in-flight work (user interrupt).
//!
//! Every request the server hands to a type carries a [`CancellationToken`] (the `cancel`
//! field of [`CreateRequest`](super::CreateRequest), [`ReadRequest`](super::ReadRequest),
//! [`DataSourceRequest`](super::DataSourceRequest), [`ListRequest`](super::ListRequest),
//! [`ActionRequest`](super::ActionRequest), …). StopProvider fires the tokens of every
//! operation running at that moment, and every wait below the type (retry backoff, the rate
//! budget, the token pool, a batch window, a settle delay) selects on it, so a stop ends each
//! wait at once. Nothing polls.
//!
//! Reads and plans are also raced against their token and abandoned: dropping them loses
//! nothing. Writes (ApplyResourceChange, InvokeAction) are never abandoned, because a write
//! that reached the platform must be answered for Terraform to record it: they run to
//! completion in their own task, and their token ends their waits, so a request not yet sent
//! is not sent. The provider keeps serving afterwards: operations that start after a stop get
//! a fresh token (one `--debug` process serves several Terraform runs).

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
pub use tokio_util::sync::CancellationToken;

use super::Diagnostics;

/// Fires "stop what you are doing" into every operation running at that moment. Operations
/// that start later are not affected.
#[derive(Clone, Default)]
pub struct StopSignal {
    /// The parent of the tokens handed out since the last stop.
    current: Arc<Mutex<CancellationToken>>,
}

/// The operation was abandoned because of a StopProvider call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl StopSignal {
    /// Cancels the token of every operation started before now; later ones get a fresh one.
    pub fn stop(&self) {
        let fired = std::mem::take(&mut *self.lock());
        fired.cancel();
    }

    /// The token for an operation starting now: cancelled by the next [`StopSignal::stop`].
    pub fn token(&self) -> CancellationToken {
        self.lock().child_token()
    }

    /// Runs `work` unless `cancel` fires first, in which case `work` is dropped.
    pub async fn run<T>(
        cancel: &CancellationToken,
        work: impl Future<Output = T>,
    ) -> Result<T, Cancelled> {
        tokio::select! {
            biased;
            () = cancel.cancelled() => Err(Cancelled),
            output = work => Ok(output),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CancellationToken> {
        // A token is always valid: a panic elsewhere cannot leave it inconsistent.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes running in this process (their tasks outlive the RPC that started them).
static WRITES_RUNNING: AtomicUsize = AtomicUsize::new(0);
static WRITE_FINISHED: Notify = Notify::const_new();

/// Counts one running write until dropped.
pub(super) struct WriteRunning(());

impl WriteRunning {
    pub(super) fn start() -> Self {
        WRITES_RUNNING.fetch_add(1, Ordering::SeqCst);
        WriteRunning(())
    }
}

impl Drop for WriteRunning {
    fn drop(&mut self) {
        WRITES_RUNNING.fetch_sub(1, Ordering::SeqCst);
        WRITE_FINISHED.notify_waiters();
    }
}

/// Waits until no write is running, for at most `limit`; returns how many still run. The
/// plugin calls it on shutdown so that a write Terraform stopped waiting for still finishes.
pub async fn writes_finished(limit: Duration) -> usize {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let finished = WRITE_FINISHED.notified();
        let running = WRITES_RUNNING.load(Ordering::SeqCst);
        if running == 0 {
            return 0;
        }
        if tokio::time::timeout_at(deadline, finished).await.is_err() {
            return WRITES_RUNNING.load(Ordering::SeqCst);
        }
    }
}

/// The error diagnostic an operation cancelled by StopProvider returns.
pub fn cancelled(rpc: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(
        "Operation cancelled",
        format!(
            "Terraform asked the provider to stop, so {rpc} was abandoned before it finished. \
             The remote object may have been changed partially; run `terraform plan` to see \
             its current state."
        ),
    );
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn stop_cancels_running_work_but_not_later_work() {
        let signal = StopSignal::default();
        let token = signal.token();
        let running = tokio::spawn({
            let token = token.clone();
            async move { StopSignal::run(&token, std::future::pending::<()>()).await }
        });
        tokio::task::yield_now().await;
        signal.stop();
        assert_eq!(running.await.expect("task runs"), Err(Cancelled));
        assert!(token.is_cancelled());
        let later = signal.token();
        assert!(!later.is_cancelled(), "a stop does not reach later work");
        let done = StopSignal::run(&later, tokio::time::sleep(Duration::from_secs(3600))).await;
        assert_eq!(done, Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_ends_a_wait_selecting_on_the_token_at_once() {
        let signal = StopSignal::default();
        let token = signal.token();
        let started = tokio::time::Instant::now();
        let waiting = tokio::spawn(async move {
            tokio::select! {
                () = token.cancelled() => "cancelled",
                () = tokio::time::sleep(Duration::from_secs(600)) => "slept",
            }
        });
        tokio::task::yield_now().await;
        signal.stop();
        assert_eq!(waiting.await.expect("task runs"), "cancelled");
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "no time passed on the paused clock"
        );
    }
}

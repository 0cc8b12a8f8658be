//! StopProvider: Terraform asks the provider to stop in-flight work (user interrupt).
//!
//! Reads and plans race their work against this signal and are abandoned: dropping them loses
//! nothing. Writes (ApplyResourceChange, InvokeAction) are never abandoned, because a write
//! that reached the platform must be answered for Terraform to record it. They run to
//! completion in their own task, under a [`StopToken`] that the code below (the platform
//! client) consults through [`stop_requested`] so that a request not yet sent is not sent.
//! The provider keeps serving afterwards.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, watch};

use super::Diagnostics;

/// Broadcasts "stop what you are doing" to every operation running at that moment.
/// Operations that start later are not affected.
#[derive(Clone)]
pub struct StopSignal {
    generation: Arc<watch::Sender<u64>>,
}

/// The operation was abandoned because of a StopProvider call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl Default for StopSignal {
    fn default() -> Self {
        StopSignal {
            generation: Arc::new(watch::channel(0).0),
        }
    }
}

impl StopSignal {
    /// Cancels every operation currently running under [`StopSignal::run`].
    pub fn stop(&self) {
        self.generation.send_modify(|generation| *generation += 1);
    }

    /// A handle that resolves on the next [`StopSignal::stop`].
    pub fn listener(&self) -> StopListener {
        StopListener(self.generation.subscribe())
    }

    /// A token for an operation starting now: it reports the first stop after this moment.
    pub fn token(&self) -> StopToken {
        let receiver = self.generation.subscribe();
        let started = *receiver.borrow();
        StopToken { receiver, started }
    }

    /// Runs `work` unless a stop arrives first, in which case `work` is dropped.
    pub async fn run<T>(&self, work: impl Future<Output = T>) -> Result<T, Cancelled> {
        let mut listener = self.listener();
        tokio::select! {
            biased;
            () = listener.stopped() => Err(Cancelled),
            output = work => Ok(output),
        }
    }
}

/// Whether StopProvider was called since one operation started.
#[derive(Clone)]
pub struct StopToken {
    receiver: watch::Receiver<u64>,
    started: u64,
}

impl StopToken {
    /// True once StopProvider was called after this operation started.
    pub fn is_stopped(&self) -> bool {
        *self.receiver.borrow() != self.started
    }

    /// Runs `work` with this token as the current task's, so [`stop_requested`] sees it.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        CURRENT.scope(self, work).await
    }
}

tokio::task_local! {
    static CURRENT: StopToken;
}

/// Whether Terraform asked the provider to stop since the operation running in this task
/// started. Code that is about to send a write checks it and does not send; outside a write
/// operation's task it is always false.
pub fn stop_requested() -> bool {
    CURRENT.try_with(StopToken::is_stopped).unwrap_or(false)
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

/// Waits for the next stop after it was created.
pub struct StopListener(watch::Receiver<u64>);

impl StopListener {
    /// Resolves when StopProvider is called (never, if the signal is gone).
    pub async fn stopped(&mut self) {
        if self.0.changed().await.is_err() {
            std::future::pending::<()>().await;
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

    #[tokio::test]
    async fn stop_cancels_running_work_but_not_later_work() {
        let signal = StopSignal::default();
        let running = tokio::spawn({
            let signal = signal.clone();
            async move { signal.run(std::future::pending::<()>()).await }
        });
        // Let the task subscribe before stopping.
        while signal.generation.receiver_count() == 0 {
            tokio::task::yield_now().await;
        }
        signal.stop();
        assert_eq!(running.await.expect("task runs"), Err(Cancelled));
        let later = signal
            .run(tokio::time::sleep(Duration::from_millis(1)))
            .await;
        assert_eq!(later, Ok(()));
    }

    #[tokio::test]
    async fn a_token_sees_only_stops_after_its_operation_started() {
        let signal = StopSignal::default();
        signal.stop();
        let token = signal.token();
        assert!(!token.is_stopped(), "an earlier stop does not count");
        let seen = token
            .clone()
            .scope(async {
                let before = stop_requested();
                signal.stop();
                (before, stop_requested())
            })
            .await;
        assert_eq!(seen, (false, true));
        assert!(token.is_stopped());
        assert!(!stop_requested(), "outside the scope nothing is stopped");
    }
}

//! StopProvider: Terraform asks the provider to abandon in-flight work (user interrupt).
//! Every RPC races its work against this signal; the provider keeps serving afterwards.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::watch;

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
    use std::time::Duration;

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
}

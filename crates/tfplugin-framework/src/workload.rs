//! What Terraform is doing in this provider process: the RPCs in flight. The server counts
//! them in one [`Workload`] and hands it to the provider at configure
//! ([`ConfigureRequest::workload`](crate::ConfigureRequest::workload)); code below may then
//! tell whether more work is on its way and be woken when an operation starts or ends, for
//! example a bulk read that waits for the other operations Terraform runs in parallel.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::watch;

/// The RPCs one server is serving. Cheap to clone: clones share the counts.
#[derive(Debug, Clone)]
pub struct Workload {
    counts: Arc<Counts>,
}

#[derive(Debug)]
struct Counts {
    /// The RPCs in progress (each write counted until its task ends); every change wakes
    /// the receivers of [`Workload::watch`].
    running: watch::Sender<usize>,
    /// The most that ever ran at once.
    peak: AtomicUsize,
}

impl Default for Workload {
    fn default() -> Self {
        Workload {
            counts: Arc::new(Counts {
                running: watch::Sender::new(0),
                peak: AtomicUsize::new(0),
            }),
        }
    }
}

impl Workload {
    /// The RPCs in progress now.
    pub fn running(&self) -> usize {
        *self.counts.running.borrow()
    }

    /// The most RPCs served at once: Terraform's parallelism, once it has been reached (10
    /// unless `-parallelism` says otherwise).
    pub fn peak(&self) -> usize {
        self.counts.peak.load(Ordering::SeqCst)
    }

    /// The number of RPCs in progress, as a receiver that is woken whenever one starts or
    /// ends (`changed().await`), so a waiter never polls.
    pub fn watch(&self) -> watch::Receiver<usize> {
        self.counts.running.subscribe()
    }

    /// Counts one RPC in progress until the returned guard is dropped.
    pub(crate) fn start(&self) -> OperationRunning {
        let mut now = 0;
        self.counts.running.send_modify(|running| {
            *running += 1;
            now = *running;
        });
        self.counts.peak.fetch_max(now, Ordering::SeqCst);
        OperationRunning(self.clone())
    }
}

/// Counts one RPC in progress until dropped.
pub(crate) struct OperationRunning(Workload);

impl Drop for OperationRunning {
    fn drop(&mut self) {
        self.0
            .counts
            .running
            .send_modify(|running| *running = running.saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_operation_counts_until_it_ends_and_wakes_watchers_both_times() {
        let workload = Workload::default();
        let mut watch = workload.watch();
        let first = workload.start();
        let second = workload.clone().start();
        assert_eq!((workload.running(), workload.peak()), (2, 2));
        watch.changed().await.expect("the workload is alive");
        assert_eq!(*watch.borrow_and_update(), 2);
        drop(first);
        watch.changed().await.expect("woken when an operation ends");
        assert_eq!(*watch.borrow_and_update(), 1);
        drop(second);
        assert_eq!((workload.running(), workload.peak()), (0, 2));
    }
}

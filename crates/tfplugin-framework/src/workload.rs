//! How many RPCs the provider is serving at this moment. Code below the protocol layer may
//! use it to tell whether more work is on its way: for example a bulk read waits for the
//! other operations Terraform runs in parallel to join it.

use std::sync::atomic::{AtomicUsize, Ordering};

static OPERATIONS_RUNNING: AtomicUsize = AtomicUsize::new(0);
static OPERATIONS_PEAK: AtomicUsize = AtomicUsize::new(0);

/// The RPCs in progress in this process (each write counted until its task ends).
pub fn operations_running() -> usize {
    OPERATIONS_RUNNING.load(Ordering::SeqCst)
}

/// The most RPCs this process has served at once: Terraform's parallelism, once it has been
/// reached (10 unless `-parallelism` says otherwise).
pub fn operations_peak() -> usize {
    OPERATIONS_PEAK.load(Ordering::SeqCst)
}

/// Counts one RPC in progress until dropped.
pub(super) struct OperationRunning(());

impl OperationRunning {
    pub(super) fn start() -> Self {
        let running = OPERATIONS_RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        OPERATIONS_PEAK.fetch_max(running, Ordering::SeqCst);
        OperationRunning(())
    }
}

impl Drop for OperationRunning {
    fn drop(&mut self) {
        OPERATIONS_RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_counts_until_it_ends() {
        // Other tests run RPCs concurrently: compare with what this one adds.
        let running = OperationRunning::start();
        assert!(operations_running() >= 1);
        assert!(operations_peak() >= operations_running());
        drop(running);
    }
}

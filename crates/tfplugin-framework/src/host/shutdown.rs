//! The process-wide "stop serving" signal, fired by GRPCController.Shutdown or a signal.

use tokio_util::sync::CancellationToken;

/// A one-way latch: once triggered, every waiter (the server, long-lived streams) resolves.
#[derive(Clone, Default)]
pub struct Shutdown(CancellationToken);

impl Shutdown {
    /// Starts the shutdown (idempotent).
    pub fn trigger(&self) {
        self.0.cancel();
    }

    /// Resolves once the shutdown was triggered.
    pub fn wait(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        self.0.clone().cancelled_owned()
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_before_and_after_the_trigger_resolve() {
        let shutdown = Shutdown::default();
        let early = tokio::spawn(shutdown.wait());
        shutdown.trigger();
        early.await.expect("early waiter resolves");
        shutdown.wait().await;
    }
}

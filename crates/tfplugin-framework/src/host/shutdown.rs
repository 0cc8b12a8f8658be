//! The process-wide "stop serving" signal, fired by GRPCController.Shutdown or a signal.

use std::sync::Arc;

use tokio::sync::watch;

/// A one-way latch: once triggered, every waiter (the server, long-lived streams) resolves.
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown(Arc::new(watch::channel(false).0))
    }
}

impl Shutdown {
    /// Starts the shutdown (idempotent).
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    /// Resolves once the shutdown was triggered.
    pub fn wait(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut receiver = self.0.subscribe();
        async move {
            // The sender lives as long as any clone of `Shutdown`; if it is gone, nobody can
            // trigger anymore, so resolving is as good as waiting forever.
            let _ = receiver.wait_for(|triggered| *triggered).await;
        }
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

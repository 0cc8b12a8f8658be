//! The client's waits, each ending at once when the caller's [`CancellationToken`] fires.
//!
//! Apart from [`retry`](super::retry), whose rules stay free of any runtime so the fuzz target
//! can compile them alone.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// A wait ended because the caller's cancellation token fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cancelled;

/// Runs `wait` (any of the client's waits) unless `cancel` fires first.
pub(crate) async fn unless_cancelled<T>(
    cancel: &CancellationToken,
    wait: impl Future<Output = T>,
) -> Result<T, Cancelled> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(Cancelled),
        output = wait => Ok(output),
    }
}

/// Sleeps for `wait` (a backoff), or less when `cancel` fires first.
pub(crate) async fn pause(wait: Duration, cancel: &CancellationToken) -> Result<(), Cancelled> {
    unless_cancelled(cancel, tokio::time::sleep(wait)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_token_ends_a_backoff_at_once() {
        let cancel = CancellationToken::new();
        let started = tokio::time::Instant::now();
        let sleeping = tokio::spawn({
            let cancel = cancel.clone();
            async move { pause(Duration::from_secs(600), &cancel).await }
        });
        tokio::task::yield_now().await;
        cancel.cancel();
        assert_eq!(sleeping.await.expect("the task runs"), Err(Cancelled));
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert_eq!(
            pause(Duration::from_secs(1), &CancellationToken::new()).await,
            Ok(()),
            "an uncancelled backoff sleeps its time"
        );
    }
}

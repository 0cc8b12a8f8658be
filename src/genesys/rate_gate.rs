//! One pause shared by every request of a client while the platform's rate limit is exceeded.
//!
//! The limit is per OAuth client, so when one request is answered 429 with `Retry-After`, every
//! other request of the same client would be too. Without a shared pause each request waits
//! out its own `Retry-After`, measured from its own 429: the first to wake takes the new
//! window, requests that did not wait yet use it up, and the late sleepers meet another 429 —
//! under Terraform's parallel refresh some starve until their retry budget runs out. With the
//! gate, no request is sent before the latest pause any request was asked for has passed.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::numbers::MAX_RETRY_AFTER;

/// The shared pause; cheap to check when no pause is in effect.
#[derive(Debug, Default)]
pub(crate) struct RateGate {
    paused_until: Mutex<Option<Instant>>,
}

impl RateGate {
    /// Extends the pause so that nothing is sent for `wait` from now (at most
    /// [`MAX_RETRY_AFTER`], whatever was asked).
    pub(crate) fn pause_for(&self, wait: Duration) {
        let now = Instant::now();
        let until = now.checked_add(wait.min(MAX_RETRY_AFTER)).unwrap_or(now);
        let mut paused = self.lock();
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }

    /// How much longer the pause lasts (zero when none is in effect).
    pub(crate) fn remaining(&self) -> Duration {
        self.lock().map_or(Duration::ZERO, |until| {
            until.saturating_duration_since(Instant::now())
        })
    }

    /// Returns once no pause is in effect; a pause extended meanwhile is waited out too.
    pub(crate) async fn wait(&self) {
        loop {
            let remaining = self.remaining();
            if remaining.is_zero() {
                return;
            }
            tokio::time::sleep(remaining).await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // The guarded value is a plain Instant: a panic elsewhere cannot leave it inconsistent.
        self.paused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[tokio::test]
    async fn without_a_pause_wait_returns_at_once() {
        let gate = RateGate::default();
        let before = Instant::now();
        gate.wait().await;
        assert!(before.elapsed() < 50 * MS);
        assert_eq!(gate.remaining(), Duration::ZERO);
    }

    #[tokio::test]
    async fn the_longest_pause_wins_and_a_shorter_one_does_not_shorten_it() {
        let gate = RateGate::default();
        let before = Instant::now();
        gate.pause_for(300 * MS);
        gate.pause_for(50 * MS);
        assert!(gate.remaining() > 200 * MS, "{:?}", gate.remaining());
        gate.wait().await;
        assert!(before.elapsed() >= 300 * MS, "{:?}", before.elapsed());
        assert_eq!(gate.remaining(), Duration::ZERO);
    }

    #[tokio::test]
    async fn a_pause_of_any_length_is_clamped_not_overflowed() {
        let gate = RateGate::default();
        gate.pause_for(Duration::MAX);
        let remaining = gate.remaining();
        assert!(remaining <= MAX_RETRY_AFTER, "{remaining:?}");
        assert!(
            remaining > MAX_RETRY_AFTER - Duration::from_secs(60),
            "{remaining:?}"
        );
    }

    #[tokio::test]
    async fn a_pause_extended_while_waiting_is_waited_out_too() {
        let gate = std::sync::Arc::new(RateGate::default());
        let before = Instant::now();
        gate.pause_for(100 * MS);
        let extender = std::sync::Arc::clone(&gate);
        tokio::spawn(async move {
            tokio::time::sleep(50 * MS).await;
            extender.pause_for(300 * MS);
        });
        gate.wait().await;
        assert!(before.elapsed() >= 350 * MS, "{:?}", before.elapsed());
    }
}

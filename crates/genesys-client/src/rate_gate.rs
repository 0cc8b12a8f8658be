//! One pause shared by every request of a client while the platform's rate limit is exceeded.
//!
//! When one request is answered 429 with `Retry-After`, the others of the same token would be
//! too, and the client's other tokens share its budget, which the 429 just proved too generous.
//! Without a shared pause each request waits out its own `Retry-After`, measured from its own
//! 429: the first to wake takes the new window, requests that did not wait yet use it up, and
//! the late sleepers meet another 429 — under Terraform's parallel refresh some starve until
//! their retry budget runs out. With the gate, no request is sent before the latest pause any
//! request was asked for has passed.
//!
//! Waiters are released spread over a short span after the pause, not all at its end: a
//! burst of every waiting request at the instant the platform's window reopens is what the
//! platform meters hardest.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::numbers::MAX_RETRY_AFTER;
use super::waits::{self, Cancelled};

/// The longest span waiters are spread over after a pause ends.
const MAX_RELEASE_SPREAD: Duration = Duration::from_secs(2);

/// The pause in effect: when it ends and how long it was asked for.
#[derive(Debug, Clone, Copy)]
struct Pause {
    until: Instant,
    length: Duration,
}

/// The shared pause; cheap to check when no pause is in effect.
#[derive(Debug, Default)]
pub(crate) struct RateGate {
    paused: Mutex<Option<Pause>>,
}

impl RateGate {
    /// Extends the pause so that nothing is sent for `wait` from now (at most
    /// [`MAX_RETRY_AFTER`], whatever was asked).
    pub(crate) fn pause_for(&self, wait: Duration) {
        let now = Instant::now();
        let length = wait.min(MAX_RETRY_AFTER);
        let until = now.checked_add(length).unwrap_or(now);
        let mut paused = self.lock();
        if paused.is_none_or(|current| current.until < until) {
            *paused = Some(Pause { until, length });
        }
    }

    /// How much longer the pause lasts (zero when none is in effect).
    pub(crate) fn remaining(&self) -> Duration {
        self.lock().map_or(Duration::ZERO, |pause| {
            pause.until.saturating_duration_since(Instant::now())
        })
    }

    /// Returns once no pause is in effect, at a random point of the release spread after it
    /// ended; a pause extended meanwhile is waited out too. Ends at once when `cancel` fires.
    pub(crate) async fn wait(&self, cancel: &CancellationToken) -> Result<(), Cancelled> {
        loop {
            let Some(pause) = *self.lock() else {
                return Ok(());
            };
            let now = Instant::now();
            if pause.until <= now {
                return Ok(());
            }
            let release = release_at(pause, fastrand::f64());
            waits::pause(release.saturating_duration_since(now), cancel).await?;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Pause>> {
        // The guarded value is plain data: a panic elsewhere cannot leave it inconsistent.
        self.paused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How long after a pause of `length` its waiters are spread: a fifth of the pause, at most
/// [`MAX_RELEASE_SPREAD`].
fn release_spread(length: Duration) -> Duration {
    (length / 5).min(MAX_RELEASE_SPREAD)
}

/// When a waiter whose random draw is `draw` (in `0..1`) is released from `pause`: its end
/// plus that share of the spread.
fn release_at(pause: Pause, draw: f64) -> Instant {
    let spread = release_spread(pause.length).mul_f64(draw.clamp(0.0, 1.0));
    pause.until.checked_add(spread).unwrap_or(pause.until)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The tests run on tokio's paused clock: waits take no real time, and an elapsed time
    // is exactly what the gate waited.
    const MS: Duration = Duration::from_millis(1);

    #[tokio::test(start_paused = true)]
    async fn without_a_pause_wait_returns_at_once() {
        let gate = RateGate::default();
        let before = Instant::now();
        gate.wait(&CancellationToken::new())
            .await
            .expect("never cancelled");
        assert_eq!(
            before.elapsed(),
            Duration::ZERO,
            "the paused clock did not move"
        );
        assert_eq!(gate.remaining(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn the_longest_pause_wins_and_a_shorter_one_does_not_shorten_it() {
        let gate = RateGate::default();
        let before = Instant::now();
        gate.pause_for(300 * MS);
        gate.pause_for(50 * MS);
        assert!(gate.remaining() > 200 * MS, "{:?}", gate.remaining());
        gate.wait(&CancellationToken::new())
            .await
            .expect("never cancelled");
        assert!(before.elapsed() >= 300 * MS, "{:?}", before.elapsed());
        assert_eq!(gate.remaining(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
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

    #[test]
    fn waiters_are_released_spread_over_a_fifth_of_the_pause_at_most_two_seconds() {
        let until = Instant::now() + Duration::from_secs(5);
        let pause = Pause {
            until,
            length: Duration::from_secs(5),
        };
        let released: Vec<Duration> = [0.0, 0.25, 0.5, 0.75, 0.999]
            .iter()
            .map(|draw| release_at(pause, *draw).duration_since(until))
            .collect();
        assert_eq!(released[0], Duration::ZERO, "never before the pause ends");
        assert!(
            released.windows(2).all(|pair| pair[0] < pair[1]),
            "{released:?}"
        );
        assert!(
            released[4] < Duration::from_secs(1),
            "a fifth of 5 s: {released:?}"
        );
        assert_eq!(release_spread(Duration::from_secs(60)), MAX_RELEASE_SPREAD);
        assert_eq!(release_spread(Duration::from_millis(500)), 100 * MS);
    }

    #[tokio::test(start_paused = true)]
    async fn waiters_wake_spread_out_after_the_pause_not_at_one_instant() {
        let gate = std::sync::Arc::new(RateGate::default());
        let ends = Instant::now() + 1000 * MS;
        gate.pause_for(1000 * MS);
        let waiters: Vec<_> = (0..40)
            .map(|_| {
                let gate = std::sync::Arc::clone(&gate);
                tokio::spawn(async move {
                    gate.wait(&CancellationToken::new())
                        .await
                        .expect("never cancelled");
                    Instant::now()
                })
            })
            .collect();
        let mut woke = Vec::new();
        for waiter in waiters {
            woke.push(waiter.await.expect("the waiter finishes"));
        }
        assert!(
            woke.iter().all(|at| *at >= ends),
            "none before the pause ends"
        );
        let first = *woke.iter().min().expect("40 waiters");
        let last = *woke.iter().max().expect("40 waiters");
        // Released over up to 200 ms (a fifth of 1 s): 40 uniform draws all within 40 ms of
        // each other has a chance below 1e-20.
        assert!(
            last.duration_since(first) >= 40 * MS,
            "waiters woke within {:?} of each other",
            last.duration_since(first)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_token_ends_the_wait_for_a_pause_at_once() {
        let gate = std::sync::Arc::new(RateGate::default());
        gate.pause_for(MAX_RETRY_AFTER);
        let cancel = CancellationToken::new();
        let started = Instant::now();
        let waiting = tokio::spawn({
            let (gate, cancel) = (std::sync::Arc::clone(&gate), cancel.clone());
            async move { gate.wait(&cancel).await }
        });
        tokio::task::yield_now().await;
        cancel.cancel();
        assert_eq!(waiting.await.expect("the waiter finishes"), Err(Cancelled));
        assert_eq!(started.elapsed(), Duration::ZERO);
        assert!(gate.remaining() > Duration::ZERO, "the pause itself stays");
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_extended_while_waiting_is_waited_out_too() {
        let gate = std::sync::Arc::new(RateGate::default());
        let before = Instant::now();
        gate.pause_for(100 * MS);
        let extender = std::sync::Arc::clone(&gate);
        tokio::spawn(async move {
            tokio::time::sleep(50 * MS).await;
            extender.pause_for(300 * MS);
        });
        gate.wait(&CancellationToken::new())
            .await
            .expect("never cancelled");
        assert!(before.elapsed() >= 350 * MS, "{:?}", before.elapsed());
    }
}

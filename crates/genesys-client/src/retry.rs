//! When and how long to wait before trying a request again.
//!
//! The rule, in one place:
//! - **429** is retried for every method, POST included: the platform rejected the request
//!   before acting on it. The wait is at least the `Retry-After` header (seconds), and the
//!   whole client pauses for it (the limit is per OAuth client). Rate-limit waits are bounded
//!   by [`RetryPolicy::rate_limit_budget`], not by the attempt count: a rate limit asks the
//!   caller to slow down, it does not say the request is failing.
//! - **502/503/504** and transport failures after the request may have been sent (timeouts,
//!   connections dropped mid-exchange) are retried only for idempotent methods (GET, PUT,
//!   DELETE, HEAD). For POST/PATCH they end the call with
//!   [`ClientError::Ambiguous`](super::ClientError::Ambiguous): the write may have been applied,
//!   so the caller must look before writing again (e.g. find the wrap-up code by name).
//! - A failure to *connect* is retried for every method: nothing reached the server.
//! - Attempts are bounded by [`RetryPolicy::max_attempts`] and the whole call, waits included,
//!   by [`RetryPolicy::max_elapsed`]; a wait that would cross the budget is not started.
//! - Every number here saturates: a `Retry-After` of any size (read by
//!   [`parse_retry_after`](super::numbers::parse_retry_after), clamped to a day) ends the
//!   retries when it crosses the budget, it never overflows.
//! - Every wait (backoff, the rate gate, the token budget, a login retry) ends at once when
//!   the caller's cancellation token fires (see [`waits`](super::waits)) (see
//!   [`GenesysClient::with_cancellation`](super::GenesysClient::with_cancellation)): a request
//!   not yet sent is then not sent, and the call ends with
//!   [`ClientError::Interrupted`](super::ClientError::Interrupted).

use std::time::Duration;

// `http::Method` is what reqwest re-exports; naming it so keeps this file free of reqwest.
use http::Method;

/// Retry limits and backoff shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts per call, the first included (1 = no retries).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles each retry.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff step (Retry-After may ask for more, within the budget).
    pub max_backoff: Duration,
    /// Budget for the whole call, waits included.
    pub max_elapsed: Duration,
    /// Budget for the whole call while it is answered 429: waits for the rate limit to reset
    /// are allowed until the call has taken this long.
    pub rate_limit_budget: Duration,
}

impl Default for RetryPolicy {
    /// Suited to Terraform runs: up to 6 attempts within 2 minutes, 0.5 s doubling to 30 s;
    /// rate limits (one-minute windows on the platform) are waited out for up to 10 minutes.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            rate_limit_budget: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Upper bound of the backoff before retry number `retry` (1-based):
    /// `min(max_backoff, initial_backoff * 2^(retry-1))`.
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff)
    }

    /// Backoff before retry number `retry` with "equal jitter": half the ceiling plus a random
    /// share of the other half, so concurrent clients spread out but never retry at once.
    /// `unit` is a random number in `[0, 1)`.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let ceiling = self.backoff_ceiling(retry);
        let half = ceiling / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// The wait before the next attempt: the `Retry-After` value (plus up to 10 % jitter, at
    /// most 1 s) when the server gave one, else the jittered backoff. `Retry-After: 0` counts
    /// as none, so that it cannot turn retries into a busy loop. Saturates instead of
    /// overflowing, whatever the server asked for.
    pub fn wait_before_retry(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let unit = fastrand::f64();
        match retry_after.filter(|after| !after.is_zero()) {
            Some(after) => {
                after.saturating_add((after / 10).min(Duration::from_secs(1)).mul_f64(unit))
            }
            None => self.backoff(retry, unit),
        }
    }

    /// The wait before the next retry of a failing call, or `None` once attempts or the time
    /// budget ([`max_elapsed`](Self::max_elapsed)) are used up. `elapsed` is the call's time
    /// so far.
    pub fn next_wait(
        &self,
        retries_so_far: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if retries_so_far.saturating_add(1) >= self.max_attempts {
            return None;
        }
        let wait = self.wait_before_retry(retries_so_far.saturating_add(1), retry_after);
        (elapsed.saturating_add(wait) <= self.max_elapsed).then_some(wait)
    }

    /// The wait before retrying a 429, or `None` once it would cross
    /// [`rate_limit_budget`](Self::rate_limit_budget).
    pub fn rate_limit_wait(
        &self,
        retries_so_far: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let wait = self.wait_before_retry(retries_so_far.saturating_add(1), retry_after);
        (elapsed.saturating_add(wait) <= self.rate_limit_budget).then_some(wait)
    }
}

/// Whether `method` may be sent again after the server may have acted on it.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// Statuses that signal a transient server-side condition.
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 502..=504)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(10),
            rate_limit_budget: Duration::from_secs(10),
        }
    }

    #[test]
    fn backoff_ceiling_doubles_then_caps() {
        let p = policy();
        let ceilings: Vec<u64> = (1..=6)
            .map(|n| p.backoff_ceiling(n).as_millis() as u64)
            .collect();
        assert_eq!(ceilings, vec![100, 200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn backoff_ceiling_survives_huge_retry_numbers() {
        assert_eq!(policy().backoff_ceiling(u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn jittered_backoff_stays_between_half_and_full_ceiling() {
        let p = policy();
        assert_eq!(p.backoff(3, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(3, 0.5), Duration::from_millis(300));
        assert!(p.backoff(3, 0.999_999) <= Duration::from_millis(400));
        for _ in 0..200 {
            let wait = p.wait_before_retry(2, None);
            assert!(wait >= Duration::from_millis(100) && wait <= Duration::from_millis(200));
        }
    }

    #[test]
    fn retry_after_wait_is_never_shorter_than_the_header() {
        let p = policy();
        for _ in 0..200 {
            let wait = p.wait_before_retry(1, Some(Duration::from_secs(2)));
            assert!(wait >= Duration::from_secs(2), "{wait:?}");
            assert!(wait <= Duration::from_millis(2200), "{wait:?}");
        }
    }

    #[test]
    fn a_zero_retry_after_falls_back_to_the_backoff() {
        let p = policy();
        for _ in 0..50 {
            let wait = p.wait_before_retry(3, Some(Duration::ZERO));
            assert!(wait >= Duration::from_millis(200), "{wait:?}");
            assert!(wait <= Duration::from_millis(400), "{wait:?}");
        }
    }

    #[test]
    fn retries_stop_at_max_attempts() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..policy()
        };
        assert!(p.next_wait(0, Duration::ZERO, None).is_some());
        assert!(p.next_wait(1, Duration::ZERO, None).is_some());
        assert!(p.next_wait(2, Duration::ZERO, None).is_none());
        assert!(p.next_wait(u32::MAX, Duration::ZERO, None).is_none());
    }

    #[test]
    fn a_wait_beyond_the_time_budget_is_not_started() {
        let p = policy();
        assert!(
            p.next_wait(0, Duration::ZERO, Some(Duration::from_secs(11)))
                .is_none()
        );
        assert!(
            p.next_wait(0, Duration::ZERO, Some(Duration::from_secs(1)))
                .is_some()
        );
        assert!(
            p.next_wait(0, Duration::from_secs(9), Some(Duration::from_secs(2)))
                .is_none()
        );
        assert!(
            p.rate_limit_wait(0, Duration::ZERO, Some(Duration::from_secs(11)))
                .is_none()
        );
        assert!(
            p.rate_limit_wait(0, Duration::ZERO, Some(Duration::from_secs(2)))
                .is_some()
        );
    }

    #[test]
    fn the_largest_waits_saturate_instead_of_overflowing() {
        let p = policy();
        assert_eq!(p.wait_before_retry(1, Some(Duration::MAX)), Duration::MAX);
        assert!(p.next_wait(0, Duration::MAX, None).is_none());
        assert!(
            p.next_wait(0, Duration::ZERO, Some(Duration::MAX))
                .is_none()
        );
        assert!(
            p.rate_limit_wait(u32::MAX, Duration::MAX, Some(Duration::MAX))
                .is_none()
        );
    }

    #[test]
    fn only_reads_and_replaces_are_idempotent() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }

    #[test]
    fn transient_statuses_are_the_gateway_family() {
        let transient: Vec<u16> = (400..600).filter(|s| is_transient_status(*s)).collect();
        assert_eq!(transient, vec![502, 503, 504]);
    }
}

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

use std::time::{Duration, SystemTime};

use reqwest::Method;

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
    /// as none, so that it cannot turn retries into a busy loop.
    pub fn wait_before_retry(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let unit = fastrand::f64();
        match retry_after.filter(|after| !after.is_zero()) {
            Some(after) => after + (after / 10).min(Duration::from_secs(1)).mul_f64(unit),
            None => self.backoff(retry, unit),
        }
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

/// Parses a `Retry-After` header: delay-seconds (integer or decimal) or an HTTP-date.
/// Returns `None` for anything unparsable or negative.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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
    fn retry_after_parses_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn retry_after_rejects_garbage_and_negatives() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-4", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
    }

    #[test]
    fn retry_after_parses_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767);
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 seconds after the epoch.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(10))
        );
        let later = now + Duration::from_secs(60);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later),
            Some(Duration::ZERO)
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

//! The provider's fixed waits for the platform's lag (a data source waiting out search lag, a
//! create adopting a code whose answer was lost, read-backs of a write) are real time in the
//! provider process. End-to-end tests whose waits run out on purpose (a name that never
//! appears, a write the platform drops) would sit through every second of them, so a test-only
//! setting scales them: `GENESYSCLOUD_TEST_WAIT_SCALE`, a factor below 1, read once. Unset (as
//! for every user), or not a number in (0, 1), each wait is its full length: it can only shorten.

use std::sync::OnceLock;
use std::time::Duration;

/// The environment variable the test harness sets to shorten the lag waits.
pub const WAIT_SCALE_VAR: &str = "GENESYSCLOUD_TEST_WAIT_SCALE";

/// `wait` under the test-only scale ([`WAIT_SCALE_VAR`]); `wait` itself when it is unset.
pub fn scaled(wait: Duration) -> Duration {
    static SCALE: OnceLock<Option<f64>> = OnceLock::new();
    match SCALE.get_or_init(|| parse_scale(std::env::var(WAIT_SCALE_VAR).ok().as_deref())) {
        Some(scale) => wait.mul_f64(*scale),
        None => wait,
    }
}

/// A factor in (0, 1), or `None` (full waits) for anything else, 1 included.
fn parse_scale(value: Option<&str>) -> Option<f64> {
    let scale = value?.trim().parse::<f64>().ok()?;
    (scale > 0.0 && scale < 1.0).then_some(scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_factor_below_one_shortens_the_waits() {
        assert_eq!(parse_scale(None), None);
        assert_eq!(parse_scale(Some("0.05")), Some(0.05));
        assert_eq!(parse_scale(Some(" 0.5 ")), Some(0.5));
        for full in ["1", "2", "0", "-0.5", "NaN", "inf", "fast", ""] {
            assert_eq!(parse_scale(Some(full)), None, "{full:?}");
        }
    }
}

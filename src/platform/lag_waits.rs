//! The provider's fixed waits for the platform's lag (a data source waiting out search lag, a
//! create adopting a code whose answer was lost, read-backs of a write) are real time in the
//! provider process. The `lag_wait_percent` setting ([`LagWaits`]) runs each at a percentage
//! of its full length: for a platform with no lag to wait out, such as the local emulator,
//! where a wait that runs out on purpose (a name that never appears, a write the platform
//! drops) need not sit through every second. The platform's views carry it from the
//! configuration to every wait; no wait reads the environment.

use std::time::Duration;

/// The waits before each read that follows a write: the first immediate, the rest covering the
/// platform's read-after-write lag, about 3 s in all. A wrap-up's read-back and the re-reads of
/// a code a queue's listing left out both use them.
pub const READ_AFTER_WRITE_DELAYS: [Duration; 6] = [
    Duration::ZERO,
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
    Duration::from_millis(1500),
];

/// How long the lag waits run, as a percentage of their full length (1 to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LagWaits {
    percent: u32,
}

impl LagWaits {
    /// Every wait at its full length (the default).
    pub const FULL: LagWaits = LagWaits { percent: 100 };

    /// The waits at `percent` of their full length, clamped to 1–100: they can only shorten.
    pub fn percent(percent: u32) -> Self {
        LagWaits {
            percent: percent.clamp(1, 100),
        }
    }

    /// `wait` at this percentage.
    pub fn scaled(self, wait: Duration) -> Duration {
        wait * self.percent / 100
    }
}

impl Default for LagWaits {
    fn default() -> Self {
        LagWaits::FULL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_waits_only_shorten() {
        let wait = Duration::from_secs(15);
        assert_eq!(LagWaits::FULL.scaled(wait), wait);
        assert_eq!(LagWaits::default(), LagWaits::FULL);
        assert_eq!(
            LagWaits::percent(5).scaled(wait),
            Duration::from_millis(750)
        );
        assert_eq!(
            LagWaits::percent(0).scaled(wait),
            Duration::from_millis(150)
        );
        assert_eq!(LagWaits::percent(250).scaled(wait), wait);
    }
}

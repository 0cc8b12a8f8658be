//! Checked, clamped conversions of numbers that come from the network.
//!
//! Nothing a server (or a proxy in front of it) sends may panic the process: a header or a
//! JSON number is read here, out-of-range values are clamped to a stated bound or dropped,
//! and only the result is used in time arithmetic. Depends on std and serde only, so the fuzz
//! targets can compile it on its own.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Deserializer};

/// The longest wait a `Retry-After` is believed to ask for; longer asks are clamped. No retry
/// budget is this long, so a clamped wait still ends the retries as the real one would.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest token lifetime believed: 48 h, the most an OAuth client can be given
/// (`OAuthClientRequest.accessTokenValiditySeconds`: 300 to 172800).
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(48 * 60 * 60);

/// The lifetime assumed when a token response has no usable `expires_in`: short, so the token
/// is renewed early rather than late.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// Whole or fractional seconds as a duration of at most `max`; `None` for negative, NaN or
/// infinite values.
pub fn seconds_f64(secs: f64, max: Duration) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    // Compare before converting: `Duration::from_secs_f64` panics above `u64::MAX` seconds.
    if secs >= max.as_secs_f64() {
        return Some(max);
    }
    Duration::try_from_secs_f64(secs).ok().map(|d| d.min(max))
}

/// Parses a `Retry-After` header value: delay-seconds (an integer of any length, or a decimal)
/// or an HTTP-date (RFC 2822 form, as `Sun, 06 Nov 1994 08:49:37 GMT`). The result is at most
/// [`MAX_RETRY_AFTER`]; a date in the past is zero. `None` for anything unparsable or negative.
pub fn parse_retry_after(value: &[u8], now: SystemTime) -> Option<Duration> {
    let value = std::str::from_utf8(value).ok()?.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time", not garbage.
        let secs = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return seconds_f64(secs, MAX_RETRY_AFTER);
    }
    let date =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    let now_secs = match now.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => i128::from(after.as_secs()),
        Err(before) => -i128::from(before.duration().as_secs()),
    };
    let ahead = i128::from(date.unix_timestamp()) - now_secs;
    let ahead = u64::try_from(ahead.max(0)).unwrap_or(u64::MAX);
    Some(Duration::from_secs(ahead).min(MAX_RETRY_AFTER))
}

/// A token lifetime from the token response's `expires_in`: at most [`MAX_TOKEN_LIFETIME`],
/// zero for a negative value (the token is renewed at its next use), and
/// [`DEFAULT_TOKEN_LIFETIME`] when the field is missing or not a number.
pub fn token_lifetime(expires_in: Option<&serde_json::Value>) -> Duration {
    let Some(number) = expires_in.and_then(serde_json::Value::as_number) else {
        return DEFAULT_TOKEN_LIFETIME;
    };
    if let Some(secs) = number.as_u64() {
        return Duration::from_secs(secs).min(MAX_TOKEN_LIFETIME);
    }
    match number.as_f64() {
        Some(secs) if secs.is_finite() && secs > 0.0 => {
            seconds_f64(secs, MAX_TOKEN_LIFETIME).unwrap_or(DEFAULT_TOKEN_LIFETIME)
        }
        Some(secs) if secs.is_finite() => Duration::ZERO,
        _ => DEFAULT_TOKEN_LIFETIME,
    }
}

/// Serde helpers for informational numbers (paging metadata, `ErrorBody.status`): a value that
/// is not an integer in range reads as absent instead of failing the whole answer, so an odd
/// number can never hide the entities or the error around it.
pub mod lenient {
    use super::*;

    fn integer(value: Option<serde_json::Value>) -> Option<i128> {
        let number = value?.as_number()?.clone();
        if let Some(n) = number.as_i64() {
            return Some(i128::from(n));
        }
        if let Some(n) = number.as_u64() {
            return Some(i128::from(n));
        }
        let f = number.as_f64()?;
        // Only whole floats well inside i128 convert; `2.0` is 2, `2.5` and `1e300` are absent.
        (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e30).then_some(f as i128)
    }

    /// `Option<u16>`: absent unless an integer in `0..=65535`.
    pub fn u16_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        let value = Option::<serde_json::Value>::deserialize(d)?;
        Ok(integer(value).and_then(|n| u16::try_from(n).ok()))
    }

    /// `Option<u32>`: absent unless an integer in `0..=u32::MAX`.
    pub fn u32_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        let value = Option::<serde_json::Value>::deserialize(d)?;
        Ok(integer(value).and_then(|n| u32::try_from(n).ok()))
    }

    /// `Option<u64>`: absent unless an integer in `0..=u64::MAX`.
    pub fn u64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let value = Option::<serde_json::Value>::deserialize(d)?;
        Ok(integer(value).and_then(|n| u64::try_from(n).ok()))
    }

    /// `Option<i64>`: absent unless an integer in the `i64` range.
    pub fn i64_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        let value = Option::<serde_json::Value>::deserialize(d)?;
        Ok(integer(value).and_then(|n| i64::try_from(n).ok()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_values_that_used_to_panic_are_clamped() {
        let now = SystemTime::now();
        for huge in [
            "1e20",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999",
            "1.8e19",
            "1e308",
        ] {
            assert_eq!(
                parse_retry_after(huge.as_bytes(), now),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
    }

    #[test]
    fn retry_after_refuses_negatives_nan_infinity_and_garbage() {
        let now = SystemTime::now();
        for bad in [
            "", " ", "-1", "-1e20", "NaN", "nan", "inf", "-inf", "soon", "0x10", "\u{0}",
        ] {
            assert_eq!(parse_retry_after(bad.as_bytes(), now), None, "{bad:?}");
        }
        assert_eq!(parse_retry_after(&[0xff, 0xfe], now), None);
        assert_eq!(parse_retry_after(b"-0", now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = at(784_111_767);
        assert_eq!(parse_retry_after(b" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(b"1.5", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after(b"Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after(b"Sun, 06 Nov 1994 08:49:37 GMT", at(784_111_777 + 60)),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(b"Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            parse_retry_after(b"Mon, 01 Jan 1900 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn token_lifetimes_are_clamped_and_never_negative() {
        let life = |v: serde_json::Value| token_lifetime(Some(&v));
        assert_eq!(life(json!(86_399)), Duration::from_secs(86_399));
        assert_eq!(life(json!(u64::MAX)), MAX_TOKEN_LIFETIME);
        assert_eq!(life(json!(1e300)), MAX_TOKEN_LIFETIME);
        assert_eq!(life(json!(-5)), Duration::ZERO);
        assert_eq!(life(json!(-1e300)), Duration::ZERO);
        assert_eq!(life(json!(1.5)), Duration::from_millis(1500));
        assert_eq!(life(json!("3600")), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(None), DEFAULT_TOKEN_LIFETIME);
    }

    #[test]
    fn seconds_are_clamped_at_the_bound() {
        let max = Duration::from_secs(10);
        assert_eq!(seconds_f64(9.5, max), Some(Duration::from_millis(9500)));
        assert_eq!(seconds_f64(f64::MAX, max), Some(max));
        assert_eq!(seconds_f64(f64::NAN, max), None);
        assert_eq!(seconds_f64(-0.1, max), None);
    }

    #[derive(serde::Deserialize)]
    struct Meta {
        #[serde(default, deserialize_with = "lenient::u32_opt")]
        count: Option<u32>,
        #[serde(default, deserialize_with = "lenient::i64_opt")]
        value: Option<i64>,
    }

    #[test]
    fn lenient_numbers_read_odd_values_as_absent() {
        let meta = |text: &str| serde_json::from_str::<Meta>(text).expect("always decodes");
        assert_eq!(meta(r#"{"count": 3}"#).count, Some(3));
        assert_eq!(meta(r#"{"count": 3.0}"#).count, Some(3));
        for odd in ["-1", "3.5", "1e20", "4294967296", "\"3\"", "null", "[]"] {
            let m = meta(&format!(r#"{{"count": {odd}, "value": {odd}}}"#));
            assert_eq!(m.count, None, "{odd}");
        }
        assert_eq!(meta(r#"{"value": -7}"#).value, Some(-7));
        assert_eq!(meta(r#"{"value": 18446744073709551615}"#).value, None);
        assert_eq!(meta("{}").count, None);
    }
}

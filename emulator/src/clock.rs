//! Timestamps in the format the Platform API uses (`2024-05-01T12:00:00.000Z`).

use time::OffsetDateTime;
use time::macros::format_description;

/// The current UTC time, ISO-8601 with milliseconds and a `Z` suffix.
pub fn now_iso() -> String {
    iso(OffsetDateTime::now_utc())
}

/// Formats a UTC instant the way the Platform API does.
pub fn iso(at: OffsetDateTime) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.format(&format)
        .expect("formatting a UTC date with a fixed numeric description cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_with_millis_and_zulu_suffix() {
        assert_eq!(
            iso(datetime!(2024-05-01 12:03:04.5 UTC)),
            "2024-05-01T12:03:04.500Z"
        );
    }
}

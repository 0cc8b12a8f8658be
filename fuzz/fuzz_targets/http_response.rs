//! Reads arbitrary bytes as an HTTP response (status line, headers, body) the way the API
//! client reads one: `Retry-After`, the retry wait it leads to, the `ErrorBody`, a token
//! response's `expires_in` and a listing's paging numbers. Nothing may panic, and every wait
//! and lifetime stays inside its stated bound.

#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;

// The client's own files, compiled alone (they depend on std, serde, time, http, fastrand).
// Declared at the root, where they sit in the client crate too, so the models find `numbers`
// at `crate::numbers`.
#[allow(dead_code)]
#[path = "../../crates/genesys-client/src/models/error_body.rs"]
pub mod error_body;
#[allow(dead_code)]
#[path = "../../crates/genesys-client/src/models/listing.rs"]
pub mod listing;
#[allow(dead_code)]
#[path = "../../crates/genesys-client/src/numbers.rs"]
pub mod numbers;
#[allow(dead_code)]
#[path = "../../crates/genesys-client/src/retry.rs"]
pub mod retry;

use error_body::ErrorBody;
use listing::EntityListing;
use numbers::{MAX_RETRY_AFTER, MAX_TOKEN_LIFETIME, parse_retry_after, token_lifetime};
use retry::RetryPolicy;

fuzz_target!(|data: &[u8]| {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let Ok(httparse::Status::Complete(head_len)) = response.parse(data) else {
        return;
    };
    let status = response.code.unwrap_or(0);
    let body = &data[head_len..];
    // A fixed clock, so that a date seed means the same on every run.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_633_600);
    let policy = RetryPolicy::default();
    for header in response.headers.iter() {
        if !header.name.eq_ignore_ascii_case("retry-after") {
            continue;
        }
        let asked = parse_retry_after(header.value, now);
        assert!(asked.is_none_or(|a| a <= MAX_RETRY_AFTER), "{asked:?}");
        let wait = policy.wait_before_retry(1, asked);
        if let Some(asked) = asked.filter(|a| !a.is_zero()) {
            assert!(wait >= asked, "the wait is never shorter than asked");
        }
        for elapsed in [Duration::ZERO, Duration::from_secs(119), Duration::MAX] {
            let _ = policy.next_wait(status.into(), elapsed, asked);
            let _ = policy.rate_limit_wait(u32::MAX, elapsed, asked);
        }
    }
    if let Ok(error) = serde_json::from_slice::<ErrorBody>(body) {
        let _ = error.summary();
    }
    if let Ok(listing) =
        serde_json::from_slice::<EntityListing<serde_json::Value>>(body)
    {
        let _ = listing.page_count.map(|c| c.checked_add(1));
    }
    if let Ok(token) = serde_json::from_slice::<serde_json::Value>(body) {
        assert!(token_lifetime(token.get("expires_in")) <= MAX_TOKEN_LIFETIME);
    }
});

//! The whole client against a server that answers anything: arbitrary `Retry-After` values,
//! token lifetimes and JSON numbers, sent as raw HTTP from a loopback socket. Every call must
//! end in a value or a typed error; a panic anywhere (parsing, retry arithmetic, the rate
//! gate, the token cache, paging) fails the property.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::numbers::{MAX_RETRY_AFTER, parse_retry_after};
use super::{ClientConfig, ClientError, Credentials, GenesysClient, Region, RetryPolicy};

/// One scripted HTTP answer.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: String,
}

impl Answer {
    fn raw(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n",
            self.status,
            self.body.len()
        );
        if let Some(value) = &self.retry_after {
            head.push_str("retry-after: ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let mut raw = head.into_bytes();
        raw.extend_from_slice(self.body.as_bytes());
        raw
    }
}

/// API answers after which the fake server ends any listing with an empty page, so that a
/// client that never stops on its own still ends (and the property reports it).
const SERVER_ENDS_AFTER: usize = 40;

/// Requests a minute the test client may spend on its one token: every 429 tightens it by a
/// tenth, and even after [`SERVER_ENDS_AFTER`] of them (10,000 × 0.9⁴⁰ ≈ 147) it stays above
/// the requests a case can make, so no case waits for the budget's minute.
const TEST_BUDGET_PER_MINUTE: u32 = 10_000;

/// Serves `token` to `/oauth/token` and `api` in turn (the last one repeated, until
/// [`SERVER_ENDS_AFTER`] answers, then an empty page) to everything else; counts API requests.
async fn serve(token: Answer, api: Vec<Answer>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free loopback port");
    let url = format!(
        "http://{}",
        listener
            .local_addr()
            .expect("a bound socket has an address")
    );
    let api_calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&api_calls);
    let empty_page = Answer {
        status: 200,
        retry_after: None,
        body: r#"{"entities":[]}"#.to_owned(),
    };
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let answer = if request.starts_with(b"POST /oauth/token") {
                &token
            } else {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                if n >= SERVER_ENDS_AFTER {
                    &empty_page
                } else {
                    &api[n.min(api.len() - 1)]
                }
            };
            let _ = socket.write_all(&answer.raw()).await;
            let _ = socket.shutdown().await;
        }
    });
    (url, api_calls)
}

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        max_elapsed: Duration::from_millis(40),
        rate_limit_budget: Duration::from_millis(40),
    }
}

async fn client_for(url: &str) -> GenesysClient {
    let config = ClientConfig::new(
        Credentials::client_credentials("props", "props-secret"),
        Region::by_name(Region::DEFAULT).expect("the default region exists"),
    )
    .with_base_url(url)
    .expect("loopback http is allowed")
    .with_retry(policy())
    .with_requests_per_minute(TEST_BUDGET_PER_MINUTE)
    .with_max_tokens(1)
    .with_request_timeout(Duration::from_secs(5));
    GenesysClient::new(config).expect("a client")
}

/// Runs `call` on its own task so a panic is reported with its message.
async fn no_panic<T: Send + 'static>(
    call: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    match tokio::spawn(call).await {
        Ok(value) => value,
        Err(err) => panic!("the client panicked on a server answer: {err}"),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime")
}

/// Number-like text a server or proxy might put in a header or a JSON field.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u128>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        (0u32..400, any::<bool>())
            .prop_map(|(e, neg)| format!("{}1e{e}", if neg { "-" } else { "" })),
        Just("18446744073709551615".to_owned()),
        Just("1e20".to_owned()),
        Just("NaN".to_owned()),
        Just("-0".to_owned()),
    ]
}

/// A `Retry-After` value: numbers, dates near and far, or any visible text.
fn retry_after() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        number_text().prop_map(Some),
        (0i64..253_402_300_799).prop_map(|secs| {
            let date =
                time::OffsetDateTime::from_unix_timestamp(secs).expect("inside the year 9999");
            date.format(&time::format_description::well_known::Rfc2822)
                .ok()
        }),
        "[ -~]{0,40}".prop_map(Some),
    ]
}

/// A body: an ErrorBody or a division with odd numbers in its number fields, or any text.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        (number_text(), number_text()).prop_map(|(status, value)| format!(
            r#"{{"message":"m","code":"bad.request","status":{status},"limit":{{"value":{value}}}}}"#
        )),
        (number_text(), number_text()).prop_map(|(number, count)| format!(
            r#"{{"entities":[{{"id":"d1","name":"Home"}}],"pageNumber":{number},"pageCount":{count},"total":{count},"nextUri":"/x?pageNumber={number}"}}"#
        )),
        Just(r#"{"id":"d1","name":"Home"}"#.to_owned()),
        "[ -~]{0,60}",
    ]
}

fn api_answer() -> impl Strategy<Value = Answer> {
    (
        prop_oneof![
            Just(200u16),
            Just(400),
            Just(404),
            Just(409),
            Just(429),
            Just(503),
            100u16..600
        ],
        retry_after(),
        body(),
    )
        .prop_map(|(status, retry_after, body)| Answer {
            status,
            retry_after,
            body,
        })
}

fn token_answer() -> impl Strategy<Value = Answer> {
    (
        prop_oneof![Just(200u16), Just(429), Just(400)],
        retry_after(),
        number_text(),
    )
        .prop_map(|(status, retry_after, expires_in)| Answer {
            status,
            retry_after,
            body: format!(r#"{{"access_token":"tok","expires_in":{expires_in}}}"#),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Whatever the server answers, reads end in a value or a typed error, and a 429 whose
    /// wait crosses the budget ends at once with the (clamped) wait it asked for.
    #[test]
    fn any_answer_ends_in_a_value_or_an_error(
        token in token_answer(),
        api in proptest::collection::vec(api_answer(), 1..4),
    ) {
        let first = api[0].clone();
        let token_works = token.status == 200
            && serde_json::from_str::<serde_json::Value>(&token.body).is_ok();
        let (home, calls) = runtime().block_on(async move {
            let (url, api_calls) = serve(token, api).await;
            let client = client_for(&url).await;
            let listing = client.clone();
            let home = no_panic(async move { client.divisions().home().await }).await;
            let calls = api_calls.load(Ordering::SeqCst);
            // Paging metadata with odd numbers: must end too (in entities or an error).
            let _ = no_panic(async move { listing.divisions().list_all(None).await }).await;
            (home, calls)
        });
        let asked = first
            .retry_after
            .as_deref()
            .and_then(|v| parse_retry_after(v.as_bytes(), SystemTime::now()));
        if token_works && first.status == 429 && asked.is_some_and(|a| a > Duration::from_secs(1)) {
            // The wait crosses the 40 ms budget: not started, one request, the wait reported.
            match &home {
                Err(ClientError::RateLimited { retry_after, .. }) => {
                    prop_assert_eq!(*retry_after, asked);
                    prop_assert!(retry_after.is_some_and(|a| a <= MAX_RETRY_AFTER));
                }
                other => prop_assert!(false, "expected a rate-limit error, got {:?}", other),
            }
            prop_assert_eq!(calls, 1);
        }
        if token_works && first.status == 404 {
            prop_assert!(home.as_ref().is_err_and(ClientError::is_not_found), "{:?}", home);
        }
    }
}

/// A 200 listing page whose paging numbers (`pageNumber`, `pageCount`, the `nextUri`'s page)
/// may be anything.
fn listing_page() -> impl Strategy<Value = Answer> {
    (number_text(), number_text()).prop_map(|(number, count)| Answer {
        status: 200,
        retry_after: None,
        body: format!(
            r#"{{"entities":[{{"id":"d1","name":"Home"}}],"pageNumber":{number},"pageCount":{count},"total":{count},"nextUri":"/x?pageNumber={number}"}}"#
        ),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A server that repeats its last listing page (whatever page is asked for) costs at most
    /// one request more than the pages it has: the client sees no progress and stops.
    #[test]
    fn a_listing_that_makes_no_progress_stops_by_itself(
        pages in proptest::collection::vec(listing_page(), 1..4),
    ) {
        let distinct = pages.len();
        let token = Answer {
            status: 200,
            retry_after: None,
            body: r#"{"access_token":"tok","expires_in":86399}"#.into(),
        };
        let requests = runtime().block_on(async move {
            let (url, api_calls) = serve(token, pages).await;
            let client = client_for(&url).await;
            let _ = no_panic(async move { client.divisions().list_all(None).await }).await;
            api_calls.load(Ordering::SeqCst)
        });
        prop_assert!(
            requests <= distinct + 1,
            "{} requests for {} distinct pages", requests, distinct
        );
    }
}

#[test]
fn retry_after_values_that_used_to_panic_end_in_a_rate_limit_error() {
    for value in ["1e20", "18446744073709551615", "99999999999999999999999"] {
        let err = runtime().block_on(async move {
            let token = Answer {
                status: 200,
                retry_after: None,
                body: r#"{"access_token":"tok","expires_in":86399}"#.into(),
            };
            let limited = Answer {
                status: 429,
                retry_after: Some(value.to_owned()),
                body: r#"{"message":"slow down","code":"too.many.requests"}"#.into(),
            };
            let (url, api_calls) = serve(token, vec![limited]).await;
            let client = client_for(&url).await;
            let result = no_panic(async move { client.divisions().home().await }).await;
            assert_eq!(api_calls.load(Ordering::SeqCst), 1, "{value}");
            result.expect_err("429 to the end")
        });
        assert!(err.is_rate_limited(), "{value}: {err}");
    }
}

#[test]
fn token_lifetimes_that_used_to_panic_still_give_a_working_token() {
    for expires_in in ["18446744073709551615", "1e300", "-1"] {
        let outcome = runtime().block_on(async move {
            let token = Answer {
                status: 200,
                retry_after: None,
                body: format!(r#"{{"access_token":"tok","expires_in":{expires_in}}}"#),
            };
            let home = Answer {
                status: 200,
                retry_after: None,
                body: r#"{"id":"d1","name":"Home"}"#.into(),
            };
            let (url, _) = serve(token, vec![home]).await;
            let client = client_for(&url).await;
            no_panic(async move { client.divisions().home().await }).await
        });
        assert_eq!(outcome.expect("a home division").id, "d1", "{expires_in}");
    }
}

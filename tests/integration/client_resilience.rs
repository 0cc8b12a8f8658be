//! The API client against the in-process emulator: token reuse and renewal, retries with
//! backoff and Retry-After, retry bounds, and POSTs that are never blindly replayed.

use crate::client_support;

use std::time::{Duration, Instant};

use client_support::*;
use genesys_client::models::WrapupCodeRequest;
use genesys_client::{AmbiguousCause, ClientError, Credentials, LoginError, RetryPolicy};
use genesys_emulator::EmulatorConfig;
use serde_json::json;

#[tokio::test]
async fn one_token_serves_many_requests_including_concurrent_first_calls() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));

    let concurrent: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.divisions().home().await })
        })
        .collect();
    for task in concurrent {
        task.await
            .expect("task completes")
            .expect("home division is readable");
    }
    for _ in 0..12 {
        client
            .divisions()
            .home()
            .await
            .expect("home division is readable");
    }

    let counts = emu.counts().await;
    assert_eq!(counts.of(HOME), 20);
    assert_eq!(
        counts.tokens(),
        1,
        "all 20 requests share one token: {:?}",
        counts.0
    );
}

#[tokio::test]
async fn expired_token_is_renewed_once_and_the_request_retried() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    client.divisions().home().await.expect("first call works");

    emu.expire_tokens().await;
    let home = client
        .divisions()
        .home()
        .await
        .expect("call after expiry works");
    assert!(!home.id.is_empty());

    let counts = emu.counts().await;
    assert_eq!(counts.tokens(), 2, "one renewal: {:?}", counts.0);
    assert_eq!(
        counts.of(HOME),
        3,
        "first call, refused call, retried call: {:?}",
        counts.0
    );
}

/// The login host throttles with `400 invalid_request` and a body carrying both
/// `description` and `error_description`; the client waits and logs in, it does not take the
/// throttle for refused credentials (found by the chaos suite, seed 4).
#[tokio::test]
async fn a_throttled_login_is_retried_not_taken_for_refused_credentials() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(4));
    emu.set_faults(json!({ "login_rate_limited": 2 })).await;
    client
        .divisions()
        .home()
        .await
        .expect("the login succeeds once the throttle lifts");
    emu.expire_tokens().await;
    emu.set_faults(json!({ "login_rate_limited": 1 })).await;
    client
        .divisions()
        .home()
        .await
        .expect("a renewal after a throttle works too");
    let counts = emu.counts().await;
    assert_eq!(counts.tokens(), 5, "3 + 2 login attempts: {:?}", counts.0);
}

/// A login host that keeps throttling past the retries is reported as a throttle, not as
/// refused credentials; and a login at configure time serves the first call (one login).
#[tokio::test]
async fn a_login_throttled_past_the_retries_says_so_and_a_good_login_serves_the_first_call() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    emu.set_faults(json!({ "login_rate_limited": 3 })).await;
    let error = client
        .login()
        .await
        .expect_err("throttled for every attempt");
    assert!(
        matches!(
            error,
            ClientError::Login(LoginError::Throttled {
                status: 400,
                attempts: 3,
                ..
            })
        ),
        "{error:?}"
    );
    assert!(!error.is_unauthorized(), "a throttle is not a refusal");
    let text = error.to_string();
    assert!(text.contains("throttling"), "{text}");
    assert!(!text.contains("rejected"), "{text}");

    let client = emu.client(fast_retries(3));
    client.login().await.expect("the throttle has lifted");
    client.divisions().home().await.expect("home division");
    let counts = emu.counts().await;
    assert_eq!(
        counts.tokens(),
        4,
        "3 throttled, then one login: {:?}",
        counts.0
    );
    assert_eq!(counts.of(HOME), 1, "{:?}", counts.0);
}

#[tokio::test]
async fn short_lived_token_is_renewed_before_it_expires() {
    let emu = start(EmulatorConfig {
        token_ttl: Duration::from_secs(1),
        ..emulator_config()
    })
    .await;
    let client = emu.client(fast_retries(3));
    client.divisions().home().await.expect("first call works");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .divisions()
        .home()
        .await
        .expect("call after the TTL works");

    let counts = emu.counts().await;
    assert_eq!(
        counts.tokens(),
        2,
        "renewed ahead of expiry: {:?}",
        counts.0
    );
    assert_eq!(
        counts.of(HOME),
        2,
        "no request was refused with 401: {:?}",
        counts.0
    );
}

#[tokio::test]
async fn supplied_access_token_is_not_renewed_and_a_401_is_a_clear_error() {
    let emu = start(emulator_config()).await;
    let client = emu.client_with(
        Credentials::access_token("not-a-real-token"),
        fast_retries(3),
    );

    let err = client
        .divisions()
        .home()
        .await
        .expect_err("bogus token is refused");
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.status(), Some(401));
    let text = err.to_string();
    assert!(text.contains("access token"), "{text}");
    assert!(!text.contains("not-a-real-token"), "{text}");

    let counts = emu.counts().await;
    assert_eq!(counts.tokens(), 0);
    assert_eq!(
        counts.of(HOME),
        1,
        "no retry with the same token: {:?}",
        counts.0
    );
}

#[tokio::test]
async fn wrong_client_secret_is_a_login_error_that_never_shows_the_secret() {
    let emu = start(emulator_config()).await;
    let secret = "wrong-secret-do-not-print-7731";
    let client = emu.client_with(
        Credentials::client_credentials(CLIENT_ID, secret),
        fast_retries(3),
    );

    let err = client
        .divisions()
        .home()
        .await
        .expect_err("bad secret is refused");
    assert!(
        matches!(
            err,
            ClientError::Login(LoginError::Rejected { status: 401, .. })
        ),
        "{err:?}"
    );
    assert!(err.is_unauthorized());
    let shown = format!("{err} | {err:?} | {client:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");

    let counts = emu.counts().await;
    assert_eq!(
        counts.tokens(),
        1,
        "a refused login is not retried: {:?}",
        counts.0
    );
    assert_eq!(counts.of(HOME), 0);
}

#[tokio::test]
async fn rate_limit_429_waits_at_least_retry_after_then_succeeds() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    client
        .divisions()
        .home()
        .await
        .expect("warm-up call gets the token");
    emu.set_faults(json!({"rules": [{
        "method": "GET", "path": "/api/v2/authorization/divisions/home",
        "status": 429, "retry_after": 1, "count": 1
    }]}))
    .await;

    let started = Instant::now();
    client
        .divisions()
        .home()
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();

    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    assert!(
        waited < Duration::from_secs(3),
        "waited far too long: {waited:?}"
    );
    assert_eq!(emu.counts().await.of(HOME), 3);
}

#[tokio::test]
async fn service_unavailable_is_retried_then_succeeds() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(4));
    emu.set_faults(json!({"rules": [{
        "method": "GET", "path": "/api/v2/authorization/divisions/home",
        "status": 503, "count": 2
    }]}))
    .await;

    client
        .divisions()
        .home()
        .await
        .expect("third attempt succeeds");
    assert_eq!(emu.counts().await.of(HOME), 3);
}

#[tokio::test]
async fn retries_give_up_after_the_configured_attempts_with_a_typed_error() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    emu.set_faults(json!({"rules": [
        {"method": "GET", "path": "/api/v2/authorization/divisions/home", "status": 503, "count": 100}
    ]}))
    .await;

    let err = client.divisions().home().await.expect_err("never succeeds");
    let failure = err.api_failure().expect("an API status error");
    assert_eq!((failure.status, failure.attempts), (503, 3), "{err}");
    assert!(matches!(err, ClientError::Api(_)), "{err:?}");
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(emu.counts().await.of(HOME), 3);
}

#[tokio::test]
async fn a_rate_limit_that_never_lifts_is_waited_out_until_the_rate_limit_budget_is_spent() {
    let emu = start(emulator_config()).await;
    let budget = Duration::from_millis(600);
    let client = emu.client(RetryPolicy {
        rate_limit_budget: budget,
        ..fast_retries(3)
    });
    emu.set_faults(json!({"rules": [
        {"method": "GET", "path": "/api/v2/routing/wrapupcodes", "status": 429, "retry_after": 0, "count": 1000}
    ]}))
    .await;

    let started = Instant::now();
    let err = client
        .wrapup_codes()
        .list(&Default::default(), 1, 25)
        .await
        .expect_err("never succeeds");
    let elapsed = started.elapsed();
    assert!(err.is_rate_limited(), "{err:?}");
    // Bounded by time, not by max_attempts: a 429 asks to slow down, it is not a failure.
    let attempts = err.api_failure().map(|f| f.attempts).unwrap_or(0);
    assert!(attempts > 3, "only {attempts} attempts");
    assert_eq!(emu.counts().await.of(LIST_CODES), u64::from(attempts));
    assert!(elapsed >= budget / 2, "{elapsed:?}");
    assert!(
        // Margin for the last attempt's round trip on a loaded 2-core machine.
        elapsed <= budget + Duration::from_secs(1),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn one_429_pauses_every_request_of_the_client_until_its_retry_after() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    // Warm the token so both calls below go straight to the API.
    client.divisions().home().await.expect("home division");
    emu.set_faults(json!({"rules": [
        {"method": "GET", "path": "/api/v2/authorization/divisions/home", "status": 429, "retry_after": 1, "count": 1}
    ]}))
    .await;

    let limited = client.clone();
    let started = Instant::now();
    let first = tokio::spawn(async move { limited.divisions().home().await });
    // The 429 was answered before the next request is made.
    emu.wait_for_counts("the 429 answer", |counts| counts.status(429) == 1)
        .await;
    // A different route, sent after the 429: it waits for the same Retry-After.
    client
        .wrapup_codes()
        .list(&Default::default(), 1, 25)
        .await
        .expect("listed once the pause is over");
    let second_done = started.elapsed();
    first
        .await
        .expect("task completes")
        .expect("retried after the pause");
    assert!(
        second_done >= Duration::from_millis(950),
        "the second request went out during the pause: {second_done:?}"
    );
    let counts = emu.counts().await;
    assert_eq!(counts.of(LIST_CODES), 1, "never sent during the pause");
    assert_eq!(counts.of(HOME), 3, "warm-up, the 429, the retry");
}

#[tokio::test]
async fn retry_after_beyond_the_time_budget_gives_up_at_once() {
    let emu = start(emulator_config()).await;
    let client = emu.client(RetryPolicy {
        rate_limit_budget: Duration::from_secs(2),
        ..fast_retries(5)
    });
    emu.set_faults(json!({"rules": [{
        "path": "/api/v2/authorization/divisions/home", "status": 429, "retry_after": 30
    }]}))
    .await;

    let started = Instant::now();
    let err = client
        .divisions()
        .home()
        .await
        .expect_err("budget too small to wait");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    match &err {
        ClientError::RateLimited { retry_after, .. } => {
            assert_eq!(*retry_after, Some(Duration::from_secs(30)))
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(emu.counts().await.of(HOME), 1);
}

#[tokio::test]
async fn create_is_not_replayed_after_a_dropped_connection_and_can_be_found_by_name() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(5));
    emu.set_faults(json!({"drop_connections": [{
        "method": "POST", "path": "/api/v2/routing/wrapupcodes", "count": 1
    }]}))
    .await;

    let request = WrapupCodeRequest::new("Dropped on the way back", None, None);
    let err = client
        .wrapup_codes()
        .create(&request)
        .await
        .expect_err("the answer never arrives");
    assert!(err.is_maybe_applied(), "{err:?}");
    assert!(
        matches!(
            err,
            ClientError::Ambiguous {
                cause: AmbiguousCause::Transport(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        emu.counts().await.of(CREATE_CODE),
        1,
        "POST was not replayed"
    );

    let found = client
        .wrapup_codes()
        .find_by_name("Dropped on the way back")
        .await
        .expect("lookup works");
    assert_eq!(found.len(), 1, "the platform did create it: {found:?}");
}

#[tokio::test]
async fn create_after_a_gateway_error_is_ambiguous_and_not_replayed() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(5));
    emu.set_faults(json!({"rules": [{
        "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 503, "count": 1
    }]}))
    .await;

    let err = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Maybe created", None, None))
        .await
        .expect_err("503 on a POST is not retried");
    assert!(err.is_maybe_applied(), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(emu.counts().await.of(CREATE_CODE), 1);
}

#[tokio::test]
async fn create_rejected_with_429_is_retried() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    emu.set_faults(json!({"rules": [{
        "method": "POST", "path": "/api/v2/routing/wrapupcodes", "status": 429,
        "retry_after": 0, "count": 1
    }]}))
    .await;

    let code = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("Rate limited once", None, None))
        .await
        .expect("retried after the 429");
    assert_eq!(code.name, "Rate limited once");
    assert_eq!(emu.counts().await.of(CREATE_CODE), 2);
}

#[tokio::test]
async fn reads_are_retried_after_a_dropped_connection() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    emu.set_faults(json!({"drop_connections": [{
        "method": "GET", "path": "/api/v2/authorization/divisions/home", "count": 1
    }]}))
    .await;

    client
        .divisions()
        .home()
        .await
        .expect("second attempt succeeds");
    assert_eq!(emu.counts().await.of(HOME), 2);
}

#[tokio::test]
async fn refused_connections_are_retried_for_every_method_then_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let url = format!("http://{}", listener.local_addr().expect("bound address"));
    drop(listener);
    let config = genesys_client::ClientConfig::new(
        Credentials::access_token("t"),
        genesys_client::Region::by_name("us-east-1").expect("known region"),
    )
    .with_base_url(&url)
    .expect("loopback URL")
    .with_retry(fast_retries(3));
    let client = genesys_client::GenesysClient::new(config).expect("builds");

    let err = client
        .wrapup_codes()
        .create(&WrapupCodeRequest::new("never sent", None, None))
        .await
        .expect_err("nothing listens");
    match &err {
        ClientError::Transport { attempts, .. } => assert_eq!(*attempts, 3),
        other => panic!("a refused connection never reached the server: {other:?}"),
    }
    assert!(!err.is_maybe_applied());
}

/// Collects every tracing event as `name=value` text.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Captured {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!(" {}={:?}", field.name(), value));
            }
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                self.0.push_str(&format!(" {}={}", field.name(), value));
            }
        }
        let mut fields = Fields(event.metadata().target().to_owned());
        event.record(&mut fields);
        self.0
            .lock()
            .expect("log lock is never poisoned")
            .push(fields.0);
    }
}

#[tokio::test]
async fn requests_are_logged_with_route_templates_and_never_with_secrets() {
    use tracing_subscriber::layer::SubscriberExt;
    // tracing caches each callsite's interest for the whole process, computed on whichever
    // thread reaches it first: a sibling test thread with no subscriber would pin the client's
    // log callsites to "never" and this capture would miss them. A global no-op registry keeps
    // every callsite live; the scoped subscriber still receives only this thread's events.
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(captured.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let emu = start(emulator_config()).await;
    let token: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/oauth/token", emu.url))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token endpoint reachable")
        .json()
        .await
        .expect("token response is JSON");
    let token = token["access_token"].as_str().expect("a token").to_owned();

    let by_secret = emu.client(fast_retries(2));
    let by_token = emu.client_with(Credentials::access_token(token.clone()), fast_retries(2));
    let missing = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let err = by_secret
        .wrapup_codes()
        .get(missing)
        .await
        .expect_err("no such code");
    assert!(err.is_not_found());
    by_token.divisions().home().await.expect("token works");

    let lines = captured
        .0
        .lock()
        .expect("log lock is never poisoned")
        .clone();
    let client_lines: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("genesys_client"))
        .collect();
    assert!(
        client_lines
            .iter()
            .any(|l| l.contains("route=/api/v2/routing/wrapupcodes/{codeId}")
                && l.contains("status=404")
                && l.contains("duration_ms=")
                && l.contains("correlation_id=")),
        "{client_lines:#?}"
    );
    assert!(
        client_lines
            .iter()
            .any(|l| l.contains("route=/oauth/token") && l.contains("status=200")),
        "{client_lines:#?}"
    );
    for line in &lines {
        assert!(!line.contains(CLIENT_SECRET), "{line}");
        assert!(!line.contains(&token), "{line}");
        assert!(
            !line.contains(missing) || !line.starts_with("genesys_client"),
            "{line}"
        );
    }
}

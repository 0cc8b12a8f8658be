//! The client's cancellation token: once it fires, every wait of a call made through the
//! handle ends at once (the wait for a 429's pause, for the token budget, for a login retry)
//! and a write not yet sent is never sent, while a write already on its way is seen through to
//! its answer. Handles without the token (the same client) are not affected.

use std::time::Duration;

use crate::client_support::*;
use genesys_client::models::WrapupCodeRequest;
use genesys_client::{ClientError, Credentials, GenesysClient};
use serde_json::json;
use tfplugin_framework::CancellationToken;

const CREATE: &str = "POST /api/v2/routing/wrapupcodes";
const LOGIN: &str = "POST /oauth/token";

/// Polls until `done` holds (the emulator's counter is the only clock these tests use).
async fn until(mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..3000 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out");
}

/// Starts creating a code through `client` in a task of its own.
fn creating(
    client: &GenesysClient,
    name: &'static str,
) -> tokio::task::JoinHandle<Result<genesys_client::models::WrapupCode, ClientError>> {
    let client = client.clone();
    tokio::spawn(async move {
        client
            .wrapup_codes()
            .create(&WrapupCodeRequest::new(name, None, None))
            .await
    })
}

#[tokio::test]
async fn a_write_waiting_out_a_429_is_not_sent_again_after_a_stop() {
    let emu = start(emulator_config()).await;
    let client = emu.client(fast_retries(3));
    let cancel = CancellationToken::new();
    emu.set_faults(json!({"rules": [{
        "method": "POST", "path": "/api/v2/routing/wrapupcodes",
        "status": 429, "retry_after": 3, "count": 1
    }]}))
    .await;
    let create = creating(
        &client.with_cancellation(cancel.clone()),
        "Never sent twice",
    );
    until(async || emu.counts().await.of(CREATE) == 1).await;
    cancel.cancel();
    // Without the stop the 3 s wait would end in a second POST, which the rule lets through.
    let error = create
        .await
        .expect("the task completes")
        .expect_err("the retry is not sent");
    assert!(
        matches!(error, ClientError::Interrupted { .. }),
        "{error:?}"
    );
    assert_eq!(emu.counts().await.of(CREATE), 1, "one POST, answered 429");
    let listed = client
        .wrapup_codes()
        .list_all(&Default::default())
        .await
        .expect("a handle without the token still works");
    assert!(listed.is_empty(), "nothing was created: {listed:?}");
}

#[tokio::test]
async fn a_write_waiting_for_the_token_budget_is_not_sent_after_a_stop() {
    let emu = start(emulator_config()).await;
    let config = emu
        .config(
            Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET),
            fast_retries(3),
        )
        .with_requests_per_minute(1)
        .with_max_tokens(1);
    let cancel = CancellationToken::new();
    let client = GenesysClient::new(config)
        .expect("client builds")
        .with_cancellation(cancel.clone());
    client
        .divisions()
        .home()
        .await
        .expect("the budget's one request of the minute");
    // The create now waits about a minute for the budget; the stop must end that wait.
    let create = creating(&client, "Waits for the budget");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!create.is_finished(), "the create waits for the budget");
    cancel.cancel();
    let error = create
        .await
        .expect("the task completes")
        .expect_err("the create is not sent");
    assert!(
        matches!(error, ClientError::Interrupted { .. }),
        "{error:?}"
    );
    assert_eq!(emu.counts().await.of(CREATE), 0, "no POST went out");
}

#[tokio::test]
async fn a_login_waiting_to_retry_ends_at_a_stop() {
    let emu = start(emulator_config()).await;
    emu.set_faults(json!({"rules": [{
        "method": "POST", "path": "/oauth/token",
        "status": 429, "retry_after": 15, "count": 1
    }]}))
    .await;
    let cancel = CancellationToken::new();
    let client = emu
        .client(fast_retries(3))
        .with_cancellation(cancel.clone());
    let create = creating(&client, "Never logged in for");
    until(async || emu.counts().await.of(LOGIN) == 1).await;
    cancel.cancel();
    let error = create
        .await
        .expect("the task completes")
        .expect_err("the login is not retried");
    assert!(
        matches!(error, ClientError::Interrupted { .. }),
        "{error:?}"
    );
    let counts = emu.counts().await;
    assert_eq!(counts.of(LOGIN), 1, "no second login");
    assert_eq!(counts.of(CREATE), 0);
}

#[tokio::test]
async fn a_write_already_sent_when_the_stop_comes_is_answered() {
    let emu = start(emulator_config()).await;
    let cancel = CancellationToken::new();
    let client = emu
        .client(fast_retries(3))
        .with_cancellation(cancel.clone());
    client
        .divisions()
        .home()
        .await
        .expect("warm-up gets the token");
    emu.set_faults(json!({"answer_latency_ms": 1500})).await;
    let create = creating(&client, "Landed before the stop");
    until(async || emu.counts().await.of(CREATE) == 1).await;
    cancel.cancel();
    let code = create
        .await
        .expect("the task completes")
        .expect("the answer of a sent write is awaited");
    assert_eq!(code.name, "Landed before the stop");
    assert_eq!(emu.counts().await.of(CREATE), 1);
}

//! The client's stop check: once the caller asks to stop, a write not yet sent is never sent
//! (not even the retry of a 429, which the platform did not act on), while a write already on
//! its way is seen through to its answer and reads still go out (they settle what a write did).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::client_support::*;
use genesys_client::ClientError;
use genesys_client::models::WrapupCodeRequest;
use serde_json::json;

const CREATE: &str = "POST /api/v2/routing/wrapupcodes";

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

static RETRY_STOPPED: AtomicBool = AtomicBool::new(false);

#[tokio::test]
async fn a_write_waiting_out_a_429_is_not_sent_again_after_a_stop_but_reads_still_go_out() {
    let emu = start(emulator_config()).await;
    let client = emu.stoppable_client(fast_retries(3), || RETRY_STOPPED.load(Ordering::SeqCst));
    emu.set_faults(json!({"rules": [{
        "method": "POST", "path": "/api/v2/routing/wrapupcodes",
        "status": 429, "retry_after": 3, "count": 1
    }]}))
    .await;
    let create = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .wrapup_codes()
                .create(&WrapupCodeRequest::new("Never sent twice", None, None))
                .await
        }
    });
    until(async || emu.counts().await.of(CREATE) == 1).await;
    RETRY_STOPPED.store(true, Ordering::SeqCst);
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
        .expect("reads are still sent after a stop");
    assert!(listed.is_empty(), "nothing was created: {listed:?}");
}

static IN_FLIGHT_STOPPED: AtomicBool = AtomicBool::new(false);

#[tokio::test]
async fn a_write_already_sent_when_the_stop_comes_is_answered() {
    let emu = start(emulator_config()).await;
    let client = emu.stoppable_client(fast_retries(3), || IN_FLIGHT_STOPPED.load(Ordering::SeqCst));
    client
        .divisions()
        .home()
        .await
        .expect("warm-up gets the token");
    emu.set_faults(json!({"answer_latency_ms": 1500})).await;
    let create = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .wrapup_codes()
                .create(&WrapupCodeRequest::new(
                    "Landed before the stop",
                    None,
                    None,
                ))
                .await
        }
    });
    until(async || emu.counts().await.of(CREATE) == 1).await;
    IN_FLIGHT_STOPPED.store(true, Ordering::SeqCst);
    let code = create
        .await
        .expect("the task completes")
        .expect("the answer of a sent write is awaited");
    assert_eq!(code.name, "Landed before the stop");
    assert_eq!(emu.counts().await.of(CREATE), 1);
}

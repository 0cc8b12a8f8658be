//! The client's budget per token against the in-process emulator: by default it is the org's
//! own limit, read once and only when a job comes near the platform's default of 300; a
//! refused read keeps 300; a configured budget never reads it. Counted with the emulator's
//! request counter.

use genesys_client::{Credentials, GenesysClient};
use genesys_emulator::EmulatorConfig;

use crate::client_support::*;

const ORG_LIMITS: &str = "GET /api/v2/organizations/limits/namespaces/{namespaceName}";

fn limited(per_minute: Option<u32>) -> EmulatorConfig {
    EmulatorConfig {
        rate_limit_per_minute: per_minute,
        ..emulator_config()
    }
}

async fn reads(client: &GenesysClient, n: usize) {
    for _ in 0..n {
        client
            .divisions()
            .home()
            .await
            .expect("the home division reads");
    }
}

fn too_many(counts: &Counts) -> u64 {
    counts.0["statuses"]["429"].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn the_orgs_higher_limit_is_read_once_near_the_default_and_serves_the_job_on_one_token() {
    let emu = start(limited(Some(1000))).await;
    let client = emu.client(fast_retries(3));
    assert_eq!(client.requests_per_minute(), 300, "the default until read");

    reads(&client, 269).await;
    assert_eq!(
        emu.counts().await.of(ORG_LIMITS),
        0,
        "a job below 270 pays nothing"
    );

    reads(&client, 331).await;
    let counts = emu.counts().await;
    assert_eq!(counts.of(ORG_LIMITS), 1, "read once, at the 270th request");
    assert_eq!(
        client.requests_per_minute(),
        1000,
        "the emulator's --rate-limit"
    );
    assert_eq!(counts.of(HOME), 600);
    assert_eq!(counts.tokens(), 1, "600 requests fit in one token's 1000");
    assert_eq!(client.token_pool_size(), 1);
    assert_eq!(counts.total(), 1 + 1 + 600, "login + org limits + reads");
    assert_eq!(too_many(&counts), 0);
}

#[tokio::test]
async fn a_refused_org_limit_keeps_300_and_is_not_asked_again() {
    let emu = start(limited(None)).await;
    emu.set_faults(serde_json::json!({"rules": [{
        "method": "GET",
        "path": "/api/v2/organizations/limits/namespaces/{namespaceName}",
        "status": 403,
        "count": 10,
    }]}))
    .await;
    let client = emu.client(fast_retries(3));

    reads(&client, 400).await;
    let counts = emu.counts().await;
    assert_eq!(
        counts.of(ORG_LIMITS),
        1,
        "a 403 is not retried nor asked again"
    );
    assert_eq!(client.requests_per_minute(), 300, "the platform's default");
    assert_eq!(counts.of(HOME), 400);
    assert_eq!(
        counts.tokens(),
        2,
        "past 300 in a minute the pool takes a second token"
    );
    assert_eq!(client.token_pool_size(), 2);
}

#[tokio::test]
async fn a_configured_budget_never_reads_the_org_limit() {
    let emu = start(limited(Some(1000))).await;
    let config = emu
        .config(
            Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET),
            fast_retries(3),
        )
        .with_requests_per_minute(300);
    let client = GenesysClient::new(config).expect("client builds");

    reads(&client, 320).await;
    let counts = emu.counts().await;
    assert_eq!(counts.of(ORG_LIMITS), 0);
    assert_eq!(client.requests_per_minute(), 300);
    assert_eq!(
        counts.tokens(),
        2,
        "the configured 300 per token, not the org's 1000"
    );
}

#[tokio::test]
async fn ten_requests_meeting_one_429_window_cut_the_budget_once() {
    let emu = start(limited(None)).await;
    let config = emu
        .config(
            Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET),
            fast_retries(3),
        )
        .with_requests_per_minute(600);
    let client = GenesysClient::new(config).expect("client builds");
    reads(&client, 1).await;
    // Each request is held 300 ms before it is answered, so all ten are under way when the
    // first 429 arrives: they met one window of the platform's limit, not ten.
    emu.set_faults(serde_json::json!({
        "latency_ms": 300,
        "rules": [{
            "method": "GET",
            "path": "/api/v2/authorization/divisions/home",
            "status": 429,
            "retry_after": 1,
            "count": 10,
        }],
    }))
    .await;
    let parallel = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.divisions().home().await })
    });
    for read in futures_util::future::join_all(parallel).await {
        read.expect("the task finishes")
            .expect("read once the pause is over");
    }
    let counts = emu.counts().await;
    assert_eq!(too_many(&counts), 10);
    assert_eq!(
        counts.of(HOME),
        1 + 10 + 10,
        "warm-up, ten 429s, ten retries"
    );
    assert_eq!(
        client.requests_per_minute(),
        540,
        "one pause cuts the budget by a tenth once (ten cuts would leave 212)"
    );
}

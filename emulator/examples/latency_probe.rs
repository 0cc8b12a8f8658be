//! Benchmark helper (not a test): how long the emulator takes to answer one request at a time,
//! from a client that adds next to nothing (one kept-alive connection, the body read as bytes
//! and not decoded). It logs in, then SAMPLES times in turn: a details-query page of 100
//! (spread over the pages of the interval), the multi-get of that page's 100 ids, and one
//! wrap-up write on the page. Prints one JSON line: min, median and 95th percentile of each,
//! in milliseconds.
//!
//!   cargo run --release -p genesys-emulator --example latency_probe -- URL INTERVAL CODE_ID CONVERSATIONS [SAMPLES]

use std::time::Instant;

use serde_json::{Value, json};

#[path = "support/calls.rs"]
mod calls;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Milliseconds: (min, median, 95th percentile).
fn stats(mut values: Vec<f64>) -> Value {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() as f64 * q) as usize).min(values.len() - 1)];
    json!({"min_ms": values[0], "p50_ms": at(0.5), "p95_ms": at(0.95)})
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, interval, code, conversations, rest @ ..] = args.as_slice() else {
        return Err("usage: latency_probe URL INTERVAL CODE_ID CONVERSATIONS [SAMPLES]".into());
    };
    let samples: usize = rest.first().map_or(Ok(100), |s| s.parse())?;
    let pages = (conversations.parse::<usize>()? / 100).max(1);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .tcp_nodelay(true)
        .build()?;
    let token = calls::log_in(&http, url).await?;
    let (mut query, mut multi, mut write) = (Vec::new(), Vec::new(), Vec::new());
    for sample in 0..samples {
        let page = 1 + (sample * 7919) % pages;
        let started = Instant::now();
        let body = calls::details_page(&http, url, &token, interval, page)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        query.push(started.elapsed().as_secs_f64() * 1000.0);
        // Decoded outside the timing: the ids for the multi-get and a participant to write.
        let answer: Value = serde_json::from_slice(&body)?;
        let found = answer["conversations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let ids: Vec<&str> = found
            .iter()
            .filter_map(|c| c["conversationId"].as_str())
            .collect();
        let started = Instant::now();
        http.get(format!(
            "{url}/api/v2/analytics/conversations/details?id={}",
            ids.join(",")
        ))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
        multi.push(started.elapsed().as_secs_f64() * 1000.0);
        let one = &found[sample % found.len().max(1)];
        let target = calls::agent_targets(one)
            .into_iter()
            .next()
            .ok_or("no agent participant")?;
        let started = Instant::now();
        calls::wrapup_post(&http, url, &token, &target, code, "probe")
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        write.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "{}",
        json!({
            "query_page": stats(query),
            "multi_get_100": stats(multi),
            "write": stats(write),
        })
    );
    Ok(())
}

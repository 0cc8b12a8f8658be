//! Benchmark helper (not a test): how long the emulator takes to serve a back-fill's calls
//! when the client does nothing else. It logs in, pages the details query over an interval
//! (100 a page) and, `--concurrency` at a time, posts each agent participant's wrap-up and
//! reads it back: the same calls, in the same numbers, as the back-fill action. Prints one
//! JSON line: calls, seconds.
//!
//!   cargo run --release -p genesys-emulator --example serve_floor -- URL INTERVAL CODE_ID [CONCURRENCY]

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use tokio::sync::Semaphore;

#[path = "support/calls.rs"]
mod calls;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, interval, code, rest @ ..] = args.as_slice() else {
        return Err("usage: serve_floor URL INTERVAL CODE_ID [CONCURRENCY]".into());
    };
    let concurrency: usize = rest.first().map_or(Ok(40), |c| c.parse())?;
    let http = reqwest::Client::new();
    let started = Instant::now();
    let token = calls::log_in(&http, url).await?;
    let mut sent = 1u64;
    let mut targets = Vec::new();
    for page in 1.. {
        let answer: Value = calls::details_page(&http, url, &token, interval, page)
            .send()
            .await?
            .json()
            .await?;
        sent += 1;
        let conversations = answer["conversations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        targets.extend(conversations.iter().flat_map(calls::agent_targets));
        if conversations.len() < 100 {
            break;
        }
    }
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for target in targets {
        let permit = gate.clone().acquire_owned().await?;
        let (http, url, token, code) = (http.clone(), url.clone(), token.clone(), code.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let post = calls::wrapup_post(&http, &url, &token, &target, &code, "floor")
                .send()
                .await?;
            let (conversation, participant, _) = &target;
            let read = http
                .get(format!(
                    "{url}/api/v2/conversations/{conversation}/participants/{participant}/wrapup"
                ))
                .bearer_auth(&token)
                .send()
                .await?;
            Ok::<bool, reqwest::Error>(post.status().is_success() && read.status().is_success())
        });
    }
    let mut failed = 0u64;
    while let Some(done) = tasks.join_next().await {
        sent += 2;
        if !matches!(done, Ok(Ok(true))) {
            failed += 1;
        }
    }
    println!(
        "{}",
        json!({"calls": sent, "failed": failed, "seconds": started.elapsed().as_secs_f64()})
    );
    Ok(())
}

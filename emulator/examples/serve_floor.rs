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

#[path = "support/login.rs"]
mod login;

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
    let token = login::log_in(&http, url).await?;
    let mut calls = 1u64;
    let mut targets = Vec::new();
    for page in 1.. {
        let answer: Value = http
            .post(format!(
                "{url}/api/v2/analytics/conversations/details/query"
            ))
            .bearer_auth(&token)
            .json(&json!({
                "interval": interval, "order": "asc", "orderBy": "conversationStart",
                "paging": {"pageSize": 100, "pageNumber": page}
            }))
            .send()
            .await?
            .json()
            .await?;
        calls += 1;
        let conversations = answer["conversations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for c in &conversations {
            for p in c["participants"].as_array().into_iter().flatten() {
                if p["purpose"] == "agent" {
                    targets.push((
                        c["conversationId"].as_str().unwrap_or_default().to_owned(),
                        p["participantId"].as_str().unwrap_or_default().to_owned(),
                        p["sessions"][0]["sessionId"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    ));
                }
            }
        }
        if conversations.len() < 100 {
            break;
        }
    }
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (conversation, participant, communication) in targets {
        let permit = gate.clone().acquire_owned().await?;
        let (http, url, token, code) = (http.clone(), url.clone(), token.clone(), code.clone());
        tasks.spawn(async move {
            let _permit = permit;
            let post = http
                .post(format!(
                    "{url}/api/v2/conversations/calls/{conversation}/participants/{participant}/communications/{communication}/wrapup"
                ))
                .bearer_auth(&token)
                .json(&json!({"code": code, "notes": "floor"}))
                .send()
                .await?;
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
        calls += 2;
        if !matches!(done, Ok(Ok(true))) {
            failed += 1;
        }
    }
    println!(
        "{}",
        json!({"calls": calls, "failed": failed, "seconds": started.elapsed().as_secs_f64()})
    );
    Ok(())
}

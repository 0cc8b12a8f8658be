use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::Notify;

use super::{CancellationToken, Diagnostics, Schema};
use crate::cty::Value;

/// Input to [`Action::plan`] and [`Action::invoke`].
#[derive(Debug, Clone)]
pub struct ActionRequest {
    /// The action's `config {}` value (may contain unknowns at plan time).
    pub config: Value,
    /// Fired by StopProvider: every wait of this operation selects on it (see `stop.rs`).
    pub cancel: CancellationToken,
}

/// How many progress messages may wait for Terraform before new ones replace the newest
/// waiting one.
pub const PROGRESS_BACKLOG: usize = 8;

/// Where an invoked action sends progress messages shown by Terraform. Sending never waits:
/// a Terraform that reads slowly must not stall the work. At most [`PROGRESS_BACKLOG`]
/// messages wait; beyond that a new message replaces the newest waiting one, so the first
/// steps and the latest one are shown and the ones between are dropped. The action's result
/// is not a progress message and is never dropped.
#[derive(Debug, Clone)]
pub struct ProgressSink(Arc<ProgressQueue>);

/// The receiving end of a [`ProgressSink`], read by the server.
#[derive(Debug)]
pub struct ProgressFeed(Arc<ProgressQueue>);

#[derive(Debug, Default)]
struct ProgressQueue {
    pending: Mutex<Pending>,
    ready: Notify,
}

#[derive(Debug, Default)]
struct Pending {
    messages: VecDeque<String>,
    dropped: u64,
    closed: bool,
}

/// A connected sink and feed.
pub fn progress_channel() -> (ProgressSink, ProgressFeed) {
    let queue = Arc::new(ProgressQueue::default());
    (ProgressSink(Arc::clone(&queue)), ProgressFeed(queue))
}

impl ProgressSink {
    /// Queues one progress message and returns at once (see [`ProgressSink`]); ignored once
    /// the action has completed.
    pub async fn progress(&self, message: impl Into<String>) {
        self.send(message.into());
    }

    fn send(&self, message: String) {
        let mut pending = self.0.lock();
        if pending.closed {
            return;
        }
        if pending.messages.len() >= PROGRESS_BACKLOG {
            pending.messages.pop_back();
            pending.dropped += 1;
        }
        pending.messages.push_back(message);
        drop(pending);
        self.0.ready.notify_one();
    }
}

impl ProgressFeed {
    /// The next waiting message; waits for one while the feed is open, `None` once it is
    /// closed and drained.
    pub async fn next(&self) -> Option<String> {
        loop {
            {
                let mut pending = self.0.lock();
                if let Some(message) = pending.messages.pop_front() {
                    return Some(message);
                }
                if pending.closed {
                    return None;
                }
            }
            self.0.ready.notified().await;
        }
    }

    /// Ends the feed: messages sent from now on are ignored, waiting ones are still read.
    pub fn close(&self) {
        self.0.lock().closed = true;
        self.0.ready.notify_one();
    }

    /// How many messages were replaced while Terraform read slowly.
    pub fn dropped(&self) -> u64 {
        self.0.lock().dropped
    }
}

impl ProgressQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        // Plain data: a panic elsewhere cannot leave it inconsistent.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A Terraform action (Terraform 1.14+). One implementation per type, in `src/actions/`.
#[async_trait]
pub trait Action: Send + Sync + 'static {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    async fn validate(&self, _config: &Value) -> Diagnostics {
        Diagnostics::default()
    }
    /// Checks the action can run, during `plan`.
    async fn plan(&self, _request: ActionRequest) -> Diagnostics {
        Diagnostics::default()
    }
    /// Runs the action, sending progress; the returned diagnostics complete it.
    async fn invoke(&self, request: ActionRequest, progress: ProgressSink) -> Diagnostics;
}

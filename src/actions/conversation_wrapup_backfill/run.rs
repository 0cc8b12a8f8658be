//! The back-fill run: the details query read a page at a time, each selected participant
//! resolved and written through the single wrap-up's code (so each write is proven the same
//! way), as many at once as the token pool can serve, with progress every few seconds.
//!
//! Nothing is held per conversation beyond the page in hand and the writes in flight, so
//! memory stays flat from a thousand conversations to a hundred thousand.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use genesys_client::models::{AnalyticsConversation, Conversation};
use tfplugin_framework::{CancellationToken, ProgressSink};
use tokio::time::Instant;

use super::model::BackfillJob;
use super::platform_link::{
    DesiredWrapup, RunLookups, TargetChoice, WrapupDiagnostics, WrapupError, apply_resolved,
    conversation_from_view, resolve_wrapup,
};
use super::select::{Pick, picks};
use super::tally::{Done, Outcome, Tally};
use crate::platform::{DetailsStream, PlatformError, ReadAheadStream};

/// How the run paces and reports itself.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    /// Participants resolved and written at once.
    pub concurrency: usize,
    /// How often progress is reported.
    pub progress_every: Duration,
    /// Waits between read-backs of one write (the single wrap-up's).
    pub verify_delays: &'static [Duration],
}

/// Why the run did not start writing, or ended early.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// More conversations match than `max_conversations` allows.
    #[error(
        "{matched} conversations have participants to write, more than max_conversations = \
         {cap}; nothing was written. Narrow the interval or the filters, or raise the cap."
    )]
    OverCap { matched: String, cap: u64 },
    /// The details query failed.
    #[error("the analytics details query failed: {0:?}")]
    Query(PlatformError),
}

/// What a finished (or stopped) run reports.
#[derive(Debug)]
pub struct RunReport {
    pub tally: Tally,
    /// Details-query pages read, the cap's counting walk included.
    pub pages: u64,
    pub stopped: bool,
    pub elapsed: Duration,
    /// A query that failed part-way: what was done before is in the tally.
    pub query_error: Option<PlatformError>,
    /// A dry run over more conversations than the cap: how many it found.
    pub over_cap: Option<u64>,
}

/// Counts the conversations with participants to write, up to one past `cap`.
async fn matching(
    job: &BackfillJob,
    stream: &mut DetailsStream,
    cap: u64,
) -> Result<u64, PlatformError> {
    let mut matched = 0;
    while let Some(page) = stream.next_page().await? {
        matched += page
            .iter()
            .filter(|c| {
                picks(job, c)
                    .iter()
                    .any(|p| matches!(p, Pick::Write { .. }))
            })
            .count() as u64;
        if matched > cap {
            break;
        }
    }
    Ok(matched)
}

/// One unit of work: a selected participant of a page's conversation.
struct Work {
    conversation_id: String,
    view: Option<Arc<Conversation>>,
    pick: Pick,
}

/// The pages being walked and the work they yield, with the counters the run reads.
struct Feed {
    job: BackfillJob,
    /// Read a page ahead, so the writes in flight never wait for the next page.
    stream: ReadAheadStream,
    queued: VecDeque<Work>,
    first: Option<Vec<AnalyticsConversation>>,
    examined: Arc<AtomicU64>,
    pages: Arc<AtomicU64>,
    stopped: Arc<AtomicBool>,
    query_error: Arc<std::sync::Mutex<Option<PlatformError>>>,
    /// Fired by a stop: no page is read and no participant taken after it.
    cancel: CancellationToken,
}

/// The next participant to process, reading the next page when the last one is used up;
/// `None` at the end, on a stop request, or when the query fails.
async fn next_work(mut feed: Feed) -> Option<(Work, Feed)> {
    loop {
        if feed.cancel.is_cancelled() {
            feed.stopped.store(true, Ordering::SeqCst);
            return None;
        }
        if let Some(work) = feed.queued.pop_front() {
            return Some((work, feed));
        }
        let page = match feed.first.take() {
            Some(page) => Some(page),
            None => match feed.stream.next_page().await {
                Ok(page) => page,
                Err(PlatformError::Stopped(_)) => {
                    feed.stopped.store(true, Ordering::SeqCst);
                    return None;
                }
                Err(error) => {
                    *feed
                        .query_error
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(error);
                    return None;
                }
            },
        };
        let page = page?;
        feed.pages.fetch_add(1, Ordering::Relaxed);
        feed.examined
            .fetch_add(page.len() as u64, Ordering::Relaxed);
        let job = feed.job.clone();
        queue_page(&job, page, &mut feed);
    }
}

fn queue_page(job: &BackfillJob, page: Vec<AnalyticsConversation>, feed: &mut Feed) {
    for conversation in page {
        let selected = picks(job, &conversation);
        if selected.is_empty() {
            continue;
        }
        let view = conversation_from_view(&conversation).map(Arc::new);
        for pick in selected {
            feed.queued.push_back(Work {
                conversation_id: conversation.conversation_id.clone(),
                view: view.clone(),
                pick,
            });
        }
    }
}

fn classify(error: &WrapupError) -> Outcome {
    if let WrapupError::Platform {
        error: PlatformError::Stopped(_),
        ..
    } = error
    {
        return Outcome::NotSent;
    }
    let diagnostics = error.diagnostics();
    let reason = diagnostics
        .0
        .first()
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .unwrap_or_else(|| error.to_string());
    match error {
        WrapupError::ConversationNotFound { .. }
        | WrapupError::ParticipantNotFound { .. }
        | WrapupError::AmbiguousParticipant { .. }
        | WrapupError::CommunicationNotFound { .. }
        | WrapupError::AmbiguousCommunication { .. }
        | WrapupError::WrapupNotRequired { .. }
        | WrapupError::NotAwaitingWrapup { .. }
        | WrapupError::CodeNotAllowed { .. }
        | WrapupError::CodeUnknown { .. }
        | WrapupError::CodeAmbiguous { .. } => Outcome::Refused(reason),
        _ => Outcome::Failed(reason),
    }
}

/// Resolves, writes and proves one participant's wrap-up (or only resolves, in a dry run).
async fn process(
    job: &BackfillJob,
    lookups: &RunLookups,
    settings: RunSettings,
    cancel: &CancellationToken,
    work: Work,
) -> Done {
    let (participant_id, communication_id) = match work.pick {
        Pick::Skip(reason) => {
            return Done {
                conversation_id: work.conversation_id,
                participant_id: String::new(),
                outcome: Outcome::Skipped(reason),
            };
        }
        Pick::Write {
            participant_id,
            communication_id,
        } => (participant_id, communication_id),
    };
    let spec = DesiredWrapup {
        target: TargetChoice {
            conversation_id: work.conversation_id.clone(),
            participant_id: Some(participant_id.clone()),
            communication_id: Some(communication_id),
        },
        code: job.code.clone(),
        notes: job.notes.clone(),
        tags: None,
        duration_seconds: None,
    };
    let api = lookups.for_conversation(work.view.as_deref().cloned());
    let outcome = match resolve_wrapup(&api, &spec).await {
        Err(error) => classify(&error),
        Ok(_) if job.dry_run => Outcome::WouldWrite,
        Ok(_) if cancel.is_cancelled() => Outcome::NotSent,
        Ok(resolution) => {
            match apply_resolved(
                &api,
                &spec,
                resolution,
                settings.verify_delays,
                None,
                cancel,
            )
            .await
            {
                Ok(applied) => Outcome::Written {
                    unproven: applied.unproven.is_some(),
                },
                Err(error) => classify(&error),
            }
        }
    };
    Done {
        conversation_id: work.conversation_id,
        participant_id,
        outcome,
    }
}

/// Runs the back-fill `job` over the conversations `stream` yields.
pub async fn run(
    job: &BackfillJob,
    mut stream: DetailsStream,
    lookups: &RunLookups,
    settings: RunSettings,
    cancel: &CancellationToken,
    progress: Option<&ProgressSink>,
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    // The cap is checked before any write: the platform's count bounds the matches; only
    // when it exceeds the cap are the pages walked once to count the real matches.
    let first = stream.next_page().await.map_err(RunError::Query)?;
    let total = stream.total_hits().unwrap_or(0);
    let mut over_cap = None;
    let mut counting_pages = 0;
    let stream = if total > job.max_conversations {
        let mut counting = stream.restart();
        let matched = matching(job, &mut counting, job.max_conversations)
            .await
            .map_err(RunError::Query)?;
        counting_pages = counting.pages();
        if matched > job.max_conversations {
            if !job.dry_run {
                return Err(RunError::OverCap {
                    matched: if counting.pages() as u64 * 100 >= total {
                        matched.to_string()
                    } else {
                        format!("At least {matched}")
                    },
                    cap: job.max_conversations,
                });
            }
            over_cap = Some(matched);
        }
        stream
    } else {
        stream
    };
    let counting_pages = u64::from(counting_pages);
    let examined = Arc::new(AtomicU64::new(0));
    let pages = Arc::new(AtomicU64::new(counting_pages));
    let stopped = Arc::new(AtomicBool::new(false));
    let query_error: Arc<std::sync::Mutex<Option<PlatformError>>> = Arc::default();
    let feed = Feed {
        job: job.clone(),
        stream: ReadAheadStream::new(stream),
        queued: VecDeque::new(),
        first,
        examined: examined.clone(),
        pages: pages.clone(),
        stopped: stopped.clone(),
        query_error: query_error.clone(),
        cancel: cancel.clone(),
    };
    let work = futures_util::stream::unfold(feed, next_work);
    let work = std::pin::pin!(work);
    let mut results = work
        .map(|work| -> BoxFuture<'_, Done> {
            Box::pin(process(job, lookups, settings, cancel, work))
        })
        .buffer_unordered(settings.concurrency.max(1));
    let mut tally = Tally::default();
    let mut ticker =
        tokio::time::interval_at(started + settings.progress_every, settings.progress_every);
    loop {
        tokio::select! {
            done = results.next() => match done {
                Some(done) => tally.record(done),
                None => break,
            },
            _ = ticker.tick() => {
                if let Some(progress) = progress {
                    tally.conversations = examined.load(Ordering::Relaxed);
                    progress
                        .progress(tally.progress(job.dry_run, started.elapsed(), Some(total)))
                        .await;
                }
            }
        }
    }
    drop(results);
    tally.conversations = examined.load(Ordering::Relaxed);
    let query_error = query_error
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take();
    Ok(RunReport {
        pages: pages.load(Ordering::Relaxed),
        tally,
        stopped: stopped.load(Ordering::SeqCst),
        elapsed: started.elapsed(),
        query_error,
        over_cap,
    })
}

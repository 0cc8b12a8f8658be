//! Bulk wrap-up reads for refresh: the analytics view of many conversations, fetched with the
//! multi-conversation read (`GET /api/v2/analytics/conversations/details?id=…`, at most
//! [`MULTI_GET_MAX_IDS`] ids a request) instead of one wrap-up read per instance.
//!
//! Two sources fill it, per provider process (per `ConfigureProvider`):
//! - **Prefetch**: the `genesyscloud_conversations` data source hands over every conversation
//!   its details query returned. Terraform reads that data source before it refreshes the
//!   `for_each` instances that depend on it, so a back-fill's refresh then costs no read at all
//!   for the conversations it found.
//! - **Coalescing**: a conversation not seen yet joins an open batch, so the refreshes and
//!   plans Terraform runs together (10 at a time by default) share one request. The batch
//!   stays open [`COALESCE_WINDOW`] at least; then it is sent as soon as it holds as many
//!   reads as the most operations the process has run at once (its [`Operations`]' peak:
//!   Terraform's parallelism) or [`ENOUGH_READS`], whichever is fewer, or nothing but its own
//!   reads has run for a quiet time, or [`MAX_BATCH_WAIT`] after it opened; and at once when
//!   full. The write and read-back of another wrap-up are usually followed by Terraform's next
//!   plan, which then joins: so a back-fill's apply reads its conversations 10 to a request
//!   rather than one or two. The quiet time starts at [`QUIET`] and doubles (up to
//!   [`MAX_QUIET`]) whenever a read arrives sooner than that after a batch gave up waiting:
//!   Terraform's own pause between one operation and the next grows with the size of the
//!   configuration (past 100 ms with 1,000 instances). A lone read waits [`QUIET`] once, against an API call's tens to
//!   hundreds of milliseconds.
//!
//! Analytics lags the conversation API, so a view is only ever trusted to confirm what the
//! caller already holds: anything else is read exactly by the caller. A failed multi-get (for
//! example an OAuth client without the analytics permission) turns bulk reads off for the
//! process, and every refresh then reads its wrap-up exactly.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio_util::sync::CancellationToken;

use super::PlatformError;
use genesys_client::models::{
    AnalyticsConversation, AnalyticsParticipant, AssignedWrapupCode, Communication, Conversation,
    Participant, Wrapup,
};
use genesys_client::{MULTI_GET_MAX_IDS, MediaType};

/// How long a batch stays open at least, for reads that arrive together to join it.
pub const COALESCE_WINDOW: Duration = Duration::from_millis(5);

/// How long nothing but a batch's own reads may run before it is sent short of the peak, at
/// first: longer than Terraform's pause between one operation's end and the next one's start
/// in a small configuration.
pub const QUIET: Duration = Duration::from_millis(100);

/// The longest quiet time it grows to.
pub const MAX_QUIET: Duration = Duration::from_millis(1600);

/// How long a batch waits at most for the process's other operations to join it.
pub const MAX_BATCH_WAIT: Duration = Duration::from_secs(2);

/// A batch holding this many reads goes at once, however many operations the process has run
/// at once. Ten reads a request keep a back-fill's plan reads at a tenth of a call a
/// conversation; and where Terraform runs more than ten operations at once
/// (`-parallelism=20`, say), a batch of ten goes while Terraform carries on with the others,
/// instead of every operation stopping until all of them have joined one batch.
pub const ENOUGH_READS: usize = 10;

/// The process's operations (what Terraform runs in it), as a batch sees them. Without one,
/// a batch is sent when its window ends.
pub trait Operations: Send + Sync {
    /// How many operations run now, the batch's own waiting reads included.
    fn running(&self) -> usize;
    /// The most that ever ran at once.
    fn peak(&self) -> usize;
    /// The number running, as a receiver woken whenever an operation starts or ends: a
    /// waiting batch looks again then, and never polls.
    fn watch(&self) -> watch::Receiver<usize>;
}

/// Fetches the analytics views of up to [`MULTI_GET_MAX_IDS`] conversations.
pub type MultiGet = Arc<
    dyn Fn(
            Vec<String>,
        ) -> Pin<
            Box<dyn Future<Output = Result<Vec<AnalyticsConversation>, PlatformError>> + Send>,
        > + Send
        + Sync,
>;

/// Why a batch that is not full is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SendReason {
    /// Its window ended (no operations to wait for).
    Window,
    /// It holds as many reads as the process ever ran operations at once.
    Peak,
    /// Nothing else ran for the quiet time.
    Quiet,
    /// It waited [`MAX_BATCH_WAIT`].
    LongestWait,
}

/// A batch open for refreshes to join: its ids, and the signal set once its answer is stored.
struct OpenBatch {
    number: u64,
    ids: Vec<String>,
    /// Reads waiting on it (two may wait for one conversation).
    waiters: usize,
    /// Woken when a read joins, for the batch to look again.
    joined: Arc<Notify>,
    done: watch::Sender<bool>,
}

#[derive(Default)]
struct Reads {
    /// Views by conversation ID; `None`: analytics does not know the conversation (yet).
    known: HashMap<String, Option<Arc<AnalyticsConversation>>>,
    open: Option<OpenBatch>,
    batches: u64,
    /// A multi-get failed: no more bulk reads in this process.
    failed: bool,
    /// A multi-get has answered: batches may then be sent side by side.
    answered: bool,
    /// How many times this process forgot a conversation it wrote to, and the count at each
    /// conversation's last forgetting while a multi-get was under way: a batch fetched across
    /// a write keeps nothing of it. Emptied whenever no multi-get is under way, so a job that
    /// writes 100,000 conversations does not keep 100,000 entries.
    forgets: u64,
    forgotten_at: HashMap<String, u64>,
    /// Multi-gets under way.
    fetching: usize,
    /// The quiet time now (see the module's documentation), and when a batch last went on it.
    quiet: Option<Duration>,
    sent_on_quiet: Option<tokio::time::Instant>,
}

impl Reads {
    fn quiet(&self) -> Duration {
        self.quiet.unwrap_or(QUIET)
    }

    /// A batch opens: if a batch that gave up on quiet went out less than the quiet time ago,
    /// Terraform's pauses are longer than that, so wait longer from now on.
    fn learn_quiet(&mut self) {
        if let Some(sent) = self.sent_on_quiet.take()
            && sent.elapsed() < self.quiet()
        {
            let longer = (self.quiet() * 2).min(MAX_QUIET);
            tracing::debug!(
                quiet_ms = longer.as_millis() as u64,
                "bulk reads wait longer"
            );
            self.quiet = Some(longer);
        }
    }
}

/// The analytics views of conversations, read in bulk. Cheap to share behind an `Arc`.
pub struct AnalyticsReads {
    enabled: bool,
    window: Duration,
    operations: Option<Arc<dyn Operations>>,
    fetch: MultiGet,
    reads: Mutex<Reads>,
    /// Fired by a stop: an open batch then goes out at once instead of waiting for others.
    cancel: CancellationToken,
    /// Held by the batch in flight until a multi-get has answered (see `send`).
    first_answer: tokio::sync::Mutex<()>,
}

impl AnalyticsReads {
    /// Bulk reads through `fetch`, each batch sent when its `window` ends; when `enabled` is
    /// false (`read_cache = false`) nothing is read in bulk and every read is exact.
    pub fn new(enabled: bool, window: Duration, fetch: MultiGet) -> Arc<Self> {
        Self::with_operations(enabled, window, None, CancellationToken::new(), fetch)
    }

    /// As [`new`](Self::new), but a batch whose window ended waits for the other
    /// `operations` to join it (see the module's documentation); once `cancel` fires, a batch
    /// waits no longer.
    pub fn with_operations(
        enabled: bool,
        window: Duration,
        operations: Option<Arc<dyn Operations>>,
        cancel: CancellationToken,
        fetch: MultiGet,
    ) -> Arc<Self> {
        Arc::new(AnalyticsReads {
            enabled,
            window,
            operations,
            fetch,
            reads: Mutex::default(),
            cancel,
            first_answer: tokio::sync::Mutex::new(()),
        })
    }

    /// Sleeps for `wait`, or less when a stop comes.
    async fn unless_stopped(&self, wait: Duration) {
        tokio::select! {
            () = self.cancel.cancelled() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Reads> {
        // Plain maps and flags: a panic elsewhere cannot leave them inconsistent.
        self.reads
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps views another read already fetched (the conversations data source's query).
    pub fn prefetched(&self, conversations: &[AnalyticsConversation]) {
        if !self.enabled {
            return;
        }
        let mut reads = self.lock();
        for conversation in conversations {
            reads.known.insert(
                conversation.conversation_id.clone(),
                Some(Arc::new(conversation.clone())),
            );
        }
    }

    /// Drops what is known of a conversation (this process wrote to it).
    pub fn forget(&self, conversation_id: &str) {
        let mut reads = self.lock();
        reads.known.remove(conversation_id);
        reads.forgets += 1;
        if reads.fetching > 0 {
            let forgets = reads.forgets;
            reads
                .forgotten_at
                .insert(conversation_id.to_owned(), forgets);
        }
    }

    /// Conversations remembered as written to during a multi-get (a bound on memory: none
    /// once no multi-get is under way).
    #[cfg(test)]
    fn remembered_writes(&self) -> usize {
        self.lock().forgotten_at.len()
    }

    /// The analytics view of a conversation: known already, or fetched with others in one
    /// batch. `None` when bulk reads are off or failed, or analytics does not know it.
    pub async fn view(
        self: &Arc<Self>,
        conversation_id: &str,
    ) -> Option<Arc<AnalyticsConversation>> {
        if !self.enabled {
            return None;
        }
        let mut done = {
            let mut reads = self.lock();
            if reads.failed {
                return None;
            }
            if let Some(view) = reads.known.get(conversation_id) {
                return view.clone();
            }
            self.join_batch(&mut reads, conversation_id)
        };
        // A dropped sender (the batch task ended without answering) leaves the value unset:
        // the caller then reads exactly.
        let _ = done.wait_for(|done| *done).await;
        self.lock().known.get(conversation_id).cloned().flatten()
    }

    /// Adds the ID to the open batch, or opens one and schedules it for the end of the
    /// window; a batch that becomes full is sent at once. Returns the batch's signal.
    fn join_batch(
        self: &Arc<Self>,
        reads: &mut Reads,
        conversation_id: &str,
    ) -> watch::Receiver<bool> {
        if let Some(open) = &mut reads.open {
            let done = open.done.subscribe();
            open.waiters += 1;
            open.joined.notify_one();
            if !open.ids.iter().any(|id| id == conversation_id) {
                open.ids.push(conversation_id.to_owned());
            }
            if open.ids.len() >= MULTI_GET_MAX_IDS
                && let Some(full) = reads.open.take()
            {
                self.spawn_send(full);
            }
            return done;
        }
        reads.batches += 1;
        reads.learn_quiet();
        let (sender, done) = watch::channel(false);
        let joined = Arc::new(Notify::new());
        reads.open = Some(OpenBatch {
            number: reads.batches,
            ids: vec![conversation_id.to_owned()],
            waiters: 1,
            joined: Arc::clone(&joined),
            done: sender,
        });
        let (this, number) = (self.clone(), reads.batches);
        let mut operations = self
            .operations
            .as_ref()
            .map(|operations| operations.watch());
        // Its own task: a read Terraform cancels must not strand the others in its batch.
        tokio::spawn(async move {
            let opened = tokio::time::Instant::now();
            this.unless_stopped(this.window).await;
            let mut busy = Busy {
                until: tokio::time::Instant::now(),
                now: false,
            };
            loop {
                let batch = {
                    let mut reads = this.lock();
                    let Some(open) = reads.open.as_ref().filter(|open| open.number == number)
                    else {
                        return; // sent already, full
                    };
                    let quiet = reads.quiet();
                    let why = if this.cancel.is_cancelled() {
                        Some(SendReason::Window)
                    } else {
                        this.send_reason(open.waiters, opened, quiet, &mut busy)
                    };
                    if why == Some(SendReason::Quiet) {
                        reads.sent_on_quiet = Some(tokio::time::Instant::now());
                    }
                    match why {
                        Some(why) => reads.open.take().map(|batch| Ok((why, batch))),
                        None => Some(Err((busy.until + quiet).min(opened + MAX_BATCH_WAIT))),
                    }
                };
                match batch {
                    None => return,
                    Some(Ok((why, batch))) => {
                        tracing::debug!(
                            conversations = batch.ids.len(),
                            waiters = batch.waiters,
                            waited_ms = opened.elapsed().as_millis() as u64,
                            sent_on = ?why,
                            "analytics multi-get"
                        );
                        return this.send(batch).await;
                    }
                    // Look again when an operation starts or ends, a read joins, the quiet
                    // time or the longest wait is up, or a stop comes.
                    Some(Err(deadline)) => {
                        tokio::select! {
                            _ = operation_changed(&mut operations) => {}
                            _ = joined.notified() => {}
                            _ = tokio::time::sleep_until(deadline) => {}
                            _ = this.cancel.cancelled() => {}
                        }
                    }
                }
            }
        });
        done
    }

    /// Why a batch of `waiters` reads, open since `opened`, should be sent now; `None` while
    /// it should wait for others. `busy` says when other operations last ran.
    fn send_reason(
        &self,
        waiters: usize,
        opened: tokio::time::Instant,
        quiet: Duration,
        busy: &mut Busy,
    ) -> Option<SendReason> {
        let Some(operations) = &self.operations else {
            return Some(SendReason::Window);
        };
        let now = tokio::time::Instant::now();
        // The batch looks again at every start and end of an operation: other operations
        // running now, or running until this change, were busy until now.
        let others = operations.running() > waiters;
        if others || busy.now {
            busy.until = now;
        }
        busy.now = others;
        if waiters >= operations.peak().min(ENOUGH_READS) {
            Some(SendReason::Peak)
        } else if now.duration_since(busy.until) >= quiet {
            Some(SendReason::Quiet)
        } else if now.duration_since(opened) >= MAX_BATCH_WAIT {
            Some(SendReason::LongestWait)
        } else {
            None
        }
    }

    /// Sends a full batch now, in its own task.
    fn spawn_send(self: &Arc<Self>, batch: OpenBatch) {
        let this = self.clone();
        tokio::spawn(async move { this.send(batch).await });
    }

    /// Fetches the views of a batch, stores them (analytics leaves out what it does not
    /// know) and wakes the batch's waiters.
    async fn send(&self, batch: OpenBatch) {
        // Until a multi-get has answered, batches go one at a time: a refusal (no analytics
        // permission) then costs one request per process, not one per batch in flight.
        let answered = self.lock().answered;
        let _first = match answered {
            true => None,
            false => Some(self.first_answer.lock().await),
        };
        let failed = self.lock().failed;
        if failed {
            let _ = batch.done.send(true);
            return;
        }
        let ids = batch.ids;
        // Counted under way in the same lock that reads the count of forgets, so no write can
        // slip between the two unrecorded.
        let started = {
            let mut reads = self.lock();
            reads.fetching += 1;
            reads.forgets
        };
        let fetched = (self.fetch)(ids.clone()).await;
        let mut reads = self.lock();
        match fetched {
            Ok(conversations) => {
                reads.answered = true;
                // A conversation written to while the batch was under way may show in it as
                // before the write: it stays unknown, for the next read to fetch afresh.
                let written = |reads: &Reads, id: &str| {
                    reads.forgotten_at.get(id).is_some_and(|at| *at > started)
                };
                for id in &ids {
                    if !written(&reads, id) {
                        reads.known.insert(id.clone(), None);
                    }
                }
                for conversation in conversations {
                    if !written(&reads, &conversation.conversation_id) {
                        reads.known.insert(
                            conversation.conversation_id.clone(),
                            Some(Arc::new(conversation)),
                        );
                    }
                }
            }
            Err(error) => {
                tracing::warn!(
                    ?error,
                    "the analytics multi-get failed; refreshing each wrap-up with its own read"
                );
                reads.failed = true;
            }
        }
        reads.fetching -= 1;
        if reads.fetching == 0 {
            reads.forgotten_at.clear();
        }
        drop(reads);
        let _ = batch.done.send(true);
    }
}

/// When a waiting batch last saw other operations run.
struct Busy {
    /// The last time they ran.
    until: tokio::time::Instant,
    /// Whether they ran when the batch last looked.
    now: bool,
}

/// Resolves when the number of operations running changes; never without operations to
/// watch, or once their counter is gone.
async fn operation_changed(operations: &mut Option<watch::Receiver<usize>>) {
    if let Some(watch) = operations
        && watch.changed().await.is_ok()
    {
        return;
    }
    std::future::pending().await
}

/// The wrap-up analytics shows for a participant: the code, note and tags on the wrap-up
/// segment of its session `communication_id` (or of its last session with one). `None` when
/// analytics shows no wrap-up code for it.
pub fn wrapup_in_view(
    view: &AnalyticsConversation,
    participant_id: &str,
    communication_id: Option<&str>,
) -> Option<AssignedWrapupCode> {
    let participant = view
        .participants
        .iter()
        .find(|p| p.participant_id == participant_id)?;
    let segment = participant
        .sessions
        .iter()
        .rev()
        .filter(|s| communication_id.is_none() || s.session_id.as_deref() == communication_id)
        .find_map(|s| s.wrapup_segment().filter(|w| w.wrap_up_code.is_some()))?;
    Some(AssignedWrapupCode {
        code: segment.wrap_up_code.clone(),
        notes: segment.wrap_up_note.clone(),
        tags: Some(segment.wrap_up_tags.clone()),
        duration_seconds: None,
        end_time: segment.segment_end.clone(),
    })
}

/// The conversation media type of an analytics session media type.
fn media_of(analytics: &str) -> Option<MediaType> {
    Some(match analytics {
        "voice" => MediaType::Calls,
        "callback" => MediaType::Callbacks,
        "chat" => MediaType::Chats,
        "cobrowse" => MediaType::Cobrowsesessions,
        "email" => MediaType::Emails,
        "message" => MediaType::Messages,
        "screenshare" => MediaType::Screenshares,
        "video" => MediaType::Videos,
        _ => return None,
    })
}

/// An ended conversation as the conversation API would show it, from its analytics view:
/// participants with purpose, queue, whether they take a wrap-up (a wrap-up segment), the
/// wrap-up analytics holds, and one disconnected communication per session. `None` unless
/// analytics shows the conversation ended and knows every session's media type.
///
/// What this may be trusted for: the participants, communications, media types and queues
/// of an ended conversation do not change, and analytics only shows a conversation ended once
/// it has. The wrap-up it shows may lag a recent write; the exact reads (the read-back of a
/// write, the refresh's confirmation) never come from here.
pub fn conversation_from_view(view: &AnalyticsConversation) -> Option<Conversation> {
    view.conversation_end.as_ref()?;
    let participants = view
        .participants
        .iter()
        .map(participant_from_view)
        .collect::<Option<Vec<_>>>()?;
    Some(Conversation {
        id: view.conversation_id.clone(),
        start_time: view.conversation_start.clone(),
        end_time: view.conversation_end.clone(),
        participants,
        ..Conversation::default()
    })
}

fn participant_from_view(view: &AnalyticsParticipant) -> Option<Participant> {
    let mut participant = Participant {
        id: view.participant_id.clone(),
        name: view.participant_name.clone(),
        user_id: view.user_id.clone(),
        purpose: view.purpose.clone(),
        queue_id: view
            .sessions
            .iter()
            .rev()
            .find_map(|s| s.queue_id().map(str::to_owned)),
        wrapup_required: Some(view.sessions.iter().any(|s| s.wrapup_segment().is_some())),
        ..Participant::default()
    };
    for session in &view.sessions {
        let media = media_of(session.media_type.as_deref()?)?;
        let ended = session
            .segments
            .iter()
            .filter(|s| s.segment_type.as_deref() != Some("wrapup"))
            .filter_map(|s| s.segment_end.clone())
            .max();
        let communication = Communication {
            id: session.session_id.clone()?,
            state: Some("disconnected".into()),
            direction: session.direction.clone(),
            disconnected_time: Some(ended?),
            ..Communication::default()
        };
        if let Some(segment) = session
            .wrapup_segment()
            .filter(|w| w.wrap_up_code.is_some())
        {
            // No end time: the segment's end is analytics' own timestamp, not the wrap-up's
            // `endTime`, so it cannot show whether a later write landed. A write of the same
            // values then reads the wrap-up exactly first.
            participant.wrapup = Some(Wrapup {
                code: segment.wrap_up_code.clone(),
                notes: segment.wrap_up_note.clone(),
                tags: Some(segment.wrap_up_tags.clone()),
                end_time: None,
                ..Wrapup::default()
            });
        }
        match media {
            MediaType::Calls => participant.calls.push(communication),
            MediaType::Callbacks => participant.callbacks.push(communication),
            MediaType::Chats => participant.chats.push(communication),
            MediaType::Cobrowsesessions => participant.cobrowsesessions.push(communication),
            MediaType::Emails => participant.emails.push(communication),
            MediaType::Messages => participant.messages.push(communication),
            MediaType::Screenshares => participant.screenshares.push(communication),
            MediaType::Socials => participant.social_expressions.push(communication),
            MediaType::Videos => participant.videos.push(communication),
        }
    }
    Some(participant)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn view(id: &str, code: &str) -> AnalyticsConversation {
        serde_json::from_value(serde_json::json!({
            "conversationId": id,
            "participants": [{"participantId": "p", "purpose": "agent", "sessions": [
                {"sessionId": "c", "segments": [
                    {"segmentType": "interact"},
                    {"segmentType": "wrapup", "wrapUpCode": code, "wrapUpNote": "n"}
                ]}
            ]}]
        }))
        .expect("a valid view")
    }

    /// A multi-get that answers every id but `missing`, counting requests and ids.
    fn counting(requests: Arc<AtomicUsize>, largest: Arc<AtomicUsize>) -> MultiGet {
        Arc::new(move |ids: Vec<String>| {
            requests.fetch_add(1, Ordering::SeqCst);
            largest.fetch_max(ids.len(), Ordering::SeqCst);
            Box::pin(async move {
                Ok(ids
                    .iter()
                    .filter(|id| id.as_str() != "missing")
                    .map(|id| view(id, "w1"))
                    .collect())
            })
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_stop_sends_an_open_batch_at_once() {
        let (requests, largest) = (Arc::default(), Arc::default());
        let cancel = CancellationToken::new();
        let reads = AnalyticsReads::with_operations(
            true,
            Duration::from_secs(600),
            None,
            cancel.clone(),
            counting(Arc::clone(&requests), Arc::clone(&largest)),
        );
        let started = tokio::time::Instant::now();
        let viewing = tokio::spawn({
            let reads = Arc::clone(&reads);
            async move { reads.view("a").await.is_some() }
        });
        // The main task never sleeps, so the paused clock stands still until the stop.
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
        assert_eq!(requests.load(Ordering::SeqCst), 0, "the batch waits");
        cancel.cancel();
        assert!(viewing.await.expect("the read finishes"));
        assert_eq!(
            started.elapsed(),
            Duration::ZERO,
            "the window was not waited out"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_reads_share_one_request_per_hundred_ids() {
        let (requests, largest) = (Arc::default(), Arc::default());
        let reads = AnalyticsReads::new(
            true,
            Duration::from_millis(20),
            counting(Arc::clone(&requests), Arc::clone(&largest)),
        );
        let ids: Vec<String> = (0..150).map(|i| format!("c{i}")).collect();
        let views = futures_util::future::join_all(ids.iter().map(|id| reads.view(id))).await;
        assert!(views.iter().all(Option::is_some));
        assert_eq!(requests.load(Ordering::SeqCst), 2, "150 ids in two batches");
        assert_eq!(largest.load(Ordering::SeqCst), MULTI_GET_MAX_IDS);
        // Known now: no request.
        assert!(reads.view("c7").await.is_some());
        assert_eq!(requests.load(Ordering::SeqCst), 2);
    }

    /// A process running `running` operations, `peak` at most.
    struct Running {
        running: watch::Sender<usize>,
        peak: usize,
    }

    impl Running {
        fn new(running: usize, peak: usize) -> Arc<Self> {
            Arc::new(Running {
                running: watch::Sender::new(running),
                peak,
            })
        }
    }

    impl Operations for Running {
        fn running(&self) -> usize {
            *self.running.borrow()
        }
        fn peak(&self) -> usize {
            self.peak
        }
        fn watch(&self) -> watch::Receiver<usize> {
            self.running.subscribe()
        }
    }

    fn paced(
        operations: &Arc<Running>,
        requests: &Arc<AtomicUsize>,
        largest: &Arc<AtomicUsize>,
    ) -> Arc<AnalyticsReads> {
        let operations: Arc<dyn Operations> = operations.clone();
        AnalyticsReads::with_operations(
            true,
            COALESCE_WINDOW,
            Some(operations),
            CancellationToken::new(),
            counting(Arc::clone(requests), Arc::clone(largest)),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_waits_for_the_operations_still_running_to_join_it() {
        // Three operations at once; the second and third plan only after some other work
        // (longer than the short window), as Terraform's next plans follow earlier applies.
        let operations = Running::new(3, 3);
        let (requests, largest) = (Arc::default(), Arc::default());
        let reads = paced(&operations, &requests, &largest);
        let later = |id: &'static str, after: u64| {
            let reads = reads.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(after)).await;
                reads.view(id).await
            }
        };
        let (a, b, c) = tokio::join!(later("a", 0), later("b", 20), later("c", 40));
        assert!(a.is_some() && b.is_some() && c.is_some());
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "one request for the three"
        );
        assert_eq!(largest.load(Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_of_enough_reads_goes_without_waiting_for_a_higher_peak() {
        // Terraform at -parallelism=20: 20 operations run; ten plans read now, the other ten
        // are busy elsewhere and would join only much later.
        let operations = Running::new(20, 20);
        let (requests, largest) = (Arc::default(), Arc::default());
        let reads = paced(&operations, &requests, &largest);
        let started = tokio::time::Instant::now();
        let ids: Vec<String> = (0..ENOUGH_READS).map(|i| format!("c{i}")).collect();
        let views =
            futures_util::future::join_all(ids.iter().map(|id| reads.view(id.as_str()))).await;
        assert!(views.iter().all(Option::is_some));
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "one request for the ten"
        );
        assert_eq!(largest.load(Ordering::SeqCst), ENOUGH_READS);
        assert!(
            started.elapsed() < QUIET,
            "sent when the tenth joined ({:?}), not after waiting for the other ten",
            started.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn writes_without_a_batch_under_way_leave_nothing_behind() {
        // A back-fill writes to every conversation it reads from its query's pages; nothing
        // of those writes may stay in memory per conversation.
        let (requests, largest) = (Arc::new(AtomicUsize::new(0)), Arc::default());
        let reads = AnalyticsReads::new(true, Duration::ZERO, counting(requests, largest));
        for i in 0..1_000 {
            reads.forget(&format!("c{i}"));
        }
        assert_eq!(reads.remembered_writes(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_goes_without_the_peak_when_nothing_else_runs_or_it_waited_too_long() {
        // Alone: the process once ran 10 operations, but now runs only this read.
        let operations = Running::new(1, 10);
        let (requests, largest) = (Arc::default(), Arc::default());
        let reads = paced(&operations, &requests, &largest);
        assert!(reads.view("a").await.is_some());
        assert_eq!(requests.load(Ordering::SeqCst), 1);
        // A read right after a batch gave up: Terraform pauses longer, so wait longer.
        assert_eq!(reads.lock().quiet(), QUIET);
        assert!(reads.view("a2").await.is_some());
        assert_eq!(reads.lock().quiet(), QUIET * 2);
        assert_eq!(requests.load(Ordering::SeqCst), 2);
        // Another operation that never joins: the batch goes at its longest wait.
        operations.running.send_replace(2);
        assert!(reads.view("b").await.is_some());
        assert_eq!(requests.load(Ordering::SeqCst), 3);
        assert_eq!(largest.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_quiet_time_counts_from_the_end_of_the_last_other_operation() {
        // Another operation runs beside the read and ends 500 ms later; nothing else comes.
        let operations = Running::new(2, 10);
        let (requests, largest) = (Arc::default(), Arc::default());
        let reads = paced(&operations, &requests, &largest);
        let started = tokio::time::Instant::now();
        let ending = Arc::clone(&operations);
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(500)).await;
            ending.running.send_replace(1);
        });
        assert!(reads.view("a").await.is_some());
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(500) + QUIET,
            "sent {waited:?} after it opened: the quiet time starts when the other ends"
        );
        assert!(
            waited < MAX_BATCH_WAIT,
            "sent on quiet, not at its longest wait"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn prefetched_views_cost_nothing_and_unknown_ids_are_none() {
        let (requests, largest) = (Arc::new(AtomicUsize::new(0)), Arc::default());
        let reads = AnalyticsReads::new(true, Duration::ZERO, counting(requests.clone(), largest));
        reads.prefetched(&[view("a", "w1")]);
        assert!(reads.view("a").await.is_some());
        assert_eq!(requests.load(Ordering::SeqCst), 0);
        assert!(reads.view("missing").await.is_none());
        assert_eq!(requests.load(Ordering::SeqCst), 1);
        assert!(
            reads.view("missing").await.is_none(),
            "remembered as unknown"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 1);
        reads.forget("a");
        assert!(reads.view("a").await.is_some());
        assert_eq!(
            requests.load(Ordering::SeqCst),
            2,
            "a forgotten view is read again"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn off_or_failed_bulk_reads_answer_none_without_retrying() {
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        let failing: MultiGet = Arc::new(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Err(PlatformError::NotConfigured("no analytics".into())) })
        });
        let off = AnalyticsReads::new(false, Duration::ZERO, failing.clone());
        off.prefetched(&[view("a", "w1")]);
        assert!(off.view("a").await.is_none());
        let reads = AnalyticsReads::new(true, Duration::ZERO, failing);
        assert!(reads.view("a").await.is_none());
        assert!(reads.view("b").await.is_none());
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "one failure turns bulk reads off"
        );
    }

    #[test]
    fn the_wrapup_comes_from_the_participant_session_segment() {
        let v = view("a", "w1");
        let seen = wrapup_in_view(&v, "p", Some("c")).expect("shown");
        assert_eq!(seen.code.as_deref(), Some("w1"));
        assert_eq!(seen.notes.as_deref(), Some("n"));
        assert!(wrapup_in_view(&v, "p", Some("other")).is_none());
        assert!(wrapup_in_view(&v, "q", None).is_none());
        assert!(wrapup_in_view(&v, "p", None).is_some());
    }

    #[test]
    fn an_ended_view_becomes_a_conversation_and_an_open_one_does_not() {
        let mut v: AnalyticsConversation = serde_json::from_value(serde_json::json!({
            "conversationId": "a", "conversationEnd": "2026-11-30T08:00:30Z",
            "participants": [
                {"participantId": "cust", "purpose": "customer", "sessions": [
                    {"sessionId": "c0", "mediaType": "voice", "segments": [
                        {"segmentType": "interact", "segmentEnd": "2026-11-30T08:00:30Z"}]}]},
                {"participantId": "p", "purpose": "agent", "sessions": [
                    {"sessionId": "c", "mediaType": "voice", "segments": [
                        {"segmentType": "interact", "queueId": "q", "segmentEnd": "2026-11-30T08:00:30Z"},
                        {"segmentType": "wrapup", "queueId": "q"}]}]}
            ]
        }))
        .expect("a valid view");
        let conversation = conversation_from_view(&v).expect("ended");
        let agent = conversation.participant("p").expect("the agent");
        assert_eq!(agent.queue_id.as_deref(), Some("q"));
        assert_eq!(agent.wrapup_required, Some(true));
        assert!(agent.wrapup.is_none());
        let mut wrapped = v.clone();
        wrapped.participants[1].sessions[0].segments[1].wrap_up_code = Some("w1".into());
        wrapped.participants[1].sessions[0].segments[1].segment_end =
            Some("2026-11-30T08:01:00Z".into());
        let wrapped = conversation_from_view(&wrapped).expect("ended");
        let wrapup = wrapped.participant("p").and_then(|p| p.wrapup.clone());
        let wrapup = wrapup.expect("the wrap-up analytics shows");
        assert_eq!(wrapup.code.as_deref(), Some("w1"));
        assert_eq!(wrapup.end_time, None, "no end time to prove a write with");
        assert_eq!(agent.calls[0].id, "c");
        assert_eq!(agent.calls[0].state.as_deref(), Some("disconnected"));
        let customer = conversation.participant("cust").expect("the customer");
        assert_eq!(customer.wrapup_required, Some(false));
        v.participants[1].sessions[0].media_type = Some("fax".into());
        assert!(
            conversation_from_view(&v).is_none(),
            "an unknown media type"
        );
        v.conversation_end = None;
        assert!(conversation_from_view(&v).is_none(), "not ended");
    }
    #[tokio::test]
    async fn a_batch_fetched_across_a_write_keeps_nothing_of_the_written_conversation() {
        let requests = Arc::new(AtomicUsize::new(0));
        let (fetching, release) = (
            Arc::new(tokio::sync::Notify::new()),
            Arc::new(tokio::sync::Notify::new()),
        );
        let fetch: MultiGet = {
            let (requests, fetching, release) =
                (requests.clone(), fetching.clone(), release.clone());
            Arc::new(move |ids: Vec<String>| {
                let first = requests.fetch_add(1, Ordering::SeqCst) == 0;
                let (fetching, release) = (fetching.clone(), release.clone());
                Box::pin(async move {
                    // The first batch is read before the write and answered after it.
                    let code = if first {
                        fetching.notify_one();
                        release.notified().await;
                        "before"
                    } else {
                        "after"
                    };
                    Ok(ids.iter().map(|id| view(id, code)).collect())
                })
            })
        };
        let reads = AnalyticsReads::new(true, Duration::ZERO, fetch);
        let reader = reads.clone();
        let during = tokio::spawn(async move { reader.view("a").await });
        fetching.notified().await;
        reads.forget("a");
        assert_eq!(
            reads.remembered_writes(),
            1,
            "remembered while the batch is out"
        );
        release.notify_one();
        let _ = during.await.expect("the read finishes");
        assert_eq!(
            reads.remembered_writes(),
            0,
            "forgotten once no batch is out"
        );
        let after = reads.view("a").await.expect("a view after the write");
        assert_eq!(
            wrapup_in_view(&after, "p", None)
                .and_then(|w| w.code)
                .as_deref(),
            Some("after"),
            "the batch under way at the write must not be served after it"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 2);
    }
}

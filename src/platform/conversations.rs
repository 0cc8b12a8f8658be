//! The conversation view of the platform: the calls a wrap-up makes, over the process's one
//! API client. A conversation is read once per process (until this process writes to it) and a
//! queue's codes once per queue, however many wrap-ups and plan steps need them. Refresh reads
//! wrap-ups in bulk through the analytics views ([`AnalyticsReads`]) when the read cache is on.

use super::lag_waits::LagWaits;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::OnceCell;

use super::analytics_reads::{
    AnalyticsReads, COALESCE_WINDOW, MultiGet, Operations, conversation_from_view, wrapup_in_view,
};
use super::{PlatformError, WrapupCodeCatalog};
use genesys_client::models::{
    AnalyticsConversation, AssignedWrapupCode, Conversation, WrapupBody, WrapupCode,
};
use genesys_client::{GenesysClient, MediaType, WrapupCodeQuery};

/// Which wrap-up a refresh reads: a participant of a conversation, and the communication
/// state holds for it, if any.
#[derive(Debug, Clone, Copy)]
pub struct WrapupKey<'a> {
    pub conversation_id: &'a str,
    pub participant_id: &'a str,
    pub communication_id: Option<&'a str>,
}

/// Tells whether a wrap-up seen in bulk is the one the caller holds.
pub type ShowsState<'a> = &'a (dyn Fn(&AssignedWrapupCode) -> bool + Send + Sync);

/// The platform operations a wrap-up needs.
#[async_trait]
pub trait ConversationApi: Send + Sync {
    /// How long the read-backs of a write wait for the platform's lag (`lag_wait_percent`);
    /// full length unless the implementation was given other.
    fn lag_waits(&self) -> LagWaits {
        LagWaits::FULL
    }
    /// The conversation with its participants and their communications, read exactly.
    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError>;
    /// The conversation as analytics shows it, read in bulk with others (or already known from
    /// the conversations data source's query); `None` when bulk reads are off or failed, or
    /// analytics does not show it as ended. Analytics lags: a wrap-up written lately may be
    /// missing from it, and it carries no wrap-up end times. Callers use it only where it
    /// decides nothing that lag could change, and read [`conversation`](Self::conversation)
    /// for anything else.
    async fn conversation_in_bulk(&self, conversation_id: &str) -> Option<Conversation> {
        let _ = conversation_id;
        None
    }
    /// The codes the participant may be given: those assigned to `queue_id` when the caller
    /// knows the participant's queue, else the platform's list for the participant.
    async fn allowed_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
        queue_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError>;
    /// Forgets the codes [`allowed_codes`](Self::allowed_codes) read for `queue_id` in this
    /// process, so the next call reads them again: another resource of the same apply (or
    /// anyone) may have assigned codes to the queue since they were read.
    fn forget_queue_codes(&self, queue_id: &str) {
        let _ = queue_id;
    }
    /// Org-wide codes the platform's name search returns for `name` (for participants that
    /// have no queue); it ignores case, and the caller picks the exact or unique match.
    async fn codes_named(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError>;
    /// One code by ID; `None` when it does not exist.
    async fn code(&self, code_id: &str) -> Result<Option<WrapupCode>, PlatformError>;
    /// POSTs the wrap-up of one communication to the media type's endpoint. Never replayed:
    /// a lost answer is [`PlatformError::Ambiguous`].
    async fn post_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        communication_id: &str,
        wrapup: &WrapupBody,
    ) -> Result<(), PlatformError>;
    /// The participant's assigned wrap-up; `None` when the platform holds none.
    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError>;
    /// The participant's wrap-up for a refresh. It may come from a bulk read, but only when
    /// `shows_state` says it is what the caller holds; anything else (a difference, or no
    /// wrap-up in the bulk view) is the exact [`participant_wrapup`](Self::participant_wrapup).
    async fn refresh_wrapup(
        &self,
        key: &WrapupKey<'_>,
        shows_state: ShowsState<'_>,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        let _ = shows_state;
        self.participant_wrapup(key.conversation_id, key.participant_id)
            .await
    }
    /// Keeps analytics views another read fetched (the conversations data source), so the
    /// refreshes of the same run can be served from them.
    fn prefetched(&self, conversations: &[AnalyticsConversation]) {
        let _ = conversations;
    }
}

type Shared<T> = Arc<OnceCell<T>>;

/// [`ConversationApi`] over the real API client, with per-process memos.
pub struct GenesysConversations {
    client: GenesysClient,
    conversations: Mutex<HashMap<String, Shared<Conversation>>>,
    queue_codes: Mutex<HashMap<String, Shared<Vec<WrapupCode>>>>,
    analytics: Arc<AnalyticsReads>,
    codes: Option<WrapupCodeCatalog>,
    lag_waits: LagWaits,
}

impl GenesysConversations {
    /// The conversation calls over `client`, without bulk reads.
    pub fn new(client: GenesysClient) -> Self {
        let analytics = AnalyticsReads::new(false, COALESCE_WINDOW, multi_get(client.clone()));
        GenesysConversations {
            client,
            conversations: Mutex::default(),
            queue_codes: Mutex::default(),
            analytics,
            codes: None,
            lag_waits: LagWaits::FULL,
        }
    }

    /// The same calls, their read-backs waiting out the platform's lag as `lag_waits` says.
    pub fn with_lag_waits(mut self, lag_waits: LagWaits) -> Self {
        self.lag_waits = lag_waits;
        self
    }

    /// With the read cache on: plans and refreshes read conversations in bulk through
    /// analytics, their batches paced by the process's `operations`, and code lookups by ID go
    /// through the wrap-up code view's listing.
    pub fn with_read_cache(
        mut self,
        codes: WrapupCodeCatalog,
        read_cache: bool,
        operations: Option<Arc<dyn Operations>>,
    ) -> Self {
        self.analytics = AnalyticsReads::with_operations(
            read_cache,
            COALESCE_WINDOW,
            operations,
            self.client.cancellation().clone(),
            multi_get(self.client.clone()),
        );
        self.codes = Some(codes);
        self
    }

    fn slot<T>(map: &Mutex<HashMap<String, Shared<T>>>, key: &str) -> Shared<T> {
        // The map holds only cells: a panic elsewhere cannot leave it inconsistent.
        let mut map = map
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(key.to_owned()).or_default().clone()
    }

    fn forget_conversation(&self, conversation_id: &str) {
        self.conversations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(conversation_id);
        self.analytics.forget(conversation_id);
    }
}

/// The analytics multi-get over `client`, one request of at most 100 ids.
fn multi_get(client: GenesysClient) -> MultiGet {
    Arc::new(move |ids: Vec<String>| {
        let client = client.clone();
        Box::pin(async move {
            client
                .analytics()
                .conversations_by_id(&ids)
                .await
                .map_err(PlatformError::from)
        })
    })
}

#[async_trait]
impl ConversationApi for GenesysConversations {
    fn lag_waits(&self) -> LagWaits {
        self.lag_waits
    }

    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError> {
        let slot = Self::slot(&self.conversations, conversation_id);
        let read = slot
            .get_or_try_init(|| async {
                self.client
                    .conversations()
                    .get(conversation_id)
                    .await
                    .map_err(PlatformError::from)
            })
            .await;
        read.cloned()
    }

    async fn conversation_in_bulk(&self, conversation_id: &str) -> Option<Conversation> {
        // Known from the conversations data source's query in this run, or fetched with the
        // other conversations planned at the same time: one request for up to 100.
        let view = self.analytics.view(conversation_id).await?;
        conversation_from_view(&view)
    }

    async fn allowed_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
        queue_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError> {
        // A queued participant may be given its queue's codes: read them once per queue.
        if let Some(queue_id) = queue_id.filter(|queue_id| !queue_id.is_empty()) {
            let slot = Self::slot(&self.queue_codes, queue_id);
            let codes = slot
                .get_or_try_init(|| async {
                    self.client
                        .queues()
                        .list_all_wrapup_codes(queue_id)
                        .await
                        .map_err(PlatformError::from)
                })
                .await?;
            return Ok(codes.clone());
        }
        Ok(self
            .client
            .conversations()
            .participant_wrapup_codes(conversation_id, participant_id)
            .await?)
    }

    fn forget_queue_codes(&self, queue_id: &str) {
        self.queue_codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(queue_id);
    }

    async fn codes_named(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
        let query = WrapupCodeQuery::by_name(name);
        Ok(self.client.wrapup_codes().list_all(&query).await?)
    }

    async fn code(&self, code_id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        if let Some(codes) = &self.codes {
            return Ok(codes.read(code_id).await?.map(|code| WrapupCode {
                id: code.id,
                name: code.name,
                description: code.description,
                ..WrapupCode::default()
            }));
        }
        Ok(self.client.wrapup_codes().get_optional(code_id).await?)
    }

    async fn post_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        communication_id: &str,
        wrapup: &WrapupBody,
    ) -> Result<(), PlatformError> {
        // Whatever the answer, the conversation may have changed: read it afresh next time.
        // Forgotten again once the write is answered: a read that started meanwhile may have
        // kept what the platform held before the write.
        self.forget_conversation(conversation_id);
        let written = self
            .client
            .conversations()
            .set_wrapup(
                media,
                conversation_id,
                participant_id,
                communication_id,
                wrapup,
            )
            .await;
        self.forget_conversation(conversation_id);
        Ok(written?)
    }

    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        // The platform answers 404 when no wrap-up is assigned; callers tell that apart from a
        // missing conversation by reading the conversation first.
        match self
            .client
            .conversations()
            .participant_wrapup(conversation_id, participant_id, None)
            .await
        {
            Ok(wrapup) => Ok(wrapup.filter(|w| w.code.as_deref().is_some_and(|c| !c.is_empty()))),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn refresh_wrapup(
        &self,
        key: &WrapupKey<'_>,
        shows_state: ShowsState<'_>,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        if let Some(view) = self.analytics.view(key.conversation_id).await
            && let Some(seen) = wrapup_in_view(&view, key.participant_id, key.communication_id)
            && shows_state(&seen)
        {
            return Ok(Some(seen));
        }
        self.participant_wrapup(key.conversation_id, key.participant_id)
            .await
    }

    fn prefetched(&self, conversations: &[AnalyticsConversation]) {
        self.analytics.prefetched(conversations);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio::sync::Notify;

    use super::*;

    /// A platform whose conversation is named `before` until the wrap-up POST lands, and whose
    /// POST lands only once `release` is notified (its arrival is announced on `posted`).
    struct GatedPlatform {
        url: String,
        posted: Arc<Notify>,
        release: Arc<Notify>,
    }

    async fn gated_platform() -> GatedPlatform {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let url = format!(
            "http://{}",
            listener
                .local_addr()
                .expect("a bound socket has an address")
        );
        let (posted, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let written = Arc::new(AtomicBool::new(false));
        let (on_post, gate) = (Arc::clone(&posted), Arc::clone(&release));
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (on_post, gate, written) = (
                    Arc::clone(&on_post),
                    Arc::clone(&gate),
                    Arc::clone(&written),
                );
                tokio::spawn(async move {
                    let mut request = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let (status, body) = if request.starts_with(b"POST ") {
                        on_post.notify_one();
                        gate.notified().await;
                        written.store(true, Ordering::SeqCst);
                        (202, String::new())
                    } else {
                        let name = if written.load(Ordering::SeqCst) {
                            "after"
                        } else {
                            "before"
                        };
                        (200, format!(r#"{{"id":"c1","name":"{name}"}}"#))
                    };
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(answer.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        GatedPlatform {
            url,
            posted,
            release,
        }
    }

    fn conversations(url: &str) -> GenesysConversations {
        GenesysConversations::new(crate::platform::loopback_client(url))
    }

    #[tokio::test]
    async fn a_read_during_a_write_does_not_outlive_it_in_the_memo() {
        let platform = gated_platform().await;
        let api = Arc::new(conversations(&platform.url));
        let writer = Arc::clone(&api);
        let write = tokio::spawn(async move {
            let wrapup = WrapupBody {
                code: "w1".into(),
                ..WrapupBody::default()
            };
            writer
                .post_wrapup(MediaType::Calls, "c1", "p1", "m1", &wrapup)
                .await
        });
        // The write has forgotten the memo and its POST is at the platform, not landed yet:
        // a read now sees the conversation as it was before the write.
        platform.posted.notified().await;
        let during = api.conversation("c1").await.expect("read during the write");
        assert_eq!(during.name.as_deref(), Some("before"));
        platform.release.notify_one();
        write
            .await
            .expect("the write task finishes")
            .expect("the write is accepted");
        let after = api.conversation("c1").await.expect("read after the write");
        assert_eq!(
            after.name.as_deref(),
            Some("after"),
            "the read made during the write must not be served after it"
        );
    }
}

//! The back-fill's link to the single wrap-up's platform work (resolve, write, read-back
//! proof, in [`crate::platform::wrapup_writer`]) and to its one mapping of errors to
//! diagnostics (in the resource's folder), which it reuses rather than repeats. Everything it
//! takes from there is imported here and only here.
//!
//! [`OneConversation`] is the [`ConversationApi`] one back-filled conversation is resolved
//! through: the conversation comes from the details query's page (no read per conversation),
//! and the org-wide code lookups a refusal makes are read once per run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::OnceCell;

pub use crate::platform::conversation_from_view;
pub use crate::platform::wrapup_writer::{
    CodeChoice, CodeGivenBy, DesiredWrapup, TargetChoice, VERIFY_DELAYS, WrapupError,
    apply_resolved, resolve_wrapup,
};
pub use crate::platform::{ConversationApi, ConversationsView};
pub use crate::resources::conversation_wrapup::WrapupDiagnostics;

use crate::platform::PlatformError;
use genesys_client::MediaType;
use genesys_client::models::{AssignedWrapupCode, Conversation, WrapupBody, WrapupCode};

type Memo<T> = Mutex<HashMap<String, Arc<OnceCell<T>>>>;

fn cell<T>(memo: &Memo<T>, key: &str) -> Arc<OnceCell<T>> {
    memo.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(key.to_owned())
        .or_default()
        .clone()
}

/// The run's shared lookups over the process's conversation view.
pub struct RunLookups {
    api: Arc<dyn ConversationApi>,
    named: Memo<Vec<WrapupCode>>,
    by_id: Memo<Option<WrapupCode>>,
}

impl RunLookups {
    /// Lookups over `api` (the platform's conversation view, which reads each queue's codes
    /// once per process).
    pub fn new(api: Arc<dyn ConversationApi>) -> Self {
        RunLookups {
            api,
            named: Mutex::default(),
            by_id: Mutex::default(),
        }
    }

    /// The view one conversation is resolved through; `view` is the conversation as the
    /// details query showed it, when analytics shows it ended.
    pub fn for_conversation(&self, view: Option<Conversation>) -> OneConversation<'_> {
        OneConversation { run: self, view }
    }
}

/// One conversation's platform, for the shared wrap-up resolution and proof.
pub struct OneConversation<'a> {
    run: &'a RunLookups,
    view: Option<Conversation>,
}

#[async_trait]
impl ConversationApi for OneConversation<'_> {
    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError> {
        self.run.api.conversation(conversation_id).await
    }

    async fn conversation_in_bulk(&self, conversation_id: &str) -> Option<Conversation> {
        self.view
            .as_ref()
            .filter(|view| view.id == conversation_id)
            .cloned()
    }

    async fn allowed_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
        queue_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError> {
        self.run
            .api
            .allowed_codes(conversation_id, participant_id, queue_id)
            .await
    }

    fn forget_queue_codes(&self, queue_id: &str) {
        self.run.api.forget_queue_codes(queue_id);
    }

    async fn codes_named(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
        cell(&self.run.named, name)
            .get_or_try_init(|| self.run.api.codes_named(name))
            .await
            .cloned()
    }

    async fn code(&self, code_id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        cell(&self.run.by_id, code_id)
            .get_or_try_init(|| self.run.api.code(code_id))
            .await
            .cloned()
    }

    async fn post_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        communication_id: &str,
        wrapup: &WrapupBody,
    ) -> Result<(), PlatformError> {
        self.run
            .api
            .post_wrapup(
                media,
                conversation_id,
                participant_id,
                communication_id,
                wrapup,
            )
            .await
    }

    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        self.run
            .api
            .participant_wrapup(conversation_id, participant_id)
            .await
    }
}

//! The conversation calls the wrap-up logic makes, as a seam over the API client (so the
//! decisions can be tested without a network), and the lazily built handle the resource and
//! the action hold.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::genesys::models::{AssignedWrapupCode, Conversation, WrapupCode, WrapupInput};
use crate::genesys::{GenesysClient, MediaType, WrapupCodeQuery};
use crate::provider::SharedSettings;
use crate::provider::client::build_client;
use crate::resources::support::PlatformError;

/// The platform operations a wrap-up needs.
#[async_trait]
pub trait ConversationApi: Send + Sync {
    /// The conversation with its participants and their communications.
    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError>;
    /// The codes the participant may be given (those assigned to its queue).
    async fn allowed_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Vec<WrapupCode>, PlatformError>;
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
        wrapup: &WrapupInput,
    ) -> Result<(), PlatformError>;
    /// The participant's assigned wrap-up; `None` when the platform holds none.
    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError>;
}

/// [`ConversationApi`] over the real API client.
pub struct GenesysConversations(pub GenesysClient);

#[async_trait]
impl ConversationApi for GenesysConversations {
    async fn conversation(&self, conversation_id: &str) -> Result<Conversation, PlatformError> {
        Ok(self.0.conversations().get(conversation_id).await?)
    }

    async fn allowed_codes(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Vec<WrapupCode>, PlatformError> {
        Ok(self
            .0
            .conversations()
            .participant_wrapup_codes(conversation_id, participant_id)
            .await?)
    }

    async fn codes_named(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
        let query = WrapupCodeQuery::by_name(name);
        Ok(self.0.wrapup_codes().list_all(&query).await?)
    }

    async fn code(&self, code_id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        Ok(self.0.wrapup_codes().get_optional(code_id).await?)
    }

    async fn post_wrapup(
        &self,
        media: MediaType,
        conversation_id: &str,
        participant_id: &str,
        communication_id: &str,
        wrapup: &WrapupInput,
    ) -> Result<(), PlatformError> {
        Ok(self
            .0
            .conversations()
            .set_wrapup(
                media,
                conversation_id,
                participant_id,
                communication_id,
                wrapup,
            )
            .await?)
    }

    async fn participant_wrapup(
        &self,
        conversation_id: &str,
        participant_id: &str,
    ) -> Result<Option<AssignedWrapupCode>, PlatformError> {
        // The platform answers 404 when no wrap-up is assigned; callers tell that apart from a
        // missing conversation by reading the conversation first.
        match self
            .0
            .conversations()
            .participant_wrapup(conversation_id, participant_id, None)
            .await
        {
            Ok(wrapup) => Ok(wrapup.filter(|w| w.code.as_deref().is_some_and(|c| !c.is_empty()))),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

type Builder = Arc<dyn Fn() -> Result<Arc<dyn ConversationApi>, PlatformError> + Send + Sync>;

/// Shared, lazily built access to the conversation API. Cheap to clone.
#[derive(Clone)]
pub struct ConversationAccess {
    builder: Builder,
    built: Arc<OnceCell<Arc<dyn ConversationApi>>>,
}

impl std::fmt::Debug for ConversationAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConversationAccess")
            .field("built", &self.built.initialized())
            .finish_non_exhaustive()
    }
}

impl ConversationAccess {
    /// Access that builds the API client from the settings `ConfigureProvider` stores in
    /// `settings`, on first use. A failed build is not remembered.
    pub fn from_settings(settings: SharedSettings) -> Self {
        ConversationAccess {
            builder: Arc::new(move || {
                let settings = settings.get().map_err(|_| {
                    PlatformError::NotConfigured(
                        "The provider was used before Terraform configured it; this is a bug \
                         in the provider or Terraform."
                            .into(),
                    )
                })?;
                let api: Arc<dyn ConversationApi> =
                    Arc::new(GenesysConversations(build_client(&settings)?));
                Ok(api)
            }),
            built: Arc::new(OnceCell::new()),
        }
    }

    /// Access over a given API (tests).
    pub fn fixed(api: Arc<dyn ConversationApi>) -> Self {
        ConversationAccess {
            builder: Arc::new(move || Ok(api.clone())),
            built: Arc::new(OnceCell::new()),
        }
    }

    /// The API, built on first use.
    pub async fn api(&self) -> Result<Arc<dyn ConversationApi>, PlatformError> {
        self.built
            .get_or_try_init(|| async { (self.builder)() })
            .await
            .cloned()
    }
}

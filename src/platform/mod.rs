//! The platform layer between the Terraform types and the API client: one [`Platform`] per
//! provider process, built by `provider/` at `ConfigureProvider` (rebuilt when Terraform
//! configures the provider again, as one `--debug` process serving several runs does) and
//! shared by every resource, data source, list resource and action. It holds the single API
//! client (one token pool, one rate gate), the views the types use ([`WrapupCodeCatalog`],
//! [`ConversationApi`]), the read cache and the platform error. `provider/` only builds it;
//! `resources/` and the other type folders only use it.

mod analytics_reads;
mod conversations;
mod details_stream;
mod error;
mod lag_waits;
mod queues;
mod wrapup_codes;
pub mod wrapup_writer;

/// A client for unit tests over a local HTTP server at `url`: a fixed token, no retries.
#[cfg(test)]
pub(crate) fn loopback_client(url: &str) -> GenesysClient {
    let config = genesys_client::ClientConfig::new(
        genesys_client::Credentials::access_token("test-token"),
        genesys_client::Region::by_name(genesys_client::Region::DEFAULT)
            .expect("the default region exists"),
    )
    .with_base_url(url)
    .expect("loopback http is allowed")
    .with_retry(genesys_client::RetryPolicy::none());
    GenesysClient::new(config).expect("a client")
}

use std::sync::{Arc, RwLock};

use tokio::sync::OnceCell;

pub use analytics_reads::{
    AnalyticsReads, COALESCE_WINDOW, MAX_BATCH_WAIT, MAX_QUIET, Operations, QUIET,
    conversation_from_view,
};
pub use conversations::{ConversationApi, GenesysConversations, ShowsState, WrapupKey};
pub use details_stream::{
    DetailsStream, IN_FLIGHT_PER_TOKEN, MAX_IN_FLIGHT, ReadAheadStream, bulk_concurrency,
};
pub use error::{ApiFailure, PlatformError, Subject};
pub use lag_waits::{LagWaits, READ_AFTER_WRITE_DELAYS};
pub use queues::{GenesysQueues, Queues};
pub use wrapup_codes::{
    GenesysWrapupCodeStore, NameClaim, Origin, WrapupCodeCatalog, WrapupCodeFields,
    WrapupCodeRecord, WrapupCodeStore, WriterPolicy, same_name,
};

use genesys_client::GenesysClient;

/// Everything the types reach the platform through, for one provider configuration.
#[derive(Clone)]
pub struct Platform {
    codes: WrapupCodeCatalog,
    conversations: Arc<dyn ConversationApi>,
    client: Option<GenesysClient>,
    lag_waits: LagWaits,
}

impl Platform {
    /// The views over one API client: every type then shares its token pool, rate gate and
    /// read cache. `operations` counts the operations the process runs, for bulk reads to wait
    /// for (see [`AnalyticsReads`]); every view waits out the platform's lag as `lag_waits`
    /// says.
    pub fn over_client(
        client: GenesysClient,
        read_cache: bool,
        policy: WriterPolicy,
        lag_waits: LagWaits,
        operations: Option<Arc<dyn Operations>>,
    ) -> Self {
        let codes =
            WrapupCodeCatalog::new(Arc::new(GenesysWrapupCodeStore(client.clone())), read_cache)
                .with_policy(policy)
                .with_lag_waits(lag_waits);
        let conversations = GenesysConversations::new(client.clone())
            .with_read_cache(codes.clone(), read_cache, operations)
            .with_lag_waits(lag_waits);
        Platform {
            codes,
            conversations: Arc::new(conversations),
            client: Some(client),
            lag_waits,
        }
    }

    /// The views over given implementations (tests).
    pub fn over(codes: WrapupCodeCatalog, conversations: Arc<dyn ConversationApi>) -> Self {
        Platform {
            codes,
            conversations,
            client: None,
            lag_waits: LagWaits::FULL,
        }
    }

    /// The wrap-up code view, with the read cache in front.
    pub fn code_catalog(&self) -> WrapupCodeCatalog {
        self.codes.clone()
    }

    /// The conversation view.
    pub fn conversations(&self) -> Arc<dyn ConversationApi> {
        self.conversations.clone()
    }

    /// The queue view, over the same client.
    pub fn queues(&self) -> Result<Arc<dyn Queues>, PlatformError> {
        Ok(Arc::new(GenesysQueues {
            client: self.client()?,
            lag_waits: self.lag_waits,
        }))
    }

    /// The API client itself, for the bulk analytics streams: the same token pool and rate
    /// gate as every view.
    pub fn client(&self) -> Result<GenesysClient, PlatformError> {
        self.client.clone().ok_or_else(|| {
            PlatformError::NotConfigured("This platform has no API client (a test double).".into())
        })
    }
}

/// The process's platform as `ConfigureProvider` last set it: the platform, or why it could
/// not be built (no credentials, an unusable URL), or nothing yet. Cheap to clone.
#[derive(Clone, Default)]
pub struct PlatformSlot(Arc<RwLock<Option<Result<Platform, PlatformError>>>>);

impl std::fmt::Debug for PlatformSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformSlot").finish_non_exhaustive()
    }
}

impl PlatformSlot {
    /// Replaces the platform (each `ConfigureProvider`).
    pub fn set(&self, platform: Result<Platform, PlatformError>) {
        *self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(platform);
    }

    /// The current platform, or why there is none.
    pub fn get(&self) -> Result<Platform, PlatformError> {
        match &*self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            Some(built) => built.clone(),
            None => Err(PlatformError::NotConfigured(
                "The provider was used before Terraform configured it; this is a bug in the \
                 provider or Terraform."
                    .into(),
            )),
        }
    }
}

type Builder<T> = Arc<dyn Fn() -> Result<T, PlatformError> + Send + Sync>;

/// One of the platform's views, as a type holds it: read from the slot on every use (so a
/// re-configure takes effect), or built once on first use (tests). Cheap to clone. The
/// aliases below name the views the types use.
pub struct PlatformView<T: Clone + Send + Sync + 'static> {
    builder: Builder<T>,
    memo: Option<Arc<OnceCell<T>>>,
}

/// The wrap-up codes, with the read cache in front.
pub type WrapupCodeCatalogView = PlatformView<WrapupCodeCatalog>;
/// The conversations and their wrap-ups.
pub type ConversationsView = PlatformView<Arc<dyn ConversationApi>>;
/// The queues and the wrap-up codes they offer.
pub type QueuesView = PlatformView<Arc<dyn Queues>>;
/// The API client itself, for the bulk analytics streams.
pub type ClientView = PlatformView<GenesysClient>;

impl<T: Clone + Send + Sync + 'static> Clone for PlatformView<T> {
    fn clone(&self) -> Self {
        PlatformView {
            builder: self.builder.clone(),
            memo: self.memo.clone(),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> std::fmt::Debug for PlatformView<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformView").finish_non_exhaustive()
    }
}

impl<T: Clone + Send + Sync + 'static> PlatformView<T> {
    fn picked(slot: PlatformSlot, pick: fn(&Platform) -> Result<T, PlatformError>) -> Self {
        PlatformView {
            builder: Arc::new(move || slot.get().and_then(|platform| pick(&platform))),
            memo: None,
        }
    }

    /// A view built with `builder` the first time it is needed. A failed build is not
    /// remembered, so a later call can succeed.
    pub fn lazy(builder: impl Fn() -> Result<T, PlatformError> + Send + Sync + 'static) -> Self {
        PlatformView {
            builder: Arc::new(builder),
            memo: Some(Arc::new(OnceCell::new())),
        }
    }

    /// A view over a given value (tests).
    pub fn fixed(value: T) -> Self {
        PlatformView::lazy(move || Ok(value.clone()))
    }

    /// The view, or why the platform cannot be reached (not configured, no credentials).
    pub async fn get(&self) -> Result<T, PlatformError> {
        match &self.memo {
            Some(memo) => memo
                .get_or_try_init(|| async { (self.builder)() })
                .await
                .cloned(),
            None => (self.builder)(),
        }
    }
}

impl PlatformView<WrapupCodeCatalog> {
    /// The wrap-up codes of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        PlatformView::picked(slot, |platform| Ok(platform.code_catalog()))
    }

    /// The wrap-up codes over a given API (tests).
    pub fn over_api(api: Arc<dyn WrapupCodeStore>, read_cache: bool) -> Self {
        PlatformView::fixed(WrapupCodeCatalog::new(api, read_cache))
    }
}

impl PlatformView<Arc<dyn ConversationApi>> {
    /// The conversations of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        PlatformView::picked(slot, |platform| Ok(platform.conversations()))
    }
}

impl PlatformView<Arc<dyn Queues>> {
    /// The queues of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        PlatformView::picked(slot, Platform::queues)
    }
}

impl PlatformView<GenesysClient> {
    /// The client of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        PlatformView::picked(slot, Platform::client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoCodes;

    #[async_trait::async_trait]
    impl WrapupCodeStore for NoCodes {
        async fn list_all(&self) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
            Ok(Vec::new())
        }
        async fn search_by_name(&self, _: &str) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
            Ok(Vec::new())
        }
        async fn list_filtered(
            &self,
            _: Option<&str>,
            _: Option<&str>,
        ) -> Result<Vec<WrapupCodeRecord>, PlatformError> {
            Ok(Vec::new())
        }
        async fn get(&self, _: &str) -> Result<Option<WrapupCodeRecord>, PlatformError> {
            Ok(None)
        }
        async fn create(&self, _: &WrapupCodeFields) -> Result<WrapupCodeRecord, PlatformError> {
            Err(PlatformError::NotConfigured("read only".into()))
        }
        async fn update(
            &self,
            _: &str,
            _: &WrapupCodeFields,
        ) -> Result<WrapupCodeRecord, PlatformError> {
            Err(PlatformError::NotConfigured("read only".into()))
        }
        async fn delete(&self, _: &str) -> Result<bool, PlatformError> {
            Ok(false)
        }
        async fn home_division_id(&self) -> Result<String, PlatformError> {
            Ok("home".into())
        }
    }

    #[tokio::test]
    async fn views_follow_the_slot_and_a_reconfigure_replaces_the_platform() {
        let slot = PlatformSlot::default();
        let handle = WrapupCodeCatalogView::from_slot(slot.clone());
        assert!(matches!(
            handle.get().await,
            Err(PlatformError::NotConfigured(_))
        ));
        slot.set(Err(PlatformError::NotConfigured("no credentials".into())));
        match handle.get().await {
            Err(PlatformError::NotConfigured(detail)) => assert_eq!(detail, "no credentials"),
            _ => panic!("the configure error is what the view reports"),
        }
        let first = WrapupCodeCatalog::new(Arc::new(NoCodes), true);
        let conversations = ConversationsView::from_slot(slot.clone());
        struct NoConversations;
        #[async_trait::async_trait]
        impl ConversationApi for NoConversations {
            async fn conversation(
                &self,
                id: &str,
            ) -> Result<genesys_client::models::Conversation, PlatformError> {
                Err(PlatformError::NotConfigured(id.into()))
            }
            async fn allowed_codes(
                &self,
                _: &str,
                _: &str,
                _: Option<&str>,
            ) -> Result<Vec<genesys_client::models::WrapupCode>, PlatformError> {
                Ok(Vec::new())
            }
            async fn codes_named(
                &self,
                _: &str,
            ) -> Result<Vec<genesys_client::models::WrapupCode>, PlatformError> {
                Ok(Vec::new())
            }
            async fn code(
                &self,
                _: &str,
            ) -> Result<Option<genesys_client::models::WrapupCode>, PlatformError> {
                Ok(None)
            }
            async fn post_wrapup(
                &self,
                _: genesys_client::MediaType,
                _: &str,
                _: &str,
                _: &str,
                _: &genesys_client::models::WrapupBody,
            ) -> Result<(), PlatformError> {
                Ok(())
            }
            async fn participant_wrapup(
                &self,
                _: &str,
                _: &str,
            ) -> Result<Option<genesys_client::models::AssignedWrapupCode>, PlatformError>
            {
                Ok(None)
            }
        }
        slot.set(Ok(Platform::over(first, Arc::new(NoConversations))));
        let codes = handle.get().await.expect("configured");
        assert_eq!(codes.home_division_id().await.as_deref(), Some("home"));
        assert!(conversations.get().await.is_ok());
        slot.set(Err(PlatformError::NotConfigured("second run".into())));
        assert!(
            handle.get().await.is_err(),
            "a re-configure replaces what every view sees"
        );
    }
}

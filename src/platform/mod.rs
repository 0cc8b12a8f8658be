//! The platform layer between the Terraform types and the API client: one [`Platform`] per
//! provider process, built by `provider/` at `ConfigureProvider` (rebuilt when Terraform
//! configures the provider again, as one `--debug` process serving several runs does) and
//! shared by every resource, data source, list resource and action. It holds the single API
//! client (one token pool, one rate gate), the views the types use ([`WrapupCodes`],
//! [`ConversationApi`]), the read cache and the platform error. `provider/` only builds it;
//! `resources/` and the other type folders only use it.

mod analytics_reads;
mod conversations;
mod details_stream;
mod error;
mod wrapup_codes;

use std::sync::{Arc, RwLock};

use tokio::sync::OnceCell;

pub use analytics_reads::{
    AnalyticsReads, COALESCE_WINDOW, MAX_BATCH_WAIT, MAX_QUIET, QUIET, Workload,
    conversation_from_view,
};
pub use conversations::{ConversationApi, GenesysConversations, ShowsState, WrapupKey};
pub use details_stream::{DetailsStream, IN_FLIGHT_PER_TOKEN, MAX_IN_FLIGHT, bulk_concurrency};
pub use error::{ApiFailure, PlatformError, Subject};
pub use wrapup_codes::{
    GenesysWrapupCodes, NameClaim, Origin, WrapupCode, WrapupCodeApi, WrapupCodeInput, WrapupCodes,
    WriterPolicy, same_name,
};

use genesys_client::GenesysClient;

/// Everything the types reach the platform through, for one provider configuration.
#[derive(Clone)]
pub struct Platform {
    codes: WrapupCodes,
    conversations: Arc<dyn ConversationApi>,
    client: Option<GenesysClient>,
}

impl Platform {
    /// The views over one API client: every type then shares its token pool, rate gate and
    /// read cache. `workload` counts the operations the process runs, for bulk reads to wait
    /// for (see [`AnalyticsReads`]).
    pub fn over_client(
        client: GenesysClient,
        read_cache: bool,
        policy: WriterPolicy,
        workload: Option<Arc<dyn Workload>>,
    ) -> Self {
        let codes = WrapupCodes::new(Arc::new(GenesysWrapupCodes(client.clone())), read_cache)
            .with_policy(policy);
        let conversations = GenesysConversations::new(client.clone()).with_read_cache(
            codes.clone(),
            read_cache,
            workload,
        );
        Platform {
            codes,
            conversations: Arc::new(conversations),
            client: Some(client),
        }
    }

    /// The views over given implementations (tests).
    pub fn over(codes: WrapupCodes, conversations: Arc<dyn ConversationApi>) -> Self {
        Platform {
            codes,
            conversations,
            client: None,
        }
    }

    /// The wrap-up code view, with the read cache in front.
    pub fn wrapup_codes(&self) -> WrapupCodes {
        self.codes.clone()
    }

    /// The conversation view.
    pub fn conversations(&self) -> Arc<dyn ConversationApi> {
        self.conversations.clone()
    }

    /// The API client itself, for the types that call it directly (queue lookup, queue
    /// codes, conversation search): the same token pool and rate gate as every view.
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

/// A view the types hold: read from the slot on every use (so a re-configure takes effect),
/// or built once on first use (tests).
struct View<T: Clone + Send + Sync + 'static> {
    builder: Builder<T>,
    memo: Option<Arc<OnceCell<T>>>,
}

impl<T: Clone + Send + Sync + 'static> Clone for View<T> {
    fn clone(&self) -> Self {
        View {
            builder: self.builder.clone(),
            memo: self.memo.clone(),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> View<T> {
    fn from_slot(slot: PlatformSlot, pick: fn(&Platform) -> T) -> Self {
        View {
            builder: Arc::new(move || slot.get().map(|platform| pick(&platform))),
            memo: None,
        }
    }

    fn lazy(builder: impl Fn() -> Result<T, PlatformError> + Send + Sync + 'static) -> Self {
        View {
            builder: Arc::new(builder),
            memo: Some(Arc::new(OnceCell::new())),
        }
    }

    async fn get(&self) -> Result<T, PlatformError> {
        match &self.memo {
            Some(memo) => memo
                .get_or_try_init(|| async { (self.builder)() })
                .await
                .cloned(),
            None => (self.builder)(),
        }
    }
}

/// The wrap-up code view a type holds. Cheap to clone.
#[derive(Clone)]
pub struct ApiHandle(View<WrapupCodes>);

impl std::fmt::Debug for ApiHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiHandle").finish_non_exhaustive()
    }
}

impl ApiHandle {
    /// The wrap-up codes of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        ApiHandle(View::from_slot(slot, Platform::wrapup_codes))
    }

    /// A handle that builds its access with `builder` the first time it is needed. A failed
    /// build is not remembered, so a later call can succeed.
    pub fn lazy(
        builder: impl Fn() -> Result<WrapupCodes, PlatformError> + Send + Sync + 'static,
    ) -> Self {
        ApiHandle(View::lazy(builder))
    }

    /// A handle over a given API (tests).
    pub fn fixed(api: Arc<dyn WrapupCodeApi>, read_cache: bool) -> Self {
        let codes = WrapupCodes::new(api, read_cache);
        ApiHandle::lazy(move || Ok(codes.clone()))
    }

    /// The wrap-up code access.
    pub async fn wrapup_codes(&self) -> Result<WrapupCodes, PlatformError> {
        self.0.get().await
    }
}

/// The API client a type holds (the process's one client). Cheap to clone.
#[derive(Clone)]
pub struct ClientHandle(PlatformSlot);

impl std::fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHandle").finish_non_exhaustive()
    }
}

impl ClientHandle {
    /// The client of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        ClientHandle(slot)
    }

    /// The client.
    pub async fn client(&self) -> Result<GenesysClient, PlatformError> {
        self.0.get()?.client()
    }
}

/// The conversation view a type holds. Cheap to clone.
#[derive(Clone)]
pub struct ConversationAccess(View<Arc<dyn ConversationApi>>);

impl std::fmt::Debug for ConversationAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConversationAccess").finish_non_exhaustive()
    }
}

impl ConversationAccess {
    /// The conversations of the platform `ConfigureProvider` put in `slot`.
    pub fn from_slot(slot: PlatformSlot) -> Self {
        ConversationAccess(View::from_slot(slot, Platform::conversations))
    }

    /// Access over a given API (tests).
    pub fn fixed(api: Arc<dyn ConversationApi>) -> Self {
        ConversationAccess(View::lazy(move || Ok(api.clone())))
    }

    /// The API.
    pub async fn api(&self) -> Result<Arc<dyn ConversationApi>, PlatformError> {
        self.0.get().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoCodes;

    #[async_trait::async_trait]
    impl WrapupCodeApi for NoCodes {
        async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError> {
            Ok(Vec::new())
        }
        async fn search_by_name(&self, _: &str) -> Result<Vec<WrapupCode>, PlatformError> {
            Ok(Vec::new())
        }
        async fn list_filtered(
            &self,
            _: Option<&str>,
            _: Option<&str>,
        ) -> Result<Vec<WrapupCode>, PlatformError> {
            Ok(Vec::new())
        }
        async fn get(&self, _: &str) -> Result<Option<WrapupCode>, PlatformError> {
            Ok(None)
        }
        async fn create(&self, _: &WrapupCodeInput) -> Result<WrapupCode, PlatformError> {
            Err(PlatformError::NotConfigured("read only".into()))
        }
        async fn update(&self, _: &str, _: &WrapupCodeInput) -> Result<WrapupCode, PlatformError> {
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
        let handle = ApiHandle::from_slot(slot.clone());
        assert!(matches!(
            handle.wrapup_codes().await,
            Err(PlatformError::NotConfigured(_))
        ));
        slot.set(Err(PlatformError::NotConfigured("no credentials".into())));
        match handle.wrapup_codes().await {
            Err(PlatformError::NotConfigured(detail)) => assert_eq!(detail, "no credentials"),
            _ => panic!("the configure error is what the view reports"),
        }
        let first = WrapupCodes::new(Arc::new(NoCodes), true);
        let conversations = ConversationAccess::from_slot(slot.clone());
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
                _: &genesys_client::models::WrapupInput,
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
        let codes = handle.wrapup_codes().await.expect("configured");
        assert_eq!(codes.home_division_id().await.as_deref(), Some("home"));
        assert!(conversations.api().await.is_ok());
        slot.set(Err(PlatformError::NotConfigured("second run".into())));
        assert!(
            handle.wrapup_codes().await.is_err(),
            "a re-configure replaces what every view sees"
        );
    }
}

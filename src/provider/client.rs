//! The provider side of the API client: one handle, shared by every resource, data source and
//! list type, that builds the Genesys client the first time one of them needs it (from the
//! settings `ConfigureProvider` resolved) together with the per-process read cache.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::OnceCell;

use crate::genesys::read_cache::{CacheSource, ReadCache};
use crate::resources::support::{PlatformError, WrapupCode, WrapupCodeApi};

/// Builds the platform access on first use; `Err` says why it cannot be built.
type Builder = Arc<dyn Fn() -> Result<WrapupCodes, PlatformError> + Send + Sync>;

/// Shared, lazily built access to the platform. Cheap to clone.
#[derive(Clone)]
pub struct ApiHandle {
    builder: Builder,
    built: Arc<OnceCell<WrapupCodes>>,
}

impl std::fmt::Debug for ApiHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiHandle")
            .field("built", &self.built.initialized())
            .finish_non_exhaustive()
    }
}

impl ApiHandle {
    /// A handle that builds its access with `builder` the first time it is needed. A failed
    /// build is not remembered, so a later call (after `ConfigureProvider`) can succeed.
    pub fn lazy(
        builder: impl Fn() -> Result<WrapupCodes, PlatformError> + Send + Sync + 'static,
    ) -> Self {
        ApiHandle {
            builder: Arc::new(builder),
            built: Arc::new(OnceCell::new()),
        }
    }

    /// A handle over a given API (tests, and anything that already holds a client).
    pub fn fixed(api: Arc<dyn WrapupCodeApi>, read_cache: bool) -> Self {
        let codes = WrapupCodes::new(api, read_cache);
        ApiHandle::lazy(move || Ok(codes.clone()))
    }

    /// The wrap-up code access, built on first use.
    pub async fn wrapup_codes(&self) -> Result<WrapupCodes, PlatformError> {
        self.built
            .get_or_try_init(|| async { (self.builder)() })
            .await
            .cloned()
    }
}

/// Wrap-up code access for one provider process: the API and its read cache.
#[derive(Clone)]
pub struct WrapupCodes {
    api: Arc<dyn WrapupCodeApi>,
    cache: Arc<ReadCache<WrapupCode>>,
}

impl WrapupCodes {
    /// Access over `api`, serving reads from a bulk listing when `read_cache` is on.
    pub fn new(api: Arc<dyn WrapupCodeApi>, read_cache: bool) -> Self {
        WrapupCodes {
            api,
            cache: ReadCache::new(read_cache),
        }
    }

    /// The API, for calls the cache does not serve.
    pub fn api(&self) -> &dyn WrapupCodeApi {
        &*self.api
    }

    /// One code by ID, through the read cache.
    pub async fn read(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        self.cache.get(&ApiSource(&*self.api), id).await
    }

    /// Every code from the cache's listing; `None` when the cache is off or unavailable.
    pub async fn snapshot(&self) -> Option<Vec<WrapupCode>> {
        self.cache.snapshot(&ApiSource(&*self.api)).await
    }

    /// Records a code the provider wrote.
    pub async fn remember(&self, code: WrapupCode) {
        self.cache.put(code).await;
    }

    /// Forgets a code the provider deleted or found gone.
    pub async fn forget(&self, id: &str) {
        self.cache.remove(id).await;
    }
}

struct ApiSource<'a>(&'a dyn WrapupCodeApi);

#[async_trait]
impl CacheSource<WrapupCode> for ApiSource<'_> {
    type Error = PlatformError;
    async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError> {
        self.0.list_all().await
    }
    async fn get_by_id(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        self.0.get(id).await
    }
}

//! The provider side of the API client: one handle, shared by every resource, data source and
//! list type, that builds the Genesys client the first time one of them needs it (from the
//! settings `ConfigureProvider` resolved) together with the per-process read cache.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::OnceCell;

use super::{Credentials, MissingCredentials, ProviderSettings, SharedSettings};
use crate::genesys::read_cache::{CacheSource, ReadCache};
use crate::genesys::{
    self, ClientConfig, ClientError, GenesysClient, LoginError, WrapupCodeQuery, models,
};
use crate::resources::support::{
    ApiFailure, PlatformError, WrapupCode, WrapupCodeApi, WrapupCodeInput,
};

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
    home_division: Arc<OnceCell<String>>,
}

impl WrapupCodes {
    /// Access over `api`, serving reads from a bulk listing when `read_cache` is on.
    pub fn new(api: Arc<dyn WrapupCodeApi>, read_cache: bool) -> Self {
        WrapupCodes {
            api,
            cache: ReadCache::new(read_cache),
            home_division: Arc::new(OnceCell::new()),
        }
    }

    /// The home division's ID, asked once per process; `None` if the platform would not say
    /// (e.g. the OAuth client may not view divisions).
    pub async fn home_division_id(&self) -> Option<String> {
        match self
            .home_division
            .get_or_try_init(|| self.api.home_division_id())
            .await
        {
            Ok(id) => Some(id.clone()),
            Err(error) => {
                tracing::warn!(
                    ?error,
                    "cannot look up the home division; planning it as unknown"
                );
                None
            }
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

impl ApiHandle {
    /// A handle that builds the Genesys client from the settings `ConfigureProvider` stored
    /// in `settings`, on first use.
    pub fn from_settings(settings: SharedSettings) -> Self {
        ApiHandle::lazy(move || {
            let settings = settings.get().map_err(|_| {
                PlatformError::NotConfigured(
                    "The provider was used before Terraform configured it; this is a bug in \
                     the provider or Terraform."
                        .into(),
                )
            })?;
            let client = build_client(&settings)?;
            Ok(WrapupCodes::new(
                Arc::new(GenesysWrapupCodes(client)),
                settings.read_cache,
            ))
        })
    }
}

/// Builds the API client from resolved provider settings, or says why it cannot.
pub fn build_client(settings: &ProviderSettings) -> Result<GenesysClient, PlatformError> {
    let credentials = match settings.credentials.require() {
        Ok(Credentials::ClientCredentials {
            client_id,
            client_secret,
        }) => genesys::Credentials::client_credentials(
            client_id.clone(),
            genesys::Secret::new(client_secret.expose()),
        ),
        Ok(Credentials::AccessToken(token)) => {
            genesys::Credentials::access_token(genesys::Secret::new(token.expose()))
        }
        Ok(Credentials::Missing(missing)) => return Err(no_credentials(missing)),
        Err(missing) => return Err(no_credentials(&missing)),
    };
    let config = ClientConfig::new(credentials, settings.region)
        .with_api_base_url(&settings.api_base)
        .and_then(|config| config.with_login_base_url(&settings.login_base))
        .map_err(|error| PlatformError::NotConfigured(format!("Invalid API settings: {error}.")))?
        .with_user_agent_version(env!("CARGO_PKG_VERSION"))
        .with_stop_check(crate::tfplugin::stop_requested);
    GenesysClient::new(config).map_err(PlatformError::from)
}

fn no_credentials(missing: &MissingCredentials) -> PlatformError {
    PlatformError::NotConfigured(format!(
        "No Genesys Cloud credentials: {missing}. Set them in the provider block or the \
         environment before running plan or apply."
    ))
}

impl From<ClientError> for PlatformError {
    fn from(error: ClientError) -> Self {
        let failure = match error.api_failure() {
            Some(api) => ApiFailure {
                status: Some(api.status),
                code: api.body.as_ref().and_then(|body| body.code.clone()),
                message: format!(
                    "{} {}: {}",
                    api.method,
                    api.route,
                    api.body
                        .as_ref()
                        .and_then(|body| body.summary())
                        .unwrap_or("no error details")
                ),
                context_id: api.correlation_id.clone(),
            },
            None => ApiFailure {
                message: error.to_string(),
                ..ApiFailure::default()
            },
        };
        match error {
            ClientError::NotFound(_) => PlatformError::NotFound(failure),
            ClientError::Conflict(_) => PlatformError::Conflict(failure),
            ClientError::BadRequest(_) => PlatformError::Invalid(failure),
            ClientError::Unauthorized { .. }
            | ClientError::Forbidden(_)
            | ClientError::Login(LoginError::Rejected { .. }) => PlatformError::Denied(failure),
            ClientError::Ambiguous { .. } => PlatformError::Ambiguous(error.to_string()),
            ClientError::Interrupted { .. } => PlatformError::Stopped(error.to_string()),
            _ => PlatformError::Failed(failure),
        }
    }
}

/// The wrap-up code operations over the real API client.
struct GenesysWrapupCodes(GenesysClient);

fn view(code: models::WrapupCode) -> WrapupCode {
    WrapupCode {
        division_id: code.division_id().map(str::to_owned),
        description: code.description.filter(|text| !text.is_empty()),
        id: code.id,
        name: code.name,
    }
}

fn request(input: &WrapupCodeInput) -> models::WrapupCodeRequest {
    models::WrapupCodeRequest::new(
        input.name.clone(),
        input.division_id.clone(),
        input.description.clone(),
    )
}

#[async_trait]
impl WrapupCodeApi for GenesysWrapupCodes {
    async fn list_all(&self) -> Result<Vec<WrapupCode>, PlatformError> {
        let all = self
            .0
            .wrapup_codes()
            .list_all(&WrapupCodeQuery::default())
            .await?;
        Ok(all.into_iter().map(view).collect())
    }

    async fn search_by_name(&self, name: &str) -> Result<Vec<WrapupCode>, PlatformError> {
        let found = self
            .0
            .wrapup_codes()
            .list_all(&WrapupCodeQuery::by_name(name))
            .await?;
        Ok(found.into_iter().map(view).collect())
    }

    async fn list_filtered(
        &self,
        name_prefix: Option<&str>,
        division_id: Option<&str>,
    ) -> Result<Vec<WrapupCode>, PlatformError> {
        let query = WrapupCodeQuery {
            // The platform's name filter takes a trailing `*` as "starts with".
            name: name_prefix.map(|prefix| format!("{prefix}*")),
            division_ids: division_id.into_iter().map(str::to_owned).collect(),
            ..WrapupCodeQuery::default()
        };
        let found = self.0.wrapup_codes().list_all(&query).await?;
        Ok(found.into_iter().map(view).collect())
    }

    async fn get(&self, id: &str) -> Result<Option<WrapupCode>, PlatformError> {
        Ok(self.0.wrapup_codes().get_optional(id).await?.map(view))
    }

    async fn create(&self, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError> {
        Ok(view(self.0.wrapup_codes().create(&request(input)).await?))
    }

    async fn update(&self, id: &str, input: &WrapupCodeInput) -> Result<WrapupCode, PlatformError> {
        Ok(view(
            self.0.wrapup_codes().update(id, &request(input)).await?,
        ))
    }

    async fn home_division_id(&self) -> Result<String, PlatformError> {
        Ok(self.0.divisions().home().await?.id)
    }

    async fn delete(&self, id: &str) -> Result<bool, PlatformError> {
        match self.0.wrapup_codes().delete(id).await {
            Ok(()) => Ok(true),
            Err(error) if error.is_not_found() => Ok(false),
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::provider::{ProviderConfig, resolve};

    fn settings(env: &[(&str, &str)]) -> ProviderSettings {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        resolve(&ProviderConfig::default(), &lookup, "1.15.5")
            .expect("settings resolve")
            .0
    }

    #[test]
    fn missing_credentials_say_what_to_set() {
        match build_client(&settings(&[])) {
            Err(PlatformError::NotConfigured(detail)) => {
                assert!(detail.contains("GENESYSCLOUD_OAUTHCLIENT_ID"), "{detail}");
            }
            other => panic!("expected NotConfigured, got {other:?}"),
        }
    }

    #[test]
    fn credentials_and_base_urls_build_a_client() {
        let settings = settings(&[
            ("GENESYSCLOUD_ACCESS_TOKEN", "token"),
            ("GENESYSCLOUD_API_URL", "http://127.0.0.1:9"),
        ]);
        let client = build_client(&settings).expect("a client");
        assert_eq!(client.config().api_base_url.as_str(), "http://127.0.0.1:9/");
    }

    #[tokio::test]
    async fn unconfigured_provider_errors_until_configured_then_builds_once() {
        let shared = SharedSettings::default();
        let handle = ApiHandle::from_settings(shared.clone());
        assert!(matches!(
            handle.wrapup_codes().await,
            Err(PlatformError::NotConfigured(_))
        ));
        shared.set(settings(&[("GENESYSCLOUD_ACCESS_TOKEN", "token")]));
        assert!(handle.wrapup_codes().await.is_ok());

        let builds = Arc::new(AtomicUsize::new(0));
        let counted = builds.clone();
        let handle = ApiHandle::lazy(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Err(PlatformError::NotConfigured("not yet".into()))
        });
        let _ = handle.wrapup_codes().await;
        let _ = handle.wrapup_codes().await;
        assert_eq!(
            builds.load(Ordering::SeqCst),
            2,
            "failed builds are not remembered"
        );
    }
}

//! Building the process's platform from resolved provider settings: the one API client
//! every type shares (see [`crate::platform`]). `ConfigureProvider` calls this each time
//! Terraform configures the provider.

use std::sync::Arc;

use super::{MissingCredentials, ProviderSettings};
use crate::platform::{Operations, Platform, PlatformError, WriterPolicy};
use genesys_client::{ClientConfig, ClientError, Credentials, GenesysClient, LoginError};
use tfplugin_framework::{Diagnostics, Workload};
use tokio_util::sync::CancellationToken;

/// The provider's RPCs in progress, as Terraform runs them: bulk reads wait for them.
impl Operations for Workload {
    fn running(&self) -> usize {
        Workload::running(self)
    }

    fn peak(&self) -> usize {
        Workload::peak(self)
    }

    fn watch(&self) -> tokio::sync::watch::Receiver<usize> {
        Workload::watch(self)
    }
}

/// The platform for these settings: one API client (token pool, rate gate) and one read cache
/// behind every view, with no operations to pace bulk reads by. Every wait of the client
/// (backoff, budget, rate gate, login retries) and the bulk reads' batch window end when
/// `cancel` (the stop of `ConfigureProvider`'s request) fires.
pub fn build_platform(
    settings: &ProviderSettings,
    cancel: CancellationToken,
) -> Result<Platform, PlatformError> {
    build_platform_for(settings, None, cancel)
}

/// As [`build_platform`], with bulk reads paced by the RPCs Terraform runs (`workload`, from
/// `ConfigureProvider`).
pub fn build_platform_for(
    settings: &ProviderSettings,
    workload: Option<Workload>,
    cancel: CancellationToken,
) -> Result<Platform, PlatformError> {
    let unknown = settings.unknown_connection_settings();
    if !unknown.is_empty() {
        // No fallback to the environment or a default: that could be another org.
        return Err(PlatformError::ConfigUnknown(unknown));
    }
    let client = build_client(settings)?.with_cancellation(cancel);
    tracing::debug!(
        api_base = %client.config().api_base_url,
        read_cache = settings.read_cache,
        token_pool_size = settings.token_pool_size,
        max_requests_per_minute = ?settings.max_requests_per_minute,
        "platform client built"
    );
    Ok(Platform::over_client(
        client,
        settings.read_cache,
        writer_policy(settings),
        settings.lag_waits,
        workload.map(|workload| Arc::new(workload) as Arc<dyn Operations>),
    ))
}

/// Logs in at configure time when the settings hold OAuth client credentials, as the
/// official provider does: refused credentials are then one error on the provider block
/// instead of one per resource, and the token serves the process's first calls (one login
/// per process). Nothing to do for a bare access token, missing credentials or a platform
/// that could not be built (the types report that).
pub async fn log_in(
    platform: &Result<Platform, PlatformError>,
    settings: &ProviderSettings,
) -> Result<(), Diagnostics> {
    if !matches!(
        settings.credentials,
        Ok(Credentials::ClientCredentials { .. })
    ) {
        return Ok(());
    }
    let Some(Ok(client)) = platform.as_ref().ok().map(Platform::client) else {
        return Ok(());
    };
    client
        .login()
        .await
        .map_err(|error| login_diagnostics(&error))
}

/// The one error a failed login at configure time becomes.
fn login_diagnostics(error: &ClientError) -> Diagnostics {
    let (summary, detail) = match error {
        ClientError::Login(LoginError::Rejected { .. }) => (
            "Could not log in to Genesys Cloud: the credentials were refused",
            format!(
                "{error}.\nCheck `oauthclient_id` and `oauthclient_secret` (or \
                 GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), and that \
                 the OAuth client belongs to the org of `aws_region` (GENESYSCLOUD_REGION) or \
                 `login_url`. Nothing was sent to the API."
            ),
        ),
        ClientError::Login(LoginError::Throttled { .. }) => (
            "Could not log in to Genesys Cloud: the login host is throttling token requests",
            format!(
                "{error}.\nThe login host limits how often tokens are requested. Wait a \
                 minute and run again, or run fewer Terraform runs (or other clients) with \
                 this OAuth client in parallel."
            ),
        ),
        other => (
            "Could not log in to Genesys Cloud",
            format!("{other}.\nNothing was sent to the API."),
        ),
    };
    let mut diagnostics = Diagnostics::default();
    diagnostics.error(summary, detail);
    diagnostics
}

/// Who the process writes as (the OAuth client ID; unknown with a bare access token) and
/// whether it may adopt identical codes.
fn writer_policy(settings: &ProviderSettings) -> WriterPolicy {
    let writer = match &settings.credentials {
        Ok(Credentials::ClientCredentials { client_id, .. }) => Some(client_id.clone()),
        Ok(Credentials::AccessToken(_)) | Err(_) => None,
    };
    WriterPolicy {
        writer,
        adopt_identical: settings.adopt_identical_wrapup_codes,
    }
}

/// Builds the API client from resolved provider settings, or says why it cannot.
pub fn build_client(settings: &ProviderSettings) -> Result<GenesysClient, PlatformError> {
    let credentials = settings
        .credentials
        .clone()
        .map_err(|missing| no_credentials(&missing))?;
    let mut config = ClientConfig::new(credentials, settings.region)
        .with_api_base_url(&settings.api_base)
        .and_then(|config| config.with_login_base_url(&settings.login_base))
        .map_err(|error| PlatformError::NotConfigured(format!("Invalid API settings: {error}.")))?
        .with_user_agent_version(env!("CARGO_PKG_VERSION"))
        .with_max_tokens(settings.token_pool_size);
    if let Some(budget) = settings.max_requests_per_minute {
        config = config.with_requests_per_minute(budget);
    }
    GenesysClient::new(config).map_err(PlatformError::from)
}

fn no_credentials(missing: &MissingCredentials) -> PlatformError {
    PlatformError::NotConfigured(format!(
        "No Genesys Cloud credentials: {missing}. Set them in the provider block or the \
         environment before running plan or apply."
    ))
}

#[cfg(test)]
mod tests {
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
    fn a_refused_login_names_the_credential_settings_and_a_throttle_does_not() {
        let refused = login_diagnostics(&ClientError::Login(LoginError::Rejected {
            status: 401,
            error: Some("invalid_client".into()),
            description: None,
            correlation_id: None,
        }));
        assert_eq!(refused.0.len(), 1);
        assert!(refused.0[0].summary.contains("credentials were refused"));
        assert!(refused.0[0].detail.contains("`oauthclient_secret`"));

        let throttled = login_diagnostics(&ClientError::Login(LoginError::Throttled {
            status: 400,
            attempts: 7,
            correlation_id: None,
        }));
        let diagnostic = &throttled.0[0];
        assert!(diagnostic.summary.contains("throttling"), "{diagnostic:?}");
        assert!(diagnostic.detail.contains("Wait a"), "{diagnostic:?}");
        assert!(diagnostic.detail.contains("fewer"), "{diagnostic:?}");
        assert!(
            !diagnostic.detail.contains("oauthclient_secret"),
            "{diagnostic:?}"
        );
        assert!(!diagnostic.summary.contains("refused"), "{diagnostic:?}");
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
        assert!(
            client.config().read_org_limit,
            "no budget set: the org's own limit"
        );
    }

    #[test]
    fn a_configured_budget_replaces_the_org_limit() {
        let settings = settings(&[
            ("GENESYSCLOUD_ACCESS_TOKEN", "token"),
            ("GENESYSCLOUD_API_URL", "http://127.0.0.1:9"),
            ("GENESYSCLOUD_MAX_REQUESTS_PER_MINUTE", "120"),
        ]);
        let client = build_client(&settings).expect("a client");
        assert_eq!(client.requests_per_minute(), 120);
        assert!(!client.config().read_org_limit);
    }
}

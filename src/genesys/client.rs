//! The client handle resource code holds: cheap to clone, shared connection pool and token.

use std::fmt;
use std::sync::Arc;

use super::auth::Authenticator;
use super::config::ClientConfig;
use super::error::{ClientError, error_chain};
use super::rate_gate::RateGate;

/// A Genesys Cloud Platform API client. Clones share one connection pool and one token cache.
/// API areas hang off it: [`wrapup_codes`](Self::wrapup_codes), [`divisions`](Self::divisions),
/// [`queues`](Self::queues), [`conversations`](Self::conversations).
#[derive(Clone)]
pub struct GenesysClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) auth: Authenticator,
    pub(crate) config: ClientConfig,
    /// Holds every request back while the platform's rate limit is exceeded.
    pub(crate) rate_gate: RateGate,
}

impl GenesysClient {
    /// Builds a client; no request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| {
                ClientError::InvalidInput(format!(
                    "cannot build the HTTP client: {}",
                    error_chain(&e)
                ))
            })?;
        let auth = Authenticator::new(
            config.credentials.clone(),
            &config.login_base_url,
            config.retry.clone(),
        );
        Ok(GenesysClient {
            inner: Arc::new(Inner {
                http,
                auth,
                config,
                rate_gate: RateGate::default(),
            }),
        })
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }
}

impl fmt::Debug for GenesysClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenesysClient")
            .field("api_base_url", &self.inner.config.api_base_url.as_str())
            .field("login_base_url", &self.inner.config.login_base_url.as_str())
            .finish_non_exhaustive()
    }
}

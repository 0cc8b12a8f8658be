//! The client handle resource code holds: cheap to clone, shared connection pool and token.

use std::fmt;
use std::sync::Arc;

use super::config::ClientConfig;
use super::error::{ClientError, error_chain};
use super::rate_gate::RateGate;
use super::tls_roots;
use super::token_pool::TokenPool;
use tokio_util::sync::CancellationToken;

/// A Genesys Cloud Platform API client. Clones share one connection pool, one token pool with
/// its per-token budgets, and one rate gate.
/// API areas hang off it: [`wrapup_codes`](Self::wrapup_codes), [`divisions`](Self::divisions),
/// [`queues`](Self::queues), [`conversations`](Self::conversations).
///
/// A handle also carries a [`CancellationToken`]: when it fires, every wait of a call made
/// through that handle (backoff, rate gate, token budget, login retries) ends at once and the
/// call fails with [`ClientError::Interrupted`] without sending anything new (see
/// [`GenesysClient::with_cancellation`]).
#[derive(Clone)]
pub struct GenesysClient {
    pub(crate) inner: Arc<Inner>,
    /// Ends this handle's waits; never fired for a handle built by [`GenesysClient::new`].
    pub(crate) cancel: CancellationToken,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The access tokens and their budgets.
    pub(crate) pool: TokenPool,
    pub(crate) config: ClientConfig,
    /// Holds every request back while the platform's rate limit is exceeded.
    pub(crate) rate_gate: RateGate,
    /// Set once the org's own limit was read (or found unreadable): one read per client.
    pub(crate) org_limit_read: tokio::sync::OnceCell<()>,
}

impl GenesysClient {
    /// Builds a client; no request is made until the first call.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let roots = tls_roots::trust_roots();
        match &roots.fallback_reason {
            Some(reason) => tracing::debug!(
                roots = roots.certificates.len(),
                "TLS roots: {reason}, so the client trusts the roots compiled into the binary"
            ),
            None => tracing::debug!(
                roots = roots.certificates.len(),
                source = ?roots.source,
                "TLS roots: using the certificates found"
            ),
        }
        let http = reqwest::Client::builder()
            .tls_certs_only(roots.certificates)
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
        let pool = TokenPool::new(
            config.credentials.clone(),
            &config.login_base_url,
            config.retry.clone(),
            config.max_tokens,
            config.requests_per_minute,
            config.read_org_limit,
        );
        Ok(GenesysClient {
            inner: Arc::new(Inner {
                http,
                pool,
                config,
                rate_gate: RateGate::default(),
                org_limit_read: tokio::sync::OnceCell::new(),
            }),
            cancel: CancellationToken::new(),
        })
    }

    /// A handle on the same client (connections, tokens, budget, rate gate) whose calls end
    /// with [`ClientError::Interrupted`] once `cancel` fires: any wait they are in ends at
    /// once, a write not yet sent is not sent, a request already sent is seen through to its
    /// answer. A read that needs no wait is still sent after the token fired (it settles what
    /// an earlier write did).
    pub fn with_cancellation(&self, cancel: CancellationToken) -> Self {
        GenesysClient {
            inner: Arc::clone(&self.inner),
            cancel,
        }
    }

    /// The token that ends this handle's waits (see [`GenesysClient::with_cancellation`]).
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Logs in now (OAuth client credentials; nothing to do for a supplied access token), so
    /// refused credentials or a throttled login host show once, before any API call. The
    /// token is kept and serves the calls that follow.
    pub async fn login(&self) -> Result<(), ClientError> {
        self.inner
            .pool
            .login(&self.inner.http, &self.cancel)
            .await?;
        Ok(())
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// How many access tokens the client holds now (for logs and tests).
    pub fn token_pool_size(&self) -> usize {
        self.inner.pool.size()
    }

    /// The current budget per token, in requests a minute (a 429 lowers it; clean spans
    /// raise it back).
    pub fn requests_per_minute(&self) -> u32 {
        self.inner.pool.per_minute()
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

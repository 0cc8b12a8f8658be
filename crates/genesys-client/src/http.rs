//! One place that builds URLs and sends requests: bearer auth with one renewal on 401, retries
//! per [`retry`](super::retry), error mapping and per-request logging.

use std::time::{Instant, SystemTime};

use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::debug;
use url::Url;

use super::auth::correlation_id;
use super::client::GenesysClient;
use super::error::{AmbiguousCause, ApiFailure, ClientError, LoginError, error_chain};
use super::models::ErrorBody;
use super::numbers::parse_retry_after;
use super::retry::{is_idempotent, is_transient_status};
use super::waits::pause;

/// A request before it is sent: method, route template with its path values, query, body.
pub(crate) struct ApiRequest<'a> {
    method: Method,
    route: &'static str,
    params: Vec<&'a str>,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    replay_safe: bool,
    /// The read of the org's own limit, which must not wait for itself.
    org_limit_read: bool,
}

impl<'a> ApiRequest<'a> {
    /// `route` is a template like `/api/v2/routing/wrapupcodes/{codeId}`; `params` fill its
    /// `{…}` placeholders in order and are percent-encoded as path segments.
    pub(crate) fn new(method: Method, route: &'static str, params: &[&'a str]) -> Self {
        let replay_safe = is_idempotent(&method);
        ApiRequest {
            method,
            route,
            params: params.to_vec(),
            query: Vec::new(),
            body: None,
            replay_safe,
            org_limit_read: false,
        }
    }

    pub(crate) fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    pub(crate) fn query_opt(self, key: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            ClientError::InvalidInput(format!("cannot encode the {} body: {e}", self.route))
        })?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// Marks a POST/PATCH whose repetition is harmless (e.g. adding codes to a queue), so it
    /// is retried like a GET.
    pub(crate) fn replay_safe(mut self) -> Self {
        self.replay_safe = true;
        self
    }

    /// Marks the read of the org's own limit (see [`org_limit`](super::org_limit)).
    pub(crate) fn org_limit_read(mut self) -> Self {
        self.org_limit_read = true;
        self
    }
}

/// A successful response: status, body and correlation id.
pub(crate) struct ApiResponse {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) correlation_id: Option<String>,
}

/// Fills a route template into `base`, percent-encoding each value as one path segment.
/// Empty values and `.`/`..` are refused: they would silently address another resource.
pub(crate) fn build_url(
    base: &Url,
    route: &'static str,
    params: &[&str],
) -> Result<Url, ClientError> {
    let mut url = base.clone();
    let mut values = params.iter();
    {
        let mut segments = url.path_segments_mut().map_err(|()| {
            ClientError::InvalidInput(format!("base URL {base} cannot take a path"))
        })?;
        segments.pop_if_empty();
        for part in route.split('/').filter(|p| !p.is_empty()) {
            if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                let value = values.next().ok_or_else(|| {
                    ClientError::InvalidInput(format!("{route}: no value for {{{name}}}"))
                })?;
                let trimmed = value.trim();
                if trimmed.is_empty() || trimmed == "." || trimmed == ".." {
                    return Err(ClientError::InvalidInput(format!(
                        "{name} must be a non-empty id, got {value:?}"
                    )));
                }
                segments.push(value);
            } else {
                segments.push(part);
            }
        }
    }
    if values.next().is_some() {
        return Err(ClientError::InvalidInput(format!(
            "{route}: more values than placeholders"
        )));
    }
    Ok(url)
}

impl GenesysClient {
    /// Sends `request` and decodes a JSON response.
    pub(crate) async fn call_json<T: DeserializeOwned>(
        &self,
        request: ApiRequest<'_>,
    ) -> Result<T, ClientError> {
        let (method, route) = (request.method.clone(), request.route);
        let response = self.execute(request).await?;
        decode(&method, route, &response)
    }

    /// Sends `request` and decodes a JSON response, or `None` for an empty body (204).
    pub(crate) async fn call_json_opt<T: DeserializeOwned>(
        &self,
        request: ApiRequest<'_>,
    ) -> Result<Option<T>, ClientError> {
        let (method, route) = (request.method.clone(), request.route);
        let response = self.execute(request).await?;
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        decode(&method, route, &response).map(Some)
    }

    /// Sends `request` and ignores the response body.
    pub(crate) async fn call_empty(&self, request: ApiRequest<'_>) -> Result<(), ClientError> {
        self.execute(request).await.map(|_| ())
    }

    /// The retry loop. See [`retry`](super::retry) for the rule it follows.
    pub(crate) async fn execute(
        &self,
        request: ApiRequest<'_>,
    ) -> Result<ApiResponse, ClientError> {
        let inner = &self.inner;
        let policy = &inner.config.retry;
        let url = build_url(&inner.config.api_base_url, request.route, &request.params)?;
        let (method, route) = (request.method.clone(), request.route);
        let started = Instant::now();
        let mut attempts = 0u32;
        let mut retries = 0u32;
        let mut renewed = false;
        let cancel = &self.cancel;
        let writes = !matches!(method, Method::GET | Method::HEAD);
        let interrupted = |method: Method, attempts: u32| {
            debug!(method = %method, route, attempts, "request not sent: the caller asked to stop");
            ClientError::Interrupted { method, route }
        };
        loop {
            if inner.rate_gate.wait(cancel).await.is_err() {
                return Err(interrupted(method, attempts));
            }
            if !request.org_limit_read && inner.pool.org_limit_due() {
                // The job may exceed the default budget: learn the org's own limit first
                // (one read per client; concurrent requests wait for the same read).
                inner
                    .org_limit_read
                    .get_or_init(|| Box::pin(self.adopt_org_limit()))
                    .await;
            }
            let Ok(lease) = inner.pool.acquire(cancel).await else {
                return Err(interrupted(method, attempts));
            };
            let token = match lease.auth.token(&inner.http, cancel).await {
                Ok(token) => token,
                Err(LoginError::Interrupted) => return Err(interrupted(method, attempts)),
                Err(error) => return Err(error.into()),
            };
            if writes && cancel.is_cancelled() {
                return Err(interrupted(method, attempts));
            }
            attempts += 1;
            let mut builder = inner
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.value.expose())
                .header(ACCEPT, "application/json");
            if !request.query.is_empty() {
                builder = builder.query(&request.query);
            }
            if let Some(body) = &request.body {
                builder = builder
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let sent = Instant::now();
            let sent_at = tokio::time::Instant::now();
            let outcome = match builder.send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let correlation = correlation_id(response.headers());
                    let retry_after = response
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| parse_retry_after(v.as_bytes(), SystemTime::now()));
                    match response.bytes().await {
                        Ok(body) => Ok((status, correlation, retry_after, body.to_vec())),
                        Err(err) => Err((err, Some(status), correlation)),
                    }
                }
                Err(err) => Err((err, None, None)),
            };
            let duration_ms = sent.elapsed().as_millis() as u64;

            let (status, correlation, retry_after, body) = match outcome {
                Ok(parts) => parts,
                Err((err, status, correlation)) => {
                    debug!(
                        method = %method,
                        route,
                        status = status.unwrap_or(0),
                        duration_ms,
                        attempt = attempts,
                        retries,
                        correlation_id = correlation.as_deref().unwrap_or(""),
                        error = %error_chain(&err),
                        "genesys api transport error"
                    );
                    // A refused connection never reached the server; anything later might have.
                    if !err.is_connect() && !request.replay_safe {
                        return Err(ClientError::Ambiguous {
                            method,
                            route,
                            cause: AmbiguousCause::Transport(error_chain(&err)),
                            correlation_id: correlation,
                        });
                    }
                    if let Some(wait) = policy.next_wait(retries, started.elapsed(), None) {
                        retries += 1;
                        if pause(wait, cancel).await.is_err() {
                            return Err(interrupted(method, attempts));
                        }
                        continue;
                    }
                    return Err(ClientError::Transport {
                        method,
                        route,
                        attempts,
                        detail: error_chain(&err),
                        source: err,
                    });
                }
            };
            debug!(
                method = %method,
                route,
                status,
                duration_ms,
                attempt = attempts,
                retries,
                correlation_id = correlation.as_deref().unwrap_or(""),
                "genesys api response"
            );
            if (200..300).contains(&status) {
                return Ok(ApiResponse {
                    status,
                    body,
                    correlation_id: correlation,
                });
            }
            if status == 401 && inner.pool.can_renew() && !renewed {
                renewed = true;
                lease.auth.invalidate(&token).await;
                continue;
            }
            if status == 429
                && let Some(wait) = policy.rate_limit_wait(retries, started.elapsed(), retry_after)
            {
                retries += 1;
                // Hold every request of this client back until the pause has passed; the
                // budget is cut once per pause, not once per request that met it.
                let wait = wait.max(inner.rate_gate.remaining());
                inner.pool.tighten(sent_at, wait);
                inner.rate_gate.pause_for(wait);
                debug!(
                    method = %method,
                    route,
                    wait_ms = wait.as_millis() as u64,
                    "genesys api rate limited; pausing requests"
                );
                continue;
            }
            if is_transient_status(status) && !request.replay_safe {
                return Err(ClientError::Ambiguous {
                    method,
                    route,
                    cause: AmbiguousCause::Status(status),
                    correlation_id: correlation,
                });
            }
            if is_transient_status(status)
                && let Some(wait) = policy.next_wait(retries, started.elapsed(), None)
            {
                retries += 1;
                if pause(wait, cancel).await.is_err() {
                    return Err(interrupted(method, attempts));
                }
                continue;
            }
            let failure = ApiFailure {
                method,
                route,
                status,
                body: serde_json::from_slice::<ErrorBody>(&body).ok(),
                correlation_id: correlation,
                attempts,
            };
            if status == 401 && !inner.pool.can_renew() {
                return Err(ClientError::Unauthorized {
                    failure: Box::new(failure),
                    hint: "the supplied access token was refused (expired or revoked); supply a \
                           fresh token or configure OAuth client credentials",
                });
            }
            return Err(ClientError::from_status(failure, retry_after));
        }
    }
}

fn decode<T: DeserializeOwned>(
    method: &Method,
    route: &'static str,
    response: &ApiResponse,
) -> Result<T, ClientError> {
    serde_json::from_slice(&response.body).map_err(|source| ClientError::Decode {
        method: method.clone(),
        route,
        status: response.status,
        correlation_id: response.correlation_id.clone(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(raw: &str) -> Url {
        Url::parse(raw).expect("valid test URL")
    }

    #[test]
    fn route_values_are_percent_encoded_path_segments() {
        let url = build_url(
            &base("https://api.mypurecloud.com"),
            "/api/v2/routing/wrapupcodes/{codeId}",
            &["a/b c?#%"],
        )
        .expect("valid");
        assert_eq!(
            url.as_str(),
            "https://api.mypurecloud.com/api/v2/routing/wrapupcodes/a%2Fb%20c%3F%23%25"
        );
    }

    #[test]
    fn base_path_prefix_is_kept() {
        for raw in ["http://127.0.0.1:8080/gw", "http://127.0.0.1:8080/gw/"] {
            let url =
                build_url(&base(raw), "/api/v2/authorization/divisions/home", &[]).expect("valid");
            assert_eq!(
                url.as_str(),
                "http://127.0.0.1:8080/gw/api/v2/authorization/divisions/home"
            );
        }
    }

    #[test]
    fn empty_or_dot_ids_are_refused() {
        for bad in ["", "  ", ".", ".."] {
            let err = build_url(
                &base("https://api.mypurecloud.com"),
                "/api/v2/routing/wrapupcodes/{codeId}",
                &[bad],
            )
            .expect_err("must be refused");
            assert!(err.to_string().contains("codeId"), "{err}");
        }
    }

    #[test]
    fn placeholder_count_must_match() {
        let b = base("https://api.mypurecloud.com");
        assert!(build_url(&b, "/api/v2/routing/wrapupcodes/{codeId}", &[]).is_err());
        assert!(build_url(&b, "/api/v2/routing/wrapupcodes", &["x"]).is_err());
    }
}
